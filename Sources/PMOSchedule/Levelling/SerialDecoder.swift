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
    /// Scratch of the counting sort that usually replaces them: each activity's place in the order, and one
    /// counter per key (grown when a wider range of keys comes).
    private let position: UnsafeMutablePointer<Int>
    private var buckets: UnsafeMutablePointer<Int>
    private var bucketCapacity: Int
    /// Scratch of the repair of a sorted order that breaks a link: the sorted order, and which of its places are
    /// eligible (one bit each).
    private let sorted: UnsafeMutablePointer<Int>
    private var eligible: UnsafeMutablePointer<UInt64>
    private var eligibleCapacity: Int
    // The problem's arrays the passes read, copied once to raw memory: no bounds, overflow or uniqueness checks in
    // the loops (they were half the passes' time). `demandRow` is the demand's resource row in `free`.
    private let duration: UnsafeMutablePointer<Int>
    private let release: UnsafeMutablePointer<Int>
    private let latestStart: UnsafeMutablePointer<Int>
    private let floorStart: UnsafeMutablePointer<Int>
    private let demandStart: UnsafeMutablePointer<Int>
    private let demandRow: UnsafeMutablePointer<Int>
    private let demandUnits: UnsafeMutablePointer<Int32>
    private let predStart: UnsafeMutablePointer<Int>
    private let predIndex: UnsafeMutablePointer<Int>
    private let predDistance: UnsafeMutablePointer<Int>
    private let succStart: UnsafeMutablePointer<Int>
    private let succIndex: UnsafeMutablePointer<Int>
    private let succDistance: UnsafeMutablePointer<Int>

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
        position = UnsafeMutablePointer<Int>.allocate(capacity: max(1, packed.count))
        position.initialize(repeating: 0, count: max(1, packed.count))
        bucketCapacity = max(16, packed.horizon + 1)
        buckets = UnsafeMutablePointer<Int>.allocate(capacity: bucketCapacity)
        sorted = UnsafeMutablePointer<Int>.allocate(capacity: max(1, packed.count))
        eligibleCapacity = max(1, (packed.count + 63) / 64)
        eligible = UnsafeMutablePointer<UInt64>.allocate(capacity: eligibleCapacity)
        duration = Self.raw(packed.duration)
        release = Self.raw(packed.release)
        latestStart = Self.raw(packed.latestStart)
        floorStart = Self.raw(packed.floor)
        demandStart = Self.raw(packed.demandStart)
        demandRow = Self.raw(packed.demandResource.map { $0 * packed.horizon })
        demandUnits = Self.raw(packed.demandUnits.map { Int32(clamping: $0) })
        predStart = Self.raw(packed.predStart)
        predIndex = Self.raw(packed.predIndex)
        predDistance = Self.raw(packed.predDistance)
        succStart = Self.raw(packed.succStart)
        succIndex = Self.raw(packed.succIndex)
        succDistance = Self.raw(packed.succDistance)
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
        position.deallocate()
        buckets.deallocate()
        sorted.deallocate()
        eligible.deallocate()
        for raw in [duration, release, latestStart, floorStart, demandStart, demandRow] { raw.deallocate() }
        for raw in [predStart, predIndex, predDistance, succStart, succIndex, succDistance] { raw.deallocate() }
        demandUnits.deallocate()
    }

    private static func raw<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
        pointer.initialize(from: values, count: values.count)
        return pointer
    }

    /// Takes (`sign` 1) or gives back (-1) activity `i`'s units in the periods it runs from `t`.
    @inline(__always) private func add(_ i: Int, at t: Int, sign: Int32) {
        let d = duration[i]
        guard d > 0 else { return }
        var k = demandStart[i]
        let end = demandStart[i &+ 1]
        while k < end {
            let row = free + (demandRow[k] &+ t)
            let q = sign &* demandUnits[k]
            var tau = 0
            while tau < d {
                row[tau] &-= q
                tau &+= 1
            }
            k &+= 1
        }
    }

    /// The first period of `t ..< t + duration` where activity `i` does not fit, or nil when it fits.
    @inline(__always) private func firstConflict(_ i: Int, at t: Int) -> Int? {
        var stop = t &+ duration[i]
        var found = false
        var k = demandStart[i]
        let end = demandStart[i &+ 1]
        while k < end {
            let row = free + demandRow[k]
            let q = demandUnits[k]
            var tau = t
            while tau < stop {
                if row[tau] < q {
                    stop = tau
                    found = true
                    break
                }
                tau &+= 1
            }
            k &+= 1
        }
        return found ? stop : nil
    }

    /// The last period of `t ..< t + duration` where activity `i` does not fit (the forward pass jumps past it).
    @inline(__always) private func lastConflict(_ i: Int, at t: Int) -> Int? {
        var floor = t
        var found = false
        var k = demandStart[i]
        let end = demandStart[i &+ 1]
        let last = t &+ duration[i] &- 1
        while k < end {
            let row = free + demandRow[k]
            let q = demandUnits[k]
            var tau = last
            while tau >= floor {
                if row[tau] < q {
                    floor = tau &+ 1
                    found = true
                    break
                }
                tau &-= 1
            }
            k &+= 1
        }
        return found ? floor &- 1 : nil
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
        let horizon = p.horizon
        return start.withUnsafeMutableBufferPointer { starts -> Int? in
            guard let st = starts.baseAddress else { return makespan }
            for i in order {
                var es = release[i]
                var k = predStart[i]
                let predEnd = predStart[i &+ 1]
                while k < predEnd {
                    es = max(es, st[predIndex[k]] &+ predDistance[k])
                    k &+= 1
                }
                let d = duration[i]
                var t = es
                if d > 0 && demandStart[i] < demandStart[i &+ 1] {
                    while let conflict = lastConflict(i, at: t) {
                        t = conflict &+ 1
                        if t > latestStart[i] { break }
                        if t &+ d > horizon {
                            failedActivity = i
                            return nil
                        }
                    }
                    // Levelling within slack: an activity that cannot fit by its latest start stays where the
                    // network puts it, and the overload remains for the planner to see.
                    if t > latestStart[i] {
                        t = es
                        stuck &+= 1
                    }
                }
                if t &+ d > horizon {
                    failedActivity = i
                    return nil
                }
                st[i] = t
                add(i, at: t, sign: 1)
                makespan = max(makespan, t &+ d)
            }
            return makespan
        }
    }

    /// Schedules the free activities in `order` (a reverse topological order) as late as possible, finishing by
    /// `makespan`; `start` holds the fixed activities' starts on entry. Returns false when an activity would have to
    /// start before its release or a fixed predecessor's finish (the caller keeps the forward schedule). Latest
    /// starts are a rule of the forward pass only: the forward pass that follows applies them again.
    func backward(_ order: [Int], makespan: Int, start: inout [Int]) -> Bool {
        defer { reset(through: makespan) }
        return start.withUnsafeMutableBufferPointer { starts -> Bool in
            guard let st = starts.baseAddress else { return true }
            for i in order {
                let d = duration[i]
                var ls = makespan &- d
                var k = succStart[i]
                let succEnd = succStart[i &+ 1]
                while k < succEnd {
                    ls = min(ls, st[succIndex[k]] &- succDistance[k])
                    k &+= 1
                }
                var t = ls
                if d > 0 && demandStart[i] < demandStart[i &+ 1] {
                    while t >= floorStart[i], let conflict = firstConflict(i, at: t) {
                        t = conflict &- d
                    }
                }
                if t < floorStart[i] { return false }
                st[i] = t
                add(i, at: t, sign: 1)
            }
            return true
        }
    }

    /// The free activities in a topological order, ties broken by `key` (smallest first), then by the fixed rank.
    func forwardOrder(byKey key: [Int], into order: inout [Int]) {
        if countedOrder(byKey: key, descending: false, into: &order) { return }
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
        if countedOrder(byKey: key, descending: true, into: &order) { return }
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

    /// The priority-ordered topological order in about linear time: the free activities sorted by key, then rank
    /// (both reversed when `descending`) with a counting sort, repaired only where that breaks a link. It is exactly
    /// what the heap below gives (measured: the heap's sorts were a third of levelling's time on j120, and more on
    /// plans with leads). False, leaving the work to the heap, when the keys are too far apart to count.
    private func countedOrder(byKey key: [Int], descending: Bool, into order: inout [Int]) -> Bool {
        let free = p.freeActivities
        guard let first = free.first else {
            order.removeAll(keepingCapacity: true)
            return true
        }
        var low = key[first]
        var high = low
        for i in free {
            low = min(low, key[i])
            high = max(high, key[i])
        }
        let range = high - low + 1
        // A range far wider than the activities (keys that are not periods) is left to the heap.
        guard range <= max(bucketCapacity, 4 * p.count + 64) else { return false }
        if range > bucketCapacity {
            buckets.deallocate()
            bucketCapacity = range
            buckets = UnsafeMutablePointer<Int>.allocate(capacity: range)
        }
        buckets.update(repeating: 0, count: range)
        for i in free { buckets[descending ? high - key[i] : key[i] - low] += 1 }
        var total = 0
        for b in 0..<range {
            let c = buckets[b]
            buckets[b] = total
            total += c
        }
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: repeatElement(0, count: free.count))
        let n = p.count
        order.withUnsafeMutableBufferPointer { out in
            for r in 0..<n {
                let i = p.byRank[descending ? n - 1 - r : r]
                guard p.fixedStart[i] < 0 else { continue }
                let b = descending ? high - key[i] : key[i] - low
                out[buckets[b]] = i
                position[i] = buckets[b]
                buckets[b] += 1
            }
        }
        // Every free predecessor must come before (forwards) or after (backwards) its successor.
        var keepsLinks = true
        check: for i in free {
            for k in predStart[i]..<predStart[i &+ 1] {
                let q = predIndex[k]
                guard p.fixedStart[q] < 0 else { continue }
                if descending ? position[q] < position[i] : position[q] > position[i] {
                    keepsLinks = false
                    break check
                }
            }
        }
        if !keepsLinks { repairTopologically(&order, descending: descending) }
        return true
    }

    /// Turns `order` (sorted by priority, `position` its inverse) into the topological order that always takes the
    /// eligible activity with the best priority: Kahn's algorithm over positions, the eligible ones kept as bits, the
    /// cursor moved back when an activity that waited for its predecessor becomes eligible (plans' leads and
    /// start-to-start links; the heap this replaces cost twice the passes on a 2,000-activity plan).
    private func repairTopologically(_ order: inout [Int], descending: Bool) {
        let count = order.count
        let words = (count + 63) / 64
        if words > eligibleCapacity {
            eligible.deallocate()
            eligibleCapacity = words
            eligible = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        }
        eligible.update(repeating: 0, count: words)
        sorted.update(from: order, count: count)
        let (nextStart, nextIndex) = descending ? (predStart, predIndex) : (succStart, succIndex)
        for at in 0..<count {
            let i = sorted[at]
            pending[i] = descending ? p.freeSuccCount[i] : p.freePredCount[i]
            if pending[i] == 0 { eligible[at >> 6] |= 1 << UInt64(at & 63) }
        }
        var cursor = 0
        order.withUnsafeMutableBufferPointer { out in
            for placed in 0..<count {
                var w = cursor >> 6
                var bits = eligible[w] & (~0 << UInt64(cursor & 63))
                while bits == 0 {
                    w &+= 1
                    bits = eligible[w]
                }
                let at = w << 6 | bits.trailingZeroBitCount
                eligible[w] &= ~(1 << UInt64(at & 63))
                let i = sorted[at]
                out[placed] = i
                cursor = at
                for k in nextStart[i]..<nextStart[i &+ 1] {
                    let s = nextIndex[k]
                    guard p.fixedStart[s] < 0 else { continue }
                    pending[s] &-= 1
                    if pending[s] == 0 {
                        let sp = position[s]
                        eligible[sp >> 6] |= 1 << UInt64(sp & 63)
                        cursor = min(cursor, sp)
                    }
                }
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
