/* SPDX-License-Identifier: MIT */
/* fwsim's quirks (--quirk NAME), one test per rule, each with the source of
 * the behaviour (the table in tools/fwsim/quirks.c says it in full). */
#include "support.h"

#include <string.h>

#include "fwkit/bytes.h"
#include "fwkit/target.h"

#include "sim_bench.h"

static fw_target_db *db;

static int setup(void **state)
{
    (void)state;
    db = builtin_db();
    return db ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fw_target_db_free(db);
    return 0;
}

/* firmware that spins at its reset vector: SP, then PC 0x08000009, b . */
static const uint8_t spin_firmware[] = {0x00, 0x50, 0x00, 0x20, 0x09, 0x00, 0x00, 0x08, 0xFE, 0xE7, 0xFE, 0xE7};

static void bench_up_with(struct sim_bench *b, const char *part, sim_quirks quirks, const uint8_t *firmware, size_t len)
{
    struct sim_bench_setup s = {.quirks = quirks, .firmware = firmware, .firmware_len = len};
    sim_bench_up(b, db, part, &s);
}

static void bench_up(struct sim_bench *b, const char *part, sim_quirks quirks)
{
    bench_up_with(b, part, quirks, NULL, 0);
}

static void bench_down(struct sim_bench *b)
{
    sim_bench_down(b);
}

static size_t command(struct stlink *p, const uint8_t *cdb, size_t n, uint8_t *r, size_t max)
{
    uint8_t block[16] = {0};
    memcpy(block, cdb, n);
    stlink_out(p, block, 16);
    return stlink_in(p, r, max);
}

static uint32_t reg(struct sim_bench *b, uint32_t addr)
{
    uint32_t v = 0;
    assert_int_equal(sim_target_read(&b->chip, addr, 4, &v), SIM_BUS_OK);
    return v;
}

static void set(struct sim_bench *b, uint32_t addr, uint32_t v)
{
    assert_int_equal(sim_target_write(&b->chip, addr, 4, v), SIM_BUS_OK);
}

/* every quirk has a name, a line of description and a written source */
static void test_table(void **state)
{
    (void)state;
    for (unsigned q = 0; q < QUIRK_COUNT; q++) {
        const struct sim_quirk_info *i = sim_quirk_info((sim_quirk)q);
        assert_non_null(i);
        assert_true(strlen(i->name) >= 3 && strlen(i->what) > 10 && strlen(i->source) > 10);
        sim_quirks set = 0;
        assert_true(sim_quirks_add(&set, i->name));
        assert_true(sim_quirk_on(set, (sim_quirk)q));
    }
    sim_quirks set = 0;
    assert_false(sim_quirks_add(&set, "kindness"));
    assert_int_equal(set, 0);
}

/* vdd-unsensed (UM1724 CN4 pin 1 wired by the user): the probe reads about
 * 10 mV on its VDD pin, and the target answers all the same */
static void test_vdd_unsensed(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32L476RG", 1u << QUIRK_VDD_UNSENSED);
    uint8_t r[16];
    const uint8_t volt[1] = {0xF7};
    assert_int_equal(command(&b.link, volt, 1, r, 8), 8);
    unsigned mv = (unsigned)(2400ull * fw_get_le32(r + 4) / fw_get_le32(r));
    assert_true(mv < 50);
    const uint8_t enter[3] = {0xF2, 0x30, 0xA3}, ids[2] = {0xF2, 0x31};
    command(&b.link, enter, 3, r, 2);
    assert_int_equal(command(&b.link, ids, 2, r, 12), 12);
    assert_int_equal(r[0], 0x80);
    assert_int_not_equal(fw_get_le32(r + 4), 0);
    bench_down(&b);
}

/* nrst-unwired (the connector's NRST pin left open): DRIVE_NRST answers OK
 * and the chip sees nothing: no reset, not held */
static void test_nrst_unwired(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32F103C8", 1u << QUIRK_NRST_UNWIRED);
    uint8_t r[16];
    const uint8_t low[3] = {0xF2, 0x3C, 0}; /* DRIVE_NRST low */
    assert_int_equal(command(&b.link, low, 3, r, 2), 2);
    assert_int_equal(r[0], 0x80);
    assert_false(b.core.held_in_reset);
    bench_down(&b);
    bench_up(&b, "STM32F103C8", 0);
    command(&b.link, low, 3, r, 2);
    assert_true(b.core.held_in_reset); /* wired, it holds the core */
    bench_down(&b);
}

