import PMOCore
import Testing

/// Free text written before the registers matched to their items: by reference, by a system's code or name (width,
/// case and spaces aside, a bracketed remark dropped), never to one of two equal names.
@Suite("Free text matched to systems and requirements")
struct FreeTextMatchTests {
    static let systems = [FreeTextMatch.Candidate(number: 1, names: ["CRM", "新CRM"]), FreeTextMatch.Candidate(number: 2, names: ["ERP", "基幹（販売管理）"]),
                          FreeTextMatch.Candidate(number: 3, names: ["DWH", "分析基盤"]), FreeTextMatch.Candidate(number: 4, names: ["BI", "分析基盤"])]

    @Test func valuesAreSplitAsPeopleWriteLists() {
        #expect(FreeTextMatch.tokens("新CRM、基幹受注システム, 連携基盤（Aoba）;S2\n ") == ["新CRM", "基幹受注システム", "連携基盤（Aoba）", "S2"])
        #expect(FreeTextMatch.tokens("  ").isEmpty)
    }

    @Test func eachValueMatchesOneSystemOrNone() {
        func m(_ s: String) -> Int? { FreeTextMatch.match(s, type: .system, projectKey: "CRM", candidates: Self.systems) }
        #expect(m("S2") == 2 && m("CRM-S3") == 3)
        #expect(m("OPS-S2") == nil, "another project's reference")
        #expect(m("S9") == nil, "a system that does not exist")
        #expect(m("N2") == nil, "a reference of another register")
        #expect(m("crm") == 1 && m("ＣＲＭ") == 1 && m("新 CRM") == 1)
        #expect(m("新CRM（帳票機能）") == 1 && m("基幹（販売管理）") == 2, "a remark in brackets is dropped, a name in brackets is kept")
        #expect(m("分析基盤") == nil, "two systems share the name")
        #expect(m("基幹受注システム") == nil)
        let all = FreeTextMatch.matches("新CRM、基幹受注システム、DWH", type: .system, projectKey: "CRM", candidates: Self.systems)
        #expect(all == [.init(text: "新CRM", number: 1), .init(text: "基幹受注システム", number: nil), .init(text: "DWH", number: 3)])
    }
}
