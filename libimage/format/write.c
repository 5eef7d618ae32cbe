/* SPDX-License-Identifier: MIT */
/* Writing any output: check first, then write to a temporary file in the
 * destination's folder and rename it into place. */
#include "formats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fw_write_options_init(fw_write_options *o)
{
    memset(o, 0, sizeof(*o));
    o->record_bytes = 16;
    o->fill = 0xFF;
}

static int check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d)
{
    fw_location loc = {.file = name};
    if (opt->record_bytes > 255) {
        fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc, "record length %u is more than 255", opt->record_bytes);
        return FW_EINVAL;
    }
    switch (opt->format) {
    case FW_FMT_IHEX: return fw_ihex_check(img, opt, name, d);
    case FW_FMT_SREC: return fw_srec_check(img, opt, name, d);
    case FW_FMT_BIN: return fw_bin_check(img, opt, name, d);
    case FW_FMT_UF2: return fw_uf2_check(img, opt, name, d);
    case FW_FMT_C:
    case FW_FMT_VMEM: return FW_OK;
    default:
        fw_diag_add(d, FW_ERROR, "WRITE-FORMAT", &loc, "cannot write %s files", fw_format_description(opt->format));
        return FW_EUNSUPPORTED;
    }
}

int fw_write_fd(const fw_image *img, int fd, const char *name, const fw_write_options *opt, fw_diag *d)
{
    int rc = check(img, opt, name, d);
    if (rc)
        return rc;
    struct fw_output o;
    if ((rc = fw_output_init(&o, fd, name, d)))
        return rc;
    switch (opt->format) {
    case FW_FMT_IHEX: fw_ihex_write(img, &o, opt); break;
    case FW_FMT_SREC: fw_srec_write(img, &o, opt); break;
    case FW_FMT_UF2: fw_uf2_write(img, &o, opt); break;
    case FW_FMT_C: fw_carray_write(img, &o, opt); break;
    case FW_FMT_VMEM: fw_vmem_write(img, &o, opt); break;
    default: fw_bin_write(img, &o, opt); break;
    }
    return fw_output_finish(&o);
}

int fw_write_file(const fw_image *img, const char *path, const fw_write_options *opt, fw_diag *d)
{
    if (!strcmp(path, "-"))
        return fw_write_fd(img, STDOUT_FILENO, "<stdout>", opt, d);
    int rc = check(img, opt, path, d);
    if (rc)
        return rc;
    fw_location loc = {.file = path};
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or pipe: write in place, there is nothing to rename over */
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            fw_diag_add(d, FW_ERROR, "IO", &loc, "cannot open for writing: %s", strerror(errno));
            return FW_EIO;
        }
        rc = fw_write_fd(img, fd, path, opt, d);
        close(fd);
        return rc;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return FW_ENOMEM;
    snprintf(tmp, n + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fw_diag_add(d, FW_ERROR, "IO", &loc, "cannot create a file next to it: %s", strerror(errno));
        free(tmp);
        return FW_EIO;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    rc = fw_write_fd(img, fd, path, opt, d);
    if (close(fd) != 0 && rc == FW_OK) {
        fw_diag_add(d, FW_ERROR, "IO", &loc, "write failed: %s", strerror(errno));
        rc = FW_EIO;
    }
    /* remove the old file first: renaming over an existing file makes ext4
     * write the new one out at once (auto_da_alloc), which doubles the time
     * of a large conversion; the new file is complete by now either way */
    if (rc == FW_OK)
        unlink(path);
    if (rc == FW_OK && rename(tmp, path) != 0) {
        fw_diag_add(d, FW_ERROR, "IO", &loc, "cannot rename the finished file into place: %s", strerror(errno));
        rc = FW_EIO;
    }
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}
