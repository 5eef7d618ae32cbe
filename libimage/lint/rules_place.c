/* SPDX-License-Identifier: MIT */
/* C. where the image's bytes land in the device's memory map. */
#include "lint_internal.h"

#include <stdio.h>
#include <string.h>

/* The end of the highest flash region. */
static uint64_t flash_end(const struct lint *l)
{
    uint64_t end = 0;
    for (size_t i = 0; i < l->t->nregions; i++) {
        const fw_region *r = &l->t->regions[i];
        if (r->kind == FW_REGION_FLASH && fw_region_in_default_variant(l->t, r) && r->base + r->size > end)
            end = r->base + r->size;
    }
    return end;
}

static const fw_region *region_named(const fw_target *t, const char *name)
{
    for (size_t i = 0; name && i < t->nregions; i++)
        if (!strcmp(t->regions[i].name, name))
            return &t->regions[i];
    return NULL;
}

/* Where a finding about [lo, end) points: the ld region that put it there
 * when a script was given (the cause), else the image's own place. */
static fw_location cause(const struct lint *l, uint64_t lo, const fw_ld_region **ldr)
{
    *ldr = lint_ld_region_at(l, lo);
    return *ldr ? lint_ld_where(*ldr) : lint_where(l, lo);
}

static void boot_alias(struct lint *l, uint64_t lo, uint64_t end, const fw_region *r)
{
    const fw_region *real = region_named(l->t, r->alias_of);
    uint64_t target = real ? real->base : 0;
    const fw_ld_region *ldr;
    fw_location loc = cause(l, lo, &ldr);
    fw_diagnostic *e = lint_emit(l, "PLACE-BOOT-ALIAS", &loc,
                                 "data at 0x%08llx-0x%08llx (%llu bytes) is linked at the boot alias, not in flash: "
                                 "the chip shows its flash (%s at 0x%08llx) at 0x%08llx only while booting from it, "
                                 "and programmers write flash at its real address",
                                 (unsigned long long)lo, (unsigned long long)(end - 1), (unsigned long long)(end - lo),
                                 real ? real->name : "flash", (unsigned long long)target, (unsigned long long)r->base);
    if (!e)
        return;
    if (ldr)
        fw_diagnostic_set_hint(e, "relink with %s ORIGIN = 0x%08llx (%s:%llu), or relocate the image with "
                                  "`fwconv --offset 0x%08llx`",
                               ldr->name, (unsigned long long)(target + (ldr->origin - r->base)), ldr->where.file,
                               (unsigned long long)ldr->where.line, (unsigned long long)(target - r->base));
    else
        fw_diagnostic_set_hint(e, "relink with the flash region's ORIGIN = 0x%08llx, or relocate the image with "
                                  "`fwconv --offset 0x%08llx`",
                               (unsigned long long)target, (unsigned long long)(target - r->base));
    if (ldr) {
        fw_location img = lint_where(l, lo);
        fw_diagnostic_set_related(e, &img);
    }
    fw_diagnostic_set_range(e, lo, end);
}

static void in_ram(struct lint *l, uint64_t lo, uint64_t end, const fw_region *r)
{
    fw_location loc = lint_where(l, lo);
    if (l->cfg && l->cfg->ram_load) {
        fw_diag_add(l->out, FW_NOTE, "PLACE-RAM-LOAD", &loc,
                        "data at 0x%08llx-0x%08llx is in %s (%s): a RAM-loaded program", (unsigned long long)lo,
                        (unsigned long long)(end - 1), fw_region_kind_name(r->kind), r->name);
        return;
    }
    fw_diagnostic *e = lint_emit(l, "PLACE-RAM-LOAD", &loc,
                  "data at 0x%08llx-0x%08llx (%llu bytes) is in %s (%s): a flasher cannot keep it, and the program "
                  "will not find it there after a reset",
                  (unsigned long long)lo, (unsigned long long)(end - 1), (unsigned long long)(end - lo),
                  r->kind == FW_REGION_RAM ? "RAM" : fw_region_kind_name(r->kind), r->name);
    if (loc.section)
        fw_diagnostic_set_hint(e, "give section %s a load address in flash ('> RAM AT> FLASH') and copy it at "
                                  "start-up, or make it (NOLOAD); for a program meant to run from RAM use --ram-load",
                               loc.section);
    else
        fw_diagnostic_set_hint(e, "rebuild so that initialised RAM data is loaded from flash; for a program meant "
                                  "to run from RAM use --ram-load");
    fw_diagnostic_set_range(e, lo, end);
}