/* stale-reply (pyOCD flushes the IN endpoint at open for it): the next IN
 * transfer gets the old reply first, as one short packet; a USB port reset
 * (USB 2.0 §9.1.1.3) drops it */
static void test_stale_reply(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32L100RB", 1u << QUIRK_STALE_REPLY);
    uint8_t r[16];
    const uint8_t version[1] = {0xF1};
    assert_true(stlink_has_reply(&b.link));
    assert_int_equal(command(&b.link, version, 1, r, 6), 2); /* the stale status, not the version */
    assert_int_equal(r[0], 0x80);
    assert_int_equal(stlink_in(&b.link, r, 6), 6); /* then the version */
    assert_int_equal(r[0] >> 4, 2);
    bench_down(&b);
    bench_up(&b, "STM32L100RB", 1u << QUIRK_STALE_REPLY);
    stlink_usb_reset(&b.link);
    assert_false(stlink_has_reply(&b.link));
    assert_int_equal(command(&b.link, version, 1, r, 6), 6);
    bench_down(&b);
}

/* stale-flags (RM0351 FLASH_SR: PGSERR when an operation starts with an
 * earlier error flag still set; flags clear by writing 1): an L476 refuses
 * to program until they are cleared; an F103 shows them until cleared */
static void test_stale_flags(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32L476RG", 1u << QUIRK_STALE_FLAGS);
    const uint32_t keyr = 0x40022008, sr = 0x40022010, cr = 0x40022014;
    assert_true(reg(&b, sr) & (L4_SR_PROGERR | L4_SR_PGAERR | L4_SR_WRPERR));
    set(&b, keyr, FLASH_KEY1);
    set(&b, keyr, FLASH_KEY2);
    set(&b, cr, 1); /* PG */
    set(&b, 0x08000000, 0x11111111);
    set(&b, 0x08000004, 0x22222222);
    b.chip.now_ns += 1000000;
    assert_true(reg(&b, sr) & L4_SR_PGSERR);
    assert_int_equal(reg(&b, 0x08000000), 0xFFFFFFFF); /* refused */
    set(&b, sr, reg(&b, sr)); /* write 1 to clear */
    assert_int_equal(reg(&b, sr) & 0xFFFF, 0);
    set(&b, 0x08000000, 0x11111111);
    set(&b, 0x08000004, 0x22222222);
    b.chip.now_ns += 1000000;
    assert_int_equal(reg(&b, 0x08000000), 0x11111111);
    bench_down(&b);

    bench_up(&b, "STM32F103C8", 1u << QUIRK_STALE_FLAGS);
    assert_true(reg(&b, 0x4002200C) & (FPEC_SR_PGERR | FPEC_SR_WRPRTERR));
    set(&b, 0x4002200C, FPEC_SR_PGERR | FPEC_SR_WRPRTERR | FPEC_SR_EOP);
    assert_int_equal(reg(&b, 0x4002200C) & (FPEC_SR_PGERR | FPEC_SR_WRPRTERR), 0);
    bench_down(&b);
    bench_up(&b, "STM32F103C8", 0);
    assert_int_equal(reg(&b, 0x4002200C) & (FPEC_SR_PGERR | FPEC_SR_WRPRTERR), 0); /* without the quirk: clean */
    bench_down(&b);
}

/* key-lockout (RM0090 §3.5.1: a wrong key sequence locks FLASH_CR until the
 * next reset): the right keys do not unlock; after a system reset they do */
static void test_key_lockout(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32F407VG", 1u << QUIRK_KEY_LOCKOUT);
    const uint32_t keyr = 0x40023C04, cr = 0x40023C10;
    set(&b, keyr, FLASH_KEY1);
    set(&b, keyr, FLASH_KEY2);
    assert_true(reg(&b, cr) & (1u << 31)); /* LOCK */
    sim_target_reset(&b.chip);
    set(&b, keyr, FLASH_KEY1);
    set(&b, keyr, FLASH_KEY2);
    assert_false(reg(&b, cr) & (1u << 31));
    bench_down(&b);
}

/* wait-partial (ADIv5 §4.2: WAIT is answered access by access): the first
 * WRITEMEM of 16 bytes or more into flash lands half, then WAIT, and
 * GETLASTRWSTATUS2 names the first address that did not land; once */
