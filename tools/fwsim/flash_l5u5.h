/* SPDX-License-Identifier: MIT */
/* fwsim: the TrustZone-aware flash controller of STM32L5 (RM0438), U5
 * (RM0456) and WBA (RM0493), from each manual's embedded flash memory
 * (FLASH) chapter. Two sets of key, status and control registers, the
 * non-secure (NSKEYR, NSSR, NSCR) and the secure (SECKEYR, SECSR, SECCR,
 * reached only by secure accesses, at the registers' secure alias), the L4's
 * page erase and programming sequences on double words (L5) or quad words
 * (U5, WBA); with TZEN=1 a page is secure inside its bank's secure
 * watermark (SECWMxR1) or when its SECBBxRy bit is set, and each register
 * set erases and programs only pages of its own security. */
#ifndef FWSIM_FLASH_L5U5_H
#define FWSIM_FLASH_L5U5_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"

enum {
    L5_NSKEYR = 0x08, L5_SECKEYR = 0x0C, L5_OPTKEYR = 0x10, L5_NSSR = 0x20, L5_SECSR = 0x24, L5_NSCR = 0x28,
    L5_SECCR = 0x2C, L5_OPTR = 0x40, L5_NSBOOTADD0R = 0x44, L5_NSBOOTADD1R = 0x48, L5_SECBOOTADD0R = 0x4C,
    L5_SECWM1R1 = 0x50, L5_SECWM1R2 = 0x54, L5_WRP1AR = 0x58, L5_WRP1BR = 0x5C, L5_SECWM2R1 = 0x60,
    L5_SECWM2R2 = 0x64, L5_WRP2AR = 0x68, L5_WRP2BR = 0x6C, L5_SECBB1R1 = 0x80, L5_SECBB2R1 = 0xA0,
};

#define L5_SR_EOP (1u << 0)
#define L5_SR_OPERR (1u << 1)
#define L5_SR_PROGERR (1u << 3)
#define L5_SR_WRPERR (1u << 4)
#define L5_SR_PGAERR (1u << 5)
#define L5_SR_SIZERR (1u << 6)
#define L5_SR_PGSERR (1u << 7)
#define L5_SR_BSY (1u << 16)
#define L5_SR_WDW (1u << 17) /* U5: a quad word waits for the rest of its data */
#define L5_CR_PG (1u << 0)
#define L5_CR_PER (1u << 1)
#define L5_CR_MER1 (1u << 2)
#define L5_CR_MER2 (1u << 15)
#define L5_CR_STRT (1u << 16)
#define L5_CR_OPTSTRT    (1u << 17)
#define L5_CR_OBL_LAUNCH (1u << 27)
#define L5_CR_OPTLOCK (1u << 30)
#define L5_CR_LOCK (1u << 31)
#define L5_OPTR_TZEN (1u << 31)
#define L5_SECBB_REGS 8 /* per bank: 256 pages at most (U59x) */

/* Busy times, model: the L552 and U575 datasheets' typical values as
 * recalled (a double or quad word 90 us, a 2/4 KiB page 22 ms, an 8 KiB
 * page 1.5 ms); they set the pace of the virtual clock only. */
#define L5_WORD_NS 90000ull
#define L5_ERASE_NS(page) ((page) >= 8192u ? 1500000ull : 22000000ull)

/* one register set: 0 the non-secure, 1 the secure */
struct flash_l5u5_side {
    uint32_t cr, sr;
    struct key_sequence keys;
    bool locked_out;
    uint8_t word[16];
    uint32_t word_offset, word_filled; /* the flash word being gathered; bit i: byte i written */
};

struct flash_l5u5 {
    uint8_t *flash; /* owned by the caller */
    uint32_t flash_base, flash_size, bank_size, page_size, word_size;
    unsigned pnb_bits;
    uint32_t bker; /* 0: one bank (WBA) */
    struct flash_l5u5_side side[2];
    /* the option registers (FLASH_OPTR written while OPTLOCK is clear),
     * and OPTR as programmed at OPTSTRT, which OBL_LAUNCH loads (RM0438
     * §6.4.2); model: the option bytes last as long as the run (the target
     * data has no option-byte memory for these parts), TZEN is not changed
     * there, and the other option registers are not programmable */
    uint32_t optr, nsbootadd[2], secbootadd0, secwm[2][2], wrp[2][2];
    uint32_t optr_stored;
    struct key_sequence opt_keys;
    bool obl_requested;               /* OBL_LAUNCH: taken by the chip, which reloads and resets */
    uint32_t secbb[2][L5_SECBB_REGS]; /* volatile: cleared by a reset */
    struct write_protection fault_wrp; /* --fault wrp, in pages */
    struct flash_busy busy;
    struct flash_stats stats;
};

/* bank_size: bytes of bank 1 when there are two, else 0 */
void flash_l5u5_init(struct flash_l5u5 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                     uint32_t page_size, uint32_t word_size, unsigned pnb_bits, uint32_t bker);
/* The option bytes as the factory sets them, or with TrustZone on (TZEN=1,
 * every page secure by its bank's watermark, booting from 0x0C000000). */
void flash_l5u5_set_trustzone(struct flash_l5u5 *f, bool on);
void flash_l5u5_reset(struct flash_l5u5 *f);
/* Whether the page at offset is secure (TrustZone on: in its bank's
 * watermark, or by its SECBB bit). */
bool flash_l5u5_secure_at(const struct flash_l5u5 *f, uint32_t offset);
/* secure: the access came through the registers' secure alias */
uint32_t flash_l5u5_read_reg(struct flash_l5u5 *f, uint32_t offset, bool secure, uint64_t now_ns);
void flash_l5u5_write_reg(struct flash_l5u5 *f, uint32_t offset, uint32_t value, bool secure, uint64_t now_ns);
/* A bus write into flash: secure when it came through flash's secure alias. */
void flash_l5u5_write_flash(struct flash_l5u5 *f, uint32_t addr, uint32_t value, unsigned size, bool secure,
                            uint64_t now_ns);

#endif
