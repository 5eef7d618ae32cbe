#!/bin/sh
# SPDX-License-Identifier: MIT
# fwflash end to end, through real libusb under fwsim: every driver family,
# the lint gate, skip/preserve, connect modes, cross-checks with st-flash,
# and fault injection during a write.
. "$(dirname "$0")/lib.sh"
FWFLASH="$BIN/fwflash"
FWSIM="$BIN/fwsim"
S="$ROOT/samples"

run "$FWFLASH"
expect "fwflash: no command is a usage error" 2 "no command"
run "$FWFLASH" frobnicate
expect "fwflash: an unknown command is named" 2 "unknown command 'frobnicate'"
run "$FWFLASH" --connect sideways info
expect "fwflash: a bad connect mode is named" 2 "--connect 'sideways'"
run "$FWFLASH" write a.hex b.hex
expect "fwflash write: a second image is refused, not dropped" 2 "write: 'b.hex': one image only (fwmerge joins images into one)"
run "$FWFLASH" options BCM4=0
expect "fwflash options NAME=VALUE: refused, with the --set that does it" 2 "to change it: fwflash options --set BCM4=0"
run "$FWFLASH" info now
expect "fwflash info: an operand is refused" 2 "info: 'now': takes no operand"

if ! ldconfig -p 2>/dev/null | grep -q libumockdev-preload; then
    skip "fwflash under fwsim" "libumockdev-preload.so.0 is not installed (make deps installs umockdev)"
    exit 0
fi

run "$FWSIM" -- "$FWFLASH" info
if [ "$rc" -eq 0 ] && grep -q "STM32L100RB" "$TMP/out" && grep -q "device id 0x416" "$TMP/out" &&
    grep -q "erased flash reads 0x00" "$TMP/out" && grep -q "core:" "$TMP/out"; then
    pass "fwflash info names the part, its id, its erased value and the core's state"
else
    fail "fwflash info"
fi

run "$FWSIM" --target STM32F407VG --fault wrp@0x08004000 -- "$FWFLASH" info
if [ "$rc" -eq 0 ] && grep -q "options:  read protection level 0 (none: the debugger reads flash), write protection: sectors 1$" "$TMP/out"; then
    pass "fwflash info reads the option bytes: RDP level and the write-protected sectors, in words"
else
    fail "fwflash info option bytes"
fi

run "$FWSIM" --probe v2 --probe v3 -- "$FWFLASH" info
expect "fwflash with two probes and no --serial lists them" 1 "2 ST-Links found"

# the bench's own troubles, each with what to do
run "$FWSIM" --fault unpowered -- "$FWFLASH" info
expect "fwflash: an unpowered target is named with the voltage measured" 1 "the target is not powered: the probe measures 0.00 V"
run "$FWSIM" --fault no-target -- "$FWFLASH" info
expect "fwflash: nothing answering on SWD is named, with the wiring to check" 1 "no target answers on SWD"
run "$FWSIM" --probe v3-loader -- "$FWFLASH" info
expect "fwflash: a probe in its USB loader (DFU) is left alone, with what to do" 1 \
    "is in its USB loader (DFU) mode, not running its firmware"
run "$FWSIM" --probe v3-loader --probe v2 -- "$FWFLASH" probes
if [ "$rc" -eq 0 ] && grep -q "374d  in its USB loader (DFU)" "$TMP/out" && grep -q "3748  V2J" "$TMP/out"; then
    pass "fwflash probes lists a V2 and a V3 in its USB loader, each as it is"
else
    fail "fwflash probes with a DFU probe"
fi
run "$FWSIM" --fault claimed -- "$FWFLASH" info
expect "fwflash: a probe another program holds is named by its serial" 1 \
    "the ST-Link 46574B49543353494D000001 is in use by another program"

run "$FWSIM" --target STM32F103C8 -- "$FWFLASH" --target STM32L100RB info
expect "fwflash --target another part: an error naming both" 1 "--target STM32L100RB, but the chip found is STM32F103 (device id 0x410, 64 KiB flash)"

# one part of every driver family: write, boot, read back with the peer
echo "STM32L100RB stm32l100rb-blinky/blinky.elf
STM32F103C8 blinky/blinky-stm32f103c8.elf
STM32F407VG blinky/blinky-stm32f407vg.elf
STM32L476RG blinky/blinky-stm32l476rg.elf
STM32G071RB blinky/blinky-stm32g071rb.elf" | while read -r part sample; do
    state="$TMP/$part.state"
    "$BIN/fwconv" -q "$S/$sample" -o "$TMP/$part.bin" 2> /dev/null
    run "$FWSIM" --target "$part" --state "$state" --stats "$TMP/w.json" -- "$FWFLASH" write "$S/$sample"
    # our RAM loaders ran (a loader that fails leaves a FLASH-LOADER note and the debug port takes over)
    if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out" && grep -q '"steady_loop": true' "$TMP/w.json" &&
       ! grep -q "FLASH-LOADER" "$TMP/err"; then
        pass "fwflash write: $part written by our loaders, verified, and the sample boots to its main loop"
    else
        fail "fwflash write $part" "$(grep core "$TMP/w.json") $(grep FLASH-LOADER "$TMP/err")"
    fi
    size=$(wc -c < "$TMP/$part.bin")
    run "$FWSIM" --target "$part" --state "$state" -- st-flash read "$TMP/back.bin" 0x08000000 "$size"
    if cmp -s "$TMP/$part.bin" "$TMP/back.bin"; then
        pass "what fwflash wrote, st-flash reads back identically: $part"
    else
        fail "st-flash read after fwflash write: $part"
    fi
    run "$FWSIM" --target "$part" --state "$state" --stats "$TMP/s.json" -- "$FWFLASH" write "$S/$sample"
    if [ "$rc" -eq 0 ] && grep -q "nothing to do" "$TMP/out" && grep -q '"erases": 0, "programs": 0' "$TMP/s.json"; then
        pass "fwflash write again: every sector already matches, nothing is erased: $part"
    else
        fail "skip unchanged: $part" "$(grep flash "$TMP/s.json")"
    fi
done

# 8 KiB through our RAM loaders (F0/F1/F3 half-words, L0/L1 half-pages), read back by the peer
python3 -c 'import random,sys; r=random.Random(8); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(8192)))' > "$TMP/r8k.bin"
for part in STM32F103C8 STM32L100RB; do
    state="$TMP/loader-$part.state"
    run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" -q --force --no-reset --base 0x08000000 write "$TMP/r8k.bin"
    frc=$rc
    run "$FWSIM" --target "$part" --state "$state" -- st-flash read "$TMP/r8k.back" 0x08000000 8192
    if [ "$frc" -eq 0 ] && cmp -s "$TMP/r8k.bin" "$TMP/r8k.back"; then
        pass "fwflash writes 8 KiB through its RAM loader on $part; st-flash reads the same bytes"
    else
        fail "RAM loader write on $part" "fwflash exit $frc"
    fi
done

# second banks: DEADBEEF written at a bank 2 address lands there, and st-flash reads it back
# bank2 PART STATE HEX ADDR NAME
bank2() {
    run "$FWSIM" --target "$1" --state "$2" -- "$FWFLASH" -q --force --no-reset write "$3"
    wrc=$rc
    run "$FWSIM" --target "$1" --state "$2" -- st-flash read "$TMP/b2.bin" "$4" 8
    if [ "$wrc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/b2.bin" | tr -d ' ')" = "deadbeefffffffff" ]; then
        pass "fwflash writes the second bank of an $1 ($5); st-flash reads it back"
    else
        fail "$1 bank 2 write" "fwflash exit $wrc, read $(od -An -tx1 "$TMP/b2.bin")"
    fi
}
printf ':020000040808EA\n:04000000DEADBEEFC4\n:00000001FF\n' > "$TMP/bank2.hex"
state="$TMP/l4-banks.state"
run "$FWSIM" --target STM32L476RG --state "$state" -- "$FWFLASH" -q --force write "$S/blinky/blinky-stm32l476rg.elf"
bank2 STM32L476RG "$state" "$TMP/bank2.hex" 0x08080000 "BKER"
run "$FWSIM" --target STM32L476RG --state "$state" -- "$FWFLASH" -q read -o "$TMP/b1.bin" --range 0x08000000:16
if od -An -tx1 "$TMP/b1.bin" | tr -d ' \n' | grep -qv '^f*$'; then
    pass "erasing a page of bank 2 leaves bank 1 as it was"
