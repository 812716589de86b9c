import Testing

@testable import PMOSchedule

/// The decoder's priority-ordered topological sorts: a counting sort when the keys already keep every link (the usual
/// case), the same sort repaired where they do not, a heap when keys are too far apart to count; every way the order
/// must be the one a plain priority-ordered topological sort gives, or levelling would stop being the same for the same
/// seed.
@Suite struct SerialDecoderOrderTests {
    /// Kahn's algorithm taking, each time, the eligible activity with the smallest (key, rank), or the largest when
    /// going backwards over the successors: slow and obviously right.
    static func reference(_ p: PackedProblem, key: [Int], backward: Bool) -> [Int] {
        var placed = Set<Int>()
        var out: [Int] = []
        let free = p.freeActivities
        while out.count < free.count {
            let eligible = free.filter { i in
                guard !placed.contains(i) else { return false }
                let (start, end, index) = backward ? (p.succStart, p.succStart, p.succIndex) : (p.predStart, p.predStart, p.predIndex)
                return (start[i]..<end[i + 1]).allSatisfy { k in p.fixedStart[index[k]] >= 0 || placed.contains(index[k]) }
            }
            let pick = backward
                ? eligible.max { (key[$0], p.rank[$0]) < (key[$1], p.rank[$1]) }!
                : eligible.min { (key[$0], p.rank[$0]) < (key[$1], p.rank[$1]) }!
            placed.insert(pick)
            out.append(pick)
        }
        return out
    }

    /// A random network of `n` activities (links only from lower to higher index, some with leads so that a
    /// successor may start first), one fixed activity, and random keys.
    static func network(_ n: Int, seed: UInt64) -> (LevellingProblem, [Int]) {
        var random = SeededGenerator(seed: seed)
        let acts = (0..<n).map { i in
            LevellingProblem.Activity(key: i, duration: random.below(4), fixedStart: i == n / 2 ? 3 : nil,
                                      demands: [.init(resource: 0, units: 1)])
        }
        var links: [LevellingProblem.Precedence] = []
        for s in 1..<n {
            for _ in 0..<random.below(3) {
                let q = random.below(s)
                links.append(.init(predecessor: q, successor: s, distance: random.below(5) - 2))
            }
        }
        let problem = LevellingProblem(activities: acts, resources: [.init(key: 0, capacity: 2)], precedences: links)
        // Mostly narrow keys (starts of a schedule: ties and near-topological orders), sometimes keys that ignore the
        // links altogether, sometimes keys too far apart for the counting sort.
        let spread = [3, 40, 1_000_000][Int(seed % 3)]
        return (problem, (0..<n).map { _ in random.below(spread) })
    }

    @Test func bothSortsGiveThePriorityOrderedTopologicalOrder() throws {
        var counted = 0
        for seed in UInt64(1)...300 {
            let (problem, key) = Self.network(2 + Int(seed % 40), seed: seed)
            try problem.validate()
            let packed = PackedProblem(problem)
            let decoder = SerialDecoder(packed)
            var order: [Int] = []
            decoder.forwardOrder(byKey: key, into: &order)
            #expect(order == Self.reference(packed, key: key, backward: false), "forwards, seed \(seed)")
            // Backwards the keys are finishes: periods within the decoder's horizon.
            let finishes = key.map { $0 % (packed.horizon + 1) }
            decoder.backwardOrder(byKey: finishes, into: &order)
            #expect(order == Self.reference(packed, key: finishes, backward: true), "backwards, seed \(seed)")
            let sorted = packed.freeActivities.sorted { (key[$0], packed.rank[$0]) < (key[$1], packed.rank[$1]) }
            if sorted == Self.reference(packed, key: key, backward: false) { counted += 1 }
        }
        // Keys that keep the links and keys that do not were both drawn (a third of the seeds also go to the heap).
        #expect(counted > 20 && counted < 280)
    }
}
