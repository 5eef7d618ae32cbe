/* SPDX-License-Identifier: MIT */
/* The transform options fwconv and fwmerge share: parsing and applying them
 * in one order (crop, exclude, offset, fill, pad, byte-swap), and writing a
 * result split by size or by the target's regions. */
#ifndef FWKIT_TOOLS_TRANSFORM_OPTS_H
#define FWKIT_TOOLS_TRANSFORM_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "fwkit/format.h"
#include "fwkit/target.h"

#define TRANSFORM_MAX_EXCLUDES 32

enum {
    OOPT_RECORD_BYTES = 900, OOPT_CRLF, OOPT_MAX_GAP, OOPT_FILL, OOPT_SEGMENT, OOPT_SREC_TYPE, OOPT_SREC_HEADER,
    OOPT_NO_COUNT, OOPT_NO_START, OOPT_UF2_FAMILY, OOPT_C_NAME,
};

/* The output options every writing tool takes (-O is handled with them). */
#define OUTPUT_LONGOPTS                                                                                             \
    {"output-format", required_argument, NULL, 'O'}, {"record-bytes", required_argument, NULL, OOPT_RECORD_BYTES},  \
        {"crlf", no_argument, NULL, OOPT_CRLF}, {"max-gap", required_argument, NULL, OOPT_MAX_GAP},                 \
        {"fill", required_argument, NULL, OOPT_FILL}, {"segment-records", no_argument, NULL, OOPT_SEGMENT},         \
        {"srec-type", required_argument, NULL, OOPT_SREC_TYPE},                                                     \
        {"srec-header", required_argument, NULL, OOPT_SREC_HEADER}, {"no-count", no_argument, NULL, OOPT_NO_COUNT}, \
        {"no-start", no_argument, NULL, OOPT_NO_START}, {"uf2-family", required_argument, NULL, OOPT_UF2_FAMILY},   \
        {"c-name", required_argument, NULL, OOPT_C_NAME}

#define OUTPUT_HELP                                                                                        \
    "  -O, --output-format FMT ihex, srec, bin, uf2, c or vmem (default: from OUT's extension)\n"          \
    "      --fill BYTE         gap byte for raw binary, UF2 blocks and --fill-gaps (default: the\n"       \
    "                          target's erased value with --target, else 0xFF)\n"                         \
    "      --max-gap N         raw binary output: largest gap to fill (default 16M)\n"                    \
    "      --record-bytes N    data bytes per HEX or S-record record (default 16)\n"                      \
    "      --crlf              CRLF line endings (default LF)\n"                                          \
    "      --segment-records   Intel HEX: type 02/03 records instead of 04/05\n"                          \
    "      --srec-type N       S-record: force S1, S2 or S3 data records\n"                               \
    "      --srec-header TEXT  S-record: S0 header text\n"                                                \
    "      --no-count          S-record: leave out the S5/S6 count record\n"                              \
    "      --no-start          leave out the start address record\n"                                      \
    "      --uf2-family ID     UF2: the family id, a number or a name (STM32F4, STM32L1...)\n"            \
    "      --c-name NAME       C array: the prefix of every name (default firmware)\n"

/* Handles an output option: 1 done, 0 not ours, -1 a bad value (reported).
 * *has_fill records whether --fill was given. */
int output_option(fw_write_options *w, bool *has_fill, int c, const char *arg);
/* The output format from OUT's extension when -O was not given; false
 * (reported) when it cannot be told. */
bool output_format_default(fw_write_options *w, const char *out);
/* With a target and no --fill: the target's erased value, said when it
 * matters (raw binary, UF2, or transforms that fill). */
void output_default_fill(fw_write_options *w, bool has_fill, const fw_target *t, bool fills, bool quiet);

enum {
    TOPT_CROP = 1000, TOPT_EXCLUDE, TOPT_OFFSET, TOPT_FILL_GAPS, TOPT_FILL_PATTERN, TOPT_PAD_TO, TOPT_PAD_CHUNKS,
    TOPT_BYTE_SWAP, TOPT_SPLIT, TOPT_SPLIT_REGIONS,
};

#define TRANSFORM_LONGOPTS                                                                                          \
    {"crop", required_argument, NULL, TOPT_CROP}, {"exclude", required_argument, NULL, TOPT_EXCLUDE},               \
        {"offset", required_argument, NULL, TOPT_OFFSET}, {"fill-gaps", required_argument, NULL, TOPT_FILL_GAPS},   \
        {"fill-pattern", required_argument, NULL, TOPT_FILL_PATTERN},                                               \
        {"pad-to", required_argument, NULL, TOPT_PAD_TO}, {"pad-chunks", required_argument, NULL, TOPT_PAD_CHUNKS}, \
        {"byte-swap", required_argument, NULL, TOPT_BYTE_SWAP}, {"split", required_argument, NULL, TOPT_SPLIT},     \
        {"split-regions", no_argument, NULL, TOPT_SPLIT_REGIONS}

#define TRANSFORM_HELP                                                                                 \
    "      --crop START:END    keep only [START, END) (input addresses)\n"                             \
    "      --exclude START:END drop [START, END) (repeatable)\n"                                        \
    "      --offset DELTA      move every byte by DELTA (may be negative)\n"                            \
    "      --fill-gaps START:END  fill the gaps in [START, END) with --fill or --fill-pattern\n"        \
    "      --fill-pattern HEX  a repeating fill pattern, e.g. DEADBEEF\n"                               \
    "      --pad-to ALIGN      pad the end of the data to a multiple of ALIGN\n"                        \
    "      --pad-chunks ALIGN  pad the end of every chunk to a multiple of ALIGN\n"                     \
    "      --byte-swap 2|4     swap the bytes of each 16- or 32-bit unit\n"                             \
    "      --split SIZE        write SIZE-byte pieces: OUT-1.ext, OUT-2.ext, ...\n"                     \
    "      --split-regions     with --target: one file per memory region (OUT-BANK_1.ext ...)\n"

struct transform_opts {
    bool crop;
    uint64_t crop_lo, crop_end;
    size_t nexclude;
    uint64_t ex_lo[TRANSFORM_MAX_EXCLUDES], ex_end[TRANSFORM_MAX_EXCLUDES];
    int64_t offset;
    bool fill_gaps;
    uint64_t fill_lo, fill_end;
    uint8_t pattern[64];
    size_t plen;
    uint64_t pad_align;
    bool pad_each;
    unsigned swap;
    uint64_t split_size;
    bool split_regions;
};

/* Handles option c if it is a transform option: 1 done, 0 not ours, -1 a bad
 * value (already reported). */
int transform_option(struct transform_opts *t, int c, const char *arg);
/* Applies the transforms; fill is the gap byte when no pattern was given. */
int transform_apply(fw_image *img, const struct transform_opts *t, uint8_t fill, fw_diag *d);
/* Writes img to out, split as asked. */
int transform_write(const fw_image *img, const char *out, const fw_write_options *w, const struct transform_opts *t,
                    const fw_target *target, fw_diag *d);

#endif
