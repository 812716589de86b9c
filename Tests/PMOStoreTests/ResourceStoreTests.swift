import Foundation
import PMOCore
import PMODemo
import PMOSchedule
@testable import PMOStore
import PMOTestSupport
import Testing

/// Resources across projects: capacity with absences and Japanese holidays, assignments and their bad input, the
/// overload map's numbers on a prepared case, what a vendor sees, and levelling scenarios proposed, discarded and
/// applied (baseline first).
@Suite("Resources, the overload map and levelling scenarios")
struct ResourceStoreTests {
    @Test func capacityFollowsChangesAbsencesAndTheJapaneseCalendar() {
        let c = ResourceCapacity(percent: 100, changes: [CapacityChange(from: day("2026-11-16"), percent: 50)],
                                 absences: [Absence(start: day("2026-11-05"), end: day("2026-11-06"))])
        #expect(c.percent(on: day("2026-11-02"), calendar: .japan) == 100)   // Monday
        #expect(c.percent(on: day("2026-11-03"), calendar: .japan) == 0)     // Culture Day (文化の日)
        #expect(c.percent(on: day("2026-11-05"), calendar: .japan) == 0)     // away
        #expect(c.percent(on: day("2026-11-07"), calendar: .japan) == 0)     // Saturday
        #expect(c.percent(on: day("2026-11-16"), calendar: .japan) == 50)    // from the change on
        #expect(c.percent(on: day("2026-11-23"), calendar: .japan) == 0)     // Labour Thanksgiving Day
        // A company's closures (its own calendars): a summer break every year and a one-off day; a Saturday worked
        // adds nothing.
        let own = WorkCalendar(name: "Vendor", week: Array(repeating: [], count: 7), exceptions: [
            CalendarException(name: "夏季休暇", firstDay: day("2026-01-01"), lastDay: day("2030-12-31"), recurrence: .yearlyOnDate(month: 8, day: 14)),
            CalendarException(name: "創立記念日", firstDay: day("2026-11-16")),
            CalendarException(name: "土曜出勤", firstDay: day("2026-11-21"), workingTimes: [WorkingTimeRange(start: 540, end: 1020)!]),
        ])
        let closures = CompanyClosures(calendars: [own, own])
        #expect(closures.exceptions.count == 2)
        #expect(c.percent(on: day("2026-11-16"), calendar: .japan, closures: closures) == 0)
        #expect(c.percent(on: day("2026-11-17"), calendar: .japan, closures: closures) == 50)
        #expect(c.percent(on: day("2026-11-21"), calendar: .japan, closures: closures) == 0)
        #expect(c.percent(on: day("2028-08-14"), calendar: .japan, closures: closures) == 0)   // a Monday
        #expect(c.percent(on: day("2028-08-15"), calendar: .japan, closures: closures) == 50)
        var e = FieldErrors()
        ResourceRules.validate(name: "", kind: .person, percent: -10, changes: [], hasCompany: false, into: &e)
        #expect(Set(e.all.map { "\($0.field):\($0.code)" }) == ["name:required", "capacityPercent:out_of_range", "companyId:needs_company"])
        #expect(throws: DomainError.self) { try ResourceRules.validateAbsence(start: day("2026-11-06"), end: day("2026-11-05"), note: "") }
    }