static void test_wait_partial(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32F103C8", 1u << QUIRK_WAIT_PARTIAL);
    set(&b, 0x40022004, FLASH_KEY1);
    set(&b, 0x40022004, FLASH_KEY2);
    set(&b, 0x40022010, 1); /* PG */
    uint8_t data[32], r[16];
    for (int i = 0; i < 32; i++)
        data[i] = (uint8_t)(0x10 + i);
    const uint8_t enter[3] = {0xF2, 0x30, 0xA3};
    command(&b.link, enter, 3, r, 2);
    uint8_t w[16] = {0xF2, 0x48}; /* WRITEMEM_16BIT */
    fw_put_le32(w + 2, 0x08000000);
    w[6] = 32;
    stlink_out(&b.link, w, 16);
    stlink_out(&b.link, data, 32);
    b.chip.now_ns += 10000000;
    const uint8_t status2[2] = {0xF2, 0x3E};
    assert_int_equal(command(&b.link, status2, 2, r, 12), 12);
    assert_int_equal(r[0], 0x10); /* AP WAIT */
    assert_int_equal(fw_get_le32(r + 4), 0x08000010);
    assert_int_equal(reg(&b, 0x08000000), 0x13121110);
    assert_int_equal(reg(&b, 0x08000010), 0xFFFFFFFF);
    /* the rest, sent again from there, lands: the quirk fired once */
    fw_put_le32(w + 2, 0x08000010);
    w[6] = 16;
    stlink_out(&b.link, w, 16);
    stlink_out(&b.link, data + 16, 16);
    b.chip.now_ns += 10000000;
    command(&b.link, status2, 2, r, 12);
    assert_int_equal(r[0], 0x80);
    assert_int_equal(reg(&b, 0x0800001C), 0x2F2E2D2C);
    bench_down(&b);
}

/* iwdg (the IWDG chapter of RM0008: started, it counts down at LSI/4 from
 * 0xFFF and resets the chip at 0; DBGMCU_CR DBG_IWDG_STOP stops it while the
 * core is halted; a system reset stops a software-started one) */
static void test_iwdg(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32F103C8", 1u << QUIRK_IWDG);
    assert_true(b.chip.iwdg.running);
    b.core.state = CORE_HALTED;
    uint64_t period_ns = 4096ull * 4 * 1000000 / 40; /* 409.6 ms at 40 kHz */
    set(&b, 0xE0042004, 0x100);                      /* DBG_IWDG_STOP */
    sim_core_run_for(&b.core, 2 * period_ns);
    assert_int_equal(b.chip.iwdg.resets, 0); /* frozen while halted */
    set(&b, 0xE0042004, 0);
    sim_core_run_for(&b.core, period_ns / 2);
    set(&b, 0x40003000, 0xAAAA); /* a reload starts the period again */
    sim_core_run_for(&b.core, period_ns * 3 / 4);
    assert_int_equal(b.chip.iwdg.resets, 0);
    sim_core_run_for(&b.core, period_ns / 2);
    assert_int_equal(b.chip.iwdg.resets, 1); /* halted is not frozen without the bit */
    assert_false(b.chip.iwdg.running);       /* the reset stopped a software-started watchdog */
    bench_down(&b);
}

/* hw-iwdg (the IWDG chapter: with the hardware-watchdog option bit it
 * starts at every reset), and the DBGMCU bit survives the system reset */
static void test_hw_iwdg(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32L476RG", 1u << QUIRK_HW_IWDG);
    set(&b, 0xE0042008, 0x1000); /* DBG_IWDG_STOP (APB1FZR1) */
    sim_core_system_reset(&b.core);
    assert_true(b.chip.iwdg.running);
    assert_true(sim_target_watchdog_frozen(&b.chip));
    bench_down(&b);
}

/* dma (the DMA, RCC and DBGMCU sections of RM0008): channel 1 writes the
 * start of SRAM while clocked and enabled, also while the core is halted;
 * DBG_TIM2_STOP stops it while halted, clearing EN or DMA1EN stops it, and
 * a system reset stops it */
