#!/usr/bin/env bash
# CycloneDX JSON parse benchmark, side by side in one run: our reader (one-shot
# and warm), nlohmann/json (SAX, and DOM up to 100 MB) and jq, on generated
# documents of about 10 MB, 100 MB and 1 GB (nested components, Chinese and
# Cyrillic text). Prints throughput and peak RSS for each.
#
#   bench/inventory_refs.sh BUILD_DIR [SIZES_MB...]
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

# Runs a command under /usr/bin/time; prints "<seconds> <peak RSS MB>".
measure() {
  local out
  out=$({ /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -1)
  awk '{printf "%.3f %.1f\n", $1, $2 / 1024}' <<<"$out"
}

printf '%-8s %-26s %10s %10s %12s\n' size tool seconds GB/s peak_RSS_MB
for mb in "${sizes[@]}"; do
  f="$dir/cdx-${mb}mb.json"
  bytes=$(stat -c %s "$f")
  cat "$f" >/dev/null  # Page cache warm for every tool alike.
  row() {  # tool seconds rss
    awk -v b="$bytes" -v s="$2" -v mb="$mb" -v t="$1" -v r="$3" \
      'BEGIN {printf "%-8s %-26s %10.3f %10.3f %12.1f\n", mb "MB", t, s, b / 1e9 / s, r}'
  }
  # Our reader: a fresh process per read (one-shot), and the best of 4 reads
  # in one process after a first one (warm).
  read -r secs rss < <(measure "$bench" read "$f" 1)
  row "icts one-shot (process)" "$secs" "$rss"
  line=$("$bench" read "$f" 5)
  warm=$(sed -E 's/.* warm ([0-9.]+) s.*/\1/' <<<"$line")
  rss=$(sed -E 's/.*peak_rss ([0-9.]+) MB.*/\1/' <<<"$line")
  row "icts warm (in process)" "$warm" "$rss"
  read -r secs rss < <(measure "$ref" sax "$f")
  row "nlohmann SAX" "$secs" "$rss"
  if [ "$mb" -le "$dom_max" ]; then
    read -r secs rss < <(measure "$ref" dom "$f")
    row "nlohmann DOM" "$secs" "$rss"
  fi
  if [ "$mb" -le "$jq_max" ] && command -v jq >/dev/null; then
    read -r secs rss < <(measure jq '[.components[] | recurse(.components[]?)] | length' "$f")
    row "jq" "$secs" "$rss"
  fi
done
