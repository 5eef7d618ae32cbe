/* SPDX-License-Identifier: MIT */
/* fwsim's Cortex-M core: the debug registers of the ARMv7-M ARM (C1.6), reset
 * and vector catch, the FPB, fault entry, and Thumb code running against the
 * flash controller model, on an emulated STM32F103C8. The programs are
 * assembled Thumb; their source is beside each. */
#include "support.h"

#include <string.h>

#include "fwkit/target.h"

#include "../../libimage/flash/loaders.h"
#include "../../tools/fwsim/core.h"

#define DHCSR 0xE000EDF0u
#define DCRSR 0xE000EDF4u
#define DCRDR 0xE000EDF8u
#define DEMCR 0xE000EDFCu
#define AIRCR 0xE000ED0Cu
#define CFSR 0xE000ED28u
#define DFSR 0xE000ED30u
#define BFAR 0xE000ED38u
#define FP_CTRL 0xE0002000u
#define FP_COMP0 0xE0002008u
#define FPEC 0x40022000u

static fw_target_db *db;
static struct sim_target chip;
static struct sim_core core;

/* movs r0, #0 / 1: adds r0, #1 / b 1b */
static const uint8_t count_loop[] = {0x00, 0x20, 0x01, 0x30, 0xfd, 0xe7};
/* b . */
static const uint8_t spin[] = {0xfe, 0xe7};
/* F1 flash loader: r0 = source, r1 = destination, r2 = bytes
 *   0: ldr r4, =0x40022000      2: 1: ldrh r3, [r0], #2     6: strh r3, [r1], #2
 *   a: 2: ldr r5, [r4, #12]     c: tst r5, #1 (BSY)        10: bne 2b
 *  12: subs r2, #2             14: bne 1b                  16: bkpt #0
 *  18: str r3, [r1]  (a word store, for the fault test)    1a: bkpt #1 */
static const uint8_t f1_loader[] = {0x06, 0x4c, 0x30, 0xf8, 0x02, 0x3b, 0x21, 0xf8, 0x02, 0x3b, 0xe5,
                                    0x68, 0x15, 0xf0, 0x01, 0x0f, 0xfb, 0xd1, 0x02, 0x3a, 0xf5, 0xd1,
                                    0x00, 0xbe, 0x0b, 0x60, 0x01, 0xbe, 0x00, 0x20, 0x02, 0x40};
/* wfi / b . */
static const uint8_t sleep_forever[] = {0x30, 0xbf, 0xfe, 0xe7};

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t rd(uint32_t addr)
{
    uint32_t v = 0;
    assert_int_equal(sim_core_bus_read(&core, addr, 4, &v), SIM_BUS_OK);
    return v;
}

static void wr(uint32_t addr, uint32_t v)
{
    assert_int_equal(sim_core_bus_write(&core, addr, 4, v), SIM_BUS_OK);
}

static uint32_t reg(unsigned n)
{
    wr(DCRSR, n);
    return rd(DCRDR);
}

static void set_reg(unsigned n, uint32_t v)
{
    wr(DCRDR, v);
    wr(DCRSR, n | 1u << 16);
}

/* a chip whose flash holds a vector table (SP, reset at 0x40, HardFault at 0x80) and the count loop */
static int setup(void **state)
{
    (void)state;
    size_t n;
    if (!sim_target_init(&chip, fw_target_find(db, "STM32F103C8", NULL, 0, &n), 0x2003))
        return -1;
    uint8_t *f = chip.flash->bytes;
    put32(f, 0x20001000);
    put32(f + 4, 0x08000041);
    put32(f + 12, 0x08000081);
    memcpy(f + 0x40, count_loop, sizeof(count_loop));
    memcpy(f + 0x80, spin, sizeof(spin));
    return sim_core_init(&core, &chip) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_core_free(&core);
    sim_target_free(&chip);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    db = builtin_db();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fw_target_db_free(db);
    return 0;
}

/* B1.5.5 reset behaviour: SP and PC from the vector table at 0x00000000 (the
 * boot alias of flash); the image then runs, and keeps running its loop */
