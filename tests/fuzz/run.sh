#!/bin/sh
# SPDX-License-Identifier: MIT
# make fuzz: runs every libFuzzer target for FUZZ_SECONDS, seeded from the
# fixtures, samples and corpus; crashes land in build/fuzz/crashes/TARGET.
FUZZ_BUILD=$(mkdir -p "${FUZZ_BUILD:-build/fuzz}" && cd "${FUZZ_BUILD:-build/fuzz}" && pwd)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
JOBS=${FUZZ_JOBS:-1}
seed() { # target, file patterns...
    dir=$FUZZ_BUILD/corpus/$1
    mkdir -p "$dir"
    shift
    for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/" 2>/dev/null; done
}
seed ihex "$ROOT"/tests/fixtures/elf/*.hex "$ROOT"/samples/*/*.hex "$SHARED"/corpus/files/*.hex
seed srec "$SHARED"/corpus/files/*.s19 "$SHARED"/corpus/files/*.srec
seed elf "$ROOT"/tests/fixtures/elf/*.elf "$ROOT"/samples/*/*.elf "$SHARED"/corpus/files/*.elf \
    "$SHARED"/corpus/files/*.axf "$SHARED"/corpus/files/*.abs
seed bin "$ROOT"/samples/*/*.bin
seed detect "$ROOT"/samples/*/blinky.hex "$SHARED"/corpus/files/*.s19 "$ROOT"/tests/fixtures/elf/arm-be.elf
seed ldscript "$ROOT"/samples/*/mem.ld "$ROOT"/samples/*/sections.ld "$ROOT"/samples/*/boot-alias/mem.ld
mkdir -p "$FUZZ_BUILD/corpus/targetmap"
head -n 120 "$ROOT/libimage/target/stm32.map" > "$FUZZ_BUILD/corpus/targetmap/stm32-head.map"
printf '[target X]\ncore rv32imac\nreset 0x20010000\nregion F flash 0x20000000 64K erase 4K layout 16x4096 write 4 erased 0xff\nregion R ram 0x80000000 16K\n' \
    > "$FUZZ_BUILD/corpus/targetmap/riscv.map"
for f in "$ROOT"/samples/stm32l100rb-blinky/blinky.hex "$ROOT"/tests/fixtures/elf/arm-be.elf; do
    gzip -c "$f" > "$FUZZ_BUILD/corpus/detect/$(basename "$f").gz"
done
# ASan keeps freed memory in a quarantine of 256 MiB by default: the fastest
# target (the ld reader, 10,000 inputs a second of a few KiB each) filled it
# and peaked at 479 MB, while no input costs the reader more than 2.5 MB
# (valgrind: at most 32 KiB allocated per corpus input). 64 MiB keeps the
# use-after-free window and lets peak_rss_mb speak of the code; one
# allocation over 64 MiB is reported as a finding.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=64"
status=0
for t in "$FUZZ_BUILD"/fuzz_*; do
    name=${t##*/fuzz_}
    mkdir -p "$FUZZ_BUILD/crashes/$name" "$FUZZ_BUILD/jobs/$name"
    echo "fuzz: $name for ${FUZZ_SECONDS}s"
    # libFuzzer writes its per-job fuzz-N.log files into the working folder
    (cd "$FUZZ_BUILD/jobs/$name" && "$t" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -rss_limit_mb=2048 -malloc_limit_mb=64 -jobs="$JOBS" -workers="$JOBS" \
        -artifact_prefix="$FUZZ_BUILD/crashes/$name/" -print_final_stats=1 \
        -dict="$ROOT/tests/fuzz/formats.dict" \
        "$FUZZ_BUILD/corpus/$name") > "$FUZZ_BUILD/$name.log" 2>&1 || status=1
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY' "$FUZZ_BUILD/$name.log" | sed "s/^/  $name: /"
done
exit $status
