#!/usr/bin/env python3
"""Compare PMO's resource leveller with TaskJuggler (tj3) on PSPLIB RCPSP instances.

For each sampled single-mode instance (.sm) the script
  1. writes the instance in TaskJuggler's language (one period = one calendar
     day, every day worked 24 h, capacity-k resource = k one-unit resources),
  2. runs tj3, reads each job's start and end back from a CSV task report and
     the resource bookings from a TJP export,
  3. runs `pmo schedule FILE --level --format json` (default options),
  4. checks both schedules with the same independent checker (durations kept,
     precedences kept, per-day usage within capacity) and prints a table.

TaskJuggler 3.7 books resources hour by hour and has no way to forbid a task
from pausing while its units are busy, so its schedules may pre-empt jobs; the
check reports those as infeasible (column "tj3 split" counts them). The TJP
export of the bookings is checked too: each job books exactly its demand in
distinct units in every booked hour, duration x 24 hours in all.

Needs tj3 (Debian: `apt-get install -y tj3`) and a built pmo binary.
Standard library only.

Examples:
  python3 Benchmarks/levelling/taskjuggler.py                    # 30 j30 + 30 j120
  python3 Benchmarks/levelling/taskjuggler.py --every 160        # a handful
  python3 Benchmarks/levelling/taskjuggler.py --sets j30 --every 48 \\
      --pmo .build/debug/pmo --markdown /tmp/tj.md --keep /tmp/tjp

Sample: the sorted file list of each set, every Nth file starting with the
first (defaults: every 16th j30 file, every 20th j120 file, i.e. 30 each).
"""

import argparse
import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
from psplib_level_check import DATA, known_values  # noqa: E402  (../shared/data/psplib beside the repository)
DEFAULT_EVERY = {"j30": 16, "j60": 16, "j90": 16, "j120": 20}
PROJECT_START = dt.datetime(2026, 1, 5)  # a Monday; TJ dates must stay before 2035
HOURS = 24  # one PSPLIB period = one calendar day = 24 one-hour TJ slots


# ---------------------------------------------------------------- PSPLIB data

def parse_sm(path):
    """Read a single-mode PSPLIB file into a dict (jobs numbered from 1)."""
    with open(path, encoding="latin-1") as f:
        lines = [l.rstrip() for l in f]
    renewable = int(re.search(r"renewable\s*:\s*(\d+)", "\n".join(lines)).group(1))

    def rows_after(header, skip):
        i = next(k for k, l in enumerate(lines) if l.startswith(header)) + 1 + skip
        out = []
        while i < len(lines) and not lines[i].startswith("*"):
            if lines[i].strip():
                out.append([int(x) for x in lines[i].split()])
            i += 1
        return out

    mpm = rows_after("PROJECT INFORMATION", 1)[0][-1]  # last field: MPM-Time = critical path
    succ, dur, dem = {}, {}, {}
    for row in rows_after("PRECEDENCE RELATIONS", 1):
        succ[row[0]] = row[3:3 + row[2]]
    for row in rows_after("REQUESTS/DURATIONS", 2):
        dur[row[0]] = row[2]
        dem[row[0]] = row[3:3 + renewable]
    cap = rows_after("RESOURCEAVAILABILITIES", 1)[0][:renewable]
    pred = defaultdict(list)
    for j, ss in succ.items():
        for s in ss:
            pred[s].append(j)
    jobs = sorted(dur)
    return {"jobs": jobs, "dur": dur, "dem": dem, "cap": cap, "succ": succ,
            "pred": {j: sorted(pred[j]) for j in jobs}, "mpm": mpm}


def load_references(data, name):
    """Best known makespans (jXXhrs.sm) and lower bounds (kobe CSV) by file name, read as the CI check reads them."""
    bounds, best = known_values(name, data)
    return best, {problem: lb for problem, (lb, _) in bounds.items() if lb is not None}


