/* SPDX-License-Identifier: MIT */
/* The STM32F0/F1/F3 flash controller (FPEC): RM0008 §3 (PM0075),
 * (RM0008 §3, RM0091 §3, RM0316 §4). Half-word programming only, so the
 * probe needs 16-bit memory access (V2 J26+). Bank 2 of F1 XL-density parts
 * (768 KiB, 1 MiB) has its own KEYR2, SR2, CR2 and AR2 at +0x40 (RM0008
 * PM0075 §2, PM0068 §2.3). */
#include <string.h>

#include "driver.h"
#include "loaders.h"

#define KEYR 0x04u
#define OPTKEYR 0x08u
#define SR 0x0Cu
#define CR 0x10u
#define AR 0x14u
#define SR_BSY (1u << 0)
#define CR_PG (1u << 0)
#define CR_PER (1u << 1)
#define CR_MER (1u << 2)
#define CR_OPTPG (1u << 4)
#define CR_OPTER (1u << 5)
#define CR_STRT (1u << 6)
#define CR_LOCK (1u << 7)
#define CR_OPTWRE (1u << 9)
#define BANK2 0x40u
/* typical times (datasheets; they only pace the polling): page erase 20-40 ms, half-word 40-70 us */
#define ERASE_US 25000u
#define HALFWORD_US 52u
#define BLOCK 4096u

static const struct fw_flash_error_bit errors[] = {
    {1u << 2, "PGERR: the half-word was not erased (or the controller was not in programming mode)"},
    {1u << 4, "WRPRTERR: the page is write-protected by the option bytes"},
    {0, 0},
};

static unsigned unit(const fw_target *t)
{
    (void)t;
    return 2;
}

/* The context that drives the bank holding addr: bank 2's registers are bank 1's + 0x40. */
static struct fw_flash_ctx bank_of(const struct fw_flash_ctx *c, uint32_t addr)
{
    struct fw_flash_ctx b = *c;
    if (fw_flash_in_second_bank(c->target, addr))
        b.regs += BANK2;
    return b;
}

/* The register bases of every bank: n of them into regs. */
static unsigned banks(const struct fw_flash_ctx *c, uint32_t regs[2])
{
    regs[0] = c->regs;
    regs[1] = c->regs + BANK2;
    return fw_flash_dual_bank(c->target) ? 2 : 1;
}

static int unlock(struct fw_flash_ctx *c)
{
    uint32_t regs[2];
    int rc = FW_OK;
    for (unsigned i = 0, n = banks(c, regs); i < n && !rc; i++)
        if (!(rc = fw_flash_unlock_keys(c, regs[i] + KEYR, 0x45670123u, 0xCDEF89ABu, regs[i] + CR, CR_LOCK,
                                        i ? "flash controller (bank 2)" : "flash controller")))
            rc = fw_flash_clear_stale_errors(c, regs[i] + SR, errors);
    return rc;
}

static struct fw_flash_op erase_op(const struct fw_flash_ctx *c)
{
    return (struct fw_flash_op){c->regs + CR, c->regs + SR, SR_BSY, CR_STRT, 2000, ERASE_US, errors};
}

static int erase(struct fw_flash_ctx *c, uint32_t addr, uint32_t size)
{
    (void)size;
    struct fw_flash_ctx b = bank_of(c, addr);
    struct fw_flash_op op = erase_op(&b);
    int rc = fw_probe_write_word(b.probe, b.regs + AR, addr, b.d);
    return rc ? rc : fw_flash_run_op(&b, &op, CR_PER, "erasing the page", addr);
}

/* A run never crosses a bank boundary (the plan stops runs there). */
static int program(struct fw_flash_ctx *c, uint32_t addr, const uint8_t *data, uint32_t len)
{
    int rc;
    struct fw_flash_ctx b = bank_of(c, addr);
    if ((rc = fw_probe_write_word(b.probe, b.regs + CR, CR_PG, b.d)))
        return rc;
    /* our RAM loader: the core stores half-words and polls BSY while the probe fills the other slot */
    static const struct fw_ring_family ring = {
        .sr = SR, .busy = SR_BSY, .errors = 0x14, .unit = 2, .unit_us = HALFWORD_US};
    uint32_t done;
    rc = fw_flash_ring_program(&b, &ring, errors, addr, data, len, &done);
    c->in_ram = b.in_ram;
    c->thumb_set = b.thumb_set;
    if (!rc && done < len) {
        /* the bus waits while BSY is set, so blocks of half-words stream in */
        struct fw_flash_stream how = {b.regs + SR, SR_BSY, errors, fw_probe_write16, BLOCK, BLOCK / 2 * HALFWORD_US};
        rc = fw_flash_stream(&b, &how, addr + done, data + done, len - done);
    }
    fw_probe_write_word(b.probe, b.regs + CR, 0, b.d);
    return rc;
}

