#!/usr/bin/env bash
# End to end: the store from the command line — decisions re-applied on
# re-screening (in force, re-opened when the entry's content hash differs,
# expired), screening results and determinations recorded, replay, audit
# verify (intact, then tampered), signed export and offline check.
source "$(dirname "$0")/lib.sh"

run_icts lists build --config "$ROOT/examples/lists.yaml" -o "$WORK/cur.snap" -q
expect_eq "snapshot build" 0 "$RC"
[ "$RC" -eq 0 ] || { echo "$ERR" >&2; finish; }
SNAP="$WORK/cur.snap"
STORE="sqlite:$WORK/records.db"
export ICTS_ACTOR=e2e-test

# --- An empty store verifies --------------------------------------------------
run_icts audit verify --store "$STORE"
expect_eq "verify empty store" 0 "$RC"

# --- Decisions on hits -------------------------------------------------------
run_icts screen --snapshot "$SNAP" --store "$STORE" -o json "HUAWEI TECHNOLOGIES CO LTD"
expect_eq "screen with store" 0 "$RC"
echo "$OUT" >"$WORK/s1.json"
ENTITY=$(json_get "$WORK/s1.json" "j['hits'][0]['entity_id']")
expect_eq "no decision yet" "False" "$(json_get "$WORK/s1.json" "'decision' in j['hits'][0]")"

run_icts decisions add --store "$STORE" --snapshot "$SNAP" --entity "$ENTITY" \
  --query "Huawei Technologies Co Ltd" --status confirmed --reason "same company" --by analyst
expect_eq "decision add" 0 "$RC"
expect_contains "decision id printed" "$OUT" "dec-"

run_icts screen --snapshot "$SNAP" --store "$STORE" -o json "HUAWEI   technologies co ltd"
echo "$OUT" >"$WORK/s2.json"
expect_eq "decision re-applied" "confirmed in-force" \
  "$(json_get "$WORK/s2.json" "j['hits'][0]['decision']['status'] + ' ' + j['hits'][0]['decision']['state']")"
run_icts screen --snapshot "$SNAP" --store "$STORE" "HUAWEI TECHNOLOGIES CO LTD"
expect_contains "table shows the decision" "$OUT" "DECISION"
expect_contains "table shows the status" "$OUT" "confirmed"

# A false positive in force no longer fails --fail-on-hit.
run_icts decisions add --store "$STORE" --snapshot "$SNAP" --entity "$ENTITY" \
  --query "Huawei Technologies Co Ltd" --status false-positive --reason "checked" --by analyst
run_icts screen --snapshot "$SNAP" --store "$STORE" --top 1 --fail-on-hit -o json "HUAWEI TECHNOLOGIES CO LTD"
expect_eq "false positive clears the gate" 0 "$RC"

# Recorded against another content hash: re-opened, and the hit counts again.
run_icts decisions add --store "$STORE" --content-hash 0000 --entity "$ENTITY" \
  --query "Huawei Technologies Co Ltd" --status false-positive --reason "old entry" --by analyst
run_icts screen --snapshot "$SNAP" --store "$STORE" --top 1 --fail-on-hit -o json "HUAWEI TECHNOLOGIES CO LTD"
expect_eq "re-opened hit fails the gate" 1 "$RC"
echo "$OUT" >"$WORK/s3.json"
expect_eq "re-opened" "reopened" "$(json_get "$WORK/s3.json" "j['hits'][0]['decision']['state']")"

# Expired yesterday.
run_icts decisions add --store "$STORE" --snapshot "$SNAP" --entity "$ENTITY" \
  --query "Huawei Technologies Co Ltd" --status false-positive --reason "temporary" --by analyst \
  --expires "$(date -u -d yesterday +%F)"
run_icts screen --snapshot "$SNAP" --store "$STORE" -o json "HUAWEI TECHNOLOGIES CO LTD"
echo "$OUT" >"$WORK/s4.json"
expect_eq "expired" "expired" "$(json_get "$WORK/s4.json" "j['hits'][0]['decision']['state']")"

run_icts decisions list --store "$STORE" --entity "$ENTITY" -o json
echo "$OUT" >"$WORK/list.json"
expect_eq "decisions listed newest first" "4 temporary" \
  "$(json_get "$WORK/list.json" "str(len(j)) + ' ' + j[0]['reason']")"
run_icts decisions add --store "$STORE" --entity x --query y --status maybe --reason r
expect_eq "bad status is a usage error" 2 "$RC"

# Batch screen: one record per row.
printf 'name\nHikvision\nNobody Particular\n' >"$WORK/names.csv"
run_icts screen --snapshot "$SNAP" --store "$STORE" --input "$WORK/names.csv" -o jsonl -q
expect_eq "batch screen with store" 0 "$RC"

# --- Determinations and replay -----------------------------------------------
TX="$ROOT/examples/transactions/use-kaspersky-renewal.json"
run_icts review "$TX" --store "$STORE" -o json
expect_eq "review with store" 0 "$RC"
DET=$(echo "$ERR" | sed -n 's/^stored determination \(det-[0-9a-f]*\).*/\1/p' | head -1)
expect_contains "determination id on stderr" "$DET" "det-"
run_icts replay "$DET" --store "$STORE"
expect_eq "replay same" 0 "$RC"
expect_contains "replay says same" "$OUT" "same determination"
run_icts replay "$DET" --store "$STORE" --snapshot "$SNAP"
expect_eq "replay with another snapshot differs" 1 "$RC"
expect_contains "replay names the difference" "$OUT" "snapshot_sha256"
run_icts replay det-none --store "$STORE"
expect_eq "replay unknown id is an input error" 2 "$RC"

# --- Audit: verify, export, check, tamper --------------------------------------
run_icts audit verify --store "$STORE" -o json
expect_eq "verify intact" 0 "$RC"
echo "$OUT" >"$WORK/v.json"
expect_eq "verify json intact" "True" "$(json_get "$WORK/v.json" "j['intact']")"

openssl genpkey -algorithm ed25519 -out "$WORK/key.pem" 2>/dev/null
openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/pub.pem" 2>/dev/null
run_icts audit export --store "$STORE" --key "$WORK/key.pem" -o "$WORK/bundle"
expect_eq "export" 0 "$RC"
run_icts audit check "$WORK/bundle" --pubkey "$WORK/pub.pem"
expect_eq "bundle valid" 0 "$RC"
sed -i 's/e2e-test/mallory!/' "$WORK/bundle/events.jsonl"
run_icts audit check "$WORK/bundle" --pubkey "$WORK/pub.pem"
expect_eq "edited bundle invalid" 1 "$RC"

python3 - "$WORK/records.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor='mallory' WHERE seq=3;")
db.commit()
PY
run_icts audit verify --store "$STORE"
expect_eq "tampered chain exit 1" 1 "$RC"
expect_contains "names the first bad event" "$OUT" "event 3"

run_icts audit verify --store "sqlite:$WORK/no-such-dir/x.db"
expect_eq "unopenable store exit 3" 3 "$RC"

finish
