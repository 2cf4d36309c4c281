#!/usr/bin/env bash
# CycloneDX JSON parse benchmark, side by side in one run: our reader (one-shot
# and warm), simdjson On-Demand taking name/purl/supplier (the reference the
# targets are set against), nlohmann/json (SAX, and DOM up to 100 MB) and jq,
# on generated documents of about 10 MB, 100 MB and 1 GB (nested components,
# Chinese and Cyrillic text). Prints wall time, throughput, CPU time (user +
# system; steadier than wall time on a busy machine) and peak RSS for each.
#
#   bench/inventory_refs.sh BUILD_DIR [SIZES_MB...]
#
# BEFORE=OTHER_BUILD_DIR adds that build's reader (one-shot and warm) to each
# size, for a before/after comparison in the same run.
#
# Our reader parses large documents on two threads when the machine has two
# cores: its CPU time is that of the whole process (both threads), and a
# third row gives its warm figure on one thread.
#
# BUILD_DIR is a build with -DICTS_BUILD_BENCH=ON (for inventory_bench and
# inventory_nlohmann_ref). Files go to a temporary folder that is removed at
# the end. jq runs only up to 100 MB (it needs several times the file in
# memory and about a minute per GB); set JQ_MAX_MB to change that.
set -euo pipefail

build=${1:?usage: inventory_refs.sh BUILD_DIR [SIZES_MB...]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000)
jq_max=${JQ_MAX_MB:-100}
dom_max=${DOM_MAX_MB:-100}
bench="$build/bench/inventory_bench"
ref="$build/bench/inventory_nlohmann_ref"
for b in "$bench" "$ref"; do
  [ -x "$b" ] || { echo "missing $b (build with -DICTS_BUILD_BENCH=ON)" >&2; exit 2; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/icts-cdx-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$bench" gen "$dir" "${sizes[@]}" >/dev/null

# Runs a command under /usr/bin/time; prints "<seconds> <cpu seconds> <peak RSS MB>".
measure() {
  local out
  out=$({ /usr/bin/time -f '%e %U %S %M' "$@" >/dev/null; } 2>&1 | tail -1)
  awk '{printf "%.3f %.3f %.1f\n", $1, $2 + $3, $4 / 1024}' <<<"$out"
}
before=${BEFORE:-}
[ -z "$before" ] || [ -x "$before/bench/inventory_bench" ] ||
  { echo "missing $before/bench/inventory_bench" >&2; exit 2; }
simdjson_max=${SIMDJSON_MAX_MB:-1000}

printf '%-8s %-30s %9s %8s %9s %8s %12s\n' size tool seconds GB/s cpu_s cpu_GB/s peak_RSS_MB
for mb in "${sizes[@]}"; do
  f="$dir/cdx-${mb}mb.json"
  bytes=$(stat -c %s "$f")
  cat "$f" >/dev/null  # Page cache warm for every tool alike.
  row() {  # tool seconds cpu rss
    awk -v b="$bytes" -v s="$2" -v c="$3" -v mb="$mb" -v t="$1" -v r="$4" \
      'BEGIN {printf "%-8s %-30s %9.3f %8.3f %9.3f %8.3f %12.1f\n", mb "MB", t, s, b / 1e9 / s,
              c, (c > 0 ? b / 1e9 / c : 0), r}'
  }
  # A reader: a fresh process per read (one-shot), and the best of 4 reads
  # in one process after a first one (warm).
  ours() {  # label build [threads]
    local secs cpu rss line
    if [ -z "${3:-}" ]; then
      read -r secs cpu rss < <(measure "$2/bench/inventory_bench" read "$f" 1)
      row "$1 one-shot (process)" "$secs" "$cpu" "$rss"
    fi
    line=$("$2/bench/inventory_bench" read "$f" 5 ${3:-})
    secs=$(sed -E 's/.*\) warm ([0-9.]+) s.*/\1/' <<<"$line")
    cpu=$(sed -E 's/.*cpu warm ([0-9.]+) s.*/\1/' <<<"$line")
    rss=$(sed -E 's/.*peak_rss ([0-9.]+) MB.*/\1/' <<<"$line")
    row "$1 warm (in process)" "$secs" "$cpu" "$rss"
  }
  ours icts "$build"
  ours "icts 1 thread" "$build" 1
  [ -z "$before" ] || ours "icts before" "$before"
  if [ "$mb" -le "$simdjson_max" ]; then
    line=$("$bench" simdjson "$f" 4)
    secs=$(sed -E 's/.* best ([0-9.]+) s.*/\1/' <<<"$line")
    cpu=$(sed -E 's/.* cpu ([0-9.]+) s.*/\1/' <<<"$line")
    rss=$(sed -E 's/.*peak_rss ([0-9.]+) MB.*/\1/' <<<"$line")
    row "simdjson On-Demand (warm)" "$secs" "$cpu" "$rss"
  fi
  read -r secs cpu rss < <(measure "$ref" sax "$f")
  row "nlohmann SAX" "$secs" "$cpu" "$rss"
  if [ "$mb" -le "$dom_max" ]; then
    read -r secs cpu rss < <(measure "$ref" dom "$f")
    row "nlohmann DOM" "$secs" "$cpu" "$rss"
  fi
  if [ "$mb" -le "$jq_max" ] && command -v jq >/dev/null; then
    read -r secs cpu rss < <(measure jq '[.components[] | recurse(.components[]?)] | length' "$f")
    row "jq" "$secs" "$cpu" "$rss"
  fi
done