static void test_dma(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32F103C8", 1u << QUIRK_DMA);
    b.core.state = CORE_HALTED;
    set(&b, 0x20000000, 0x12345678);
    sim_core_run_for(&b.core, 100000);
    assert_int_not_equal(reg(&b, 0x20000000), 0x12345678); /* halted is not frozen */
    assert_int_equal(reg(&b, 0x20000000) >> 20, 0xD3A);
    set(&b, 0x20000000, 0x12345678);
    set(&b, 0x20000100, 0x9ABCDEF0);
    set(&b, 0xE0042004, 0x800); /* DBG_TIM2_STOP */
    sim_core_run_for(&b.core, 100000);
    assert_int_equal(reg(&b, 0x20000000), 0x12345678);
    assert_int_equal(reg(&b, 0x20000100), 0x9ABCDEF0); /* past its 256 bytes: never */
    set(&b, 0xE0042004, 0);
    set(&b, 0x40020008, 0); /* DMA_CCR1: EN off */
    sim_core_run_for(&b.core, 100000);
    assert_int_equal(reg(&b, 0x20000000), 0x12345678);
    set(&b, 0x40020008, 1);
    set(&b, 0x40021014, 0); /* RCC_AHBENR: DMA1EN off */
    sim_core_run_for(&b.core, 100000);
    assert_int_equal(reg(&b, 0x20000000), 0x12345678);
    set(&b, 0x40021014, 1);
    sim_core_run_for(&b.core, 100000);
    assert_int_not_equal(reg(&b, 0x20000000), 0x12345678);
    sim_core_system_reset(&b.core);
    b.core.state = CORE_HALTED;
    set(&b, 0x20000000, 0x12345678);
    sim_core_run_for(&b.core, 100000);
    assert_int_equal(reg(&b, 0x20000000), 0x12345678);
    bench_down(&b);
    /* a stream controller (RM0090: DMA1 at 0x40026000, S0CR, AHB1ENR bit 21) */
    bench_up(&b, "STM32F407VG", 1u << QUIRK_DMA);
    b.core.state = CORE_HALTED;
    assert_int_equal(reg(&b, 0x40026010) & 1, 1);
    assert_int_equal(reg(&b, 0x40023830) & 0x200000, 0x200000);
    set(&b, 0x20000000, 0x12345678);
    sim_core_run_for(&b.core, 100000);
    assert_int_not_equal(reg(&b, 0x20000000), 0x12345678);
    bench_down(&b);
}

/* a loop the core runs: b . at the reset vector's target, from SRAM */
static void spin_in_sram(struct sim_bench *b)
{
    set(b, 0x20000000, 0xE7FEE7FE); /* b . ; b . */
    assert_true(sim_core_write_reg(&b->core, 15, 0x20000000));
}

/* slow-clock (RM0008 RCC_CFGR HPRE /512 of the 8 MHz HSI; a system reset
 * restores the reset clock): the core runs 512 times fewer instructions in
 * the same time, until a reset */
static void test_slow_clock(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32F103C8", 1u << QUIRK_SLOW_CLOCK);
    assert_int_equal(b.chip.core_khz, 15);
    b.core.state = CORE_HALTED;
    spin_in_sram(&b);
    b.core.state = CORE_RUNNING;
    uint64_t before = b.core.instructions;
    sim_core_run_for(&b.core, 10000000); /* 10 ms */
    uint64_t slow = b.core.instructions - before;
    assert_true(slow > 100 && slow < 200); /* 150 at 15 kHz */
    sim_core_system_reset(&b.core);
    assert_int_equal(b.chip.core_khz, 8000);
    b.core.state = CORE_HALTED;
    spin_in_sram(&b);
    b.core.state = CORE_RUNNING;
    before = b.core.instructions;
    sim_core_run_for(&b.core, 10000000);
    assert_true(b.core.instructions - before > 70000);
    bench_down(&b);
    bench_up(&b, "STM32L100RB", 1u << QUIRK_SLOW_CLOCK);
    assert_int_equal(b.chip.core_khz, 65); /* MSI range 0 (RM0038) */
    bench_down(&b);
}

/* blank-l1 (ARMv7-M B1.5.5: the reset loads EPSR.T from bit 0 of the reset
 * vector; B1.4.2: executing with T 0 faults): on a blank L1 (reset vector 0)
 * code started from SRAM by setting PC faults; writing xPSR.T too runs it.
 * A programmed L1, or an F1 (blank reads 0xFF: bit 0 is 1), is not affected */
