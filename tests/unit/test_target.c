/* SPDX-License-Identifier: MIT */
/* The target database: the built-in STM32 data, its errata fixes, look-ups
 * by name and by probe ids, and the map-file format with its errors. */
#include "support.h"

#include <string.h>

#include "fwkit/target.h"

static fw_target_db *builtin(void)
{
    fw_target_db *db = fw_target_db_new();
    fw_diag *d = fw_diag_new();
    int rc = fw_target_db_add_builtin(db, d);
    if (rc)
        fail_msg("built-in database: %s", fw_diag_count(d) ? fw_diag_at(d, 0)->message : fw_strerror(rc));
    fw_diag_free(d);
    return db;
}

static const fw_target *must_find(const fw_target_db *db, const char *name)
{
    const fw_target *cand[8];
    size_t n;
    const fw_target *t = fw_target_find(db, name, cand, 8, &n);
    if (!t)
        fail_msg("%s: not found (%zu candidates)", name, n);
    return t;
}

static const fw_region *region(const fw_target *t, const char *name)
{
    for (size_t i = 0; i < t->nregions; i++)
        if (!strcmp(t->regions[i].name, name))
            return &t->regions[i];
    fail_msg("%s has no region %s", t->name, name);
    return NULL;
}

static void test_builtin_database_covers_every_part(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    size_t st = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++)
        st += fw_target_db_at(db, i)->vendor == NULL;
    assert_int_equal(st, 1616);                        /* stm32.map */
    assert_int_equal(fw_target_db_count(db) - st, 14); /* clones.map */
    size_t without_flash = 0;
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *t = fw_target_db_at(db, i);
        assert_true(t->ndevice_ids >= 1);
        assert_non_null(t->family);
        if (!fw_target_flash_size(t))
            without_flash++;
        /* regions sorted, none past the end of the address space */
        for (size_t k = 1; k < t->nregions; k++)
            assert_true(t->regions[k - 1].base <= t->regions[k].base);
    }
    /* only STM32MP1 (12) and STM32N6 (24) have no internal flash */
    assert_int_equal(without_flash, 36);
    fw_target_db_free(db);
}

static void test_stm32l100rb_is_described_in_full(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    const fw_target *t = must_find(db, "STM32L100RB");
    assert_string_equal(t->family, "STM32L1");
    assert_string_equal(t->core, "cortex-m3");
    assert_int_equal(t->arch, FW_ARCH_ARM);
    assert_int_equal(t->fpu, FW_FPU_NONE);
    assert_int_equal(t->device_ids[0], 0x416);
    assert_int_equal(t->flash_size_register, 0x1FF8004C);
    assert_int_equal(t->dbgmcu_idcode, 0xE0042000);
    const fw_region *f = region(t, "BANK_1");
    assert_int_equal(f->kind, FW_REGION_FLASH);
    assert_int_equal(f->base, 0x08000000);
    assert_int_equal(f->size, 128 * 1024);
    assert_int_equal(f->erase_size, 256);
    assert_int_equal(f->erased, 0x00);
    assert_int_equal(f->nlayout, 1);
    assert_int_equal(f->layout[0].count, 512);
    assert_int_equal(region(t, "SRAM")->size, 10 * 1024);
    assert_int_equal(region(t, "EEPROM")->size, 2 * 1024); /* datasheet, not the die's 4 KiB */
    const fw_region *alias = region(t, "BOOT_ALIAS");
    assert_int_equal(alias->kind, FW_REGION_BOOT_ALIAS);
    assert_int_equal(alias->base, 0);
    assert_int_equal(alias->size, 128 * 1024);
    assert_string_equal(alias->alias_of, "BANK_1");
    assert_int_equal(fw_target_region_at(t, 0x00000100)->kind, FW_REGION_BOOT_ALIAS);
    assert_int_equal(fw_target_region_at(t, 0x0801FFFF)->kind, FW_REGION_FLASH);
    assert_null(fw_target_region_at(t, 0x08020000));
    assert_int_equal(fw_target_region_at(t, 0x1FF80000)->kind, FW_REGION_OPTION_BYTES);
    assert_int_equal(fw_target_region_at(t, 0x1FF00000)->kind, FW_REGION_SYSTEM);
    assert_int_equal(fw_target_region_at(t, 0x40023C00)->kind, FW_REGION_PERIPHERAL);
    fw_target_db_free(db);
}

