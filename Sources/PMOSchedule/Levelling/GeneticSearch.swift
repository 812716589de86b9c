/// The genetic algorithms behind `Leveller`: activity lists, peak crossover, shift and swap mutation, the best
/// distinct individuals kept, and a restart around the best when the search stops improving.
///
/// Two schemes share these parts. A problem whose schedules may be moved in time (`PackedProblem.isShiftInvariant`:
/// no release, fixed or latest start, constant capacities, as in PSPLIB) gets the bi-population search
/// (`GeneticSearch+BiPopulation.swift`); any other (plans released at their unlevelled starts, work already done,
/// levelling within slack, absences and other projects' load in the capacities) gets the single population below,
/// every child decoded forwards and justified.
struct GeneticSearch {
    /// One activity list and the schedule it decodes to.
    struct Individual {
        var list: [Int]
        var starts: [Int]
        var makespan: Int
        /// Units × periods over capacity left by activities that could not fit by their latest start.
        var overload: Int = 0
        var fingerprint: UInt64
        /// The activities by finish, latest first: the order a backward pass takes (kept by the bi-population
        /// search only).
        var reverseList: [Int] = []

        /// Less overload first, then the shorter schedule.
        func isBetter(than other: Individual) -> Bool {
            overload != other.overload ? overload < other.overload : makespan < other.makespan
        }
    }

    let p: PackedProblem
    let options: Leveller.Options
    var decoder: SerialDecoder
    var random: SeededGenerator
    var schedules = 0
    var best: Individual?
    /// The activity the last failed decoding could not place (reported when no list decodes at all).
    var failedActivity: Int?
    // Scratch arrays, reused by every evaluation.
    var keys: [Int]
    var backwardList: [Int] = []
    var forwardList: [Int] = []
    var backStarts: [Int]
    var taken: [Bool]
    /// Resource use per period of the mother being crossed (scratch of `peakCrossover`).
    var usage: [Double] = []
    /// Each activity's demands as a share of its resources' capacities (the peak crossover's measure of use).
    let peakWeight: [Double]

    init(_ packed: PackedProblem, options: Leveller.Options) {
        p = packed
        self.options = options
        decoder = SerialDecoder(packed)
        random = SeededGenerator(seed: options.seed)
        keys = [Int](repeating: 0, count: packed.count)
        backStarts = [Int](repeating: 0, count: packed.count)
        taken = [Bool](repeating: false, count: packed.count)
        peakWeight = (0..<packed.count).map { i in
            (packed.demandStart[i]..<packed.demandStart[i + 1]).reduce(0.0) { sum, k in
                sum + Double(packed.demandUnits[k]) / Double(max(1, packed.baseCapacity[packed.demandResource[k]]))
            }
        }
    }

    var budgetLeft: Bool { schedules < max(1, options.schedules) }
    var atLowerBound: Bool { best.map { $0.overload == 0 && $0.makespan <= p.lowerBound } ?? false }

    mutating func run(shouldStop: () -> Bool) -> Leveller.Outcome {
        p.isShiftInvariant ? runBiPopulation(shouldStop: shouldStop) : runSinglePopulation(shouldStop: shouldStop)
    }

