/* SPDX-License-Identifier: MIT */
/* Every lint rule: a case that fires it and a close case that must not.
 * Images are made by hand here (a vector table and some code bytes) or
 * compiled by tests/fixtures/lint/build.sh. The base part is STM32F103C8:
 * 64 KiB flash at 0x08000000 (erased 0xFF, half-word writes), 20 KiB RAM. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "fwkit/ldscript.h"
#include "fwkit/lint.h"
#include "fwkit/target.h"

static fw_target_db *db;

static const char user_maps[] =
    "[target LPC-LIKE]\n"
    "core cortex-m0+\n"
    "security lpc-crp\n"
    "checksum lpc-vectors\n"
    "region FLASH flash 0x00000000 32K erase 1K write 256 erased 0xff\n"
    "region RAM ram 0x10000000 8K\n"
    "[target RV-IMAC]\n"
    "core rv32imac\n"
    "reset 0x20000000\n"
    "trap-align 64\n"
    "region ROM flash 0x20000000 64K erase 4K write 4 erased 0xff\n"
    "region RAM ram 0x80000000 16K\n"
    "[target RV-IM]\n"
    "core rv32im\n"
    "reset 0x20010000\n"
    "region ROM flash 0x20000000 128K erase 4K write 4 erased 0xff\n"
    "region RAM ram 0x80000000 16K\n";

static int setup(void **state)
{
    (void)state;
    db = fw_target_db_new();
    fw_diag *d = fw_diag_new();
    int rc = fw_target_db_add_builtin(db, d);
    if (rc == FW_OK)
        rc = fw_target_db_add_text(db, user_maps, strlen(user_maps), "user.map", d);
    fw_diag_free(d);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    fw_target_db_free(db);
    return 0;
}

static const fw_target *part(const char *name)
{
    const fw_target *cand[4];
    size_t n;
    const fw_target *t = fw_target_find(db, name, cand, 4, &n);
    if (!t)
        fail_msg("no part %s", name);
    return t;
}

/* A good Cortex-M image: vectors (SP, reset, NMI, HardFault) at base, code at base+0x100. */
#define IMG_LEN 0x140
static void good_bytes(uint8_t *buf, uint64_t base, uint32_t sp)
{
    memset(buf, 0, IMG_LEN);
    uint32_t words[4] = {sp, (uint32_t)base + 0x101, (uint32_t)base + 0x101, (uint32_t)base + 0x101};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++)
            buf[4 * i + b] = (uint8_t)(words[i] >> (8 * b));
    for (size_t i = 0x100; i < IMG_LEN; i += 2) {
        buf[i] = 0xFE; /* b . */
        buf[i + 1] = 0xE7;
    }
}

static void put_word(uint8_t *buf, size_t off, uint32_t v)
{
    for (int b = 0; b < 4; b++)
        buf[off + (size_t)b] = (uint8_t)(v >> (8 * b));
}

static fw_image *image_of(uint64_t base, const uint8_t *buf, size_t len)
{
    fw_image *img = fw_image_new();
    int src = fw_image_source(img, "case.hex", NULL);
    assert_int_equal(fw_image_add(img, base, buf, len, src, 1, 16), FW_OK);
    return img;
}

static void add_bytes(fw_image *img, uint64_t addr, size_t len, uint8_t value)
{
    uint8_t *w;
    int src = fw_image_source(img, "extra.hex", NULL);
    assert_int_equal(fw_image_reserve(img, addr, len, src, 99, 0, &w), FW_OK);
    memset(w, value, len);
}

static fw_image *good_image(uint64_t base)
{
    uint8_t buf[IMG_LEN];
    good_bytes(buf, base, 0x20005000);
    return image_of(base, buf, IMG_LEN);
}

struct run {
    const char *part;
    const char *path;
    const fw_ld_script *ld;
    fw_lint_config *cfg;
    const fw_lint_artifact *others;
    size_t nothers;
    bool bin_without_base;
    const fw_diag *read_diag;
    const char *core;
    const fw_target *target; /* instead of part: a target made here (fw_target_db_with_flash_size) */
};

/* Finishes img, lints it, frees it. */
static fw_diag *lint(fw_image *img, struct run r)
{
    assert_int_equal(fw_image_finish(img, NULL), FW_OK);
    fw_diag *d = fw_diag_new();
    fw_lint_input in = {0};
    in.main.image = img;
    in.main.path = r.path ? r.path : fw_image_path(img) ? fw_image_path(img) : "case.hex";
    in.main.bin_without_base = r.bin_without_base;
    in.main.read_diag = r.read_diag;
    in.others = r.others;
    in.nothers = r.nothers;
    in.target = r.target ? r.target : r.part ? part(r.part) : NULL;
    in.ld = r.ld;
    in.core = r.core;
    assert_int_equal(fw_lint_run(&in, r.cfg, d), FW_OK);
    fw_image_free(img);
    fw_lint_config_free(r.cfg);
    return d;
}

static void dump(const fw_diag *d)
{
    for (size_t i = 0; i < fw_diag_count(d); i++)
        print_message("#   %s %s: %s\n", fw_severity_name(fw_diag_at(d, i)->severity), fw_diag_at(d, i)->rule,
                      fw_diag_at(d, i)->message);
}

static void fires(fw_diag *d, const char *rule, fw_severity sev)
{
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (!strcmp(fw_diag_at(d, i)->rule, rule) && fw_diag_at(d, i)->severity == sev) {
            fw_diag_free(d);
            return;
        }
    dump(d);
    fail_msg("%s did not fire as %s", rule, fw_severity_name(sev));
}

static void silent(fw_diag *d, const char *rule)
{
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (!strcmp(fw_diag_at(d, i)->rule, rule)) {
            dump(d);
            fail_msg("%s fired on the close case", rule);
        }
    fw_diag_free(d);
}

