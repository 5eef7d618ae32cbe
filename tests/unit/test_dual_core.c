/* SPDX-License-Identifier: MIT */
/* fwsim's dual-core STM32H745: the Cortex-M4 beside the M7, held and
 * started as RM0399 says (FLASH_OPTSR BCM4, FLASH_BOOT4_CUR, RCC_GCR
 * BOOT_C2; the target data's second-core line), reached by a debugger on
 * its own access port (AP3, as OpenOCD's stm32h7x.cfg has it), one rule a
 * test. The programs are assembled Thumb; their source is beside each. */
#include "support.h"

#include <string.h>

#include "fwkit/target.h"

#include "../../tools/fwsim/core.h"
#include "../../tools/fwsim/debug_port.h"
#include "../../tools/fwsim/emulated_stlink.h"

#define DHCSR      0xE000EDF0u
#define DCRSR      0xE000EDF4u
#define DCRDR      0xE000EDF8u
#define AIRCR      0xE000ED0Cu
#define CPUID      0xE000ED00u
#define S_HALT     (1u << 17)
#define S_LOCKUP   (1u << 19)
#define S_RESET_ST (1u << 25)
#define OPTSR_CUR  0x5200201Cu
#define BOOT4_CUR  0x52002048u
#define RCC_GCR    0x580244A0u
#define BCM4       (1u << 22)
#define BCM7       (1u << 23)
#define BOOT_C2    (1u << 3)
#define BANK2      0x100000u /* bank 2's offset in flash: the CM4's factory boot address 0x08100000 */

#define RCC_CR   0x58024400u
#define D2CKRDY  (1u << 15)
#define HSEM     0x58026400u
#define SEM_RLR  (HSEM + 0x080u)
#define C1ISR    (HSEM + 0x108u)
#define C2IER    (HSEM + 0x110u)
#define C2ICR    (HSEM + 0x114u)
#define C2ISR    (HSEM + 0x118u)
#define C2MISR   (HSEM + 0x11Cu)
#define SEM_CR   (HSEM + 0x140u)
#define SEM_KEYR (HSEM + 0x144u)
#define LOCK     (1u << 31)
#define CM7_ID   3u /* the bus masters' COREIDs (ST's STM32H7 HSEM training) */
#define CM4_ID   1u

static fw_target_db *db;
static struct sim_target chip;
static struct sim_core core;

/* movs r0, #0 / 1: adds r0, #1 / b 1b */
static const uint8_t count_loop[] = {0x00, 0x20, 0x01, 0x30, 0xfd, 0xe7};
/* mov.w r1, #0x10000000 / movs r0, #0x5a / str r0, [r1] / 1: adds r0, #1 / b 1b */
static const uint8_t store_in_d2_alias[] = {0x4f, 0xf0, 0x80, 0x51, 0x5a, 0x20, 0x08, 0x60, 0x01, 0x30, 0xfd, 0xe7};

/* ldr r1, =HSEM_C2IER / movs r0, #1 / str r0, [r1] (the notification of
 * semaphore 0 on) / ldr r1, =SCR / movs r0, #4 / str r0, [r1] (SLEEPDEEP) /
 * wfe / mov.w r1, #0x10000000 / movs r0, #0x5a / str r0, [r1] / 1: b 1b */
static const uint8_t stop_until_notified[] = {0x05, 0x49, 0x01, 0x20, 0x08, 0x60, 0x05, 0x49, 0x04, 0x20, 0x08,
                                              0x60, 0x20, 0xbf, 0x4f, 0xf0, 0x80, 0x51, 0x5a, 0x20, 0x08, 0x60,
                                              0xfe, 0xe7, 0x10, 0x65, 0x02, 0x58, 0x10, 0xed, 0x00, 0xe0};
/* wfe / 1: b 1b (SLEEPDEEP clear: CSleep, not Stop) */
static const uint8_t sleep_only[] = {0x20, 0xbf, 0xfe, 0xe7};

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t rd(struct sim_core *c, uint32_t addr)
{
    uint32_t v = 0;
    assert_int_equal(sim_core_bus_read(c, addr, 4, &v), SIM_BUS_OK);
    return v;
}

