import Foundation

/// Reads PSPLIB single-mode `.sm` files.
public enum PSPLIBReader {
    /// Parses the text of a `.sm` file; throws `InterchangeError` (code `import.psplib.syntax`) naming the line at fault.
    public static func read(_ data: Data) throws -> PSPLIBProject {
        // Split into lines of whitespace-separated tokens, byte by byte (fast in debug builds too).
        var lines: [(number: Int, text: Substring, tokens: [Substring])] = []
        let text = String(decoding: data, as: UTF8.self)
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let tokens = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            lines.append((lineNumber, raw, tokens))
        }
        func fail(_ message: String, _ line: Int?) -> InterchangeError {
            InterchangeError(code: "import.psplib.syntax", message: message, line: line)
        }
        func section(_ prefix: String) throws -> Int {
            guard let i = lines.firstIndex(where: { $0.text.hasPrefix(prefix) }) else {
                throw InterchangeError(
                    code: "import.psplib.syntax", message: "Missing section \"\(prefix)\"; not a PSPLIB .sm file.",
                    element: prefix)
            }
            return i
        }
        func ints(_ tokens: [Substring], line: Int) throws -> [Int] {
            try tokens.map { t in
                guard let v = Int(t) else { throw fail("Expected a whole number, found \"\(t)\".", line) }
                return v
            }
        }
        var horizon = 0
        if let h = lines.first(where: { $0.text.hasPrefix("horizon") }), let v = h.tokens.last.flatMap({ Int($0) }) {
            horizon = v
        }
        let info = try section("PROJECT INFORMATION")
        guard info + 2 < lines.count else { throw fail("PROJECT INFORMATION has no values.", lines[info].number) }
        let infoValues = try ints(lines[info + 2].tokens, line: lines[info + 2].number)
        guard infoValues.count >= 6 else { throw fail("PROJECT INFORMATION needs 6 values.", lines[info + 2].number) }
        let jobCount = infoValues[1] + 2
        let mpm = infoValues[5]

        let prec = try section("PRECEDENCE RELATIONS")
        var jobs: [PSPLIBProject.Job] = []
        for k in 0..<jobCount {
            let idx = prec + 2 + k
            guard idx < lines.count else { throw fail("PRECEDENCE RELATIONS ends early.", lines.last?.number) }
            let v = try ints(lines[idx].tokens, line: lines[idx].number)
            guard v.count >= 3, v[0] == k + 1, v.count == 3 + v[2] else {
                throw fail("Expected job \(k + 1) with its successor count and successors.", lines[idx].number)
            }
            for s in v[3...] where s < 1 || s > jobCount {
                throw fail("Successor \(s) is not a job of this file.", lines[idx].number)
            }
            jobs.append(.init(number: k + 1, duration: 0, successors: Array(v[3...]), requests: []))
        }
        let req = try section("REQUESTS/DURATIONS")
        for k in 0..<jobCount {
            let idx = req + 3 + k
            guard idx < lines.count else { throw fail("REQUESTS/DURATIONS ends early.", lines.last?.number) }
            let v = try ints(lines[idx].tokens, line: lines[idx].number)
            guard v.count >= 3, v[0] == k + 1, v[2] >= 0 else {
                throw fail("Expected job \(k + 1), its mode and a duration ≥ 0.", lines[idx].number)
            }
            jobs[k].duration = v[2]
            jobs[k].requests = Array(v[3...])
        }
        var capacities: [Int] = []
        if let res = lines.firstIndex(where: { $0.text.hasPrefix("RESOURCEAVAILABILITIES") }), res + 2 < lines.count {
            capacities = try ints(lines[res + 2].tokens, line: lines[res + 2].number)
        }
        return PSPLIBProject(jobs: jobs, resourceCapacities: capacities, mpmTime: mpm, horizon: horizon)
    }
}
