/* SPDX-License-Identifier: MIT */
#include "fwkit/checksum.h"

#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "fwkit/transform.h"

static const char *const names[FW_CK_COUNT] = {
    "crc32", "crc32-mpeg2", "crc16-ccitt", "crc16-xmodem", "sum8", "sum16", "sum32",
    "sum8-neg", "sum16-neg", "sum32-neg", "adler32",
};

const char *fw_checksum_name(fw_checksum_kind k)
{
    return k < FW_CK_COUNT ? names[k] : "unknown";
}

bool fw_checksum_parse(const char *name, fw_checksum_kind *out)
{
    for (int i = 0; i < FW_CK_COUNT; i++)
        if (!strcasecmp(name, names[i])) {
            *out = (fw_checksum_kind)i;
            return true;
        }
    if (!strcasecmp(name, "stm32")) {
        *out = FW_CK_CRC32_MPEG2;
        return true;
    }
    return false;
}

unsigned fw_checksum_width(fw_checksum_kind k)
{
    switch (k) {
    case FW_CK_CRC16_CCITT:
    case FW_CK_CRC16_XMODEM:
    case FW_CK_SUM16:
    case FW_CK_SUM16_NEG: return 2;
    case FW_CK_SUM8:
    case FW_CK_SUM8_NEG: return 1;
    default: return 4;
    }
}

/* A running computation, fed in pieces. */
struct state {
    fw_checksum_kind k;
    uint32_t v;        /* CRC register, sum, or zlib value */
    uint8_t word[4];   /* crc32-mpeg2: bytes of the word being assembled */
    unsigned nword;
};

static void start(struct state *s, fw_checksum_kind k)
{
    memset(s, 0, sizeof(*s));
    s->k = k;
    switch (k) {
    case FW_CK_CRC32: s->v = (uint32_t)crc32_z(0, Z_NULL, 0); break;
    case FW_CK_ADLER32: s->v = (uint32_t)adler32_z(0, Z_NULL, 0); break;
    case FW_CK_CRC32_MPEG2: s->v = 0xFFFFFFFFu; break;
    case FW_CK_CRC16_CCITT: s->v = 0xFFFF; break;
    default: s->v = 0; break;
    }
}

/* MSB-first CRC-32/MPEG-2 of one byte. */
static uint32_t mpeg2_byte(uint32_t crc, uint8_t b)
{
    crc ^= (uint32_t)b << 24;
    for (int i = 0; i < 8; i++)
        crc = crc & 0x80000000u ? crc << 1 ^ 0x04C11DB7u : crc << 1;
    return crc;
}

static uint16_t ccitt_byte(uint16_t crc, uint8_t b)
{
    crc ^= (uint16_t)(b << 8);
    for (int i = 0; i < 8; i++)
        crc = (uint16_t)(crc & 0x8000 ? crc << 1 ^ 0x1021 : crc << 1);
    return crc;
}

static void feed(struct state *s, const uint8_t *p, size_t n)
{
    switch (s->k) {
    case FW_CK_CRC32: s->v = (uint32_t)crc32_z(s->v, p, n); return;
    case FW_CK_ADLER32: s->v = (uint32_t)adler32_z(s->v, p, n); return;
    case FW_CK_CRC32_MPEG2:
        /* the CRC unit takes a 32-bit word as the core reads it from memory
         * (little-endian) and shifts it in most significant byte first */
        for (size_t i = 0; i < n; i++) {
            s->word[s->nword++] = p[i];
            if (s->nword == 4) {
                for (int b = 3; b >= 0; b--)
                    s->v = mpeg2_byte(s->v, s->word[b]);
                s->nword = 0;
            }
        }
        return;
    case FW_CK_CRC16_CCITT:
    case FW_CK_CRC16_XMODEM:
        for (size_t i = 0; i < n; i++)
            s->v = ccitt_byte((uint16_t)s->v, p[i]);
        return;
    default:
        for (size_t i = 0; i < n; i++)
            s->v += p[i];
        return;
    }
}

static uint32_t finish(const struct state *s)
{
    switch (s->k) {
    case FW_CK_SUM8: return s->v & 0xFF;
    case FW_CK_SUM16: return s->v & 0xFFFF;
    case FW_CK_SUM8_NEG: return (0u - s->v) & 0xFF;
    case FW_CK_SUM16_NEG: return (0u - s->v) & 0xFFFF;
    case FW_CK_SUM32_NEG: return 0u - s->v;
    default: return s->v;
    }
}

uint32_t fw_checksum_bytes(fw_checksum_kind k, const uint8_t *p, size_t n)
{
    struct state s;
    start(&s, k);
    feed(&s, p, n);
    return finish(&s);
}

int fw_checksum_range(const fw_image *img, fw_checksum_kind k, uint64_t lo, uint64_t end, uint8_t fill,
                      uint64_t skip_lo, uint64_t skip_end, uint32_t *out, fw_diag *d)
{
    fw_location loc = {.file = fw_image_path(img)};
    if (lo >= end || k >= FW_CK_COUNT) {
        fw_diag_add(d, FW_ERROR, "CHECKSUM", &loc, "empty checksum range 0x%llx-0x%llx", (unsigned long long)lo,
                    (unsigned long long)end);
        return FW_EINVAL;
    }
    uint64_t covered = end - lo - (skip_end > skip_lo ? skip_end - skip_lo : 0);
    if (k == FW_CK_CRC32_MPEG2 && covered % 4) {
        fw_diag_add(d, FW_ERROR, "CHECKSUM", &loc,
                    "the STM32 CRC unit takes whole 32-bit words: the range holds %llu bytes, not a multiple of 4",
                    (unsigned long long)covered);
        return FW_EINVAL;
    }
    struct state s;
    start(&s, k);
    uint8_t gap[4096];
    memset(gap, fill, sizeof(gap));
    uint64_t a = lo;
    while (a < end) {
        if (a >= skip_lo && a < skip_end) {
            a = skip_end;
            continue;
        }
        uint64_t stop = end;
        if (skip_lo > a && skip_lo < stop)
            stop = skip_lo;
        long i = fw_image_find(img, a);
        if (i >= 0) {
            const fw_chunk *c = fw_image_chunk(img, (size_t)i);
            uint64_t cend = c->addr + c->len < stop ? c->addr + c->len : stop;
            feed(&s, c->data + (a - c->addr), (size_t)(cend - a));
            a = cend;
        } else {
            /* up to the next chunk, in fill bytes */
            for (size_t j = 0; j < fw_image_chunk_count(img); j++) {
                uint64_t ca = fw_image_chunk(img, j)->addr;
                if (ca > a) {
                    if (ca < stop)
                        stop = ca;
                    break;
                }
            }
            while (a < stop) {
                size_t n = stop - a < sizeof(gap) ? (size_t)(stop - a) : sizeof(gap);
                feed(&s, gap, n);
                a += n;
            }
        }
    }
    *out = finish(&s);
    return FW_OK;
}

int fw_checksum_store(fw_image *img, uint64_t addr, uint32_t value, unsigned width, bool big_endian)
{
    uint8_t b[4];
    for (unsigned i = 0; i < width; i++)
        b[big_endian ? width - 1 - i : i] = (uint8_t)(value >> (8 * i));
    return fw_image_put(img, addr, b, width, "<checksum>");
}
