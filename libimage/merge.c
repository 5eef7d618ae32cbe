/* SPDX-License-Identifier: MIT */
/* Merging one image into another, byte provenance included. */
#include "fwkit/merge.h"
#include "fwkit/transform.h"
#include "image_internal.h"

#include <stdlib.h>

/* The end of the run of addresses from addr that into holds (present), or
 * that it lacks, up to limit. */
static uint64_t run_in(const fw_image *into, uint64_t addr, uint64_t limit, bool *present)
{
    long k = fw_image_find(into, addr);
    *present = k >= 0;
    if (k >= 0) {
        const fw_chunk *c = fw_image_chunk(into, (size_t)k);
        return c->addr + c->len < limit ? c->addr + c->len : limit;
    }
    for (size_t i = 0; i < into->n; i++)
        if (into->chunks[i].c.addr > addr)
            return into->chunks[i].c.addr < limit ? into->chunks[i].c.addr : limit;
    return limit;
}

/* Copies the bytes of from into into with their origins, span by span; each
 * byte once (spans of identical duplicates overlap), and with skip_present
 * only where into has nothing yet (the earlier input wins). */
static int add_with_origins(fw_image *into, const fw_image *from, bool skip_present)
{
    uint64_t done = 0; /* spans are sorted: bytes below this were added */
    bool any = false;
    for (size_t i = 0; i < from->nspans; i++) {
        const struct span *s = &from->spans[i];
        const struct source *src = &from->sources[s->source];
        int id = fw_image_source(into, src->file, src->section);
        if (id < 0)
            return id;
        uint64_t a = s->addr, end = s->addr + s->len;
        if (any && a < done)
            a = done;
        while (a < end) {
            long k = fw_image_find(from, a);
            if (k < 0)
                break;
            const fw_chunk *c = fw_image_chunk(from, (size_t)k);
            uint64_t stop = c->addr + c->len < end ? c->addr + c->len : end;
            bool present = false;
            if (skip_present)
                stop = run_in(into, a, stop, &present);
            if (!present) {
                uint64_t pos = s->stride ? s->pos + (a - s->anchor) / s->stride : s->pos + (a - s->anchor);
                int rc = fw_image_add(into, a, c->data + (a - c->addr), (size_t)(stop - a), id, pos, s->stride);
                if (rc)
                    return rc;
            }
            a = stop;
        }
        if (!any || end > done)
            done = end;
        any = true;
    }
    return FW_OK;
}

void fw_image_merge_mode(fw_image *img, fw_overlap_policy policy)
{
    img->merging = true;
    img->strict_overlap = policy == FW_OVERLAP_ERROR;
    img->input_first_seq = img->next_seq;
}

int fw_image_merge(fw_image *into, const fw_image *from, fw_overlap_policy policy, fw_diag *d)
{
    int rc = FW_OK;
    into->input_first_seq = into->next_seq;
    if (policy == FW_OVERLAP_LAST)
        for (size_t i = 0; i < from->n && rc == FW_OK; i++)
            rc = fw_image_exclude(into, from->chunks[i].c.addr, from->chunks[i].c.addr + from->chunks[i].c.len);
    if (rc == FW_OK)
        rc = add_with_origins(into, from, policy == FW_OVERLAP_FIRST);
    if (rc)
        return rc;
    into->strict_overlap = policy == FW_OVERLAP_ERROR;
    into->merging = true;
    rc = fw_image_finish(into, d);
    into->strict_overlap = into->merging = false;
    return rc;
}