else
    fail "bank 1 after a bank 2 write"
fi
run "$FWSIM" --target STM32L476RG --state "$state" --stats "$TMP/e.json" -- "$FWFLASH" -q erase --all
run2=$rc
run "$FWSIM" --target STM32L476RG --state "$state" -- st-flash read "$TMP/b2e.bin" 0x08080000 8
if [ "$run2" -eq 0 ] && [ "$(od -An -tx1 "$TMP/b2e.bin" | tr -d ' ')" = "ffffffffffffffff" ] &&
    grep -q '"erases": 1,' "$TMP/e.json"; then
    pass "fwflash erase --all on a dual-bank L4: one mass erase (MER1|MER2) empties both banks"
else
    fail "erase --all on two banks" "exit $run2: $(grep flash "$TMP/e.json")"
fi
printf ':020000040810E2\n:04000000DEADBEEFC4\n:00000001FF\n' > "$TMP/f4bank2.hex"
bank2 STM32F429ZI "$TMP/f429.state" "$TMP/f4bank2.hex" 0x08100000 "sector 12 as SNB 16"
# a dual-bank G0: bank 2's page erase and programming show as BSY2, which the driver waits for too
printf ':020000040804EE\n:04000000DEADBEEFC4\n:00000001FF\n' > "$TMP/g0bank2.hex"
state="$TMP/g0b1.state"
run "$FWSIM" --target STM32G0B1RE --state "$state" -- "$FWFLASH" -q --force --no-reset write "$TMP/g0bank2.hex"
wrc=$rc
run "$FWSIM" --target STM32G0B1RE --state "$state" -- "$FWFLASH" -q read -o "$TMP/g0b.bin" --range 0x08040000:8
if [ "$wrc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/g0b.bin" | tr -d ' \n')" = "deadbeefffffffff" ]; then
    pass "fwflash writes the second bank of an STM32G0B1RE (BKER, BSY2) and reads it back"
else
    fail "G0B1 bank 2" "write exit $wrc"
fi
# F1 XL: bank 2 has its own KEYR2, SR2, CR2 and AR2 at +0x40
state="$TMP/f1xl.state"
bank2 STM32F103ZG "$state" "$TMP/bank2.hex" 0x08080000 "KEYR2, CR2 and AR2 at +0x40"
/usr/bin/python3 -c "import random,sys; sys.stdout.buffer.write(random.Random(5).randbytes(4096))" > "$TMP/across.bin"
run "$FWSIM" --target STM32F103ZG --state "$state" -- "$FWFLASH" -q --force --no-reset write --base 0x0807F800 "$TMP/across.bin"
wrc=$rc
run "$FWSIM" --target STM32F103ZG --state "$state" -- st-flash read "$TMP/across.read" 0x0807F800 4096
if [ "$wrc" -eq 0 ] && cmp -s "$TMP/across.bin" "$TMP/across.read"; then
    pass "fwflash writes an image across both banks of an F103ZG; st-flash reads it back"
else
    fail "F103ZG write across the banks" "fwflash exit $wrc"
