/* SPDX-License-Identifier: MIT */
#include "fwkit/image.h"
#include "image_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

static uint8_t empty_byte;

fw_image *fw_image_new(void)
{
    fw_image *img = calloc(1, sizeof(*img));
    if (img)
        img->sorted = true;
    return img;
}

void fw_elf_info_free(fw_elf_info *info)
{
    if (!info)
        return;
    for (size_t i = 0; i < info->nsections; i++)
        free(info->sections[i].name);
    free(info->sections);
    free(info->segments);
    free(info->build_id);
    for (size_t i = 0; i < info->nsymbols; i++)
        free(info->symbols[i].name);
    free(info->symbols);
    free(info->attributes.riscv_arch);
    free(info->comment);
    free(info);
}

const fw_elf_symbol *fw_elf_symbol_named(const fw_elf_info *e, const char *name)
{
    for (size_t i = 0; e && i < e->nsymbols; i++)
        if (!strcmp(e->symbols[i].name, name))
            return &e->symbols[i];
    return NULL;
}

const fw_elf_symbol *fw_elf_function_at(const fw_elf_info *e, uint64_t addr)
{
    for (size_t i = 0; e && i < e->nsymbols; i++) {
        const fw_elf_symbol *s = &e->symbols[i];
        uint64_t start = s->value & ~1ull;
        if (s->type == 2 /* STT_FUNC */ && s->name[0] && addr >= start &&
            (s->size ? addr - start < s->size : addr == start))
            return s;
    }
    return NULL;
}

const fw_elf_section *fw_elf_section_named(const fw_elf_info *e, const char *name)
{
    for (size_t i = 0; e && i < e->nsections; i++)
        if (!strcmp(e->sections[i].name, name))
            return &e->sections[i];
    return NULL;
}

