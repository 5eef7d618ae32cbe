#!/bin/sh
# SPDX-License-Identifier: MIT
# fwinfo --checksum against independent implementations on the same range
# and fill: srec_cat's checksum filters, Python's zlib and binascii.
. "$(dirname "$0")/lib.sh"
I=$BIN/fwinfo
PY=/usr/bin/python3
# two records with a 16-byte gap, so the fill matters
printf ':020000040800F2\n:10000000000102030405060708090A0B0C0D0E0F78\n:10002000202122232425262728292A2B2C2D2E2F58\n:00000001FF\n' > "$TMP/gap.hex"
LO=0x08000000 HI=0x08000030

ours() { "$I" --checksum "$1:$LO-$HI" --fill 0xA5 "$TMP/gap.hex" | awk -v k="$1" '$1 == k {print tolower($2)}'; }
srec() { # filter, width in bytes, extra filter arguments
    srec_cat "$TMP/gap.hex" -intel -fill 0xA5 $LO $HI -crop $LO $HI $1 0x09000000 $3 -crop 0x09000000 0x09000004 \
        -o - -hex-dump 2>/dev/null | head -1 | cut -c11-21 | tr -d ' ' | cut -c1-$(( $2 * 2 )) | tr 'A-F' 'a-f'
}
filled() { $PY -c "
import sys
b = bytearray([0xA5] * 0x30)
b[0:16] = bytes(range(16)); b[0x20:0x30] = bytes(range(0x20, 0x30))
sys.stdout.write(b.hex())"; }
pyval() { $PY -c "import binascii, zlib; b = bytes.fromhex('$(filled)'); print('0x%0${2}x' % ($1))"; }

if ! have srec_cat; then
    skip "checksums against srec_cat" "srecord not installed"
    exit 0
fi
# srec_cat writes little-endian with -l-e: turn its bytes around
le() { echo "$1" | sed 's/\(..\)/\1 /g' | awk '{for (i = NF; i > 0; i--) printf "%s", $i; print ""}'; }
check() { # name ours reference...
    name=$1 got=$2
    shift 2
    for want in "$@"; do
        if [ "$got" != "$want" ]; then echo "not ok - checksum $name: fwinfo $got, reference $want"; return; fi
    done
    pass "checksum $name agrees with $# independent computation(s) ($got)"
}
check crc32 "$(ours crc32)" "0x$(le "$(srec -crc32-l-e 4)" | tr "A-F" "a-f")" "$(pyval 'zlib.crc32(b)' 8)"
check crc32-mpeg2 "$(ours crc32-mpeg2)" "0x$(le "$(srec -stm32-l-e 4)" | tr "A-F" "a-f")"
check crc16-ccitt "$(ours crc16-ccitt)" "$(pyval 'binascii.crc_hqx(b, 0xFFFF)' 4)"
check crc16-xmodem "$(ours crc16-xmodem)" "0x$(srec -crc16-b-e 2 -xmodem)" "$(pyval 'binascii.crc_hqx(b, 0)' 4)"
check adler32 "$(ours adler32)" "0x$(srec -adler32-b-e 4)" "$(pyval 'zlib.adler32(b)' 8)"
for n in 1 2 4; do
    bits=$((n * 8))
    check "sum$bits" "$(ours sum$bits)" "0x$(srec -checksum-positive-b-e $n "$n 1")" \
        "$(pyval "sum(b) % (1 << $bits)" $((n * 2)))"
    check "sum$bits-neg" "$(ours sum$bits-neg)" "0x$(srec -checksum-negative-b-e $n "$n 1")" \
        "$(pyval "(-sum(b)) % (1 << $bits)" $((n * 2)))"
done
