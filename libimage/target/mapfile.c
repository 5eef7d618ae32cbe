/* SPDX-License-Identifier: MIT */
/* The target map format (libimage/target/README.md): [family NAME] and
 * [target NAME] blocks of "keyword value..." lines; '#' starts a comment. */
#include "target_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwkit/number.h"
#include "format/io.h"

#define MAX_TOKENS 24
#define MAX_IDS 8
/* a region whose size is "flash": the target's main flash size, known at the end */
#define SIZE_OF_FLASH UINT64_MAX

struct token {
    const char *s;
    size_t n;
    uint32_t col;
};

struct parser {
    fw_target_db *db;
    fw_diag *d;
    const char *file;
    uint64_t line;
    int errors;
    enum { SECT_NONE, SECT_FAMILY, SECT_TARGET } sect;
    fw_target *t;            /* the block being read (a family's props for families) */
    struct family_def *fam;
    fw_region *regs;
    size_t nregs, capregs;
    uint32_t ids[MAX_IDS];
    size_t nids;
};

static void error_at(struct parser *p, uint32_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void error_at(struct parser *p, uint32_t col, const char *fmt, ...)
{
    fw_location loc = {.file = p->file, .line = p->line, .column = col};
    va_list ap;
    va_start(ap, fmt);
    fw_diag_vadd(p->d, FW_ERROR, "MAP-SYNTAX", &loc, fmt, ap);
    va_end(ap);
    p->errors++;
}

static bool tok_is(const struct token *t, const char *w)
{
    return t->n == strlen(w) && !strncmp(t->s, w, t->n);
}

static char *tok_dup(struct parser *p, const struct token *t)
{
    return fw_arena_strndup(p->db, t->s, t->n);
}

static bool tok_number(struct parser *p, const struct token *t, uint64_t *out, const char *what)
{
    if (fw_parse_u64n(t->s, t->n, out))
        return true;
    error_at(p, t->col, "%s: expected a number, found '%.*s'", what, (int)t->n, t->s);
    return false;
}

static const struct {
    const char *name;
    fw_region_kind kind;
} kinds[] = {
    {"flash", FW_REGION_FLASH}, {"ram", FW_REGION_RAM}, {"ccm", FW_REGION_CCM}, {"tcm", FW_REGION_TCM},
    {"eeprom", FW_REGION_EEPROM}, {"otp", FW_REGION_OTP}, {"option-bytes", FW_REGION_OPTION_BYTES},
    {"system", FW_REGION_SYSTEM}, {"boot-alias", FW_REGION_BOOT_ALIAS}, {"alias", FW_REGION_ALIAS},
    {"peripheral", FW_REGION_PERIPHERAL}, {"reserved", FW_REGION_RESERVED}, {"secure-alias", FW_REGION_SECURE_ALIAS},
};

static struct family_def *find_family(fw_target_db *db, const char *name)
{
    for (size_t i = 0; i < db->nfamilies; i++)
        if (!strcmp(db->families[i]->props.name, name))
            return db->families[i];
    return NULL;
}

static fw_sector_run *parse_layout(struct parser *p, const struct token *t, size_t *n)
{
    size_t runs = 1;
    for (size_t i = 0; i < t->n; i++)
        runs += t->s[i] == ',';
    fw_sector_run *out = fw_arena_alloc(p->db, runs * sizeof(*out));
    if (!out)
        return NULL;
    const char *s = t->s, *end = t->s + t->n;
    for (size_t k = 0; k < runs; k++) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *stop = comma ? comma : end;
        const char *x = memchr(s, 'x', (size_t)(stop - s));
        uint64_t count, size;
        if (!x || !fw_parse_u64n(s, (size_t)(x - s), &count) || !fw_parse_u64n(x + 1, (size_t)(stop - x - 1), &size) ||
            !count || !size || count > UINT32_MAX || size > UINT32_MAX) {
            error_at(p, t->col + (uint32_t)(s - t->s), "layout: expected COUNTxSIZE[,COUNTxSIZE...], found '%.*s'",
                     (int)(stop - s), s);
            return NULL;
        }
        out[k] = (fw_sector_run){(uint32_t)count, (uint32_t)size};
        s = stop + 1;
    }
    *n = runs;
    return out;
}

