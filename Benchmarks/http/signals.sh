#!/usr/bin/env bash
# Signals benchmark against a release build on SQLite: a project with a 5,000-activity plan (baseline, three status
# dates with progress on every tenth activity) and 5,000 register items (4,000 risks imported from CSV, many with a
# triggered warning sign; 1,000 issues through the API), then:
# - how long the background computation of its signals takes (the job's own start and finish, `pmo jobs`), first
#   with the plan computed from cold, then again after a threshold change (the plan from its cache);
# - the issue list's latency with wrk, alone and while the signals are computed again and again in the background.
# Usage: Benchmarks/http/signals.sh   (needs: apt-get install wrk; python3). SKIP_BUILD=1 reuses .build-release;
# BIN=path/to/pmo measures another build.
set -euo pipefail
PORT=${PORT:-18083}
ACTIVITIES=${ACTIVITIES:-5000}
RISKS=${RISKS:-4000}
ISSUES=${ISSUES:-1000}
DURATION=${DURATION:-15s}
source "$(dirname "$0")/server.sh"
AUTH="Authorization: Bearer $TOKEN"
URL="http://127.0.0.1:$PORT"
api() { curl -sf -H "$AUTH" -H "Content-Type: application/json" "$@"; }
api -d '{"key":"BENCH","name":"Benchmark"}' "$URL/api/v1/projects" >/dev/null

echo "== a plan of $ACTIVITIES activities starting four months ago, its baseline, three weekly status dates"
START=$(date -d "-120 days" +%F)
python3 Benchmarks/http/gen_plan.py "$ACTIVITIES" | sed "s/<StartDate>2027-04-01T09:00:00</<StartDate>${START}T09:00:00</" > "$WORK/plan.xml"
curl -sf -o /dev/null -H "$AUTH" -H "Content-Type: application/xml" --data-binary @"$WORK/plan.xml" \
  "$URL/api/v1/projects/BENCH/plan/import?mode=apply"
api -d '{"name":"Approved"}' "$URL/api/v1/projects/BENCH/plan/baselines" >/dev/null
python3 - "$URL" "$TOKEN" "$ACTIVITIES" <<'PY'
import datetime, json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, headers=headers, data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"{}")
today = datetime.date.today()
friday = today - datetime.timedelta(days=(today.weekday() - 4) % 7 or 7)
for k, day in enumerate([friday - datetime.timedelta(days=14), friday - datetime.timedelta(days=7), friday]):
    call("PUT", "/api/v1/projects/BENCH/plan/status-date", {"date": day.isoformat()})
    def progress(uid):
        # Every tenth activity reports at each date but the last of a few: silent and stuck ones among them.
        if uid % 10 or (k == 2 and uid % 30 == 0):
            return
        try:
            call("POST", f"/api/v1/projects/BENCH/plan/activities/{uid}/progress",
                 {"actualStart": (day - datetime.timedelta(days=30)).isoformat(), "percentComplete": min(90, 10 + 20 * k + uid % 7)})
        except urllib.error.HTTPError:
            pass   # a summary or a milestone
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(progress, range(1, n + 1)))
print("status dates and progress recorded")
PY

echo "== $RISKS risks from CSV and $ISSUES issues through the API"
python3 - "$RISKS" > "$WORK/risks.csv" <<'PY'
import random, sys
random.seed(1)
print("No.,Title,Status,Threat or opportunity,Category,Probability (1–5),Impact on schedule (1–5),Impact on cost (1–5),Impact on quality (1–5),Due,Description,Early-warning indicators")
for i in range(int(sys.argv[1])):
    print(f',ベンチマークのリスク {i},{random.choice(["Identified", "Assessed", "Responding"])},Threat,{random.choice(["Schedule","Cost","Quality"])},'
          f'{random.randint(1,5)},{random.randint(1,5)},{random.randint(1,5)},{random.randint(1,5)},'
          f'2026-{random.randint(1,12):02d}-{random.randint(1,28):02d},"説明 {i}","watching: 兆候 {i}\ntriggered: 予兆 {i}"')
