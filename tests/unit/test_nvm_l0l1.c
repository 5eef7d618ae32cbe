/* SPDX-License-Identifier: MIT */
/* fwsim's STM32L0/L1 NVM controller model, one test per rule of
 * RM0038 §3 and RM0377 §3 (erased flash reads 0x00). */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/nvm_l0l1.h"

#define BASE 0x08000000u
#define SIZE (128u * 1024)

static uint8_t flash[SIZE];

static void setup(struct nvm_l0l1 *m, nvm_family family)
{
    memset(flash, 0xA5, sizeof(flash)); /* programmed, not erased */
    nvm_l0l1_init(m, family, flash, BASE, SIZE);
}

static void unlock_program_memory(struct nvm_l0l1 *m)
{
    nvm_l0l1_write_reg(m, NVM_PEKEYR, NVM_PEKEY1, 0);
    nvm_l0l1_write_reg(m, NVM_PEKEYR, NVM_PEKEY2, 0);
    nvm_l0l1_write_reg(m, NVM_PRGKEYR, NVM_PRGKEY1, 0);
    nvm_l0l1_write_reg(m, NVM_PRGKEYR, NVM_PRGKEY2, 0);
}

static uint32_t sr(struct nvm_l0l1 *m, uint64_t now)
{
    return nvm_l0l1_read_reg(m, NVM_SR, now);
}

static uint32_t word_at(uint32_t addr)
{
    const uint8_t *p = flash + (addr - BASE);
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* RM0038 §3 PECR: the reset value has PELOCK, PRGLOCK and OPTLOCK set */
static void test_reset_state_is_locked(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_PECR, 0), NVM_PECR_PELOCK | NVM_PECR_PRGLOCK | NVM_PECR_OPTLOCK);
    assert_int_equal(sr(&m, 0) & (NVM_SR_BSY | NVM_SR_READY), NVM_SR_READY);
}

/* RM0038 §3 Keys: PEKEYR clears PELOCK, then PRGKEYR clears PRGLOCK; OPTKEYR clears OPTLOCK */
static void test_key_sequences_unlock_in_order(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY1, 0);
    assert_true(nvm_l0l1_read_reg(&m, NVM_PECR, 0) & NVM_PECR_PELOCK); /* one key is not enough */
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY2, 0);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_PECR, 0), NVM_PECR_PRGLOCK | NVM_PECR_OPTLOCK);
    nvm_l0l1_write_reg(&m, NVM_PRGKEYR, NVM_PRGKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_PRGKEYR, NVM_PRGKEY2, 0);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_PECR, 0), NVM_PECR_OPTLOCK);
    nvm_l0l1_write_reg(&m, NVM_OPTKEYR, NVM_OPTKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_OPTKEYR, NVM_OPTKEY2, 0);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_PECR, 0), 0);
}

/* RM0038 §3: a wrong key locks the controller until the next reset */
static void test_wrong_key_locks_until_reset(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, 0x12345678, 0);
    unlock_program_memory(&m);
    assert_true(nvm_l0l1_read_reg(&m, NVM_PECR, 0) & NVM_PECR_PELOCK);
    nvm_l0l1_reset(&m);
    unlock_program_memory(&m);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_PECR, 0), NVM_PECR_OPTLOCK);
}

/* RM0038 §3 Keys: "Double unlock results in error" (pystlink lib/stm32l0.py): keys written while unlocked lock it out */
static void test_double_unlock_locks_out(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY1, 0);
    assert_true(nvm_l0l1_read_reg(&m, NVM_PECR, 0) & NVM_PECR_PELOCK);
    /* and the program keys need PELOCK clear first */
    nvm_l0l1_reset(&m);
    nvm_l0l1_write_reg(&m, NVM_PRGKEYR, NVM_PRGKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_PRGKEYR, NVM_PRGKEY2, 0);
    unlock_program_memory(&m);
    assert_true(nvm_l0l1_read_reg(&m, NVM_PECR, 0) & NVM_PECR_PRGLOCK);
}

/* RM0038 §3 Relock: setting PELOCK locks everything; PECR's other bits are
 * writable only while it is unlocked */
static void test_relock_and_pecr_protection(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_PROG, 0);
    assert_false(nvm_l0l1_read_reg(&m, NVM_PECR, 0) & NVM_PECR_PROG);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_PROG, 0); /* writing 0 to lock bits does not unlock */
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_PECR, 0), NVM_PECR_OPTLOCK | NVM_PECR_PROG);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_PELOCK, 0);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_PECR, 0) & 7, 7);
}

