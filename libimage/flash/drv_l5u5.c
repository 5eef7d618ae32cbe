/* SPDX-License-Identifier: MIT */
/* The TrustZone-aware flash controller of STM32L5 (RM0438), U5 (RM0456) and
 * WBA (RM0493), each manual's embedded flash memory (FLASH) chapter: the
 * L4's page erase and programming sequences, with a non-secure and a secure
 * set of key, status and control registers
 * (NSKEYR 0x08, SECKEYR 0x0C, NSSR 0x20, SECSR 0x24, NSCR 0x28, SECCR 0x2C;
 * the secure ones reached at the registers' secure alias). L5 programs
 * double words, U5 and WBA quad words (the target data's write unit); PNB
 * and BKER per family in controllers.c.
 *
 * With TrustZone on (the target is its secure view: fw_flash_security_view),
 * the secure registers erase and program only secure pages (RM0438, flash
 * TrustZone security: an operation on a page of the other security is
 * refused with WRPERR; ST's community reports the same of L5 and U5), so,
 * as OpenOCD's stm32l4x.c does, every page is made secure with the volatile
 * block-based registers SECBBxRy while fwflash works and non-secure again
 * when it locks. Programming goes through our RAM loader (loaders/ring.S)
 * where SRAM holds it, else the debug port. Option bytes are read, not
 * written (read_unprotect refuses). */
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "fwkit/bytes.h"
#include "loaders.h"

#define NSKEYR    0x08u
#define SECKEYR   0x0Cu
#define OPTKEYR       0x10u
#define NSSR      0x20u
#define SECSR     0x24u
#define NSCR      0x28u
#define SECCR     0x2Cu
#define OPTR      0x40u
#define SECWM1R1  0x50u
#define SECWM1R2  0x54u
#define WRP1AR    0x58u
#define SECWM2R1  0x60u
#define SECWM2R2  0x64u
#define WRP2AR    0x68u
#define SECBB1    0x80u
#define SECBB2    0xA0u
#define SR_BUSY   (3u << 16) /* BSY, and U5's WDW (a quad word waiting for its last data) */
#define SR_ERRORS 0x20FAu    /* OPERR, PROGERR, WRPERR, PGAERR, SIZERR, PGSERR, OPTWERR */
#define CR_PG     (1u << 0)
#define CR_PER    (1u << 1)
#define CR_MER1   (1u << 2)
#define CR_MER2   (1u << 15)
#define CR_STRT   (1u << 16)
#define CR_OPTSTRT    (1u << 17)
#define CR_OBL_LAUNCH (1u << 27)
#define CR_OPTLOCK    (1u << 30)
#define CR_LOCK   (1u << 31)
/* typical times (L552 and U575 datasheets; they only pace the polls):
 * page erase 22 ms (L5 2/4 KiB) or 1.5 ms (U5/WBA 8 KiB), a word 90 us */
#define ERASE_US(page) ((page) >= 8192u ? 1500u : 22000u)
#define WORD_US        90u

static const struct fw_flash_error_bit errors[] = {
    {1u << 1, "OPERR: the operation failed"},
    {1u << 3, "PROGERR: the flash word was not erased"},
    {1u << 4,
     "WRPERR: the page is write-protected (WRP or HDP areas, RDP level 1), or of the other security (TrustZone)"},
    {1u << 5, "PGAERR: the flash word was not aligned, or crossed a row"},
    {1u << 6, "SIZERR: a write was not a word"},
    {1u << 7, "PGSERR: programming sequence error"},
    {1u << 13, "OPTWERR: option write error"},
    {0, 0},
};

static const struct fw_controller *facts(const fw_target *t)
{
    return fw_controller_named(t->flash_controller);
}

static unsigned unit(const fw_target *t)
{
    return fw_flash_write_unit(t, 16);
}

/* the flash banks in address order (one or two) */
static size_t banks(const fw_target *t, const fw_region **bank)
{
    size_t n = 0;
    while (n < 2 && (bank[n] = fw_flash_bank_region(t, (int)n)))
        n++;
    return n;
}

