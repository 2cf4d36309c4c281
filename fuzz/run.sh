#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time each, starting
# from its seed corpus. New interesting inputs go to a scratch folder, not into
# the source tree. Usage: fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for bin in "$build"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  mkdir -p "$scratch/$name"
  echo "== $name ($seconds s)"
  if ! "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$scratch/$name-" "$scratch/$name" "$root/fuzz/corpus/$name" \
      2>"$scratch/$name.log"; then
    echo "$name FAILED; last lines of its log:"; tail -n 30 "$scratch/$name.log"
    ls "$scratch"/"$name"-* 2>/dev/null && cp "$scratch"/"$name"-* "$root/fuzz/" || true
    status=1
  else
    grep -E "^(#[0-9]+: |Done )" "$scratch/$name.log" | tail -n 1
  fi
done
exit $status
