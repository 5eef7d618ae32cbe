#!/bin/sh
# SPDX-License-Identifier: MIT
# fwlint through its command line: the founding mistake, the corpus verdicts
# of the MANIFEST, the report formats, and fwlint as a make step.
. "$(dirname "$0")/lib.sh"
L=$BIN/fwlint
S=$ROOT/samples/stm32l100rb-blinky
PY=/usr/bin/python3

run "$L" -t STM32L100RBT6 --ld "$S/mem.ld" "$S/blinky.hex" "$S/blinky.elf"
if [ "$rc" -eq 0 ] && ! grep -q "error" "$TMP/out" && grep -q "reads 0x00, not 0xFF" "$TMP/out"; then
    pass "good sample lints clean, and L1's erased value is said plainly"
else
    fail "good sample lints clean, and L1's erased value is said plainly"
fi

run "$L" -t stm32l100rb --ld "$S/boot-alias/mem.ld" "$S/boot-alias/blinky.hex"
if [ "$rc" -eq 1 ] && grep -q "boot-alias/mem.ld:4:3: error: data at 0x00000000-0x000001cb (460 bytes) is linked at the boot alias" "$TMP/out" &&
   grep -q "\[PLACE-BOOT-ALIAS\]" "$TMP/out" && grep -q "relink with FLASH ORIGIN = 0x08000000 (.*boot-alias/mem.ld:4)" "$TMP/out" &&
   grep -q "fwconv --offset 0x08000000" "$TMP/out"; then
    pass "the founding mistake: PLACE-BOOT-ALIAS at the mem.ld line, with the fix"
else
    fail "the founding mistake: PLACE-BOOT-ALIAS at the mem.ld line, with the fix"
fi

# a 0-byte .hex (a build step that truncated its output) is empty, not "raw binary named like HEX"
: > "$TMP/truncated.hex"
run "$L" -t STM32L100RB "$TMP/truncated.hex"
if [ "$rc" -eq 1 ] && grep -q "error: the image holds no data \[IMG-EMPTY\]" "$TMP/out" &&
   ! grep -q "FMT-KIND-MISMATCH\|BIN-BASE" "$TMP/out" "$TMP/err"; then
    pass "0-byte .hex: IMG-EMPTY only, no talk of its kind or base"
else
    fail "0-byte .hex: IMG-EMPTY only, no talk of its kind or base"
fi