/* rule fired as sev, and its message holds text */
static void fires_saying(fw_diag *d, const char *rule, fw_severity sev, const char *text)
{
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (!strcmp(fw_diag_at(d, i)->rule, rule) && fw_diag_at(d, i)->severity == sev &&
            strstr(fw_diag_at(d, i)->message, text)) {
            fw_diag_free(d);
            return;
        }
    dump(d);
    fail_msg("%s did not fire as %s saying \"%s\"", rule, fw_severity_name(sev), text);
}

static fw_lint_config *cfg_new(void)
{
    fw_lint_config *c = fw_lint_config_new();
    assert_non_null(c);
    return c;
}

/* --- B. empty images --- */

static void test_img_empty_and_tiny(void **state)
{
    (void)state;
    fires(lint(fw_image_new(), (struct run){.part = "STM32F103C8"}), "IMG-EMPTY", FW_ERROR);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "IMG-EMPTY");
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x08000000, 0x20005000);
    fires(lint(image_of(0x08000000, buf, 32), (struct run){.part = "STM32F103C8"}), "IMG-TINY", FW_WARNING);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "IMG-TINY");
}

static void test_elf_debug_only(void **state)
{
    (void)state;
    fires(lint(must_read("tests/fixtures/lint/debug-only.elf", NULL), (struct run){.part = "STM32F103C8"}),
          "ELF-DEBUG-ONLY", FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8"}), "ELF-DEBUG-ONLY");
}

/* --- C. placement --- */

static void test_place_boot_alias(void **state)
{
    (void)state;
    fires(lint(good_image(0x0), (struct run){.part = "STM32F103C8"}), "PLACE-BOOT-ALIAS", FW_ERROR);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "PLACE-BOOT-ALIAS");
}

static void test_place_unmapped_and_exceeds_flash(void **state)
{
    (void)state;
    fw_image *img = good_image(0x08000000);
    add_bytes(img, 0x30000000, 16, 0x11);
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "PLACE-UNMAPPED", FW_ERROR);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "PLACE-UNMAPPED");
    img = good_image(0x08000000);
    add_bytes(img, 0x0800FFF0, 32, 0x22); /* runs 16 bytes past 64 KiB */
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "PLACE-EXCEEDS-FLASH", FW_ERROR);
    img = good_image(0x08000000);
    add_bytes(img, 0x0800FFF0, 16, 0x22); /* the last 16 bytes of flash */
    silent(lint(img, (struct run){.part = "STM32F103C8"}), "PLACE-EXCEEDS-FLASH");
}

/* --flash-size: flash past the F103C8's 64 KiB is no longer past its end,
 * but data there is said to be in flash its datasheet does not promise */
static void test_place_undocumented_flash(void **state)
{
    (void)state;
    const fw_target *c8 = part("STM32F103C8"), *big = fw_target_db_with_flash_size(db, c8, 128 * 1024);
    assert_non_null(big);
    assert_int_equal(fw_target_flash_size(big), 128 * 1024);
    assert_int_equal(big->documented_flash, 64 * 1024);
    assert_ptr_equal(fw_target_db_with_flash_size(db, c8, 128 * 1024), big); /* made once */
    assert_null(fw_target_db_with_flash_size(db, c8, 100 * 1024 + 512));     /* not whole pages */
    assert_null(fw_target_db_with_flash_size(db, c8, 32 * 1024));            /* smaller */
    fw_image *img = good_image(0x08000000);
    add_bytes(img, 0x08010000, 0x8000, 0x22); /* 32 KiB past the documented 64 */
    fires_saying(lint(img, (struct run){.target = big}), "PLACE-UNDOCUMENTED-FLASH", FW_WARNING,
                 "0x08010000-0x08017fff (32 KiB) is in flash the STM32F103C8's datasheet does not promise: it "
                 "promises 64 KiB, and --flash-size gives 128 KiB");
    img = good_image(0x08000000);
    add_bytes(img, 0x08010000, 0x8000, 0x22);
    silent(lint(img, (struct run){.target = big}), "PLACE-EXCEEDS-FLASH");
    img = good_image(0x08000000);
    add_bytes(img, 0x08010000, 16, 0x22);
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "PLACE-EXCEEDS-FLASH", FW_ERROR); /* without it */
    silent(lint(good_image(0x08000000), (struct run){.target = big}), "PLACE-UNDOCUMENTED-FLASH");
}

/* STM32WB (the target data's cpu2-area line): data in the top 48 KiB, where a
 * chip from the factory keeps CPU2's FUS, is a warning; below it, none; and
 * none on a part without such an area */
static void test_place_cpu2_area(void **state)
{
    (void)state;
    fw_image *img = good_image(0x08000000);
    add_bytes(img, 0x080F3F00, 0x200, 0x22);
    fires_saying(lint(img, (struct run){.part = "STM32WB55RG"}), "PLACE-CPU2-AREA", FW_WARNING,
                 "0x080f4000-0x080f40ff (256 bytes) is in the top 48 KiB of the STM32WB55RG's flash, where a chip from "
                 "the factory keeps CPU2's FUS (from 0x080f4000)");
    img = good_image(0x08000000);
    add_bytes(img, 0x080F3F00, 0x100, 0x22);
    silent(lint(img, (struct run){.part = "STM32WB55RG"}), "PLACE-CPU2-AREA");
    img = good_image(0x08000000);
    add_bytes(img, 0x080F4000, 0x100, 0x22);
    silent(lint(img, (struct run){.part = "STM32L4R5ZI"}), "PLACE-CPU2-AREA");
}

