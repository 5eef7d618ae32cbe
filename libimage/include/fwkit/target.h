/* SPDX-License-Identifier: MIT */
/* Targets as data: a microcontroller's memory regions and the identifiers a
 * probe reads back. The built-in STM32 database and users' map files share
 * one text format (libimage/target/README.md). */
#ifndef FWKIT_TARGET_H
#define FWKIT_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fw_region_kind {
    FW_REGION_FLASH,
    FW_REGION_RAM,
    FW_REGION_CCM,          /* core-coupled data RAM (no DMA, maybe no execute) */
    FW_REGION_TCM,          /* tightly coupled memory */
    FW_REGION_EEPROM,       /* data EEPROM */
    FW_REGION_OTP,
    FW_REGION_OPTION_BYTES,
    FW_REGION_SYSTEM,       /* system memory: the ROM bootloader */
    FW_REGION_BOOT_ALIAS,   /* a window that shows another region (0x00000000 on STM32) */
    FW_REGION_ALIAS,        /* another bus's view of a RAM */
    FW_REGION_PERIPHERAL,
    FW_REGION_RESERVED,
    FW_REGION_SECURE_ALIAS, /* TrustZone: the secure view of a memory (alias_of) */
    FW_REGION_KIND_COUNT
} fw_region_kind;

FW_API const char *fw_region_kind_name(fw_region_kind k);

typedef struct fw_sector_run {
    uint32_t count, size;
} fw_sector_run;

typedef struct fw_region {
    const char *name;
    fw_region_kind kind;
    uint64_t base, size;
    uint32_t erase_size;     /* first sector's size; 0 when not erasable */
    uint32_t write_size;     /* programming unit in bytes; 0 when unknown */
    int erased;              /* erased byte value, -1 when unknown */
    size_t nlayout;
    const fw_sector_run *layout; /* sectors in address order */
    bool no_exec;            /* access rw- */
    const char *alias_of;    /* for alias kinds: the region shown */
    const char *variant;     /* memory-map variant ("dual-bank"), NULL = every variant */
    const char *core;        /* the one core of a dual-core part that sees it ("cortex-m4"), NULL = every core */
} fw_region;

typedef enum fw_arch { FW_ARCH_UNKNOWN, FW_ARCH_ARM, FW_ARCH_RISCV } fw_arch;
typedef enum fw_fpu { FW_FPU_UNKNOWN, FW_FPU_NONE, FW_FPU_SP, FW_FPU_DP } fw_fpu;

