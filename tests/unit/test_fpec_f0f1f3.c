/* SPDX-License-Identifier: MIT */
/* fwsim's STM32F0/F1/F3 flash controller model, one test per rule of
 * RM0008 §3 and PM0075 §2. */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/fpec_f0f1f3.h"

#define BASE 0x08000000u
#define SIZE (64u * 1024)
#define PAGE 1024u

static uint8_t flash[SIZE];

static void setup(struct fpec *f)
{
    memset(flash, 0x5A, sizeof(flash)); /* programmed, not erased */
    fpec_init(f, flash, BASE, SIZE, PAGE, 0);
}

static void unlock(struct fpec *f)
{
    fpec_write_reg(f, FPEC_KEYR, FPEC_KEY1, 0);
    fpec_write_reg(f, FPEC_KEYR, FPEC_KEY2, 0);
}

static uint32_t sr(struct fpec *f, uint64_t now)
{
    return fpec_read_reg(f, FPEC_SR, now);
}

static void erase_all(struct fpec *f)
{
    fpec_write_reg(f, FPEC_CR, FPEC_CR_MER, 0);
    fpec_write_reg(f, FPEC_CR, FPEC_CR_MER | FPEC_CR_STRT, 0);
    fpec_write_reg(f, FPEC_CR, 0, 0);
}

/* PM0075 §2 Unlock: CR.LOCK is set after reset and cleared by the two keys */
static void test_keys_unlock_cr(void **state)
{
    (void)state;
    struct fpec f;
    setup(&f);
    assert_int_equal(fpec_read_reg(&f, FPEC_CR, 0), FPEC_CR_LOCK);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PG, 0); /* locked: CR cannot be written */
    assert_int_equal(fpec_read_reg(&f, FPEC_CR, 0), FPEC_CR_LOCK);
    fpec_write_reg(&f, FPEC_KEYR, FPEC_KEY1, 0);
    assert_int_equal(fpec_read_reg(&f, FPEC_CR, 0), FPEC_CR_LOCK);
    fpec_write_reg(&f, FPEC_KEYR, FPEC_KEY2, 0);
    assert_int_equal(fpec_read_reg(&f, FPEC_CR, 0), 0);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_LOCK, 0); /* relock */
    assert_int_equal(fpec_read_reg(&f, FPEC_CR, 0), FPEC_CR_LOCK);
}

/* PM0075 §2: an invalid key sequence locks the controller until the next reset */
static void test_wrong_key_locks_until_reset(void **state)
{
    (void)state;
    struct fpec f;
    setup(&f);
    fpec_write_reg(&f, FPEC_KEYR, FPEC_KEY2, 0); /* keys in the wrong order */
    unlock(&f);
    assert_int_equal(fpec_read_reg(&f, FPEC_CR, 0), FPEC_CR_LOCK);
    fpec_reset(&f);
    unlock(&f);
    assert_int_equal(fpec_read_reg(&f, FPEC_CR, 0), 0);
}

/* PM0075 §2 Page erase: PER, AR inside the page, STRT; the page reads 0xFF */
static void test_page_erase(void **state)
{
    (void)state;
    struct fpec f;
    setup(&f);
    unlock(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER, 0);
    fpec_write_reg(&f, FPEC_AR, BASE + 2 * PAGE + 100, 0);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER | FPEC_CR_STRT, 10);
    for (uint32_t i = 0; i < PAGE; i++)
        assert_int_equal(flash[2 * PAGE + i], 0xFF);
    assert_int_equal(flash[2 * PAGE - 1], 0x5A);
    assert_int_equal(flash[3 * PAGE], 0x5A);
    assert_true(sr(&f, 10 + FPEC_ERASE_NS - 1) & FPEC_SR_BSY);
    assert_int_equal(sr(&f, 10 + FPEC_ERASE_NS), FPEC_SR_EOP);
    fpec_write_reg(&f, FPEC_SR, FPEC_SR_EOP, 0); /* write 1 to clear */
    assert_int_equal(sr(&f, FPEC_ERASE_NS + 10), 0);
    assert_int_equal(f.stats.erases, 1);
}

