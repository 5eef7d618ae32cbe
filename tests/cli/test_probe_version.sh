#!/bin/sh
# SPDX-License-Identifier: MIT
# Old ST-Link firmware (fwsim --probe-version): fwflash checks each version
# gate before it sends a command (OpenOCD's stlink_usb.c: target voltage J13,
# GETLASTRWSTATUS2 J15, SWD clock J22, JTAG clock J24, 16-bit access J26),
# takes the fallback the firmware leaves, or says which firmware it needs and
# how to update it. fwsim counts the commands a firmware lacks that it got.
. "$(dirname "$0")/lib.sh"
F103="$ROOT/samples/blinky/blinky-stm32f103c8.elf"
L476="$ROOT/samples/blinky/blinky-stm32l476rg.elf"

run "$BIN/fwsim" --probe-version V2X -- true
expect "fwsim --probe-version with a malformed version is a usage error" 2 "--probe-version 'V2X'"

unsupported() { grep -o '"unsupported_commands": *[0-9]*' "$TMP/stats.json" | grep -o '[0-9]*$'; }
gate() {
    name=$1 version=$2 said=$3
    shift 3
    run timeout 120 "$BIN/fwsim" --probe-version "$version" --target STM32F103C8 --stats "$TMP/stats.json" -- \
        "$BIN/fwflash" "$@" --check-boot write "$F103"
    if [ "$rc" -eq 0 ] && [ "$(unsupported)" = 0 ] && grep -q "^boot:     the core runs" "$TMP/out" &&
        { [ -z "$said" ] || grep -qF -- "$said" "$TMP/out" "$TMP/err"; }; then
        pass "$name"
    else
        fail "$name" "unsupported commands: $(unsupported); wanted: $said"
    fi
}
gate "V2J12S4 (no voltage command): not measured, not asked, the write goes on" V2J12S4 "target voltage not measured"
gate "V2J14S4 (no GETLASTRWSTATUS2): said, with its fallback" V2J14S4 "no address of a failed access (J15)"
gate "V2J21S4 (no SWD clock): the probe's own 1800 kHz, said" V2J21S4 "no SWD clock setting (J22): it runs at 1800 kHz"
gate "V2J23S4 over JTAG (no JTAG clock): its own 1125 kHz, said" V2J23S4 "no JTAG clock setting (J24)" --jtag
gate "V2J25S4 (no 16-bit access): the RAM loaders write the half-words" V2J25S4 "no 16-bit memory access (J26)"
gate "V2J37M26 (a V2-1): every command, no note" V2J37M26 ""
gate "V3J7: the V3 commands, every gate open" V3J7 ""
grep -q "PROBE-FIRMWARE" "$TMP/err" && fail "a current V3 gets no firmware note" || pass "a current V3 gets no firmware note"

# without GETLASTRWSTATUS2 a write block that met WAIT is read back to find
# where it stopped (the loaders off, flash written through the probe)
"$BIN/fwsim" --target STM32L476RG --state "$TMP/l4.state" --flash "$L476" -- true
run timeout 120 "$BIN/fwsim" --probe-version V2J14S4 --quirk wait-partial --fault loader-fault --target STM32L476RG \
    --state "$TMP/l4.state" --stats "$TMP/stats.json" -- "$BIN/fwflash" -q --no-skip write "$L476"
if [ "$rc" -eq 0 ] && [ "$(unsupported)" = 0 ] && ! grep -q '"GETLASTRWSTATUS2"' "$TMP/stats.json"; then
    pass "V2J14S4: a WAIT in a flash block resumes from what reads back, no unit programmed twice"
else
    fail "V2J14S4: a WAIT in a flash block resumes from what reads back"
fi

# where no fallback is left: an F1 written through the probe needs half-words
"$BIN/fwsim" --target STM32F103C8 --state "$TMP/f1.state" --flash "$F103" -- true
run timeout 120 "$BIN/fwsim" --probe-version V2J25S4 --fault loader-fault --target STM32F103C8 --state "$TMP/f1.state" \
    --stats "$TMP/stats.json" -- "$BIN/fwflash" -q --no-skip write "$F103"
if [ "$rc" -eq 1 ] && [ "$(unsupported)" = 0 ] && grep -q "update the ST-Link firmware to V2J26 or later" "$TMP/err" &&
    grep -q "STSW-LINK007" "$TMP/err"; then
    pass "V2J25S4 with the loaders failing on an F1: the firmware needed and how to update it"
else
    fail "V2J25S4 with the loaders failing on an F1: says which firmware is needed"
fi
