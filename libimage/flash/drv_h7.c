/* SPDX-License-Identifier: MIT */
/* The STM32H7 flash controller: RM0433 §4 (H74x/H75x; RM0399 for the
 * dual-core H745/H747/H755/H757 alike), RM0468 (H72x/H73x, one bank) and
 * RM0455 (H7A3/H7B0/H7B3: 8 KiB sectors, 128-bit flash words, FW at CR bit
 * 4, START at 5, SNB from bit 6). Each bank has its own KEYR, CR, SR and
 * CCR (bank 2 at +0x100); a flash word (256 or 128 bits, the target data's
 * write unit) is gathered in the bank's write buffer and programmed when
 * full. Register offsets and bit positions as RM0433 §4 gives them (and
 * as OpenOCD's stm32h7x.c uses them). The two banks erase side by side;
 * programming goes through the debug port (the wire, not the flash, sets
 * its pace); OPTSR is set, RDP is not changed (unlock refuses). */
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "loaders.h"

#define KEYR 0x04u
#define CR 0x0Cu
#define SR 0x10u
#define CCR 0x14u
#define OPTKEYR      0x08u
#define OPTCR        0x18u
#define OPTSR_CUR 0x1Cu
#define OPTSR_PRG    0x20u
#define WPSN_CUR 0x38u
#define BANK2 0x100u
#define CR_LOCK (1u << 0)
#define CR_PG (1u << 1)
#define CR_SER (1u << 2)
#define CR_PSIZE_X64 (3u << 4)
#define SR_BUSY (1u << 0 | 1u << 2) /* BSY and QW: an operation, or a flash word queued */
#define SR_ERRORS    0x6E0000u           /* WRPERR, PGSERR, STRBERR, INCERR, OPERR */
/* typical times (they only pace the polls): a 128 KiB sector 1 s, an 8 KiB one 100 ms; a flash word 16 us */
#define ERASE_US(size) ((size) >= 131072u ? 1000000u : 100000u)
#define WORD_US 16u

static const struct fw_flash_error_bit errors[] = {
    {1u << 17, "WRPERR: the sector is write-protected by the option bytes"},
    {1u << 18, "PGSERR: programming sequence error"},
    {1u << 19, "STRBERR: a flash word written twice before it was programmed"},
    {1u << 21, "INCERR: writes to two flash words at once"},
    {1u << 22, "OPERR: the operation failed"},
    {0, 0},
};

/* RM0455's layout, told by its 8 KiB sectors */
static bool ab_layout(const fw_target *t)
{
    const fw_region *r = fw_target_region_of_kind(t, FW_REGION_FLASH);
    return r && r->erase_size == 8192;
}

static unsigned unit(const fw_target *t)
{
    return fw_flash_write_unit(t, 32);
}

/* the bank's registers: bank 2's at +0x100 */
static uint32_t bank_regs(const struct fw_flash_ctx *c, uint32_t addr)
{
    return c->regs + (fw_flash_in_second_bank(c->target, addr) ? BANK2 : 0);
}

static int unlock(struct fw_flash_ctx *c)
{
    int banks = fw_flash_dual_bank(c->target) ? 2 : 1, rc = FW_OK;
    for (int b = 0; b < banks && !rc; b++) {
        uint32_t regs = c->regs + (uint32_t)b * BANK2;
        char what[40];
        snprintf(what, sizeof(what), "flash controller (bank %d)", b + 1);
        rc = fw_flash_unlock_keys(c, regs + KEYR, 0x45670123u, 0xCDEF89ABu, regs + CR, CR_LOCK, what);
        if (!rc)
            rc = fw_flash_clear_stale_errors_at(c, regs + SR, regs + CCR, errors);
    }
    return rc;
}

/* CR for a command with its START (and FW) bits where the layout puts them */
static uint32_t cr_of(const fw_target *t, uint32_t cmd, uint32_t snb, bool start)
{
    if (ab_layout(t))
        return cmd | snb << 6 | (start ? 1u << 5 : 0);
    return cmd | CR_PSIZE_X64 | snb << 8 | (start ? 1u << 7 : 0);
}

/* SER with SNB in the sector's bank's CR, then START (the two writes RM0433
 * §4.3.10 asks for) */
