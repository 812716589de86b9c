import Foundation
import PMOCore
import Testing

@testable import PMOSchedule

@Suite struct CriticalPathTests {
    static func t(_ s: String) -> LocalTime { LocalTime(iso: s)! }
    static let day = 480

    static func plan(
        _ acts: [Activity], _ deps: [Dependency], start: String = "2024-01-08T08:00",
        calendar: WorkCalendar = .msProjectStandard
    ) -> SchedulePlan {
        SchedulePlan(
            name: "t", start: t(start), calendars: [calendar], defaultCalendarID: calendar.id, activities: acts,
            dependencies: deps)
    }

    static func task(
        _ id: Int, _ days: Int, constraint: ActivityConstraint = .asap, deadline: LocalTime? = nil, parent: Int? = nil
    ) -> Activity {
        Activity(
            id: .init(id), name: "T\(id)", kind: days == 0 ? .milestone : .task, parent: parent.map(Activity.ID.init),
            duration: .working(days * day), constraint: constraint, deadline: deadline)
    }

    static func link(_ a: Int, _ b: Int, _ k: Dependency.Kind = .finishToStart, lag: Int = 0) -> Dependency {
        Dependency(from: .init(a), to: .init(b), kind: k, lag: .working(minutes: lag))
    }

    /// Worked by hand on Mon 2024-01-08, 08:00–12:00 and 13:00–17:00:
    /// A 2d; B 3d FS A; C 1d SS A +1d; D 2d FS C and FF B.
    @Test func handWorkedNetworkWithAllLinkTypes() {
        let p = Self.plan(
            [Self.task(1, 2), Self.task(2, 3), Self.task(3, 1), Self.task(4, 2)],
            [
                Self.link(1, 2), Self.link(1, 3, .startToStart, lag: Self.day), Self.link(3, 4),
                Self.link(2, 4, .finishToFinish),
            ])
        let r = CriticalPath.schedule(p)
        #expect(r.diagnostics.isEmpty)
        let a = r.activities
        #expect(a[0].earlyStart == Self.t("2024-01-08T08:00") && a[0].earlyFinish == Self.t("2024-01-09T17:00"))
        #expect(a[1].earlyStart == Self.t("2024-01-10T08:00") && a[1].earlyFinish == Self.t("2024-01-12T17:00"))
        #expect(a[2].earlyStart == Self.t("2024-01-09T08:00") && a[2].earlyFinish == Self.t("2024-01-09T17:00"))
        #expect(a[3].earlyStart == Self.t("2024-01-11T08:00") && a[3].earlyFinish == Self.t("2024-01-12T17:00"))
        #expect(a[2].lateStart == Self.t("2024-01-10T08:00") && a[2].lateFinish == Self.t("2024-01-10T17:00"))
        #expect(a.map(\.totalFloat) == [0, 0, Self.day, 0])
        #expect(a.map(\.freeFloat) == [0, 0, Self.day, 0])
        #expect(a.map(\.isCritical) == [true, true, false, true])
        #expect(r.projectFinish == Self.t("2024-01-12T17:00"))
        // D is driven by B's finish (FF, no gap), not by C (a day of gap); B by A.
        #expect(a[3].drivingPredecessor == .init(2) && a[2].drivingPredecessor == .init(1))
        #expect(r.drivingPath(to: .init(4)) == [.init(1), .init(2), .init(4)])
        #expect(r.drivingPath(to: .init(1)) == [.init(1)])
    }

    @Test func finishIsShownAtFivePmAndSkipsTheWeekend() {
        // 3 days from Thursday 2024-01-11: Thu, Fri, Mon → finish Monday 17:00; its successor starts Tuesday 08:00.
        let p = Self.plan(
            [Self.task(1, 3), Self.task(2, 1), Self.task(3, 0)], [Self.link(1, 2), Self.link(2, 3)],
            start: "2024-01-11T08:00")
        let r = CriticalPath.schedule(p)
        #expect(r.activities[0].finish == Self.t("2024-01-15T17:00"))
        #expect(r.activities[1].start == Self.t("2024-01-16T08:00"))
        #expect(r.activities[2].start == Self.t("2024-01-16T17:00"))  // a milestone sits at its predecessor's finish
        #expect(r.activities[2].finish == Self.t("2024-01-16T17:00"))
    }

