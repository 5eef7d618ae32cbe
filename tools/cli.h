/* SPDX-License-Identifier: MIT */
/* What every fwkit tool shares: exit codes, number and range arguments,
 * printing diagnostics, reading an input with its diagnostics shown. */
#ifndef FWKIT_TOOLS_CLI_H
#define FWKIT_TOOLS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fwkit/diag.h"
#include "fwkit/format.h"
#include "fwkit/image.h"
#include "fwkit/target.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

extern const char *cli_prog;
/* cli_read says nothing of a file it could read (a tool's -q) */
extern bool cli_quiet;

/* fw_parse_u64: 0x10, 16, 0o20 / 020, with K/M/G suffixes (KiB). */
bool cli_parse_u64(const char *s, uint64_t *out);
bool cli_parse_i64(const char *s, int64_t *out);
/* START:END, END exclusive. */
bool cli_parse_range(const char *s, uint64_t *lo, uint64_t *end);

/* Prints a usage error and returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints every diagnostic GCC-style on stderr. */
void cli_print_diag(const fw_diag *d);

/* Reads path, printing what the reader found; NULL on failure. */
fw_image *cli_read(const char *path, const fw_read_options *opt);

/* An input named "FILE@ADDR": FILE read with base ADDR (for raw binaries).
 * Splits arg into path (in buf) and options; false on a bad address. */
bool cli_input_spec(const char *arg, char *buf, size_t cap, fw_read_options *opt);

/* Loads the built-in targets and the map files into *db (new) and finds part
 * as users write it; a map file's part of that exact name wins. Prints what
 * is wrong (unknown, or the candidates when ambiguous) and returns NULL. */
const fw_target *cli_find_target(fw_target_db **db, const char *part, const char *const *maps, size_t nmaps);

/* JSON: a string with escapes. */
void cli_json_string(FILE *f, const char *s);

#endif
