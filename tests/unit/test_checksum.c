/* SPDX-License-Identifier: MIT */
/* Checksums: the published check values, ranges with gaps, the slot left
 * out, and storing the value. */
#include "support.h"

#include <string.h>

#include "fwkit/checksum.h"

static void test_published_check_values(void **state)
{
    (void)state;
    const uint8_t *msg = (const uint8_t *)"123456789";
    struct {
        fw_checksum_kind k;
        uint32_t want;
    } cases[] = {
        {FW_CK_CRC32, 0xCBF43926u},      {FW_CK_CRC16_CCITT, 0x29B1},  {FW_CK_CRC16_XMODEM, 0x31C3},
        {FW_CK_ADLER32, 0x091E01DEu},    {FW_CK_SUM8, 0xDD},           {FW_CK_SUM16, 0x01DD},
        {FW_CK_SUM32, 0x01DD},           {FW_CK_SUM8_NEG, 0x23},       {FW_CK_SUM16_NEG, 0xFE23},
        {FW_CK_SUM32_NEG, 0xFFFFFE23u},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (fw_checksum_bytes(cases[i].k, msg, 9) != cases[i].want)
            fail_msg("%s: 0x%08X, want 0x%08X", fw_checksum_name(cases[i].k), fw_checksum_bytes(cases[i].k, msg, 9),
                     cases[i].want);
    /* the STM32 CRC unit over the words of "12345678" (srec_cat -stm32-l-e gives the same) */
    assert_int_equal(fw_checksum_bytes(FW_CK_CRC32_MPEG2, (const uint8_t *)"12345678", 8), 0xFEFC54F9u);
    /* a negated sum makes range plus slot sum to zero */
    uint8_t with[10];
    memcpy(with, msg, 9);
    with[9] = (uint8_t)fw_checksum_bytes(FW_CK_SUM8_NEG, msg, 9);
    assert_int_equal(fw_checksum_bytes(FW_CK_SUM8, with, 10), 0);
}

static void test_range_fills_gaps_and_skips_the_slot(void **state)
{
    (void)state;
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "t", NULL);
    fw_image_add(img, 0x100, "1234", 4, src, 0, 0);
    fw_image_add(img, 0x108, "9", 1, src, 0, 0);
    fw_image_finish(img, NULL);
    uint32_t v;
    /* "1234" + 4 fill bytes '5','6','7','8' + "9" */
    assert_int_equal(fw_checksum_range(img, FW_CK_CRC32, 0x100, 0x109, '5', 0, 0, &v, NULL), FW_OK);
    assert_int_equal(v, fw_checksum_bytes(FW_CK_CRC32, (const uint8_t *)"123455559", 9));
    /* the slot 0x104-0x108 left out: "12349" */
    assert_int_equal(fw_checksum_range(img, FW_CK_CRC32, 0x100, 0x109, 0xFF, 0x104, 0x108, &v, NULL), FW_OK);
    assert_int_equal(v, fw_checksum_bytes(FW_CK_CRC32, (const uint8_t *)"12349", 5));
    /* the STM32 unit refuses a range that is not whole words */
    fw_diag *d = fw_diag_new();
    assert_int_equal(fw_checksum_range(img, FW_CK_CRC32_MPEG2, 0x100, 0x109, 0xFF, 0, 0, &v, d), FW_EINVAL);
    assert_non_null(strstr(first_of(d, FW_ERROR)->message, "whole 32-bit words"));
    fw_diag_free(d);
    /* storing the value, big-endian, replaces the bytes there */
    assert_int_equal(fw_checksum_store(img, 0x104, 0x11223344u, 4, true), FW_OK);
    uint8_t b[4];
    assert_true(fw_image_read(img, 0x104, b, 4));
    assert_memory_equal(b, "\x11\x22\x33\x44", 4);
    assert_int_equal(fw_image_chunk_count(img), 1);
    fw_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_check_values),
        cmocka_unit_test(test_range_fills_gaps_and_skips_the_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
