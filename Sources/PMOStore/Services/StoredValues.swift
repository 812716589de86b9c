import FluentKit
import Foundation
import PMOCore
import SQLKit

/// How the features store values in columns and read them back, and the one "changed by someone else" error of
/// records that carry their version in the request: shared by meetings, minutes and status reports.
enum StoredValues {
    static func stale(_ what: String, current: Int, expected: Int) -> DomainError {
        DomainError.conflict("version.stale",
                             "\(what) was changed by someone else (it is at version \(current), you sent \(expected)). Reload it and apply your change again.")
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func visibility(_ row: any SQLRow) throws -> Visibility {
        let scope = VisibilityScope(rawValue: try row.decode(column: "visibility", as: String.self)) ?? .project
        return Visibility(scope: scope, companyID: try row.decode(column: "visibility_company_id", as: UUID?.self).map(CompanyID.init))
    }
}
