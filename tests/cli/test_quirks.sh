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
if [ "$rc" -eq 0 ] && [ "$(awk '{print $1}' "$TMP/out" | tr '\n' ' ')" = "vdd-unsensed nrst-unwired stale-reply stale-flags key-lockout wait-partial iwdg hw-iwdg " ]; then
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
slice "fwflash writes, verifies and boot-checks an L476RG under every quirk" PARTS=STM32L476RG CLIENTS=fwflash
slice "fwflash on an F407VG whose probe does not sense VDD (x16, as OpenOCD)" QUIRKS=vdd-unsensed PARTS=STM32F407VG CLIENTS=fwflash
slice "fwflash on an L100RB whose flash controller was locked out or left error flags" QUIRKS="key-lockout stale-flags" PARTS=STM32L100RB CLIENTS=fwflash
if have st-flash; then
    slice "st-flash 1.7.0 copes with a stale reply (its USB reset at open drops it)" QUIRKS=stale-reply PARTS=STM32F103C8 CLIENTS=st-flash
else
    skip "st-flash under a quirk" "stlink-tools is not installed"
fi
if have openocd; then
    slice "OpenOCD 0.12 copes with a locked-out controller (its reset init resets the chip)" QUIRKS=key-lockout PARTS=STM32L476RG CLIENTS=openocd
else
    skip "OpenOCD under a quirk" "openocd is not installed"
fi

# a RAM loader that never reaches its breakpoint, or faults: fwflash halts it
# within the run's deadline, says what the core is doing, and writes the
# rest through the debug port; the write is still verified and boots
# (on an L1 the erased vector table reads 0: the fault then locks the core up)
for spec in "loader-hang STM32L476RG blinky/blinky-stm32l476rg.elf" "loader-fault STM32L100RB stm32l100rb-blinky/blinky.elf" \
    "loader-fault STM32F103C8 blinky/blinky-stm32f103c8.elf"; do
    set -- $spec
    # a valid vector table on the chip, so that a fault reaches its handler (vector catch)
    state="$TMP/loader-$1-$2.state"
    "$BIN/fwsim" --target "$2" --state "$state" --flash "$ROOT/samples/$3" -- true
    run timeout 120 "$BIN/fwsim" --fault "$1" --target "$2" --state "$state" -- "$BIN/fwflash" --no-skip --check-boot \
        write "$ROOT/samples/$3"
    if [ "$rc" -eq 0 ] && grep -q "FLASH-LOADER" "$TMP/err" && grep -q "going on through the debug port" "$TMP/err" &&
        grep -q "^verified:" "$TMP/out" && grep -q "^boot:     the core runs" "$TMP/out"; then
        pass "fwsim --fault $1 on $2: fwflash says what the core did, writes through the debug port, verifies"
    else
        fail "fwsim --fault $1 on $2: fwflash falls back to the debug port"
    fi
done
grep "FLASH-LOADER" "$TMP/err" | grep -q "faulted: the core is in its HardFault" &&
    pass "a faulting loader is caught by the vector catch, its fault decoded" ||
    fail "a faulting loader is caught by the vector catch, its fault decoded"

# wait-partial where fwflash writes flash through the probe (its loaders off):
# the block resumes at the first access that did not land, so no unit is
# programmed twice (F1, L1 and L4 flash refuse that)
for spec in "STM32F103C8 blinky/blinky-stm32f103c8.elf" "STM32L476RG blinky/blinky-stm32l476rg.elf" \
    "STM32L100RB stm32l100rb-blinky/blinky.elf"; do
    set -- $spec
    state="$TMP/wait-$1.state"
    "$BIN/fwsim" --target "$1" --state "$state" --flash "$ROOT/samples/$2" -- true
    run timeout 120 "$BIN/fwsim" --quirk wait-partial --fault loader-fault --target "$1" --state "$state" -- \
        "$BIN/fwflash" -q --no-skip write "$ROOT/samples/$2"
    expect "wait-partial on $1: a write block resumes where the WAIT came, and verifies" 0
done
