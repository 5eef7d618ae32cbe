#!/bin/sh
# SPDX-License-Identifier: MIT
# fwflash diagnose under fwsim: each verdict (blank flash, the right image,
# another build, BOOT0 high, G0's option bits and empty check, a start-up
# fault, read protection) on STM32L100RB, F103C8, G071RB, L476RG and
# H743ZI; diagnose changes nothing on the chip; info's flash line.
. "$(dirname "$0")/lib.sh"
FWFLASH="$BIN/fwflash"
FWSIM="$BIN/fwsim"
S="$ROOT/samples"
B="$S/blinky"

if ! ldconfig -p 2>/dev/null | grep -q libumockdev-preload; then
    skip "fwflash diagnose under fwsim" "libumockdev-preload.so.0 is not installed (make deps installs umockdev)"
    exit 0
fi

# diag NAME CODE PATTERN... -- FWSIM-ARGS...: fwflash diagnose under fwsim,
# its exit code and every pattern in its stdout
diag() {
    name=$1 code=$2
    shift 2
    pats=$TMP/pats
    : > "$pats"
    while [ "$1" != "--" ]; do
        printf '%s\n' "$1" >> "$pats"
        shift
    done
    shift
    run "$FWSIM" "$@"
    missing=
    while IFS= read -r p; do
        grep -qF -- "$p" "$TMP/out" || missing="$missing [$p]"
    done < "$pats"
    if [ "$rc" -ne "$code" ]; then
        fail "$name" "expected exit $code"
    elif [ -n "$missing" ]; then
        fail "$name" "stdout lacks:$missing"
    else
        pass "$name"
    fi
}

# blank flash: an L1 erases to 0x00, an F1 to 0xFF
diag "diagnose: a blank STM32L100RB is blank flash, and all-zero is erased there" 1 \
    "flash:    blank: all 512 sectors read 0x00, the erased value on STM32L1" \
    "verdict:  the flash is blank: nothing was written to this chip (on STM32L1 all-zero flash is erased flash)" \
    "way out: program it: fwflash write FILE" -- --target STM32L100RB -- "$FWFLASH" diagnose
diag "diagnose: a blank STM32F103C8 reads 0xFF" 1 \
    "flash:    blank: all 64 sectors read 0xFF, the erased value (hashed by the chip)" \
    "verdict:  the flash is blank: nothing was written to this chip" -- --target STM32F103C8 -- "$FWFLASH" diagnose
if grep -q "all-zero" "$TMP/out"; then fail "diagnose: the 0x00 remark is for L0/L1 only"; else pass "diagnose: the 0x00 remark is for L0/L1 only"; fi

# the right image, on each family
for pf in "STM32L100RB $S/stm32l100rb-blinky/blinky.elf" "STM32F103C8 $B/blinky-stm32f103c8.elf" \
          "STM32G071RB $B/blinky-stm32g071rb.elf" "STM32L476RG $B/blinky-stm32l476rg.elf" \
          "STM32H743ZI $S/h7-blinky/blinky-stm32h743zi.elf"; do
    set -- $pf
    diag "diagnose: the $1 holds the blinky, boots it from flash and runs it" 0 \
        "on chip:  identical: the chip holds every byte of the file" "vectors:  SP 0x" ": valid" \
        "boot:     flash at 0x08000000" "core:     running (halted a moment to be read, then let go)" \
        "verdict:  the chip holds $2, the chip boots it from flash and the core runs it" \
        -- --target "$1" --flash "$2" -- "$FWFLASH" diagnose "$2"
done

# another build of the same program: told by its build-id
diag "diagnose: another build on the chip is named by its build-id" 1 \
    "the chip holds another image, not $B/blinky-stm32f103c8.elf: its build-id is " \
    "way out: fwflash write $B/blinky-stm32f103c8.elf" \
    -- --target STM32F103C8 --flash "$B/blinky-stm32f103c8-o2.elf" -- "$FWFLASH" diagnose "$B/blinky-stm32f103c8.elf"
