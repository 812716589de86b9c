/// The serial schedule-generation scheme (SSGS), forwards and backwards, over a problem packed into flat arrays.
///
/// Forwards, each activity of an activity list is started at the earliest period its predecessors and the resources
/// allow; backwards, each is finished as late as its successors, the project's finish and the resources allow.
/// Both passes together are the forward-backward improvement ("justification", Valls, Ballestín & Quintanilla 2005):
/// it never lengthens a schedule and usually shortens it.
final class SerialDecoder {
    let p: PackedProblem
    /// Units still free per resource and period (`resource * horizon + period`); fixed activities are taken out
    /// once. Raw memory: these loops are the whole cost of levelling.
    private let free: UnsafeMutablePointer<Int32>
    /// Units × periods over capacity the last forward pass left (activities that could not fit by their latest
    /// start stay where the links put them); fixed activities' own overloads are not counted.
    private(set) var overload = 0
    /// The activity the last failed forward pass could not place.
    private(set) var failedActivity: Int?
    /// `free` with only the fixed activities taken out: each pass starts from a copy of it.
    private let initial: UnsafeMutablePointer<Int32>
    /// Scratch for the priority-ordered topological sorts (raw memory, `let`: no exclusivity checks in the loops).
    private let heap: UnsafeMutablePointer<Int>
    private let pending: UnsafeMutablePointer<Int>

    init(_ packed: PackedProblem) {
        p = packed
        let size = max(1, packed.resourceCount * packed.horizon)
        free = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        free.initialize(repeating: 0, count: size)
        for r in 0..<packed.resourceCount {
            let profile = packed.profiles[r]
            for t in 0..<packed.horizon {
                free[r * packed.horizon + t] = Int32(clamping: t < profile.count ? profile[t] : packed.baseCapacity[r])
            }
        }
        heap = UnsafeMutablePointer<Int>.allocate(capacity: max(1, packed.count))
        pending = UnsafeMutablePointer<Int>.allocate(capacity: max(1, packed.count))
        pending.initialize(repeating: 0, count: max(1, packed.count))
        initial = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        for i in packed.fixedActivities { add(i, at: packed.fixedStart[i], sign: 1) }
        initial.initialize(from: free, count: size)
    }

    /// Puts back the units taken by a pass whose activities all finished by `end`.
    @inline(__always) private func reset(through end: Int) {
        let h = p.horizon
        let span = min(h, max(0, end))
        for r in 0..<p.resourceCount { (free + r * h).update(from: initial + r * h, count: span) }
    }

    /// Units × periods over capacity through `end`, beyond what the fixed activities alone cause.
    private func measureOverload(through end: Int) -> Int {
        let h = p.horizon
        let span = min(h, max(0, end))
        var total = 0
        for r in 0..<p.resourceCount {
            for t in 0..<span {
                let now = Int(free[r * h + t])
                let before = Int(initial[r * h + t])
                total += max(0, -now) - max(0, -before)
            }
        }
        return total
    }

    deinit {
        free.deallocate()
        initial.deallocate()
        heap.deallocate()
        pending.deallocate()
    }

    /// Takes (`sign` 1) or gives back (-1) activity `i`'s units in the periods it runs from `t`.
    @inline(__always) private func add(_ i: Int, at t: Int, sign: Int32) {
        let h = p.horizon
        let d = p.duration[i]
        guard d > 0 else { return }
        for k in p.demandStart[i]..<p.demandStart[i + 1] {
            let row = free + (p.demandResource[k] * h + t)
            let q = sign * Int32(clamping: p.demandUnits[k])
            for tau in 0..<d { row[tau] -= q }
        }
    }

    /// The first period of `t ..< t + duration` where activity `i` does not fit, or nil when it fits.
    @inline(__always) private func firstConflict(_ i: Int, at t: Int) -> Int? {
        let h = p.horizon
        var stop = t + p.duration[i]
        var found = false
        for k in p.demandStart[i]..<p.demandStart[i + 1] {
            let row = free + p.demandResource[k] * h
            let q = Int32(clamping: p.demandUnits[k])
            var tau = t
            while tau < stop {
                if row[tau] < q {
                    stop = tau
                    found = true
                    break
                }
                tau += 1
            }
        }
        return found ? stop : nil
    }

    /// The last period of `t ..< t + duration` where activity `i` does not fit (the forward pass jumps past it).
    @inline(__always) private func lastConflict(_ i: Int, at t: Int) -> Int? {
        let h = p.horizon
        var floor = t
        var found = false
        for k in p.demandStart[i]..<p.demandStart[i + 1] {
            let row = free + p.demandResource[k] * h
            let q = Int32(clamping: p.demandUnits[k])
            var tau = t + p.duration[i] - 1
            while tau >= floor {
                if row[tau] < q {
                    floor = tau + 1
                    found = true
                    break
                }
                tau -= 1
            }
        }
        return found ? floor - 1 : nil
    }

