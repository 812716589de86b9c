import FluentKit
import Foundation
import PMOPasswords
import PMOStore
import PMOTestSupport
import SQLKit
import Testing

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date { lock.withLock { value } }
    func advance(_ seconds: TimeInterval) { lock.withLock { value = value.addingTimeInterval(seconds) } }
}

/// The background jobs' queue: one pending job per kind and key, claims that never overlap (two instances on one
/// database), a lease that runs out and is taken over, retries with a growing wait, and a final failure with its error.
@Suite("Background jobs")
struct JobTests {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    /// Two instances (two pools, as two servers would have) on one fresh database, sharing a clock.
    static func twoInstances(_ db: TestDatabase, _ body: (Store, Store, TestClock) async throws -> Void) async throws {
        let location = try await db.makeLocation()
        let first = try await StoreHost(location, passwords: BcryptHasher())
        let second = try await StoreHost(location, passwords: BcryptHasher(), migrate: false)
        let clock = TestClock(start)
        var a = try first.store, b = try second.store
        a.clock = { clock.now }
        b.clock = { clock.now }
        do { try await body(a, b, clock) } catch {
            await first.shutdown(); await second.shutdown()
            throw error
        }
        await first.shutdown()
        await second.shutdown()
    }

    @Test(arguments: TestDatabase.available)
    func onePendingJobPerKindAndKey(_ db: TestDatabase) async throws {
        try await Self.twoInstances(db) { a, b, _ in
            #expect(try await a.jobs.enqueue(kind: "signals", key: "CRM"))
            #expect(!(try await b.jobs.enqueue(kind: "signals", key: "CRM")), "the second instance finds it queued")
            #expect(try await a.jobs.enqueue(kind: "signals", key: "ERP"))
            let claimed = try #require(try await a.jobs.claim(owner: "a", kinds: ["signals"]))
            #expect(!(try await b.jobs.enqueue(kind: "signals", key: claimed.key)), "a running job stands too")
            #expect(try await a.jobs.complete(claimed.id, owner: "a"))
            #expect(try await b.jobs.enqueue(kind: "signals", key: claimed.key), "once done, the next run may be queued")
            #expect(try await a.jobs.recent().count == 3)
        }
    }

