import Foundation

/// The registers that drive a project besides the issue register: each has its letter in item numbers
/// (CRM-R3, CRM-D7, CRM-Q12, CRM-C4, CRM-A31, CRM-S2, CRM-F14, CRM-B3), its fields, and its status workflow.
/// Systems (S), interfaces (F, for IF一覧) and business functions (B, each an ordered list of interfaces: its
/// sequence diagram) describe the project's shape rather than its work, but take the same write path, lists, links,
/// history and spreadsheets as the others. Requirements (N, 要件一覧) name the systems that realise them and the plan
/// activities that build them; tests (T) name the requirements they verify: the traceability matrix reads both.
public enum RegisterKind: String, CaseIterable, Sendable, Codable {
    case risk, decision, question, change, action, system, interface, function, requirement, test
    /// The organisation (体制): units (U) with the unit each reports to, and escalation routes (E) between units.
    case unit, escalation
    /// A row of the RACI table (役割分担表): a function or deliverable and the units responsible, accountable,
    /// consulted and informed.
    case raci

    /// The registers of the project's work, which meetings' minutes create items in; systems and interfaces describe
    /// the project's shape and are kept in their own registers.
    public static let workRegisters: [RegisterKind] = [.risk, .decision, .question, .change, .action]

    /// The letter of the register in references and in the project's number counters.
    public var letter: String {
        switch self {
        case .risk: "R"
        case .decision: "D"
        case .question: "Q"
        case .change: "C"
        case .action: "A"
        case .system: "S"
        case .interface: "F"
        case .function: "B"
        case .requirement: "N"
        case .test: "T"
        case .unit: "U"
        case .escalation: "E"
        case .raci: "K"
        }
    }

    /// The plural path segment in URLs (`/projects/CRM/risks`).
    public var plural: String {
        switch self {
        case .risk: "risks"
        case .decision: "decisions"
        case .question: "questions"
        case .change: "changes"
        case .action: "actions"
        case .system: "systems"
        case .interface: "interfaces"
        case .function: "functions"
        case .requirement: "requirements"
        case .test: "tests"
        case .unit: "units"
        case .escalation: "escalations"
        case .raci: "raci"
        }
    }

    public init?(plural: String) {
        guard let kind = RegisterKind.allCases.first(where: { $0.plural == plural }) else { return nil }
        self = kind
    }

    public init?(letter: String) {
        guard let kind = RegisterKind.allCases.first(where: { $0.letter == letter }) else { return nil }
        self = kind
    }

    /// Every status, in workflow order.
    public var statuses: [String] {
        switch self {
        case .risk: ["identified", "assessed", "responding", "occurred", "closed"]
        case .decision: ["proposed", "pending", "decided", "deferred", "rejected", "superseded"]
        case .question: ["open", "answered", "confirmed", "closed"]
        case .change: ["requested", "assessing", "approved", "rejected", "implemented"]
        case .action: ["open", "in_progress", "done", "cancelled"]
        case .system: ["planned", "building", "testing", "live", "retired"]
        case .interface: ["identified", "designing", "agreed", "built", "connection_tested", "accepted"]
        case .function: ["draft", "agreed", "retired"]
        case .requirement: ["draft", "agreed", "changed", "dropped", "verified"]
        case .test: ["planned", "passed", "failed", "blocked"]
        case .unit: ["active", "disbanded"]
        case .escalation: ["active", "retired"]
        case .raci: ["draft", "agreed", "retired"]
        }
    }

    public var initialStatus: String { statuses[0] }

    /// Statuses in which an item needs no more work: never overdue, not in "my work".
    public var finishedStatuses: Set<String> {
        switch self {
        case .risk: ["occurred", "closed"]
        case .decision: ["decided", "rejected", "superseded"]
        case .question: ["confirmed", "closed"]
        case .change: ["rejected", "implemented"]
        case .action: ["done", "cancelled"]
        case .system: ["retired"]
        case .interface: ["accepted"]
        case .function: ["retired"]
        case .requirement: ["dropped", "verified"]
        case .test: ["passed"]
        case .unit: ["disbanded"]
        case .escalation: ["retired"]
        case .raci: ["retired"]
        }
    }

