#!/usr/bin/env bash
# HTTP benchmark with wrk against a release build on SQLite and a project of 10,000 issues.
# Usage: Benchmarks/http/run.sh   (needs: apt-get install wrk; python3)
# Prints requests/s and latency percentiles for: a filtered list page of 50, one issue, an update of one issue,
# and the server's resident memory afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product pmo --scratch-path "$ROOT/.build-release"
BIN="$ROOT/.build-release/release/pmo"
WORK=$(mktemp -d)
DB="$WORK/bench.sqlite"
PORT=${PORT:-18080}
ISSUES=${ISSUES:-10000}
DURATION=${DURATION:-15s}

echo "long enough bench password" | "$BIN" user create --admin --email bench@example.com --name Bench --password-stdin --database "$DB" >/dev/null
TOKEN=$("$BIN" token create --email bench@example.com --name bench --database "$DB")
"$BIN" serve --port "$PORT" --database "$DB" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done

python3 Benchmarks/http/seed.py "http://127.0.0.1:$PORT" "$TOKEN" "$ISSUES"

export PMO_BENCH_TOKEN="$TOKEN" ISSUES
echo "== list: 50 open high-priority issues, filtered and sorted (GET /projects/BENCH/issues?status=open&priority=high&sort=-due&limit=50)"
wrk -t2 -c32 -d"$DURATION" --latency -s Benchmarks/http/auth.lua \
  "http://127.0.0.1:$PORT/api/v1/projects/BENCH/issues?status=open&priority=high&sort=-due&limit=50" | grep -E "Requests/sec|Latency|50%|99%|requests in"
echo "== read one issue (GET /projects/BENCH/issues/{random})"
wrk -t2 -c32 -d"$DURATION" --latency -s Benchmarks/http/read.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Latency|50%|99%|requests in"
echo "== update one issue (PATCH /projects/BENCH/issues/{random}, If-Match: *)"
wrk -t2 -c16 -d"$DURATION" --latency -s Benchmarks/http/update.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
echo "== server memory"
grep -E "VmRSS|VmHWM" /proc/$SERVER/status
