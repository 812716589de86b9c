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

    /// All problems of `json` as `T`: the schema's, then (when the shape is right) those only the values show.
    static func allProblems<T: RequestBody>(_ type: T.Type, _ json: String) throws -> [String: String] {
        let shape = try problems(type, json)
        guard shape.isEmpty else { return shape }
        var errors = FieldErrors()
        try JSONDecoder().decode(T.self, from: Data(json.utf8)).problems(&errors)
        return Dictionary(errors.all.map { ($0.field, $0.code) }) { first, _ in first }
    }

    /// An activity: a constraint's date and a deadline are a real day or a real local time; one duration; a
    /// constraint takes a date exactly when its type needs one.
    @Test func anActivitysDaysTimesAndConstraintsAreChecked() throws {
        typealias A = PlanActivityPatchBody
        // Real days and times pass, 29 February only in a leap year; a time may carry seconds, as answers write them.
        for ok in ["2026-01-31", "2026-01-31T17:00", "2028-02-29T09:00", "2000-02-29T09:00", "2026-04-10T18:00:00", "2026-04-10T24:00"] {
            #expect(try Self.allProblems(A.self, #"{"deadline": "\#(ok)"}"#).isEmpty, "\(ok)")
        }
        for bad in ["2026-02-30", "2027-02-29T09:00", "1900-02-29T09:00", "2026-04-31T10:00", "2026-04-10T25:00", "tomorrow"] {
            #expect(try Self.allProblems(A.self, #"{"deadline": "\#(bad)"}"#) == ["deadline": "invalid_date"], "\(bad)")
        }
        #expect(try Self.allProblems(A.self, #"{"deadline": null, "constraint": null, "ownerId": null, "notes": null}"#).isEmpty)
        #expect(try Self.allProblems(A.self, #"{"durationDays": 2, "durationMinutes": 60}"#) == ["durationDays": "one_of"])
        #expect(try Self.allProblems(A.self, #"{"constraint": {"type": "ASAP", "date": "2026-06-01"}}"#) == ["constraint.date": "not_allowed"])
        #expect(try Self.allProblems(A.self, #"{"constraint": {"type": "SNET"}}"#) == ["constraint.date": "required_here"])
        #expect(try Self.allProblems(A.self, #"{"constraint": {"type": "snet", "day": 1}}"#)
            == ["constraint.type": "invalid_choice", "constraint.day": "unknown_field"])
        #expect(try Self.allProblems(A.self, #"{"name": " ", "system": null, "durationDays": 900}"#)
            == ["name": "required", "system": "wrong_type", "durationDays": "out_of_range"])
        // A create needs a name; it reads the patch's fields from the same object.
        #expect(try Self.allProblems(PlanActivityCreateBody.self, #"{"durationDays": 1}"#) == ["name": "required"])
        let create = try JSONDecoder().decode(PlanActivityCreateBody.self, from: Data(#"""
            {"name": "Design", "afterUid": 3, "durationDays": 1.5, "constraint": {"type": "FNLT", "date": "2026-04-10"},
             "deadline": "2026-04-30T12:00", "companyId": null}
            """#.utf8))
        let p = create.patch(minutesPerDay: 480)
        #expect(p.name == "Design" && p.afterUID == 3 && p.durationMinutes == 720)
        #expect(p.constraint?.kind == .finishNoLaterThan && p.constraint?.date == .day(CivilDate(iso: "2026-04-10")!))
        #expect(p.deadline == .some(.time(LocalTime(iso: "2026-04-30T12:00")!)))
        #expect(p.companyID == .some(nil) && p.ownerID == nil && p.notes == nil)
    }

    /// A calendar: seven days of ranges whose start comes before their end, exceptions with their repeat rules.
    @Test func aCalendarsWeekRangesAndExceptionsAreChecked() throws {
        typealias C = PlanCalendarPutBody
        let day = #"[["09:00", "12:00"], ["13:00", "18:00"]]"#
        let week = "[[], \(day), \(day), \(day), \(day), \(day), []]"
        #expect(try Self.allProblems(C.self, #"{"week": \#(week), "holidays": "japan"}"#).isEmpty)
        #expect(try Self.allProblems(C.self, #"{"week": [[["18:00", "09:00"]]], "holidays": "mars"}"#)
            == ["week": "too_short", "holidays": "invalid_choice"])
        #expect(try Self.allProblems(C.self, #"{"week": [[], [["18:00", "09:00"]], [["9:00", "12:00"]], [], [], [], [["24:30", "25:00"]]]}"#)
            == ["week[2][0][0]": "invalid_range", "week[6][0][0]": "invalid_range", "week[6][0][1]": "invalid_range"])
        #expect(try Self.allProblems(C.self, #"{"week": [[], [["18:00", "09:00"]], [], [], [], [], []]}"#) == ["week[1][0]": "invalid_range"])
        let exceptions = #"""
            {"week": \#(week), "exceptions": [
              {"name": "Shutdown", "from": "2026-08-14", "to": "2026-08-12"},
              {"name": "Stocktake", "from": "2026-01-01", "repeats": {"type": "weekly", "interval": 1}},
              {"name": "Audit", "from": "2026-01-01", "working": [["10:00", "09:00"]], "repeats": {"type": "yearlyDate", "month": 3}}]}
            """#
        #expect(try Self.allProblems(C.self, exceptions) == [
            "exceptions[0].to": "before_start", "exceptions[1].repeats.weekdays": "required_here",
            "exceptions[2].working[0]": "invalid_range", "exceptions[2].repeats.day": "required_here",
        ])
        #expect(try Self.allProblems(C.self, #"{"week": \#(week), "exceptions": [{"name": "x", "from": "2026-01-01", "repeats": {"type": "hourly", "every": 2}}]}"#)
            == ["exceptions[0].repeats.type": "invalid_choice", "exceptions[0].repeats.every": "unknown_field"])
        // Read into the calendar: the name and time zone kept when left out, one-day exceptions, the repeat rule.
        let body = try JSONDecoder().decode(C.self, from: Data(#"""
            {"week": \#(week), "exceptions": [{"name": "Stocktake", "from": "2026-01-05", "repeats": {"type": "monthlyWeekday", "interval": 1, "ordinal": 2, "weekday": 1}}]}
            """#.utf8))
        let existing = WorkCalendar(id: WorkCalendar.ID(2), name: "Site", week: Array(repeating: [], count: 7), timeZoneIdentifier: "Europe/Paris")
        let calendar = body.calendar(uid: 2, existing: existing)
        #expect(calendar.name == "Site" && calendar.timeZoneIdentifier == "Europe/Paris" && calendar.holidays == .none)
        #expect(calendar.week[1] == [WorkingTimeRange(start: 540, end: 720)!, WorkingTimeRange(start: 780, end: 1080)!])
        #expect(calendar.exceptions.first?.lastDay == CivilDate(iso: "2026-01-05"))
        #expect(calendar.exceptions.first?.recurrence == .monthlyOnWeekday(interval: 1, ordinal: 2, weekday: 1))
        // A company's closures: days off, in order.
        #expect(try Self.allProblems(PlanCompanyPutBody.self, #"{"hourlyRate": null, "closures": [{"name": "Summer", "from": "2026-08-14", "to": "2026-08-12"}]}"#)
            == ["closures[0].to": "before_start"])
        #expect(try Self.allProblems(PlanCompanyPutBody.self, #"{"hourlyRate": -1, "closures": null}"#)
            == ["hourlyRate": "out_of_range", "closures": "wrong_type"])
    }

    /// An issue: null clears a text, the owner or the due date; the visibility scope with its company; the same body
    /// nested in a minutes output names its problems under `fields`.
    @Test func anIssuesBodyClearsSetsAndNamesItsProblems() throws {
        let company = UUID()
        let patch = try JSONDecoder().decode(IssuePatchBody.self, from: Data(#"""
            {"cause": null, "owner": null, "dueDate": "2026-12-24", "visibilityCompanyId": "\#(company.uuidString)", "priority": "high"}
            """#.utf8)).patch
        #expect(patch.cause == "" && patch.description == nil && patch.ownerID == .some(nil))
        #expect(patch.dueDate == .some(CalendarDate(iso: "2026-12-24")) && patch.priority == .high && patch.title == nil)
        #expect(patch.visibility == .company(CompanyID(company)) && patch.companyID == nil)
        #expect(try Self.allProblems(IssuePatchBody.self, #"{"title": null, "priority": "urgent", "escalationLevel": 4, "owner": "bob", "dueDate": "2026-02-30"}"#)
            == ["title": "required", "priority": "invalid_choice", "escalationLevel": "out_of_range", "owner": "invalid_id", "dueDate": "invalid_date"])
        #expect(try Self.allProblems(IssueCreateBody.self, #"{"description": "x"}"#) == ["title": "required"])
        // Nested: the schema's problems and unknown members under the outer field's name.
        #expect(throws: DomainError.self) { try IssueCreateBody.nested(["cause": .string("x")], at: "fields", code: "minutes.invalid") }
        do {
            _ = try IssueCreateBody.nested(["colour": .string("red"), "status": .string("done")], at: "fields", code: "minutes.invalid")
            Issue.record("a nested body without a title was accepted")
        } catch let error as DomainError {
            #expect(error.code == "minutes.invalid")
            #expect(Set(error.fieldErrors.map { "\($0.field) \($0.code)" }) == ["fields.title required", "fields.colour unknown_field", "fields.status invalid_choice"])
        }
        let created = try IssueCreateBody.nested(["title": .string("承認待ち"), "visibility": .string("internal")], at: "fields", code: "minutes.invalid")
        #expect(created.issueFields.title == "承認待ち" && created.issueFields.visibility == .internal)
    }
}
