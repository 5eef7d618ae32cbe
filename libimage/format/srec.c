/* SPDX-License-Identifier: MIT */
/* Motorola S-record: 'S' type count address data checksum. S0 header,
 * S1/S2/S3 data (16/24/32-bit address), S5/S6 record count, S7/S8/S9 end
 * with the start address. */
#include "formats.h"
#include "text.h"

#include <string.h>

/* Address bytes per record type; 0 for the reserved S4. */
static const unsigned addr_bytes[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

struct srec_state {
    uint64_t data_records;
    unsigned data_types;  /* bit n set when Sn data records were seen */
    uint64_t start_line;
};

static int srec_line(struct fw_text *t, const char *s, size_t n, void *state)
{
    struct srec_state *st = state;
    char cb[8];
    if (s[0] != 'S' && s[0] != 's') {
        fw_text_error(t, 1, t->syntax_rule, "expected 'S' at the start of a record, found %s",
                      fw_char_name(s[0], cb));
        return FW_OK;
    }
    if (n < 2 || s[1] < '0' || s[1] > '9' || s[1] == '4') {
        if (n < 2)
            fw_text_error(t, 2, t->syntax_rule, "record too short: no record type after 'S'");
        else
            fw_text_error(t, 2, t->syntax_rule, "unknown record type S%c (S-records have S0-S3 and S5-S9)",
                          s[1] > 0x20 && s[1] < 0x7f ? s[1] : '?');
        return FW_OK;
    }
    unsigned type = (unsigned)(s[1] - '0');
    uint8_t rec[256];
    long nbytes = fw_text_decode(t, s, n, 2, rec, sizeof(rec));
    if (nbytes < 0)
        return FW_OK;
    unsigned ab = addr_bytes[type];
    if (nbytes < 1 || (size_t)nbytes != (size_t)rec[0] + 1) {
        fw_text_error(t, 3, t->syntax_rule, "count field says %u bytes follow, but the record holds %ld",
                      nbytes ? rec[0] : 0, nbytes ? nbytes - 1 : 0);
        return FW_OK;
    }
    if (rec[0] < ab + 1) {
        fw_text_error(t, 3, t->syntax_rule,
                      "record too short: an S%u record needs %u address bytes and a checksum, the count is %u",
                      type, ab, rec[0]);
        return FW_OK;
    }
    unsigned sum = 0;
    for (long i = 0; i + 1 < nbytes; i++)
        sum += rec[i];
    uint8_t want = (uint8_t)~sum;
    if (rec[nbytes - 1] != want) {
        fw_text_error(t, (uint32_t)(n - 1), t->syntax_rule, "bad checksum %02X, expected %02X",
                      rec[nbytes - 1], want);
        return FW_OK;
    }
    uint64_t addr = 0;
    for (unsigned i = 0; i < ab; i++)
        addr = addr << 8 | rec[1 + i];
    const uint8_t *data = rec + 1 + ab;
    unsigned len = rec[0] - ab - 1;
    switch (type) {
    case 0:
        if (!fw_image_header(t->img))
            return fw_image_set_header(t->img, (const char *)data, len);
        return FW_OK;
    case 1:
    case 2:
    case 3:
        st->data_records++;
        st->data_types |= 1u << type;
        if (!len)
            return FW_OK;
        if (addr + len > (1ull << (8 * ab)))
            fw_text_warn(t, 5, t->syntax_rule,
                         "S%u record at 0x%0*llx with %u bytes runs past the %u-bit address space; read as "
                         "contiguous up to 0x%llx",
                         type, (int)ab * 2, (unsigned long long)addr, len, 8 * ab,
                         (unsigned long long)(addr + len - 1));
        return fw_image_add(t->img, addr, data, len, t->source, t->lr.line, len);
    case 5:
    case 6:
        if (addr != (st->data_records & ((1ull << (8 * ab)) - 1)))
            fw_text_error(t, 5, t->syntax_rule,
                          "S%u count record says %llu data records, but %llu came before it", type,
                          (unsigned long long)addr, (unsigned long long)st->data_records);
        return FW_OK;
    default: {
        /* S7 ends S3 data, S8 ends S2, S9 ends S1 */
        unsigned pairs = 10 - type;
        if (st->data_types && st->data_types != (1u << pairs) && !(st->data_types & (st->data_types - 1)))
            fw_text_warn(t, 2, t->syntax_rule, "S%u termination record follows S%u data records (S%u expected)",
                         type, __builtin_ctz(st->data_types), 10 - __builtin_ctz(st->data_types));
        fw_start start = {.kind = FW_START_LINEAR, .addr = addr};
        fw_text_set_start(t, &start, &st->start_line, 5);
        t->ended = true;
        t->end_line = t->lr.line;
        return FW_OK;
    }
    }
}

int fw_srec_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d)
{
    (void)opt;
    struct fw_text t;
    struct srec_state st = {0};
    int rc = fw_text_read(&t, in, img, d, "FMT-SREC", "FMT-SREC", srec_line, &st);
    if (rc == FW_OK && !t.ended && !t.errors) {
        fw_location loc = fw_lines_where(&t.lr, 0);
        fw_diagnostic *e = fw_diag_add(d, FW_WARNING, "FMT-SREC", &loc,
                                       "no S7/S8/S9 termination record: the file may be truncated");
        fw_diagnostic_set_hint(e, "some loaders reject such files; regenerate it, or convert it with fwconv");
    }
    fw_text_free(&t);
    if (rc < 0)
        return rc;
    return t.errors ? FW_EFORMAT : FW_OK;
}

