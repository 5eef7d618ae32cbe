/* SPDX-License-Identifier: MIT */
#include "cli.h"
#include "fwkit/number.h"
#include "report.h"
#include "fwkit/target.h"
#include <strings.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_prog = "fwkit";

bool cli_parse_u64(const char *s, uint64_t *out)
{
    return fw_parse_u64(s, out);
}

bool cli_parse_i64(const char *s, int64_t *out)
{
    bool neg = s && *s == '-';
    uint64_t v;
    if (!cli_parse_u64(neg || (s && *s == '+') ? s + 1 : s, &v))
        return false;
    if (neg ? v > (uint64_t)INT64_MAX + 1 : v > INT64_MAX)
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

bool cli_parse_range(const char *s, uint64_t *lo, uint64_t *end)
{
    const char *colon = s ? strchr(s, ':') : NULL;
    if (!colon)
        return false;
    char a[64];
    size_t n = (size_t)(colon - s);
    if (n >= sizeof(a))
        return false;
    memcpy(a, s, n);
    a[n] = 0;
    return cli_parse_u64(a, lo) && cli_parse_u64(colon + 1, end) && *lo < *end;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", cli_prog);
    return EXIT_USAGE;
}

void cli_print_diag(const fw_diag *d)
{
    struct report_context ctx = {.tool = cli_prog};
    report_print(stderr, REPORT_GCC, d, &ctx);
    if (fw_diag_suppressed(d))
        fprintf(stderr, "%s: note: %zu more diagnostics of the same kinds not shown\n", cli_prog,
                fw_diag_suppressed(d));
}

bool cli_quiet;

fw_image *cli_read(const char *path, const fw_read_options *opt)
{
    fw_diag *d = fw_diag_new();
    fw_image *img = NULL;
    if (!d) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        return NULL;
    }
    int rc = fw_read_file(path, opt, &img, d);
    if (!cli_quiet || rc)
        cli_print_diag(d);
    fw_format named = fw_format_from_extension(path);
    bool no_kind = img && fw_image_format(img) == FW_FMT_BIN && fw_image_is_empty(img); /* a 0-byte file */
    if (img && !no_kind && !cli_quiet && named != FW_FMT_UNKNOWN && named != fw_image_format(img) && (!opt || !opt->format))
        fprintf(stderr, "%s: note: %s holds %s, not %s as its name suggests (read by its content) [FMT-KIND-MISMATCH]\n",
                cli_prog, path, fw_format_description(fw_image_format(img)), fw_format_description(named));
    if (rc && !fw_diag_count_severity(d, FW_ERROR))
        fprintf(stderr, "%s: %s: %s\n", cli_prog, path, fw_strerror(rc));
    fw_diag_free(d);
    return rc ? NULL : img;
}

bool cli_input_spec(const char *arg, char *buf, size_t cap, fw_read_options *opt)
{
    snprintf(buf, cap, "%s", arg);
    char *at = strrchr(buf, '@');
    if (!at || strchr(at, '/'))
        return true;
    uint64_t base;
    if (!cli_parse_u64(at + 1, &base))
        return false;
    *at = 0;
    opt->has_base = true;
    opt->base = base;
    return true;
}

const fw_target *cli_find_target(fw_target_db **db, const char *part, const char *const *maps, size_t nmaps)
{
    fw_diag *d = fw_diag_new();
    *db = fw_target_db_new();
    const fw_target *t = NULL;
    if (!d || !*db || fw_target_db_add_builtin(*db, d) != FW_OK)
        goto out;
    for (size_t i = 0; i < nmaps; i++)
        if (fw_target_db_add_file(*db, maps[i], d) != FW_OK)
            goto out;
    for (size_t i = fw_target_db_count(*db); i-- > 0 && !t;)
        if (!strcasecmp(fw_target_db_at(*db, i)->name, part))
            t = fw_target_db_at(*db, i);
    if (!t) {
        const fw_target *cand[12];
        size_t n;
        t = fw_target_find(*db, part, cand, 12, &n);
        if (!t && n) {
            fprintf(stderr, "%s: '%s' could be %zu parts:", cli_prog, part, n);
            for (size_t i = 0; i < n && i < 12; i++)
                fprintf(stderr, " %s", cand[i]->name);
            fprintf(stderr, "%s\n", n > 12 ? " ..." : "");
        } else if (!t) {
            fprintf(stderr, "%s: unknown part '%s' (see fwlint --list-targets, or describe it with --map)\n", cli_prog,
                    part);
        }
    }
out:
    cli_print_diag(d);
    fw_diag_free(d);
    return t;
}

void cli_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}
