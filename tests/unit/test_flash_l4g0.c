/* SPDX-License-Identifier: MIT */
/* fwsim's L4/G0/G4/WB/C0 flash controller model, one test per rule of
 * RM0351 §3.3 and RM0444 §3.3. */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/flash_l4g0.h"

#define BASE 0x08000000u
#define SIZE (64u * 1024)
#define PAGE 2048u

static uint8_t flash[SIZE];

static void setup(struct flash_l4g0 *f)
{
    memset(flash, 0xFF, sizeof(flash));
    memset(flash + 4 * PAGE, 0x3C, PAGE); /* one programmed page */
    flash_l4g0_init(f, flash, BASE, SIZE, PAGE, 10);
}

static void unlock(struct flash_l4g0 *f)
{
    flash_l4g0_write_reg(f, L4_KEYR, L4_KEY1, 0);
    flash_l4g0_write_reg(f, L4_KEYR, L4_KEY2, 0);
}

static uint32_t sr(struct flash_l4g0 *f, uint64_t now)
{
    return flash_l4g0_read_reg(f, L4_SR, now);
}

static uint32_t word_at(uint32_t offset)
{
    const uint8_t *p = flash + offset;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* RM0351 §3.3 Keys: LOCK and OPTLOCK after reset; the two keys clear LOCK; a wrong key locks until reset */
static void test_keys(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    assert_int_equal(flash_l4g0_read_reg(&f, L4_CR, 0), L4_CR_LOCK | L4_CR_OPTLOCK);
    unlock(&f);
    assert_int_equal(flash_l4g0_read_reg(&f, L4_CR, 0), L4_CR_OPTLOCK);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_LOCK, 0);
    flash_l4g0_write_reg(&f, L4_KEYR, 0xDEADBEEF, 0);
    unlock(&f);
    assert_true(flash_l4g0_read_reg(&f, L4_CR, 0) & L4_CR_LOCK);
    flash_l4g0_reset(&f);
    unlock(&f);
    assert_false(flash_l4g0_read_reg(&f, L4_CR, 0) & L4_CR_LOCK);
}

/* RM0351 §3.3 Page erase: PER | PNB, STRT; with PG also set it is PGSERR */
static void test_page_erase(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | L4_CR_PG | 4u << L4_CR_PNB_SHIFT | L4_CR_STRT, 0);
    assert_true(sr(&f, 0) & L4_SR_PGSERR);
    assert_int_equal(flash[4 * PAGE], 0x3C);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_PGSERR, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_EOPIE | L4_CR_PER | 4u << L4_CR_PNB_SHIFT | L4_CR_STRT, 5);
    for (uint32_t i = 0; i < PAGE; i++)
        assert_int_equal(flash[4 * PAGE + i], 0xFF);
    assert_true(sr(&f, 5 + L4_ERASE_NS - 1) & L4_SR_BSY);
    assert_int_equal(sr(&f, 5 + L4_ERASE_NS), L4_SR_EOP);
    assert_int_equal(f.stats.erases, 1);
}

/* RM0351 §3.3 Program: two 32-bit writes to a double-word-aligned address; the second starts programming */
static void test_double_word_program(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PG, 0);
    flash_l4g0_write_flash(&f, BASE + 8, 0x11111111, 4, 0);
    assert_int_equal(word_at(8), 0xFFFFFFFF); /* held until the second word */
    flash_l4g0_write_flash(&f, BASE + 12, 0x22222222, 4, 0);
    assert_int_equal(word_at(8), 0x11111111);
    assert_int_equal(word_at(12), 0x22222222);
    assert_true(sr(&f, 0) & L4_SR_BSY);
    assert_int_equal(sr(&f, L4_PROGRAM_NS), 0); /* no EOP without EOPIE */
    assert_int_equal(f.stats.programs, 1);
}

