#!/usr/bin/env python3
"""Times levelling through the server: five projects of 400 staffed tasks each (Benchmarks/levelling/staffed_plan.py,
100 people shared by all) are imported into a running server, then a levelling scenario across the five is proposed
through the API, RUNS times; prints each round trip's time and the resource-days over capacity before and after.

    .build/release/pmo serve --database /tmp/bench/pmo.sqlite --port 18090 &   (with an admin account, e.g. --demo)
    python3 Benchmarks/levelling/server_scenario.py http://127.0.0.1:18090 admin@demo.pmo demo-password [RUNS]
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

base, email, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
here = os.path.dirname(os.path.abspath(__file__))


def call(method, path, body=None, token=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + "/api/v1" + path, data=data, method=method)
    req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=600) as answer:
        return json.loads(answer.read() or b"null")


token = call("POST", "/tokens", {"email": email, "password": password, "name": "levelling benchmark"})["token"]
keys = [f"LV{p}" for p in range(1, 6)]
existing = {p["key"] for p in call("GET", "/projects", token=token)["items"]}
for p, key in enumerate(keys, start=1):
    if key in existing:
        continue
    call("POST", "/projects", {"key": key, "name": f"Levelling benchmark {p}", "startDate": "2026-04-01", "targetDate": None},
         token=token)
    xml = subprocess.run([sys.executable, os.path.join(here, "staffed_plan.py"), "--project", str(p)], check=True,
                         capture_output=True).stdout
    summary = call("POST", f"/projects/{key}/plan/import?mode=apply", xml, token=token, content_type="application/xml")
    print(f"{key}: imported {summary['activities']} activities, {len(summary['resources'])} resources "
          f"({sum(1 for r in summary['resources'] if r['matchedBy'] != 'placeholder')} matched by name)")
for run in range(runs):
    started = time.perf_counter()
    scenario = call("POST", "/levelling/scenarios", {"projects": keys}, token=token)
    elapsed = time.perf_counter() - started
    before = sum(p["overloadsBefore"] for p in scenario["projects"])
    after = sum(p["overloadsAfter"] for p in scenario["projects"])
    moves = sum(len(p["moves"]) for p in scenario["projects"])
    print(f"run {run + 1}: {elapsed * 1000:.0f} ms, resource-days over capacity {before} -> {after}, {moves} activities moved")
    call("POST", f"/levelling/scenarios/{scenario['id']}/discard", token=token)
