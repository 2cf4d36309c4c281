#!/usr/bin/env bash
# End to end: `icts scan` over the shipped example inventory (examples/scan)
# with suppliers screened against the curated demo snapshot: findings with
# their citations, decisions before the gate and their expiry, the mapping,
# unattributed items, exit codes (0, 1 per --fail-on, 2 on bad input with the
# location, nothing written), every output format, and the JSON against
# docs/schema/scan-result.schema.json.
source "$(dirname "$0")/lib.sh"
CHECK_SCHEMA="$(dirname "$0")/check_schema.py"
EX="$ROOT/examples/scan"
SCHEMA="$ROOT/docs/schema/scan-result.schema.json"
export ICTS_RULES_DIR="$ROOT/rules"

run_icts lists build --config "$ROOT/examples/lists.yaml" -o "$WORK/demo.snap" --strict
expect_eq "demo snapshot builds" 0 "$RC"
BASE=(scan "$EX/clinic-hbom.cdx.json" --snapshot "$WORK/demo.snap" --as-of 2025-06-01 -q)

# JSON: the contract keys, a Covered-List finding on the Hikvision camera
# with its citation, Kaspersky continued use as information.
run_icts "${BASE[@]}" -o json --fail-on never
expect_eq "json: exit 0 with --fail-on never" 0 "$RC"
echo "$OUT" >"$WORK/scan.json"
if python3 "$CHECK_SCHEMA" "$SCHEMA" "$WORK/scan.json" 2>"$WORK/schema.err"; then pass; else
  fail "scan schema: $(cat "$WORK/schema.err")"; fi
expect_eq "json: items" 9 "$(json_get "$WORK/scan.json" "j['items']")"
expect_eq "json: unattributed (two libraries)" 2 "$(json_get "$WORK/scan.json" "j['unattributed']")"
expect_contains "json: Hikvision camera on the FCC Covered List" \
  "$(json_get "$WORK/scan.json" "sorted(set((f['item'], f['rule']) for f in j['findings']))")" \
  "('cam-lobby', 'list-flags/fcc-covered-list')"
expect_contains "json: the finding cites 47 CFR" \
  "$(json_get "$WORK/scan.json" "[f['citation'] for f in j['findings'] if f['item'] == 'cam-lobby' and f['rule'] == 'list-flags/fcc-covered-list'][0]")" \
  "47 CFR"
expect_contains "json: Kaspersky continued use is information" \
  "$(json_get "$WORK/scan.json" "[(f['outcome']) for f in j['findings'] if f['item'] == 'av-agent' and f['rule'].startswith('kaspersky')]")" \
  "info"
expect_eq "json: nested firmware is an item" "True" \
  "$(json_get "$WORK/scan.json" "any(f['item'] == 'cam-lobby-fw' for f in j['findings'])")"

# The gate.
run_icts "${BASE[@]}" -o json
expect_eq "default gate (prohibited): nothing prohibited for continued use" 0 "$RC"
run_icts "${BASE[@]}" -o json --fail-on needs-review
expect_eq "needs-review gate fails" 1 "$RC"
run_icts "${BASE[@]}" -o json --activity acquisition --agreement new
expect_eq "buying a Kaspersky licence is prohibited: exit 1" 1 "$RC"
echo "$OUT" >"$WORK/buy.json"
expect_contains "buying: the Kaspersky finding is prohibited" \
  "$(json_get "$WORK/buy.json" "[f['outcome'] for f in j['findings'] if f['item'] == 'av-agent' and f['rule'].startswith('kaspersky')]")" \
  "prohibited"

# Decisions: the Dahua recorder is accepted until 2025-12-31.
run_icts "${BASE[@]}" -o json --fail-on never --decisions "$EX/decisions.yaml"
echo "$OUT" >"$WORK/decided.json"
expect_contains "decision applied to the Dahua recorder" \
  "$(json_get "$WORK/decided.json" "[f.get('decision', {}).get('status') for f in j['findings'] if f['item'] == 'nvr-1']")" \
  "accepted-risk"
