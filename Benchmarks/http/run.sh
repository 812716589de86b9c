#!/usr/bin/env bash
# HTTP benchmark with wrk against a release build on SQLite and a project of 10,000 issues.
# Usage: Benchmarks/http/run.sh   (needs: apt-get install wrk; python3)
# Prints requests/s and latency percentiles for: a filtered list page of 50, one issue, an update of one issue,
# and the server's resident memory afterwards.
set -euo pipefail
PORT=${PORT:-18080}
ISSUES=${ISSUES:-10000}
DURATION=${DURATION:-15s}
source "$(dirname "$0")/server.sh"

python3 Benchmarks/http/seed.py "http://127.0.0.1:$PORT" "$TOKEN" "$ISSUES"

export PMO_BENCH_TOKEN="$TOKEN" ISSUES
echo "== list: 50 open high-priority issues, filtered and sorted (GET /projects/BENCH/issues?status=open&priority=high&sort=-due&limit=50)"
wrk -t2 -c32 -d"$DURATION" --latency -s Benchmarks/http/auth.lua \
  "http://127.0.0.1:$PORT/api/v1/projects/BENCH/issues?status=open&priority=high&sort=-due&limit=50" | grep -E "Requests/sec|Latency|50%|99%|requests in"
echo "== read one issue (GET /projects/BENCH/issues/{random})"
wrk -t2 -c32 -d"$DURATION" --latency -s Benchmarks/http/read.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Latency|50%|99%|requests in"
echo "== update one issue (PATCH /projects/BENCH/issues/{random}, If-Match: *)"
wrk -t2 -c16 -d"$DURATION" --latency -s Benchmarks/http/update.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx|other than 200"
echo "== server memory"
grep -E "VmRSS|VmHWM" /proc/$SERVER/status
