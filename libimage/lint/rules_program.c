/* SPDX-License-Identifier: MIT */
/* G. what a flash programmer needs: whole write units, and the erased value. */
#include "lint_internal.h"

#include <stdio.h>

static void write_units(struct lint *l)
{
    size_t reported = 0;
    uint64_t prev_unit_end = 0;
    bool have_prev = false;
    for (size_t i = 0; i < fw_image_chunk_count(l->img) && reported < 8; i++) {
        const fw_chunk *c = fw_image_chunk(l->img, i);
        const fw_region *r = fw_target_region_at(l->t, c->addr);
        if (!r || r->kind != FW_REGION_FLASH || r->write_size < 2) {
            have_prev = false;
            continue;
        }
        uint64_t w = r->write_size, a = c->addr, e = c->addr + c->len;
        fw_location loc = lint_where(l, a);
        if (have_prev && a / w * w < prev_unit_end) {
            lint_emit(l, "GRAN-WRITE", &loc,
                      "data at 0x%08llx shares a %llu-byte write unit with the data before it: the unit would be "
                      "written twice, which %s flash refuses",
                      (unsigned long long)a, (unsigned long long)w, l->t->name);
            reported++;
        } else if (a % w || e % w) {
            fw_diagnostic *d = lint_emit(l, "GRAN-WRITE", &loc,
                                         "data at 0x%08llx-0x%08llx is not aligned to the %llu-byte flash write unit",
                                         (unsigned long long)a, (unsigned long long)(e - 1), (unsigned long long)w);
            fw_diagnostic_set_hint(d, "some programmers refuse or mis-pad it; align sections with ALIGN(%llu), or "
                                      "pad with the erased value 0x%02x",
                                   (unsigned long long)w, l->erased);
            reported++;
        }
        prev_unit_end = (e + w - 1) / w * w;
        have_prev = true;
    }
}

static void erased_value(struct lint *l)
{
    if (!l->in->target || !l->flash || l->flash->erased != 0)
        return;
    fw_location loc = {.file = l->path};
    fw_diagnostic *e = lint_emit(l, "GRAN-PAD", &loc,
                                 "erased flash on %s reads 0x00, not 0xFF: an all-zero read-back means blank flash, "
                                 "not a program of zeros",
                                 l->t->name);
    fw_diagnostic_set_hint(e, "pad gaps and raw binaries with 0x00 (fwconv --fill 0x00) so checksums match the chip");
}

void lint_program_rules(struct lint *l)
{
    if (!l->t)
        return;
    write_units(l);
    erased_value(l);
}
