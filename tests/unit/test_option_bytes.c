/* SPDX-License-Identifier: MIT */
/* fwsim's option bytes: the loader (optbytes.c) and each controller's way of
 * programming them, one test per rule, each naming its reference manual
 * section. The read-protection regression (level 1 to 0) must mass-erase. */
#include "support.h"

#include <string.h>

#include "../../tools/fwsim/flash_f2f4f7.h"
#include "../../tools/fwsim/flash_l4g0.h"
#include "../../tools/fwsim/fpec_f0f1f3.h"
#include "../../tools/fwsim/nvm_l0l1.h"
#include "../../tools/fwsim/optbytes.h"

#define BASE 0x08000000u
#define SIZE (64u * 1024)
#define OB_BASE 0x1FFFF800u

static uint8_t flash[SIZE], ob_mem[OB_MAX_SIZE], eeprom[256];

static void chip(struct option_bytes *ob, ob_layout layout, uint32_t ob_size, int rdp_level)
{
    memset(flash, 0x5A, sizeof(flash)); /* programmed: an erase shows */
    memset(eeprom, 0x5A, sizeof(eeprom));
    ob_init(ob, layout, ob_mem, OB_BASE, ob_size);
    ob_factory(ob);
    if (rdp_level)
        ob_store_rdp_level(ob, rdp_level);
    ob_load(ob);
}

static bool all(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

/* the factory image loads as level 0; --rdp's store loads as level 1 or 2 */
static void test_factory_and_levels(void **state)
{
    (void)state;
    struct option_bytes ob;
    static const ob_layout layouts[] = {OB_F1, OB_F0F3, OB_F2F4F7, OB_L0L1, OB_L4G0};
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        chip(&ob, layouts[i], 32, 0);
        assert_int_equal(ob.rdp_level, 0);
        assert_false(ob.load_error);
        chip(&ob, layouts[i], 32, 1);
        assert_int_equal(ob.rdp_level, 1);
        assert_false(ob.load_error);
        if (layouts[i] != OB_F1) {
            chip(&ob, layouts[i], 32, 2);
            assert_int_equal(ob.rdp_level, 2);
        }
    }
    /* PM0075 §2.5: F1 knows only 0xA5 (level 0) and anything else (level 1) */
    assert_int_equal(ob_rdp_level_of(&ob, 0xCC), 2);
    chip(&ob, OB_F1, 16, 0);
    assert_int_equal(ob_rdp_level_of(&ob, 0xCC), 1);
    assert_int_equal(ob_rdp_level_of(&ob, 0xAA), 1);
}

/* PM0075 §2.5 OBR.OPTERR: a byte whose complement disagrees loads as 0xFF,
 * so erased option bytes (0xFF, 0xFF) read as level 1 */
static void test_f1_complement_mismatch(void **state)
{
    (void)state;
    struct option_bytes ob;
    chip(&ob, OB_F1, 16, 0);
    memset(ob_mem, 0xFF, 16);
    ob_load(&ob);
    assert_true(ob.load_error);
    assert_int_equal(ob.rdp_level, 1);
    assert_int_equal(ob.loaded[0], 0xFF);
}

/* RM0038 §3.9.9, RM0351 §3.4.2: an option word whose upper half is not the
 * complement is OPTVERR, loaded as level 1 */
static void test_l_families_complement_mismatch(void **state)
{
    (void)state;
    struct option_bytes ob;
    chip(&ob, OB_L0L1, 32, 0);
    fw_put_le32(ob_mem, 0x000000AAu);
    ob_load(&ob);
    assert_true(ob.load_error);
    assert_int_equal(ob.rdp_level, 1);
    chip(&ob, OB_L4G0, 32, 0);
    fw_put_le32(ob_mem + 4, 0);
    ob_load(&ob);
    assert_true(ob.load_error);
    assert_int_equal(ob.rdp_level, 1);
}

/* an F0/F1/F3 FPEC over option bytes of layout at rdp_level */
static void fpec_chip(struct fpec *f, struct option_bytes *ob, ob_layout layout, int rdp_level)
{
    chip(ob, layout, 16, rdp_level);
    fpec_init(f, flash, BASE, SIZE, 1024, 0);
    f->ob = ob;
}

static void fpec_unlock(struct fpec *f)
{
    fpec_write_reg(f, FPEC_KEYR, FPEC_KEY1, 0);
    fpec_write_reg(f, FPEC_KEYR, FPEC_KEY2, 0);
}

