/* SPDX-License-Identifier: MIT */
/* fwsim's STM32L5/U5/WBA flash controller model, one test per rule of the
 * FLASH chapters of RM0438 (L5), RM0456 (U5) and RM0493 (WBA). */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/flash_l5u5.h"

#define BASE 0x08000000u
#define K 1024u
#define LATER 100000000000ull /* every operation has ended */

static uint8_t flash[2048 * K];

/* an STM32U575ZI: two banks of 128 pages of 8 KiB, quad words, PNB 8 bits, BKER bit 11 */
static void setup(struct flash_l5u5 *f, bool trustzone)
{
    memset(flash, 0x77, sizeof(flash));
    flash_l5u5_init(f, flash, BASE, 2048 * K, 1024 * K, 8 * K, 16, 8, 1u << 11);
    flash_l5u5_set_trustzone(f, trustzone);
    flash_l5u5_write_reg(f, L5_NSKEYR, FLASH_KEY1, false, 0);
    flash_l5u5_write_reg(f, L5_NSKEYR, FLASH_KEY2, false, 0);
    flash_l5u5_write_reg(f, L5_SECKEYR, FLASH_KEY1, true, 0);
    flash_l5u5_write_reg(f, L5_SECKEYR, FLASH_KEY2, true, 0);
}

static void write_quad(struct flash_l5u5 *f, uint32_t addr, uint32_t v, bool secure, uint64_t now)
{
    for (uint32_t i = 0; i < 4; i++)
        flash_l5u5_write_flash(f, addr + 4 * i, v, 4, secure, now);
}

/* RM0438/RM0456 FLASH_NSKEYR and FLASH_SECKEYR: each register set has its
 * own keys and LOCK (NSCR/SECCR bit 31); a wrong key locks it until reset */
static void test_keys_per_security(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    flash_l5u5_init(&f, flash, BASE, 2048 * K, 1024 * K, 8 * K, 16, 8, 1u << 11);
    flash_l5u5_set_trustzone(&f, true);
    flash_l5u5_write_reg(&f, L5_NSKEYR, FLASH_KEY1, false, 0);
    flash_l5u5_write_reg(&f, L5_NSKEYR, FLASH_KEY2, false, 0);
    assert_false(flash_l5u5_read_reg(&f, L5_NSCR, false, 0) & L5_CR_LOCK);
    assert_true(flash_l5u5_read_reg(&f, L5_SECCR, true, 0) & L5_CR_LOCK); /* the secure set has its own */
    flash_l5u5_write_reg(&f, L5_SECKEYR, 0x12345678u, true, 0);
    flash_l5u5_write_reg(&f, L5_SECKEYR, FLASH_KEY1, true, 0);
    flash_l5u5_write_reg(&f, L5_SECKEYR, FLASH_KEY2, true, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_SECCR, true, 0) & L5_CR_LOCK);
    flash_l5u5_reset(&f);
    flash_l5u5_write_reg(&f, L5_SECKEYR, FLASH_KEY1, true, 0);
    flash_l5u5_write_reg(&f, L5_SECKEYR, FLASH_KEY2, true, 0);
    assert_false(flash_l5u5_read_reg(&f, L5_SECCR, true, 0) & L5_CR_LOCK);
}

/* RM0438 FLASH_SECKEYR/SECSR/SECCR: secure registers; a non-secure access
 * reads zero and its writes are ignored, and so are all with TZEN=0 */
static void test_secure_registers_need_secure_access(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, true);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_SECCR, false, 0), 0);
    flash_l5u5_write_reg(&f, L5_SECBB1R1, 0xFFFFFFFFu, false, 0);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_SECBB1R1, true, 0), 0);
    setup(&f, false);
    assert_true(flash_l5u5_read_reg(&f, L5_SECCR, true, 0) == 0); /* TrustZone off: nothing there */
    assert_false(flash_l5u5_read_reg(&f, L5_NSCR, false, 0) & L5_CR_LOCK);
}

/* RM0456 page erase: PER, PNB (bits 10:3) and BKER (bit 11) with STRT erase
 * a page of the bank chosen; BSY while it runs, EOP after, cleared by writing 1 */
static void test_page_erase(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, false);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_PER | 1u << 11 | 5u << 3 | L5_CR_STRT, false, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_BSY);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_NSSR, false, LATER) & (L5_SR_BSY | L5_SR_EOP), L5_SR_EOP);
    assert_int_equal(flash[1024 * K + 5 * 8 * K], 0xFF);
    assert_int_equal(flash[1024 * K + 6 * 8 * K - 1], 0xFF);
    assert_int_equal(flash[1024 * K + 6 * 8 * K], 0x77); /* only that page */
    assert_int_equal(flash[5 * 8 * K], 0x77);            /* not bank 1's */
    flash_l5u5_write_reg(&f, L5_NSSR, L5_SR_EOP, false, LATER);
    assert_false(flash_l5u5_read_reg(&f, L5_NSSR, false, LATER) & L5_SR_EOP);
}