    /// The single-population search: each child decoded forwards, then justified (`evaluate`).
    mutating func runSinglePopulation(shouldStop: () -> Bool) -> Leveller.Outcome {
        var stopped = false
        let size = Leveller.populationSize(options, activities: p.count)
        var population: [Individual] = []
        // The first list follows the latest starts exactly; the others are drawn around them.
        population.append(evaluate(sampleList(bias: nil)))
        while population.count < size && budgetLeft && !atLowerBound {
            if shouldStop() {
                stopped = true
                break
            }
            population.append(evaluate(sampleList(bias: 1)))
        }
        population = survivors(population, size: size)
        var stale = 0
        var lastBest = best
        generations: while budgetLeft && !atLowerBound && !stopped {
            var children: [Individual] = []
            children.reserveCapacity(size)
            while children.count < size {
                let mother = tournament(population)
                let father = tournament(population)
                for (a, b) in [(mother, father), (father, mother)] {
                    var child = peakCrossover(population[a], population[b])
                    mutate(&child)
                    children.append(evaluate(child))
                    if !budgetLeft || atLowerBound { break generations }
                    if shouldStop() {
                        stopped = true
                        break generations
                    }
                }
            }
            population = survivors(population + children, size: size)
            if let now = best, lastBest.map({ now.isBetter(than: $0) }) ?? true {
                lastBest = now
                stale = 0
            } else {
                stale += 1
            }
            // A population that has stopped improving is spread out again around the best list.
            if stale >= 30 {
                stale = 0
                var fresh = [population[0]]
                while fresh.count < size && budgetLeft && !atLowerBound {
                    var list = population[0].list
                    for _ in 0..<max(2, p.freeActivities.count / 4) { swapAdjacent(&list, at: random.below(max(1, list.count - 1))) }
                    fresh.append(evaluate(fresh.count % 2 == 0 ? list : sampleList(bias: 1)))
                }
                population = survivors(fresh, size: size)
            }
        }
        return outcome(stoppedEarly: stopped)
    }

    /// The best schedule found, with its float.
    mutating func outcome(stoppedEarly: Bool) -> Leveller.Outcome {
        let winner = best ?? evaluate(sampleList(bias: nil))
        return Leveller.Outcome(
            starts: winner.starts, lateStarts: lateStarts(of: winner), makespan: winner.makespan,
            remainingOverload: winner.overload,
            criticalPathLength: p.criticalPathLength, lowerBound: p.lowerBound, schedules: schedules,
            stoppedEarly: stoppedEarly)
    }

    /// The latest start of each activity that keeps `winner`'s makespan when every later activity is as late as it
    /// can be: one backward pass (not counted in the budget; it only reports float).
    mutating func lateStarts(of winner: Individual) -> [Int] {
        guard winner.makespan != Int.max else { return winner.starts }
        for i in p.freeActivities { keys[i] = winner.starts[i] + p.duration[i] }
        decoder.backwardOrder(byKey: keys, into: &backwardList)
        var late = p.fixedStart
        guard decoder.backward(backwardList, makespan: winner.makespan, start: &late) else { return winner.starts }
        return late
    }

    /// Decodes `list` forwards, then justifies the schedule (backwards, then forwards in the order of its starts),
    /// keeping the better one, at most twice (a third pass rarely pays for its two schedules: measured on j120); the
    /// individual carries the list that gives its schedule.
    mutating func evaluate(_ list: [Int]) -> Individual {
        var starts = p.fixedStart
        schedules += 1
        guard let makespan = decoder.forward(list, start: &starts) else {
            failedActivity = decoder.failedActivity
            return Individual(list: list, starts: starts, makespan: Int.max, overload: Int.max, fingerprint: 0)
        }
        var current = Individual(
            list: list, starts: starts, makespan: makespan, overload: decoder.overload, fingerprint: 0)
        var passes = 0
        while schedules + 2 <= max(1, options.schedules) && passes < 2 {
            passes += 1
            for i in p.freeActivities { keys[i] = current.starts[i] + p.duration[i] }
            decoder.backwardOrder(byKey: keys, into: &backwardList)
            for i in 0..<p.count { backStarts[i] = p.fixedStart[i] }
            schedules += 1
            guard decoder.backward(backwardList, makespan: current.makespan, start: &backStarts) else { break }
            for i in p.freeActivities { keys[i] = backStarts[i] }
            decoder.forwardOrder(byKey: keys, into: &forwardList)
            var again = p.fixedStart
            schedules += 1
            guard let m = decoder.forward(forwardList, start: &again) else { break }
            let next = Individual(
                list: forwardList, starts: again, makespan: m, overload: decoder.overload, fingerprint: 0)
            if current.isBetter(than: next) { break }
            let improved = next.isBetter(than: current)
            current = next
            if !improved { break }
        }
        current.fingerprint = Self.fingerprint(current.starts)
        if best.map({ current.isBetter(than: $0) }) ?? true { best = current }
        return current
    }

