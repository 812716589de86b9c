import Foundation

/// The rules every register item keeps, independent of storage.
public enum RegisterRules {
    public static let titleMax = 200
    public static let textMax = 10_000
    /// Limits of numbers in register fields: working days (a saving may be negative) and amounts (yen, hours).
    public static let workDaysMax = 10_000
    /// Working-day fields that count forward only (an escalation goes up 0 or more days after it starts): the API's
    /// schema says so, so that a client learns it from the document.
    public static let nonNegativeDays: Set<String> = ["withinDays"]
    public static let amountMax = 1e13
    /// An open item older than this many days counts as ageing on the overview.
    public static let ageingAfterDays = 30
    /// Risks with a score at or above this are "top risks" (red on the heat map).
    public static let highRiskScore = 15

    /// Field-level rules; returns every violation (empty when valid).
    public static func validate(_ kind: RegisterKind, _ f: RegisterItemFields) -> [FieldError] {
        var e = FieldErrors()
        let title = f.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty {
            e.add("title", "required", "Give the \(kind.rawValue) a title.")
        } else if title.count > titleMax {
            e.add("title", "too_long", "The title may have at most \(titleMax) characters (it has \(title.count)).")
        }
        if f.description.count > textMax {
            e.add("description", "too_long", "description may have at most \(textMax) characters (it has \(f.description.count)).")
        }
        if !kind.statuses.contains(f.status) {
            e.add("status", "invalid_choice", "status must be one of: \(kind.statuses.joined(separator: ", ")).")
        }
        if f.visibility.scope == .company && f.visibility.companyID == nil {
            e.add("visibilityCompanyId", "required_here", "A company-only item needs the company it is visible to.")
        }
        for spec in kind.fields {
            guard let value = f.details[spec.name] else {
                if spec.required { e.add(spec.name, "required", "\(spec.name) is required.") }
                continue
            }
            if let problem = check(value, against: spec) { e.add(spec.name, problem.0, problem.1) }
        }
        for name in f.details.keys.sorted() where kind.field(name) == nil {
            e.add(name, "unknown_field", "A \(kind.rawValue) has no field \(name).")
        }
        switch kind {
        case .risk:
            if let strategy = f.details["strategy"]?.text, let type = f.details["riskType"]?.text {
                let allowed = type == "opportunity" ? RegisterFieldSpec.opportunityStrategies : RegisterFieldSpec.threatStrategies
                if !allowed.contains(strategy) {
                    e.add("strategy", "invalid_choice", "A \(type) takes one of the strategies \(allowed.joined(separator: ", ")); \(strategy) is not one of them.")
                }
            }
        case .question:
            if f.status != "open" && f.status != "closed" && (f.details["answer"]?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                e.add("answer", "required_here", "An \(f.status) question needs its answer.")
            }
        case .decision:
            if f.status == "decided" || f.status == "superseded" {
                if (f.details["decision"]?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    e.add("decision", "required_here", "Write what was decided.")
                }
                if f.details["decider"] == nil { e.add("decider", "required_here", "Name who decided.") }
            }
        case .interface:
            if let source = f.details["source"]?.item, source == f.details["target"]?.item {
                e.add("target", "same_as_source", "An interface joins two different systems: the target is the source (\(source)).")
            }
            for (start, end) in [("testPlannedStart", "testPlannedEnd"), ("testActualStart", "testActualEnd")] {
                if let s = f.details[start]?.date, let t = f.details[end]?.date, t < s {
                    e.add(end, "before_start", "The test window ends (\(t)) before it starts (\(s)).")
                }
            }
        case .requirement:
            // An NFR is placed in its IPA grade group; a functional requirement has none.
            let type = f.details["requirementType"]?.text
            if type == "non_functional" && f.details["nfrGroup"] == nil {
                e.add("nfrGroup", "required_here", "A non-functional requirement needs its group: one of \(RegisterFieldSpec.nfrGroups.joined(separator: ", ")).")
            } else if type == "functional", f.details["nfrGroup"] != nil {
                e.add("nfrGroup", "not_allowed", "Only a non-functional requirement has a group: leave it empty, or make the requirement non_functional.")
            }
        case .test:
            if f.status != "planned" && f.details["executedOn"] == nil {
                e.add("executedOn", "required_here", "A \(f.status) test needs the day it was run.")
            }
        case .escalation:
            if let from = f.details["fromUnit"]?.item, from == f.details["toUnit"]?.item {
                e.add("toUnit", "same_as_source", "An escalation route goes to another unit: the target is the unit it starts from (\(from)).")
            }
            if let days = f.details["withinDays"]?.integer, days < 0 {
                e.add("withinDays", "out_of_range", "withinDays is a number of working days, 0 or more.")
            }
        case .raci:
            // One letter per unit: a unit is responsible, accountable, consulted or informed, not two of them.
            var seen = Set(f.details["responsible"]?.items ?? [])
            if let a = f.details["accountable"]?.item {
                if seen.contains(a) { e.add("accountable", "duplicate_role", "\(a) is already responsible: a unit takes one letter of RACI per row.") }
                seen.insert(a)
            }
            for field in ["consulted", "informedUnits"] {
                let refs = f.details[field]?.items ?? []
                if let twice = refs.first(where: { seen.contains($0) }) {
                    e.add(field, "duplicate_role", "\(twice) already has a letter on this row: a unit takes one letter of RACI per row.")
                }
                seen.formUnion(refs)
            }
        case .change, .action, .system, .function, .unit:
            // A unit's reporting line is checked against the others' by the store (`Organisation.reportingLoop`).
            break
        }
        return e.all
    }

