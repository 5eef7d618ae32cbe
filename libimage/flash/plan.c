/* SPDX-License-Identifier: MIT */
/* The flash plan (image x target: touched sectors, their wanted contents)
 * and carrying it out: skip what already matches, erase, program in the
 * driver's units, verify by read-back and say in words what went wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "fwkit/bytes.h"
#include "loaders.h"

void fw_flash_plan_free(fw_flash_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsectors; i++) {
        free(p->sectors[i].want);
        free(p->sectors[i].covered);
    }
    free(p->sectors);
    free(p);
}

static fw_plan_sector *add_sector(fw_flash_plan *p, uint64_t start, uint32_t size)
{
    if (p->nsectors && p->sectors[p->nsectors - 1].addr == start)
        return &p->sectors[p->nsectors - 1];
    fw_plan_sector *s = realloc(p->sectors, (p->nsectors + 1) * sizeof(*s));
    if (!s)
        return NULL;
    p->sectors = s;
    s = &p->sectors[p->nsectors];
    *s = (fw_plan_sector){.addr = (uint32_t)start, .size = size, .want = malloc(size), .covered = calloc(size, 1)};
    if (!s->want || !s->covered) {
        free(s->want);
        free(s->covered);
        return NULL;
    }
    memset(s->want, p->erased, size);
    p->nsectors++;
    return s;
}

/* An image linked at the other alias of TrustZone flash than the one the
 * chip is reached by: the secure one on a chip with TrustZone off, where it
 * cannot run, or the non-secure one on a chip with it on, which boots the
 * secure address. */
static void secure_alias_note(const fw_target *t, uint64_t at, const fw_region *alias, const fw_region *flash,
                              fw_diag *d)
{
    if (!t->secure_view)
        fw_diag_add(d, FW_WARNING, "FLASH-SECURE-IMAGE", NULL,
                    "the image is linked at 0x%08llx, flash's secure alias (%s), but TrustZone is off (TZEN=0): it "
                    "is programmed at 0x%08llx, where the core runs non-secure and faults at its first secure "
                    "address; turn TrustZone on first (option bit TZEN), or link the image at 0x%08llx",
                    (unsigned long long)at, alias->name, (unsigned long long)(at - alias->base + flash->base),
                    (unsigned long long)flash->base);
    else
        fw_diag_add(d, FW_NOTE, "FLASH-SECURE-IMAGE", NULL,
                    "the image is linked at 0x%08llx, flash's non-secure alias (%s); TrustZone is on, so it is "
                    "programmed through the secure alias at 0x%08llx, and the core boots from the secure boot "
                    "address (SECBOOTADD0)",
                    (unsigned long long)at, alias->name, (unsigned long long)(at - alias->base + flash->base));
}

/* The flash an address names through its other TrustZone alias (*alias
 * set to that alias region), or NULL when addr is not in such an alias. */
static const fw_region *flash_behind_alias(const fw_target *t, uint64_t addr, const fw_region **alias)
{
    const fw_region *r = fw_target_region_at(t, addr), *shown = fw_target_region_shown(t, r);
    if (!r || r->kind != FW_REGION_SECURE_ALIAS || !shown || shown->kind != FW_REGION_FLASH)
        return NULL;
    *alias = r;
    return shown;
}

int fw_flash_plan_make(const fw_image *img, const fw_target *t, const fw_flash_driver *drv, fw_flash_plan **out,
                       fw_diag *d)
{
    fw_flash_plan *p = calloc(1, sizeof(*p));
    if (!p)
        return FW_ENOMEM;
    p->target = t;
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    /* no driver: a plan to compare with, never to program */
    p->unit = drv ? drv->unit(t) : fw_flash_write_unit(t, 4);
    p->erased = flash && flash->erased >= 0 ? (uint8_t)flash->erased : 0xFF;
    bool told = false;
    for (size_t i = 0; i < fw_image_chunk_count(img); i++) {
        const fw_chunk *c = fw_image_chunk(img, i);
        for (size_t off = 0; off < c->len;) {
            uint64_t a = c->addr + off;
            const fw_region *r = fw_target_region_at(t, a), *alias, *shown = flash_behind_alias(t, a, &alias);
            if (shown) { /* the same flash through its other TrustZone alias */
                if (!told)
                    secure_alias_note(t, c->addr, alias, shown, d);
                told = true;
                a = a - alias->base + shown->base;
                r = shown;
            }
            if (!r || r->kind != FW_REGION_FLASH) {
                fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-OUTSIDE", NULL,
                                               "data at 0x%08llx is not in the %s's flash (%s)", (unsigned long long)a,
                                               t->name, r ? r->name : "nothing is there");
                fw_diagnostic_set_range(e, a, c->addr + c->len);
                fw_flash_plan_free(p);
                return FW_ERANGE;
            }
            uint64_t start;
            uint32_t size;
            fw_flash_sector(r, a, &start, &size);
            fw_plan_sector *s = add_sector(p, start, size);
            if (!s) {
                fw_flash_plan_free(p);
                return FW_ENOMEM;
            }
            size_t n = c->len - off;
            if (n > start + size - a)
                n = (size_t)(start + size - a);
            memcpy(s->want + (a - start), c->data + off, n);
            memset(s->covered + (a - start), 1, n);
            off += n;
        }
    }
    *out = p;
    return FW_OK;
}

