import Foundation
import PMOCore
import PMOWords

/// The words of agendas, minutes, status reports and kickoff packs, in Japanese or English, read from the one
/// catalogue (`PMOWords`, `DocumentWords`): this type only chooses the key and names the values.
///
/// `lang` is "ja" (or a Japanese tag such as "ja-JP") for Japanese; anything else is English. Every function is total:
/// a reason with missing or empty values still gives a sentence (the missing part is left out), never a crash.
public enum MeetingWords {
    /// True for "ja" and Japanese language tags ("ja-JP"); false for anything else.
    public static func isJapanese(_ lang: String) -> Bool { Language(tag: lang) == .ja }

    static func words(_ lang: String) -> Words { Language(tag: lang) == .ja ? japanese : english }
    private static let japanese = Words(.ja), english = Words(.en)

    // MARK: Agenda

    /// The heading of an agenda section: the rule that brought its items, or "Other business" for items added by
    /// hand (`nil`).
    public static func rule(_ rule: AgendaRule?, lang: String) -> String {
        words(lang)["agenda.rule." + (rule?.rawValue ?? "other")]
    }

    /// One sentence saying why an entry is on the agenda, from the reason's code and values (see
    /// `AgendaReason.Code` for which values each code carries).
    public static func reason(_ reason: AgendaReason, lang: String) -> String {
        let w = words(lang), v = Values(reason.values)
        let key = "reason." + reason.code.rawValue
        switch reason.code {
        case .overdue, .pastDue: return w(key, ["due": v[0], "days": v[1]])
        case .dueBeforeNext, .awaitingDecision: return w(key, ["due": v[0]])
        case .raised: return w[key]
        case .changed: return w(key, ["status": v[0]])
        case .score: return w(key, ["score": v[0], "threshold": v[1]])
        case .triggered: return w(key, ["sign": v[0]])
        case .slip: return w(key, ["days": v[0], "baseline": v[1], "forecast": v[2]])
        case .milestone:
            let days = v[1]
            return days == "0" ? w("reason.milestone_today", ["date": v[0]]) : w(key, ["date": v[0], "days": days])
        case .carried: return w(key, ["n": v[0]])
        case .overCap: return w(key, ["cap": v[0]])
        case .signal:
            // The signal's own sentence, from its code and its `name=value` values.
            var values: [String: String] = [:]
            for pair in reason.values.dropFirst() {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
            let sentence = "signal." + v[0]
            return w.table[sentence] != nil ? w(sentence, values) : w[key]
        }
    }

    // MARK: Status reports

    /// The colour's word: 赤/黄/緑/未計測, Red/Amber/Green/Not measured.
    public static func rag(_ rag: RAG, lang: String) -> String { words(lang)["rag." + rag.rawValue] }

    /// The area's name: 全体/スケジュール/コスト/スコープ/品質/リスク.
    public static func area(_ area: StatusArea, lang: String) -> String { words(lang)["area." + area.rawValue] }

    /// One phrase saying why an area has its colour, from the reason's code and values (see `StatusReason.Code`).
    /// Amounts are yen, written with thousands separators ("¥12,500,000").
    public static func statusReason(_ reason: StatusReason, lang: String) -> String {
        let w = words(lang), v = Values(reason.values)
        let key = "sreason." + reason.code.rawValue
        switch reason.code {
        case .spi, .cpi: return w(key, ["value": v[0]])
        case .milestoneLate: return w(key, ["name": v[0], "days": v[1]])
        case .noPlan, .noActuals: return w[key]
        case .eacOverBudget: return w(key, ["eac": money(v[0]), "bac": money(v[1]), "pct": v[2]])
        case .changesApproved:
            let head = w(key, ["total": v[0]])
            let details = [("since", v[1]), ("days", v[2]), ("cost", money(v[3]))].filter { !$0.1.isEmpty }
                .map { w(key + "." + $0.0, [$0.0: $0.1]) }
            return details.isEmpty ? head : w("word.with_details", ["head": head, "details": w.list(details)])
        case .changesPending, .criticalIssues, .highIssues, .qualityRisks: return w(key, ["n": v[0]])
        case .risksAbove: return w(key, ["n": v[0], "score": v[1]])
        case .triggered: return w(key, ["ref": v[0], "sign": v[1]])
        case .risksUnder: return w(key, ["n": v[0], "threshold": v[1]])
        case .worstArea:
            // Lower case inside an English sentence: "worst area: schedule".
            let name = StatusArea(rawValue: v[0]).map { w.isJapanese ? area($0, lang: lang) : area($0, lang: lang).lowercased() } ?? v[0]
            return w(key, ["name": name])
        case .signals: return w(key, ["red": v[0] == "0" ? "" : v[0], "amber": v[1] == "0" ? "" : v[1]])
        }
    }

    // MARK: Labels

    /// A fixed word of the documents (titles, column headings); the key itself when unknown.
    public static func label(_ key: String, lang: String) -> String { words(lang)[key] }

    // MARK: Small words shared by the renderers

    /// "第12回" or "#12".
    static func occurrence(_ n: Int, lang: String) -> String { words(lang)("word.occurrence", ["n": String(n)]) }

    /// Weekday names, 0 = Sunday.
    public static func weekday(_ day: Int, lang: String) -> String { words(lang)["weekday.\(((day % 7) + 7) % 7)"] }

    /// "2026-11-16（月）" or "Mon 2026-11-16".
    public static func day(_ date: CalendarDate, lang: String) -> String {
        words(lang)("word.day_with_weekday", ["date": date.description, "weekday": weekday(date.weekday, lang: lang)])
    }

    /// "10:00–11:00"; an end past midnight is marked "+1".
    public static func timeRange(start: Int, duration: Int) -> String {
        let end = start + max(0, duration)
        let next = end >= 24 * 60 ? "(+\(end / (24 * 60)))" : ""
        return MeetingRecurrence.clock(start % (24 * 60)) + "–" + MeetingRecurrence.clock(end % (24 * 60)) + next
    }

    /// "毎週" / "weekly", "隔週" / "every 2 weeks", "4週ごと" / "every 4 weeks".
    public static func frequency(_ weeks: Int, lang: String) -> String {
        let w = words(lang)
        switch weeks {
        case ...1: return w["word.frequency.1"]
        case 2: return w["word.frequency.2"]
        default: return w("word.frequency.n", ["n": String(weeks)])
        }
    }

    /// The register's name of an item type.
    static func itemType(_ type: ItemType, lang: String) -> String { words(lang)["item_type." + type.rawValue] }

    /// "山田 太郎（A社）" or "Taro Yamada (A Corp)".
    static func person(_ p: MinutesDocument.Person, lang: String) -> String {
        guard let company = p.company, !company.isEmpty else { return p.name }
        return words(lang)("word.person_of_company", ["name": p.name, "company": company])
    }

    /// Names joined with "、" (Japanese) or ", ".
    static func list(_ names: [String], lang: String) -> String { words(lang).list(names) }

    /// Reasons joined with "; ".
    static func reasons(_ reasons: [AgendaReason], lang: String) -> String {
        reasons.map { reason($0, lang: lang) }.joined(separator: "; ")
    }

    /// "¥12,500,000" for "12500000"; other text as it is; "" for "".
    static func money(_ text: String) -> String {
        guard let n = Int(text) else { return text }
        return (n < 0 ? "-" : "") + "¥" + SCurveChart.grouped(abs(n))
    }

    /// "¥12,500,000" of a number of yen, rounded.
    static func yen(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return money(String(Int(min(max(value, -9e15), 9e15).rounded())))
    }

    /// A value with fixed decimals, without locale: "0.86", "45.0".
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "" }
        return String(format: "%.\(digits)f", value)
    }

    /// The values of a reason by position, "" where missing.
    struct Values {
        let values: [String]
        init(_ values: [String]) { self.values = values }
        subscript(_ i: Int) -> String {
            values.indices.contains(i) ? values[i].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        }
    }
}
