#!/bin/sh
# SPDX-License-Identifier: MIT
# fwconv: conversions checked against objcopy, srec_cat and python3-intelhex;
# errors name file and line, exit 2, and leave no output behind.
. "$(dirname "$0")/lib.sh"
F=$BIN/fwconv
I=$BIN/fwinfo
PY=/usr/bin/python3
S=$ROOT/samples/stm32l100rb-blinky

# --- ELF to HEX matches the toolchain's objcopy on every ELF of the corpus
# and of the samples (the armlink .axf files: their own HEX, below);
# arm-none-eabi-objcopy reads the AVR and RISC-V ELFs as generic ELF.
# Without the corpus, the samples' 15 ELFs alone.
if have arm-none-eabi-objcopy; then
    n=0; bad=""
    want=15
    have_corpus && want=30
    for f in "$CORPUS"/*.elf "$ROOT"/samples/*/*.elf "$ROOT"/samples/*/*/*.elf; do
        [ -f "$f" ] || continue
        arm-none-eabi-objcopy -O ihex "$f" "$TMP/oc.hex" 2>/dev/null || { bad="$bad ${f##*/}(objcopy)"; continue; }
        "$F" -q "$f" -o "$TMP/ours.hex" 2>/dev/null
        "$BIN/fwcmp" -q "$TMP/ours.hex" "$TMP/oc.hex" || bad="$bad ${f##*/}"
        n=$((n + 1))
    done
    if [ -z "$bad" ] && [ "$n" -ge "$want" ]; then pass "elf->hex equals objcopy's on all $n ELFs of the corpus and the samples"
    else fail "elf->hex equals objcopy's on every ELF ($n compared; differ:$bad)"; fi
else
    skip "elf->hex matches objcopy" "arm-none-eabi-objcopy is not installed"
fi
if have_corpus; then
    # the Keil .axf: its RW data lives inside the load segment; the Keil hex is the truth
    run "$F" "$CORPUS/stm32f4_f407_keil_template.axf" -o "$TMP/keil.hex"
    "$F" -q "$TMP/keil.hex" -o "$TMP/a.bin"
    "$F" -q "$CORPUS/stm32f4_f407_keil_template.hex" -o "$TMP/b.bin"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/a.bin" "$TMP/b.bin"; then pass "keil .axf -> hex equals the Keil hex"
    else fail "keil .axf -> hex equals the Keil hex"; fi
    # the HC08 .abs: every physical address is 0, so virtual addresses are used
    run "$F" "$CORPUS/hcs08_s08i2c_project.abs" -o "$TMP/hc.s19"
    "$F" -q "$TMP/hc.s19" -o "$TMP/a.hex"
    "$F" -q "$CORPUS/hcs08_s08i2c_project.abs.s19" -o "$TMP/b.hex"
    if [ "$rc" -eq 0 ] && grep -q "using virtual addresses" "$TMP/err" &&
       [ "$("$I" "$TMP/a.hex" | grep -E 'crc32|chunks')" = "$("$I" "$TMP/b.hex" | grep -E 'crc32|chunks')" ]; then
        pass "hc08 .abs uses virtual addresses and matches its .s19"
    else
        fail "hc08 .abs uses virtual addresses and matches its .s19"
    fi
else
    skip "the Keil .axf and the HC08 .abs against their own files" "no corpus beside the checkout"
fi

# --- ELF sections, not segment padding; zero segments under data (.stldr)
if have arm-none-eabi-as && have arm-none-eabi-ld; then
    X=$ROOT/tests/fixtures/elf
    arm-none-eabi-as -mcpu=cortex-m4 -mthumb "$X/padding-and-overlap.s" -o "$TMP/p.o" &&
        arm-none-eabi-ld -T "$X/padding-and-overlap.ld" --no-check-sections "$TMP/p.o" -o "$TMP/pad.elf"
    arm-none-eabi-objcopy -O ihex -j .text -j .rodata "$TMP/pad.elf" "$TMP/oc.hex"
    run "$F" "$TMP/pad.elf" -o "$TMP/ours.hex"
    # the flash part as objcopy's; where objcopy writes both overlapping
    # records (its HEX holds 0x20000004 twice), fwconv keeps Dev_info, once
    if [ "$rc" -eq 0 ] && "$BIN/fwcmp" -q --range 0x08000000-0x08010000 "$TMP/ours.hex" "$TMP/oc.hex" &&
       grep -q "ELF-OVERLAP-ZERO" "$TMP/err" && "$I" "$TMP/ours.hex" | grep -q "data: *23 bytes" &&
       grep -q "^:100004004465765F696E666F5F6E616D655F5F5FA5" "$TMP/ours.hex"; then
        pass "ELF: the padding between sections is left out and a zero segment under data yields, as objcopy"
    else
        fail "ELF: the padding between sections is left out and a zero segment under data yields, as objcopy"
    fi
    run "$F" --whole-segments "$TMP/pad.elf" -o "$TMP/whole.hex"
    if [ "$rc" -eq 0 ] && "$I" "$TMP/whole.hex" | grep -q "data: *52 bytes"; then
        pass "--whole-segments keeps the segment padding (what a segment loader writes)"
    else
        fail "--whole-segments keeps the segment padding (what a segment loader writes)"
    fi
    arm-none-eabi-as -mcpu=cortex-m4 -mthumb "$X/ram-loader.s" -o "$TMP/l.o" &&
        arm-none-eabi-ld -T "$X/ram-loader.ld" --no-check-sections "$TMP/l.o" -o "$TMP/loader.stldr"
    run "$BIN/fwlint" -t STM32F407VG "$TMP/loader.stldr"
    if [ "$rc" -eq 1 ] && grep -q "the whole image (18 bytes at 0x20000004-0x2000010f) lives in RAM" "$TMP/out" &&
       [ "$(grep -c "error:" "$TMP/out")" -eq 1 ] && ! grep -q "FMT-OVERLAP" "$TMP/out" "$TMP/err"; then
        pass "an external loader (.stldr) is read, and lint says it lives in RAM, once"
    else
        fail "an external loader (.stldr) is read, and lint says it lives in RAM, once"
    fi