static void fpec_unlock_options(struct fpec *f)
{
    fpec_unlock(f);
    fpec_write_reg(f, FPEC_OPTKEYR, FPEC_KEY1, 0);
    fpec_write_reg(f, FPEC_OPTKEYR, FPEC_KEY2, 0);
}

/* PM0075 §2.4.3: OPTKEYR takes the KEYR keys once the FPEC is unlocked and
 * sets OPTWRE; without it option writes are refused */
static void test_f1_option_keys(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct fpec f;
    fpec_chip(&f, &ob, OB_F1, 0);
    fpec_write_reg(&f, FPEC_OPTKEYR, FPEC_KEY1, 0); /* FPEC still locked: a wrong key */
    assert_true(f.key_locked_out);
    fpec_reset(&f);
    fpec_unlock(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTER | FPEC_CR_STRT, 0);
    assert_true(fpec_read_reg(&f, FPEC_SR, 0) & FPEC_SR_WRPRTERR);
    assert_int_equal(ob_mem[0], 0xA5);
    fpec_write_reg(&f, FPEC_OPTKEYR, FPEC_KEY1, 0);
    fpec_write_reg(&f, FPEC_OPTKEYR, FPEC_KEY2, 0);
    assert_true(fpec_read_reg(&f, FPEC_CR, 0) & FPEC_CR_OPTWRE);
    /* software cannot set OPTWRE itself; writing CR without it clears it */
    fpec_write_reg(&f, FPEC_CR, 0, 0);
    assert_false(fpec_read_reg(&f, FPEC_CR, 0) & FPEC_CR_OPTWRE);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTWRE, 0);
    assert_false(fpec_read_reg(&f, FPEC_CR, 0) & FPEC_CR_OPTWRE);
}

/* PM0075 §2.4.1-2: OPTER erases the option area; OPTPG programs a byte and
 * its complement into an erased half-word; programming RDP with 0xA5 at
 * level 1 mass-erases the flash first; the level changes at the next load */
static void test_f1_unprotection(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct fpec f;
    fpec_chip(&f, &ob, OB_F1, 1);
    assert_true(fpec_read_reg(&f, FPEC_OBR, 0) & 2); /* RDPRT */
    fpec_unlock_options(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTER | FPEC_CR_OPTWRE, 0);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTER | FPEC_CR_OPTWRE | FPEC_CR_STRT, 0);
    assert_true(all(ob_mem, 16, 0xFF));
    assert_true(all(flash, SIZE, 0x5A)); /* erasing the options alone keeps the flash */
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTPG | FPEC_CR_OPTWRE, FPEC_ERASE_NS);
    assert_false(fpec_write_option(&f, 0, 0xA5, 4, FPEC_ERASE_NS)); /* half-words only */
    assert_true(fpec_write_option(&f, 0, 0x00A5, 2, FPEC_ERASE_NS));
    assert_int_equal(ob_mem[0], 0xA5);
    assert_int_equal(ob_mem[1], 0x5A);
    assert_true(all(flash, SIZE, FPEC_ERASED));
    assert_int_equal(ob.rdp_level, 1); /* until the options load again */
    assert_true(fpec_write_option(&f, 0, 0x00A5, 2, 2 * FPEC_ERASE_NS));
    assert_true(fpec_read_reg(&f, FPEC_SR, 3 * FPEC_ERASE_NS) & FPEC_SR_PGERR); /* not erased */
    ob_load(&ob);
    fpec_reset(&f);
    assert_int_equal(ob.rdp_level, 0);
    assert_false(fpec_read_reg(&f, FPEC_OBR, 0) & 2);
    /* the other pairs were left erased (0xFF, 0xFF): OPTERR, until they are programmed */
    assert_true(fpec_read_reg(&f, FPEC_OBR, 0) & 1);
    fpec_unlock_options(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTPG | FPEC_CR_OPTWRE, 0);
    for (uint32_t o = 2; o < 16; o += 2)
        assert_true(fpec_write_option(&f, o, 0xFF, 2, 0));
    ob_load(&ob);
    assert_false(fpec_read_reg(&f, FPEC_OBR, 0) & 3);
}