    /// The register fields that are amounts of money (the other `.amount` fields count hours).
    public static let yenFields: Set<String> = ["costImpact"]

    /// `details` with every amount of money in whole yen, by the product's one rounding rule (half up, `Money(rounding:)`):
    /// a change's cost impact and a decision's options' cost. What is not finite is left for `check` to refuse.
    public static func wholeYen(_ details: [String: RegisterValue]) -> [String: RegisterValue] {
        var out = details
        for name in yenFields {
            if case .number(let n)? = out[name], let m = Money(rounding: n) { out[name] = .number(m.approximate) }
        }
        if case .options(var list)? = out["options"] {
            for i in list.indices { list[i].cost = list[i].cost.map { c in Money(rounding: c).map(\.approximate) ?? c } }
            out["options"] = .options(list)
        }
        return out
    }

    /// A value's problem against its field, as (code, message).
    static func check(_ value: RegisterValue, against spec: RegisterFieldSpec) -> (String, String)? {
        switch (spec.kind, value) {
        case (.text(let max), .text(let s)):
            return s.count > max ? ("too_long", "\(spec.name) may have at most \(max) characters (it has \(s.count)).") : nil
        case (.longText, .text(let s)):
            return s.count > textMax ? ("too_long", "\(spec.name) may have at most \(textMax) characters (it has \(s.count)).") : nil
        case (.level, .integer(let n)):
            return (1...5).contains(n) ? nil : ("out_of_range", "\(spec.name) must be from 1 to 5.")
        case (.amount, .number), (.amount, .integer):
            let v = value.number ?? -1
            return v >= 0 && v < 1e13 ? nil : ("out_of_range", "\(spec.name) must be zero or more.")
        case (.workDays, .integer(let n)):
            return abs(n) <= 10_000 ? nil : ("out_of_range", "\(spec.name) must be between -10000 and 10000 working days.")
        case (.choice(let allowed), .text(let s)):
            return allowed.contains(s) ? nil : ("invalid_choice", "\(spec.name) must be one of: \(allowed.joined(separator: ", ")).")
        case (.date, .date), (.bool, .bool), (.user, .user), (.company, .company):
            return nil
        case (.item(let type), .item(let ref)):
            return ref.type == type && ref.projectKey == nil ? nil : ("wrong_type", "\(spec.name) must be a \(type.register?.rawValue ?? "item") of this project, such as \(type.rawValue)3.")
        case (.items(let type), .items(let refs)):
            if refs.count > RegisterFieldSpec.stepsMax { return ("too_many", "\(spec.name) may list at most \(RegisterFieldSpec.stepsMax) items.") }
            return refs.allSatisfy { $0.type == type && $0.projectKey == nil } ? nil
                : ("wrong_type", "\(spec.name) must list \(type.register?.plural ?? "items") of this project, such as \(type.rawValue)3, \(type.rawValue)7.")
        case (.activities, .activities(let ids)):
            if ids.count > RegisterFieldSpec.activitiesMax { return ("too_many", "\(spec.name) may list at most \(RegisterFieldSpec.activitiesMax) activities.") }
            return ids.allSatisfy { $0 > 0 } ? nil : ("invalid_reference", "\(spec.name) lists plan activities by their ids, such as 12, 14.")
        case (.resources, .resources(let ids)):
            if ids.count > RegisterFieldSpec.resourcesMax { return ("too_many", "\(spec.name) may list at most \(RegisterFieldSpec.resourcesMax) resources.") }
            return Set(ids).count == ids.count ? nil : ("duplicate", "\(spec.name) names a resource twice; name each once.")
        case (.indicators, .indicators(let list)):
            if list.count > 50 { return ("too_long", "A risk may have at most 50 indicators.") }
            if list.contains(where: { $0.text.trimmingCharacters(in: .whitespaces).isEmpty || $0.text.count > 500 }) {
                return ("invalid", "Each indicator needs a text of 1 to 500 characters.")
            }
            return nil
        case (.options, .options(let list)):
            if list.count > 20 { return ("too_long", "A decision may have at most 20 options.") }
            if list.contains(where: { $0.title.trimmingCharacters(in: .whitespaces).isEmpty || $0.title.count > 200 }) {
                return ("invalid", "Each option needs a title of 1 to 200 characters.")
            }
            if list.contains(where: { ($0.cost ?? 0) < 0 || ($0.effortHours ?? 0) < 0 }) {
                return ("out_of_range", "An option's cost and effort must be zero or more.")
            }
            return nil
        default:
            return ("wrong_type", "\(spec.name) has the wrong kind of value.")
        }
    }

