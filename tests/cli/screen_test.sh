#!/usr/bin/env bash
# End to end: `icts screen` and `icts compare` over a snapshot of the shipped
# curated registry (no external data needed), and over the public lists when
# they are present. Checks the output contract (keys, order, threshold, one
# line per input row), the input errors (file:line, exit 2) and the schemas
# in docs/schema/.
source "$(dirname "$0")/lib.sh"
CHECK_SCHEMA="$(dirname "$0")/check_schema.py"

# check_schema WHAT SCHEMA_FILE DOC_FILE [--jsonl] [--def NAME]
check_schema() {
  local what=$1 schema=$2 doc=$3
  shift 3
  if python3 "$CHECK_SCHEMA" "$ROOT/docs/schema/$schema" "$doc" "$@" 2>"$WORK/schema.err"; then
    pass
  else
    fail "$what: $(cat "$WORK/schema.err")"
  fi
}

# py FILE PYTHON_EXPR: like json_get, for JSON Lines (l = list of objects).
jsonl_get() {
  python3 -c "import json,sys; l=[json.loads(x) for x in open(sys.argv[1], encoding='utf-8') if x.strip()]; print($2)" "$1"
}

run_icts lists build --config "$ROOT/examples/lists.yaml" -o "$WORK/cur.snap" -q
expect_eq "curated snapshot build" 0 "$RC"
[ "$RC" -eq 0 ] || { echo "$ERR" >&2; finish; }
SNAP="$WORK/cur.snap"

# --- One name ---------------------------------------------------------------

run_icts screen --snapshot "$SNAP" "HUAWEI TECHNOLOGIES CO LTD" -o json
expect_eq "screen huawei exit code" 0 "$RC"
echo "$OUT" >"$WORK/huawei.json"
check_schema "screen -o json" screen-result.schema.json "$WORK/huawei.json" --def result
expect_eq "huawei: best hit" "icts:huawei-technologies" "$(json_get "$WORK/huawei.json" "j['hits'][0]['entity_id']")"
expect_eq "huawei: query echo" "HUAWEI TECHNOLOGIES CO LTD" "$(json_get "$WORK/huawei.json" "j['query']['name']")"
expect_eq "huawei: query has only the name" "['name']" "$(json_get "$WORK/huawei.json" "list(j['query'])")"
expect_eq "huawei: top-level keys in order" "['query', 'hits']" "$(json_get "$WORK/huawei.json" "list(j)")"
expect_eq "huawei: contract keys on every hit" "True" "$(json_get "$WORK/huawei.json" \
  "all({'entity_id','name','matched_name','score','source','program','explanation'} <= set(h) for h in j['hits'])")"
expect_eq "huawei: best first" "True" "$(json_get "$WORK/huawei.json" \
  "all(a['score'] >= b['score'] for a, b in zip(j['hits'], j['hits'][1:]))")"
expect_eq "huawei: every hit at or above the default threshold 0.80" "True" \
  "$(json_get "$WORK/huawei.json" "all(h['score'] >= 0.80 for h in j['hits'])")"
expect_eq "huawei: one hit per entity" "True" \
  "$(json_get "$WORK/huawei.json" "len({h['entity_id'] for h in j['hits']}) == len(j['hits'])")"
expect_eq "huawei: explanation has an alignment" "True" \
  "$(json_get "$WORK/huawei.json" "len(j['hits'][0]['explanation']['alignment']) > 0")"

# Threshold filtering: a lower threshold never gives fewer hits, a higher one
# only keeps hits at or above it; --top caps the list.
run_icts screen --snapshot "$SNAP" "Huawei Technologies" --threshold 0.5 --top 50 -o json
echo "$OUT" >"$WORK/t50.json"
run_icts screen --snapshot "$SNAP" "Huawei Technologies" --threshold 0.95 --top 50 -o json
echo "$OUT" >"$WORK/t95.json"
expect_eq "threshold 0.95 exit code" 0 "$RC"
expect_eq "threshold 0.95: only hits >= 0.95" "True" "$(json_get "$WORK/t95.json" "all(h['score'] >= 0.95 for h in j['hits'])")"
n50=$(json_get "$WORK/t50.json" "len(j['hits'])")
n95=$(json_get "$WORK/t95.json" "len(j['hits'])")
if [ "$n50" -ge "$n95" ] && [ "$n50" -ge 1 ]; then pass; else fail "threshold 0.5 gave $n50 hits, 0.95 gave $n95"; fi
expect_eq "threshold 0.95 hits are the top of the 0.5 list" "True" \
  "$(python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['hits']; b=json.load(open(sys.argv[2]))['hits']; print([h['entity_id'] for h in a if h['score'] >= 0.95] == [h['entity_id'] for h in b])" "$WORK/t50.json" "$WORK/t95.json")"
