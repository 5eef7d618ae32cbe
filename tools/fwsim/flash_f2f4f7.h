/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32F2/F4/F7 flash controller (sectors, PSIZE), modelled from
 * RM0090 §3 (RM0033 for F2, RM0385 for F7's sectors), with the 2 MB
 * F42x/F43x second bank: its sectors 12-23 as SNB 16-27, MER1 erasing it. */
#ifndef FWSIM_FLASH_F2F4F7_H
#define FWSIM_FLASH_F2F4F7_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"
#include "optbytes.h"

enum { F4_ACR = 0x00, F4_KEYR = 0x04, F4_OPTKEYR = 0x08, F4_SR = 0x0C, F4_CR = 0x10, F4_OPTCR = 0x14 };

#define F4_SR_EOP (1u << 0)
#define F4_SR_OPERR (1u << 1)
#define F4_SR_WRPERR (1u << 4)
#define F4_SR_PGAERR (1u << 5)
#define F4_SR_PGPERR (1u << 6)
#define F4_SR_PGSERR (1u << 7)
#define F4_SR_BSY (1u << 16)

#define F4_CR_PG (1u << 0)
#define F4_CR_SER (1u << 1)
#define F4_CR_MER (1u << 2)
#define F4_CR_MER1 (1u << 15) /* F42x/F43x: bank 2 */
#define F4_CR_SNB_SHIFT 3
#define F4_CR_PSIZE_SHIFT 8
#define F4_CR_STRT (1u << 16)
#define F4_CR_LOCK (1u << 31)

#define F4_OPTCR_OPTLOCK (1u << 0)
#define F4_OPTCR_OPTSTRT (1u << 1)

#define F4_KEY1 FLASH_KEY1
#define F4_KEY2 FLASH_KEY2

/* Busy times for x32 parallelism, typical values of the STM32F407 datasheet
 * as recalled (the reference gives none): word program 16 us; sector erase
 * 250 ms (16 KB), 550 ms (64 KB), 1 s (128 KB and up); mass erase 8 s. */
#define F4_PROGRAM_NS 16000ull
#define F4_MASS_ERASE_NS 8000000000ull

#define F4_ERASED 0xFF
#define F4_MAX_SECTORS 24

struct flash_f2f4f7 {
    uint8_t *flash; /* owned by the caller */
    uint32_t flash_base;
    uint32_t nsectors, sector_size[F4_MAX_SECTORS], sector_start[F4_MAX_SECTORS];
    uint32_t flash_size;
    uint32_t protected_sectors; /* bit n: --fault wrp makes sector n refuse erase and program */
    uint32_t option_protected;  /* bit n: the loaded nWRP bit n is clear, so sector n refuses them too */
    uint32_t bank2_first;       /* the first sector of bank 2 (12 on 2 MB F42x/F43x), 0 with one bank */
    struct option_bytes *ob;    /* the chip's option bytes, or NULL */

    uint32_t cr, sr, optcr;
    struct key_sequence keys, opt_keys;
    bool key_locked_out;

    struct flash_busy busy;
    struct flash_stats stats;
};

/* sizes: the sector sizes in order (e.g. 4 x 16K, 64K, 7 x 128K for 1 MB). */
void flash_f2f4f7_init(struct flash_f2f4f7 *f, uint8_t *flash, uint32_t flash_base, const uint32_t *sizes,
                       uint32_t nsectors);
void flash_f2f4f7_reset(struct flash_f2f4f7 *f);
uint32_t flash_f2f4f7_read_reg(struct flash_f2f4f7 *f, uint32_t offset, uint64_t now_ns);
void flash_f2f4f7_write_reg(struct flash_f2f4f7 *f, uint32_t offset, uint32_t value, uint64_t now_ns);
void flash_f2f4f7_write_flash(struct flash_f2f4f7 *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns);

/* The OTP area (RM0090 §3.7): 16 blocks of 32 bytes, then 16 lock bytes;
 * programmed as flash is (PG, PSIZE), never erased, bits only cleared; a
 * block whose lock byte is 0x00 refuses writes (WRPERR). otp is the caller's
 * byte array, offset the write's place in it. */
#define F4_OTP_BLOCKS 16
#define F4_OTP_BLOCK 32
void flash_f2f4f7_write_otp(struct flash_f2f4f7 *f, uint8_t *otp, uint32_t offset, uint32_t value, unsigned size,
                            uint64_t now_ns);

#endif
