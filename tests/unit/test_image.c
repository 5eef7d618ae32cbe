/* SPDX-License-Identifier: MIT */
/* The sparse image: ordering, coalescing, overlaps, provenance, transforms. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static void test_far_apart_bytes_cost_two_tiny_chunks(void **state)
{
    (void)state;
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "x", NULL);
    uint8_t a = 0x11, b = 0x22;
    assert_int_equal(fw_image_add(img, 0xFFFFFFF0, &b, 1, src, 2, 1), FW_OK);
    assert_int_equal(fw_image_add(img, 0x0, &a, 1, src, 1, 1), FW_OK);
    assert_int_equal(fw_image_finish(img, NULL), FW_OK);
    assert_int_equal(fw_image_chunk_count(img), 2);
    assert_int_equal(fw_image_data_size(img), 2);
    assert_int_equal(fw_image_chunk(img, 0)->addr, 0);
    assert_int_equal(fw_image_chunk(img, 1)->addr, 0xFFFFFFF0);
    uint64_t lo, end;
    assert_true(fw_image_span(img, &lo, &end));
    assert_int_equal(end - lo, 0xFFFFFFF1);
    fw_image_free(img);
}

static void test_adjacent_pieces_coalesce_in_any_order(void **state)
{
    (void)state;
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "x", NULL);
    uint8_t buf[16];
    for (int i = 0; i < 16; i++)
        buf[i] = (uint8_t)i;
    /* reverse order: 3 pieces that together are contiguous */
    assert_int_equal(fw_image_add(img, 0x1008, buf + 8, 8, src, 3, 8), FW_OK);
    assert_int_equal(fw_image_add(img, 0x1004, buf + 4, 4, src, 2, 4), FW_OK);
    assert_int_equal(fw_image_add(img, 0x1000, buf, 4, src, 1, 4), FW_OK);
    assert_int_equal(fw_image_finish(img, NULL), FW_OK);
    assert_int_equal(fw_image_chunk_count(img), 1);
    assert_memory_equal(fw_image_chunk(img, 0)->data, buf, 16);
    fw_origin o;
    assert_true(fw_image_origin_at(img, 0x100a, &o));
    assert_true(o.has_line);
    assert_int_equal(o.line, 3);
    assert_true(fw_image_origin_at(img, 0x1005, &o));
    assert_int_equal(o.line, 2);
    fw_image_free(img);
}

