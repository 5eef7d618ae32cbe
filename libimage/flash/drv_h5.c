/* SPDX-License-Identifier: MIT */
/* The STM32H5 flash controller (RM0481, the embedded flash memory chapter;
 * register and bit positions as ST's SVD gives them): H7's command layout in
 * a TrustZone-aware register map. NSKEYR 0x04, NSSR 0x20 (BSY 0, WBNE 1,
 * DBNE 3, EOP 16, errors 17-23), NSCR 0x28 (LOCK 0, PG 1, SER 2, BER 3, FW
 * 4, STRT 5, SNB 12:6, MER 15, BKSEL 31: the bank of SER and BER), NSCCR
 * 0x30 clearing the flags. Quad words (16 bytes) gathered in one write
 * buffer and programmed when full; 8 KiB sectors, numbered within their bank.
 * The product state (FLASH_OPTSR_CUR bits 15:8) stands where other families
 * keep RDP. With TrustZone on (the target its secure view), the secure set
 * (SECKEYR 0x08, SECSR 0x24, SECCR 0x2C, SECCCR 0x34, at the registers'
 * secure alias) and every sector made secure through SECBBxRy while fwflash
 * works, as on L5/U5. The user option bytes are set through OPTKEYR,
 * OPTSR_PRG and OPTCR's OPTSTRT; the product state is not changed here. */
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "loaders.h"

#define NSKEYR        0x04u
#define SECKEYR       0x08u
#define NSSR          0x20u
#define SECSR         0x24u
#define NSCR          0x28u
#define SECCR         0x2Cu
#define NSCCR         0x30u
#define SECCCR        0x34u
#define SECBB1R1      0xA0u
#define OPTKEYR       0x0Cu
#define OPTCR         0x1Cu
#define OPTSR_CUR     0x50u
#define OPTSR_PRG     0x54u
#define WRP1R_CUR     0xE8u
#define BANK2_OPTIONS 0x100u /* WRP2R_CUR is WRP1R_CUR's bank-2 twin */
#define CR_LOCK       (1u << 0)
#define CR_PG         (1u << 1)
#define CR_SER        (1u << 2)
#define CR_STRT       (1u << 5)
#define CR_MER        (1u << 15)
#define CR_BKSEL      (1u << 31)
#define SR_BUSY       (1u << 0 | 1u << 1 | 1u << 3) /* BSY, and a write or ECC buffer not yet empty (WBNE, DBNE) */
#define SR_ERRORS     0xFE0000u
/* typical times (they only pace the polls): a sector 2 ms, a quad word 50 us */
#define ERASE_US 2000u
#define WORD_US  50u

static const struct fw_flash_error_bit errors[] = {
    {1u << 17, "WRPERR: the sector is write-protected (WRP), or secure (TrustZone)"},
    {1u << 18, "PGSERR: programming sequence error"},
    {1u << 19, "STRBERR: a byte written twice before its quad word was programmed"},
    {1u << 20, "INCERR: writes to two quad words at once"},
    {1u << 21, "OBKERR: option-byte key access error"},
    {1u << 22, "OBKWERR: option-byte key write error"},
    {1u << 23, "OPTCHANGEERR: an option byte change failed"},
    {0, 0},
};

static unsigned unit(const fw_target *t)
{
    return fw_flash_write_unit(t, 16);
}

/* SECBBxRy of both banks (bank 2's 0x100 after bank 1's) to value: all sectors secure, or none */
static int set_block_security(struct fw_flash_ctx *c, uint32_t value)
{
    return fw_flash_set_block_security(c, SECBB1R1, BANK2_OPTIONS, value);
}

static int unlock(struct fw_flash_ctx *c)
{
    int rc = fw_flash_unlock_keys(c, fw_flash_secure_reg(c, NSKEYR, SECKEYR), 0x45670123u, 0xCDEF89ABu,
                                  fw_flash_secure_reg(c, NSCR, SECCR), CR_LOCK,
                                  c->target->secure_view ? "flash controller (secure registers)" : "flash controller");
    if (!rc)
        rc = fw_flash_clear_stale_errors_at(c, fw_flash_secure_reg(c, NSSR, SECSR),
                                            fw_flash_secure_reg(c, NSCCR, SECCCR), errors);
    if (!rc && c->target->secure_view)
        rc = set_block_security(c, 0xFFFFFFFFu);
    return rc;
}

