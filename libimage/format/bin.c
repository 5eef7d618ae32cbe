/* SPDX-License-Identifier: MIT */
/* Raw binary: bytes with no addresses. Reading needs a base address; writing
 * fills the gaps between chunks. */
#include "formats.h"

#include "fwkit/bytes.h"
#include "fwkit/transform.h"

#include <string.h>
#include <zlib.h>

int fw_bin_read(struct fw_input *in, fw_image *img, const fw_read_options *opt, fw_diag *d)
{
    uint64_t base = opt && opt->has_base ? opt->base : 0;
    fw_location loc = {.file = in->name};
    int source = fw_image_source(img, in->name, NULL);
    if (source < 0)
        return source;
    uint64_t off = 0;
    if (in->regular && !in->gz && in->file_size) {
        /* one allocation of the file's size, filled in place */
        if (in->file_size > FW_ADDR_END - base) {
            fw_diag_add(d, FW_ERROR, "BIN-BASE", &loc, "%llu bytes at base 0x%llx run past the end of the address space",
                        (unsigned long long)in->file_size, (unsigned long long)base);
            return FW_ERANGE;
        }
        uint8_t *w;
        int rc = fw_image_reserve(img, base, (size_t)in->file_size, source, 0, 0, &w);
        if (rc)
            return rc;
        while (off < in->file_size) {
            ssize_t r = fw_input_read(in, w + off, (size_t)(in->file_size - off), d);
            if (r < 0)
                return (int)r;
            if (r == 0) {
                fw_diag_add(d, FW_ERROR, "IO", &loc, "file shrank while being read (%llu of %llu bytes)",
                            (unsigned long long)off, (unsigned long long)in->file_size);
                return FW_EIO;
            }
            off += (uint64_t)r;
        }
    }
    uint8_t buf[1 << 16];
    for (;;) {
        ssize_t r = fw_input_read(in, buf, sizeof(buf), d);
        if (r < 0)
            return (int)r;
        if (r == 0)
            break;
        if ((uint64_t)r > FW_ADDR_END - base - off) {
            fw_diag_add(d, FW_ERROR, "BIN-BASE", &loc, "data at base 0x%llx runs past the end of the address space",
                        (unsigned long long)base);
            return FW_ERANGE;
        }
        int rc = fw_image_add(img, base + off, buf, (size_t)r, source, off, 0);
        if (rc)
            return rc;
        off += (uint64_t)r;
    }
    if (off == 0) {
        fw_diag_add(d, FW_WARNING, "IMG-EMPTY", &loc, "file is empty (0 bytes)");
    } else if (!opt || !opt->has_base) { /* where nothing was placed, the base does not matter */
        fw_diagnostic *e = fw_diag_add(d, FW_NOTE, "BIN-BASE", &loc,
                                       "raw binary has no addresses; placed at 0x00000000");
        fw_diagnostic_set_hint(e, "give the load address with --base (STM32 flash is at 0x08000000)");
    }
    return FW_OK;
}

int fw_bin_check(const fw_image *img, const fw_write_options *opt, const char *name, fw_diag *d)
{
    uint64_t max_gap = opt->max_gap ? opt->max_gap : 16ull << 20;
    for (size_t i = 1; i < fw_image_chunk_count(img); i++) {
        const fw_chunk *a = fw_image_chunk(img, i - 1), *b = fw_image_chunk(img, i);
        uint64_t gap = b->addr - (a->addr + a->len);
        if (gap > max_gap) {
            fw_location loc = {.file = name};
            fw_diagnostic *e = fw_diag_add(
                d, FW_ERROR, "WRITE-GAP", &loc,
                "a raw binary would need %llu fill bytes for the gap 0x%08llx-0x%08llx (limit %llu)",
                (unsigned long long)gap, (unsigned long long)(a->addr + a->len),
                (unsigned long long)(b->addr - 1), (unsigned long long)max_gap);
            fw_diagnostic_set_hint(e, "the image has data far apart (flash and RAM or option bytes?): "
                                      "--crop to the part you want, or raise the limit with --max-gap");
            fw_diagnostic_set_range(e, a->addr + a->len, b->addr);
            return FW_ERANGE;
        }
    }
    return FW_OK;
}

int fw_bin_write(const fw_image *img, struct fw_output *o, const fw_write_options *opt)
{
    uint8_t fill[1 << 16];
    memset(fill, opt->fill, sizeof(fill));
    for (size_t i = 0; i < fw_image_chunk_count(img) && !o->err; i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        if (i) {
            const fw_chunk *p = fw_image_chunk(img, i - 1);
            for (uint64_t gap = c->addr - (p->addr + p->len); gap && !o->err;) {
                size_t n = gap < sizeof(fill) ? (size_t)gap : sizeof(fill);
                fw_output_put(o, fill, n);
                gap -= n;
            }
        }
        fw_output_put(o, c->data, c->len);
    }
    return o->err;
}

/* The USB DFU file suffix (DFU 1.1, appendix B): the last 16 bytes are
 * bcdDevice, idProduct, idVendor, bcdDFU (little-endian 16-bit each), the
 * signature "UFD", bLength 16, and dwCRC, the CRC-32 register over every
 * byte before dwCRC without the final inversion (so ~zlib's crc32).
 * dfu-util and STM32 DFU tool chains (PlatformIO's upload_protocol dfu)
 * append it; it describes the file and is not firmware. */
int fw_bin_strip_dfu_suffix(fw_image *img, const char *name, fw_diag *d)
{
    if (fw_image_chunk_count(img) != 1)
        return FW_OK;
    const fw_chunk *c = fw_image_chunk(img, 0);
    if (c->len < 16 + 8)
        return FW_OK;
    const uint8_t *sfx = c->data + c->len - 16;
    if (memcmp(sfx + 8, "UFD", 3) || sfx[11] != 16)
        return FW_OK;
    uint32_t want = fw_get_le32(sfx + 12);
    uint32_t crc = 0;
    for (size_t done = 0, n = c->len - 4; done < n;) {
        uInt step = n - done > (1u << 30) ? (1u << 30) : (uInt)(n - done);
        crc = (uint32_t)crc32(crc, c->data + done, step);
        done += step;
    }
    if ((crc ^ 0xFFFFFFFFu) != want)
        return FW_OK; /* "UFD" by chance: firmware bytes */
    unsigned dev = sfx[0] | sfx[1] << 8, pid = sfx[2] | sfx[3] << 8, vid = sfx[4] | sfx[5] << 8,
             dfu = sfx[6] | sfx[7] << 8;
    uint64_t at = c->addr + c->len - 16;
    fw_location loc = {.file = name, .has_offset = true, .offset = c->len - 16};
    fw_diagnostic *e = fw_diag_add(d, FW_NOTE, "BIN-DFU-SUFFIX", &loc,
                                   "the last 16 bytes are a USB DFU file suffix (vendor 0x%04x%s, product 0x%04x, "
                                   "device 0x%04x, DFU %x.%x, CRC correct), not firmware: left out of the image",
                                   vid, vid == 0x0483 ? " STMicroelectronics" : "", pid, dev, dfu >> 8, (dfu >> 4) & 0xF);
    fw_diagnostic_set_hint(e, "a DFU loader (dfu-util) reads the suffix; a debug probe writes only the firmware "
                              "before it");
    return fw_image_exclude(img, at, at + 16);
}
