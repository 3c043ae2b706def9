#!/usr/bin/env bash
# The main job: "what happens if Pakistan does X, and how sure are we?", end to end.
#   1. scripts/setup.sh: installs the Debian packages that are missing, builds into build/
#      (a second run reuses the build);
#   2. one `borderland sweep` per scenario of scenarios/ttp/: the historical scenario
#      (2020-01-01 .. 2023-02-28, judged against the calibration targets) and every projection
#      (2023-03-01 .. 2026-12-31: baseline, talks, strikes, reforms, packages), each with the same
#      R replica seeds (one sweep seed for all, so replica r of every scenario has the same seed and
#      comparisons are paired), all cores at once, snapshots and events off, and only the series
#      the report reads (output.series): the sweep writes its compact file directly
#      (one compressed chunk per run and series), nothing is written and then cut;
#   3. a few map runs per projection (BORDERLAND_MAP_REPLICAS, the first replica seeds of the same
#      sweeps) keep their run files with yearly fighter snapshots and the attacks series
#      (MAP_OUTPUT), for the maps of where a policy changes fighters;
#   4. one HTML report (figures embedded, policy definitions, effects with intervals, maps,
#      calibration, provenance) with python3 -m borderland report.
# Environment:
#   BORDERLAND_REPLICAS      replicas per scenario (default 200)
#   BORDERLAND_MAP_REPLICAS  map runs per projection scenario (default 4; 0: no maps)
#   BORDERLAND_OUT           output folder (default out/policy_comparison)
#   BORDERLAND_JOBS          runs at a time (default: the number of cores)
#   BORDERLAND_BUILD_DIR     build folder (default build)
#   BORDERLAND_POSTERIOR     a posterior file (python3 -m borderland calibrate): every scenario runs over
#                            its draws x seeds (default models/ttp/calibration/posterior.h5 when that file
#                            exists; "none": seeds only); BORDERLAND_DRAWS (default 100) draws x
#                            BORDERLAND_DRAW_SEEDS (default 2) seeds replace BORDERLAND_REPLICAS
# Output: OUT/sweeps/<scenario>.h5 (compact sweep files), OUT/maps/<scenario>/run_*.h5,
#         OUT/logs/, OUT/report.html, OUT/compare.csv (+ .png), OUT/calibration.csv (+ .png).
set -euo pipefail
cd "$(dirname "$0")/.."

REPLICAS=${BORDERLAND_REPLICAS:-200}
MAP_REPLICAS=${BORDERLAND_MAP_REPLICAS:-4}
OUT=${BORDERLAND_OUT:-out/policy_comparison}
JOBS=${BORDERLAND_JOBS:-$(nproc)}
BUILD=${BORDERLAND_BUILD_DIR:-build}
PROJECTION_START=2023-03-01
SWEEP_SEED=2023              # one sweep seed for every scenario: replica r has the same seed in all
HISTORICAL=scenarios/ttp/historical_2020_2023.yaml
# --- output selection (what each sweep writes; docs/experiments.md, "What a run writes") ---
# What the report reads of a sweep (python3 -m borderland report; docs/analysis.md).
REPORT_SERIES="attacks, killed, attack_killed, fighters_pakistan, fighters_sanctuary, tension, attacks_by_province, attacks_by_district"
SWEEP_OUTPUT=("output.snapshot_every: 0" "output.events: false" "output.series: [$REPORT_SERIES]")
# The map runs: yearly fighter snapshots (the report's maps) and the attacks series. Their events
# are left out (the report reads attacks by province from the sweeps): with them each map run
# writes about 4.6 MB more (7 MB instead of 2.2 MB), 40 map runs 180 MB; add "output.events: true"
# to keep them for the viewer's attack layer.
MAP_OUTPUT=("output.snapshot_every: 365" "output.snapshot_fields: [fighters]" "output.series: [attacks]"
  "output.events: false")
# --- end of output selection ---
BIN=$BUILD/borderland
PY=/usr/bin/python3
export PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}"   # this checkout's borderland package

