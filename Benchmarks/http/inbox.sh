#!/usr/bin/env bash
# Inbox and webhook benchmark against a release build on SQLite: 10,000 actions imported in one CSV, each assigned
# to a member (10,000 inbox entries), with a webhook on item.created pointing at a local receiver (allowed with
# PMO_WEBHOOK_ALLOW), then:
# - how long the inbox job took to write the 10,000 entries (`pmo jobs`, the job's own start and finish);
# - how long the webhooks' collection took (10,000 deliveries and their jobs), and how long until every delivery
#   reached the receiver (one at a time, signed, each its own job);
# - the issue list's p99 with wrk while the deliveries are being sent;
# - e-mail: the member wants assignments at once (the default), so 10,000 mails go through a local SMTP server
#   (scripts/smtp_test_server.py, aiosmtpd, without TLS): how long the mail job took to fill the outbox, and the rate
#   the mails were sent at.
# Usage: Benchmarks/http/inbox.sh   (needs: apt-get install wrk; python3). SKIP_BUILD=1 reuses .build-release;
# BIN=path/to/pmo measures another build.
set -euo pipefail
PORT=${PORT:-18084}
RECEIVER_PORT=${RECEIVER_PORT:-18085}
ACTIONS=${ACTIONS:-10000}
export PMO_WEBHOOK_ALLOW=127.0.0.1
# A local SMTP server (the tests' own) that keeps each mail as a file; the server sends through it without TLS.
PY=python3; [ -x "$(dirname "$0")/../../.build/test-venv/bin/python3" ] && PY="$(dirname "$0")/../../.build/test-venv/bin/python3"
MAILDIR=$(mktemp -d)
exec 7> >("$PY" "$(dirname "$0")/../../scripts/smtp_test_server.py" --dir "$MAILDIR" --no-tls > "$MAILDIR/ready")
for i in $(seq 1 100); do [ -s "$MAILDIR/ready" ] && break; sleep 0.1; done
export PMO_SMTP_HOST=127.0.0.1 PMO_SMTP_PORT=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$MAILDIR/ready") \
  PMO_SMTP_STARTTLS=off PMO_SMTP_FROM=pmo@example.com
source "$(dirname "$0")/server.sh"
AUTH="Authorization: Bearer $TOKEN"
URL="http://127.0.0.1:$PORT"
api() { curl -sf -H "$AUTH" -H "Content-Type: application/json" "$@"; }

# A receiver that counts what it is sent and answers 204.
python3 - "$RECEIVER_PORT" "$WORK/received" <<'PY' &
import http.server, sys
port, path = int(sys.argv[1]), sys.argv[2]
count = 0
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        count += 1
        open(path, "w").write(str(count))
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
RECEIVER=$!
trap 'kill $SERVER $RECEIVER 2>/dev/null || true; exec 7>&-; rm -rf "$WORK" "$MAILDIR"' EXIT

api -d '{"key":"BENCH","name":"Benchmark"}' "$URL/api/v1/projects" >/dev/null
COMPANY=$(api "$URL/api/v1/companies" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
MEMBER=$(api -d "{\"email\":\"member@example.com\",\"displayName\":\"Member\",\"companyId\":\"$COMPANY\",\"passwordSetup\":\"invitation\"}" \
  "$URL/api/v1/users" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')
api -X PUT -d '{"role":"member"}' "$URL/api/v1/projects/BENCH/memberships/$MEMBER" >/dev/null
api -d "{\"name\":\"bench\",\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"events\":[\"item.created\"],\"format\":\"slack\"}" \
  "$URL/api/v1/projects/BENCH/webhooks" >/dev/null
sleep 11   # the first collections run and set their cursors before the import

echo "== $ACTIONS actions assigned to the member, imported from one CSV"
python3 - "$ACTIONS" > "$WORK/actions.csv" <<'PY'
import sys
print("No.,Title,Status,Owner\r")
for i in range(int(sys.argv[1])):
    print(f",Benchmark action {i},open,member@example.com\r")
PY
echo "== the issue list alone"
wrk -t2 -c8 -d10s --latency -H "$AUTH" "$URL/api/v1/projects/BENCH/issues" | grep -E "Requests/sec|99%|50%"
START=$(date +%s.%N)
curl -s -o "$WORK/import.json" -w "import answer %{http_code}\n" -H "$AUTH" -H "Content-Type: text/csv" --data-binary @"$WORK/actions.csv" "$URL/api/v1/projects/BENCH/actions/import?mode=apply"; head -c 400 "$WORK/import.json"; echo
echo "import: $(python3 -c "import time; print(round(time.time() - $START, 1))") s"

echo "== waiting for every delivery to reach the receiver (the issue list measured meanwhile)"
wrk -t2 -c8 -d20s --latency -H "$AUTH" "$URL/api/v1/projects/BENCH/issues" | grep -E "Requests/sec|99%|50%"
entries() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1], timeout=5).execute('SELECT COUNT(*) FROM inbox_entries').fetchone()[0])" "$DB" 2>/dev/null || echo 0; }
for i in $(seq 1 600); do
  [ "$(cat "$WORK/received" 2>/dev/null || echo 0)" -ge "$ACTIONS" ] && [ "$(entries)" -ge "$ACTIONS" ] && break
  sleep 1
done
echo "received: $(cat "$WORK/received" 2>/dev/null || echo 0) deliveries, $(python3 -c "import time; print(round(time.time() - $START, 1))") s after the import began"
# The jobs' own times, from the database (SQLite keeps instants as seconds since 1970).
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for kind in ("inbox", "webhooks", "mail"):
    row = db.execute("SELECT MAX(finished_at - started_at), COUNT(*) FROM jobs WHERE kind = ? AND state = 'done'", (kind,)).fetchone()
    print(f"{kind}: longest run {row[0]:.2f} s over {row[1]} runs")
n, first, last = db.execute("SELECT COUNT(*), MIN(started_at), MAX(finished_at) FROM jobs WHERE kind = 'webhook_delivery' AND state = 'done'").fetchone()
print(f"webhook_delivery: {n} done, from the first start to the last finish {last - first:.1f} s ({n / (last - first):.0f}/s)")
print("inbox entries:", db.execute("SELECT COUNT(*) FROM inbox_entries").fetchone()[0])
PY
echo "== waiting for every mail to reach the SMTP server"
mails() { ls "$MAILDIR" | grep -c '\.json$' || true; }
for i in $(seq 1 900); do [ "$(mails)" -ge "$ACTIONS" ] && break; sleep 1; done
echo "mails received: $(mails), $(python3 -c "import time; print(round(time.time() - $START, 1))") s after the import began"
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, first, last = db.execute("SELECT COUNT(*), MIN(started_at), MAX(finished_at) FROM jobs WHERE kind = 'mail_delivery' AND state = 'done'").fetchone()
if n:
    print(f"mail_delivery: {n} done, from the first start to the last finish {last - first:.1f} s ({n / (last - first):.0f}/s)")
print("outbox:", dict(db.execute("SELECT state, COUNT(*) FROM mail_outbox GROUP BY state").fetchall()))
row = db.execute("SELECT MAX(finished_at - started_at), COUNT(*) FROM jobs WHERE kind = 'mail' AND state = 'done'").fetchone()
print(f"mail (filling the outbox): longest run {row[0]:.2f} s over {row[1]} runs")
PY