/* RM0351 §3.3: PGAERR on misalignment, SIZERR on a non-word access */
static void test_alignment_and_size(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PG, 0);
    flash_l4g0_write_flash(&f, BASE + 4, 0x11111111, 4, 0);
    assert_true(sr(&f, 0) & L4_SR_PGAERR);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_PGAERR, 0); /* cleared, or the next write is PGSERR (§3.3.7) */
    flash_l4g0_write_flash(&f, BASE + 16, 0x11111111, 4, 0);
    flash_l4g0_write_flash(&f, BASE + 24, 0x22222222, 4, 0); /* not the same double-word */
    assert_true(sr(&f, 0) & L4_SR_PGAERR);
    assert_int_equal(word_at(16), 0xFFFFFFFF);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_PGAERR, 0);
    flash_l4g0_write_flash(&f, BASE + 32, 0x1111, 2, 0);
    assert_true(sr(&f, 0) & L4_SR_SIZERR);
    assert_int_equal(f.stats.programs, 0);
}

/* RM0351 §3.3: PROGERR on a second write to the same double-word, unless it is all zero */
static void test_second_write_to_a_double_word(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PG, 0);
    flash_l4g0_write_flash(&f, BASE, 0x11111111, 4, 0);
    flash_l4g0_write_flash(&f, BASE + 4, 0x22222222, 4, 0);
    flash_l4g0_write_flash(&f, BASE, 0x01010101, 4, L4_PROGRAM_NS);
    flash_l4g0_write_flash(&f, BASE + 4, 0x02020202, 4, L4_PROGRAM_NS);
    assert_true(sr(&f, 2 * L4_PROGRAM_NS) & L4_SR_PROGERR);
    assert_int_equal(word_at(0), 0x11111111);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_PROGERR, 0);
    flash_l4g0_write_flash(&f, BASE, 0, 4, L4_PROGRAM_NS);
    flash_l4g0_write_flash(&f, BASE + 4, 0, 4, L4_PROGRAM_NS);
    assert_int_equal(sr(&f, 3 * L4_PROGRAM_NS) & L4_SR_PROGERR, 0);
    assert_int_equal(word_at(0), 0);
}

/* model: a flash write without PG is a sequence error */
static void test_write_without_pg(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    flash_l4g0_write_flash(&f, BASE, 0x11111111, 4, 0);
    assert_true(sr(&f, 0) & L4_SR_PGSERR);
    assert_int_equal(word_at(0), 0xFFFFFFFF);
}

/* mass erase: MER1 and STRT erase the bank */
static void test_mass_erase(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER1 | L4_CR_STRT, 0);
    for (uint32_t i = 0; i < SIZE; i++)
        if (flash[i] != 0xFF)
            fail_msg("byte %u is 0x%02x after mass erase", i, flash[i]);
    assert_int_equal(f.stats.erases, 1);
}

/* RM0351 §3.3.7 fast programming: 64 consecutive words of a row-aligned
 * 256-byte row program it in one operation; a gap is a data miss (MISERR,
 * FASTERR); FSTPG with PG is a sequence error */
static void test_fast_programming(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_FSTPG, 0);
    for (uint32_t i = 0; i < 64; i++)
        flash_l4g0_write_flash(&f, BASE + 256 + 4 * i, 0xA0000000u | i, 4, 0);
    assert_int_equal(word_at(256), 0xA0000000u);
    assert_int_equal(word_at(256 + 4 * 63), 0xA000003Fu);
    assert_int_equal(f.stats.programs, 1);
    assert_true(sr(&f, L4_FAST_ROW_NS / 2) & L4_SR_BSY);
    assert_false(sr(&f, L4_FAST_ROW_NS) & (L4_SR_BSY | L4_SR_MISERR | L4_SR_FASTERR));
    /* a word skipped: the row is abandoned */
    flash_l4g0_write_flash(&f, BASE + 512, 1, 4, L4_FAST_ROW_NS);
    flash_l4g0_write_flash(&f, BASE + 520, 2, 4, L4_FAST_ROW_NS);
    assert_int_equal(sr(&f, L4_FAST_ROW_NS) & (L4_SR_MISERR | L4_SR_FASTERR), L4_SR_MISERR | L4_SR_FASTERR);
    assert_int_equal(word_at(512), 0xFFFFFFFFu);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_MISERR | L4_SR_FASTERR, 0);
    assert_int_equal(sr(&f, L4_FAST_ROW_NS) & (L4_SR_MISERR | L4_SR_FASTERR), 0);
    /* FSTPG and PG together */
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_FSTPG | L4_CR_PG, 0);
    flash_l4g0_write_flash(&f, BASE + 768, 1, 4, L4_FAST_ROW_NS);
    assert_true(sr(&f, L4_FAST_ROW_NS) & L4_SR_PGSERR);
}