static void test_blank_l1(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32L100RB", 1u << QUIRK_BLANK_L1);
    b.core.debug_ctrl = 1;
    b.core.demcr = 1; /* VC_CORERESET */
    sim_core_system_reset(&b.core);
    assert_int_equal(b.core.state, CORE_HALTED);
    uint32_t xpsr = 0;
    assert_true(sim_core_read_reg(&b.core, 16, &xpsr));
    assert_int_equal(xpsr & (1u << 24), 0);
    spin_in_sram(&b);
    b.core.state = CORE_RUNNING;
    sim_core_run_for(&b.core, 1000000);
    assert_true(b.core.faulted);
    assert_true(b.core.cfsr & (1u << 17)); /* INVSTATE */
    sim_core_system_reset(&b.core);
    spin_in_sram(&b);
    assert_true(sim_core_write_reg(&b.core, 16, 0x01000000));
    b.core.state = CORE_RUNNING;
    sim_core_run_for(&b.core, 1000000);
    assert_false(b.core.faulted);
    bench_down(&b);
    bench_up(&b, "STM32F103C8", 1u << QUIRK_BLANK_L1);
    b.core.debug_ctrl = 1;
    b.core.demcr = 1;
    sim_core_system_reset(&b.core);
    spin_in_sram(&b);
    b.core.state = CORE_RUNNING;
    sim_core_run_for(&b.core, 1000000);
    assert_false(b.core.faulted);
    bench_down(&b);
}

/* obl-drop (OpenOCD's stm32l4x.c: the OBL_LAUNCH write answers
 * SWD_DP_ERROR though it landed, and so does what follows, until debug mode
 * is entered again) */
static void test_obl_drop(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32L476RG", 1u << QUIRK_OBL_DROP);
    uint8_t r[16];
    const uint8_t enter[3] = {0xF2, 0x30, 0xA3};
    command(&b.link, enter, 3, r, 2);
    const uint32_t keyr = 0x40022008, optkeyr = 0x4002200C, cr = 0x40022014;
    set(&b, keyr, FLASH_KEY1);
    set(&b, keyr, FLASH_KEY2);
    set(&b, optkeyr, 0x08192A3B);
    set(&b, optkeyr, 0x4C5D6E7F);
    uint8_t w[16] = {0xF2, 0x35}; /* WRITEDEBUGREG */
    fw_put_le32(w + 2, cr);
    fw_put_le32(w + 6, 1u << 27); /* OBL_LAUNCH */
    assert_int_equal(command(&b.link, w, 16, r, 2), 2);
    assert_int_equal(r[0], 0x16); /* SWD_DP_ERROR */
    assert_int_equal(b.chip.obl_reloads, 1); /* it landed */
    uint8_t rd[16] = {0xF2, 0x36}; /* READDEBUGREG */
    fw_put_le32(rd + 2, 0xE000EDF0);
    assert_int_equal(command(&b.link, rd, 16, r, 8), 8);
    assert_int_equal(r[0], 0x16);
    command(&b.link, enter, 3, r, 2);
    assert_int_equal(command(&b.link, rd, 16, r, 8), 8);
    assert_int_equal(r[0], 0x80);
    bench_down(&b);
}

/* swd-lost (the firmware turns the debug port off; a reset gives the pins
 * back; connect under reset reaches the core before the firmware runs) */
static void test_swd_lost(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up_with(&b, "STM32F103C8", 1u << QUIRK_SWD_LOST, spin_firmware, sizeof(spin_firmware));
    uint8_t r[16];
    const uint8_t enter[3] = {0xF2, 0x30, 0xA3}, ids[2] = {0xF2, 0x31};
    command(&b.link, enter, 3, r, 2);
    assert_int_equal(command(&b.link, ids, 2, r, 12), 12);
    assert_int_not_equal(r[0], 0x80); /* nothing answers */
    const uint8_t low[3] = {0xF2, 0x3C, 0}, high[3] = {0xF2, 0x3C, 1};
    command(&b.link, low, 3, r, 2); /* NRST held: the pins are the debug port's */
    command(&b.link, enter, 3, r, 2);
    assert_int_equal(command(&b.link, ids, 2, r, 12), 12);
    assert_int_equal(r[0], 0x80);
    command(&b.link, high, 3, r, 2); /* let go, not halted: the firmware runs */
    sim_core_run_for(&b.core, SWD_LOST_NS / 2);
    assert_true(sim_target_debug_port_on(&b.chip));
    sim_core_run_for(&b.core, SWD_LOST_NS);
    assert_false(sim_target_debug_port_on(&b.chip));
    /* once other firmware is in flash, it keeps the port */
    command(&b.link, low, 3, r, 2);
    b.chip.flash->bytes[0] ^= 0xFF;
    command(&b.link, high, 3, r, 2);
    sim_core_run_for(&b.core, 4 * SWD_LOST_NS);
    assert_true(sim_target_debug_port_on(&b.chip));
    bench_down(&b);
}

