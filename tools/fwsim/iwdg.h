/* SPDX-License-Identifier: MIT */
/* fwsim: the independent watchdog (IWDG), as the reference manuals'
 * IWDG chapters give it (RM0008, RM0090, RM0038, RM0351, RM0444 alike): KR
 * takes 0xCCCC (start), 0xAAAA (reload) and 0x5555 (PR and RLR writable);
 * the 12-bit counter counts down at LSI / (4 << PR) from RLR (0xFFF after
 * reset) and resets the chip at 0. Once started only a reset stops it, and
 * a hardware watchdog (option bit) starts at every reset. The DBGMCU bit
 * the family names stops its clock while the core is halted. */
#ifndef FWSIM_IWDG_H
#define FWSIM_IWDG_H

#include <stdbool.h>
#include <stdint.h>

#define IWDG_KR 0x0u
#define IWDG_PR 0x4u
#define IWDG_RLR 0x8u
#define IWDG_SR 0xCu
#define IWDG_WINDOW 0x400u

struct sim_iwdg {
    bool present, hardware; /* hardware: started at every reset (option bit) */
    bool running, writable;
    uint32_t counter, pr, rlr;
    uint32_t lsi_khz;
    uint64_t last_ns;       /* the clock up to which the counter counted */
    uint64_t resets;        /* how often it reset the chip */
};

void iwdg_init(struct sim_iwdg *w, uint32_t lsi_khz);
/* A system reset: stopped, unless it is a hardware watchdog (started). */
void iwdg_reset(struct sim_iwdg *w, uint64_t now_ns);
void iwdg_start(struct sim_iwdg *w, uint64_t now_ns);
uint32_t iwdg_read(const struct sim_iwdg *w, uint32_t offset);
void iwdg_write(struct sim_iwdg *w, uint32_t offset, uint32_t value, uint64_t now_ns);
/* Counts up to now_ns (not while frozen); true when it reached 0, which
 * resets the chip. */
bool iwdg_advance(struct sim_iwdg *w, uint64_t now_ns, bool frozen);

#endif
