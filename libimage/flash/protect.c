/* SPDX-License-Identifier: MIT */
/* Read and write protection: what the option bytes say, the refusal to
 * touch a read-protected chip's flash or write-protected sectors, and the
 * way back from read protection level 1 to level 0. */
#include "driver.h"

#include <stdio.h>
#include <time.h>

int fw_flash_protection(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, int *rdp_level, char *wrp,
                        size_t cap, fw_diag *d)
{
    struct fw_flash_ctx c = fw_flash_ctx_for(p, t, d);
    struct fw_flash_wrp w = {0};
    int rc = drv->protection(&c, rdp_level, &w);
    snprintf(wrp, cap, "%s", w.text);
    return rc;
}

int fw_flash_require_writable(struct fw_flash_ctx *c, const fw_flash_driver *drv, const struct fw_flash_span *need,
                              size_t n)
{
    struct fw_flash_wrp w = {0};
    int level = 0, rc = drv->protection(c, &level, &w);
    return rc ? rc : fw_flash_check_writable(c, &w, need, n);
}

int fw_flash_check_writable(struct fw_flash_ctx *c, const struct fw_flash_wrp *w, const struct fw_flash_span *need,
                            size_t n)
{
    for (size_t i = 0; i < n && w->held.end; i++) {
        uint32_t lo = need[i].addr > w->held.addr ? need[i].addr : w->held.addr;
        uint32_t end = need[i].end < w->held.end ? need[i].end : w->held.end;
        if (lo >= end)
            continue;
        fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-CPU2-AREA", NULL,
                                       "0x%08x-0x%08x is %s, which neither CPU1 nor a debugger can erase or write, "
                                       "and 0x%08x-0x%08x of it is to be erased: nothing was erased or written",
                                       w->held.addr, w->held.end - 1, w->held_by, lo, end - 1);
        fw_diagnostic_set_range(e, lo, end);
        fw_diagnostic_set_hint(e,
                               "link the image below 0x%08x; the wireless stack is installed through the FUS "
                               "(STM32CubeProgrammer: -fwupgrade)",
                               w->held.addr);
        return FW_EDEVICE;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < w->n; k++) {
            uint32_t lo = need[i].addr > w->range[k].addr ? need[i].addr : w->range[k].addr;
            uint32_t end = need[i].end < w->range[k].end ? need[i].end : w->range[k].end;
            if (lo >= end)
                continue;
            fw_diagnostic *e = fw_diag_add(
                c->d, FW_ERROR, "FLASH-WRP", NULL,
                "0x%08x-0x%08x is write-protected by the option bytes (%s), and 0x%08x-0x%08x of it is to be "
                "erased: the controller would refuse; nothing was erased or written",
                w->range[k].addr, w->range[k].end - 1, w->text, lo, end - 1);
            fw_diagnostic_set_range(e, lo, end);
            fw_diagnostic_set_hint(e, "clear the write protection in the option bytes (OpenOCD: `flash protect 0 "
                                      "FIRST LAST off`; STM32CubeProgrammer: -ob with the WRP fields), or place "
                                      "the image outside the protected sectors");
            return FW_EDEVICE;
        }
    return FW_OK;
}

static void protected_error(fw_diag *d, int level, const char *what)
{
    fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-RDP", NULL,
                                   "the chip's flash is read-protected (RDP level %d): %s", level, what);
    fw_diagnostic_set_hint(e, level == 1 ? "`fwflash unlock --yes-erase-everything` sets level 0, which erases all of "
                                           "flash (and data EEPROM on L0/L1) first; then write the image again"
                                         : "level 2 is final: no debugger can open this chip again; only its own "
                                           "firmware (a bootloader it ships) can update it");
}

int fw_flash_require_unprotected(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, fw_diag *d)
{
    struct fw_flash_ctx c = fw_flash_ctx_for(p, t, d);
    struct fw_flash_wrp wrp = {0};
    int level = 0, rc = drv->protection(&c, &level, &wrp);
    if (rc || level == 0)
        return rc;
    protected_error(d, level, "the debugger can neither read, erase nor program it");
    return FW_EDEVICE;
}

/* After an option-byte reload (or the reset that loads the options) the
 * link may be down: ST-Link answers SWD_DP_ERROR until debug mode is entered
 * again (OpenOCD's stm32l4x.c, stm32l4_perform_obl_launch). Halt on the
 * reset vector and read the level again, entering debug mode again between
 * tries; a bounded number of them, 50 ms apart (the reload is done within
 * a reset's time). */
int fw_flash_after_option_reload(fw_probe *p, const fw_flash_driver *drv, struct fw_flash_ctx *c, int *level,
                                 struct fw_flash_wrp *wrp, fw_diag *d)
{
    enum { TRIES = 4 };
    int rc = FW_OK;
    for (int i = 0; i < TRIES; i++) {
        fw_diag *tryd = fw_diag_new();
        if (!tryd)
            return FW_ENOMEM;
        if (i) {
            struct timespec pause = {0, 50000000};
            nanosleep(&pause, NULL);
            rc = fw_probe_reattach(p, tryd);
        }
        c->d = tryd;
        if (!rc && !(rc = fw_probe_reset(p, true, tryd)))
            rc = drv->protection(c, level, wrp);
        c->d = d;
        if (!rc || i == TRIES - 1)
            fw_diag_append(d, tryd);
        fw_diag_free(tryd);
        if (!rc) {
            if (i)
                fw_diag_add(d, FW_NOTE, "PROBE-RELINK", NULL,
                            "the link went down with the option-byte reload; entered debug mode again and went on");
            return FW_OK;
        }
    }
    return rc;
}

int fw_flash_read_unprotect(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, int *was_level, fw_diag *d)
{
    struct fw_flash_ctx c = fw_flash_ctx_for(p, t, d);
    struct fw_flash_wrp wrp = {0};
    int level = 0, rc = drv->protection(&c, &level, &wrp);
    *was_level = level;
    if (rc || level == 0)
        return rc;
    if (level == 2) {
        protected_error(d, 2, "level 2 cannot be undone");
        return FW_EDEVICE;
    }
    /* a system reset loads the new options on F0-F7; after OBL_LAUNCH (L0/L1,
     * L4/G0) it halts the core that the reload restarted */
    if ((rc = drv->read_unprotect(&c)) || (rc = fw_flash_after_option_reload(p, drv, &c, &level, &wrp, d)))
        return rc;
    if (level != 0) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-RDP", NULL,
                                       "read protection still reads level %d after level 0 was programmed", level);
        fw_diagnostic_set_hint(e, "power-cycle the board so the option bytes load again, then run `fwflash info`");
        return FW_EDEVICE;
    }
    return FW_OK;
}
