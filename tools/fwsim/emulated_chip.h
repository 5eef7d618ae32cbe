/* SPDX-License-Identifier: MIT */
/* fwsim: the STM32 behind the probe, built from the same target data as
 * fwlint (libimage's database): its memories, the flash controller of its
 * family, and the identification registers a probe reads (DBGMCU IDCODE,
 * the flash-size register, CPUID). Bus accesses go through here. */
#ifndef FWSIM_EMULATED_CHIP_H
#define FWSIM_EMULATED_CHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "fwkit/target.h"

#include "boot.h"
#include "flash_f2f4f7.h"
#include "flash_h5.h"
#include "flash_h7.h"
#include "flash_l5u5.h"
#include "flash_l4g0.h"
#include "flash_models.h"
#include "fpec_f0f1f3.h"
#include "nvm_l0l1.h"
#include "optbytes.h"
#include "periph_regs.h"
#include "dma.h"
#include "hsem.h"
#include "iwdg.h"
#include "quirks.h"

#define SIM_MAX_MEMORIES 16

struct sim_memory {
    uint32_t base, size;
    uint8_t *bytes; /* allocated to a whole number of 4 KiB pages, so the CPU emulator can map it */
    fw_region_kind kind;
};

struct sim_target {
    const fw_target *part;
    struct sim_memory mem[SIM_MAX_MEMORIES];
    unsigned nmem;
    struct sim_memory *flash, *system; /* main flash (all banks), system memory */
    struct option_bytes ob;            /* stored in their memory, loaded at power-on */
    uint32_t boot_alias_size;          /* the window at 0x00000000, 0 when the part has none */
    bool boot_from_system;             /* booted from system memory: the alias shows it */
    bool boot0_pin;                    /* fwsim --boot0 1: the BOOT0 pin held high */
    bool flash_empty;                  /* G0/C0 FLASH_ACR EMPTY, latched at power-on and OBL_LAUNCH */
    sim_boot_memory boot_memory;       /* what the last reset booted */
    uint32_t reset_vtor;               /* where the core takes its vectors at reset (H7 BOOT_ADDx; else 0) */

    const char *variant; /* the memory map of the bank mode the option bytes chose, NULL before they load */
    fw_ctl_family controller;            /* FW_CTL_NONE: no controller modelled */
    const struct sim_flash_model *model; /* its model's operations (flash_models.c), NULL with none */
    uint32_t controller_base;
    union {
        struct fpec f0f1f3;
        struct flash_f2f4f7 f2f4f7;
        struct nvm_l0l1 l0l1;
        struct flash_l4g0 l4g0;
        struct flash_h7 h7;
        struct flash_l5u5 l5u5;
        struct flash_h5 h5;
    } ctl;
    uint32_t secure_regs; /* TrustZone parts: the registers' secure alias is this far above them (0: none) */
    /* TrustZone parts: the secure aliases of flash and SRAM (0x0C000000,
     * 0x30000000), showing the same bytes; an access through one is secure */
    struct sim_secure_alias {
        uint32_t base, size, shows_base; /* shows_base: the address of what it shows */
        struct sim_memory *shows;
    } secure_alias[SIM_MAX_MEMORIES];
    unsigned nsecure_alias;

    uint32_t idcode, cpuid;            /* DBGMCU IDCODE, CPUID */
    uint32_t dp_idcode, jtag_idcode;   /* the SW-DP's and the JTAG-DP's IDCODE (0: no JTAG) */
    uint16_t flash_size_kib;
    uint32_t uid[3];           /* the unique ID's words (sim_target_set_uid), at the target data's uid addresses */
    struct periph_regs periph; /* the peripherals not modelled */
    struct sim_iwdg iwdg;      /* the independent watchdog, where the target data names one */
    struct sim_hsem hsem;      /* the hardware semaphores, where the target data's hsem line names them */
    struct sim_dma dma;        /* a DMA channel firmware left running (--quirk dma) */
    sim_quirks quirks;         /* the chip's and the bench's (sim_target_arrive_with) */
    uint32_t core_khz;         /* the core's clock: the reset clock, the slowest (--quirk slow-clock), or the
                                  target data's loader-clock once its clock register selects it */
    uint32_t flash_acr;        /* FLASH_ACR where the loader-clock line names it: its wait states, stored */
    /* --quirk swd-lost: the firmware that was in flash when the host came
     * (its first 8 bytes) turns the debug port off after running SWD_LOST_NS
     * from a reset; a reset gives the pins back */
    uint8_t swd_firmware[8];
    bool swd_off;
    uint64_t ran_since_reset_ns;
    uint32_t obl_reloads; /* option-byte reloads (OBL_LAUNCH) so far */
    bool powered_off;          /* fault injection: the power went; memories keep what they had */
    uint64_t now_ns;           /* the virtual clock */
};

