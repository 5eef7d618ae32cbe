/* fwsim: the STM32F0/F1/F3 flash controller (FPEC), modelled from the facts
 * in shared/reference/stlink.md §3.4 and §4.1. Bank 1 only: the F1 XL
 * second bank (registers at +0x40) is not modelled yet. */
#ifndef FWSIM_FPEC_F0F1F3_H
#define FWSIM_FPEC_F0F1F3_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"
#include "optbytes.h"

enum { FPEC_ACR = 0x00, FPEC_KEYR = 0x04, FPEC_OPTKEYR = 0x08, FPEC_SR = 0x0C, FPEC_CR = 0x10, FPEC_AR = 0x14, FPEC_OBR = 0x1C, FPEC_WRPR = 0x20 };

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

/* Busy times: §7 gives program 40-70 us and page erase 20-40 ms as
 * unconfirmed ranges; the model takes the middle of each. */
#define FPEC_PROGRAM_NS 55000ull
#define FPEC_ERASE_NS 30000000ull

#define FPEC_ERASED 0xFF

struct fpec {
    uint8_t *flash; /* bank 1, owned by the caller */
    uint32_t flash_base, flash_size, page_size;
    struct write_protection wrp;
    struct option_bytes *ob; /* the chip's option bytes, or NULL */

    uint32_t cr, sr, ar;
    struct key_sequence keys, opt_keys;
    bool key_locked_out;

    struct flash_busy busy;
    struct flash_stats stats;
};

void fpec_init(struct fpec *f, uint8_t *flash, uint32_t flash_base, uint32_t flash_size, uint32_t page_size);
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
