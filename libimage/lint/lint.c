/* SPDX-License-Identifier: MIT */
/* The rule catalogue, the configuration, and one lint run. */
#include "lint_internal.h"
#include "fwkit/bytes.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const fw_lint_rule catalogue[] = {
    /* A. container / format integrity (checked while reading) */
    {"FMT-KIND-MISMATCH", FW_ERROR, "the content is not the format the file name says"},
    {"FMT-HEX-SYNTAX", FW_ERROR, "an Intel HEX record is malformed (character, length, type, checksum)"},
    {"FMT-HEX-EOF", FW_ERROR, "the end-of-file record is missing, or text follows it"},
    {"FMT-HEX-ADDR-RECORDS", FW_WARNING,
     "segment (type 02/03) records in an image for a 32-bit part, or misused address records"},
    {"FMT-HEX-64K-CROSS", FW_WARNING, "a data record crosses a 64 KiB segment boundary"},
    {"FMT-OVERLAP", FW_ERROR, "two records give the same address (error when the bytes differ)"},
    {"FMT-SREC", FW_ERROR, "an S-record is malformed, or its count or termination is wrong"},
    {"FMT-TEXT-ENCODING", FW_WARNING, "byte order mark, comment lines or other text-encoding trouble"},
    /* B. empty / nothing loadable */
    {"IMG-EMPTY", FW_ERROR, "the image holds no data"},
    {"ELF-DEBUG-ONLY", FW_ERROR, "the ELF has no loadable bytes (a debug-only companion)"},
    {"IMG-TINY", FW_WARNING, "less data than a vector table"},
    {"IMG-FOREIGN", FW_ERROR,
     "code for another architecture (RISC-V, AVR, 8051, ARM7, 8-bit parts) given a Cortex-M part"},
    /* C. placement against the memory map */
    {"PLACE-UNMAPPED", FW_ERROR, "data where the device has no programmable memory"},
    {"PLACE-BOOT-ALIAS", FW_ERROR, "data in the boot alias window instead of at the real flash address"},
    {"PLACE-RAM-LOAD", FW_ERROR, "loadable data in RAM (a section without a load address in flash)"},
    {"PLACE-EXCEEDS-FLASH", FW_ERROR, "data past the end of this part's flash"},
    {"PLACE-UNDOCUMENTED-FLASH", FW_WARNING, "data in flash the part's datasheet does not promise (--flash-size)"},
    {"PLACE-CPU2-AREA", FW_WARNING,
     "data where an STM32WB from the factory keeps CPU2's FUS (no debugger writes there)"},
    {"PLACE-PROTECTED", FW_ERROR, "data in option bytes, OTP or system memory"},
    {"PLACE-SECURITY-WORD", FW_ERROR, "a device lock word (LPC CRP, Kinetis FSEC) has a dangerous value"},
    {"PLACE-EEPROM", FW_WARNING, "data in data EEPROM, which many flashers do not program"},
    {"PLACE-GAP-BIN", FW_WARNING, "data so far apart that a raw binary would be mostly fill"},
    {"PLACE-SLOT", FW_ERROR, "data outside the application slot"},
    {"PLACE-TZ", FW_ERROR,
     "TrustZone: a non-secure image in the secure alias, veneers outside secure flash or the "
     "non-secure-callable region, secure and non-secure data on the same flash"},
    /* D. Cortex-M boot / vector table */
    {"VEC-MISSING", FW_ERROR, "no vector table at the boot address"},
    {"VEC-SP", FW_ERROR, "the initial stack pointer is not the top of usable RAM, or misaligned"},
    {"VEC-RESET", FW_ERROR, "the reset vector is not a Thumb address of loaded code"},
    {"VEC-HANDLERS", FW_WARNING, "exception vectors that are not Thumb addresses of code, or reserved slots not 0"},
    {"VEC-ALIGN", FW_ERROR, "the vector table is not aligned as VTOR needs"},
    {"VEC-APP-OFFSET", FW_NOTE, "the image starts after the flash base and nothing sits at the base"},
    {"ENTRY-MISMATCH", FW_WARNING, "the start address differs from the reset vector"},
    {"VEC-CHECKSUM", FW_ERROR, "the vendor boot ROM's vector checksum is wrong"},
    /* E. RISC-V boot */
    {"RV-RESET", FW_ERROR, "no code at the RISC-V reset address"},
    {"RV-TRAP-ALIGN", FW_WARNING, "the trap vector is not aligned as the core needs"},
    /* F. architecture / ABI */
    {"ELF-TARGET", FW_ERROR, "ELF class, byte order, machine or type do not fit the part"},
    {"ARM-STATE", FW_ERROR, "ARM-state code in a Cortex-M image"},
    {"ARM-ARCH-LEVEL", FW_ERROR, "code built for a higher architecture than the core"},
    {"ARM-FLOAT-ABI", FW_ERROR, "hardware floating point on a part without (double-precision) FPU"},
    {"RV-ISA", FW_ERROR, "RISC-V ISA flags the core does not have"},
    /* G. programmer compatibility */
    {"GRAN-WRITE", FW_NOTE,
     "data that starts or shares a flash write unit mid-unit (programmers pad; a record-by-record bootloader may not)"},
    {"GRAN-PAD", FW_NOTE, "the part's erased value, for padding and for reading back blank flash"},
    /* H. cross-artifact consistency */
    {"ART-STALE", FW_WARNING, "a HEX/BIN/S-record does not hold the ELF's data (stale file)"},
    {"ART-BIN-BASE", FW_WARNING,
     "a raw binary without a base, or at a base its vector table and pointers contradict (an error at fwflash)"},
    {"ART-HEX-WRITER", FW_WARNING, "a HEX differs from its ELF in a way a buggy writer would cause"},
    /* I. linker script / sections */
    {"LD-DATA-LMA", FW_ERROR, "initialised RAM data without a load address in flash"},
    {"LD-BSS-LOAD", FW_WARNING, "zero-initialised or no-init sections with file bytes"},
    {"LD-ZERO-REGION", FW_NOTE, "zero-length MEMORY regions (harmless unless used), overlapping regions"},
    {"LD-MAP-VS-DEVICE", FW_ERROR, "the linker script's MEMORY does not fit the device"},
};

