/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32H5 flash controller (flash_h5.h). Facts from RM0481's
 * embedded flash memory chapter as ST's SVD describes its registers: NSCR
 * locked at reset and unlocked by the two keys in NSKEYR (a wrong key locks
 * it until reset); PG, then writes that fill the quad word of the write
 * buffer (WBNE while it waits), programmed when full or when FW forces it;
 * a byte written twice into the buffer is STRBERR, a write into another
 * quad word INCERR, a write without PG PGSERR; SER with SNB, BKSEL and STRT
 * erases a sector, BER a bank, MER both; a sector whose group's WRPSG bit
 * is clear is write-protected (WRPERR, nothing done); the flags are cleared
 * by writing 1 at their place in NSCCR. Choices where the manual leaves it
 * open are marked "model:". */
#include "flash_h5.h"

#include <string.h>

#define ERRORS (H5_SR_WRPERR | H5_SR_PGSERR | H5_SR_STRBERR | H5_SR_INCERR)

void flash_h5_init(struct flash_h5 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                   uint32_t sector_size)
{
    memset(f, 0, sizeof(*f));
    f->flash = flash;
    f->flash_base = flash_base;
    f->flash_size = flash_size;
    f->bank_size = bank_size && bank_size < flash_size ? bank_size : flash_size;
    f->sector_size = sector_size ? sector_size : 8192;
    f->fault_wrp.unit = f->sector_size;
    /* model: the factory option bytes: product state Open (0xED), TZEN
     * 0xC3 (off), NSBOOTADD 0x080000 with its lock byte 0xC3 (unlocked),
     * SECBOOTADD 0x0C0000, no sector group write-protected */
    f->optsr = 0xEDu << 8;
    f->optsr2 = 0xC3u << 24;
    f->nsbootr = 0x080000C3u;
    f->secbootr = 0x0C0000C3u;
    f->wrpsg[0] = f->wrpsg[1] = 0xFFFFFFFFu;
    flash_h5_reset(f);
}

void flash_h5_reset(struct flash_h5 *f)
{
    f->cr = H5_CR_LOCK;
    f->sr = 0;
    f->keys = (struct key_sequence){0};
    f->locked_out = false;
    f->word_filled = 0;
    f->busy = (struct flash_busy){0};
}

static bool protected_sector(const struct flash_h5 *f, uint32_t offset)
{
    int bank = offset >= f->bank_size;
    uint32_t sector = (offset - (uint32_t)bank * f->bank_size) / f->sector_size;
    return !(f->wrpsg[bank] >> (sector / 4 % 32) & 1) || wrp_unit_protected(&f->fault_wrp, offset / f->sector_size);
}

uint32_t flash_h5_read_reg(struct flash_h5 *f, uint32_t offset, uint64_t now_ns)
{
    switch (offset) {
    case H5_NSSR: return flash_sr_read(&f->busy, now_ns, f->sr, H5_SR_BSY, H5_SR_EOP) | (f->word_filled ? H5_SR_WBNE : 0);
    case H5_NSCR: return f->cr;
    case H5_OPTSR_CUR: return f->optsr;
    case H5_OPTSR2_CUR: return f->optsr2;
    case H5_NSBOOTR_CUR: return f->nsbootr;
    case H5_SECBOOTR_CUR: return f->secbootr;
    case H5_WRP1R_CUR: return f->wrpsg[0];
    case H5_WRP2R_CUR: return f->wrpsg[1];
    default: return 0;
    }
}

static void erase(struct flash_h5 *f, uint32_t offset, uint32_t size, uint64_t now_ns)
{
    for (uint32_t o = offset; o < offset + size; o += f->sector_size)
        if (protected_sector(f, o)) {
            f->sr |= H5_SR_WRPERR;
            return;
        }
    memset(f->flash + offset, 0xFF, size);
    f->stats.erases++;
    /* model: a bank or mass erase takes as long as a sector */
    flash_start_operation(&f->busy, &f->stats, now_ns, H5_ERASE_NS);
    f->sr |= H5_SR_EOP;
}