run_icts screen --snapshot "$SNAP" "Huawei Technologies" --threshold 0.5 --top 1 -o json
echo "$OUT" >"$WORK/top1.json"
expect_eq "--top 1" 1 "$(json_get "$WORK/top1.json" "len(j['hits'])")"

run_icts screen --snapshot "$SNAP" "Kaspersky Lab" -o json
echo "$OUT" >"$WORK/kl.json"
expect_eq "kaspersky exit code" 0 "$RC"
expect_contains "Kaspersky Lab finds a Kaspersky entity" "$(json_get "$WORK/kl.json" "j['hits'][0]['entity_id'] if j['hits'] else ''")" "kaspersky"

run_icts screen --snapshot "$SNAP" "DJI" -o json
echo "$OUT" >"$WORK/dji.json"
expect_contains "DJI finds icts:dji" "$(json_get "$WORK/dji.json" "[h['entity_id'] for h in j['hits']]")" "'icts:dji'"

run_icts screen --snapshot "$SNAP" "Blue Meadow Bakery LLC" -o json --fail-on-hit
expect_eq "unrelated name: exit 0 even with --fail-on-hit" 0 "$RC"
echo "$OUT" >"$WORK/bakery.json"
expect_eq "unrelated name: no hits" 0 "$(json_get "$WORK/bakery.json" "len(j['hits'])")"
check_schema "screen -o json, no hits" screen-result.schema.json "$WORK/bakery.json" --def result

run_icts screen --snapshot "$SNAP" "Huawei Technologies Co., Ltd." --fail-on-hit -q
expect_eq "--fail-on-hit with a hit: exit 1" 1 "$RC"
expect_contains "--fail-on-hit still prints the hits" "$OUT" "icts:huawei-technologies"

run_icts screen --snapshot "$SNAP" "" -o json
expect_eq "empty name: exit 0" 0 "$RC"
echo "$OUT" >"$WORK/empty.json"
expect_eq "empty name: no hits" 0 "$(json_get "$WORK/empty.json" "len(j['hits'])")"

run_icts screen --snapshot "$SNAP" $'HUAWEI \xff\xfe TECHNOLOGIES' -o json
expect_eq "invalid UTF-8 name: exit 0" 0 "$RC"
echo "$OUT" >"$WORK/badutf8.json"
expect_eq "invalid UTF-8 name: bytes replaced in the echo" "True" \
  "$(json_get "$WORK/badutf8.json" "'\\ufffd' in j['query']['name']")"
expect_contains "invalid UTF-8 name: warning" "$ERR" "invalid UTF-8"

run_icts screen --snapshot "$SNAP" "Huawei Technologies" --country CN --type organization \
  --id 91440300192203821D --id X-2 --dob 1987 -o json
expect_eq "screen with evidence exit code" 0 "$RC"
echo "$OUT" >"$WORK/evidence.json"
check_schema "screen -o json with evidence" screen-result.schema.json "$WORK/evidence.json" --def result
expect_eq "query echoes country, type, identifiers, birth_date" \
  "{'name': 'Huawei Technologies', 'country': 'CN', 'type': 'organization', 'identifiers': ['91440300192203821D', 'X-2'], 'birth_date': '1987'}" \
  "$(json_get "$WORK/evidence.json" "j['query']")"

run_icts screen --snapshot "$SNAP" "Huawei Technologies Co., Ltd." -o csv
expect_eq "screen -o csv exit code" 0 "$RC"
expect_eq "screen -o csv header" "row,query,entity_id,name,matched_name,score,list,program,source_id" \
  "$(head -1 <<<"$OUT")"
expect_contains "screen -o csv row" "$OUT" '1,"Huawei Technologies Co., Ltd.",icts:huawei-technologies,'

