import Foundation
import PMOCore

/// OpenAPI schemas of the meeting, minutes, status report, portfolio and kickoff routes (`MeetingAPI`, `ReportAPI`),
/// written from the same enumerations the readers check (agenda rules, reason codes, areas, colours).
enum MeetingSchemas {
    typealias S = JSONSchema

    static let nullableInstant = S.instant.orNull
    static let clock = S.string.pattern("^([01]?[0-9]|2[0-3]):[0-5][0-9]$").described("Local time of day HH:MM").refusedAs("invalid_time")
    static let strings = S.array(.string)

    static func array(_ name: String) -> JSONSchema { .array(.ref(name)) }
    /// An array, or null.
    static func arrayOrNull(_ items: JSONSchema) -> JSONSchema { var a = S.array(items); a.types = [.array, .null]; return a }

    static var itemTypes: [String] { MeetingJSON.outputTypes }
    static var rags: [String] { RAG.allCases.map(\.rawValue) }
    static var areas: [String] { StatusArea.allCases.map(\.rawValue) }

    /// The request bodies, as types (`MeetingRequests`): their schemas are the ones requests are checked against.
    static var requestBodies: [any RequestBody.Type] { [
        MeetingSeriesCreateBody.self, MeetingSeriesPatchBody.self, MeetingOccurrenceCreateBody.self, MeetingOccurrencePatchBody.self,
        AgendaItemCreateBody.self, AgendaItemPatchBody.self, MinutesOutputCreateBody.self, StatusReportCreateBody.self,
        StatusOverrideInput.self, StatusReportPatchBody.self,
    ] }

    /// The request bodies, the answers (types whose schemas are derived, `MeetingBodies`) and a few named lists.
    static var all: [String: JSONSchema] {
        var schemas: [String: JSONSchema] = [
            "MeetingOccurrenceList": S.list("MeetingOccurrenceSummary"),
            "MinutesVersionList": S.list("MinutesDocument"),
            "StatusReportList": S.list("StatusReportSummary"),
            "Portfolio": S.list("PortfolioRow"),
        ]
        for body in requestBodies { schemas[body.schemaName] = body.requestSchema }
        for body in derivedBodies { schemas[body.schemaName] = DerivedSchema.of(body) }
        // A status area's reasons have the agenda reasons' shape under their own name.
        schemas["StatusReason"] = schemas["AgendaReason"]
        return schemas
    }
}
