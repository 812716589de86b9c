import Foundation
import PMOCore
import PMOReports
import PMOStore
import Vapor

/// Words of the meeting pages in the viewer's language: inline ja/en pairs (as `PlanWords`), plus the documents'
/// words from `MeetingWords` (agenda rules, reasons, labels), so the page and its downloads say the same thing.
struct MeetingText {
    let ja: Bool
    /// "ja" or "en", as the PMOReports renderers take it.
    var lang: String { ja ? "ja" : "en" }

    init(_ req: Request) { ja = req.locale != "en" }
    init(ja: Bool) { self.ja = ja }

    func callAsFunction(_ japanese: String, _ english: String) -> String { ja ? japanese : english }
    /// A word of the catalogue (`PageWords` and the rest of `I18n`), by key.
    subscript(_ key: String) -> String { I18n.word(key, ja: ja) }

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
        if ja {
            let every = r.intervalWeeks <= 1 ? "毎週" : r.intervalWeeks == 2 ? "隔週" : "\(r.intervalWeeks)週ごと"
            return "\(every)\(day)曜 \(time)"
        }
        let every = r.intervalWeeks <= 1 ? "Weekly" : "Every \(r.intervalWeeks) weeks"
        return "\(every) on \(day) \(time)"
    }

    /// "第3回" or "Meeting 3".
    func occurrence(_ n: Int) -> String { ja ? "第\(n)回" : "Meeting \(n)" }

    /// "第2版" or "version 2".
    func version(_ v: Int) -> String { ja ? "第\(v)版" : "version \(v)" }

    func status(_ s: OccurrenceStatus) -> String {
        switch s {
        case .planned: self("予定", "Planned")
        case .prepared: self("アジェンダ作成済み", "Agenda prepared")
        case .held: self("議事録作成中", "Minutes in draft")
        case .approved: self("承認済み", "Approved")
        }
    }

    func itemType(_ t: ItemType) -> String {
        switch t {
        case .issue: self("課題", "Issue")
        case .risk: self("リスク", "Risk")
        case .decision: self("決定事項", "Decision")
        case .question: self("Q&A", "Question")
        case .change: self("変更要求", "Change request")
        case .action: self("アクション", "Action item")
        }
    }

    func visibility(_ scope: VisibilityScope) -> String {
        switch scope {
        case .project: self("プロジェクト全体", "Whole project")
        case .internal: self("社内のみ（ベンダーには非表示）", "Internal (hidden from vendors)")
        case .company: self("特定の会社のみ", "One company only")
        }
    }
}

/// HTML pieces shared by the meeting pages. Every text goes through `HTML.e`.
enum MeetingHTML {
    /// The reading order of the documents (`MeetingMarkdown`): sections in `AgendaRule.allCases` order, then items
    /// added by hand; each section's items by position; numbered 1… through the whole agenda.
    static func sections<T>(_ items: [T], rule: (T) -> AgendaRule?, position: (T) -> Int) -> [(rule: AgendaRule?, items: [(number: Int, item: T)])] {
        let order: [AgendaRule?] = AgendaRule.allCases.map { Optional($0) } + [nil]
        let indexed = Array(items.enumerated())
        var number = 0
        var out: [(rule: AgendaRule?, items: [(number: Int, item: T)])] = []
        for r in order {
            let group = indexed.filter { rule($0.element) == r }
                .sorted { (position($0.element), $0.offset) < (position($1.element), $1.offset) }
            guard !group.isEmpty else { continue }
            out.append((r, group.map { entry in
                number += 1
                return (number, entry.element)
            }))
        }
        return out
    }

    /// The page of a register item or issue: /projects/{key}/{plural}/{number}.
    static func itemHref(_ key: String, _ type: ItemType, _ number: Int) -> String {
        "/projects/\(key)/\(type.register?.plural ?? "issues")/\(number)"
    }

    /// The page of a reference such as "CRM-A3", nil when it is not one.
    static func referenceHref(_ key: String, _ reference: String?) -> String? {
        guard let reference, let r = ItemReference(reference) else { return nil }
        return itemHref(key, r.type, r.number)
    }

    static func seriesPath(_ key: String, _ id: UUID) -> String { "/projects/\(key)/meetings/\(id.uuidString.lowercased())" }
    static func occurrencePath(_ key: String, _ id: UUID, _ n: Int) -> String { seriesPath(key, id) + "/\(n)" }

    /// The title of an agenda entry with its reference (linked to the item) or plan activity.
    static func entryTitle(_ h: inout HTML, key: String, reference: String?, activityUID: Int?, title: String) {
        if let reference, !reference.isEmpty {
            if let href = referenceHref(key, reference) {
                h.raw("<a class=\"ref\" href=\"\(HTML.e(href))\">")
                h.t(reference)
                h.raw("</a> ")
            } else {
                h.raw("<span class=\"ref\">")
                h.t(reference)
                h.raw("</span> ")
            }
        } else if let uid = activityUID {
            h.raw("<a class=\"ref\" href=\"/projects/\(HTML.e(key))/plan/activities/\(uid)\">#\(uid)</a> ")
        }
        h.raw("<span class=\"item-title\">")
        h.t(title)
        h.raw("</span>")
    }

    static func reasons(_ h: inout HTML, _ reasons: [AgendaReason], _ w: MeetingText) {
        guard !reasons.isEmpty else { return }
        h.raw("<ul class=\"reasons\">")
        for r in reasons {
            h.raw("<li data-code=\"\(HTML.e(r.code.rawValue))\">")
            h.t(w.reason(r))
            h.raw("</li>")
        }
        h.raw("</ul>")
    }

