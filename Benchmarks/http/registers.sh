#!/usr/bin/env bash
# Register benchmark against a release build on SQLite: imports N risks from one CSV (preview, then apply, timed),
# lists them with wrk (open risks by score, 50 a page), and times the whole-register exports.
# Usage: Benchmarks/http/registers.sh   (needs: apt-get install wrk; python3). SKIP_BUILD=1 reuses .build-release.
set -euo pipefail
PORT=${PORT:-18081}
RISKS=${RISKS:-5000}
DURATION=${DURATION:-15s}
source "$(dirname "$0")/server.sh"
AUTH="Authorization: Bearer $TOKEN"
curl -sf -H "$AUTH" -H "Content-Type: application/json" -d '{"key":"BENCH","name":"Benchmark"}' "http://127.0.0.1:$PORT/api/v1/projects" >/dev/null

python3 - "$RISKS" > "$WORK/risks.csv" <<'PY'
import random, sys
random.seed(1)
n = int(sys.argv[1])
print("No.,Title,Status,Threat or opportunity,Category,Probability (1–5),Impact on schedule (1–5),Impact on cost (1–5),Impact on quality (1–5),Due,Description,Early-warning indicators")
for i in range(n):
    st = random.choice(["Identified", "Assessed", "Responding", "Closed"])
    print(f',ベンチマークのリスク {i},{st},Threat,{random.choice(["Schedule","Cost","Quality","Technical"])},'
          f'{random.randint(1,5)},{random.randint(1,5)},{random.randint(1,5)},{random.randint(1,5)},'
          f'2027-{random.randint(1,12):02d}-{random.randint(1,28):02d},"説明 {i} の本文です。",'
          f'"watching: 兆候 {i}\ntriggered: 予兆 {i}"')
PY
echo "== import $RISKS risks from CSV ($(du -h "$WORK/risks.csv" | cut -f1))"
curl -s -o "$WORK/preview.json" -w "preview: %{http_code} in %{time_total}s\n" -H "$AUTH" -H "Content-Type: text/csv" \
  --data-binary @"$WORK/risks.csv" "http://127.0.0.1:$PORT/api/v1/projects/BENCH/risks/import?mode=preview"
curl -s -o "$WORK/apply.json" -w "apply:   %{http_code} in %{time_total}s\n" -H "$AUTH" -H "Content-Type: text/csv" \
  --data-binary @"$WORK/risks.csv" "http://127.0.0.1:$PORT/api/v1/projects/BENCH/risks/import?mode=apply"
python3 -c "import json,sys; p=json.load(open('$WORK/apply.json')); print('applied', p['applied'], 'creates', p['creates'], 'errors', p['errorCount'])"

export PMO_BENCH_TOKEN="$TOKEN"
echo "== list: 50 open risks by score (GET /projects/BENCH/risks?open=true&sort=-score&limit=50)"
wrk -t2 -c32 -d"$DURATION" --latency -s Benchmarks/http/auth.lua \
  "http://127.0.0.1:$PORT/api/v1/projects/BENCH/risks?open=true&sort=-score&limit=50" | grep -E "Requests/sec|Latency|50%|99%|requests in"
echo "== export the whole register"
curl -s -o "$WORK/r.xlsx" -w "xlsx: %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/projects/BENCH/risks/export.xlsx"
curl -s -o "$WORK/r.csv" -w "csv:  %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/projects/BENCH/risks/export.csv"
echo "== re-import the exported workbook unchanged (preview)"
curl -s -o "$WORK/again.json" -w "preview: %{http_code} in %{time_total}s\n" -H "$AUTH" \
  -H "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" \
  --data-binary @"$WORK/r.xlsx" "http://127.0.0.1:$PORT/api/v1/projects/BENCH/risks/import?mode=preview"
python3 -c "import json; p=json.load(open('$WORK/again.json')); print('unchanged', p['unchanged'], 'updates', p['updates'], 'errors', p['errorCount'])"
echo "== server memory"
grep -E "VmRSS|VmHWM" /proc/$SERVER/status
