/// A person's leave as Microsoft Project keeps it: exceptions in the resource's own calendar, derived from a base
/// calendar. The days the own calendar takes off while the base calendar works become absences; days off in the base
/// calendar too (the company's holidays, weekends) are not the person's leave and are left to the calendars.
public enum CalendarAbsences {
    /// The absences in `calendar` (a resource calendar) against `base` (the calendar it derives from): consecutive days
    /// of leave, joined across the days the base calendar does not work (Friday and Monday off make one absence).
    /// Only the calendar's own non-working exceptions count, from `from` through `through`; at most `limit` absences.
    public static func absences(of calendar: WorkCalendar, base: WorkCalendar, from: CivilDate, through: CivilDate,
                                limit: Int = 200) -> [Absence] {
        var days = Set<CivilDate>()
        for exception in calendar.exceptions where exception.workingTimes.isEmpty {
            var day = max(exception.firstDay, from)
            let last = min(exception.lastDay, through)
            while day <= last {
                if exception.applies(to: day), !calendar.isWorkingDay(day), base.isWorkingDay(day) { days.insert(day) }
                day = day.adding(days: 1)
            }
        }
        var out: [Absence] = []
        for day in days.sorted() {
            if let last = out.last, joins(last.end, day, base: base) {
                out[out.count - 1].end = day
            } else {
                guard out.count < limit else { break }
                out.append(Absence(start: day, end: day, note: calendar.name))
            }
        }
        return out
    }

    /// Whether `day` continues the absence ending on `end`: every day between them is off in the base calendar.
    static func joins(_ end: CivilDate, _ day: CivilDate, base: WorkCalendar) -> Bool {
        var between = end.adding(days: 1)
        while between < day {
            if base.isWorkingDay(between) { return false }
            between = between.adding(days: 1)
        }
        return true
    }
}