typedef struct fw_target {
    const char *name;
    const char *family, *line;
    const char *core;        /* "cortex-m3", "cortex-m7,cortex-m4", "rv32imac" */
    fw_arch arch;
    fw_fpu fpu;
    const char *isa;         /* RISC-V ISA string */
    size_t ndevice_ids;
    const uint32_t *device_ids;
    bool has_flash_size_register;
    uint64_t flash_size_register;
    bool has_dbgmcu_idcode;
    uint64_t dbgmcu_idcode;
    uint32_t reset_clock_khz; /* the core clock out of reset (0: not given) */
    bool has_dp_idcode;              /* the debug port's IDCODE on SWD and JTAG (0: none) */
    bool dp_idcode_given;            /* a dp-idcode line, even "0 0" (not known): not inherited then */
    uint32_t dp_idcode_swd, dp_idcode_jtag;
    bool has_flash_registers;
    uint64_t flash_registers;
    const char *flash_controller; /* register layout family: "l1", "f4", ... */
    bool has_reset_address;       /* RISC-V: where the core starts */
    uint64_t reset_address;
    const char *default_variant;
    bool secure_view; /* fw_target_db_secure_view's copy */
    const char *security;    /* device lock word rule: "lpc-crp", "kinetis-fcf" */
    const char *checksum;    /* vendor vector checksum: "lpc-vectors" */
    uint32_t trap_align;     /* RISC-V trap vector alignment, 0 = 4 */
    /* the independent watchdog: its registers, the LSI clock it counts,
     * and the DBGMCU register and bits that stop it (and the window
     * watchdog) while the core is halted */
    bool has_watchdog;
    uint64_t iwdg_base;
    uint32_t lsi_khz;
    uint64_t watchdog_freeze_reg;
    uint32_t iwdg_stop_bit, wwdg_stop_bit; /* masks in that register */
    /* the first DMA controller: its base, the control register of channel
     * 1 (stream 0) with its EN bit 0, the RCC register and bit that clock
     * it, and the bit of the watchdog's freeze register that stops the
     * timer pacing it while the core is halted */
    bool has_dma;
    uint64_t dma_base, dma_clock_reg;
    uint32_t dma_channel_cr, dma_clock_bit, dma_timer_stop_bit;
    /* the option bit that picks the bank mode (DB1M, nDBANK, DBANK,
     * DUAL_BANK) as its register shows it: the memory map is the
     * "dual-bank" variant when the bit reads bank_option_dual, else the
     * "single-bank" one (for the parts whose data has both) */
    bool has_bank_option;
    uint64_t bank_option_reg;
    uint32_t bank_option_mask;
    bool bank_option_dual; /* the bit's value that means two banks */
    /* what the chip boots (fwflash diagnose): the register whose field
     * shows the memory at 0x00000000 (MEM_MODE, or L0/L1's read-only
     * BOOT_MODE), its shift and mask, and the memory each value means,
     * space-separated ("flash system flash sram"; "-" reserved) */
    bool has_boot_memory;
    uint64_t boot_memory_reg;
    uint32_t boot_memory_shift, boot_memory_mask;
    const char *boot_memory_names;
    /* the boot option bits (G0/C0 FLASH_OPTR nBOOT_SEL, nBOOT1, nBOOT0 as
     * masks) and the empty-check flag (FLASH_ACR EMPTY) */
    bool has_boot_options;
    uint64_t boot_option_reg, boot_empty_reg;
    uint32_t nboot_sel_bit, nboot1_bit, nboot0_bit, boot_empty_bit;
    /* H7: the register holding BOOT_ADD0 (bits 15:0, BOOT pin low) and
     * BOOT_ADD1 (31:16), each the boot address shifted right by
     * boot_address_shift */
    bool has_boot_address;
    uint64_t boot_address_reg;
    uint32_t boot_address_shift;
    /* TrustZone (L5, U5, WBA, H5): on when (trustzone_reg & tzen_mask) ==
     * tzen_on (L5/U5/WBA: TZEN, bit 31 of FLASH_OPTR, whose bits 7:0 are
     * RDP; H5: the TZEN byte of FLASH_OPTSR2_CUR); the registers holding the
     * boot address with the BOOT0 pin low (ns_boot_reg), high (ns_boot1_reg;
     * 0: BOOT0 high boots system memory) and with TrustZone on
     * (secure_boot_reg), each the address with its low boot_addr_bits bits
     * cleared (fw_target_boot_address) */
    bool has_trustzone;
    uint64_t trustzone_reg, ns_boot_reg, ns_boot1_reg, secure_boot_reg;
    uint32_t tzen_mask, tzen_on, boot_addr_bits;
    /* the flash the second core keeps for itself (STM32WB: CPU2's secure
     * area, the FUS and the wireless stack): from page (cpu2_area_reg &
     * cpu2_sfsa_mask) to the end of flash unless (reg & cpu2_fsd_mask); no
     * probe or CPU1 access erases, writes or reads it; a chip from the
     * factory keeps its top cpu2_factory_bytes (fwsim) */
    bool has_cpu2_area;
    uint64_t cpu2_area_reg;
    uint32_t cpu2_sfsa_mask, cpu2_fsd_mask, cpu2_factory_bytes;
    /* the second core of a dual-core part, on its own access port
     * (H745/H747/H755/H757: the Cortex-M4 on AP3, the last of `core`): it
     * boots from second_boot_reg's bits 15:0 (BOOT0 low) or 31:16 (BOOT0
     * high), shifted left by second_boot_shift (the register's value from
     * the factory: second_boot_factory), when (second_gate_reg &
     * second_gate_mask) is set (the BCM4 option bit), else once software sets
     * second_release_mask in second_release_reg (RCC_GCR BOOT_C2); every
     * system reset resets it */
    /* the access port onto the system debug bus (H7: AP2, an APB-AP onto
     * APB-D, OpenOCD's stm32h7x.cfg): its addresses [system_ap_base,
     * + system_ap_size) are the system bus's from system_ap_bus_base on
     * (DBGMCU at 0xE00E1000 there, 0x5C001000 here) */
    bool has_system_ap;
    unsigned system_ap;
    uint64_t system_ap_base, system_ap_bus_base, system_ap_size;
    bool has_second_core;
    unsigned second_core_ap;
    uint64_t second_boot_reg, second_gate_reg, second_release_reg;
    uint32_t second_boot_shift, second_boot_factory, second_gate_mask, second_release_mask;
    /* (fwsim) the second core's power domain: second_domain_mask of
     * second_domain_reg, its clock-ready flag (H745/H747: RCC_CR D2CKRDY),
     * reads clear while that core is in deep sleep (CStop: D2 stops) */
    bool has_second_domain;
    uint64_t second_domain_reg;
    uint32_t second_domain_mask;
    /* (fwsim) the hardware semaphore block at hsem_base, and the COREID of
     * the main core's and the second core's bus accesses */
    bool has_hsem;
    uint64_t hsem_base;
    uint32_t hsem_main_id, hsem_second_id;
    /* the faster core clock fwflash sets for its RAM routines (as OpenOCD's
     * reset-init does): the field loader_acr_mask of the flash's access
     * control register (its wait states) set to loader_acr_value first,
     * then the field loader_clock_mask of loader_clock_reg (the MSI range)
     * to loader_clock_value; the core then runs at loader_clock_khz. A
     * system reset brings back the reset clock */
    bool has_loader_clock;
    uint32_t loader_clock_khz;
    uint64_t loader_acr_reg, loader_clock_reg;
    uint32_t loader_acr_mask, loader_acr_value, loader_clock_mask, loader_clock_value;
    /* status bits that follow a control bit in a peripheral register the
     * simulator does not otherwise model (a clock's ready flag set once it
     * is switched on; SWS showing the clock SW selected): read as set when
     * (reg & on) is non-zero, or always when on is 0 (a regulator's ready
     * flag); or, for a mirror, the field at from_shift copied to to_shift */
    size_t nready;
    struct fw_ready_rule {
        uint64_t reg;
        uint32_t on, ready;          /* ready: a mask; */
        uint32_t mask;               /* mirror: the field's mask, 0 for a ready rule */
        unsigned from_shift, to_shift;
    } ready[12];
    /* the 96-bit unique ID: the addresses of its three words, low first
     * (contiguous on most; L0/L1 keep the third at +0x14) */
    bool has_uid;
    uint64_t uid_addr[3];
    /* clones and compatibles (libimage/target/clones.map): who makes the
     * part, the genuine part it copies (NULL: none), and what a probe reads
     * that tells it from the parts sharing its device id: the ROM table's
     * JEP106 designer (continuation << 8 | code; ADIv5 §10.2), the whole
     * DBGMCU_IDCODE (value & mask), and words whose masked bits read a value
     * on this part (what: the reason in words) */
    const char *vendor;
    const char *clone_of;
    bool has_designer;
    uint16_t designer;
    bool has_idcode;
    uint32_t idcode_value, idcode_mask;
    size_t nidentify;
    struct fw_identify_word {
        uint64_t addr;
        uint32_t mask, value;
        const char *what;
    } identify[2];
    /* why fwflash's driver for flash_controller fits a clone's controller
     * (said once when it programs), or why none does (fwflash refuses
     * before anything is erased) */
    const char *flash_compatible, *flash_incompatible;
    /* fw_target_db_with_flash_size: the flash the datasheet promises, where
     * the regions give more (0: as documented) */
    uint64_t documented_flash;
    size_t nregions;
    const fw_region *regions;
    const char *defined_in;  /* file the target came from, and its line */
    uint64_t defined_line;
} fw_target;

