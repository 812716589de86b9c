import PMOCore
import Testing

@testable import PMOSchedule

/// Levelling a plan on the Japanese calendar, worked by hand. November 2026: Mon 2 works, Tue 3 is Culture Day
/// (文化の日), then Wed 4 – Fri 6 and Mon 9 – Fri 13 work. The Japanese office day is 09:00–12:00, 13:00–18:00.
@Suite struct PlanLevellerTests {
    static func t(_ s: String) -> LocalTime { LocalTime(iso: s)! }
    static let day = 480
    static let person = Resource(id: .init(1), name: "楓")

    static func plan(_ tasks: [(Int, Int)], links: [Dependency] = [], resources: [Resource] = [person],
                     calendars: [WorkCalendar] = [.japan]) -> SchedulePlan {
        let acts = tasks.map { id, days in
            Activity(id: .init(id), name: "T\(id)", duration: .working(days * day))
        }
        let assignments = tasks.enumerated().map { k, task in
            ResourceAssignment(number: k + 1, activity: .init(task.0), resource: resources[0].id, workMinutes: task.1 * day)
        }
        var p = SchedulePlan(
            name: "levelling", start: t("2026-11-02T09:00"), calendars: calendars,
            defaultCalendarID: WorkCalendar.japan.id, activities: acts, dependencies: links)
        p.resources = resources
        p.assignments = assignments
        return p
    }

    @Test func threeTasksOfOnePersonGoOneAfterAnotherAroundTheHoliday() throws {
        let out = try PlanLeveller.level(Self.plan([(1, 2), (2, 2), (3, 2)]))
        #expect(out.before.activities.allSatisfy { $0.start == Self.t("2026-11-02T09:00") })
        let starts = out.after.activities.map(\.start).sorted()
        // Mon 2 + Wed 4, then Thu 5 + Fri 6, then Mon 9 + Tue 10.
        #expect(starts == [Self.t("2026-11-02T09:00"), Self.t("2026-11-05T09:00"), Self.t("2026-11-09T09:00")])
        #expect(out.after.projectFinish == Self.t("2026-11-10T18:00"))
        #expect(out.remainingOverloads == 0)
        #expect(out.moves.count == 2)
        // Delays in working days from where the links put them: Mon 2 → Thu 5 is 2 (Wed, Thu), → Mon 9 is 4.
        #expect(out.moves.allSatisfy { $0.conflicts == [Self.person.id] && $0.delay.kind == .working })
        #expect(Set(out.moves.map(\.delay.minutes)) == [2 * Self.day, 4 * Self.day])
        // The moves are levelling delays on the activities, never constraints.
        #expect(out.plan.activities.allSatisfy { $0.constraint == .asap })
        #expect(out.plan.activities.filter { $0.levelingDelay.minutes > 0 }.count == 2)
        // The levelled plan schedules to the same dates on its own.
        #expect(CriticalPath.schedule(out.plan) == out.after)
    }

    @Test func linksAndChainsKeepTheirOrder() throws {
        // 1 → 2, and 3 competes for the same person: 3 waits for 1, or 2 waits for 3; the best finish is Tue 10.
        let links = [Dependency(from: .init(1), to: .init(2))]
        let out = try PlanLeveller.level(Self.plan([(1, 2), (2, 2), (3, 2)], links: links))
        let row = Dictionary(uniqueKeysWithValues: out.after.activities.map { ($0.id, $0) })
        #expect(row[.init(2)]!.start >= row[.init(1)]!.finish)
        #expect(out.after.projectFinish == Self.t("2026-11-10T18:00"))
        #expect(out.remainingOverloads == 0)
    }

    @Test func aDayOffStretchesTheTaskAndLevellingLeavesALoneTaskAlone() throws {
        // 楓 is off on Wed 4: a lone 2-day task runs Mon 2 and Thu 5, and levelling has nothing to do.
        var own = WorkCalendar.japan
        own.id = .init(9)
        own.name = "楓"
        own.exceptions = [CalendarException(name: "有給", firstDay: CivilDate(iso: "2026-11-04")!)]
        var person = Self.person
        person.calendarID = own.id
        let lone = try PlanLeveller.level(Self.plan([(1, 2)], resources: [person], calendars: [.japan, own]))
        #expect(lone.moves.isEmpty)
        #expect(lone.after.activities[0].finish == Self.t("2026-11-05T18:00"))
        // Two tasks: the second starts once the first is done (Fri 6), and runs Fri 6 and Mon 9.
        let two = try PlanLeveller.level(Self.plan([(1, 2), (2, 2)], resources: [person], calendars: [.japan, own]))
        #expect(two.remainingOverloads == 0)
        #expect(two.after.projectFinish == Self.t("2026-11-09T18:00"))
    }

