#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench, the production line: fwflash --serial all writes one 256 KiB
# image (the L476 blinky, then random data) to 1, 2 and 4 boards under
# fwsim, an STM32L476RG behind each probe. One table: the wall time of the
# run, each board's modelled time (fwsim --stats), and how long the boards'
# write phases overlapped (from the --log records' phase times).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build/release}
B="$ROOT/$BUILD"
D="$ROOT/build/bench/boards"
mkdir -p "$D"
arm-none-eabi-objcopy -O binary "$ROOT/samples/blinky/blinky-stm32l476rg.elf" "$D/head.bin"
python3 -c "
import random, sys
random.seed(1)
b = bytearray(open('$D/head.bin', 'rb').read())
b += bytes(random.getrandbits(8) for _ in range(256 * 1024 - len(b)))
open('$D/img.bin', 'wb').write(b)"
printf '%-7s %10s  %-40s %s\n' boards "wall (s)" "modelled per board (s)" "writes overlapped (s)"
for n in 1 2 4; do
    probes=""
    for i in $(seq 1 "$n"); do probes="$probes --probe v2,target=STM32L476RG,serial=L47600000000000000000B0$i"; done
    rm -f "$D/log$n"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$B/fwsim" $probes --stats "$D/stats$n.json" -- "$B/fwflash" -q --serial all --log "$D/log$n" write "$D/img.bin" ||
        { echo "bench: $n boards failed" >&2; continue; }
    end=$(date +%s.%N)
    python3 - "$n" "$start" "$end" "$D/stats$n.json" "$D/log$n" <<'PY'
import json, re, sys
n, start, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
modelled = re.findall(r'"modeled_time_s": ([0-9.]+)', open(sys.argv[4]).read())
writes = [[p for p in json.loads(l)["phases"] if p["name"] == "write"][0] for l in open(sys.argv[5])]
overlap = min(p["start"] + p["seconds"] for p in writes) - max(p["start"] for p in writes)
print("%-7d %10.2f  %-40s %s" % (n, end - start, " ".join("%.2f" % float(m) for m in modelled),
                                  "-" if n == 1 else "%.2f" % overlap))
PY
done
