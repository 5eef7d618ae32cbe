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

bool write_protected(const struct write_protection *w, uint32_t offset)
{
    if (!w->unit)
        return false;
    uint32_t u = offset / w->unit;
    return u < 128 && (w->mask[u / 32] >> (u % 32) & 1);
}
