/* SPDX-License-Identifier: MIT */
/* The STM32L0/L1 program memory (PECR NVM interface): RM0038 §3 and
 * RM0377 §3. Page erase by writing a word with
 * ERASE|PROG; half-page programming (32 words on L1, 16 on L0) with one
 * 32-bit write of exactly the half-page; erased flash reads 0x00. */
#include <string.h>

#include "driver.h"
#include "loaders.h"

#define PECR 0x04u
#define PEKEYR 0x0Cu
#define PRGKEYR 0x10u
#define OPTKEYR 0x14u
#define SR 0x18u
#define SR_BSY (1u << 0)
#define PECR_PELOCK (1u << 0)
#define PECR_PRGLOCK (1u << 1)
#define PECR_OPTLOCK (1u << 2)
#define PECR_OBL_LAUNCH (1u << 18)
#define PECR_PROG (1u << 3)
#define PECR_ERASE (1u << 9)
#define PECR_FPRG (1u << 10)
/* every erase or program takes about 3.2 ms (t_prog in the STM32L0 and L1 datasheets; it only paces the polling) */
#define OP_US 3200u

static const struct fw_flash_error_bit errors[] = {
    {1u << 8, "WRPERR: the sector is write-protected (option bytes), or the memory is read-protected"},
    {1u << 9, "PGAERR: the half-page write was not aligned or was interrupted"},
    {1u << 10, "SIZERR: the write was not a word"},
    {1u << 11, "OPTVERR: option byte validity error"},
    {1u << 13, "RDERR: read-protected (PCROP)"},
    {1u << 16, "NOTZEROERR: the word was not erased"},
    {1u << 17, "FWWERR: a fetch interrupted the write"},
    {0, 0},
};

static unsigned unit(const fw_target *t)
{
    return t->flash_controller && !strcmp(t->flash_controller, "l0") ? 64 : 128;
}

static int unlock(struct fw_flash_ctx *c)
{
    int rc = fw_flash_unlock_keys(c, c->regs + PEKEYR, 0x89ABCDEFu, 0x02030405u, c->regs + PECR, PECR_PELOCK, "PECR");
    if (!rc)
        rc = fw_flash_unlock_keys(c, c->regs + PRGKEYR, 0x8C9DAEBFu, 0x13141516u, c->regs + PECR, PECR_PRGLOCK,
                                  "program memory");
    return rc ? rc : fw_flash_clear_stale_errors(c, c->regs + SR, errors);
}

static int erase(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    (void)size;
    uint32_t sr;
    int rc;
    if ((rc = fw_probe_write_word(c->probe, c->regs + PECR, PECR_ERASE | PECR_PROG, c->d)) ||
        (rc = fw_probe_write_word(c->probe, addr, 0, c->d)) || (rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 1000, OP_US, &sr)))
        return rc;
    rc = fw_flash_check(c, c->regs + SR, sr, errors, "erasing the page", addr);
    fw_probe_write_word(c->probe, c->regs + PECR, 0, c->d);
    return rc;
}

/* Many pages: our RAM loader erases them back to back, without a USB round
 * trip per page (there are 256 in 64 KiB of L1 flash). */
static int erase_run(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    uint32_t page = unit(c->target) * 2, sr;
    if (size <= 4 * page || !fw_loader_chunk(c, page))
        return FW_EUNSUPPORTED; /* a few pages, or no SRAM for the loader: one at a time */
    int rc = fw_probe_write_word(c->probe, c->regs + PECR, PECR_ERASE | PECR_PROG, c->d);
    if (!rc && (rc = fw_loader_run(c, &fw_loader_l0l1_erase, addr, NULL, size, page, size / page * OP_US)) &&
        rc != FW_EUNSUPPORTED && !fw_probe_read_word(c->probe, c->regs + SR, &sr, c->d))
        fw_flash_check(c, c->regs + SR, sr, errors, "erasing the pages", addr); /* FW_EUNSUPPORTED: one at a time */
    fw_probe_write_word(c->probe, c->regs + PECR, 0, c->d);
    return rc;
}

/* One half-page through the probe. Without GETLASTRWSTATUS2 (ST-Link
 * firmware before V2J15) a WAIT inside a block does not say where it
 * stopped, and reading the flash to find out would break the half-page off
 * (RM0038 §3: no flash read while a half-page is collected):
 * a word a command then, each sent again whole after a WAIT. */
static int write_half_page(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t half)
{
    if (fw_probe_has_rwstatus2(c->probe))
        return fw_probe_write32(c->probe, addr, data, half, c->d);
    int rc = FW_OK;
    for (uint32_t i = 0; i < half && !rc; i += 4)
        rc = fw_probe_write32(c->probe, addr + i, data + i, 4, c->d);
    return rc;
}