    @Test(arguments: TestDatabase.available)
    func overloadMapCountsEveryProjectAndHidesWhatTheReaderMayNotSee(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let s = h.store
            let c = try await h.planCast(key: "RES", start: "2026-11-02")
            let w = try await ResourceWorld.make(s, c)

            // Bad input, each refused naming its field; nothing stored.
            await expectDomainError("resource.invalid", .invalid) {
                _ = try await s.resources.create(c.pmo, ResourceFields(kind: .person, name: "Negative", companyID: c.operatorID, capacityPercent: -1))
            }
            await expectDomainError("resource.edit_forbidden", .forbidden) {
                _ = try await s.resources.create(c.vendorA, ResourceFields(kind: .person, name: "Self-made", companyID: c.vendorAID))
            }
            await expectDomainError("resource.invalid_absence", .invalid) {
                _ = try await s.resources.addAbsence(c.member, resource: w.aoi.id, start: day("2026-11-10"), end: day("2026-11-09"), note: "")
            }
            await expectDomainError("resource.absence_forbidden", .forbidden) {
                _ = try await s.resources.addAbsence(c.member2, resource: w.aoi.id, start: day("2026-11-10"), end: day("2026-11-10"), note: "")
            }
            do {
                _ = try await s.plans.setAssignments(c.pm, key: "RES", uid: w.a, [AssignmentInput(resourceID: w.outsider.id)])
                Issue.record("an assignment outside the project's companies was accepted")
            } catch let e as DomainError {
                #expect(e.code == "plan.invalid_assignment")
                #expect(e.fieldErrors.map(\.field) == ["assignments[0].resourceId"])
                #expect(e.fieldErrors.map(\.code) == ["outside_project"])
            }
            await expectDomainError("plan.invalid_assignment", .invalid) {
                _ = try await s.plans.setAssignments(c.pm, key: "RES", uid: w.a, [AssignmentInput(resourceID: w.aoi.id, unitsPercent: 0)])
            }
            #expect(try await s.plans.assignments(c.pm, key: "RES")[w.a]?.map(\.unitsPercent) == [100])

            // The PMO's reader (a member of RES, not of OTH): Aoi's week of 2 November. Working days 2, 4, 5, 6 (the 3rd
            // is Culture Day); Aoi is away on the 5th and 6th: capacity 2 days. A and B ask 4 days each; OTH's half day
            // on each of those days is "other projects".
            let map = try await s.resources.loadMap(c.member, LoadMapQuery(scale: .week, from: day("2026-11-04"), count: 3))
            #expect(map.periods.starts.map(\.description) == ["2026-11-02", "2026-11-09", "2026-11-16"])
            let aoi = try #require(map.rows.first { $0.resource.id == w.aoi.id })
            #expect(aoi.cells[0] .capacity == 200)
            #expect(aoi.cells[0].load == 1000)
            #expect(aoi.cells[0].otherProjects == 200)
            #expect(aoi.cells[0].work.map(\.percent) == [400, 400])
            #expect(Set(aoi.cells[0].work.map(\.projectKey)) == ["RES"])
            #expect(aoi.cells[0].level == .critical)
            // The week of 9 November: the 9th for A, B and OTH (100 + 100 + 50), five working days free.
            #expect(aoi.cells[1].capacity == 500)
            #expect(aoi.cells[1].load == 250)
            #expect(aoi.cells[1].level == .light)
            #expect(map.projects.map(\.key) == ["RES"])
            // Placeholders by role: the Java developer asks 4 days in week 1; Ben (Java) has his 4 working days free.
            let java = try #require(map.roles.first { $0.role == "Java" })
            #expect(java.demand[0] == 400)
            #expect(java.supply[0] == 400)
            // By day, the holiday is a day without capacity.
            let days = try await s.resources.loadMap(c.member, LoadMapQuery(scale: .day, from: day("2026-11-02"), count: 7))
            let aoiDays = try #require(days.rows.first { $0.resource.id == w.aoi.id })
            #expect(aoiDays.cells.map(\.capacity) == [100, 0, 100, 0, 0, 0, 0])
            #expect(aoiDays.cells.map(\.load) == [250, 0, 250, 250, 250, 0, 0])

            // A vendor sees its own people and the equipment, never another company's names, on the list, the map and
            // the plan's assignments.
            let seen = try await s.resources.list(c.vendorA).map(\.name)
            #expect(Set(seen) == ["Ben", "Java developer", "Test environment"])
            let vendorMap = try await s.resources.loadMap(c.vendorA, LoadMapQuery(from: day("2026-11-02"), count: 2))
            #expect(!vendorMap.rows.contains { $0.resource.name == "Aoi" })
            await expectDomainError("resource.not_found", .notFound) { _ = try await s.resources.resource(c.vendorA, id: w.aoi.id) }
            let vendorView = try await s.plans.assignments(c.vendorA, key: "RES")
            #expect(vendorView[w.a]?.first?.name == nil)
            #expect(vendorView[w.c]?.first?.name == "Java developer")
            await expectDomainError("resource.invalid_load_query", .invalid) {
                _ = try await s.resources.loadMap(c.member, LoadMapQuery(scale: .week, from: day("2026-11-02"), count: 93))
            }

            // Vendor A closes on 10 and 11 November in its own calendar of the plan: its people (Ben) have no
            // capacity those days, in the map and in every project; the operator's people (Aoi) keep theirs.
            try await s.plans.setCompanyTerms(c.pm, key: "RES", companyID: c.vendorAID, hourlyRate: nil,
                                              closures: [CalendarException(name: "創立記念日", firstDay: day("2026-11-10"), lastDay: day("2026-11-11"))])
            let closed = try await s.resources.loadMap(c.member, LoadMapQuery(scale: .day, from: day("2026-11-09"), count: 7))
            #expect(closed.rows.first { $0.resource.id == w.ben.id }?.cells.map(\.capacity) == [100, 0, 0, 100, 100, 0, 0])
            #expect(closed.rows.first { $0.resource.id == w.aoi.id }?.cells.map(\.capacity) == [100, 100, 100, 100, 100, 0, 0])

            // Swapping the placeholder for Ben moves its assignment in one step.
            #expect(try await s.resources.swap(c.pmo, placeholder: w.placeholder.id, person: w.ben.id) == 1)
            #expect(try await s.plans.assignments(c.pm, key: "RES")[w.c]?.map(\.name) == ["Ben"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func levellingKeepsAPersonsWorkOffTheDaysTheirCompanyCloses(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let s = h.store
            let c = try await h.planCast(key: "CLO", start: "2026-11-09")
            let ben = try await s.resources.create(c.pmo, ResourceFields(kind: .person, name: "Ben", companyID: c.vendorAID, role: "Java"))
            // Two days on the project calendar (Monday and Tuesday), for Ben, whose company closes Tuesday and Wednesday.
            let x = try await s.add(c.pm, "CLO", "Interface build", days: 2)
            _ = try await s.plans.setAssignments(c.pm, key: "CLO", uid: x, [AssignmentInput(resourceID: ben.id)])
            try await s.plans.setCompanyTerms(c.pm, key: "CLO", companyID: c.vendorAID, hourlyRate: nil,
                                              closures: [CalendarException(name: "創立記念日", firstDay: day("2026-11-10"), lastDay: day("2026-11-11"))])
            #expect(try await s.plans.view(c.pm, key: "CLO").scheduled(x)?.start.date == day("2026-11-09"))
            let scenario = try await s.levelling.propose(c.pmo, LevellingRequest(projectKeys: ["CLO"]))
            let project = try #require(scenario.projects.first)
            #expect(project.overloadsBefore > 0)
            #expect(project.overloadsAfter == 0)
            #expect(project.moves.map(\.uid) == [x])
            _ = try await s.levelling.apply(c.pmo, id: scenario.id, baseline: nil)
            // The first two days Ben's company is open: Thursday and Friday.
            #expect(try await s.plans.view(c.pm, key: "CLO").scheduled(x)?.start.date == day("2026-11-12"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func scenariosAreProposedThenDiscardedOrAppliedWithABaselineFirst(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let s = h.store
            let c = try await h.planCast(key: "LEV", start: "2026-11-02")
            let w = try await ResourceWorld.make(s, c, key: "LEV")
            let before = try await s.plans.view(c.pm, key: "LEV")

            await expectDomainError("levelling.forbidden", .forbidden) {
                _ = try await s.levelling.propose(c.member, LevellingRequest(projectKeys: ["LEV"]))
            }
            let first = try await s.levelling.propose(c.pmo, LevellingRequest(projectKeys: ["LEV"]))
            let project = try #require(first.projects.first)
            #expect(first.status == .proposed)
            #expect(project.overloadsBefore > 0)
            #expect(project.overloadsAfter == 0)
            #expect(!project.moves.isEmpty)
            #expect(project.moves.allSatisfy { $0.conflicts == ["Aoi"] && $0.delayMinutes > 0 && $0.to > $0.from })
            #expect(project.finishAfter >= project.finishBefore)
            // Proposing changes nothing.
            #expect(try await s.plans.view(c.pm, key: "LEV").version == before.version)
            #expect(try await s.levelling.discard(c.pm, id: first.id).status == .discarded)
            await expectDomainError("levelling.not_proposed", .conflict) { _ = try await s.levelling.apply(c.pmo, id: first.id, baseline: nil) }

            // A plan changed after the proposal: applying it would write stale moves.
            let stale = try await s.levelling.propose(c.pmo, LevellingRequest(projectKeys: ["LEV"]))
            try await s.add(c.pm, "LEV", "Late addition", days: 1)
            await expectDomainError("levelling.plan_changed", .conflict) { _ = try await s.levelling.apply(c.pmo, id: stale.id, baseline: nil) }

            let second = try await s.levelling.propose(c.pmo, LevellingRequest(projectKeys: ["LEV"]))
            let applied = try await s.levelling.apply(c.pmo, id: second.id, baseline: nil)
            #expect(applied.status == .applied)
            let after = try await s.plans.view(c.pm, key: "LEV")
            // The schedule as it was is baseline 0, and the moves are levelling delays.
            #expect(after.snapshot.baselines.map(\.number) == [0])
            let baseline = try #require(after.snapshot.baselines.first)
            #expect(baseline.entries.first { $0.uid == w.a }?.start == before.scheduled(w.a)?.start)
            let moved = try #require(second.projects.first?.moves)
            for m in moved {
                #expect(after.snapshot.activities.first { $0.uid == m.uid }?.levelingDelay == .working(m.delayMinutes))
                #expect(after.scheduled(m.uid)?.start.minutes == m.to)
            }
            // Nobody is over capacity any more in the project's weeks.
            let map = try await s.resources.loadMap(c.pmo, LoadMapQuery(scale: .day, from: day("2026-11-02"), count: 60))
            let aoi = try #require(map.rows.first { $0.resource.id == w.aoi.id })
            // No day of the levelled project's work is over capacity (OTH's half day during Aoi's leave remains: OTH was
            // not in the scenario).
            #expect(aoi.cells.filter(\.level.isOverloaded).allSatisfy { $0.work.isEmpty && $0.otherProjects > 0 })
            #expect(aoi.overloadedPeriods == 2)
            // The list shows both, newest first; clearing removes the delays.
            #expect(try await s.levelling.list(c.pm, key: "LEV").map(\.status).prefix(2) == [.applied, .proposed])
            #expect(try await s.levelling.clear(c.pm, key: "LEV") == moved.count)
            #expect(try await s.plans.view(c.pm, key: "LEV").snapshot.activities.allSatisfy { $0.levelingDelay == .zero })

            // Across projects by priority: OTH first (priority 1) keeps what it can, LEV is levelled around it; applied,
            // Aoi is over capacity on no day at all.
            await expectDomainError("project.invalid", .invalid) { _ = try await s.projects.setPriority(by: c.admin, key: "OTH", 0) }
            #expect(try await s.projects.setPriority(by: c.admin, key: "OTH", 1) == 1)
            let both = try await s.levelling.propose(c.admin, LevellingRequest(projectKeys: ["LEV", "OTH"]))
            #expect(both.projects.map(\.key) == ["OTH", "LEV"])
            #expect(both.projects.allSatisfy { $0.overloadsAfter == 0 })
            _ = try await s.levelling.apply(c.admin, id: both.id, baseline: 5)
            #expect(try await s.plans.view(c.admin, key: "OTH").snapshot.baselines.map(\.number) == [5])
            let all = try await s.resources.loadMap(c.admin, LoadMapQuery(scale: .day, from: day("2026-11-02"), count: 60))
            #expect(try #require(all.rows.first { $0.resource.id == w.aoi.id }).overloadedPeriods == 0)
        }
    }

    @Test func aLoopIsRefusedNamingItsActivities() {
        let e = LevellingService.refusal(.loop(activities: [3, 4, 3]), key: "LEV")
        #expect(e.code == "levelling.loop")
        #expect(e.fieldErrors.first?.message.contains("3 → 4 → 3") == true)
    }
}

