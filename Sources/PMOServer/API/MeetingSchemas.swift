import Foundation
import PMOCore

/// OpenAPI schemas of the meeting, minutes, status report, portfolio and kickoff routes (`MeetingAPI`, `ReportAPI`),
/// written from the same enumerations the readers check (agenda rules, reason codes, areas, colours).
enum MeetingSchemas {
    typealias S = JSONSchema

    static let nullableInstant = S.instant.orNull
    static let clock = S.string.pattern("^[0-9]{1,2}:[0-5][0-9]$").described("Local time of day HH:MM")
    static let strings = S.array(.string)

    static func array(_ name: String) -> JSONSchema { .array(.ref(name)) }
    /// An array, or null.
    static func arrayOrNull(_ items: JSONSchema) -> JSONSchema { var a = S.array(items); a.types = [.array, .null]; return a }

    static var itemTypes: [String] { MeetingJSON.outputTypes }
    static var rags: [String] { RAG.allCases.map(\.rawValue) }
    static var areas: [String] { StatusArea.allCases.map(\.rawValue) }

    static var all: [String: JSONSchema] {
        let visibility = S.object([
            "scope": S.enumeration(VisibilityScope.allCases.map(\.rawValue)),
            "company": S.nullableUUID.described("The company, for scope company"),
        ], required: ["scope"])
        let seriesWritable: [String: JSONSchema] = [
            "name": S.string.maxLength(MeetingRules.nameMax), "purpose": S.nullableString,
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
        let series: [String: JSONSchema] = [
            "id": S.string, "projectKey": S.string, "name": S.string, "purpose": S.string, "chair": S.nullable("PersonRef"),
            "firstDate": S.date, "weekday": S.integer.range(0, 6).described("0 = Sunday"),
            "intervalWeeks": S.integer, "startTime": clock, "durationMinutes": S.integer, "location": S.string,
            "attendees": array("PersonRef"), "rules": S.array(.enumeration(AgendaRule.allCases.map(\.rawValue))),
            "riskThreshold": S.integer, "company": S.nullable("PersonRef"), "visibility": S.ref("MeetingVisibility"),
            "version": S.integer, "canManage": S.boolean, "canRun": S.boolean,
        ]
        let reason = S.object(["code": S.string, "values": strings], required: ["code", "values"])
        let output: [String: JSONSchema] = [
            "id": S.string, "agendaItem": S.nullableString, "type": S.enumeration(itemTypes), "reference": S.string,
            "number": S.integer, "title": S.string, "status": S.string, "ownerId": S.nullableUUID, "dueDate": S.date,
            "visibility": S.ref("MeetingVisibility"),
        ]
        let agendaItem: [String: JSONSchema] = [
            "id": S.string, "position": S.integer, "rule": S.nullableEnumeration(AgendaRule.allCases.map(\.rawValue)),
            "itemType": S.nullableEnumeration(itemTypes), "itemNumber": S.nullableInteger, "reference": S.nullableString,
            "activityUid": S.nullableInteger, "title": S.string,
            "reasons": array("AgendaReason")
                .described("Codes: " + AgendaReason.Code.allCases.map(\.rawValue).joined(separator: ", ")),
            "notes": S.string, "carry": S.boolean, "visibility": S.ref("MeetingVisibility"), "version": S.integer,
            "outputs": array("MinutesOutput"),
        ]
        let occurrence: [String: JSONSchema] = [
            "id": S.string, "seriesId": S.string, "seriesName": S.string, "projectKey": S.string, "number": S.integer,
            "date": S.date, "startTime": clock, "durationMinutes": S.integer, "location": S.string,
            "status": S.enumeration(OccurrenceStatus.allCases.map(\.rawValue)), "frozen": S.boolean, "chair": S.nullable("PersonRef"),
            "notes": S.string, "present": array("PersonRef"), "absent": array("PersonRef"),
            "minutesVersion": S.integer.described("The version the minutes will have when (next) approved"),
            "approvedVersion": S.nullableInteger, "preparedAt": nullableInstant, "approvedAt": nullableInstant,
            "approvedBy": S.nullable("PersonRef"), "version": S.integer, "canRun": S.boolean,
            "items": array("AgendaItem"), "outputs": array("MinutesOutput"),
        ]
        let minutesPerson = S.object(["id": S.string, "name": S.string, "company": S.nullableString])
        let minutesOutput = S.object(["reference": S.string, "type": S.enumeration(itemTypes), "title": S.string,
                                      "visibility": S.ref("MeetingVisibility")])
        let minutes: [String: JSONSchema] = [
            "projectKey": S.string, "seriesName": S.string, "occurrence": S.integer, "date": S.date, "startTime": clock,
            "durationMinutes": S.integer, "location": S.string, "chair": S.nullable("MinutesPerson"),
            "present": array("MinutesPerson"), "absent": array("MinutesPerson"), "notes": S.string, "version": S.integer,
            "approvedBy": S.nullable("MinutesPerson"), "approvedAt": nullableInstant,
            "items": S.array(.object([
                "position": S.integer, "rule": S.nullableEnumeration(AgendaRule.allCases.map(\.rawValue)), "reference": S.nullableString,
                "activityUid": S.nullableInteger, "title": S.string, "reasons": array("AgendaReason"), "notes": S.string,
                "carry": S.boolean, "visibility": S.ref("MeetingVisibility"), "outputs": array("MinutesDocumentOutput"),
            ])),
            "outputs": array("MinutesDocumentOutput"),
        ]

        let area = S.object([
            "area": S.enumeration(areas), "computed": S.enumeration(rags), "override": S.nullableEnumeration(rags),
            "overrideReason": S.nullableString, "rag": S.enumeration(rags),
            "reasons": array("StatusReason")
                .described("Codes: " + StatusReason.Code.allCases.map(\.rawValue).joined(separator: ", ")),
        ])
        let reportItem = S.object([
            "reference": S.string, "title": S.string, "status": S.string, "owner": S.nullableString, "dueDate": S.date,
            "score": S.nullableInteger.described("A risk's score (1–25) or an issue's priority rank (3 = critical)"),
            "priority": S.nullableEnumeration(["low", "medium", "high", "critical"]), "decider": S.nullableString,
            "visibility": S.ref("MeetingVisibility"),
        ])
        let milestone = S.object([
            "uid": S.integer, "name": S.string, "baselineFinish": S.date, "forecastFinish": S.date, "slipDays": S.nullableNumber,
            "done": S.boolean,
        ])
        let metrics = S.object([
            "hasPlan": S.boolean, "spi": S.nullableNumber, "cpi": S.nullableNumber, "plannedPercent": S.nullableNumber,
            "earnedPercent": S.nullableNumber, "bac": S.number, "pv": S.number, "ev": S.number, "ac": S.number, "eac": S.nullableNumber,
            "changesApproved": S.integer, "changesApprovedSinceLast": S.integer, "changeDaysApproved": S.number,
            "changeCostApproved": S.number, "changesPending": S.integer, "openIssues": S.integer, "openCriticalIssues": S.integer,
            "openHighIssues": S.integer, "openQualityRisks": S.integer, "openRisks": S.integer, "riskThreshold": S.integer,
            "risksAboveThreshold": S.integer, "risksRed": S.integer,
            "triggered": S.array(.object(["reference": S.string, "sign": S.string, "score": S.integer])),
        ])
        let areaChange = S.object([
            "area": S.enumeration(areas), "from": S.nullableEnumeration(rags), "to": S.enumeration(rags),
            "trend": S.integerEnumeration([-1, 0, 1]).described("1 better, 0 same, -1 worse"),
        ])
        let comparison = S.object([
            "previousDate": S.date, "areas": array("StatusAreaChange"),
            "metrics": S.array(.object(["name": S.string, "from": S.nullableNumber, "to": S.nullableNumber])),
            "newItems": array("ReportItem"), "goneItems": array("ReportItem"),
        ])
        let override = S.object([
            "area": S.enumeration(areas), "rag": S.enumeration(rags.filter { $0 != "grey" }),
            "reason": S.string.maxLength(2000).described("Required: why the figures do not tell the whole story"),
        ], required: ["area", "rag", "reason"])
        let report: [String: JSONSchema] = [
            "id": S.string, "projectKey": S.string, "projectName": S.string, "statusDate": S.date,
            "state": S.enumeration(StatusReportState.allCases.map(\.rawValue)), "version": S.integer, "createdAt": S.instant,
            "issuedAt": nullableInstant, "issuedBy": S.nullableString, "supersedes": S.nullableString,
            "supersededBy": S.nullableString, "canEdit": S.boolean, "canOverride": S.boolean, "overall": S.enumeration(rags),
            "areas": array("StatusArea"), "overrides": array("StatusOverride"), "metrics": S.ref("StatusMetrics"),
            "milestones": array("MilestoneStatus"), "topIssues": array("ReportItem"), "topRisks": array("ReportItem"),
            "decisionsNeeded": array("ReportItem"),
            "curve": S.array(.object(["date": S.date, "pv": S.number, "ev": S.nullableNumber, "ac": S.nullableNumber])),
            "comment": S.string, "done": S.string, "next": S.string, "comparison": S.ref("StatusComparison"),
        ]
        let portfolioRow = S.object([
            "projectKey": S.string, "projectName": S.string, "phase": S.string, "statusDate": S.date,
            "overall": S.nullableEnumeration(rags), "issuedAt": nullableInstant, "areas": array("StatusArea"), "previousDate": S.date,
            "trend": array("StatusAreaChange"),
        ])
        let kickoff = S.object([
            "projectKey": S.string, "projectName": S.string, "purpose": S.string, "businessOwner": S.string, "phase": S.string,
            "startDate": S.date, "targetDate": S.date, "scope": strings, "systems": strings,
            "members": S.array(.object(["name": S.string, "company": S.string, "role": S.string])),
            "phases": S.array(.object(["name": S.string, "definition": S.string, "exitCriteria": S.string,
                                       "start": S.date, "finish": S.date])),
            "milestones": array("MilestoneStatus"), "topIssues": array("ReportItem"), "topRisks": array("ReportItem"),
            "meetings": S.array(.object([
                "name": S.string, "purpose": S.string, "chair": S.nullableString, "firstDate": S.date, "weekday": S.integer,
                "intervalWeeks": S.integer, "startTime": clock, "durationMinutes": S.integer, "attendees": strings,
            ])),
            "lastReportDate": S.date,
        ])
        let text = S.nullableString.maxLength(StatusReportRules.textMax)

        return [
            "MeetingVisibility": visibility,
            "MeetingSeries": S.object(series),
            "MeetingSeriesList": S.list("MeetingSeries"),
            "MeetingSeriesCreate": S.object(seriesWritable, required: ["name", "firstDate"]),
            "MeetingSeriesPatch": S.object(seriesWritable),
            "MeetingOccurrenceSummary": S.object([
                "id": S.string, "number": S.integer, "date": S.date, "startTime": clock,
                "status": S.enumeration(OccurrenceStatus.allCases.map(\.rawValue)), "approvedVersions": S.integer,
            ]),
            "MeetingOccurrenceList": S.list("MeetingOccurrenceSummary"),
            "MeetingOccurrenceCreate": S.object(["number": S.integer.range(1, 10_000)
                .described("Default: the one after the last, else the first on or after today")]),
            "MeetingOccurrence": S.object(occurrence),
            "MeetingOccurrencePatch": S.object(["notes": S.nullableString,
                                                "present": arrayOrNull(.uuid).described("User ids of those present")]),
            "AgendaReason": reason,
            "AgendaItem": S.object(agendaItem),
            "AgendaItemCreate": S.object([
                "title": S.string.maxLength(MeetingRules.nameMax).described("Required unless reference is given"),
                "notes": S.nullableString,
                "reference": S.string.described("The item discussed, e.g. CRM-R3 or I12"),
            ]),
            "AgendaItemPatch": S.object([
                "title": S.string.maxLength(MeetingRules.nameMax), "notes": S.nullableString, "carry": S.boolean,
                "position": S.integer.minimum(1),
            ]),
            "MinutesOutput": S.object(output),
            "MinutesOutputCreate": S.object([
                "agendaItem": S.nullableUUID.described("The agenda item it came from; the new item is linked derived_from that item's item"),
                "type": S.enumeration(itemTypes),
                "fields": JSONSchema([.object]).described(
                    "The fields the register's create route takes (IssueCreate, RiskCreate, DecisionCreate, QuestionCreate, ChangeCreate, ActionCreate)"),
            ], required: ["type", "fields"]),
            "MinutesPerson": minutesPerson,
            "MinutesDocumentOutput": minutesOutput,
            "MinutesDocument": S.object(minutes),
            "MinutesVersionList": S.list("MinutesDocument"),
            "StatusReason": reason,
            "StatusArea": area,
            "StatusOverride": override,
            "ReportItem": reportItem,
            "MilestoneStatus": milestone,
            "StatusMetrics": metrics,
            "StatusAreaChange": areaChange,
            "StatusComparison": comparison,
            "StatusReport": S.object(report),
            "StatusReportSummary": S.object([
                "id": S.string, "statusDate": S.date, "state": S.enumeration(StatusReportState.allCases.map(\.rawValue)),
                "overall": S.nullableEnumeration(rags), "issuedAt": nullableInstant, "version": S.integer,
            ]),
            "StatusReportList": S.list("StatusReportSummary"),
            "StatusReportCreate": S.object(["statusDate": S.string.format("date")], required: ["statusDate"]),
            "StatusReportPatch": S.object([
                "overrides": arrayOrNull(.ref("StatusOverride")).described("Replaces the list; null clears it"),
                "comment": text, "done": text, "next": text,
            ]),
            "Portfolio": S.list("PortfolioRow"),
            "PortfolioRow": portfolioRow,
            "KickoffPack": kickoff,
        ]
    }
}
