/* SPDX-License-Identifier: MIT */
/* Comparing two images as address -> byte maps, whatever their formats. */
#ifndef FWKIT_COMPARE_H
#define FWKIT_COMPARE_H

#include <stdint.h>

#include "fwkit/image.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fw_diff_kind { FW_DIFF_CHANGED, FW_DIFF_ONLY_A, FW_DIFF_ONLY_B } fw_diff_kind;

/* A maximal run of addresses of one kind. For CHANGED, the first bytes of
 * each side (up to 8). */
typedef struct fw_diff_run {
    fw_diff_kind kind;
    uint64_t lo, end;
    size_t nshown;
    uint8_t a[8], b[8];
} fw_diff_run;

typedef struct fw_diff_totals {
    uint64_t changed, only_a, only_b;  /* bytes */
    uint64_t runs[3];                  /* runs of each kind */
} fw_diff_totals;

/* Called for every run in address order; a non-zero return stops the walk. */
typedef int (*fw_diff_fn)(const fw_diff_run *run, void *user);

/* Compares a and b over [lo, end) (0, UINT64_MAX for everything). With
 * fill >= 0, an address present in only one image is compared with that
 * byte instead (a binary padded with 0xFF equals the sparse HEX it came
 * from). Returns 0 when equal, 1 when not; totals may be NULL. */
FW_API int fw_image_diff(const fw_image *a, const fw_image *b, uint64_t lo, uint64_t end, int fill, fw_diff_fn fn,
                         void *user, fw_diff_totals *totals);

#ifdef __cplusplus
}
#endif

#endif
