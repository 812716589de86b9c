import Foundation
import PMOCore

/// The issue's own fields as the JSON of `register_items.details`.
struct IssueDetails: Codable, Equatable {
    var cause = ""
    var nextAction = ""
    var escalationLevel = 0
    /// The systems named, as references without the key (`S3`), as every register's reference fields are stored
    /// (so that `itemsNaming` finds them with the same LIKE). Left out when empty, so older details read the same.
    var systems: [String]?

    init(cause: String, nextAction: String, escalationLevel: Int, systems: [ItemReference] = []) {
        self.cause = cause
        self.nextAction = nextAction
        self.escalationLevel = escalationLevel
        self.systems = systems.isEmpty ? nil : systems.map(\.description)
    }

    /// Missing keys read as empty (an item written before a field existed).
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cause = try c.decodeIfPresent(String.self, forKey: .cause) ?? ""
        nextAction = try c.decodeIfPresent(String.self, forKey: .nextAction) ?? ""
        escalationLevel = try c.decodeIfPresent(Int.self, forKey: .escalationLevel) ?? 0
        systems = try c.decodeIfPresent([String].self, forKey: .systems)
    }

    /// The systems as references (anything unreadable is dropped; the store only writes `S` references).
    var systemReferences: [ItemReference] { (systems ?? []).compactMap(ItemReference.init).filter { $0.type == .system } }

    static func decode(_ text: String) -> IssueDetails {
        (try? JSONDecoder().decode(IssueDetails.self, from: Data(text.utf8))) ?? IssueDetails(cause: "", nextAction: "", escalationLevel: 0)
    }

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// An issue is a row of `register_items` of the register `I` (M011): the columns every register shares, the
/// priority's rank as the score (so that lists sort by it in SQL), and the issue's own fields (cause, next action,
/// escalation level) in the details.
extension IssueFields {
    init(_ r: RegisterItemRecord) {
        let d = IssueDetails.decode(r.details)
        self.init(title: r.title, description: r.description, cause: d.cause, nextAction: d.nextAction,
                  ownerID: r.ownerID.map(UserID.init), dueDate: r.dueDate.flatMap(CalendarDate.init(iso:)),
                  priority: IssuePriority(rank: r.score ?? IssuePriority.medium.rank) ?? .medium,
                  status: IssueStatus(rawValue: r.status) ?? .open, escalationLevel: d.escalationLevel,
                  visibility: Visibility(scope: VisibilityScope(rawValue: r.visibility) ?? .project,
                                         companyID: r.visibilityCompanyID.map(CompanyID.init)),
                  companyID: r.companyID.map(CompanyID.init), systems: d.systemReferences)
    }

    /// Writes the fields over a row of the issue register, with the columns derived from them.
    func apply(to r: RegisterItemRecord) {
        r.register = ItemType.issue.rawValue
        r.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        r.description = description
        r.status = status.rawValue
        r.isOpen = !status.isFinished
        r.ownerID = ownerID?.rawValue
        r.deciderID = nil
        r.dueDate = dueDate?.description
        r.score = priority.rank
        r.visibility = visibility.scope.rawValue
        r.visibilityCompanyID = visibility.companyID?.rawValue
        r.companyID = companyID?.rawValue
        r.details = IssueDetails(cause: cause, nextAction: nextAction, escalationLevel: escalationLevel,
                                 systems: IssueFields.unique(systems)).encoded
        r.searchText = [r.title, description, cause, nextAction].filter { !$0.isEmpty }.joined(separator: "\n").lowercased()
    }

    /// The references without their key, each once, in the order given.
    static func unique(_ refs: [ItemReference]) -> [ItemReference] {
        var seen = Set<ItemReference>()
        return refs.map { ItemReference(projectKey: nil, type: $0.type, number: $0.number) }.filter { seen.insert($0).inserted }
    }

    /// Every field as text, for the audit trail's from/to values (the keys history has always used for issues).
    var auditSnapshot: [String: String?] {
        ["title": title.trimmingCharacters(in: .whitespacesAndNewlines), "description": description, "cause": cause,
         "nextAction": nextAction, "owner": ownerID?.rawValue.uuidString.lowercased(), "dueDate": dueDate?.description,
         "priority": priority.rawValue, "status": status.rawValue, "escalationLevel": String(escalationLevel),
         "visibility": visibility.scope.rawValue, "visibilityCompany": visibility.companyID?.rawValue.uuidString.lowercased(),
         "company": companyID?.rawValue.uuidString.lowercased(),
         "systems": systems.isEmpty ? nil : IssueFields.unique(systems).map(\.description).joined(separator: ", ")]
    }
}
