import Foundation

/// What makes an interface a worry besides a design deadline passed without agreement (`RegisterRules.isOverdue`):
/// its connection test ends after a milestone of the plan that needs it, or its test window meets a time when the
/// test environment of a system at either end is unavailable.
public enum InterfaceFlags {
    /// The statuses in which the connection test is behind the interface (nothing left to be late for).
    public static let testedStatuses: Set<String> = ["connection_tested", "accepted"]

    /// The milestones (plan activity ids) among `neededBy` that come before the interface's connection test ends: the
    /// actual end once there is one, else the planned end. `dates` gives each activity's date (a milestone's day, a
    /// task's finish); an activity no longer in the plan, or an interface without a test end, is not flagged.
    public static func lateFor(status: String, details: [String: RegisterValue], dates: [Int: CalendarDate]) -> [Int] {
        guard !testedStatuses.contains(status), let needed = details["neededBy"]?.activities,
              let end = details["testActualEnd"]?.date ?? details["testPlannedEnd"]?.date else { return [] }
        return needed.filter { id in dates[id].map { end > $0 } ?? false }
    }

    /// A time an environment cannot be used, both ends included (`to` nil: from `from` on, with no end yet).
    public struct Outage: Sendable, Equatable {
        public var environment: String
        public var from: CalendarDate
        public var to: CalendarDate?
        public var note: String

        public init(environment: String, from: CalendarDate, to: CalendarDate?, note: String = "") {
            self.environment = environment
            self.from = from
            self.to = to
            self.note = note
        }
    }

    /// When an environment resource is unavailable: its absences, and the times its capacity is set to zero.
    public static func outages(environment name: String, capacity: ResourceCapacity) -> [Outage] {
        var list = capacity.absences.map { Outage(environment: name, from: $0.start, to: $0.end, note: $0.note) }
        let changes = capacity.changes
        for (i, c) in changes.enumerated() where c.percent == 0 {
            list.append(Outage(environment: name, from: c.from, to: i + 1 < changes.count ? changes[i + 1].from.adding(days: -1) : nil))
        }
        return list.sorted { ($0.from, $0.environment) < ($1.from, $1.environment) }
    }

    /// The interface's connection-test window: the actual one once it started (ending on the actual end, else the
    /// planned end), else the planned one; nil without a start and an end.
    public static func testWindow(_ details: [String: RegisterValue]) -> (start: CalendarDate, end: CalendarDate)? {
        let start = details["testActualStart"]?.date ?? details["testPlannedStart"]?.date
        let end = details["testActualEnd"]?.date ?? details["testPlannedEnd"]?.date
        guard let start, let end, start <= end else { return nil }
        return (start, end)
    }

    /// The outages of the test environments of the systems at the interface's ends (`outages` by system number) that
    /// meet its test window, while it is not yet connection-tested.
    public static func environmentClashes(status: String, details: [String: RegisterValue],
                                          outages: [Int: [Outage]]) -> [Outage] {
        guard !testedStatuses.contains(status), let window = testWindow(details) else { return [] }
        let ends = Set(["source", "target"].compactMap { details[$0]?.item?.number })
        return ends.sorted().flatMap { outages[$0] ?? [] }
            .filter { $0.from <= window.end && ($0.to.map { $0 >= window.start } ?? true) }
    }
}
