#!/bin/sh
# SPDX-License-Identifier: MIT
# The manual pages: mandoc -Tlint finds nothing, man(1) renders each, and the
# options of each tool's --help and of its page are the same set.
. "$(dirname "$0")/lib.sh"
touch "$TMP/out" "$TMP/err"
TOOLS="fwinfo fwconv fwlint fwmerge fwcmp fwflash fwsim"

# the option names in a text: -x and --long-name; "-Wno-RULE" counts as -W
options() {
    grep -oE '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[^-]+//; s/^(-[A-Za-z]).+/\1/; s/^(--[a-z0-9-]*[a-z0-9]).*/\1/' |
        grep -vE '^--?$' | sort -u
}

if ! have mandoc; then
    skip "manual pages" "mandoc is not installed (make deps installs it)"
    exit 0
fi
for t in $TOOLS; do
    page=$ROOT/man/$t.1
    if [ ! -f "$page" ]; then
        rc=1; fail "$t.1 exists"; continue
    fi
    rc=0
    mandoc -Tlint -Wwarning "$page" > "$TMP/lint" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ] && [ ! -s "$TMP/lint" ]; then pass "$t.1: mandoc -Tlint is clean"
    else fail "$t.1: mandoc -Tlint is clean" "$(head -3 "$TMP/lint")"; fi

    if have man; then
        MANWIDTH=80 man -l "$page" > "$TMP/man" 2> "$TMP/err"; rc=$?
        if [ "$rc" -eq 0 ] && grep -q "^SYNOPSIS" "$TMP/man" && grep -q "^EXIT STATUS" "$TMP/man"; then
            pass "$t.1: man -l renders it"
        else
            fail "$t.1: man -l renders it"
        fi
    fi

    # the page's options: its SYNOPSIS, COMMANDS and OPTIONS sections
    mandoc -Tascii -Owidth=250 "$page" | col -b |
        awk '/^[A-Z]/{keep = ($0 ~ /^(SYNOPSIS|COMMANDS|OPTIONS)$/)} keep' | options > "$TMP/page-opts"
    "$BIN/$t" --help 2>&1 | options > "$TMP/help-opts"
    if cmp -s "$TMP/page-opts" "$TMP/help-opts"; then
        pass "$t: every option of --help is in $t.1, and the other way round ($(wc -l < "$TMP/help-opts") options)"
    else
        rc=1
        fail "$t: every option of --help is in $t.1, and the other way round" \
            "only in --help: $(comm -13 "$TMP/page-opts" "$TMP/help-opts" | tr '\n' ' ')" \
            "only in the page: $(comm -23 "$TMP/page-opts" "$TMP/help-opts" | tr '\n' ' ')"
    fi
done
