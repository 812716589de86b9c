import Foundation

/// The languages the product speaks.
public enum Language: String, Sendable, CaseIterable {
    case ja, en

    /// Japanese for "ja" and Japanese tags ("ja-JP", "ja_JP"); English for anything else.
    public init(tag: String) {
        let l = tag.lowercased()
        self = l == "ja" || l.hasPrefix("ja-") || l.hasPrefix("ja_") ? .ja : .en
    }
}

/// The one catalogue of words: every word a user reads, in pages, error pages, Markdown, xlsx and iCalendar outputs,
/// charts, agenda and status reasons, by key, in Japanese and English. `CatalogueTests` fails when a key lacks a
/// language, when a sentence's placeholders differ between the two, or when a source asks for a key it does not have.
///
/// The parts are kept in files by who reads them; their keys never collide (tested).
public enum Catalogue {
    /// The parts, each a table per language.
    public static let parts: [(name: String, ja: [String: String], en: [String: String])] = [
        ("BaseWords", BaseWords.ja, BaseWords.en),
        ("RegisterWords", RegisterWords.ja, RegisterWords.en),
        ("ProblemWords", ProblemWords.ja, ProblemWords.en),
        ("PageWords", PageWords.ja, PageWords.en),
        ("DocumentWords", DocumentWords.ja, DocumentWords.en),
        ("SignalWords", SignalWords.ja, SignalWords.en),
        ("InboxWords", InboxWords.ja, InboxWords.en),
        ("WebhookWords", WebhookWords.ja, WebhookWords.en),
        ("KPIWords", KPIWords.ja, KPIWords.en),
        ("MailWords", MailWords.ja, MailWords.en),
        ("ResourceWords", ResourceWords.ja, ResourceWords.en),
        ("SystemWords", SystemWords.ja, SystemWords.en),
        ("LedgerWords", LedgerWords.ja, LedgerWords.en),
    ]

    public static let ja: [String: String] = merged(\.ja)
    public static let en: [String: String] = merged(\.en)

    /// The whole table of one language.
    public static func table(_ language: Language) -> [String: String] { language == .ja ? ja : en }

    private static func merged(_ side: KeyPath<(name: String, ja: [String: String], en: [String: String]), [String: String]>)
        -> [String: String] {
        var all: [String: String] = [:]
        for part in parts { all.merge(part[keyPath: side]) { first, _ in first } }
        return all
    }
}

/// The words of one language, read by key: `w["doc.agenda"]`, or a sentence with values:
/// `w("reason.overdue", ["due": "2026-12-01", "days": "3"])`. A key the catalogue lacks reads as itself, so a gap is
/// visible (and `CatalogueTests` fails on it first).
public struct Words: Sendable {
    public let language: Language
    public let table: [String: String]

    public init(_ language: Language) {
        self.language = language
        table = Catalogue.table(language)
    }

    public var isJapanese: Bool { language == .ja }

    public subscript(_ key: String) -> String { table[key] ?? key }

    /// A sentence of the catalogue with its values filled in (see `Template`).
    public func callAsFunction(_ key: String, _ values: [String: String]) -> String {
        Template.fill(self[key], values)
    }

    /// Phrases joined as a list: "a、b" or "a, b".
    public func list(_ items: [String]) -> String { items.joined(separator: self["word.list_separator"]) }
}

/// The small language of the catalogue's sentences, so that a sentence with optional values is one entry per
/// language rather than one per combination of values:
/// - `{name}` is the value `name`;
/// - `{name:noun}` is a count with its noun, "1 noun" or "3 nouns" (English sentences use it; Japanese ones write
///   `{name} 件`);
/// - `[…]` is kept only when every value it names is given (not empty);
/// - `[…|…|…]` is the first alternative whose values are all given, else nothing.
/// Groups do not nest. Values are trimmed; a missing value counts as not given.
public enum Template {
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "[") {
            out += render(rest[..<open], values) ?? ""
            guard let close = rest[open...].firstIndex(of: "]") else { break }
            let alternatives = rest[rest.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)
            out += alternatives.lazy.compactMap { render($0, values, required: true) }.first ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return out + (render(rest, values) ?? "")
    }

    /// The names a template uses, for the catalogue's test that both languages use the same values.
    public static func names(_ template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let inside = rest[rest.index(after: open)..<close]
            names.insert(String(inside.split(separator: ":", maxSplits: 1).first ?? inside))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Text with its placeholders filled; nil when `required` and a value it names is not given.
    private static func render(_ text: Substring, _ values: [String: String], required: Bool = false) -> String? {
        var out = ""
        var rest = text
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let inside = rest[rest.index(after: open)..<close].split(separator: ":", maxSplits: 1)
            let name = String(inside.first ?? "")
            let value = (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty && required { return nil }
            if inside.count == 2 {
                out += value == "1" ? "1 " + inside[1] : value + " " + inside[1] + "s"
            } else {
                out += value
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