fi
run "$FWSIM" --target STM32F103ZG --state "$state" --stats "$TMP/e.json" -- "$FWFLASH" -q erase --all
run2=$rc
run "$FWSIM" --target STM32F103ZG --state "$state" -- "$FWFLASH" -q read -o "$TMP/xl.bin" --range 0x0807F800:4096
if [ "$run2" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$(od -An -tx1 -v "$TMP/xl.bin" | tr -d ' \n' | tr -d f)" = "" ] &&
    grep -q '"erases": 2,' "$TMP/e.json"; then
    pass "fwflash erase --all on an F103ZG: one mass erase per bank (CR.MER, CR2.MER) empties both"
else
    fail "erase --all on the F1 XL banks" "exit $run2: $(grep flash "$TMP/e.json")"
fi

# read protection: refused before anything is touched; unlock asks, then erases and opens the chip
echo "STM32L100RB stm32l100rb-blinky/blinky.elf 0x00
STM32F103C8 blinky/blinky-stm32f103c8.elf 0xFF
STM32F407VG blinky/blinky-stm32f407vg.elf 0xFF
STM32L476RG blinky/blinky-stm32l476rg.elf 0xFF
STM32G071RB blinky/blinky-stm32g071rb.elf 0xFF" | while read -r part sample erased; do
    state="$TMP/rdp-$part.state"
    rm -f "$state"
    run "$FWSIM" --target "$part" --state "$state" --rdp 1 --stats "$TMP/r.json" -- "$FWFLASH" write "$S/$sample"
    if [ "$rc" -eq 1 ] && grep -q "read-protected (RDP level 1).*\[FLASH-RDP\]" "$TMP/err" &&
        grep -q "fwflash unlock --yes-erase-everything" "$TMP/err" && grep -q '"erases": 0, "programs": 0' "$TMP/r.json"; then
        pass "fwflash write on a read-protected $part: refused before any erase, with the way out"
    else
        fail "write on RDP level 1: $part" "exit $rc"
    fi
    run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" unlock
    expect "fwflash unlock without --yes-erase-everything is refused: $part" 2 "say so with --yes-erase-everything"
    run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" --json unlock --yes-erase-everything
    if [ "$rc" -eq 0 ] && grep -q '"read_protection": 1, "unlocked": true' "$TMP/out"; then
        run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" write "$S/$sample"
        if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out"; then
            pass "fwflash unlock: $part from RDP level 1 to 0, erased to $erased and checked; then written and verified"
        else
            fail "write after unlock: $part" "exit $rc"
        fi
    else
        fail "fwflash unlock: $part" "exit $rc: $(cat "$TMP/out" "$TMP/err")"
    fi
done
run "$FWSIM" -- "$FWFLASH" unlock --yes-erase-everything
if [ "$rc" -eq 0 ] && grep -q "level 0 already: nothing to do, nothing erased" "$TMP/out"; then
    pass "fwflash unlock on an unprotected chip does nothing and says so"
else
    fail "unlock at level 0"
fi
if command -v openocd > /dev/null; then
    state="$TMP/rdp-openocd.state"
    run "$FWSIM" --target STM32F407VG --state "$state" --flash "$S/blinky/blinky-stm32f407vg.elf" -- openocd \
        -f interface/stlink.cfg -f target/stm32f4x.cfg -c "init; reset halt; stm32f2x lock 0; reset halt; exit"
    run "$FWSIM" --target STM32F407VG --state "$state" -- "$FWFLASH" info
    info_ok=$(grep -c "read protection level 1" "$TMP/out")
    run "$FWSIM" --target STM32F407VG --state "$state" -- "$FWFLASH" unlock --yes-erase-everything
    unlock_rc=$rc
    run "$FWSIM" --target STM32F407VG --state "$state" -- openocd -f interface/stlink.cfg -f target/stm32f4x.cfg \
        -c "init; reset halt; flash read_bank 0 $TMP/bank.bin 0 16; exit"
    if [ "$info_ok" -eq 1 ] && [ "$unlock_rc" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/bank.bin" | tr -d ' \n')" = "ffffffffffffffffffffffffffffffff" ]; then
        pass "what OpenOCD locked, fwflash reads as level 1 and unlocks; OpenOCD then reads the erased flash"
    else
        fail "OpenOCD lock, fwflash unlock" "info $info_ok, unlock $unlock_rc, openocd read $rc"
    fi
fi

# write protection that OpenOCD set in the option bytes: fwflash names it and
# refuses before erasing anything; once OpenOCD clears it, the write goes through
if command -v openocd > /dev/null; then
    for case in "STM32F103C8 stm32f1x 7 blinky-stm32f103c8 protection units 0, 1, 2, 3, 4, 5, 6, 7" \
                "STM32L476RG stm32l4x 3 blinky-stm32l476rg pages 0-3 (area A)"; do
        set -- $case
        part=$1 cfg=$2 last=$3 img="$S/blinky/$4.elf"
        shift 4
        words="$*"
        state="$TMP/wrp-$part.state"
        rm -f "$state"
        run "$FWSIM" --target "$part" --state "$state" -- openocd -f interface/stlink.cfg -f "target/$cfg.cfg" \
            -c "init; reset halt; flash protect 0 0 $last on; exit"
        run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" info
        info_ok=$(grep -cF "write protection: $words" "$TMP/out")
        run "$FWSIM" --target "$part" --state "$state" --stats "$TMP/wrp.json" -- "$FWFLASH" write "$img"
        if [ "$info_ok" -eq 1 ] && [ "$rc" -eq 1 ] && grep -q "is write-protected by the option bytes ($words).*nothing was erased or written \[FLASH-WRP\]" "$TMP/err" &&
           grep -q '"erases": 0, "programs": 0' "$TMP/wrp.json"; then
            pass "$part: write protection set by OpenOCD: fwflash info names it, write refuses before erasing"
        else
            fail "$part: write protection set by OpenOCD" "info $info_ok"
        fi
        run "$FWSIM" --target "$part" --state "$state" -- openocd -f interface/stlink.cfg -f "target/$cfg.cfg" \
            -c "init; reset halt; flash protect 0 0 $last off; exit"
        run "$FWSIM" --target "$part" --state "$state" -- "$FWFLASH" write "$img"
        if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out"; then
            pass "$part: with the protection cleared by OpenOCD, fwflash writes and verifies"
        else
            fail "$part: write after OpenOCD cleared the protection"
        fi
    done
fi

# read, verify, erase, and a wrong image
state="$TMP/l1.state"
run "$FWSIM" --state "$state" -- "$FWFLASH" -q write "$S/stm32l100rb-blinky/blinky.hex"
run "$FWSIM" --state "$state" -- "$FWFLASH" read -o "$TMP/read.hex" --range 0x08000000:460
if [ "$rc" -eq 0 ] && "$BIN/fwcmp" -q "$TMP/read.hex" "$S/stm32l100rb-blinky/blinky.hex"; then
    pass "fwflash read --range gives the image back, as Intel HEX"
else
    fail "fwflash read"
fi
run "$FWSIM" --state "$state" -- "$FWFLASH" verify "$S/stm32l100rb-blinky/blinky.hex"
expect "fwflash verify accepts the chip that holds the image" 0
"$BIN/fwconv" -q "$S/stm32l100rb-blinky/blinky.hex" --offset 4 -o "$TMP/shifted.hex" 2> /dev/null
run "$FWSIM" --state "$state" -- "$FWFLASH" verify "$TMP/shifted.hex"
expect "fwflash verify reports the differing ranges" 1 "FLASH-VERIFY"
grep "FLASH-VERIFY" "$TMP/err" > "$TMP/readback.txt"
run "$FWSIM" --state "$state" --stats "$TMP/v.json" -- "$FWFLASH" --verify-on-chip verify "$TMP/shifted.hex"
grep "FLASH-VERIFY" "$TMP/err" > "$TMP/onchip.txt"
if [ "$rc" -eq 1 ] && [ -s "$TMP/onchip.txt" ] && cmp -s "$TMP/readback.txt" "$TMP/onchip.txt"; then
    pass "fwflash --verify-on-chip: the core's hash differs, and the read-back names the same ranges"
else
    fail "--verify-on-chip on a mismatch" "$(diff "$TMP/readback.txt" "$TMP/onchip.txt")"
fi
# reading the image's two 256-byte pages back would bring 512 bytes in through the probe
run "$FWSIM" --state "$state" --stats "$TMP/v.json" -- "$FWFLASH" --verify-on-chip verify "$S/stm32l100rb-blinky/blinky.hex"
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["usb"]["bytes_in"] < 512, s["usb"]' "$TMP/v.json"; then
    pass "fwflash --verify-on-chip: a chip that holds the image is accepted without reading it through the probe"
else
    fail "--verify-on-chip on a match" "$(grep -A3 usb "$TMP/v.json")"
fi
run "$FWSIM" --state "$state" -- "$FWFLASH" erase --all
run "$FWSIM" --state "$state" -- "$FWFLASH" verify "$S/stm32l100rb-blinky/blinky.hex"
expect "after erase --all, verify says in words that the flash is blank (0x00 on L1)" 1 \
    "flash reads the erased value 0x00 over the whole image: nothing was written"

# --preserve keeps the rest of a touched sector; without it the rest is erased
printf ':020000040800F2\n:04010000DEADBEEFC3\n:00000001FF\n' > "$TMP/patch.hex"
state="$TMP/f1.state"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" -q write "$S/blinky/blinky-stm32f103c8.elf"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" -q --force --preserve --no-reset write "$TMP/patch.hex"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" -q read -o "$TMP/p.bin" --range 0x08000000:0x200
head -c 256 "$TMP/STM32F103C8.bin" > "$TMP/first256"
if head -c 256 "$TMP/p.bin" | cmp -s - "$TMP/first256" && od -An -tx1 -j256 -N4 "$TMP/p.bin" | grep -q "de ad be ef"; then
    pass "fwflash --preserve: the patch lands and the rest of the sector keeps its bytes"
else
    fail "--preserve"
fi
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" -q --force --no-reset write "$TMP/patch.hex"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" -q read -o "$TMP/q.bin" --range 0x08000000:4
if [ "$(od -An -tx1 "$TMP/q.bin" | tr -d ' ')" = "ffffffff" ]; then
    pass "fwflash without --preserve: the rest of a touched sector is erased"
else
    fail "without --preserve"
fi

# every probe kind: V2-1 and V3 (high speed, its own clock list) as well as V2
for kind in v2-1 v3; do
    run "$FWSIM" --probe "$kind" --target STM32F407VG -- "$FWFLASH" write "$S/blinky/blinky-stm32f407vg.elf"
    if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out" && grep -q "ST-Link V$([ $kind = v3 ] && echo 3 || echo 2)J" "$TMP/out"; then
        pass "fwflash write through an ST-Link/$kind"
    else
        fail "fwflash through $kind"
    fi
done

# connect modes and JTAG (which a Cortex-M0+ does not have)
for how in "--connect under-reset" "--connect hot-plug"; do
    run "$FWSIM" --target STM32G071RB -- "$FWFLASH" $how write "$S/blinky/blinky-stm32g071rb.elf"
    if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out"; then
        pass "fwflash $how write"
    else
        fail "fwflash $how write"
    fi
done
run "$FWSIM" --target STM32L476RG -- "$FWFLASH" --jtag write "$S/blinky/blinky-stm32l476rg.elf"
if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out"; then pass "fwflash --jtag write"; else fail "fwflash --jtag write"; fi
run "$FWSIM" --target STM32G071RB -- "$FWFLASH" --jtag write "$S/blinky/blinky-stm32g071rb.elf"
expect "fwflash --jtag on a Cortex-M0+ (no JTAG): nothing answers, and the hint says why" 1 "have no JTAG: use SWD"

# JTAG: the ST-Link lets the MEM-AP's address auto-increment, which wraps at
# its block (1 KiB, 4 KiB on Cortex-M3/M4); fwflash splits every block there.
# 20 000 bytes from 0x08000A00 cross many 1 KiB and 4 KiB boundaries, written
# (loaders, then a readback verify) and read back over JTAG, then compared
# with what SWD reads
python3 -c 'import random,sys; r=random.Random(9); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(20000)))' > "$TMP/j.bin"
for part in STM32F103C8 STM32F407VG; do
    lower=$(echo "$part" | tr 'A-Z' 'a-z')
    "$BIN/fwmerge" -q "$S/blinky/blinky-$lower.elf" "$TMP/j.bin@0x08000A00" -o "$TMP/j.hex"
    rm -f "$TMP/j.state"
    run "$FWSIM" --target "$part" --state "$TMP/j.state" -- "$FWFLASH" --jtag -q --verify-readback write "$TMP/j.hex"
    w=$rc
    run "$FWSIM" --target "$part" --state "$TMP/j.state" -- "$FWFLASH" --jtag -q read -o "$TMP/jtag.hex" --range 0x08000000:0x6000
    r=$rc
    run "$FWSIM" --target "$part" --state "$TMP/j.state" -- "$FWFLASH" -q read -o "$TMP/swd.hex" --range 0x08000000:0x6000
    if [ "$w" -eq 0 ] && [ "$r" -eq 0 ] && [ "$rc" -eq 0 ] && cmp -s "$TMP/jtag.hex" "$TMP/swd.hex" &&
        "$FWSIM" --target "$part" --state "$TMP/j.state" -- "$FWFLASH" -q verify "$TMP/j.hex"; then
        pass "fwflash --jtag write and read on $part across the auto-increment boundaries round-trip"
    else
        fail "fwflash --jtag write and read on $part round-trip" "write $w, read $r"
    fi
done
# the wrap is no harsher than silicon: OpenOCD 0.12 splits at the block itself
if have openocd; then
    "$BIN/fwmerge" -q "$S/blinky/blinky-stm32f103c8.elf" "$TMP/j.bin@0x08000A00" -o "$TMP/j.hex"
    run "$FWSIM" --target STM32F103C8 -- openocd -f interface/stlink.cfg -c "transport select hla_jtag" \
        -f target/stm32f1x.cfg -c "program $TMP/j.hex verify reset exit"
    if grep -q "Verified OK" "$TMP/out" "$TMP/err"; then
        pass "OpenOCD 0.12 over JTAG programs and verifies the same image (it splits at 4 KiB itself)"
    else
        fail "OpenOCD 0.12 over JTAG programs the image across the boundaries"
    fi
else
    skip "OpenOCD over JTAG" "openocd is not installed"
fi

# the founding mistake: refused before the chip is touched
state="$TMP/alias.state"
run "$FWSIM" --state "$state" -- "$FWFLASH" -q write "$S/stm32l100rb-blinky/blinky.elf"
run "$FWSIM" --state "$state" --stats "$TMP/a.json" -- "$FWFLASH" write "$S/stm32l100rb-blinky/boot-alias/blinky.elf"
refused=$rc
grep -q "PLACE-BOOT-ALIAS" "$TMP/err" && grep -q "nothing was written" "$TMP/err" && said=yes
run "$FWSIM" --state "$state" -- "$FWFLASH" -q verify "$S/stm32l100rb-blinky/blinky.elf"
if [ "$refused" -eq 1 ] && [ "${said:-}" = yes ] && grep -q '"erases": 0, "programs": 0' "$TMP/a.json" && [ "$rc" -eq 0 ]; then
    pass "the boot-alias sample is refused with PLACE-BOOT-ALIAS, and the chip is left exactly as it was"
else
    fail "boot-alias refusal"
fi

# read says when flash holds nothing: the erased value, 0x00 on L1, 0xFF elsewhere
run "$FWSIM" --target STM32L100RB --state "$TMP/blank-l1.state" -- "$FWFLASH" read -o "$TMP/l1.bin" --range 0x08000000:256
l1=$(grep -c "note: 0x08000000-0x080000ff reads 0x00 throughout: erased flash on STM32L1, nothing is programmed there (on this family erased flash reads 0x00, not 0xFF) \[FLASH-BLANK\]" "$TMP/err")
run "$FWSIM" --target STM32F103C8 --state "$TMP/blank-f1.state" -- "$FWFLASH" read -o "$TMP/f1.bin"
f1=$(grep -c "note: 0x08000000-0x0800ffff reads 0xff throughout: erased flash on STM32F1" "$TMP/err")
run "$FWSIM" --target STM32F103C8 --state "$TMP/blank-f1.state" -- "$FWFLASH" -q write "$S/blinky/blinky-stm32f103c8.elf"
run "$FWSIM" --target STM32F103C8 --state "$TMP/blank-f1.state" -- "$FWFLASH" read -o "$TMP/f1.bin"
if [ "$l1" -eq 1 ] && [ "$f1" -eq 1 ] && [ "$rc" -eq 0 ] && ! grep -q "FLASH-BLANK" "$TMP/err"; then
    pass "fwflash read says when flash reads its erased value throughout (0x00 on L1), and not once it holds data"
else
    fail "fwflash read says when flash reads its erased value throughout (0x00 on L1), and not once it holds data"
fi

# a raw binary whose own words contradict its --base is refused, with the base it was linked at
"$BIN/fwconv" -q "$S/blinky/blinky-stm32f103c8.elf" -o "$TMP/linked0.bin"
state="$TMP/base.state"
run "$FWSIM" --target STM32F103C8 --state "$state" --stats "$TMP/b.json" -- "$FWFLASH" write --base 0x08002000 "$TMP/linked0.bin"
if [ "$rc" -eq 1 ] && grep -q "error: this binary looks linked at 0x08000000, not at 0x08002000" "$TMP/err" &&
   grep -q "hint: pass --base 0x08000000" "$TMP/err" && grep -q '"erases": 0, "programs": 0' "$TMP/b.json"; then
    pass "fwflash refuses a raw binary its vector table places elsewhere, and names the base"
else
    fail "fwflash refuses a raw binary its vector table places elsewhere, and names the base"
fi

# H7 (RM0433): the blinky written, verified and booted; a binary in bank 2
# (its own KEYR, CR and SR at +0x100); the option bytes read
state="$TMP/h7.state"
run "$FWSIM" --target STM32H743ZI --state "$state" -- "$FWFLASH" --check-boot write "$S/h7-blinky/blinky-stm32h743zi.elf"
if [ "$rc" -eq 0 ] && grep -q "^verified: " "$TMP/out" && grep -q "^boot:     the core runs the image" "$TMP/out"; then
    pass "fwflash write: STM32H743ZI written, verified, and the sample boots (H7 driver)"
else
    fail "fwflash write on STM32H743ZI"
fi
"$BIN/fwconv" -q -o "$TMP/h7.bin" "$S/h7-blinky/blinky-stm32h743zi.elf"
run "$FWSIM" --target STM32H743ZI --state "$state" -- sh -c "\"$FWFLASH\" -q --force --base 0x08100000 write \"$TMP/h7.bin\" &&
    \"$FWFLASH\" --base 0x08100000 --verify-readback verify \"$TMP/h7.bin\" && \"$FWFLASH\" info"
if [ "$rc" -eq 0 ] && grep -q "^verified: " "$TMP/out" &&
   grep -q "options:  read protection level 0 (none: the debugger reads flash), write protection: bank 1: none; bank 2: none" "$TMP/out"; then
    pass "fwflash on STM32H743ZI: bank 2 written and verified, the option bytes read per bank"
else
    fail "fwflash on STM32H743ZI bank 2"
fi

# H7's two banks erase at the same time (ST's STM32H7 flash training: "two
# read/program/erase operations can be executed in parallel on the two
# banks"): an image with a sector in each bank is written in less modelled
# time than the two 1 s erases take one after the other
"$BIN/fwconv" -q --base 0x08100000 -o "$TMP/h7b2.hex" "$TMP/h7.bin"
"$BIN/fwmerge" -q -o "$TMP/h7both.hex" "$S/h7-blinky/blinky-stm32h743zi.elf" "$TMP/h7b2.hex"
run "$FWSIM" --target STM32H743ZI --stats "$TMP/h7both.json" -- "$FWFLASH" --check-boot write "$TMP/h7both.hex"
if [ "$rc" -eq 0 ] && grep -q "^written:  2 sectors erased" "$TMP/out" && grep -q "^boot:     the core runs the image" "$TMP/out" &&
   python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s["flash"]["erases"] == 2 and s["modeled_time_s"] < 2.0 <= s["flash"]["busy_s"] else 1)' "$TMP/h7both.json"; then
    pass "fwflash on STM32H743ZI: a sector in each bank erased side by side (modelled time under the two erases' 2 s)"
