/* SPDX-License-Identifier: MIT */
/* fwsim's target: memories, identification registers and flash controller
 * built from the built-in STM32 database, for one part of each modelled
 * family (the parts the fwsim issue names). */
#include "support.h"

#include <string.h>

#include "fwkit/target.h"

#include "../../tools/fwsim/emulated_chip.h"

static fw_target_db *db;

static int load_db(void **state)
{
    (void)state;
    db = builtin_db();
    return db ? 0 : -1;
}

static int free_db(void **state)
{
    (void)state;
    fw_target_db_free(db);
    return 0;
}

static void part(struct sim_target *s, const char *name)
{
    size_t n = 0;
    const fw_target *t = fw_target_find(db, name, NULL, 0, &n);
    assert_non_null(t);
    assert_true(sim_target_init(s, t, 0x1000));
}

static uint32_t rd(struct sim_target *s, uint32_t addr, unsigned size)
{
    uint32_t v = 0xDEADBEEF;
    assert_int_equal(sim_target_read(s, addr, size, &v), SIM_BUS_OK);
    return v;
}

static void wr(struct sim_target *s, uint32_t addr, unsigned size, uint32_t v)
{
    assert_int_equal(sim_target_write(s, addr, size, v), SIM_BUS_OK);
}

/* stlink-org/stlink chipid.c: what st-info reads: DBGMCU IDCODE, F_SIZE, CPUID, for each family's representative */
static void test_identification(void **state)
{
    (void)state;
    static const struct {
        const char *part;
        uint32_t idcode_addr, dev_id, fsize_addr, fsize_kib, cpuid;
    } cases[] = {
        {"STM32L100RB", 0xE0042000, 0x416, 0x1FF8004C, 128, 0x412FC230},
        {"STM32F103C8", 0xE0042000, 0x410, 0x1FFFF7E0, 64, 0x411FC231},
        {"STM32F407VG", 0xE0042000, 0x413, 0x1FFF7A22, 1024, 0x410FC241},
        {"STM32L476RG", 0xE0042000, 0x415, 0x1FFF75E0, 1024, 0x410FC241},
        {"STM32G071RB", 0x40015800, 0x460, 0x1FFF75E0, 128, 0x410CC600},
        /* the Cortex-M33 parts (ARMv8-M D1.2.3: PARTNO 0xD21), DBGMCU where RM0438 and RM0456 put it */
        {"STM32L552ZE", 0xE0044000, 0x472, 0x0BFA05E0, 512, 0x410FD210},
        {"STM32U575ZI", 0xE0044000, 0x482, 0x0BFA07A0, 2048, 0x410FD210},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sim_target s;
        print_message("# %s\n", cases[i].part);
        part(&s, cases[i].part);
        assert_int_equal(rd(&s, cases[i].idcode_addr, 4) & 0xFFFF0FFF, 0x10000000u | cases[i].dev_id);
        assert_int_equal(rd(&s, cases[i].fsize_addr, 2), cases[i].fsize_kib);
        assert_int_equal(rd(&s, cases[i].fsize_addr & ~3u, 4) >> (8 * (cases[i].fsize_addr & 3)) & 0xFFFF,
                         cases[i].fsize_kib);
        assert_int_equal(rd(&s, 0xE000ED00, 4), cases[i].cpuid);
        sim_target_free(&s);
    }
}

/* the family's reference manual: the erased value per family, seen in flash and through the boot alias */
static void test_erased_flash_and_boot_alias(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32L100RB");
    assert_int_equal(rd(&s, 0x08000000, 4), 0x00000000);
    assert_int_equal(rd(&s, 0x0801FFFC, 4), 0x00000000);
    sim_target_free(&s);
    part(&s, "STM32F103C8");
    assert_int_equal(rd(&s, 0x08000000, 4), 0xFFFFFFFF);
    assert_int_equal(rd(&s, 0x00000000, 4), 0xFFFFFFFF);
    uint32_t v;
    assert_int_equal(sim_target_read(&s, 0x08010000, 4, &v), SIM_BUS_FAULT); /* past the 64 KiB */
    assert_int_equal(sim_target_write(&s, 0x00000000, 2, 0), SIM_BUS_FAULT); /* not through the alias */
    sim_target_free(&s);
}

