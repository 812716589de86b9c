import FluentKit
import SQLKit

/// Resources across projects (`store.resources`): people, placeholders and equipment with their capacity over time
/// and absences; the plans' assignments and levelling delays; each project's priority (1 highest … 5) for levelling
/// across projects; and levelling scenarios, proposed and waiting to be applied or discarded.
struct M025CreateResources: AsyncMigration {
    var name: String { "M025CreateResources" }

    func prepare(on db: any Database) async throws {
        try await db.schema("resources")
            .id()
            // Organisation-wide and never reused: the engine's resource id and the MSPDI resource UID on export.
            .field("number", .int, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("email", .string, .required)
            .field("company_id", .uuid, .references("companies", "id"))
            .field("role", .string, .required)
            .field("skills", .string, .required)
            .field("capacity_percent", .int, .required)
            // [{"from":"2027-04-01","percent":50}, …] in date order.
            .field("capacity_changes", .string, .required)
            .field("notes", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number")
            .create()
        try await db.schema("resource_absences")
            .id()
            .field("resource_id", .uuid, .required, .references("resources", "id", onDelete: .cascade))
            .field("start_date", .string, .required)
            .field("end_date", .string, .required)
            .field("note", .string, .required)
            .field("created_by_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        try await createIndex(db, "resource_absences_resource", on: "resource_absences", "resource_id")
        try await db.schema("plan_assignments")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("activity_uid", .int, .required)
            .field("resource_id", .uuid, .required, .references("resources", "id"))
            .field("units_percent", .int, .required)
            .field("work_minutes", .int)
            .unique(on: "project_id", "activity_uid", "resource_id")
            .create()
        try await createIndex(db, "plan_assignments_resource", on: "plan_assignments", "resource_id")
        try await db.schema("plan_leveling_delays")
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("uid", .int, .required)
            .field("minutes", .int, .required)
            .field("elapsed", .bool, .required)
            .unique(on: "project_id", "uid")
            .create()
        try await (db as? any SQLDatabase)?.raw("ALTER TABLE projects ADD COLUMN priority INTEGER NOT NULL DEFAULT 3").run()
        try await db.schema("levelling_scenarios")
            .id()
            .field("status", .string, .required)
            // The scenario as proposed: per project its plan version, moves, milestones and overloads (JSON).
            .field("body", .string, .required)
            .field("created_by_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("decided_by_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("decided_at", .datetime)
            .create()
        try await db.schema("levelling_scenario_projects")
            .field("scenario_id", .uuid, .required, .references("levelling_scenarios", "id", onDelete: .cascade))
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .unique(on: "scenario_id", "project_id")
            .create()
        try await createIndex(db, "levelling_scenario_projects_project", on: "levelling_scenario_projects", "project_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("levelling_scenario_projects").delete()
        try await db.schema("levelling_scenarios").delete()
        try await (db as? any SQLDatabase)?.raw("ALTER TABLE projects DROP COLUMN priority").run()
        try await db.schema("plan_leveling_delays").delete()
        try await db.schema("plan_assignments").delete()
        try await db.schema("resource_absences").delete()
        try await db.schema("resources").delete()
    }
}