/* bank-option (RM0090 FLASH_OPTCR DB1M; RM0440 FLASH_OPTR DBANK): an
 * F429ZG in dual-bank mode has no sector 8, its bank 2 starts with 16 KiB
 * sector 12 (SNB 16) at 0x08080000; a G474RE in single-bank mode has 4 KiB
 * pages; parts without the choice are as they were */
static void f4_erase(struct sim_bench *b, uint32_t snb)
{
    if (reg(b, 0x40023C10) & F4_CR_LOCK) { /* keys again when unlocked would lock it out */
        set(b, 0x40023C04, FLASH_KEY1);
        set(b, 0x40023C04, FLASH_KEY2);
    }
    set(b, 0x40023C0C, reg(b, 0x40023C0C)); /* the flags cleared */
    set(b, 0x40023C10, 2u | snb << 3);       /* SER, SNB */
    set(b, 0x40023C10, 2u | snb << 3 | 1u << 16);
    b->chip.now_ns += 5000000000ull;
    sim_target_flash_idle_at(&b->chip);
}

static void test_bank_option(void **state)
{
    (void)state;
    struct sim_bench b;
    for (int quirk = 0; quirk < 2; quirk++) {
        bench_up(&b, "STM32F429ZG", quirk ? 1u << QUIRK_BANK_OPTION : 0);
        assert_int_equal(!!(reg(&b, 0x40023C14) & (1u << 30)), quirk); /* DB1M */
        memset(b.chip.flash->bytes + 0x80000, 0, 0x20000);
        f4_erase(&b, 8);
        if (quirk) {
            assert_true(reg(&b, 0x40023C0C) & F4_SR_PGSERR); /* no sector 8 in dual-bank mode */
            assert_int_equal(reg(&b, 0x08080000), 0);
            f4_erase(&b, 16); /* sector 12 */
            assert_int_equal(reg(&b, 0x08080000), 0xFFFFFFFF);
            assert_int_equal(reg(&b, 0x08084000), 0); /* 16 KiB only */
        } else {
            assert_int_equal(reg(&b, 0x08080000), 0xFFFFFFFF);
            assert_int_equal(reg(&b, 0x0809FFFC), 0xFFFFFFFF); /* 128 KiB */
        }
        bench_down(&b);
    }
    bench_up(&b, "STM32G474RE", 1u << QUIRK_BANK_OPTION);
    assert_int_equal(reg(&b, 0x40022020) & (1u << 22), 0); /* DBANK clear: one bank */
    assert_int_equal(b.chip.ctl.l4g0.page_size, 4096);
    bench_down(&b);
    bench_up(&b, "STM32G474RE", 0);
    assert_int_equal(b.chip.ctl.l4g0.page_size, 2048);
    bench_down(&b);
    bench_up(&b, "STM32F103C8", 1u << QUIRK_BANK_OPTION); /* no choice: nothing changes */
    assert_int_equal(b.chip.ctl.f0f1f3.page_size, 1024);
    bench_down(&b);
}

/* --probe-version (OpenOCD's stlink_usb.c, stlink_usb_version: the V2
 * gates J13 voltage, J15 GETLASTRWSTATUS2, J22 SWD clock, J24 JTAG clock,
 * J26 16-bit access): the firmware reports that version, and a command it
 * lacks answers as an unknown one and is counted */