else
    skip "ELF sections and overlapping segments" "arm-none-eabi binutils are not installed"
fi

# --- big ELF segments are mapped from the file, not read: every path that
# uses or changes those bytes gives what a read would. The ELF is made by the
# toolchain's ld: one segment of two sections, 96 KiB and 40 KiB.
if have arm-none-eabi-ld; then
    $PY -c "import random,sys; sys.stdout.buffer.write(random.Random(7).randbytes(96*1024))" > "$TMP/big1.bin"
    $PY -c "import random,sys; sys.stdout.buffer.write(random.Random(8).randbytes(40*1024))" > "$TMP/big2.bin"
    (cd "$TMP" && arm-none-eabi-ld -r -b binary -o big1.o big1.bin && arm-none-eabi-ld -r -b binary -o big2.o big2.bin)
    printf 'SECTIONS { .text 0x08000000 : { big1.o(.data) } .rodata : { big2.o(.data) } }\n' > "$TMP/big.ld"
    (cd "$TMP" && arm-none-eabi-ld -T big.ld -o big.elf big1.o big2.o)
    cat "$TMP/big1.bin" "$TMP/big2.bin" > "$TMP/big.bin"
    elf_sum=$(sha256sum < "$TMP/big.elf")
    run "$F" "$TMP/big.elf" -o "$TMP/bigout.bin"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/bigout.bin" "$TMP/big.bin"; then pass "big ELF segment -> bin is the section bytes"
    else fail "big ELF segment -> bin is the section bytes"; fi
    arm-none-eabi-objcopy -O ihex "$TMP/big.elf" "$TMP/bigoc.hex"
    run "$F" "$TMP/big.elf" --crlf -o "$TMP/bigout.hex"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/bigout.hex" "$TMP/bigoc.hex"; then pass "big ELF segment -> hex is objcopy's hex"
    else fail "big ELF segment -> hex is objcopy's hex" "$(diff "$TMP/bigout.hex" "$TMP/bigoc.hex" | head -4)"; fi
    run "$I" "$TMP/big.elf"
    if [ "$rc" -eq 0 ] && grep -q '0x08000000-0x08021fff *139264 bytes  \.text \.rodata' "$TMP/out"; then
        pass "big ELF segment: bytes keep their section"
    else fail "big ELF segment: bytes keep their section"; fi
    # changed in place (copy on write): the file stays as it was
    run "$F" "$TMP/big.elf" --byte-swap 4 -o "$TMP/bigswap.bin"
    $PY -c "import sys; b=open(sys.argv[1],'rb').read(); sys.stdout.buffer.write(b''.join(b[i:i+4][::-1] for i in range(0,len(b),4)))" \
        "$TMP/big.bin" > "$TMP/bigswap.want"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/bigswap.bin" "$TMP/bigswap.want" && [ "$(sha256sum < "$TMP/big.elf")" = "$elf_sum" ]; then
        pass "big ELF segment: --byte-swap changes the image, not the file"
    else fail "big ELF segment: --byte-swap changes the image, not the file"; fi
    # cut into pieces (copies of part of the mapping)
    run "$F" "$TMP/big.elf" --exclude 0x08001000:0x08020000 -o "$TMP/bigcut.hex"
    "$F" -q "$TMP/bigcut.hex" --crop 0x08020000:0x08022000 -o "$TMP/bigcut_hi.bin"
    if [ "$rc" -eq 0 ] && cmp -s -i 131072:0 -n 8192 "$TMP/big.bin" "$TMP/bigcut_hi.bin" &&
       [ "$("$I" "$TMP/bigcut.hex" | grep -c '^    0x')" -eq 2 ]; then
        pass "big ELF segment: --exclude keeps the pieces either side"
    else fail "big ELF segment: --exclude keeps the pieces either side"; fi
    # another input right after it: the two join into one chunk
    printf ':020000040802F0\n:04200000DEADBEEFA4\n:00000001FF\n' > "$TMP/after.hex"
    run "$BIN/fwmerge" "$TMP/big.elf" "$TMP/after.hex" -o "$TMP/bigmerged.bin"
    printf '\336\255\276\357' | cat "$TMP/big.bin" - > "$TMP/bigmerged.want"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/bigmerged.bin" "$TMP/bigmerged.want"; then
        pass "big ELF segment: merging data right after it joins them"
    else fail "big ELF segment: merging data right after it joins them"; fi