if have_corpus; then
    run "$L" -t STM32L100RB "$CORPUS/intelhex_t_eof_only.hex"
    if [ "$rc" -eq 1 ] && grep -q "error: the image holds no data \[IMG-EMPTY\]" "$TMP/out"; then pass "EOF-only hex: IMG-EMPTY"
    else fail "EOF-only hex: IMG-EMPTY"; fi
    # MANIFEST verdicts: good STM32 files lint clean against their part
    for spec in STM32F103C8:stm32f1_bluepill_harish_firmware.elf STM32F103C8:stm32f1_bluepill_harish_firmware.hex \
                STM32F407ZG:stm32f4_f407_keil_template.axf STM32F407ZG:stm32f4_f407_keil_template.hex \
                STM32F446RE:stm32f4_f446_kfuria_firmware.elf STM32F446RE:stm32f4_f446_kfuria_firmware.hex \
                STM32F446RE:stm32f4_f446_kfuria_firmware.srec STM32L151CBxxA:stm32l1_tmote_app.hex \
                STM32L151CBxxA:stm32l1_tmote_boot.hex STM32L152RE:stm32_pyocd_nucleo_l152re.bin; do
        run "$L" -q -t "${spec%%:*}" "$CORPUS/${spec#*:}"
        expect "corpus good: ${spec#*:} lints clean for ${spec%%:*}" 0
    done
    # the ELF and the HEX of one build agree
    run "$L" -q -t STM32F446RE "$CORPUS/stm32f4_f446_kfuria_firmware.elf" "$CORPUS/stm32f4_f446_kfuria_firmware.hex" \
        "$CORPUS/stm32f4_f446_kfuria_firmware.srec"
    if [ "$rc" -eq 0 ] && ! grep -q ART-STALE "$TMP/out"; then pass "corpus: elf, hex and srec of one build agree"
    else fail "corpus: elf, hex and srec of one build agree"; fi
    # MANIFEST verdicts: the wrong-target and broken files
    for spec in "1:ARM-STATE:lpc2148_openocd_test_rom.elf" "1:IMG-FOREIGN:lpc2148_openocd_test_rom.hex" \
                "1:ELF-TARGET:avr_atmegaos_firmware.elf" "1:ELF-TARGET:riscv_picorv32_archfx_firmware.elf" \
                "1:IMG-FOREIGN:avr_atmegaos_firmware.hex" "1:IMG-FOREIGN:intelhex_t_hex8.hex" \
                "1:IMG-FOREIGN:hcs08_s08i2c_project.abs.s19" "1:ELF-TARGET:hcs08_s08i2c_project.abs" \
                "2:FMT-KIND-MISMATCH:riscv_picorv32_archfx_firmware.verilog.hex" \
                "2:FMT-HEX-EOF:srecord_t0032a_data_only_no_eof.hex" "2:FMT-SREC:srecord_t0097a_zero_cksums.s19" \
                "2:FMT-SREC:bincopy_t_bad_crc.s19"; do
        code=${spec%%:*}; rest=${spec#*:}; rule=${rest%%:*}; file=${rest#*:}
        run "$L" -q -t STM32F103C8 "$CORPUS/$file"
        if [ "$rc" -eq "$code" ] && grep -q "\[$rule\]" "$TMP/out"; then pass "corpus bad: $file gives $rule (exit $code)"
        else fail "corpus bad: $file gives $rule (exit $code)"; fi
    done
fi

run "$L" --format json -t STM32L100RB --usage --ld "$S/boot-alias/mem.ld" "$S/boot-alias/blinky.hex"
if [ "$rc" -eq 1 ] && $PY - "$TMP/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["tool"] == "fwlint" and r["target"] == "STM32L100RB"
f = [x for x in r["findings"] if x["rule"] == "PLACE-BOOT-ALIAS"][0]
assert f["severity"] == "error" and f["line"] == 4 and f["file"].endswith("boot-alias/mem.ld")
assert f["address_range"] == {"start": "0x00000000", "end": "0x000001cb"} and "0x08000000" in f["hint"]
assert f["related"]["file"].endswith("blinky.hex")
assert r["summary"]["errors"] >= 1
alias = [u for u in r["usage"] if u["region"] == "BOOT_ALIAS"][0]
assert alias["used"] == 460
PY
then pass "--format json: findings, ranges, hints, usage"; else fail "--format json: findings, ranges, hints, usage"; fi

run "$L" --format sarif -t STM32L100RB --ld "$S/boot-alias/mem.ld" "$S/boot-alias/blinky.hex"
if [ "$rc" -eq 1 ] && $PY - "$TMP/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["version"] == "2.1.0"
run = r["runs"][0]
rules = [x["id"] for x in run["tool"]["driver"]["rules"]]
res = [x for x in run["results"] if x["ruleId"] == "PLACE-BOOT-ALIAS"][0]
assert rules[res["ruleIndex"]] == "PLACE-BOOT-ALIAS" and res["level"] == "error"
loc = res["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"].endswith("boot-alias/mem.ld") and loc["region"]["startLine"] == 4
PY
then pass "--format sarif: results tied to rules and to the mem.ld line"; else fail "--format sarif: results tied to rules and to the mem.ld line"; fi
# SARIF of an ELF finding too (byte offsets, logical locations), against the schema of what we emit
cp "$TMP/out" "$TMP/hex.sarif"
"$L" --format sarif -t STM32F103C8 "$ROOT/samples/stm32l100rb-blinky/boot-alias/blinky.elf" > "$TMP/elf.sarif" 2>/dev/null
if $PY -c 'import jsonschema' 2>/dev/null; then
    run $PY - "$ROOT/tests/fixtures/sarif/sarif-2.1.0-subset.schema.json" "$TMP/hex.sarif" "$TMP/elf.sarif" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.load(open(path)))
