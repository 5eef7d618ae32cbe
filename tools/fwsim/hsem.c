/* SPDX-License-Identifier: MIT */
/* fwsim: the hardware semaphore block (see hsem.h). */
#include "hsem.h"

#include <string.h>

#define COREID(v) (((v) >> 8) & 0xFu)
#define PROCID(v) ((v)&0xFFu)

void hsem_reset(struct sim_hsem *h)
{
    memset(h, 0, sizeof(*h));
}

/* RM0453 §8.3.7: a semaphore freed sets its status on every line ("each AHB bus
 * master gets its interrupt") */
static void free_semaphore(struct sim_hsem *h, unsigned x)
{
    h->sem[x] = 0;
    for (unsigned n = 0; n < HSEM_LINES; n++)
        h->isr[n] |= 1u << x;
}

static bool line_register(uint32_t offset, unsigned *line, uint32_t *reg)
{
    if (offset < HSEM_C1IER || offset >= HSEM_C1IER + 0x10u * HSEM_LINES)
        return false;
    *line = (offset - HSEM_C1IER) / 0x10u;
    *reg = HSEM_C1IER + (offset - HSEM_C1IER) % 0x10u;
    return true;
}

uint32_t hsem_read(struct sim_hsem *h, uint32_t offset, unsigned size, uint32_t master)
{
    if (size != 4 || (offset & 3)) /* RM0453 §8.4: byte and half-word reads return 0 */
        return 0;
    if (offset < HSEM_R + 4 * HSEM_SEMAPHORES)
        return h->sem[offset / 4];
    if (offset >= HSEM_RLR && offset < HSEM_RLR + 4 * HSEM_SEMAPHORES) {
        /* the 1-step lock: a free semaphore is the reader's, PROCID 0 */
        uint32_t *s = &h->sem[(offset - HSEM_RLR) / 4];
        if (!(*s & HSEM_LOCK))
            *s = HSEM_LOCK | (master & 0xFu) << 8;
        return *s;
    }
    unsigned line;
    uint32_t reg;
    if (line_register(offset, &line, &reg))
        switch (reg) {
        case HSEM_C1IER: return h->ier[line];
        case HSEM_C1ISR: return h->isr[line];
        case HSEM_C1MISR: return h->isr[line] & h->ier[line];
        default: return 0; /* ICR reads 0 */
        }
    if (offset == HSEM_KEYR)
        return h->keyr;
    return 0;
}

void hsem_write(struct sim_hsem *h, uint32_t offset, unsigned size, uint32_t value, uint32_t master)
{
    if (size != 4 || (offset & 3)) /* ignored, with no bus error */
        return;
    if (offset < HSEM_R + 4 * HSEM_SEMAPHORES) {
        unsigned x = offset / 4;
        uint32_t *s = &h->sem[x];
        if (value & HSEM_LOCK) {
            /* the 2-step lock takes only a free semaphore, and only with the
             * writer's own COREID (RM0453 §8.3.3, §8.3.8) */
            if (!(*s & HSEM_LOCK) && COREID(value) == (master & 0xFu))
                *s = HSEM_LOCK | COREID(value) << 8 | PROCID(value);
        } else if ((*s & HSEM_LOCK) && COREID(*s) == COREID(value) && COREID(value) == (master & 0xFu) &&
                   PROCID(*s) == PROCID(value)) {
            free_semaphore(h, x); /* RM0453 §8.3, unlock procedures: only by its COREID and PROCID */
        }
        return;
    }
    unsigned line;
    uint32_t reg;
    if (line_register(offset, &line, &reg)) {
        if (reg == HSEM_C1IER)
            h->ier[line] = value;
        else if (reg == HSEM_C1ICR)
            h->isr[line] &= ~value; /* clears the status and so the masked status */
        return;
    }
    if (offset == HSEM_KEYR) {
        h->keyr = value & 0xFFFF0000u;
        return;
    }
    if (offset == HSEM_CR && (value & 0xFFFF0000u) == h->keyr) {
        /* RM0453 §8.3.6: every semaphore of the COREID written is freed */
        for (unsigned x = 0; x < HSEM_SEMAPHORES; x++)
            if ((h->sem[x] & HSEM_LOCK) && COREID(h->sem[x]) == COREID(value))
                free_semaphore(h, x);
    }
}

bool hsem_line_raised(const struct sim_hsem *h, unsigned line)
{
    return line < HSEM_LINES && (h->isr[line] & h->ier[line]) != 0;
}
