import Foundation
import PMOCore
import PMOSchedule

/// Writes a plan (and, when given, its computed schedule) as Microsoft Project XML (MSPDI).
///
/// Calendars are written with their weekdays and their exceptions expanded to dated periods between `from` and `through`
/// (Japanese public holidays included), so any MSPDI reader sees the same working time. Deterministic: same input, same bytes.
public enum MSPDIWriter {
    /// The XML text of `plan`; `result` adds Start/Finish/Early/Late dates, slack and critical flags.
    public static func write(_ plan: SchedulePlan, result: ScheduleResult? = nil) -> String {
        var x = XMLText()
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        x.open("Project", attributes: " xmlns=\"http://schemas.microsoft.com/project\"")
        x.element("SaveVersion", "14")
        x.element("Name", plan.name)
        x.element("Title", plan.name)
        x.element("ScheduleFromStart", "1")
        x.element("StartDate", plan.start.description)
        if let result { x.element("FinishDate", result.projectFinish.description) }
        x.element("CalendarUID", String(plan.defaultCalendarID.rawValue))
        x.element("MinutesPerDay", String(plan.minutesPerDay))
        x.element("MinutesPerWeek", String(plan.minutesPerDay * 5))
        x.element("DaysPerMonth", "20")
        x.element("DurationFormat", "7")
        x.element("NewTasksAreManual", "0")
        if let status = plan.statusDate { x.element("StatusDate", status.description) }

        // Calendar exceptions are expanded over the plan's span (plus a margin) into dated periods.
        let lo = (result?.projectStart ?? plan.start).date.adding(days: -366)
        let hi = (result?.projectFinish ?? plan.start).date.adding(days: 3 * 366)
        x.open("Calendars")
        for c in plan.calendars { writeCalendar(c, from: lo, through: hi, into: &x) }
        x.close("Calendars")

        let scheduled =
            result.map { Dictionary($0.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) } ?? [:]
        let byID = Dictionary(plan.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var predecessors: [Activity.ID: [Dependency]] = [:]
        for d in plan.dependencies { predecessors[d.successor, default: []].append(d) }
        let hasChildren = Set(plan.activities.compactMap(\.parent))
        x.open("Tasks")
        for (row, a) in plan.activities.enumerated() {
            var level = 1
            var p = a.parent
            while let pid = p, level < 100 {
                level += 1
                p = byID[pid]?.parent
            }
            x.open("Task")
            x.element("UID", String(a.id.rawValue))
            x.element("ID", String(row + 1))
            x.element("Name", a.name)
            x.element("Manual", a.manualStart == nil ? "0" : "1")
            x.element("OutlineLevel", String(level))
            let isSummary = a.kind == .summary && hasChildren.contains(a.id)
            x.element("Summary", isSummary ? "1" : "0")
            x.element("Milestone", a.kind == .milestone ? "1" : "0")
            x.element("EffortDriven", a.effortDriven ? "1" : "0")
            if let s = scheduled[a.id] {
                x.element("Start", s.start.description)
                x.element("Finish", s.finish.description)
                x.element("EarlyStart", s.earlyStart.description)
                x.element("EarlyFinish", s.earlyFinish.description)
                x.element("LateStart", s.lateStart.description)
                x.element("LateFinish", s.lateFinish.description)
                x.element("TotalSlack", String(s.totalFloat * 10))
                x.element("FreeSlack", String(s.freeFloat * 10))
                x.element("Critical", s.isCritical ? "1" : "0")
            } else if let m = a.manualStart {
                x.element("Start", m.description)
            }
            x.element("Duration", isoDuration(a.duration.minutes))
            x.element("DurationFormat", a.duration.kind == .elapsed ? "8" : "7")
            if let m = a.manualStart {
                x.element("ManualStart", m.description)
                if let f = a.manualFinish { x.element("ManualFinish", f.description) }
            }
            let kinds: [ActivityConstraint.Kind] = [
                .asSoonAsPossible, .asLateAsPossible, .mustStartOn, .mustFinishOn,
                .startNoEarlierThan, .startNoLaterThan, .finishNoEarlierThan, .finishNoLaterThan,
            ]
            x.element("ConstraintType", String(kinds.firstIndex(of: a.constraint.kind) ?? 0))
            if let d = a.constraint.date { x.element("ConstraintDate", d.description) }
            if let d = a.deadline { x.element("Deadline", d.description) }
            x.element("CalendarUID", a.calendarID.map { String($0.rawValue) } ?? "-1")
            if a.levelingDelay.minutes > 0 {
                x.element("LevelingDelay", String(a.levelingDelay.minutes * 10))
                x.element("LevelingDelayFormat", a.levelingDelay.kind == .elapsed ? "8" : "7")
            }
            x.element("PercentComplete", String(Int(a.progress.percentComplete.rounded())))
            if let d = a.progress.actualStart { x.element("ActualStart", d.description) }
            if let d = a.progress.actualFinish { x.element("ActualFinish", d.description) }
            if let d = a.progress.remainingDuration { x.element("RemainingDuration", isoDuration(d.minutes)) }
            x.element("Cost", number(a.budgetedCost))
            x.element("ActualCost", number(a.actualCost))
            for b in a.baselines.sorted(by: { $0.number < $1.number }) {
                x.open("Baseline")
                x.element("Number", String(b.number))
                if let v = b.start { x.element("Start", v.description) }
                if let v = b.finish { x.element("Finish", v.description) }
                if let v = b.duration { x.element("Duration", isoDuration(v.minutes)) }
                if let v = b.cost { x.element("Cost", number(v)) }
                x.close("Baseline")
            }
            for d in predecessors[a.id] ?? [] {
                x.open("PredecessorLink")
                x.element("PredecessorUID", String(d.predecessor.rawValue))
                let type: Int
                switch d.kind {
                case .finishToFinish: type = 0
                case .finishToStart: type = 1
                case .startToFinish: type = 2
                case .startToStart: type = 3
                }
                x.element("Type", String(type))
                switch d.lag {
                case .working(let m):
                    x.element("LinkLag", String(m * 10))
                    x.element("LagFormat", "7")
                case .elapsed(let m):
                    x.element("LinkLag", String(m * 10))
                    x.element("LagFormat", "8")
                case .percent(let p):
                    x.element("LinkLag", String(Int((p * 10).rounded())))
                    x.element("LagFormat", "19")
                }
                x.close("PredecessorLink")
            }
            x.close("Task")
        }
        x.close("Tasks")
        if !plan.resources.isEmpty {
            x.open("Resources")
            for r in plan.resources {
                x.open("Resource")
                x.element("UID", String(r.id.rawValue))
                x.element("Name", r.name)
                x.element("Type", r.kind == .material ? "0" : r.kind == .cost ? "2" : "1")
                if !r.email.isEmpty { x.element("EmailAddress", r.email) }
                x.element("MaxUnits", number(r.maxUnits))
                x.element("StandardRate", number(r.standardRatePerHour))
                if let c = r.calendarID { x.element("CalendarUID", String(c.rawValue)) }
                x.close("Resource")
            }
            x.close("Resources")
        }
        if !plan.assignments.isEmpty {
            x.open("Assignments")
            for a in plan.assignments {
                x.open("Assignment")
                x.element("UID", String(a.number))
                x.element("TaskUID", String(a.activity.rawValue))
                x.element("ResourceUID", String(a.resource.rawValue))
                x.element("Units", number(a.units))
                x.element("Work", isoDuration(a.workMinutes))
                x.element("Cost", number(a.cost))
                x.close("Assignment")
            }
            x.close("Assignments")
        }
        x.close("Project")
        return x.text
    }

    static func writeCalendar(_ c: WorkCalendar, from lo: CivilDate, through hi: CivilDate, into x: inout XMLText) {
        x.open("Calendar")
        x.element("UID", String(c.id.rawValue))
        x.element("Name", c.name)
        x.element("IsBaseCalendar", "1")
        x.element("BaseCalendarUID", "-1")
        x.open("WeekDays")
        for (i, day) in c.week.enumerated() {
            x.open("WeekDay")
            x.element("DayType", String(i + 1))
            x.element("DayWorking", day.isEmpty ? "0" : "1")
            writeTimes(day, into: &x)
            x.close("WeekDay")
        }
        x.close("WeekDays")
        // Exceptions: consecutive days that differ from the week with the same working times become one period.
        x.open("Exceptions")
        var n = lo.dayNumber
        while n <= hi.dayNumber {
            let d = CivilDate(dayNumber: n)
            let times = c.workingTimes(on: d)
            guard times != c.week[d.weekday] else {
                n += 1
                continue
            }
            var end = n
            while end + 1 <= hi.dayNumber {
                let e = CivilDate(dayNumber: end + 1)
                let t = c.workingTimes(on: e)
                if t != times || t == c.week[e.weekday] { break }
                end += 1
            }
            x.open("Exception")
            x.open("TimePeriod")
            x.element("FromDate", "\(d)T00:00:00")
            x.element("ToDate", "\(CivilDate(dayNumber: end))T23:59:00")
            x.close("TimePeriod")
            x.element("Occurrences", "1")
            x.element("Name", exceptionName(c, d))
            x.element("Type", "1")
            x.element("DayWorking", times.isEmpty ? "0" : "1")
            writeTimes(times, into: &x)
            x.close("Exception")
            n = end + 1
        }
        x.close("Exceptions")
        x.close("Calendar")
    }

    static func exceptionName(_ c: WorkCalendar, _ d: CivilDate) -> String {
        if let e = c.exceptions.last(where: { $0.applies(to: d) }) { return e.name }
        return JapaneseHolidays.name(of: d) ?? "Exception"
    }

    static func writeTimes(_ times: [WorkingTimeRange], into x: inout XMLText) {
        guard !times.isEmpty else { return }
        x.open("WorkingTimes")
        for t in times {
            x.open("WorkingTime")
            x.element("FromTime", clock(t.start))
            x.element("ToTime", clock(t.end == 1440 ? 0 : t.end))
            x.close("WorkingTime")
        }
        x.close("WorkingTimes")
    }

    static func clock(_ m: Int) -> String {
        let h = m / 60
        let mm = m % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (mm < 10 ? "0\(mm)" : "\(mm)") + ":00"
    }

    /// `PT{h}H{m}M0S` for a minute count (negative gives a leading minus).
    static func isoDuration(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : ""
        let m = abs(minutes)
        return "\(sign)PT\(m / 60)H\(m % 60)M0S"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    /// A tiny indenting XML builder with escaping.
    struct XMLText {
        var text = ""
        var depth = 0
        mutating func raw(_ s: String) { text += s }
        mutating func open(_ name: String, attributes: String = "") {
            text += String(repeating: "\t", count: depth) + "<\(name)\(attributes)>\n"
            depth += 1
        }
        mutating func close(_ name: String) {
            depth -= 1
            text += String(repeating: "\t", count: depth) + "</\(name)>\n"
        }
        mutating func element(_ name: String, _ value: String) {
            text += String(repeating: "\t", count: depth) + "<\(name)>" + XMLText.escape(value) + "</\(name)>\n"
        }
        static func escape(_ s: String) -> String { XMLEscape.text(s) }
    }
}
