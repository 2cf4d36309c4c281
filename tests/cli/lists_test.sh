#!/usr/bin/env bash
# End to end: `icts lists build/info/show` over the public reference data,
# checked against independent counts of the files.
source "$(dirname "$0")/lib.sh"
require_data us-csl/csl-2023-11-30.csv ofac-sdn-2021/sdn.csv ofac-nonsdn-cons/cons_prim.csv \
  bis-dpl/dpl-2022.txt un-consolidated/UN_consolidated.xml

cat >"$WORK/lists.yaml" <<YAML
sources:
  - {format: csl, path: $DATA/us-csl/csl-2023-11-30.csv}
  - {format: ofac, path: $DATA/ofac-sdn-2021}
  - {format: ofac-cons, path: $DATA/ofac-nonsdn-cons}
  - {format: dpl, path: $DATA/bis-dpl/dpl-2022.txt}
  - {format: un, path: $DATA/un-consolidated/UN_consolidated.xml}
  - {format: curated, path: $ROOT/data/curated/fcc-covered-list.yaml}
  - {format: curated, path: $ROOT/data/curated/ndaa-889.yaml}
  - {format: curated, path: $ROOT/data/curated/kaspersky.yaml}
  - {format: curated, path: $ROOT/data/curated/ict-vendors.yaml}
YAML

run_icts lists build --config "$WORK/lists.yaml" -o "$WORK/a.snap"
expect_eq "build exit code" 0 "$RC"
[ "$RC" -eq 0 ] || { echo "$ERR" >&2; finish; }
run_icts lists info "$WORK/a.snap" -o json
expect_eq "info exit code" 0 "$RC"
echo "$OUT" >"$WORK/info.json"

# The output follows docs/schema/lists-info.schema.json: the same keys, types
# and patterns (a structural check; no validator library is needed).
python3 "$(dirname "$0")/check_schema.py" "$ROOT/docs/schema/lists-info.schema.json" "$WORK/info.json" \
  && pass || fail "lists info output does not follow its schema"

# Independent counts (python's csv module, wc, grep), not the project's readers.
csl_rows=$(python3 - "$DATA/us-csl/csl-2023-11-30.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = [r for r in csv.reader(f)]
header = rows[0]
print(sum(1 for r in rows[1:] if r != header and any(x.strip() for x in r)))
PY
)
sdn_rows=$(tr -d '\032' <"$DATA/ofac-sdn-2021/sdn.csv" | grep -c .)
cons_rows=$(tr -d '\032' <"$DATA/ofac-nonsdn-cons/cons_prim.csv" | grep -c .)
dpl_rows=$(( $(grep -c . "$DATA/bis-dpl/dpl-2022.txt") - 1 ))
un_rows=$(( $(grep -o '<INDIVIDUAL>' "$DATA/un-consolidated/UN_consolidated.xml" | wc -l) + $(grep -o '<ENTITY>' "$DATA/un-consolidated/UN_consolidated.xml" | wc -l) ))

