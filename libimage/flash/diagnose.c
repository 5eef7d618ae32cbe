/* SPDX-License-Identifier: MIT */
/* A look at the chip that leaves it as found: the flash survey (the chip's
 * own hash of every sector against the erased pattern), the boot
 * configuration in words, the vector table at the boot address checked as
 * fwlint checks an image, and the comparison with an image's plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "fwkit/bytes.h"
#include "fwkit/diagnose.h"
#include "fwkit/lint.h"
#include "loaders.h"

#define DHCSR_C_DEBUGEN 1u
#define DHCSR_C_HALT 2u
#define DHCSR_S_SLEEP (1u << 18)
/* The registers a RAM routine may change, in the order they are put back:
 * xPSR first (it says the mode, and with it which stack r13 would be),
 * then MSP and PSP by name (DCRSR 17, 18: ARMv7-M C1.6.3, ARMv6-M alike),
 * never r13, then r0-r12, LR, PC. */
static const unsigned saved_reg[] = {16, 17, 18, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15};
#define NREGS (sizeof(saved_reg) / sizeof(saved_reg[0]))

int fw_chip_look_begin(fw_probe *p, const fw_target *t, fw_chip_look *l, fw_diag *d)
{
    memset(l, 0, sizeof(*l));
    l->probe = p;
    l->target = t;
    int rc = fw_probe_read_word(p, FW_CORE_DHCSR, &l->dhcsr, d);
    if (!rc)
        rc = fw_probe_read_word(p, FW_CORE_DEMCR, &l->demcr, d);
    if (rc)
        return rc;
    l->was_halted = l->dhcsr & FW_DHCSR_S_HALT;
    l->was_sleeping = l->dhcsr & DHCSR_S_SLEEP;
    l->was_locked_up = l->dhcsr & FW_DHCSR_S_LOCKUP;
    /* the state as fw_core_read_state reads it: DHCSR before the halt, so a
     * lockup shows */
    if ((rc = fw_core_read_state(p, &l->core, d)))
        return rc;
    l->dfsr = l->core.dfsr;
    for (unsigned i = 0; i < NREGS && !rc; i++)
        rc = fw_probe_read_reg(p, saved_reg[i], &l->regs[i], d);
    l->regs_saved = !rc;
    return rc;
}

int fw_chip_look_end(fw_chip_look *l, fw_diag *d)
{
    int rc = FW_OK;
    fw_probe *p = l->probe;
    /* halted again (a RAM routine ends at its BKPT, halted; this makes sure) */
    if (l->regs_saved) {
        rc = fw_probe_write_word(p, FW_CORE_DHCSR, FW_DHCSR_KEY | DHCSR_C_DEBUGEN | DHCSR_C_HALT, d);
        for (unsigned i = 0; i < NREGS && !rc; i++)
            rc = fw_probe_write_reg(p, saved_reg[i], l->regs[i], d);
    }
    uint32_t dfsr;
    if (!rc)
        rc = fw_probe_write_word(p, FW_CORE_DEMCR, l->demcr, d);
    /* DFSR bits are cleared by writing 1: clear those the look set */
    if (!rc && !(rc = fw_probe_read_word(p, FW_CORE_DFSR, &dfsr, d)) && (dfsr & ~l->dfsr))
        rc = fw_probe_write_word(p, FW_CORE_DFSR, dfsr & ~l->dfsr, d);
    if (!rc && !l->was_halted) {
        /* run first, then C_DEBUGEN as found: clearing it in Debug state is
         * UNPREDICTABLE (ARMv7-M C1.6.3) */
        rc = fw_probe_write_word(p, FW_CORE_DHCSR, FW_DHCSR_KEY | DHCSR_C_DEBUGEN, d);
        if (!rc && !(l->dhcsr & DHCSR_C_DEBUGEN))
            rc = fw_probe_write_word(p, FW_CORE_DHCSR, FW_DHCSR_KEY, d);
    }
    return rc;
}

