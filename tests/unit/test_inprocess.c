/* SPDX-License-Identifier: MIT */
/* The probe and flash layers in-process against fwsim's models, through
 * fw_probe_open_transport and fwsim's host transport: no USB, no umockdev,
 * only the modelled clock. fwflash's write (connect, identify, bank mode,
 * read protection, plan, prepare, write, verify on the chip, reset, boot
 * check, let go) under each quirk, under old probe firmware, and where only the user
 * can act; the chip's flash is compared with the image byte for byte. */
#include "support.h"

#include <string.h>
#include <time.h>

#include "fwkit/core.h"
#include "fwkit/flash.h"
#include "fwkit/transport.h"

#include "../../tools/fwsim/host_transport.h"
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

static void bench_up(struct sim_bench *b, const char *part, sim_quirks quirks, int rdp_level)
{
    struct sim_bench_setup s = {.quirks = quirks, .rdp1 = rdp_level == 1};
    sim_bench_up(b, db, part, &s);
}

static void bench_down(struct sim_bench *b)
{
    sim_bench_down(b);
}

/* the first error's words, for a failure message */
static const char *first_error(const fw_diag *d)
{
    const fw_diagnostic *e = first_of(d, FW_ERROR);
    return e ? e->message : "failed";
}

static int open_probe(struct sim_bench *b, fw_probe **p, fw_diag *d)
{
    fw_probe_info info;
    struct fw_transport *t = sim_host_transport_new(&b->link, "46574B49543353494D000001", &info);
    assert_non_null(t);
    fw_probe_options o = {.mode = FW_CONNECT_NORMAL};
    return fw_probe_open_transport(&o, t, &info, p, d);
}

/* fwflash write's phases, as the library offers them */
static int write_image(fw_probe *p, const fw_image *img, fw_diag *d)
{
    fw_chip_id id;
    int rc = fw_probe_identify(p, db, &id, d);
    if (rc || !id.target)
        return rc ? rc : FW_EDEVICE;
    if ((rc = fw_flash_bank_mode(p, db, &id.target, d)))
        return rc;
    const fw_flash_driver *drv = fw_flash_driver_for(id.target, d);
    if (!drv)
        return FW_EDEVICE;
    fw_flash_plan *plan = NULL;
    fw_flash_options fo = {0};
    fw_flash_result r;
    if (!(rc = fw_flash_require_unprotected(p, drv, id.target, d)) &&
        !(rc = fw_flash_plan_make(img, id.target, drv, &plan, d)) && !(rc = fw_flash_prepare(p, id.target, d)) &&
        !(rc = fw_flash_write(p, drv, plan, &fo, &r, d)) && !(rc = fw_flash_verify_on_chip(p, plan, d)) &&
        !(rc = fw_probe_reset(p, false, d))) {
        fw_boot_check boot;
        if (!(rc = fw_core_check_boot(p, 0, &boot, d)) && boot.verdict != FW_BOOT_RUNS) {
            fw_diag_add(d, FW_ERROR, "FLASH-BOOT", NULL, "%s", boot.said);
            rc = FW_EDEVICE;
        }
    }
    fw_flash_plan_free(plan);
    return rc;
}

/* the chip's flash holds every byte of the image */
static void assert_holds(struct sim_bench *b, const fw_image *img)
{
    for (size_t i = 0; i < fw_image_chunk_count(img); i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        assert_true(c->addr >= b->chip.flash->base && c->addr + c->len <= (uint64_t)b->chip.flash->base + b->chip.flash->size);
        assert_memory_equal(b->chip.flash->bytes + (c->addr - b->chip.flash->base), c->data, c->len);
    }
}

/* connects and writes img, failing the test with what and the first error */
static void connect_and_write(struct sim_bench *b, const fw_image *img, fw_diag *d, const char *what)
{
    fw_probe *p = NULL;
    int rc = open_probe(b, &p, d);
    if (!rc)
        rc = write_image(p, img, d);
    if (rc)
        fail_msg("%s: %s", what, first_error(d));
    fw_probe_close(p);
    assert_holds(b, img);
}

static const char *const l476_image = "samples/blinky/blinky-stm32l476rg.elf";

/* every quirk that leaves a way for fwflash: it writes, verifies and lets go,
 * within a bounded modelled time */
