/* SPDX-License-Identifier: MIT */
/* Rendering a lint report: GCC-style lines (what make and editors read),
 * JSON (tools/fwlint-report.md), or SARIF 2.1.0 (code-scanning UIs). Shared
 * by every tool that lints, so findings always read the same. */
#ifndef FWKIT_TOOLS_REPORT_H
#define FWKIT_TOOLS_REPORT_H

#include <stdio.h>

#include "fwkit/diag.h"
#include "fwkit/lint.h"

typedef enum { REPORT_GCC, REPORT_JSON, REPORT_SARIF } report_format;

struct report_context {
    const char *tool;
    const char *target;          /* the part name, or NULL */
    const char *const *files;    /* what was linted */
    size_t nfiles;
    const fw_lint_usage *usage;  /* region usage rows, or NULL */
    size_t nusage;
};

bool report_parse_format(const char *name, report_format *out);
void report_print(FILE *f, report_format fmt, const fw_diag *d, const struct report_context *ctx);
/* "1 error, 2 warnings, 1 note" */
void report_summary(FILE *f, const fw_diag *d, const struct report_context *ctx);
void report_usage_table(FILE *f, const fw_lint_usage *rows, size_t n);

#endif
