/* SPDX-License-Identifier: MIT */
/* A reader for the parts of GNU ld scripts that describe memory: MEMORY
 * blocks (ORIGIN/org/o, LENGTH/len/l, attributes, optional commas, several
 * blocks, INCLUDE inside and outside them), ld's numbers (0x, $, K/M
 * suffixes, h/o/b/d suffixes, and a leading 0 that means octal), C-like
 * constant expressions with ORIGIN()/LENGTH() of earlier regions, top-level
 * symbol assignments and ENTRY. SECTIONS and the rest are skipped. */
#include "fwkit/ldscript.h"
#include "format/io.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INCLUDE_DEPTH 10
/* A broken or hostile script must not cost much: real linker scripts are
 * kilobytes and include a handful of files, while a script may INCLUDE a
 * device or a huge file, or include itself n times, which nests 10 deep in
 * n^10 reads. */
#define MAX_SCRIPT_BYTES (4u << 20)
#define MAX_INCLUDES 256

struct strings {
    char **v;
    size_t n, cap;
};

enum tok_kind { T_END, T_WORD, T_STRING, T_PUNCT };

struct token {
    enum tok_kind kind;
    const char *s;
    size_t n;
    uint64_t line;
    uint32_t col;
};

struct lexer {
    const char *text;
    size_t len, pos;
    const char *file;
    const char *dir;
    uint64_t line;
    size_t line_start;
    struct token tok; /* the current token */
};

struct reader {
    fw_ld_script *s;
    fw_diag *d;
    struct strings *strs;
    const char *const *dirs;
    size_t ndirs;
    int depth, errors;
    size_t capregions, capsymbols;
    size_t includes; /* INCLUDEd files read so far */
};

struct value {
    bool known;
    uint64_t v;
};

static char *keep(struct reader *r, const char *s, size_t n)
{
    struct strings *st = r->strs;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        char **v = realloc(st->v, cap * sizeof(*v));
        if (!v)
            return NULL;
        st->v = v;
        st->cap = cap;
    }
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = 0;
    st->v[st->n++] = c;
    return c;
}

static fw_ld_place place(const struct lexer *lx, const struct token *t)
{
    return (fw_ld_place){lx->file, t->line, t->col};
}

static void report(struct reader *r, fw_severity sev, const struct lexer *lx, const struct token *t, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

static void report(struct reader *r, fw_severity sev, const struct lexer *lx, const struct token *t, const char *fmt,
                   ...)
{
    fw_location loc = {.file = lx->file, .line = t ? t->line : lx->line, .column = t ? t->col : 0};
    va_list ap;
    va_start(ap, fmt);
    fw_diag_vadd(r->d, sev, sev == FW_ERROR ? "LD-SYNTAX" : "LD-NUMBER", &loc, fmt, ap);
    va_end(ap);
    if (sev == FW_ERROR)
        r->errors++;
}

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$';
}

