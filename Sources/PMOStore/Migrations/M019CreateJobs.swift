import FluentKit
import SQLKit

/// The background jobs' queue (`store.jobs`): each job's kind, its key (at most one queued or running job per kind and
/// key, by a partial unique index), its payload, state, attempts, when it may run, and the lease of the instance
/// running it, so that several instances on one database share the queue and a crashed one's job is taken over.
struct M019CreateJobs: AsyncMigration {
    var name: String { "M019CreateJobs" }

    func prepare(on db: any Database) async throws {
        try await db.schema("jobs")
            .id()
            .field("kind", .string, .required)
            .field("job_key", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .create()
        let sql = try db.sql()
        // Both SQLite and PostgreSQL have partial indexes: one pending job per kind and key, any number finished.
        try await sql.raw("CREATE UNIQUE INDEX jobs_pending_key ON jobs (kind, job_key) WHERE state IN ('queued', 'running')").run()
        try await sql.raw("CREATE INDEX jobs_due ON jobs (state, run_at)").run()
        try await sql.raw("CREATE INDEX jobs_recent ON jobs (created_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("jobs").delete()
    }
}
