/* SPDX-License-Identifier: MIT */
#include "fwkit/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule_count {
    const char *rule;
    fw_severity severity;
    size_t kept;
};

struct fw_diag {
    fw_diagnostic *items;
    size_t n, cap;
    size_t by_severity[3];
    size_t suppressed;
    struct rule_count *rules;
    size_t nrules, caprules;
};

const char *fw_strerror(int err)
{
    switch (err) {
    case FW_OK: return "success";
    case FW_ENOMEM: return "out of memory";
    case FW_EIO: return "input/output error";
    case FW_EFORMAT: return "malformed input";
    case FW_ERANGE: return "address out of range";
    case FW_EOVERLAP: return "overlapping data";
    case FW_EUNSUPPORTED: return "unsupported input";
    case FW_EINVAL: return "invalid argument";
    case FW_EDEVICE: return "the probe or the chip failed";
    default: return "unknown error";
    }
}

const char *fw_severity_name(fw_severity s)
{
    switch (s) {
    case FW_NOTE: return "note";
    case FW_WARNING: return "warning";
    default: return "error";
    }
}

fw_diag *fw_diag_new(void)
{
    return calloc(1, sizeof(fw_diag));
}

static void location_free(fw_location *l)
{
    free((char *)l->file);
    free((char *)l->section);
}

void fw_diag_free(fw_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].message);
        free(d->items[i].hint);
        location_free(&d->items[i].loc);
        location_free(&d->items[i].related);
    }
    free(d->items);
    free(d->rules);
    free(d);
}

static bool same_rule(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Limits count per rule and severity, so a flood of notes never hides an error. */
static struct rule_count *rule_slot(fw_diag *d, const char *rule, fw_severity sev)
{
    for (size_t i = 0; i < d->nrules; i++)
        if (d->rules[i].severity == sev && same_rule(d->rules[i].rule, rule))
            return &d->rules[i];
    if (d->nrules == d->caprules) {
        size_t cap = d->caprules ? d->caprules * 2 : 16;
        struct rule_count *r = realloc(d->rules, cap * sizeof(*r));
        if (!r)
            return NULL;
        d->rules = r;
        d->caprules = cap;
    }
    d->rules[d->nrules] = (struct rule_count){rule, sev, 0};
    return &d->rules[d->nrules++];
}

bool fw_diag_wants(const fw_diag *d, const char *rule, fw_severity sev)
{
    if (!d)
        return false;
    for (size_t i = 0; i < d->nrules; i++)
        if (d->rules[i].severity == sev && same_rule(d->rules[i].rule, rule))
            return d->rules[i].kept < FW_DIAG_PER_RULE_LIMIT;
    return true;
}

static int location_copy(fw_location *dst, const fw_location *src)
{
    *dst = src ? *src : (fw_location){0};
    dst->file = NULL;
    dst->section = NULL;
    if (src && src->file && !(dst->file = strdup(src->file)))
        return -1;
    if (src && src->section && !(dst->section = strdup(src->section)))
        return -1;
    return 0;
}

fw_diagnostic *fw_diag_vadd(fw_diag *d, fw_severity sev, const char *rule,
                            const fw_location *loc, const char *fmt, va_list ap)
{
    if (!d)
        return NULL;
    d->by_severity[sev]++;
    struct rule_count *rc = rule_slot(d, rule, sev);
    if (!rc || rc->kept >= FW_DIAG_PER_RULE_LIMIT) {
        d->suppressed++;
        return NULL;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        fw_diagnostic *it = realloc(d->items, cap * sizeof(*it));
        if (!it)
            return NULL;
        d->items = it;
        d->cap = cap;
    }
    fw_diagnostic *e = &d->items[d->n];
    memset(e, 0, sizeof(*e));
    e->severity = sev;
    e->rule = rule;
    if (vasprintf(&e->message, fmt, ap) < 0) {
        e->message = NULL;
        return NULL;
    }
    if (location_copy(&e->loc, loc) < 0) {
        free(e->message);
        location_free(&e->loc);
        return NULL;
    }
    rc->kept++;
    d->n++;
    return e;
}

fw_diagnostic *fw_diag_add(fw_diag *d, fw_severity sev, const char *rule,
                           const fw_location *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fw_diagnostic *e = fw_diag_vadd(d, sev, rule, loc, fmt, ap);
    va_end(ap);
    return e;
}

void fw_diagnostic_set_hint(fw_diagnostic *e, const char *fmt, ...)
{
    if (!e)
        return;
    free(e->hint);
    e->hint = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&e->hint, fmt, ap) < 0)
        e->hint = NULL;
    va_end(ap);
}

void fw_diagnostic_set_related(fw_diagnostic *e, const fw_location *loc)
{
    if (!e || !loc)
        return;
    location_free(&e->related);
    if (location_copy(&e->related, loc) < 0) {
        location_free(&e->related);
        e->related = (fw_location){0};
        return;
    }
    e->has_related = true;
}

void fw_diagnostic_set_range(fw_diagnostic *e, uint64_t lo, uint64_t hi)
{
    if (!e)
        return;
    e->has_range = true;
    e->range_lo = lo;
    e->range_hi = hi;
}

fw_diagnostic *fw_diag_copy(fw_diag *d, const fw_diagnostic *e, fw_severity sev)
{
    fw_diagnostic *c = fw_diag_add(d, sev, e->rule, &e->loc, "%s", e->message);
    if (c && e->hint)
        fw_diagnostic_set_hint(c, "%s", e->hint);
    if (c && e->has_related)
        fw_diagnostic_set_related(c, &e->related);
    if (c && e->has_range)
        fw_diagnostic_set_range(c, e->range_lo, e->range_hi);
    return c;
}

size_t fw_diag_count(const fw_diag *d)
{
    return d ? d->n : 0;
}

const fw_diagnostic *fw_diag_at(const fw_diag *d, size_t i)
{
    return d && i < d->n ? &d->items[i] : NULL;
}

size_t fw_diag_count_severity(const fw_diag *d, fw_severity s)
{
    return d ? d->by_severity[s] : 0;
}

size_t fw_diag_suppressed(const fw_diag *d)
{
    return d ? d->suppressed : 0;
}

void fw_diag_append(fw_diag *d, const fw_diag *from)
{
    for (size_t i = 0; i < fw_diag_count(from); i++)
        fw_diag_copy(d, fw_diag_at(from, i), fw_diag_at(from, i)->severity);
}
