/* SPDX-License-Identifier: MIT */
/* ELF, raw binary, gzip and content detection; round trips through every
 * writer on generated images and on the corpus. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void test_elf64_and_big_endian_match_objcopy(void **state)
{
    (void)state;
    const char *pairs[][2] = {{"tests/fixtures/elf/riscv64.elf", "tests/fixtures/elf/riscv64.objcopy.hex"},
                              {"tests/fixtures/elf/arm-be.elf", "tests/fixtures/elf/arm-be.objcopy.hex"}};
    for (size_t i = 0; i < 2; i++) {
        fw_image *elf = must_read(pairs[i][0], NULL);
        fw_image *hex = must_read(pairs[i][1], NULL);
        /* objcopy copies sections; we load whole PT_LOAD segments, which may
         * also hold the alignment padding between sections */
        uint64_t extra = fw_image_data_size(elf) - fw_image_data_size(hex);
        assert_true(extra < 8);
        for (size_t k = 0; k < fw_image_chunk_count(hex); k++) {
            const fw_chunk *c = fw_image_chunk(hex, k);
            uint8_t *ours = malloc(c->len);
            assert_true(fw_image_read(elf, c->addr, ours, c->len));
            assert_memory_equal(ours, c->data, c->len);
            free(ours);
        }
        uint64_t lo_e, end_e, lo_h, end_h;
        assert_true(fw_image_span(elf, &lo_e, &end_e) && fw_image_span(hex, &lo_h, &end_h));
        assert_int_equal(lo_e, lo_h);
        assert_int_equal(end_e, end_h);
        const fw_elf_info *e = fw_image_elf(elf);
        assert_non_null(e);
        assert_int_equal(e->elf_class, i == 0 ? 64 : 32);
        assert_int_equal(e->big_endian, i == 1);
        assert_int_equal(e->build_id_len, 20);
        /* .data runs in RAM but loads after .text in ROM */
        bool found = false;
        for (size_t k = 0; k < e->nsections; k++)
            if (!strcmp(e->sections[k].name, ".data") || !strcmp(e->sections[k].name, ".sdata")) {
                found = true;
                assert_int_equal(e->sections[k].vma, 0x80000000);
                assert_true(e->sections[k].lma >= 0x20000000 && e->sections[k].lma < 0x20010000);
                fw_origin o;
                assert_true(fw_image_origin_at(elf, e->sections[k].lma, &o));
                assert_string_equal(o.section, e->sections[k].name);
            }
        assert_true(found);
        assert_int_equal(fw_image_start(elf)->kind, FW_START_LINEAR);
        fw_image_free(elf);
        fw_image_free(hex);
    }
}

static void test_binary_needs_a_base(void **state)
{
    (void)state;
    uint8_t data[300];
    for (int i = 0; i < 300; i++)
        data[i] = (uint8_t)(i * 7);
    fw_image *img;
    fw_diag *d;
    assert_int_equal(read_bytes("x.bin", data, sizeof(data), NULL, &img, &d), FW_OK);
    assert_int_equal(fw_image_format(img), FW_FMT_BIN);
    assert_int_equal(fw_image_chunk(img, 0)->addr, 0);
    const fw_diagnostic *n = find_rule(d, "BIN-BASE");
    assert_non_null(n);
    assert_int_equal(n->severity, FW_NOTE);
    fw_image_free(img);
    fw_diag_free(d);
    fw_read_options o = {.has_base = true, .base = 0x08000000};
    assert_int_equal(read_bytes("x.bin", data, sizeof(data), &o, &img, &d), FW_OK);
    assert_int_equal(fw_image_chunk(img, 0)->addr, 0x08000000);
    assert_null(find_rule(d, "BIN-BASE"));
    fw_origin org;
    assert_true(fw_image_origin_at(img, 0x08000000 + 200, &org));
    assert_true(org.has_offset);
    assert_int_equal(org.offset, 200);
    fw_image_free(img);
    fw_diag_free(d);
    /* an empty file reads as an empty image, with a warning */
    assert_int_equal(read_bytes("e.bin", "", 0, &o, &img, &d), FW_OK);
    assert_true(fw_image_is_empty(img));
    assert_non_null(find_rule(d, "IMG-EMPTY"));
    fw_image_free(img);
    fw_diag_free(d);
}