    @Test func leadsAndElapsedAndPercentLags() {
        let p = Self.plan(
            [Self.task(1, 4), Self.task(2, 1), Self.task(3, 1), Self.task(4, 1)],
            [
                Self.link(1, 2, lag: -Self.day),  // lead of 1d: starts on A's last day
                Dependency(from: .init(1), to: .init(3), kind: .finishToStart, lag: .elapsed(minutes: 3 * 1440)),
                Dependency(from: .init(1), to: .init(4), kind: .startToStart, lag: .percent(50)),
            ])
        let r = CriticalPath.schedule(p)
        #expect(r.activities[0].finish == Self.t("2024-01-11T17:00"))
        #expect(r.activities[1].start == Self.t("2024-01-11T08:00"))
        // Thu 17:00 + 72 elapsed hours = Sun 17:00 → next working start Monday 08:00.
        #expect(r.activities[2].start == Self.t("2024-01-15T08:00"))
        // 50 % of 4 days = 2 days after A's start.
        #expect(r.activities[3].start == Self.t("2024-01-10T08:00"))
    }

    @Test func constraintsAndDeadlinesGiveDiagnostics() {
        let p = Self.plan(
            [
                Self.task(1, 5),
                Self.task(2, 1, constraint: ActivityConstraint(.startNoEarlierThan, date: Self.t("2024-01-22T08:00"))),
                Self.task(3, 2, constraint: ActivityConstraint(.mustStartOn, date: Self.t("2024-01-10T08:00"))),
                Self.task(4, 1, deadline: Self.t("2024-01-12T17:00")),
            ], [Self.link(1, 3), Self.link(1, 4)])
        let r = CriticalPath.schedule(p)
        #expect(r.activities[1].start == Self.t("2024-01-22T08:00"))
        // MSO wins over the link (the constraint is kept) and the conflict is reported.
        #expect(r.activities[2].start == Self.t("2024-01-10T08:00"))
        let codes = r.diagnostics.map(\.code)
        #expect(codes.contains(.constraintConflict))
        #expect(r.diagnostics.first { $0.code == .constraintConflict }?.activities == [.init(3)])
        // Task 4 can only finish Mon 2024-01-15 17:00, after its deadline: missed, and negative float back to task 1.
        #expect(codes.contains(.deadlineMissed))
        let negative = r.diagnostics.first { $0.code == .negativeFloat }?.activities ?? []
        #expect(negative.contains(.init(1)) && negative.contains(.init(4)))
        #expect(r.activities[3].totalFloat == -Self.day)
    }

    @Test func cyclesAreReportedNotLoopedOn() {
        let p = Self.plan(
            [Self.task(1, 1), Self.task(2, 1), Self.task(3, 1), Self.task(4, 1), Self.task(5, 1)],
            [Self.link(1, 2), Self.link(2, 3), Self.link(3, 1), Self.link(3, 4), Self.link(5, 5)])
        let r = CriticalPath.schedule(p)
        #expect(!r.isScheduled)
        #expect(r.activities.isEmpty)
        let cycles = r.diagnostics.filter { $0.code == .cycle }
        #expect(cycles.map(\.activities) == [[.init(1), .init(2), .init(3)], [.init(5)]])
        #expect(cycles.allSatisfy { $0.code.rawValue == "schedule.cycle" })
    }

    @Test func unknownLinksAreIgnoredWithADiagnostic() {
        let r = CriticalPath.schedule(Self.plan([Self.task(1, 1)], [Self.link(1, 99)]))
        #expect(r.isScheduled)
        #expect(r.diagnostics.map(\.code) == [.unknownActivity])
        #expect(r.diagnostics[0].activities == [.init(99)])
    }

    @Test func summariesRollUpAndLinksOnSummariesReachTheirTasks() {
        var s = Activity(id: .init(10), name: "Phase", kind: .summary)
        s.duration = .zero
        let p = Self.plan(
            [s, Self.task(1, 2, parent: 10), Self.task(2, 1, parent: 10), Self.task(3, 1)],
            [Self.link(1, 2), Self.link(10, 3)])
        let r = CriticalPath.schedule(p)
        #expect(r.activities[0].start == Self.t("2024-01-08T08:00"))
        #expect(r.activities[0].finish == Self.t("2024-01-10T17:00"))
        #expect(r.activities[3].start == Self.t("2024-01-11T08:00"))
        #expect(r.activities[0].isCritical)
    }