run_icts screen --snapshot "$SNAP" "Huawei Technologies Co., Ltd."
expect_eq "screen table exit code" 0 "$RC"
expect_eq "screen table header" "NAME SCORE ENTITY MATCHED LIST" "$(head -1 <<<"$OUT" | tr -s ' ')"
run_icts screen --snapshot "$SNAP" "Blue Meadow Bakery LLC"
expect_contains "screen table without hits" "$OUT" "no hits at or above 0.80"

run_icts screen --snapshot "$SNAP" "Huawei" -o jsonl
expect_eq "single name -o jsonl is one line" 1 "$(grep -c . <<<"$OUT")"

# --- Batches ------------------------------------------------------------------

# Quoted names with separators, doubled quotes and a line break; a row
# without hits; an empty name; a row with bad bytes.
{
  printf 'id,supplier,country,note\n'
  printf '1,"HUAWEI TECHNOLOGIES CO., LTD.",China,first\n'
  printf '2,"Blue Meadow Bakery, LLC",US,"no ""hit"" expected"\n'
  printf '3,Kaspersky Lab,Russia,\n'
  printf '4,,,empty name\n'
  printf '5,"SZ DJI Technology Co.,\nLtd.",CN,line break\n'
  printf '6,"Acme \xff Widgets",US,bad byte\n'
} >"$WORK/suppliers.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column supplier \
  --country-column country -o jsonl
expect_eq "CSV batch exit code" 0 "$RC"
echo "$OUT" >"$WORK/batch.jsonl"
check_schema "CSV batch -o jsonl" screen-result.schema.json "$WORK/batch.jsonl" --jsonl --def batch_line
expect_eq "CSV batch: one line per row" 6 "$(grep -c . "$WORK/batch.jsonl")"
expect_eq "CSV batch: rows in input order" "[1, 2, 3, 4, 5, 6]" "$(jsonl_get "$WORK/batch.jsonl" "[x['row'] for x in l]")"
expect_eq "CSV batch: quoted names read whole" \
  "['HUAWEI TECHNOLOGIES CO., LTD.', 'Blue Meadow Bakery, LLC', 'Kaspersky Lab', '', 'SZ DJI Technology Co.,\\nLtd.']" \
  "$(jsonl_get "$WORK/batch.jsonl" "[x['query']['name'] for x in l[:5]]")"
expect_eq "CSV batch: country column echoed" "China" "$(jsonl_get "$WORK/batch.jsonl" "l[0]['query']['country']")"
expect_eq "CSV batch: empty country not echoed" "False" "$(jsonl_get "$WORK/batch.jsonl" "'country' in l[3]['query']")"
expect_eq "CSV batch: huawei row hit" "icts:huawei-technologies" "$(jsonl_get "$WORK/batch.jsonl" "l[0]['hits'][0]['entity_id']")"
expect_eq "CSV batch: rows without hits are present" "[0, 0]" "$(jsonl_get "$WORK/batch.jsonl" "[len(l[1]['hits']), len(l[3]['hits'])]")"
expect_contains "CSV batch: kaspersky row" "$(jsonl_get "$WORK/batch.jsonl" "[h['entity_id'] for h in l[2]['hits']]")" "kaspersky"
expect_eq "CSV batch: bad bytes replaced" "True" "$(jsonl_get "$WORK/batch.jsonl" "'\\ufffd' in l[5]['query']['name']")"
expect_contains "CSV batch: bad bytes warning names file:line" "$ERR" "suppliers.csv:8:"
expect_contains "CSV batch: summary line" "$ERR" "screened 6 rows"
expect_contains "CSV batch: summary counts rows with hits" "$ERR" "with hits"
expect_contains "CSV batch: no query repeated" "$ERR" "; 0 repeated an earlier row's query"
expect_eq "CSV batch: no progress line when stderr is not a terminal" "" "$(tr -cd '\r' <<<"$ERR")"

run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column supplier -o jsonl -q
expect_eq "--quiet: nothing on stderr" "" "$ERR"

run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column supplier -o json -q
expect_eq "CSV batch -o json exit code" 0 "$RC"
echo "$OUT" >"$WORK/batch.json"
check_schema "CSV batch -o json" screen-result.schema.json "$WORK/batch.json" --def batch
expect_eq "CSV batch -o json rows" "[1, 2, 3, 4, 5, 6]" "$(json_get "$WORK/batch.json" "[x['row'] for x in j]")"

