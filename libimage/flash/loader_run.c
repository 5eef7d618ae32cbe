/* SPDX-License-Identifier: MIT */
/* Running a RAM flash loader through the probe: code at the start of SRAM,
 * its data after it, arguments in r0-r4, run with interrupts masked (DHCSR
 * C_MASKINTS) until the loader's BKPT. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "driver.h"
#include "fwkit/core.h"
#include "probe/transport.h"
#include "fwkit/bytes.h"
#include "loaders.h"

#define CODE_SPACE 0x100u /* the loaders are far smaller */
#define FEED_US 1000000u  /* a running watchdog is reloaded once a second (fw_flash_prepare stretched it to 26 s or more) */
#define MAX_CHUNK 16384u

/* the ring loader's header (loaders/ring.S), and its slots after it */
enum { RING_SR, RING_BUSY, RING_ERRORS, RING_UNIT, RING_SLOT, RING_DST, RING_LEFT, RING_WORDS = 8 };
#define RING_HEADER (4u * RING_WORDS)
#define RING_SLOT_MAX 8192u
#define STAGE_MAX     (1024u << 10) /* a program run's most */
#define STAGE_PIECE   8192u         /* put in SRAM between two looks at the flash */

/* the loader's place: the part's first SRAM region; none once a loader has
 * failed on this chip (the callers then use the debug port alone) */
static bool sram(const struct fw_flash_ctx *c, uint32_t *base, uint32_t *size)
{
    const fw_region *r = fw_target_region_of_kind(c->target, FW_REGION_RAM);
    if (!r || fw_probe_loaders_failed(c->probe))
        return false;
    *base = (uint32_t)r->base;
    *size = (uint32_t)r->size;
    return true;
}

/* The core's clock: the one fw_flash_prepare set, or the reset clock (a
 * firmware's faster one only shortens the waits) */
static uint32_t core_khz(const struct fw_flash_ctx *c)
{
    uint32_t khz = fw_probe_core_khz(c->probe);
    return khz ? khz : fw_target_reset_clock_khz(c->target);
}

uint32_t fw_loader_chunk(const struct fw_flash_ctx *c, unsigned unit)
{
    uint32_t base, size;
    if (!sram(c, &base, &size) || size < CODE_SPACE + 1024)
        return 0;
    uint32_t n = size - CODE_SPACE - 64;
    n = n > MAX_CHUNK ? MAX_CHUNK : n;
    return n / unit * unit;
}

/* The loader's code into SRAM (once per context and loader), the core halted. */
static int put_code(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t base)
{
    if (c->in_ram == l)
        return FW_OK;
    uint8_t code[CODE_SPACE] = {0};
    memcpy(code, l->code, l->len);
    uint32_t demcr;
    int rc = fw_probe_halt(c->probe, c->d);
    if (rc || (rc = fw_probe_write32(c->probe, base, code, (l->len + 3) & ~3u, c->d)))
        return rc;
    /* vector catch on HardFault (ARMv7-M C1.6.5): a loader that faults halts
     * there at once, instead of running the firmware's handler */
    if (!c->in_ram && !(rc = fw_probe_read_word(c->probe, FW_CORE_DEMCR, &demcr, c->d)) && !(demcr & FW_DEMCR_VC_HARDERR))
        rc = fw_probe_write_word(c->probe, FW_CORE_DEMCR, demcr | FW_DEMCR_VC_HARDERR, c->d);
    if (rc)
        return rc;
    c->in_ram = l;
    return FW_OK;
}

/* The registers the loader reads (of r0-r4), xPSR (Thumb, thread mode),
 * then run from its first instruction, interrupts masked. */
static int start(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t base, const uint32_t r[5])
{
    int rc = FW_OK;
    for (unsigned i = 0; i < l->args && i < 5 && !rc; i++)
        rc = fw_probe_write_reg(c->probe, i, r[i], c->d);
    if (!rc)
        rc = fw_probe_write_reg(c->probe, 16, 0x01000000u, c->d);
    if (!rc)
        rc = fw_probe_write_reg(c->probe, 15, base, c->d);
    return rc ? rc : fw_probe_write_word(c->probe, FW_CORE_DHCSR, FW_DHCSR_KEY | 9, c->d); /* run, C_MASKINTS */
}