/* region NAME KIND BASE SIZE [erase N] [layout ...] [write N] [erased V] [access rwx] [alias-of R] [variant V] [core C] */
static void parse_region(struct parser *p, const struct token *tk, size_t nt)
{
    if (nt < 5) {
        error_at(p, tk[0].col, "region needs NAME KIND BASE SIZE");
        return;
    }
    fw_region r = {.erased = -1};
    r.name = tok_dup(p, &tk[1]);
    size_t k;
    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (tok_is(&tk[2], kinds[k].name))
            break;
    if (k == sizeof(kinds) / sizeof(kinds[0])) {
        error_at(p, tk[2].col,
                 "unknown region kind '%.*s' (flash, ram, ccm, tcm, eeprom, otp, option-bytes, system, boot-alias, "
                 "alias, peripheral, reserved)",
                 (int)tk[2].n, tk[2].s);
        return;
    }
    r.kind = kinds[k].kind;
    if (!tok_number(p, &tk[3], &r.base, "region base"))
        return;
    if (tok_is(&tk[4], "flash"))
        r.size = SIZE_OF_FLASH;
    else if (!tok_number(p, &tk[4], &r.size, "region size"))
        return;
    if (r.size != SIZE_OF_FLASH && r.size > UINT64_MAX - r.base) {
        error_at(p, tk[4].col, "region %s runs past the end of the address space", r.name);
        return;
    }
    for (size_t i = 5; i < nt; i += 2) {
        if (i + 1 >= nt) {
            error_at(p, tk[i].col, "'%.*s' needs a value", (int)tk[i].n, tk[i].s);
            return;
        }
        const struct token *v = &tk[i + 1];
        uint64_t num;
        if (tok_is(&tk[i], "erase") || tok_is(&tk[i], "write")) {
            if (!tok_number(p, v, &num, "size") || num > UINT32_MAX)
                return;
            if (tok_is(&tk[i], "erase"))
                r.erase_size = (uint32_t)num;
            else
                r.write_size = (uint32_t)num;
        } else if (tok_is(&tk[i], "erased")) {
            if (!tok_number(p, v, &num, "erased value"))
                return;
            if (num > 0xFF) {
                error_at(p, v->col, "erased value must be a byte, not 0x%llx", (unsigned long long)num);
                return;
            }
            r.erased = (int)num;
        } else if (tok_is(&tk[i], "layout")) {
            if (!(r.layout = parse_layout(p, v, &r.nlayout)))
                return;
        } else if (tok_is(&tk[i], "access")) {
            r.no_exec = memchr(v->s, 'x', v->n) == NULL;
        } else if (tok_is(&tk[i], "alias-of")) {
            r.alias_of = tok_dup(p, v);
        } else if (tok_is(&tk[i], "variant")) {
            r.variant = tok_dup(p, v);
        } else if (tok_is(&tk[i], "core")) {
            r.core = tok_dup(p, v);
        } else {
            error_at(p, tk[i].col, "unknown region attribute '%.*s' (erase, layout, write, erased, access, alias-of, variant, core)",
                     (int)tk[i].n, tk[i].s);
            return;
        }
    }
    if (r.kind == FW_REGION_FLASH && r.layout && !r.erase_size)
        r.erase_size = r.layout[0].size;
    if (r.kind == FW_REGION_FLASH && r.layout && r.size != SIZE_OF_FLASH) {
        uint64_t total = 0;
        for (size_t i = 0; i < r.nlayout; i++)
            total += (uint64_t)r.layout[i].count * r.layout[i].size;
        if (total != r.size) {
            error_at(p, tk[1].col, "region %s: its sector layout covers %llu bytes, but its size is %llu", r.name,
                     (unsigned long long)total, (unsigned long long)r.size);
            return;
        }
    }
    if (p->nregs == p->capregs) {
        size_t cap = p->capregs ? p->capregs * 2 : 8;
        fw_region *n = realloc(p->regs, cap * sizeof(*n));
        if (!n) {
            p->errors++;
            return;
        }
        p->regs = n;
        p->capregs = cap;
    }
    p->regs[p->nregs++] = r;
}

static int cmp_region(const void *a, const void *b)
{
    const fw_region *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

static bool has_region(const fw_region *r, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].name, name))
            return true;
    return false;
}

/* What a target (or a family) takes from the family it names: each
 * property it does not give itself. */
static void inherit_props(fw_target *t, const fw_target *fp)
{
    if (!t->core)
        t->core = fp->core;
    if (t->fpu == FW_FPU_UNKNOWN)
        t->fpu = fp->fpu;
    if (!t->reset_clock_khz)
        t->reset_clock_khz = fp->reset_clock_khz;
    if (!t->has_flash_size_register) {
        t->has_flash_size_register = fp->has_flash_size_register;
        t->flash_size_register = fp->flash_size_register;
    }
    if (!t->has_dbgmcu_idcode) {
        t->has_dbgmcu_idcode = fp->has_dbgmcu_idcode;
        t->dbgmcu_idcode = fp->dbgmcu_idcode;
    }
    if (!t->has_flash_registers) {
        t->has_flash_registers = fp->has_flash_registers;
        t->flash_registers = fp->flash_registers;
        t->flash_controller = fp->flash_controller;
    }
    if (!t->default_variant)
        t->default_variant = fp->default_variant;
    if (!t->security)
        t->security = fp->security;
    if (!t->checksum)
        t->checksum = fp->checksum;
    if (!t->has_watchdog) {
        t->has_watchdog = fp->has_watchdog;
        t->iwdg_base = fp->iwdg_base;
        t->lsi_khz = fp->lsi_khz;
        t->watchdog_freeze_reg = fp->watchdog_freeze_reg;
        t->iwdg_stop_bit = fp->iwdg_stop_bit;
        t->wwdg_stop_bit = fp->wwdg_stop_bit;
    }
    if (!t->has_bank_option) {
        t->has_bank_option = fp->has_bank_option;
        t->bank_option_reg = fp->bank_option_reg;
        t->bank_option_mask = fp->bank_option_mask;
        t->bank_option_dual = fp->bank_option_dual;
    }
    if (!t->nready) {
        t->nready = fp->nready;
        memcpy(t->ready, fp->ready, sizeof(t->ready));
    }
    if (!t->dp_idcode_given) {
        t->dp_idcode_given = fp->dp_idcode_given;
        t->has_dp_idcode = fp->has_dp_idcode;
        t->dp_idcode_swd = fp->dp_idcode_swd;
        t->dp_idcode_jtag = fp->dp_idcode_jtag;
    }
    if (!t->has_boot_memory) {
        t->has_boot_memory = fp->has_boot_memory;
        t->boot_memory_reg = fp->boot_memory_reg;
        t->boot_memory_shift = fp->boot_memory_shift;
        t->boot_memory_mask = fp->boot_memory_mask;
        t->boot_memory_names = fp->boot_memory_names;
    }
    if (!t->has_boot_options) {
        t->has_boot_options = fp->has_boot_options;
        t->boot_option_reg = fp->boot_option_reg;
        t->boot_empty_reg = fp->boot_empty_reg;
        t->nboot_sel_bit = fp->nboot_sel_bit;
        t->nboot1_bit = fp->nboot1_bit;
        t->nboot0_bit = fp->nboot0_bit;
        t->boot_empty_bit = fp->boot_empty_bit;
    }
    if (!t->has_boot_address) {
        t->has_boot_address = fp->has_boot_address;
        t->boot_address_reg = fp->boot_address_reg;
        t->boot_address_shift = fp->boot_address_shift;
    }
    if (!t->has_trustzone) {
        t->has_trustzone = fp->has_trustzone;
        t->trustzone_reg = fp->trustzone_reg;
        t->tzen_mask = fp->tzen_mask;
        t->tzen_on = fp->tzen_on;
        t->ns_boot_reg = fp->ns_boot_reg;
        t->ns_boot1_reg = fp->ns_boot1_reg;
        t->secure_boot_reg = fp->secure_boot_reg;
        t->boot_addr_bits = fp->boot_addr_bits;
    }
    if (!t->has_cpu2_area) {
        t->has_cpu2_area = fp->has_cpu2_area;
        t->cpu2_area_reg = fp->cpu2_area_reg;
        t->cpu2_sfsa_mask = fp->cpu2_sfsa_mask;
        t->cpu2_fsd_mask = fp->cpu2_fsd_mask;
        t->cpu2_factory_bytes = fp->cpu2_factory_bytes;
    }
    if (!t->has_system_ap) {
        t->has_system_ap = fp->has_system_ap;
        t->system_ap = fp->system_ap;
        t->system_ap_base = fp->system_ap_base;
        t->system_ap_bus_base = fp->system_ap_bus_base;
        t->system_ap_size = fp->system_ap_size;
    }
    if (!t->has_second_core) {
        t->has_second_core = fp->has_second_core;
        t->second_core_ap = fp->second_core_ap;
        t->second_boot_reg = fp->second_boot_reg;
        t->second_boot_shift = fp->second_boot_shift;
        t->second_boot_factory = fp->second_boot_factory;
        t->second_gate_reg = fp->second_gate_reg;
        t->second_gate_mask = fp->second_gate_mask;
        t->second_release_reg = fp->second_release_reg;
        t->second_release_mask = fp->second_release_mask;
    }
    if (!t->has_second_domain) {
        t->has_second_domain = fp->has_second_domain;
        t->second_domain_reg = fp->second_domain_reg;
        t->second_domain_mask = fp->second_domain_mask;
    }
    if (!t->has_hsem) {
        t->has_hsem = fp->has_hsem;
        t->hsem_base = fp->hsem_base;
        t->hsem_main_id = fp->hsem_main_id;
        t->hsem_second_id = fp->hsem_second_id;
    }
    if (!t->has_loader_clock) {
        t->has_loader_clock = fp->has_loader_clock;
        t->loader_clock_khz = fp->loader_clock_khz;
        t->loader_acr_reg = fp->loader_acr_reg;
        t->loader_acr_mask = fp->loader_acr_mask;
        t->loader_acr_value = fp->loader_acr_value;
        t->loader_clock_reg = fp->loader_clock_reg;
        t->loader_clock_mask = fp->loader_clock_mask;
        t->loader_clock_value = fp->loader_clock_value;
    }
    if (!t->has_dma) {
        t->has_dma = fp->has_dma;
        t->dma_base = fp->dma_base;
        t->dma_channel_cr = fp->dma_channel_cr;
        t->dma_clock_reg = fp->dma_clock_reg;
        t->dma_clock_bit = fp->dma_clock_bit;
        t->dma_timer_stop_bit = fp->dma_timer_stop_bit;
    }
    if (!t->trap_align)
        t->trap_align = fp->trap_align;
    if (t->arch == FW_ARCH_UNKNOWN)
        t->arch = fp->arch;
    if (!t->isa)
        t->isa = fp->isa;
    if (!t->has_reset_address) {
        t->has_reset_address = fp->has_reset_address;
        t->reset_address = fp->reset_address;
    }
    if (!t->has_uid) {
        t->has_uid = fp->has_uid;
        memcpy(t->uid_addr, fp->uid_addr, sizeof(t->uid_addr));
    }
    if (!t->vendor)
        t->vendor = fp->vendor;
    if (!t->has_designer) {
        t->has_designer = fp->has_designer;
        t->designer = fp->designer;
    }
    if (!t->has_idcode) {
        t->has_idcode = fp->has_idcode;
        t->idcode_value = fp->idcode_value;
        t->idcode_mask = fp->idcode_mask;
    }
    if (!t->nidentify) {
        t->nidentify = fp->nidentify;
        memcpy(t->identify, fp->identify, sizeof(t->identify));
    }
    if (!t->flash_compatible)
        t->flash_compatible = fp->flash_compatible;
    if (!t->flash_incompatible)
        t->flash_incompatible = fp->flash_incompatible;
}

