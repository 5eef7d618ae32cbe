/* SPDX-License-Identifier: MIT */
#include "fwkit/version.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

bool report_parse_format(const char *name, report_format *out)
{
    if (!strcmp(name, "gcc") || !strcmp(name, "text"))
        *out = REPORT_GCC;
    else if (!strcmp(name, "json"))
        *out = REPORT_JSON;
    else if (!strcmp(name, "sarif"))
        *out = REPORT_SARIF;
    else
        return false;
    return true;
}

static void gcc_location(FILE *f, const fw_location *l, const char *fallback)
{
    fputs(l->file ? l->file : fallback, f);
    if (l->line) {
        fprintf(f, ":%llu", (unsigned long long)l->line);
        if (l->column)
            fprintf(f, ":%u", l->column);
    } else if (l->has_offset) {
        fprintf(f, ":0x%llx", (unsigned long long)l->offset);
    }
}

/* Colour only on a terminal, and never with NO_COLOR set. */
static bool use_colour(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(nc && *nc);
}

static void print_gcc(FILE *f, const fw_diag *d, const struct report_context *ctx)
{
    static const char *colours[] = {"\033[1;36m", "\033[1;35m", "\033[1;31m"};
    bool c = use_colour(f);
    for (size_t i = 0; i < fw_diag_count(d); i++) {
        const fw_diagnostic *e = fw_diag_at(d, i);
        gcc_location(f, &e->loc, ctx->tool);
        fprintf(f, ": %s%s:%s ", c ? colours[e->severity] : "", fw_severity_name(e->severity), c ? "\033[0m" : "");
        if (e->loc.section && !e->loc.line)
            fprintf(f, "%s: ", e->loc.section);
        fprintf(f, "%s", e->message);
        if (e->rule)
            fprintf(f, " [%s]", e->rule);
        fputc('\n', f);
        if (e->has_related) {
            gcc_location(f, &e->related, ctx->tool);
            fprintf(f, ": note: %s\n", e->rule && !strcmp(e->rule, "FMT-OVERLAP") ? "the earlier data is here"
                                                                                    : "the data is here");
        }
        if (e->hint)
            fprintf(f, "  hint: %s\n", e->hint);
    }
}

void report_summary(FILE *f, const fw_diag *d, const struct report_context *ctx)
{
    size_t ne = fw_diag_count_severity(d, FW_ERROR), nw = fw_diag_count_severity(d, FW_WARNING),
           nn = fw_diag_count_severity(d, FW_NOTE);
    fprintf(f, "%s: %zu error%s, %zu warning%s, %zu note%s", ctx->tool, ne, ne == 1 ? "" : "s", nw,
            nw == 1 ? "" : "s", nn, nn == 1 ? "" : "s");
    if (ctx->target)
        fprintf(f, " (%s)", ctx->target);
    if (fw_diag_suppressed(d))
        fprintf(f, "; %zu more not shown", fw_diag_suppressed(d));
    fputc('\n', f);
}

static void json_location(FILE *f, const fw_location *l)
{
    fprintf(f, "\"file\": ");
    cli_json_string(f, l->file);
    if (l->line)
        fprintf(f, ", \"line\": %llu", (unsigned long long)l->line);
    else
        fprintf(f, ", \"line\": null");
    if (l->column)
        fprintf(f, ", \"column\": %u", l->column);
    if (l->has_offset)
        fprintf(f, ", \"offset\": %llu", (unsigned long long)l->offset);
    if (l->section) {
        fprintf(f, ", \"section\": ");
        cli_json_string(f, l->section);
    }
}

static void print_json(FILE *f, const fw_diag *d, const struct report_context *ctx)
{
    fprintf(f, "{\"tool\": \"%s\", \"version\": \"%s\", \"target\": ", ctx->tool, fw_version());
    cli_json_string(f, ctx->target);
    fprintf(f, ",\n \"files\": [");
    for (size_t i = 0; i < ctx->nfiles; i++) {
        fprintf(f, "%s", i ? ", " : "");
        cli_json_string(f, ctx->files[i]);
    }
    fprintf(f, "],\n \"findings\": [");
    for (size_t i = 0; i < fw_diag_count(d); i++) {
        const fw_diagnostic *e = fw_diag_at(d, i);
        fprintf(f, "%s\n  {\"rule\": ", i ? "," : "");
        cli_json_string(f, e->rule);
        fprintf(f, ", \"severity\": \"%s\", \"message\": ", fw_severity_name(e->severity));
        cli_json_string(f, e->message);
        fprintf(f, ", ");
        json_location(f, &e->loc);
        if (e->has_range)
            fprintf(f, ", \"address_range\": {\"start\": \"0x%08llx\", \"end\": \"0x%08llx\"}",
                    (unsigned long long)e->range_lo, (unsigned long long)(e->range_hi - 1));
        else
            fprintf(f, ", \"address_range\": null");
        fprintf(f, ", \"hint\": ");
        cli_json_string(f, e->hint);
        if (e->has_related) {
            fprintf(f, ", \"related\": {");
            json_location(f, &e->related);
            fprintf(f, "}");
        }
        fprintf(f, "}");
    }
    fprintf(f, "],\n \"summary\": {\"errors\": %zu, \"warnings\": %zu, \"notes\": %zu}",
            fw_diag_count_severity(d, FW_ERROR), fw_diag_count_severity(d, FW_WARNING),
            fw_diag_count_severity(d, FW_NOTE));
    if (ctx->usage) {
        fprintf(f, ",\n \"usage\": [");
        for (size_t i = 0; i < ctx->nusage; i++) {
            const fw_lint_usage *u = &ctx->usage[i];
            fprintf(f, "%s{\"region\": ", i ? ", " : "");
            cli_json_string(f, u->name);
            fprintf(f, ", \"kind\": \"%s\", \"start\": \"0x%08llx\", \"size\": %llu, \"used\": %llu}", u->kind,
                    (unsigned long long)u->base, (unsigned long long)u->size, (unsigned long long)u->used);
        }
        fprintf(f, "]");
    }
    fprintf(f, "}\n");
}