static long us_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - t0->tv_sec) * 1000000L + (now.tv_nsec - t0->tv_nsec) / 1000;
}

/* The deadline of a loader's run: four times its typical time, and 2 s
 * for the wire and the host. */
static long deadline_us(unsigned expect_us)
{
    return 4L * expect_us + 2000000L;
}

/* A loader that faulted, locked up or never reached its breakpoint: the core
 * is halted and its state said once, in a note, and no loader runs on this
 * chip again: FW_EUNSUPPORTED tells the caller to go on through the debug
 * port alone (the flash code's own fallback for parts without SRAM). */
static int loader_failed(struct fw_flash_ctx *c, uint32_t dst, const char *how)
{
    fw_core_state s;
    char said[600];
    int rc = fw_core_read_state(c->probe, &s, c->d);
    if (rc)
        return rc;
    fw_core_describe(&s, said, sizeof(said));
    fw_diag_add(c->d, FW_NOTE, "FLASH-LOADER", NULL,
                "the flash loader working at 0x%08x %s: the core is %s; going on through the debug port (slower; "
                "still verified)",
                dst, how, said);
    fw_probe_set_loaders_failed(c->probe);
    c->in_ram = NULL;
    return FW_EUNSUPPORTED;
}

/* Waits for the loader's BKPT: expect_us first, then short looks, until the
 * deadline. */
static int wait_halted(struct fw_flash_ctx *c, unsigned expect_us, uint32_t dst)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* an erase loader's time carries the stage to SRAM, a piece and a look
     * in turn; else the typical time first, in pieces that keep a running
     * watchdog fed */
    struct fw_flash_stage *s = c->stage;
    unsigned left = expect_us;
    for (bool halted = false; s && s->erasing && s->sent < s->len && left;) {
        uint32_t before = s->sent;
        unsigned used;
        int rc = fw_flash_idle(c, left, &used);
        if (rc)
            return rc;
        left = left > used ? left - used : 0;
        if (s->sent == before)
            break; /* it slept: too short a time to carry a piece */
        if ((rc = fw_probe_is_halted(c->probe, &halted, c->d)) || halted)
            return rc;
    }
    while (left) {
        unsigned piece = left > FEED_US ? FEED_US : left;
        fw_flash_sleep_us(piece);
        left -= piece;
        if (left)
            fw_flash_feed_watchdog(c);
    }
    long fed = us_since(&t0);
    for (;;) {
        if (us_since(&t0) - fed > (long)FEED_US) {
            fw_flash_feed_watchdog(c);
            fed = us_since(&t0);
        }
        bool halted;
        int rc = fw_probe_is_halted(c->probe, &halted, c->d);
        if (rc || halted)
            return rc;
        if (us_since(&t0) > deadline_us(expect_us))
            return loader_failed(c, dst, "did not reach its breakpoint in time");
        /* past the typical time it is close: look often, not in big steps */
        unsigned pause = expect_us / 32 > 5000 ? 5000 : expect_us / 32;
        fw_flash_sleep_us(pause > 500 ? pause : 500);
    }
}

static int stopped_early(struct fw_flash_ctx *c, uint32_t at, uint32_t left)
{
    /* its BKPT, or a fault the vector catch halted: VCATCH with the core in
     * an exception (a reset catch, also VCATCH, leaves it in thread mode) */
    uint32_t dfsr, xpsr = 0;
    int rc = fw_probe_read_word(c->probe, FW_CORE_DFSR, &dfsr, c->d);
    if (!rc && (dfsr & FW_DFSR_VCATCH))
        rc = fw_probe_read_reg(c->probe, 16, &xpsr, c->d);
    if (rc)
        return rc;
    if ((dfsr & FW_DFSR_VCATCH) && (xpsr & 0x1FF)) {
        fw_probe_write_word(c->probe, FW_CORE_DFSR, FW_DFSR_VCATCH, c->d); /* write 1 to clear */
        return loader_failed(c, at, "faulted");
    }
    fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-LOADER", NULL,
                                   "the flash loader stopped at 0x%08x with %u bytes left", at, left);
    fw_diagnostic_set_range(e, at, at + 1);
    return FW_EDEVICE;
}