PY
curl -sf -o /dev/null -H "$AUTH" -H "Content-Type: text/csv" --data-binary @"$WORK/risks.csv" "$URL/api/v1/projects/BENCH/risks/import?mode=apply"
python3 - "$URL" "$TOKEN" "$ISSUES" <<'PY'
import json, random, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
random.seed(2)
def make(i):
    body = {"title": f"Benchmark issue {i}", "priority": random.choice(["low", "medium", "high", "critical"]),
            "dueDate": f"2026-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"}
    req = urllib.request.Request(base + "/api/v1/projects/BENCH/issues", method="POST", headers=headers, data=json.dumps(body).encode())
    urllib.request.urlopen(req).read()
with ThreadPoolExecutor(8) as pool:
    list(pool.map(make, range(n)))
PY

# The newest finished signals job's duration, once one finished after $1 (an ISO instant).
wait_for_signals() {
  for i in $(seq 1 300); do
    line=$("$BIN" jobs --limit 50 --database "$DB" | awk -F'\t' -v after="$1" '$1 == "signals" && $3 == "done" && $6 > after { print; exit }')
    if [ -n "$line" ]; then echo "$line" | awk -F'\t' '{ print "signals job: " $7 " (finished " $6 ")" }'; return; fi
    sleep 1
  done
  echo "no signals job finished in 300 s"; exit 1
}
echo "== the background computes the signals (the sweep runs every minute; the plan is computed from cold)"
MARK=$(date -u +%Y-%m-%dT%H:%M:%SZ)
wait_for_signals "$MARK"
api "$URL/api/v1/projects/BENCH/signals" | python3 -c "
import json, sys, collections
d = json.load(sys.stdin)
print(len(d['items']), 'open signals:', dict(collections.Counter(s['code'] for s in d['items'])))"
echo "== the KPIs read from cold: a new issue changes what they are read from, the next request reads them again"
api -d '{"title":"One more"}' "$URL/api/v1/projects/BENCH/issues" >/dev/null
curl -sf -o /dev/null -w "first request after a change: %{time_total} s\n" -H "$AUTH" "$URL/api/v1/projects/BENCH/kpis"
echo "== the KPIs again (kept since), and across projects, five times each"
for path in "/api/v1/projects/BENCH/kpis" "/api/v1/kpis" "/api/v1/projects/BENCH/kpis?months=36"; do
  for i in 1 2 3 4 5; do curl -sf -o /dev/null -w "%{time_total}\n" -H "$AUTH" "$URL$path"; done \
    | sort -n | awk -v p="$path" '{ t[NR] = $1 } END { printf "%s: median %.3f s, max %.3f s\n", p, t[3], t[5] }'
done
echo "== a threshold change queues it again at once (the plan from its cache)"
for round in 1 2 3; do
  MARK=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  sleep 1
  api -X PUT -d "{\"staleDays\": $((13 + round))}" "$URL/api/v1/projects/BENCH/signals/thresholds" >/dev/null
  wait_for_signals "$MARK"
done

echo "== the issue list (50 open high-priority issues by due date) alone"
LIST="$URL/api/v1/projects/BENCH/issues?status=open&priority=high&sort=-due&limit=50"
export PMO_BENCH_TOKEN="$TOKEN"
wrk -t2 -c8 -d"$DURATION" --latency -s Benchmarks/http/auth.lua "$LIST" | grep -E "Requests/sec|Latency |50%|99%|Non-2xx"
echo "== the same while the signals are computed again and again (a threshold change every 2 s)"
CHURN_START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
( for i in $(seq 1 100); do api -X PUT -d "{\"staleDays\": $((20 + i % 5))}" "$URL/api/v1/projects/BENCH/signals/thresholds" >/dev/null || true; sleep 2; done ) &
CHURN=$!
wrk -t2 -c8 -d"$DURATION" --latency -s Benchmarks/http/auth.lua "$LIST" | grep -E "Requests/sec|Latency |50%|99%|Non-2xx"
kill $CHURN 2>/dev/null || true
"$BIN" jobs --limit 200 --database "$DB" | awk -F'\t' -v after="$CHURN_START" '$1 == "signals" && $3 == "done" && $6 > after {
  n++; sub(/ ms/, "", $7); v = $7 + 0; s += v; if (v > m) m = v } END { print n " signals jobs during the run: mean " int(s / n) " ms, max " m " ms" }'
