import Foundation
import PMOCore
import PMOSchedule

/// A single-mode RCPSP instance in PSPLIB `.sm` format (Kolisch & Sprecher 1996). Durations are whole periods.
public struct PSPLIBProject: Hashable, Sendable {
    /// One job (activity) of the network; jobs 1 and `jobs.count` are the dummy source and sink.
    public struct Job: Hashable, Sendable {
        /// Job number, 1-based.
        public var number: Int
        /// Duration in periods (≥ 0).
        public var duration: Int
        /// Job numbers that must wait for this job to finish (finish-to-start, no lag).
        public var successors: [Int]
        /// Units of each renewable resource needed per period.
        public var requests: [Int]
    }

    /// Jobs in file order (by number).
    public var jobs: [Job]
    /// Capacity per renewable resource, in units per period.
    public var resourceCapacities: [Int]
    /// The file's MPM-Time: critical path length without resource limits, in periods.
    public var mpmTime: Int
    /// The file's horizon (sum of durations), in periods.
    public var horizon: Int

    /// The network as a plan: periods become minutes of the 24×7 calendar, starting at 1970-01-01T00:00 (period 0).
    public func plan(name: String = "PSPLIB") -> SchedulePlan {
        let acts = jobs.map { j in
            Activity(
                id: Activity.ID(j.number), name: "Job \(j.number)", kind: j.duration == 0 ? .milestone : .task,
                duration: .working(j.duration), calendarID: WorkCalendar.continuous.id)
        }
        var deps: [Dependency] = []
        for j in jobs {
            for s in j.successors { deps.append(Dependency(from: Activity.ID(j.number), to: Activity.ID(s))) }
        }
        return SchedulePlan(
            name: name, start: LocalTime(minutes: 0), calendars: [.continuous],
            defaultCalendarID: WorkCalendar.continuous.id, activities: acts, dependencies: deps,
            minutesPerDay: 1)
    }

    /// The network as a levelling problem: one activity per job (index = job number - 1), finish-to-start
    /// precedences, and the renewable resources with their constant capacities.
    public func levellingProblem() -> LevellingProblem {
        let acts = jobs.map { j in
            LevellingProblem.Activity(
                key: j.number, name: "Job \(j.number)", duration: j.duration,
                demands: j.requests.enumerated().compactMap { r, units in
                    units > 0 && r < resourceCapacities.count ? .init(resource: r, units: units) : nil
                })
        }
        var precedences: [LevellingProblem.Precedence] = []
        for j in jobs {
            for s in j.successors { precedences.append(.finishToStart(j.number - 1, s - 1, in: acts)) }
        }
        let resources = resourceCapacities.enumerated().map { r, capacity in
            LevellingProblem.Resource(key: r + 1, name: "R\(r + 1)", capacity: capacity)
        }
        return LevellingProblem(activities: acts, resources: resources, precedences: precedences)
    }
}