/* Each bank's MER erases that bank. PG clear: an F030 drops MER with it. */
static int mass_erase(struct fw_flash_ctx *c)
{
    uint32_t regs[2];
    int rc = FW_OK;
    for (unsigned i = 0, n = banks(c, regs); i < n && !rc; i++) {
        struct fw_flash_ctx b = *c;
        b.regs = regs[i];
        struct fw_flash_op op = erase_op(&b);
        rc = fw_flash_run_op(&b, &op, CR_MER, i ? "mass erase of bank 2" : "mass erase", c->flash_base);
    }
    return rc;
}

static int lock(struct fw_flash_ctx *c)
{
    uint32_t regs[2];
    int rc = FW_OK;
    for (unsigned i = 0, n = banks(c, regs); i < n; i++) {
        int r = fw_probe_write_word(c->probe, regs[i] + CR, CR_LOCK, c->d);
        rc = rc ? rc : r;
    }
    return rc;
}

static bool is_f1(const fw_target *t)
{
    return t->flash_controller && !strcmp(t->flash_controller, "f1");
}

/* OBR: F1 RDPRT b1 (levels 0 and 1); F0/F3 RDPRT [2:1], 01 level 1, 11
 * level 2. WRPR bit n clear: 4 KiB unit n protected, bit 31 everything from
 * 124 KiB up (PM0075 §2.5 and §3.3, RM0091 §3.5.6 and §4.1) */
static int protection(struct fw_flash_ctx *c, int *rdp_level, struct fw_flash_wrp *wrp)
{
    uint32_t obr, wrpr;
    int rc = fw_probe_read_word(c->probe, c->regs + 0x1C, &obr, c->d);
    if (rc || (rc = fw_probe_read_word(c->probe, c->regs + 0x20, &wrpr, c->d)))
        return rc;
    uint32_t rdprt = is_f1(c->target) ? obr >> 1 & 1 : obr >> 1 & 3;
    *rdp_level = rdprt == 0 ? 0 : rdprt == 3 ? 2 : 1;
    fw_flash_list_bits(~wrpr, "protection units", wrp->text, sizeof(wrp->text));
    const fw_region *flash = fw_target_region_of_kind(c->target, FW_REGION_FLASH);
    uint32_t size = flash ? (uint32_t)flash->size : 0;
    for (uint32_t n = 0; n < 32 && n * 4096 < size; n++)
        if (!(wrpr >> n & 1))
            fw_flash_wrp_add(wrp, c->flash_base + n * 4096, n == 31 ? size - n * 4096 : 4096);
    return FW_OK;
}

/* One option half-word with OPTPG: the low byte and its complement. */
static int program_option(struct fw_flash_ctx *c, uint32_t addr, uint8_t value, const char *what)
{
    uint8_t pair[2] = {value, (uint8_t)~value};
    uint32_t sr;
    int rc;
    if ((rc = fw_probe_write16(c->probe, addr, pair, 2, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 2000, ERASE_US, &sr)))
        return rc;
    return fw_flash_check(c, c->regs + SR, sr, errors, what, addr);
}

/* PM0075 §2.4: erase the option bytes and program them again, RDP first,
 * each with its complement (made by the controller): want holds the 16
 * bytes as they should be (values at even offsets); the user, data and
 * write-protection pairs are programmed where force says so or where the
 * pair was valid (an erased pair, 0xFF 0xFF, would load as an error). The
 * new options load at the next system reset. */