    @Test func aSummaryIsCriticalOnlyWhileAnUnfinishedRowIs() {
        var s = Activity(id: .init(10), name: "Phase", kind: .summary)
        s.duration = .zero
        var done1 = Self.task(1, 2, parent: 10)
        done1.progress = ActivityProgress(
            actualStart: Self.t("2024-01-08T08:00"), actualFinish: Self.t("2024-01-09T17:00"), percentComplete: 100)
        var done2 = Self.task(2, 1, parent: 10)
        done2.progress = ActivityProgress(
            actualStart: Self.t("2024-01-10T08:00"), actualFinish: Self.t("2024-01-10T17:00"), percentComplete: 100)
        let finished = CriticalPath.schedule(Self.plan([s, done1, done2, Self.task(3, 1)], [Self.link(1, 2), Self.link(10, 3)]))
        #expect(finished.activities[0].totalFloat <= 0)
        #expect(!finished.activities[0].isCritical, "a finished summary is not critical")
        #expect(finished.activities[3].isCritical)
        // The same summary with its second row still to do is critical again, through that row.
        let open = CriticalPath.schedule(Self.plan([s, done1, Self.task(2, 1, parent: 10), Self.task(3, 1)],
                                                   [Self.link(1, 2), Self.link(10, 3)]))
        #expect(open.activities[2].isCritical)
        #expect(open.activities[0].isCritical)
    }

    @Test func progressUsesActualDates() {
        var a = Self.task(1, 2)
        a.progress = ActivityProgress(
            actualStart: Self.t("2024-01-09T08:00"), actualFinish: Self.t("2024-01-12T17:00"), percentComplete: 100)
        let r = CriticalPath.schedule(Self.plan([a, Self.task(2, 1)], [Self.link(1, 2)]))
        #expect(r.activities[0].start == Self.t("2024-01-09T08:00"))
        #expect(r.activities[1].start == Self.t("2024-01-15T08:00"))
        #expect(!r.activities[0].isCritical && r.activities[0].totalFloat == 0)
    }

    /// Random networks on the Japanese calendar with mixed link types and lags.
    static func randomPlan(seed: UInt64, size: Int, elapsedLags: Bool = true) -> SchedulePlan {
        var rng = SplitMix(seed: seed)
        var acts: [Activity] = []
        var deps: [Dependency] = []
        for i in 0..<size {
            acts.append(Activity(id: .init(i + 1), name: "A\(i + 1)", duration: .working(rng.int(0...5) * 240)))
            if i > 0 {
                for _ in 0..<rng.int(1...2) {
                    let p = rng.int(max(0, i - 30)...(i - 1))
                    let kind = Dependency.Kind.allCases[rng.int(0...3)]
                    let lag: DependencyLag =
                        elapsedLags && rng.int(0...3) == 0
                        ? .elapsed(minutes: rng.int(0...3) * 1440) : .working(minutes: rng.int(-1...2) * 240)
                    deps.append(Dependency(from: .init(p + 1), to: .init(i + 1), kind: kind, lag: lag))
                }
            }
        }
        return SchedulePlan(
            name: "random", start: t("2026-04-27T09:00"), calendars: [.japan], defaultCalendarID: WorkCalendar.japan.id,
            activities: acts, dependencies: deps)
    }