/* RM0351 §3.3.6 dual bank: BKER picks the second bank for a page erase
 * (PNB counts within the bank); MER1 and MER2 erase one bank each */
static void test_dual_bank(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    f.bank_size = SIZE / 2;
    f.bker = 1u << 13; /* G0/G4, whose PNB has 10 bits (setup) */
    memset(flash, 0x3C, SIZE);
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 1u << L4_CR_PNB_SHIFT | f.bker, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 1u << L4_CR_PNB_SHIFT | f.bker | L4_CR_STRT, 0);
    assert_int_equal(flash[SIZE / 2 + PAGE], 0xFF); /* page 1 of bank 2 */
    assert_int_equal(flash[PAGE], 0x3C);            /* page 1 of bank 1 kept */
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER2, L4_ERASE_NS);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER2 | L4_CR_STRT, L4_ERASE_NS);
    assert_int_equal(flash[SIZE - 1], 0xFF);
    assert_int_equal(flash[0], 0x3C);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER1, 2 * L4_ERASE_NS);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER1 | L4_CR_STRT, 2 * L4_ERASE_NS);
    assert_int_equal(flash[0], 0xFF);
    assert_false(sr(&f, 3 * L4_ERASE_NS) & L4_SR_PGSERR);
}

/* RM0444 §3.7.4: a dual-bank G0 shows bank 1's operations as BSY1 (bit 16)
 * and bank 2's as BSY2 (bit 17); a mass erase of both shows both; an L4
 * has one BSY for both banks */
static void test_g0_bsy2(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    f.bank_size = SIZE / 2;
    f.bker = 1u << 13;
    f.has_bsy2 = true;
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 1u << L4_CR_PNB_SHIFT | f.bker | L4_CR_STRT, 0);
    assert_int_equal(sr(&f, 0) & (L4_SR_BSY | G0_SR_BSY2), G0_SR_BSY2);
    uint64_t t = L4_ERASE_NS;
    assert_false(sr(&f, t) & (L4_SR_BSY | G0_SR_BSY2));
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 1u << L4_CR_PNB_SHIFT | L4_CR_STRT, t);
    assert_int_equal(sr(&f, t) & (L4_SR_BSY | G0_SR_BSY2), L4_SR_BSY);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER1 | L4_CR_MER2 | L4_CR_STRT, 2 * t);
    assert_int_equal(sr(&f, 2 * t) & (L4_SR_BSY | G0_SR_BSY2), L4_SR_BSY | G0_SR_BSY2);
    f.has_bsy2 = false; /* L4 */
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 1u << L4_CR_PNB_SHIFT | f.bker | L4_CR_STRT, 4 * t);
    assert_int_equal(sr(&f, 4 * t) & (L4_SR_BSY | G0_SR_BSY2), L4_SR_BSY);
}

/* RM0351 §3.3.1 (RM0444 §3.3.1 alike): the 1 KiB OTP area takes double words
 * as flash does, with PG, and is never erased: a double word is written once;
 * its second word must follow in the same area */
