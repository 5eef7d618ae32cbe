/* SPDX-License-Identifier: MIT */
/* fwsim: the state file. Format: a line "fwsim-state 2 PART", then per
 * memory a line "memory BASE SIZE" (hexadecimal) followed by its SIZE raw
 * bytes and a newline. Version 1 files came before the option bytes were
 * modelled: theirs are taken as the factory's. */
#include "state.h"

#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "fwsim-state"
#define VERSION 2

bool sim_state_load(struct sim_target *s, const char *path, bool *existed, char *err, size_t errlen)
{
    *existed = false;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return true;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    *existed = true;
    char line[256], part[128];
    int version = 0;
    bool ok = false;
    if (!fgets(line, sizeof(line), f) || sscanf(line, MAGIC " %d %127s", &version, part) != 2) {
        snprintf(err, errlen, "%s:1: not an fwsim state file (expected '" MAGIC " %d PART')", path, VERSION);
        goto out;
    }
    if (version < 1 || version > VERSION) {
        snprintf(err, errlen, "%s:1: fwsim state version %d; this fwsim reads versions 1 to %d", path, version,
                 VERSION);
        goto out;
    }
    if (strcmp(part, s->part->name)) {
        snprintf(err, errlen, "%s:1: the state of a %s, not of the %s being simulated", path, part, s->part->name);
        goto out;
    }
    for (unsigned i = 0; i < s->nmem; i++) {
        struct sim_memory *m = &s->mem[i];
        unsigned long base, size;
        long at = ftell(f);
        if (!fgets(line, sizeof(line), f) || sscanf(line, "memory %lx %lx", &base, &size) != 2) {
            snprintf(err, errlen, "%s: offset %ld: expected 'memory BASE SIZE'", path, at);
            goto out;
        }
        if (base != m->base || size != m->size) {
            snprintf(err, errlen, "%s: offset %ld: memory 0x%08lx+0x%lx, but the part has 0x%08x+0x%x here", path, at,
                     base, size, m->base, m->size);
            goto out;
        }
        if (fread(m->bytes, 1, m->size, f) != m->size || fgetc(f) != '\n') {
            snprintf(err, errlen, "%s: offset %ld: memory 0x%08x is cut short", path, at, m->base);
            goto out;
        }
    }
    if (version == 1)
        ob_factory(&s->ob);
    ok = true;
out:
    fclose(f);
    return ok;
}

bool sim_state_save(const struct sim_target *s, const char *path, char *err, size_t errlen)
{
    struct outfile o;
    if (!outfile_open(&o, path, err, errlen))
        return false;
    fprintf(o.f, MAGIC " %d %s\n", VERSION, s->part->name);
    for (unsigned i = 0; i < s->nmem; i++) {
        fprintf(o.f, "memory %08x %x\n", s->mem[i].base, s->mem[i].size);
        fwrite(s->mem[i].bytes, 1, s->mem[i].size, o.f);
        fputc('\n', o.f);
    }
    return outfile_commit(&o, path, err, errlen);
}
