import PMOCore

/// Levels a plan against its resources: the plan's activities and assignments become a `LevellingProblem` in working
/// days of the plan's default calendar, the `Leveller` finds the schedule, and the moves come back as levelling
/// delays on the activities (MS Project's Leveling Delay, in working minutes), never as constraints.
///
/// What it keeps, as a PMO expects: levelling values are cleared first (as MS Project does by default); nothing
/// starts before its unlevelled early start; work already started or done, manually scheduled activities and
/// must-start-on / must-finish-on activities stay where they are; start / finish no later than dates hold; each
/// resource's own calendar (absences, holidays) stretches the activities it works on, as the critical path
/// schedules them. With `withinSlack`, no activity moves past its late start, and conflicts that cannot be solved
/// that way are left and counted. Days are the unit: an activity holds its resources on every working day it
/// touches, and a moved activity starts at the first working minute of its new day.
public enum PlanLeveller {
    /// What to level and how hard.
    public struct Options: Hashable, Sendable {
        /// The search's options.
        public var search: Leveller.Options
        /// Only move activities within their total float ("level within slack only").
        public var withinSlack: Bool
        /// Level only these resources (nil: all work resources).
        public var resources: Set<Resource.ID>?
        /// What each resource has on given days, in percent (absences, dated capacity changes, what other projects
        /// already take); a day not listed has the resource's `maxUnits`.
        public var availability: [Resource.ID: [CivilDate: Int]]

        /// Options; by default every work resource, no slack limit.
        public init(search: Leveller.Options = .init(), withinSlack: Bool = false, resources: Set<Resource.ID>? = nil,
                    availability: [Resource.ID: [CivilDate: Int]] = [:]) {
            self.search = search
            self.withinSlack = withinSlack
            self.resources = resources
            self.availability = availability
        }
    }

    /// One activity moved by levelling.
    public struct Move: Hashable, Sendable {
        /// The activity.
        public var activity: Activity.ID
        /// Its start before levelling.
        public var from: LocalTime
        /// Its start after levelling.
        public var to: LocalTime
        /// The delay written on it.
        public var delay: WorkDuration
        /// The resources it was in conflict on at its old dates (over capacity on a day it ran).
        public var conflicts: [Resource.ID]
    }

    /// An assignment that asks more than its resource ever has.
    public struct Overallocation: Hashable, Sendable {
        /// The activity.
        public var activity: Activity.ID
        /// The resource.
        public var resource: Resource.ID
        /// Units asked, in percent.
        public var units: Int
        /// The resource's capacity, in percent.
        public var capacity: Int
    }

    /// A levelling proposal: the levelled plan and both schedules, for the PMO to compare, apply or discard.
    public struct Outcome: Hashable, Sendable {
        /// The plan with levelling delays set (all others cleared).
        public var plan: SchedulePlan
        /// The schedule without levelling.
        public var before: ScheduleResult
        /// The levelled schedule.
        public var after: ScheduleResult
        /// Activities moved, in plan order.
        public var moves: [Move]
        /// Resource-days over capacity before levelling.
        public var overloadsBefore: Int
        /// Resource-days still over capacity after levelling (0 when every conflict is solved).
        public var remainingOverloads: Int
        /// Activities that did not land on the day the leveller chose (0 normally; links inside a day can differ).
        public var unsettled: Int
        /// Assignments asking more of a resource than it has at all: levelled as if they asked its whole capacity,
        /// and listed here so the PMO can fix the units.
        public var overallocated: [Overallocation]
        /// What the search did.
        public var search: Leveller.Outcome
    }