/* --- writer --- */

static unsigned srec_data_type(const fw_image *img, const fw_write_options *opt)
{
    if (opt->srec_type)
        return opt->srec_type;
    uint64_t hi = 0, lo, end;
    if (fw_image_span(img, &lo, &end))
        hi = end - 1;
    const fw_start *s = fw_image_start(img);
    if (!opt->no_start && s->kind != FW_START_NONE && s->addr > hi)
        hi = s->addr;
    return hi <= 0xFFFF ? 1 : hi <= 0xFFFFFF ? 2 : 3;
}

int fw_srec_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d)
{
    fw_location loc = {.file = name};
    unsigned type = srec_data_type(img, opt);
    if (type < 1 || type > 3) {
        fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc, "S-record data type must be 1, 2 or 3, not %u", type);
        return FW_EINVAL;
    }
    uint64_t limit = 1ull << (8 * addr_bytes[type]);
    uint64_t lo, end;
    if (fw_image_span(img, &lo, &end) && end > limit) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc,
                                       "address 0x%llx does not fit in S%u records (highest 0x%llx)",
                                       (unsigned long long)(lo >= limit ? lo : limit), type,
                                       (unsigned long long)(limit - 1));
        fw_diagnostic_set_hint(e, type < 3 ? "let fwconv choose the record type, or force S3"
                                           : "crop the image or move it with --offset");
        return FW_ERANGE;
    }
    const fw_start *s = fw_image_start(img);
    if (!opt->no_start && s->kind != FW_START_NONE && s->addr >= limit) {
        fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc, "start address 0x%llx does not fit in an S%u record",
                    (unsigned long long)s->addr, 10 - type);
        return FW_ERANGE;
    }
    unsigned max = 255 - 1 - addr_bytes[type];
    if (opt->record_bytes > max) {
        fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc, "%u data bytes per record is more than S%u records hold (%u)",
                    opt->record_bytes, type, max);
        return FW_EINVAL;
    }
    return FW_OK;
}

static void put_srec(struct fw_output *o, unsigned type, uint64_t addr, const uint8_t *data, size_t len,
                     bool crlf)
{
    unsigned ab = addr_bytes[type];
    unsigned count = (unsigned)(ab + len + 1);
    uint8_t *p = fw_output_room(o, 4 + 2 * count + 2);
    if (!p)
        return;
    uint8_t *q = p;
    *q++ = 'S';
    *q++ = (uint8_t)('0' + type);
    unsigned sum = count;
    *q++ = (uint8_t)fw_hex_upper[count >> 4];
    *q++ = (uint8_t)fw_hex_upper[count & 15];
    for (unsigned i = ab; i-- > 0;) {
        uint8_t b = (uint8_t)(addr >> (8 * i));
        sum += b;
        *q++ = (uint8_t)fw_hex_upper[b >> 4];
        *q++ = (uint8_t)fw_hex_upper[b & 15];
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t b = data[i];
        sum += b;
        memcpy(q + 2 * i, fw_hex_pairs + 2 * b, 2);
    }
    q += 2 * len;
    uint8_t cs = (uint8_t)~sum;
    *q++ = (uint8_t)fw_hex_upper[cs >> 4];
    *q++ = (uint8_t)fw_hex_upper[cs & 15];
    if (crlf)
        *q++ = '\r';
    *q++ = '\n';
    o->len += (size_t)(q - p);
}

int fw_srec_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt)
{
    unsigned type = srec_data_type(img, opt);
    unsigned rb = opt->record_bytes ? opt->record_bytes : 16;
    const char *hdr = opt->srec_header ? opt->srec_header : fw_image_header(img);
    if (!hdr) {
        const char *slash = strrchr(o->name, '/');
        hdr = !strcmp(o->name, "<stdout>") ? "" : slash ? slash + 1 : o->name;
    }
    size_t hl = strlen(hdr);
    put_srec(o, 0, 0, (const uint8_t *)hdr, hl > 252 ? 252 : hl, opt->crlf);
    uint64_t records = 0;
    for (size_t i = 0; i < fw_image_chunk_count(img) && !o->err; i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        for (size_t off = 0; off < c->len; off += rb, records++)
            put_srec(o, type, c->addr + off, c->data + off, c->len - off < rb ? c->len - off : rb, opt->crlf);
    }
    if (!opt->srec_no_count && records <= 0xFFFFFF)
        put_srec(o, records <= 0xFFFF ? 5 : 6, records, NULL, 0, opt->crlf);
    const fw_start *s = fw_image_start(img);
    put_srec(o, 10 - type, !opt->no_start && s->kind != FW_START_NONE ? s->addr : 0, NULL, 0, opt->crlf);
    return o->err;
}
