/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32H7 flash controller, from RM0433 §4 (H74x/H75x: two banks
 * of 8 sectors of 128 KiB, 256-bit flash words) with RM0455's H7A3/H7B0/H7B3
 * layout (8 KiB sectors, 128-bit flash words, FW at CR bit 4, START at 5,
 * SNB from bit 6) and RM0468's H72x/H73x (one bank, the H74x layout). Each
 * bank has its own KEYR, CR, SR and CCR (bank 2 at +0x100); OPTKEYR, OPTCR,
 * OPTSR_CUR and BOOT_CURR are shared. */
#ifndef FWSIM_FLASH_H7_H
#define FWSIM_FLASH_H7_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"

enum {
    H7_ACR = 0x00, /* one register, seen at 0x100 too */
    H7_KEYR = 0x04,
    H7_OPTKEYR = 0x08,
    H7_CR = 0x0C,
    H7_SR = 0x10,
    H7_CCR = 0x14,
    H7_OPTCR = 0x18,
    H7_OPTSR_CUR = 0x1C,
    H7_OPTSR_PRG = 0x20,
    H7_WPSN_CUR = 0x38,
    H7_BOOT_CURR = 0x40,
    H7_BOOT4_CURR = 0x48,
    H7_BANK2 = 0x100,
};

#define H7_CR_LOCK (1u << 0)
#define H7_CR_PG (1u << 1)
#define H7_CR_SER (1u << 2)
#define H7_CR_BER (1u << 3)
#define H7_SR_BSY (1u << 0)
#define H7_SR_WBNE (1u << 1)
#define H7_SR_QW (1u << 2)
#define H7_SR_EOP (1u << 16)
#define H7_SR_WRPERR (1u << 17)
#define H7_SR_PGSERR (1u << 18)
#define H7_SR_STRBERR (1u << 19)
#define H7_SR_INCERR (1u << 21)
#define H7_SR_OPERR (1u << 22)
#define H7_OPTCR_OPTLOCK (1u << 0)
#define H7_OPTCR_OPTSTART (1u << 1)

/* Busy times, model: a flash word 16 us, a sector erase 1 s (128 KiB) or
 * 100 ms (8 KiB) (the datasheets' typical values as recalled; the reference
 * manuals give none); they set the pace of the virtual clock only. */
#define H7_WORD_NS 16000ull
#define H7_ERASE_NS(sector) ((sector) >= 131072u ? 1000000000ull : 100000000ull)

struct flash_h7_bank {
    uint32_t cr, sr;
    struct key_sequence keys;
    bool locked_out;
    uint8_t word[32];      /* the write buffer: the flash word being gathered */
    uint32_t word_offset;  /* its offset in flash */
    uint32_t word_filled;  /* bit i: byte i has been written */
    uint32_t wpsn;         /* WPSN_CUR: bit n clear protects sector (group) n */
    struct flash_busy busy;
};

struct flash_h7 {
    uint8_t *flash; /* owned by the caller */
    uint32_t flash_base, flash_size, bank_size, sector_size, word_size;
    bool ab_layout; /* RM0455's CR: FW bit 4, START bit 5, SNB from bit 6, WPSN bit per 4 sectors */
    struct flash_h7_bank bank[2];
    uint32_t optcr, optsr_cur, optsr_prg, boot_curr;
    uint32_t acr;        /* LATENCY and WRHIGHFREQ, read back as written */
    uint32_t boot4_curr; /* H745/H747: the CM4's boot addresses (0 on single-core parts) */
    struct key_sequence opt_keys;
    bool opt_locked_out;
    struct flash_stats stats;
};

void flash_h7_init(struct flash_h7 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                   uint32_t sector_size, uint32_t word_size);
void flash_h7_reset(struct flash_h7 *f);
uint32_t flash_h7_read_reg(struct flash_h7 *f, uint32_t offset, uint64_t now_ns);
void flash_h7_write_reg(struct flash_h7 *f, uint32_t offset, uint32_t value, uint64_t now_ns);
void flash_h7_write_flash(struct flash_h7 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns);

#endif
