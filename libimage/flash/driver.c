/* SPDX-License-Identifier: MIT */
/* The flash drivers' shared pieces and the choice of driver by the target's
 * controller family (see driver.h). */
#include "driver.h"
#include "loaders.h"
#include "probe/transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct fw_flash_driver *const drivers[] = {
    &fw_flash_drv_f0f1f3, &fw_flash_drv_f2f4f7, &fw_flash_drv_l0l1, &fw_flash_drv_l4g0, &fw_flash_drv_h7, &fw_flash_drv_l5u5,
    &fw_flash_drv_h5,
};

const fw_flash_driver *fw_flash_driver_for(const fw_target *t, fw_diag *d)
{
    if (t->flash_incompatible) { /* a clone whose controller none of ours fits (clones.map) */
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-CLONE-INCOMPATIBLE", NULL,
                                       "fwkit will not program the %s: %s", t->name, t->flash_incompatible);
        fw_diagnostic_set_hint(e, "nothing was erased; program it with its maker's tools");
        return NULL;
    }
    const struct fw_controller *ctl = t->has_flash_registers ? fw_controller_named(t->flash_controller) : NULL;
    for (size_t i = 0; ctl && i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (drivers[i]->family == ctl->family)
            return drivers[i];
    fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-DRIVER", NULL, "fwkit has no flash driver for the %s (controller '%s')",
                                   t->name, t->flash_controller ? t->flash_controller : "unknown");
    fw_diagnostic_set_hint(e, "drivers exist for the F0/F1/F3, F2/F4/F7, L0/L1, L4/G0/G4/WB/WL/C0/U0, H7, "
                              "L5/U5/WBA and H5 controllers");
    return NULL;
}

const char *fw_flash_driver_name(const fw_flash_driver *drv)
{
    return drv->name;
}

uint64_t fw_flash_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void fw_flash_sleep_us(unsigned us)
{
    struct timespec ts = {(time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L};
    nanosleep(&ts, NULL);
}

int fw_flash_wait(struct fw_flash_ctx *c, uint32_t sr, uint32_t busy_mask, unsigned timeout_ms, unsigned expect_us,
                  uint32_t *sr_value)
{
    uint64_t until = fw_flash_now_ms() + timeout_ms;
    /* wait about the operation's time before the next look (pieces of the
     * stage may fill it, a look after each), then an eighth of it */
    for (unsigned owed = expect_us;;) {
        int rc = fw_probe_read_word(c->probe, sr, sr_value, c->d);
        if (rc)
            return rc;
        if (!(*sr_value & busy_mask))
            return FW_OK;
        if (fw_flash_now_ms() > until) {
            fw_diag_add(c->d, FW_ERROR, "FLASH-TIMEOUT", NULL,
                        "the flash controller stayed busy for %u ms (status 0x%08x)", timeout_ms, *sr_value);
            return FW_EDEVICE;
        }
        unsigned pause = owed >= 200 ? owed : expect_us / 8, used = 0;
        if (pause >= 200 && (rc = fw_flash_idle(c, pause, &used)))
            return rc;
        owed = owed > used ? owed - used : 0;
    }
}

int fw_flash_check(struct fw_flash_ctx *c, uint32_t sr, uint32_t sr_value, const struct fw_flash_error_bit *errors,
                   const char *what, uint32_t addr)
{
    char words[256] = "";
    uint32_t set = 0;
    for (const struct fw_flash_error_bit *e = errors; e->bit; e++)
        if (sr_value & e->bit) {
            set |= e->bit;
            strncat(words, *words ? "; " : "", sizeof(words) - strlen(words) - 1);
            strncat(words, e->meaning, sizeof(words) - strlen(words) - 1);
        }
    if (!set)
        return FW_OK;
    fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-ERROR", NULL, "%s at 0x%08x failed: %s (status 0x%08x)", what,
                                   addr, words, sr_value);
    fw_diagnostic_set_range(e, addr, addr + 1);
    fw_probe_write_word(c->probe, sr, set, c->d);
    return FW_EDEVICE;
}

