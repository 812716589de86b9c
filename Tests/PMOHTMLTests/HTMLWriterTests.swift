import Foundation
import PMOHTML
import PMOTestData
import Testing

@Suite("HTML writer")
struct HTMLWriterTests {
    @Test("text and attribute values are escaped, tags and names are written as given")
    func escapes() {
        var h = HTMLWriter()
        let typed = "<script>alert('x')</script> & \"quoted\""
        h.el(.a, .href("/p?a=1&b=\"2\""), .title(typed)) { h in h.text(typed) }
        #expect(h.html == "<a href=\"/p?a=1&amp;b=&quot;2&quot;\" title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;\">"
            + "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;</a>")
    }

    @Test("nil attributes are left out, flags are written bare only when on, void elements have no end tag")
    func attributes() {
        var h = HTMLWriter()
        h.el(.select, .name("kind")) { h in
            h.el(.option, .value("task"), .selected(false), .class(nil), text: "Task")
            h.el(.option, .value("milestone"), .selected(true), text: "Milestone")
        }
        h.el(.input, .type("hidden"), .name("_csrf"), .value("t"), .required)
        h.el(.br)
        h.el(.textarea, .name("notes"))
        #expect(h.html == "<select name=\"kind\"><option value=\"task\">Task</option><option value=\"milestone\" selected>Milestone</option></select>"
            + "<input type=\"hidden\" name=\"_csrf\" value=\"t\" required><br><textarea name=\"notes\"></textarea>")
    }

    @Test("characters stored text may not hold are dropped, so the page stays well-formed")
    func forbiddenCharacters() {
        var h = HTMLWriter()
        h.el(.p, text: "a\u{0}b\u{FFFE}c")
        #expect(h.html == "<p>abc</p>")
    }

    @Test("trusted chart markup goes in as written; appended writers keep their order")
    func trustedAndAppend() {
        var inner = HTMLWriter()
        inner.el(.span, text: "2")
        var h = HTMLWriter()
        h.el(.div) { h in
            h.trusted(TrustedMarkup(chartSVG: "<svg><g/></svg>"))
            h.append(inner)
        }
        #expect(h.html == "<div><svg><g/></svg><span>2</span></div>")
    }

    @Test("a throwing content closure propagates its error")
    func throwingContent() {
        struct Boom: Error {}
        var h = HTMLWriter()
        #expect(throws: Boom.self) {
            try h.el(.div) { _ in throw Boom() }
        }
    }

    /// The audit behind "raw markup comes only from one place": reads every Swift source of the product and fails
    /// when unescaped markup is made outside PMOReports' charts.
    @Test("only the charts of PMOReports make trusted markup")
    func trustedOnlyFromCharts() throws {
        let sources = SharedData.packageRoot.appendingPathComponent("Sources")
        var offenders: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 100)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let rel = file.path.replacingOccurrences(of: sources.path + "/", with: "")
            guard text.contains("TrustedMarkup(chartSVG:") else { continue }
            if !rel.hasPrefix("PMOReports/") && rel != "PMOHTML/HTMLWriter.swift" { offenders.append(rel) }
        }
        #expect(offenders.isEmpty, "trusted markup made outside PMOReports: \(offenders)")
    }

    /// The other half of the audit: no page writes markup by hand. Every Swift source of the web module is read, and
    /// a string literal holding an HTML tag, a `raw(` call or an HTML response built outside `Layout` fails the test.
    /// (How the "zero interpolations that bypass escaping" of the issue is counted.)
    @Test("the web module writes no markup outside HTMLWriter")
    func noHandWrittenMarkup() throws {
        let server = SharedData.packageRoot.appendingPathComponent("Sources/PMOServer")
        let files = FileManager.default.enumerator(at: server, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        let tags = "a|b|br|button|code|dd|del|details|div|dl|dt|form|h[1-6]|img|input|label|li|nav|ol|option|p|section|select|span|strong|svg|table|tbody|td|textarea|th|thead|tr|ul"
        let tagInLiteral = try Regex("\"[^\"\\n]*</?(\(tags))[ >/\"]")
        var found: [String] = []
        for file in files {
            let name = file.lastPathComponent
            for (n, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                if code.contains(".raw(") || code.firstMatch(of: tagInLiteral) != nil
                    || (code.contains("contentType = .html") && name != "Layout.swift") {
                    found.append("\(name):\(n + 1): \(code)")
                }
            }
        }
        #expect(found.isEmpty, "markup written by hand:\n\(found.joined(separator: "\n"))")
    }
}
