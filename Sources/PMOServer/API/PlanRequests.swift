import Foundation
import PMOCore
import PMOStore

// The plan's request bodies that are types (see `RequestBody`). The activity, dependency, calendar,
// company-terms and phase bodies are still read by `PlanJSON` (their lag and duration texts).

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

/// A comment on an issue or register item.
struct CommentCreateBody: RequestBody {
    static let schemaName = "CommentCreate"
    static var schemaHints: [String: JSONSchema] { ["body": JSONSchema.text(RegisterRules.textMax)] }
    var body: String
}
