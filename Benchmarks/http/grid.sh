#!/usr/bin/env bash
# The plan grid against a release build on SQLite: a 2,000-activity plan's WBS grid (served, and ready in headless
# Chromium), a one-cell change (server round trip, and key press to moved dates on screen), and a 5,000-activity
# plan's WBS page parts (each must stay under 2 MB of HTML).
# Usage: Benchmarks/http/grid.sh   (needs: wrk for server.sh's check; python3; chromium + selenium for the browser part)
# SKIP_BUILD=1 reuses .build-release; BIN=path/to/pmo measures another build.
set -euo pipefail
PORT=${PORT:-18083}
source "$(dirname "$0")/server.sh"
AUTH="Authorization: Bearer $TOKEN"
URL="http://127.0.0.1:$PORT"
for n in 2000 5000; do
  curl -sf -H "$AUTH" -H "Content-Type: application/json" -d "{\"key\":\"G$n\",\"name\":\"Grid $n\"}" "$URL/api/v1/projects" >/dev/null
  python3 "$ROOT/Benchmarks/http/gen_plan.py" "$n" > "$WORK/plan$n.xml"
  curl -s -o /dev/null -w "import $n activities: %{http_code} in %{time_total}s\n" -H "$AUTH" -H "Content-Type: application/xml" \
    --data-binary @"$WORK/plan$n.xml" "$URL/api/v1/projects/G$n/plan/import?mode=apply"
done
echo "== the WBS grid of 2,000 activities (first, then cached)"
for i in 1 2 3; do
  curl -s -o /dev/null -w "G2000 WBS page: %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "$URL/projects/G2000/plan"
done
echo "== the WBS page of 5,000 activities, in parts"
for part in 0 1 2; do
  curl -s -o /dev/null -w "G5000 part $part: %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" "$URL/projects/G5000/plan?part=$part"
done
echo "== one-cell change on the 2,000-activity plan (a duration early in a chain: most rows' dates move)"
for d in 3 4 5 6 7; do
  curl -s -o /dev/null -w "duration $d: %{http_code}, %{size_download} bytes in %{time_total}s\n" -H "$AUTH" -H "Content-Type: application/json" \
    -H "Accept: application/json" -d "{\"edits\":[{\"row\":1,\"uid\":12,\"cells\":{\"duration\":\"$d\"}}]}" "$URL/projects/G2000/plan/grid"
done
if python3 -c "import selenium" 2>/dev/null && [ -x /usr/bin/chromium ]; then
  echo "== in headless Chromium"
  python3 "$ROOT/Benchmarks/http/grid_browser.py" "$URL" G2000 bench@example.com "long enough bench password"
fi
