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

# --- what the corpus cannot give: TrustZone pairs, an H7, other toolchains' shapes
L=$BIN/fwlint
clean_lint() { # part, files...: exit 0 and nothing but notes
    part=$1
    shift
    run "$L" -t "$part" "$@"
    [ "$rc" -eq 0 ] && ! grep -q "warning:\|error:" "$TMP/out"
}
TZ=$ROOT/samples/trustzone
for p in stm32l552ze stm32u575zi; do
    P=$(echo "$p" | tr a-z A-Z)
    "$BIN/fwmerge" -q --start-from 1 "$TZ/$p-secure.hex" "$TZ/$p-nonsecure.hex" -o "$TMP/$p-pair.hex"
    if clean_lint "$P" "$TZ/$p-secure.elf" "$TZ/$p-secure.hex" && clean_lint "$P" "$TZ/$p-nonsecure.elf" "$TZ/$p-nonsecure.hex" &&
       grep -q "a non-secure image with its vector table" "$TMP/out" && clean_lint "$P" "$TMP/$p-pair.hex"; then
        pass "TrustZone $P: the secure image (-mcmse), its non-secure partner and their merge lint clean"
    else
        fail "TrustZone $P: the secure image (-mcmse), its non-secure partner and their merge lint clean"
    fi
done
if have arm-none-eabi-gcc; then
    cp -r "$TZ" "$TMP/tz"
    # the non-secure image linked in the secure alias
    sed 's/ORIGIN = 0x08040000, LENGTH = 256K/ORIGIN = 0x0C040000, LENGTH = 256K/' "$TZ/stm32l552ze-nonsecure.ld" > "$TMP/tz/stm32l552ze-nonsecure.ld"
    (cd "$TMP/tz" && make -s stm32l552ze-nonsecure.elf) > "$TMP/build.log" 2>&1
    run "$L" -t STM32L552ZE "$TMP/tz/stm32l552ze-nonsecure.elf"
    if [ "$rc" -eq 1 ] && grep -q "error: .*a non-secure image (it calls the secure entry secure_count at 0x0c03e001) has data at 0x0c040000 in the secure alias" "$TMP/out"; then
        pass "TrustZone: a non-secure image in the secure alias is PLACE-TZ"
    else
        fail "TrustZone: a non-secure image in the secure alias is PLACE-TZ" "$(cat "$TMP/build.log")"
    fi
    # veneers outside the linker script's NSC region: linked with NSC moved, checked against the script
    sed 's/NSC (rx)   : ORIGIN = 0x0C03E000/NSC (rx)   : ORIGIN = 0x0C030000/' "$TZ/stm32l552ze-secure.ld" > "$TMP/tz/stm32l552ze-secure.ld"
    (cd "$TMP/tz" && make -s NSC_stm32l552ze=0x0C030000 -B stm32l552ze-secure.elf) > "$TMP/build.log" 2>&1
    run "$L" -t STM32L552ZE --ld "$TZ/stm32l552ze-secure.ld" "$TMP/tz/stm32l552ze-secure.elf"
    if [ "$rc" -eq 1 ] && grep -q "lie outside the non-secure-callable region NSC (0x0c03e000-0x0c03ffff)" "$TMP/out"; then
        pass "TrustZone: veneers outside the NSC region are PLACE-TZ"
    else
        fail "TrustZone: veneers outside the NSC region are PLACE-TZ" "$(cat "$TMP/build.log")"
    fi
else
    skip "TrustZone: PLACE-TZ on relinked images" "arm-none-eabi-gcc not installed"
fi
H7=$ROOT/samples/h7-blinky
if clean_lint STM32H743ZI "$H7/blinky-stm32h743zi.elf" "$H7/blinky-stm32h743zi.hex" && ! grep -q "note:" "$TMP/out"; then
    pass "H7 blinky: lints without a finding (32-byte flash words, AXI SRAM stack)"
