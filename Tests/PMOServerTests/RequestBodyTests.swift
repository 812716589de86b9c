import Foundation
import PMOCore
@testable import PMOServer
import PMOTestSupport
import Testing
import Vapor
import VaporTesting

/// Request bodies as types (`RequestBody`): the schema derived from the type is the one a request is checked against,
/// and each problem is named with the API's codes.
@Suite("Request bodies as types")
struct RequestBodyTests {
    /// The problems of `json` against `T`'s schema, by field.
    static func problems<T: RequestBody>(_ type: T.Type, _ json: String) throws -> [String: String] {
        let value = try JSONDecoder().decode(PMOServer.JSONValue.self, from: Data(json.utf8))
        var errors = FieldErrors()
        RequestCheck.check(value, against: T.requestSchema, at: "", errors: &errors)
        return Dictionary(errors.all.map { ($0.field, $0.code) }) { first, _ in first }
    }

    @Test func schemaSaysWhatIsRequiredNullableAndLimited() throws {
        let create = MeetingSeriesCreateBody.requestSchema
        #expect(Set(create.required ?? []) == ["name", "firstDate"])
        let p = try #require(create.properties)
        // Optional is "may be left out"; only a `Sent` field may be null.
        #expect(p["intervalWeeks"]?.types == [.integer] && p["intervalWeeks"]?.minimum == 1 && p["intervalWeeks"]?.maximum == 8)
        #expect(p["purpose"]?.types == [.string, .null] && p["purpose"]?.maxLength == MeetingRules.textMax)
        #expect(p["firstDate"]?.format == "date" && p["firstDate"]?.types == [.string])
        #expect(p["rules"]?.items?.enumValues?.count == AgendaRule.allCases.count)
        #expect(p["visibility"]?.ref == "#/components/schemas/MeetingVisibility")
        let patch = MeetingSeriesPatchBody.requestSchema
        #expect((patch.required ?? []).isEmpty && Set(patch.properties?.keys ?? [:].keys) == Set(p.keys))
        // An object rule the fields cannot say.
        #expect(AgendaItemCreateBody.requestSchema.anyOf?.compactMap { $0.required?.first } == ["title", "reference"])
    }