run_icts scan "$EX/clinic-hbom.cdx.json" --snapshot "$WORK/demo.snap" --as-of 2026-01-01 -q -o json \
  --fail-on never --decisions "$EX/decisions.yaml"
echo "$OUT" >"$WORK/expired.json"
expect_contains "decision expired on 2026-01-01" \
  "$(json_get "$WORK/expired.json" "[f.get('decision_expired') for f in j['findings'] if f['item'] == 'nvr-1']")" \
  "True"

# Mapping: the sector tag and an attributed library.
run_icts "${BASE[@]}" -o json --fail-on never --mapping "$EX/mapping.yaml"
echo "$OUT" >"$WORK/mapped.json"
expect_eq "mapping: openssl attributed" 1 "$(json_get "$WORK/mapped.json" "j['unattributed']")"

# The store: the scan is recorded and audited.
run_icts "${BASE[@]}" -o json --fail-on never --store "sqlite:$WORK/records.db"
expect_contains "store: scan recorded" "$ERR" "stored scan"
run_icts audit verify --store "sqlite:$WORK/records.db"
expect_eq "store: audit chain intact" 0 "$RC"

# Other formats.
run_icts "${BASE[@]}" -o sarif --fail-on never
echo "$OUT" >"$WORK/scan.sarif"
expect_eq "sarif: version" "2.1.0" "$(json_get "$WORK/scan.sarif" "j['version']")"
expect_eq "sarif: results" "True" "$(json_get "$WORK/scan.sarif" "len(j['runs'][0]['results']) > 0")"
if python3 "$(dirname "$0")/check_sarif.py" "$WORK/scan.sarif" >"$WORK/sarif.err" 2>&1; then pass; else
  fail "sarif: structure and code-scanning limits: $(cat "$WORK/sarif.err")"; fi
run_icts "${BASE[@]}" -o csv --fail-on never
expect_contains "csv: header and a row" "$OUT" "cam-lobby"
run_icts "${BASE[@]}" -o html --fail-on never -O "$WORK/report.html"
expect_eq "html: written" 0 "$RC"
expect_contains "html: self-contained" "$(head -c 200 "$WORK/report.html")" "<!DOCTYPE html>"
if python3 "$(dirname "$0")/check_html.py" "$WORK/report.html" >"$WORK/html.err" 2>&1; then pass; else
  fail "html: well-formed, self-contained, no injected script: $(cat "$WORK/html.err")"; fi
if grep -q -E '<(script|link)[^>]+(src|href)="https?:' "$WORK/report.html"; then
  fail "html: refers to an external resource"; else pass; fi
run_icts "${BASE[@]}" --fail-on never
expect_contains "table: names the supplier" "$OUT" "Hikvision"

# Bad input: exit 2, the location, nothing written.
printf '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "device"' >"$WORK/cut.json"
run_icts scan "$WORK/cut.json" -q -o json -O "$WORK/never.json"
expect_eq "truncated SBOM: exit 2" 2 "$RC"
expect_contains "truncated SBOM: names the file" "$ERR" "cut.json"
expect_eq "truncated SBOM: no report written" "no" "$([ -e "$WORK/never.json" ] && echo yes || echo no)"
printf 'decisions:\n  - supplier: x\n    status: maybe\n    reason: r\n    by: b\n' >"$WORK/bad-decisions.yaml"
run_icts "${BASE[@]}" --decisions "$WORK/bad-decisions.yaml"
expect_eq "bad decisions: exit 2" 2 "$RC"
expect_contains "bad decisions: file:line" "$ERR" "bad-decisions.yaml:2:"
run_icts "${BASE[@]}" --sector sector-toasters
expect_eq "unknown sector tag: exit 2" 2 "$RC"

finish
