/* SPDX-License-Identifier: MIT */
/* fwsim: the option bytes as their memory stores them: the factory image of
 * each family, what the option byte loader takes from them, and the
 * read-protection (RDP) level that decides what the debug port may reach.
 * Programming them is each flash controller's job (its own keys and
 * sequence); the controllers share the rules kept here. */
#ifndef FWSIM_OPTBYTES_H
#define FWSIM_OPTBYTES_H

#include <stdbool.h>
#include <stdint.h>

#include "fwkit/bytes.h"

#include "flashctl.h"

/* How a family lays its option bytes out:
 * - F1, F0/F3 (PM0075 §2.5, RM0091 §4): byte pairs value, complement: RDP at
 *   +0, USER +2, DATA0 +4, DATA1 +6, WRP0..3 +8..+14; level 0 is RDP 0xA5 on
 *   F1, 0xAA on F0/F3 (0xCC level 2);
 * - F2/F4/F7 (RM0090 §3.6.1): USER/BOR at +0, RDP at +1, nWRP at +8, no
 *   complements;
 * - L0/L1 (RM0038 §3.9.1): 32-bit words of a half-word and its complement
 *   in the upper half: RDP (and SPRMOD) at +0, USER at +4, WRP from +8;
 * - L4/G0/G4/WB/C0 (RM0351 §3.4.1): OPTR at +0 and its complement at +4. */
typedef enum ob_layout { OB_NONE, OB_F1, OB_F0F3, OB_F2F4F7, OB_L0L1, OB_L4G0 } ob_layout;

#define OB_MAX_SIZE 128
/* An L4/G0 WRP area register with STRT > END: nothing protected (RM0351 §3.7.9) */
#define L4_WRP_NONE 0xFF00FFFFu
/* L4/G0 WRP areas: A (WRP1AR) and B (WRP1BR) */
#define OB_L4G0_WRP_AREAS 2

struct option_bytes {
    ob_layout layout;
    uint8_t *bytes; /* the option-byte memory, owned by the caller */
    uint32_t base, size;
    uint8_t loaded[OB_MAX_SIZE]; /* what the loader took, as the registers show it */
    int rdp_level;               /* as loaded: 0, 1 or 2 */
    bool load_error;             /* a value and its complement disagreed: loaded as level 1 */
    bool obl_launch;             /* software asked for a reload (OBL_LAUNCH), which resets the chip */
};

void ob_init(struct option_bytes *ob, ob_layout layout, uint8_t *bytes, uint32_t base, uint32_t size);
/* Fills the memory with the values the chip leaves the factory with: level 0,
 * no write protection, the user options at their defaults. */
void ob_factory(struct option_bytes *ob);
/* The option byte loader: at power-on, at OBL_LAUNCH, and at a system reset
 * where the family reloads (ob_reloads_on_system_reset). */
void ob_load(struct option_bytes *ob);
/* F0/F1/F3 and F2/F4/F7 reload at every system reset; L0/L1 and L4/G0 only at
 * power-on or OBL_LAUNCH (RM0038 §3.9, RM0351 §3.4.2). */
bool ob_reloads_on_system_reset(const struct option_bytes *ob);
/* The RDP byte meaning level 0: 0xA5 on F1, 0xAA elsewhere. */
uint8_t ob_level0_code(const struct option_bytes *ob);
/* The level an RDP byte means: level 0 code, 0xCC level 2 (not on F1), else 1. */
int ob_rdp_level_of(const struct option_bytes *ob, uint8_t rdp);
/* Writing RDP byte new_rdp over the loaded level: from level 1 to 0 it is a
 * regression, which mass-erases the flash first (PM0075 §2.4.1, RM0090
 * §3.7.3, RM0038 §3.7.1, RM0351 §3.5.1): the flash's size bytes are set to
 * erased and counted as one erase of erase_ns. Returns the time that adds,
 * 0 when it is no regression. */
uint64_t ob_regress(const struct option_bytes *ob, uint8_t new_rdp, uint8_t *flash, uint32_t size, uint8_t erased,
                    struct flash_stats *stats, uint64_t erase_ns);
/* L4/G0 (RM0351 §3.4.1): each option word is followed by its complement;
 * OPTR at +0, WRP area a's word at +0x18 + 8a. ob_l4g0_wrp_offset gives 0
 * when the option memory does not hold that area's pair. */
uint32_t ob_l4g0_wrp_offset(const struct option_bytes *ob, unsigned area);
/* Stores an L4/G0 option word at offset with its complement, as OPTSTRT does. */
void ob_l4g0_store(struct option_bytes *ob, uint32_t offset, uint32_t value);

/* The write protection the loaded option bytes set, into w->options (the
 * controller sets w->unit: 4 KiB on F0/F1/F3 and L0/L1, a page on L4/G0):
 * - F1, F0/F3 (PM0075 §2.5, RM0091 §4.1, RM0365 §4.1): WRP0..3 at +8..+14,
 *   bit n clear protects 4 KiB unit n, and bit 31 everything from 124 KiB to
 *   the end of the flash;
 * - L0/L1 (RM0038 §3.9.1, RM0367 §3.8.2): the option words at +8 and +12 hold
 *   WRP bits 0-15 and 16-31, bit n protecting 4 KiB sector n when set (when
 *   clear with WPRMOD, bit 8 of the first word, set); model: a word whose
 *   complement disagrees protects its 16 sectors, the safe side; sectors
 *   from 128 KiB up (more WRP words on bigger parts) are not decoded;
 * - L4/G0 (RM0351 §3.4.1, RM0444 §3.4.1): areas A and B, WRP1AR at +0x18 and
 *   WRP1BR at +0x20, each followed by its complement: pages STRT [n:0] to
 *   END [n+16:16] of bank 1 (page_bits wide fields), none when STRT > END;
 *   model: an erased pair (both words all ones) protects nothing, and a pair
 *   that disagrees otherwise protects bank 1 whole, the secure configuration
 *   RM0444 §3.4.2 warns of. */
void ob_load_write_protection(const struct option_bytes *ob, uint32_t flash_size, unsigned page_bits,
                              struct write_protection *w);
/* Stores the RDP level in the memory as if it had been programmed (fwsim
 * --rdp: the chip arrives protected); it takes effect at the next load. */
void ob_store_rdp_level(struct option_bytes *ob, int level);


#endif
