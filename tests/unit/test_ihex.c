/* SPDX-License-Identifier: MIT */
/* Intel HEX: every record type, every malformed case with its line and
 * column, and the writer's options. */
#include "support.h"
#include "format/io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bad_case {
    const char *name, *text, *rule;
    uint64_t line;
    uint32_t column;
    const char *needle;
};

static const struct bad_case bad_cases[] = {
    {"bad character", ":020000040800F2\n:10000000G0010203040506070809000000000000C4\n:00000001FF\n",
     "FMT-HEX-SYNTAX", 2, 10, "bad character 'G'"},
    {"odd digit count", ":020000040800F2\n:0100000000F\n:00000001FF\n", "FMT-HEX-SYNTAX", 2, 12,
     "odd number of hex digits"},
    {"length mismatch", ":020000040800F2\n:1000000000010203040506070809C4\n:00000001FF\n", "FMT-HEX-SYNTAX", 2, 2,
     "length field says 16 data bytes, but the record holds 10"},
    {"bad checksum", ":020000040800F2\n:0400000001020304F0\n:00000001FF\n", "FMT-HEX-SYNTAX", 2, 18,
     "bad checksum F0, expected F2"},
    {"unknown type", ":020000040800F2\n:00000006FA\n:00000001FF\n", "FMT-HEX-SYNTAX", 2, 8,
     "unknown record type 06"},
    {"EOF with data", ":0100000100FE\n", "FMT-HEX-SYNTAX", 1, 2, "type 01 (end-of-file) record must have length 00"},
    {"ESA wrong length", ":00000002FE\n:00000001FF\n", "FMT-HEX-SYNTAX", 1, 2, "type 02"},
    {"SSA wrong length", ":03000003000000FA\n:00000001FF\n", "FMT-HEX-SYNTAX", 1, 2, "type 03"},
    {"ELA wrong length", ":00000004FC\n:00000001FF\n", "FMT-HEX-SYNTAX", 1, 2, "type 04"},
    {"SLA wrong length", ":050000050000000000F6\n:00000001FF\n", "FMT-HEX-SYNTAX", 1, 2, "type 05"},
    {"missing EOF", ":020000040800F2\n:0400000001020304F2\n", "FMT-HEX-EOF", 2, 0, "no end-of-file record"},
    {"no colon", ":020000040800F2\n0400000001020304F2\n:00000001FF\n", "FMT-HEX-SYNTAX", 2, 1,
     "expected ':'"},
    {"too short", ":0000\n:00000001FF\n", "FMT-HEX-SYNTAX", 1, 2, "record too short"},
    {"contradicting start", ":0400000508000101ED\n:0400000508000201EC\n:00000001FF\n", "FMT-HEX-SYNTAX", 2, 10,
     "contradicts the one on line 1"},
};

static void test_malformed_cases_name_line_and_column(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        fw_image *img = (fw_image *)1;
        fw_diag *d = NULL;
        int rc = read_text("bad.hex", c->text, &img, &d);
        if (rc != FW_EFORMAT)
            fail_msg("%s: expected FW_EFORMAT, got %d", c->name, rc);
        assert_null(img);
        print_message("# case: %s\n", c->name);
        expect_error_at(d, c->rule, c->line, c->column, c->needle);
        assert_string_equal(first_of(d, FW_ERROR)->loc.file, "bad.hex");
        fw_diag_free(d);
    }
}