static void test_errata_are_fixed(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    const fw_target *t = must_find(db, "STM32F746NG");
    assert_int_equal(region(t, "OTP")->base, 0x1FF0F000);
    assert_int_equal(region(t, "OTP")->size, 1024);
    assert_int_equal(region(must_find(db, "STM32L100RC"), "EEPROM")->size, 4096);
    assert_int_equal(region(must_find(db, "STM32F103C8"), "BANK_1")->write_size, 2);
    assert_int_equal(region(must_find(db, "STM32H7A3ZI"), "BANK_1")->write_size, 16);
    t = must_find(db, "STM32WB35CC");
    assert_int_equal(t->ndevice_ids, 2);
    assert_int_equal(t->device_ids[1], 0x496);
    /* no bogus H5 external windows */
    t = must_find(db, "STM32H563ZI");
    for (size_t i = 0; i < t->nregions; i++)
        assert_true(t->regions[i].size != 262144000);
    /* L1 category 3+ parts keep F_SIZE elsewhere; F7 has no flash alias at 0 */
    assert_int_equal(must_find(db, "STM32L152RC")->flash_size_register, 0x1FF800CC);
    t = must_find(db, "STM32F746NG");
    assert_true(fw_target_region_at(t, 0) == NULL || fw_target_region_at(t, 0)->kind != FW_REGION_BOOT_ALIAS);
    assert_int_equal(fw_target_region_at(t, 0x00200000)->kind, FW_REGION_BOOT_ALIAS);
    fw_target_db_free(db);
}

static void test_names_as_users_write_them(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    assert_string_equal(must_find(db, "STM32L100RBT6")->name, "STM32L100RB");
    assert_string_equal(must_find(db, "stm32l100rb")->name, "STM32L100RB");
    assert_string_equal(must_find(db, "L100RB")->name, "STM32L100RB");
    assert_string_equal(must_find(db, "STM32F103C8T6")->name, "STM32F103C8");
    assert_string_equal(must_find(db, "STM32L151CBxxA")->name, "STM32L151CB-A");
    assert_string_equal(must_find(db, "stm32l100rb-a")->name, "STM32L100RB-A");
    assert_string_equal(must_find(db, "STM32F407VGT6")->name, "STM32F407VG");
    const fw_target *cand[8];
    size_t n;
    assert_null(fw_target_find(db, "STM32F407", cand, 8, &n));
    assert_true(n > 1);
    for (size_t i = 0; i < (n < 8 ? n : 8); i++)
        assert_int_equal(strncmp(cand[i]->name, "STM32F407", 9), 0);
    assert_null(fw_target_find(db, "ATSAMD21G18", cand, 8, &n));
    assert_int_equal(n, 0);
    fw_target_db_free(db);
}

static void test_probe_ids_find_the_memory_map(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    size_t n;
    const fw_target *t = fw_target_find_by_id(db, 0x416, 128 * 1024, &n);
    assert_non_null(t);
    assert_true(n >= 3); /* L100RB, L151RB, L152RB share the die */
    assert_int_equal(fw_target_flash_size(t), 128 * 1024);
    assert_int_equal(region(t, "BANK_1")->erased, 0);
    t = fw_target_find_by_id(db, 0x413, 1024 * 1024, &n);
    assert_non_null(t);
    assert_int_equal(region(t, "BANK_1")->nlayout, 3);
    assert_null(fw_target_find_by_id(db, 0x416, 3 * 1024, &n));
    assert_int_equal(n, 0);
    fw_target_db_free(db);
}

/* the span of all flash runs over both banks of a dual-bank part */
static void test_flash_span_covers_every_bank(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    size_t n;
    uint64_t lo, end;
    const fw_target *t = fw_target_find(db, "STM32F429ZI", NULL, 0, &n);
    assert_non_null(t);
    assert_true(fw_target_flash_span(t, &lo, &end));
    assert_int_equal(lo, 0x08000000);
    assert_int_equal(end, 0x08200000);
    t = fw_target_find(db, "STM32F103C8", NULL, 0, &n);
    assert_non_null(t);
    assert_true(fw_target_flash_span(t, &lo, &end));
    assert_int_equal(end - lo, 64 * 1024);
    fw_target_db_free(db);
}

