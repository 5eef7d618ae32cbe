/* SPDX-License-Identifier: MIT */
/* The core's state through the probe, and its fault status in words
 * (ARMv7-M ARM B3.2.15-B3.2.18: CFSR, HFSR, MMFAR, BFAR; C1.6: DHCSR, DFSR). */
#include "fwkit/core.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int fw_core_read_state(fw_probe *p, fw_core_state *s, fw_diag *d)
{
    memset(s, 0, sizeof(*s));
    int rc;
    if ((rc = fw_probe_read_word(p, FW_CORE_DHCSR, &s->dhcsr, d)) || (rc = fw_probe_halt(p, d)) ||
        (rc = fw_probe_read_word(p, FW_CORE_DFSR, &s->dfsr, d)) || (rc = fw_probe_read_reg(p, 16, &s->xpsr, d)) ||
        (rc = fw_probe_read_reg(p, 15, &s->pc, d)) || (rc = fw_probe_read_reg(p, 13, &s->sp, d)) ||
        (rc = fw_probe_read_word(p, FW_CORE_CFSR, &s->cfsr, d)) || (rc = fw_probe_read_word(p, FW_CORE_HFSR, &s->hfsr, d)))
        return rc;
    s->locked_up = s->dhcsr & FW_DHCSR_S_LOCKUP;
    s->ipsr = s->xpsr & 0x1FF;
    if (fw_core_in_fault(s)) {
        /* the addresses are optional reading: a part without them still has a state */
        fw_diag *quiet = fw_diag_new();
        fw_probe_read_word(p, FW_CORE_BFAR, &s->bfar, quiet);
        fw_probe_read_word(p, FW_CORE_MMFAR, &s->mmfar, quiet);
        fw_probe_read_word(p, s->sp + 24, &s->stacked_pc, quiet); /* handler mode: SP is MSP */
        fw_diag_free(quiet);
    }
    return FW_OK;
}

bool fw_core_in_fault(const fw_core_state *s)
{
    return s->locked_up || (s->ipsr >= 2 && s->ipsr <= 6);
}

/* Whether the second core is held in reset: its boot option bit clear and
 * not released by the main core (the target data's gate and release
 * registers); said in words into said when it is. */
static int second_held(fw_probe *p, const fw_target *t, bool *held, char *said, size_t cap, fw_diag *d)
{
    uint32_t gate = 0, release = 0;
    int rc;
    if ((rc = fw_probe_read_word(p, (uint32_t)t->second_gate_reg, &gate, d)) ||
        (rc = fw_probe_read_word(p, (uint32_t)t->second_release_reg, &release, d)))
        return rc;
    *held = !(gate & t->second_gate_mask) && !(release & t->second_release_mask);
    if (*held)
        snprintf(said, cap, "held: its boot option bit is clear and the main core has not released it");
    return FW_OK;
}

int fw_core_check_second(fw_probe *p, const fw_target *t, fw_second_core_check *out, fw_diag *d)
{
    memset(out, 0, sizeof(*out));
    uint32_t boot = 0;
    int rc;
    if ((rc = second_held(p, t, &out->held, out->said, sizeof(out->said), d)) ||
        (rc = fw_probe_read_word(p, (uint32_t)t->second_boot_reg, &boot, d)))
        return rc;
    out->boot_address = (boot & 0xFFFFu) << t->second_boot_shift;
    if (out->held)
        return FW_OK;
    if ((rc = fw_probe_select_ap(p, t->second_core_ap, d)))
        return rc;
    rc = fw_core_read_state(p, &out->state, d);
    if (!rc) {
        fw_core_describe(&out->state, out->said, sizeof(out->said));
        out->verdict = fw_core_in_fault(&out->state) ? FW_BOOT_FAULT : FW_BOOT_RUNS;
        if (out->verdict == FW_BOOT_RUNS) /* let go: resumed, then debug off (ARMv7-M C1.6.3) */
            rc = fw_probe_run(p, d);
        if (!rc && out->verdict == FW_BOOT_RUNS)
            rc = fw_probe_write_word(p, FW_CORE_DHCSR, FW_DHCSR_KEY, d);
    }
    int back = fw_probe_select_ap(p, 0, d);
    return rc ? rc : back;
}

