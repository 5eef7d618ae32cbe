/* SPDX-License-Identifier: MIT */
/* The STM32F2/F4/F7 flash controller: RM0090 §3.5-§3.9 (RM0033 for F2,
 * RM0385 for F7). Sector erase by SNB (on 2 MB F42x/F43x, bank 2's
 * sectors 12-23 as SNB 16-27); program size from the supply voltage (x32
 * above 2.7 V, x16 from 2.1 V). */
#include "driver.h"
#include "loaders.h"

#define KEYR 0x04u
#define OPTKEYR 0x08u
#define SR 0x0Cu
#define CR 0x10u
#define OPTCR 0x14u
#define OPTCR_OPTLOCK (1u << 0)
#define OPTCR_OPTSTRT (1u << 1)
#define SR_BSY (1u << 16)
#define CR_PG (1u << 0)
#define CR_SER (1u << 1)
#define CR_MER (1u << 2)
#define CR_MER1 (1u << 15)
#define CR_STRT (1u << 16)
#define CR_LOCK (1u << 31)
/* typical times (F407 datasheet; they only pace the polling): 16 us a word, sectors 250 ms per 16 KB */
#define WORD_US 16u
#define ERASE_US_PER_16K 250000u

static const struct fw_flash_error_bit errors[] = {
    {1u << 1, "OPERR: the operation failed"},
    {1u << 4, "WRPERR: the sector is write-protected by the option bytes"},
    {1u << 5, "PGAERR: a write crossed a 128-bit row"},
    {1u << 6, "PGPERR: the access size did not match PSIZE"},
    {1u << 7, "PGSERR: programming sequence error"},
    {0, 0},
};

static unsigned unit(const fw_target *t)
{
    (void)t;
    return 4;
}

/* PSIZE by supply (RM0090 table 7): x32 over 2.7 V, x16 from 2.1 V. A
 * reading under 1.7 V from a target that answered is a VDD pin nobody wired
 * (the probe gate warned): the supply is unknown, so x16, which serves from
 * 2.1 to 3.6 V, as OpenOCD's stm32f2x.c uses at any voltage. */
static int psize(struct fw_flash_ctx *c, uint32_t *ps)
{
    unsigned mv = fw_probe_voltage_mv(c->probe);
    if (mv < 1700) {
        *ps = 1;
        return FW_OK;
    }
    if (mv < 2100) {
        fw_diag_add(c->d, FW_ERROR, "FLASH-VOLTAGE", NULL,
                    "the target runs at %u mV: below 2.1 V the F2/F4/F7 flash programs by bytes only, which fwflash does not do",
                    mv);
        return FW_EDEVICE;
    }
    *ps = mv > 2700 ? 2 : 1;
    return FW_OK;
}

static int unlock(struct fw_flash_ctx *c)
{
    int rc = fw_flash_unlock_keys(c, c->regs + KEYR, 0x45670123u, 0xCDEF89ABu, c->regs + CR, CR_LOCK, "flash controller");
    return rc ? rc : fw_flash_clear_stale_errors(c, c->regs + SR, errors);
}

/* SNB of the sector holding addr: its index in its bank, + 16 in bank 2 (RM0090 §3) */
static uint32_t snb(const fw_target *t, uint32_t addr)
{
    return fw_flash_sector_index(t, addr) + (fw_flash_in_second_bank(t, addr) ? 16 : 0);
}

static int erase(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    uint32_t ps;
    int rc = psize(c, &ps);
    struct fw_flash_op op = {c->regs + CR, c->regs + SR, SR_BSY, CR_STRT, 8000,
                             size >= 65536 ? 2 * ERASE_US_PER_16K : ERASE_US_PER_16K, errors};
    return rc ? rc
              : fw_flash_run_op(c, &op, CR_SER | snb(c->target, addr) << 3 | ps << 8, "erasing the sector", addr);
}

static int program(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len)
{
    uint32_t ps;
    int rc = psize(c, &ps);
    if (rc || (rc = fw_probe_write_word(c->probe, c->regs + CR, CR_PG | ps << 8, c->d)))
        return rc;
    /* x16: half-words, each a program operation of about the same time. Our
     * RAM loader stores them while the probe fills its other slot; without
     * it, blocks stream straight into flash */
    const struct fw_ring_family ring = {
        .sr = SR, .busy = SR_BSY, .errors = 0xF2, .unit = ps == 2 ? 4 : 2, .unit_us = WORD_US};
    uint32_t done;
    rc = fw_flash_ring_program(c, &ring, errors, addr, data, len, &done);
    if (!rc && done < len) {
        struct fw_flash_stream how = {c->regs + SR, SR_BSY, errors, ps == 2 ? fw_probe_write32 : fw_probe_write16,
                                      4096, (ps == 2 ? 4096 / 4 : 4096 / 2) * WORD_US};
        rc = fw_flash_stream(c, &how, addr + done, data + done, len - done);
    }
    fw_probe_write_word(c->probe, c->regs + CR, 0, c->d);
    return rc;
}