static void test_user_map_for_a_riscv_part(void **state)
{
    (void)state;
    const char *text = "# my board\n"
                       "[target GD32VF103CB]\n"
                       "core rv32imac\n"
                       "reset 0x08000000\n"
                       "region ALIAS boot-alias 0x00000000 flash alias-of FLASH\n"
                       "region FLASH flash 0x08000000 128K erase 1K write 2 erased 0xff\n"
                       "region SRAM ram 0x20000000 32K\n";
    fw_target_db *db = fw_target_db_new();
    fw_diag *d = fw_diag_new();
    assert_int_equal(fw_target_db_add_text(db, text, strlen(text), "board.map", d), FW_OK);
    const fw_target *t = must_find(db, "gd32vf103cb");
    assert_int_equal(t->arch, FW_ARCH_RISCV);
    assert_int_equal(t->reset_address, 0x08000000);
    assert_int_equal(t->regions[0].size, 128 * 1024);
    assert_int_equal(t->defined_line, 2);
    assert_string_equal(t->defined_in, "board.map");
    fw_target_db_free(db);
    fw_diag_free(d);
}

/* the boot data both fwflash diagnose and fwsim read */
static void test_boot_configuration_data(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    char name[16];
    const fw_target *l1 = must_find(db, "STM32L100RB"), *g0 = must_find(db, "STM32G071RB"),
                    *h7 = must_find(db, "STM32H743ZI"), *f1 = must_find(db, "STM32F103C8");
    assert_true(l1->has_boot_memory);
    assert_int_equal(l1->boot_memory_shift, 8); /* BOOT_MODE, read-only */
    assert_string_equal(fw_target_boot_memory_name(l1, 1, name, sizeof(name)), "system");
    assert_null(fw_target_boot_memory_name(l1, 2, name, sizeof(name))); /* reserved */
    assert_string_equal(fw_target_boot_memory_name(g0, 2, name, sizeof(name)), "flash"); /* "x0" */
    assert_true(g0->has_boot_options);
    assert_int_equal(g0->nboot_sel_bit, 1u << 24);
    assert_int_equal(g0->boot_empty_bit, 1u << 16);
    assert_true(h7->has_boot_address && !h7->has_boot_memory);
    assert_false(f1->has_boot_memory || f1->has_boot_options || f1->has_boot_address);
    /* what a probe cannot tell apart is named as a group */
    char group[64];
    assert_string_equal(fw_target_group_name(db, must_find(db, "STM32F407VG"), group, sizeof(group)),
                        "STM32F405/407/415/417");
    assert_string_equal(fw_target_group_name(db, l1, group, sizeof(group)), "STM32L100RB");
    fw_target_db_free(db);
    fw_diag *d = fw_diag_new();
    db = fw_target_db_new();
    const char *bad = "[target X]\nboot-memory 0x40010000 0 3 flash rom\n";
    assert_int_equal(fw_target_db_add_text(db, bad, strlen(bad), "bad.map", d), FW_EFORMAT);
    expect_error_at(d, "MAP-SYNTAX", 2, 34, "'rom' is not flash, system, sram, external or -");
    fw_target_db_free(db);
    fw_diag_free(d);
}

/* STM32WB: the cpu2-area data line (RM0434 FLASH_SFR: SFSA 7:0, FSD bit 8),
 * read by every WB part from its family; none elsewhere (a line short of a
 * value: test_map_errors_name_line_and_column) */
static void test_cpu2_area_data(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    const fw_target *wb = must_find(db, "STM32WB55RG"), *wl = must_find(db, "STM32WL55JC");
    assert_true(wb->has_cpu2_area);
    assert_int_equal(wb->cpu2_area_reg, 0x58004080u);
    assert_int_equal(wb->cpu2_sfsa_mask, 0xFFu);
    assert_int_equal(wb->cpu2_fsd_mask, 0x100u);
    assert_int_equal(wb->cpu2_factory_bytes, 48u * 1024);
    assert_false(wl->has_cpu2_area);
    fw_target_db_free(db);
}

