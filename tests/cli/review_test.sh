#!/usr/bin/env bash
# End to end: `icts review` over the example transactions (examples/transactions)
# with the parties screened against the curated demo snapshot, and `icts rules`.
# Checks exit codes (0, 1 with --fail-on, 2 on bad input with the JSON pointer
# or file:line), the date change for Macau, pack tests passing and failing, a
# company's own pack, and the output against docs/schema/*.schema.json.
source "$(dirname "$0")/lib.sh"
CHECK_SCHEMA="$(dirname "$0")/check_schema.py"
EX="$ROOT/examples/transactions"
TX_SCHEMA="$ROOT/docs/schema/transaction.schema.json"
DET_SCHEMA="$ROOT/docs/schema/determination.schema.json"
export ICTS_RULES_DIR="$ROOT/rules"

schema_ok() {  # schema_ok WHAT SCHEMA FILE [--jsonl]
  if python3 "$CHECK_SCHEMA" "$2" "$3" ${4:-} 2>"$WORK/schema.err"; then
    pass
  else
    fail "$1 schema: $(cat "$WORK/schema.err")"
  fi
}

# The examples follow the transaction schema.
for f in "$EX"/*.json; do schema_ok "$(basename "$f")" "$TX_SCHEMA" "$f"; done
schema_ok "batch.jsonl" "$TX_SCHEMA" "$EX/batch.jsonl" --jsonl

run_icts lists build --config "$ROOT/examples/lists.yaml" -o "$WORK/demo.snap" --strict
expect_eq "demo snapshot builds" 0 "$RC"
SNAP=(--snapshot "$WORK/demo.snap")

review_json() {  # review_json NAME FILE ARGS... -> $WORK/NAME.json
  local name=$1 file=$2
  shift 2
  run_icts review "$file" "${SNAP[@]}" -o json "$@"
  echo "$OUT" >"$WORK/$name.json"
  schema_ok "$name" "$DET_SCHEMA" "$WORK/$name.json"
}
outcome() { json_get "$WORK/$1.json" "j['outcome'] + ' ' + str(j['covered'])"; }

# One determination per example, with its outcome.
review_json router "$EX/acquisition-router.json"
expect_eq "router: exit 0" 0 "$RC"
expect_eq "router: contract keys" "True" "$(json_get "$WORK/router.json" \
  "{'id','outcome','covered','parties','findings','unknowns','provenance'} <= set(j)")"
expect_eq "router: outcome" "needs_review True" "$(outcome router)"
expect_eq "router: Huawei nexus" "CN organization" "$(json_get "$WORK/router.json" \
  "j['parties'][1]['nexus'][0]['adversary'] + ' ' + j['parties'][1]['nexus'][0]['prong']")"
expect_contains "router: Covered List flag" "$(json_get "$WORK/router.json" "[f['rule'] for f in j['findings']]")" \
  "list-flags/fcc-covered-list"
expect_eq "router: snapshot in the provenance" "True" "$(json_get "$WORK/router.json" \
  "len(j['provenance']['snapshot_sha256']) == 64 and len(j['provenance']['packs']) >= 6")"

review_json kaspersky "$EX/use-kaspersky-renewal.json"
expect_eq "kaspersky: prohibited" "prohibited True" "$(outcome kaspersky)"
expect_eq "kaspersky: determining" "['kaspersky-final-determination/kaspersky-transactions']" \
  "$(json_get "$WORK/kaspersky.json" "j['determining']")"
expect_contains "kaspersky: the update after 2024-09-29" \
  "$(json_get "$WORK/kaspersky.json" "[f['explanation'] for f in j['findings']]")" "update on 2024-10-15"

review_json hk "$EX/transfer-hk-cloud.json"
expect_eq "hong kong: covered, review" "needs_review True" "$(outcome hk)"
expect_contains "hong kong counts as China" "$(json_get "$WORK/hk.json" "j['parties'][1]['nexus']")" "'CN'"

review_json swiss "$EX/installation-swiss-ru-owned.json"
expect_eq "swiss: covered, review" "needs_review True" "$(outcome swiss)"
expect_eq "swiss: RU by ownership" "RU ownership-control" "$(json_get "$WORK/swiss.json" \
  "j['parties'][1]['nexus'][0]['adversary'] + ' ' + j['parties'][1]['nexus'][0]['prong']")"

review_json german "$EX/dealing-in-german-unknown-owners.json"
expect_eq "german: review because owners are unknown" "needs_review True" "$(outcome german)"
expect_contains "german: names the unknown" "$(json_get "$WORK/german.json" "j['unknowns']")" \
  "who owns and controls Rheinwerk Sensorik GmbH"

# --as-of: Macau joins China on 2025-02-04.
review_json macau "$EX/importation-macau-cameras.json"
expect_eq "macau on its date: clear" "clear False" "$(outcome macau)"
review_json macau_feb3 "$EX/importation-macau-cameras.json" --as-of 2025-02-03
expect_eq "macau as of 2025-02-03: clear" "clear False" "$(outcome macau_feb3)"
review_json macau_feb4 "$EX/importation-macau-cameras.json" --as-of 2025-02-04
expect_eq "macau as of 2025-02-04: review" "needs_review True" "$(outcome macau_feb4)"
expect_eq "macau as of 2025-02-04: recorded" "2025-02-04" "$(json_get "$WORK/macau_feb4.json" "j['provenance']['as_of']")"

# Without screening, list facts are unknown: review, naming them.
run_icts review "$EX/importation-macau-cameras.json" -o json
echo "$OUT" >"$WORK/unscreened.json"
expect_eq "unscreened: review" "needs_review" "$(json_get "$WORK/unscreened.json" "j['outcome']")"
expect_contains "unscreened: names it" "$(json_get "$WORK/unscreened.json" "j['unknowns']")" "(not screened)"

# JSON lines: one determination per line; table output.
run_icts review "$EX/batch.jsonl" "${SNAP[@]}" -o json
echo "$OUT" >"$WORK/batch.jsonl"
expect_eq "batch: exit 0" 0 "$RC"
schema_ok "batch" "$DET_SCHEMA" "$WORK/batch.jsonl" --jsonl
expect_eq "batch: outcomes" "needs_review clear needs_review clear prohibited" "$(python3 -c '
import json, sys
print(" ".join(json.loads(l)["outcome"] for l in open(sys.argv[1]) if l.strip()))' "$WORK/batch.jsonl")"
run_icts review "$EX/batch.jsonl" "${SNAP[@]}"
expect_contains "table: outcome line" "$OUT" "use-2024-1102: prohibited  (covered: yes, as of 2024-10-14)"
expect_contains "table: citation with its tag" "$OUT" "[prohibited] kaspersky-final-determination/kaspersky-transactions  89 FR 52434"

# --fail-on.
run_icts review "$EX/batch.jsonl" "${SNAP[@]}" --fail-on prohibited
expect_eq "--fail-on prohibited with a prohibited one: exit 1" 1 "$RC"
run_icts review "$EX/acquisition-router.json" "${SNAP[@]}" --fail-on prohibited
expect_eq "--fail-on prohibited, review only: exit 0" 0 "$RC"
run_icts review "$EX/acquisition-router.json" "${SNAP[@]}" --fail-on needs-review
expect_eq "--fail-on needs-review: exit 1" 1 "$RC"

# Bad input: exit 2, the JSON pointer (or file:line), nothing printed.
mutate() {  # mutate NAME PYTHON_STATEMENTS (j bound to the router example)
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); $2; json.dump(j, open(sys.argv[2], 'w'))" \
    "$EX/acquisition-router.json" "$WORK/$1.json"
}
bad() {  # bad WHAT FILE EXPECTED_MESSAGE
  run_icts review "$2"
  expect_eq "$1: exit 2" 2 "$RC"
  expect_contains "$1: message" "$ERR" "$3"
  expect_eq "$1: nothing printed" "" "$OUT"
}
mutate nodate "del j['date']"
bad "missing date" "$WORK/nodate.json" "nodate.json: /date: required"
mutate badact "j['activity'] = 'leasing'"
bad "unknown activity" "$WORK/badact.json" "/activity: unknown value 'leasing'"
mutate badtag "j['item']['tags'].append('toaster')"
bad "unknown tag" "$WORK/badtag.json" "/item/tags/3: unknown tag 'toaster'"
mutate contra "j['parties'][1]['countries'].append({'code': 'HK', 'role': 'incorporation'})"
bad "contradictory countries" "$WORK/contra.json" \
  "/parties/1/countries/2: contradictory countries: incorporated in both CN and HK"
mutate badtri "j['parties'][0]['us_person'] = 'yes'"
bad "tri-state boolean" "$WORK/badtri.json" "/parties/0/us_person: must be true, false or null"
printf '{"id": "x", "date": \n' >"$WORK/badjson.json"
bad "bad JSON" "$WORK/badjson.json" "badjson.json:1: not JSON"
{ head -2 "$EX/batch.jsonl"; echo '{"id": "broken", "activity": "use"}'; } >"$WORK/bad.jsonl"
bad "JSON lines: file:line and pointer" "$WORK/bad.jsonl" "bad.jsonl:3: /date: required"
{ head -1 "$EX/batch.jsonl"; echo '{"id": '; } >"$WORK/bad2.jsonl"
bad "JSON lines: bad line" "$WORK/bad2.jsonl" "bad2.jsonl:2: not JSON"
python3 -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; d[1]['activity']='x'; json.dump(d, open(sys.argv[2],'w'))" \
  "$EX/batch.jsonl" "$WORK/array.json"
bad "array: pointer of the element" "$WORK/array.json" "/1/activity: unknown value 'x'"
run_icts review "$EX/acquisition-router.json" --as-of 2025-13-01
expect_eq "bad --as-of: exit 2" 2 "$RC"

# The schema's vocabularies are the reader's: compare with its error messages.
vocab() {  # vocab WHAT PYTHON_MUTATION SCHEMA_EXPR
  mutate vocab "$2"
  run_icts review "$WORK/vocab.json"
  local reader schema
  reader=$(echo "$ERR" | sed -n 's/.*(expected one of: \(.*\))$/\1/p')
  schema=$(json_get "$TX_SCHEMA" "', '.join(x for x in $3 if x is not None)")
  expect_eq "schema vocabulary: $1" "$reader" "$schema"
}
vocab activities "j['activity'] = '?'" "j['properties']['activity']['enum']"
vocab "act kinds" "j['acts'] = [{'kind': '?'}]" "j['\$defs']['act']['properties']['kind']['enum']"
vocab "party roles" "j['parties'][0]['role'] = '?'" "j['\$defs']['party']['properties']['role']['enum']"
vocab "country roles" "j['parties'][0]['countries'][0]['role'] = '?'" \
  "j['\$defs']['party_country']['properties']['role']['enum']"
vocab prongs "j['parties'][1]['nexus'] = [{'adversary': 'CN', 'prong': '?'}]" \
  "j['\$defs']['nexus']['properties']['prong']['enum']"
vocab counts "j['item']['counts'] = {'?': 1}" "j['\$defs']['item']['properties']['counts']['properties']"
run_icts rules tags
expect_eq "schema vocabulary: tags" "$(echo "$OUT" | awk '{print $1}' | tr '\n' ' ')" \
  "$(json_get "$TX_SCHEMA" "' '.join(j['\$defs']['tag']['enum']) + ' '")"

# rules list / test.
run_icts rules list -o json
echo "$OUT" >"$WORK/list.json"
expect_eq "rules list: exit 0" 0 "$RC"
expect_eq "rules list: shipped packs" \
  "connected-vehicles foreign-adversaries kaspersky-final-determination list-flags part-791-nexus part-791-scope risk-factors" \
  "$(json_get "$WORK/list.json" "' '.join(p['id'] for p in j)")"
expect_eq "rules list: scope versions disjoint" "2025-02-03 2025-02-04" "$(json_get "$WORK/list.json" \
  "' '.join([r['to'] for p in j for r in p['rules'] if r['id'] == 'scope-interim'] + [r['from'] for p in j for r in p['rules'] if r['id'] == 'scope-final'])")"
run_icts rules test
expect_eq "rules test: exit 0" 0 "$RC"
expect_contains "rules test: summary" "$ERR" ", 0 failed"
run_icts rules test part-791-scope
expect_eq "rules test one pack: exit 0" 0 "$RC"
expect_contains "rules test one pack" "$OUT" "ok    part-791-scope"
cp -r "$ROOT/rules" "$WORK/rules"
sed -i '0,/outcome: clear/s//outcome: prohibited/' "$WORK/rules/foreign-adversaries/tests/adversaries.yaml"
ICTS_RULES_DIR="$WORK/rules" run_icts rules test
expect_eq "broken pack test: exit 1" 1 "$RC"
expect_contains "broken pack test: named" "$OUT" "FAIL  foreign-adversaries  a Macau company is not a China nexus on 2025-02-03"
expect_contains "broken pack test: count" "$ERR" ", 1 failed"
run_icts rules --rules "$WORK/rules" test list-flags
expect_eq "other packs still pass" 0 "$RC"

# A company's own pack.
PACK="$ROOT/docs/examples/company-pack.yaml"
run_icts rules --pack "$PACK" list -o json
echo "$OUT" >"$WORK/list2.json"
expect_eq "company pack listed" "in-force prohibited" "$(json_get "$WORK/list2.json" \
  "[p['status'] + ' ' + p['rules'][0]['severity'] for p in j if p['id'] == 'acme-camera-policy'][0]")"
run_icts review "$EX/batch.jsonl" "${SNAP[@]}" --pack "$PACK" -o json --fail-on prohibited
echo "$OUT" >"$WORK/company.jsonl"
expect_eq "company pack: exit 1" 1 "$RC"
schema_ok "company" "$DET_SCHEMA" "$WORK/company.jsonl" --jsonl
expect_eq "company pack: Hikvision cameras prohibited by policy" \
  "prohibited ['acme-camera-policy/no-covered-list-cameras']" "$(python3 -c '
import json, sys
j = json.loads(open(sys.argv[1]).readline()); print(j["outcome"], j["determining"])' "$WORK/company.jsonl")"
expect_eq "company pack: U.S. cameras still clear" "clear" "$(python3 -c '
import json, sys
print(json.loads(open(sys.argv[1]).readlines()[1])["outcome"])' "$WORK/company.jsonl")"
sed 's/status: in-force/status: proposed/' "$PACK" >"$WORK/proposed-pack.yaml"
run_icts review "$EX/batch.jsonl" "${SNAP[@]}" --pack "$WORK/proposed-pack.yaml" -o json
expect_eq "proposed pack never prohibits" "needs_review" "$(python3 -c '
import json, sys
print(json.loads(open(sys.argv[1]).readline())["outcome"])' <(echo "$OUT"))"
printf 'id: x\nversion: "1"\ntitle: t\nstatus: maybe\nsource: {text: s, verification: V}\nrules: []\n' >"$WORK/bad-pack.yaml"
run_icts review "$EX/acquisition-router.json" --pack "$WORK/bad-pack.yaml"
expect_eq "bad pack: exit 2" 2 "$RC"
expect_contains "bad pack: file:line" "$ERR" "bad-pack.yaml:4:"
run_icts review "$EX/acquisition-router.json" --pack "$ROOT/rules/list-flags/pack.yaml"
expect_eq "pack id used twice: exit 2" 2 "$RC"

finish
