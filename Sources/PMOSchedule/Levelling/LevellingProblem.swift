import Foundation

/// A resource-constrained scheduling problem in whole periods (days for plans, periods for PSPLIB): what the leveller
/// solves. Pure data; build it from a plan or a PSPLIB file, then `validate()` before levelling.
///
/// Every time is a whole period counted from 0. An activity runs in periods `start ..< start + duration` and uses its
/// demands in each of them. Precedences are minimum distances between starts, so every Microsoft Project link type
/// with its lag fits (see `Precedence.finishToStart` and friends).
public struct LevellingProblem: Hashable, Sendable {
    /// One activity.
    public struct Activity: Hashable, Sendable {
        /// What the caller calls it (plan activity id, PSPLIB job number); reported back in errors and results.
        public var key: Int
        /// Name shown in errors.
        public var name: String
        /// Duration in periods (≥ 0).
        public var duration: Int
        /// Earliest start (constraints, the status date for work not yet done).
        public var release: Int
        /// Latest start allowed ("level within slack": the late start of the unlevelled plan); nil = unbounded.
        public var latestStart: Int?
        /// A start the leveller must keep (work already done or in progress); nil = free to move.
        public var fixedStart: Int?
        /// Units needed of each resource, in every period the activity runs.
        public var demands: [Demand]

        /// An activity.
        public init(
            key: Int, name: String = "", duration: Int, release: Int = 0, latestStart: Int? = nil,
            fixedStart: Int? = nil, demands: [Demand] = []
        ) {
            self.key = key
            self.name = name
            self.duration = duration
            self.release = release
            self.latestStart = latestStart
            self.fixedStart = fixedStart
            self.demands = demands
        }
    }

    /// Units of one resource needed per period.
    public struct Demand: Hashable, Sendable {
        /// Index into `resources`.
        public var resource: Int
        /// Units per period (≥ 0).
        public var units: Int
        /// A demand.
        public init(resource: Int, units: Int) {
            self.resource = resource
            self.units = units
        }
    }

    /// A renewable resource: units available per period, possibly varying (absences, holidays, shared time).
    public struct Resource: Hashable, Sendable {
        /// What the caller calls it; reported back in errors.
        public var key: Int
        /// Name shown in errors.
        public var name: String
        /// Units available in every period not covered by `profile` (≥ 0).
        public var capacity: Int
        /// Units available in periods `0 ..< profile.count`; later periods have `capacity`.
        public var profile: [Int]

        /// A resource.
        public init(key: Int, name: String = "", capacity: Int, profile: [Int] = []) {
            self.key = key
            self.name = name
            self.capacity = capacity
            self.profile = profile
        }

        /// Units available in `period`.
        public func capacity(at period: Int) -> Int { period < profile.count ? profile[period] : capacity }
    }

    /// `start(successor) ≥ start(predecessor) + distance`.
    public struct Precedence: Hashable, Sendable {
        /// Index of the activity that comes first.
        public var predecessor: Int
        /// Index of the activity that waits.
        public var successor: Int
        /// Minimum distance between the two starts, in periods (may be negative).
        public var distance: Int

        /// A precedence as a distance between starts.
        public init(predecessor: Int, successor: Int, distance: Int) {
            self.predecessor = predecessor
            self.successor = successor
            self.distance = distance
        }
    }

    /// Activities, by index.
    public var activities: [Activity]
    /// Resources, by index.
    public var resources: [Resource]
    /// Precedences between activities (indices).
    public var precedences: [Precedence]

    /// A problem.
    public init(activities: [Activity], resources: [Resource], precedences: [Precedence]) {
        self.activities = activities
        self.resources = resources
        self.precedences = precedences
    }
}

extension LevellingProblem.Precedence {
    /// Finish-to-start with `lag` periods: the successor starts once the predecessor has finished.
    public static func finishToStart(
        _ p: Int, _ s: Int, in activities: [LevellingProblem.Activity], lag: Int = 0
    ) -> Self {
        .init(predecessor: p, successor: s, distance: activities[p].duration + lag)
    }

    /// Start-to-start with `lag` periods.
    public static func startToStart(_ p: Int, _ s: Int, lag: Int = 0) -> Self {
        .init(predecessor: p, successor: s, distance: lag)
    }

    /// Finish-to-finish with `lag` periods.
    public static func finishToFinish(
        _ p: Int, _ s: Int, in activities: [LevellingProblem.Activity], lag: Int = 0
    ) -> Self {
        .init(predecessor: p, successor: s, distance: activities[p].duration + lag - activities[s].duration)
    }

    /// Start-to-finish with `lag` periods.
    public static func startToFinish(
        _ p: Int, _ s: Int, in activities: [LevellingProblem.Activity], lag: Int = 0
    ) -> Self {
        .init(predecessor: p, successor: s, distance: lag - activities[s].duration)
    }
}