/* RM0091 §3.5.5: OBL_LAUNCH asks for a reload on F0/F3 */
static void test_f0_obl_launch(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct fpec f;
    fpec_chip(&f, &ob, OB_F0F3, 2);
    assert_int_equal(fpec_read_reg(&f, FPEC_OBR, 0) & 6, 6); /* RDPRT 11: level 2 */
    fpec_unlock_options(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTER | FPEC_CR_OPTWRE | FPEC_CR_STRT, 0);
    assert_true(fpec_read_reg(&f, FPEC_SR, 0) & FPEC_SR_WRPRTERR); /* level 2 is final */
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OBL_LAUNCH, 0);
    assert_true(ob.obl_launch);
}

/* RM0090 §3.6.2: OPTKEYR clears OPTLOCK; OPTSTRT programs OPTCR's RDP and
 * nWRP into the option bytes; level 1 to 0 mass-erases (§3.7.3); level 2
 * refuses */
static void test_f4_options(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct flash_f2f4f7 f;
    uint32_t sizes[4] = {16384, 16384, 16384, 16384};
    chip(&ob, OB_F2F4F7, 16, 1);
    flash_f2f4f7_init(&f, flash, BASE, sizes, 4);
    f.ob = &ob;
    flash_f2f4f7_reset(&f);
    uint32_t optcr = flash_f2f4f7_read_reg(&f, F4_OPTCR, 0);
    assert_int_equal(optcr & 0xFF01u, 0x0001u); /* RDP 0x00, OPTLOCK */
    flash_f2f4f7_write_reg(&f, F4_OPTCR, (optcr & ~0xFF01u) | 0xAA00u | F4_OPTCR_OPTSTRT, 0);
    assert_int_equal(ob_mem[1], 0x00); /* locked: ignored */
    flash_f2f4f7_write_reg(&f, F4_OPTKEYR, FLASH_OPTKEY1, 0);
    flash_f2f4f7_write_reg(&f, F4_OPTKEYR, FLASH_OPTKEY2, 0);
    assert_false(flash_f2f4f7_read_reg(&f, F4_OPTCR, 0) & F4_OPTCR_OPTLOCK);
    flash_f2f4f7_write_reg(&f, F4_OPTCR, (optcr & ~0xFF01u) | 0xAA00u | F4_OPTCR_OPTSTRT, 0);
    assert_int_equal(ob_mem[1], 0xAA);
    assert_true(all(flash, SIZE, F4_ERASED));
    assert_true(flash_f2f4f7_read_reg(&f, F4_SR, F4_MASS_ERASE_NS / 2) & F4_SR_BSY);
    ob_load(&ob);
    assert_int_equal(ob.rdp_level, 0);

    chip(&ob, OB_F2F4F7, 16, 2);
    flash_f2f4f7_reset(&f);
    flash_f2f4f7_write_reg(&f, F4_OPTKEYR, FLASH_OPTKEY1, 0);
    flash_f2f4f7_write_reg(&f, F4_OPTKEYR, FLASH_OPTKEY2, 0);
    flash_f2f4f7_write_reg(&f, F4_OPTCR, 0x0FFFAAECu | F4_OPTCR_OPTSTRT, 0);
    assert_true(flash_f2f4f7_read_reg(&f, F4_SR, 0) & F4_SR_WRPERR);
    assert_int_equal(ob_mem[1], 0xCC);
    assert_true(all(flash, SIZE, 0x5A));
}

/* RM0038 §3.9: option words need OPTLOCK clear (WRPERR otherwise); the
 * first word at level 0 with a level-1 chip erases program memory and data
 * EEPROM to 0x00 (§3.7.1); OBL_LAUNCH asks for the reload */
