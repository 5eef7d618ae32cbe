/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32 behind the probe. Identification facts from the
 * reference manuals' DBGMCU sections and the ARMv7-M ARM (CPUID, B4.1.2);
 * memories from libimage's target data. */
#include "emulated_chip.h"

#include "flash/controllers.h"

#include "fwkit/core.h"

#include <stdlib.h>
#include <string.h>

#define CPUID_ADDR FW_CORE_CPUID
#define CONTROLLER_WINDOW 0x400u

/* CPUID by core (stlink-org/stlink chipid.c gives M0, M3 r1p1/r2p0 and M4 r0p1; model: r0p0 for the others) */
/* the core's name as the target data gives it, matched whole ("cortex-m3"
 * is not "cortex-m33"); a dual-core part's list starts with the core the
 * debugger meets first */
static bool core_is(const char *core, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(core, name, n) && (core[n] == '\0' || core[n] == ',');
}

uint32_t sim_cpuid_of(const fw_target *t, const char *core)
{
    if (core_is(core, "cortex-m0+"))
        return 0x410CC600u;
    if (core_is(core, "cortex-m0"))
        return 0x410CC200u;
    if (core_is(core, "cortex-m3"))
        return t->family && !strcmp(t->family, "STM32F1") ? 0x411FC231u : 0x412FC230u;
    if (core_is(core, "cortex-m4"))
        return 0x410FC241u;
    if (core_is(core, "cortex-m7"))
        return 0x410FC270u;
    if (core_is(core, "cortex-m33"))
        return 0x410FD210u;
    return 0;
}

/* What a flash-registers name of the target data means here: the
 * controller model and its option-byte layout, from the table fwflash's
 * drivers read too (libimage/flash/controllers.c). */
struct controller_kind {
    ob_layout layout;
    const struct fw_controller *facts; /* NULL: not modelled */
};

static struct controller_kind controller_of(const fw_target *t)
{
    static const ob_layout layout[] = {[FW_OPT_NONE] = OB_NONE, [FW_OPT_F1] = OB_F1, [FW_OPT_F0F3] = OB_F0F3,
                                       [FW_OPT_F2F4F7] = OB_F2F4F7, [FW_OPT_L0L1] = OB_L0L1, [FW_OPT_L4G0] = OB_L4G0};
    const struct fw_controller *ctl = t->has_flash_registers ? fw_controller_named(t->flash_controller) : NULL;
    if (!ctl || !sim_flash_model_for(ctl->family))
        return (struct controller_kind){OB_NONE, NULL};
    return (struct controller_kind){layout[ctl->options], ctl};
}

uint32_t sim_page_round(uint32_t size)
{
    return size ? ((size - 1) | (SIM_PAGE - 1)) + 1 : SIM_PAGE;
}

bool sim_memory_cpu_mapped(const struct sim_memory *m)
{
    bool plain = m->kind == FW_REGION_FLASH || m->kind == FW_REGION_RAM || m->kind == FW_REGION_CCM ||
                 m->kind == FW_REGION_TCM || (m->kind == FW_REGION_SYSTEM && m->size % SIM_PAGE == 0);
    return plain && m->base % SIM_PAGE == 0;
}

static struct sim_memory *add_memory(struct sim_target *s, uint32_t base, uint32_t size, fw_region_kind kind,
                                     int fill)
{
    if (s->nmem == SIM_MAX_MEMORIES)
        return NULL;
    /* system memory is as large as flash behind, so that the boot alias
     * keeps its window when it shows one or the other (beyond its size it
     * reads 0) */
    uint32_t alloc = sim_page_round(kind == FW_REGION_SYSTEM && s->flash && s->flash->size > size ? s->flash->size : size);
    uint8_t *bytes = alloc ? malloc(alloc) : NULL;
    if (!bytes)
        return NULL;
    memset(bytes, fill, alloc);
    struct sim_memory *m = &s->mem[s->nmem++];
    *m = (struct sim_memory){.base = base, .size = size, .bytes = bytes, .kind = kind};
    return m;
}

static bool add_flash(struct sim_target *s, const fw_target *t)
{
    uint64_t lo, hi;
    const fw_region *bank = fw_target_region_of_kind(t, FW_REGION_FLASH);
    int erased = bank && bank->erased >= 0 ? bank->erased : 0xFF;
    /* model: the banks are taken as one contiguous array */
    if (!fw_target_flash_span(t, &lo, &hi) || hi > 0x100000000ull)
        return false;
    s->flash = add_memory(s, (uint32_t)lo, (uint32_t)(hi - lo), FW_REGION_FLASH, erased);
    return s->flash != NULL;
}