static void test_boot_runs_the_image_to_a_steady_loop(void **state)
{
    (void)state;
    sim_core_run_for(&core, 2000000000ull); /* 2 s at 8 MHz */
    assert_int_equal(core.state, CORE_RUNNING);
    assert_true(core.steady);
    assert_string_equal(sim_core_state_name(&core), "running");
    assert_true(sim_core_pc(&core) >= 0x08000042 && sim_core_pc(&core) <= 0x08000044);
    assert_true(chip.now_ns >= 2000000000ull);
}

/* blank flash (0xFF): the reset vector is no place to run; the fault entry
 * itself fails, and the core locks up (S_LOCKUP) */
static void test_blank_flash_locks_up(void **state)
{
    (void)state;
    memset(chip.flash->bytes, 0xFF, chip.flash->size);
    sim_core_system_reset(&core);
    sim_core_run_for(&core, 1000000);
    assert_int_equal(core.state, CORE_LOCKUP);
    assert_string_equal(sim_core_state_name(&core), "fault");
    assert_true(rd(DHCSR) & (1u << 19));
}

/* C1.6.2 DHCSR: the key, C_HALT, S_HALT, S_REGRDY, C_STEP; the sticky bits clear on read */
static void test_halt_step_and_registers(void **state)
{
    (void)state;
    wr(DHCSR, 0x00000003); /* no key: ignored */
    sim_core_run_for(&core, 1000000);
    assert_int_equal(core.state, CORE_RUNNING);
    wr(DHCSR, 0xA05F0003);
    uint32_t d = rd(DHCSR);
    assert_true(d & (1u << 17) && d & (1u << 16));
    assert_true(d & (1u << 24));    /* S_RETIRE_ST: it ran since the last read */
    assert_false(rd(DHCSR) & (1u << 24)); /* and clears on read */
    assert_true(rd(DFSR) & 1);      /* HALTED */
    uint32_t pc = reg(15);
    assert_true(pc == 0x08000042 || pc == 0x08000044);
    set_reg(15, 0x08000042);
    set_reg(0, 41);
    wr(DHCSR, 0xA05F0005); /* step over adds */
    assert_int_equal(reg(0), 42);
    assert_int_equal(reg(15), 0x08000044);
    wr(DHCSR, 0xA05F0005); /* step the branch */
    assert_int_equal(reg(15), 0x08000042);
    assert_int_equal(reg(16) & (1u << 24), 1u << 24); /* xPSR shows the Thumb bit */
    uint64_t before = chip.now_ns;
    sim_core_run_for(&core, 1000000);
    assert_int_equal(reg(0), 42); /* halted: time passes, nothing runs */
    assert_true(chip.now_ns == before + 1000000);
    wr(DHCSR, 0xA05F0001); /* run */
    sim_core_run_for(&core, 1000000);
    wr(DHCSR, 0xA05F0003);
    assert_true(reg(0) > 42);
}

/* C1.6.5 DEMCR.VC_CORERESET and B3.2.6 AIRCR.SYSRESETREQ: halted on the reset
 * handler's first instruction, DFSR.VCATCH, S_RESET_ST */
static void test_vector_catch_on_reset(void **state)
{
    (void)state;
    wr(DHCSR, 0xA05F0001);
    wr(DEMCR, 1);
    wr(AIRCR, 0x04); /* no key: ignored */
    assert_false(rd(DHCSR) & (1u << 25));
    wr(AIRCR, 0x05FA0004);
    assert_int_equal(core.state, CORE_HALTED);
    assert_true(rd(DFSR) & (1u << 3));
    assert_true(rd(DHCSR) & (1u << 25));
    assert_int_equal(reg(15), 0x08000040);
    assert_int_equal(reg(13), 0x20001000);
    wr(DFSR, 0x1F);
    assert_int_equal(rd(DFSR), 0);
}

/* C1.11 FPB: FP_CTRL needs KEY; a comparator with REPLACE = 01 halts at the
 * lower half-word of its word */