static void test_probe_version(void **state)
{
    (void)state;
    struct sim_bench b;
    bench_up(&b, "STM32F103C8", 0);
    assert_false(stlink_set_version(&b.link, "V2J"));
    assert_false(stlink_set_version(&b.link, "V4J1"));
    assert_false(stlink_set_version(&b.link, "V2J21S4x"));
    assert_true(stlink_set_version(&b.link, "V2J21S4"));
    assert_int_equal(b.link.kind, STLINK_V2);
    uint8_t r[16];
    const uint8_t version[1] = {0xF1};
    assert_int_equal(command(&b.link, version, 1, r, 6), 6);
    assert_int_equal((r[0] << 8 | r[1]) >> 6 & 0x3F, 21);
    const uint8_t swd_freq[4] = {0xF2, 0x43, 1, 0}, status2[2] = {0xF2, 0x3E};
    assert_int_equal(command(&b.link, swd_freq, 4, r, 2), 2);
    assert_int_equal(r[0], 0x42);
    assert_int_equal(b.link.stats.unsupported, 1);
    assert_int_equal(command(&b.link, status2, 2, r, 12), 12); /* J15 <= 21: there */
    assert_int_equal(b.link.stats.unsupported, 1);
    assert_true(stlink_set_version(&b.link, "V2J14M3"));
    assert_int_equal(b.link.kind, STLINK_V2_1);
    assert_int_equal(command(&b.link, status2, 2, r, 12), 2);
    assert_int_equal(b.link.stats.unsupported, 2);
    assert_int_equal(stlink_command_min_jtag(0xF2, 0x48), 26);
    assert_int_equal(stlink_command_min_jtag(0xF7, 0), 13);
    assert_true(stlink_set_version(&b.link, "V3J2"));
    assert_int_equal(b.link.kind, STLINK_V3);
    assert_int_equal(command(&b.link, status2, 2, r, 12), 12); /* a V3 has them all */
    assert_int_equal(b.link.stats.unsupported, 2);
    bench_down(&b);
}

/* JTAG, always (OpenOCD's stlink_usb.c: in JTAG mode the ST-Link leaves the
 * MEM-AP's TAR to auto-increment, and the host to split at its block; ARM IHI
 * 0031C §7.2.2: 1 KiB at least, 4 KiB on Cortex-M3/M4): a block across the
 * boundary wraps to the block's start; over SWD it does not */
static void test_jtag_autoincrement_wrap(void **state)
{
    (void)state;
    const struct {
        const char *part;
        uint32_t boundary, block;
    } cases[] = {{"STM32F103C8", 0x20001000, 4096}, {"STM32F767ZI", 0x20000400, 1024}}; /* M3; M7: 1 KiB */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int jtag = 0; jtag < 2; jtag++) {
            struct sim_bench b;
            bench_up(&b, cases[i].part, 0);
            uint8_t r[16], data[16];
            for (int k = 0; k < 16; k++)
                data[k] = (uint8_t)(0xA0 + k);
            const uint8_t enter[3] = {0xF2, 0x30, (uint8_t)(jtag ? 0xA4 : 0xA3)};
            command(&b.link, enter, 3, r, 2);
            uint8_t w[16] = {0xF2, 0x08}; /* WRITEMEM_32BIT */
            uint32_t at = cases[i].boundary - 8, base = cases[i].boundary - cases[i].block;
            fw_put_le32(w + 2, at);
            w[6] = 16;
            stlink_out(&b.link, w, 16);
            stlink_out(&b.link, data, 16);
            assert_int_equal(reg(&b, at), 0xA3A2A1A0);
            if (jtag) {
                assert_int_equal(reg(&b, base), 0xABAAA9A8); /* wrapped to the block's start */
                assert_int_not_equal(reg(&b, cases[i].boundary), 0xABAAA9A8);
            } else {
                assert_int_equal(reg(&b, cases[i].boundary), 0xABAAA9A8);
            }
            bench_down(&b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_vdd_unsensed),
        cmocka_unit_test(test_nrst_unwired),
        cmocka_unit_test(test_stale_reply),
        cmocka_unit_test(test_stale_flags),
        cmocka_unit_test(test_key_lockout),
        cmocka_unit_test(test_wait_partial),
        cmocka_unit_test(test_iwdg),
        cmocka_unit_test(test_hw_iwdg),
        cmocka_unit_test(test_dma),
        cmocka_unit_test(test_slow_clock),
        cmocka_unit_test(test_blank_l1),
        cmocka_unit_test(test_obl_drop),
        cmocka_unit_test(test_swd_lost),
        cmocka_unit_test(test_bank_option),
        cmocka_unit_test(test_probe_version),
        cmocka_unit_test(test_jtag_autoincrement_wrap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
