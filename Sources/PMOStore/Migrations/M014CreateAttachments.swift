import FluentKit
import SQLKit

/// Files attached to items: `attachments` holds each attachment's name, type, size and content hash, and who added
/// and who deleted it; the bytes are stored once per content (SHA-256) either as files beside a SQLite database or,
/// on PostgreSQL, as chunks in `attachment_blobs`, so that every instance on one database reads the same files.
struct M014CreateAttachments: AsyncMigration {
    var name: String { "M014CreateAttachments" }

    func prepare(on db: any Database) async throws {
        // The owner is an issue or register item today (`item`), later an activity, meeting or report: no foreign key,
        // so that a deleted owner's files stay in the audit trail until an administrator purges them.
        try await db.schema("attachments")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("owner_type", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by_id", .uuid, .required, .references("users", "id"))
            .field("uploaded_at", .datetime, .required)
            .field("deleted_by_id", .uuid, .references("users", "id"))
            .field("deleted_at", .datetime)
            .create()
        try await createIndex(db, "attachments_by_owner", on: "attachments", "owner_id", "uploaded_at")
        try await createIndex(db, "attachments_by_content", on: "attachments", "sha256")
        try await db.schema("attachment_blobs")
            .field("sha256", .string, .required)
            .field("seq", .int, .required)
            .field("bytes", .data, .required)
            .unique(on: "sha256", "seq")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("attachment_blobs").delete()
        try await db.schema("attachments").delete()
    }
}