/* RM0377 RCC_CR and RCC_CFGR: HSI16RDYF follows HSI16ON, SWS shows the
 * clock SW selected (what OpenOCD's stm32l0.cfg waits for at reset-init) */
static void test_clock_ready_flags_follow(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32L053R8");
    assert_int_equal(rd(&s, 0x40021000, 4) & 0x4, 0);
    wr(&s, 0x40021000, 4, 0x101);
    assert_int_equal(rd(&s, 0x40021000, 4) & 0x4, 0x4);
    wr(&s, 0x4002100C, 4, 0x1);
    assert_int_equal(rd(&s, 0x4002100C, 4) & 0xC, 0x4);
    assert_int_equal(rd(&s, 0x4002100C, 1) & 0xC, 0x4); /* a byte read sees it too */
    sim_target_reset(&s);                            /* the reset values come back */
    assert_int_equal(rd(&s, 0x4002100C, 4) & 0xF, 0);
    sim_target_free(&s);
}

/* RM0433 (H74x/H75x): what ST's start-up and SystemClock_Config wait for.
 * PWR_CSR1 ACTVOSRDY (bit 13, ExitRun0Mode) and PWR_D3CR VOSRDY (13) read
 * ready; RCC_CR HSERDY (17) follows HSEON (16), PLL1RDY (25) PLL1ON (24),
 * D1CKRDY (14) reads set while the core runs; RCC_CFGR SWS (5:3) shows SW
 * (2:0); D2CKRDY (15) is left as written (the CM4's domain: on the
 * dual-core parts core.c sets it from the target data's second-domain line) */
static void test_h7_power_and_clock_ready_flags(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32H743ZI");
    assert_int_equal(rd(&s, 0x58024804, 4) & 0x2000, 0x2000);
    assert_int_equal(rd(&s, 0x58024818, 4) & 0x2000, 0x2000);
    assert_int_equal(rd(&s, 0x58024400, 4) & 0x24000, 0x4000);
    wr(&s, 0x58024400, 4, 0x10000);
    assert_int_equal(rd(&s, 0x58024400, 4) & 0x20000, 0x20000);
    wr(&s, 0x58024400, 4, 0x1010000);
    assert_int_equal(rd(&s, 0x58024400, 4) & 0x2020000, 0x2020000);
    wr(&s, 0x58024400, 4, 0x10000); /* PLL1 off: its ready flag falls */
    assert_int_equal(rd(&s, 0x58024400, 4) & 0x2000000, 0);
    assert_int_equal(rd(&s, 0x58024400, 4) & 0x8000, 0);
    wr(&s, 0x58024410, 4, 0x3);
    assert_int_equal(rd(&s, 0x58024410, 4) & 0x38, 0x18);
    sim_target_free(&s);
}

/* RM0453 (WL): what ST's SystemClock_Config waits for. RCC_CR MSIRDY (1),
 * HSIRDY (10), HSERDY (17) and PLLRDY (25) follow MSION (0), HSION (8),
 * HSEON (16) and PLLON (24); RCC_CFGR SWS (3:2) shows SW (1:0); RCC_BDCR
 * LSERDY (1) and LSESYSRDY (11) follow LSEON (0) and LSESYSEN (7); RCC_CSR
 * LSIRDY (1) follows LSION (0) */
