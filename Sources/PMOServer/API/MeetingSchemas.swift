import Foundation
import PMOCore

/// OpenAPI schemas of the meeting, minutes, status report, portfolio and kickoff routes (`MeetingAPI`, `ReportAPI`),
/// written from the same enumerations the readers check (agenda rules, reason codes, areas, colours).
enum MeetingSchemas {
    typealias D = OpenAPIDocument

    nonisolated(unsafe) static let uuid: [String: Any] = ["type": "string", "format": "uuid"]
    nonisolated(unsafe) static let nullableUUID: [String: Any] = ["type": ["string", "null"], "format": "uuid"]
    nonisolated(unsafe) static let nullableInteger: [String: Any] = ["type": ["integer", "null"]]
    nonisolated(unsafe) static let number: [String: Any] = ["type": "number"]
    nonisolated(unsafe) static let nullableNumber: [String: Any] = ["type": ["number", "null"]]
    nonisolated(unsafe) static let nullableInstant: [String: Any] = ["type": ["string", "null"], "format": "date-time"]
    nonisolated(unsafe) static let clock: [String: Any] = [
        "type": "string", "pattern": "^[0-9]{1,2}:[0-5][0-9]$", "description": "Local time of day HH:MM",
    ]
    nonisolated(unsafe) static let strings: [String: Any] = ["type": "array", "items": ["type": "string"]]

    static func nullable(_ name: String) -> [String: Any] { ["oneOf": [D.ref(name), ["type": "null"]]] }
    static func array(_ name: String) -> [String: Any] { ["type": "array", "items": D.ref(name)] }
    static func nullableEnum(_ values: [String]) -> [String: Any] { ["type": ["string", "null"], "enum": values + [NSNull()]] }

    static var itemTypes: [String] { MeetingJSON.outputTypes }
    static var rags: [String] { RAG.allCases.map(\.rawValue) }
    static var areas: [String] { StatusArea.allCases.map(\.rawValue) }