/* RM0456 programming: with PG, a quad word is programmed when its fourth
 * word arrives (WDW while it waits); PROGERR when it was not erased, unless
 * the data is all zeros */
static void test_quad_word_programming(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, false);
    memset(flash, 0xFF, 64);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_PG, false, 0);
    for (uint32_t i = 0; i < 3; i++)
        flash_l5u5_write_flash(&f, BASE + 4 * i, 0x11223344u, 4, false, 0);
    assert_int_equal(flash[0], 0xFF); /* not yet */
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_WDW);
    flash_l5u5_write_flash(&f, BASE + 12, 0x11223344u, 4, false, 0);
    assert_int_equal(flash[0], 0x44);
    assert_int_equal(flash[15], 0x11);
    write_quad(&f, BASE, 0x55555555u, false, LATER); /* programmed twice */
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, LATER) & L5_SR_PROGERR);
    assert_int_equal(flash[0], 0x44);
    flash_l5u5_write_reg(&f, L5_NSSR, L5_SR_PROGERR, false, LATER);
    write_quad(&f, BASE, 0, false, LATER); /* zeros may be written over anything */
    assert_false(flash_l5u5_read_reg(&f, L5_NSSR, false, LATER) & L5_SR_PROGERR);
    assert_int_equal(flash[0], 0x00);
}

/* RM0438 FLASH_NSSR: SIZERR for a write that is not a word, PGSERR for a
 * write without PG, PGAERR for one outside the flash word under way */
static void test_write_errors(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, false);
    flash_l5u5_write_flash(&f, BASE, 0, 4, false, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_PGSERR);
    setup(&f, false);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_PG, false, 0);
    flash_l5u5_write_flash(&f, BASE, 0, 2, false, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_SIZERR);
    setup(&f, false);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_PG, false, 0);
    flash_l5u5_write_flash(&f, BASE, 0, 4, false, 0);
    flash_l5u5_write_flash(&f, BASE + 64, 0, 4, false, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_PGAERR);
}

/* RM0438 flash TrustZone security: with TZEN=1 a page inside its bank's
 * secure watermark is secure (all of them once TrustZone is turned on); the
 * non-secure registers cannot erase it (WRPERR, nothing erased), the secure
 * ones can, and programming through the secure alias works */
static void test_secure_pages(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, true);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_PER | 3u << 3 | L5_CR_STRT, false, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_WRPERR);
    assert_int_equal(flash[3 * 8 * K], 0x77);
    flash_l5u5_write_reg(&f, L5_SECCR, L5_CR_PER | 3u << 3 | L5_CR_STRT, true, 0);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_SECSR, true, LATER) & (L5_SR_WRPERR | L5_SR_EOP), L5_SR_EOP);
    assert_int_equal(flash[3 * 8 * K], 0xFF);
    flash_l5u5_write_reg(&f, L5_SECCR, L5_CR_PG, true, LATER);
    write_quad(&f, BASE + 3 * 8 * K, 0x12345678u, true, LATER);
    assert_int_equal(flash[3 * 8 * K], 0x78);
}

/* RM0438 FLASH_SECBBxRy: with the watermark empty, a page is secure when its
 * block-based bit is set; the registers are volatile (0 after reset) */
static void test_block_based_security(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, true);
    f.secwm[0][0] = 0xFF; /* bank 1's watermark empty: start above end */
    flash_l5u5_write_reg(&f, L5_SECCR, L5_CR_PER | 2u << 3 | L5_CR_STRT, true, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_SECSR, true, 0) & L5_SR_WRPERR); /* a non-secure page */
    flash_l5u5_write_reg(&f, L5_SECSR, L5_SR_WRPERR, true, 0);
    flash_l5u5_write_reg(&f, L5_SECBB1R1, 1u << 2, true, 0);
    flash_l5u5_write_reg(&f, L5_SECCR, L5_CR_PER | 2u << 3 | L5_CR_STRT, true, 0);
    assert_false(flash_l5u5_read_reg(&f, L5_SECSR, true, LATER) & L5_SR_WRPERR);
    assert_int_equal(flash[2 * 8 * K], 0xFF);
    assert_true(flash_l5u5_secure_at(&f, 2 * 8 * K)); /* what a non-secure debug read sees as zeros */
    assert_false(flash_l5u5_secure_at(&f, 3 * 8 * K));
    flash_l5u5_reset(&f);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_SECBB1R1, true, 0), 0);
    assert_false(flash_l5u5_secure_at(&f, 2 * 8 * K));
}

