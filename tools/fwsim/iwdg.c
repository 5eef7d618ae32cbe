/* SPDX-License-Identifier: MIT */
#include "iwdg.h"

void iwdg_init(struct sim_iwdg *w, uint32_t lsi_khz)
{
    *w = (struct sim_iwdg){.present = lsi_khz > 0, .lsi_khz = lsi_khz, .rlr = 0xFFF};
}

void iwdg_start(struct sim_iwdg *w, uint64_t now_ns)
{
    if (!w->running)
        w->counter = w->rlr;
    w->running = true;
    w->last_ns = now_ns;
}

void iwdg_reset(struct sim_iwdg *w, uint64_t now_ns)
{
    w->running = w->writable = false;
    w->pr = 0;
    w->rlr = 0xFFF;
    if (w->hardware)
        iwdg_start(w, now_ns);
}

uint32_t iwdg_read(const struct sim_iwdg *w, uint32_t offset)
{
    switch (offset) {
    case IWDG_PR: return w->pr;
    case IWDG_RLR: return w->rlr;
    default: return 0; /* KR reads 0; SR: no update under way (model: updates are at once) */
    }
}

void iwdg_write(struct sim_iwdg *w, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    switch (offset) {
    case IWDG_KR:
        switch (value & 0xFFFF) {
        case 0xCCCC: iwdg_start(w, now_ns); break;
        case 0xAAAA:
            w->counter = w->rlr;
            w->last_ns = now_ns;
            break;
        case 0x5555: w->writable = true; break;
        default: w->writable = false; break;
        }
        break;
    case IWDG_PR:
        if (w->writable)
            w->pr = value & 7;
        break;
    case IWDG_RLR:
        if (w->writable)
            w->rlr = value & 0xFFF;
        break;
    default: break;
    }
}

bool iwdg_advance(struct sim_iwdg *w, uint64_t now_ns, bool frozen)
{
    if (!w->running || now_ns <= w->last_ns) {
        w->last_ns = now_ns > w->last_ns ? now_ns : w->last_ns;
        return false;
    }
    if (frozen) {
        w->last_ns = now_ns;
        return false;
    }
    /* one tick is (4 << PR) LSI periods */
    uint64_t tick_ns = (uint64_t)(4u << (w->pr > 6 ? 6 : w->pr)) * 1000000u / w->lsi_khz;
    uint64_t ticks = (now_ns - w->last_ns) / tick_ns;
    w->last_ns += ticks * tick_ns;
    if (ticks < w->counter) {
        w->counter -= (uint32_t)ticks;
        return false;
    }
    w->counter = 0;
    w->resets++;
    return true;
}
