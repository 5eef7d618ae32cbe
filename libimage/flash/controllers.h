/* SPDX-License-Identifier: MIT */
/* The flash controllers fwkit drives, by the target data's flash-registers
 * name: the facts both sides of the cable read, fwflash's drivers
 * (libimage/flash/drv_*.c) and fwsim's models (tools/fwsim), from one
 * table, so that the two cannot disagree. */
#ifndef FWKIT_FLASH_CONTROLLERS_H
#define FWKIT_FLASH_CONTROLLERS_H

#include <stdbool.h>
#include <stdint.h>

/* the register layout and sequences (one driver, one model each) */
typedef enum fw_ctl_family { FW_CTL_NONE, FW_CTL_F0F1F3, FW_CTL_F2F4F7, FW_CTL_L0L1, FW_CTL_L4G0, FW_CTL_H7,
               FW_CTL_L5U5, FW_CTL_H5 } fw_ctl_family;
/* how the option bytes are stored */
typedef enum fw_ctl_options { FW_OPT_NONE, FW_OPT_F1, FW_OPT_F0F3, FW_OPT_F2F4F7, FW_OPT_L0L1, FW_OPT_L4G0 } fw_ctl_options;

struct fw_controller {
    const char *name; /* flash-registers name in the target data */
    fw_ctl_family family;
    fw_ctl_options options;
    unsigned pnb_bits; /* L4/G0, L5/U5/WBA: the width of FLASH_CR.PNB (H5: of SNB) */
    uint32_t bker;     /* L4/G0: FLASH_CR.BKER, which picks the second bank's pages (H5: BKSEL) */
    uint32_t bsy2;     /* G0: FLASH_SR.BSY2, busy on the second bank; 0 where the bit is reserved */
    uint32_t secure_regs; /* TrustZone parts: how far above the registers their secure alias is */
};

/* The controller of that name, or NULL. */
const struct fw_controller *fw_controller_named(const char *name);

/* H5's product states (FLASH_OPTSR PRODUCT_STATE, bits 15:8) and what each
 * leaves a debugger: level 0 flash reachable, 1 closed to the debugger, 2
 * for good; debug_closed: the access ports refuse the debugger while the
 * debug port answers. */
struct fw_h5_product_state {
    uint8_t code;
    const char *name;
    int level;
    bool debug_closed;
};
/* The state of that code, or of that name (case ignored); NULL if none. */
const struct fw_h5_product_state *fw_h5_product_state(uint8_t code);
const struct fw_h5_product_state *fw_h5_product_state_named(const char *name);

#endif
