import Foundation
import PMOWords
import Vapor

/// The pages' words in Japanese and English. Keys are stable; every key exists in both languages (tested).
enum I18n {
    static let supported = ["ja", "en"]

    /// The user's setting, else the first supported language of Accept-Language, else Japanese.
    static func locale(for req: Request) -> String {
        if let caller = req.caller, supported.contains(caller.locale) { return caller.locale }
        let header = req.headers.first(name: .acceptLanguage) ?? ""
        // Any header a client sends must read as something: an empty part (`;`, `en,,ja`) has no tag, a q that is
        // not a number between 0 and 1 counts as 0.
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";")
            guard let first = pieces.first else { return nil }
            let tag = first.trimmingCharacters(in: .whitespaces).lowercased()
            let q = pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .map { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)).flatMap { (0...1).contains($0) ? $0 : nil } ?? 0 } ?? 1
            return (String(tag.prefix(2)), q)
        }.sorted { $0.1 > $1.1 }
        return ranked.first { supported.contains($0.0) }?.0 ?? "ja"
    }

    static func strings(_ locale: String) -> [String: String] { locale == "en" ? allEn : allJa }

    /// The one catalogue (`PMOWords`): base, register, problem, page and document words.
    static let allEn = Catalogue.en
    static let allJa = Catalogue.ja

    /// One word of the catalogue; the key itself when it has none (`I18nTests` keeps that from happening).
    static func word(_ key: String, ja: Bool) -> String { (ja ? allJa : allEn)[key] ?? key }
}
