/* SPDX-License-Identifier: MIT */
/* Readers and writers. The format of an input is detected from its content;
 * gzip-compressed inputs are read transparently. */
#ifndef FWKIT_FORMAT_H
#define FWKIT_FORMAT_H

#include "fwkit/diag.h"
#include "fwkit/image.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

FW_API const char *fw_format_name(fw_format f);           /* "elf", "ihex", "srec", "bin" */
FW_API const char *fw_format_description(fw_format f);    /* "Intel HEX", ... */
/* Parses a user's format name (ihex, hex, srec, s19, s28, s37, bin, binary, elf,
 * uf2, c, vmem). */
FW_API fw_format fw_format_parse(const char *name);
/* The output format a file name asks for, FW_FMT_UNKNOWN when none. */
FW_API fw_format fw_format_from_extension(const char *path);

typedef struct fw_read_options {
    fw_format format;   /* FW_FMT_UNKNOWN: detect from content */
    bool has_base;      /* raw binary: where the first byte goes */
    uint64_t base;
    /* Copy every byte into memory. Without it, big ELF segments stay mapped
     * from the file (no copy until written): right for a tool that reads,
     * writes and exits, not for one that holds the image while the file may
     * be rebuilt in place (a flasher). */
    bool private_copy;
    /* ELF: every byte of the load segments, the padding between sections
     * included (what a segment loader writes). Without it, the bytes of the
     * allocated sections with contents, at their load address, as objcopy
     * takes them. */
    bool elf_whole_segments;
} fw_read_options;

/* Reads path ("-" is standard input). On success *out owns a finished image.
 * Every problem goes to d with file and line (or offset). */
FW_API int fw_read_file(const char *path, const fw_read_options *opt, fw_image **out, fw_diag *d);
/* Reads path into an image that may already hold data (merging without a
 * copy): overlaps with what is there are judged by the image's rules (see
 * fw_image_merge_mode). The file's start address goes to *start; the image's
 * own start address and format are left as they were. */
FW_API int fw_read_file_into(const char *path, const fw_read_options *opt, fw_image *img, fw_start *start, fw_diag *d);
/* The same from memory; name is used in diagnostics. */
FW_API int fw_read_memory(const void *buf, size_t len, const char *name,
                          const fw_read_options *opt, fw_image **out, fw_diag *d);

typedef struct fw_write_options {
    fw_format format;
    unsigned record_bytes;  /* data bytes per record, 1..255; 0 = 16 */
    bool crlf;              /* line endings; default LF */
    bool ihex_segment;      /* type 02/03 records instead of 04/05 */
    unsigned srec_type;     /* 1, 2 or 3 to force S1/S2/S3; 0 = by highest address */
    const char *srec_header;/* S0 text; NULL = the image's own, else the output name */
    bool srec_no_count;     /* leave out the S5/S6 count record */
    bool no_start;          /* leave out the start address record */
    uint8_t fill;           /* raw binary gaps, and the unused bytes of UF2 blocks */
    bool has_uf2_family;    /* UF2: set the family id (flag 0x2000) */
    uint32_t uf2_family;
    const char *c_name;     /* C array: the prefix of every name (default "firmware") */
    uint64_t max_gap;       /* raw binary: largest gap written; 0 = 16 MiB */
} fw_write_options;

FW_API void fw_write_options_init(fw_write_options *o);
/* The UF2 family id of a name (STM32F4, stm32l1...) from the UF2 family list. */
FW_API bool fw_uf2_family(const char *name, uint32_t *id);

/* Writes img to path ("-" is standard output) through a temporary file that
 * is renamed into place, so an error leaves nothing behind. */
FW_API int fw_write_file(const fw_image *img, const char *path, const fw_write_options *opt, fw_diag *d);
/* Writes to an open descriptor (no temporary file). name is for diagnostics. */
FW_API int fw_write_fd(const fw_image *img, int fd, const char *name, const fw_write_options *opt, fw_diag *d);

#ifdef __cplusplus
}
#endif

#endif
