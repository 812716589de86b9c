import Foundation
import Logging
import PMOStore
import PMOTestSupport
import Testing

@testable import PMOServer

/// The server's loop of background jobs: the recurring clean-up and the signals' sweep are queued and run on the first
/// turn and queued for their next time, and a failing job is recorded with its error and waits for its next attempt.
@Suite("Background job runner")
struct JobRunnerTests {
    struct Boom: Error, CustomStringConvertible { var description: String { "the receiver answered 500" } }

    @Test(arguments: TestDatabase.available)
    func runsDueJobsAndRecordsFailures(_ db: TestDatabase) async throws {
        // A clock that moves only a millisecond per reading: the recurring jobs' next times do not come during the test.
        try await TestApp.with(db, clock: TestClock("2026-12-01", "09:00")) { t in
            let logger = Logger(label: "test.jobs")
            // The first turn runs the recurring jobs (and the signals the sweep queued for each project).
            let ran = try await BackgroundJobs.runDue(t.store, owner: "instance-1", logger: logger)
            let first = try await t.store.jobs.recent()
            #expect(ran == first.count && first.allSatisfy { $0.state == .done })
            #expect(Set(first.map(\.kind)).isSuperset(of: ["housekeeping", SignalService.sweepKind, InboxService.jobKind, WebhookService.collectJobKind]))
            // The next turn finds nothing due: tomorrow's clean-up and the next sweep are queued, not run.
            #expect(try await BackgroundJobs.runDue(t.store, owner: "instance-1", logger: logger) == 0)
            let queued = try await t.store.jobs.recent().filter { $0.state == .queued }
            func finished(_ kind: String) throws -> Date { try #require(first.first { $0.kind == kind }?.finishedAt) }
            #expect(queued.map(\.kind).sorted() == ["housekeeping", InboxService.jobKind, SignalService.sweepKind, WebhookService.collectJobKind])
            #expect(try queued.first { $0.kind == "housekeeping" }!.runAt.timeIntervalSince(finished("housekeeping")) == 86_400)
            #expect(try queued.first { $0.kind == SignalService.sweepKind }!.runAt.timeIntervalSince(finished(SignalService.sweepKind)) == 60)

            try await t.store.jobs.enqueue(kind: "webhook", key: "delivery-1")
            let handlers = BackgroundJobs.handlers().merging(["webhook": { _, _ in throw Boom() }]) { a, _ in a }
            #expect(try await BackgroundJobs.runDue(t.store, owner: "instance-1", handlers: handlers, logger: logger) == 1)
            let failed = try #require(try await t.store.jobs.recent().first { $0.kind == "webhook" })
            #expect(failed.state == .queued)
            #expect(failed.attempts == 1)
            #expect(failed.lastError == "the receiver answered 500")
            #expect(failed.runAt.timeIntervalSince(try #require(failed.startedAt)) >= 30, "the next attempt waits")
            // A kind this server has no handler for stays queued for an instance that has one.
            try await t.store.jobs.enqueue(kind: "unknown", key: "x")
            _ = try await BackgroundJobs.runDue(t.store, owner: "instance-1", logger: logger)
            #expect(try await t.store.jobs.recent().first { $0.kind == "unknown" }?.state == .queued)
        }
    }
}