/// A prepared case: Aoi (operator, away 5–6 Nov) on A and B of the project and on half of OTH's work; Ben (vendor A,
/// Java); a Java developer placeholder on C; a test environment; and a person of a company outside the project.
struct ResourceWorld {
    var aoi: ResourceView
    var ben: ResourceView
    var placeholder: ResourceView
    var equipment: ResourceView
    var outsider: ResourceView
    var a: Int
    var b: Int
    var c: Int

    static func make(_ s: Store, _ cast: PlanCast, key: String = "RES") async throws -> ResourceWorld {
        let aoi = try await s.resources.create(cast.pmo, ResourceFields(kind: .person, name: "Aoi", userID: cast.member.userID,
                                                                         companyID: cast.operatorID, role: "Developer"))
        let ben = try await s.resources.create(cast.pmo, ResourceFields(kind: .person, name: "Ben", companyID: cast.vendorAID, role: "Java"))
        let placeholder = try await s.resources.create(cast.pm, ResourceFields(kind: .placeholder, name: "Java developer",
                                                                                companyID: cast.vendorAID, role: "Java"))
        let equipment = try await s.resources.create(cast.pmo, ResourceFields(kind: .equipment, name: "Test environment", companyID: nil,
                                                                               capacityPercent: 200))
        let vc = try await s.accounts.createCompany(by: nil, name: "Vendor C", kind: "vendor")
        let outsider = try await s.resources.create(cast.pmo, ResourceFields(kind: .person, name: "Chika", companyID: vc.id!))
        _ = try await s.resources.addAbsence(cast.member, resource: aoi.id, start: day("2026-11-05"), end: day("2026-11-06"), note: "Leave")
        let a = try await s.add(cast.pm, key, "A", days: 5)
        let b = try await s.add(cast.pm, key, "B", days: 5)
        let c = try await s.add(cast.pm, key, "C", days: 5)
        _ = try await s.plans.setAssignments(cast.pm, key: key, uid: a, [AssignmentInput(resourceID: aoi.id)])
        _ = try await s.plans.setAssignments(cast.pm, key: key, uid: b, [AssignmentInput(resourceID: aoi.id), AssignmentInput(resourceID: equipment.id)])
        _ = try await s.plans.setAssignments(cast.pm, key: key, uid: c, [AssignmentInput(resourceID: placeholder.id)])
        // Another project, which the member is not in, takes half of Aoi.
        _ = try await s.projects.create(by: cast.admin, ProjectFields(key: "OTH", name: "Other", startDate: CalendarDate(iso: "2026-11-02")!))
        let o = try await s.add(cast.admin, "OTH", "Other work", days: 5)
        _ = try await s.plans.setAssignments(cast.admin, key: "OTH", uid: o, [AssignmentInput(resourceID: aoi.id, unitsPercent: 50)])
        return ResourceWorld(aoi: aoi, ben: ben, placeholder: placeholder, equipment: equipment, outsider: outsider, a: a, b: b, c: c)
    }
}

