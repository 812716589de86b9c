"""A generated Microsoft Project (MSPDI) file of N activities: summaries of 49 tasks each, chained finish-to-start
with about 10 % cross links. Usage: python3 gen_plan.py N > plan.xml"""
import random, sys
random.seed(1)
n = int(sys.argv[1])
out = ['<?xml version="1.0" encoding="UTF-8"?>', '<Project xmlns="http://schemas.microsoft.com/project">',
       '<Name>Bench</Name><StartDate>2027-04-01T09:00:00</StartDate><CalendarUID>1</CalendarUID><MinutesPerDay>480</MinutesPerDay>',
       '<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>']
for d in range(1, 8):
    working = 0 if d in (1, 7) else 1
    out.append(f'<WeekDay><DayType>{d}</DayType><DayWorking>{working}</DayWorking>' +
               ('<WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>'
                '<WorkingTime><FromTime>13:00:00</FromTime><ToTime>18:00:00</ToTime></WorkingTime></WorkingTimes>' if working else '') +
               '</WeekDay>')
out.append('</WeekDays></Calendar></Calendars><Tasks>')
uid = 0
prev_task = None
group = 0
tasks = []
while uid < n:
    uid += 1
    group += 1
    out.append(f'<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Work package {group}</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>')
    first = True
    for _ in range(49):
        if uid >= n: break
        uid += 1
        days = random.randint(1, 10)
        links = ''
        if prev_task and (first is False or random.random() < 0.5):
            links += f'<PredecessorLink><PredecessorUID>{prev_task}</PredecessorUID><Type>1</Type></PredecessorLink>'
        if tasks and random.random() < 0.1:
            other = random.choice(tasks[-200:])
            if other != prev_task:
                links += f'<PredecessorLink><PredecessorUID>{other}</PredecessorUID><Type>1</Type></PredecessorLink>'
        out.append(f'<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {uid}</Name><OutlineLevel>2</OutlineLevel>'
                   f'<Duration>PT{days*8}H0M0S</Duration><DurationFormat>7</DurationFormat><Cost>{days*80000}</Cost>{links}</Task>')
        tasks.append(uid)
        prev_task = uid
        first = False
out.append('</Tasks></Project>')
print('\n'.join(out))