/* The loader-clock data line: MSI 24 MHz with its wait states, from
 * OpenOCD 0.12's reset-init (L4, WB/WL) and ST's U5 HAL (U5); none on a
 * family whose reset clock is fast (its errors: test_map_errors_name_line_and_column) */
static void test_loader_clock_data(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    const fw_target *u5 = must_find(db, "STM32U575ZI"), *l4 = must_find(db, "STM32L476RG"),
                    *wb = must_find(db, "STM32WB55RG"), *f4 = must_find(db, "STM32F407VG");
    assert_true(u5->has_loader_clock);
    assert_int_equal(u5->loader_clock_khz, 24000);
    assert_int_equal(u5->loader_acr_reg, 0x40022000u);
    assert_int_equal(u5->loader_acr_value, 2);
    assert_int_equal(u5->loader_clock_reg, 0x46020C08u);
    assert_int_equal(u5->loader_clock_mask, 0xF0800000u);
    assert_int_equal(u5->loader_clock_value, 0x10800000u);
    assert_true(l4->has_loader_clock);
    assert_int_equal(l4->loader_acr_value, 3);
    assert_int_equal(l4->loader_clock_value, 0x98u);
    assert_int_equal(wb->loader_clock_reg, 0x58000000u);
    assert_false(f4->has_loader_clock);
    fw_target_db_free(db);
}

/* The second-core data line: H745/H747's Cortex-M4 on AP3, booting from
 * FLASH_BOOT4_CUR when OPTSR's BCM4 is set or RCC_GCR's BOOT_C2 releases
 * it (RM0399); none on the single-core H743 or on WB, whose CPU2 no probe
 * reaches (its errors: test_map_errors_name_line_and_column) */
static void test_second_core_data(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    const fw_target *h745 = must_find(db, "STM32H745ZI"), *h747 = must_find(db, "STM32H747XI"),
                    *h743 = must_find(db, "STM32H743ZI"), *wb = must_find(db, "STM32WB55RG");
    assert_true(h745->has_second_core);
    assert_int_equal(h745->second_core_ap, 3);
    assert_int_equal(h745->second_boot_reg, 0x52002048u);
    assert_int_equal(h745->second_boot_shift, 16);
    assert_int_equal(h745->second_boot_factory, 0x10000810u);
    assert_int_equal(h745->second_gate_reg, 0x5200201Cu);
    assert_int_equal(h745->second_gate_mask, 1u << 22);
    assert_int_equal(h745->second_release_reg, 0x580244A0u);
    assert_int_equal(h745->second_release_mask, 1u << 3);
    assert_true(h747->has_second_core);
    assert_false(h743->has_second_core);
    assert_false(wb->has_second_core);
    /* (fwsim) D2's clock flag, RCC_CR D2CKRDY, and the HSEM with the CM7's
     * COREID 3 and the CM4's 1 */
    assert_true(h745->has_second_domain && h747->has_second_domain);
    assert_int_equal(h745->second_domain_reg, 0x58024400u);
    assert_int_equal(h745->second_domain_mask, 1u << 15);
    assert_true(h745->has_hsem && h747->has_hsem);
    assert_int_equal(h745->hsem_base, 0x58026400u);
    assert_int_equal(h745->hsem_main_id, 3);
    assert_int_equal(h745->hsem_second_id, 1);
    assert_false(h743->has_second_domain || h743->has_hsem);
    fw_target_db_free(db);
}

/* H7's system debug AP (AP2, APB-D; OpenOCD's stm32h7x.cfg): its window
 * 0xE00E0000-0xE00FFFFF is the system bus's from 0x5C000000 on every H7,
 * none elsewhere (its errors: test_map_errors_name_line_and_column) */