    /// Levels `plan`. Throws `LevellingError` for a loop in the links or a demand a resource can never meet.
    public static func level(
        _ plan: SchedulePlan, options: Options = Options(), shouldStop: () -> Bool = { false }
    ) throws -> Outcome {
        var cleared = plan
        for i in cleared.activities.indices { cleared.activities[i].levelingDelay = .zero }
        let before = CriticalPath.schedule(cleared)
        if let cycle = before.diagnostics.first(where: { $0.code == .cycle }) {
            throw LevellingError.loop(activities: cycle.activities.map(\.rawValue))
        }
        let model = DayModel(plan: cleared, schedule: before, options: options)
        if model.workingDays.isEmpty {
            // A calendar without working days: nothing can be placed, and the critical path has said so already.
            let idle = Leveller.Outcome(
                starts: [], lateStarts: [], makespan: 0, remainingOverload: 0, criticalPathLength: 0, lowerBound: 0,
                schedules: 0, stoppedEarly: false)
            return Outcome(
                plan: cleared, before: before, after: before, moves: [], overloadsBefore: 0, remainingOverloads: 0, unsettled: 0,
                overallocated: model.overallocated, search: idle)
        }
        let search = try Leveller.level(model.problem, options: options.search, shouldStop: shouldStop)
        let wanted = search.starts
        var levelled = cleared
        let position = Dictionary(cleared.activities.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let dayLength = max(1, plan.minutesPerDay)
        func schedule(with delays: [Int]) -> ScheduleResult {
            for (k, id) in model.keys.enumerated() {
                if let i = position[id] { levelled.activities[i].levelingDelay = .working(delays[k]) }
            }
            return CriticalPath.schedule(levelled)
        }
        func landedStarts(_ result: ScheduleResult) -> [LocalTime?] {
            let row = Dictionary(result.activities.map { ($0.id, $0.start) }, uniquingKeysWith: { a, _ in a })
            return model.keys.map { row[$0] }
        }
        // Delays are working minutes added where the links put an activity once its predecessors have moved (the
        // critical path adds them on the activity's calendar). The first guess comes from the day model; then each
        // moved activity is brought to the first working minute of the day the leveller chose (so it touches no
        // more days than the model gave it), once all its predecessors have landed where they should.
        var delay = [Int](repeating: 0, count: model.keys.count)
        var pushed = model.problem.activities.map(\.release)
        var predecessors = [[Int]](repeating: [], count: model.keys.count)
        for e in model.problem.precedences {
            pushed[e.successor] = max(pushed[e.successor], wanted[e.predecessor] + e.distance)
            predecessors[e.successor].append(e.predecessor)
        }
        let free = model.problem.activities.indices.filter { model.problem.activities[$0].fixedStart == nil }
        for k in free { delay[k] = max(0, wanted[k] - pushed[k]) * dayLength }
        var after = schedule(with: delay)
        var landed = landedStarts(after)
        func settled(_ k: Int) -> Bool { landed[k].map(model.day(ofStart:)) == wanted[k] }
        for _ in 0..<50 {
            var changed = false
            for k in free where predecessors[k].allSatisfy(settled) {
                guard let start = landed[k] else { continue }
                // Aim at the chosen day's first minute when the activity was moved (or has to be).
                guard delay[k] > 0 || !settled(k) else { continue }
                let off = model.position(ofDayStart: wanted[k]) - model.position(start)
                let corrected = max(0, delay[k] + off)
                if corrected != delay[k] {
                    delay[k] = corrected
                    changed = true
                }
            }
            if !changed { break }
            after = schedule(with: delay)
            landed = landedStarts(after)
        }
        // A delay that moves nothing is not written.
        let startBefore = Dictionary(before.activities.map { ($0.id, $0.start) }, uniquingKeysWith: { a, _ in a })
        let startAfter = Dictionary(after.activities.map { ($0.id, $0.start) }, uniquingKeysWith: { a, _ in a })
        let idle = free.filter { delay[$0] > 0 && startBefore[model.keys[$0]] == startAfter[model.keys[$0]] }
        if !idle.isEmpty {
            for k in idle { delay[k] = 0 }
            after = schedule(with: delay)
            landed = landedStarts(after)
        }
        let afterRow = Dictionary(after.activities.map { ($0.id, $0.start) }, uniquingKeysWith: { a, _ in a })
        let overloadedBefore = model.overloadedDays(in: before)
        var moves: [Move] = []
        for k in free where delay[k] > 0 {
            let id = model.keys[k]
            guard let from = startBefore[id], let to = afterRow[id], to != from else { continue }
            let act = model.problem.activities[k]
            let days = act.release..<(act.release + max(1, act.duration))
            let conflicts = act.demands.filter { d in days.contains { overloadedBefore[d.resource].contains($0) } }
            moves.append(
                Move(
                    activity: id, from: from, to: to, delay: .working(delay[k]),
                    conflicts: conflicts.map { model.resourceIDs[$0.resource] }))
        }
        let remaining = model.overloadedDays(in: after).reduce(0) { $0 + $1.count }
        let unsettled = free.filter { !settled($0) }.count
        return Outcome(
            plan: levelled, before: before, after: after, moves: moves,
            overloadsBefore: overloadedBefore.reduce(0) { $0 + $1.count }, remainingOverloads: remaining,
            unsettled: unsettled, overallocated: model.overallocated, search: search)
    }
}

/// A plan seen in working days of its default calendar: the levelling problem and the day ↔ date arithmetic.
struct DayModel {
    /// Activity ids, by problem index (leaf activities only).
    var keys: [Activity.ID] = []
    /// Resource ids, by problem index.
    var resourceIDs: [Resource.ID] = []
    var problem = LevellingProblem(activities: [], resources: [], precedences: [])
    /// Day number (from 1970-01-01) of each working day, in order.
    var workingDays: [Int] = []
    var indexOfDay: [Int: Int] = [:]
    /// Assignments above their resource's capacity (levelled at the capacity).
    var overallocated: [PlanLeveller.Overallocation] = []
    /// The default calendar over the model's days: working-minute positions of instants.
    let timeline: CalendarTimeline