static const char *sarif_level(fw_severity s)
{
    return s == FW_ERROR ? "error" : s == FW_WARNING ? "warning" : "note";
}

static void sarif_location(FILE *f, const fw_location *l, const char *fallback)
{
    fprintf(f, "{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
    cli_json_string(f, l->file ? l->file : fallback);
    fprintf(f, "}");
    if (l->line) {
        fprintf(f, ", \"region\": {\"startLine\": %llu", (unsigned long long)l->line);
        if (l->column)
            fprintf(f, ", \"startColumn\": %u", l->column);
        fprintf(f, "}");
    } else if (l->has_offset) {
        fprintf(f, ", \"region\": {\"byteOffset\": %llu}", (unsigned long long)l->offset);
    }
    fprintf(f, "}");
    if (l->section) {
        fprintf(f, ", \"logicalLocations\": [{\"name\": ");
        cli_json_string(f, l->section);
        fprintf(f, ", \"kind\": \"section\"}]");
    }
    fprintf(f, "}");
}

static void print_sarif(FILE *f, const fw_diag *d, const struct report_context *ctx)
{
    fprintf(f, "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\",\n"
               " \"runs\": [{\"tool\": {\"driver\": {\"name\": \"%s\", \"version\": \"%s\", \"rules\": [",
            ctx->tool, fw_version());
    for (size_t i = 0; i < fw_lint_rule_count(); i++) {
        const fw_lint_rule *r = fw_lint_rule_at(i);
        fprintf(f, "%s\n    {\"id\": \"%s\", \"shortDescription\": {\"text\": ", i ? "," : "", r->id);
        cli_json_string(f, r->summary);
        fprintf(f, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}", sarif_level(r->severity));
    }
    fprintf(f, "]}},\n  \"results\": [");
    for (size_t i = 0; i < fw_diag_count(d); i++) {
        const fw_diagnostic *e = fw_diag_at(d, i);
        int idx = e->rule ? fw_lint_rule_index(e->rule) : -1;
        fprintf(f, "%s\n   {\"ruleId\": ", i ? "," : "");
        cli_json_string(f, e->rule ? e->rule : "IO");
        if (idx >= 0)
            fprintf(f, ", \"ruleIndex\": %d", idx);
        fprintf(f, ", \"level\": \"%s\", \"message\": {\"text\": ", sarif_level(e->severity));
        char *text = NULL;
        if (e->hint && asprintf(&text, "%s. Hint: %s", e->message, e->hint) < 0)
            text = NULL;
        cli_json_string(f, text ? text : e->message);
        free(text);
        fprintf(f, "}, \"locations\": [");
        sarif_location(f, &e->loc, ctx->nfiles ? ctx->files[0] : ctx->tool);
        fprintf(f, "]");
        if (e->has_related) {
            fprintf(f, ", \"relatedLocations\": [");
            sarif_location(f, &e->related, ctx->nfiles ? ctx->files[0] : ctx->tool);
            fprintf(f, "]");
        }
        if (e->has_range)
            fprintf(f, ", \"properties\": {\"addressStart\": \"0x%08llx\", \"addressEnd\": \"0x%08llx\"}",
                    (unsigned long long)e->range_lo, (unsigned long long)(e->range_hi - 1));
        fprintf(f, "}");
    }
    fprintf(f, "]}]}\n");
}

void report_print(FILE *f, report_format fmt, const fw_diag *d, const struct report_context *ctx)
{
    switch (fmt) {
    case REPORT_JSON: print_json(f, d, ctx); break;
    case REPORT_SARIF: print_sarif(f, d, ctx); break;
    default: print_gcc(f, d, ctx); break;
    }
}

void report_usage_table(FILE *f, const fw_lint_usage *rows, size_t n)
{
    fprintf(f, "%-16s %-12s %12s %12s %8s\n", "Memory region", "Kind", "Used Size", "Region Size", "%age Used");
    for (size_t i = 0; i < n; i++) {
        const fw_lint_usage *u = &rows[i];
        double pct = u->size ? 100.0 * (double)u->used / (double)u->size : 0;
        fprintf(f, "%-16s %-12s %10llu B %10llu B %7.2f%%\n", u->name, u->kind, (unsigned long long)u->used,
                (unsigned long long)u->size, pct);
    }
}
