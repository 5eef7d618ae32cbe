/* SPDX-License-Identifier: MIT */
/* fwsim's ST-Link protocol: the commands as st-info and st-flash send them
 * (stlink-org/stlink src/stlink-lib/usb.c), answered from an emulated STM32L100RB. */
#include "support.h"

#include <string.h>

#include "fwkit/target.h"

#include "../../tools/fwsim/emulated_stlink.h"

static fw_target_db *db;
static struct sim_target chip;
static struct sim_core core;

static int setup(void **state)
{
    (void)state;
    db = builtin_db();
    size_t n;
    if (!sim_target_init(&chip, fw_target_find(db, "STM32L100RB", NULL, 0, &n), 0x1038))
        return -1;
    return sim_core_init(&core, &chip) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_core_free(&core);
    sim_target_free(&chip);
    fw_target_db_free(db);
    return 0;
}

/* sends a command built from bytes, returns the reply length; the reply is in r */
static size_t command(struct stlink *p, const uint8_t *cdb, size_t n, uint8_t *r, size_t max)
{
    uint8_t block[16] = {0};
    memcpy(block, cdb, n);
    stlink_out(p, block, 16);
    return stlink_in(p, r, max);
}

static void cdb_mem(uint8_t *c, uint8_t sub, uint32_t addr, uint16_t len)
{
    memset(c, 0, 16);
    c[0] = 0xF2;
    c[1] = sub;
    for (int i = 0; i < 4; i++)
        c[2 + i] = (uint8_t)(addr >> (8 * i));
    c[6] = (uint8_t)len;
    c[7] = (uint8_t)(len >> 8);
}

static uint32_t le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* OpenOCD's stlink_usb.c GET_VERSION: big-endian hw/J/S, then VID and PID; V3 defers to GET_VERSION_EX */
static void test_versions(void **state)
{
    (void)state;
    struct stlink p;
    uint8_t r[64];
    stlink_init(&p, STLINK_V2, &core);
    assert_int_equal(command(&p, (const uint8_t[]){0xF1}, 1, r, sizeof(r)), 6);
    unsigned v = (unsigned)r[0] << 8 | r[1];
    assert_int_equal(v >> 12, 2);
    assert_true((v >> 6 & 0x3F) >= 26); /* J26+: 16-bit memory access */
    assert_int_equal(r[2] | r[3] << 8, 0x0483);
    assert_int_equal(r[4] | r[5] << 8, 0x3748);
    stlink_init(&p, STLINK_V3, &core);
    command(&p, (const uint8_t[]){0xF1}, 1, r, sizeof(r));
    assert_int_equal(r[0] >> 4, 3);
    assert_int_equal(command(&p, (const uint8_t[]){0xFB}, 1, r, sizeof(r)), 12);
    assert_int_equal(r[0], 3);
    assert_true(r[2] >= 6);
    assert_int_equal(r[10] | r[11] << 8, 0x374E);
}

/* OpenOCD's stlink_usb.c: mode, DFU exit, enter SWD; target voltage (OpenOCD's stlink_usb.c) */
static void test_modes_and_voltage(void **state)
{
    (void)state;
    struct stlink p;
    uint8_t r[64];
    stlink_init(&p, STLINK_V2, &core);
    command(&p, (const uint8_t[]){0xF5}, 1, r, sizeof(r));
    assert_int_equal(r[0], 0); /* DFU */
    assert_int_equal(command(&p, (const uint8_t[]){0xF3, 0x07}, 2, r, sizeof(r)), 0);
    command(&p, (const uint8_t[]){0xF5}, 1, r, sizeof(r));
    assert_int_equal(r[0], 1);
    assert_int_equal(command(&p, (const uint8_t[]){0xF2, 0x30, 0xA3}, 3, r, sizeof(r)), 2);
    assert_int_equal(r[0], 0x80);
    command(&p, (const uint8_t[]){0xF5}, 1, r, sizeof(r));
    assert_int_equal(r[0], 2);
    assert_int_equal(command(&p, (const uint8_t[]){0xF7}, 1, r, sizeof(r)), 8);
    assert_int_equal(2400 * le32(r + 4) / le32(r), 3300);
}