    /// Odd seeds mix in elapsed lags; the critical-chain check needs working-time lags only, because an elapsed lag
    /// that ends in non-working time pushes its successor to the next working minute and creates float behind it.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func propertiesOnGeneratedNetworks(seed: UInt64) {
        let elapsed = seed % 2 == 1
        let plan = Self.randomPlan(seed: seed, size: 400, elapsedLags: elapsed)
        let r = CriticalPath.schedule(plan)
        #expect(r.diagnostics.isEmpty)
        #expect(r == CriticalPath.schedule(plan))  // deterministic
        let tl = CalendarTimeline(
            calendar: .japan, from: CivilDate(year: 2025, month: 1, day: 1)!,
            through: CivilDate(year: 2030, month: 12, day: 31)!)
        let byID = Dictionary(uniqueKeysWithValues: r.activities.map { ($0.id, $0) })
        func pos(_ t: LocalTime) -> Int { tl.position(t) }
        var driven = Set<Activity.ID>()
        for d in plan.dependencies {
            let p = byID[d.predecessor]!
            let s = byID[d.successor]!
            let from = (d.kind == .startToStart || d.kind == .startToFinish) ? p.earlyStart : p.earlyFinish
            let to = (d.kind == .finishToStart || d.kind == .startToStart) ? s.earlyStart : s.earlyFinish
            let gap: Int
            switch d.lag {
            case .working(let m): gap = pos(to) - pos(from) - m
            case .elapsed(let m): gap = (to.minutes - from.minutes - m) >= 0 ? 0 : -1
            case .percent: gap = 0
            }
            #expect(gap >= 0, "link \(d.predecessor)->\(d.successor) \(d.kind) violated")
            if gap == 0 && p.isCritical && s.isCritical { driven.insert(d.successor) }
        }
        for a in r.activities {
            #expect(a.totalFloat >= 0)
            #expect(a.freeFloat >= 0 && a.freeFloat <= a.totalFloat)
            #expect(pos(a.lateStart) >= pos(a.earlyStart))
        }
        // A critical chain runs from the start to the finish: some critical activity ends at the project finish, and
        // every critical activity that does not start at the project start is driven by a critical predecessor.
        #expect(r.activities.contains { $0.isCritical && $0.earlyFinish == r.projectFinish })
        for a in r.activities where !elapsed && a.isCritical && pos(a.earlyStart) > pos(plan.start) {
            let hasPreds = plan.dependencies.contains { $0.successor == a.id }
            if hasPreds { #expect(driven.contains(a.id), "critical \(a.id) has no critical driver") }
        }
    }
}

@Suite struct ResourceCalendarTests {
    /// By hand: a task on the standard calendar with two assignments from Monday 2024-01-08 08:00. R1 works the
    /// standard day (8 h of work at 100 %: Monday 17:00); R2 works afternoons only, 13:00–17:00, 480 minutes at 100 %:
    /// Monday and Tuesday afternoons, so the task runs Monday 08:00 – Tuesday 17:00 and its successor starts Wednesday.
    @Test func aTaskFinishesWhenItsLastAssignmentHasDoneItsWork() {
        let afternoons = WorkCalendar.weekdays(
            [WorkingTimeRange(start: 780, end: 1020)!], id: WorkCalendar.ID(2), name: "PM")
        let plan = SchedulePlan(
            name: "r", start: LocalTime(iso: "2024-01-08T08:00")!, calendars: [.msProjectStandard, afternoons],
            defaultCalendarID: WorkCalendar.msProjectStandard.id,
            activities: [
                Activity(id: .init(1), name: "A", duration: .working(480)),
                Activity(id: .init(2), name: "B", duration: .working(480)),
            ],
            dependencies: [Dependency(from: .init(1), to: .init(2))],
            resources: [
                Resource(id: .init(1), name: "R1", calendarID: WorkCalendar.msProjectStandard.id),
                Resource(id: .init(2), name: "R2", calendarID: afternoons.id),
            ],
            assignments: [
                ResourceAssignment(number: 1, activity: .init(1), resource: .init(1), workMinutes: 480),
                ResourceAssignment(number: 2, activity: .init(1), resource: .init(2), workMinutes: 480),
            ])
        let r = CriticalPath.schedule(plan)
        #expect(r.activities[0].start == LocalTime(iso: "2024-01-08T08:00"))
        #expect(r.activities[0].finish == LocalTime(iso: "2024-01-09T17:00"))
        #expect(r.activities[1].start == LocalTime(iso: "2024-01-10T08:00"))
        #expect(r.activities.allSatisfy { $0.totalFloat == 0 && $0.isCritical })
        // With both resources on the task's own calendar, the task's duration rules (no resource-driven dates).
        var same = plan
        same.resources[1].calendarID = WorkCalendar.msProjectStandard.id
        #expect(CriticalPath.schedule(same).activities[0].finish == LocalTime(iso: "2024-01-08T17:00"))
    }
}
