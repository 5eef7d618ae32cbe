#!/bin/sh
# SPDX-License-Identifier: MIT
# make peer-matrix: the three third-party clients, unmodified, under fwsim
# on every part of the every-family issue's list: OpenOCD 0.12 (`program
# FILE verify reset exit` with its own target config), st-flash 1.7.0
# (write, then read back and compare) and pyOCD 0.13 (pyocd-flashtool with
# its own built-in target, then read back through fwflash). One line per
# run: pass, fail (with what the client said), or not supported, with the
# reason from the client's own files. Exit 1 when a supported run fails.
BUILD=${BUILD:-build/release}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B="$ROOT/$BUILD"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$B/fwconv" -q -o "$W/img.bin" "$ROOT/samples/blinky/blinky-stm32l476rg.elf" || exit 2
size=$(wc -c < "$W/img.bin")
OCD=/usr/share/openocd/scripts/target

# part, OpenOCD config (- none), pyOCD target (- none)
PARTS="STM32F030F4 stm32f0x -
STM32F103C8 stm32f1x -
STM32F303RE stm32f3x -
STM32F407VG stm32f4x -
STM32F429ZI stm32f4x -
STM32F446RE stm32f4x -
STM32F746ZG stm32f7x -
STM32L011K4 stm32l0 -
STM32L053R8 stm32l0 -
STM32L100RB stm32l1 -
STM32L432KC stm32l4x -
STM32L476RG stm32l4x -
STM32G031K8 stm32g0x -
STM32G071RB stm32g0x -
STM32G474RE stm32g4x -
STM32WB55RG stm32wbx -
STM32WL55JC stm32wlx -
STM32L552ZE stm32l5x -
STM32U575ZI stm32u5x -
STM32H743ZI stm32h7x -
STM32H723ZG stm32h7x -
STM32H7A3ZI stm32h7x -
STM32H745ZI stm32h7x_dual_bank -
STM32F051R8 stm32f0x stm32f051
STM32F103RC stm32f1x stm32f103rc
STM32F412ZG stm32f4x stm32f412xg
STM32F439ZI stm32f4x stm32f439xi
STM32L475VG stm32l4x stm32l475xg"

failed=0
line() { printf '%-12s %-9s %s\n' "$1" "$2" "$3"; }
readback() { # part state: fwflash reads back the image's range and compares
    "$B/fwsim" --target "$1" --state "$2" -- "$B/fwflash" -q read -o "$W/back.bin" --range "0x08000000:$size" > /dev/null 2>&1 &&
        cmp -s "$W/img.bin" "$W/back.bin"
}
echo "$PARTS" | while read -r part cfg pyt; do
    # OpenOCD
    if ! command -v openocd > /dev/null; then
        line "$part" openocd "not run: openocd is not installed"
    elif [ ! -f "$OCD/$cfg.cfg" ]; then
        line "$part" openocd "not supported: OpenOCD 0.12 ships no target/$cfg.cfg"
    else
        timeout 300 "$B/fwsim" --target "$part" -- openocd -f interface/stlink.cfg -f "target/$cfg.cfg" \
            -c "program $W/img.bin 0x08000000 verify reset exit" > "$W/o" 2>&1
        if grep -q "Verified OK" "$W/o"; then line "$part" openocd pass
        else line "$part" openocd "FAIL: $(grep -iE 'error|unexpected' "$W/o" | head -1)"; echo x >> "$W/failed"; fi
    fi
    # st-flash: what its chip table (chipid.c) knows
    rm -f "$W/s.state"
    if ! command -v st-flash > /dev/null; then
        line "$part" st-flash "not run: st-flash is not installed"
    else
        timeout 300 "$B/fwsim" --target "$part" --state "$W/s.state" -- st-flash write "$W/img.bin" 0x08000000 > "$W/s" 2>&1
        if grep -q "unknown chip id" "$W/s"; then
            line "$part" st-flash "not supported: st-flash 1.7.0's chip table lacks this device id ($(grep -o 'unknown chip id! 0x[0-9a-f]*' "$W/s" | head -1))"
        elif readback "$part" "$W/s.state"; then line "$part" st-flash pass
        else line "$part" st-flash "FAIL: $(grep -iE 'error|fail' "$W/s" | head -1)"; echo x >> "$W/failed"; fi
    fi
    # pyOCD: its built-in targets only
    rm -f "$W/p.state"
    if [ "$pyt" = - ]; then
        line "$part" pyocd "not supported: pyOCD 0.13 has no built-in target for it (pyOCD/target/__init__.py)"
    elif ! command -v pyocd-flashtool > /dev/null; then
        line "$part" pyocd "not run: pyocd-flashtool is not installed"
    else
        timeout 300 "$B/fwsim" --target "$part" --state "$W/p.state" -- pyocd-flashtool -t "$pyt" "$W/img.bin" > "$W/p" 2>&1
        if readback "$part" "$W/p.state"; then line "$part" pyocd pass
        else line "$part" pyocd "FAIL: $(grep -iE 'error|exception' "$W/p" | head -1)"; echo x >> "$W/failed"; fi
    fi
done
# the dual-core H745ZI through OpenOCD's stlink-dap (hla leaves DUAL_CORE
# off: stm32h7x.cfg), both cores' images in both banks
if command -v openocd > /dev/null; then
    "$B/fwmerge" -q --start-from 1 -o "$W/h745.hex" "$ROOT/samples/h7-blinky/blinky-stm32h745zi_cm7.elf" \
        "$ROOT/samples/h7-blinky/blinky-stm32h745zi_cm4.elf"
    timeout 300 "$B/fwsim" --target STM32H745ZI -- openocd -f interface/stlink-dap.cfg -c "set DUAL_CORE 1" \
        -f target/stm32h7x_dual_bank.cfg -c "program $W/h745.hex verify reset exit" > "$W/o" 2>&1
    if grep -q "Verified OK" "$W/o"; then line STM32H745ZI openocd "pass (stlink-dap, DUAL_CORE 1: both cores)"
    else line STM32H745ZI openocd "FAIL (stlink-dap, DUAL_CORE 1): $(grep -iE 'error' "$W/o" | head -1)"; echo x >> "$W/failed"; fi
fi
[ -f "$W/failed" ] && exit 1
exit 0