/* Runs the hash routine over n ranges with the SRAM it borrows saved and
 * put back; FW_EINVAL when it cannot run here (then the caller reads). */
static int hash_on_chip(fw_chip_look *l, const uint32_t *addr, const uint32_t *len, size_t n, uint32_t *hash,
                        fw_diag *d)
{
    struct fw_flash_ctx c = fw_flash_ctx_for(l->probe, l->target, d);
    uint32_t base, used = fw_loader_hash_footprint(&c, n, &base);
    for (size_t i = 0; i < n; i++)
        if (len[i] % 4 || addr[i] % 4)
            used = 0;
    if (!used || !l->regs_saved)
        return FW_EINVAL;
    uint8_t *saved = malloc(used);
    if (!saved)
        return FW_ENOMEM;
    int rc = fw_probe_read(l->probe, base, saved, used, d);
    if (!rc) {
        rc = fw_loader_hash_ranges(&c, addr, len, n, hash);
        int put = fw_probe_write_word(l->probe, FW_CORE_DHCSR, FW_DHCSR_KEY | DHCSR_C_DEBUGEN | DHCSR_C_HALT, d);
        if (!put)
            put = fw_probe_write32(l->probe, base, saved, used, d);
        if (!rc)
            rc = put;
    }
    free(saved);
    return rc == FW_EUNSUPPORTED ? FW_EINVAL : rc; /* the routine failed on this chip (said): read instead */
}

/* fwflash checksum: each kind as the routine computes it, its start and
 * what the host makes of the result (libimage/checksum.c's definitions). */
static bool checksum_plan(fw_checksum_kind k, uint32_t *kind, uint32_t *init)
{
    switch (k) {
    case FW_CK_CRC32: *kind = 0, *init = 0xFFFFFFFFu; return true;
    case FW_CK_CRC32_MPEG2: *kind = 1, *init = 0xFFFFFFFFu; return true;
    case FW_CK_CRC16_CCITT: *kind = 2, *init = 0xFFFF; return true;
    case FW_CK_CRC16_XMODEM: *kind = 2, *init = 0; return true;
    case FW_CK_SUM8:
    case FW_CK_SUM16:
    case FW_CK_SUM32:
    case FW_CK_SUM8_NEG:
    case FW_CK_SUM16_NEG:
    case FW_CK_SUM32_NEG: *kind = 3, *init = 0; return true;
    case FW_CK_ADLER32: *kind = 4, *init = 1; return true;
    default: return false;
    }
}

static uint32_t checksum_finish(fw_checksum_kind k, uint32_t v)
{
    switch (k) {
    case FW_CK_CRC32: return ~v;
    case FW_CK_CRC16_CCITT:
    case FW_CK_CRC16_XMODEM:
    case FW_CK_SUM16: return v & 0xFFFF;
    case FW_CK_SUM8: return v & 0xFF;
    case FW_CK_SUM8_NEG: return (0u - v) & 0xFF;
    case FW_CK_SUM16_NEG: return (0u - v) & 0xFFFF;
    case FW_CK_SUM32_NEG: return 0u - v;
    default: return v;
    }
}