#define NRULES (sizeof(catalogue) / sizeof(catalogue[0]))

size_t fw_lint_rule_count(void)
{
    return NRULES;
}

const fw_lint_rule *fw_lint_rule_at(size_t i)
{
    return i < NRULES ? &catalogue[i] : NULL;
}

int fw_lint_rule_index(const char *id)
{
    for (size_t i = 0; i < NRULES; i++)
        if (!strcasecmp(catalogue[i].id, id))
            return (int)i;
    return -1;
}

fw_lint_config *fw_lint_config_new(void)
{
    fw_lint_config *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->state = calloc(NRULES, sizeof(*c->state));
    c->raised = calloc(NRULES, sizeof(*c->raised));
    if (!c->state || !c->raised) {
        fw_lint_config_free(c);
        return NULL;
    }
    return c;
}

void fw_lint_config_free(fw_lint_config *c)
{
    if (!c)
        return;
    free(c->state);
    free(c->raised);
    free(c);
}

/* Rules matching an id, a group prefix ending in '-' ("VEC-"), or "all". */
static bool matches(const char *pattern, const char *id)
{
    size_t n = strlen(pattern);
    if (!strcasecmp(pattern, "all"))
        return true;
    if (n && pattern[n - 1] == '-')
        return !strncasecmp(pattern, id, n);
    return !strcasecmp(pattern, id);
}

bool fw_lint_config_enable(fw_lint_config *c, const char *rule, bool on)
{
    bool any = false;
    for (size_t i = 0; i < NRULES; i++)
        if (matches(rule, catalogue[i].id)) {
            c->state[i] = on ? 1 : -1;
            any = true;
        }
    return any;
}

bool fw_lint_config_raise(fw_lint_config *c, const char *rule)
{
    bool any = false;
    for (size_t i = 0; i < NRULES; i++)
        if (matches(rule, catalogue[i].id)) {
            c->raised[i] = true;
            c->state[i] = 1;
            any = true;
        }
    return any;
}

void fw_lint_config_ram_load(fw_lint_config *c, bool on) { c->ram_load = on; }
void fw_lint_config_allow_config(fw_lint_config *c, bool on) { c->allow_config = on; }

void fw_lint_config_vtor(fw_lint_config *c, uint64_t addr)
{
    c->has_vtor = true;
    c->vtor = addr;
}

void fw_lint_config_slot(fw_lint_config *c, uint64_t lo, uint64_t end)
{
    c->has_slot = true;
    c->slot_lo = lo;
    c->slot_end = end;
}

/* --- helpers for the rules --- */

