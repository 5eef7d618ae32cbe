/* SPDX-License-Identifier: MIT */
#include "fwkit/compare.h"

#include <string.h>

/* How many bytes from addr an image holds (present), or lacks (absent, up to
 * its next chunk or limit). */
static uint64_t stretch(const fw_image *img, uint64_t addr, uint64_t limit, const uint8_t **data)
{
    long i = fw_image_find(img, addr);
    if (i >= 0) {
        const fw_chunk *c = fw_image_chunk(img, (size_t)i);
        *data = c->data + (addr - c->addr);
        uint64_t end = c->addr + c->len;
        return (end < limit ? end : limit) - addr;
    }
    *data = NULL;
    uint64_t next = limit;
    /* chunks are sorted: the first one above addr */
    size_t lo = 0, hi = fw_image_chunk_count(img);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fw_image_chunk(img, mid)->addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < fw_image_chunk_count(img) && fw_image_chunk(img, lo)->addr < next)
        next = fw_image_chunk(img, lo)->addr;
    return next - addr;
}

struct walker {
    fw_diff_fn fn;
    void *user;
    fw_diff_totals *t;
    fw_diff_run run;
    bool open;
    int stop;
};

static void flush(struct walker *w)
{
    if (!w->open)
        return;
    w->t->runs[w->run.kind]++;
    if (w->fn && !w->stop)
        w->stop = w->fn(&w->run, w->user);
    w->open = false;
}

static void note(struct walker *w, fw_diff_kind k, uint64_t lo, uint64_t n, const uint8_t *a, const uint8_t *b)
{
    if (w->open && (w->run.kind != k || w->run.end != lo))
        flush(w);
    if (!w->open) {
        memset(&w->run, 0, sizeof(w->run));
        w->run.kind = k;
        w->run.lo = lo;
        w->run.end = lo;
        w->open = true;
    }
    for (uint64_t i = 0; k == FW_DIFF_CHANGED && w->run.nshown < 8 && i < n; i++) {
        w->run.a[w->run.nshown] = a[i];
        w->run.b[w->run.nshown] = b[i];
        w->run.nshown++;
    }
    w->run.end += n;
    if (k == FW_DIFF_CHANGED)
        w->t->changed += n;
    else if (k == FW_DIFF_ONLY_A)
        w->t->only_a += n;
    else
        w->t->only_b += n;
}

/* Both sides present over n bytes: runs of differing bytes. */
static void compare_bytes(struct walker *w, uint64_t addr, const uint8_t *a, const uint8_t *b, uint64_t n)
{
    uint64_t i = 0;
    while (i < n) {
        /* skip equal bytes fast */
        uint64_t block = n - i < 4096 ? n - i : 4096;
        if (!memcmp(a + i, b + i, (size_t)block)) {
            flush(w);
            i += block;
            continue;
        }
        uint64_t stop = i + block;
        while (i < stop) {
            if (a[i] == b[i]) {
                flush(w);
                i++;
                continue;
            }
            uint64_t j = i;
            while (j < stop && a[j] != b[j])
                j++;
            note(w, FW_DIFF_CHANGED, addr + i, j - i, a + i, b + i);
            i = j;
        }
    }
}

int fw_image_diff(const fw_image *a, const fw_image *b, uint64_t lo, uint64_t end, int fill, fw_diff_fn fn,
                  void *user, fw_diff_totals *totals)
{
    fw_diff_totals local = {0};
    struct walker w = {.fn = fn, .user = user, .t = totals ? totals : &local};
    memset(w.t, 0, sizeof(*w.t));
    uint8_t fillbuf[4096];
    memset(fillbuf, fill >= 0 ? fill : 0, sizeof(fillbuf));
    uint64_t addr = lo;
    /* start at the first data of either image inside the range */
    uint64_t la, lb, ea, eb;
    bool ha = fw_image_span(a, &la, &ea), hb = fw_image_span(b, &lb, &eb);
    if (!ha && !hb)
        return 0;
    uint64_t first = !ha ? lb : !hb ? la : la < lb ? la : lb;
    uint64_t last = !ha ? eb : !hb ? ea : ea > eb ? ea : eb;
    if (addr < first)
        addr = first;
    if (end > last)
        end = last;
    while (addr < end && !w.stop) {
        const uint8_t *pa, *pb;
        uint64_t na = stretch(a, addr, end, &pa), nb = stretch(b, addr, end, &pb);
        uint64_t n = na < nb ? na : nb;
        if (pa && pb) {
            compare_bytes(&w, addr, pa, pb, n);
        } else if (pa || pb) {
            if (fill < 0) {
                note(&w, pa ? FW_DIFF_ONLY_A : FW_DIFF_ONLY_B, addr, n, NULL, NULL);
            } else {
                /* compare the present side with the fill byte, a block at a time */
                for (uint64_t k = 0; k < n;) {
                    uint64_t m = n - k < sizeof(fillbuf) ? n - k : sizeof(fillbuf);
                    compare_bytes(&w, addr + k, pa ? pa + k : fillbuf, pb ? pb + k : fillbuf, m);
                    k += m;
                }
            }
        } else {
            flush(&w);
        }
        addr += n;
    }
    flush(&w);
    return w.t->changed || w.t->only_a || w.t->only_b ? 1 : 0;
}