static void progress(const fw_flash_options *o, const char *phase, uint64_t done, uint64_t total)
{
    if (o && o->progress)
        o->progress(o->progress_ctx, phase, done, total);
}

/* Sectors smaller than this are read in runs (L0/L1 pages, F0/F1 1 KiB
 * pages), up to READ_RUN_MAX bytes at a time. */
#define SMALL_SECTOR 1024u
#define READ_RUN_MAX (64u << 10)

/* The bytes to program, gathered across sectors so that a driver gets long
 * runs: a RAM loader pays its set-up, and the flash waits for its first
 * slot, once per run (with 64 KiB runs that was a sixth of the time on a
 * 1 MiB U5 image). */
#define PROGRAM_RUN_MAX (1024u << 10)
struct run_cursor {
    size_t i;    /* the sector */
    uint32_t at; /* the offset in it */
};

/* The next run from the cursor on: contiguous units holding anything but
 * the erased value, within one bank (a second bank may have registers of
 * its own: F1 XL), at most cap bytes, copied to buf; false when none is
 * left. The same runs whatever the cap, each a prefix of the longer. */
static bool next_run(const fw_flash_plan *p, struct run_cursor *k, uint8_t *buf, uint32_t cap, uint32_t *addr,
                     uint32_t *len)
{
    const fw_region *bank = NULL;
    *len = 0;
    for (; k->i < p->nsectors; k->i++, k->at = 0) {
        const fw_plan_sector *s = &p->sectors[k->i];
        if (s->skip)
            continue;
        const fw_region *r = fw_target_region_at(p->target, s->addr);
        if (*len && r != bank)
            return true;
        bank = r;
        for (; k->at < s->size; k->at += p->unit) {
            uint32_t n = s->size - k->at < p->unit ? s->size - k->at : p->unit, a = s->addr + k->at;
            if (fw_bytes_all(s->want + k->at, n, p->erased)) {
                if (*len)
                    return true;
                continue;
            }
            if (*len && (*addr + *len != a || *len + n > cap))
                return true;
            if (!*len)
                *addr = a;
            memcpy(buf + *len, s->want + k->at, n);
            *len += n;
        }
    }
    return *len > 0;
}

static uint32_t program_cap(const fw_flash_plan *p, uint64_t *total)
{
    *total = 0;
    for (size_t i = 0; i < p->nsectors; i++)
        *total += p->sectors[i].skip ? 0 : p->sectors[i].size;
    return *total < PROGRAM_RUN_MAX ? (uint32_t)*total : PROGRAM_RUN_MAX;
}

/* Programs the units of every erased sector that hold anything but the
 * erased value, run by run; progress as runs finish (before bytes of all
 * done by earlier batches). */
static int program_all(struct fw_flash_ctx *c, const struct fw_flash_driver *drv, const fw_flash_plan *p,
                       const fw_flash_options *o, uint64_t *programmed, uint64_t before, uint64_t all)
{
    uint64_t total;
    uint32_t cap = program_cap(p, &total), addr, len;
    uint8_t *buf = malloc(cap ? cap : 1);
    int rc = buf ? FW_OK : FW_ENOMEM;
    struct run_cursor k = {0, 0};
    while (!rc && next_run(p, &k, buf, cap, &addr, &len)) {
        if (!(rc = drv->program(c, addr, buf, len))) {
            *programmed += len;
            uint64_t done = 0; /* the sectors the cursor is past */
            for (size_t i = 0; i < k.i; i++)
                done += p->sectors[i].skip ? 0 : p->sectors[i].size;
            progress(o, "program", before + done, all);
        }
    }
    if (!rc)
        progress(o, "program", before + total, all);
    free(buf);
    return rc;
}

/* The first run's first bytes, as many as SRAM takes beside the ring
 * loader, to go there while the flash erases (fw_flash_idle): false when
 * the loader cannot run here. */