static void test_l1_options(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct nvm_l0l1 m;
    chip(&ob, OB_L0L1, 32, 1);
    nvm_l0l1_init(&m, NVM_L1, flash, BASE, SIZE);
    m.ob = &ob;
    m.eeprom = eeprom;
    m.eeprom_size = sizeof(eeprom);
    nvm_l0l1_reset(&m);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_OBR, 0) & 0xFF, 0x00);
    nvm_l0l1_write_option(&m, 0, 0xFF5500AAu, 4, 0);
    assert_true(nvm_l0l1_read_reg(&m, NVM_SR, 0) & NVM_SR_WRPERR);
    nvm_l0l1_write_reg(&m, NVM_SR, NVM_SR_WRPERR, 0);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY2, 0);
    nvm_l0l1_write_reg(&m, NVM_OPTKEYR, NVM_OPTKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_OPTKEYR, NVM_OPTKEY2, 0);
    assert_false(nvm_l0l1_read_reg(&m, NVM_PECR, 0) & NVM_PECR_OPTLOCK);
    nvm_l0l1_write_option(&m, 0, 0xFF5500AAu, 4, 0);
    assert_false(nvm_l0l1_read_reg(&m, NVM_SR, 0) & NVM_SR_WRPERR);
    assert_int_equal(fw_get_le32(ob_mem), 0xFF5500AAu);
    assert_true(all(flash, SIZE, NVM_L0L1_ERASED));
    assert_true(all(eeprom, sizeof(eeprom), NVM_L0L1_ERASED));
    nvm_l0l1_write_reg(&m, NVM_PECR, NVM_PECR_OBL_LAUNCH, 0);
    assert_true(ob.obl_launch);
    ob_load(&ob);
    assert_int_equal(ob.rdp_level, 0);
}

/* RM0351 §3.4.2: the option keys need LOCK clear; OPTR takes a value only
 * unlocked; OPTSTRT programs OPTR and its complement, mass-erasing on level
 * 1 to 0 (§3.5.1); setting LOCK sets OPTLOCK; OBL_LAUNCH asks for the reload */
static void test_l4_options(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct flash_l4g0 f;
    chip(&ob, OB_L4G0, 32, 1);
    flash_l4g0_init(&f, flash, BASE, SIZE, 2048, 8);
    f.ob = &ob;
    flash_l4g0_reset(&f);
    assert_int_equal(flash_l4g0_read_reg(&f, L4_OPTR, 0) & 0xFF, 0x00);
    flash_l4g0_write_reg(&f, L4_OPTKEYR, FLASH_OPTKEY1, 0); /* LOCK still set: a wrong key */
    assert_true(f.key_locked_out);
    flash_l4g0_reset(&f);
    flash_l4g0_write_reg(&f, L4_KEYR, FLASH_KEY1, 0);
    flash_l4g0_write_reg(&f, L4_KEYR, FLASH_KEY2, 0);
    flash_l4g0_write_reg(&f, L4_OPTR, 0xFFEFF8AAu, 0);
    assert_int_equal(flash_l4g0_read_reg(&f, L4_OPTR, 0) & 0xFF, 0x00); /* OPTLOCK: ignored */
    flash_l4g0_write_reg(&f, L4_OPTKEYR, FLASH_OPTKEY1, 0);
    flash_l4g0_write_reg(&f, L4_OPTKEYR, FLASH_OPTKEY2, 0);
    assert_false(flash_l4g0_read_reg(&f, L4_CR, 0) & L4_CR_OPTLOCK);
    flash_l4g0_write_reg(&f, L4_OPTR, 0xFFEFF8AAu, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_OPTSTRT, 0);
    assert_int_equal(fw_get_le32(ob_mem), 0xFFEFF8AAu);
    assert_int_equal(fw_get_le32(ob_mem + 4), ~0xFFEFF8AAu);
    assert_true(all(flash, SIZE, L4_ERASED));
    assert_true(flash_l4g0_read_reg(&f, L4_SR, 0) & L4_SR_BSY);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_OBL_LAUNCH, 0);
    assert_true(ob.obl_launch);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_LOCK, 0);
    assert_true(flash_l4g0_read_reg(&f, L4_CR, 0) & L4_CR_OPTLOCK);
    ob_load(&ob);
    assert_int_equal(ob.rdp_level, 0);
}

/* PM0075 §2.5 and §2.4.2 (RM0091 §4.1 alike): WRP0..3 at +8..+14, bit n clear
 * protects 4 KiB unit n; a protected page refuses erase and program with
 * WRPRTERR (and so does a mass erase over it); the protection comes with the
 * next option load, and WRPR shows it */
