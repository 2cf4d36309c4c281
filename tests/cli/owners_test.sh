#!/usr/bin/env bash
# End to end: `icts owners` over the shipped example graph (examples/ownership)
# and the public GLEIF/BODS samples when present. Checks the output contract
# and schema (docs/schema/owners-result.schema.json), the numbers, dates,
# definitions, DOT output and input errors (file:line, exit 2).
source "$(dirname "$0")/lib.sh"
CHECK_SCHEMA="$(dirname "$0")/check_schema.py"
EX="$ROOT/examples/ownership"
G=(--nodes "$EX/nodes.csv" --edges "$EX/edges.csv")

owners_json() {  # owners_json NAME ARGS... -> $WORK/NAME.json
  local name=$1
  shift
  run_icts owners "${G[@]}" -o json "$@"
  echo "$OUT" >"$WORK/$name.json"
  if python3 "$CHECK_SCHEMA" "$ROOT/docs/schema/owners-result.schema.json" "$WORK/$name.json" 2>"$WORK/schema.err"; then
    pass
  else
    fail "$name schema: $(cat "$WORK/schema.err")"
  fi
}

owners_json swiss --as-of 2025-06-01 alpensignal-ch
expect_eq "swiss: exit code" 0 "$RC"
expect_eq "swiss: contract keys" "True" "$(json_get "$WORK/swiss.json" \
  "{'id','adversary_shares','control','nexus','paths','unknowns'} <= set(j)")"
expect_eq "swiss: RU share" "0.56" "$(json_get "$WORK/swiss.json" "round(j['adversary_shares']['RU'], 12)")"
expect_eq "swiss: path" "['ivanov', 'aurora-cy', 'alpensignal-ch']" "$(json_get "$WORK/swiss.json" "j['paths'][0]['via']")"
expect_eq "swiss: prong" "RU ownership-control" "$(json_get "$WORK/swiss.json" "j['nexus'][0]['adversary'] + ' ' + j['nexus'][0]['prong']")"
expect_eq "swiss: outcome" "holds" "$(json_get "$WORK/swiss.json" "j['outcome']")"
expect_eq "swiss: citation verified" "V" "$(json_get "$WORK/swiss.json" "j['nexus'][0]['citation']['verification']")"

owners_json ring --as-of 2025-06-01 ring-a
expect_eq "ring: cross-holding solved exactly" "0.568181818182" "$(json_get "$WORK/ring.json" "round(j['adversary_shares']['CN'], 12)")"
expect_eq "ring: paths incomplete around a ring" "False" "$(json_get "$WORK/ring.json" "j['paths_complete']")"

owners_json board --as-of 2025-06-01 nordlicht-de
expect_eq "30% + board majority: control" "board-majority" "$(json_get "$WORK/board.json" "j['control'][0]['how'][0].split()[0]")"
owners_json passive --as-of 2025-06-01 maple-networks
expect_eq "5% passive: share reported" "0.05" "$(json_get "$WORK/passive.json" "round(j['adversary_shares']['IR'], 12)")"
expect_eq "5% passive: no nexus" "none-found 0" "$(json_get "$WORK/passive.json" "j['outcome'] + ' ' + str(len(j['nexus']))")"

# Dates: Macau joins China on 2025-02-04.
owners_json macau_before --as-of 2025-02-03 pacific-ops
owners_json macau_after --as-of 2025-02-04 pacific-ops
expect_eq "Macau before 2025-02-04" "{}" "$(json_get "$WORK/macau_before.json" "j['adversary_shares']")"
expect_eq "Macau from 2025-02-04" "0.6" "$(json_get "$WORK/macau_after.json" "j['adversary_shares']['CN']")"

# Subpart D: the threshold is unknown, so review, never a finding.
owners_json d --as-of 2025-06-01 --definition subpart-d kaspersky-lab-inc
expect_eq "subpart-d: no finding" "0" "$(json_get "$WORK/d.json" "len(j['nexus'])")"
expect_eq "subpart-d: review" "needs-review" "$(json_get "$WORK/d.json" "j['outcome']")"
expect_contains "subpart-d: unverified threshold named" "$(json_get "$WORK/d.json" "[u['kind'] for u in j['unknowns']]")" "threshold-unverified"

# By name and by LEI-less exact name.
owners_json byname --as-of 2025-06-01 "Kaspersky Lab, Inc."
expect_eq "by name" "kaspersky-lab-inc name" "$(json_get "$WORK/byname.json" "j['id'] + ' ' + j['query']['resolved_by']")"

