import FluentKit
import SQLKit

/// All migrations in order. Numbered; a released migration is never edited, only followed by a new one.
public enum PMOMigrations {
    public static let all: [any Migration] = [
        M001CreateAccounts(),
        M002CreateProjects(),
        M003CreateIssues(),
        M004CreateAudit(),
        M005IndexIssuesByDueDate(),
        M006CreateRegisters(),
        M007CreatePlans(),
        M008CreateMeetings(),
        M009Hardening(),
        M010IssueLinksAreItemLinks(),
        M011IssuesAreRegisterItems(),
        M012ItemLinkEndsAreItems(),
        M013PlanProgressWeighting(),
        M014CreateAttachments(),
        M015CreateSavedViews(),
        M016ChangeApproverIsAPerson(),
        M017AgendaItemMinutesAndPresenter(),
        M018CreatePlanGridUndo(),
        M019CreateJobs(),
        M020CreateSignals(),
        M021CreateInbox(),
        M022CreateWebhooks(),
        M023CreateMail(),
        M024CreateItemWatchers(),
        M025CreateResources(),
        M026EffortDriven(),
        M027ItemParties(),
        M028ChangesNameSystemsAndRequirements(),
        M029ActivitiesNameSystems(),
        M030CreateLedger(),
        M031AmountsInWholeYen(),
        M032CreateOrderLines(),
        M033CreateEstimateParts(),
    ]
}

/// Creates a plain (non-unique) index through SQLKit, which both SQLite and PostgreSQL accept.
func createIndex(_ db: any Database, _ name: String, on table: String, _ columns: String...) async throws {
    guard let sql = db as? any SQLDatabase else { return }
    var builder = sql.create(index: name).on(table)
    for column in columns { builder = builder.column(column) }
    try await builder.run()
}

struct M001CreateAccounts: AsyncMigration {
    var name: String { "M001CreateAccounts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("companies")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "name")
            .create()
        try await db.schema("users")
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string)
            .field("locale", .string, .required)
            .field("time_zone", .string, .required)
            .field("is_active", .bool, .required)
            .field("is_admin", .bool, .required)
            .field("company_id", .uuid, .required, .references("companies", "id"))
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "email")
            .create()
        try await db.schema("sessions")
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await db.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.schema("invitations")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await createIndex(db, "idx_sessions_user", on: "sessions", "user_id")
        try await createIndex(db, "idx_api_tokens_user", on: "api_tokens", "user_id")
    }

    func revert(on db: any Database) async throws {
        for table in ["invitations", "api_tokens", "sessions", "users", "companies"] {
            try await db.schema(table).delete()
        }
    }
}

struct M002CreateProjects: AsyncMigration {
    var name: String { "M002CreateProjects" }

    func prepare(on db: any Database) async throws {
        try await db.schema("projects")
            .id()
            .field("key", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("phase", .string, .required)
            .field("business_owner", .string, .required)
            .field("start_date", .string)
            .field("target_date", .string)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "key")
            .create()
        try await db.schema("memberships")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "project_id", "user_id")
            .create()
        try await db.schema("register_counters")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("register", .string, .required)
            .field("last_number", .int, .required)
            .unique(on: "project_id", "register")
            .create()
        try await createIndex(db, "idx_memberships_user", on: "memberships", "user_id")
    }

    func revert(on db: any Database) async throws {
        for table in ["register_counters", "memberships", "projects"] { try await db.schema(table).delete() }
    }
}

struct M003CreateIssues: AsyncMigration {
    var name: String { "M003CreateIssues" }

    func prepare(on db: any Database) async throws {
        try await db.schema("issues")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("cause", .string, .required)
            .field("next_action", .string, .required)
            .field("owner_id", .uuid, .references("users", "id"))
            .field("due_date", .string)
            .field("priority", .int, .required)
            .field("status", .string, .required)
            .field("escalation_level", .int, .required)
            .field("visibility", .string, .required)
            .field("visibility_company_id", .uuid, .references("companies", "id"))
            .field("company_id", .uuid, .references("companies", "id"))
            .field("created_by_id", .uuid, .required, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "project_id", "number")
            .create()
        try await db.schema("issue_comments")
            .id()
            .field("issue_id", .uuid, .required, .references("issues", "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references("users", "id"))
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("issue_links")
            .id()
            .field("from_issue_id", .uuid, .required, .references("issues", "id", onDelete: .cascade))
            .field("to_issue_id", .uuid, .required, .references("issues", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "from_issue_id", "to_issue_id", "kind")
            .create()
        // Indexes for the list filters and sorts; every list query leads with project_id.
        try await createIndex(db, "idx_issues_project_status", on: "issues", "project_id", "status", "number")
        try await createIndex(db, "idx_issues_project_due", on: "issues", "project_id", "due_date", "number")
        try await createIndex(db, "idx_issues_project_priority", on: "issues", "project_id", "priority", "number")
        try await createIndex(db, "idx_issues_project_updated", on: "issues", "project_id", "updated_at", "number")
        try await createIndex(db, "idx_issues_project_owner", on: "issues", "project_id", "owner_id", "number")
        try await createIndex(db, "idx_issue_comments_issue", on: "issue_comments", "issue_id")
        try await createIndex(db, "idx_issue_links_to", on: "issue_links", "to_issue_id")
    }

    func revert(on db: any Database) async throws {
        for table in ["issue_links", "issue_comments", "issues"] { try await db.schema(table).delete() }
    }
}

struct M004CreateAudit: AsyncMigration {
    var name: String { "M004CreateAudit" }

    func prepare(on db: any Database) async throws {
        try await db.schema("audit_events")
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("project_id", .uuid)
            .field("entity_type", .string, .required)
            .field("entity_id", .uuid, .required)
            .field("action", .string, .required)
            .field("entity_version", .int, .required)
            .field("changes", .string, .required)
            .create()
        try await createIndex(db, "idx_audit_entity", on: "audit_events", "entity_id", "at")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_events").delete()
    }
}

/// Lets "sorted by due date" walk an index in order instead of sorting the project's issues: the list sorts by
/// `COALESCE(due_date, '9999-12-31')` (undated last), so the index is on that expression. Both SQLite and
/// PostgreSQL index expressions.
struct M005IndexIssuesByDueDate: AsyncMigration {
    var name: String { "M005IndexIssuesByDueDate" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX idx_issues_project_due_sort ON issues (project_id, (COALESCE(due_date, '9999-12-31')), number)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX idx_issues_project_due_sort").run()
    }
}
