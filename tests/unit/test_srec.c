/* SPDX-License-Identifier: MIT */
/* Motorola S-record: record types, counts, termination, malformed cases,
 * and the writer's record type choice, header and count record. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static const char good[] = "S00600004844521B\n"
                           "S107100001020304DE\n"
                           "S206123456050652\n"
                           "S30808000000070809D7\n"
                           "S5030003F9\n"
                           "S70508000001F1\n";

static void test_mixed_s1_s2_s3_with_header_count_and_start(void **state)
{
    (void)state;
    fw_image *img;
    fw_diag *d;
    assert_int_equal(read_text("g.s19", good, &img, &d), FW_OK);
    assert_int_equal(fw_image_format(img), FW_FMT_SREC);
    assert_string_equal(fw_image_header(img), "HDR");
    assert_int_equal(fw_image_chunk_count(img), 3);
    assert_int_equal(fw_image_chunk(img, 1)->addr, 0x123456);
    assert_int_equal(fw_image_chunk(img, 2)->addr, 0x08000000);
    assert_int_equal(fw_image_start(img)->addr, 0x08000001);
    /* mixed data types: no complaint about S7 */
    assert_int_equal(fw_diag_count_severity(d, FW_WARNING), 0);
    fw_image_free(img);
    fw_diag_free(d);
}

struct bad_case {
    const char *name, *text;
    uint64_t line;
    uint32_t column;
    const char *needle;
};

static const struct bad_case bad_cases[] = {
    {"bad checksum", "S00600004844521B\nS10710000102030400\nS9031000EC\n", 2, 17, "bad checksum 00, expected DE"},
    {"wrong count", "S107100001020304DE\nS5030002FA\nS9031000EC\n", 2, 5,
     "count record says 2 data records, but 1 came before it"},
    {"reserved S4", "S107100001020304DE\nS4030000FC\nS9031000EC\n", 2, 2, "unknown record type S4"},
    {"bad character", "S107100001020X04DE\nS9031000EC\n", 1, 14, "bad character 'X'"},
    {"odd digits", "S107100001020304D\nS9031000EC\n", 1, 17, "odd number of hex digits"},
    {"count mismatch", "S10910000102030400\nS9031000EC\n", 1, 3, "count field says 9 bytes follow, but the record holds 7"},
    {"no S", "X107100001020304DE\n", 1, 1, "expected 'S'"},
};

static void test_malformed_cases_name_line_and_column(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        fw_image *img;
        fw_diag *d;
        print_message("# case: %s\n", c->name);
        assert_int_equal(read_bytes("bad.srec", c->text, strlen(c->text),
                                    &(fw_read_options){.format = FW_FMT_SREC}, &img, &d),
                         FW_EFORMAT);
        expect_error_at(d, "FMT-SREC", c->line, c->column, c->needle);
        fw_diag_free(d);
    }
}

static void test_missing_termination_is_a_warning_and_mismatch_is_noted(void **state)
{
    (void)state;
    fw_image *img;
    fw_diag *d;
    assert_int_equal(read_text("t.s19", "S107100001020304DE\n", &img, &d), FW_OK);
    const fw_diagnostic *w = find_rule(d, "FMT-SREC");
    assert_non_null(w);
    assert_int_equal(w->severity, FW_WARNING);
    assert_non_null(strstr(w->message, "no S7/S8/S9"));
    fw_image_free(img);
    fw_diag_free(d);
    /* S1 data ended by S7 */
    assert_int_equal(read_text("t.s19", "S107100001020304DE\nS70508000001F1\n", &img, &d), FW_OK);
    w = find_rule(d, "FMT-SREC");
    assert_non_null(w);
    assert_non_null(strstr(w->message, "S7 termination record follows S1 data records (S9 expected)"));
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_writer_picks_the_record_type_by_highest_address(void **state)
{
    (void)state;
    struct {
        uint64_t base;
        const char *data, *end;
    } cases[] = {{0x1000, "\nS1", "\nS9"}, {0x123400, "\nS2", "\nS8"}, {0x08000000, "\nS3", "\nS7"}};
    for (size_t i = 0; i < 3; i++) {
        fw_image *img = random_image((unsigned)i, 20, 40, cases[i].base, 0x400);
        fw_write_options o;
        fw_write_options_init(&o);
        o.format = FW_FMT_SREC;
        o.srec_header = "my header";
        char *text;
        size_t len;
        fw_image *back = roundtrip(img, &o, &text, &len);
        assert_int_equal(fw_image_compare(img, back, NULL), 0);
        assert_non_null(strstr(text, cases[i].data));
        assert_non_null(strstr(text, cases[i].end));
        assert_non_null(strstr(text, "\nS5"));
        assert_string_equal(fw_image_header(back), "my header");
        free(text);
        fw_image_free(back);
        /* forced S3 for low data; no count record on request */
        o.srec_type = 3;
        o.srec_no_count = true;
        back = roundtrip(img, &o, &text, &len);
        assert_int_equal(fw_image_compare(img, back, NULL), 0);
        assert_null(strstr(text, "\nS1"));
        assert_null(strstr(text, "\nS5"));
        free(text);
        fw_image_free(back);
        fw_image_free(img);
    }
}

static void test_forced_s1_refuses_high_addresses(void **state)
{
    (void)state;
    fw_image *img = random_image(3, 5, 10, 0x08000000, 0x100);
    fw_write_options o;
    fw_write_options_init(&o);
    o.format = FW_FMT_SREC;
    o.srec_type = 1;
    fw_diag *d = fw_diag_new();
    assert_int_equal(fw_write_file(img, "/tmp/fwkit-never.s19", &o, d), FW_ERANGE);
    assert_non_null(strstr(first_of(d, FW_ERROR)->message, "does not fit in S1 records"));
    fw_diag_free(d);
    fw_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed_s1_s2_s3_with_header_count_and_start),
        cmocka_unit_test(test_malformed_cases_name_line_and_column),
        cmocka_unit_test(test_missing_termination_is_a_warning_and_mismatch_is_noted),
        cmocka_unit_test(test_writer_picks_the_record_type_by_highest_address),
        cmocka_unit_test(test_forced_s1_refuses_high_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