struct sim_memory *sim_target_memory_of_kind(struct sim_target *s, fw_region_kind kind)
{
    for (unsigned i = 0; i < s->nmem; i++)
        if (s->mem[i].kind == kind)
            return &s->mem[i];
    return NULL;
}

/* Whether the part has a bank mode to choose (the target data's
 * bank-option line, and both memory maps). */
static bool has_bank_choice(const fw_target *t)
{
    bool single = false, dual = false;
    for (size_t i = 0; i < t->nregions; i++) {
        single |= t->regions[i].variant && !strcmp(t->regions[i].variant, "single-bank");
        dual |= t->regions[i].variant && !strcmp(t->regions[i].variant, "dual-bank");
    }
    return t->has_bank_option && single && dual;
}

/* The bank-mode bit in option-byte memory (stored) or as loaded: F2/F4/F7's
 * OPTCR[31:16] are the bytes at +8 and +9 (RM0090 §3.6.1; RM0410 alike),
 * L4/G0/G4's OPTR is the word at +0 (their option-bytes sections). */
static uint8_t *bank_bit_byte(struct sim_target *s, uint8_t *bytes, uint32_t mask, uint8_t *bit)
{
    unsigned k = 0;
    while (k < 32 && !(mask >> k & 1))
        k++;
    if (s->ob.layout == OB_F2F4F7 && k >= 16) {
        *bit = (uint8_t)(1u << ((k - 16) % 8));
        return bytes + 8 + (k - 16) / 8;
    }
    if (s->ob.layout == OB_L4G0) {
        *bit = (uint8_t)(1u << (k % 8));
        return bytes + k / 8;
    }
    return NULL;
}

/* Stores the bank mode in the option bytes, as a user's option write does. */
static void store_bank_mode(struct sim_target *s, bool dual)
{
    uint8_t bit, *b;
    if (!has_bank_choice(s->part) || !s->ob.bytes || !(b = bank_bit_byte(s, s->ob.bytes, s->part->bank_option_mask, &bit)))
        return;
    bool set = dual == s->part->bank_option_dual;
    if (s->ob.layout == OB_L4G0) { /* the word and its complement, as OPTSTRT stores them */
        uint32_t optr = fw_get_le32(s->ob.bytes);
        ob_l4g0_store(&s->ob, 0, set ? optr | s->part->bank_option_mask : optr & ~s->part->bank_option_mask);
    } else {
        *b = set ? *b | bit : *b & (uint8_t)~bit;
    }
}

static void init_controller(struct sim_target *s, const fw_target *t, const struct controller_kind *kind);

/* The flash controller's counters, NULL without a controller. */
static struct flash_stats *controller_stats(struct sim_target *s)
{
    return s->model ? s->model->stats(s) : NULL;
}

/* After the option bytes load: the flash controller's pages or sectors
 * follow the bank mode they set (its counters kept). */
static void follow_bank_mode(struct sim_target *s)
{
    uint8_t bit;
    const uint8_t *b;
    if (!has_bank_choice(s->part) || !(b = bank_bit_byte(s, s->ob.loaded, s->part->bank_option_mask, &bit)))
        return;
    bool dual = ((*b & bit) != 0) == s->part->bank_option_dual;
    const char *variant = dual ? "dual-bank" : "single-bank";
    if (s->variant && !strcmp(s->variant, variant))
        return;
    s->variant = variant;
    struct flash_stats stats = *sim_target_flash_stats(s);
    struct controller_kind kind = controller_of(s->part);
    init_controller(s, s->part, &kind);
    struct flash_stats *now = controller_stats(s);
    if (now)
        *now = stats;
}

static void init_option_bytes(struct sim_target *s, ob_layout layout)
{
    struct sim_memory *m = sim_target_memory_of_kind(s, FW_REGION_OPTION_BYTES);
    ob_init(&s->ob, layout, m ? m->bytes : NULL, m ? m->base : 0, m ? m->size : 0);
    ob_factory(&s->ob);
    /* the factory bank mode is the target data's default variant */
    store_bank_mode(s, s->part->default_variant && !strcmp(s->part->default_variant, "dual-bank"));
    ob_load(&s->ob);
}

