/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32H7 flash controller (flash_h7.h). Facts from RM0433 §4 (the embedded flash memory chapter)
 * (unlock by KEYR per bank; a wrong key locks CR until reset; PG, then
 * writes that fill a flash word in the bank's write buffer, programmed
 * when full or when FW forces it; SER with SNB and START erases a sector;
 * errors cleared by writing 1 in CCR), (WRPERR on a protected sector:
 * WPSN_CUR bit clear), (register map; FLASH_CR reset value 0x31: LOCK
 * and PSIZE x64); RM0455 for the H7A3/B layout. Choices where the
 * reference leaves it open are marked "model:". */
#include "flash_h7.h"

#include <string.h>

#define ERRORS (H7_SR_WRPERR | H7_SR_PGSERR | H7_SR_STRBERR | H7_SR_INCERR | H7_SR_OPERR)

void flash_h7_init(struct flash_h7 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                   uint32_t sector_size, uint32_t word_size)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->flash_size = flash_size;
    f->bank_size = bank_size ? bank_size : flash_size;
    f->sector_size = sector_size;
    f->word_size = word_size == 16 ? 16 : 32;
    f->ab_layout = sector_size == 8192;
    /* model: the option bytes as they leave the factory (RDP level 0, BOR
     * off, software watchdog, no reset at Stop or Standby, the watchdog
     * running in both: FLASH_OPTSR_CUR's user bits as ST's HAL names their
     * defaults; no write protection, BOOT_ADD0 0x0800 and BOOT_ADD1 0x1FF0);
     * OPTSR is programmable (RM0433 §4.4.3), the rest is not */
    f->optsr_cur = f->optsr_prg = 0xAAu << 8 | 1u << 4 | 3u << 6 | 3u << 17;
    f->boot_curr = 0x1FF00800u;
    f->bank[0].wpsn = f->bank[1].wpsn = 0xFFFFFFFFu;
    flash_h7_reset(f);
}

void flash_h7_reset(struct flash_h7 *f)
{
    for (int b = 0; b < 2; b++) {
        struct flash_h7_bank *k = &f->bank[b];
        k->cr = H7_CR_LOCK | 3u << 4; /* RM0433 §4, FLASH_CR reset value 0x31: LOCK, PSIZE x64 */
        k->sr = 0;
        k->keys = (struct key_sequence){0};
        k->locked_out = false;
        k->word_filled = 0;
        k->busy = (struct flash_busy){0};
    }
    f->optcr = H7_OPTCR_OPTLOCK;
    /* RM0433 FLASH_ACR: reset value 0x37 (LATENCY 7, WRHIGHFREQ 3); ST's
     * HAL_RCC_ClockConfig reads LATENCY back after writing it and fails
     * where it differs. model: the same reset value on every H7 */
    f->acr = 0x37;
    f->opt_keys = (struct key_sequence){0};
    f->opt_locked_out = false;
}

static uint32_t start_bit(const struct flash_h7 *f)
{
    return f->ab_layout ? 1u << 5 : 1u << 7;
}

static uint32_t fw_bit(const struct flash_h7 *f)
{
    return f->ab_layout ? 1u << 4 : 1u << 6;
}

static uint32_t snb_of(const struct flash_h7 *f, uint32_t cr)
{
    return f->ab_layout ? cr >> 6 & 0x7F : cr >> 8 & 0x7;
}

static bool sector_protected(const struct flash_h7 *f, int b, uint32_t sector)
{
    uint32_t bit = f->ab_layout ? sector / 4 : sector;
    return bit < 32 && !(f->bank[b].wpsn >> bit & 1);
}

/* The buffered flash word goes into flash: bits only cleared (model: a
 * word programmed twice keeps the AND of both, no error flag). */
static void program_word(struct flash_h7 *f, int b, uint64_t now_ns)
{
    struct flash_h7_bank *k = &f->bank[b];
    uint32_t sector = (k->word_offset - (uint32_t)b * f->bank_size) / f->sector_size;
    if (sector_protected(f, b, sector)) {
        k->sr |= H7_SR_WRPERR;
    } else {
        for (uint32_t i = 0; i < f->word_size; i++)
            if (k->word_filled >> i & 1)
                f->flash[k->word_offset + i] &= k->word[i];
        f->stats.programs++;
        flash_start_operation(&k->busy, &f->stats, now_ns, H7_WORD_NS);
        k->sr |= H7_SR_EOP;
    }
    k->word_filled = 0;
}

uint32_t flash_h7_read_reg(struct flash_h7 *f, uint32_t offset, uint64_t now_ns)
{
    int b = offset >= H7_BANK2 && f->bank_size < f->flash_size;
    uint32_t reg = offset >= H7_BANK2 ? offset - H7_BANK2 : offset;
    struct flash_h7_bank *k = &f->bank[b];
    switch (reg) {
    case H7_ACR: return f->acr;
    case H7_CR: return k->cr;
    case H7_SR: {
        uint32_t sr = flash_sr_read(&k->busy, now_ns, k->sr, H7_SR_BSY, H7_SR_EOP);
        if (sr & H7_SR_BSY)
            sr |= H7_SR_QW;
        return sr | (k->word_filled ? H7_SR_WBNE : 0);
    }
    case H7_WPSN_CUR: return k->wpsn;
    case H7_OPTCR: return f->optcr;
    case H7_OPTSR_CUR: return f->optsr_cur;
    case H7_OPTSR_PRG: return f->optsr_prg;
    case H7_BOOT_CURR: return f->boot_curr;
    case H7_BOOT4_CURR: return f->boot4_curr;
    default: return 0;
    }
}

