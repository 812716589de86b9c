import Foundation
import PMOCore

/// OpenAPI schemas of the meeting, minutes, status report, portfolio and kickoff routes (`MeetingAPI`, `ReportAPI`),
/// written from the same enumerations the readers check (agenda rules, reason codes, areas, colours).
enum MeetingSchemas {
    typealias S = JSONSchema

    static let nullableInstant = S.instant.orNull
    static let clock = S.string.pattern("^([01]?[0-9]|2[0-3]):[0-5][0-9]$").described("Local time of day HH:MM")
    static let strings = S.array(.string)

    static func array(_ name: String) -> JSONSchema { .array(.ref(name)) }
    /// An array, or null.
    static func arrayOrNull(_ items: JSONSchema) -> JSONSchema { var a = S.array(items); a.types = [.array, .null]; return a }

    static var itemTypes: [String] { MeetingJSON.outputTypes }
    static var rags: [String] { RAG.allCases.map(\.rawValue) }
    static var areas: [String] { StatusArea.allCases.map(\.rawValue) }

    /// The request bodies and a few named lists; the answers are types whose schemas are derived (`MeetingBodies`).
    static var all: [String: JSONSchema] {
        let seriesWritable: [String: JSONSchema] = [
            "name": S.text(MeetingRules.nameMax), "purpose": S.nullableString,
            "chair": S.nullableUUID.described("The chair's user id"),
            "firstDate": S.string.format("date").described("The date of occurrence 1"),
            "intervalWeeks": S.integer.range(1, 8).described("1 = weekly"),
            "startTime": clock, "durationMinutes": S.integer.range(5, 720),
            "location": S.nullableString,
            "attendees": arrayOrNull(.uuid).described("The standing attendees' user ids"),
            "rules": arrayOrNull(.enumeration(AgendaRule.allCases.map(\.rawValue)))
                .described("The agenda rules this series uses"),
            "riskThreshold": S.integer.range(1, 25),
            "company": S.nullableUUID.described("Only this company's items and activities come to the agenda"),
            "visibility": S.ref("MeetingVisibility"),
        ]
        let override = S.object([
            "area": S.enumeration(areas), "rag": S.enumeration(rags.filter { $0 != "grey" }),
            "reason": S.string.maxLength(2000).described("Required: why the figures do not tell the whole story"),
        ], required: ["area", "rag", "reason"])
        let text = S.nullableString.maxLength(StatusReportRules.textMax)

        var schemas: [String: JSONSchema] = [
            "MeetingSeriesCreate": S.object(seriesWritable, required: ["name", "firstDate"]),
            "MeetingSeriesPatch": S.object(seriesWritable),
            "MeetingOccurrenceList": S.list("MeetingOccurrenceSummary"),
            "MeetingOccurrenceCreate": S.object(["number": S.integer.range(1, Double(MeetingRules.occurrenceMax))
                .described("Default: the one after the last, else the first on or after today")]),
            "MeetingOccurrencePatch": S.object(["notes": S.nullableString,
                                                "present": arrayOrNull(.uuid).described("User ids of those present")]),
            "AgendaItemCreate": S.object([
                "title": S.text(MeetingRules.nameMax).described("Required unless reference is given"),
                "notes": S.nullableString,
                "reference": S.itemReference.described("The item discussed, e.g. CRM-R3 or I12"),
            ]).requiringOneOf(["title", "reference"]),
            "AgendaItemPatch": S.object([
                "title": S.text(MeetingRules.nameMax), "notes": S.nullableString, "carry": S.boolean,
                "position": S.integer.range(1, Double(MeetingRules.maxAgendaItems * 10)),
            ]),
            "MinutesOutputCreate": S.object([
                "agendaItem": S.nullableUUID.described("The agenda item it came from; the new item is linked derived_from that item's item"),
                "type": S.enumeration(itemTypes),
                "fields": JSONSchema([.object]).described(
                    "The fields the register's create route takes (IssueCreate, RiskCreate, DecisionCreate, QuestionCreate, ChangeCreate, ActionCreate)"),
            ], required: ["type", "fields"]),
            "MinutesVersionList": S.list("MinutesDocument"),
            "StatusOverride": override,
            "StatusReportList": S.list("StatusReportSummary"),
            "StatusReportCreate": S.object(["statusDate": S.string.format("date")], required: ["statusDate"]),
            "StatusReportPatch": S.object([
                "overrides": arrayOrNull(.ref("StatusOverride")).described("Replaces the list; null clears it"),
                "comment": text, "done": text, "next": text,
            ]),
            "Portfolio": S.list("PortfolioRow"),
        ]
        for body in derivedBodies { schemas[body.schemaName] = DerivedSchema.of(body) }
        // A status area's reasons have the agenda reasons' shape under their own name.
        schemas["StatusReason"] = schemas["AgendaReason"]
        return schemas
    }
}
