import Foundation

/// The editable fields of an issue, after parsing and before the store checks references.
public struct IssueFields: Sendable, Equatable {
    public var title: String
    public var description: String
    public var cause: String
    public var nextAction: String
    public var ownerID: UserID?
    public var dueDate: CalendarDate?
    public var priority: IssuePriority
    public var status: IssueStatus
    public var escalationLevel: Int
    public var visibility: Visibility
    /// The company responsible for the issue (filters and reports group by it).
    public var companyID: CompanyID?
    /// The systems the issue is about (references to the systems register, `S3`), in the order given.
    public var systems: [ItemReference]

    public init(title: String, description: String = "", cause: String = "", nextAction: String = "",
                ownerID: UserID? = nil, dueDate: CalendarDate? = nil, priority: IssuePriority = .medium,
                status: IssueStatus = .open, escalationLevel: Int = 0, visibility: Visibility = .project,
                companyID: CompanyID? = nil, systems: [ItemReference] = []) {
        self.title = title
        self.description = description
        self.cause = cause
        self.nextAction = nextAction
        self.ownerID = ownerID
        self.dueDate = dueDate
        self.priority = priority
        self.status = status
        self.escalationLevel = escalationLevel
        self.visibility = visibility
        self.companyID = companyID
        self.systems = systems
    }
}

/// The rules an issue must keep, independent of storage.
public enum IssueRules {
    public static let titleMax = 200
    public static let textMax = 10_000
    public static let nextActionMax = 2_000
    /// An open issue unchanged for this many days is flagged as stale.
    public static let staleAfterDays = 14
    /// At most this many systems on one issue (as many as a function has steps).
    public static let systemsMax = RegisterFieldSpec.stepsMax

    /// Checks the field-level rules and returns every violation (empty when valid).
    public static func validate(_ f: IssueFields) -> [FieldError] {
        var e = FieldErrors()
        let title = f.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty {
            e.add("title", "required", "Give the issue a title.")
        } else if title.count > titleMax {
            e.add("title", "too_long", "The title may have at most \(titleMax) characters (it has \(title.count)).")
        }
        for (name, value, max) in [("description", f.description, textMax), ("cause", f.cause, textMax),
                                   ("nextAction", f.nextAction, nextActionMax)] where value.count > max {
            e.add(name, "too_long", "\(name) may have at most \(max) characters (it has \(value.count)).")
        }
        if !EscalationLevel.range.contains(f.escalationLevel) {
            e.add("escalationLevel", "out_of_range", "The escalation level must be between 0 and 3.")
        }
        if let wrong = f.systems.first(where: { $0.type != .system }) {
            e.add("systems", "invalid_reference", "systems lists systems of this project, like S3; \(wrong) is not one.")
        } else if f.systems.count > systemsMax {
            e.add("systems", "too_many", "An issue may name at most \(systemsMax) systems (it names \(f.systems.count)).")
        }
        if f.visibility.scope == .company && f.visibility.companyID == nil {
            e.add("visibilityCompanyId", "required_here", "A company-only issue needs the company it is visible to.")
        }
        return e.all
    }

    /// Past its due date and not finished, as of `today`.
    public static func isOverdue(status: IssueStatus, dueDate: CalendarDate?, today: CalendarDate) -> Bool {
        guard let dueDate, !status.isFinished else { return false }
        return dueDate < today
    }

    /// Not finished and unchanged for `staleAfterDays` days or more, as of `today`.
    public static func isStale(status: IssueStatus, lastChanged: CalendarDate, today: CalendarDate) -> Bool {
        !status.isFinished && today.dayNumber - lastChanged.dayNumber >= staleAfterDays
    }

    /// The display reference, e.g. `CRM-I12`.
    public static func reference(projectKey: String, number: Int) -> String { ItemType.issue.reference(projectKey: projectKey, number: number) }
}
