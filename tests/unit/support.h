/* SPDX-License-Identifier: MIT */
/* Helpers for the cmocka unit tests. */
#ifndef FWKIT_TEST_SUPPORT_H
#define FWKIT_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fwkit/diag.h"
#include "fwkit/format.h"
#include "fwkit/image.h"
#include "fwkit/target.h"
#include "fwkit/transform.h"

/* Reads text as a file named name; returns the fw_err, keeps diagnostics in *d. */
int read_text(const char *name, const char *text, fw_image **img, fw_diag **d);
int read_bytes(const char *name, const void *buf, size_t len, const fw_read_options *opt,
               fw_image **img, fw_diag **d);
/* Reads a file that must read (fails the test otherwise). */
fw_image *must_read(const char *path, const fw_read_options *opt);
/* The first diagnostic with this severity, or NULL. */
const fw_diagnostic *first_of(const fw_diag *d, fw_severity sev);
/* The first diagnostic of a rule (any severity), or NULL. */
const fw_diagnostic *find_rule(const fw_diag *d, const char *rule);
/* Asserts one error at line:column whose message contains needle. */
void expect_error_at(const fw_diag *d, const char *rule, uint64_t line, uint32_t column, const char *needle);
/* Writes img in a format to memory (through a temp file) and reads it back. */
fw_image *roundtrip(const fw_image *img, const fw_write_options *opt, char **text, size_t *len);
/* A random sparse image: nchunks chunks of 1..maxlen bytes within [base, base+span). */
fw_image *random_image(unsigned seed, size_t nchunks, size_t maxlen, uint64_t base, uint64_t span);
/* The built-in target database, or NULL when it does not load. */
fw_target_db *builtin_db(void);

/* Path of a file in ../shared/corpus/files, or NULL when the corpus is absent. */
const char *corpus_path(const char *name);

#endif