/// Effort-driven activities keep their work when their resources change; deleting an activity frees its resources.
@Suite("Effort-driven durations")
struct EffortDrivenTests {
    @Test func theRuleKeepsTheWork() {
        // 5 days (2,400 minutes) at 100 %: 2,400 person-minutes. Two people at 100 %: 1,200 minutes.
        #expect(EffortDriven.duration(durationMinutes: 2400, old: [.init(unitsPercent: 100)],
                                      new: [.init(unitsPercent: 100), .init(unitsPercent: 100)]) == 1200)
        // Stated work counts: 1,200 + 50 % × 2,400 = 2,400 person-minutes over 150 % = 1,600 minutes.
        #expect(EffortDriven.duration(durationMinutes: 2400, old: [.init(unitsPercent: 50, workMinutes: 1200), .init(unitsPercent: 50)],
                                      new: [.init(unitsPercent: 150)]) == 1600)
        // Half up to the minute: 100 person-minutes over 300 % = 33.3 → 33; over 600 % = 16.7 → 17.
        #expect(EffortDriven.duration(durationMinutes: 100, old: [.init(unitsPercent: 100)], new: [.init(unitsPercent: 300)]) == 33)
        #expect(EffortDriven.duration(durationMinutes: 100, old: [.init(unitsPercent: 100)], new: [.init(unitsPercent: 600)]) == 17)
        // Unchanged: the first assignment, removing every resource, swapping at the same total units.
        #expect(EffortDriven.duration(durationMinutes: 2400, old: [], new: [.init(unitsPercent: 200)]) == nil)
        #expect(EffortDriven.duration(durationMinutes: 2400, old: [.init(unitsPercent: 100)], new: []) == nil)
        #expect(EffortDriven.duration(durationMinutes: 2400, old: [.init(unitsPercent: 100)], new: [.init(unitsPercent: 100)]) == nil)
    }

    @Test(arguments: TestDatabase.available)
    func addingAPersonHalvesAnEffortDrivenActivityAndLeavesAFixedOne(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let s = h.store
            let c = try await h.planCast(key: "EFF", start: "2026-11-02")
            let aoi = try await s.resources.create(c.pmo, ResourceFields(kind: .person, name: "Aoi", companyID: c.operatorID))
            let ben = try await s.resources.create(c.pmo, ResourceFields(kind: .person, name: "Ben", companyID: c.vendorAID))
            let driven = try await s.add(c.pm, "EFF", "Driven", days: 10)
            let fixed = try await s.add(c.pm, "EFF", "Fixed", days: 10)
            for uid in [driven, fixed] {
                let first = try await s.plans.setAssignments(c.pm, key: "EFF", uid: uid, [AssignmentInput(resourceID: aoi.id)],
                                                             effortDriven: uid == driven)
                #expect(first.duration == .working(10 * 480), "the first assignment keeps the duration")
                #expect(first.effortDriven == (uid == driven))
            }
            let two = [AssignmentInput(resourceID: aoi.id), AssignmentInput(resourceID: ben.id)]
            let halved = try await s.plans.setAssignments(c.pm, key: "EFF", uid: driven, two)
            #expect(halved.duration == .working(5 * 480))
            #expect(halved.effortDriven, "left out: unchanged")
            #expect(try await s.plans.setAssignments(c.pm, key: "EFF", uid: fixed, two).duration == .working(10 * 480))
            // The schedule follows, and the plan says which activity is effort-driven.
            let view = try await s.plans.view(c.pm, key: "EFF")
            #expect(view.snapshot.activities.first { $0.uid == driven }?.effortDriven == true)
            #expect(view.snapshot.activities.first { $0.uid == fixed }?.effortDriven == false)
            #expect(view.schedulePlan.activities.first { $0.id.rawValue == driven }?.effortDriven == true)
            // Back to Aoi alone at 50 %: 10 person-days over 50 % = 20 days; the trail says why.
            let slow = try await s.plans.setAssignments(c.pm, key: "EFF", uid: driven, [AssignmentInput(resourceID: aoi.id, unitsPercent: 50)])
            #expect(slow.duration == .working(20 * 480))
            // Turned off: units change, the duration stays.
            let off = try await s.plans.setAssignments(c.pm, key: "EFF", uid: driven, [AssignmentInput(resourceID: aoi.id)], effortDriven: false)
            #expect(off.duration == .working(20 * 480) && !off.effortDriven)

            // Deleting an activity takes its assignments along: Ben, assigned only to "Fixed", can then be deleted.
            await expectDomainError("resource.in_use", .conflict) { try await s.resources.delete(c.pmo, id: ben.id) }
            try await s.plans.deleteActivity(c.pm, key: "EFF", uid: fixed, expectedVersion: nil)
            #expect(try await s.plans.assignments(c.pm, key: "EFF")[fixed] == nil)
            try await s.resources.delete(c.pmo, id: ben.id)
            #expect(try await s.resources.list(c.pmo).map(\.name) == ["Aoi"])
        }
    }
}