static int start_erase(struct fw_flash_ctx *c, uint32_t addr)
{
    uint32_t regs = bank_regs(c, addr), snb = fw_flash_sector_index(c->target, addr);
    int rc = fw_probe_write_word(c->probe, regs + CR, cr_of(c->target, CR_SER, snb, false), c->d);
    return rc ? rc : fw_probe_write_word(c->probe, regs + CR, cr_of(c->target, CR_SER, snb, true), c->d);
}

static int erase(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    uint32_t regs = bank_regs(c, addr), sr;
    int rc = start_erase(c, addr);
    if (!rc)
        rc = fw_flash_wait(c, regs + SR, SR_BUSY, 4 * ERASE_US(size) / 1000 + 2000, ERASE_US(size), &sr);
    if (!rc)
        rc = fw_flash_check(c, regs + CCR, sr, errors, "erasing the sector", addr);
    fw_probe_write_word(c->probe, regs + CR, 0, c->d);
    return rc;
}

/* The two banks erase at the same time ("two read/program/erase operations
 * can be executed in parallel on the two banks": ST's STM32H7 flash memory
 * training, RM0433's dual-bank organisation): each bank's sectors in turn,
 * the banks side by side, a bank's next sector started as soon as its
 * status says the last is done. After an error no new sector starts; the
 * other bank's is waited for. */
static int erase_banks(struct fw_flash_ctx *c, const struct fw_flash_span *sectors, size_t n)
{
    size_t next[2] = {0, 0};
    long running[2] = {-1, -1};
    uint64_t until[2] = {0, 0};
    unsigned expect = n ? ERASE_US(sectors[0].end - sectors[0].addr) : 0, owed = 0;
    int rc = FW_OK;
    for (;;) {
        for (int b = 0; b < 2 && !rc; b++) {
            while (next[b] < n && (int)fw_flash_in_second_bank(c->target, sectors[next[b]].addr) != b)
                next[b]++;
            if (running[b] >= 0 || next[b] >= n)
                continue;
            running[b] = (long)next[b];
            until[b] = fw_flash_now_ms() + 4 * expect / 1000 + 2000;
            rc = start_erase(c, sectors[next[b]++].addr);
            owed = expect;
        }
        if (running[0] < 0 && running[1] < 0)
            return rc;
        /* a sector's time before the next look (pieces of the stage may
         * fill it), then an eighth of it */
        unsigned pause = owed >= 200 ? owed : expect / 8, used = 0;
        if (pause >= 200 && !rc)
            rc = fw_flash_idle(c, pause, &used); /* a failed upload: no new sector starts */
        owed = owed > used ? owed - used : 0;
        for (int b = 0; b < 2; b++) {
            if (running[b] < 0)
                continue;
            uint32_t addr = sectors[running[b]].addr, regs = bank_regs(c, addr), sr;
            int r = fw_probe_read_word(c->probe, regs + SR, &sr, c->d);
            if (!r && (sr & SR_BUSY) && fw_flash_now_ms() <= until[b])
                continue;
            if (!r && (sr & SR_BUSY)) {
                fw_diag_add(c->d, FW_ERROR, "FLASH-TIMEOUT", NULL,
                            "bank %d stayed busy erasing the sector at 0x%08x (status 0x%08x)", b + 1, addr, sr);
                r = FW_EDEVICE;
            }
            if (!r)
                r = fw_flash_check(c, regs + CCR, sr, errors, "erasing the sector", addr);
            fw_probe_write_word(c->probe, regs + CR, 0, c->d);
            running[b] = -1;
            if (r && !rc)
                rc = r;
            if (r == FW_EDEVICE && (sr & SR_BUSY))
                return rc; /* a bank that does not finish: nothing more to wait for */
        }
    }
}

/* whole flash words, a bank at a time: by our RAM loader (from SRAM the
 * host filled while the flash erased, then from its two slots), or else
 * streamed through the debug port; the controller programs each as its
 * last byte arrives */
static int program(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len)
{
    int rc = FW_OK;
    for (uint32_t done = 0; done < len && !rc;) {
        uint32_t at = addr + done, regs = bank_regs(c, at), n = len - done, looped = 0;
        const fw_region *bank = fw_target_region_at(c->target, at);
        if (bank && at + n > bank->base + bank->size)
            n = (uint32_t)(bank->base + bank->size - at); /* the rest is the other bank's */
        if ((rc = fw_probe_write_word(c->probe, regs + CR, cr_of(c->target, CR_PG, 0, false), c->d)))
            break;
        struct fw_ring_family ring = {.sr = regs + SR - c->regs,
                                      .busy = SR_BUSY,
                                      .errors = SR_ERRORS,
                                      .unit = unit(c->target),
                                      .unit_us = WORD_US};
        rc = fw_flash_ring_program(c, &ring, errors, at, data + done, n, &looped);
        struct fw_flash_stream how = {regs + SR, SR_BUSY, errors, fw_probe_write32, 4096,
                                      4096 / unit(c->target) * WORD_US};
        if (!rc && looped < n)
            rc = fw_flash_stream(c, &how, at + looped, data + done + looped, n - looped);
        fw_probe_write_word(c->probe, regs + CR, 0, c->d);
        done += n;
    }
    return rc;
}

