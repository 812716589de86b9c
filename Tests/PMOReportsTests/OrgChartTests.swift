import Foundation
import Testing

@testable import PMOReports

/// The organisation chart: every unit, reporting line and escalation route drawn once, boxes top-down along the
/// reporting lines inside their company's column, no box or label covering another, and the Mermaid and SVG text
/// equal to the golden files.
@Suite struct OrgChartTests {
    static let words = OrgChart.Words(title: "体制図", legend: "凡例", reportingLine: "報告経路", escalationRoute: "エスカレーション経路", head: "責任者")

    /// The demo's shape: a client with steering committee, PMO, project team and two business teams; two vendors with
    /// two teams each; eleven escalation routes.
    static func small() -> ([OrgChart.Unit], [OrgChart.Line], [OrgChart.Escalation]) {
        let spec: [(String, String, String, Int?)] = [
            ("ステアリングコミッティ", "steering", "さくらリテール", nil), ("PMO", "pmo", "さくらリテール", 1),
            ("プロジェクト管理チーム", "business", "さくらリテール", 1), ("営業業務チーム", "business", "さくらリテール", 3),
            ("店舗・EC業務チーム", "business", "さくらリテール", 3), ("楓 開発チーム", "vendor", "楓システムズ", 3),
            ("楓 移行チーム", "vendor", "楓システムズ", 6), ("Aoba 基盤チーム", "vendor", "Aoba", 3), ("Aoba 運用チーム", "vendor", "Aoba", 8),
        ]
        let units = spec.enumerated().map { i, s in
            OrgChart.Unit(key: "U\(i + 1)", reference: "CRM-U\(i + 1)", name: s.0, group: s.2, kind: s.1, head: i % 3 == 2 ? "" : "責任者 \(i + 1)")
        }
        let lines = spec.enumerated().compactMap { i, s in s.3.map { OrgChart.Line(unit: "U\(i + 1)", reportsTo: "U\($0)") } }
        let routes: [(Int, Int, String)] = [(6, 3, "L1・中以上・3営業日"), (6, 3, "L1・緊急のみ・1営業日"), (7, 6, "L1・中以上・2営業日"),
                                            (8, 3, "L1・中以上・3営業日"), (9, 8, "L1・中以上・2営業日"), (4, 3, "L1・中以上・5営業日"),
                                            (5, 3, "L1・中以上・5営業日"), (3, 1, "L2・高以上・5営業日"), (2, 1, "L3・緊急のみ・2営業日")]
        let escalations = routes.enumerated().map { i, r in OrgChart.Escalation(key: "E\(i + 1)", from: "U\(r.0)", to: "U\(r.1)", label: r.2) }
        return (units, lines, escalations)
    }

    /// Sixty units in four companies, three levels deep, each team escalating to the unit above.
    static func large() -> ([OrgChart.Unit], [OrgChart.Line], [OrgChart.Escalation]) {
        var units = [OrgChart.Unit(key: "U1", reference: "X-U1", name: "Steering committee", group: "Client", kind: "steering", head: "Chair")]
        var lines: [OrgChart.Line] = [], escalations: [OrgChart.Escalation] = []
        for n in 2...60 {
            let parent = n <= 5 ? 1 : (n <= 17 ? 2 + (n - 6) % 4 : 6 + (n - 18) % 12)
            let company = ["Client", "Vendor A", "Vendor B", "Vendor C"][n % 4]
            // 0 to 9 members: boxes of every height, the largest listing five and "+4".
            units.append(OrgChart.Unit(key: "U\(n)", reference: "X-U\(n)", name: "Team \(n)", group: company, kind: n <= 5 ? "pmo" : "vendor", head: "Lead \(n)",
                                       members: (0..<(n % 10)).map { "Member \(n)-\($0 + 1)" }))
            lines.append(OrgChart.Line(unit: "U\(n)", reportsTo: "U\(parent)"))
            if n % 3 == 0 { escalations.append(OrgChart.Escalation(key: "E\(n)", from: "U\(n)", to: "U\(parent)", label: "L1 · 3 days")) }
        }
        return (units, lines, escalations)
    }

    static func sample(_ name: String) -> ([OrgChart.Unit], [OrgChart.Line], [OrgChart.Escalation]) { name == "large" ? large() : small() }

