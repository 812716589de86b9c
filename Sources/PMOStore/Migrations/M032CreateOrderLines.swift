import FluentKit
import SQLKit

/// An order may draw on several budget lines (a system's build and its licences): `order_lines` holds each line's
/// share of the order, before tax, in the order they are listed. An order on one line has no rows here: all of it is
/// on `ledger_orders.line_id`, which for a shared order is the first share's line.
struct M032CreateOrderLines: AsyncMigration {
    var name: String { "M032CreateOrderLines" }

    func prepare(on db: any Database) async throws {
        try await db.schema("order_lines")
            .field("order_id", .uuid, .required, .references("ledger_orders", "id", onDelete: .cascade))
            .field("line_id", .uuid, .required, .references("budget_lines", "id"))
            .field("position", .int, .required)
            .field("amount", .int64, .required)
            .unique(on: "order_id", "line_id")
            .create()
        try await createIndex(db, "order_lines_line", on: "order_lines", "line_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("order_lines").delete()
    }
}
