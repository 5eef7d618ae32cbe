/* SPDX-License-Identifier: MIT */
/* I. the linker script and the sections it produced. */
#include "lint_internal.h"

#include <stdio.h>
#include <string.h>

#define SHF_WRITE 1
#define SHF_ALLOC 2
#define SHT_PROGBITS 1
#define SHT_NOBITS 8

static bool is_ram_kind(fw_region_kind k)
{
    return k == FW_REGION_RAM || k == FW_REGION_CCM || k == FW_REGION_TCM || k == FW_REGION_ALIAS;
}

/* .data loads past the end of flash because the image does not fit: the
 * finding is the overflow, by how much, with the biggest sections. */
static bool overflow(struct lint *l, const fw_elf_section *data, fw_location *loc)
{
    uint64_t lo, end;
    if (!l->flash || !fw_target_flash_span(l->t, &lo, &end) || data->lma < end || data->lma - end > (16u << 20))
        return false;
    const fw_elf_info *e = l->elf;
    uint64_t top = 0;
    const fw_elf_section *big[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < e->nsections; i++) {
        const fw_elf_section *s = &e->sections[i];
        if (!(s->flags & SHF_ALLOC) || s->type == SHT_NOBITS || !s->size || s->lma < lo)
            continue;
        top = s->lma + s->size > top ? s->lma + s->size : top;
        for (int k = 0; k < 3; k++)
            if (!big[k] || s->size > big[k]->size) {
                for (int m = 2; m > k; m--)
                    big[m] = big[m - 1];
                big[k] = s;
                break;
            }
    }
    if (top <= end)
        return false;
    char b[32], c[32], list[192] = "";
    size_t n = 0;
    for (int k = 0; k < 3 && big[k]; k++)
        n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s %s", k ? ", " : "", big[k]->name,
                              lint_size(big[k]->size, b));
    fw_diagnostic *d = lint_emit(l, "LD-DATA-LMA", loc,
                                 "the image is %llu bytes bigger than %s's flash (%s): its load bytes end at "
                                 "0x%08llx, so %s's initial values at 0x%08llx fall past the flash; the largest "
                                 "sections: %s",
                                 (unsigned long long)(top - end), l->t->name, lint_size(end - lo, c),
                                 (unsigned long long)(top - 1), data->name, (unsigned long long)data->lma, list);
    fw_diagnostic_set_hint(d, "make the program smaller (-Os, --gc-sections, fewer libraries) or pick a part with "
                              "more flash; %s must say the part's real flash size",
                           lint_hint_memory(l));
    return true;
}

static void data_lma(struct lint *l)
{
    const fw_elf_info *e = l->elf;
    for (size_t i = 0; i < e->nsections; i++) {
        const fw_elf_section *s = &e->sections[i];
        if (s->type != SHT_PROGBITS || (s->flags & (SHF_WRITE | SHF_ALLOC)) != (SHF_WRITE | SHF_ALLOC) || !s->size)
            continue;
        const fw_region *vr = lint_memory_at(l, s->vma);
        if (!vr || !is_ram_kind(vr->kind))
            continue;
        const fw_region *lr = lint_memory_at(l, s->lma);
        fw_location loc = {.file = l->path, .section = s->name};
        if (s->lma != s->vma && !lr && overflow(l, s, &loc))
            continue;
        if (s->lma == s->vma || !lr || lr->kind != FW_REGION_FLASH) {
            fw_diagnostic *d = lint_emit(l, "LD-DATA-LMA", &loc,
                                         "section %s runs at 0x%08llx in RAM (%s) but loads from 0x%08llx%s: its "
                                         "initial values are not in flash",
                                         s->name, (unsigned long long)s->vma, vr->name, (unsigned long long)s->lma,
                                         s->lma == s->vma ? " (the same address)" : lr ? " outside flash" : "");
            fw_diagnostic_set_hint(d, "place it with '> RAM AT> FLASH' and copy it from LOADADDR(%s) at start-up",
                                   s->name);
            continue;
        }
        const fw_elf_symbol *sidata = fw_elf_symbol_named(e, "_sidata");
        if (!strcmp(s->name, ".data") && sidata && sidata->value != s->lma) {
            fw_diagnostic *d = lint_emit(l, "LD-DATA-LMA", &loc,
                                         "_sidata is 0x%08llx but .data loads from 0x%08llx: the start-up copies the "
                                         "wrong bytes into RAM",
                                         (unsigned long long)sidata->value, (unsigned long long)s->lma);
            fw_diagnostic_set_hint(d, "define _sidata = LOADADDR(.data)");
        }
    }
}

static bool in_loaded_bytes(const fw_elf_info *e, const fw_elf_section *s)
{
    for (size_t i = 0; i < e->nsegments; i++) {
        const fw_elf_segment *p = &e->segments[i];
        if (p->type == 1 && p->filesz && s->offset >= p->offset && s->offset < p->offset + p->filesz)
            return true;
    }
    return false;
}

static void bss_load(struct lint *l)
{
    static const char *names[] = {".bss", ".sbss", ".noinit", ".heap", ".stack", "._user_heap_stack", "COMMON"};
    const fw_elf_info *e = l->elf;
    for (size_t i = 0; i < e->nsections; i++) {
        const fw_elf_section *s = &e->sections[i];
        if (s->type == SHT_NOBITS || !(s->flags & SHF_ALLOC) || !s->size || !in_loaded_bytes(e, s))
            continue;
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
            size_t n = strlen(names[k]);
            if (strncmp(s->name, names[k], n) || (s->name[n] && s->name[n] != '.'))
                continue;
            fw_location loc = {.file = l->path, .section = s->name};
            fw_diagnostic *d = lint_emit(l, "LD-BSS-LOAD", &loc,
                                         "section %s (%llu bytes) has file contents, so the image carries (and a "
                                         "flasher writes) bytes that should only be reserved",
                                         s->name, (unsigned long long)s->size);
            fw_diagnostic_set_hint(d, "mark it (NOLOAD) in the linker script, or make it @nobits");
            break;
        }
    }
}