/* Ends the current block: families keep their regions for later targets;
 * targets inherit from their family and join the database. */
static void finish_block(struct parser *p)
{
    if (p->sect == SECT_FAMILY) {
        struct family_def *f = p->fam;
        /* a family may extend another (a clone family its STM32 one):
         * its own properties and regions first, the rest from the parent */
        struct family_def *parent = f->props.family ? find_family(p->db, f->props.family) : NULL;
        if (f->props.family && (!parent || parent == f)) {
            error_at(p, 0, "family %s names family %s, which is not defined before it", f->props.name, f->props.family);
            parent = NULL;
        }
        if (parent)
            inherit_props(&f->props, &parent->props);
        size_t np = parent ? parent->nregions : 0;
        f->regions = fw_arena_alloc(p->db, (p->nregs + np + 1) * sizeof(fw_region));
        if (f->regions) {
            if (p->nregs)
                memcpy(f->regions, p->regs, p->nregs * sizeof(fw_region));
            f->nregions = p->nregs;
            for (size_t i = 0; i < np; i++)
                if (!has_region(f->regions, f->nregions, parent->regions[i].name))
                    f->regions[f->nregions++] = parent->regions[i];
        }
    } else if (p->sect == SECT_TARGET) {
        fw_target *t = p->t;
        struct family_def *f = t->family ? find_family(p->db, t->family) : NULL;
        if (t->family && !f && p->errors == 0)
            error_at(p, 0, "target %s names family %s, which is not defined before it", t->name, t->family);
        if (f)
            inherit_props(t, &f->props);
        size_t nf = f ? f->nregions : 0, n = 0;
        fw_region *regs = fw_arena_alloc(p->db, (p->nregs + nf + 1) * sizeof(fw_region));
        if (!regs) {
            p->errors++;
            return;
        }
        if (p->nregs)
            memcpy(regs, p->regs, p->nregs * sizeof(fw_region));
        n = p->nregs;
        for (size_t i = 0; i < nf; i++)
            if (!has_region(regs, n, f->regions[i].name))
                regs[n++] = f->regions[i];
        t->regions = regs;
        t->nregions = n;
        uint64_t flash = fw_target_flash_size(t);
        for (size_t i = 0; i < n; i++)
            if (regs[i].size == SIZE_OF_FLASH)
                regs[i].size = flash;
        qsort(regs, n, sizeof(*regs), cmp_region);
        if (t->arch == FW_ARCH_UNKNOWN && t->core)
            t->arch = !strncmp(t->core, "cortex", 6) ? FW_ARCH_ARM : !strncmp(t->core, "rv", 2) ? FW_ARCH_RISCV
                                                                                                : FW_ARCH_UNKNOWN;
        uint32_t *ids = fw_arena_alloc(p->db, (p->nids + 1) * sizeof(uint32_t));
        if (ids) {
            if (p->nids)
                memcpy(ids, p->ids, p->nids * sizeof(uint32_t));
            t->device_ids = ids;
            t->ndevice_ids = p->nids;
        }
        if (p->db->ntargets == p->db->captargets) {
            size_t cap = p->db->captargets ? p->db->captargets * 2 : 64;
            fw_target **nt = realloc(p->db->targets, cap * sizeof(*nt));
            if (!nt) {
                p->errors++;
                return;
            }
            p->db->targets = nt;
            p->db->captargets = cap;
        }
        p->db->targets[p->db->ntargets++] = t;
    }
    p->sect = SECT_NONE;
    p->nregs = 0;
    p->nids = 0;
}