run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column supplier -o csv -q
expect_eq "CSV batch -o csv exit code" 0 "$RC"
echo "$OUT" >"$WORK/batch-hits.csv"
expect_eq "CSV batch -o csv: hit rows point at input rows" "True" "$(python3 - "$WORK/batch-hits.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
print(bool(rows) and rows[0]['row'] == '1' and rows[0]['entity_id'] == 'icts:huawei-technologies'
      and all(r['row'] not in ('2', '4') for r in rows)
      and all(float(r['score']) >= 0.8 for r in rows))
PY
)"

run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column supplier -q
expect_eq "CSV batch table exit code" 0 "$RC"
expect_eq "CSV batch table header" "ROW NAME SCORE ENTITY MATCHED LIST" "$(head -1 <<<"$OUT" | tr -s ' ')"

run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column supplier -q --fail-on-hit -o jsonl
expect_eq "batch --fail-on-hit with hits: exit 1" 1 "$RC"
expect_eq "batch --fail-on-hit still writes every row" 6 "$(grep -c . <<<"$OUT")"
printf 'name\nBlue Meadow Bakery LLC\nRiver Stone Plumbing Inc\n' >"$WORK/clean.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/clean.csv" -q --fail-on-hit -o jsonl
expect_eq "batch --fail-on-hit without hits: exit 0" 0 "$RC"
expect_eq "default --name-column is 'name'" 2 "$(grep -c . <<<"$OUT")"

# TSV by extension, with type, id and birth-date columns.
printf 'Name\tKind\tIds\tBorn\nHuawei Technologies Co Ltd\torganization\tA1; B2\t\nIvan Petrov\tperson\t\t1970-05\n' >"$WORK/people.tsv"
run_icts screen --snapshot "$SNAP" --input "$WORK/people.tsv" --name-column Name --type-column Kind \
  --id-column Ids --dob-column Born -o jsonl -q
expect_eq "TSV batch exit code" 0 "$RC"
echo "$OUT" >"$WORK/people.jsonl"
check_schema "TSV batch -o jsonl" screen-result.schema.json "$WORK/people.jsonl" --jsonl --def batch_line
expect_eq "TSV batch: type, ids and birth date echoed" \
  "[('organization', ['A1', 'B2'], None), ('person', None, '1970-05')]" \
  "$(jsonl_get "$WORK/people.jsonl" "[(x['query']['type'], x['query'].get('identifiers'), x['query'].get('birth_date')) for x in l]")"

# JSON Lines input: blank lines skipped, optional keys, rows counted in order.
cat >"$WORK/parties.jsonl" <<'JSONL'
{"name": "HUAWEI TECHNOLOGIES CO LTD", "country": "CN", "type": "organization", "identifiers": ["91440300192203821D"]}

{"name": "Blue Meadow Bakery LLC"}
{"name": "Kaspersky Lab", "country": "Russia", "birth_date": null}
{"name": "", "type": "person"}
JSONL
run_icts screen --snapshot "$SNAP" --input "$WORK/parties.jsonl" -o jsonl
expect_eq "JSONL batch exit code" 0 "$RC"
echo "$OUT" >"$WORK/parties-out.jsonl"
check_schema "JSONL batch -o jsonl" screen-result.schema.json "$WORK/parties-out.jsonl" --jsonl --def batch_line
expect_eq "JSONL batch: rows" "[1, 2, 3, 4]" "$(jsonl_get "$WORK/parties-out.jsonl" "[x['row'] for x in l]")"
expect_eq "JSONL batch: hits per row" "[True, False, True, False]" \
  "$(jsonl_get "$WORK/parties-out.jsonl" "[bool(x['hits']) for x in l]")"
expect_eq "JSONL batch: query echo" "{'name': 'HUAWEI TECHNOLOGIES CO LTD', 'country': 'CN', 'type': 'organization', 'identifiers': ['91440300192203821D']}" \
  "$(jsonl_get "$WORK/parties-out.jsonl" "l[0]['query']")"
expect_contains "JSONL batch: summary" "$ERR" "screened 4 rows"

# More rows than one chunk (4096): every row comes back once, in order.
python3 - "$WORK/many.csv" <<'PY'
import sys
names = ["Huawei Technologies Co., Ltd.", "Blue Meadow Bakery LLC", "Kaspersky Lab",
         "Hangzhou Hikvision Digital Technology", "Green Valley Farms", "ZTE Corporation"]
