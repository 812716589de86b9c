import Foundation
import PMOCore
import PMOWords

/// Agendas, minutes, status reports and kickoff packs as GitHub-flavoured Markdown.
///
/// Pure and deterministic: the same value gives the same text, byte for byte (LF line ends, one trailing newline).
/// User text is escaped so it shows as typed and cannot change the document's structure: characters that start
/// Markdown (`\ ` * _ [ ] < > | ~`, a leading `#`, `-`, `+`, `=`, `1.`) are backslash-escaped, a line break
/// inside a table cell becomes `<br>`, and a line break in a heading or list entry becomes a space.
public enum MeetingMarkdown {
    // MARK: Agenda and minutes

    /// An occurrence's agenda: the meeting facts, then the items grouped by the rule that brought them
    /// (`AgendaRule.allCases` order, then items added by hand), numbered in that order, each with its reasons and
    /// any notes carried from earlier.
    public static func agenda(_ doc: MinutesDocument, lang: String) -> String {
        let w = Words(lang)
        let title = "\(MarkdownText.inline(doc.seriesName)) \(MeetingWords.occurrence(doc.occurrence, lang: lang))"
        var out = "# " + w("md.document_title", ["title": title, "doc": w["doc.agenda"]]) + "\n\n"
        out += facts(doc, w, attendance: false)
        let sections = MeetingLayout.sections(doc)
        if sections.isEmpty { out += "\n\(w["meeting.no_items"])\n" }
        let box = doc.timeBox(sections.flatMap { $0.items.map(\.item) })
        if let box { out += "\n" + w("meeting.time_box", ["total": "\(box.total)", "length": "\(doc.durationMinutes)"]) + "\n" }
        for section in sections {
            out += "\n## \(MarkdownText.inline(MeetingWords.rule(section.rule, lang: lang)))\n\n"
            for (number, item) in section.items {
                let marker = "\(number). "
                var line = marker + heading(item)
                if let time = timeBoxNote(item, fits: box?.fits[number - 1], w) { line += " (" + time + ")" }
                if !item.reasons.isEmpty { line += " — " + MarkdownText.inline(MeetingWords.reasons(item.reasons, lang: lang)) }
                let notes = MarkdownText.block(item.notes, indent: String(repeating: " ", count: marker.count))
                out += notes.isEmpty ? line + "\n" : line + "\\\n" + notes + "\n"
            }
        }
        return out
    }

    /// An occurrence's minutes: the meeting facts with who was present and absent, the general notes, each item
    /// under its section with its reasons, notes, the items created from it and whether it carries over, then every
    /// item the meeting created, the points carried to the next occurrence, and the approval line. `approvedAt` is
    /// written in local time `utcOffsetMinutes` east of UTC (540 = Japan, written "JST").
    public static func minutes(_ doc: MinutesDocument, lang: String, utcOffsetMinutes: Int = 540) -> String {
        let w = Words(lang)
        let title = "\(MarkdownText.inline(doc.seriesName)) \(MeetingWords.occurrence(doc.occurrence, lang: lang))"
        var out = "# " + w("md.document_title", ["title": title, "doc": w["doc.minutes"]]) + "\n\n"
        out += facts(doc, w, attendance: true)
        let general = MarkdownText.block(doc.notes)
        if !general.isEmpty { out += "\n## \(w["meeting.notes"])\n\n\(general)\n" }
        let sections = MeetingLayout.sections(doc)
        if sections.isEmpty { out += "\n\(w["meeting.no_items"])\n" }
        for section in sections {
            out += "\n## \(MarkdownText.inline(MeetingWords.rule(section.rule, lang: lang)))\n"
            for (number, item) in section.items {
                out += "\n### \(number). \(heading(item, bold: false))\n\n"
                if !item.reasons.isEmpty {
                    out += "\(w["meeting.reasons"]): \(MarkdownText.inline(MeetingWords.reasons(item.reasons, lang: lang)))\n\n"
                }
                let notes = MarkdownText.block(item.notes)
                out += (notes.isEmpty ? w["meeting.no_notes"] : notes) + "\n"
                var bullets = item.outputs.map { "- \(w["meeting.output"]): \(output($0, w))" }
                if item.carry { bullets.append("- \(w["meeting.carry"])") }
                if !bullets.isEmpty { out += "\n" + bullets.joined(separator: "\n") + "\n" }
            }
        }

        let numbered = sections.flatMap(\.items)
        var created: [String] = []
        for (number, item) in numbered {
            let at = w("md.of_item", ["n": String(number)])
            created += item.outputs.map { "- \(output($0, w))\(at)" }
        }
        created += doc.outputs.map { "- \(output($0, w))" }
        out += "\n## \(w["meeting.outputs"])\n\n" + (created.isEmpty ? w["meeting.none"] : created.joined(separator: "\n")) + "\n"

        // "- 議題 2: …" rather than "- 2. …", which would open an ordered list inside the bullet.
        let carried = numbered.filter { $0.item.carry }.map { entry in
            "- " + w("md.item_number", ["n": String(entry.number)]) + ": " + heading(entry.item)
        }
        out += "\n## \(w["meeting.carried"])\n\n" + (carried.isEmpty ? w["meeting.none"] : carried.joined(separator: "\n")) + "\n"

        out += "\n## \(w["meeting.approval"])\n\n"
        let version = w("word.version", ["n": String(doc.version)])
        if let at = doc.approvedAt {
            let who = doc.approvedBy.map { MarkdownText.inline(MeetingWords.person($0, lang: lang)) } ?? "—"
            let when = localStamp(at, utcOffsetMinutes: utcOffsetMinutes)
            out += w("md.approved", ["label": w["meeting.approved_by"], "who": who, "when": when, "version": version]) + "\n"
        } else {
            out += w("word.with_details", ["head": w["meeting.not_approved"], "details": version]) + "\n"
        }
        return out
    }