static void wr(struct sim_core *c, uint32_t addr, uint32_t v)
{
    assert_int_equal(sim_core_bus_write(c, addr, 4, v), SIM_BUS_OK);
}

static uint32_t reg(struct sim_core *c, unsigned n)
{
    wr(c, DCRSR, n);
    return rd(c, DCRDR);
}

/* an H745ZI whose bank 1 holds the CM7's count loop and, when cm4_code is
 * given, bank 2 the CM4's (a vector table, then the code at +8) */
static void chip_up(const uint8_t *cm4_code, size_t len)
{
    size_t n;
    assert_true(sim_target_init(&chip, fw_target_find(db, "STM32H745ZI", NULL, 0, &n), 0x2003));
    uint8_t *f = chip.flash->bytes;
    put32(f, 0x24001000);
    put32(f + 4, 0x08000009);
    memcpy(f + 8, count_loop, sizeof(count_loop));
    if (cm4_code) {
        put32(f + BANK2, 0x10001000);
        put32(f + BANK2 + 4, 0x08100009);
        memcpy(f + BANK2 + 8, cm4_code, len);
    }
    assert_true(sim_core_init(&core, &chip));
    assert_non_null(core.second);
}

static void chip_down(void)
{
    sim_core_free(&core);
    sim_target_free(&chip);
}

/* RM0399 FLASH_OPTSR_CUR, FLASH_BOOT4_CUR: from the factory both cores
 * boot (BCM7, BCM4), the CM4 from BOOT_CM4_ADD0 0x0810, bank 2 */
static void test_factory_option_bytes_boot_both_cores(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    assert_int_equal(rd(&core, OPTSR_CUR) & (BCM4 | BCM7), BCM4 | BCM7);
    assert_int_equal(rd(&core, BOOT4_CUR), 0x10000810u);
    sim_core_run_for(&core, 1000000);
    assert_int_equal(core.second->state, CORE_RUNNING);
    assert_false(core.second->gated);
    assert_int_equal(core.second->vtor, 0x08100000u);
    assert_in_range(sim_core_pc(core.second), 0x08100008u, 0x0810000Du);
    assert_true(core.second->instructions > 1000);
    assert_true(core.instructions > 1000);
    chip_down();
}

/* each core has its own CPUID and debug registers: the CM4's halt leaves the CM7 running */
static void test_each_core_its_own_debug_registers(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    assert_int_equal(rd(&core, CPUID), 0x410FC270u);
    assert_int_equal(rd(core.second, CPUID), 0x410FC241u);
    wr(core.second, DHCSR, 0xA05F0003u); /* C_DEBUGEN | C_HALT */
    assert_true(rd(core.second, DHCSR) & S_HALT);
    assert_false(rd(&core, DHCSR) & S_HALT);
    uint32_t r0 = reg(core.second, 0);
    uint64_t cm7_before = core.instructions;
    sim_core_run_for(&core, 1000000);
    assert_int_equal(reg(core.second, 0), r0);
    assert_true(core.instructions > cm7_before);
    chip_down();
}

/* with bank 2 erased the CM4 takes its vectors from 0xFFFFFFFF: a fault it
 * cannot take, lockup (ARMv7-M B1.5.15), while the CM7 runs on */
static void test_blank_bank_2_locks_the_cm4_up(void **state)
{
    (void)state;
    chip_up(NULL, 0);
    sim_core_run_for(&core, 1000000);
    assert_int_equal(core.second->state, CORE_LOCKUP);
    assert_true(rd(core.second, DHCSR) & S_LOCKUP);
    assert_int_equal(core.state, CORE_RUNNING);
    chip_down();
}

/* RM0399 BCM4 clear: the CM4 does not boot until the CM7 sets RCC_GCR
 * BOOT_C2; a system reset clears BOOT_C2 and holds it again */
