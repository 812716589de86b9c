import Foundation

/// The one-cell text forms of structured fields, used by forms without JavaScript and by spreadsheets.
///
/// Indicators: one per line, `triggered: text` or `watching: text` (a line without a prefix is watched); the Japanese
/// words `兆候あり:` and `監視中:` (the pages' labels, with a half- or full-width colon) are read the same.
/// Options: one per line, `title | pros | cons | cost | working days | effort hours` (trailing parts optional).
public enum RegisterText {
    /// The prefixes a line may start with, in both languages.
    public static let indicatorPrefixes: [(word: String, status: WarningIndicator.Status)] = [
        ("watching", .watching), ("triggered", .triggered), ("監視中", .watching), ("兆候あり", .triggered),
    ]

    /// Items in order as one cell: `CRM-F3, CRM-F7` (the project's key written, so a sheet can be read anywhere).
    public static func references(_ refs: [ItemReference], projectKey: String) -> String {
        refs.map { $0.type.reference(projectKey: projectKey, number: $0.number) }.joined(separator: ", ")
    }

    /// Reads `F3, CRM-F7` (commas, full-width commas, spaces or lines between) as items of `type` in project
    /// `projectKey`, in order; the first that is not one is refused naming `field`.
    public static func parseReferences(_ text: String, type: ItemType, projectKey: String, field: String) -> Result<[ItemReference], FieldError> {
        var refs: [ItemReference] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == "、" || $0 == "，" || $0.isWhitespace || $0.isNewline }) {
            guard let ref = ItemReference(String(part)), ref.type == type, ref.projectKey == nil || ref.projectKey == projectKey else {
                let example = "\(type.rawValue)3, \(type.rawValue)7"
                return .failure(FieldError(field: field, code: "invalid_reference",
                                           message: "'\(part)' is not a reference to a \(type.register?.rawValue ?? "item") of \(projectKey): list them like \(example)."))
            }
            refs.append(ItemReference(projectKey: nil, type: type, number: ref.number))
        }
        return .success(refs)
    }

    /// Plan activities as text: `12, 14`.
    public static func activities(_ ids: [Int]) -> String { ids.map(String.init).joined(separator: ", ") }

    /// Reads `12, #14` (commas, 、, spaces or lines between) as plan activity ids, in order, without repeats.
    public static func parseActivities(_ text: String, field: String) -> Result<[Int], FieldError> {
        var ids: [Int] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == "、" || $0 == "，" || $0.isWhitespace || $0.isNewline }) {
            let digits = part.hasPrefix("#") ? part.dropFirst() : part[...]
            guard let id = Int(digits), id > 0, digits.allSatisfy(\.isASCII) else {
                return .failure(FieldError(field: field, code: "invalid_reference",
                                           message: "'\(part)' is not a plan activity id: list them like 12, 14 (the ids in the plan's first column)."))
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return .success(ids)
    }

    /// Reads names separated by commas (、 and ， too) or lines, trimmed, blanks dropped: names may hold spaces
    /// (`佐藤 美咲, 結合テスト環境`).
    public static func parseNames(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == "、" || $0 == "，" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The text form, each line led by `word(status)` (the code by default; a page passes its reader's label).
    public static func indicators(_ list: [WarningIndicator],
                                  word: (WarningIndicator.Status) -> String = { $0.rawValue }) -> String {
        list.map { "\(word($0.status)): \($0.text)" }.joined(separator: "\n")
    }

    public static func parseIndicators(_ text: String) -> Result<[WarningIndicator], FieldError> {
        var result: [WarningIndicator] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            var status = WarningIndicator.Status.watching
            var body = line
            for (word, s) in indicatorPrefixes {
                guard let rest = [":", "："].lazy.compactMap({ colon in line.lowercased().hasPrefix(word + colon) ? line.dropFirst(word.count + 1) : nil }).first
                else { continue }
                status = s
                body = String(rest).trimmingCharacters(in: .whitespaces)
            }
            if body.isEmpty {
                return .failure(FieldError(field: "indicators", code: "invalid", message: "The indicator line '\(line)' has no text after its status."))
            }
            result.append(WarningIndicator(text: body, status: status))
        }
        return .success(result)
    }

    public static func options(_ list: [DecisionOption]) -> String {
        list.map { o in
            var parts = [o.title, o.pros, o.cons, o.cost.map(formatNumber) ?? "", o.scheduleDays.map(String.init) ?? "",
                         o.effortHours.map(formatNumber) ?? ""]
            while parts.count > 1 && parts.last == "" { parts.removeLast() }
            return parts.joined(separator: " | ")
        }.joined(separator: "\n")
    }

    public static func parseOptions(_ text: String) -> Result<[DecisionOption], FieldError> {
        var result: [DecisionOption] = []
        for (index, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func fail(_ what: String) -> Result<[DecisionOption], FieldError> {
                .failure(FieldError(field: "options", code: "invalid",
                                    message: "Option line \(index + 1): \(what). Write title | pros | cons | cost | working days | effort hours."))
            }
            if parts.count > 6 { return fail("more than six parts") }
            var option = DecisionOption(title: parts[0], pros: parts.count > 1 ? parts[1] : "", cons: parts.count > 2 ? parts[2] : "")
            if parts.count > 3, !parts[3].isEmpty {
                guard let v = Double(parts[3].replacingOccurrences(of: ",", with: "")) else { return fail("the cost '\(parts[3])' is not a number") }
                option.cost = v
            }
            if parts.count > 4, !parts[4].isEmpty {
                guard let v = Int(parts[4]) else { return fail("the working days '\(parts[4])' are not a whole number") }
                option.scheduleDays = v
            }
            if parts.count > 5, !parts[5].isEmpty {
                guard let v = Double(parts[5]) else { return fail("the effort '\(parts[5])' is not a number") }
                option.effortHours = v
            }
            result.append(option)
        }
        return .success(result)
    }

    /// 1200 → "1200", 2.5 → "2.5".
    public static func formatNumber(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