    static func fingerprint(_ starts: [Int]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for s in starts { h = (h ^ UInt64(bitPattern: Int64(s))) &* 0x100_0000_01B3 }
        return h
    }

    /// The best `size` individuals with distinct schedules (duplicates would make the population collapse).
    func survivors(_ all: [Individual], size: Int) -> [Individual] {
        let sorted = all.enumerated().sorted { a, b in
            if a.element.isBetter(than: b.element) { return true }
            if b.element.isBetter(than: a.element) { return false }
            return a.offset < b.offset
        }
        var seen = Set<UInt64>()
        var out: [Individual] = []
        var spare: [Individual] = []
        for (_, ind) in sorted {
            if seen.insert(ind.fingerprint).inserted { out.append(ind) } else { spare.append(ind) }
            if out.count == size { break }
        }
        for ind in spare where out.count < size { out.append(ind) }
        return out
    }

    /// Index of the better of two individuals drawn at random (the population is sorted, best first).
    mutating func tournament(_ population: [Individual]) -> Int {
        min(random.below(population.count), random.below(population.count))
    }

    /// Peak crossover (after Valls, Ballestín & Quintanilla 2008): the child keeps, as one block in the mother's
    /// order, the activities the mother starts in her most resource-intensive window (the part of a schedule that is
    /// hardest to pack), and takes the father's order for those before and after the block. The window is 10-50 %
    /// of the mother's makespan, at random; it beat two-point crossover by 0.4 points on j120 at 5,000 schedules.
    mutating func peakCrossover(_ mother: Individual, _ father: Individual) -> [Int] {
        guard let (first, last) = peakWindow(of: mother) else { return crossover(mother.list, father.list) }
        // Keys: before the window in the father's order, the window in the mother's, after it in the father's;
        // the topological sort by these keys keeps every precedence whatever the links' distances.
        let n = p.count
        for (position, a) in father.list.enumerated() {
            let s = mother.starts[a]
            keys[a] = s < first ? position : (s >= last ? 2 * n + position : 0)
        }
        for (position, a) in mother.list.enumerated() where mother.starts[a] >= first && mother.starts[a] < last {
            keys[a] = n + position
        }
        var child: [Int] = []
        decoder.forwardOrder(byKey: keys, into: &child)
        return child
    }

    /// The periods `first ..< last` of `mother`'s most resource-intensive window, of a length drawn between 10 and
    /// 50 % of her makespan; nil when her schedule is too short to have one.
    mutating func peakWindow(of mother: Individual) -> (first: Int, last: Int)? {
        let span = mother.makespan
        guard span > 2, span != Int.max else { return nil }
        // Use per period, through differences: +weight where an activity starts, -weight where it ends.
        if usage.count < span + 1 { usage = [Double](repeating: 0, count: span + 1) }
        for t in 0...span { usage[t] = 0 }
        for i in 0..<p.count where p.duration[i] > 0 && peakWeight[i] > 0 {
            let s = max(0, mother.starts[i])
            guard s < span else { continue }
            usage[s] += peakWeight[i]
            usage[min(span, mother.starts[i] + p.duration[i])] -= peakWeight[i]
        }
        var running = 0.0
        for t in 0..<span {
            running += usage[t]
            usage[t] = running
        }
        // The window of the drawn length with the most use.
        let shortest = max(1, span / 10)
        let length = shortest + random.below(max(shortest, span / 2) - shortest + 1)
        var sum = 0.0
        for t in 0..<min(length, span) { sum += usage[t] }
        var most = sum
        var first = 0
        if length < span {
            for t in length..<span {
                sum += usage[t] - usage[t - length]
                if sum > most + 1e-9 {
                    most = sum
                    first = t - length + 1
                }
            }
        }
        return (first, first + length)
    }