static void zero_regions(struct lint *l)
{
    const fw_ld_script *ld = l->in->ld;
    char names[256] = "";
    size_t used = 0, n = 0;
    const fw_ld_region *first = NULL;
    for (size_t i = 0; i < ld->nregions; i++) {
        const fw_ld_region *r = &ld->regions[i];
        if (!r->known)
            continue;
        if (!r->length) {
            if (!first)
                first = r;
            n++;
            if (used + strlen(r->name) + 3 < sizeof(names))
                used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", r->name);
            /* a section placed in it could only be there by mistake */
            for (size_t k = 0; l->elf && k < l->elf->nsections; k++) {
                const fw_elf_section *s = &l->elf->sections[k];
                if ((s->flags & SHF_ALLOC) && s->size && (s->vma == r->origin || s->lma == r->origin) &&
                    !lint_ld_region_at(l, s->vma)) {
                    fw_location loc = lint_ld_where(r);
                    lint_emit_as(l, FW_ERROR, "LD-ZERO-REGION", &loc, "section %s sits in the zero-length region %s",
                                 s->name, r->name);
                }
            }
            continue;
        }
        for (size_t k = 0; k < i; k++) {
            const fw_ld_region *q = &ld->regions[k];
            if (!q->known || !q->length)
                continue;
            if (r->origin < q->origin + q->length && q->origin < r->origin + r->length) {
                fw_location loc = lint_ld_where(r);
                lint_emit_as(l, FW_ERROR, "LD-ZERO-REGION", &loc, "MEMORY region %s overlaps %s (%s:%llu)", r->name,
                             q->name, q->where.file, (unsigned long long)q->where.line);
            }
        }
    }
    if (first) {
        fw_location loc = lint_ld_where(first);
        lint_emit(l, "LD-ZERO-REGION", &loc,
                  "%zu zero-length MEMORY region%s (%s): harmless, nothing can be placed there", n, n > 1 ? "s" : "",
                  names);
    }
}

static void map_vs_device(struct lint *l)
{
    const fw_target *t = l->in->target;
    const fw_ld_script *ld = l->in->ld;
    char a[32], b[32];
    for (size_t i = 0; i < ld->nregions; i++) {
        const fw_ld_region *r = &ld->regions[i];
        if (!r->known || !r->length)
            continue;
        bool flash = lint_ld_flash_like(r);
        const fw_region *dev = fw_target_region_at(t, r->origin);
        fw_location at_origin = {.file = r->origin_at.file, .line = r->origin_at.line, .column = r->origin_at.column};
        fw_location at_length = {.file = r->length_at.file, .line = r->length_at.line, .column = r->length_at.column};
        const fw_region *want = fw_target_region_of_kind(t, flash ? FW_REGION_FLASH : FW_REGION_RAM);
        bool kind_ok = dev && (flash ? dev->kind == FW_REGION_FLASH : is_ram_kind(dev->kind));
        if (!kind_ok) {
            fw_diagnostic *d = lint_emit(l, "LD-MAP-VS-DEVICE", &at_origin,
                                         "%s ORIGIN 0x%08llx is %s%s, not the device %s (0x%08llx on %s)", r->name,
                                         (unsigned long long)r->origin,
                                         dev ? (dev->kind == FW_REGION_BOOT_ALIAS ? "in the boot alias " : "in ") : "outside every memory",
                                         dev ? dev->name : "", flash ? "flash" : "RAM",
                                         (unsigned long long)(want ? want->base : 0), t->name);
            if (want)
                fw_diagnostic_set_hint(d, "set %s ORIGIN = 0x%08llx", r->name, (unsigned long long)want->base);
            continue;
        }
        /* the region may run on into a contiguous neighbour of the same kind (dual banks, SRAM1+SRAM2) */
        uint64_t end = dev->base + dev->size;
        for (const fw_region *next; (next = fw_target_region_at(t, end)) && next->kind == dev->kind;)
            end = next->base + next->size;
        if (r->origin + r->length > end) {
            fw_diagnostic *d = lint_emit(l, "LD-MAP-VS-DEVICE", &at_length,
                                         "%s LENGTH %s runs to 0x%08llx, past the end of %s's %s (%s, ends 0x%08llx)",
                                         r->name, lint_size(r->length, a), (unsigned long long)(r->origin + r->length - 1),
                                         t->name, dev->name, lint_size(end - dev->base, b), (unsigned long long)(end - 1));
            fw_diagnostic_set_hint(d, "the script describes a bigger part: set LENGTH = %s", lint_size(end - r->origin, a));
        }
    }
    const fw_ld_symbol *stack = fw_ld_symbol_named(ld, "_estack");
    if (stack && stack->known) {
        const fw_region *r = lint_memory_at(l, stack->value - 1);
        if (!r || !is_ram_kind(r->kind)) {
            fw_location loc = {.file = stack->where.file, .line = stack->where.line, .column = stack->where.column};
            lint_emit(l, "LD-MAP-VS-DEVICE", &loc, "_estack = 0x%08llx is not the end of RAM on %s",
                      (unsigned long long)stack->value, t->name);
        }
    }
}

void lint_ld_rules(struct lint *l)
{
    if (l->elf && l->t) {
        data_lma(l);
        bss_load(l);
    }
    if (!l->in->ld)
        return;
    zero_regions(l);
    if (l->in->target)
        map_vs_device(l);
}
