/* SPDX-License-Identifier: MIT */
/* fwsim's STM32H5 flash controller model, one test per rule of RM0481's
 * embedded flash memory chapter (register and bit positions as ST's SVD
 * gives them). */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/flash_h5.h"

#define BASE 0x08000000u
#define K 1024u
#define LATER 100000000000ull /* every operation has ended */

static uint8_t flash[2048 * K];

/* an STM32H563ZI: two banks of 128 sectors of 8 KiB */
static void setup(struct flash_h5 *f)
{
    memset(flash, 0x77, sizeof(flash));
    flash_h5_init(f, flash, BASE, 2048 * K, 1024 * K, 8 * K);
    flash_h5_write_reg(f, H5_NSKEYR, FLASH_KEY1, false, 0);
    flash_h5_write_reg(f, H5_NSKEYR, FLASH_KEY2, false, 0);
}

static uint32_t sr(struct flash_h5 *f, uint64_t now)
{
    return flash_h5_read_reg(f, H5_NSSR, false, now);
}

/* RM0481 FLASH_NSKEYR, FLASH_NSCR: NSCR is locked at reset (LOCK, bit 0),
 * the two keys unlock it, a wrong key locks it until reset; writing LOCK
 * locks it again */
static void test_keys(void **state)
{
    (void)state;
    static struct flash_h5 f;
    flash_h5_init(&f, flash, BASE, 2048 * K, 1024 * K, 8 * K);
    assert_int_equal(flash_h5_read_reg(&f, H5_NSCR, false, 0), H5_CR_LOCK);
    flash_h5_write_reg(&f, H5_NSKEYR, 0x11111111u, false, 0);
    flash_h5_write_reg(&f, H5_NSKEYR, FLASH_KEY1, false, 0);
    flash_h5_write_reg(&f, H5_NSKEYR, FLASH_KEY2, false, 0);
    assert_true(flash_h5_read_reg(&f, H5_NSCR, false, 0) & H5_CR_LOCK);
    flash_h5_reset(&f);
    flash_h5_write_reg(&f, H5_NSKEYR, FLASH_KEY1, false, 0);
    flash_h5_write_reg(&f, H5_NSKEYR, FLASH_KEY2, false, 0);
    assert_false(flash_h5_read_reg(&f, H5_NSCR, false, 0) & H5_CR_LOCK);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_LOCK, false, 0);
    assert_true(flash_h5_read_reg(&f, H5_NSCR, false, 0) & H5_CR_LOCK);
}

/* RM0481 sector erase: SER, SNB (bits 12:6) and BKSEL (bit 31) with STRT
 * (bit 5) erase a sector of the bank chosen; BSY while it runs, EOP after,
 * cleared by CLR_EOP in NSCCR */
static void test_sector_erase(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_SER | 3u << 6 | H5_CR_BKSEL | H5_CR_STRT, false, 0);
    assert_true(sr(&f, 0) & H5_SR_BSY);
    assert_int_equal(sr(&f, LATER) & (H5_SR_BSY | H5_SR_EOP), H5_SR_EOP);
    assert_int_equal(flash[1024 * K + 3 * 8 * K], 0xFF);
    assert_int_equal(flash[1024 * K + 4 * 8 * K - 1], 0xFF);
    assert_int_equal(flash[1024 * K + 4 * 8 * K], 0x77); /* only that sector */
    assert_int_equal(flash[3 * 8 * K], 0x77);            /* not bank 1's */
    flash_h5_write_reg(&f, H5_NSCCR, H5_SR_EOP, false, LATER);
    assert_false(sr(&f, LATER) & H5_SR_EOP);
}

/* RM0481 programming: with PG, writes gather in the write buffer (WBNE) and
 * a quad word is programmed when its 16 bytes are in; FW forces a partial
 * one, the bytes not written as ones */
static void test_quad_words(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    memset(flash, 0xFF, 64);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_PG, false, 0);
    for (uint32_t i = 0; i < 3; i++)
        flash_h5_write_flash(&f, BASE + 4 * i, 0x01020304u, 4, false, 0);
    assert_true(sr(&f, 0) & H5_SR_WBNE);
    assert_int_equal(flash[0], 0xFF);
    flash_h5_write_flash(&f, BASE + 12, 0x01020304u, 4, false, 0);
    assert_int_equal(flash[0], 0x04);
    assert_false(sr(&f, LATER) & H5_SR_WBNE);
    flash_h5_write_flash(&f, BASE + 16, 0, 4, false, LATER);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_PG | H5_CR_FW, false, LATER);
    assert_int_equal(flash[16], 0x00);
    assert_int_equal(flash[20], 0xFF); /* not written: left erased */
}

