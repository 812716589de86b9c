import Foundation

/// The addresses of the plan's pages, in one typed list: every link, form action and redirect of the plan pages is
/// built here, so a path is spelled once. `SitePathTests` resolves every case against the application's routes, so a
/// case without a route (or a route renamed under it) fails a test rather than a user's click.
enum PlanPath: Sendable, Hashable {
    case wbs, gantt, ganttSVG, master, progress, baselines, evm, calendars, importExport
    case addActivity, activity(Int), moveActivity(Int), deleteActivity(Int), activityLinks(Int), activityProgress(Int)
    case deleteLink(UUID), statusDate, calendar(Int), companies, feed, phases

    /// The segments after `/projects/{key}/plan`.
    var segments: [String] {
        switch self {
        case .wbs: []
        case .gantt: ["gantt"]
        case .ganttSVG: ["gantt.svg"]
        case .master: ["master"]
        case .progress: ["progress"]
        case .baselines: ["baselines"]
        case .evm: ["evm"]
        case .calendars: ["calendars"]
        case .importExport: ["import"]
        case .addActivity: ["activities"]
        case .activity(let uid): ["activities", "\(uid)"]
        case .moveActivity(let uid): ["activities", "\(uid)", "move"]
        case .deleteActivity(let uid): ["activities", "\(uid)", "delete"]
        case .activityLinks(let uid): ["activities", "\(uid)", "links"]
        case .activityProgress(let uid): ["activities", "\(uid)", "progress"]
        case .deleteLink(let id): ["links", id.uuidString.lowercased(), "delete"]
        case .statusDate: ["status-date"]
        case .calendar(let uid): ["calendars", "\(uid)"]
        case .companies: ["companies"]
        case .feed: ["feed"]
        case .phases: ["phases"]
        }
    }

    /// The path in project `key`; `query` is appended as given (its values already encoded by `query(_:)`).
    func href(_ key: String, query: String = "", fragment: String = "") -> String {
        var s = "/projects/" + SitePath.segment(key) + "/plan"
        for part in segments { s += "/" + SitePath.segment(part) }
        if !query.isEmpty { s += "?" + query }
        if !fragment.isEmpty { s += "#" + fragment }
        return s
    }

    /// The WBS row of an activity: the table, scrolled to it.
    static func wbsRow(_ key: String, _ uid: Int) -> String { PlanPath.wbs.href(key, fragment: "a\(uid)") }

    /// A form's "back" address, kept only when it is a page of the same project (never an address elsewhere).
    static func back(_ back: String?, key: String) -> String? {
        back.flatMap { $0.hasPrefix("/projects/" + SitePath.segment(key) + "/") ? $0 : nil }
    }

    /// The plan's export through the API (`xml` or `csv`), which the import / export page links to.
    static func apiExport(_ key: String, format: String) -> String {
        "/api/v1/projects/" + SitePath.segment(key) + "/plan/export." + format
    }

    /// Every kind of plan address with sample parameters (for the routes test).
    static let samples: [PlanPath] = [
        .wbs, .gantt, .ganttSVG, .master, .progress, .baselines, .evm, .calendars, .importExport,
        .addActivity, .activity(1), .moveActivity(1), .deleteActivity(1), .activityLinks(1), .activityProgress(1),
        .deleteLink(UUID()), .statusDate, .calendar(1), .companies, .feed, .phases,
    ]
}

/// Encoding shared by the typed path lists.
enum SitePath {
    /// A path segment as it goes in a URL (project keys and slugs are plain ASCII; anything else is encoded).
    static func segment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? s
    }

    /// A query string from name / value pairs, values encoded; nil values are left out.
    static func query(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in
            value.map { name + "=" + ($0.addingPercentEncoding(withAllowedCharacters: valueCharacters) ?? $0) }
        }.joined(separator: "&")
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))
    private static let valueCharacters = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))
}
