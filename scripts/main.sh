#!/usr/bin/env bash
# The main job: "what happens if Pakistan does X?", end to end.
#   1. scripts/setup.sh: installs the Debian packages that are missing, builds into build/
#      (a second run reuses the build);
#   2. runs the TTP policy comparison: the historical scenario (2020-01-01 .. 2023-02-28,
#      judged against the calibration targets) and every projection scenario in
#      scenarios/ttp/ (2023-03-01 .. 2026-12-31: baseline, talks, strikes, reforms, packages),
#      each with the same seeds 1..R, two runs at a time;
#   3. writes one HTML report (figures embedded, tables, provenance) with analysis/.
# Environment:
#   BORDERLAND_REPLICAS  replicas (seeds 1..R) per scenario (default 24: about 7 minutes on 2 idle cores)
#   BORDERLAND_OUT       output folder (default out/policy_comparison)
#   BORDERLAND_JOBS      runs at a time (default: the number of cores)
# Output: OUT/runs/<scenario>/seed_<n>.h5, OUT/logs/ (one log per run), OUT/report.html,
#         OUT/compare.csv (+ .png), OUT/calibration.csv (+ .png).
set -euo pipefail
cd "$(dirname "$0")/.."

REPLICAS=${BORDERLAND_REPLICAS:-24}
OUT=${BORDERLAND_OUT:-out/policy_comparison}
JOBS=${BORDERLAND_JOBS:-$(nproc)}
PROJECTION_START=2023-03-01
HISTORICAL=scenarios/ttp/historical_2020_2023.yaml
BIN=${BORDERLAND_BUILD_DIR:-build}/borderland   # where scripts/setup.sh builds
PY=/usr/bin/python3
export PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}"   # this checkout's borderland package

die() { echo "main: error: $*" >&2; exit 1; }
trap 'echo "main: error: step failed (exit $?): $BASH_COMMAND" >&2' ERR

[[ $REPLICAS =~ ^[1-9][0-9]*$ ]] || die "BORDERLAND_REPLICAS must be a positive integer, got '$REPLICAS'"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "BORDERLAND_JOBS must be a positive integer, got '$JOBS'"
[[ -n $OUT ]] || die "BORDERLAND_OUT is empty"
started=$SECONDS

echo "main: [1/4] set-up and build (scripts/setup.sh)"
bash scripts/setup.sh || die "scripts/setup.sh failed (see above): packages or build"
[[ -x $BIN ]] || die "$BIN was not built"
$BIN models | grep -x ttp >/dev/null || die "$BIN has no 'ttp' model (borderland models lists: $($BIN models | grep -v '^ ' | tr '\n' ' '))"
$PY -c "import h5py, numpy, pandas, scipy, matplotlib" 2>/dev/null ||
  die "$PY lacks h5py/numpy/pandas/scipy/matplotlib (scripts/setup.sh installs python3-h5py etc.)"
echo "main: build ready after $((SECONDS - started)) s"

# The scenarios: the historical one first, then every projection in scenarios/ttp/.
[[ -f $HISTORICAL ]] || die "$HISTORICAL is missing"
[[ -f scenarios/ttp/baseline.yaml ]] || die "scenarios/ttp/baseline.yaml is missing: nothing to compare the policies with"
scenarios=("$HISTORICAL")
for f in scenarios/ttp/*.yaml; do
  [[ $f == "$HISTORICAL" ]] || scenarios+=("$f")
done
for f in "${scenarios[@]}"; do
  $BIN validate "$f" >/dev/null || die "scenario $f is not valid (message above)"
done
names=()
for f in "${scenarios[@]}"; do names+=("$(basename "$f" .yaml)"); done
echo "main: [2/4] scenarios (${#scenarios[@]}): ${names[*]}"

# Clear our own earlier results (only files of this layout), so the report holds this job's runs alone.
mkdir -p "$OUT/runs" "$OUT/logs"
OUT_ABS=$(cd "$OUT" && pwd)
find "$OUT/runs" -mindepth 2 -maxdepth 2 \( -name 'seed_*.h5' -o -name 'seed_*.h5.partial' \) -delete
find "$OUT/runs" -mindepth 1 -maxdepth 1 -type d -empty -delete
find "$OUT/logs" -maxdepth 1 -name '*.log' -delete
rm -f "$OUT/report.html" "$OUT/compare.csv" "$OUT/compare.png" "$OUT/calibration.csv" "$OUT/calibration.png"

total=$(( ${#scenarios[@]} * REPLICAS ))
echo "main: [3/4] $total runs: ${#scenarios[@]} scenarios x seeds 1..$REPLICAS, $JOBS at a time"
run_one() {  # scenario-file name seed
  local scen=$1 name=$2 seed=$3 t0=$SECONDS
  mkdir -p "$OUT/runs/$name"
  if "$BIN" run "$scen" -o "$OUT/runs/$name/seed_$seed.h5" --seed "$seed" --threads 1 -q \
      >"$OUT/logs/${name}_seed_$seed.log" 2>&1; then
    echo "  done $name seed $seed ($((SECONDS - t0)) s)"
  else
    echo "  FAILED $name seed $seed (exit $?): see $OUT/logs/${name}_seed_$seed.log" >&2
    return 1
  fi
}
export -f run_one
export BIN OUT
runs_started=$SECONDS
for seed in $(seq 1 "$REPLICAS"); do
  for i in "${!scenarios[@]}"; do echo "${scenarios[$i]} ${names[$i]} $seed"; done
done | xargs -P "$JOBS" -L 1 bash -c 'run_one "$@"' _ ||
  { for log in "$OUT"/logs/*.log; do [[ -s $log ]] && { echo "--- $log"; tail -5 "$log"; }; done >&2
    die "some runs failed (listed above)"; }
done_runs=$(find "$OUT/runs" -name 'seed_*.h5' | wc -l)
[[ $done_runs -eq $total ]] || die "expected $total result files, found $done_runs"
echo "main: $total runs in $((SECONDS - runs_started)) s"

echo "main: [4/4] report (python3 -m borderland)"
hist_name=$(basename "$HISTORICAL" .yaml)
projections=()
for n in "${names[@]}"; do
  [[ $n == "$hist_name" || $n == baseline ]] || projections+=("$OUT/runs/$n")
done
$PY -m borderland calibration "$OUT/runs/$hist_name" -o "$OUT/calibration.csv" >"$OUT/logs/calibration.txt" ||
  die "analysis calibration failed"
$PY -m borderland compare "$OUT/runs/baseline" "${projections[@]}" -o "$OUT/compare.csv" \
  --since "$PROJECTION_START" >"$OUT/logs/compare.txt" || die "analysis compare failed"
$PY -m borderland report "$OUT/runs" -o "$OUT/report.html" --since "$PROJECTION_START" || die "analysis report failed"
trap - ERR

echo
cat "$OUT/logs/compare.txt"
echo
tail -1 "$OUT/logs/calibration.txt"
echo
echo "main: finished in $((SECONDS - started)) s"
echo "main: results  $OUT_ABS/runs  ($total HDF5 files: <scenario>/seed_<n>.h5)"
echo "main: report   $OUT_ABS/report.html"