static bool stage_first_run(struct fw_flash_ctx *c, const fw_flash_plan *p, struct fw_flash_stage *s, uint8_t **buf)
{
    uint64_t total;
    uint32_t header, room = fw_loader_stage_room(c, p->unit, &header), cap = program_cap(p, &total);
    room = room < cap ? room : cap;
    *buf = room ? malloc(room) : NULL;
    struct run_cursor k = {0, 0};
    uint32_t addr, len;
    if (!*buf || !next_run(p, &k, *buf, room, &addr, &len))
        return false;
    *s = (struct fw_flash_stage){addr, len, *buf, header, 0, true, false};
    return true;
}

/* The end (exclusive index) of the run of contiguous sectors from i that one
 * read takes: at most READ_RUN_MAX bytes, and only sectors smaller than
 * largest (a larger one is a run of its own). */
static size_t sector_run(const fw_flash_plan *p, size_t i, uint32_t largest, uint64_t *bytes)
{
    size_t j = i + 1;
    uint64_t run = p->sectors[i].size;
    while (j < p->nsectors && p->sectors[i].size < largest && p->sectors[j].size < largest &&
           p->sectors[j].addr == p->sectors[j - 1].addr + p->sectors[j - 1].size &&
           run + p->sectors[j].size <= READ_RUN_MAX)
        run += p->sectors[j++].size;
    *bytes = run;
    return j;
}

/* The chip's hashes of the planned sectors (loaders/hash.S's hash), those
 * the write's loader made once it was done taken as they are; begun, the
 * host may work while the core hashes (running: one ring loader run under
 * way), then ended. */
struct chip_hashes {
    uint32_t *addr, *len, *hash;
    size_t ask; /* the sectors to hash now, in addr and len */
    struct fw_ring_hash run;
    unsigned expect_us;
    bool running;
};

/* FW_EINVAL when the part's SRAM cannot run the routine or a sector is not
 * whole words. */
static int hashes_begin(struct fw_flash_ctx *c, const fw_flash_plan *p, struct chip_hashes *h)
{
    size_t n = p->nsectors;
    *h = (struct chip_hashes){0};
    if (!fw_loader_chunk(c, 12))
        return FW_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (p->sectors[i].size % 4)
            return FW_EINVAL;
    if (!(h->addr = calloc(3 * n + 1, sizeof(uint32_t))))
        return FW_ENOMEM;
    h->len = h->addr + n;
    h->hash = h->addr + 2 * n;
    for (size_t i = 0; i < n; i++)
        if (!p->sectors[i].hashed) {
            h->addr[h->ask] = p->sectors[i].addr;
            h->len[h->ask++] = p->sectors[i].size;
        }
    /* the ring loader's own hashing where one run takes it all: its code
     * then stays in SRAM for the write */
    h->run = (struct fw_ring_hash){.n = (uint32_t)h->ask, .addr = h->addr, .len = h->len, .hash = h->hash};
    int rc = h->ask ? fw_loader_ring_hash_begin(c, &h->run, &h->expect_us) : FW_EINVAL;
    h->running = !rc;
    return rc == FW_EINVAL ? FW_OK : rc;
}

/* Which sectors hold what they must, by the chip's hash against the
 * host's; FW_EINVAL when the routine failed on this chip (said): read
 * instead. */
static int hashes_end(struct fw_flash_ctx *c, const fw_flash_plan *p, struct chip_hashes *h, bool *match)
{
    int rc = FW_OK;
    if (h->running)
        rc = fw_loader_ring_hash_end(c, &h->run, h->expect_us);
    else if (h->ask && (rc = fw_loader_ring_hash(c, h->addr, h->len, h->ask, h->hash)) == FW_EINVAL)
        rc = fw_loader_hash_ranges(c, h->addr, h->len, h->ask, h->hash);
    for (size_t i = 0, k = 0; i < p->nsectors && !rc; i++) {
        uint32_t got = p->sectors[i].hashed ? p->sectors[i].hash : h->hash[k++];
        match[i] = got == fw_loader_hash_of(p->sectors[i].want, p->sectors[i].size);
    }
    free(h->addr);
    h->addr = NULL;
    return rc == FW_EUNSUPPORTED ? FW_EINVAL : rc;
}

static int sectors_match_on_chip(struct fw_flash_ctx *c, const fw_flash_plan *p, bool *match)
{
    struct chip_hashes h;
    int rc = hashes_begin(c, p, &h);
    return rc ? rc : hashes_end(c, p, &h, match);
}

