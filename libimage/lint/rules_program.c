/* SPDX-License-Identifier: MIT */
/* G. what a flash programmer needs: whole write units, and the erased value. */
#include "lint_internal.h"

#include <stdio.h>

/* Flash takes whole write units (the region's write size: F0/F1/F3 half
 * words, L0/L1 words, L4/G0/G4/WB/WL/C0/U0/L5 double words, U5/H5/WBA
 * quad words, H7 flash words; F2/F4/F7 single bytes with PSIZE x8). Every
 * flasher fills a part-used unit with the erased value, so an image's end
 * mid-unit is no finding. What a bootloader writing records one by one gets
 * wrong is a start mid-unit (it writes the unit from the image's first
 * byte) and two pieces that share a unit (it writes that unit twice, which
 * ECC flash refuses): those are notes, named, once per image. */
static void write_units(struct lint *l)
{
    uint64_t w = 0, start_at = 0, gap_lo = 0, gap_hi = 0, prev_unit_end = 0;
    size_t starts = 0, gaps = 0;
    bool have_prev = false;
    for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
        const fw_chunk *c = fw_image_chunk(l->img, i);
        const fw_region *r = lint_memory_at(l, c->addr);
        if (!r || r->kind != FW_REGION_FLASH || r->write_size < 2) {
            have_prev = false;
            continue;
        }
        uint64_t unit = r->write_size, a = c->addr, e = c->addr + c->len;
        if (have_prev && a / unit * unit < prev_unit_end) {
            if (!gaps++) {
                gap_lo = fw_image_chunk(l->img, i - 1)->addr + fw_image_chunk(l->img, i - 1)->len;
                gap_hi = a;
                w = unit;
            }
        } else if (a % unit) {
            if (!starts++) {
                start_at = a;
                w = w ? w : unit;
            }
        }
        prev_unit_end = (e + unit - 1) / unit * unit;
        have_prev = true;
    }
    if (!starts && !gaps)
        return;
    char what[192];
    size_t n = 0;
    if (starts)
        n += (size_t)snprintf(what + n, sizeof(what) - n, "%s starts at 0x%08llx, mid-unit", starts > 1 ? "data" : "the data",
                              (unsigned long long)start_at);
    if (gaps)
        snprintf(what + n, sizeof(what) - n, "%sa gap at 0x%08llx-0x%08llx lies inside one unit%s",
                 n ? "; " : "", (unsigned long long)gap_lo, (unsigned long long)(gap_hi - 1),
                 gaps > 1 ? " (and more)" : "");
    fw_location loc = lint_where(l, gaps ? gap_hi : start_at);
    fw_diagnostic *d = lint_emit(l, "GRAN-WRITE", &loc,
                                 "%s flash programs whole %llu-byte units and %s: fwflash, st-flash, OpenOCD and "
                                 "STM32CubeProgrammer pad with 0x%02x; a bootloader that writes records one by one "
                                 "may not%s",
                                 l->t->name, (unsigned long long)w, what, l->erased,
                                 gaps ? ", and writing a unit twice is refused" : "");
    fw_diagnostic_set_hint(d, "for such a bootloader, fill the gap with fwconv --fill 0x%02x (or ALIGN(%llu) the "
                              "sections)",
                           l->erased, (unsigned long long)w);
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
