/* SPDX-License-Identifier: MIT */
/* What the option bytes make of the memory map, read before any sector is
 * planned: the page or sector layout of a dual-bank part is the other one
 * when its option bit says so (RM0090 DB1M, RM0410 nDBANK, RM0440/RM0432
 * DBANK, RM0444 DUAL_BANK, RM0438 DBANK); and with TrustZone on, flash is
 * reached through its secure alias. */
#include "controllers.h"
#include "fwkit/flash.h"

#include <string.h>

static bool has_variant(const fw_target *t, const char *variant)
{
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].variant && !strcmp(t->regions[i].variant, variant))
            return true;
    return false;
}

int fw_flash_bank_mode(fw_probe *p, const fw_target_db *db, const fw_target **t, fw_diag *d)
{
    const fw_target *part = *t;
    if (!part->has_bank_option || !has_variant(part, "dual-bank") || !has_variant(part, "single-bank"))
        return FW_OK;
    uint32_t reg;
    int rc = fw_probe_read_word(p, (uint32_t)part->bank_option_reg, &reg, d);
    if (rc)
        return rc;
    bool dual = ((reg & part->bank_option_mask) != 0) == part->bank_option_dual;
    const char *variant = dual ? "dual-bank" : "single-bank";
    const fw_target *chosen = fw_target_db_variant(db, part, variant);
    if (!chosen)
        return FW_OK;
    if (part->default_variant && strcmp(part->default_variant, variant))
        fw_diag_add(d, FW_NOTE, "FLASH-BANK-MODE", NULL,
                    "the option bytes set %s mode (0x%08x & 0x%08x at 0x%08x), not the factory %s: its %s layout "
                    "is used",
                    dual ? "dual-bank" : "single-bank", reg, part->bank_option_mask, (uint32_t)part->bank_option_reg,
                    part->default_variant, dual ? "two banks'" : "single bank's");
    *t = chosen;
    return FW_OK;
}

/* RM0438's flash TrustZone security (RM0456, RM0493, RM0481 alike): with
 * TrustZone on and secure debug allowed, the debugger may make secure
 * accesses; flash is erased and programmed with the secure registers and
 * read at its secure alias, which shows every page (OpenOCD's
 * stm32x5x_common.cfg and stm32l4x.c work the same way on L5/U5). Without
 * secure debug the non-secure view stays. */
int fw_flash_security_view(fw_probe *p, const fw_target_db *db, const fw_target **t, fw_diag *d)
{
    const fw_target *part = *t;
    if (!part->has_trustzone || part->secure_view)
        return FW_OK;
    uint32_t optr;
    int rc = fw_probe_read_word(p, (uint32_t)part->trustzone_reg, &optr, d);
    if (rc || !fw_target_trustzone_on(part, optr))
        return rc;
    /* secure debug: L5/U5/WBA at RDP level 0 (FLASH_OPTR bits 7:0 0xAA; 0x55
     * is level 0.5, non-secure debug only), H5 in product state Open
     * (FLASH_OPTSR_CUR bits 15:8 0xED) */
    const struct fw_controller *ctl = fw_controller_named(part->flash_controller);
    uint32_t state = 0;
    bool h5 = ctl && ctl->family == FW_CTL_H5;
    if (h5 && (rc = fw_probe_read_word(p, (uint32_t)part->flash_registers + 0x50, &state, d)))
        return rc;
    bool secure_debug = h5 ? (state >> 8 & 0xFF) == 0xED : ctl && ctl->family == FW_CTL_L5U5 && (optr & 0xFF) == 0xAA;
    const fw_target *secure = secure_debug ? fw_target_db_secure_view(db, part) : NULL;
    if (!secure) {
        fw_diag_add(d, FW_NOTE, "FLASH-TRUSTZONE", NULL,
                    h5 ? "TrustZone is on and the product state is 0x%02x, not Open: only non-secure flash can be reached"
                       : "TrustZone is on (TZEN=1) and read protection is level 0.5 (RDP 0x%02x): only non-secure flash "
                         "can be reached",
                    h5 ? state >> 8 & 0xFF : optr & 0xFF);
        return FW_OK;
    }
    const fw_region *flash = fw_target_region_of_kind(secure, FW_REGION_FLASH);
    fw_diag_add(d, FW_NOTE, "FLASH-TRUSTZONE", NULL,
                "TrustZone is on (TZEN=%s): flash is written and read at its secure alias 0x%08llx, with the "
                "controller's secure registers",
                h5 ? "0xB4" : "1", flash ? (unsigned long long)flash->base : 0ull);
    *t = secure;
    return FW_OK;
}
