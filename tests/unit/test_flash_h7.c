/* SPDX-License-Identifier: MIT */
/* fwsim's STM32H7 flash controller model, one test per rule of RM0433 §4
 * (and RM0455 for the H7A3/B layout). */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/flash_h7.h"

#define BASE 0x08000000u
#define K 1024u
#define ERRORS_ANY (H7_SR_WRPERR | H7_SR_PGSERR | H7_SR_STRBERR | H7_SR_INCERR | H7_SR_OPERR)

static uint8_t flash[2048 * K];

/* an STM32H743ZI: two banks of 8 x 128 KiB, 256-bit flash words */
static void setup(struct flash_h7 *f)
{
    memset(flash, 0x77, sizeof(flash));
    flash_h7_init(f, flash, BASE, 2048 * K, 1024 * K, 128 * K, 32);
    for (uint32_t b = 0; b < 2; b++) {
        flash_h7_write_reg(f, b * H7_BANK2 + H7_KEYR, FLASH_KEY1, 0);
        flash_h7_write_reg(f, b * H7_BANK2 + H7_KEYR, FLASH_KEY2, 0);
    }
}

static uint32_t sr(struct flash_h7 *f, uint32_t bank, uint64_t now)
{
    return flash_h7_read_reg(f, bank * H7_BANK2 + H7_SR, now);
}

/* RM0433 §4 (FLASH_KEYR, FLASH_CR): each bank's CR is locked at reset (reset value 0x31), the
 * two keys in its KEYR unlock it, a wrong key locks it until reset */
static void test_keys_per_bank(void **state)
{
    (void)state;
    static struct flash_h7 f;
    flash_h7_init(&f, flash, BASE, 2048 * K, 1024 * K, 128 * K, 32);
    assert_int_equal(flash_h7_read_reg(&f, H7_CR, 0), 0x31);
    flash_h7_write_reg(&f, H7_KEYR, FLASH_KEY1, 0);
    flash_h7_write_reg(&f, H7_KEYR, FLASH_KEY2, 0);
    assert_false(flash_h7_read_reg(&f, H7_CR, 0) & H7_CR_LOCK);
    assert_true(flash_h7_read_reg(&f, H7_BANK2 + H7_CR, 0) & H7_CR_LOCK); /* bank 2 has its own */
    flash_h7_write_reg(&f, H7_BANK2 + H7_KEYR, 0x12345678, 0);
    flash_h7_write_reg(&f, H7_BANK2 + H7_KEYR, FLASH_KEY1, 0);
    flash_h7_write_reg(&f, H7_BANK2 + H7_KEYR, FLASH_KEY2, 0);
    assert_true(flash_h7_read_reg(&f, H7_BANK2 + H7_CR, 0) & H7_CR_LOCK);
    flash_h7_reset(&f);
    flash_h7_write_reg(&f, H7_BANK2 + H7_KEYR, FLASH_KEY1, 0);
    flash_h7_write_reg(&f, H7_BANK2 + H7_KEYR, FLASH_KEY2, 0);
    assert_false(flash_h7_read_reg(&f, H7_BANK2 + H7_CR, 0) & H7_CR_LOCK);
}

/* RM0433 §4 (FLASH_ACR): reset value 0x37; LATENCY (3:0) and WRHIGHFREQ
 * (5:4) read back as written, at 0x000 and at bank 2's 0x100 alike (what
 * ST's HAL_RCC_ClockConfig checks after setting the wait states); a reset
 * brings 0x37 back */
static void test_access_control(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    assert_int_equal(flash_h7_read_reg(&f, H7_ACR, 0), 0x37);
    flash_h7_write_reg(&f, H7_ACR, 0x24, 0);
    assert_int_equal(flash_h7_read_reg(&f, H7_ACR, 0), 0x24);
    assert_int_equal(flash_h7_read_reg(&f, H7_BANK2 + H7_ACR, 0), 0x24);
    flash_h7_write_reg(&f, H7_BANK2 + H7_ACR, 0x12, 0);
    assert_int_equal(flash_h7_read_reg(&f, H7_ACR, 0), 0x12);
    flash_h7_reset(&f);
    assert_int_equal(flash_h7_read_reg(&f, H7_ACR, 0), 0x37);
}

/* RM0433 §4 (sector erase): SER, SNB (bits 10:8) and START (bit 7) erase a sector of
 * the bank; BSY and QW while it runs; EOP after, cleared through CCR */
