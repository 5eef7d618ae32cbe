#!/bin/sh
# SPDX-License-Identifier: MIT
# Every real file of the corpus gets the verdict its MANIFEST asks for, and
# exactly the findings tests/lint-corpus.tsv lists (the table is read by eye
# when it changes). Healthy files: no error, at most one warning per ten.
. "$(dirname "$0")/lib.sh"
L=$BIN/fwlint
TABLE=$ROOT/tests/lint-corpus.tsv
if ! have_corpus; then
    skip "corpus verdicts and findings" "no corpus beside the checkout"
    exit 0
fi
MANIFEST=$CORPUS/../MANIFEST.tsv
rows=0 wrong="" ok_files=0 ok_errors=0 ok_warnings=0
tab=$(printf '\t')
while IFS="$tab" read -r file args code want manifest; do
    case "$file" in '#'* | file | '') continue ;; esac
    rows=$((rows + 1))
    # shellcheck disable=SC2086 # args are words
    "$L" $args "$CORPUS/$file" > "$TMP/out" 2>&1
    rc=$?
    got=$(sed -n 's/^[^ ]*: \(error\|warning\|note\): .*\[\([A-Z0-9-]*\)\]$/\2:\1/p' "$TMP/out" | sort -u | tr '\n' ',' | sed 's/,$//')
    [ -n "$got" ] || got=-
    if [ "$rc" != "$code" ] || [ "$got" != "$want" ]; then
        wrong="$wrong
    $file ($args): exit $rc, $got; the table says exit $code, $want"
    fi
    case "$manifest" in
    ok* | TRAP:*last\ 16\ bytes* | needs\ base*) ;;
    *) continue ;;
    esac
    case "$manifest:$args" in needs\ base*--base*) ;; needs\ base*) continue ;; esac
    ok_files=$((ok_files + 1))
    ok_errors=$((ok_errors + $(grep -c ": error: " "$TMP/out")))
    ok_warnings=$((ok_warnings + $(grep -c ": warning: " "$TMP/out")))
done < "$TABLE"
if [ -z "$wrong" ] && [ "$rows" -ge 50 ]; then
    pass "corpus: $rows runs of fwlint give the exit status and the findings of tests/lint-corpus.tsv"
else
    fail "corpus: fwlint's findings are those of tests/lint-corpus.tsv" "$wrong"
fi
if [ "$ok_errors" -eq 0 ] && [ $((ok_warnings * 10)) -le "$ok_files" ]; then
    pass "corpus: on the $ok_files healthy files, $ok_errors errors and $ok_warnings warnings (at most 1 per 10 files)"
else
    fail "corpus: on the $ok_files healthy files, $ok_errors errors and $ok_warnings warnings (at most 1 per 10 files)"
fi
# hints in armlink's terms for a Keil .axf
run "$L" -t STM32F030F4 "$CORPUS/stm32f4_f407_keil_template.axf"
if grep -q "hint: build without the FPU: --fpu=SoftVFP (Arm Compiler 5)" "$TMP/out"; then
    pass "corpus: a Keil .axf gets its hints in armlink's terms"
else
    fail "corpus: a Keil .axf gets its hints in armlink's terms"
fi
# an application linked at 0x08003800, flashed as a raw binary without its
# base: its handlers fall inside it at 0x08000000 too, only its pointers tell
"$BIN/fwconv" -q "$CORPUS/stm32l1_tmote_app.hex" -o "$TMP/app.bin"
run "$L" -t STM32L151CBxxA "$TMP/app.bin"
if grep -q "warning: this binary looks linked at 0x08003800, not at 0x08000000 where it was assumed (no --base)" "$TMP/out" &&
   grep -q "hint: pass --base 0x08003800" "$TMP/out"; then
    pass "corpus: an application binary that would lint clean at the wrong base is told its base"
else
    fail "corpus: an application binary that would lint clean at the wrong base is told its base"
fi
# every file of the MANIFEST is in the table, or is a parser test vector read below
missing=""
for f in $(awk -F'\t' 'NR > 1 { print $1 }' "$MANIFEST"); do
    grep -q "^$f$tab" "$TABLE" && continue
    case "$f" in
    intelhex_t_decode_record_vectors.tsv) continue ;;
    bincopy_t_in_blank_lines.hex | bincopy_t_issue_4_in.hex | intelhex_t_hex64k.hex | intelhex_t_nonlinear.hex | \
        intelhex_t_rectype3.hex | intelhex_t_rectype5.hex | srecord_t0191a_expected_i16hex.hex | srecord_t0191a_in.s19)
        "$BIN/fwinfo" "$CORPUS/$f" > /dev/null 2>&1 || missing="$missing $f(unreadable)"
        continue
        ;;
    esac
    missing="$missing $f"
done
if [ -z "$missing" ]; then pass "corpus: every file of the MANIFEST is linted by the table or read as a parser vector"
else fail "corpus: files of the MANIFEST with no verdict:$missing"; fi

# python-intelhex's record vectors: each record (after the earlier ones of
# its test) read as a file; an error there is exit 2 here. Two deliberate
# differences: a line of spaces is a blank line (python-intelhex refuses
# it; blank lines are fine, as in bincopy's in_blank_lines.hex), and the
# same byte given twice is a note, not an error (FMT-OVERLAP).
python3 - "$CORPUS/intelhex_t_decode_record_vectors.tsv" "$BIN/fwinfo" "$TMP" > "$TMP/vec.out" <<'PY'
import ast, csv, subprocess, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
before, bad = {}, []
for r in rows:
    fn, rec = r["test_function"], ast.literal_eval(r["record_python_repr"])
    text = before.get(fn, "") + rec + ("" if rec.endswith("\n") else "\n")
    before[fn] = text
    if fn != "test_eof" and "EOF" not in r["expected"] and "EndOfFile" not in r["expected"]:
        text += ":00000001FF\n"
    path = sys.argv[3] + "/vector.hex"
    open(path, "w").write(text)
    rc = subprocess.run([sys.argv[2], path], capture_output=True).returncode
    want = 0 if r["expected"].startswith(("OK", "_EndOfFile")) else 2
    if fn == "test_non_empty_line" or (fn == "test_addr_overlap" and r["expected"] == "AddressOverlapError"):
        want = 0
    if rc != want:
        bad.append("%s %r: exit %d, want %d" % (fn, rec, rc, want))
print(len(rows), "vectors;", "; ".join(bad) if bad else "all agree")
PY
if grep -q "^26 vectors; all agree" "$TMP/vec.out"; then
    pass "python-intelhex's 26 record vectors: fwinfo accepts and refuses as it does (two deliberate differences)"
else
    fail "python-intelhex's record vectors" "$(cat "$TMP/vec.out")"
fi
