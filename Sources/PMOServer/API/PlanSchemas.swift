import Foundation
import PMOCore

/// OpenAPI schemas of the plan routes, and what the generic document cannot say about them: integer path parameters,
/// the query parameters' meaning, the XML upload of an import and the file answers of the exports.
enum PlanSchemas {
    typealias S = JSONSchema

    /// A plan time: local wall-clock `YYYY-MM-DDTHH:MM:00` (no offset).
    static let localTime = S.nullableString.described("Local time of the plan's calendar, YYYY-MM-DDTHH:MM:00 (no offset)")
    /// A day, or an exact local time, as entered.
    static let when = S.nullableString.described(
        "YYYY-MM-DD (a start constraint: the day's first working minute; a finish constraint or deadline: the end of its last working period) or YYYY-MM-DDTHH:MM")
    static let uuid = S.nullableUUID
    static let ranges = S.array(S.array(S.string.pattern("^[0-2][0-9]:[0-5][0-9]$")).itemCount(2...2))
    static var constraintKinds: [String] { ActivityConstraint.Kind.allCases.map(\.rawValue) }

    /// Query parameters of the plan routes (merged with the document's own descriptions).
    static let queryDescriptions: [String: String] = [
        "mode": "preview (the default: nothing is stored) or apply",
        "under": "Import under this activity (its uid); the top level when left out",
        "key": "The new project's key",
        "name": "The new project's name",
        "at": "Status date YYYY-MM-DD (default: the plan's status date)",
        "baseline": "Baseline number 0–10 that PV is measured against (default: the latest baseline)",
        "branch": "Export only this activity (its uid) and everything under it",
    ]

    /// Path parameters that are numbers.
    static func pathParameter(_ name: String) -> JSONSchema? {
        switch name {
        case "uid": S.integer.minimum(0)
        case "n": S.integer.range(0, 10)
        default: nil
        }
    }

    /// Request bodies that are files rather than JSON (answers that are files are declared with `files:` on the route).
    static func decorate(_ paths: inout [String: [String: OpenAPIDocument.Operation]]) {
        let xmlUpload = OpenAPIDocument.RequestBody(content: [
            "application/xml": .init(schema: S.string.described("A Microsoft Project XML (MSPDI) file, at most 30 MB")),
            "application/octet-stream": .init(schema: S.string.format("binary")),
        ])
        for path in ["/api/v1/projects/{key}/plan/import", "/api/v1/plan-imports"] {
            paths[path]?["post"]?.requestBody = xmlUpload
        }
    }

