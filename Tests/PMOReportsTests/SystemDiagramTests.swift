import Foundation
import Testing

@testable import PMOReports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The diagram's SVG parsed as the other charts' (`SVGDocument`); a rectangle's box for the overlap checks.
typealias DiagramElement = SVGElement

extension SVGElement {
    var rect: LayeredLayout.Rect? {
        guard let x = attributes["x"].flatMap(Double.init), let y = attributes["y"].flatMap(Double.init),
            let w = attributes["width"].flatMap(Double.init), let h = attributes["height"].flatMap(Double.init)
        else { return nil }
        return LayeredLayout.Rect(x: x, y: y, width: w, height: h)
    }
}

extension [DiagramElement] {
    func classed(_ c: String) -> [(index: Int, element: DiagramElement)] {
        enumerated().filter { $0.element.classes.contains(c) }.map { ($0.offset, $0.element) }
    }
    /// The elements named `name` inside element `index`, at any depth.
    func inside(_ index: Int, named name: String) -> [DiagramElement] {
        indices.filter { i in
            var p = self[i].parent
            while let q = p, q != index { p = self[q].parent }
            return p == index && self[i].name == name
        }.map { self[$0] }
    }
}

@Suite struct SystemDiagramTests {
    typealias Samples = SystemDiagramSamples
    static let words = Samples.words

