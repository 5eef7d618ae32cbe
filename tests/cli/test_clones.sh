#!/bin/sh
# SPDX-License-Identifier: MIT
# STM32 clones and compatibles under fwsim (libimage/target/clones.map):
# fwflash names each one and what tells it from ST's part, programs,
# verifies and boot-checks the F1 blinky where the controller is
# compatible, refuses the incompatible one before anything is erased; the
# peers as users run them (OpenOCD 0.12 with "set CPUTAPID 0", st-flash
# 1.7.0); --flash-size proves undocumented flash on the chip, and fwlint
# --flash-size judges it on paper.
. "$(dirname "$0")/lib.sh"
FWFLASH="$BIN/fwflash"
FWSIM="$BIN/fwsim"
FWLINT="$BIN/fwlint"
S="$ROOT/samples"

# on paper first: no USB needed
"$BIN/fwconv" -q -o "$TMP/bl.bin" "$S/blinky/blinky-stm32f103c8.elf"
# a 100 KiB image: the blinky, then data to 100 KiB (36 KiB past 64)
python3 -c "
import sys
b = bytearray(open('$TMP/bl.bin', 'rb').read())
b += bytes((i * 7 + 3) & 0xff for i in range(100 * 1024 - len(b)))
open('$TMP/big.bin', 'wb').write(b)
"
run "$FWLINT" -t STM32F103C8 "$TMP/big.bin"
expect "fwlint: a 100 KiB image is past the F103C8's 64 KiB" 1
run "$FWLINT" -t STM32F103C8 --flash-size 128K "$TMP/big.bin"
if [ "$rc" -eq 0 ] && grep -q "PLACE-UNDOCUMENTED-FLASH" "$TMP/out" && ! grep -q "PLACE-EXCEEDS-FLASH" "$TMP/out" &&
   grep -q "is in flash the STM32F103C8's datasheet does not promise: it promises 64 KiB" "$TMP/out"; then
    pass "fwlint --flash-size 128K: the same image fits, with a warning that the datasheet does not promise it"
else
    fail "fwlint --flash-size 128K" "$(head -3 "$TMP/out")"
fi
run "$FWLINT" -t STM32F103C8 --flash-size 100500 "$TMP/big.bin"
expect "fwlint --flash-size: a size that is not whole pages is a usage error" 2 "--flash-size 100500"

# the clones' own real files lint clean against their parts
if have_corpus; then
    for pp in "gd32f1_ GD32F103VC" "stm32f1clone_ CKS32F103C8"; do
        set -- $pp
        for f in "$CORPUS/$1"*; do
            run "$FWLINT" -t "$2" "$f"
            if [ "$rc" -eq 0 ] && grep -q "0 errors, 0 warnings" "$TMP/err"; then
                pass "corpus $(basename "$f") lints clean as a $2"
            else
                fail "corpus $(basename "$f") as $2" "$(tail -1 "$TMP/err")"
            fi
        done
    done
else
    skip "the clones' corpus files" "no corpus beside the tree"
fi

if ! ldconfig -p 2>/dev/null | grep -q libumockdev-preload; then
    skip "clones under fwsim" "libumockdev-preload.so.0 is not installed (make deps installs umockdev)"
    exit 0
fi

# each clone by name: PART, what the chip line says, the blinky it takes
CLONES="CKS32F103C8|a clone of the STM32F103C8 by China Key Systems (CKS): DP IDCODE 0x2BA01477 where ST's is 0x1BA01477|blinky-stm32f103c8.elf
GD32F103C8|a clone of the STM32F103C8 by GigaDevice: its ROM table names designer 0x751 (GigaDevice) where ST's names 0x020|blinky-stm32f103c8.elf
GD32F103VC|a clone of the STM32F103VC by GigaDevice: its ROM table names designer 0x751|blinky-stm32f103c8.elf
GD32F130C8|made by GigaDevice, not an STM32: its ROM table names designer 0x751 (GigaDevice)|blinky-gd32f130c8.elf
GD32F303CC|made by GigaDevice, not an STM32: its ROM table names designer 0x751 (GigaDevice)|blinky-stm32f103c8.elf
APM32F103C8|a clone of the STM32F103C8 by Geehy: DP IDCODE 0x2BA01477 where ST's is 0x1BA01477|blinky-stm32f103c8.elf
CH32F103C8|a clone of the STM32F103C8 by WCH (Nanjing Qinheng Microelectronics): DP IDCODE 0x2BA01477|blinky-stm32f103c8.elf
AT32F403ARC|made by Artery, not an STM32: its DBGMCU_IDCODE 0x70050241 names it|blinky-stm32f103c8.elf
AT32F415CB|made by Artery, not an STM32: its DBGMCU_IDCODE 0x700301C5 names it|blinky-stm32f103c8.elf"
echo "$CLONES" | while IFS='|' read -r part says sample; do
    run "$FWSIM" --target "$part" -- "$FWFLASH" info
    if [ "$rc" -eq 0 ] && grep -qF "chip:     $part ($says" "$TMP/out"; then
        pass "fwflash info names the $part: $says"
    else
        fail "fwflash info on the $part" "$(grep chip "$TMP/out")"
    fi
    run "$FWSIM" --target "$part" --stats "$TMP/stats.json" -- "$FWFLASH" --check-boot write "$S/blinky/$sample"
    if [ "$rc" -eq 0 ] && grep -q "driver:   programming with the STM32 F0/F1/F3 driver: the $part's" "$TMP/out" &&
       grep -q "^verified:" "$TMP/out" && grep -q "^boot:     the core runs the image" "$TMP/out" &&
       ! grep -q FLASH-LOADER "$TMP/err"; then
        pass "fwflash writes, verifies and boot-checks $sample on the $part, saying which driver and why it fits"
    else
        fail "fwflash write on the $part" "$(tail -3 "$TMP/out")"
    fi