int fw_core_second_state(fw_probe *p, const fw_target *t, char *out, size_t cap, fw_diag *d)
{
    uint32_t dhcsr = 0;
    bool held;
    int rc = second_held(p, t, &held, out, cap, d);
    if (rc || held)
        return rc;
    if ((rc = fw_probe_select_ap(p, t->second_core_ap, d)))
        return rc;
    rc = fw_probe_read_word(p, FW_CORE_DHCSR, &dhcsr, d);
    int back = fw_probe_select_ap(p, 0, d);
    if (rc || back)
        return rc ? rc : back;
    snprintf(out, cap, "%s",
             dhcsr & FW_DHCSR_S_LOCKUP ? "locked up"
             : dhcsr & (1u << 17)      ? "halted"
             : dhcsr & (1u << 18)      ? "asleep (WFI/WFE)"
                                       : "running");
    return FW_OK;
}

void fw_core_decode_faults(uint32_t cfsr, uint32_t hfsr, char *out, size_t cap)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } bits[] = {
        {1u << 0, "IACCVIOL (instruction access violation)"},
        {1u << 1, "DACCVIOL (data access violation)"},
        {1u << 8, "IBUSERR (bus error on instruction fetch)"},
        {1u << 9, "PRECISERR (precise data bus error)"},
        {1u << 10, "IMPRECISERR (imprecise data bus error)"},
        {1u << 12, "STKERR (bus error stacking)"},
        {1u << 16, "UNDEFINSTR (undefined instruction)"},
        {1u << 17, "INVSTATE (Thumb bit clear: a bad vector or function pointer)"},
        {1u << 18, "INVPC (bad exception return)"},
        {1u << 19, "NOCP (FPU used while off)"},
        {1u << 24, "UNALIGNED"},
        {1u << 25, "DIVBYZERO"},
    };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (cfsr & bits[i].bit)
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", *out ? ", " : "", bits[i].name);
    if (hfsr & (1u << 30))
        snprintf(out + strlen(out), cap - strlen(out), "%sFORCED (escalated to HardFault)", *out ? ", " : "");
    if (hfsr & (1u << 1))
        snprintf(out + strlen(out), cap - strlen(out), "%sVECTTBL (vector table read failed)", *out ? ", " : "");
    if (!*out)
        snprintf(out, cap, "no fault status bits set");
}

void fw_core_describe(const fw_core_state *s, char *out, size_t cap)
{
    static const char *const handler[] = {"", "", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault"};
    char why[400];
    fw_core_decode_faults(s->cfsr, s->hfsr, why, sizeof(why));
    if (s->locked_up)
        snprintf(out, cap, "locked up at 0x%08x (xPSR 0x%08x); %s", s->pc, s->xpsr, why);
    else if (fw_core_in_fault(s))
        snprintf(out, cap, "in its %s at 0x%08x (xPSR 0x%08x); %s; the fault came from 0x%08x", handler[s->ipsr],
                 s->pc, s->xpsr, why, s->stacked_pc);
    else
        snprintf(out, cap, "running %s at 0x%08x", s->ipsr ? "in an interrupt handler" : "in thread mode", s->pc);
}

int fw_core_check_boot(fw_probe *p, unsigned settle_ms, fw_boot_check *out, fw_diag *d)
{
    memset(out, 0, sizeof(*out));
    struct timespec wait = {(time_t)(settle_ms / 1000), (long)(settle_ms % 1000) * 1000000L};
    nanosleep(&wait, NULL);
    fw_diag *read_d = fw_diag_new();
    if (!read_d)
        return FW_ENOMEM;
    int rc = fw_core_read_state(p, &out->state, read_d);
    if (rc && !fw_probe_target_answers(p)) {
        fw_diag_free(read_d);
        out->verdict = FW_BOOT_UNSEEN;
        snprintf(out->said, sizeof(out->said), "the debug port stopped answering once the firmware ran");
        return FW_OK;
    }
    fw_diag_append(d, read_d);
    fw_diag_free(read_d);
    if (rc)
        return rc;
    fw_core_describe(&out->state, out->said, sizeof(out->said));
    if (fw_core_in_fault(&out->state)) {
        out->verdict = FW_BOOT_FAULT;
        return FW_OK;
    }
    out->verdict = FW_BOOT_RUNS;
    return fw_probe_detach(p, d);
}
