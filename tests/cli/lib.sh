# SPDX-License-Identifier: MIT
# Helpers for CLI tests: each check prints "ok - NAME" or "not ok - NAME"
# (with what went wrong), and "skip - NAME (why)" when a tool is missing.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build/check}
BIN="$ROOT/$BUILD"
SHARED=${SHARED:-$ROOT/../shared}
CORPUS="$SHARED/corpus/files"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp} # unicorn's own leak
export NO_COLOR=1

# run CMD...: runs it, keeping stdout, stderr and the exit code
run() {
    "$@" > "$TMP/out" 2> "$TMP/err"
    rc=$?
}

pass() { echo "ok - $1"; }
fail() {
    echo "not ok - $1"
    shift
    [ $# -gt 0 ] && echo "    $*"
    echo "    exit: $rc"
    [ -f "$TMP/err" ] && sed 's/^/    stderr: /' "$TMP/err" | head -10
    [ -f "$TMP/out" ] && sed 's/^/    stdout: /' "$TMP/out" | head -10
    return 0
}
skip() { echo "skip - $1 ($2)"; }

# expect NAME CODE [GREP-PATTERN-IN-STDERR]
expect() {
    name=$1 code=$2 pattern=${3:-}
    if [ "$rc" -ne "$code" ]; then
        fail "$name" "expected exit $code"
    elif [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$TMP/err"; then
        fail "$name" "stderr lacks: $pattern"
    else
        pass "$name"
    fi
}

# check NAME COMMAND...: passes when the command succeeds
check() {
    name=$1
    shift
    if "$@" > "$TMP/check.out" 2>&1; then pass "$name"; else fail "$name" "$(head -5 "$TMP/check.out")"; fi
}

have() { command -v "$1" > /dev/null 2>&1; }
have_corpus() { [ -d "$CORPUS" ]; }