/* RM0456 FLASH_WRP1AR: pages PSTRT..PEND of bank 1 are write-protected;
 * erasing one is refused with WRPERR */
static void test_write_protected_area(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, false);
    f.wrp[0][0] = 4u << 16 | 2u; /* pages 2-4 */
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_PER | 3u << 3 | L5_CR_STRT, false, 0);
    assert_true(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_WRPERR);
    assert_int_equal(flash[3 * 8 * K], 0x77);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_WRP1AR, false, 0), 4u << 16 | 2u);
}

/* RM0438 FLASH_OPTR: RDP level 0 (0xAA) and L5's DBANK (bit 22) from the
 * factory, TZEN (bit 31) as set; the boot address registers */
static void test_option_registers(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, false);
    uint32_t optr = flash_l5u5_read_reg(&f, L5_OPTR, false, 0);
    assert_int_equal(optr & 0xFF, 0xAA);
    assert_true(optr & 1u << 22);
    assert_false(optr & L5_OPTR_TZEN);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_NSBOOTADD0R, false, 0), 0x08000000u);
    setup(&f, true);
    assert_true(flash_l5u5_read_reg(&f, L5_OPTR, false, 0) & L5_OPTR_TZEN);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_SECBOOTADD0R, false, 0), 0x0C000000u);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_SECWM1R1, false, 0), 127u << 16); /* all of bank 1 secure */
}

/* RM0438: L5 programs double words (8 bytes), with PNB in bits 9:3 */
static void test_l5_double_words(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    memset(flash, 0xFF, 512 * K);
    flash_l5u5_init(&f, flash, BASE, 512 * K, 256 * K, 2 * K, 8, 7, 1u << 11);
    flash_l5u5_write_reg(&f, L5_NSKEYR, FLASH_KEY1, false, 0);
    flash_l5u5_write_reg(&f, L5_NSKEYR, FLASH_KEY2, false, 0);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_PG, false, 0);
    flash_l5u5_write_flash(&f, BASE, 0x01020304u, 4, false, 0);
    flash_l5u5_write_flash(&f, BASE + 4, 0x05060708u, 4, false, 0);
    assert_int_equal(flash[0], 0x04);
    assert_int_equal(flash[7], 0x05);
    assert_false(flash_l5u5_read_reg(&f, L5_NSSR, false, 0) & L5_SR_WDW);
}

/* RM0438 §6.4.2: FLASH_OPTR takes a write only with OPTLOCK clear (the
 * option keys, once NSCR is unlocked), OPTSTRT programs it, OBL_LAUNCH
 * asks for the load; TZEN is not changed by the model */
static void test_option_programming(void **state)
{
    (void)state;
    static struct flash_l5u5 f;
    setup(&f, false);
    flash_l5u5_write_reg(&f, L5_OPTR, 0x7FEEFBAAu, false, 0);
    assert_int_equal(flash_l5u5_read_reg(&f, L5_OPTR, false, 0), 0x7FEFF8AAu); /* OPTLOCK set: ignored */
    flash_l5u5_write_reg(&f, L5_OPTKEYR, FLASH_OPTKEY1, false, 0);
    flash_l5u5_write_reg(&f, L5_OPTKEYR, FLASH_OPTKEY2, false, 0);
    assert_false(flash_l5u5_read_reg(&f, L5_NSCR, false, 0) & L5_CR_OPTLOCK);
    flash_l5u5_write_reg(&f, L5_OPTR, 0xFFEEFBAAu, false, 0); /* TZEN asked: kept off */
    assert_int_equal(flash_l5u5_read_reg(&f, L5_OPTR, false, 0), 0x7FEEFBAAu);
    assert_int_equal(f.optr_stored, 0x7FEFF8AAu);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_OPTSTRT, false, 0);
    assert_int_equal(f.optr_stored, 0x7FEEFBAAu);
    assert_false(f.obl_requested);
    flash_l5u5_write_reg(&f, L5_NSCR, L5_CR_OBL_LAUNCH, false, LATER);
    assert_true(f.obl_requested);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_per_security),    cmocka_unit_test(test_secure_registers_need_secure_access),
        cmocka_unit_test(test_page_erase),           cmocka_unit_test(test_quad_word_programming),
        cmocka_unit_test(test_write_errors),         cmocka_unit_test(test_secure_pages),
        cmocka_unit_test(test_block_based_security), cmocka_unit_test(test_write_protected_area),
        cmocka_unit_test(test_option_registers),     cmocka_unit_test(test_option_programming),
        cmocka_unit_test(test_l5_double_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