    @Test func startedWorkStaysAndWithinSlackNothingPassesItsLateStart() throws {
        var p = Self.plan([(1, 2), (2, 2), (3, 4)])
        // Task 2 has started: it stays on Mon 2, so 1 has to wait.
        p.activities[1].progress = ActivityProgress(actualStart: Self.t("2026-11-02T09:00"), percentComplete: 10)
        let out = try PlanLeveller.level(p)
        let row = Dictionary(uniqueKeysWithValues: out.after.activities.map { ($0.id, $0) })
        #expect(row[.init(2)]!.start == Self.t("2026-11-02T09:00"))
        #expect(row[.init(1)]!.start > Self.t("2026-11-02T09:00"))
        #expect(out.remainingOverloads == 0)
        // Within slack: task 3 (4 days, Mon 2 – Fri 6) is critical, 1 and 2 have 2 days of float. Nothing may
        // pass its late start, so the finish holds; the conflicts with task 3 cannot be solved and are left, but
        // levelling must not make them worse than before (2 resource-days over: Mon 2 and Wed 4).
        let slack = try PlanLeveller.level(Self.plan([(1, 2), (2, 2), (3, 4)]), options: .init(withinSlack: true))
        #expect(slack.after.projectFinish == slack.before.projectFinish)
        let late = Dictionary(uniqueKeysWithValues: slack.before.activities.map { ($0.id, $0.lateStart) })
        #expect(slack.after.activities.allSatisfy { $0.start <= late[$0.id]! })
        #expect(slack.remainingOverloads > 0 && slack.remainingOverloads <= 4)
    }

    @Test func startNoLaterThanHoldsAndTheOtherTaskMoves() throws {
        var p = Self.plan([(1, 2), (2, 2)])
        p.activities[1].constraint = ActivityConstraint(.startNoLaterThan, date: Self.t("2026-11-02T09:00"))
        let out = try PlanLeveller.level(p)
        let row = Dictionary(uniqueKeysWithValues: out.after.activities.map { ($0.id, $0) })
        #expect(row[.init(2)]!.start == Self.t("2026-11-02T09:00"))
        #expect(row[.init(1)]!.start == Self.t("2026-11-05T09:00"))
        #expect(out.moves.map(\.activity) == [.init(1)])
        #expect(!out.after.diagnostics.contains { $0.code == .constraintConflict })
        #expect(out.plan.activities[1].levelingDelay == .zero)
    }

    @Test func aDelayAfterAFridayFinishLandsOnTheChosenDay() throws {
        // From Thu 5: A (Thu 5, Fri 6, 楓's colleague) → B (1 day); C (1 day, not before Mon 9) and B both need 楓 on
        // Mon 9: one of them goes to Tue 10, counted in working days from where the links put it.
        let colleague = Resource(id: .init(2), name: "Aoba")
        var p = Self.plan([(1, 2), (2, 1), (3, 1)], links: [Dependency(from: .init(1), to: .init(2))],
                          resources: [Self.person, colleague])
        p.start = Self.t("2026-11-05T09:00")
        p.assignments[0].resource = colleague.id
        p.activities[2].constraint = ActivityConstraint(.startNoEarlierThan, date: Self.t("2026-11-09T09:00"))
        let out = try PlanLeveller.level(p)
        #expect(out.remainingOverloads == 0)
        #expect(out.unsettled == 0)
        #expect(out.moves.count == 1)
        #expect(out.moves.first?.to == Self.t("2026-11-10T09:00"))
        #expect(out.after.projectFinish == Self.t("2026-11-10T18:00"))
    }

    @Test func anElapsedLagDoesNotMoveWhatTheLongerChainDrives() throws {
        // A (2 days) and E (2 days, no later than Mon 2) both need 楓, so A moves to Thu 5 – Fri 6. A → B with a
        // lag of 7 elapsed days, but C (10 days, Mon 2 – Mon 16) → B drives B to Tue 17 either way: B stays.
        var p = Self.plan(
            [(1, 2), (5, 2), (3, 10), (2, 1)],
            links: [
                Dependency(from: .init(1), to: .init(2), lag: .elapsed(minutes: 7 * 1440)),
                Dependency(from: .init(3), to: .init(2)),
            ])
        p.assignments = Array(p.assignments.prefix(2))
        p.activities[1].constraint = ActivityConstraint(.startNoLaterThan, date: Self.t("2026-11-02T09:00"))
        let out = try PlanLeveller.level(p)
        let before = Dictionary(uniqueKeysWithValues: out.before.activities.map { ($0.id, $0.start) })
        let after = Dictionary(uniqueKeysWithValues: out.after.activities.map { ($0.id, $0.start) })
        #expect(before[.init(2)] == Self.t("2026-11-17T09:00"))
        #expect(after[.init(2)] == Self.t("2026-11-17T09:00"))
        #expect(after[.init(1)] == Self.t("2026-11-05T09:00"))
        #expect(out.moves.map(\.activity) == [.init(1)])
    }

    @Test func aCalendarWithoutWorkingTimeEndsAtOnce() throws {
        let never = WorkCalendar(id: WorkCalendar.japan.id, name: "never", week: Array(repeating: [], count: 7))
        let out = try PlanLeveller.level(Self.plan([(1, 2), (2, 2)], calendars: [never]))
        #expect(out.moves.isEmpty)
    }

    @Test func aLoopIsNamedAndAnImpossibleDemandIsListed() throws {
        let loop = Self.plan(
            [(1, 1), (2, 1)], links: [Dependency(from: .init(1), to: .init(2)), Dependency(from: .init(2), to: .init(1))])
        #expect(throws: LevellingError.self) { try PlanLeveller.level(loop) }
        // 200 % of a 100 % person cannot be levelled away: it is levelled at 100 % and listed for the PMO.
        var double = Self.plan([(1, 2), (2, 2)])
        double.assignments[0].units = 2
        let out = try PlanLeveller.level(double)
        #expect(out.overallocated == [.init(activity: .init(1), resource: Self.person.id, units: 200, capacity: 100)])
        #expect(out.moves.count == 1)
    }
}
