/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32H5 flash controller (RM0481, the embedded flash memory
 * chapter; register and bit positions as ST's SVD gives them). Its
 * non-secure registers: NSKEYR, NSSR (BSY, WBNE, DBNE, EOP, the errors),
 * NSCR (LOCK, PG, SER, BER, FW, STRT, SNB, MER, BKSEL), NSCCR; one write
 * buffer gathering a quad word (16 bytes), programmed when full or forced
 * (FW, the rest as ones); 8 KiB sectors numbered within their bank, BKSEL
 * choosing the bank of SER and BER. Option registers as from the factory:
 * product state Open, TrustZone off, no write protection, boot at
 * 0x08000000; OPTSR programmable through OPTKEYR, OPTSR_PRG and OPTCR's
 * OPTSTRT (the product state not: a change of it fails with OPTCHANGEERR,
 * model); or with TrustZone on (TZEN 0xB4): the secure registers
 * (SECKEYR, SECSR, SECCR, SECCCR, SECBBxRy) answer secure accesses, a
 * sector is secure inside its bank's watermark (SECWMxR_CUR: all of each
 * bank, as fwsim sets it) or by its SECBB bit, and each register set erases
 * and programs only sectors of its own security; the core boots from
 * SECBOOTADD. */
#ifndef FWSIM_FLASH_H5_H
#define FWSIM_FLASH_H5_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"

enum {
    H5_NSKEYR = 0x04, H5_SECKEYR = 0x08, H5_OPTKEYR = 0x0C, H5_OPTCR = 0x1C, H5_NSSR = 0x20, H5_SECSR = 0x24,
    H5_NSCR = 0x28, H5_SECCR = 0x2C, H5_NSCCR = 0x30, H5_SECCCR = 0x34, H5_OPTSR_CUR = 0x50, H5_OPTSR_PRG = 0x54,
    H5_OPTSR2_CUR = 0x70, H5_NSBOOTR_CUR = 0x80, H5_SECBOOTR_CUR = 0x88, H5_SECBB1R1 = 0xA0, H5_SECWM1R_CUR = 0xE0,
    H5_WRP1R_CUR = 0xE8, H5_BANK2_OPTIONS = 0x100,
};
#define H5_SECBB_REGS 4 /* per bank: 128 sectors */

#define H5_SR_BSY (1u << 0)
#define H5_SR_WBNE (1u << 1)
#define H5_SR_EOP (1u << 16)
#define H5_SR_WRPERR (1u << 17)
#define H5_SR_PGSERR (1u << 18)
#define H5_SR_STRBERR (1u << 19)
#define H5_SR_INCERR (1u << 20)
#define H5_SR_OPTCHANGEERR (1u << 23)
#define H5_OPTCR_OPTLOCK (1u << 0)
#define H5_OPTCR_OPTSTRT (1u << 1)
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

/* one register set: 0 the non-secure, 1 the secure */
struct flash_h5_side {
    uint32_t cr, sr;
    struct key_sequence keys;
    bool locked_out;
};

struct flash_h5 {
    uint8_t *flash; /* owned by the caller */
    uint32_t flash_base, flash_size, bank_size, sector_size;
    struct flash_h5_side side[2];
    uint8_t word[16];
    uint32_t word_offset, word_filled; /* the write buffer: its quad word; bit i: byte i written */
    int word_side;                     /* which register set's access filled it */
    uint32_t optsr, optsr2, nsbootr, secbootr, wrpsg[2], secwm[2];
    uint32_t optcr, optsr_prg; /* OPTLOCK and OPTSR's next value (RM0481: FLASH_OPTCR, FLASH_OPTSR_PRG) */
    struct key_sequence opt_keys;
    bool opt_locked_out;
    uint32_t secbb[2][H5_SECBB_REGS]; /* volatile: cleared by a reset */
    struct write_protection fault_wrp; /* --fault wrp, in sectors */
    struct flash_busy busy;
    struct flash_stats stats;
};

void flash_h5_init(struct flash_h5 *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t bank_size,
                   uint32_t sector_size);
/* The option bytes with TrustZone on (TZEN 0xB4, every sector secure by
 * its bank's watermark, booting from SECBOOTADD) or off (the factory's). */
void flash_h5_set_trustzone(struct flash_h5 *f, bool on);
/* The product state (OPTSR bits 15:8) as if programmed before: 0xED Open,
 * 0x72 Closed, 0x5C Locked (the others are not modelled). */
void flash_h5_set_product_state(struct flash_h5 *f, uint8_t code);
/* Whether the product state closes the debug access port: Closed or
 * Locked. */
bool flash_h5_debug_closed(const struct flash_h5 *f);
void flash_h5_reset(struct flash_h5 *f);
/* Whether the sector at offset is secure (TrustZone on: in its bank's
 * watermark, or by its SECBB bit). */
bool flash_h5_secure_at(const struct flash_h5 *f, uint32_t offset);
/* secure: the access came through the registers' or flash's secure alias */
uint32_t flash_h5_read_reg(struct flash_h5 *f, uint32_t offset, bool secure, uint64_t now_ns);
void flash_h5_write_reg(struct flash_h5 *f, uint32_t offset, uint32_t value, bool secure, uint64_t now_ns);
void flash_h5_write_flash(struct flash_h5 *f, uint32_t addr, uint32_t value, unsigned size, bool secure,
                          uint64_t now_ns);

#endif
