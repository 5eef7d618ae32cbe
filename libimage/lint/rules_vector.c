/* SPDX-License-Identifier: MIT */
/* D. the Cortex-M vector table at the boot address, and E. RISC-V boot. */
#include "lint_internal.h"

#include <stdio.h>
#include <string.h>

static bool core_is(const struct lint *l, const char *prefix)
{
    const char *c = l->in->target ? l->in->target->core : NULL;
    return c && !strncmp(c, prefix, strlen(prefix));
}

static bool erased_word(const struct lint *l, uint32_t w)
{
    return l->erased == 0 ? w == 0 : w == 0xFFFFFFFFu;
}

/* Findings on the second core's table of a two-core image name it. */
static const char *whose(const struct lint *l)
{
    return l->second_table ? l->second_table : "";
}

static const fw_region *ram_holding_top(const struct lint *l, uint32_t sp)
{
    /* the stack grows down from SP: SP may equal the end of RAM */
    const fw_region *r = lint_memory_at(l, (uint64_t)sp - 1);
    if (r && (r->kind == FW_REGION_RAM || r->kind == FW_REGION_TCM || r->kind == FW_REGION_CCM ||
              r->kind == FW_REGION_ALIAS))
        return r;
    return NULL;
}

static void describe_ram(const struct lint *l, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < l->t->nregions && used + 48 < n; i++) {
        const fw_region *r = &l->t->regions[i];
        if (r->kind != FW_REGION_RAM || !fw_region_in_default_variant(l->t, r))
            continue;
        used += (size_t)snprintf(buf + used, n - used, "%s%s 0x%08llx-0x%08llx", used ? ", " : "", r->name,
                                 (unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1));
    }
}

static void stack_pointer(struct lint *l)
{
    uint32_t sp = l->vt.word[0];
    fw_location loc = lint_where(l, l->vt.addr);
    if (l->t && !ram_holding_top(l, sp)) {
        char ram[256];
        describe_ram(l, ram, sizeof(ram));
        fw_diagnostic *e =
            lint_emit(l, "VEC-SP", &loc, "%sthe initial stack pointer 0x%08x is not the top of RAM: %s has %s",
                      whose(l), sp, l->t->name, ram[0] ? ram : "no RAM listed");
        fw_diagnostic_set_hint(e, "%s: the first push faults otherwise", lint_hint_stack_top(l));
    } else if (sp & 3) {
        lint_emit(l, "VEC-SP", &loc,
                  "%sthe initial stack pointer 0x%08x is not word-aligned: the core clears bits 1:0 when it loads SP "
                  "(ARMv7-M B1.4.1), so the stack starts at 0x%08x, not where the program put it",
                  whose(l), sp, sp & ~3u);
    } else if (sp & 7) {
        /* AAPCS asks for 8 bytes at public interfaces; the core realigns
         * on exception entry (CCR.STKALIGN), so code runs: a warning */
        fw_diagnostic *e = lint_emit_as(l, FW_WARNING, "VEC-SP", &loc,
                                        "%sthe initial stack pointer 0x%08x is word-aligned but not 8-byte aligned: "
                                        "AAPCS wants 8 at public interfaces (printf of a double, 64-bit atomics "
                                        "misbehave until the first exception realigns it)",
                                        whose(l), sp);
        fw_diagnostic_set_hint(e, "align the initial stack to 8 bytes (ALIGN(8) on the stack's end)");
    }
}

static void reset_vector(struct lint *l)
{
    uint32_t rv = l->vt.word[1];
    uint64_t target = rv & ~1u;
    fw_location loc = lint_where(l, l->vt.addr + 4);
    if (!(rv & 1)) {
        fw_diagnostic *e = lint_emit(l, "VEC-RESET", &loc,
                                     "%sthe reset vector 0x%08x has bit 0 clear: Cortex-M runs Thumb code only, so "
                                     "the core faults at reset",
                                     whose(l), rv);
        fw_diagnostic_set_hint(e, "declare Reset_Handler as a function (the linker then sets bit 0)");
        return;
    }
    const fw_region *r = lint_memory_at(l, target);
    bool executable = !l->t || (r && (r->kind == FW_REGION_FLASH ||
                                      (l->cfg && l->cfg->ram_load && r->kind == FW_REGION_RAM)));
    uint8_t half[2];
    if (!executable) {
        lint_emit(l, "VEC-RESET", &loc, "%sthe reset handler 0x%08llx is not in flash%s%s", whose(l),
                  (unsigned long long)target, r ? " but in " : "", r ? r->name : "");
    } else if (!fw_image_read(l->img, target, half, 2)) {
        lint_emit(l, "VEC-RESET", &loc,
                  "%sthe reset handler 0x%08llx is not in the image: the core would run whatever the flash holds "
                  "there",
                  whose(l), (unsigned long long)target);
    } else if ((half[0] | half[1] << 8) == (l->erased ? 0xFFFF : 0)) {
        lint_emit(l, "VEC-RESET", &loc, "%sthe reset handler 0x%08llx holds the erased value", whose(l),
                  (unsigned long long)target);
    }
}

