/* SPDX-License-Identifier: MIT */
/* TrustZone (Armv8-M security extension) on L5, U5, H5, WBA, U3: which side
 * an image is for, and PLACE-TZ. The IDAU shows flash twice, non-secure at
 * 0x08000000 and secure at 0x0C000000 (the database's secure-alias regions);
 * the secure image exports entry points through SG veneers that must sit in
 * a non-secure-callable (NSC) part of secure flash (Armv8-M ARM DDI 0553,
 * "Security attribution"; the GNU toolchain puts them in .gnu.sgstubs with
 * -mcmse, and writes the non-secure side an import library of absolute
 * symbols at their addresses). */
#include "lint_internal.h"

#include <stdio.h>
#include <string.h>

#define SHN_ABS 0xfff1
#define STT_FUNC 2

bool lint_image_is_secure(const struct lint *l)
{
    const fw_elf_info *e = l->elf;
    if (!e)
        return false;
    if (fw_elf_section_named(e, ".gnu.sgstubs"))
        return true;
    for (size_t i = 0; i < e->nsymbols; i++)
        if (!strncmp(e->symbols[i].name, "__acle_se_", 10))
            return true;
    return false;
}

/* The first secure entry point a non-secure ELF calls: an absolute function
 * symbol (from the CMSE import library) in the secure alias. */
static const fw_elf_symbol *secure_import(const struct lint *l)
{
    const fw_elf_info *e = l->elf;
    for (size_t i = 0; e && i < e->nsymbols; i++) {
        const fw_elf_symbol *s = &e->symbols[i];
        if (s->shndx == SHN_ABS && s->type == STT_FUNC && lint_is_secure(l, s->value & ~1ull))
            return s;
    }
    return NULL;
}

bool lint_image_is_nonsecure(const struct lint *l)
{
    return !lint_image_is_secure(l) && secure_import(l) != NULL;
}

static void nonsecure_in_secure_alias(struct lint *l)
{
    const fw_elf_symbol *imp = secure_import(l);
    if (!imp || lint_image_is_secure(l))
        return;
    for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
        const fw_chunk *c = fw_image_chunk(l->img, i);
        if (!lint_is_secure(l, c->addr))
            continue;
        fw_location loc = lint_where(l, c->addr);
        fw_diagnostic *d = lint_emit(l, "PLACE-TZ", &loc,
                                     "a non-secure image (it calls the secure entry %s at 0x%08llx) has data at "
                                     "0x%08llx in the secure alias: the non-secure core cannot run it there",
                                     imp->name, (unsigned long long)imp->value, (unsigned long long)c->addr);
        fw_diagnostic_set_hint(d, "link the non-secure image in non-secure flash (0x08000000 + its offset): %s",
                               lint_hint_memory(l));
        fw_diagnostic_set_range(d, c->addr, c->addr + c->len);
        return;
    }
}

/* The NSC region of a linker script: a MEMORY region named like it. */
static const fw_ld_region *nsc_region(const struct lint *l)
{
    const fw_ld_script *ld = l->in->ld;
    for (size_t i = 0; ld && i < ld->nregions; i++)
        if (ld->regions[i].known && ld->regions[i].length && strstr(ld->regions[i].name, "NSC"))
            return &ld->regions[i];
    return NULL;
}

static void veneers(struct lint *l)
{
    const fw_elf_section *s = l->elf ? fw_elf_section_named(l->elf, ".gnu.sgstubs") : NULL;
    if (!s || !s->size)
        return;
    fw_location loc = {.file = l->path, .section = s->name};
    if (!lint_is_secure(l, s->lma)) {
        fw_diagnostic *d = lint_emit(l, "PLACE-TZ", &loc,
                                     "the secure gateway veneers (.gnu.sgstubs, 0x%08llx-0x%08llx) are not in "
                                     "secure flash: a non-secure call to them faults (SecureFault)",
                                     (unsigned long long)s->lma, (unsigned long long)(s->lma + s->size - 1));
        fw_diagnostic_set_hint(d, "place .gnu.sgstubs in the secure flash alias, in the region the secure image "
                                  "marks non-secure-callable");
        return;
    }
    const fw_ld_region *nsc = nsc_region(l);
    if (nsc && (s->lma < nsc->origin || s->lma + s->size > nsc->origin + nsc->length)) {
        fw_diagnostic *d = lint_emit(l, "PLACE-TZ", &loc,
                                     "the secure gateway veneers (.gnu.sgstubs, 0x%08llx-0x%08llx) lie outside the "
                                     "non-secure-callable region %s (0x%08llx-0x%08llx): a non-secure call to them "
                                     "faults (SecureFault)",
                                     (unsigned long long)s->lma, (unsigned long long)(s->lma + s->size - 1), nsc->name,
                                     (unsigned long long)nsc->origin,
                                     (unsigned long long)(nsc->origin + nsc->length - 1));
        fw_location at = lint_ld_where(nsc);
        fw_diagnostic_set_related(d, &at);
        fw_diagnostic_set_hint(d, "place .gnu.sgstubs in %s ('> %s')", nsc->name, nsc->name);
    }
}

/* A secure and a non-secure piece (one merged image) on the same flash bytes. */
static void sides_overlap(struct lint *l)
{
    size_t n = fw_image_chunk_count(l->img);
    for (size_t i = 0; i < n; i++) {
        const fw_chunk *s = fw_image_chunk(l->img, i);
        const fw_region *shown = lint_memory_at(l, s->addr);
        if (!lint_is_secure(l, s->addr) || !shown || shown->kind != FW_REGION_FLASH)
            continue;
        uint64_t plo = lint_nonsecure_address(l, s->addr), pend = plo + s->len;
        for (size_t k = 0; k < n; k++) {
            const fw_chunk *o = fw_image_chunk(l->img, k);
            uint64_t lo = o->addr > plo ? o->addr : plo, end = o->addr + o->len < pend ? o->addr + o->len : pend;
            if (lo >= end)
                continue;
            fw_location loc = lint_where(l, lo);
            fw_diagnostic *d = lint_emit(
                l, "PLACE-TZ", &loc,
                "secure data at 0x%08llx-0x%08llx and non-secure data at 0x%08llx-0x%08llx are the same flash "
                "(%s): one image overwrites the other",
                (unsigned long long)(s->addr + (lo - plo)), (unsigned long long)(s->addr + (end - 1 - plo)),
                (unsigned long long)lo, (unsigned long long)(end - 1), shown->name);
            fw_diagnostic_set_hint(d, "give the secure and the non-secure image separate parts of flash (the "
                                      "secure watermark SECWM splits them)");
            fw_diagnostic_set_range(d, lo, end);
            return;
        }
    }
}

void lint_trustzone_rules(struct lint *l)
{
    uint64_t secure_base;
    if (!l->t || !lint_secure_flash_base(l, &secure_base))
        return;
    nonsecure_in_secure_alias(l);
    veneers(l);
    sides_overlap(l);
}
