#!/usr/bin/env bash
# End to end: `icts token create` and `icts serve` as a subprocess on a free
# loopback port — health, OpenAPI, metrics, screening with hits against the
# curated snapshot, owners of a snapshot entity, lists, roles, problem
# documents, SIGHUP reload, SIGTERM stop.
source "$(dirname "$0")/lib.sh"

run_icts lists build --config "$ROOT/examples/lists.yaml" -o "$WORK/cur.snap" -q
expect_eq "snapshot build" 0 "$RC"
[ "$RC" -eq 0 ] || { echo "$ERR" >&2; finish; }
STORE="sqlite:$WORK/serve.db"

run_icts token create --role analyst --name e2e-analyst --store "$STORE"
expect_eq "token create" 0 "$RC"
ANALYST=$OUT
expect_eq "token shape" 69 "${#ANALYST}"
expect_contains "token id on stderr" "$ERR" "tok-"
run_icts token create --role viewer --store "$STORE"
VIEWER=$OUT
run_icts token create --role root --store "$STORE"
expect_eq "bad role is a usage error" 2 "$RC"

"$ICTS" serve --listen 127.0.0.1:0 --store "$STORE" --snapshot "$WORK/cur.snap" \
  --rules "$ROOT/rules" 2>"$WORK/serve.err" &
PID=$!
PORT=""
for _ in $(seq 1 300); do
  PORT=$(sed -n 's|.*serving on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/serve.err")
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  fail "server did not start: $(cat "$WORK/serve.err")"
  kill "$PID" 2>/dev/null
  finish
fi
BASE="http://127.0.0.1:$PORT"

# curl_json NAME METHOD PATH TOKEN [BODY]: status in CODE, body in $WORK/NAME.json
curl_json() {
  local name=$1 method=$2 path=$3 token=$4 body=${5-}
  local args=(-s -m 20 -o "$WORK/$name.json" -w '%{http_code}' -X "$method")
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  CODE=$(curl "${args[@]}" "$BASE$path")
}

curl_json health GET /healthz ""
expect_eq "healthz" 200 "$CODE"
curl_json openapi GET /openapi.json ""
expect_eq "openapi" 200 "$CODE"
expect_eq "openapi version" 3.0.3 "$(json_get "$WORK/openapi.json" "j['openapi']")"

curl_json screen POST /api/v1/screen "$ANALYST" '{"name":"Hikvision","top":3}'
expect_eq "screen" 200 "$CODE"
expect_eq "screen finds the curated entry" True \
  "$(json_get "$WORK/screen.json" "any('hikvision' in h['entity_id'] for h in j['hits'])")"
expect_eq "hit explained" True \
  "$(json_get "$WORK/screen.json" "'alignment' in j['hits'][0]['explanation']")"
ENTITY=$(json_get "$WORK/screen.json" "j['hits'][0]['entity_id']")

# Compare weighs words by their rarity in the served snapshot, as the
# screen above does, and names the snapshot.
curl_json compare POST /api/v1/compare "$ANALYST" '{"a":"Hikvision","b":"Hikvision Digital Technology"}'
expect_eq "compare" 200 "$CODE"
expect_eq "compare names the served snapshot" \
  "$("$ICTS" lists info "$WORK/cur.snap" | awk '/^hash/ {print $2}')" "$(json_get "$WORK/compare.json" "j['snapshot']")"
expect_eq "compare: the CLI's score with the same snapshot" \
  "$("$ICTS" compare Hikvision "Hikvision Digital Technology" --snapshot "$WORK/cur.snap" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["score"])')" \
  "$(json_get "$WORK/compare.json" "j['score']")"

curl_json owners GET "/api/v1/entities/$ENTITY/owners?as_of=2025-06-01" "$VIEWER"
expect_eq "owners" 200 "$CODE"
expect_eq "owners id" "$ENTITY" "$(json_get "$WORK/owners.json" "j['id']")"
curl_json owners404 GET "/api/v1/entities/no-such-entity/owners" "$VIEWER"
expect_eq "owners of an unknown entity" 404 "$CODE"

curl_json lists GET /api/v1/lists "$VIEWER"
expect_eq "lists" 200 "$CODE"
expect_eq "lists sources" 4 "$(json_get "$WORK/lists.json" "len(j['sources'])")"

curl_json forbidden POST /api/v1/screen "$VIEWER" '{"name":"x"}'
expect_eq "viewer cannot screen" 403 "$CODE"
expect_eq "problem document" 403 "$(json_get "$WORK/forbidden.json" "j['status']")"
curl_json noauth GET /api/v1/lists ""
expect_eq "no token" 401 "$CODE"
curl_json unknown GET /api/v2/nothing "$VIEWER"
expect_eq "unknown route" 404 "$CODE"

curl -s -m 20 "$BASE/metrics" >"$WORK/metrics.txt"
expect_contains "metrics count screens" "$(cat "$WORK/metrics.txt")" \
  'icts_http_requests_total{method="POST",route="/api/v1/screen",status="200"} 1'

# SIGHUP reloads the snapshot; the server keeps serving.
kill -HUP "$PID"
for _ in $(seq 1 100); do
  grep -q "snapshot reloaded" "$WORK/serve.err" && break
  sleep 0.1
done
expect_contains "reloaded" "$(cat "$WORK/serve.err")" "snapshot reloaded"
curl_json screen2 POST /api/v1/screen "$ANALYST" '{"name":"Hikvision"}'
expect_eq "screen after reload" 200 "$CODE"

# token list / revoke: the running server refuses the revoked token within
# about a second, without a restart.
run_icts token list --store "$STORE" -o json
expect_eq "token list" 0 "$RC"
echo "$OUT" >"$WORK/tokens.json"
expect_eq "two tokens listed" 2 "$(json_get "$WORK/tokens.json" "len(j)")"
expect_eq "list shows no token text" "False" \
  "$(json_get "$WORK/tokens.json" "any('token' in t or 'sha256' in t for t in j)")"
VIEWER_ID=$(json_get "$WORK/tokens.json" "[t['id'] for t in j if t['role'] == 'viewer'][0]")
run_icts token list --store "$STORE"
expect_contains "token list table" "$OUT" "$VIEWER_ID"
run_icts token revoke "$VIEWER_ID" --store "$STORE"
expect_eq "token revoke" 0 "$RC"
run_icts token revoke "$VIEWER_ID" --store "$STORE"
expect_eq "revoking twice is refused" 2 "$RC"
expect_contains "names the id" "$ERR" "$VIEWER_ID"
CODE=200
for _ in $(seq 1 40); do
  curl_json revoked GET /api/v1/lists "$VIEWER"
  [ "$CODE" = 401 ] && break
  sleep 0.1
done
expect_eq "revoked token refused by the running server" 401 "$CODE"

kill -TERM "$PID"
wait "$PID"
expect_eq "clean stop" 0 "$?"
finish
