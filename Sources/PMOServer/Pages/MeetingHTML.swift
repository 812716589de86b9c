import Foundation
import PMOCore
import PMOWords
import PMOHTML
import PMOReports
import PMOStore
import Vapor

/// Words of the meeting pages in the viewer's language, all from the one catalogue (`PMOWords`): the pages' own
/// (`page.meeting.…`) and the documents' (agenda rules, reasons, labels, through `MeetingWords`), so the page and its
/// downloads say the same thing.
struct MeetingText {
    let ja: Bool
    /// "ja" or "en", as the PMOReports renderers take it.
    var lang: String { ja ? "ja" : "en" }

    init(_ req: Request) { ja = req.locale != "en" }
    init(_ t: Words) { ja = t.isJapanese }
    init(ja: Bool) { self.ja = ja }

    /// The catalogue's words of the reader's language.
    var words: Words { Words(ja ? .ja : .en) }
    subscript(_ key: String) -> String { words[key] }
    func callAsFunction(_ key: String, _ values: [String: String]) -> String { words(key, values) }
    func list(_ items: [String]) -> String { words.list(items) }

    func label(_ key: String) -> String { MeetingWords.label(key, lang: lang) }
    func rule(_ rule: AgendaRule?) -> String { MeetingWords.rule(rule, lang: lang) }
    func reason(_ reason: AgendaReason) -> String { MeetingWords.reason(reason, lang: lang) }

    /// 0 = Sunday.
    func weekday(_ day: Int) -> String { MeetingWords.weekday(day, lang: lang) }

    /// "2026-11-17（火）" or "Tue 2026-11-17".
    func day(_ date: CalendarDate) -> String { MeetingWords.day(date, lang: lang) }

    /// "10:00–11:00" (an end past midnight is marked "+1").
    static func timeRange(start: Int, duration: Int) -> String { MeetingWords.timeRange(start: start, duration: duration) }

    /// "毎週火曜 10:00–11:00", "隔週火曜 …", "4週ごと火曜 …"; "Weekly on Tue 10:00–11:00", "Every 2 weeks on Tue …".
    func recurrence(_ r: MeetingRecurrence) -> String {
        let time = MeetingText.timeRange(start: r.startMinutes, duration: r.durationMinutes)
        let day = weekday(r.firstDate.weekday)
        return self("page.meeting.recurrence", ["every": every(r.intervalWeeks), "day": day, "time": time])
    }

    /// "第3回" or "Meeting 3".
    func occurrence(_ n: Int) -> String { self("page.meeting.occurrence_n", ["n": String(n)]) }

    /// "毎週", "隔週", "4週ごと"; "Weekly", "Every 2 weeks", "Every 4 weeks".
    func every(_ weeks: Int) -> String {
        weeks <= 1 ? self["page.meeting.every_n.1"] : weeks == 2 ? self["page.meeting.every_n.2"]
            : self("page.meeting.every_n", ["n": String(weeks)])
    }

    /// "第2版" or "version 2".
    func version(_ v: Int) -> String { self("word.version", ["n": String(v)]) }

    func status(_ s: OccurrenceStatus) -> String {
        self["page.meeting.status." + s.rawValue]
    }

    func itemType(_ t: ItemType) -> String {
        self["item_type." + t.rawValue]
    }

    func visibility(_ scope: VisibilityScope) -> String {
        self["visibility." + scope.rawValue]
    }
}

/// HTML pieces shared by the meeting pages, written with `HTMLWriter`.
enum MeetingHTML {
    /// The title of an agenda entry with its reference (linked to the item) or plan activity.
    static func entryTitle(_ h: inout HTMLWriter, key: String, reference: String?, activityUID: Int?, title: String) {
        if let reference, !reference.isEmpty {
            if let href = ItemPath.href(key, reference: reference) {
                h.el(.a, .class("ref"), .href(href), text: reference)
            } else {
                h.el(.span, .class("ref"), text: reference)
            }
            h.text(" ")
        } else if let uid = activityUID {
            h.el(.a, .class("ref"), .href(PlanPath.activity(uid).href(key)), text: "#\(uid)")
            h.text(" ")
        }
        h.el(.span, .class("item-title"), text: title)
    }

    static func reasons(_ h: inout HTMLWriter, _ reasons: [AgendaReason], _ w: MeetingText) {
        guard !reasons.isEmpty else { return }
        h.el(.ul, .class("reasons")) { h in
            for r in reasons { h.el(.li, .attr("data-code", r.code.rawValue), text: w.reason(r)) }
        }
    }

