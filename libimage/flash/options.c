/* SPDX-License-Identifier: MIT */
/* The user option bytes in the family's own words (fwflash options), and
 * changing them: the fields of the option word each controller shows as
 * loaded (F0/F1/F3 FLASH_OBR, F2/F4/F7 FLASH_OPTCR, L0/L1 FLASH_OBR, L4 and
 * G0 FLASH_OPTR), from the reference manuals' register descriptions; the
 * drivers program them (driver.h set_options), fwsim's models store them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driver.h"
#include "fwkit/number.h"

struct field {
    const char *name, *what;
    unsigned shift, width;
    const char *values[8]; /* what each value means; NULL past the last named */
    bool read_only;        /* shown, not set here */
};

struct layout {
    const char *controllers; /* flash-registers names, space-separated */
    const char *source;
    const char *reg;    /* the option word's register */
    uint32_t offset;    /* from the controller's base */
    bool f1_rdp;        /* RDP is RDPRT (bit 1) and 0xA5 is level 0 (F1) */
    unsigned rdp_shift; /* where the RDP byte is in the word (F0/F3: RDPRT 2:1) */
    struct field fields[18];
};

#define SW_HW                                                                                                          \
    {                                                                                                                  \
        "hardware (on from reset)", "software (started by firmware)"                                                   \
    }
#define RESET_ON                                                                                                       \
    {                                                                                                                  \
        "a reset", "no reset"                                                                                          \
    }

/* the FLASH_OPTR fields most families keep at the same bits */
#define OPTR_WATCHDOGS                                                                                                 \
    {"IWDG_SW", "independent watchdog", 16, 1, SW_HW, false},                                                          \
        {"IWDG_STOP", "the independent watchdog in Stop", 17, 1, {"frozen", "running"}, false},                        \
        {"IWDG_STDBY", "the independent watchdog in Standby", 18, 1, {"frozen", "running"}, false},                    \
    {                                                                                                                  \
        "WWDG_SW", "window watchdog", 19, 1, SW_HW, false                                                              \
    }
#define OPTR_RESETS(at)                                                                                                \
    {"nRST_STOP", "entering Stop mode", at, 1, RESET_ON, false},                                                       \
        {"nRST_STDBY", "entering Standby mode", at + 1, 1, RESET_ON, false},                                           \
    {                                                                                                                  \
        "nRST_SHDW", "entering Shutdown mode", at + 2, 1, RESET_ON, false                                              \
    }
/* every H7's FLASH_OPTSR_CUR */
#define H7_OPTSR_BOR_WATCHDOG                                                                                          \
    {"BOR_LEV",                                                                                                        \
     "brown-out reset level",                                                                                          \
     2,                                                                                                                \
     2,                                                                                                                \
     {"off", "level 1 (about 2.1 V)", "level 2 (about 2.4 V)", "level 3 (about 2.7 V)"},                               \
     false},                                                                                                           \
    {                                                                                                                  \
        "IWDG1_SW", "independent watchdog", 4, 1, SW_HW, false                                                         \
    }
#define H7_OPTSR_D1_RESETS                                                                                             \
    {"nRST_STOP_D1", "D1 entering Stop mode", 6, 1, RESET_ON, false},                                                  \
    {                                                                                                                  \
        "nRST_STBY_D1", "D1 entering Standby mode", 7, 1, RESET_ON, false                                              \
    }
#define H7_OPTSR_FREEZE_RAM_SECURITY                                                                                   \
    {"FZ_IWDG_STOP", "the independent watchdog in Stop", 17, 1, {"frozen", "running"}, false},                         \
        {"FZ_IWDG_SDBY", "the independent watchdog in Standby", 18, 1, {"frozen", "running"}, false},                  \
        {"ST_RAM_SIZE", "DTCM RAM size option", 19, 2, {0}, true},                                                     \
    {                                                                                                                  \
        "SECURITY", "the secure access mode", 21, 1, {"off", "on"}, true                                               \
    }
