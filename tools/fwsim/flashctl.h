/* SPDX-License-Identifier: MIT */
/* fwsim: what every flash controller model shares: two-key unlock sequences
 * with the lock-out after a wrong key, the busy period of an operation on the
 * virtual clock, write-protection units, and the counters --stats reports. */
#ifndef FWSIM_FLASHCTL_H
#define FWSIM_FLASHCTL_H

#include <stdbool.h>
#include <stdint.h>

/* What a bus access met: the memory or register, or a bus fault. */
typedef enum sim_bus { SIM_BUS_OK, SIM_BUS_FAULT } sim_bus;

struct flash_stats {
    uint64_t erases, programs, busy_ns;
};

/* BSY reads 1 until the virtual clock reaches busy_until_ns. */
struct flash_busy {
    uint64_t busy_until_ns;
};

bool flash_is_busy(const struct flash_busy *b, uint64_t now_ns);
/* Starts an operation of op_ns at now, or when the one under way ends: a bus
 * write that arrives while BSY is set waits, as the flash interface stalls
 * the bus. */
void flash_start_operation(struct flash_busy *b, struct flash_stats *s, uint64_t now_ns, uint64_t op_ns);

/* A two-key unlock sequence (an invalid key sequence locks the controller
 * until the next reset: RM0090 §3.5.1, and the same words in RM0008 §3.3,
 * RM0038 §3 and RM0351 §3.3). */
struct key_sequence {
    int accepted; /* keys accepted so far */
};

typedef enum key_result { KEY_PENDING, KEY_UNLOCKED, KEY_WRONG } key_result;

/* allowed: whether a key may be written now (false counts as a wrong key).
 * A wrong key sets *locked_out, the controller's lock-out until reset; while
 * it is set every key is wrong. */
key_result key_sequence_step(struct key_sequence *k, bool *locked_out, uint32_t key1, uint32_t key2, bool allowed,
                             uint32_t value);

/* The main keys of the F0-F7 and L4/G0/G4/WB/C0 controllers (PM0075 §2, RM0090 §3, RM0351 §3.3). */
#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
/* The option keys of the F2/F4/F7 and L4/G0/G4/WB/C0 controllers (PM0075 §2, RM0351 §3.3). */
#define FLASH_OPTKEY1 0x08192A3Bu
#define FLASH_OPTKEY2 0x4C5D6E7Fu

/* A write of value to KEYR of a controller whose CR has lock_bit: returns CR
 * with the bit cleared once both keys are in, or set again after a wrong key. */
uint32_t flash_keyr_write(struct key_sequence *k, bool *locked_out, uint32_t cr, uint32_t lock_bit, uint32_t value);

/* SR as read: while busy, bsy is set and eop not yet. */
uint32_t flash_sr_read(const struct flash_busy *b, uint64_t now_ns, uint32_t sr, uint32_t bsy, uint32_t eop);

/* Write protection in units of unit bytes from the flash base: bit i of a
 * mask (word i / 32) protects unit i. Two sources: what --fault wrp sets,
 * kept for the run, and what the WRP option bytes say, set at each option
 * load (ob_load_write_protection). */
#define WRP_MAX_UNITS 1024
struct write_protection {
    uint32_t unit;
    uint32_t fault[WRP_MAX_UNITS / 32];
    uint32_t options[WRP_MAX_UNITS / 32];
};

/* Whether either source protects unit u. */
bool wrp_unit_protected(const struct write_protection *w, uint32_t u);
/* Whether any unit that [offset, offset + len) touches is protected. */
bool write_protected(const struct write_protection *w, uint32_t offset, uint32_t len);
/* Sets bits [first, first + count) of mask (WRP_MAX_UNITS bits). */
void wrp_set_units(uint32_t *mask, uint32_t first, uint32_t count);

#endif