    /// Forty jobs claimed by two instances at once, four workers each: every job once, none twice.
    @Test(arguments: TestDatabase.available)
    func twoInstancesNeverClaimTheSameJob(_ db: TestDatabase) async throws {
        try await Self.twoInstances(db) { a, b, _ in
            for n in 0..<40 { try await a.jobs.enqueue(kind: "work", key: "\(n)") }
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for (w, store) in [a, a, a, a, b, b, b, b].enumerated() {
                    group.addTask {
                        var keys: [String] = []
                        while let job = try await store.jobs.claim(owner: "worker-\(w)", kinds: ["work"]) {
                            keys.append(job.key)
                            #expect(try await store.jobs.complete(job.id, owner: "worker-\(w)"))
                        }
                        return keys
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claims.count == 40)
            #expect(Set(claims).count == 40)
            #expect(try await a.jobs.recent(limit: 100).allSatisfy { $0.state == .done && $0.attempts == 1 })
        }
    }

    /// An instance that stops mid-job: once the lease runs out the other takes the job over, and the first one's late
    /// answer changes nothing.
    @Test(arguments: TestDatabase.available)
    func anExpiredLeaseIsTakenOver(_ db: TestDatabase) async throws {
        try await Self.twoInstances(db) { a, b, clock in
            try await a.jobs.enqueue(kind: "signals", key: "CRM")
            let first = try #require(try await a.jobs.claim(owner: "crashed", kinds: ["signals"], lease: 60))
            #expect(try await b.jobs.claim(owner: "b", kinds: ["signals"]) == nil, "held while the lease lasts")
            clock.advance(61)
            let takeover = try #require(try await b.jobs.claim(owner: "b", kinds: ["signals"]))
            #expect(takeover.id == first.id)
            #expect(takeover.attempts == 2)
            #expect(takeover.leaseOwner == "b")
            #expect(!(try await a.jobs.complete(first.id, owner: "crashed")), "the crashed instance no longer holds it")
            #expect(try await b.jobs.complete(takeover.id, owner: "b"))
            #expect(try await a.jobs.recent().first?.state == .done)
        }
    }

    /// A failing job waits 30 s, then 60 s, and after its last attempt is failed with the error; a lease that runs out
    /// on the last attempt fails it too.
    @Test(arguments: TestDatabase.available)
    func failuresAreRetriedWithBackoffThenFailed(_ db: TestDatabase) async throws {
        try await Self.twoInstances(db) { a, _, clock in
            try await a.jobs.enqueue(kind: "mail", key: "digest", maxAttempts: 3)
            var job = try #require(try await a.jobs.claim(owner: "a", kinds: ["mail"]))
            #expect(try await a.jobs.fail(job.id, owner: "a", error: "SMTP refused: 421"))
            #expect(try await a.jobs.recent().first?.runAt == clock.now.addingTimeInterval(30))
            clock.advance(29)
            #expect(try await a.jobs.claim(owner: "a", kinds: ["mail"]) == nil, "not before its wait is over")
            clock.advance(1)
            job = try #require(try await a.jobs.claim(owner: "a", kinds: ["mail"]))
            #expect(job.attempts == 2)
            #expect(job.lastError == "SMTP refused: 421")
            #expect(try await a.jobs.fail(job.id, owner: "a", error: "SMTP refused: 421 again"))
            clock.advance(59)
            #expect(try await a.jobs.claim(owner: "a", kinds: ["mail"]) == nil)
            clock.advance(1)
            job = try #require(try await a.jobs.claim(owner: "a", kinds: ["mail"]))
            #expect(try await a.jobs.fail(job.id, owner: "a", error: "gave up"))
            let failed = try #require(try await a.jobs.recent().first)
            #expect(failed.state == .failed)
            #expect(failed.attempts == 3)
            #expect(failed.lastError == "gave up")
            clock.advance(7200)
            #expect(try await a.jobs.claim(owner: "a", kinds: ["mail"]) == nil, "a failed job is not run again")

            try await a.jobs.enqueue(kind: "mail", key: "once", maxAttempts: 1)
            _ = try #require(try await a.jobs.claim(owner: "hung", kinds: ["mail"], lease: 10))
            clock.advance(11)
            #expect(try await a.jobs.claim(owner: "a", kinds: ["mail"]) == nil)
            let hung = try #require(try await a.jobs.recent().first { $0.key == "once" })
            #expect(hung.state == .failed)
            #expect(hung.lastError?.contains("stopped before it finished") == true)
        }
    }

    /// A recurring job is queued now the first time, then `every` after its last run ended.
    @Test(arguments: TestDatabase.available)
    func recurringJobsFollowTheirLastRun(_ db: TestDatabase) async throws {
        try await Self.twoInstances(db) { a, b, clock in
            try await a.jobs.ensureRecurring(kind: "housekeeping", key: "daily", every: 86_400)
            try await b.jobs.ensureRecurring(kind: "housekeeping", key: "daily", every: 86_400)
            let job = try #require(try await b.jobs.claim(owner: "b", kinds: ["housekeeping"]))
            #expect(try await b.jobs.complete(job.id, owner: "b"))
            let ended = clock.now
            clock.advance(100)
            try await a.jobs.ensureRecurring(kind: "housekeeping", key: "daily", every: 86_400)
            let next = try #require(try await a.jobs.recent().first { $0.state == .queued })
            #expect(next.runAt == ended.addingTimeInterval(86_400))
            #expect(try await a.jobs.recent().count == 2)
        }
    }

    /// The daily clean-up removes expired sessions and nothing live.
    @Test(arguments: TestDatabase.available)
    func housekeepingRemovesExpiredSessionsOnly(_ db: TestDatabase) async throws {
        try await Self.twoInstances(db) { a, _, clock in
            let company = try await a.accounts.createCompany(by: nil, name: "Operator", kind: "operator")
            let user = try await a.accounts.createUser(by: nil, NewUser(email: "pm@example.com", displayName: "pm", companyID: company.id!,
                                                                          password: .given("long enough password")), bcryptCost: 4).user
            let old = try await a.accounts.createSession(userID: try user.requireID())
            clock.advance(Store.sessionLifetime + 1)
            let live = try await a.accounts.createSession(userID: try user.requireID())
            let removed = try await a.housekeeping()
            #expect(removed["sessions"] == 1)
            #expect(try await a.accounts.session(token: old.token) == nil)
            #expect(try await a.accounts.session(token: live.token) != nil)
            #expect(try await a.housekeeping()["sessions"] == 0)
        }
    }
}