static void test_otp(void **state)
{
    (void)state;
    static uint8_t otp[1024];
    struct flash_l4g0 f;
    setup(&f);
    memset(otp, 0xFF, sizeof(otp));
    unlock(&f);
    flash_l4g0_write_otp(&f, otp, 8, 0x11223344u, 4, 0); /* PG not set */
    assert_true(sr(&f, 0) & L4_SR_PGSERR);
    assert_int_equal(otp[8], 0xFF);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_PGSERR, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PG, 0);
    flash_l4g0_write_otp(&f, otp, 8, 0x11223344u, 4, 0);
    flash_l4g0_write_otp(&f, otp, 12, 0x55667788u, 4, 0);
    assert_int_equal(otp[8], 0x44);
    assert_int_equal(otp[15], 0x55);
    assert_true(sr(&f, 0) & L4_SR_BSY);
    uint64_t t = L4_PROGRAM_NS;
    flash_l4g0_write_otp(&f, otp, 8, 0x01010101u, 4, t); /* written once */
    flash_l4g0_write_otp(&f, otp, 12, 0x01010101u, 4, t);
    assert_true(sr(&f, t) & L4_SR_PROGERR);
    assert_int_equal(otp[8], 0x44);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_PROGERR, t);
    /* a first word in OTP and a second in flash are no double word */
    flash_l4g0_write_otp(&f, otp, 16, 0x01010101u, 4, t);
    flash_l4g0_write_flash(&f, BASE + 20, 0x01010101u, 4, t);
    assert_true(sr(&f, t) & L4_SR_PGAERR);
    assert_int_equal(otp[16], 0xFF);
    assert_int_equal(word_at(16), 0xFFFFFFFFu);
}

/* RM0434 FLASH_SFR (STM32WB): the pages from SFSA up are CPU2's unless FSD
 * is set; CPU1 and the debugger neither erase nor write them (model: WRPERR,
 * nothing changed; a mass erase too while the area exists); SFR reads back */
static void test_wb_cpu2_area(void **state)
{
    (void)state;
    struct flash_l4g0 f;
    setup(&f);
    f.sfr_offset = 0x80;
    f.sfsa_mask = 0xFF;
    f.fsd_mask = 0x100;
    f.sfr = 30; /* pages 30 and 31 are CPU2's */
    memset(flash + 30 * PAGE, 0x5A, 2 * PAGE);
    assert_int_equal(flash_l4g0_read_reg(&f, 0x80, 0), 30);
    assert_false(flash_l4g0_in_cpu2_area(&f, 29 * PAGE, PAGE));
    assert_true(flash_l4g0_in_cpu2_area(&f, 29 * PAGE, PAGE + 8));
    unlock(&f);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 30u << 3 | L4_CR_STRT, 0);
    assert_true(sr(&f, 0) & L4_SR_WRPERR);
    assert_int_equal(flash[30 * PAGE], 0x5A);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_WRPERR, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER1 | L4_CR_STRT, 0);
    assert_true(sr(&f, 0) & L4_SR_WRPERR);
    assert_int_equal(flash[4 * PAGE], 0x3C); /* nothing erased */
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_WRPERR, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PG, 0);
    flash_l4g0_write_flash(&f, BASE + 31 * PAGE, 0, 4, 0);
    flash_l4g0_write_flash(&f, BASE + 31 * PAGE + 4, 0, 4, 0);
    assert_true(sr(&f, 0) & L4_SR_WRPERR);
    assert_int_equal(flash[31 * PAGE], 0x5A);
    /* below SFSA as usual */
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_WRPERR, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 4u << 3 | L4_CR_STRT, 0);
    assert_false(sr(&f, 0) & L4_SR_WRPERR);
    assert_int_equal(flash[4 * PAGE], 0xFF);
    /* FSD set: no secure area */
    f.sfr |= 0x100;
    assert_false(flash_l4g0_in_cpu2_area(&f, 30 * PAGE, PAGE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_page_erase),
        cmocka_unit_test(test_double_word_program),
        cmocka_unit_test(test_alignment_and_size),
        cmocka_unit_test(test_second_write_to_a_double_word),
        cmocka_unit_test(test_write_without_pg),
        cmocka_unit_test(test_mass_erase),
        cmocka_unit_test(test_fast_programming),
        cmocka_unit_test(test_dual_bank),
        cmocka_unit_test(test_otp),
        cmocka_unit_test(test_g0_bsy2),
        cmocka_unit_test(test_wb_cpu2_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
