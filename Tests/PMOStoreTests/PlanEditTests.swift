import AsyncKit
import Foundation
import PMOCore
import PMOSchedule
import PMOStore
import PMOTestSupport
import Testing

@Suite("Plan edits")
struct PlanEditTests {
    @Test(arguments: TestDatabase.available)
    func wbsOrderAndOutlineNumbersFollowIndentOutdentUpAndDown(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let phase1 = try await s.add(c.pm, k, "Phase 1")
            let design = try await s.add(c.pm, k, "Design")
            let build = try await s.add(c.pm, k, "Build")
            let phase2 = try await s.add(c.pm, k, "Phase 2")
            let test = try await s.add(c.pm, k, "Test")
            let uids: [Int] = [phase1, design, build, phase2, test]
            #expect(uids == [1, 2, 3, 4, 5])
            #expect(try await s.plans.view(c.pm, key: k).outline == ["1 Phase 1", "2 Design", "3 Build", "4 Phase 2", "5 Test"])

            try await s.plans.moveActivity(c.pm, key: k, uid: design, .indent)
            try await s.plans.moveActivity(c.pm, key: k, uid: build, .indent)
            #expect(try await s.plans.view(c.pm, key: k).outline == ["1 Phase 1", "1.1 Design", "1.2 Build", "2 Phase 2", "3 Test"])
            try await s.plans.moveActivity(c.pm, key: k, uid: test, .indent)
            var view = try await s.plans.view(c.pm, key: k)
            #expect(view.outline == ["1 Phase 1", "1.1 Design", "1.2 Build", "2 Phase 2", "2.1 Test"])
            #expect(view.rows.map(\.level) == [1, 2, 2, 1, 2])
            #expect(view.rows.map(\.hasChildren) == [true, false, false, true, false])
            #expect(view.row(build)?.activity.parentUID == phase1)

            try await s.plans.moveActivity(c.pm, key: k, uid: build, .up)
            #expect(try await s.plans.view(c.pm, key: k).outline == ["1 Phase 1", "1.1 Build", "1.2 Design", "2 Phase 2", "2.1 Test"])
            // Outdent: just after its former parent, at the parent's level.
            try await s.plans.moveActivity(c.pm, key: k, uid: build, .outdent)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.outline == ["1 Phase 1", "1.1 Design", "2 Build", "3 Phase 2", "3.1 Test"])
            #expect(view.row(build)?.activity.parentUID == nil)
            try await s.plans.moveActivity(c.pm, key: k, uid: build, .down)
            #expect(try await s.plans.view(c.pm, key: k).outline == ["1 Phase 1", "1.1 Design", "2 Phase 2", "2.1 Test", "3 Build"])
            try await s.plans.moveActivity(c.pm, key: k, uid: phase2, .up)
            #expect(try await s.plans.view(c.pm, key: k).outline == ["1 Phase 2", "1.1 Test", "2 Phase 1", "2.1 Design", "3 Build"])

