import Foundation
import PMOCore
import PMOReports
import PMOStore
import Vapor

/// The organisation chart at /projects/{key}/units/chart.svg and .mmd, and the escalation lookup at
/// /projects/{key}/escalation: where an issue goes next and by when. The units and routes themselves are registers
/// (`RegisterAPI`).
enum OrganisationAPI {
    static let tag = "organisation"

    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/units/chart.svg",
              summary: "The organisation chart as SVG: units top-down along their reporting lines, in a column per company, escalation routes as dashed arrows",
              tag: tag, files: ["image/svg+xml"]) { req in
            let caller = try req.requireCaller()
            let input = OrganisationPages.chartInput(try await req.store.organisation.chart(caller, key: try req.projectKey()), SignalAPI.words(caller))
            return KPIPages.svg(OrgChart.svg(units: input.units, lines: input.lines, escalations: input.escalations, words: input.words))
        }
        r.add(.GET, "/projects/{key}/units/chart.mmd", summary: "The organisation chart as Mermaid flowchart text",
              tag: tag, files: ["text/plain"]) { req in
            let caller = try req.requireCaller()
            let input = OrganisationPages.chartInput(try await req.store.organisation.chart(caller, key: try req.projectKey()), SignalAPI.words(caller))
            return SystemPages.mermaid(OrgChart.mermaid(units: input.units, lines: input.lines, escalations: input.escalations, words: input.words),
                                       key: try req.projectKey(), name: "organisation")
        }
        r.add(.GET, "/projects/{key}/raci/table.xlsx",
              summary: "The RACI table as the familiar grid: a row per function or deliverable, a column per unit, R, A, C or I in each cell",
              tag: tag, files: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]) { req in
            let caller = try req.requireCaller()
            let (key, table) = try await req.store.organisation.raciTable(caller, key: try req.projectKey())
            return try OrganisationPages.raciWorkbook(table, projectKey: key, words: SignalAPI.words(caller))
        }
        r.add(.GET, "/projects/{key}/escalation",
              summary: "Where an issue goes next: the escalation route out of a unit for an issue's priority and current level (?unit=U3&priority=high&level=0&from=YYYY-MM-DD), and the day it goes by",
              tag: tag, response: "EscalationLookup", query: ["unit", "priority", "level", "from"]) { req in
            let caller = try req.requireCaller()
            let key = try req.projectKey()
            let q = try lookupQuery(req, today: req.today(for: caller).0)
            let answer = try await req.store.organisation.escalation(caller, key: key, unit: q.unit, priority: q.priority, level: q.level, from: q.from)
            return try MeetingJSON.response(body: EscalationLookupBody(answer, projectKey: key, unit: q.unit))
        }
    }

    /// `unit` (required: `U3` or `CRM-U3`), `priority` (required), `level` (0 to 3, default 0), `from` (a date,
    /// default today); each refused naming the parameter.
    static func lookupQuery(_ req: Request, today: CalendarDate) throws -> (unit: Int, priority: IssuePriority, level: Int, from: CalendarDate) {
        var errors = FieldErrors()
        let rawUnit = req.query[String.self, at: "unit"] ?? ""
        let unit = ItemReference(rawUnit).flatMap { $0.type == .unit && ($0.projectKey == nil || $0.projectKey == (try? req.projectKey())) ? $0.number : nil }
        if unit == nil { errors.add("unit", rawUnit.isEmpty ? "required" : "invalid_reference", "unit names a unit of the project, like U3.") }
        let rawPriority = req.query[String.self, at: "priority"] ?? ""
        let priority = IssuePriority(rawValue: rawPriority)
        if priority == nil {
            errors.add("priority", rawPriority.isEmpty ? "required" : "invalid_choice", "priority must be one of: \(IssuePriority.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var level = 0
        if let raw = req.query[String.self, at: "level"] {
            if let n = Int(raw), EscalationLevel.range.contains(n) { level = n } else { errors.add("level", "out_of_range", "level is the issue's escalation level now, 0 to 3.") }
        }
        var from = today
        if let raw = req.query[String.self, at: "from"] {
            if let d = CalendarDate(iso: raw) { from = d } else { errors.add("from", "invalid_date", "Write from as YYYY-MM-DD.") }
        }
        guard errors.all.isEmpty, let unit, let priority else { throw DomainError.invalid("escalation.invalid", errors.all) }
        return (unit, priority, level, from)
    }

    static var derivedBodies: [any DocumentedBody.Type] { [EscalationLookupBody.self, EscalationUnitBody.self] }
}

struct EscalationUnitBody: Codable, DocumentedBody {
    static let schemaName = "EscalationUnit"
    var reference: String
    var name: String
    var head: String?
}

struct EscalationLookupBody: Codable, DocumentedBody {
    static let schemaName = "EscalationLookup"
    static var schemaHints: [String: JSONSchema] {
        ["route": JSONSchema([.string, .null]).described("The route taken (CRM-E2); null when the unit has no route for this issue"),
         "due": JSONSchema.date.described("The day the issue goes up if still unresolved: withinDays working days after `from`"),
         "toUnit": JSONSchema.nullable("EscalationUnit")]
    }
    var fromUnit: String
    var route: String?
    var toUnit: EscalationUnitBody?
    var level: Int?
    var withinDays: Int?
    var due: String?

    init(_ a: EscalationAnswer?, projectKey key: String, unit: Int) {
        fromUnit = ItemType.unit.reference(projectKey: key, number: unit)
        route = a.map { ItemType.escalation.reference(projectKey: key, number: $0.route.number) }
        toUnit = a.map { EscalationUnitBody(reference: ItemType.unit.reference(projectKey: key, number: $0.toUnit.number), name: $0.toUnit.name, head: $0.toUnit.head) }
        level = a?.route.level
        withinDays = a?.route.withinDays
        due = a?.due.description
    }
}