/* L4, L4+, WBA: BOR_LEV 10:8 and its five thresholds */
#define OPTR_BOR_LEVELS                                                                                                \
    {                                                                                                                  \
        "BOR_LEV", "brown-out reset level", 8, 3,                                                                      \
            {"level 0 (about 1.7 V)", "level 1 (about 2.0 V)", "level 2 (about 2.2 V)", "level 3 (about 2.5 V)",       \
             "level 4 (about 2.8 V)"},                                                                                 \
            false                                                                                                      \
    }
/* L4, G4, WB, WL, L5 */
#define OPTR_SWBOOT0                                                                                                   \
    {"SRAM2_PE", "SRAM2 parity check", 24, 1, {"on", "off"}, false},                                                   \
        {"SRAM2_RST", "SRAM2 erased at a system reset", 25, 1, {"yes", "no"}, false},                                  \
        {"nSWBOOT0", "BOOT0 taken from", 26, 1, {"the nBOOT0 option bit", "the BOOT0 pin"}, false},                    \
    {                                                                                                                  \
        "nBOOT0", "BOOT0 when nSWBOOT0 is 0", 27, 1, {"high", "low"}, false                                            \
    }
/* G0, C0, U0 */
#define OPTR_BOOT_SEL                                                                                                  \
    {"nBOOT_SEL", "BOOT0 taken from", 24, 1, {"the BOOT0 pin", "the nBOOT0 option bit"}, false},                       \
        {"nBOOT1", "BOOT1 (with BOOT0 high: 0 SRAM, 1 system memory)", 25, 1, {"SRAM", "system memory"}, false},       \
        {"nBOOT0", "BOOT0 when nBOOT_SEL is 1", 26, 1, {"high", "low"}, false},                                        \
    {                                                                                                                  \
        "NRST_MODE", "the NRST pin", 27, 2, {"reserved", "reset input only", "GPIO", "reset input and output"}, false  \
    }