/* Whether r is in the memory map of the bank mode the chip is in: the
 * default variant's, or the other one's when the option bit says so. */
bool sim_target_in_bank_mode(const struct sim_target *s, const fw_region *r)
{
    if (!s->variant || !r->variant)
        return fw_region_in_default_variant(s->part, r);
    return !strcmp(r->variant, s->variant);
}

const fw_region *sim_target_first_bank(const struct sim_target *s)
{
    for (size_t i = 0; i < s->part->nregions; i++)
        if (s->part->regions[i].kind == FW_REGION_FLASH && sim_target_in_bank_mode(s, &s->part->regions[i]))
            return &s->part->regions[i];
    return NULL;
}

static void init_controller(struct sim_target *s, const fw_target *t, const struct controller_kind *kind)
{
    s->controller = kind->facts ? kind->facts->family : FW_CTL_NONE;
    s->model = kind->facts ? sim_flash_model_for(kind->facts->family) : NULL;
    s->controller_base = (uint32_t)t->flash_registers;
    s->secure_regs = kind->facts ? kind->facts->secure_regs : 0;
    if (s->model)
        s->model->init(s, kind->facts);
}

bool sim_target_init(struct sim_target *s, const fw_target *t, uint16_t rev_id)
{
    memset(s, 0, sizeof(*s));
    s->part = t;
    iwdg_init(&s->iwdg, t->has_watchdog ? t->lsi_khz : 0);
    if (!add_flash(s, t))
        goto fail;
    for (size_t i = 0; i < t->nregions; i++) {
        const fw_region *r = &t->regions[i];
        if (!fw_region_in_default_variant(t, r) || r->base + r->size > 0x100000000ull)
            continue;
        switch (r->kind) {
        case FW_REGION_RAM:
        case FW_REGION_CCM:
        case FW_REGION_TCM:
        case FW_REGION_EEPROM:
        case FW_REGION_OTP:
        case FW_REGION_OPTION_BYTES:
        case FW_REGION_SYSTEM: {
            int fill = r->erased >= 0 ? r->erased : r->kind == FW_REGION_OTP ? 0xFF : 0;
            struct sim_memory *m = add_memory(s, (uint32_t)r->base, (uint32_t)r->size, r->kind, fill);
            if (!m)
                goto fail;
            if (r->kind == FW_REGION_SYSTEM && !s->system)
                s->system = m;
            break;
        }
        case FW_REGION_BOOT_ALIAS: s->boot_alias_size = s->flash->size; break;
        default: break;
        }
    }
    for (size_t i = 0; i < t->nregions; i++) {
        const fw_region *r = &t->regions[i], *shown = fw_target_region_shown(t, r);
        if (r->kind != FW_REGION_SECURE_ALIAS || !fw_region_in_default_variant(t, r) || !shown)
            continue;
        struct sim_memory *m = sim_target_memory_at(s, (uint32_t)shown->base, 1);
        uint64_t room = m ? m->base + m->size - shown->base : 0;
        if (m && s->nsecure_alias < SIM_MAX_MEMORIES && r->base + r->size <= 0x100000000ull)
            s->secure_alias[s->nsecure_alias++] = (struct sim_secure_alias){
                (uint32_t)r->base, (uint32_t)(r->size < room ? r->size : room), (uint32_t)shown->base, m};
    }
    s->idcode = (uint32_t)rev_id << 16 | (t->ndevice_ids ? t->device_ids[0] & 0xFFF : 0);
    if ((s->idcode & 0xFFF) == 0x416)
        s->idcode |= 0x6000; /* reserved bits [15:12] read 6 in the DBGMCU IDCODEs st-info logs for an L1 in stlink-org/stlink's issues */
    if (t->has_idcode)       /* a clone's whole IDCODE, as clones.map gives it */
        s->idcode = (s->idcode & ~t->idcode_mask) | (t->idcode_value & t->idcode_mask);
    s->cpuid = sim_cpuid_of(t, t->core ? t->core : "");
    /* the target data's, as fwflash reads them (libimage/target/stm32.map) */
    s->dp_idcode = t->dp_idcode_swd;
    s->jtag_idcode = t->dp_idcode_jtag;
    if (!s->dp_idcode) /* model, where the data has none (a clone's unsourced): the SW-DP of Arm's Cortex-M3
                          r2 and M4 (0x2BA01477) or of the M0/M0+ (0x0BB11477), as stlink-org/stlink's
                          inc/stm32.h lists them */
        s->dp_idcode = (s->cpuid >> 4 & 0xFFF) == 0xC20 || (s->cpuid >> 4 & 0xFFF) == 0xC60 ? 0x0BB11477u : 0x2BA01477u;
    /* what the flash-size register says: the datasheet's, even on silicon with more (fwsim --flash-size) */
    s->flash_size_kib = (uint16_t)((t->documented_flash ? t->documented_flash : fw_target_flash_size(t)) / 1024);
    struct controller_kind kind = controller_of(t);
    init_option_bytes(s, kind.layout);
    init_controller(s, t, &kind);
    const fw_region *ram = fw_target_region_of_kind(t, FW_REGION_RAM);
    dma_init(&s->dma, t, ram ? (uint32_t)ram->base : 0);
    s->core_khz = fw_target_reset_clock_khz(t);
    sim_target_power_on(s);
    return true;
fail:
    sim_target_free(s);
    return false;
}

