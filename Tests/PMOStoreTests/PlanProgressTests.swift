import Foundation
import PMOCore
import PMOSchedule
import PMOStore
import PMOTestSupport
import Testing

@Suite("Plan progress")
struct PlanProgressTests {
    /// Who may record progress on which activity: PMO, PMs and admins any; members their own; vendors their company's;
    /// viewers never; outsiders do not see the project at all.
    @Test(arguments: TestDatabase.available)
    func progressPermissionMatrix(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let member = c.member, vendorA = c.vendorAID
            let own = try await s.add(c.pm, k, "Member's own", days: 2) { $0.ownerID = UserID(member.userID) }
            let vendors = try await s.add(c.pm, k, "Vendor A's", days: 2) { $0.companyID = CompanyID(vendorA) }
            let plain = try await s.add(c.pm, k, "Nobody's", days: 2)

            // No status date yet: nothing can be recorded.
            let none = await expectDomainError("plan.no_status_date", .invalid) {
                _ = try await s.plans.recordProgress(c.pmo, key: k, uid: plain, expectedVersion: nil, ProgressInput(percentComplete: 10))
            }
            #expect(none?.fieldErrors.map(\.field) == ["statusDate"])
            await expectDomainError("plan.invalid", .invalid) { try await s.plans.setStatusDate(c.pm, key: k, day("2026-05-29")) }
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-03"))

            let matrix: [(String, Caller, [Int: Bool])] = [
                ("admin", c.admin, [own: true, vendors: true, plain: true]),
                ("project admin", c.projectAdmin, [own: true, vendors: true, plain: true]),
                ("pmo", c.pmo, [own: true, vendors: true, plain: true]),
                ("pm", c.pm, [own: true, vendors: true, plain: true]),
                ("member (owner)", c.member, [own: true, vendors: false, plain: false]),
                ("other member", c.member2, [own: false, vendors: false, plain: false]),
                ("vendor A", c.vendorA, [own: false, vendors: true, plain: false]),
                ("vendor B", c.vendorB, [own: false, vendors: false, plain: false]),
                ("viewer", c.viewer, [own: false, vendors: false, plain: false]),
            ]
            var percent = 0.0
            for (who, caller, allowed) in matrix {
                let view = try await s.plans.view(caller, key: k)
                for uid in [own, vendors, plain] {
                    let may = allowed[uid]!
                    #expect(view.canUpdateProgress(view.row(uid)!.activity) == may, "\(who) on \(uid)")
                    percent += 1
                    let input = ProgressInput(percentComplete: percent)
                    if may {
                        let a = try await s.plans.recordProgress(caller, key: k, uid: uid, expectedVersion: nil, input)
                        #expect(a.progress.percentComplete == percent, "\(who) on \(uid)")
                        #expect(a.progressStatusDate == day("2026-06-03"))
                    } else {
                        await expectDomainError("plan.progress_forbidden", .forbidden) {
                            _ = try await s.plans.recordProgress(caller, key: k, uid: uid, expectedVersion: nil, input)
                        }
                    }
                }
            }
            for uid in [own, vendors, plain] {
                await expectDomainError("project.not_found", .notFound) {
                    _ = try await s.plans.recordProgress(c.outsider, key: k, uid: uid, expectedVersion: nil, ProgressInput(percentComplete: 1))
                }
            }
            // Progress written: 4 editors × 3 activities + the member's own + vendor A's.
            #expect(try await h.count("plan_progress") == 14)
            let view = try await s.plans.view(c.pm, key: k)
            // The last allowed update wins: vendor A's on its row (percent 20), the member's on theirs (13).
            #expect(view.row(vendors)?.activity.progress.percentComplete == 20)
            #expect(view.row(own)?.activity.progress.percentComplete == 13)
            #expect(view.row(plain)?.activity.progress.percentComplete == 12)
            // Work reported without a start started on the status date at the first working minute.
            #expect(view.row(plain)?.activity.progress.actualStart == time("2026-06-03T09:00"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func progressValuesAreChecked(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let summary = try await s.add(c.pm, k, "Summary")
            let task = try await s.add(c.pm, k, "Task", days: 4, parent: summary)
            let other = try await s.add(c.pm, k, "Other", days: 2)
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-03"))

            let future = await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: nil,
                                               ProgressInput(actualStart: day("2026-06-04"), percentComplete: 10))
            }
            #expect(future?.fieldErrors.map(\.code) == ["after_status_date"])
            #expect(future?.fieldErrors.map(\.field) == ["actualStart"])
            let futureFinish = await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: nil,
                                               ProgressInput(actualStart: day("2026-06-01"), actualFinish: day("2026-06-05")))
            }
            #expect(futureFinish?.fieldErrors.map(\.field) == ["actualFinish"])
            let onSummary = await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: summary, expectedVersion: nil, ProgressInput(percentComplete: 10))
            }
            #expect(onSummary?.fieldErrors.map(\.code) == ["summary"])
            let hundred = await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: nil,
                                               ProgressInput(actualStart: day("2026-06-01"), percentComplete: 100))
            }
            #expect(hundred?.fieldErrors.map(\.field) == ["actualFinish"])
            await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: nil, ProgressInput(percentComplete: 120))
            }
            await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: nil, ProgressInput(remainingDays: -1))
            }
            await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: nil,
                                               ProgressInput(actualStart: day("2026-06-03"), actualFinish: day("2026-06-02")))
            }
            await expectDomainError("plan.invalid", .invalid) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: nil, ProgressInput(actualHours: -2))
            }
            await expectDomainError("plan.activity_not_found", .notFound) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: 99, expectedVersion: nil, ProgressInput(percentComplete: 10))
            }
            #expect(try await h.count("plan_progress") == 0)

            // One of four days left: 75 %, started on the given day at the first working minute.
            let a = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: 1,
                                               ProgressInput(actualStart: day("2026-06-01"), remainingDays: 1, actualHours: 20))
            #expect(a.progress.percentComplete == 75)
            #expect(a.progress.remainingDuration == .working(480))
            #expect(a.progress.actualStart == time("2026-06-01T09:00"))
            #expect(a.actualHours == 20)
            await expectDomainError("version.stale", .conflict) {
                _ = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: 1, ProgressInput(percentComplete: 80))
            }
            // Half a day left of four: 87.5 %.
            let b = try await s.plans.recordProgress(c.pm, key: k, uid: task, expectedVersion: 2, ProgressInput(remainingDays: 0.5))
            #expect(b.progress.percentComplete == 87.5)
            #expect(b.progress.actualStart == time("2026-06-01T09:00"))
            // A finish means 100 % at the last working minute of the day.
            let done = try await s.plans.recordProgress(c.pm, key: k, uid: other, expectedVersion: nil,
                                                  ProgressInput(actualStart: day("2026-06-01"), actualFinish: day("2026-06-03"), actualCost: .yen(1234)))
            #expect(done.progress.percentComplete == 100)
            #expect(done.progress.actualFinish == time("2026-06-03T18:00"))
            #expect(done.actualCost == .yen(1234))
            let view = try await s.plans.view(c.pm, key: k)
            #expect(view.finish(other) == "2026-06-03T18:00:00")
            #expect(view.start(task) == "2026-06-01T09:00:00")
            #expect(try await h.count("plan_progress") == 3)
        }
    }

    /// The review at a status date: what changed since the previous one (latest first) and who has not reported.
    @Test(arguments: TestDatabase.available)
    func progressReviewListsChangesAndMissingUpdates(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            var s = h.store
            // Updates are written in order a second apart, so the review's order is the order they were made in.
            let clock = TickingClock(Date(timeIntervalSince1970: 1_780_000_000))
            s.clock = { clock.now() }
            let k = c.key
            let a = try await s.add(c.pm, k, "A", days: 5)            // 1–5 June
            let b = try await s.add(c.pm, k, "B", days: 10)           // 8–19 June
            let cc = try await s.add(c.pm, k, "C", days: 4)           // 22–25 June
            let d = try await s.add(c.pm, k, "D", days: 3)            // 1–3 June
            let e = try await s.add(c.pm, k, "E", days: 2) {          // July
                $0.constraint = ActivityConstraint(.startNoEarlierThan, date: time("2026-07-01T09:00"))
            }
            let f = try await s.add(c.pm, k, "F", days: 2)            // 1–2 June
            try await s.link(c.pm, k, a, b)
            try await s.link(c.pm, k, b, cc)
            var view = try await s.plans.view(c.pm, key: k)
            #expect(view.start(b) == "2026-06-08T09:00:00" && view.finish(cc) == "2026-06-25T18:00:00")
            #expect(view.start(e) == "2026-07-01T09:00:00")

            var review = try await s.plans.progressReview(c.pm, key: k)
            #expect(review.statusDate == nil && review.changes.isEmpty && review.notUpdated.isEmpty)

            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-05"))
            review = try await s.plans.progressReview(c.pm, key: k)
            #expect(review.previousStatusDate == nil)
            #expect(review.notUpdated.map(\.activity.uid) == [a, d, f])
            _ = try await s.plans.recordProgress(c.pm, key: k, uid: a, expectedVersion: nil,
                                           ProgressInput(actualStart: day("2026-06-01"), actualFinish: day("2026-06-05")))
            _ = try await s.plans.recordProgress(c.pmo, key: k, uid: d, expectedVersion: nil,
                                           ProgressInput(actualStart: day("2026-06-01"), percentComplete: 50))
            review = try await s.plans.progressReview(c.pm, key: k)
            #expect(review.statusDate == day("2026-06-05"))
            #expect(review.changes.map(\.uid) == [d, a])
            #expect(review.changes.map(\.recordedBy) == ["pmo", "pm"])
            #expect(review.changes.map(\.percentAfter) == [50, 100])
            #expect(review.notUpdated.map(\.activity.uid) == [f])

            // The next status date: nothing reported yet, so everything under way is listed.
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-12"))
            review = try await s.plans.progressReview(c.pm, key: k)
            #expect(review.previousStatusDate == day("2026-06-05"))
            #expect(review.statusDates == [day("2026-06-05"), day("2026-06-12")])
            #expect(review.changes.isEmpty)
            // A finished before the previous status date; C and E have not started.
            #expect(review.notUpdated.map(\.activity.uid) == [b, d, f])

            _ = try await s.plans.recordProgress(c.pm, key: k, uid: b, expectedVersion: nil,
                                           ProgressInput(actualStart: day("2026-06-08"), percentComplete: 40))
            _ = try await s.plans.recordProgress(c.pm, key: k, uid: f, expectedVersion: nil,
                                           ProgressInput(actualStart: day("2026-06-01"), actualFinish: day("2026-06-02")))
            review = try await s.plans.progressReview(c.pm, key: k)
            #expect(review.changes.map(\.uid) == [f, b])
            #expect(review.notUpdated.map(\.activity.uid) == [d])
            _ = try await s.plans.recordProgress(c.pmo, key: k, uid: d, expectedVersion: nil,
                                           ProgressInput(percentComplete: 80))
            review = try await s.plans.progressReview(c.pm, key: k)
            #expect(review.changes.map(\.uid) == [d, f, b])
            let dChange = review.changes.first { $0.uid == d }
            #expect(dChange?.percentBefore == 50 && dChange?.percentAfter == 80)
            #expect(dChange?.statusDate == day("2026-06-12"))
            let bChange = review.changes.first { $0.uid == b }
            #expect(bChange?.percentBefore == 0 && bChange?.percentAfter == 40)
            #expect(bChange?.actualStart == time("2026-06-08T09:00"))
            #expect(review.notUpdated.isEmpty)

            // Back to the first status date: its own changes again, with nothing before it.
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-05"))
            review = try await s.plans.progressReview(c.pm, key: k)
            #expect(review.previousStatusDate == nil)
            #expect(review.changes.map(\.uid) == [d, a])
            view = try await s.plans.view(c.pm, key: k)
            #expect(view.snapshot.statusDate == day("2026-06-05"))
            #expect(review.statusDates.count == 2)
        }
    }
}
