import Foundation

/// What a resource is: a person (with or without an account), a named placeholder for a role not yet staffed, or
/// equipment / an environment counted in units.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable, Codable {
    case person
    case placeholder
    case equipment
}

/// Which resources a register field takes: people (a person or a placeholder) or equipment.
public enum ResourcePick: String, Sendable, Hashable {
    case people
    case equipment

    public func accepts(_ kind: ResourceKind) -> Bool {
        switch self {
        case .people: kind != .equipment
        case .equipment: kind == .equipment
        }
    }
}

/// From `from` on, the resource has `percent` (until the next change).
public struct CapacityChange: Sendable, Hashable {
    public var from: CivilDate
    public var percent: Int
    public init(from: CivilDate, percent: Int) {
        self.from = from
        self.percent = percent
    }
}

/// Days a person is away (leave, training), both ends included.
public struct Absence: Sendable, Hashable {
    public var id: UUID
    public var start: CivilDate
    public var end: CivilDate
    public var note: String
    public init(id: UUID = UUID(), start: CivilDate, end: CivilDate, note: String = "") {
        self.id = id
        self.start = start
        self.end = end
        self.note = note
    }
}

/// A resource's capacity over time, in percent of one working day (a person full time is 100; equipment counts units,
/// two test environments are 200): the base, dated changes, absences, on the working days of its calendar (its
/// company's; the Japanese calendar by default).
public struct ResourceCapacity: Sendable, Hashable {
    public var percent: Int
    /// In date order.
    public var changes: [CapacityChange]
    public var absences: [Absence]

    public init(percent: Int, changes: [CapacityChange] = [], absences: [Absence] = []) {
        self.percent = percent
        self.changes = changes.sorted { $0.from < $1.from }
        self.absences = absences
    }

    /// The capacity on `date` before absences and the calendar: the base, or the last change on or before it.
    public func basePercent(on date: CivilDate) -> Int {
        changes.last { $0.from <= date }?.percent ?? percent
    }

    /// Whether `date` falls in an absence.
    public func isAbsent(on date: CivilDate) -> Bool {
        absences.contains { $0.start <= date && date <= $0.end }
    }

    /// The capacity on `date`: 0 on a day off of `calendar`, a day the company is closed and an absence, else
    /// `basePercent(on:)`.
    public func percent(on date: CivilDate, calendar: WorkCalendar, closures: CompanyClosures? = nil) -> Int {
        guard calendar.isWorkingDay(date), !isAbsent(on: date), !(closures?.isClosed(date) ?? false) else { return 0 }
        return basePercent(on: date)
    }
}

/// What a resource may hold; each refusal names its field.
public enum ResourceRules {
    /// 1,000 units of one piece of equipment, or ten full-time people on one row, is more than any plan needs.
    public static let maxPercent = 100_000
    public static let nameMax = 120
    public static let textMax = 500
    /// The working day a capacity given in hours is a share of: the statutory 8 hours (法定労働時間). Capacity stays a
    /// percentage, as loads are: 100 % is a full working day on every plan, whatever the plan's own day length.
    public static let hoursPerWorkingDay = 8.0

    /// `hours` a day as a percentage of the working day, rounded half up (6 h → 75; 7.5 h → 94); nil for a value
    /// that is not a finite number.
    public static func percent(hoursPerDay hours: Double) -> Int? {
        guard hours.isFinite, abs(hours) <= Double(maxPercent) else { return nil }
        return Int((hours * 100 / hoursPerWorkingDay).rounded(.toNearestOrAwayFromZero))
    }

    /// A percentage of the working day in hours (75 → 6), to two decimals.
    public static func hoursPerDay(percent: Int) -> Double {
        (Double(percent) * hoursPerWorkingDay).rounded() / 100
    }

    /// A capacity as people write it: a percentage (`75`, `75%`, `75％`) or hours a day (`6h`, `6.5 h`, `6時間`,
    /// full-width digits too); nil when it is neither.
    public static func parseCapacity(_ text: some StringProtocol) -> Int? {
        var s = String(text).precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in ["hours", "hour", "hrs", "hr", "h", "時間"] where s.hasSuffix(suffix) {
            s.removeLast(suffix.count)
            let number = s.trimmingCharacters(in: .whitespaces)
            guard let hours = Double(number) else { return nil }
            return percent(hoursPerDay: hours)
        }
        if s.hasSuffix("%") { s.removeLast() }
        return Int(s.trimmingCharacters(in: .whitespaces))
    }

    /// Checks a resource's own fields.
    public static func validate(name: String, kind: ResourceKind, percent: Int, changes: [CapacityChange], hasCompany: Bool,
                                into e: inout FieldErrors) {
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            e.add("name", "required", "Give the resource a name (a person's name, a role such as \"Java developer\", or the equipment).")
        } else if name.count > nameMax {
            e.add("name", "too_long", "A resource's name is at most \(nameMax) characters.")
        }
        checkPercent(percent, field: "capacityPercent", into: &e)
        for (i, c) in changes.enumerated() { checkPercent(c.percent, field: "capacityChanges[\(i)].percent", into: &e) }
        if changes.count > 50 { e.add("capacityChanges", "too_many", "At most 50 capacity changes.") }
        if Set(changes.map(\.from)).count != changes.count {
            e.add("capacityChanges", "duplicate", "Two capacity changes start on the same day; keep one per day.")
        }
        if kind != .equipment && !hasCompany {
            e.add("companyId", "needs_company", "A person or placeholder belongs to a company (the one whose staff it is, or will be).")
        }
    }

    static func checkPercent(_ p: Int, field: String, into e: inout FieldErrors) {
        if p < 0 {
            e.add(field, "out_of_range", "Capacity cannot be below zero; use 0 for a resource that is not available.")
        } else if p > maxPercent {
            e.add(field, "out_of_range", "Capacity is at most \(maxPercent) % (1,000 units).")
        }
    }

    /// Checks an absence: it ends on or after the day it starts.
    public static func validateAbsence(start: CivilDate?, end: CivilDate?, note: String) throws {
        var e = FieldErrors()
        if start == nil { e.add("start", "required", "Give the first day of the absence (YYYY-MM-DD).") }
        if end == nil { e.add("end", "required", "Give the last day of the absence (YYYY-MM-DD).") }
        if let start, let end, end < start {
            e.add("end", "out_of_order", "The absence ends (\(end)) before it starts (\(start)); the last day is on or after the first.")
        }
        if note.count > textMax { e.add("note", "too_long", "A note is at most \(textMax) characters.") }
        try e.throwIfAny("resource.invalid_absence")
    }
}