/* G0/C0: the option-byte loader set FLASH_ACR EMPTY at power-on when the
 * first word of flash was erased, and with it set "boot from flash" boots
 * the system bootloader until the next power-on (RM0444 §2.5, FLASH_ACR).
 * Software may clear it: once flash holds a first word, it is cleared, so
 * the reset after the write runs the image. */
static int clear_empty_check(struct fw_flash_ctx *c)
{
    const fw_target *t = c->target;
    uint32_t acr, first;
    if (!t->has_boot_options || !t->boot_empty_bit)
        return FW_OK;
    int rc = fw_probe_read_word(c->probe, (uint32_t)t->boot_empty_reg, &acr, c->d);
    if (rc || !(acr & t->boot_empty_bit))
        return rc;
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    uint8_t erased = flash && flash->erased >= 0 ? (uint8_t)flash->erased : 0xFF;
    if ((rc = fw_probe_read_word(c->probe, c->flash_base, &first, c->d)) || first == erased * 0x01010101u)
        return rc;
    if (!(rc = fw_probe_write_word(c->probe, (uint32_t)t->boot_empty_reg, acr & ~t->boot_empty_bit, c->d)))
        fw_diag_add(c->d, FW_NOTE, "FLASH-EMPTY-CHECK", NULL,
                    "FLASH_ACR EMPTY was set (the flash was empty at power-on, so the chip would boot its system "
                    "bootloader until the next power cycle): cleared, so the reset runs the image");
    return rc;
}

/* The end (exclusive) of the batch of sectors from b0 whose whole size
 * SRAM's stage room takes: at least one sector. */
static size_t batch_end(const fw_flash_plan *p, size_t b0, uint32_t room)
{
    uint64_t bytes = 0;
    size_t b1 = b0;
    for (; b1 < p->nsectors; b1++) {
        uint32_t size = p->sectors[b1].skip ? 0 : p->sectors[b1].size;
        if (b1 > b0 && bytes + size > room)
            break;
        bytes += size;
    }
    return b1;
}

/* Erases the sectors [from, to) not skipped: runs of contiguous sectors of
 * one bank for a driver that does runs, else a sector at a time. */
static int erase_sectors(struct fw_flash_ctx *c, const struct fw_flash_driver *drv, const fw_flash_plan *p, size_t from,
                         size_t to, const fw_flash_options *o, fw_flash_result *r, uint64_t *done, uint64_t total)
{
    int rc = FW_OK;
    for (size_t i = from; i < to && !rc;) {
        fw_plan_sector *s = &p->sectors[i];
        if (s->skip) {
            i++;
            continue;
        }
        size_t j = i + 1;
        uint32_t run = s->size;
        while (drv->erase_run && j < to && !p->sectors[j].skip &&
               p->sectors[j].addr == p->sectors[j - 1].addr + p->sectors[j - 1].size &&
               fw_target_region_at(p->target, p->sectors[j].addr) == fw_target_region_at(p->target, s->addr))
            run += p->sectors[j++].size; /* within one bank */
        rc = j > i + 1 ? drv->erase_run(c, s->addr, run) : FW_EUNSUPPORTED;
        if (rc == FW_EUNSUPPORTED) { /* one sector, or a run the driver takes a sector at a time */
            rc = FW_OK;
            for (size_t k = i; k < j && !rc; k++)
                rc = drv->erase(c, p->sectors[k].addr, p->sectors[k].size);
        }
        if (!rc)
            r->sectors_erased += j - i;
        progress(o, "erase", *done += run, total);
        i = j;
    }
    return rc;
}

/* Every sector to erase, the two banks' at the same time (H7). */
static int erase_side_by_side(struct fw_flash_ctx *c, const struct fw_flash_driver *drv, const fw_flash_plan *p,
                              const fw_flash_options *o, fw_flash_result *r, uint64_t total)
{
    struct fw_flash_span *set = malloc((p->nsectors ? p->nsectors : 1) * sizeof(*set));
    size_t n = 0;
    if (!set)
        return FW_ENOMEM;
    for (size_t i = 0; i < p->nsectors; i++)
        if (!p->sectors[i].skip)
            set[n++] = (struct fw_flash_span){p->sectors[i].addr, p->sectors[i].addr + p->sectors[i].size};
    int rc = drv->erase_banks(c, set, n);
    if (!rc) {
        r->sectors_erased = n;
        progress(o, "erase", total, total);
    }
    free(set);
    return rc;
}

/* Erase and program in one pass, where the driver's ring loader erases each
 * sector as its programming reaches it: the flash erases while the wire
 * carries the next data, instead of both waiting for an erase phase. The
 * sectors no run reaches (nothing but the erased value from there on) are
 * erased by the host after. */
