/// Resource levelling: the shortest schedule the leveller can find that keeps every precedence, release, fixed start
/// and resource capacity, in whole periods.
///
/// The search is a genetic algorithm over activity lists (Hartmann 1998), each list decoded by the serial
/// schedule-generation scheme and improved by forward-backward justification (Valls et al. 2005), started from
/// lists drawn by regret-based biased random sampling on the latest start (Kolisch 1996). It is deterministic: the
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
        /// Individuals in the population; nil = one per 250 schedules, between 40 and 250 (small populations do
        /// best on small budgets and large ones on large budgets, measured on PSPLIB j120).
        public var population: Int?

        /// The default: 50,000 schedules, seed 1, the population sized by the budget.
        public init(schedules: Int = 50_000, seed: UInt64 = 1, population: Int? = nil) {
            self.schedules = schedules
            self.seed = seed
            self.population = population
        }
    }

    /// The population used for `options`.
    /// A plan of thousands of activities gets fewer (each decoding costs in proportion to its size, and a wall-clock
    /// cap would otherwise stop the search before the first generations have bred): at most 25,000 / n.
    static func populationSize(_ options: Options, activities n: Int = 0) -> Int {
        if let p = options.population { return max(2, p) }
        let bySize = n > 0 ? max(10, 25_000 / n) : 250
        return max(2, min(250, bySize, max(40, options.schedules / 250)))
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