    static var all: [String: Any] {
        let visibility = D.object([
            "scope": D.enumeration(VisibilityScope.allCases.map(\.rawValue)),
            "company": ["type": ["string", "null"], "format": "uuid", "description": "The company, for scope company"],
        ], required: ["scope"])
        let seriesWritable: [String: Any] = [
            "name": ["type": "string", "maxLength": MeetingRules.nameMax], "purpose": D.nullableString,
            "chair": ["type": ["string", "null"], "format": "uuid", "description": "The chair's user id"],
            "firstDate": ["type": "string", "format": "date", "description": "The date of occurrence 1"],
            "intervalWeeks": ["type": "integer", "minimum": 1, "maximum": 8, "description": "1 = weekly"],
            "startTime": clock, "durationMinutes": ["type": "integer", "minimum": 5, "maximum": 720],
            "location": D.nullableString,
            "attendees": ["type": ["array", "null"], "items": uuid, "description": "The standing attendees' user ids"],
            "rules": ["type": ["array", "null"], "items": D.enumeration(AgendaRule.allCases.map(\.rawValue)),
                      "description": "The agenda rules this series uses"],
            "riskThreshold": ["type": "integer", "minimum": 1, "maximum": 25],
            "company": ["type": ["string", "null"], "format": "uuid", "description": "Only this company's items and activities come to the agenda"],
            "visibility": D.ref("MeetingVisibility"),
        ]
        let series: [String: Any] = [
            "id": D.string, "projectKey": D.string, "name": D.string, "purpose": D.string, "chair": nullable("PersonRef"),
            "firstDate": D.date, "weekday": ["type": "integer", "minimum": 0, "maximum": 6, "description": "0 = Sunday"],
            "intervalWeeks": D.integer, "startTime": clock, "durationMinutes": D.integer, "location": D.string,
            "attendees": array("PersonRef"), "rules": ["type": "array", "items": D.enumeration(AgendaRule.allCases.map(\.rawValue))],
            "riskThreshold": D.integer, "company": nullable("PersonRef"), "visibility": D.ref("MeetingVisibility"),
            "version": D.integer, "canManage": D.boolean, "canRun": D.boolean,
        ]
        let reason = D.object(["code": D.string, "values": strings], required: ["code", "values"])
        let output: [String: Any] = [
            "id": D.string, "agendaItem": D.nullableString, "type": D.enumeration(itemTypes), "reference": D.string,
            "number": D.integer, "title": D.string, "status": D.string, "ownerId": nullableUUID, "dueDate": D.date,
            "visibility": D.ref("MeetingVisibility"),
        ]
        let agendaItem: [String: Any] = [
            "id": D.string, "position": D.integer, "rule": nullableEnum(AgendaRule.allCases.map(\.rawValue)),
            "itemType": nullableEnum(itemTypes), "itemNumber": nullableInteger, "reference": D.nullableString,
            "activityUid": nullableInteger, "title": D.string,
            "reasons": ["type": "array", "items": D.ref("AgendaReason"),
                        "description": "Codes: " + AgendaReason.Code.allCases.map(\.rawValue).joined(separator: ", ")],
            "notes": D.string, "carry": D.boolean, "visibility": D.ref("MeetingVisibility"), "version": D.integer,
            "outputs": array("MinutesOutput"),
        ]
        let occurrence: [String: Any] = [
            "id": D.string, "seriesId": D.string, "seriesName": D.string, "projectKey": D.string, "number": D.integer,
            "date": D.date, "startTime": clock, "durationMinutes": D.integer, "location": D.string,
            "status": D.enumeration(OccurrenceStatus.allCases.map(\.rawValue)), "frozen": D.boolean, "chair": nullable("PersonRef"),
            "notes": D.string, "present": array("PersonRef"), "absent": array("PersonRef"),
            "minutesVersion": ["type": "integer", "description": "The version the minutes will have when (next) approved"],
            "approvedVersion": nullableInteger, "preparedAt": nullableInstant, "approvedAt": nullableInstant,
            "approvedBy": nullable("PersonRef"), "version": D.integer, "canRun": D.boolean,
            "items": array("AgendaItem"), "outputs": array("MinutesOutput"),
        ]
        let minutesPerson = D.object(["id": D.string, "name": D.string, "company": D.nullableString])
        let minutesOutput = D.object(["reference": D.string, "type": D.enumeration(itemTypes), "title": D.string,
                                      "visibility": D.ref("MeetingVisibility")])
        let minutes: [String: Any] = [
            "projectKey": D.string, "seriesName": D.string, "occurrence": D.integer, "date": D.date, "startTime": clock,
            "durationMinutes": D.integer, "location": D.string, "chair": nullable("MinutesPerson"),
            "present": array("MinutesPerson"), "absent": array("MinutesPerson"), "notes": D.string, "version": D.integer,
            "approvedBy": nullable("MinutesPerson"), "approvedAt": nullableInstant,
            "items": ["type": "array", "items": D.object([
                "position": D.integer, "rule": nullableEnum(AgendaRule.allCases.map(\.rawValue)), "reference": D.nullableString,
                "activityUid": nullableInteger, "title": D.string, "reasons": array("AgendaReason"), "notes": D.string,
                "carry": D.boolean, "visibility": D.ref("MeetingVisibility"), "outputs": array("MinutesDocumentOutput"),
            ])],
            "outputs": array("MinutesDocumentOutput"),
        ]

        let area = D.object([
            "area": D.enumeration(areas), "computed": D.enumeration(rags), "override": nullableEnum(rags),
            "overrideReason": D.nullableString, "rag": D.enumeration(rags),
            "reasons": ["type": "array", "items": D.ref("StatusReason"),
                        "description": "Codes: " + StatusReason.Code.allCases.map(\.rawValue).joined(separator: ", ")],
        ])
        let reportItem = D.object([
            "reference": D.string, "title": D.string, "status": D.string, "owner": D.nullableString, "dueDate": D.date,
            "score": ["type": ["integer", "null"], "description": "A risk's score (1–25) or an issue's priority rank (3 = critical)"],
            "priority": nullableEnum(["low", "medium", "high", "critical"]), "decider": D.nullableString,
            "visibility": D.ref("MeetingVisibility"),
        ])
        let milestone = D.object([
            "uid": D.integer, "name": D.string, "baselineFinish": D.date, "forecastFinish": D.date, "slipDays": nullableNumber,
            "done": D.boolean,
        ])
        let metrics = D.object([
            "hasPlan": D.boolean, "spi": nullableNumber, "cpi": nullableNumber, "plannedPercent": nullableNumber,
            "earnedPercent": nullableNumber, "bac": number, "pv": number, "ev": number, "ac": number, "eac": nullableNumber,
            "changesApproved": D.integer, "changesApprovedSinceLast": D.integer, "changeDaysApproved": number,
            "changeCostApproved": number, "changesPending": D.integer, "openIssues": D.integer, "openCriticalIssues": D.integer,
            "openHighIssues": D.integer, "openQualityRisks": D.integer, "openRisks": D.integer, "riskThreshold": D.integer,
            "risksAboveThreshold": D.integer, "risksRed": D.integer,
            "triggered": ["type": "array", "items": D.object(["reference": D.string, "sign": D.string, "score": D.integer])],
        ])
        let areaChange = D.object([
            "area": D.enumeration(areas), "from": nullableEnum(rags), "to": D.enumeration(rags),
            "trend": ["type": "integer", "enum": [-1, 0, 1], "description": "1 better, 0 same, -1 worse"],
        ])
        let comparison = D.object([
            "previousDate": D.date, "areas": array("StatusAreaChange"),
            "metrics": ["type": "array", "items": D.object(["name": D.string, "from": nullableNumber, "to": nullableNumber])],
            "newItems": array("ReportItem"), "goneItems": array("ReportItem"),
        ])
        let override = D.object([
            "area": D.enumeration(areas), "rag": D.enumeration(rags.filter { $0 != "grey" }),
            "reason": ["type": "string", "maxLength": 2000, "description": "Required: why the figures do not tell the whole story"],
        ], required: ["area", "rag", "reason"])
        let report: [String: Any] = [
            "id": D.string, "projectKey": D.string, "projectName": D.string, "statusDate": D.date,
            "state": D.enumeration(StatusReportState.allCases.map(\.rawValue)), "version": D.integer, "createdAt": D.instant,
            "issuedAt": nullableInstant, "issuedBy": D.nullableString, "supersedes": D.nullableString,
            "supersededBy": D.nullableString, "canEdit": D.boolean, "canOverride": D.boolean, "overall": D.enumeration(rags),
            "areas": array("StatusArea"), "overrides": array("StatusOverride"), "metrics": D.ref("StatusMetrics"),
            "milestones": array("MilestoneStatus"), "topIssues": array("ReportItem"), "topRisks": array("ReportItem"),
            "decisionsNeeded": array("ReportItem"),
            "curve": ["type": "array", "items": D.object(["date": D.date, "pv": number, "ev": nullableNumber, "ac": nullableNumber])],
            "comment": D.string, "done": D.string, "next": D.string, "comparison": D.ref("StatusComparison"),
        ]
        let portfolioRow = D.object([
            "projectKey": D.string, "projectName": D.string, "phase": D.string, "statusDate": D.date,
            "overall": nullableEnum(rags), "issuedAt": nullableInstant, "areas": array("StatusArea"), "previousDate": D.date,
            "trend": array("StatusAreaChange"),
        ])
        let kickoff = D.object([
            "projectKey": D.string, "projectName": D.string, "purpose": D.string, "businessOwner": D.string, "phase": D.string,
            "startDate": D.date, "targetDate": D.date, "scope": strings, "systems": strings,
            "members": ["type": "array", "items": D.object(["name": D.string, "company": D.string, "role": D.string])],
            "phases": ["type": "array", "items": D.object(["name": D.string, "definition": D.string, "exitCriteria": D.string,
                                                            "start": D.date, "finish": D.date])],
            "milestones": array("MilestoneStatus"), "topIssues": array("ReportItem"), "topRisks": array("ReportItem"),
            "meetings": ["type": "array", "items": D.object([
                "name": D.string, "purpose": D.string, "chair": D.nullableString, "firstDate": D.date, "weekday": D.integer,
                "intervalWeeks": D.integer, "startTime": clock, "durationMinutes": D.integer, "attendees": strings,
            ])],
            "lastReportDate": D.date,
        ])
        let text: [String: Any] = ["type": ["string", "null"], "maxLength": StatusReportRules.textMax]

        return [
            "MeetingVisibility": visibility,
            "MeetingSeries": D.object(series),
            "MeetingSeriesList": D.list("MeetingSeries"),
            "MeetingSeriesCreate": D.object(seriesWritable, required: ["name", "firstDate"]),
            "MeetingSeriesPatch": D.object(seriesWritable),
            "MeetingOccurrenceSummary": D.object([
                "id": D.string, "number": D.integer, "date": D.date, "startTime": clock,
                "status": D.enumeration(OccurrenceStatus.allCases.map(\.rawValue)), "approvedVersions": D.integer,
            ]),
            "MeetingOccurrenceList": D.list("MeetingOccurrenceSummary"),
            "MeetingOccurrenceCreate": D.object(["number": ["type": "integer", "minimum": 1, "maximum": 10_000,
                                                            "description": "Default: the one after the last, else the first on or after today"]]),
            "MeetingOccurrence": D.object(occurrence),
            "MeetingOccurrencePatch": D.object(["notes": D.nullableString,
                                                "present": ["type": ["array", "null"], "items": uuid, "description": "User ids of those present"]]),
            "AgendaReason": reason,
            "AgendaItem": D.object(agendaItem),
            "AgendaItemCreate": D.object([
                "title": ["type": "string", "maxLength": MeetingRules.nameMax, "description": "Required unless reference is given"],
                "notes": D.nullableString,
                "reference": ["type": "string", "description": "The item discussed, e.g. CRM-R3 or I12"],
            ]),
            "AgendaItemPatch": D.object([
                "title": ["type": "string", "maxLength": MeetingRules.nameMax], "notes": D.nullableString, "carry": D.boolean,
                "position": ["type": "integer", "minimum": 1],
            ]),
            "MinutesOutput": D.object(output),
            "MinutesOutputCreate": D.object([
                "agendaItem": ["type": ["string", "null"], "format": "uuid",
                               "description": "The agenda item it came from; the new item is linked derived_from that item's item"],
                "type": D.enumeration(itemTypes),
                "fields": ["type": "object",
                           "description": "The fields the register's create route takes (IssueCreate, RiskCreate, DecisionCreate, QuestionCreate, ChangeCreate, ActionCreate)"],
            ], required: ["type", "fields"]),
            "MinutesPerson": minutesPerson,
            "MinutesDocumentOutput": minutesOutput,
            "MinutesDocument": D.object(minutes),
            "MinutesVersionList": D.list("MinutesDocument"),
            "StatusReason": reason,
            "StatusArea": area,
            "StatusOverride": override,
            "ReportItem": reportItem,
            "MilestoneStatus": milestone,
            "StatusMetrics": metrics,
            "StatusAreaChange": areaChange,
            "StatusComparison": comparison,
            "StatusReport": D.object(report),
            "StatusReportSummary": D.object([
                "id": D.string, "statusDate": D.date, "state": D.enumeration(StatusReportState.allCases.map(\.rawValue)),
                "overall": nullableEnum(rags), "issuedAt": nullableInstant, "version": D.integer,
            ]),
            "StatusReportList": D.list("StatusReportSummary"),
            "StatusReportCreate": D.object(["statusDate": ["type": "string", "format": "date"]], required: ["statusDate"]),
            "StatusReportPatch": D.object([
                "overrides": ["type": ["array", "null"], "items": D.ref("StatusOverride"), "description": "Replaces the list; null clears it"],
                "comment": text, "done": text, "next": text,
            ]),
            "Portfolio": D.list("PortfolioRow"),
            "PortfolioRow": portfolioRow,
            "KickoffPack": kickoff,
        ]
    }
}
