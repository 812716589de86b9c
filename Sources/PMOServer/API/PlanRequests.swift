import Foundation
import PMOCore
import PMOStore

// The plan's request bodies, each a type (see `RequestBody`): its schema is the document's and what the server checks.

/// The plan's name, start or working minutes per day.
struct PlanSettingsPatchBody: RequestBody {
    static let schemaName = "PlanSettingsPatch"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(PlanRules.nameMax), "minutesPerDay": JSONSchema.integer.range(60, 1440)]
    }
    var name: String?
    var start: CalendarDate?
    var minutesPerDay: Int?
    /// How summaries weigh their rows' % complete: `duration` (the default) or `budget`.
    var progressWeighting: ProgressWeighting?
}

/// The status date progress is reported against.
struct PlanStatusDateBody: RequestBody {
    static let schemaName = "PlanStatusDate"
    var date: CalendarDate
}

/// Indent, outdent, or move up or down among the siblings.
struct PlanMoveBody: RequestBody {
    static let schemaName = "PlanMove"
    static var schemaHints: [String: JSONSchema] { ["move": JSONSchema.enumeration(PlanMove.allCases.map(\.rawValue))] }
    var move: String

    /// The schema let only a move's name through.
    var planMove: PlanMove { PlanMove(rawValue: move) ?? .down }
}

/// A baseline to save: the next free number unless given; replacing one needs `replace: true`.
struct PlanBaselineCreateBody: RequestBody {
    static let schemaName = "PlanBaselineCreate"
    static var schemaHints: [String: JSONSchema] {
        ["number": JSONSchema.integer.range(0, 10), "name": JSONSchema.text(PlanRules.nameMax)]
    }
    var number: Int?
    var name: String
    var replace: Bool?
}

/// Progress as of the status date: actual dates (null: not started or not finished), percent complete or the
/// remaining working days, actual cost and hours.
struct PlanProgressBody: RequestBody {
    static let schemaName = "PlanProgress"
    static var schemaHints: [String: JSONSchema] {
        ["percentComplete": JSONSchema.number.range(0, 100), "remainingDays": JSONSchema.number.range(0, 2600),
         "actualCost": JSONSchema.number.range(0, PlanRules.amountMax), "actualHours": JSONSchema.number.range(0, PlanRules.amountMax)]
    }
    var actualStart: Sent<CalendarDate>
    var actualFinish: Sent<CalendarDate>
    var percentComplete: Double?
    var remainingDays: Double?
    var actualCost: Double?
    var actualHours: Double?

    var progress: ProgressInput {
        ProgressInput(actualStart: actualStart.value, actualFinish: actualFinish.value, percentComplete: percentComplete,
                      remainingDays: remainingDays, actualCost: actualCost.flatMap { Money(rounding: $0) }, actualHours: actualHours)
    }
}

/// A link between two activities: its type and a lag in working days or minutes, elapsed days or minutes, or a
/// percent of the predecessor's duration.
struct PlanDependencyCreateBody: RequestBody {
    static let schemaName = "PlanDependencyCreate"
    static var schemaHints: [String: JSONSchema] {
        let limit = Double(PlanRules.durationMaxMinutes)
        return ["predecessorUid": JSONSchema.integer.range(1, Double(Int32.max)), "successorUid": JSONSchema.integer.range(1, Double(Int32.max)),
                "type": JSONSchema.enumeration(Dependency.Kind.allCases.map(\.rawValue)),
                // The strictest of the server's limits, whatever the lag kind and the plan's minutes per day.
                "lagDays": JSONSchema.number.range(-limit / 1440, limit / 1440),
                "lagMinutes": JSONSchema.integer.range(-limit, limit),
                "lagKind": JSONSchema.enumeration(["working", "elapsed", "percent"]),
                "lagPercent": JSONSchema.number.range(-1000, 1000)]
    }
    var predecessorUid: Int
    var successorUid: Int
    var type: String?
    var lagDays: Double?
    var lagMinutes: Int?
    var lagKind: String?
    var lagPercent: Double?

