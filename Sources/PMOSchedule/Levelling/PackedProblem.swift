/// A validated `LevellingProblem` in flat arrays (compressed adjacency lists), for the schedule generators' loops.
struct PackedProblem: Sendable {
    let count: Int
    let resourceCount: Int
    let duration: [Int]
    let release: [Int]
    /// `Int.max` where the activity has no latest start.
    let latestStart: [Int]
    /// -1 where the activity is free to move.
    let fixedStart: [Int]
    let demandStart: [Int]
    let demandResource: [Int]
    let demandUnits: [Int]
    let predStart: [Int]
    let predIndex: [Int]
    let predDistance: [Int]
    let succStart: [Int]
    let succIndex: [Int]
    let succDistance: [Int]
    let freePredCount: [Int]
    let freeSuccCount: [Int]
    /// A fixed topological rank per activity (ties in the orders are broken by it) and its inverse.
    let rank: [Int]
    let byRank: [Int]
    let freeActivities: [Int]
    let fixedActivities: [Int]
    /// Latest finish of the fixed activities.
    let fixedMakespan: Int
    /// Periods the decoder's resource profile covers: no serial schedule can reach past it.
    let horizon: Int
    /// Each resource's capacity after its profile, and its profile (see `LevellingProblem.Resource`).
    let baseCapacity: [Int]
    let profiles: [[Int]]
    /// Earliest start the backward pass may give: the release, and the finish of fixed predecessors.
    let floor: [Int]
    /// Earliest starts without resource limits (the critical path method over the precedences).
    let earliestStart: [Int]
    /// Latest starts without resource limits, against the critical path length.
    let latestStartCPM: [Int]
    /// The critical path length (a lower bound of every schedule's makespan).
    let criticalPathLength: Int
    /// The larger of the critical path length and each resource's work divided by its capacity.
    let lowerBound: Int
    /// Whether nothing in the problem depends on the date: no release, fixed or latest start, and every capacity
    /// constant. Then a schedule moved earlier or later stays feasible, so a backward pass's schedule, moved to start
    /// at 0, is a schedule of the problem (what the bi-population search needs).
    let isShiftInvariant: Bool

