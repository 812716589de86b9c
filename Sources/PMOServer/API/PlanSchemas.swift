import Foundation
import PMOCore

/// OpenAPI schemas of the plan routes, and what the generic document cannot say about them: integer path parameters,
/// the query parameters' meaning, the XML upload of an import and the file answers of the exports.
enum PlanSchemas {
    typealias D = OpenAPIDocument

    nonisolated(unsafe) static let number: [String: Any] = ["type": "number"]
    nonisolated(unsafe) static let nullableNumber: [String: Any] = ["type": ["number", "null"]]
    nonisolated(unsafe) static let nullableInteger: [String: Any] = ["type": ["integer", "null"]]
    /// A plan time: local wall-clock `YYYY-MM-DDTHH:MM:00` (no offset).
    nonisolated(unsafe) static let localTime: [String: Any] = [
        "type": ["string", "null"], "description": "Local time of the plan's calendar, YYYY-MM-DDTHH:MM:00 (no offset)",
    ]
    /// A day, or an exact local time, as entered.
    nonisolated(unsafe) static let when: [String: Any] = [
        "type": ["string", "null"], "description": "YYYY-MM-DD (a start constraint: the day's first working minute; a finish constraint or deadline: the end of its last working period) or YYYY-MM-DDTHH:MM",
    ]
    nonisolated(unsafe) static let uuid: [String: Any] = ["type": ["string", "null"], "format": "uuid"]
    nonisolated(unsafe) static let ranges: [String: Any] = [
        "type": "array", "items": ["type": "array", "items": ["type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"], "minItems": 2, "maxItems": 2],
    ]
    static var constraintKinds: [String] { ActivityConstraint.Kind.allCases.map(\.rawValue) }

    /// Query parameters of the plan routes (merged with the document's own descriptions).
    nonisolated(unsafe) static let queryDescriptions: [String: String] = [
        "mode": "preview (the default: nothing is stored) or apply",
        "under": "Import under this activity (its uid); the top level when left out",
        "key": "The new project's key",
        "name": "The new project's name",
        "at": "Status date YYYY-MM-DD (default: the plan's status date)",
        "baseline": "Baseline number 0–10 that PV is measured against (default: the latest baseline)",
        "branch": "Export only this activity (its uid) and everything under it",
    ]

    /// Path parameters that are numbers.
    static func pathParameter(_ name: String) -> [String: Any]? {
        switch name {
        case "uid": ["type": "integer", "minimum": 0]
        case "n": ["type": "integer", "minimum": 0, "maximum": 10]
        default: nil
        }
    }

    /// Request bodies that are files rather than JSON (answers that are files are declared with `files:` on the route).
    static func decorate(_ paths: inout [String: [String: Any]]) {
        let xmlUpload: [String: Any] = ["required": true, "content": [
            "application/xml": ["schema": ["type": "string", "description": "A Microsoft Project XML (MSPDI) file, at most 30 MB"]],
            "application/octet-stream": ["schema": ["type": "string", "format": "binary"]],
        ]]
        for path in ["/api/v1/projects/{key}/plan/import", "/api/v1/plan-imports"] {
            if var op = paths[path]?["post"] as? [String: Any] {
                op["requestBody"] = xmlUpload
                paths[path]?["post"] = op
            }
        }
    }

