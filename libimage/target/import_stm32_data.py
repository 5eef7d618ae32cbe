#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes libimage/target/stm32.map, fwkit's own STM32 database, from the
part tables distilled from embassy-rs/stm32-data (stm32-parts.tsv,
stm32-families.tsv).

A maintenance tool: run it by hand when the tables change, review the diff,
commit the .map file. The build never runs it and never reads the tables.

    libimage/target/import_stm32_data.py TABLES_DIR > libimage/target/stm32.map

where TABLES_DIR holds stm32-parts.tsv and stm32-families.tsv.

What it changes on the way (the tables' known errata, see the tables' README):
  - H5 external-memory windows (FMC/OCTOSPI/SDRAM, bogus sizes) are dropped;
  - STM32F745/746/756 OTP is at 0x1FF0F000, 1 KiB (RM0385), not 0x08FFF000;
  - STM32L100 data EEPROM is 2 KiB (x6/x8/xB, -A too) and 4 KiB (RC), per the
    datasheet, not the die's 4/8 KiB;
  - F0/F1/F3 flash programs 16-bit half-words (write unit 2), H7A3/B3/B0 a
    16-byte flash word, F2/F4/F7 single bytes (PSIZE x8);
  - WB30/WB35 also answer device id 0x496;
  - ICODE windows onto SRAM become 'alias' regions, CCM data RAM 'ccm',
    OTP rows 'otp', ITCM/DTCM 'tcm';
  - F2 OTP (528 B at 0x1FFF7800) is added to every F2, and the 1 KiB OTP at
    0x1FFF7000 to L4, L4+, G0, G4, WB and WL (RM0394, RM0432, RM0444, RM0440,
    RM0434, RM0453).