static void test_wl_clock_ready_flags(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32WL55JC");
    assert_int_equal(rd(&s, 0x58000000, 4) & 0x2020402, 0);
    wr(&s, 0x58000000, 4, 0x1010101);
    assert_int_equal(rd(&s, 0x58000000, 4) & 0x2020402, 0x2020402);
    wr(&s, 0x58000000, 4, 0x10001); /* HSI and the PLL off: their flags fall */
    assert_int_equal(rd(&s, 0x58000000, 4) & 0x2020402, 0x20002);
    wr(&s, 0x58000008, 4, 0x3);
    assert_int_equal(rd(&s, 0x58000008, 4) & 0xC, 0xC);
    assert_int_equal(rd(&s, 0x58000090, 4) & 0x802, 0);
    wr(&s, 0x58000090, 4, 0x81);
    assert_int_equal(rd(&s, 0x58000090, 4) & 0x802, 0x802);
    wr(&s, 0x58000094, 4, 0x1);
    assert_int_equal(rd(&s, 0x58000094, 4) & 0x2, 0x2);
    sim_target_free(&s);
}

/* The core's clock follows the loader-clock line's register: RM0456
 * RCC_ICSCR1 MSISRANGE 1 with MSIRGSEL runs the U5 at 24 MHz (its FLASH_ACR
 * wait states read back as written); another range, or a system reset,
 * brings the 4 MHz MSIS of reset back; RM0351 RCC_CR MSIRANGE 9 with
 * MSIRGSEL, as OpenOCD's stm32l4x.cfg writes it at reset-init, alike */
static void test_core_clock_follows_the_clock_register(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32U575ZI");
    assert_int_equal(s.core_khz, 4000);
    wr(&s, 0x40022000, 4, 2);
    assert_int_equal(rd(&s, 0x40022000, 4) & 0xF, 2);
    wr(&s, 0x46020C08, 4, 0x14800000);
    assert_int_equal(s.core_khz, 24000);
    wr(&s, 0x46020C08, 4, 0x34800000); /* 12 MHz: a setting not modelled */
    assert_int_equal(s.core_khz, 4000);
    wr(&s, 0x46020C08, 4, 0x14800000);
    sim_target_reset(&s);
    assert_int_equal(s.core_khz, 4000);
    assert_int_equal(rd(&s, 0x40022000, 4) & 0xF, 0);
    sim_target_free(&s);
    part(&s, "STM32L476RG");
    wr(&s, 0x40021000, 4, 0x99);
    assert_int_equal(s.core_khz, 24000);
    sim_target_free(&s);
    part(&s, "STM32F407VG"); /* no line: the reset clock stays */
    wr(&s, 0x40023800, 4, 0x99);
    assert_int_equal(s.core_khz, 16000);
    sim_target_free(&s);
}

/* RM0008 §3.4, RM0351 §2.6: BOOT0 high boots system memory; the alias at 0
 * shows it and MEM_MODE resets to it (RM0038 §7.5.1: L1's read-only BOOT_MODE) */
static void test_boot0_pin_boots_system_memory(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32L476RG");
    assert_int_equal(rd(&s, 0x40010000, 4) & 7, 0); /* MEM_MODE: flash */
    s.boot0_pin = true;
    sim_target_reset(&s);
    assert_int_equal(s.boot_memory, SIM_BOOT_SYSTEM);
    assert_int_equal(rd(&s, 0x40010000, 4) & 7, 1); /* system memory */
    assert_int_equal(rd(&s, 0x00000000, 4), rd(&s, 0x1FFF0000, 4)); /* the alias shows it */
    sim_target_free(&s);
    part(&s, "STM32L100RB");
    s.boot0_pin = true;
    sim_target_reset(&s);
    assert_int_equal(rd(&s, 0x40010000, 4) >> 8 & 3, 1); /* BOOT_MODE */
    sim_target_free(&s);
}

/* RM0444 §2.5: nBOOT_SEL=1 takes BOOT0 from nBOOT0, ignoring the pin;
 * nBOOT_SEL=0 takes the pin; BOOT0=1 with nBOOT1=0 boots SRAM */
