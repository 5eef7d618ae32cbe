/* SPDX-License-Identifier: MIT */
/* A bench for the unit tests: fwsim's chip, core and ST-Link model, built
 * as fwsim's main builds them (memories, power-on, the core's reset, what
 * the bench brings: quirks, firmware in flash, read protection). */
#ifndef FWKIT_TEST_SIM_BENCH_H
#define FWKIT_TEST_SIM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/target.h"

#include "../../tools/fwsim/emulated_stlink.h"

struct sim_bench {
    struct sim_target chip;
    struct sim_core core;
    struct stlink link;
};

struct sim_bench_setup {
    sim_quirks quirks;
    const uint8_t *firmware; /* put at the start of flash before power-on, or NULL */
    size_t firmware_len;
    bool rdp1; /* read protection level 1 in the option bytes (L4/G0 layout) */
};

/* Fails the test when the part cannot be built. */
void sim_bench_up(struct sim_bench *b, const fw_target_db *db, const char *part, const struct sim_bench_setup *s);
void sim_bench_down(struct sim_bench *b);

#endif