for pair in "csl:$csl_rows" "ofac:$sdn_rows" "ofac-cons:$cons_rows" "dpl:$dpl_rows" "un:$un_rows"; do
  fmt=${pair%%:*}; want=${pair#*:}
  got=$(json_get "$WORK/info.json" "[s['rows'] for s in j['sources'] if s['format']=='$fmt'][0]")
  expect_eq "$fmt rows vs independent count" "$want" "$got"
  ents=$(json_get "$WORK/info.json" "[s['entities']+s['rejected'] for s in j['sources'] if s['format']=='$fmt'][0]")
  expect_eq "$fmt entities + rejected = rows" "$want" "$ents"
  sha=$(json_get "$WORK/info.json" "[s['sha256'] for s in j['sources'] if s['format']=='$fmt'][0]")
  expect_eq "$fmt sha256 length" 64 "${#sha}"
done
csl_sha=$(sha256sum "$DATA/us-csl/csl-2023-11-30.csv" | cut -d' ' -f1)
expect_eq "csl sha256 is the file's" "$csl_sha" \
  "$(json_get "$WORK/info.json" "[s['sha256'] for s in j['sources'] if s['format']=='csl'][0]")"
total=$(json_get "$WORK/info.json" "sum(s['entities'] for s in j['sources'])")
expect_eq "entities = sum over sources" "$total" "$(json_get "$WORK/info.json" "j['entities']")"
curated=$(json_get "$WORK/info.json" "sum(s['entities'] for s in j['sources'] if s['format']=='curated')")
if [ "$curated" -ge 60 ]; then pass; else fail "curated registry has only $curated entities"; fi
un_pub=$(json_get "$WORK/info.json" "[s['published'] for s in j['sources'] if s['format']=='un'][0]")
expect_eq "UN publication date" "2026-02-27" "$un_pub"

# Same inputs, same hash.
run_icts lists build --config "$WORK/lists.yaml" -o "$WORK/b.snap" -q
expect_eq "second build exit code" 0 "$RC"
h1=$(json_get "$WORK/info.json" "j['hash']")
run_icts lists info "$WORK/b.snap" -o json
echo "$OUT" >"$WORK/info2.json"
expect_eq "rebuild gives the same hash" "$h1" "$(json_get "$WORK/info2.json" "j['hash']")"
cmp -s "$WORK/a.snap" "$WORK/b.snap" && pass || fail "rebuild is not byte-identical"

# Spot checks. The 2023 sample lists Huawei on the CMIC list: its rows carry
# addresses in China and aliases.
run_icts lists show "$WORK/a.snap" --name "HUAWEI" --limit 50 -o json
echo "$OUT" >"$WORK/huawei.json"
csl_huawei=$(json_get "$WORK/huawei.json" "sum(1 for e in j if e['id'].startswith('csl:'))")
expect_eq "Huawei rows in the 2023 CSL sample" 2 "$csl_huawei"
with_addr=$(json_get "$WORK/huawei.json" "sum(1 for e in j if e['id'].startswith('csl:') and e['addresses'] and any(c['code']=='CN' for c in e['countries']) and len(e['names'])>1 and 'CMIC-EO13959' in e['programs'])")
expect_eq "Huawei CSL rows have CN addresses, aliases and the CMIC program" 2 "$with_addr"
# The curated registry adds Huawei with its FCC Covered List and Section 889 facts.
cur=$(json_get "$WORK/huawei.json" "[e for e in j if e['id']=='icts:huawei-technologies'][0]['citations'].__len__()")
if [ "$cur" -ge 2 ]; then pass; else fail "curated Huawei entity has $cur citations"; fi

# The 2019 CSL sample (older column set) has a Huawei affiliate on the Entity
# List (84 FR 22961).
if [ -e "$DATA/us-csl/csl-2019-sample.csv" ]; then
  run_icts lists build --source csl="$DATA/us-csl/csl-2019-sample.csv" -o "$WORK/c2019.snap" -q
  expect_eq "2019 CSL build" 0 "$RC"
  run_icts lists show "$WORK/c2019.snap" --name "Huawei" -o json
  echo "$OUT" >"$WORK/h2019.json"
  expect_eq "2019 Huawei Entity List row" "Entity List (EL) - Bureau of Industry and Security" \
    "$(json_get "$WORK/h2019.json" "j[0]['lists'][0]")"
  expect_eq "2019 Huawei row address country" "CN" "$(json_get "$WORK/h2019.json" "j[0]['addresses'][0]['country']")"
  expect_contains "2019 Huawei row FR notice" "$(json_get "$WORK/h2019.json" "j[0]['properties']")" "84 FR 22961"
fi

# An SDN entry with identifiers and links from its remarks.
run_icts lists show "$WORK/a.snap" --id ofac-sdn:306 -o json
echo "$OUT" >"$WORK/bnc.json"
expect_eq "BNC name" "BANCO NACIONAL DE CUBA" "$(json_get "$WORK/bnc.json" "j[0]['name']")"
expect_contains "BNC aliases" "$(json_get "$WORK/bnc.json" "[n['value'] for n in j[0]['names']]")" "NATIONAL BANK OF CUBA"
run_icts lists show "$WORK/a.snap" --name "LAZARUS" --limit 20 -o json
echo "$OUT" >"$WORK/lazarus.json"
links=$(json_get "$WORK/lazarus.json" "sum(1 for e in j for r in e['relations'] if r['kind']=='linked_to')")
if [ "$links" -ge 1 ]; then pass; else fail "no 'Linked To' relation around Lazarus Group"; fi

# Unknown id: exit 2 with the id in the message.
run_icts lists show "$WORK/a.snap" --id "csl:does-not-exist"
expect_eq "unknown id exit code" 2 "$RC"
expect_contains "unknown id message" "$ERR" "does-not-exist"

finish
