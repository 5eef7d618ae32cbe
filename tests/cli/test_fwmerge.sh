#!/bin/sh
# SPDX-License-Identifier: MIT
# fwmerge: the corpus bootloader + application, overlap policies, start
# addresses, checksums, lint of the result.
. "$(dirname "$0")/lib.sh"
M=$BIN/fwmerge
X=$BIN/fwcmp
I=$BIN/fwinfo
S=$ROOT/samples/stm32l100rb-blinky

if have_corpus; then
    BOOT=$CORPUS/stm32l1_tmote_boot.hex APP=$CORPUS/stm32l1_tmote_app.hex
    run "$M" --start-from 2 -t STM32L151CBxxA "$BOOT" "$APP" -o "$TMP/merged.hex"
    expect "bootloader + application merge, linted for the part" 0
    "$X" -q --range 0x08000000-0x08003544 "$TMP/merged.hex" "$BOOT" && r1=0 || r1=1
    "$X" -q --range 0x08003800-0x0801f180 "$TMP/merged.hex" "$APP" && r2=0 || r2=1
    size=$("$I" "$TMP/merged.hex" | awk '/data:/ {print $2}')
    start=$("$I" "$TMP/merged.hex" | awk '/start:/ {print $2}')
    if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ "$size" -eq $((13636 + 113024)) ] && [ "$start" = "0x080038f5" ]; then
        pass "the merged bytes equal both inputs, start from input 2"
    else
        fail "the merged bytes equal both inputs, start from input 2" "r1=$r1 r2=$r2 size=$size start=$start"
    fi
    run "$M" "$BOOT" "$APP" -o "$TMP/never.hex"
    expect "two different start addresses need a decision" 1 "choose with --start ADDR or --start-from N"
    # an overlapping pair: both names and the range
    run "$M" --start 0x08000000 "$BOOT" "$BOOT,offset=0x3000" -o "$TMP/never.hex"
    if [ "$rc" -eq 1 ] && grep -q "stm32l1_tmote_boot.hex:2: error: data at 0x08003000-0x08003543 (1348 bytes) is given twice with different bytes" "$TMP/err" &&
       grep -q "stm32l1_tmote_boot.hex:770: note: the earlier data is here" "$TMP/err" && grep -q "overlap first" "$TMP/err" &&
       [ ! -e "$TMP/never.hex" ]; then
        pass "an overlap is refused with both places and the range, and nothing is written"
    else
        fail "an overlap is refused with both places and the range, and nothing is written"
    fi
fi

# overlap policies on two small inputs that share 0x08000004-0x08000007
printf ':020000040800F2\n:080000000101010102020202EC\n:00000001FF\n' > "$TMP/a.hex"
printf ':020000040800F2\n:080004000202020203030303E0\n:00000001FF\n' > "$TMP/b.hex"
printf ':020000040800F2\n:08000400FFFFFFFF03030303EC\n:00000001FF\n' > "$TMP/c.hex"
run "$M" "$TMP/a.hex" "$TMP/b.hex" -o "$TMP/ab.hex"
expect "--overlap error refuses identical shared bytes" 1 "given twice with identical bytes"
run "$M" --overlap same "$TMP/a.hex" "$TMP/b.hex" -o "$TMP/ab.bin"
if [ "$rc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/ab.bin" | tr -d ' \n')" = "010101010202020203030303" ]; then
    pass "--overlap same accepts identical bytes"
else
    fail "--overlap same accepts identical bytes"
fi
run "$M" --overlap same "$TMP/a.hex" "$TMP/c.hex" -o "$TMP/ac.bin"
expect "--overlap same refuses different bytes" 1 "different bytes"
run "$M" --overlap first "$TMP/a.hex" "$TMP/c.hex" -o "$TMP/ac.bin"
if [ "$rc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/ac.bin" | tr -d ' \n')" = "010101010202020203030303" ]; then
    pass "--overlap first: the earlier input wins"
else
    fail "--overlap first: the earlier input wins"
fi
run "$M" --overlap last "$TMP/a.hex" "$TMP/c.hex" -o "$TMP/ac.bin"
if [ "$rc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/ac.bin" | tr -d ' \n')" = "01010101ffffffff03030303" ]; then
    pass "--overlap last: the later input wins"
else
    fail "--overlap last: the later input wins"
fi

