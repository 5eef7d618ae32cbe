#!/bin/sh
# SPDX-License-Identifier: MIT
# The unsanitized release tools under valgrind: no invalid access, no
# uninitialised use, no leak, on good and bad inputs of every format.
. "$(dirname "$0")/lib.sh"
R="$ROOT/${RELEASE_BUILD:-build/release}"
if ! have valgrind || [ ! -x "$R/fwconv" ]; then
    skip "tools under valgrind" "valgrind or the release build missing"
    exit 0
fi
S=$ROOT/samples/stm32l100rb-blinky
printf ':020000040800F2\n:0400000001020304F0\n:00000001FF\n' > "$TMP/bad.hex"
gzip -c "$S/blinky.hex" > "$TMP/blinky.hex.gz"
vg() {
    name=$1
    shift
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$@" \
        > "$TMP/out" 2> "$TMP/err"
    rc=$?
    if [ $rc -eq 99 ] || grep -q '==[0-9]*==' "$TMP/err"; then fail "valgrind: $name"; else pass "valgrind: $name"; fi
}
vg "fwinfo on ELF, HEX, gzip" "$R/fwinfo" "$S/blinky.elf" "$S/blinky.hex" "$TMP/blinky.hex.gz"
vg "fwinfo --json on a raw binary" "$R/fwinfo" --json --base 0x08000000 "$S/blinky.bin"
vg "fwconv ELF to S-record" "$R/fwconv" "$S/blinky.elf" -o "$TMP/x.s19"
vg "fwconv S-record to binary with crop and offset" "$R/fwconv" "$TMP/x.s19" -o "$TMP/x.bin" --crop 0x08000000:0x08000100 --offset -0x08000000
vg "fwconv rejects a bad checksum" "$R/fwconv" "$TMP/bad.hex" -o "$TMP/y.bin"
vg "fwlint with a linker script, JSON" "$R/fwlint" -q --format json -t STM32L100RB --ld "$S/boot-alias/mem.ld" --usage "$S/boot-alias/blinky.hex"
vg "fwlint SARIF on ELF and HEX of one build" "$R/fwlint" -q --format sarif -t STM32L100RB "$S/blinky.elf" "$S/blinky.hex"
vg "fwmerge with a checksum and a split" "$R/fwmerge" -q "$S/blinky.hex" "$S/blinky.bin@0x08010000" --checksum crc32-mpeg2@0x08010200 --split 512 -o "$TMP/m.hex"
vg "fwcmp with fill" "$R/fwcmp" -q --fill 0xFF "$S/blinky.hex" "$S/blinky.bin@0x08000000"
vg "fwconv to UF2" "$R/fwconv" "$S/blinky.elf" -o "$TMP/x.uf2"
vg "fwconv to a C array" "$R/fwconv" "$S/blinky.elf" -o "$TMP/x.c"

# fwsim: the USB side, the models and the CPU emulator, with unmodified
# clients exec'd under it (the preload set beforehand, so fwsim does not
# re-execute itself; unicorn's generated code needs --smc-check)
if ldconfig -p 2>/dev/null | grep -q libumockdev-preload && have st-flash && [ -x "$R/fwsim" ]; then
    vg_sim() {
        name=$1
        shift
        LD_PRELOAD=libumockdev-preload.so.0 valgrind -q --error-exitcode=99 --smc-check=all-non-file --leak-check=full \
            --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
            --suppressions="$ROOT/tests/valgrind/fwsim.supp" "$R/fwsim" "$@" > "$TMP/out" 2> "$TMP/err"
        rc=$?
        if [ $rc -eq 99 ] || grep -q '==[0-9]*==' "$TMP/err"; then fail "valgrind: $name"; else pass "valgrind: $name"; fi
    }
    head -c 4096 "$S/blinky.bin" > "$TMP/4k.bin"
    vg_sim "fwsim serving st-info --probe" -- st-info --probe
    vg_sim "fwsim running st-flash's RAM loader on an F1" --target STM32F103C8 --stats "$TMP/s.json" \
        -- st-flash write "$TMP/4k.bin" 0x08000000
else
    skip "fwsim under valgrind" "umockdev, stlink-tools or the release fwsim missing"
fi

# fwflash under valgrind, as fwsim's client: libusb through the preload, the whole write
if ldconfig -p 2>/dev/null | grep -q libumockdev-preload && [ -x "$R/fwflash" ] && [ -x "$R/fwsim" ]; then
    "$R/fwsim" -- valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --suppressions="$ROOT/tests/valgrind/fwsim.supp" \
        "$R/fwflash" -q --check-boot write "$S/blinky.elf" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    if [ $rc -eq 0 ] && ! grep -q '==[0-9]*==' "$TMP/err"; then pass "valgrind: fwflash write under fwsim"; else fail "valgrind: fwflash write under fwsim"; fi
else
    skip "fwflash under valgrind" "umockdev or the release fwflash missing"
fi
