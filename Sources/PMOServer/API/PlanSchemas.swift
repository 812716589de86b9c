import Foundation
import PMOCore

/// OpenAPI schemas of the plan routes, and what the generic document cannot say about them: integer path parameters,
/// the query parameters' meaning, the XML upload of an import and the file answers of the exports.
enum PlanSchemas {
    typealias S = JSONSchema

    /// A plan time: local wall-clock `YYYY-MM-DDTHH:MM:00` (no offset).
    static let localTime = S.nullableString.described("Local time of the plan's calendar, YYYY-MM-DDTHH:MM:00 (no offset)")
    /// A day, or an exact local time, as entered.
    /// A day or a local time. The time's pattern stops at day 28 so that every string it admits is a real date (the
    /// server takes any real one, 2026-01-31T17:00 too); a pattern cannot know the length of a month.
    /// The alternatives name no type, so that null (allowed by the outer schema) passes both.
    static let when = S.nullableString.anyOf([
        JSONSchema([]).format("date"),
        JSONSchema([]).pattern("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]$"),
    ]).described(
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
        for (i, parameter) in (paths["/api/v1/plan-imports"]?["post"]?.parameters ?? []).enumerated() where ["key", "name"].contains(parameter.name) {
            paths["/api/v1/plan-imports"]?["post"]?.parameters?[i].required = true
        }
        for path in ["/api/v1/projects/{key}/plan/import", "/api/v1/plan-imports"] {
            paths[path]?["post"]?.requestBody = xmlUpload
        }
    }

    /// The request bodies, and the answers `PlanJSON` writes straight into bytes (schedule and activities).
    /// The other answers are types whose schemas are derived (`PlanBodies`, `derivedBodies`).
    /// The plan's request bodies that are types (`PlanRequests`).
    static var requestBodies: [any RequestBody.Type] { [
        PlanSettingsPatchBody.self, PlanStatusDateBody.self, PlanMoveBody.self, PlanBaselineCreateBody.self, PlanProgressBody.self,
        PlanDependencyCreateBody.self, PlanPhaseInput.self, PlanPhasesPutBody.self,
    ] }

    static var all: [String: JSONSchema] {
        let writable: [String: JSONSchema] = [
            "name": S.text(PlanRules.nameMax),
            "kind": .enumeration(["task", "milestone"]),
            "parentUid": S.nullableInteger.range(1, Double(Int32.max)),
            // At most the longest duration the plan takes; in days, the strictest bound whatever the minutes per day.
            "durationDays": S.number.range(0, Double(PlanRules.durationMaxMinutes) / 1440)
                .described("Working days of minutesPerDay (give this or durationMinutes)"),
            "durationMinutes": S.integer.range(0, Double(PlanRules.durationMaxMinutes)),
            "constraint": .nullable("PlanConstraintInput"),
            "deadline": when, "ownerId": uuid, "companyId": uuid, "calendarUid": S.nullableInteger.range(0, Double(Int32.max)),
            "system": S.string.maxLength(PlanRules.nameMax), "phaseId": uuid,
            "costBasis": .enumeration(CostBasis.allCases.map(\.rawValue)),
            "budgetAmount": S.number.range(0, PlanRules.amountMax), "effortHours": S.number.range(0, PlanRules.amountMax),
            "notes": .nullableString,
        ]
        var create = writable
        create["afterUid"] = S.integer.range(1, Double(Int32.max)).described("Place the new activity after this sibling (last when left out)")

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
        var repeats = S.object([
            "type": .enumeration(["daily", "weekly", "monthlyDay", "monthlyWeekday", "yearlyDate", "yearlyWeekday"]),
            "interval": .integer, "weekdays": .array(.integer), "day": .integer, "month": .integer,
            "ordinal": .integer, "weekday": .integer,
        ])
        repeats.types = [.object, .null]
        let exception = S.object(["name": S.text(PlanRules.nameMax), "from": S.string.format("date"), "to": .date, "working": ranges, "repeats": repeats],
                                 required: ["name", "from"])
        let calendarWritable: [String: JSONSchema] = [
            "name": S.text(PlanRules.nameMax), "week": S.array(ranges).itemCount(7...7).described("Sunday first"),
            "holidays": .enumeration(["japan", "none"]), "exceptions": .array(.ref("PlanCalendarExceptionInput")),
            "timeZone": .string,
        ]
        let closure = S.object(["name": S.text(PlanRules.nameMax), "from": S.string.format("date"), "to": .date], required: ["name", "from"])

        var schemas: [String: JSONSchema] = [
            "PlanConstraint": .object(["type": .enumeration(constraintKinds), "date": localTime]),
            "PlanConstraintInput": .object(["type": .enumeration(constraintKinds), "date": when], required: ["type"]),
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
            "PlanCalendarExceptionInput": exception,
            "PlanCalendarPut": .object(calendarWritable, required: ["week"]),
            "PlanCompanyPut": .object(["hourlyRate": S.nullableNumber.range(0, PlanRules.amountMax), "closures": .array(closure)]),
        ]
        for body in requestBodies { schemas[body.schemaName] = body.requestSchema }
        for body in derivedBodies { schemas[body.schemaName] = DerivedSchema.of(body) }
        return schemas
    }
}
