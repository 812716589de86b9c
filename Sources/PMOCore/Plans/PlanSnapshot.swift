import Foundation

/// A saved baseline of a plan: for each activity, its dates, duration and budget when the baseline was set.
public struct PlanBaseline: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var uid: Int
        public var start: LocalTime?
        public var finish: LocalTime?
        public var duration: WorkDuration?
        /// The budget saved with the baseline, in whole yen.
        public var cost: Money?
        public init(uid: Int, start: LocalTime?, finish: LocalTime?, duration: WorkDuration?, cost: Money?) {
            self.uid = uid
            self.start = start
            self.finish = finish
            self.duration = duration
            self.cost = cost
        }
    }
    /// 0...10, as in Microsoft Project.
    public var number: Int
    public var name: String
    /// The day the baseline was taken.
    public var takenOn: CivilDate
    public var entries: [Entry]
    public init(number: Int, name: String, takenOn: CivilDate, entries: [Entry]) {
        self.number = number
        self.name = name
        self.takenOn = takenOn
        self.entries = entries
    }
}

/// Everything stored about one project's plan, read in one go: what the engine and every plan page work from.
public struct PlanSnapshot: Sendable {
    public var name: String
    /// The plan starts no earlier than this (usually midnight of its first day; an imported plan keeps its time).
    public var start: LocalTime
    public var startDate: CivilDate { start.date }
    /// The status date progress is reported against.
    public var statusDate: CivilDate?
    public var minutesPerDay: Int
    /// How summaries weigh their rows' % complete.
    public var progressWeighting: ProgressWeighting
    public var defaultCalendarUID: Int
    public var calendars: [PlanCalendar]
    public var companies: [PlanCompanyTerms]
    /// In any order; `ordered` gives WBS order.
    public var activities: [PlanActivity]
    public var dependencies: [PlanDependency]
    public var baselines: [PlanBaseline]
    public var phases: [PlanPhase]
    /// The resources its activities are assigned to (engine ids: each resource's organisation-wide number).
    public var resources: [Resource]
    public var assignments: [ResourceAssignment]
    /// Each resource's company, by number (equipment has none).
    public var resourceCompanies: [Int: CompanyID]

    public init(name: String, start: LocalTime, statusDate: CivilDate? = nil, minutesPerDay: Int = 480,
                progressWeighting: ProgressWeighting = .duration, defaultCalendarUID: Int, calendars: [PlanCalendar], companies: [PlanCompanyTerms] = [],
                activities: [PlanActivity], dependencies: [PlanDependency], baselines: [PlanBaseline] = [],
                phases: [PlanPhase] = [], resources: [Resource] = [], assignments: [ResourceAssignment] = [],
                resourceCompanies: [Int: CompanyID] = [:]) {
        self.name = name
        self.start = start
        self.statusDate = statusDate
        self.minutesPerDay = minutesPerDay
        self.progressWeighting = progressWeighting
        self.defaultCalendarUID = defaultCalendarUID
        self.calendars = calendars
        self.companies = companies
        self.activities = activities
        self.dependencies = dependencies
        self.baselines = baselines
        self.phases = phases
        self.resources = resources
        self.assignments = assignments
        self.resourceCompanies = resourceCompanies
    }
}

/// An activity placed in the WBS: its row, depth, outline number ("1.2.3") and whether it has children.
public struct WBSRow: Sendable, Hashable {
    public var activity: PlanActivity
    public var level: Int
    public var outline: String
    public var hasChildren: Bool
}

extension PlanSnapshot {
    /// Activities in WBS order (depth first, siblings by position then uid), with depth and outline numbers.
    /// Activities whose parent is missing, or that sit in a parent loop, are placed at the top level.
    public func wbs() -> [WBSRow] {
        let uids = Set(activities.map(\.uid))
        var children: [Int?: [PlanActivity]] = [:]
        for a in activities {
            let parent = a.parentUID.flatMap { uids.contains($0) && $0 != a.uid ? $0 : nil }
            children[parent, default: []].append(a)
        }
        for key in children.keys {
            children[key]!.sort { ($0.position, $0.uid) < ($1.position, $1.uid) }
        }
        var rows: [WBSRow] = []
        rows.reserveCapacity(activities.count)
        var placed = Set<Int>()
        func visit(_ parent: Int?, level: Int, prefix: String) {
            for (i, a) in (children[parent] ?? []).enumerated() where placed.insert(a.uid).inserted {
                let outline = prefix.isEmpty ? "\(i + 1)" : "\(prefix).\(i + 1)"
                rows.append(WBSRow(activity: a, level: level, outline: outline, hasChildren: !(children[a.uid] ?? []).isEmpty))
                visit(a.uid, level: level + 1, prefix: outline)
            }
        }
        visit(nil, level: 1, prefix: "")
        // Rows caught in a parent loop were never reached from the top: show them at the top level.
        var next = (children[nil] ?? []).count
        for a in activities.sorted(by: { $0.uid < $1.uid }) where !placed.contains(a.uid) {
            next += 1
            placed.insert(a.uid)
            rows.append(WBSRow(activity: a, level: 1, outline: "\(next)", hasChildren: false))
        }
        return rows
    }

