/// The bi-population search (after Debels & Vanhoucke's bi-population genetic algorithm, 2005–2007), for problems
/// whose schedules may be moved in time (`PackedProblem.isShiftInvariant`).
///
/// Two populations: left-justified schedules (decoded forwards) and right-justified ones (decoded backwards, then
/// moved to start at 0). Right-justified parents breed a child decoded forwards, and left-justified parents one
/// decoded backwards; each child's schedule is then justified once the other way, and each pass's schedule joins
/// the population of its kind. So a crossover costs two schedules, where the single-population search spends three
/// to five on every child's justification, and each population breeds from schedules packed towards its own end.
/// Measured on PSPLIB against the single population (mean deviation from the critical path, seed 1): j60 11.24 →
/// 11.11 % at 5,000 schedules and 10.76 → 10.72 % at 50,000; j120 33.16 → 32.85 % at 5,000 and, within the
/// 1,000 ms cap, 31.48 → 31.35 % at 50,000 (docs/scheduling.md, "Levelling").
extension GeneticSearch {
    mutating func runBiPopulation(shouldStop: () -> Bool) -> Leveller.Outcome {
        let size = Leveller.biPopulationSize(options, activities: p.count)
        var stopped = false
        var left: [Individual] = []
        var right: [Individual] = []
        // The first list follows the latest starts exactly; the others are drawn around them.
        var list = sampleList(bias: nil)
        while left.count < size && budgetLeft && !atLowerBound {
            seedPair(list, left: &left, right: &right)
            if shouldStop() {
                stopped = true
                break
            }
            list = sampleList(bias: 1)
        }
        left = survivors(left, size: size)
        right = survivors(right, size: size)
        var stale = 0
        var lastBest = best
        generations: while budgetLeft && !atLowerBound && !stopped && !left.isEmpty && !right.isEmpty {
            var newLeft: [Individual] = []
            var newRight: [Individual] = []
            while newLeft.count < size {
                // Right-justified parents: a child decoded forwards, its schedule then justified backwards.
                let mother = tournament(right)
                let father = tournament(right)
                var child = peakCrossover(right[mother], right[father])
                mutate(&child)
                let forwards = decodeForwards(child)
                newLeft.append(forwards)
                if !budgetLeft || atLowerBound { break generations }
                if let backwards = decodeBackwards(forwards.reverseList, deadline: forwards.makespan) {
                    newRight.append(backwards)
                }
                if !budgetLeft || atLowerBound { break generations }
                // Left-justified parents: a child decoded backwards, its schedule then justified forwards.
                let leftMother = tournament(left)
                let leftFather = tournament(left)
                var reverseChild = peakCrossoverBackwards(left[leftMother], left[leftFather])
                mutateReverse(&reverseChild)
                let room = 2 * max(left[leftMother].makespan, left[leftFather].makespan)
                if let backwards = decodeBackwards(reverseChild, deadline: room) {
                    newRight.append(backwards)
                    if !budgetLeft || atLowerBound { break generations }
                    newLeft.append(decodeForwards(backwards.list))
                }
                if !budgetLeft || atLowerBound { break generations }
                if shouldStop() {
                    stopped = true
                    break generations
                }
            }
            left = survivors(left + newLeft, size: size)
            right = survivors(right + newRight, size: size)
            if let now = best, lastBest.map({ now.isBetter(than: $0) }) ?? true {
                lastBest = now
                stale = 0
            } else {
                stale += 1
            }
            // Populations that have stopped improving are spread out again around the best list.
            if stale >= 30, let around = best?.list {
                stale = 0
                var freshLeft = [left[0]]
                var freshRight = [right[0]]
                while freshLeft.count < size && budgetLeft && !atLowerBound {
                    var list = around
                    for _ in 0..<max(2, p.freeActivities.count / 4) {
                        swapAdjacent(&list, at: random.below(max(1, list.count - 1)))
                    }
                    seedPair(freshLeft.count % 2 == 0 ? list : sampleList(bias: 1), left: &freshLeft, right: &freshRight)
                }
                left = survivors(freshLeft, size: size)
                right = survivors(freshRight, size: size)
            }
        }
        return outcome(stoppedEarly: stopped)
    }

