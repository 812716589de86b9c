import Foundation
import PMOCore

/// Critical path method: forward and backward pass, floats, constraints, summary roll-up and diagnostics.
///
/// Deterministic: activities are taken in topological order with ties broken by plan order. Never loops:
/// a dependency cycle stops scheduling with a `schedule.cycle` diagnostic naming the activities on it.
public enum CriticalPath {
    /// Tuning knobs; the defaults follow Microsoft Project.
    public struct Options: Hashable, Sendable {
        /// An activity is critical when its total float is at or below this many working minutes (MS Project: 0).
        public var criticalSlackLimit: Int
        /// Days of calendar kept before the earliest and after the latest date the plan can reach.
        public var calendarMarginDays: Int

        /// Options with Microsoft Project's defaults.
        public init(criticalSlackLimit: Int = 0, calendarMarginDays: Int = 400) {
            self.criticalSlackLimit = criticalSlackLimit
            self.calendarMarginDays = calendarMarginDays
        }
    }

    /// Link types packed for the inner loops.
    @usableFromInline enum LinkKind: UInt8 { case fs, ss, ff, sf }

    /// Schedules `plan`: early and late dates, floats and critical flags of every activity, with diagnostics.
    public static func schedule(_ plan: SchedulePlan, options: Options = Options()) -> ScheduleResult {
        var engine = Engine(plan: plan, options: options)
        return engine.run()
    }

    struct Engine {
        let plan: SchedulePlan
        let options: Options
        var diagnostics: [ScheduleDiagnostic] = []
        let n: Int
        var isLeaf: [Bool] = []
        var children: [[Int]] = []
        // Links, compressed by successor (incoming) and by predecessor (outgoing).
        var edgePred: [Int32] = [], edgeSucc: [Int32] = [], edgeKind: [LinkKind] = [], edgeLag: [DependencyLag] = []
        var inStart: [Int] = [], inEdges: [Int32] = [], outStart: [Int] = [], outEdges: [Int32] = []
        var order: [Int32] = []
        var calendarIndex: [Int] = []
        var timelines: [CalendarTimeline] = []
        var es: [Int] = [], ef: [Int] = [], ls: [Int] = [], lf: [Int] = []
        var durations: [WorkDuration] = []
        /// True for activities with progress, a manual start or a constraint (the slow path of the passes).
        var special: [Bool] = []
        /// Resource-driven activities: per assignment, the resource calendar's timeline index and the working minutes
        /// it needs (work ÷ units). Only for tasks without their own calendar whose resources work on other calendars.
        var legs: [Int: [(calendar: Int, minutes: Int)]] = [:]

        static let maxCalendarDays = 4_000_000

        init(plan: SchedulePlan, options: Options) {
            self.plan = plan
            self.options = options
            self.n = plan.activities.count
        }

        mutating func run() -> ScheduleResult {
            let indexOf = ActivityIndex(plan.activities)
            buildTree(indexOf: indexOf)
            buildEdges(indexOf: indexOf)
            durations = plan.activities.map(\.duration)
            special = plan.activities.map {
                $0.progress.actualStart != nil || $0.progress.actualFinish != nil || $0.progress.percentComplete >= 100
                    || $0.manualStart != nil
                    || $0.constraint.kind != .asSoonAsPossible || $0.levelingDelay.minutes > 0
            }
            guard topologicalOrder() else {
                return ScheduleResult(
                    activities: [], projectStart: plan.start, projectFinish: plan.start, diagnostics: diagnostics)
            }
            assignCalendars()
            assignResourceLegs()
            var horizon = estimateHorizonMinutes()
            var attempt = 0
            while true {
                buildTimelines(horizonMinutes: horizon)
                forwardPass()
                let finish = projectFinishMinutes()
                let atEnd = timelines.contains { finish >= $0.rangeEnd.minutes - 1440 && $0.totalWorkingMinutes > 0 }
                if attempt >= 4 || !atEnd || timelines.contains(where: { $0.dayCount >= Self.maxCalendarDays }) {
                    break
                }
                horizon = max(horizon * 4, 1440 * 3650)
                attempt += 1
                diagnostics.removeAll { $0.code == .constraintConflict }
            }
            let idle = Set(timelines.indices.filter { timelines[$0].totalWorkingMinutes == 0 })
            if !idle.isEmpty {
                let ids = (0..<n).filter {
                    isLeaf[$0] && idle.contains(calendarIndex[$0]) && durations[$0].kind == .working
                }
                .map { plan.activities[$0].id }
                if !ids.isEmpty {
                    diagnostics.append(
                        ScheduleDiagnostic(
                            .noWorkingTime, "\(ids.count) activities use a calendar without any working time.",
                            activities: ids))
                }
            }
            backwardPass()
            return finish()
        }