static void test_place_ram_load(void **state)
{
    (void)state;
    fw_image *img = good_image(0x08000000);
    add_bytes(img, 0x20000000, 12, 0x33);
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "PLACE-RAM-LOAD", FW_ERROR);
    fw_lint_config *c = cfg_new();
    fw_lint_config_ram_load(c, true);
    img = good_image(0x08000000);
    add_bytes(img, 0x20000000, 12, 0x33);
    fw_diag *d = lint(img, (struct run){.part = "STM32F103C8", .cfg = c});
    if (fw_diag_count_severity(d, FW_ERROR))
        dump(d);
    assert_int_equal(fw_diag_count_severity(d, FW_ERROR), 0);
    fires(d, "PLACE-RAM-LOAD", FW_NOTE);
}

static void test_place_protected(void **state)
{
    (void)state;
    fw_image *img = good_image(0x08000000);
    add_bytes(img, 0x1FFFF800, 16, 0xA5); /* F1 option bytes */
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "PLACE-PROTECTED", FW_ERROR);
    fw_lint_config *c = cfg_new();
    fw_lint_config_allow_config(c, true);
    img = good_image(0x08000000);
    add_bytes(img, 0x1FFFF800, 16, 0xA5);
    silent(lint(img, (struct run){.part = "STM32F103C8", .cfg = c}), "PLACE-PROTECTED");
}

static void test_place_security_word_and_vendor_checksum(void **state)
{
    (void)state;
    uint8_t buf[0x400];
    memset(buf, 0, sizeof(buf));
    uint8_t good[IMG_LEN];
    good_bytes(good, 0, 0x10002000);
    memcpy(buf, good, IMG_LEN);
    /* vector 7 makes the first eight sum to zero */
    uint32_t sum = 0;
    for (int i = 0; i < 7; i++)
        sum += (uint32_t)buf[4 * i] | (uint32_t)buf[4 * i + 1] << 8 | (uint32_t)buf[4 * i + 2] << 16 |
               (uint32_t)buf[4 * i + 3] << 24;
    put_word(buf, 28, 0u - sum);
    silent(lint(image_of(0, buf, sizeof(buf)), (struct run){.part = "LPC-LIKE"}), "VEC-CHECKSUM");
    silent(lint(image_of(0, buf, sizeof(buf)), (struct run){.part = "LPC-LIKE"}), "PLACE-SECURITY-WORD");
    put_word(buf, 0x2FC, 0x43218765); /* CRP3 */
    fires(lint(image_of(0, buf, sizeof(buf)), (struct run){.part = "LPC-LIKE"}), "PLACE-SECURITY-WORD", FW_ERROR);
    put_word(buf, 28, 0);
    fires(lint(image_of(0, buf, sizeof(buf)), (struct run){.part = "LPC-LIKE"}), "VEC-CHECKSUM", FW_ERROR);
}

static void test_place_eeprom_and_gran_pad(void **state)
{
    (void)state;
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x08000000, 0x20002800);
    fw_image *img = image_of(0x08000000, buf, IMG_LEN);
    add_bytes(img, 0x08080000, 16, 0x01);
    fires(lint(img, (struct run){.part = "STM32L100RB"}), "PLACE-EEPROM", FW_WARNING);
    silent(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32L100RB"}), "PLACE-EEPROM");
    /* erased flash reads 0x00 on L1: said plainly; not on F1 */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32L100RB"}), "GRAN-PAD", FW_NOTE);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "GRAN-PAD");
}

static void test_place_gap_bin(void **state)
{
    (void)state;
    fw_lint_config *c = cfg_new();
    fw_lint_config_allow_config(c, true);
    fw_image *img = good_image(0x08000000);
    add_bytes(img, 0x1FFFF800, 16, 0xA5);
    fires(lint(img, (struct run){.part = "STM32F103C8", .cfg = c}), "PLACE-GAP-BIN", FW_WARNING);
    img = good_image(0x08000000);
    add_bytes(img, 0x08008000, 16, 0xA5);
    silent(lint(img, (struct run){.part = "STM32F103C8"}), "PLACE-GAP-BIN");
}

static void test_place_slot(void **state)
{
    (void)state;
    fw_lint_config *c = cfg_new();
    fw_lint_config_slot(c, 0x08004000, 0x08010000);
    fires(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8", .cfg = c}), "PLACE-SLOT", FW_ERROR);
    c = cfg_new();
    fw_lint_config_slot(c, 0x08004000, 0x08010000);
    silent(lint(good_image(0x08004000), (struct run){.part = "STM32F103C8", .cfg = c}), "PLACE-SLOT");
}

/* --- D. vector table --- */

static void test_vec_missing(void **state)
{
    (void)state;
    fw_image *img = fw_image_new();
    add_bytes(img, 0x08001000, 64, 0x5A); /* nothing at the flash base */
    fw_lint_config *c = cfg_new();
    fw_lint_config_vtor(c, 0x08000000);
    fires(lint(img, (struct run){.part = "STM32F103C8", .cfg = c}), "VEC-MISSING", FW_ERROR);
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x08000000, 0xFFFFFFFF);
    put_word(buf, 4, 0xFFFFFFFF);
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-MISSING", FW_ERROR);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "VEC-MISSING");
    /* an application after a bootloader, too short for a table: the message
     * names where its table should be, not the chip's boot address */
    img = fw_image_new();
    add_bytes(img, 0x08004000, 4, 0x5A);
    fw_diag *d = lint(img, (struct run){.part = "STM32F103C8"});
    bool said = false;
    for (size_t i = 0; i < fw_diag_count(d); i++)
        said = said || (!strcmp(fw_diag_at(d, i)->rule, "VEC-MISSING") &&
                        strstr(fw_diag_at(d, i)->message, "0x08004000, the start of the image's data in flash") &&
                        strstr(fw_diag_at(d, i)->message, "less than its first two words"));
    if (!said)
        dump(d);
    fw_diag_free(d);
    assert_true(said);
}

