/* SPDX-License-Identifier: MIT */
/* The sparse image: address-sorted, coalesced chunks of bytes, each byte
 * traceable to the file, line (or byte offset) and ELF section it came from.
 * Memory grows with the data, never with the address span. */
#ifndef FWKIT_IMAGE_H
#define FWKIT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fw_chunk {
    uint64_t addr;
    size_t len;
    uint8_t *data;
} fw_chunk;

typedef enum fw_format {
    FW_FMT_UNKNOWN = 0,
    FW_FMT_ELF,
    FW_FMT_IHEX,
    FW_FMT_SREC,
    FW_FMT_BIN,
    FW_FMT_UF2,   /* USB flashing format: 512-byte blocks of 256-byte payloads */
    FW_FMT_C,     /* a C source with one const array per chunk (written only) */
    FW_FMT_VMEM,  /* Verilog $readmemh text (written only) */
} fw_format;

typedef enum fw_start_kind {
    FW_START_NONE = 0,
    FW_START_LINEAR,  /* ELF e_entry, HEX 05, S7/S8/S9 */
    FW_START_SEGMENT, /* HEX 03: CS:IP */
} fw_start_kind;

typedef struct fw_start {
    fw_start_kind kind;
    uint64_t addr;     /* linear address; for CS:IP it is CS*16+IP */
    uint16_t cs, ip;   /* kept for FW_START_SEGMENT so a round trip is exact */
} fw_start;

/* ELF facts kept as metadata for lint; data comes from PT_LOAD segments. */
typedef struct fw_elf_section {
    char *name;
    uint32_t type;
    uint64_t flags;
    uint64_t vma, lma, size, offset;
} fw_elf_section;

typedef struct fw_elf_segment {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz;
} fw_elf_segment;

typedef struct fw_elf_symbol {
    char *name;
    uint64_t value, size;
    uint8_t type, bind;  /* STT_*, STB_* */
    uint16_t shndx;
} fw_elf_symbol;

/* Build attributes (ARM EABI "aeabi" / RISC-V "riscv" subsections), -1 or NULL when absent. */
typedef struct fw_elf_attributes {
    int cpu_arch;          /* Tag_CPU_arch (6): 10 v7, 11 v6-M, 12 v6S-M, 13 v7E-M, 16 v8-M.base, 17 v8-M.main */
    int cpu_arch_profile;  /* Tag_CPU_arch_profile (7): 'A', 'R', 'M', 'S' */
    int arm_isa_use;       /* Tag_ARM_ISA_use (8) */
    int thumb_isa_use;     /* Tag_THUMB_ISA_use (9) */
    int fp_arch;           /* Tag_FP_arch (10) */
    int abi_vfp_args;      /* Tag_ABI_VFP_args (28) */
    int abi_hardfp_use;    /* Tag_ABI_HardFP_use (27): 1 single precision only, absent or 3 = double too */
    int dsp_extension;     /* Tag_DSP_extension (46) */
    char *riscv_arch;      /* Tag_RISCV_arch (5) */
} fw_elf_attributes;

typedef struct fw_elf_info {
    int elf_class;       /* 32 or 64 */
    bool big_endian;
    uint16_t machine, type;
    uint32_t flags;
    uint64_t entry;
    bool used_vaddr;     /* every physical address was 0, so virtual ones were used */
    size_t nsections;
    fw_elf_section *sections;
    size_t nsegments;
    fw_elf_segment *segments;
    size_t build_id_len;
    uint8_t *build_id;
    size_t nsymbols;
    fw_elf_symbol *symbols;
    fw_elf_attributes attributes;
    char *comment;       /* the .comment section's strings joined by "; " (who built it), or NULL */
} fw_elf_info;

/* A symbol by name, or NULL. */
FW_API const fw_elf_symbol *fw_elf_symbol_named(const fw_elf_info *e, const char *name);
/* The function (STT_FUNC) whose bytes hold addr, its Thumb bit ignored (a
 * function of size 0 only at its first byte), or NULL: what a core whose
 * PC is addr runs. */
FW_API const fw_elf_symbol *fw_elf_function_at(const fw_elf_info *e, uint64_t addr);
/* The section at index, or NULL. */
FW_API const fw_elf_section *fw_elf_section_named(const fw_elf_info *e, const char *name);

/* The highest address plus one that an image may hold: data ends below 2^64-1
 * so that every end address fits in 64 bits. */
