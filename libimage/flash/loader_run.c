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

#define CODE_SPACE 0x140u /* the largest loader, ring.S, takes 288 bytes */
#define FEED_US 1000000u  /* a running watchdog is reloaded once a second (fw_flash_prepare stretched it to 26 s or more) */
#define MAX_CHUNK 16384u

/* the ring loader's header (loaders/ring.S), and its slots after it */
enum {
    RING_SR,
    RING_BUSY,
    RING_ERRORS,
    RING_UNIT,
    RING_SLOT,
    RING_DST,
    RING_LEFT,
    RING_SEQ,
    RING_SLOTS,
    RING_CR,
    RING_PROGRAM_MODE,
    RING_NEXT_ERASE,
    RING_ERASE_LEFT,
    RING_FIRST_SLOT,
    RING_HASHES,
    RING_NHASH,
    RING_HASH_OUT,
    RING_ERASE_START,
    RING_WORDS
};
#define RING_HEADER (4u * RING_WORDS)
/* small slots: the flash starts after the first 1 KiB has crossed, and the
 * last one is programmed soon after the wire is done */
#define RING_SLOT     1024u
#define RING_MAX      (256u << 10)
#define STAGE_MAX     (1024u << 10) /* a program run's most */
#define STAGE_PIECE   8192u         /* put in SRAM between two looks at the flash */
#define STAGE_WORTH   (16u << 10)   /* less is not worth a run of its own: the ring takes it */

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

/* Whether the core has Thumb-2: ARMv6-M (Cortex-M0, M0+) has Thumb-1 alone,
 * and a core not named gets it too */
static bool thumb2_core(const fw_target *t)
{
    return t->core && !strncmp(t->core, "cortex-m", 8) && !fw_target_has_core(t, "cortex-m0") &&
           !fw_target_has_core(t, "cortex-m0+");
}

