/* SPDX-License-Identifier: MIT */
/* fwsim: a DMA channel the firmware left running (--quirk dma): channel 1
 * of DMA1 (stream 0 on F2/F4/F7), paced by a timer, writes one word every
 * microsecond into a 256-byte circular buffer at the start of SRAM. It
 * writes while its clock (RCC) and its EN bit are on, and while the core
 * is halted unless DBGMCU stops the timer; every register it reads is a
 * plain peripheral register, so a system reset (all to 0) stops it. The
 * addresses come from the target data's dma line. */
#ifndef FWSIM_DMA_H
#define FWSIM_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "fwkit/target.h"

#include "periph_regs.h"

#define DMA_BUFFER_BYTES 256u
#define DMA_PERIOD_NS 1000u

struct sim_dma {
    bool present;
    uint32_t buffer;  /* where it writes: the start of SRAM */
    uint64_t last_ns; /* the clock up to which it wrote */
    uint64_t words;   /* how many it wrote */
};

void dma_init(struct sim_dma *m, const fw_target *t, uint32_t sram_base);
/* Turns the channel on as firmware does: clock, channel EN, from now. */
void dma_start(struct sim_dma *m, const fw_target *t, struct periph_regs *regs, uint64_t now_ns);
/* Whether it moves data now: clocked, enabled, and its timer not frozen. */
bool dma_active(const struct sim_dma *m, const fw_target *t, const struct periph_regs *regs, bool halted);
/* Writes what it wrote up to now_ns into sram (the bytes at m->buffer). */
void dma_advance(struct sim_dma *m, const fw_target *t, const struct periph_regs *regs, bool halted, uint64_t now_ns,
                 uint8_t *sram);

#endif
