/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <stdio.h>
#include <string.h>

#include "formats.h"

#define MAX_ERRORS 10

static void text_vadd(struct fw_text *t, fw_severity sev, uint32_t col, const char *rule,
                      const char *fmt, va_list ap, fw_diagnostic **out)
{
    fw_location loc = fw_lines_where(&t->lr, col);
    fw_diagnostic *e = fw_diag_vadd(t->d, sev, rule, &loc, fmt, ap);
    if (out)
        *out = e;
}

void fw_text_error(struct fw_text *t, uint32_t col, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_vadd(t, FW_ERROR, col, rule, fmt, ap, NULL);
    va_end(ap);
    t->errors++;
}

void fw_text_warn(struct fw_text *t, uint32_t col, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_vadd(t, FW_WARNING, col, rule, fmt, ap, NULL);
    va_end(ap);
}

fw_diagnostic *fw_text_note(struct fw_text *t, uint32_t col, const char *rule, const char *fmt, ...)
{
    fw_diagnostic *e;
    va_list ap;
    va_start(ap, fmt);
    text_vadd(t, FW_NOTE, col, rule, fmt, ap, &e);
    va_end(ap);
    return e;
}

const char *fw_char_name(char c, char buf[8])
{
    if (c > 0x20 && c < 0x7f)
        snprintf(buf, 8, "'%c'", c);
    else if (c == ' ')
        snprintf(buf, 8, "space");
    else
        snprintf(buf, 8, "0x%02x", (unsigned char)c);
    return buf;
}

long fw_text_decode(struct fw_text *t, const char *s, size_t n, size_t lead, uint8_t *out, size_t cap)
{
    char cb[8];
    const char *rule = t->syntax_rule;
    size_t digits = n - lead;
    size_t even = digits & ~(size_t)1;
    if (even / 2 > cap)
        even = cap * 2;
    long bad = fw_hex_decode(s + lead, even, out);
    if (bad >= 0) {
        fw_text_error(t, (uint32_t)(bad + lead + 1), rule, "bad character %s in a record (hex digits only)",
                      fw_char_name(s[bad + lead], cb));
        return -1;
    }
    if (digits & 1) {
        if (fw_hex_value[(uint8_t)s[n - 1]] & 0x80)
            fw_text_error(t, (uint32_t)n, rule, "bad character %s in a record (hex digits only)",
                          fw_char_name(s[n - 1], cb));
        else
            fw_text_error(t, (uint32_t)n, rule, "odd number of hex digits (%zu): a digit is missing or extra",
                          digits);
        return -1;
    }
    return (long)(digits / 2);
}

int fw_text_read(struct fw_text *t, struct fw_input *in, fw_image *img, fw_diag *d,
                 const char *syntax_rule, const char *end_rule, fw_text_line_fn fn, void *state)
{
    memset(t, 0, sizeof(*t));
    t->img = img;
    t->d = d;
    t->syntax_rule = syntax_rule;
    t->end_rule = end_rule;
    int rc = fw_lines_init(&t->lr, in, d);
    if (rc)
        return rc;
    t->source = fw_image_source(img, in->name, NULL);
    if (t->source < 0)
        return t->source;
    const char *s;
    size_t n;
    while ((rc = fw_lines_next(&t->lr, &s, &n)) > 0) {
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (t->lr.line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
            fw_text_warn(t, 1, "FMT-TEXT-ENCODING", "UTF-8 byte order mark skipped");
            s += 3;
            n -= 3;
        }
        if (!n)
            continue;
        if (s[0] == '#') {
            /* OpenOCD skips such lines, other tools reject them */
            fw_text_warn(t, 1, "FMT-TEXT-ENCODING", "comment line skipped ('#' is not part of the format)");
            continue;
        }
        if (t->ended) {
            fw_text_warn(t, 1, end_rule, "text after the termination record on line %llu is ignored",
                         (unsigned long long)t->end_line);
            break;
        }
        if ((rc = fn(t, s, n, state)) != FW_OK)
            break;
        if (t->errors >= MAX_ERRORS) {
            fw_text_note(t, 0, syntax_rule, "too many errors; stopped reading");
            break;
        }
    }
    return rc < 0 ? rc : FW_OK;
}

void fw_text_free(struct fw_text *t)
{
    fw_lines_free(&t->lr);
}

/* Records a start address; a repeat is a note, a contradiction an error. */
void fw_text_set_start(struct fw_text *t, const fw_start *s, uint64_t *start_line, uint32_t col)
{
    const fw_start *old = fw_image_start(t->img);
    if (old->kind != FW_START_NONE) {
        if (old->kind == s->kind && old->addr == s->addr && old->cs == s->cs && old->ip == s->ip) {
            fw_text_note(t, 0, t->syntax_rule, "start address record repeated (same value as line %llu)",
                         (unsigned long long)*start_line);
            return;
        }
        fw_text_error(t, col, t->syntax_rule,
                      "a second start address (0x%08llx) contradicts the one on line %llu (0x%08llx)",
                      (unsigned long long)s->addr, (unsigned long long)*start_line,
                      (unsigned long long)old->addr);
        return;
    }
    fw_image_set_start(t->img, s);
    *start_line = t->lr.line;
}