static void test_fpb_breakpoint(void **state)
{
    (void)state;
    assert_int_equal(rd(FP_CTRL) & 0xF0, 6u << 4); /* six code comparators on a Cortex-M3 */
    wr(FP_CTRL, 1); /* no KEY: stays disabled */
    assert_int_equal(rd(FP_CTRL) & 1, 0);
    wr(FP_CTRL, 3);
    wr(FP_COMP0, 0x08000044u | 1u | 1u << 30);
    wr(DHCSR, 0xA05F0001);
    sim_core_run_for(&core, 1000000);
    assert_int_equal(core.state, CORE_HALTED);
    assert_string_equal(sim_core_state_name(&core), "breakpoint");
    assert_int_equal(reg(15), 0x08000044);
    assert_true(rd(DFSR) & 2);
}

/* fwkit's hash routines (libimage/flash/loaders/hash.S, Thumb-1, and
 * hash_v7m.S, Thumb-2) run on the core give fw_loader_hash_of's value for
 * every length: a word, less than one LDM's four, exactly four, four and a
 * tail, a page; the Thumb-2 one in under 70% of the cycles */
static uint64_t run_hash(const struct fw_loader *l, const uint32_t *len, size_t n, uint32_t *hash)
{
    wr(DHCSR, 0xA05F0003);
    for (size_t i = 0; i < l->len; i += 2)
        assert_int_equal(sim_core_bus_write(&core, 0x20000000 + (uint32_t)i, 2, l->code[i] | l->code[i + 1] << 8),
                         SIM_BUS_OK);
    for (size_t i = 0; i < n; i++) {
        wr(0x20000400 + 12 * (uint32_t)i, 0x08000100 + 4 * (uint32_t)i);
        wr(0x20000404 + 12 * (uint32_t)i, len[i]);
        wr(0x20000408 + 12 * (uint32_t)i, 0);
    }
    set_reg(0, 0x20000400);
    set_reg(1, (uint32_t)n);
    set_reg(15, 0x20000000);
    uint64_t before = core.instructions;
    wr(DHCSR, 0xA05F0009);
    sim_core_run_for(&core, 100000000);
    assert_int_equal(core.state, CORE_HALTED);
    assert_int_equal(reg(2), 0);
    for (size_t i = 0; i < n; i++)
        hash[i] = rd(0x20000408 + 12 * (uint32_t)i);
    return core.instructions - before;
}

static void test_hash_routines_agree_with_the_host(void **state)
{
    (void)state;
    uint8_t *f = chip.flash->bytes;
    for (uint32_t i = 0; i < 2048; i++)
        f[0x100 + i] = (uint8_t)(i * 37 + (i >> 8));
    const uint32_t len[] = {4, 12, 16, 20, 28, 1024};
    uint32_t h1[6], h2[6];
    run_hash(&fw_loader_hash, len, 6, h1);
    run_hash(&fw_loader_hash_v7m, len, 6, h2);
    for (size_t i = 0; i < 6; i++) {
        uint32_t want = fw_loader_hash_of(f + 0x100 + 4 * i, len[i]);
        assert_int_equal(h1[i], want);
        assert_int_equal(h2[i], want);
    }
    /* a page: 8 instructions a word against 15 for four (22 half-words:
     * fwsim's clock counts a 32-bit instruction twice) */
    uint64_t thumb1 = run_hash(&fw_loader_hash, len + 5, 1, h1), thumb2 = run_hash(&fw_loader_hash_v7m, len + 5, 1, h2);
    assert_int_equal(h1[0], h2[0]);
    assert_true(thumb2 * 100 < thumb1 * 70);
}

static void load_f1_loader(void)
{
    wr(DHCSR, 0xA05F0003);
    for (size_t i = 0; i < sizeof(f1_loader); i += 2)
        assert_int_equal(sim_core_bus_write(&core, 0x20000000 + (uint32_t)i, 2, f1_loader[i] | f1_loader[i + 1] << 8),
                         SIM_BUS_OK);
    wr(0x20000100, 0x11223344);
    wr(0x20000104, 0x55667788);
    wr(FPEC + 0x04, 0x45670123); /* KEYR */
    wr(FPEC + 0x04, 0xCDEF89AB);
    wr(FPEC + 0x10, 1); /* CR.PG */
}

/* A RAM loader as st-flash runs one (stlink-org/stlink src/stlink-lib/flash_loader.c): registers set, run,
 * halts at its BKPT with r2 = 0; the half-words reached flash through the
 * FPEC, each taking its programming time on the virtual clock */
