/* Read protection (RDP): what the option bytes say, the refusal to touch a
 * protected chip's flash, and the way back from level 1 to level 0. */
#include "driver.h"

int fw_flash_protection(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, int *rdp_level, char *wrp,
                        size_t cap, fw_diag *d)
{
    struct fw_flash_ctx c = fw_flash_ctx_for(p, t, d);
    return drv->protection(&c, rdp_level, wrp, cap);
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
    int level = 0;
    char wrp[128];
    int rc = fw_flash_protection(p, drv, t, &level, wrp, sizeof(wrp), d);
    if (rc || level == 0)
        return rc;
    protected_error(d, level, "the debugger can neither read, erase nor program it");
    return FW_EDEVICE;
}

int fw_flash_read_unprotect(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, int *was_level, fw_diag *d)
{
    struct fw_flash_ctx c = fw_flash_ctx_for(p, t, d);
    char wrp[128];
    int level = 0, rc = drv->protection(&c, &level, wrp, sizeof(wrp));
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
        (rc = drv->protection(&c, &level, wrp, sizeof(wrp))))
        return rc;
    if (level != 0) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-RDP", NULL,
                                       "read protection still reads level %d after level 0 was programmed", level);
        fw_diagnostic_set_hint(e, "power-cycle the board so the option bytes load again, then run `fwflash info`");
        return FW_EDEVICE;
    }
    return FW_OK;
}