done

# the flash memory a --state file keeps (fwsim's state.c: "memory BASE SIZE" and the bytes)
state_flash() {
    python3 -c "
import sys
b = open(sys.argv[1], 'rb').read()
i = b.index(b'memory 08000000 ')
j = b.index(b'\\n', i)
n = int(b[i:j].split()[2], 16)
sys.stdout.buffer.write(b[j + 1:j + 1 + n])" "$1"
}

# the AT32F435: its controller fits no driver of ours; refused before anything is erased
state="$TMP/at435.state"
run "$FWSIM" --target AT32F435CC --state "$state" --flash "$S/blinky/blinky-stm32f407vg.hex" -- true
state_flash "$state" > "$TMP/at435.before"
run "$FWSIM" --target AT32F435CC --state "$state" -- "$FWFLASH" write "$S/blinky/blinky-stm32f103c8.elf"
state_flash "$state" > "$TMP/at435.after"
if [ "$rc" -eq 1 ] && grep -q "fwkit will not program the AT32F435CC: its flash registers sit at 0x40023C00" "$TMP/err" &&
   grep -q "FLASH-CLONE-INCOMPATIBLE" "$TMP/err" && grep -q "nothing was erased" "$TMP/err" &&
   [ -s "$TMP/at435.before" ] && cmp -s "$TMP/at435.after" "$TMP/at435.before"; then
    pass "fwflash refuses the AT32F435CC before anything is erased, naming the difference; its flash is as it was"
else
    fail "fwflash on the AT32F435CC" "$(head -3 "$TMP/err")"
fi

run "$FWSIM" --target CKS32F103C8 -- "$FWFLASH" --json info
if [ "$rc" -eq 0 ] && python3 -c "
import json, sys
c = json.load(open('$TMP/out'))['chip']
assert c['maker'] == 'China Key Systems (CKS)' and c['clone_of'] == 'STM32F103C8', c
assert c['told_by'] == \"DP IDCODE 0x2BA01477 where ST's is 0x1BA01477\", c
"; then
    pass "fwflash --json info gives the clone's maker, the part it copies and what told it"
else
    fail "fwflash --json info on the CKS32F103C8"
fi

# --target naming ST's part where a clone answers
run "$FWSIM" --target CKS32F103C8 -- "$FWFLASH" --target STM32F103C8 info
expect "fwflash --target STM32F103C8 on a CKS32F103C8: an error saying what was found" 1 \
    "--target STM32F103C8, but the chip found is CKS32F103C8 (a clone of the STM32F103C8 by China Key Systems (CKS): DP IDCODE 0x2BA01477"
run "$FWSIM" --target CKS32F103C8 -- "$FWFLASH" --target CKS32F103C8 info
expect "fwflash --target CKS32F103C8 on a CKS32F103C8" 0

# undocumented flash: an F103C8 whose silicon has 128 KiB, its flash-size register 64
state="$TMP/c8.state"
run "$FWSIM" --target STM32F103C8 --flash-size 128K --state "$state" -- "$FWFLASH" -q --force --no-reset \
    --flash-size 128K write --base 0x0801FC00 "$TMP/bl.bin"
run "$FWSIM" --target STM32F103C8 --flash-size 128K --state "$state" -- "$FWFLASH" --flash-size 128K --check-boot \
    write "$TMP/big.bin"
if [ "$rc" -eq 0 ] &&
   grep -q "^flash:    128 KiB: the last page, at 0x0801fc00, took a test pattern and got its bytes back; the STM32F103C8's datasheet promises 64 KiB" "$TMP/out" &&
   grep -q "PLACE-UNDOCUMENTED-FLASH" "$TMP/err" && grep -q "^verified:" "$TMP/out"; then
    pass "fwflash --flash-size 128K writes a 100 KiB image on an F103C8 with 128 KiB, proving the last page first and saying the datasheet does not promise it"
