/* SPDX-License-Identifier: MIT */
/* Read and write protection: what the option bytes say, the refusal to
 * touch a read-protected chip's flash or write-protected sectors, and the
 * way back from read protection level 1 to level 0. */
#include "driver.h"

#include <stdio.h>

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
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < w.n; k++) {
            uint32_t lo = need[i].addr > w.range[k].addr ? need[i].addr : w.range[k].addr;
            uint32_t end = need[i].end < w.range[k].end ? need[i].end : w.range[k].end;
            if (lo >= end)
                continue;
            fw_diagnostic *e = fw_diag_add(
                c->d, FW_ERROR, "FLASH-WRP", NULL,
                "0x%08x-0x%08x is write-protected by the option bytes (%s), and 0x%08x-0x%08x of it is to be "
                "erased: the controller would refuse; nothing was erased or written",
                w.range[k].addr, w.range[k].end - 1, w.text, lo, end - 1);
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
    if ((rc = drv->read_unprotect(&c)) || (rc = fw_probe_reset(p, true, d)) ||
        (rc = drv->protection(&c, &level, &wrp)))
        return rc;
    if (level != 0) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-RDP", NULL,
                                       "read protection still reads level %d after level 0 was programmed", level);
        fw_diagnostic_set_hint(e, "power-cycle the board so the option bytes load again, then run `fwflash info`");
        return FW_EDEVICE;
    }
    return FW_OK;
}