else
    fail "fwflash H7 banks side by side" "$(grep -E 'modeled|busy' "$TMP/h7both.json")"
fi

# An image larger than SRAM takes goes in batches: while a batch's sectors
# erase its bytes cross the wire to SRAM, then are programmed from there.
# 1 MiB on an H743ZI (eight 1 s sector erases, 512 KiB of AXI SRAM) through
# an ST-LINK/V2: the wire's 4 s hide inside the erases (in one batch, half
# of the image crossed after them: 11 s); then two sectors changed are all
# that is erased again; the progress lines only grow
python3 -c 'import random,sys; r=random.Random(1024); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(1 << 20)))' > "$TMP/h7big.bin"
run "$FWSIM" --target STM32H743ZI --state "$TMP/h7big.state" --stats "$TMP/h7big.json" -- env FWKIT_BOARD=lines \
    "$FWFLASH" --force --base 0x08000000 write "$TMP/h7big.bin"
if [ "$rc" -eq 0 ] && grep -q "^written:  8 sectors erased and programmed (1048576 bytes)" "$TMP/out" && grep -q "^verified: " "$TMP/out" &&
   awk '/^progress: (erase|program) / { split($4, n, "/"); if (n[1] + 0 < last[$2] + 0 || n[1] + 0 > n[2] + 0) bad = 1; last[$2] = n[1] }
        END { exit bad || last["program"] != 1048576 }' "$TMP/out" &&
   python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); f=s["flash"]; sys.exit(0 if f["erases"] == 8 and s["modeled_time_s"] < f["busy_s"] + 1.0 else 1)' "$TMP/h7big.json"; then
    python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[131072+5]^=255; b[6*131072+77]^=255; open(sys.argv[1],"wb").write(b)' "$TMP/h7big.bin"
    run "$FWSIM" --target STM32H743ZI --state "$TMP/h7big.state" -- "$FWFLASH" --force --base 0x08000000 write "$TMP/h7big.bin"
    if [ "$rc" -eq 0 ] && grep -q "^written:  2 sectors erased and programmed (262144 bytes), 6 already matched" "$TMP/out" &&
       grep -q "^verified: " "$TMP/out"; then
        pass "fwflash on STM32H743ZI: 1 MiB in batches of what SRAM takes, the wire busy while the sectors erase; a rewrite erases only the two changed"
    else
        fail "fwflash H743ZI rewrite of two sectors"
    fi