static void test_vec_sp(void **state)
{
    (void)state;
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x08000000, 0x20008000); /* 32 KiB: the F103C8 has 20 */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-SP", FW_ERROR);
    good_bytes(buf, 0x08000000, 0x20004FFC); /* word-aligned, not 8-byte: AAPCS, the core copes (NuttX does it) */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-SP", FW_WARNING);
    good_bytes(buf, 0x08000000, 0x20004FFE); /* not even word-aligned: the core drops bits 1:0 */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-SP", FW_ERROR);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "VEC-SP");
}

static void test_vec_reset_and_handlers(void **state)
{
    (void)state;
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x08000000, 0x20005000);
    put_word(buf, 4, 0x08000100); /* even: ARM state */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-RESET", FW_ERROR);
    good_bytes(buf, 0x08000000, 0x20005000);
    put_word(buf, 4, 0x08004001); /* not in the image */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-RESET", FW_ERROR);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "VEC-RESET");
    good_bytes(buf, 0x08000000, 0x20005000);
    put_word(buf, 7 * 4, 0x12345678); /* garbage in a reserved slot */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-HANDLERS", FW_WARNING);
    good_bytes(buf, 0x08000000, 0x20005000);
    put_word(buf, 7 * 4, 0x08000101); /* a reserved slot filled with a handler, as ChibiOS and NuttX do */
    put_word(buf, 13 * 4, 0x08000101);
    silent(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8"}), "VEC-HANDLERS");
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "VEC-HANDLERS");
}

static void test_vec_align_and_app_offset(void **state)
{
    (void)state;
    uint8_t buf[IMG_LEN + 0x100];
    memset(buf, 0, sizeof(buf));
    uint8_t t1[IMG_LEN];
    good_bytes(t1, 0x08000000, 0x20005000);
    memcpy(buf, t1, IMG_LEN);
    memcpy(buf + 0x40, t1, 16); /* a second table at +0x40, and one at +0x80 */
    memcpy(buf + 0x80, t1, 16);
    fw_lint_config *c = cfg_new();
    fw_lint_config_vtor(c, 0x08000040);
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8", .cfg = c}), "VEC-ALIGN",
          FW_ERROR);
    c = cfg_new();
    fw_lint_config_vtor(c, 0x08000080);
    silent(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8", .cfg = c}), "VEC-ALIGN");
    fires(lint(good_image(0x08004000), (struct run){.part = "STM32F103C8"}), "VEC-APP-OFFSET", FW_NOTE);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "VEC-APP-OFFSET");
}

static void test_entry_mismatch(void **state)
{
    (void)state;
    fw_image *img = good_image(0x08000000);
    fw_start s = {.kind = FW_START_LINEAR, .addr = 0x08010001}; /* outside the image */
    fw_image_set_start(img, &s);
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "ENTRY-MISMATCH", FW_WARNING);
    img = good_image(0x08000000);
    s.addr = 0x08000121; /* Thumb code of the image: armlink's __main, IAR's __iar_program_start */
    fw_image_set_start(img, &s);
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "ENTRY-MISMATCH", FW_NOTE);
    img = good_image(0x08000000);
    s.addr = 0x08000100; /* same as the reset vector, without the Thumb bit */
    fw_image_set_start(img, &s);
    silent(lint(img, (struct run){.part = "STM32F103C8"}), "ENTRY-MISMATCH");
}

/* --- E. RISC-V boot --- */