void sim_target_free(struct sim_target *s)
{
    for (unsigned i = 0; i < s->nmem; i++)
        free(s->mem[i].bytes);
    s->nmem = 0;
    s->flash = s->system = NULL;
    periph_regs_free(&s->periph);
}

static void reset_controller(struct sim_target *s)
{
    if (s->model)
        s->model->reset(s);
}

void sim_target_power_on(struct sim_target *s)
{
    periph_regs_reset(&s->periph);
    iwdg_reset(&s->iwdg, s->now_ns);
    ob_load(&s->ob);
    follow_bank_mode(s);
    reset_controller(s);
    sim_boot_power_on(s);
}

void sim_target_arrive_with(struct sim_target *s, sim_quirks quirks)
{
    if (sim_quirk_on(quirks, QUIRK_STALE_FLAGS)) {
        /* the error flags an earlier session's failed operations leave: only
         * writing 1 clears them, and a system reset */
        if (s->model)
            s->model->stale_flags(s);
    }
    if (s->iwdg.present && sim_quirk_on(quirks, QUIRK_HW_IWDG))
        s->iwdg.hardware = true;
    if (s->iwdg.present && (sim_quirk_on(quirks, QUIRK_IWDG) || sim_quirk_on(quirks, QUIRK_HW_IWDG)))
        iwdg_start(&s->iwdg, s->now_ns);
    s->quirks = quirks;
    if (sim_quirk_on(quirks, QUIRK_BANK_OPTION) && has_bank_choice(s->part)) {
        /* a user's option write set the other bank mode; the power-on loaded it */
        store_bank_mode(s, !(s->part->default_variant && !strcmp(s->part->default_variant, "dual-bank")));
        ob_load(&s->ob);
        follow_bank_mode(s);
        reset_controller(s);
    }
    if (sim_quirk_on(quirks, QUIRK_DMA))
        dma_start(&s->dma, s->part, &s->periph, s->now_ns);
    if (sim_quirk_on(quirks, QUIRK_SLOW_CLOCK))
        s->core_khz = sim_target_slowest_clock_khz(s);
    if (sim_quirk_on(quirks, QUIRK_SWD_LOST)) {
        memcpy(s->swd_firmware, s->flash->bytes, sizeof(s->swd_firmware));
        s->swd_off = true; /* it has been running since long before */
    }
    if (sim_quirk_on(quirks, QUIRK_KEY_LOCKOUT) && s->model)
        s->model->lock_out(s);
}

/* whether addr is in the IWDG's register window */
static bool at_iwdg(const struct sim_target *s, uint32_t addr)
{
    return s->iwdg.present && addr >= s->part->iwdg_base && addr - s->part->iwdg_base < IWDG_WINDOW;
}

bool sim_target_watchdog_frozen(struct sim_target *s)
{
    const fw_target *t = s->part;
    if (!t->has_watchdog)
        return false;
    uint32_t v = periph_regs_read(&s->periph, (uint32_t)t->watchdog_freeze_reg, 4);
    return v & t->iwdg_stop_bit;
}

