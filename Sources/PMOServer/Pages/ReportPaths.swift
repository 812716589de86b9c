import Foundation

/// The addresses of a project's status reports and kickoff pack, and of the portfolio, in one typed list: every link,
/// form action and redirect of the report pages is built here. `ReportPathTests` resolves every case against the
/// application's routes, so a case without a route (or a route renamed under it) fails a test rather than a click.
enum ReportPath: Sendable, Hashable {
    /// The documents a report or the kickoff pack downloads as.
    enum File: String, Sendable, CaseIterable { case markdown = "md", workbook = "xlsx" }

    case list, compare, burnDownSVG
    case report(UUID), file(UUID, File), issue(UUID), correct(UUID), delete(UUID), attachments(UUID)
    case kickoff, kickoffFile(File)

    /// The segments after `/projects/{key}`.
    var segments: [String] {
        func id(_ u: UUID) -> String { u.uuidString.lowercased() }
        return switch self {
        case .list: ["reports"]
        case .compare: ["reports", "compare"]
        case .burnDownSVG: ["reports", "burndown.svg"]
        case .report(let r): ["reports", id(r)]
        case .file(let r, let file): ["reports", id(r) + "." + file.rawValue]
        case .issue(let r): ["reports", id(r), "issue"]
        case .correct(let r): ["reports", id(r), "correct"]
        case .delete(let r): ["reports", id(r), "delete"]
        case .attachments(let r): ["reports", id(r), "attachments"]
        case .kickoff: ["kickoff"]
        case .kickoffFile(let file): ["kickoff." + file.rawValue]
        }
    }

    /// The path in project `key`; `query` is appended as given (its values already encoded by `SitePath.query(_:)`).
    func href(_ key: String, query: String = "", fragment: String = "") -> String {
        SitePath.project(key, segments, query: query, fragment: fragment)
    }

    /// Two reports side by side: `a` on the left, `b` on the right.
    static func comparing(_ key: String, _ a: UUID, _ b: UUID) -> String {
        ReportPath.compare.href(key, query: SitePath.query([("a", a.uuidString.lowercased()), ("b", b.uuidString.lowercased())]))
    }

    /// Every project's latest issued status, outside any one project.
    static let portfolio = "/portfolio"

    /// Every kind of report address with sample parameters (for the routes test).
    static let samples: [ReportPath] = {
        let r = UUID()
        return [.list, .compare, .burnDownSVG, .report(r), .issue(r), .correct(r), .delete(r), .attachments(r), .kickoff]
            + File.allCases.map { .file(r, $0) } + File.allCases.map { .kickoffFile($0) }
    }()
}