static void unmapped(struct lint *l, uint64_t lo, uint64_t end, const fw_region *r)
{
    char b[32], c[32];
    fw_location loc = lint_where(l, lo);
    fw_diagnostic *e;
    uint64_t fend = l->flash ? flash_end(l) : 0;
    /* just past the flash, as when linked for a bigger sibling: up to 16 times
     * this part's flash, and within 16 MiB */
    uint64_t fsize = fend - (l->flash ? l->flash->base : 0);
    if (!r && l->flash && lo >= fend && lo - l->flash->base < 16 * fsize && lo - l->flash->base < (16u << 20)) {
        e = lint_emit(l, "PLACE-EXCEEDS-FLASH", &loc,
                      "data at 0x%08llx-0x%08llx (%s) is past the end of %s's flash (%s at 0x%08llx-0x%08llx)",
                      (unsigned long long)lo, (unsigned long long)(end - 1), lint_size(end - lo, b), l->t->name,
                      lint_size(fend - l->flash->base, c), (unsigned long long)l->flash->base,
                      (unsigned long long)(fend - 1));
        fw_diagnostic_set_hint(e, "the image is too big for this part, or was linked for a larger sibling: check "
                                  "the flash size in %s",
                               lint_hint_memory(l));
    } else if (r) {
        e = lint_emit(l, "PLACE-UNMAPPED", &loc,
                      "data at 0x%08llx-0x%08llx (%s) is in %s space (%s), which no flasher programs",
                      (unsigned long long)lo, (unsigned long long)(end - 1), lint_size(end - lo, b),
                      fw_region_kind_name(r->kind), r->name);
    } else {
        e = lint_emit(l, "PLACE-UNMAPPED", &loc,
                      "data at 0x%08llx-0x%08llx (%s) is outside every memory of %s; flashers skip it with at most "
                      "a warning",
                      (unsigned long long)lo, (unsigned long long)(end - 1), lint_size(end - lo, b), l->t->name);
        if (l->flash)
            fw_diagnostic_set_hint(e, "flash is at 0x%08llx: check %s, or the base address given for a raw binary",
                                   (unsigned long long)l->flash->base, lint_hint_memory(l));
    }
    fw_diagnostic_set_range(e, lo, end);
}

static void protected_area(struct lint *l, uint64_t lo, uint64_t end, const fw_region *r)
{
    if (l->cfg && l->cfg->allow_config)
        return;
    fw_location loc = lint_where(l, lo);
    const char *what = r->kind == FW_REGION_OPTION_BYTES ? "the option bytes"
                       : r->kind == FW_REGION_OTP        ? "one-time-programmable memory"
                                                         : "system memory (the ROM bootloader)";
    fw_diagnostic *e = lint_emit(l, "PLACE-PROTECTED", &loc,
                                 "data at 0x%08llx-0x%08llx is in %s (%s): writing it can lock the chip, change how it "
                                 "boots, or cannot be undone",
                                 (unsigned long long)lo, (unsigned long long)(end - 1), what, r->name);
    fw_diagnostic_set_hint(e, "keep configuration out of the program image; if it is deliberate, pass --allow-config");
    fw_diagnostic_set_range(e, lo, end);
}

static void eeprom(struct lint *l, uint64_t lo, uint64_t end, const fw_region *r)
{
    fw_location loc = lint_where(l, lo);
    fw_diagnostic *e = lint_emit(l, "PLACE-EEPROM", &loc,
                                 "data at 0x%08llx-0x%08llx is in data EEPROM (%s), which many flashers do not program",
                                 (unsigned long long)lo, (unsigned long long)(end - 1), r->name);
    fw_diagnostic_set_range(e, lo, end);
}

static void classify(struct lint *l, uint64_t lo, uint64_t end, const fw_region *r)
{
    r = fw_target_region_shown(l->t, r); /* a secure alias is the memory it shows */
    if (!r) {
        unmapped(l, lo, end, NULL);
        return;
    }
    switch (r->kind) {
    case FW_REGION_FLASH: return;
    case FW_REGION_BOOT_ALIAS: boot_alias(l, lo, end, r); return;
    case FW_REGION_RAM:
    case FW_REGION_CCM:
    case FW_REGION_TCM:
    case FW_REGION_ALIAS: in_ram(l, lo, end, r); return;
    case FW_REGION_OPTION_BYTES:
    case FW_REGION_OTP:
    case FW_REGION_SYSTEM: protected_area(l, lo, end, r); return;
    case FW_REGION_EEPROM: eeprom(l, lo, end, r); return;
    default: unmapped(l, lo, end, r); return;
    }
}