else
    skip "big ELF segments" "arm-none-eabi-ld not installed"
fi

# --- our output is read by the peers
printf ':020000040800F2\n:10000000000102030405060708090A0B0C0D0E0F78\n:00000001FF\n' > "$TMP/small.hex"
if have srec_cat; then
    run "$F" "$TMP/small.hex" -o "$TMP/small.s37"
    srec_cat "$TMP/small.s37" -motorola -o "$TMP/sc.hex" -intel -obs=16 2> "$TMP/sc.err"
    "$F" -q "$TMP/sc.hex" -o "$TMP/x.bin"; "$F" -q "$TMP/small.hex" -o "$TMP/y.bin"
    if [ "$rc" -eq 0 ] && cmp -s "$TMP/x.bin" "$TMP/y.bin"; then pass "srec_cat reads our S-records"
    else fail "srec_cat reads our S-records" "$(cat "$TMP/sc.err")"; fi
else
    skip "srec_cat reads our S-records" "srecord not installed"
fi
if [ -x $PY ] && $PY -c 'import intelhex' 2>/dev/null; then
    run "$F" "$ROOT/samples/stm32l100rb-blinky/blinky.elf" -o "$TMP/app.hex" --record-bytes 32 --crlf
    got=$($PY -c "import intelhex,sys,zlib; ih=intelhex.IntelHex(sys.argv[1]); print('%08X %x' % (zlib.crc32(ih.tobinstr()), ih.start_addr['EIP']))" "$TMP/app.hex")
    want=$("$I" "$ROOT/samples/stm32l100rb-blinky/blinky.elf" | awk '/crc32/ {sub("0x","",$2); print $2}')
    if [ "$rc" -eq 0 ] && [ "$got" = "$want 8000189" ]; then pass "python3-intelhex reads our 32-byte CRLF hex"
    else fail "python3-intelhex reads our 32-byte CRLF hex" "got '$got' want '$want 8000189'"; fi
else
    skip "python3-intelhex reads our hex" "python3-intelhex not installed"
fi

# --- errors: file:line:column, exit 2, nothing left behind
printf ':020000040800F2\n:0400000001020304F0\n:00000001FF\n' > "$TMP/badsum.hex"
run "$F" "$TMP/badsum.hex" -o "$TMP/never.bin"
expect "bad checksum: file:line:col and expected value" 2 "badsum.hex:2:18: error: bad checksum F0, expected F2 [FMT-HEX-SYNTAX]"
if [ -e "$TMP/never.bin" ] || ls "$TMP"/never.bin.tmp-* > /dev/null 2>&1; then fail "no output after a bad input"
else pass "no output after a bad input"; fi

printf 'S107100001020304DE\nS5030005F7\nS9031000EC\n' > "$TMP/count.s19"
run "$F" "$TMP/count.s19" -o "$TMP/never.hex"
expect "S5 count mismatch names the line" 2 "count.s19:2:5: error: S5 count record says 5 data records, but 1 came before it"

if have_corpus; then
    run "$F" "$CORPUS/riscv_picorv32_archfx_firmware.verilog.hex" -o "$TMP/never.bin"
    expect "a Verilog memory file named .hex is rejected and named" 2 "Verilog \$readmemh"
    run "$F" "$CORPUS/srecord_t0032a_data_only_no_eof.hex" -o "$TMP/never.bin"
    expect "missing EOF record is an error" 2 "no end-of-file record"
fi

# a gap too large for a raw binary: refused with both ends named, and no file
printf ':020000040800F2\n:0100000011EE\n:020000042000DA\n:0100000022DD\n:00000001FF\n' > "$TMP/far.hex"
run "$F" "$TMP/far.hex" -o "$TMP/far.bin"
expect "raw binary refuses a huge gap and says where" 2 "gap 0x08000001-0x1fffffff"
[ -e "$TMP/far.bin" ] && fail "no file after a refused gap" || pass "no file after a refused gap"
run "$F" "$TMP/far.hex" -o "$TMP/far.bin" --crop 0x08000000:0x08000100
if [ "$rc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/far.bin" | tr -d ' ')" = "11" ]; then pass "--crop keeps only the range"
else fail "--crop keeps only the range"; fi

