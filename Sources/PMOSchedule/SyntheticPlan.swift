import Foundation
import PMOCore

/// Deterministic generated plans for benchmarks and property tests (no randomness from the environment).
public enum SyntheticPlan {
    /// A plan of `activities` tasks (0.5–5 days) on the Japanese calendar with about two links each to earlier tasks
    /// among the previous 1,000 (parallel workstreams): mostly FS, some SS/FF/SF, lags from −2 to +6 hours, every 50th task a
    /// milestone, one summary per 100 tasks.
    public static func make(
        activities count: Int, seed: UInt64 = 1, start: LocalTime = LocalTime(iso: "2026-04-01T09:00")!
    ) -> SchedulePlan {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var acts: [Activity] = []
        acts.reserveCapacity(count + count / 100 + 1)
        var deps: [Dependency] = []
        deps.reserveCapacity(count * 2)
        var summaryID: Activity.ID? = nil
        var nextSummary = count + 1
        for i in 0..<count {
            if i % 100 == 0 {
                let s = Activity.ID(nextSummary)
                nextSummary += 1
                acts.append(Activity(id: s, name: "Phase \(i / 100 + 1)", kind: .summary))
                summaryID = s
            }
            let milestone = i % 50 == 49
            let minutes = milestone ? 0 : 240 * Int(1 + next() % 10)
            acts.append(
                Activity(
                    id: .init(i + 1), name: "Task \(i + 1)", kind: milestone ? .milestone : .task, parent: summaryID,
                    duration: .working(minutes)))
            guard i > 0 else { continue }
            let links = 1 + Int(next() % 3)  // 1...3, two on average
            var used: [Int] = []  // one link per pair of tasks, as in Microsoft Project
            for _ in 0..<links {
                let back = 1 + Int(next() % UInt64(min(i, 1_000)))
                if used.contains(back) { continue }
                used.append(back)
                let r = next() % 10
                let kind: Dependency.Kind =
                    r < 7 ? .finishToStart : r == 7 ? .startToStart : r == 8 ? .finishToFinish : .startToFinish
                let lag = (Int(next() % 5) - 1) * 120  // −2h ... +6h
                deps.append(
                    Dependency(from: .init(i + 1 - back), to: .init(i + 1), kind: kind, lag: .working(minutes: lag)))
            }
        }
        return SchedulePlan(
            name: "synthetic-\(count)", start: start, calendars: [.japan], defaultCalendarID: WorkCalendar.japan.id,
            activities: acts, dependencies: deps)
    }

    /// `plan` with `count` full-time people and every task assigned to one or two of them (deterministic by `seed`):
    /// the load a levelling benchmark needs. The people share the plan's calendar.
    public static func staffed(_ plan: SchedulePlan, people count: Int, seed: UInt64 = 1) -> SchedulePlan {
        var state = seed &+ 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var staffed = plan
        staffed.resources = (1...max(1, count)).map { Resource(id: .init($0), name: "Person \($0)") }
        var number = 0
        for a in plan.activities where a.kind == .task && a.duration.minutes > 0 {
            let first = 1 + next() % max(1, count)
            var people = [first]
            if next() % 4 == 0 { people.append(1 + (first + next() % max(1, count - 1)) % max(1, count)) }
            for r in Set(people).sorted() {
                number += 1
                let units = people.count == 1 ? 1.0 : 0.5
                staffed.assignments.append(
                    ResourceAssignment(
                        number: number, activity: a.id, resource: .init(r), units: units,
                        workMinutes: Int(Double(a.duration.minutes) * units)))
            }
        }
        return staffed
    }
}