int fw_flash_run_op(struct fw_flash_ctx *c, const struct fw_flash_op *how, uint32_t op, const char *what, uint32_t addr)
{
    uint32_t sr;
    int rc;
    if ((rc = fw_probe_write_word(c->probe, how->cr, op, c->d)) ||
        (rc = fw_probe_write_word(c->probe, how->cr, op | how->start, c->d)))
        return rc;
    /* the operation has just started: no point asking before its typical time */
    if (how->expect_us >= 200)
        fw_flash_sleep_us(how->expect_us);
    if ((rc = fw_flash_wait(c, how->sr, how->busy_mask, how->timeout_ms, how->expect_us / 8, &sr)))
        return rc;
    rc = fw_flash_check(c, how->sr, sr, how->errors, what, addr);
    fw_probe_write_word(c->probe, how->cr, 0, c->d);
    return rc;
}

int fw_flash_stream(struct fw_flash_ctx *c, const struct fw_flash_stream *how, uint32_t addr, const uint8_t *data,
                    uint32_t len)
{
    uint32_t sr;
    int rc = FW_OK;
    for (uint32_t off = 0; off < len && !rc; off += how->block) {
        uint32_t n = len - off > how->block ? how->block : len - off;
        if (!(rc = how->write(c->probe, addr + off, data + off, n, c->d)) &&
            !(rc = fw_probe_read_word(c->probe, how->sr, &sr, c->d)))
            rc = fw_flash_check(c, how->sr, sr, how->errors, "programming", addr + off);
    }
    /* the flash may still be working through what the wire delivered ahead of it */
    uint64_t queued_ms = (uint64_t)len / how->block * how->us_per_block / 1000 + how->us_per_block / 1000;
    if (!rc && !(rc = fw_flash_wait(c, how->sr, how->busy_mask, (unsigned)(1000 + 2 * queued_ms),
                                    how->us_per_block / 8, &sr)))
        rc = fw_flash_check(c, how->sr, sr, how->errors, "programming", addr);
    return rc;
}

/* After a loader failed part way: how far the flash holds the image. The
 * ring programs in order, so that is the first unit that differs; it must
 * hold the erased value (a unit half written cannot be written again). */
static int programmed_so_far(struct fw_flash_ctx *c, uint32_t unit, uint32_t addr, const uint8_t *data, uint32_t len,
                             uint32_t *done)
{
    uint8_t buf[1024];
    const fw_region *bank = fw_target_region_at(c->target, addr);
    int erased = bank && bank->erased >= 0 ? bank->erased : 0xFF;
    for (uint32_t off = 0; off < len;) {
        uint32_t n = len - off < sizeof(buf) ? len - off : (uint32_t)sizeof(buf);
        int rc = fw_probe_read(c->probe, addr + off, buf, n, c->d);
        if (rc)
            return rc;
        for (uint32_t u = 0; u < n; u += unit)
            if (memcmp(buf + u, data + off + u, unit)) {
                for (uint32_t b = 0; b < unit; b++)
                    if (buf[u + b] != (uint8_t)erased) {
                        fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-LOADER", NULL,
                                                       "the flash loader failed while programming 0x%08x, which now "
                                                       "holds neither the image nor erased flash",
                                                       addr + off + u);
                        fw_diagnostic_set_hint(e, "a unit cannot be programmed twice: run the write again (it erases "
                                                  "that sector first)");
                        return FW_EDEVICE;
                    }
                *done = off + u;
                return FW_OK;
            }
        off += n;
    }
    *done = len;
    return FW_OK;
}

/* The sectors of ctx->ahead that a run ending at end reaches and no loader
 * erased: erased by the host, the programming mode set again after. */
static int erase_ahead_by_host(struct fw_flash_ctx *c, const struct fw_ring_family *f, uint32_t end)
{
    struct fw_flash_ahead *a = c->ahead;
    if (!a || a->next >= a->n || a->addr[a->next] >= end)
        return FW_OK;
    int rc = FW_OK;
    for (; a->next < a->n && a->addr[a->next] < end && !rc; a->next++)
        rc = a->drv->erase(c, a->addr[a->next], a->size[a->next]);
    if (rc)
        a->failed_erasing = true;
    return rc ? rc : fw_probe_write_word(c->probe, c->regs + f->cr, f->program_mode, c->d);
}

