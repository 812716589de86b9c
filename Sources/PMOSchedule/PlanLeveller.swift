import PMOCore

/// Levels a plan against its resources: the plan's activities and assignments become a `LevellingProblem` in working
/// days of the plan's default calendar, the `Leveller` finds the schedule, and the moves come back as levelling
/// delays on the activities (MS Project's Leveling Delay, in elapsed days), never as constraints.
///
/// What it keeps, as a PMO expects: levelling values are cleared first (as MS Project does by default); nothing
/// starts before its unlevelled early start; work already started or done, manually scheduled activities and
/// must-start-on / must-finish-on activities stay where they are; each resource's own calendar (absences,
/// holidays) stretches the activities it works on, as the critical path schedules them. With `withinSlack`, no activity moves past its late
/// start, and conflicts that cannot be solved that way are left and counted. Days are the unit: an activity holds
/// its resources on every working day it touches.
public enum PlanLeveller {
    /// What to level and how hard.
    public struct Options: Hashable, Sendable {
        /// The search's options.
        public var search: Leveller.Options
        /// Only move activities within their total float ("level within slack only").
        public var withinSlack: Bool
        /// Level only these resources (nil: all work resources).
        public var resources: Set<Resource.ID>?

        /// Options; by default every work resource, no slack limit.
        public init(search: Leveller.Options = .init(), withinSlack: Bool = false, resources: Set<Resource.ID>? = nil) {
            self.search = search
            self.withinSlack = withinSlack
            self.resources = resources
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
        /// Resource-days still over capacity after levelling (0 when every conflict is solved).
        public var remainingOverloads: Int
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
        let search = try Leveller.level(model.problem, options: options.search, shouldStop: shouldStop)
        var levelled = cleared
        var after = before
        // Delays measured from the day model; the critical path then places each activity, and any that lands on
        // another day than the leveller chose is corrected (a few rounds at most: links inside a day differ).
        var delayDays = [Int](repeating: 0, count: model.keys.count)
        // First guess: from where the links put each activity once its predecessors have moved.
        var pushed = model.problem.activities.map(\.release)
        for e in model.problem.precedences {
            pushed[e.successor] = max(pushed[e.successor], search.starts[e.predecessor] + e.distance)
        }
        for (k, a) in model.problem.activities.enumerated() where a.fixedStart == nil {
            delayDays[k] = max(0, model.calendarDays(from: pushed[k], to: search.starts[k]))
        }
        for k in model.keys.indices {
            guard let i = levelled.activities.firstIndex(where: { $0.id == model.keys[k] }) else { continue }
            levelled.activities[i].levelingDelay = .elapsed(delayDays[k] * 1440)
        }
        after = CriticalPath.schedule(levelled)
        for _ in 0..<6 {
            var changed = false
            let row = Dictionary(uniqueKeysWithValues: after.activities.map { ($0.id, $0) })
            for (k, id) in model.keys.enumerated() where model.problem.activities[k].fixedStart == nil {
                guard let scheduled = row[id] else { continue }
                let landed = model.day(ofStart: scheduled.start)
                let wanted = search.starts[k]
                if landed != wanted {
                    let corrected = max(0, delayDays[k] + model.calendarDays(from: landed, to: wanted))
                    if corrected != delayDays[k] {
                        delayDays[k] = corrected
                        changed = true
                    }
                }
            }
            if !changed { break }
            for (k, id) in model.keys.enumerated() {
                guard let i = levelled.activities.firstIndex(where: { $0.id == id }) else { continue }
                levelled.activities[i].levelingDelay = .elapsed(delayDays[k] * 1440)
            }
            after = CriticalPath.schedule(levelled)
        }
        let beforeRow = Dictionary(uniqueKeysWithValues: before.activities.map { ($0.id, $0) })
        let afterRow = Dictionary(uniqueKeysWithValues: after.activities.map { ($0.id, $0) })
        let overloadedBefore = model.overloadedDays(starts: model.problem.activities.map(\.release))
        var moves: [Move] = []
        for (k, id) in model.keys.enumerated() where delayDays[k] > 0 {
            guard let b = beforeRow[id], let a = afterRow[id], a.start != b.start else { continue }
            let act = model.problem.activities[k]
            let conflicts = act.demands.filter { d in
                (act.release..<(act.release + max(1, act.duration))).contains { overloadedBefore[d.resource].contains($0) }
            }.map { model.resourceIDs[$0.resource] }
            moves.append(Move(activity: id, from: b.start, to: a.start, delay: .elapsed(delayDays[k] * 1440), conflicts: conflicts))
        }
        let afterStarts = model.keys.map { id in afterRow[id].map { model.day(ofStart: $0.start) } ?? 0 }
        let remaining = model.overloadedDays(starts: afterStarts).reduce(0) { $0 + $1.count }
        return Outcome(
            plan: levelled, before: before, after: after, moves: moves, remainingOverloads: remaining, search: search)
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

    init(plan: SchedulePlan, schedule: ScheduleResult, options: PlanLeveller.Options) {
        let rows = Dictionary(uniqueKeysWithValues: schedule.activities.map { ($0.id, $0) })
        let parents = Set(plan.activities.compactMap(\.parent))
        let leaves = plan.activities.filter { !parents.contains($0.id) && $0.kind != .summary }
        let calendar = plan.calendars.first { $0.id == plan.defaultCalendarID } ?? .msProjectStandard
        // Days from the earliest start to well past anything levelling can reach.
        let firstDay = (leaves.compactMap { rows[$0.id]?.start.dayNumber }.min() ?? plan.start.dayNumber) - 1
        let lastFinish = leaves.compactMap { rows[$0.id]?.finish.dayNumber }.max() ?? firstDay
        let work = leaves.reduce(0) { $0 + max(0, $1.duration.minutes) } / max(1, plan.minutesPerDay)
        let lastDay = lastFinish + 2 * work + 400
        let timeline = CalendarTimeline(
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
        let resourceIndex = Dictionary(uniqueKeysWithValues: chosen.enumerated().map { ($1.id, $0) })
        let resources = chosen.map { r in
            LevellingProblem.Resource(key: r.id.rawValue, name: r.name, capacity: Int((r.maxUnits * 100).rounded()))
        }

        // Activities: durations in days touched, released at their unlevelled start.
        keys = leaves.map(\.id)
        let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        var demands = [[LevellingProblem.Demand]](repeating: [], count: keys.count)
        for a in plan.assignments {
            guard let k = index[a.activity], let r = resourceIndex[a.resource] else { continue }
            let units = Int((a.units * 100).rounded())
            if units > 0 { demands[k].append(.init(resource: r, units: units)) }
        }
        var acts: [LevellingProblem.Activity] = []
        for (k, a) in leaves.enumerated() {
            let row = rows[a.id]
            let start = row.map { day(ofStart: $0.start) } ?? 0
            let duration = row.map { $0.finish > $0.start ? max(1, day(ofFinish: $0.finish) - start + 1) : 0 } ?? 0
            let stays =
                a.progress.actualStart != nil || a.progress.actualFinish != nil || a.progress.percentComplete > 0
                || a.manualStart != nil || a.constraint.kind == .mustStartOn || a.constraint.kind == .mustFinishOn
            acts.append(
                .init(
                    key: a.id.rawValue, name: a.name, duration: duration, release: start,
                    latestStart: options.withinSlack ? max(start, row.map { day(ofStart: $0.lateStart) } ?? start) : nil,
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
        var precedences: [LevellingProblem.Precedence] = []
        for dep in plan.dependencies {
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
        case .elapsed(let m): return days(m * 5 / 7, per: 1440 * 5 / 7)
        case .percent(let p): return Int((Double(predecessorDays) * p / 100).rounded(.up))
        }
    }

    /// The working day a start-style instant falls on (the next one when it is not a working day).
    func day(ofStart t: LocalTime) -> Int {
        var d = t.dayNumber
        while indexOfDay[d] == nil && d <= (workingDays.last ?? d) { d += 1 }
        return indexOfDay[d] ?? workingDays.count
    }

    /// The working day a finish-style instant ends (the day of the minute before it).
    func day(ofFinish t: LocalTime) -> Int {
        var d = t.adding(minutes: -1).dayNumber
        while indexOfDay[d] == nil && d >= (workingDays.first ?? d) { d -= 1 }
        return indexOfDay[d] ?? 0
    }

    /// Calendar days between two working days (negative when `b` is before `a`).
    func calendarDays(from a: Int, to b: Int) -> Int {
        func date(_ k: Int) -> Int {
            if workingDays.isEmpty { return k }
            return k < workingDays.count ? workingDays[max(0, k)] : workingDays[workingDays.count - 1] + (k - workingDays.count + 1)
        }
        return date(b) - date(a)
    }

    /// Per resource, the working days its load is over capacity when activities start on `starts`.
    func overloadedDays(starts: [Int]) -> [Set<Int>] {
        var load = [[Int: Int]](repeating: [:], count: problem.resources.count)
        for (k, a) in problem.activities.enumerated() where a.duration > 0 {
            for d in a.demands {
                for t in starts[k]..<(starts[k] + a.duration) { load[d.resource][t, default: 0] += d.units }
            }
        }
        return load.enumerated().map { r, days in
            Set(days.filter { $0.value > problem.resources[r].capacity(at: $0.key) }.keys)
        }
    }
}
