#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark inputs, made by the peers (never by fwkit's own writer), from a
# fixed seed: 16 MiB of random data at 0x08000000 as Intel HEX (16- and 32-byte
# records), S3 records and ELF; a sparse image of 1,000 small chunks.
set -eu
D=$1
PY=/usr/bin/python3
mkdir -p "$D"
cd "$D"
[ -f rand16.bin ] || $PY -c "import random,sys; sys.stdout.buffer.write(random.Random(12345).randbytes(16<<20))" > rand16.bin
[ -f rand16.hex ] || srec_cat rand16.bin -binary -offset 0x08000000 -o rand16.hex -intel -obs=16
[ -f rand16_32.hex ] || srec_cat rand16.bin -binary -offset 0x08000000 -o rand16_32.hex -intel -obs=32
[ -f rand16.s37 ] || srec_cat rand16.bin -binary -offset 0x08000000 -o rand16.s37 -motorola -address-length=4 -obs=16
if [ ! -f rand16.elf ]; then
    arm-none-eabi-ld -r -b binary -o blob.o rand16.bin
    printf 'SECTIONS { .text 0x08000000 : { *(.data) } }\n' > blob.ld
    arm-none-eabi-ld -T blob.ld -o rand16.elf blob.o
    rm -f blob.o blob.ld
fi
[ -f sparse.hex ] || $PY - <<'PY'
import random, intelhex
r = random.Random(777)
ih = intelhex.IntelHex()
starts = sorted(r.sample(range(0x080016E2, 0x083FF000, 16), 1000))
for a in starts:
    n = r.randint(16, 512)
    for i in range(n):
        ih[a + i] = r.randrange(256)
ih.write_hex_file("sparse.hex", byte_count=16)
PY
# the merge job: two halves of the 16 MiB image, which do not overlap
[ -f half_a.hex ] || srec_cat rand16.hex -intel -crop 0x08000000 0x08800000 -o half_a.hex -intel -obs=16
[ -f half_b.hex ] || srec_cat rand16.hex -intel -crop 0x08800000 0x09000000 -o half_b.hex -intel -obs=16
# the second merge job: two whole 16 MiB images side by side (the copy at 0x09000000)
[ -f rand16_hi.hex ] || srec_cat rand16.bin -binary -offset 0x09000000 -o rand16_hi.hex -intel -obs=16
[ -f sparse.s37 ] || srec_cat sparse.hex -intel -o sparse.s37 -motorola -address-length=4 -obs=16