    func problems(_ errors: inout FieldErrors) {
        let given = [("lagDays", lagDays != nil), ("lagMinutes", lagMinutes != nil), ("lagPercent", lagPercent != nil)].filter(\.1)
        if given.count > 1 {
            errors.add(given[1].0, "one_of", "Give one of lagDays, lagMinutes or lagPercent.")
        } else if lagKind == "percent", lagDays != nil || lagMinutes != nil {
            errors.add("lagKind", "one_of", "A percent lag is given as lagPercent.")
        } else if lagKind != "percent", lagPercent != nil {
            errors.add("lagPercent", "not_allowed", "lagPercent needs lagKind percent.")
        }
    }

    /// The link, its lag in the plan's minutes (a working day is `minutesPerDay`, an elapsed day 1,440 minutes).
    func link(minutesPerDay: Int) -> PlanDependencyInput {
        let kind = type.flatMap(Dependency.Kind.init(rawValue:)) ?? .finishToStart
        let lag: DependencyLag
        switch lagKind {
        case "percent": lag = .percent(lagPercent ?? 0)
        case "elapsed": lag = .elapsed(minutes: lagDays.map { Int(nearest: $0 * 1440) ?? 0 } ?? lagMinutes ?? 0)
        default: lag = .working(minutes: lagDays.map { Int(nearest: $0 * Double(minutesPerDay)) ?? 0 } ?? lagMinutes ?? 0)
        }
        return PlanDependencyInput(predecessorUID: predecessorUid, successorUID: successorUid, kind: kind, lag: lag)
    }
}

/// One phase of the master schedule: a term with its definition and exit criteria; a new one has no id.
struct PlanPhaseInput: RequestBody {
    static let schemaName = "PlanPhaseInput"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(PlanRules.nameMax), "definition": JSONSchema.string.maxLength(4000),
         "exitCriteria": JSONSchema.string.maxLength(4000)]
    }
    var id: UUID?
    var name: String
    var definition: String?
    var exitCriteria: String?
}

/// The phases, replacing the list; activities of a removed phase lose it.
struct PlanPhasesPutBody: RequestBody {
    static let schemaName = "PlanPhasesPut"
    var items: [PlanPhaseInput]

    func problems(_ errors: inout FieldErrors) {
        var seen: Set<UUID> = []
        for (i, phase) in items.enumerated() {
            if let id = phase.id, !seen.insert(id).inserted { errors.add("items[\(i)].id", "duplicate", "Two phases have the same id.") }
        }
    }

    var phases: [PlanPhase] {
        items.map { PlanPhase(id: $0.id ?? UUID(), name: $0.name, definition: $0.definition ?? "", exitCriteria: $0.exitCriteria ?? "") }
    }
}

// MARK: - Activities

/// A day `YYYY-MM-DD` or an exact local time `YYYY-MM-DDTHH:MM`, as entered for a constraint or a deadline.
/// Its schema (`PlanSchemas.when`) lets only real days and times through.
struct DayOrTime: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws { text = try decoder.singleValueContainer().decode(String.self) }

    /// The day or the time; nil only for a text the schema refuses.
    var when: PlanJSON.When? {
        if text.count == 10 { return CivilDate(iso: text).map(PlanJSON.When.day) }
        return LocalTime(iso: text).map(PlanJSON.When.time)
    }
}

/// `{"type": "SNET", "date": "2026-06-01"}`: ASAP and ALAP take no date, the others need one.
struct PlanConstraintInput: RequestBody {
    static let schemaName = "PlanConstraintInput"
    static var schemaHints: [String: JSONSchema] { ["type": .enumeration(PlanSchemas.constraintKinds), "date": PlanSchemas.when] }
    var type: String
    var date: Sent<DayOrTime>

    var kind: ActivityConstraint.Kind { ActivityConstraint.Kind(rawValue: type) ?? .asSoonAsPossible }

    func problems(at path: String, _ errors: inout FieldErrors) {
        switch kind {
        case .asSoonAsPossible, .asLateAsPossible:
            if date.value != nil { errors.add("\(path).date", "not_allowed", "An \(type) constraint takes no date.") }
        default:
            if date.value == nil { errors.add("\(path).date", "required_here", "A \(type) constraint needs a date.") }
        }
    }
}