else
    fail "fwflash H743ZI 1 MiB in batches" "$(grep -E 'modeled|busy' "$TMP/h7big.json")"
fi

# H745ZI, two cores (RM0399: from the factory BCM4 lets the CM4 boot from
# BOOT_CM4_ADD0, bank 2): with the CM7's image alone the CM4 locks up on
# blank flash, which is said; with both images (fwmerge) both run; a CM4
# image that cannot start is an error; a probe too old to reach AP3 leaves
# the CM4 unchecked, said
H7=$S/h7-blinky
"$BIN/fwmerge" -q --start-from 1 -o "$TMP/h745.hex" "$H7/blinky-stm32h745zi_cm7.elf" "$H7/blinky-stm32h745zi_cm4.elf"
run "$FWSIM" --target STM32H745ZI --stats "$TMP/h745a.json" -- "$FWFLASH" --check-boot write "$H7/blinky-stm32h745zi_cm7.elf"
if [ "$rc" -eq 0 ] && grep -q "^chip:     STM32H745/747/755/757 " "$TMP/out" && grep -q "^boot:     the core runs the image" "$TMP/out" &&
   grep -q "warning: the Cortex-M4 boots from 0x08100000 .* it is locked up .*\[FLASH-BOOT-SECOND-CORE\]" "$TMP/err" &&
   python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); c=s["second_core"]; sys.exit(0 if c["fault"] and c["pc"] == "0xfffffffe" else 1)' "$TMP/h745a.json"; then
    pass "fwflash on STM32H745ZI: told from the H743 by its CM4's AP; the CM7's image alone boots, the CM4 locked up on blank bank 2 is said"
else
    fail "fwflash H745ZI CM7 image alone"
fi
run "$FWSIM" --target STM32H745ZI --state "$TMP/h745.state" --stats "$TMP/h745b.json" -- "$FWFLASH" --target STM32H745ZI --check-boot write "$TMP/h745.hex"
if [ "$rc" -eq 0 ] && grep -q "^written:  2 sectors erased" "$TMP/out" && grep -q "^boot:     the Cortex-M4 runs its image (PC 0x081" "$TMP/out" &&
   ! grep -q "FLASH-BOOT" "$TMP/err" &&
   python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); c=s["second_core"]; sys.exit(0 if c["state"] == "running" and c["pc"].startswith("0x081") else 1)' "$TMP/h745b.json"; then
    pass "fwflash on STM32H745ZI: both cores' images written, and each core runs its own"
else
    fail "fwflash H745ZI both cores"
fi
# the two images start as ST's dual-core templates do (samples/h7-blinky):
# the CM4 stops, and D2 with it (RCC_CR D2CKRDY falls), until the CM7
# frees hardware semaphore 0; then both blink: each image's blink count
# (its .bss word 'blinks', 0x24000004 and the CM4's 0x10000004, D2 SRAM
# 0x30000004) has moved. A CM7 that never saw D2 stop would sit in
# boot_failed, its count 0
run "$FWSIM" --target STM32H745ZI -- sh -c "'$FWFLASH' -q --check-boot write '$TMP/h745.hex' &&
    '$FWFLASH' -q read --range 0x24000004:4 -o '$TMP/b7.bin' && '$FWFLASH' -q read --range 0x30000004:4 -o '$TMP/b4.bin'"
if [ "$rc" -eq 0 ] && [ "$(od -An -tu4 "$TMP/b7.bin" | tr -d ' ')" -gt 0 ] && [ "$(od -An -tu4 "$TMP/b4.bin" | tr -d ' ')" -gt 0 ]; then
    pass "STM32H745ZI under fwsim: the CM4 stops until the CM7 frees HSEM 0 (D2CKRDY falls and rises), then both cores blink"
else
    fail "the H745ZI dual-core start" "exit $rc, blinks $(od -An -tu4 "$TMP/b7.bin" "$TMP/b4.bin" 2>&1 | tr -s ' \n' ' ')"
fi
run "$FWSIM" --target STM32H745ZI --state "$TMP/h745.state" -- "$FWFLASH" info
if [ "$rc" -eq 0 ] && grep -q "^core:     running" "$TMP/out" && grep -q "^core 2:   the Cortex-M4 (AP3): running" "$TMP/out"; then
    run "$FWSIM" --target STM32H745ZI -- "$FWFLASH" info
    if [ "$rc" -eq 0 ] && grep -q "^core:     locked up" "$TMP/out" && grep -q "^core 2:   the Cortex-M4 (AP3): locked up" "$TMP/out"; then
        pass "fwflash info on STM32H745ZI: each core's state, read without stopping it (running; locked up on blank flash)"
    else
        fail "fwflash info on a blank STM32H745ZI"
    fi
else
    fail "fwflash info on STM32H745ZI with both images"
fi
printf '\000\020\000\020\010\000\020\010\376\347' > "$TMP/cm4bad.bin" # SP 0x10001000, reset 0x08100008: even, not Thumb
"$BIN/fwconv" -q --base 0x08100000 -o "$TMP/cm4bad.hex" "$TMP/cm4bad.bin"
"$BIN/fwmerge" -q --start-from 1 -o "$TMP/h745bad.hex" "$H7/blinky-stm32h745zi_cm7.elf" "$TMP/cm4bad.hex"
run "$FWSIM" --target STM32H745ZI -- "$FWFLASH" --target STM32H745ZI --force --check-boot write "$TMP/h745bad.hex"
if [ "$rc" -eq 1 ] && grep -q "error: the Cortex-M4's image (vectors at 0x08100000) does not run: .*INVSTATE.*\[FLASH-BOOT\]" "$TMP/err"; then
    pass "fwflash on STM32H745ZI: a CM4 image whose reset vector is not Thumb fails the boot check, named"
