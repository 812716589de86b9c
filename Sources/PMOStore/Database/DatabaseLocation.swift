import Foundation

/// Where the data lives: a SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default when neither `--database` nor `PMO_DATABASE` is given.
    public static let defaultPath = "./pmo.sqlite"

    /// Resolves the one setting: the `--database` option, else `PMO_DATABASE`, else `./pmo.sqlite`.
    public static func resolve(option: String?, environment: [String: String]) -> DatabaseLocation {
        let value = [option, environment["PMO_DATABASE"]].compactMap { $0 }.first { !$0.isEmpty } ?? defaultPath
        return parse(value)
    }

    /// A `postgres://` or `postgresql://` URL means PostgreSQL; anything else is a SQLite file path.
    public static func parse(_ value: String) -> DatabaseLocation {
        let lower = value.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return .postgres(url: value) }
        return .sqlite(path: value)
    }

    /// A description safe to print: the password of a URL is masked.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite \(path)"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "PostgreSQL" }
            if parts.password != nil { parts.password = "***" }
            return "PostgreSQL \(parts.string ?? "")"
        }
    }

    public var isSQLite: Bool { if case .sqlite = self { return true } else { return false } }
}
