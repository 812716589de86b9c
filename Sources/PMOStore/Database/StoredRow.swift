import FluentKit
import Foundation
import SQLKit

/// A row type read by position: its table, the columns its reader takes (in order), the reader, and the order its
/// lists come in. `select` is then the one way to read whole rows of that table.
protocol StoredRow {
    static var table: String { get }
    static var columns: [String] { get }
    /// The ORDER BY of `select` when none is given.
    static var defaultOrder: String { get }
    init(_ r: RowReader) throws
}

extension StoredRow {
    /// Rows of the table matching `condition` (SQL after WHERE, its values bound; `TRUE` for all), in `order`.
    static func select(_ condition: SQLQueryString, order: String? = nil, on db: any Database) async throws -> [Self] {
        try await db.readRows("""
            SELECT \(unsafeRaw: RowReader.select(columns)) FROM \(unsafeRaw: table) WHERE \(condition) ORDER BY \(unsafeRaw: order ?? defaultOrder)
            """, columns: columns).map(Self.init)
    }

    /// The row with this id, if any (every such table's key is `id`).
    static func find(_ id: UUID, on db: any Database) async throws -> Self? {
        try await select("id = \(bind: id)", on: db).first
    }
}

/// A record whose id is given before it is stored.
public protocol IdentifiedRecord: AnyObject {
    var id: UUID? { get }
}

extension IdentifiedRecord {
    /// The id, or `FluentError.idRequired` for a record not yet given one.
    public func requireID() throws -> UUID {
        guard let id else { throw FluentError.idRequired }
        return id
    }
}