/* Several sectors of one bank back to back: NSCR (SECCR) written for each
 * without a look at the status between them (a write while BSY waits for
 * the sector before, as on L5/U5); the sticky error flags read once. */
/* NSCR (SECCR) choosing the sector at addr for an erase: SER, SNB, BKSEL */
static uint32_t erase_select(const struct fw_flash_ctx *c, uint32_t addr)
{
    return CR_SER | fw_flash_sector_index(c->target, addr) << 6 |
           (fw_flash_in_second_bank(c->target, addr) ? CR_BKSEL : 0);
}

static int erase_run(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    const fw_region *r = fw_target_region_at(c->target, addr);
    uint32_t sector = r && r->erase_size ? (uint32_t)r->erase_size : 8192, sr;
    int rc = FW_OK;
    for (uint32_t at = addr; at < addr + size && !rc; at += sector) {
        uint32_t cr = erase_select(c, at);
        if (!(rc = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), cr, c->d)))
            rc = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), cr | CR_STRT, c->d);
    }
    if (!rc)
        rc = fw_flash_wait(c, fw_flash_secure_reg(c, NSSR, SECSR), SR_BUSY, 4 * ERASE_US / 1000 + 2000, ERASE_US, &sr);
    if (!rc)
        rc = fw_flash_check(c, fw_flash_secure_reg(c, NSCCR, SECCCR), sr, errors,
                            size > sector ? "erasing the sectors" : "erasing the sector", addr);
    fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), 0, c->d);
    return rc;
}

static int erase(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    return erase_run(c, addr, size); /* one sector: the same sequence */
}

/* quad words through our RAM loader, the wire filling slots ahead of the
 * flash, the sectors of ctx->ahead erased as it reaches them; else streamed
 * through the debug port */
static int program(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len)
{
    int rc;
    if ((rc = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), CR_PG, c->d)))
        return rc;
    uint32_t done;
    struct fw_ring_family ring = {
        fw_flash_secure_reg(c, NSSR, SECSR) - c->regs, SR_BUSY, SR_ERRORS,    unit(c->target), WORD_US,
        fw_flash_secure_reg(c, NSCR, SECCR) - c->regs, CR_PG,   erase_select, CR_STRT};
    rc = fw_flash_ring_program(c, &ring, errors, addr, data, len, &done);
    if (!rc && done < len) {
        struct fw_flash_stream how = {fw_flash_secure_reg(c, NSSR, SECSR), SR_BUSY, errors, fw_probe_write32, 4096,
                                      4096 / unit(c->target) * WORD_US};
        rc = fw_flash_stream(c, &how, addr + done, data + done, len - done);
    }
    if (rc) {
        uint32_t sr;
        if (!fw_probe_read_word(c->probe, fw_flash_secure_reg(c, NSSR, SECSR), &sr, c->d) && (sr & SR_ERRORS))
            fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCCR, SECCCR), sr & SR_ERRORS, c->d);
    }
    /* PG stays set: the lock after the last run (fw_flash_write) writes LOCK
     * alone, which clears it, a round trip less */
    return rc;
}

static int mass_erase(struct fw_flash_ctx *c)
{
    uint32_t sr;
    int rc = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), CR_MER, c->d);
    if (!rc)
        rc = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), CR_MER | CR_STRT, c->d);
    if (!rc)
        rc = fw_flash_wait(c, fw_flash_secure_reg(c, NSSR, SECSR), SR_BUSY, 30000, 100 * ERASE_US, &sr);
    if (!rc)
        rc = fw_flash_check(c, fw_flash_secure_reg(c, NSCCR, SECCCR), sr, errors, "mass erase", c->flash_base);
    fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), 0, c->d);
    return rc;
}