else
    fail "fwflash H745ZI CM4 image that does not start"
fi
# the CM4's image alone, bank 1 blank: the CM7 locks up there, which is
# said, and the CM4's own image is what the boot check judges
run "$FWSIM" --target STM32H745ZI --stats "$TMP/h745d.json" -- "$FWFLASH" --check-boot write "$H7/blinky-stm32h745zi_cm4.elf"
if [ "$rc" -eq 0 ] && grep -q "^boot:     the Cortex-M4 runs its image" "$TMP/out" &&
   grep -q "warning: the Cortex-M7 boots from 0x08000000, where this image writes nothing: it is locked up .*\[FLASH-BOOT-MAIN-CORE\]" "$TMP/err" &&
   ! grep -q "error:" "$TMP/err" &&
   python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); c=s["second_core"]; sys.exit(0 if c["state"] == "running" else 1)' "$TMP/h745d.json"; then
    pass "fwflash on STM32H745ZI: the CM4's image alone boots; the CM7 locked up on blank bank 1 is said, not blamed on the image"
else
    fail "fwflash H745ZI CM4 image alone"
fi
run "$FWSIM" --target STM32H745ZI -- "$FWFLASH" --json --check-boot write "$H7/blinky-stm32h745zi_cm4.elf"
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); b=d["boot"]
sys.exit(0 if d["status"] == "ok" and b["runs"] and b["detail"].startswith("the main core has no image at its boot address") else 1)' "$TMP/out"; then
    pass "fwflash --json on STM32H745ZI with the CM4's image alone: boot runs, the blank main core in its detail"
else
    fail "fwflash --json H745ZI CM4 image alone" "exit $rc: $(head -c 300 "$TMP/out")"
fi
run "$FWSIM" --target STM32H745ZI -- "$FWFLASH" --target STM32H745ZI --force --check-boot write "$TMP/cm4bad.hex"
if [ "$rc" -eq 1 ] && grep -q "\[FLASH-BOOT-MAIN-CORE\]" "$TMP/err" &&
   grep -q "error: the Cortex-M4's image (vectors at 0x08100000) does not run: .*\[FLASH-BOOT\]" "$TMP/err"; then
    pass "fwflash on STM32H745ZI: a CM4 image alone that does not start fails the boot check as the CM4's"
else
    fail "fwflash H745ZI bad CM4 image alone"
fi
run "$FWSIM" --target STM32H745ZI --probe-version V2J29S7 -- "$FWFLASH" --check-boot write "$TMP/h745.hex"
if [ "$rc" -eq 0 ] && grep -q "^chip:     STM32H745/747/755/757 " "$TMP/out" &&
   grep -q "warning: the Cortex-M4's boot was not checked: .*V2J32 or later.*\[FLASH-BOOT-UNSEEN\]" "$TMP/err"; then
    pass "fwflash on STM32H745ZI through V2J29: the CM4 left unchecked, with the firmware it needs"
else
    fail "fwflash H745ZI old probe"
fi
# BCM4 cleared (RM0399 FLASH_OPTSR BCM4): after the reload the CM4 is held
# in reset, which info and the boot check say, and it does not run its image
run "$FWSIM" --target STM32H745ZI --flash "$TMP/h745.hex" --stats "$TMP/h745c.json" -- sh -c \
    "'$FWFLASH' options --set BCM4=0 && '$FWFLASH' info && '$FWFLASH' --check-boot write '$TMP/h745.hex'"
if [ "$rc" -eq 0 ] && grep -q "BCM4              1 -> 0  the Cortex-M4 at reset: booting -> held until the Cortex-M7 releases it" "$TMP/out" &&
   grep -q "^core 2:   the Cortex-M4 (AP3): held: its boot option bit is clear" "$TMP/out" &&
   grep -q "^boot:     the Cortex-M4 is held (its boot option bit is clear) until the main core's firmware releases it" "$TMP/out" &&
   python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); c=s["second_core"]; sys.exit(0 if c["state"] == "gated" else 1)' "$TMP/h745c.json"; then
    pass "fwflash on STM32H745ZI: options --set BCM4=0 holds the CM4; info and the boot check say so"
else
    fail "fwflash H745ZI BCM4 cleared"
fi

# U0 (RM0503): identified (its DP IDCODE and flash-size register from the
# target data) and written through the G0 registers it shares
"$BIN/fwconv" -q -o "$TMP/g0.bin" "$S/blinky/blinky-stm32g071rb.elf"
state="$TMP/u0.state"
run "$FWSIM" --target STM32U083RC --state "$state" -- "$FWFLASH" --base 0x08000000 write "$TMP/g0.bin"
if [ "$rc" -eq 0 ] && grep -q "^chip:     STM32U073/083 (STM32U0), device id 0x489 rev 0x1000, 256 KiB flash" "$TMP/out" &&
   grep -q "^verified: " "$TMP/out"; then
    pass "fwflash on STM32U083RC: identified, written and verified"
else
    fail "fwflash on STM32U083RC"
fi

# L5, U5 and WBA (RM0438, RM0456, RM0493), H5 (RM0481), C0 (RM0490) and U0
# (RM0503): the blinky written with the right erase unit (L5 2 KiB pages in
# its factory dual-bank mode, U5, WBA and H5 8 KiB, C0 and U0 2 KiB),
# verified and booted; with TrustZone on (TZEN=1), the build linked at the
# secure aliases, written through the secure registers and booted from
# SECBOOTADD0; an image for the other alias than the chip's is told
echo "STM32L552ZE blinky-stm32l552ze - 2048
STM32L552ZE blinky-stm32l552ze_secure TZEN=1 2048
STM32U575ZI blinky-stm32u575zi - 8192
STM32U575ZI blinky-stm32u575zi_secure TZEN=1 8192
STM32WBA52CG blinky-stm32wba52cg - 8192
STM32WBA52CG blinky-stm32wba52cg_secure TZEN=1 8192
STM32H563ZI blinky-stm32h563zi - 8192
STM32H563ZI blinky-stm32h563zi_secure TZEN=1 8192
STM32C071RB blinky-stm32c071rb - 2048
STM32U083RC blinky-stm32u083rc - 2048" | while read -r part sample tz unit; do
    set -- --target "$part"
    [ "$tz" = - ] || set -- "$@" --boot-option "$tz"
    run "$FWSIM" "$@" --stats "$TMP/tz.json" -- "$FWFLASH" --check-boot write "$S/blinky/$sample.elf"
    secure=no
    grep -q "TrustZone is on (TZEN=[0-9xB]*): flash is written and read at its secure alias 0x0c000000" "$TMP/err" &&
        secure=yes
    label="$part"
    [ "$tz" = - ] || label="$part with $tz"
    if [ "$rc" -eq 0 ] && grep -q "^verified: " "$TMP/out" && grep -q "^boot:     the core runs the image" "$TMP/out" &&
       grep -q '"erases": 1,' "$TMP/tz.json" && [ "$secure" = "$([ "$tz" = - ] && echo no || echo yes)" ] &&
       grep -q "^written:  1 sector erased and programmed" "$TMP/out" && ! grep -q "FLASH-LOADER" "$TMP/err"; then
        pass "fwflash write: $label, $sample written, verified, and it boots"
    else
        fail "fwflash write on $label, $sample" "exit $rc, secure view $secure: $(grep FLASH-LOADER "$TMP/err")"
    fi
    # the erase unit: 8 KiB at the non-secure address is 8192/unit pages, whatever the view
    run "$FWSIM" "$@" --stats "$TMP/tz.json" -- "$FWFLASH" erase 0x08000000:8192
    if [ "$rc" -eq 0 ] && grep -q "\"erases\": $((8192 / unit))," "$TMP/tz.json"; then
        pass "fwflash erase on $label: 8 KiB take $((8192 / unit)) page erases ($unit-byte pages)"
    else
        fail "fwflash erase on $label" "exit $rc: $(grep '"flash"' "$TMP/tz.json")"
    fi