static const struct layout layouts[] = {
    {"f1",
     "RM0008 §3.3.3 / PM0075 §2.5 FLASH_OBR",
     "FLASH_OBR",
     0x1C,
     true,
     0,
     {{"WDG_SW", "independent watchdog", 2, 1, SW_HW, false},
      {"nRST_STOP", "entering Stop mode", 3, 1, RESET_ON, false},
      {"nRST_STDBY", "entering Standby mode", 4, 1, RESET_ON, false},
      {"Data0", "user data byte 0", 10, 8, {0}, false},
      {"Data1", "user data byte 1", 18, 8, {0}, false}}},
    {"f0 f3",
     "RM0091 §3.5.7 / RM0316 §4.5.7 FLASH_OBR",
     "FLASH_OBR",
     0x1C,
     false,
     1,
     {{"WDG_SW", "independent watchdog", 8, 1, SW_HW, false},
      {"nRST_STOP", "entering Stop mode", 9, 1, RESET_ON, false},
      {"nRST_STDBY", "entering Standby mode", 10, 1, RESET_ON, false},
      {"nBOOT1", "BOOT1 (with BOOT0 high: 0 SRAM, 1 system memory)", 12, 1, {"SRAM", "system memory"}, false},
      {"VDDA_MONITOR", "the VDDA power supply supervisor", 13, 1, {"off", "on"}, false},
      {"RAM_PARITY_CHECK", "SRAM parity check", 14, 1, {"on", "off"}, false},
      {"Data0", "user data byte 0", 16, 8, {0}, false},
      {"Data1", "user data byte 1", 24, 8, {0}, false}}},
    {"f2 f4",
     "RM0033 §2.8.7 / RM0090 §3.9.10 FLASH_OPTCR",
     "FLASH_OPTCR",
     0x14,
     false,
     8,
     {{"BOR_LEV",
       "brown-out reset level",
       2,
       2,
       {"level 3 (2.70-3.60 V)", "level 2 (2.40-2.70 V)", "level 1 (2.10-2.40 V)", "off (POR/PDR only)"},
       false},
      {"WDG_SW", "independent watchdog", 5, 1, SW_HW, false},
      {"nRST_STOP", "entering Stop mode", 6, 1, RESET_ON, false},
      {"nRST_STDBY", "entering Standby mode", 7, 1, RESET_ON, false},
      {"nWRP", "write protection, a bit per sector (0: protected)", 16, 12, {0}, true}}},
    {"f7",
     "RM0385 §3.7.5 / RM0410 §3.7.5 FLASH_OPTCR",
     "FLASH_OPTCR",
     0x14,
     false,
     8,
     {{"BOR_LEV",
       "brown-out reset level",
       2,
       2,
       {"level 3 (2.70-3.60 V)", "level 2 (2.40-2.70 V)", "level 1 (2.10-2.40 V)", "off (POR/PDR only)"},
       false},
      {"WWDG_SW", "window watchdog", 4, 1, SW_HW, false},
      {"IWDG_SW", "independent watchdog", 5, 1, SW_HW, false},
      {"nRST_STOP", "entering Stop mode", 6, 1, RESET_ON, false},
      {"nRST_STDBY", "entering Standby mode", 7, 1, RESET_ON, false},
      {"nWRP", "write protection, a bit per sector (0: protected)", 16, 8, {0}, true},
      {"IWDG_STDBY", "the independent watchdog in Standby", 30, 1, {"frozen", "running"}, false},
      {"IWDG_STOP", "the independent watchdog in Stop", 31, 1, {"frozen", "running"}, false}}},
    {"l0 l1",
     "RM0377 §3.7.9 / RM0038 §3.9.8 FLASH_OBR",
     "FLASH_OBR",
     0x1C,
     false,
     0,
     {{"BOR_LEV", "brown-out reset threshold (0x8 level 1 ... 0xC level 5; below 0x8: off)", 16, 4, {0}, false},
      {"IWDG_SW", "independent watchdog", 20, 1, SW_HW, false},
      {"nRST_STOP", "entering Stop mode", 21, 1, RESET_ON, false},
      {"nRST_STDBY", "entering Standby mode", 22, 1, RESET_ON, false}}},
    {"l4",
     "RM0351 §3.7.8 FLASH_OPTR",
     "FLASH_OPTR",
     0x20,
     false,
     0,
     {OPTR_BOR_LEVELS,
      OPTR_RESETS(12),
      OPTR_WATCHDOGS,
      {"BFB2", "boot from bank 2", 20, 1, {"off", "on"}, false},
      {"DUALBANK",
       "bank mode (1 MiB and 512 KiB parts: 256 KiB parts see DB256K)",
       21,
       1,
       {"single bank", "dual bank"},
       true},
      {"nBOOT1", "BOOT1 (with BOOT0 high: 0 SRAM, 1 system memory)", 23, 1, {"SRAM1", "system memory"}, false},
      OPTR_SWBOOT0}},
    /* L4+ (RM0432): RM0351's word, with DB1M and DBANK where L4 has DUALBANK (bit positions as OpenOCD's
     * stm32l4x.h names them: FLASH_LRR_DB1M bit 21, FLASH_L4R_DBANK bit 22) */
    {"l4+",
     "RM0432 §3.7.8 FLASH_OPTR",
     "FLASH_OPTR",
     0x20,
     false,
     0,
     {OPTR_BOR_LEVELS,
      OPTR_RESETS(12),
      OPTR_WATCHDOGS,
      {"BFB2", "boot from bank 2", 20, 1, {"off", "on"}, false},
      {"DB1M", "dual bank on the 1 MiB parts", 21, 1, {"no", "yes"}, true},
      {"DBANK", "bank mode (2 MiB parts)", 22, 1, {"single bank", "dual bank"}, true},
      {"nBOOT1", "BOOT1 (with BOOT0 high: 0 SRAM, 1 system memory)", 23, 1, {"SRAM1", "system memory"}, false},
      OPTR_SWBOOT0}},
    {"g4c3",
     "RM0440 FLASH_OPTR (fields as ST's SVD gives them: embassy-rs/stm32-data flash_g4.yaml)",
     "FLASH_OPTR",
     0x20,
     false,
     0,
     {{"BOR_LEV", "brown-out reset level (0-4; the datasheet gives each threshold)", 8, 3, {0}, false},
      OPTR_RESETS(12),
      OPTR_WATCHDOGS,
      {"nBOOT1", "BOOT1 (with BOOT0 high: 0 SRAM, 1 system memory)", 23, 1, {"SRAM1", "system memory"}, false},
      OPTR_SWBOOT0,
      {"NRST_MODE", "the NRST pin", 28, 2, {"reserved", "reset input only", "GPIO", "reset input and output"}, false},
      {"IRHEN", "internal reset holder", 30, 1, {"off", "on"}, false}}},
    {"wb wl",
     "RM0434 / RM0453 FLASH_OPTR (fields as ST's SVD gives them: embassy-rs/stm32-data flash_wb55.yaml, "
     "flash_wl.yaml)",
     "FLASH_OPTR",
     0x20,
     false,
     0,
     {{"ESE", "security (the wireless stack's secure area)", 8, 1, {"off", "on"}, true},
      {"BOR_LEV", "brown-out reset level (0-4; the datasheet gives each threshold)", 9, 3, {0}, false},
      OPTR_RESETS(12),
      OPTR_WATCHDOGS,
      {"nBOOT1", "BOOT1 (with BOOT0 high: 0 SRAM, 1 system memory)", 23, 1, {"SRAM1", "system memory"}, false},
      OPTR_SWBOOT0,
      {"AGC_TRIM", "the radio's automatic gain control trimming", 29, 3, {0}, true}}},
    {"c0",
     "RM0490 FLASH_OPTR (fields and thresholds as ST's SVD gives them: embassy-rs/stm32-data flash_c0.yaml)",
     "FLASH_OPTR",
     0x20,
     false,
     0,
     {{"BOREN", "brown-out reset", 8, 1, {"off", "on"}, false},
      {"BORF_LEV",
       "brown-out reset level, falling",
       9,
       2,
       {"level 1 (about 2.0 V)", "level 2 (about 2.2 V)", "level 3 (about 2.5 V)", "level 4 (about 2.8 V)"},
       false},
      {"BORR_LEV",
       "brown-out reset level, rising",
       11,
       2,
       {"level 1 (about 2.1 V)", "level 2 (about 2.3 V)", "level 3 (about 2.6 V)", "level 4 (about 2.9 V)"},
       false},
      OPTR_RESETS(13),
      OPTR_WATCHDOGS,
      {"RAM_PARITY_CHECK", "SRAM parity check", 22, 1, {"on", "off"}, false},
      OPTR_BOOT_SEL,
      {"IRHEN", "internal reset holder", 29, 1, {"off", "on"}, false}}},
    {"u0",
     "RM0503 FLASH_OPTR (fields and thresholds as ST's SVD gives them: embassy-rs/stm32-data flash_u0.yaml)",
     "FLASH_OPTR",
     0x20,
     false,
     0,
     {{"BORR_LEV",
       "brown-out reset level, rising",
       8,
       3,
       {"level 1 (about 2.1 V)", "level 2 (about 2.3 V)", "level 3 (about 2.6 V)", "level 4 (about 2.9 V)"},
       false},
      OPTR_RESETS(13),
      OPTR_WATCHDOGS,
      {"BDRST", "backup domain reset", 21, 1, {0}, false},
      {"RAM_PARITY_CHECK", "SRAM parity check", 22, 1, {"on", "off"}, false},
      {"BKPSRAM_HW_ERASE_DISABLE", "backup SRAM erase prevention", 23, 1, {0}, false},
      OPTR_BOOT_SEL,
      {"IRHEN", "internal reset holder", 29, 1, {"off", "on"}, false}}},
    {"l5",
     "RM0438 FLASH_OPTR (fields as ST's SVD gives them: embassy-rs/stm32-data flash_l5.yaml)",
     "FLASH_OPTR",
     0x40,
     false,
     0,
     {{"BOR_LEV", "brown-out reset level (0-4; the datasheet gives each threshold)", 8, 3, {0}, false},
      OPTR_RESETS(12),
      OPTR_WATCHDOGS,
      {"SWAP_BANK", "banks swapped", 20, 1, {"no", "yes"}, false},
      {"DB256K", "dual bank on the 256 KiB parts", 21, 1, {"no", "yes"}, true},
      {"DBANK", "bank mode", 22, 1, {"single bank", "dual bank"}, true},
      OPTR_SWBOOT0,
      {"PA15_PUPEN", "PA15 pull-up", 28, 1, {"off", "on"}, false},
      {"TZEN", "TrustZone", 31, 1, {"off", "on"}, true}}},
    {"u5",
     "RM0456 FLASH_OPTR (fields as ST's SVD gives them: embassy-rs/stm32-data flash_u5.yaml)",
     "FLASH_OPTR",
     0x40,
     false,
     0,
     {{"BOR_LEV", "brown-out reset level (0-4; the datasheet gives each threshold)", 8, 3, {0}, false},
      OPTR_RESETS(12),
      {"SRAM1345_RST", "SRAM1, SRAM3 and SRAM4 erased at a system reset", 15, 1, {"yes", "no"}, false},
      OPTR_WATCHDOGS,
      {"SWAP_BANK", "banks swapped", 20, 1, {"no", "yes"}, false},
      {"DUALBANK", "bank mode (1 MiB and 512 KiB parts)", 21, 1, {"single bank", "dual bank"}, true},
      {"BKPSRAM_ECC", "backup SRAM ECC", 22, 1, {"on", "off"}, false},
      {"SRAM3_ECC", "SRAM3 ECC", 23, 1, {"on", "off"}, false},
      {"SRAM2_ECC", "SRAM2 ECC", 24, 1, {"on", "off"}, false},
      {"SRAM2_RST", "SRAM2 erased at a system reset", 25, 1, {"yes", "no"}, false},
      {"nSWBOOT0", "BOOT0 taken from", 26, 1, {"the nBOOT0 option bit", "the BOOT0 pin"}, false},
      {"nBOOT0", "BOOT0 when nSWBOOT0 is 0", 27, 1, {"high", "low"}, false},
      {"TZEN", "TrustZone", 31, 1, {"off", "on"}, true}}},
    {"wba",
     "RM0493 FLASH_OPTR (fields and thresholds as ST's SVD gives them: embassy-rs/stm32-data flash_wba.yaml)",
     "FLASH_OPTR",
     0x40,
     false,
     0,
     {OPTR_BOR_LEVELS,
      {"nRST_STOP", "entering Stop mode", 12, 1, RESET_ON, false},
      {"nRST_STDBY", "entering Standby mode", 13, 1, RESET_ON, false},
      {"SRAM1_RST", "SRAM1 erased at a system reset", 15, 1, {"yes", "no"}, false},
      OPTR_WATCHDOGS,
      OPTR_SWBOOT0,
      {"TZEN", "TrustZone", 31, 1, {"off", "on"}, true}}},
    {"h7",
     "RM0433 §4.9.8 FLASH_OPTSR_CUR (fields as ST's SVD gives them: embassy-rs/stm32-data flash_h7.yaml; BOR "
     "levels and the watchdog's polarity as ST's HAL names them)",
     "FLASH_OPTSR_CUR",
     0x1C,
     false,
     0,
     {H7_OPTSR_BOR_WATCHDOG,
      H7_OPTSR_D1_RESETS,
      H7_OPTSR_FREEZE_RAM_SECURITY,
      {"IO_HSLV", "I/O high speed at low voltage", 29, 1, {"off", "on"}, true},
      {"SWAP_BANK_OPT", "banks swapped", 31, 1, {"no", "yes"}, true}}},
    /* the dual-core H745/H747/H755/H757: the CM4's own watchdog and D2
     * resets, and each core's boot bit (BCM7 shown: with it clear the CM7
     * would wait on a CM4 image to release it) */
    {"h7-dual",
     "RM0399 FLASH_OPTSR_CUR (bits as ST's CMSIS header stm32h745xx.h defines them)",
     "FLASH_OPTSR_CUR",
     0x1C,
     false,
     0,
     {H7_OPTSR_BOR_WATCHDOG,
      {"IWDG2_SW", "the Cortex-M4's independent watchdog", 5, 1, SW_HW, false},
      H7_OPTSR_D1_RESETS,
      H7_OPTSR_FREEZE_RAM_SECURITY,
      {"BCM4", "the Cortex-M4 at reset", 22, 1, {"held until the Cortex-M7 releases it", "booting"}, false},
      {"BCM7", "the Cortex-M7 at reset", 23, 1, {"held until the Cortex-M4 releases it", "booting"}, true},
      {"nRST_STOP_D2", "D2 entering Stop mode", 24, 1, RESET_ON, false},
      {"nRST_STBY_D2", "D2 entering Standby mode", 25, 1, RESET_ON, false},
      {"IO_HSLV", "I/O high speed at low voltage", 29, 1, {"off", "on"}, true},
      {"SWAP_BANK_OPT", "banks swapped", 31, 1, {"no", "yes"}, true}}},
    {"h5",
     "RM0481 FLASH_OPTSR_CUR (fields, BOR levels and values as ST's SVD gives them: embassy-rs/stm32-data "
     "flash_h5.yaml)",
     "FLASH_OPTSR_CUR",
     0x50,
     false,
     0,
     {{"BOR_LEV",
       "brown-out reset level",
       0,
       2,
       {"level 1 (about 2.1 V)", "level 2 (about 2.4 V)", "level 3 (about 2.7 V)", "level 1 (about 2.1 V)"},
       false},
      {"BORH_EN", "brown-out high", 2, 1, {"off", "on"}, false},
      {"IWDG_SW", "independent watchdog", 3, 1, SW_HW, false},
      {"WWDG_SW", "window watchdog", 4, 1, SW_HW, false},
      {"NRST_STOP", "entering Stop mode", 6, 1, RESET_ON, false},
      {"NRST_STDBY", "entering Standby mode", 7, 1, RESET_ON, false},
      {"PRODUCT_STATE", "product state (the H5's RDP; Open is 0xED)", 8, 8, {0}, true},
      {"IO_VDD_HSLV", "I/O high speed at low VDD", 16, 1, {"off", "on"}, false},
      {"IO_VDDIO2_HSLV", "I/O high speed at low VDDIO2", 17, 1, {"off", "on"}, false},
      {"IWDG_STOP", "the independent watchdog in Stop", 20, 1, {"frozen", "running"}, false},
      {"IWDG_STDBY", "the independent watchdog in Standby", 21, 1, {"frozen", "running"}, false},
      {"BOOT_UBE", "unique boot entry (0xB4 OEM-iRoT or bootloader, 0xC3 ST-iRoT)", 22, 8, {0}, true},
      {"SWAP_BANK", "banks swapped", 31, 1, {"no", "yes"}, true}}},
    {"g0x1",
     "RM0444 §3.7.8 FLASH_OPTR",
     "FLASH_OPTR",
     0x20,
     false,
     0,
     {{"BOREN", "brown-out reset", 8, 1, {"off", "on"}, false},
      {"BORF_LEV",
       "brown-out reset level, falling (the datasheet gives each threshold)",
       9,
       2,
       {"level 1", "level 2", "level 3", "level 4"},
       false},
      {"BORR_LEV",
       "brown-out reset level, rising (the datasheet gives each threshold)",
       11,
       2,
       {"level 1", "level 2", "level 3", "level 4"},
       false},
      OPTR_RESETS(13),
      OPTR_WATCHDOGS,
      {"RAM_PARITY_CHECK", "SRAM parity check", 22, 1, {"on", "off"}, false},
      {"nBOOT_SEL", "BOOT0 taken from", 24, 1, {"the BOOT0 pin", "the nBOOT0 option bit"}, false},
      {"nBOOT1", "BOOT1 (with BOOT0 high: 0 SRAM, 1 system memory)", 25, 1, {"SRAM", "system memory"}, false},
      {"nBOOT0", "BOOT0 when nBOOT_SEL is 1", 26, 1, {"high", "low"}, false},
      {"NRST_MODE",
       "the NRST pin",
       27,
       2,
       {"reserved", "reset input only", "GPIO (PF2)", "reset input and output"},
       false}}},
};

