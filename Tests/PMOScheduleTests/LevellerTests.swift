import Testing

@testable import PMOSchedule

/// The leveller on small problems whose best schedules are known by hand.
@Suite struct LevellerTests {
    typealias P = LevellingProblem

    /// Every precedence, release, fixed start and capacity holds: counted period by period, apart from the decoder.
    static func violations(_ problem: P, _ starts: [Int]) -> [String] {
        var out: [String] = []
        for e in problem.precedences where starts[e.successor] < starts[e.predecessor] + e.distance {
            out.append("precedence \(e.predecessor)->\(e.successor)")
        }
        for (i, a) in problem.activities.enumerated() {
            if starts[i] < a.release { out.append("release of \(a.key)") }
            if let f = a.fixedStart, starts[i] != f { out.append("fixed start of \(a.key)") }
        }
        let end = zip(starts, problem.activities).map { $0 + $1.duration }.max() ?? 0
        for (r, res) in problem.resources.enumerated() {
            for t in 0..<max(0, end) {
                var use = 0
                for (i, a) in problem.activities.enumerated() where starts[i] <= t && t < starts[i] + a.duration {
                    use += a.demands.filter { $0.resource == r }.map(\.units).reduce(0, +)
                }
                if use > res.capacity(at: t) { out.append("resource \(res.key) at \(t): \(use) > \(res.capacity(at: t))") }
            }
        }
        return out
    }

    static func tasks(_ durations: [Int], units: Int = 1) -> [P.Activity] {
        durations.enumerated().map { i, d in P.Activity(key: i + 1, duration: d, demands: [.init(resource: 0, units: units)]) }
    }

    @Test func threeTasksOnOnePersonRunOneAfterAnother() throws {
        let acts = Self.tasks([3, 2, 4])
        let problem = P(activities: acts, resources: [.init(key: 1, capacity: 1)], precedences: [])
        let out = try Leveller.level(problem)
        #expect(out.makespan == 9)
        #expect(out.lowerBound == 9)
        #expect(out.criticalPathLength == 4)
        #expect(Self.violations(problem, out.starts).isEmpty)
    }

    @Test func aTwoPersonTeamFindsTheBestPairing() throws {
        // Durations 4, 4, 3, 3, 2 on capacity 2, job 1 before job 5: 16 units of work on 2 lanes, so 8 at best,
        // reached only as 4+4 on one lane and 3+3+2 on the other.
        var acts = Self.tasks([4, 4, 3, 3, 2])
        acts[4].demands = [.init(resource: 0, units: 1)]
        let problem = P(
            activities: acts, resources: [.init(key: 1, capacity: 2)],
            precedences: [.finishToStart(0, 4, in: acts)])
        let out = try Leveller.level(problem)
        #expect(out.makespan == 8)
        #expect(Self.violations(problem, out.starts).isEmpty)
    }

    @Test func releasesFixedWorkAndAbsencesAreKept() throws {
        // Activity 1 is done work fixed at 0–4; person capacity 1 with an absence in periods 5 and 6.
        var acts = Self.tasks([4, 2, 3])
        acts[0].fixedStart = 0
        acts[1].release = 1
        let person = P.Resource(key: 7, capacity: 1, profile: [1, 1, 1, 1, 1, 0, 0])
        let problem = P(activities: acts, resources: [person], precedences: [])
        let out = try Leveller.level(problem)
        #expect(out.starts[0] == 0)
        #expect(Self.violations(problem, out.starts).isEmpty)
        // Only period 4 is free before the absence: neither 2- nor 3-period task fits there.
        #expect(out.starts[1] >= 7 && out.starts[2] >= 7)
        #expect(out.makespan == 12)
        #expect(zip(out.starts, out.lateStarts).allSatisfy { $0 <= $1 })
    }

    @Test func everyLinkTypeIsADistanceBetweenStarts() throws {
        let acts = [P.Activity(key: 1, duration: 5), P.Activity(key: 2, duration: 2), P.Activity(key: 3, duration: 3)]
        let links: [P.Precedence] = [
            .startToStart(0, 1, lag: 1), .finishToFinish(1, 2, in: acts, lag: 2),
            .startToFinish(0, 2, in: acts, lag: 10),
        ]
        let problem = P(activities: acts, resources: [], precedences: links)
        let out = try Leveller.level(problem)
        #expect(out.starts[1] == 1)  // SS + 1
        #expect(out.starts[2] + 3 >= 10)  // SF + 10: finishes at or after 10
        #expect(out.starts[2] + 3 >= out.starts[1] + 2 + 2)  // FF + 2
        #expect(out.starts[2] == 7)
        #expect(Self.violations(problem, out.starts).isEmpty)
    }

    @Test func withinSlackAnActivityThatCannotFitStaysPut() throws {
        var acts = Self.tasks([3, 3])
        acts[1].latestStart = 1
        let problem = P(activities: acts, resources: [.init(key: 1, capacity: 1)], precedences: [])
        let out = try Leveller.level(problem, options: .init(schedules: 50))
        // Activity 2 may not move past period 1, so it goes first and activity 1 waits: no overload is left.
        #expect(out.starts == [3, 0])
        #expect(out.remainingOverload == 0)
        // With both held to period 0 the overload cannot be levelled away: it is kept and counted, not hidden.
        var stuck = acts
        stuck[0].latestStart = 0
        stuck[1].latestStart = 0
        let tight = P(activities: stuck, resources: [.init(key: 1, capacity: 1)], precedences: [])
        let kept = try Leveller.level(tight, options: .init(schedules: 50))
        #expect(kept.starts == [0, 0])
        #expect(kept.remainingOverload == 3)  // one unit over in each of 3 periods
    }