static void start_operation(struct flash_h7 *f, int b, uint64_t now_ns)
{
    struct flash_h7_bank *k = &f->bank[b];
    if (k->cr & H7_CR_SER) {
        uint32_t sector = snb_of(f, k->cr), offset = (uint32_t)b * f->bank_size + sector * f->sector_size;
        if (offset + f->sector_size > f->flash_size || (uint32_t)b * f->bank_size + f->bank_size < offset + f->sector_size) {
            k->sr |= H7_SR_OPERR; /* model: a sector the bank does not have */
            return;
        }
        if (sector_protected(f, b, sector)) {
            k->sr |= H7_SR_WRPERR;
            return;
        }
        memset(f->flash + offset, 0xFF, f->sector_size);
        f->stats.erases++;
        flash_start_operation(&k->busy, &f->stats, now_ns, H7_ERASE_NS(f->sector_size));
        k->sr |= H7_SR_EOP;
    } else if (k->cr & H7_CR_BER) {
        uint32_t offset = (uint32_t)b * f->bank_size;
        for (uint32_t s = 0; s < f->bank_size / f->sector_size; s++)
            if (sector_protected(f, b, s)) {
                k->sr |= H7_SR_WRPERR;
                return;
            }
        memset(f->flash + offset, 0xFF, f->bank_size);
        f->stats.erases++;
        flash_start_operation(&k->busy, &f->stats, now_ns, 8 * H7_ERASE_NS(f->sector_size));
        k->sr |= H7_SR_EOP;
    }
}

void flash_h7_write_reg(struct flash_h7 *f, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    int b = offset >= H7_BANK2 && f->bank_size < f->flash_size;
    uint32_t reg = offset >= H7_BANK2 ? offset - H7_BANK2 : offset;
    struct flash_h7_bank *k = &f->bank[b];
    switch (reg) {
    case H7_ACR: f->acr = value & 0x3F; break;
    case H7_KEYR: k->cr = flash_keyr_write(&k->keys, &k->locked_out, k->cr, H7_CR_LOCK, value); break;
    case H7_CR:
        if (k->cr & H7_CR_LOCK)
            break; /* RM0433 §4: CR cannot be written while locked */
        k->cr = value;
        if ((value & fw_bit(f)) && k->word_filled && (k->cr & H7_CR_PG))
            program_word(f, b, now_ns); /* force write of a partly filled word */
        if (value & start_bit(f)) {
            k->cr &= ~start_bit(f);
            start_operation(f, b, now_ns);
        }
        k->cr &= ~fw_bit(f);
        break;
    case H7_CCR: k->sr &= ~(value & (ERRORS | H7_SR_EOP)); break;
    case H7_OPTKEYR:
        /* RM0433 §4.5.1: OPTKEY1 0x08192A3B, OPTKEY2 0x4C5D6E7F clear OPTLOCK */
        if (key_sequence_step(&f->opt_keys, &f->opt_locked_out, FLASH_OPTKEY1, FLASH_OPTKEY2,
                              (f->optcr & H7_OPTCR_OPTLOCK) != 0, value) == KEY_UNLOCKED)
            f->optcr &= ~H7_OPTCR_OPTLOCK;
        break;
    case H7_OPTSR_PRG:
        if (!(f->optcr & H7_OPTCR_OPTLOCK))
            f->optsr_prg = value;
        break;
    case H7_OPTCR:
        if (f->optcr & H7_OPTCR_OPTLOCK)
            break;
        /* RM0433 §4.4.3: OPTSTART programs OPTSR_PRG, and the new values show
         * in OPTSR_CUR when OPT_BUSY clears; model: at once */
        if (value & H7_OPTCR_OPTSTART)
            f->optsr_cur = f->optsr_prg & ~(1u | 1u << 30);
        f->optcr = (value & H7_OPTCR_OPTLOCK) | (f->optcr & ~(H7_OPTCR_OPTLOCK | H7_OPTCR_OPTSTART));
        break;
    default: break;
    }
}

void flash_h7_write_flash(struct flash_h7 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return;
    uint32_t offset = addr - f->flash_base;
    int b = f->bank_size < f->flash_size && offset >= f->bank_size;
    struct flash_h7_bank *k = &f->bank[b];
    if (!(k->cr & H7_CR_PG) || (k->cr & H7_CR_LOCK)) {
        k->sr |= H7_SR_PGSERR; /* RM0433 §4: a write without PG */
        return;
    }
    uint32_t word = offset / f->word_size * f->word_size;
    if (k->word_filled && word != k->word_offset) {
        k->sr |= H7_SR_INCERR; /* RM0433: a write outside the flash word under way */
        k->word_filled = 0;
        return;
    }
    k->word_offset = word;
    for (unsigned i = 0; i < size && offset - word + i < f->word_size; i++) {
        k->word[offset - word + i] = (uint8_t)(value >> (8 * i));
        k->word_filled |= 1u << (offset - word + i);
    }
    uint32_t full = f->word_size == 32 ? 0xFFFFFFFFu : 0xFFFFu;
    if ((k->word_filled & full) == full)
        program_word(f, b, now_ns);
}