static int rewrite_options(struct fw_flash_ctx *c, uint32_t base, const uint8_t want[16], uint32_t force,
                           const char *what)
{
    uint32_t cr, sr;
    int rc;
    if ((rc = unlock(c)) || (rc = fw_probe_write_word(c->probe, c->regs + OPTKEYR, 0x45670123u, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + OPTKEYR, 0xCDEF89ABu, c->d)) ||
        (rc = fw_probe_read_word(c->probe, c->regs + CR, &cr, c->d)))
        return rc;
    if (!(cr & CR_OPTWRE)) {
        fw_diag_add(c->d, FW_ERROR, "FLASH-LOCKED", NULL, "the option bytes stayed write-protected after their key sequence");
        return FW_EDEVICE;
    }
    if ((rc = fw_probe_write_word(c->probe, c->regs + CR, CR_OPTER | CR_OPTWRE, c->d)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + CR, CR_OPTER | CR_OPTWRE | CR_STRT, c->d)) ||
        (rc = fw_flash_wait(c, c->regs + SR, SR_BSY, 2000, ERASE_US, &sr)) ||
        (rc = fw_flash_check(c, c->regs + SR, sr, errors, "erasing the option bytes", base)) ||
        (rc = fw_probe_write_word(c->probe, c->regs + CR, CR_OPTPG | CR_OPTWRE, c->d)) ||
        (rc = program_option(c, base, want[0], what)))
        return rc;
    for (uint32_t i = 2; i < 16 && !rc; i += 2)
        if ((force >> i & 1) || (want[i] ^ want[i + 1]) == 0xFF)
            rc = program_option(c, base + i, want[i], what);
    fw_probe_write_word(c->probe, c->regs + CR, 0, c->d);
    return rc;
}

/* PM0075 §2.4.1 unprotection: RDP programmed with the level-0 code (0xA5 on
 * F1, 0xAA on F0/F3), which first mass-erases the flash; the rest put back
 * as it was. */
static int read_unprotect(struct fw_flash_ctx *c)
{
    uint32_t base = fw_flash_option_base(c, 16);
    uint8_t want[16];
    int rc;
    if (!base)
        return FW_EDEVICE;
    if ((rc = fw_probe_read(c->probe, base, want, sizeof(want), c->d)))
        return rc;
    want[0] = is_f1(c->target) ? 0xA5 : 0xAA;
    return rewrite_options(c, base, want, 0, "setting read protection level 0");
}

/* The user byte and the data bytes from FLASH_OBR's fields (options.c):
 * the USER byte shows at OBR bit 2 on F1 (three bits), bit 8 on F0/F3;
 * Data0 and Data1 at bits 10 and 18 on F1, 16 and 24 on F0/F3 (RM0008
 * §3.3.3, RM0091 §3.5.7). RDP 1 is any code but the level-0 and level-2
 * ones; level 2 is 0xCC (F0/F3 only). */
static int set_options(struct fw_flash_ctx *c, uint32_t mask, uint32_t value, int rdp)
{
    uint32_t base = fw_flash_option_base(c, 16), obr;
    uint8_t want[16];
    int rc;
    bool f1 = is_f1(c->target);
    if (!base)
        return FW_EDEVICE;
    if ((rc = fw_probe_read_word(c->probe, c->regs + 0x1C, &obr, c->d)) ||
        (rc = fw_probe_read(c->probe, base, want, sizeof(want), c->d)))
        return rc;
    obr = (obr & ~mask) | value;
    want[2] = f1 ? (uint8_t)((want[2] & ~7u) | (obr >> 2 & 7u)) : (uint8_t)(obr >> 8);
    want[4] = (uint8_t)(obr >> (f1 ? 10 : 16));
    want[6] = (uint8_t)(obr >> (f1 ? 18 : 24));
    /* level 0, as it is, when rdp is not asked (options.c changes them at level 0 only) */
    want[0] = rdp > 0 ? fw_flash_rdp_code(rdp) : f1 ? 0xA5 : fw_flash_rdp_code(0);
    return rewrite_options(c, base, want, 1u << 2 | 1u << 4 | 1u << 6, "programming the option bytes");
}

const struct fw_flash_driver fw_flash_drv_f0f1f3 = {"F0/F1/F3", FW_CTL_F0F1F3, unit,       unlock,      erase,
                                                    program,    lock,          mass_erase, protection,  read_unprotect,
                                                    NULL,       set_options,   NULL,       HALFWORD_US, false};