        // MARK: structure

        mutating func buildTree(indexOf: ActivityIndex) {
            children = Array(repeating: [], count: n)
            for (i, a) in plan.activities.enumerated() {
                if let p = a.parent, let pi = indexOf[p], pi != i { children[pi].append(i) }
            }
            isLeaf = (0..<n).map { plan.activities[$0].kind != .summary || children[$0].isEmpty }
        }

        func leaves(of i: Int) -> [Int] {
            if isLeaf[i] { return [i] }
            var out: [Int] = []
            var stack = [i]
            var seen = Set<Int>()
            while let x = stack.popLast() {
                guard seen.insert(x).inserted else { continue }
                if isLeaf[x] { out.append(x) } else { stack.append(contentsOf: children[x].reversed()) }
            }
            return out.sorted()
        }

        mutating func buildEdges(indexOf: ActivityIndex) {
            var unknown: [Activity.ID] = []
            for d in plan.dependencies {
                guard let p = indexOf[d.predecessor], let s = indexOf[d.successor] else {
                    unknown.append(indexOf[d.predecessor] == nil ? d.predecessor : d.successor)
                    continue
                }
                let kind: LinkKind
                switch d.kind {
                case .finishToStart: kind = .fs
                case .startToStart: kind = .ss
                case .finishToFinish: kind = .ff
                case .startToFinish: kind = .sf
                }
                // A link on a summary applies to every task under it.
                let ps = isLeaf[p] ? [p] : leaves(of: p)
                let ss = isLeaf[s] ? [s] : leaves(of: s)
                for a in ps {
                    for b in ss {
                        edgePred.append(Int32(a))
                        edgeSucc.append(Int32(b))
                        edgeKind.append(kind)
                        edgeLag.append(d.lag)
                    }
                }
            }
            if !unknown.isEmpty {
                diagnostics.append(
                    ScheduleDiagnostic(
                        .unknownActivity, "Links name activities that do not exist; those links are ignored.",
                        activities: unknown))
            }
            let m = edgePred.count
            inStart = [Int](repeating: 0, count: n + 1)
            outStart = [Int](repeating: 0, count: n + 1)
            for e in 0..<m {
                inStart[Int(edgeSucc[e]) + 1] += 1
                outStart[Int(edgePred[e]) + 1] += 1
            }
            for i in 0..<n {
                inStart[i + 1] += inStart[i]
                outStart[i + 1] += outStart[i]
            }
            var inFill = inStart
            var outFill = outStart
            inEdges = [Int32](repeating: 0, count: m)
            outEdges = [Int32](repeating: 0, count: m)
            for e in 0..<m {
                let s = Int(edgeSucc[e])
                let p = Int(edgePred[e])
                inEdges[inFill[s]] = Int32(e)
                inFill[s] += 1
                outEdges[outFill[p]] = Int32(e)
                outFill[p] += 1
            }
        }

        /// Kahn's algorithm, FIFO from plan order; on a cycle, reports each strongly connected component.
        mutating func topologicalOrder() -> Bool {
            var indegree = [Int](repeating: 0, count: n)
            for i in 0..<n { indegree[i] = inStart[i + 1] - inStart[i] }
            order.reserveCapacity(n)
            for i in 0..<n where indegree[i] == 0 { order.append(Int32(i)) }
            var head = 0
            while head < order.count {
                let i = Int(order[head])
                head += 1
                for k in outStart[i]..<outStart[i + 1] {
                    let s = Int(edgeSucc[Int(outEdges[k])])
                    indegree[s] -= 1
                    if indegree[s] == 0 { order.append(Int32(s)) }
                }
            }
            if order.count == n { return true }
            for component in cycles(among: indegree.map { $0 > 0 }) {
                let ids = component.map { plan.activities[$0].id }
                let names = component.prefix(10).map { "\(plan.activities[$0].id) \(plan.activities[$0].name)" }
                diagnostics.append(
                    ScheduleDiagnostic(
                        .cycle,
                        "Dependency cycle through \(component.count) activities: " + names.joined(separator: " → ")
                            + (component.count > 10 ? " …" : ""), activities: ids))
            }
            return false
        }