    public func isFinished(_ status: String) -> Bool { finishedStatuses.contains(status) }

    /// Statuses in which the due date is still to be met, so that passing it makes the item overdue: a question
    /// is due to be answered (an answered one waits only for the asker), a decision due to be taken (a deferred one
    /// has been put off on purpose); an interface's due date is its design deadline, met once the specification is
    /// agreed; a system's is its go-live; for the other registers every unfinished status.
    public var dueStatuses: [String] {
        switch self {
        case .question: ["open"]
        case .decision: ["proposed", "pending"]
        case .interface: ["identified", "designing"]
        case .system: ["planned", "building", "testing"]
        case .function: ["draft"]
        // A requirement's due date is the date it is to be agreed by (again, once changed).
        case .requirement: ["draft", "changed"]
        case .unit, .escalation: []
        case .raci: ["draft"]
        default: statuses.filter { !finishedStatuses.contains($0) }
        }
    }

    /// The statuses an item may move to from `status` (staying put is always allowed).
    public func nextStatuses(from status: String) -> [String] {
        switch (self, status) {
        case (.risk, "identified"): ["assessed", "responding", "occurred", "closed"]
        case (.risk, "assessed"): ["identified", "responding", "occurred", "closed"]
        case (.risk, "responding"): ["assessed", "occurred", "closed"]
        case (.risk, "occurred"): ["responding", "closed"]
        case (.risk, "closed"): ["identified"]
        case (.decision, "proposed"): ["pending", "deferred", "rejected"]
        case (.decision, "pending"): ["proposed", "decided", "deferred", "rejected"]
        case (.decision, "deferred"): ["pending", "rejected"]
        case (.decision, "decided"): ["superseded"]
        case (.question, "open"): ["answered", "closed"]
        case (.question, "answered"): ["open", "confirmed", "closed"]
        case (.question, "confirmed"): ["open", "closed"]
        case (.question, "closed"): ["open"]
        case (.change, "requested"): ["assessing", "rejected"]
        case (.change, "assessing"): ["requested", "approved", "rejected"]
        case (.change, "approved"): ["implemented"]
        case (.action, "open"): ["in_progress", "done", "cancelled"]
        case (.action, "in_progress"): ["open", "done", "cancelled"]
        case (.action, "done"), (.action, "cancelled"): ["open"]
        // A system may step back (a go-live called off) and a retired one return to service.
        case (.system, "planned"): ["building", "testing", "live", "retired"]
        case (.system, "building"): ["planned", "testing", "live", "retired"]
        case (.system, "testing"): ["building", "live", "retired"]
        case (.system, "live"): ["testing", "retired"]
        case (.system, "retired"): ["live"]
        // An interface moves forward one or more steps, or back when its specification is reopened or a test fails.
        case (.interface, let s):
            RegisterKind.interface.statuses.filter { $0 != s }
        case (.function, "draft"): ["agreed", "retired"]
        case (.function, "agreed"): ["draft", "retired"]
        case (.function, "retired"): ["draft"]
        // A requirement is agreed, then verified or changed (and agreed again); a dropped one may be taken up again.
        case (.requirement, "draft"): ["agreed", "dropped"]
        case (.requirement, "agreed"): ["changed", "dropped", "verified"]
        case (.requirement, "changed"): ["agreed", "dropped"]
        case (.requirement, "verified"): ["changed", "dropped"]
        case (.requirement, "dropped"): ["draft"]
        // A test's status is its result: run again at will.
        case (.test, let s):
            RegisterKind.test.statuses.filter { $0 != s }
        case (.unit, "active"): ["disbanded"]
        case (.unit, "disbanded"): ["active"]
        case (.escalation, "active"): ["retired"]
        case (.escalation, "retired"): ["active"]
        case (.raci, "draft"): ["agreed", "retired"]
        case (.raci, "agreed"): ["draft", "retired"]
        case (.raci, "retired"): ["draft"]
        default: []
        }
    }