die() { echo "main: error: $*" >&2; exit 1; }
trap 'echo "main: error: step failed (exit $?): $BASH_COMMAND" >&2' ERR

[[ $REPLICAS =~ ^[1-9][0-9]*$ ]] || die "BORDERLAND_REPLICAS must be a positive integer, got '$REPLICAS'"
[[ $MAP_REPLICAS =~ ^[0-9]+$ ]] || die "BORDERLAND_MAP_REPLICAS must be a non-negative integer, got '$MAP_REPLICAS'"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "BORDERLAND_JOBS must be a positive integer, got '$JOBS'"
[[ -n $OUT ]] || die "BORDERLAND_OUT is empty"
started=$SECONDS

echo "main: [1/4] set-up and build (scripts/setup.sh)"
BORDERLAND_BUILD_DIR=$BUILD bash scripts/setup.sh || die "scripts/setup.sh failed (see above): packages or build"
[[ -x $BIN ]] || die "$BIN was not built"
$BIN models | grep -x ttp >/dev/null || die "$BIN has no 'ttp' model (borderland models lists: $($BIN models | grep -v '^ ' | tr '\n' ' '))"
$PY -c "import h5py, numpy, pandas, scipy, matplotlib, borderland" 2>/dev/null ||
  die "$PY cannot import h5py/numpy/pandas/scipy/matplotlib/borderland (scripts/setup.sh installs them)"
echo "main: build ready after $((SECONDS - started)) s"