/* The ring loader's erase table for a run ending at end: the sectors of
 * ctx->ahead it reaches, {address, select} each (e->n 0:
 * none, or the family does not erase ahead) */
static int erase_table(struct fw_flash_ctx *c, const struct fw_ring_family *f, uint32_t end, struct fw_ring_erase *e)
{
    struct fw_flash_ahead *a = c->ahead;
    size_t n = 0;
    while (a && f->erase_select && a->next + n < a->n && a->addr[a->next + n] < end)
        n++;
    uint32_t *table = n ? malloc(8 * n) : NULL;
    for (size_t i = 0; table && i < n; i++) {
        table[2 * i] = a->addr[a->next + i];
        table[2 * i + 1] = f->erase_select(c, a->addr[a->next + i]);
    }
    *e = (struct fw_ring_erase){
        c->regs + f->cr, f->program_mode, f->erase_start, table, table ? (uint32_t)n : 0, 0, false};
    return n && !table ? FW_ENOMEM : FW_OK;
}

/* The sectors of ctx->ahead the ring loader hashes after a run [addr, end):
 * every one the run programs or erases, so that each sector's last hash
 * is of its final contents, from *first (h->n 0: none) */
static int hash_list(struct fw_flash_ctx *c, uint32_t addr, uint32_t end, struct fw_ring_hash *h, size_t *first)
{
    struct fw_flash_ahead *a = c->ahead;
    size_t lo = 0, hi;
    *h = (struct fw_ring_hash){0};
    if (!a || !a->hash)
        return FW_OK;
    while (lo < a->n && a->addr[lo] + a->size[lo] <= addr)
        lo++;
    lo = lo < a->next ? lo : a->next;
    for (hi = lo; hi < a->n && a->addr[hi] < end;)
        hi++;
    *h = (struct fw_ring_hash){.n = (uint32_t)(hi - lo), .addr = a->addr + lo, .len = a->size + lo};
    *first = lo;
    h->hash = h->n ? malloc(h->n * sizeof(uint32_t)) : NULL;
    return h->n && !h->hash ? FW_ENOMEM : FW_OK;
}

int fw_flash_ring_program(struct fw_flash_ctx *c, const struct fw_ring_family *f,
                          const struct fw_flash_error_bit *errors, uint32_t addr, const uint8_t *data, uint32_t len,
                          uint32_t *done)
{
    uint32_t sr, staged = 0;
    int rc = FW_OK;
    *done = 0;
    /* what the flash's erase left time to put in SRAM: from there first */
    struct fw_flash_stage *s = c->stage;
    if (s && !s->used && s->len && s->dst == addr && s->len <= len && !(s->len % f->unit)) {
        s->used = true;
        rc = fw_loader_run_stage(c, f, s, &staged);
    }
    if (!rc && (len - staged < 2 * f->unit || !fw_loader_ring_slot(c, f->unit))) {
        *done = staged;
        return erase_ahead_by_host(c, f, addr + len);
    }
    struct fw_ring_erase e = {0};
    struct fw_ring_hash h = {0};
    size_t first = 0;
    if (!rc && !(rc = erase_table(c, f, addr + len, &e)) && !(rc = hash_list(c, addr, addr + len, &h, &first)))
        rc = fw_loader_stream(c, f, addr + staged, data + staged, len - staged, e.n ? &e : NULL, h.n ? &h : NULL);
    if (e.n)
        c->ahead->next += e.erased;
    for (uint32_t i = 0; !rc && h.done && i < h.n; i++) {
        c->ahead->hash[first + i] = h.hash[i];
        c->ahead->hashed[first + i] = true;
    }
    bool table = e.n > 0;
    free(e.table);
    free(h.hash);
    if (rc == FW_EUNSUPPORTED) { /* the loader failed, not the flash: the rest through the debug port */
        if ((rc = erase_ahead_by_host(c, f, addr + len)))
            return rc;
        return programmed_so_far(c, f->unit, addr, data, len, done);
    }
    if (rc && table && e.failed_erasing) {
        c->ahead->failed_erasing = true;
        if (!fw_probe_read_word(c->probe, c->regs + f->sr, &sr, c->d))
            fw_flash_check(c, c->regs + f->sr, sr, errors, "erasing the sector", c->ahead->addr[c->ahead->next]);
    } else if (rc && !fw_probe_read_word(c->probe, c->regs + f->sr, &sr, c->d)) {
        fw_flash_check(c, c->regs + f->sr, sr, errors, "programming", addr);
    }
    *done = rc ? 0 : len;
    return rc;
}