/* SECBBxRy of every bank to value: all pages secure (all ones) or none */
static int set_block_security(struct fw_flash_ctx *c, uint32_t value)
{
    return fw_flash_set_block_security(c, SECBB1, SECBB2 - SECBB1, value);
}

static int unlock(struct fw_flash_ctx *c)
{
    int rc = fw_flash_unlock_keys(c, fw_flash_secure_reg(c, NSKEYR, SECKEYR), 0x45670123u, 0xCDEF89ABu,
                                  fw_flash_secure_reg(c, NSCR, SECCR), CR_LOCK,
                                  c->target->secure_view ? "flash controller (secure registers)" : "flash controller");
    if (!rc)
        rc = fw_flash_clear_stale_errors(c, fw_flash_secure_reg(c, NSSR, SECSR), errors);
    if (!rc && c->target->secure_view)
        rc = set_block_security(c, 0xFFFFFFFFu);
    return rc;
}

static uint32_t page_size(const fw_target *t, uint32_t addr)
{
    const fw_region *r = fw_target_region_at(t, addr);
    return r && r->erase_size ? (uint32_t)r->erase_size : 2048;
}

static int run(struct fw_flash_ctx *c, uint32_t cr, uint32_t expect_us, const char *what, uint32_t addr)
{
    struct fw_flash_op op = {fw_flash_secure_reg(c, NSCR, SECCR),
                             fw_flash_secure_reg(c, NSSR, SECSR),
                             SR_BUSY,
                             CR_STRT,
                             4 * expect_us / 1000 + 2000,
                             expect_us,
                             errors};
    return fw_flash_run_op(c, &op, cr, what, addr);
}

/* Several pages of one bank back to back: CR written for each without a
 * look at SR between them, as a write to CR while BSY stalls the bus until
 * the page before is done (the FLASH_CR notes of RM0453 and RM0351 for
 * this controller's L4 ancestors; RM0438 alike); the error flags are sticky
 * and read once, at the end. Saves the USB round trips of a poll per page. */
/* NSCR (SECCR) choosing the page at addr for an erase: PER, PNB, BKER */
static uint32_t erase_select(const struct fw_flash_ctx *c, uint32_t addr)
{
    const struct fw_controller *f = facts(c->target);
    uint32_t bker = f && fw_flash_in_second_bank(c->target, addr) ? f->bker : 0;
    return CR_PER | bker | fw_flash_sector_index(c->target, addr) << 3;
}

static int erase_run(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    uint32_t page = page_size(c->target, addr), cr_reg = fw_flash_secure_reg(c, NSCR, SECCR), sr;
    int rc = FW_OK;
    for (uint32_t at = addr; at < addr + size && !rc; at += page) {
        uint32_t cr = erase_select(c, at);
        if (!(rc = fw_probe_write_word(c->probe, cr_reg, cr, c->d)))
            rc = fw_probe_write_word(c->probe, cr_reg, cr | CR_STRT, c->d);
    }
    if (!rc)
        rc = fw_flash_wait(c, fw_flash_secure_reg(c, NSSR, SECSR), SR_BUSY, 4 * ERASE_US(page) / 1000 + 2000,
                           ERASE_US(page), &sr);
    if (!rc)
        rc = fw_flash_check(c, fw_flash_secure_reg(c, NSSR, SECSR), sr, errors,
                            size > page ? "erasing the pages" : "erasing the page", addr);
    fw_probe_write_word(c->probe, cr_reg, 0, c->d);
    return rc;
}

static int erase(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    return erase_run(c, addr, size); /* one page: the same sequence */
}

/* whole flash words, each programmed when its last word arrives: by our
 * RAM loader, which stores them while the probe fills slots ahead of it (the
 * wire and the flash at work at once) and erases the pages of ctx->ahead as
 * it reaches them, or else streamed through the debug port, where each word
 * waits for the one before */