int fw_chip_checksum(fw_chip_look *l, fw_checksum_kind k, uint32_t lo, uint32_t end, uint32_t *out, bool *on_chip,
                     fw_diag *d)
{
    const fw_region *flash = fw_target_region_of_kind(l->target, FW_REGION_FLASH);
    uint64_t span = fw_target_flash_size(l->target);
    *on_chip = false;
    if (!flash || end <= lo || lo < flash->base || end > flash->base + span) {
        fw_diag_add(d, FW_ERROR, "FLASH-OUTSIDE", NULL, "0x%08x-0x%08x is not inside the %s's flash", lo, end - 1,
                    l->target->name);
        return FW_ERANGE;
    }
    if (k == FW_CK_CRC32_MPEG2 && ((end - lo) % 4 || lo % 4)) {
        fw_diag_add(d, FW_ERROR, "FLASH-CHECKSUM", NULL,
                    "crc32-mpeg2 takes whole words: 0x%08x-0x%08x is not word-aligned", lo, end - 1);
        return FW_EINVAL;
    }
    uint32_t kind, state;
    if (!checksum_plan(k, &kind, &state))
        return FW_EINVAL;
    struct fw_flash_ctx c = fw_flash_ctx_for(l->probe, l->target, d);
    uint32_t base, used = fw_loader_checksum_footprint(&c, &base);
    int rc = FW_OK;
    if (used && l->regs_saved) { /* the chip's core computes it, in runs, its SRAM put back */
        uint8_t *saved = malloc(used);
        if (!saved || (rc = fw_probe_read(l->probe, base, saved, used, d))) {
            free(saved);
            return saved ? rc : FW_ENOMEM;
        }
        for (uint32_t at = lo; at < end && !rc; at += 16384u)
            rc = fw_loader_checksum_run(&c, kind, &state, at, end - at < 16384u ? end - at : 16384u);
        int put = fw_probe_write_word(l->probe, FW_CORE_DHCSR, FW_DHCSR_KEY | DHCSR_C_DEBUGEN | DHCSR_C_HALT, d);
        if (!put)
            put = fw_probe_write32(l->probe, base, saved, used, d);
        free(saved);
        rc = rc ? rc : put;
        if (!rc) {
            *on_chip = true;
            *out = checksum_finish(k, state);
        }
        return rc;
    }
    /* no SRAM to borrow: every byte through the probe */
    uint8_t *buf = malloc(end - lo);
    if (!buf)
        return FW_ENOMEM;
    if (!(rc = fw_probe_read(l->probe, lo, buf, end - lo, d)))
        *out = fw_checksum_bytes(k, buf, end - lo);
    free(buf);
    return rc;
}

void fw_flash_survey_free(fw_flash_survey *s)
{
    if (s)
        free(s->sectors);
    free(s);
}

int fw_flash_survey_make(fw_chip_look *l, fw_flash_survey **out, fw_diag *d)
{
    const fw_target *t = l->target;
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    uint64_t lo, end;
    *out = NULL;
    if (!flash || !fw_target_flash_span(t, &lo, &end))
        return FW_EINVAL;
    fw_flash_survey *s = calloc(1, sizeof(*s));
    if (!s)
        return FW_ENOMEM;
    s->erased = flash->erased >= 0 ? (uint8_t)flash->erased : 0xFF;
    int rc = FW_OK;
    /* what another core keeps reads as zeros here: not surveyed, named */
    const fw_flash_driver *drv = t->has_cpu2_area ? fw_flash_driver_for(t, d) : NULL;
    struct fw_flash_wrp w = {0};
    int level;
    struct fw_flash_ctx c = fw_flash_ctx_for(l->probe, t, d);
    if (drv && drv->protection(&c, &level, &w) == FW_OK && w.held.end && w.held.addr > lo) {
        s->held_addr = w.held.addr;
        s->held_end = w.held.end;
        snprintf(s->held_by, sizeof(s->held_by), "%s", w.held_by);
        end = w.held.addr;
    }
    for (uint64_t at = lo; at < end && !rc;) {
        const fw_region *r = fw_target_region_at(t, at);
        uint64_t start;
        uint32_t size;
        if (!r || r->kind != FW_REGION_FLASH)
            break;
        fw_flash_sector(r, at, &start, &size);
        if (!size)
            break;
        fw_survey_sector *grown = realloc(s->sectors, (s->nsectors + 1) * sizeof(*grown));
        if (!grown) {
            rc = FW_ENOMEM;
            break;
        }
        s->sectors = grown;
        s->sectors[s->nsectors++] = (fw_survey_sector){(uint32_t)start, size, false};
        at = start + size;
    }
    size_t n = s->nsectors;
    uint32_t *addr = rc ? NULL : calloc(3 * n + 1, sizeof(uint32_t));
    if (!rc && !addr)
        rc = FW_ENOMEM;
    if (!rc) {
        uint32_t *len = addr + n, *hash = addr + 2 * n, largest = 0;
        for (size_t i = 0; i < n; i++) {
            addr[i] = s->sectors[i].addr;
            len[i] = s->sectors[i].size;
            largest = len[i] > largest ? len[i] : largest;
        }
        int hashed = hash_on_chip(l, addr, len, n, hash, d);
        if (hashed == FW_OK) {
            uint8_t *blank = malloc(largest);
            rc = blank ? FW_OK : FW_ENOMEM;
            for (size_t i = 0; i < n && blank; i++) {
                memset(blank, s->erased, len[i]);
                s->sectors[i].data = hash[i] != fw_loader_hash_of(blank, len[i]);
            }
            free(blank);
            s->on_chip = true;
        } else if (hashed != FW_EINVAL) {
            rc = hashed;
        } else {
            uint8_t *buf = malloc(largest);
            rc = buf ? FW_OK : FW_ENOMEM;
            for (size_t i = 0; i < n && !rc; i++)
                if (!(rc = fw_probe_read(l->probe, addr[i], buf, len[i], d)))
                    s->sectors[i].data = !fw_bytes_all(buf, len[i], s->erased);
            free(buf);
        }
    }
    free(addr);
    for (size_t i = 0; i < n; i++)
        s->with_data += s->sectors[i].data;
    if (rc) {
        fw_flash_survey_free(s);
        return rc;
    }
    *out = s;
    return FW_OK;
}

