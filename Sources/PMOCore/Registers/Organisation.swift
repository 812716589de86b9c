import Foundation

/// The rules of a project's organisation that need more than one unit: reporting lines that never loop, and which
/// escalation route an issue takes.
public enum Organisation {
    /// The loop `unit` would close by reporting to `reportsTo`, given every unit's current line (`parents`: unit →
    /// the unit it reports to), as the chain of units from `unit` back to itself (`[3, 1, 3]`); nil when there is none.
    /// A new unit (nil) cannot close a loop, since no unit reports to it yet.
    public static func reportingLoop(unit: Int?, reportsTo: Int, parents: [Int: Int]) -> [Int]? {
        guard let unit else { return nil }
        var chain = [unit, reportsTo]
        var seen: Set<Int> = [unit]
        var current = reportsTo
        while current != unit {
            guard !seen.contains(current), let next = parents[current] else { return nil }
            seen.insert(current)
            chain.append(next)
            current = next
        }
        return chain
    }

    /// An escalation route as the lookup reads it.
    public struct Route: Sendable, Equatable {
        public var number: Int
        public var fromUnit: Int
        public var toUnit: Int
        public var level: Int
        public var minPriority: IssuePriority
        public var withinDays: Int

        public init(number: Int, fromUnit: Int, toUnit: Int, level: Int, minPriority: IssuePriority, withinDays: Int) {
            self.number = number
            self.fromUnit = fromUnit
            self.toUnit = toUnit
            self.level = level
            self.minPriority = minPriority
            self.withinDays = withinDays
        }
    }

    /// The route an issue of `priority`, now at escalation level `level`, takes out of `unit`: among the routes from
    /// the unit to a higher level that take this priority, the nearest level, then the most specific (the highest
    /// `minPriority`), then the quickest, then the lowest number. Nil when the unit has no such route.
    public static func nextRoute(from unit: Int, priority: IssuePriority, level: Int, routes: [Route]) -> Route? {
        let rank = { (p: IssuePriority) in IssuePriority.allCases.firstIndex(of: p) ?? 0 }
        return routes
            .filter { $0.fromUnit == unit && $0.level > level && rank($0.minPriority) <= rank(priority) }
            .min { a, b in
                (a.level, -rank(a.minPriority), a.withinDays, a.number) < (b.level, -rank(b.minPriority), b.withinDays, b.number)
            }
    }

    /// The day `days` working days (Japanese calendar: weekdays that are not public holidays) after `start`.
    public static func addingWorkingDays(_ days: Int, to start: CalendarDate) -> CalendarDate {
        var day = start
        var left = days
        while left > 0 {
            day = day.adding(days: 1)
            if (1...5).contains(day.weekday) && JapaneseHolidays.name(of: day) == nil { left -= 1 }
        }
        return day
    }
}

/// The RACI table (役割分担表): one row per function or deliverable, one column per unit, each cell the unit's
/// letter on that row (R, A, C or I; empty when it has none).
public struct RaciTable: Sendable, Equatable {
    public struct Unit: Sendable, Equatable {
        public var number: Int
        public var name: String
        public init(number: Int, name: String) { (self.number, self.name) = (number, name) }
    }

    public struct Row: Sendable, Equatable {
        public var number: Int
        public var title: String
        public var rowKind: String
        public var phase: String
        /// Unit number → "R", "A", "C" or "I".
        public var letters: [Int: String]
    }

    public var units: [Unit]
    public var rows: [Row]

    /// The table from the units and the RACI rows (their fields); a unit named on a row but not among `units`
    /// (hidden or disbanded) is left out of that row.
    public static func build(units: [Unit], rows: [(number: Int, title: String, details: [String: RegisterValue])]) -> RaciTable {
        let known = Set(units.map(\.number))
        let table = rows.sorted { $0.number < $1.number }.map { r -> Row in
            var letters: [Int: String] = [:]
            for (field, letter) in [("informedUnits", "I"), ("consulted", "C"), ("responsible", "R")] {
                for ref in r.details[field]?.items ?? [] where known.contains(ref.number) { letters[ref.number] = letter }
            }
            if let a = r.details["accountable"]?.item, known.contains(a.number) { letters[a.number] = "A" }
            return Row(number: r.number, title: r.title, rowKind: r.details["rowKind"]?.text ?? "function",
                       phase: r.details["phase"]?.text ?? "", letters: letters)
        }
        return RaciTable(units: units.sorted { $0.number < $1.number }, rows: table)
    }
}