static bool rule_state(const struct lint *l, const char *rule, fw_severity *sev)
{
    int i = fw_lint_rule_index(rule);
    if (i < 0)
        return true; /* reader findings outside the catalogue (I/O, ELF) always count */
    if (l->cfg && l->cfg->state[i] < 0)
        return false;
    if (l->cfg && l->cfg->raised[i])
        *sev = FW_ERROR;
    return true;
}

static fw_diagnostic *emit_v(struct lint *l, int sev_override, const char *rule, const fw_location *loc,
                             const char *fmt, va_list ap)
{
    int i = fw_lint_rule_index(rule);
    fw_severity sev = sev_override >= 0 ? (fw_severity)sev_override : i >= 0 ? catalogue[i].severity : FW_ERROR;
    if (!rule_state(l, rule, &sev))
        return NULL;
    return fw_diag_vadd(l->out, sev, i >= 0 ? catalogue[i].id : rule, loc, fmt, ap);
}

fw_diagnostic *lint_emit(struct lint *l, const char *rule, const fw_location *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fw_diagnostic *e = emit_v(l, -1, rule, loc, fmt, ap);
    va_end(ap);
    return e;
}

fw_diagnostic *lint_emit_as(struct lint *l, fw_severity sev, const char *rule, const fw_location *loc,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fw_diagnostic *e = emit_v(l, (int)sev, rule, loc, fmt, ap);
    va_end(ap);
    return e;
}

fw_location lint_where(const struct lint *l, uint64_t addr)
{
    fw_location loc = {.file = l->path};
    if (!fw_image_location_at(l->img, addr, &loc))
        loc.file = l->path;
    return loc;
}

fw_location lint_ld_where(const fw_ld_region *r)
{
    fw_location loc = {.file = r->where.file, .line = r->where.line, .column = r->where.column};
    return loc;
}

const fw_ld_region *lint_ld_region_at(const struct lint *l, uint64_t addr)
{
    const fw_ld_script *ld = l->in->ld;
    for (size_t i = 0; ld && i < ld->nregions; i++) {
        const fw_ld_region *r = &ld->regions[i];
        if (r->known && r->length && addr >= r->origin && addr - r->origin < r->length)
            return r;
    }
    return NULL;
}

const fw_region *lint_memory_at(const struct lint *l, uint64_t addr)
{
    const fw_region *r = l->t ? fw_target_region_at(l->t, addr) : NULL;
    if (r && r->core && l->core && strcmp(r->core, l->core))
        return NULL; /* the other core's view */
    return l->t ? fw_target_region_shown(l->t, r) : NULL;
}

/* The core of a dual-core part ("cortex-m7,cortex-m4") an image is for:
 * the one asked for, else what the image says: Armv6-M code is the M0+'s
 * (WL5x CPU2), FPv5 the M7's and VFPv4 the M4's (H745/H747: Tag_FP_arch 8
 * and 6 in the build attributes, Arm IHI 0045), a stack in one core's own
 * view of RAM that core's. NULL when the part has one core or nothing
 * tells. */
static const char *image_core(const struct lint *l)
{
    const fw_target *t = l->in->target;
    if (l->in->core)
        return l->in->core;
    if (!t || !t->core || !strchr(t->core, ','))
        return NULL;
    bool m0 = fw_target_has_core(t, "cortex-m0+"), m7 = fw_target_has_core(t, "cortex-m7"),
         m4 = fw_target_has_core(t, "cortex-m4");
    if (l->elf) {
        int arch = l->elf->attributes.cpu_arch, fp = l->elf->attributes.fp_arch;
        if (m0 && (arch == 11 || arch == 12))
            return "cortex-m0+";
        if (m7 && fp == 8)
            return "cortex-m7";
        if (m4 && (fp == 5 || fp == 6))
            return "cortex-m4";
        if (m4 && m0 && arch == 13)
            return "cortex-m4";
    }
    if (l->vt.present) {
        const fw_region *r = fw_target_region_at(t, (uint64_t)l->vt.word[0] - 1);
        if (r && r->core)
            return r->core;
    }
    return NULL;
}

uint64_t lint_nonsecure_address(const struct lint *l, uint64_t addr)
{
    const fw_region *w = l->t ? fw_target_region_at(l->t, addr) : NULL;
    const fw_region *shown = l->t ? fw_target_region_shown(l->t, w) : NULL;
    return w && shown != w ? addr - w->base + shown->base : addr;
}

