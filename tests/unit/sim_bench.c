/* SPDX-License-Identifier: MIT */
#include "sim_bench.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>
#include <cmocka.h>

#include "fwkit/bytes.h"

void sim_bench_up(struct sim_bench *b, const fw_target_db *db, const char *part, const struct sim_bench_setup *s)
{
    size_t n;
    memset(b, 0, sizeof(*b));
    assert_true(sim_target_init(&b->chip, fw_target_find(db, part, NULL, 0, &n), 0x1000));
    if (s && s->firmware)
        memcpy(b->chip.flash->bytes, s->firmware, s->firmware_len);
    if (s && s->rdp1) { /* as fwsim --rdp 1 stores it: RDP 0xBB in OPTR, loaded at power-on */
        assert_int_equal(b->chip.ob.layout, OB_L4G0);
        ob_l4g0_store(&b->chip.ob, 0, (fw_get_le32(b->chip.ob.bytes) & ~0xFFu) | 0xBB);
    }
    sim_target_power_on(&b->chip);
    assert_true(sim_core_init(&b->core, &b->chip)); /* with the core's power-on reset */
    sim_quirks quirks = s ? s->quirks : 0;
    sim_target_arrive_with(&b->chip, quirks);
    stlink_init(&b->link, STLINK_V2, &b->core);
    stlink_set_quirks(&b->link, quirks);
}

void sim_bench_down(struct sim_bench *b)
{
    sim_core_free(&b->core);
    sim_target_free(&b->chip);
}
