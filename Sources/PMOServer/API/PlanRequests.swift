import Foundation
import PMOCore
import PMOStore

// The plan's request bodies that are types (see `RequestBody`). The activity, calendar and
// company-terms bodies are still read by `PlanJSON` (their lag and duration texts).

/// The plan's name, start or working minutes per day.
struct PlanSettingsPatchBody: RequestBody {
    static let schemaName = "PlanSettingsPatch"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(PlanRules.nameMax), "minutesPerDay": JSONSchema.integer.range(60, 1440)]
    }
    var name: String?
    var start: CalendarDate?
    var minutesPerDay: Int?
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
                      remainingDays: remainingDays, actualCost: actualCost, actualHours: actualHours)
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
