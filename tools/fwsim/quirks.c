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
    [QUIRK_DMA] = {"dma",
                   "the firmware left DMA1 channel 1 (stream 0 on F2/F4/F7) writing the first 256 bytes of SRAM, "
                   "paced by TIM2 (TIM3 on F0/G0/C0); it goes on while the core is halted unless DBGMCU freezes "
                   "the timer, or the channel or its clock is off; a system reset stops it",
                   "the DMA chapters of RM0008, RM0090, RM0038, RM0351, RM0444 (a channel runs on its own once "
                   "enabled, its requests from the timer), their DBGMCU sections (DBG_TIMx_STOP stops the "
                   "counter while the core is halted) and RCC sections (DMAxEN gates its clock; a system reset "
                   "resets every peripheral register); stlink-org/stlink turns the DMA clock off before its "
                   "loader (flash_loader.c set_dma_state, after 1.7.0)"},
    [QUIRK_SLOW_CLOCK] = {"slow-clock",
                          "the firmware switched the core to its slowest clock before the debugger halted it "
                          "(MSI range 0 on L0/L1/L4, LSI on G0/C0, HSI/512 elsewhere); a system reset brings "
                          "back the reset clock",
                          "the RCC chapters: RM0038/RM0377 MSIRANGE 0 = 65.536 kHz, RM0351 MSIRANGE 0 = 100 kHz, "
                          "RM0444 SW = LSI (32 kHz), RM0008/RM0090 HPRE = /512 of HSI (8 or 16 MHz); each "
                          "'System reset' section: the clock configuration returns to its reset value"},
    [QUIRK_BLANK_L1] = {"blank-l1",
                        "on a blank STM32L0/L1 (erased flash reads 0) the reset loads EPSR.T from the reset vector's "
                        "bit 0, i.e. 0; setting PC does not change it, so code started from SRAM takes an "
                        "INVSTATE UsageFault, escalated to HardFault, unless the debugger writes xPSR.T",
                        "OpenOCD's src/flash/nor/stm32lx.c (a RAM loader HardFaults on a blank STM32L15x, 'a "
                        "related issue is described in the stm32l151xx errata (Doc ID 17721 Rev 6 - 2.1.3)'); "
                        "the mechanism: ARMv7-M ARM B1.5.5 (reset loads EPSR.T from bit 0 of the reset vector) "
                        "and B1.4.2 (executing with EPSR.T 0 is an INVSTATE UsageFault)"},
    [QUIRK_OBL_DROP] = {"obl-drop",
                        "an option-byte reload (OBL_LAUNCH) drops the debug link: the write that launches it and "
                        "every access after it answer SWD_DP_ERROR until the host enters debug mode again",
                        "OpenOCD's src/flash/nor/stm32l4x.c, stm32l4_perform_obl_launch: 'Due to this reset ST-Link "
                        "reports an SWD_DP_ERROR, despite the write was successful'; RM0351 §3.4.2 (OBL_LAUNCH "
                        "resets the chip)"},
    [QUIRK_SWD_LOST] = {"swd-lost",
                        "the firmware in flash turns the debug port off 5 ms after each reset (low-power mode with "
                        "the DBGMCU bits clear, or its SWD pins reused): SWD gets no answer; NRST held while "
                        "entering debug mode reaches the core before the firmware runs",
                        "RM0008 AFIO_MAPR SWJ_CFG = 100 turns JTAG-DP and SW-DP off, and the SWJ pins are the debug "
                        "port's again after reset (its debug chapter, 'SWJ debug port'); the DBGMCU sections (in "
                        "Stop or Standby without DBG_STOP/DBG_STANDBY the debug clocks stop); stlink-org/stlink and OpenOCD's "
                        "'connect under reset' (common.c stlink_target_connect, reset_config connect_assert_srst)"},
    [QUIRK_BANK_OPTION] = {"bank-option",
                           "the bank-mode option bit holds its non-factory value (DB1M set on F42x/F43x, nDBANK "
                           "clear on F76x/F77x, DBANK clear on G4 and L4+, DUAL_BANK clear on G0B1/C1): the pages "
                           "or sectors are laid out as the other bank mode has them",
                           "RM0090 §3.6.1 and FLASH_OPTCR (DB1M: 1 MB parts as two banks of 4x16, 64, 3x128 KB "
                           "sectors, bank 2 numbered 12-19); RM0410 FLASH_OPTCR nDBANK; RM0440 FLASH_OPTR DBANK "
                           "(single bank: 4 KB pages, dual: 2 KB); RM0432 DBANK; RM0444 DUAL_BANK; OpenOCD's "
                           "stm32f2x.c reads DB1M and stm32l4x.c DBANK before it lays out sectors"},
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
