import Foundation
import PMOCore
import PMOReports
import PMOStore
import Vapor

/// Words of the status report, portfolio and kickoff pages in the viewer's language. The documents' own words (areas,
/// colours, reasons, column headings) come from `MeetingWords`, so the page, the Markdown and the workbook agree.
struct ReportWords {
    let ja: Bool
    let lang: String
    init(_ req: Request) {
        lang = req.locale
        ja = lang != "en"
    }

    func callAsFunction(_ japanese: String, _ english: String) -> String { ja ? japanese : english }
    /// A word by key: the pages' own (`page.…`, in `PageWords`), or a label the report documents share with the
    /// Markdown and xlsx outputs (`MeetingWords.label`).
    subscript(_ key: String) -> String { key.hasPrefix("page.") ? I18n.word(key, ja: ja) : MeetingWords.label(key, lang: lang) }
    func rag(_ r: RAG) -> String { MeetingWords.rag(r, lang: lang) }
    func area(_ a: StatusArea) -> String { MeetingWords.area(a, lang: lang) }
    func reason(_ r: StatusReason) -> String { MeetingWords.statusReason(r, lang: lang) }

    func state(_ s: StatusReportState) -> String {
        switch s {
        case .draft: self("下書き", "Draft")
        case .issued: self("発行済み", "Issued")
        case .superseded: self("訂正により差し替え", "Superseded")
        }
    }

    func role(_ role: String) -> String {
        switch role {
        case "admin": self("管理者", "Admin")
        case "pmo": "PMO"
        case "pm": "PM"
        case "member": self("メンバー", "Member")
        case "vendor": self("ベンダー", "Vendor")
        case "viewer": self("閲覧者", "Viewer")
        default: role
        }
    }

    func weekday(_ day: Int) -> String { MeetingWords.weekday(day, lang: lang) }

    func frequency(_ weeks: Int) -> String { MeetingWords.frequency(weeks, lang: lang) }
}

/// Pieces of HTML shared by the report pages. Every piece of user or stored text goes through `HTML.e`.
enum ReportHTML {
    // MARK: Values