/// A Microsoft Project file's resources and assignments come in with the plan: matched by e-mail, else by name, else
/// a placeholder; the preview shows the matching and stores nothing.
@Suite("Resources imported from Microsoft Project")
struct ResourceImportTests {
    @Test(arguments: TestDatabase.available)
    func importMatchesByEmailThenNameElseMakesAPlaceholder(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let s = h.store
            let c = try await h.planCast(key: "IMP", start: "2026-11-02")
            let ben = try await s.resources.create(c.pmo, ResourceFields(kind: .person, name: "Ben", companyID: c.vendorAID, role: "Java"))
            let start = LocalTime(date: day("2026-11-02"))
            var plan = SchedulePlan(
                name: "From Project", start: start, calendars: [.japan], defaultCalendarID: WorkCalendar.japan.id,
                activities: [Activity(id: Activity.ID(1), name: "Design", duration: .working(3 * 480)),
                             Activity(id: Activity.ID(2), name: "Build", duration: .working(5 * 480), levelingDelay: .working(480))],
                dependencies: [Dependency(from: Activity.ID(1), to: Activity.ID(2))])
            // Ben's own calendar in the file: leave on Friday 13 and Monday 16 November (one absence across the weekend),
            // Culture Day off like the base (not leave), a Saturday off (not leave either).
            let bensCalendar = WorkCalendar.japan.derived(id: WorkCalendar.ID(50), name: "Ben", closures: [
                CalendarException(name: "Leave", firstDay: day("2026-11-13")),
                CalendarException(name: "Leave", firstDay: day("2026-11-16")),
                CalendarException(name: "Holiday", firstDay: day("2026-11-03")),
                CalendarException(name: "Saturday", firstDay: day("2026-11-14")),
            ])
            plan.calendars.append(bensCalendar)
            plan.resources = [Resource(id: Resource.ID(7), name: "Member (file name)", email: "MEMBER@example.com"),
                              Resource(id: Resource.ID(8), name: "Ben", calendarID: bensCalendar.id),
                              Resource(id: Resource.ID(9), name: "Tester", maxUnits: 0.5),
                              Resource(id: Resource.ID(10), name: "Cement", kind: .material)]
            plan.assignments = [ResourceAssignment(number: 1, activity: Activity.ID(1), resource: Resource.ID(7), units: 1),
                                ResourceAssignment(number: 2, activity: Activity.ID(2), resource: Resource.ID(8), units: 0.5, workMinutes: 1200),
                                ResourceAssignment(number: 3, activity: Activity.ID(2), resource: Resource.ID(9), units: 0.5),
                                ResourceAssignment(number: 4, activity: Activity.ID(2), resource: Resource.ID(10), units: 3)]
            let preview = try await s.plans.importPlan(c.pm, key: "IMP", plan: plan, apply: false)
            #expect(preview.resources.map { "\($0.fileName)→\($0.resourceName):\($0.how.rawValue)" }
                    == ["Member (file name)→member:email", "Ben→Ben:name", "Tester→Tester:placeholder"])
            #expect(try await s.resources.list(c.pmo).map(\.name) == ["Ben"], "a preview stores nothing")
            #expect(preview.resources.map(\.absences) == [0, 1, 0])
            #expect(try await s.resources.list(c.pmo).first?.capacity.absences.isEmpty == true, "a preview stores no leave")