/// An activity's fields as a JSON merge patch: left out keeps a field, null clears it (where it may be empty).
/// A duration is in working days of the plan's minutes per day, or in minutes.
struct PlanActivityPatchBody: RequestBody {
    static let schemaName = "PlanActivityPatch"
    static var schemaHints: [String: JSONSchema] {
        typealias S = JSONSchema
        return [
            "name": S.text(PlanRules.nameMax),
            "kind": .enumeration(["task", "milestone"]),
            "parentUid": S.integer.range(1, Double(Int32.max)),
            // At most the longest duration the plan takes; in days, the strictest bound whatever the minutes per day.
            "durationDays": S.number.range(0, Double(PlanRules.durationMaxMinutes) / 1440)
                .described("Working days of minutesPerDay (give this or durationMinutes)"),
            "durationMinutes": S.integer.range(0, Double(PlanRules.durationMaxMinutes)),
            "deadline": PlanSchemas.when,
            "calendarUid": S.integer.range(0, Double(Int32.max)),
            "system": S.string.maxLength(PlanRules.nameMax),
            "costBasis": .enumeration(CostBasis.allCases.map(\.rawValue)),
            "budgetAmount": S.number.range(0, PlanRules.amountMax), "effortHours": S.number.range(0, PlanRules.amountMax),
            "notes": S.string.maxLength(PlanJSON.notesMax),
        ]
    }
    var name: String?
    var kind: String?
    var parentUid: Sent<Int>
    var durationDays: Double?
    var durationMinutes: Int?
    var constraint: Sent<PlanConstraintInput>
    var deadline: Sent<DayOrTime>
    var ownerId: Sent<UUID>
    var companyId: Sent<UUID>
    var calendarUid: Sent<Int>
    var system: String?
    var phaseId: Sent<UUID>
    var costBasis: String?
    var budgetAmount: Double?
    var effortHours: Double?
    var notes: Sent<String>

    func problems(_ errors: inout FieldErrors) {
        if durationDays != nil, durationMinutes != nil {
            errors.add("durationDays", "one_of", "Give durationDays or durationMinutes, not both.")
        }
        constraint.value?.problems(at: "constraint", &errors)
    }

    /// The fields as the plan applies them; days become minutes of `minutesPerDay`.
    func patch(minutesPerDay: Int) -> PlanJSON.ActivityPatch {
        var p = PlanJSON.ActivityPatch()
        p.name = name
        p.kind = kind.map { $0 == "milestone" ? .milestone : .task }
        p.parentUID = parentUid.change
        p.durationMinutes = durationDays.flatMap { Int(nearest: $0 * Double(minutesPerDay)) } ?? durationMinutes
        switch constraint {
        case .absent: break
        case .null: p.constraint = PlanJSON.ConstraintInput(kind: .asSoonAsPossible, date: nil)
        case .value(let c):
            let dated = c.kind != .asSoonAsPossible && c.kind != .asLateAsPossible
            p.constraint = PlanJSON.ConstraintInput(kind: c.kind, date: dated ? c.date.value?.when : nil)
        }
        switch deadline {
        case .absent: break
        case .null: p.deadline = .some(nil)
        case .value(let d): if let when = d.when { p.deadline = .some(when) }
        }
        p.ownerID = ownerId.change.map { $0.map(UserID.init) }
        p.companyID = companyId.change.map { $0.map(CompanyID.init) }
        p.calendarUID = calendarUid.change
        p.system = system
        p.phaseID = phaseId.change
        p.costBasis = costBasis.flatMap(CostBasis.init(rawValue:))
        p.budgetAmount = budgetAmount.flatMap { Money(rounding: $0) }
        p.effortHours = effortHours
        p.notes = notes.textOrEmpty
        return p
    }
}

/// A new activity: a name, where it goes (`parentUid`, after the sibling `afterUid`, else last), and any field of
/// the patch.
struct PlanActivityCreateBody: RequestBody {
    static let schemaName = "PlanActivityCreate"
    static var schemaHints: [String: JSONSchema] {
        var hints = PlanActivityPatchBody.schemaHints
        hints["afterUid"] = JSONSchema.integer.range(1, Double(Int32.max)).described("Place the new activity after this sibling (last when left out)")
        return hints
    }
    var fields: PlanActivityPatchBody
    var name: String
    var afterUid: Int?

    private enum Keys: String, CodingKey { case name, afterUid }