static int lock(struct fw_flash_ctx *c)
{
    int rc = c->target->secure_view ? set_block_security(c, 0) : FW_OK;
    int locked = fw_probe_write_word(c->probe, fw_flash_secure_reg(c, NSCR, SECCR), CR_LOCK, c->d);
    return rc ? rc : locked;
}

/* OPTSR_CUR: PRODUCT_STATE [15:8]; WRPxR_CUR: bit n clear protects sectors 4n to 4n + 3 */
static int protection(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp)
{
    uint32_t optsr;
    int rc = fw_probe_read_word(c->probe, c->regs + OPTSR_CUR, &optsr, c->d);
    if (rc)
        return rc;
    /* the product states (controllers.c), and what each leaves fwflash */
    uint8_t code = (uint8_t)(optsr >> 8);
    const struct fw_h5_product_state *state = fw_h5_product_state(code);
    const char *name = state ? state->name : "unknown";
    *rdp_level = state ? state->level : 1;
    wrp->text[0] = '\0';
    int banks = fw_flash_dual_bank(c->target) ? 2 : 1;
    for (int b = 0; b < banks && !rc; b++) {
        uint32_t wrpsg;
        if (!(rc = fw_probe_read_word(c->probe, c->regs + WRP1R_CUR + (uint32_t)b * BANK2_OPTIONS, &wrpsg, c->d)))
            fw_flash_wrp_by_groups(c->target, b, wrpsg, 4, wrp);
    }
    /* the H5's own word for what RDP is elsewhere */
    size_t len = strlen(wrp->text);
    if (!rc)
        snprintf(wrp->text + len, sizeof(wrp->text) - len, "; product state %s (0x%02X)", name, code);
    return rc;
}

static int read_unprotect(struct fw_flash_ctx *c)
{
    return fw_flash_unprotect_not_done(
        c,
        "H5 has product states, not read protection levels: going back to Open is "
        "a regression through debug authentication",
        "STM32CubeProgrammer's debug authentication (-dbg ... discovery, then regression)");
}

/* RM0481 (FLASH_OPTCR, FLASH_OPTSR_PRG): OPTLOCK cleared by OPTKEY1 and
 * OPTKEY2 in OPTKEYR, the new word in OPTSR_PRG, OPTSTRT; BSY in NSSR
 * until done, OPTCHANGEERR there if it failed. PRODUCT_STATE (15:8) is the
 * H5's RDP and is left as it is. */
static int set_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp)
{
    uint32_t cur, sr;
    int rc;
    if (rdp > 0 || (mask & 0xFF00u)) {
        fw_diagnostic *e = fw_diag_add(c->d, FW_ERROR, "FLASH-OPTIONS", NULL,
                                       "the %s has product states, not RDP levels: fwkit does not change them",
                                       c->target->family ? c->target->family : c->target->name);
        fw_diagnostic_set_hint(e, "STM32CubeProgrammer: -ob PRODUCT_STATE=... (a change toward Closed is one-way)");
        return FW_EUNSUPPORTED;
    }
    if ((rc = fw_flash_unlock_keys(c, c->regs + OPTKEYR, 0x08192A3Bu, 0x4C5D6E7Fu, c->regs + OPTCR, 1u,
                                   "option control register")) ||
        (rc = fw_flash_clear_stale_errors_at(c, c->regs + NSSR, c->regs + NSCCR, errors)) ||
        (rc = fw_probe_read_word(c->probe, c->regs + OPTSR_CUR, &cur, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTSR_PRG, (cur & ~mask) | value, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTCR, 1u << 1, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + NSSR, 1u, 10000, ERASE_US, &sr)))
        return rc;
    fw_probe_write_word(c->probe, c->regs + OPTCR, 1u, c->d); /* OPTLOCK again */
    return fw_flash_check(c, c->regs + NSSR, sr, errors, "programming the option bytes", c->flash_base);
}

const struct fw_flash_driver fw_flash_drv_h5 = {"H5",      FW_CTL_H5,   unit,       unlock,     erase,
                                                program,   lock,        mass_erase, protection, read_unprotect,
                                                erase_run, set_options, NULL,       WORD_US,    true};
