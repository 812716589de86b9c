import Foundation
import PMOCore
import PMOWords
import PMOHTML
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
    init(_ t: Words) {
        ja = t.isJapanese
        lang = ja ? "ja" : "en"
    }

    /// A word of the one catalogue (`PMOWords`) by key: the pages' own (`page.…`) or one the report documents share
    /// with the Markdown and xlsx outputs.
    var words: Words { Words(ja ? .ja : .en) }
    subscript(_ key: String) -> String { words[key] }
    func callAsFunction(_ key: String, _ values: [String: String]) -> String { words(key, values) }
    func list(_ items: [String]) -> String { words.list(items) }
    func rag(_ r: RAG) -> String { MeetingWords.rag(r, lang: lang) }
    func area(_ a: StatusArea) -> String { MeetingWords.area(a, lang: lang) }
    func reason(_ r: StatusReason) -> String { MeetingWords.statusReason(r, lang: lang) }

    func state(_ s: StatusReportState) -> String {
        self["page.report.state." + s.rawValue]
    }

    /// A project phase by its word, or as stored when the catalogue has none.
    func phase(_ phase: String) -> String {
        let word = self["phase." + phase]
        return word == "phase." + phase ? phase : word
    }

    func role(_ role: String) -> String {
        I18n.allEn["prole." + role] == nil ? role : self["prole." + role]
    }

    func weekday(_ day: Int) -> String { MeetingWords.weekday(day, lang: lang) }

    func frequency(_ weeks: Int) -> String { MeetingWords.frequency(weeks, lang: lang) }
}

