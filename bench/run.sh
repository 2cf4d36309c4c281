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

# Name screening (bench/screen_bench.cc): real lists, then the 1M-entity
# multi-script set; reference comparators on the same dumped names and queries.
if [ ! -x "$build/bench/screen_bench" ]; then cmake --build "$build" --target screen_bench >/dev/null; fi
echo "== screen_bench real (examples/lists-full.yaml), load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/screen_bench" real "$root/examples/lists-full.yaml" --dump "$tmp/screen-real"
if [ -f "$tmp/screen-real/names.txt" ]; then
  echo "== reference: brute-force Jaro-Winkler (python3-levenshtein), same names and queries"
  if /usr/bin/python3 -c 'import Levenshtein' 2>/dev/null; then
    /usr/bin/python3 "$root/bench/screen_refs.py" "$tmp/screen-real" 200 2
  else
    echo "skipped: apt-get install -y python3-levenshtein"
  fi
fi
echo "== screen_bench synthetic ($n multi-script entities), load: $(cut -d' ' -f1-3 /proc/loadavg)"
ICTS_BENCH_QUERIES=10000 ICTS_BENCH_RECALL=50 "$build/bench/screen_bench" synthetic "$n" --dump "$tmp/screen-syn"
if [ -f "$tmp/screen-syn/names.txt" ] && /usr/bin/python3 -c 'import Levenshtein' 2>/dev/null; then
  echo "== reference: brute-force Jaro-Winkler on the synthetic names"
  /usr/bin/python3 "$root/bench/screen_refs.py" "$tmp/screen-syn" 20 2
fi

# Ownership graph (bench/graph_bench.cc): 1M/2M and 10M/20M graphs with rings
# and one large SCC; references with python3-scipy and python3-networkx.
if [ ! -x "$build/bench/graph_bench" ]; then cmake --build "$build" --target graph_bench >/dev/null; fi
for size in "1000000 2000000" "10000000 20000000"; do
  set -- $size
  echo "== graph_bench $1 nodes / $2 edges, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$build/bench/graph_bench" gen "$1" "$2" "$tmp/graph.bin"
  "$build/bench/graph_bench" run "$tmp/graph.bin" "$tmp/graph.shares"
  if /usr/bin/python3 -c 'import scipy, networkx' 2>/dev/null; then
    extra=""
    [ "$1" -gt 2000000 ] && extra="--no-networkx"   # networkx needs minutes and GBs at 10M
    /usr/bin/python3 "$root/bench/graph_refs.py" "$tmp/graph.bin" "$tmp/graph.shares" $extra
  else
    echo "skipped references: apt-get install -y python3-scipy python3-networkx"
  fi
  rm -f "$tmp/graph.bin" "$tmp/graph.shares"
done

# Review (bench/review_bench.cc): the evaluator on prepared facts and whole
# reviews of the example transactions against the curated and the full snapshot.
if [ ! -x "$build/bench/review_bench" ]; then cmake --build "$build" --target review_bench >/dev/null; fi
echo "== review_bench, load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/review_bench" --benchmark_min_time=2

# End to end scan: a 300,000-component CycloneDX SBOM (bench/gen_sbom.py)
# against the full snapshot (examples/lists-full.yaml), wall time and peak RSS.
if [ ! -x "$build/icts" ]; then cmake --build "$build" --target icts >/dev/null; fi
echo "== icts scan, 300,000 components, load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/bench/gen_sbom.py" "$tmp/sbom300k.json" 300000
ls -l "$tmp/sbom300k.json"
if "$build/icts" lists build --config "$root/examples/lists-full.yaml" -o "$tmp/full.snap" -q 2>/dev/null; then
  snap=(--snapshot "$tmp/full.snap")
else
  echo "(published lists absent: curated registry only)"
  "$build/icts" lists build --config "$root/examples/lists.yaml" -o "$tmp/cur.snap" -q
  snap=(--snapshot "$tmp/cur.snap")
fi
for i in 1 2; do
  /usr/bin/time -f "scan 300k: %e s wall, %M KB max RSS" "$build/icts" scan "$tmp/sbom300k.json" \
    "${snap[@]}" -q -o json -O "$tmp/scan.json" --fail-on never --as-of 2025-06-01
done
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("items", j["items"], "findings", len(j["findings"]), "unattributed", j["unattributed"])' "$tmp/scan.json"