static void test_system_debug_ap_data(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    const fw_target *h743 = must_find(db, "STM32H743ZI"), *h745 = must_find(db, "STM32H745ZI"),
                    *f4 = must_find(db, "STM32F407VG");
    assert_true(h743->has_system_ap);
    assert_int_equal(h743->system_ap, 2);
    assert_int_equal(h743->system_ap_base, 0xE00E0000u);
    assert_int_equal(h743->system_ap_bus_base, 0x5C000000u);
    assert_int_equal(h743->system_ap_size, 0x20000u);
    assert_true(h745->has_system_ap);
    assert_false(f4->has_system_ap);
    fw_target_db_free(db);
}

/* TrustZone parts: the trustzone data line (RM0438/RM0456/RM0493 FLASH_OPTR
 * TZEN, NSBOOTADD0R, SECBOOTADD0R), and the secure view a secure debugger
 * sees: every memory at its secure alias, the non-secure address its alias */
static void test_trustzone_data_and_secure_view(void **state)
{
    (void)state;
    fw_target_db *db = builtin();
    const fw_target *u5 = must_find(db, "STM32U575ZI"), *l5 = must_find(db, "STM32L552ZE");
    assert_true(u5->has_trustzone);
    assert_int_equal(u5->trustzone_reg, 0x40022040u);
    assert_true(fw_target_trustzone_on(u5, 0x80000000u | 0xAA));
    assert_false(fw_target_trustzone_on(u5, 0x7FFFFFFFu));
    assert_int_equal(u5->ns_boot_reg, 0x40022044u);
    assert_int_equal(u5->ns_boot1_reg, 0x40022048u);
    assert_int_equal(u5->secure_boot_reg, 0x4002204Cu);
    assert_int_equal(fw_target_boot_address(u5, 0x0C00007Fu), 0x0C000000u);
    /* H5: a TZEN byte (RM0481 FLASH_OPTSR2: 0xB4 on, 0xC3 off), boot addresses above a lock byte */
    const fw_target *h5 = must_find(db, "STM32H563ZI");
    assert_true(fw_target_trustzone_on(h5, 0xB4000000u));
    assert_false(fw_target_trustzone_on(h5, 0xC3000000u));
    assert_int_equal(h5->ns_boot1_reg, 0);
    assert_int_equal(fw_target_boot_address(h5, 0x080000C3u), 0x08000000u);
    assert_false(must_find(db, "STM32L476RG")->has_trustzone);
    const fw_target *v = fw_target_db_secure_view(db, u5);
    assert_non_null(v);
    assert_true(v->secure_view && !u5->secure_view);
    const fw_region *flash = fw_target_region_at(v, 0x0C000000u), *ns = fw_target_region_at(v, 0x08000000u);
    assert_non_null(flash);
    assert_int_equal(flash->kind, FW_REGION_FLASH);
    assert_string_equal(flash->name, "BANK_1");
    assert_int_equal(ns->kind, FW_REGION_SECURE_ALIAS);
    assert_ptr_equal(fw_target_region_shown(v, ns), flash);
    assert_int_equal(fw_target_region_at(v, 0x0C100000u)->kind, FW_REGION_FLASH); /* bank 2 too */
    assert_int_equal(fw_target_region_at(v, 0x30000000u)->kind, FW_REGION_RAM);
    assert_ptr_equal(fw_target_db_secure_view(db, u5), v); /* made once */
    assert_ptr_equal(fw_target_db_secure_view(db, v), v);
    assert_null(fw_target_db_secure_view(db, must_find(db, "STM32L476RG")));
    /* the clock out of reset, from the data: U5's MSIS 4 MHz, H5's HSI 64 MHz / 2 */
    assert_int_equal(fw_target_reset_clock_khz(u5), 4000);
    assert_int_equal(fw_target_reset_clock_khz(must_find(db, "STM32H563ZI")), 32000);
    /* L5's bank mode is chosen by DBANK, dual from the factory (2 KiB pages) */
    assert_true(l5->has_bank_option);
    assert_int_equal(l5->bank_option_mask, 1u << 22);
    assert_int_equal(fw_target_region_at(l5, 0x08000000u)->erase_size, 2048);
    fw_target_db_free(db);
}

