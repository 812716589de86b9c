#!/usr/bin/env python3
"""Levels PSPLIB instances with `pmo schedule FILE --level --format json` and checks every schedule on its own.

The check reads each .sm file with its own parser (nothing shared with the Swift code) and fails when a job is
missing, a start or finish is not a whole period, a finish is not start + duration, a precedence is broken, a
renewable resource is over its capacity in any period, the reported length is not the latest finish, or the length
is below the instance's known optimum or lower bound (which would mean the check itself is wrong).

It also prints the quality figures of the run: mean deviation from the critical path (MPM-Time, the literature's
measure for j60-j120), from the best known solutions (jXXhrs.sm) and from the optima, and how many optima it met.

    psplib_level_check.py PMO_BINARY                       # CI sample: 60 j30 and 30 j120 instances
    psplib_level_check.py PMO_BINARY --sets j30,j60,j90,j120 --every 1 --jobs 2   # the full sets (benchmark)
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import time

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "psplib")


def read_sm(path):
    """Jobs (duration, successors, requests) and capacities of a single-mode .sm file."""
    with open(path, encoding="latin-1") as f:
        lines = f.read().splitlines()

    def index(prefix):
        return next(i for i, line in enumerate(lines) if line.startswith(prefix))

    info = lines[index("PROJECT INFORMATION") + 2].split()
    count = int(info[1]) + 2
    mpm = int(info[5])
    succ = {}
    at = index("PRECEDENCE RELATIONS") + 2
    for k in range(count):
        v = [int(x) for x in lines[at + k].split()]
        succ[v[0]] = v[3:3 + v[2]]
    dur, req = {}, {}
    at = index("REQUESTS/DURATIONS") + 3
    for k in range(count):
        v = [int(x) for x in lines[at + k].split()]
        dur[v[0]] = v[2]
        req[v[0]] = v[3:]
    caps = [int(x) for x in lines[index("RESOURCEAVAILABILITIES") + 2].split()]
    return dur, succ, req, caps, mpm


def known_values(name, data=DATA):
    """(optimum or lower bound, is exact) per instance from the kobe CSV, and the best known upper bound (hrs)."""
    bounds = {}
    with open(os.path.join(data, "solutions", f"{name}_optimum_kobe.csv")) as f:
        for line in f.read().splitlines()[1:]:
            problem, value = line.split(",")
            if ".." in value:
                lb, ub = value.split("..")
                bounds[problem] = (int(lb), False) if lb else (None, False)
            else:
                bounds[problem] = (int(value), True)
    upper = {}
    with open(os.path.join(data, "solutions", f"{name}hrs.sm"), encoding="latin-1") as f:
        for line in f.read().splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0].isdigit() and parts[1].isdigit() and parts[2].isdigit():
                upper[f"{name}{parts[0]}_{parts[1]}.sm"] = int(parts[2])
    return bounds, upper


def check(path, report):
    """The faults of one levelled schedule (empty when it is feasible)."""
    dur, succ, req, caps, _ = read_sm(path)
    rows = {a["uid"]: a for a in report["activities"]}
    faults = []
    if set(rows) != set(dur):
        return [f"jobs in the output {sorted(set(rows) ^ set(dur))[:5]} differ from the file"]
    for j, a in rows.items():
        if not isinstance(a["start"], int) or not isinstance(a["finish"], int) or a["start"] < 0:
            faults.append(f"job {j}: start {a['start']} / finish {a['finish']} are not whole periods from 0")
        elif a["finish"] != a["start"] + dur[j]:
            faults.append(f"job {j}: finish {a['finish']} is not start {a['start']} + duration {dur[j]}")
    if faults:
        return faults
    for j, successors in succ.items():
        for s in successors:
            if rows[s]["start"] < rows[j]["finish"]:
                faults.append(f"job {s} starts at {rows[s]['start']} before job {j} finishes at {rows[j]['finish']}")
    length = max(a["finish"] for a in rows.values())
    if report.get("projectLength") != length:
        faults.append(f"projectLength {report.get('projectLength')} is not the latest finish {length}")
    for r, cap in enumerate(caps):
        use = [0] * (length + 1)
        for j, a in rows.items():
            units = req[j][r] if r < len(req[j]) else 0
            for t in range(a["start"], a["finish"]):
                use[t] += units
        for t, u in enumerate(use):
            if u > cap:
                faults.append(f"resource {r + 1} in period {t}: {u} units used, capacity {cap}")
                break
    return faults


def level(binary, path, extra):
    started = time.monotonic()
    out = subprocess.run([binary, "schedule", path, "--level", "--format", "json", *extra],
                         capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    if out.returncode != 0:
        return None, elapsed, out.stderr.strip() or out.stdout.strip()
    return json.loads(out.stdout), elapsed, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--sets", default="j30,j120")
    parser.add_argument("--every", type=int, default=0, help="take every Nth instance (0: 60 of j30, 30 of others)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--schedules", type=int)
    parser.add_argument("--time-limit-ms", type=int)
    args = parser.parse_args()
    extra = []
    if args.schedules:
        extra += ["--schedules", str(args.schedules)]
    if args.time_limit_ms:
        extra += ["--time-limit-ms", str(args.time_limit_ms)]

    failed = False
    for name in args.sets.split(","):
        folder = os.path.join(DATA, "instances", name)
        files = sorted(f for f in os.listdir(folder) if f.endswith(".sm"))
        every = args.every or max(1, len(files) // (60 if name == "j30" else 30))
        files = files[::every]
        bounds, upper = known_values(name)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda f: (f, *level(args.binary, os.path.join(folder, f), extra)), files))
        dev_cp = dev_ub = dev_opt = 0.0
        exact = hits = timeouts = schedules = 0
        slowest = total = 0.0
        faults_seen = 0
        for f, report, elapsed, error in results:
            if report is None:
                print(f"FAIL {name}/{f}: pmo failed: {error}")
                failed = True
                faults_seen += 1
                continue
            faults = check(os.path.join(folder, f), report)
            length = report["projectLength"]
            bound, is_exact = bounds.get(f, (None, False))
            if bound is not None and length < bound:
                faults.append(f"length {length} is below the known {'optimum' if is_exact else 'lower bound'} {bound}")
            if faults:
                failed = True
                faults_seen += 1
                print(f"FAIL {name}/{f}: " + "; ".join(faults[:3]))
            _, _, _, _, mpm = read_sm(os.path.join(folder, f))
            dev_cp += (length - mpm) / mpm
            dev_ub += (length - upper[f]) / upper[f]
            if is_exact:
                exact += 1
                dev_opt += (length - bound) / bound
                hits += length == bound
            timeouts += report["levelling"]["stoppedEarly"]
            schedules += report["levelling"]["schedules"]
            slowest = max(slowest, elapsed)
            total += elapsed
        n = len(results)
        line = (f"{name}: {n} instances, {faults_seen} infeasible; mean deviation from the critical path "
                f"{100 * dev_cp / n:.2f} %, from the best known {100 * dev_ub / n:.3f} %")
        if exact:
            line += f", from the {exact} known optima {100 * dev_opt / exact:.3f} % ({hits} met, {100 * hits / exact:.1f} %)"
        line += (f"; mean {schedules / n:.0f} schedules, {1000 * total / n:.0f} ms per instance (slowest "
                 f"{1000 * slowest:.0f} ms, process start included), time limit reached on {timeouts}")
        print(line, flush=True)
    if failed:
        print("the levelled PSPLIB schedules are NOT all feasible", file=sys.stderr)
        sys.exit(1)
    print("every levelled schedule keeps its precedences and resource capacities")


if __name__ == "__main__":
    main()
