#!/usr/bin/env bash
# End to end: `icts case new|event|show|list|due` over a SQLite store (and a
# PostgreSQL one when ICTS_TEST_POSTGRES_URL is set). Runs review cases
# through their lives under the final rule, the interim rule and across the
# change on 2025-02-04, with event dates on both sides of each deadline;
# refused events exit 2 naming the rule or the state; every write audited.
source "$(dirname "$0")/lib.sh"

STORE="sqlite:$WORK/cases.db"

# new_case VAR ARGS... : opens a case, stores its id in VAR.
new_case() {
  local var=$1
  shift
  run_icts case new --store "$STORE" "$@"
  expect_eq "case new $*: exit" 0 "$RC"
  printf -v "$var" '%s' "$OUT"
}

# ok ID KIND DATE [ARGS...] : the event is recorded.
ok() {
  local id=$1 kind=$2 date=$3
  shift 3
  run_icts case event "$id" "$kind" --date "$date" --store "$STORE" --actor tester "$@"
  expect_eq "$kind on $date: exit ($ERR)" 0 "$RC"
}

# refused ID KIND DATE TEXT [ARGS...] : exit 2 with TEXT in the message.
refused() {
  local id=$1 kind=$2 date=$3 text=$4
  shift 4
  run_icts case event "$id" "$kind" --date "$date" --store "$STORE" --actor tester "$@"
  expect_eq "$kind on $date refused: exit" 2 "$RC"
  expect_contains "$kind on $date refused: message" "$ERR" "$text"
}

# due_json NAME ARGS... -> $WORK/NAME.json
due_json() {
  local name=$1
  shift
  run_icts case due --store "$STORE" -o json "$@"
  expect_eq "due $*: exit" 0 "$RC"
  echo "$OUT" >"$WORK/$name.json"
}

show_json() {  # show_json NAME ID -> $WORK/NAME.json
  run_icts case show "$2" --store "$STORE" -o json
  expect_eq "show $2: exit" 0 "$RC"
  echo "$OUT" >"$WORK/$1.json"
}

deadline() {  # deadline FILE ID FIELD
  json_get "$1" "[d['$3'] for d in j['deadlines'] if d['id'] == '$2'][0]"
}

# --- Final rule: a case through its whole life ---------------------------
new_case F --title "Router vendor review" --opened 2025-03-03 --party "Acme Networks"
expect_contains "new prints an id" "$F" "case-"
ok "$F" review-initiated 2025-03-03
echo "information demand under 791.101" >"$WORK/demand.txt"
ok "$F" information-requested 2025-03-05 --attach "$WORK/demand.txt" --note "demand sent"
ok "$F" id-noticed 2025-04-01
refused "$F" id-served 2025-04-21 "not before 2025-04-22"
refused "$F" id-served 2025-04-21 "791.105(b)(2)"
ok "$F" id-served 2025-04-22 --party "Acme Networks" --determination det-123

due_json f1 --as-of 2025-05-15 --days 10
expect_eq "response window due in 7 days" "final/response-window 2025-05-22 7 M" \
  "$(json_get "$WORK/f1.json" "' '.join(str(x) for x in (j[0]['id'], j[0]['date'], j[0]['days_left'], j[0]['verification']))")"
expect_eq "due names the case" "$F" "$(json_get "$WORK/f1.json" "j[0]['case']")"
due_json f1b --as-of 2025-05-15 --days 6
expect_eq "horizon one day short: nothing" "0" "$(json_get "$WORK/f1b.json" "len(j)")"

refused "$F" response-window-lapsed 2025-05-22 "allowed from 2025-05-23"
ok "$F" response-window-lapsed 2025-05-23
refused "$F" fd-prohibited 2025-05-24 "791.107(f)"
ok "$F" proposed-fd-noticed 2025-06-02

due_json f2 --as-of 2025-06-10 --days 10
expect_eq "concurrence window to 2025-06-16" "final/concurrence 2025-06-16 6" \
  "$(json_get "$WORK/f2.json" "' '.join(str(x) for x in (j[0]['id'], j[0]['date'], j[0]['days_left']))")"
due_json f2b --as-of 2025-06-18 --days 0
expect_eq "day 16: overdue, record the presumption" "True -2" \
  "$(json_get "$WORK/f2b.json" "' '.join(str(x) for x in (j[0]['overdue'], j[0]['days_left']))")"
expect_contains "overdue note" "$(json_get "$WORK/f2b.json" "j[0]['note']")" "record concurrence-presumed"

