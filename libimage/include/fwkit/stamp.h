/* SPDX-License-Identifier: MIT */
/* Per-board data stamped into an image before it is linted and programmed
 * (fwflash --stamp KIND@ADDR[,options]): the chip's unique ID, the next
 * number of a counter file, the programming time, a CRC-32 over a range. */
#ifndef FWKIT_STAMP_H
#define FWKIT_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/api.h"
#include "fwkit/diag.h"
#include "fwkit/image.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fw_stamp_kind {
    FW_STAMP_UID,     /* uid@ADDR[,crc32]: the 96-bit unique ID (12 bytes), or its CRC-32 (4) */
    FW_STAMP_COUNTER, /* counter:FILE@ADDR[,width=N][,be][,ascii] */
    FW_STAMP_TIME,    /* time@ADDR[,width=4|8][,be]: Unix seconds */
    FW_STAMP_CRC32,   /* crc32:START-END@ADDR[,be]: fwmerge --checksum crc32@ADDR:START-END's value */
} fw_stamp_kind;

typedef struct fw_stamp {
    fw_stamp_kind kind;
    uint64_t addr;
    unsigned width; /* bytes written at addr */
    bool big_endian;
    bool ascii;       /* counter: decimal digits, zero-padded to width */
    bool crc;         /* uid: its CRC-32 instead of the 12 bytes */
    char file[256];   /* counter: the file holding the next number */
    uint64_t lo, end; /* crc32: the range, end exclusive */
    /* once applied */
    uint64_t value; /* the counter's number, the time, the CRC-32 (uid: the CRC-32 when crc) */
    bool taken;     /* counter: a number was consumed from the file */
} fw_stamp;

/* Parses a --stamp spec; FW_EINVAL with a diagnostic naming what is wrong. */
FW_API int fw_stamp_parse(const char *spec, fw_stamp *out, fw_diag *d);
/* The spec again, in words ("counter 17 at 0x0800FC00 (4 bytes, little-endian)"). */
FW_API void fw_stamp_describe(const fw_stamp *s, char *out, size_t cap);
/* Counter stamps: takes the file's next number under an exclusive lock
 * (flock, with a deadline), writes the one after it back and syncs it
 * before returning, so a number is never handed out twice, even to
 * processes running at once. A missing file starts at 1; a file that does
 * not hold a decimal number is an error naming it. */
FW_API int fw_stamp_counter_take(fw_stamp *s, fw_diag *d);
/* The number fw_stamp_counter_take would hand out now, not consumed (a
 * stand-in for the lint gate before anything can be programmed). */
FW_API int fw_stamp_counter_peek(fw_stamp *s, fw_diag *d);
/* Writes the stamp into img (replacing what was there): uid from uid[12]
 * (read from the chip), time from now, counter from s->value (taken
 * before), crc32 over img with gaps read as fill. Sets s->value. */
FW_API int fw_stamp_apply(fw_image *img, fw_stamp *s, const uint8_t uid[12], uint64_t now, uint8_t fill, fw_diag *d);

#ifdef __cplusplus
}
#endif

#endif