# The scenarios: the historical one first, then every projection in scenarios/ttp/.
[[ -f $HISTORICAL ]] || die "$HISTORICAL is missing"
[[ -f scenarios/ttp/baseline.yaml ]] || die "scenarios/ttp/baseline.yaml is missing: nothing to compare the policies with"
scenarios=("$HISTORICAL")
for f in scenarios/ttp/*.yaml; do
  [[ $f == "$HISTORICAL" ]] || scenarios+=("$f")
done
names=()
for f in "${scenarios[@]}"; do names+=("$(basename "$f" .yaml)"); done
hist_name=$(basename "$HISTORICAL" .yaml)

# Clear our own earlier results (only files of this layout), so the report holds this job's runs alone.
mkdir -p "$OUT/sweeps" "$OUT/maps" "$OUT/logs" "$OUT/work"
OUT_ABS=$(cd "$OUT" && pwd)
find "$OUT/sweeps" "$OUT/work" -maxdepth 1 \( -name '*.h5' -o -name '*.h5.partial' -o -name '*.yaml' \) -delete
find "$OUT/maps" -mindepth 2 -maxdepth 2 -name 'run_*.h5' -delete
find "$OUT/maps" -mindepth 1 -maxdepth 1 -type d -empty -delete
find "$OUT/logs" -maxdepth 1 \( -name '*.log' -o -name '*.txt' \) -delete
rm -f "$OUT/report.html" "$OUT/compare.csv" "$OUT/compare.png" "$OUT/calibration.csv" "$OUT/calibration.png"

# --- posterior draws (report15) ---------------------------------------------------------------
# With a posterior file every scenario runs the same DRAWS posterior draws x DRAW_SEEDS seeds, as
# one list-design sweep marked `posterior: FILE` (borderland sweep checks its rows are draws of the
# file), so that the report pools draws x seeds as one scenario and its intervals and P(better)
# cover parameter and seed uncertainty (docs/analysis.md); without one, REPLICAS seeds at the
# scenarios' own parameter values (seed noise only). The map runs take the first draws, one seed each.
DEFAULT_POSTERIOR=models/ttp/calibration/posterior.h5
POSTERIOR=${BORDERLAND_POSTERIOR:-}
[[ -z $POSTERIOR && -f $DEFAULT_POSTERIOR ]] && POSTERIOR=$DEFAULT_POSTERIOR
[[ $POSTERIOR == none ]] && POSTERIOR=""
DRAWS=${BORDERLAND_DRAWS:-100}
DRAW_SEEDS=${BORDERLAND_DRAW_SEEDS:-2}
[[ $DRAWS =~ ^[1-9][0-9]*$ ]] || die "BORDERLAND_DRAWS must be a positive integer, got '$DRAWS'"
[[ $DRAW_SEEDS =~ ^[1-9][0-9]*$ ]] || die "BORDERLAND_DRAW_SEEDS must be a positive integer, got '$DRAW_SEEDS'"
if [[ -n $POSTERIOR ]]; then
  [[ -f $POSTERIOR ]] || die "BORDERLAND_POSTERIOR: $POSTERIOR: no such file"
  POSTERIOR=$(realpath "$POSTERIOR")
  $PY -m borderland posterior design "$POSTERIOR" --draws "$DRAWS" -o "$OUT_ABS/work/draws.csv" >/dev/null ||
    die "cannot take $DRAWS draws from $POSTERIOR (message above)"
  if ((MAP_REPLICAS > 0)); then
    $PY -m borderland posterior design "$POSTERIOR" --draws "$MAP_REPLICAS" -o "$OUT_ABS/work/draws_maps.csv" \
      >/dev/null || die "cannot take $MAP_REPLICAS draws from $POSTERIOR for the map runs (message above)"
  fi
  REPLICAS=$((DRAWS * DRAW_SEEDS))
  UNCERTAINTY="parameter and seed uncertainty: $DRAWS posterior draws x $DRAW_SEEDS seeds = $REPLICAS runs per scenario (posterior $POSTERIOR)"
else
  UNCERTAINTY="seed noise only: $REPLICAS seeds per scenario at the scenarios' parameter values (no posterior file: set BORDERLAND_POSTERIOR or commit $DEFAULT_POSTERIOR)"
fi
echo "main: uncertainty covered: $UNCERTAINTY"
# design_lines REPLICAS: the design part of a sweep file of REPLICAS runs (a scenario's runs, or its map runs).
design_lines() {
  local replicas=$1
  if [[ -z $POSTERIOR ]]; then
    printf 'design: replicas\nreplicas: %s\n' "$replicas"
  elif ((replicas == DRAWS * DRAW_SEEDS)); then
    printf 'design: list\nruns: %s\nposterior: %s\nreplicas: %s\n' "$OUT_ABS/work/draws.csv" "$POSTERIOR" "$DRAW_SEEDS"
  else
    printf 'design: list\nruns: %s\nposterior: %s\nreplicas: 1\n' "$OUT_ABS/work/draws_maps.csv" "$POSTERIOR"
  fi
}
# --- end of the posterior draws block ------------------------------------------------------------

# A replicas sweep of one scenario: sweep_yaml FILE SCENARIO REPLICAS SET-LINES...
sweep_yaml() {
  local file=$1 scenario=$2 replicas=$3
  shift 3
  {
    echo "description: main job, $(basename "$scenario" .yaml), $replicas replicas"
    echo "base: $PWD/$scenario"
    echo "set:"
    for line in "$@"; do echo "  $line"; done
    design_lines "$replicas"
    echo "seed: $SWEEP_SEED"
  } >"$file"
  $BIN validate "$file" >/dev/null || die "scenario $scenario is not valid (message above)"
}
for i in "${!scenarios[@]}"; do
  sweep_yaml "$OUT/work/${names[$i]}.yaml" "${scenarios[$i]}" "$REPLICAS" "${SWEEP_OUTPUT[@]}"
done
map_names=()
if ((MAP_REPLICAS > 0)); then
  for i in "${!scenarios[@]}"; do
    [[ ${names[$i]} == "$hist_name" ]] && continue
    map_names+=("${names[$i]}")
    sweep_yaml "$OUT/work/${names[$i]}.maps.yaml" "${scenarios[$i]}" "$MAP_REPLICAS" "${MAP_OUTPUT[@]}"
  done
fi
total=$(( ${#scenarios[@]} * REPLICAS + ${#map_names[@]} * MAP_REPLICAS ))
echo "main: [2/4] ${#scenarios[@]} scenarios (${names[*]}): $total runs, $JOBS at a time"

runs_done=0
runs_started=$SECONDS
progress() {  # after each sweep: runs done, rate, time left
  local elapsed=$((SECONDS - runs_started))
  local rate left
  rate=$(awk -v n="$runs_done" -v s="$elapsed" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
  left=$(awk -v n="$runs_done" -v s="$elapsed" -v t="$total" 'BEGIN { printf "%d", (n > 0 ? (t - n) * s / n : 0) }')
  printf 'main: %5d of %d runs done (%s), %s runs/s, about %d s left\n' "$runs_done" "$total" "$1" "$rate" "$left"
}
# run_sweep NAME YAML OUTPUT [sweep args...]: a failed run fails the job (its message is in the log).
run_sweep() {
  local name=$1 yaml=$2 output=$3
  shift 3
  if ! $BIN sweep "$yaml" -o "$output" --threads "$JOBS" "$@" 2>"$OUT/logs/$name.log"; then
    tail -5 "$OUT/logs/$name.log" >&2
    die "the sweep of $name failed (log: $OUT/logs/$name.log)"
  fi
}
for i in "${!scenarios[@]}"; do
  name=${names[$i]}
  run_sweep "$name" "$OUT/work/$name.yaml" "$OUT/sweeps/$name.h5"   # written compact (SWEEP_OUTPUT)
  runs_done=$((runs_done + REPLICAS))
  progress "$name"
done
if ((${#map_names[@]})); then
  echo "main: [3/4] map runs: ${#map_names[@]} projections x $MAP_REPLICAS seeds (yearly fighter snapshots)"
  for name in "${map_names[@]}"; do
    run_sweep "$name.maps" "$OUT/work/$name.maps.yaml" "$OUT/work/$name.maps.h5" --runs-dir "$OUT/maps/$name"
    rm -f "$OUT/work/$name.maps.h5"
    runs_done=$((runs_done + MAP_REPLICAS))
    progress "$name maps"
  done
else
  echo "main: [3/4] map runs: none (BORDERLAND_MAP_REPLICAS=0)"
fi
echo "main: $runs_done runs in $((SECONDS - runs_started)) s"

echo "main: [4/4] report (python3 -m borderland)"
projections=()
for n in "${names[@]}"; do
  [[ $n == "$hist_name" || $n == baseline ]] || projections+=("$OUT/sweeps/$n.h5")
done
$PY -m borderland calibration "$OUT/sweeps/$hist_name.h5" -o "$OUT/calibration.csv" >"$OUT/logs/calibration.txt" ||
  die "calibration failed"
$PY -m borderland compare "$OUT/sweeps/baseline.h5" "${projections[@]}" -o "$OUT/compare.csv" \
  --since "$PROJECTION_START" >"$OUT/logs/compare.txt" || die "compare failed"
map_args=()
((${#map_names[@]})) && map_args=(--maps "$OUT/maps")
$PY -m borderland report "$OUT/sweeps" "${map_args[@]}" -o "$OUT/report.html" --since "$PROJECTION_START" \
  ${POSTERIOR:+--posterior "$POSTERIOR"} ||
  die "report failed"
rm -rf "$OUT/work"
trap - ERR

echo
cat "$OUT/logs/compare.txt"
echo
tail -1 "$OUT/logs/calibration.txt"
echo
echo "main: finished in $((SECONDS - started)) s; $(du -sh "$OUT" | cut -f1) in $OUT_ABS"
echo "main: results  $OUT_ABS/sweeps  (one compact sweep file per scenario), $OUT_ABS/maps"
echo "main: report   $OUT_ABS/report.html  (intervals and P(better) cover $UNCERTAINTY)"
echo "main: viewer   $(realpath "$BIN") view $OUT_ABS   (serves the map, series and comparisons on http://127.0.0.1:8050/; Ctrl-C stops)"
