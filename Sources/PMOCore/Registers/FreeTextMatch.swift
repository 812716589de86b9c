import Foundation

/// Matches what people wrote before systems and requirements were registers (an activity's system, a change's affected
/// systems and requirements, as free text) to the items of those registers, so that the upgrade can turn them into
/// references and list the rest for the PMO.
public enum FreeTextMatch {
    /// A system or requirement to match against: its number, and the words that name it (a system's code and name; a
    /// requirement's title).
    public struct Candidate: Sendable, Equatable {
        public var number: Int
        public var names: [String]
        public init(number: Int, names: [String]) {
            self.number = number
            self.names = names
        }
    }

    /// One written value and what it matched (nil: nothing).
    public struct Match: Sendable, Equatable {
        public var text: String
        public var number: Int?
        public init(text: String, number: Int?) {
            self.text = text
            self.number = number
        }
    }

    /// The values of a free-text list: separated by commas (、 ， too), semicolons or lines, trimmed, blanks dropped.
    public static func tokens(_ text: String) -> [String] {
        text.split(whereSeparator: { ",、，;；\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Compared as people mean it: full-width letters and digits folded (ＣＲＭ = CRM), case and spaces ignored.
    static func key(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping.lowercased().filter { !$0.isWhitespace }
    }

    /// `新CRM（帳票機能）` → `新CRM`: a parenthesised remark after the name.
    static func withoutRemark(_ s: String) -> String {
        let folded = s.precomposedStringWithCompatibilityMapping
        guard folded.hasSuffix(")"), let open = folded.lastIndex(of: "("), open > folded.startIndex else { return s }
        return String(folded[..<open])
    }

    /// The candidate `text` names: a reference of `type` in this project (`S3`, `CRM-S3`), else exactly one
    /// candidate by one of its names (case, width and spaces aside), else the same without a remark in brackets.
    public static func match(_ text: String, type: ItemType, projectKey: String, candidates: [Candidate]) -> Int? {
        if let ref = ItemReference(text.trimmingCharacters(in: .whitespaces)), ref.type == type, ref.projectKey == nil || ref.projectKey == projectKey {
            return candidates.contains { $0.number == ref.number } ? ref.number : nil
        }
        for probe in [text, withoutRemark(text)] {
            let k = key(probe)
            guard !k.isEmpty else { continue }
            let found = candidates.filter { $0.names.contains { key($0) == k } }
            if found.count == 1 { return found[0].number }
        }
        return nil
    }

    /// Each value of a free-text list and what it matched, in the order written.
    public static func matches(_ text: String, type: ItemType, projectKey: String, candidates: [Candidate]) -> [Match] {
        tokens(text).map { Match(text: $0, number: match($0, type: type, projectKey: projectKey, candidates: candidates)) }
    }

    /// What an activity's system, as written, comes to: a system of the project (a reference, or its code or name),
    /// a reference to another project's system (refused), or text that names no registered system (kept as written).
    public enum SystemText: Sendable, Equatable {
        case none
        case system(Int)
        case missing(Int)
        case otherProject(String)
        case text(String)
    }

    public static func system(_ written: String, projectKey: String, candidates: [Candidate]) -> SystemText {
        let text = written.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .none }
        if let ref = ItemReference(text), ref.type == .system {
            if let key = ref.projectKey, key != projectKey { return .otherProject(text) }
            return candidates.contains { $0.number == ref.number } ? .system(ref.number) : .missing(ref.number)
        }
        return match(text, type: .system, projectKey: projectKey, candidates: candidates).map(SystemText.system) ?? .text(text)
    }
}
