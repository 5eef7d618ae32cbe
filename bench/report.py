# SPDX-License-Identifier: MIT
"""Prints the benchmark table from hyperfine JSON and GNU time RSS files."""
import json
import os
import statistics
import sys

res = sys.argv[1]
rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(res, "jobs.tsv"))]
data = {}
for job, tool, size, key in rows:
    times = json.load(open(os.path.join(res, key + ".json")))["results"][0]["times"]
    rss = [int(x) for x in open(os.path.join(res, key + ".rss")).read().split("\n") if x.strip().isdigit()]
    data.setdefault(job, []).append((tool, int(size), statistics.median(times), statistics.median(rss) / 1024))

print("| job | tool | median s | peak RSS MiB | MB/s of input | time / fwkit's |")
print("|---|---|---:|---:|---:|---:|")
for job, entries in data.items():
    ours = next((t for tool, _, t, _ in entries if tool.startswith("fw")), None)
    for tool, size, t, rss in entries:
        ratio = "1.00" if tool.startswith("fw") else ("%.2f" % (t / ours) if ours else "-")
        print("| %s | %s | %.3f | %.1f | %.0f | %s |" % (job, tool, t, rss, size / t / 1e6, ratio))