    static func parse(_ svg: String) throws -> [DiagramElement] { try #require(SVGDocument.parse(svg)) }

    static func render(_ sample: String) -> (svg: String, systems: [SystemDiagram.System], interfaces: [SystemDiagram.Interface]) {
        let (systems, interfaces) = sample == "large" ? Samples.large() : Samples.small()
        return (SystemDiagram.svg(systems: systems, interfaces: interfaces, words: words), systems, interfaces)
    }

    @Test(arguments: ["small", "large"]) func everySystemAndInterfaceAppearsOnce(sample: String) throws {
        let (svg, systems, interfaces) = Self.render(sample)
        let doc = try Self.parse(svg)
        let root = try #require(doc.first)
        #expect(root.name == "svg" && root.attributes["role"] == "img" && root.attributes["aria-label"] == Self.words.title)
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg" || root.attributes["viewBox"] != nil)
        #expect(root.attributes["viewBox"] == "0 0 \(root.attributes["width"] ?? "") \(root.attributes["height"] ?? "")")
        let boxes = doc.classed("system")
        #expect(boxes.map { $0.element.attributes["data-key"] ?? "" } == systems.map(\.key))
        for box in boxes { #expect(doc.inside(box.index, named: "rect").count == 1) }
        let keys = Set(systems.map(\.key))
        let drawn = doc.classed("interface").flatMap { ($0.element.attributes["data-keys"] ?? "").split(separator: " ").map(String.init) }
        let expected = interfaces.filter { keys.contains($0.from) && keys.contains($0.to) }.map(\.key)
        #expect(drawn.sorted() == expected.sorted())
        #expect(Set(drawn).count == drawn.count)
        for arrow in doc.classed("interface") {
            #expect(doc.inside(arrow.index, named: "path").count == 1)
            #expect(doc.inside(arrow.index, named: "text").count == 1)
            #expect(doc.inside(arrow.index, named: "rect").count == 1)
        }
    }

    @Test(arguments: ["small", "large"]) func boxesAndLabelsNeverOverlap(sample: String) throws {
        let doc = try Self.parse(Self.render(sample).svg)
        let boxes = try doc.classed("system").map { try #require(doc.inside($0.index, named: "rect").first?.rect) }
        let labels = try doc.classed("if-label-bg").map { try #require($0.element.rect) }
        #expect(labels.count == doc.classed("interface").count)
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] { #expect(!a.overlaps(b), "systems \(a) and \(b)") }
            for l in labels { #expect(!a.overlaps(l), "label \(l) on system \(a)") }
        }
        for (i, a) in labels.enumerated() { for b in labels[(i + 1)...] { #expect(!a.overlaps(b), "labels \(a) and \(b)") } }
        let root = try #require(doc.first)
        let width = try #require(root.attributes["width"].flatMap(Double.init)), height = try #require(root.attributes["height"].flatMap(Double.init))
        let size = LayeredLayout.Rect(x: 0, y: 0, width: width, height: height)
        for r in boxes + labels { #expect(size.contains(r)) }
    }

    @Test(arguments: ["small", "large"]) func systemsSitInTheirGroupsBand(sample: String) throws {
        let (svg, systems, _) = Self.render(sample)
        let doc = try Self.parse(svg)
        var bands: [String: LayeredLayout.Rect] = [:]
        for g in doc.classed("group") {
            bands[g.element.attributes["data-name"] ?? ""] = try #require(doc.inside(g.index, named: "rect").first?.rect)
        }
        var order: [String] = []
        for s in systems where !order.contains(s.group) && !s.group.isEmpty { order.append(s.group) }
        if systems.contains(where: \.group.isEmpty) { order.append("") }
        #expect(doc.classed("group").map { $0.element.attributes["data-name"] ?? "?" } == order)
        let rects = bands.values.sorted { $0.y < $1.y }
        for (a, b) in zip(rects, rects.dropFirst()) { #expect(a.maxY <= b.y) }
        for (system, box) in zip(systems, doc.classed("system")) {
            let rect = try #require(doc.inside(box.index, named: "rect").first?.rect)
            let band = try #require(bands[system.group])
            #expect(band.contains(rect), "\(system.key) outside \(system.group)")
        }
    }

    @Test func parallelInterfacesMergeIntoOneArrow() throws {
        let doc = try Self.parse(Self.render("small").svg)
        let arrows = doc.classed("interface")
        let merged = try #require(arrows.first { $0.element.attributes["data-keys"] == "F1 F3 F4" })
        #expect(merged.element.attributes["data-status"] == "designing")  // least advanced of agreed, designing, accepted
        #expect(doc.inside(merged.index, named: "text").first?.text == "API ×2 · ファイル")
        let path = try #require(doc.inside(merged.index, named: "path").first)
        #expect(path.attributes["stroke"] == SystemDiagram.colours["designing"] && path.attributes["stroke-dasharray"] == nil)
        let tip = try #require(doc.inside(merged.index, named: "title").first?.text)
        for ref in ["CRM-F1 顧客情報連携", "CRM-F3 契約情報", "CRM-F4 顧客マスタ一括"] { #expect(tip.contains(ref)) }
        // Opposite directions stay two arrows; a flagged one is red and dashed.
        #expect(arrows.contains { $0.element.attributes["data-keys"] == "F7" } && arrows.contains { $0.element.attributes["data-keys"] == "F8" })
        let flagged = try #require(arrows.first { $0.element.attributes["data-keys"] == "F6" })
        let red = try #require(doc.inside(flagged.index, named: "path").first)
        #expect(flagged.element.attributes["data-flagged"] == "true")
        #expect(red.attributes["stroke"] == SystemDiagram.flaggedColour && red.attributes["stroke-dasharray"] != nil)
    }

    @Test func arrowsRunFromTheirSourceToTheirTarget() throws {
        let doc = try Self.parse(Self.render("large").svg)
        var boxes: [String: LayeredLayout.Rect] = [:]
        for box in doc.classed("system") { boxes[box.element.attributes["data-key"] ?? ""] = doc.inside(box.index, named: "rect").first?.rect }
        for arrow in doc.classed("interface") {
            let d = try #require(doc.inside(arrow.index, named: "path").first?.attributes["d"])
            let numbers = d.split(whereSeparator: { " MC".contains($0) }).compactMap { Double($0) }
            let from = try #require(boxes[arrow.element.attributes["data-from"] ?? ""])
            let to = try #require(boxes[arrow.element.attributes["data-to"] ?? ""])
            let (sx, sy, ex, ey) = (numbers[0], numbers[1], numbers[numbers.count - 2], numbers[numbers.count - 1])
            func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.011 }  // the SVG rounds to 0.01
            #expect((near(sx, from.x) || near(sx, from.maxX)) && sy > from.y && sy < from.maxY, "\(d) starts off \(from)")
            #expect((near(ex, to.x) || near(ex, to.maxX)) && ey > to.y && ey < to.maxY, "\(d) ends off \(to)")
        }
    }

    @Test func textIsEscapedAndLongNamesCut() throws {
        let svg = Self.render("small").svg
        let doc = try Self.parse(svg)
        #expect(svg.contains("決済代行 &lt;PayCo&gt; &amp; &quot;Partner&quot;"))
        #expect(!svg.contains("<PayCo>"))
        let s3 = try #require(doc.classed("system").first { $0.element.attributes["data-key"] == "S3" })
        let texts = doc.inside(s3.index, named: "text").map(\.text)
        #expect(texts.first == "CRM-S3 ACC")
        #expect(texts.last?.hasSuffix("…") == true && texts.last?.hasPrefix("会計システム") == true)
        #expect(doc.inside(s3.index, named: "title").first?.text.contains("会計システム（SAP S/4HANA 連携モジュールを含む）") == true)
        // Kinds: new bold, retired grey, external dashed.
        func style(_ key: String) throws -> DiagramElement {
            let g = try #require(doc.classed("system").first { $0.element.attributes["data-key"] == key })
            return try #require(doc.inside(g.index, named: "rect").first)
        }
        let (external, retired, new) = try (style("S6"), style("S5"), style("S1"))
        #expect(external.attributes["stroke-dasharray"] != nil)
        #expect(retired.attributes["fill"] == "#e5e7eb")
        #expect(new.attributes["stroke-width"] == "2.4")
    }

    @Test func legendListsStatusesLineStylesAndKinds() throws {
        let doc = try Self.parse(Self.render("small").svg)
        let legend = try #require(doc.classed("legend").first)
        let texts = doc.inside(legend.index, named: "text").map(\.text)
        let w = Self.words
        #expect(texts == [w.legend] + SystemDiagram.statuses.map { w.statuses[$0] ?? "" } + [w.flagged] + ["new", "changed", "retired", "external"].map { w.kinds[$0] ?? "" })
        #expect(doc.contains { $0.classes.contains("title") && $0.text == w.title })
    }

    @Test func mermaidHasGroupsNodesEdgesAndStyles() {
        let (systems, interfaces) = Samples.small()
        let text = SystemDiagram.mermaid(systems: systems, interfaces: interfaces, words: Self.words)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("flowchart LR"))
        #expect(lines.filter { $0.hasPrefix("    subgraph g") }.count == 3)
        #expect(lines.contains("    subgraph g1[\"株式会社アルファ情報\"]"))
        #expect(lines.contains("        S1[\"CRM-S1 CRM<br/>顧客管理システム\"]"))
        #expect(lines.contains("    S6[\"CRM-S6 PAY<br/>決済代行 #lt;PayCo#gt; #amp; #quot;Partner#quot;\"]"))
        #expect(lines.contains("    S1 -->|\"API ×2 · ファイル\"| S2"))
        let edges = lines.filter { $0.contains(" -->|") }
        #expect(edges.count == 9)
        #expect(lines.filter { $0.hasPrefix("    linkStyle ") }.count == edges.count)
        #expect(lines.contains { $0.hasPrefix("    linkStyle 3 stroke:\(SystemDiagram.flaggedColour)") && $0.contains("stroke-dasharray") })
        #expect(!text.contains("S9"))
    }

    @Test func groupTitlesWrapAtSpacesOrAnywhereInJapanese() {
        #expect(SystemDiagram.wrap("Delta Cloud Services", width: 90, fontSize: 13, maxLines: 3) == ["Delta Cloud", "Services"])
        #expect(SystemDiagram.wrap("株式会社アルファ情報システムズ", width: 80, fontSize: 13, maxLines: 3) == ["株式会社アル", "ファ情報シス", "テムズ"])
        #expect(SystemDiagram.wrap("株式会社アルファ情報システムズ", width: 80, fontSize: 13, maxLines: 2) == ["株式会社アル", "ファ情報シ…"])
        #expect(SystemDiagram.labelLines(["API ×3", "ファイル"]) == ["API ×3 · ファイル"])
        #expect(SystemDiagram.labelLines(["API ×3", "ファイル ×2", "DBリンク", "画面"]) == ["API ×3", "ファイル ×2", "DBリンク · 画面"])  // 110 px a line
    }

    @Test func mermaidKeepsIdsAndLabelsSafe() {
        #expect(SystemDiagram.mermaidID("S3") == "S3")
        #expect(SystemDiagram.mermaidID("end") == "n_end")
        #expect(SystemDiagram.mermaidID("a-b") == "n_a_b")
        #expect(SystemDiagram.mermaidText("a \"b\" #1 <i>|`x`\nnext") == "a #quot;b#quot; #35;1 #lt;i#gt;#124;#96;x#96; next")
        #expect(SystemDiagram.yaml("say \"hi\" \\ now") == "say \\\"hi\\\" \\\\ now")
    }

    @Test func sameInputGivesTheSameBytes() {
        let (systems, interfaces) = Samples.large()
        #expect(SystemDiagram.svg(systems: systems, interfaces: interfaces, words: Self.words)
            == SystemDiagram.svg(systems: systems, interfaces: interfaces, words: Self.words))
        #expect(SystemDiagram.mermaid(systems: systems, interfaces: interfaces, words: Self.words)
            == SystemDiagram.mermaid(systems: systems, interfaces: interfaces, words: Self.words))
    }

    @Test func emptyInputStillDrawsTitleAndLegend() throws {
        let doc = try Self.parse(SystemDiagram.svg(systems: [], interfaces: [], words: Self.words))
        #expect(doc.classed("system").isEmpty && doc.classed("interface").isEmpty)
        #expect(doc.contains { $0.classes.contains("title") })
        #expect(SystemDiagram.mermaid(systems: [], interfaces: [], words: Self.words).contains("flowchart LR\n"))
    }

    // Golden files live in Golden/ beside this file. After an intended change in the output, regenerate them with
    // `PMO_UPDATE_GOLDEN=1 swift test --filter SystemDiagramTests` and review the diff before committing.
    static func golden(_ name: String, _ actual: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["PMO_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        guard actual != expected else { return }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false), e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        Issue.record("\(name) differs from the golden file at line \(line + 1): got \(line < a.count ? String(a[line]) : "<end>") (PMO_UPDATE_GOLDEN=1 rewrites it)")
    }

    @Test func smallMermaidMatchesGolden() throws {
        let (systems, interfaces) = Samples.small()
        try Self.golden("system-diagram-small.mmd", SystemDiagram.mermaid(systems: systems, interfaces: interfaces, words: Self.words))
    }

    @Test func smallSVGMatchesGolden() throws {
        try Self.golden("system-diagram-small.svg", Self.render("small").svg)
    }
}