# Table and DOT.
run_icts owners "${G[@]}" --as-of 2025-06-01 alpensignal-ch
expect_eq "table exit" 0 "$RC"
expect_contains "table shows the path" "$OUT" "ivanov -100.00%-> aurora-cy -56.00%-> alpensignal-ch"
run_icts owners "${G[@]}" --as-of 2025-06-01 --dot alpensignal-ch
expect_contains "dot graph" "$OUT" "digraph owners"
expect_contains "dot edge" "$OUT" "\"aurora-cy\" -> \"alpensignal-ch\" [label=\"56.00%\"]"

# Errors: exit 2 with file:line, nothing loaded.
printf 'owner_id,owned_id,share,control\nivanov,aurora-cy,56,\naurora-cy,aurora-cy,0.1,\nivanov,ghost,0.1,\n' >"$WORK/bad.csv"
run_icts owners --nodes "$EX/nodes.csv" --edges "$WORK/bad.csv" ivanov
expect_eq "bad edges: exit 2" 2 "$RC"
expect_contains "bad share with line" "$ERR" "bad.csv:2: share '56' is outside [0, 1]"
expect_contains "self-ownership with line" "$ERR" "bad.csv:3: 'aurora-cy' cannot own or control itself"
expect_contains "dangling with line" "$ERR" "bad.csv:4: edge refers to node 'ghost'"
expect_eq "bad edges: nothing printed" "" "$OUT"
printf 'owner_id,owned_id,share,control\nivanov,alpensignal-ch,0.6,\n' >"$WORK/over.csv"
run_icts owners --nodes "$EX/nodes.csv" --edges "$WORK/over.csv" alpensignal-ch -o json
expect_eq "single 60% edge loads" 0 "$RC"
cat "$EX/edges.csv" >"$WORK/over2.csv"; echo "ivanov,alpensignal-ch,0.6," >>"$WORK/over2.csv"
run_icts owners --nodes "$EX/nodes.csv" --edges "$WORK/over2.csv" alpensignal-ch
expect_eq "over 100%: exit 2" 2 "$RC"
expect_contains "over 100% named" "$ERR" "known shares of 'alpensignal-ch' add up to 160%"
run_icts owners "${G[@]}" nobody
expect_eq "unknown entity: exit 2" 2 "$RC"
run_icts owners "${G[@]}" --as-of 2025-13-01 ivanov
expect_eq "bad date: exit 2" 2 "$RC"
run_icts owners "${G[@]}" --definition nonsense ivanov
expect_eq "bad definition: exit 2" 2 "$RC"
printf 'id: x\nadversaries:\n  - code: RU\n    name: Russia\n    colour: red\n' >"$WORK/adv.yaml"
run_icts owners "${G[@]}" --adversaries "$WORK/adv.yaml" ivanov
expect_eq "bad adversary list: exit 2" 2 "$RC"
expect_contains "bad adversary list: file:line" "$ERR" "adv.yaml:5: adversary: unknown key 'colour'"

# Public samples, when present.
if [ -e "$DATA/gleif-samples/rr-level2-cn-hk-sample.json" ]; then
  run_icts owners --gleif "$DATA/gleif-samples/rr-level2-cn-hk-sample.json" --as-of 2025-06-01 -o json 3003005jy7ktp8l48n10
  echo "$OUT" >"$WORK/gleif.json"
  expect_eq "gleif: by LEI" "lei" "$(json_get "$WORK/gleif.json" "j['query']['resolved_by']")"
  expect_eq "gleif: HK company controlled from the PRC" "True" "$(json_get "$WORK/gleif.json" \
    "any(n['prong'] == 'ownership-control' and n['via'][0] == '30030096HNNZNN7BZK36' for n in j['nexus'])")"
fi
if [ -e "$DATA/bods-examples/examples/indirect-ownership.json" ]; then
  run_icts owners --bods "$DATA/bods-examples/examples/indirect-ownership.json" -o json bods:ad3f6c2fcc9e
  echo "$OUT" >"$WORK/bods.json"
  expect_eq "bods: missing share is unknown" "needs-review" "$(json_get "$WORK/bods.json" "j['outcome']")"
fi

# With a snapshot: names resolve through the screener.
run_icts lists build --config "$ROOT/examples/lists.yaml" -o "$WORK/cur.snap" -q
if [ "$RC" -eq 0 ]; then
  run_icts owners --snapshot "$WORK/cur.snap" --as-of 2025-06-01 -o json "Kaspersky Lab Inc"
  echo "$OUT" >"$WORK/snap.json"
  expect_eq "snapshot: exit" 0 "$RC"
  expect_contains "snapshot: screened" "$(json_get "$WORK/snap.json" "j['query']['resolved_by']")" "screen"
fi
finish