static void test_g0_boot_option_bits(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32G071RB");
    s.flash_empty = false;
    uint32_t optr = rd(&s, 0x40022020, 4);
    assert_true(optr & (1u << 24) && optr & (1u << 25) && optr & (1u << 26)); /* factory: nBOOT_SEL, nBOOT1, nBOOT0 set */
    s.boot0_pin = true;
    sim_target_reset(&s);
    assert_int_equal(s.boot_memory, SIM_BOOT_FLASH); /* the pin is ignored */
    /* the loaded OPTR as the controller shows it (a reset reloads it from
     * the option bytes, so it is set after) */
    s.ctl.l4g0.optr = optr & ~(1u << 24); /* nBOOT_SEL=0: the pin counts */
    sim_boot_reset(&s);
    assert_int_equal(s.boot_memory, SIM_BOOT_SYSTEM);
    s.ctl.l4g0.optr = optr & ~((1u << 24) | (1u << 25)); /* and nBOOT1=0: SRAM */
    sim_boot_reset(&s);
    assert_int_equal(s.boot_memory, SIM_BOOT_SRAM);
    sim_target_free(&s);
}

/* RM0444 §2.5 and FLASH_ACR: EMPTY is latched at power-on (and OBL_LAUNCH)
 * from the first word of flash; with it, "boot from flash" boots system
 * memory; a reset does not run the check again; software may clear it */
static void test_g0_empty_check(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32G071RB");
    assert_true(rd(&s, 0x40022000, 4) & (1u << 16)); /* blank at power-on */
    sim_target_reset(&s);
    assert_int_equal(s.boot_memory, SIM_BOOT_SYSTEM);
    s.flash->bytes[0] = 0x00; /* programmed since */
    sim_target_reset(&s);
    assert_int_equal(s.boot_memory, SIM_BOOT_SYSTEM); /* a reset does not look again */
    wr(&s, 0x40022000, 4, rd(&s, 0x40022000, 4) & ~(1u << 16));
    assert_false(rd(&s, 0x40022000, 4) & (1u << 16));
    sim_target_reset(&s);
    assert_int_equal(s.boot_memory, SIM_BOOT_FLASH);
    s.flash->bytes[0] = 0xFF;
    sim_target_power_on(&s); /* the check runs again */
    assert_true(rd(&s, 0x40022000, 4) & (1u << 16));
    sim_target_free(&s);
}

/* RM0433 §2.6: the H7 boots from BOOT_ADD0 (BOOT0 low) or BOOT_ADD1 (high),
 * factory 0x0800 and 0x1FF0 in FLASH_BOOT_CURR */
static void test_h7_boot_addresses(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32H743ZI");
    sim_target_reset(&s);
    assert_int_equal(rd(&s, 0x52002040, 4), 0x1FF00800);
    assert_int_equal(s.reset_vtor, 0x08000000);
    s.boot0_pin = true;
    sim_target_reset(&s);
    assert_int_equal(s.reset_vtor, 0x1FF00000);
    /* the stand-in bootloader: a vector table at the start of system memory */
    assert_int_equal(rd(&s, 0x1FF00004, 4), 0x1FF00041);
    sim_target_free(&s);
}

/* SRAM takes any access size */
static void test_sram(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32F407VG");
    wr(&s, 0x20000000, 4, 0x11223344);
    wr(&s, 0x20000001, 1, 0xAA);
    assert_int_equal(rd(&s, 0x20000000, 4), 0x1122AA44);
    assert_int_equal(rd(&s, 0x20000002, 2), 0x1122);
    sim_target_free(&s);
}

/* nothing at the top of the map: an access there faults and does not wrap
 * around onto the registers at low addresses */
static void test_top_of_the_map(void **state)
{
    (void)state;
    struct sim_target s;
    uint32_t v;
    part(&s, "STM32F103C8");
    assert_int_equal(sim_target_read(&s, 0xFFFFFFFE, 4, &v), SIM_BUS_FAULT);
    assert_int_equal(sim_target_read(&s, 0xFFFFFFFF, 2, &v), SIM_BUS_FAULT);
    assert_int_equal(sim_target_write(&s, 0xFFFFFFFE, 4, 0), SIM_BUS_FAULT);
    sim_target_free(&s);
}

