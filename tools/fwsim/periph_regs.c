/* SPDX-License-Identifier: MIT */
/* fwsim: unmodelled peripherals as plain registers (see periph_regs.h). */
#include "periph_regs.h"

#include <stdlib.h>
#include <string.h>

bool periph_regs_cover(uint32_t addr)
{
    return (addr >= 0x40000000u && addr < 0x60000000u) || (addr >= 0xE0000000u && addr < 0xE0100000u);
}

/* index of the word at addr, or where it would go */
static size_t find(const struct periph_regs *p, uint32_t word, bool *found)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->regs[mid].addr < word)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < p->n && p->regs[lo].addr == word;
    return lo;
}

uint32_t periph_regs_read(const struct periph_regs *p, uint32_t addr, unsigned size)
{
    bool found;
    size_t i = find(p, addr & ~3u, &found);
    uint32_t v = found ? p->regs[i].value >> (8 * (addr & 3)) : 0;
    return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

bool periph_regs_write(struct periph_regs *p, uint32_t addr, unsigned size, uint32_t value)
{
    bool found;
    size_t i = find(p, addr & ~3u, &found);
    if (!found) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? 2 * p->cap : 64;
            struct periph_reg *r = realloc(p->regs, cap * sizeof(*r));
            if (!r)
                return false;
            p->regs = r;
            p->cap = cap;
        }
        memmove(p->regs + i + 1, p->regs + i, (p->n - i) * sizeof(*p->regs));
        p->regs[i] = (struct periph_reg){.addr = addr & ~3u, .value = 0};
        p->n++;
    }
    unsigned shift = 8 * (addr & 3);
    uint32_t mask = (size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1) << shift;
    p->regs[i].value = (p->regs[i].value & ~mask) | ((value << shift) & mask);
    return true;
}

void periph_regs_reset(struct periph_regs *p)
{
    p->n = 0;
}

void periph_regs_free(struct periph_regs *p)
{
    free(p->regs);
    *p = (struct periph_regs){0};
}