static int program_erasing_ahead(struct fw_flash_ctx *c, const struct fw_flash_driver *drv, fw_flash_plan *p,
                                 const fw_flash_options *o, fw_flash_result *r, uint64_t erasing)
{
    size_t all = p->nsectors ? p->nsectors : 1;
    uint32_t *addr = malloc(3 * all * sizeof(uint32_t)), *size = addr + all, *hash = size + all;
    size_t *index = malloc(all * sizeof(size_t));
    bool *hashed = calloc(all, sizeof(bool));
    if (!addr || !index || !hashed) {
        free(addr);
        free(index);
        free(hashed);
        return FW_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < p->nsectors; i++)
        if (!p->sectors[i].skip) {
            addr[n] = p->sectors[i].addr;
            size[n] = p->sectors[i].size;
            index[n++] = i;
        }
    struct fw_flash_ahead ahead = {drv, addr, size, n, 0, false, hash, hashed};
    c->ahead = &ahead;
    r->failed_phase = "program";
    int rc = program_all(c, drv, p, o, &r->bytes_programmed, 0, erasing);
    for (; !rc && ahead.next < n; ahead.next++)
        if ((rc = drv->erase(c, addr[ahead.next], size[ahead.next])))
            ahead.failed_erasing = true;
    r->sectors_erased = ahead.next;
    if (rc && ahead.failed_erasing)
        r->failed_phase = "erase";
    for (size_t k = 0; !rc && k < n; k++) {
        p->sectors[index[k]].hashed = hashed[k];
        p->sectors[index[k]].hash = hash[k];
    }
    c->ahead = NULL;
    free(addr);
    free(index);
    free(hashed);
    return rc;
}