static void test_f1_write_protection(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct fpec f;
    fpec_chip(&f, &ob, OB_F1, 0);
    fpec_reset(&f);
    assert_int_equal(fpec_read_reg(&f, FPEC_WRPR, 0), 0xFFFFFFFFu);
    fpec_unlock_options(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_OPTPG | FPEC_CR_OPTWRE, 0);
    ob_mem[8] = 0xFF; /* WRP0 erased, as after OPTER */
    ob_mem[9] = 0xFF;
    assert_true(fpec_write_option(&f, 8, 0xFD, 2, 0)); /* unit 1: 0x08001000-0x08001fff */
    assert_int_equal(ob_mem[9], 0x02);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER, FPEC_ERASE_NS);
    fpec_write_reg(&f, FPEC_AR, BASE + 0x1400, FPEC_ERASE_NS);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER | FPEC_CR_STRT, FPEC_ERASE_NS);
    assert_int_equal(flash[0x1400], FPEC_ERASED); /* not loaded yet: erased */
    memset(flash, 0x5A, SIZE);
    ob_load(&ob);
    fpec_reset(&f);
    assert_int_equal(fpec_read_reg(&f, FPEC_WRPR, 0), 0xFFFFFFFDu);
    fpec_unlock(&f);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER, 0);
    fpec_write_reg(&f, FPEC_AR, BASE + 0x1400, 0);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER | FPEC_CR_STRT, 0);
    assert_true(fpec_read_reg(&f, FPEC_SR, 0) & FPEC_SR_WRPRTERR);
    assert_int_equal(flash[0x1400], 0x5A);
    fpec_write_reg(&f, FPEC_SR, FPEC_SR_WRPRTERR, 0);
    fpec_write_reg(&f, FPEC_AR, BASE + 0x2000, 0); /* unit 2 is free */
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PER | FPEC_CR_STRT, 0);
    assert_false(fpec_read_reg(&f, FPEC_SR, FPEC_ERASE_NS) & FPEC_SR_WRPRTERR);
    assert_int_equal(flash[0x2000], FPEC_ERASED);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_PG, FPEC_ERASE_NS);
    assert_false(fpec_write_flash(&f, BASE + 0x1000, 0x1234, 2, FPEC_ERASE_NS) &&
                 flash[0x1000] == 0x34); /* refused */
    assert_true(fpec_read_reg(&f, FPEC_SR, FPEC_ERASE_NS) & FPEC_SR_WRPRTERR);
    fpec_write_reg(&f, FPEC_SR, FPEC_SR_WRPRTERR, FPEC_ERASE_NS);
    fpec_write_reg(&f, FPEC_CR, FPEC_CR_MER | FPEC_CR_STRT, FPEC_ERASE_NS);
    assert_true(fpec_read_reg(&f, FPEC_SR, FPEC_ERASE_NS) & FPEC_SR_WRPRTERR);
    assert_int_equal(flash[0x4000], 0x5A);

    /* bit 31 (WRP3 bit 7) protects everything from 124 KiB on a bigger part */
    struct write_protection w = {.unit = 4096};
    ob.loaded[14] = 0x7F;
    ob_load_write_protection(&ob, 512 * 1024, 0, &w);
    assert_false(write_protected(&w, 30 * 4096, 4096));
    assert_true(write_protected(&w, 31 * 4096, 1));
    assert_true(write_protected(&w, 512 * 1024 - 2, 2));
    ob_load_write_protection(&ob, 128 * 1024, 0, &w);
    assert_true(write_protected(&w, 31 * 4096, 4096));
}

/* RM0090 §3.7.4 (and §3.9.10 OPTCR): nWRP bit n clear protects sector n once
 * the options load; erase of the sector, programming in it and a mass erase
 * set WRPERR */
static void test_f4_write_protection(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct flash_f2f4f7 f;
    uint32_t sizes[4] = {16384, 16384, 16384, 16384};
    chip(&ob, OB_F2F4F7, 16, 0);
    ob_mem[8] = 0xFF & ~(1u << 2); /* sector 2 */
    ob_load(&ob);
    flash_f2f4f7_init(&f, flash, BASE, sizes, 4);
    f.ob = &ob;
    flash_f2f4f7_reset(&f);
    assert_int_equal(flash_f2f4f7_read_reg(&f, F4_OPTCR, 0) >> 16 & 0xFFF, 0xFFB);
    flash_f2f4f7_write_reg(&f, F4_KEYR, FLASH_KEY1, 0);
    flash_f2f4f7_write_reg(&f, F4_KEYR, FLASH_KEY2, 0);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | 2u << F4_CR_SNB_SHIFT | F4_CR_STRT, 0);
    assert_true(flash_f2f4f7_read_reg(&f, F4_SR, 0) & F4_SR_WRPERR);
    assert_int_equal(flash[2 * 16384], 0x5A);
    flash_f2f4f7_write_reg(&f, F4_SR, F4_SR_WRPERR, 0);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_SER | 1u << F4_CR_SNB_SHIFT | F4_CR_STRT, 0);
    assert_false(flash_f2f4f7_read_reg(&f, F4_SR, 0) & F4_SR_WRPERR);
    assert_int_equal(flash[16384], F4_ERASED);
    flash_f2f4f7_write_reg(&f, F4_CR, F4_CR_MER | F4_CR_STRT, 1000000000ull);
    assert_true(flash_f2f4f7_read_reg(&f, F4_SR, 1000000000ull) & F4_SR_WRPERR);
    assert_int_equal(flash[0], 0x5A);
}

