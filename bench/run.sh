#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: fwconv/fwinfo against srec_cat, objcopy and python3-intelhex on
# the same generated inputs, side by side in one run. Prints one table:
# median wall time (hyperfine), peak RSS (GNU time, median of 3), MB/s of
# input, and each peer's time as a multiple of ours.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build/release}
B="$ROOT/$BUILD"
D="$ROOT/build/bench"
RUNS=${BENCH_RUNS:-10}
# the sparse jobs take milliseconds: many more runs to get a stable median
QUICK_RUNS=${BENCH_QUICK_RUNS:-200}
sh "$ROOT/bench/gen.sh" "$D"
cc -O2 -o "$D/floor_hex2bin" "$ROOT/bench/floor_hex2bin.c"
cd "$D"
mkdir -p out res
rm -f res/*.json res/*.rss res/jobs.tsv
IH=/usr/share/python3-intelhex
PY=/usr/bin/python3
OC=arm-none-eabi-objcopy

# job tool input runs command
bench() {
    job=$1 tool=$2 input=$3 runs=$4
    shift 4
    key="$job.$(echo "$tool" | tr ' /' '__')"
    hyperfine -N --style none ${HF_IGNORE_FAILURE:+-i} --warmup 1 --runs "$runs" --export-json "res/$key.json" "$*" \
        > /dev/null 2>&1 ||
        { echo "bench: $job/$tool failed: $*" >&2; return 0; }
    for i in 1 2 3; do
        /usr/bin/time -f %M -a -o "res/$key.rss" sh -c "$* > /dev/null 2>&1" || true
    done
    printf '%s\t%s\t%s\t%s\n' "$job" "$tool" "$(stat -c %s "$input")" "$key" >> res/jobs.tsv
}

bench hex2bin fwconv rand16.hex "$RUNS" "$B/fwconv -q rand16.hex -o out/a.bin"
bench hex2bin srec_cat rand16.hex 3 "srec_cat rand16.hex -intel -offset -0x08000000 -o out/b.bin -binary"
bench hex2bin objcopy rand16.hex "$RUNS" "$OC -I ihex -O binary rand16.hex out/c.bin"
bench hex2bin intelhex rand16.hex 3 "$PY $IH/hex2bin.py rand16.hex out/d.bin"
bench hex2bin "floor (C loop)" rand16.hex "$RUNS" "./floor_hex2bin rand16.hex out/e.bin"
bench hex32_2bin fwconv rand16_32.hex "$RUNS" "$B/fwconv -q rand16_32.hex -o out/a.bin"
bench hex32_2bin srec_cat rand16_32.hex 3 "srec_cat rand16_32.hex -intel -offset -0x08000000 -o out/b.bin -binary"
bench hex32_2bin objcopy rand16_32.hex "$RUNS" "$OC -I ihex -O binary rand16_32.hex out/c.bin"
bench hex32_2bin "floor (C loop)" rand16_32.hex "$RUNS" "./floor_hex2bin rand16_32.hex out/e.bin"
bench bin2hex fwconv rand16.bin "$RUNS" "$B/fwconv -q --base 0x08000000 rand16.bin -o out/a.hex"
bench bin2hex srec_cat rand16.bin 3 "srec_cat rand16.bin -binary -offset 0x08000000 -o out/b.hex -intel -obs=16"
bench bin2hex objcopy rand16.bin "$RUNS" "$OC -I binary -O ihex --change-addresses 0x08000000 rand16.bin out/c.hex"
bench bin2hex intelhex rand16.bin 3 "$PY $IH/bin2hex.py --offset=0x08000000 rand16.bin out/d.hex"
bench hex2srec fwconv rand16.hex "$RUNS" "$B/fwconv -q rand16.hex -o out/a.s37"
bench hex2srec srec_cat rand16.hex 3 "srec_cat rand16.hex -intel -o out/b.s37 -motorola -address-length=4 -obs=16"
bench hex2srec objcopy rand16.hex "$RUNS" "$OC -I ihex -O srec --srec-forceS3 rand16.hex out/c.s37"
bench srec2hex fwconv rand16.s37 "$RUNS" "$B/fwconv -q rand16.s37 -o out/a.hex"
bench srec2hex srec_cat rand16.s37 3 "srec_cat rand16.s37 -motorola -o out/b.hex -intel -obs=16"
bench srec2hex objcopy rand16.s37 "$RUNS" "$OC -I srec -O ihex rand16.s37 out/c.hex"
bench elf2hex fwconv rand16.elf "$RUNS" "$B/fwconv -q rand16.elf -o out/a.hex"
bench elf2hex objcopy rand16.elf "$RUNS" "$OC -O ihex rand16.elf out/c.hex"
bench elf2bin fwconv rand16.elf "$RUNS" "$B/fwconv -q rand16.elf -o out/a.bin"
bench elf2bin objcopy rand16.elf "$RUNS" "$OC -O binary rand16.elf out/c.bin"
bench info fwinfo rand16.hex "$RUNS" "$B/fwinfo rand16.hex"
bench info srec_info rand16.hex 3 "srec_info rand16.hex -intel"
bench info "objcopy (size)" rand16.hex "$RUNS" "arm-none-eabi-size --target=ihex rand16.hex"
bench info intelhex rand16.hex 3 "$PY $IH/hexinfo.py rand16.hex"
bench sparse-hex2srec fwconv sparse.hex "$QUICK_RUNS" "$B/fwconv -q sparse.hex -o out/a.s37"
bench sparse-hex2srec srec_cat sparse.hex "$QUICK_RUNS" "srec_cat sparse.hex -intel -o out/b.s37 -motorola -address-length=4 -obs=16"
bench sparse-hex2srec objcopy sparse.hex "$QUICK_RUNS" "$OC -I ihex -O srec --srec-forceS3 sparse.hex out/c.s37"
bench sparse-hex2bin fwconv sparse.hex "$QUICK_RUNS" "$B/fwconv -q sparse.hex -o out/a.bin"
bench sparse-hex2bin srec_cat sparse.hex "$QUICK_RUNS" "srec_cat \\( sparse.hex -intel -fill 0xFF -over sparse.hex -intel \\) -offset -0x080016f0 -o out/b.bin -binary"
bench sparse-hex2bin objcopy sparse.hex "$QUICK_RUNS" "$OC -I ihex -O binary --gap-fill 0xFF sparse.hex out/c.bin"
bench sparse-info fwinfo sparse.hex "$QUICK_RUNS" "$B/fwinfo sparse.hex"
bench sparse-info srec_info sparse.hex "$QUICK_RUNS" "srec_info sparse.hex -intel"

bench merge fwmerge rand16.hex "$RUNS" "$B/fwmerge -q half_a.hex half_b.hex -o out/m.hex"
bench merge srec_cat rand16.hex 3 "srec_cat half_a.hex -intel half_b.hex -intel -o out/m2.hex -intel -obs=16"
bench merge "text concat (floor)" rand16.hex "$RUNS" "sh -c 'head -n -1 half_a.hex > out/m3.hex; cat half_b.hex >> out/m3.hex'"
bench merge2x16 fwmerge rand16.hex "$RUNS" "$B/fwmerge -q rand16.hex rand16_hi.hex -o out/m4.hex"
bench merge2x16 srec_cat rand16.hex 3 "srec_cat rand16.hex -intel rand16_hi.hex -intel -o out/m5.hex -intel -obs=16"
bench compare fwcmp rand16.hex "$RUNS" "$B/fwcmp -q rand16.hex rand16.s37"
bench compare srec_cmp rand16.hex 3 "srec_cmp rand16.hex -intel rand16.s37 -motorola"

# lint with the whole catalogue against reading alone (fwinfo reads and CRCs)
printf '[target BIG16M]\ncore cortex-m7\nfpu dp\nregion FLASH flash 0x08000000 16M erase 128K write 32 erased 0xff\nregion RAM ram 0x20000000 512K\n' > big16m.map
# fwlint exits 1 for the findings the random data gives; that is not a failure here
HF_IGNORE_FAILURE=1 bench lint fwlint rand16.hex "$RUNS" "$B/fwlint -q --map big16m.map -t BIG16M rand16.hex"
bench lint "fwinfo (read only)" rand16.hex "$RUNS" "$B/fwinfo rand16.hex"

# the outputs must be right before their times mean anything
cmp -s out/a.bin rand16.bin || true
python3 "$ROOT/bench/report.py" res
echo
echo "flashing under fwsim (bench/flash.sh):"
BUILD=$BUILD sh "$ROOT/bench/flash.sh"
echo
echo "the production line under fwsim (bench/boards.sh):"
BUILD=$BUILD sh "$ROOT/bench/boards.sh"