uint64_t fw_flash_wire_bytes_per_s(const struct fw_flash_ctx *c)
{
    /* 46 SWD clocks a word (ADIv5 §4.2), and as long again for USB and the probe */
    uint64_t khz = fw_probe_khz(c->probe) ? fw_probe_khz(c->probe) : 1000;
    return khz * 1000 * 4 / 46 / 2;
}

int fw_flash_idle(struct fw_flash_ctx *c, unsigned us, unsigned *used)
{
    /* what the wire carries in that time; a piece under 1 KiB is not worth its command */
    struct fw_flash_stage *s = c->stage;
    uint64_t bytes_per_s = fw_flash_wire_bytes_per_s(c), fits = us * bytes_per_s / 1000000;
    *used = us;
    if (s && s->erasing && s->sent < s->len && fits >= 1024) {
        uint32_t before = s->sent;
        int rc = fw_loader_stage_piece(c, s, fits > UINT32_MAX ? UINT32_MAX : (uint32_t)fits);
        *used = (unsigned)((s->sent - before) * 1000000ull / bytes_per_s);
        return rc;
    }
    fw_flash_sleep_us(us);
    return FW_OK;
}

int fw_flash_unlock_keys(struct fw_flash_ctx *c, uint32_t keyr, uint32_t key1, uint32_t key2, uint32_t lock_reg,
                         uint32_t lock_bit, const char *what)
{
    uint32_t v;
    int rc = fw_probe_read_word(c->probe, lock_reg, &v, c->d);
    if (rc || !(v & lock_bit))
        return rc;
    if ((rc = fw_probe_write_word(c->probe, keyr, key1, c->d)) || (rc = fw_probe_write_word(c->probe, keyr, key2, c->d)) ||
        (rc = fw_probe_read_word(c->probe, lock_reg, &v, c->d)))
        return rc;
    if (v & lock_bit) {
        /* a wrong key before we came locks the controller until the next
         * reset (RM0090 §3.5.1; the other families' manuals alike): one
         * system reset, the core halted at its reset vector, and the keys
         * once more */
        fw_diag_add(c->d, FW_NOTE, "FLASH-LOCKED", NULL,
                    "the %s refused its keys (a wrong key sequence before fwflash came locks it until reset): "
                    "resetting the chip, halted, and unlocking again",
                    what);
        if ((rc = fw_probe_reset(c->probe, true, c->d)) || (rc = fw_probe_read_word(c->probe, lock_reg, &v, c->d)))
            return rc;
        if ((v & lock_bit) &&
            ((rc = fw_probe_write_word(c->probe, keyr, key1, c->d)) ||
             (rc = fw_probe_write_word(c->probe, keyr, key2, c->d)) || (rc = fw_probe_read_word(c->probe, lock_reg, &v, c->d))))
            return rc;
    }
    if (v & lock_bit) {
        fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-LOCKED", NULL, "the %s stayed locked after its key sequence",
                                       what);
        fw_diagnostic_set_hint(e, "it stayed locked after a reset too: power-cycle the board, then try again");
        return FW_EDEVICE;
    }
    return FW_OK;
}

int fw_flash_clear_stale_errors(struct fw_flash_ctx *c, uint32_t sr, const struct fw_flash_error_bit *errors)
{
    return fw_flash_clear_stale_errors_at(c, sr, sr, errors);
}

