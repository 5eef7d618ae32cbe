/* SPDX-License-Identifier: MIT */
/* UF2 (Microsoft's USB flashing format): 512-byte blocks, each carrying up
 * to 476 payload bytes for one target address; fwkit writes 256-byte
 * payloads at 256-byte aligned addresses, as the format recommends. */
#include "formats.h"
#include "fwkit/bytes.h"

#include <string.h>
#include <strings.h>

#define UF2_MAGIC0 0x0A324655u
#define UF2_MAGIC1 0x9E5D5157u
#define UF2_MAGIC_END 0x0AB16F30u
#define UF2_FLAG_NOT_MAIN 0x00000001u
#define UF2_FLAG_FAMILY 0x00002000u
#define PAYLOAD 256

/* The STM32 entries of the UF2 project's family list (utils/uf2families.json),
 * including the part-specific ids some bootloaders expect. */
static const struct {
    const char *name;
    uint32_t id;
} families[] = {
    {"STM32F0", 0x647824b6},     {"STM32F1", 0x5ee21072},     {"STM32F2", 0x5d1a0a2e},
    {"STM32F3", 0x6b846188},     {"STM32F4", 0x57755a57},     {"STM32F407", 0x6d0922fa},
    {"STM32F407VG", 0x8fb060fe}, {"STM32F411xC", 0x06d1097b}, {"STM32F411xE", 0x2dc309c5},
    {"STM32F7", 0x53b80f00},     {"STM32G0", 0x300f5633},     {"STM32G4", 0x4c71240a},
    {"STM32H7", 0x6db66082},     {"STM32L0", 0x202e3a91},     {"STM32L1", 0x1e1f432d},
    {"STM32L4", 0x00ff6919},     {"STM32L5", 0x04240bdf},     {"STM32WB", 0x70d16653},
    {"STM32WL", 0x21460ff0},
};

bool fw_uf2_family(const char *name, uint32_t *id)
{
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        if (!strcasecmp(name, families[i].name)) {
            *id = families[i].id;
            return true;
        }
    return false;
}

int fw_uf2_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d)
{
    (void)opt;
    uint64_t lo, end;
    if (fw_image_span(img, &lo, &end) && end > 0x100000000ull) {
        fw_location loc = {.file = name};
        fw_diag_add(d, FW_ERROR, "WRITE-RANGE", &loc, "address 0x%llx does not fit in UF2 (32-bit addresses)",
                    (unsigned long long)(end - 1));
        return FW_ERANGE;
    }
    return FW_OK;
}

/* The 256-byte aligned blocks that hold data, in address order. */
static uint64_t count_blocks(const fw_image *img)
{
    uint64_t n = 0, last = UINT64_MAX;
    for (size_t i = 0; i < fw_image_chunk_count(img); i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        uint64_t first = c->addr / PAYLOAD, final = (c->addr + c->len - 1) / PAYLOAD;
        n += final - first + 1 - (first == last);
        last = final;
    }
    return n;
}

int fw_uf2_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt)
{
    uint64_t total = count_blocks(img), no = 0, last = UINT64_MAX;
    for (size_t i = 0; i < fw_image_chunk_count(img) && !o->err; i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        for (uint64_t blk = c->addr / PAYLOAD; blk <= (c->addr + c->len - 1) / PAYLOAD; blk++) {
            if (blk == last)
                continue; /* written with the chunk before */
            last = blk;
            uint8_t b[512];
            memset(b, 0, sizeof(b));
            fw_put_le32(b, UF2_MAGIC0);
            fw_put_le32(b + 4, UF2_MAGIC1);
            fw_put_le32(b + 8, opt->has_uf2_family ? UF2_FLAG_FAMILY : 0);
            fw_put_le32(b + 12, (uint32_t)(blk * PAYLOAD));
            fw_put_le32(b + 16, PAYLOAD);
            fw_put_le32(b + 20, (uint32_t)no++);
            fw_put_le32(b + 24, (uint32_t)total);
            fw_put_le32(b + 28, opt->has_uf2_family ? opt->uf2_family : 0);
            memset(b + 32, opt->fill, PAYLOAD);
            /* every chunk's bytes in this block (chunks may share one) */
            for (size_t k = i; k < fw_image_chunk_count(img); k++) {
                const fw_chunk *q = fw_image_chunk(img, k);
                uint64_t lo = blk * PAYLOAD, hi = lo + PAYLOAD;
                if (q->addr >= hi)
                    break;
                uint64_t a = q->addr > lo ? q->addr : lo, e = q->addr + q->len < hi ? q->addr + q->len : hi;
                if (a < e)
                    memcpy(b + 32 + (a - lo), q->data + (a - q->addr), (size_t)(e - a));
            }
            fw_put_le32(b + 508, UF2_MAGIC_END);
            fw_output_put(o, b, sizeof(b));
        }
    }
    return o->err;
}

int fw_uf2_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d)
{
    (void)opt;
    int source = fw_image_source(img, in->name, NULL);
    if (source < 0)
        return source;
    uint8_t b[512];
    uint64_t off = 0;
    for (;;) {
        size_t got = 0;
        while (got < sizeof(b)) {
            ssize_t r = fw_input_read(in, b + got, sizeof(b) - got, d);
            if (r < 0)
                return (int)r;
            if (r == 0)
                break;
            got += (size_t)r;
        }
        if (!got)
            return FW_OK;
        fw_location loc = {.file = in->name, .has_offset = true, .offset = off};
        if (got < sizeof(b)) {
            fw_diag_add(d, FW_ERROR, "FMT-UF2", &loc, "the last block has %zu bytes, not 512: the file is truncated", got);
            return FW_EFORMAT;
        }
        if (fw_get_le32(b) != UF2_MAGIC0 || fw_get_le32(b + 4) != UF2_MAGIC1 || fw_get_le32(b + 508) != UF2_MAGIC_END) {
            fw_diag_add(d, FW_ERROR, "FMT-UF2", &loc, "block %llu has bad magic numbers",
                        (unsigned long long)(off / 512));
            return FW_EFORMAT;
        }
        uint32_t flags = fw_get_le32(b + 8), addr = fw_get_le32(b + 12), size = fw_get_le32(b + 16);
        if (size > 476) {
            fw_diag_add(d, FW_ERROR, "FMT-UF2", &loc, "block %llu carries %u bytes, more than 476",
                        (unsigned long long)(off / 512), size);
            return FW_EFORMAT;
        }
        if (!(flags & UF2_FLAG_NOT_MAIN)) {
            int rc = fw_image_add(img, addr, b + 32, size, source, off + 32, 0);
            if (rc)
                return rc;
        }
        off += sizeof(b);
    }
}