/* stlink-org/stlink chipid.c: READ_IDCODES, CPUID by READDEBUGREG, DBGMCU IDCODE and F_SIZE by READMEM */
static void test_identification_chain(void **state)
{
    (void)state;
    struct stlink p;
    uint8_t r[64], c[16];
    stlink_init(&p, STLINK_V2, &core);
    assert_int_equal(command(&p, (const uint8_t[]){0xF2, 0x31}, 2, r, sizeof(r)), 12);
    assert_int_equal(r[0], 0x80);
    assert_int_equal(le32(r + 4), 0x2BA01477);
    assert_int_equal(command(&p, (const uint8_t[]){0xF2, 0x36, 0x00, 0xED, 0x00, 0xE0}, 6, r, sizeof(r)), 8);
    assert_int_equal(r[0], 0x80);
    assert_int_equal(le32(r + 4), 0x412FC230);
    cdb_mem(c, 0x07, 0xE0042000, 4);
    assert_int_equal(command(&p, c, 16, r, sizeof(r)), 4);
    assert_int_equal(le32(r), 0x10386416);
    cdb_mem(c, 0x0C, 0x1FF8004C, 1); /* an 8-bit read of 1 returns 2 bytes (OpenOCD's stlink_usb.c) */
    assert_int_equal(command(&p, c, 16, r, sizeof(r)), 2);
    assert_int_equal(r[0], 128);
}

/* OpenOCD's stlink_usb.c: memory commands have no status; GETLASTRWSTATUS2 gives it with the fault address */
static void test_memory_faults_and_status(void **state)
{
    (void)state;
    struct stlink p;
    uint8_t r[64], c[16];
    stlink_init(&p, STLINK_V2, &core);
    cdb_mem(c, 0x07, 0x30000000, 8); /* nothing there */
    assert_int_equal(command(&p, c, 16, r, sizeof(r)), 8);
    assert_int_equal(command(&p, (const uint8_t[]){0xF2, 0x3E}, 2, r, sizeof(r)), 12);
    assert_int_equal(r[0] | r[1] << 8, 0x11);
    assert_int_equal(le32(r + 4), 0x30000000);
    cdb_mem(c, 0x07, 0x20000000, 8);
    command(&p, c, 16, r, sizeof(r));
    command(&p, (const uint8_t[]){0xF2, 0x3B}, 2, r, sizeof(r));
    assert_int_equal(r[0], 0x80);
    /* OpenOCD's stlink_usb.c: 8-bit transfers stop at 64 bytes on a V2 */
    cdb_mem(c, 0x0C, 0x20000000, 65);
    assert_int_equal(command(&p, c, 16, r, sizeof(r)), 0);
    /* unknown subcommands answer UNKNOWN_CMD (OpenOCD's stlink_usb.c) */
    command(&p, (const uint8_t[]){0xF2, 0x7F}, 2, r, sizeof(r));
    assert_int_equal(r[0], 0x42);
}

/* WRITEMEM_32 with its data phase, to SRAM and, through the L1 NVM, to flash as a half-page */
static void test_writemem_and_half_page_flashing(void **state)
{
    (void)state;
    struct stlink p;
    uint8_t r[256], c[16], data[128];
    stlink_init(&p, STLINK_V2, &core);
    for (int i = 0; i < 128; i++)
        data[i] = (uint8_t)(i + 1);
    cdb_mem(c, 0x08, 0x20000100, 128);
    assert_int_equal(command(&p, c, 16, r, sizeof(r)), 0);
    stlink_out(&p, data, 128);
    cdb_mem(c, 0x07, 0x20000100, 128);
    assert_int_equal(command(&p, c, 16, r, sizeof(r)), 128);
    assert_memory_equal(r, data, 128);

    static const uint32_t writes[][2] = {
        {0x40023C0C, 0x89ABCDEF}, {0x40023C0C, 0x02030405}, {0x40023C10, 0x8C9DAEBF},
        {0x40023C10, 0x13141516}, {0x40023C04, 1u << 10},   {0x40023C04, 1u << 10 | 1u << 3},
    };
    for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
        uint8_t w[10] = {0xF2, 0x35};
        for (int k = 0; k < 4; k++) {
            w[2 + k] = (uint8_t)(writes[i][0] >> (8 * k));
            w[6 + k] = (uint8_t)(writes[i][1] >> (8 * k));
        }
        command(&p, w, 10, r, sizeof(r));
        assert_int_equal(r[0], 0x80);
    }
    cdb_mem(c, 0x08, 0x08000080, 128);
    command(&p, c, 16, r, sizeof(r));
    stlink_out(&p, data, 128);
    cdb_mem(c, 0x07, 0x08000080, 128);
    command(&p, c, 16, r, sizeof(r));
    assert_memory_equal(r, data, 128);
    assert_int_equal(chip.ctl.l0l1.stats.programs, 1);
    assert_true(p.stats.bytes_out > 256 && p.stats.transfers > 10);
}