void fw_image_free(fw_image *img)
{
    if (!img)
        return;
    for (size_t i = 0; i < img->n; i++)
        fw_chunk_slot_release(&img->chunks[i]);
    free(img->chunks);
    free(img->spans);
    for (size_t i = 0; i < img->nsources; i++) {
        free(img->sources[i].file);
        free(img->sources[i].section);
    }
    free(img->sources);
    free(img->header);
    fw_elf_info_free(img->elf);
    free(img);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static fw_elf_info *elf_info_clone(const fw_elf_info *e)
{
    fw_elf_info *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    *c = *e;
    c->sections = NULL;
    c->segments = NULL;
    c->build_id = NULL;
    c->symbols = NULL;
    c->attributes.riscv_arch = NULL;
    c->comment = NULL;
    c->nsections = c->nsegments = c->build_id_len = c->nsymbols = 0;
    if (e->attributes.riscv_arch && !(c->attributes.riscv_arch = strdup(e->attributes.riscv_arch)))
        goto fail;
    if (e->comment && !(c->comment = strdup(e->comment)))
        goto fail;
    if (e->nsymbols) {
        if (!(c->symbols = calloc(e->nsymbols, sizeof(*c->symbols))))
            goto fail;
        for (size_t i = 0; i < e->nsymbols; i++, c->nsymbols++) {
            c->symbols[i] = e->symbols[i];
            if (!(c->symbols[i].name = strdup(e->symbols[i].name)))
                goto fail;
        }
    }
    if (e->nsections) {
        if (!(c->sections = calloc(e->nsections, sizeof(*c->sections))))
            goto fail;
        for (size_t i = 0; i < e->nsections; i++, c->nsections++) {
            c->sections[i] = e->sections[i];
            if (!(c->sections[i].name = dup_or_null(e->sections[i].name)) && e->sections[i].name)
                goto fail;
        }
    }
    if (e->nsegments) {
        if (!(c->segments = malloc(e->nsegments * sizeof(*c->segments))))
            goto fail;
        memcpy(c->segments, e->segments, e->nsegments * sizeof(*c->segments));
        c->nsegments = e->nsegments;
    }
    if (e->build_id_len) {
        if (!(c->build_id = malloc(e->build_id_len)))
            goto fail;
        memcpy(c->build_id, e->build_id, e->build_id_len);
        c->build_id_len = e->build_id_len;
    }
    return c;
fail:
    fw_elf_info_free(c);
    return NULL;
}

fw_image *fw_image_clone(const fw_image *img)
{
    fw_image *c = fw_image_new();
    if (!c)
        return NULL;
    c->format = img->format;
    c->start = img->start;
    c->sorted = img->sorted;
    if (img->header && !(c->header = strdup(img->header)))
        goto fail;
    if (img->elf && !(c->elf = elf_info_clone(img->elf)))
        goto fail;
    if (img->n) {
        if (!(c->chunks = calloc(img->n, sizeof(*c->chunks))))
            goto fail;
        c->cap = img->n;
        for (size_t i = 0; i < img->n; i++) {
            const struct chunk_slot *s = &img->chunks[i];
            struct chunk_slot *d = &c->chunks[i];
            *d = *s;
            d->map = NULL;
            d->cap = s->c.len;
            d->c.data = s->c.len ? malloc(s->c.len) : &empty_byte;
            if (!d->c.data) {
                c->n = i;
                goto fail;
            }
            memcpy(d->c.data, s->c.data, s->c.len);
        }
        c->n = img->n;
    }
    if (img->nspans) {
        if (!(c->spans = malloc(img->nspans * sizeof(*c->spans))))
            goto fail;
        memcpy(c->spans, img->spans, img->nspans * sizeof(*c->spans));
        c->nspans = c->capspans = img->nspans;
    }
    for (size_t i = 0; i < img->nsources; i++)
        if (fw_image_source(c, img->sources[i].file, img->sources[i].section) < 0)
            goto fail;
    c->next_seq = img->next_seq;
    return c;
fail:
    fw_image_free(c);
    return NULL;
}

size_t fw_image_chunk_count(const fw_image *img)
{
    return img->n;
}

const fw_chunk *fw_image_chunk(const fw_image *img, size_t i)
{
    return i < img->n ? &img->chunks[i].c : NULL;
}

uint64_t fw_image_data_size(const fw_image *img)
{
    uint64_t t = 0;
    for (size_t i = 0; i < img->n; i++)
        t += img->chunks[i].c.len;
    return t;
}

bool fw_image_is_empty(const fw_image *img)
{
    return img->n == 0;
}

bool fw_image_span(const fw_image *img, uint64_t *lo, uint64_t *end)
{
    if (!img->n)
        return false;
    const fw_chunk *last = &img->chunks[img->n - 1].c;
    if (lo)
        *lo = img->chunks[0].c.addr;
    if (end)
        *end = last->addr + last->len;
    return true;
}

long fw_image_find(const fw_image *img, uint64_t addr)
{
    size_t lo = 0, hi = img->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const fw_chunk *c = &img->chunks[mid].c;
        if (addr < c->addr)
            hi = mid;
        else if (addr - c->addr >= c->len)
            lo = mid + 1;
        else
            return (long)mid;
    }
    return -1;
}

bool fw_image_read(const fw_image *img, uint64_t addr, void *out, size_t n)
{
    uint8_t *o = out;
    while (n) {
        long i = fw_image_find(img, addr);
        if (i < 0)
            return false;
        const fw_chunk *c = &img->chunks[i].c;
        size_t off = (size_t)(addr - c->addr);
        size_t take = c->len - off < n ? c->len - off : n;
        memcpy(o, c->data + off, take);
        o += take;
        addr += take;
        n -= take;
    }
    return true;
}

uint32_t fw_image_crc32(const fw_image *img)
{
    uLong crc = crc32_z(0L, Z_NULL, 0);
    for (size_t i = 0; i < img->n; i++)
        crc = crc32_z(crc, img->chunks[i].c.data, img->chunks[i].c.len);
    return (uint32_t)crc;
}

int fw_image_compare(const fw_image *a, const fw_image *b, uint64_t *first_diff)
{
    size_t i = 0, j = 0, oa = 0, ob = 0;
    while (i < a->n && j < b->n) {
        const fw_chunk *ca = &a->chunks[i].c, *cb = &b->chunks[j].c;
        uint64_t pa = ca->addr + oa, pb = cb->addr + ob;
        if (pa != pb) {
            if (first_diff)
                *first_diff = pa < pb ? pa : pb;
            return 1;
        }
        size_t n = ca->len - oa < cb->len - ob ? ca->len - oa : cb->len - ob;
        if (memcmp(ca->data + oa, cb->data + ob, n)) {
            size_t k = 0;
            while (ca->data[oa + k] == cb->data[ob + k])
                k++;
            if (first_diff)
                *first_diff = pa + k;
            return 1;
        }
        oa += n;
        ob += n;
        if (oa == ca->len) {
            i++;
            oa = 0;
        }
        if (ob == cb->len) {
            j++;
            ob = 0;
        }
    }
    if (i < a->n || j < b->n) {
        if (first_diff)
            *first_diff = i < a->n ? a->chunks[i].c.addr + oa : b->chunks[j].c.addr + ob;
        return 1;
    }
    return 0;
}