int fw_flash_write(fw_probe *probe, const fw_flash_driver *drv, fw_flash_plan *p, const fw_flash_options *o,
                   fw_flash_result *r, fw_diag *d)
{
    memset(r, 0, sizeof(*r));
    struct fw_flash_ctx c = fw_flash_ctx_for(probe, p->target, d);
    uint64_t total = 0, done = 0;
    for (size_t i = 0; i < p->nsectors; i++) {
        total += p->sectors[i].size;
        p->sectors[i].hashed = false;
    }
    int rc = FW_OK;
    r->failed_phase = "read";
    bool preserve = o && o->preserve, no_skip = o && o->no_skip;
    /* which sectors already hold the image: the chip hashes each of them
     * itself when it can, or they are read (needed anyway with preserve) */
    bool *match = !preserve && !no_skip ? calloc(p->nsectors ? p->nsectors : 1, sizeof(*match)) : NULL;
    struct chip_hashes hashes;
    int hashed = match ? hashes_begin(&c, p, &hashes) : FW_EINVAL;
    /* while the core hashes, the protection is read and the controller
     * unlocked (neither starts a flash operation): the wire works meanwhile */
    struct fw_flash_wrp wrp = {0};
    int level, early = FW_OK;
    bool read_protection = false, unlocked = false;
    if (hashed == FW_OK && hashes.running) {
        r->failed_phase = "protection";
        if (!(early = drv->protection(&c, &level, &wrp))) {
            read_protection = true;
            r->failed_phase = "unlock";
            unlocked = !(early = drv->unlock(&c));
        }
    }
    if (hashed == FW_OK)
        hashed = hashes_end(&c, p, &hashes, match);
    if (early) {
        free(match);
        return early;
    }
    r->failed_phase = "read";
    if (hashed == FW_OK) {
        for (size_t i = 0; i < p->nsectors; i++) {
            p->sectors[i].skip = match[i];
            r->sectors_skipped += match[i];
            progress(o, "read", done += p->sectors[i].size, total);
        }
    } else {
        free(match);
        match = NULL;
        if (hashed != FW_EINVAL) {
            if (unlocked)
                drv->lock(&c);
            return hashed; /* the probe or the chip failed; FW_EINVAL: SRAM cannot run it, so read */
        }
    }
    for (size_t i = match ? p->nsectors : 0; i < p->nsectors && !rc;) {
        /* small sectors are read together, a run at a time (a command costs
         * more than a few hundred bytes on the wire); a large one alone, in
         * growing pieces that stop at the first difference, so a sector to
         * rewrite costs a short read, not a whole one */
        uint64_t run;
        size_t j = sector_run(p, i, SMALL_SECTOR, &run);
        uint8_t *now = malloc(run);
        if (!now)
            return FW_ENOMEM;
        bool whole = preserve || j > i + 1;
        if (whole && (preserve || !no_skip))
            rc = fw_probe_read(probe, p->sectors[i].addr, now, run, d);
        for (size_t k = i, at = 0; k < j && !rc; at += p->sectors[k++].size) {
            fw_plan_sector *s = &p->sectors[k];
            for (uint32_t b = 0; preserve && b < s->size; b++)
                if (!s->covered[b])
                    s->want[b] = now[at + b];
            s->skip = !no_skip;
            for (uint32_t got = 0, piece = 64; !whole && s->skip && got < s->size; got += piece, piece *= 4) {
                piece = s->size - got < piece ? s->size - got : piece;
                rc = fw_probe_read(probe, s->addr + got, now + got, piece, d);
                s->skip = !rc && !memcmp(now + got, s->want + got, piece);
            }
            s->skip = s->skip && !rc && (!whole || !memcmp(now + at, s->want, s->size));
            r->sectors_skipped += s->skip;
            progress(o, "read", done += s->size, total);
        }
        free(now);
        i = j;
    }
    free(match);
    if (rc) {
        if (unlocked)
            drv->lock(&c);
        return rc;
    }
    /* the sectors to erase and program, for the write-protection gate */
    struct fw_flash_span *need = malloc((p->nsectors + 1) * sizeof(*need));
    size_t nneed = 0;
    if (!need)
        return FW_ENOMEM;
    for (size_t i = 0; i < p->nsectors; i++) {
        const fw_plan_sector *s = &p->sectors[i];
        if (s->skip)
            continue;
        if (nneed && need[nneed - 1].end == s->addr)
            need[nneed - 1].end = s->addr + s->size;
        else
            need[nneed++] = (struct fw_flash_span){s->addr, s->addr + s->size};
    }
    r->failed_phase = nneed ? "protection" : NULL;
    if (nneed)
        rc = read_protection ? fw_flash_check_writable(&c, &wrp, need, nneed)
                             : fw_flash_require_writable(&c, drv, need, nneed);
    free(need);
    if (rc || !nneed) {
        if (unlocked) /* nothing to write after all, or refused: locked again */
            drv->lock(&c);
        return rc;
    }
    r->failed_phase = "unlock";
    if (!unlocked && (rc = drv->unlock(&c)))
        return rc;
    /* erase, then program in runs that cross sector boundaries; when every
     * sector of the flash is to be erased, a mass erase does it in one
     * operation, and where the two banks erase at the same time (H7), both
     * at once. Otherwise in batches of the sectors whose bytes SRAM takes:
     * while a batch erases its bytes go to SRAM, then they are programmed
     * from there; a batch whose erase was too short to carry them all (small
     * pages: the wire is the longer part) erases the rest with it, and all
     * is programmed after, as one batch. */
    done = 0;
    const fw_region *flash = fw_target_region_of_kind(p->target, FW_REGION_FLASH);
    uint64_t erasing = 0;
    size_t n = 0, second = 0; /* the sectors to erase, and those of them in the second bank */
    for (size_t i = 0; i < p->nsectors; i++)
        if (!p->sectors[i].skip) {
            erasing += p->sectors[i].size;
            n++;
            second += fw_flash_in_second_bank(p->target, p->sectors[i].addr);
        }
    bool whole = drv->mass_erase && flash && erasing == fw_target_flash_size(p->target);
    bool side_by_side = !whole && drv->erase_banks && fw_flash_dual_bank(p->target) && second && second < n;
    /* where the ring loader erases each sector as it reaches it, erase and
     * program are one pass: no erase waits for the wire, nor the wire for it */
    bool one_pass = !whole && !side_by_side && drv->erases_ahead && fw_loader_ring_slot(&c, p->unit);
    uint32_t header, room = whole || side_by_side || one_pass ? 0 : fw_loader_stage_room(&c, p->unit, &header);
    /* batches pay where the wire is the slower: what does not fit in SRAM
     * would take longer to cross after the erase than the flash takes to
     * program all (H7 and F2/F4/F7 through a full-speed probe); else the
     * ring loader keeps up with the flash, and a loader's set-up per batch
     * is all a batch would add */
    uint64_t prog_us = p->unit ? erasing / p->unit * drv->unit_us : 0;
    if (erasing <= room || (erasing - room) * 1000000 / fw_flash_wire_bytes_per_s(&c) <= prog_us)
        room = 0;
    uint64_t programmed_before = 0;
    if (one_pass)
        rc = program_erasing_ahead(&c, drv, p, o, r, erasing);
    for (size_t b0 = one_pass ? p->nsectors : 0, b1; b0 < p->nsectors && !rc; b0 = b1) {
        b1 = room ? batch_end(p, b0, room) : p->nsectors;
        fw_flash_plan batch = *p;
        batch.sectors = p->sectors + b0;
        batch.nsectors = b1 - b0;
        r->failed_phase = "erase";
        /* the batch's first bytes to program go to SRAM while the flash erases */
        struct fw_flash_stage stage = {0};
        uint8_t *staged = NULL;
        if (stage_first_run(&c, &batch, &stage, &staged))
            c.stage = &stage;
        if (whole && !(rc = drv->mass_erase(&c))) {
            r->sectors_erased = p->nsectors;
            progress(o, "erase", total, total);
        }
        if (!rc && side_by_side)
            rc = erase_side_by_side(&c, drv, p, o, r, total);
        if (!whole && !side_by_side)
            rc = erase_sectors(&c, drv, p, b0, b1, o, r, &done, total);
        if (!rc && b1 < p->nsectors && (!c.stage || stage.sent < stage.len)) {
            /* the erase was shorter than the wire: the rest erases now (the
             * stage still filling), and all is programmed as one batch */
            rc = erase_sectors(&c, drv, p, b1, p->nsectors, o, r, &done, total);
            b1 = p->nsectors;
            batch.nsectors = b1 - b0;
        }
        stage.erasing = false;
        if (!rc) {
            r->failed_phase = "program";
            rc = program_all(&c, drv, &batch, o, &r->bytes_programmed, programmed_before, erasing);
            for (size_t i = b0; i < b1; i++)
                programmed_before += p->sectors[i].skip ? 0 : p->sectors[i].size;
        }
        c.stage = NULL;
        free(staged);
    }
    int locked = drv->lock(&c);
    if (!rc && locked) {
        r->failed_phase = "lock";
        return locked;
    }
    if (!rc)
        rc = clear_empty_check(&c);
    if (!rc)
        r->failed_phase = NULL;
    return rc;
}

