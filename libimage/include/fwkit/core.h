/* SPDX-License-Identifier: MIT */
/* The Cortex-M core behind the probe: its debug and fault registers, written
 * once (ARMv7-M ARM B3.2 and C1.6; ARMv6-M and ARMv8-M keep the addresses),
 * and the core's state read and said in words: running, halted, locked up,
 * or in a fault handler with the fault status decoded. */
#ifndef FWKIT_CORE_H
#define FWKIT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwkit/diag.h"
#include "fwkit/probe.h"
#include "fwkit/target.h"
#include "fwkit/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Cortex-M system control and debug registers (ARMv7-M B3.2, C1.6),
 * written once for both sides of the cable: the probe layer and fwsim. */
#define FW_CORE_CPUID 0xE000ED00u
#define FW_CORE_VTOR 0xE000ED08u
#define FW_CORE_AIRCR 0xE000ED0Cu /* SYSRESETREQ */
#define FW_CORE_CFSR 0xE000ED28u  /* MemManage, BusFault and UsageFault status */
#define FW_CORE_HFSR 0xE000ED2Cu  /* HardFault status */
#define FW_CORE_DFSR 0xE000ED30u  /* debug fault status: HALTED, BKPT, DWTTRAP, VCATCH, EXTERNAL */
#define FW_CORE_MMFAR 0xE000ED34u
#define FW_CORE_BFAR 0xE000ED38u
#define FW_CORE_DHCSR 0xE000EDF0u /* halting control and status */
#define FW_CORE_DCRSR 0xE000EDF4u /* core register selector */
#define FW_CORE_DCRDR 0xE000EDF8u /* core register data */
#define FW_CORE_DEMCR 0xE000EDFCu /* vector catch */

#define FW_DHCSR_KEY 0xA05F0000u
#define FW_DHCSR_S_HALT (1u << 17)
#define FW_DHCSR_S_LOCKUP (1u << 19)
#define FW_DEMCR_VC_CORERESET (1u << 0)
#define FW_DEMCR_VC_HARDERR (1u << 10)
#define FW_DFSR_BKPT (1u << 1)
#define FW_DFSR_VCATCH (1u << 3)

typedef struct fw_core_state {
    uint32_t dhcsr, dfsr, xpsr, pc, sp; /* sp: the active one, MSP in a handler */
    uint32_t cfsr, hfsr, bfar, mmfar;
    uint32_t stacked_pc; /* where a fault came from: the PC in the exception frame */
    bool locked_up;      /* DHCSR S_LOCKUP */
    unsigned ipsr;       /* the exception number: 0 thread mode, 3 HardFault... */
} fw_core_state;

/* Halts the core and reads its state (DHCSR before the halt, so a lockup
 * shows). */
FW_API int fw_core_read_state(fw_probe *p, fw_core_state *s, fw_diag *d);
/* Whether the core sits in a fault handler (NMI to UsageFault) or locked up. */
FW_API bool fw_core_in_fault(const fw_core_state *s);
/* The state in words: "locked up at 0x... (xPSR ...); ...", or "in its
 * HardFault at 0x... (xPSR ...); PRECISERR (precise data bus error), FORCED
 * ...; the fault came from 0x...", or "running in thread mode at 0x...". */
FW_API void fw_core_describe(const fw_core_state *s, char *out, size_t cap);
/* The boot check, after a reset that let the image run: it runs (thread
 * mode or an interrupt handler), sits in a fault handler or locked up, or
 * took the debug port (a low-power mode without the DBGMCU debug bits, or
 * its SWD pins reused), which leaves it unseen. */
typedef enum fw_boot_verdict { FW_BOOT_RUNS, FW_BOOT_FAULT, FW_BOOT_UNSEEN } fw_boot_verdict;
typedef struct fw_boot_check {
    fw_boot_verdict verdict;
    fw_core_state state; /* as read (not for FW_BOOT_UNSEEN) */
    char said[600];      /* the verdict in words: fw_core_describe's, or why it is unseen */
} fw_boot_check;
/* Lets the image run settle_ms, halts the core and reads it; a core that
 * runs is let go again (fw_probe_detach), a faulted one is left halted
 * where it stands. An error only when the probe itself fails. */
FW_API int fw_core_check_boot(fw_probe *p, unsigned settle_ms, fw_boot_check *out, fw_diag *d);
/* A dual-core part's second core (the target data's second-core line:
 * H745/H747's CM4) after a boot: held (its option bit clear and the main
 * core has not released it), or read through its own access port (halted
 * a moment; a faulted core is left halted, a running one let go). */
typedef struct fw_second_core_check {
    bool held;
    fw_boot_verdict verdict; /* when not held */
    uint32_t boot_address;   /* where it takes its vectors (BOOT0 low: the register's bits 15:0) */
    fw_core_state state;
    char said[600];
} fw_second_core_check;
FW_API int fw_core_check_second(fw_probe *p, const fw_target *t, fw_second_core_check *out, fw_diag *d);
/* The second core's state in words without stopping it ("held: ...",
 * "running", "halted", "locked up", "asleep (WFI/WFE)"), from its DHCSR
 * read through its access port. */
FW_API int fw_core_second_state(fw_probe *p, const fw_target *t, char *out, size_t cap, fw_diag *d);
/* The fault status bits of CFSR and HFSR in words ("no fault status bits
 * set" when there are none). */
FW_API void fw_core_decode_faults(uint32_t cfsr, uint32_t hfsr, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
