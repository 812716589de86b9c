#!/usr/bin/env python3
"""Writes a staffed MS Project XML plan for levelling benchmarks: PROJECTS summaries of TASKS tasks each (0.5-5 days,
1-3 finish-to-start links to one of the previous 50 tasks of the same project), PEOPLE full-time people, every task
assigned to one person (a quarter of them to two at 50 %), on a Monday-Friday 09:00-18:00 calendar. Deterministic.

    python3 Benchmarks/levelling/staffed_plan.py > /tmp/staffed.xml      # 5 x 400 tasks, 100 people
    time .build/release/pmo schedule /tmp/staffed.xml --level --format json > /dev/null
    python3 Benchmarks/levelling/staffed_plan.py --project 2 > /tmp/p2.xml   # only project 2's 400 tasks, no summary
"""
import random
import sys

PROJECTS, TASKS, PEOPLE = 5, 400, 100
ONLY = int(sys.argv[sys.argv.index("--project") + 1]) if "--project" in sys.argv else None
rng = random.Random(1)


def duration(minutes):
    return f"PT{minutes // 60}H{minutes % 60}M0S"


out = ['<?xml version="1.0" encoding="UTF-8"?>', '<Project xmlns="http://schemas.microsoft.com/project">',
       "<Name>staffed</Name><StartDate>2026-04-01T09:00:00</StartDate><MinutesPerDay>480</MinutesPerDay>",
       "<CalendarUID>1</CalendarUID><Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>",
       "<WeekDays>"]
for day in range(1, 8):
    if day in (1, 7):
        out.append(f"<WeekDay><DayType>{day}</DayType><DayWorking>0</DayWorking></WeekDay>")
    else:
        out.append(f"<WeekDay><DayType>{day}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
                   "<WorkingTime><FromTime>09:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
                   "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>18:00:00</ToTime></WorkingTime>"
                   "</WorkingTimes></WeekDay>")
out.append("</WeekDays></Calendar></Calendars><Tasks>")
uid = 0
assignments = []
for p in range(PROJECTS):
    uid += 1
    mark = len(out)
    if ONLY is None:
        out.append(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Project {p + 1}</Name><OutlineLevel>1</OutlineLevel>"
                   "<Summary>1</Summary></Task>")
    level = 2 if ONLY is None else 1
    first = uid + 1
    for t in range(TASKS):
        uid += 1
        minutes = 240 * rng.randint(1, 10)
        links = ""
        if t > 0:
            for back in sorted({rng.randint(1, min(t, 50)) for _ in range(rng.randint(1, 3))}):
                links += f"<PredecessorLink><PredecessorUID>{uid - back}</PredecessorUID><Type>1</Type></PredecessorLink>"
        out.append(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>P{p + 1} task {t + 1}</Name><OutlineLevel>{level}</OutlineLevel>"
                   f"<Duration>{duration(minutes)}</Duration><DurationFormat>7</DurationFormat>{links}</Task>")
        people = [rng.randint(1, PEOPLE)]
        if rng.random() < 0.25:
            people.append(rng.randint(1, PEOPLE))
        people = sorted(set(people))
        for person in people:
            units = 1.0 if len(people) == 1 else 0.5
            assignments.append((uid, person, units, int(minutes * units), p + 1))
    if ONLY is not None and p + 1 != ONLY:
        del out[mark:]   # the random draws stay the same, so each project is the same as in the whole file
out.append("</Tasks><Resources>")
for r in range(1, PEOPLE + 1):
    out.append(f"<Resource><UID>{r}</UID><ID>{r}</ID><Name>Person {r}</Name><Type>1</Type><MaxUnits>1</MaxUnits></Resource>")
out.append("</Resources><Assignments>")
for n, (task, person, units, work, project) in enumerate(assignments, start=1):
    if ONLY is not None and project != ONLY:
        continue
    out.append(f"<Assignment><UID>{n}</UID><TaskUID>{task}</TaskUID><ResourceUID>{person}</ResourceUID>"
               f"<Units>{units}</Units><Work>{duration(work)}</Work></Assignment>")
out.append("</Assignments></Project>")
sys.stdout.write("\n".join(out) + "\n")
