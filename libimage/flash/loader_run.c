/* Running a RAM flash loader through the probe: code at the start of SRAM,
 * the data after it, arguments in r0-r4, run with interrupts masked (DHCSR
 * C_MASKINTS) until the loader's BKPT. */
#include <string.h>
#include <time.h>

#include "driver.h"
#include "loaders.h"

#define DHCSR 0xE000EDF0u
#define CODE_SPACE 0x100u /* the loaders are far smaller */
#define MAX_CHUNK 16384u

/* the loader's place: the part's first SRAM region */
static bool sram(const fw_target *t, uint32_t *base, uint32_t *size)
{
    const fw_region *r = fw_target_region_of_kind(t, FW_REGION_RAM);
    if (!r)
        return false;
    *base = (uint32_t)r->base;
    *size = (uint32_t)r->size;
    return true;
}

uint32_t fw_loader_chunk(const struct fw_flash_ctx *c, unsigned unit)
{
    uint32_t base, size;
    if (!sram(c->target, &base, &size) || size < CODE_SPACE + 1024)
        return 0;
    uint32_t n = size - CODE_SPACE - 64;
    n = n > MAX_CHUNK ? MAX_CHUNK : n;
    return n / unit * unit;
}

int fw_loader_run(struct fw_flash_ctx *c, const struct fw_loader *l, uint32_t dst, const uint8_t *data, uint32_t len,
                  uint32_t arg, unsigned expect_us)
{
    uint32_t base, size;
    if (!sram(c->target, &base, &size))
        return FW_EINVAL;
    int rc;
    if (c->in_ram != l) {
        uint8_t code[CODE_SPACE] = {0};
        memcpy(code, l->code, l->len);
        if ((rc = fw_probe_halt(c->probe, c->d)) ||
            (rc = fw_probe_write32(c->probe, base, code, (l->len + 3) & ~3u, c->d)))
            return rc;
        c->in_ram = l;
    }
    uint32_t buf = base + CODE_SPACE, whole = data ? len & ~3u : 0;
    if (whole && (rc = fw_probe_write32(c->probe, buf, data, whole, c->d)))
        return rc;
    if (data && len > whole) { /* a last half-word: padded to a word, the loader copies only len bytes */
        uint8_t tail[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        memcpy(tail, data + whole, len - whole);
        if ((rc = fw_probe_write32(c->probe, buf + whole, tail, 4, c->d)))
            return rc;
    }
    const uint32_t regs[][2] = {{0, buf}, {1, dst}, {2, len}, {3, c->regs}, {4, arg}, {16, 0x01000000u}, {15, base}};
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
        if ((rc = fw_probe_write_reg(c->probe, regs[i][0], regs[i][1], c->d)))
            return rc;
    if ((rc = fw_probe_write_word(c->probe, DHCSR, 0xA05F0009u, c->d))) /* run, C_MASKINTS */
        return rc;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    fw_flash_sleep_us(expect_us);
    for (;;) {
        bool halted;
        if ((rc = fw_probe_is_halted(c->probe, &halted, c->d)))
            return rc;
        if (halted)
            break;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - start.tv_sec) * 1000000L + (now.tv_nsec - start.tv_nsec) / 1000 > 4L * expect_us + 2000000L) {
            fw_probe_halt(c->probe, c->d);
            fw_diag_add(c->d, FW_ERROR, "FLASH-LOADER", NULL,
                        "the flash loader programming 0x%08x did not finish (the core did not reach its breakpoint)", dst);
            return FW_EDEVICE;
        }
        /* past the typical time it is close: look often, not in big steps */
        unsigned pause = expect_us / 32 > 5000 ? 5000 : expect_us / 32;
        fw_flash_sleep_us(pause > 500 ? pause : 500);
    }
    uint32_t left, at;
    if ((rc = fw_probe_read_reg(c->probe, 2, &left, c->d)) || (rc = fw_probe_read_reg(c->probe, 1, &at, c->d)))
        return rc;
    if (left) {
        fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-LOADER", NULL,
                                       "the flash loader stopped at 0x%08x with %u bytes left", at, left);
        fw_diagnostic_set_range(e, at, at + 1);
        return FW_EDEVICE;
    }
    return FW_OK;
}

uint32_t fw_loader_hash_of(const uint8_t *data, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i + 4 <= len; i += 4) {
        h ^= (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
        h *= 16777619u;
        h ^= h >> 15;
    }
    return h;
}

int fw_loader_hash_run(struct fw_flash_ctx *c, uint32_t addr, uint32_t len, uint32_t *hash)
{
    /* eight instructions a word, at the clock out of reset (a faster clock only helps) */
    unsigned expect_us = (unsigned)((uint64_t)len * 2000u / fw_target_reset_clock_khz(c->target));
    int rc = fw_loader_run(c, &fw_loader_hash, addr, NULL, len, 0, expect_us);
    return rc ? rc : fw_probe_read_reg(c->probe, 0, hash, c->d);
}