refused "$F" concurrence-presumed 2025-06-16 "allowed from 2025-06-17"
ok "$F" concurrence-presumed 2025-06-17
ok "$F" fd-mitigation 2025-07-01
ok "$F" mitigation-measure 2025-07-01 --measure M1 --due 2025-09-30 --note "independent audit"
refused "$F" close 2025-07-02 "'M1' is open"
due_json f3 --as-of 2025-09-01 --days 30
expect_eq "mitigation measure falls due" "mitigation/M1 29" \
  "$(json_get "$WORK/f3.json" "' '.join(str(x) for x in (j[0]['id'], j[0]['days_left']))")"
ok "$F" mitigation-status 2025-09-29 --measure M1 --status done
ok "$F" close 2025-10-01

show_json f "$F"
expect_eq "final: state" "closed" "$(json_get "$WORK/f.json" "j['state']")"
expect_eq "final: events" "11" "$(json_get "$WORK/f.json" "len(j['events'])")"
expect_eq "final: attachment hash" "$(sha256sum "$WORK/demand.txt" | cut -d' ' -f1) demand.txt" \
  "$(json_get "$WORK/f.json" "j['events'][1]['attachments'][0]['sha256'] + ' ' + j['events'][1]['attachments'][0]['name']")"
expect_eq "final: actor" "tester" "$(json_get "$WORK/f.json" "j['events'][0]['actor']")"
expect_eq "final: linked determination" "det-123" "$(json_get "$WORK/f.json" "j['events'][3]['determinations'][0]")"
expect_eq "final: FD due 180 days after service, met" "2025-10-19 met" \
  "$(deadline "$WORK/f.json" final/final-determination date) $(deadline "$WORK/f.json" final/final-determination status)"
expect_eq "final: records 10 years after the FD" "2035-07-01 V" \
  "$(deadline "$WORK/f.json" final/records-after-fd date) $(deadline "$WORK/f.json" final/records-after-fd verification)"
expect_eq "final: store keeps the case at least 10 years after the FD" "True" \
  "$(json_get "$WORK/f.json" "j['store']['retain_until'] >= '2035-07-01'")"
expect_eq "final: citation" "True" \
  "$(json_get "$WORK/f.json" "'791.108' in [d for d in j['deadlines'] if d['id']=='final/concurrence'][0]['citation']")"

refused "$F" id-served 2025-10-02 "is in state 'closed'"
expect_contains "refusal lists the allowed events" "$ERR" "(allowed: note)"
ok "$F" note 2025-10-02 --note "archived"
refused "$F" note 2025-09-01 "before the previous event"

run_icts case show "$F" --store "$STORE"
expect_eq "show table: exit" 0 "$RC"
expect_contains "show table: state" "$OUT" "closed"
expect_contains "show table: deadline" "$OUT" "2025-10-19"

# --- Interim rule ----------------------------------------------------------
new_case I --title "Camera importer (interim rule)" --opened 2024-01-10
ok "$I" referral-accepted 2024-01-15
ok "$I" id-noticed 2024-02-01
ok "$I" id-served 2024-02-05          # no 21-day bar before 2025-02-04
due_json i1 --as-of 2024-03-01 --days 10
expect_eq "interim response window" "interim/response-window 2024-03-06 5 V" \
  "$(json_get "$WORK/i1.json" "' '.join(str(x) for x in (j[0]['id'], j[0]['date'], j[0]['days_left'], j[0]['verification']))")"
ok "$I" response-received 2024-03-06
refused "$I" concurrence-presumed 2024-03-07 "is in state 'response-received'"

new_case I2 --title "Drone maker (interim rule, left open)" --opened 2024-01-10
ok "$I2" referral-accepted 2024-01-15
due_json i2 --as-of 2024-07-12 --days 0
expect_eq "interim FD: day before, nothing" "0" "$(json_get "$WORK/i2.json" "len(j)")"
due_json i3 --as-of 2024-07-13 --days 0
expect_eq "interim FD due on day 180" "interim/final-determination 0 False" \
  "$(json_get "$WORK/i3.json" "' '.join(str(x) for x in (j[0]['id'], j[0]['days_left'], j[0]['overdue']))")"
due_json i4 --as-of 2024-07-14 --days 0
expect_eq "interim FD overdue on day 181" "-1 True" \
  "$(json_get "$WORK/i4.json" "' '.join(str(x) for x in (j[0]['days_left'], j[0]['overdue']))")"
ok "$I2" id-noticed 2024-07-15
ok "$I2" id-served 2024-07-16
ok "$I2" response-window-lapsed 2024-08-16
ok "$I2" fd-prohibited 2024-08-20       # 791.107(f): no consultation needed
show_json i2s "$I2"
expect_eq "interim FD late: missed" "missed" "$(deadline "$WORK/i2s.json" interim/final-determination status)"
expect_eq "interim: no final-rule retention" "0" \
  "$(json_get "$WORK/i2s.json" "len([d for d in j['deadlines'] if d['id'].startswith('final/')])")"

