/* SPDX-License-Identifier: MIT */
/* fwsim: what the chip boots after a reset, from the target data both
 * sides read (boot-memory, boot-options, boot-address): the BOOT0 pin
 * (fwsim --boot0), G0/C0's boot option bits and their empty check, the
 * memory-mapping field's reset value (MEM_MODE, L0/L1 BOOT_MODE), H7's boot
 * addresses; and a stand-in for ST's system-memory bootloader. */
#ifndef FWSIM_BOOT_H
#define FWSIM_BOOT_H

#include <stdbool.h>
#include <stdint.h>

struct sim_target;

typedef enum sim_boot_memory { SIM_BOOT_FLASH, SIM_BOOT_SYSTEM, SIM_BOOT_SRAM } sim_boot_memory;

/* Power-on (and an option-byte reload): G0/C0 latch the empty check, from
 * the first word of flash; system memory that holds nothing gets the
 * stand-in bootloader. */
void sim_boot_power_on(struct sim_target *s);
/* A reset: the memory booted, the alias at 0 following it, the boot
 * registers' reset values, the vector table address the core takes. */
void sim_boot_reset(struct sim_target *s);
/* Reads and writes of the empty-check flag (it is the chip's, the
 * controller model keeps the rest of its register): true when addr is it. */
bool sim_boot_read(struct sim_target *s, uint32_t addr, uint32_t *value);
void sim_boot_write(struct sim_target *s, uint32_t addr, uint32_t value);

#endif