int fw_flash_clear_stale_errors_at(struct fw_flash_ctx *c, uint32_t sr, uint32_t clear,
                                   const struct fw_flash_error_bit *errors)
{
    uint32_t mask = 0, v;
    for (const struct fw_flash_error_bit *e = errors; e->bit; e++)
        mask |= e->bit;
    int rc = fw_probe_read_word(c->probe, sr, &v, c->d);
    if (rc || !(v & mask))
        return rc;
    char words[160] = "";
    for (const struct fw_flash_error_bit *e = errors; e->bit; e++)
        if (v & e->bit) {
            size_t n = strcspn(e->meaning, ":");
            snprintf(words + strlen(words), sizeof(words) - strlen(words), "%s%.*s", *words ? ", " : "", (int)n,
                     e->meaning);
        }
    fw_diag_add(c->d, FW_NOTE, "FLASH-STALE", NULL,
                "the flash controller held error flags from an earlier session (%s): cleared before the first "
                "operation",
                words);
    return fw_probe_write_word(c->probe, clear, v & mask, c->d);
}

int fw_flash_rdp_level(uint8_t rdp)
{
    return rdp == 0xAA ? 0 : rdp == 0xCC ? 2 : 1;
}

uint8_t fw_flash_rdp_code(int level)
{
    return level == 0 ? 0xAA : level == 2 ? 0xCC : 0xBB; /* level 1: any other code; 0xBB as ST's HAL writes it */
}

void fw_flash_list_bits(uint32_t mask, const char *what, char *out, size_t cap)
{
    snprintf(out, cap, "%s", mask ? what : "none");
    for (unsigned i = 0; i < 32; i++)
        if (mask >> i & 1)
            snprintf(out + strlen(out), cap - strlen(out), "%s%u", strlen(out) > strlen(what) ? ", " : " ", i);
}

void fw_flash_wrp_add(struct fw_flash_wrp *wrp, uint32_t addr, uint32_t len)
{
    if (wrp->n && wrp->range[wrp->n - 1].end == addr) {
        wrp->range[wrp->n - 1].end = addr + len;
    } else if (wrp->n < FW_FLASH_WRP_RANGES) {
        wrp->range[wrp->n].addr = addr;
        wrp->range[wrp->n++].end = addr + len;
    }
}

struct fw_flash_ctx fw_flash_ctx_for(fw_probe *p, const fw_target *t, fw_diag *d)
{
    const fw_region *flash = fw_target_region_of_kind(t, FW_REGION_FLASH);
    return (struct fw_flash_ctx){
        p, t, (uint32_t)t->flash_registers, flash ? (uint32_t)flash->base : 0, d, NULL, NULL, NULL, false};
}

void fw_flash_write_resetting(struct fw_flash_ctx *c, uint32_t reg, uint32_t value)
{
    fw_probe_set_core_khz(c->probe, 0); /* the reset brings back the reset clock */
    fw_diag *ignored = fw_diag_new();
    fw_probe_write_word(c->probe, reg, value, ignored);
    fw_diag_free(ignored);
}

bool fw_flash_in_second_bank(const fw_target *t, uint32_t addr)
{
    const fw_region *r = fw_target_region_at(t, addr);
    return r && r->kind == FW_REGION_FLASH && r != fw_target_region_of_kind(t, FW_REGION_FLASH);
}

bool fw_flash_dual_bank(const fw_target *t)
{
    const fw_region *first = fw_target_region_of_kind(t, FW_REGION_FLASH);
    return first && fw_target_flash_size(t) > first->size;
}

uint32_t fw_flash_option_base(struct fw_flash_ctx *c, uint32_t need_size)
{
    const fw_region *ob = fw_target_region_of_kind(c->target, FW_REGION_OPTION_BYTES);
    if (ob && ob->size >= need_size && ob->base <= UINT32_MAX)
        return (uint32_t)ob->base;
    fw_diag_add(c->d, FW_ERROR, "FLASH-OPTIONS", NULL, "the target data gives the %s no option bytes to program",
                c->target->name);
    return 0;
}