bool lint_is_secure(const struct lint *l, uint64_t addr)
{
    const fw_region *r = l->t ? fw_target_region_at(l->t, addr) : NULL;
    return r && r->kind == FW_REGION_SECURE_ALIAS;
}

bool lint_secure_flash_base(const struct lint *l, uint64_t *out)
{
    for (size_t i = 0; l->t && l->flash && i < l->t->nregions; i++) {
        const fw_region *r = &l->t->regions[i];
        if (r->kind == FW_REGION_SECURE_ALIAS && fw_region_in_default_variant(l->t, r) &&
            fw_target_region_shown(l->t, r) == l->flash) {
            *out = r->base;
            return true;
        }
    }
    return false;
}

bool lint_word(const struct lint *l, uint64_t addr, uint32_t *out)
{
    uint8_t b[4];
    if (!fw_image_read(l->img, addr, b, 4))
        return false;
    *out = fw_get_le32(b);
    return true;
}

const char *lint_size(uint64_t n, char buf[32])
{
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(buf, 32, "%llu MiB", (unsigned long long)(n >> 20));
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, 32, "%llu KiB", (unsigned long long)(n >> 10));
    else
        snprintf(buf, 32, "%llu bytes", (unsigned long long)n);
    return buf;
}

bool lint_ld_flash_like(const fw_ld_region *r)
{
    char up[64];
    size_t k = 0;
    for (; r->name[k] && k + 1 < sizeof(up); k++)
        up[k] = (char)toupper((unsigned char)r->name[k]);
    up[k] = 0;
    bool x = strpbrk(r->attributes, "xX") != NULL, w = strpbrk(r->attributes, "wW") != NULL;
    return strstr(up, "FLASH") || strstr(up, "ROM") || (x && !w);
}

/* With no device, the ld script's non-empty regions are the memory map:
 * executable and not writable (or named like flash) is flash, else RAM. */
static int target_from_ld(struct lint *l)
{
    const fw_ld_script *ld = l->in->ld;
    l->ld_regions = calloc(ld->nregions + 1, sizeof(fw_region));
    if (!l->ld_regions)
        return FW_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < ld->nregions; i++) {
        const fw_ld_region *r = &ld->regions[i];
        if (!r->known || !r->length)
            continue;
        bool flash = lint_ld_flash_like(r);
        l->ld_regions[n++] = (fw_region){.name = r->name, .kind = flash ? FW_REGION_FLASH : FW_REGION_RAM,
                                         .base = r->origin, .size = r->length, .erased = -1};
    }
    l->ld_target.name = "the linker script's MEMORY";
    l->ld_target.regions = l->ld_regions;
    l->ld_target.nregions = n;
    l->t = &l->ld_target;
    return FW_OK;
}

static void find_vectors(struct lint *l)
{
    struct vectors *v = &l->vt;
    memset(v, 0, sizeof(*v));
    uint64_t at;
    if (l->cfg && l->cfg->has_vtor) {
        at = l->cfg->vtor;
    } else if (l->flash && fw_image_find(l->img, l->flash->base) >= 0) {
        at = l->flash->base;
    } else if (l->flash && lint_secure_flash_base(l, &at) && fw_image_find(l->img, at) >= 0) {
        /* TrustZone enabled: the core boots secure, from SECBOOTADD0 */
    } else {
        /* an application after a bootloader: its table starts its data in
         * flash; with nothing in flash, the boot address itself (empty) */
        at = UINT64_MAX;
        for (size_t i = 0; i < fw_image_chunk_count(l->img); i++) {
            const fw_chunk *c = fw_image_chunk(l->img, i);
            const fw_region *r = lint_memory_at(l, c->addr);
            if (!l->t || (r && r->kind == FW_REGION_FLASH)) {
                at = c->addr;
                break;
            }
        }
        if (at == UINT64_MAX) {
            if (l->flash)
                at = l->flash->base;
            else if (!fw_image_is_empty(l->img))
                at = fw_image_chunk(l->img, 0)->addr;
            else
                return;
        }
    }
    lint_vectors_at(l, at, v);
}

void lint_vectors_at(const struct lint *l, uint64_t at, struct vectors *v)
{
    memset(v, 0, sizeof(*v));
    v->addr = at;
    for (size_t i = 0; i < 16 && lint_word(l, at + 4 * i, &v->word[i]); i++)
        v->nwords = i + 1;
    v->present = v->nwords >= 2;
}