/* The mismatch of one sector's read-back, as ranges with a diagnosis. */
static size_t report_mismatch(const fw_flash_plan *p, const fw_plan_sector *s, const uint8_t *got, fw_diag *d,
                              size_t reported)
{
    size_t found = 0;
    for (uint32_t k = 0; k < s->size;) {
        if (got[k] == s->want[k]) {
            k++;
            continue;
        }
        uint32_t end = k;
        while (end < s->size && got[end] != s->want[end])
            end++;
        if (reported + found < 8) {
            fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-VERIFY", NULL,
                                           "flash differs at 0x%08x-0x%08x (%u bytes): reads %02X, expected %02X",
                                           s->addr + k, s->addr + end - 1, end - k, got[k], s->want[k]);
            fw_diagnostic_set_range(e, s->addr + k, s->addr + end);
        }
        found++;
        k = end;
    }
    (void)p;
    return found;
}

/* Verification's tally: the differing ranges, and how many of the image's
 * data bytes were wanted and read the erased value instead. */
struct verify_tally {
    size_t ranges;
    uint64_t wanted, erased_where_data;
};

/* Reads sectors [i, j) back (together: fewer, fuller commands) and tallies. */
static int read_back_run(fw_probe *probe, const fw_flash_plan *p, size_t i, size_t j, uint64_t bytes,
                         struct verify_tally *t, fw_diag *d)
{
    uint8_t *got = malloc(bytes);
    if (!got)
        return FW_ENOMEM;
    int rc = fw_probe_read(probe, p->sectors[i].addr, got, bytes, d);
    for (size_t k = i, at = 0; k < j && !rc; at += p->sectors[k++].size) {
        const fw_plan_sector *s = &p->sectors[k];
        for (uint32_t b = 0; b < s->size; b++)
            t->erased_where_data += s->covered[b] && s->want[b] != p->erased && got[at + b] == p->erased;
        t->ranges += report_mismatch(p, s, got + at, d, t->ranges);
    }
    free(got);
    return rc;
}

