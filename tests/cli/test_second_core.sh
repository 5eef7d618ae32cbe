#!/bin/sh
# SPDX-License-Identifier: MIT
# The flash a second core keeps: STM32WB's CPU2 secure area (RM0434
# FLASH_SFR, the target data's cpu2-area line), as fwflash reads it and
# fwsim models it (the factory's FUS at SFSA 0xF4 on a 1 MiB part).
. "$(dirname "$0")/lib.sh"
FWFLASH="$BIN/fwflash"
FWSIM="$BIN/fwsim"
FWCONV="$BIN/fwconv"
S="$ROOT/samples"

if ! ldconfig -p 2>/dev/null | grep -q libumockdev-preload; then
    skip "the second core's flash under fwsim" "libumockdev-preload.so.0 is not installed (make deps installs umockdev)"
    exit 0
fi

run "$FWSIM" --target STM32WB55RG -- "$FWFLASH" info
if [ "$rc" -eq 0 ] && grep -q "write protection: none; CPU2's secure area from 0x080f4000 (SFSA 0xF4)" "$TMP/out" &&
   grep -q "blank: all 244 sectors read 0xFF, the erased value; 0x080f4000-0x080fffff is CPU2's secure area" "$TMP/out"; then
    pass "info on a WB55RG names CPU2's secure area from SFSA and surveys only the flash below it"
else
    fail "info on a WB55RG" "$(grep -E 'options:|flash:' "$TMP/out")"
fi

run "$FWSIM" --target STM32WB55RG -- "$FWFLASH" --json diagnose
if python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["diagnose"]["flash"]; h=f["held"]
sys.exit(0 if f["sectors"] == 244 and h["from"] == "0x080f4000" and h["to"] == "0x080fffff" and "CPU2" in h["by"] else 1)' "$TMP/out"; then
    pass "diagnose --json on a WB55RG: 244 sectors surveyed, CPU2's area given as held"
else
    fail "diagnose --json on a WB55RG" "$(head -c 300 "$TMP/out")"
fi

# an image reaching into the area is refused before anything is erased
head -c 256 /dev/zero | tr '\000' '\245' > "$TMP/x.bin"
"$FWCONV" --base 0x080F3F80 "$TMP/x.bin" -o "$TMP/x.hex"
# fwlint, before any board: the top 48 KiB a chip from the factory keeps
run "$BIN/fwlint" -t STM32WB55RG "$TMP/x.hex"
if grep -q "warning: data at 0x080f4000-0x080f407f (128 bytes) is in the top 48 KiB of the STM32WB55RG's flash, where a chip from the factory keeps CPU2's FUS (from 0x080f4000).*\[PLACE-CPU2-AREA\]" "$TMP/out" "$TMP/err"; then
    pass "fwlint warns of an image reaching the top 48 KiB a WB55RG keeps for CPU2's FUS"
else
    fail "fwlint PLACE-CPU2-AREA" "$(grep -h CPU2 "$TMP/out" "$TMP/err")"
fi
state="$TMP/wb.state"
rm -f "$state"
run "$FWSIM" --target STM32WB55RG --state "$state" -- sh -c "'$FWFLASH' write --force '$TMP/x.hex'"
if [ "$rc" -ne 0 ] && grep -q "0x080f4000-0x080fffff is CPU2's secure area (SFSA 0xF4: the FUS and the wireless stack).*0x080f4000-0x080f4fff of it is to be erased: nothing was erased or written \[FLASH-CPU2-AREA\]" "$TMP/err" &&
   grep -q "hint: link the image below 0x080f4000" "$TMP/err"; then
    pass "write of an image reaching CPU2's area: refused, naming the area, the overlap and the way out"
else
    fail "write into CPU2's area" "$(grep -E 'error|hint' "$TMP/err" | head -3)"
fi

# the debugger reads zeros there; erase --all erases up to it, page by page,
# and OpenOCD's mass erase (MER) is refused by the controller
run "$FWSIM" --target STM32WB55RG -- sh -c "'$FWFLASH' read --range 0x080F3FF8:16 -o '$TMP/r.bin' &&
    od -An -tx1 '$TMP/r.bin' && '$FWFLASH' erase --all"
if [ "$rc" -eq 0 ] && grep -q "ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 00" "$TMP/out" &&
   grep -q "erased:   all of flash but the area named above" "$TMP/out" &&
   grep -q "flash is erased up to it, page by page \[FLASH-CPU2-AREA\]" "$TMP/out" "$TMP/err"; then
    pass "the debugger reads CPU2's area as zeros; erase --all stops at it and says so"
else
    fail "reads and erase --all on a WB55RG" "$(tail -3 "$TMP/out")"
fi
if have openocd; then
    run "$FWSIM" --target STM32WB55RG -- openocd -f interface/stlink.cfg -f target/stm32wbx.cfg -c init \
        -c 'reset halt' -c 'stm32l4x mass_erase 0' -c shutdown
    if grep -q "stm32x device protected" "$TMP/err" && grep -q "stm32l4x mass erase failed" "$TMP/err"; then
        pass "OpenOCD 0.12's mass erase on a WB55RG fails while CPU2's area exists"
    else
        fail "OpenOCD mass erase on a WB55RG" "$(tail -3 "$TMP/err")"
    fi
fi

# an image below the area writes and verifies as on any L4-family part
"$FWCONV" --base 0x08000000 "$TMP/x.bin" -o "$TMP/low.hex"
run "$FWSIM" --target STM32WB55RG -- "$FWFLASH" write --force "$TMP/low.hex"
if [ "$rc" -eq 0 ] && grep -q "^verified:" "$TMP/out"; then
    pass "an image below CPU2's area writes and verifies on a WB55RG"
else
    fail "write below CPU2's area" "$(tail -3 "$TMP/err")"
fi

# no area where FSD would say so or the part has none: the WL55 keeps none from the factory
run "$FWSIM" --target STM32WL55JC -- "$FWFLASH" info
if [ "$rc" -eq 0 ] && ! grep -q "CPU2" "$TMP/out"; then
    pass "a WL55JC from the factory has no CPU2 area"
else
    fail "WL55JC CPU2 area" "$(grep options: "$TMP/out")"
fi

