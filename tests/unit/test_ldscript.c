/* SPDX-License-Identifier: MIT */
/* The GNU ld MEMORY reader: the forms ld accepts, its number traps, and
 * errors at file:line:column. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fwkit/ldscript.h"

static fw_ld_script *must_read_text(const char *text, fw_diag **d)
{
    *d = fw_diag_new();
    fw_ld_script *s = NULL;
    int rc = fw_ld_read_text(text, strlen(text), "test.ld", NULL, 0, &s, *d);
    if (rc)
        fail_msg("read failed: %s", fw_diag_count(*d) ? fw_diag_at(*d, 0)->message : fw_strerror(rc));
    return s;
}

static void test_the_sample_mem_ld(void **state)
{
    (void)state;
    fw_diag *d = fw_diag_new();
    fw_ld_script *s = NULL;
    assert_int_equal(fw_ld_read("samples/stm32l100rb-blinky/mem.ld", NULL, 0, &s, d), FW_OK);
    const fw_ld_region *flash = fw_ld_region_named(s, "FLASH");
    assert_non_null(flash);
    assert_true(flash->known);
    assert_int_equal(flash->origin, 0x08000000);
    assert_int_equal(flash->length, 128 * 1024);
    assert_string_equal(flash->attributes, "rx");
    assert_int_equal(flash->where.line, 4);
    assert_int_equal(flash->where.column, 3);
    assert_int_equal(flash->origin_at.line, 4);
    const fw_ld_region *z = fw_ld_region_named(s, "FLASHB1");
    assert_non_null(z);
    assert_int_equal(z->length, 0); /* zero-length regions are legal */
    assert_int_equal(s->nregions, 8);
    fw_ld_free(s);
    fw_diag_free(d);
    /* the broken variant says 0 */
    d = fw_diag_new();
    assert_int_equal(fw_ld_read("samples/stm32l100rb-blinky/boot-alias/mem.ld", NULL, 0, &s, d), FW_OK);
    assert_int_equal(fw_ld_region_named(s, "FLASH")->origin, 0);
    fw_ld_free(s);
    fw_diag_free(d);
}

static void test_every_form_ld_accepts(void **state)
{
    (void)state;
    const char *text = "/* two blocks, short keywords, no commas */\n"
                       "MEMORY {\n"
                       "  rom (rx!w) : org = 0x08000000 len = 256K   # a comment\n"
                       "  \"ram\" (RWX) : o = $20000000, l = 64k,\n"
                       "}\n"
                       "ENTRY(Reset_Handler)\n"
                       "MEMORY\n"
                       "{\n"
                       "  boot : ORIGIN = ORIGIN(rom) + LENGTH(rom) - 16K, LENGTH = 16 * 1024\n"
                       "  big : ORIGIN = 0x90000000, LENGTH = 2M\n"
                       "  dec : ORIGIN = 1000h, LENGTH = (1 << 12) | 0x10\n"
                       "  cond : ORIGIN = LENGTH(rom) > 128K ? 0x100 : 0x200, LENGTH = 11b\n"
                       "}\n"
                       "SECTIONS { .text : { *(.text) } > rom  .data : { x = 1; } > ram AT > rom }\n"
                       "_estack = ORIGIN(ram) + LENGTH(ram);\n"
                       "PROVIDE(_heap_size = 0x200);\n";
    fw_diag *d;
    fw_ld_script *s = must_read_text(text, &d);
    assert_int_equal(s->nregions, 6);
    assert_int_equal(fw_ld_region_named(s, "rom")->length, 256 * 1024);
    assert_string_equal(fw_ld_region_named(s, "rom")->attributes, "rx!w");
    assert_int_equal(fw_ld_region_named(s, "ram")->origin, 0x20000000);
    assert_int_equal(fw_ld_region_named(s, "ram")->length, 64 * 1024);
    assert_int_equal(fw_ld_region_named(s, "boot")->origin, 0x08000000 + 256 * 1024 - 16 * 1024);
    assert_int_equal(fw_ld_region_named(s, "boot")->length, 16384);
    assert_int_equal(fw_ld_region_named(s, "big")->length, 2 * 1024 * 1024);
    assert_int_equal(fw_ld_region_named(s, "dec")->origin, 0x1000);
    assert_int_equal(fw_ld_region_named(s, "dec")->length, 0x1010);
    assert_int_equal(fw_ld_region_named(s, "cond")->origin, 0x100);
    assert_int_equal(fw_ld_region_named(s, "cond")->length, 3);
    assert_int_equal(fw_ld_region_named(s, "boot")->where.line, 9);
    const fw_ld_symbol *sym = fw_ld_symbol_named(s, "_estack");
    assert_non_null(sym);
    assert_true(sym->known);
    assert_int_equal(sym->value, 0x20010000);
    assert_int_equal(sym->where.line, 15);
    assert_int_equal(fw_ld_symbol_named(s, "_heap_size")->value, 0x200);
    assert_null(fw_ld_symbol_named(s, "x")); /* inside SECTIONS: not a top-level symbol */
    assert_string_equal(s->entry, "Reset_Handler");
    assert_int_equal(fw_diag_count(d), 0);
    fw_ld_free(s);
    fw_diag_free(d);
}