/* the ring loader the core runs fastest */
static const struct fw_loader *ring_loader(const struct fw_flash_ctx *c)
{
    return thumb2_core(c->target) ? &fw_loader_ring_v7m : &fw_loader_ring;
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

/* The loader's code into SRAM (once per context and loader), the core
 * halted (once per context: after that it halts at our loaders' BKPT), and
 * tail bytes after it at base + CODE_SPACE: one command when both go. */
static int put_code_and(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t base, const uint8_t *tail,
                        size_t tail_len)
{
    if (c->in_ram == l)
        return tail_len ? fw_probe_write32(c->probe, base + CODE_SPACE, tail, tail_len, c->d) : FW_OK;
    if (l->len > CODE_SPACE) /* a loader grown past its space: never over its data */
        return FW_EINVAL;
    uint8_t *buf = calloc(1, CODE_SPACE + tail_len);
    if (!buf)
        return FW_ENOMEM;
    memcpy(buf, l->code, l->len);
    if (tail_len)
        memcpy(buf + CODE_SPACE, tail, tail_len);
    uint32_t demcr;
    int rc = c->in_ram ? FW_OK : fw_probe_halt(c->probe, c->d);
    if (!rc)
        rc = fw_probe_write32(c->probe, base, buf, tail_len ? CODE_SPACE + tail_len : (l->len + 3) & ~3u, c->d);
    free(buf);
    if (rc)
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

static int put_code(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t base)
{
    return put_code_and(c, l, base, NULL, 0);
}

/* The registers the loader reads (of r0-r4), xPSR (Thumb, thread mode:
 * once per context, our loaders' BKPT leaves it so), then run from its
 * first instruction, interrupts masked. */
static int start(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t base, const uint32_t r[5])
{
    int rc = FW_OK;
    for (unsigned i = 0; i < l->args && i < 5 && !rc; i++)
        rc = fw_probe_write_reg(c->probe, i, r[i], c->d);
    if (!rc && !c->thumb_set && !(rc = fw_probe_write_reg(c->probe, 16, 0x01000000u, c->d)))
        c->thumb_set = true;
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
    c->thumb_set = false;
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

/* at: where it got to; erasing: the sector it was erasing there, or NULL */
static int stopped_early(struct fw_flash_ctx *c, uint32_t at, uint32_t left, const uint32_t *erasing)
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
    fw_diagnostic *e;
    if (erasing) {
        e = fw_diag_add(c->d, FW_ERROR, "FLASH-LOADER", NULL,
                        "the flash loader stopped erasing the sector at 0x%08x, %u bytes before the end", *erasing,
                        left);
        at = *erasing;
    } else {
        e = fw_diag_add(c->d, FW_ERROR, "FLASH-LOADER", NULL, "the flash loader stopped at 0x%08x with %u bytes left",
                        at, left);
    }
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
    return left ? stopped_early(c, at, left, NULL) : FW_OK;
}

/* The ring loader's header: the family's status register and masks (f:
 * none when it only hashes), its unit, the slot size, where to program and
 * how many bytes, the first slot's sequence value and the slots in the
 * ring; then room for the hashes, the table of sectors it erases ahead (e:
 * none when NULL) and of ranges it hashes as programming passes them (h:
 * none when NULL), then the slots. Its code goes with it when SRAM does not
 * hold it yet. */
static int put_ring_header(struct fw_flash_ctx *c, const struct fw_ring_family *f, uint32_t slot, uint32_t dst,
                           uint32_t len, uint32_t seq, uint32_t nslots, const struct fw_ring_erase *e,
                           const struct fw_ring_hash *h)
{
    uint32_t base, size;
    if (!sram(c, &base, &size))
        return FW_EINVAL;
    /* the hashes first, so that one read after the run takes them with
     * the header; then the tables */
    uint32_t ne = e ? e->n : 0, nh = h ? h->n : 0, header = base + CODE_SPACE, out = header + RING_HEADER,
             erase = out + 4 * nh, ranges = erase + 8 * ne;
    const uint32_t words[RING_WORDS] = {f ? c->regs + f->sr : 0,
                                        f ? f->busy : 0,
                                        f ? f->errors : 0,
                                        f ? f->unit : 4,
                                        slot,
                                        dst,
                                        len,
                                        seq,
                                        nslots,
                                        ne ? e->cr : 0,
                                        ne ? e->program_mode : 0,
                                        erase,
                                        ne,
                                        ranges + 8 * nh,
                                        ranges,
                                        nh,
                                        out,
                                        ne ? e->start : 0};
    size_t bytes = RING_HEADER + 4 * (size_t)nh + 8 * ((size_t)ne + nh);
    uint8_t *w = calloc(1, bytes);
    if (!w)
        return FW_ENOMEM;
    for (int i = 0; i < RING_WORDS; i++)
        fw_put_le32(w + 4 * i, words[i]);
    for (uint32_t i = 0; i < 2 * ne; i++)
        fw_put_le32(w + (erase - header) + 4 * i, e->table[i]);
    for (uint32_t i = 0; i < nh; i++) {
        fw_put_le32(w + (ranges - header) + 8 * i, h->addr[i]);
        fw_put_le32(w + (ranges - header) + 8 * i + 4, h->len[i]);
    }
    int rc = put_code_and(c, ring_loader(c), base, w, bytes);
    free(w);
    return rc;
}

/* The first slot's sequence value: one of this run's own, so that words an
 * earlier run left in SRAM do not pass for slots of this one; under 2^31,
 * so the count never wraps to a value a slot word held before */
static uint32_t first_sequence(void)
{
    static uint32_t runs;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint32_t v = (uint32_t)now.tv_nsec * 2654435761u ^ (uint32_t)now.tv_sec ^ ++runs * 40503u;
    return (v & 0x3FFFFFFFu) | 0x40000000u;
}

/* After its breakpoint: every byte programmed, or where it stopped; the
 * sectors of e it erased */
static int ring_result(struct fw_flash_ctx *c, uint32_t header, struct fw_ring_erase *e, struct fw_ring_hash *h)
{
    /* from +20 to the end of the hashes, in one read */
    uint32_t ne = e ? e->n : 0, nh = h ? h->n : 0;
    size_t bytes = 4 * (RING_WORDS - RING_DST) + 4 * (size_t)nh;
    uint8_t *end = malloc(bytes);
    if (!end)
        return FW_ENOMEM;
    int rc = fw_probe_read(c->probe, header + 4u * RING_DST, end, bytes, c->d);
    uint32_t at = rc ? 0 : fw_get_le32(end), left = rc ? 0 : fw_get_le32(end + 4 * (RING_LEFT - RING_DST));
    if (!rc && ne)
        e->erased = ne - fw_get_le32(end + 4 * (RING_ERASE_LEFT - RING_DST));
    /* its hashes, once it set the count of ranges to 0 at the end */
    bool hashed = !rc && !left && nh && !fw_get_le32(end + 4 * (RING_NHASH - RING_DST));
    for (uint32_t i = 0; hashed && i < nh; i++)
        h->hash[i] = fw_get_le32(end + 4 * (RING_WORDS - RING_DST) + 4 * i);
    if (h)
        h->done = hashed;
    free(end);
    if (rc || !left)
        return rc;
    /* stopped at a sector it had to erase before the unit at its address */
    bool erasing = e && e->erased < e->n && e->table[2 * e->erased] <= at;
    rc = stopped_early(c, at, left, erasing ? e->table + 2 * e->erased : NULL);
    if (e)
        e->failed_erasing = erasing && rc == FW_EDEVICE;
    return rc;
}

/* The SRAM after the ring loader's code and header, less a 64-byte margin:
 * what its tables, hashes and slots (or the stage) may take; 0 when none. */
static uint32_t ring_room(const struct fw_flash_ctx *c)
{
    uint32_t base, size;
    if (!sram(c, &base, &size) || size < CODE_SPACE + RING_HEADER + 64)
        return 0;
    return size - CODE_SPACE - RING_HEADER - 64;
}

/* The ring for a unit in this part's SRAM beside reserve bytes of tables
 * and hashes: the slot's bytes (whole units, whole words) and how many
 * slots; false when SRAM is too small for two. */
static bool ring_shape(const struct fw_flash_ctx *c, unsigned unit, uint32_t reserve, uint32_t *slot, uint32_t *nslots)
{
    uint32_t whole = unit < 4 ? 4 : unit, room = ring_room(c);
    if (room < reserve + 2 * (whole + 4))
        return false;
    room -= reserve;
    room = room > RING_MAX ? RING_MAX : room;
    uint32_t s = RING_SLOT / whole * whole;
    if (!s || room / (s + 4) < 2)
        s = (room / 2 - 4) / whole * whole;
    *slot = s;
    *nslots = room / (s + 4);
    return s > 0;
}

uint32_t fw_loader_ring_slot(const struct fw_flash_ctx *c, unsigned unit)
{
    uint32_t slot, nslots;
    return ring_shape(c, unit, 0, &slot, &nslots) ? slot : 0;
}

/* The ring loader's time to hash bytes: two words a turn, some five and a
 * half instructions a word in Thumb-1, four and a half in Thumb-2, at the
 * core's clock (a faster one only helps) */
static unsigned ring_hash_us(const struct fw_flash_ctx *c, uint64_t bytes)
{
    return (unsigned)(bytes * (thumb2_core(c->target) ? 1150u : 1400u) / core_khz(c));
}

/* How many slots the loader finished (its sequence word less the first);
 * *stopped when it is no longer running (its end, an error or a fault) */
static int ring_done(struct fw_flash_ctx *c, uint32_t header, uint32_t seq, uint32_t *done, bool *stopped)
{
    uint8_t w[4];
    int rc = fw_probe_read(c->probe, header + 4u * RING_SEQ, w, sizeof(w), c->d);
    if (!rc)
        *done = fw_get_le32(w) - seq;
    return rc ? rc : fw_probe_is_halted(c->probe, stopped, c->d);
}

/* A loader that failed (rc FW_EUNSUPPORTED) with sectors to erase ahead:
 * how many it erased, so the caller erases the rest before the debug port
 * programs them */
static int erased_before_failing(struct fw_flash_ctx *c, uint32_t header, struct fw_ring_erase *e, int rc)
{
    uint8_t w[4];
    if (rc != FW_EUNSUPPORTED || !e || !e->n)
        return rc;
    int read = fw_probe_read(c->probe, header + 4u * RING_ERASE_LEFT, w, sizeof(w), c->d);
    if (read)
        return read;
    uint32_t left = fw_get_le32(w);
    e->erased = left <= e->n ? e->n - left : 0;
    return rc;
}

int fw_loader_stream(struct fw_flash_ctx *c, const struct fw_ring_family *f, uint32_t dst, const uint8_t *data,
                     uint32_t len, struct fw_ring_erase *e, struct fw_ring_hash *h)
{
    uint32_t base, size, slot, nslots, reserve = 8 * (e ? e->n : 0) + 12 * (h ? h->n : 0);
    if (!ring_shape(c, f->unit, reserve, &slot, &nslots) || !sram(c, &base, &size) || len % f->unit)
        return FW_EINVAL;
    uint32_t header = base + CODE_SPACE, ring = header + RING_HEADER + reserve, seq = first_sequence();
    if (h)
        h->done = false;
    uint32_t total = (len + slot - 1) / slot;
    /* a command group the wire carries in half a watchdog feed */
    uint64_t most = fw_flash_wire_bytes_per_s(c) * FEED_US / 2000000u / (slot + 4);
    uint32_t group = most < 1 ? 1 : most > nslots ? nslots : (uint32_t)most;
    uint8_t *buf = malloc((size_t)group * (slot + 4));
    int rc = buf ? FW_OK : FW_ENOMEM;
    const uint32_t r[5] = {header, 0, 0, 0, 0};
    /* the loader runs first and waits for its slots: the flash starts as
     * soon as one has crossed the wire */
    if (!rc && !(rc = put_ring_header(c, f, slot, dst, len, seq, nslots, e, h)))
        rc = start(c, ring_loader(c), base, r);
    unsigned slot_us = slot / f->unit * f->unit_us;
    uint32_t sent = 0, done = 0;
    bool stopped = false;
    struct timespec fed_at, waiting;
    clock_gettime(CLOCK_MONOTONIC, &fed_at);
    while (sent < total && !rc && !stopped) {
        if (us_since(&fed_at) > (long)FEED_US) {
            fw_flash_feed_watchdog(c);
            clock_gettime(CLOCK_MONOTONIC, &fed_at);
        }
        if (sent == done + nslots) {
            /* the ring is full as far as the host knows: a look at how far
             * the loader got; a command is worth it once a quarter of the
             * ring (or what is left to send) is free, so till then the host
             * sleeps for the slots still to free, and looks again */
            uint32_t want = total - sent < nslots / 4 ? total - sent : nslots / 4, moved = done;
            want = want ? want : 1;
            clock_gettime(CLOCK_MONOTONIC, &waiting);
            while (!(rc = ring_done(c, header, seq, &done, &stopped)) && !stopped && done + nslots - sent < want) {
                if (done != moved) {
                    moved = done;
                    clock_gettime(CLOCK_MONOTONIC, &waiting);
                } else if (us_since(&waiting) > deadline_us(2 * slot_us)) {
                    rc =
                        erased_before_failing(c, header, e, loader_failed(c, dst + done * slot, "stopped taking data"));
                    break;
                }
                unsigned pause = (want - (done + nslots - sent)) * slot_us;
                fw_flash_sleep_us(pause > 500 ? pause : 500);
            }
            continue;
        }
        uint32_t pos = sent % nslots, g = total - sent;
        g = g < done + nslots - sent ? g : done + nslots - sent;
        g = g < nslots - pos ? g : nslots - pos;
        g = g < group ? g : group;
        g = sent ? g : 1; /* the first slot alone: the flash starts once it has crossed, not a whole command */
        for (uint32_t i = 0; i < g; i++) {
            uint32_t k = sent + i, n = len - k * slot < slot ? len - k * slot : slot;
            uint8_t *at = buf + (size_t)i * (slot + 4);
            memcpy(at, data + (size_t)k * slot, n);
            memset(at + n, 0xFF, slot - n);
            fw_put_le32(at + slot, seq + k);
        }
        if (!(rc = fw_probe_write32(c->probe, ring + pos * (slot + 4), buf, (size_t)g * (slot + 4), c->d)))
            sent += g;
    }
    free(buf);
    /* what is left to program, at the flash's pace, and to hash, then its
     * breakpoint */
    if (!rc && !stopped)
        rc = ring_done(c, header, seq, &done, &stopped);
    /* the slot it works on is half done, on the whole; it hashes a range
     * once programming has passed its end */
    uint32_t left = total - (done < total ? done : total);
    uint64_t hashing = 0, reached = dst + (uint64_t)(total - left) * slot;
    for (uint32_t i = 0; h && i < h->n; i++)
        hashing += h->addr[i] + h->len[i] > reached ? h->len[i] : 0;
    unsigned left_us = (left ? left * slot_us - slot_us / 2 : 0) + ring_hash_us(c, hashing);
    if (rc || (!stopped && (rc = wait_halted(c, left_us, dst))))
        return rc == FW_EUNSUPPORTED ? erased_before_failing(c, header, e, rc) : rc;
    return ring_result(c, header, e, h);
}

/* The stage's SRAM: after the code, a ring header, then the data and its
 * sequence word, in the first SRAM region; the bytes it can take. */
uint32_t fw_loader_stage_room(const struct fw_flash_ctx *c, unsigned unit, uint32_t *header)
{
    uint32_t base, size, whole = unit < 4 ? 4 : unit;
    if (!fw_loader_ring_slot(c, unit) || !sram(c, &base, &size))
        return 0;
    *header = base + CODE_SPACE;
    uint32_t room = ring_room(c) - 4; /* the sequence word after the data */
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
     * wire and the flash work at once: a stage under STAGE_WORTH is not
     * worth a run of its own */
    if (n < STAGE_WORTH || !fw_loader_ring_slot(c, f->unit) || !sram(c, &base, &size))
        return FW_OK;
    /* the stage as one slot, its sequence word set: the ring loader programs it and stops */
    uint8_t word[4];
    uint32_t seq = first_sequence();
    fw_put_le32(word, seq);
    const uint32_t r[5] = {s->header, 0, 0, 0, 0};
    int rc;
    if ((rc = put_ring_header(c, f, n, s->dst, n, seq, 1, NULL, NULL)) ||
        (rc = fw_probe_write32(c->probe, s->header + RING_HEADER + n, word, 4, c->d)) ||
        (rc = start(c, ring_loader(c), base, r)) || (rc = wait_halted(c, n / f->unit * f->unit_us, s->dst)) ||
        (rc = ring_result(c, s->header, NULL, NULL)))
        return rc;
    *len = n;
    return FW_OK;
}

/* The ranges one hashing run of the ring loader takes in SRAM: 0 when it
 * cannot run, or a range is not whole double words */
static uint32_t ring_hash_room(const struct fw_flash_ctx *c, const uint32_t *len, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (len[i] % 8 || !len[i])
            return 0;
    return ring_room(c) / 12; /* a range and its hash */
}

int fw_loader_ring_hash_begin(struct fw_flash_ctx *c, struct fw_ring_hash *h, unsigned *expect_us)
{
    clock_gettime(CLOCK_MONOTONIC, &h->began);
    uint32_t base, size, room = ring_hash_room(c, h->len, h->n);
    if (!room || room < h->n || !sram(c, &base, &size))
        return FW_EINVAL;
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < h->n; i++)
        bytes += h->len[i];
    *expect_us = ring_hash_us(c, bytes);
    const uint32_t r[5] = {base + CODE_SPACE, 0, 0, 0, 0};
    int rc = put_ring_header(c, NULL, 0, 0, 0, 0, 0, NULL, h);
    return rc ? rc : start(c, ring_loader(c), base, r);
}

int fw_loader_ring_hash_end(struct fw_flash_ctx *c, struct fw_ring_hash *h, unsigned expect_us)
{
    uint32_t base, size;
    if (!sram(c, &base, &size))
        return FW_EINVAL;
    /* what the host did meanwhile counts */
    long since = us_since(&h->began);
    unsigned left = since < (long)expect_us ? expect_us - (unsigned)since : 0;
    int rc;
    if (!(rc = wait_halted(c, left, h->addr[0])) && !(rc = ring_result(c, base + CODE_SPACE, NULL, h)) && !h->done)
        rc = loader_failed(c, h->addr[0], "stopped before it hashed every range");
    return rc;
}

int fw_loader_ring_hash(struct fw_flash_ctx *c, const uint32_t *addr, const uint32_t *len, size_t n, uint32_t *hash)
{
    uint32_t room = ring_hash_room(c, len, n);
    if (!room)
        return FW_EINVAL;
    int rc = FW_OK;
    for (size_t at = 0; at < n && !rc; at += room) {
        struct fw_ring_hash h = {
            .n = n - at < room ? (uint32_t)(n - at) : room, .addr = addr + at, .len = len + at, .hash = hash + at};
        unsigned expect_us;
        if (!(rc = fw_loader_ring_hash_begin(c, &h, &expect_us)))
            rc = fw_loader_ring_hash_end(c, &h, expect_us);
    }
    return rc;
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
    bool thumb2 = thumb2_core(c->target);
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
