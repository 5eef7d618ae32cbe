#!/bin/sh
# SPDX-License-Identifier: MIT
# Every malformed input case, through the tool a user runs: exit status,
# file:line:column and the message. Warnings keep exit 0.
. "$(dirname "$0")/lib.sh"
F=$BIN/fwconv

# case NAME EXIT FILE-EXT CONTENT EXPECTED-STDERR
case_() {
    printf '%b' "$4" > "$TMP/case.$3"
    run "$F" "$TMP/case.$3" -o "$TMP/case.out.bin"
    expect "malformed: $1" "$2" "case.$3:$5"
    if [ "$2" -ne 0 ] && [ -e "$TMP/case.out.bin" ]; then fail "malformed: $1 leaves no output"; fi
    rm -f "$TMP/case.out.bin"
}
ELA=':020000040800F2\n'
EOF_=':00000001FF\n'
case_ "hex bad character" 2 hex "$ELA:10000000G0010203040506070809000000000000C4\n$EOF_" "2:10: error: bad character 'G' in a record"
case_ "hex odd digit count" 2 hex "$ELA:0100000000F\n$EOF_" "2:12: error: odd number of hex digits (11)"
case_ "hex length mismatch" 2 hex "$ELA:1000000000010203040506070809C4\n$EOF_" "2:2: error: length field says 16 data bytes, but the record holds 10"
case_ "hex bad checksum" 2 hex "$ELA:0400000001020304F0\n$EOF_" "2:18: error: bad checksum F0, expected F2"
case_ "hex unknown record type" 2 hex "$ELA:00000006FA\n$EOF_" "2:8: error: unknown record type 06"
case_ "hex type 01 wrong length" 2 hex ":0100000100FE\n" "1:2: error: a type 01 (end-of-file) record must have length 00, not 01"
case_ "hex type 02 wrong length" 2 hex ":00000002FE\n$EOF_" "1:2: error: a type 02 (extended segment address) record must have length 02, not 00"
case_ "hex type 03 wrong length" 2 hex ":03000003000000FA\n$EOF_" "1:2: error: a type 03 (start segment address) record must have length 04, not 03"
case_ "hex type 04 wrong length" 2 hex ":00000004FC\n$EOF_" "1:2: error: a type 04 (extended linear address) record must have length 02, not 00"
case_ "hex type 05 wrong length" 2 hex ":050000050000000000F6\n$EOF_" "1:2: error: a type 05 (start linear address) record must have length 04, not 05"
case_ "hex missing EOF" 2 hex "$ELA:0400000001020304F2\n" "2: error: no end-of-file record"
case_ "hex data after EOF (warning)" 0 hex ":0100000011EE\n$EOF_:0100010022DC\n" "3:1: warning: text after the termination record on line 2 is ignored"
case_ "hex record wrapping 64 KiB (warning)" 0 hex "$ELA:04FFFE00AABBCCDDF1\n$EOF_" "2:4: warning: record at offset FFFE with 4 bytes crosses a 64 KiB segment boundary; read as contiguous 0x0800fffe-0x08010001"
case_ "hex conflicting overlap" 2 hex ":040000001122334452\n:010003009963\n$EOF_" "2: error: data at 0x00000003-0x00000003 (1 bytes) is given twice with different bytes"
case_ "srec bad checksum" 2 s19 "S10710000102030400\nS9031000EC\n" "1:17: error: bad checksum 00, expected DE"
case_ "srec count mismatch" 2 s19 "S107100001020304DE\nS5030002FA\nS9031000EC\n" "2:5: error: S5 count record says 2 data records, but 1 came before it"
case_ "srec unknown type" 2 s19 "S107100001020304DE\nS4030000FC\n" "2:2: error: unknown record type S4"
case_ "srec bad character" 2 s19 "S107100001020X04DE\nS9031000EC\n" "1:14: error: bad character 'X'"
case_ "srec length mismatch" 2 s19 "S10910000102030400\nS9031000EC\n" "1:3: error: count field says 9 bytes follow, but the record holds 7"
case_ "srec missing termination (warning)" 0 s19 "S107100001020304DE\n" "1: warning: no S7/S8/S9 termination record"
case_ "srec data after termination (warning)" 0 s19 "S107100001020304DE\nS9031000EC\nS107100001020304DE\n" "3:1: warning: text after the termination record on line 2 is ignored"