static void test_leading_zero_is_octal_with_a_warning(void **state)
{
    (void)state;
    fw_diag *d;
    fw_ld_script *s = must_read_text("MEMORY { FLASH : ORIGIN = 08000000, LENGTH = 0128K }\n", &d);
    const fw_ld_region *f = fw_ld_region_named(s, "FLASH");
    assert_int_equal(f->origin, 0);          /* ld stops at the 8 */
    assert_int_equal(f->length, 10 * 1024);  /* 012 octal, times 1K */
    const fw_diagnostic *w = first_of(d, FW_WARNING);
    assert_non_null(w);
    assert_string_equal(w->rule, "LD-NUMBER");
    assert_int_equal(w->loc.line, 1);
    assert_int_equal(w->loc.column, 27);
    assert_non_null(strstr(w->message, "'08000000' has a leading 0, so ld reads it as octal: it is 0 (0x0)"));
    fw_ld_free(s);
    fw_diag_free(d);
}

static void test_unknown_symbols_leave_a_region_unknown(void **state)
{
    (void)state;
    fw_diag *d;
    fw_ld_script *s = must_read_text("MEMORY { APP : ORIGIN = __app_start, LENGTH = 64K }\n", &d);
    assert_false(fw_ld_region_named(s, "APP")->known);
    fw_ld_free(s);
    fw_diag_free(d);
}

static void test_include_inside_and_outside_memory(void **state)
{
    (void)state;
    char dir[] = "/tmp/fwkit-ld-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p1[256], p2[256], p3[256];
    snprintf(p1, sizeof(p1), "%s/regions.inc", dir);
    snprintf(p2, sizeof(p2), "%s/memory.x", dir);
    snprintf(p3, sizeof(p3), "%s/main.ld", dir);
    FILE *f = fopen(p1, "w");
    fputs("RAM : ORIGIN = 0x20000000, LENGTH = 20K\n", f);
    fclose(f);
    f = fopen(p2, "w");
    fputs("MEMORY {\n  FLASH : ORIGIN = 0x08000000, LENGTH = 64K\n  INCLUDE regions.inc\n}\n", f);
    fclose(f);
    f = fopen(p3, "w");
    fputs("INCLUDE memory.x\n_estack = ORIGIN(RAM) + LENGTH(RAM);\n", f);
    fclose(f);
    fw_diag *d = fw_diag_new();
    fw_ld_script *s = NULL;
    assert_int_equal(fw_ld_read(p3, NULL, 0, &s, d), FW_OK);
    assert_int_equal(s->nregions, 2);
    const fw_ld_region *ram = fw_ld_region_named(s, "RAM");
    assert_int_equal(ram->length, 20 * 1024);
    assert_non_null(strstr(ram->where.file, "regions.inc"));
    assert_int_equal(ram->where.line, 1);
    assert_int_equal(fw_ld_symbol_named(s, "_estack")->value, 0x20005000);
    fw_ld_free(s);
    fw_diag_free(d);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    rmdir(dir);
}

static void test_errors_name_line_and_column(void **state)
{
    (void)state;
    struct {
        const char *text;
        uint64_t line;
        uint32_t col;
        const char *needle;
    } cases[] = {
        {"MEMORY {\n  FLASH ORIGIN = 0, LENGTH = 1K\n}\n", 2, 9, "expected ':' after MEMORY region 'FLASH'"},
        {"MEMORY {\n  FLASH : START = 0, LENGTH = 1K\n}\n", 2, 11, "expected ORIGIN (or org, o)"},
        {"MEMORY {\n  A : ORIGIN = ORIGIN(B), LENGTH = 1K\n}\n", 2, 23, "no MEMORY region named 'B' before this"},
        {"MEMORY {\n  A : ORIGIN = 0, LENGTH = 1K\n  A : ORIGIN = 4K, LENGTH = 1K\n}\n", 3, 3,
         "MEMORY region 'A' is defined twice"},
        {"/* never closed\nMEMORY { }\n", 1, 0, "comment is not closed"},
        {"INCLUDE nowhere.ld\n", 1, 9, "cannot find INCLUDEd file 'nowhere.ld'"},
        {"MEMORY {\n  A : ORIGIN = 0, LENGTH = 1K / 0\n}\n", 2, 31, "division by zero"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fw_diag *d = fw_diag_new();
        fw_ld_script *s = (fw_ld_script *)1;
        print_message("# case %zu\n", i);
        assert_int_equal(fw_ld_read_text(cases[i].text, strlen(cases[i].text), "bad.ld", NULL, 0, &s, d), FW_EFORMAT);
        assert_null(s);
        expect_error_at(d, "LD-SYNTAX", cases[i].line, cases[i].col, cases[i].needle);
        fw_diag_free(d);
    }
}

static void test_fuzz_regression_unterminated_include_at_the_end(void **state)
{
    (void)state;
    fw_diag *d = fw_diag_new();
    fw_ld_script *s = NULL;
    assert_int_equal(fw_ld_read("tests/fixtures/fuzz-regressions/ld-include-unterminated-at-end.ld", NULL, 0, &s, d),
                     FW_EFORMAT);
    assert_null(s);
    fw_diag_free(d);
    /* the shortest form of it */
    d = fw_diag_new();
    assert_int_equal(fw_ld_read_text("INCLUDE\"", 8, "x.ld", NULL, 0, &s, d), FW_EFORMAT);
    assert_non_null(strstr(first_of(d, FW_ERROR)->message, "INCLUDE needs a file name"));
    fw_diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_sample_mem_ld),
        cmocka_unit_test(test_every_form_ld_accepts),
        cmocka_unit_test(test_leading_zero_is_octal_with_a_warning),
        cmocka_unit_test(test_unknown_symbols_leave_a_region_unknown),
        cmocka_unit_test(test_include_inside_and_outside_memory),
        cmocka_unit_test(test_errors_name_line_and_column),
        cmocka_unit_test(test_fuzz_regression_unterminated_include_at_the_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
