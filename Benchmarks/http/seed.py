"""Seeds a benchmark project of N issues through the public API (so the numbers include the real write path)."""
import json, random, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor

base, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"{}")

call("POST", "/api/v1/projects", {"key": "BENCH", "name": "Benchmark"})
random.seed(1)
statuses = ["open", "in_progress", "waiting_for_decision", "resolved", "closed"]
priorities = ["low", "medium", "high", "critical"]

def make(i):
    call("POST", "/api/v1/projects/BENCH/issues", {
        "title": f"Benchmark issue {i}", "description": "x" * 200,
        "status": random.choice(statuses), "priority": random.choice(priorities),
        "dueDate": f"2027-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"})

with ThreadPoolExecutor(8) as pool:
    list(pool.map(make, range(count)))
print(f"seeded {count} issues")
