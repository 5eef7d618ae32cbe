/* SPDX-License-Identifier: MIT */
#include "fwkit/transform.h"
#include "image_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int fw_image_offset(fw_image *img, int64_t delta, fw_diag *d)
{
    uint64_t lo, end;
    if (fw_image_span(img, &lo, &end)) {
        bool under = delta < 0 && (uint64_t)-(delta + 1) + 1 > lo;
        bool over = delta > 0 && (uint64_t)delta > FW_ADDR_END - end;
        if (under || over) {
            fw_diag_add(d, FW_ERROR, "OFFSET-RANGE", NULL,
                        "offset %s0x%llx moves data at 0x%llx-0x%llx %s the address space",
                        delta < 0 ? "-" : "", (unsigned long long)(delta < 0 ? -(uint64_t)delta : (uint64_t)delta),
                        (unsigned long long)lo, (unsigned long long)(end - 1), under ? "below the start of" : "past the end of");
            return FW_ERANGE;
        }
    }
    for (size_t i = 0; i < img->n; i++)
        img->chunks[i].c.addr += (uint64_t)delta;
    for (size_t i = 0; i < img->nspans; i++) {
        img->spans[i].addr += (uint64_t)delta;
        img->spans[i].anchor += (uint64_t)delta;
    }
    if (img->start.kind != FW_START_NONE) {
        img->start.addr += (uint64_t)delta;
        img->start.kind = FW_START_LINEAR; /* CS:IP no longer describes it */
    }
    return FW_OK;
}

struct range {
    uint64_t lo, end;
};

/* Keeps the bytes inside any of the sorted, disjoint ranges. */
static int keep_ranges(fw_image *img, const struct range *keep, size_t nkeep)
{
    size_t cap = img->n * nkeep + 1;
    struct chunk_slot *out = calloc(cap, sizeof(*out));
    if (!out)
        return FW_ENOMEM;
    bool *reused = calloc(img->n + 1, sizeof(*reused));
    bool *copied = calloc(cap, sizeof(*copied));
    if (!reused || !copied) {
        free(reused);
        free(copied);
        free(out);
        return FW_ENOMEM;
    }
    size_t w = 0;
    for (size_t i = 0; i < img->n; i++) {
        struct chunk_slot *s = &img->chunks[i];
        uint64_t cend = s->c.addr + s->c.len;
        for (size_t k = 0; k < nkeep; k++) {
            uint64_t lo = s->c.addr > keep[k].lo ? s->c.addr : keep[k].lo;
            uint64_t hi = cend < keep[k].end ? cend : keep[k].end;
            if (lo >= hi)
                continue;
            struct chunk_slot *o = &out[w];
            *o = *s;
            if (lo == s->c.addr && hi == cend) {
                reused[i] = true;
            } else {
                o->c.data = malloc((size_t)(hi - lo));
                if (!o->c.data) {
                    /* leave the image as it was */
                    for (size_t j = 0; j < w; j++)
                        if (copied[j])
                            free(out[j].c.data);
                    free(reused);
                    free(copied);
                    free(out);
                    return FW_ENOMEM;
                }
                copied[w] = true;
                o->map = NULL;
                memcpy(o->c.data, s->c.data + (lo - s->c.addr), (size_t)(hi - lo));
                o->c.addr = lo;
                o->c.len = (size_t)(hi - lo);
                o->cap = o->c.len;
            }
            w++;
        }
    }
    for (size_t i = 0; i < img->n; i++)
        if (!reused[i])
            fw_chunk_slot_release(&img->chunks[i]);
    free(reused);
    free(copied);
    free(img->chunks);
    img->chunks = out;
    img->n = w;
    img->cap = cap;

    /* spans: clip the same way; the anchor keeps line arithmetic exact */
    struct span *sp = calloc(img->nspans * nkeep + 1, sizeof(*sp));
    if (!sp)
        return FW_ENOMEM;
    size_t ns = 0;
    for (size_t i = 0; i < img->nspans; i++) {
        const struct span *s = &img->spans[i];
        for (size_t k = 0; k < nkeep; k++) {
            uint64_t lo = s->addr > keep[k].lo ? s->addr : keep[k].lo;
            uint64_t hi = s->addr + s->len < keep[k].end ? s->addr + s->len : keep[k].end;
            if (lo >= hi)
                continue;
            sp[ns] = *s;
            sp[ns].addr = lo;
            sp[ns].len = hi - lo;
            ns++;
        }
    }
    free(img->spans);
    img->spans = sp;
    img->nspans = img->capspans = ns;
    if (!ns)
        img->capspans = 1;
    return FW_OK;
}

int fw_image_crop(fw_image *img, uint64_t lo, uint64_t end)
{
    struct range r = {lo, end};
    return keep_ranges(img, &r, lo < end ? 1 : 0);
}

