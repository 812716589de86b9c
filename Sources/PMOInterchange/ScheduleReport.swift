import Foundation
import PMOCore
import PMOSchedule

/// The rows `pmo schedule` prints: one per activity in plan order, with the project's dates and the diagnostics.
///
/// Build it from a plan and its result, then `render(_:)` it as table, JSON or CSV (pure: same input, same bytes).
public struct ScheduleReport: Hashable, Sendable {
    /// How instants and floats are shown.
    public enum Units: Hashable, Sendable {
        /// ISO 8601 local date-times (`2018-10-26T17:00:00`) and floats in working minutes (MSPDI files).
        case dateTime
        /// Whole periods from the plan start and floats in periods (PSPLIB files).
        case periods
    }

    /// Output formats.
    public enum Format: String, Hashable, Sendable, CaseIterable {
        /// Aligned text columns for a terminal.
        case table
        /// One JSON object (keys in a fixed order).
        case json
        /// RFC 4180 CSV with a header row.
        case csv
    }

    /// One activity's row.
    public struct Row: Hashable, Sendable {
        /// The file's task UID or job number.
        public var uid: Int
        /// Name.
        public var name: String
        /// Scheduled start (actual where progress says so).
        public var start: LocalTime
        /// Scheduled finish (finish-style: end of a working day is that day's end, e.g. 17:00).
        public var finish: LocalTime
        /// Late start.
        public var lateStart: LocalTime
        /// Late finish (finish-style).
        public var lateFinish: LocalTime
        /// Total float in working minutes (periods for PSPLIB).
        public var totalFloatMinutes: Int
        /// Free float in working minutes (periods for PSPLIB).
        public var freeFloatMinutes: Int
        /// Critical flag.
        public var critical: Bool
    }

    /// Units of the output.
    public var units: Units
    /// Instant that period 0 stands for (the plan start).
    public var origin: LocalTime
    /// Project start.
    public var projectStart: LocalTime
    /// Project finish.
    public var projectFinish: LocalTime
    /// Length without resource limits in periods (PSPLIB only).
    public var projectLength: Int?
    /// Status date used (nil when the file has none).
    public var statusDate: LocalTime?
    /// Rows in plan order.
    public var rows: [Row]
    /// Diagnostics of the scheduler.
    public var diagnostics: [ScheduleDiagnostic]
    /// Working minutes per day, to show floats in days in the table.
    public var minutesPerDay: Int
    /// How the schedule was levelled, when it was.
    public var levelling: Levelling?

    /// What the leveller did, for the report's header.
    public struct Levelling: Hashable, Sendable {
        /// Schedules generated.
        public var schedules: Int
        /// Length without resource limits (periods for PSPLIB).
        public var criticalPathLength: Int
        /// Lower bound of any feasible schedule's length.
        public var lowerBound: Int
        /// Whether the time limit ended the search before its number of schedules.
        public var stoppedEarly: Bool
        /// Activities moved (plans only).
        public var moved: Int?
        /// Resource-days still over capacity (plans only).
        public var remainingOverloads: Int?
        /// A summary.
        public init(
            schedules: Int, criticalPathLength: Int, lowerBound: Int, stoppedEarly: Bool, moved: Int? = nil,
            remainingOverloads: Int? = nil
        ) {
            self.schedules = schedules
            self.criticalPathLength = criticalPathLength
            self.lowerBound = lowerBound
            self.stoppedEarly = stoppedEarly
            self.moved = moved
            self.remainingOverloads = remainingOverloads
        }
    }

