/* SPDX-License-Identifier: MIT */
/* fwsim: the peripherals the simulator does not model (GPIO, RCC, timers...)
 * as plain 32-bit registers: a read returns what was last written, 0 before
 * that. Enough for firmware that configures and toggles pins to run; a
 * firmware that waits for a hardware flag waits for ever (and --stats shows
 * it in that loop). */
#ifndef FWSIM_PERIPH_REGS_H
#define FWSIM_PERIPH_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct periph_regs {
    struct periph_reg {
        uint32_t addr, value;
    } *regs; /* sorted by address */
    size_t n, cap;
};

/* Whether addr lies in the peripheral or system (PPB) space these cover. */
bool periph_regs_cover(uint32_t addr);
uint32_t periph_regs_read(const struct periph_regs *p, uint32_t addr, unsigned size);
/* false when out of memory */
bool periph_regs_write(struct periph_regs *p, uint32_t addr, unsigned size, uint32_t value);
/* a system reset: every register back to 0 */
void periph_regs_reset(struct periph_regs *p);
void periph_regs_free(struct periph_regs *p);

#endif
