#!/bin/sh
# SPDX-License-Identifier: MIT
# Shell completion: bash's completion function answers as a user at the
# prompt would see (options from --help, part names, subcommands, files by
# extension); zsh's file parses and makes _arguments specs from --help.
. "$(dirname "$0")/lib.sh"
touch "$TMP/out" "$TMP/err"
rc=0

if ! have bash; then
    skip "bash completion" "bash is not installed"
else
    # complete WORD...: the words on the line, the last one being completed
    cat > "$TMP/complete.bash" <<'EOS'
. "$ROOT/completions/fwkit.bash"
cd "$ROOT"
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_fwkit
printf '%s\n' "${COMPREPLY[@]}"
EOS
    complete() { PATH="$BIN:$PATH" ROOT="$ROOT" bash "$TMP/complete.bash" "$@" > "$TMP/out" 2> "$TMP/err"; }

    complete fwlint --target STM32L1
    if grep -qx STM32L100RB "$TMP/out" && ! grep -qv '^STM32L1' "$TMP/out" && [ "$(wc -l < "$TMP/out")" -gt 50 ]; then
        pass "bash: fwlint --target STM32L1<TAB> lists the L1 parts of the database"
    else fail "bash: fwlint --target STM32L1<TAB> lists the L1 parts of the database"; fi

    complete fwflash --target stm32f103c
    if grep -qx STM32F103C8 "$TMP/out"; then pass "bash: a part name typed in lower case completes"
    else fail "bash: a part name typed in lower case completes"; fi

    complete fwflash ""
    if [ "$(tr '\n' ' ' < "$TMP/out")" = "probes info diagnose write verify read checksum options erase reset unlock " ]; then
        pass "bash: fwflash <TAB> offers its commands"
    else fail "bash: fwflash <TAB> offers its commands"; fi

    complete fwlint --form
    if [ "$(cat "$TMP/out")" = "--format" ]; then pass "bash: options come from --help"
    else fail "bash: options come from --help"; fi

    complete fwlint --format ""
    if [ "$(tr '\n' ' ' < "$TMP/out")" = "gcc json sarif " ]; then pass "bash: fwlint --format <TAB>"
    else fail "bash: fwlint --format <TAB>"; fi

    complete fwinfo samples/stm32l100rb-blinky/
    if grep -q 'blinky.elf$' "$TMP/out" && grep -q 'blinky.hex$' "$TMP/out" && ! grep -q 'mem.ld$' "$TMP/out" &&
        ! grep -q 'main.c$' "$TMP/out"; then
        pass "bash: image files by extension (not .ld or .c)"
    else fail "bash: image files by extension (not .ld or .c)"; fi

    complete fwlint --ld samples/stm32l100rb-blinky/m
    if grep -q 'mem.ld$' "$TMP/out" && ! grep -q 'main.c$' "$TMP/out"; then pass "bash: --ld completes linker scripts"
    else fail "bash: --ld completes linker scripts"; fi

    complete fwsim --probe v3
    if [ "$(tr '\n' ' ' < "$TMP/out")" = "v3 v3-loader " ]; then pass "bash: fwsim --probe <TAB>"
    else fail "bash: fwsim --probe <TAB>"; fi

    complete fwlint --disable VEC-M
    if [ "$(cat "$TMP/out")" = "VEC-MISSING" ]; then pass "bash: rule ids from fwlint --list-rules"
    else fail "bash: rule ids from fwlint --list-rules"; fi

    for t in fwinfo fwconv fwlint fwmerge fwcmp fwflash fwsim; do
        complete "$t" --
        n=$("$BIN/$t" --help 2>&1 | grep -oE '(^|[ ,[])--[a-z][a-z0-9-]*' | sed 's/^[ ,[]//' | sort -u | wc -l)
        got=$(grep -c '^--' "$TMP/out")
        if [ "$got" -eq "$n" ] && [ "$n" -gt 2 ]; then :; else
            fail "bash: every long option of $t" "$got completed, $n in --help"; rc=1
        fi
    done
    [ "$rc" -eq 0 ] && pass "bash: every long option of every tool completes"
fi

if ! have zsh; then
    skip "zsh completion" "zsh is not installed (make deps installs it)"
else
    if zsh -n "$ROOT/completions/_fwkit" 2> "$TMP/err"; then pass "zsh: _fwkit parses"
    else fail "zsh: _fwkit parses"; fi
    PATH="$BIN:$PATH" zsh -c ". '$ROOT/completions/_fwkit' 2>/dev/null; _fwkit_specs fwflash" > "$TMP/out" 2> "$TMP/err"
    if grep -qx -- '--target\[--target\]:part:_fwkit_parts' "$TMP/out" && grep -qx -- '-t\[-t\]:part:_fwkit_parts' "$TMP/out" &&
        grep -qx -- '--connect\[--connect\]:mode:(normal under-reset hot-plug)' "$TMP/out" && grep -qx -- '--jtag\[--jtag\]' "$TMP/out"; then
        pass "zsh: _arguments specs from fwflash --help (parts for -t/--target, modes for --connect, --jtag alone)"
    else fail "zsh: _arguments specs from fwflash --help"; fi
fi