static int verify_runs(fw_probe *probe, const fw_flash_plan *p, bool on_chip, fw_diag *d)
{
    struct verify_tally t = {0};
    struct fw_flash_ctx c = fw_flash_ctx_for(probe, p->target, d);
    bool *match = on_chip ? calloc(p->nsectors ? p->nsectors : 1, sizeof(*match)) : NULL;
    if (on_chip && !match)
        return FW_ENOMEM;
    int rc = match ? sectors_match_on_chip(&c, p, match) : FW_OK;
    if (rc == FW_EINVAL) { /* SRAM too small for the routine: read everything back */
        free(match);
        match = NULL;
        rc = FW_OK;
    }
    for (size_t i = 0; i < p->nsectors && !rc;) {
        uint64_t bytes;
        size_t j = sector_run(p, i, UINT32_MAX, &bytes);
        for (size_t k = i; k < j; k++)
            for (uint32_t b = 0; b < p->sectors[k].size; b++)
                t.wanted += p->sectors[k].covered[b] && p->sectors[k].want[b] != p->erased;
        if (!match)
            rc = read_back_run(probe, p, i, j, bytes, &t, d);
        for (size_t k = i; match && k < j && !rc; k++)
            if (!match[k]) /* the chip's hash differs: the bytes say where */
                rc = read_back_run(probe, p, k, k + 1, p->sectors[k].size, &t, d);
        i = j;
    }
    free(match);
    if (rc)
        return rc;
    size_t ranges = t.ranges;
    uint64_t wanted = t.wanted, erased_where_data = t.erased_where_data;
    if (!ranges)
        return FW_OK;
    fw_diagnostic *e;
    if (wanted && erased_where_data == wanted) {
        e = fw_diag_add(d, FW_ERROR, "FLASH-BLANK", NULL,
                        "flash reads the erased value 0x%02X over the whole image: nothing was written", p->erased);
        fw_diagnostic_set_hint(e, "the chip refused every write: write protection (option bytes), read protection "
                                  "(RDP), a bank the driver does not reach, or the target lost power while programming");
    } else {
        e = fw_diag_add(d, FW_ERROR, "FLASH-VERIFY", NULL, "%zu range%s of flash differ from the image after programming",
                        ranges, ranges == 1 ? "" : "s");
        fw_diagnostic_set_hint(e, "run the write again; if the same bytes differ, the sector may be worn or "
                                  "write-protected, or the supply unstable");
    }
    return FW_EDEVICE;
}

int fw_flash_verify(fw_probe *probe, const fw_flash_plan *p, fw_diag *d)
{
    return verify_runs(probe, p, false, d);
}

int fw_flash_verify_on_chip(fw_probe *probe, const fw_flash_plan *p, fw_diag *d)
{
    return verify_runs(probe, p, true, d);
}

int fw_flash_erase(fw_probe *probe, const fw_flash_driver *drv, const fw_target *t, uint32_t addr, uint32_t len,
                   fw_diag *d)
{
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    if (!flash)
        return FW_EINVAL;
    /* the banks follow each other */
    uint64_t span = fw_target_flash_size(t);
    uint64_t lo = len ? addr : flash->base, end = len ? (uint64_t)addr + len : flash->base + span;
    const fw_region *alias, *shown = flash_behind_alias(t, lo, &alias);
    if (shown) { /* the same flash named through its other TrustZone alias */
        lo = lo - alias->base + shown->base;
        end = end - alias->base + shown->base;
    }
    if (lo < flash->base || end > flash->base + span) {
        fw_diag_add(d, FW_ERROR, "FLASH-OUTSIDE", NULL, "0x%08llx-0x%08llx is not inside the %s's flash",
                    (unsigned long long)lo, (unsigned long long)end - 1, t->name);
        return FW_ERANGE;
    }
    struct fw_flash_ctx c = fw_flash_ctx_for(probe, t, d);
    struct fw_flash_wrp w = {0};
    int level, rc = drv->protection(&c, &level, &w);
    if (rc)
        return rc;
    bool all = !len;
    if (all && w.held.end && w.held.addr > lo && w.held.end >= end) {
        /* all of flash but what another core keeps (STM32WB CPU2) */
        fw_diag_add(d, FW_NOTE, "FLASH-CPU2-AREA", NULL, "0x%08x-0x%08x is %s: flash is erased up to it, page by page",
                    w.held.addr, w.held.end - 1, w.held_by);
        end = w.held.addr;
        all = false;
    }
    struct fw_flash_span need = {(uint32_t)lo, (uint32_t)end};
    if ((rc = fw_flash_check_writable(&c, &w, &need, 1)))
        return rc;
    rc = drv->unlock(&c);
    if (!rc && all && drv->mass_erase) {
        rc = drv->mass_erase(&c);
        drv->lock(&c);
        return rc;
    }
    for (uint64_t at = lo; !rc && at < end;) {
        uint64_t start;
        uint32_t size;
        fw_flash_sector(fw_target_region_at(t, at), at, &start, &size);
        rc = drv->erase(&c, (uint32_t)start, size);
        at = start + size;
    }
    drv->lock(&c);
    return rc;
}
