#!/bin/sh
# SPDX-License-Identifier: MIT
# fwcmp: equal across formats, agreement with srec_cmp, one flipped byte in 16 MiB.
. "$(dirname "$0")/lib.sh"
X=$BIN/fwcmp
S=$ROOT/samples/stm32l100rb-blinky
PY=/usr/bin/python3

run "$X" "$S/blinky.elf" "$S/blinky.hex"
expect "elf and hex of one build are equal" 0
run "$X" "$S/blinky.hex" "$S/blinky.bin@0x08000000"
expect "hex and bin@base are equal" 0
run "$X" "$S/blinky.hex" "$S/boot-alias/blinky.hex"
if [ "$rc" -eq 1 ] && grep -q "only in A  0x08000000-0x080001cb        460 bytes" "$TMP/out"; then
    pass "different placement: bytes only in A and only in B"
else
    fail "different placement: bytes only in A and only in B"
fi
run "$X" "$S/blinky.hex" "$S/blinky.bin"
expect "a bin without its base differs" 1

if have_corpus && have srec_cmp; then
    for pair in stm32f4_f446_kfuria_firmware.hex:stm32f4_f446_kfuria_firmware.srec \
                hcs08_s08i2c_project.abs.s19:hcs08_s08i2c_project.abs.s19 \
                srecord_t0191a_in.s19:srecord_t0191a_expected_i16hex.hex; do
        a=${pair%%:*} b=${pair#*:}
        fa=-intel; case $a in *.s19|*.srec) fa=-motorola;; esac
        fb=-intel; case $b in *.s19|*.srec) fb=-motorola;; esac
        srec_cmp "$CORPUS/$a" $fa "$CORPUS/$b" $fb > /dev/null 2>&1
        theirs=$?
        run "$X" -q "$CORPUS/$a" "$CORPUS/$b"
        if [ "$theirs" -eq 0 ] && [ "$rc" -eq 0 ]; then pass "agrees with srec_cmp: $a = $b"
        else fail "agrees with srec_cmp: $a = $b" "srec_cmp $theirs, fwcmp $rc"; fi
    done
    # the ELF of the same build, which srec_cmp cannot read
    run "$X" -q "$CORPUS/stm32f4_f446_kfuria_firmware.elf" "$CORPUS/stm32f4_f446_kfuria_firmware.srec"
    expect "elf equals the srec of its build" 0
    run "$X" -q "$CORPUS/stm32f4_f407_keil_template.axf" "$CORPUS/stm32f4_f407_keil_template.hex"
    expect "keil axf equals its hex" 0
fi

# one byte flipped somewhere in 16 MiB
$PY -c "
import random, sys
r = random.Random(2026)
b = bytearray(r.randbytes(16 << 20))
open(sys.argv[1], 'wb').write(b)
at = r.randrange(len(b)); b[at] ^= 0x10
open(sys.argv[2], 'wb').write(b)
print('0x%08x' % (0x08000000 + at))" "$TMP/big.bin" "$TMP/flip.bin" > "$TMP/at"
at=$(cat "$TMP/at")
run "$X" "$TMP/big.bin@0x08000000" "$TMP/flip.bin@0x08000000"
if [ "$rc" -eq 1 ] && grep -q "changed    $at-$at          1 byte" "$TMP/out"; then
    pass "finds the one flipped byte in 16 MiB ($at)"
else
    fail "finds the one flipped byte in 16 MiB ($at)"
fi
if have srec_cmp; then
    srec_cmp "$TMP/big.bin" -binary "$TMP/flip.bin" -binary > /dev/null 2>&1
    [ $? -ne 0 ] && pass "srec_cmp agrees the 16 MiB images differ" || fail "srec_cmp agrees the 16 MiB images differ"
fi
run "$X" --json --range 0x08000000-0x08000100 "$TMP/big.bin@0x08000000" "$TMP/flip.bin@0x08000000"
if $PY -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['equal'] in (True, False) and 'runs' in r" "$TMP/out"; then
    pass "--json and --range"
else
    fail "--json and --range"
fi
run "$X" "$S/blinky.hex"
expect "one file is a usage error" 2 "two images to compare"