            // A new activity after a given sibling pushes the later ones down.
            let review = try await s.add(c.pm, k, "Review", parent: phase1, after: nil)
            let spec = try await s.plans.createActivity(c.pm, key: k, parentUID: nil, afterUID: phase2) { $0.name = "Spec" }
            #expect(try await s.plans.view(c.pm, key: k).outline
                        == ["1 Phase 2", "1.1 Test", "2 Spec", "3 Phase 1", "3.1 Design", "3.2 Review", "4 Build"])
            #expect(spec.uid == 7 && review == 6)

            // Moves that cannot be made are refused and change nothing.
            let before = try await s.plans.view(c.pm, key: k).version
            await expectDomainError("plan.cannot_move", .invalid) { try await s.plans.moveActivity(c.pm, key: k, uid: phase2, .up) }
            await expectDomainError("plan.cannot_move", .invalid) { try await s.plans.moveActivity(c.pm, key: k, uid: build, .down) }
            await expectDomainError("plan.cannot_move", .invalid) { try await s.plans.moveActivity(c.pm, key: k, uid: phase2, .outdent) }
            await expectDomainError("plan.cannot_move", .invalid) { try await s.plans.moveActivity(c.pm, key: k, uid: test, .indent) }
            await expectDomainError("plan.activity_not_found", .notFound) { try await s.plans.moveActivity(c.pm, key: k, uid: 99, .up) }
            // A parent that does not exist, or an afterUID that is not a child of the parent.
            await expectDomainError("plan.invalid", .invalid) { _ = try await s.add(c.pm, k, "Orphan", parent: 99) }
            await expectDomainError("plan.invalid", .invalid) { _ = try await s.add(c.pm, k, "Misplaced", parent: phase1, after: test) }
            // An activity cannot go under its own row.
            await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.updateActivity(c.pm, key: k, uid: phase1, expectedVersion: nil) { $0.parentUID = design }
            }
            #expect(try await s.plans.view(c.pm, key: k).version == before)

            // Deleting a summary deletes its rows and every link touching them.
            try await s.link(c.pm, k, design, build)
            try await s.link(c.pm, k, test, review)
            try await s.plans.deleteActivity(c.pm, key: k, uid: phase1, expectedVersion: nil)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.outline == ["1 Phase 2", "1.1 Test", "2 Spec", "3 Build"])
            #expect(view.snapshot.dependencies.isEmpty)
        }
    }

    /// The project calendar is the Japanese office calendar: 2026-07-20 (Monday) is Marine Day.
    @Test(arguments: TestDatabase.available)
    func datesFollowLinksLagsAndTheJapaneseCalendar(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast(start: "2026-07-17")
            let s = h.store, k = c.key
            let design = try await s.add(c.pm, k, "Design", days: 2)
            let build = try await s.add(c.pm, k, "Build", days: 3)
            var view = try await s.plans.view(c.pm, key: k)
            // Friday, then the Tuesday after the holiday Monday.
            #expect(view.start(design) == "2026-07-17T09:00:00")
            #expect(view.finish(design) == "2026-07-21T18:00:00")
            #expect(view.start(build) == "2026-07-17T09:00:00")
            #expect(view.finish(build) == "2026-07-22T18:00:00")

            // FS with one working day of lag: Wednesday is the lag, Build runs Thursday, Friday and Monday.
            let version = view.version
            let d = try await s.link(c.pm, k, design, build, lagDays: 1)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.version == version + 1)
            #expect(view.start(build) == "2026-07-23T09:00:00")
            #expect(view.finish(build) == "2026-07-27T18:00:00")
            #expect(view.result.diagnostics.isEmpty)

            let golive = try await s.add(c.pm, k, "Go-live", days: 0, kind: .milestone)
            try await s.link(c.pm, k, build, golive)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.start(golive) == "2026-07-27T18:00:00")
            #expect(view.finish(golive) == "2026-07-27T18:00:00")
            #expect([design, build, golive].map { view.critical($0) } == [true, true, true])
            #expect([design, build, golive].map { view.float($0) } == [0, 0, 0])

            // A longer parallel branch into the milestone takes over the critical path.
            let procure = try await s.add(c.pm, k, "Procurement", days: 10)
            try await s.link(c.pm, k, procure, golive)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.finish(procure) == "2026-07-31T18:00:00")
            #expect(view.finish(golive) == "2026-07-31T18:00:00")
            #expect(view.critical(procure) == true && view.critical(golive) == true)
            #expect(view.critical(design) == false && view.critical(build) == false)
            // Build may slip 28, 29, 30 and 31 July: four working days.
            #expect(view.float(build) == 4 * 480)
            #expect(view.float(design) == 4 * 480)
            #expect(view.result.projectFinish == time("2026-07-31T18:00"))

            // Removing the lag's link gives Build its early dates back.
            try await s.plans.removeDependency(c.pm, key: k, id: d.id)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.finish(build) == "2026-07-22T18:00:00")
            await expectDomainError("plan.link_not_found", .notFound) { try await s.plans.removeDependency(c.pm, key: k, id: d.id) }
            // A duplicate link is a conflict; a link to a missing activity is invalid.
            await expectDomainError("plan.duplicate_link", .conflict) { try await s.link(c.pm, k, build, golive) }
            await expectDomainError("plan.invalid", .invalid) { try await s.link(c.pm, k, build, 99) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLinkThatClosesACycleIsRefusedNamingTheCycle(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let a = try await s.add(c.pm, k, "Alpha")
            let b = try await s.add(c.pm, k, "Bravo")
            let x = try await s.add(c.pm, k, "Charlie")
            try await s.link(c.pm, k, a, b)
            try await s.link(c.pm, k, b, x)
            let before = try await s.plans.view(c.pm, key: k)
            let events = try await h.count("audit_events")
            let e = await expectDomainError("plan.cycle", .invalid) { try await s.link(c.pm, k, x, a) }
            #expect(e?.fieldErrors.first?.code == "cycle")
            let message = e?.message ?? ""
            #expect(message.contains("Alpha (\(a)) → Bravo (\(b)) → Charlie (\(x)) → Alpha (\(a))"), "\(message)")
            // A link to itself is the shortest loop.
            let selfLoop = await expectDomainError("plan.cycle", .invalid) { try await s.link(c.pm, k, b, b) }
            #expect(messageOf(selfLoop).contains("Bravo (\(b)) → Bravo (\(b))"))
            let after = try await s.plans.view(c.pm, key: k)
            #expect(after.snapshot.dependencies.count == 2)
            #expect(after.version == before.version)
            #expect(try await h.count("audit_events") == events)
            #expect(after.result.isScheduled)

            // A summary cannot be linked to its own rows, either way round.
            let summary = try await s.add(c.pm, k, "Summary")
            let child = try await s.add(c.pm, k, "Child", parent: summary)
            await expectDomainError("plan.link_within_summary", .invalid) { try await s.link(c.pm, k, summary, child) }
            await expectDomainError("plan.link_within_summary", .invalid) { try await s.link(c.pm, k, child, summary) }
            // A loop through a summary's rows is found by the engine and refused too.
            try await s.link(c.pm, k, summary, a)
            let through = await expectDomainError("plan.cycle", .invalid) { try await s.link(c.pm, k, x, child) }
            #expect(messageOf(through).contains("Charlie"))
            #expect(try await s.plans.view(c.pm, key: k).snapshot.dependencies.count == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func staleVersionsAndForbiddenEditorsAreRefused(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let a = try await s.add(c.pm, k, "Alpha", days: 2)
            let b = try await s.add(c.pm, k, "Bravo")
            #expect(try await s.plans.view(c.pm, key: k).activityVersions[a] == 1)
            let renamed = try await s.plans.updateActivity(c.pm, key: k, uid: a, expectedVersion: 1) { $0.name = "Alpha 2" }
            #expect(renamed.name == "Alpha 2")
            #expect(try await s.plans.view(c.pm, key: k).activityVersions[a] == 2)
            let stale = await expectDomainError("version.stale", .conflict) {
                _ = try await s.plans.updateActivity(c.pm, key: k, uid: a, expectedVersion: 1) { $0.name = "Lost update" }
            }
            #expect(messageOf(stale).contains("version 2"))
            await expectDomainError("version.stale", .conflict) { try await s.plans.deleteActivity(c.pm, key: k, uid: a, expectedVersion: 1) }
            #expect(try await s.plans.view(c.pm, key: k).row(a)?.activity.name == "Alpha 2")
            // Progress is not changed through an edit.
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: a, expectedVersion: 2) {
                $0.progress = ActivityProgress(actualStart: time("2026-06-01T09:00"), percentComplete: 50)
                $0.actualHours = 9
            }
            let kept = try await s.plans.view(c.pm, key: k).row(a)?.activity
            #expect(kept?.progress == ActivityProgress.none)
            #expect(kept?.actualHours == 0)

            // Field rules.
            await expectDomainError("plan.invalid", .invalid) { _ = try await s.add(c.pm, k, "  ") }
            await expectDomainError("plan.invalid", .invalid) { _ = try await s.add(c.pm, k, "Too long", days: 10 * 260 + 1) }
            let noDate = await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.add(c.pm, k, "MSO without date") { $0.constraint = ActivityConstraint(.mustStartOn) }
            }
            #expect(noDate?.fieldErrors.map(\.field) == ["constraintDate"])
            await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.add(c.pm, k, "Owned by an outsider") { $0.ownerID = UserID(c.outsider.userID) }
            }

            // Members, vendors and viewers do not change the plan's structure; outsiders do not see it.
            for caller in [c.member, c.vendorA, c.viewer] {
                await expectDomainError("plan.edit_forbidden", .forbidden) { _ = try await s.add(caller, k, "Mine") }
                await expectDomainError("plan.edit_forbidden", .forbidden) {
                    _ = try await s.plans.updateActivity(caller, key: k, uid: b, expectedVersion: nil) { $0.name = "Renamed" }
                }
                await expectDomainError("plan.edit_forbidden", .forbidden) { try await s.plans.deleteActivity(caller, key: k, uid: b, expectedVersion: nil) }
                await expectDomainError("plan.edit_forbidden", .forbidden) { try await s.plans.moveActivity(caller, key: k, uid: b, .up) }
                await expectDomainError("plan.edit_forbidden", .forbidden) { try await s.link(caller, k, a, b) }
                await expectDomainError("plan.edit_forbidden", .forbidden) { try await s.plans.setStatusDate(caller, key: k, day("2026-06-02")) }
                await expectDomainError("plan.edit_forbidden", .forbidden) { _ = try await s.plans.createBaseline(caller, key: k, number: nil, name: "B") }
                let view = try await s.plans.view(caller, key: k)
                #expect(view.canEdit == false)
                #expect(view.rows.count == 2)
            }
            await expectDomainError("project.not_found", .notFound) { _ = try await s.add(c.outsider, k, "Intruder") }
            await expectDomainError("project.not_found", .notFound) { _ = try await s.plans.view(c.outsider, key: k) }
            // Admins (of the installation or the project), the PMO and PMs do.
            for (i, caller) in [c.admin, c.projectAdmin, c.pmo, c.pm].enumerated() {
                _ = try await s.add(caller, k, "By editor \(i)")
                #expect(try await s.plans.view(caller, key: k).canEdit)
            }
            #expect(try await s.plans.view(c.pm, key: k).rows.count == 6)
        }
    }

    /// A constraint that cannot hold is accepted (the plan must say so, not refuse it) and reported by the schedule.
    @Test(arguments: TestDatabase.available)
    func impossibleConstraintsAreAcceptedAndDiagnosed(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast(start: "2026-07-17")
            let s = h.store, k = c.key
            let design = try await s.add(c.pm, k, "Design", days: 2)
            let build = try await s.add(c.pm, k, "Build", days: 3)
            try await s.link(c.pm, k, design, build, lagDays: 1)
            // Install must start on 22 July, but Build only finishes on the 27th.
            let install = try await s.add(c.pm, k, "Install", days: 1) {
                $0.constraint = ActivityConstraint(.mustStartOn, date: time("2026-07-22T09:00"))
            }
            try await s.link(c.pm, k, build, install)
            var view = try await s.plans.view(c.pm, key: k)
            #expect(view.start(install) == "2026-07-22T09:00:00")
            let conflict = view.result.diagnostics.first { $0.code == .constraintConflict }
            #expect(conflict?.activities == [Activity.ID(install)])
            let conflictMessage = conflict?.message ?? ""
            #expect(conflictMessage.contains("Install"))
            let negative = view.result.diagnostics.first { $0.code == .negativeFloat }
            #expect(negative?.activities.contains(Activity.ID(build)) == true)
            #expect((view.float(build) ?? 0) < 0)

            // Docs (5 days from 17 July, so 24 July at the earliest) must finish no later than 21 July.
            let docs = try await s.add(c.pm, k, "Docs", days: 5) {
                $0.constraint = ActivityConstraint(.finishNoLaterThan, date: time("2026-07-21T18:00"))
            }
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.row(docs) != nil)
            #expect(view.finish(docs) == "2026-07-21T18:00:00")
            let named = view.result.diagnostics.filter {
                ($0.code == .constraintConflict || $0.code == .negativeFloat) && $0.activities.contains(Activity.ID(docs))
            }
            #expect(!named.isEmpty, "\(view.result.diagnostics)")
            #expect(view.result.isScheduled)
        }
    }

    /// Writers of one plan queue up: two links that together would make a loop, written at once, cannot both succeed.
    @Test(arguments: TestDatabase.available)
    func concurrentLinksNeverMakeACycle(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key, pm = c.pm
            var uids: [Int] = []
            for name in ["A", "B", "C", "D"] { uids.append(try await s.add(pm, k, name)) }
            let pairs = [(uids[0], uids[1]), (uids[1], uids[2]), (uids[2], uids[3]), (uids[3], uids[0]),
                         (uids[1], uids[0]), (uids[2], uids[0]), (uids[3], uids[1])]
            let outcomes = await withTaskGroup(of: String.self) { group in
                for (p, q) in pairs {
                    group.addTask {
                        do {
                            _ = try await s.link(pm, k, p, q)
                            return "ok"
                        } catch let e as DomainError { return e.code } catch is ConnectionPoolTimeoutError {
                            // The queue is the plan's row lock, held by connections of a pool of 4 per event loop:
                            // on a starved machine (the whole suite on two cores) a writer can wait out the pool's
                            // 10 s, which a user meets as 503 "busy, retry". It never half-writes a link, which is
                            // what the checks below hold.
                            return "pool.timeout"
                        } catch { return "\(error)" }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0 == "ok" || $0 == "plan.cycle" || $0 == "pool.timeout" }, "\(outcomes)")
            let view = try await s.plans.view(pm, key: k)
            #expect(view.result.isScheduled)
            #expect(view.snapshot.dependencies.count == outcomes.filter { $0 == "ok" }.count)
            #expect(PlanRulesCheck.hasCycle(view.snapshot.dependencies) == false)
        }
    }

    /// The first writes to a project that has no plan yet create its plan once, however many arrive together.
    @Test(arguments: TestDatabase.available)
    func concurrentFirstWritesCreateOnePlan(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key, pm = c.pm
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await s.add(pm, k, "Task \(i)")
                            return "ok"
                        } catch is ConnectionPoolTimeoutError {
                            // As in `concurrentLinksNeverMakeACycle`: on a starved machine (the whole suite on two
                            // cores, PostgreSQL's pool of 4 per event loop) a writer can wait out the pool's 10 s, which
                            // a user meets as 503 "busy, retry"; it never half-writes, which the checks below hold.
                            return "pool.timeout"
                        } catch { return String(reflecting: error) }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0 == "ok" || $0 == "pool.timeout" } && outcomes.contains("ok"), "\(outcomes)")
            #expect(try await h.count("plans") == 1)
            let view = try await s.plans.view(pm, key: k)
            #expect(Set(view.rows.map(\.activity.uid)).count == view.rows.count)
            #expect(view.rows.count == outcomes.filter { $0 == "ok" }.count, "a write that timed out left an activity")
        }
    }

    @Test(arguments: TestDatabase.available)
    func planSettingsCalendarsPhasesAndTheFeed(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let vendorA = CompanyID(c.vendorAID)
            let ours = try await s.add(c.pm, k, "Ours", days: 3)
            let theirs = try await s.add(c.pm, k, "Theirs", days: 3) { $0.companyID = vendorA }
            var view = try await s.plans.view(c.pm, key: k)
            #expect(view.finish(ours) == "2026-06-03T18:00:00" && view.finish(theirs) == "2026-06-03T18:00:00")

            // Vendor A closes on 2 and 3 June: only its activity goes round the closure.
            try await s.plans.setCompanyTerms(c.pm, key: k, companyID: c.vendorAID, hourlyRate: .yen(8000),
                                        closures: [CalendarException(name: "Vendor A shutdown", firstDay: day("2026-06-02"), lastDay: day("2026-06-03"))])
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.finish(ours) == "2026-06-03T18:00:00")
            #expect(view.finish(theirs) == "2026-06-05T18:00:00")
            #expect(view.snapshot.rates[vendorA] == .yen(8000))
            #expect(view.snapshot.calendars.count == 2)
            // Changing the closures again reuses the company's calendar.
            try await s.plans.setCompanyTerms(c.pm, key: k, companyID: c.vendorAID, hourlyRate: .yen(9000),
                                        closures: [CalendarException(name: "Vendor A shutdown", firstDay: day("2026-06-04"))])
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.snapshot.calendars.count == 2)
            #expect(view.finish(theirs) == "2026-06-03T18:00:00")
            #expect(view.snapshot.rates[vendorA] == .yen(9000))
            await expectDomainError("plan.invalid", .invalid) {
                try await s.plans.setCompanyTerms(c.pm, key: k, companyID: UUID(), hourlyRate: .yen(1), closures: nil)
            }
            await expectDomainError("plan.invalid", .invalid) {
                try await s.plans.setCompanyTerms(c.pm, key: k, companyID: c.vendorAID, hourlyRate: .yen(-1), closures: nil)
            }

            // The project calendar: 1 June becomes a holiday for everyone.
            var calendar = WorkCalendar.japan
            calendar.name = "Project"
            calendar.exceptions = [CalendarException(name: "Move", firstDay: day("2026-06-01"))]
            try await s.plans.updateCalendar(c.pm, key: k, uid: 1, calendar)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.start(ours) == "2026-06-02T09:00:00")
            #expect(view.finish(ours) == "2026-06-04T18:00:00")
            // Vendor A: 1 June (project) and 4 June (its own) are off.
            #expect(view.finish(theirs) == "2026-06-05T18:00:00")
            #expect(view.start(theirs) == "2026-06-02T09:00:00")
            await expectDomainError("plan.calendar_not_found", .notFound) { try await s.plans.updateCalendar(c.pm, key: k, uid: 42, calendar) }
            var idle = calendar
            idle.week = Array(repeating: [], count: 7)
            await expectDomainError("plan.invalid", .invalid) { try await s.plans.updateCalendar(c.pm, key: k, uid: 1, idle) }
            var nowhere = calendar
            nowhere.timeZoneIdentifier = "Mars/Olympus"
            await expectDomainError("plan.invalid", .invalid) { try await s.plans.updateCalendar(c.pm, key: k, uid: 1, nowhere) }

            // Settings: a later start moves everything; a stale version or a silly day length is refused.
            let version = try await s.plans.view(c.pm, key: k).version
            await expectDomainError("version.stale", .conflict) {
                try await s.plans.updateSettings(c.pm, key: k, expectedVersion: version - 1, PlanSettingsInput(name: "Stale"))
            }
            await expectDomainError("plan.invalid", .invalid) {
                try await s.plans.updateSettings(c.pm, key: k, expectedVersion: version, PlanSettingsInput(minutesPerDay: 30))
            }
            await expectDomainError("plan.invalid", .invalid) {
                try await s.plans.updateSettings(c.pm, key: k, expectedVersion: version, PlanSettingsInput(name: " "))
            }
            try await s.plans.updateSettings(c.pm, key: k, expectedVersion: version,
                                           PlanSettingsInput(name: " Master schedule ", startDate: day("2026-06-08"), minutesPerDay: 450))
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.version == version + 1)
            #expect(view.snapshot.name == "Master schedule")
            #expect(view.snapshot.minutesPerDay == 450)
            #expect(view.start(ours) == "2026-06-08T09:00:00")
            await expectDomainError("plan.edit_forbidden", .forbidden) {
                try await s.plans.updateSettings(c.member, key: k, expectedVersion: nil, PlanSettingsInput(name: "Mine"))
            }

            // Phases: removing one clears it from its activities; names are unique.
            let design = PlanPhase(name: "Design", definition: "基本設計と詳細設計", exitCriteria: "Design review passed")
            let build = PlanPhase(name: "Build")
            try await s.plans.setPhases(c.pm, key: k, [design, build])
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: ours, expectedVersion: nil) { $0.phaseID = build.id }
            _ = try await s.plans.updateActivity(c.pm, key: k, uid: theirs, expectedVersion: nil) { $0.phaseID = design.id }
            await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.updateActivity(c.pm, key: k, uid: ours, expectedVersion: nil) { $0.phaseID = UUID() }
            }
            try await s.plans.setPhases(c.pm, key: k, [design])
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.snapshot.phases.map(\.name) == ["Design"])
            #expect(view.snapshot.phases.first?.exitCriteria == "Design review passed")
            #expect(view.row(ours)?.activity.phaseID == nil)
            #expect(view.row(theirs)?.activity.phaseID == design.id)
            await expectDomainError("plan.invalid", .invalid) { try await s.plans.setPhases(c.pm, key: k, [PlanPhase(name: "A"), PlanPhase(name: "A ")]) }
            try await s.plans.setPhases(c.pm, key: k, [])
            #expect(try await s.plans.view(c.pm, key: k).row(theirs)?.activity.phaseID == nil)

            // The calendar feed: a token reads the plan; a new token retires the old one.
            #expect(try await s.plans.view(c.pm, key: k).hasFeed == false)
            let token = try await s.plans.rotateFeedToken(c.pm, key: k)
            #expect(token.hasPrefix("pmofeed_"))
            let feed = try await s.plans.forFeed(token: token)
            #expect(feed?.rows.count == 2)
            #expect(feed?.context.project.key == k)
            #expect(feed?.canEdit == false)
            let newer = try await s.plans.rotateFeedToken(c.pmo, key: k)
            #expect(try await s.plans.forFeed(token: token) == nil)
            #expect(try await s.plans.forFeed(token: newer)?.rows.count == 2)
            #expect(try await s.plans.forFeed(token: "") == nil)
            #expect(try await s.plans.forFeed(token: "pmofeed_nonsense") == nil)
            #expect(try await s.plans.view(c.viewer, key: k).hasFeed)
            await expectDomainError("plan.edit_forbidden", .forbidden) { _ = try await s.plans.rotateFeedToken(c.vendorA, key: k) }
        }
    }
}

/// An independent cycle check of stored links (depth-first colouring).
enum PlanRulesCheck {
    static func hasCycle(_ links: [PlanDependency]) -> Bool {
        var next: [Int: [Int]] = [:]
        for l in links { next[l.predecessorUID, default: []].append(l.successorUID) }
        var state: [Int: Int] = [:]  // 1 visiting, 2 done
        func visit(_ n: Int) -> Bool {
            if state[n] == 1 { return true }
            if state[n] == 2 { return false }
            state[n] = 1
            for m in next[n] ?? [] where visit(m) { return true }
            state[n] = 2
            return false
        }
        return next.keys.sorted().contains { visit($0) }
    }
}
