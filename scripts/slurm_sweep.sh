#!/bin/bash
# Runs a borderland sweep as a Slurm array job: task i of N does the runs r with
# r % N == i (`sweep --shard i/N`), then one dependent job merges the shards.
#
#   scripts/slurm_sweep.sh SWEEP.yaml OUT.h5 [TASKS] [CPUS_PER_TASK]
#
# submits both jobs (sbatch must be on PATH) and prints their ids. Shards go to
# OUT.shards/shard_<i>.h5; a pre-empted or requeued task resumes its own shard
# (--resume finishes only its missing runs). The merged file OUT.h5 has the same
# datasets, bit for bit, as `borderland sweep SWEEP.yaml -o OUT.h5` on one machine.
# Every task asks for TIME (default 04:00:00) and MEM per node (default 4G),
# set with BORDERLAND_SLURM_TIME / BORDERLAND_SLURM_MEM; the merge asks for
# 00:30:00 and 2G. The merge runs only when every task succeeded (afterok).
# Extra sbatch options (partition, account) come from SBATCH_* variables,
# e.g. SBATCH_PARTITION=compute SBATCH_ACCOUNT=proj.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
SWEEP=$(realpath "$1")
OUT=$(realpath -m "$2")
TASKS=${3:-16}
CPUS=${4:-4}
BORDERLAND=${BORDERLAND:-$(realpath "$(dirname "$0")/../build/borderland")}
TIME=${BORDERLAND_SLURM_TIME:-04:00:00}
MEM=${BORDERLAND_SLURM_MEM:-4G}
SHARDS="$OUT.shards"
mkdir -p "$SHARDS"

"$BORDERLAND" validate "$SWEEP" > /dev/null  # bad input fails here, not in 16 jobs

array_id=$(sbatch --parsable --array="0-$((TASKS - 1))" --cpus-per-task="$CPUS" \
  --time="$TIME" --mem="$MEM" --requeue --job-name=borderland-sweep --output="$SHARDS/slurm-%A_%a.out" \
  --wrap="\"$BORDERLAND\" sweep \"$SWEEP\" -o \"$SHARDS/shard_\$SLURM_ARRAY_TASK_ID.h5\" \
          --shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT --threads $CPUS --resume --quiet")

merge_id=$(sbatch --parsable --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
  --cpus-per-task=1 --time=00:30:00 --mem=2G \
  --job-name=borderland-merge --output="$SHARDS/slurm-merge-%j.out" \
  --wrap="\"$BORDERLAND\" merge $(for i in $(seq 0 $((TASKS - 1))); do printf '"%s" ' "$SHARDS/shard_$i.h5"; done) -o \"$OUT\"")

echo "array job $array_id ($TASKS shards of $SWEEP), merge job $merge_id -> $OUT"
