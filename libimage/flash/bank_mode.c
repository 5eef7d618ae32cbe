/* SPDX-License-Identifier: MIT */
/* The bank mode the option bytes chose, read before any sector is planned:
 * the page or sector layout of a dual-bank part is the other one when its
 * option bit says so (RM0090 DB1M, RM0410 nDBANK, RM0440/RM0432 DBANK,
 * RM0444 DUAL_BANK). */
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
