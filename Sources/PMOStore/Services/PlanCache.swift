import Foundation
import PMOCore
import PMOSchedule

/// A plan as computed from its stored rows: the same for every reader, so it can be kept between requests.
struct ComputedPlan: Sendable {
    var snapshot: PlanSnapshot
    var rows: [WBSRow]
    var schedulePlan: SchedulePlan
    var result: ScheduleResult
    var scheduledByUID: [Int: ScheduledActivity]
    var version: Int
    var activityVersions: [Int: Int]
    var hasFeed: Bool
}

/// The computed schedules of recently read plans, and their encoded answers, keyed by project and plan version.
///
/// Every write to a plan bumps `plans.version` in the same transaction (`touchPlan`), and every read asks the
/// database for the current version before using an entry, so an entry is never served after a change made by this
/// instance or any other on the same database: a stale entry is simply never asked for again. Only reads outside a
/// transaction use it (a writer's view includes its own uncommitted rows). Bounded: the least recently used plans
/// go first.
public final class PlanCache: @unchecked Sendable {
    private struct Key: Hashable { var project: UUID; var version: Int }
    private struct Entry {
        var plan: ComputedPlan
        /// Encoded answers for this version, by what else they depend on (the reader's view of costs, names…).
        var encoded: [String: Data] = [:]
        var lastUse: UInt64
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private let capacity: Int
    private let encodedPerPlan = 8

    /// `capacity`: how many computed plans to keep (a 5,000-activity plan takes a few megabytes).
    public init(capacity: Int = 8) { self.capacity = capacity }

    func plan(_ project: UUID, version: Int) -> ComputedPlan? {
        lock.withLock {
            let key = Key(project: project, version: version)
            guard var entry = entries[key] else { return nil }
            clock += 1
            entry.lastUse = clock
            entries[key] = entry
            return entry.plan
        }
    }

    func store(_ plan: ComputedPlan, project: UUID) {
        lock.withLock {
            clock += 1
            // An older version of the same plan is of no use any more.
            for key in entries.keys where key.project == project && key.version < plan.version { entries[key] = nil }
            entries[Key(project: project, version: plan.version)] = Entry(plan: plan, lastUse: clock)
            while entries.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                entries[oldest] = nil
            }
        }
    }

    /// An answer encoded earlier for this plan version and `variant` (everything else it depends on).
    public func encoded(_ project: UUID, version: Int, variant: String) -> Data? {
        lock.withLock { entries[Key(project: project, version: version)]?.encoded[variant] }
    }

    public func storeEncoded(_ data: Data, project: UUID, version: Int, variant: String) {
        lock.withLock {
            let key = Key(project: project, version: version)
            guard var entry = entries[key] else { return }
            if entry.encoded.count >= encodedPerPlan { entry.encoded.removeAll() }
            entry.encoded[variant] = data
            entries[key] = entry
        }
    }

    /// How many plans are kept (for tests).
    public var count: Int { lock.withLock { entries.count } }
}
