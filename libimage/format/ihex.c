/* SPDX-License-Identifier: MIT */
/* Intel HEX: records ':LLAAAATT<data>CC', types 00-05. */
#include "formats.h"
#include "text.h"

#include <string.h>

struct hex_state {
    uint64_t base;        /* from the last 02 or 04 record */
    uint64_t start_line;
    bool noted_segment;   /* the first 02/03 record was noted */
};

static const char *type_name(unsigned t)
{
    static const char *names[] = {"data", "end-of-file", "extended segment address",
                                  "start segment address", "extended linear address",
                                  "start linear address"};
    return t < 6 ? names[t] : "unknown";
}

/* One record: rec[0]=LL, rec[1..2]=address, rec[3]=type, then data, checksum. */
static int hex_record(struct fw_text *t, struct hex_state *st, const uint8_t *rec)
{
    unsigned ll = rec[0], type = rec[3];
    unsigned offset = (unsigned)rec[1] << 8 | rec[2];
    const uint8_t *data = rec + 4;
    static const int want_len[6] = {-1, 0, 2, 4, 2, 4};
    if (type > 5) {
        fw_text_error(t, 8, t->syntax_rule, "unknown record type %02X (Intel HEX has types 00 to 05)", type);
        return FW_OK;
    }
    if (want_len[type] >= 0 && ll != (unsigned)want_len[type]) {
        fw_text_error(t, 2, t->syntax_rule, "a type %02X (%s) record must have length %02X, not %02X",
                      type, type_name(type), want_len[type], ll);
        return FW_OK;
    }
    if (type != 0 && offset != 0)
        fw_text_warn(t, 4, "FMT-HEX-ADDR-RECORDS",
                     "the address field of a type %02X (%s) record should be 0000, not %04X; it is ignored",
                     type, type_name(type), offset);
    if ((type == 2 || type == 3) && !st->noted_segment) {
        /* harmless on 8/16-bit parts; lint raises it for 32-bit ones */
        st->noted_segment = true;
        fw_text_note(t, 8, "FMT-HEX-ADDR-RECORDS",
                     "segment addressing (type %02X, 20-bit): some loaders mishandle it on 32-bit parts", type);
    }
    switch (type) {
    case 0: {
        if (!ll)
            return FW_OK;
        uint64_t addr = st->base + offset;
        if (offset + ll > 0x10000)
            fw_text_warn(t, 4, "FMT-HEX-64K-CROSS",
                         "record at offset %04X with %u bytes crosses a 64 KiB segment boundary; read as "
                         "contiguous 0x%08llx-0x%08llx (as objcopy does), where a strict reader would wrap "
                         "to 0x%08llx",
                         offset, ll, (unsigned long long)addr, (unsigned long long)(addr + ll - 1),
                         (unsigned long long)st->base);
        return fw_image_add(t->img, addr, data, ll, t->source, t->lr.line, ll);
    }
    case 1:
        t->ended = true;
        t->end_line = t->lr.line;
        return FW_OK;
    case 2:
        st->base = (uint64_t)((unsigned)data[0] << 8 | data[1]) << 4;
        return FW_OK;
    case 4:
        st->base = (uint64_t)((unsigned)data[0] << 8 | data[1]) << 16;
        return FW_OK;
    case 3: {
        fw_start s = {.kind = FW_START_SEGMENT};
        s.cs = (uint16_t)(data[0] << 8 | data[1]);
        s.ip = (uint16_t)(data[2] << 8 | data[3]);
        s.addr = (uint64_t)s.cs * 16 + s.ip;
        fw_text_set_start(t, &s, &st->start_line, 10);
        return FW_OK;
    }
    default: {
        fw_start s = {.kind = FW_START_LINEAR};
        s.addr = (uint64_t)data[0] << 24 | (uint64_t)data[1] << 16 | (uint64_t)data[2] << 8 | data[3];
        fw_text_set_start(t, &s, &st->start_line, 10);
        return FW_OK;
    }
    }
}

/* A well-formed data record decoded straight into the image, with the
 * checksum summed on the way. Anything unusual returns false, and the careful
 * path below reads the line again and says what is wrong (the image is then
 * discarded, so bytes placed here by a bad record never escape). */