static void test_bcm4_clear_holds_the_cm4_until_boot_c2(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    chip.ctl.h7.optsr_cur &= ~BCM4; /* as an option-byte change and its reload leave it */
    sim_core_system_reset(&core);
    sim_core_run_for(&core, 1000000);
    assert_true(core.second->gated);
    assert_int_equal(core.second->instructions, 0);
    wr(&core, RCC_GCR, rd(&core, RCC_GCR) | BOOT_C2);
    sim_core_run_for(&core, 1000000);
    assert_false(core.second->gated);
    assert_true(core.second->instructions > 1000);
    sim_core_system_reset(&core);
    assert_int_equal(rd(&core, RCC_GCR) & BOOT_C2, 0);
    uint64_t ran = core.second->instructions;
    sim_core_run_for(&core, 1000000);
    assert_int_equal(core.second->instructions, ran);
    chip_down();
}

/* RM0399's memory map: the CM4 sees D2 SRAM1 at 0x10000000 as well, the CM7 does not */
static void test_cm4_sees_d2_sram_at_its_alias(void **state)
{
    (void)state;
    chip_up(store_in_d2_alias, sizeof(store_in_d2_alias));
    sim_core_run_for(&core, 100000);
    assert_int_equal(rd(&core, 0x30000000u), 0x5Au);
    chip_down();
}

/* ARMv7-M B3.2.6: the CM4's SYSRESETREQ resets the system, the CM7 too */
static void test_cm4_sysresetreq_resets_both_cores(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    sim_core_run_for(&core, 100000);
    rd(&core, DHCSR); /* reads the sticky bits clear */
    rd(core.second, DHCSR);
    wr(core.second, AIRCR, 0x05FA0004u);
    assert_true(rd(&core, DHCSR) & S_RESET_ST);
    assert_true(rd(core.second, DHCSR) & S_RESET_ST);
    chip_down();
}

/* the access ports: AP0 the CM7's AHB-AP, AP3 the CM4's (an M4's AHB-AP
 * IDR, pyOCD 0.13's coresight/ap.py), AP1 not modelled: IDR 0 */
static void test_access_ports_reach_their_core(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    struct sim_dap d;
    sim_dap_init(&d);
    uint32_t v = 0;
    assert_true(sim_dap_read(&d, &core, 0, 0xFC, &v));
    assert_int_equal(v, 0x64770001u);
    assert_true(sim_dap_read(&d, &core, 3, 0xFC, &v));
    assert_int_equal(v, 0x24770011u);
    assert_true(sim_dap_read(&d, &core, 1, 0xFC, &v));
    assert_int_equal(v, 0);
    assert_true(sim_dap_write(&d, &core, 3, 0x04, CPUID));
    assert_true(sim_dap_write(&d, &core, 0, 0x04, 0x08000000u));
    assert_true(sim_dap_read(&d, &core, 3, 0x0C, &v));
    assert_int_equal(v, 0x410FC241u);
    assert_true(sim_dap_read(&d, &core, 0, 0x0C, &v));
    assert_int_equal(v, 0x24001000u);
    assert_true(sim_dap_read(&d, &core, 3, 0x04, &v)); /* each AP its own TAR, incremented */
    assert_int_equal(v, CPUID + 4);
    assert_true(sim_dap_read(&d, &core, 0, 0x04, &v));
    assert_int_equal(v, 0x08000004u);
    chip_down();
}

/* one ST-Link command block, its reply into r */
static size_t probe_command(struct stlink *p, const uint8_t *cdb, size_t n, uint8_t *r, size_t max)
{
    uint8_t block[16] = {0};
    memcpy(block, cdb, n);
    stlink_out(p, block, 16);
    return stlink_in(p, r, max);
}

