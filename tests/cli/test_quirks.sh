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
if [ "$rc" -eq 0 ] && [ "$(awk '{print $1}' "$TMP/out" | tr '\n' ' ')" = "vdd-unsensed nrst-unwired stale-reply stale-flags key-lockout " ]; then
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