/// Pieces of HTML shared by the report pages, written with `HTMLWriter` (every text and attribute value escaped).
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
    static func chip(_ h: inout HTMLWriter, _ rag: RAG, _ w: ReportWords) {
        let mark = switch rag {
        case .red: "●"
        case .amber: "▲"
        case .green: "◆"
        case .grey: "○"
        }
        h.el(.span, .class("rag rag-\(rag.rawValue)"), .attr("data-rag", rag.rawValue)) { h in
            h.el(.span, .class("rag-mark"), .attr("aria-hidden", "true"), text: mark)
            h.text(" " + w.rag(rag))
        }
    }

    /// ↑ better, ↓ worse, → no change, with the word.
    static func trend(_ h: inout HTMLWriter, _ t: Int, _ w: ReportWords, compact: Bool = false) {
        let (arrow, cls, word) = t > 0 ? ("↑", "better", w["status.better"]) : t < 0 ? ("↓", "worse", w["status.worse"]) : ("→", "same", w["status.same"])
        h.el(.span, .class("trend trend-\(cls)"), .title(word)) { h in
            h.text(arrow)
            if compact {
                h.el(.span, .class("sr"), text: word)
            } else {
                h.text(" " + word)
            }
        }
    }

    static func stateChip(_ h: inout HTMLWriter, _ s: StatusReportState, _ w: ReportWords) {
        h.el(.span, .class("report-state state-\(s.rawValue)"), text: w.state(s))
    }

    /// The word of an item's status, by the register its reference names (CRM-I3 an issue, CRM-R2 a risk…).
    static func itemStatus(_ item: ReportItem, _ w: ReportWords) -> String {
        let kind = item.reference.split(separator: "-").last?.first.flatMap { RegisterKind(letter: String($0)) }
        let key = kind.map { "rs.\($0.rawValue).\(item.status)" } ?? "status.\(item.status)"
        let word = w[key]
        return word == key ? item.status : word
    }

    static func isIssue(_ item: ReportItem) -> Bool {
        item.reference.split(separator: "-").last?.first == "I"
    }

    // MARK: Sections

    /// A store error shown on the page: a sentence in the reader's language, then what the store said.
    static func errorBox(_ h: inout HTMLWriter, _ e: DomainError, _ w: ReportWords) {
        h.el(.section, .class("card warn report-error"), .id("error"), .role("alert"), .attr("data-code", e.code)) { h in
            h.el(.b, text: headline(e, w))
            h.el(.ul, .class("errors")) { h in
                if e.fieldErrors.isEmpty { h.el(.li, text: ShownError.sentence(e, ja: w.ja)) }
                for fe in e.fieldErrors {
                    // The report's own sentence where it has one, else the catalogue's for the code, with the values.
                    let sentence = w.ja
                        ? japanese(fe).map { ShownError.withSubjects($0, fe.subjects) }
                            ?? ShownError.sentence(code: fe.code, detail: fe.message, subjects: fe.subjects, english: false, words: I18n.allJa)
                        : fe.message
                    h.el(.li, .attr("data-field", fe.field), .attr("data-code", fe.code), text: sentence)
                }
            }
        }
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
    static func areas(_ h: inout HTMLWriter, _ content: StatusReportContent, _ w: ReportWords) {
        h.el(.table, .class("list areas"), .id("areas")) { h in
            h.tableHead([w["status.area"], w["status.colour"], w["col.reasons"]])
            h.el(.tbody) { h in
                for area in StatusArea.measured {
                    guard let a = content.area(area) else { continue }
                    h.el(.tr, .id("area-\(area.rawValue)"), .attr("data-rag", a.rag.rawValue), .class(area == .overall ? "overall" : nil)) { h in
                        h.el(.th, .scope("row"), text: w.area(area))
                        h.el(.td) { h in chip(&h, a.rag, w) }
                        h.el(.td) { h in reasons(&h, a, w) }
                    }
                }
            }
        }
    }

    static func reasons(_ h: inout HTMLWriter, _ a: AreaStatus, _ w: ReportWords) {
        if !a.reasons.isEmpty {
            h.el(.ul, .class("reasons")) { h in
                for r in a.reasons { h.el(.li, text: w.reason(r)) }
            }
        }
        if let o = a.override {
            h.el(.div, .class("override"), .attr("data-override", o.rawValue)) { h in
                h.el(.b, text: w["status.override"])
                h.text(": ")
                h.text(a.overrideReason ?? "")
                h.text(" ")
                h.el(.span, .class("muted")) { h in
                    h.text("(" + w["status.computed"] + ": ")
                    chip(&h, a.computed, w)
                    h.text(")")
                }
            }
        }
    }

    /// Progress against the baseline: planned % against earned %, SPI, CPI, EAC against BAC.
    static func progress(_ h: inout HTMLWriter, _ m: StatusMetrics, _ w: ReportWords) {
        h.el(.section, .class("card"), .id("progress")) { h in
            h.el(.h2, text: w["page.report.progress_against_the_baseline"])
            if !m.hasPlan {
                h.el(.p, .class("muted"), text: w["page.report.there_is_no_plan_yet"])
                return
            }
            h.el(.dl, .class("facts pairs metrics")) { h in
                func fact(_ id: String, _ label: String, _ value: String) {
                    h.el(.dt, text: label)
                    h.el(.dd, .id("m-\(id)"), text: value)
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
            }
            let planned = min(max(m.plannedPercent ?? 0, 0), 100), earned = min(max(m.earnedPercent ?? 0, 0), 100)
            h.el(.div, .class("progress-bars"), .attr("aria-hidden", "true")) { h in
                for (label, value) in [(w["page.report.planned"], planned), (w["page.report.earned"], earned)] {
                    h.el(.div, .class("pbar")) { h in
                        h.el(.span, .class("pbar-label"), text: label)
                        h.el(.meter, .attr("min", "0"), .attr("max", "100"), .value(PlanFormat.number(value)))
                    }
                }
            }
        }
    }

    static func milestones(_ h: inout HTMLWriter, _ list: [MilestoneStatus], _ w: ReportWords, id: String = "milestones") {
        if list.isEmpty {
            h.el(.p, .class("muted"), .id(id), text: w["meeting.none"])
            return
        }
        h.el(.table, .class("list"), .id(id)) { h in
            h.tableHead([w["status.milestone"], w["status.baseline"], w["status.forecast"], w["status.slip"], w["status.state"]])
            h.el(.tbody) { h in
                for m in list {
                    let late = !m.done && (m.slipDays ?? 0) > 0
                    h.el(.tr, .class(late ? "late" : nil)) { h in
                        h.el(.td, text: "◆ " + m.name)
                        h.el(.td, .class("date"), text: date(m.baselineFinish))
                        h.el(.td, .class("date"), text: m.forecastFinish.description)
                        h.el(.td, .class("num slip"), text: slip(m.slipDays))
                        h.el(.td, text: m.done ? w["status.done"] : late ? w["status.late"] : w["status.on_track"])
                    }
                }
            }
        }
    }

    /// Issues, risks or decisions as the report lists them.
    static func items(_ h: inout HTMLWriter, _ list: [ReportItem], _ w: ReportWords, id: String, decider: Bool = false) {
        if list.isEmpty {
            h.el(.p, .class("muted"), .id(id), text: w["meeting.none"])
            return
        }
        // The owner column only when some item has one (the kickoff pack's lists carry none).
        let owners = list.contains { $0.owner != nil }
        h.el(.table, .class("list items"), .id(id)) { h in
            var columns = [w["col.reference"], w["col.title"], w["col.status"]]
            if decider {
                columns.append(w["col.decider"])
            } else {
                if owners { columns.append(w["col.owner"]) }
                columns.append(w["page.report.priority_score"])
            }
            h.tableHead(columns + [w["col.due"]])
            h.el(.tbody) { h in
                for i in list {
                    h.el(.tr) { h in
                        h.el(.td, .class("ref"), text: i.reference)
                        h.el(.td, text: i.title)
                        h.el(.td, text: itemStatus(i, w))
                        if decider {
                            h.el(.td, text: i.decider ?? "–")
                        } else {
                            if owners { h.el(.td, text: i.owner ?? "–") }
                            h.el(.td) { h in
                                if let score = i.score {
                                    if isIssue(i), let p = IssuePriority(rank: score) {
                                        h.el(.span, .class("prio prio-\(p.rawValue)"), text: w["priority.\(p.rawValue)"])
                                    } else {
                                        h.el(.span, .class("score band-\(RiskHeatMap.band(score: score))"), text: "\(score)")
                                    }
                                }
                            }
                        }
                        h.el(.td, .class("date"), text: date(i.dueDate))
                    }
                }
            }
        }
    }

    /// Text kept as typed, line breaks included.
    static func prose(_ h: inout HTMLWriter, _ text: String, _ w: ReportWords, id: String) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            h.el(.p, .class("muted"), .id(id), text: w["status.none"])
        } else {
            h.el(.div, .class("prose"), .id(id), text: text)
        }
    }

    /// A reference and its title, as the lists of new, gone and top items show them.
    static func itemLine(_ h: inout HTMLWriter, _ i: ReportItem) {
        h.el(.li) { h in
            h.el(.span, .class("ref"), text: i.reference)
            h.text(" " + i.title)
        }
    }

    /// What changed between two reports: each area from → to with an arrow, metric deltas, new and gone top items.
    static func since(_ h: inout HTMLWriter, _ c: StatusComparison, _ w: ReportWords, id: String = "since-last", title: String? = nil) {
        h.el(.section, .class("card"), .id(id)) { h in
            h.el(.h2) { h in
                h.text(title ?? w["status.since_last"])
                if let d = c.previousDate { h.text(w("md.previous_date", ["date": d.description])) }
            }
            guard c.previousDate != nil else {
                h.el(.p, .class("muted"), text: w["status.no_previous"])
                return
            }
            h.el(.table, .class("list since")) { h in
                h.tableHead([w["status.area"], w["status.previous"], "", w["status.current"], w["status.trend"]])
                h.el(.tbody) { h in
                    for a in c.areas {
                        h.el(.tr, .id("\(id)-\(a.area.rawValue)")) { h in
                            h.el(.th, .scope("row"), text: w.area(a.area))
                            h.el(.td) { h in
                                if let from = a.from { chip(&h, from, w) } else { h.text("–") }
                            }
                            h.el(.td, .attr("aria-hidden", "true"), text: "→")
                            h.el(.td) { h in chip(&h, a.to, w) }
                            h.el(.td) { h in trend(&h, a.trend, w) }
                        }
                    }
                }
            }
            h.el(.table, .class("list since-metrics")) { h in
                h.tableHead([w["status.metric"], w["status.previous"], w["status.current"], w["page.report.change"]])
                h.el(.tbody) { h in
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
                        h.el(.tr, .id("\(id)-m-\(m.name)")) { h in
                            h.el(.th, .scope("row"), text: w["metric." + m.name])
                            h.el(.td, .class("num"), text: show(m.from))
                            h.el(.td, .class("num"), text: show(m.to))
                            h.el(.td, .class("num delta"), text: delta)
                        }
                    }
                }
            }
            for (key, list, cls) in [("status.new_items", c.newItems, "new-items"), ("status.gone_items", c.goneItems, "gone-items")] {
                h.el(.h3, text: w[key])
                if list.isEmpty {
                    h.el(.p, .class("muted \(cls)"), text: w["meeting.none"])
                    continue
                }
                h.el(.ul, .class(cls)) { h in
                    for i in list { itemLine(&h, i) }
                }
            }
        }
    }
}

extension Request {
    /// Renders a report page written with `HTMLWriter` inside the site chrome (the portfolio belongs to no project).
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
