/* SPDX-License-Identifier: MIT */
/* fwsim: the pieces every flash controller model shares. */
#include "flashctl.h"

bool flash_is_busy(const struct flash_busy *b, uint64_t now_ns)
{
    return now_ns < b->busy_until_ns;
}

void flash_start_operation(struct flash_busy *b, struct flash_stats *s, uint64_t now_ns, uint64_t op_ns)
{
    uint64_t from = b->busy_until_ns > now_ns ? b->busy_until_ns : now_ns;
    b->busy_until_ns = from + op_ns;
    s->busy_ns += op_ns;
}

key_result key_sequence_step(struct key_sequence *k, bool *locked_out, uint32_t key1, uint32_t key2, bool allowed,
                             uint32_t value)
{
    if (*locked_out || !allowed || value != (k->accepted == 0 ? key1 : key2)) {
        k->accepted = 0;
        *locked_out = true;
        return KEY_WRONG;
    }
    if (++k->accepted < 2)
        return KEY_PENDING;
    k->accepted = 0;
    return KEY_UNLOCKED;
}

bool wrp_unit_protected(const struct write_protection *w, uint32_t u)
{
    return u < WRP_MAX_UNITS && ((w->fault[u / 32] | w->options[u / 32]) >> (u % 32) & 1);
}

bool write_protected(const struct write_protection *w, uint32_t offset, uint32_t len)
{
    if (!w->unit || !len)
        return false;
    for (uint32_t u = offset / w->unit; u <= (offset + len - 1) / w->unit && u < WRP_MAX_UNITS; u++)
        if (wrp_unit_protected(w, u))
            return true;
    return false;
}

void wrp_set_units(uint32_t *mask, uint32_t first, uint32_t count)
{
    for (uint32_t u = first; u < first + count && u < WRP_MAX_UNITS; u++)
        mask[u / 32] |= 1u << (u % 32);
}

uint32_t flash_keyr_write(struct key_sequence *k, bool *locked_out, uint32_t cr, uint32_t lock_bit, uint32_t value)
{
    if (key_sequence_step(k, locked_out, FLASH_KEY1, FLASH_KEY2, cr & lock_bit, value) == KEY_UNLOCKED)
        return cr & ~lock_bit;
    return *locked_out ? cr | lock_bit : cr; /* the family's reference manual: a wrong key locks until the next reset */
}

uint32_t flash_sr_read(const struct flash_busy *b, uint64_t now_ns, uint32_t sr, uint32_t bsy, uint32_t eop)
{
    return flash_is_busy(b, now_ns) ? (sr & ~eop) | bsy : sr;
}
