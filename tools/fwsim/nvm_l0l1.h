/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32L0/L1 program-memory controller (the PECR-based NVM
 * interface), modelled from RM0038 §3 and RM0377 §3. Pure state machine: the caller
 * owns the flash bytes and the virtual clock, and routes bus accesses here. */
#ifndef FWSIM_NVM_L0L1_H
#define FWSIM_NVM_L0L1_H

#include <stdbool.h>
#include <stdint.h>

#include "flashctl.h"
#include "optbytes.h"

/* register offsets from the controller base (0x40023C00 on L1, 0x40022000 on L0) */
enum {
    NVM_ACR = 0x00, NVM_PECR = 0x04, NVM_PDKEYR = 0x08, NVM_PEKEYR = 0x0C, NVM_PRGKEYR = 0x10,
    NVM_OPTKEYR = 0x14, NVM_SR = 0x18, NVM_OBR = 0x1C, NVM_WRPR = 0x20,
};

/* PECR bits */
#define NVM_PECR_PELOCK (1u << 0)
#define NVM_PECR_PRGLOCK (1u << 1)
#define NVM_PECR_OPTLOCK (1u << 2)
#define NVM_PECR_PROG (1u << 3)
#define NVM_PECR_DATA (1u << 4)
#define NVM_PECR_FTDW (1u << 8)
#define NVM_PECR_ERASE (1u << 9)
#define NVM_PECR_FPRG (1u << 10)
#define NVM_PECR_OBL_LAUNCH (1u << 18)

/* SR bits; the error bits are write-1-to-clear */
#define NVM_SR_BSY (1u << 0)
#define NVM_SR_EOP (1u << 1)
#define NVM_SR_ENDHV (1u << 2)
#define NVM_SR_READY (1u << 3)
#define NVM_SR_WRPERR (1u << 8)
#define NVM_SR_PGAERR (1u << 9)
#define NVM_SR_SIZERR (1u << 10)
#define NVM_SR_OPTVERR (1u << 11)
#define NVM_SR_NOTZEROERR (1u << 16) /* L0 only */

/* the keys of RM0038 §3 */
#define NVM_PEKEY1 0x89ABCDEFu
#define NVM_PEKEY2 0x02030405u
#define NVM_PRGKEY1 0x8C9DAEBFu
#define NVM_PRGKEY2 0x13141516u
#define NVM_OPTKEY1 0xFBEAD9C8u
#define NVM_OPTKEY2 0x24252627u

/* one operation (page erase, word or half-page program): about 3.2 ms (RM0038 §3 Timing) */
#define NVM_L0L1_OP_NS 3200000ull

#define NVM_MAX_HALF_PAGE_WORDS 32

typedef enum nvm_family { NVM_L0, NVM_L1 } nvm_family;

struct nvm_l0l1 {
    nvm_family family;
    uint8_t *flash; /* the program memory, owned by the caller */
    uint32_t flash_base, flash_size;
    uint32_t page_size;       /* 128 B on L0, 256 B on L1 */
    uint32_t half_page_words; /* 16 on L0, 32 on L1 */
    struct write_protection wrp; /* 4 KiB sectors, loaded from the option bytes */
    uint8_t *eeprom;             /* data EEPROM, owned by the caller, or NULL */
    uint32_t eeprom_size;
    struct option_bytes *ob;     /* the chip's option bytes, or NULL */

    uint32_t pecr, sr;
    struct key_sequence pe_keys, prg_keys, opt_keys;
    bool key_locked_out; /* a wrong key: everything stays locked until reset */

    uint32_t half_page_addr; /* half-page programming: the words collected so far */
    uint32_t half_page_count;
    uint32_t half_page[NVM_MAX_HALF_PAGE_WORDS];

    struct flash_busy busy;
    struct flash_stats stats;
};

/* Erased value: 0x00 on L0/L1 (RM0038 §3). */
#define NVM_L0L1_ERASED 0x00

void nvm_l0l1_init(struct nvm_l0l1 *m, nvm_family family, uint8_t *flash, uint32_t flash_base, uint32_t flash_size);
/* System reset: locks everything again and forgets a key lock-out. */
void nvm_l0l1_reset(struct nvm_l0l1 *m);

uint32_t nvm_l0l1_read_reg(struct nvm_l0l1 *m, uint32_t offset, uint64_t now_ns);
void nvm_l0l1_write_reg(struct nvm_l0l1 *m, uint32_t offset, uint32_t value, uint64_t now_ns);

/* A bus write of size 1, 2 or 4 bytes into program memory. */
void nvm_l0l1_write_flash(struct nvm_l0l1 *m, uint32_t addr, uint32_t value, unsigned size, uint64_t now_ns);
/* A bus read of program memory: aborts a half-page write being collected (RM0038 §3 step 4). */
void nvm_l0l1_read_flash(struct nvm_l0l1 *m, uint32_t addr);
/* A bus write of size bytes at offset into data EEPROM (RM0038 §3.3.4,
 * RM0377 §3.3.4): with PECR unlocked it lands (erase and program in one
 * operation on the busy clock); with PELOCK set it is refused with WRPERR. */
void nvm_l0l1_write_eeprom(struct nvm_l0l1 *m, uint32_t offset, uint32_t value, unsigned size, uint64_t now_ns);
/* A bus write into the option bytes at offset (RM0038 §3.9): a whole word,
 * with OPTLOCK clear (WRPERR otherwise). */
void nvm_l0l1_write_option(struct nvm_l0l1 *m, uint32_t offset, uint32_t value, unsigned size, uint64_t now_ns);

#endif
