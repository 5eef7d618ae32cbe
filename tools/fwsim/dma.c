/* SPDX-License-Identifier: MIT */
#include "dma.h"

#include "fwkit/bytes.h"

#define CHANNEL_EN 1u

void dma_init(struct sim_dma *m, const fw_target *t, uint32_t sram_base)
{
    *m = (struct sim_dma){.present = t->has_dma && t->has_watchdog, .buffer = sram_base};
}

void dma_start(struct sim_dma *m, const fw_target *t, struct periph_regs *regs, uint64_t now_ns)
{
    if (!m->present)
        return;
    uint32_t clock = (uint32_t)t->dma_clock_reg, cr = (uint32_t)t->dma_base + t->dma_channel_cr;
    periph_regs_write(regs, clock, 4, periph_regs_read(regs, clock, 4) | t->dma_clock_bit);
    periph_regs_write(regs, cr, 4, periph_regs_read(regs, cr, 4) | CHANNEL_EN);
    m->last_ns = now_ns;
}

bool dma_active(const struct sim_dma *m, const fw_target *t, const struct periph_regs *regs, bool halted)
{
    if (!m->present)
        return false;
    uint32_t cr = (uint32_t)t->dma_base + t->dma_channel_cr;
    if (!(periph_regs_read(regs, (uint32_t)t->dma_clock_reg, 4) & t->dma_clock_bit) ||
        !(periph_regs_read(regs, cr, 4) & CHANNEL_EN))
        return false;
    return !halted || !(periph_regs_read(regs, (uint32_t)t->watchdog_freeze_reg, 4) & t->dma_timer_stop_bit);
}

void dma_advance(struct sim_dma *m, const fw_target *t, const struct periph_regs *regs, bool halted, uint64_t now_ns,
                 uint8_t *sram)
{
    if (now_ns <= m->last_ns)
        return;
    if (!dma_active(m, t, regs, halted)) {
        m->last_ns = now_ns;
        return;
    }
    uint64_t n = (now_ns - m->last_ns) / DMA_PERIOD_NS;
    if (!n)
        return; /* the next request has not come yet */
    m->last_ns += n * DMA_PERIOD_NS;
    /* a circular buffer: only the last lap shows */
    uint64_t first = n > DMA_BUFFER_BYTES / 4 ? m->words + n - DMA_BUFFER_BYTES / 4 : m->words;
    for (uint64_t w = first; w < m->words + n; w++)
        fw_put_le32(sram + (w % (DMA_BUFFER_BYTES / 4)) * 4, 0xD3A00000u | (uint32_t)(w & 0xFFFFF));
    m->words += n;
}
