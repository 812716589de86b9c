import Foundation
import PMOCore
import PMOInterchange

/// Minutes, status reports and kickoff packs as spreadsheet tables; the caller writes them with `XLSXWriter.write`.
///
/// Pure and deterministic. Dates are date cells, counts and amounts numbers (amounts in yen, percentages 0–100),
/// a missing value an empty cell; headers and sheet names are in the reader's language (sheet names are at most 31
/// characters, without `[]:*?/\`).
public enum MeetingWorkbook {
    /// The minutes (or an agenda) as three sheets: the meeting facts (field, value), the items (no., section,
    /// reference, title, reasons, notes, carry, outputs) in the order of `MeetingMarkdown`, and every item the
    /// meeting created (with the number of the item it came from). `approvedAt` is written as local time
    /// `utcOffsetMinutes` east of UTC (540 = Japan).
    public static func minutes(_ doc: MinutesDocument, lang: String, utcOffsetMinutes: Int = 540) -> [SpreadsheetTable] {
        let w = MeetingMarkdown.Words(lang)
        func names(_ people: [MinutesDocument.Person]) -> SpreadsheetCell {
            text(MeetingWords.list(people.map { MeetingWords.person($0, lang: lang) }, lang: lang))
        }
        let end = doc.startMinutes + doc.durationMinutes
        let facts: [(String, SpreadsheetCell)] = [
            ("meeting.project", text(doc.projectKey)),
            ("meeting.series", text(doc.seriesName)),
            ("meeting.occurrence", .number(Double(doc.occurrence))),
            ("meeting.date", .date(doc.date)),
            ("meeting.start", text(MeetingRecurrence.clock(doc.startMinutes % (24 * 60)))),
            ("meeting.end", text(MeetingRecurrence.clock(end % (24 * 60)))),
            ("meeting.duration", .number(Double(doc.durationMinutes))),
            ("meeting.location", text(doc.location)),
            ("meeting.chair", text(doc.chair.map { MeetingWords.person($0, lang: lang) })),
            ("meeting.present", names(doc.present)),
            ("meeting.absent", names(doc.absent)),
            ("meeting.notes", text(doc.notes)),
            ("meeting.version", .number(Double(doc.version))),
            ("meeting.approved_by", text(doc.approvedBy.map { MeetingWords.person($0, lang: lang) })),
            ("meeting.approved_at", text(doc.approvedAt.map { MeetingMarkdown.localStamp($0, utcOffsetMinutes: utcOffsetMinutes) }
                ?? w["meeting.not_approved"])),
        ]
        let meeting = fieldSheet(w["sheet.meeting"], facts.map { (w[$0.0], $0.1) }, w)

        let numbered = MeetingLayout.sections(doc).flatMap { section in section.items.map { (section.rule, $0.number, $0.item) } }
        let items = SpreadsheetTable(
            name: w["sheet.items"],
            columns: [
                SpreadsheetColumn(title: w["col.no"], kind: .integer), SpreadsheetColumn(title: w["col.section"]),
                SpreadsheetColumn(title: w["col.reference"]), SpreadsheetColumn(title: w["col.title"], kind: .longText),
                SpreadsheetColumn(title: w["col.reasons"], kind: .longText),
                SpreadsheetColumn(title: w["col.notes"], kind: .longText), SpreadsheetColumn(title: w["col.carry"], kind: .bool),
                SpreadsheetColumn(title: w["col.outputs"], kind: .longText),
            ],
            rows: numbered.map { rule, number, item in
                [.number(Double(number)), .text(MeetingWords.rule(rule, lang: lang)), text(item.reference), text(item.title),
                 text(MeetingWords.reasons(item.reasons, lang: lang)), text(item.notes), .bool(item.carry),
                 text(item.outputs.map { "\($0.reference) \($0.title)" }.joined(separator: "\n"))]
            })

        var outputRows: [[SpreadsheetCell]] = []
        for (_, number, item) in numbered {
            outputRows += item.outputs.map { outputRow($0, item: number, lang: lang) }
        }
        outputRows += doc.outputs.map { outputRow($0, item: nil, lang: lang) }
        let outputs = SpreadsheetTable(
            name: w["sheet.outputs"],
            columns: [
                SpreadsheetColumn(title: w["col.item_no"], kind: .integer), SpreadsheetColumn(title: w["col.reference"]),
                SpreadsheetColumn(title: w["col.type"]), SpreadsheetColumn(title: w["col.title"], kind: .longText),
            ],
            rows: outputRows)
        return [meeting, items, outputs]
    }

