import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The background jobs' queue, reached as `store.jobs`. Jobs live in the database (`jobs`, M019), so every instance on
/// one database shares them: an instance claims a due job with a lease (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
/// two instances never claim the same one; on SQLite one statement, which the database runs alone), runs it outside any
/// request, and marks it done, or failed and queued again with a growing delay until its last attempt. A job whose
/// lease ran out (its instance crashed or hung) is taken over by the next claim. A job is run at least once: a handler
/// must be safe to run again.
public struct JobService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The background jobs' queue (`JobService`).
    public var jobs: JobService { JobService(store: self) }
}

/// A job as the queue keeps it.
public struct JobRecord: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable { case queued, running, done, failed }
    public var id: UUID
    public var kind: String
    /// What the job is about (a project key, "daily"): at most one queued or running job per kind and key.
    public var key: String
    public var payload: String
    public var state: State
    public var attempts: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var leaseOwner: String?
    public var leaseUntil: Date?
    public var lastError: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
}

extension JobService {
    static let columns = ["id", "kind", "job_key", "payload", "state", "attempts", "max_attempts", "run_at", "lease_owner", "lease_until",
                          "last_error", "created_at", "started_at", "finished_at"]

    /// How long a claimed job is its instance's before another may take it over.
    public static let defaultLease: TimeInterval = 300
    /// The wait before attempt n + 1 after n failed: 30 s, 1 min, 2 min… at most an hour.
    public static func backoff(afterAttempt n: Int) -> TimeInterval { min(3600, 30 * pow(2, Double(max(0, n - 1)))) }

    /// Queues a job unless one of the same kind and key is already queued or running (then that one stands);
    /// answers whether a job was added.
    @discardableResult
    public func enqueue(kind: String, key: String, payload: String = "{}", runAt: Date? = nil, maxAttempts: Int = 5) async throws -> Bool {
        let at = now()
        return try await write { db in
            try await insert(kind: kind, key: key, payload: payload, runAt: runAt ?? at, maxAttempts: maxAttempts, at: at, on: db)
        }
    }

    /// `enqueue` inside the caller's transaction (a record and the job that follows it up are stored together).
    @discardableResult
    func insert(kind: String, key: String, payload: String = "{}", runAt: Date, maxAttempts: Int, at: Date, on db: any Database) async throws -> Bool {
        let pending = try await db.readRows("""
            SELECT id FROM jobs WHERE kind = \(bind: kind) AND job_key = \(bind: key) AND state IN ('queued', 'running')
            """, columns: ["id"])
        guard pending.isEmpty else { return false }
        // Another instance may add the same job between the look and the insert: the partial unique index keeps one.
        try await db.sql().raw("""
            INSERT INTO jobs (id, kind, job_key, payload, state, attempts, max_attempts, run_at, created_at)
            VALUES (\(bind: UUID()), \(bind: kind), \(bind: key), \(bind: payload), 'queued', 0, \(bind: max(1, maxAttempts)),
                    \(bind: runAt), \(bind: at))
            ON CONFLICT DO NOTHING
            """).run()
        return true
    }

    /// Queues the next run of a recurring job (`every` after its last run ended, or now if it never ran), unless one is
    /// queued or running already.
    public func ensureRecurring(kind: String, key: String, every: TimeInterval) async throws {
        let last = try await db.readRows("""
            SELECT finished_at FROM jobs WHERE kind = \(bind: kind) AND job_key = \(bind: key) AND finished_at IS NOT NULL
            ORDER BY finished_at DESC LIMIT 1
            """, columns: ["finished_at"]).first.map { try $0.date(0) }
        try await enqueue(kind: kind, key: key, runAt: max(now(), last.map { $0.addingTimeInterval(every) } ?? now()))
    }

    /// Claims the next due job of one of `kinds` for `owner` (an instance's name) for `lease` seconds: a queued job
    /// whose time has come, or a running one whose lease ran out. Nil when none is due.
    public func claim(owner: String, kinds: [String], lease: TimeInterval = JobService.defaultLease) async throws -> JobRecord? {
        guard !kinds.isEmpty else { return nil }
        let at = now()
        let lock: SQLQueryString = isSQLite ? "" : " FOR UPDATE SKIP LOCKED"
        return try await write { db in
            // A job whose lease ran out on its last attempt is not run again: it failed.
            try await db.sql().raw("""
                UPDATE jobs SET state = 'failed', finished_at = \(bind: at), lease_owner = NULL, lease_until = NULL,
                  last_error = COALESCE(last_error, 'the instance running it stopped before it finished')
                WHERE state = 'running' AND lease_until < \(bind: at) AND attempts >= max_attempts
                """).run()
            let rows = try await db.readRows("""
                UPDATE jobs SET state = 'running', lease_owner = \(bind: owner), lease_until = \(bind: at.addingTimeInterval(lease)),
                  attempts = attempts + 1, started_at = \(bind: at)
                WHERE id = (SELECT id FROM jobs WHERE kind IN (\(binds: kinds))
                              AND ((state = 'queued' AND run_at <= \(bind: at)) OR (state = 'running' AND lease_until < \(bind: at)))
                            ORDER BY run_at, created_at LIMIT 1\(lock))
                RETURNING \(unsafeRaw: Self.columns.joined(separator: ", "))
                """, columns: Self.columns)
            return try rows.first.map(Self.record)
        }
    }

