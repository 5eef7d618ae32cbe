/* SPDX-License-Identifier: MIT */
/* The STM32L4/G0/G4/WB/C0 flash controller: RM0351 §3.3 and RM0444 §3.3. Page erase by PNB (within its bank, BKER for
 * the second bank of dual-bank parts), double-word programming (two
 * consecutive words; the second starts it). */
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "loaders.h"

#define KEYR 0x08u
#define OPTKEYR 0x0Cu
#define SR 0x10u
#define CR 0x14u
#define OPTR 0x20u
#define SR_BSY (3u << 16) /* BSY (BSY1 on G0) and a dual-bank G0's BSY2 (RM0444 §3.7.4); bit 17 reads 0 elsewhere */
#define SR_ERRORS 0xC3FAu
#define CR_PG (1u << 0)
#define CR_PER (1u << 1)
#define CR_MER1 (1u << 2)
#define CR_MER2 (1u << 15)
#define CR_STRT (1u << 16)
#define CR_OPTSTRT (1u << 17)
#define CR_OBL_LAUNCH (1u << 27)
#define CR_OPTLOCK (1u << 30)
#define CR_LOCK (1u << 31)
/* typical times (L476 datasheet; they only pace the polling): page erase 22 ms, double word 82 us */
#define ERASE_US 22000u
#define DWORD_US 82u

static const struct fw_flash_error_bit errors[] = {
    {1u << 1, "OPERR: the operation failed"},
    {1u << 3, "PROGERR: the double word was not erased"},
    {1u << 4, "WRPERR: the page is write-protected by the option bytes"},
    {1u << 5, "PGAERR: the double word was not aligned"},
    {1u << 6, "SIZERR: a write was not a word"},
    {1u << 7, "PGSERR: programming sequence error"},
    {1u << 8, "MISERR: a fast-programming miss"},
    {1u << 9, "FASTERR: fast programming error"},
    {1u << 14, "RDERR: read-protected (PCROP)"},
    {1u << 15, "OPTVERR: option validity error"},
    {0, 0},
};

static unsigned unit(const fw_target *t)
{
    (void)t;
    return 8;
}

static int unlock(struct fw_flash_ctx *c)
{
    int rc = fw_flash_unlock_keys(c, c->regs + KEYR, 0x45670123u, 0xCDEF89ABu, c->regs + CR, CR_LOCK, "flash controller");
    return rc ? rc : fw_flash_clear_stale_errors(c, c->regs + SR, errors);
}

/* a leftover error flag would make it a sequence error (RM0351 §3.3.7):
 * unlock cleared an earlier session's, fw_flash_check clears ours */
static int erase_op(struct fw_flash_ctx *c, uint32_t cr, const char *what, uint32_t addr)
{
    struct fw_flash_op op = {c->regs + CR, c->regs + SR, SR_BSY, CR_STRT, 2000, ERASE_US, errors};
    return fw_flash_run_op(c, &op, cr, what, addr);
}

/* CR.BKER when addr is in the second bank (controllers.c), else 0 */
static uint32_t bank_bit(const fw_target *t, uint32_t addr)
{
    const struct fw_controller *ctl = fw_controller_named(t->flash_controller);
    return ctl && fw_flash_in_second_bank(t, addr) ? ctl->bker : 0;
}

static int erase(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    (void)size;
    return erase_op(c, CR_PER | bank_bit(c->target, addr) | fw_flash_sector_index(c->target, addr) << 3,
                    "erasing the page", addr);
}

/* Many pages: our RAM loader erases them back to back, without a USB round
 * trip per page. */
static int erase_run(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    const fw_region *bank = fw_target_region_at(c->target, addr); /* the run is in one bank */
    if (!bank)
        return FW_ERANGE;
    uint32_t page = bank->erase_size ? bank->erase_size : 2048, pages = size / page, sr;
    if (pages <= 2 || !fw_loader_chunk(c, 4))
        return FW_EUNSUPPORTED; /* a page or two, or no SRAM for the loader: one at a time */
    uint32_t first = fw_flash_sector_index(c->target, addr);
    int rc = fw_probe_write_word(c->probe, c->regs + SR, SR_ERRORS, c->d);
    if (!rc && (rc = fw_loader_run(c, &fw_loader_l4g0_erase, first, NULL, pages, bank_bit(c->target, addr),
                                   pages * ERASE_US)) &&
        rc != FW_EUNSUPPORTED && !fw_probe_read_word(c->probe, c->regs + SR, &sr, c->d))
        fw_flash_check(c, c->regs + SR, sr, errors, "erasing the pages", addr); /* FW_EUNSUPPORTED: one at a time */
    fw_probe_write_word(c->probe, c->regs + CR, 0, c->d);
    return rc;
}

static int program(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len)
{
    int rc;
    if ((rc = fw_probe_write_word(c->probe, c->regs + SR, SR_ERRORS, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + CR, CR_PG, c->d)))
        return rc;
    /* our RAM loader stores the double words while the probe fills its other slot;
     * without it, blocks stream straight into flash */
    static const struct fw_ring_family ring = {
        .sr = SR, .busy = SR_BSY, .errors = SR_ERRORS, .unit = 8, .unit_us = DWORD_US};
    uint32_t done;
    rc = fw_flash_ring_program(c, &ring, errors, addr, data, len, &done);
    if (!rc && done < len) {
        struct fw_flash_stream how = {c->regs + SR, SR_BSY, errors, fw_probe_write32, 4096, 4096 / 8 * DWORD_US};
        rc = fw_flash_stream(c, &how, addr + done, data + done, len - done);
    }
    fw_probe_write_word(c->probe, c->regs + CR, 0, c->d);
    return rc;
}

