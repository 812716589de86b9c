import Foundation
import PMOCore
import PMOWords
import PMOInterchange
import PMOSchedule
import PMOStore
import Vapor

/// Words of the plan pages in the viewer's language, from the one catalogue.
struct PlanWords {
    let ja: Bool
    init(_ req: Request) { ja = req.locale != "en" }
    init(_ t: Words) { ja = t.isJapanese }
    /// A word of the one catalogue (`PMOWords`), by key.
    subscript(_ key: String) -> String { I18n.word(key, ja: ja) }
}

/// Formatting of plan values.
enum PlanFormat {
    static func date(_ t: LocalTime?) -> String { t.map { $0.date.description } ?? "" }
    static func dateTime(_ t: LocalTime?) -> String {
        guard let t else { return "" }
        let m = t.minuteOfDay
        return "\(t.date) " + String(format: "%02d:%02d", m / 60, m % 60)
    }
    static func days(_ minutes: Int, perDay: Int) -> String { number(Double(minutes) / Double(max(1, perDay))) }
    static func number(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
    static func money(_ v: Double) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.maximumFractionDigits = 0
        f.locale = Locale(identifier: "en_US_POSIX")
        f.groupingSeparator = ","
        f.usesGroupingSeparator = true
        return f.string(from: NSNumber(value: v.rounded())) ?? String(Int(v))
    }
    static func money(_ m: Money) -> String { m.figure }
    static func ratio(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }

    /// A link as the WBS shows it: "12", "12SS", "12FS+2d", "12FF-1d", "12FS+50%".
    static func link(_ d: PlanDependency, perDay: Int) -> String {
        var s = "\(d.predecessorUID)" + (d.kind == .finishToStart ? "" : d.kind.rawValue)
        switch d.lag {
        case .working(let m) where m != 0:
            s += (d.kind == .finishToStart ? "FS" : "") + (m > 0 ? "+" : "") + days(m, perDay: perDay) + "d"
        case .elapsed(let m) where m != 0:
            s += (d.kind == .finishToStart ? "FS" : "") + (m > 0 ? "+" : "") + days(m, perDay: 1440) + "ed"
        case .percent(let p) where p != 0:
            s += (d.kind == .finishToStart ? "FS" : "") + (p > 0 ? "+" : "") + number(p) + "%"
        default: break
        }
        return s
    }

    /// Parses "12", "12SS", "12FS+2", "12FF-1d", "12FS+50%", "12FS+3ed" into a link to `successor`; nil when malformed.
    static func parseLink(_ text: String, successor: Int, perDay: Int) -> PlanDependencyInput? {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        var digits = ""
        var rest = Substring(s)
        while let c = rest.first, c.isASCII, c.isNumber { digits.append(c); rest = rest.dropFirst() }
        guard let pred = Int(digits) else { return nil }
        var kind = Dependency.Kind.finishToStart
        if rest.count >= 2, let k = Dependency.Kind(rawValue: String(rest.prefix(2))) { kind = k; rest = rest.dropFirst(2) }
        var lag = DependencyLag.zero
        if !rest.isEmpty {
            guard rest.first == "+" || rest.first == "-" else { return nil }
            let negative = rest.first == "-"
            rest = rest.dropFirst()
            var unit = "D"
            for suffix in ["ED", "D", "%"] where rest.hasSuffix(suffix) { unit = suffix; rest = rest.dropLast(suffix.count); break }
            guard let v = Double(rest), v.isFinite, v <= 10_000 else { return nil }
            let signed = negative ? -v : v
            switch unit {
            case "%": lag = .percent(signed)
            case "ED": lag = .elapsed(minutes: Int(nearest: signed * 1440) ?? 0)
            default: lag = .working(minutes: Int(nearest: signed * Double(perDay)) ?? 0)
            }
        }
        return PlanDependencyInput(predecessorUID: pred, successorUID: successor, kind: kind, lag: lag)
    }
}
