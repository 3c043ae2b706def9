#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/, replays every committed
# regression input, then fuzzes each target for a fixed time from its
# committed corpus. Any crash, leak, sanitizer report or timeout fails.
#   scripts/fuzz.sh [SECONDS per target, default 45]
# The mutation seed is fixed (BORDERLAND_FUZZ_SEED, default 1) so that a CI run
# explores what the last one did and a failure can be replayed; set another
# seed, and more seconds, to search further.
# A crash leaves its input as build-fuzz/findings/<target>/crash-*: copy it
# into fuzz/regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
seed=${BORDERLAND_FUZZ_SEED:-1}
targets=(scenario sweep map checkpoint checkpoint_ttp)

command -v clang++ >/dev/null || { echo "fuzz: clang++ missing (scripts/setup.sh installs it)"; exit 1; }
# -O1 and line tables only: quick to build, still fast to fuzz, stacks with lines.
CC=clang CXX=clang++ CFLAGS="-O1 -gline-tables-only" CXXFLAGS="-O1 -gline-tables-only" \
  BORDERLAND_BUILD_DIR=build-fuzz \
  BORDERLAND_CMAKE_ARGS="-DBORDERLAND_FUZZ=ON -DBORDERLAND_TESTS=OFF -DBORDERLAND_BENCH=OFF \
    -DBORDERLAND_MPI=OFF -DBORDERLAND_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=None" \
  BORDERLAND_TARGETS="${targets[*]/#/fuzz_}" scripts/setup.sh

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${targets[@]}"; do
  exe=build-fuzz/fuzz/fuzz_$t
  if compgen -G "fuzz/regressions/$t/*" >/dev/null; then
    echo "== fuzz_$t: replaying fuzz/regressions/$t"
    "$exe" -runs=1 fuzz/regressions/$t/* 2>&1 | tail -n 2
  fi
  echo "== fuzz_$t: ${seconds} s from fuzz/corpus/$t"
  work=build-fuzz/corpus/$t findings=build-fuzz/findings/$t
  rm -rf "$work" && mkdir -p "$work" "$findings"
  # New inputs go to the scratch folder; the committed corpus is only read.
  rc=0
  "$exe" -seed="$seed" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$findings/" -print_final_stats=1 "$work" "fuzz/corpus/$t" \
    >"$findings/log.txt" 2>&1 || rc=$?
  grep -E "stat::number_of_executed_units|DONE|ERROR|SUMMARY" "$findings/log.txt" | tail -n 4 || true
  if ((rc != 0)); then
    tail -n 40 "$findings/log.txt"
    echo "fuzz_$t found a problem (exit $rc): see $findings"
    exit 1
  fi
done
echo "== fuzzing passed"