/* writes to locked program memory are refused (WRPERR) and change nothing */
static void test_write_while_locked_is_refused(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    nvm_l0l1_write_flash(&m, BASE, 0x11223344, 4, 0);
    assert_true(sr(&m, 0) & NVM_SR_WRPERR);
    assert_int_equal(word_at(BASE), 0xA5A5A5A5);
    nvm_l0l1_write_reg(&m, NVM_SR, NVM_SR_WRPERR, 0); /* error bits are write-1-to-clear */
    assert_false(sr(&m, 0) & NVM_SR_WRPERR);
}

/* RM0038 §3 Page erase: ERASE|PROG, a word written into the page, the
 * page becomes 0x00; BSY for about 3.2 ms, then EOP */
static void test_page_erase_gives_zeros_after_busy(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_ERASE | NVM_PECR_PROG, 0);
    nvm_l0l1_write_flash(&m, BASE + 0x100, 0, 4, 1000);
    for (uint32_t i = 0; i < 256; i++)
        assert_int_equal(flash[0x100 + i], 0x00);
    assert_int_equal(flash[0xFF], 0xA5);
    assert_int_equal(flash[0x200], 0xA5);
    assert_true(sr(&m, 1000 + NVM_L0L1_OP_NS - 1) & NVM_SR_BSY);
    assert_false(sr(&m, 1000 + NVM_L0L1_OP_NS - 1) & NVM_SR_EOP);
    assert_int_equal(sr(&m, 1000 + NVM_L0L1_OP_NS) & (NVM_SR_BSY | NVM_SR_EOP), NVM_SR_EOP);
    assert_int_equal(m.stats.erases, 1);
    /* L0 pages are 128 bytes */
    setup(&m, NVM_L0);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_ERASE | NVM_PECR_PROG, 0);
    nvm_l0l1_write_flash(&m, BASE + 0x80, 0, 4, 0);
    assert_int_equal(flash[0x80], 0x00);
    assert_int_equal(flash[0xFF], 0x00);
    assert_int_equal(flash[0x100], 0xA5);
}

/* RM0038 §3: program memory takes 32-bit words; other sizes are SIZERR */
static void test_word_program_and_sizes(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    unlock_program_memory(&m);
    nvm_l0l1_write_flash(&m, BASE + 8, 0x1234, 2, 0);
    assert_true(sr(&m, 0) & NVM_SR_SIZERR);
    assert_int_equal(word_at(BASE + 8), 0xA5A5A5A5);
    nvm_l0l1_write_flash(&m, BASE + 8, 0xCAFEF00D, 4, 0);
    assert_int_equal(word_at(BASE + 8), 0xCAFEF00D);
    assert_int_equal(m.stats.programs, 1);
    assert_int_equal(m.stats.busy_ns, NVM_L0L1_OP_NS);
}

/* RM0038 §3 Word program: L0 sets NOTZEROERR on a word that is not erased */
static void test_l0_refuses_a_non_erased_word(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L0);
    unlock_program_memory(&m);
    nvm_l0l1_write_flash(&m, BASE, 0x11111111, 4, 0);
    assert_true(sr(&m, 0) & NVM_SR_NOTZEROERR);
    assert_int_equal(word_at(BASE), 0xA5A5A5A5);
    memset(flash, 0, 4);
    nvm_l0l1_write_flash(&m, BASE, 0x11111111, 4, 0);
    assert_int_equal(word_at(BASE), 0x11111111);
}

static void half_page(struct nvm_l0l1 *m, uint32_t addr, uint32_t words)
{
    for (uint32_t i = 0; i < words; i++)
        nvm_l0l1_write_flash(m, addr + 4 * i, 0x01010101u * (i + 1), 4, 0);
}

/* RM0038 §3 Half-page program: FPRG|PROG, 32 words (L1) or 16 (L0) in a row from a
 * half-page boundary; programming starts after the last word */
static void test_half_page_programs_after_the_last_word(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_FPRG, 0);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_FPRG | NVM_PECR_PROG, 0);
    half_page(&m, BASE + 0x80, 31);
    assert_int_equal(word_at(BASE + 0x80), 0xA5A5A5A5); /* nothing yet */
    nvm_l0l1_write_flash(&m, BASE + 0x80 + 31 * 4, 0x20202020, 4, 0);
    assert_int_equal(word_at(BASE + 0x80), 0x01010101);
    assert_int_equal(word_at(BASE + 0xFC), 0x20202020);
    assert_int_equal(word_at(BASE + 0x100), 0xA5A5A5A5);
    assert_int_equal(sr(&m, 0) & ~(NVM_SR_BSY | NVM_SR_ENDHV), 0);
    assert_int_equal(m.stats.programs, 1);
    /* on L0 a half-page is 16 words */
    setup(&m, NVM_L0);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_FPRG | NVM_PECR_PROG, 0);
    half_page(&m, BASE + 0x40, 16);
    assert_int_equal(word_at(BASE + 0x7C), 0x10101010);
    assert_int_equal(m.stats.programs, 1);
}

