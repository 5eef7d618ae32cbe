#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo: the tools on the bundled samples.
BUILD=${BUILD:-build/release}
S=samples/stm32l100rb-blinky
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold='\033[1m' plain='\033[0m'; else bold='' plain=''; fi
say() { printf "\n${bold}\$ %s${plain}\n" "$*"; }
run() { say "$*"; "$@"; }

echo "fwkit demo: a blinky for the STM32L100RB, linked right and linked at the boot alias."
run "$BUILD/fwinfo" $S/blinky.elf
run "$BUILD/fwinfo" $S/boot-alias/blinky.hex
echo
echo "The second image sits at 0x00000000, the boot alias, not in flash at 0x08000000:"
echo "a programmer would report success and leave the chip blank. fwlint says so before flashing:"
run "$BUILD/fwlint" --target STM32L100RBT6 --ld $S/mem.ld $S/blinky.hex $S/blinky.elf
run "$BUILD/fwlint" --target STM32L100RBT6 --ld $S/boot-alias/mem.ld $S/boot-alias/blinky.hex
echo "exit status $? (1: errors found; make stops here when fwlint is a build step, see samples/fwlint.mk)"
run "$BUILD/fwconv" $S/blinky.elf -o "$OUT/blinky.srec"
run head -3 "$OUT/blinky.srec"
run "$BUILD/fwconv" $S/blinky.hex -o "$OUT/blinky.bin"
run "$BUILD/fwconv" --base 0x08000000 "$OUT/blinky.bin" -o "$OUT/again.hex" --record-bytes 32
run "$BUILD/fwinfo" "$OUT/again.hex"
echo
echo "A bootloader slot and an application, merged with a CRC-32 the bootloader can check,"
echo "then compared with the pieces:"
run "$BUILD/fwconv" $S/blinky.hex -o "$OUT/app.hex" --offset 0x4000
run "$BUILD/fwmerge" --target STM32L100RB $S/blinky.hex "$OUT/app.hex" --start-from 1 \
    --checksum crc32@0x0801FFFC:0x08000000-0x0801FFFC -o "$OUT/merged.hex"
run "$BUILD/fwcmp" "$OUT/merged.hex" $S/blinky.hex
printf ':020000040800F2\n:0400000001020304F0\n:00000001FF\n' > "$OUT/corrupt.hex"
say "$BUILD/fwconv corrupt.hex -o out.bin   # a record with a bad checksum"
"$BUILD/fwconv" "$OUT/corrupt.hex" -o "$OUT/out.bin"
echo "exit status $?; out.bin exists: $([ -e "$OUT/out.bin" ] && echo yes || echo no)"
echo
echo "fwflash programs only images that pass lint for the chip it finds. Here the chip is fwsim's:"
echo "an emulated ST-Link/V2 with an STM32L100RB behind it, on a fake USB bus (no hardware needed)."
run "$BUILD/fwsim" --state "$OUT/chip.state" --stats "$OUT/stats.json" -- \
    "$BUILD/fwflash" --check-boot write $S/blinky.elf
say "grep core stats.json    # what the emulated chip did after the reset"
grep '"core"' "$OUT/stats.json"
echo
echo "The image linked at the boot alias is refused before anything is erased:"
run "$BUILD/fwsim" --state "$OUT/chip.state" -- "$BUILD/fwflash" -q write $S/boot-alias/blinky.elf
echo "exit status $?; the chip still holds the good image:"
run "$BUILD/fwsim" --state "$OUT/chip.state" -- "$BUILD/fwflash" -q verify $S/blinky.elf && echo "verify: exit status 0"