static void test_sector_erase(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    flash_h7_write_reg(&f, H7_BANK2 + H7_CR, H7_CR_SER | 2u << 8 | 1u << 7, 0);
    assert_true(sr(&f, 1, 0) & H7_SR_BSY);
    assert_true(sr(&f, 1, 0) & H7_SR_QW);
    assert_int_equal(sr(&f, 1, 2000000000ull) & (H7_SR_BSY | H7_SR_EOP), H7_SR_EOP);
    assert_int_equal(flash[1024 * K + 2 * 128 * K], 0xFF);
    assert_int_equal(flash[1024 * K + 3 * 128 * K - 1], 0xFF);
    assert_int_equal(flash[1024 * K + 3 * 128 * K], 0x77); /* only that sector */
    assert_int_equal(flash[2 * 128 * K], 0x77);            /* not bank 1's */
    flash_h7_write_reg(&f, H7_BANK2 + H7_CCR, H7_SR_EOP, 2000000000ull);
    assert_false(sr(&f, 1, 2000000000ull) & H7_SR_EOP);
}

/* RM0433's dual-bank organisation (ST's STM32H7 flash training: "two
 * read/program/erase operations can be executed in parallel on the two
 * banks"): a sector erase in bank 2 starts while bank 1 erases, each bank
 * busy on its own and done after its own sector time */
static void test_banks_erase_together(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    flash_h7_write_reg(&f, H7_CR, H7_CR_SER | 1u << 8 | 1u << 7, 0);
    flash_h7_write_reg(&f, H7_BANK2 + H7_CR, H7_CR_SER | 1u << 8 | 1u << 7, 1000);
    assert_true(sr(&f, 0, 1000) & H7_SR_BSY);
    assert_true(sr(&f, 1, 1000) & H7_SR_BSY);
    assert_false(sr(&f, 1, 1000) & ERRORS_ANY);
    assert_false(sr(&f, 0, 1000000000ull) & H7_SR_BSY);
    assert_true(sr(&f, 1, 1000000000ull) & H7_SR_BSY); /* started 1 us later */
    assert_false(sr(&f, 1, 1000001000ull) & H7_SR_BSY);
    assert_int_equal(flash[128 * K], 0xFF);
    assert_int_equal(flash[1024 * K + 128 * K], 0xFF);
}

/* RM0433 §4 (flash word programming): with PG, writes gather in the write buffer (WBNE) and a
 * flash word is programmed when its 32 bytes are in; FW forces a partial one */
static void test_flash_word_programming(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    memset(flash, 0xFF, 64);
    flash_h7_write_reg(&f, H7_CR, H7_CR_PG | 3u << 4, 0);
    for (uint32_t i = 0; i < 7; i++)
        flash_h7_write_flash(&f, BASE + 4 * i, 0x11111111u * (i + 1), 4, 0);
    assert_true(sr(&f, 0, 0) & H7_SR_WBNE);
    assert_int_equal(flash[0], 0xFF); /* not yet */
    flash_h7_write_flash(&f, BASE + 28, 0x88888888u, 4, 0);
    assert_false(sr(&f, 0, 1000000) & H7_SR_WBNE);
    assert_int_equal(flash[0], 0x11);
    assert_int_equal(flash[31], 0x88);
    flash_h7_write_flash(&f, BASE + 32, 0xA5A5A5A5u, 4, 1000000);
    flash_h7_write_reg(&f, H7_CR, H7_CR_PG | 3u << 4 | 1u << 6, 1000000); /* FW */
    assert_int_equal(flash[32], 0xA5);
    assert_int_equal(flash[36], 0xFF); /* the rest of the word stays erased */
}

/* RM0433 §4 (FLASH_SR.PGSERR): a write to flash without PG is a programming sequence error */
static void test_write_without_pg(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    flash_h7_write_flash(&f, BASE, 0, 4, 0);
    assert_true(sr(&f, 0, 0) & H7_SR_PGSERR);
    assert_int_equal(flash[0], 0x77);
}

/* RM0433 §4 (FLASH_WPSN_CUR): a sector whose WPSN_CUR bit is clear refuses erase (WRPERR) */
static void test_write_protection(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    f.bank[0].wpsn = ~(1u << 1);
    assert_int_equal(flash_h7_read_reg(&f, H7_WPSN_CUR, 0), ~(1u << 1));
    flash_h7_write_reg(&f, H7_CR, H7_CR_SER | 1u << 8 | 1u << 7, 0);
    assert_true(sr(&f, 0, 0) & H7_SR_WRPERR);
    assert_int_equal(flash[128 * K], 0x77);
}

