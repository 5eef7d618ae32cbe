/* SPDX-License-Identifier: MIT */
/* fwsim: fault injection specs (see faults.h). */
#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
    [FAULT_NONE] = "none",          [FAULT_STALL] = "stall",       [FAULT_TIMEOUT] = "timeout",
    [FAULT_UNPLUG] = "unplug",      [FAULT_AP_WAIT] = "ap-wait",   [FAULT_DP_WAIT] = "dp-wait",
    [FAULT_AP_FAULT] = "ap-fault",  [FAULT_WRP] = "wrp",           [FAULT_POWER_LOSS] = "power-loss",
    [FAULT_UNPOWERED] = "unpowered", [FAULT_NO_TARGET] = "no-target", [FAULT_CLAIMED] = "claimed",
    [FAULT_LOADER_HANG] = "loader-hang", [FAULT_LOADER_FAULT] = "loader-fault",
};

const char *sim_fault_name(sim_fault_kind k)
{
    return names[k];
}

bool sim_faults_add(struct sim_faults *f, const char *spec, char *err, size_t errlen)
{
    const char *at = strchr(spec, '@');
    size_t kind_len = at ? (size_t)(at - spec) : strlen(spec);
    sim_fault_kind kind = FAULT_NONE;
    for (size_t k = FAULT_STALL; k < sizeof(names) / sizeof(names[0]); k++)
        if (strlen(names[k]) == kind_len && !strncmp(spec, names[k], kind_len))
            kind = (sim_fault_kind)k;
    if (kind == FAULT_NONE) {
        snprintf(err, errlen,
                 "fault '%s': unknown kind (stall, timeout, unplug, ap-wait, dp-wait, ap-fault, wrp, power-loss; "
                 "unpowered, no-target, claimed, loader-hang, loader-fault)",
                 spec);
        return false;
    }
    if (f->n == SIM_MAX_FAULTS) {
        snprintf(err, errlen, "fault '%s': at most %d faults", spec, SIM_MAX_FAULTS);
        return false;
    }
    if (kind >= FAULT_UNPOWERED) {
        if (at) {
            snprintf(err, errlen, "fault '%s': %s is a condition from the start, given without @", spec, names[kind]);
            return false;
        }
        f->list[f->n++] = (struct sim_fault){.kind = kind, .fired = true};
        return true;
    }
    if (!at) {
        snprintf(err, errlen, "fault '%s': expected KIND@N or KIND@0xADDR", spec);
        return false;
    }
    char *end;
    unsigned long long v = strtoull(at + 1, &end, 0);
    if (end == at + 1 || *end || (!strncmp(at + 1, "0x", 2) && v > 0xFFFFFFFFull) || v == 0) {
        snprintf(err, errlen, "fault '%s': '%s' is not a transfer number (from 1) or a 0x address", spec, at + 1);
        return false;
    }
    f->list[f->n++] = (struct sim_fault){.kind = kind, .at_address = !strncmp(at + 1, "0x", 2), .where = v};
    return true;
}

sim_fault_kind sim_faults_due(struct sim_faults *f, uint64_t transfer, uint32_t addr, uint32_t len)
{
    for (size_t i = 0; f && i < f->n; i++) {
        struct sim_fault *x = &f->list[i];
        if (x->fired)
            continue;
        bool due = x->at_address ? len && x->where >= addr && x->where - addr < len : x->where == transfer;
        if (due) {
            x->fired = true;
            return x->kind;
        }
    }
    return FAULT_NONE;
}

bool sim_faults_condition(const struct sim_faults *f, sim_fault_kind kind)
{
    for (size_t i = 0; f && i < f->n; i++)
        if (f->list[i].kind == kind)
            return true;
    return false;
}