# a file that overlaps itself is a bad input (exit 2, the file's own fault),
# whatever the policy; identical repeats inside one file stay a note
printf ':020000040800F2\n:0400100001020304E2\n:0400100005060708D2\n:00000001FF\n' > "$TMP/self.hex"
printf ':020000040800F2\n:0400100001020304E2\n:0400100001020304E2\n:00000001FF\n' > "$TMP/same.hex"
for policy in error same first last; do
    run "$M" --overlap $policy "$TMP/a.hex" "$TMP/self.hex" -o "$TMP/never.hex"
    if [ "$rc" -eq 2 ] && grep -q "self.hex:3: error: .*given twice with different bytes" "$TMP/err" &&
       grep -q "fix whatever produced this file" "$TMP/err" && ! grep -q "the inputs overlap" "$TMP/err" &&
       [ ! -e "$TMP/never.hex" ]; then
        pass "--overlap $policy: an input that overlaps itself is a bad input, not a merge conflict"
    else
        fail "--overlap $policy: an input that overlaps itself is a bad input, not a merge conflict" "rc=$rc"
    fi
done
run "$M" "$TMP/a.hex" "$TMP/same.hex" -o "$TMP/asame.hex"
expect "identical bytes repeated inside one input are a note, even under --overlap error" 0 \
    "same.hex:3: note: data at 0x08000010-0x08000013 (4 bytes) is given twice with identical bytes"
run "$M" "$TMP/a.hex" "$TMP/a.hex" -o "$TMP/never.hex"
expect "the same file given twice is two inputs that overlap" 1 "the inputs overlap"

# a raw binary placed with @, and a CRC slot the bootloader checks, stored big-endian
run "$M" "$S/blinky.hex" "$TMP/a.hex,offset=0x1000" "$S/blinky.bin@0x08010000" \
    --checksum crc32@0x0801FFFC:0x08000000-0x0801FFFC,be --fill 0xFF -o "$TMP/full.hex"
if [ "$rc" -eq 0 ]; then
    want=$("$I" --checksum crc32:0x08000000-0x0801FFFC "$TMP/full.hex" | awk '$1 == "crc32" && $3 == "over" {print $2}')
    got=$(od -An -tx1 -j $((0x1FFFC)) -N 4 "$TMP/full.bin" 2>/dev/null)
    "$BIN/fwconv" -q "$TMP/full.hex" -o "$TMP/full.bin"
    got=0x$(od -An -tx1 -j $((0x1FFFC)) -N 4 "$TMP/full.bin" | tr -d ' \n' | tr 'a-f' 'A-F')
    if [ "$got" = "$want" ]; then pass "--checksum stores the CRC of the range, big-endian ($got)"
    else fail "--checksum stores the CRC of the range, big-endian" "stored $got, fwinfo says $want"; fi
    if have srec_cat; then
        theirs=$(srec_cat "$TMP/full.hex" -intel -crop 0x08000000 0x0801FFFC -fill 0xFF 0x08000000 0x0801FFFC \
            -crc32-b-e 0x09000000 -crop 0x09000000 0x09000004 -o - -hex-dump 2>/dev/null | head -1 | cut -c11-21 | tr -d ' ')
        [ "0x$theirs" = "$got" ] && pass "srec_cat computes the same CRC ($got)" || fail "srec_cat computes the same CRC" "srec_cat 0x$theirs, fwmerge $got"
    fi
else
    fail "--checksum stores the CRC of the range, big-endian"
fi

# with --target the result is linted, and errors stop the merge
run "$M" -t STM32L100RB "$S/boot-alias/blinky.hex" -o "$TMP/never2.hex"
if [ "$rc" -eq 1 ] && grep -q "PLACE-BOOT-ALIAS" "$TMP/err" && [ ! -e "$TMP/never2.hex" ]; then
    pass "--target: lint errors stop the merge"
else
    fail "--target: lint errors stop the merge"
fi
run "$M" -t STM32L100RB --no-lint "$S/boot-alias/blinky.hex" -o "$TMP/forced.hex"
expect "--no-lint writes it anyway" 0
run "$M" -t STM32L100RB "$S/blinky.hex" -o "$TMP/l1.bin"
expect "the fill is the part's erased value, and it says so" 0 "gaps are filled with 0x00, STM32L100RB's erased flash"
