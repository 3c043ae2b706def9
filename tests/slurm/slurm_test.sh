#!/usr/bin/env bash
# scripts/slurm_sweep.sh on a real Slurm: a single-node cluster on localhost
# (Debian's slurm-wlm and munge; slurmctld and slurmd started here with a
# private configuration and stopped at the end, whatever happens), a tiny sweep
# submitted as a 3-task array job with the dependent merge, and the merged file
# compared dataset by dataset with the same sweep run on one machine.
#   tests/slurm/slurm_test.sh [BORDERLAND]   (as root; default build/borderland)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BORDERLAND=$(realpath "${1:-build/borderland}")

need=()
for p in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  echo "slurm test: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/borderland_slurm.XXXXXX)
chmod 755 "$WORK"  # munged (its own user) must reach its socket in here
export SLURM_CONF=$WORK/slurm.conf
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop EXIT

# munge: its own key and socket, so that nothing outside this test is touched.
mkdir -p "$WORK/munge" "$WORK/munge-run" "$WORK/state" "$WORK/spool" "$WORK/out"
chown munge:munge "$WORK/munge" "$WORK/munge-run"
chmod 700 "$WORK/munge"
chmod 755 "$WORK/munge-run"  # munged wants its socket's folder open to all
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$WORK/munge/munge.key" 2>/dev/null || true
chmod 400 "$WORK/munge/munge.key"
MUNGE_SOCKET=$WORK/munge-run/munge.socket
runuser -u munge -- munged --foreground --key-file="$WORK/munge/munge.key" \
  --socket="$MUNGE_SOCKET" --pid-file="$WORK/munge/munged.pid" --seed-file="$WORK/munge/seed" \
  --log-file="$WORK/munge/munged.log" >"$WORK/munged.out" 2>&1 &
pids+=($!)

cpus=$(nproc)
memory_mb=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2))
cat >"$SLURM_CONF" <<CONF
ClusterName=borderland-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=01:00:00 State=UP
CONF
for _ in $(seq 30); do
  [[ -S $MUNGE_SOCKET ]] && break
  sleep 0.2
done
[[ -S $MUNGE_SOCKET ]] || { echo "slurm test: munged did not start"; cat "$WORK/munge/munged.log"; exit 1; }
slurmctld -D -f "$SLURM_CONF" >"$WORK/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$WORK/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  sinfo -h -o "%T" 2>/dev/null | grep -qE "^idle" && break
  sleep 1
done
sinfo -h -o "%T" | grep -qE "^idle" ||
  { echo "slurm test: the node did not come up"; tail -n 30 "$WORK"/*.log "$WORK"/*.out; exit 1; }

# The sweep: tests/experiments/data/tiny_lhs.yaml (24 runs of 20 days), base made absolute.
sed "s|^base: .*|base: $ROOT/scenarios/civil_violence.yaml|" tests/experiments/data/tiny_lhs.yaml \
  >"$WORK/sweep.yaml"
"$BORDERLAND" sweep "$WORK/sweep.yaml" -o "$WORK/single.h5" --threads 1 --quiet

submitted=$(BORDERLAND="$BORDERLAND" BORDERLAND_SLURM_TIME=00:10:00 BORDERLAND_SLURM_MEM=500M \
  scripts/slurm_sweep.sh "$WORK/sweep.yaml" "$WORK/out/merged.h5" 3 1)
echo "$submitted"
merge_id=$(sed -n 's/.*merge job \([0-9]*\).*/\1/p' <<<"$submitted")
array_id=$(sed -n 's/^array job \([0-9]*\).*/\1/p' <<<"$submitted")
# The jobs ask for what the script says: a time limit and memory; the merge
# waits for every task to succeed.
merge_info=$(scontrol show job "$merge_id")
array_info=$(scontrol show job "$array_id")
grep -q "Dependency=afterok:${array_id}_\*" <<<"$merge_info" ||
  { echo "slurm test: the merge does not wait with afterok"; echo "$merge_info"; exit 1; }
grep -q "TimeLimit=00:10:00" <<<"$array_info" && grep -q "MinMemoryNode=500M" <<<"$array_info" ||
  { echo "slurm test: the array tasks lack --time or --mem"; echo "$array_info"; exit 1; }
grep -q "TimeLimit=00:30:00" <<<"$merge_info" && grep -q "MinMemoryNode=2G" <<<"$merge_info" ||
  { echo "slurm test: the merge lacks --time or --mem"; echo "$merge_info"; exit 1; }
for _ in $(seq 150); do
  state=$(scontrol show job "$merge_id" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  [[ $state == COMPLETED || $state == FAILED || $state == CANCELLED || $state == TIMEOUT ]] && break
  sleep 1
done
echo "merge job $merge_id: ${state:-unknown}"
if [[ $state != COMPLETED ]]; then
  cat "$WORK"/out/merged.h5.shards/slurm-*.out 2>/dev/null || true
  tail -n 30 "$WORK"/*.log "$WORK"/*.out
  exit 1
fi
/usr/bin/python3 - "$WORK/single.h5" "$WORK/out/merged.h5" <<'PY'
import sys, h5py, numpy as np
def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out
a, b = datasets(sys.argv[1]), datasets(sys.argv[2])
assert a.keys() == b.keys(), (sorted(a.keys() ^ b.keys()))
for name in a:
    same = np.array_equal(a[name], b[name]) if not isinstance(a[name], bytes) else a[name] == b[name]
    assert same, f"dataset {name} differs"
print(f"slurm test: merged file equals the single-machine sweep ({len(a)} datasets)")
PY