size_t fw_flash_survey_ranges(const fw_flash_survey *s, char *out, size_t cap)
{
    size_t ranges = 0, at = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < s->nsectors; i++) {
        if (!s->sectors[i].data)
            continue;
        size_t j = i;
        while (j + 1 < s->nsectors && s->sectors[j + 1].data &&
               s->sectors[j + 1].addr == s->sectors[j].addr + s->sectors[j].size)
            j++;
        uint64_t last = (uint64_t)s->sectors[j].addr + s->sectors[j].size - 1;
        if (at < cap)
            at += (size_t)snprintf(out + at, cap - at, "%s0x%08x-0x%08llx", ranges ? ", " : "", s->sectors[i].addr,
                                   (unsigned long long)last);
        ranges++;
        i = j;
    }
    return ranges;
}

int fw_chip_compare(fw_chip_look *l, const fw_flash_plan *plan, bool *holds, fw_diag *d)
{
    size_t n = plan->nsectors;
    uint32_t *addr = calloc(3 * n + 1, sizeof(uint32_t));
    if (!addr)
        return FW_ENOMEM;
    uint32_t *len = addr + n, *hash = addr + 2 * n, largest = 0;
    for (size_t i = 0; i < n; i++) {
        addr[i] = plan->sectors[i].addr;
        len[i] = plan->sectors[i].size;
        largest = len[i] > largest ? len[i] : largest;
        holds[i] = false;
    }
    int rc = hash_on_chip(l, addr, len, n, hash, d);
    if (rc == FW_OK)
        for (size_t i = 0; i < n; i++)
            holds[i] = hash[i] == fw_loader_hash_of(plan->sectors[i].want, len[i]);
    else if (rc != FW_EINVAL) {
        free(addr);
        return rc;
    }
    /* a sector whose hash differs may still hold every byte the image
     * gives (the rest kept by --preserve, or left by another tool): read it */
    uint8_t *buf = malloc(largest ? largest : 1);
    rc = buf ? FW_OK : FW_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        const fw_plan_sector *s = &plan->sectors[i];
        if (holds[i] || (rc = fw_probe_read(l->probe, s->addr, buf, s->size, d)))
            continue;
        holds[i] = true;
        for (uint32_t b = 0; b < s->size && holds[i]; b++)
            holds[i] = !s->covered[b] || buf[b] == s->want[b];
    }
    free(buf);
    free(addr);
    return rc;
}

