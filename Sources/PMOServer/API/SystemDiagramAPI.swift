import Foundation
import PMOCore
import PMOReports
import PMOStore
import Vapor

/// The system configuration diagram at /projects/{key}/systems/diagram.svg and .mmd: the systems and interfaces
/// the caller may see, drawn in the caller's language (`?group=vendor`, the default, or `kind`). The systems and
/// interfaces themselves are registers (`RegisterAPI`).
enum SystemDiagramAPI {
    static var derivedBodies: [any DocumentedBody.Type] { [FreeTextReportBody.self, FreeTextRowBody.self, FreeTextAppliedBody.self] }

    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/systems/matching",
              summary: "Free text written before systems and requirements were registers (each activity's system, each change's affected systems and requirements) and the item each value matches, if any",
              tag: "systems", response: "FreeTextReport") { req in
            let report = try await req.store.systems.freeTextReport(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: FreeTextReportBody(report))
        }
        r.add(.POST, "/projects/{key}/systems/matching/apply",
              summary: "Add to every change the systems and requirements its free text matches and its references do not name yet, all changes or none; answers how many changed",
              tag: "systems", response: "FreeTextApplied", access: .manager) { req in
            let changed = try await req.store.systems.applyFreeTextMatches(try req.writer(), key: try req.projectKey())
            return try MeetingJSON.response(body: FreeTextAppliedBody(changed: changed))
        }
        r.add(.GET, "/projects/{key}/functions/{number}/sequence.svg",
              summary: "A business function's sequence diagram as SVG: the systems it passes through, its interfaces in order",
              tag: "functions", files: ["image/svg+xml"]) { req in
            let caller = try req.requireCaller()
            let seq = try await req.store.systems.sequence(caller, key: try req.projectKey(), number: try req.pathInt("number"), today: req.today(for: caller).0)
            let input = SystemPages.sequenceInput(seq, SignalAPI.words(caller))
            return KPIPages.svg(SequenceDiagram.svg(participants: input.participants, messages: input.messages, words: input.words))
        }
        r.add(.GET, "/projects/{key}/functions/{number}/sequence.mmd",
              summary: "A business function's sequence diagram as Mermaid sequenceDiagram text",
              tag: "functions", files: ["text/plain"]) { req in
            let caller = try req.requireCaller()
            let number = try req.pathInt("number")
            let seq = try await req.store.systems.sequence(caller, key: try req.projectKey(), number: number, today: req.today(for: caller).0)
            let input = SystemPages.sequenceInput(seq, SignalAPI.words(caller))
            return SystemPages.mermaid(SequenceDiagram.mermaid(participants: input.participants, messages: input.messages, words: input.words),
                                       key: try req.projectKey(), name: "B\(number)-sequence")
        }
        r.add(.GET, "/projects/{key}/systems/diagram.svg",
              summary: "The system configuration diagram as SVG (A3 landscape when printed): systems grouped by vendor or kind, interfaces as arrows coloured by status",
              tag: "systems", query: ["group"], files: ["image/svg+xml"]) { req in
            let input = try await SystemPages.diagram(req, caller: try req.requireCaller(), words: SignalAPI.words(try req.requireCaller()))
            return KPIPages.svg(SystemDiagram.svg(systems: input.systems, interfaces: input.interfaces, words: input.words))
        }
        r.add(.GET, "/projects/{key}/systems/diagram.mmd",
              summary: "The system configuration diagram as Mermaid flowchart text, to paste into documents",
              tag: "systems", query: ["group"], files: ["text/plain"]) { req in
            let input = try await SystemPages.diagram(req, caller: try req.requireCaller(), words: SignalAPI.words(try req.requireCaller()))
            return SystemPages.mermaid(SystemDiagram.mermaid(systems: input.systems, interfaces: input.interfaces, words: input.words),
                                       key: try req.projectKey())
        }
    }
}

struct FreeTextRowBody: Codable, DocumentedBody {
    static let schemaName = "FreeTextValue"
    static var schemaHints: [String: JSONSchema] {
        ["source": JSONSchema.enumeration(["activity", "change"]),
         "number": JSONSchema.integer.described("The activity's id or the change's number"),
         "reference": JSONSchema([.string, .null]).described("The change's reference (CRM-C3); null for an activity"),
         "field": JSONSchema.enumeration(["system", "affectedSystems", "affectedRequirements"]),
         "matches": JSONSchema([.string, .null]).described("The system or requirement the value matches (CRM-S1), null when none"),
         "referenced": JSONSchema.boolean.described("A change's references already name what it matches")]
    }
    var source: String
    var number: Int
    var reference: String?
    var title: String
    var field: String
    var text: String
    var matches: String?
    var referenced: Bool
}

struct FreeTextReportBody: Codable, DocumentedBody {
    static let schemaName = "FreeTextReport"
    static var schemaHints: [String: JSONSchema] { ["values": JSONSchema.array(.ref("FreeTextValue"))] }
    var unmatched: Int
    var values: [FreeTextRowBody]

    init(_ r: FreeTextReport) {
        unmatched = r.unmatched
        values = r.rows.map { row in
            FreeTextRowBody(source: row.source.rawValue, number: row.number,
                            reference: row.source == .change ? ItemType.change.reference(projectKey: r.projectKey, number: row.number) : nil,
                            title: row.title, field: row.field, text: row.text,
                            matches: row.matched.map { $0.type.reference(projectKey: r.projectKey, number: $0.number) }, referenced: row.referenced)
        }
    }
}

struct FreeTextAppliedBody: Codable, DocumentedBody {
    static let schemaName = "FreeTextApplied"
    var changed: Int
}
