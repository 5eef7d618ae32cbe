/* SPDX-License-Identifier: MIT */
/* fwsim's STM32F2/F4/F7 flash controller model, one test per rule of
 * RM0090 §3. */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/flash_f2f4f7.h"

#define BASE 0x08000000u
#define K 1024u

/* an STM32F407VG: 4 x 16K, 64K, 7 x 128K (RM0090 §3) */
static const uint32_t sizes[] = {16 * K, 16 * K, 16 * K, 16 * K, 64 * K, 128 * K, 128 * K,
                                 128 * K, 128 * K, 128 * K, 128 * K, 128 * K};
static uint8_t flash[1024 * K];

static void setup(struct flash_f2f4f7 *f)
{
    memset(flash, 0x77, sizeof(flash));
    flash_f2f4f7_init(f, flash, BASE, sizes, 12);
    flash_f2f4f7_write_reg(f, F4_KEYR, F4_KEY1, 0);
    flash_f2f4f7_write_reg(f, F4_KEYR, F4_KEY2, 0);
}

static uint32_t sr(struct flash_f2f4f7 *f, uint64_t now)
{
    return flash_f2f4f7_read_reg(f, F4_SR, now);
}

static uint32_t x32(void)
{
    return 2u << F4_CR_PSIZE_SHIFT;
}

/* RM0090 §3 Keys (as PM0075 §2): CR.LOCK after reset, cleared by the keys; a wrong key locks until reset */
static void test_keys(void **state)
{
    (void)state;
    struct flash_f2f4f7 f;
    setup(&f);
    assert_int_equal(f.flash_size, 1024 * K);
    assert_int_equal(flash_f2f4f7_read_reg(&f, F4_CR, 0), 0);
    flash_f2f4f7_reset(&f);
    assert_int_equal(flash_f2f4f7_read_reg(&f, F4_CR, 0), F4_CR_LOCK);
    flash_f2f4f7_write_reg(&f, F4_KEYR, F4_KEY1, 0);
    flash_f2f4f7_write_reg(&f, F4_KEYR, F4_KEY1, 0);
    flash_f2f4f7_write_reg(&f, F4_KEYR, F4_KEY1, 0);
    flash_f2f4f7_write_reg(&f, F4_KEYR, F4_KEY2, 0);
    assert_int_equal(flash_f2f4f7_read_reg(&f, F4_CR, 0), F4_CR_LOCK);
}

/* RM0090 §3 Sector erase: SER | SNB(n), STRT; the sector's size decides the busy time */
static void test_sector_erase(void **state)
{
    (void)state;
    struct flash_f2f4f7 f;
    setup(&f);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | 4u << F4_CR_SNB_SHIFT | x32() | F4_CR_STRT, 0);
    assert_int_equal(flash[64 * K], 0xFF);
    assert_int_equal(flash[128 * K - 1], 0xFF);
    assert_int_equal(flash[64 * K - 1], 0x77);
    assert_int_equal(flash[128 * K], 0x77);
    assert_true(sr(&f, 550000000ull - 1) & F4_SR_BSY);
    assert_int_equal(sr(&f, 550000000ull), F4_SR_EOP);
}

/* RM0090 §3: with SER and MER both set nothing is erased; MER alone erases all */
static void test_mass_erase(void **state)
{
    (void)state;
    struct flash_f2f4f7 f;
    setup(&f);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | F4_CR_MER | F4_CR_STRT, 0);
    assert_int_equal(flash[0], 0x77);
    assert_int_equal(f.stats.erases, 0);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_MER | F4_CR_STRT, 0);
    for (uint32_t i = 0; i < sizeof(flash); i += 4093)
        assert_int_equal(flash[i], 0xFF);
    assert_int_equal(f.stats.erases, 1);
}

/* RM0090 §3 Programming rules: the size must match PSIZE (PGPERR), no 128-bit row
 * crossing (PGAERR), PG must be set (PGSERR), and a second write only clears bits */
static void test_program_rules(void **state)
{
    (void)state;
    struct flash_f2f4f7 f;
    setup(&f);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | x32() | F4_CR_STRT, 0); /* sector 0 */
    flash_f2f4f7_write_flash(&f, BASE, 0x12345678, 4, 0);
    assert_true(sr(&f, 0) & F4_SR_PGSERR);
    flash_f2f4f7_write_reg(&f, F4_SR, F4_SR_PGSERR, 0);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_PG | x32(), 0);
    flash_f2f4f7_write_flash(&f, BASE, 0x1234, 2, 0);
    assert_true(sr(&f, 0) & F4_SR_PGPERR);
    flash_f2f4f7_write_flash(&f, BASE + 14, 0x12345678, 4, 0);
    assert_true(sr(&f, 0) & F4_SR_PGAERR);
    assert_int_equal(flash[14], 0xFF);
    flash_f2f4f7_write_flash(&f, BASE + 16, 0xF0F0F0F0, 4, 0);
    assert_int_equal(flash[16], 0xF0);
    flash_f2f4f7_write_flash(&f, BASE + 16, 0x3C3C3C3C, 4, 0);
    assert_int_equal(flash[16], 0x30);
    /* x8 takes bytes */
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_PG, 0);
    flash_f2f4f7_write_flash(&f, BASE + 32, 0xA5, 1, 0);
    assert_int_equal(flash[32], 0xA5);
    assert_int_equal(f.stats.programs, 3);
}