    static func yen(_ v: Double) -> String { "¥" + PlanFormat.money(v) }
    static func yen(_ v: Double?) -> String { v.map { yen($0) } ?? "–" }
    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0) } ?? "–" }
    static func ratio(_ v: Double?) -> String { PlanFormat.ratio(v) }
    static func date(_ d: CalendarDate?) -> String { d?.description ?? "–" }
    static func slip(_ days: Double?) -> String {
        guard let days, days.isFinite else { return "–" }
        if days == 0 { return "0" }
        return (days > 0 ? "+" : "−") + PlanFormat.number(abs(days))
    }

    /// A colour chip that carries its word, so the colour is never the only signal (print in black and white,
    /// colour-blind readers).
    static func chip(_ rag: RAG, _ w: ReportWords) -> String {
        let mark = switch rag {
        case .red: "●"
        case .amber: "▲"
        case .green: "◆"
        case .grey: "○"
        }
        return "<span class=\"rag rag-\(rag.rawValue)\" data-rag=\"\(rag.rawValue)\"><span class=\"rag-mark\" aria-hidden=\"true\">\(mark)</span> \(HTML.e(w.rag(rag)))</span>"
    }

    /// ↑ better, ↓ worse, → no change, with the word.
    static func trend(_ t: Int, _ w: ReportWords, compact: Bool = false) -> String {
        let (arrow, cls, word) = t > 0 ? ("↑", "better", w["status.better"]) : t < 0 ? ("↓", "worse", w["status.worse"]) : ("→", "same", w["status.same"])
        let label = compact ? "<span class=\"sr\">\(HTML.e(word))</span>" : " " + HTML.e(word)
        return "<span class=\"trend trend-\(cls)\" title=\"\(HTML.e(word))\">\(arrow)\(label)</span>"
    }

    static func stateChip(_ s: StatusReportState, _ w: ReportWords) -> String {
        "<span class=\"report-state state-\(s.rawValue)\">\(HTML.e(w.state(s)))</span>"
    }

    /// The word of an item's status, by the register its reference names (CRM-I3 an issue, CRM-R2 a risk…).
    static func itemStatus(_ item: ReportItem, _ req: Request) -> String {
        let kind = item.reference.split(separator: "-").last?.first.flatMap { RegisterKind(letter: String($0)) }
        let key = kind.map { "rs.\($0.rawValue).\(item.status)" } ?? "status.\(item.status)"
        let word = req.label(key)
        return word == key ? item.status : word
    }

    static func isIssue(_ item: ReportItem) -> Bool {
        item.reference.split(separator: "-").last?.first == "I"
    }

    // MARK: Sections

    /// A store error shown on the page: a sentence in the reader's language, then what the store said.
    static func errorBox(_ h: inout HTML, _ e: DomainError, _ w: ReportWords) {
        h.raw("<section class=\"card warn report-error\" id=\"error\" role=\"alert\" data-code=\"\(HTML.e(e.code))\"><b>")
        h.t(headline(e, w))
        h.raw("</b><ul class=\"errors\">")
        if e.fieldErrors.isEmpty {
            h.raw("<li>")
            h.t(ShownError.sentence(e, ja: w.ja))
            h.raw("</li>")
        }
        for fe in e.fieldErrors {
            h.raw("<li data-field=\"\(HTML.e(fe.field))\" data-code=\"\(HTML.e(fe.code))\">")
            if w.ja {
                // The report's own sentence where it has one, else the catalogue's for the code, with the values.
                h.t(japanese(fe).map { ShownError.withSubjects($0, fe.subjects) }
                    ?? ShownError.sentence(code: fe.code, detail: fe.message, subjects: fe.subjects, english: false, words: I18n.allJa))
            } else {
                h.t(fe.message)
            }
            h.raw("</li>")
        }
        h.raw("</ul></section>")
    }

    static func headline(_ e: DomainError, _ w: ReportWords) -> String {
        switch e.code {
        case "report.invalid_date": w["page.report.a_report_cannot_be_made_for_this_date"]
        case "report.invalid": w["page.report.the_report_was_not_saved_please_fix_the"]
        case "report.issued", "report.exists":
            w["page.report.this_report_was_issued_and_never_changes"]
        case "report.not_issued": w["page.report.this_report_cannot_be_corrected"]
        case "report.override_forbidden": w["page.report.only_the_pmo_overrides_a_computed_status"]
        case "version.stale": w["page.report.someone_else_changed_this_report_first"]
        default: w["page.report.that_could_not_be_done"]
        }
    }

    /// The report page's own sentence for a field error's code, in Japanese (nil: the generic wording applies).
    static func japanese(_ fe: FieldError) -> String? { I18n.allJa["field_error.report." + fe.code] }

    /// The measured areas with their colours and reasons (overall is shown above them); an override is marked "PMO override" with its reason and the
    /// computed colour it replaced.
    static func areas(_ h: inout HTML, _ content: StatusReportContent, _ w: ReportWords) {
        h.raw("<table class=\"list areas\" id=\"areas\"><thead><tr><th>\(HTML.e(w["status.area"]))</th><th>\(HTML.e(w["status.colour"]))</th><th>\(HTML.e(w["col.reasons"]))</th></tr></thead><tbody>")
        for area in StatusArea.measured {
            guard let a = content.area(area) else { continue }
            h.raw("<tr id=\"area-\(area.rawValue)\" data-rag=\"\(a.rag.rawValue)\"\(area == .overall ? " class=\"overall\"" : "")><th scope=\"row\">")
            h.t(w.area(area))
            h.raw("</th><td>\(chip(a.rag, w))</td><td>")
            reasons(&h, a, w)
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")
    }

    static func reasons(_ h: inout HTML, _ a: AreaStatus, _ w: ReportWords) {
        if !a.reasons.isEmpty {
            h.raw("<ul class=\"reasons\">")
            for r in a.reasons {
                h.raw("<li>")
                h.t(w.reason(r))
                h.raw("</li>")
            }
            h.raw("</ul>")
        }
        if let o = a.override {
            h.raw("<div class=\"override\" data-override=\"\(o.rawValue)\"><b>\(HTML.e(w["status.override"]))</b>: ")
            h.t(a.overrideReason ?? "")
            h.raw(" <span class=\"muted\">(\(HTML.e(w["status.computed"])): \(chip(a.computed, w)))</span></div>")
        }
    }

    /// Progress against the baseline: planned % against earned %, SPI, CPI, EAC against BAC.
    static func progress(_ h: inout HTML, _ m: StatusMetrics, _ w: ReportWords) {
        h.raw("<section class=\"card\" id=\"progress\"><h2>\(HTML.e(w["page.report.progress_against_the_baseline"]))</h2>")
        if !m.hasPlan {
            h.raw("<p class=\"muted\">\(HTML.e(w["page.report.there_is_no_plan_yet"]))</p></section>")
            return
        }
        h.raw("<dl class=\"facts pairs metrics\">")
        func fact(_ id: String, _ label: String, _ value: String) {
            h.raw("<dt>\(HTML.e(label))</dt><dd id=\"m-\(id)\">\(HTML.e(value))</dd>")
        }
        fact("planned", w["metric.plannedPercent"], percent(m.plannedPercent))
        fact("earned", w["metric.earnedPercent"], percent(m.earnedPercent))
        fact("spi", w["metric.spi"], ratio(m.spi))
        fact("cpi", w["metric.cpi"], ratio(m.cpi))
        fact("eac", w["metric.eac"], yen(m.eac))
        fact("bac", w["metric.bac"], yen(m.bac))
        fact("pv", w["metric.pv"], yen(m.pv))
        fact("ev", w["metric.ev"], yen(m.ev))
        fact("ac", w["metric.ac"], yen(m.ac))
        h.raw("</dl>")
        let planned = min(max(m.plannedPercent ?? 0, 0), 100), earned = min(max(m.earnedPercent ?? 0, 0), 100)
        h.raw("<div class=\"progress-bars\" aria-hidden=\"true\"><div class=\"pbar\"><span class=\"pbar-label\">\(HTML.e(w["page.report.planned"]))</span><meter min=\"0\" max=\"100\" value=\"\(PlanFormat.number(planned))\"></meter></div>")
        h.raw("<div class=\"pbar\"><span class=\"pbar-label\">\(HTML.e(w["page.report.earned"]))</span><meter min=\"0\" max=\"100\" value=\"\(PlanFormat.number(earned))\"></meter></div></div>")
        h.raw("</section>")
    }

    static func milestones(_ h: inout HTML, _ list: [MilestoneStatus], _ w: ReportWords, id: String = "milestones") {
        if list.isEmpty {
            h.raw("<p class=\"muted\" id=\"\(id)\">\(HTML.e(w["meeting.none"]))</p>")
            return
        }
        h.raw("<table class=\"list\" id=\"\(id)\"><thead><tr><th>\(HTML.e(w["status.milestone"]))</th><th>\(HTML.e(w["status.baseline"]))</th><th>\(HTML.e(w["status.forecast"]))</th><th>\(HTML.e(w["status.slip"]))</th><th>\(HTML.e(w["status.state"]))</th></tr></thead><tbody>")
        for m in list {
            let late = !m.done && (m.slipDays ?? 0) > 0
            h.raw("<tr\(late ? " class=\"late\"" : "")><td>◆ ")
            h.t(m.name)
            h.raw("</td><td class=\"date\">\(date(m.baselineFinish))</td><td class=\"date\">\(m.forecastFinish)</td><td class=\"num slip\">\(slip(m.slipDays))</td><td>")
            h.t(m.done ? w["status.done"] : late ? w["status.late"] : w["status.on_track"])
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")
    }

    /// Issues, risks or decisions as the report lists them.
    static func items(_ h: inout HTML, _ list: [ReportItem], _ req: Request, _ w: ReportWords, id: String, decider: Bool = false) {
        if list.isEmpty {
            h.raw("<p class=\"muted\" id=\"\(id)\">\(HTML.e(w["meeting.none"]))</p>")
            return
        }
        h.raw("<table class=\"list items\" id=\"\(id)\"><thead><tr><th>\(HTML.e(w["col.reference"]))</th><th>\(HTML.e(w["col.title"]))</th><th>\(HTML.e(w["col.status"]))</th>")
        // The owner column only when some item has one (the kickoff pack's lists carry none).
        let owners = list.contains { $0.owner != nil }
        h.raw(decider ? "<th>\(HTML.e(w["col.decider"]))</th>" : (owners ? "<th>\(HTML.e(w["col.owner"]))</th>" : "") + "<th>\(HTML.e(w["page.report.priority_score"]))</th>")
        h.raw("<th>\(HTML.e(w["col.due"]))</th></tr></thead><tbody>")
        for i in list {
            h.raw("<tr><td class=\"ref\">")
            h.t(i.reference)
            h.raw("</td><td>")
            h.t(i.title)
            h.raw("</td><td>")
            h.t(itemStatus(i, req))
            h.raw("</td>")
            if decider {
                h.raw("<td>")
                h.t(i.decider ?? "–")
                h.raw("</td>")
            } else {
                if owners {
                    h.raw("<td>")
                    h.t(i.owner ?? "–")
                    h.raw("</td>")
                }
                h.raw("<td>")
                if let score = i.score {
                    if isIssue(i), let p = IssuePriority(rank: score) {
                        h.raw("<span class=\"prio prio-\(p.rawValue)\">\(HTML.e(req.label("priority.\(p.rawValue)")))</span>")
                    } else {
                        h.raw("<span class=\"score band-\(RiskHeatMap.band(score: score))\">\(score)</span>")
                    }
                }
                h.raw("</td>")
            }
            h.raw("<td class=\"date\">\(date(i.dueDate))</td></tr>")
        }
        h.raw("</tbody></table>")
    }

    /// Text kept as typed, line breaks included.
    static func prose(_ h: inout HTML, _ text: String, _ w: ReportWords, id: String) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            h.raw("<p class=\"muted\" id=\"\(id)\">\(HTML.e(w["status.none"]))</p>")
        } else {
            h.raw("<div class=\"prose\" id=\"\(id)\">")
            h.t(text)
            h.raw("</div>")
        }
    }

    /// What changed between two reports: each area from → to with an arrow, metric deltas, new and gone top items.
    static func since(_ h: inout HTML, _ c: StatusComparison, _ w: ReportWords, id: String = "since-last", title: String? = nil) {
        h.raw("<section class=\"card\" id=\"\(id)\"><h2>")
        h.t(title ?? w["status.since_last"])
        if let d = c.previousDate { h.t(w("（前回 \(d)）", " (previous \(d))")) }
        h.raw("</h2>")
        guard c.previousDate != nil else {
            h.raw("<p class=\"muted\">\(HTML.e(w["status.no_previous"]))</p></section>")
            return
        }
        h.raw("<table class=\"list since\"><thead><tr><th>\(HTML.e(w["status.area"]))</th><th>\(HTML.e(w["status.previous"]))</th><th></th><th>\(HTML.e(w["status.current"]))</th><th>\(HTML.e(w["status.trend"]))</th></tr></thead><tbody>")
        for a in c.areas {
            h.raw("<tr id=\"\(id)-\(a.area.rawValue)\"><th scope=\"row\">")
            h.t(w.area(a.area))
            h.raw("</th><td>\(a.from.map { chip($0, w) } ?? "–")</td><td aria-hidden=\"true\">→</td><td>\(chip(a.to, w))</td><td>\(trend(a.trend, w))</td></tr>")
        }
        h.raw("</tbody></table><table class=\"list since-metrics\"><thead><tr><th>\(HTML.e(w["status.metric"]))</th><th>\(HTML.e(w["status.previous"]))</th><th>\(HTML.e(w["status.current"]))</th><th>\(HTML.e(w["page.report.change"]))</th></tr></thead><tbody>")
        for m in c.metrics {
            let ratio = m.name == "spi" || m.name == "cpi"
            let pct = m.name.hasSuffix("Percent")
            func show(_ v: Double?) -> String {
                guard let v, v.isFinite else { return "–" }
                return ratio ? String(format: "%.2f", v) : pct ? String(format: "%.1f%%", v) : PlanFormat.number(v)
            }
            var delta = "–"
            if let f = m.from, let t = m.to, f.isFinite, t.isFinite {
                let d = t - f
                let body = ratio ? String(format: "%.2f", abs(d)) : pct ? String(format: "%.1f", abs(d)) + "pt" : PlanFormat.number(abs(d))
                delta = d == 0 ? "±0" : (d > 0 ? "+" : "−") + body
            }
            h.raw("<tr id=\"\(id)-m-\(HTML.e(m.name))\"><th scope=\"row\">")
            h.t(w["metric." + m.name])
            h.raw("</th><td class=\"num\">\(show(m.from))</td><td class=\"num\">\(show(m.to))</td><td class=\"num delta\">\(delta)</td></tr>")
        }
        h.raw("</tbody></table>")
        for (key, list, cls) in [("status.new_items", c.newItems, "new-items"), ("status.gone_items", c.goneItems, "gone-items")] {
            h.raw("<h3>\(HTML.e(w[key]))</h3>")
            if list.isEmpty {
                h.raw("<p class=\"muted \(cls)\">\(HTML.e(w["meeting.none"]))</p>")
                continue
            }
            h.raw("<ul class=\"\(cls)\">")
            for i in list {
                h.raw("<li><span class=\"ref\">")
                h.t(i.reference)
                h.raw("</span> ")
                h.t(i.title)
                h.raw("</li>")
            }
            h.raw("</ul>")
        }
        h.raw("</section>")
    }
}

extension Request {
    /// Renders a report page's HTML inside the site chrome.
    func renderReportPage(_ html: HTML, title: String, project: ProjectRecord?, section: String,
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        struct Body: Encodable { var html: String }
        return try await render("plan_page", await projectChrome(title: title, section: section, project: project), Body(html: html.text), status: status)
    }

    /// A file to download, with its type and name.
    func reportDownload(_ data: Data, type: HTTPMediaType, name: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        let ascii = name.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" } ? name : "download"
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._"))) ?? ascii
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

extension HTTPMediaType {
    static let reportMarkdown = HTTPMediaType(type: "text", subType: "markdown", parameters: ["charset": "utf-8"])
    static let reportXLSX = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
}
