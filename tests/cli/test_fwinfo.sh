#!/bin/sh
# SPDX-License-Identifier: MIT
# fwinfo: what it says about real files, in text and JSON.
. "$(dirname "$0")/lib.sh"
I=$BIN/fwinfo

if have_corpus; then
    run "$I" "$CORPUS/stm32f4_f446_kfuria_firmware.elf"
    if [ "$rc" -eq 0 ] && grep -q "initial SP 0x20020000, reset handler 0x08000251" "$TMP/out" &&
       grep -q "0x08000000-0x08000313        788 bytes  .isr_vector .text .init_array .fini_array" "$TMP/out" &&
       grep -q "start:     0x08000251" "$TMP/out"; then
        pass "fwinfo: ELF sections, vectors, start"
    else
        fail "fwinfo: ELF sections, vectors, start"
    fi
    run "$I" "$CORPUS/stm32l1_tmote_app.hex"
    if [ "$rc" -eq 0 ] && grep -q "0x08003800-0x0801f17f     113024 bytes  lines 2-7066" "$TMP/out"; then
        pass "fwinfo: HEX chunk with its lines"
    else
        fail "fwinfo: HEX chunk with its lines"
    fi
    run "$I" "$CORPUS/intelhex_t_eof_only.hex"
    if [ "$rc" -eq 0 ] && grep -q "the image holds no data" "$TMP/out"; then pass "fwinfo: EOF-only hex is empty"
    else fail "fwinfo: EOF-only hex is empty"; fi
    run "$I" --json "$CORPUS/stm32f1_bluepill_harish_firmware.elf" "$CORPUS/stm32_pyocd_nucleo_l152re.bin" --base 0x08000000
    if [ "$rc" -eq 0 ] && /usr/bin/python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 2, d
a, b = d
assert a["format"] == "elf" and a["start"] == "0x08000139", a
assert a["vectors"] == {"initial_sp": "0x20005000", "reset": "0x08000139"}, a
assert a["chunks"][0]["size"] == 584 and a["elf"]["machine_name"] == "ARM"
assert b["format"] == "bin" and b["chunks"][0]["start"] == "0x08000000" and b["data_bytes"] == 22172
assert b["vectors"]["reset"] == "0x08000275"
PY
    then pass "fwinfo --json is valid JSON with the facts"; else fail "fwinfo --json is valid JSON with the facts"; fi
    run "$I" "$CORPUS/bincopy_t_bad_crc.s19"
    expect "fwinfo: a bad file exits 2 and names the line" 2 "bincopy_t_bad_crc.s19:1:43: error: bad checksum 22, expected 25"
fi
if [ -f "$ROOT/tests/fixtures/elf/arm-be.elf" ]; then
    run "$I" "$ROOT/tests/fixtures/elf/arm-be.elf"
    if [ "$rc" -eq 0 ] && grep -q "ELF32 big-endian, ARM" "$TMP/out" && grep -qE "build-id:  [0-9a-f]{40}" "$TMP/out"; then
        pass "fwinfo: big-endian ELF with build-id"
    else
        fail "fwinfo: big-endian ELF with build-id"
    fi
fi
run "$I"
expect "fwinfo without a file is a usage error" 2 "no input file"
run "$I" --version
expect "fwinfo --version" 0