python3 - "$TMP/crash.hex" "$TMP/idle.hex" "$TMP/a.hex" "$TMP/b.hex" << 'EOF'
import sys
def rec(addr, data, kind=0):
    r = [len(data), addr >> 8 & 255, addr & 255, kind] + list(data)
    return ":" + "".join("%02X" % b for b in r) + "%02X" % (-sum(r) & 255)
# crash: SP, reset 0x08000011, NMI 0, HardFault 0x08000013; at 0x10 "udf #0", at 0x12 "b ."
crash = bytes.fromhex("00500020" "11000008" "00000000" "13000008" "00DE" "FEE7")
open(sys.argv[1], "w").write("\n".join([rec(0, b"\x08\x00", 4), rec(0, crash), ":00000001FF"]) + "\n")
# idle: reset 0x08000009, "b ." there; and 1 KiB of a pattern at the start of SRAM
lines = [rec(0, b"\x08\x00", 4), rec(0, bytes.fromhex("00500020" "09000008" "FEE7")), rec(0, b"\x20\x00", 4)]
pattern = bytes((i * 7 + 3) & 255 for i in range(1024))
lines += [rec(o, pattern[o:o + 16]) for o in range(0, 1024, 16)]
open(sys.argv[2], "w").write("\n".join(lines + [":00000001FF"]) + "\n")
# a and b: the same first page, another second one
vectors = bytes.fromhex("00500020" "09000008" "FEE7" "0000")
for path, tail in ((sys.argv[3], b"\x11" * 16), (sys.argv[4], b"\x22" * 16)):
    open(path, "w").write("\n".join([rec(0, b"\x08\x00", 4), rec(0, vectors), rec(0x0800, tail), ":00000001FF"]) + "\n")
EOF
diag "diagnose: a chip holding another image whose every sector differs" 1 \
    "on chip:  another image: every sector of the file differs" \
    "verdict:  the chip holds another image, not $TMP/crash.hex: every one of its 1 sectors differs" \
    -- --target STM32F103C8 --flash "$B/blinky-stm32f103c8.elf" -- "$FWFLASH" diagnose "$TMP/crash.hex"

# part of the image differs: which sectors, counted as the chip counts them
diag "diagnose: the chip holds part of FILE: the sectors that differ are named" 1 \
    "verdict:  the image on the chip is not $TMP/b.hex: 1 of its 2 sectors differ (sectors 2 to 2 of the chip)" \
    -- --target STM32F103C8 --flash "$TMP/a.hex" -- "$FWFLASH" diagnose "$TMP/b.hex"

# BOOT0 high: the system bootloader runs, as each family shows it
diag "diagnose: BOOT0 high on an F103C8 (the boot alias shows system memory)" 1 \
    "boot:     system memory at 0x1ffff000: the boot alias at 0x00000000 shows system memory" \
    "verdict:  the chip boots its system bootloader, not flash: BOOT0 was high at the last reset" \
    "way out: pull BOOT0 low" -- --target STM32F103C8 --boot0 1 --flash "$B/blinky-stm32f103c8.elf" -- "$FWFLASH" diagnose
diag "diagnose: BOOT0 high on an L100RB (SYSCFG BOOT_MODE)" 1 \
    "boot:     system memory at 0x1ff00000: BOOT_MODE (0x40010000 bits 9:8) reads 1" \
    "verdict:  the chip boots its system bootloader, not flash: BOOT0 was high at the last reset" \
    -- --target STM32L100RB --boot0 1 --flash "$S/stm32l100rb-blinky/blinky.elf" -- "$FWFLASH" diagnose
diag "diagnose: BOOT0 high on an L476RG (SYSCFG MEM_MODE)" 1 \
    "boot:     system memory at 0x1fff0000: MEM_MODE (0x40010000 bits 2:0) reads 1" \
    "core:     running (halted a moment to be read, then let go); running in thread mode at 0x1fff0040" \
    "verdict:  the chip boots its system bootloader, not flash: BOOT0 was high at the last reset" \
    -- --target STM32L476RG --boot0 1 --flash "$B/blinky-stm32l476rg.elf" -- "$FWFLASH" diagnose
