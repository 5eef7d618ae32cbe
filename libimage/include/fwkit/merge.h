/* SPDX-License-Identifier: MIT */
/* Merging images: a bootloader and an application, a settings page... */
#ifndef FWKIT_MERGE_H
#define FWKIT_MERGE_H

#include "fwkit/diag.h"
#include "fwkit/image.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fw_overlap_policy {
    FW_OVERLAP_ERROR, /* any address given twice is an error */
    FW_OVERLAP_SAME,  /* allowed where the bytes are identical */
    FW_OVERLAP_FIRST, /* the earlier input wins */
    FW_OVERLAP_LAST,  /* the later input wins */
} fw_overlap_policy;

/* Adds every byte of from to into, keeping where each came from. Overlaps
 * follow the policy; with ERROR and SAME a refused overlap is an FMT-OVERLAP
 * error naming both files (and lines or sections), the range and whether the
 * bytes differ, and the result is FW_EOVERLAP. The start address is not
 * merged (the caller decides). */
FW_API int fw_image_merge(fw_image *into, const fw_image *from, fw_overlap_policy policy, fw_diag *d);

/* Sets how fw_image_finish (and so fw_read_file_into) judges overlaps
 * between inputs: ERROR refuses identical bytes too, SAME allows them. Call it
 * before each input is read in: what is read after it is the new input. A file
 * that overlaps itself with different bytes is FW_EFORMAT (a bad input), an
 * overlap refused between inputs FW_EOVERLAP. */
FW_API void fw_image_merge_mode(fw_image *img, fw_overlap_policy policy);

#ifdef __cplusplus
}
#endif

#endif
