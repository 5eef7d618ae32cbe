#!/bin/sh
# SPDX-License-Identifier: MIT
# The committed RAM loader bytes are what their source assembles to.
. "$(dirname "$0")/lib.sh"
if ! have arm-none-eabi-as; then
    skip "RAM loader bytes against their source" "arm-none-eabi-as is not installed (make deps installs binutils-arm-none-eabi)"
    exit 0
fi
sh "$ROOT/mk/assemble-loaders.sh" > "$TMP/loaders.c" 2> "$TMP/err"
if cmp -s "$TMP/loaders.c" "$ROOT/libimage/flash/loaders.c"; then
    pass "libimage/flash/loaders.c holds exactly what libimage/flash/loaders/*.S assemble to"
else
    fail "RAM loader bytes" "libimage/flash/loaders.c differs from mk/assemble-loaders.sh's output: run it again"
fi