static void test_riscv_reset_and_trap_alignment(void **state)
{
    (void)state;
    fires(lint(must_read("tests/fixtures/lint/rv32imac.elf", NULL), (struct run){.part = "RV-IM"}), "RV-RESET", FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/rv32imac.elf", NULL), (struct run){.part = "RV-IMAC"}), "RV-RESET");
    fires(lint(must_read("tests/fixtures/lint/rv32imac.elf", NULL), (struct run){.part = "RV-IMAC"}), "RV-TRAP-ALIGN",
          FW_WARNING);
    silent(lint(must_read("tests/fixtures/lint/rv32imac.elf", NULL), (struct run){.part = "RV-IM"}), "RV-TRAP-ALIGN");
}

/* --- F. architecture / ABI --- */

static void test_elf_target(void **state)
{
    (void)state;
    fires(lint(must_read("tests/fixtures/lint/relocatable.o", NULL), (struct run){.part = "STM32F103C8"}), "ELF-TARGET",
          FW_ERROR);
    fires(lint(must_read("tests/fixtures/lint/rv32imac.elf", NULL), (struct run){.part = "STM32F103C8"}), "ELF-TARGET",
          FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8"}), "ELF-TARGET");
}

static void test_arm_state_and_arch_level(void **state)
{
    (void)state;
    fires(lint(must_read("tests/fixtures/lint/arm-state.elf", NULL), (struct run){.part = "STM32F103C8"}), "ARM-STATE",
          FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8"}), "ARM-STATE");
    fires(lint(must_read("tests/fixtures/lint/m4.elf", NULL), (struct run){.part = "STM32F103C8"}), "ARM-ARCH-LEVEL",
          FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/m4.elf", NULL), (struct run){.part = "STM32F407VG"}), "ARM-ARCH-LEVEL");
}

static void test_arm_float_abi(void **state)
{
    (void)state;
    /* STM32WL55 is a Cortex-M4 without FPU */
    fires(lint(must_read("tests/fixtures/lint/m4-hard-sp.elf", NULL), (struct run){.part = "STM32WLE5JC"}),
          "ARM-FLOAT-ABI", FW_ERROR);
    fw_diag *d = lint(must_read("tests/fixtures/lint/m4-hard-sp.elf", NULL), (struct run){.part = "STM32F407VG"});
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (!strcmp(fw_diag_at(d, i)->rule, "ARM-FLOAT-ABI"))
            assert_int_equal(fw_diag_at(d, i)->severity, FW_NOTE); /* only "enable the FPU" */
    fw_diag_free(d);
    fires(lint(must_read("tests/fixtures/lint/m7-hard-dp.elf", NULL), (struct run){.part = "STM32F746NG"}),
          "ARM-FLOAT-ABI", FW_ERROR);
    d = lint(must_read("tests/fixtures/lint/m7-hard-dp.elf", NULL), (struct run){.part = "STM32F767ZI"});
    assert_int_equal(fw_diag_count_severity(d, FW_ERROR), 0);
    fw_diag_free(d);
}

static void test_riscv_isa(void **state)
{
    (void)state;
    fires(lint(must_read("tests/fixtures/lint/rv32imac.elf", NULL), (struct run){.part = "RV-IM"}), "RV-ISA", FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/rv32imac.elf", NULL), (struct run){.part = "RV-IMAC"}), "RV-ISA");
}

/* --- TrustZone, dual-core parts, foreign code --- */

static void test_trustzone(void **state)
{
    (void)state;
    /* a secure image at the secure alias of flash, its stack in secure SRAM:
     * where a TZEN=1 part boots (SECBOOTADD0), nothing to say */
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x0C000000, 0x30040000);
    fw_diag *d = lint(image_of(0x0C000000, buf, IMG_LEN), (struct run){.part = "STM32L552ZE"});
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (fw_diag_at(d, i)->severity != FW_NOTE) {
            dump(d);
            fail_msg("a secure image at 0x0C000000 is healthy");
        }
    fw_diag_free(d);
    /* merged with a non-secure piece on the same flash bytes */
    fw_image *img = image_of(0x0C000000, buf, IMG_LEN);
    add_bytes(img, 0x08000100, 16, 0x11);
    fires_saying(lint(img, (struct run){.part = "STM32L552ZE"}), "PLACE-TZ", FW_ERROR,
                 "are the same flash");
    /* apart, they are fine */
    img = image_of(0x0C000000, buf, IMG_LEN);
    add_bytes(img, 0x08040000, 16, 0x11);
    silent(lint(img, (struct run){.part = "STM32L552ZE"}), "PLACE-TZ");
    /* the same secure address on a part without TrustZone is nowhere */
    fires(lint(image_of(0x0C000000, buf, IMG_LEN), (struct run){.part = "STM32G474RE"}), "PLACE-UNMAPPED", FW_ERROR);
}

static void test_dual_core(void **state)
{
    (void)state;
    /* the H747's Cortex-M4 sees D2 SRAM at 0x10000000: its stack there is
     * right for it (told from the stack), wrong for the M7 */
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x08100000, 0x10048000);
    silent(lint(image_of(0x08100000, buf, IMG_LEN), (struct run){.part = "STM32H747XI"}), "VEC-SP");
    silent(lint(image_of(0x08100000, buf, IMG_LEN), (struct run){.part = "STM32H747XI", .core = "cortex-m4"}),
           "VEC-SP");
    fires(lint(image_of(0x08100000, buf, IMG_LEN), (struct run){.part = "STM32H747XI", .core = "cortex-m7"}), "VEC-SP",
          FW_ERROR);
    /* a single-core H7 has no such view */
    fires(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32H743ZI"}), "VEC-SP", FW_ERROR);
}

/* Both cores' code in one image (fwmerge of the two ELF files): the CM4's
 * table at its factory boot address (RM0399 FLASH_BOOT4: bank 2) is checked
 * as the CM7's is, its findings naming the Cortex-M4 */
static void test_dual_core_merged(void **state)
{
    (void)state;
    uint8_t cm7[IMG_LEN], cm4[IMG_LEN];
    good_bytes(cm7, 0x08000000, 0x24080000);
    good_bytes(cm4, 0x08100000, 0x10048000);
    fw_image *img = image_of(0x08000000, cm7, IMG_LEN);
    int src = fw_image_source(img, "cm4.hex", NULL);
    uint8_t *w;
    assert_int_equal(fw_image_reserve(img, 0x08100000, IMG_LEN, src, 99, 0, &w), FW_OK);
    memcpy(w, cm4, IMG_LEN);
    fw_diag *d = lint(img, (struct run){.part = "STM32H747XI"});
    for (size_t i = 0; i < fw_diag_count(d); i++)
        if (!strncmp(fw_diag_at(d, i)->rule, "VEC-", 4)) {
            dump(d);
            fail_msg("both tables are right for their cores");
        }
    fw_diag_free(d);
    /* the CM4's reset vector even, its stack outside RAM: its own findings */
    img = image_of(0x08000000, cm7, IMG_LEN);
    src = fw_image_source(img, "cm4.hex", NULL);
    assert_int_equal(fw_image_reserve(img, 0x08100000, IMG_LEN, src, 99, 0, &w), FW_OK);
    memcpy(w, cm4, IMG_LEN);
    put_word(w, 0, 0x30000000);
    put_word(w, 4, 0x08100100);
    d = lint(img, (struct run){.part = "STM32H747XI"});
    size_t named = 0;
    for (size_t i = 0; i < fw_diag_count(d); i++) {
        const fw_diagnostic *e = fw_diag_at(d, i);
        if ((!strcmp(e->rule, "VEC-RESET") || !strcmp(e->rule, "VEC-SP")) && e->severity == FW_ERROR &&
            strstr(e->message, "the Cortex-M4's vector table (at 0x08100000"))
            named++;
    }
    if (named != 2) {
        dump(d);
        fail_msg("the CM4's VEC-SP and VEC-RESET, named the Cortex-M4's");
    }
    fw_diag_free(d);
    /* a single-core H743 has no second table to check */
    img = image_of(0x08000000, cm7, IMG_LEN);
    add_bytes(img, 0x08100000, 16, 0x00);
    silent(lint(img, (struct run){.part = "STM32H743ZI"}), "VEC-RESET");
}

static void test_foreign_code(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint64_t at;
        uint8_t bytes[8];
    } cases[] = {
        {"AVR code", 0, {0x0C, 0x94, 0x50, 0x00, 0x0C, 0x94, 0x3E, 0x06}},
        {"8051 code", 0, {0x02, 0x00, 0x30, 0x32, 0xFF, 0xFF, 0xFF, 0xFF}},
        {"ARM7/ARM9", 0, {0x18, 0xF0, 0x9F, 0xE5, 0x18, 0xF0, 0x9F, 0xE5}},
        {"RISC-V code", 0x08000000, {0x97, 0x01, 0x00, 0x00, 0x93, 0x81, 0x01, 0x00}}, /* auipc gp; addi gp */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t buf[64];
        memset(buf, 0xFF, sizeof(buf));
        memcpy(buf, cases[i].bytes, 8);
        fw_diag *d = lint(image_of(cases[i].at, buf, sizeof(buf)), (struct run){.part = "STM32F103C8"});
        bool said = false, vector_talk = false;
        for (size_t k = 0; k < fw_diag_count(d); k++) {
            said |= !strcmp(fw_diag_at(d, k)->rule, "IMG-FOREIGN") && strstr(fw_diag_at(d, k)->message, cases[i].what);
            vector_talk |= !strncmp(fw_diag_at(d, k)->rule, "VEC-", 4) || !strncmp(fw_diag_at(d, k)->rule, "PLACE-", 6);
        }
        if (!said || vector_talk)
            dump(d);
        fw_diag_free(d);
        assert_true(said);
        assert_false(vector_talk);
    }
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8"}), "IMG-FOREIGN");
}

/* --- G. write granularity --- */

static void test_gran_write(void **state)
{
    (void)state;
    fw_image *img = good_image(0x08000000);
    add_bytes(img, 0x08001001, 3, 0x44); /* odd start on half-word flash */
    fires(lint(img, (struct run){.part = "STM32F103C8"}), "GRAN-WRITE", FW_NOTE);
    img = good_image(0x08000000);
    add_bytes(img, 0x08001000, 3, 0x44); /* an odd end: every flasher pads it */
    silent(lint(img, (struct run){.part = "STM32F103C8"}), "GRAN-WRITE");
    img = good_image(0x08000000);
    add_bytes(img, 0x08001001, 3, 0x44); /* the F4 programs single bytes (PSIZE x8) */
    silent(lint(img, (struct run){.part = "STM32F405RG"}), "GRAN-WRITE");
    img = good_image(0x08000000);
    add_bytes(img, 0x08001000, 7, 0x44); /* a one-byte gap inside one 32-byte H7 flash word */
    add_bytes(img, 0x08001008, 8, 0x44);
    fires_saying(lint(img, (struct run){.part = "STM32H743ZI"}), "GRAN-WRITE", FW_NOTE,
                 "a gap at 0x08001007-0x08001007 lies inside one unit");
}

/* --- H. artifacts of one build --- */

static void test_art_stale_and_hex_writer(void **state)
{
    (void)state;
    fw_image *hex = must_read("tests/fixtures/lint/m3.hex", NULL);
    fw_lint_artifact other = {.image = hex, .path = "m3.hex"};
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8", .others = &other, .nothers = 1}),
           "ART-STALE");
    /* one byte changed: stale */
    fw_image *changed = fw_image_clone(hex);
    fw_image_chunk(changed, 0)->data[0x20] ^= 0xFF;
    other.image = changed;
    fires(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8", .others = &other, .nothers = 1}),
          "ART-STALE", FW_WARNING);
    fw_image_free(changed);
    /* every ELA byte-swapped: 0x0800 written as 0x0008 */
    fw_image *swapped = fw_image_clone(hex);
    assert_int_equal(fw_image_offset(swapped, (int64_t)0x00080000 - 0x08000000, NULL), FW_OK);
    other.image = swapped;
    fires(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8", .others = &other, .nothers = 1}),
          "ART-HEX-WRITER", FW_WARNING);
    fw_image_free(swapped);
    other.image = hex;
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8", .others = &other, .nothers = 1}),
           "ART-HEX-WRITER");
    fw_image_free(hex);
}

static void test_art_bin_base(void **state)
{
    (void)state;
    uint8_t buf[IMG_LEN];
    good_bytes(buf, 0x08000000, 0x20005000);
    fires(lint(image_of(0, buf, IMG_LEN), (struct run){.part = "STM32F103C8", .path = "x.bin", .bin_without_base = true}),
          "ART-BIN-BASE", FW_WARNING);
    silent(lint(image_of(0x08000000, buf, IMG_LEN), (struct run){.part = "STM32F103C8", .path = "x.bin"}), "ART-BIN-BASE");
    /* linked at 0x08000000, placed at 0x08002000: its words say where it belongs */
    fw_image *img = image_of(0x08002000, buf, IMG_LEN);
    fw_image_set_format(img, FW_FMT_BIN);
    fires_saying(lint(img, (struct run){.part = "STM32F103C8", .path = "x.bin"}), "ART-BIN-BASE", FW_WARNING,
                 "looks linked at 0x08000000, not at 0x08002000");
}

/* --- I. linker script and sections --- */

static fw_ld_script *ld_of(const char *text)
{
    fw_ld_script *s = NULL;
    fw_diag *d = fw_diag_new();
    assert_int_equal(fw_ld_read_text(text, strlen(text), "case.ld", NULL, 0, &s, d), FW_OK);
    fw_diag_free(d);
    return s;
}

static void test_ld_data_lma_and_bss_load(void **state)
{
    (void)state;
    fires(lint(must_read("tests/fixtures/lint/data-no-at.elf", NULL), (struct run){.part = "STM32F103C8"}), "LD-DATA-LMA",
          FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8"}), "LD-DATA-LMA");
    fires(lint(must_read("tests/fixtures/lint/bss-load.elf", NULL), (struct run){.part = "STM32F103C8"}), "LD-BSS-LOAD",
          FW_WARNING);
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8"}), "LD-BSS-LOAD");
}

static void test_ld_zero_region_and_map_vs_device(void **state)
{
    (void)state;
    fw_ld_script *good = ld_of("MEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 64K\n"
                               "         RAM (xrw) : ORIGIN = 0x20000000, LENGTH = 20K }\n"
                               "_estack = ORIGIN(RAM) + LENGTH(RAM);\n");
    fw_ld_script *zero = ld_of("MEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 64K\n"
                               "         RAM (xrw) : ORIGIN = 0x20000000, LENGTH = 20K\n"
                               "         CCMRAM (xrw) : ORIGIN = 0x10000000, LENGTH = 0 }\n");
    fw_ld_script *big = ld_of("MEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 128K\n"
                              "         RAM (xrw) : ORIGIN = 0x20000000, LENGTH = 20K }\n");
    fw_ld_script *alias = ld_of("MEMORY { FLASH (rx) : ORIGIN = 0x00000000, LENGTH = 64K\n"
                                "         RAM (xrw) : ORIGIN = 0x20000000, LENGTH = 20K }\n");
    fires(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8", .ld = zero}), "LD-ZERO-REGION", FW_NOTE);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8", .ld = good}), "LD-ZERO-REGION");
    fires(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8", .ld = big}), "LD-MAP-VS-DEVICE", FW_ERROR);
    fires(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8", .ld = alias}), "LD-MAP-VS-DEVICE", FW_ERROR);
    silent(lint(good_image(0x08000000), (struct run){.part = "STM32F103C8", .ld = good}), "LD-MAP-VS-DEVICE");
    /* with the script alone, its regions are the memory map */
    fw_diag *d = lint(good_image(0x0), (struct run){.ld = alias});
    silent(d, "PLACE-BOOT-ALIAS");
    d = lint(good_image(0x30000000), (struct run){.ld = good});
    fires(d, "PLACE-UNMAPPED", FW_ERROR);
    fw_ld_free(good);
    fw_ld_free(zero);
    fw_ld_free(big);
    fw_ld_free(alias);
}

static void test_the_founding_mistake_points_at_mem_ld(void **state)
{
    (void)state;
    fw_ld_script *ld = NULL;
    fw_diag *d = fw_diag_new();
    assert_int_equal(fw_ld_read("samples/stm32l100rb-blinky/boot-alias/mem.ld", NULL, 0, &ld, d), FW_OK);
    fw_diag_free(d);
    d = lint(must_read("samples/stm32l100rb-blinky/boot-alias/blinky.hex", NULL), (struct run){.part = "STM32L100RB", .ld = ld});
    const fw_diagnostic *e = find_rule(d, "PLACE-BOOT-ALIAS");
    assert_non_null(e);
    assert_int_equal(e->severity, FW_ERROR);
    assert_string_equal(e->loc.file, "samples/stm32l100rb-blinky/boot-alias/mem.ld");
    assert_int_equal(e->loc.line, 4);
    assert_non_null(strstr(e->hint, "FLASH ORIGIN = 0x08000000 (samples/stm32l100rb-blinky/boot-alias/mem.ld:4)"));
    assert_non_null(strstr(e->hint, "fwconv --offset 0x08000000"));
    fw_diag_free(d);
    fw_ld_free(ld);
}

/* --- A. format findings from the reader, and configuration --- */

static void test_reader_findings_and_configuration(void **state)
{
    (void)state;
    fw_image *img = NULL;
    fw_diag *rd = NULL;
    const char *hex = ":020000040800F2\n:04FFFE00AABBCCDDF1\n:00000001FF\n";
    assert_int_equal(read_text("x.hex", hex, &img, &rd), FW_OK);
    fw_image *copy = fw_image_clone(img);
    fires(lint(img, (struct run){.part = "STM32F103C8", .read_diag = rd}), "FMT-HEX-64K-CROSS", FW_WARNING);
    fw_lint_config *c = cfg_new();
    assert_true(fw_lint_config_enable(c, "FMT-", false));
    silent(lint(copy, (struct run){.part = "STM32F103C8", .read_diag = rd, .cfg = c}), "FMT-HEX-64K-CROSS");
    fw_diag_free(rd);
    /* segment records: a warning on a 32-bit part, only a note with no part */
    const char *seg = ":020000020000FC\n:04000000005000208C\n:00000001FF\n";
    assert_int_equal(read_text("s.hex", seg, &img, &rd), FW_OK);
    copy = fw_image_clone(img);
    fires(lint(img, (struct run){.part = "STM32F103C8", .read_diag = rd}), "FMT-HEX-ADDR-RECORDS", FW_WARNING);
    fw_diag *d = lint(copy, (struct run){.read_diag = rd});
    for (size_t i = 0; i < fw_diag_count(d); i++)
        assert_int_not_equal(fw_diag_at(d, i)->severity, FW_WARNING);
    fw_diag_free(d);
    fw_diag_free(rd);
    /* the name says HEX, the content is ELF */
    fires(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8", .path = "m3.hex"}),
          "FMT-KIND-MISMATCH", FW_ERROR);
    silent(lint(must_read("tests/fixtures/lint/m3.elf", NULL), (struct run){.part = "STM32F103C8", .path = "m3.elf"}),
           "FMT-KIND-MISMATCH");
    /* raising and group switches */
    c = cfg_new();
    assert_true(fw_lint_config_raise(c, "VEC-APP-OFFSET"));
    fires(lint(good_image(0x08004000), (struct run){.part = "STM32F103C8", .cfg = c}), "VEC-APP-OFFSET", FW_ERROR);
    c = cfg_new();
    assert_true(fw_lint_config_enable(c, "VEC-", false));
    silent(lint(good_image(0x08004000), (struct run){.part = "STM32F103C8", .cfg = c}), "VEC-APP-OFFSET");
    c = cfg_new();
    assert_false(fw_lint_config_enable(c, "NO-SUCH-RULE", false));
    fw_lint_config_free(c);
}

static void test_catalogue_has_every_rule_once(void **state)
{
    (void)state;
    static const char *required[] = {"FMT-KIND-MISMATCH",
                                     "FMT-HEX-SYNTAX",
                                     "FMT-HEX-EOF",
                                     "FMT-HEX-ADDR-RECORDS",
                                     "FMT-HEX-64K-CROSS",
                                     "FMT-OVERLAP",
                                     "FMT-SREC",
                                     "FMT-TEXT-ENCODING",
                                     "IMG-EMPTY",
                                     "ELF-DEBUG-ONLY",
                                     "IMG-TINY",
                                     "IMG-FOREIGN",
                                     "PLACE-UNMAPPED",
                                     "PLACE-BOOT-ALIAS",
                                     "PLACE-RAM-LOAD",
                                     "PLACE-EXCEEDS-FLASH",
                                     "PLACE-UNDOCUMENTED-FLASH",
                                     "PLACE-CPU2-AREA",
                                     "PLACE-PROTECTED",
                                     "PLACE-SECURITY-WORD",
                                     "PLACE-EEPROM",
                                     "PLACE-GAP-BIN",
                                     "PLACE-SLOT",
                                     "PLACE-TZ",
                                     "VEC-MISSING",
                                     "VEC-SP",
                                     "VEC-RESET",
                                     "VEC-HANDLERS",
                                     "VEC-ALIGN",
                                     "VEC-APP-OFFSET",
                                     "ENTRY-MISMATCH",
                                     "VEC-CHECKSUM",
                                     "RV-RESET",
                                     "RV-TRAP-ALIGN",
                                     "ELF-TARGET",
                                     "ARM-STATE",
                                     "ARM-ARCH-LEVEL",
                                     "ARM-FLOAT-ABI",
                                     "RV-ISA",
                                     "GRAN-WRITE",
                                     "GRAN-PAD",
                                     "ART-STALE",
                                     "ART-BIN-BASE",
                                     "ART-HEX-WRITER",
                                     "LD-DATA-LMA",
                                     "LD-BSS-LOAD",
                                     "LD-ZERO-REGION",
                                     "LD-MAP-VS-DEVICE"};
    assert_int_equal(fw_lint_rule_count(), sizeof(required) / sizeof(required[0]));
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        assert_true(fw_lint_rule_index(required[i]) >= 0);
}

/* the write gate: a clean image passes; the founding mistake (linked at the
 * boot alias 0x00000000) is refused, or written with force, which says so */
static void test_gate_decides(void **state)
{
    (void)state;
    const struct {
        uint64_t base;
        bool force;
        fw_gate_verdict want;
    } cases[] = {{0x08000000, false, FW_GATE_PASS}, {0x00000000, false, FW_GATE_REFUSED},
                 {0x00000000, true, FW_GATE_FORCED}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fw_image *img = good_image(cases[i].base);
        fw_lint_input in = {.main = {.image = img, .path = "case.hex"}, .target = part("STM32F103C8")};
        fw_diag *report = fw_diag_new();
        fw_gate gate;
        assert_int_equal(fw_lint_gate(&in, cases[i].force, &gate, report), FW_OK);
        assert_int_equal(gate.verdict, cases[i].want);
        assert_int_equal(gate.errors, fw_diag_count_severity(report, FW_ERROR));
        assert_true(cases[i].want == FW_GATE_PASS ? gate.errors == 0 : gate.errors > 0);
        fw_diag_free(report);
        fw_image_free(img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_has_every_rule_once),
        cmocka_unit_test(test_trustzone),
        cmocka_unit_test(test_dual_core),
        cmocka_unit_test(test_dual_core_merged),
        cmocka_unit_test(test_foreign_code),
        cmocka_unit_test(test_img_empty_and_tiny),
        cmocka_unit_test(test_elf_debug_only),
        cmocka_unit_test(test_place_boot_alias),
        cmocka_unit_test(test_place_unmapped_and_exceeds_flash),
        cmocka_unit_test(test_place_undocumented_flash),
        cmocka_unit_test(test_place_cpu2_area),
        cmocka_unit_test(test_place_ram_load),
        cmocka_unit_test(test_place_protected),
        cmocka_unit_test(test_place_security_word_and_vendor_checksum),
        cmocka_unit_test(test_place_eeprom_and_gran_pad),
        cmocka_unit_test(test_place_gap_bin),
        cmocka_unit_test(test_place_slot),
        cmocka_unit_test(test_vec_missing),
        cmocka_unit_test(test_vec_sp),
        cmocka_unit_test(test_vec_reset_and_handlers),
        cmocka_unit_test(test_vec_align_and_app_offset),
        cmocka_unit_test(test_entry_mismatch),
        cmocka_unit_test(test_riscv_reset_and_trap_alignment),
        cmocka_unit_test(test_elf_target),
        cmocka_unit_test(test_arm_state_and_arch_level),
        cmocka_unit_test(test_arm_float_abi),
        cmocka_unit_test(test_riscv_isa),
        cmocka_unit_test(test_gran_write),
        cmocka_unit_test(test_art_stale_and_hex_writer),
        cmocka_unit_test(test_art_bin_base),
        cmocka_unit_test(test_ld_data_lma_and_bss_load),
        cmocka_unit_test(test_ld_zero_region_and_map_vs_device),
        cmocka_unit_test(test_the_founding_mistake_points_at_mem_ld),
        cmocka_unit_test(test_reader_findings_and_configuration),
        cmocka_unit_test(test_gate_decides),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
