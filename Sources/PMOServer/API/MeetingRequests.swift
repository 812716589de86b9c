import Foundation
import PMOCore
import PMOStore

// The request bodies of the meeting, minutes and status-report routes, as types (see `RequestBody`): the document's
// schemas are derived from them and every request is checked against the same schema. Their answers are the
// `MeetingBodies` types.

/// The fields of a meeting series a request may set; a merge: a field left out stays, null clears an optional one.
/// The limits are the series rules' (`MeetingRules`), so the document says what the store enforces.
struct MeetingSeriesPatchBody: RequestBody {
    static let schemaName = "MeetingSeriesPatch"
    static var schemaHints: [String: JSONSchema] { MeetingSeriesCreateBody.schemaHints }

    var name: String?
    var purpose: Sent<String>
    var chair: Sent<UUID>
    var firstDate: CalendarDate?
    var intervalWeeks: Int?
    var startTime: String?
    var durationMinutes: Int?
    var location: Sent<String>
    var attendees: Sent<[UUID]>
    var rules: Sent<[AgendaRule]>
    var ruleCaps: Sent<[AgendaRuleCapBody]>
    var riskThreshold: Int?
    var company: Sent<UUID>
    var visibility: MeetingVisibilityBody?

    func problems(_ errors: inout FieldErrors) {
        var seen: Set<AgendaRule> = []
        for (i, rule) in (rules.value ?? []).enumerated() where !seen.insert(rule).inserted {
            errors.add("rules[\(i)]", "duplicate", "\(rule.rawValue) is named twice.")
        }
        var capped: Set<String> = []
        for (i, cap) in (ruleCaps.value ?? []).enumerated() {
            if AgendaRule(rawValue: cap.rule) == nil {
                errors.add("ruleCaps[\(i)].rule", "unknown", "\(cap.rule) is not an agenda rule.")
            } else if !capped.insert(cap.rule).inserted {
                errors.add("ruleCaps[\(i)].rule", "duplicate", "\(cap.rule) is capped twice.")
            }
        }
    }

    /// The series' fields with this change applied.
    func applied(to current: MeetingSeriesFields) -> MeetingSeriesFields {
        var f = current
        if let name { f.name = name }
        if let purpose = purpose.textOrEmpty { f.purpose = purpose }
        if let location = location.textOrEmpty { f.location = location }
        if chair.isSent { f.chairID = chair.value.map(UserID.init) }
        if company.isSent { f.companyID = company.value.map(CompanyID.init) }
        if let firstDate { f.recurrence.firstDate = firstDate }
        if let intervalWeeks { f.recurrence.intervalWeeks = intervalWeeks }
        if let durationMinutes { f.recurrence.durationMinutes = durationMinutes }
        // The pattern let only HH:MM through.
        if let startTime, let minutes = MeetingRecurrence.minutes(ofClock: startTime) { f.recurrence.startMinutes = minutes }
        if let riskThreshold { f.riskThreshold = riskThreshold }
        if attendees.isSent { f.attendeeIDs = (attendees.value ?? []).map(UserID.init) }
        if rules.isSent { f.rules = rules.value ?? [] }
        if ruleCaps.isSent {
            f.ruleCaps = Dictionary((ruleCaps.value ?? []).compactMap { c in AgendaRule(rawValue: c.rule).map { ($0, c.max) } },
                                    uniquingKeysWith: { a, _ in a })
        }
        if let visibility, let scope = VisibilityScope(rawValue: visibility.scope) {
            f.visibility = Visibility(scope: scope, companyID: visibility.company.flatMap(UUID.init(uuidString:)).map(CompanyID.init))
        }
        return f
    }
}

/// A new meeting series: a name and the date of occurrence 1 are required; the rest as in a change.
struct MeetingSeriesCreateBody: RequestBody {
    static let schemaName = "MeetingSeriesCreate"
    static var schemaHints: [String: JSONSchema] {
        [
            "name": JSONSchema.text(MeetingRules.nameMax), "purpose": JSONSchema.string.maxLength(MeetingRules.textMax),
            "chair": JSONSchema.uuid.described("The chair's user id"),
            "firstDate": JSONSchema.string.format("date").described("The date of occurrence 1"),
            "intervalWeeks": JSONSchema.integer.range(1, 8).described("1 = weekly"),
            "startTime": MeetingSchemas.clock, "durationMinutes": JSONSchema.integer.range(5, 720),
            "location": JSONSchema.string.maxLength(500),
            "attendees": JSONSchema.array(.uuid).itemCount(0...MeetingRules.maxAttendees).described("The standing attendees' user ids"),
            "rules": JSONSchema.array(.enumeration(AgendaRule.allCases.map(\.rawValue))).described("The agenda rules this series uses, in priority order"),
            "riskThreshold": JSONSchema.integer.range(1, 25),
            "company": JSONSchema.uuid.described("Only this company's items and activities come to the agenda"),
        ]
    }

    var name: String
    var purpose: Sent<String>
    var chair: Sent<UUID>
    var firstDate: CalendarDate
    var intervalWeeks: Int?
    var startTime: String?
    var durationMinutes: Int?
    var location: Sent<String>
    var attendees: Sent<[UUID]>
    var rules: Sent<[AgendaRule]>
    var ruleCaps: Sent<[AgendaRuleCapBody]>
    var riskThreshold: Int?
    var company: Sent<UUID>
    var visibility: MeetingVisibilityBody?

    var asPatch: MeetingSeriesPatchBody {
        MeetingSeriesPatchBody(name: name, purpose: purpose, chair: chair, firstDate: firstDate, intervalWeeks: intervalWeeks,
                               startTime: startTime, durationMinutes: durationMinutes, location: location, attendees: attendees,
                               rules: rules, ruleCaps: ruleCaps, riskThreshold: riskThreshold, company: company, visibility: visibility)
    }