#define FW_ADDR_END UINT64_MAX

/* Where a byte came from. */
typedef struct fw_origin {
    const char *file;
    const char *section;  /* ELF section, or NULL */
    bool has_line;
    uint64_t line;        /* text formats */
    bool has_offset;
    uint64_t offset;      /* binary and ELF: byte offset in the file */
} fw_origin;

typedef struct fw_image fw_image;

FW_API fw_image *fw_image_new(void);
FW_API void fw_image_free(fw_image *img);
FW_API fw_image *fw_image_clone(const fw_image *img);

/* --- reading the data --- */
FW_API size_t fw_image_chunk_count(const fw_image *img);
FW_API const fw_chunk *fw_image_chunk(const fw_image *img, size_t i);
FW_API uint64_t fw_image_data_size(const fw_image *img);
FW_API bool fw_image_is_empty(const fw_image *img);
/* Lowest address and one past the highest; false for an empty image. */
FW_API bool fw_image_span(const fw_image *img, uint64_t *lo, uint64_t *end);
/* Index of the chunk holding addr, or -1. */
FW_API long fw_image_find(const fw_image *img, uint64_t addr);
/* Copies n bytes at addr into out; false unless every byte is present. */
FW_API bool fw_image_read(const fw_image *img, uint64_t addr, void *out, size_t n);
/* zlib CRC-32 of the data bytes in address order (gaps are not bytes). */
FW_API uint32_t fw_image_crc32(const fw_image *img);
/* 0 when both hold the same bytes at the same addresses, 1 otherwise; the
 * lowest differing address (present in one and not the other, or different)
 * goes to *first_diff when not NULL. */
FW_API int fw_image_compare(const fw_image *a, const fw_image *b, uint64_t *first_diff);

/* Where the byte at addr came from; false when the image has no such byte. */
FW_API bool fw_image_origin_at(const fw_image *img, uint64_t addr, fw_origin *out);
/* Like fw_image_origin_at, and *run_end is where the run of bytes with the
 * same origin rule (one source, consecutive lines or offsets) ends. */
FW_API bool fw_image_origin_run(const fw_image *img, uint64_t addr, fw_origin *out, uint64_t *run_end);
/* The same as an fw_location for diagnostics. */
FW_API bool fw_image_location_at(const fw_image *img, uint64_t addr, fw_location *out);

/* --- metadata --- */
FW_API fw_format fw_image_format(const fw_image *img);
FW_API void fw_image_set_format(fw_image *img, fw_format f);
FW_API const char *fw_image_path(const fw_image *img);
FW_API const fw_start *fw_image_start(const fw_image *img);
FW_API void fw_image_set_start(fw_image *img, const fw_start *s);
FW_API const char *fw_image_header(const fw_image *img); /* S-record S0 text, or NULL */
FW_API int fw_image_set_header(fw_image *img, const char *text, size_t len);
FW_API const fw_elf_info *fw_image_elf(const fw_image *img); /* NULL unless read from ELF */
/* Takes ownership of info (freed with the image). */
FW_API void fw_image_set_elf(fw_image *img, fw_elf_info *info);
FW_API void fw_elf_info_free(fw_elf_info *info);

/* --- building (readers, transforms) --- */
/* Registers where following bytes come from; returns an origin id >= 0. */
FW_API int fw_image_source(fw_image *img, const char *file, const char *section);
/* Adds len bytes at addr. For text formats pass the line of the record and
 * the record's data length as bytes_per_line; for binary sources pass
 * bytes_per_line 0 and the file offset as pos. Adds may arrive in any order;
 * call fw_image_finish() before reading the image. */
FW_API int fw_image_add(fw_image *img, uint64_t addr, const void *data, size_t len,
                        int source, uint64_t pos, uint32_t bytes_per_line);
/* Like fw_image_add but sets *where to the place the caller must write the
 * len bytes. */
FW_API int fw_image_reserve(fw_image *img, uint64_t addr, size_t len, int source,
                            uint64_t pos, uint32_t bytes_per_line, uint8_t **where);
/* Sorts, coalesces, and resolves overlaps: identical bytes give a note,
 * different bytes an error naming both places (FW_EOVERLAP). */
FW_API int fw_image_finish(fw_image *img, fw_diag *d);

#ifdef __cplusplus
}
#endif

#endif