/* PM0075 §2 Mass erase: MER and STRT erase the whole bank */
static void test_mass_erase(void **state)
{
    (void)state;
    struct fpec f;
    setup(&f);
    unlock(&f);
    erase_all(&f);
    for (uint32_t i = 0; i < SIZE; i++)
        if (flash[i] != 0xFF)
            fail_msg("byte %u is 0x%02x after mass erase", i, flash[i]);
}

/* PM0075 §2 Program: PG set, then 16-bit writes only; other sizes fault the bus */
static void test_program_takes_half_words_only(void **state)
{
    (void)state;
    struct fpec f;
    setup(&f);
    unlock(&f);
    erase_all(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PG, 0);
    assert_false(fpec_write_flash(&f, BASE, 0x11223344, 4, 0));
    assert_false(fpec_write_flash(&f, BASE, 0x11, 1, 0));
    assert_false(fpec_write_flash(&f, BASE + 1, 0x1122, 2, 0));
    assert_int_equal(flash[0], 0xFF);
    const uint64_t t = FPEC_ERASE_NS + 100; /* after the erase's busy period */
    assert_true(fpec_write_flash(&f, BASE + 2, 0xBEEF, 2, t));
    assert_int_equal(flash[2], 0xEF);
    assert_int_equal(flash[3], 0xBE);
    assert_true(sr(&f, t) & FPEC_SR_BSY);
    assert_int_equal(sr(&f, t + FPEC_PROGRAM_NS), FPEC_SR_EOP);
    /* a write that arrives while BSY is set waits for the operation under way */
    fpec_write_flash(&f, BASE + 4, 0x0102, 2, t + FPEC_PROGRAM_NS);
    fpec_write_flash(&f, BASE + 6, 0x0304, 2, t + FPEC_PROGRAM_NS);
    assert_true(sr(&f, t + 3 * FPEC_PROGRAM_NS - 1) & FPEC_SR_BSY);
    assert_false(sr(&f, t + 3 * FPEC_PROGRAM_NS) & FPEC_SR_BSY);
    assert_int_equal(f.stats.programs, 3);
}

/* PM0075 §2 Errors: PGERR when the half-word is not 0xFFFF, or when PG is not set */
static void test_pgerr(void **state)
{
    (void)state;
    struct fpec f;
    setup(&f);
    unlock(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PG, 0);
    assert_true(fpec_write_flash(&f, BASE, 0x1234, 2, 0));
    assert_true(sr(&f, 0) & FPEC_SR_PGERR);
    assert_int_equal(flash[0], 0x5A);
    fpec_write_reg(&f, FPEC_SR, FPEC_SR_PGERR, 0);
    fpec_write_reg(&f, FPEC_CR, 0, 0);
    erase_all(&f);
    fpec_write_flash(&f, BASE, 0x1234, 2, 0);
    assert_true(sr(&f, FPEC_ERASE_NS) & FPEC_SR_PGERR);
    assert_int_equal(flash[0], 0xFF);
}

/* write protection: WRPRTERR, and the protected bytes stay */
static void test_write_protection(void **state)
{
    (void)state;
    struct fpec f;
    setup(&f);
    f.wrp.fault[0] = 1; /* the first 4 KiB */
    unlock(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER, 0);
    fpec_write_reg(&f, FPEC_AR, BASE, 0);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER | FPEC_CR_STRT, 0);
    assert_true(sr(&f, 0) & FPEC_SR_WRPRTERR);
    assert_int_equal(flash[0], 0x5A);
    assert_int_equal(f.stats.erases, 0);
}

/* RM0008 §3.3 and PM0068 §2.3: an XL-density part (1 MiB) has bank 2 above
 * 512 KiB with its own KEYR2, SR2, CR2 and AR2 at +0x40: its own lock, its
 * own PG, PER and MER (each MER erases its own bank), its own BSY */
