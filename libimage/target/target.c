/* SPDX-License-Identifier: MIT */
/* The target database: storage, inheritance from families, and look-ups. */
#include "target_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

void *fw_arena_alloc(fw_target_db *db, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    struct arena_block *b = db->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->next = db->arena;
        b->used = 0;
        b->cap = cap;
        db->arena = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *fw_arena_strndup(fw_target_db *db, const char *s, size_t n)
{
    char *p = fw_arena_alloc(db, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

fw_target_db *fw_target_db_new(void)
{
    return calloc(1, sizeof(fw_target_db));
}

void fw_target_db_free(fw_target_db *db)
{
    if (!db)
        return;
    for (struct arena_block *b = db->arena, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(db->targets);
    free(db->families);
    free(db);
}

const char *fw_region_kind_name(fw_region_kind k)
{
    static const char *names[] = {"flash", "ram", "ccm", "tcm", "eeprom", "otp", "option-bytes", "system",
                                  "boot-alias", "alias", "peripheral", "reserved", "secure-alias"};
    return k < FW_REGION_KIND_COUNT ? names[k] : "unknown";
}

size_t fw_target_db_count(const fw_target_db *db)
{
    return db->ntargets;
}

const fw_target *fw_target_db_at(const fw_target_db *db, size_t i)
{
    return i < db->ntargets ? db->targets[i] : NULL;
}

struct variant_copy {
    const fw_target *of;
    fw_target t;
    uint64_t flash_size; /* fw_target_db_with_flash_size's copy: the flash it has */
    bool secure_view;
    struct variant_copy *next;
};

const fw_target *fw_target_db_variant(const fw_target_db *cdb, const fw_target *t, const char *variant)
{
    bool found = false;
    for (size_t i = 0; i < t->nregions && !found; i++)
        found = t->regions[i].variant && !strcmp(t->regions[i].variant, variant);
    if (!found)
        return NULL;
    if (t->default_variant && !strcmp(t->default_variant, variant))
        return t;
    /* the copies are the database's own memory: made once, freed with it */
    fw_target_db *db = (fw_target_db *)cdb;
    for (struct variant_copy *v = db->variants; v; v = v->next)
        if (v->of == t && !v->secure_view && !v->flash_size && !strcmp(v->t.default_variant, variant))
            return &v->t;
    struct variant_copy *v = fw_arena_alloc(db, sizeof(*v));
    char *name = v ? fw_arena_strndup(db, variant, strlen(variant)) : NULL;
    if (!name)
        return NULL;
    v->of = t;
    v->t = *t;
    v->t.default_variant = name;
    v->next = db->variants;
    db->variants = v;
    return &v->t;
}

const fw_target *fw_target_db_secure_view(const fw_target_db *cdb, const fw_target *t)
{
    if (t->secure_view)
        return t;
    fw_target_db *db = (fw_target_db *)cdb;
    for (struct variant_copy *v = db->variants; v; v = v->next)
        if (v->of == t && v->secure_view && !v->flash_size)
            return &v->t;
    bool any = false;
    for (size_t i = 0; i < t->nregions && !any; i++)
        any = t->regions[i].kind == FW_REGION_SECURE_ALIAS;
    struct variant_copy *v = any ? fw_arena_alloc(db, sizeof(*v)) : NULL;
    fw_region *regions = v ? fw_arena_alloc(db, t->nregions * sizeof(*regions)) : NULL;
    if (!regions)
        return NULL;
    memcpy(regions, t->regions, t->nregions * sizeof(*regions));
    /* each memory moves to its secure alias's address, and the alias to the
     * memory's: what the memory is (its kind, layout, variant) stays */
    for (size_t i = 0; i < t->nregions; i++) {
        fw_region *alias = &regions[i];
        if (alias->kind != FW_REGION_SECURE_ALIAS || !alias->alias_of)
            continue;
        for (size_t k = 0; k < t->nregions; k++)
            if (k != i && regions[k].name && !strcmp(regions[k].name, alias->alias_of) &&
                regions[k].kind != FW_REGION_SECURE_ALIAS &&
                (!alias->variant || (regions[k].variant && !strcmp(regions[k].variant, alias->variant)))) {
                uint64_t base = regions[k].base;
                regions[k].base = alias->base;
                alias->base = base;
                break;
            }
    }
    v->of = t;
    v->t = *t;
    v->t.regions = regions;
    v->t.secure_view = true;
    v->secure_view = true;
    v->next = db->variants;
    db->variants = v;
    return &v->t;
}

const fw_target *fw_target_db_with_flash_size(const fw_target_db *cdb, const fw_target *t, uint64_t size)
{
    uint64_t now = fw_target_flash_size(t);
    if (size == now)
        return t;
    const fw_region *bank = NULL;
    size_t banks = 0;
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].kind == FW_REGION_FLASH && fw_region_in_default_variant(t, &t->regions[i])) {
            bank = &t->regions[i];
            banks++;
        }
    /* one bank of equal pages, grown by whole pages */
    if (banks != 1 || size < now || !bank->erase_size || size % bank->erase_size || size > (1ull << 31) ||
        bank->nlayout > 1 || t->documented_flash)
        return NULL;
    fw_target_db *db = (fw_target_db *)cdb;
    for (struct variant_copy *v = db->variants; v; v = v->next)
        if (v->of == t && v->flash_size == size)
            return &v->t;
    struct variant_copy *v = fw_arena_alloc(db, sizeof(*v));
    fw_region *regions = v ? fw_arena_alloc(db, t->nregions * sizeof(*regions)) : NULL;
    fw_sector_run *run = regions ? fw_arena_alloc(db, sizeof(*run)) : NULL;
    if (!run)
        return NULL;
    memcpy(regions, t->regions, t->nregions * sizeof(*regions));
    for (size_t i = 0; i < t->nregions; i++) {
        fw_region *r = &regions[i];
        if (r->kind == FW_REGION_FLASH && fw_region_in_default_variant(t, r)) {
            r->size = size;
            *run = (fw_sector_run){(uint32_t)(size / bank->erase_size), bank->erase_size};
            r->layout = run;
            r->nlayout = 1;
        } else if (r->kind == FW_REGION_BOOT_ALIAS && r->size == now) {
            r->size = size; /* the boot alias shows the whole flash */
        }
    }
    *v = (struct variant_copy){.of = t, .t = *t, .flash_size = size, .next = db->variants};
    v->t.regions = regions;
    v->t.documented_flash = now;
    db->variants = v;
    return &v->t;
}

bool fw_target_trustzone_on(const fw_target *t, uint32_t reg_value)
{
    return t->has_trustzone && (reg_value & t->tzen_mask) == t->tzen_on;
}

uint32_t fw_target_boot_address(const fw_target *t, uint32_t reg_value)
{
    return t->boot_addr_bits < 32 ? reg_value & ~((1u << t->boot_addr_bits) - 1) : 0;
}

bool fw_region_in_default_variant(const fw_target *t, const fw_region *r)
{
    if (!r->variant)
        return true;
    if (t->default_variant)
        return !strcmp(r->variant, t->default_variant);
    /* no default named: the first variant listed */
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].variant)
            return !strcmp(t->regions[i].variant, r->variant);
    return true;
}

