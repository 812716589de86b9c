import Foundation
import Testing

@testable import PMOReports

/// A business function's sequence diagram: participants in order with lifelines, one numbered arrow per step in the
/// function's order, each between its own two participants, and the same as Mermaid text.
@Suite struct SequenceDiagramTests {
    static let participants = [
        SequenceDiagram.Participant(key: "S2", reference: "CRM-S2", name: "会員ポータル", code: "MBR"),
        SequenceDiagram.Participant(key: "S10", reference: "CRM-S10", name: "認証基盤（SSO）", code: "IDP"),
        SequenceDiagram.Participant(key: "S1", reference: "CRM-S1", name: "新CRM <v2>; 本番", code: "CRM"),
    ]
    static let messages = [
        SequenceDiagram.Message(reference: "CRM-F11", title: "ログイン認証", from: "S2", to: "S10", method: "API", status: "connection_tested",
                                twoWay: true),
        SequenceDiagram.Message(reference: "CRM-F9", title: "会員登録連携", from: "S2", to: "S1", method: "メッセージキュー", status: "built"),
        SequenceDiagram.Message(reference: "CRM-F10", title: "会員ランク配信（月次の全件洗い替えと差分の両方を含む長い名前）", from: "S1", to: "S2",
                                method: "メッセージキュー", status: "designing", flagged: true),
        // Names a system that is not a participant (the caller could not see it): left out.
        SequenceDiagram.Message(reference: "CRM-F99", title: "見えない連携", from: "S1", to: "S7", method: "API", status: "agreed"),
    ]
    static let words = SequenceDiagram.Words(
        title: "シーケンス図：CRM-B1 会員登録", statuses: Dictionary(uniqueKeysWithValues: SystemDiagram.statuses.map { ($0, "[\($0)]") }),
        flagged: "設計期限超過", legend: "凡例")

    @Test func eachStepIsAnArrowBetweenItsOwnParticipantsInOrder() throws {
        let svg = SequenceDiagram.svg(participants: Self.participants, messages: Self.messages, words: Self.words)
        let doc = try #require(SVGDocument.parse(svg), "well-formed")
        let boxes = doc.enumerated().filter { $0.element.classes.contains("participant") }
        #expect(boxes.map { $0.element.attributes["data-key"] } == ["S2", "S10", "S1"])
        // Each participant's box centre, read from its rect.
        var centre: [String: Double] = [:]
        for (index, box) in boxes {
            let rect = try #require(doc.inside(index, named: "rect").first?.rect)
            centre[box.attributes["data-key"]!] = rect.midX
        }
        #expect(centre["S2"]! < centre["S10"]! && centre["S10"]! < centre["S1"]!)
        let steps = doc.enumerated().filter { $0.element.classes.contains("message") }
        #expect(steps.map { $0.element.attributes["data-reference"] } == ["CRM-F11", "CRM-F9", "CRM-F10"], "F99 names a system not drawn")
        var lastY = -1.0
        for ((index, step), (from, to)) in zip(steps, [("S2", "S10"), ("S2", "S1"), ("S1", "S2")]) {
            let line = try #require(doc.inside(index, named: "line").first)
            let (x1, x2, y) = (line.number("x1")!, line.number("x2")!, line.number("y1")!)
            #expect(abs(x1 - centre[from]!) < 0.01 && abs(x2 - centre[to]!) < 0.01, "\(step.attributes["data-reference"]!)")
            #expect(y > lastY, "steps go down in order")
            lastY = y
        }
        let texts = steps.map { doc.inside($0.offset, named: "text").first?.text ?? "" }
        #expect(texts[0] == "1. CRM-F11 ログイン認証 · API")
        #expect(texts[2].hasPrefix("3. CRM-F10 会員ランク配信") && texts[2].hasSuffix("…"), "a long label is cut to its arrow's span: \(texts[2])")
        // The full label stays in the step's tooltip.
        #expect(doc.inside(steps[2].offset, named: "title").first?.text.contains("長い名前") == true)
        // A two-way step has a head at each end; a flagged one is red and dashed.
        let first = try #require(doc.inside(steps[0].offset, named: "line").first)
        #expect(first.attributes["marker-start"] != nil && first.attributes["marker-end"] != nil)
        let flagged = try #require(doc.inside(steps[2].offset, named: "line").first)
        #expect(flagged.attributes["stroke"] == SequenceDiagram.red && flagged.attributes["stroke-dasharray"] != nil)
        #expect(svg.contains("新CRM &lt;v2&gt;") && !svg.contains("<v2>"))
        // Labels stay inside the diagram.
        let width = try #require(doc.first?.number("width"))
        for (index, _) in steps {
            let band = try #require(doc.inside(index, named: "rect").first?.rect)
            #expect(band.x >= 0 && band.maxX <= width)
        }
    }

    @Test func mermaidListsTheParticipantsAndNumbersTheSteps() {
        let text = SequenceDiagram.mermaid(participants: Self.participants, messages: Self.messages, words: Self.words)
        #expect(text == """
        ---
        title: "シーケンス図：CRM-B1 会員登録"
        ---
        sequenceDiagram
            participant S2 as CRM-S2 MBR 会員ポータル
            participant S10 as CRM-S10 IDP 認証基盤（SSO）
            participant S1 as CRM-S1 CRM 新CRM #lt;v2#gt;#59; 本番
            S2<<->>S10: 1. CRM-F11 ログイン認証 · API [[connection_tested]]
            S2->>S1: 2. CRM-F9 会員登録連携 · メッセージキュー [[built]]
            S1->>S2: 3. CRM-F10 会員ランク配信（月次の全件洗い替えと差分の両方を含む長い名前） · メッセージキュー [[designing]] (設計期限超過)

        """)
    }

    @Test func theSameStepsGiveTheSameBytes() {
        let a = SequenceDiagram.svg(participants: Self.participants, messages: Self.messages, words: Self.words)
        let b = SequenceDiagram.svg(participants: Self.participants, messages: Self.messages, words: Self.words)
        #expect(a == b)
    }
}