const char *fw_boot_memory_name(fw_boot_memory m)
{
    switch (m) {
    case FW_BOOTS_FLASH: return "flash";
    case FW_BOOTS_SYSTEM: return "system memory";
    case FW_BOOTS_SRAM: return "SRAM";
    case FW_BOOTS_EXTERNAL: return "external memory";
    case FW_BOOTS_UNKNOWN: break;
    }
    return "unknown";
}

static uint32_t region_base(const fw_target *t, fw_region_kind k)
{
    const fw_region *r = fw_target_region_of_kind(t, k);
    return r ? (uint32_t)r->base : 0;
}

static fw_boot_memory memory_at(const fw_target *t, uint32_t addr)
{
    const fw_region *r = fw_target_region_shown(t, fw_target_region_at(t, addr)); /* through a TrustZone alias too */
    if (!r)
        return FW_BOOTS_UNKNOWN;
    switch (r->kind) {
    case FW_REGION_FLASH: return FW_BOOTS_FLASH;
    case FW_REGION_SYSTEM: return FW_BOOTS_SYSTEM;
    case FW_REGION_RAM:
    case FW_REGION_TCM:
    case FW_REGION_CCM: return FW_BOOTS_SRAM;
    default: return FW_BOOTS_UNKNOWN;
    }
}

static fw_boot_memory memory_named(const char *name)
{
    if (!name)
        return FW_BOOTS_UNKNOWN;
    if (!strcmp(name, "flash"))
        return FW_BOOTS_FLASH;
    if (!strcmp(name, "system"))
        return FW_BOOTS_SYSTEM;
    if (!strcmp(name, "sram"))
        return FW_BOOTS_SRAM;
    return FW_BOOTS_EXTERNAL;
}

static uint32_t boot_address_of(const fw_target *t, fw_boot_memory m)
{
    switch (m) {
    case FW_BOOTS_FLASH: return region_base(t, FW_REGION_FLASH);
    case FW_BOOTS_SYSTEM: return region_base(t, FW_REGION_SYSTEM);
    case FW_BOOTS_SRAM: return region_base(t, FW_REGION_RAM);
    default: return 0;
    }
}

/* The memory-mapping field (MEM_MODE, or L0/L1 BOOT_MODE) as the chip shows it. */
static int read_boot_memory(fw_probe *p, const fw_target *t, fw_chip_boot *b, fw_diag *d)
{
    uint32_t v;
    int rc = fw_probe_read_word(p, (uint32_t)t->boot_memory_reg, &v, d);
    if (rc)
        return rc;
    uint32_t field = v >> t->boot_memory_shift & t->boot_memory_mask;
    char name[16];
    b->memory = memory_named(fw_target_boot_memory_name(t, field, name, sizeof(name)));
    b->boot0_high = b->memory == FW_BOOTS_SYSTEM || b->memory == FW_BOOTS_SRAM;
    bool read_only = t->boot_memory_shift >= 8; /* BOOT_MODE: what the pins chose, software cannot change it */
    snprintf(b->how, sizeof(b->how), "%s (0x%08llx bits %u:%u) reads %u: %s at 0x00000000%s", read_only ? "BOOT_MODE" : "MEM_MODE",
             (unsigned long long)t->boot_memory_reg, t->boot_memory_shift + (t->boot_memory_mask > 3 ? 2 : 1),
             t->boot_memory_shift, field, fw_boot_memory_name(b->memory),
             read_only ? ", as the boot pins chose at the last reset"
                       : " (its reset value is the boot mode; firmware may have changed it since)");
    return FW_OK;
}

