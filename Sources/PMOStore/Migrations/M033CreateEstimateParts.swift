import FluentKit
import SQLKit

/// An estimate's breakdown (見積内訳): `estimate_parts` holds its amount by phase and cost category, in the vendor's
/// order. An estimate without a breakdown has no rows.
struct M033CreateEstimateParts: AsyncMigration {
    var name: String { "M033CreateEstimateParts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("estimate_parts")
            .field("estimate_id", .uuid, .required, .references("ledger_estimates", "id", onDelete: .cascade))
            .field("position", .int, .required)
            // As the vendor wrote it; empty when the part is by category only.
            .field("phase", .string, .required)
            // A `CostCategory`, or none when the part is by phase only.
            .field("category", .string)
            .field("amount", .int64, .required)
            .unique(on: "estimate_id", "position")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("estimate_parts").delete()
    }
}
