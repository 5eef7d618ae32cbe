#!/bin/sh
# SPDX-License-Identifier: MIT
# The committed sample outputs agree with each other, and with a fresh build
# where the cross compiler is installed.
. "$(dirname "$0")/lib.sh"
S=$ROOT/samples/stm32l100rb-blinky
F=$BIN/fwconv
I=$BIN/fwinfo

for v in "" boot-alias/; do
    base=0x08000000
    [ -n "$v" ] && base=0
    "$F" -q "$S/${v}blinky.elf" -o "$TMP/e.bin" && "$F" -q "$S/${v}blinky.hex" -o "$TMP/h.bin" &&
        "$F" -q --base $base "$S/${v}blinky.bin" -o "$TMP/b.hex" && "$F" -q "$TMP/b.hex" -o "$TMP/b.bin"
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$TMP/e.bin" "$TMP/h.bin" && cmp -s "$TMP/e.bin" "$TMP/b.bin"; then
        pass "sample ${v}blinky: .elf, .hex and .bin hold the same bytes"
    else
        fail "sample ${v}blinky: .elf, .hex and .bin hold the same bytes"
    fi
done
run "$I" "$S/blinky.elf"
if grep -q "vectors:   initial SP 0x20002800, reset handler 0x08000" "$TMP/out"; then
    pass "sample blinky: vector table at flash base, SP at the end of 10 KiB RAM"
else
    fail "sample blinky: vector table at flash base, SP at the end of 10 KiB RAM"
fi
run "$I" "$S/boot-alias/blinky.hex"
if grep -q "0x00000000-0x" "$TMP/out"; then pass "sample boot-alias/blinky: linked at 0x00000000"
else fail "sample boot-alias/blinky: linked at 0x00000000"; fi
if have arm-none-eabi-gcc; then
    cp -r "$S" "$TMP/rebuild"
    (cd "$TMP/rebuild" && make -s clean && make -s) > "$TMP/build.log" 2>&1
    "$F" -q "$TMP/rebuild/blinky.elf" -o "$TMP/new.bin"
    "$F" -q "$S/blinky.elf" -o "$TMP/old.bin"
    rc=$?
    if cmp -s "$TMP/new.bin" "$TMP/old.bin"; then pass "sample rebuilds to the committed bytes"
    else fail "sample rebuilds to the committed bytes" "$(cat "$TMP/build.log")"; fi
else
    skip "sample rebuilds to the committed bytes" "arm-none-eabi-gcc not installed"
fi