    /// Multi-line text as paragraphs with line breaks.
    static func text(_ h: inout HTML, _ text: String, empty: String? = nil) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if let empty { h.raw("<p class=\"muted\">"); h.t(empty); h.raw("</p>") }
            return
        }
        h.raw("<p class=\"notes-text\">")
        h.raw(trimmed.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { HTML.e(String($0)) }.joined(separator: "<br>"))
        h.raw("</p>")
    }

    static func person(_ p: MinutesDocument.Person) -> String {
        guard let company = p.company, !company.isEmpty else { return p.name }
        return "\(p.name) (\(company))"
    }

    /// An agenda or the minutes, read-only: the meeting facts, who was present, the general notes, each item under
    /// its section with reasons, notes, the items created from it (linked to the register) and the carry-over mark,
    /// then the approval line. Used for approved minutes, earlier versions, and the printout of a draft.
    static func document(_ h: inout HTML, _ doc: MinutesDocument, key: String, w: MeetingText, zone: String, id: String,
                         agenda: Bool = false) {
        h.raw("<section class=\"minutes-doc\" id=\"\(HTML.e(id))\">")
        h.raw("<h2 class=\"doc-title\">")
        h.t("\(doc.seriesName) \(w.occurrence(doc.occurrence)) " + w.label(agenda ? "doc.agenda" : "doc.minutes"))
        h.raw("</h2><dl class=\"kv meeting-facts\">")
        func fact(_ label: String, _ value: String) {
            guard !value.isEmpty else { return }
            h.raw("<div><dt>"); h.t(label); h.raw("</dt><dd>"); h.t(value); h.raw("</dd></div>")
        }
        fact(w.label("meeting.project"), doc.projectKey)
        fact(w.label("meeting.when"), "\(w.day(doc.date)) \(MeetingText.timeRange(start: doc.startMinutes, duration: doc.durationMinutes))")
        fact(w.label("meeting.location"), doc.location)
        fact(w.label("meeting.chair"), doc.chair.map(person) ?? "")
        fact(w.label("meeting.present"), doc.present.map(person).joined(separator: w.ja ? "、" : ", "))
        fact(w.label("meeting.absent"), doc.absent.map(person).joined(separator: w.ja ? "、" : ", "))
        h.raw("</dl>")
        if !doc.notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            h.raw("<h3>"); h.t(w.label("meeting.notes")); h.raw("</h3>")
            text(&h, doc.notes)
        }
        let sections = sections(doc.items, rule: \.rule, position: \.position)
        if sections.isEmpty { h.raw("<p class=\"muted\">"); h.t(w.label("meeting.no_items")); h.raw("</p>") }
        for section in sections {
            h.raw("<h3 class=\"rule\">"); h.t(w.rule(section.rule)); h.raw("</h3><ol class=\"doc-items\">")
            for (number, item) in section.items {
                h.raw("<li value=\"\(number)\" class=\"doc-item\"><div class=\"doc-item-head\">")
                entryTitle(&h, key: key, reference: item.reference, activityUID: item.activityUID, title: item.title)
                if item.carry { h.raw(" <span class=\"tag carry\">"); h.t(w.label("meeting.carry")); h.raw("</span>") }
                h.raw("</div>")
                reasons(&h, item.reasons, w)
                text(&h, item.notes)
                if !item.outputs.isEmpty {
                    h.raw("<ul class=\"outputs\">")
                    for o in item.outputs { output(&h, o, key: key, w: w) }
                    h.raw("</ul>")
                }
                h.raw("</li>")
            }
            h.raw("</ol>")
        }
        if !doc.outputs.isEmpty {
            h.raw("<h3>"); h.t(w.label("meeting.outputs")); h.raw("</h3><ul class=\"outputs\">")
            for o in doc.outputs { output(&h, o, key: key, w: w) }
            h.raw("</ul>")
        }
        h.raw("<p class=\"approval\">")
        if let at = doc.approvedAt {
            h.t("\(w.label("meeting.approved_by")): \(doc.approvedBy.map(person) ?? "—") · \(w.label("meeting.approved_at")): \(Formatting.instant(at, zone: zone)) · \(w.version(doc.version))")
        } else {
            h.t("\(w.label("meeting.not_approved")) (\(w.version(doc.version)))")
        }
        h.raw("</p></section>")
    }

    static func output(_ h: inout HTML, _ o: MinutesDocument.Output, key: String, w: MeetingText) {
        h.raw("<li class=\"output\">")
        h.t(w.itemType(o.type) + ": ")
        if let href = referenceHref(key, o.reference) {
            h.raw("<a href=\"\(HTML.e(href))\">"); h.t(o.reference); h.raw("</a> ")
        } else {
            h.t(o.reference + " ")
        }
        h.t(o.title)
        h.raw("</li>")
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
    /// Renders a meeting page's HTML inside the site chrome, with the meetings tab marked.
    func renderMeetingPage(_ html: HTML, title: String, project: ProjectRecord, status: HTTPResponseStatus = .ok) async throws -> Response {
        struct Body: Encodable { var html: String }
        return try await render("plan_page", await projectChrome(title: title, section: "meetings", project: project),
                                Body(html: "<div class=\"meeting-page\">" + html.text + "</div>"), status: status)
    }
}