/* RM0038 §3.9.1 and RM0367 §3.8.2: the option words at +8 and +12 hold WRP
 * bits 0-31 with their complements; bit n set protects 4 KiB sector n, and
 * with WPRMOD (bit 8 of the first word) a clear bit does; the next load
 * brings it, WRPR shows it, and a protected sector refuses with WRPERR */
static void test_l1_write_protection(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct nvm_l0l1 m;
    chip(&ob, OB_L0L1, 32, 0);
    fw_put_le32(ob_mem + 8, 0xFFFD0002u); /* sector 1: 0x08001000-0x08001fff */
    ob_load(&ob);
    nvm_l0l1_init(&m, NVM_L1, flash, BASE, SIZE);
    m.ob = &ob;
    nvm_l0l1_reset(&m);
    assert_int_equal(nvm_l0l1_read_reg(&m, NVM_WRPR, 0), 0x00000002u);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_PEKEYR, NVM_PEKEY2, 0);
    nvm_l0l1_write_reg(&m, NVM_PRGKEYR, NVM_PRGKEY1, 0);
    nvm_l0l1_write_reg(&m, NVM_PRGKEYR, NVM_PRGKEY2, 0);
    nvm_l0l1_write_flash(&m, BASE + 0x1000, 0x11223344u, 4, 0);
    assert_true(nvm_l0l1_read_reg(&m, NVM_SR, 0) & NVM_SR_WRPERR);
    assert_int_equal(flash[0x1000], 0x5A);
    nvm_l0l1_write_reg(&m, NVM_SR, NVM_SR_WRPERR, 0);
    nvm_l0l1_write_flash(&m, BASE + 0x2000, 0x11223344u, 4, 0);
    assert_false(nvm_l0l1_read_reg(&m, NVM_SR, NVM_L0L1_OP_NS) & NVM_SR_WRPERR);
    assert_int_equal(flash[0x2000], 0x44);

    struct write_protection w = {.unit = 4096};
    fw_put_le32(ob.loaded, 0xFE5501AAu); /* WPRMOD set, level 0 */
    fw_put_le32(ob.loaded + 8, 0x0001FFFEu); /* bit 0 clear: sector 0 */
    ob_load_write_protection(&ob, SIZE, 0, &w);
    assert_true(write_protected(&w, 0, 4));
    assert_false(write_protected(&w, 4096, 4096));
    fw_put_le32(ob.loaded + 12, 0x12345678u); /* WRP bits 16-31 and a complement that disagrees */
    ob_load_write_protection(&ob, SIZE, 0, &w);
    assert_true(write_protected(&w, 16 * 4096, 1));
    assert_true(write_protected(&w, 31 * 4096, 1));
}

/* RM0351 §3.5.2, §3.7.9-10 (RM0444 §3.4.1 alike): WRP1AR and WRP1BR are
 * written like OPTR, programmed with their complements at OPTSTRT and take
 * effect at the next load; pages STRT to END then refuse erase, program and
 * mass erase with WRPERR; STRT > END protects nothing */