static void start_block(struct parser *p, const char *s, size_t n, uint32_t col)
{
    finish_block(p);
    /* "[family NAME]" or "[target NAME]" */
    const char *close = memchr(s, ']', n);
    const char *sp = memchr(s, ' ', n);
    if (!close || !sp || sp > close) {
        error_at(p, col, "expected [family NAME] or [target NAME]");
        return;
    }
    const char *name = sp;
    while (name < close && *name == ' ')
        name++;
    size_t nl = (size_t)(close - name);
    while (nl && name[nl - 1] == ' ')
        nl--;
    if (!nl) {
        error_at(p, col, "a block needs a name");
        return;
    }
    bool family = (size_t)(sp - s) == 7 && !strncmp(s, "[family", 7);
    bool target = (size_t)(sp - s) == 7 && !strncmp(s, "[target", 7);
    if (!family && !target) {
        error_at(p, col, "expected [family NAME] or [target NAME], found '%.*s'", (int)(close - s + 1), s);
        return;
    }
    if (family) {
        struct family_def *f = fw_arena_alloc(p->db, sizeof(*f));
        if (!f)
            return;
        f->props.name = fw_arena_strndup(p->db, name, nl);
        if (p->db->nfamilies == p->db->capfamilies) {
            size_t cap = p->db->capfamilies ? p->db->capfamilies * 2 : 16;
            struct family_def **nf = realloc(p->db->families, cap * sizeof(*nf));
            if (!nf)
                return;
            p->db->families = nf;
            p->db->capfamilies = cap;
        }
        p->db->families[p->db->nfamilies++] = f;
        p->fam = f;
        p->t = &f->props;
        p->sect = SECT_FAMILY;
    } else {
        fw_target *t = fw_arena_alloc(p->db, sizeof(*t));
        if (!t)
            return;
        t->name = fw_arena_strndup(p->db, name, nl);
        t->defined_in = p->file;
        t->defined_line = p->line;
        p->t = t;
        p->sect = SECT_TARGET;
    }
}

