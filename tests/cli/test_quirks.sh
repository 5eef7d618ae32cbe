#!/bin/sh
# SPDX-License-Identifier: MIT
# The fast slice of make quirk-matrix: fwflash under every fwsim quirk on an
# L476RG (and the unwired VDD pin on an F407VG, whose program size follows
# the supply), st-flash under a quirk it copes with, OpenOCD under one it
# copes with; --list-quirks names them all.
. "$(dirname "$0")/lib.sh"
touch "$TMP/out" "$TMP/err"
M="$ROOT/tests/e2e/quirk-matrix.sh"

run "$BIN/fwsim" --list-quirks
if [ "$rc" -eq 0 ] && [ "$(awk '{print $1}' "$TMP/out" | tr '\n' ' ')" = "vdd-unsensed nrst-unwired stale-reply stale-flags key-lockout wait-partial iwdg hw-iwdg dma slow-clock blank-l1 obl-drop swd-lost bank-option " ]; then
    pass "fwsim --list-quirks names each quirk on a line of its own"
else
    fail "fwsim --list-quirks names each quirk on a line of its own"
fi
run "$BIN/fwsim" --quirk kindness -- true
expect "fwsim --quirk with an unknown name is a usage error" 2 "no such quirk"

slice() {
    name=$1
    shift
    env "$@" BUILD="$BUILD" sh "$M" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    if [ "$rc" -eq 0 ]; then pass "$name"; else fail "$name" "$(grep -v ': pass' "$TMP/out" | head -3)"; fi
}
slice "fwflash writes, verifies and boot-checks an L476RG under every quirk" PARTS=STM32L476RG CLIENTS=fwflash BANK_PARTS=
slice "fwflash on an F407VG whose probe does not sense VDD (x16, as OpenOCD)" QUIRKS=vdd-unsensed PARTS=STM32F407VG CLIENTS=fwflash
slice "fwflash on an L100RB whose flash controller was locked out or left error flags" QUIRKS="key-lockout stale-flags" PARTS=STM32L100RB CLIENTS=fwflash
slice "fwflash on a blank L100RB (EPSR.T 0 from the reset vector)" QUIRKS=blank-l1 PARTS=STM32L100RB CLIENTS=fwflash

# bank-option: a G474RE whose DBANK is clear has one bank of 4 KiB pages;
# fwflash reads the bit, says so, and writes what starts bank 2 in dual-bank
# mode (its page 64, not bank 2's page 0)
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 24)' > "$TMP/bank.bin"
"$BIN/fwmerge" -q "$ROOT/samples/blinky/blinky-stm32g071rb.elf" "$TMP/bank.bin@0x08040000" -o "$TMP/bank.hex"
run timeout 120 "$BIN/fwsim" --quirk bank-option --target STM32G474RE -- "$BIN/fwflash" -t STM32G474RE --check-boot \
    write "$TMP/bank.hex"
if [ "$rc" -eq 0 ] && grep -q "FLASH-BANK-MODE" "$TMP/err" && grep -q "single-bank mode" "$TMP/err" &&
    grep -q "^verified:" "$TMP/out"; then
    pass "bank-option: fwflash reads DBANK before planning pages, says so, and writes and verifies"
else
    fail "bank-option: fwflash reads the bank mode before planning"
fi

# swd-lost: fwflash retries with NRST held and says why; with NRST unwired too
# it stops, naming the causes in order and the way out
L476="$ROOT/samples/blinky/blinky-stm32l476rg.elf"
run timeout 120 "$BIN/fwsim" --quirk swd-lost --target STM32L476RG -- "$BIN/fwflash" write "$L476"
expect "swd-lost: fwflash connects under reset by itself, and says so" 0 "the chip answered only with NRST held"
run timeout 120 "$BIN/fwsim" --quirk swd-lost --quirk nrst-unwired --target STM32L476RG -- "$BIN/fwflash" write "$L476"
if [ "$rc" -eq 1 ] && grep -q "neither normally nor with NRST held" "$TMP/err" &&
    tr '\n' ' ' < "$TMP/err" | grep -q "(1) no power.*(2) wiring.*NRST.*(3) firmware that turns the debug port off.*BOOT0 high.*(4) read protection level 2"; then
    pass "swd-lost with NRST unwired: the error names power, wiring, the firmware (BOOT0 high) and RDP 2, in order"
else
    fail "swd-lost with NRST unwired: the error names the causes in order"
fi
# the same firmware written back takes the port again after the reset: the
# boot cannot be seen, which is said, and the write still stands
"$BIN/fwsim" --target STM32L476RG --state "$TMP/swd.state" --flash "$L476" -- true
run timeout 120 "$BIN/fwsim" --quirk swd-lost --target STM32L476RG --state "$TMP/swd.state" -- "$BIN/fwflash" \
    --check-boot write "$L476"
expect "swd-lost: a boot check the image's own firmware hides is a warning, the write verified" 0 "FLASH-BOOT-UNSEEN"

# obl-drop: the option-byte reload of an unlock takes the link down; fwflash
# enters debug mode again and reads the level
run timeout 120 "$BIN/fwsim" --quirk obl-drop --rdp 1 --target STM32L476RG -- "$BIN/fwflash" unlock --yes-erase-everything
expect "obl-drop: fwflash enters debug mode again after the option-byte reload" 0 "PROBE-RELINK"

# after a write the chip runs free: C_DEBUGEN and the vector catches cleared,
# so a BKPT in the firmware is its own HardFault, not a halt nobody sees
python3 -c '
import struct
vectors = struct.pack("<IIII", 0x20001000, 0x08000011, 0, 0x08000015)
code = struct.pack("<HHHH", 0xBE00, 0xE7FE, 0xE7FE, 0xE7FE)  # bkpt; b . / the HardFault handler: b .
data = vectors + code
rec = lambda t,a,d: ":%02X%04X%02X%s%02X" % (len(d), a, t, d.hex().upper(), (-(len(d) + (a >> 8) + (a & 255) + t + sum(d))) & 255)
print(rec(4, 0, b"\x08\x00")); print(rec(0, 0, data)); print(":00000001FF")' > "$TMP/bkpt.hex"
run timeout 120 "$BIN/fwsim" --target STM32F103C8 --stats "$TMP/bkpt.json" -- "$BIN/fwflash" --force write "$TMP/bkpt.hex"
if [ "$rc" -eq 0 ] && grep -q '"exception": *3' "$TMP/bkpt.json" &&
    grep -q '"fault": *"BKPT at 0x08000010 with no debugger attached"' "$TMP/bkpt.json"; then
    pass "after a write the firmware's BKPT takes its HardFault: the debugger let go (C_DEBUGEN cleared)"
else
    fail "after a write the debugger lets go" "$(grep -o '"core".*' "$TMP/bkpt.json" 2>/dev/null)"
fi