static void test_l4_write_protection(void **state)
{
    (void)state;
    struct option_bytes ob;
    struct flash_l4g0 f;
    chip(&ob, OB_L4G0, 128, 0);
    assert_int_equal(fw_get_le32(ob_mem + 0x18), L4_WRP_NONE);
    assert_int_equal(fw_get_le32(ob_mem + 0x1C), ~L4_WRP_NONE);
    flash_l4g0_init(&f, flash, BASE, SIZE, 2048, 8);
    f.ob = &ob;
    flash_l4g0_reset(&f);
    assert_int_equal(flash_l4g0_read_reg(&f, L4_WRP1AR, 0), L4_WRP_NONE);
    flash_l4g0_write_reg(&f, L4_KEYR, FLASH_KEY1, 0);
    flash_l4g0_write_reg(&f, L4_KEYR, FLASH_KEY2, 0);
    flash_l4g0_write_reg(&f, L4_WRP1AR, 0xFF05FF02u, 0); /* OPTLOCK: ignored */
    assert_int_equal(flash_l4g0_read_reg(&f, L4_WRP1AR, 0), L4_WRP_NONE);
    flash_l4g0_write_reg(&f, L4_OPTKEYR, FLASH_OPTKEY1, 0);
    flash_l4g0_write_reg(&f, L4_OPTKEYR, FLASH_OPTKEY2, 0);
    flash_l4g0_write_reg(&f, L4_WRP1AR, 0xFF05FF02u, 0); /* pages 2-5 */
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_OPTSTRT, 0);
    assert_int_equal(fw_get_le32(ob_mem + 0x18), 0xFF05FF02u);
    assert_int_equal(fw_get_le32(ob_mem + 0x1C), ~0xFF05FF02u);
    assert_int_equal(fw_get_le32(ob_mem + 0x20), L4_WRP_NONE); /* area B untouched */
    ob_load(&ob);
    flash_l4g0_reset(&f);
    flash_l4g0_write_reg(&f, L4_KEYR, FLASH_KEY1, 0);
    flash_l4g0_write_reg(&f, L4_KEYR, FLASH_KEY2, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 3u << L4_CR_PNB_SHIFT | L4_CR_STRT, 0);
    assert_true(flash_l4g0_read_reg(&f, L4_SR, 0) & L4_SR_WRPERR);
    assert_int_equal(flash[3 * 2048], 0x5A);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_WRPERR, 0);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PER | 6u << L4_CR_PNB_SHIFT | L4_CR_STRT, 0);
    assert_false(flash_l4g0_read_reg(&f, L4_SR, 0) & L4_SR_WRPERR);
    assert_int_equal(flash[6 * 2048], L4_ERASED);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_PG, L4_ERASE_NS);
    flash_l4g0_write_flash(&f, BASE + 2 * 2048, 0, 4, L4_ERASE_NS);
    flash_l4g0_write_flash(&f, BASE + 2 * 2048 + 4, 0, 4, L4_ERASE_NS);
    assert_true(flash_l4g0_read_reg(&f, L4_SR, L4_ERASE_NS) & L4_SR_WRPERR);
    assert_int_equal(flash[2 * 2048], 0x5A);
    flash_l4g0_write_reg(&f, L4_SR, L4_SR_WRPERR | L4_SR_PGSERR, L4_ERASE_NS);
    flash_l4g0_write_reg(&f, L4_CR, L4_CR_MER1 | L4_CR_STRT, L4_ERASE_NS);
    assert_true(flash_l4g0_read_reg(&f, L4_SR, L4_ERASE_NS) & L4_SR_WRPERR);
    assert_int_equal(flash[0], 0x5A);

    /* model: an erased pair protects nothing; a pair that disagrees, all of bank 1 */
    struct write_protection w = {.unit = 2048};
    fw_put_le32(ob.loaded + 0x18, 0xFFFFFFFFu);
    fw_put_le32(ob.loaded + 0x1C, 0xFFFFFFFFu);
    ob_load_write_protection(&ob, SIZE, 8, &w);
    assert_false(write_protected(&w, 0, SIZE));
    fw_put_le32(ob.loaded + 0x1C, 0x12345678u);
    ob_load_write_protection(&ob, SIZE, 8, &w);
    assert_true(write_protected(&w, SIZE - 8, 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_factory_and_levels),
        cmocka_unit_test(test_f1_complement_mismatch),
        cmocka_unit_test(test_l_families_complement_mismatch),
        cmocka_unit_test(test_f1_option_keys),
        cmocka_unit_test(test_f1_unprotection),
        cmocka_unit_test(test_f0_obl_launch),
        cmocka_unit_test(test_f4_options),
        cmocka_unit_test(test_l1_options),
        cmocka_unit_test(test_l4_options),
        cmocka_unit_test(test_f1_write_protection),
        cmocka_unit_test(test_f4_write_protection),
        cmocka_unit_test(test_l1_write_protection),
        cmocka_unit_test(test_l4_write_protection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
