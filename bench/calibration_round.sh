#!/bin/bash
# The cost of one calibration round: the committed TTP calibration
# (models/ttp/calibration/calibrate.yaml) cut to its first round, drawn from the
# prior, with N particles, so that it runs N historical runs (2020-01-01 ..
# 2023-02-28) through `borderland sweep`, writing only the series its statistics
# read, and computes their statistics. Prints the wall-clock time, runs/s and
# the peak memory of the whole command.
#
#   bench/calibration_round.sh [RUNS] [THREADS]     defaults: 10000 runs, nproc threads
#
# Needs the release build (scripts/setup.sh) and `import borderland`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-10000}
THREADS=${2:-$(nproc)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

/usr/bin/python3 - "$HERE/models/ttp/calibration/calibrate.yaml" "$WORK/round.yaml" "$RUNS" "$THREADS" <<'PY'
import os, sys, yaml
src, dst, runs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
cal = yaml.safe_load(open(src))
folder = os.path.dirname(os.path.abspath(src))
for key in ("base", "observation"):  # relative to the calibration file: made absolute here
    cal[key] = os.path.normpath(os.path.join(folder, cal[key]))
cal["method"].update(population=runs, rounds=1, max_simulations_per_round=runs,
                     draws=min(runs, cal["method"].get("draws", runs)))
cal["run"]["threads"] = threads
yaml.safe_dump(cal, open(dst, "w"), sort_keys=False)
PY

echo "# $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%dT%H:%MZ)," \
  "$(git -C "$HERE" rev-parse --short HEAD); $RUNS runs, $THREADS threads"
start=$(date +%s.%N)
/usr/bin/time -f "peak memory %M KiB" /usr/bin/python3 -m borderland.calibration calibrate \
  "$WORK/round.yaml" -o "$WORK/posterior.h5" 2>&1 | tail -3
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$RUNS" \
  'BEGIN { printf "calibration round: %d runs in %.0f s, %.2f runs/s\n", n, e - s, n / (e - s) }'
