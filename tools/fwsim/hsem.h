/* SPDX-License-Identifier: MIT */
/* fwsim: the hardware semaphore block (HSEM) of the dual-core parts, as
 * RM0453 §8 (WL5x) and RM0399's HSEM chapter (H745/H747, 32 of them) give
 * it: semaphores,
 * each locked in two steps (a write of LOCK with the writer's own COREID
 * and a PROCID, then a read) or in one (a read of HSEM_RLRx), and freed by
 * a write of LOCK 0 with the COREID and PROCID that hold it, or all of one
 * COREID's at once through HSEM_CR with HSEM_KEYR's key. A semaphore freed
 * sets its status bit on every processor's interrupt line (HSEM_CnISR);
 * HSEM_CnIER lets it through (HSEM_CnMISR), and that is the notification
 * ST's dual-core templates wake the Cortex-M4 from Stop with. Only word
 * accesses act; narrower ones are ignored and read 0. The COREID of an
 * access is its bus master's (the target data's hsem line: on H7 the
 * Cortex-M7 is 3 and the Cortex-M4 1, ST's HSEM training for STM32H7). */
#ifndef FWSIM_HSEM_H
#define FWSIM_HSEM_H

#include <stdbool.h>
#include <stdint.h>

#define HSEM_SEMAPHORES 32u
#define HSEM_LINES      2u /* one interrupt line per processor: C1 (the main core), C2 (the second) */

#define HSEM_R      0x000u /* + 4 * x: 2-step lock, read back, free */
#define HSEM_RLR    0x080u /* + 4 * x: 1-step (read) lock */
#define HSEM_C1IER  0x100u /* line n's registers at + 0x10 * n */
#define HSEM_C1ICR  0x104u
#define HSEM_C1ISR  0x108u
#define HSEM_C1MISR 0x10Cu
#define HSEM_CR     0x140u
#define HSEM_KEYR   0x144u
#define HSEM_SIZE   0x400u

#define HSEM_LOCK (1u << 31)

struct sim_hsem {
    uint32_t sem[HSEM_SEMAPHORES]; /* LOCK | COREID << 8 | PROCID */
    uint32_t ier[HSEM_LINES], isr[HSEM_LINES];
    uint32_t keyr;
};

/* A system reset: every semaphore free, no interrupt enabled or pending. */
void hsem_reset(struct sim_hsem *h);
/* An access of size bytes at offset from the bus master whose COREID is
 * master. */
uint32_t hsem_read(struct sim_hsem *h, uint32_t offset, unsigned size, uint32_t master);
void hsem_write(struct sim_hsem *h, uint32_t offset, unsigned size, uint32_t value, uint32_t master);
/* Whether line n (0: the main core, 1: the second) has an enabled
 * semaphore freed and not yet cleared: its interrupt line is raised. */
bool hsem_line_raised(const struct sim_hsem *h, unsigned line);

#endif