bool lint_vector_reserved(const struct lint *l, size_t i)
{
    if (i == 7 && (core_is(l, "cortex-m33") || core_is(l, "cortex-m23") || core_is(l, "cortex-m55")))
        return false; /* SecureFault */
    return (i >= 7 && i <= 10) || i == 13 || (core_is(l, "cortex-m0") && (i == 4 || i == 5 || i == 6 || i == 12));
}

static void handlers(struct lint *l)
{
    bool lpc = l->in->target && l->in->target->checksum;
    char bad[256] = "";
    size_t used = 0, nbad = 0;
    for (size_t i = 2; i < l->vt.nwords && i < 16; i++) {
        uint32_t w = l->vt.word[i];
        bool reserved = lint_vector_reserved(l, i);
        if (lpc && i == 7)
            continue; /* the vendor checksum lives there */
        const char *why = NULL;
        /* RTOSes (ChibiOS, NuttX) fill reserved slots with their default
         * handler: the core never reads them, so only garbage is a finding */
        bool handler_like = (w & 1) && fw_image_find(l->img, w & ~1u) >= 0;
        if (reserved && w && !handler_like && !erased_word(l, w))
            why = "reserved, not 0";
        else if (!reserved && w && !(w & 1))
            why = "not a Thumb address";
        else if (!reserved && w && fw_image_find(l->img, w & ~1u) < 0)
            why = "not in the image";
        if (why && used + 64 < sizeof(bad)) {
            used += (size_t)snprintf(bad + used, sizeof(bad) - used, "%s[%zu] 0x%08x (%s)", used ? ", " : "", i, w, why);
            nbad++;
        }
    }
    if (nbad) {
        fw_location loc = lint_where(l, l->vt.addr + 8);
        lint_emit(l, "VEC-HANDLERS", &loc, "%s%zu exception vector%s look wrong: %s", whose(l), nbad,
                  nbad > 1 ? "s" : "", bad);
    }
}

static void alignment(struct lint *l)
{
    uint64_t entries = 16;
    fw_location loc = lint_where(l, l->vt.addr);
    if (l->elf) {
        /* the section that holds the table gives its size */
        for (size_t i = 0; i < l->elf->nsections; i++) {
            const fw_elf_section *s = &l->elf->sections[i];
            if ((s->flags & 2) && s->lma == l->vt.addr && s->size >= 8)
                entries = s->size / 4;
        }
    }
    uint64_t align = 128;
    while (align < entries * 4)
        align <<= 1;
    bool at_base = l->flash && l->vt.addr == l->flash->base;
    if (core_is(l, "cortex-m0") && !core_is(l, "cortex-m0+") && !at_base && l->flash) {
        lint_emit_as(l, FW_WARNING, "VEC-ALIGN", &loc,
                     "the vector table is at 0x%08llx but Cortex-M0 has no VTOR: it always takes vectors from 0, so "
                     "the bootloader must copy them to RAM and remap it",
                     (unsigned long long)l->vt.addr);
    } else if (l->vt.addr % align) {
        lint_emit(l, "VEC-ALIGN", &loc,
                  "the vector table at 0x%08llx is not aligned to %llu bytes (%llu entries): VTOR cannot point at it",
                  (unsigned long long)l->vt.addr, (unsigned long long)align, (unsigned long long)entries);
    }
}

/* Whether the image is a dual-core part's second core's and sits where
 * that core boots from the factory (H745/H747's CM4: bank 2). */
static bool at_second_core_boot(const struct lint *l)
{
    const fw_target *t = l->t;
    const char *second = t ? fw_target_second_core(t) : NULL;
    if (!second || !l->core || strcmp(l->core, second))
        return false;
    return l->vt.addr == (uint64_t)(t->second_boot_factory & 0xFFFFu) << t->second_boot_shift;
}

/* An image with both cores' code (fwmerge of the two ELF files) on a
 * dual-core part: the second core's table, where that core boots from the
 * factory (H745/H747's CM4: BOOT_CM4_ADD0, bank 2), is checked as the main
 * core's is, its findings naming it; a table the image leaves blank there
 * is fwflash --check-boot's to say (the core locks up). */