    /// Schedules the free activities in `order` (a topological order) as early as possible; `start` holds the fixed
    /// activities' starts on entry and every start on exit. Returns the makespan, or nil when an activity falls past
    /// the horizon (only when a resource's capacity runs out for good).
    func forward(_ order: [Int], start: inout [Int]) -> Int? {
        var makespan = p.fixedMakespan
        var stuck = 0
        failedActivity = nil
        defer {
            overload = stuck > 0 ? measureOverload(through: makespan) : 0
            reset(through: makespan)
        }
        for i in order {
            var es = p.release[i]
            for k in p.predStart[i]..<p.predStart[i + 1] {
                es = max(es, start[p.predIndex[k]] + p.predDistance[k])
            }
            var t = es
            if p.duration[i] > 0 && p.demandStart[i] < p.demandStart[i + 1] {
                while let conflict = lastConflict(i, at: t) {
                    t = conflict + 1
                    if t > p.latestStart[i] { break }
                    if t + p.duration[i] > p.horizon {
                        failedActivity = i
                        return nil
                    }
                }
                // Levelling within slack: an activity that cannot fit by its latest start stays where the network
                // puts it, and the overload remains for the planner to see.
                if t > p.latestStart[i] {
                    t = es
                    stuck += 1
                }
            }
            if t + p.duration[i] > p.horizon {
                failedActivity = i
                return nil
            }
            start[i] = t
            add(i, at: t, sign: 1)
            makespan = max(makespan, t + p.duration[i])
        }
        return makespan
    }

    /// Schedules the free activities in `order` (a reverse topological order) as late as possible, finishing by
    /// `makespan`; `start` holds the fixed activities' starts on entry. Returns false when an activity would have to
    /// start before its release or a fixed predecessor's finish (the caller keeps the forward schedule). Latest
    /// starts are a rule of the forward pass only: the forward pass that follows applies them again.
    func backward(_ order: [Int], makespan: Int, start: inout [Int]) -> Bool {
        defer { reset(through: makespan) }
        for i in order {
            var ls = makespan - p.duration[i]
            for k in p.succStart[i]..<p.succStart[i + 1] {
                ls = min(ls, start[p.succIndex[k]] - p.succDistance[k])
            }
            var t = ls
            if p.duration[i] > 0 && p.demandStart[i] < p.demandStart[i + 1] {
                while t >= p.floor[i], let conflict = firstConflict(i, at: t) {
                    t = conflict - p.duration[i]
                }
            }
            if t < p.floor[i] { return false }
            start[i] = t
            add(i, at: t, sign: 1)
        }
        return true
    }

    /// The free activities in a topological order, ties broken by `key` (smallest first), then by the fixed rank.
    func forwardOrder(byKey key: [Int], into order: inout [Int]) {
        order.removeAll(keepingCapacity: true)
        var count = 0
        let n = p.count
        for i in p.freeActivities {
            pending[i] = p.freePredCount[i]
            if pending[i] == 0 { push(key[i] &* n &+ p.rank[i], &count) }
        }
        while let top = pop(&count) {
            let i = p.byRank[top % n]
            order.append(i)
            for k in p.succStart[i]..<p.succStart[i + 1] {
                let s = p.succIndex[k]
                guard p.fixedStart[s] < 0 else { continue }
                pending[s] -= 1
                if pending[s] == 0 { push(key[s] &* n &+ p.rank[s], &count) }
            }
        }
    }

    /// The free activities in a reverse topological order, largest `key` first, then by the reverse rank.
    func backwardOrder(byKey key: [Int], into order: inout [Int]) {
        order.removeAll(keepingCapacity: true)
        var count = 0
        let n = p.count
        let top = p.horizon
        for i in p.freeActivities {
            pending[i] = p.freeSuccCount[i]
            if pending[i] == 0 { push((top - key[i]) &* n &+ (n - 1 - p.rank[i]), &count) }
        }
        while let v = pop(&count) {
            let i = p.byRank[n - 1 - v % n]
            order.append(i)
            for k in p.predStart[i]..<p.predStart[i + 1] {
                let s = p.predIndex[k]
                guard p.fixedStart[s] < 0 else { continue }
                pending[s] -= 1
                if pending[s] == 0 { push((top - key[s]) &* n &+ (n - 1 - p.rank[s]), &count) }
            }
        }
    }

    // A binary min-heap of Ints in `heap[0 ..< count]`.
    @inline(__always) private func push(_ v: Int, _ count: inout Int) {
        var c = count
        heap[c] = v
        count += 1
        while c > 0 {
            let parent = (c - 1) / 2
            if heap[parent] <= heap[c] { break }
            (heap[parent], heap[c]) = (heap[c], heap[parent])
            c = parent
        }
    }

    @inline(__always) private func pop(_ count: inout Int) -> Int? {
        guard count > 0 else { return nil }
        count -= 1
        let top = heap[0]
        heap[0] = heap[count]
        var c = 0
        while true {
            let l = 2 * c + 1
            if l >= count { break }
            let r = l + 1
            let m = r < count && heap[r] < heap[l] ? r : l
            if heap[c] <= heap[m] { break }
            (heap[c], heap[m]) = (heap[m], heap[c])
            c = m
        }
        return top
    }
}