static void start_operation(struct flash_h5 *f, uint64_t now_ns)
{
    int bank = f->cr & H5_CR_BKSEL && f->bank_size < f->flash_size ? 1 : 0;
    uint32_t base = (uint32_t)bank * f->bank_size;
    if (f->cr & H5_CR_MER) {
        erase(f, 0, f->flash_size, now_ns);
    } else if (f->cr & H5_CR_BER) {
        erase(f, base, f->bank_size, now_ns);
    } else if (f->cr & H5_CR_SER) {
        uint32_t sector = f->cr >> 6 & 0x7F;
        if ((f->cr & H5_CR_BKSEL && f->bank_size == f->flash_size) || (sector + 1) * f->sector_size > f->bank_size) {
            f->sr |= H5_SR_PGSERR; /* model: a sector the bank does not have */
            return;
        }
        erase(f, base + sector * f->sector_size, f->sector_size, now_ns);
    } else {
        f->sr |= H5_SR_PGSERR;
    }
}

/* the write buffer into flash, missing bytes as ones (model: a quad word
 * programmed twice keeps the AND of both, no flag) */
static void program_word(struct flash_h5 *f, uint64_t now_ns)
{
    if (protected_sector(f, f->word_offset)) {
        f->sr |= H5_SR_WRPERR;
    } else {
        for (uint32_t i = 0; i < 16; i++)
            f->flash[f->word_offset + i] &= f->word_filled >> i & 1 ? f->word[i] : 0xFF;
        f->stats.programs++;
        flash_start_operation(&f->busy, &f->stats, now_ns, H5_WORD_NS);
        f->sr |= H5_SR_EOP;
    }
    f->word_filled = 0;
}

void flash_h5_write_reg(struct flash_h5 *f, uint32_t offset, uint32_t value, uint64_t now_ns)
{
    switch (offset) {
    case H5_NSKEYR: f->cr = flash_keyr_write(&f->keys, &f->locked_out, f->cr, H5_CR_LOCK, value); break;
    case H5_NSCR:
        if (value & H5_CR_LOCK) {
            f->cr |= H5_CR_LOCK;
            break;
        }
        if (f->cr & H5_CR_LOCK)
            break; /* NSCR cannot be written while locked */
        f->cr = value & ~(H5_CR_STRT | H5_CR_FW);
        if ((value & H5_CR_FW) && f->word_filled && (f->cr & H5_CR_PG))
            program_word(f, now_ns);
        if (value & H5_CR_STRT)
            start_operation(f, now_ns);
        break;
    case H5_NSCCR: f->sr &= ~(value & (ERRORS | H5_SR_EOP | 0xE00000u)); break;
    default: break; /* model: the option registers are read-only here */
    }
}

void flash_h5_write_flash(struct flash_h5 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns)
{
    if (addr < f->flash_base || addr - f->flash_base >= f->flash_size)
        return;
    uint32_t offset = addr - f->flash_base, word = offset & ~15u;
    if (!(f->cr & H5_CR_PG) || (f->cr & H5_CR_LOCK)) {
        f->sr |= H5_SR_PGSERR;
        return;
    }
    if (f->word_filled && word != f->word_offset) {
        f->sr |= H5_SR_INCERR;
        f->word_filled = 0;
        return;
    }
    f->word_offset = word;
    for (unsigned i = 0; i < size && (offset & 15) + i < 16; i++) {
        uint32_t at = (offset & 15) + i;
        if (f->word_filled >> at & 1) {
            f->sr |= H5_SR_STRBERR;
            f->word_filled = 0;
            return;
        }
        f->word[at] = (uint8_t)(value >> (8 * i));
        f->word_filled |= 1u << at;
    }
    if (f->word_filled == 0xFFFFu)
        program_word(f, now_ns);
}
