#!/usr/bin/env bash
# The shipped demo: build a snapshot from the curated registry (offline), show
# what it holds, look up a few vendors with their parents and citations, then
# review the example transactions (one per activity) against the rule packs
# with the parties screened against that snapshot.
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
echo
tx="$root/examples/transactions"
for f in acquisition-router importation-macau-cameras transfer-hk-cloud installation-swiss-ru-owned \
  dealing-in-german-unknown-owners use-kaspersky-renewal; do
  echo "== icts review examples/transactions/$f.json --snapshot build/demo/reference.snap"
  "$icts" review "$tx/$f.json" --snapshot "$out/reference.snap"
  echo
done
echo "== the Macau cameras again, as of 2025-02-04 (Macau counts as China from that day)"
"$icts" review "$tx/importation-macau-cameras.json" --snapshot "$out/reference.snap" --as-of 2025-02-04
echo
echo "== icts review examples/transactions/use-kaspersky-renewal.json --snapshot build/demo/reference.snap -o json"
echo "   (the per-rule \"trace\" and \"skipped\" arrays are left out here)"
"$icts" review "$tx/use-kaspersky-renewal.json" --snapshot "$out/reference.snap" -o json |
  python3 -c 'import json, sys; j = json.load(sys.stdin); j.pop("trace"); j.pop("skipped"); print(json.dumps(j, indent=2, ensure_ascii=False))'
echo
echo "== icts scan examples/scan/clinic-hbom.cdx.json --snapshot build/demo/reference.snap --mapping ... --decisions ... --as-of 2025-06-01"
"$icts" scan "$root/examples/scan/clinic-hbom.cdx.json" --snapshot "$out/reference.snap" \
  --mapping "$root/examples/scan/mapping.yaml" --decisions "$root/examples/scan/decisions.yaml" \
  --as-of 2025-06-01 -q --fail-on never
"$icts" scan "$root/examples/scan/clinic-hbom.cdx.json" --snapshot "$out/reference.snap" \
  --mapping "$root/examples/scan/mapping.yaml" --decisions "$root/examples/scan/decisions.yaml" \
  --as-of 2025-06-01 -q --fail-on never -o html -O "$out/clinic-scan.html"
echo "(HTML report: build/demo/clinic-scan.html)"
echo
echo "== icts vehicles check examples/vehicles/prairie-trailblazer-2027.json --snapshot build/demo/reference.snap --fail-on never"
"$icts" vehicles check "$root/examples/vehicles/prairie-trailblazer-2027.json" --snapshot "$out/reference.snap" --fail-on never
echo
echo "== icts vehicles check examples/vehicles/acme-tcu-import.json --fail-on never"
"$icts" vehicles check "$root/examples/vehicles/acme-tcu-import.json" --fail-on never
