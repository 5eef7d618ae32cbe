/* Transforms that change where data lives or which data is kept. Each keeps
 * the provenance of the bytes that remain. */
#ifndef FWKIT_TRANSFORM_H
#define FWKIT_TRANSFORM_H

#include "fwkit/diag.h"
#include "fwkit/image.h"

/* Moves every byte (and the start address) by delta; FW_ERANGE when an
 * address would leave 0..2^64-1. */
int fw_image_offset(fw_image *img, int64_t delta, fw_diag *d);
/* Keeps only [lo, end). */
int fw_image_crop(fw_image *img, uint64_t lo, uint64_t end);
/* Drops [lo, end). */
int fw_image_exclude(fw_image *img, uint64_t lo, uint64_t end);

#endif
