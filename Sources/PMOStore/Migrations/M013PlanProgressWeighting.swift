import FluentKit
import SQLKit

/// A plan says how its summaries roll up % complete: by the planned duration of their rows (Microsoft Project's rule,
/// and what every plan did before) or by their budget. Existing plans keep `duration`.
struct M013PlanProgressWeighting: AsyncMigration {
    var name: String { "M013PlanProgressWeighting" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE plans ADD COLUMN progress_weighting VARCHAR(16) NOT NULL DEFAULT 'duration'").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE plans DROP COLUMN progress_weighting").run()
    }
}