/* Why the chip boots what it boots, in the terms of its family. */
static void say_cause(const fw_target *t, fw_chip_boot *b)
{
    const char *mem = fw_boot_memory_name(b->memory);
    if (b->memory == FW_BOOTS_FLASH || b->memory == FW_BOOTS_UNKNOWN)
        b->cause[0] = '\0';
    else if (b->empty_check && !b->boot0_high)
        snprintf(b->cause, sizeof(b->cause), "the flash was empty when the option bytes last loaded (FLASH_ACR EMPTY=1), so "
                 "\"boot from flash\" runs the bootloader until that check runs again");
    else if (b->by_option)
        snprintf(b->cause, sizeof(b->cause), "the option bit nBOOT0 is 0 and nBOOT_SEL=1 makes it BOOT0 (the BOOT0 pin is "
                 "ignored)%s", b->memory == FW_BOOTS_SRAM ? ", and nBOOT1=0 picks SRAM" : "");
    else if (t->has_boot_address || t->has_trustzone)
        snprintf(b->cause, sizeof(b->cause), "BOOT0 is high: the core took %s, 0x%08x (%s)",
                 t->has_trustzone ? "NSBOOTADD1" : "BOOT_ADD1", b->address, mem);
    else
        snprintf(b->cause, sizeof(b->cause), "BOOT0 was high at the last reset%s (%s)",
                 b->memory == FW_BOOTS_SRAM ? " and BOOT1 too" : "",
                 t->has_boot_memory ? "the memory-mapping field reads it" : "the boot alias at 0 shows it");
}

/* Two boot addresses, for the BOOT pin low and high, and no register that
 * shows the pin: where the core is says which it took, when it sits in the
 * memory of the second. */
static void pick_by_core(const fw_target *t, const fw_core_state *core, uint32_t add0, uint32_t add1, fw_chip_boot *b)
{
    fw_boot_memory m0 = memory_at(t, add0), m1 = memory_at(t, add1);
    bool high = core && m1 != m0 && m1 != FW_BOOTS_UNKNOWN && memory_at(t, core->pc) == m1;
    b->boot0_high = high;
    b->memory = high ? m1 : m0;
    b->address = high ? add1 : add0;
    say_cause(t, b);
}

