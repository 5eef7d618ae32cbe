/* SPDX-License-Identifier: MIT */
/* Preparing the chip for code run from its SRAM (see fw_flash_prepare). */
#include "driver.h"
#include "fwkit/core.h"
#include "probe/transport.h"

/* IWDG keys and registers (the IWDG chapters of RM0008, RM0090, RM0038,
 * RM0351, RM0444 alike) */
#define IWDG_KR 0x0u
#define IWDG_PR 0x4u
#define IWDG_RLR 0x8u
#define KEY_ACCESS 0x5555u
#define KEY_RELOAD 0xAAAAu
#define PR_DIV256 6u
#define RLR_MAX 0xFFFu

/* The faster clock of the target data's loader-clock line, wait states
 * first (a core faster than its flash's wait states reads wrong words):
 * the RAM routines then hash and checksum at it. Read back before the
 * clock is changed; left at the reset clock if the wait states did not
 * take. The reset after the write brings the reset clock back. */
static int raise_clock(fw_probe *probe, const fw_target *t, fw_diag *d)
{
    uint32_t acr, reg, acr_reg = (uint32_t)t->loader_acr_reg, clock_reg = (uint32_t)t->loader_clock_reg;
    int rc = fw_probe_read_word(probe, acr_reg, &acr, d);
    if (!rc && (acr & t->loader_acr_mask) < t->loader_acr_value &&
        !(rc = fw_probe_write_word(probe, acr_reg, (acr & ~t->loader_acr_mask) | t->loader_acr_value, d)))
        rc = fw_probe_read_word(probe, acr_reg, &acr, d);
    if (rc || (acr & t->loader_acr_mask) < t->loader_acr_value)
        return rc; /* the wait states did not take: the reset clock stays */
    if ((rc = fw_probe_read_word(probe, clock_reg, &reg, d)) ||
        (rc = fw_probe_write_word(probe, clock_reg, (reg & ~t->loader_clock_mask) | t->loader_clock_value, d)))
        return rc;
    fw_probe_set_core_khz(probe, t->loader_clock_khz);
    return FW_OK;
}

int fw_flash_prepare(fw_probe *probe, const fw_target *t, fw_diag *d)
{
    /* SYSRESETREQ with the reset vector caught: what the firmware set up
     * (clocks, DMA, a software-started watchdog) is reset with the chip */
    int rc = fw_probe_reset(probe, true, d);
    if (!rc && t->has_loader_clock)
        rc = raise_clock(probe, t, d);
    if (rc || !t->has_watchdog)
        return rc;
    /* DBGMCU: the watchdogs' clocks stop while the core is halted; these
     * bits survive system resets (reset by power-on only) */
    uint32_t freeze;
    if ((rc = fw_probe_read_word(probe, (uint32_t)t->watchdog_freeze_reg, &freeze, d)) ||
        (rc = fw_probe_write_word(probe, (uint32_t)t->watchdog_freeze_reg,
                                  freeze | t->iwdg_stop_bit | t->wwdg_stop_bit, d)))
        return rc;
    /* a hardware watchdog runs from every reset, and counts while a loader
     * runs: its longest period (/256, reload 0xFFF: 26 to 33 s by the LSI),
     * as the STM32 flash algorithms of Keil's device packs do in FlashInit;
     * written whether it runs or not (PR and RLR start nothing, and the
     * reset after the write restores them) */
    uint32_t iwdg = (uint32_t)t->iwdg_base;
    if ((rc = fw_probe_write_word(probe, iwdg + IWDG_KR, KEY_ACCESS, d)) ||
        (rc = fw_probe_write_word(probe, iwdg + IWDG_PR, PR_DIV256, d)) ||
        (rc = fw_probe_write_word(probe, iwdg + IWDG_RLR, RLR_MAX, d)))
        return rc;
    return fw_probe_write_word(probe, iwdg + IWDG_KR, KEY_RELOAD, d);
}

void fw_flash_feed_watchdog(struct fw_flash_ctx *c)
{
    if (c->target->has_watchdog) {
        fw_diag *quiet = fw_diag_new();
        fw_probe_write_word(c->probe, (uint32_t)c->target->iwdg_base + IWDG_KR, KEY_RELOAD, quiet);
        fw_diag_free(quiet);
    }
}