with open(sys.argv[1], "w") as f:
    f.write("name,n\n")
    for i in range(5000):
        f.write(f"\"{names[i % len(names)]}\",{i + 1}\n")
PY
run_icts screen --snapshot "$SNAP" --input "$WORK/many.csv" -o jsonl
expect_eq "5000-row batch exit code" 0 "$RC"
# Six distinct names: all but a few rows reuse an earlier row's hits (two
# threads may each screen a name once before either has remembered it).
expect_eq "5000-row batch: repeated queries screened once" "True" \
  "$(sed -n 's/.*; \([0-9]*\) repeated an earlier row.s query.*/\1/p' <<<"$ERR" | awk '{print ($1 >= 4900 && $1 <= 4994) ? "True" : "False"}')"
echo "$OUT" >"$WORK/many.jsonl"
expect_eq "5000-row batch: rows 1..5000 in order" "True" \
  "$(jsonl_get "$WORK/many.jsonl" "[x['row'] for x in l] == list(range(1, 5001))")"
expect_eq "5000-row batch: same name, same result in every chunk" "True" \
  "$(jsonl_get "$WORK/many.jsonl" "all(l[i]['hits'] == l[i % 6]['hits'] for i in range(5000))")"

# A name that normalises the same (case, spacing) is a repeat; the same name
# with another country is not.
printf 'name,country\nHuawei Technologies Co Ltd,CN\nHUAWEI  TECHNOLOGIES CO LTD,CN\nhuawei technologies co ltd,CN\nHuawei Technologies Co Ltd,DE\n' \
  >"$WORK/variants.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/variants.csv" --country-column country \
  --top 1 -o jsonl
expect_eq "normalised repeats: exit code" 0 "$RC"
expect_contains "normalised repeats: counted" "$ERR" "; 2 repeated an earlier row's query"
echo "$OUT" >"$WORK/variants.jsonl"
expect_eq "normalised repeats: the same hits" "True" \
  "$(jsonl_get "$WORK/variants.jsonl" "l[0]['hits'] == l[1]['hits'] == l[2]['hits'] and len(l[0]['hits']) > 0")"
expect_eq "normalised repeats: each row echoes its own name" "HUAWEI  TECHNOLOGIES CO LTD" \
  "$(jsonl_get "$WORK/variants.jsonl" "l[1]['query']['name']")"

# --- Input errors ---------------------------------------------------------------

run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column nope
expect_eq "unknown --name-column: exit 2" 2 "$RC"
expect_contains "unknown --name-column: named" "$ERR" "no column 'nope'"
expect_contains "unknown --name-column: lists the columns" "$ERR" "'id', 'supplier', 'country', 'note'"
run_icts screen --snapshot "$SNAP" --input "$WORK/suppliers.csv" --name-column supplier --country-column land
expect_eq "unknown --country-column: exit 2" 2 "$RC"
expect_contains "unknown --country-column: lists the columns" "$ERR" "'supplier'"

