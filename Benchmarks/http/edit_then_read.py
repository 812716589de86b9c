"""One client edits an activity of the plan and then reads the recomputed schedule, N times on one keep-alive
connection; prints the latency of each pair (edit + read) at p50, p90, p99 and the maximum.

Usage: python3 edit_then_read.py BASE_URL TOKEN PROJECT_KEY PAIRS
"""
import http.client, json, sys, time, urllib.parse

base, token, key, pairs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
auth = {"Authorization": f"Bearer {token}"}

def call(method, path, body=None, extra=None):
    headers = dict(auth, **(extra or {}))
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    payload = r.read()
    return r.status, payload

status, payload = call("GET", f"/api/v1/projects/{key}/plan/schedule")
tasks = [a["uid"] for a in json.loads(payload)["items"] if a.get("kind") == "task"]
times = []
for i in range(pairs):
    uid = tasks[(i * 37) % len(tasks)]
    start = time.perf_counter()
    s1, _ = call("PATCH", f"/api/v1/projects/{key}/plan/activities/{uid}", {"durationDays": 1 + i % 7}, {"If-Match": "*"})
    s2, body = call("GET", f"/api/v1/projects/{key}/plan/schedule")
    times.append(time.perf_counter() - start)
    if s1 != 200 or s2 != 200:
        sys.exit(f"pair {i}: edit answered {s1}, read answered {s2}")
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
print(f"{pairs} edit+read pairs: p50 {pick(0.5):.0f} ms, p90 {pick(0.9):.0f} ms, p99 {pick(0.99):.0f} ms, max {times[-1] * 1000:.0f} ms")