/* OpenOCD's stlink_usb.c clocks: V2 SWD and JTAG have their own divisors (JTAG 32 = 1125 kHz
 * by default, 4 = 9000), V3 SET_COM_FREQ byte 2 picks SWD or JTAG; the
 * clock of the mode entered times the wire, and a JTAG access (a 35-bit DR
 * scan, ADIv5 §3.4) takes 41 cycles where SWD takes 46 */
static void test_wire_clocks(void **state)
{
    (void)state;
    struct stlink p;
    uint8_t r[64];
    stlink_init(&p, STLINK_V2, &core);
    command(&p, (const uint8_t[]){0xF2, 0x30, 0xA3}, 3, r, sizeof(r)); /* SWD */
    assert_int_equal(stlink_wire_khz(&p), 1800);
    command(&p, (const uint8_t[]){0xF2, 0x44, 4, 0}, 4, r, sizeof(r)); /* JTAG divisor 4 */
    assert_int_equal(stlink_wire_khz(&p), 1800);
    command(&p, (const uint8_t[]){0xF2, 0x21}, 2, r, sizeof(r)); /* exit */
    command(&p, (const uint8_t[]){0xF2, 0x30, 0xA4}, 3, r, sizeof(r)); /* JTAG */
    assert_true(p.jtag);
    assert_int_equal(stlink_wire_khz(&p), 9000);
    stlink_init(&p, STLINK_V2, &core);
    p.jtag = true;
    assert_int_equal(stlink_wire_khz(&p), 1125);
    uint64_t t0 = chip.now_ns;
    cdb_mem(r, 0x07, 0x20000000, 64); /* READMEM_32: TAR and 16 reads */
    command(&p, r, 16, r, sizeof(r));
    uint64_t jtag_ns = chip.now_ns - t0;
    p.jtag = false;
    p.swd_divisor = 1; /* 1800 kHz */
    t0 = chip.now_ns;
    cdb_mem(r, 0x07, 0x20000000, 64);
    command(&p, r, 16, r, sizeof(r));
    uint64_t swd_ns = chip.now_ns - t0;
    /* the same USB time in both; the wire: 17 x 41 cycles at 1125 kHz against 17 x 46 at 1800 */
    assert_int_equal(jtag_ns - swd_ns, 17ull * 41 * 1000000 / 1125 - 17ull * 46 * 1000000 / 1800);

    stlink_init(&p, STLINK_V3, &core);
    uint8_t set[8] = {0xF2, 0x61, 1, 0, 0x10, 0x27, 0, 0}; /* JTAG, 10000 kHz */
    assert_int_equal(command(&p, set, 8, r, sizeof(r)), 8);
    assert_int_equal(le32(r + 4), 8000);
    assert_int_equal(command(&p, (const uint8_t[]){0xF2, 0x62, 1}, 3, r, sizeof(r)), 52);
    assert_int_equal(le32(r + 4), 8000);
    assert_int_equal(le32(r + 12), 21333);
    assert_int_equal(command(&p, (const uint8_t[]){0xF2, 0x62, 0}, 3, r, sizeof(r)), 52);
    assert_int_equal(le32(r + 12), 24000); /* SWD untouched */
    p.jtag = true;
    assert_int_equal(stlink_wire_khz(&p), 8000);
}