            let applied = try await s.plans.importPlan(c.pm, key: "IMP", plan: plan, apply: true)
            #expect(applied.resources.map(\.how) == [.email, .name, .placeholder])
            let bensLeave = try #require(try await s.resources.list(c.pmo).first { $0.id == ben.id }).capacity.absences
            #expect(bensLeave.map { "\($0.start)…\($0.end)" } == ["2026-11-13…2026-11-16"])
            // The same file again: the leave is there already, nothing is added twice.
            #expect(try await s.plans.importPlan(c.pm, key: "IMP", plan: plan, apply: false).resources.map(\.absences) == [0, 0, 0])
            let view = try await s.plans.view(c.pm, key: "IMP")
            let build = try #require(view.uid("Build"))
            let design = try #require(view.uid("Design"))
            let assigned = try await s.plans.assignments(c.pm, key: "IMP")
            #expect(assigned[design]?.map(\.name) == ["member"])
            #expect(Set(assigned[build]?.map { "\($0.name ?? "?") \($0.unitsPercent)" } ?? []) == ["Ben 50", "Tester 50"])
            #expect(assigned[build]?.first { $0.resourceID == ben.id }?.workMinutes == 1200)
            #expect(view.snapshot.activities.first { $0.uid == build }?.levelingDelay == .working(480))
            let tester = try #require(try await s.resources.list(c.pmo).first { $0.name == "Tester" })
            #expect(tester.kind == .placeholder && tester.capacity.percent == 50 && tester.companyID == c.operatorID)
            let member = try #require(try await s.resources.list(c.pmo).first { $0.userID == c.member.userID })
            #expect(member.kind == .person)
            // The plan the engine reads has them, so export writes them; a vendor reads another company's person as a number.
            #expect(Set(view.schedulePlan.resources.map(\.name)) == ["member", "Ben", "Tester"])
            let vendorPlan = try await s.plans.view(c.vendorA, key: "IMP").visibleSchedulePlan
            #expect(Set(vendorPlan.resources.map(\.name)) == ["Ben", "Resource \(member.number)", "Resource \(tester.number)"])
        }
    }
}

