import Foundation
import PMOCore

/// OpenAPI schemas of the plan routes, and what the generic document cannot say about them: integer path parameters,
/// the query parameters' meaning, the XML upload of an import and the file answers of the exports.
enum PlanSchemas {
    typealias S = JSONSchema

    /// A plan time: local wall-clock `YYYY-MM-DDTHH:MM:00` (no offset).
    static let localTime = S.nullableString.described("Local time of the plan's calendar, YYYY-MM-DDTHH:MM:00 (no offset)")
    /// A day or an exact local time, as entered: a constraint's date, a deadline. The time's pattern admits exactly
    /// the real days (29 February of leap years only), so that a client's validator and the server agree.
    /// The alternatives name no type, so that null (allowed by the outer schema) passes both.
    static let when = S.nullableString.anyOf([
        JSONSchema([]).format("date"),
        JSONSchema([]).pattern("^" + realDay + "T(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)(:[0-5][0-9])?$"),
    ]).described(
        "YYYY-MM-DD (a start constraint: the day's first working minute; a finish constraint or deadline: the end of its last working period) or YYYY-MM-DDTHH:MM")
    /// A real day YYYY-MM-DD as a regular expression (no anchors).
    static let realDay = "([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|[0-9]{4}-(0[13-9]|1[0-2])-(29|30)|[0-9]{4}-(0[13578]|1[02])-31"
        + "|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)"
    /// A time of day HH:MM from 00:00 to 24:00.
    static let clock = S.string.pattern("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$").refusedAs("invalid_range")
    static let uuid = S.nullableUUID
    /// Working ranges `[["09:00", "12:00"], ["13:00", "18:00"]]`.
    static let ranges = S.array(S.array(clock).itemCount(2...2))
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

    /// The plan's request bodies, all types (`PlanRequests`).
    static var requestBodies: [any RequestBody.Type] { [
        PlanSettingsPatchBody.self, PlanStatusDateBody.self, PlanMoveBody.self, PlanBaselineCreateBody.self, PlanProgressBody.self,
        PlanDependencyCreateBody.self, PlanPhaseInput.self, PlanPhasesPutBody.self,
        PlanConstraintInput.self, PlanActivityPatchBody.self, PlanActivityCreateBody.self,
        PlanCalendarRepeatsInput.self, PlanCalendarExceptionInput.self, PlanCalendarPutBody.self,
        PlanCompanyClosureInput.self, PlanCompanyPutBody.self,
    ] }

    /// Every plan schema: the answers `PlanJSON` writes straight into bytes (schedule and activities) by hand, the
    /// other answers derived from their types (`PlanBodies`, `derivedBodies`), and the request bodies.
    static var all: [String: JSONSchema] {
        let activity: [String: JSONSchema] = [
            "uid": .integer, "parentUid": .nullableInteger, "outline": .string, "level": .integer, "name": .string,
            "kind": .enumeration(["summary", "task", "milestone"]),
            "durationDays": .number, "durationMinutes": .integer, "durationElapsed": .boolean, "effortDriven": .boolean,
            "start": localTime, "finish": localTime, "earlyStart": localTime, "earlyFinish": localTime,
            "lateStart": localTime, "lateFinish": localTime, "totalFloatDays": .nullableNumber, "freeFloatDays": .nullableNumber,
            "critical": .boolean, "constraint": .ref("PlanConstraint"), "deadline": localTime, "calendarUid": .nullableInteger,
            "owner": .nullable("PersonRef"), "company": .nullable("PersonRef"),
            "system": S.string.described("The registered system's name, or the text written when it names none"),
            "systemRef": S.nullableString.described("The registered system (CRM-S3); null for free text or none"), "phaseId": uuid, "percentComplete": .number, "actualStart": localTime, "actualFinish": localTime,
            "remainingDays": .nullableNumber, "progressStatusDate": .date, "notes": .string, "version": .integer,
            "canUpdateProgress": .boolean,
            "budget": S.nullableNumber.described("null when you may not see this activity's cost"),
            "actualCost": S.nullableNumber.described("null when you may not see this activity's cost"),
            "costBasis": .nullableEnumeration(CostBasis.allCases.map(\.rawValue)),
            "budgetAmount": .nullableNumber, "effortHours": .nullableNumber, "actualHours": .nullableNumber,
        ]

        var schemas: [String: JSONSchema] = [
            "PlanConstraint": .object(["type": .enumeration(constraintKinds), "date": localTime]),
            "PlanActivity": .object(activity),
            "PlanActivityList": .list("PlanActivity"),
            "PlanSchedule": .object([
                "projectKey": .string, "name": .string, "version": .integer, "statusDate": .date, "minutesPerDay": .integer,
                "progressWeighting": .enumeration(ProgressWeighting.allCases.map(\.rawValue)),
                "projectStart": localTime, "projectFinish": localTime, "scheduled": .boolean, "canEdit": .boolean,
                "diagnostics": .array(.ref("PlanDiagnostic")),
                "items": .array(.ref("PlanActivity")),
            ], required: ["items", "diagnostics"]),
        ]
        for body in requestBodies { schemas[body.schemaName] = body.requestSchema }
        for body in derivedBodies { schemas[body.schemaName] = DerivedSchema.of(body) }
        return schemas
    }
}