static void second_core_vectors(struct lint *l)
{
    const fw_target *t = l->t;
    const char *second = t ? fw_target_second_core(t) : NULL;
    if (!second || (l->core && !strcmp(l->core, second)))
        return;
    uint64_t at = (uint64_t)(t->second_boot_factory & 0xFFFFu) << t->second_boot_shift;
    if (at == l->vt.addr || fw_image_find(l->img, at) < 0)
        return;
    struct vectors main_vt = l->vt;
    const char *main_core = l->core;
    lint_vectors_at(l, at, &l->vt);
    char core[32], name[96];
    fw_core_arm_name(second, strlen(second), core, sizeof(core));
    snprintf(name, sizeof(name), "the %s's vector table (at 0x%08llx, its factory boot address): ", core,
             (unsigned long long)at);
    l->second_table = name;
    l->core = second;
    if (l->vt.present && !(erased_word(l, l->vt.word[0]) && erased_word(l, l->vt.word[1]))) {
        stack_pointer(l);
        reset_vector(l);
        handlers(l);
    }
    l->second_table = NULL;
    l->core = main_core;
    l->vt = main_vt;
}

static void app_offset(struct lint *l)
{
    uint64_t secure_boot;
    if (!l->flash || l->vt.addr == l->flash->base || (l->cfg && l->cfg->has_vtor) || at_second_core_boot(l) ||
        fw_image_find(l->img, l->flash->base) >= 0 ||
        (lint_secure_flash_base(l, &secure_boot) && l->vt.addr == secure_boot))
        return;
    if (lint_secure_flash_base(l, &secure_boot) && lint_image_is_nonsecure(l)) {
        fw_location loc = lint_where(l, l->vt.addr);
        lint_emit(l, "VEC-APP-OFFSET", &loc,
                  "a non-secure image with its vector table at 0x%08llx: the secure image starts it (it sets "
                  "VTOR_NS to this address and jumps to its reset handler)",
                  (unsigned long long)l->vt.addr);
        return;
    }
    fw_location loc = lint_where(l, l->vt.addr);
    fw_diagnostic *e = lint_emit(l, "VEC-APP-OFFSET", &loc,
                                 "the image starts at 0x%08llx, 0x%llx into flash, and holds nothing at the flash base "
                                 "0x%08llx: it runs only behind a bootloader that sets VTOR",
                                 (unsigned long long)l->vt.addr, (unsigned long long)(l->vt.addr - l->flash->base),
                                 (unsigned long long)l->flash->base);
    fw_diagnostic_set_hint(e, "expected for an application slot; flashed alone, the chip will not start it");
}

/* The symbol an ELF's entry point names (a function at that Thumb address). */
static const char *entry_symbol(const struct lint *l, uint64_t addr)
{
    for (size_t i = 0; l->elf && i < l->elf->nsymbols; i++) {
        const fw_elf_symbol *s = &l->elf->symbols[i];
        if ((s->value & ~1ull) == (addr & ~1ull) && s->type == 2 /* STT_FUNC */ && s->name[0])
            return s->name;
    }
    return NULL;
}

static void entry_mismatch(struct lint *l)
{
    const fw_start *s = fw_image_start(l->img);
    if (s->kind == FW_START_NONE || (l->elf && l->elf->type != 2 /* ET_EXEC */))
        return;
    uint32_t reset = l->vt.word[1];
    if ((s->addr & ~1ull) == (reset & ~1u))
        return;
    fw_location loc = {.file = l->path};
    const char *sym = entry_symbol(l, s->addr);
    /* armlink starts at the C library's __main (scatter-loading, then
     * main), IAR at __iar_program_start: their start address differs from
     * the reset vector by design (Arm Compiler armlink "--entry"; IAR ILINK
     * "--entry"). A HEX or S-record does not say who made it; a start in
     * the image's own code is that convention, and worth no more than a note. */
    bool by_design = l->toolchain == LINT_TC_ARMLINK || l->toolchain == LINT_TC_IAR ||
                     (sym && (!strcmp(sym, "__main") || !strcmp(sym, "__iar_program_start") || !strcmp(sym, "__cmain")));
    bool in_code = (s->addr & 1) && fw_image_find(l->img, s->addr & ~1ull) >= 0;
    char what[96];
    snprintf(what, sizeof(what), "%s%s%s", l->elf ? "ELF entry" : "start record", sym ? ", " : "", sym ? sym : "");
    if (by_design || (!l->elf && in_code)) {
        lint_emit_as(
            l, FW_NOTE, "ENTRY-MISMATCH", &loc,
            "the start address 0x%08llx (%s) is not the reset vector 0x%08x: %s; a power-on reset runs the reset "
            "handler, a debugger or loader that jumps to the start address skips it (and SystemInit)",
            (unsigned long long)s->addr, what, reset,
            by_design ? (l->toolchain == LINT_TC_IAR ? "IAR ILINK starts at __iar_program_start by design"
                                                     : l->toolchain == LINT_TC_ARMLINK
                                                         ? "armlink starts at the C library's __main by design"
                                                         : "the toolchain starts at its C library entry by design")
                      : "armlink (__main) and IAR (__iar_program_start) builds start at their C library entry by "
                        "design");
        return;
    }
    fw_diagnostic *e = lint_emit(l, "ENTRY-MISMATCH", &loc,
                                 "the start address 0x%08llx (%s) differs from the reset vector 0x%08x: a debugger "
                                 "starts at the first, a power-on reset at the second",
                                 (unsigned long long)s->addr, what, reset);
    if (l->toolchain == LINT_TC_GNU || l->toolchain == LINT_TC_LLD)
        fw_diagnostic_set_hint(e, "set ENTRY(Reset_Handler) in the linker script");
    else
        fw_diagnostic_set_hint(e, "make the reset handler the program's entry point (ENTRY() for GNU ld and lld, "
                                  "--entry for armlink and ILINK)");
}