PY
    expect "--format sarif validates against the SARIF 2.1.0 objects it uses" 0
    # the check can fail: a misspelt property is refused
    sed 's/"ruleId"/"ruleID"/' "$TMP/elf.sarif" > "$TMP/bad.sarif"
    run $PY - "$ROOT/tests/fixtures/sarif/sarif-2.1.0-subset.schema.json" "$TMP/bad.sarif" <<'PY'
import json, sys, jsonschema
jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
PY
    if [ "$rc" -ne 0 ]; then pass "the SARIF check refuses a misspelt property"; else fail "the SARIF check refuses a misspelt property"; fi
    # and a region that says neither line nor offset (SARIF 3.30.2)
    sed 's/"byteOffset"/"byteLength"/' "$TMP/elf.sarif" > "$TMP/bad.sarif"
    run $PY - "$ROOT/tests/fixtures/sarif/sarif-2.1.0-subset.schema.json" "$TMP/bad.sarif" <<'PY'
import json, sys, jsonschema
jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
PY
    if [ "$rc" -ne 0 ] && grep -q "byteOffset" "$TMP/err"; then pass "the SARIF check refuses a region without a line or offset"
    else fail "the SARIF check refuses a region without a line or offset"; fi
    # the official OASIS schema (oasis-tcs/sarif-spec, Schemata/sarif-schema-2.1.0.json) is in no
    # Debian package: checked when SARIF_SCHEMA names a copy of it
    OFFICIAL=${SARIF_SCHEMA:-}
    if [ -f "$OFFICIAL" ]; then
        run $PY - "$OFFICIAL" "$TMP/hex.sarif" "$TMP/elf.sarif" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.validators.validator_for(schema)(schema)
for path in sys.argv[2:]:
    validator.validate(json.load(open(path)))
PY
        expect "--format sarif validates against the official SARIF 2.1.0 schema" 0
    else
        skip "--format sarif against the official SARIF 2.1.0 schema" "set SARIF_SCHEMA to a copy of the official schema file"
    fi
else
    skip "--format sarif validates" "python3-jsonschema not installed"
fi

run "$L" -t STM32L100RB --usage "$S/blinky.elf"
if grep -qE "^BANK_1 +flash +460 B +131072 B +0.35%" "$TMP/out"; then pass "--usage table"; else fail "--usage table"; fi

run "$L" --list-rules
if [ "$rc" -eq 0 ] && [ "$(grep -c . "$TMP/out")" -eq 48 ] && grep -q "^PLACE-BOOT-ALIAS  *error" "$TMP/out"; then
    pass "--list-rules: 48 rules with severity"
else
    fail "--list-rules: 48 rules with severity"
fi
run "$L" --list-targets L100RB
if [ "$rc" -eq 0 ] && grep -q "^STM32L100RB  *STM32L1  *cortex-m3  *dev 0x416  *flash 128K" "$TMP/out"; then
    pass "--list-targets PATTERN"
else
    fail "--list-targets PATTERN"
fi
run "$L" -t STM32F407 "$S/blinky.elf"
expect "an ambiguous part lists the candidates" 2 "'STM32F407' could be"
run "$L" -t NOTAPART "$S/blinky.elf"
expect "an unknown part says how to describe it" 2 "describe it with --map"
run "$L" -t STM32L100RB --disable NOPE "$S/blinky.elf"
expect "an unknown rule is a usage error" 2 "no rule matches 'NOPE'"
run "$L" -t STM32L100RB --error GRAN-PAD "$S/blinky.elf"
expect "--error raises a note to an error" 1
run "$L" -t STM32L100RB -Wno-GRAN-PAD -Wno-VEC- "$S/blinky.elf"
if [ "$rc" -eq 0 ] && ! grep -q GRAN-PAD "$TMP/out"; then pass "-Wno-RULE turns rules off"; else fail "-Wno-RULE turns rules off"; fi

