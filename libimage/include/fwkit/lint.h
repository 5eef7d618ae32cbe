/* SPDX-License-Identifier: MIT */
/* The lint engine: rules over (image, target, linker script, sibling
 * artifacts) that append diagnostics to a report. Rule ids and severities
 * follow the catalogue in the project's reference (lint-rules). */
#ifndef FWKIT_LINT_H
#define FWKIT_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "fwkit/diag.h"
#include "fwkit/image.h"
#include "fwkit/ldscript.h"
#include "fwkit/target.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fw_lint_rule {
    const char *id;
    fw_severity severity;  /* default */
    const char *summary;   /* one line for --list-rules */
} fw_lint_rule;

FW_API size_t fw_lint_rule_count(void);
FW_API const fw_lint_rule *fw_lint_rule_at(size_t i);
/* The catalogue index of a rule id, or -1. */
FW_API int fw_lint_rule_index(const char *id);

typedef struct fw_lint_config fw_lint_config;

FW_API fw_lint_config *fw_lint_config_new(void);
FW_API void fw_lint_config_free(fw_lint_config *c);
/* Turn a rule (an id, a prefix ending in '-' such as "VEC-", or "all")
 * off, on, or raise it to an error. False when nothing matches. */
FW_API bool fw_lint_config_enable(fw_lint_config *c, const char *rule, bool on);
FW_API bool fw_lint_config_raise(fw_lint_config *c, const char *rule);
/* Data in RAM is intended (a RAM-loaded program): PLACE-RAM-LOAD is a note. */
FW_API void fw_lint_config_ram_load(fw_lint_config *c, bool on);
/* Option bytes, OTP and system memory may be written on purpose. */
FW_API void fw_lint_config_allow_config(fw_lint_config *c, bool on);
/* Where the vector table is when it is not at the boot address. */
FW_API void fw_lint_config_vtor(fw_lint_config *c, uint64_t addr);
/* The application slot the image must stay inside (a bootloader layout). */
FW_API void fw_lint_config_slot(fw_lint_config *c, uint64_t lo, uint64_t end);

/* One file of the build under lint. */
typedef struct fw_lint_artifact {
    const fw_image *image;
    const char *path;
    bool has_mtime;
    struct timespec mtime;
    const fw_diag *read_diag; /* what the reader said: folded into the report */
    bool bin_without_base;    /* a raw binary read with no --base */
    bool base_assumed;        /* a raw binary the tool placed at the start of flash, as no --base was given */
} fw_lint_artifact;

typedef struct fw_lint_input {
    fw_lint_artifact main;           /* the image to lint */
    const fw_lint_artifact *others;  /* the same build in other files (ART-*) */
    size_t nothers;
    const fw_target *target;         /* the device, or NULL (then the ld script's regions) */
    const fw_ld_script *ld;          /* the linker script, or NULL */
    const char *core;                /* on a dual-core part, the core the image is for ("cortex-m4");
                                        NULL: told from the image, else either */
} fw_lint_input;

/* Runs every enabled rule; returns FW_OK (findings are in report, not in
 * the return value) or an error such as FW_ENOMEM. */
FW_API int fw_lint_run(const fw_lint_input *in, const fw_lint_config *cfg, fw_diag *report);

/* The gate before a chip is written: the image linted for the chip found,
 * and the decision. Errors refuse the write unless force, which writes and
 * says so. */
typedef enum fw_gate_verdict { FW_GATE_PASS, FW_GATE_REFUSED, FW_GATE_FORCED } fw_gate_verdict;
typedef struct fw_gate {
    fw_gate_verdict verdict;
    size_t errors, warnings;
} fw_gate;
/* Runs every rule on in (their findings into report, for the caller to
 * print) and decides; an error only when lint itself cannot run. */
FW_API int fw_lint_gate(const fw_lint_input *in, bool force, fw_gate *out, fw_diag *report);

/* Region usage, like ld's --print-memory-usage: one row per memory region of
 * the target (or the ld script), with the image's bytes in it. */
typedef struct fw_lint_usage {
    const char *name;
    const char *kind;
    uint64_t base, size, used;
} fw_lint_usage;

/* Fills up to max rows; returns how many regions there are. */
FW_API size_t fw_lint_usage_rows(const fw_lint_input *in, fw_lint_usage *rows, size_t max);

#ifdef __cplusplus
}
#endif

#endif