int fw_chip_read_boot(fw_probe *p, const fw_target *t, const fw_core_state *core, fw_chip_boot *b, fw_diag *d)
{
    memset(b, 0, sizeof(*b));
    int rc = FW_OK;
    if (t->has_boot_options) {
        uint32_t optr, acr;
        if ((rc = fw_probe_read_word(p, (uint32_t)t->boot_option_reg, &optr, d)) ||
            (rc = fw_probe_read_word(p, (uint32_t)t->boot_empty_reg, &acr, d)))
            return rc;
        bool sel = optr & t->nboot_sel_bit, nboot0 = optr & t->nboot0_bit, nboot1 = optr & t->nboot1_bit;
        b->empty_check = t->boot_empty_bit && (acr & t->boot_empty_bit);
        if (sel) {
            b->by_option = true;
            b->boot0_high = !nboot0;
            b->memory = b->boot0_high ? (nboot1 ? FW_BOOTS_SYSTEM : FW_BOOTS_SRAM)
                                      : b->empty_check ? FW_BOOTS_SYSTEM : FW_BOOTS_FLASH;
            snprintf(b->how, sizeof(b->how), "nBOOT_SEL=1 (BOOT0 is the nBOOT0 option bit, the pin is ignored), nBOOT0=%d, "
                     "nBOOT1=%d, EMPTY=%d", nboot0, nboot1, b->empty_check);
        } else {
            /* BOOT0 is the pin: MEM_MODE's reset value says what it chose */
            if (t->has_boot_memory && (rc = read_boot_memory(p, t, b, d)))
                return rc;
            char was[400];
            snprintf(was, sizeof(was), "%.399s", b->how);
            if (b->memory == FW_BOOTS_SYSTEM && !b->empty_check)
                b->boot0_high = true;
            else if (b->memory == FW_BOOTS_SYSTEM)
                b->boot0_high = false; /* the empty check explains it */
            snprintf(b->how, sizeof(b->how), "nBOOT_SEL=0 (BOOT0 is the pin), nBOOT1=%d, EMPTY=%d; %.400s", nboot1,
                     b->empty_check, was);
        }
    } else if (t->has_boot_memory) {
        if ((rc = read_boot_memory(p, t, b, d)))
            return rc;
    } else if (t->has_trustzone) {
        /* TZEN=1: the core boots secure from SECBOOTADD0; else NSBOOTADD0,
         * or NSBOOTADD1 with BOOT0 high, which no register shows: where the
         * core runs tells, as on H7 */
        uint32_t optr, add0, add1, sec;
        if ((rc = fw_probe_read_word(p, (uint32_t)t->trustzone_reg, &optr, d)) ||
            (rc = fw_probe_read_word(p, (uint32_t)t->ns_boot_reg, &add0, d)) ||
            (t->ns_boot1_reg && (rc = fw_probe_read_word(p, (uint32_t)t->ns_boot1_reg, &add1, d))) ||
            (rc = fw_probe_read_word(p, (uint32_t)t->secure_boot_reg, &sec, d)))
            return rc;
        add0 = fw_target_boot_address(t, add0);
        add1 = t->ns_boot1_reg ? fw_target_boot_address(t, add1) : region_base(t, FW_REGION_SYSTEM);
        sec = fw_target_boot_address(t, sec);
        if (fw_target_trustzone_on(t, optr)) {
            b->memory = memory_at(t, sec);
            b->address = sec;
            say_cause(t, b);
            snprintf(b->how, sizeof(b->how), "TrustZone is on (TZEN=1): the core boots secure from SECBOOTADD0 0x%08x (%s)",
                     sec, fw_boot_memory_name(b->memory));
            return FW_OK;
        }
        pick_by_core(t, core, add0, add1, b);
        snprintf(b->how, sizeof(b->how), "TrustZone is off (TZEN=0): NSBOOTADD0 0x%08x (%s, BOOT0 low), NSBOOTADD1 0x%08x "
                 "(%s, BOOT0 high)%s", add0, fw_boot_memory_name(memory_at(t, add0)), add1,
                 fw_boot_memory_name(memory_at(t, add1)), b->boot0_high ? "; the core runs there, so BOOT0 was high" : "");
        return FW_OK;
    } else if (t->has_boot_address) {
        uint32_t v;
        if ((rc = fw_probe_read_word(p, (uint32_t)t->boot_address_reg, &v, d)))
            return rc;
        uint32_t add0 = (v & 0xFFFF) << t->boot_address_shift, add1 = (v >> 16) << t->boot_address_shift;
        pick_by_core(t, core, add0, add1, b);
        snprintf(b->how, sizeof(b->how), "BOOT_ADD0 0x%08x (%s, BOOT0 low), BOOT_ADD1 0x%08x (%s, BOOT0 high)%s", add0,
                 fw_boot_memory_name(memory_at(t, add0)), add1, fw_boot_memory_name(memory_at(t, add1)),
                 b->boot0_high ? "; the core runs there, so BOOT0 was high" : "");
        return FW_OK;
    } else {
        /* no register says: the boot alias at 0 shows the memory booted */
        const fw_region *alias = NULL;
        for (size_t i = 0; i < t->nregions; i++)
            if (t->regions[i].kind == FW_REGION_BOOT_ALIAS && t->regions[i].base == 0)
                alias = &t->regions[i];
        uint8_t at0[16], flash[16], sys[16];
        fw_diag *quiet = fw_diag_new();
        bool read = alias && quiet && !fw_probe_read(p, 0, at0, sizeof(at0), quiet) &&
                    !fw_probe_read(p, region_base(t, FW_REGION_FLASH), flash, sizeof(flash), quiet);
        bool have_sys = read && region_base(t, FW_REGION_SYSTEM) &&
                        !fw_probe_read(p, region_base(t, FW_REGION_SYSTEM), sys, sizeof(sys), quiet);
        fw_diag_free(quiet);
        if (read && !memcmp(at0, flash, sizeof(at0)) && !(have_sys && !memcmp(at0, sys, sizeof(at0))))
            b->memory = FW_BOOTS_FLASH;
        else if (have_sys && !memcmp(at0, sys, sizeof(at0)))
            b->memory = FW_BOOTS_SYSTEM;
        else if (read)
            b->memory = FW_BOOTS_SRAM;
        b->boot0_high = b->memory == FW_BOOTS_SYSTEM || b->memory == FW_BOOTS_SRAM;
        snprintf(b->how, sizeof(b->how), read ? "the boot alias at 0x00000000 shows %s (no register holds the boot pins "
                                                "on this family)"
                                              : "the boot alias at 0x00000000 could not be read%s",
                 read ? fw_boot_memory_name(b->memory) : "");
    }
    b->address = boot_address_of(t, b->memory);
    say_cause(t, b);
    return FW_OK;
}