# --- Across the change of rule on 2025-02-04 -----------------------------
new_case T --title "Cloud host (notice before, service after the final rule)" --opened 2024-11-01
ok "$T" referral-accepted 2024-11-01
ok "$T" id-noticed 2025-01-20
refused "$T" id-served 2025-02-05 "not before 2025-02-10"
ok "$T" id-served 2025-02-10
show_json t "$T"
expect_eq "transition: interim FD date kept" "2025-04-30" "$(deadline "$WORK/t.json" interim/final-determination date)"
expect_contains "transition: interim FD note" "$(deadline "$WORK/t.json" interim/final-determination note)" "no longer in force"
expect_eq "transition: final FD date" "2025-08-09" "$(deadline "$WORK/t.json" final/final-determination date)"
expect_eq "transition: opened under" "interim" "$(json_get "$WORK/t.json" "j['rule_version_at_opening']")"

# --- Pinned rule version and Subpart D retention --------------------------
new_case P --title "Pinned final" --opened 2024-06-01 --rule-version final
ok "$P" review-initiated 2024-06-01
ok "$P" id-noticed 2024-06-03
refused "$P" id-served 2024-06-23 "not before 2024-06-24"
new_case D --title "Telematics unit import" --opened 2025-05-01 --subpart d --transaction-date 2025-04-01
show_json d "$D"
expect_eq "Subpart D: 791.312 retention" "2035-04-01" "$(deadline "$WORK/d.json" subpart-d/records date)"

# --- list ------------------------------------------------------------------
run_icts case list --store "$STORE" -o json
expect_eq "list: exit" 0 "$RC"
echo "$OUT" >"$WORK/list.json"
expect_eq "list: all cases" "6" "$(json_get "$WORK/list.json" "len(j)")"
expect_eq "list: closed case" "closed" "$(json_get "$WORK/list.json" "[c['state'] for c in j if c['id']=='$F'][0]")"
run_icts case list --store "$STORE" --open -o json
echo "$OUT" >"$WORK/open.json"
expect_eq "list --open leaves out closed" "False" "$(json_get "$WORK/open.json" "'$F' in [c['id'] for c in j]")"
run_icts case due --store "$STORE" --as-of 2030-01-01 --days 0
expect_eq "due table: exit" 0 "$RC"

# --- Bad input -------------------------------------------------------------
run_icts case event "$T" served --date 2025-03-01 --store "$STORE"
expect_eq "unknown kind: exit" 2 "$RC"
expect_contains "unknown kind: lists kinds" "$ERR" "response-window-lapsed"
run_icts case event "$T" note --date 2025-02-30 --store "$STORE"
expect_eq "bad date: exit" 2 "$RC"
expect_contains "bad date: message" "$ERR" "--date '2025-02-30'"
run_icts case show case-nope --store "$STORE"
expect_eq "unknown case: exit" 2 "$RC"
run_icts case new --title X --opened 2021-03-01 --store "$STORE"
expect_eq "before the interim rule: exit" 2 "$RC"
expect_contains "before the interim rule: message" "$ERR" "--rule-version"
run_icts case new --title X --rule-version latest --store "$STORE"
expect_eq "bad rule version: exit" 2 "$RC"
run_icts case event "$T" note --date 2025-03-01 --attach "$WORK/missing.pdf" --store "$STORE"
expect_eq "missing attachment: exit" 2 "$RC"

# --- Default store from ICTS_STORE --------------------------------------
ICTS_STORE="$WORK/env.db" "$ICTS" case new --title "env store" --opened 2025-03-03 >"$WORK/out" 2>"$WORK/err"
expect_eq "ICTS_STORE: exit" 0 "$?"
[ -s "$WORK/env.db" ] && pass || fail "ICTS_STORE: $WORK/env.db not written"

# --- The writes are audited -----------------------------------------------
if "$ICTS" --help 2>/dev/null | grep -qw audit; then
  run_icts audit verify --store "$STORE"
  expect_eq "audit chain intact after the case writes" 0 "$RC"
fi

# --- PostgreSQL ------------------------------------------------------------
if [ -n "${ICTS_TEST_POSTGRES_URL:-}" ]; then
  STORE="$ICTS_TEST_POSTGRES_URL"
  new_case G --title "Postgres case" --opened 2025-03-03
  ok "$G" review-initiated 2025-03-03
  ok "$G" id-noticed 2025-04-01
  refused "$G" id-served 2025-04-21 "not before 2025-04-22"
  ok "$G" id-served 2025-04-22
  run_icts case show "$G" --store "$STORE" -o json
  echo "$OUT" >"$WORK/g.json"
  expect_eq "postgres: FD due" "2025-10-19" "$(deadline "$WORK/g.json" final/final-determination date)"
fi

finish