    static var all: [String: JSONSchema] {
        let ev: [String: JSONSchema] = [
            "bac": .number, "pv": .number, "ev": .number, "ac": .number, "sv": .number, "cv": .number, "spi": .nullableNumber,
            "cpi": .nullableNumber, "eac": .number, "eacTypical": .nullableNumber, "eacAtypical": .number, "eacCombined": .nullableNumber,
            "etc": .number, "etcAtBudget": .number, "etcAtCpi": .nullableNumber, "vac": .number, "tcpi": .nullableNumber,
        ]
        let byCompany = ev.merging(["companyId": uuid, "companyName": .nullableString]) { _, new in new }
        let byBranch = ev.merging(["uid": .integer, "outline": .string, "name": .string]) { _, new in new }

        let writable: [String: JSONSchema] = [
            "name": S.string.maxLength(PlanRules.nameMax),
            "kind": .enumeration(["task", "milestone"]),
            "parentUid": .nullableInteger,
            "durationDays": S.number.minimum(0).described("Working days of minutesPerDay (give this or durationMinutes)"),
            "durationMinutes": S.integer.minimum(0),
            "constraint": .nullable("PlanConstraintInput"),
            "deadline": when, "ownerId": uuid, "companyId": uuid, "calendarUid": .nullableInteger,
            "system": S.string.maxLength(PlanRules.nameMax), "phaseId": uuid,
            "costBasis": .enumeration(CostBasis.allCases.map(\.rawValue)),
            "budgetAmount": S.number.minimum(0), "effortHours": S.number.minimum(0),
            "notes": .nullableString,
        ]
        var create = writable
        create["afterUid"] = S.integer.described("Place the new activity after this sibling (last when left out)")

        let activity: [String: JSONSchema] = [
            "uid": .integer, "parentUid": .nullableInteger, "outline": .string, "level": .integer, "name": .string,
            "kind": .enumeration(["summary", "task", "milestone"]),
            "durationDays": .number, "durationMinutes": .integer, "durationElapsed": .boolean,
            "start": localTime, "finish": localTime, "earlyStart": localTime, "earlyFinish": localTime,
            "lateStart": localTime, "lateFinish": localTime, "totalFloatDays": .nullableNumber, "freeFloatDays": .nullableNumber,
            "critical": .boolean, "constraint": .ref("PlanConstraint"), "deadline": localTime, "calendarUid": .nullableInteger,
            "owner": .nullable("PersonRef"), "company": .nullable("PersonRef"),
            "system": .string, "phaseId": uuid, "percentComplete": .number, "actualStart": localTime, "actualFinish": localTime,
            "remainingDays": .nullableNumber, "progressStatusDate": .date, "notes": .string, "version": .integer,
            "canUpdateProgress": .boolean,
            "budget": S.nullableNumber.described("null when you may not see this activity's cost"),
            "actualCost": S.nullableNumber.described("null when you may not see this activity's cost"),
            "costBasis": .nullableEnumeration(CostBasis.allCases.map(\.rawValue)),
            "budgetAmount": .nullableNumber, "effortHours": .nullableNumber, "actualHours": .nullableNumber,
        ]
        let diagnostic = S.object(["code": .string, "message": .string, "activities": .array(.integer)])
        let lag: [String: JSONSchema] = [
            "lagKind": .enumeration(["working", "elapsed", "percent"]), "lagMinutes": .nullableInteger, "lagDays": .nullableNumber,
            "lagPercent": .nullableNumber,
        ]
        let dependency = lag.merging([
            "id": .string, "predecessorUid": .integer, "successorUid": .integer, "predecessorName": .string,
            "successorName": .string, "type": .enumeration(["FS", "SS", "FF", "SF"]),
        ]) { _, new in new }
        var repeats = S.object([
            "type": .enumeration(["daily", "weekly", "monthlyDay", "monthlyWeekday", "yearlyDate", "yearlyWeekday"]),
            "interval": .integer, "weekdays": .array(.integer), "day": .integer, "month": .integer,
            "ordinal": .integer, "weekday": .integer,
        ])
        repeats.types = [.object, .null]
        let exception = S.object(["name": .string, "from": .date, "to": .date, "working": ranges, "repeats": repeats],
                                 required: ["name", "from"])
        let calendarWritable: [String: JSONSchema] = [
            "name": .string, "week": S.array(ranges).itemCount(7...7).described("Sunday first"),
            "holidays": .enumeration(["japan", "none"]), "exceptions": .array(.ref("PlanCalendarException")),
            "timeZone": .string,
        ]
        let calendar = calendarWritable.merging([
            "uid": .integer, "baseUid": .nullableInteger, "companyId": uuid, "isDefault": .boolean,
        ]) { _, new in new }
        let closure = S.object(["name": .string, "from": .date, "to": .date], required: ["name", "from"])
        let phase = S.object(["id": .string, "name": .string, "definition": .string, "exitCriteria": .string], required: ["name"])
        let baseline = S.object(["number": .integer, "name": .string, "takenOn": .date, "activities": .integer])

        return [
            "PlanSettings": .object([
                "projectKey": .string, "name": .string, "start": .date, "startTime": localTime, "statusDate": .date,
                "minutesPerDay": .integer, "defaultCalendarUid": .integer, "version": .integer, "activityCount": .integer,
                "canEdit": .boolean, "hasFeed": .boolean,
            ]),
            "PlanSettingsPatch": .object(["name": .string, "start": .date, "minutesPerDay": S.integer.range(60, 1440)]),
            "PlanStatusDate": .object(["date": .date], required: ["date"]),
            "PlanConstraint": .object(["type": .enumeration(constraintKinds), "date": localTime]),
            "PlanConstraintInput": .object(["type": .enumeration(constraintKinds), "date": when], required: ["type"]),
            "PlanDiagnostic": diagnostic,
            "PlanActivity": .object(activity),
            "PlanActivityList": .list("PlanActivity"),
            "PlanActivityCreate": .object(create, required: ["name"]),
            "PlanActivityPatch": .object(writable),
            "PlanSchedule": .object([
                "projectKey": .string, "name": .string, "version": .integer, "statusDate": .date, "minutesPerDay": .integer,
                "projectStart": localTime, "projectFinish": localTime, "scheduled": .boolean, "canEdit": .boolean,
                "diagnostics": .array(.ref("PlanDiagnostic")),
                "items": .array(.ref("PlanActivity")),
            ], required: ["items", "diagnostics"]),
            "PlanMove": .object(["move": .enumeration(["indent", "outdent", "up", "down"])], required: ["move"]),
            "PlanProgress": .object([
                "actualStart": .date, "actualFinish": .date, "percentComplete": S.number.range(0, 100),
                "remainingDays": S.number.minimum(0), "actualCost": S.number.minimum(0),
                "actualHours": S.number.minimum(0),
            ]),
            "PlanProgressReview": .object([
                "statusDate": .date, "previousStatusDate": .date, "statusDates": .array(.string),
                "changes": .array(.object([
                    "uid": .integer, "name": .string, "statusDate": .date, "recordedBy": .nullableString, "recordedAt": .instant,
                    "percentBefore": .number, "percentAfter": .number, "actualStart": localTime, "actualFinish": localTime,
                ])),
                "notUpdated": .array(.object([
                    "uid": .integer, "outline": .string, "name": .string, "owner": .nullable("PersonRef"),
                    "company": .nullable("PersonRef"), "percentComplete": .number,
                ])),
            ]),
            "PlanDependency": .object(dependency),
            "PlanDependencyList": .list("PlanDependency"),
            "PlanDependencyCreate": .object([
                "predecessorUid": .integer, "successorUid": .integer, "type": .enumeration(["FS", "SS", "FF", "SF"]),
                "lagDays": .number, "lagMinutes": .integer, "lagKind": .enumeration(["working", "elapsed", "percent"]),
                "lagPercent": .number,
            ], required: ["predecessorUid", "successorUid"]),
            "PlanCalendarException": exception,
            "PlanCalendar": .object(calendar),
            "PlanCalendarList": .list("PlanCalendar"),
            "PlanCalendarPut": .object(calendarWritable, required: ["week"]),
            "PlanCompany": .object([
                "companyId": .string, "companyName": .string, "hourlyRate": .nullableNumber, "calendarUid": .nullableInteger,
                "closures": .array(closure),
            ]),
            "PlanCompanyList": .list("PlanCompany"),
            "PlanCompanyPut": .object(["hourlyRate": .nullableNumber, "closures": .array(closure)]),
            "PlanPhase": phase,
            "PlanPhaseList": .list("PlanPhase"),
            "PlanBaseline": baseline,
            "PlanBaselineList": .list("PlanBaseline"),
            "PlanBaselineCreate": .object(["number": S.integer.range(0, 10), "name": .string, "replace": .boolean], required: ["name"]),
            "PlanBaselineComparison": .object([
                "baseline": .ref("PlanBaseline"),
                "items": .array(.object([
                    "uid": .integer, "outline": .string, "name": .string, "baselineStart": localTime, "baselineFinish": localTime,
                    "start": localTime, "finish": localTime, "startSlipDays": .nullableNumber, "finishSlipDays": .nullableNumber,
                    "milestone": .boolean, "critical": .boolean,
                ])),
            ]),
            "PlanEarnedValueFigures": .object(ev),
            "PlanEarnedValue": .object([
                "statusDate": .date, "baseline": .nullableInteger, "scope": .enumeration(["project", "company"]),
                "companyId": uuid, "project": .nullable("PlanEarnedValueFigures"),
                "byCompany": .array(.object(byCompany)),
                "byBranch": .array(.object(byBranch)),
                "trend": .array(.object(["statusDate": .date, "pv": .number, "ev": .number, "ac": .number,
                                         "spi": .nullableNumber, "cpi": .nullableNumber])),
                "pvCurve": .array(.object(["date": .date, "pv": .number])),
            ]),
            "PlanImportSummary": .object([
                "applied": .boolean, "projectKey": .string, "activities": .integer, "links": .integer,
                "calendars": .array(.string), "baselines": .array(.integer),
                "rows": .array(.object(["outline": .string, "name": .string, "start": localTime, "finish": localTime, "critical": .boolean])),
                "problems": .array(.ref("PlanDiagnostic")),
            ]),
            "PlanFeedToken": .object(["url": .string, "path": .string, "token": .string]),
        ]
    }
}
