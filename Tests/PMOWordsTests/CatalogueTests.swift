import Foundation
import PMOTestData
import PMOWords
import Testing

@Suite("The one catalogue of words")
struct CatalogueTests {
    /// Every part has the same keys in both languages, and a key belongs to one part only.
    @Test func everyKeyInBothLanguagesAndOnePart() {
        var owner: [String: String] = [:]
        for part in Catalogue.parts {
            let ja = Set(part.ja.keys), en = Set(part.en.keys)
            #expect(ja == en, "\(part.name): only in ja \(ja.subtracting(en).sorted()); only in en \(en.subtracting(ja).sorted())")
            for key in ja {
                #expect(owner[key] == nil, "\(key) is in \(owner[key] ?? "") and \(part.name)")
                owner[key] = part.name
            }
        }
        #expect(Catalogue.ja.count == owner.count && Catalogue.en.count == owner.count)
        #expect(owner.count > 1000, "\(owner.count) keys")
        #expect(Set(DocumentWords.keys).count == DocumentWords.keys.count, "a document word is listed twice")
        #expect(Set(SignalWords.keys).count == SignalWords.keys.count, "a signal word is listed twice")
        #expect(Set(InboxWords.keys).count == InboxWords.keys.count, "an inbox word is listed twice")
        #expect(Set(WebhookWords.keys).count == WebhookWords.keys.count, "a webhook word is listed twice")
        #expect(Set(KPIWords.keys).count == KPIWords.keys.count, "a KPI word is listed twice")
        #expect(Set(MailWords.keys).count == MailWords.keys.count, "a mail word is listed twice")
        #expect(Set(ResourceWords.keys).count == ResourceWords.keys.count, "a resource word is listed twice")
        #expect(Set(SystemWords.keys).count == SystemWords.keys.count, "a system word is listed twice")
        #expect(Set(LedgerWords.keys).count == LedgerWords.keys.count, "a ledger word is listed twice")
    }

    /// No word is empty, and a sentence names the same values in both languages with balanced groups, so that a
    /// value given in one language is never lost in the other.
    @Test func sentencesUseTheSameValuesInBothLanguages() {
        for (key, ja) in Catalogue.ja {
            let en = Catalogue.en[key] ?? ""
            #expect(!ja.isEmpty && !en.isEmpty, "\(key) is empty")
            #expect(Template.names(ja) == Template.names(en), "\(key): \(ja) / \(en)")
            for text in [ja, en] where !Template.names(text).isEmpty {
                var depth = 0
                for c in text {
                    if c == "[" { depth += 1 }
                    if c == "]" { depth -= 1 }
                    #expect(depth == 0 || depth == 1, "\(key): groups do not nest: \(text)")
                }
                #expect(depth == 0, "\(key): unbalanced group: \(text)")
            }
        }
    }

    @Test func templatesFillValuesGroupsAndCounts() {
        let t = "[{days:day} overdue|overdue][ (due {due})]"
        #expect(Template.fill(t, [:]) == "overdue")
        #expect(Template.fill(t, ["days": "1"]) == "1 day overdue")
        #expect(Template.fill(t, ["days": "3", "due": "2026-12-01"]) == "3 days overdue (due 2026-12-01)")
        #expect(Template.fill(t, ["days": " ", "due": "2026-12-01"]) == "overdue (due 2026-12-01)")
        let ja = "期限[ {due} |]を[ {days} 日]超過"
        #expect(Template.fill(ja, [:]) == "期限を超過")
        #expect(Template.fill(ja, ["due": "2026-12-01", "days": "3"]) == "期限 2026-12-01 を 3 日超過")
        // A group with no value is always kept; text without groups is only filled.
        #expect(Template.fill("[a|b]", [:]) == "a")
        #expect(Template.fill("{x}（{y}）", ["x": "A", "y": "B"]) == "A（B）")
        #expect(Template.names("[{n:risk}|risks] [with score {score} or more|x]") == ["n", "score"])
        #expect(Words(.en)("word.with_details", ["head": "h", "details": Words(.en).list(["a", "b"])]) == "h (a, b)")
        #expect(Words(.ja).list(["a", "b"]) == "a、b")
        #expect(Words(.en)["no.such.key"] == "no.such.key")
    }

    @Test func languageTags() {
        #expect(Language(tag: "ja") == .ja && Language(tag: "ja-JP") == .ja && Language(tag: "JA_jp") == .ja)
        #expect(Language(tag: "en") == .en && Language(tag: "") == .en && Language(tag: "jav") == .en)
    }

    /// The documents' renderers (PMOReports) name their words by literal key: each such key is in the catalogue.
    @Test func everyKeyTheDocumentsNameExists() throws {
        let dir = SharedData.packageRoot.appendingPathComponent("Sources/PMOReports")
        let pattern = try Regex(#"(?:label\(|words\(lang\)\[|\bw\[|\bw\()"([a-z_]+\.[a-z0-9_.]*[a-z0-9_])""#)
        var used = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for m in text.matches(of: pattern) { used.insert(String(m.output[1].substring ?? "")) }
        }
        #expect(used.count > 60, "\(used.count) keys named")
        #expect(used.subtracting(Catalogue.en.keys).isEmpty, "missing: \(used.subtracting(Catalogue.en.keys).sorted())")
    }

    /// No page, view or document writes its own words: a string literal with Japanese in the sources of PMOServer,
    /// PMOReports or PMOHTML (outside comments) is a word that bypasses the catalogue. The one allowed literal is
    /// the Japanese list separator that link input reads like a comma, and the one file left out is the generated
    /// system map the diagram's tests and benchmarks draw (sample names, like the demo's, that no page shows).
    @Test func noWordsOutsideTheCatalogue() throws {
        let japanese = try Regex(#""[^"\n]*[\x{3000}-\x{30FF}\x{4E00}-\x{9FFF}\x{FF00}-\x{FFEF}][^"\n]*""#)
        let allowed: Set<String> = [#""、""#]
        let sampleData: Set<String> = ["SyntheticSystemMap.swift"]
        var found: [String] = []
        var files = 0
        for module in ["PMOServer", "PMOReports", "PMOHTML"] {
            let dir = SharedData.packageRoot.appendingPathComponent("Sources/" + module)
            let all = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String } ?? []
            for file in all where file.hasSuffix(".swift") && !sampleData.contains(file) {
                files += 1
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.trimmingCharacters(in: .whitespaces)
                    if code.hasPrefix("//") { continue }
                    for m in code.matches(of: japanese) where !allowed.contains(String(code[m.range])) {
                        found.append("\(module)/\(file):\(n + 1): \(code[m.range])")
                    }
                }
            }
        }
        #expect(files > 60, "\(files) files read")
        #expect(found.isEmpty, "words outside the catalogue:\n\(found.joined(separator: "\n"))")
    }
}