# a user's map file for a part we do not ship
cat > "$TMP/board.map" <<'MAP'
[target MYBOARD]
core cortex-m4
fpu sp
region FLASH flash 0x00000000 256K erase 4K write 4 erased 0xff
region SRAM ram 0x20000000 64K
MAP
run "$L" --map "$TMP/board.map" -t myboard "$S/blinky.elf"
if [ "$rc" -eq 1 ] && grep -q "PLACE-UNMAPPED" "$TMP/out"; then pass "--map: a user's part"; else fail "--map: a user's part"; fi
printf '[target BAD]\nregion FLASH flash 0x0 1Q\n' > "$TMP/bad.map"
run "$L" --map "$TMP/bad.map" -t STM32L100RB "$S/blinky.elf"
if [ "$rc" -eq 2 ] && grep -q "bad.map:2:24: error: region size: expected a number, found '1Q'" "$TMP/out"; then
    pass "--map errors name file:line:column"
else
    fail "--map errors name file:line:column"
fi

# fwlint as a make step: the good image passes, the broken one stops make
cp -r "$S" "$TMP/sample"
cp "$ROOT/samples/fwlint.mk" "$TMP/fwlint.mk"
(cd "$TMP/sample" && make -s blinky.hex.lint FWLINT="$L") > "$TMP/out" 2> "$TMP/err"
rc=$?
expect "make step: the good image passes" 0
(cd "$TMP/sample" && make -s boot-alias/blinky.hex.lint FWLINT="$L") > "$TMP/out" 2> "$TMP/err"
rc=$?
if [ "$rc" -ne 0 ] && grep -q "PLACE-BOOT-ALIAS" "$TMP/out" && [ ! -e "$TMP/sample/boot-alias/blinky.hex.lint" ]; then
    pass "make step: the broken image stops make with the diagnostic"
else
    fail "make step: the broken image stops make with the diagnostic"
fi

# raw binaries: the base assumed is said; the base a binary was linked at is
# read from its vector table and its pointers; a DFU suffix is not firmware
B=$ROOT/samples/blinky
"$BIN/fwconv" -q "$B/blinky-stm32f103c8.elf" -o "$TMP/b.bin"
run "$L" -t STM32F103C8 "$TMP/b.bin"
if [ "$rc" -eq 0 ] && grep -q "note: a raw binary holds no address: it was placed at 0x08000000, the start of STM32F103C8's flash" "$TMP/out" &&
   ! grep -q "ART-BIN-BASE" "$TMP/out"; then
    pass "raw binary without --base: the assumed base is a note"
else
    fail "raw binary without --base: the assumed base is a note"
fi
run "$L" -t STM32F103C8 --base 0x08002000 "$TMP/b.bin"
if [ "$rc" -eq 1 ] && grep -q "warning: this binary looks linked at 0x08000000, not at 0x08002000 where it was placed by --base" "$TMP/out" &&
   grep -q "hint: pass --base 0x08000000" "$TMP/out"; then
    pass "raw binary at the wrong --base: the linked base, read from the binary, is the hint"
else
    fail "raw binary at the wrong --base: the linked base, read from the binary, is the hint"
fi
# the DFU file suffix (DFU 1.1 appendix B): recognised by its CRC, left out
python3 - "$TMP/b.bin" "$TMP/dfu.bin" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
body = data + struct.pack("<HHHH", 0xFFFF, 0xDF11, 0x0483, 0x0100) + b"UFD" + bytes([16])
open(sys.argv[2], "wb").write(body + struct.pack("<I", zlib.crc32(body) ^ 0xFFFFFFFF))
PY
run "$L" -t STM32F103C8 "$TMP/dfu.bin"
if [ "$rc" -eq 0 ] && grep -q "dfu.bin:0x1b0: note: the last 16 bytes are a USB DFU file suffix (vendor 0x0483 STMicroelectronics, product 0xdf11" "$TMP/out" &&
   "$BIN/fwcmp" -q "$TMP/dfu.bin@0x08000000" "$B/blinky-stm32f103c8.elf"; then
    pass "a DFU suffix is named and left out: the binary equals its ELF"
else
    fail "a DFU suffix is named and left out: the binary equals its ELF"