/* RM0455 §4: on H7A3/B the sectors are 8 KiB, a flash word 128 bits, START
 * at CR bit 5 and SNB from bit 6 */
static void test_h7ab_layout(void **state)
{
    (void)state;
    static struct flash_h7 f;
    memset(flash, 0x77, sizeof(flash));
    flash_h7_init(&f, flash, BASE, 2048 * K, 1024 * K, 8 * K, 16);
    flash_h7_write_reg(&f, H7_KEYR, FLASH_KEY1, 0);
    flash_h7_write_reg(&f, H7_KEYR, FLASH_KEY2, 0);
    flash_h7_write_reg(&f, H7_CR, H7_CR_SER | 5u << 6 | 1u << 5, 0);
    assert_int_equal(flash[5 * 8 * K], 0xFF);
    assert_int_equal(flash[6 * 8 * K], 0x77);
    flash_h7_write_reg(&f, H7_CR, H7_CR_PG, 1000000000ull);
    for (uint32_t i = 0; i < 4; i++)
        flash_h7_write_flash(&f, BASE + 5 * 8 * K + 4 * i, 0, 4, 1000000000ull);
    assert_int_equal(flash[5 * 8 * K + 15], 0x00); /* 16 bytes make a word */
}

/* RM0433 §4 (register map): RDP in OPTSR_CUR bits 15:8 (0xAA, level 0, from the factory);
 * BOOT_CURR holds BOOT_ADD0 and BOOT_ADD1 */
static void test_option_registers(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    assert_int_equal(flash_h7_read_reg(&f, H7_OPTSR_CUR, 0) >> 8 & 0xFF, 0xAA);
    assert_int_equal(flash_h7_read_reg(&f, H7_BOOT_CURR, 0), 0x1FF00800u);
}

/* RM0433 §4.4.3 and §4.5.1: OPTSR_PRG is written only once OPTKEY1 then OPTKEY2
 * clear OPTLOCK; OPTSTART moves it to OPTSR_CUR; OPTLOCK set again locks it */
static void test_option_programming(void **state)
{
    (void)state;
    static struct flash_h7 f;
    setup(&f);
    uint32_t factory = flash_h7_read_reg(&f, H7_OPTSR_CUR, 0);
    flash_h7_write_reg(&f, H7_OPTSR_PRG, factory | 3u << 2, 0); /* locked: ignored */
    flash_h7_write_reg(&f, H7_OPTCR, H7_OPTCR_OPTSTART, 0);
    assert_int_equal(flash_h7_read_reg(&f, H7_OPTSR_CUR, 0), factory);
    flash_h7_write_reg(&f, H7_OPTKEYR, FLASH_OPTKEY1, 0);
    flash_h7_write_reg(&f, H7_OPTKEYR, FLASH_OPTKEY2, 0);
    assert_int_equal(flash_h7_read_reg(&f, H7_OPTCR, 0) & H7_OPTCR_OPTLOCK, 0);
    flash_h7_write_reg(&f, H7_OPTSR_PRG, (factory | 3u << 2) & ~(1u << 4), 0);
    assert_int_equal(flash_h7_read_reg(&f, H7_OPTSR_CUR, 0), factory); /* not before OPTSTART */
    flash_h7_write_reg(&f, H7_OPTCR, H7_OPTCR_OPTSTART, 0);
    assert_int_equal(flash_h7_read_reg(&f, H7_OPTSR_CUR, 0), (factory | 3u << 2) & ~(1u << 4));
    flash_h7_write_reg(&f, H7_OPTCR, H7_OPTCR_OPTLOCK, 0);
    flash_h7_write_reg(&f, H7_OPTSR_PRG, factory, 0);
    flash_h7_write_reg(&f, H7_OPTCR, H7_OPTCR_OPTSTART, 0);
    assert_int_equal(flash_h7_read_reg(&f, H7_OPTSR_CUR, 0), (factory | 3u << 2) & ~(1u << 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_per_bank),          cmocka_unit_test(test_access_control),
        cmocka_unit_test(test_sector_erase),           cmocka_unit_test(test_banks_erase_together),
        cmocka_unit_test(test_flash_word_programming), cmocka_unit_test(test_write_without_pg),
        cmocka_unit_test(test_write_protection),       cmocka_unit_test(test_h7ab_layout),
        cmocka_unit_test(test_option_registers),       cmocka_unit_test(test_option_programming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
