/* SPDX-License-Identifier: MIT */
/* fwsim: quirks, the conditions real boards and probes bring that a kind
 * simulator would leave out (fwsim --quirk NAME, --list-quirks). Each is
 * modelled because silicon or a real probe does it; the table in quirks.c
 * says where that is written. */
#ifndef FWSIM_QUIRKS_H
#define FWSIM_QUIRKS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum sim_quirk {
    QUIRK_VDD_UNSENSED, /* the probe's target-voltage input is not wired */
    QUIRK_NRST_UNWIRED, /* the probe's NRST line is not connected */
    QUIRK_STALE_REPLY,  /* a reply of an interrupted session waits in the IN endpoint */
    QUIRK_STALE_FLAGS,  /* the flash controller holds error flags of an earlier session */
    QUIRK_KEY_LOCKOUT,  /* a wrong key sequence locked the flash controller before we came */
    QUIRK_WAIT_PARTIAL, /* an AP WAIT ends a WRITEMEM into flash after part of it landed */
    QUIRK_IWDG,         /* the firmware started the independent watchdog */
    QUIRK_HW_IWDG,      /* the option bit starts the independent watchdog at every reset */
    QUIRK_DMA,          /* the firmware left a timer-paced DMA channel writing the start of SRAM */
    QUIRK_SLOW_CLOCK,   /* the firmware switched the core to its slowest clock */
    QUIRK_BLANK_L1,     /* blank L0/L1 flash: the reset leaves EPSR.T clear, code run from SRAM faults */
    QUIRK_OBL_DROP,     /* an option-byte reload drops the debug link until debug mode is entered again */
    QUIRK_SWD_LOST,     /* the firmware turns the debug port off a few ms after reset */
    QUIRK_BANK_OPTION,  /* the bank-mode option bit holds its non-factory value */
    QUIRK_COUNT
} sim_quirk;

typedef uint32_t sim_quirks; /* bit q: quirk q is on */

struct sim_quirk_info {
    const char *name;   /* as --quirk takes it */
    const char *what;   /* one line for --list-quirks */
    const char *source; /* where the behaviour is written */
};

const struct sim_quirk_info *sim_quirk_info(sim_quirk q);
/* Turns on the quirk named name; false when there is none of that name. */
bool sim_quirks_add(sim_quirks *set, const char *name);
static inline bool sim_quirk_on(sim_quirks set, sim_quirk q)
{
    return (set >> q) & 1u;
}
/* One line per quirk: its name and what it does. */
void sim_quirks_list(FILE *f);

#endif
