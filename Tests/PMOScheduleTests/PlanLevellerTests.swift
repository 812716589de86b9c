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
        #expect(out.moves.allSatisfy { $0.conflicts == [Self.person.id] && $0.delay.kind == .elapsed })
        #expect(Set(out.moves.map(\.delay.minutes)) == [3 * 1440, 7 * 1440])
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
        // Within slack: task 3 (4 days) is critical, 1 and 2 have 2 days of float; one of them fits after the
        // other inside it, the third conflict cannot be solved and is left.
        let slack = try PlanLeveller.level(Self.plan([(1, 2), (2, 2), (3, 4)]), options: .init(withinSlack: true))
        #expect(slack.after.projectFinish == slack.before.projectFinish)
        #expect(slack.remainingOverloads > 0)
    }

    @Test func aLoopAndAnImpossibleDemandAreNamed() {
        let loop = Self.plan(
            [(1, 1), (2, 1)], links: [Dependency(from: .init(1), to: .init(2)), Dependency(from: .init(2), to: .init(1))])
        #expect(throws: LevellingError.self) { try PlanLeveller.level(loop) }
        var double = Self.plan([(1, 2)])
        double.assignments[0].units = 2
        #expect(throws: LevellingError.neverFits(activity: 1, resource: 1, units: 200, capacity: 100)) {
            try PlanLeveller.level(double)
        }
    }
}
