#!/usr/bin/env python3
"""Check that MPXJ (a Microsoft Project-compatible reader) accepts MSPDI files written by PMO's exporter.

Usage: python3 scripts/mpxj_check.py FILE.xml [...]
Needs: pip install mpxj JPype1, and Java 17. Exit status 1 when MPXJ fails to read a file or finds no tasks or links
where the file has them.
"""
import re
import sys

import jpype
import mpxj  # noqa: F401  (puts the MPXJ jars on the class path)

jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader  # noqa: E402

failed = False
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    expected_tasks = len(re.findall(r"<Task>", text))
    # MPXJ (like Microsoft Project) keeps one link per pair of tasks: count distinct (predecessor, successor) pairs.
    pairs = set()
    for uid, body in re.findall(r"<Task>\s*<UID>(\d+)</UID>(.*?)</Task>", text, re.S):
        for pred in re.findall(r"<PredecessorUID>(\d+)</PredecessorUID>", body):
            pairs.add((pred, uid))
    expected_links = len(pairs)
    try:
        project = UniversalProjectReader().read(path)
    except Exception as e:  # MPXJ raises Java exceptions through JPype
        print(f"{path}: MPXJ cannot read it: {e}")
        failed = True
        continue
    if project is None:
        print(f"{path}: MPXJ did not recognise the file")
        failed = True
        continue
    tasks = [t for t in project.getTasks() if t.getUniqueID() is not None]
    links = sum(len(list(t.getPredecessors())) for t in tasks)
    ok = len(tasks) >= expected_tasks and links == expected_links
    # Resources, assignments and levelling delays (tenths of minutes in the file) must come through too.
    expected_resources = len(re.findall(r"<Resource>", text))
    expected_assignments = len(re.findall(r"<Assignment>", text))
    resources = sum(1 for r in project.getResources() if r.getUniqueID() is not None and r.getUniqueID().intValue() != 0)
    assignments = len(list(project.getResourceAssignments()))
    delays = {}
    for uid, body in re.findall(r"<Task>\s*<UID>(\d+)</UID>(.*?)</Task>", text, re.S):
        m = re.search(r"<LevelingDelay>(\d+)</LevelingDelay>", body)
        if m and int(m.group(1)) > 0:
            delays[int(uid)] = int(m.group(1)) / 10 / 1440  # elapsed days
    delay_faults = []
    for t in tasks:
        want = delays.get(t.getUniqueID().intValue())
        if want is None:
            continue
        got = t.getLevelingDelay()
        days = got.convertUnits(jpype.JClass("org.mpxj.TimeUnit").ELAPSED_DAYS, project.getProjectProperties()).getDuration() if got else None
        if days is None or abs(days - want) > 1e-6:
            delay_faults.append(f"task {t.getUniqueID()}: levelling delay {days} elapsed days, file {want}")
    # Effort-driven tasks (EffortDriven 1) must read as effort-driven, and only those.
    driven_file = {int(uid) for uid, body in re.findall(r"<Task>\s*<UID>(\d+)</UID>(.*?)</Task>", text, re.S)
                   if "<EffortDriven>1</EffortDriven>" in body}
    driven_read = {t.getUniqueID().intValue() for t in tasks if t.getEffortDriven()}
    ok = ok and resources >= expected_resources and assignments == expected_assignments and not delay_faults
    ok = ok and driven_read == driven_file
    print(f"{path}: {len(tasks)} tasks (file {expected_tasks}), {links} links (file {expected_links}), "
          f"{resources} resources (file {expected_resources}), {assignments} assignments (file {expected_assignments}), "
          f"{len(delays) - len(delay_faults)}/{len(delays)} levelling delays, "
          f"{len(driven_read)} effort-driven (file {len(driven_file)}) {'ok' if ok else 'MISMATCH'}")
    for fault in delay_faults[:5]:
        print("   ", fault)
    failed |= not ok
jpype.shutdownJVM()
sys.exit(1 if failed else 0)