static void test_map_errors_name_line_and_column(void **state)
{
    (void)state;
    struct {
        const char *text;
        uint64_t line;
        uint32_t col;
        const char *needle;
    } cases[] = {
        {"[target X]\nregion F flash 0x0800Z000 64K\n", 2, 16, "expected a number, found '0x0800Z000'"},
        {"[target X]\nregion F rom 0x08000000 64K\n", 2, 10, "unknown region kind 'rom'"},
        {"[target X]\nflavour mint\n", 2, 1, "unknown keyword 'flavour'"},
        {"[target X]\nregion F flash 0x08000000 64K layout 3x16384\n", 2, 8,
         "sector layout covers 49152 bytes, but its size is 65536"},
        {"region F flash 0 1\n", 1, 1, "outside a [family] or [target] block"},
        {"[gadget X]\n", 1, 1, "expected [family NAME] or [target NAME]"},
        {"[target X]\nregion F flash 0x08000000 64K erased 0x100\n", 2, 38, "erased value must be a byte"},
        {"[target X]\ncpu2-area 0x58004080 0xff 0x100\n", 2, 1, "cpu2-area takes the register"},
        {"[target X]\nloader-clock 24000 0x40022000 0x7 3 0x40021000 0xf8\n", 2, 1,
         "loader-clock takes the clock in kHz"},
        {"[target X]\nloader-clock 24000 0x40022000 0x7 9 0x40021000 0xf8 0x98\n", 2, 14, "values inside their masks"},
        {"[target X]\ncore cortex-m7,cortex-m4\nsecond-core 3 0x52002048 16 0x10000810 0x5200201c 0x400000 "
         "0x580244a0\n",
         3, 1, "second-core takes its access port"},
        {"[target X]\ncore cortex-m7,cortex-m4\nsecond-core 0 0x52002048 16 0x10000810 0x5200201c 0x400000 0x580244a0 "
         "0x8\n",
         3, 13, "an access port of 1 to 255"},
        {"[target X]\nsystem-debug-ap 2 0xe00e0000 0x5c000000\n", 2, 1, "system-debug-ap takes its access port"},
        {"[target X]\nsystem-debug-ap 2 0xffff0000 0x5c000000 0x20000\n", 2, 17, "a window inside 32 bits"},
        {"[target X]\nsecond-domain 0x58024400\n", 2, 1, "second-domain takes the register and mask"},
        {"[target X]\nsecond-domain 0x58024400 0\n", 2, 26, "a mask of one word, not 0"},
        {"[target X]\nhsem 0x58026400 3\n", 2, 1, "hsem takes the semaphore block's base"},
        {"[target X]\nhsem 0x58026400 3 3\n", 2, 6, "two different COREIDs"},
        {"[target X]\ncore cortex-m7\nsecond-core 3 0x52002048 16 0x10000810 0x5200201c 0x400000 0x580244a0 0x8\n", 3,
         1, "needs a core line naming both cores"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fw_target_db *db = fw_target_db_new();
        fw_diag *d = fw_diag_new();
        assert_int_equal(fw_target_db_add_text(db, cases[i].text, strlen(cases[i].text), "bad.map", d), FW_EFORMAT);
        assert_int_equal(fw_target_db_count(db), 0);
        expect_error_at(d, "MAP-SYNTAX", cases[i].line, cases[i].col, cases[i].needle);
        fw_target_db_free(db);
        fw_diag_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_database_covers_every_part),
        cmocka_unit_test(test_stm32l100rb_is_described_in_full),
        cmocka_unit_test(test_errata_are_fixed),
        cmocka_unit_test(test_names_as_users_write_them),
        cmocka_unit_test(test_probe_ids_find_the_memory_map),
        cmocka_unit_test(test_flash_span_covers_every_bank),
        cmocka_unit_test(test_user_map_for_a_riscv_part),
        cmocka_unit_test(test_map_errors_name_line_and_column),
        cmocka_unit_test(test_cpu2_area_data),
        cmocka_unit_test(test_loader_clock_data),
        cmocka_unit_test(test_second_core_data),
        cmocka_unit_test(test_system_debug_ap_data),
        cmocka_unit_test(test_boot_configuration_data),
        cmocka_unit_test(test_trustzone_data_and_secure_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
