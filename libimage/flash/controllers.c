/* SPDX-License-Identifier: MIT */
/* The flash controllers' facts (controllers.h). PNB widths and BKER from
 * RM0351 §3.7.5 (L4: PNB 8 bits, BKER bit 11), RM0434 and RM0453 (WB, WL:
 * as L4, one bank), RM0444 §3.7.5 (G0: PNB 10 bits, BKER bit 13, BSY2 bit
 * 17 of FLASH_SR), RM0440 (G4: as G0, no BSY2), RM0490 (C0: as G0), RM0503 (U0),
 * RM0438 FLASH_NSCR (L5: PNB bits 3-9, BKER bit 11), RM0456 (U5: PNB bits
 * 3-10, BKER 11) and RM0493 (WBA: PNB bits 3-9, one bank); on those
 * three the registers' secure alias is 0x10000000 above (0x50022000), as
 * OpenOCD's stm32l4x.c (STM32L5_REGS_SEC_OFFSET) uses it. */
#include "controllers.h"

#include <string.h>
#include <strings.h>

static const struct fw_controller controllers[] = {
    {"f0", FW_CTL_F0F1F3, FW_OPT_F0F3, 0, 0, 0, 0},
    {"f1", FW_CTL_F0F1F3, FW_OPT_F1, 0, 0, 0, 0},
    {"f3", FW_CTL_F0F1F3, FW_OPT_F0F3, 0, 0, 0, 0},
    {"f2", FW_CTL_F2F4F7, FW_OPT_F2F4F7, 0, 0, 0, 0},
    {"f4", FW_CTL_F2F4F7, FW_OPT_F2F4F7, 0, 0, 0, 0},
    {"f7", FW_CTL_F2F4F7, FW_OPT_F2F4F7, 0, 0, 0, 0},
    {"l0", FW_CTL_L0L1, FW_OPT_L0L1, 0, 0, 0, 0},
    {"l1", FW_CTL_L0L1, FW_OPT_L0L1, 0, 0, 0, 0},
    {"l4", FW_CTL_L4G0, FW_OPT_L4G0, 8, 1u << 11, 0, 0},
    {"wb", FW_CTL_L4G0, FW_OPT_L4G0, 8, 1u << 11, 0, 0},
    {"wl", FW_CTL_L4G0, FW_OPT_L4G0, 8, 1u << 11, 0, 0},
    {"g0x1", FW_CTL_L4G0, FW_OPT_L4G0, 10, 1u << 13, 1u << 17, 0},
    {"g4c3", FW_CTL_L4G0, FW_OPT_L4G0, 10, 1u << 13, 0, 0},
    {"c0", FW_CTL_L4G0, FW_OPT_L4G0, 10, 1u << 13, 0, 0},
    /* U0 (RM0503): G0's registers and 2 KiB pages, one bank (OpenOCD's
     * stm32l4x.c drives it with the same register table as G0 and C0) */
    {"u0", FW_CTL_L4G0, FW_OPT_L4G0, 10, 0, 0, 0},
    /* RM0433/RM0399 (H74x/H75x), RM0455 (H7A3/H7B0/H7B3), RM0468 (H72x/H73x):
     * one name in the target data; the layout follows the sector size */
    {"h7", FW_CTL_H7, FW_OPT_NONE, 0, 0, 0, 0},
    /* TrustZone-aware: non-secure and secure key, status and control registers */
    {"l5", FW_CTL_L5U5, FW_OPT_NONE, 7, 1u << 11, 0, 0x10000000u},
    {"u5", FW_CTL_L5U5, FW_OPT_NONE, 8, 1u << 11, 0, 0x10000000u},
    {"wba", FW_CTL_L5U5, FW_OPT_NONE, 7, 0, 0, 0x10000000u},
    /* RM0481: H7's command layout (SNB 7 bits, BKSEL bit 31) in a TrustZone-aware map */
    {"h5", FW_CTL_H5, FW_OPT_NONE, 7, 1u << 31, 0, 0x10000000u},
};

/* RM0481's product states, the values as ST's own OpenOCD driver for H5
 * names them; Closed and Locked close the debug access (ST's wiki
 * "Security:Product state for STM32H5": only debug authentication opens
 * Closed again, nothing opens Locked) */
static const struct fw_h5_product_state h5_states[] = {
    {0xED, "Open", 0, false},       {0x17, "Provisioning", 0, false},  {0x2E, "iROT-Provisioned", 0, false},
    {0xC6, "TZ-Closed", 0, false},  {0x72, "Closed", 1, true},         {0x5C, "Locked", 2, true},
    {0x9A, "Regression", 1, false}, {0xA3, "NS-Regression", 1, false},
};

const struct fw_h5_product_state *fw_h5_product_state(uint8_t code)
{
    for (size_t i = 0; i < sizeof(h5_states) / sizeof(h5_states[0]); i++)
        if (h5_states[i].code == code)
            return &h5_states[i];
    return NULL;
}

const struct fw_h5_product_state *fw_h5_product_state_named(const char *name)
{
    for (size_t i = 0; name && i < sizeof(h5_states) / sizeof(h5_states[0]); i++)
        if (!strcasecmp(h5_states[i].name, name))
            return &h5_states[i];
    return NULL;
}

const struct fw_controller *fw_controller_named(const char *name)
{
    for (size_t i = 0; name && i < sizeof(controllers) / sizeof(controllers[0]); i++)
        if (!strcmp(controllers[i].name, name))
            return &controllers[i];
    return NULL;
}
