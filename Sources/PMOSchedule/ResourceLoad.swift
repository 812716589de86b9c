import PMOCore

/// One assignment's work on one day, in percent of a working day (100 = one person's full day).
public struct DailyLoad: Hashable, Sendable {
    public var activity: Activity.ID
    public var resource: Resource.ID
    public var day: CivilDate
    public var percent: Int
    public init(activity: Activity.ID, resource: Resource.ID, day: CivilDate, percent: Int) {
        self.activity = activity
        self.resource = resource
        self.day = day
        self.percent = percent
    }
}

/// What a plan's assignments ask of their resources, day by day: the overload map's and cross-project levelling's
/// measure of load.
public enum ResourceLoad {
    /// Each assignment of `plan`, scheduled as `result` says, per day from `from` through `through`: the activity's
    /// working minutes that day (on its own calendar, else the plan's) × its units, as a percentage of the plan's
    /// working day. Milestones ask nothing.
    public static func daily(plan: SchedulePlan, result: ScheduleResult, from: CivilDate, through: CivilDate) -> [DailyLoad] {
        guard from <= through, !plan.assignments.isEmpty else { return [] }
        let rows = Dictionary(result.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let activities = Dictionary(plan.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let calendars = Dictionary(plan.calendars.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var timelines: [WorkCalendar.ID: CalendarTimeline] = [:]
        func timeline(_ id: WorkCalendar.ID) -> CalendarTimeline {
            if let t = timelines[id] { return t }
            let t = CalendarTimeline(calendar: calendars[id] ?? calendars[plan.defaultCalendarID] ?? .japan, from: from, through: through)
            timelines[id] = t
            return t
        }
        let windowStart = LocalTime(date: from)
        let windowEnd = LocalTime(date: through.adding(days: 1))
        let perDay = max(1, plan.minutesPerDay)
        var out: [DailyLoad] = []
        for a in plan.assignments {
            guard let row = rows[a.activity], row.finish > row.start, row.finish > windowStart, row.start < windowEnd,
                  let activity = activities[a.activity], activity.kind != .milestone else { continue }
            let units = Int((a.units * 100).rounded())
            guard units > 0 else { continue }
            let t = timeline(activity.calendarID ?? plan.defaultCalendarID)
            var day = max(row.start, windowStart).date
            let last = min(row.finish, windowEnd).adding(minutes: -1).date
            while day <= last {
                let dayStart = LocalTime(date: day)
                let minutes = t.workingMinutes(from: max(row.start, dayStart), to: min(row.finish, dayStart.adding(minutes: 1440)))
                if minutes > 0 {
                    out.append(DailyLoad(activity: a.activity, resource: a.resource, day: day, percent: (minutes * units + perDay / 2) / perDay))
                }
                day = day.adding(days: 1)
            }
        }
        return out
    }
}

/// The periods of the overload map: weeks (Monday to Sunday) or days.
public struct LoadPeriods: Hashable, Sendable {
    public enum Scale: String, Hashable, Sendable, CaseIterable {
        case week
        case day
    }

    public var scale: Scale
    /// The first day of each period.
    public var starts: [CivilDate]

    /// `count` periods from the one holding `from` (a week starts on its Monday).
    public init(scale: Scale, from: CivilDate, count: Int) {
        self.scale = scale
        let first = scale == .week ? from.adding(days: -((from.weekday + 6) % 7)) : from
        let step = scale == .week ? 7 : 1
        starts = (0..<max(0, count)).map { first.adding(days: $0 * step) }
    }

    public var first: CivilDate { starts.first ?? CivilDate(dayNumber: 0) }
    /// The last day of the last period.
    public var last: CivilDate { (starts.last ?? first).adding(days: scale == .week ? 6 : 0) }

    /// The period `day` falls in, if any.
    public func index(of day: CivilDate) -> Int? {
        guard let first = starts.first, day >= first, day <= last else { return nil }
        return (day.dayNumber - first.dayNumber) / (scale == .week ? 7 : 1)
    }

    /// The days of period `i`.
    public func days(_ i: Int) -> [CivilDate] {
        (0..<(scale == .week ? 7 : 1)).map { starts[i].adding(days: $0) }
    }
}

/// How loaded a cell is, against its capacity.
public enum LoadLevel: String, Hashable, Sendable, CaseIterable {
    /// Nothing asked.
    case idle
    /// Up to 80 % of capacity.
    case light
    /// 80–100 %.
    case full
    /// Over capacity, up to 120 %.
    case over
    /// Over 120 %, or work on a day without capacity.
    case critical

    public init(load: Int, capacity: Int) {
        if load <= 0 { self = .idle; return }
        if capacity <= 0 { self = .critical; return }
        let ratio = Double(load) / Double(capacity)
        self = ratio <= 0.8 ? .light : ratio <= 1.0 ? .full : ratio <= 1.2 ? .over : .critical
    }

    public var isOverloaded: Bool { self == .over || self == .critical }
}