static void test_identical_overlap_is_a_note_naming_both_places(void **state)
{
    (void)state;
    fw_image *img = NULL;
    fw_diag *d = NULL;
    const char *hex = ":040000001122334452\n"
                      ":040002003344000083\n"
                      ":00000001FF\n";
    assert_int_equal(read_text("dup.hex", hex, &img, &d), FW_OK);
    const fw_diagnostic *e = find_rule(d, "FMT-OVERLAP");
    assert_non_null(e);
    assert_int_equal(e->severity, FW_NOTE);
    assert_int_equal(e->loc.line, 2);
    assert_true(e->has_related);
    assert_int_equal(e->related.line, 1);
    assert_int_equal(e->range_lo, 2);
    assert_int_equal(e->range_hi, 4);
    assert_int_equal(fw_image_data_size(img), 6);
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_conflicting_overlap_is_an_error_naming_both_places(void **state)
{
    (void)state;
    fw_image *img = NULL;
    fw_diag *d = NULL;
    const char *hex = ":040000001122334452\n"
                      ":020000040000FA\n"
                      ":010003009963\n"
                      ":00000001FF\n";
    assert_int_equal(read_text("conflict.hex", hex, &img, &d), FW_EOVERLAP);
    assert_null(img);
    const fw_diagnostic *e = first_of(d, FW_ERROR);
    assert_non_null(e);
    assert_string_equal(e->rule, "FMT-OVERLAP");
    assert_int_equal(e->loc.line, 3);
    assert_int_equal(e->related.line, 1);
    assert_non_null(strstr(e->message, "0x00000003 is 0x99 here but 0x44"));
    fw_diag_free(d);
}

static void test_compare_finds_first_difference(void **state)
{
    (void)state;
    fw_image *a = random_image(1, 200, 64, 0x08000000, 1 << 20);
    fw_image *b = fw_image_clone(a);
    uint64_t at = 0;
    assert_int_equal(fw_image_compare(a, b, &at), 0);
    const fw_chunk *c = fw_image_chunk(b, 57);
    c->data[c->len - 1] ^= 0x40;
    assert_int_equal(fw_image_compare(a, b, &at), 1);
    assert_int_equal(at, c->addr + c->len - 1);
    fw_image_free(b);
    /* a missing byte is a difference too */
    b = fw_image_clone(a);
    c = fw_image_chunk(a, 10);
    assert_int_equal(fw_image_exclude(b, c->addr + 1, c->addr + 2), FW_OK);
    assert_int_equal(fw_image_compare(a, b, &at), 1);
    assert_int_equal(at, c->addr + 1);
    fw_image_free(a);
    fw_image_free(b);
}

static void test_crop_exclude_offset_keep_bytes_and_origins(void **state)
{
    (void)state;
    fw_image *img = NULL;
    fw_diag *d = NULL;
    const char *hex = ":020000040800F2\n"
                      ":10000000000102030405060708090A0B0C0D0E0F78\n"
                      ":10001000101112131415161718191A1B1C1D1E1F68\n"
                      ":00000001FF\n";
    assert_int_equal(read_text("c.hex", hex, &img, &d), FW_OK);
    assert_int_equal(fw_image_crop(img, 0x08000004, 0x0800001C), FW_OK);
    assert_int_equal(fw_image_exclude(img, 0x08000008, 0x08000010), FW_OK);
    assert_int_equal(fw_image_chunk_count(img), 2);
    assert_int_equal(fw_image_data_size(img), 4 + 12);
    assert_int_equal(fw_image_offset(img, -0x08000000, d), FW_OK);
    assert_int_equal(fw_image_chunk(img, 0)->addr, 4);
    assert_int_equal(fw_image_chunk(img, 1)->addr, 0x10);
    assert_int_equal(fw_image_chunk(img, 1)->data[0], 0x10);
    fw_origin o;
    assert_true(fw_image_origin_at(img, 0x12, &o));
    assert_int_equal(o.line, 3);
    assert_true(fw_image_origin_at(img, 0x5, &o));
    assert_int_equal(o.line, 2);
    /* moving below zero is refused and says so */
    assert_int_equal(fw_image_offset(img, -5, d), FW_ERANGE);
    assert_non_null(strstr(first_of(d, FW_ERROR)->message, "below the start"));
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_crc32_is_zlib_over_data_in_address_order(void **state)
{
    (void)state;
    fw_image *img = NULL;
    fw_diag *d = NULL;
    /* "123456789" split in two records given out of order: check value 0xCBF43926 */
    const char *hex = ":040005003637383919\n"
                      ":050000003132333435FC\n"
                      ":00000001FF\n";
    assert_int_equal(read_text("crc.hex", hex, &img, &d), FW_OK);
    assert_int_equal(fw_image_chunk_count(img), 1);
    assert_int_equal(fw_image_crc32(img), 0xCBF43926u);
    fw_image_free(img);
    fw_diag_free(d);
}

static void test_diag_limit_keeps_errors_behind_a_flood_of_notes(void **state)
{
    (void)state;
    fw_diag *d = fw_diag_new();
    for (int i = 0; i < 200; i++)
        fw_diag_add(d, FW_NOTE, "R", NULL, "note %d", i);
    assert_non_null(fw_diag_add(d, FW_ERROR, "R", NULL, "the error"));
    assert_int_equal(fw_diag_count(d), FW_DIAG_PER_RULE_LIMIT + 1);
    assert_int_equal(fw_diag_suppressed(d), 200 - FW_DIAG_PER_RULE_LIMIT);
    assert_int_equal(fw_diag_count_severity(d, FW_NOTE), 200);
    fw_diag_free(d);
}

static void test_fill_pad_and_byteswap(void **state)
{
    (void)state;
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "x", NULL);
    fw_image_add(img, 0x100, "\x01\x02\x03\x04", 4, src, 0, 0);
    fw_image_add(img, 0x10A, "\x05\x06", 2, src, 0, 0);
    fw_image_finish(img, NULL);
    /* the pattern's phase follows the address from the start of the range */
    assert_int_equal(fw_image_fill(img, 0x100, 0x10C, (const uint8_t *)"\xAA\xBB\xCC", 3), FW_OK);
    assert_int_equal(fw_image_chunk_count(img), 1);
    uint8_t b[12];
    assert_true(fw_image_read(img, 0x100, b, 12));
    assert_memory_equal(b, "\x01\x02\x03\x04\xBB\xCC\xAA\xBB\xCC\xAA\x05\x06", 12);
    fw_origin o;
    assert_true(fw_image_origin_at(img, 0x105, &o));
    assert_string_equal(o.file, "<fill>");
    /* pad the end to 16 */
    assert_int_equal(fw_image_pad(img, 16, 0xEE, false), FW_OK);
    assert_int_equal(fw_image_chunk(img, 0)->len, 16);
    assert_int_equal(fw_image_chunk(img, 0)->data[15], 0xEE);
    /* swap 32-bit units */
    assert_int_equal(fw_image_byteswap(img, 4, NULL), FW_OK);
    assert_true(fw_image_read(img, 0x100, b, 4));
    assert_memory_equal(b, "\x04\x03\x02\x01", 4);
    /* a chunk that does not end on a unit is refused, with its place */
    fw_image_add(img, 0x200, "\x07\x08\x09", 3, src, 7, 3);
    fw_image_finish(img, NULL);
    fw_diag *d = fw_diag_new();
    assert_int_equal(fw_image_byteswap(img, 2, d), FW_ERANGE);
    assert_int_equal(first_of(d, FW_ERROR)->loc.line, 7);
    fw_diag_free(d);
    /* pad every chunk, never over the next one */
    assert_int_equal(fw_image_pad(img, 8, 0x00, true), FW_OK);
    assert_int_equal(fw_image_chunk(img, 1)->len, 8);
    fw_image *part = fw_image_slice(img, 0x104, 0x204);
    assert_int_equal(fw_image_data_size(part), 12 + 4);
    fw_image_free(part);
    fw_image_free(img);
}

/* the function a PC is in: a Thumb symbol's bytes from its value with bit 0
 * clear; a function of size 0 only at its first byte; objects are no
 * functions */
static void test_function_at_a_pc(void **state)
{
    (void)state;
    fw_elf_symbol syms[] = {
        {.name = (char *)"table", .value = 0x08000000, .size = 0x100, .type = 1 /* STT_OBJECT */},
        {.name = (char *)"main", .value = 0x08000141, .size = 0x20, .type = 2},
        {.name = (char *)"Error_Handler", .value = 0x08000161, .size = 0, .type = 2},
    };
    fw_elf_info e = {.nsymbols = 3, .symbols = syms};
    assert_null(fw_elf_function_at(&e, 0x08000010));
    assert_null(fw_elf_function_at(&e, 0x0800013F));
    assert_string_equal(fw_elf_function_at(&e, 0x08000140)->name, "main");
    assert_string_equal(fw_elf_function_at(&e, 0x0800015F)->name, "main");
    assert_string_equal(fw_elf_function_at(&e, 0x08000160)->name, "Error_Handler");
    assert_null(fw_elf_function_at(&e, 0x08000162));
    assert_null(fw_elf_function_at(NULL, 0x08000140));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_far_apart_bytes_cost_two_tiny_chunks),
        cmocka_unit_test(test_adjacent_pieces_coalesce_in_any_order),
        cmocka_unit_test(test_identical_overlap_is_a_note_naming_both_places),
        cmocka_unit_test(test_conflicting_overlap_is_an_error_naming_both_places),
        cmocka_unit_test(test_compare_finds_first_difference),
        cmocka_unit_test(test_crop_exclude_offset_keep_bytes_and_origins),
        cmocka_unit_test(test_crc32_is_zlib_over_data_in_address_order),
        cmocka_unit_test(test_diag_limit_keeps_errors_behind_a_flood_of_notes),
        cmocka_unit_test(test_fill_pad_and_byteswap),
        cmocka_unit_test(test_function_at_a_pc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