    /// The register-specific fields, in form and spreadsheet order (the common ones are title, description, status,
    /// owner, due date, company and visibility).
    public var fields: [RegisterFieldSpec] {
        switch self {
        case .risk: RegisterFieldSpec.risk
        case .decision: RegisterFieldSpec.decision
        case .question: RegisterFieldSpec.question
        case .change: RegisterFieldSpec.change
        case .action: RegisterFieldSpec.action
        case .system: RegisterFieldSpec.system
        case .interface: RegisterFieldSpec.interface
        case .function: RegisterFieldSpec.function
        case .requirement: RegisterFieldSpec.requirement
        case .test: RegisterFieldSpec.test
        case .unit: RegisterFieldSpec.unit
        case .escalation: RegisterFieldSpec.escalation
        case .raci: RegisterFieldSpec.raci
        }
    }

    public func field(_ name: String) -> RegisterFieldSpec? { fields.first { $0.name == name } }

    /// The display reference, e.g. `CRM-R3`.
    public func reference(projectKey: String, number: Int) -> String { ItemType(self).reference(projectKey: projectKey, number: number) }
}

/// Anything that has a number in a project: an issue or a register item. Links join any two of them.
public enum ItemType: String, CaseIterable, Sendable, Codable {
    case issue = "I", risk = "R", decision = "D", question = "Q", change = "C", action = "A", system = "S", interface = "F", function = "B"
    case requirement = "N", test = "T", unit = "U", escalation = "E", raci = "K"

    public init(_ kind: RegisterKind) { self = ItemType(rawValue: kind.letter)! }
    /// Whether items of this type are work someone does and finishes (in their work list): all but systems, business
    /// functions and requirements, which the project describes rather than works off (an interface, with its design
    /// deadline, and a test, with its run date, are work).
    public var isWork: Bool { ![.system, .function, .requirement, .unit, .escalation, .raci].contains(self) }
    public var register: RegisterKind? { RegisterKind(letter: rawValue) }
    /// The entity type of the item's events in the audit trail (`issue`, `risk`, ...).
    public var auditEntityType: String { register?.rawValue ?? "issue" }
    /// The display reference of the item numbered `number`, e.g. `CRM-I12` (the one way references are written).
    public func reference(projectKey: String, number: Int) -> String {
        ItemReference(projectKey: projectKey, type: self, number: number).description
    }
}

/// A parsed item reference such as `CRM-Q12` (or just `Q12` within a project).
public struct ItemReference: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var projectKey: String?
    public var type: ItemType
    public var number: Int

    public init(projectKey: String?, type: ItemType, number: Int) {
        self.projectKey = projectKey
        self.type = type
        self.number = number
    }

    /// Parses `KEY-X12` or `X12` (X one of I, R, D, Q, C, A, S, F, B, N, T, U, E, K); nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        var key: String?
        var rest = Substring(trimmed)
        if let dash = trimmed.lastIndex(of: "-") {
            key = String(trimmed[..<dash])
            rest = trimmed[trimmed.index(after: dash)...]
            guard ProjectRules.isValidKey(key!) else { return nil }
        }
        guard let first = rest.first, let type = ItemType(rawValue: String(first)),
              let number = Int(rest.dropFirst()), number > 0, rest.dropFirst().allSatisfy(\.isNumber) else { return nil }
        self.init(projectKey: key, type: type, number: number)
    }

    public var description: String { (projectKey.map { "\($0)-" } ?? "") + type.rawValue + String(number) }
}

/// The kinds of typed link between any two items.
public enum ItemLinkKind: String, CaseIterable, Sendable, Codable {
    case causes
    case blocks
    case resolves
    case derivedFrom = "derived_from"
    case relatesTo = "relates_to"
    /// The same matter recorded twice (mostly issues); the newer one links to the one kept.
    case duplicates
}
