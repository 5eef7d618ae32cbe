/* SPDX-License-Identifier: MIT */
/* Checksums over an address range of an image (gaps filled), as bootloaders
 * and boot ROMs compute them, and writing one into the image. */
#ifndef FWKIT_CHECKSUM_H
#define FWKIT_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/image.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fw_checksum_kind {
    FW_CK_CRC32,         /* zlib's CRC-32 (ISO-HDLC): check 0xCBF43926 */
    FW_CK_CRC32_MPEG2,   /* the STM32 CRC unit over little-endian 32-bit words */
    FW_CK_CRC16_CCITT,   /* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF; check 0x29B1 */
    FW_CK_CRC16_XMODEM,  /* poly 0x1021, init 0; check 0x31C3 */
    FW_CK_SUM8,          /* sum of the bytes, modulo 2^8, 2^16, 2^32 */
    FW_CK_SUM16,
    FW_CK_SUM32,
    FW_CK_SUM8_NEG,      /* two's complement: range plus slot sums to 0 */
    FW_CK_SUM16_NEG,
    FW_CK_SUM32_NEG,
    FW_CK_ADLER32,       /* zlib's Adler-32: check 0x091E01DE */
    FW_CK_COUNT
} fw_checksum_kind;

FW_API const char *fw_checksum_name(fw_checksum_kind k);
FW_API bool fw_checksum_parse(const char *name, fw_checksum_kind *out);
/* Bytes the value takes in the image: 1, 2 or 4. */
FW_API unsigned fw_checksum_width(fw_checksum_kind k);

/* The checksum of a plain byte buffer (n must be a multiple of 4 for
 * crc32-mpeg2). */
FW_API uint32_t fw_checksum_bytes(fw_checksum_kind k, const uint8_t *p, size_t n);

/* The checksum of [lo, end) of img, gaps read as fill, leaving out
 * [skip_lo, skip_end) (the slot itself; skip_lo == skip_end for none). */
FW_API int fw_checksum_range(const fw_image *img, fw_checksum_kind k, uint64_t lo, uint64_t end, uint8_t fill,
                             uint64_t skip_lo, uint64_t skip_end, uint32_t *out, fw_diag *d);

/* Writes value at addr in the image, width bytes, little- or big-endian;
 * the slot becomes image data (replacing what was there). */
FW_API int fw_checksum_store(fw_image *img, uint64_t addr, uint32_t value, unsigned width, bool big_endian);

#ifdef __cplusplus
}
#endif

#endif