        /// Strongly connected components (iterative Tarjan) of the nodes flagged in `inCycle` that really lie on a cycle.
        func cycles(among candidate: [Bool]) -> [[Int]] {
            var index = [Int](repeating: -1, count: n)
            var low = [Int](repeating: 0, count: n)
            var onStack = [Bool](repeating: false, count: n)
            var stack: [Int] = []
            var result: [[Int]] = []
            var counter = 0
            for root in 0..<n where candidate[root] && index[root] < 0 {
                var work: [(node: Int, next: Int)] = [(root, outStart[root])]
                index[root] = counter
                low[root] = counter
                counter += 1
                stack.append(root)
                onStack[root] = true
                while !work.isEmpty {
                    let (v, k) = work[work.count - 1]
                    if k < outStart[v + 1] {
                        work[work.count - 1].next = k + 1
                        let w = Int(edgeSucc[Int(outEdges[k])])
                        guard candidate[w] else { continue }
                        if index[w] < 0 {
                            index[w] = counter
                            low[w] = counter
                            counter += 1
                            stack.append(w)
                            onStack[w] = true
                            work.append((w, outStart[w]))
                        } else if onStack[w] {
                            low[v] = min(low[v], index[w])
                        }
                    } else {
                        work.removeLast()
                        if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                        if low[v] == index[v] {
                            var comp: [Int] = []
                            while let w = stack.popLast() {
                                onStack[w] = false
                                comp.append(w)
                                if w == v { break }
                            }
                            let selfLoop =
                                comp.count == 1
                                && (outStart[v]..<outStart[v + 1]).contains { Int(edgeSucc[Int(outEdges[$0])]) == v }
                            if comp.count > 1 || selfLoop { result.append(comp.sorted()) }
                        }
                    }
                }
            }
            return result.sorted { $0[0] < $1[0] }
        }

        // MARK: calendars

        mutating func assignCalendars() {
            var byID: [WorkCalendar.ID: Int] = [:]
            var cals: [WorkCalendar] = []
            for c in plan.calendars where byID[c.id] == nil {
                byID[c.id] = cals.count
                cals.append(c)
            }
            if byID[plan.defaultCalendarID] == nil {
                byID[plan.defaultCalendarID] = cals.count
                cals.append(.msProjectStandard)
            }
            let def = byID[plan.defaultCalendarID]!
            var unknown: [Activity.ID] = []
            calendarIndex = plan.activities.map { a in
                guard let c = a.calendarID else { return def }
                if let i = byID[c] { return i }
                unknown.append(a.id)
                return def
            }
            if !unknown.isEmpty {
                diagnostics.append(
                    ScheduleDiagnostic(
                        .unknownCalendar, "Activities name calendars that do not exist; the default calendar is used.",
                        activities: unknown))
            }
            // Placeholder timelines (one day) so indices are valid until buildTimelines runs.
            timelines = cals.map {
                CalendarTimeline(calendar: $0, from: CivilDate(dayNumber: 0), through: CivilDate(dayNumber: 0))
            }
        }