    @Test(arguments: ["small", "large"]) func everyUnitLineAndRouteIsDrawnTopDownWithoutOverlaps(sample: String) throws {
        let (units, lines, escalations) = Self.sample(sample)
        let svg = OrgChart.svg(units: units, lines: lines, escalations: escalations, words: Self.words)
        let doc = try #require(SVGDocument.parse(svg))
        #expect(doc.first?.name == "svg" && doc.first?.attributes["aria-label"] == "体制図")
        let boxes = doc.classed("unit")
        #expect(boxes.map { $0.element.attributes["data-key"] ?? "" } .sorted() == units.map(\.key).sorted())
        var rects: [String: LayeredLayout.Rect] = [:]
        for box in boxes { rects[box.element.attributes["data-key"] ?? ""] = try #require(doc.inside(box.index, named: "rect").first?.rect) }
        #expect(doc.classed("line").count == lines.count)
        #expect(doc.classed("escalation").map { $0.element.attributes["data-key"] ?? "" } == escalations.map(\.key))
        // Top-down: each unit below the one it reports to.
        for line in lines {
            let child = try #require(rects[line.unit]), parent = try #require(rects[line.reportsTo])
            #expect(child.y >= parent.maxY, "\(line.unit) is not below \(line.reportsTo)")
        }
        // Each unit inside its company's column.
        let columns = Dictionary(uniqueKeysWithValues: doc.classed("group").compactMap { g -> (String, LayeredLayout.Rect)? in
            guard let r = doc.inside(g.index, named: "rect").first?.rect else { return nil }
            return (g.element.attributes["data-name"] ?? "", r)
        })
        for u in units { #expect(columns[u.group]?.contains(rects[u.key]!) == true, "\(u.key) is outside the \(u.group) column") }
        // No box or label covers another.
        let labels = doc.classed("label").compactMap { doc.inside($0.index, named: "rect").first?.rect }
        #expect(labels.count == escalations.count)
        let all = Array(rects.values) + labels
        for i in all.indices { for j in all.indices where j > i { #expect(!all[i].overlaps(all[j]), "\(all[i]) overlaps \(all[j])") } }
    }

    /// A box lists its head and members under its name and grows to hold them: five names and "+4" for nine, every
    /// line inside the box; the Mermaid node names them all.
    @Test func aBoxListsItsMembers() throws {
        let (units, lines, escalations) = Self.large()
        let svg = OrgChart.svg(units: units, lines: lines, escalations: escalations, words: Self.words)
        let doc = try #require(SVGDocument.parse(svg))
        let box = try #require(doc.classed("unit").first { $0.element.attributes["data-key"] == "U9" })
        let rect = try #require(doc.inside(box.index, named: "rect").first?.rect)
        let texts = doc.inside(box.index, named: "text")
        #expect(texts.map(\.text) == ["X-U9", "Team 9", "責任者: Lead 9"] + (1...5).map { "Member 9-\($0)" } + ["+4"])
        for t in texts {
            let y = try #require(t.attributes["y"].flatMap(Double.init))
            #expect(y <= rect.maxY - 2 && y >= rect.y, "\(t.text) at \(y) is outside its box \(rect)")
        }
        let noMembers = try #require(doc.classed("unit").first { $0.element.attributes["data-key"] == "U10" })
        let small = try #require(doc.inside(noMembers.index, named: "rect").first?.rect)
        #expect(rect.height - small.height == 14 * 6, "nine members take six lines more than none")
        let mermaid = OrgChart.mermaid(units: units, lines: lines, escalations: escalations, words: Self.words)
        #expect(mermaid.contains("X-U9<br/>Team 9<br/>責任者: Lead 9<br/>" + (1...9).map { "Member 9-\($0)" }.joined(separator: ", ") + "\"]"))
    }

    @Test func theSameInputGivesTheSameBytes() {
        let (u, l, e) = Self.large()
        #expect(OrgChart.svg(units: u, lines: l, escalations: e, words: Self.words) == OrgChart.svg(units: u, lines: l, escalations: e, words: Self.words))
    }

    @Test func smallMermaidMatchesGolden() throws {
        let (u, l, e) = Self.small()
        try SystemDiagramTests.golden("org-chart-small.mmd", OrgChart.mermaid(units: u, lines: l, escalations: e, words: Self.words))
    }

    @Test func smallSVGMatchesGolden() throws {
        let (u, l, e) = Self.small()
        try SystemDiagramTests.golden("org-chart-small.svg", OrgChart.svg(units: u, lines: l, escalations: e, words: Self.words))
    }
}