    static var all: [String: Any] {
        let ev: [String: Any] = [
            "bac": number, "pv": number, "ev": number, "ac": number, "sv": number, "cv": number, "spi": nullableNumber,
            "cpi": nullableNumber, "eac": number, "eacTypical": nullableNumber, "eacAtypical": number, "eacCombined": nullableNumber,
            "etc": number, "etcAtBudget": number, "etcAtCpi": nullableNumber, "vac": number, "tcpi": nullableNumber,
        ]
        var byCompany = ev
        byCompany["companyId"] = uuid
        byCompany["companyName"] = D.nullableString
        var byBranch = ev
        byBranch["uid"] = D.integer
        byBranch["outline"] = D.string
        byBranch["name"] = D.string

        let writable: [String: Any] = [
            "name": ["type": "string", "maxLength": PlanRules.nameMax],
            "kind": D.enumeration(["task", "milestone"]),
            "parentUid": nullableInteger,
            "durationDays": ["type": "number", "minimum": 0, "description": "Working days of minutesPerDay (give this or durationMinutes)"],
            "durationMinutes": ["type": "integer", "minimum": 0],
            "constraint": ["oneOf": [D.ref("PlanConstraintInput"), ["type": "null"]]],
            "deadline": when, "ownerId": uuid, "companyId": uuid, "calendarUid": nullableInteger,
            "system": ["type": "string", "maxLength": PlanRules.nameMax], "phaseId": uuid,
            "costBasis": D.enumeration(CostBasis.allCases.map(\.rawValue)),
            "budgetAmount": ["type": "number", "minimum": 0], "effortHours": ["type": "number", "minimum": 0],
            "notes": D.nullableString,
        ]
        var create = writable
        create["afterUid"] = ["type": "integer", "description": "Place the new activity after this sibling (last when left out)"]

        let activity: [String: Any] = [
            "uid": D.integer, "parentUid": nullableInteger, "outline": D.string, "level": D.integer, "name": D.string,
            "kind": D.enumeration(["summary", "task", "milestone"]),
            "durationDays": number, "durationMinutes": D.integer, "durationElapsed": D.boolean,
            "start": localTime, "finish": localTime, "earlyStart": localTime, "earlyFinish": localTime,
            "lateStart": localTime, "lateFinish": localTime, "totalFloatDays": nullableNumber, "freeFloatDays": nullableNumber,
            "critical": D.boolean, "constraint": D.ref("PlanConstraint"), "deadline": localTime, "calendarUid": nullableInteger,
            "owner": ["oneOf": [D.ref("PersonRef"), ["type": "null"]]], "company": ["oneOf": [D.ref("PersonRef"), ["type": "null"]]],
            "system": D.string, "phaseId": uuid, "percentComplete": number, "actualStart": localTime, "actualFinish": localTime,
            "remainingDays": nullableNumber, "progressStatusDate": D.date, "notes": D.string, "version": D.integer,
            "canUpdateProgress": D.boolean,
            "budget": ["type": ["number", "null"], "description": "null when you may not see this activity's cost"],
            "actualCost": ["type": ["number", "null"], "description": "null when you may not see this activity's cost"],
            "costBasis": ["type": ["string", "null"], "enum": CostBasis.allCases.map(\.rawValue) + [NSNull()]],
            "budgetAmount": nullableNumber, "effortHours": nullableNumber, "actualHours": nullableNumber,
        ]
        let diagnostic = D.object(["code": D.string, "message": D.string, "activities": ["type": "array", "items": D.integer]])
        let lag: [String: Any] = [
            "lagKind": D.enumeration(["working", "elapsed", "percent"]), "lagMinutes": nullableInteger, "lagDays": nullableNumber,
            "lagPercent": nullableNumber,
        ]
        var dependency: [String: Any] = [
            "id": D.string, "predecessorUid": D.integer, "successorUid": D.integer, "predecessorName": D.string,
            "successorName": D.string, "type": D.enumeration(["FS", "SS", "FF", "SF"]),
        ]
        for (k, v) in lag { dependency[k] = v }
        let exception = D.object([
            "name": D.string, "from": D.date, "to": D.date, "working": ranges,
            "repeats": ["type": ["object", "null"], "properties": [
                "type": D.enumeration(["daily", "weekly", "monthlyDay", "monthlyWeekday", "yearlyDate", "yearlyWeekday"]),
                "interval": D.integer, "weekdays": ["type": "array", "items": D.integer], "day": D.integer, "month": D.integer,
                "ordinal": D.integer, "weekday": D.integer,
            ]],
        ], required: ["name", "from"])
        let calendarWritable: [String: Any] = [
            "name": D.string, "week": ["type": "array", "items": ranges, "minItems": 7, "maxItems": 7, "description": "Sunday first"],
            "holidays": D.enumeration(["japan", "none"]), "exceptions": ["type": "array", "items": D.ref("PlanCalendarException")],
            "timeZone": D.string,
        ]
        var calendar = calendarWritable
        calendar["uid"] = D.integer
        calendar["baseUid"] = nullableInteger
        calendar["companyId"] = uuid
        calendar["isDefault"] = D.boolean
        let closure = D.object(["name": D.string, "from": D.date, "to": D.date], required: ["name", "from"])
        let phase = D.object(["id": D.string, "name": D.string, "definition": D.string, "exitCriteria": D.string], required: ["name"])
        let baseline = D.object(["number": D.integer, "name": D.string, "takenOn": D.date, "activities": D.integer])

        return [
            "PlanSettings": D.object([
                "projectKey": D.string, "name": D.string, "start": D.date, "startTime": localTime, "statusDate": D.date,
                "minutesPerDay": D.integer, "defaultCalendarUid": D.integer, "version": D.integer, "activityCount": D.integer,
                "canEdit": D.boolean, "hasFeed": D.boolean,
            ]),
            "PlanSettingsPatch": D.object(["name": D.string, "start": D.date, "minutesPerDay": ["type": "integer", "minimum": 60, "maximum": 1440]]),
            "PlanStatusDate": D.object(["date": D.date], required: ["date"]),
            "PlanConstraint": D.object(["type": D.enumeration(constraintKinds), "date": localTime]),
            "PlanConstraintInput": D.object(["type": D.enumeration(constraintKinds), "date": when], required: ["type"]),
            "PlanDiagnostic": diagnostic,
            "PlanActivity": D.object(activity),
            "PlanActivityList": D.list("PlanActivity"),
            "PlanActivityCreate": D.object(create, required: ["name"]),
            "PlanActivityPatch": D.object(writable),
            "PlanSchedule": D.object([
                "projectKey": D.string, "name": D.string, "version": D.integer, "statusDate": D.date, "minutesPerDay": D.integer,
                "projectStart": localTime, "projectFinish": localTime, "scheduled": D.boolean, "canEdit": D.boolean,
                "diagnostics": ["type": "array", "items": D.ref("PlanDiagnostic")],
                "items": ["type": "array", "items": D.ref("PlanActivity")],
            ], required: ["items", "diagnostics"]),
            "PlanMove": D.object(["move": D.enumeration(["indent", "outdent", "up", "down"])], required: ["move"]),
            "PlanProgress": D.object([
                "actualStart": D.date, "actualFinish": D.date, "percentComplete": ["type": "number", "minimum": 0, "maximum": 100],
                "remainingDays": ["type": "number", "minimum": 0], "actualCost": ["type": "number", "minimum": 0],
                "actualHours": ["type": "number", "minimum": 0],
            ]),
            "PlanProgressReview": D.object([
                "statusDate": D.date, "previousStatusDate": D.date, "statusDates": ["type": "array", "items": D.string],
                "changes": ["type": "array", "items": D.object([
                    "uid": D.integer, "name": D.string, "statusDate": D.date, "recordedBy": D.nullableString, "recordedAt": D.instant,
                    "percentBefore": number, "percentAfter": number, "actualStart": localTime, "actualFinish": localTime,
                ])],
                "notUpdated": ["type": "array", "items": D.object([
                    "uid": D.integer, "outline": D.string, "name": D.string, "owner": ["oneOf": [D.ref("PersonRef"), ["type": "null"]]],
                    "company": ["oneOf": [D.ref("PersonRef"), ["type": "null"]]], "percentComplete": number,
                ])],
            ]),
            "PlanDependency": D.object(dependency),
            "PlanDependencyList": D.list("PlanDependency"),
            "PlanDependencyCreate": D.object([
                "predecessorUid": D.integer, "successorUid": D.integer, "type": D.enumeration(["FS", "SS", "FF", "SF"]),
                "lagDays": number, "lagMinutes": D.integer, "lagKind": D.enumeration(["working", "elapsed", "percent"]),
                "lagPercent": number,
            ], required: ["predecessorUid", "successorUid"]),
            "PlanCalendarException": exception,
            "PlanCalendar": D.object(calendar),
            "PlanCalendarList": D.list("PlanCalendar"),
            "PlanCalendarPut": D.object(calendarWritable, required: ["week"]),
            "PlanCompany": D.object([
                "companyId": D.string, "companyName": D.string, "hourlyRate": nullableNumber, "calendarUid": nullableInteger,
                "closures": ["type": "array", "items": closure],
            ]),
            "PlanCompanyList": D.list("PlanCompany"),
            "PlanCompanyPut": D.object(["hourlyRate": nullableNumber, "closures": ["type": "array", "items": closure]]),
            "PlanPhase": phase,
            "PlanPhaseList": D.list("PlanPhase"),
            "PlanBaseline": baseline,
            "PlanBaselineList": D.list("PlanBaseline"),
            "PlanBaselineCreate": D.object(["number": ["type": "integer", "minimum": 0, "maximum": 10], "name": D.string,
                                            "replace": D.boolean], required: ["name"]),
            "PlanBaselineComparison": D.object([
                "baseline": D.ref("PlanBaseline"),
                "items": ["type": "array", "items": D.object([
                    "uid": D.integer, "outline": D.string, "name": D.string, "baselineStart": localTime, "baselineFinish": localTime,
                    "start": localTime, "finish": localTime, "startSlipDays": nullableNumber, "finishSlipDays": nullableNumber,
                    "milestone": D.boolean, "critical": D.boolean,
                ])],
            ]),
            "PlanEarnedValueFigures": D.object(ev),
            "PlanEarnedValue": D.object([
                "statusDate": D.date, "baseline": nullableInteger, "scope": D.enumeration(["project", "company"]),
                "companyId": uuid, "project": ["oneOf": [D.ref("PlanEarnedValueFigures"), ["type": "null"]]],
                "byCompany": ["type": "array", "items": D.object(byCompany)],
                "byBranch": ["type": "array", "items": D.object(byBranch)],
                "trend": ["type": "array", "items": D.object(["statusDate": D.date, "pv": number, "ev": number, "ac": number,
                                                               "spi": nullableNumber, "cpi": nullableNumber])],
                "pvCurve": ["type": "array", "items": D.object(["date": D.date, "pv": number])],
            ]),
            "PlanImportSummary": D.object([
                "applied": D.boolean, "projectKey": D.string, "activities": D.integer, "links": D.integer,
                "calendars": ["type": "array", "items": D.string], "baselines": ["type": "array", "items": D.integer],
                "rows": ["type": "array", "items": D.object(["outline": D.string, "name": D.string, "start": localTime,
                                                              "finish": localTime, "critical": D.boolean])],
                "problems": ["type": "array", "items": D.ref("PlanDiagnostic")],
            ]),
            "PlanFeedToken": D.object(["url": D.string, "path": D.string, "token": D.string]),
        ]
    }
}