static void fold_reader_findings(struct lint *l, const fw_diag *d)
{
    for (size_t i = 0; d && i < fw_diag_count(d); i++) {
        const fw_diagnostic *e = fw_diag_at(d, i);
        fw_severity sev = e->severity;
        /* segment records are only worth a note until the part is 32-bit */
        if (e->rule && !strcmp(e->rule, "FMT-HEX-ADDR-RECORDS") && sev == FW_NOTE && (l->arm || l->riscv))
            sev = FW_WARNING;
        if (rule_state(l, e->rule ? e->rule : "", &sev))
            fw_diag_copy(l->out, e, sev);
    }
}

int fw_lint_run(const fw_lint_input *in, const fw_lint_config *cfg, fw_diag *report)
{
    struct lint l = {.in = in, .cfg = cfg, .out = report, .img = in->main.image, .path = in->main.path};
    l.elf = fw_image_elf(l.img);
    l.t = in->target;
    if (!l.t && in->ld) {
        int rc = target_from_ld(&l);
        if (rc)
            return rc;
    }
    l.flash = l.t ? fw_target_region_of_kind(l.t, FW_REGION_FLASH) : NULL;
    l.erased = l.flash && l.flash->erased >= 0 ? l.flash->erased : 0xFF;
    l.arm = in->target ? in->target->arch == FW_ARCH_ARM : (l.elf ? l.elf->machine == 40 : in->ld != NULL);
    l.riscv = in->target ? in->target->arch == FW_ARCH_RISCV : (l.elf && l.elf->machine == 243);
    lint_detect_toolchain(&l);
    find_vectors(&l);
    l.core = image_core(&l);
    fold_reader_findings(&l, in->main.read_diag);
    lint_format_rules(&l);
    if (lint_foreign_rules(&l)) {
        /* another machine's code: what it is, and nothing phrased as if it
         * were Cortex-M (an ELF's machine is ELF-TARGET, of the arch rules) */
        lint_arch_rules(&l);
        free(l.ld_regions);
        return FW_OK;
    }
    lint_place_rules(&l);
    lint_trustzone_rules(&l);
    lint_vector_rules(&l);
    lint_arch_rules(&l);
    lint_program_rules(&l);
    lint_artifact_rules(&l);
    lint_ld_rules(&l);
    free(l.ld_regions);
    return FW_OK;
}

size_t fw_lint_usage_rows(const fw_lint_input *in, fw_lint_usage *rows, size_t max)
{
    struct lint l = {.in = in, .img = in->main.image};
    l.t = in->target;
    if (!l.t && in->ld && target_from_ld(&l) != FW_OK)
        return 0;
    size_t n = 0;
    for (size_t i = 0; l.t && i < l.t->nregions; i++) {
        const fw_region *r = &l.t->regions[i];
        if (!fw_region_in_default_variant(l.t, r) || r->kind == FW_REGION_PERIPHERAL || r->kind == FW_REGION_ALIAS ||
            r->kind == FW_REGION_RESERVED || !r->size)
            continue;
        uint64_t used = 0;
        for (size_t k = 0; k < fw_image_chunk_count(l.img); k++) {
            const fw_chunk *c = fw_image_chunk(l.img, k);
            uint64_t lo = c->addr > r->base ? c->addr : r->base;
            uint64_t hi = c->addr + c->len < r->base + r->size ? c->addr + c->len : r->base + r->size;
            if (lo < hi)
                used += hi - lo;
        }
        if (n < max)
            rows[n] = (fw_lint_usage){r->name, fw_region_kind_name(r->kind), r->base, r->size, used};
        n++;
    }
    free(l.ld_regions);
    return n;
}

int fw_lint_gate(const fw_lint_input *in, bool force, fw_gate *out, fw_diag *report)
{
    memset(out, 0, sizeof(*out));
    fw_lint_config *cfg = fw_lint_config_new();
    /* a raw binary at a base its own words contradict is written at the
     * wrong address: a warning to read in fwlint, a refusal at the chip */
    if (cfg)
        fw_lint_config_raise(cfg, "ART-BIN-BASE");
    int rc = cfg ? fw_lint_run(in, cfg, report) : FW_ENOMEM;
    fw_lint_config_free(cfg);
    if (rc)
        return rc;
    out->errors = fw_diag_count_severity(report, FW_ERROR);
    out->warnings = fw_diag_count_severity(report, FW_WARNING);
    out->verdict = !out->errors ? FW_GATE_PASS : force ? FW_GATE_FORCED : FW_GATE_REFUSED;
    return FW_OK;
}
