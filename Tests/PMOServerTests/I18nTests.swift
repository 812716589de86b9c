import Foundation
import PMOCore
import PMOStore
@testable import PMOServer
import PMOTestData
import Testing

@Suite("Words of the pages")
struct I18nTests {
    @Test func bothLanguagesHaveTheSameKeys() {
        #expect(Set(I18n.ja.keys) == Set(I18n.en.keys), "only in ja: \(Set(I18n.ja.keys).subtracting(I18n.en.keys)); only in en: \(Set(I18n.en.keys).subtracting(I18n.ja.keys))")
        #expect(Set(RegisterWords.ja.keys) == Set(RegisterWords.en.keys), "only in ja: \(Set(RegisterWords.ja.keys).subtracting(RegisterWords.en.keys)); only in en: \(Set(RegisterWords.en.keys).subtracting(RegisterWords.ja.keys))")
    }

    @Test func everyWordATemplateUsesExists() throws {
        let views = SharedData.packageRoot.appendingPathComponent("Sources/PMOServer/Resources/Views")
        let files = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".leaf") }
        #expect(files.count >= 10)
        let pattern = try Regex(#"#\(t\.([a-z_]+)\)"#)
        var used = Set<String>()
        for file in files {
            let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) { used.insert(String(match.output[1].substring ?? "")) }
        }
        #expect(used.count > 40)
        #expect(used.subtracting(I18n.allEn.keys).isEmpty, "missing words: \(used.subtracting(I18n.allEn.keys).sorted())")
    }

    @Test func labelsForEveryEnumValueExist() {
        let keys = Set(I18n.en.keys)
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
            for s in kind.statuses { #expect(keys.contains("rs.\(kind.rawValue).\(s)"), "status \(kind).\(s)") }
            for f in kind.fields {
                #expect(keys.contains("rf." + f.name), "field \(f.name)")
                if case .choice(let values) = f.kind { for v in values { #expect(keys.contains("rc." + v), "choice \(v)") } }
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