int fw_chip_check_vectors(fw_probe *p, const fw_target *t, uint32_t addr, uint32_t *sp, uint32_t *reset, bool *have,
                          fw_diag *report, fw_diag *d)
{
    uint8_t vt[64], handler[4];
    *have = false;
    fw_diag *quiet = fw_diag_new();
    if (!quiet)
        return FW_ENOMEM;
    int rc = fw_probe_read(p, addr, vt, sizeof(vt), quiet);
    fw_diag_free(quiet);
    if (rc)
        return FW_OK; /* not readable (read protection): nothing to check */
    *sp = fw_get_le32(vt);
    *reset = fw_get_le32(vt + 4);
    *have = true;
    fw_image *img = fw_image_new();
    fw_lint_config *cfg = fw_lint_config_new();
    rc = img && cfg ? FW_OK : FW_ENOMEM;
    uint32_t h = *reset & ~1u;
    quiet = fw_diag_new();
    bool handler_read = quiet && (h < addr || h >= addr + sizeof(vt)) && !fw_probe_read(p, h, handler, sizeof(handler), quiet);
    fw_diag_free(quiet);
    int src = img ? fw_image_source(img, "chip", NULL) : 0;
    if (!rc)
        rc = fw_image_add(img, addr, vt, sizeof(vt), src, 0, 0);
    if (!rc && handler_read)
        rc = fw_image_add(img, h, handler, sizeof(handler), src, 0, 0);
    if (!rc)
        rc = fw_image_finish(img, d);
    if (!rc) {
        fw_lint_config_enable(cfg, "all", false);
        fw_lint_config_enable(cfg, "VEC-SP", true);
        fw_lint_config_enable(cfg, "VEC-RESET", true);
        fw_lint_config_enable(cfg, "VEC-MISSING", true); /* a table of the erased value */
        fw_lint_config_ram_load(cfg, memory_at(t, addr) == FW_BOOTS_SRAM);
        fw_lint_config_vtor(cfg, addr);
        fw_lint_input in = {.main = {.image = img, .path = "chip"}, .target = t};
        rc = fw_lint_run(&in, cfg, report);
    }
    fw_lint_config_free(cfg);
    fw_image_free(img);
    return rc;
}

int fw_chip_build_id(fw_probe *p, uint32_t addr, char *hex, size_t cap, fw_diag *d)
{
    uint8_t note[16 + 64];
    if (cap)
        hex[0] = '\0';
    fw_diag *quiet = fw_diag_new();
    int rc = quiet ? fw_probe_read(p, addr, note, sizeof(note), quiet) : FW_ENOMEM;
    fw_diag_free(quiet);
    (void)d;
    if (rc)
        return FW_OK;
    /* Elf32_Nhdr: namesz 4 ("GNU\0"), descsz, type NT_GNU_BUILD_ID (3) */
    uint32_t namesz = fw_get_le32(note), descsz = fw_get_le32(note + 4), type = fw_get_le32(note + 8);
    if (namesz != 4 || type != 3 || !descsz || descsz > 64 || memcmp(note + 12, "GNU", 4))
        return FW_OK;
    for (uint32_t i = 0; i < descsz && 2 * i + 2 < cap; i++)
        snprintf(hex + 2 * i, 3, "%02x", note[16 + i]);
    return FW_OK;
}

uint32_t fw_flash_sector_number(const fw_target *t, uint32_t addr)
{
    return fw_flash_sector_index(t, addr);
}