/* The lowest region base above addr, or UINT64_MAX. */
static uint64_t next_region(const fw_target *t, uint64_t addr)
{
    uint64_t next = UINT64_MAX;
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].base > addr && t->regions[i].base < next && fw_region_in_default_variant(t, &t->regions[i]))
            next = t->regions[i].base;
    return next;
}

/* Every byte in RAM: an external flash loader (.stldr), a RAM test. One
 * finding for the whole image instead of one per piece. */
static bool ram_resident(struct lint *l)
{
    uint64_t lo, end;
    if (!fw_image_span(l->img, &lo, &end))
        return false;
    for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
        const fw_chunk *c = fw_image_chunk(l->img, i);
        const fw_region *r = lint_memory_at(l, c->addr), *here = fw_target_region_at(l->t, c->addr);
        if (!r || (r->kind != FW_REGION_RAM && r->kind != FW_REGION_TCM && r->kind != FW_REGION_CCM &&
                   r->kind != FW_REGION_ALIAS) ||
            c->addr + c->len > here->base + here->size)
            return false;
    }
    l->ram_resident = true;
    if (l->cfg && l->cfg->ram_load)
        return false; /* checked as a RAM program, piece by piece, in notes */
    char b[32];
    fw_location loc = lint_where(l, lo);
    fw_diagnostic *e = lint_emit(l, "PLACE-RAM-LOAD", &loc,
                                 "the whole image (%s at 0x%08llx-0x%08llx) lives in RAM, with no vector table in "
                                 "flash: a RAM-resident program (an external flash loader such as a "
                                 "STM32CubeProgrammer .stldr, or a test loaded by a debugger), which a flasher "
                                 "cannot keep",
                                 lint_size(fw_image_data_size(l->img), b), (unsigned long long)lo,
                                 (unsigned long long)(end - 1));
    fw_diagnostic_set_hint(e, "load it with a debugger; to check it as a RAM program, pass --ram-load");
    fw_diagnostic_set_range(e, lo, end);
    return true;
}

static void walk(struct lint *l)
{
    if (ram_resident(l))
        return;
    for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
        const fw_chunk *c = fw_image_chunk(l->img, i);
        uint64_t a = c->addr, e = c->addr + c->len;
        /* runs of the same classification coalesce across region borders of one kind */
        uint64_t run_lo = a;
        const fw_region *run_r = NULL;
        bool first = true;
        while (a < e) {
            const fw_region *r = fw_target_region_at(l->t, a);
            uint64_t stop = r ? r->base + r->size : next_region(l->t, a);
            if (stop > e)
                stop = e;
            if (!first && r != run_r) {
                classify(l, run_lo, a, run_r);
                run_lo = a;
            }
            run_r = r;
            first = false;
            a = stop;
        }
        classify(l, run_lo, e, run_r);
    }
}

static void security_words(struct lint *l)
{
    const char *s = l->t->security;
    uint32_t w;
    if (!s)
        return;
    if (!strcmp(s, "lpc-crp") && lint_word(l, 0x2FC, &w)) {
        static const struct {
            uint32_t v;
            const char *what;
        } crp[] = {{0x12345678, "CRP1 (no debug access)"},  {0x87654321, "CRP2 (no debug, ISP mass erase only)"},
                   {0x43218765, "CRP3 (no debug, no ISP: the part can never be reprogrammed from outside)"},
                   {0x4E697370, "NO_ISP (the ROM bootloader is disabled)"}};
        for (size_t i = 0; i < 4; i++) {
            uint32_t swapped = __builtin_bswap32(crp[i].v);
            if (w != crp[i].v && w != swapped)
                continue;
            fw_location loc = lint_where(l, 0x2FC);
            fw_diagnostic *e = lint_emit(l, "PLACE-SECURITY-WORD", &loc, "the code read protection word at 0x2FC is 0x%08x: %s%s",
                                         w, crp[i].what, w == swapped ? " (byte-swapped: an endianness mistake?)" : "");
            fw_diagnostic_set_hint(e, "keep 0x2FC free of CRP values unless protection is intended (UM10800)");
        }
    }
    uint8_t fsec;
    if (!strcmp(s, "kinetis-fcf") && fw_image_read(l->img, 0x40C, &fsec, 1)) {
        fw_location loc = lint_where(l, 0x40C);
        if ((fsec & 3) != 2) {
            fw_diagnostic *e = lint_emit(l, "PLACE-SECURITY-WORD", &loc,
                                         "FSEC at 0x40C is 0x%02x: the part comes out of reset secured (SEC != 0b10)", fsec);
            fw_diagnostic_set_hint(e, "reserve the flash configuration field 0x400-0x40F in the linker script, "
                                      "with FSEC = 0xFE");
        }
        if (((fsec >> 4) & 3) == 2)
            lint_emit(l, "PLACE-SECURITY-WORD", &loc,
                      "FSEC at 0x40C is 0x%02x: mass erase is disabled (MEEN = 0b10), so a secured part can never be "
                      "recovered", fsec);
    }
}