    /// The patch's fields and these two, read from the same object.
    init(from decoder: any Decoder) throws {
        fields = try PlanActivityPatchBody(from: decoder)
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        afterUid = try c.decodeIfPresent(Int.self, forKey: .afterUid)
    }

    func problems(_ errors: inout FieldErrors) { fields.problems(&errors) }

    func patch(minutesPerDay: Int) -> PlanJSON.ActivityPatch {
        var p = fields.patch(minutesPerDay: minutesPerDay)
        p.afterUID = afterUid
        return p
    }
}

// MARK: - Calendars and company terms

/// How an exception repeats: `daily` every `interval` days, `weekly` on `weekdays`, `monthlyDay` on a day of the month,
/// `monthlyWeekday` on the n-th weekday, `yearlyDate`, `yearlyWeekday`. Each type needs its own fields.
struct PlanCalendarRepeatsInput: RequestBody {
    static let schemaName = "PlanCalendarRepeatsInput"
    static var schemaHints: [String: JSONSchema] {
        typealias S = JSONSchema
        return [
            "type": .enumeration(Self.fieldsByType.keys.sorted()),
            "interval": S.integer.range(1, 999), "weekdays": S.array(S.integer.range(0, 6)).described("0 = Sunday … 6 = Saturday"),
            "day": S.integer.range(1, 31), "month": S.integer.range(1, 12), "ordinal": S.integer.range(1, 5),
            "weekday": S.integer.range(0, 6),
        ]
    }
    static let fieldsByType: [String: [String]] = [
        "daily": ["interval"], "weekly": ["interval", "weekdays"], "monthlyDay": ["interval", "day"],
        "monthlyWeekday": ["interval", "ordinal", "weekday"], "yearlyDate": ["month", "day"],
        "yearlyWeekday": ["month", "ordinal", "weekday"],
    ]
    var type: String
    var interval: Int?
    var weekdays: [Int]?
    var day: Int?
    var month: Int?
    var ordinal: Int?
    var weekday: Int?

    func problems(at path: String, _ errors: inout FieldErrors) {
        let given: [String: Bool] = [
            "interval": interval != nil, "weekdays": !(weekdays ?? []).isEmpty, "day": day != nil, "month": month != nil,
            "ordinal": ordinal != nil, "weekday": weekday != nil,
        ]
        for field in Self.fieldsByType[type] ?? [] where given[field] != true {
            errors.add("\(path).\(field)", "required_here", "A \(type) exception needs \(field).")
        }
    }

    var recurrence: CalendarException.Recurrence {
        switch type {
        case "daily": .daily(interval: interval ?? 1)
        case "weekly": .weekly(interval: interval ?? 1, weekdays: Set(weekdays ?? []))
        case "monthlyDay": .monthlyOnDay(interval: interval ?? 1, day: day ?? 1)
        case "monthlyWeekday": .monthlyOnWeekday(interval: interval ?? 1, ordinal: ordinal ?? 1, weekday: weekday ?? 0)
        case "yearlyDate": .yearlyOnDate(month: month ?? 1, day: day ?? 1)
        case "yearlyWeekday": .yearlyOnWeekday(month: month ?? 1, ordinal: ordinal ?? 1, weekday: weekday ?? 0)
        default: .everyDay
        }
    }
}

/// Working ranges `[["09:00", "12:00"], …]`: the schema checks each time, this the order within a range.
enum PlanWorkingRanges {
    static func problems(_ ranges: [[String]], at path: String, _ errors: inout FieldErrors) {
        for (i, pair) in ranges.enumerated() where read(pair) == nil {
            errors.add("\(path)[\(i)]", "invalid_range", "Each range is [\"HH:MM\", \"HH:MM\"] with the start before the end (00:00 to 24:00).")
        }
    }

    static func read(_ pair: [String]) -> WorkingTimeRange? {
        guard pair.count == 2, let s = PlanJSON.minute(pair[0]), let e = PlanJSON.minute(pair[1]) else { return nil }
        return WorkingTimeRange(start: s, end: e)
    }
}

