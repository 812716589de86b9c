"""The project's shape through the server at the sizes of its speed targets: the system configuration diagram for 40
systems and 150 interfaces, the organisation chart for 60 units and 300 people, the traceability matrix for 2,000
requirements × 40 systems. Seeds the demo's CRM project up to those sizes through the public API (so the numbers
include the real read path), then times each page and file.

Usage: python3 Benchmarks/http/shape.py http://127.0.0.1:8080 [runs]   (a server started with `pmo serve --demo`)
"""
import json, random, statistics, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

base = sys.argv[1].rstrip("/")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15


def call(method, path, body=None, token=None, raw=False):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req) as r:
        data = r.read()
        return data if raw else json.loads(data or b"{}")


token = call("POST", "/api/v1/tokens", {"email": "pmo@demo.pmo", "password": "demo-password", "name": "shape bench"})["token"]
api = "/api/v1/projects/CRM"


def every(path):
    items, cursor = [], None
    while True:
        page = call("GET", f"{api}/{path}?limit=200" + (f"&cursor={cursor}" if cursor else ""), token=token)
        items += page["items"]
        cursor = page.get("nextCursor")
        if not cursor:
            return items


def post(path, body):
    return call("POST", f"{api}/{path}", body, token=token)


def parallel(fn, items):
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(fn, items))


random.seed(17)
systems = every("systems")
vendors = sorted({s["builtBy"]["id"] for s in systems if s.get("builtBy")})
parallel(lambda i: post("systems", {"title": f"業務システム {i}", "code": f"X{i}", "systemKind": random.choice(["new", "changed"]),
                                    "builtBy": random.choice(vendors)}), range(len(systems), 40))
numbers = [s["number"] for s in every("systems")]
interfaces = every("interfaces")
pairs = [random.sample(numbers, 2) for _ in range(len(interfaces), 150)]  # never a system to itself
parallel(lambda p: post("interfaces", {"title": f"連携 S{p[0]}-S{p[1]}", "source": f"S{p[0]}", "target": f"S{p[1]}",
                                       "method": random.choice(["file", "api", "message_queue"])}), pairs)

requirements = every("requirements")
parallel(lambda i: post("requirements", {"title": f"要件 {i}", "requirementType": "functional", "moscow": "must",
                                         "systems": [f"S{n}" for n in random.sample(numbers, 2)]}), range(len(requirements), 2000))
tests = every("tests")
parallel(lambda i: post("tests", {"title": f"テスト {i}", "testLevel": "system", "verifies": [f"N{random.randint(1, 2000)}"],
                                  "status": random.choice(["planned", "passed", "failed"]), "executedOn": "2026-11-30"}), range(len(tests), 3000))

people = call("GET", "/api/v1/resources", token=token)
people = [r for r in (people["resources"] if isinstance(people, dict) else people) if r["kind"] != "equipment"]
company = next(r["companyId"] for r in people if r.get("companyId"))
added = parallel(lambda i: call("POST", "/api/v1/resources", {"kind": "person", "name": f"要員 {i}", "companyId": company}, token=token),
                 range(len(people), 300))
ids = [r["id"] for r in people] + [r["id"] for r in added]
units = every("units")
parallel(lambda i: post("units", {"title": f"チーム {i}", "unitKind": "vendor", "reportsTo": f"U{1 + i % len(units)}",
                                  "members": ids[(i * 5) % len(ids):(i * 5) % len(ids) + 5]}), range(len(units), 60))
print(f"seeded: {len(every('systems'))} systems, {len(every('interfaces'))} interfaces, {len(every('requirements'))} requirements, "
      f"{len(every('tests'))} tests, {len(every('units'))} units, {len(ids)} people")

for name, path in [("system diagram (SVG)", f"{api}/systems/diagram.svg"), ("organisation chart (SVG)", f"{api}/units/chart.svg"),
                   ("traceability matrix (JSON)", f"{api}/requirements/traceability"),
                   ("traceability workbook (xlsx)", f"{api}/requirements/traceability.xlsx")]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(call("GET", path, token=token, raw=True))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"{name}: median {statistics.median(times):.0f} ms, p90 {times[int(len(times) * 0.9) - 1]:.0f} ms, "
          f"max {times[-1]:.0f} ms ({size // 1024} KB, {runs} runs)")