/* flash programmed through the family's controller at its registers */
static void test_programming_through_the_controller(void **state)
{
    (void)state;
    struct sim_target s;
    part(&s, "STM32F103C8"); /* FPEC at 0x40022000, half-words */
    wr(&s, 0x40022004, 4, 0x45670123);
    wr(&s, 0x40022004, 4, 0xCDEF89AB);
    wr(&s, 0x40022010, 4, 1); /* PG */
    wr(&s, 0x08000000, 2, 0x5678);
    assert_int_equal(sim_target_write(&s, 0x08000004, 4, 0), SIM_BUS_FAULT);
    assert_int_equal(rd(&s, 0x08000000, 4), 0xFFFF5678);
    assert_int_equal(rd(&s, 0x00000000, 2), 0x5678); /* the boot alias shows flash */
    sim_target_free(&s);

    part(&s, "STM32L100RB"); /* NVM at 0x40023C00, words */
    wr(&s, 0x40023C0C, 4, 0x89ABCDEF);
    wr(&s, 0x40023C0C, 4, 0x02030405);
    wr(&s, 0x40023C10, 4, 0x8C9DAEBF);
    wr(&s, 0x40023C10, 4, 0x13141516);
    assert_int_equal(rd(&s, 0x40023C04, 4), NVM_PECR_OPTLOCK);
    wr(&s, 0x08000100, 4, 0xCAFEF00D);
    assert_int_equal(rd(&s, 0x08000100, 4), 0xCAFEF00D);
    assert_true(rd(&s, 0x40023C18, 4) & NVM_SR_BSY);
    s.now_ns += NVM_L0L1_OP_NS;
    assert_int_equal(rd(&s, 0x40023C18, 4) & (NVM_SR_BSY | NVM_SR_EOP), NVM_SR_EOP);
    sim_target_free(&s);

    part(&s, "STM32L476RG"); /* double-words */
    wr(&s, 0x40022008, 4, 0x45670123);
    wr(&s, 0x40022008, 4, 0xCDEF89AB);
    wr(&s, 0x40022014, 4, 1);
    wr(&s, 0x08000008, 4, 1);
    wr(&s, 0x0800000C, 4, 2);
    assert_int_equal(rd(&s, 0x0800000C, 4), 2);
    sim_target_free(&s);

    part(&s, "STM32F407VG"); /* sectors, x32 */
    wr(&s, 0x40023C04, 4, 0x45670123);
    wr(&s, 0x40023C04, 4, 0xCDEF89AB);
    wr(&s, 0x40023C10, 4, 1u | 2u << 8);
    wr(&s, 0x08000000, 4, 0x20001000);
    assert_int_equal(rd(&s, 0x08000000, 4), 0x20001000);
    sim_target_reset(&s);
    assert_true(rd(&s, 0x40023C10, 4) & (1u << 31)); /* locked again after reset */
    sim_target_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identification),
        cmocka_unit_test(test_erased_flash_and_boot_alias),
        cmocka_unit_test(test_sram),
        cmocka_unit_test(test_clock_ready_flags_follow),
        cmocka_unit_test(test_h7_power_and_clock_ready_flags),
        cmocka_unit_test(test_wl_clock_ready_flags),
        cmocka_unit_test(test_core_clock_follows_the_clock_register),
        cmocka_unit_test(test_boot0_pin_boots_system_memory),
        cmocka_unit_test(test_g0_boot_option_bits),
        cmocka_unit_test(test_g0_empty_check),
        cmocka_unit_test(test_h7_boot_addresses),
        cmocka_unit_test(test_top_of_the_map),
        cmocka_unit_test(test_programming_through_the_controller),
    };
    return cmocka_run_group_tests(tests, load_db, free_db);
}
