/* SPDX-License-Identifier: MIT */
/* Clones and compatibles (libimage/target/clones.map): the map format's
 * keywords for them, and fw_probe_identify telling each from the STM32
 * parts sharing its device id, in-process against fwsim's chip answering
 * with the same facts. */
#include "support.h"

#include <string.h>

#include "fwkit/flash.h"
#include "fwkit/probe.h"
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

static const fw_target *part(const fw_target_db *in, const char *name)
{
    size_t n = 0;
    const fw_target *t = fw_target_find(in, name, NULL, 0, &n);
    if (!t)
        fail_msg("no part %s", name);
    return t;
}

static int open_probe(struct sim_bench *b, fw_probe **p, fw_diag *d)
{
    fw_probe_info info;
    struct fw_transport *t = sim_host_transport_new(&b->link, "46574B49543353494D000001", &info);
    assert_non_null(t);
    fw_probe_options o = {.mode = FW_CONNECT_NORMAL};
    return fw_probe_open_transport(&o, t, &info, p, d);
}

/* identifies the chip a bench built for name holds, after change (may be NULL) */
static void identify(const char *name, void (*change)(struct sim_bench *), fw_chip_id *id)
{
    struct sim_bench b;
    struct sim_bench_setup s = {0};
    sim_bench_up(&b, db, name, &s);
    if (change)
        change(&b);
    fw_diag *d = fw_diag_new();
    fw_probe *p = NULL;
    assert_int_equal(open_probe(&b, &p, d), FW_OK);
    assert_int_equal(fw_probe_identify(p, db, id, d), FW_OK);
    fw_probe_close(p);
    fw_diag_free(d);
    sim_bench_down(&b);
}

/* every part of clones.map is found as itself, never as an STM32, and an
 * STM32F103C8 stays one */
static void test_each_clone_is_told_apart(void **state)
{
    (void)state;
    size_t clones = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        if (!t->vendor)
            continue;
        clones++;
        fw_chip_id id;
        identify(t->name, NULL, &id);
        if (id.target != t || id.unmatched || !id.how[0])
            fail_msg("%s was found as %s (unmatched %d, how '%s')", t->name, id.target ? id.target->name : "nothing",
                     id.unmatched, id.how);
    }
    assert_int_equal(clones, 14);
    fw_chip_id id;
    identify("STM32F103C8", NULL, &id);
    assert_non_null(id.target);
    assert_null(id.target->vendor);
    assert_string_equal(id.target->family, "STM32F1");
    assert_false(id.unmatched);
    assert_string_equal(id.how, "");
    assert_true(id.has_designer);
    assert_int_equal(id.designer, 0x020); /* ST's JEP106 code, from fwsim's ROM table */
}

/* FLASH_CR as identification read it (the CH32/APM32 identify word) */
static uint32_t flash_cr(const fw_chip_id *id)
{
    for (size_t i = 0; i < id->nwords; i++)
        if (id->words[i].addr == 0x40022010u)
            return id->words[i].value;
    fail_msg("FLASH_CR was not read");
    return 0;
}

/* what tells each from ST's part, in words */
static void test_how_in_words(void **state)
{
    (void)state;
    fw_chip_id id;
    identify("CKS32F103C8", NULL, &id);
    assert_string_equal(id.how, "DP IDCODE 0x2BA01477 where ST's is 0x1BA01477");
    identify("GD32F103C8", NULL, &id);
    assert_string_equal(id.how, "its ROM table names designer 0x751 (GigaDevice) where ST's names 0x020");
    assert_int_equal(id.rev_id, 0x1303);
    identify("CH32F103C8", NULL, &id);
    assert_int_equal(id.idcode, 0x20000410);
    assert_true(flash_cr(&id) & 0x8000); /* FLOCK */
    identify("APM32F103C8", NULL, &id);
    assert_false(flash_cr(&id) & 0x8000);
    identify("AT32F403ARC", NULL, &id);
    assert_string_equal(id.how, "its DBGMCU_IDCODE 0x70050241 names it");
    identify("GD32F303CC", NULL, &id);
    assert_string_equal(id.target->name, "GD32F303CC"); /* a Cortex-M4: not the GD32F103VC with the same id */
}

