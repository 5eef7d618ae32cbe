/* SPDX-License-Identifier: MIT */
/* fwsim: fault injection. A fault is KIND@N (at the Nth USB transfer of the
 * probe, counting from 1) or KIND@0xADDR (at the first command that touches
 * that address); each fires once. Three are conditions of the bench, given
 * without @ and true from the start: unpowered (the probe measures 0 V and no
 * target answers), no-target (powered, but nothing answers on SWD/JTAG),
 * claimed (another program holds the probe's interface: claiming it is
 * EBUSY); loader-hang and loader-fault (code the debugger starts from SRAM,
 * a flasher's RAM loader, spins for ever, or takes a precise bus fault on
 * its first instruction: test faults for a flasher's deadlines and fault
 * decoding, not a silicon behaviour). Kinds: stall, timeout, unplug (USB),
 * ap-wait, dp-wait, ap-fault (the probe's answer to a memory or register
 * command), wrp (the flash refuses the write with its controller's
 * write-protection error: wrp@0xADDR protects the unit holding ADDR from
 * the start, as the option bytes would; wrp@N all of flash from transfer N),
 * power-loss (the chip and the probe go away; the
 * flash keeps exactly what was written before). */
#ifndef FWSIM_FAULTS_H
#define FWSIM_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sim_fault_kind {
    FAULT_NONE,
    FAULT_STALL,
    FAULT_TIMEOUT,
    FAULT_UNPLUG,
    FAULT_AP_WAIT,
    FAULT_DP_WAIT,
    FAULT_AP_FAULT,
    FAULT_WRP,
    FAULT_POWER_LOSS,
    FAULT_UNPOWERED, /* the conditions, from here */
    FAULT_NO_TARGET,
    FAULT_CLAIMED,
    FAULT_LOADER_HANG,  /* code the debugger starts in SRAM never reaches its breakpoint */
    FAULT_LOADER_FAULT, /* code the debugger starts in SRAM takes a bus fault at once */
} sim_fault_kind;

#define SIM_MAX_FAULTS 16

struct sim_faults {
    struct sim_fault {
        sim_fault_kind kind;
        bool at_address;
        uint64_t where; /* transfer index or address */
        bool fired;
    } list[SIM_MAX_FAULTS];
    size_t n;
};

/* Adds "KIND@N" or "KIND@0xADDR"; false with a message on a bad spec. */
bool sim_faults_add(struct sim_faults *f, const char *spec, char *err, size_t errlen);
/* The fault due at this transfer, if any: transfer is its index (from 1);
 * [addr, addr + len) what the command in it touches (len 0: none). */
sim_fault_kind sim_faults_due(struct sim_faults *f, uint64_t transfer, uint32_t addr, uint32_t len);
const char *sim_fault_name(sim_fault_kind k);
/* Whether the condition kind (unpowered, no-target, claimed) was given. */
bool sim_faults_condition(const struct sim_faults *f, sim_fault_kind kind);

#endif
