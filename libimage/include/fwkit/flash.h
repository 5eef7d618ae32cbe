/* SPDX-License-Identifier: MIT */
/* Flashing an image into a chip: the plan (image x target: sectors to
 * erase, bytes to program padded to the write unit with the erased value,
 * ranges to verify) and one driver per flash-controller family that carries
 * it out through a probe. */
#ifndef FWKIT_FLASH_H
#define FWKIT_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/image.h"
#include "fwkit/probe.h"
#include "fwkit/target.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A flash-controller family's driver (data from the target database). */
typedef struct fw_flash_driver fw_flash_driver;

/* The driver for the target's controller, or NULL (with a diagnostic) when
 * fwkit cannot program its flash. */
FW_API const fw_flash_driver *fw_flash_driver_for(const fw_target *t, fw_diag *d);
/* The bank mode the chip's option bit chose (DB1M, nDBANK, DBANK,
 * DUAL_BANK): *t becomes the part with that memory-map variant, with a note
 * when it is not the factory one. Parts without the choice stay as they are. */
FW_API int fw_flash_bank_mode(fw_probe *p, const fw_target_db *db, const fw_target **t, fw_diag *d);
/* TrustZone parts (L5, U5, WBA) with TZEN=1 at RDP level 0: *t becomes the
 * part's secure view (fw_target_db_secure_view), with a note; at level 0.5
 * a note that only non-secure flash is reachable. Others stay as they are. */
FW_API int fw_flash_security_view(fw_probe *p, const fw_target_db *db, const fw_target **t, fw_diag *d);
FW_API const char *fw_flash_driver_name(const fw_flash_driver *drv);

typedef struct fw_plan_sector {
    uint32_t addr, size;
    uint8_t *want;    /* what the sector must hold afterwards */
    uint8_t *covered; /* 1 where the image gives the byte */
    bool skip;        /* already holds want: neither erased nor programmed */
    bool hashed;      /* the last write's loader hashed it once it was done: */
    uint32_t hash;    /* the chip's hash of it, which verification takes */
} fw_plan_sector;

typedef struct fw_flash_plan {
    const fw_target *target;
    uint8_t erased;
    unsigned unit;
    size_t nsectors;
    fw_plan_sector *sectors; /* the touched ones, in address order */
} fw_flash_plan;

/* Plans the image onto the target's flash for the driver (its write unit):
 * every byte must be in flash, any of its banks (FLASH-OUTSIDE otherwise).
 * drv may be NULL for a plan that is only compared (fw_chip_compare). */
FW_API int fw_flash_plan_make(const fw_image *img, const fw_target *t, const fw_flash_driver *drv, fw_flash_plan **out,
                              fw_diag *d);
FW_API void fw_flash_plan_free(fw_flash_plan *p);

typedef struct fw_flash_options {
    bool no_skip;  /* erase and program even sectors that already match */
    bool preserve; /* keep the bytes of touched sectors that the image leaves out */
    /* progress: phase ("erase", "program", "verify"), bytes done, total; may be NULL */
    void (*progress)(void *ctx, const char *phase, uint64_t done, uint64_t total);
    void *progress_ctx;
} fw_flash_options;

typedef struct fw_flash_result {
    size_t sectors_erased, sectors_skipped;
    uint64_t bytes_programmed;
    /* when it failed: "read", "protection" (FLASH-WRP: write-protected sectors
     * to erase; nothing touched), "unlock", "erase", "program", "verify" */
    const char *failed_phase;
} fw_flash_result;

/* Before anything runs from the chip's SRAM: a system reset with the core
 * halted at its reset vector (the firmware's clocks, DMA and a watchdog it
 * started are gone), the core clock raised where the target data's
 * loader-clock line says how (MSI 24 MHz on L4, WB, WL and U5, wait states
 * first, as OpenOCD's reset-init does; the reset after a write brings the
 * reset clock back), the watchdogs frozen in DBGMCU while the core is
 * halted, and a hardware watchdog's period stretched to its longest so that
 * loader runs fit in it (the loaders' waits feed it too). The target data
 * says where each is. */
FW_API int fw_flash_prepare(fw_probe *probe, const fw_target *t, fw_diag *d);
/* Reads the touched sectors, drops those that already match (unless
 * no_skip), refuses (FLASH-WRP) when the option bytes write-protect any of
 * the rest, erases and programs them, and relocks. */