/* Memory kinds before windows onto them, windows before peripheral space. */
static int kind_rank(fw_region_kind k)
{
    switch (k) {
    case FW_REGION_BOOT_ALIAS:
    case FW_REGION_SECURE_ALIAS:
    case FW_REGION_ALIAS: return 1;
    case FW_REGION_PERIPHERAL:
    case FW_REGION_RESERVED: return 2;
    default: return 0;
    }
}

bool fw_target_has_core(const fw_target *t, const char *core)
{
    size_t n = strlen(core);
    for (const char *tok = t->core; tok && *tok; tok += strcspn(tok, ",") + (tok[strcspn(tok, ",")] == ','))
        if (strcspn(tok, ",") == n && !strncmp(tok, core, n))
            return true;
    return false;
}

const char *fw_target_second_core(const fw_target *t)
{
    const char *comma = t->has_second_core && t->core ? strrchr(t->core, ',') : NULL;
    return comma ? comma + 1 : NULL;
}

void fw_core_arm_name(const char *core, size_t len, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s", (int)len, core);
    if (cap > 8 && !strncmp(out, "cortex-m", 8)) {
        out[0] = 'C';
        out[7] = 'M';
    }
}

const fw_region *fw_target_region_shown(const fw_target *t, const fw_region *r)
{
    if (!r || r->kind != FW_REGION_SECURE_ALIAS || !r->alias_of)
        return r;
    for (size_t i = 0; i < t->nregions; i++) {
        const fw_region *o = &t->regions[i];
        if (o != r && o->kind != FW_REGION_SECURE_ALIAS && !strcmp(o->name, r->alias_of) &&
            fw_region_in_default_variant(t, o))
            return o;
    }
    return r;
}

