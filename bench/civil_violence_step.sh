#!/bin/bash
# The civil violence step kernel on every vector path the CPU has (plain,
# avx2, avx512; forced with BORDERLAND_VECTOR_PATH), at 10^4 .. 10^7 agents on
# 1 and 2 threads for the default vision shape (von_neumann) and at 10^6 for
# every shape: a readable summary of bench_civil_violence. Each configuration
# is repeated and the best repetition kept (on a shared or virtual machine the
# others measure the neighbours), then printed as citizen updates per second
# and the wall time per citizen per step of each phase, with the path that
# ran, the CPU's model and its vector flags.
#
#   bench/civil_violence_step.sh [BUILD_DIR] [REPETITIONS] [PATHS]
#
# defaults: build, 3 repetitions, every path the CPU has (e.g. "plain avx2").
# BENCH_FILTER (a --benchmark_filter regex) runs a subset, e.g. 'agents:1000000/'.
# Needs python3 (standard library only).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$HERE/build}
REPETITIONS=${2:-3}
BENCH="$BUILD/bench/bench_civil_violence"
[[ -x "$BENCH" ]] || {
  echo "civil_violence_step.sh: error: $BENCH not found; build first (scripts/setup.sh)" >&2
  exit 2
}
if [[ $# -ge 3 ]]; then
  PATHS=$3
else
  PATHS="plain"
  grep -qw avx2 /proc/cpuinfo && PATHS="$PATHS avx2"
  grep -qw avx512f /proc/cpuinfo && PATHS="$PATHS avx512"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for path in $PATHS; do
  BORDERLAND_VECTOR_PATH=$path "$BENCH" --benchmark_repetitions="$REPETITIONS" \
    --benchmark_filter="${BENCH_FILTER:-.}" --benchmark_format=json >"$WORK/bench-$path.json" 2>/dev/null
done
python3 - "$WORK"/bench-*.json <<'PYTHON'
import json
import sys

header = None
for name in sys.argv[1:]:
    with open(name) as f:
        report = json.load(f)
    context = report["context"]
    if header is None:
        header = context
        print("CPU: %s" % context.get("cpu_model", "unknown"))
        print("vector flags: %s" % context.get("cpu_vector_flags", ""))
        print("cores: %s, %s MHz" % (context["num_cpus"], context["mhz_per_cpu"]))
        print()
        print("path   shape         agents threads  ms/step M updates/s   move decide arrest   jail"
              "  (ns per citizen per step)")
    runs = [b for b in report["benchmarks"] if b.get("run_type") == "iteration"]
    best = {}
    for b in runs:
        if b["run_name"] not in best or b["real_time"] < best[b["run_name"]]["real_time"]:
            best[b["run_name"]] = b
    for b in sorted(best.values(), key=lambda b: (b["label"].split()[0] != "von_neumann",
                                                  b["label"], b["citizens"], b["run_name"])):
        args = dict(part.split(":") for part in b["run_name"].split("/")[1:4])
        shape, path = b["label"].split()
        print("%-6s %-11s %9s %7s %8.2f %11.1f %6.1f %6.1f %6.1f %6.1f" % (
            path, shape, args["agents"], args["threads"], b["real_time"],
            b["citizen_updates_per_s"] / 1e6, b.get("move_ns", 0.0), b["decide_ns"],
            b["arrest_ns"], b["jail_ns"]))
PYTHON
