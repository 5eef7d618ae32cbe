#!/bin/sh
# SPDX-License-Identifier: MIT
# UF2, C array and Verilog $readmemh outputs, each checked by something that
# is not fwkit's own reader: Python parsing UF2 blocks, gcc compiling the
# array, objcopy's own Verilog output.
. "$(dirname "$0")/lib.sh"
F=$BIN/fwconv
S=$ROOT/samples/stm32l100rb-blinky
PY=/usr/bin/python3

run "$F" "$S/blinky.hex" -o "$TMP/b.uf2" --uf2-family STM32L1
if [ "$rc" -eq 0 ] && $PY - "$TMP/b.uf2" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert len(data) % 512 == 0
n = len(data) // 512
payload = bytearray()
for i in range(n):
    b = data[512 * i:512 * (i + 1)]
    m0, m1, flags, addr, size, no, total, fam = struct.unpack("<8I", b[:32])
    assert (m0, m1, struct.unpack("<I", b[508:])[0]) == (0x0A324655, 0x9E5D5157, 0x0AB16F30)
    assert flags == 0x2000 and fam == 0x1e1f432d, (flags, hex(fam))
    assert size == 256 and addr % 256 == 0 and no == i and total == n
    assert addr == 0x08000000 + 256 * i
    payload += b[32:32 + size]
assert n == 2
PY
then pass "UF2: blocks, magics, family id, 256-byte aligned payloads"; else fail "UF2: blocks, magics, family id, 256-byte aligned payloads"; fi
run "$BIN/fwcmp" -q --fill 0xFF "$TMP/b.uf2" "$S/blinky.hex"
expect "UF2 reads back to the same bytes (block padding aside)" 0

# every STM32 family name maps to its id in the UF2 project's family list
bad=""
for pair in STM32F0:647824b6 STM32F1:5ee21072 STM32F2:5d1a0a2e STM32F3:6b846188 STM32F4:57755a57 \
            STM32F407:6d0922fa STM32F407VG:8fb060fe stm32f411xc:06d1097b STM32F411XE:2dc309c5 \
            STM32F7:53b80f00 STM32G0:300f5633 STM32G4:4c71240a STM32H7:6db66082 STM32L0:202e3a91 \
            STM32L1:1e1f432d STM32L4:00ff6919 STM32L5:04240bdf STM32WB:70d16653 STM32WL:21460ff0; do
    "$F" -q "$S/blinky.hex" -o "$TMP/f.uf2" --uf2-family "${pair%%:*}" 2>/dev/null || { bad="$bad ${pair%%:*}(exit)"; continue; }
    got=$(od -An -tx4 -j 28 -N 4 "$TMP/f.uf2" | tr -d ' ')
    [ "$got" = "${pair#*:}" ] || bad="$bad ${pair%%:*}($got)"
done
if [ -z "$bad" ]; then pass "UF2: every STM32 family name gives the id of the UF2 family list"
else fail "UF2: every STM32 family name gives the id of the UF2 family list" "$bad"; fi
run "$F" "$S/blinky.hex" -o "$TMP/f.uf2" --uf2-family STM32X9
expect "UF2: an unknown family name is a usage error" 2 "--uf2-family"

run "$F" --crlf "$S/blinky.hex" -o "$TMP/b.vmem"
arm-none-eabi-objcopy -I ihex -O verilog "$S/blinky.hex" "$TMP/o.vmem" 2>/dev/null
if [ "$rc" -eq 0 ] && cmp -s "$TMP/b.vmem" "$TMP/o.vmem"; then pass "vmem: byte for byte what objcopy -O verilog writes"
else fail "vmem: byte for byte what objcopy -O verilog writes"; fi
run "$BIN/fwinfo" "$TMP/b.vmem"
expect "a vmem file is named as such when read back" 2 "Verilog \$readmemh"

run "$F" "$S/blinky.hex" -o "$TMP/blinky.c" --c-name blinky
cat > "$TMP/main.c" <<'C'
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
extern const uint32_t blinky_chunk0_address;
extern const size_t blinky_chunk0_length, blinky_chunk_count;
extern const uint8_t blinky_chunk0[];
int main(void)
{
    unsigned sum = 0;
    for (size_t i = 0; i < blinky_chunk0_length; i++)
        sum = sum * 31 + blinky_chunk0[i];
    printf("%zu 0x%08x %zu %08x\n", blinky_chunk_count, (unsigned)blinky_chunk0_address, blinky_chunk0_length, sum);
    return 0;
}
C
if [ "$rc" -eq 0 ] && cc -std=c11 -Wall -Werror -o "$TMP/carray" "$TMP/main.c" "$TMP/blinky.c" 2> "$TMP/cc.err"; then
    got=$("$TMP/carray")
    want=$($PY -c "
import sys
d = open(sys.argv[1], 'rb').read()
s = 0
for b in d: s = (s * 31 + b) & 0xFFFFFFFF
print('1 0x08000000 %d %08x' % (len(d), s))" "$S/blinky.bin")
    [ "$got" = "$want" ] && pass "C array compiles and holds the bytes at the address" || fail "C array compiles and holds the bytes at the address" "$got vs $want"
else
    fail "C array compiles and holds the bytes at the address" "$(cat "$TMP/cc.err")"
fi