/* Advances to the next token, skipping white space and comments. */
static void next(struct reader *r, struct lexer *lx)
{
    const char *t = lx->text;
    for (;;) {
        while (lx->pos < lx->len && isspace((unsigned char)t[lx->pos])) {
            if (t[lx->pos] == '\n') {
                lx->line++;
                lx->line_start = lx->pos + 1;
            }
            lx->pos++;
        }
        if (lx->pos + 1 < lx->len && t[lx->pos] == '/' && t[lx->pos + 1] == '*') {
            size_t start_line = (size_t)lx->line;
            lx->pos += 2;
            while (lx->pos + 1 < lx->len && !(t[lx->pos] == '*' && t[lx->pos + 1] == '/')) {
                if (t[lx->pos] == '\n') {
                    lx->line++;
                    lx->line_start = lx->pos + 1;
                }
                lx->pos++;
            }
            if (lx->pos + 1 >= lx->len) {
                struct token at = {T_END, NULL, 0, start_line, 0};
                report(r, FW_ERROR, lx, &at, "comment is not closed");
                lx->pos = lx->len;
            } else {
                lx->pos += 2;
            }
            continue;
        }
        if (lx->pos < lx->len && t[lx->pos] == '#') {
            while (lx->pos < lx->len && t[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        break;
    }
    struct token *k = &lx->tok;
    k->line = lx->line;
    k->col = (uint32_t)(lx->pos - lx->line_start + 1);
    k->s = t + lx->pos;
    if (lx->pos >= lx->len) {
        k->kind = T_END;
        k->n = 0;
        return;
    }
    char c = t[lx->pos];
    if (is_word_char(c)) {
        size_t b = lx->pos;
        while (lx->pos < lx->len && is_word_char(t[lx->pos]))
            lx->pos++;
        k->kind = T_WORD;
        k->n = lx->pos - b;
        return;
    }
    if (c == '"') {
        size_t b = ++lx->pos;
        while (lx->pos < lx->len && t[lx->pos] != '"' && t[lx->pos] != '\n')
            lx->pos++;
        k->kind = T_STRING;
        k->s = t + b;
        k->n = lx->pos - b;
        if (lx->pos < lx->len && t[lx->pos] == '"')
            lx->pos++;
        return;
    }
    static const char *two[] = {"<<", ">>", "<=", ">=", "==", "!=", "&&", "||"};
    for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++)
        if (lx->pos + 1 < lx->len && t[lx->pos] == two[i][0] && t[lx->pos + 1] == two[i][1]) {
            k->kind = T_PUNCT;
            k->n = 2;
            lx->pos += 2;
            return;
        }
    k->kind = T_PUNCT;
    k->n = 1;
    lx->pos++;
}

static bool is(const struct token *t, const char *w)
{
    return t->n == strlen(w) && !strncmp(t->s, w, t->n);
}

/* --- numbers, the way ld's lexer reads them --- */

static bool number_value(struct reader *r, struct lexer *lx, const struct token *t, uint64_t *out)
{
    const char *s = t->s;
    size_t n = t->n;
    uint64_t mult = 1;
    unsigned base = 10;
    if (n > 1 && (s[n - 1] == 'K' || s[n - 1] == 'k')) {
        mult = 1024;
        n--;
    } else if (n > 1 && (s[n - 1] == 'M' || s[n - 1] == 'm')) {
        mult = 1024 * 1024;
        n--;
    }
    if (s[0] == '$') {
        base = 16;
        s++;
        n--;
    } else if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    } else if (n > 1 && strchr("hH", s[n - 1])) {
        base = 16;
        n--;
    } else if (n > 1 && strchr("oO", s[n - 1])) {
        base = 8;
        n--;
    } else if (n > 1 && strchr("bB", s[n - 1]) && !strchr("0123456789", s[n - 1])) {
        base = 2;
        n--;
    } else if (n > 1 && strchr("dD", s[n - 1])) {
        n--;
    } else if (n > 1 && s[0] == '0') {
        base = 8;
    }
    uint64_t v = 0;
    size_t i = 0;
    for (; i < n; i++) {
        int c = (unsigned char)s[i], dgt;
        if (isdigit(c))
            dgt = c - '0';
        else if (isxdigit(c))
            dgt = tolower(c) - 'a' + 10;
        else
            break;
        if ((unsigned)dgt >= base)
            break;
        v = v * base + (unsigned)dgt;
    }
    if (base == 8 && t->s[0] == '0' && n > 1) {
        /* ld reads these with strtoul(base 0): a leading 0 is octal, and
         * reading stops at the first 8 or 9 without a word */
        report(r, FW_WARNING, lx, t,
               "'%.*s' has a leading 0, so ld reads it as octal: it is %llu (0x%llx)%s; write 0x... for hex",
               (int)t->n, t->s, (unsigned long long)(v * mult), (unsigned long long)(v * mult),
               i < n ? ", ld stops reading at the digit 8 or 9" : "");
    } else if (i < n) {
        return false;
    }
    *out = v * mult;
    return true;
}

/* --- expressions --- */

static struct value expr(struct reader *r, struct lexer *lx);

static const fw_ld_region *find_region(const fw_ld_script *s, const char *name, size_t n)
{
    for (size_t i = 0; i < s->nregions; i++)
        if (strlen(s->regions[i].name) == n && !strncmp(s->regions[i].name, name, n))
            return &s->regions[i];
    return NULL;
}

static struct value primary(struct reader *r, struct lexer *lx)
{
    struct token t = lx->tok;
    struct value bad = {false, 0};
    if (is(&t, "(")) {
        next(r, lx);
        struct value v = expr(r, lx);
        if (!is(&lx->tok, ")"))
            report(r, FW_ERROR, lx, &lx->tok, "expected ')'");
        else
            next(r, lx);
        return v;
    }
    if (t.kind == T_PUNCT && (is(&t, "-") || is(&t, "~") || is(&t, "!") || is(&t, "+"))) {
        next(r, lx);
        struct value v = primary(r, lx);
        if (is(&t, "-"))
            v.v = 0 - v.v;
        else if (is(&t, "~"))
            v.v = ~v.v;
        else if (is(&t, "!"))
            v.v = !v.v;
        return v;
    }
    if (t.kind != T_WORD) {
        report(r, FW_ERROR, lx, &t, "expected a number, a name or '(' in an expression, found '%.*s'", (int)t.n, t.s);
        return bad;
    }
    next(r, lx);
    if (isdigit((unsigned char)t.s[0]) || t.s[0] == '$') {
        uint64_t v;
        if (!number_value(r, lx, &t, &v)) {
            report(r, FW_ERROR, lx, &t, "'%.*s' is not a number ld reads", (int)t.n, t.s);
            return bad;
        }
        return (struct value){true, v};
    }
    bool origin = is(&t, "ORIGIN") || is(&t, "org") || is(&t, "o");
    bool length = is(&t, "LENGTH") || is(&t, "len") || is(&t, "l");
    if ((origin || length) && is(&lx->tok, "(")) {
        next(r, lx);
        struct token name = lx->tok;
        next(r, lx);
        if (!is(&lx->tok, ")"))
            report(r, FW_ERROR, lx, &lx->tok, "expected ')'");
        else
            next(r, lx);
        const fw_ld_region *reg = find_region(r->s, name.s, name.n);
        if (!reg) {
            report(r, FW_ERROR, lx, &name, "no MEMORY region named '%.*s' before this", (int)name.n, name.s);
            return bad;
        }
        return (struct value){reg->known, origin ? reg->origin : reg->length};
    }
    /* a symbol assigned earlier, else unknown (ld would resolve it later) */
    for (size_t i = 0; i < r->s->nsymbols; i++)
        if (strlen(r->s->symbols[i].name) == t.n && !strncmp(r->s->symbols[i].name, t.s, t.n))
            return (struct value){r->s->symbols[i].known, r->s->symbols[i].value};
    if (is(&lx->tok, "(")) {
        /* another function (ALIGN, DEFINED...): not constant for us */
        int depth = 0;
        do {
            if (is(&lx->tok, "("))
                depth++;
            else if (is(&lx->tok, ")"))
                depth--;
            next(r, lx);
        } while (depth > 0 && lx->tok.kind != T_END);
    }
    return bad;
}

static int precedence(const struct token *t)
{
    static const struct {
        const char *op;
        int prec;
    } ops[] = {{"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4}, {"&", 5}, {"==", 6}, {"!=", 6}, {"<", 7}, {"<=", 7},
               {">", 7},  {">=", 7}, {"<<", 8}, {">>", 8}, {"+", 9}, {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10}};
    if (t->kind != T_PUNCT)
        return 0;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (is(t, ops[i].op))
            return ops[i].prec;
    return 0;
}

static struct value binary(struct reader *r, struct lexer *lx, int min_prec)
{
    struct value a = primary(r, lx);
    for (;;) {
        struct token op = lx->tok;
        int p = precedence(&op);
        if (!p || p < min_prec)
            return a;
        next(r, lx);
        struct value b = binary(r, lx, p + 1);
        bool known = a.known && b.known;
        uint64_t x = a.v, y = b.v, v = 0;
        if (is(&op, "+")) v = x + y;
        else if (is(&op, "-")) v = x - y;
        else if (is(&op, "*")) v = x * y;
        else if (is(&op, "/") || is(&op, "%")) {
            if (known && !y) {
                report(r, FW_ERROR, lx, &op, "division by zero");
                known = false;
            } else if (y) {
                v = is(&op, "/") ? x / y : x % y;
            }
        }
        else if (is(&op, "<<")) v = y < 64 ? x << y : 0;
        else if (is(&op, ">>")) v = y < 64 ? x >> y : 0;
        else if (is(&op, "&")) v = x & y;
        else if (is(&op, "|")) v = x | y;
        else if (is(&op, "^")) v = x ^ y;
        else if (is(&op, "==")) v = x == y;
        else if (is(&op, "!=")) v = x != y;
        else if (is(&op, "<")) v = x < y;
        else if (is(&op, "<=")) v = x <= y;
        else if (is(&op, ">")) v = x > y;
        else if (is(&op, ">=")) v = x >= y;
        else if (is(&op, "&&")) v = x && y;
        else v = x || y;
        a = (struct value){known, v};
    }
}

static struct value expr(struct reader *r, struct lexer *lx)
{
    struct value c = binary(r, lx, 1);
    if (!is(&lx->tok, "?"))
        return c;
    next(r, lx);
    struct value a = expr(r, lx);
    if (!is(&lx->tok, ":")) {
        report(r, FW_ERROR, lx, &lx->tok, "expected ':' in '?:'");
        return (struct value){false, 0};
    }
    next(r, lx);
    struct value b = expr(r, lx);
    if (!c.known)
        return (struct value){false, 0};
    return c.v ? a : b;
}

/* --- the script --- */

/* A script file: a regular file (or standard input for the main one) of at
 * most MAX_SCRIPT_BYTES, read as it is (ld does not decompress); d may be
 * NULL when only probing. */
static int read_file_text(const char *path, char **out, size_t *len, fw_diag *d)
{
    struct fw_input in;
    fw_location loc = {.file = path};
    int rc = fw_input_open_file(&in, path, false, d);
    if (rc == FW_OK && !in.regular && strcmp(path, "-")) {
        fw_diag_add(d, FW_ERROR, "LD-SYNTAX", &loc, "not a regular file: a linker script is a text file");
        rc = FW_EFORMAT;
    } else if (rc == FW_OK && in.regular && in.file_size > MAX_SCRIPT_BYTES) {
        fw_diag_add(d, FW_ERROR, "LD-SYNTAX", &loc, "%llu bytes: more than the %u MiB a linker script may be",
                    (unsigned long long)in.file_size, MAX_SCRIPT_BYTES >> 20);
        rc = FW_EFORMAT;
    } else if (rc == FW_OK) {
        rc = fw_input_slurp(&in, (uint8_t **)out, len, d);
        if (rc == FW_OK && *len > MAX_SCRIPT_BYTES) {
            fw_diag_add(d, FW_ERROR, "LD-SYNTAX", &loc, "more than the %u MiB a linker script may be",
                        MAX_SCRIPT_BYTES >> 20);
            free(*out);
            *out = NULL;
            rc = FW_EFORMAT;
        }
    }
    fw_input_close(&in);
    return rc;
}

static void parse_text(struct reader *r, const char *text, size_t len, const char *file, const char *dir,
                       bool in_memory);

static void include(struct reader *r, struct lexer *lx, bool in_memory)
{
    struct token name = lx->tok;
    if ((name.kind != T_WORD && name.kind != T_STRING) || name.n == 0) {
        report(r, FW_ERROR, lx, &name, "INCLUDE needs a file name");
        return;
    }
    next(r, lx);
    if (r->depth >= MAX_INCLUDE_DEPTH) {
        report(r, FW_ERROR, lx, &name, "INCLUDE nested more than %d deep", MAX_INCLUDE_DEPTH);
        return;
    }
    if (r->includes >= MAX_INCLUDES) {
        report(r, FW_ERROR, lx, &name, "more than %d INCLUDEd files in all: an INCLUDE loop?", MAX_INCLUDES);
        return;
    }
    char path[4096];
    char *text = NULL;
    size_t len = 0;
    bool found = false;
    for (size_t i = 0; i <= r->ndirs && !found; i++) {
        const char *dir = i == 0 ? lx->dir : r->dirs[i - 1];
        if (name.s[0] == '/')
            snprintf(path, sizeof(path), "%.*s", (int)name.n, name.s);
        else
            snprintf(path, sizeof(path), "%s%s%.*s", dir ? dir : "", dir && *dir ? "/" : "", (int)name.n, name.s);
        if (access(path, F_OK) == 0) {
            /* there, but maybe not a script: a device, a huge file */
            fw_diag *why = fw_diag_new();
            found = read_file_text(path, &text, &len, why) == FW_OK;
            if (!found && why && fw_diag_count(why))
                report(r, FW_ERROR, lx, &name, "INCLUDE %s: %s", path, fw_diag_at(why, 0)->message);
            fw_diag_free(why);
            if (!found)
                return;
        }
    }
    r->includes += found;
    if (!found) {
        report(r, FW_ERROR, lx, &name, "cannot find INCLUDEd file '%.*s'", (int)name.n, name.s);
        return;
    }
    char *file = keep(r, path, strlen(path));
    char *slash = strrchr(path, '/');
    char *dir = slash ? keep(r, path, (size_t)(slash - path)) : keep(r, "", 0);
    r->depth++;
    if (file && dir)
        parse_text(r, text, len, file, dir, in_memory);
    r->depth--;
    free(text);
}

static void add_region(struct reader *r, const fw_ld_region *reg)
{
    fw_ld_script *s = r->s;
    if (s->nregions == r->capregions) {
        size_t cap = r->capregions ? r->capregions * 2 : 8;
        fw_ld_region *n = realloc(s->regions, cap * sizeof(*n));
        if (!n)
            return;
        s->regions = n;
        r->capregions = cap;
    }
    s->regions[s->nregions++] = *reg;
}

/* NAME [(attrs)] : ORIGIN = expr [,] LENGTH = expr [,] */
static void memory_entry(struct reader *r, struct lexer *lx)
{
    struct token name = lx->tok;
    fw_ld_region reg = {.where = place(lx, &name), .attributes = ""};
    if (name.kind != T_WORD && name.kind != T_STRING) {
        report(r, FW_ERROR, lx, &name, "expected a MEMORY region name, found '%.*s'", (int)name.n, name.s);
        next(r, lx);
        return;
    }
    if (find_region(r->s, name.s, name.n))
        report(r, FW_ERROR, lx, &name, "MEMORY region '%.*s' is defined twice", (int)name.n, name.s);
    reg.name = keep(r, name.s, name.n);
    next(r, lx);
    if (is(&lx->tok, "(")) {
        const char *b = lx->text + lx->pos;
        while (lx->pos < lx->len && lx->text[lx->pos] != ')' && lx->text[lx->pos] != '\n')
            lx->pos++;
        reg.attributes = keep(r, b, (size_t)(lx->text + lx->pos - b));
        next(r, lx);
        if (!is(&lx->tok, ")")) {
            report(r, FW_ERROR, lx, &lx->tok, "expected ')' after the attributes of '%s'", reg.name);
            return;
        }
        next(r, lx);
    }
    if (!is(&lx->tok, ":")) {
        report(r, FW_ERROR, lx, &lx->tok, "expected ':' after MEMORY region '%s'", reg.name);
        return;
    }
    next(r, lx);
    struct value v[2];
    static const char *kw[2][3] = {{"ORIGIN", "org", "o"}, {"LENGTH", "len", "l"}};
    for (int k = 0; k < 2; k++) {
        struct token t = lx->tok;
        if (!is(&t, kw[k][0]) && !is(&t, kw[k][1]) && !is(&t, kw[k][2])) {
            report(r, FW_ERROR, lx, &t, "expected %s (or %s, %s) in MEMORY region '%s', found '%.*s'", kw[k][0],
                   kw[k][1], kw[k][2], reg.name, (int)t.n, t.s);
            return;
        }
        next(r, lx);
        if (!is(&lx->tok, "=")) {
            report(r, FW_ERROR, lx, &lx->tok, "expected '=' after %.*s", (int)t.n, t.s);
            return;
        }
        next(r, lx);
        if (k == 0)
            reg.origin_at = place(lx, &lx->tok);
        else
            reg.length_at = place(lx, &lx->tok);
        int before = r->errors;
        v[k] = expr(r, lx);
        if (r->errors > before)
            return;
        if (is(&lx->tok, ","))
            next(r, lx);
    }
    reg.known = v[0].known && v[1].known;
    reg.origin = v[0].v;
    reg.length = v[1].v;
    add_region(r, &reg);
}

static void add_symbol(struct reader *r, const struct lexer *lx, const struct token *name, struct value v)
{
    fw_ld_script *s = r->s;
    for (size_t i = 0; i < s->nsymbols; i++)
        if (strlen(s->symbols[i].name) == name->n && !strncmp(s->symbols[i].name, name->s, name->n)) {
            s->symbols[i].known = v.known;
            s->symbols[i].value = v.v;
            s->symbols[i].where = place(lx, name);
            return;
        }
    if (s->nsymbols == r->capsymbols) {
        size_t cap = r->capsymbols ? r->capsymbols * 2 : 8;
        fw_ld_symbol *n = realloc(s->symbols, cap * sizeof(*n));
        if (!n)
            return;
        s->symbols = n;
        r->capsymbols = cap;
    }
    s->symbols[s->nsymbols++] = (fw_ld_symbol){keep(r, name->s, name->n), v.known, v.v, place(lx, name)};
}

static void skip_block(struct reader *r, struct lexer *lx)
{
    int depth = 0;
    do {
        if (is(&lx->tok, "{"))
            depth++;
        else if (is(&lx->tok, "}"))
            depth--;
        next(r, lx);
    } while (depth > 0 && lx->tok.kind != T_END);
}

static void parse_text(struct reader *r, const char *text, size_t len, const char *file, const char *dir,
                       bool in_memory)
{
    struct lexer lx = {.text = text, .len = len, .file = file, .dir = dir, .line = 1};
    next(r, &lx);
    while (lx.tok.kind != T_END && r->errors < 20) {
        struct token t = lx.tok;
        if (in_memory) {
            if (is(&t, "INCLUDE")) {
                next(r, &lx);
                include(r, &lx, true);
            } else {
                memory_entry(r, &lx);
            }
            continue;
        }
        next(r, &lx);
        if (is(&t, "MEMORY")) {
            if (!is(&lx.tok, "{")) {
                report(r, FW_ERROR, &lx, &lx.tok, "expected '{' after MEMORY");
                continue;
            }
            next(r, &lx);
            while (lx.tok.kind != T_END && !is(&lx.tok, "}") && r->errors < 20) {
                if (is(&lx.tok, "INCLUDE")) {
                    next(r, &lx);
                    include(r, &lx, true);
                } else {
                    int before = r->errors;
                    memory_entry(r, &lx);
                    uint64_t bad_line = lx.tok.line;
                    if (r->errors > before) /* resynchronise at the next line */
                        while (lx.tok.kind != T_END && !is(&lx.tok, "}") && lx.tok.line == bad_line)
                            next(r, &lx);
                }
            }
            if (!is(&lx.tok, "}"))
                report(r, FW_ERROR, &lx, &t, "MEMORY block is not closed");
            next(r, &lx);
        } else if (is(&t, "INCLUDE")) {
            include(r, &lx, false);
        } else if (is(&t, "ENTRY") && is(&lx.tok, "(")) {
            next(r, &lx);
            if (lx.tok.kind == T_WORD)
                r->s->entry = keep(r, lx.tok.s, lx.tok.n);
            while (lx.tok.kind != T_END && !is(&lx.tok, ")"))
                next(r, &lx);
            next(r, &lx);
        } else if (is(&t, "SECTIONS") || is(&t, "{")) {
            if (is(&t, "{")) {
                lx.pos = (size_t)(t.s - text);
                next(r, &lx);
            }
            skip_block(r, &lx);
        } else if ((is(&t, "PROVIDE") || is(&t, "PROVIDE_HIDDEN")) && is(&lx.tok, "(")) {
            next(r, &lx);
            struct token name = lx.tok;
            next(r, &lx);
            if (is(&lx.tok, "=")) {
                next(r, &lx);
                add_symbol(r, &lx, &name, expr(r, &lx));
            }
        } else if (t.kind == T_WORD && is(&lx.tok, "=")) {
            next(r, &lx);
            add_symbol(r, &lx, &t, expr(r, &lx));
        }
    }
}

int fw_ld_read_text(const char *text, size_t len, const char *name, const char *const *include_dirs, size_t ndirs,
                    fw_ld_script **out, fw_diag *d)
{
    *out = NULL;
    fw_ld_script *s = calloc(1, sizeof(*s));
    struct strings *st = calloc(1, sizeof(*st));
    if (!s || !st) {
        free(s);
        free(st);
        return FW_ENOMEM;
    }
    s->priv = st;
    struct reader r = {.s = s, .d = d, .strs = st, .dirs = include_dirs, .ndirs = ndirs};
    const char *file = keep(&r, name, strlen(name));
    const char *slash = strrchr(name, '/');
    const char *dir = slash ? keep(&r, name, (size_t)(slash - name)) : keep(&r, ".", 1);
    if (!file || !dir) {
        fw_ld_free(s);
        return FW_ENOMEM;
    }
    parse_text(&r, text, len, file, dir, false);
    if (r.errors) {
        fw_ld_free(s);
        return FW_EFORMAT;
    }
    *out = s;
    return FW_OK;
}

int fw_ld_read(const char *path, const char *const *include_dirs, size_t ndirs, fw_ld_script **out, fw_diag *d)
{
    char *text;
    size_t len;
    *out = NULL;
    int rc = read_file_text(path, &text, &len, d);
    if (rc)
        return rc;
    rc = fw_ld_read_text(text, len, path, include_dirs, ndirs, out, d);
    free(text);
    return rc;
}

void fw_ld_free(fw_ld_script *s)
{
    if (!s)
        return;
    struct strings *st = s->priv;
    if (st) {
        for (size_t i = 0; i < st->n; i++)
            free(st->v[i]);
        free(st->v);
        free(st);
    }
    free(s->regions);
    free(s->symbols);
    free(s);
}

const fw_ld_region *fw_ld_region_named(const fw_ld_script *s, const char *name)
{
    return find_region(s, name, strlen(name));
}

const fw_ld_symbol *fw_ld_symbol_named(const fw_ld_script *s, const char *name)
{
    for (size_t i = 0; i < s->nsymbols; i++)
        if (!strcmp(s->symbols[i].name, name))
            return &s->symbols[i];
    return NULL;
}