const fw_region *fw_target_region_at(const fw_target *t, uint64_t addr)
{
    const fw_region *best = NULL;
    for (size_t i = 0; i < t->nregions; i++) {
        const fw_region *r = &t->regions[i];
        if (addr < r->base || addr - r->base >= r->size || !fw_region_in_default_variant(t, r))
            continue;
        if (!best || kind_rank(r->kind) < kind_rank(best->kind))
            best = r;
    }
    return best;
}

/* "STM32F407" of "STM32F407VG": the name without its package and flash
 * letters (the last two), and the length of "STM32F"/"STM32WB" in it */
static size_t name_stem(const char *name, size_t *family_len)
{
    size_t n = strlen(name), f = 0;
    while (f < n && !isdigit((unsigned char)name[f]))
        f++;
    while (f < n && isdigit((unsigned char)name[f])) /* the "32" of STM32 */
        f++;
    while (f < n && isalpha((unsigned char)name[f]))
        f++;
    *family_len = f;
    return n > f + 2 ? n - 2 : n;
}

/* all of the part's SRAM (its regions are cut differently from part to part) */
static uint64_t ram_size(const fw_target *t)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].kind == FW_REGION_RAM && fw_region_in_default_variant(t, &t->regions[i]))
            sum += t->regions[i].size;
    return sum;
}

/* Parts of one maker and core (ST's carry no vendor line; clones.map's do). */
static bool same_maker(const fw_target *a, const fw_target *b)
{
    bool core = a->core == b->core || (a->core && b->core && !strcmp(a->core, b->core));
    return core && (a->vendor == b->vendor || (a->vendor && b->vendor && !strcmp(a->vendor, b->vendor)));
}

const char *fw_target_group_name(const fw_target_db *db, const fw_target *t, char *buf, size_t cap)
{
    if (!cap)
        return buf;
    size_t at = 0, members = 0, first_fam = 0;
    const char *first = NULL;
    uint64_t flash = fw_target_flash_size(t), ram = ram_size(t);
    buf[0] = '\0';
    for (size_t i = 0; i < fw_target_db_count(db); i++) {
        const fw_target *o = fw_target_db_at(db, i);
        if (!o->ndevice_ids || !t->ndevice_ids || o->device_ids[0] != t->device_ids[0] ||
            fw_target_flash_size(o) != flash || ram_size(o) != ram || !same_maker(o, t))
            continue;
        members++;
        size_t ofam, ostem = name_stem(o->name, &ofam);
        /* each stem once, in database order; the first whole, the rest without "STM32F" */
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) {
            const fw_target *e = fw_target_db_at(db, k);
            size_t efam, estem = name_stem(e->name, &efam);
            seen = e->ndevice_ids && e->device_ids[0] == o->device_ids[0] && fw_target_flash_size(e) == flash &&
                   ram_size(e) == ram && same_maker(e, t) && estem == ostem && !strncmp(e->name, o->name, ostem);
        }
        if (seen)
            continue;
        /* after the first, each without what it shares with the first's
         * "STM32F"/"STM32WL" (so STM32WLE4 is "E4" after STM32WL54) */
        size_t strip = 0;
        if (first)
            while (strip < first_fam && o->name[strip] == first[strip])
                strip++;
        else {
            first = o->name;
            first_fam = ofam;
        }
        int w = at ? snprintf(buf + at, cap - at, "/%.*s", (int)(ostem - strip), o->name + strip)
                   : snprintf(buf, cap, "%.*s", (int)ostem, o->name);
        if (w < 0 || (size_t)w >= cap - at) {
            snprintf(buf + (at < cap - 4 ? at : cap - 4), 4, "...");
            break;
        }
        at += (size_t)w;
    }
    if (members <= 1)
        snprintf(buf, cap, "%s", t->name);
    return buf;
}

const char *fw_target_boot_memory_name(const fw_target *t, uint32_t v, char *buf, size_t cap)
{
    if (!t->has_boot_memory || !t->boot_memory_names || !cap)
        return NULL;
    const char *s = t->boot_memory_names;
    for (uint32_t i = 0; *s; i++) {
        size_t n = strcspn(s, " ");
        if (i == v) {
            if ((n == 1 && *s == '-') || n >= cap)
                return NULL;
            memcpy(buf, s, n);
            buf[n] = '\0';
            return buf;
        }
        s += n + (s[n] == ' ');
    }
    return NULL;
}