    /// Builds the rows of `result` (computed from `plan`).
    public init(plan: SchedulePlan, result: ScheduleResult, units: Units = .dateTime, statusDate: LocalTime? = nil) {
        self.units = units
        self.origin = plan.start
        self.projectStart = result.projectStart
        self.projectFinish = result.projectFinish
        self.statusDate = statusDate
        self.diagnostics = result.diagnostics
        self.minutesPerDay = max(1, plan.minutesPerDay)
        let names = Dictionary(plan.activities.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        self.rows = result.activities.map { a in
            Row(
                uid: a.id.rawValue, name: names[a.id] ?? "", start: a.start, finish: a.finish, lateStart: a.lateStart,
                lateFinish: a.lateFinish, totalFloatMinutes: a.totalFloat, freeFloatMinutes: a.freeFloat,
                critical: a.isCritical)
        }
        self.projectLength = units == .periods ? result.projectFinish.minutes - plan.start.minutes : nil
        if units == .periods { self.projectStart = plan.start }
    }

    /// The report in `format`; ends with a newline.
    public func render(_ format: Format) -> String {
        switch format {
        case .json: return renderJSON()
        case .csv: return renderCSV()
        case .table: return renderTable()
        }
    }

    func instant(_ t: LocalTime) -> String {
        units == .periods ? String(t.minutes - origin.minutes) : t.description
    }

    func instantJSON(_ t: LocalTime) -> String {
        units == .periods ? String(t.minutes - origin.minutes) : ScheduleReport.jsonString(t.description)
    }

    var floatKeys: (String, String) {
        units == .periods ? ("totalFloat", "freeFloat") : ("totalFloatMinutes", "freeFloatMinutes")
    }

    func renderJSON() -> String {
        var s = "{"
        s += "\"projectStart\":" + instantJSON(projectStart)
        s += ",\"projectFinish\":" + instantJSON(projectFinish)
        if let projectLength { s += ",\"projectLength\":\(projectLength)" }
        if let l = levelling {
            s += ",\"levelling\":{\"schedules\":\(l.schedules),\"criticalPathLength\":\(l.criticalPathLength)"
            s += ",\"lowerBound\":\(l.lowerBound),\"stoppedEarly\":\(l.stoppedEarly)"
            if let m = l.moved { s += ",\"moved\":\(m)" }
            if let r = l.remainingOverloads { s += ",\"remainingOverloads\":\(r)" }
            s += "}"
        }
        s += ",\"activities\":["
        let (tk, fk) = floatKeys
        for (i, r) in rows.enumerated() {
            if i > 0 { s += "," }
            s += "{\"uid\":\(r.uid),\"name\":" + ScheduleReport.jsonString(r.name)
            s += ",\"start\":" + instantJSON(r.start) + ",\"finish\":" + instantJSON(r.finish)
            s += ",\"lateStart\":" + instantJSON(r.lateStart) + ",\"lateFinish\":" + instantJSON(r.lateFinish)
            s += ",\"\(tk)\":\(r.totalFloatMinutes),\"\(fk)\":\(r.freeFloatMinutes),\"critical\":\(r.critical)}"
        }
        s += "],\"diagnostics\":["
        for (i, d) in diagnostics.enumerated() {
            if i > 0 { s += "," }
            s +=
                "{\"code\":" + ScheduleReport.jsonString(d.code.rawValue) + ",\"message\":"
                + ScheduleReport.jsonString(d.message)
            s += ",\"activities\":[" + d.activities.map { String($0.rawValue) }.joined(separator: ",") + "]}"
        }
        return s + "]}\n"
    }

    func renderCSV() -> String {
        let (tk, fk) = floatKeys
        var lines = ["uid,name,start,finish,lateStart,lateFinish,\(tk),\(fk),critical"]
        for r in rows {
            lines.append(
                [
                    String(r.uid), ScheduleReport.csvField(r.name), instant(r.start), instant(r.finish),
                    instant(r.lateStart),
                    instant(r.lateFinish), String(r.totalFloatMinutes), String(r.freeFloatMinutes), String(r.critical),
                ]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    func floatText(_ minutes: Int) -> String {
        if units == .periods { return String(minutes) }
        let days = Double(minutes) / Double(minutesPerDay)
        let text = days == days.rounded() ? String(Int(days)) : String(format: "%.2f", days)
        return text + "d"
    }

    func renderTable() -> String {
        let header = [
            "UID", "Name", "Start", "Finish", "Late start", "Late finish", "Total float", "Free float", "Critical",
        ]
        var body: [[String]] = rows.map { r in
            [
                String(r.uid), r.name, instant(r.start), instant(r.finish), instant(r.lateStart), instant(r.lateFinish),
                floatText(r.totalFloatMinutes), floatText(r.freeFloatMinutes), r.critical ? "yes" : "",
            ]
        }
        body.insert(header, at: 0)
        var widths = [Int](repeating: 0, count: header.count)
        for row in body {
            for (i, c) in row.enumerated() { widths[i] = max(widths[i], ScheduleReport.displayWidth(c)) }
        }
        let rightAligned: Set<Int> = [0, 6, 7]
        var out = ""
        if let projectLength {
            out += "Project length: \(projectLength) periods\n"
        } else {
            out += "Project: \(instant(projectStart)) – \(instant(projectFinish))\n"
        }
        if let l = levelling {
            let unit = units == .periods ? "periods" : "working days"
            out += "Levelled with \(l.schedules) schedules" + (l.stoppedEarly ? " (time limit reached)" : "")
            out += "; critical path \(l.criticalPathLength), lower bound \(l.lowerBound) \(unit)"
            if let m = l.moved { out += "; \(m) activities moved" }
            if let r = l.remainingOverloads { out += "; \(r) resource-days still over capacity" }
            out += "\n"
        }
        for row in body {
            let cells = row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - ScheduleReport.displayWidth(c))
                return rightAligned.contains(i) ? pad + c : c + pad
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        for d in diagnostics {
            out += "\(d.code.rawValue): \(d.message)"
            if !d.activities.isEmpty {
                out += " [" + d.activities.map { String($0.rawValue) }.joined(separator: ", ") + "]"
            }
            out += "\n"
        }
        return out
    }

    /// Terminal columns of a string: East Asian wide and full-width characters (e.g. 設計, ＡＢ) take two.
    static func displayWidth(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: break  // combining marks, zero-width
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                0x20000...0x3FFFD:
                w += 2
            default: w += 1
            }
        }
        return w
    }

    /// A JSON string literal with the required escapes.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