def check_schedule(inst, start, finish):
    """Independent RCPSP check of a schedule given in periods. Returns problems."""
    problems = []
    missing = [j for j in inst["jobs"] if j not in start or j not in finish]
    if missing:
        return [f"{len(missing)} jobs missing"]
    # A window longer than the duration means the job was split (pre-empted).
    stretched = [j for j in inst["jobs"] if finish[j] - start[j] != inst["dur"][j]]
    if stretched:
        problems.append(f"{len(stretched)} jobs not lasting their duration "
                        f"(e.g. job {stretched[0]}: {start[stretched[0]]}-{finish[stretched[0]]}, "
                        f"d={inst['dur'][stretched[0]]})")
    broken = [(p, j) for j in inst["jobs"] for p in inst["pred"][j] if start[j] < finish[p]]
    if broken:
        problems.append(f"{len(broken)} precedences broken (e.g. {broken[0][0]}->{broken[0][1]})")
    # Each job holds its demand over its whole window [start, finish).
    usage = defaultdict(lambda: [0] * len(inst["cap"]))
    for j in inst["jobs"]:
        for t in range(start[j], finish[j]):
            for k, r in enumerate(inst["dem"][j]):
                usage[t][k] += r
    over = sorted((t, k) for t, u in usage.items() for k, c in enumerate(inst["cap"]) if u[k] > c)
    if over:
        t, k = over[0]
        problems.append(f"{len(over)} resource-days over capacity "
                        f"(e.g. day {t} R{k + 1}: {usage[t][k]}/{inst['cap'][k]})")
    return problems


# ---------------------------------------------------------------- TaskJuggler

def unit(k, u):
    return f"R{k + 1}_{u + 1}"


def to_tjp(inst, name):
    """The instance in TaskJuggler's language (see the notes inside)."""
    # Any TJ schedule ends by the sum of all durations (each job can at worst
    # run after everything scheduled before it), so this horizon always fits
    # and keeps TJ's hourly scoreboards small.
    days = sum(inst["dur"].values()) + 7
    end = PROJECT_START + dt.timedelta(days=days)
    out = [
        f'project p "{name}" {PROJECT_START:%Y-%m-%d} - {end:%Y-%m-%d} {{',
        "  timingresolution 60min",   # first: it resets the working hours
        "  timezone \"UTC\"",          # no daylight saving: every day has 24 slots
        f"  now {PROJECT_START:%Y-%m-%d}",
        "  dailyworkinghours 24",
        "  workinghours mon - sun 0:00 - 24:00",  # TJ must not skip nights or weekends
        "}",
    ]
    # Capacity k -> a group of k interchangeable one-unit resources.
    for k, c in enumerate(inst["cap"]):
        if c > 0:
            out.append(f'resource R{k + 1} "R{k + 1}" {{')
            out += [f'  resource {unit(k, u)} "{unit(k, u)}"' for u in range(c)]
            out.append("}")
    for j in inst["jobs"]:
        d, dem = inst["dur"][j], inst["dem"][j]
        body = []
        if inst["pred"][j]:
            body.append("depends " + ", ".join(f"j{p}" for p in inst["pred"][j]))
        if d == 0:
            body.append("milestone")
        elif sum(dem) == 0:
            body.append(f"duration {d * HOURS}h")
        else:
            # `duration`/`length` tasks never wait for resources (they book
            # what happens to be free), so only an effort task levels. Every
            # unit is a separate mandatory allocation over all units of its
            # group: a slot is booked only if all units are free, so each slot
            # books exactly sum(dem) units and effort = d days * sum(dem).
            body.append(f"effort {d * HOURS * sum(dem)}h")
            for k, r in enumerate(dem):
                if r > inst["cap"][k]:
                    raise ValueError(f"job {j} needs {r} of R{k + 1} (capacity {inst['cap'][k]})")
                alts = ", ".join(unit(k, u) for u in range(1, inst["cap"][k]))
                # TJ books at most one task per resource and slot, so the r
                # allocations of one job pick r different units; not
                # `persistent`: a locked unit that is busy would be skipped
                # and the job would run with fewer units than it needs.
                attrs = (f"alternative {alts} " if alts else "") + "select order mandatory"
                body += [f"allocate {unit(k, 0)} {{ {attrs} }}"] * r
        out.append(f'task j{j} "Job {j}" {{')
        out += ["  " + b for b in body]
        out.append("}")
    out += [
        'taskreport "schedule" {',
        "  formats csv",
        "  columns id, start, end",
        '  timeformat "%Y-%m-%d %H:%M"',
        "}",
        'export "bookings" { formats tjp definitions * }',
        "",
    ]
    return "\n".join(out)