/// A calendar exception: days `from` to `to` (one day when left out) that are off, or worked in `working` ranges,
/// repeating as `repeats` says (null: every day of the span).
struct PlanCalendarExceptionInput: RequestBody {
    static let schemaName = "PlanCalendarExceptionInput"
    static var schemaHints: [String: JSONSchema] { ["name": JSONSchema.text(PlanRules.nameMax), "working": PlanSchemas.ranges] }
    var name: String
    var from: CalendarDate
    var to: Sent<CalendarDate>
    var working: [[String]]?
    var repeats: Sent<PlanCalendarRepeatsInput>

    func problems(at path: String, _ errors: inout FieldErrors) {
        if let to = to.value, to < from { errors.add("\(path).to", "before_start", "to (\(to)) is before from (\(from)).") }
        PlanWorkingRanges.problems(working ?? [], at: "\(path).working", &errors)
        repeats.value?.problems(at: "\(path).repeats", &errors)
    }

    var exception: CalendarException {
        CalendarException(name: name, firstDay: from, lastDay: to.value ?? from, workingTimes: (working ?? []).compactMap(PlanWorkingRanges.read),
                          recurrence: repeats.value?.recurrence ?? .everyDay)
    }
}

/// A calendar's rules, replacing them: the working week (Sunday first), the public holidays it follows, its
/// exceptions and its time zone. The name and time zone are kept when left out.
struct PlanCalendarPutBody: RequestBody {
    static let schemaName = "PlanCalendarPut"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(PlanRules.nameMax), "week": JSONSchema.array(PlanSchemas.ranges).itemCount(7...7).described("Sunday first"),
         "holidays": .enumeration(["japan", "none"]), "exceptions": JSONSchema.array(.ref(PlanCalendarExceptionInput.schemaName)).itemCount(0...2000),
         "timeZone": JSONSchema.string.maxLength(100).described("An IANA time zone such as Asia/Tokyo")]
    }
    var name: String?
    var week: [[[String]]]
    var holidays: String?
    var exceptions: [PlanCalendarExceptionInput]?
    var timeZone: String?

    func problems(_ errors: inout FieldErrors) {
        for (i, day) in week.enumerated() { PlanWorkingRanges.problems(day, at: "week[\(i)]", &errors) }
        for (i, e) in (exceptions ?? []).enumerated() { e.problems(at: "exceptions[\(i)]", &errors) }
    }

    /// The calendar `uid`; `existing` gives the name and time zone kept when none is sent.
    func calendar(uid: Int, existing: WorkCalendar?) -> WorkCalendar {
        WorkCalendar(id: WorkCalendar.ID(uid), name: name ?? existing?.name ?? "Calendar \(uid)",
                     week: week.map { $0.compactMap(PlanWorkingRanges.read) },
                     holidays: holidays.flatMap(WorkCalendar.Holidays.init(rawValue:)) ?? .none,
                     exceptions: (exceptions ?? []).map(\.exception),
                     timeZoneIdentifier: timeZone ?? existing?.timeZoneIdentifier ?? "Asia/Tokyo")
    }
}

/// A company's closure: days off `from` to `to` (one day when left out).
struct PlanCompanyClosureInput: RequestBody {
    static let schemaName = "PlanCompanyClosureInput"
    static var schemaHints: [String: JSONSchema] { ["name": JSONSchema.text(PlanRules.nameMax)] }
    var name: String
    var from: CalendarDate
    var to: Sent<CalendarDate>

    var exception: CalendarException { CalendarException(name: name, firstDay: from, lastDay: to.value ?? from) }
}

/// A company's hourly rate in this plan (null: none) and its closures, which make the company's own calendar.
struct PlanCompanyPutBody: RequestBody {
    static let schemaName = "PlanCompanyPut"
    static var schemaHints: [String: JSONSchema] {
        ["hourlyRate": JSONSchema.number.range(0, PlanRules.amountMax),
         "closures": JSONSchema.array(.ref(PlanCompanyClosureInput.schemaName)).itemCount(0...2000)]
    }
    var hourlyRate: Sent<Double>
    var closures: [PlanCompanyClosureInput]?

    func problems(_ errors: inout FieldErrors) {
        for (i, c) in (closures ?? []).enumerated() {
            if let to = c.to.value, to < c.from { errors.add("closures[\(i)].to", "before_start", "to (\(to)) is before from (\(c.from)).") }
        }
    }
}
