/* SPDX-License-Identifier: MIT */
/* What the lint rules share: the context of one run and its helpers. */
#ifndef FWKIT_LINT_INTERNAL_H
#define FWKIT_LINT_INTERNAL_H

#include "fwkit/lint.h"

struct fw_lint_config {
    signed char *state;   /* per rule: 0 default, -1 off, 1 on */
    bool *raised;         /* per rule: reported as an error */
    bool ram_load, allow_config;
    bool has_vtor;
    uint64_t vtor;
    bool has_slot;
    uint64_t slot_lo, slot_end;
};

/* The Cortex-M vector table the image starts with, as found. */
struct vectors {
    bool present;          /* at least the first two words are in the image */
    uint64_t addr;
    size_t nwords;         /* words present from addr (up to 16) */
    uint32_t word[16];
};

/* The linker that made an ELF, for hints in its terms. */
enum lint_toolchain { LINT_TC_UNKNOWN, LINT_TC_GNU, LINT_TC_LLD, LINT_TC_ARMLINK, LINT_TC_IAR };

struct lint {
    const fw_lint_input *in;
    const fw_lint_config *cfg;
    fw_diag *out;
    const fw_image *img;
    const fw_elf_info *elf;
    const char *path;
    const fw_target *t;    /* the device, or one made from the ld script */
    fw_target ld_target;   /* storage for that */
    fw_region *ld_regions;
    const fw_region *flash; /* the first flash region */
    int erased;            /* the flash's erased value (0xFF when unknown) */
    bool arm, riscv;
    struct vectors vt;
    enum lint_toolchain toolchain;
    bool ram_resident;     /* every byte is in RAM: said once by PLACE-RAM-LOAD */
    const char *core;      /* the core of a dual-core part the image runs on, NULL = any */
    const char *second_table; /* while the second core's vector table is checked: its name, for the findings */
};

/* Adds a finding of rule (with the configured severity) at loc; NULL when the
 * rule is off. */
fw_diagnostic *lint_emit(struct lint *l, const char *rule, const fw_location *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with a severity other than the rule's default (still subject to
 * the rule being turned off or raised). */
fw_diagnostic *lint_emit_as(struct lint *l, fw_severity sev, const char *rule, const fw_location *loc,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Where the byte at addr came from, else the image file. */
fw_location lint_where(const struct lint *l, uint64_t addr);
/* The place of an ld region, for hints and LD-* findings. */
fw_location lint_ld_where(const fw_ld_region *r);
/* Whether an ld MEMORY region holds flash: named like FLASH/ROM, or
 * executable and not writable. */
bool lint_ld_flash_like(const fw_ld_region *r);
/* The ld region that holds addr (non-empty regions), or NULL. */
const fw_ld_region *lint_ld_region_at(const struct lint *l, uint64_t addr);
/* The memory at addr: the region there, a TrustZone secure alias resolved
 * to the memory it shows (its kind says flash or RAM); NULL outside. */
const fw_region *lint_memory_at(const struct lint *l, uint64_t addr);
/* The secure alias of the flash base, where a TrustZone part boots with
 * TZEN set (SECBOOTADD0's default); false on a part without TrustZone. */
bool lint_secure_flash_base(const struct lint *l, uint64_t *out);
/* The address of the same byte in the memory a secure alias shows (the
 * non-secure view); addr itself outside a secure alias. */
uint64_t lint_nonsecure_address(const struct lint *l, uint64_t addr);
/* Whether addr is in a secure alias (TrustZone). */
bool lint_is_secure(const struct lint *l, uint64_t addr);
/* Whether exception number i is a reserved slot of the core's vector table
 * (ARMv7-M B1.5.2, ARMv6-M's larger set, Armv8-M's SecureFault at 7). */
bool lint_vector_reserved(const struct lint *l, size_t i);
/* The little-endian word at addr, if the image holds all four bytes. */
bool lint_word(const struct lint *l, uint64_t addr, uint32_t *out);
/* The vector table at at: up to 16 words the image holds from there. */
void lint_vectors_at(const struct lint *l, uint64_t at, struct vectors *v);
/* "128 KiB", "10 KiB", "1.5 MiB", "300 bytes" */
const char *lint_size(uint64_t n, char buf[32]);

/* toolchain.c: who linked the ELF, and hints in that toolchain's terms */
void lint_detect_toolchain(struct lint *l);
const char *lint_toolchain_name(const struct lint *l);   /* NULL when unknown */
const char *lint_hint_memory(const struct lint *l);      /* where the memory map is written */
const char *lint_hint_stack_top(const struct lint *l);   /* how to put the stack at the top of RAM */
const char *lint_hint_vectors_first(const struct lint *l); /* how to put the vector table first */
const char *lint_hint_cpu_flag(const struct lint *l);      /* the compiler option that names the core */
const char *lint_hint_soft_float(const struct lint *l);    /* how to build without an FPU */

/* trustzone.c: which side of TrustZone an ELF is for */
bool lint_image_is_secure(const struct lint *l);     /* exports veneers (.gnu.sgstubs, __acle_se_) */
bool lint_image_is_nonsecure(const struct lint *l);  /* calls secure entries through an import library */

/* The rule groups, one file each. */
void lint_format_rules(struct lint *l);    /* A, B: format integrity, empty images */
bool lint_foreign_rules(struct lint *l);   /* B: code for another architecture; true stops the Cortex-M rules */
void lint_place_rules(struct lint *l);     /* C: placement against the memory map */
void lint_trustzone_rules(struct lint *l); /* C: PLACE-TZ, secure and non-secure sides */
void lint_vector_rules(struct lint *l);    /* D, E: Cortex-M vector table, RISC-V boot */
void lint_arch_rules(struct lint *l);      /* F: architecture and ABI of ELF inputs */
void lint_program_rules(struct lint *l);   /* G: write granularity, padding */
void lint_artifact_rules(struct lint *l);  /* H: consistency between files of one build */
void lint_ld_rules(struct lint *l);        /* I: linker script and sections */

#endif
