#!/bin/sh
# SPDX-License-Identifier: MIT
# The tree stands alone: every source file carries its licence line, and no
# file refers to ../shared (the optional corpus path of the tests aside).
. "$(dirname "$0")/lib.sh"
touch "$TMP/out" "$TMP/err"
if ! git -C "$ROOT" rev-parse --git-dir > /dev/null 2>&1; then
    skip "the tree's files" "not a git checkout"
    exit 0
fi
cd "$ROOT" || exit 1
git ls-files | grep -v '^tests/fixtures/' | grep -E '\.(c|h|S|ld|sh|py|mk|cmake|bash|cpp)$|(^|/)(Makefile|rules|_fwkit)$|\.1$' |
    while read -r f; do grep -q 'SPDX-License-Identifier: MIT' "$f" || echo "$f"; done > "$TMP/nolicence"
if [ ! -s "$TMP/nolicence" ] && [ -f LICENSE ]; then
    pass "every source file has an SPDX-License-Identifier line, and LICENSE is there"
else
    rc=1; fail "every source file has an SPDX-License-Identifier line" "$(head -5 "$TMP/nolicence" | tr '\n' ' ')"
fi
# the tests' optional corpus (../shared/corpus) is the one thing of ../shared
# that may be named
git grep -n -e '\.\./shared' -e 'shared/reference' -e 'shared/data' -- . ':!tests/cli/test_tree.sh' |
    grep -v 'shared/corpus' |
    grep -vE '^(tests/run.sh|tests/cli/lib.sh|tests/fuzz/run.sh|tests/unit/support\.[ch]):[0-9]+:.*(SHARED|corpus)' > "$TMP/refs"
if [ ! -s "$TMP/refs" ]; then
    pass "no file refers to ../shared but the tests' optional corpus path"
else
    rc=1; fail "no file refers to ../shared but the tests' optional corpus path" "$(head -5 "$TMP/refs")"
fi
