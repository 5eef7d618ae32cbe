/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32H5 flash controller (RM0481, the embedded flash memory
 * chapter; register and bit positions as ST's SVD gives them). Its
 * non-secure registers: NSKEYR, NSSR (BSY, WBNE, DBNE, EOP, the errors),
 * NSCR (LOCK, PG, SER, BER, FW, STRT, SNB, MER, BKSEL), NSCCR; one write
 * buffer gathering a quad word (16 bytes), programmed when full or forced
 * (FW, the rest as ones); 8 KiB sectors numbered within their bank, BKSEL
 * choosing the bank of SER and BER. Option registers as from the factory:
 * product state Open, TrustZone off, no write protection, boot at
 * 0x08000000. The secure registers read as zero (TrustZone is off). */
#ifndef FWSIM_FLASH_H5_H
#define FWSIM_FLASH_H5_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"

enum {
    H5_NSKEYR = 0x04, H5_NSSR = 0x20, H5_NSCR = 0x28, H5_NSCCR = 0x30, H5_OPTSR_CUR = 0x50, H5_OPTSR2_CUR = 0x70,
    H5_NSBOOTR_CUR = 0x80, H5_SECBOOTR_CUR = 0x88, H5_WRP1R_CUR = 0xE8, H5_WRP2R_CUR = 0x1E8,
};

#define H5_SR_BSY (1u << 0)
#define H5_SR_WBNE (1u << 1)
#define H5_SR_EOP (1u << 16)
#define H5_SR_WRPERR (1u << 17)
#define H5_SR_PGSERR (1u << 18)
#define H5_SR_STRBERR (1u << 19)
#define H5_SR_INCERR (1u << 20)
#define H5_CR_LOCK (1u << 0)
#define H5_CR_PG (1u << 1)
#define H5_CR_SER (1u << 2)
#define H5_CR_BER (1u << 3)
#define H5_CR_FW (1u << 4)
#define H5_CR_STRT (1u << 5)
#define H5_CR_MER (1u << 15)
#define H5_CR_BKSEL (1u << 31)

/* Busy times, model: the H563 datasheet's typical values as recalled (a
 * quad word 50 us, an 8 KiB sector 2 ms); they set the pace of the virtual
 * clock only. */
#define H5_WORD_NS 50000ull
#define H5_ERASE_NS 2000000ull

struct flash_h5 {
    uint8_t *flash; /* owned by the caller */
    uint32_t flash_base, flash_size, bank_size, sector_size;
    uint32_t cr, sr;
    struct key_sequence keys;
    bool locked_out;
    uint8_t word[16];
    uint32_t word_offset, word_filled; /* the write buffer: its quad word; bit i: byte i written */
    uint32_t optsr, optsr2, nsbootr, secbootr, wrpsg[2];
    struct write_protection fault_wrp; /* --fault wrp, in sectors */
    struct flash_busy busy;
    struct flash_stats stats;
};

void flash_h5_init(struct flash_h5 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                   uint32_t sector_size);
void flash_h5_reset(struct flash_h5 *f);
uint32_t flash_h5_read_reg(struct flash_h5 *f, uint32_t offset, uint64_t now_ns);
void flash_h5_write_reg(struct flash_h5 *f, uint32_t offset, uint32_t value, uint64_t now_ns);
void flash_h5_write_flash(struct flash_h5 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns);

#endif