else
    fail "fwflash --flash-size 128K on a 128 KiB F103C8" "$(tail -4 "$TMP/out")"
fi
run "$FWSIM" --target STM32F103C8 --flash-size 128K --state "$state" -- "$FWFLASH" --flash-size 128K read \
    -o "$TMP/last.bin" --range 0x0801FC00:0x400
if [ "$rc" -eq 0 ] && cmp -s -n "$(wc -c < "$TMP/bl.bin")" "$TMP/last.bin" "$TMP/bl.bin"; then
    pass "the check gave the last page its bytes back"
else
    fail "the last page after the --flash-size check" "exit $rc"
fi
run "$FWSIM" --target STM32F103C8 --flash-size 128K --state "$state" -- "$FWFLASH" --flash-size 128K verify "$TMP/big.bin"
expect "fwflash --flash-size 128K verify: the 100 KiB are there" 0
state="$TMP/c8small.state"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" --flash-size 128K write "$TMP/big.bin"
if [ "$rc" -eq 1 ] && grep -q "FLASH-SIZE-UNPROVEN" "$TMP/err" &&
   grep -q "the chip has the 64 KiB its datasheet promises" "$TMP/err" && ! grep -q "^written:" "$TMP/out"; then
    run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" read -o "$TMP/first.bin" --range 0x08000000:0x400
    python3 -c "import sys; sys.stdout.buffer.write(b'\\xff' * 1024)" > "$TMP/blank1k"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/first.bin" "$TMP/blank1k"; then
        pass "fwflash --flash-size 128K on an F103C8 with 64 KiB refuses after the check; nothing was written"
    else
        fail "the 64 KiB F103C8 after the refused write" "its first page is not blank"
    fi
else
    fail "fwflash --flash-size 128K on a 64 KiB F103C8" "$(head -3 "$TMP/err")"
fi

# the peers as users run them
if have openocd; then
    for part in CKS32F103C8 GD32F103C8; do
        run "$FWSIM" --target "$part" -- openocd -f interface/stlink.cfg -f target/stm32f1x.cfg \
            -c "program $S/blinky/blinky-stm32f103c8.elf verify reset exit"
        if [ "$rc" -ne 0 ] && grep -q "UNEXPECTED idcode: 0x2ba01477" "$TMP/err"; then
            pass "OpenOCD 0.12's stm32f1x.cfg stops at the $part's IDCODE (UNEXPECTED idcode: 0x2ba01477), as users report"
        else
            fail "OpenOCD without CPUTAPID on the $part" "exit $rc"
        fi
        run "$FWSIM" --target "$part" -- openocd -f interface/stlink.cfg -c "set CPUTAPID 0" -f target/stm32f1x.cfg \
            -c "program $S/blinky/blinky-stm32f103c8.elf verify reset exit"
        if [ "$rc" -eq 0 ] && grep -q "Verified OK" "$TMP/err"; then
            pass "OpenOCD 0.12 with 'set CPUTAPID 0' (the users' workaround) programs and verifies the $part"
        else
            fail "OpenOCD with CPUTAPID 0 on the $part" "exit $rc"
        fi
    done
else
    skip "OpenOCD on the clones" "openocd is not installed (make deps installs it)"
fi
if have st-flash; then
    # st-flash 1.7.0 (src/common.c stlink_load_device_params): the device id
    # in DBGMCU_IDCODE's low 12 bits picks its parameters; the F1-like
    # clones are taken for F1s and programmed, Artery's ids are unknown
    for part in CKS32F103C8 GD32F103C8 GD32F130C8 APM32F103C8 CH32F103C8 GD32F303CC; do
        run "$FWSIM" --target "$part" -- st-flash write "$TMP/bl.bin" 0x08000000
        if [ "$rc" -eq 0 ] && grep -q "jolly good" "$TMP/err"; then
            pass "st-flash 1.7.0 writes and verifies the blinky on the $part, taking it for an STM32F1"
        else
            fail "st-flash on the $part" "exit $rc"
        fi
    done
    for part in AT32F403ARC AT32F415CB; do
        run "$FWSIM" --target "$part" -- st-flash write "$TMP/bl.bin" 0x08000000
        if [ "$rc" -ne 0 ] && grep -q "unknown chip id!" "$TMP/err"; then
            pass "st-flash 1.7.0 stops at the $part: unknown chip id (Artery's whole-word IDCODE)"
        else
            fail "st-flash on the $part" "exit $rc"
        fi
    done
else
    skip "st-flash on the clones" "stlink-tools is not installed (make deps installs it)"
fi