static int lock(struct fw_flash_ctx *c)
{
    int rc = fw_probe_write_word(c->probe, c->regs + CR, CR_LOCK, c->d);
    if (!rc && fw_flash_dual_bank(c->target))
        rc = fw_probe_write_word(c->probe, c->regs + BANK2 + CR, CR_LOCK, c->d);
    return rc;
}

/* OPTSR_CUR: RDP [15:8]; WPSN_CUR (per bank): bit n clear protects sector n
 * (on RM0455's parts, sectors 4n to 4n + 3) */
static int protection(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp)
{
    uint32_t optsr;
    int rc = fw_probe_read_word(c->probe, c->regs + OPTSR_CUR, &optsr, c->d);
    if (rc)
        return rc;
    *rdp_level = fw_flash_rdp_level((uint8_t)(optsr >> 8));
    int banks = fw_flash_dual_bank(c->target) ? 2 : 1;
    unsigned group = ab_layout(c->target) ? 4 : 1;
    wrp->text[0] = '\0';
    for (int b = 0; b < banks && !rc; b++) {
        uint32_t wpsn;
        if (!(rc = fw_probe_read_word(c->probe, c->regs + (uint32_t)b * BANK2 + WPSN_CUR, &wpsn, c->d)))
            fw_flash_wrp_by_groups(c->target, b, wpsn, group, wrp);
    }
    return rc;
}

static int read_unprotect(struct fw_flash_ctx *c)
{
    return fw_flash_unprotect_not_done(c, "H7 option bytes are read, not programmed",
                                       "STM32CubeProgrammer: -ob RDP=0xAA; or OpenOCD: stm32h7x unlock 0");
}

/* RM0433 §4.4.3: with OPTCR unlocked (OPTKEYR), OPTSR_PRG written and
 * OPTSTART set; the new values show in OPTSR_CUR once OPT_BUSY clears, and
 * OPTCHANGEERR says a change failed. RDP is not changed here. */
static int set_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp)
{
    uint32_t cur;
    int rc;
    if (rdp > 0 || (mask & 0xFF00u)) {
        fw_diag_add(c->d, FW_ERROR, "FLASH-OPTIONS", NULL, "fwkit does not change RDP on the %s",
                    c->target->family ? c->target->family : c->target->name);
        return FW_EUNSUPPORTED;
    }
    /* OPTCR: OPTLOCK bit 0, OPTSTART bit 1; OPTSR: OPT_BUSY bit 0, OPTCHANGEERR bit 30 */
    if ((rc = fw_flash_unlock_keys(c, c->regs + OPTKEYR, 0x08192A3Bu, 0x4C5D6E7Fu, c->regs + OPTCR, 1u,
                                   "option control register")) ||
        (rc = fw_probe_read_word(c->probe, c->regs + OPTSR_CUR, &cur, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTSR_PRG, ((cur & ~mask) | value) & ~(1u | 1u << 30), c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTCR, 2u, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + OPTSR_CUR, 1u, 10000, 1000, &cur)))
        return rc;
    fw_probe_write_word(c->probe, c->regs + OPTCR, 1u, c->d); /* OPTLOCK again */
    if (cur & 1u << 30) {
        fw_diag_add(c->d, FW_ERROR, "FLASH-OPTIONS", NULL,
                    "OPTCHANGEERR: the %s refused the option change (OPTSR_CUR 0x%08x)",
                    c->target->family ? c->target->family : c->target->name, cur);
        return FW_EDEVICE;
    }
    return FW_OK;
}

const struct fw_flash_driver fw_flash_drv_h7 = {"H7",    FW_CTL_H7,   unit,        unlock,     erase,
                                                program, lock,        NULL,        protection, read_unprotect,
                                                NULL,    set_options, erase_banks, WORD_US,    false};