static const struct layout *layout_of(const fw_target *t)
{
    /* L4+ shares L4's controller; its FLASH_OPTR has DB1M and DBANK where RM0351's has DUALBANK; the
     * dual-core H7 has bits of its own for the second core */
    const char *ctl = t->family && !strcmp(t->family, "STM32L4+") ? "l4+"
                      : t->has_second_core && t->flash_controller && !strcmp(t->flash_controller, "h7")
                          ? "h7-dual"
                          : t->flash_controller;
    size_t n = ctl ? strlen(ctl) : 0;
    for (size_t i = 0; n && i < sizeof(layouts) / sizeof(layouts[0]); i++)
        for (const char *s = layouts[i].controllers; (s = strstr(s, ctl)); s += n)
            if ((s == layouts[i].controllers || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
                return &layouts[i];
    return NULL;
}

static uint32_t field_mask(const struct field *f)
{
    return (f->width >= 32 ? 0xFFFFFFFFu : (1u << f->width) - 1) << f->shift;
}

static void fill(const struct layout *l, bool can_set, fw_option_bytes *o)
{
    o->n = 0;
    for (const struct field *f = l->fields; f < l->fields + 18 && f->name; f++) {
        fw_option_field *v = &o->fields[o->n++];
        v->name = f->name;
        v->what = f->what;
        v->value = (o->word & field_mask(f)) >> f->shift;
        v->settable = !f->read_only && can_set;
        const char *said = v->value < 8 ? f->values[v->value] : NULL;
        if (said)
            snprintf(v->said, sizeof(v->said), "%s", said);
        else
            snprintf(v->said, sizeof(v->said), "0x%X", v->value);
    }
}

int fw_flash_options_read(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, fw_option_bytes *o, fw_diag *d)
{
    memset(o, 0, sizeof(*o));
    const struct layout *l = layout_of(t);
    struct fw_flash_ctx c = fw_flash_ctx_for(p, t, d);
    struct fw_flash_wrp wrp = {0};
    int rc = drv->protection(&c, &o->rdp, &wrp);
    if (rc)
        return rc;
    snprintf(o->wrp, sizeof(o->wrp), "%s", wrp.text);
    if (!l) {
        fw_diag_add(d, FW_NOTE, "FLASH-OPTIONS", NULL,
                    "the %s's user option bytes are not in fwkit's tables yet: read protection and write protection "
                    "only",
                    t->name);
        return FW_OK;
    }
    o->reg = l->reg;
    o->source = l->source;
    o->can_set = drv->set_options != NULL;
    if ((rc = fw_probe_read_word(p, c.regs + l->offset, &o->word, d)))
        return rc;
    fill(l, o->can_set, o);
    return FW_OK;
}

int fw_flash_options_set(fw_probe *p, const fw_flash_driver *drv, const fw_target *t, const char *const *assign,
                         size_t n, bool lock_forever, fw_option_bytes *before, fw_option_bytes *after, fw_diag *d)
{
    const struct layout *l = layout_of(t);
    int rc = fw_flash_options_read(p, drv, t, before, d);
    if (rc)
        return rc;
    if (!l || !drv->set_options) {
        fw_diag_add(d, FW_ERROR, "FLASH-OPTIONS", NULL, "changing the %s's option bytes is not done by fwkit yet",
                    t->name);
        return FW_EUNSUPPORTED;
    }
    uint32_t mask = 0, value = 0;
    int rdp = -1;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(assign[i], '=');
        uint64_t v;
        size_t nlen = eq ? (size_t)(eq - assign[i]) : 0;
        if (!eq || !fw_parse_u64(eq + 1, &v)) {
            fw_diag_add(d, FW_ERROR, "FLASH-OPTIONS", NULL, "'%s': NAME=VALUE, the value a number", assign[i]);
            return FW_EINVAL;
        }
        if (nlen == 3 && !strncasecmp(assign[i], "RDP", 3)) {
            if (v == 0) {
                fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-OPTIONS", NULL,
                                               "RDP=0 erases the whole flash first: that is `fwflash unlock`");
                fw_diagnostic_set_hint(e, "fwflash unlock --yes-erase-everything");
                return FW_EINVAL;
            }
            if (v > 2 || (v == 2 && l->f1_rdp)) {
                fw_diag_add(d, FW_ERROR, "FLASH-OPTIONS", NULL, "RDP=%llu: the %s's levels are 0, 1%s",
                            (unsigned long long)v, t->name, l->f1_rdp ? "" : " and 2");
                return FW_EINVAL;
            }
            if (v == 2 && !lock_forever) {
                fw_diagnostic *e = fw_diag_add(
                    d, FW_ERROR, "FLASH-LOCKOUT", NULL,
                    "RDP=2 turns the debug port off for good: no probe will reach this chip again, and nothing can "
                    "undo it; refused, nothing was changed");
                fw_diagnostic_set_hint(e, "only on a finished product: add --yes-lock-forever");
                return FW_EINVAL;
            }
            rdp = (int)v;
            continue;
        }
        const struct field *f = NULL;
        for (const struct field *k = l->fields; k < l->fields + 18 && k->name && !f; k++)
            if (strlen(k->name) == nlen && !strncasecmp(k->name, assign[i], nlen))
                f = k;
        if (!f || f->read_only) {
            char names[400] = "";
            for (const struct field *k = l->fields; k < l->fields + 18 && k->name; k++)
                if (!k->read_only)
                    snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", *names ? ", " : "", k->name);
            fw_diag_add(d, FW_ERROR, "FLASH-OPTIONS", NULL, "'%.*s' %s of the %s: %s, RDP", (int)nlen, assign[i],
                        f ? "is shown, not set, by fwkit" : "is not an option", t->family ? t->family : t->name, names);
            return FW_EINVAL;
        }
        if (v > (field_mask(f) >> f->shift)) {
            fw_diag_add(d, FW_ERROR, "FLASH-OPTIONS", NULL, "%s=%llu: %s is %u bit%s wide", f->name,
                        (unsigned long long)v, f->name, f->width, f->width == 1 ? "" : "s");
            return FW_EINVAL;
        }
        mask |= field_mask(f);
        value = (value & ~field_mask(f)) | (uint32_t)v << f->shift;
    }
    if (before->rdp != 0) {
        fw_diag_add(d, FW_ERROR, "FLASH-RDP", NULL,
                    "the option bytes are read-protected at level %d: fwflash changes them at level 0 only",
                    before->rdp);
        return FW_EDEVICE;
    }
    struct fw_flash_ctx c = fw_flash_ctx_for(p, t, d);
    if ((rc = drv->set_options(&c, mask, value, rdp)))
        return rc;
    /* the options load at a system reset (F0-F7) or reloaded already (OBL_LAUNCH): read them as loaded */
    int level;
    struct fw_flash_wrp wrp = {0};
    fw_diag *reload = fw_diag_new();
    if (!reload)
        return FW_ENOMEM;
    rc = fw_flash_after_option_reload(p, drv, &c, &level, &wrp, reload);
    if (rc && rdp == 2 && !fw_probe_target_answers(p)) {
        /* level 2 disables the debug port for good (RM0090 §3.7.3, RM0351
         * §3.5.1): a chip that stopped answering took it */
        fw_diag_free(reload);
        *after = *before;
        after->word = (before->word & ~mask) | value;
        after->rdp = 2;
        fw_diag_add(d, FW_NOTE, "FLASH-LOCKOUT", NULL,
                    "read protection level 2 took: the chip no longer answers the debugger, as level 2 closes the "
                    "debug port for good; its firmware runs, and no probe can read, erase or debug it again");
        return FW_OK;
    }
    fw_diag_append(d, reload);
    fw_diag_free(reload);
    if (rc || (rc = fw_flash_options_read(p, drv, t, after, d)))
        return rc;
    if ((after->word & mask) != value || (rdp >= 0 && after->rdp != rdp)) {
        fw_diagnostic *e = fw_diag_add(d, FW_ERROR, "FLASH-OPTIONS", NULL,
                                       "%s reads 0x%08X after the reload: the change did not take (asked 0x%08X in "
                                       "0x%08X)",
                                       l->reg, after->word, value, mask);
        fw_diagnostic_set_hint(e, "power-cycle the board so the option bytes load again, then run `fwflash options`");
        return FW_EDEVICE;
    }
    return FW_OK;
}