    /// Two-point crossover: the head of `mother`, then `father`'s order of what is left up to the second point, then
    /// `mother`'s order of the rest. Keeps every precedence, as both parents do.
    mutating func crossover(_ mother: [Int], _ father: [Int]) -> [Int] {
        let n = mother.count
        guard n > 2 else { return mother }
        var q1 = random.below(n)
        var q2 = random.below(n)
        if q1 > q2 { swap(&q1, &q2) }
        var child: [Int] = []
        child.reserveCapacity(n)
        for i in 0..<q1 {
            child.append(mother[i])
            taken[mother[i]] = true
        }
        for a in father where child.count < q2 && !taken[a] {
            child.append(a)
            taken[a] = true
        }
        for a in mother where !taken[a] {
            child.append(a)
            taken[a] = true
        }
        for a in child { taken[a] = false }
        return child
    }

    /// Shifts activities (1.5 % per position) to a random place between their nearest predecessor and nearest
    /// successor in the list, then swaps neighbours (5 % per position) where no precedence links them. The shift is
    /// what a justified list needs (neighbours that start together swap to no effect): measured, j60 went from 11.3 to
    /// 11.2 % at 5,000 schedules and from 10.84 to 10.76 % at 50,000, j30 from 471 to 475 optima of 480.
    mutating func mutate(_ list: inout [Int]) {
        guard list.count > 1 else { return }
        var i = 0
        while i < list.count {
            if random.below(1000) < 15 { shift(&list, at: i) }
            i += 1
        }
        for i in 0..<(list.count - 1) where random.below(100) < 5 { swapAdjacent(&list, at: i) }
    }

    /// Moves `list[i]` to a place drawn between its nearest predecessor before it and nearest successor after it.
    mutating func shift(_ list: inout [Int], at i: Int) {
        let a = list[i]
        var low = i
        while low > 0 && !linked(list[low - 1], a) { low -= 1 }
        var high = i
        while high + 1 < list.count && !linked(a, list[high + 1]) { high += 1 }
        let j = low + random.below(high - low + 1)
        guard j != i else { return }
        list.remove(at: i)
        list.insert(a, at: j)
    }

    func linked(_ a: Int, _ b: Int) -> Bool {
        for k in p.predStart[b]..<p.predStart[b + 1] where p.predIndex[k] == a { return true }
        return false
    }

    func swapAdjacent(_ list: inout [Int], at i: Int) {
        guard i + 1 < list.count, !linked(list[i], list[i + 1]) else { return }
        list.swapAt(i, i + 1)
    }

    /// A precedence-feasible list of the free activities: by latest start (nil bias), or drawn with regret-based
    /// biased random sampling, each eligible activity weighted by how much earlier its latest start is than the
    /// latest of them, plus one.
    mutating func sampleList(bias: Double?) -> [Int] {
        var pending = p.freePredCount
        var eligible = p.freeActivities.filter { pending[$0] == 0 }
        var list: [Int] = []
        list.reserveCapacity(p.freeActivities.count)
        var weights: [Double] = []
        while !eligible.isEmpty {
            var pick = 0
            if bias == nil {
                for k in 1..<eligible.count {
                    let a = eligible[k]
                    let b = eligible[pick]
                    if (p.latestStartCPM[a], p.rank[a]) < (p.latestStartCPM[b], p.rank[b]) { pick = k }
                }
            } else {
                let worst = eligible.map { p.latestStartCPM[$0] }.max() ?? 0
                weights = eligible.map { Double(worst - p.latestStartCPM[$0] + 1) }
                var x = random.unit() * weights.reduce(0, +)
                pick = weights.count - 1
                for (k, w) in weights.enumerated() {
                    if x < w {
                        pick = k
                        break
                    }
                    x -= w
                }
            }
            let a = eligible.remove(at: pick)
            list.append(a)
            for k in p.succStart[a]..<p.succStart[a + 1] {
                let s = p.succIndex[k]
                guard p.fixedStart[s] < 0 else { continue }
                pending[s] -= 1
                if pending[s] == 0 { eligible.append(s) }
            }
        }
        return list
    }
}
