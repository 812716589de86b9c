import FluentKit
import SQLKit

/// Effort-driven activities (MS Project's EffortDriven): the plan activities whose work stays fixed when their
/// resources change, so that their duration follows. A table of its own, like the levelling delays, so the readers of
/// `plan_activities` work on every schema. Also removes the assignments and levelling delays of activities deleted
/// before deleting an activity took them along.
struct M026EffortDriven: AsyncMigration {
    var name: String { "M026EffortDriven" }

    func prepare(on db: any Database) async throws {
        try await db.schema("plan_effort_driven")
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("uid", .int, .required)
            .unique(on: "project_id", "uid")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        for table in ["plan_assignments": "activity_uid", "plan_leveling_delays": "uid"] {
            try await sql.raw("""
                DELETE FROM \(unsafeRaw: table.key) WHERE NOT EXISTS (SELECT 1 FROM plan_activities p
                  WHERE p.project_id = \(unsafeRaw: table.key).project_id AND p.uid = \(unsafeRaw: table.key).\(unsafeRaw: table.value))
                """).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("plan_effort_driven").delete()
    }
}