static int program(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len)
{
    int rc;
    if ((rc = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), CR_PG, c->d)))
        return rc;
    uint32_t done, sr = fw_flash_secure_reg(c, NSSR, SECSR), cr = fw_flash_secure_reg(c, NSCR, SECCR);
    struct fw_ring_family ring = {sr - c->regs, SR_BUSY, SR_ERRORS,    unit(c->target), WORD_US,
                                  cr - c->regs, CR_PG,   erase_select, CR_STRT};
    rc = fw_flash_ring_program(c, &ring, errors, addr, data, len, &done);
    if (!rc && done < len) {
        struct fw_flash_stream how = {sr, SR_BUSY, errors, fw_probe_write32, 4096, 4096 / unit(c->target) * WORD_US};
        rc = fw_flash_stream(c, &how, addr + done, data + done, len - done);
    }
    /* PG stays set: the lock after the last run (fw_flash_write) writes LOCK
     * alone, which clears it, a round trip less */
    return rc;
}

static int mass_erase(struct fw_flash_ctx *c)
{
    return run(c, CR_MER1 | (fw_flash_dual_bank(c->target) ? CR_MER2 : 0), 50000, "mass erase", c->flash_base);
}

static int lock(struct fw_flash_ctx *c)
{
    int rc = c->target->secure_view ? set_block_security(c, 0) : FW_OK;
    int locked = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), CR_LOCK, c->d);
    return rc ? rc : locked;
}

/* an area register: pages [6:0] (U5: [7:0]) to [22:16] ([23:16]); none when start > end */
static bool area_pages(uint32_t v, unsigned bits, uint32_t *start, uint32_t *end)
{
    uint32_t mask = (1u << bits) - 1;
    *start = v & mask;
    *end = v >> 16 & mask;
    return *start <= *end;
}

static void say(struct fw_flash_wrp *wrp, size_t *len, const char *fmt, unsigned bank, uint32_t a, uint32_t b)
{
    if (*len < sizeof(wrp->text))
        *len += (size_t)snprintf(wrp->text + *len, sizeof(wrp->text) - *len, fmt, *len ? ", " : "", bank, a, b);
}

/* OPTR: RDP [7:0] (0x55 with TZEN: level 0.5), TZEN bit 31; per bank the
 * write-protected areas WRPxAR/WRPxBR, and with TrustZone on the secure
 * watermark SECWMxR1 and the hide-protection area HDPx in SECWMxR2 (bit 31
 * enables it, HDPx_PEND in the same field as PEND) (the FLASH register
 * descriptions of RM0438, RM0456 and RM0493) */