const fw_region *fw_target_region_of_kind(const fw_target *t, fw_region_kind k)
{
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].kind == k && fw_region_in_default_variant(t, &t->regions[i]))
            return &t->regions[i];
    return NULL;
}

uint64_t fw_target_flash_size(const fw_target *t)
{
    uint64_t n = 0;
    for (size_t i = 0; i < t->nregions; i++)
        if (t->regions[i].kind == FW_REGION_FLASH && fw_region_in_default_variant(t, &t->regions[i]))
            n += t->regions[i].size;
    return n;
}

bool fw_target_flash_span(const fw_target *t, uint64_t *lo, uint64_t *end)
{
    *lo = UINT64_MAX;
    *end = 0;
    for (size_t i = 0; i < t->nregions; i++) {
        const fw_region *r = &t->regions[i];
        if (r->kind != FW_REGION_FLASH || !fw_region_in_default_variant(t, r))
            continue;
        *lo = r->base < *lo ? r->base : *lo;
        *end = r->base + r->size > *end ? r->base + r->size : *end;
    }
    return *lo != UINT64_MAX;
}

uint32_t fw_target_reset_clock_khz(const fw_target *t)
{
    return t->reset_clock_khz ? t->reset_clock_khz : 8000;
}

/* --- names --- */

/* Upper case, without a leading "STM32". */
static void normalise(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    if (!strncasecmp(in, "STM32", 5) && in[5])
        in += 5;
    for (; *in && n + 1 < cap; in++)
        out[n++] = (char)toupper((unsigned char)*in);
    out[n] = 0;
}

/* Whether a user's name q means part p (both normalised): p without its "-A"
 * suffix starts q, and what follows (package, temperature, 'x' wildcards)
 * ends in 'A' exactly when p is an -A part. */
static bool name_matches(const char *q, const char *p)
{
    if (!strcmp(q, p))
        return true;
    size_t pl = strlen(p);
    bool a_part = pl > 2 && !strcmp(p + pl - 2, "-A");
    size_t base = a_part ? pl - 2 : pl;
    if (strncmp(q, p, base))
        return false;
    const char *rest = q + base;
    size_t rl = strlen(rest);
    if (rl > 6)
        return false;
    for (size_t i = 0; i < rl; i++)
        if (!isalnum((unsigned char)rest[i]) && rest[i] != '-')
            return false;
    bool wants_a = rl && rest[rl - 1] == 'A';
    return a_part == wants_a;
}

const fw_target *fw_target_find(const fw_target_db *db, const char *name, const fw_target **cand, size_t max,
                                size_t *ncand)
{
    char q[64], p[64];
    normalise(name, q, sizeof(q));
    *ncand = 0;
    const fw_target *best = NULL;
    size_t best_len = 0, ties = 0;
    for (size_t i = 0; i < db->ntargets; i++) {
        normalise(db->targets[i]->name, p, sizeof(p));
        if (!name_matches(q, p))
            continue;
        size_t l = strlen(p);
        if (l > best_len) {
            best = db->targets[i];
            best_len = l;
            ties = 0;
        } else if (l == best_len) {
            ties++;
        }
    }
    if (best && !ties)
        return best;
    /* a prefix of several parts ("F407", "L100R"): list them */
    size_t ql = strlen(q);
    const fw_target *only = NULL;
    for (size_t i = 0; i < db->ntargets && ql; i++) {
        normalise(db->targets[i]->name, p, sizeof(p));
        if (strncmp(q, p, ql))
            continue;
        if (*ncand < max)
            cand[*ncand] = db->targets[i];
        only = db->targets[i];
        (*ncand)++;
    }
    if (*ncand == 1) {
        *ncand = 0;
        return only;
    }
    return NULL;
}

const fw_target *fw_target_find_by_id(const fw_target_db *db, uint32_t device_id, uint64_t flash_size, size_t *n)
{
    const fw_target *first = NULL;
    *n = 0;
    for (size_t i = 0; i < db->ntargets; i++) {
        const fw_target *t = db->targets[i];
        bool id = false;
        for (size_t k = 0; k < t->ndevice_ids; k++)
            id |= t->device_ids[k] == device_id;
        if (!id || (flash_size && fw_target_flash_size(t) != flash_size))
            continue;
        if (!first)
            first = t;
        (*n)++;
    }
    return first;
}