typedef struct fw_target_db fw_target_db;

FW_API fw_target_db *fw_target_db_new(void);
FW_API void fw_target_db_free(fw_target_db *db);
/* Adds the built-in STM32 database. */
FW_API int fw_target_db_add_builtin(fw_target_db *db, fw_diag *d);
/* Adds the targets of a map file; problems go to d with file:line. */
FW_API int fw_target_db_add_file(fw_target_db *db, const char *path, fw_diag *d);
FW_API int fw_target_db_add_text(fw_target_db *db, const char *text, size_t len, const char *name, fw_diag *d);

FW_API size_t fw_target_db_count(const fw_target_db *db);
FW_API const fw_target *fw_target_db_at(const fw_target_db *db, size_t i);

/* Finds a part by the name users write: "STM32L100RBT6", "stm32l100rb",
 * "L100RB" (case, package and temperature suffixes ignored). Returns the
 * target, or NULL; when NULL and *ncand > 0 the name was ambiguous and the
 * first min(*ncand, max) candidates are in cand. */
FW_API const fw_target *fw_target_find(const fw_target_db *db, const char *name, const fw_target **cand, size_t max,
                                       size_t *ncand);
/* Parts with this device id whose main flash totals flash_size bytes (any
 * size when 0); the first goes back, the count in *n. */
