/* SPDX-License-Identifier: MIT */
/* fwsim: the flash controller models behind one table of operations, as
 * libimage's fw_flash_driver puts fwflash's drivers: emulated_chip.c drives
 * whichever the part has through it, and a new controller is its model file
 * (a pure state machine with its unit tests) and one entry here. */
#ifndef FWSIM_FLASH_MODELS_H
#define FWSIM_FLASH_MODELS_H

#include <stdbool.h>
#include <stdint.h>

#include "../../libimage/flash/controllers.h"
#include "flashctl.h"

struct sim_target;

struct sim_flash_model {
    const char *name;
    fw_ctl_family family; /* the controllers of controllers.c it models */
    /* builds the model over the chip's flash, in the bank mode it is in */
    void (*init)(struct sim_target *s, const struct fw_controller *facts);
    void (*reset)(struct sim_target *s); /* a system reset */
    struct flash_stats *(*stats)(struct sim_target *s);
    uint64_t (*idle_at)(const struct sim_target *s); /* when the operation under way ends */
    /* secure: the access came through the registers' or flash's secure alias */
    uint32_t (*read_reg)(struct sim_target *s, uint32_t offset, bool secure);
    void (*write_reg)(struct sim_target *s, uint32_t offset, uint32_t value, bool secure);
    sim_bus (*write_flash)(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure);
    /* option bytes written as memory (F0/F1/F3, L0/L1), or NULL: such a write faults */
    sim_bus (*write_option)(struct sim_target *s, uint32_t offset, unsigned size, uint32_t value);
    void (*stale_flags)(struct sim_target *s); /* --quirk stale-flags: the error flags an earlier session left */
    void (*lock_out)(struct sim_target *s);    /* --quirk key-lockout: a wrong key before we came */
    /* --fault wrp: the unit holding offset (all: every unit) write-protected */
    void (*write_protect)(struct sim_target *s, uint32_t offset, bool all);
};

/* The model of a controller family, or NULL. */
const struct sim_flash_model *sim_flash_model_for(fw_ctl_family family);

#endif
