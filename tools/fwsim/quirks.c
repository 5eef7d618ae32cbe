/* SPDX-License-Identifier: MIT */
#include "quirks.h"

#include <string.h>

static const struct sim_quirk_info quirks[QUIRK_COUNT] = {
    [QUIRK_VDD_UNSENSED] = {"vdd-unsensed",
                            "the probe's target-voltage pin is not wired: it reads about 0.01 V while the target "
                            "answers",
                            "UM1724 (Nucleo-64), the ST-LINK/V2-1 SWD connector CN4: pin 1 VDD_TARGET is the "
                            "application's VDD, wired by the user; OpenOCD's stlink_usb.c only prints "
                            "the voltage and goes on"},
    [QUIRK_NRST_UNWIRED] = {"nrst-unwired", "the probe's NRST line is not connected: DRIVE_NRST does nothing",
                            "UM1724, CN4 pin 5 NRST (optional on a custom board); UM1075 (ST-LINK/V2), pin 15 "
                            "NRST of the JTAG/SWD connector"},
    [QUIRK_STALE_REPLY] = {"stale-reply",
                           "a reply from an interrupted session still waits in the probe's IN endpoint at open",
                           "pyOCD pyocd/probe/stlink/usb.py: open() flushes the IN endpoint (_flush_rx, 'reading "
                           "until timeout') for this reason"},
    [QUIRK_STALE_FLAGS] = {"stale-flags",
                           "the flash controller's status register holds error flags from an earlier session",
                           "RM0351 FLASH_SR and RM0444 FLASH_SR: PGSERR is set when a program or erase starts with "
                           "PROGERR, SIZERR, PGAERR, WRPERR, MISERR or FASTERR still set; the error flags are "
                           "cleared only by writing 1 (RM0090, RM0008/PM0075, RM0038 likewise)"},
    [QUIRK_KEY_LOCKOUT] = {"key-lockout",
                           "a wrong key sequence locked the flash controller before the host connected, until a "
                           "reset",
                           "RM0090 §3.5.1: an invalid key sequence returns a bus error and locks FLASH_CR until the "
                           "next reset; RM0351, PM0075 and RM0038 say the same in their unlocking sections"},
    [QUIRK_WAIT_PARTIAL] = {"wait-partial",
                            "an AP WAIT ends the first WRITEMEM of 16 bytes or more into flash after half of it "
                            "landed; GETLASTRWSTATUS2 gives the first address that did not",
                            "ADIv5 §4.2 (SWD): a WAIT acknowledges an access the AP cannot take yet, access by "
                            "access, so a block the probe sends stops where the WAIT came; OpenOCD's stlink_usb.c "
                            "(GETLASTRWSTATUS2 reports the status and the address of a failed access)"},
    [QUIRK_IWDG] = {"iwdg",
                    "the firmware started the independent watchdog (its reset-default period from LSI); it counts "
                    "while the core runs, and while halted unless DBGMCU freezes it; at 0 the chip resets",
                    "the IWDG chapters of RM0008, RM0090, RM0038, RM0351 and RM0444 (KR 0xCCCC starts it, only a "
                    "reset stops it); their DBGMCU sections (DBG_IWDG_STOP); OpenOCD's target/stm32*.cfg set that "
                    "bit, and st-flash reloads the watchdog before its loader"},
    [QUIRK_HW_IWDG] = {"hw-iwdg",
                       "as iwdg, but the option bit for a hardware watchdog starts it at every reset, so a reset "
                       "does not stop it",
                       "the same IWDG chapters: 'Hardware watchdog': with the option bit, the IWDG starts at "
                       "power-on and at each reset"},
};

const struct sim_quirk_info *sim_quirk_info(sim_quirk q)
{
    return q < QUIRK_COUNT ? &quirks[q] : NULL;
}

bool sim_quirks_add(sim_quirks *set, const char *name)
{
    for (unsigned q = 0; q < QUIRK_COUNT; q++)
        if (!strcmp(name, quirks[q].name)) {
            *set |= 1u << q;
            return true;
        }
    return false;
}

void sim_quirks_list(FILE *f)
{
    for (unsigned q = 0; q < QUIRK_COUNT; q++)
        fprintf(f, "%-14s %s\n", quirks[q].name, quirks[q].what);
}
