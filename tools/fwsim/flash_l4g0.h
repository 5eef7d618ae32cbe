/* SPDX-License-Identifier: MIT */
/* fwsim: the flash controller of STM32L4, G0, G4, WB and C0 (double-word
 * programming), modelled from RM0351 §3.3 and
 * RM0444 §3.3, and fast programming of 32-double-word rows (RM0351 §3.3.7).
 * Dual-bank parts: BKER picks the bank of a page erase, MER1 and MER2 erase
 * one bank each (RM0351 §3.3.6); one BSY for both (G0's BSY2 is not modelled). */
#ifndef FWSIM_FLASH_L4G0_H
#define FWSIM_FLASH_L4G0_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"
#include "optbytes.h"

enum { L4_ACR = 0x00, L4_KEYR = 0x08, L4_OPTKEYR = 0x0C, L4_SR = 0x10, L4_CR = 0x14, L4_OPTR = 0x20, L4_WRP1AR = 0x2C,
       L4_WRP1BR = 0x30 };

#define L4_SR_EOP (1u << 0)
#define L4_SR_OPERR (1u << 1)
#define L4_SR_PROGERR (1u << 3)
#define L4_SR_WRPERR (1u << 4)
#define L4_SR_PGAERR (1u << 5)
#define L4_SR_SIZERR (1u << 6)
#define L4_SR_PGSERR (1u << 7)
#define L4_SR_MISERR (1u << 8)
#define L4_SR_FASTERR (1u << 9)
#define L4_SR_OPTVERR (1u << 15)
#define L4_SR_BSY (1u << 16) /* BSY1 on G0 */
#define G0_SR_BSY2 (1u << 17)

#define L4_CR_PG (1u << 0)
#define L4_CR_PER (1u << 1)
#define L4_CR_MER1 (1u << 2)
#define L4_CR_PNB_SHIFT 3
#define L4_CR_MER2 (1u << 15)
#define L4_CR_STRT (1u << 16)
#define L4_CR_OPTSTRT (1u << 17)
#define L4_CR_FSTPG (1u << 18)
#define L4_CR_OBL_LAUNCH (1u << 27)
#define L4_CR_EOPIE (1u << 24)
#define L4_FAST_ROW 256u /* 32 double words */
/* a fast-programmed row, L476 datasheet as recalled (model: no mass erase needed first) */
#define L4_FAST_ROW_NS 2610000ull
#define L4_CR_OPTLOCK (1u << 30)
#define L4_CR_LOCK (1u << 31)

#define L4_KEY1 FLASH_KEY1
#define L4_KEY2 FLASH_KEY2

/* Busy times: typical values of the STM32L476 datasheet as recalled (64-bit
 * program 81.69 us, page erase 22.02 ms); the reference gives none. */
#define L4_PROGRAM_NS 81690ull
#define L4_ERASE_NS 22020000ull

#define L4_ERASED 0xFF

struct flash_l4g0 {
    uint8_t *flash; /* owned by the caller */
    uint32_t flash_base, flash_size, page_size;
    unsigned pnb_bits; /* 8 on L4/WB, 10 on G0/G4 (RM0351 §3.3 CR) */
    uint32_t bank_size; /* bytes of bank 1 when there are two, else 0 */
    uint32_t bker;      /* CR.BKER: bit 11 on L4/WB, 13 on G0/G4 (RM0351 §3.3) */
    bool has_bsy2;      /* G0: bank 2's operations show as BSY2 */
    struct write_protection wrp;
    struct option_bytes *ob; /* the chip's option bytes, or NULL */
    /* STM32WB: CPU2's secure area (RM0434 FLASH_SFR; the target data's
     * cpu2-area line): the register's offset (0: none) and value, and its
     * fields' masks */
    uint32_t sfr_offset, sfr, sfsa_mask, fsd_mask;

    uint32_t cr, sr, optr;
    /* an OPTR programmed on a part whose target data has no option-byte
     * memory (U0): kept for the run, loaded at each reset */
    uint32_t run_optr;
    bool run_optr_set;
    uint32_t wrp_area[OB_L4G0_WRP_AREAS]; /* WRP1AR, WRP1BR: as loaded, or as software wrote them since */
    struct key_sequence keys, opt_keys;
    bool key_locked_out;
    bool have_first_word; /* double-word programming: the first word is held */
    uint8_t *first_otp;   /* ... for the OTP area (NULL: flash) */
    uint32_t first_addr, first_word;
    uint32_t fast_words, fast_row;              /* fast programming: the row being collected */
    uint8_t fast_data[L4_FAST_ROW];

    struct flash_busy busy;
    uint32_t busy_bits; /* the SR bits the operation under way sets */
    struct flash_stats stats;
};

void flash_l4g0_init(struct flash_l4g0 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size,
                     uint32_t page_size, unsigned pnb_bits);
void flash_l4g0_reset(struct flash_l4g0 *f);
/* Whether [offset, offset + len) reaches CPU2's secure area (STM32WB). */
bool flash_l4g0_in_cpu2_area(const struct flash_l4g0 *f, uint32_t offset, uint32_t len);
uint32_t flash_l4g0_read_reg(struct flash_l4g0 *f, uint32_t offset, uint64_t now_ns);
void flash_l4g0_write_reg(struct flash_l4g0 *f, uint32_t offset, uint32_t value, uint64_t now_ns);
void flash_l4g0_write_flash(struct flash_l4g0 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns);
/* A bus write into the OTP area at offset: double words as in flash, each
 * programmed once (it cannot be erased). */
void flash_l4g0_write_otp(struct flash_l4g0 *f, uint8_t *otp, uint32_t offset, uint32_t value, unsigned size,
                          uint64_t now_ns);

#endif