    /// Packs `problem`, which must have passed `validate()`.
    init(_ problem: LevellingProblem) {
        let acts = problem.activities
        let n = acts.count
        count = n
        resourceCount = problem.resources.count
        duration = acts.map(\.duration)
        release = acts.map(\.release)
        let fixed = acts.map { $0.fixedStart ?? -1 }
        fixedStart = fixed
        // A free activity linked into a fixed one must start by the fixed one's start minus the distance: a latest
        // start like any other (if it cannot fit by then, it stays where the links put it and the overload shows).
        var latest = acts.map { $0.latestStart ?? Int.max }
        var lowest = acts.map(\.release)
        for e in problem.precedences where fixed[e.predecessor] < 0 && fixed[e.successor] >= 0 {
            latest[e.predecessor] = min(latest[e.predecessor], fixed[e.successor] - e.distance)
        }
        for e in problem.precedences where fixed[e.predecessor] >= 0 && fixed[e.successor] < 0 {
            lowest[e.successor] = max(lowest[e.successor], fixed[e.predecessor] + e.distance)
        }
        latestStart = latest
        floor = lowest

        var dStart = [0]
        var dRes: [Int] = []
        var dUnits: [Int] = []
        for a in acts {
            // One entry per resource (demands of the same resource are added up); zero demands dropped.
            var merged: [Int: Int] = [:]
            for d in a.demands where d.units > 0 { merged[d.resource, default: 0] += d.units }
            for (r, q) in merged.sorted(by: { $0.key < $1.key }) {
                dRes.append(r)
                dUnits.append(q)
            }
            dStart.append(dRes.count)
        }
        demandStart = dStart
        demandResource = dRes
        demandUnits = dUnits

        var preds = [[(Int, Int)]](repeating: [], count: n)
        var succs = [[(Int, Int)]](repeating: [], count: n)
        for e in problem.precedences {
            preds[e.successor].append((e.predecessor, e.distance))
            succs[e.predecessor].append((e.successor, e.distance))
        }
        predStart = [0] + preds.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.count) }
        predIndex = preds.flatMap { $0.map(\.0) }
        predDistance = preds.flatMap { $0.map(\.1) }
        succStart = [0] + succs.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.count) }
        succIndex = succs.flatMap { $0.map(\.0) }
        succDistance = succs.flatMap { $0.map(\.1) }
        freePredCount = (0..<n).map { i in preds[i].filter { fixed[$0.0] < 0 }.count }
        freeSuccCount = (0..<n).map { i in succs[i].filter { fixed[$0.0] < 0 }.count }
        freeActivities = (0..<n).filter { fixed[$0] < 0 }
        fixedActivities = (0..<n).filter { fixed[$0] >= 0 }
        fixedMakespan = fixedActivities.map { fixed[$0] + acts[$0].duration }.max() ?? 0

        // Topological order (Kahn, smallest index first) for ranks, and the critical path method along it.
        var indegree = preds.map(\.count)
        var ready = (0..<n).filter { indegree[$0] == 0 }.reversed() as [Int]
        var topo: [Int] = []
        while let i = ready.popLast() {
            topo.append(i)
            for (s, _) in succs[i] {
                indegree[s] -= 1
                if indegree[s] == 0 { ready.append(s) }
            }
        }
        var r = [Int](repeating: 0, count: n)
        for (k, i) in topo.enumerated() { r[i] = k }
        rank = r
        byRank = topo
        var es = [Int](repeating: 0, count: n)
        for i in topo {
            var t = fixed[i] >= 0 ? fixed[i] : acts[i].release
            if fixed[i] < 0 { for (q, d) in preds[i] { t = max(t, es[q] + d) } }
            es[i] = t
        }
        earliestStart = es
        let cpl = max(0, (0..<n).map { es[$0] + acts[$0].duration }.max() ?? 0)
        criticalPathLength = cpl
        var ls = [Int](repeating: 0, count: n)
        for i in topo.reversed() {
            var t = cpl - acts[i].duration
            for (s, d) in succs[i] { t = min(t, ls[s] - d) }
            ls[i] = fixed[i] >= 0 ? fixed[i] : t
        }
        latestStartCPM = ls

        // Energy bound: a resource of constant capacity cannot do its work faster than work / capacity.
        var bound = cpl
        for (ri, res) in problem.resources.enumerated() where res.profile.isEmpty && res.capacity > 0 {
            var work = 0
            for i in 0..<n where fixed[i] < 0 {
                for k in dStart[i]..<dStart[i + 1] where dRes[k] == ri { work += dUnits[k] * acts[i].duration }
            }
            bound = max(bound, (work + res.capacity - 1) / res.capacity)
        }
        lowerBound = bound
        isShiftInvariant = fixed.allSatisfy { $0 < 0 } && acts.allSatisfy { $0.release == 0 && $0.latestStart == nil }
            && problem.resources.allSatisfy(\.profile.isEmpty)

        // Horizon: a serial schedule never starts an activity later than the latest of what is given (releases,
        // fixed work, capacity profiles) plus every duration and every positive lag beyond a predecessor's duration.
        var given = fixedMakespan
        for a in acts { given = max(given, a.release) }
        for res in problem.resources { given = max(given, res.profile.count) }
        var slack = 0
        for i in 0..<n {
            slack += acts[i].duration
            var extra = 0
            for (q, d) in preds[i] { extra = max(extra, d - acts[q].duration) }
            slack += extra
        }
        let maxDuration = acts.map(\.duration).max() ?? 0
        horizon = given + slack + maxDuration + 1
        baseCapacity = problem.resources.map(\.capacity)
        profiles = problem.resources.map(\.profile)
    }
}
