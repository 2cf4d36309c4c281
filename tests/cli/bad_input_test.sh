#!/usr/bin/env bash
# End to end: corrupted inputs give exit code 2, a message naming file and
# line, and leave an existing snapshot untouched.
source "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/in"
cat >"$WORK/in/good.yaml" <<'YAML'
source: {id: test-good, title: Test registry}
entities:
  - id: acme-telecom
    schema: Company
    names: [Acme Telecom Co., Ltd.]
    countries: [{code: CN, role: headquarters}]
    citations: [{fact: headquarters, text: "Company filing", verification: M}]
YAML
printf 'sources:\n  - {format: curated, path: in/good.yaml}\n' >"$WORK/good.yaml"
run_icts lists build --config "$WORK/good.yaml" -o "$WORK/out.snap"
expect_eq "good build" 0 "$RC"
before=$(sha256sum "$WORK/out.snap" | cut -d' ' -f1)

check_bad() {  # NAME FORMAT FILE EXPECTED_LOCATION
  printf 'sources:\n  - {format: curated, path: in/good.yaml}\n  - {format: %s, path: in/%s}\n' "$2" "$3" >"$WORK/bad.yaml"
  run_icts lists build --config "$WORK/bad.yaml" -o "$WORK/out.snap"
  expect_eq "$1: exit code" 2 "$RC"
  expect_contains "$1: message names file and line" "$ERR" "$4"
  expect_eq "$1: snapshot untouched" "$before" "$(sha256sum "$WORK/out.snap" | cut -d' ' -f1)"
  ls "$WORK" | grep -q '\.tmp' && fail "$1: temporary file left behind" || pass
}

# Bad quoting in a CSL file: the quote opened on line 3 never closes.
{
  echo '_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids'
  echo 'a1,Entity List (EL) - Bureau of Industry and Security,,Entity,,GOOD NAME,,,,,,,,,,,,,,,,,,,,,,,'
  echo 'a2,Entity List (EL) - Bureau of Industry and Security,,Entity,,"BROKEN NAME,,,,,,,,,,,,,,,,,,,,,,,'
} >"$WORK/in/bad-quote.csv"
check_bad "bad quoting" csl bad-quote.csv "in/bad-quote.csv:3:"

# Truncated UN XML.
printf '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00">\n<INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A' >"$WORK/in/cut.xml"
check_bad "truncated XML" un cut.xml "in/cut.xml:4:"

# Invalid UTF-8 on line 2 of a DPL file.
printf '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t"Effective_Date"\t"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t"FR_Citation"\n"BAD \xff NAME"\t""\t""\t""\t"US"\t""\t"01/01/2020"\t""\t"Y"\t"2020-01-02"\t""\t""\n' >"$WORK/in/bad-utf8.txt"
check_bad "invalid UTF-8" dpl bad-utf8.txt "in/bad-utf8.txt:2:"

# A missing file.
check_bad "missing file" csl nope.csv "nope.csv"

# A config error points at its line.
printf 'sources:\n  - {format: csl, path: x.csv}\n  - {format: nonsense, path: y}\n' >"$WORK/badconf.yaml"
run_icts lists build --config "$WORK/badconf.yaml" -o "$WORK/out.snap"
expect_eq "bad config exit code" 2 "$RC"
expect_contains "bad config location" "$ERR" "badconf.yaml:3:"

# A rejected row: reported with file:line; --strict fails with exit 2.
cat >"$WORK/in/reject.yaml" <<'YAML'
source: {id: test-reject, title: Test registry}
entities:
  - id: no-citation
    schema: Company
    names: [Uncited Corp]
YAML
printf 'sources:\n  - {format: curated, path: in/good.yaml}\n  - {format: curated, path: in/reject.yaml}\n' >"$WORK/rej.yaml"
run_icts lists build --config "$WORK/rej.yaml" -o "$WORK/lenient.snap"
expect_eq "lenient build with a rejected row" 0 "$RC"
expect_contains "reject reported with location" "$ERR" "in/reject.yaml:3"
run_icts lists build --config "$WORK/rej.yaml" -o "$WORK/out.snap" --strict
expect_eq "strict build exit code" 2 "$RC"
expect_contains "strict message names file and line" "$ERR" "in/reject.yaml:3"
expect_eq "strict failure leaves snapshot" "$before" "$(sha256sum "$WORK/out.snap" | cut -d' ' -f1)"

# A damaged snapshot is refused by info.
cp "$WORK/out.snap" "$WORK/damaged.snap"
printf 'X' | dd of="$WORK/damaged.snap" bs=1 seek=$(( $(stat -c %s "$WORK/damaged.snap") - 2 )) conv=notrunc 2>/dev/null
run_icts lists info "$WORK/damaged.snap"
expect_eq "damaged snapshot exit code" 2 "$RC"
expect_contains "damaged snapshot message" "$ERR" "hash mismatch"
head -c 100 "$WORK/out.snap" >"$WORK/short.snap"
run_icts lists info "$WORK/short.snap"
expect_eq "truncated snapshot exit code" 2 "$RC"

# Usage errors.
run_icts lists build -o "$WORK/x.snap"
expect_eq "no sources exit code" 2 "$RC"
run_icts lists frobnicate
expect_eq "unknown verb exit code" 2 "$RC"
run_icts lists build --source bogus=x -o "$WORK/x.snap"
expect_eq "unknown --source format" 2 "$RC"

finish