    @Test func everyProblemIsNamedWithItsCode() throws {
        let bad = try Self.problems(MeetingSeriesCreateBody.self, """
            {"purpose": 3, "firstDate": "2026-02-30", "intervalWeeks": 9, "startTime": "25:00", "chair": "nobody",
             "attendees": ["\(UUID())", 7], "rules": ["actions_due", "coffee"], "riskThreshold": null,
             "visibility": {"scope": "galaxy", "extra": 1}, "location": "\(String(repeating: "x", count: 501))"}
            """)
        #expect(bad["name"] == "required")
        #expect(bad["purpose"] == "wrong_type")
        #expect(bad["firstDate"] == "invalid_date")
        #expect(bad["intervalWeeks"] == "out_of_range")
        #expect(bad["startTime"] == "invalid_time")
        #expect(bad["chair"] == "invalid_id")
        #expect(bad["attendees[1]"] == "wrong_type" && bad["attendees[0]"] == nil)
        #expect(bad["rules[1]"] == "invalid_choice" && bad["rules[0]"] == nil)
        #expect(bad["riskThreshold"] == "wrong_type", "null for a field that may only be left out")
        #expect(bad["visibility.scope"] == "invalid_choice" && bad["visibility.extra"] == "unknown_field")
        #expect(bad["location"] == "too_long")
        #expect(bad.count == 12, "\(bad)")
        // A required member sent as null, and a text without a visible character.
        let blank = try Self.problems(MeetingSeriesCreateBody.self, #"{"name": "  ", "firstDate": null}"#)
        #expect(blank == ["name": "required", "firstDate": "required"])
        // Nothing wrong: nothing named.
        #expect(try Self.problems(MeetingSeriesCreateBody.self, #"{"name": "週次定例", "firstDate": "2026-12-01", "purpose": null}"#).isEmpty)
        // Neither a title nor a reference.
        #expect(try Self.problems(AgendaItemCreateBody.self, #"{"notes": "x"}"#) == ["title": "required"])
        #expect(try Self.problems(AgendaItemCreateBody.self, #"{"reference": "CRM-R3"}"#).isEmpty)
        // A list of nested bodies: each item checked against its component.
        let overrides = try Self.problems(StatusReportPatchBody.self, #"{"overrides": [{"area": "cost", "rag": "grey"}, {"rag": "red"}]}"#)
        #expect(overrides == ["overrides[0].rag": "invalid_choice", "overrides[1].area": "required"])
    }

    /// A `Sent` field tells left out from null from a value; an optional one reads left out as nil.
    @Test func sentTellsLeftOutFromNullFromAValue() throws {
        func patch(_ json: String) throws -> MeetingSeriesPatchBody {
            try JSONDecoder().decode(MeetingSeriesPatchBody.self, from: Data(json.utf8))
        }
        let left = try patch("{}")
        #expect(!left.purpose.isSent && left.purpose.textOrEmpty == nil && left.name == nil)
        let cleared = try patch(#"{"purpose": null, "chair": null, "attendees": null}"#)
        #expect(cleared.purpose.isSent && cleared.purpose.textOrEmpty == "" && cleared.chair.isSent && cleared.chair.value == nil)
        let set = try patch(#"{"purpose": "Decide", "rules": ["actions_due"], "firstDate": "2026-12-01"}"#)
        #expect(set.purpose.value == "Decide" && set.rules.value == [.actionsDue] && set.firstDate == CalendarDate(iso: "2026-12-01"))
        // Applied to a series: left out stays, null clears, a value replaces.
        var current = MeetingSeriesFields(name: "Weekly", recurrence: MeetingRecurrence(firstDate: CalendarDate(iso: "2026-11-02")!))
        current.purpose = "Old"
        current.chairID = UserID(UUID())
        #expect(left.applied(to: current).purpose == "Old" && left.applied(to: current).chairID == current.chairID)
        #expect(cleared.applied(to: current).purpose == "" && cleared.applied(to: current).chairID == nil)
        #expect(set.applied(to: current).purpose == "Decide" && set.applied(to: current).name == "Weekly")
        // Problems only the values show.
        let twice = try patch(#"{"rules": ["actions_due", "actions_due"]}"#)
        var errors = FieldErrors()
        twice.problems(&errors)
        #expect(errors.all.map(\.field) == ["rules[1]"] && errors.all.first?.code == "duplicate")
    }

    /// What the served document says of every request body is the schema the server checks (closed: no other
    /// members), so no hand-written schema of the same name stands in its place.
    @Test func theDocumentServesTheCheckedSchema() async throws {
        try await TestApp.with(.sqlite) { t in
            let res = try await t.send(.GET, "/api/v1/openapi.json")
            let served = try #require(try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any])
            let components = try #require((served["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let bodies = OpenAPIDocument.requestBodies + PlanSchemas.requestBodies + MeetingSchemas.requestBodies
            #expect(bodies.count >= 26)
            for body in bodies {
                let component = try #require(components[body.schemaName], "\(body.schemaName) is not served")
                // Both written the same way (sorted keys) to compare what they say, not how they were encoded.
                func canonical(_ value: Any) throws -> String {
                    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
                }
                let checked = try JSONSerialization.jsonObject(with: JSONEncoder().encode(body.requestSchema.closed))
                #expect(try canonical(component) == canonical(checked), "\(body.schemaName)")
            }
        }
    }

    /// A link's lag: days in the plan's working day or in calendar days, minutes, or a percent; one of them.
    @Test func aLinksLagIsReadInThePlansUnits() throws {
        func link(_ json: String) throws -> PlanDependencyCreateBody {
            try JSONDecoder().decode(PlanDependencyCreateBody.self, from: Data(json.utf8))
        }
        let working = try link(#"{"predecessorUid": 1, "successorUid": 2, "type": "SS", "lagDays": 2}"#).link(minutesPerDay: 450)
        #expect(working.kind == .startToStart && working.lag == .working(minutes: 900))
        let elapsed = try link(#"{"predecessorUid": 1, "successorUid": 2, "lagKind": "elapsed", "lagDays": 1.5}"#).link(minutesPerDay: 450)
        #expect(elapsed.kind == .finishToStart && elapsed.lag == .elapsed(minutes: 2160))
        let percent = try link(#"{"predecessorUid": 1, "successorUid": 2, "lagKind": "percent", "lagPercent": 50}"#).link(minutesPerDay: 450)
        #expect(percent.lag == .percent(50))
        var errors = FieldErrors()
        try link(#"{"predecessorUid": 1, "successorUid": 2, "lagDays": 1, "lagMinutes": 5}"#).problems(&errors)
        try link(#"{"predecessorUid": 1, "successorUid": 2, "lagPercent": 5}"#).problems(&errors)
        #expect(errors.all.map { "\($0.field) \($0.code)" } == ["lagMinutes one_of", "lagPercent not_allowed"])
        #expect(try Self.problems(PlanDependencyCreateBody.self, #"{"successorUid": 0, "type": "XX"}"#)
            == ["predecessorUid": "required", "successorUid": "out_of_range", "type": "invalid_choice"])
    }
}