    func problems(_ errors: inout FieldErrors) { asPatch.problems(&errors) }
}

/// Which occurrence to prepare; none: the one after the last, else the first on or after today.
struct MeetingOccurrenceCreateBody: RequestBody {
    static let schemaName = "MeetingOccurrenceCreate"
    static var schemaHints: [String: JSONSchema] {
        ["number": JSONSchema.integer.range(1, Double(MeetingRules.occurrenceMax))
            .described("Default: the one after the last, else the first on or after today")]
    }
    var number: Int?
}

/// The minutes' general notes and who was present.
struct MeetingOccurrencePatchBody: RequestBody {
    static let schemaName = "MeetingOccurrencePatch"
    static var schemaHints: [String: JSONSchema] {
        ["notes": JSONSchema.string.maxLength(MeetingRules.textMax),
         "present": JSONSchema.array(.uuid).described("User ids of those present")]
    }
    var notes: Sent<String>
    var present: Sent<[UUID]>
}

/// An agenda item added by hand: a title, or a reference to the item discussed (whose title is used).
struct AgendaItemCreateBody: RequestBody {
    static let schemaName = "AgendaItemCreate"
    static var schemaHints: [String: JSONSchema] {
        ["title": JSONSchema.text(MeetingRules.nameMax).described("Required unless reference is given"),
         "notes": JSONSchema.string.maxLength(MeetingRules.textMax),
         "reference": JSONSchema.itemReference.described("The item discussed, e.g. CRM-R3 or I12")]
    }
    static func refined(_ schema: JSONSchema) -> JSONSchema { schema.requiringOneOf(["title", "reference"]) }

    var title: String?
    var notes: Sent<String>
    var reference: String?

    func problems(_ errors: inout FieldErrors) {
        if let reference, ItemReference(reference) == nil {
            errors.add("reference", "invalid_reference", "reference must be an item reference such as CRM-R3 or I12.")
        }
    }
}

/// A change to an agenda item.
struct AgendaItemPatchBody: RequestBody {
    static let schemaName = "AgendaItemPatch"
    static var schemaHints: [String: JSONSchema] {
        ["title": JSONSchema.text(MeetingRules.nameMax), "notes": JSONSchema.string.maxLength(MeetingRules.textMax),
         "position": JSONSchema.integer.range(1, Double(MeetingRules.maxAgendaItems * 10)),
         "minutes": JSONSchema.integer.range(0, Double(AgendaTimeBox.maxMinutes)).described("The item's own minutes; null: its rule's"),
         "presenter": JSONSchema.uuid.described("Who presents it: a member who can see the item; null: nobody named")]
    }
    var title: String?
    var notes: Sent<String>
    var carry: Bool?
    var position: Int?
    var minutes: Sent<Int>
    var presenter: Sent<UUID>

    var patch: AgendaItemPatch {
        var p = AgendaItemPatch()
        p.title = title
        p.notes = notes.textOrEmpty
        p.carry = carry
        p.position = position
        p.minutes = minutes.change
        p.presenterID = presenter.change.map { $0.map(UserID.init) }
        return p
    }
}

/// What a line of the minutes creates: the item's type and its fields as the register's create route takes them
/// (checked by that register's reader; problems are named `fields.<name>`).
struct MinutesOutputCreateBody: RequestBody {
    static let schemaName = "MinutesOutputCreate"
    static var schemaHints: [String: JSONSchema] {
        ["agendaItem": JSONSchema.uuid.described("The agenda item it came from; the new item is linked derived_from that item's item"),
         "type": JSONSchema.enumeration(MeetingSchemas.itemTypes),
         "fields": JSONSchema([.object]).described(
            "The fields the register's create route takes (IssueCreate, RiskCreate, DecisionCreate, QuestionCreate, ChangeCreate, ActionCreate)")]
    }
    var agendaItem: Sent<UUID>
    var type: String
    var fields: JSONValue
}

/// A new status report, as of a status date.
struct StatusReportCreateBody: RequestBody {
    static let schemaName = "StatusReportCreate"
    /// Left out: the plan's status date, else today.
    var statusDate: CalendarDate?
}

/// A PMO's colour for an area that the figures do not tell, with the reason.
struct StatusOverrideInput: RequestBody {
    static let schemaName = "StatusOverride"
    static var schemaHints: [String: JSONSchema] {
        ["area": JSONSchema.enumeration(MeetingSchemas.areas), "rag": JSONSchema.enumeration(MeetingSchemas.rags.filter { $0 != "grey" }),
         "reason": JSONSchema.string.maxLength(2000).described("Required: why the figures do not tell the whole story")]
    }
    var area: StatusArea
    var rag: RAG
    var reason: Sent<String>

    var override: StatusOverride { StatusOverride(area: area, rag: rag, reason: reason.textOrEmpty ?? "") }
}

/// A draft report's overrides (the list is replaced; null clears it) and its texts.
struct StatusReportPatchBody: RequestBody {
    static let schemaName = "StatusReportPatch"
    static var schemaHints: [String: JSONSchema] {
        let text = JSONSchema.string.maxLength(StatusReportRules.textMax)
        return ["overrides": JSONSchema.array(.ref("StatusOverride")).described("Replaces the list; null clears it"),
                "comment": text, "done": text, "next": text]
    }
    var overrides: Sent<[StatusOverrideInput]>
    var comment: Sent<String>
    var done: Sent<String>
    var next: Sent<String>
}