static int program(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len)
{
    uint32_t sr, half = unit(c->target);
    int rc;
    uint32_t done;
    /* FPRG first, then PROG: two writes (RM0038 §3) */
    if ((rc = fw_probe_write_word(c->probe, c->regs + PECR, PECR_FPRG, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + PECR, PECR_FPRG | PECR_PROG, c->d)))
        return rc;
    /* our RAM loader writes the half-pages back to back while the probe fills the other slot */
    const struct fw_ring_family ring = {.sr = SR, .busy = SR_BSY, .errors = 0x00033F00, .unit = half, .unit_us = OP_US};
    rc = fw_flash_ring_program(c, &ring, errors, addr, data, len, &done);
    if (rc || done == len) {
        fw_probe_write_word(c->probe, c->regs + PECR, 0, c->d);
        return rc;
    }
    /* after a loader that failed, a half-page it had begun is abandoned:
     * the mode is set again from the start (RM0038 §3) */
    if (done && ((rc = fw_probe_write_word(c->probe, c->regs + PECR, 0, c->d)) ||
                 (rc = fw_probe_write_word(c->probe, c->regs + PECR, PECR_FPRG, c->d)) ||
                 (rc = fw_probe_write_word(c->probe, c->regs + PECR, PECR_FPRG | PECR_PROG, c->d))))
        return rc;
    for (uint32_t off = done; off < len && !rc; off += half) {
        if (!(rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 1000, OP_US, &sr)) &&
            !(rc = write_half_page(c, addr + off, data + off, half)) &&
            !(rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 1000, OP_US, &sr)))
            rc = fw_flash_check(c, c->regs + SR, sr, errors, "programming the half-page", addr + off);
    }
    fw_probe_write_word(c->probe, c->regs + PECR, 0, c->d);
    return rc;
}

static int lock(struct fw_flash_ctx *c)
{
    return fw_probe_write_word(c->probe, c->regs + PECR, PECR_PELOCK | PECR_PRGLOCK, c->d);
}

/* OBR: RDPRT [7:0]; WRPR bit n set: 4 KiB sector n protected (RM0038 §3.9.9-10) */
static int protection(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp)
{
    uint32_t obr, wrpr;
    int rc = fw_probe_read_word(c->probe, c->regs + 0x1C, &obr, c->d);
    if (rc || (rc = fw_probe_read_word(c->probe, c->regs + 0x20, &wrpr, c->d)))
        return rc;
    *rdp_level = fw_flash_rdp_level((uint8_t)obr);
    fw_flash_list_bits(wrpr, "4 KiB sectors", wrp->text, sizeof(wrp->text));
    for (uint32_t n = 0; n < 32; n++)
        if (wrpr >> n & 1)
            fw_flash_wrp_add(wrp, c->flash_base + n * 4096, 4096);
    return FW_OK;
}

/* RM0038 §3.7.1 and §3.9: with PECR and the options unlocked, write the
 * first option word with RDP 0xAA (and its complement in the upper half),
 * which first erases program memory and data EEPROM; OBL_LAUNCH loads it,
 * resetting the chip. */
static int read_unprotect(struct fw_flash_ctx *c)
{
    uint32_t base = fw_flash_option_base(c, 4), word, sr;
    int rc;
    if (!base)
        return FW_EDEVICE;
    if ((rc = fw_probe_read_word(c->probe, base, &word, c->d)) ||
        (rc = fw_flash_unlock_keys(c, c->regs + PEKEYR, 0x89ABCDEFu, 0x02030405u, c->regs + PECR, PECR_PELOCK, "PECR")) ||
        (rc = fw_flash_unlock_keys(c, c->regs + OPTKEYR, 0xFBEAD9C8u, 0x24252627u, c->regs + PECR, PECR_OPTLOCK,
                                   "option bytes")))
        return rc;
    uint32_t half = (word & 0xFF00u) | 0xAAu;
    if ((rc = fw_probe_write_word(c->probe, base, (~half & 0xFFFFu) << 16 | half, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 10000, OP_US, &sr)) ||
        (rc = fw_flash_check(c, c->regs + SR, sr, errors, "setting read protection level 0", base)))
        return rc;
    fw_flash_write_resetting(c, c->regs + PECR, PECR_OBL_LAUNCH);
    return FW_OK;
}

/* RM0377 §3.4.3 / RM0038 §3.9.1: the second option word holds the USER
 * half-word (BOR_LEV, IWDG_SW, nRST_STOP, nRST_STDBY...) that FLASH_OBR
 * shows in bits 31:16, with its complement in the upper half; written
 * with PECR and the options unlocked, loaded at OBL_LAUNCH. RDP levels are
 * the first word's (read_unprotect's), not changed here. */
static int set_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp)
{
    uint32_t base = fw_flash_option_base(c, 8), obr, sr;
    int rc;
    if (!base || rdp > 0 || (mask & 0xFFFFu)) {
        fw_diag_add(c->d, FW_ERROR, "FLASH-OPTIONS", NULL, "fwkit changes the USER option half-word of L0/L1 only");
        return FW_EUNSUPPORTED;
    }
    if ((rc = fw_probe_read_word(c->probe, c->regs + 0x1C, &obr, c->d)) ||
        (rc = fw_flash_unlock_keys(c, c->regs + PEKEYR, 0x89ABCDEFu, 0x02030405u, c->regs + PECR, PECR_PELOCK,
                                   "PECR")) ||
        (rc = fw_flash_unlock_keys(c, c->regs + OPTKEYR, 0xFBEAD9C8u, 0x24252627u, c->regs + PECR, PECR_OPTLOCK,
                                   "option bytes")))
        return rc;
    uint32_t user = ((obr & ~mask) | value) >> 16;
    if ((rc = fw_probe_write_word(c->probe, base + 4, (~user & 0xFFFFu) << 16 | user, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 10000, OP_US, &sr)) ||
        (rc = fw_flash_check(c, c->regs + SR, sr, errors, "programming the option bytes", base + 4)))
        return rc;
    fw_flash_write_resetting(c, c->regs + PECR, PECR_OBL_LAUNCH);
    return FW_OK;
}

const struct fw_flash_driver fw_flash_drv_l0l1 = {"L0/L1",   FW_CTL_L0L1, unit, unlock,     erase,
                                                  program,   lock,        NULL, protection, read_unprotect,
                                                  erase_run, set_options, NULL, OP_US,      false};