static int protection(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp)
{
    const struct fw_controller *f = facts(c->target);
    unsigned bits = f ? f->pnb_bits : 7;
    uint32_t optr, v[2][4];
    const fw_region *bank[2];
    size_t n = banks(c->target, bank);
    /* OPTR to the last bank's WRPxBR, one read (a round trip each costs a
     * millisecond through a full-speed probe) */
    uint8_t regs[WRP2AR + 8 - OPTR];
    size_t len = (n > 1 ? WRP2AR : WRP1AR) + 8 - OPTR;
    int rc = fw_probe_read(c->probe, c->regs + OPTR, regs, len, c->d);
    if (rc)
        return rc;
    static const uint32_t area[2][4] = {{WRP1AR, WRP1AR + 4, SECWM1R1, SECWM1R2},
                                        {WRP2AR, WRP2AR + 4, SECWM2R1, SECWM2R2}};
    optr = fw_get_le32(regs);
    for (size_t b = 0; b < n; b++)
        for (unsigned k = 0; k < 4; k++)
            v[b][k] = fw_get_le32(regs + area[b][k] - OPTR);
    bool tzen = optr >> 31 & 1;
    *rdp_level = (optr & 0xFF) == 0x55 && tzen ? 0 : fw_flash_rdp_level((uint8_t)optr);
    len = 0;
    wrp->text[0] = '\0';
    for (size_t b = 0; b < n; b++) {
        uint32_t page = bank[b]->erase_size ? (uint32_t)bank[b]->erase_size : 2048, s, e;
        for (unsigned k = 0; k < 2; k++)
            if (area_pages(v[b][k], bits, &s, &e)) {
                say(wrp, &len, k ? "%sbank %u pages %u-%u (area B)" : "%sbank %u pages %u-%u (area A)", (unsigned)b + 1,
                    s, e);
                fw_flash_wrp_add(wrp, (uint32_t)bank[b]->base + s * page, (e - s + 1) * page);
            }
    }
    if (!len)
        snprintf(wrp->text, sizeof(wrp->text), "none");
    len = strlen(wrp->text);
    if ((optr & 0xFF) == 0x55 && tzen && len < sizeof(wrp->text))
        len += (size_t)snprintf(wrp->text + len, sizeof(wrp->text) - len, "; RDP level 0.5: secure flash unreachable");
    for (size_t b = 0; tzen && b < n; b++) {
        uint32_t s, e;
        if (area_pages(v[b][2], bits, &s, &e) && len < sizeof(wrp->text))
            len += (size_t)snprintf(wrp->text + len, sizeof(wrp->text) - len, "; bank %u secure pages %u-%u",
                                    (unsigned)b + 1, s, e);
        uint32_t field = (1u << bits) - 1;
        if ((v[b][3] >> 31 & 1) && area_pages((v[b][2] & field) | (v[b][3] & field << 16), bits, &s, &e) &&
            len < sizeof(wrp->text))
            len += (size_t)snprintf(wrp->text + len, sizeof(wrp->text) - len, " (hidden %u-%u)", s, e);
    }
    return FW_OK;
}

static int read_unprotect(struct fw_flash_ctx *c)
{
    return fw_flash_unprotect_not_done(c, "its option bytes are read, not programmed",
                                       "STM32CubeProgrammer: -ob RDP=0xAA; or OpenOCD: stm32l4x unlock 0");
}

/* RM0438 §6.4.2 (RM0456, RM0493 alike): with NSCR and the options
 * unlocked, FLASH_OPTR written, OPTSTRT, then OBL_LAUNCH loads it and
 * resets the chip. TrustZone (TZEN) and RDP levels other than 0 are not
 * changed here. */
static int set_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp)
{
    uint32_t optr, sr;
    int rc;
    if (rdp > 0 || (mask & (0xFFu | 1u << 31))) {
        fw_diag_add(c->d, FW_ERROR, "FLASH-OPTIONS", NULL,
                    "fwkit does not change RDP or TZEN on the %s: they bring TrustZone's regression rules",
                    c->target->family ? c->target->family : c->target->name);
        return FW_EUNSUPPORTED;
    }
    if ((rc = fw_flash_unlock_keys(c, c->regs + NSKEYR, 0x45670123u, 0xCDEF89ABu, c->regs + NSCR, CR_LOCK, "NSCR")) ||
        (rc = fw_flash_unlock_keys(c, c->regs + OPTKEYR, 0x08192A3Bu, 0x4C5D6E7Fu, c->regs + NSCR, CR_OPTLOCK,
                                   "option bytes")) ||
        (rc = fw_probe_read_word(c->probe, c->regs + OPTR, &optr, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTR, (optr & ~mask) | value, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + NSCR, CR_OPTSTRT, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + NSSR, SR_BUSY, 10000, ERASE_US(8192u), &sr)) ||
        (rc = fw_flash_check(c, c->regs + NSSR, sr, errors, "programming the option bytes", c->flash_base)))
        return rc;
    fw_flash_write_resetting(c, c->regs + NSCR, CR_OBL_LAUNCH);
    return FW_OK;
}

const struct fw_flash_driver fw_flash_drv_l5u5 = {"L5/U5/WBA", FW_CTL_L5U5, unit,       unlock,     erase,
                                                  program,     lock,        mass_erase, protection, read_unprotect,
                                                  erase_run,   set_options, NULL,       WORD_US,    true};
