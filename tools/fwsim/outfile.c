/* SPDX-License-Identifier: MIT */
/* fwsim: complete files or none (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool outfile_open(struct outfile *o, const char *path, char *err, size_t errlen)
{
    size_t n = strlen(path) + 16;
    o->f = NULL;
    if (!(o->tmp = malloc(n))) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0)
        fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; these are ordinary files */
    if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        return false;
    }
    return true;
}

bool outfile_commit(struct outfile *o, const char *path, char *err, size_t errlen)
{
    bool ok = !ferror(o->f);
    ok = fclose(o->f) == 0 && ok;
    if (!ok || rename(o->tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(o->tmp);
        ok = false;
    }
    free(o->tmp);
    return ok;
}