static int mass_erase(struct fw_flash_ctx *c)
{
    return erase_op(c, CR_MER1 | (fw_flash_dual_bank(c->target) ? CR_MER2 : 0), "mass erase", c->flash_base);
}

static int lock(struct fw_flash_ctx *c)
{
    return fw_probe_write_word(c->probe, c->regs + CR, CR_LOCK, c->d);
}

/* STM32WB: the pages from SFSA up are CPU2's (the FUS and the wireless
 * stack; RM0434 FLASH_SFR, the target data's cpu2-area line): neither CPU1
 * nor the debugger erases, writes or reads them */
static int cpu2_area(struct fw_flash_ctx *c, uint32_t page, struct fw_flash_wrp *wrp)
{
    const fw_target *t = c->target;
    uint32_t sfr;
    if (!t->has_cpu2_area)
        return FW_OK;
    int rc = fw_probe_read_word(c->probe, (uint32_t)t->cpu2_area_reg, &sfr, c->d);
    if (rc || (sfr & t->cpu2_fsd_mask))
        return rc;
    uint32_t sfsa = (sfr & t->cpu2_sfsa_mask) / (t->cpu2_sfsa_mask & -t->cpu2_sfsa_mask);
    uint64_t start = (uint64_t)c->flash_base + (uint64_t)sfsa * page, end = c->flash_base + fw_target_flash_size(t);
    if (start >= end)
        return FW_OK;
    wrp->held.addr = (uint32_t)start;
    wrp->held.end = (uint32_t)end;
    snprintf(wrp->held_by, sizeof(wrp->held_by), "CPU2's secure area (SFSA 0x%02X: the FUS and the wireless stack)",
             sfsa);
    size_t len = strlen(wrp->text);
    snprintf(wrp->text + len, sizeof(wrp->text) - len, "; CPU2's secure area from 0x%08x (SFSA 0x%02X)",
             (uint32_t)start, sfsa);
    return FW_OK;
}

/* OPTR: RDP [7:0]; WRP1AR and WRP1BR: pages STRT [7:0] to END [23:16] of
 * bank 1, none when STRT > END (RM0351 §3.7.8-10); bank 2's areas are not read */
static int protection(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp)
{
    uint32_t optr, area[2];
    int rc = fw_probe_read_word(c->probe, c->regs + OPTR, &optr, c->d);
    for (unsigned a = 0; a < 2 && !rc; a++)
        rc = fw_probe_read_word(c->probe, c->regs + 0x2C + 4 * a, &area[a], c->d);
    if (rc)
        return rc;
    *rdp_level = fw_flash_rdp_level((uint8_t)optr);
    const fw_region *flash = fw_target_region_of_kind(c->target, FW_REGION_FLASH);
    uint32_t page = flash && flash->erase_size ? (uint32_t)flash->erase_size : 2048;
    snprintf(wrp->text, sizeof(wrp->text), "none");
    size_t len = 0;
    for (unsigned a = 0; a < 2; a++) {
        uint32_t start = area[a] & 0xFF, end = (area[a] >> 16) & 0xFF;
        if (start > end)
            continue;
        len += (size_t)snprintf(wrp->text + len, sizeof(wrp->text) - len, "%spages %u-%u (area %c)", len ? ", " : "",
                                start, end, 'A' + a);
        fw_flash_wrp_add(wrp, c->flash_base + start * page, (end - start + 1) * page);
    }
    return cpu2_area(c, page, wrp);
}

/* RM0351 §3.4.2 (RM0444 alike): FLASH_OPTR written with the option lock
 * open (the bits of mask set to value), programmed at OPTSTRT, loaded at
 * OBL_LAUNCH, which resets the chip. */
static int program_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, const char *what)
{
    uint32_t optr, sr;
    int rc;
    if ((rc = unlock(c)) ||
        (rc = fw_flash_unlock_keys(c, c->regs + OPTKEYR, 0x08192A3Bu, 0x4C5D6E7Fu, c->regs + CR, CR_OPTLOCK,
                                   "option bytes")) ||
        (rc = fw_probe_write_word(c->probe, c->regs + SR, SR_ERRORS, c->d)) ||
        (rc = fw_probe_read_word(c->probe, c->regs + OPTR, &optr, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTR, (optr & ~mask) | value, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + CR, CR_OPTSTRT, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 10000, ERASE_US, &sr)) ||
        (rc = fw_flash_check(c, c->regs + SR, sr, errors, what, c->flash_base)))
        return rc;
    fw_flash_write_resetting(c, c->regs + CR, CR_OBL_LAUNCH);
    return FW_OK;
}

/* RM0351 §3.5.1: RDP = 0xAA, which mass-erases the flash first. */
static int read_unprotect(struct fw_flash_ctx *c)
{
    return program_options(c, 0xFFu, 0xAAu, "setting read protection level 0");
}

/* RDP 1 is any code but 0xAA and 0xCC. */
static int set_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp)
{
    if (rdp > 0) {
        mask |= 0xFFu;
        value = (value & ~0xFFu) | fw_flash_rdp_code(rdp);
    }
    return program_options(c, mask, value, "programming the option bytes");
}

const struct fw_flash_driver fw_flash_drv_l4g0 = {"L4/G0/G4/WB/C0", FW_CTL_L4G0, unit,       unlock,     erase,
                                                  program,          lock,        mass_erase, protection, read_unprotect,
                                                  erase_run,        set_options, NULL,       DWORD_US,   false};