uint32_t sim_target_slowest_clock_khz(const struct sim_target *s)
{
    /* the RCC chapters: MSI range 0 (RM0038, RM0377: 65.536 kHz; RM0351:
     * 100 kHz), LSI as SYSCLK (RM0444, RM0490: 32 kHz), else HSI through
     * the AHB prescaler's /512 (RM0008, RM0091: 8 MHz; RM0090, RM0440: 16 MHz) */
    switch (s->controller) {
    case FW_CTL_L0L1: return 65;
    case FW_CTL_L4G0: return fw_target_reset_clock_khz(s->part) >= 16000 ? 32 : 100;
    default: {
        uint32_t hsi = fw_target_reset_clock_khz(s->part);
        return hsi / 512 ? hsi / 512 : 1;
    }
    }
}

void sim_target_firmware_check(struct sim_target *s)
{
    if (sim_quirk_on(s->quirks, QUIRK_SWD_LOST) && !s->swd_off && s->ran_since_reset_ns >= SWD_LOST_NS &&
        !memcmp(s->flash->bytes, s->swd_firmware, sizeof(s->swd_firmware)))
        s->swd_off = true;
}

void sim_target_reset(struct sim_target *s)
{
    /* the clock configuration and the pin functions return to their reset
     * values: the reset clock, the SWJ pins the debug port's */
    s->core_khz = fw_target_reset_clock_khz(s->part);
    s->flash_acr = 0;
    s->swd_off = false;
    s->ran_since_reset_ns = 0;
    /* DBGMCU's freeze register is reset by power-on only, not by a system
     * reset (the DBGMCU sections of RM0008, RM0090, RM0038, RM0351) */
    const fw_target *t = s->part;
    uint32_t freeze = t->has_watchdog ? periph_regs_read(&s->periph, (uint32_t)t->watchdog_freeze_reg, 4) : 0;
    periph_regs_reset(&s->periph);
    if (t->has_watchdog && freeze)
        periph_regs_write(&s->periph, (uint32_t)t->watchdog_freeze_reg, 4, freeze);
    iwdg_reset(&s->iwdg, s->now_ns);
    hsem_reset(&s->hsem);
    if (ob_reloads_on_system_reset(&s->ob)) {
        ob_load(&s->ob);
        follow_bank_mode(s);
    }
    reset_controller(s);
    sim_boot_reset(s);
}

bool sim_target_take_obl_launch(struct sim_target *s)
{
    if (!s->ob.obl_launch)
        return false;
    s->ob.obl_launch = false;
    s->obl_reloads++;
    ob_load(&s->ob);
    follow_bank_mode(s);
    s->flash_empty = false;
    sim_boot_power_on(s); /* the option-byte loader runs the empty check again */
    return true;
}

static bool overlaps(uint32_t addr, unsigned size, uint32_t base, uint32_t len)
{
    return (uint64_t)addr + size > base && addr < (uint64_t)base + len;
}

bool sim_target_debug_closed(const struct sim_target *s)
{
    return s->controller == FW_CTL_H5 && flash_h5_debug_closed(&s->ctl.h5);
}

bool sim_target_debug_denied(struct sim_target *s, uint32_t addr, unsigned size)
{
    if (s->ob.rdp_level == 0)
        return false;
    if (s->ob.rdp_level == 2)
        return true;
    if (overlaps(addr, size, s->flash->base, s->flash->size))
        return true;
    if (s->boot_alias_size && !s->boot_from_system && overlaps(addr, size, 0, s->boot_alias_size))
        return true;
    struct sim_memory *eeprom = sim_target_memory_of_kind(s, FW_REGION_EEPROM);
    return eeprom && overlaps(addr, size, eeprom->base, eeprom->size);
}

bool sim_target_debug_reads_zero(struct sim_target *s, uint32_t addr, unsigned size)
{
    if (!overlaps(addr, size, s->flash->base, s->flash->size))
        return false; /* the secure alias (0x0C000000) is not s->flash: secure reads see the bytes */
    uint32_t offset = addr > s->flash->base ? addr - s->flash->base : 0;
    switch (s->controller) {
    case FW_CTL_L4G0: return flash_l4g0_in_cpu2_area(&s->ctl.l4g0, offset, size);
    /* TrustZone on: a non-secure read of a secure page reads zeros (the
     * GTZC's RAZ for a denied read; users see it in STM32CubeIDE's memory
     * view, community.st.com "flash memory range reads as all zero" on an
     * L562); model: no illegal-access event is raised */
    case FW_CTL_L5U5: return flash_l5u5_secure_at(&s->ctl.l5u5, offset);
    case FW_CTL_H5: return flash_h5_secure_at(&s->ctl.h5, offset);
    default: return false;
    }
}