FW_API const fw_target *fw_target_find_by_id(const fw_target_db *db, uint32_t device_id, uint64_t flash_size,
                                             size_t *n);

/* The same part with another memory-map variant as its default ("dual-bank",
 * "single-bank"): kept by the database, valid as long as it; NULL when the
 * part has no region of that variant. */
FW_API const fw_target *fw_target_db_variant(const fw_target_db *db, const fw_target *t, const char *variant);
/* The part as a secure debugger sees it with TrustZone on: every memory
 * with a secure alias at that alias's address (flash at 0x0C000000, SRAM at
 * 0x30000000), the non-secure addresses as its aliases; t itself when it
 * is one already, NULL when the part has no secure alias (or no memory). */
FW_API const fw_target *fw_target_db_secure_view(const fw_target_db *db, const fw_target *t);
/* The part with more flash than its datasheet promises (the F103C8 and its
 * clones often carry 128 KiB where 64 KiB is documented): its one bank grown
 * to size bytes of the same pages, documented_flash the size promised. t
 * itself when size is its flash; NULL when it cannot grow so (several banks,
 * uneven sectors, a size smaller or not whole pages). Kept by the database. */
FW_API const fw_target *fw_target_db_with_flash_size(const fw_target_db *db, const fw_target *t, uint64_t size);
/* TrustZone parts: whether the value of trustzone_reg says it is on; and
 * the boot address a boot address register's value holds. */
FW_API bool fw_target_trustzone_on(const fw_target *t, uint32_t reg_value);
FW_API uint32_t fw_target_boot_address(const fw_target *t, uint32_t reg_value);
/* Regions in the target's default variant only. */
FW_API bool fw_region_in_default_variant(const fw_target *t, const fw_region *r);
/* The region holding addr (default variant, most specific kind first), or NULL. */
FW_API const fw_region *fw_target_region_at(const fw_target *t, uint64_t addr);
/* The memory a window shows: for a secure alias, the region it aliases
 * (the non-secure view, whose kind says what the memory is); r itself
 * otherwise, and NULL for NULL. */
FW_API const fw_region *fw_target_region_shown(const fw_target *t, const fw_region *r);
/* Whether core ("cortex-m4") is one of the target's cores, as a whole name
 * of its list ("cortex-m7,cortex-m4"): "cortex-m3" is not "cortex-m33". */
FW_API bool fw_target_has_core(const fw_target *t, const char *core);
/* A dual-core part's second core, the last of its core list ("cortex-m4"
 * of "cortex-m7,cortex-m4"); NULL on a part with one core. */
FW_API const char *fw_target_second_core(const fw_target *t);
/* The first len bytes of a core's name as Arm writes it, into out
 * ("cortex-m4" -> "Cortex-M4"; other names as they are). */
FW_API void fw_core_arm_name(const char *core, size_t len, char *out, size_t cap);
/* The parts sharing t's device id, flash size and SRAM size (which a
 * probe cannot tell apart), named as a group: "STM32F405/407/415/417";
 * t's name when it is alone. */
FW_API const char *fw_target_group_name(const fw_target_db *db, const fw_target *t, char *buf, size_t cap);
/* The memory that boot-memory value v means: "flash", "system", "sram",
 * "external", or NULL (reserved, or no boot-memory data). */
FW_API const char *fw_target_boot_memory_name(const fw_target *t, uint32_t v, char *buf, size_t cap);
/* The first region of a kind, or NULL. */
FW_API const fw_region *fw_target_region_of_kind(const fw_target *t, fw_region_kind k);
/* Total main flash (every flash region of the default variant). */
FW_API uint64_t fw_target_flash_size(const fw_target *t);
/* From the lowest flash address to the end of the highest, over every bank
 * of the default variant; false when the target has no flash. */
FW_API bool fw_target_flash_span(const fw_target *t, uint64_t *lo, uint64_t *end);
/* The core clock out of reset, in kHz: the target data's reset-clock line
 * (the family's RCC chapter), else 8 MHz. */
FW_API uint32_t fw_target_reset_clock_khz(const fw_target *t);

#ifdef __cplusplus
}
#endif

#endif