static void test_ram_loader_programs_f1_flash(void **state)
{
    (void)state;
    load_f1_loader();
    set_reg(0, 0x20000100);
    set_reg(1, 0x08001000);
    set_reg(2, 8);
    set_reg(15, 0x20000000);
    uint64_t before = chip.now_ns;
    wr(DHCSR, 0xA05F0009); /* run with C_MASKINTS */
    sim_core_run_for(&core, 10000000);
    assert_int_equal(core.state, CORE_HALTED);
    assert_true(rd(DFSR) & 2);
    assert_int_equal(reg(15), 0x20000016);
    assert_int_equal(reg(2), 0);
    assert_int_equal(rd(0x08001000), 0x11223344);
    assert_int_equal(rd(0x08001004), 0x55667788);
    assert_int_equal(chip.ctl.f0f1f3.stats.programs, 4);
    assert_true(chip.now_ns - before >= 4 * 40000); /* four half-word programs */
}

/* A loader replaced in SRAM by the probe after flash (and with it the
 * boot alias at 0) changed: the core runs the new code, not its earlier
 * translation of the old (fwsim merged the changed ranges into one span
 * from 0 to SRAM, which unicorn did not invalidate whole) */
static void test_code_replaced_in_sram_runs_new(void **state)
{
    (void)state;
    /* a blank G071RB: the empty check boots system memory, which the boot alias shows */
    sim_core_free(&core);
    sim_target_free(&chip);
    size_t n;
    assert_true(sim_target_init(&chip, fw_target_find(db, "STM32G071RB", NULL, 0, &n), 0x1000));
    assert_true(sim_core_init(&core, &chip));
    sim_core_run_for(&core, 1000000);
    static const uint8_t movs_r0_1[] = {0x01, 0x20, 0x00, 0xbe}; /* movs r0, #1; bkpt #0 */
    static const uint8_t movs_r0_2[] = {0x02, 0x20, 0x00, 0xbe}; /* movs r0, #2; bkpt #0 */
    const uint8_t *code[] = {movs_r0_1, movs_r0_2};
    wr(DHCSR, 0xA05F0003);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < 4; i += 2)
            assert_int_equal(sim_core_bus_write(&core, 0x20000000 + (uint32_t)i, 2, code[k][i] | code[k][i + 1] << 8),
                             SIM_BUS_OK);
        if (k == 1) /* the flash controller was written to: flash and its alias may hold other code now */
            assert_int_equal(sim_core_bus_write(&core, 0x40022008, 4, 0x45670123), SIM_BUS_OK);
        set_reg(15, 0x20000000);
        wr(DHCSR, 0xA05F0009);
        sim_core_run_for(&core, 1000000);
        assert_int_equal(core.state, CORE_HALTED);
        assert_int_equal(reg(0), (uint32_t)k + 1);
    }
}

/* PM0075 §2: a word store into F1 flash faults the bus; the core takes HardFault
 * (B1.5.6) with CFSR.PRECISERR and BFAR, and the flash keeps its bytes */
static void test_word_store_into_f1_flash_faults(void **state)
{
    (void)state;
    load_f1_loader();
    set_reg(1, 0x08002000);
    set_reg(3, 0x12345678);
    set_reg(15, 0x20000018);
    wr(DHCSR, 0xA05F0001);
    sim_core_run_for(&core, 1000000);
    assert_int_equal(core.state, CORE_RUNNING);
    assert_string_equal(sim_core_state_name(&core), "fault");
    assert_int_equal(sim_core_exception(&core), 3);
    assert_int_equal(sim_core_pc(&core), 0x08000080);
    assert_true(rd(CFSR) & (1u << 9));
    assert_int_equal(rd(BFAR), 0x08002000);
    assert_int_equal(rd(0x08002000), 0xFFFFFFFF);
    assert_non_null(strstr(core.fault_reason, "write to 0x08002000"));
}

/* C1.8.7 DWT: a comparator with FUNCTION 6 (data write) halts the core after
 * the store that hits it, DFSR.DWTTRAP, FUNCTION.MATCHED (clear on read) */