    /// Decodes `list` forwards into `left`, and its schedule backwards into `right`.
    private mutating func seedPair(_ list: [Int], left: inout [Individual], right: inout [Individual]) {
        let forwards = decodeForwards(list)
        left.append(forwards)
        guard budgetLeft && !atLowerBound,
            let backwards = decodeBackwards(forwards.reverseList, deadline: forwards.makespan)
        else { return }
        right.append(backwards)
    }

    /// A left-justified individual: `list` decoded forwards (one schedule), with its order by finish.
    mutating func decodeForwards(_ list: [Int]) -> Individual {
        var starts = p.fixedStart
        schedules += 1
        guard let makespan = decoder.forward(list, start: &starts) else {
            failedActivity = decoder.failedActivity
            return Individual(list: list, starts: starts, makespan: Int.max, overload: Int.max, fingerprint: 0)
        }
        for i in p.freeActivities { keys[i] = starts[i] + p.duration[i] }
        var reverse: [Int] = []
        decoder.backwardOrder(byKey: keys, into: &reverse)
        var individual = Individual(
            list: list, starts: starts, makespan: makespan, overload: decoder.overload,
            fingerprint: Self.fingerprint(starts))
        individual.reverseList = reverse
        if best.map({ individual.isBetter(than: $0) }) ?? true { best = individual }
        return individual
    }

    /// A right-justified individual: `reverse` decoded backwards to finish by `deadline` (one schedule; once more
    /// by the horizon, where every backward schedule fits, if it would start before 0), moved to start at 0, with
    /// its order by start.
    mutating func decodeBackwards(_ reverse: [Int], deadline: Int) -> Individual? {
        var end = min(p.horizon, deadline)
        var starts = p.fixedStart
        schedules += 1
        if !decoder.backward(reverse, makespan: end, start: &starts) {
            guard budgetLeft else { return nil }
            end = p.horizon
            starts = p.fixedStart
            schedules += 1
            guard decoder.backward(reverse, makespan: end, start: &starts) else { return nil }
        }
        var earliest = end
        for i in p.freeActivities { earliest = min(earliest, starts[i]) }
        for i in p.freeActivities {
            starts[i] -= earliest
            keys[i] = starts[i]
        }
        var list: [Int] = []
        decoder.forwardOrder(byKey: keys, into: &list)
        var individual = Individual(
            list: list, starts: starts, makespan: end - earliest, overload: 0, fingerprint: Self.fingerprint(starts))
        individual.reverseList = reverse
        if best.map({ individual.isBetter(than: $0) }) ?? true { best = individual }
        return individual
    }

    /// The peak crossover backwards: a reverse list with, as one block in the mother's reverse order, the activities
    /// she starts in her most resource-intensive window, and the father's reverse order for those after the block
    /// (first) and before it (last).
    mutating func peakCrossoverBackwards(_ mother: Individual, _ father: Individual) -> [Int] {
        guard let (first, last) = peakWindow(of: mother) else { return mother.reverseList }
        let n = p.count
        for (position, a) in father.reverseList.enumerated() {
            let s = mother.starts[a]
            keys[a] = s >= last ? position : (s < first ? 2 * n + position : 0)
        }
        for (position, a) in mother.reverseList.enumerated() where mother.starts[a] >= first && mother.starts[a] < last {
            keys[a] = n + position
        }
        // The backward order takes the largest key first.
        for i in p.freeActivities { keys[i] = 3 * n - keys[i] }
        var child: [Int] = []
        decoder.backwardOrder(byKey: keys, into: &child)
        return child
    }

    /// `mutate` on a reverse list (reversed, it is a list like any other).
    mutating func mutateReverse(_ reverse: inout [Int]) {
        reverse.reverse()
        mutate(&reverse)
        reverse.reverse()
    }
}