else
    fail "H7 blinky: lints without a finding (32-byte flash words, AXI SRAM stack)"
fi
# H745ZI: each core's image lints without a finding; the CM4's (its stack
# in D2 SRAM at 0x10000000, its own view) is told apart and sits where the
# CM4 boots from the factory, bank 2: not an application slot
if clean_lint STM32H745ZI "$H7/blinky-stm32h745zi_cm7.elf" "$H7/blinky-stm32h745zi_cm7.hex" && ! grep -q "note:" "$TMP/out" &&
   clean_lint STM32H745ZI "$H7/blinky-stm32h745zi_cm4.elf" "$H7/blinky-stm32h745zi_cm4.hex" && ! grep -q "note:" "$TMP/out"; then
    pass "H745 blinkies: the CM7's and the CM4's images lint without a finding (the CM4's at its boot address)"
else
    fail "H745 blinkies: the CM7's and the CM4's images lint without a finding"
fi
TS=$ROOT/samples/toolchain-shapes
if clean_lint STM32F103C8 "$TS/rust-style.elf" "$TS/rust-style.hex" && ! grep -q "note:" "$TMP/out"; then
    pass "Rust (cortex-m-rt) section layout: .vector_table, .uninit, .defmt lint without a finding"
else
    fail "Rust (cortex-m-rt) section layout: .vector_table, .uninit, .defmt lint without a finding"
fi
if clean_lint STM32F103C8 "$TS/zephyr-style.elf" "$TS/zephyr-style.hex" && ! grep -q "note:" "$TMP/out"; then
    pass "Zephyr section layout: rom_start, datas, noinit lint without a finding"
else
    fail "Zephyr section layout: rom_start, datas, noinit lint without a finding"
fi
for s in armlink iar; do
    ok=yes
    for f in "$TS/$s-style.elf" "$TS/$s-style.hex"; do
        clean_lint STM32F103C8 "$f" && grep -q "note: the start address 0x08000069 .* is not the reset vector 0x080000a9: .*by design" "$TMP/out" || ok=no
    done
    if [ "$ok" = yes ]; then pass "$s-style start address: a note, by design, in the ELF and the HEX"
    else fail "$s-style start address: a note, by design, in the ELF and the HEX"; fi
done
# every sample rebuilds to its committed bytes
if have arm-none-eabi-gcc; then
    cp -r "$ROOT/samples" "$TMP/re"
    for d in h7-blinky trustzone toolchain-shapes; do
        (cd "$TMP/re/$d" && make -s clean && make -s) > "$TMP/build.log" 2>&1
        same=yes
        for f in "$ROOT/samples/$d"/*.elf; do
            "$BIN/fwcmp" -q "$f" "$TMP/re/$d/${f##*/}" || same=no
        done
        if [ "$same" = yes ]; then pass "sample $d rebuilds to the committed bytes"
        else fail "sample $d rebuilds to the committed bytes" "$(cat "$TMP/build.log")"; fi
    done
fi
# hints in the image's own toolchain: the IAR-shaped ELF is IAR's by its
# __iar_program_start, the others GNU's by their .comment
run "$L" -t STM32F030F4 "$TS/iar-style.elf"
iar_ok=no
grep -q "hint: end the CSTACK block at the top of RAM in the .icf" "$TMP/out" && grep -q "hint: .*--cpu=cortex-m0" "$TMP/out" && iar_ok=yes
run "$L" -t STM32F030F4 "$TS/rust-style.elf"
if [ "$iar_ok" = yes ] && grep -q "hint: set _estack (or __StackTop) to the end of RAM" "$TMP/out" && grep -q "hint: .*-mcpu=cortex-m0" "$TMP/out"; then
    pass "hints speak the image's toolchain: the .icf and --cpu for IAR, _estack and -mcpu for GNU"
else
    fail "hints speak the image's toolchain: the .icf and --cpu for IAR, _estack and -mcpu for GNU"
fi