/* RM0481 FLASH_NSSR: PGSERR for a write without PG, INCERR for a write into
 * another quad word while one is gathered, STRBERR for a byte written twice */
static void test_write_errors(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    flash_h5_write_flash(&f, BASE, 0, 4, false, 0);
    assert_true(sr(&f, 0) & H5_SR_PGSERR);
    setup(&f);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_PG, false, 0);
    flash_h5_write_flash(&f, BASE, 0, 4, false, 0);
    flash_h5_write_flash(&f, BASE + 32, 0, 4, false, 0);
    assert_true(sr(&f, 0) & H5_SR_INCERR);
    setup(&f);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_PG, false, 0);
    flash_h5_write_flash(&f, BASE, 0, 4, false, 0);
    flash_h5_write_flash(&f, BASE, 0, 4, false, 0);
    assert_true(sr(&f, 0) & H5_SR_STRBERR);
}

/* RM0481 FLASH_WRP1R_CUR: a clear WRPSG bit n protects sectors 4n to 4n + 3;
 * erasing one is refused with WRPERR and nothing is erased */
static void test_write_protection(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    f.wrpsg[0] = ~(1u << 1); /* sectors 4-7 */
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_SER | 5u << 6 | H5_CR_STRT, false, 0);
    assert_true(sr(&f, 0) & H5_SR_WRPERR);
    assert_int_equal(flash[5 * 8 * K], 0x77);
    flash_h5_write_reg(&f, H5_NSCCR, H5_SR_WRPERR, false, 0);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_SER | 8u << 6 | H5_CR_STRT, false, 0);
    assert_false(sr(&f, LATER) & H5_SR_WRPERR);
}

/* RM0481 FLASH_OPTSR_CUR, OPTSR2_CUR, NSBOOTR_CUR: from the factory the
 * product state is Open (0xED), TrustZone off (TZEN 0xC3), boot at 0x08000000 */
static void test_option_registers(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_CUR, false, 0) >> 8 & 0xFF, 0xED);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR2_CUR, false, 0) >> 24, 0xC3);
    assert_int_equal(flash_h5_read_reg(&f, H5_NSBOOTR_CUR, false, 0) & ~0xFFu, 0x08000000u);
}

/* RM0481 flash TrustZone security: with TZEN 0xB4 the secure registers
 * answer secure accesses only; a sector inside its bank's watermark is
 * secure, erased by SECCR and refused to NSCR (WRPERR); programming through
 * the secure alias fills the write buffer for SECCR's PG */
static void test_trustzone(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    assert_int_equal(flash_h5_read_reg(&f, H5_SECCR, true, 0), 0); /* TrustZone off: nothing there */
    assert_false(flash_h5_secure_at(&f, 2 * 8 * K));
    flash_h5_set_trustzone(&f, true);
    assert_true(flash_h5_secure_at(&f, 2 * 8 * K)); /* inside the watermark: a non-secure debug read sees zeros */
    assert_true(flash_h5_secure_at(&f, 1024 * K + 8 * K));
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR2_CUR, false, 0) >> 24, 0xB4);
    assert_int_equal(flash_h5_read_reg(&f, H5_SECCR, false, 0), 0); /* a non-secure access: RAZ */
    assert_true(flash_h5_read_reg(&f, H5_SECCR, true, 0) & H5_CR_LOCK);
    flash_h5_write_reg(&f, H5_SECKEYR, FLASH_KEY1, true, 0);
    flash_h5_write_reg(&f, H5_SECKEYR, FLASH_KEY2, true, 0);
    flash_h5_write_reg(&f, H5_NSCR, H5_CR_SER | 2u << 6 | H5_CR_STRT, false, 0);
    assert_true(sr(&f, 0) & H5_SR_WRPERR);
    assert_int_equal(flash[2 * 8 * K], 0x77);
    flash_h5_write_reg(&f, H5_SECCR, H5_CR_SER | 2u << 6 | H5_CR_STRT, true, 0);
    assert_false(flash_h5_read_reg(&f, H5_SECSR, true, LATER) & H5_SR_WRPERR);
    assert_int_equal(flash[2 * 8 * K], 0xFF);
    flash_h5_write_reg(&f, H5_SECCR, H5_CR_PG, true, LATER);
    for (uint32_t i = 0; i < 4; i++)
        flash_h5_write_flash(&f, BASE + 2 * 8 * K + 4 * i, 0x12345678u, 4, true, LATER);
    assert_int_equal(flash[2 * 8 * K], 0x78);
}

