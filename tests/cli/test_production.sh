#!/bin/sh
# SPDX-License-Identifier: MIT
# fwflash on a production line, under fwsim with a board per probe: several
# probes at once (--serial all), stamps (counter, uid, crc32, time), the
# record of every board (--log) and its summary, and appends from processes
# running at once.
. "$(dirname "$0")/lib.sh"
FWFLASH="$BIN/fwflash"
FWSIM="$BIN/fwsim"
S="$ROOT/samples"

# no USB needed
run "$FWFLASH" --stamp "counter@0x08000000" write x.hex
expect "--stamp: a counter without its file is a usage error naming the spec" 2 "--stamp 'counter@0x08000000'"
run "$FWFLASH" --stamp "uid@0x08000000,width=4" write x.hex
expect "--stamp: an option the stamp does not take is named" 2 "an option this stamp does not take"
run "$FWFLASH" --stamp "time@0x08000000" read -o x.bin
expect "--stamp is for write" 2 "--stamp is for write"
run "$FWFLASH" --serial "A1,$(printf '%080d' 0)" write x.hex
expect "--serial: a serial longer than any probe's is a usage error naming it" 2 "is not a probe's serial"
run "$FWFLASH" --serial A1,B2,A1 write x.hex
expect "--serial: a serial listed twice is a usage error" 2 "A1 is listed twice"
printf 'seventeen\n' > "$TMP/bad.log"
run "$FWFLASH" --log "$TMP/bad.log" --summary
expect "--summary on a file that is not a log names the file and line" 2 "bad.log:1: error: not a fwflash board record"

if ! ldconfig -p 2>/dev/null | grep -q libumockdev-preload; then
    skip "the production line under fwsim" "libumockdev-preload.so.0 is not installed (make deps installs umockdev)"
    exit 0
fi

# five boards: an F103, and four L476s of which one is read-protected
probes() {
    echo "--probe v2,target=STM32F103C8,serial=F10300000000000000000001,state=$TMP/b0.state" \
         "--probe v2,target=STM32L476RG,serial=L47600000000000000000001,state=$TMP/b1.state" \
         "--probe v2-1,target=STM32L476RG,serial=L47600000000000000000002,state=$TMP/b2.state,rdp=1" \
         "--probe v3,target=STM32L476RG,serial=L47600000000000000000003,state=$TMP/b3.state" \
         "--probe v2,target=STM32L476RG,serial=L47600000000000000000004,state=$TMP/b4.state"
}
echo 1 > "$TMP/counter"
IMG="$S/blinky/blinky-stm32l476rg.elf"
STAMPS="--stamp counter:$TMP/counter@0x0800FF00 --stamp uid@0x0800FF10 --stamp crc32:0x08000000-0x08001000@0x0800FF20"
# shellcheck disable=SC2046,SC2086
run "$FWSIM" $(probes) -- "$FWFLASH" --serial all --log "$TMP/line.log" --station bench-1 $STAMPS --check-boot write "$IMG"
if [ "$rc" -eq 1 ] && grep -q "^boards:   5: 3 passed, 2 failed" "$TMP/out" &&
   grep -q "L47600000000000000000002 failed: the chip's flash is read-protected (RDP level 1)" "$TMP/out" &&
   grep -q "F10300000000000000000001 failed: .isr_vector: the initial stack pointer" "$TMP/out"; then
    pass "fwflash --serial all: three good boards programmed, the read-protected one and the F103 refused, exit 1"
else
    fail "fwflash --serial all on five boards" "$(grep -A3 '^boards' "$TMP/out")"
fi
# the record of every board
if python3 - "$TMP/line.log" "$TMP" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 5, len(recs)
by = {r["probe"]["serial"]: r for r in recs}
ok = [s for s, r in by.items() if r["result"] == "ok"]
assert sorted(ok) == ["L47600000000000000000001", "L47600000000000000000003", "L47600000000000000000004"], ok
assert by["L47600000000000000000002"]["failed_phase"] == "checking read protection"
assert by["F10300000000000000000001"]["failed_phase"] == "lint"
for r in recs:
    assert r["station"] == "bench-1" and r["fwkit"] and r["command"] == "write"
    assert r["image"]["crc32"] and r["image"]["build_id"]
    assert len(r["chip"]["uid"]) == 24, r["chip"]
    names = [p["name"] for p in r["phases"]]
    assert names[0] == "connect", names
    c = [s for s in r["stamps"] if s["kind"] == "counter"][0]
    if r["result"] == "ok":
        assert c["taken"] and not c["burnt"], c
    else:  # refused before programming: no number consumed
        assert not c["taken"] and c["value"] is None, c