static void parse_line(struct parser *p, const char *s, size_t n)
{
    size_t lead = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
        lead++;
    const char *hash = memchr(s, '#', n);
    if (hash)
        n = (size_t)(hash - s);
    while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n <= lead)
        return;
    if (s[lead] == '[') {
        start_block(p, s + lead, n - lead, (uint32_t)lead + 1);
        return;
    }
    struct token tk[MAX_TOKENS];
    size_t nt = 0;
    for (size_t i = lead; i < n && nt < MAX_TOKENS;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        if (i > b)
            tk[nt++] = (struct token){s + b, i - b, (uint32_t)b + 1};
    }
    if (!nt)
        return;
    if (p->sect == SECT_NONE) {
        error_at(p, tk[0].col, "'%.*s' outside a [family] or [target] block", (int)tk[0].n, tk[0].s);
        return;
    }
    fw_target *t = p->t;
    /* free-text values run to the end of the line */
    const char *rest = nt > 1 ? tk[1].s : NULL;
    size_t rest_n = nt > 1 ? (size_t)(s + n - tk[1].s) : 0;
    uint64_t v;
    if (nt < 2 && !tok_is(&tk[0], "region")) {
        error_at(p, tk[0].col, "'%.*s' needs a value", (int)tk[0].n, tk[0].s);
        return;
    }
    if (tok_is(&tk[0], "region")) {
        parse_region(p, tk, nt);
    } else if (tok_is(&tk[0], "family")) {
        t->family = fw_arena_strndup(p->db, rest, rest_n);
    } else if (tok_is(&tk[0], "line")) {
        t->line = fw_arena_strndup(p->db, rest, rest_n);
    } else if (tok_is(&tk[0], "core")) {
        t->core = tok_dup(p, &tk[1]);
    } else if (tok_is(&tk[0], "arch")) {
        if (tok_is(&tk[1], "arm"))
            t->arch = FW_ARCH_ARM;
        else if (tok_is(&tk[1], "riscv"))
            t->arch = FW_ARCH_RISCV;
        else
            error_at(p, tk[1].col, "arch is arm or riscv, not '%.*s'", (int)tk[1].n, tk[1].s);
    } else if (tok_is(&tk[0], "isa")) {
        t->isa = tok_dup(p, &tk[1]);
    } else if (tok_is(&tk[0], "reset-clock")) {
        uint64_t khz;
        if (nt != 2)
            error_at(p, tk[0].col, "reset-clock takes the core clock out of reset in kHz");
        else if (tok_number(p, &tk[1], &khz, "reset-clock") && (khz == 0 || khz > 1000000))
            error_at(p, tk[1].col, "reset-clock is in kHz, from 1 to 1000000");
        else
            t->reset_clock_khz = (uint32_t)khz;
    } else if (tok_is(&tk[0], "fpu")) {
        if (tok_is(&tk[1], "none"))
            t->fpu = FW_FPU_NONE;
        else if (tok_is(&tk[1], "sp"))
            t->fpu = FW_FPU_SP;
        else if (tok_is(&tk[1], "dp"))
            t->fpu = FW_FPU_DP;
        else
            error_at(p, tk[1].col, "fpu is none, sp or dp, not '%.*s'", (int)tk[1].n, tk[1].s);
    } else if (tok_is(&tk[0], "device-id")) {
        for (size_t i = 1; i < nt; i++) {
            if (p->nids == MAX_IDS) {
                error_at(p, tk[i].col, "at most %d device ids", MAX_IDS);
                break;
            }
            if (!tok_number(p, &tk[i], &v, "device id"))
                break;
            p->ids[p->nids++] = (uint32_t)v;
        }
    } else if (tok_is(&tk[0], "flash-size-register")) {
        if (tok_number(p, &tk[1], &t->flash_size_register, "flash-size-register"))
            t->has_flash_size_register = true;
    } else if (tok_is(&tk[0], "dbgmcu-idcode")) {
        if (tok_number(p, &tk[1], &t->dbgmcu_idcode, "dbgmcu-idcode"))
            t->has_dbgmcu_idcode = true;
    } else if (tok_is(&tk[0], "ready") || tok_is(&tk[0], "mirror")) {
        /* ready REG ON READY: READY reads set while (REG & ON) != 0, always with ON 0;
         * mirror REG FROM_SHIFT MASK TO_SHIFT: the field at FROM_SHIFT reads at TO_SHIFT too */
        bool mirror = tok_is(&tk[0], "mirror");
        uint64_t reg, a, b, c = 0;
        if (nt != (mirror ? 5u : 4u))
            error_at(p, tk[0].col, mirror ? "mirror takes the register, the field's shift and mask, and where it shows"
                                          : "ready takes the register, the control mask and the ready mask");
        else if (t->nready == sizeof(t->ready) / sizeof(t->ready[0]))
            error_at(p, tk[0].col, "at most %zu ready and mirror lines", sizeof(t->ready) / sizeof(t->ready[0]));
        else if (tok_number(p, &tk[1], &reg, "register") && tok_number(p, &tk[2], &a, "mask or shift") &&
                 tok_number(p, &tk[3], &b, "mask") && (!mirror || tok_number(p, &tk[4], &c, "shift"))) {
            if (mirror && (a > 31 || c > 31 || !b))
                error_at(p, tk[2].col, "mirror: shifts below 32 and a mask");
            else
                t->ready[t->nready++] = mirror ? (struct fw_ready_rule){reg, 0, 0, (uint32_t)b, (unsigned)a, (unsigned)c}
                                               : (struct fw_ready_rule){reg, (uint32_t)a, (uint32_t)b, 0, 0, 0};
        }
    } else if (tok_is(&tk[0], "dp-idcode")) {
        /* dp-idcode SWD JTAG */
        uint64_t swd, jtag;
        if (nt != 3)
            error_at(p, tk[0].col, "dp-idcode takes the debug port's IDCODE on SWD and on JTAG (0: none)");
        else if (tok_number(p, &tk[1], &swd, "dp-idcode") && tok_number(p, &tk[2], &jtag, "dp-idcode JTAG")) {
            t->dp_idcode_swd = (uint32_t)swd;
            t->dp_idcode_jtag = (uint32_t)jtag;
            t->has_dp_idcode = swd != 0;
            t->dp_idcode_given = true; /* "dp-idcode 0 0": not known, and not the family's */
        }
    } else if (tok_is(&tk[0], "flash-registers")) {
        if (tok_number(p, &tk[1], &t->flash_registers, "flash-registers")) {
            t->has_flash_registers = true;
            if (nt > 2)
                t->flash_controller = tok_dup(p, &tk[2]);
        }
    } else if (tok_is(&tk[0], "watchdog")) {
        /* watchdog IWDG_BASE LSI_KHZ FREEZE_REG IWDG_STOP WWDG_STOP */
        uint64_t lsi, iwdg_stop, wwdg_stop;
        if (nt != 6)
            error_at(p, tk[0].col, "watchdog takes the IWDG's base, the LSI in kHz, the DBGMCU freeze register, and "
                                   "its IWDG and WWDG stop bits");
        else if (tok_number(p, &tk[1], &t->iwdg_base, "watchdog") && tok_number(p, &tk[2], &lsi, "watchdog LSI") &&
                 tok_number(p, &tk[3], &t->watchdog_freeze_reg, "watchdog freeze register") &&
                 tok_number(p, &tk[4], &iwdg_stop, "IWDG stop bit") && tok_number(p, &tk[5], &wwdg_stop, "WWDG stop bit")) {
            t->lsi_khz = (uint32_t)lsi;
            t->iwdg_stop_bit = (uint32_t)iwdg_stop;
            t->wwdg_stop_bit = (uint32_t)wwdg_stop;
            t->has_watchdog = lsi > 0 && iwdg_stop > 0;
        }
    } else if (tok_is(&tk[0], "bank-option")) {
        /* bank-option REG MASK DUAL_VALUE */
        uint64_t mask, dual;
        if (nt != 4)
            error_at(p, tk[0].col, "bank-option takes the option register, the bank-mode bit's mask, and the value "
                                   "(0 or 1) that means two banks");
        else if (tok_number(p, &tk[1], &t->bank_option_reg, "bank-option") &&
                 tok_number(p, &tk[2], &mask, "bank-option mask") && tok_number(p, &tk[3], &dual, "bank-option value")) {
            t->bank_option_mask = (uint32_t)mask;
            t->bank_option_dual = dual != 0;
            t->has_bank_option = mask != 0;
        }
    } else if (tok_is(&tk[0], "boot-memory")) {
        /* boot-memory REG SHIFT MASK NAME... (the memory each field value means) */
        uint64_t shift, mask;
        if (nt < 5)
            error_at(p, tk[0].col, "boot-memory takes the register, the field's shift and mask, and the memory "
                                   "each value means (flash, system, sram, external, or - for reserved)");
        else if (tok_number(p, &tk[1], &t->boot_memory_reg, "boot-memory") &&
                 tok_number(p, &tk[2], &shift, "boot-memory shift") && tok_number(p, &tk[3], &mask, "boot-memory mask")) {
            char names[128] = "";
            size_t at = 0;
            bool ok = shift < 32 && mask && mask <= 0xFF;
            for (size_t i = 4; ok && i < nt; i++) {
                bool known = tok_is(&tk[i], "flash") || tok_is(&tk[i], "system") || tok_is(&tk[i], "sram") ||
                             tok_is(&tk[i], "external") || tok_is(&tk[i], "-");
                if (!known || at + tk[i].n + 2 > sizeof(names)) {
                    error_at(p, tk[i].col, "boot-memory: '%.*s' is not flash, system, sram, external or -",
                             (int)tk[i].n, tk[i].s);
                    ok = false;
                    break;
                }
                at += (size_t)snprintf(names + at, sizeof(names) - at, "%s%.*s", at ? " " : "", (int)tk[i].n, tk[i].s);
            }
            if (ok) {
                struct token joined = {.s = names, .n = at, .col = tk[4].col};
                t->boot_memory_shift = (uint32_t)shift;
                t->boot_memory_mask = (uint32_t)mask;
                t->boot_memory_names = tok_dup(p, &joined);
                t->has_boot_memory = t->boot_memory_names != NULL;
            } else if (shift >= 32 || !mask || mask > 0xFF) {
                error_at(p, tk[2].col, "boot-memory: the field must be at most 8 bits inside the register");
            }
        }
    } else if (tok_is(&tk[0], "boot-options")) {
        /* boot-options OPTR nBOOT_SEL nBOOT1 nBOOT0 ACR EMPTY (masks) */
        uint64_t sel, b1, b0, empty;
        if (nt != 7)
            error_at(p, tk[0].col, "boot-options takes the option register, the nBOOT_SEL, nBOOT1 and nBOOT0 masks, "
                                   "and the register and mask of the empty-check flag");
        else if (tok_number(p, &tk[1], &t->boot_option_reg, "boot-options") &&
                 tok_number(p, &tk[2], &sel, "nBOOT_SEL") && tok_number(p, &tk[3], &b1, "nBOOT1") &&
                 tok_number(p, &tk[4], &b0, "nBOOT0") && tok_number(p, &tk[5], &t->boot_empty_reg, "empty register") &&
                 tok_number(p, &tk[6], &empty, "empty flag")) {
            t->nboot_sel_bit = (uint32_t)sel;
            t->nboot1_bit = (uint32_t)b1;
            t->nboot0_bit = (uint32_t)b0;
            t->boot_empty_bit = (uint32_t)empty;
            t->has_boot_options = b0 != 0;
        }
    } else if (tok_is(&tk[0], "boot-address")) {
        /* boot-address REG SHIFT */
        uint64_t shift;
        if (nt != 3)
            error_at(p, tk[0].col, "boot-address takes the register holding BOOT_ADD0/BOOT_ADD1 and their shift");
        else if (tok_number(p, &tk[1], &t->boot_address_reg, "boot-address") &&
                 tok_number(p, &tk[2], &shift, "boot-address shift")) {
            t->boot_address_shift = (uint32_t)shift;
            t->has_boot_address = shift < 32;
        }
    } else if (tok_is(&tk[0], "trustzone")) {
        /* trustzone REG MASK ON NSBOOT0 NSBOOT1 SECBOOT ADDRBITS */
        uint64_t mask, on, bits;
        if (nt != 8)
            error_at(p, tk[0].col, "trustzone takes the register holding TZEN, its mask and the value that means on, "
                                   "the boot address registers for BOOT0 low, BOOT0 high (0: none) and TrustZone on, "
                                   "and how many low bits they leave out");
        else if (tok_number(p, &tk[1], &t->trustzone_reg, "trustzone") && tok_number(p, &tk[2], &mask, "TZEN mask") &&
                 tok_number(p, &tk[3], &on, "TZEN on value") &&
                 tok_number(p, &tk[4], &t->ns_boot_reg, "boot address register (BOOT0 low)") &&
                 tok_number(p, &tk[5], &t->ns_boot1_reg, "boot address register (BOOT0 high)") &&
                 tok_number(p, &tk[6], &t->secure_boot_reg, "secure boot address register") &&
                 tok_number(p, &tk[7], &bits, "boot address low bits")) {
            t->tzen_mask = (uint32_t)mask;
            t->tzen_on = (uint32_t)on;
            t->boot_addr_bits = (uint32_t)bits;
            t->has_trustzone = mask != 0 && bits < 32;
        }
    } else if (tok_is(&tk[0], "cpu2-area")) {
        /* cpu2-area REG SFSA_MASK FSD_MASK FACTORY_BYTES */
        uint64_t sfsa, fsd, factory;
        if (nt != 5)
            error_at(p, tk[0].col,
                     "cpu2-area takes the register holding the second core's area, the mask of its start "
                     "page, the mask of the bit that turns it off, and the bytes it keeps from the factory");
        else if (tok_number(p, &tk[1], &t->cpu2_area_reg, "cpu2-area") &&
                 tok_number(p, &tk[2], &sfsa, "start page mask") && tok_number(p, &tk[3], &fsd, "off bit mask") &&
                 tok_number(p, &tk[4], &factory, "factory bytes")) {
            t->cpu2_sfsa_mask = (uint32_t)sfsa;
            t->cpu2_fsd_mask = (uint32_t)fsd;
            t->cpu2_factory_bytes = (uint32_t)factory;
            t->has_cpu2_area = sfsa != 0;
        }
    } else if (tok_is(&tk[0], "system-debug-ap")) {
        /* system-debug-ap AP BASE BUS_BASE SIZE */
        uint64_t ap;
        if (nt != 5)
            error_at(p, tk[0].col,
                     "system-debug-ap takes its access port, the window's base as that port sees it, the system "
                     "bus address it shows, and its size");
        else if (tok_number(p, &tk[1], &ap, "access port") && tok_number(p, &tk[2], &t->system_ap_base, "base") &&
                 tok_number(p, &tk[3], &t->system_ap_bus_base, "system bus base") &&
                 tok_number(p, &tk[4], &t->system_ap_size, "size")) {
            if (ap == 0 || ap > 255 || !t->system_ap_size || t->system_ap_base + t->system_ap_size > 0x100000000ull ||
                t->system_ap_bus_base + t->system_ap_size > 0x100000000ull)
                error_at(p, tk[1].col, "system-debug-ap: an access port of 1 to 255 and a window inside 32 bits");
            else {
                t->system_ap = (unsigned)ap;
                t->has_system_ap = true;
            }
        }
    } else if (tok_is(&tk[0], "second-core")) {
        /* second-core AP BOOT_REG SHIFT FACTORY GATE_REG GATE_MASK RELEASE_REG RELEASE_MASK */
        uint64_t ap, shift, factory, gate, release;
        if (nt != 9)
            error_at(p, tk[0].col,
                     "second-core takes its access port, the register of its boot addresses, their shift and the "
                     "register's factory value, the register and mask of the option bit that lets it boot, and the "
                     "register and mask that release it");
        else if (tok_number(p, &tk[1], &ap, "access port") && tok_number(p, &tk[2], &t->second_boot_reg, "register") &&
                 tok_number(p, &tk[3], &shift, "shift") && tok_number(p, &tk[4], &factory, "factory value") &&
                 tok_number(p, &tk[5], &t->second_gate_reg, "register") && tok_number(p, &tk[6], &gate, "mask") &&
                 tok_number(p, &tk[7], &t->second_release_reg, "register") && tok_number(p, &tk[8], &release, "mask")) {
            if (ap == 0 || ap > 255 || shift > 31 || factory > 0xFFFFFFFFu || !gate || gate > 0xFFFFFFFFu || !release ||
                release > 0xFFFFFFFFu)
                error_at(p, tk[1].col,
                         "second-core: an access port of 1 to 255, a shift below 32, and a factory value and masks of "
                         "one word (the masks not 0)");
            else if (!strchr(t->core ? t->core : "", ','))
                error_at(p, tk[0].col, "second-core needs a core line naming both cores (\"cortex-m7,cortex-m4\")");
            else {
                t->second_core_ap = (unsigned)ap;
                t->second_boot_shift = (uint32_t)shift;
                t->second_boot_factory = (uint32_t)factory;
                t->second_gate_mask = (uint32_t)gate;
                t->second_release_mask = (uint32_t)release;
                t->has_second_core = true;
            }
        }
    } else if (tok_is(&tk[0], "second-domain")) {
        /* second-domain REG MASK */
        uint64_t mask;
        if (nt != 3)
            error_at(p, tk[0].col, "second-domain takes the register and mask of the second core's domain clock flag");
        else if (tok_number(p, &tk[1], &t->second_domain_reg, "register") && tok_number(p, &tk[2], &mask, "mask")) {
            if (!mask || mask > 0xFFFFFFFFu)
                error_at(p, tk[2].col, "second-domain: a mask of one word, not 0");
            else {
                t->second_domain_mask = (uint32_t)mask;
                t->has_second_domain = true;
            }
        }
    } else if (tok_is(&tk[0], "hsem")) {
        /* hsem BASE MAIN_ID SECOND_ID */
        uint64_t main_id, second_id;
        if (nt != 4)
            error_at(p, tk[0].col,
                     "hsem takes the semaphore block's base and the COREID of the main and the second core");
        else if (tok_number(p, &tk[1], &t->hsem_base, "base") && tok_number(p, &tk[2], &main_id, "COREID") &&
                 tok_number(p, &tk[3], &second_id, "COREID")) {
            if (main_id > 15 || second_id > 15 || main_id == second_id || t->hsem_base > 0xFFFFFC00u)
                error_at(p, tk[1].col, "hsem: a base inside 32 bits and two different COREIDs of 0 to 15");
            else {
                t->hsem_main_id = (uint32_t)main_id;
                t->hsem_second_id = (uint32_t)second_id;
                t->has_hsem = true;
            }
        }
    } else if (tok_is(&tk[0], "loader-clock")) {
        /* loader-clock KHZ ACR ACR_MASK ACR_VALUE REG MASK VALUE */
        uint64_t khz, am, av, cm, cv;
        if (nt != 8)
            error_at(p, tk[0].col,
                     "loader-clock takes the clock in kHz, the access control register with the mask and value of "
                     "its wait states, and the clock register with the mask and value that select the clock");
        else if (tok_number(p, &tk[1], &khz, "clock") && tok_number(p, &tk[2], &t->loader_acr_reg, "register") &&
                 tok_number(p, &tk[3], &am, "mask") && tok_number(p, &tk[4], &av, "value") &&
                 tok_number(p, &tk[5], &t->loader_clock_reg, "register") && tok_number(p, &tk[6], &cm, "mask") &&
                 tok_number(p, &tk[7], &cv, "value")) {
            if (!khz || khz > 1000000 || !am || !cm || (av & ~am) || (cv & ~cm))
                error_at(p, tk[1].col, "loader-clock: a clock of 1 to 1000000 kHz, and values inside their masks");
            t->loader_clock_khz = (uint32_t)khz;
            t->loader_acr_mask = (uint32_t)am;
            t->loader_acr_value = (uint32_t)av;
            t->loader_clock_mask = (uint32_t)cm;
            t->loader_clock_value = (uint32_t)cv;
            t->has_loader_clock = true;
        }
    } else if (tok_is(&tk[0], "dma")) {
        /* dma BASE CHANNEL_CR CLOCK_REG CLOCK_BIT TIMER_STOP_BIT */
        uint64_t cr, bit, stop;
        if (nt != 6)
            error_at(p, tk[0].col, "dma takes the controller's base, its channel 1 control register offset, the RCC "
                                   "register and bit that clock it, and its timer's DBGMCU stop bit");
        else if (tok_number(p, &tk[1], &t->dma_base, "dma") && tok_number(p, &tk[2], &cr, "dma channel register") &&
                 tok_number(p, &tk[3], &t->dma_clock_reg, "dma clock register") &&
                 tok_number(p, &tk[4], &bit, "dma clock bit") && tok_number(p, &tk[5], &stop, "timer stop bit")) {
            t->dma_channel_cr = (uint32_t)cr;
            t->dma_clock_bit = (uint32_t)bit;
            t->dma_timer_stop_bit = (uint32_t)stop;
            t->has_dma = bit > 0;
        }
    } else if (tok_is(&tk[0], "reset")) {
        if (tok_number(p, &tk[1], &t->reset_address, "reset"))
            t->has_reset_address = true;
    } else if (tok_is(&tk[0], "security")) {
        if (tok_is(&tk[1], "lpc-crp") || tok_is(&tk[1], "kinetis-fcf"))
            t->security = tok_dup(p, &tk[1]);
        else
            error_at(p, tk[1].col, "security is lpc-crp or kinetis-fcf, not '%.*s'", (int)tk[1].n, tk[1].s);
    } else if (tok_is(&tk[0], "checksum")) {
        if (tok_is(&tk[1], "lpc-vectors"))
            t->checksum = tok_dup(p, &tk[1]);
        else
            error_at(p, tk[1].col, "checksum is lpc-vectors, not '%.*s'", (int)tk[1].n, tk[1].s);
    } else if (tok_is(&tk[0], "trap-align")) {
        if (tok_number(p, &tk[1], &v, "trap-align"))
            t->trap_align = (uint32_t)v;
    } else if (tok_is(&tk[0], "uid")) {
        /* uid ADDR [ADDR ADDR]: the 96-bit unique ID's three words (default: contiguous) */
        uint64_t a[3];
        if (nt != 2 && nt != 4)
            error_at(p, tk[0].col, "uid takes the address of the unique ID, or of each of its three words");
        else if (tok_number(p, &tk[1], &a[0], "uid") &&
                 (nt == 2 || (tok_number(p, &tk[2], &a[1], "uid") && tok_number(p, &tk[3], &a[2], "uid")))) {
            if (nt == 2) {
                a[1] = a[0] + 4;
                a[2] = a[0] + 8;
            }
            t->has_uid = true;
            for (int i = 0; i < 3; i++)
                t->uid_addr[i] = a[i];
        }
    } else if (tok_is(&tk[0], "vendor")) {
        t->vendor = fw_arena_strndup(p->db, rest, rest_n);
    } else if (tok_is(&tk[0], "clone-of")) {
        t->clone_of = tok_dup(p, &tk[1]);
    } else if (tok_is(&tk[0], "designer")) {
        if (tok_number(p, &tk[1], &v, "designer") && v > 0xFFF)
            error_at(p, tk[1].col, "designer is a JEP106 code: continuation << 8 | code, at most 0xfff");
        else if (nt == 2) {
            t->has_designer = true;
            t->designer = (uint16_t)v;
        }
    } else if (tok_is(&tk[0], "idcode")) {
        /* idcode VALUE MASK: the whole DBGMCU_IDCODE, the bits of it that tell the part */
        uint64_t val, mask;
        if (nt != 3)
            error_at(p, tk[0].col, "idcode takes the DBGMCU_IDCODE the part reads and the mask of its telling bits");
        else if (tok_number(p, &tk[1], &val, "idcode") && tok_number(p, &tk[2], &mask, "idcode mask")) {
            t->has_idcode = true;
            t->idcode_value = (uint32_t)val;
            t->idcode_mask = (uint32_t)mask;
        }
    } else if (tok_is(&tk[0], "identify")) {
        /* identify ADDR MASK VALUE WHAT...: (word at ADDR) & MASK reads VALUE on this part */
        uint64_t addr, mask, val;
        if (nt < 5)
            error_at(p, tk[0].col, "identify takes an address, a mask, the value and what it means");
        else if (t->nidentify == sizeof(t->identify) / sizeof(t->identify[0]))
            error_at(p, tk[0].col, "at most %zu identify lines", sizeof(t->identify) / sizeof(t->identify[0]));
        else if (tok_number(p, &tk[1], &addr, "address") && tok_number(p, &tk[2], &mask, "mask") &&
                 tok_number(p, &tk[3], &val, "value")) {
            if (addr & 3 || addr > 0xFFFFFFFCull || !mask || (val & ~mask))
                error_at(p, tk[1].col, "identify: an aligned word address, a mask, and a value inside the mask");
            else
                t->identify[t->nidentify++] = (struct fw_identify_word){
                    addr, (uint32_t)mask, (uint32_t)val, fw_arena_strndup(p->db, tk[4].s, (size_t)(s + n - tk[4].s))};
        }
    } else if (tok_is(&tk[0], "flash-compatible")) {
        t->flash_compatible = fw_arena_strndup(p->db, rest, rest_n);
    } else if (tok_is(&tk[0], "flash-incompatible")) {
        t->flash_incompatible = fw_arena_strndup(p->db, rest, rest_n);
    } else if (tok_is(&tk[0], "default-variant")) {
        t->default_variant = tok_dup(p, &tk[1]);
    } else {
        error_at(p, tk[0].col, "unknown keyword '%.*s'", (int)tk[0].n, tk[0].s);
    }
}

