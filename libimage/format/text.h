/* SPDX-License-Identifier: MIT */
/* What the line-based readers (Intel HEX, S-record) share: the line loop,
 * blank lines and byte order marks, text after the termination record,
 * error counting, and diagnostics at file:line:column. */
#ifndef FWKIT_FORMAT_TEXT_H
#define FWKIT_FORMAT_TEXT_H

#include "io.h"

struct fw_text {
    struct fw_lines lr;
    fw_image *img;
    fw_diag *d;
    int source;
    int errors;
    bool ended;           /* the termination record was seen */
    uint64_t end_line;
    const char *syntax_rule; /* rule id for malformed records */
    const char *end_rule;    /* rule id for text after the termination record */
};

/* Called for each non-blank line with trailing white space removed. */
typedef int (*fw_text_line_fn)(struct fw_text *t, const char *s, size_t n, void *state);

int fw_text_read(struct fw_text *t, struct fw_input *in, fw_image *img, fw_diag *d,
                 const char *syntax_rule, const char *end_rule, fw_text_line_fn fn, void *state);
void fw_text_free(struct fw_text *t);

void fw_text_error(struct fw_text *t, uint32_t col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void fw_text_warn(struct fw_text *t, uint32_t col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
fw_diagnostic *fw_text_note(struct fw_text *t, uint32_t col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A printable name for a character in a message: 'G', space, 0x00. */
const char *fw_char_name(char c, char buf[8]);

/* Decodes the hex digits of a record body (after its one-character lead) into
 * out (room for cap bytes) and reports a bad character or an odd digit count.
 * Returns the byte count, or -1 after reporting. */
long fw_text_decode(struct fw_text *t, const char *s, size_t n, size_t lead, uint8_t *out, size_t cap);

/* Records a start address; a repeat is a note, a contradiction an error. */
void fw_text_set_start(struct fw_text *t, const fw_start *s, uint64_t *start_line, uint32_t col);

#endif
