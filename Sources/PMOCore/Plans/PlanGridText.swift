import Foundation

// How the plan grid reads what people type or paste (pure: no page, no database). The cells' text becomes the plan's
// values in the server's `GridCellReader`; the words people use for the columns and units in Japanese and English,
// including Microsoft Project's and Excel's headings, are read here.

/// The grid's editable columns, by the keys the page, the script and pasted headers use.
public enum GridColumn: String, CaseIterable, Sendable {
    case id, name, duration, start, finish, predecessors, owner, company, percent

    /// A pasted header cell's column: the key, or the grid's heading in English or Japanese, or Microsoft Project's.
    public static func named(_ text: String) -> GridColumn? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let names: [String: GridColumn] = [
            "id": .id, "uid": .id, "name": .name, "task name": .name, "名前": .name, "作業名": .name, "タスク名": .name,
            "duration": .duration, "dur": .duration, "期間": .duration, "日数": .duration, "start": .start, "開始": .start, "開始日": .start,
            "finish": .finish, "終了": .finish, "終了日": .finish, "predecessors": .predecessors, "pred": .predecessors, "先行": .predecessors,
            "先行タスク": .predecessors, "owner": .owner, "担当": .owner, "担当者": .owner, "company": .company, "会社": .company,
            "%": .percent, "% complete": .percent, "percent": .percent, "進捗率": .percent, "達成率": .percent,
        ]
        return names[t]
    }
}

/// Cell text as people type or paste it: full-width digits and signs (Japanese input) read as ASCII.
public enum GridText {
    public static func normalized(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            if ch.value >= 0xFF01 && ch.value <= 0xFF5E, let half = Unicode.Scalar(ch.value - 0xFEE0) { out.unicodeScalars.append(half) }
            else if ch == "\u{3000}" { out.append(" ") }
            else { out.unicodeScalars.append(ch) }
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "5", "5d", "5 days", "5日", "0.5" as working days.
    public static func days(_ s: String) -> Double? {
        var t = s.lowercased().trimmingCharacters(in: .whitespaces)
        for suffix in ["days", "day", "日間", "日", "d"] where t.hasSuffix(suffix) { t = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces); break }
        if t.isEmpty { return nil }
        guard let v = Double(t), v.isFinite, v >= 0 else { return nil }
        return v
    }

    /// "2026-12-05", "2026/12/5", "2026年12月5日", and "12/5" (in `year`).
    public static func date(_ s: String, year: Int) -> CivilDate? {
        let t = s.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-").replacingOccurrences(of: "日", with: "")
            .replacingOccurrences(of: "/", with: "-").split(separator: " ").first.map(String.init) ?? ""
        let parts = t.split(separator: "-").map { Int($0) }
        if parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2] { return CivilDate(year: y, month: m, day: d) }
        if parts.count == 2, let m = parts[0], let d = parts[1] { return CivilDate(year: year, month: m, day: d) }
        return nil
    }
}


/// Where a pasted row sits in the outline: a column of outline levels ("Level", "Outline level", "レベル",
/// "アウトラインレベル", "階層": 1, 2, 3…) or of WBS codes ("WBS", "WBS番号": 1.2.3 is level 3), as Microsoft Project
/// and the usual Excel WBS sheets copy them.
public enum GridOutline: Sendable, Equatable {
    case level, wbs

    public static func heading(_ text: String) -> GridOutline? {
        switch GridText.normalized(text).lowercased() {
        case "level", "outline level", "outline_level", "レベル", "アウトラインレベル", "階層": .level
        case "wbs", "wbs code", "wbs番号", "wbsコード": .wbs
        default: nil
        }
    }

    /// The row's level (1 the top), or nil when the cell does not say one.
    public func level(_ text: String) -> Int? {
        let t = GridText.normalized(text)
        switch self {
        case .level:
            guard let n = Int(t), n >= 1, n <= 50 else { return nil }
            return n
        case .wbs:
            let parts = t.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.count <= 50, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
            return parts.count
        }
    }
}