# --- options
run "$F" "$TMP/small.hex" -o - -O srec --offset -0x08000000 --srec-header fwkit
if [ "$rc" -eq 0 ] && head -1 "$TMP/out" | grep -q '^S008000066776B6974' && sed -n 2p "$TMP/out" | grep -q '^S113000000'; then
    pass "negative --offset, header, S1 chosen, to stdout"
else
    fail "negative --offset, header, S1 chosen, to stdout"
fi
run sh -c "cat '$TMP/small.hex' | '$F' - -o '$TMP/fill.bin' --exclude 0x08000004:0x08000008 --fill 0x5A"
if [ "$rc" -eq 0 ] && [ "$(od -An -tx1 -j4 -N4 "$TMP/fill.bin" | tr -d ' ')" = "5a5a5a5a" ]; then
    pass "stdin input, --exclude, --fill"
else
    fail "stdin input, --exclude, --fill"
fi
gzip -c "$TMP/small.hex" > "$TMP/small.hex.gz"
run "$F" "$TMP/small.hex.gz" -o "$TMP/gz.bin"
"$F" -q "$TMP/small.hex" -o "$TMP/plain.bin"
if [ "$rc" -eq 0 ] && cmp -s "$TMP/gz.bin" "$TMP/plain.bin"; then pass "gzip'd input"; else fail "gzip'd input"; fi
run "$F" "$TMP/small.hex" -o "$TMP/x.unknown"
expect "unknown output extension asks for -O" 2 "give -O ihex, srec, bin, uf2, c or vmem"
run "$F" "$TMP/small.hex"
expect "missing -o is a usage error" 2 "no output file"
run "$F" "$TMP/small.hex" -o "$TMP/y.hex" --record-bytes 300
expect "--record-bytes above 255 is a usage error" 2 "--record-bytes needs 1..255"
run "$F" "$TMP/nonexistent.hex" -o "$TMP/y.hex"
expect "missing input names the file" 2 "nonexistent.hex: error: cannot open: No such file or directory"

# the transform layer through fwconv
printf ':020000040800F2\n:0400000001020304F2\n:02000A000506E9\n:00000001FF\n' > "$TMP/t.hex"
run "$F" "$TMP/t.hex" -o "$TMP/t.bin" --fill-gaps 0x08000000:0x08000010 --fill-pattern AABBCC --pad-to 16
if [ "$rc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/t.bin" | tr -d ' \n')" = "01020304bbccaabbccaa0506aabbccaa" ]; then
    pass "--fill-gaps with a pattern, --pad-to"
else
    fail "--fill-gaps with a pattern, --pad-to" "$(od -An -tx1 "$TMP/t.bin")"
fi
run "$F" "$TMP/t.hex" -o "$TMP/s.bin" --crop 0x08000000:0x08000004 --byte-swap 4
if [ "$rc" -eq 0 ] && [ "$(od -An -tx1 "$TMP/s.bin" | tr -d ' \n')" = "04030201" ]; then pass "--byte-swap 4"
else fail "--byte-swap 4"; fi
run "$F" "$TMP/t.hex" -o "$TMP/s.bin" --byte-swap 4
expect "--byte-swap refuses a chunk that is not whole units" 2 "does not start and end on 4-byte units"
run "$F" "$S/blinky.hex" -o "$TMP/piece.hex" --split 256
if [ "$rc" -eq 0 ] && [ -f "$TMP/piece-1.hex" ] && [ -f "$TMP/piece-2.hex" ] && [ ! -f "$TMP/piece-3.hex" ] &&
   "$BIN/fwmerge" -q "$TMP/piece-1.hex" "$TMP/piece-2.hex" --start-from 1 -o "$TMP/joined.hex" &&
   "$BIN/fwcmp" -q "$TMP/joined.hex" "$S/blinky.hex"; then
    pass "--split 256 writes pieces that merge back into the original"
else
    fail "--split 256 writes pieces that merge back into the original"
fi
run "$F" -t STM32L100RB "$S/blinky.elf" -o "$TMP/l1.bin"
expect "--target: the part's erased value is the fill, and it says so" 0 "gaps are filled with 0x00, STM32L100RB's erased flash"
run "$F" -t STM32L100RB "$S/blinky.elf" -o "$TMP/reg.hex" --split-regions
if [ "$rc" -eq 0 ] && [ -f "$TMP/reg-BANK_1.hex" ]; then pass "--split-regions writes one file per region"
else fail "--split-regions writes one file per region"; fi