static bool hex_fast_data(struct fw_text *t, struct hex_state *st, const char *s, size_t n)
{
    if (n < 11 || !(n & 1) || s[0] != ':')
        return false;
    const uint8_t *restrict p = (const uint8_t *)s + 1;
    const uint8_t *restrict hv = fw_hex_value;
    unsigned h[4], bad = 0;
    for (int i = 0; i < 4; i++) {
        unsigned hi = hv[p[2 * i]], lo = hv[p[2 * i + 1]];
        bad |= hi | lo;
        h[i] = hi << 4 | lo;
    }
    unsigned ll = h[0], offset = h[1] << 8 | h[2];
    if ((bad & 0x80) || h[3] != 0 || ll == 0 || (n - 1) / 2 != ll + 5 || offset + ll > 0x10000)
        return false;
    uint8_t *out;
    if (fw_image_reserve(t->img, st->base + offset, ll, t->source, t->lr.line, ll, &out) != FW_OK)
        return false;
    uint8_t *restrict w = out;
    unsigned sum = ll + h[1] + h[2];
    p += 8;
    unsigned i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* eight hex digits at a time: validate, convert and pack in one word */
    for (; i + 4 <= ll; i += 4) {
        uint64_t x;
        memcpy(&x, p + 2 * i, 8);
        if (!fw_hex8_valid(x)) {
            bad = 0x80;
            break;
        }
        uint32_t v = fw_hex8_value(x);
        memcpy(w + i, &v, 4);
        uint32_t pair = (v & 0x00FF00FFu) + ((v >> 8) & 0x00FF00FFu);
        sum += (pair & 0xFFFF) + (pair >> 16);
    }
#endif
    for (; i < ll; i++) {
        unsigned hi = hv[p[2 * i]], lo = hv[p[2 * i + 1]];
        bad |= hi | lo;
        unsigned v = hi << 4 | lo;
        w[i] = (uint8_t)v;
        sum += v;
    }
    unsigned hi = hv[p[2 * ll]], lo = hv[p[2 * ll + 1]];
    bad |= hi | lo;
    sum += hi << 4 | lo;
    return !(bad & 0x80) && (sum & 0xFF) == 0;
}

static int hex_line(struct fw_text *t, const char *s, size_t n, void *state)
{
    if (hex_fast_data(t, state, s, n))
        return FW_OK;
    char cb[8];
    if (s[0] != ':') {
        fw_text_error(t, 1, t->syntax_rule, "expected ':' at the start of a record, found %s",
                      fw_char_name(s[0], cb));
        return FW_OK;
    }
    uint8_t rec[4 + 255 + 1];
    long nbytes = fw_text_decode(t, s, n, 1, rec, sizeof(rec));
    if (nbytes < 0)
        return FW_OK;
    if (nbytes < 5) {
        fw_text_error(t, 2, t->syntax_rule,
                      "record too short: %ld bytes, but a record needs at least 5 (length, address, type, checksum)",
                      nbytes);
        return FW_OK;
    }
    if ((size_t)nbytes != (size_t)rec[0] + 5) {
        fw_text_error(t, 2, t->syntax_rule, "length field says %u data bytes, but the record holds %ld",
                      rec[0], nbytes - 5);
        return FW_OK;
    }
    unsigned sum = 0;
    for (long i = 0; i + 1 < nbytes; i++)
        sum += rec[i];
    uint8_t want = (uint8_t)(0x100 - (sum & 0xFF));
    if (rec[nbytes - 1] != want) {
        fw_text_error(t, (uint32_t)(n - 1), t->syntax_rule, "bad checksum %02X, expected %02X",
                      rec[nbytes - 1], want);
        return FW_OK;
    }
    return hex_record(t, state, rec);
}

int fw_ihex_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d)
{
    (void)opt;
    struct fw_text t;
    struct hex_state st = {0};
    int rc = fw_text_read(&t, in, img, d, "FMT-HEX-SYNTAX", "FMT-HEX-EOF", hex_line, &st);
    if (rc == FW_OK && !t.ended && !t.errors) {
        fw_location loc = fw_lines_where(&t.lr, 0);
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FMT-HEX-EOF", &loc,
                                       "no end-of-file record (:00000001FF): the file is truncated or incomplete");
        fw_diagnostic_set_hint(e, "regenerate the file; if it is complete, append the line :00000001FF");
        t.errors++;
    }
    fw_text_free(&t);
    if (rc < 0)
        return rc;
    return t.errors ? FW_EFORMAT : FW_OK;
}

/* --- writer --- */

