/* SPDX-License-Identifier: MIT */
/* Flash the datasheet does not promise (fwflash --flash-size): many
 * STM32F103C8s and their clones carry 128 KiB where 64 KiB is documented
 * (the "hidden second 64 KiB" Bluepill Diagnostics tests; the Black Magic
 * Probe firmware relies on it), but nothing guarantees it chip by chip. So
 * the last page is proven before anything trusts it: erased, programmed
 * with a pattern and read back, the page the same offset shows in the
 * documented flash read too (a chip whose address decoder wraps would show
 * the pattern there), and both given back their bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwkit/flash.h"
#include "fwkit/image.h"
#include "fwkit/probe.h"
#include "fwkit/target.h"

/* Programs bytes at addr as fwflash write does (erasing the page first). */
static int program(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, uint32_t addr, const uint8_t *bytes,
                   uint32_t len, fw_diag *d)
{
    fw_image *img = fw_image_new();
    fw_flash_plan *plan = NULL;
    int src = img ? fw_image_source(img, "<--flash-size check>", NULL) : FW_ENOMEM;
    int rc = src < 0 ? src : fw_image_add(img, addr, bytes, len, src, 0, 0);
    if (!rc)
        rc = fw_image_finish(img, d);
    if (!rc)
        rc = fw_flash_plan_make(img, t, drv, &plan, d);
    fw_flash_options o = {.no_skip = true};
    fw_flash_result r;
    if (!rc)
        rc = fw_flash_write(p, drv, plan, &o, &r, d);
    fw_flash_plan_free(plan);
    fw_image_free(img);
    return rc;
}

static bool all_erased(const uint8_t *b, uint32_t n, uint8_t erased)
{
    for (uint32_t i = 0; i < n; i++)
        if (b[i] != erased)
            return false;
    return true;
}

/* Gives the page its bytes back: an erase where it was blank. */
static int restore(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, uint32_t addr, const uint8_t *bytes,
                   uint32_t len, uint8_t erased, fw_diag *d)
{
    return all_erased(bytes, len, erased) ? fw_flash_erase(p, drv, t, addr, len, d)
                                          : program(p, drv, t, addr, bytes, len, d);
}

int fw_flash_check_size(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, fw_flash_size_check *out,
                        fw_diag *d)
{
    memset(out, 0, sizeof(*out));
    const fw_region *f = fw_target_region_of_kind(t, FW_REGION_FLASH);
    if (!f || !t->documented_flash || !f->erase_size || f->size <= t->documented_flash)
        return FW_EINVAL;
    uint32_t page = f->erase_size;
    uint8_t erased = f->erased >= 0 ? (uint8_t)f->erased : 0xFF;
    out->page = (uint32_t)(f->base + f->size - page);
    out->mirror = (uint32_t)(f->base + (f->size - page) % t->documented_flash);
    uint8_t *saved = malloc(page), *mirror = malloc(page), *pattern = malloc(page), *back = malloc(page);
    fw_diag *quiet = fw_diag_new();
    int rc = saved && mirror && pattern && back && quiet ? FW_OK : FW_ENOMEM;
    const char *why = NULL;
    char failed[200];
    if (!rc && (rc = fw_probe_read(p, out->mirror, mirror, page, d)) == FW_OK &&
        (rc = fw_probe_read(p, out->page, saved, page, quiet)) == FW_EDEVICE) {
        why = "no memory answers there";
        rc = FW_OK;
    }
    if (!rc && !why) {
        /* a pattern unlike the page, its erased value and what the mirror holds */
        for (uint32_t i = 0; i < page; i++)
            pattern[i] = (uint8_t)(0x5A ^ (i * 37) ^ (i >> 8));
        uint8_t not0 = (uint8_t)(saved[0] ^ 0xFF), not1 = (uint8_t)(mirror[1] ^ 0xFF);
        pattern[0] = not0 == erased ? (uint8_t)(saved[0] ^ 0x0F) : not0;
        pattern[1] = not1 == erased ? (uint8_t)(mirror[1] ^ 0x0F) : not1;
        out->touched = true;
        int w = program(p, drv, t, out->page, pattern, page, quiet);
        if (w == FW_EDEVICE) {
            const fw_diagnostic *e = fw_diag_count(quiet) ? fw_diag_at(quiet, fw_diag_count(quiet) - 1) : NULL;
            snprintf(failed, sizeof(failed), "erasing and programming it failed (%s)", e ? e->message : "?");
            why = failed;
        } else if (w) {
            rc = w;
        } else if ((rc = fw_probe_read(p, out->page, back, page, quiet)) == FW_OK && memcmp(back, pattern, page)) {
            why = "the page did not keep a test pattern";
        }
    }
    /* the documented page at the same offset must not have changed */
    if (!rc && out->touched && (rc = fw_probe_read(p, out->mirror, back, page, d)) == FW_OK &&
        memcmp(back, mirror, page)) {
        why = "the test pattern showed in the documented flash too: the address wraps";
        out->wraps = true;
        rc = restore(p, drv, t, out->mirror, mirror, page, erased, d);
    }
    if (!rc && out->touched && !why)
        rc = restore(p, drv, t, out->page, saved, page, erased, d);
    if (!rc && why) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-SIZE-UNPROVEN", NULL,
                                       "%s: %llu KiB of flash asked, but the last page at 0x%08x does not hold: %s; "
                                       "the chip has the %llu KiB its datasheet promises",
                                       t->name, (unsigned long long)(f->size / 1024), out->page, why,
                                       (unsigned long long)(t->documented_flash / 1024));
        fw_diagnostic_set_hint(e,
                               "nothing of the image was written; build it for %llu KiB, or use a chip with "
                               "more flash",
                               (unsigned long long)(t->documented_flash / 1024));
        rc = FW_EDEVICE;
    } else if (rc) {
        fw_diag_append(d, quiet);
    }
    fw_diag_free(quiet);
    free(saved);
    free(mirror);
    free(pattern);
    free(back);
    return rc;
}
