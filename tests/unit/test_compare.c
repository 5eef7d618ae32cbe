/* SPDX-License-Identifier: MIT */
/* fw_image_diff: changed runs, bytes on one side only, fill, range. */
#include "support.h"

#include <string.h>

#include "fwkit/compare.h"

static fw_image *img_of(uint64_t addr, const char *bytes)
{
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "t", NULL);
    fw_image_add(img, addr, bytes, strlen(bytes), src, 0, 0);
    fw_image_finish(img, NULL);
    return img;
}

struct collected {
    fw_diff_run runs[8];
    size_t n;
};

static int collect(const fw_diff_run *r, void *user)
{
    struct collected *c = user;
    if (c->n < 8)
        c->runs[c->n++] = *r;
    return 0;
}

static void test_changed_runs_and_one_sided_bytes(void **state)
{
    (void)state;
    fw_image *a = img_of(0x100, "abcdefgh");
    fw_image *b = img_of(0x102, "cXYfghij");
    struct collected c = {0};
    fw_diff_totals t;
    assert_int_equal(fw_image_diff(a, b, 0, UINT64_MAX, -1, collect, &c, &t), 1);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.runs[0].kind, FW_DIFF_ONLY_A); /* "ab" */
    assert_int_equal(c.runs[0].lo, 0x100);
    assert_int_equal(c.runs[0].end, 0x102);
    assert_int_equal(c.runs[1].kind, FW_DIFF_CHANGED); /* "de" -> "XY" */
    assert_int_equal(c.runs[1].lo, 0x103);
    assert_int_equal(c.runs[1].end, 0x105);
    assert_memory_equal(c.runs[1].a, "de", 2);
    assert_memory_equal(c.runs[1].b, "XY", 2);
    assert_int_equal(c.runs[2].kind, FW_DIFF_ONLY_B); /* "ij" */
    assert_int_equal(t.changed, 2);
    assert_int_equal(t.only_a, 2);
    assert_int_equal(t.only_b, 2);
    /* a range that holds only the equal part */
    assert_int_equal(fw_image_diff(a, b, 0x105, 0x108, -1, NULL, NULL, NULL), 0);
    fw_image_free(a);
    fw_image_free(b);
}

static void test_fill_makes_padding_equal(void **state)
{
    (void)state;
    fw_image *sparse = img_of(0x100, "AB");
    fw_image *more = img_of(0x200, "CD");
    fw_image *a = fw_image_clone(sparse);
    int src = fw_image_source(a, "t", NULL);
    fw_image_add(a, 0x200, "CD", 2, src, 0, 0);
    fw_image_finish(a, NULL);
    /* the same data padded with 0xFF between */
    uint8_t padded[0x102];
    memset(padded, 0xFF, sizeof(padded));
    memcpy(padded, "AB", 2);
    memcpy(padded + 0x100, "CD", 2);
    fw_image *b = fw_image_new();
    src = fw_image_source(b, "t", NULL);
    fw_image_add(b, 0x100, padded, sizeof(padded), src, 0, 0);
    fw_image_finish(b, NULL);
    assert_int_equal(fw_image_diff(a, b, 0, UINT64_MAX, -1, NULL, NULL, NULL), 1);
    assert_int_equal(fw_image_diff(a, b, 0, UINT64_MAX, 0xFF, NULL, NULL, NULL), 0);
    fw_diff_totals t;
    assert_int_equal(fw_image_diff(a, b, 0, UINT64_MAX, 0x00, NULL, NULL, &t), 1);
    assert_int_equal(t.changed, 0xFE);
    fw_image_free(sparse);
    fw_image_free(more);
    fw_image_free(a);
    fw_image_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changed_runs_and_one_sided_bytes),
        cmocka_unit_test(test_fill_makes_padding_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
