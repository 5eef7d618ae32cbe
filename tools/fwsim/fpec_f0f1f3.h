/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32F0/F1/F3 flash controller (FPEC), modelled from RM0008
 * §3 and PM0075 §2. F1 XL-density parts (768 KiB
 * and 1 MiB) have a second bank above 512 KiB with its own KEYR2, SR2, CR2
 * and AR2 at +0x40 (RM0008 §3.3, PM0068 §2.3); the option bytes are bank 1's. */
#ifndef FWSIM_FPEC_F0F1F3_H
#define FWSIM_FPEC_F0F1F3_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"
#include "optbytes.h"

enum { FPEC_ACR = 0x00, FPEC_KEYR = 0x04, FPEC_OPTKEYR = 0x08, FPEC_SR = 0x0C, FPEC_CR = 0x10, FPEC_AR = 0x14, FPEC_OBR = 0x1C, FPEC_WRPR = 0x20 };
/* bank 2's KEYR2, SR2, CR2, AR2 are bank 1's registers + FPEC_BANK2 */
#define FPEC_BANK2 0x40u
/* XL density: bank 1 is the first 512 KiB */
#define FPEC_XL_BANK1_SIZE (512u * 1024)

#define FPEC_SR_BSY (1u << 0)
#define FPEC_SR_PGERR (1u << 2)
#define FPEC_SR_WRPRTERR (1u << 4)
#define FPEC_SR_EOP (1u << 5)

#define FPEC_CR_PG (1u << 0)
#define FPEC_CR_PER (1u << 1)
#define FPEC_CR_MER (1u << 2)
#define FPEC_CR_OPTPG (1u << 4)
#define FPEC_CR_OPTER (1u << 5)
#define FPEC_CR_STRT (1u << 6)
#define FPEC_CR_LOCK (1u << 7)
#define FPEC_CR_OPTWRE (1u << 9)
#define FPEC_CR_OBL_LAUNCH (1u << 13) /* F0/F3 only */

#define FPEC_KEY1 FLASH_KEY1
#define FPEC_KEY2 FLASH_KEY2

/* Busy times: the STM32F103 datasheet gives program 40-70 us and page erase 20-40 ms as
 * unconfirmed ranges; the model takes the middle of each. */
#define FPEC_PROGRAM_NS 55000ull
#define FPEC_ERASE_NS 30000000ull

#define FPEC_ERASED 0xFF

/* One bank's registers and its own busy period. */
struct fpec_bank {
    uint32_t offset, size; /* its part of the flash */
    uint32_t cr, sr, ar;
    struct key_sequence keys;
    struct flash_busy busy;
};

struct fpec {
    uint8_t *flash; /* every bank, owned by the caller */
    uint32_t flash_base, flash_size, page_size;
    struct write_protection wrp;
    struct option_bytes *ob; /* the chip's option bytes, or NULL */

    unsigned nbanks;
    struct fpec_bank bank[2];
    struct key_sequence opt_keys;
    bool key_locked_out; /* a wrong key: both banks locked until reset (model: one lock-out) */

    struct flash_stats stats;
};

/* bank1_size: the first bank's bytes when a second follows (F1 XL), else 0. */
void fpec_init(struct fpec *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t page_size,
               uint32_t bank1_size);
/* The end of the busy period of whichever bank is busy longest. */
uint64_t fpec_idle_at(const struct fpec *f);
void fpec_reset(struct fpec *f);
uint32_t fpec_read_reg(struct fpec *f, uint32_t offset, uint64_t now_ns);
void fpec_write_reg(struct fpec *f, uint32_t offset, uint32_t value, uint64_t now_ns);
/* A bus write into flash; false when the bus answers with a fault. */
bool fpec_write_flash(struct fpec *f, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns);
/* A bus write into the option bytes at offset (PM0075 §2.4: OPTPG, a
 * half-word whose low byte is programmed with its complement); false when
 * the bus answers with a fault. */
bool fpec_write_option(struct fpec *f, uint32_t offset, uint32_t value, unsigned size, uint64_t now_ns);

#endif