# The quote opened on line 3 runs over line breaks to the end of the file.
printf 'name,country\nGood Name,CN\n"Broken Name,CN\nAnother,US\n' >"$WORK/bad-quote.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/bad-quote.csv" -o jsonl
expect_eq "broken quote: exit 2" 2 "$RC"
expect_contains "broken quote: file:line" "$ERR" "bad-quote.csv:3:"
expect_eq "broken quote: rows before it are written" 1 "$(grep -c . <<<"$OUT")"
# A last record cut off inside its quotes.
printf 'name,country\nGood Name,CN\n"Cut Off,CN' >"$WORK/cut.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/cut.csv" -o jsonl
expect_eq "truncated record: exit 2" 2 "$RC"
expect_contains "truncated record: file:line" "$ERR" "cut.csv:3:"
printf 'name,country\nGood Name,CN\nBad Row\n' >"$WORK/fields.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/fields.csv" -o jsonl
expect_eq "wrong field count: exit 2" 2 "$RC"
expect_contains "wrong field count: file:line" "$ERR" "fields.csv:3:"
printf 'name,kind\nHuawei,robot\n' >"$WORK/type.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/type.csv" --type-column kind -o jsonl
expect_eq "bad type value: exit 2" 2 "$RC"
expect_contains "bad type value: file:line" "$ERR" "type.csv:2:"
printf 'name,dob\nIvan Petrov,05/12/1970\n' >"$WORK/dob.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/dob.csv" --dob-column dob -o jsonl
expect_eq "bad birth date: exit 2" 2 "$RC"
expect_contains "bad birth date: file:line" "$ERR" "dob.csv:2:"
printf '{"name": "ok"}\n{"name": "unterminated\n' >"$WORK/bad.jsonl"
run_icts screen --snapshot "$SNAP" --input "$WORK/bad.jsonl" -o jsonl
expect_eq "bad JSONL line: exit 2" 2 "$RC"
expect_contains "bad JSONL line: file:line" "$ERR" "bad.jsonl:2:"
printf '{"country": "CN"}\n' >"$WORK/noname.jsonl"
run_icts screen --snapshot "$SNAP" --input "$WORK/noname.jsonl" -o jsonl
expect_eq "JSONL line without name: exit 2" 2 "$RC"
expect_contains "JSONL line without name: file:line" "$ERR" "noname.jsonl:1:"
printf '' >"$WORK/empty.csv"
run_icts screen --snapshot "$SNAP" --input "$WORK/empty.csv"
expect_eq "empty CSV: exit 2" 2 "$RC"
run_icts screen --snapshot "$SNAP" --input "$WORK/missing.csv"
expect_eq "missing input file: exit 2" 2 "$RC"
expect_contains "missing input file: named" "$ERR" "missing.csv"

# Usage errors.
run_icts screen --snapshot "$SNAP"
expect_eq "no NAME and no --input: exit 2" 2 "$RC"
run_icts screen --snapshot "$SNAP" Huawei --input "$WORK/clean.csv"
expect_eq "NAME and --input: exit 2" 2 "$RC"
run_icts screen --snapshot "$SNAP" --input "$WORK/clean.csv" --country CN
expect_eq "--country with --input: exit 2" 2 "$RC"
run_icts screen --snapshot "$SNAP" Huawei --name-column x
expect_eq "column flag without --input: exit 2" 2 "$RC"
run_icts screen --snapshot "$SNAP" Huawei --threshold 1.5
expect_eq "threshold out of range: exit 2" 2 "$RC"
run_icts screen --snapshot "$SNAP" Huawei --country Atlantis
expect_eq "unknown --country: exit 2" 2 "$RC"
run_icts screen --snapshot "$WORK/nope.snap" Huawei
expect_eq "missing snapshot: exit 2" 2 "$RC"
expect_contains "missing snapshot: named" "$ERR" "nope.snap"

# --- compare --------------------------------------------------------------------

{
  printf 'id,a,b,note\n'
  printf '1,"Huawei Technologies Co., Ltd.",HUAWEI TECHNOLOGIES CO LTD,"same, differently written"\n'
  printf '2,Kaspersky Lab,Blue Meadow Bakery LLC,unrelated\n'
  printf '3,,ZTE Corporation,empty side\n'
  printf '4,"Quote ""Q"" Corp",Quote Q Corp,\n'
} >"$WORK/pairs.csv"
run_icts compare --input "$WORK/pairs.csv" -o csv
expect_eq "compare CSV exit code" 0 "$RC"
echo "$OUT" >"$WORK/pairs-out.csv"
expect_eq "compare CSV header" "id,a,b,note,score,match" "$(head -1 "$WORK/pairs-out.csv")"
expect_eq "compare CSV passes every column through" "True" "$(python3 - "$WORK/pairs.csv" "$WORK/pairs-out.csv" <<'PY'
import csv, sys
src = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
out = list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8')))
print(len(src) == len(out) and all(o[:len(s)] == s and len(o) == len(s) + 2 for s, o in zip(src[1:], out[1:])))
PY
)"
expect_eq "compare CSV match column" "True" "$(python3 - "$WORK/pairs-out.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
print(all(r['match'] in ('true', 'false') and (r['match'] == 'true') == (float(r['score']) >= 0.8)
          and 0 <= float(r['score']) <= 1 for r in rows)
      and rows[0]['match'] == 'true' and rows[1]['match'] == 'false' and rows[2]['match'] == 'false')