/* Product states (ST's wiki "Security:Product state for STM32H5"; RM0481
 * FLASH_OPTSR_CUR PRODUCT_STATE, bits 15:8): Closed (0x72) and Locked
 * (0x5C) close the debug access, Open (0xED) leaves it open; the state
 * stays through a TrustZone change of the other option bytes */
static void test_product_state(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    assert_false(flash_h5_debug_closed(&f));
    flash_h5_set_product_state(&f, 0x72);
    assert_true(flash_h5_debug_closed(&f));
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_CUR, false, 0) >> 8 & 0xFF, 0x72);
    flash_h5_set_trustzone(&f, true);
    assert_true(flash_h5_debug_closed(&f));
    flash_h5_set_product_state(&f, 0x5C);
    assert_true(flash_h5_debug_closed(&f));
    flash_h5_set_product_state(&f, 0xED);
    assert_false(flash_h5_debug_closed(&f));
}

/* RM0481 FLASH_OPTKEYR, FLASH_OPTCR, FLASH_OPTSR_PRG, FLASH_NSSR: OPTLOCK is
 * set at reset and locks OPTSR_PRG too; OPTKEY1 then OPTKEY2 clear it;
 * OPTSTRT moves OPTSR_PRG into OPTSR_CUR (BSY meanwhile); a failed change
 * sets OPTCHANGEERR, and OPTSTRT cannot start again while it is set (model:
 * a product-state change fails) */
static void test_option_programming(void **state)
{
    (void)state;
    static struct flash_h5 f;
    setup(&f);
    uint32_t factory = flash_h5_read_reg(&f, H5_OPTSR_CUR, false, 0);
    assert_int_equal(factory >> 8 & 0xFF, 0xED);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTCR, false, 0) & H5_OPTCR_OPTLOCK, H5_OPTCR_OPTLOCK);
    flash_h5_write_reg(&f, H5_OPTSR_PRG, factory ^ 2u, false, 0); /* locked: ignored */
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_PRG, false, 0), factory);
    flash_h5_write_reg(&f, H5_OPTKEYR, FLASH_OPTKEY1, false, 0);
    flash_h5_write_reg(&f, H5_OPTKEYR, FLASH_OPTKEY2, false, 0);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTCR, false, 0) & H5_OPTCR_OPTLOCK, 0);
    flash_h5_write_reg(&f, H5_OPTSR_PRG, factory ^ 2u, false, 0);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_CUR, false, 0), factory); /* not before OPTSTRT */
    flash_h5_write_reg(&f, H5_OPTCR, H5_OPTCR_OPTSTRT, false, 0);
    assert_true(sr(&f, 0) & H5_SR_BSY);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_CUR, false, LATER), factory ^ 2u);
    assert_false(sr(&f, LATER) & H5_SR_BSY);
    /* the product state stays: OPTCHANGEERR, nothing loaded, and no new start until it is cleared */
    flash_h5_write_reg(&f, H5_OPTSR_PRG, (factory & ~0xFF00u) | 0x17u << 8, false, LATER);
    flash_h5_write_reg(&f, H5_OPTCR, H5_OPTCR_OPTSTRT, false, LATER);
    assert_true(sr(&f, LATER) & H5_SR_OPTCHANGEERR);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_CUR, false, LATER), factory ^ 2u);
    flash_h5_write_reg(&f, H5_OPTSR_PRG, factory, false, LATER);
    flash_h5_write_reg(&f, H5_OPTCR, H5_OPTCR_OPTSTRT, false, LATER);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_CUR, false, LATER), factory ^ 2u);
    flash_h5_write_reg(&f, H5_NSCCR, H5_SR_OPTCHANGEERR, false, LATER);
    flash_h5_write_reg(&f, H5_OPTCR, H5_OPTCR_OPTSTRT, false, LATER);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTSR_CUR, false, 2 * LATER), factory);
    /* a reset locks OPTCR again */
    flash_h5_reset(&f);
    assert_int_equal(flash_h5_read_reg(&f, H5_OPTCR, false, 0) & H5_OPTCR_OPTLOCK, H5_OPTCR_OPTLOCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_sector_erase),
        cmocka_unit_test(test_quad_words),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_write_protection),
        cmocka_unit_test(test_option_registers),
        cmocka_unit_test(test_option_programming),
        cmocka_unit_test(test_trustzone),
        cmocka_unit_test(test_product_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