    /// Multi-line text as a paragraph with line breaks.
    static func text(_ h: inout HTMLWriter, _ text: String, empty: String? = nil) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if let empty { h.el(.p, .class("muted"), text: empty) }
            return
        }
        h.el(.p, .class("notes-text")) { h in
            let lines = trimmed.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() {
                if i > 0 { h.el(.br) }
                h.text(String(line))
            }
        }
    }

    static func person(_ p: MinutesDocument.Person) -> String {
        guard let company = p.company, !company.isEmpty else { return p.name }
        return "\(p.name) (\(company))"
    }

    /// A fact of a `dl.kv`: `<div><dt>label</dt><dd>value</dd></div>`.
    static func fact(_ h: inout HTMLWriter, _ label: String, _ value: String) {
        h.el(.div) { h in
            h.el(.dt, text: label)
            h.el(.dd, text: value)
        }
    }

    /// An agenda or the minutes, read-only: the meeting facts, who was present, the general notes, each item under
    /// its section with reasons, notes, the items created from it (linked to the register) and the carry-over mark,
    /// then the approval line. Used for approved minutes, earlier versions, and the printout of a draft.
    static func document(_ h: inout HTMLWriter, _ doc: MinutesDocument, key: String, w: MeetingText, zone: String, id: String,
                         agenda: Bool = false) {
        h.el(.section, .class("minutes-doc"), .id(id)) { h in
            h.el(.h2, .class("doc-title"), text: "\(doc.seriesName) \(w.occurrence(doc.occurrence)) " + w.label(agenda ? "doc.agenda" : "doc.minutes"))
            h.el(.dl, .class("kv meeting-facts")) { h in
                let facts = [
                    (w.label("meeting.project"), doc.projectKey),
                    (w.label("meeting.when"), "\(w.day(doc.date)) \(MeetingText.timeRange(start: doc.startMinutes, duration: doc.durationMinutes))"),
                    (w.label("meeting.location"), doc.location),
                    (w.label("meeting.chair"), doc.chair.map(person) ?? ""),
                    (w.label("meeting.present"), w.list(doc.present.map(person))),
                    (w.label("meeting.absent"), w.list(doc.absent.map(person))),
                ]
                for (label, value) in facts where !value.isEmpty { fact(&h, label, value) }
            }
            if !doc.notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                h.el(.h3, text: w.label("meeting.notes"))
                text(&h, doc.notes)
            }
            let sections = MeetingLayout.sections(doc.items, rule: \.rule, position: \.position)
            if sections.isEmpty { h.el(.p, .class("muted"), text: w.label("meeting.no_items")) }
            // The time box, as the agenda had it (minutes approved before items had minutes show none).
            let box = doc.timeBox(sections.flatMap { $0.items.map(\.item) })
            if let box, agenda {
                h.el(.p, .class("time-box"), text: w("meeting.time_box", ["total": "\(box.total)", "length": "\(doc.durationMinutes)"]))
            }
            for section in sections {
                h.el(.h3, .class("rule"), text: w.rule(section.rule))
                h.el(.ol, .class("doc-items")) { h in
                    for (number, item) in section.items {
                        h.el(.li, .value("\(number)"), .class("doc-item")) { h in
                            h.el(.div, .class("doc-item-head")) { h in
                                entryTitle(&h, key: key, reference: item.reference, activityUID: item.activityUID, title: item.title)
                                if let minutes = item.minutes {
                                    h.text(" ")
                                    h.el(.span, .class("minutes muted"), text: w("meeting.item_minutes", ["minutes": "\(minutes)"]))
                                }
                                if let presenter = item.presenter {
                                    h.text(" ")
                                    h.el(.span, .class("presenter muted"), text: w("meeting.presenter_is", ["name": presenter.name]))
                                }
                                if agenda, box?.fits[number - 1] == false {
                                    h.text(" ")
                                    h.el(.span, .class("flag soft"), text: w.label("meeting.if_time_allows"))
                                }
                                if item.carry {
                                    h.text(" ")
                                    h.el(.span, .class("tag carry"), text: w.label("meeting.carry"))
                                }
                            }
                            reasons(&h, item.reasons, w)
                            text(&h, item.notes)
                            if !item.outputs.isEmpty {
                                h.el(.ul, .class("outputs")) { h in for o in item.outputs { output(&h, o, key: key, w: w) } }
                            }
                        }
                    }
                }
            }
            if !doc.outputs.isEmpty {
                h.el(.h3, text: w.label("meeting.outputs"))
                h.el(.ul, .class("outputs")) { h in for o in doc.outputs { output(&h, o, key: key, w: w) } }
            }
            if let at = doc.approvedAt {
                h.el(.p, .class("approval"), text: "\(w.label("meeting.approved_by")): \(doc.approvedBy.map(person) ?? "—") · "
                    + "\(w.label("meeting.approved_at")): \(Formatting.instant(at, zone: zone)) · \(w.version(doc.version))")
            } else {
                h.el(.p, .class("approval"), text: "\(w.label("meeting.not_approved")) (\(w.version(doc.version)))")
            }
        }
    }

    static func output(_ h: inout HTMLWriter, _ o: MinutesDocument.Output, key: String, w: MeetingText) {
        h.el(.li, .class("output")) { h in
            h.text(w.itemType(o.type) + ": ")
            if let href = ItemPath.href(key, reference: o.reference) {
                h.el(.a, .href(href), text: o.reference)
                h.text(" ")
            } else {
                h.text(o.reference + " ")
            }
            h.text(o.title)
        }
    }

    /// A download answered as an attachment: an ASCII file name, and the full name in UTF-8 (RFC 6266).
    static func file(_ data: Data, ascii: String, name: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static let markdown = HTTPMediaType(type: "text", subType: "markdown", parameters: ["charset": "utf-8"])
    static let calendar = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
    static let xlsx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
}

extension Request {
    /// Renders a meeting page: its view over its model, in a `meeting-page` block inside the project's chrome with
    /// the meetings tab marked.
    func renderMeetingPage<D>(_ view: @escaping (inout HTMLWriter, Page<D>) throws -> Void, _ data: D, title: String, project: ProjectRecord,
                              status: HTTPResponseStatus = .ok) async throws -> Response {
        try await renderProjectPage({ h, p in try h.el(.div, .class("meeting-page")) { h in try view(&h, p) } }, data, title: title,
                                    section: "meetings", project: project, status: status)
    }
}
