/* SPDX-License-Identifier: MIT */
/* H. files of one build that disagree: a stale HEX, a buggy HEX writer, a
 * raw binary without its address. */
#include "lint_internal.h"

#include <stdio.h>
#include <string.h>

/* Whether every byte of img at addr+delta equals elf at addr, and the sizes match. */
static bool shifted_equal(const fw_image *elf, const fw_image *img, int64_t delta)
{
    if (fw_image_data_size(elf) != fw_image_data_size(img))
        return false;
    for (size_t i = 0; i < fw_image_chunk_count(elf); i++) {
        const fw_chunk *c = fw_image_chunk(elf, i);
        for (size_t k = 0; k < c->len; k++) {
            uint8_t b;
            if (!fw_image_read(img, c->addr + k + (uint64_t)delta, &b, 1) || b != c->data[k])
                return false;
        }
    }
    return true;
}

/* The classic ELA bug: the upper address halfword written byte-swapped. */
static bool swapped_ela_equal(const fw_image *elf, const fw_image *img)
{
    if (fw_image_data_size(elf) != fw_image_data_size(img))
        return false;
    for (size_t i = 0; i < fw_image_chunk_count(elf); i++) {
        const fw_chunk *c = fw_image_chunk(elf, i);
        for (size_t k = 0; k < c->len; k++) {
            uint64_t a = c->addr + k;
            uint64_t upper = (a >> 16) & 0xFFFF;
            uint64_t swapped = ((upper & 0xFF) << 8 | upper >> 8) << 16 | (a & 0xFFFF);
            uint8_t b;
            if (swapped == a || !fw_image_read(img, swapped, &b, 1) || b != c->data[k])
                return false;
        }
    }
    return true;
}

/* The first address where the derived file misses or changes the ELF's bytes
 * (for a raw binary, its fill between ELF sections is allowed). */
static bool first_difference(const fw_image *elf, const fw_image *img, bool bin, uint64_t *at)
{
    if (!bin)
        return fw_image_compare(elf, img, at) != 0;
    for (size_t i = 0; i < fw_image_chunk_count(elf); i++) {
        const fw_chunk *c = fw_image_chunk(elf, i);
        for (size_t k = 0; k < c->len; k++) {
            uint8_t b;
            if (!fw_image_read(img, c->addr + k, &b, 1) || b != c->data[k]) {
                *at = c->addr + k;
                return true;
            }
        }
    }
    return false;
}

static void compare(struct lint *l, const fw_lint_artifact *elf, const fw_lint_artifact *other)
{
    fw_format f = fw_image_format(other->image);
    uint64_t at;
    if (!first_difference(elf->image, other->image, f == FW_FMT_BIN, &at))
        return;
    fw_location loc = {.file = other->path};
    uint64_t lo_e, lo_o;
    if (f == FW_FMT_IHEX && swapped_ela_equal(elf->image, other->image)) {
        lint_emit(l, "ART-HEX-WRITER", &loc,
                  "%s holds %s's data with every extended linear address byte-swapped (0x0800 written as 0x0008): "
                  "the tool that wrote it is broken",
                  other->path, elf->path);
        return;
    }
    if (fw_image_span(elf->image, &lo_e, NULL) && fw_image_span(other->image, &lo_o, NULL) && lo_o != lo_e &&
        shifted_equal(elf->image, other->image, (int64_t)(lo_o - lo_e))) {
        lint_emit(l, f == FW_FMT_BIN ? "ART-BIN-BASE" : "ART-HEX-WRITER", &loc,
                  "%s holds %s's data moved from 0x%08llx to 0x%08llx", other->path, elf->path,
                  (unsigned long long)lo_e, (unsigned long long)lo_o);
        return;
    }
    uint8_t a = 0, b = 0;
    bool ha = fw_image_read(elf->image, at, &a, 1), hb = fw_image_read(other->image, at, &b, 1);
    char detail[96];
    if (ha && hb)
        snprintf(detail, sizeof(detail), "0x%02x in %s, 0x%02x in the ELF", b, other->path, a);
    else
        snprintf(detail, sizeof(detail), "present only in %s", ha ? "the ELF" : other->path);
    char older[96] = "";
    if (elf->has_mtime && other->has_mtime && other->mtime.tv_sec < elf->mtime.tv_sec)
        snprintf(older, sizeof(older), "; it is %lld s older than the ELF",
                 (long long)(elf->mtime.tv_sec - other->mtime.tv_sec));
    fw_location where = lint_where(l, at);
    if (fw_image_location_at(other->image, at, &where) == false)
        where = loc;
    fw_diagnostic *e = lint_emit(l, "ART-STALE", &where,
                                 "%s does not hold %s's data: first difference at 0x%08llx (%s)%s", other->path,
                                 elf->path, (unsigned long long)at, detail, older);
    fw_diagnostic_set_hint(e, "regenerate it from the ELF (a stale or cached file gets flashed otherwise)");
}

static void bin_base(struct lint *l)
{
    if (!l->in->main.bin_without_base || fw_image_is_empty(l->img))
        return;
    fw_location loc = {.file = l->path};
    uint32_t reset;
    if (l->flash && lint_word(l, fw_image_chunk(l->img, 0)->addr + 4, &reset) && (reset & 1) &&
        (reset & ~1u) >= l->flash->base && (reset & ~1u) - l->flash->base < l->flash->size) {
        fw_diagnostic *e = lint_emit(l, "ART-BIN-BASE", &loc,
                                     "a raw binary has no address and none was given, so it was placed at 0x%08llx; "
                                     "its reset vector 0x%08x says it belongs in flash at 0x%08llx",
                                     (unsigned long long)fw_image_chunk(l->img, 0)->addr, reset,
                                     (unsigned long long)l->flash->base);
        fw_diagnostic_set_hint(e, "pass --base 0x%08llx", (unsigned long long)l->flash->base);
        return;
    }
    fw_diagnostic *e = lint_emit(l, "ART-BIN-BASE", &loc,
                                 "a raw binary has no address and none was given, so it was placed at 0x%08llx",
                                 (unsigned long long)fw_image_chunk(l->img, 0)->addr);
    fw_diagnostic_set_hint(e, "pass --base with the address it is flashed at");
}

void lint_artifact_rules(struct lint *l)
{
    bin_base(l);
    const fw_lint_artifact *all[1 + 8];
    size_t n = 0;
    all[n++] = &l->in->main;
    for (size_t i = 0; i < l->in->nothers && n < 9; i++)
        all[n++] = &l->in->others[i];
    const fw_lint_artifact *elf = NULL;
    for (size_t i = 0; i < n; i++)
        if (fw_image_elf(all[i]->image))
            elf = all[i];
    if (!elf)
        return;
    for (size_t i = 0; i < n; i++)
        if (all[i] != elf && !fw_image_elf(all[i]->image))
            compare(l, elf, all[i]);
}