static uint32_t le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* READMEM_32 of one word through an AP (byte 8, OpenOCD's stlink_usb.c);
 * the status GETLASTRWSTATUS2 gives */
static uint32_t read_ap(struct stlink *p, uint8_t ap, uint32_t addr, uint8_t *status)
{
    uint8_t c[9] = {0xF2, 0x07, (uint8_t)addr, (uint8_t)(addr >> 8), (uint8_t)(addr >> 16), (uint8_t)(addr >> 24), 4,
                    0,    ap},
            r[12];
    assert_int_equal(probe_command(p, c, sizeof(c), r, 4), 4);
    uint32_t v = le32(r);
    uint8_t st[2] = {0xF2, 0x3E};
    probe_command(p, st, sizeof(st), r, 12);
    *status = r[0];
    return v;
}

static void open_ap(struct stlink *p, uint8_t ap)
{
    uint8_t c[3] = {0xF2, 0x4B, ap}, r[2];
    assert_int_equal(probe_command(p, c, sizeof(c), r, 2), 2);
    assert_int_equal(r[0], 0x80);
}

/* OpenOCD's stlink_usb.c: memory commands name their AP in byte 8 from
 * V2J32, an AP other than 0 is opened with INIT_AP first from V2J28; H7's
 * AP2 shows the system debug bus (DBGMCU at 0xE00E1000, OpenOCD's
 * stm32h7x.cfg), AP3 the CM4 */
static void test_probe_memory_commands_name_their_ap(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    struct stlink p;
    uint8_t st;
    stlink_init(&p, STLINK_V2, &core);
    read_ap(&p, 3, CPUID, &st);
    assert_int_equal(st, 0x11); /* not opened: an AP fault */
    open_ap(&p, 3);
    assert_int_equal(read_ap(&p, 3, CPUID, &st), 0x410FC241u);
    assert_int_equal(st, 0x80);
    assert_int_equal(read_ap(&p, 0, CPUID, &st), 0x410FC270u);
    open_ap(&p, 2);
    uint32_t dbgmcu = rd(&core, 0x5C001000u);
    assert_int_equal(read_ap(&p, 2, 0xE00E1000u, &st), dbgmcu);
    assert_int_equal(dbgmcu & 0xFFF, 0x450);
    read_ap(&p, 2, 0x08000000u, &st); /* outside the APB-D window */
    assert_int_equal(st, 0x11);
    stlink_set_version(&p, "V2J29S7"); /* before J32 the AP byte is not read: AP 0 */
    assert_int_equal(read_ap(&p, 3, CPUID, &st), 0x410FC270u);
    chip_down();
}

/* OpenOCD's stlink_usb.c stlink_usb_misc_rw_segment: RW_MISC_OUT's items
 * (a byte each: 5 APNUM, 1 ADDRESS, 2 WRITE, 3 READ; then a word each),
 * RW_MISC_IN's values and then statuses, a word per item */
static void test_probe_queued_accesses(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    struct stlink p;
    uint8_t r[64];
    stlink_init(&p, STLINK_V3, &core);
    open_ap(&p, 3);
    uint8_t out[4 + 4 * 4] = {0};
    uint32_t words[] = {3, CPUID, 0, 0x20000000u};
    memcpy(out, (uint8_t[]){5, 3, 5, 3}, 4); /* APNUM 3, READ, APNUM 0, READ */
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++)
            out[4 + 4 * i + k] = (uint8_t)(words[i] >> (8 * k));
    uint8_t c[6] = {0xF2, 0x51, 4, 0, 0, 0};
    probe_command(&p, c, sizeof(c), r, 0);
    stlink_out(&p, out, sizeof(out));
    uint8_t in[2] = {0xF2, 0x52};
    assert_int_equal(probe_command(&p, in, sizeof(in), r, sizeof(r)), 32);
    assert_int_equal(le32(r + 4), 0x410FC241u);
    for (int i = 0; i < 4; i++)
        assert_int_equal(le32(r + 16 + 4 * i), 0x80);
    chip_down();
}

/* RM0453 §8.3.3 (the HSEM of RM0399 alike): the 2-step lock takes a free
 * semaphore only with the writer's own COREID, and a locked one stays its
 * owner's */