static void test_data_after_eof_is_a_warning(void **state)
{
    (void)state;
    fw_image *img;
    fw_diag *d;
    assert_int_equal(read_text("a.hex", ":0100000011EE\n:00000001FF\n:0100010022DC\n", &img, &d), FW_OK);
    const fw_diagnostic *w = find_rule(d, "FMT-HEX-EOF");
    assert_non_null(w);
    assert_int_equal(w->severity, FW_WARNING);
    assert_int_equal(w->loc.line, 3);
    assert_int_equal(fw_image_data_size(img), 1);
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_record_crossing_64k_is_read_linearly_with_a_warning(void **state)
{
    (void)state;
    fw_image *img;
    fw_diag *d;
    /* 4 bytes at offset FFFE under ELA 0x0800 */
    assert_int_equal(read_text("x.hex", ":020000040800F2\n:04FFFE00AABBCCDDF1\n:00000001FF\n", &img, &d), FW_OK);
    const fw_diagnostic *w = find_rule(d, "FMT-HEX-64K-CROSS");
    assert_non_null(w);
    assert_int_equal(w->loc.line, 2);
    assert_non_null(strstr(w->message, "0x0800fffe-0x08010001"));
    assert_non_null(strstr(w->message, "wrap to 0x08000000"));
    uint8_t b[4];
    assert_true(fw_image_read(img, 0x0800FFFE, b, 4));
    assert_int_equal(b[3], 0xDD);
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_segment_and_linear_addressing(void **state)
{
    (void)state;
    fw_image *img;
    fw_diag *d;
    const char *text = ":020000021000EC\n"   /* segment 0x1000 -> base 0x10000 */
                       ":0100100011DE\n"      /* 0x10010 */
                       ":020000040002F8\n"   /* linear 0x0002 -> base 0x20000 */
                       ":0100200022BD\n"      /* 0x20020 */
                       ":00000001FF\n";
    assert_int_equal(read_text("s.hex", text, &img, &d), FW_OK);
    uint8_t b;
    assert_true(fw_image_read(img, 0x10010, &b, 1));
    assert_int_equal(b, 0x11);
    assert_true(fw_image_read(img, 0x20020, &b, 1));
    assert_int_equal(b, 0x22);
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_case_line_endings_blank_lines_and_lengths(void **state)
{
    (void)state;
    fw_image *img;
    fw_diag *d;
    /* lower case, CRLF mixed with LF, blank lines, trailing spaces, 0-length data record */
    const char *text = "\r\n:020000040800f2\r\n\n:04000000deadbeefc4  \n:00001000F0\r\n\n:00000001ff";
    assert_int_equal(read_text("m.hex", text, &img, &d), FW_OK);
    assert_int_equal(fw_diag_count_severity(d, FW_ERROR), 0);
    assert_int_equal(fw_image_data_size(img), 4);
    assert_int_equal(fw_image_chunk(img, 0)->addr, 0x08000000);
    assert_int_equal(fw_image_chunk(img, 0)->data[0], 0xDE);
    fw_image_free(img);
    fw_diag_free(d);
    /* a 255-byte record */
    char line[600];
    unsigned sum = 0xFF;
    int n = sprintf(line, ":FF000000");
    for (int i = 0; i < 255; i++) {
        n += sprintf(line + n, "%02X", i);
        sum += (unsigned)i;
    }
    sprintf(line + n, "%02X\n:00000001FF\n", (0x100 - (sum & 0xFF)) & 0xFF);
    assert_int_equal(read_text("long.hex", line, &img, &d), FW_OK);
    assert_int_equal(fw_image_data_size(img), 255);
    assert_int_equal(fw_image_chunk(img, 0)->data[254], 254);
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_start_records(void **state)
{
    (void)state;
    fw_image *img;
    fw_diag *d;
    assert_int_equal(read_text("r3.hex", ":0400000312345678E5\n:0100000055AA\n:00000001FF\n", &img, &d), FW_OK);
    const fw_start *s = fw_image_start(img);
    assert_int_equal(s->kind, FW_START_SEGMENT);
    assert_int_equal(s->cs, 0x1234);
    assert_int_equal(s->ip, 0x5678);
    assert_int_equal(s->addr, 0x12340 + 0x5678);
    /* written back as a type 03 record, unchanged */
    fw_write_options o;
    fw_write_options_init(&o);
    o.format = FW_FMT_IHEX;
    char *text;
    size_t len;
    fw_image *back = roundtrip(img, &o, &text, &len);
    assert_non_null(strstr(text, ":0400000312345678E5\n"));
    assert_int_equal(fw_image_start(back)->kind, FW_START_SEGMENT);
    free(text);
    fw_image_free(back);
    fw_image_free(img);
    fw_diag_free(d);
    /* a repeated identical start record is only a note */
    assert_int_equal(read_text("r5.hex", ":0400000512345678E3\n:0400000512345678E3\n:00000001FF\n", &img, &d), FW_OK);
    assert_int_equal(fw_image_start(img)->addr, 0x12345678);
    assert_int_equal(fw_diag_count_severity(d, FW_NOTE), 1);
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_writer_record_length_line_endings_and_segments(void **state)
{
    (void)state;
    fw_image *img = random_image(7, 40, 300, 0x08000000, 0x30000);
    fw_write_options o;
    fw_write_options_init(&o);
    o.format = FW_FMT_IHEX;
    unsigned lengths[] = {1, 16, 32, 255};
    for (size_t i = 0; i < 4; i++) {
        o.record_bytes = lengths[i];
        o.crlf = i & 1;
        char *text;
        size_t len;
        fw_image *back = roundtrip(img, &o, &text, &len);
        assert_int_equal(fw_image_compare(img, back, NULL), 0);
        /* no data record is longer than asked, and none crosses 64 KiB */
        for (char *p = text; (p = strchr(p, ':')) != NULL; p++) {
            unsigned ll, off, type;
            assert_int_equal(sscanf(p, ":%2x%4x%2x", &ll, &off, &type), 3);
            if (type == 0) {
                assert_true(ll <= lengths[i]);
                assert_true(off + ll <= 0x10000);
            }
        }
        assert_true((strstr(text, "\r\n") != NULL) == o.crlf);
        free(text);
        fw_image_free(back);
    }
    fw_image_free(img);
    /* segment records below 1 MiB */
    img = random_image(9, 30, 100, 0x0, 0xF0000);
    o.record_bytes = 16;
    o.crlf = false;
    o.ihex_segment = true;
    char *text;
    size_t len;
    fw_image *back = roundtrip(img, &o, &text, &len);
    assert_int_equal(fw_image_compare(img, back, NULL), 0);
    assert_null(strstr(text, ":02000004"));
    assert_non_null(strstr(text, ":02000002"));
    free(text);
    fw_image_free(back);
    fw_image_free(img);
}

static void test_writer_refuses_addresses_beyond_32_bits(void **state)
{
    (void)state;
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "x", NULL);
    uint8_t b = 1;
    fw_image_add(img, 0x100000000ull, &b, 1, src, 0, 0);
    fw_image_finish(img, NULL);
    fw_write_options o;
    fw_write_options_init(&o);
    o.format = FW_FMT_IHEX;
    fw_diag *d = fw_diag_new();
    assert_int_equal(fw_write_file(img, "/tmp/fwkit-never-written.hex", &o, d), FW_ERANGE);
    assert_non_null(strstr(first_of(d, FW_ERROR)->message, "0x100000000 does not fit in Intel HEX"));
    assert_int_equal(access("/tmp/fwkit-never-written.hex", F_OK), -1);
    fw_diag_free(d);
    fw_image_free(img);
}

static void test_word_at_a_time_hex_decoding_agrees_with_the_table(void **state)
{
    (void)state;
    /* every byte value at every position of an otherwise valid word */
    for (int pos = 0; pos < 8; pos++) {
        for (int c = 0; c < 256; c++) {
            char text[9] = "0f9A3b7C";
            text[pos] = (char)c;
            uint64_t x;
            memcpy(&x, text, 8);
            bool is_hex = !(fw_hex_value[c] & 0x80);
            if (fw_hex8_valid(x) != is_hex)
                fail_msg("byte 0x%02x at position %d: valid=%d", c, pos, fw_hex8_valid(x));
            if (is_hex) {
                uint8_t want[4], got[4];
                assert_int_equal(fw_hex_decode(text, 8, want), -1);
                uint32_t v = fw_hex8_value(x);
                memcpy(got, &v, 4);
                assert_memory_equal(got, want, 4);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_cases_name_line_and_column),
        cmocka_unit_test(test_data_after_eof_is_a_warning),
        cmocka_unit_test(test_record_crossing_64k_is_read_linearly_with_a_warning),
        cmocka_unit_test(test_segment_and_linear_addressing),
        cmocka_unit_test(test_case_line_endings_blank_lines_and_lengths),
        cmocka_unit_test(test_start_records),
        cmocka_unit_test(test_writer_record_length_line_endings_and_segments),
        cmocka_unit_test(test_writer_refuses_addresses_beyond_32_bits),
        cmocka_unit_test(test_word_at_a_time_hex_decoding_agrees_with_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