diag "diagnose: BOOT0 high on an H743ZI (the core took BOOT_ADD1)" 1 \
    "BOOT_ADD0 0x08000000 (flash, BOOT0 low), BOOT_ADD1 0x1ff00000 (system memory, BOOT0 high); the core runs there" \
    "verdict:  the chip boots its system bootloader, not flash: BOOT0 is high: the core took BOOT_ADD1, 0x1ff00000" \
    -- --target STM32H743ZI --boot0 1 --flash "$S/h7-blinky/blinky-stm32h743zi.elf" -- "$FWFLASH" diagnose

# G0: the boot option bits, and the empty check
diag "diagnose: a G071RB with nBOOT_SEL=1 and nBOOT0=0 boots its bootloader whatever the pin" 1 \
    "nBOOT_SEL=1 (BOOT0 is the nBOOT0 option bit, the pin is ignored), nBOOT0=0, nBOOT1=1, EMPTY=0" \
    "verdict:  the chip boots its system bootloader, not flash: the option bit nBOOT0 is 0 and nBOOT_SEL=1 makes it BOOT0" \
    "way out: program the option bit nBOOT0 to 1" \
    -- --target STM32G071RB --boot-option nBOOT0=0 --flash "$B/blinky-stm32g071rb.elf" -- "$FWFLASH" diagnose
diag "diagnose: a G071RB with nBOOT_SEL=0 follows the BOOT0 pin" 1 \
    "nBOOT_SEL=0 (BOOT0 is the pin), nBOOT1=1, EMPTY=0; MEM_MODE (0x40010000 bits 1:0) reads 1" \
    "verdict:  the chip boots its system bootloader, not flash: BOOT0 was high at the last reset" \
    -- --target STM32G071RB --boot-option nBOOT_SEL=0 --boot0 1 --flash "$B/blinky-stm32g071rb.elf" -- "$FWFLASH" diagnose
state="$TMP/g0.state"
run "$FWSIM" --target STM32G071RB --state "$state" -- sh -c "\"$FWFLASH\" write \"$B/blinky-stm32g071rb.elf\" && \"$FWFLASH\" diagnose"
if [ "$rc" -eq 0 ] && grep -q "FLASH_ACR EMPTY was set (the flash was empty at power-on" "$TMP/err" &&
    grep -q "EMPTY=0" "$TMP/out" && grep -q "the chip boots it from flash and the core runs it" "$TMP/out"; then
    pass "fwflash write clears a G0's empty-check flag, so the reset runs the image"
else
    fail "fwflash write clears a G0's empty-check flag, so the reset runs the image"
fi
if have st-flash; then
    arm-none-eabi-objcopy -O binary "$B/blinky-stm32g071rb.elf" "$TMP/g0.bin" 2>/dev/null ||
        "$BIN/fwconv" -q -o "$TMP/g0.bin" "$B/blinky-stm32g071rb.elf"
    diag "diagnose: a G071RB written by st-flash after a blank power-on still boots its bootloader (EMPTY)" 1 \
        "EMPTY=1" \
        "verdict:  the chip boots its system bootloader, not flash: the flash was empty when the option bytes last loaded (FLASH_ACR EMPTY=1)" \
        "way out: power-cycle the board" \
        -- --target STM32G071RB -- sh -c "st-flash write \"$TMP/g0.bin\" 0x08000000 >/dev/null 2>&1; st-flash reset >/dev/null 2>&1; \"$FWFLASH\" diagnose"
else
    skip "diagnose: a G071RB written by st-flash after a blank power-on" "st-flash is not installed (make deps installs stlink-tools)"
fi

# a start-up fault, and read protection
diag "diagnose: an image whose start-up faults sits in HardFault, CFSR decoded" 1 \
    "verdict:  the core sits in a fault handler: in its HardFault at 0x08000012 (xPSR 0x01000003); UNDEFINSTR (undefined instruction)" \
    "the fault came from 0x08000010" -- --target STM32F103C8 --flash "$TMP/crash.hex" -- "$FWFLASH" diagnose
diag "diagnose: read protection level 1 keeps the flash unknown, and unlock is the way out" 1 \
    "options:  read protection level 1 (flash hidden from the debugger)" \
    "verdict:  read protection level 1: the debug port cannot read flash" \
    "way out: fwflash unlock --yes-erase-everything" -- --target STM32F103C8 --rdp 1 --flash "$B/blinky-stm32f103c8.elf" -- "$FWFLASH" diagnose
