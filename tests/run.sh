#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every test (cmocka unit tests, CLI tests) against the build in $BUILD
# and ends with one line: "N passed, N failed".
BUILD=${BUILD:-build/check}
export BUILD
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
SHARED=${FWKIT_SHARED:-$ROOT/../shared}
export SHARED
# leaks are bugs too; UBSan findings abort
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
# unicorn's own leak, as the valgrind run suppresses it
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CMOCKA_MESSAGE_OUTPUT=TAP
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT

status=0
for t in "$ROOT/$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    (cd "$ROOT" && "$t") > "$LOG/$name.tap" 2>&1
    rc=$?
    # cmocka reports a skipped test as "not ok N # SKIP": a skip, not a failure
    grep -E '^(not )?ok ' "$LOG/$name.tap" | sed -E "s/^not ok [0-9]+ # SKIP (.*)/skip - [$name] \1 (skipped by the test)/; /^skip/!s/^/[$name] /"
    if [ $rc -ne 0 ] && ! grep -v '# SKIP' "$LOG/$name.tap" | grep -q '^not ok'; then
        echo "not ok - $name exited with $rc"
        sed 's/^/    /' "$LOG/$name.tap"
    elif grep -v '# SKIP' "$LOG/$name.tap" | grep -q '^not ok'; then
        grep -v '# SKIP' "$LOG/$name.tap" | sed -n '/^not ok/,/^ok/p' | grep -v '^ok' | sed 's/^/    /'
    fi
done > "$LOG/all"
for s in "$ROOT"/tests/cli/test_*.sh; do
    sh "$s" 2>&1
done >> "$LOG/all"
cat "$LOG/all"
passed=$(grep -cE '^(\[[^]]*\] )?ok ' "$LOG/all")
failed=$(grep -cE '^(\[[^]]*\] )?not ok ' "$LOG/all")
skipped=$(grep -cE '^(\[[^]]*\] )?skip ' "$LOG/all")
[ "$failed" -eq 0 ] || status=1
# skips are shown, never counted as passes; the last line keeps its fixed shape
[ "$skipped" -eq 0 ] || echo "$skipped skipped (the 'skip' lines above say why)"
echo "$passed passed, $failed failed"
exit $status