    /// Hourly rates by company.
    public var rates: [CompanyID: Money] {
        var r: [CompanyID: Money] = [:]
        for c in companies { if let rate = c.hourlyRate { r[c.companyID] = rate } }
        return r
    }

    /// The calendar an activity is scheduled on: its own, else its company's, else the project's.
    public func calendarUID(for a: PlanActivity) -> Int {
        if let own = a.calendarUID, calendars.contains(where: { $0.uid == own }) { return own }
        if let company = a.companyID, let c = companies.first(where: { $0.companyID == company })?.calendarUID,
           calendars.contains(where: { $0.uid == c }) { return c }
        return defaultCalendarUID
    }

    /// The engine's calendars: a derived calendar gets its base's week, holidays and exceptions, then its own closures.
    public func resolvedCalendars() -> [WorkCalendar] {
        let byUID = Dictionary(calendars.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
        func resolve(_ c: PlanCalendar, depth: Int) -> WorkCalendar {
            guard let baseUID = c.baseUID, baseUID != c.uid, depth < 8, let base = byUID[baseUID] else {
                var own = c.calendar
                own.id = WorkCalendar.ID(c.uid)
                return own
            }
            return resolve(base, depth: depth + 1).derived(id: WorkCalendar.ID(c.uid), name: c.calendar.name,
                                                          closures: c.calendar.exceptions)
        }
        return calendars.map { resolve($0, depth: 0) }
    }

    /// The plan as the scheduling engine takes it, in WBS order, with baselines attached.
    public func schedulePlan(rows: [WBSRow]? = nil) -> SchedulePlan {
        let rows = rows ?? wbs()
        let rates = self.rates
        var baselinesByUID: [Int: [ActivityBaseline]] = [:]
        for b in baselines {
            for e in b.entries {
                baselinesByUID[e.uid, default: []].append(
                    ActivityBaseline(number: b.number, start: e.start, finish: e.finish, duration: e.duration, cost: e.cost?.approximate))
            }
        }
        let activities = rows.map { row -> Activity in
            let a = row.activity
            let rate = a.companyID.flatMap { rates[$0] }
            let kind: Activity.Kind = row.hasChildren ? .summary : (a.kind == .summary ? .task : a.kind)
            var activity = Activity(
                id: Activity.ID(a.uid), name: a.name, kind: kind, parent: row.level > 1 ? a.parentUID.map(Activity.ID.init) : nil,
                duration: kind == .milestone ? .zero : a.duration,
                calendarID: WorkCalendar.ID(calendarUID(for: a)), constraint: a.constraint, deadline: a.deadline,
                progress: a.progress, budgetedCost: row.hasChildren ? 0 : a.budget(rate: rate).approximate,
                actualCost: row.hasChildren ? 0 : a.actual(rate: rate).approximate,
                manualStart: a.manualStart, manualFinish: a.manualFinish,
                baselines: baselinesByUID[a.uid] ?? [], levelingDelay: row.hasChildren ? .zero : a.levelingDelay)
            activity.effortDriven = a.effortDriven && !row.hasChildren
            return activity
        }
        let calendars = resolvedCalendars()
        let def = WorkCalendar.ID(defaultCalendarUID)
        return SchedulePlan(
            name: name, start: start, calendars: calendars.isEmpty ? [WorkCalendar.japan] : calendars,
            defaultCalendarID: calendars.isEmpty ? WorkCalendar.japan.id : def, activities: activities,
            dependencies: dependencies.map {
                Dependency(from: Activity.ID($0.predecessorUID), to: Activity.ID($0.successorUID), kind: $0.kind, lag: $0.lag)
            },
            statusDate: statusDate.map(PlanSnapshot.endOfDay), minutesPerDay: minutesPerDay,
            resources: resources, assignments: assignments)
    }

    /// A status date counts the whole day: progress "as of" a date is as of its end.
    public static func endOfDay(_ date: CivilDate) -> LocalTime { LocalTime(date: date, minuteOfDay: 1440) }
}

extension LocalTime {
    /// The day a finish instant belongs to: midnight ends the day before (the inverse of `PlanSnapshot.endOfDay`).
    public var finishDay: CivilDate { minuteOfDay == 0 ? date.adding(days: -1) : date }
}
