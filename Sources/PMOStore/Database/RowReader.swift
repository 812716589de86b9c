import FluentSQLiteDriver
import Foundation
import PMOCore
import SQLKit

/// Reads a row's columns by position. The query names its columns (`columns`, in the order of the SELECT), so
/// position `i` is `columns[i]`. A SQLite row is read straight from its values: no Codable decoding and no lookup by
/// name, which profiling showed to be most of the time spent reading a 5,000-activity plan or a page of issues.
/// Other rows (PostgreSQL) are read by name through SQLKit.
struct RowReader {
    private let values: [SQLiteData]?
    private let row: (any SQLRow)?
    private let columns: [String]

    /// A SQLite row's values in the order of `columns`.
    init(values: [SQLiteData], columns: [String]) {
        self.values = values.count == columns.count ? values : nil
        self.row = nil
        self.columns = columns
    }

    /// Any SQLKit row, read by name.
    init(_ row: any SQLRow, columns: [String]) {
        self.values = nil
        self.row = row
        self.columns = columns
    }

    /// The comma-separated column list for a SELECT, each qualified by `alias` when given.
    static func select(_ columns: [String], alias: String? = nil) -> String {
        columns.map { column in alias.map { "\($0).\(column)" } ?? column }.joined(separator: ", ")
    }

    struct Unreadable: Error, CustomStringConvertible {
        var column: String
        var expected: String
        var description: String { "The column \(column) does not hold \(expected)." }
    }

    private func value(_ i: Int) -> SQLiteData? { values.map { $0[i] } }

    private func named() throws -> any SQLRow {
        guard let row else { throw Unreadable(column: "?", expected: "the row (it has other columns than the query named)") }
        return row
    }

    func isNull(_ i: Int) throws -> Bool {
        if let v = value(i) { return v == .null }
        return try named().decodeNil(column: columns[i])
    }

    func int(_ i: Int) throws -> Int {
        switch value(i) {
        case .integer(let n)?: return n
        case .float(let d)?: if let n = Int(nearest: d) { return n }
        case nil: return try named().decode(column: columns[i], as: Int.self)
        default: break
        }
        throw Unreadable(column: columns[i], expected: "a whole number")
    }

    func intOrNil(_ i: Int) throws -> Int? { try isNull(i) ? nil : int(i) }

    func double(_ i: Int) throws -> Double {
        switch value(i) {
        case .float(let d)?: return d
        case .integer(let n)?: return Double(n)
        case nil: return try named().decode(column: columns[i], as: Double.self)
        default: throw Unreadable(column: columns[i], expected: "a number")
        }
    }

    func doubleOrNil(_ i: Int) throws -> Double? { try isNull(i) ? nil : double(i) }

    func string(_ i: Int) throws -> String {
        switch value(i) {
        case .text(let s)?: return s
        case nil: return try named().decode(column: columns[i], as: String.self)
        default: throw Unreadable(column: columns[i], expected: "text")
        }
    }

    func stringOrNil(_ i: Int) throws -> String? { try isNull(i) ? nil : string(i) }

    func bool(_ i: Int) throws -> Bool {
        switch value(i) {
        case .integer(let n)?: return n != 0
        case nil: return try named().decode(column: columns[i], as: Bool.self)
        default: throw Unreadable(column: columns[i], expected: "true or false")
        }
    }

    func uuid(_ i: Int) throws -> UUID {
        switch value(i) {
        case .text(let s)?: if let id = UUIDText.parse(s) { return id }
        case .blob(let b)? where b.readableBytes == 16:
            let bytes = b.getBytes(at: b.readerIndex, length: 16) ?? []
            if bytes.count == 16 {
                return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                   bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
            }
        case nil: return try named().decode(column: columns[i], as: UUID.self)
        default: break
        }
        throw Unreadable(column: columns[i], expected: "an id")
    }

    func uuidOrNil(_ i: Int) throws -> UUID? { try isNull(i) ? nil : uuid(i) }

    /// Instants: SQLite holds seconds since 1970 (as written by the drivers); text goes the slow way.
    func date(_ i: Int) throws -> Date {
        switch value(i) {
        case .float(let d)?: return Date(timeIntervalSince1970: d)
        case .integer(let n)?: return Date(timeIntervalSince1970: Double(n))
        default: return try named().decode(column: columns[i], as: Date.self)
        }
    }

    func dateOrNil(_ i: Int) throws -> Date? { try isNull(i) ? nil : date(i) }
}

extension Database {
    /// Runs a SELECT whose columns are `columns` and returns its rows for reading by position. On SQLite the query
    /// goes straight to the driver, so each row's values are read as they are (SQLKit wraps every SQLite row in a
    /// reader by name that decodes each value through Codable); elsewhere through SQLKit, by name.
    func readRows(_ query: SQLQueryString, columns: [String]) async throws -> [RowReader] {
        let sql = try self.sql()
        if let sqlite = self as? any SQLiteDatabase {
            let (text, binds) = sql.serialize(query)
            let encoder = SQLiteDataEncoder()
            let data = try binds.map { try encoder.encode($0) }
            let collected = CollectedRows()
            try await sqlite.query(text, data) { row in collected.append(row.columns.map(\.data)) }
            return collected.all.map { RowReader(values: $0, columns: columns) }
        }
        return try await sql.raw(query).all().map { RowReader($0, columns: columns) }
    }
}

/// Rows handed over by the SQLite driver one by one, on its own thread.
private final class CollectedRows: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [[SQLiteData]] = []
    func append(_ row: [SQLiteData]) { lock.withLock { rows.append(row) } }
    var all: [[SQLiteData]] { lock.withLock { rows } }
}
