import Foundation
import PMOCore
import PMOInterchange

/// A 5×5 risk heat map as SVG: probability across, impact up, each cell coloured by its score (probability × impact)
/// and showing how many risks sit in it. Pure: the caller passes the counts and the words.
public enum RiskHeatMap {
    /// Labels in the page's language.
    public struct Words: Sendable {
        public var title: String
        public var probability: String
        public var impact: String
        public init(title: String, probability: String, impact: String) {
            self.title = title
            self.probability = probability
            self.impact = impact
        }
    }

    /// `counts[p-1][i-1]` = risks with probability p and (largest) impact i.
    public static func counts(of risks: [(probability: Int, impact: Int)]) -> [[Int]] { RiskGrid.counts(of: risks) }

    /// The colour band of a score: red at 15 and above, amber from 8, yellow from 4, green below.
    public static func band(score: Int) -> String {
        switch score {
        case 15...: "high"
        case 8..<15: "medium"
        case 4..<8: "low"
        default: "minimal"
        }
    }

    static let fills = ["high": "#d64545", "medium": "#f0a030", "low": "#f3d35b", "minimal": "#8cc084"]

    public static func svg(counts: [[Int]], words: Words) -> String {
        let cell = 56, left = 64, top = 36
        let width = left + cell * 5 + 16, height = top + cell * 5 + 52
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" role="img" aria-label="\(escape(words.title))" font-family="sans-serif">
        <title>\(escape(words.title))</title>
        <text x="\(left)" y="20" font-size="14" font-weight="bold">\(escape(words.title))</text>

        """
        for impact in (1...5).reversed() {
            let y = top + (5 - impact) * cell
            s += "<text x=\"\(left - 10)\" y=\"\(y + cell / 2 + 5)\" font-size=\"12\" text-anchor=\"end\">\(impact)</text>\n"
            for probability in 1...5 {
                let x = left + (probability - 1) * cell
                let score = probability * impact
                let n = counts.indices.contains(probability - 1) && counts[probability - 1].indices.contains(impact - 1) ? counts[probability - 1][impact - 1] : 0
                s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(fills[band(score: score)]!)\" stroke=\"#fff\"><title>P\(probability) × I\(impact) = \(score): \(n)</title></rect>\n"
                if n > 0 {
                    s += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + cell / 2 + 7)\" font-size=\"20\" font-weight=\"bold\" text-anchor=\"middle\">\(n)</text>\n"
                }
            }
        }
        for probability in 1...5 {
            s += "<text x=\"\(left + (probability - 1) * cell + cell / 2 - 1)\" y=\"\(top + 5 * cell + 16)\" font-size=\"12\" text-anchor=\"middle\">\(probability)</text>\n"
        }
        s += "<text x=\"\(left + cell * 5 / 2)\" y=\"\(top + 5 * cell + 40)\" font-size=\"12\" text-anchor=\"middle\">\(escape(words.probability)) →</text>\n"
        s += "<text x=\"16\" y=\"\(top + cell * 5 / 2)\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(top + cell * 5 / 2))\">\(escape(words.impact)) →</text>\n"
        return s + "</svg>\n"
    }

    static func escape(_ text: String) -> String { XMLEscape.text(text) }
}