    /// A status report as five sheets: a summary (project, status date, overall colour, the metrics, done, next,
    /// comment), the areas (colour, computed colour, PMO override and its reason, reasons), the milestones, the
    /// top issues and risks, and the decisions needed.
    public static func statusReport(_ report: StatusReportContent, lang: String) -> [SpreadsheetTable] {
        let w = MeetingMarkdown.Words(lang)
        let m = report.metrics
        let summaryRows: [(String, SpreadsheetCell)] = [
            ("meeting.project", text("\(report.projectKey) \(report.projectName)")),
            ("status.status_date", .date(report.statusDate)),
            ("status.overall", .text(MeetingWords.rag(report.overall, lang: lang))),
            ("metric.spi", number(m.spi)), ("metric.cpi", number(m.cpi)),
            ("metric.bac", number(m.bac)), ("metric.eac", number(m.eac)),
            ("metric.pv", number(m.pv)), ("metric.ev", number(m.ev)), ("metric.ac", number(m.ac)),
            ("metric.plannedPercent", number(m.plannedPercent)), ("metric.earnedPercent", number(m.earnedPercent)),
            ("metric.openIssues", .number(Double(m.openIssues))), ("metric.openRisks", .number(Double(m.openRisks))),
            ("metric.risksAboveThreshold", .number(Double(m.risksAboveThreshold))),
            ("metric.changesPending", .number(Double(m.changesPending))),
            ("status.work_done", text(report.done)), ("status.work_next", text(report.next)),
            ("status.comment", text(report.comment)),
        ]
        let summary = fieldSheet(w["sheet.summary"], summaryRows.map { (w[$0.0], $0.1) }, w)

        let areas = SpreadsheetTable(
            name: w["sheet.areas"],
            columns: [
                SpreadsheetColumn(title: w["status.area"]), SpreadsheetColumn(title: w["status.colour"]),
                SpreadsheetColumn(title: w["status.computed"]), SpreadsheetColumn(title: w["status.override"]),
                SpreadsheetColumn(title: w["status.override_reason"], kind: .longText),
                SpreadsheetColumn(title: w["col.reasons"], kind: .longText),
            ],
            rows: StatusArea.allCases.compactMap { report.area($0) }.map { a in
                [.text(MeetingWords.area(a.area, lang: lang)), .text(MeetingWords.rag(a.rag, lang: lang)),
                 .text(MeetingWords.rag(a.computed, lang: lang)), text(a.override.map { MeetingWords.rag($0, lang: lang) }),
                 text(a.override == nil ? nil : a.overrideReason),
                 text(a.reasons.map { MeetingWords.statusReason($0, lang: lang) }.joined(separator: "; "))]
            })
        let decisions = SpreadsheetTable(
            name: w["sheet.decisions"],
            columns: [
                SpreadsheetColumn(title: w["col.reference"]), SpreadsheetColumn(title: w["col.title"], kind: .longText),
                SpreadsheetColumn(title: w["col.decider"]), SpreadsheetColumn(title: w["col.due"], kind: .date),
                SpreadsheetColumn(title: w["col.status"]),
            ],
            rows: report.decisionsNeeded.map { d in
                [.text(d.reference), text(d.title), text(d.decider), date(d.dueDate), text(d.status)]
            })
        return [summary, areas, milestones(m.milestones, w), issuesAndRisks(issues: report.topIssues, risks: report.topRisks, w),
                decisions]
    }