/* --- provenance --- */

static void span_origin(const fw_image *img, const struct span *s, uint64_t addr, fw_origin *out)
{
    memset(out, 0, sizeof(*out));
    out->file = img->sources[s->source].file;
    out->section = img->sources[s->source].section;
    if (s->stride) {
        out->has_line = true;
        out->line = s->pos + (addr - s->anchor) / s->stride;
    } else {
        out->has_offset = true;
        out->offset = s->pos + (addr - s->anchor);
    }
}

static bool span_has(const struct span *s, uint64_t addr)
{
    return addr >= s->addr && addr - s->addr < s->len;
}

bool fw_image_origin_at(const fw_image *img, uint64_t addr, fw_origin *out)
{
    uint64_t run_end;
    return fw_image_origin_run(img, addr, out, &run_end);
}

bool fw_image_origin_run(const fw_image *img, uint64_t addr, fw_origin *out, uint64_t *run_end)
{
    if (fw_image_find(img, addr) < 0 || !img->nspans)
        return false;
    /* spans are sorted by address once the image is finished */
    size_t lo = 0, hi = img->nspans;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->spans[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* lo-1 is the last span starting at or below addr; overlapping spans
     * (identical duplicates) may hide the covering one a little earlier */
    for (size_t k = lo, steps = 0; k > 0 && steps < 64; k--, steps++) {
        if (span_has(&img->spans[k - 1], addr)) {
            span_origin(img, &img->spans[k - 1], addr, out);
            *run_end = img->spans[k - 1].addr + img->spans[k - 1].len;
            return true;
        }
    }
    return false;
}

void fw_origin_to_location(const fw_origin *o, fw_location *loc)
{
    memset(loc, 0, sizeof(*loc));
    loc->file = o->file;
    loc->section = o->section;
    if (o->has_line)
        loc->line = o->line;
    loc->has_offset = o->has_offset;
    loc->offset = o->offset;
}

bool fw_image_location_at(const fw_image *img, uint64_t addr, fw_location *out)
{
    fw_origin o;
    if (!fw_image_origin_at(img, addr, &o))
        return false;
    fw_origin_to_location(&o, out);
    return true;
}

/* The place of addr within the bytes that one reading step (seq) added. */
static bool seq_location(const fw_image *img, uint64_t addr, size_t seq, bool same, fw_location *out,
                         size_t *found_seq)
{
    for (size_t k = 0; k < img->nspans; k++) {
        const struct span *s = &img->spans[k];
        if ((s->seq == seq) == same && span_has(s, addr)) {
            fw_origin o;
            span_origin(img, s, addr, &o);
            fw_origin_to_location(&o, out);
            if (found_seq)
                *found_seq = s->seq;
            return true;
        }
    }
    memset(out, 0, sizeof(*out));
    return false;
}

/* --- metadata --- */

fw_format fw_image_format(const fw_image *img) { return img->format; }
void fw_image_set_format(fw_image *img, fw_format f) { img->format = f; }
const char *fw_image_path(const fw_image *img) { return img->nsources ? img->sources[0].file : NULL; }
const fw_start *fw_image_start(const fw_image *img) { return &img->start; }
void fw_image_set_start(fw_image *img, const fw_start *s) { img->start = *s; }
const char *fw_image_header(const fw_image *img) { return img->header; }
const fw_elf_info *fw_image_elf(const fw_image *img) { return img->elf; }

void fw_image_set_elf(fw_image *img, fw_elf_info *info)
{
    fw_elf_info_free(img->elf);
    img->elf = info;
}

int fw_image_set_header(fw_image *img, const char *text, size_t len)
{
    char *h = malloc(len + 1);
    if (!h)
        return FW_ENOMEM;
    memcpy(h, text, len);
    h[len] = 0;
    free(img->header);
    img->header = h;
    return FW_OK;
}

/* --- building --- */

int fw_image_source(fw_image *img, const char *file, const char *section)
{
    for (size_t i = 0; i < img->nsources; i++) {
        const struct source *s = &img->sources[i];
        if ((s->file == file || (s->file && file && !strcmp(s->file, file))) &&
            (s->section == section || (s->section && section && !strcmp(s->section, section))))
            return (int)i;
    }
    if (img->nsources == img->capsources) {
        size_t cap = img->capsources ? img->capsources * 2 : 4;
        struct source *s = realloc(img->sources, cap * sizeof(*s));
        if (!s)
            return FW_ENOMEM;
        img->sources = s;
        img->capsources = cap;
    }
    struct source *s = &img->sources[img->nsources];
    s->file = dup_or_null(file);
    s->section = dup_or_null(section);
    if ((file && !s->file) || (section && !s->section)) {
        free(s->file);
        free(s->section);
        return FW_ENOMEM;
    }
    return (int)img->nsources++;
}

/* Whether bytes [addr, addr+len) from source at pos continue span s: a run of
 * equal-length records on consecutive lines maps by division, binary data
 * (stride 0) by offset. */
static inline bool span_extends(const struct span *s, uint64_t addr, size_t len, int source, uint64_t pos,
                                uint32_t stride, size_t seq)
{
    return s->next_pos == pos && s->addr + s->len == addr && s->source == (uint32_t)source &&
           s->stride == stride && s->seq == seq && s->anchor == s->addr &&
           (stride == 0 || (s->open && len <= stride));
}

static inline void span_extend(struct span *s, size_t len, uint64_t pos)
{
    s->len += len;
    s->next_pos = s->stride ? pos + 1 : pos + len;
    s->open = len == s->stride;
}

static int add_span(fw_image *img, uint64_t addr, size_t len, int source, uint64_t pos,
                    uint32_t stride, size_t seq)
{
    if (img->nspans && span_extends(&img->spans[img->nspans - 1], addr, len, source, pos, stride, seq)) {
        span_extend(&img->spans[img->nspans - 1], len, pos);
        return FW_OK;
    }
    if (img->nspans == img->capspans) {
        size_t cap = img->capspans ? img->capspans * 2 : 16;
        struct span *n = realloc(img->spans, cap * sizeof(*n));
        if (!n)
            return FW_ENOMEM;
        img->spans = n;
        img->capspans = cap;
    }
    img->spans[img->nspans++] = (struct span){
        .addr = addr, .len = len, .anchor = addr, .pos = pos, .source = (uint32_t)source,
        .stride = stride, .seq = seq, .next_pos = stride ? pos + 1 : pos + len, .open = len == stride};
    return FW_OK;
}

void fw_chunk_slot_release(struct chunk_slot *s)
{
    if (s->map)
        munmap(s->map, s->map_len);
    else if (s->c.data != &empty_byte)
        free(s->c.data);
    s->map = NULL;
    s->c.data = &empty_byte;
}

static int grow_chunk(struct chunk_slot *s, size_t need)
{
    if (need <= s->cap)
        return FW_OK;
    size_t cap = s->cap * 2 > need ? s->cap * 2 : need;
    if (cap < 64)
        cap = 64;
    uint8_t *d;
    if (s->map) {
        /* a mapping cannot grow: the bytes move to the heap */
        if (!(d = malloc(cap)))
            return FW_ENOMEM;
        memcpy(d, s->c.data, s->c.len);
        munmap(s->map, s->map_len);
        s->map = NULL;
    } else if (!(d = realloc(s->c.data == &empty_byte ? NULL : s->c.data, cap))) {
        return FW_ENOMEM;
    }
    s->c.data = d;
    s->cap = cap;
    return FW_OK;
}

/* Room for one more slot in the chunk array (which may move). */
/* The slot after the last chunk, the array grown for it; NULL when out of
 * memory. */
static struct chunk_slot *next_slot(fw_image *img)
{
    if (img->n < img->cap && img->chunks)
        return &img->chunks[img->n];
    size_t cap = img->cap ? img->cap * 2 : 8;
    struct chunk_slot *c = realloc(img->chunks, cap * sizeof(*c));
    if (!c)
        return NULL;
    img->chunks = c;
    img->cap = cap;
    return &c[img->n];
}

int fw_image_reserve(fw_image *img, uint64_t addr, size_t len, int source,
                     uint64_t pos, uint32_t bytes_per_line, uint8_t **where)
{
    if (source < 0 || (size_t)source >= img->nsources)
        return FW_EINVAL;
    /* the common case: more bytes right after the last ones, room to spare */
    if (img->n && img->nspans) {
        struct chunk_slot *last = &img->chunks[img->n - 1];
        struct span *sp = &img->spans[img->nspans - 1];
        if (last->c.addr + last->c.len == addr && len <= last->cap - last->c.len && len &&
            span_extends(sp, addr, len, source, pos, bytes_per_line, last->seq)) {
            span_extend(sp, len, pos);
            *where = last->c.data + last->c.len;
            last->c.len += len;
            return FW_OK;
        }
    }
    *where = &empty_byte;
    if (len == 0)
        return FW_OK;
    if ((uint64_t)len > FW_ADDR_END - addr)
        return FW_ERANGE;
    struct chunk_slot *last = img->n ? &img->chunks[img->n - 1] : NULL;
    if (last && last->c.addr + last->c.len == addr) {
        int rc = grow_chunk(last, last->c.len + len);
        if (rc)
            return rc;
        rc = add_span(img, addr, len, source, pos, bytes_per_line, last->seq);
        if (rc)
            return rc;
        *where = last->c.data + last->c.len;
        last->c.len += len;
        return FW_OK;
    }
    /* the array may move below: remember what is needed of the last slot */
    bool behind = last && addr < last->c.addr + last->c.len;
    struct chunk_slot *s = next_slot(img);
    if (!s)
        return FW_ENOMEM;
    memset(s, 0, sizeof(*s));
    s->c.addr = addr;
    s->seq = img->next_seq;
    int rc = grow_chunk(s, len);
    if (rc)
        return rc;
    rc = add_span(img, addr, len, source, pos, bytes_per_line, s->seq);
    if (rc) {
        free(s->c.data);
        return rc;
    }
    if (behind)
        img->sorted = false;
    img->next_seq++;
    img->n++;
    s->c.len = len;
    *where = s->c.data;
    return FW_OK;
}

int fw_image_add(fw_image *img, uint64_t addr, const void *data, size_t len,
                 int source, uint64_t pos, uint32_t bytes_per_line)
{
    uint8_t *w;
    int rc = fw_image_reserve(img, addr, len, source, pos, bytes_per_line, &w);
    if (rc == FW_OK && len)
        memcpy(w, data, len);
    return rc;
}

int fw_image_adopt_mapping(fw_image *img, uint64_t addr, uint8_t *data, size_t len, void *map, size_t map_len)
{
    if (!len || (uint64_t)len > FW_ADDR_END - addr) {
        munmap(map, map_len);
        return len ? FW_ERANGE : FW_OK;
    }
    /* touching or behind the last chunk: fw_image_finish joins them */
    const struct chunk_slot *last = img->n ? &img->chunks[img->n - 1] : NULL;
    bool behind = last && addr <= last->c.addr + last->c.len;
    struct chunk_slot *slot = next_slot(img);
    if (!slot) {
        munmap(map, map_len);
        return FW_ENOMEM;
    }
    if (behind)
        img->sorted = false;
    img->n++;
    *slot = (struct chunk_slot){
        .c = {.addr = addr, .len = len, .data = data}, .cap = len, .seq = img->next_seq++, .map = map,
        .map_len = map_len};
    return FW_OK;
}

int fw_image_label(fw_image *img, uint64_t addr, size_t len, int source, uint64_t pos, uint32_t bytes_per_line)
{
    if (!img->n || source < 0 || (size_t)source >= img->nsources)
        return FW_EINVAL;
    const struct chunk_slot *last = &img->chunks[img->n - 1];
    if (addr < last->c.addr || addr - last->c.addr > last->c.len || len > last->c.len - (addr - last->c.addr))
        return FW_EINVAL;
    return len ? add_span(img, addr, len, source, pos, bytes_per_line, last->seq) : FW_OK;
}

static int cmp_slot(const void *a, const void *b)
{
    const struct chunk_slot *x = a, *y = b;
    if (x->c.addr != y->c.addr)
        return x->c.addr < y->c.addr ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Judges one overlap. While merging, two inputs meeting follow the merge
 * policy (*between), but a file that overlaps itself is judged as a lone read
 * would judge it (*within): that is a fault of the file, not of the merge. */
static void report_overlap(fw_image *img, fw_diag *d, const struct chunk_slot *cur,
                           const struct chunk_slot *nx, uint64_t lo, uint64_t hi, bool *between, bool *within)
{
    const uint8_t *a = cur->c.data + (lo - cur->c.addr);
    const uint8_t *b = nx->c.data + (lo - nx->c.addr);
    size_t n = (size_t)(hi - lo), first = n;
    for (size_t k = 0; k < n; k++)
        if (a[k] != b[k]) {
            first = k;
            break;
        }
    uint64_t at = first < n ? lo + first : lo; /* first == n: the bytes are identical */
    fw_location here, there;
    size_t there_seq = 0;
    bool has_there = false, located = false, inputs_meet = img->merging;
    /* the span scans are linear in the spans: do them only where the verdict
     * (an error between inputs or within one) or a wanted message needs them */
    if (img->merging && (first < n || img->strict_overlap)) {
        has_there = seq_location(img, at, nx->seq, false, &there, &there_seq);
        located = true;
        inputs_meet = !(has_there && there_seq >= img->input_first_seq);
    }
    fw_severity sev = first < n || (inputs_meet && img->strict_overlap) ? FW_ERROR : FW_NOTE;
    if (sev == FW_ERROR)
        *(inputs_meet ? between : within) = true;
    if (!fw_diag_wants(d, "FMT-OVERLAP", sev))
        return;
    if (!located)
        has_there = seq_location(img, at, nx->seq, false, &there, NULL);
    seq_location(img, at, nx->seq, true, &here, NULL);
    fw_diagnostic *e;
    if (first < n) {
        e = fw_diag_add(d, sev, "FMT-OVERLAP", &here,
                        "data at 0x%08llx-0x%08llx (%zu bytes) is given twice with different bytes: "
                        "0x%08llx is 0x%02x here but 0x%02x in the earlier record",
                        (unsigned long long)lo, (unsigned long long)(hi - 1), n,
                        (unsigned long long)at, b[first], a[first]);
        fw_diagnostic_set_hint(e, inputs_meet ? "the inputs overlap: crop one of them, or let one win with "
                                                 "--overlap first or --overlap last"
                                               : "each address may be written once; fix whatever produced this file");
    } else {
        e = fw_diag_add(d, sev, "FMT-OVERLAP", &here,
                        "data at 0x%08llx-0x%08llx (%zu bytes) is given twice with identical bytes",
                        (unsigned long long)lo, (unsigned long long)(hi - 1), n);
        if (sev == FW_ERROR)
            fw_diagnostic_set_hint(e, "the inputs overlap: crop one of them, or allow identical bytes with "
                                      "--overlap same");
    }
    if (has_there)
        fw_diagnostic_set_related(e, &there);
    fw_diagnostic_set_range(e, lo, hi);
}

int fw_image_finish(fw_image *img, fw_diag *d)
{
    if (!img->sorted) {
        qsort(img->chunks, img->n, sizeof(*img->chunks), cmp_slot);
        bool between = false, within = false;
        size_t w = 0;
        for (size_t i = 0; i < img->n; i++) {
            struct chunk_slot *nx = &img->chunks[i];
            if (w == 0 || nx->c.addr > img->chunks[w - 1].c.addr + img->chunks[w - 1].c.len) {
                img->chunks[w++] = *nx;
                continue;
            }
            struct chunk_slot *cur = &img->chunks[w - 1];
            uint64_t cur_end = cur->c.addr + cur->c.len, nx_end = nx->c.addr + nx->c.len;
            if (nx->c.addr < cur_end)
                report_overlap(img, d, cur, nx, nx->c.addr, nx_end < cur_end ? nx_end : cur_end, &between,
                               &within);
            if (nx_end > cur_end) {
                size_t skip = (size_t)(cur_end - nx->c.addr), add = (size_t)(nx_end - cur_end);
                if (grow_chunk(cur, cur->c.len + add) != FW_OK) {
                    /* keep the image consistent: the rest stays as separate slots */
                    for (size_t k = i; k < img->n; k++)
                        img->chunks[w++] = img->chunks[k];
                    img->n = w;
                    return FW_ENOMEM;
                }
                memcpy(cur->c.data + cur->c.len, nx->c.data + skip, add);
                cur->c.len += add;
            }
            fw_chunk_slot_release(nx);
        }
        img->n = w;
        img->sorted = true;
        qsort(img->spans, img->nspans, sizeof(*img->spans), cmp_span);
        if (within && img->merging)
            return FW_EFORMAT; /* a bad input file, whatever else overlaps */
        if (within || between)
            return FW_EOVERLAP;
    }
    return FW_OK;
}