    /// Refuses a status change the workflow does not allow, naming the allowed next statuses.
    public static func checkTransition(_ kind: RegisterKind, from: String, to: String) -> FieldError? {
        guard from != to, kind.statuses.contains(to) else { return nil }
        let next = kind.nextStatuses(from: from)
        guard !next.contains(to) else { return nil }
        let allowed = next.isEmpty ? "none: \(from) is final" : next.joined(separator: ", ")
        return FieldError(field: "status", code: "transition_not_allowed",
                          message: "A \(kind.rawValue) cannot go from \(from) to \(to). Allowed next: \(allowed).")
    }

    /// What the product records itself when the status changes: when a decision was made and its lead time, who
    /// answered a question and when, who approved a change and when, when an action was done.
    public static func applyTransitionEffects(_ kind: RegisterKind, from: String, to fields: inout RegisterItemFields,
                                              actor: UserID, today: CalendarDate, raisedOn: CalendarDate) {
        let to = fields.status
        guard from != to else { return }
        switch (kind, to) {
        case (.decision, "decided"):
            fields.details["decidedOn"] = .date(today)
            fields.details["leadTimeDays"] = .integer(workingDays(after: raisedOn, through: today))
        case (.question, "answered"):
            fields.details["answeredBy"] = .user(actor)
            fields.details["answeredOn"] = .date(today)
        case (.change, "approved"):
            fields.details["approvedBy"] = .user(actor)
            fields.details["approvedOn"] = .date(today)
        case (.requirement, "agreed"):
            // The first agreement stands: a change raised after it changed an agreed requirement.
            if fields.details["agreedOn"] == nil { fields.details["agreedOn"] = .date(today) }
        case (.action, "done"):
            if fields.details["doneOn"] == nil { fields.details["doneOn"] = .date(today) }
        case (.action, "open"), (.action, "in_progress"):
            fields.details["doneOn"] = nil
        default:
            break
        }
    }

    /// Working days from `start` (not counted) to `end` (counted) on the Japanese calendar: weekdays that are not
    /// public holidays. A decision raised and decided on the same day took 0 working days.
    public static func workingDays(after start: CalendarDate, through end: CalendarDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if (1...5).contains(day.weekday) && JapaneseHolidays.name(of: day) == nil { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// A risk's score: probability × the largest of its impacts (1–25); nil for other registers.
    public static func score(_ kind: RegisterKind, _ details: [String: RegisterValue]) -> Int? {
        guard kind == .risk, let p = details["probability"]?.integer else { return nil }
        let impact = ["impactSchedule", "impactCost", "impactQuality"].compactMap { details[$0]?.integer }.max()
        return impact.map { p * $0 }
    }

    /// The risk's score after its response, when residual figures are given.
    public static func residualScore(_ details: [String: RegisterValue]) -> Int? {
        guard let p = details["residualProbability"]?.integer, let i = details["residualImpact"]?.integer else { return nil }
        return p * i
    }

    /// The largest impact of a risk (its row on the heat map).
    public static func impact(_ details: [String: RegisterValue]) -> Int? {
        ["impactSchedule", "impactCost", "impactQuality"].compactMap { details[$0]?.integer }.max()
    }

    /// Past its due date and not finished, as of `today`.
    public static func isOverdue(_ kind: RegisterKind, status: String, dueDate: CalendarDate?, today: CalendarDate) -> Bool {
        guard let dueDate, kind.dueStatuses.contains(status) else { return false }
        return dueDate < today
    }
}
