/// Resource levelling: the shortest schedule the leveller can find that keeps every precedence, release, fixed start
/// and resource capacity, in whole periods.
///
/// The search is a genetic algorithm over activity lists (Hartmann 1998), each list decoded by the serial
/// schedule-generation scheme and improved by forward-backward justification (Valls et al. 2005), started from
/// lists drawn by regret-based biased random sampling on the latest start (Kolisch 1996). A problem whose schedules
/// may be moved in time gets two populations, left- and right-justified (Debels & Vanhoucke 2007), one otherwise
/// (see `GeneticSearch`). It is deterministic: the
/// same problem, seed and number of schedules give the same result. It is bounded by a number of schedules (every
/// pass of a schedule generator counts as one, as in the literature) and stops early when it meets a lower bound.
/// `shouldStop` lets a caller outside the core add a wall-clock safety stop; it is asked every few schedules.
public enum Leveller {
    /// How hard to search.
    public struct Options: Hashable, Sendable {
        /// Most schedules generated (each forward or backward pass counts as one).
        public var schedules: Int
        /// Seed of the random choices.
        public var seed: UInt64
        /// Individuals in the population (in each of the two, for the bi-population search); nil = sized by the
        /// budget (small populations do best on small budgets and large ones on large budgets, measured on PSPLIB).
        public var population: Int?

        /// The default: 50,000 schedules, seed 1, the population sized by the budget.
        public init(schedules: Int = 50_000, seed: UInt64 = 1, population: Int? = nil) {
            self.schedules = schedules
            self.seed = seed
            self.population = population
        }
    }

    /// The single-population search's population for `options`: one per 250 schedules, between 40 and 250.
    /// A plan of thousands of activities gets fewer (each decoding costs in proportion to its size, and a wall-clock
    /// cap would otherwise stop the search before the first generations have bred): at most 25,000 / n.
    static func populationSize(_ options: Options, activities n: Int = 0) -> Int {
        if let p = options.population { return max(2, p) }
        let bySize = n > 0 ? max(10, 25_000 / n) : 250
        return max(2, min(250, bySize, max(40, options.schedules / 250)))
    }

    /// The size of each of the bi-population search's two populations for `options`: 35 and one per 180 schedules,
    /// so 62 at 5,000 schedules and 300 (the most) at 50,000, at most 50,000 / n on large problems. Tried from 40
    /// to 500 on PSPLIB: at 5,000, j120 wants 40-65 (33.2 % with 95); at 50,000, j60 wants 250-350 and j120 is level
    /// from 200 to 320.
    static func biPopulationSize(_ options: Options, activities n: Int = 0) -> Int {
        if let p = options.population { return max(2, p) }
        let bySize = n > 0 ? max(10, 50_000 / n) : 300
        return max(2, min(300, bySize, 35 + max(0, options.schedules) / 180))
    }

    /// What the leveller found.
    public struct Outcome: Hashable, Sendable {
        /// Start period of each activity, by index.
        public var starts: [Int]
        /// Latest start of each activity that keeps `makespan` with every later activity right-justified (the
        /// resource-constrained late start; `lateStarts[i] - starts[i]` is the float the levelled schedule leaves).
        public var lateStarts: [Int]
        /// The schedule's makespan (latest finish), in periods.
        public var makespan: Int
        /// Units × periods left over capacity by activities that could not fit by their latest start (levelling
        /// within slack); 0 when every capacity holds.
        public var remainingOverload: Int
        /// Length without resource limits.
        public var criticalPathLength: Int
        /// A lower bound of any schedule's makespan (critical path and resource work); equal means optimal.
        public var lowerBound: Int
        /// Schedules generated.
        public var schedules: Int
        /// Whether `shouldStop` ended the search before its number of schedules.
        public var stoppedEarly: Bool
    }

    /// Levels `problem`. Throws `LevellingError` when it is invalid, loops, or asks more of a resource than it has.
    public static func level(
        _ problem: LevellingProblem, options: Options = Options(), shouldStop: () -> Bool = { false }
    ) throws -> Outcome {
        try problem.validate()
        var search = GeneticSearch(PackedProblem(problem), options: options)
        let outcome = search.run(shouldStop: shouldStop)
        if outcome.makespan == Int.max {
            // No list decoded: some activity never finds room after its release (a capacity window too short for
            // everything that needs it).
            throw LevellingError.noRoom(activity: problem.activities[search.failedActivity ?? 0].key)
        }
        return outcome
    }
}