    init(plan: SchedulePlan, schedule: ScheduleResult, options: PlanLeveller.Options) {
        let rows = Dictionary(schedule.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Leaves as the critical path sees them: anything but a summary with children.
        let parents = Set(plan.activities.compactMap(\.parent))
        let leaves = plan.activities.filter { $0.kind != .summary || !parents.contains($0.id) }
        let calendar = plan.calendars.first { $0.id == plan.defaultCalendarID } ?? .msProjectStandard
        // Days from the earliest start to well past anything levelling can reach.
        let firstDay = (leaves.compactMap { rows[$0.id]?.start.dayNumber }.min() ?? plan.start.dayNumber) - 1
        let lastFinish = leaves.compactMap { rows[$0.id]?.finish.dayNumber }.max() ?? firstDay
        let work = leaves.reduce(0) { $0 + max(0, $1.duration.minutes) } / max(1, plan.minutesPerDay)
        let lastDay = lastFinish + 2 * work + 400
        timeline = CalendarTimeline(
            calendar: calendar, from: CivilDate(dayNumber: firstDay), through: CivilDate(dayNumber: lastDay))
        for d in firstDay...lastDay where Self.works(timeline, d) {
            indexOfDay[d] = workingDays.count
            workingDays.append(d)
        }

        // Resources: work resources only, in percent of one full-time person. Their own calendars (absences,
        // holidays) are already in the activities' durations: the critical path schedules an assigned activity's
        // work on its resources' working time, as MS Project does, so a day off stretches the activity instead of
        // blocking it.
        let chosen = plan.resources.filter { $0.kind == .work && (options.resources?.contains($0.id) ?? true) }
        resourceIDs = chosen.map(\.id)
        let resourceIndex = Dictionary(chosen.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let workingDays = self.workingDays
        let resources = chosen.map { r in
            let capacity = Self.percent(r.maxUnits)
            // Days with less (or more) than the usual capacity become the resource's profile over the working days.
            let profile = options.availability[r.id].map { days in
                workingDays.map { d in max(0, min(LevellingProblem.maximumUnits, days[CivilDate(dayNumber: d)] ?? capacity)) }
            } ?? []
            return LevellingProblem.Resource(key: r.id.rawValue, name: r.name, capacity: capacity, profile: profile)
        }

        // Activities: durations in days touched, released at their unlevelled start.
        keys = leaves.map(\.id)
        let index = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var demands = [[LevellingProblem.Demand]](repeating: [], count: keys.count)
        for a in plan.assignments {
            guard let k = index[a.activity], let r = resourceIndex[a.resource] else { continue }
            let units = Self.percent(a.units)
            let capacity = resources[r].capacity
            if units > capacity {
                overallocated.append(.init(activity: a.activity, resource: a.resource, units: units, capacity: capacity))
            }
            if min(units, capacity) > 0 { demands[k].append(.init(resource: r, units: min(units, capacity))) }
        }
        var acts: [LevellingProblem.Activity] = []
        for (k, a) in leaves.enumerated() {
            let row = rows[a.id]
            let start = row.map { day(ofStart: $0.start) } ?? 0
            let duration = row.map { $0.finish > $0.start ? max(1, day(ofFinish: $0.finish) - start + 1) : 0 } ?? 0
            let stays =
                a.progress.actualStart != nil || a.progress.actualFinish != nil || a.progress.percentComplete > 0
                || a.manualStart != nil || a.constraint.kind == .mustStartOn || a.constraint.kind == .mustFinishOn
            // Start / finish no later than: a latest start whatever the options; within slack: the late start.
            var latest: Int? = options.withinSlack ? max(start, row.map { day(ofStart: $0.lateStart) } ?? start) : nil
            if let date = a.constraint.date, a.constraint.kind == .startNoLaterThan {
                latest = min(latest ?? Int.max, max(start, day(ofStart: date)))
            }
            if let date = a.constraint.date, a.constraint.kind == .finishNoLaterThan {
                latest = min(latest ?? Int.max, max(start, day(ofFinish: date) - max(1, duration) + 1))
            }
            acts.append(
                .init(
                    key: a.id.rawValue, name: a.name, duration: duration, release: start, latestStart: latest,
                    fixedStart: stays ? start : nil, demands: demands[k]))
        }

        // Links between leaves (a link on a summary applies to every leaf under it), as day distances no wider
        // than what the unlevelled schedule shows, so an unlevelled plan is never moved by rounding.
        var children: [Activity.ID: [Activity.ID]] = [:]
        for a in plan.activities { if let p = a.parent { children[p, default: []].append(a.id) } }
        func leafKeys(_ id: Activity.ID) -> [Int] {
            if let k = index[id] { return [k] }
            return (children[id] ?? []).flatMap(leafKeys)
        }
        // The critical path ignores links into started and manually scheduled activities; so does the model.
        let linkless = Set(
            leaves.filter { $0.progress.actualStart != nil || $0.progress.actualFinish != nil || $0.manualStart != nil }
                .map(\.id))
        var precedences: [LevellingProblem.Precedence] = []
        for dep in plan.dependencies where !linkless.contains(dep.successor) {
            for p in leafKeys(dep.predecessor) {
                for s in leafKeys(dep.successor) where p != s {
                    let lag = Self.lagDays(dep.lag, predecessorDays: acts[p].duration, minutesPerDay: plan.minutesPerDay)
                    var distance: Int
                    switch dep.kind {
                    case .finishToStart: distance = acts[p].duration + lag
                    case .startToStart: distance = lag
                    case .finishToFinish: distance = acts[p].duration + lag - acts[s].duration
                    case .startToFinish: distance = lag - acts[s].duration
                    }
                    distance = min(distance, acts[s].release - acts[p].release)
                    precedences.append(.init(predecessor: p, successor: s, distance: distance))
                }
            }
        }
        problem = LevellingProblem(activities: acts, resources: resources, precedences: precedences)
    }

    /// Units as a whole percentage, 0 for nonsense (negative, not finite), at most the problem's maximum.
    static func percent(_ units: Double) -> Int {
        guard units.isFinite, units > 0 else { return 0 }
        return Int(min(units * 100, Double(LevellingProblem.maximumUnits)).rounded())
    }

    static func works(_ timeline: CalendarTimeline, _ dayNumber: Int) -> Bool {
        let start = LocalTime(minutes: dayNumber * 1440)
        return timeline.workingMinutes(from: start, to: start.adding(minutes: 1440)) > 0
    }

    static func lagDays(_ lag: DependencyLag, predecessorDays: Int, minutesPerDay: Int) -> Int {
        func days(_ minutes: Int, per: Int) -> Int {
            minutes >= 0 ? (minutes + per - 1) / per : -((-minutes) / per)
        }
        switch lag {
        case .working(let m): return days(m, per: max(1, minutesPerDay))
        case .elapsed(let m): return days(m * 5 / 7, per: 1440)  // 7 elapsed days ≈ 5 working days
        case .percent(let p): return Int((Double(predecessorDays) * p / 100).rounded(.up))
        }
    }

    /// The working day a start-style instant falls on (the next one when it is not a working day).
    func day(ofStart t: LocalTime) -> Int {
        guard let last = workingDays.last else { return 0 }
        var d = t.dayNumber
        while indexOfDay[d] == nil && d <= last { d += 1 }
        return indexOfDay[d] ?? workingDays.count
    }

    /// The working day a finish-style instant ends (the day of the minute before it).
    func day(ofFinish t: LocalTime) -> Int {
        guard let first = workingDays.first else { return 0 }
        var d = t.adding(minutes: -1).dayNumber
        while indexOfDay[d] == nil && d >= first { d -= 1 }
        return indexOfDay[d] ?? 0
    }

    /// Working-minute position of an instant on the default calendar.
    func position(_ t: LocalTime) -> Int { timeline.position(t) }

    /// Working-minute position of the first working minute of working day `k`.
    func position(ofDayStart k: Int) -> Int {
        guard !workingDays.isEmpty else { return 0 }
        let d = k < workingDays.count ? workingDays[max(0, k)] : workingDays[workingDays.count - 1] + 1
        return timeline.position(LocalTime(minutes: d * 1440))
    }

    /// Per resource, the working days on which its work in `result` is more than its capacity that day (working
    /// minutes × units, so two half days of one person on one day are not an overload).
    func overloadedDays(in result: ScheduleResult) -> [Set<Int>] {
        let rows = Dictionary(result.activities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var load = [[Int: Int]](repeating: [:], count: problem.resources.count)
        for (k, a) in problem.activities.enumerated() where !a.demands.isEmpty {
            guard let row = rows[keys[k]], row.finish > row.start else { continue }
            let from = position(row.start)
            let to = position(row.finish)
            for day in day(ofStart: row.start)...max(day(ofStart: row.start), day(ofFinish: row.finish)) {
                let minutes = min(to, position(ofDayStart: day + 1)) - max(from, position(ofDayStart: day))
                guard minutes > 0 else { continue }
                for d in a.demands { load[d.resource][day, default: 0] += minutes * d.units }
            }
        }
        return load.enumerated().map { r, days in
            Set(days.filter { day, used in
                let minutes = position(ofDayStart: day + 1) - position(ofDayStart: day)
                return used > minutes * problem.resources[r].capacity(at: day)
            }.keys)
        }
    }
}