static void test_xl_second_bank(void **state)
{
    (void)state;
    static uint8_t big[1024 * 1024];
    const uint32_t bank2 = BASE + FPEC_XL_BANK1_SIZE;
    struct fpec f;
    memset(big, 0x5A, sizeof(big));
    fpec_init(&f, big, BASE, sizeof(big), 2048, FPEC_XL_BANK1_SIZE);
    assert_int_equal(fpec_read_reg(&f, FPEC_BANK2 + FPEC_CR, 0), FPEC_CR_LOCK);
    unlock(&f);
    assert_int_equal(fpec_read_reg(&f, FPEC_BANK2 + FPEC_CR, 0), FPEC_CR_LOCK); /* bank 1's keys only */
    /* bank 1's PER cannot reach a page of bank 2 */
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER, 0);
    fpec_write_reg(&f, FPEC_AR, bank2, 0);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER | FPEC_CR_STRT, 0);
    assert_int_equal(big[FPEC_XL_BANK1_SIZE], 0x5A);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_KEYR, FPEC_KEY1, 0);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_KEYR, FPEC_KEY2, 0);
    assert_int_equal(fpec_read_reg(&f, FPEC_BANK2 + FPEC_CR, 0), 0);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_CR, FPEC_CR_PER, 0);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_AR, bank2 + 2048, 0);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_CR, FPEC_CR_PER | FPEC_CR_STRT, 0);
    assert_int_equal(big[FPEC_XL_BANK1_SIZE + 2048], FPEC_ERASED);
    assert_int_equal(big[FPEC_XL_BANK1_SIZE], 0x5A);
    assert_true(fpec_read_reg(&f, FPEC_BANK2 + FPEC_SR, 0) & FPEC_SR_BSY);
    assert_false(sr(&f, 0) & FPEC_SR_BSY); /* bank 1 is idle */
    /* a half-word in bank 2 needs CR2.PG, not CR.PG */
    uint64_t t = FPEC_ERASE_NS;
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_CR, 0, t);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PG, t);
    assert_true(fpec_write_flash(&f, bank2 + 2048, 0x1234, 2, t));
    assert_int_equal(big[FPEC_XL_BANK1_SIZE + 2048], FPEC_ERASED);
    assert_true(fpec_read_reg(&f, FPEC_BANK2 + FPEC_SR, t) & FPEC_SR_PGERR);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_SR, FPEC_SR_PGERR, t);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_CR, FPEC_CR_PG, t);
    assert_true(fpec_write_flash(&f, bank2 + 2048, 0x1234, 2, t));
    assert_int_equal(big[FPEC_XL_BANK1_SIZE + 2048], 0x34);
    /* each MER erases its own bank */
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_MER | FPEC_CR_STRT, 2 * t);
    assert_int_equal(big[0], FPEC_ERASED);
    assert_int_equal(big[FPEC_XL_BANK1_SIZE + 2048], 0x34);
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_CR, FPEC_CR_MER | FPEC_CR_STRT, 2 * t);
    assert_int_equal(big[sizeof(big) - 1], FPEC_ERASED);
    assert_int_equal(big[FPEC_XL_BANK1_SIZE + 2048], FPEC_ERASED);
    /* the option bits are bank 1's alone */
    fpec_write_reg(&f, FPEC_BANK2 + FPEC_CR, FPEC_CR_OPTER, 3 * t);
    assert_int_equal(fpec_read_reg(&f, FPEC_BANK2 + FPEC_CR, 3 * t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_unlock_cr),
        cmocka_unit_test(test_wrong_key_locks_until_reset),
        cmocka_unit_test(test_page_erase),
        cmocka_unit_test(test_mass_erase),
        cmocka_unit_test(test_program_takes_half_words_only),
        cmocka_unit_test(test_pgerr),
        cmocka_unit_test(test_write_protection),
        cmocka_unit_test(test_xl_second_bank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