What it adds per family from the reference manuals: option bytes, system
memory (bootloader ROM), the 0x00000000 boot alias, the flash-size (F_SIZE)
register, the erased value, the FPU, and on TrustZone parts (L5, U5, H5
but the H503, WBA, U3) the secure alias of every flash and SRAM region.
"""
import csv
import os
import re
import sys

# 0x00000000 is not a flash alias there: ITCM RAM (H7), or boot addresses
# set by option bytes (Cortex-M33 parts), or no internal flash.
NO_ZERO_ALIAS = {"STM32H7", "STM32H5", "STM32L5", "STM32U5", "STM32U3", "STM32WBA", "STM32C5",
                 "STM32N6", "STM32MP1", "STM32WB0"}

# family -> facts. 'obs' = option-byte areas (base, size); 'sysmem' = system
# memory (base, size); 'fsize' = flash-size register; 'fpu' = none|sp|dp.
# Source: each family's reference manual (named), sections "Memory map",
# "Option bytes" and "Device electronic signature / Flash size data register".
FAMILIES = {
    "STM32C0": dict(rm="RM0490", obs=[(0x1FFF7800, 0x80)], sysmem=(0x1FFF0000, 0x1800), fsize=0x1FFF75A0, fpu="none"),
    "STM32F0": dict(rm="RM0091/RM0360", obs=[(0x1FFFF800, 0x10)], sysmem=(0x1FFFEC00, 0xC00), fsize=0x1FFFF7CC, fpu="none"),
    "STM32F1": dict(rm="RM0008", obs=[(0x1FFFF800, 0x10)], sysmem=(0x1FFFF000, 0x800), fsize=0x1FFFF7E0, fpu="none"),
    "STM32F2": dict(rm="RM0033", obs=[(0x1FFFC000, 0x10)], sysmem=(0x1FFF0000, 0x7800), fsize=0x1FFF7A22, fpu="none"),
    "STM32F3": dict(rm="RM0316/RM0313", obs=[(0x1FFFF800, 0x10)], sysmem=(0x1FFFD800, 0x2000), fsize=0x1FFFF7CC, fpu="sp"),
    "STM32F4": dict(rm="RM0090/RM0383/RM0390", obs=[(0x1FFFC000, 0x10)], sysmem=(0x1FFF0000, 0x7800), fsize=0x1FFF7A22, fpu="sp"),
    "STM32F7": dict(rm="RM0385/RM0410/RM0431", obs=[(0x1FFF0000, 0x20)], sysmem=(0x1FF00000, 0xEDC0), fsize=0x1FF0F442, fpu="sp"),
    "STM32G0": dict(rm="RM0444/RM0454", obs=[(0x1FFF7800, 0x80)], sysmem=(0x1FFF0000, 0x7000), fsize=0x1FFF75E0, fpu="none"),
    "STM32G4": dict(rm="RM0440", obs=[(0x1FFF7800, 0x30)], sysmem=(0x1FFF0000, 0x7000), fsize=0x1FFF75E0, fpu="sp"),
    "STM32H5": dict(rm="RM0481/RM0492", obs=[], sysmem=(0x0BF80000, 0x10000), fsize=0x08FFF80C, fpu="sp"),
    "STM32H7": dict(rm="RM0433/RM0399/RM0468", obs=[], sysmem=(0x1FF00000, 0x20000), fsize=0x1FF1E880, fpu="dp"),
    "STM32L0": dict(rm="RM0367/RM0376/RM0377", obs=[(0x1FF80000, 0x20)], sysmem=(0x1FF00000, 0x1000), fsize=0x1FF8007C, fpu="none"),
    "STM32L1": dict(rm="RM0038", obs=[(0x1FF80000, 0x20)], sysmem=(0x1FF00000, 0x1000), fsize=0x1FF8004C, fpu="none"),
    "STM32L4": dict(rm="RM0351/RM0394", obs=[(0x1FFF7800, 0x28)], sysmem=(0x1FFF0000, 0x7000), fsize=0x1FFF75E0, fpu="sp"),
    "STM32L4+": dict(rm="RM0432", obs=[(0x1FF00000, 0x28)], sysmem=(0x1FFF0000, 0x7000), fsize=0x1FFF75E0, fpu="sp"),
    "STM32L5": dict(rm="RM0438", obs=[], sysmem=(0x0BF90000, 0x8000), fsize=0x0BFA05E0, fpu="sp"),
    "STM32U5": dict(rm="RM0456", obs=[], sysmem=(0x0BF90000, 0x8000), fsize=0x0BFA07A0, fpu="sp"),
    "STM32WB": dict(rm="RM0434", obs=[(0x1FFF8000, 0x80)], sysmem=(0x1FFF0000, 0x7000), fsize=0x1FFF75E0, fpu="sp"),
    "STM32WL": dict(rm="RM0453/RM0461", obs=[(0x1FFF7800, 0x80)], sysmem=(0x1FFF0000, 0x4000), fsize=0x1FFF75E0, fpu="none"),
    "STM32WBA": dict(rm="RM0493", obs=[], sysmem=None, fsize=0x0BFA07A0, fpu="sp"),
}
# Families whose F_SIZE, option bytes or system memory we have not checked in
# a reference manual: left out rather than guessed.
UNCHECKED = {"STM32C5", "STM32U0", "STM32U3", "STM32WB0", "STM32N6", "STM32MP1"}

# per-device-id exceptions inside a family
F_SIZE_BY_DEVICE = {0x427: 0x1FF800CC, 0x436: 0x1FF800CC, 0x437: 0x1FF800CC,  # L1 cat. 3-6 (RM0038)
                    0x449: 0x1FF0F442, 0x451: 0x1FF0F442, 0x452: 0x1FF07A22,  # F74x/75x, F76x/77x, F72x/73x
                    0x480: 0x08FFF80C, 0x485: 0x08FFF80C,                      # H7A3/B3/B0, H7R/S
                    0x459: 0x1FFF3EA0, 0x489: 0x1FFF6EA0}  # U031, U073/U083 (RM0503; OpenOCD's stm32l4x.c)
# The 96-bit unique ID (UID): the tables' uid_base per family where it is
# one address; where a family has two, per device id, each beside that
# part's F_SIZE (RM0038 cat. 3+, RM0431 F72x/73x, RM0455 H7A3/B, RM0503
# U031 and U073/U083). L0/L1 keep its third word at +0x14, not +8 (RM0377
# "Unique device ID registers", RM0038 likewise). WBA, whose two addresses
# we could not place, is left without.
UID_BY_DEVICE = {0x416: 0x1FF80050, 0x429: 0x1FF80050, 0x427: 0x1FF800D0, 0x436: 0x1FF800D0, 0x437: 0x1FF800D0,
                 0x449: 0x1FF0F420, 0x451: 0x1FF0F420, 0x452: 0x1FF07A10,
                 0x450: 0x1FF1E800, 0x483: 0x1FF1E800,  # H742/743/750/753 (RM0433), H723/733/725/735 (RM0468)
                 0x480: 0x08FFF800, 0x485: 0x08FFF800, 0x459: 0x1FFF3E50, 0x489: 0x1FFF6E50}
UID_SPLIT = {"STM32L0", "STM32L1"}
SYSMEM_BY_DEVICE = {0x414: (0x1FFFF000, 0x800), 0x430: (0x1FFFE000, 0x1800), 0x418: (0x1FFFB000, 0x4800),  # F1 HD, XL, CL
                    0x448: (0x1FFFC800, 0x3000), 0x442: (0x1FFFD800, 0x2000),  # F07x, F09x
                    0x427: (0x1FF00000, 0x2000), 0x436: (0x1FF00000, 0x2000), 0x437: (0x1FF00000, 0x2000)}  # L1 cat. 3+
# TrustZone (Armv8-M): the IDAU shows flash and SRAM twice, non-secure at
# their usual address and secure at a fixed offset: flash 0x08000000 ->
# 0x0C000000, SRAM and peripherals 0x2..., 0x4... -> 0x3..., 0x5... (RM0438
# STM32L5, RM0456 STM32U5, RM0481 STM32H5, RM0493 STM32WBA, RM0487 STM32U3:
# "Memory map and register boundary addresses"). The STM32H503 has no
# TrustZone (RM0492).
TRUSTZONE_FAMILIES = {"STM32L5", "STM32U5", "STM32H5", "STM32WBA", "STM32U3"}
TRUSTZONE_LINES_WITHOUT = {"STM32H503"}


def uid_line(fam, base):
    if fam in UID_SPLIT:
        return "uid %s %s %s\n" % (hx(base), hx(base + 4), hx(base + 0x14))
    return "uid %s\n" % hx(base)


def secure_alias(base):
    if 0x08000000 <= base < 0x0C000000:
        return base + 0x04000000
    if 0x20000000 <= base < 0x30000000 or 0x40000000 <= base < 0x50000000:
        return base + 0x10000000
    return None


OB_DUAL_BANK_F4 = (0x1FFEC000, 0x10)  # F42x/F43x/F469/F479 second option-byte area (RM0090)
FPU_BY_LINE = {"STM32F7x6": "dp", "STM32F7x7": "dp", "STM32F7x8": "dp", "STM32F7x9": "dp",
               "STM32F301": "sp", "STM32F373": "sp"}
DEFAULT_VARIANT = {"STM32F4": "single-bank", "STM32F7": "single-bank", "STM32G0": "dual-bank",
                   "STM32G4": "dual-bank", "STM32L4+": "dual-bank", "STM32L5": "dual-bank"}
# the F7 lines with the DP FPU are F76x/F77x; the data's line names group by last digit
F7_DP_PREFIXES = ("STM32F76", "STM32F77")


def hx(v):
    return "0x%08x" % v


def size(v):
    if v and v % (1 << 20) == 0:
        return "%dM" % (v >> 20)
    if v and v % 1024 == 0:
        return "%dK" % (v >> 10)
    return str(v)


def region_kind(row):
    name, kind, tags, access = row["region_name"], row["kind"], row["tags"], row["access"]
    if "alias" in tags.split(","):
        return "alias"
    if name == "OTP" or "otp" in tags.split(","):
        return "otp"
    if kind == "eeprom":
        return "eeprom"
    if kind == "flash":
        return "flash"
    if name.startswith("CCMRAM"):
        return "ccm"
    if name in ("ITCM", "DTCM"):
        return "tcm"
    return "ram"


def fix_row(row):
    part = row["part"]
    base, sz = int(row["base"], 16), int(row["size"])
    if "external" in row["tags"].split(","):
        return None
    if row["region_name"] == "OTP" and re.match(r"STM32F7(45|46|56)", part) and base == 0x08FFF000:
        base, sz = 0x1FF0F000, 1024
    if row["kind"] == "eeprom" and part.startswith("STM32L100"):
        sz = 4096 if part.startswith("STM32L100RC") else 2048
    write = row["write_size"]
    if row["kind"] == "flash" and row["region_name"].startswith("BANK") and row["family"] in ("STM32F0", "STM32F1", "STM32F3"):
        write = "2"
    if row["kind"] == "flash" and re.match(r"STM32H7(A3|B3|B0)", part):
        write = "16"
    # F2/F4/F7 program a single byte with PSIZE x8 (RM0033 and RM0090
    # "Program/erase parallelism", RM0385 "Flash program and erase
    # operations"): x32 and x64 are speed-ups, not a unit a file must meet
    if row["kind"] == "flash" and row["region_name"].startswith("BANK") and row["family"] in ("STM32F2", "STM32F4", "STM32F7"):
        write = "1"
    return dict(row, base=base, size=sz, write_size=write)


def main():
    data = sys.argv[1]
    parts = {}
    order = []
    with open(os.path.join(data, "stm32-parts.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            row = fix_row(row)
            if row is None:
                continue
            if row["part"] not in parts:
                parts[row["part"]] = []
                order.append(row["part"])
            parts[row["part"]].append(row)
    families = {}
    with open(os.path.join(data, "stm32-families.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            families[row["family"]] = row

    # The independent watchdog per family: IWDG base (0x40003000 in every
    # family's memory map), the LSI it counts (the datasheets' typical), and
    # the DBGMCU register and bits that stop IWDG and WWDG while the core is
    # halted (each reference manual's DBGMCU section: bits 8-9 of DBGMCU_CR
    # on F1, bits 11-12 of the APB1 freeze register elsewhere; OpenOCD's
    # target/stm32*.cfg set the same bits).
    APB1 = (0x1000, 0x800)  # DBG_IWDG_STOP bit 12, DBG_WWDG_STOP bit 11
    WATCHDOG = {
        "STM32C0": (32, 0x40015808) + APB1, "STM32F0": (40, 0x40015808) + APB1,
        "STM32F1": (40, 0xE0042004, 0x100, 0x200), "STM32F2": (32, 0xE0042008) + APB1,
        "STM32F3": (40, 0xE0042008) + APB1, "STM32F4": (32, 0xE0042008) + APB1,
        "STM32F7": (32, 0xE0042008) + APB1, "STM32G0": (32, 0x40015808) + APB1,
        "STM32G4": (32, 0xE0042008) + APB1, "STM32L0": (37, 0x40015808) + APB1,
        "STM32L1": (37, 0xE0042008) + APB1, "STM32L4": (32, 0xE0042008) + APB1,
        "STM32WB": (32, 0xE004203C) + APB1,
    }
    # DMA1 per family: its base, the offset of channel 1's CCR (stream 0's
    # SxCR on the stream controllers of F2/F4/F7), the RCC register and bit
    # that clock it, and the stop bit of the timer that paces it in the
    # watchdog's freeze register (TIM2; TIM3 where a family may lack TIM2).
    # The memory maps, DMA and RCC chapters, and DBGMCU sections of RM0490,
    # RM0091, RM0008, RM0033, RM0316, RM0090, RM0385, RM0444, RM0440,
    # RM0377, RM0038, RM0351, RM0434.
    STREAMS = (0x40026000, 0x10, 0x40023830, 0x200000, 0x1)
    DMA = {
        "STM32C0": (0x40020000, 0x8, 0x40021038, 0x1, 0x2), "STM32F0": (0x40020000, 0x8, 0x40021014, 0x1, 0x2),
        "STM32F1": (0x40020000, 0x8, 0x40021014, 0x1, 0x800), "STM32F2": STREAMS,
        "STM32F3": (0x40020000, 0x8, 0x40021014, 0x1, 0x1), "STM32F4": STREAMS, "STM32F7": STREAMS,
        "STM32G0": (0x40020000, 0x8, 0x40021038, 0x1, 0x2), "STM32G4": (0x40020000, 0x8, 0x40021048, 0x1, 0x1),
        "STM32L0": (0x40020000, 0x8, 0x40021030, 0x1, 0x1), "STM32L1": (0x40026000, 0x8, 0x4002381C, 0x1000000, 0x1),
        "STM32L4": (0x40020000, 0x8, 0x40021048, 0x1, 0x1), "STM32WB": (0x40020000, 0x8, 0x58000048, 0x1, 0x1),
    }
    # The bank-mode option bit as its register shows it, and the value that
    # means two banks: F42x/F43x DB1M (RM0090 FLASH_OPTCR bit 30), F76x/F77x
    # nDBANK (RM0410 FLASH_OPTCR bit 29, 0 = dual), G0B1/C1 DUAL_BANK (RM0444
    # FLASH_OPTR bit 21), G4 and L4+ DBANK (RM0440, RM0432 FLASH_OPTR bit 22),
    # L5 DBANK (RM0438 FLASH_OPTR bit 22).
    BANK_OPTION = {"STM32F4": (0x40023C14, 0x40000000, 1), "STM32F7": (0x40023C14, 0x20000000, 0),
                   "STM32G0": (0x40022020, 0x200000, 1), "STM32G4": (0x40022020, 0x400000, 1),
                   "STM32L4+": (0x40022020, 0x400000, 1), "STM32L5": (0x40022040, 0x400000, 1)}
    # What the chip boots. BOOT_MEMORY: the SYSCFG register whose field
    # shows the memory at 0x00000000 (its reset value is the boot mode), the
    # field's shift and mask, and the memory each value means ("-" reserved):
    # MEM_MODE in SYSCFG_CFGR1 (RM0091, RM0316, RM0444, RM0490: "x0" main
    # flash) or SYSCFG_MEMRMP (RM0033, RM0090: 100 = FMC SDRAM on F42x,
    # RM0351/RM0432, RM0440: 100 = QUADSPI, RM0434: 110 = QUADSPI, RM0453);
    # on L0/L1 the read-only BOOT_MODE field, bits 9:8, which software cannot
    # change (RM0377 SYSCFG_CFGR1, RM0038 SYSCFG_MEMRMP).
    MEMRMP = "0x40010000"
    BOOT_MEMORY = {
        "STM32C0": (MEMRMP, 0, 0x3, "flash system flash sram"),
        "STM32F0": (MEMRMP, 0, 0x3, "flash system flash sram"),
        "STM32F2": ("0x40013800", 0, 0x3, "flash system external sram"),
        "STM32F3": (MEMRMP, 0, 0x3, "flash system flash sram"),
        "STM32F4": ("0x40013800", 0, 0x7, "flash system external sram external"),
        "STM32G0": (MEMRMP, 0, 0x3, "flash system flash sram"),
        "STM32G4": (MEMRMP, 0, 0x7, "flash system external sram external"),
        "STM32L0": (MEMRMP, 8, 0x3, "flash system - sram"),
        "STM32L1": (MEMRMP, 8, 0x3, "flash system - sram"),
        "STM32L4": (MEMRMP, 0, 0x7, "flash system external sram - - external"),
        "STM32L4+": (MEMRMP, 0, 0x7, "flash system external sram - - external"),
        "STM32WB": (MEMRMP, 0, 0x7, "flash system - sram - - external"),
        "STM32WL": (MEMRMP, 0, 0x7, "flash system - sram"),
    }
    # The boot option bits and the empty check of G0 and C0: FLASH_OPTR
    # nBOOT_SEL (bit 24: 1 = BOOT0 is the nBOOT0 bit, not the pin), nBOOT1
    # (25), nBOOT0 (26), and FLASH_ACR EMPTY (bit 16: main flash was empty
    # when the option bytes last loaded, so "boot from flash" boots the
    # system memory) (RM0444 §2.5 and FLASH_ACR, RM0490 alike).
    BOOT_OPTIONS = {fam: ("0x40022020", 0x1000000, 0x2000000, 0x4000000, "0x40022000", 0x10000)
                    for fam in ("STM32G0", "STM32C0")}
    # Where H7 boots: FLASH_BOOT_CURR, BOOT_ADD0 in bits 15:0 (BOOT pin low)
    # and BOOT_ADD1 in 31:16 (high), each bits 31:16 of the address (RM0433,
    # RM0399, RM0468, RM0455 FLASH_BOOT_CURR).
    BOOT_ADDRESS = {"STM32H7": ("0x52002040", 16)}
    # TrustZone: the register holding TZEN, its mask and the value meaning
    # on; the boot address registers for BOOT0 low, BOOT0 high (0: BOOT0 high
    # boots system memory) and TrustZone on (the core then boots secure from
    # there), and the low bits they leave out. L5/U5/WBA: FLASH_OPTR's TZEN
    # (bit 31), NSBOOTADD0R, NSBOOTADD1R, SECBOOTADD0R, the address in bits
    # 31:7 (the FLASH registers and boot configuration of RM0438, RM0456,
    # RM0493); H5: FLASH_OPTSR2_CUR's TZEN byte (0xB4 on, 0xC3 off),
    # NSBOOTR_CUR and SECBOOTR_CUR, the address in bits 31:8 above their
    # lock byte (RM0481).
    TRUSTZONE = {fam: ("0x40022040", 0x80000000, 0x80000000, "0x40022044", "0x40022048", "0x4002204c", 7)
                 for fam in ("STM32L5", "STM32U5", "STM32WBA")}
    TRUSTZONE["STM32H5"] = ("0x40022070", 0xFF000000, 0xB4000000, "0x40022080", "0", "0x40022088", 8)
    # The flash CPU2 keeps for itself on STM32WB (RM0434 FLASH_SFR at 0x58004080,
    # fields as ST's SVD gives them: SFSA 7:0, the area's first page; FSD, bit
    # 8, set: no secure area): the FUS and the wireless stack, which neither
    # CPU1 nor a debugger can erase, write or read ("it only returns 0", ST's
    # moderators on community.st.com). From the factory the FUS alone: SFSA
    # 0xF4 on a 1 MiB part, its top 48 KiB (the factory value ST's community
    # gives), kept at 48 KiB on the smaller parts.
    CPU2_AREA = {"STM32WB": ("0x58004080", 0xFF, 0x100, 48 * 1024)}
    # The debug port's IDCODE per family, on SWD and on JTAG (0: no JTAG, or
    # no value we can source): stlink-org/stlink chipid.c and the CPUTAPIDs
    # of OpenOCD 0.12's target/stm32*.cfg (stm32wbx.cfg and stm32wlx.cfg:
    # 0x6ba02477 on SWD; stm32x5x_common.cfg, for L5 and U5: 0x0be12477;
    # OpenOCD's later tcl/target/stm32u0x.cfg, for U0, and stm32wba5x.cfg, for
    # WBA: 0x6ba02477 on SWD).
    # model: F3 and L4 answer 0x2BA01477 on SWD, the Cortex-M4 r0p1 SW-DP of
    # the reference manuals' debug chapters, where chipid.c lists 0x1BA01477:
    # with that, st-flash 1.7.0 (which tests the core id before the chip id)
    # takes its F1 half-word loader to an L4, which silicon refuses (SIZERR).
    DP_IDCODE = {
        "STM32F0": (0x0BB11477, 0), "STM32L0": (0x0BC11477, 0), "STM32G0": (0x0BC11477, 0),
        "STM32C0": (0x0BC11477, 0), "STM32F1": (0x1BA01477, 0x3BA00477), "STM32F3": (0x2BA01477, 0x4BA00477),
        "STM32L4": (0x2BA01477, 0x4BA00477), "STM32L4+": (0x2BA01477, 0x4BA00477),
        "STM32F2": (0x2BA01477, 0x4BA00477), "STM32L1": (0x2BA01477, 0x4BA00477),
        "STM32F4": (0x2BA01477, 0x4BA00477), "STM32G4": (0x2BA01477, 0x4BA00477),
        "STM32F7": (0x5BA02477, 0x5BA00477), "STM32WB": (0x6BA02477, 0x6BA00477),
        "STM32WL": (0x6BA02477, 0x6BA00477), "STM32H7": (0x6BA02477, 0x6BA00477),
        "STM32H5": (0x6BA02477, 0), "STM32L5": (0x0BE12477, 0x0BA04477), "STM32U5": (0x0BE12477, 0x0BA04477),
        "STM32U0": (0x6BA02477, 0), "STM32WBA": (0x6BA02477, 0),
    }
    # Status bits that follow what software asked for, where OpenOCD 0.12's
    # target configs wait for them at reset-init (stm32l0.cfg: RCC_CFGR SWS
    # after SW = HSI16; stm32l5x.cfg and stm32u5x.cfg: PLLRDY after PLLON,
    # SWS after SW = PLL, U5's VOSRDY and BOOSTRDY): ready REG ON READY,
    # mirror REG FROM_SHIFT MASK TO_SHIFT. RM0377 RCC_CR (HSI16ON bit 0,
    # HSI16RDYF bit 2; PLLON 24, PLLRDY 25), RCC_CFGR at 0x0C (SW 1:0, SWS
    # 3:2); RM0438 RCC_CR PLLON/PLLRDY, RCC_CFGR at 0x08; RM0456 RCC_CR
    # PLL1ON 24/PLL1RDY 25, RCC_CFGR1 at 0x1C, PWR_VOSR (VOS 17:16, VOSRDY
    # 15; BOOSTEN 18, BOOSTRDY 14). H7 (RM0433, RM0399, RM0468, RM0455:
    # the same bits): what ST's start-up and SystemClock_Config wait for,
    # ExitRun0Mode first (PWR_CSR1 ACTVOSRDY, bit 13, after the supply is
    # set in PWR_CR3), then PWR_D3CR (SRDCR) VOSRDY 13, RCC_CR HSIRDY 2
    # (HSION 0), CSIRDY 8 (CSION 7), HSI48RDY 13 (HSI48ON 12), HSERDY 17
    # (HSEON 16), PLL1RDY..PLL3RDY 25/27/29 (PLLxON 24/26/28), D1CKRDY 14
    # (the CPU's domain clock, on while it runs), RCC_CFGR SWS 5:3 after SW
    # 2:0. ON 0: the status reads ready from reset (model: the regulator
    # settles at once). D2CKRDY (15) is left out: it falls when the CM4
    # stops D2, which the CM7 of ST's dual-core template waits for (the
    # dual-core parts' second-domain line). WL (RM0453 RCC, as ST's HAL in a
    # CubeIDE LoRaWAN build polls them): RCC_CR MSIRDY 1 (MSION 0), HSIRDY
    # 10 (HSION 8), HSERDY 17 (HSEON 16), PLLRDY 25 (PLLON 24); RCC_CFGR
    # (0x08) SWS 3:2 after SW 1:0; RCC_BDCR (0x90) LSERDY 1 (LSEON 0) and
    # LSESYSRDY 11 (LSESYSEN 7); RCC_CSR (0x94) LSIRDY 1 (LSION 0). model:
    # the oscillators start, the LSE crystal of a NUCLEO-WL55JC too.
    READY = {
        "STM32L0": [("ready", 0x40021000, 0x1, 0x4), ("ready", 0x40021000, 0x1000000, 0x2000000),
                    ("mirror", 0x4002100C, 0, 0x3, 2)],
        "STM32L5": [("ready", 0x40021000, 0x1000000, 0x2000000), ("mirror", 0x40021008, 0, 0x3, 2)],
        "STM32U5": [("ready", 0x46020C00, 0x1000000, 0x2000000), ("mirror", 0x46020C1C, 0, 0x3, 2),
                    ("ready", 0x4602080C, 0x30000, 0x8000), ("ready", 0x4602080C, 0x40000, 0x4000)],
        "STM32H7": [("ready", 0x58024804, 0, 0x2000), ("ready", 0x58024818, 0, 0x2000),
                    ("ready", 0x58024400, 0, 0x4000), ("ready", 0x58024400, 0x1, 0x4), ("ready", 0x58024400, 0x80, 0x100),
                    ("ready", 0x58024400, 0x1000, 0x2000), ("ready", 0x58024400, 0x10000, 0x20000),
                    ("ready", 0x58024400, 0x1000000, 0x2000000), ("ready", 0x58024400, 0x4000000, 0x8000000),
                    ("ready", 0x58024400, 0x10000000, 0x20000000), ("mirror", 0x58024410, 0, 0x7, 3)],
        "STM32WL": [("ready", 0x58000000, 0x1, 0x2), ("ready", 0x58000000, 0x100, 0x400),
                    ("ready", 0x58000000, 0x10000, 0x20000), ("ready", 0x58000000, 0x1000000, 0x2000000),
                    ("mirror", 0x58000008, 0, 0x3, 2), ("ready", 0x58000090, 0x1, 0x2), ("ready", 0x58000090, 0x80, 0x800),
                    ("ready", 0x58000094, 0x1, 0x2)],
    }
    # The core clock out of reset, kHz (the RCC chapters): HSI 8 MHz on
    # F0/F1/F3 (RM0091, RM0008, RM0316); HSI 16 MHz on F2/F4/F7, G0, G4 and
    # WBA (RM0033, RM0090, RM0385, RM0444, RM0440, RM0493); MSI 2.097 MHz on
    # L0/L1 (RM0377, RM0038); MSI 4 MHz on L4, L4+, WB, WL, L5 and U5
    # (RM0351, RM0432, RM0434, RM0453, RM0438, RM0456: MSIS on U5); HSISYS,
    # HSI48 / 4, on C0 (RM0490); HSI 64 MHz on H7 (RM0433); HSI 64 MHz / 2 on
    # H5 (RM0481: HSIDIV resets to 2). U0 is left at the default: its value
    # is not sourced here.
    RESET_CLOCK = {"STM32F0": 8000, "STM32F1": 8000, "STM32F3": 8000, "STM32F2": 16000, "STM32F4": 16000,
                   "STM32F7": 16000, "STM32G0": 16000, "STM32G4": 16000, "STM32WBA": 16000, "STM32L0": 2097,
                   "STM32L1": 2097, "STM32L4": 4000, "STM32L4+": 4000, "STM32WB": 4000, "STM32WL": 4000,
                   "STM32L5": 4000, "STM32U5": 4000, "STM32C0": 12000, "STM32H7": 64000, "STM32H5": 32000}
    # The faster clock fwflash runs its RAM routines at (the hash that skips
    # and verifies sectors, the checksum), where the reset clock is a slow
    # MSI: loader-clock KHZ ACR ACR_MASK ACR_VALUE REG MASK VALUE, the wait
    # states first. L4/L4+ and WB/WL as OpenOCD 0.12's reset-init sets them
    # (stm32l4x.cfg: "MSI 24 MHz clock, compliant even with VOS == 2. 3 WS
    # compliant with VOS == 2 and 24 MHz", FLASH_ACR = PRFTBE | 3, RCC_CR =
    # MSI_ON | MSIRGSEL | MSI Range 9; stm32wbx.cfg and stm32wlx.cfg: "MSI
    # 24 MHz clock, compliant with VOS default Range1. 2 WS", RCC_CR |= MSI
    # Range 9); RM0351/RM0434/RM0453 RCC_CR: MSIRANGE 7:4, MSIRGSEL bit 3,
    # FLASH_ACR LATENCY 2:0 (3:0 on L4+, RM0432). U5: MSIS range 1, 24 MHz,
    # at the reset voltage range 4 takes 2 wait states (ST's STM32U5 HAL,
    # stm32u5xx_hal_rcc.c RCC_SetFlashLatencyFromMSIRange); RM0456
    # RCC_ICSCR1: MSISRANGE 31:28, MSIRGSEL bit 23; FLASH_ACR LATENCY 3:0.
    LOADER_CLOCK = {
        "STM32L4": (24000, 0x40022000, 0x7, 3, 0x40021000, 0xF8, 0x98),
        "STM32L4+": (24000, 0x40022000, 0xF, 3, 0x40021000, 0xF8, 0x98),
        "STM32WB": (24000, 0x58004000, 0x7, 2, 0x58000000, 0xF0, 0x90),
        "STM32WL": (24000, 0x58004000, 0x7, 2, 0x58000000, 0xF0, 0x90),
        "STM32U5": (24000, 0x40022000, 0xF, 2, 0x46020C08, 0xF0800000, 0x10800000),
    }
    out = sys.stdout
    out.write("# fwkit target database: STM32 microcontrollers.\n")
    out.write("# Generated by import_stm32_data.py from tables distilled from embassy-rs/stm32-data\n")
    out.write("# (stm32-data-generated f115ed4f, MIT OR Apache-2.0 per stm32-metapac), with the errata\n")
    out.write("# fixes and per-family facts listed in that script. The format is the --map format:\n")
    out.write("# see libimage/target/README.md.\n")
    for fam in sorted(families):
        frow = families[fam]
        facts = FAMILIES.get(fam)
        out.write("\n[family %s]\n" % fam)
        if facts:
            out.write("# facts from %s\n" % facts["rm"])
        if frow["flash_reg_base"]:
            out.write("flash-registers %s %s\n" % (frow["flash_reg_base"], frow["flash_reg_version"].split("(")[0]))
        if fam in RESET_CLOCK:
            out.write("reset-clock %d\n" % RESET_CLOCK[fam])
        if fam in WATCHDOG:
            lsi, reg, iwdg_stop, wwdg_stop = WATCHDOG[fam]
            out.write("watchdog 0x40003000 %d %s %s %s\n" % (lsi, hx(reg), hex(iwdg_stop), hex(wwdg_stop)))
        if fam in BANK_OPTION:
            reg, mask, dual = BANK_OPTION[fam]
            out.write("bank-option %s %s %d\n" % (hx(reg), hex(mask), dual))
        if fam in DMA:
            out.write("dma %s %s %s %s %s\n" % (hx(DMA[fam][0]), hex(DMA[fam][1]), hx(DMA[fam][2]),
                                                hex(DMA[fam][3]), hex(DMA[fam][4])))
        if fam in BOOT_MEMORY:
            reg, shift, mask, names = BOOT_MEMORY[fam]
            out.write("boot-memory %s %d %s %s\n" % (reg, shift, hex(mask), names))
        if fam in BOOT_OPTIONS:
            o = BOOT_OPTIONS[fam]
            out.write("boot-options %s %s %s %s %s %s\n" % (o[0], hex(o[1]), hex(o[2]), hex(o[3]), o[4], hex(o[5])))
        if fam in BOOT_ADDRESS:
            out.write("boot-address %s %d\n" % BOOT_ADDRESS[fam])
        if fam in TRUSTZONE:
            o = TRUSTZONE[fam]
            out.write("trustzone %s %s %s %s %s %s %d\n" % (o[0], hex(o[1]), hex(o[2]), o[3], o[4], o[5], o[6]))
        if fam == "STM32H7":
            # AP2, an APB-AP onto the system debug bus (APB-D): its
            # 0xE00E0000-0xE00FFFFF are the system bus's 0x5C000000-0x5C01FFFF
            # (DBGMCU at 0xE00E1000, OpenOCD's stm32h7x.cfg; the TPIU at
            # 0xE00F5000 and 0x5C015000, RM0433's system ROM table as quoted
            # in probe-rs issue 394)
            out.write("system-debug-ap 2 0xe00e0000 0x5c000000 0x20000\n")
        if fam in CPU2_AREA:
            reg, sfsa, fsd, factory = CPU2_AREA[fam]
            out.write("cpu2-area %s %s %s %d\n" % (reg, hex(sfsa), hex(fsd), factory))
        if fam in LOADER_CLOCK:
            k, acr, am, av, reg, cm, cv = LOADER_CLOCK[fam]
            out.write("loader-clock %d %s %s %d %s %s %s\n" % (k, hx(acr), hex(am), av, hx(reg), hex(cm), hex(cv)))
        for rule in READY.get(fam, []):
            if rule[0] == "ready":
                out.write("ready %s %s %s\n" % (hx(rule[1]), hex(rule[2]), hex(rule[3])))
            else:
                out.write("mirror %s %d %s %d\n" % (hx(rule[1]), rule[2], hex(rule[3]), rule[4]))
        if fam in DP_IDCODE:
            out.write("dp-idcode 0x%08x 0x%08x\n" % DP_IDCODE[fam])
        # ST's JEP106 code in the ROM table (ADIv5 §10.2): written where
        # clones share the device ids (clones.map), so a probe can tell them
        # apart; Black Magic Debug routes ST parts by it (cortexm.c)
        if fam in ("STM32F1",):
            out.write("designer 0x020\n")
        if frow["dbgmcu_base"]:
            out.write("dbgmcu-idcode %s\n" % hx(int(frow["dbgmcu_base"], 16) + int(frow["dbgmcu_idcode_offset"], 16)))
        uid = frow.get("uid_base", "")
        if uid and "(" not in uid and fam not in ("STM32MP1", "STM32N6"):
            out.write(uid_line(fam, int(uid, 16)))
        if facts:
            out.write("flash-size-register %s\n" % hx(facts["fsize"]))
            out.write("fpu %s\n" % facts["fpu"])
            for i, (b, s) in enumerate(facts["obs"]):
                out.write("region OPTION_BYTES%s option-bytes %s %s\n" % ("" if i == 0 else "_%d" % (i + 1), hx(b), size(s)))
            if facts["sysmem"]:
                out.write("region SYSTEM_MEMORY system %s %s\n" % (hx(facts["sysmem"][0]), size(facts["sysmem"][1])))
        if fam == "STM32F7":
            # 0x0 is ITCM RAM; flash is also seen over the ITCM bus at 0x00200000 (RM0385 2.3)
            out.write("region ITCM_FLASH boot-alias 0x00200000 flash alias-of BANK_1\n")
        elif fam not in NO_ZERO_ALIAS:
            # reads at 0 follow the boot pins; by default they show main flash
            out.write("region BOOT_ALIAS boot-alias 0x00000000 flash alias-of BANK_1\n")
        out.write("region PERIPHERALS peripheral 0x40000000 512M\n")
        out.write("region CORE_PERIPHERALS peripheral 0xe0000000 512M\n")
        if fam in DEFAULT_VARIANT:
            out.write("default-variant %s\n" % DEFAULT_VARIANT[fam])

    for part in order:
        rows = parts[part]
        r0 = rows[0]
        fam = r0["family"]
        dev = int(r0["device_id"], 16)
        out.write("\n[target %s]\n" % part)
        out.write("family %s\n" % fam)
        out.write("line %s\n" % r0["line"])
        out.write("core %s\n" % r0["core"])
        ids = [dev] + ([0x496] if re.match(r"STM32WB3[05]", part) else [])
        out.write("device-id %s\n" % " ".join("0x%03x" % i for i in ids))
        if dev in F_SIZE_BY_DEVICE:
            out.write("flash-size-register %s\n" % hx(F_SIZE_BY_DEVICE[dev]))
        if dev in UID_BY_DEVICE:
            out.write(uid_line(fam, UID_BY_DEVICE[dev]))
        if fam == "STM32F7" and part.startswith(F7_DP_PREFIXES):
            out.write("fpu dp\n")
        elif r0["line"] in FPU_BY_LINE and fam not in ("STM32F7",):
            out.write("fpu %s\n" % FPU_BY_LINE[r0["line"]])
        if dev in SYSMEM_BY_DEVICE:
            b, s = SYSMEM_BY_DEVICE[dev]
            out.write("region SYSTEM_MEMORY system %s %s\n" % (hx(b), size(s)))
        if fam == "STM32F4" and any(r["bank_mode"] != "fixed" for r in rows):
            out.write("region OPTION_BYTES_2 option-bytes %s %s\n" % (hx(OB_DUAL_BANK_F4[0]), size(OB_DUAL_BANK_F4[1])))
        seen = set()
        have_otp = any(region_kind(r) == "otp" for r in rows)
        for r in rows:
            kind = region_kind(r)
            line = "region %s %s %s %s" % (r["region_name"], kind, hx(r["base"]), size(r["size"]))
            if kind == "flash":
                line += " erase %s layout %s write %s erased %s" % (
                    size(int(r["erase_size"])), r["sector_layout"], r["write_size"], r["erase_value"])
            elif kind == "eeprom":
                line += " write 1 erased 0x00"
            elif kind == "otp":
                line += " write %s erased 0xff" % (r["write_size"] or "4")
            elif kind == "alias":
                target = r["region_name"].replace("_ICODE", "").replace("_DCODE", "")
                line += " alias-of %s" % target
            if r["access"] == "rw-":
                line += " access rw-"
            if r["bank_mode"] != "fixed":
                line += " variant %s" % r["bank_mode"]
            if line not in seen:
                seen.add(line)
                out.write(line + "\n")
            sbase = secure_alias(r["base"])
            if (fam in TRUSTZONE_FAMILIES and r0["line"] not in TRUSTZONE_LINES_WITHOUT and kind in ("flash", "ram")
                    and sbase is not None):
                sline = "region %s_S secure-alias %s %s alias-of %s" % (r["region_name"], hx(sbase), size(r["size"]),
                                                                        r["region_name"])
                if r["bank_mode"] != "fixed":
                    sline += " variant %s" % r["bank_mode"]
                if sline not in seen:
                    seen.add(sline)
                    out.write(sline + "\n")
        if r0["line"] in ("STM32H745/755", "STM32H747/757"):
            # the Cortex-M4 sees D2 SRAM1-3 (128+128+32 KiB at 0x30000000)
            # also at 0x10000000, where CubeIDE's CM4 linker scripts put its
            # RAM (RM0399 "Memory map and register boundary addresses")
            out.write("region SRAM123_CM4 alias 0x10000000 288K alias-of SRAM1 core cortex-m4\n")
            # the Cortex-M4 on access port 3 (OpenOCD's stm32h7x.cfg, DUAL_CORE:
            # "-ap-num 3"), booting from FLASH_BOOT4_CUR (0x52002048; BOOT_CM4_ADD0
            # 15:0, ADD1 31:16, each the address >> 16; from the factory 0x0810,
            # bank 2, and 0x1000, D2 SRAM at 0x10000000) when FLASH_OPTSR_CUR's
            # BCM4 (0x5200201c bit 22) is set, as from the factory, else once
            # the CM7 sets RCC_GCR BOOT_C2 (0x580244a0 bit 3) (RM0399: the
            # registers FLASH_OPTSR_CUR, FLASH_BOOT4_CUR and RCC_GCR)
            out.write("second-core 3 0x52002048 16 0x10000810 0x5200201c 0x400000 0x580244a0 0x8\n")
            # D2, the CM4's domain, stops when the CM4 enters Stop (deep
            # sleep), and RCC_CR's D2CKRDY (bit 15) falls: ST's dual-core
            # templates have the CM7 wait for that, then wake the CM4 through
            # an HSEM notification (STM32CubeH7's HSEM_ResourceSharing readme:
            # "CPU1 will release CPU2 ... by means of HSEM notification";
            # RM0399, RCC_CR). HSEM at 0x58026400, COREID 3 for the CM7 and 1
            # for the CM4 (ST's STM32H7 HSEM training)
            out.write("second-domain 0x58024400 0x8000\n")
            out.write("hsem 0x58026400 3 1\n")
        if fam == "STM32F2" and not have_otp:
            out.write("region OTP otp 0x1fff7800 528 write 4 erased 0xff\n")
        if fam in ("STM32L4", "STM32L4+", "STM32G0", "STM32G4", "STM32WB", "STM32WL") and not have_otp:
            out.write("region OTP otp 0x1fff7000 1K write 8 erased 0xff\n")


if __name__ == "__main__":
    main()
