/* SPDX-License-Identifier: MIT */
/* H. files of one build that disagree: a stale HEX, a buggy HEX writer, a
 * raw binary without its address. */
#include "lint_internal.h"
#include "fwkit/bytes.h"

#include <stdio.h>
#include <stdlib.h>
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

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static size_t count_below(const uint32_t *v, size_t n, uint64_t limit)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < limit)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Where a raw binary was linked, from its own words. Its vector table (the
 * reset handler and the other handlers: Thumb addresses in flash, after
 * the table, inside the file) bounds the base; of the flash-page-aligned
 * bases in those bounds, the linked one holds the most of the file's words
 * that point into the file (literal pools, the vector table, .data's load
 * address): a wrong base loses the pointers at one end. The best bases
 * (up to max, more than one on a tie), or none (too few handlers). */
static size_t infer_base(const struct lint *l, const fw_chunk *c, uint64_t *out, size_t max)
{
    uint64_t flo, fend;
    if (!l->flash || !fw_target_flash_span(l->t, &flo, &fend) || c->len < 64)
        return 0;
    size_t nwords = c->len / 4;
    uint64_t hmin = UINT64_MAX, hmax = 0, table = 8;
    size_t handlers = 0;
    for (size_t i = 1; i < nwords && i < 256; i++) {
        uint32_t w = fw_get_le32(c->data + 4 * i);
        if (w == 0 || (lint_vector_reserved(l, i) && !(w & 1))) {
            table = 4 * (i + 1);
            continue;
        }
        if (!(w & 1) || w < flo || w >= fend)
            break;
        uint64_t h = w & ~1u;
        hmin = h < hmin ? h : hmin;
        hmax = h > hmax ? h : hmax;
        handlers++;
        table = 4 * (i + 1);
    }
    if (handlers < 2 || hmin < table)
        return 0;
    uint64_t lo = hmax + 1 > c->len ? hmax + 1 - c->len : 0, hi = hmin - table;
    if (lo < flo)
        lo = flo;
    uint64_t page = l->flash->erase_size ? l->flash->erase_size : 1024;
    uint64_t first = (lo + page - 1) / page * page;
    if (first > hi)
        return 0;
    uint32_t *ptr = malloc(nwords * sizeof(*ptr));
    if (!ptr)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < nwords; i++) {
        uint32_t w = fw_get_le32(c->data + 4 * i);
        if (w >= flo && w < fend + c->len)
            ptr[n++] = w;
    }
    qsort(ptr, n, sizeof(*ptr), cmp_u32);
    size_t best = 0, nbest = 0;
    for (uint64_t b = first; b <= hi; b += page) {
        size_t score = count_below(ptr, n, b + c->len) - count_below(ptr, n, b);
        if (score > best) {
            best = score;
            nbest = 0;
        }
        if (score == best && score) {
            if (nbest < max)
                out[nbest] = b;
            nbest++;
        }
    }
    free(ptr);
    /* on a tie, the roundest base: a linker script's ORIGIN, a scatter
     * file's load region, an .icf's region start are round numbers */
    if (nbest > 1 && nbest <= max) {
        size_t roundest = 0, ties = 0;
        for (size_t i = 1; i < nbest; i++) {
            int a = __builtin_ctzll(out[i]), b = __builtin_ctzll(out[roundest]);
            if (a > b) {
                roundest = i;
                ties = 0;
            } else if (a == b) {
                ties++;
            }
        }
        if (!ties) {
            out[0] = out[roundest];
            nbest = 1;
        }
    }
    return nbest;
}

static void bin_base(struct lint *l)
{
    const fw_lint_artifact *a = &l->in->main;
    if ((fw_image_format(l->img) != FW_FMT_BIN && !a->bin_without_base && !a->base_assumed) ||
        fw_image_is_empty(l->img))
        return;
    fw_location loc = {.file = l->path};
    const fw_chunk *c = fw_image_chunk(l->img, 0);
    uint64_t linked[3];
    size_t nlinked = !a->bin_without_base && l->in->target ? infer_base(l, c, linked, 3) : 0;
    bool here = false;
    for (size_t i = 0; i < nlinked && i < 3; i++)
        here |= linked[i] == c->addr;
    if (nlinked && !here) {
        char list[96];
        size_t k = 0;
        for (size_t i = 0; i < nlinked && i < 3; i++)
            k += (size_t)snprintf(list + k, sizeof(list) - k, "%s0x%08llx", i ? (i + 1 == nlinked ? " or " : ", ") : "",
                                  (unsigned long long)linked[i]);
        fw_diagnostic *e = lint_emit(l, "ART-BIN-BASE", &loc,
                                     "this binary looks linked at %s%s, not at 0x%08llx where it was %s: its vector "
                                     "table and the addresses in its code point there",
                                     list, nlinked > 3 ? " (or another page)" : "", (unsigned long long)c->addr,
                                     a->base_assumed ? "assumed (no --base)" : "placed by --base");
        if (nlinked == 1)
            fw_diagnostic_set_hint(e, "pass --base 0x%08llx", (unsigned long long)linked[0]);
        else
            fw_diagnostic_set_hint(e, "pass --base with the address its linker script (or scatter file, or .icf) "
                                      "gives the flash region, probably 0x%08llx",
                                   (unsigned long long)linked[0]);
        return;
    }
    if (a->base_assumed) {
        /* BIN-BASE, the reader's note, so that a gate that raises
         * ART-BIN-BASE refuses contradictions, not every binary */
        fw_diagnostic *e = lint_emit_as(l, FW_NOTE, "BIN-BASE", &loc,
                                        "a raw binary holds no address: it was placed at 0x%08llx, the start of "
                                        "%s's flash, as no --base was given",
                                        (unsigned long long)c->addr, l->t->name);
        fw_diagnostic_set_hint(e, "flash it at the same address (fwflash assumes the same), or pass --base");
        return;
    }
    if (!a->bin_without_base)
        return;
    uint32_t reset;
    if (l->flash && lint_word(l, c->addr + 4, &reset) && (reset & 1) && (reset & ~1u) >= l->flash->base &&
        (reset & ~1u) - l->flash->base < l->flash->size) {
        fw_diagnostic *e = lint_emit(l, "ART-BIN-BASE", &loc,
                                     "a raw binary has no address and none was given, so it was placed at 0x%08llx; "
                                     "its reset vector 0x%08x says it belongs in flash at 0x%08llx",
                                     (unsigned long long)c->addr, reset, (unsigned long long)l->flash->base);
        fw_diagnostic_set_hint(e, "pass --base 0x%08llx", (unsigned long long)l->flash->base);
        return;
    }
    fw_diagnostic *e = lint_emit(l, "ART-BIN-BASE", &loc,
                                 "a raw binary has no address and none was given, so it was placed at 0x%08llx",
                                 (unsigned long long)c->addr);
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