PY
)"
run_icts compare --input "$WORK/pairs.csv" -o csv --threshold 0 -q
expect_eq "compare --threshold 0: all match" "true true true true" \
  "$(tail -n +2 <<<"$OUT" | awk -F, '{print $NF}' | tr '\n' ' ' | sed 's/ $//')"

run_icts compare --input "$WORK/pairs.csv" -o json -q
expect_eq "compare file -o json exit code" 0 "$RC"
echo "$OUT" >"$WORK/pairs.json"
check_schema "compare file -o json" compare-result.schema.json "$WORK/pairs.json"
expect_eq "compare file -o json rows" "[1, 2, 3, 4]" "$(json_get "$WORK/pairs.json" "[x['row'] for x in j]")"
run_icts compare --input "$WORK/pairs.csv" -o jsonl -q
echo "$OUT" >"$WORK/pairs.jsonl"
check_schema "compare file -o jsonl" compare-result.schema.json "$WORK/pairs.jsonl" --jsonl --def pair

run_icts compare "Huawei Technologies Co., Ltd." "HUAWEI TECHNOLOGIES CO LTD" -o json
expect_eq "compare pair -o json exit code" 0 "$RC"
echo "$OUT" >"$WORK/pair.json"
check_schema "compare pair -o json" compare-result.schema.json "$WORK/pair.json" --def pair
expect_eq "compare pair: match" "True" "$(json_get "$WORK/pair.json" "j['match']")"
expect_eq "compare pair: explanation aligns tokens" "True" \
  "$(json_get "$WORK/pair.json" "any(a['query_token'] and a['list_token'] for a in j['explanation']['alignment'])")"
run_icts compare "Huawei Technologies Co., Ltd." "HUAWEI TECHNOLOGIES CO LTD"
expect_eq "compare pair table exit code" 0 "$RC"
expect_contains "compare pair table" "$OUT" "SIMILARITY  WEIGHT  CONTRIBUTION  HOW"
expect_contains "compare pair table: verdict" "$OUT" "match at threshold 0.80"
run_icts compare $'Huawei \xff' "Huawei" -o json
expect_eq "compare invalid UTF-8: exit 0" 0 "$RC"
echo "$OUT" >"$WORK/pair-bad.json"
check_schema "compare invalid UTF-8 -o json" compare-result.schema.json "$WORK/pair-bad.json" --def pair

# --snapshot: words weigh as screening weighs them, so a hit's name score is
# the pair's score (a hit without adjustments).
run_icts screen --snapshot "$SNAP" "Huawei Technolgies Company" --threshold 0.5 --top 20 -o json
echo "$OUT" >"$WORK/weighted-screen.json"
W_NAME=$(json_get "$WORK/weighted-screen.json" \
  "[h['matched_name'] for h in j['hits'] if not h['explanation']['adjustments']][0]")
W_SCORE=$(json_get "$WORK/weighted-screen.json" \
  "[h['explanation']['name_score'] for h in j['hits'] if not h['explanation']['adjustments']][0]")
run_icts compare "Huawei Technolgies Company" "$W_NAME" --snapshot "$SNAP" -o json
expect_eq "compare --snapshot exit code" 0 "$RC"
echo "$OUT" >"$WORK/weighted-pair.json"
check_schema "compare --snapshot -o json" compare-result.schema.json "$WORK/weighted-pair.json" --def pair
expect_eq "compare --snapshot: the hit's name score" "True" \
  "$(json_get "$WORK/weighted-pair.json" "abs(j['explanation']['name_score'] - $W_SCORE) < 1e-9")"
expect_eq "compare --snapshot: names the snapshot" \
  "$("$ICTS" lists info "$SNAP" | awk '/^hash/ {print $2}')" "$(json_get "$WORK/weighted-pair.json" "j['snapshot']")"
run_icts compare "Huawei Technolgies Company" "$W_NAME" -o json
echo "$OUT" >"$WORK/uniform-pair.json"
expect_eq "compare without --snapshot: no snapshot, other weights" "True" \
  "$(json_get "$WORK/uniform-pair.json" "'snapshot' not in j and abs(j['explanation']['name_score'] - $W_SCORE) > 1e-6")"