# TrustZone on (TZEN=1): the chip read at its secure alias, booting SECBOOTADD0
diag "diagnose: TrustZone on an STM32U575ZI, the secure image found and booting from SECBOOTADD0" 0 \
    "flash:    1 of 256 sectors hold data (0x0c000000-0x0c001fff)" \
    "boot:     flash at 0x0c000000: TrustZone is on (TZEN=1): the core boots secure from SECBOOTADD0 0x0c000000 (flash)" \
    "bank 1 secure pages 0-127; bank 2 secure pages 0-127" \
    "verdict:  the chip holds $B/blinky-stm32u575zi_secure.elf, the chip boots it from flash and the core runs it" \
    -- --target STM32U575ZI --boot-option TZEN=1 --flash "$B/blinky-stm32u575zi_secure.elf" -- "$FWFLASH" diagnose \
    "$B/blinky-stm32u575zi_secure.elf"
# TrustZone off: NSBOOTADD0
diag "diagnose: an STM32U575ZI with TrustZone off boots NSBOOTADD0" 0 \
    "boot:     flash at 0x08000000: TrustZone is off (TZEN=0): NSBOOTADD0 0x08000000 (flash, BOOT0 low)" \
    -- --target STM32U575ZI --flash "$B/blinky-stm32u575zi.elf" -- "$FWFLASH" diagnose "$B/blinky-stm32u575zi.elf"

# --json: the same findings
run "$FWSIM" --target STM32F103C8 --flash "$B/blinky-stm32f103c8.elf" -- "$FWFLASH" --json diagnose "$B/blinky-stm32f103c8.elf"
if [ "$rc" -eq 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["diagnose"]
assert d["verdict"]["ok"] is True, d
assert d["flash"]["with_data"] == 1 and d["flash"]["blank"] is False and d["flash"]["hashed_on_chip"] is True
assert d["boot"]["memory"] == "flash" and d["boot"]["address"] == "0x08000000"
assert d["vectors"]["valid"] is True and d["core"]["state"] == "running" and d["core"]["pc_region"] == "BANK_1"
assert d["file"]["on_chip"] == "identical" and d["file"]["sectors_differing"] == 0
' "$TMP/out" 2>"$TMP/py"; then
    pass "diagnose --json: flash, boot, vectors, core, file and verdict"
else
    fail "diagnose --json" "$(cat "$TMP/py")"
fi

# diagnose changes nothing: the chip's whole state (flash, option bytes,
# SRAM, which the hash routine borrowed) is the same after it as after a
# run that does nothing; the core runs on where it was
state="$TMP/same.state"
"$FWSIM" --target STM32F103C8 --state "$state" --flash "$TMP/idle.hex" -- true
cp "$state" "$TMP/before.state"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" diagnose
if [ "$rc" -eq 0 ] && cmp -s "$state" "$TMP/before.state" && grep -q "running in thread mode at 0x08000008" "$TMP/out"; then
    pass "diagnose leaves the chip as it found it (state file byte for byte, SRAM included)"
else
    fail "diagnose leaves the chip as it found it" "$(cmp "$state" "$TMP/before.state" 2>&1)"
fi
run "$FWSIM" --target STM32F103C8 --state "$state" -- sh -c "\"$FWFLASH\" -q reset --halt; \"$FWFLASH\" diagnose"
if grep -q "^core:     halted; running in thread mode at 0x08000008" "$TMP/out" &&
    grep -q "verdict:  the core is halted" "$TMP/out"; then
    pass "diagnose leaves a halted core halted, and says how to run it"
else
    fail "diagnose leaves a halted core halted"
fi

# info: one line on what flash holds, from the same survey
run "$FWSIM" --target STM32L100RB -- "$FWFLASH" info
if [ "$rc" -eq 0 ] && grep -q "^flash:    blank: all 512 sectors read 0x00, the erased value on STM32L1" "$TMP/out"; then
    pass "fwflash info says the flash is blank, with the erased value"
else
    fail "fwflash info's flash line"
fi
