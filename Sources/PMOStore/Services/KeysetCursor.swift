import Foundation
import PMOCore
import SQLKit

/// The position after the last row of a page: the sort's name, that row's sort value and its number, as opaque
/// base64url JSON. The sort is inside, so a cursor cannot be replayed against another ordering.
struct KeysetCursor: Equatable {
    enum Value: Codable, Sendable, Equatable {
        case int(Int), text(String), time(Double)

        /// The value to bind in the keyset condition.
        var bindable: any Encodable & Sendable {
            switch self {
            case .int(let v): v
            case .text(let v): v
            case .time(let v): Date(timeIntervalSinceReferenceDate: v)
            }
        }

        var kindName: String {
            switch self {
            case .int: "int"
            case .text: "text"
            case .time: "time"
            }
        }
    }
    private struct Body: Codable { var s: String; var v: Value; var n: Int }

    let sort: String
    let value: Value
    let number: Int

    init(sort: String, value: Value, number: Int) {
        self.sort = sort
        self.value = value
        self.number = number
    }

    /// Decodes a cursor given out for `sort`, whose value is of `kind`; nil when it is not one (or was made for
    /// another sort).
    init?(_ text: String, sort: String, kind: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count < 512, let data = Data(base64Encoded: base64),
              let body = try? JSONDecoder().decode(Body.self, from: data), body.s == sort, body.v.kindName == kind else { return nil }
        self.init(sort: sort, value: body.v, number: body.n)
    }

    /// Decodes the `cursor` parameter of a list, or refuses it with `query.invalid`.
    static func parse(_ text: String?, sort: String, kind: String) throws -> KeysetCursor? {
        guard let text else { return nil }
        guard let cursor = KeysetCursor(text, sort: sort, kind: kind) else {
            throw DomainError.invalid("query.invalid", [FieldError(field: "cursor", code: "invalid_cursor",
                message: "The cursor is not one this list gave out; start again without it.")])
        }
        return cursor
    }

    /// The rows after this cursor in an ordering by `column` then `number`.
    func condition(column: String, descending: Bool) -> SQLQueryString {
        let op = descending ? "<" : ">"
        if case .time(let seconds) = value {
            // Instants are stored in whole milliseconds; a window well under one absorbs the databases' rounding.
            let low = Date(timeIntervalSinceReferenceDate: seconds - 0.0004)
            let high = Date(timeIntervalSinceReferenceDate: seconds + 0.0004)
            return " AND (\(unsafeRaw: column) \(unsafeRaw: op) \(bind: descending ? low : high) OR (\(unsafeRaw: column) >= \(bind: low) AND \(unsafeRaw: column) <= \(bind: high) AND number \(unsafeRaw: op) \(bind: number)))"
        }
        let bound = value.bindable
        return " AND (\(unsafeRaw: column) \(unsafeRaw: op) \(bind: bound) OR (\(unsafeRaw: column) = \(bind: bound) AND number \(unsafeRaw: op) \(bind: number)))"
    }

    var encoded: String {
        let data = (try? JSONEncoder().encode(Body(s: sort, v: value, n: number))) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