        /// Finds tasks whose work is done on resource calendars that differ from the task's calendar (as MS Project does
        /// for tasks without a calendar of their own): such a task starts when its first assignment can start and
        /// finishes when its last assignment has done its work (work ÷ units of working time of that resource).
        mutating func assignResourceLegs() {
            guard !plan.assignments.isEmpty else { return }
            var calendarByID: [WorkCalendar.ID: Int] = [:]
            for (k, t) in timelines.enumerated() where calendarByID[t.calendar.id] == nil {
                calendarByID[t.calendar.id] = k
            }
            let resources = Dictionary(plan.resources.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let index = ActivityIndex(plan.activities)
            var byActivity: [Int: [(calendar: Int, minutes: Int)]] = [:]
            for a in plan.assignments {
                guard let i = index[a.activity], isLeaf[i], plan.activities[i].calendarID == nil,
                    durations[i].kind == .working, durations[i].minutes > 0,
                    let r = resources[a.resource], r.kind == .work, a.units > 0, a.workMinutes > 0,
                    let c = r.calendarID, let k = calendarByID[c]
                else { continue }
                byActivity[i, default: []].append((k, Int((Double(a.workMinutes) / a.units).rounded())))
            }
            for (i, list) in byActivity {
                let own = timelines[calendarIndex[i]].calendar
                let differs = list.contains { leg in
                    let c = timelines[leg.calendar].calendar
                    return c.week != own.week || c.exceptions != own.exceptions || c.holidays != own.holidays
                }
                guard differs else { continue }
                legs[i] = list
                special[i] = true
            }
        }

        /// Upper bound on the plan's span in wall-clock minutes, from a pass that treats every link as finish-to-start.
        func estimateHorizonMinutes() -> Int {
            var slowest = 1.0
            for t in timelines {
                let week = t.calendar.week.reduce(0) { $0 + $1.reduce(0) { $0 + $1.minutes } }
                slowest = max(slowest, week > 0 ? 10080.0 / Double(week) : 1.0)
            }
            func scaled(_ d: WorkDuration) -> Int {
                d.kind == .elapsed ? max(0, d.minutes) : Int(Double(max(0, d.minutes)) * slowest)
            }
            var finish = [Int](repeating: 0, count: n)
            var span = 0
            for oi in order {
                let i = Int(oi)
                var start = 0
                for k in inStart[i]..<inStart[i + 1] {
                    let e = Int(inEdges[k])
                    let p = Int(edgePred[e])
                    var lag = 0
                    switch edgeLag[e] {
                    case .working(let m): lag = Int(Double(max(0, m)) * slowest)
                    case .elapsed(let m): lag = max(0, m)
                    case .percent(let pc): lag = Int(Double(scaled(plan.activities[p].duration)) * max(0, pc) / 100)
                    }
                    start = max(start, finish[p] + lag)
                }
                start += scaled(plan.activities[i].levelingDelay)
                finish[i] = start + scaled(plan.activities[i].duration)
                span = max(span, finish[i])
            }
            return span
        }

        mutating func buildTimelines(horizonMinutes: Int) {
            var lo = plan.start.minutes
            var hi = plan.start.minutes + horizonMinutes + horizonMinutes / 8
            func include(_ t: LocalTime?) {
                if let t {
                    lo = min(lo, t.minutes)
                    hi = max(hi, t.minutes)
                }
            }
            include(plan.statusDate)
            for a in plan.activities {
                include(a.constraint.date)
                include(a.deadline)
                include(a.progress.actualStart)
                include(a.progress.actualFinish)
                include(a.manualStart)
                include(a.manualFinish)
            }
            let margin = options.calendarMarginDays
            let firstDay = lo / 1440 - margin
            // At most about 11,000 years of calendar: beyond that the input is broken, not a plan.
            let lastDay = min(hi / 1440 + margin + 60, firstDay + Self.maxCalendarDays)
            let first = CivilDate(dayNumber: firstDay)
            let last = CivilDate(dayNumber: lastDay)
            timelines = timelines.map { CalendarTimeline(calendar: $0.calendar, from: first, through: last) }
        }

        // MARK: passes

        @inline(__always) func lagged(_ base: Int, _ lag: DependencyLag, _ tl: CalendarTimeline, predecessor p: Int)
            -> Int
        {
            switch lag {
            case .working(let m):
                return m == 0 ? base : tl.finishInstant(at: tl.position(LocalTime(minutes: base)) + m).minutes
            case .elapsed(let m):
                return base + m
            case .percent(let pc):
                let m = Int((Double(durations[p].minutes) * pc / 100).rounded())
                return m == 0 ? base : tl.finishInstant(at: tl.position(LocalTime(minutes: base)) + m).minutes
            }
        }

        /// Backward lag: the latest instant whose working position is `lag` before `base` (start-style), so that
        /// raw forward times (e.g. a finish on a Saturday after an elapsed lag) stay inside the late window.
        @inline(__always) func laggedBack(_ base: Int, _ lag: DependencyLag, _ tl: CalendarTimeline, predecessor p: Int)
            -> Int
        {
            switch lag {
            case .working(let m):
                return m == 0 ? base : tl.startInstant(at: tl.position(LocalTime(minutes: base)) - m).minutes
            case .elapsed(let m):
                return base - m
            case .percent(let pc):
                let m = Int((Double(durations[p].minutes) * pc / 100).rounded())
                return m == 0 ? base : tl.startInstant(at: tl.position(LocalTime(minutes: base)) - m).minutes
            }
        }

        /// Start-style instant `d` after `start` (finish of an activity that starts at `start`).
        @inline(__always) func finishFrom(_ start: Int, _ d: WorkDuration, _ tl: CalendarTimeline) -> Int {
            if d.minutes == 0 { return start }
            if d.kind == .elapsed { return start + d.minutes }
            return tl.finishInstant(at: tl.position(LocalTime(minutes: start)) + d.minutes).minutes
        }

        @inline(__always) func startFrom(_ finish: Int, _ d: WorkDuration, _ tl: CalendarTimeline) -> Int {
            if d.minutes == 0 { return finish }
            if d.kind == .elapsed { return finish - d.minutes }
            return tl.startInstant(at: tl.position(LocalTime(minutes: finish)) - d.minutes).minutes
        }

        @inline(__always) func snapStart(_ t: Int, _ d: WorkDuration, _ tl: CalendarTimeline) -> Int {
            d.minutes == 0 ? t : tl.nextWorkingStart(LocalTime(minutes: t)).minutes
        }

        mutating func forwardPass() {
            let acts = plan.activities
            es = [Int](repeating: plan.start.minutes, count: n)
            ef = es
            var conflicts: [Int] = []
            for oi in order {
                let i = Int(oi)
                guard isLeaf[i] else { continue }
                let tl = timelines[calendarIndex[i]]
                let d = durations[i]
                var sb = plan.start.minutes
                var fb = Int.min
                for k in inStart[i]..<inStart[i + 1] {
                    let e = Int(inEdges[k])
                    let p = Int(edgePred[e])
                    switch edgeKind[e] {
                    case .fs: sb = max(sb, lagged(ef[p], edgeLag[e], tl, predecessor: p))
                    case .ss: sb = max(sb, lagged(es[p], edgeLag[e], tl, predecessor: p))
                    case .ff: fb = max(fb, lagged(ef[p], edgeLag[e], tl, predecessor: p))
                    case .sf: fb = max(fb, lagged(es[p], edgeLag[e], tl, predecessor: p))
                    }
                }
                if !special[i] {
                    var s = snapStart(sb, d, tl)
                    var f = finishFrom(s, d, tl)
                    if fb > f {
                        f = fb
                        s = startFrom(f, d, tl)
                    }
                    es[i] = s
                    ef[i] = f
                    continue
                }
                let a = acts[i]
                if let actualStart = a.progress.actualStart {
                    es[i] = actualStart.minutes
                    ef[i] = a.progress.actualFinish?.minutes ?? finishFrom(es[i], d, tl)
                    continue
                }
                if let actualFinish = a.progress.actualFinish {
                    ef[i] = actualFinish.minutes
                    es[i] = startFrom(ef[i], d, tl)
                    continue
                }
                if let manual = a.manualStart {
                    es[i] = manual.minutes
                    ef[i] = max(es[i], a.manualFinish?.minutes ?? finishFrom(es[i], d, tl))
                    continue
                }
                let c = a.constraint
                if let date = c.date?.minutes {
                    switch c.kind {
                    case .startNoEarlierThan: sb = max(sb, date)
                    case .finishNoEarlierThan: fb = max(fb, date)
                    default: break
                    }
                }
                // Levelling holds the start back from where the links and constraints put it.
                if a.levelingDelay.minutes > 0 {
                    sb = a.levelingDelay.kind == .elapsed
                        ? sb + a.levelingDelay.minutes
                        : tl.addingStart(a.levelingDelay.minutes, to: LocalTime(minutes: sb)).minutes
                }
                var s = snapStart(sb, d, tl)
                var f = finishFrom(s, d, tl)
                if !legs.isEmpty, let list = legs[i] {
                    s = Int.max
                    f = Int.min
                    for leg in list {
                        let rt = timelines[leg.calendar]
                        let legStart = rt.nextWorkingStart(LocalTime(minutes: sb))
                        s = min(s, legStart.minutes)
                        f = max(f, rt.addingFinish(leg.minutes, to: legStart).minutes)
                    }
                }
                if fb > f {
                    f = fb
                    s = startFrom(f, d, tl)
                }
                if let date = c.date?.minutes {
                    switch c.kind {
                    case .mustStartOn, .startNoLaterThan:
                        if s > date { conflicts.append(i) }
                        if c.kind == .mustStartOn || s > date {
                            s = date
                            f = finishFrom(s, d, tl)
                        }
                    case .mustFinishOn, .finishNoLaterThan:
                        if f > date { conflicts.append(i) }
                        if c.kind == .mustFinishOn || f > date {
                            f = date
                            s = startFrom(f, d, tl)
                        }
                    default: break
                    }
                }
                es[i] = s
                ef[i] = f
            }
            if !conflicts.isEmpty {
                conflicts.sort()
                for i in conflicts {
                    let a = acts[i]
                    diagnostics.append(
                        ScheduleDiagnostic(
                            .constraintConflict,
                            "Activity \(a.id) \(a.name): its links push it past its \(a.constraint.kind.rawValue) date "
                                + "\(a.constraint.date.map { "\($0)" } ?? "?"); the constraint is kept.",
                            activities: [a.id]))
                }
            }
        }

        /// Latest early finish of any task (the plan start when there are none).
        func projectFinishMinutes() -> Int {
            var f = Int.min
            for i in 0..<n where isLeaf[i] { f = max(f, ef[i]) }
            return f == Int.min ? plan.start.minutes : f
        }

        mutating func backwardPass() {
            let acts = plan.activities
            let projectFinish = projectFinishMinutes()
            let hasDeadline = acts.contains { $0.deadline != nil }
            let anyLegs = !legs.isEmpty
            ls = es
            lf = ef
            for oi in order.reversed() {
                let i = Int(oi)
                guard isLeaf[i] else { continue }
                let tl = timelines[calendarIndex[i]]
                let d = durations[i]
                var fb = projectFinish
                var sb = Int.max
                for k in outStart[i]..<outStart[i + 1] {
                    let e = Int(outEdges[k])
                    let s = Int(edgeSucc[e])
                    let stl = timelines[calendarIndex[s]]
                    switch edgeKind[e] {
                    case .fs: fb = min(fb, laggedBack(ls[s], edgeLag[e], stl, predecessor: i))
                    case .ff: fb = min(fb, laggedBack(lf[s], edgeLag[e], stl, predecessor: i))
                    case .ss: sb = min(sb, laggedBack(ls[s], edgeLag[e], stl, predecessor: i))
                    case .sf: sb = min(sb, laggedBack(lf[s], edgeLag[e], stl, predecessor: i))
                    }
                }
                if special[i], let date = acts[i].constraint.date?.minutes {
                    switch acts[i].constraint.kind {
                    case .mustStartOn, .startNoLaterThan: sb = min(sb, date)
                    case .mustFinishOn, .finishNoLaterThan: fb = min(fb, date)
                    default: break
                    }
                }
                if hasDeadline, let deadline = acts[i].deadline?.minutes { fb = min(fb, deadline) }
                // Late finishes stay raw (as MS Project stores them, e.g. 08:00 after a link): snapping one back to the
                // previous 17:00 would break elapsed lags in the pass. They are shown finish-style in the result.
                var f = fb
                if sb != Int.max {
                    // Latest finish of a start at `sb` (start-style, so raw forward finishes stay inside the window).
                    let s0 = snapStart(sb, d, tl)
                    let latest =
                        d.minutes == 0
                        ? s0
                        : d.kind == .elapsed
                            ? s0 + d.minutes
                            : tl.startInstant(at: tl.position(LocalTime(minutes: s0)) + d.minutes).minutes
                    f = min(f, latest)
                }
                lf[i] = f
                ls[i] = startFrom(f, d, tl)
                if anyLegs, let list = legs[i] {
                    // Latest start: the earliest of the assignments' latest starts on their own calendars.
                    var latest = Int.max
                    for leg in list {
                        let rt = timelines[leg.calendar]
                        latest = min(
                            latest, rt.startInstant(at: rt.position(LocalTime(minutes: f)) - leg.minutes).minutes)
                    }
                    ls[i] = latest
                }
            }
        }

        // MARK: results

        mutating func finish() -> ScheduleResult {
            // Late dates of finished activities are their actual dates.
            let acts = plan.activities
            var out = [ScheduledActivity]()
            out.reserveCapacity(n)
            var negative: [Activity.ID] = []
            var missed: [Int] = []
            let hasDeadline = acts.contains { $0.deadline != nil }
            for i in 0..<n {
                let tl = timelines[calendarIndex[i]]
                // Float of an elapsed-duration activity is elapsed minutes (as MS Project shows it).
                let elapsed = durations[i].kind == .elapsed
                let pos = { (m: Int) in elapsed ? m : tl.position(LocalTime(minutes: m)) }
                var total = 0
                var free = 0
                var driver: Activity.ID? = nil
                if isLeaf[i] {
                    total = min(pos(ls[i]) - pos(es[i]), pos(lf[i]) - pos(ef[i]))
                    free = total
                    for k in outStart[i]..<outStart[i + 1] {
                        let e = Int(outEdges[k])
                        let s = Int(edgeSucc[e])
                        let stl = timelines[calendarIndex[s]]
                        let gap: Int
                        switch edgeKind[e] {
                        case .fs: gap = pos(es[s]) - pos(lagged(ef[i], edgeLag[e], stl, predecessor: i))
                        case .ss: gap = pos(es[s]) - pos(lagged(es[i], edgeLag[e], stl, predecessor: i))
                        case .ff: gap = pos(ef[s]) - pos(lagged(ef[i], edgeLag[e], stl, predecessor: i))
                        case .sf: gap = pos(ef[s]) - pos(lagged(es[i], edgeLag[e], stl, predecessor: i))
                        }
                        free = min(free, gap)
                    }
                    free = max(0, free)  // free float is never shown negative (MS Project)
                    if total < 0 { negative.append(acts[i].id) }
                    // The driving predecessor: the incoming link with the smallest gap, if that gap is not positive.
                    var best = 1
                    for k in inStart[i]..<inStart[i + 1] {
                        let e = Int(inEdges[k])
                        let p = Int(edgePred[e])
                        let gap: Int
                        switch edgeKind[e] {
                        case .fs: gap = pos(es[i]) - pos(lagged(ef[p], edgeLag[e], tl, predecessor: p))
                        case .ss: gap = pos(es[i]) - pos(lagged(es[p], edgeLag[e], tl, predecessor: p))
                        case .ff: gap = pos(ef[i]) - pos(lagged(ef[p], edgeLag[e], tl, predecessor: p))
                        case .sf: gap = pos(ef[i]) - pos(lagged(es[p], edgeLag[e], tl, predecessor: p))
                        }
                        if gap < best {
                            best = gap
                            driver = acts[p].id
                        }
                    }
                    if hasDeadline, let dl = acts[i].deadline, ef[i] > dl.minutes { missed.append(i) }
                }
                var start = es[i]
                var finish = ef[i]
                // A finished activity has no float and is not critical; its late dates are its actual dates (MS Project).
                let done =
                    special[i] && isLeaf[i]
                    && (acts[i].progress.actualFinish != nil || acts[i].progress.percentComplete >= 100)
                if done {
                    ls[i] = es[i]
                    lf[i] = ef[i]
                    total = 0
                    free = 0
                }
                let d = durations[i]
                let displayLateFinish =
                    isLeaf[i] && d.minutes > 0 && d.kind == .working && lf[i] > ef[i]
                    ? max(ef[i], tl.previousWorkingFinish(LocalTime(minutes: lf[i])).minutes) : lf[i]
                // MS Project never flags a manually scheduled activity without links as critical.
                let unlinkedManual =
                    special[i] && acts[i].manualStart != nil && inStart[i] == inStart[i + 1]
                    && outStart[i] == outStart[i + 1]
                if special[i], isLeaf[i], acts[i].constraint.kind == .asLateAsPossible,
                    acts[i].progress.actualStart == nil,
                    acts[i].progress.actualFinish == nil
                {
                    start = ls[i]
                    finish = lf[i]
                }
                out.append(
                    ScheduledActivity(
                        id: acts[i].id, earlyStart: LocalTime(minutes: es[i]), earlyFinish: LocalTime(minutes: ef[i]),
                        lateStart: LocalTime(minutes: ls[i]), lateFinish: LocalTime(minutes: displayLateFinish),
                        start: LocalTime(minutes: start), finish: LocalTime(minutes: finish),
                        totalFloat: total, freeFloat: free,
                        isCritical: total <= options.criticalSlackLimit && !unlinkedManual && !done,
                        drivingPredecessor: driver))
            }
            rollUpSummaries(&out)
            var projectStart = Int.max
            var projectFinish = Int.min
            for i in 0..<n where isLeaf[i] {
                projectStart = min(projectStart, out[i].start.minutes)
                projectFinish = max(projectFinish, out[i].finish.minutes)
            }
            if projectStart == Int.max {
                projectStart = plan.start.minutes
                projectFinish = plan.start.minutes
            }
            for i in missed {
                let a = acts[i]
                diagnostics.append(
                    ScheduleDiagnostic(
                        .deadlineMissed,
                        "Activity \(a.id) \(a.name) finishes \(LocalTime(minutes: ef[i])), after its deadline \(a.deadline!).",
                        activities: [a.id]))
            }
            if !negative.isEmpty {
                diagnostics.append(
                    ScheduleDiagnostic(
                        .negativeFloat,
                        "\(negative.count) activities have negative total float: a constraint or deadline is earlier than the links allow.",
                        activities: negative))
            }
            return ScheduleResult(
                activities: out, projectStart: LocalTime(minutes: projectStart),
                projectFinish: LocalTime(minutes: projectFinish), diagnostics: diagnostics)
        }

        /// Summaries span their children. As in MS Project, a summary's total float is the smaller of its start float
        /// (earliest child late start − earliest child early start) and finish float (latest child late finish − latest
        /// child early finish), in working time of its calendar; its free float equals its total float. A summary is
        /// critical only when one of its rows is (a finished row is not), so a finished summary is never flagged.
        func rollUpSummaries(_ out: inout [ScheduledActivity]) {
            for i in stride(from: n - 1, through: 0, by: -1) where !isLeaf[i] {
                var r = out[children[i][0]]
                var childCritical = r.isCritical
                for c in children[i].dropFirst() {
                    let x = out[c]
                    r.earlyStart = min(r.earlyStart, x.earlyStart)
                    r.earlyFinish = max(r.earlyFinish, x.earlyFinish)
                    r.lateStart = min(r.lateStart, x.lateStart)
                    r.lateFinish = max(r.lateFinish, x.lateFinish)
                    r.start = min(r.start, x.start)
                    r.finish = max(r.finish, x.finish)
                    childCritical = childCritical || x.isCritical
                }
                let tl = timelines[calendarIndex[i]]
                r.totalFloat = min(
                    tl.workingMinutes(from: r.earlyStart, to: r.lateStart),
                    tl.workingMinutes(from: r.earlyFinish, to: r.lateFinish))
                r.freeFloat = max(0, r.totalFloat)
                r.id = out[i].id
                r.drivingPredecessor = nil
                r.isCritical = r.totalFloat <= options.criticalSlackLimit && childCritical
                out[i] = r
            }
        }
    }
}

/// Maps activity ids to plan positions: a flat array when ids are dense (the usual case), else a dictionary.
struct ActivityIndex {
    let offset: Int
    let dense: [Int32]
    let sparse: [Activity.ID: Int]

    init(_ activities: [Activity]) {
        var lo = Int.max
        var hi = Int.min
        for a in activities {
            lo = min(lo, a.id.rawValue)
            hi = max(hi, a.id.rawValue)
        }
        if !activities.isEmpty, hi - lo < 4 * activities.count + 16 {
            var d = [Int32](repeating: -1, count: hi - lo + 1)
            for (i, a) in activities.enumerated() where d[a.id.rawValue - lo] < 0 { d[a.id.rawValue - lo] = Int32(i) }
            offset = lo
            dense = d
            sparse = [:]
        } else {
            var m = [Activity.ID: Int](minimumCapacity: activities.count)
            for (i, a) in activities.enumerated() where m[a.id] == nil { m[a.id] = i }
            offset = 0
            dense = []
            sparse = m
        }
    }

    subscript(_ id: Activity.ID) -> Int? {
        if dense.isEmpty { return sparse[id] }
        let k = id.rawValue - offset
        guard k >= 0, k < dense.count else { return nil }
        let v = dense[k]
        return v < 0 ? nil : Int(v)
    }
}
