import Foundation
import PMOCore
import PMOInterchange
import PMOWords
import Testing

@testable import PMOReports

/// Meeting, minutes, status report and kickoff renderers: Markdown, workbook, iCalendar, burn-down and S-curve.
@Suite struct MeetingRenderTests {
    static func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }
    static func person(_ name: String, _ company: String? = nil) -> MinutesDocument.Person {
        MinutesDocument.Person(id: UserID(UUID()), name: name, company: company)
    }

    /// Items in position order 3, 1, 2, 4 across three rules and one added by hand, so the renderer must regroup.
    static func minutesDoc(approved: Bool = true) -> MinutesDocument {
        let chair = person("山田", "A社")
        return MinutesDocument(
            projectKey: "CRM", seriesName: "週次定例", occurrence: 12, date: d("2026-11-16"), startMinutes: 600,
            durationMinutes: 60, location: "会議室A", chair: chair, present: [chair, person("Smith")],
            absent: [person("佐藤")], notes: "全体メモ\n2行目",
            items: [
                MinutesDocument.Item(
                    position: 3, rule: .actionsDue, reference: "CRM-A12", activityUID: nil, title: "Fix | pipe",
                    reasons: [AgendaReason(.overdue, ["2026-11-10", "6"])], notes: "対応中", carry: true, visibility: .project,
                    outputs: [MinutesDocument.Output(reference: "CRM-A15", type: .action, title: "Follow-up", visibility: .project)]),
                MinutesDocument.Item(
                    position: 1, rule: .carriedOver, reference: "CRM-I3", activityUID: nil, title: "Login error",
                    reasons: [AgendaReason(.carried, ["11"])], notes: "", carry: false, visibility: .project, outputs: []),
                MinutesDocument.Item(
                    position: 2, rule: nil, reference: nil, activityUID: nil, title: "AOB",
                    reasons: [], notes: "- not a list\n# not a heading", carry: false, visibility: .project, outputs: []),
                MinutesDocument.Item(
                    position: 4, rule: .scheduleSlips, reference: nil, activityUID: 7, title: "設計",
                    reasons: [AgendaReason(.slip, ["6", "2026-11-10", "2026-11-18"])], notes: "", carry: false,
                    visibility: .project, outputs: []),
            ],
            outputs: [MinutesDocument.Output(reference: "CRM-D4", type: .decision, title: "Go-live date", visibility: .project)],
            version: 2, approvedBy: approved ? chair : nil,
            approvedAt: approved ? Date(timeIntervalSince1970: 1_794_907_800) : nil)  // 2026-11-17T09:30:00Z
    }

    static func report(date: String = "2026-11-13", schedule: RAG = .amber) -> StatusReportContent {
        let metrics = StatusMetrics(
            hasPlan: true, spi: 0.86, plannedPercent: 45, earnedPercent: 38.7,
            milestones: [MilestoneStatus(uid: 5, name: "設計凍結", baselineFinish: d("2026-11-02"),
                                         forecastFinish: d("2026-11-10"), slipDays: 6, done: false)],
            bac: 12_500_000, pv: 5_000_000, ev: 4_300_000, ac: 4_800_000, cpi: 0.9, eac: 13_900_000, openIssues: 4,
            openRisks: 3)
        var areas = [
            AreaStatus(area: .overall, computed: .amber, reasons: [StatusReason(.worstArea, ["schedule"])]),
            AreaStatus(area: .schedule, computed: schedule,
                       reasons: [StatusReason(.spi, ["0.86"]), StatusReason(.milestoneLate, ["設計凍結", "6"])]),
            AreaStatus(area: .cost, computed: .grey, reasons: [StatusReason(.noActuals)]),
        ]
        areas = StatusReportContent.applying(
            [StatusOverride(area: .overall, rag: .red, reason: "Customer escalation | urgent")], to: areas)
        return StatusReportContent(
            projectKey: "CRM", projectName: "CRM renewal", statusDate: d(date), areas: areas, metrics: metrics,
            topIssues: [ReportItem(reference: "CRM-I3", title: "A | B", status: "open", owner: "鈴木", dueDate: d("2026-11-20"), score: 3)],
            topRisks: [ReportItem(reference: "CRM-R2", title: "Vendor delay", status: "open", score: 16)],
            decisionsNeeded: [ReportItem(reference: "CRM-D4", title: "Go-live date", status: "proposed",
                                         dueDate: d("2026-11-20"), decider: "鈴木")],
            curve: [CurvePoint(date: d("2026-10-30"), pv: 1_000_000, ev: 900_000, ac: 950_000),
                    CurvePoint(date: d("2026-11-06"), pv: 3_000_000, ev: 2_500_000, ac: 2_900_000),
                    CurvePoint(date: d("2026-11-13"), pv: 5_000_000, ev: 4_300_000, ac: 4_800_000)],
            comment: "顧客と調整中", done: "結合テスト開始\n- 環境構築", next: "")
    }

    static func kickoffPack() -> KickoffPack {
        KickoffPack(
            projectKey: "CRM", projectName: "CRM renewal", purpose: "営業効率を上げる", businessOwner: "営業本部長",
            phase: "要件定義", startDate: d("2026-04-01"), targetDate: d("2027-03-31"), scope: ["営業管理", "顧客管理"],
            systems: ["Salesforce"], members: [KickoffPack.Member(name: "山田", company: "A社", role: "PM")],
            phases: [KickoffPack.Phase(name: "要件定義", definition: "要件を固める", exitCriteria: "要件書承認",
                                       start: d("2026-04-01"), finish: d("2026-06-30"))],
            milestones: [MilestoneStatus(uid: 5, name: "設計凍結", baselineFinish: d("2026-11-02"),
                                         forecastFinish: d("2026-11-10"), slipDays: 6, done: false)],
            topIssues: [], topRisks: [ReportItem(reference: "CRM-R2", title: "Vendor | delay", status: "open", score: 16)],
            meetings: [KickoffPack.Meeting(name: "週次定例", purpose: "進捗確認", chair: "山田",
                                           recurrence: MeetingRecurrence(firstDate: d("2026-04-06"), intervalWeeks: 2),
                                           attendees: ["山田", "Smith"])],
            lastReportDate: nil)
    }

    /// Cells of a GFM table row, split at pipes that are not escaped.
    static func cells(_ row: String) -> [String] {
        var cells: [String] = [], current = "", escaped = false
        for ch in row.trimmingCharacters(in: .whitespaces).dropFirst().dropLast() {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { current.append(ch); escaped = true; continue }
            if ch == "|" { cells.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
            current.append(ch)
        }
        return cells + [current.trimmingCharacters(in: .whitespaces)]
    }

    static func line(_ text: String, startingWith prefix: String) -> String? {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).first { $0.hasPrefix(prefix) }
    }

    /// No label key leaked into the text (a key missing from the table comes back as itself).
    static func expectNoKeys(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let pattern = try! NSRegularExpression(pattern: "\\b(doc|meeting|col|status|metric|kickoff|sheet|chart|calendar)\\.[A-Za-z_]+")
        let hits = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(hits.isEmpty, "label key in output: \(hits.map { (text as NSString).substring(with: $0.range) })",
                sourceLocation: sourceLocation)
    }

    // MARK: Words

    @Test func wordsInBothLanguagesAndTotalOnMissingValues() {
        #expect(MeetingWords.rule(.carriedOver, lang: "ja") == "前回からの継続事項")
        #expect(MeetingWords.rule(nil, lang: "en") == "Other business")
        #expect(MeetingWords.rule(.actionsDue, lang: "fr") == "Actions due or overdue")
        #expect(MeetingWords.reason(AgendaReason(.overdue, ["2026-11-10", "5"]), lang: "ja") == "期限 2026-11-10 を 5 日超過")
        #expect(MeetingWords.reason(AgendaReason(.overdue, ["2026-11-10", "5"]), lang: "en") == "5 days overdue (due 2026-11-10)")
        #expect(MeetingWords.reason(AgendaReason(.slip, ["6", "2026-11-10", "2026-11-18"]), lang: "ja")
                    == "ベースライン比 6 営業日遅れ（基準 2026-11-10、予測 2026-11-18）")
        #expect(MeetingWords.reason(AgendaReason(.slip, ["6", "", "2026-11-18"]), lang: "en")
                    == "6 working days late against the baseline (forecast 2026-11-18)")
        #expect(MeetingWords.statusReason(StatusReason(.milestoneLate, ["設計凍結", "6"]), lang: "ja") == "マイルストーン「設計凍結」が 6 営業日遅れ")
        #expect(MeetingWords.statusReason(StatusReason(.milestoneLate, ["Design freeze", "6"]), lang: "en")
                    == "milestone 'Design freeze' 6 working days late")
        #expect(MeetingWords.statusReason(StatusReason(.worstArea, ["cost"]), lang: "ja") == "最も悪い領域: コスト")
        #expect(MeetingWords.statusReason(StatusReason(.eacOverBudget, ["13900000", "12500000", "11.2"]), lang: "en")
                    == "forecast EAC ¥13,900,000 over the budget BAC ¥12,500,000 by 11.2%")
        #expect(MeetingWords.rag(.grey, lang: "ja") == "未計測" && MeetingWords.rag(.amber, lang: "en") == "Amber")
        #expect(MeetingWords.area(.scope, lang: "ja") == "スコープ")
        // Every code in both languages with no values, and with too many: a non-empty sentence, no crash.
        for lang in ["ja", "en"] {
            for code in AgendaReason.Code.allCases {
                #expect(!MeetingWords.reason(AgendaReason(code), lang: lang).isEmpty)
                #expect(!MeetingWords.reason(AgendaReason(code, ["1", "2", "3", "4", "5"]), lang: lang).isEmpty)
            }
            for code in StatusReason.Code.allCases {
                #expect(!MeetingWords.statusReason(StatusReason(code), lang: lang).isEmpty)
            }
        }
        // Every word the documents choose by a value's code is in the catalogue (`PMOWords`).
        let keys = AgendaReason.Code.allCases.map { "reason." + $0.rawValue } + StatusReason.Code.allCases.map { "sreason." + $0.rawValue }
            + AgendaRule.allCases.map { "agenda.rule." + $0.rawValue } + RAG.allCases.map { "rag." + $0.rawValue }
            + StatusArea.allCases.map { "area." + $0.rawValue } + ItemType.allCases.map { "item_type." + $0.rawValue }
            + (0..<7).map { "weekday.\($0)" }
        for key in keys { #expect(Catalogue.ja[key] != nil && Catalogue.en[key] != nil, "\(key)") }
        for key in DocumentWords.keys {
            #expect(MeetingWords.label(key, lang: "ja") != key && MeetingWords.label(key, lang: "en") != key)
            #expect(!MeetingWords.label(key, lang: "ja").isEmpty && !MeetingWords.label(key, lang: "en").isEmpty)
        }
    }

    // MARK: Markdown

    @Test func agendaGroupsByRuleThenManualWithReasons() throws {
        let ja = MeetingMarkdown.agenda(Self.minutesDoc(), lang: "ja")
        #expect(ja.hasPrefix("# 週次定例 第12回 アジェンダ\n"))
        #expect(ja.contains("- 日時: 2026-11-16（月） 10:00–11:00\n"))
        let headings = ["## 前回からの継続事項", "## 期限到来・超過のアクション", "## ベースラインからの遅延", "## その他"]
        let positions = try headings.map { try #require(ja.range(of: $0)).lowerBound }
        #expect(positions == positions.sorted())
        // Rules without items have no heading.
        #expect(!ja.contains("## 決定待ちの事項"))
        // Numbered in reading order, the `|` of the title escaped, reasons in words.
        #expect(ja.contains("1. **CRM-I3** Login error — 第11回から継続\n"))
        #expect(ja.contains("2. **CRM-A12** Fix \\| pipe — 期限 2026-11-10 を 6 日超過\\\n   対応中\n"))
        #expect(ja.contains("3. 設計 — ベースライン比 6 営業日遅れ（基準 2026-11-10、予測 2026-11-18）\n"))
        // A manual item's notes keep their lines but cannot start a list or a heading.
        #expect(ja.contains("4. AOB\\\n   \\- not a list\\\n   \\# not a heading\n"))

        let en = MeetingMarkdown.agenda(Self.minutesDoc(), lang: "en")
        #expect(en.hasPrefix("# 週次定例 #12: Agenda\n"))
        #expect(en.contains("## Carried over from last time") && en.contains("## Other business"))
        #expect(en.contains("2. **CRM-A12** Fix \\| pipe — 6 days overdue (due 2026-11-10)"))
        #expect(en.contains("6 working days late against the baseline (baseline 2026-11-10, forecast 2026-11-18)"))
        #expect(en == MeetingMarkdown.agenda(Self.minutesDoc(), lang: "en"))
        Self.expectNoKeys(ja)
        Self.expectNoKeys(en)
    }

    @Test func minutesHaveAttendanceNotesOutputsCarryAndApproval() {
        let ja = MeetingMarkdown.minutes(Self.minutesDoc(), lang: "ja")
        #expect(ja.contains("- 出席者: 山田（A社）、Smith\n- 欠席者: 佐藤\n"))
        #expect(ja.contains("## 全体メモ\n\n全体メモ\\\n2行目\n"))
        #expect(ja.contains("### 2. CRM-A12 Fix \\| pipe\n\n理由: 期限 2026-11-10 を 6 日超過\n\n対応中\n\n- 作成: **CRM-A15**（アクション）Follow-up\n- 次回へ継続\n"))
        #expect(ja.contains("### 1. CRM-I3 Login error\n\n理由: 第11回から継続\n\n（記録なし）\n"))
        #expect(ja.contains("## この会議で作成された項目\n\n- **CRM-A15**（アクション）Follow-up（議題 2）\n- **CRM-D4**（決定事項）Go-live date\n"))
        #expect(ja.contains("## 次回への継続事項\n\n- 議題 2: **CRM-A12** Fix \\| pipe\n"))
        // 09:30 UTC is 18:30 in Japan.
        #expect(ja.hasSuffix("## 承認\n\n承認者: 山田（A社）（2026-11-17 18:30 JST、第2版）\n"))

        let en = MeetingMarkdown.minutes(Self.minutesDoc(approved: false), lang: "en")
        #expect(en.contains("- Present: 山田 (A社), Smith\n- Absent: 佐藤\n"))
        #expect(en.contains("- Created: **CRM-A15** (Action item) Follow-up\n- Carry over\n"))
        #expect(en.contains("## Carried to the next meeting\n\n- Item 2: **CRM-A12** Fix \\| pipe\n"))
        #expect(en.hasSuffix("## Approval\n\nDraft, not yet approved (version 2)\n"))
        Self.expectNoKeys(ja)
        Self.expectNoKeys(en)
    }

    @Test func statusReportTablesOverrideAndWeekToWeek() throws {
        let previous = Self.report(date: "2026-11-06", schedule: .green)
        let current = Self.report()
        let comparison = StatusComparison.compare(previous: previous, current: current)
        let ja = MeetingMarkdown.statusReport(current, comparison: comparison, lang: "ja")
        #expect(ja.hasPrefix("# CRM CRM renewal: 週次状況報告 2026-11-13\n\n**全体状況: 🔴 赤**（最も悪い領域: スケジュール）\n"))
        let overall = try #require(Self.line(ja, startingWith: "| 全体 |"))
        #expect(Self.cells(overall) == ["全体", "🔴 赤（PMO判断による上書き、算出値 🟡 黄）",
                                         "最も悪い領域: スケジュール; PMO判断による上書き: Customer escalation \\| urgent"])
        let schedule = try #require(Self.line(ja, startingWith: "| スケジュール |"))
        #expect(Self.cells(schedule) == ["スケジュール", "🟡 黄", "SPI 0.86; マイルストーン「設計凍結」が 6 営業日遅れ"])
        #expect(ja.contains("| SPI（スケジュール効率指数） | 0.86 |") && ja.contains("| BAC（完成時総予算） | ¥12,500,000 |"))
        #expect(ja.contains("| 出来高進捗率 | 38.7% |"))
        #expect(Self.cells(try #require(Self.line(ja, startingWith: "| 設計凍結 |")))
                    == ["設計凍結", "2026-11-02", "2026-11-10", "+6", "遅延"])
        // The `|` in an issue title stays inside its cell: six columns.
        let issue = try #require(Self.line(ja, startingWith: "| CRM-I3 |"))
        #expect(Self.cells(issue) == ["CRM-I3", "A \\| B", "open", "鈴木", "2026-11-20", "3"])
        #expect(Self.cells(try #require(Self.line(ja, startingWith: "| CRM-D4 |")))
                    == ["CRM-D4", "Go-live date", "鈴木", "2026-11-20", "proposed"])
        #expect(ja.contains("## 今週の実績\n\n結合テスト開始\\\n\\- 環境構築\n"))
        #expect(ja.contains("## 来週の予定\n\n記載なし\n"))
        #expect(ja.contains("## 前回からの変化（前回 2026-11-06）"))
        #expect(Self.cells(try #require(Self.line(ja, startingWith: "| スケジュール | 🟢")))
                    == ["スケジュール", "🟢 緑", "🟡 黄", "↓ 悪化"])

        let en = MeetingMarkdown.statusReport(current, comparison: nil, lang: "en")
        #expect(en.contains("| Overall | 🔴 Red (PMO override; computed 🟡 Amber) | worst area: schedule; PMO override: Customer escalation \\| urgent |"))
        #expect(en.contains("| Cost | ⚪ Not measured | no actual cost recorded yet |"))
        #expect(!en.contains("Since last week"))
        let first = MeetingMarkdown.statusReport(current, comparison: StatusComparison.compare(previous: nil, current: current), lang: "en")
        #expect(first.contains("## Since last week\n\nThere is no previous report.\n"))
        Self.expectNoKeys(ja)
        Self.expectNoKeys(en)
    }

    @Test func kickoffListsTheProjectRules() throws {
        let ja = MeetingMarkdown.kickoff(Self.kickoffPack(), lang: "ja")
        #expect(ja.hasPrefix("# CRM CRM renewal: キックオフ資料\n"))
        #expect(ja.contains("- 事業責任者: 営業本部長\n") && ja.contains("## スコープ\n\n- 営業管理\n- 顧客管理\n"))
        #expect(Self.cells(try #require(Self.line(ja, startingWith: "| 週次定例 |")))
                    == ["週次定例", "進捗確認", "山田", "隔週", "月 10:00–11:00", "2026-04-06", "山田、Smith"])
        #expect(Self.cells(try #require(Self.line(ja, startingWith: "| CRM-R2 |"))).count == 6)
        #expect(ja.contains("## 主な課題\n\nなし\n"))
        #expect(ja.hasSuffix("## 報告のルール\n\nまだ状況報告はありません。\n"))
        let en = MeetingMarkdown.kickoff(Self.kickoffPack(), lang: "en")
        #expect(en.contains("| 週次定例 | 進捗確認 | 山田 | every 2 weeks | Mon 10:00–11:00 | 2026-04-06 | 山田, Smith |"))
        Self.expectNoKeys(ja)
        Self.expectNoKeys(en)
    }

    @Test func markdownEscapingNeutralisesMarkup() {
        #expect(MarkdownText.cell("a|b\nc") == "a\\|b<br>c")
        #expect(MarkdownText.inline("# *x* [y](z) <b> 1. &amp; R&D") == "\\# \\*x\\* \\[y\\](z) \\<b\\> 1. \\&amp; R&D")
        #expect(MarkdownText.inline("12. twelve\nsecond") == "12\\. twelve second")
        #expect(MarkdownText.block("a\n\n\n b \n---") == "a\n\nb\\\n\\---")
        #expect(MarkdownText.block(" \n\t\n") == "")
        // A table cell is inline content: numbers and signs stay as they are.
        #expect(MarkdownText.cell("0.86") == "0.86" && MarkdownText.cell("+6") == "+6" && MarkdownText.cell("# 1") == "# 1")
        // A trailing `#` would close an ATX heading.
        #expect(MarkdownText.inline("Release #") == "Release \\#")
    }

    // MARK: Workbook

    @Test func minutesWorkbookReadsBackWithDates() throws {
        let sheets = try XLSXReader.read(XLSXWriter.write(MeetingWorkbook.minutes(Self.minutesDoc(), lang: "ja")))
        #expect(sheets.map(\.name) == ["会議", "議題", "作成された項目"])
        let facts = sheets[0].rows
        #expect(facts[0] == [.text("項目"), .text("内容")])
        #expect(facts.contains([.text("日付"), .date(Self.d("2026-11-16"))]))
        #expect(facts.contains([.text("回"), .number(12)]))
        #expect(facts.contains([.text("出席者"), .text("山田（A社）、Smith")]))
        #expect(facts.contains([.text("承認日時"), .text("2026-11-17 18:30 JST")]))
        let items = sheets[1].rows
        #expect(items[0] == ["No.", "区分", "番号", "件名", "理由", "議事", "継続", "作成された項目"].map { .text($0) })
        #expect(items.count == 5)
        #expect(items[2] == [.number(2), .text("期限到来・超過のアクション"), .text("CRM-A12"), .text("Fix | pipe"),
                             .text("期限 2026-11-10 を 6 日超過"), .text("対応中"), .bool(true), .text("CRM-A15 Follow-up")])
        #expect(items[4][1] == .text("その他") && items[4][3] == .text("AOB"))
        #expect(sheets[2].rows.dropFirst().map { $0[1] } == [.text("CRM-A15"), .text("CRM-D4")])
        #expect(sheets[2].rows[1][0] == .number(2) && sheets[2].rows[2][0] == .empty)
    }

    @Test func statusAndKickoffWorkbooksHaveTypedCells() throws {
        let status = try XLSXReader.read(XLSXWriter.write(MeetingWorkbook.statusReport(Self.report(), lang: "en")))
        #expect(status.map(\.name) == ["Summary", "Areas", "Milestones", "Issues and risks", "Decisions"])
        #expect(status[0].rows.contains([.text("Status date"), .date(Self.d("2026-11-13"))]))
        #expect(status[0].rows.contains([.text("SPI (schedule performance)"), .number(0.86)]))
        #expect(status[1].rows[1] == [.text("Overall"), .text("Red"), .text("Amber"), .text("Red"),
                                      .text("Customer escalation | urgent"), .text("worst area: schedule")])
        #expect(status[2].rows[1] == [.text("設計凍結"), .date(Self.d("2026-11-02")), .date(Self.d("2026-11-10")),
                                      .number(6), .text("Late")])
        #expect(status[3].rows.dropFirst().map { $0[0] } == [.text("Issue"), .text("Risk")])
        #expect(status[3].rows[1][5] == .date(Self.d("2026-11-20")))
        #expect(status[4].rows[1] == [.text("CRM-D4"), .text("Go-live date"), .text("鈴木"), .date(Self.d("2026-11-20")),
                                      .text("proposed")])

        let tables = MeetingWorkbook.kickoff(Self.kickoffPack(), lang: "ja")
        let forbidden = CharacterSet(charactersIn: "[]:*?/\\")
        #expect(tables.allSatisfy { $0.name.count <= 31 && $0.name.rangeOfCharacter(from: forbidden) == nil })
        let kickoff = try XLSXReader.read(XLSXWriter.write(tables))
        #expect(kickoff.map(\.name) == ["概要", "体制", "フェーズ", "マイルストーン", "会議体", "課題とリスク"])
        #expect(kickoff[0].rows.contains([.text("開始日"), .date(Self.d("2026-04-01"))]))
        #expect(kickoff[0].rows.contains([.text("スコープ"), .text("営業管理\n顧客管理")]))
        #expect(kickoff[4].rows[1] == [.text("週次定例"), .text("進捗確認"), .text("山田"), .text("隔週"), .text("月 10:00–11:00"),
                                       .date(Self.d("2026-04-06")), .text("山田、Smith")])
    }

    // MARK: iCalendar

    /// Physical lines, and content lines unfolded (a line starting with a space continues the previous one).
    static func unfold(_ text: String) -> (physical: [String], lines: [String]) {
        var physical = text.components(separatedBy: "\r\n")
        if physical.last == "" { physical.removeLast() }
        var lines: [String] = []
        for line in physical {
            if line.hasPrefix(" "), !lines.isEmpty { lines[lines.count - 1] += line.dropFirst() } else { lines.append(line) }
        }
        return (physical, lines)
    }

    static func value(_ lines: [String], _ name: String) -> String? {
        lines.first { $0.hasPrefix(name + ":") }.map { String($0.dropFirst(name.count + 1)) }
    }

    static func unescape(_ text: String) -> String {
        var out = "", escaped = false
        for ch in text {
            if escaped {
                out += ch == "n" || ch == "N" ? "\n" : String(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    static let stamp = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01T00:00:00Z
    static let purpose = "進捗と課題を確認する定例会議です。" + String(repeating: "議題", count: 20) + "\nA, B; C\\D"

    @Test func seriesIsOneWeeklyEventInTokyoTime() throws {
        let text = MeetingCalendar.series(
            projectKey: "CRM", seriesID: "5", name: "週次定例", purpose: Self.purpose, location: "会議室A; 3F",
            recurrence: MeetingRecurrence(firstDate: Self.d("2026-11-16"), intervalWeeks: 2, startMinutes: 600, durationMinutes: 90),
            organizer: (name: "Taro Yamada", email: "taro@example.com"),
            attendees: [(name: "Smith, Jane", email: "jane@example.com"), (name: "No Mail", email: " ")], stamp: Self.stamp)
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let (physical, lines) = Self.unfold(text)
        // Folded at 75 octets: the long Japanese description needs continuation lines, none longer than 75 bytes.
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(physical.contains { $0.hasPrefix(" ") })
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        #expect(!lines.contains { $0.hasPrefix("METHOD:") })
        #expect(lines.contains("TZID:Asia/Tokyo") && lines.contains("TZOFFSETTO:+0900") && lines.contains("TZOFFSETFROM:+0900"))
        #expect(Self.value(lines, "UID") == "pmo-CRM-m5@pmo")
        #expect(Self.value(lines, "DTSTAMP") == "20261101T000000Z")
        #expect(Self.value(lines, "DTSTART;TZID=Asia/Tokyo") == "20261116T100000")
        #expect(Self.value(lines, "DTEND;TZID=Asia/Tokyo") == "20261116T113000")
        #expect(Self.value(lines, "RRULE") == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")
        #expect(Self.value(lines, "SUMMARY") == "CRM: 週次定例")
        // `,` `;` `\` and the line break are escaped, and read back to the original text.
        let description = try #require(Self.value(lines, "DESCRIPTION"))
        #expect(description.hasSuffix("\\nA\\, B\\; C\\\\D"))
        #expect(Self.unescape(description) == Self.purpose)
        #expect(Self.value(lines, "LOCATION") == "会議室A\\; 3F")
        #expect(lines.contains("ORGANIZER;CN=Taro Yamada:mailto:taro@example.com"))
        #expect(lines.filter { $0.hasPrefix("ATTENDEE") }
                    == ["ATTENDEE;CN=\"Smith, Jane\";ROLE=REQ-PARTICIPANT:mailto:jane@example.com"])
    }

    @Test func invitationIsARequestWithTheAgenda() throws {
        let doc = Self.minutesDoc()
        let agenda = MeetingCalendar.agendaLines(doc, lang: "ja")
        #expect(agenda == ["1. [前回からの継続事項] CRM-I3 Login error", "2. [期限到来・超過のアクション] CRM-A12 Fix | pipe",
                           "3. [ベースラインからの遅延] 設計", "4. [その他] AOB"])
        let text = MeetingCalendar.invitation(
            projectKey: "CRM", seriesID: "5", occurrence: 12, date: Self.d("2026-11-16"), startMinutes: 23 * 60 + 30,
            durationMinutes: 60, name: "週次定例", purpose: "", location: "", organizer: (name: "山田", email: "yamada@example.com"),
            attendees: [(name: "Jane \"JJ\" Smith", email: "jane@example.com")], agendaLines: agenda, stamp: Self.stamp,
            sequence: 2)
        let (physical, lines) = Self.unfold(text)
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(Self.value(lines, "METHOD") == "REQUEST")
        #expect(Self.value(lines, "UID") == "pmo-CRM-m5-12@pmo")
        #expect(Self.value(lines, "SEQUENCE") == "2")
        #expect(Self.value(lines, "SUMMARY") == "CRM: 週次定例 第12回")
        // 23:30 for an hour ends the next day.
        #expect(Self.value(lines, "DTSTART;TZID=Asia/Tokyo") == "20261116T233000")
        #expect(Self.value(lines, "DTEND;TZID=Asia/Tokyo") == "20261117T003000")
        #expect(!lines.contains { $0.hasPrefix("RRULE") })
        #expect(lines.contains("BEGIN:VTIMEZONE"))
        #expect(Self.unescape(try #require(Self.value(lines, "DESCRIPTION"))) == (["アジェンダ:"] + agenda).joined(separator: "\n"))
        #expect(lines.contains("ORGANIZER;CN=山田:mailto:yamada@example.com"))
        #expect(lines.contains("ATTENDEE;CN=Jane 'JJ' Smith;ROLE=REQ-PARTICIPANT:mailto:jane@example.com"))
        let en = Self.unfold(MeetingCalendar.invitation(
            projectKey: "CRM", seriesID: "5", occurrence: 12, date: Self.d("2026-11-16"), startMinutes: 600,
            durationMinutes: 60, name: "Weekly", purpose: "Progress", location: "", organizer: nil, attendees: [],
            agendaLines: ["1. Budget"], stamp: Self.stamp, lang: "en")).lines
        #expect(Self.value(en, "SUMMARY") == "CRM: Weekly #12")
        #expect(Self.value(en, "DESCRIPTION") == "Progress\\n\\nAgenda:\\n1. Budget")
    }

    // MARK: Charts

    @Test func burnDownPointsCountOpenRaisedAndClosedPerPeriod() {
        let opened = ["2026-04-01", "2026-04-02", "2026-04-08", "2026-04-09", "2026-04-15"].map(Self.d)
        let closed = ["2026-04-03", "2026-04-09", "2026-04-20"].map(Self.d)
        // Unsorted and with a duplicate: counted in date order, once per date.
        let points = BurnDownChart.points(opened: opened, closed: closed,
                                          dates: ["2026-04-13", "2026-04-06", "2026-04-20", "2026-04-13"].map(Self.d))
        #expect(points == [
            BurnDownChart.Point(date: Self.d("2026-04-06"), open: 1, raised: 2, closed: 1),
            BurnDownChart.Point(date: Self.d("2026-04-13"), open: 2, raised: 2, closed: 1),
            BurnDownChart.Point(date: Self.d("2026-04-20"), open: 2, raised: 1, closed: 1),
        ])
        #expect(BurnDownChart.points(opened: opened, closed: closed, dates: []) == [])
    }

    @Test func burnDownSVGHasOneBarPairPerPeriodAndEscapesTheTitle() throws {
        let points = [
            BurnDownChart.Point(date: Self.d("2026-04-06"), open: 1, raised: 2, closed: 1),
            BurnDownChart.Point(date: Self.d("2026-04-13"), open: 2, raised: 2, closed: 1),
            BurnDownChart.Point(date: Self.d("2026-04-20"), open: 2, raised: 1, closed: 1),
        ]
        let title = "Open <&> \"items\""
        let svg = BurnDownChart.svg(points: points, title: title, lang: "en")
        #expect(svg.contains("Open &lt;&amp;&gt; &quot;items&quot;") && !svg.contains("<&"))
        #expect(svg == BurnDownChart.svg(points: points, title: title, lang: "en"))
        let els = try #require(SVGDocument.parse(svg))
        #expect(els.first?.attributes["aria-label"] == title && els.contains { $0.name == "title" && $0.text == title })
        #expect(!els.contains { $0.name == "style" })
        let raised = els.withClass("bd-raised"), closedBars = els.withClass("bd-closed")
        #expect(raised.count == 3 && closedBars.count == 3)
        #expect(raised.allSatisfy { $0.name == "rect" && $0.attributes["fill"] != nil })
        // Bars are as tall as their counts: 2, 2, 1 raised.
        let heights = raised.compactMap { $0.number("height") }
        #expect(heights.count == 3 && heights[0] == heights[1] && heights[0] == 2 * heights[2])
        // The step line: a vertex for the first point, then two per later point.
        let line = try #require(els.withClass("bd-open").first)
        #expect(line.attributes["points"]?.split(separator: " ").count == 5 && line.attributes["stroke"] != nil)
        #expect(els.withClass("bd-date").map(\.text) == ["4/6", "4/13", "4/20"])
        #expect(els.contains { $0.name == "text" && $0.text == "Raised" })
        let ja = try #require(SVGDocument.parse(BurnDownChart.svg(points: points, title: "課題", lang: "ja")))
        #expect(ja.contains { $0.name == "text" && $0.text == "起票" })
        let empty = try #require(SVGDocument.parse(BurnDownChart.svg(points: [], title: "x", lang: "ja")))
        #expect(empty.withClass("bd-no-data").first?.text == "データがありません")
    }

    @Test func statusSCurveIsDrawnFromStoredPoints() throws {
        let report = Self.report()
        let els = try #require(SVGDocument.parse(StatusCharts.sCurve(report, lang: "en")))
        let pv = try #require(els.first { $0.name == "polyline" && $0.attributes["class"] == "pv" })
        #expect(pv.attributes["points"]?.split(separator: " ").count == 3)
        #expect(els.withClass("bac-label").first?.text == "BAC ¥12.5M")
        #expect(els.withClass("status-label").first?.text == "Status 2026-11-13")
        #expect(els.contains { $0.name == "title" && $0.text == "Earned value S-curve" })
        let bare = try #require(SVGDocument.parse(StatusCharts.sCurve(report.curve, lang: "ja")))
        #expect(bare.contains { $0.name == "title" && $0.text == "出来高 S カーブ" } && bare.withClass("bac").isEmpty)
    }
}