FW_API int fw_flash_write(fw_probe *probe, const fw_flash_driver *drv, fw_flash_plan *p, const fw_flash_options *o,
                          fw_flash_result *r, fw_diag *d);
/* Reads every planned byte back; mismatches are FLASH-VERIFY diagnostics
 * with their ranges, and a diagnosis in words. Returns FW_EDEVICE on a
 * mismatch. */
FW_API int fw_flash_verify(fw_probe *probe, const fw_flash_plan *p, fw_diag *d);
/* As fw_flash_verify, but the chip's own core reads each run of planned
 * sectors back and hashes it (a RAM routine; SRAM is overwritten and the
 * core left halted), so only a word per run crosses the probe; a run whose
 * hash differs is read back for its ranges, and so is everything when the
 * part's SRAM cannot hold the routine. */
FW_API int fw_flash_verify_on_chip(fw_probe *probe, const fw_flash_plan *p, fw_diag *d);
/* The option bytes as the controller loaded them: the read-protection
 * level (0, 1, 2) and the write protection in words ("none", "sectors 0, 1"). */
FW_API int fw_flash_protection(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, int *rdp_level, char *wrp,
                               size_t cap, fw_diag *d);
/* FLASH-RDP when the read protection keeps the debug port out of the flash
 * (level 1 or 2), with what to do about it; FW_OK at level 0. */
FW_API int fw_flash_require_unprotected(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, fw_diag *d);
/* Removes read protection level 1: programs level 0, which mass-erases the
 * flash (and data EEPROM on L0/L1) first, reloads the option bytes (the chip
 * resets) and checks that level 0 took. *was_level is the level found;
 * nothing is done at 0, and level 2 is refused (FLASH-RDP: it is final). */
FW_API int fw_flash_read_unprotect(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, int *was_level, fw_diag *d);
/* Erases [addr, addr + len) (whole sectors), or every sector when len is 0;
 * FLASH-WRP, with nothing erased, when the option bytes write-protect any of it. */
FW_API int fw_flash_erase(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, uint32_t addr, uint32_t len,
                          fw_diag *d);

/* fwflash --flash-size: whether the chip has the flash t says, t being a
 * part grown by fw_target_db_with_flash_size (documented_flash set). The
 * last page is read, erased, programmed with a pattern and read back, the
 * documented page at the same offset read before and after (a decoder that
 * wraps shows the pattern there), and both pages get their bytes back.
 * FLASH-SIZE-UNPROVEN (FW_EDEVICE) when the page does not hold; out says
 * which pages were used and whether they were touched. */
typedef struct fw_flash_size_check {
    uint32_t page, mirror; /* the last page, and the documented page at its offset */
    bool touched;          /* the last page was erased (and programmed) */
    bool wraps;            /* the pattern showed at the mirror (given back its bytes) */
} fw_flash_size_check;
FW_API int fw_flash_check_size(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, fw_flash_size_check *out,
                               fw_diag *d);

/* The user option bytes as loaded, in the family's own words: the option
 * word (FLASH_OBR, FLASH_OPTCR, FLASH_OPTR) and each field of it, the
 * read-protection level and the write protection. */
typedef struct fw_option_field {
    const char *name, *what; /* "BOR_LEV", "brown-out reset level" */
    uint32_t value;
    char said[64]; /* "level 3 (2.70-3.60 V)" */
    bool settable;
} fw_option_field;
typedef struct fw_option_bytes {
    const char *reg, *source; /* NULL when the family is not in fwkit's tables */
    uint32_t word;
    size_t n;
    fw_option_field fields[18];
    int rdp;
    char wrp[256];
    bool can_set;
} fw_option_bytes;
FW_API int fw_flash_options_read(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, fw_option_bytes *o,
                                 fw_diag *d);
/* Changes option fields ("BOR_LEV=1", "WDG_SW=0"; "RDP=1", and "RDP=2" only
 * with lock_forever, as it turns the debug port off for good): programs
 * them with the family's sequence, reloads them (a system reset, or
 * OBL_LAUNCH) and reads them back; before and after as loaded. Level 0
 * only; RDP=0 is fw_flash_read_unprotect. */
FW_API int fw_flash_options_set(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, const char *const *assign,
                                size_t n, bool lock_forever, fw_option_bytes *before, fw_option_bytes *after,
                                fw_diag *d);

#ifdef __cplusplus
}
#endif

#endif