/* write protection: WRPERR for a protected sector */
static void test_write_protection(void **state)
{
    (void)state;
    struct flash_f2f4f7 f;
    setup(&f);
    f.protected_sectors = 1u << 1;
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | 1u << F4_CR_SNB_SHIFT | x32() | F4_CR_STRT, 0);
    assert_true(sr(&f, 0) & F4_SR_WRPERR);
    assert_int_equal(flash[16 * K], 0x77);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_PG | x32(), 0);
    flash_f2f4f7_write_flash(&f, BASE + 16 * K, 0, 4, 0);
    assert_int_equal(flash[16 * K], 0x77);
}

/* RM0090 §3.7 OTP: programmed as flash (PG, PSIZE), bits only cleared, and a
 * block whose lock byte is 0x00 refuses further writes */
static void test_otp(void **state)
{
    (void)state;
    struct flash_f2f4f7 f;
    uint8_t otp[F4_OTP_BLOCKS * (F4_OTP_BLOCK + 1)];
    memset(otp, 0xFF, sizeof(otp));
    setup(&f);
    flash_f2f4f7_write_otp(&f, otp, 0, 0x12345678, 4, 0);
    assert_true(sr(&f, 0) & F4_SR_PGSERR); /* no PG */
    flash_f2f4f7_write_reg(&f, F4_SR, F4_SR_PGSERR, 0);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_PG | x32(), 0);
    flash_f2f4f7_write_otp(&f, otp, 0, 0x12345678, 4, 0);
    assert_int_equal(otp[0] | otp[1] << 8 | otp[2] << 16 | otp[3] << 24, 0x12345678);
    flash_f2f4f7_write_otp(&f, otp, 0, 0xFFFF00FF, 4, F4_PROGRAM_NS); /* only clears bits */
    assert_int_equal(otp[1], 0x00);
    assert_int_equal(otp[0], 0x78);
    flash_f2f4f7_write_otp(&f, otp, 512, 0xFFFFFF00, 4, 2 * F4_PROGRAM_NS); /* lock byte of block 0 */
    flash_f2f4f7_write_otp(&f, otp, 4, 0, 4, 3 * F4_PROGRAM_NS);
    assert_true(sr(&f, 4 * F4_PROGRAM_NS) & F4_SR_WRPERR);
    assert_int_equal(otp[4], 0xFF);
    flash_f2f4f7_write_otp(&f, otp, 32, 0, 4, 4 * F4_PROGRAM_NS); /* block 1 is not locked */
    assert_int_equal(otp[32], 0x00);
}

/* RM0090 §3: on a 2 MB F42x/F43x, bank 2's sectors 12-23 are SNB 16-27 (SNB
 * 12-15 name nothing); MER erases bank 1, MER1 bank 2 */
static void test_second_bank(void **state)
{
    (void)state;
    static uint8_t two[2048 * K];
    uint32_t both[24];
    for (int i = 0; i < 24; i++)
        both[i] = sizes[i % 12];
    struct flash_f2f4f7 f;
    memset(two, 0x77, sizeof(two));
    flash_f2f4f7_init(&f, two, BASE, both, 24);
    f.bank2_first = 12;
    flash_f2f4f7_write_reg(&f, F4_KEYR, F4_KEY1, 0);
    flash_f2f4f7_write_reg(&f, F4_KEYR, F4_KEY2, 0);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | 16u << F4_CR_SNB_SHIFT | x32() | F4_CR_STRT, 0);
    assert_int_equal(two[1024 * K], 0xFF);         /* sector 12, bank 2's first */
    assert_int_equal(two[1024 * K + 16 * K], 0x77); /* sector 13 kept */
    assert_int_equal(two[0], 0x77);                 /* sector 0 kept */
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | 12u << F4_CR_SNB_SHIFT | x32() | F4_CR_STRT, 1000000000);
    assert_true(sr(&f, 1000000000) & F4_SR_PGSERR);
    flash_f2f4f7_write_reg(&f, F4_SR, F4_SR_PGSERR, 1000000000);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_MER1 | x32() | F4_CR_STRT, 1000000000);
    assert_int_equal(two[2048 * K - 1], 0xFF);
    assert_int_equal(two[1024 * K - 1], 0x77); /* bank 1 kept */
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_MER | x32() | F4_CR_STRT, 10000000000ull);
    assert_int_equal(two[1024 * K - 1], 0xFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_sector_erase),
        cmocka_unit_test(test_mass_erase),
        cmocka_unit_test(test_program_rules),
        cmocka_unit_test(test_write_protection),
        cmocka_unit_test(test_otp),
        cmocka_unit_test(test_second_bank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