/// Why a problem cannot be levelled; each case names what is at fault.
public enum LevellingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A field holds a value out of range (a negative duration or capacity, an unknown index).
    case invalidValue(field: String, activity: Int?, resource: Int?, reason: String)
    /// The precedences form a loop; the keys of the activities on it, in order.
    case loop(activities: [Int])
    /// An activity needs more of a resource than it ever has for long enough.
    case neverFits(activity: Int, resource: Int, units: Int, capacity: Int)
    /// An activity finds no room after its release: the only windows that can hold it are taken or already past.
    case noRoom(activity: Int)

    public var description: String {
        switch self {
        case .invalidValue(let field, let a, let r, let reason):
            var what = field
            if let a { what += " of activity \(a)" }
            if let r { what += " of resource \(r)" }
            return "\(what): \(reason)"
        case .loop(let keys):
            return "The dependencies form a loop: " + keys.map(String.init).joined(separator: " → ")
                + (keys.first.map { " → \($0)" } ?? "") + ". Remove one of these links."
        case .neverFits(let a, let r, let units, let capacity):
            return
                "Activity \(a) needs \(units) units of resource \(r), which never has more than \(capacity) "
                + "for the activity's whole duration; lower the demand or raise the capacity."
        case .noRoom(let a):
            return
                "Activity \(a) finds no room: the only periods its resources can hold it are taken or before its "
                + "release; widen the capacity window or move the release."
        }
    }
}

extension LevellingProblem {
    /// Largest demand or capacity accepted (a thousand people at 100 %), so sums of many
    /// demands stay far inside the decoder's 32-bit profile.
    public static let maximumUnits = 100_000

    /// Checks ranges, loops and demands that can never be met; throws the first fault found.
    public func validate() throws {
        let n = activities.count
        for a in activities {
            if a.duration < 0 {
                throw LevellingError.invalidValue(field: "duration", activity: a.key, resource: nil, reason: "must be ≥ 0")
            }
            if a.release < 0 {
                throw LevellingError.invalidValue(field: "release", activity: a.key, resource: nil, reason: "must be ≥ 0")
            }
            if let f = a.fixedStart, f < 0 {
                throw LevellingError.invalidValue(field: "fixedStart", activity: a.key, resource: nil, reason: "must be ≥ 0")
            }
            for d in a.demands {
                guard resources.indices.contains(d.resource) else {
                    throw LevellingError.invalidValue(
                        field: "demand", activity: a.key, resource: nil, reason: "names resource index \(d.resource), which does not exist")
                }
                if d.units < 0 || d.units > Self.maximumUnits {
                    throw LevellingError.invalidValue(
                        field: "units", activity: a.key, resource: resources[d.resource].key,
                        reason: "must be between 0 and \(Self.maximumUnits)")
                }
            }
        }
        for r in resources where r.capacity < 0 || r.profile.contains(where: { $0 < 0 }) {
            throw LevellingError.invalidValue(field: "capacity", activity: nil, resource: r.key, reason: "must be ≥ 0")
        }
        for r in resources where r.capacity > Self.maximumUnits || r.profile.contains(where: { $0 > Self.maximumUnits }) {
            throw LevellingError.invalidValue(
                field: "capacity", activity: nil, resource: r.key, reason: "must be at most \(Self.maximumUnits)")
        }
        for p in precedences where !(0..<n).contains(p.predecessor) || !(0..<n).contains(p.successor) {
            throw LevellingError.invalidValue(
                field: "precedence", activity: nil, resource: nil,
                reason: "links activity index \(p.predecessor) to \(p.successor); both must be below \(n)")
        }
        if let loop = findLoop() { throw LevellingError.loop(activities: loop.map { activities[$0].key }) }
        for a in activities where a.fixedStart == nil && a.duration > 0 {
            for d in a.demands where d.units > 0 {
                let r = resources[d.resource]
                if d.units <= r.capacity { continue }
                if Self.longestRun(of: r.profile, atLeast: d.units) >= a.duration { continue }
                throw LevellingError.neverFits(
                    activity: a.key, resource: r.key, units: d.units, capacity: max(r.capacity, r.profile.max() ?? 0))
            }
        }
    }

    static func longestRun(of profile: [Int], atLeast units: Int) -> Int {
        var best = 0
        var run = 0
        for c in profile {
            run = c >= units ? run + 1 : 0
            best = max(best, run)
        }
        return best
    }

    /// The indices of one loop of the precedences, or nil when there is none.
    func findLoop() -> [Int]? {
        let n = activities.count
        var successors = [[Int]](repeating: [], count: n)
        for p in precedences { successors[p.predecessor].append(p.successor) }
        // Iterative depth-first search: 0 = unseen, 1 = on the path, 2 = done.
        var state = [UInt8](repeating: 0, count: n)
        var parent = [Int](repeating: -1, count: n)
        for root in 0..<n where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while var top = stack.popLast() {
                if top.next < successors[top.node].count {
                    let s = successors[top.node][top.next]
                    top.next += 1
                    stack.append(top)
                    if state[s] == 1 {
                        var loop = [s]
                        var v = top.node
                        while v != s {
                            loop.append(v)
                            v = parent[v]
                        }
                        return [s] + loop.dropFirst().reversed()
                    }
                    if state[s] == 0 {
                        state[s] = 1
                        parent[s] = top.node
                        stack.append((s, 0))
                    }
                } else {
                    state[top.node] = 2
                }
            }
        }
        return nil
    }
}