#define SIM_PAGE 4096u
uint32_t sim_page_round(uint32_t size);
/* Whether the CPU emulator maps m directly (executable; else its accesses
 * go through sim_target_read/write): flash, SRAM, and system memory that
 * fills whole pages of its own. */
bool sim_memory_cpu_mapped(const struct sim_memory *m);

/* Builds the chip; rev_id is DBGMCU_IDCODE's REV_ID. Returns false when the
 * part's memory map cannot be modelled (no flash, or too many regions). */
bool sim_target_init(struct sim_target *s, const fw_target *part, uint16_t rev_id);
void sim_target_free(struct sim_target *s);
/* The chip's 96-bit unique ID, derived from text (fwsim: its probe's
 * serial), so every emulated chip has its own and the same one each run. */
void sim_target_set_uid(struct sim_target *s, const char *text);
/* Power-on: the option bytes load from their memory (after --state and
 * --flash have filled the memories), the flash controller starts locked. */
void sim_target_power_on(struct sim_target *s);
/* Whether the watchdog's clock is stopped while the core is halted (the
 * DBGMCU freeze bits the target data names are set). */
bool sim_target_watchdog_frozen(struct sim_target *s);
/* The chip as the bench leaves it before the host comes (after power-on):
 * stale-flags sets the controller's error flags, key-lockout locks it out
 * as a wrong key does (a system reset clears both); iwdg starts the
 * watchdog as firmware would, hw-iwdg as the option bit does at every reset. */
void sim_target_arrive_with(struct sim_target *s, sim_quirks quirks);
#define SWD_LOST_NS 5000000u
/* The slowest clock the firmware can give the core (--quirk slow-clock). */
uint32_t sim_target_slowest_clock_khz(const struct sim_target *s);
/* The quirk that lives in the firmware (swd-lost): whether the core has run
 * it long enough since the last reset to turn the debug port off; the
 * caller adds the running time to ran_since_reset_ns first. */
void sim_target_firmware_check(struct sim_target *s);
/* Whether the debug port answers: not while the firmware turned it off. */
static inline bool sim_target_debug_port_on(const struct sim_target *s)
{
    return !s->swd_off;
}

/* A system reset: the flash controller locks again, and the families that
 * do reload their option bytes. Memories keep their bytes. */
void sim_target_reset(struct sim_target *s);

/* The CPUID of a core by name ("cortex-m4", or the first of a list); 0 when unknown. */
uint32_t sim_cpuid_of(const fw_target *t, const char *core);
/* Whether software asked for an option-byte reload (OBL_LAUNCH); if so the
 * options are loaded and the caller resets the chip. */
bool sim_target_take_obl_launch(struct sim_target *s);
/* Whether the read protection refuses the debug port an access to
 * [addr, addr + size): at level 1 flash (and its boot alias) and data
 * EEPROM; at level 2 everything (RM0090 §3.7.3, RM0038 §3.7.1). */
bool sim_target_debug_denied(struct sim_target *s, uint32_t addr, unsigned size);
/* Whether the chip refuses the debug port every access through its access
 * ports, core registers included (an H5 in product state Closed or
 * Locked): the debug port itself still answers. */
bool sim_target_debug_closed(const struct sim_target *s);
/* Whether a debug-port read of [addr, addr + size) reads zeros: STM32WB
 * CPU2's secure area ("it only returns 0", ST's moderators on
 * community.st.com); with TrustZone on, a secure page read through the
 * non-secure alias. */
bool sim_target_debug_reads_zero(struct sim_target *s, uint32_t addr, unsigned size);

/* Write protection switched on, as the option bytes would: for the unit
 * holding addr, or for the whole flash when all. */
void sim_target_write_protect(struct sim_target *s, uint32_t addr, bool all);
/* The memory holding [addr, addr + size), or NULL. */
struct sim_memory *sim_target_memory_at(struct sim_target *s, uint32_t addr, unsigned size);
/* The flash controller's counters. */
const struct flash_stats *sim_target_flash_stats(const struct sim_target *s);
/* When the flash controller's operation under way ends (now when idle). */
uint64_t sim_target_flash_idle_at(const struct sim_target *s);
/* An access through a secure alias goes to the memory or registers it
 * shows, as a secure access: their own address, *secure set; any other
 * address is itself. */
uint32_t sim_target_unalias(const struct sim_target *s, uint32_t addr, bool *secure);
/* The memory map of the bank mode the chip is in (the models build over it). */
bool sim_target_in_bank_mode(const struct sim_target *s, const fw_region *r);
const fw_region *sim_target_first_bank(const struct sim_target *s);
struct sim_memory *sim_target_memory_of_kind(struct sim_target *s, fw_region_kind kind);
/* Whether addr is one of the flash controller's registers. */
bool sim_target_is_controller(const struct sim_target *s, uint32_t addr);

sim_bus sim_target_read(struct sim_target *s, uint32_t addr, unsigned size, uint32_t *value);
sim_bus sim_target_write(struct sim_target *s, uint32_t addr, unsigned size, uint32_t value);

#endif
