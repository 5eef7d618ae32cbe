#!/bin/sh
# SPDX-License-Identifier: MIT
# Faults at transfer indexes of a small fwflash write under fwsim. For each
# fault kind and index: fwflash may only report success when the chip's
# flash matches the image, a failure must name its phase, and a second run
# (no fault) must complete the job. Exit 0 when all hold.
#   BUILD (build/release), STRIDE (1: every index), KINDS, TIMEOUT_STRIDE
#   (timeouts cost the host's 3 s each: every Nth index; 0 = none), PART and
#   IMAGE (default: the F103C8 blinky; WRITE_OPTS for a raw image, e.g.
#   "--force --base 0x08000000"), QUIRK (a fwsim --quirk every run of the
#   sweep has, e.g. stale-flags or wait-partial; with LOADERS=off the writes
#   go through the debug port, where wait-partial meets them)
BUILD=${BUILD:-build/release}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B="$ROOT/$BUILD"
STRIDE=${STRIDE:-1}
KINDS=${KINDS:-stall unplug ap-wait dp-wait ap-fault wrp power-loss}
TIMEOUT_STRIDE=${TIMEOUT_STRIDE:-0}
PART=${PART:-STM32F103C8}
IMAGE=${IMAGE:-$ROOT/samples/blinky/blinky-stm32f103c8.elf}
WRITE_OPTS=${WRITE_OPTS:-}
SIM_OPTS=""
[ -n "${QUIRK:-}" ] && SIM_OPTS="--quirk $QUIRK"
[ "${LOADERS:-on}" = off ] && SIM_OPTS="$SIM_OPTS --fault loader-fault"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$B/fwsim" $SIM_OPTS --target $PART --state "$W/s" --stats "$W/clean.json" -- "$B/fwflash" -q $WRITE_OPTS write "$IMAGE" > /dev/null 2>&1 || {
    echo "fault sweep: the write without faults failed"
    exit 1
}
last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["usb"]["transfers"])' "$W/clean.json")

runs=0 bad=0
one() {
    kind=$1 n=$2
    rm -f "$W/s"
    "$B/fwsim" $SIM_OPTS --target $PART --state "$W/s" --fault "$kind@$n" -- "$B/fwflash" -q $WRITE_OPTS write "$IMAGE" > "$W/out" 2> "$W/err"
    rc=$?
    runs=$((runs + 1))
    "$B/fwsim" --target $PART --state "$W/s" -- "$B/fwflash" -q $WRITE_OPTS verify "$IMAGE" > /dev/null 2>&1
    matches=$?
    if [ $rc -eq 0 ] && [ $matches -ne 0 ]; then
        echo "  $kind@$n: success reported, but the flash differs"
        bad=$((bad + 1))
    elif [ $rc -ne 0 ] && ! grep -qE "failed$|refused" "$W/err"; then
        echo "  $kind@$n: exit $rc without naming the phase: $(tail -1 "$W/err")"
        bad=$((bad + 1))
    fi
    if ! "$B/fwsim" --target $PART --state "$W/s" -- "$B/fwflash" -q $WRITE_OPTS write "$IMAGE" > /dev/null 2>&1; then
        echo "  $kind@$n: the second run did not complete the job"
        bad=$((bad + 1))
    fi
}
for kind in $KINDS; do
    n=1
    while [ $n -le "$last" ]; do
        one "$kind" $n
        n=$((n + STRIDE))
    done
done
if [ "$TIMEOUT_STRIDE" -gt 0 ]; then
    n=1
    while [ $n -le "$last" ]; do
        one timeout $n
        n=$((n + TIMEOUT_STRIDE))
    done
fi
extra=""
[ "$TIMEOUT_STRIDE" -gt 0 ] && extra=", timeout at every ${TIMEOUT_STRIDE}th"
echo "fault sweep: $runs faulted writes of $last transfers (every ${STRIDE} index, kinds: $KINDS$extra${QUIRK:+, quirk $QUIRK}${LOADERS:+, loaders $LOADERS}), $bad broken promises"
[ $bad -eq 0 ]