int fw_image_put(fw_image *img, uint64_t addr, const void *bytes, size_t len, const char *origin)
{
    if (addr + len < addr)
        return FW_ERANGE;
    int rc = fw_image_exclude(img, addr, addr + len);
    if (rc)
        return rc;
    int src = fw_image_source(img, origin, NULL);
    if (src < 0)
        return src;
    rc = fw_image_add(img, addr, bytes, len, src, 0, 0);
    return rc ? rc : fw_image_finish(img, NULL);
}

int fw_image_exclude(fw_image *img, uint64_t lo, uint64_t end)
{
    if (lo >= end)
        return FW_OK;
    struct range r[2] = {{0, lo}, {end, FW_ADDR_END}};
    return keep_ranges(img, r, 2);
}

int fw_image_fill(fw_image *img, uint64_t lo, uint64_t end, const uint8_t *pattern, size_t plen)
{
    if (lo >= end || !plen)
        return FW_EINVAL;
    int src = fw_image_source(img, "<fill>", NULL);
    if (src < 0)
        return src;
    /* the gaps, found first: adding bytes changes the chunk list */
    size_t cap = img->n + 1, ngaps = 0;
    struct range *gaps = malloc(cap * sizeof(*gaps));
    if (!gaps)
        return FW_ENOMEM;
    uint64_t a = lo;
    for (size_t i = 0; i < img->n && a < end; i++) {
        const fw_chunk *c = &img->chunks[i].c;
        if (c->addr + c->len <= a)
            continue;
        if (c->addr > a)
            gaps[ngaps++] = (struct range){a, c->addr < end ? c->addr : end};
        a = c->addr + c->len;
    }
    if (a < end)
        gaps[ngaps++] = (struct range){a, end};
    int rc = FW_OK;
    for (size_t g = 0; g < ngaps && rc == FW_OK; g++) {
        uint8_t *w;
        rc = fw_image_reserve(img, gaps[g].lo, (size_t)(gaps[g].end - gaps[g].lo), src, gaps[g].lo, 0, &w);
        for (uint64_t k = 0; rc == FW_OK && k < gaps[g].end - gaps[g].lo; k++)
            w[k] = pattern[(gaps[g].lo + k - lo) % plen];
    }
    free(gaps);
    return rc ? rc : fw_image_finish(img, NULL);
}

int fw_image_pad(fw_image *img, uint64_t align, uint8_t fill, bool each_chunk)
{
    if (!align || (align & (align - 1)))
        return FW_EINVAL;
    size_t n = img->n;
    uint64_t *ends = malloc((n + 1) * sizeof(*ends));
    if (!ends)
        return FW_ENOMEM;
    for (size_t i = 0; i < n; i++)
        ends[i] = img->chunks[i].c.addr + img->chunks[i].c.len;
    int rc = FW_OK;
    for (size_t i = each_chunk ? 0 : (n ? n - 1 : 0); i < n && rc == FW_OK; i++) {
        uint64_t to = (ends[i] + align - 1) & ~(align - 1);
        if (i + 1 < n && to > img->chunks[i + 1].c.addr)
            to = img->chunks[i + 1].c.addr; /* never over the next chunk */
        if (to > ends[i])
            rc = fw_image_fill(img, ends[i], to, &fill, 1);
    }
    free(ends);
    return rc;
}

int fw_image_byteswap(fw_image *img, unsigned width, fw_diag *d)
{
    if (width != 2 && width != 4)
        return FW_EINVAL;
    for (size_t i = 0; i < img->n; i++) {
        const fw_chunk *c = &img->chunks[i].c;
        if (c->addr % width || c->len % width) {
            fw_location loc = {0};
            fw_image_location_at(img, c->addr, &loc);
            fw_diag_add(d, FW_ERROR, "BYTESWAP", &loc,
                        "data at 0x%08llx-0x%08llx does not start and end on %u-byte units: pad or crop it first",
                        (unsigned long long)c->addr, (unsigned long long)(c->addr + c->len - 1), width);
            return FW_ERANGE;
        }
    }
    for (size_t i = 0; i < img->n; i++) {
        uint8_t *p = img->chunks[i].c.data;
        for (size_t k = 0; k < img->chunks[i].c.len; k += width)
            for (unsigned j = 0; j < width / 2; j++) {
                uint8_t t = p[k + j];
                p[k + j] = p[k + width - 1 - j];
                p[k + width - 1 - j] = t;
            }
    }
    return FW_OK;
}

fw_image *fw_image_slice(const fw_image *img, uint64_t lo, uint64_t end)
{
    fw_image *c = fw_image_clone(img);
    if (c && fw_image_crop(c, lo, end) != FW_OK) {
        fw_image_free(c);
        return NULL;
    }
    return c;
}