/* The span of the image's memory: a TrustZone secure alias counts as the
 * flash it shows, so a secure and non-secure pair spans its flash, not the
 * 64 MiB between the aliases (a flasher writes it as one flash). */
static bool physical_span(const struct lint *l, uint64_t *lo, uint64_t *end)
{
    if (!fw_image_span(l->img, lo, end))
        return false;
    if (!l->t)
        return true;
    *lo = UINT64_MAX;
    *end = 0;
    for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
        const fw_chunk *c = fw_image_chunk(l->img, i);
        uint64_t a = lint_nonsecure_address(l, c->addr);
        *lo = a < *lo ? a : *lo;
        *end = a + c->len > *end ? a + c->len : *end;
    }
    return true;
}

static void gap_bin(struct lint *l)
{
    uint64_t lo, end, data = fw_image_data_size(l->img);
    if (!physical_span(l, &lo, &end) || end - lo - data <= (1u << 20) || end - lo <= 4 * data)
        return;
    fw_image_span(l->img, &lo, &end);
    char b[32], c[32];
    fw_location loc = {.file = l->path};
    size_t n = fw_image_chunk_count(l->img);
    uint64_t widest = 0, at = 0;
    for (size_t i = 1; i < n; i++) {
        const fw_chunk *p = fw_image_chunk(l->img, i - 1), *q = fw_image_chunk(l->img, i);
        if (q->addr - (p->addr + p->len) > widest) {
            widest = q->addr - (p->addr + p->len);
            at = i;
        }
    }
    fw_diagnostic *e = lint_emit(l, "PLACE-GAP-BIN", &loc,
                                 "a raw binary of this image would be %s for %s of data: the widest gap is "
                                 "0x%08llx-0x%08llx",
                                 lint_size(end - lo, b), lint_size(data, c),
                                 (unsigned long long)(fw_image_chunk(l->img, at - 1)->addr +
                                                      fw_image_chunk(l->img, at - 1)->len),
                                 (unsigned long long)(fw_image_chunk(l->img, at)->addr - 1));
    fw_diagnostic_set_hint(e, "use HEX or ELF for this image, or --crop the part you mean to flash");
}

static void slot(struct lint *l)
{
    const fw_lint_config *c = l->cfg;
    if (!c || !c->has_slot)
        return;
    for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
        const fw_chunk *k = fw_image_chunk(l->img, i);
        uint64_t a = k->addr, e = k->addr + k->len;
        uint64_t outside[2][2] = {{a, e < c->slot_lo ? e : c->slot_lo}, {a > c->slot_end ? a : c->slot_end, e}};
        for (int side = 0; side < 2; side++) {
            uint64_t lo = outside[side][0], hi = outside[side][1];
            if (lo >= hi)
                continue;
            fw_location loc = lint_where(l, lo);
            fw_diagnostic *d = lint_emit(l, "PLACE-SLOT", &loc,
                                         "data at 0x%08llx-0x%08llx is outside the application slot 0x%08llx-0x%08llx",
                                         (unsigned long long)lo, (unsigned long long)(hi - 1),
                                         (unsigned long long)c->slot_lo, (unsigned long long)(c->slot_end - 1));
            fw_diagnostic_set_range(d, lo, hi);
        }
    }
    const fw_region *r = l->t ? fw_target_region_at(l->t, c->slot_lo) : NULL;
    if (r && r->kind == FW_REGION_FLASH && r->nlayout) {
        /* the slot must start on a sector boundary, or erasing it erases its neighbour */
        uint64_t at = r->base;
        bool aligned = false;
        for (size_t i = 0; i < r->nlayout && at <= c->slot_lo; i++)
            for (uint32_t k = 0; k < r->layout[i].count && at <= c->slot_lo; k++) {
                aligned |= at == c->slot_lo;
                at += r->layout[i].size;
            }
        if (!aligned) {
            fw_location loc = {.file = l->path};
            lint_emit(l, "PLACE-SLOT", &loc,
                      "the slot starts at 0x%08llx, inside a flash sector: erasing the slot erases the data before it",
                      (unsigned long long)c->slot_lo);
        }
    }
}