/// The demo has staffed assignments, someone over capacity in the busiest month ahead, and a proposed scenario that
/// fixes it.
@Suite("Demo resources")
struct DemoResourceTests {
    @Test func theDemoHasAnOverloadedPersonAndAScenarioThatFixesIt() async throws {
        try await StoreHarness.with(.sqlite) { h in
            let s = h.store
            _ = try await DemoData.load(into: s, bcryptCost: 4)
            let pmo = try Caller(try #require(try await s.accounts.users().first { $0.email == "pmo@demo.pmo" }))
            let map = try await s.resources.loadMap(pmo, LoadMapQuery(scale: .week, from: CivilDate(s.now(), in: TimeZone.japan), count: 26))
            let watanabe = try #require(map.rows.first { $0.resource.name.hasPrefix("渡辺") })
            #expect(watanabe.overloadedPeriods > 0)
            #expect(watanabe.cells.contains { $0.otherProjects > 0 }, "DWH's share is unnamed for the PMO, who is not in DWH")
            #expect(map.rows.contains { $0.resource.kind == .placeholder } && map.rows.contains { $0.resource.kind == .equipment })
            let scenario = try #require(try await s.levelling.list(pmo, key: "CRM").first)
            #expect(scenario.status == .proposed)
            let crm = try #require(scenario.projects.first)
            #expect(crm.overloadsBefore > 0 && crm.overloadsAfter == 0 && !crm.moves.isEmpty)
            // A vendor of Aoba sees Aoba's people and the equipment only.
            let aoba = try Caller(try #require(try await s.accounts.users().first { $0.email == "aoba.lead@demo.pmo" }))
            #expect(try await s.resources.list(aoba).allSatisfy { $0.companyName == "Aoba Cloud Services" || $0.kind == .equipment })
        }
    }
}
