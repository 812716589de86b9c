import Foundation
import PMOCore
import PMOStore
import Vapor

// The registers' answers as Encodable types. A register item's own fields are named by its register's field specs,
// so its type writes them by name; `RegisterSchemas` describes the same fields from the same specs, and the API
// suites check every answer against that description.

/// A JSON member named at run time.
struct FieldKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedEncodingContainer where Key == FieldKey {
    /// The value, or null: the registers' answers write every member.
    mutating func put<T: Encodable>(_ value: T?, _ name: String) throws {
        if let value { try encode(value, forKey: FieldKey(name)) } else { try encodeNil(forKey: FieldKey(name)) }
    }
}

/// A register item: the members every register has, then the register's own at the top level, so that what a GET
/// returns is what a PATCH takes (people and companies come back as `{id, name}` and go in as ids).
struct RegisterItemAnswer: Encodable {
    let view: RegisterItemView
    let today: CalendarDate

    func encode(to encoder: any Encoder) throws {
        let r = view.record
        func person(_ id: UUID?) -> PersonRef? { id.map { PersonRef(id: $0.uuidString.lowercased(), name: view.userNames[$0] ?? "") } }
        var c = encoder.container(keyedBy: FieldKey.self)
        try c.put(try r.requireID().uuidString.lowercased(), "id")
        try c.put(view.reference, "reference")
        try c.put(view.projectKey, "projectKey")
        try c.put(view.kind.rawValue, "register")
        try c.put(r.number, "number")
        try c.put(r.title, "title")
        try c.put(r.description, "description")
        try c.put(r.status, "status")
        // "occurred" is reached only through POST …/occurred, which also raises the issue.
        try c.put(view.kind.nextStatuses(from: r.status).filter { view.kind != .risk || $0 != "occurred" }, "nextStatuses")
        try c.put(person(r.ownerID), "owner")
        try c.put(r.dueDate, "dueDate")
        try c.put(r.visibility, "visibility")
        try c.put(r.visibilityCompanyID?.uuidString.lowercased(), "visibilityCompanyId")
        try c.put(r.companyID?.uuidString.lowercased(), "companyId")
        try c.put(r.companyID.flatMap { view.companyNames[$0] }, "companyName")
        try c.put(person(r.createdByID), "createdBy")
        try c.put(InstantText.iso8601(r.createdAt), "createdAt")
        try c.put(InstantText.iso8601(r.updatedAt), "updatedAt")
        try c.put(r.version, "version")
        try c.put(view.isOverdue(today: today), "overdue")
        try c.put(!view.isFinished, "open")
        for spec in view.kind.fields {
            switch view.fields.details[spec.name] {
            case .user(let id)?: try c.put(person(id.rawValue), spec.name)
            case .company(let id)?: try c.put(PersonRef(id: id.description, name: view.companyNames[id.rawValue] ?? ""), spec.name)
            case .item(let ref)?: try c.put(ref.type.reference(projectKey: view.projectKey, number: ref.number), spec.name)
            case .items(let refs)?: try c.put(refs.map { $0.type.reference(projectKey: view.projectKey, number: $0.number) }, spec.name)
            case .resources(let ids)?:
                try c.put(ids.map { PersonRef(id: $0.uuidString.lowercased(), name: view.resourceNames[$0] ?? "") }, spec.name)
            case let value?: try c.put(RegisterValueAnswer(value), spec.name)
            case nil: try c.encodeNil(forKey: FieldKey(spec.name))
            }
        }
        if view.kind == .risk {
            try c.put(r.score, "score")
            try c.put(RegisterRules.residualScore(view.fields.details), "residualScore")
        }
    }
}

/// A register field's value as the API writes it: dates as `YYYY-MM-DD`, ids lower-case, an option's missing
/// figures as null (`answer` writes nil members).
struct RegisterValueAnswer: Encodable {
    let value: RegisterValue
    init(_ value: RegisterValue) { self.value = value }

    struct Indicator: Encodable { var text: String; var status: String }

    struct Option: Encodable {
        var title: String, pros: String, cons: String, cost: Double?, scheduleDays: Int?, effortHours: Double?
        init(_ o: DecisionOption) {
            (title, pros, cons, cost, scheduleDays, effortHours) = (o.title, o.pros, o.cons, o.cost, o.scheduleDays, o.effortHours)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case .text(let s): try c.encode(s)
        case .integer(let n): try c.encode(n)
        case .number(let n): try c.encode(n)
        case .date(let d): try c.encode(d.description)
        case .bool(let b): try c.encode(b)
        case .user(let id): try c.encode(id.description)
        case .company(let id): try c.encode(id.description)
        case .item(let ref): try c.encode(ref.description)
        case .items(let refs): try c.encode(refs.map(\.description))
        case .activities(let ids): try c.encode(ids)
        case .resources(let ids): try c.encode(ids.map { $0.uuidString.lowercased() })
        case .indicators(let list): try c.encode(list.map { Indicator(text: $0.text, status: $0.status.rawValue) })
        case .options(let list): try c.encode(list.map(Option.init))
        }
    }
}

/// A page of a register's items.
struct RegisterItemList: Encodable {
    var items: [RegisterItemAnswer]
    var nextCursor: String?
}

/// A risk that occurred and the issue raised from it.
struct OccurrenceAnswer: Encodable {
    struct RaisedIssue: Encodable { var reference: String; var number: Int; var title: String; var status: String; var version: Int }
    var risk: RegisterItemAnswer
    var issue: RaisedIssue
}

/// Who decides what: one row per category.
struct DecisionRightsAnswer: Encodable {
    struct Row: Encodable { var category: String; var authority: String; var roles: [String]; var users: [String] }
    var items: [Row]

    init(_ rights: [DecisionRight]) {
        items = rights.map { Row(category: $0.category, authority: $0.authority, roles: $0.roles.map(\.rawValue), users: $0.userIDs.map(\.description)) }
    }
}

/// Each register's open, overdue, ageing and total counts.
struct OverviewAnswer: Encodable {
    struct Register: Encodable { var register: String; var letter: String; var open: Int; var overdue: Int; var ageing: Int; var total: Int }
    var registers: [Register]
}

/// The open items a caller owns or must decide.
struct WorkListAnswer: Encodable {
    struct Item: Encodable {
        var reference: String, projectKey: String, register: String, number: Int, title: String, status: String
        var dueDate: String?
        var overdue: Bool, mustDecide: Bool
    }
    var items: [Item]
}

/// What an import would do (a preview) or did: counts, every error, and each row's action and changes.
struct ImportPlanAnswer: Encodable {
    struct Error: Encodable { var line: Int; var column: String; var code: String; var message: String }
    struct RowError: Encodable { var column: String; var code: String; var message: String }
    struct Change: Encodable { var field: String, from: String?, to: String? }
    struct Row: Encodable {
        var line: Int, action: String, reference: String?, changes: [Change], errors: [RowError]
    }
    var applied: Bool, creates: Int, updates: Int, unchanged: Int, errorCount: Int
    var errors: [Error]
    var rows: [Row]
}

/// An answer that is an Encodable type, written by `JSONBytesEncoder` with every member (a nil one as null), with the
/// version as ETag when given.
func answer<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok, version: Int? = nil) throws -> Response {
    let response = Response(status: status, body: .init(data: Data(try JSONBytesEncoder(nullsWritten: true).encode(value))))
    response.headers.contentType = .json
    if let version { response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"") }
    return response
}