static void vendor_checksum(struct lint *l)
{
    if (!l->in->target || !l->in->target->checksum || l->vt.nwords < 8)
        return;
    uint32_t sum = 0;
    for (int i = 0; i < 8; i++)
        sum += l->vt.word[i];
    if (sum) {
        fw_location loc = lint_where(l, l->vt.addr + 28);
        fw_diagnostic *e = lint_emit(l, "VEC-CHECKSUM", &loc,
                                     "the first 8 vectors sum to 0x%08x, not 0: the boot ROM will not start this code "
                                     "(vector 7 should be 0x%08x)",
                                     sum, l->vt.word[7] - sum);
        fw_diagnostic_set_hint(e, "let the flasher or a post-link step write the checksum into vector 7");
    }
}

static void riscv_boot(struct lint *l)
{
    const fw_target *t = l->in->target;
    if (!t)
        return;
    uint32_t w;
    if (t->has_reset_address) {
        fw_location loc = lint_where(l, t->reset_address);
        if (!lint_word(l, t->reset_address, &w))
            lint_emit(l, "RV-RESET", &loc, "no code at the reset address 0x%08llx of %s",
                      (unsigned long long)t->reset_address, t->name);
        else if (erased_word(l, w))
            lint_emit(l, "RV-RESET", &loc, "the reset address 0x%08llx holds the erased value 0x%08x",
                      (unsigned long long)t->reset_address, w);
    }
    static const char *names[] = {"trap_vector", "_trap_vector", "__trap_vector", "trap_entry", "_trap_entry",
                                  "vector_table", "_vector_table", "__vector_table", "__vectors", "_vectors"};
    uint32_t align = t->trap_align ? t->trap_align : 4;
    for (size_t i = 0; l->elf && i < sizeof(names) / sizeof(names[0]); i++) {
        const fw_elf_symbol *s = fw_elf_symbol_named(l->elf, names[i]);
        if (s && s->value % align) {
            fw_location loc = {.file = l->path, .section = names[i]};
            lint_emit(l, "RV-TRAP-ALIGN", &loc, "%s is at 0x%08llx, not aligned to %u bytes as mtvec needs", names[i],
                      (unsigned long long)s->value, align);
        }
    }
}

void lint_vector_rules(struct lint *l)
{
    if (l->riscv) {
        riscv_boot(l);
        return;
    }
    if (!l->arm || fw_image_is_empty(l->img))
        return;
    if (!l->vt.present) {
        if (l->ram_resident && !(l->cfg && l->cfg->ram_load))
            return; /* PLACE-RAM-LOAD said what this image is */
        fw_location loc = {.file = l->path};
        /* the boot address, or (an application after a bootloader) where its data in flash starts */
        bool boot = !l->flash || l->vt.addr == l->flash->base;
        char where[96];
        snprintf(where, sizeof(where), boot ? "where %s boots" : "the start of the image's data in flash",
                 l->t && l->in->target ? l->t->name : "the core");
        fw_diagnostic *e = lint_emit(l, "VEC-MISSING", &loc, "no vector table at 0x%08llx, %s: the image holds %s there",
                                     (unsigned long long)l->vt.addr, where,
                                     l->vt.nwords ? "less than its first two words" : "no data");
        if (boot)
            fw_diagnostic_set_hint(e, "the chip will not start this program; %s", lint_hint_vectors_first(l));
        else
            fw_diagnostic_set_hint(e, "an application started by a bootloader begins with its own vector table: %s",
                                   lint_hint_vectors_first(l));
        return;
    }
    if (erased_word(l, l->vt.word[0]) && erased_word(l, l->vt.word[1])) {
        fw_location loc = lint_where(l, l->vt.addr);
        lint_emit(l, "VEC-MISSING", &loc, "the vector table at 0x%08llx holds the erased value 0x%08x",
                  (unsigned long long)l->vt.addr, l->vt.word[0]);
        return;
    }
    stack_pointer(l);
    reset_vector(l);
    handlers(l);
    alignment(l);
    app_offset(l);
    entry_mismatch(l);
    vendor_checksum(l);
    second_core_vectors(l);
}