static int mass_erase(struct fw_flash_ctx *c)
{
    uint32_t ps;
    int rc = psize(c, &ps);
    struct fw_flash_op op = {c->regs + CR, c->regs + SR, SR_BSY, CR_STRT, 40000, 8000000, errors}; /* up to 16 s (1 MB) */
    uint32_t banks = CR_MER | (fw_flash_dual_bank(c->target) ? CR_MER1 : 0);
    return rc ? rc : fw_flash_run_op(c, &op, banks | ps << 8, "mass erase", c->flash_base);
}

static int lock(struct fw_flash_ctx *c)
{
    return fw_probe_write_word(c->probe, c->regs + CR, CR_LOCK, c->d);
}

/* OPTCR: RDP [15:8], nWRP [27:16] clear: sector of bank 1 protected
 * (RM0090 §3.9.10); bank 2's bits (OPTCR1) are not read */
static int protection(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp)
{
    uint32_t optcr;
    int rc = fw_probe_read_word(c->probe, c->regs + OPTCR, &optcr, c->d);
    if (rc)
        return rc;
    *rdp_level = fw_flash_rdp_level((uint8_t)(optcr >> 8));
    uint32_t sectors = ~(optcr >> 16) & 0xFFFu;
    fw_flash_list_bits(sectors, "sectors", wrp->text, sizeof(wrp->text));
    const fw_region *bank = fw_target_region_of_kind(c->target, FW_REGION_FLASH);
    uint64_t at = c->flash_base;
    for (uint32_t n = 0; bank && n < 12 && at < bank->base + bank->size; n++) {
        uint64_t start;
        uint32_t size;
        fw_flash_sector(bank, at, &start, &size);
        if (sectors >> n & 1)
            fw_flash_wrp_add(wrp, (uint32_t)start, size);
        at = start + size;
    }
    return FW_OK;
}

/* RM0090 §3.6.2: the option bytes are FLASH_OPTCR's bits: with OPTCR
 * unlocked, the bits of mask set to value, then OPTSTRT; they load at the
 * next system reset. */
static int program_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, const char *what)
{
    uint32_t optcr, sr;
    int rc = fw_flash_unlock_keys(c, c->regs + OPTKEYR, 0x08192A3Bu, 0x4C5D6E7Fu, c->regs + OPTCR, OPTCR_OPTLOCK,
                                  "option control register");
    if (rc || (rc = fw_probe_read_word(c->probe, c->regs + OPTCR, &optcr, c->d)))
        return rc;
    optcr = ((optcr & ~mask) | value) & ~(OPTCR_OPTLOCK | OPTCR_OPTSTRT);
    if ((rc = fw_probe_write_word(c->probe, c->regs + OPTCR, optcr, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTCR, optcr | OPTCR_OPTSTRT, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 40000, ERASE_US_PER_16K, &sr)))
        return rc;
    rc = fw_flash_check(c, c->regs + SR, sr, errors, what, c->flash_base);
    fw_probe_write_word(c->probe, c->regs + OPTCR, optcr | OPTCR_OPTLOCK, c->d);
    return rc;
}

/* RM0090 §3.7.3: RDP = 0xAA; going from level 1 to 0 mass-erases the flash
 * first (up to 32 s on 2 MB at x8). */
static int read_unprotect(struct fw_flash_ctx *c)
{
    return program_options(c, 0xFF00u, 0xAA00u, "setting read protection level 0");
}

/* RDP 1 is any code but 0xAA and 0xCC. */
static int set_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp)
{
    if (rdp > 0) {
        mask |= 0xFF00u;
        value = (value & ~0xFF00u) | (uint32_t)fw_flash_rdp_code(rdp) << 8;
    }
    return program_options(c, mask, value, "programming the option bytes");
}

const struct fw_flash_driver fw_flash_drv_f2f4f7 = {"F2/F4/F7", FW_CTL_F2F4F7, unit,       unlock,     erase,
                                                    program,    lock,          mass_erase, protection, read_unprotect,
                                                    NULL,       set_options,   NULL,       WORD_US,    false};
