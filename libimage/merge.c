/* Merging one image into another, byte provenance included. */
#include "fwkit/merge.h"
#include "fwkit/transform.h"
#include "image_internal.h"

#include <stdlib.h>

/* Copies every span of from (its bytes, source, line or offset) into into. */
static int add_with_origins(fw_image *into, const fw_image *from)
{
    for (size_t i = 0; i < from->nspans; i++) {
        const struct span *s = &from->spans[i];
        const struct source *src = &from->sources[s->source];
        int id = fw_image_source(into, src->file, src->section);
        if (id < 0)
            return id;
        /* a span may cover bytes a later span of a duplicate also covers; take
         * each byte once, from the chunk that holds it */
        uint64_t a = s->addr, end = s->addr + s->len;
        while (a < end) {
            long k = fw_image_find(from, a);
            if (k < 0)
                break;
            const fw_chunk *c = fw_image_chunk(from, (size_t)k);
            uint64_t stop = c->addr + c->len < end ? c->addr + c->len : end;
            uint64_t pos = s->stride ? s->pos + (a - s->anchor) / s->stride : s->pos + (a - s->anchor);
            int rc = fw_image_add(into, a, c->data + (a - c->addr), (size_t)(stop - a), id, pos,
                                  s->stride);
            if (rc)
                return rc;
            a = stop;
        }
    }
    return FW_OK;
}

int fw_image_merge(fw_image *into, const fw_image *from, fw_overlap_policy policy, fw_diag *d)
{
    fw_image *src = fw_image_clone(from);
    if (!src)
        return FW_ENOMEM;
    int rc = FW_OK;
    /* keep each span once: overlapping duplicate spans of one file were
     * resolved when it was read */
    for (size_t i = 1; i < src->nspans; i++)
        if (src->spans[i].addr < src->spans[i - 1].addr + src->spans[i - 1].len) {
            uint64_t cut = src->spans[i - 1].addr + src->spans[i - 1].len - src->spans[i].addr;
            if (cut >= src->spans[i].len)
                src->spans[i].len = 0;
            else {
                src->spans[i].addr += cut;
                src->spans[i].len -= cut;
            }
        }
    if (policy == FW_OVERLAP_FIRST) {
        for (size_t i = 0; i < into->n && rc == FW_OK; i++)
            rc = fw_image_exclude(src, into->chunks[i].c.addr, into->chunks[i].c.addr + into->chunks[i].c.len);
    } else if (policy == FW_OVERLAP_LAST) {
        for (size_t i = 0; i < src->n && rc == FW_OK; i++)
            rc = fw_image_exclude(into, src->chunks[i].c.addr, src->chunks[i].c.addr + src->chunks[i].c.len);
    }
    if (rc == FW_OK)
        rc = add_with_origins(into, src);
    fw_image_free(src);
    if (rc)
        return rc;
    into->strict_overlap = policy == FW_OVERLAP_ERROR;
    into->merging = true;
    rc = fw_image_finish(into, d);
    into->strict_overlap = into->merging = false;
    return rc;
}
