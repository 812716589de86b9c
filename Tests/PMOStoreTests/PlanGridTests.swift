import Foundation
import PMOCore
import PMOSchedule
import PMOStore
import PMOTestSupport
import Testing

@Suite("Plan grid")
struct PlanGridTests {
    /// An edit of one row at the version the grid showed.
    func update(_ row: Int, _ uid: Int, _ view: PlanView, _ fill: (inout PlanGridEdit) -> Void) -> PlanGridEdit {
        var e = PlanGridEdit(op: .update, row: row, uid: uid, expectedVersion: view.activityVersions[uid])
        fill(&e)
        return e
    }

    @Test(arguments: TestDatabase.available)
    func aBlockOfRowsUpdatesAndAddsInOneChangeAndTypedDatesBecomeConstraints(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let (s, k) = (h.store, c.key)
            let design = try await s.add(c.pm, k, "Design", days: 5)
            let build = try await s.add(c.pm, k, "Build", days: 5)
            try await s.link(c.pm, k, design, build)
            var view = try await s.plans.view(c.pm, key: k)
            #expect(view.finish(build) == "2026-06-12T18:00:00")
            let before = view.version

            var first = update(1, design, view) { $0.durationMinutes = 10 * 480 }
            first.name = "Basic design"
            var added = PlanGridEdit(op: .create, row: 2)
            added.name = "Test"
            added.durationMinutes = 3 * 480
            added.setPredecessors([PlanDependencyInput(predecessorUID: build, successorUID: 0)])
            var typed = update(3, build, view) { _ in }
            typed.typedDate(start: day("2026-06-22"))
            let result = try await s.plans.applyGrid(c.pm, key: k, [first, added, typed])
            #expect(result.created.count == 1)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.version == before + 1, "one change, one new plan version")
            #expect(view.row(design)?.activity.name == "Basic design")
            #expect(view.finish(design) == "2026-06-12T18:00:00")
            #expect(view.row(build)?.activity.constraint.kind == .startNoEarlierThan)
            #expect(view.start(build) == "2026-06-22T09:00:00", "a typed start is a start-no-earlier-than, as in Microsoft Project")
            let test = try #require(result.created.first)
            #expect(view.row(test)?.activity.name == "Test")
            #expect(view.start(test) == "2026-06-29T09:00:00", "the new row follows Build")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBadRowChangesNothingAndIsNamedWithItsCell(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let (s, k) = (h.store, c.key)
            let a = try await s.add(c.pm, k, "A", days: 2)
            let b = try await s.add(c.pm, k, "B", days: 2)
            try await s.link(c.pm, k, a, b)
            let view = try await s.plans.view(c.pm, key: k)

            // Row 2 names a predecessor that does not exist: row 1's good change is not kept either.
            let good = update(1, a, view) { $0.durationMinutes = 4 * 480 }
            let unknown = update(2, b, view) { $0.setPredecessors([PlanDependencyInput(predecessorUID: 99, successorUID: 0)]) }
            let e1 = await expectDomainError("plan.invalid", .invalid) { _ = try await s.plans.applyGrid(c.pm, key: k, [good, unknown]) }
            #expect(e1?.fieldErrors.first?.field == "grid.2.predecessors")
            #expect(messageOf(e1).contains("99"))

            // A loop: A after B while B follows A.
            let loop = update(1, a, view) { $0.setPredecessors([PlanDependencyInput(predecessorUID: b, successorUID: 0)]) }
            let e2 = await expectDomainError("plan.invalid", .invalid) { _ = try await s.plans.applyGrid(c.pm, key: k, [good, loop]) }
            #expect(e2?.fieldErrors.first?.code == "cycle")
            #expect(e2?.fieldErrors.first?.field.hasPrefix("grid.1.") == true)

            let after = try await s.plans.view(c.pm, key: k)
            #expect(after.version == view.version, "nothing was written")
            #expect(after.row(a)?.activity.duration.minutes == 2 * 480)
            #expect(after.snapshot.dependencies.count == 1)
            #expect(try await s.plans.canUndoGrid(c.pm, key: k) == false)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStaleRowIsRefusedWithTheOtherPersonsValues(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-06-01")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await h.planCast()
            let k = c.key
            let a = try await s.add(c.pm, k, "Design", days: 2)
            let mine = try await s.plans.view(c.pm, key: k)
            // The PMO changes the row first, in their own grid.
            _ = try await s.plans.applyGrid(c.pmo, key: k, [update(1, a, mine) { $0.durationMinutes = 7 * 480 }])
            let e = await expectDomainError("plan.stale_rows", .conflict) {
                _ = try await s.plans.applyGrid(c.pm, key: k, [self.update(1, a, mine) { $0.durationMinutes = 3 * 480 }])
            }
            #expect(messageOf(e).contains("pmo"), "says who changed it")
            #expect(messageOf(e).contains("duration 7 d"), "and the row's values now")
            #expect(try await s.plans.view(c.pm, key: k).row(a)?.activity.duration.minutes == 7 * 480, "the other person's change stays")
        }
    }

    @Test(arguments: TestDatabase.available)
    func undoPutsBackOnesOwnLastChangeOnlyWhileNobodyElseChangedThePlan(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let clock = TickingClock("2026-06-01")
            var s = h.store
            s.clock = { clock.now() }
            let c = try await h.planCast()
            let k = c.key
            let phase = try await s.add(c.pm, k, "Phase", days: 1)
            let a = try await s.add(c.pm, k, "Design", days: 2)
            let b = try await s.add(c.pm, k, "Build", days: 2)
            var view = try await s.plans.view(c.pm, key: k)

            // A cell, a new row and an indent, each undone in turn.
            _ = try await s.plans.applyGrid(c.pm, key: k, [update(1, a, view) { $0.durationMinutes = 5 * 480; $0.name = "Design!" }])
            #expect(try await s.plans.canUndoGrid(c.pm, key: k))
            #expect(try await s.plans.canUndoGrid(c.pmo, key: k) == false, "undo is one's own")
            _ = try await s.plans.undoGrid(c.pm, key: k)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.row(a)?.activity.name == "Design" && view.row(a)?.activity.duration.minutes == 2 * 480)
            await expectDomainError("plan.nothing_to_undo", .conflict) { _ = try await s.plans.undoGrid(c.pm, key: k) }

            var indent = PlanGridEdit(op: .place, row: 2, uid: a, expectedVersion: view.activityVersions[a])
            indent.parentUID = phase
            _ = try await s.plans.applyGrid(c.pm, key: k, [indent])
            #expect(try await s.plans.view(c.pm, key: k).outline == ["1 Phase", "1.1 Design", "2 Build"])
            _ = try await s.plans.undoGrid(c.pm, key: k)
            #expect(try await s.plans.view(c.pm, key: k).outline == ["1 Phase", "2 Design", "3 Build"])

            var added = PlanGridEdit(op: .create, row: 4)
            added.name = "Test"
            let made = try await s.plans.applyGrid(c.pm, key: k, [added])
            #expect(try await s.plans.view(c.pm, key: k).rows.count == 4)
            _ = try await s.plans.undoGrid(c.pm, key: k)
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.rows.count == 3 && view.row(made.created[0]) == nil)

            // Someone else changes the plan after my change: the undo is refused and says who changed what.
            _ = try await s.plans.applyGrid(c.pm, key: k, [update(1, b, view) { $0.durationMinutes = 4 * 480 }])
            _ = try await s.plans.updateActivity(c.pmo, key: k, uid: a, expectedVersion: nil) { $0.name = "Design (PMO)" }
            let e = await expectDomainError("plan.undo_refused", .conflict) { _ = try await s.plans.undoGrid(c.pm, key: k) }
            #expect(messageOf(e).contains("pmo changed \(a) Design (PMO)"))
            #expect(try await s.plans.view(c.pm, key: k).row(b)?.activity.duration.minutes == 4 * 480, "nothing was undone")
        }
    }

    @Test(arguments: TestDatabase.available)
    func percentCompleteFromTheGridIsProgressAtTheStatusDate(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let (s, k) = (h.store, c.key)
            let a = try await s.add(c.pm, k, "Design", days: 4)
            var view = try await s.plans.view(c.pm, key: k)
            let e = await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.applyGrid(c.pm, key: k, [self.update(1, a, view) { $0.percentComplete = 50 }])
            }
            #expect(e?.fieldErrors.first?.code == "no_status_date")
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-02"))
            view = try await s.plans.view(c.pm, key: k)
            _ = try await s.plans.applyGrid(c.pm, key: k, [update(1, a, view) { $0.percentComplete = 50 }])
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.row(a)?.activity.progress.percentComplete == 50)
            #expect(view.row(a)?.activity.progressStatusDate == day("2026-06-02"))
            _ = try await s.plans.undoGrid(c.pm, key: k)
            #expect(try await s.plans.view(c.pm, key: k).row(a)?.activity.progress.percentComplete == 0)
            // The grid needs the plan editor's right.
            await expectDomainError("plan.edit_forbidden", .forbidden) {
                _ = try await s.plans.applyGrid(c.vendorA, key: k, [self.update(1, a, view) { $0.name = "x" }])
            }
        }
    }
}
