#!/bin/bash
# The civil violence step kernel at 10^4 .. 10^7 agents on 1 and 2 threads: a
# readable summary of bench_civil_violence. Each configuration is repeated and
# the best repetition kept (on a shared or virtual machine the others measure
# the neighbours), then printed as citizen updates per second and the wall time
# per citizen per step of each phase.
#
#   bench/civil_violence_step.sh [BUILD_DIR] [REPETITIONS]
#
# defaults: build, 3 repetitions. Needs python3 (standard library only).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$HERE/build}
REPETITIONS=${2:-3}
BENCH="$BUILD/bench/bench_civil_violence"
[[ -x "$BENCH" ]] || {
  echo "civil_violence_step.sh: error: $BENCH not found; build first (scripts/setup.sh)" >&2
  exit 2
}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BENCH" --benchmark_repetitions="$REPETITIONS" --benchmark_format=json >"$WORK/bench.json" 2>/dev/null
python3 - "$WORK/bench.json" <<'PYTHON'
import json
import sys

with open(sys.argv[1]) as f:
    runs = [b for b in json.load(f)["benchmarks"] if b.get("run_type") == "iteration"]
best = {}
for b in runs:
    if b["run_name"] not in best or b["real_time"] < best[b["run_name"]]["real_time"]:
        best[b["run_name"]] = b
print("   agents threads  ms/step M updates/s   move decide arrest   jail  (ns per citizen per step)")
for b in sorted(best.values(), key=lambda b: (b["citizens"], b["run_name"])):
    args = dict(part.split(":") for part in b["run_name"].split("/")[1:3])
    print("%9s %7s %8.2f %11.1f %6.1f %6.1f %6.1f %6.1f" % (
        args["agents"], args["threads"], b["real_time"], b["citizen_updates_per_s"] / 1e6,
        b["move_ns"], b["decide_ns"], b["arrest_ns"], b["jail_ns"]))
PYTHON