def period(text):
    """Periods (days, as a float) from the project start of a report date."""
    return (dt.datetime.strptime(text, "%Y-%m-%d %H:%M") - PROJECT_START).total_seconds() / 3600 / HOURS


BOOKING = re.compile(r"^\s*booking\s+(\S+)\s+(.*?)\s*(\{.*)?$")
INTERVAL = re.compile(r"(\d{4}-\d\d-\d\d-\d\d:\d\d)(?:-[+-]\d{4})?\s*\+\s*([\d.]+)h")


def check_bookings(inst, path):
    """TJ's own view: each job booked every needed unit in every booked slot,
    distinct units, d*24 slots in all. Returns problems."""
    slots = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))  # job -> hour -> group -> units
    task = None
    with open(path, encoding="utf-8") as f:
        text = re.sub(r",\s*\n\s*", ", ", f.read())  # a booking's intervals continue on new lines
    for line in text.splitlines():
        if line.lstrip().startswith("supplement"):
            m = re.match(r"\s*supplement task j(\d+)", line)
            task = int(m.group(1)) if m else None
            continue
        m = BOOKING.match(line)
        if not m or task is None:
            continue
        res = m.group(1)
        group = int(res[1:res.index("_")]) - 1
        for start, hours in INTERVAL.findall(m.group(2)):
            h0 = int((dt.datetime.strptime(start, "%Y-%m-%d-%H:%M") - PROJECT_START).total_seconds() // 3600)
            for h in range(h0, h0 + round(float(hours))):
                if res in slots[task][h][group]:
                    return [f"job {task} booked {res} twice at hour {h}"]
                slots[task][h][group].add(res)
    bad = []
    for j in inst["jobs"]:
        need = {k: r for k, r in enumerate(inst["dem"][j]) if r}
        if not need or inst["dur"][j] == 0:
            continue
        hours = slots.get(j, {})
        wrong = [h for h, g in hours.items() if {k: len(u) for k, u in g.items()} != need]
        if wrong or len(hours) != inst["dur"][j] * HOURS:
            bad.append(j)
    return [f"{len(bad)} jobs with wrong bookings (e.g. job {bad[0]})"] if bad else []


def run_tj3(inst, name, tj3, workdir, timeout):
    """Schedule with tj3. Returns dict(makespan, problems, seconds, error)."""
    tjp = os.path.join(workdir, name.replace(".sm", ".tjp"))
    with open(tjp, "w") as f:
        f.write(to_tjp(inst, name))
    outdir = tjp[:-4] + "_out"
    os.makedirs(outdir, exist_ok=True)
    t0 = time.monotonic()
    try:
        # cwd too: the export report ignores -o and writes to the working directory.
        proc = subprocess.run([tj3, "--silent", "--no-color", "-o", outdir, os.path.abspath(tjp)],
                              capture_output=True, text=True, timeout=timeout, cwd=outdir)
    except subprocess.TimeoutExpired:
        return {"seconds": time.monotonic() - t0, "error": f"timeout {timeout}s"}
    seconds = time.monotonic() - t0
    report = os.path.join(outdir, "schedule.csv")
    if proc.returncode != 0 or not os.path.exists(report):
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        return {"seconds": seconds, "error": f"tj3 exit {proc.returncode}: " + (msg[0] if msg else "")}
    start, finish, unaligned = {}, {}, []
    with open(report, newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            j = int(row["Id"][1:])
            s, e = period(row["Start"]), period(row["End"])
            if s != int(s) or e != int(e):
                unaligned.append(f"job {j}: {row['Start']} - {row['End']}")
            start[j], finish[j] = int(s), -int(-e // 1)  # floor start, ceil end
    problems = [f"{len(unaligned)} jobs not day-aligned (e.g. {unaligned[0]})"] if unaligned else []
    problems += check_schedule(inst, start, finish)
    # TJ books slot by slot, so a job may pause while its units are busy.
    split = sum(finish[j] - start[j] > inst["dur"][j] for j in inst["jobs"] if j in start)
    bookings = os.path.join(outdir, "bookings.tjp")
    problems += check_bookings(inst, bookings) if os.path.exists(bookings) else ["no bookings export"]
    warnings = [l for l in proc.stderr.splitlines() if "Warning" in l or "Error" in l]
    if warnings:
        problems.append(f"{len(warnings)} tj3 warnings: {warnings[0].strip()}")
    return {"makespan": max(finish.values(), default=0), "problems": problems,
            "seconds": seconds, "split": split}


# ---------------------------------------------------------------- PMO

def run_pmo(inst, path, pmo, timeout):
    """Level with pmo's default options. Returns dict(makespan, problems, seconds, schedules)."""
    t0 = time.monotonic()
    try:
        proc = subprocess.run([pmo, "schedule", path, "--level", "--format", "json"],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": time.monotonic() - t0, "error": f"timeout {timeout}s"}
    seconds = time.monotonic() - t0
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"seconds": seconds, "error": f"pmo exit {proc.returncode}: {proc.stderr.strip()[:200]}"}
    result = {"makespan": out.get("projectLength"), "seconds": seconds,
              "schedules": (out.get("levelling") or {}).get("schedules"), "problems": []}
    acts = out.get("activities")
    if acts:  # check pmo with the same checker as tj3 (uid = PSPLIB job number)
        start = {a["uid"]: a["start"] for a in acts}
        finish = {a["uid"]: a["finish"] for a in acts}
        result["problems"] = check_schedule(inst, start, finish)
        if result["makespan"] != max(finish.values()):
            result["problems"].append(f"projectLength {result['makespan']} != last finish {max(finish.values())}")
    else:
        result["problems"] = ["no activities in the output"]
    return result


# ---------------------------------------------------------------- report

COLUMNS = ["instance", "CP", "best", "pmo", "pmo ok", "pmo s", "pmo sched",
           "tj3", "tj3 ok", "tj3 split", "tj3 s"]


def row_cells(r):
    def ms(x):
        return str(x["makespan"]) if x.get("makespan") is not None else "-"

    def ok(x):
        return "ERR" if "error" in x else ("yes" if not x["problems"] else "NO")
    p, t = r["pmo"], r["tj3"]
    return [r["name"], str(r["cp"]), str(r["best"] or "-"), ms(p), ok(p), f"{p['seconds']:.1f}",
            str(p.get("schedules") or "-"), ms(t), ok(t), str(t.get("split", "-")), f"{t['seconds']:.1f}"]


def notes(r):
    out = []
    for tool in ("pmo", "tj3"):
        x = r[tool]
        if "error" in x:
            out.append(f"{tool}: {x['error']}")
        else:
            out += [f"{tool}: {p}" for p in x["problems"]]
            if r["lower"] and x["makespan"] is not None and x["makespan"] < r["lower"]:
                out.append(f"{tool}: makespan {x['makespan']} below the lower bound {r['lower']}")
    return out


def summary(results):
    """Per set and tool: mean deviation from CP and best known, matches, feasible."""
    lines = []
    for s in sorted({r["set"] for r in results}, key=lambda x: int(x[1:])):
        rs = [r for r in results if r["set"] == s]
        for tool in ("pmo", "tj3"):
            got = [r for r in rs if r[tool].get("makespan") is not None]
            withbest = [r for r in got if r["best"]]

            def mean(xs):
                return f"{sum(xs) / len(xs):.2f}%" if xs else "-"
            dev_cp = mean([100 * (r[tool]["makespan"] - r["cp"]) / r["cp"] for r in got])
            dev_best = mean([100 * (r[tool]["makespan"] - r["best"]) / r["best"] for r in withbest])
            ok = [r for r in rs if "error" not in r[tool] and not r[tool]["problems"]]
            matched = sum(r[tool]["makespan"] == r["best"] for r in ok if r["best"])
            secs = sum(r[tool]["seconds"] for r in rs) / len(rs)
            lines.append([s, tool, f"{len(got)}/{len(rs)}", dev_cp, dev_best,
                          f"{matched}/{len(withbest)}", f"{len(ok)}/{len(rs)}", f"{secs:.1f}"])
    return ["set", "tool", "results", "mean dev. CP", "mean dev. best", "feasible = best",
            "feasible", "mean s"], lines


FOOTNOTE = ("mean dev. = mean of (makespan - reference) / reference over all instances with a "
            "makespan, feasible or not (a pre-empted tj3 schedule solves a relaxation); "
            "feasible = best counts only schedules that passed the check.")


def text_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = lambda cells: "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                                  for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def md_table(header, rows):
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                     + ["| " + " | ".join(map(str, r)) + " |" for r in rows])


def write_markdown(path, results, args, pmo):
    sh, srows = summary(results)
    all_notes = [f"- {r['name']}: {n}" for r in results for n in notes(r)]
    text = [
        "# PMO leveller vs TaskJuggler on PSPLIB",
        "",
        f"pmo: `{pmo}` (default options); tj3: `{args.tj3}`; sets {args.sets}; "
        f"{dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        "CP = critical path (MPM-Time), best = best known (jXXhrs.sm); makespans in periods (days); "
        "ok = the schedule passed the independent check (durations, precedences, daily capacity); "
        "tj3 split = jobs TaskJuggler pre-empted (window longer than the duration); s = wall seconds.",
        "",
        md_table(COLUMNS, [row_cells(r) for r in results]),
        "",
        md_table(sh, srows),
        "",
        FOOTNOTE,
        "",
    ]
    if all_notes:
        text += ["Notes:", ""] + all_notes + [""]
    with open(path, "w") as f:
        f.write("\n".join(text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="j30,j120", help="comma-separated PSPLIB sets (default j30,j120)")
    ap.add_argument("--every", type=int, help="take every Nth sorted file of each set "
                    "(default 16 for j30, 20 for j120: 30 instances each)")
    ap.add_argument("--pmo", help="pmo binary (default .build/release/pmo if present, else .build/debug/pmo)")
    ap.add_argument("--tj3", default="tj3", help="tj3 executable (default: tj3 on PATH)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per tj3 or pmo run (default 300)")
    ap.add_argument("--data", default=DATA, help=f"PSPLIB data folder (default {DATA})")
    ap.add_argument("--markdown", help="also write the tables as Markdown to this file")
    ap.add_argument("--keep", help="write the .tjp files and tj3 reports here (default: a temp dir, deleted)")
    args = ap.parse_args()

    pmo = args.pmo or next((p for p in (os.path.join(REPO, ".build/release/pmo"),
                                        os.path.join(REPO, ".build/debug/pmo")) if os.path.exists(p)), None)
    if not pmo or not os.path.exists(pmo):
        sys.exit("no pmo binary; build it or pass --pmo")
    if not shutil.which(args.tj3):
        sys.exit("tj3 not found; apt-get install -y tj3")
    workdir = args.keep or tempfile.mkdtemp(prefix="tj3-psplib-")
    os.makedirs(workdir, exist_ok=True)

    sample = []
    for s in args.sets.split(","):
        folder = os.path.join(args.data, "instances", s)
        files = sorted(f for f in os.listdir(folder) if f.endswith(".sm"))
        every = args.every or DEFAULT_EVERY.get(s, max(1, len(files) // 30))
        best, lower = load_references(args.data, s)
        sample += [(s, os.path.join(folder, f), best, lower) for f in files[::every]]
    print(f"{len(sample)} instances; pmo {pmo}; tj3 {args.tj3}; files in {workdir}", flush=True)

    results = []
    widths = [14, 4, 4, 4, 6, 6, 9, 4, 6, 9, 6]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))
    print(line(COLUMNS), flush=True)
    try:
        for s, path, best, lower in sample:
            name = os.path.basename(path)
            inst = parse_sm(path)
            r = {"set": s, "name": name, "cp": inst["mpm"], "best": best.get(name),
                 "lower": lower.get(name),
                 "tj3": run_tj3(inst, name, args.tj3, workdir, args.timeout),
                 "pmo": run_pmo(inst, path, pmo, args.timeout)}
            results.append(r)
            print(line(row_cells(r)), flush=True)
            for n in notes(r):
                print("    " + n, flush=True)
            if args.markdown:  # rewritten each time so a long run leaves partial results
                write_markdown(args.markdown, results, args, pmo)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(text_table(*summary(results)))
    print("\n" + FOOTNOTE)
    if args.markdown:
        print(f"Markdown written to {args.markdown}")


if __name__ == "__main__":
    main()