fi
cp "$TMP/dfu.bin" "$TMP/badcrc.bin"; printf '\000' | dd of="$TMP/badcrc.bin" bs=1 seek=$(($(wc -c < "$TMP/dfu.bin") - 1)) conv=notrunc 2>/dev/null
run "$L" -t STM32F103C8 "$TMP/badcrc.bin"
if ! grep -q "BIN-DFU-SUFFIX" "$TMP/out"; then pass "a suffix-like tail with a wrong CRC is firmware, not a suffix"
else fail "a suffix-like tail with a wrong CRC is firmware, not a suffix"; fi
if have_corpus; then
    run "$L" -t STM32WL55JC "$CORPUS/stm32wl_wl55_lorawan_dualcore_cm0plus.bin"
    if [ "$rc" -eq 1 ] && grep -q "looks linked at 0x08020000, not at 0x08000000 where it was assumed" "$TMP/out"; then
        pass "corpus: the WL55 CM0+ binary is linked at 0x08020000, and fwlint says so"
    else
        fail "corpus: the WL55 CM0+ binary is linked at 0x08020000, and fwlint says so"
    fi
    run "$L" -q -t STM32WL55JC --base 0x08020000 "$CORPUS/stm32wl_wl55_lorawan_dualcore_cm0plus.bin"
    expect "corpus: the WL55 CM0+ binary at its base lints clean" 0
fi

# a broken or hostile linker script costs little: INCLUDE of a device or a
# huge file is refused, an INCLUDE loop stops after 256 files
printf 'INCLUDE "/dev/zero"\nMEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 64K }\n' > "$TMP/dev.ld"
run "$L" --ld "$TMP/dev.ld" "$B/blinky-stm32f103c8.elf"
if [ "$rc" -ne 0 ] && grep -q "dev.ld:1:9: error: INCLUDE /dev/zero: not a regular file" "$TMP/out"; then
    pass "ld: INCLUDE of a device is refused, not read forever"
else
    fail "ld: INCLUDE of a device is refused, not read forever"
fi
head -c 4194305 /dev/zero | tr '\0' ' ' > "$TMP/huge.ld"
run "$L" --ld "$TMP/huge.ld" "$B/blinky-stm32f103c8.elf"
if [ "$rc" -eq 2 ] && grep -q "huge.ld: error: 4194305 bytes: more than the 4 MiB a linker script may be" "$TMP/out"; then
    pass "ld: a script over 4 MiB is refused by its size"
else
    fail "ld: a script over 4 MiB is refused by its size"
fi
printf 'INCLUDE self.ld\nINCLUDE self.ld\nINCLUDE self.ld\nINCLUDE self.ld\nINCLUDE self.ld\nINCLUDE self.ld\n' > "$TMP/self.ld"
printf 'MEMORY { FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 64K }\n' >> "$TMP/self.ld"
# 6 INCLUDEs of itself nest to 6^10 reads without the bound: the deadline is the test
(cd "$TMP" && timeout 60 "$L" --ld self.ld "$B/blinky-stm32f103c8.elf") > "$TMP/out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "INCLUDE nested more than 10 deep" "$TMP/out"; then
    pass "ld: a script that includes itself six times ends (256 files at most, not 6^10 reads)"
else
    fail "ld: a script that includes itself six times ends (256 files at most, not 6^10 reads)"
fi

# LD-DATA-LMA finds the cause: .data loads past the flash because the image overflows
if have arm-none-eabi-gcc; then
    arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os -nostdlib -T "$ROOT/tests/fixtures/elf/overflow.ld" \
        "$ROOT/tests/fixtures/elf/overflow.c" -o "$TMP/overflow.elf"
    run "$L" -t STM32F103C8 "$TMP/overflow.elf"
    if [ "$rc" -eq 1 ] && grep -q "error: .data: the image is 4500 bytes bigger than STM32F103C8's flash (64 KiB): .*the largest sections: .text 70024 bytes" "$TMP/out" &&
       ! grep -q "place it with '> RAM AT> FLASH'" "$TMP/out"; then
        pass "LD-DATA-LMA: an overflowing image is told by how much, with its largest sections"
    else
        fail "LD-DATA-LMA: an overflowing image is told by how much, with its largest sections"
    fi
else
    skip "LD-DATA-LMA on an overflowing image" "arm-none-eabi-gcc not installed"
fi