/* pyOCD's stlink.py READ_DAP_REG/WRITE_DAP_REG (port 0xFFFF: the DP), from
 * V2J24: ADIv5 §2.3 DP registers with the power-up handshake, §7.2 MEM-AP
 * IDR, BASE and TAR/DRW; ARMv7-M C1.2 ROM table and component IDs */
static uint32_t dap(struct stlink *p, uint16_t port, uint16_t addr, uint8_t *status)
{
    uint8_t c[6] = {0xF2, 0x45, (uint8_t)port, (uint8_t)(port >> 8), (uint8_t)addr, (uint8_t)(addr >> 8)}, r[8];
    assert_int_equal(command(p, c, sizeof(c), r, sizeof(r)), 8);
    *status = r[0];
    return le32(r + 4);
}

static void test_dap_registers_and_rom_table(void **state)
{
    (void)state;
    struct stlink p;
    uint8_t st, r[8];
    stlink_init(&p, STLINK_V2, &core);
    assert_int_equal(dap(&p, 0xFFFF, 0x0, &st), 0x2BA01477); /* the L1's SW-DP */
    assert_int_equal(st, 0x80);
    uint8_t w[10] = {0xF2, 0x46, 0xFF, 0xFF, 0x04, 0x00, 0x00, 0x00, 0x00, 0x50}; /* CTRL/STAT: both power-up requests */
    assert_int_equal(command(&p, w, sizeof(w), r, 2), 2);
    assert_int_equal(r[0], 0x80);
    assert_int_equal(dap(&p, 0xFFFF, 0x4, &st) & 0xF0000000u, 0xF0000000u); /* and their acks */
    assert_int_equal(dap(&p, 0, 0xFC, &st), 0x24770011); /* AHB-AP of a Cortex-M3 */
    assert_int_equal(dap(&p, 1, 0xFC, &st), 0);          /* no second AP: the scan ends */
    assert_int_equal(dap(&p, 0, 0xF8, &st), 0xE00FF003);
    /* TAR and DRW read memory: the reset vector's word */
    uint8_t tar[10] = {0xF2, 0x46, 0x00, 0x00, 0x04, 0x00, 0x00, 0xED, 0x00, 0xE0}; /* TAR = CPUID */
    command(&p, tar, sizeof(tar), r, 2);
    assert_int_equal(dap(&p, 0, 0x0C, &st), 0x412FC230);
    /* the ROM table points at the SCS, whose IDs say Cortex-M3 (part 0x000, class 0xE, ARM) */
    uint32_t v;
    assert_int_equal(sim_core_bus_read(&core, 0xE00FF000, 4, &v), SIM_BUS_OK);
    assert_int_equal(0xE00FF000u + (v & 0xFFFFF000u), 0xE000E000u);
    assert_int_equal(v & 3, 3);
    assert_int_equal(sim_core_bus_read(&core, 0xE000EFF4, 4, &v), SIM_BUS_OK);
    assert_int_equal(v, 0xE0);
    assert_int_equal(sim_core_bus_read(&core, 0xE000EFE0, 4, &v), SIM_BUS_OK);
    assert_int_equal(v, 0x00);
    assert_int_equal(sim_core_bus_read(&core, 0xE000EFE4, 4, &v), SIM_BUS_OK);
    assert_int_equal(v, 0xB0);
    /* before J24 the command is unknown */
    stlink_set_version(&p, "V2J23S7");
    uint8_t old[6] = {0xF2, 0x45, 0xFF, 0xFF, 0x00, 0x00};
    command(&p, old, sizeof(old), r, sizeof(r));
    assert_int_equal(r[0], 0x42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_modes_and_voltage),
        cmocka_unit_test(test_identification_chain),
        cmocka_unit_test(test_memory_faults_and_status),
        cmocka_unit_test(test_writemem_and_half_page_flashing),
        cmocka_unit_test(test_wire_clocks),
        cmocka_unit_test(test_dap_registers_and_rom_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