static void put_record(struct fw_output *o, unsigned type, unsigned offset, const uint8_t *data,
                       unsigned len, bool crlf)
{
    uint8_t *p = fw_output_room(o, 1 + 2 * (len + 5) + 2);
    if (!p)
        return;
    uint8_t *q = p;
    unsigned sum = len + (offset >> 8) + (offset & 0xFF) + type;
    *q++ = ':';
    *q++ = (uint8_t)fw_hex_upper[len >> 4];
    *q++ = (uint8_t)fw_hex_upper[len & 15];
    *q++ = (uint8_t)fw_hex_upper[(offset >> 12) & 15];
    *q++ = (uint8_t)fw_hex_upper[(offset >> 8) & 15];
    *q++ = (uint8_t)fw_hex_upper[(offset >> 4) & 15];
    *q++ = (uint8_t)fw_hex_upper[offset & 15];
    *q++ = '0';
    *q++ = (uint8_t)fw_hex_upper[type];
    for (unsigned i = 0; i < len; i++) {
        uint8_t b = data[i];
        sum += b;
        memcpy(q + 2 * i, fw_hex_pairs + 2 * b, 2);
    }
    q += 2 * len;
    uint8_t cs = (uint8_t)(0x100 - (sum & 0xFF));
    *q++ = (uint8_t)fw_hex_upper[cs >> 4];
    *q++ = (uint8_t)fw_hex_upper[cs & 15];
    if (crlf)
        *q++ = '\r';
    *q++ = '\n';
    o->len += (size_t)(q - p);
}

int fw_ihex_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d)
{
    uint64_t lo, end;
    uint64_t limit = opt->ihex_segment ? 0x100000 : 0x100000000ull;
    fw_location loc = {.file = name};
    if (fw_image_span(img, &lo, &end) && end > limit) {
        uint64_t first = lo >= limit ? lo : limit;
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc,
                                       "address 0x%llx does not fit in Intel HEX with %s records (highest 0x%llx)",
                                       (unsigned long long)first,
                                       opt->ihex_segment ? "segment (type 02)" : "linear (type 04)",
                                       (unsigned long long)(limit - 1));
        fw_diagnostic_set_hint(e, opt->ihex_segment ? "drop --segment-records, or crop the image"
                                                    : "crop the image or move it with --offset");
        return FW_ERANGE;
    }
    const fw_start *s = fw_image_start(img);
    if (!opt->no_start && s->kind == FW_START_LINEAR && s->addr > (opt->ihex_segment ? 0xFFFFFull : 0xFFFFFFFFull)) {
        fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc, "start address 0x%llx does not fit in an Intel HEX start record",
                    (unsigned long long)s->addr);
        return FW_ERANGE;
    }
    return FW_OK;
}

int fw_ihex_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt)
{
    unsigned rb = opt->record_bytes ? opt->record_bytes : 16;
    uint64_t upper = 0; /* 64 KiB window selected by the last 02/04 record */
    for (size_t i = 0; i < fw_image_chunk_count(img) && !o->err; i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        size_t off = 0;
        while (off < c->len) {
            uint64_t addr = c->addr + off;
            if ((addr >> 16) != upper) {
                upper = addr >> 16;
                uint8_t v[2];
                unsigned val = opt->ihex_segment ? (unsigned)(upper << 12) : (unsigned)upper;
                v[0] = (uint8_t)(val >> 8);
                v[1] = (uint8_t)val;
                put_record(o, opt->ihex_segment ? 2 : 4, 0, v, 2, opt->crlf);
            }
            size_t n = c->len - off;
            if (n > rb)
                n = rb;
            size_t to_window = 0x10000 - (size_t)(addr & 0xFFFF);
            if (n > to_window)
                n = to_window;
            put_record(o, 0, (unsigned)(addr & 0xFFFF), c->data + off, (unsigned)n, opt->crlf);
            off += n;
        }
    }
    const fw_start *s = fw_image_start(img);
    if (!opt->no_start && s->kind != FW_START_NONE) {
        uint8_t v[4];
        if (s->kind == FW_START_SEGMENT || opt->ihex_segment) {
            unsigned cs = s->kind == FW_START_SEGMENT ? s->cs : (unsigned)((s->addr >> 4) & 0xF000);
            unsigned ip = s->kind == FW_START_SEGMENT ? s->ip : (unsigned)(s->addr & 0xFFFF);
            v[0] = (uint8_t)(cs >> 8), v[1] = (uint8_t)cs, v[2] = (uint8_t)(ip >> 8), v[3] = (uint8_t)ip;
            put_record(o, 3, 0, v, 4, opt->crlf);
        } else {
            uint32_t a = (uint32_t)s->addr;
            v[0] = (uint8_t)(a >> 24), v[1] = (uint8_t)(a >> 16), v[2] = (uint8_t)(a >> 8), v[3] = (uint8_t)a;
            put_record(o, 5, 0, v, 4, opt->crlf);
        }
    }
    put_record(o, 1, 0, NULL, 0, opt->crlf);
    return o->err;
}