static void test_hsem_two_step_lock_takes_the_writers_own_coreid(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    wr(&core, HSEM + 4, LOCK | CM4_ID << 8 | 7); /* the CM7 naming the CM4: refused */
    assert_int_equal(rd(&core, HSEM + 4), 0);
    wr(&core, HSEM + 4, LOCK | CM7_ID << 8 | 7);
    assert_int_equal(rd(&core, HSEM + 4), LOCK | CM7_ID << 8 | 7);
    wr(core.second, HSEM + 4, LOCK | CM4_ID << 8 | 9); /* taken already */
    assert_int_equal(rd(core.second, HSEM + 4), LOCK | CM7_ID << 8 | 7);
    chip_down();
}

/* RM0453 §8.3.3, §8.4.2: a read of HSEM_RLRx locks a free semaphore for the
 * reader's COREID with PROCID 0; a locked one reads its owner */
static void test_hsem_read_lock(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    assert_int_equal(rd(core.second, SEM_RLR + 8), LOCK | CM4_ID << 8);
    assert_int_equal(rd(&core, SEM_RLR + 8), LOCK | CM4_ID << 8);
    assert_int_equal(rd(&core, HSEM + 8), LOCK | CM4_ID << 8);
    chip_down();
}

/* RM0453 §8.3 (unlock procedures), §8.3.7: only the COREID and PROCID
 * that hold a semaphore free it; freed, it sets its status on every
 * processor's line, and HSEM_CnIER lets it through to the masked status;
 * HSEM_CnICR clears it */
static void test_hsem_free_notifies_every_line(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    wr(core.second, C2IER, 1u << 0);
    wr(&core, HSEM, LOCK | CM7_ID << 8 | 5);
    wr(&core, HSEM, CM7_ID << 8 | 4);       /* another PROCID */
    wr(core.second, HSEM, CM7_ID << 8 | 5); /* another bus master */
    assert_int_equal(rd(&core, HSEM), LOCK | CM7_ID << 8 | 5);
    assert_int_equal(rd(&core, C1ISR) | rd(&core, C2ISR), 0);
    wr(&core, HSEM, CM7_ID << 8 | 5);
    assert_int_equal(rd(&core, HSEM), 0);
    assert_int_equal(rd(&core, C1ISR), 1u);
    assert_int_equal(rd(&core, C2ISR), 1u);
    assert_int_equal(rd(&core, C2MISR), 1u);
    assert_int_equal(rd(&core, HSEM + 0x10Cu), 0); /* C1MISR: the CM7's line not enabled */
    wr(core.second, C2ICR, 1u);
    assert_int_equal(rd(&core, C2ISR) | rd(&core, C2MISR), 0);
    assert_int_equal(rd(&core, C1ISR), 1u);
    chip_down();
}

/* RM0453 §8.3.6: SEM_CR with SEM_KEYR's key frees every semaphore of the
 * COREID written; with another key nothing; §8.4: narrower accesses do
 * nothing and read 0 */
static void test_hsem_clear_by_coreid_and_word_accesses(void **state)
{
    (void)state;
    chip_up(count_loop, sizeof(count_loop));
    rd(core.second, SEM_RLR + 4 * 3);
    rd(core.second, SEM_RLR + 4 * 4);
    rd(&core, SEM_RLR + 4 * 5);
    wr(&core, SEM_KEYR, 0x12340000u);
    wr(&core, SEM_CR, 0x43210000u | CM4_ID << 8);
    assert_int_equal(rd(&core, HSEM + 4 * 3), LOCK | CM4_ID << 8);
    wr(&core, SEM_CR, 0x12340000u | CM4_ID << 8);
    assert_int_equal(rd(&core, HSEM + 4 * 3) | rd(&core, HSEM + 4 * 4), 0);
    assert_int_equal(rd(&core, HSEM + 4 * 5), LOCK | CM7_ID << 8);
    assert_int_equal(rd(&core, C2ISR), 1u << 3 | 1u << 4);
    uint32_t v = 1;
    assert_int_equal(sim_core_bus_write(&core, HSEM + 4 * 6, 2, 0x8300u), SIM_BUS_OK);
    assert_int_equal(rd(&core, HSEM + 4 * 6), 0);
    assert_int_equal(sim_core_bus_read(&core, HSEM + 4 * 5, 2, &v), SIM_BUS_OK);
    assert_int_equal(v, 0);
    chip_down();
}