static uint8_t *gzip_bytes(const void *in, size_t n, size_t *out_len)
{
    z_stream zs = {0};
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    uint8_t *out = malloc(cap);
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

static void test_gzip_inputs_read_transparently(void **state)
{
    (void)state;
    const char *hex = ":020000040800F2\n:0400000001020304F2\n:00000001FF\n";
    size_t n;
    uint8_t *gz = gzip_bytes(hex, strlen(hex), &n);
    fw_image *img;
    fw_diag *d;
    assert_int_equal(read_bytes("x.hex.gz", gz, n, NULL, &img, &d), FW_OK);
    assert_int_equal(fw_image_format(img), FW_FMT_IHEX);
    assert_int_equal(fw_image_chunk(img, 0)->addr, 0x08000000);
    fw_image_free(img);
    fw_diag_free(d);
    /* a truncated gzip stream is an error, not a short image */
    assert_int_equal(read_bytes("x.hex.gz", gz, n - 12, NULL, &img, &d), FW_EFORMAT);
    assert_non_null(find_rule(d, "FMT-GZIP"));
    fw_diag_free(d);
    free(gz);
    /* a gzip'd ELF */
    FILE *f = fopen("tests/fixtures/elf/arm-be.elf", "rb");
    assert_non_null(f);
    uint8_t buf[16384];
    size_t len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    gz = gzip_bytes(buf, len, &n);
    assert_int_equal(read_bytes("arm-be.elf.gz", gz, n, NULL, &img, &d), FW_OK);
    assert_int_equal(fw_image_format(img), FW_FMT_ELF);
    fw_image *plain = must_read("tests/fixtures/elf/arm-be.elf", NULL);
    assert_int_equal(fw_image_compare(img, plain, NULL), 0);
    fw_image_free(plain);
    fw_image_free(img);
    fw_diag_free(d);
    free(gz);
}

static void test_fuzz_regression_gzip_signature_in_raw_data(void **state)
{
    (void)state;
    fw_image *img = must_read("tests/fixtures/fuzz-regressions/gzip-signature-in-data.elf", NULL);
    fw_write_options o;
    fw_write_options_init(&o);
    o.format = FW_FMT_BIN;
    fw_image *back = roundtrip(img, &o, NULL, NULL);
    assert_int_equal(fw_image_compare(img, back, NULL), 0);
    fw_image_free(back);
    fw_image_free(img);
}

static void test_content_not_name_decides_the_format(void **state)
{
    (void)state;
    struct {
        const char *text;
        int rc;
        const char *needle;
    } cases[] = {
        {"@00100000\n81 40 81 41\n", FW_EUNSUPPORTED, "Verilog $readmemh"},
        {"hello world\nthis is a readme\n", FW_EUNSUPPORTED, "text that is not Intel HEX or S-record"},
        {"\xff\xfe:\0001\0", FW_EUNSUPPORTED, "UTF-16"},
    };
    for (size_t i = 0; i < 3; i++) {
        fw_image *img;
        fw_diag *d;
        size_t len = i == 2 ? 6 : strlen(cases[i].text);
        assert_int_equal(read_bytes("f.hex", cases[i].text, len, NULL, &img, &d), cases[i].rc);
        const fw_diagnostic *e = first_of(d, FW_ERROR);
        assert_non_null(e);
        assert_string_equal(e->rule, "FMT-KIND-MISMATCH");
        assert_non_null(strstr(e->message, cases[i].needle));
        fw_diag_free(d);
    }
    /* an S-record named .hex is read as S-record; a BOM and '#' comments are tolerated */
    fw_image *img;
    fw_diag *d;
    assert_int_equal(read_text("x.hex", "\xEF\xBB\xBF# made by hand\nS107100001020304DE\nS9031000EC\n", &img, &d),
                     FW_OK);
    assert_int_equal(fw_image_format(img), FW_FMT_SREC);
    fw_image_free(img);
    fw_diag_free(d);
}

/* The image a raw binary of img should read back as: gaps filled. */
static fw_image *filled(const fw_image *img, uint8_t fill)
{
    fw_image *f = fw_image_clone(img);
    int src = fw_image_source(f, "fill", NULL);
    for (size_t i = 1; i < fw_image_chunk_count(img); i++) {
        const fw_chunk *a = fw_image_chunk(img, i - 1), *b = fw_image_chunk(img, i);
        size_t gap = (size_t)(b->addr - (a->addr + a->len));
        uint8_t *w;
        assert_int_equal(fw_image_reserve(f, a->addr + a->len, gap, src, 0, 0, &w), FW_OK);
        memset(w, fill, gap);
    }
    assert_int_equal(fw_image_finish(f, NULL), FW_OK);
    return f;
}

/* img through every writer, then through every writer again, comes back equal. */
static void check_roundtrips(const fw_image *img, const char *what)
{
    static const fw_format formats[] = {FW_FMT_IHEX, FW_FMT_SREC, FW_FMT_BIN};
    uint64_t lo, end;
    bool fits_bin = !fw_image_span(img, &lo, &end) || end - lo <= (64u << 20);
    for (size_t i = 0; i < 3; i++) {
        for (size_t j = 0; j < 3; j++) {
            if ((formats[i] == FW_FMT_BIN || formats[j] == FW_FMT_BIN) && (!fits_bin || fw_image_is_empty(img)))
                continue;
            fw_write_options o1, o2;
            fw_write_options_init(&o1);
            fw_write_options_init(&o2);
            o1.format = formats[i];
            o2.format = formats[j];
            o1.max_gap = o2.max_gap = 64u << 20;
            o1.record_bytes = 32;
            fw_image *mid = roundtrip(img, &o1, NULL, NULL);
            fw_image *back = roundtrip(mid, &o2, NULL, NULL);
            fw_image *want = (formats[i] == FW_FMT_BIN || formats[j] == FW_FMT_BIN) ? filled(img, 0xFF)
                                                                                    : fw_image_clone(img);
            uint64_t at;
            if (fw_image_compare(want, back, &at))
                fail_msg("%s: %s -> %s differs at 0x%llx", what, fw_format_name(formats[i]),
                         fw_format_name(formats[j]), (unsigned long long)at);
            fw_image_free(want);
            fw_image_free(mid);
            fw_image_free(back);
        }
    }
}

static void test_roundtrip_generated_sparse_images(void **state)
{
    (void)state;
    fw_image *img = random_image(42, 3000, 48, 0x08000000, 4u << 20);
    assert_true(fw_image_chunk_count(img) > 2500);
    check_roundtrips(img, "3000 chunks");
    fw_image_free(img);
    img = random_image(5, 4, 70000, 0x0, 0x300000);
    check_roundtrips(img, "large chunks crossing 64 KiB");
    fw_image_free(img);
}

static void test_roundtrip_samples_and_every_readable_corpus_file(void **state)
{
    (void)state;
    static const char *files[] = {
        "avr_atmegaos_firmware.elf", "avr_atmegaos_firmware.hex", "bincopy_t_in_blank_lines.hex",
        "bincopy_t_issue_4_in.hex", "bincopy_t_k64f_gcc.bin", "bincopy_t_k64f_gcc.elf",
        "hcs08_s08i2c_project.abs", "hcs08_s08i2c_project.abs.s19", "intelhex_t_eof_only.hex",
        "intelhex_t_hex16.hex", "intelhex_t_hex64k.hex", "intelhex_t_hex8.hex", "intelhex_t_nonlinear.hex",
        "intelhex_t_rectype3.hex", "intelhex_t_rectype5.hex", "lpc2148_openocd_test_rom.elf",
        "lpc2148_openocd_test_rom.hex", "riscv_picorv32_archfx_firmware.elf",
        "srecord_t0191a_expected_i16hex.hex", "srecord_t0191a_in.s19", "stm32_pyocd_nucleo_l152re.bin",
        "stm32f1_bluepill_harish_firmware.elf", "stm32f1_bluepill_harish_firmware.hex",
        "stm32f4_f407_keil_template.axf", "stm32f4_f407_keil_template.hex", "stm32f4_f446_kfuria_firmware.elf",
        "stm32f4_f446_kfuria_firmware.hex", "stm32f4_f446_kfuria_firmware.srec", "stm32l1_tmote_app.hex",
        "stm32l1_tmote_boot.hex",
    };
    static const char *samples[] = {
        "samples/stm32l100rb-blinky/blinky.elf", "samples/stm32l100rb-blinky/blinky.hex",
        "samples/stm32l100rb-blinky/boot-alias/blinky.elf", "samples/stm32l100rb-blinky/boot-alias/blinky.hex",
    };
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        fw_image *img = must_read(samples[i], NULL);
        check_roundtrips(img, samples[i]);
        fw_image_free(img);
    }
    if (!corpus_path(files[0]))
        skip();
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        const char *p = corpus_path(files[i]);
        if (!p)
            fail_msg("corpus file %s is missing", files[i]);
        fw_image *img = must_read(p, NULL);
        check_roundtrips(img, files[i]);
        fw_image_free(img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elf64_and_big_endian_match_objcopy),
        cmocka_unit_test(test_binary_needs_a_base),
        cmocka_unit_test(test_gzip_inputs_read_transparently),
        cmocka_unit_test(test_content_not_name_decides_the_format),
        cmocka_unit_test(test_fuzz_regression_gzip_signature_in_raw_data),
        cmocka_unit_test(test_roundtrip_generated_sparse_images),
        cmocka_unit_test(test_roundtrip_samples_and_every_readable_corpus_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
