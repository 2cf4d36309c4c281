#!/usr/bin/env bash
# The shipped demo: build a snapshot from the curated registry (offline), show
# what it holds, and look up a few vendors with their parents and citations.
# Usage: examples/demo.sh [path/to/icts]
set -euo pipefail
icts=${1:-build/icts}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/demo"
mkdir -p "$out"
echo "== icts lists build --config examples/lists.yaml -o build/demo/reference.snap"
"$icts" lists build --config "$root/examples/lists.yaml" -o "$out/reference.snap" --strict
echo
echo "== icts lists info build/demo/reference.snap"
"$icts" lists info "$out/reference.snap"
echo
echo "== icts lists show build/demo/reference.snap --name hikvision"
"$icts" lists show "$out/reference.snap" --name hikvision
echo
echo "== icts lists show build/demo/reference.snap --id icts:kaspersky-lab-inc -o json"
"$icts" lists show "$out/reference.snap" --id icts:kaspersky-lab-inc -o json