/* RM0399 RCC_CR: D2CKRDY falls while D2 is stopped, which it is while the
 * CM4 is in Stop (WFE with SCR's SLEEPDEEP); a CM4 merely asleep keeps it */
static void test_d2ckrdy_falls_while_the_cm4_is_in_stop(void **state)
{
    (void)state;
    chip_up(sleep_only, sizeof(sleep_only));
    assert_true(rd(&core, RCC_CR) & D2CKRDY);
    sim_core_run_for(&core, 100000);
    assert_true(core.second->sleeping);
    assert_true(rd(&core, RCC_CR) & D2CKRDY);
    chip_down();
    chip_up(stop_until_notified, sizeof(stop_until_notified));
    sim_core_run_for(&core, 100000);
    assert_true(core.second->sleeping);
    assert_false(rd(&core, RCC_CR) & D2CKRDY);
    assert_false(rd(core.second, RCC_CR) & D2CKRDY);
    uint32_t b = 0;
    assert_int_equal(sim_core_bus_read(&core, RCC_CR + 1, 1, &b), SIM_BUS_OK); /* the flag's byte alone */
    assert_int_equal(b & 0x80u, 0);
    chip_down();
}

/* ST's dual-core templates: the CM7 takes and frees semaphore 0 and the
 * CM4, stopped with that notification on, wakes and goes on after its WFE
 * (STM32CubeH7's HSEM_ResourceSharing readme); D2CKRDY rises again */
static void test_hsem_notification_wakes_the_cm4(void **state)
{
    (void)state;
    chip_up(stop_until_notified, sizeof(stop_until_notified));
    sim_core_run_for(&core, 100000);
    assert_true(core.second->sleeping);
    assert_int_equal(rd(&core, 0x30000000u), 0);
    assert_int_equal(rd(&core, SEM_RLR), LOCK | CM7_ID << 8);
    sim_core_run_for(&core, 100000);
    assert_true(core.second->sleeping); /* a lock is no notification */
    wr(&core, HSEM, CM7_ID << 8);
    sim_core_run_for(&core, 100000);
    assert_false(core.second->sleeping);
    assert_int_equal(rd(&core, 0x30000000u), 0x5Au);
    assert_true(rd(&core, RCC_CR) & D2CKRDY);
    chip_down();
}

int main(void)
{
    db = builtin_db();
    if (!db)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_factory_option_bytes_boot_both_cores),
        cmocka_unit_test(test_each_core_its_own_debug_registers),
        cmocka_unit_test(test_blank_bank_2_locks_the_cm4_up),
        cmocka_unit_test(test_bcm4_clear_holds_the_cm4_until_boot_c2),
        cmocka_unit_test(test_cm4_sees_d2_sram_at_its_alias),
        cmocka_unit_test(test_cm4_sysresetreq_resets_both_cores),
        cmocka_unit_test(test_access_ports_reach_their_core),
        cmocka_unit_test(test_probe_memory_commands_name_their_ap),
        cmocka_unit_test(test_probe_queued_accesses),
        cmocka_unit_test(test_hsem_two_step_lock_takes_the_writers_own_coreid),
        cmocka_unit_test(test_hsem_read_lock),
        cmocka_unit_test(test_hsem_free_notifies_every_line),
        cmocka_unit_test(test_hsem_clear_by_coreid_and_word_accesses),
        cmocka_unit_test(test_d2ckrdy_falls_while_the_cm4_is_in_stop),
        cmocka_unit_test(test_hsem_notification_wakes_the_cm4),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fw_target_db_free(db);
    return rc;
}
