import Foundation
import PMOCore
import PMOHTML
import PMOInterchange
import PMOStore
import PMOWords

/// A mail of the outbox in its reader's language: subject, plain text and HTML (written with `HTMLWriter`, so every
/// stored text is escaped), links to the items and to the preferences page, absolute from the server's public address.
enum MailText {
    struct Composed {
        var subject: String
        var text: String
        var html: String
    }

    static func words(_ locale: String) -> Words { Words(locale == "en" ? .en : .ja) }

    /// The mail, or nil when there is nothing left to say (its entries are gone); an empty week says so.
    static func compose(_ mail: MailOutboxView, weekly: PMOWeeklyDigest?, linkBase: String) -> Composed? {
        let t = words(mail.locale)
        let base = linkBase.hasSuffix("/") ? String(linkBase.dropLast()) : linkBase
        let preferences = base + AppPath.mailSettings.href
        var lines: [(text: String, href: String?)] = []
        let subject: String
        var intro: String?
        var sections: [(heading: String, lines: [(text: String, href: String?)])] = []
        switch mail.kind {
        case .entry:
            guard let e = mail.entries.first else { return nil }
            let item = [e.reference, e.title].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            subject = t("mail.subject.entry", ["project": e.projectKey, "item": item, "what": InboxText.sentence(e, t)])
            lines = [line(e, base, t)]
        case .daily:
            guard !mail.entries.isEmpty else { return nil }
            subject = t("mail.subject.daily", ["n": "\(mail.entries.count)"])
            intro = t("mail.daily.intro", ["n": "\(mail.entries.count)"])
            lines = mail.entries.map { line($0, base, t) }
        case .weekly:
            guard let weekly else { return nil }
            subject = t("mail.subject.weekly", ["date": weekly.today.description])
            intro = t("mail.weekly.intro", ["date": weekly.today.description])
            if weekly.isEmpty { lines = [(t["mail.weekly.nothing"], nil)] }
            sections = weeklySections(weekly, base, t)
            if weekly.isEmpty { sections = [] }
        }

        // Plain text.
        var text = t("mail.greeting", ["name": mail.displayName]) + "\n\n"
        if let intro { text += intro + "\n\n" }
        for l in lines { text += "- " + l.text + (l.href.map { "\n  " + $0 } ?? "") + "\n" }
        for s in sections {
            text += "\n" + s.heading + "\n"
            if s.lines.isEmpty { text += "- " + t["mail.weekly.none_in_section"] + "\n" }
            for l in s.lines { text += "- " + l.text + (l.href.map { "\n  " + $0 } ?? "") + "\n" }
        }
        text += "\n" + t["mail.open_inbox"] + ": " + base + AppPath.inbox.href + "\n\n-- \n" + t["mail.footer"] + "\n" + preferences + "\n"

        // HTML.
        var h = HTMLWriter()
        h.doctype()
        h.el(.html, .attr("lang", mail.locale == "en" ? "en" : "ja")) { h in
            h.el(.head) { h in
                h.el(.meta, .attr("charset", "utf-8"))
                h.el(.title, text: subject)
            }
            h.el(.body, .attr("style", "font-family:sans-serif;color:#1d2733;line-height:1.5")) { h in
                h.el(.p, text: t("mail.greeting", ["name": mail.displayName]))
                if let intro { h.el(.p, text: intro) }
                if !lines.isEmpty { list(&h, lines, t) }
                for s in sections {
                    h.el(.h3, text: s.heading)
                    if s.lines.isEmpty { h.el(.p, text: t["mail.weekly.none_in_section"]) } else { list(&h, s.lines, t) }
                }
                h.el(.p) { h in h.el(.a, .href(base + AppPath.inbox.href), text: t["mail.open_inbox"]) }
                h.el(.p, .attr("style", "color:#5b6b7c;font-size:90%")) { h in
                    h.text(t["mail.footer"] + " ")
                    h.el(.a, .href(preferences), text: preferences)
                }
            }
        }
        return Composed(subject: subject, text: text, html: h.html)
    }

    typealias Line = (text: String, href: String?)

    /// The weekly digest's three parts: signals by project (with the worst few in words), overdue by owner, decisions
    /// waiting.
    static func weeklySections(_ weekly: PMOWeeklyDigest, _ base: String, _ t: Words) -> [(heading: String, lines: [Line])] {
        var signals: [Line] = []
        for s in weekly.signals {
            let values = ["project": "\(s.projectKey) \(s.projectName)", "red": "\(s.red)", "amber": "\(s.amber)"]
            signals.append((t("mail.weekly.signals_line", values), base + ProjectPath.signals.href(s.projectKey)))
            for v in s.top {
                let text = t["signal.severity.\(v.severity.rawValue)"] + ": " + SignalText.sentence(v, t)
                signals.append((text, base + ProjectPath.signal(v.id.uuidString.lowercased()).href(s.projectKey)))
            }
        }
        var overdue: [Line] = []
        for o in weekly.overdue {
            let values = ["owner": o.owner, "n": "\(o.count)", "days": "\(o.oldestDays)", "refs": o.references.joined(separator: t["word.list_separator"])]
            overdue.append((t("mail.weekly.overdue_line", values), nil))
        }
        var decisions: [Line] = []
        for d in weekly.decisions {
            let values = ["ref": d.reference, "title": d.title, "days": "\(d.waitingDays)", "due": d.dueDate?.description ?? ""]
            decisions.append((t("mail.weekly.decision_line", values), ItemPath.href(d.projectKey, reference: d.reference).map { base + $0 }))
        }
        return [(t["mail.weekly.signals"], signals), (t["mail.weekly.overdue"], overdue), (t["mail.weekly.decisions"], decisions)]
    }

    static func list(_ h: inout HTMLWriter, _ lines: [(text: String, href: String?)], _ t: Words) {
        h.el(.ul) { h in
            for l in lines {
                h.el(.li) { h in
                    h.text(l.text)
                    if let href = l.href {
                        h.text(" ")
                        h.el(.a, .href(href), text: t["mail.open"])
                    }
                }
            }
        }
    }

    /// One entry: its project, item and what happened, with a link to the item (or the meeting's or report's page).
    static func line(_ e: InboxEntryView, _ base: String, _ t: Words) -> (text: String, href: String?) {
        let item = [e.reference, e.title].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return ("[\(e.projectKey)] \(item): \(InboxText.sentence(e, t))", InboxText.itemHref(e).map { base + $0 })
    }
}