    /// A kickoff pack as six sheets: the overview (field, value), members, phases, milestones, meeting series,
    /// and the current issues and risks.
    public static func kickoff(_ pack: KickoffPack, lang: String) -> [SpreadsheetTable] {
        let w = MeetingMarkdown.Words(lang)
        let facts: [(String, SpreadsheetCell)] = [
            ("kickoff.project_key", text(pack.projectKey)), ("kickoff.project_name", text(pack.projectName)),
            ("kickoff.purpose", text(pack.purpose)), ("kickoff.business_owner", text(pack.businessOwner)),
            ("kickoff.phase", text(pack.phase)), ("kickoff.start", date(pack.startDate)),
            ("kickoff.target", date(pack.targetDate)), ("kickoff.scope", text(pack.scope.joined(separator: "\n"))),
            ("kickoff.systems", text(pack.systems.joined(separator: "\n"))),
            ("kickoff.last_report", date(pack.lastReportDate)),
        ]
        let overview = fieldSheet(w["sheet.overview"], facts.map { (w[$0.0], $0.1) }, w)
        let members = SpreadsheetTable(
            name: w["sheet.members"],
            columns: [SpreadsheetColumn(title: w["kickoff.name"]), SpreadsheetColumn(title: w["kickoff.company"]),
                      SpreadsheetColumn(title: w["kickoff.role"])],
            rows: pack.members.map { [text($0.name), text($0.company), text($0.role)] })
        let phases = SpreadsheetTable(
            name: w["sheet.phases"],
            columns: [
                SpreadsheetColumn(title: w["kickoff.phase_name"]), SpreadsheetColumn(title: w["kickoff.definition"], kind: .longText),
                SpreadsheetColumn(title: w["kickoff.exit"], kind: .longText), SpreadsheetColumn(title: w["kickoff.start"], kind: .date),
                SpreadsheetColumn(title: w["kickoff.finish"], kind: .date),
            ],
            rows: pack.phases.map { [text($0.name), text($0.definition), text($0.exitCriteria), date($0.start), date($0.finish)] })
        let meetings = SpreadsheetTable(
            name: w["sheet.meetings"],
            columns: [
                SpreadsheetColumn(title: w["kickoff.meeting"]), SpreadsheetColumn(title: w["kickoff.meeting_purpose"], kind: .longText),
                SpreadsheetColumn(title: w["meeting.chair"]), SpreadsheetColumn(title: w["kickoff.frequency"]),
                SpreadsheetColumn(title: w["kickoff.time"]), SpreadsheetColumn(title: w["kickoff.first"], kind: .date),
                SpreadsheetColumn(title: w["kickoff.attendees"], kind: .longText),
            ],
            rows: pack.meetings.map { m in
                [text(m.name), text(m.purpose), text(m.chair), .text(MeetingWords.frequency(m.recurrence.intervalWeeks, lang: lang)),
                 .text(MeetingMarkdown.meetingTime(m, lang: lang)), .date(m.recurrence.firstDate),
                 text(MeetingWords.list(m.attendees, lang: lang))]
            })
        return [overview, members, phases, milestones(pack.milestones, w), meetings,
                issuesAndRisks(issues: pack.topIssues, risks: pack.topRisks, w)]
    }

    // MARK: Parts

    /// A two-column sheet of labelled facts.
    static func fieldSheet(_ name: String, _ rows: [(String, SpreadsheetCell)], _ w: MeetingMarkdown.Words) -> SpreadsheetTable {
        SpreadsheetTable(
            name: name,
            columns: [SpreadsheetColumn(title: w["col.field"], width: 24), SpreadsheetColumn(title: w["col.value"], kind: .longText, width: 60)],
            rows: rows.map { [.text($0.0), $0.1] })
    }

    static func milestones(_ list: [MilestoneStatus], _ w: MeetingMarkdown.Words) -> SpreadsheetTable {
        SpreadsheetTable(
            name: w["sheet.milestones"],
            columns: [
                SpreadsheetColumn(title: w["status.milestone"], kind: .longText), SpreadsheetColumn(title: w["status.baseline"], kind: .date),
                SpreadsheetColumn(title: w["status.forecast"], kind: .date), SpreadsheetColumn(title: w["status.slip"], kind: .number),
                SpreadsheetColumn(title: w["status.state"]),
            ],
            rows: list.map { m in
                [text(m.name), date(m.baselineFinish), .date(m.forecastFinish), number(m.slipDays),
                 .text(MeetingMarkdown.milestoneState(m, w))]
            })
    }

    static func issuesAndRisks(issues: [ReportItem], risks: [ReportItem], _ w: MeetingMarkdown.Words) -> SpreadsheetTable {
        let rows = issues.map { (w["status.issue"], $0) } + risks.map { (w["status.risk"], $0) }
        return SpreadsheetTable(
            name: w["sheet.issues_risks"],
            columns: [
                SpreadsheetColumn(title: w["status.kind"]), SpreadsheetColumn(title: w["col.reference"]),
                SpreadsheetColumn(title: w["col.title"], kind: .longText), SpreadsheetColumn(title: w["col.status"]),
                SpreadsheetColumn(title: w["col.owner"]), SpreadsheetColumn(title: w["col.due"], kind: .date),
                SpreadsheetColumn(title: w["col.score"], kind: .integer),
            ],
            rows: rows.map { kind, i in
                [.text(kind), .text(i.reference), text(i.title), text(i.status), text(i.owner), date(i.dueDate),
                 i.score.map { .number(Double($0)) } ?? .empty]
            })
    }

    static func outputRow(_ o: MinutesDocument.Output, item: Int?, lang: String) -> [SpreadsheetCell] {
        [item.map { .number(Double($0)) } ?? .empty, .text(o.reference), .text(MeetingWords.itemType(o.type, lang: lang)), text(o.title)]
    }

    static func text(_ s: String?) -> SpreadsheetCell {
        guard let s, !s.isEmpty else { return .empty }
        return .text(s)
    }

    static func date(_ d: CalendarDate?) -> SpreadsheetCell { d.map { .date($0) } ?? .empty }

    static func number(_ x: Double?) -> SpreadsheetCell {
        guard let x, x.isFinite else { return .empty }
        return .number(x)
    }
}