done
# TrustZone on: a non-secure read of a secure page reads zeros (the GTZC's
# RAZ), so OpenOCD's mdw at 0x08000000 sees zeros and at 0x0C000000 the
# vectors; fwflash read of either alias reads the same bytes, through the
# secure alias it works at
if have openocd; then
    run "$FWSIM" --target STM32U575ZI --boot-option TZEN=1 -- sh -c "'$FWFLASH' -q write '$S/blinky/blinky-stm32u575zi_secure.elf' &&
        '$FWFLASH' -q read --range 0x08000000:16 -o '$TMP/ns.bin' && '$FWFLASH' -q read --range 0x0C000000:16 -o '$TMP/s.bin' &&
        openocd -f interface/stlink.cfg -f target/stm32u5x.cfg -c init -c 'mdw 0x08000000 2' -c 'mdw 0x0C000000 2' -c shutdown"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/ns.bin" "$TMP/s.bin" && ! cmp -s "$TMP/s.bin" /dev/zero 2>/dev/null &&
       [ "$(od -An -tx4 -N4 "$TMP/s.bin" | tr -d ' ')" = 30030000 ] &&
       grep -q "0x08000000: 00000000 00000000" "$TMP/out" "$TMP/err" && grep -q "0x0c000000: 30030000 0c000179" "$TMP/out" "$TMP/err"; then
        pass "TrustZone on: a non-secure read of a secure page is zeros (OpenOCD's mdw); fwflash reads either alias alike"
    else
        fail "TrustZone non-secure reads" "exit $rc: $(grep -h '^0x0' "$TMP/out" "$TMP/err")"
    fi
fi
# real CubeIDE H7 projects under fwsim: ST's start-up waits for PWR_CSR1
# ACTVOSRDY (ExitRun0Mode), SystemClock_Config for VOSRDY, the oscillators'
# and PLLs' ready flags and SWS, and reads FLASH_ACR's LATENCY back; the
# dual-core HAL clears its event with SEV then WFE. Each image gets past
# all of it into its own code (on silicon it does)
if have_corpus && have arm-none-eabi-addr2line; then
    for pc in "STM32H743ZI stm32h7_h743_earthpedal_firmware.elf" "STM32H723ZG stm32h7_h723_habseds_firmware.elf"; do
        set -- $pc
        run "$FWSIM" --target "$1" --stats "$TMP/cube.json" -- "$FWFLASH" -q --force --check-boot write "$CORPUS/$2"
        at=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["core"]["pc"])' "$TMP/cube.json")
        fn=$(arm-none-eabi-addr2line -f -e "$CORPUS/$2" "$at" | head -1)
        case "$fn" in
        ExitRun0Mode | SystemInit | SystemClock_Config | Error_Handler | HardFault_Handler | "??") ok=no ;;
        *) ok=yes ;;
        esac
        if [ "$rc" -eq 0 ] && [ "$ok" = yes ]; then
            pass "fwsim runs the CubeIDE project $2 past ST's start-up and clock set-up (at $fn)"
        else
            fail "the CubeIDE project $2 under fwsim" "exit $rc, at $at ($fn)"
        fi
    done
    # ST's dual-core template (an STM32H747I-DISCO CubeIDE project): the
    # CM7 waits for the CM4 to stop D2 (RCC_CR D2CKRDY), wakes it through
    # HSEM 0 and waits for D2 again, or ends in Error_Handler; both images
    # get past it with no debugger halting them (fwsim --flash; fwflash info
    # reads the cores without stopping them)
    "$BIN/fwmerge" -q --start-from 1 -o "$TMP/h747.hex" "$CORPUS/stm32h7_h747_krp_blank_cm7.elf" \
        "$CORPUS/stm32h7_h747_krp_blank_cm4.elf"
    run "$FWSIM" --target STM32H747XI --flash "$TMP/h747.hex" --stats "$TMP/h747.json" -- "$FWFLASH" info
    set -- $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["core"]["pc"], s["second_core"]["pc"])' "$TMP/h747.json")
    fn7=$(arm-none-eabi-addr2line -f -e "$CORPUS/stm32h7_h747_krp_blank_cm7.elf" "$1" | head -1)
    fn4=$(arm-none-eabi-addr2line -f -e "$CORPUS/stm32h7_h747_krp_blank_cm4.elf" "$2" | head -1)
    if [ "$rc" -eq 0 ] && case "$fn7" in main | HAL_Delay | HAL_GetTick) true ;; *) false ;; esac && [ "$fn4" = main ]; then
        pass "fwsim runs ST's dual-core start-up of a CubeIDE H747 project: the CM7 past the D2 handshake ($fn7), the CM4 in main"
    else
        fail "ST's dual-core start-up under fwsim" "exit $rc, CM7 at $1 ($fn7), CM4 at $2 ($fn4)"
    fi
    # the CM7's image alone: the CM4 locks up on blank bank 2, never stops
    # D2, and ST's CM7 ends in Error_Handler, which the boot check names
    run "$FWSIM" --target STM32H747XI -- "$FWFLASH" --check-boot write "$CORPUS/stm32h7_h747_krp_blank_cm7.elf"
    if [ "$rc" -eq 0 ] && grep -q "^boot:     the core runs the image (PC 0x080[0-9a-f]*, thread mode, in Error_Handler)" "$TMP/out" &&
       grep -q "warning: the core runs, but in Error_Handler: STM32CubeMX's error path: .*\[FLASH-BOOT-ERROR-PATH\]" "$TMP/err" &&
       grep -q "FLASH-BOOT-SECOND-CORE" "$TMP/err"; then
        pass "fwflash --check-boot: a CM7 image alone on an H747 ends in Error_Handler, named from its symbols, with the blank CM4"
    else
        fail "fwflash --check-boot naming Error_Handler" "exit $rc: $(grep -h 'boot' "$TMP/out" "$TMP/err" | head -3)"
    fi
    run "$FWSIM" --target STM32H747XI --flash "$CORPUS/stm32h7_h747_krp_blank_cm7.elf" -- "$FWFLASH" diagnose \
        "$CORPUS/stm32h7_h747_krp_blank_cm7.elf"
    if [ "$rc" -eq 1 ] && grep -q "^core:     .*, in Error_Handler (BANK_1, flash)" "$TMP/out" &&
       grep -q "^verdict:  the chip holds .* and boots it, but the core sits in Error_Handler: STM32CubeMX's error path" "$TMP/out" &&
       grep -q "^  way out: run it under a debugger with a breakpoint on Error_Handler" "$TMP/out"; then
        pass "fwflash diagnose FILE: the core in the file's Error_Handler is the verdict, with the way out"
    else
        fail "fwflash diagnose naming Error_Handler" "exit $rc: $(grep -E '^(core|verdict)' "$TMP/out")"
    fi
else
    skip "CubeIDE H7 projects under fwsim" "no corpus beside the tree, or no arm-none-eabi-addr2line"
fi
# an H5 in product state Closed or Locked: the SW-DP answers, its access
# port refuses everything; said so, nothing written, and the blinky still
# runs (the firmware is not touched by the closed debug port)
for ps in Closed Locked; do
    run "$FWSIM" --target STM32H563ZI --flash "$S/blinky/blinky-stm32h563zi.elf" --boot-option PRODUCT_STATE=$ps \
        --stats "$TMP/h5c.json" -- "$FWFLASH" write "$S/blinky/blinky-stm32h563zi.elf"
    if [ "$rc" -eq 1 ] && grep -q '"programs": 0,' "$TMP/h5c.json" && grep -q '"erases": 0,' "$TMP/h5c.json" &&
       grep -q "error: the chip answers on SWD (DP IDCODE 0x[0-9A-F]*) but its access port refuses every access, its own ID register too: .*product state Closed or Locked.*\[PROBE-DEBUG-CLOSED\]" "$TMP/err" &&
       grep -q "hint: a Closed STM32H5 opens again through ST's debug authentication" "$TMP/err" &&
       python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["core"]; sys.exit(0 if c["state"] == "running" and not c["fault"] else 1)' "$TMP/h5c.json"; then
        pass "fwflash on an STM32H563ZI in product state $ps: the closed debug port said, with the way out; nothing touched"
    else
        fail "fwflash on a $ps STM32H563ZI" "exit $rc: $(head -c 300 "$TMP/err")"
    fi
