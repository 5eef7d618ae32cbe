/* SPDX-License-Identifier: MIT */
/* Looking at a chip without changing it (fwflash diagnose, info): which
 * flash sectors hold data, what the chip boots after a reset, the vector
 * table there, and whether the chip holds a given image. A look halts the
 * core only to read it and to let it hash its own flash; the registers and
 * the SRAM that borrows are put back and a running core is let go again. */
#ifndef FWKIT_DIAGNOSE_H
#define FWKIT_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/core.h"
#include "fwkit/diag.h"
#include "fwkit/checksum.h"
#include "fwkit/flash.h"
#include "fwkit/probe.h"
#include "fwkit/target.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The core as found and what the look must put back. */
typedef struct fw_chip_look {
    fw_probe *probe;
    const fw_target *target;
    bool was_halted, was_sleeping, was_locked_up;
    fw_core_state core; /* read once the core was halted */
    /* saved to be put back */
    uint32_t dhcsr, demcr, dfsr;
    uint32_t regs[18]; /* xPSR, MSP, PSP, r0-r12, LR, PC */
    bool regs_saved;
} fw_chip_look;

/* Reads DHCSR as found, halts the core if it runs and reads its state and
 * registers. */
FW_API int fw_chip_look_begin(fw_probe *p, const fw_target *t, fw_chip_look *l, fw_diag *d);
/* Puts back the registers, DEMCR and DFSR, and lets a core that ran run on
 * (with C_DEBUGEN as found). */
FW_API int fw_chip_look_end(fw_chip_look *l, fw_diag *d);

typedef struct fw_survey_sector {
    uint32_t addr, size;
    bool data; /* anything but the erased value */
} fw_survey_sector;

typedef struct fw_flash_survey {
    uint8_t erased;
    bool on_chip; /* the chip hashed its sectors (else read through the probe) */
    size_t nsectors, with_data;
    fw_survey_sector *sectors;
    /* flash another core keeps (STM32WB CPU2's secure area), not surveyed:
     * held_end 0 when none */
    uint32_t held_addr, held_end;
    char held_by[120];
} fw_flash_survey;

/* Every sector of the target's flash, all banks: the chip's core hashes
 * each against the erased pattern (the SRAM it uses is saved and put back),
 * or, where SRAM cannot run the routine, it is read through the probe. */
FW_API int fw_flash_survey_make(fw_chip_look *l, fw_flash_survey **out, fw_diag *d);
FW_API void fw_flash_survey_free(fw_flash_survey *s);
/* The ranges that hold data, joined: "0x08000000-0x08003fff, 0x08010000-0x080107ff";
 * returns how many ranges. */
FW_API size_t fw_flash_survey_ranges(const fw_flash_survey *s, char *out, size_t cap);

/* Which sectors of plan the chip holds: holds[i] when every byte the image
 * gives in sector i is on the chip (bytes it leaves out do not count);
 * hashed on the chip where it can, sectors that differ read back. */
FW_API int fw_chip_compare(fw_chip_look *l, const fw_flash_plan *plan, bool *holds, fw_diag *d);

/* A checksum of [lo, end) of the chip's flash, the value fwinfo --checksum
 * KIND:START-END --fill ERASED gives for the image the chip holds (erased
 * flash reads the part's erased value, as the gaps do): the chip's core
 * computes it where its SRAM can take the routine (*on_chip; the SRAM
 * borrowed is put back), else every byte comes through the probe. */
FW_API int fw_chip_checksum(fw_chip_look *l, fw_checksum_kind k, uint32_t lo, uint32_t end, uint32_t *out,
                            bool *on_chip, fw_diag *d);

typedef enum fw_boot_memory {
    FW_BOOTS_UNKNOWN,
    FW_BOOTS_FLASH,
    FW_BOOTS_SYSTEM, /* the system-memory bootloader */
    FW_BOOTS_SRAM,
    FW_BOOTS_EXTERNAL, /* FMC, QUADSPI */
} fw_boot_memory;

typedef struct fw_chip_boot {
    fw_boot_memory memory;
    uint32_t address;   /* the vector table the core takes at reset (0 when unknown) */
    bool empty_check;   /* G0/C0: flash was empty when the options last loaded (FLASH_ACR EMPTY) */
    bool boot0_high;    /* what selected the system memory or SRAM: BOOT0 (pin or nBOOT0) */
    bool by_option;     /* BOOT0 is an option bit (nBOOT_SEL=1), not the pin */
    char cause[240];    /* why it boots what it boots, when that is not flash */
    char how[480];      /* what was read, in words */
} fw_chip_boot;

/* What runs after a reset, from the boot configuration the family exposes
 * (target data: boot-memory, boot-options, boot-address), else from what
 * the boot alias at 0 shows; core (may be NULL) tells BOOT0 on H7, where
 * no register shows the pin. */
FW_API int fw_chip_read_boot(fw_probe *p, const fw_target *t, const fw_core_state *core, fw_chip_boot *out,
                             fw_diag *d);
FW_API const char *fw_boot_memory_name(fw_boot_memory m);

/* The vector table at addr, checked as fwlint checks an image (VEC-SP,
 * VEC-RESET): the findings go to report; *have is false when it could not
 * be read. */
FW_API int fw_chip_check_vectors(fw_probe *p, const fw_target *t, uint32_t addr, uint32_t *sp, uint32_t *reset,
                                 bool *have, fw_diag *report, fw_diag *d);

/* The number of the flash sector (page) holding addr, as the family counts. */
FW_API uint32_t fw_flash_sector_number(const fw_target *t, uint32_t addr);

/* The GNU build-id note at addr on the chip, as hex (empty when there is
 * no note there). */
FW_API int fw_chip_build_id(fw_probe *p, uint32_t addr, char *hex, size_t cap, fw_diag *d);

#ifdef __cplusplus
}
#endif

#endif
