/* SPDX-License-Identifier: MIT */
/* Transforms that change where data lives or which data is kept. Each keeps
 * the provenance of the bytes that remain. */
#ifndef FWKIT_TRANSFORM_H
#define FWKIT_TRANSFORM_H

#include "fwkit/diag.h"
#include "fwkit/image.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Moves every byte (and the start address) by delta; FW_ERANGE when an
 * address would leave 0..2^64-1. */
FW_API int fw_image_offset(fw_image *img, int64_t delta, fw_diag *d);
/* Keeps only [lo, end). */
FW_API int fw_image_crop(fw_image *img, uint64_t lo, uint64_t end);
/* Drops [lo, end). */
FW_API int fw_image_exclude(fw_image *img, uint64_t lo, uint64_t end);
/* Puts len bytes at addr, replacing what was there; origin names where
 * they came from ("<checksum>", "<stamp uid>"). The image stays finished. */
FW_API int fw_image_put(fw_image *img, uint64_t addr, const void *bytes, size_t len, const char *origin);

/* Fills the gaps in [lo, end) with pattern (plen bytes, repeated from lo, so
 * the byte at a is pattern[(a - lo) % plen]). */
FW_API int fw_image_fill(fw_image *img, uint64_t lo, uint64_t end, const uint8_t *pattern, size_t plen);
/* Pads the end of the image, or of every chunk, up to a multiple of align
 * (a power of two) with fill. */
FW_API int fw_image_pad(fw_image *img, uint64_t align, uint8_t fill, bool each_chunk);
/* Swaps the bytes of every 16- or 32-bit unit (width 2 or 4); each chunk must
 * start and end on a unit boundary (FW_ERANGE, with the chunk named). */
FW_API int fw_image_byteswap(fw_image *img, unsigned width, fw_diag *d);
/* The part of img in [lo, end), a new image (NULL when out of memory). */
FW_API fw_image *fw_image_slice(const fw_image *img, uint64_t lo, uint64_t end);

#ifdef __cplusplus
}
#endif

#endif