done
run "$FWSIM" --target STM32U575ZI -- "$FWFLASH" write "$S/blinky/blinky-stm32u575zi_secure.elf"
if grep -q "warning: the image is linked at 0x0c000000, flash's secure alias (BANK_1_S), but TrustZone is off" "$TMP/err"; then
    pass "fwflash warns of an image linked at the secure alias on a chip with TrustZone off"
else
    fail "fwflash on a secure image with TZEN=0" "exit $rc"
fi
# the RAM routines at the target data's loader-clock (MSI 24 MHz, wait
# states first): the core is at it when the write leaves it halted, and
# at its reset clock after the write's reset; none on an F407 (an 8 KiB
# image on the WB55RG, which has no sample of its own)
for pc in "STM32U575ZI blinky-stm32u575zi - 24000 4000" "STM32U575ZI blinky-stm32u575zi_secure TZEN=1 24000 4000" \
          "STM32L476RG blinky-stm32l476rg - 24000 4000" "STM32WB55RG - - 24000 4000" \
          "STM32F407VG blinky-stm32f407vg - 16000 16000"; do
    set -- $pc
    part=$1 sample=$2 tz=$3 khz=$4 reset_khz=$5
    if [ "$sample" = - ]; then
        image="--force --base 0x08000000 write $TMP/r8k.bin"
    else
        image="write $S/blinky/$sample.elf"
    fi
    label="$part"
    [ "$tz" = - ] || label="$part with $tz"
    set -- --target "$part"
    [ "$tz" = - ] || set -- "$@" --boot-option "$tz"
    # shellcheck disable=SC2086 # the image's words
    run "$FWSIM" "$@" --stats "$TMP/clk.json" -- "$FWFLASH" --no-reset $image
    halted=$(grep -c "\"clock_khz\": $khz," "$TMP/clk.json")
    # shellcheck disable=SC2086
    run "$FWSIM" "$@" --stats "$TMP/clk2.json" -- "$FWFLASH" $image
    if [ "$rc" -eq 0 ] && [ "$halted" = 1 ] && grep -q "^verified: " "$TMP/out" && ! grep -q "FLASH-LOADER" "$TMP/err" &&
       grep -q "\"clock_khz\": $reset_khz," "$TMP/clk2.json"; then
        pass "fwflash write on $label: the RAM routines at $khz kHz, $reset_khz kHz again after the reset"
    else
        fail "loader clock on $label" "exit $rc: $(grep -o '"clock_khz": [0-9]*' "$TMP/clk.json" "$TMP/clk2.json")"
    fi
done
"$BIN/fwconv" -q -o "$TMP/u5.bin" "$S/blinky/blinky-stm32u575zi.elf"
state="$TMP/u5.state"
run "$FWSIM" --target STM32U575ZI --state "$state" -- sh -c "\"$FWFLASH\" -q --force --base 0x08100000 write \"$TMP/u5.bin\" &&
    \"$FWFLASH\" --base 0x08100000 --verify-readback verify \"$TMP/u5.bin\" && \"$FWFLASH\" info"
if [ "$rc" -eq 0 ] && grep -q "^verified: " "$TMP/out" &&
   grep -q "options:  read protection level 0 (none: the debugger reads flash), write protection: none" "$TMP/out"; then
    pass "fwflash on STM32U575ZI: bank 2 written (BKER) and verified, the option bytes read"
else
    fail "fwflash on STM32U575ZI bank 2" "exit $rc"
fi

# --check-boot: the sample runs; an image that hits an undefined instruction sits in HardFault
python3 - "$TMP/crash.hex" << 'EOF'
import sys
# SP, reset 0x08000011, NMI 0, HardFault 0x08000013; at 0x10 "udf #0", at 0x12 "b ."
data = bytes.fromhex("00500020" "11000008" "00000000" "13000008" "00DE" "FEE7")
rec = [len(data), 0, 0, 0] + list(data)
line = ":" + "".join("%02X" % b for b in rec) + "%02X" % (-sum(rec) & 255)
open(sys.argv[1], "w").write(":020000040800F2\n" + line + "\n:00000001FF\n")
EOF
state="$TMP/boot.state"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" --check-boot write "$S/blinky/blinky-stm32f103c8.elf"
if [ "$rc" -eq 0 ] && grep -q "^boot:     the core runs the image (PC 0x080[0-9a-f]*, thread mode, in main)" "$TMP/out" &&
   ! grep -q "FLASH-BOOT" "$TMP/err"; then
    pass "fwflash --check-boot: the sample runs in thread mode, in main (the ELF's symbols)"
else
    fail "fwflash --check-boot on the sample"
fi
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" --force --check-boot write "$TMP/crash.hex"
expect "fwflash --check-boot: a crashing image is caught in HardFault, CFSR decoded, exit 1" 1 \
    "in its HardFault at 0x08000012 (xPSR 0x01000003); UNDEFINSTR (undefined instruction)"
run "$FWSIM" --target STM32F103C8 --state "$state" -- "$FWFLASH" --check-boot reset
expect "fwflash reset --check-boot: still stuck after a reset" 1 "the fault came from 0x08000010"

# --json: everything done, as one JSON object on stdout
state="$TMP/json.state"
run "$FWSIM" --state "$state" -- "$FWFLASH" --json --check-boot write "$S/stm32l100rb-blinky/blinky.elf"
if [ "$rc" -eq 0 ] && python3 - "$TMP/out" << 'EOF'; then
import json, sys
r = json.load(open(sys.argv[1]))
assert r["command"] == "write" and r["status"] == "ok" and r["failed_phase"] is None, r
assert r["chip"]["part"] == "STM32L100RB" and r["chip"]["erased"] == "0x00", r
assert r["image"]["crc32"] == "0x2CEFE47C" and r["image"]["lint_errors"] == 0, r
assert r["write"]["sectors_erased"] == 2 and r["verified"] and r["reset"] and r["boot"]["runs"], r
EOF
    pass "fwflash --json write: chip, probe, image identity, lint counts, what was written, verify, reset and boot"
else
    fail "fwflash --json write" "$(cat "$TMP/out")"
fi
run "$FWSIM" --state "$state" -- "$FWFLASH" --json write "$S/stm32l100rb-blinky/boot-alias/blinky.elf"
if [ "$rc" -eq 1 ] && python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["status"]=="failed" and r["failed_phase"]=="lint" and r["image"]["lint_errors"]==3 and not r["verified"], r' "$TMP/out"; then
    pass "fwflash --json on a refused image: failed in phase lint, with the error count"
else
    fail "fwflash --json refusal" "$(cat "$TMP/out")"
fi

# the peer writes, fwflash accepts
"$BIN/fwconv" -q "$S/stm32l100rb-blinky/blinky.elf" -o "$TMP/l1.bin" 2> /dev/null
state="$TMP/peer.state"
run "$FWSIM" --state "$state" -- st-flash write "$TMP/l1.bin" 0x08000000
run "$FWSIM" --state "$state" -- "$FWFLASH" verify "$S/stm32l100rb-blinky/blinky.elf"
expect "what st-flash wrote, fwflash verify accepts" 0

# faults at every 5th transfer index of a small write (make fault-sweep does every index)
BUILD=$BUILD STRIDE=5 KINDS="stall unplug ap-wait ap-fault power-loss" sh "$ROOT/tests/e2e/fault-sweep.sh" > "$TMP/sweep" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
    pass "$(tail -1 "$TMP/sweep"): success only when the flash matches, failures name their phase, a second run completes"
else
    fail "fault injection during a write" "$(cat "$TMP/sweep")"
fi