    /// Marks a claimed job done; false when `owner` no longer holds it (its lease ran out and another took it over).
    @discardableResult
    public func complete(_ id: UUID, owner: String) async throws -> Bool {
        let at = now()
        return try await write { db in
            let rows = try await db.readRows("""
                UPDATE jobs SET state = 'done', finished_at = \(bind: at), lease_owner = NULL, lease_until = NULL
                WHERE id = \(bind: id) AND state = 'running' AND lease_owner = \(bind: owner) RETURNING id
                """, columns: ["id"])
            return !rows.isEmpty
        }
    }

    /// Records a failed attempt: the job is queued again after `backoff`, or failed for good after its last attempt.
    /// False when `owner` no longer holds it.
    @discardableResult
    public func fail(_ id: UUID, owner: String, error: String) async throws -> Bool {
        let at = now()
        let message = String(error.prefix(2000))
        return try await write { db in
            guard let row = try await db.readRows("""
                SELECT attempts, max_attempts FROM jobs WHERE id = \(bind: id) AND state = 'running' AND lease_owner = \(bind: owner)
                """, columns: ["attempts", "max_attempts"]).first else { return false }
            let attempts = try row.int(0)
            if attempts >= (try row.int(1)) {
                try await db.sql().raw("""
                    UPDATE jobs SET state = 'failed', finished_at = \(bind: at), last_error = \(bind: message), lease_owner = NULL, lease_until = NULL
                    WHERE id = \(bind: id)
                    """).run()
            } else {
                try await db.sql().raw("""
                    UPDATE jobs SET state = 'queued', run_at = \(bind: at.addingTimeInterval(Self.backoff(afterAttempt: attempts))),
                      last_error = \(bind: message), lease_owner = NULL, lease_until = NULL
                    WHERE id = \(bind: id)
                    """).run()
            }
            return true
        }
    }

    /// The latest jobs, newest first (`pmo jobs`).
    public func recent(limit: Int = 50) async throws -> [JobRecord] {
        try await db.readRows("""
            SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM jobs ORDER BY created_at DESC, id LIMIT \(bind: max(1, min(limit, 1000)))
            """, columns: Self.columns).map(Self.record)
    }

    static func record(_ r: RowReader) throws -> JobRecord {
        JobRecord(id: try r.uuid(0), kind: try r.string(1), key: try r.string(2), payload: try r.string(3),
                  state: JobRecord.State(rawValue: try r.string(4)) ?? .failed, attempts: try r.int(5), maxAttempts: try r.int(6),
                  runAt: try r.date(7), leaseOwner: try r.stringOrNil(8), leaseUntil: try r.dateOrNil(9), lastError: try r.stringOrNil(10),
                  createdAt: try r.date(11), startedAt: try r.dateOrNil(12), finishedAt: try r.dateOrNil(13))
    }
}

extension Store {
    /// The daily clean-up: sessions past their expiry, sign-in throttle windows long over, grid undo records older than
    /// a week (an undo only works while nobody changed the plan since, which a week-old one never is), and jobs
    /// finished more than 30 days ago. Answers how many rows went, by table.
    public func housekeeping() async throws -> [String: Int] {
        let at = now()
        let dayMs = Int64(86_400_000)
        let nowMs = Int64(at.timeIntervalSince1970 * 1000)
        return try await write { db in
            var removed: [String: Int] = [:]
            func delete(_ table: String, _ query: SQLQueryString) async throws {
                removed[table] = try await db.readRows(query, columns: ["n"]).count
            }
            try await delete("sessions", "DELETE FROM sessions WHERE expires_at < \(bind: at) RETURNING 1 AS n")
            try await delete("login_throttle", """
                DELETE FROM login_throttle WHERE window_start_ms < \(bind: nowMs - dayMs)
                  AND (locked_until_ms IS NULL OR locked_until_ms < \(bind: nowMs)) RETURNING 1 AS n
                """)
            try await delete("plan_grid_undo", "DELETE FROM plan_grid_undo WHERE at < \(bind: at.addingTimeInterval(-7 * 86_400)) RETURNING 1 AS n")
            try await delete("jobs", """
                DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < \(bind: at.addingTimeInterval(-30 * 86_400)) RETURNING 1 AS n
                """)
            return removed
        }
    }
}