int fw_loader_run(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t dst, const uint8_t *data, uint32_t len,
                  uint32_t arg, unsigned expect_us)
{
    uint32_t base, size;
    if (!sram(c, &base, &size))
        return FW_EINVAL;
    int rc = put_code(c, l, base);
    if (rc)
        return rc;
    uint32_t buf = base + CODE_SPACE, whole = data ? len & ~3u : 0;
    if (whole && (rc = fw_probe_write32(c->probe, buf, data, whole, c->d)))
        return rc;
    if (data && len > whole) { /* a last half-word: padded to a word, the loader copies only len bytes */
        uint8_t tail[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        memcpy(tail, data + whole, len - whole);
        if ((rc = fw_probe_write32(c->probe, buf + whole, tail, 4, c->d)))
            return rc;
    }
    const uint32_t r[5] = {buf, dst, len, c->regs, arg};
    if ((rc = start(c, l, base, r)) || (rc = wait_halted(c, expect_us, dst)))
        return rc;
    uint32_t left, at;
    if ((rc = fw_probe_read_reg(c->probe, 2, &left, c->d)) || (rc = fw_probe_read_reg(c->probe, 1, &at, c->d)))
        return rc;
    return left ? stopped_early(c, at, left) : FW_OK;
}

/* The ring loader's header at header: the family's status register and
 * masks, its unit, the slot size, where to program and how many bytes */
static int put_ring_header(struct fw_flash_ctx *c, const struct fw_ring_family *f, uint32_t header, uint32_t slot,
                           uint32_t dst, uint32_t len)
{
    const uint32_t words[RING_WORDS] = {c->regs + f->sr, f->busy, f->errors, f->unit, slot, dst, len, 0};
    uint8_t h[RING_HEADER];
    for (int i = 0; i < RING_WORDS; i++)
        fw_put_le32(h + 4 * i, words[i]);
    return fw_probe_write32(c->probe, header, h, sizeof(h), c->d);
}

/* After its breakpoint: every byte programmed, or where it stopped */
static int ring_result(struct fw_flash_ctx *c, uint32_t header)
{
    uint8_t end[8];
    int rc = fw_probe_read(c->probe, header + 4u * RING_DST, end, sizeof(end), c->d);
    if (rc)
        return rc;
    return fw_get_le32(end + 4) ? stopped_early(c, fw_get_le32(end), fw_get_le32(end + 4)) : FW_OK;
}

uint32_t fw_loader_ring_slot(const struct fw_flash_ctx *c, unsigned unit)
{
    uint32_t base, size;
    if (!sram(c, &base, &size) || size < CODE_SPACE + RING_HEADER + 2 * (unit + 4) + 64)
        return 0;
    uint32_t slot = (size - CODE_SPACE - RING_HEADER - 8 - 64) / 2;
    slot = slot > RING_SLOT_MAX ? RING_SLOT_MAX : slot;
    uint32_t whole = unit < 4 ? 4 : unit; /* whole units, whole words */
    return slot / whole * whole;
}

int fw_loader_stream(struct fw_flash_ctx *c, const struct fw_ring_family *f, uint32_t dst, const uint8_t *data,
                     uint32_t len)
{
    uint32_t base, size, slot = fw_loader_ring_slot(c, f->unit);
    if (!slot || !sram(c, &base, &size) || len % f->unit)
        return FW_EINVAL;
    uint32_t header = base + CODE_SPACE, slots[2] = {header + RING_HEADER, header + RING_HEADER + slot + 4};
    uint8_t *buf = malloc(slot + 4);
    int rc = buf ? put_code(c, &fw_loader_ring, base) : FW_ENOMEM;
    if (!rc)
        rc = put_ring_header(c, f, header, slot, dst, len);
    const uint8_t zero[4] = {0};
    for (int k = 0; k < 2 && !rc; k++)
        rc = fw_probe_write32(c->probe, slots[k] + slot, zero, 4, c->d);
    unsigned slot_us = slot / f->unit * f->unit_us;
    /* slot k of the data goes into slots[k % 2] once the loader has freed it;
     * the loader starts after the first one is in */
    uint32_t nslots = (len + slot - 1) / slot;
    bool stopped = false;
    struct timespec fed_at;
    clock_gettime(CLOCK_MONOTONIC, &fed_at);
    for (uint32_t k = 0; k < nslots && !rc && !stopped; k++) {
        uint32_t n = len - k * slot < slot ? len - k * slot : slot, at = slots[k % 2];
        if (k >= 2) {
            /* the loader works through slot k - 2, and k - 1 is ready for it:
             * a look now, then now and then, keeps it fed */
            struct timespec t0;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (us_since(&fed_at) > (long)FEED_US) {
                fw_flash_feed_watchdog(c);
                clock_gettime(CLOCK_MONOTONIC, &fed_at);
            }
            for (uint8_t flag[4] = {1}; fw_get_le32(flag) && !rc && !stopped;) {
                rc = fw_probe_read(c->probe, at + slot, flag, 4, c->d);
                if (!rc && fw_get_le32(flag) && !(rc = fw_probe_is_halted(c->probe, &stopped, c->d)) && !stopped) {
                    if (us_since(&t0) > deadline_us(2 * slot_us))
                        rc = loader_failed(c, dst + (k - 2) * slot, "stopped taking data");
                    else
                        fw_flash_sleep_us(slot_us / 8 > 500 ? slot_us / 8 : 500);
                }
            }
            if (stopped)
                break; /* it stopped on an error: what it says follows */
        }
        memset(buf, 0xFF, slot);
        memcpy(buf, data + k * slot, n);
        fw_put_le32(buf + slot, 1);
        if (!rc)
            rc = fw_probe_write32(c->probe, at, buf, slot + 4, c->d);
        if (!rc && k == 0) {
            const uint32_t r[5] = {header, 0, 0, 0, 0};
            rc = start(c, &fw_loader_ring, base, r);
        }
    }
    free(buf);
    uint32_t tail = len % slot ? len % slot : slot;
    if (rc || (rc = wait_halted(c, tail / f->unit * f->unit_us + (nslots > 1 ? slot_us / 2 : 0), dst)))
        return rc;
    return ring_result(c, header);
}

/* The stage's SRAM: after the code, a ring header, then the data and its
 * flag word, in the first SRAM region; the bytes it can take. */
uint32_t fw_loader_stage_room(const struct fw_flash_ctx *c, unsigned unit, uint32_t *header)
{
    uint32_t base, size, whole = unit < 4 ? 4 : unit;
    if (!fw_loader_ring_slot(c, unit) || !sram(c, &base, &size))
        return 0;
    *header = base + CODE_SPACE;
    uint32_t room = size - CODE_SPACE - RING_HEADER - 4 - 64;
    room = room > STAGE_MAX ? STAGE_MAX : room;
    return room / whole * whole;
}

int fw_loader_stage_piece(struct fw_flash_ctx *c, struct fw_flash_stage *s, uint32_t most)
{
    uint32_t n = s->len - s->sent;
    n = n < STAGE_PIECE ? n : STAGE_PIECE;
    n = n < most ? n : most / 4 * 4;
    int rc = fw_probe_write32(c->probe, s->header + RING_HEADER + s->sent, s->data + s->sent, n, c->d);
    if (!rc)
        s->sent += n;
    return rc;
}

int fw_loader_run_stage(struct fw_flash_ctx *c, const struct fw_ring_family *f, struct fw_flash_stage *s, uint32_t *len)
{
    uint32_t base, size, n = s->sent / f->unit * f->unit;
    *len = 0;
    /* what the erase left no time for streams through the ring, where the
     * wire and the flash work at once: a stage shorter than its two slots
     * is not worth a run of its own */
    if (n < 2 * fw_loader_ring_slot(c, f->unit) || !sram(c, &base, &size))
        return FW_OK;
    /* one slot of the stage, its flag set: the ring loader programs it and stops */
    uint8_t flag[4];
    fw_put_le32(flag, 1);
    const uint32_t r[5] = {s->header, 0, 0, 0, 0};
    int rc;
    if ((rc = put_code(c, &fw_loader_ring, base)) || (rc = put_ring_header(c, f, s->header, n, s->dst, n)) ||
        (rc = fw_probe_write32(c->probe, s->header + RING_HEADER + n, flag, 4, c->d)) ||
        (rc = start(c, &fw_loader_ring, base, r)) || (rc = wait_halted(c, n / f->unit * f->unit_us, s->dst)) ||
        (rc = ring_result(c, s->header)))
        return rc;
    *len = n;
    return FW_OK;
}

uint32_t fw_loader_hash_of(const uint8_t *data, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i + 4 <= len; i += 4) {
        h ^= fw_get_le32(data + i);
        h *= 16777619u;
        h ^= h >> 15;
    }
    return h;
}