/* The span [*lo, *hi) of the image's data within [from, to); false when none. */
static bool data_within(const struct lint *l, uint64_t from, uint64_t to, uint64_t *lo, uint64_t *hi)
{
    *lo = UINT64_MAX;
    *hi = 0;
    for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
        const fw_chunk *c = fw_image_chunk(l->img, i);
        uint64_t a = c->addr > from ? c->addr : from, e = c->addr + c->len < to ? c->addr + c->len : to;
        if (a < e) {
            *lo = a < *lo ? a : *lo;
            *hi = e > *hi ? e : *hi;
        }
    }
    return *lo < *hi;
}

/* Flash the datasheet does not promise (--flash-size gave more than the
 * part's flash-size register says): one finding for all the data there. */
static void undocumented_flash(struct lint *l)
{
    const fw_region *f = fw_target_region_of_kind(l->t, FW_REGION_FLASH);
    if (!l->t->documented_flash || !f)
        return;
    uint64_t lo, hi;
    if (!data_within(l, f->base + l->t->documented_flash, f->base + f->size, &lo, &hi))
        return;
    char b[32], p[32], g[32];
    fw_location loc = lint_where(l, lo);
    fw_diagnostic *e = lint_emit(l, "PLACE-UNDOCUMENTED-FLASH", &loc,
                                 "data at 0x%08llx-0x%08llx (%s) is in flash the %s's datasheet does not promise: it "
                                 "promises %s, and --flash-size gives %s",
                                 (unsigned long long)lo, (unsigned long long)(hi - 1), lint_size(hi - lo, b),
                                 l->t->name, lint_size(l->t->documented_flash, p), lint_size(f->size, g));
    fw_diagnostic_set_hint(e, "many chips carry more flash than their datasheet promises, but nothing guarantees it "
                              "on the next batch: fwflash --flash-size checks it on each chip before writing");
    fw_diagnostic_set_range(e, lo, hi);
}

/* STM32WB: the top of flash is CPU2's secure area (the FUS from the factory,
 * the wireless stack below it once installed; the target data's cpu2-area
 * line): neither CPU1 nor a debugger writes it, so an image there fails at
 * the flasher. Its start moves with what is installed: a warning, naming
 * the factory's. */
static void cpu2_area(struct lint *l)
{
    const fw_region *f = fw_target_region_of_kind(l->t, FW_REGION_FLASH);
    uint64_t end = f ? f->base + fw_target_flash_size(l->t) : 0;
    if (!l->t->has_cpu2_area || !f || !l->t->cpu2_factory_bytes || l->t->cpu2_factory_bytes >= end - f->base)
        return;
    uint64_t from = end - l->t->cpu2_factory_bytes, lo, hi;
    if (!data_within(l, from, end, &lo, &hi))
        return;
    char b[32], k[32];
    fw_location loc = lint_where(l, lo);
    fw_diagnostic *e = lint_emit(l, "PLACE-CPU2-AREA", &loc,
                                 "data at 0x%08llx-0x%08llx (%s) is in the top %s of the %s's flash, where a chip "
                                 "from the factory keeps CPU2's FUS (from 0x%08llx): neither CPU1 nor a debugger can "
                                 "write there",
                                 (unsigned long long)lo, (unsigned long long)(hi - 1), lint_size(hi - lo, b),
                                 lint_size(l->t->cpu2_factory_bytes, k), l->t->name, (unsigned long long)from);
    fw_diagnostic_set_hint(e,
                           "link the image below 0x%08llx, and below the wireless stack's start if one is installed "
                           "(fwflash info names the chip's SFSA)",
                           (unsigned long long)from);
    fw_diagnostic_set_range(e, lo, hi);
}

void lint_place_rules(struct lint *l)
{
    gap_bin(l);
    slot(l);
    if (!l->t)
        return;
    walk(l);
    undocumented_flash(l);
    cpu2_area(l);
    security_words(l);
}
