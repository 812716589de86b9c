import Foundation
import PMOCore
import PMOStore
import Vapor

/// The traceability matrix at /projects/{key}/requirements/traceability (JSON, `?gap=` as on the page) and
/// `traceability.xlsx`: the requirements, systems, tests, questions and changes the caller may see. The items
/// themselves are registers (`RegisterAPI`).
enum TraceabilityAPI {
    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects/{key}/requirements/traceability",
              summary: "The traceability matrix: each requirement's systems, plan activities, tests, questions and changes, and its coverage gaps (?gap=any or one gap)",
              tag: "requirements", response: "Traceability", query: ["gap"]) { req in
            let caller = try req.requireCaller()
            let filter = try TraceabilityPages.filter(req)
            let (key, matrix) = try await req.store.traceability.matrix(caller, key: try req.projectKey())
            return try MeetingJSON.response(body: TraceabilityBody(matrix, projectKey: key, filter: filter))
        }
        r.add(.GET, "/projects/{key}/requirements/traceability.xlsx",
              summary: "The traceability matrix as a workbook: requirements × systems, requirements × verification, changes after agreement",
              tag: "requirements", files: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]) { req in
            let caller = try req.requireCaller()
            let (key, matrix) = try await req.store.traceability.matrix(caller, key: try req.projectKey())
            return try TraceabilityPages.workbook(matrix, projectKey: key, words: SignalAPI.words(caller))
        }
    }

    static var derivedBodies: [any DocumentedBody.Type] {
        [TraceabilityBody.self, TraceabilityRowBody.self, TraceabilitySystemBody.self, TraceabilityTestBody.self, TraceabilityTouchBody.self]
    }
}

// MARK: Bodies

struct TraceabilitySystemBody: Codable, DocumentedBody {
    static let schemaName = "TraceabilitySystem"
    var reference: String
    var name: String
    var code: String
}

struct TraceabilityTestBody: Codable, DocumentedBody {
    static let schemaName = "TraceabilityTest"
    static var schemaHints: [String: JSONSchema] {
        ["status": .enumeration(RegisterKind.test.statuses), "executedOn": JSONSchema.date]
    }
    var reference: String
    var title: String
    var level: String
    var status: String
    var executedOn: String?
}

struct TraceabilityTouchBody: Codable, DocumentedBody {
    static let schemaName = "TraceabilityTouch"
    static var schemaHints: [String: JSONSchema] {
        ["raisedOn": JSONSchema.date, "afterAgreement": JSONSchema.boolean.described("Raised on or after the day the requirement was first agreed")]
    }
    var reference: String
    var title: String
    var status: String
    var raisedOn: String
    var afterAgreement: Bool
}

struct TraceabilityRowBody: Codable, DocumentedBody {
    static let schemaName = "TraceabilityRow"
    static var schemaHints: [String: JSONSchema] {
        ["status": .enumeration(RegisterKind.requirement.statuses), "agreedOn": JSONSchema.date,
         "gaps": JSONSchema.array(.enumeration(TraceabilityMatrix.Gap.allCases.map(\.rawValue))),
         "activities": JSONSchema.array(.integer).described("The plan activities (ids) that build it and are still in the plan")]
    }
    var reference: String
    var title: String
    var status: String
    var requirementType: String
    var nfrGroup: String?
    var moscow: String?
    var systems: [String]
    var activities: [Int]
    var tests: [TraceabilityTestBody]
    var questions: [TraceabilityTouchBody]
    var changes: [TraceabilityTouchBody]
    var agreedOn: String?
    var gaps: [String]
}

struct TraceabilityBody: Codable, DocumentedBody {
    static let schemaName = "Traceability"
    static var schemaHints: [String: JSONSchema] {
        ["gapCounts": JSONSchema.object(Dictionary(uniqueKeysWithValues: TraceabilityMatrix.Gap.allCases.map { ($0.rawValue, JSONSchema.integer) }), required: TraceabilityMatrix.Gap.allCases.map(\.rawValue)),
         "requirements": JSONSchema.integer.described("Requirements counted for gaps (dropped ones are not)")]
    }
    var projectKey: String
    var systems: [TraceabilitySystemBody]
    var requirements: Int
    var gapCounts: [String: Int]
    var rows: [TraceabilityRowBody]

    init(_ m: TraceabilityMatrix, projectKey key: String, filter: TraceabilityPages.Filter) {
        projectKey = key
        systems = m.systems.map { TraceabilitySystemBody(reference: ItemType.system.reference(projectKey: key, number: $0.number), name: $0.name, code: $0.code) }
        requirements = m.liveCount
        let counts = m.gapCounts
        gapCounts = Dictionary(uniqueKeysWithValues: TraceabilityMatrix.Gap.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        let touch = { (type: ItemType, t: TraceabilityMatrix.Touch) in
            TraceabilityTouchBody(reference: type.reference(projectKey: key, number: t.number), title: t.title, status: t.status,
                                  raisedOn: t.raisedOn.description, afterAgreement: t.afterAgreement)
        }
        rows = m.rows.filter(filter.keeps).map { r in
            TraceabilityRowBody(
                reference: ItemType.requirement.reference(projectKey: key, number: r.number), title: r.title, status: r.status,
                requirementType: r.requirementType, nfrGroup: r.nfrGroup, moscow: r.moscow,
                systems: r.systems.map { ItemType.system.reference(projectKey: key, number: $0) }, activities: r.activities,
                tests: r.tests.map { TraceabilityTestBody(reference: ItemType.test.reference(projectKey: key, number: $0.number), title: $0.title,
                                                          level: $0.level, status: $0.status, executedOn: $0.executedOn?.description) },
                questions: r.questions.map { touch(.question, $0) }, changes: r.changes.map { touch(.change, $0) },
                agreedOn: r.agreedOn?.description, gaps: r.gaps.map(\.rawValue))
        }
    }
}
