#!/usr/bin/env bash
# Plan benchmark against a release build on SQLite: imports a 5,000-activity Microsoft Project file, then measures
# opening the plan (GET the computed schedule: load + recompute on every request) with wrk, one edit followed by the
# recomputed schedule, and the WBS page, Gantt SVG and exports.
# Usage: Benchmarks/http/plans.sh   (needs: apt-get install wrk; python3). SKIP_BUILD=1 reuses .build-release;
# BIN=path/to/pmo measures another build (e.g. an older commit's).
set -euo pipefail
PORT=${PORT:-18082}
ACTIVITIES=${ACTIVITIES:-5000}
DURATION=${DURATION:-15s}
source "$(dirname "$0")/server.sh"
AUTH="Authorization: Bearer $TOKEN"
URL="http://127.0.0.1:$PORT"
curl -sf -H "$AUTH" -H "Content-Type: application/json" -d '{"key":"BENCH","name":"Benchmark"}' "$URL/api/v1/projects" >/dev/null

# A WBS of summaries with 49 tasks each, chained finish-to-start inside a summary with a few cross links.
python3 Benchmarks/http/gen_plan.py "$ACTIVITIES" > "$WORK/plan.xml"
echo "== import $ACTIVITIES activities from MSPDI ($(du -h "$WORK/plan.xml" | cut -f1))"
curl -s -o "$WORK/preview.json" -w "preview: %{http_code} in %{time_total}s\n" -H "$AUTH" -H "Content-Type: application/xml" \
  --data-binary @"$WORK/plan.xml" "$URL/api/v1/projects/BENCH/plan/import?mode=preview"
curl -s -o "$WORK/apply.json" -w "apply:   %{http_code} in %{time_total}s\n" -H "$AUTH" -H "Content-Type: application/xml" \
  --data-binary @"$WORK/plan.xml" "$URL/api/v1/projects/BENCH/plan/import?mode=apply"

export PMO_BENCH_TOKEN="$TOKEN"
echo "== open the plan: GET /plan/schedule ($ACTIVITIES activities; the first read computes, later reads use the version-checked cache)"
curl -s -o "$WORK/schedule.json" -w "first request: %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "$URL/api/v1/projects/BENCH/plan/schedule"
wrk -t2 -c8 -d"$DURATION" --latency -s Benchmarks/http/auth.lua "$URL/api/v1/projects/BENCH/plan/schedule" | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
echo "== one client: edit an activity, then read the recomputed schedule (${PAIRS:-200} pairs)"
python3 Benchmarks/http/edit_then_read.py "$URL" "$TOKEN" BENCH "${PAIRS:-200}"
echo "== add a link (checked for loops against the whole plan), then the recomputed schedule"
for i in 1 2 3 4 5; do
  curl -s -o /dev/null -w "add a link: %{http_code} in %{time_total}s; " -H "$AUTH" \
    -H "Content-Type: application/json" -d "{\"predecessorUid\": $((100 + i * 7)), \"successorUid\": $((4000 + i * 11)), \"type\": \"FS\"}" \
    "$URL/api/v1/projects/BENCH/plan/dependencies"
  curl -s -o /dev/null -w "schedule after it: %{http_code} in %{time_total}s\n" -H "$AUTH" "$URL/api/v1/projects/BENCH/plan/schedule"
done
echo "== pages and exports"
curl -s -o "$WORK/gantt.svg" -w "Gantt SVG (month): %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "$URL/projects/BENCH/plan/gantt.svg?scale=month"
curl -s -o "$WORK/wbs.html" -w "WBS page: %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "$URL/projects/BENCH/plan"
curl -s -o "$WORK/export.xml" -w "export.xml: %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "$URL/api/v1/projects/BENCH/plan/export.xml"
curl -s -o "$WORK/export.csv" -w "export.csv: %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "$URL/api/v1/projects/BENCH/plan/export.csv"
echo "== server memory"
grep -E "VmRSS|VmHWM" /proc/$SERVER/status