uint32_t fw_flash_sector(const fw_region *r, uint64_t addr, uint64_t *start, uint32_t *size)
{
    uint64_t at = r->base;
    uint32_t index = 0;
    for (size_t i = 0; i < r->nlayout; i++)
        for (uint32_t k = 0; k < r->layout[i].count; k++, index++) {
            if (addr < at + r->layout[i].size) {
                *start = at;
                *size = r->layout[i].size;
                return index;
            }
            at += r->layout[i].size;
        }
    uint32_t unit = r->erase_size ? r->erase_size : 1024;
    *start = r->base + (addr - r->base) / unit * unit;
    *size = unit;
    return (uint32_t)((addr - r->base) / unit);
}

uint32_t fw_flash_sector_index(const fw_target *t, uint32_t addr)
{
    const fw_region *r = fw_target_region_at(t, addr);
    uint64_t start;
    uint32_t size;
    return r && r->kind == FW_REGION_FLASH ? fw_flash_sector(r, addr, &start, &size) : 0;
}

unsigned fw_flash_write_unit(const fw_target *t, unsigned fallback)
{
    const fw_region *r = fw_target_region_of_kind(t, FW_REGION_FLASH);
    return r && r->write_size ? r->write_size : fallback;
}

uint32_t fw_flash_secure_reg(const struct fw_flash_ctx *c, uint32_t ns, uint32_t sec)
{
    const struct fw_controller *f = fw_controller_named(c->target->flash_controller);
    return c->target->secure_view && f ? c->regs + f->secure_regs + sec : c->regs + ns;
}

int fw_flash_set_block_security(struct fw_flash_ctx *c, uint32_t secbb1, uint32_t bank2_offset, uint32_t value)
{
    int rc = FW_OK;
    for (int b = 0; b < 2 && !rc; b++) {
        const fw_region *bank = fw_flash_bank_region(c->target, b);
        uint32_t pages = bank && bank->erase_size ? (uint32_t)(bank->size / bank->erase_size) : 0;
        for (uint32_t r = 0; r < (pages + 31) / 32 && !rc; r++)
            rc = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, 0, secbb1 + (uint32_t)b * bank2_offset) + 4 * r,
                                     value, c->d);
    }
    return rc;
}

const fw_region *fw_flash_bank_region(const fw_target *t, int b)
{
    for (size_t i = 0, k = 0; i < t->nregions; i++)
        if (t->regions[i].kind == FW_REGION_FLASH && fw_region_in_default_variant(t, &t->regions[i]) && k++ == (size_t)b)
            return &t->regions[i];
    return NULL;
}

void fw_flash_wrp_by_groups(const fw_target *t, int b, uint32_t bits, unsigned group, struct fw_flash_wrp *wrp)
{
    const fw_region *bank = fw_flash_bank_region(t, b);
    uint32_t sectors = bank && bank->erase_size ? (uint32_t)(bank->size / bank->erase_size) : 0;
    for (uint32_t s = 0; s < sectors; s++)
        if (!(bits >> (s / group % 32) & 1))
            fw_flash_wrp_add(wrp, (uint32_t)bank->base + s * bank->erase_size, bank->erase_size);
    char list[80];
    fw_flash_list_bits(~bits & (sectors / group >= 32 ? 0xFFFFFFFFu : (1u << (sectors / group)) - 1),
                       group > 1 ? "sector groups" : "sectors", list, sizeof(list));
    size_t len = strlen(wrp->text);
    snprintf(wrp->text + len, sizeof(wrp->text) - len, "%sbank %d: %s", len ? "; " : "", b + 1, list);
}

int fw_flash_unprotect_not_done(struct fw_flash_ctx *c, const char *why, const char *hint)
{
    fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-UNSUPPORTED", NULL,
                                   "removing read protection on the %s is not done by fwkit yet (%s)", c->target->name,
                                   why);
    fw_diagnostic_set_hint(e, hint);
    return FW_EUNSUPPORTED;
}