static void test_dwt_watchpoint(void **state)
{
    (void)state;
    assert_int_equal(rd(0xE0001000) >> 28, 4); /* four comparators on a Cortex-M3 */
    load_f1_loader();
    set_reg(0, 0x20000100);
    set_reg(1, 0x08001000);
    set_reg(2, 8);
    set_reg(15, 0x20000000);
    wr(0xE0001020, 0x08001002); /* COMP0 */
    wr(0xE0001024, 0);          /* MASK0: the exact address */
    wr(0xE0001028, 6);          /* FUNCTION0: data write */
    wr(DHCSR, 0xA05F0001);
    sim_core_run_for(&core, 10000000);
    assert_int_equal(core.state, CORE_HALTED);
    assert_true(rd(DFSR) & (1u << 2));
    assert_int_equal(reg(2), 6); /* the second half-word written, the loop not yet past it */
    assert_int_equal(rd(0x08001000), 0x11223344);
    assert_true(rd(0xE0001028) & (1u << 24));
    assert_false(rd(0xE0001028) & (1u << 24));
    wr(DHCSR, 0xA05F0001);
    sim_core_run_for(&core, 10000000);
    assert_int_equal(reg(2), 0);
    assert_int_equal(rd(0x08001004), 0x55667788);
}

/* WFI with nothing to wake it: S_SLEEP, and the core stays there */
static void test_wfi_sleeps(void **state)
{
    (void)state;
    wr(DHCSR, 0xA05F0003);
    for (size_t i = 0; i < sizeof(sleep_forever); i += 2)
        sim_core_bus_write(&core, 0x20000200 + (uint32_t)i, 2, sleep_forever[i] | sleep_forever[i + 1] << 8);
    set_reg(15, 0x20000200);
    wr(DHCSR, 0xA05F0001);
    sim_core_run_for(&core, 1000000);
    assert_true(core.sleeping);
    assert_true(rd(DHCSR) & (1u << 18));
    assert_int_equal(sim_core_pc(&core), 0x20000202);
}

/* Runs code (halfwords) from SRAM a millisecond. */
static void run_code(const uint16_t *code, size_t n)
{
    wr(DHCSR, 0xA05F0003);
    for (size_t i = 0; i < n; i++)
        sim_core_bus_write(&core, 0x20000200 + 2 * (uint32_t)i, 2, code[i]);
    set_reg(15, 0x20000200);
    wr(DHCSR, 0xA05F0001);
    sim_core_run_for(&core, 1000000);
}

/* ARMv7-M A7.7.261 WFE, B1.5.18: with the event register clear the core
 * waits (S_SLEEP); SEV sets it, so SEV then WFE goes on at once (ST's
 * HAL_PWREx_ClearPendingEvent), and a second WFE waits; A7.7.263 YIELD is
 * a hint that goes on. None is a fault. */
static void test_wfe_and_yield(void **state)
{
    (void)state;
    static const uint16_t wfe[] = {0xBF20, 0xE7FE}, sev_wfe[] = {0xBF40, 0xBF20, 0xE7FE},
                          sev_wfe_wfe[] = {0xBF40, 0xBF20, 0xBF20, 0xE7FE}, yield[] = {0xBF10, 0xE7FE};
    run_code(wfe, 2);
    assert_true(core.sleeping);
    assert_int_equal(sim_core_pc(&core), 0x20000202);
    run_code(sev_wfe, 3);
    assert_false(core.sleeping);
    assert_int_equal(core.state, CORE_RUNNING);
    assert_int_equal(sim_core_pc(&core), 0x20000204); /* at its b . */
    run_code(sev_wfe_wfe, 4);
    assert_true(core.sleeping);
    assert_int_equal(sim_core_pc(&core), 0x20000206);
    run_code(yield, 2);
    assert_false(core.sleeping);
    assert_int_equal(sim_core_pc(&core), 0x20000202);
    assert_false(rd(0xE000ED28) & (1u << 16)); /* no UNDEFINSTR in CFSR */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_boot_runs_the_image_to_a_steady_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_flash_locks_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_halt_step_and_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vector_catch_on_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fpb_breakpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ram_loader_programs_f1_flash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_replaced_in_sram_runs_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_word_store_into_f1_flash_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wfi_sleeps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wfe_and_yield, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dwt_watchpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hash_routines_agree_with_the_host, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