    // MARK: Status report

    /// A weekly status report: the overall colour, a table of areas (colour, reasons joined by "; ", a PMO override
    /// marked with its reason), the metrics, milestones, top issues and risks, decisions needed with their deciders,
    /// what was done, what comes next and the comment, then what changed since the previous report when
    /// `comparison` is given. Amounts are yen; percentages are 0–100.
    public static func statusReport(_ report: StatusReportContent, comparison: StatusComparison?, lang: String) -> String {
        let w = Words(lang)
        var out = "# \(MarkdownText.inline("\(report.projectKey) \(report.projectName)")): \(w["doc.status_report"]) \(report.statusDate)\n\n"
        let overall = report.area(.overall)
        out += "**\(w["status.overall"]): \(colour(report.overall, w))**"
        if let overall, !overall.reasons.isEmpty {
            let why = MarkdownText.inline(overall.reasons.map { MeetingWords.statusReason($0, lang: lang) }.joined(separator: "; "))
            out += w("word.after_in_parentheses", ["text": why])
        }
        out += "\n"

        out += "\n## \(w["status.areas"])\n\n"
        let areas = StatusArea.allCases.compactMap { report.area($0) }
        out += table([w["status.area"], w["status.colour"], w["col.reasons"]], areas.map { a in
            var shown = colour(a.rag, w)
            var reasons = a.reasons.map { MeetingWords.statusReason($0, lang: lang) }
            if a.override != nil {
                let computed = colour(a.computed, w)
                shown += w("md.overridden", ["computed": computed])
                let reason = (a.overrideReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                reasons.append(reason.isEmpty ? w["status.override"] : "\(w["status.override"]): \(reason)")
            }
            return [MarkdownText.cell(MeetingWords.area(a.area, lang: lang)), MarkdownText.cell(shown),
                    MarkdownText.cell(reasons.joined(separator: "; "))]
        })

        let m = report.metrics
        out += "\n## \(w["status.metrics"])\n\n"
        // Typed pairs, one per line: a literal of nested arrays with `??` in each took 4 s to type-check.
        let none = "—"
        let spi: String = m.spi.map { MeetingWords.fixed($0, digits: 2) } ?? none
        let cpi: String = m.cpi.map { MeetingWords.fixed($0, digits: 2) } ?? none
        let eac: String = m.eac.map(MeetingWords.yen) ?? none
        let planned: String = m.plannedPercent.map(percent) ?? none
        let earned: String = m.earnedPercent.map(percent) ?? none
        let metricRows: [(String, String)] = [
            ("metric.spi", spi), ("metric.cpi", cpi), ("metric.bac", MeetingWords.yen(m.bac)), ("metric.eac", eac),
            ("metric.plannedPercent", planned), ("metric.earnedPercent", earned),
            ("metric.openIssues", String(m.openIssues)), ("metric.openRisks", String(m.openRisks)),
            ("metric.changesPending", String(m.changesPending)),
        ]
        out += table([w["status.metric"], w["status.value"]],
                     metricRows.map { (key, value) in [MarkdownText.cell(w[key]), MarkdownText.cell(value)] })

        out += "\n## \(w["status.milestones"])\n\n" + milestones(m.milestones, w)
        out += "\n## \(w["status.top_issues"])\n\n" + items(report.topIssues, w)
        out += "\n## \(w["status.top_risks"])\n\n" + items(report.topRisks, w)
        out += "\n## \(w["status.decisions_needed"])\n\n"
        if report.decisionsNeeded.isEmpty {
            out += w["meeting.none"] + "\n"
        } else {
            out += table([w["col.reference"], w["col.title"], w["col.decider"], w["col.due"], w["col.status"]],
                         report.decisionsNeeded.map { d in
                             [d.reference, d.title, d.decider ?? "—", d.dueDate?.description ?? "—", d.status].map(MarkdownText.cell)
                         })
        }
        for (key, text) in [("status.work_done", report.done), ("status.work_next", report.next), ("status.comment", report.comment)] {
            let body = MarkdownText.block(text)
            out += "\n## \(w[key])\n\n" + (body.isEmpty ? w["status.none"] : body) + "\n"
        }
        if let comparison { out += sinceLast(comparison, w) }
        return out
    }

    /// The week-to-week section: each area's colour before and now with its trend, the metrics before and now, and
    /// the issues and risks that came into or left the top lists.
    static func sinceLast(_ c: StatusComparison, _ w: Words) -> String {
        var out = "\n## \(w["status.since_last"])"
        guard let previous = c.previousDate else { return out + "\n\n\(w["status.no_previous"])\n" }
        out += w("md.previous_date", ["date": previous.description]) + "\n\n"
        out += table([w["status.area"], w["status.previous"], w["status.current"], w["status.trend"]], c.areas.map { a in
            let trend = a.trend > 0 ? "↑ " + w["status.better"] : a.trend < 0 ? "↓ " + w["status.worse"] : "→ " + w["status.same"]
            return [MeetingWords.area(a.area, lang: w.lang), a.from.map { colour($0, w) } ?? "—", colour(a.to, w), trend]
                .map(MarkdownText.cell)
        })
        if !c.metrics.isEmpty {
            out += "\n" + table([w["status.metric"], w["status.previous"], w["status.current"]], c.metrics.map { metric in
                let name = Catalogue.en["metric." + metric.name] == nil ? metric.name : w["metric." + metric.name]
                func value(_ v: Double?) -> String {
                    guard let v, v.isFinite else { return "—" }
                    switch metric.name {
                    case "spi", "cpi": return MeetingWords.fixed(v, digits: 2)
                    case "earnedPercent", "plannedPercent": return percent(v)
                    default: return v == v.rounded() ? String(Int(v)) : MeetingWords.fixed(v, digits: 2)
                    }
                }
                return [name, value(metric.from), value(metric.to)].map(MarkdownText.cell)
            })
        }
        for (key, list) in [("status.new_items", c.newItems), ("status.gone_items", c.goneItems)] where !list.isEmpty {
            out += "\n### \(w[key])\n\n"
            out += list.map { "- **\(MarkdownText.inline($0.reference))** \(MarkdownText.inline($0.title))" }.joined(separator: "\n") + "\n"
        }
        return out
    }

    // MARK: Kickoff pack

    /// A kickoff pack: the project (purpose, owner, phase, dates), scope and systems, who is who, phases,
    /// milestones, meeting series, the current issues and risks, and the reporting rule.
    public static func kickoff(_ pack: KickoffPack, lang: String) -> String {
        let w = Words(lang)
        var out = "# \(MarkdownText.inline("\(pack.projectKey) \(pack.projectName)")): \(w["doc.kickoff"])\n"
        out += "\n## \(w["kickoff.overview"])\n\n"
        let facts: [(String, String)] = [
            ("kickoff.project_key", pack.projectKey), ("kickoff.project_name", pack.projectName),
            ("kickoff.business_owner", pack.businessOwner), ("kickoff.phase", pack.phase),
            ("kickoff.start", pack.startDate?.description ?? "—"), ("kickoff.target", pack.targetDate?.description ?? "—"),
        ]
        out += facts.map { "- \(w[$0.0]): \($0.1.isEmpty ? "—" : MarkdownText.inline($0.1))" }.joined(separator: "\n") + "\n"
        let purpose = MarkdownText.block(pack.purpose)
        out += "\n### \(w["kickoff.purpose"])\n\n" + (purpose.isEmpty ? w["status.none"] : purpose) + "\n"
        for (key, list) in [("kickoff.scope", pack.scope), ("kickoff.systems", pack.systems)] {
            out += "\n## \(w[key])\n\n"
            out += list.isEmpty ? w["meeting.none"] + "\n" : list.map { "- " + MarkdownText.inline($0) }.joined(separator: "\n") + "\n"
        }
        out += "\n## \(w["kickoff.members"])\n\n"
        out += pack.members.isEmpty ? w["meeting.none"] + "\n"
            : table([w["kickoff.name"], w["kickoff.company"], w["kickoff.role"]],
                    pack.members.map { [$0.name, $0.company, $0.role].map(MarkdownText.cell) })
        out += "\n## \(w["kickoff.phases"])\n\n"
        out += pack.phases.isEmpty ? w["meeting.none"] + "\n"
            : table([w["kickoff.phase_name"], w["kickoff.definition"], w["kickoff.exit"], w["kickoff.start"], w["kickoff.finish"]],
                    pack.phases.map { p in
                        [p.name, p.definition, p.exitCriteria, p.start?.description ?? "—", p.finish?.description ?? "—"]
                            .map(MarkdownText.cell)
                    })
        out += "\n## \(w["status.milestones"])\n\n" + milestones(pack.milestones, w)
        out += "\n## \(w["kickoff.meetings"])\n\n"
        out += pack.meetings.isEmpty ? w["meeting.none"] + "\n"
            : table([w["kickoff.meeting"], w["kickoff.meeting_purpose"], w["meeting.chair"], w["kickoff.frequency"],
                     w["kickoff.time"], w["kickoff.first"], w["kickoff.attendees"]],
                    pack.meetings.map { m in
                        [m.name, m.purpose, m.chair ?? "—", MeetingWords.frequency(m.recurrence.intervalWeeks, lang: w.lang),
                         meetingTime(m, lang: w.lang), m.recurrence.firstDate.description,
                         MeetingWords.list(m.attendees, lang: w.lang)].map(MarkdownText.cell)
                    })
        out += "\n## \(w["status.top_issues"])\n\n" + items(pack.topIssues, w)
        out += "\n## \(w["status.top_risks"])\n\n" + items(pack.topRisks, w)
        out += "\n## \(w["kickoff.reporting"])\n\n"
        out += pack.lastReportDate.map { "- \(w["kickoff.last_report"]): \($0)\n" } ?? w["kickoff.no_report"] + "\n"
        return out
    }

    // MARK: Parts

    /// The meeting facts as a bullet list; with attendance, who was present and absent.
    static func facts(_ doc: MinutesDocument, _ w: Words, attendance: Bool) -> String {
        var lines = [
            "- \(w["meeting.project"]): \(MarkdownText.inline(doc.projectKey))",
            "- \(w["meeting.when"]): \(MeetingWords.day(doc.date, lang: w.lang)) "
                + MeetingWords.timeRange(start: doc.startMinutes, duration: doc.durationMinutes),
        ]
        if !doc.location.isEmpty { lines.append("- \(w["meeting.location"]): \(MarkdownText.inline(doc.location))") }
        if let chair = doc.chair {
            lines.append("- \(w["meeting.chair"]): \(MarkdownText.inline(MeetingWords.person(chair, lang: w.lang)))")
        }
        if attendance {
            for (key, people) in [("meeting.present", doc.present), ("meeting.absent", doc.absent)] {
                let names = people.isEmpty ? w["meeting.none"]
                    : MarkdownText.inline(MeetingWords.list(people.map { MeetingWords.person($0, lang: w.lang) }, lang: w.lang))
                lines.append("- \(w[key]): \(names)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "5 min, presented by Sato, if time allows"; nil for an item without minutes.
    static func timeBoxNote(_ item: MinutesDocument.Item, fits: Bool?, _ w: Words) -> String? {
        guard let minutes = item.minutes else { return nil }
        var parts = [w("meeting.item_minutes", ["minutes": "\(minutes)"])]
        if let presenter = item.presenter { parts.append(w("meeting.presenter_is", ["name": MarkdownText.inline(presenter.name)])) }
        if fits == false { parts.append(w["meeting.if_time_allows"]) }
        return parts.joined(separator: w["meeting.separator"])
    }

    /// "**CRM-A12** title" (the reference bold when asked), or the title alone for an item without a reference.
    static func heading(_ item: MinutesDocument.Item, bold: Bool = true) -> String {
        let title = MarkdownText.inline(item.title)
        guard let ref = item.reference, !ref.isEmpty else { return title }
        let r = MarkdownText.inline(ref)
        return (bold ? "**\(r)**" : r) + " " + title
    }

    /// "CRM-A15（アクション）title" / "CRM-A15 (Action item) title".
    static func output(_ o: MinutesDocument.Output, _ w: Words) -> String {
        let kind = MeetingWords.itemType(o.type, lang: w.lang)
        let ref = "**\(MarkdownText.inline(o.reference))**"
        return w("md.output", ["ref": ref, "kind": kind, "title": MarkdownText.inline(o.title)])
    }

    static func milestones(_ list: [MilestoneStatus], _ w: Words) -> String {
        guard !list.isEmpty else { return w["meeting.none"] + "\n" }
        return table([w["status.milestone"], w["status.baseline"], w["status.forecast"], w["status.slip"], w["status.state"]],
                     list.map { m in
                         [m.name, m.baselineFinish?.description ?? "—", m.forecastFinish.description, slip(m.slipDays),
                          milestoneState(m, w)].map(MarkdownText.cell)
                     })
    }

    static func items(_ list: [ReportItem], _ w: Words) -> String {
        guard !list.isEmpty else { return w["meeting.none"] + "\n" }
        return table([w["col.reference"], w["col.title"], w["col.status"], w["col.owner"], w["col.due"], w["col.score"]],
                     list.map { i in
                         [i.reference, i.title, i.status, i.owner ?? "—", i.dueDate?.description ?? "—",
                          i.score.map(String.init) ?? "—"].map(MarkdownText.cell)
                     })
    }

    /// A GFM table; the cells must already be escaped (`MarkdownText.cell`); header cells are escaped here.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        var out = "| " + headers.map(MarkdownText.cell).joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: " --- |", count: headers.count) + "\n"
        for row in rows {
            let cells = (0..<headers.count).map { row.indices.contains($0) ? row[$0] : "" }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// "🔴 赤", "🟡 Amber", "🟢 Green", "⚪ Not measured".
    static func colour(_ rag: RAG, _ w: Words) -> String {
        let mark = switch rag {
        case .red: "🔴"
        case .amber: "🟡"
        case .green: "🟢"
        case .grey: "⚪"
        }
        return mark + " " + MeetingWords.rag(rag, lang: w.lang)
    }

    /// "+6", "-2", "0"; "—" when unknown.
    static func slip(_ days: Double?) -> String {
        guard let days, days.isFinite else { return "—" }
        if days == 0 { return "0" }
        return (days > 0 ? "+" : "-") + AgendaGenerator.days(abs(days))
    }

    static func milestoneState(_ m: MilestoneStatus, _ w: Words) -> String {
        m.done ? w["status.done"] : (m.slipDays ?? 0) > 0 ? w["status.late"] : w["status.on_track"]
    }

    /// "45.0%".
    static func percent(_ value: Double) -> String { MeetingWords.fixed(value, digits: 1) + "%" }

    /// "月 10:00–11:00" / "Mon 10:00–11:00".
    static func meetingTime(_ m: KickoffPack.Meeting, lang: String) -> String {
        MeetingWords.weekday(m.weekday, lang: lang) + " "
            + MeetingWords.timeRange(start: m.recurrence.startMinutes, duration: m.recurrence.durationMinutes)
    }

    /// "2026-11-17 18:30 JST" (offset 540) or "2026-11-17 09:30 UTC+00:00".
    static func localStamp(_ date: Date, utcOffsetMinutes: Int) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + utcOffsetMinutes * 60
        let day = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - day * 86_400
        let zone: String
        if utcOffsetMinutes == 540 {
            zone = "JST"
        } else {
            let a = abs(utcOffsetMinutes)
            zone = "UTC" + (utcOffsetMinutes < 0 ? "-" : "+") + MeetingRecurrence.clock(a % (24 * 60))
        }
        return "\(CivilDate(dayNumber: day)) \(MeetingRecurrence.clock(rest / 60)) \(zone)"
    }

    /// The words of one language (the catalogue's, `PMOWords`), with the language tag the other renderers take.
    struct Words {
        let lang: String
        let catalogue: PMOWords.Words
        init(_ lang: String) {
            self.lang = lang
            catalogue = MeetingWords.words(lang)
        }
        subscript(_ key: String) -> String { catalogue[key] }
        func callAsFunction(_ key: String, _ values: [String: String]) -> String { catalogue(key, values) }
    }
}

/// The reading order of every agenda and minutes (the pages, the Markdown, the workbook, the invitation): sections in
/// `AgendaRule.allCases` order, then items added by hand; each section's items by position (ties in the given order);
/// numbered 1… through the document.
public enum MeetingLayout {
    static func sections(_ doc: MinutesDocument) -> [(rule: AgendaRule?, items: [(number: Int, item: MinutesDocument.Item)])] {
        sections(doc.items, rule: \.rule, position: \.position)
    }

    public static func sections<T>(_ items: [T], rule: (T) -> AgendaRule?, position: (T) -> Int) -> [(rule: AgendaRule?, items: [(number: Int, item: T)])] {
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
}

/// Escaping of user text for GitHub-flavoured Markdown.
enum MarkdownText {
    /// Characters that start inline markup anywhere in a line.
    static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~"]

    /// One line of user text: line breaks become spaces, surrounding spaces are trimmed, markup is escaped.
    static func inline(_ text: String) -> String {
        escapeLine(lines(text).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " "))
    }

    /// Text for a table cell: markup and `|` escaped, line breaks as `<br>`.
    static func cell(_ text: String) -> String {
        lines(text.trimmingCharacters(in: .whitespacesAndNewlines))
            .map { escapeLine($0.trimmingCharacters(in: .whitespaces), atLineStart: false) }.joined(separator: "<br>")
    }

    /// Multi-line user text as paragraphs: each line escaped and kept (a hard break `\` ends every line followed
    /// by another), runs of blank lines become one paragraph break, every non-blank line starts with `indent`.
    /// "" for text that is only white space.
    static func block(_ text: String, indent: String = "") -> String {
        var paragraphs: [[String]] = [[]]
        for raw in lines(text) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                if !paragraphs[paragraphs.count - 1].isEmpty { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(indent + escapeLine(line))
            }
        }
        return paragraphs.filter { !$0.isEmpty }.map { $0.joined(separator: "\\\n") }.joined(separator: "\n\n")
    }

    /// Lines split at CRLF, CR, LF and the Unicode line and paragraph separators.
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" }
            .map(String.init)
    }

    /// One line with inline markup escaped; at the start of a line (or of a list item's or heading's text), also a
    /// leading block marker (heading, list, quote, setext or thematic break) and a trailing `#` (which would close
    /// an ATX heading) neutralised. A table cell needs neither. Control characters other than tab are dropped.
    static func escapeLine(_ line: String, atLineStart: Bool = true) -> String {
        var out = ""
        let chars = Array(line)
        for (i, ch) in chars.enumerated() {
            if ch.unicodeScalars.allSatisfy({ $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) { continue }
            if special.contains(ch) {
                out += "\\" + String(ch)
            } else if ch == "&", isEntity(chars, from: i) {
                out += "\\&"
            } else if atLineStart, i == 0 || i == chars.count - 1 && ch == "#", "#-+=".contains(ch) {
                out += "\\" + String(ch)
            } else {
                out.append(ch)
            }
        }
        // "1. text" or "1) text" at the start would be an ordered list.
        if atLineStart, let first = out.first, first.isASCII, first.isNumber {
            let digits = out.prefix { $0.isASCII && $0.isNumber }
            let rest = out.dropFirst(digits.count)
            if digits.count <= 9, let marker = rest.first, marker == "." || marker == ")" {
                out = String(digits) + "\\" + String(rest)
            }
        }
        return out
    }

    /// Whether `&` at `i` starts something a renderer would read as a character reference (`&amp;`, `&#38;`).
    static func isEntity(_ chars: [Character], from i: Int) -> Bool {
        var j = i + 1
        var n = 0
        while j < chars.count, n <= 32, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber || chars[j] == "#" {
            j += 1
            n += 1
        }
        return n > 0 && j < chars.count && chars[j] == ";"
    }
}
