/* SPDX-License-Identifier: MIT */
/* fwsim: the Cortex-M core of the simulated chip. Instructions run on
 * unicorn (the CPU emulator); this module adds what unicorn leaves out and a
 * probe needs: the debug unit (DHCSR, DCRSR/DCRDR, DEMCR vector catch, DFSR),
 * AIRCR resets, the fault status registers and HardFault entry, the FPB's
 * breakpoint comparators and the DWT's registers, all on the target's
 * virtual clock. Facts from the
 * ARMv6-M/ARMv7-M Architecture Reference Manuals (C1.6 debug registers). */
#ifndef FWSIM_CORE_H
#define FWSIM_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "emulated_chip.h"

typedef enum sim_core_state {
    CORE_RUNNING,
    CORE_HALTED,
    CORE_LOCKUP, /* a fault it could not take: the core stops fetching */
} sim_core_state;

/* why the core last stopped or faulted, for --stats and the debugger */
typedef enum sim_halt_reason {
    HALT_NONE,
    HALT_REQUEST,    /* C_HALT from the debugger */
    HALT_STEP,       /* C_STEP done */
    HALT_BKPT,       /* a BKPT instruction */
    HALT_BREAKPOINT, /* an FPB comparator */
    HALT_VCATCH,     /* vector catch: reset or a fault */
    HALT_WATCHPOINT, /* a DWT comparator */
} sim_halt_reason;

#define CORE_FPB_COMPARATORS 8

/* an exception unicorn reported inside a slice, taken when the slice ends */
typedef enum sim_pending_fault { PENDING_NONE, PENDING_BKPT_NO_DEBUG, PENDING_SVC, PENDING_OTHER } sim_pending_fault;

struct sim_core {
    struct sim_target *target;
    /* a dual-core part (the target data's second-core line): the main core
     * owns the second, which points back at it; both share the target's bus
     * and clock, and a system reset resets both */
    struct sim_core *second, *first;
    uint32_t cpuid;
    bool gated;       /* the second core: its boot not allowed yet (BCM4 clear, BOOT_C2 not set) */
    uint64_t owed_ps; /* the second core: time given that it has not run yet */
    struct uc_struct *uc;
    struct core_maps *maps; /* unicorn's windows onto the target's bus */
    const struct sim_memory *alias_shows; /* the memory mapped at 0 (the boot alias), or NULL */
    uint32_t alias_window;                /* its size */
    int unicorn_model;
    unsigned fpb_comparators, dwt_comparators;

    sim_core_state state;
    sim_halt_reason halt_reason;
    bool sleeping;              /* in WFI/WFE; only the hardware semaphores' notification wakes it
                                 * (interrupts are not modelled) */
    uint32_t scr;               /* the System Control Register: SLEEPDEEP makes a sleep Stop */
    bool held_in_reset;         /* NRST driven low */
    bool reset_pc_invalid;      /* the reset vector is not a Thumb address: the first fetch faults */
    bool firmware_running;      /* what the reset started runs: no core register written since (after
                                 * that the debugger runs code of its own) */
    bool epsr_t_clear;          /* --quirk blank-l1: EPSR.T stays 0 until the debugger writes xPSR */
    uint32_t debug_ctrl;        /* DHCSR C_DEBUGEN, C_HALT, C_STEP, C_MASKINTS */
    bool reset_sticky, retire_sticky;
    uint32_t dcrdr, demcr, dfsr, vtor, cfsr, hfsr, bfar;
    uint32_t fp_ctrl, fp_comp[CORE_FPB_COMPARATORS];
    uint32_t dwt_ctrl;
    uint32_t dwt_comp[4], dwt_mask[4], dwt_function[4];
    uintptr_t dwt_hooks[4];
    bool watch_hit; /* halt at the next block: DWT events are asynchronous (ARMv7-M C1.8.7) */
    uint64_t cyccnt_base; /* instructions when CYCCNT was last written */
    uint32_t cyccnt_written;

    uint64_t instructions;
    uint64_t run_until_ns; /* the end of the time sim_core_run_for was given (UINT64_MAX outside it) */
    /* the slice under way: the time its first instruction ran at (moved on
     * when it waited for the flash) and the instruction count then */
    uint64_t slice_ns, slice_instructions;

    /* test faults (fwsim --fault loader-hang / loader-fault): code started
     * from SRAM spins where it starts, or takes a bus fault there */
    bool sram_code_hangs, sram_code_faults;

    /* the last fault taken (HardFault entry or lockup) */
    bool faulted;
    uint32_t fault_pc;
    char fault_reason[96];

    /* a bus error raised inside unicorn's callbacks, taken when the slice ends */
    bool bus_error_pending;
    uint32_t bus_error_addr;
    bool bus_error_write, bus_error_fetch;
    sim_pending_fault pending_fault;
    uint32_t pending_intno;
    uint32_t skip_breakpoint_at; /* a step starts on a breakpoint without stopping there */

    /* a CPU store into flash: unicorn writes the raw value after the hook,
     * so the bytes the controller left are put back at the next sync point */
    bool fixup_pending;
    uint32_t fixup_addr;
    uint8_t fixup_bytes[8];
    unsigned fixup_len;

    /* memory changed behind unicorn's back: its translations of [dirty_lo,
     * dirty_hi) are dropped before the next slice (a whole flush costs
     * unicorn 2.0.1 a memset of its 1 GiB code buffer) */
    uint32_t dirty_lo, dirty_hi;

    /* steady-loop detection: the code span run in this window and the last */
    uint32_t window_lo, window_hi, prev_lo, prev_hi;
    uint64_t window_start;
    bool steady; /* the last full window ran only within the span of the one before */

    uintptr_t fpb_hooks[CORE_FPB_COMPARATORS];
};

/* Builds the core for the target's part (and its second core, on a
 * dual-core part); false when unicorn cannot. */
bool sim_core_init(struct sim_core *c, struct sim_target *t);
void sim_core_free(struct sim_core *c);

/* A system reset (NRST, AIRCR SYSRESETREQ, the probe's RESETSYS): the
 * peripherals reset, the core loads SP and PC from the vector table at the
 * boot alias, and halts there when vector catch on reset is armed. */
void sim_core_system_reset(struct sim_core *c);

/* Lets virtual time pass: a running core executes for ns nanoseconds (on
 * a dual-core part both cores, taking turns every few microseconds). */
void sim_core_run_for(struct sim_core *c, uint64_t ns);

/* Bus access as the debugger sees it: the core's own registers first, then
 * the target's bus. */
sim_bus sim_core_bus_read(struct sim_core *c, uint32_t addr, unsigned size, uint32_t *value);
sim_bus sim_core_bus_write(struct sim_core *c, uint32_t addr, unsigned size, uint32_t value);

/* Core registers by the DCRSR REGSEL number: 0-15 R0-R15, 16 xPSR, 17 MSP,
 * 18 PSP, 20 CONTROL/FAULTMASK/BASEPRI/PRIMASK; false when not halted or
 * not a register. */
bool sim_core_read_reg(struct sim_core *c, unsigned regsel, uint32_t *value);
bool sim_core_write_reg(struct sim_core *c, unsigned regsel, uint32_t value);

uint32_t sim_core_pc(struct sim_core *c);
/* The exception the core is handling (IPSR), 0 in thread mode. */
uint32_t sim_core_exception(struct sim_core *c);
const char *sim_core_state_name(const struct sim_core *c);

#endif