run_icts compare --input "$WORK/pairs.csv" -o jsonl --snapshot "$SNAP"
echo "$OUT" >"$WORK/pairs-weighted.jsonl"
check_schema "compare file --snapshot -o jsonl" compare-result.schema.json "$WORK/pairs-weighted.jsonl" --jsonl --def pair
expect_contains "compare file --snapshot: summary names the weights" "$ERR" "word rarity in snapshot"
run_icts compare "a" "b" --snapshot "$WORK/missing.snap"
expect_eq "compare --snapshot missing file: exit 2" 2 "$RC"
# --type: a patronymic one name lacks costs persons a fifth of its weight,
# organisations 0.6 of it (and word order counts for them).
run_icts compare "Sergey Kurchenko" "KURCHENKO, Sergey Vitalievich" --type person -o csv -q
P_SCORE=$(tail -1 <<<"$OUT" | awk -F, '{print $(NF-1)}')
run_icts compare "Sergey Kurchenko" "KURCHENKO, Sergey Vitalievich" --type organization -o csv -q
O_SCORE=$(tail -1 <<<"$OUT" | awk -F, '{print $(NF-1)}')
expect_eq "compare --type person scores above organization" "True" \
  "$(python3 -c "print($P_SCORE >= 0.95 and $O_SCORE < $P_SCORE - 0.1)")"
run_icts compare "a" "b" --type robot
expect_eq "compare --type robot: exit 2" 2 "$RC"

run_icts compare --input "$WORK/pairs.csv" --a-column left
expect_eq "compare unknown column: exit 2" 2 "$RC"
expect_contains "compare unknown column: lists the columns" "$ERR" "'id', 'a', 'b', 'note'"
printf 'a,b\nx,"y\n' >"$WORK/pairs-bad.csv"
run_icts compare --input "$WORK/pairs-bad.csv" -o csv
expect_eq "compare broken quote: exit 2" 2 "$RC"
expect_contains "compare broken quote: file:line" "$ERR" "pairs-bad.csv:2:"
run_icts compare "only one"
expect_eq "compare with one name: exit 2" 2 "$RC"

# --- Public lists (when present) ----------------------------------------------------

if [ -e "$DATA/us-csl/csl-2023-11-30.csv" ]; then
  cat >"$WORK/real.yaml" <<YAML
sources:
  - {format: csl, path: $DATA/us-csl/csl-2023-11-30.csv}
  - {format: curated, path: $ROOT/data/curated/fcc-covered-list.yaml}
  - {format: curated, path: $ROOT/data/curated/ndaa-889.yaml}
  - {format: curated, path: $ROOT/data/curated/kaspersky.yaml}
  - {format: curated, path: $ROOT/data/curated/ict-vendors.yaml}
YAML
  run_icts lists build --config "$WORK/real.yaml" -o "$WORK/real.snap" -q
  expect_eq "real snapshot build" 0 "$RC"
  run_icts screen --snapshot "$WORK/real.snap" "HUAWEI TECHNOLOGIES CO., LTD." --top 20 -o json
  expect_eq "real: screen exit code" 0 "$RC"
  echo "$OUT" >"$WORK/real-huawei.json"
  check_schema "real: screen -o json" screen-result.schema.json "$WORK/real-huawei.json" --def result
  expect_eq "real: curated and CSL Huawei entries both found" "True" "$(json_get "$WORK/real-huawei.json" \
    "any(h['entity_id'] == 'icts:huawei-technologies' for h in j['hits']) and any(h['entity_id'].startswith('csl:') for h in j['hits'])")"
  expect_eq "real: best first" "True" "$(json_get "$WORK/real-huawei.json" \
    "all(a['score'] >= b['score'] for a, b in zip(j['hits'], j['hits'][1:]))")"
  run_icts screen --snapshot "$WORK/real.snap" --input "$WORK/suppliers.csv" --name-column supplier \
    --country-column country -o jsonl -q
  expect_eq "real: CSV batch exit code" 0 "$RC"
  echo "$OUT" >"$WORK/real-batch.jsonl"
  expect_eq "real: CSV batch rows" "[1, 2, 3, 4, 5, 6]" "$(jsonl_get "$WORK/real-batch.jsonl" "[x['row'] for x in l]")"
  expect_eq "real: unrelated supplier has no hits" 0 "$(jsonl_get "$WORK/real-batch.jsonl" "len(l[1]['hits'])")"
else
  echo "reference data not found: $DATA/us-csl/csl-2023-11-30.csv (public-list checks skipped)"
fi

finish