void sim_target_write_protect(struct sim_target *s, uint32_t addr, bool all)
{
    if (s->model)
        s->model->write_protect(s, addr - s->flash->base, all);
}

const struct flash_stats *sim_target_flash_stats(const struct sim_target *s)
{
    static const struct flash_stats none;
    const struct flash_stats *st = controller_stats((struct sim_target *)s);
    return st ? st : &none;
}

uint64_t sim_target_flash_idle_at(const struct sim_target *s)
{
    uint64_t until = s->model ? s->model->idle_at(s) : 0;
    return until > s->now_ns ? until : s->now_ns;
}

bool sim_target_is_controller(const struct sim_target *s, uint32_t addr)
{
    bool secure;
    addr = sim_target_unalias(s, addr, &secure); /* its registers' secure alias too */
    return s->model && addr >= s->controller_base && addr - s->controller_base < CONTROLLER_WINDOW;
}

uint32_t sim_target_unalias(const struct sim_target *s, uint32_t addr, bool *secure)
{
    *secure = false;
    if (s->secure_regs && addr - s->secure_regs >= s->controller_base &&
        addr - s->secure_regs - s->controller_base < CONTROLLER_WINDOW) {
        *secure = true;
        return addr - s->secure_regs;
    }
    for (unsigned i = 0; i < s->nsecure_alias; i++) {
        const struct sim_secure_alias *a = &s->secure_alias[i];
        if (addr >= a->base && addr - a->base < a->size) {
            *secure = true;
            return a->shows_base + (addr - a->base);
        }
    }
    return addr;
}

struct sim_memory *sim_target_memory_at(struct sim_target *s, uint32_t addr, unsigned size)
{
    for (unsigned i = 0; i < s->nmem; i++) {
        struct sim_memory *m = &s->mem[i];
        if (addr >= m->base && m->size >= size && addr - m->base <= m->size - size)
            return m;
    }
    return NULL;
}