static void test_every_quirk(void **state)
{
    (void)state;
    fw_image *img = must_read(l476_image, NULL);
    for (unsigned q = 0; q < QUIRK_COUNT; q++) {
        struct sim_bench b;
        bench_up(&b, "STM32L476RG", 1u << q, 0);
        fw_diag *d = fw_diag_new();
        connect_and_write(&b, img, d, sim_quirk_info(q)->name);
        /* the preparation (reset halted, watchdog frozen and stretched) kept
         * the loaders whole: no quirk made them fail over to the debug port */
        if (find_rule(d, "FLASH-LOADER"))
            fail_msg("quirk %s: %s", sim_quirk_info(q)->name, find_rule(d, "FLASH-LOADER")->message);
        assert_true(b.chip.now_ns < 60ull * 1000000000u); /* modelled: the write with every wait is short */
        assert_int_equal(b.core.debug_ctrl & 1, 0);       /* C_DEBUGEN cleared: let go */
        fw_diag_free(d);
        bench_down(&b);
    }
    fw_image_free(img);
}

/* swd-lost with NRST unwired: the connect stops, naming the causes and
 * the way out; swd-lost alone: the connect under reset works and says so */
static void test_swd_lost(void **state)
{
    (void)state;
    struct sim_bench b;
    fw_probe *p = NULL;
    bench_up(&b, "STM32L476RG", 1u << QUIRK_SWD_LOST | 1u << QUIRK_NRST_UNWIRED, 0);
    fw_diag *d = fw_diag_new();
    assert_int_equal(open_probe(&b, &p, d), FW_EDEVICE);
    const fw_diagnostic *e = find_rule(d, "PROBE-TARGET");
    assert_non_null(e);
    assert_non_null(strstr(e->hint, "BOOT0 high"));
    fw_diag_free(d);
    bench_down(&b);

    bench_up(&b, "STM32L476RG", 1u << QUIRK_SWD_LOST, 0);
    d = fw_diag_new();
    assert_int_equal(open_probe(&b, &p, d), FW_OK);
    assert_non_null(find_rule(d, "PROBE-UNDER-RESET"));
    fw_probe_close(p);
    fw_diag_free(d);
    bench_down(&b);
}

/* obl-drop: unlock's option-byte reload takes the link down; debug mode is
 * entered again, the level read, and it is 0 */
static void test_obl_drop(void **state)
{
    (void)state;
    struct sim_bench b;
    fw_probe *p = NULL;
    bench_up(&b, "STM32L476RG", 1u << QUIRK_OBL_DROP, 1);
    assert_int_equal(b.chip.ob.rdp_level, 1);
    fw_diag *d = fw_diag_new();
    assert_int_equal(open_probe(&b, &p, d), FW_OK);
    fw_chip_id id;
    assert_int_equal(fw_probe_identify(p, db, &id, d), FW_OK);
    int was = -1;
    assert_int_equal(fw_flash_read_unprotect(p, fw_flash_driver_for(id.target, d), id.target, &was, d), FW_OK);
    assert_int_equal(was, 1);
    assert_non_null(find_rule(d, "PROBE-RELINK"));
    assert_int_equal(b.chip.ob.rdp_level, 0);
    fw_probe_close(p);
    fw_diag_free(d);
    bench_down(&b);
}

/* old probe firmware: each gate checked before its command, so fwsim
 * counts none the firmware lacks, and the write still verifies */
static void test_old_firmware(void **state)
{
    (void)state;
    static const char *const versions[] = {"V2J12S4", "V2J14S4", "V2J21S4", "V2J25S4", "V2J37M26", "V3J2"};
    fw_image *img = must_read(l476_image, NULL);
    for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
        struct sim_bench b;
        bench_up(&b, "STM32L476RG", 0, 0);
        assert_true(stlink_set_version(&b.link, versions[i]));
        fw_diag *d = fw_diag_new();
        connect_and_write(&b, img, d, versions[i]);
        assert_int_equal(b.link.stats.unsupported, 0);
        fw_diag_free(d);
        bench_down(&b);
    }
    fw_image_free(img);
}

/* a probe an interrupted session left in debug mode (JTAG): debug mode is
 * left first and entered afresh over SWD, as OpenOCD does, and the write
 * goes on */
static void test_left_in_debug_mode(void **state)
{
    (void)state;
    fw_image *img = must_read(l476_image, NULL);
    struct sim_bench b;
    bench_up(&b, "STM32L476RG", 0, 0);
    b.link.mode = 2; /* GET_CURRENT_MODE: debug */
    b.link.jtag = true;
    fw_diag *d = fw_diag_new();
    connect_and_write(&b, img, d, "left in debug mode");
    assert_int_equal(b.link.stats.commands[0x21], 2); /* EXIT: at open and at close */
    assert_false(b.link.jtag);                        /* entered again over SWD */
    fw_diag_free(d);
    bench_down(&b);
    fw_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_quirk),
        cmocka_unit_test(test_swd_lost),
        cmocka_unit_test(test_obl_drop),
        cmocka_unit_test(test_old_firmware),
        cmocka_unit_test(test_left_in_debug_mode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