int fw_target_db_add_text(fw_target_db *db, const char *text, size_t len, const char *name, fw_diag *d)
{
    struct parser p = {.db = db, .d = d};
    p.file = fw_arena_strndup(db, name, strlen(name));
    size_t before = db->ntargets;
    const char *s = text, *end = text + len;
    while (s < end && p.errors < 20) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *stop = nl ? nl : end;
        p.line++;
        parse_line(&p, s, (size_t)(stop - s));
        s = stop + 1;
    }
    finish_block(&p);
    free(p.regs);
    if (p.errors) {
        db->ntargets = before; /* a broken file adds nothing */
        return FW_EFORMAT;
    }
    return FW_OK;
}

int fw_target_db_add_file(fw_target_db *db, const char *path, fw_diag *d)
{
    struct fw_input in;
    uint8_t *buf = NULL;
    size_t n = 0;
    int rc = fw_input_open_file(&in, path, true, d);
    if (rc == FW_OK)
        rc = fw_input_slurp(&in, &buf, &n, d);
    fw_input_close(&in);
    if (rc == FW_OK)
        rc = fw_target_db_add_text(db, (const char *)buf, n, path, d);
    free(buf);
    return rc;
}

extern const char fw_builtin_stm32_map[], fw_builtin_clones_map[];
extern const size_t fw_builtin_stm32_map_len, fw_builtin_clones_map_len;

int fw_target_db_add_builtin(fw_target_db *db, fw_diag *d)
{
    int rc = fw_target_db_add_text(db, fw_builtin_stm32_map, fw_builtin_stm32_map_len, "<built-in stm32.map>", d);
    /* the clones extend the STM32 families, so they come after them */
    return rc ? rc
              : fw_target_db_add_text(db, fw_builtin_clones_map, fw_builtin_clones_map_len, "<built-in clones.map>", d);
}