    @Test func theSameSeedGivesTheSameSchedule() throws {
        var acts = Self.tasks([3, 5, 2, 4, 6, 1, 3, 2], units: 1)
        acts[3].demands.append(.init(resource: 1, units: 2))
        let problem = P(
            activities: acts, resources: [.init(key: 1, capacity: 2), .init(key: 2, capacity: 2)],
            precedences: [.finishToStart(0, 3, in: acts), .finishToStart(1, 5, in: acts), .finishToStart(2, 6, in: acts)])
        let a = try Leveller.level(problem, options: .init(schedules: 400, seed: 9))
        let b = try Leveller.level(problem, options: .init(schedules: 400, seed: 9))
        #expect(a == b)
        #expect(a.schedules <= 400)
        #expect(Self.violations(problem, a.starts).isEmpty)
        #expect(zip(a.starts, a.lateStarts).allSatisfy { $0 <= $1 })
    }

    @Test func aLoopIsNamed() {
        let acts = Self.tasks([1, 1, 1])
        let problem = P(
            activities: acts, resources: [.init(key: 1, capacity: 1)],
            precedences: [.finishToStart(0, 1, in: acts), .finishToStart(1, 2, in: acts), .finishToStart(2, 1, in: acts)])
        #expect(throws: LevellingError.loop(activities: [2, 3])) { try Leveller.level(problem) }
        #expect(LevellingError.loop(activities: [2, 3]).description.contains("2 → 3 → 2"))
    }

    @Test func aDemandNoCapacityMeetsIsNamedNotLevelledForever() {
        let acts = [P.Activity(key: 4, duration: 3, demands: [.init(resource: 0, units: 3)])]
        // Capacity 2, with a window of 3 units for only 2 periods: never long enough.
        let problem = P(activities: acts, resources: [.init(key: 8, capacity: 2, profile: [3, 3, 2])], precedences: [])
        #expect(throws: LevellingError.neverFits(activity: 4, resource: 8, units: 3, capacity: 3)) {
            try Leveller.level(problem)
        }
        // A window long enough is fine.
        let fits = P(activities: acts, resources: [.init(key: 8, capacity: 2, profile: [2, 3, 3, 3])], precedences: [])
        #expect((try? Leveller.level(fits))?.starts == [1])
        // Two activities cannot share that one window, and a release past it leaves no room at all: named, not
        // levelled forever.
        var second = acts[0]
        second.key = 5
        let crowded = P(activities: acts + [second], resources: fits.resources, precedences: [])
        #expect(throws: LevellingError.noRoom(activity: 5)) { try Leveller.level(crowded) }
        var late = acts
        late[0].release = 5
        #expect(throws: LevellingError.noRoom(activity: 4)) {
            try Leveller.level(P(activities: late, resources: fits.resources, precedences: []))
        }
    }

    @Test func aLinkIntoFixedWorkIsKept() throws {
        // F is fixed at period 2; A must finish before it. C → D is the longer chain, and putting C first would be
        // shorter if A could run late: it may not.
        let acts = [
            P.Activity(key: 1, name: "F", duration: 1, fixedStart: 2),
            P.Activity(key: 2, name: "A", duration: 2, demands: [.init(resource: 0, units: 1)]),
            P.Activity(key: 3, name: "C", duration: 2, demands: [.init(resource: 0, units: 1)]),
            P.Activity(key: 4, name: "D", duration: 5),
        ]
        let problem = P(
            activities: acts, resources: [.init(key: 1, capacity: 1)],
            precedences: [.finishToStart(1, 0, in: acts), .finishToStart(2, 3, in: acts)])
        let out = try Leveller.level(problem)
        #expect(Self.violations(problem, out.starts).isEmpty)
        #expect(out.starts[1] == 0 && out.starts[2] == 2)
        #expect(out.makespan == 9)
        #expect(out.remainingOverload == 0)
        #expect(zip(out.starts, out.lateStarts).allSatisfy { $0 <= $1 })
    }

    @Test func valuesOutOfRangeNameTheField() {
        let negative = P(activities: Self.tasks([2]), resources: [.init(key: 5, capacity: -1)], precedences: [])
        #expect(throws: LevellingError.invalidValue(field: "capacity", activity: nil, resource: 5, reason: "must be ≥ 0")) {
            try Leveller.level(negative)
        }
        let duration = P(activities: [.init(key: 3, duration: -2)], resources: [], precedences: [])
        #expect(throws: LevellingError.invalidValue(field: "duration", activity: 3, resource: nil, reason: "must be ≥ 0")) {
            try Leveller.level(duration)
        }
        let huge = P(activities: Self.tasks([2], units: 200_000), resources: [.init(key: 5, capacity: 1)], precedences: [])
        #expect(throws: LevellingError.invalidValue(field: "units", activity: 1, resource: 5, reason: "must be between 0 and 100000")) {
            try Leveller.level(huge)
        }
    }

    @Test func aSafetyStopEndsTheSearchWithAFeasibleSchedule() throws {
        // Three 3-period tasks on 2 units: the bound is 5 (9 units of work / 2) but the best is 6, so only the stop
        // can end this search before its million schedules.
        let acts = Self.tasks([3, 3, 3])
        let problem = P(activities: acts, resources: [.init(key: 1, capacity: 2)], precedences: [])
        var asked = 0
        let out = try Leveller.level(problem, options: .init(schedules: 1_000_000)) {
            asked += 1
            return asked > 3
        }
        #expect(out.stoppedEarly)
        #expect(asked == 4)
        #expect(out.schedules < 100)
        #expect(out.makespan == 6 && out.lowerBound == 5)
        #expect(Self.violations(problem, out.starts).isEmpty)
    }
}