uint32_t fw_loader_hash_footprint(const struct fw_flash_ctx *c, size_t n, uint32_t *base)
{
    uint32_t size, room = fw_loader_chunk(c, 12) / 12;
    if (!room || !n || !sram(c, base, &size))
        return 0;
    return CODE_SPACE + 12u * (uint32_t)(n < room ? n : room);
}

int fw_loader_hash_ranges(struct fw_flash_ctx *c, const uint32_t *addr, const uint32_t *len, size_t n, uint32_t *hash)
{
    uint32_t base, size, room = fw_loader_chunk(c, 12) / 12;
    if (!room || !sram(c, &base, &size))
        return FW_EINVAL;
    uint8_t *table = malloc(room * 12);
    int rc = table ? FW_OK : FW_ENOMEM;
    /* ARMv6-M (Cortex-M0, M0+) has Thumb-1 alone; a core not named gets it too */
    const fw_target *t = c->target;
    bool thumb2 = t->core && !strncmp(t->core, "cortex-m", 8) && !fw_target_has_core(t, "cortex-m0") &&
                  !fw_target_has_core(t, "cortex-m0+");
    const struct fw_loader *loader = thumb2 ? &fw_loader_hash_v7m : &fw_loader_hash;
    for (size_t at = 0; at < n && !rc; at += room) {
        uint32_t count = n - at < room ? (uint32_t)(n - at) : room;
        uint64_t bytes = 0;
        for (uint32_t i = 0; i < count; i++) {
            fw_put_le32(table + 12 * i, addr[at + i]);
            fw_put_le32(table + 12 * i + 4, len[at + i]);
            fw_put_le32(table + 12 * i + 8, 0);
            bytes += len[at + i];
        }
        /* some eight cycles a word in Thumb-1, under six in Thumb-2, at the
         * core's clock (a faster one only helps) */
        unsigned expect_us = (unsigned)(bytes * (thumb2 ? 1400u : 2000u) / core_khz(c));
        if (!(rc = fw_loader_run(c, loader, count, table, count * 12, 0, expect_us)) &&
            !(rc = fw_probe_read(c->probe, base + CODE_SPACE, table, count * 12, c->d)))
            for (uint32_t i = 0; i < count; i++)
                hash[at + i] = fw_get_le32(table + 12 * i + 8);
    }
    free(table);
    return rc;
}

uint32_t fw_loader_checksum_footprint(const struct fw_flash_ctx *c, uint32_t *base)
{
    uint32_t size;
    return sram(c, base, &size) && size >= CODE_SPACE + 8 ? CODE_SPACE + 8 : 0;
}

int fw_loader_checksum_run(struct fw_flash_ctx *c, uint32_t kind, uint32_t *state, uint32_t addr, uint32_t len)
{
    uint32_t base;
    if (!fw_loader_checksum_footprint(c, &base) || !len)
        return FW_EINVAL;
    uint8_t block[8];
    fw_put_le32(block, kind);
    fw_put_le32(block + 4, *state);
    /* a CRC-32 costs some 50 cycles a byte (a faster clock only helps) */
    unsigned expect_us = (unsigned)((uint64_t)len * 50000u / core_khz(c));
    int rc = fw_loader_run(c, &fw_loader_checksum, addr, block, sizeof(block), len, expect_us);
    if (!rc)
        rc = fw_probe_read(c->probe, base + CODE_SPACE, block, sizeof(block), c->d);
    if (!rc)
        *state = fw_get_le32(block + 4);
    return rc;
}