static uint32_t load(const uint8_t *p, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

/* a little-endian register read of size bytes at addr within a 32-bit word */
/* The target data's ready and mirror lines: the status a peripheral shows
 * once software asked for it (a clock's ready flag, the clock switch's
 * status), so that code waiting for it goes on. */
static void follow_ready_rules(const struct sim_target *s, uint32_t addr, unsigned size, uint32_t *value)
{
    const fw_target *t = s->part;
    uint32_t word = addr & ~3u, v = periph_regs_read(&s->periph, word, 4);
    bool changed = false;
    for (size_t i = 0; i < t->nready; i++) {
        const struct fw_ready_rule *r = &t->ready[i];
        if ((uint32_t)r->reg != word)
            continue;
        changed = true;
        if (r->mask)
            v = (v & ~(r->mask << r->to_shift)) | ((v >> r->from_shift & r->mask) << r->to_shift);
        else
            v = !r->on || (v & r->on) ? v | r->ready : v & ~r->ready;
    }
    if (changed)
        *value = (v >> (8 * (addr & 3))) & (size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1);
}

static bool id_register(uint32_t addr, unsigned size, uint32_t reg, uint32_t reg_size, uint32_t value, uint32_t *out)
{
    if (addr < reg || size > reg_size || addr - reg > reg_size - size) /* no wrap at the top of the map */
        return false;
    *out = (value >> (8 * (addr - reg))) & (size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1);
    return true;
}

/* FLASH_ACR, where the target data's loader-clock line names it: its wait
 * states read back as written (the controllers' models leave it out) */
static bool is_loader_acr(const struct sim_target *s, uint32_t offset)
{
    const fw_target *t = s->part;
    return t->has_loader_clock && s->controller_base + offset == (uint32_t)t->loader_acr_reg;
}

static uint32_t controller_read(struct sim_target *s, uint32_t offset, bool secure)
{
    uint32_t v = s->model ? s->model->read_reg(s, offset, secure) : 0;
    return is_loader_acr(s, offset) ? v | s->flash_acr : v;
}

/* The core's clock follows the clock register of the target data's
 * loader-clock line: its clock while the field holds the line's value (the
 * MSI range fwflash and OpenOCD's L4/WB/WL reset-init select), the reset
 * clock otherwise. model: the other settings (a PLL, as OpenOCD's L5/U5
 * reset-init sets) are not modelled, and the core keeps the reset clock;
 * flash wait states below the clock's are not checked */
static void follow_clock(struct sim_target *s)
{
    const fw_target *t = s->part;
    uint32_t v = periph_regs_read(&s->periph, (uint32_t)t->loader_clock_reg, 4);
    s->core_khz =
        (v & t->loader_clock_mask) == t->loader_clock_value ? t->loader_clock_khz : fw_target_reset_clock_khz(t);
}

static sim_bus read_plain(struct sim_target *s, uint32_t addr, unsigned size, uint32_t *value);

/* Reads on the bus; the words clones.map tells a clone by read its value
 * in their masked bits over what is there. */
sim_bus sim_target_read(struct sim_target *s, uint32_t addr, unsigned size, uint32_t *value)
{
    const fw_target *t = s->part;
    for (size_t i = 0; i < t->nidentify; i++) { /* the words clones.map tells a clone by */
        uint32_t reg = (uint32_t)t->identify[i].addr, word = 0;
        if ((size != 1 && size != 2 && size != 4) || addr < reg || addr - reg > 4 - size || (addr & (size - 1)))
            continue;
        sim_bus r = read_plain(s, reg, 4, &word);
        if (r != SIM_BUS_OK)
            return r;
        word = (word & ~t->identify[i].mask) | t->identify[i].value;
        *value = word >> (8 * (addr - reg));
        if (size < 4)
            *value &= (1u << (8 * size)) - 1;
        return SIM_BUS_OK;
    }
    return read_plain(s, addr, size, value);
}

void sim_target_set_uid(struct sim_target *s, const char *text)
{
    /* model: FNV-1a of the text, then each word mixed from the last (ST's UIDs hold the wafer's X/Y, lot and
       wafer numbers; their values do not matter here, only that each chip has its own) */
    uint32_t h = 2166136261u;
    for (const char *c = text; *c; c++)
        h = (h ^ (uint8_t)*c) * 16777619u;
    for (int i = 0; i < 3; i++) {
        h = (h ^ (uint32_t)(0x9E3779B9u * (unsigned)(i + 1))) * 16777619u;
        h ^= h >> 15;
        s->uid[i] = h;
    }
}

static sim_bus read_plain(struct sim_target *s, uint32_t addr, unsigned size, uint32_t *value)
{
    if (size != 1 && size != 2 && size != 4)
        return SIM_BUS_FAULT;
    const fw_target *t = s->part;
    if (t->has_dbgmcu_idcode && id_register(addr, size, (uint32_t)t->dbgmcu_idcode, 4, s->idcode, value))
        return SIM_BUS_OK;
    /* F_SIZE is 16 bits; probes read the aligned word when its address has bit 1 set (stlink-org/stlink chipid.c) */
    uint32_t fsize = (uint32_t)t->flash_size_register;
    if (t->has_flash_size_register &&
        id_register(addr, size, fsize & ~3u, 4, (uint32_t)s->flash_size_kib << (8 * (fsize & 3)), value))
        return SIM_BUS_OK;
    if (id_register(addr, size, CPUID_ADDR, 4, s->cpuid, value))
        return SIM_BUS_OK;
    for (int i = 0; t->has_uid && i < 3; i++)
        if (id_register(addr, size, (uint32_t)t->uid_addr[i], 4, s->uid[i], value))
            return SIM_BUS_OK;
    bool secure;
    addr = sim_target_unalias(s, addr, &secure);
    if (sim_target_is_controller(s, addr)) {
        uint32_t off = addr - s->controller_base;
        uint32_t word = controller_read(s, off & ~3u, secure);
        sim_boot_read(s, addr & ~3u, &word);
        *value = word >> (8 * (off & 3));
        if (size < 4)
            *value &= (1u << (8 * size)) - 1;
        return SIM_BUS_OK;
    }
    if (s->boot_alias_size && addr < s->boot_alias_size) {
        /* the boot alias shows flash, or system memory when booting from it */
        struct sim_memory *shown = s->boot_from_system && s->system ? s->system : s->flash;
        if (addr + size > shown->size)
            return SIM_BUS_FAULT;
        *value = load(shown->bytes + addr, size);
        return SIM_BUS_OK;
    }
    if (at_iwdg(s, addr)) {
        *value = iwdg_read(&s->iwdg, (uint32_t)(addr - t->iwdg_base) & ~3u);
        return SIM_BUS_OK;
    }
    struct sim_memory *m = sim_target_memory_at(s, addr, size);
    if (!m && periph_regs_cover(addr)) {
        *value = periph_regs_read(&s->periph, addr, size);
        follow_ready_rules(s, addr, size, value);
        return SIM_BUS_OK;
    }
    if (!m)
        return SIM_BUS_FAULT;
    if (m == s->flash && s->controller == FW_CTL_L0L1)
        nvm_l0l1_read_flash(&s->ctl.l0l1, addr);
    *value = load(m->bytes + (addr - m->base), size);
    return SIM_BUS_OK;
}

static void controller_write(struct sim_target *s, uint32_t offset, uint32_t value, bool secure)
{
    if (is_loader_acr(s, offset))
        s->flash_acr = value & s->part->loader_acr_mask;
    if (s->model)
        s->model->write_reg(s, offset, value, secure);
}

static sim_bus flash_write(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value, bool secure)
{
    return s->model ? s->model->write_flash(s, addr, size, value, secure) : SIM_BUS_FAULT;
}

/* F0/F1/F3 and L0/L1 program option bytes by bus writes; F2/F4/F7 and
 * L4/G0 through registers only (model: there a direct write faults) */
static sim_bus option_write(struct sim_target *s, uint32_t offset, unsigned size, uint32_t value)
{
    return s->model && s->model->write_option ? s->model->write_option(s, offset, size, value) : SIM_BUS_FAULT;
}

sim_bus sim_target_write(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value)
{
    if (size != 1 && size != 2 && size != 4)
        return SIM_BUS_FAULT;
    bool secure;
    addr = sim_target_unalias(s, addr, &secure);
    if (sim_target_is_controller(s, addr)) {
        /* model: registers take whole words; a narrower write lands in its byte lanes */
        uint32_t off = addr - s->controller_base;
        if (size == 4)
            sim_boot_write(s, addr, value);
        controller_write(s, off & ~3u, value << (8 * (off & 3)), secure);
        return SIM_BUS_OK;
    }
    if (s->boot_alias_size && addr < s->boot_alias_size)
        return SIM_BUS_FAULT; /* model: the alias is read-only; flash is programmed at its own address */
    if (at_iwdg(s, addr)) {
        iwdg_write(&s->iwdg, (uint32_t)(addr - s->part->iwdg_base) & ~3u, value, s->now_ns);
        return SIM_BUS_OK;
    }
    struct sim_memory *m = sim_target_memory_at(s, addr, size);
    if (!m && periph_regs_cover(addr)) {
        if (!periph_regs_write(&s->periph, addr, size, value))
            return SIM_BUS_FAULT;
        if (s->part->has_loader_clock && (addr & ~3u) == (uint32_t)s->part->loader_clock_reg)
            follow_clock(s);
        return SIM_BUS_OK;
    }
    if (!m)
        return SIM_BUS_FAULT;
    switch (m->kind) {
    case FW_REGION_FLASH: return flash_write(s, addr, size, value, secure);
    case FW_REGION_RAM:
    case FW_REGION_CCM:
    case FW_REGION_TCM:
        for (unsigned i = 0; i < size; i++)
            m->bytes[addr - m->base + i] = (uint8_t)(value >> (8 * i));
        return SIM_BUS_OK;
    case FW_REGION_OTP:
        /* 16 blocks of 32 bytes and their lock bytes (F2/F4, F72x/F73x); the
         * 1 KiB OTP of the other F7 parts keeps its lock bytes elsewhere */
        if (s->controller == FW_CTL_F2F4F7 && m->size == F4_OTP_BLOCKS * (F4_OTP_BLOCK + 1)) {
            flash_f2f4f7_write_otp(&s->ctl.f2f4f7, m->bytes, addr - m->base, value, size, s->now_ns);
            return SIM_BUS_OK;
        }
        if (s->controller == FW_CTL_L4G0) {
            flash_l4g0_write_otp(&s->ctl.l4g0, m->bytes, addr - m->base, value, size, s->now_ns);
            return SIM_BUS_OK;
        }
        return SIM_BUS_FAULT; /* model: that F7 OTP is not writable yet */
    case FW_REGION_EEPROM:
        if (s->controller == FW_CTL_L0L1) {
            nvm_l0l1_write_eeprom(&s->ctl.l0l1, addr - m->base, value, size, s->now_ns);
            return SIM_BUS_OK;
        }
        return SIM_BUS_FAULT;
    case FW_REGION_OPTION_BYTES: return option_write(s, addr - m->base, size, value);
    default:
        return SIM_BUS_FAULT; /* ROM */
    }
}