static void foreign_dp(struct sim_bench *b)
{
    b->chip.dp_idcode = 0x5BA02477; /* no part of the data has it */
}

/* a chip whose facts fit no part: the nearest, said unmatched */
static void test_unknown_clone(void **state)
{
    (void)state;
    fw_chip_id id;
    identify("STM32F103C8", foreign_dp, &id);
    assert_true(id.unmatched);
    assert_non_null(id.target);
    assert_int_equal(id.dp_idcode, 0x5BA02477);
    assert_false(fw_chip_id_fits(&id, part(db, "STM32F103C8")));
    assert_false(fw_chip_id_fits(&id, part(db, "CKS32F103C8")));
}

/* the incompatible controller: no driver, and the reason */
static void test_incompatible_has_no_driver(void **state)
{
    (void)state;
    fw_diag *d = fw_diag_new();
    assert_null(fw_flash_driver_for(part(db, "AT32F435CC"), d));
    const fw_diagnostic *e = find_rule(d, "FLASH-CLONE-INCOMPATIBLE");
    assert_non_null(e);
    assert_non_null(strstr(e->message, "0x40023C00"));
    assert_non_null(fw_flash_driver_for(part(db, "AT32F403ARC"), NULL));
    fw_diag_free(d);
}

static int parse(fw_target_db *mdb, const char *text, fw_diag *d)
{
    return fw_target_db_add_text(mdb, text, strlen(text), "clones-test.map", d);
}

/* the format: a family extending another, the new keywords, and what
 * they refuse */
static void test_map_keywords(void **state)
{
    (void)state;
    fw_target_db *mdb = fw_target_db_new();
    fw_diag *d = fw_diag_new();
    assert_int_equal(parse(mdb,
                           "[family BASE]\ncore cortex-m3\ndp-idcode 0x1ba01477 0x3ba00477\ndesigner 0x020\n"
                           "region BOOT_ALIAS boot-alias 0 flash alias-of FLASH\n"
                           "[family COPY]\nfamily BASE\nvendor Someone Else\ndesigner 0x555\ndp-idcode 0 0\n"
                           "identify 0x40022010 0x8000 0x8000 bit 15 reads 1\nidcode 0x20000410 0xffff0fff\n"
                           "flash-compatible works as BASE's\n"
                           "[target C1]\nfamily COPY\nclone-of B1\ndevice-id 0x410\n"
                           "region FLASH flash 0x08000000 64K erase 1K\n",
                           d),
                     FW_OK);
    const fw_target *t = part(mdb, "C1");
    assert_string_equal(t->core, "cortex-m3"); /* from BASE, through COPY */
    assert_non_null(fw_target_region_of_kind(t, FW_REGION_BOOT_ALIAS));
    assert_int_equal(t->designer, 0x555); /* COPY's own */
    assert_false(t->has_dp_idcode);       /* "0 0": not BASE's */
    assert_string_equal(t->vendor, "Someone Else");
    assert_string_equal(t->clone_of, "B1");
    assert_int_equal(t->nidentify, 1);
    assert_string_equal(t->identify[0].what, "bit 15 reads 1");
    assert_int_equal(t->idcode_mask, 0xffff0fff);
    assert_string_equal(t->flash_compatible, "works as BASE's");
    static const char *const bad[] = {
        "[target X]\nidentify 0x40022011 0x8000 0x8000 unaligned\n",
        "[target X]\nidentify 0x40022010 0x8000 0x4000 outside the mask\n",
        "[target X]\ndesigner 0x1000\n",
        "[target X]\nidcode 0x410\n",
        "[family F]\nfamily NOWHERE\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fw_diag *e = fw_diag_new();
        if (parse(mdb, bad[i], e) != FW_EFORMAT)
            fail_msg("accepted: %s", bad[i]);
        fw_diag_free(e);
    }
    fw_diag_free(d);
    fw_target_db_free(mdb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_clone_is_told_apart),
        cmocka_unit_test(test_how_in_words),
        cmocka_unit_test(test_unknown_clone),
        cmocka_unit_test(test_incompatible_has_no_driver),
        cmocka_unit_test(test_map_keywords),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
