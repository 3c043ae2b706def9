#!/bin/bash
# Sweep throughput: runs per second of seed ensembles on this machine, on 1 and
# 2 threads and on 2 and 3 MPI ranks (rank 0 writes the file and hands out runs,
# the others run them), for the civil violence model and the TTP historical
# scenario.
#
#   bench/sweep_throughput.sh [BUILD_DIR] [CV_RUNS] [TTP_RUNS]
#
# defaults: build, 200 civil violence runs (classic 40x40 setting, 200 days),
# 8 TTP runs (the full 2020-01-01 .. 2023-02-28 historical scenario). Prints one
# line per configuration and a projection for a 1,000-run TTP ensemble.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$HERE/build}
CV_RUNS=${2:-200}
TTP_RUNS=${3:-8}
BIN=$(realpath "$BUILD/borderland")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # containers run as root

cat > "$WORK/cv.yaml" <<YAML
base: $HERE/scenarios/civil_violence.yaml
set: {end: 2000-07-18, output.snapshot_every: 0}
design: replicas
replicas: $CV_RUNS
seed: 1
YAML
cat > "$WORK/ttp.yaml" <<YAML
base: $HERE/scenarios/ttp/historical_2020_2023.yaml
set: {output.snapshot_every: 0}
design: replicas
replicas: $TTP_RUNS
seed: 1
YAML

rate() {  # name, then the command; prints runs/s from the sweep's closing line
  local name=$1
  shift
  rm -f "$WORK"/out.h5*
  local line
  line=$(cd "$WORK" && "$@" 2>&1 | grep -o '[0-9.]* runs/s' | tail -1)
  printf '%-40s %s\n' "$name" "${line:-failed}"
}

echo "# $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$HERE" rev-parse --short HEAD)"
for model in cv ttp; do
  [[ $model == ttp && ! -f $HERE/scenarios/ttp/historical_2020_2023.yaml ]] && continue
  runs=$CV_RUNS; [[ $model == ttp ]] && runs=$TTP_RUNS
  rate "$model ($runs runs), 1 thread" "$BIN" sweep "$WORK/$model.yaml" -o out.h5 --threads 1
  rate "$model ($runs runs), 2 threads" "$BIN" sweep "$WORK/$model.yaml" -o out.h5 --threads 2
  if command -v mpirun > /dev/null; then
    rate "$model ($runs runs), 2 MPI ranks" mpirun -np 2 --oversubscribe "$BIN" sweep "$WORK/$model.yaml" -o out.h5 --threads 1
    rate "$model ($runs runs), 3 MPI ranks" mpirun -np 3 --oversubscribe "$BIN" sweep "$WORK/$model.yaml" -o out.h5 --threads 1
  fi
done
