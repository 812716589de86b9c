import Foundation
import PMOCore
import PMOStore
@testable import PMOServer
import PMOTestData
import PMOWords
import Testing

@Suite("Words of the pages")
struct I18nTests {
    @Test func bothLanguagesHaveTheSameKeys() {
        #expect(Set(BaseWords.ja.keys) == Set(BaseWords.en.keys), "only in ja: \(Set(BaseWords.ja.keys).subtracting(BaseWords.en.keys)); only in en: \(Set(BaseWords.en.keys).subtracting(BaseWords.ja.keys))")
        #expect(Set(RegisterWords.ja.keys) == Set(RegisterWords.en.keys), "only in ja: \(Set(RegisterWords.ja.keys).subtracting(RegisterWords.en.keys)); only in en: \(Set(RegisterWords.en.keys).subtracting(RegisterWords.ja.keys))")
    }

    /// Every problem and field-error code the sources make has a sentence in both languages, so an error page never
    /// shows a Japanese reader an English message. Codes are read from the sources as written:
    /// `DomainError.kind("code"`, `code: "code"` and `.add("field", "code"`.
    @Test func everyErrorCodeHasWords() throws {
        #expect(Set(ProblemWords.ja.keys) == Set(ProblemWords.en.keys), "only in ja: \(Set(ProblemWords.ja.keys).subtracting(ProblemWords.en.keys)); only in en: \(Set(ProblemWords.en.keys).subtracting(ProblemWords.ja.keys))")
        let sources = SharedData.packageRoot.appendingPathComponent("Sources")
        let problem = try Regex(#"DomainError\.[a-zA-Z]+\("([a-z_.]+)""#)
        let field = try Regex(#"(?:code: "|\.add\("[^"]*", ")([a-z_]+)""#)
        var problems = Set<String>(), fields = Set<String>()
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for m in text.matches(of: problem) { problems.insert(String(m.output[1].substring ?? "")) }
            for m in text.matches(of: field) { fields.insert(String(m.output[1].substring ?? "")) }
        }
        #expect(problems.count > 60 && fields.count > 40, "\(problems.count) problem codes, \(fields.count) field codes")
        let missing = problems.filter { ProblemWords.ja["problem." + $0] == nil }.sorted()
            + fields.filter { ProblemWords.ja["field_error." + $0] == nil && ProblemWords.ja["problem." + $0] == nil }.sorted()
        #expect(missing.isEmpty, "codes without words: \(missing)")
        let codeLike = try Regex(#"[a-z]+[._][a-z]+"#)
        for (key, sentence) in ProblemWords.ja { #expect(sentence.firstMatch(of: codeLike) == nil, "\(key): \(sentence)") }
    }

    /// A risk's indicators are written on a Japanese page with the labels the parser reads back.
    @Test func indicatorLabelsAreReadBack() {
        for status in WarningIndicator.Status.allCases {
            let label = RegisterWords.ja["rc." + status.rawValue] ?? ""
            #expect(RegisterText.indicatorPrefixes.contains { $0.word == label && $0.status == status }, "\(status): \(label)")
        }
    }

    /// The Swift-built pages and views read their words by key (`w["page.plan.start"]`): every key they use exists in both
    /// languages, and every key of the catalogue is used.
    @Test func everyWordASwiftPageUsesExists() throws {
        #expect(Set(PageWords.ja.keys) == Set(PageWords.en.keys), "only in ja: \(Set(PageWords.ja.keys).subtracting(PageWords.en.keys)); only in en: \(Set(PageWords.en.keys).subtracting(PageWords.ja.keys))")
        let pages = SharedData.packageRoot.appendingPathComponent("Sources/PMOServer/Pages")
        // `w["page.x"]`, a sentence with values `w("page.x", [...])`, or a family of keys `self["page.x." + value]`.
        let pattern = try Regex(#"(?:\bw|self)[\[(]"(page\.[a-z0-9_.]*[a-z0-9_])"[\],]"#)
        let family = try Regex(#"(?:\bw|self)\["(page\.[a-z0-9_.]*\.)" \+"#)
        var used = Set<String>(), prefixes = Set<String>()
        // Handlers and their views (`Pages/Views`) alike.
        let files = FileManager.default.enumerator(atPath: pages.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: pages.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) { used.insert(String(match.output[1].substring ?? "")) }
            for match in text.matches(of: family) { prefixes.insert(String(match.output[1].substring ?? "")) }
        }
        used.formUnion(PageWords.ja.keys.filter { key in prefixes.contains { key.hasPrefix($0) } })
        #expect(used.count > 250, "\(used.count) keys used")
        #expect(used.subtracting(I18n.allJa.keys).isEmpty, "missing words: \(used.subtracting(I18n.allJa.keys).sorted())")
        #expect(Set(PageWords.ja.keys).subtracting(used).isEmpty, "unused words: \(Set(PageWords.ja.keys).subtracting(used).sorted())")
        // A Japanese word is not an English one left untranslated (the same text in both is allowed only for marks
        // such as "WBS" or "SPI").
        let latinOnly = try Regex(#"^[A-Za-z ,.'()/-]+$"#)
        for (key, ja) in PageWords.ja where ja == PageWords.en[key] {
            #expect(ja.count <= 12 || ja.firstMatch(of: latinOnly) == nil, "\(key) is English in Japanese: \(ja)")
        }
    }

    /// The page views read the catalogue as `t["key"]` (`Words`): every such key has words.
    @Test func everyWordAViewUsesExists() throws {
        let views = SharedData.packageRoot.appendingPathComponent("Sources/PMOServer/Pages/Views")
        let files = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".swift") }
            .map { views.appendingPathComponent($0) } + [SharedData.packageRoot.appendingPathComponent("Sources/PMOServer/Pages/Layout.swift")]
        #expect(files.count >= 6)
        let pattern = try Regex(#"\bt\["([a-z_]+)"\]"#)
        var used = Set<String>()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) { used.insert(String(match.output[1].substring ?? "")) }
        }
        #expect(used.count > 40)
        #expect(used.subtracting(I18n.allEn.keys).isEmpty, "missing words: \(used.subtracting(I18n.allEn.keys).sorted())")
    }

    @Test func labelsForEveryEnumValueExist() {
        let keys = Set(BaseWords.en.keys)
        for s in ["open", "in_progress", "waiting_for_decision", "resolved", "closed"] { #expect(keys.contains("status." + s)) }
        for p in ["low", "medium", "high", "critical"] { #expect(keys.contains("priority." + p)) }
        for v in ["project", "internal", "company"] { #expect(keys.contains("visibility." + v)) }
        for p in ["study", "preparation", "execution", "closure"] { #expect(keys.contains("phase." + p)) }
        for s in ["number", "-number", "due", "-due", "priority", "-priority", "updated", "-updated"] { #expect(keys.contains("sort." + s)) }
        for a in ["create", "update", "delete", "comment", "link", "unlink"] { #expect(keys.contains("action." + a)) }
    }

    @Test func everyRegisterStatusFieldAndChoiceHasALabel() {
        let keys = Set(I18n.allEn.keys)
        for kind in RegisterKind.allCases {
            #expect(keys.contains("reg." + kind.rawValue) && keys.contains("new." + kind.rawValue))
            #expect(keys.contains("item_type." + kind.letter), "item type \(kind.letter)")
            for s in kind.statuses { #expect(keys.contains("rs.\(kind.rawValue).\(s)"), "status \(kind).\(s)") }
            for f in kind.fields {
                #expect(keys.contains("rf." + f.name), "field \(f.name)")
                if case .choice(let values) = f.kind {
                    for v in values { #expect(keys.contains(RegisterFieldSpec.choiceWordKey(field: f.name, value: v)), "choice \(f.name).\(v)") }
                }
            }
        }
        for k in ItemLinkKind.allCases { #expect(keys.contains("ilink." + k.rawValue) && keys.contains("ilink.in." + k.rawValue)) }
        for s in RegisterQuery.Sort.allCases { #expect(keys.contains("rsort." + s.rawValue)) }
    }
}

@Suite("Instant text")
struct InstantTextTests {
    @Test func matchesFoundationsISO8601() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for seconds in [0.0, 1_795_000_000.123, 951_782_400.5, -86_400.25, 4_102_444_799.999] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(InstantText.iso8601(date) == formatter.string(from: date), "\(seconds)")
        }
    }
}