nums = sorted([s["value"] for r in recs for s in r["stamps"] if s["kind"] == "counter" and s["taken"]])
assert nums == [1, 2, 3], nums
assert len({r["chip"]["uid"] for r in recs}) == 5  # each chip its own UID
# the boards progressed at once: their write phases overlap
w = [[p for p in by[s]["phases"] if p["name"] == "write"][0] for s in ok]
assert max(p["start"] for p in w) < min(p["start"] + p["seconds"] for p in w), w
# what each passing board's counter and UID should read back as
for s in ok:
    c = [x for x in by[s]["stamps"] if x["kind"] == "counter"][0]["value"]
    open("%s/expect-%s" % (sys.argv[2], s), "w").write("%08x %s\n" % (c, by[s]["chip"]["uid"]))
EOF
then
    pass "--log: five records with UID, image, stamps and phase times; counters 1, 2, 3 to the boards that passed, none consumed by the refused ones; the writes ran at once"
else
    fail "the --log records" "$(head -c 600 "$TMP/line.log")"
fi
if [ "$(cat "$TMP/counter")" = "4" ]; then
    pass "the counter file holds the next number, 4"
else
    fail "the counter file after five boards" "it holds $(cat "$TMP/counter")"
fi
# each passing board holds its number and its UID where they were stamped
for n in 1 3 4; do
    sn=L4760000000000000000000$n
    run "$FWSIM" --target STM32L476RG --serial "$sn" --state "$TMP/b$n.state" -- "$FWFLASH" read -o "$TMP/st$n.bin" \
        --range 0x0800FF00:0x1C
    got=$(python3 -c "
import struct, sys
b = open('$TMP/st$n.bin', 'rb').read()
print('%08x %s' % (struct.unpack('<I', b[0:4])[0], b[16:28].hex().upper()))")
    if [ "$rc" -eq 0 ] && [ "$got" = "$(cat "$TMP/expect-$sn")" ]; then
        pass "board $sn reads back its counter number and its own UID at their addresses"
    else
        fail "board $sn's stamps" "read $got, logged $(cat "$TMP/expect-$sn" 2>/dev/null)"
    fi
done
# a rerun hands out new numbers: never one again
# shellcheck disable=SC2046,SC2086
run "$FWSIM" $(probes) -- "$FWFLASH" --serial all --log "$TMP/line.log" $STAMPS write "$IMG"
if [ "$rc" -eq 1 ] && python3 - "$TMP/line.log" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
nums = [s["value"] for r in recs for s in r["stamps"] if s["kind"] == "counter" and s["taken"]]
assert len(recs) == 10 and sorted(nums) == [1, 2, 3, 4, 5, 6], nums
EOF
then
    pass "a second run takes 4, 5, 6: no number is handed out twice"
else
    fail "the rerun's counter numbers" "exit $rc"
fi
run "$FWFLASH" --log "$TMP/line.log" --summary
if [ "$rc" -eq 0 ] && grep -q "10 board records" "$TMP/out" && grep -qE "^[0-9]{4}-[0-9]{2}-[0-9]{2} +10 boards: 6 ok, 4 failed" "$TMP/out"; then
    pass "fwflash --log FILE --summary: boards per day and per result"
else
    fail "--summary" "$(cat "$TMP/out")"
fi
# --json: one object per board
# shellcheck disable=SC2046
run "$FWSIM" $(probes) -- "$FWFLASH" --serial L47600000000000000000001,F10300000000000000000001 --json write "$IMG"
if [ "$rc" -eq 1 ] && python3 -c "
import json
j = json.load(open('$TMP/out'))
assert j['passed'] == 1 and j['failed'] == 1
assert sorted(b['probe']['serial'] for b in j['boards']) == ['F10300000000000000000001', 'L47600000000000000000001']
"; then
    pass "--serial SN,SN --json: one object per board, and the counts"
else
    fail "--serial SN,SN --json" "$(head -c 300 "$TMP/out")"
fi
# a listed probe that is not there fails alone
# shellcheck disable=SC2046
run "$FWSIM" $(probes) -- "$FWFLASH" --serial L47600000000000000000004,NOTTHERE0000000000000000 write "$IMG"
if [ "$rc" -eq 1 ] && grep -q "^boards:   2: 1 passed, 1 failed" "$TMP/out" && grep -q "NOTTHERE0000000000000000 failed:" "$TMP/out"; then
    pass "a listed probe that is not attached fails alone; the other board passes"
else
    fail "--serial with a missing probe" "$(grep -A2 '^boards' "$TMP/out")"
fi

# two fwflash processes appending to one log at once leave only whole lines
: > "$TMP/both.log"
for k in 1 2; do
    (for i in 1 2 3 4 5 6; do
        "$FWSIM" --target STM32L476RG --serial "L4760000000000000000010$k" -- "$FWFLASH" -q --log "$TMP/both.log" \
            verify "$IMG" > /dev/null 2>&1
    done) &
done
wait
if python3 - "$TMP/both.log" <<'EOF'
import json, sys
data = open(sys.argv[1]).read()
assert data.endswith("\n")
lines = data.split("\n")[:-1]
assert len(lines) == 12, len(lines)
for l in lines:
    json.loads(l)
EOF
then
    pass "two fwflash processes logging at once: 12 whole JSON lines, none torn"
else
    fail "concurrent --log appends" "$(wc -l < "$TMP/both.log") lines"
fi

# fwflash checksum equals fwinfo --checksum of the written image, every kind, three families
KINDS="crc32 crc32-mpeg2 crc16-ccitt crc16-xmodem sum8 sum16 sum32 sum8-neg sum16-neg sum32-neg adler32"
for pc in "STM32F103C8 blinky-stm32f103c8.elf 0x08000000-0x08010000" \
          "STM32L476RG blinky-stm32l476rg.elf 0x08000000-0x08008000" \
          "STM32G071RB blinky-stm32g071rb.elf 0x08000000-0x08020000"; do
    set -- $pc
    ck=""
    for k in $KINDS; do ck="$ck --checksum $k:$3"; done
    # shellcheck disable=SC2086
    "$BIN/fwinfo" $ck --fill 0xFF "$S/blinky/$2" | awk '/ over /{print $1, $2}' > "$TMP/file.ck"
    run "$FWSIM" --target "$1" --flash "$S/blinky/$2" -- "$FWFLASH" checksum --range "$3" \
        --kind "$(echo $KINDS | tr ' ' ,)"
    awk '/^checksum:/{print $2, $3}' "$TMP/out" > "$TMP/chip.ck"
    if [ "$rc" -eq 0 ] && [ "$(wc -l < "$TMP/chip.ck")" -eq 11 ] && cmp -s "$TMP/chip.ck" "$TMP/file.ck" &&
       [ "$(grep -c "computed by the chip's core" "$TMP/out")" -eq 11 ]; then
        pass "fwflash checksum on the $1 equals fwinfo --checksum of the image for all 11 kinds, computed by the chip's core"
    else
        fail "fwflash checksum on the $1" "$(diff "$TMP/chip.ck" "$TMP/file.ck" | head -4)"
    fi
done
# an L0's erased flash reads 0x00: the gaps are the part's erased value
"$BIN/fwinfo" --checksum crc32:0x08000000-0x08001000 --fill 0x00 "$S/stm32l100rb-blinky/blinky.elf" 2>/dev/null |
    awk '/ over /{print $2}' > "$TMP/l1.file"
run "$FWSIM" --target STM32L100RB --flash "$S/stm32l100rb-blinky/blinky.elf" -- "$FWFLASH" checksum \
    --range 0x08000000:0x1000
if [ "$rc" -eq 0 ] && [ -s "$TMP/l1.file" ] && grep -q "crc32 *$(cat "$TMP/l1.file") over 0x08000000-0x08000fff (erased flash 0x00" "$TMP/out"; then
    pass "fwflash checksum on an STM32L100RB (erased flash 0x00) equals fwinfo --checksum --fill 0x00"
else
    fail "fwflash checksum on an L1" "$(tail -2 "$TMP/out")"
fi