/* RM0038 §3 Half-page program: a misaligned start, a gap, or a flash read in the
 * middle is PGAERR and aborts the whole half-page */
static void test_half_page_errors_abort(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_FPRG | NVM_PECR_PROG, 0);
    half_page(&m, BASE + 0x40, 32); /* 0x40 is not a 128-byte boundary */
    assert_true(sr(&m, 0) & NVM_SR_PGAERR);
    assert_int_equal(m.stats.programs, 0);

    setup(&m, NVM_L1);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_FPRG | NVM_PECR_PROG, 0);
    half_page(&m, BASE, 10);
    nvm_l0l1_write_flash(&m, BASE + 44, 0, 4, 0); /* skips the word at 40 */
    assert_true(sr(&m, 0) & NVM_SR_PGAERR);
    half_page(&m, BASE + 44, 22); /* the rest of that half-page does not complete it */
    assert_int_equal(m.stats.programs, 0);
    assert_int_equal(word_at(BASE), 0xA5A5A5A5);

    setup(&m, NVM_L1);
    unlock_program_memory(&m);
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_FPRG | NVM_PECR_PROG, 0);
    half_page(&m, BASE, 16);
    nvm_l0l1_read_flash(&m, BASE + 0x1000);
    assert_true(sr(&m, 0) & NVM_SR_PGAERR);
    half_page(&m, BASE + 64, 16);
    assert_int_equal(m.stats.programs, 0);
}

/* write protection: a sector whose WRPR bit is set refuses erase and program */
static void test_write_protected_sector(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    setup(&m, NVM_L1);
    m.wrp.fault[0] = 1u << 1; /* sector 1: 0x08001000-0x08001fff */
    unlock_program_memory(&m);
    nvm_l0l1_write_flash(&m, BASE + 0x1000, 0, 4, 0);
    assert_true(sr(&m, 0) & NVM_SR_WRPERR);
    assert_int_equal(word_at(BASE + 0x1000), 0xA5A5A5A5);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_WRPR, 0), 2);
    nvm_l0l1_write_flash(&m, BASE + 0x2000, 0, 4, 0);
    assert_int_equal(word_at(BASE + 0x2000), 0);
}

/* RM0038 §3.3.4 data EEPROM: refused with WRPERR while PELOCK is set;
 * after the PEKEYR keys a byte, half-word or word lands, with BSY for the
 * erase + program time */
static void test_data_eeprom(void **state)
{
    (void)state;
    struct nvm_l0l1 m;
    uint8_t eeprom[16] = {0};
    setup(&m, NVM_L1);
    m.eeprom = eeprom;
    m.eeprom_size = sizeof(eeprom);
    nvm_l0l1_write_eeprom(&m, 4, 0x11223344, 4, 0);
    assert_true(sr(&m, 0) & NVM_SR_WRPERR);
    assert_int_equal(eeprom[4], 0);
    nvm_l0l1_write_reg(&m, NVM_SR, NVM_SR_WRPERR, 0);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY2, 0);
    nvm_l0l1_write_eeprom(&m, 4, 0x11223344, 4, 1000);
    assert_int_equal(eeprom[4] | eeprom[5] << 8 | eeprom[6] << 16 | eeprom[7] << 24, 0x11223344);
    assert_true(sr(&m, 1000 + NVM_L0L1_OP_NS / 2) & NVM_SR_BSY);
    assert_false(sr(&m, 1000 + NVM_L0L1_OP_NS) & NVM_SR_BSY);
    nvm_l0l1_write_eeprom(&m, 9, 0xAB, 1, 2 * NVM_L0L1_OP_NS);
    assert_int_equal(eeprom[9], 0xAB);
    assert_false(sr(&m, 3 * NVM_L0L1_OP_NS) & NVM_SR_WRPERR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_state_is_locked),
        cmocka_unit_test(test_key_sequences_unlock_in_order),
        cmocka_unit_test(test_wrong_key_locks_until_reset),
        cmocka_unit_test(test_double_unlock_locks_out),
        cmocka_unit_test(test_relock_and_pecr_protection),
        cmocka_unit_test(test_write_while_locked_is_refused),
        cmocka_unit_test(test_page_erase_gives_zeros_after_busy),
        cmocka_unit_test(test_word_program_and_sizes),
        cmocka_unit_test(test_l0_refuses_a_non_erased_word),
        cmocka_unit_test(test_half_page_programs_after_the_last_word),
        cmocka_unit_test(test_half_page_errors_abort),
        cmocka_unit_test(test_write_protected_sector),
        cmocka_unit_test(test_data_eeprom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
