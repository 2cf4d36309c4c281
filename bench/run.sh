#!/usr/bin/env bash
# Runs the benchmarks of a bench build and the whole-process load check.
# Usage: bench/run.sh BUILD_DIR     (ICTS_BENCH_ENTITIES overrides 1000000)
set -euo pipefail
build=${1:-build-bench}
n=${ICTS_BENCH_ENTITIES:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== machine"
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== snapshot_bench ($n entities)"
ICTS_BENCH_ENTITIES=$n "$build/bench/snapshot_bench" --benchmark_counters_tabular=true
echo "== whole CLI process: lists info on a $n-entity snapshot (wall s, max RSS KB)"
"$build/bench/gen_snapshot" "$tmp/big.snap" "$n"
if [ ! -x "$build/icts" ]; then cmake --build "$build" --target icts >/dev/null; fi
for mode in --no-verify ""; do
  for i in 1 2 3; do
    /usr/bin/time -f "lists info $mode: %e s, %M KB" "$build/icts" lists info "$tmp/big.snap" $mode -o json >/dev/null
  done
done
