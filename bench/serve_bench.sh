#!/usr/bin/env bash
# Server load benchmark: wrk on loopback against `icts serve`.
#   bench/serve_bench.sh ICTS_BINARY [SECONDS] [SOAK_SECONDS]
# Builds the full snapshot (examples/lists-full.yaml) when the shared data is
# present, else the curated one (examples/lists.yaml); then measures
# single-name screening and single-transaction review at 32 connections
# (requests/s and latency percentiles), and the server's RSS before and after
# a soak of screening requests.
set -euo pipefail
ICTS=$(realpath "$1")
SECONDS_RUN=${2:-20}
SOAK=${3:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PID=""

CONFIG="$ROOT/examples/lists-full.yaml"
if [ ! -e "$ROOT/../shared/data/us-csl" ]; then
  CONFIG="$ROOT/examples/lists.yaml"
fi
echo "snapshot config: $CONFIG"
"$ICTS" lists build --config "$CONFIG" -o "$WORK/bench.snap" -q
STORE="sqlite:$WORK/bench.db"
TOKEN=$("$ICTS" token create --role analyst --name bench --store "$STORE" 2>/dev/null)

"$ICTS" serve --listen 127.0.0.1:0 --store "$STORE" --snapshot "$WORK/bench.snap" \
  --rules "${ICTS_BENCH_RULES:-$ROOT/rules}" 2>"$WORK/serve.err" &
PID=$!
PORT=""
for _ in $(seq 1 600); do
  PORT=$(sed -n 's|.*serving on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/serve.err")
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { cat "$WORK/serve.err"; exit 1; }
BASE="http://127.0.0.1:$PORT"

cat >"$WORK/screen.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"name":"Hangzhou Hikvision Digital Technology Co., Ltd."}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
TX=$(python3 -c "import json,sys; print(json.dumps(json.dumps(json.load(open(sys.argv[1])))))" \
  "$ROOT/examples/transactions/use-kaspersky-renewal.json")
cat >"$WORK/review.lua" <<LUA
wrk.method = "POST"
wrk.body = $TX
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$PID/status"; }

curl -s -o /dev/null -w 'warm-up screen: %{http_code}\n' -H "Authorization: Bearer $TOKEN" \
  -d '{"name":"Hikvision"}' "$BASE/api/v1/screen"
echo "RSS after start: $(rss)"
echo "== screen, 32 connections, ${SECONDS_RUN}s"
wrk -t2 -c32 -d"${SECONDS_RUN}s" --latency -s "$WORK/screen.lua" "$BASE/api/v1/screen"
echo "== review, 32 connections, ${SECONDS_RUN}s"
wrk -t2 -c32 -d"${SECONDS_RUN}s" --latency -s "$WORK/review.lua" "$BASE/api/v1/review"
echo "RSS before soak: $(rss)"
echo "== soak: screen, 32 connections, ${SOAK}s"
wrk -t2 -c32 -d"${SOAK}s" --latency -s "$WORK/screen.lua" "$BASE/api/v1/screen" | grep -E "Requests/sec|99%|Non-2xx|errors" || true
echo "RSS after soak: $(rss)"
curl -s "$BASE/metrics" | grep -E '^icts_http_requests_total' | grep -v 'status="200"' || echo "no non-200 responses"
