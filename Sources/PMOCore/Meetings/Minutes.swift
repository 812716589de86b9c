import Foundation

/// Where an occurrence stands: planned, its agenda prepared, its minutes in draft, or approved (frozen).
public enum OccurrenceStatus: String, CaseIterable, Sendable, Codable {
    case planned, prepared, held, approved
}

/// An action item as minutes approval checks it.
public struct MinutesAction: Sendable, Equatable {
    public var reference: String
    public var title: String
    public var ownerID: UserID?
    public var dueDate: CalendarDate?
    public var isOpen: Bool

    public init(reference: String, title: String, ownerID: UserID?, dueDate: CalendarDate?, isOpen: Bool = true) {
        self.reference = reference
        self.title = title
        self.ownerID = ownerID
        self.dueDate = dueDate
        self.isOpen = isOpen
    }
}

extension MeetingRules {
    /// Why minutes cannot be approved yet: each open action item they created without an owner or a due date,
    /// named, so the chair can fix them in one pass. Empty when they can be approved.
    public static func approvalProblems(actions: [MinutesAction]) -> [FieldError] {
        var e = FieldErrors()
        for a in actions where a.isOpen {
            var missing: [String] = []
            if a.ownerID == nil { missing.append("owner") }
            if a.dueDate == nil { missing.append("due date") }
            if missing.isEmpty { continue }
            e.add("actions", "incomplete",
                  "\(a.reference) '\(a.title)' has no \(missing.joined(separator: " and ")); give it one before approving.")
        }
        return e.all
    }
}

/// An occurrence's agenda and minutes as one document: built from the live rows while in draft, and stored as it was
/// when approved (an approved version never changes; an amendment is a new version).
public struct MinutesDocument: Sendable, Equatable, Codable {
    public struct Person: Sendable, Equatable, Codable {
        public var id: UserID
        public var name: String
        public var company: String?
        public init(id: UserID, name: String, company: String? = nil) {
            self.id = id
            self.name = name
            self.company = company
        }
    }

    /// A register item or issue created from the minutes.
    public struct Output: Sendable, Equatable, Codable {
        public var reference: String
        public var type: ItemType
        public var title: String
        public var visibility: Visibility
        public init(reference: String, type: ItemType, title: String, visibility: Visibility) {
            self.reference = reference
            self.type = type
            self.title = title
            self.visibility = visibility
        }
    }

    public struct Item: Sendable, Equatable, Codable {
        public var position: Int
        /// The agenda rule that brought it, or nil for an item added by hand.
        public var rule: AgendaRule?
        public var reference: String?
        public var activityUID: Int?
        public var title: String
        public var reasons: [AgendaReason]
        public var notes: String
        /// An open point to bring to the next occurrence.
        public var carry: Bool
        public var visibility: Visibility
        public var outputs: [Output]
        /// The minutes the time box gave it, and who presents it (nil in minutes approved before items had them).
        public var minutes: Int?
        public var presenter: Person?
        public init(position: Int, rule: AgendaRule?, reference: String?, activityUID: Int?, title: String, reasons: [AgendaReason],
                    notes: String, carry: Bool, visibility: Visibility, outputs: [Output], minutes: Int? = nil, presenter: Person? = nil) {
            self.minutes = minutes
            self.presenter = presenter
            self.position = position
            self.rule = rule
            self.reference = reference
            self.activityUID = activityUID
            self.title = title
            self.reasons = reasons
            self.notes = notes
            self.carry = carry
            self.visibility = visibility
            self.outputs = outputs
        }
    }

    public var projectKey: String
    public var seriesName: String
    public var occurrence: Int
    public var date: CalendarDate
    public var startMinutes: Int
    public var durationMinutes: Int
    public var location: String
    public var chair: Person?
    public var present: [Person]
    public var absent: [Person]
    public var notes: String
    public var items: [Item]
    /// Outputs not tied to one agenda item.
    public var outputs: [Output]
    public var version: Int
    public var approvedBy: Person?
    public var approvedAt: Date?

    public init(projectKey: String, seriesName: String, occurrence: Int, date: CalendarDate, startMinutes: Int, durationMinutes: Int,
                location: String, chair: Person?, present: [Person], absent: [Person], notes: String, items: [Item],
                outputs: [Output], version: Int, approvedBy: Person?, approvedAt: Date?) {
        self.projectKey = projectKey
        self.seriesName = seriesName
        self.occurrence = occurrence
        self.date = date
        self.startMinutes = startMinutes
        self.durationMinutes = durationMinutes
        self.location = location
        self.chair = chair
        self.present = present
        self.absent = absent
        self.notes = notes
        self.items = items
        self.outputs = outputs
        self.version = version
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
    }

    /// The same minutes as a reader who may see only some items sees them.
    public func visible(to canSee: (Visibility) -> Bool) -> MinutesDocument {
        var copy = self
        copy.items = items.filter { canSee($0.visibility) }.map { item in
            var i = item
            i.outputs = item.outputs.filter { canSee($0.visibility) }
            return i
        }
        copy.outputs = outputs.filter { canSee($0.visibility) }
        return copy
    }
}

extension MinutesDocument {
    /// The time box of the items as the document numbers them (`ordered`): whether each fits the meeting, and the total;
    /// nil when an item has no minutes (minutes approved before items had them), as nothing can be said then.
    public func timeBox(_ ordered: [Item]) -> (fits: [Bool], total: Int)? {
        let minutes = ordered.compactMap(\.minutes)
        guard !ordered.isEmpty, minutes.count == ordered.count else { return nil }
        return AgendaTimeBox.fit(minutes, length: durationMinutes)
    }
}
