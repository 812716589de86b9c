import Foundation
import PMOCore

/// The words of agendas, minutes, status reports and kickoff packs, in Japanese or English.
///
/// `lang` is "ja" (or a Japanese tag such as "ja-JP") for Japanese; anything else is English. Every function is total:
/// a reason with missing or empty values still gives a sentence (the missing part is left out), never a crash.
public enum MeetingWords {
    /// True for "ja" and Japanese language tags ("ja-JP"); false for anything else.
    public static func isJapanese(_ lang: String) -> Bool {
        let l = lang.lowercased()
        return l == "ja" || l.hasPrefix("ja-") || l.hasPrefix("ja_")
    }

    // MARK: Agenda

    /// The heading of an agenda section: the rule that brought its items, or "Other business" for items added by
    /// hand (`nil`).
    public static func rule(_ rule: AgendaRule?, lang: String) -> String {
        let ja = isJapanese(lang)
        switch rule {
        case .carriedOver: return ja ? "前回からの継続事項" : "Carried over from last time"
        case .actionsDue: return ja ? "期限到来・超過のアクション" : "Actions due or overdue"
        case .decisionsPending: return ja ? "決定待ちの事項" : "Decisions pending"
        case .issuesChanged: return ja ? "新規・更新された課題" : "New and changed issues"
        case .risksAttention: return ja ? "注意が必要なリスク" : "Risks needing attention"
        case .questionsPastDue: return ja ? "回答期限切れのQ&A" : "Questions past due"
        case .scheduleSlips: return ja ? "ベースラインからの遅延" : "Slips against the baseline"
        case .milestonesAhead: return ja ? "2週間以内のマイルストーン" : "Milestones in the next two weeks"
        case nil: return ja ? "その他" : "Other business"
        }
    }

    /// One sentence saying why an entry is on the agenda, from the reason's code and values (see
    /// `AgendaReason.Code` for which values each code carries).
    public static func reason(_ reason: AgendaReason, lang: String) -> String {
        let ja = isJapanese(lang)
        let v = Values(reason.values)
        switch reason.code {
        case .overdue:
            let due = v[0], days = v[1]
            if ja {
                let by = days.isEmpty ? "超過" : " \(days) 日超過"
                return due.isEmpty ? "期限を\(by)" : "期限 \(due) を\(by)"
            }
            let head = days.isEmpty ? "overdue" : "\(count(days, "day")) overdue"
            return due.isEmpty ? head : "\(head) (due \(due))"
        case .dueBeforeNext:
            let due = v[0]
            if ja { return due.isEmpty ? "次回会議までに期限到来" : "期限 \(due)（次回会議より前）" }
            return due.isEmpty ? "due before the next meeting" : "due \(due), before the next meeting"
        case .raised:
            return ja ? "前回以降に起票" : "raised since the last meeting"
        case .changed:
            let status = v[0]
            if ja { return status.isEmpty ? "前回以降に更新" : "前回以降に更新（状態: \(status)）" }
            return status.isEmpty ? "changed since the last meeting" : "changed since the last meeting (status: \(status))"
        case .score:
            let score = v[0], threshold = v[1]
            if ja {
                let base = score.isEmpty ? "スコアがしきい値以上" : "スコア \(score)"
                return threshold.isEmpty ? base : "\(base)（しきい値 \(threshold)）"
            }
            let base = score.isEmpty ? "score at or above the threshold" : "score \(score)"
            return threshold.isEmpty ? base : "\(base) (threshold \(threshold))"
        case .triggered:
            let sign = v[0]
            if ja { return sign.isEmpty ? "予兆が発生" : "予兆「\(sign)」が発生" }
            return sign.isEmpty ? "warning sign triggered" : "warning sign triggered: '\(sign)'"
        case .awaitingDecision:
            let due = v[0]
            if ja { return due.isEmpty ? "決定待ち" : "決定待ち（期限 \(due)）" }
            return due.isEmpty ? "awaiting a decision" : "awaiting a decision (due \(due))"
        case .pastDue:
            let due = v[0], days = v[1]
            if ja {
                if due.isEmpty { return days.isEmpty ? "回答期限を超過" : "回答期限を \(days) 日超過" }
                return days.isEmpty ? "回答期限 \(due) を超過" : "回答期限 \(due) を \(days) 日超過"
            }
            let head = days.isEmpty ? "answer past due" : "answer \(count(days, "day")) past due"
            return due.isEmpty ? head : "\(head) (due \(due))"
        case .slip:
            let days = v[0], baseline = v[1], forecast = v[2]
            if ja {
                let head = days.isEmpty ? "ベースライン比で遅れ" : "ベースライン比 \(days) 営業日遅れ"
                let parts = [baseline.isEmpty ? nil : "基準 \(baseline)", forecast.isEmpty ? nil : "予測 \(forecast)"]
                    .compactMap { $0 }
                return parts.isEmpty ? head : "\(head)（\(parts.joined(separator: "、"))）"
            }
            let head = days.isEmpty ? "late against the baseline"
                : "\(count(days, "working day")) late against the baseline"
            let parts = [baseline.isEmpty ? nil : "baseline \(baseline)", forecast.isEmpty ? nil : "forecast \(forecast)"]
                .compactMap { $0 }
            return parts.isEmpty ? head : "\(head) (\(parts.joined(separator: ", ")))"
        case .milestone:
            let date = v[0], days = v[1]
            if ja {
                let when = days.isEmpty ? "" : days == "0" ? "（本日）" : "（あと \(days) 日）"
                return date.isEmpty ? "マイルストーンが近い\(when)" : "\(date) に予定\(when)"
            }
            let when = days.isEmpty ? "" : days == "0" ? " (today)" : " (in \(count(days, "day")))"
            return date.isEmpty ? "milestone coming up\(when)" : "due \(date)\(when)"
        case .carried:
            let n = v[0]
            if ja { return n.isEmpty ? "前回から継続" : "第\(n)回から継続" }
            return n.isEmpty ? "carried over from an earlier meeting" : "carried over from meeting \(n)"
        }
    }

    // MARK: Status reports

    /// The colour's word: 赤/黄/緑/未計測, Red/Amber/Green/Not measured.
    public static func rag(_ rag: RAG, lang: String) -> String {
        let ja = isJapanese(lang)
        switch rag {
        case .red: return ja ? "赤" : "Red"
        case .amber: return ja ? "黄" : "Amber"
        case .green: return ja ? "緑" : "Green"
        case .grey: return ja ? "未計測" : "Not measured"
        }
    }

    /// The area's name: 全体/スケジュール/コスト/スコープ/品質/リスク.
    public static func area(_ area: StatusArea, lang: String) -> String {
        let ja = isJapanese(lang)
        switch area {
        case .overall: return ja ? "全体" : "Overall"
        case .schedule: return ja ? "スケジュール" : "Schedule"
        case .cost: return ja ? "コスト" : "Cost"
        case .scope: return ja ? "スコープ" : "Scope"
        case .quality: return ja ? "品質" : "Quality"
        case .risk: return ja ? "リスク" : "Risk"
        }
    }

    /// One phrase saying why an area has its colour, from the reason's code and values (see `StatusReason.Code`).
    /// Amounts are yen, written with thousands separators ("¥12,500,000").
    public static func statusReason(_ reason: StatusReason, lang: String) -> String {
        let ja = isJapanese(lang)
        let v = Values(reason.values)
        switch reason.code {
        case .spi:
            return v[0].isEmpty ? "SPI" : "SPI \(v[0])"
        case .cpi:
            return v[0].isEmpty ? "CPI" : "CPI \(v[0])"
        case .milestoneLate:
            let name = v[0], days = v[1]
            if ja {
                let m = name.isEmpty ? "マイルストーン" : "マイルストーン「\(name)」"
                return days.isEmpty ? "\(m)が遅れ" : "\(m)が \(days) 営業日遅れ"
            }
            let m = name.isEmpty ? "a milestone" : "milestone '\(name)'"
            return days.isEmpty ? "\(m) late" : "\(m) \(count(days, "working day")) late"
        case .noPlan:
            return ja ? "計画がまだありません" : "no plan yet"
        case .eacOverBudget:
            let eac = money(v[0]), bac = money(v[1]), pct = v[2]
            if ja {
                var s = "完成時総コスト見積 EAC\(eac.isEmpty ? "" : " " + eac)が予算 BAC\(bac.isEmpty ? "" : " " + bac)を"
                s += pct.isEmpty ? "超過" : " \(pct)% 超過"
                return s
            }
            var s = "forecast EAC\(eac.isEmpty ? "" : " " + eac) over the budget BAC\(bac.isEmpty ? "" : " " + bac)"
            if !pct.isEmpty { s += " by \(pct)%" }
            return s
        case .noActuals:
            return ja ? "実コストが未入力" : "no actual cost recorded yet"
        case .changesApproved:
            let total = v[0], since = v[1], days = v[2], cost = money(v[3])
            if ja {
                let head = total.isEmpty ? "承認済みの変更あり" : "承認済みの変更 \(total) 件"
                let parts = [since.isEmpty ? nil : "前回以降 \(since) 件", days.isEmpty ? nil : "+\(days) 営業日",
                             cost.isEmpty ? nil : "+\(cost)"].compactMap { $0 }
                return parts.isEmpty ? head : "\(head)（\(parts.joined(separator: "、"))）"
            }
            let head = total.isEmpty ? "changes approved" : "\(count(total, "change")) approved"
            let parts = [since.isEmpty ? nil : "\(since) since the last report",
                         days.isEmpty ? nil : "+\(count(days, "working day"))", cost.isEmpty ? nil : "+\(cost)"]
                .compactMap { $0 }
            return parts.isEmpty ? head : "\(head) (\(parts.joined(separator: ", ")))"
        case .changesPending:
            let n = v[0]
            if ja { return n.isEmpty ? "決定待ちの変更要求あり" : "決定待ちの変更要求 \(n) 件" }
            return n.isEmpty ? "change requests awaiting a decision"
                : "\(count(n, "change request")) awaiting a decision"
        case .criticalIssues:
            let n = v[0]
            if ja { return n.isEmpty ? "緊急の課題あり" : "緊急の課題 \(n) 件" }
            return n.isEmpty ? "critical issues open" : "\(count(n, "critical issue")) open"
        case .highIssues:
            let n = v[0]
            if ja { return n.isEmpty ? "優先度高の課題あり" : "優先度高の課題 \(n) 件" }
            return n.isEmpty ? "high-priority issues open" : "\(count(n, "high-priority issue")) open"
        case .qualityRisks:
            let n = v[0]
            if ja { return n.isEmpty ? "品質に関するリスクあり" : "品質に関するリスク \(n) 件" }
            return n.isEmpty ? "open quality risks" : "\(count(n, "open quality risk"))"
        case .risksAbove:
            let n = v[0], score = v[1]
            if ja {
                let what = score.isEmpty ? "しきい値以上のリスク" : "スコア \(score) 以上のリスク"
                return n.isEmpty ? "\(what)あり" : "\(what) \(n) 件"
            }
            let what = score.isEmpty ? "at or above the threshold" : "with score \(score) or more"
            return n.isEmpty ? "risks \(what)" : "\(count(n, "risk")) \(what)"
        case .triggered:
            let ref = v[0], sign = v[1]
            if ja {
                let who = ref.isEmpty ? "" : "\(ref) の"
                return sign.isEmpty ? "\(who)予兆が発生" : "\(who)予兆「\(sign)」が発生"
            }
            let who = ref.isEmpty ? "warning sign" : "warning sign of \(ref)"
            return sign.isEmpty ? "\(who) triggered" : "\(who) triggered: '\(sign)'"
        case .risksUnder:
            let n = v[0], threshold = v[1]
            if ja {
                let head = n.isEmpty ? "オープンなリスク" : "オープンなリスク \(n) 件"
                return threshold.isEmpty ? head : "\(head)、いずれもスコア \(threshold) 未満"
            }
            let head = n.isEmpty ? "open risks" : "\(count(n, "open risk"))"
            return threshold.isEmpty ? head : "\(head), all below score \(threshold)"
        case .worstArea:
            // Lower case inside an English sentence: "worst area: schedule".
            let name = StatusArea(rawValue: v[0]).map { ja ? area($0, lang: lang) : area($0, lang: lang).lowercased() } ?? v[0]
            if ja { return name.isEmpty ? "最も悪い領域による" : "最も悪い領域: \(name)" }
            return name.isEmpty ? "the worst area" : "worst area: \(name)"
        }
    }

    // MARK: Labels

    /// A fixed word of the documents (titles, column headings); the key itself when unknown.
    public static func label(_ key: String, lang: String) -> String {
        guard let entry = labelIndex[key] else { return key }
        return isJapanese(lang) ? entry.ja : entry.en
    }

    /// The keys `label(_:lang:)` knows, in table order.
    public static var labelKeys: [String] { labels.map(\.key) }

    /// One entry per key, both languages side by side, so the two can never have different keys.
    static let labels: [(key: String, ja: String, en: String)] = [
        // Documents
        ("doc.agenda", "アジェンダ", "Agenda"),
        ("doc.minutes", "議事録", "Minutes"),
        ("doc.status_report", "週次状況報告", "Weekly status report"),
        ("doc.kickoff", "キックオフ資料", "Kickoff pack"),
        // Meeting facts
        ("meeting.project", "プロジェクト", "Project"),
        ("meeting.series", "会議体", "Meeting series"),
        ("meeting.occurrence", "回", "Meeting no."),
        ("meeting.date", "日付", "Date"),
        ("meeting.when", "日時", "When"),
        ("meeting.start", "開始", "Start"),
        ("meeting.end", "終了", "End"),
        ("meeting.duration", "所要時間（分）", "Duration (minutes)"),
        ("meeting.location", "場所", "Location"),
        ("meeting.chair", "議長", "Chair"),
        ("meeting.present", "出席者", "Present"),
        ("meeting.absent", "欠席者", "Absent"),
        ("meeting.notes", "全体メモ", "General notes"),
        ("meeting.version", "版", "Version"),
        ("meeting.approved_by", "承認者", "Approved by"),
        ("meeting.approved_at", "承認日時", "Approved at"),
        ("meeting.approval", "承認", "Approval"),
        ("meeting.not_approved", "未承認（草案）", "Draft, not yet approved"),
        ("meeting.no_items", "議題はありません。", "No items."),
        ("meeting.no_notes", "（記録なし）", "(no notes)"),
        ("meeting.outputs", "この会議で作成された項目", "Items created in this meeting"),
        ("meeting.carried", "次回への継続事項", "Carried to the next meeting"),
        ("meeting.carry", "次回へ継続", "Carry over"),
        ("meeting.output", "作成", "Created"),
        ("meeting.reasons", "理由", "Why"),
        ("meeting.none", "なし", "None"),
        // Item columns
        ("col.no", "No.", "No."),
        ("col.section", "区分", "Section"),
        ("col.reference", "番号", "Reference"),
        ("col.title", "件名", "Title"),
        ("col.reasons", "理由", "Reasons"),
        ("col.notes", "議事", "Notes"),
        ("col.carry", "継続", "Carry"),
        ("col.outputs", "作成された項目", "Outputs"),
        ("col.type", "種別", "Type"),
        ("col.status", "状態", "Status"),
        ("col.owner", "担当", "Owner"),
        ("col.due", "期限", "Due"),
        ("col.score", "スコア", "Score"),
        ("col.decider", "決定者", "Decider"),
        ("col.field", "項目", "Field"),
        ("col.value", "内容", "Value"),
        ("col.item_no", "議題No.", "Item no."),
        // Status report
        ("status.overall", "全体状況", "Overall status"),
        ("status.status_date", "状況基準日", "Status date"),
        ("status.areas", "領域別の状況", "Status by area"),
        ("status.area", "領域", "Area"),
        ("status.colour", "状況", "Status"),
        ("status.computed", "算出値", "Computed"),
        ("status.override", "PMO判断による上書き", "PMO override"),
        ("status.override_reason", "上書きの理由", "Override reason"),
        ("status.metrics", "指標", "Metrics"),
        ("status.metric", "指標", "Metric"),
        ("status.value", "値", "Value"),
        ("status.milestones", "マイルストーン", "Milestones"),
        ("status.milestone", "マイルストーン", "Milestone"),
        ("status.baseline", "基準", "Baseline"),
        ("status.forecast", "予測", "Forecast"),
        ("status.slip", "差異（営業日）", "Slip (working days)"),
        ("status.state", "状態", "State"),
        ("status.done", "完了", "Done"),
        ("status.late", "遅延", "Late"),
        ("status.on_track", "予定通り", "On track"),
        ("status.top_issues", "主な課題", "Top issues"),
        ("status.top_risks", "主なリスク", "Top risks"),
        ("status.decisions_needed", "必要な意思決定", "Decisions needed"),
        ("status.work_done", "今週の実績", "Done this week"),
        ("status.work_next", "来週の予定", "Next week"),
        ("status.comment", "PMコメント", "Comment"),
        ("status.since_last", "前回からの変化", "Since last week"),
        ("status.no_previous", "前回の報告はありません。", "There is no previous report."),
        ("status.previous", "前回", "Previous"),
        ("status.current", "今回", "Current"),
        ("status.trend", "傾向", "Trend"),
        ("status.better", "改善", "better"),
        ("status.worse", "悪化", "worse"),
        ("status.same", "変化なし", "no change"),
        ("status.new_items", "新たに上位に入った課題・リスク", "New in the top issues and risks"),
        ("status.gone_items", "上位から外れた課題・リスク", "No longer in the top issues and risks"),
        ("status.none", "記載なし", "Nothing to report"),
        ("status.kind", "種別", "Kind"),
        ("status.issue", "課題", "Issue"),
        ("status.risk", "リスク", "Risk"),
        ("status.summary", "概要", "Summary"),
        ("status.chart", "出来高 S カーブ", "Earned value S-curve"),
        // Metric names (StatusComparison.MetricChange.name and the metrics table)
        ("metric.spi", "SPI（スケジュール効率指数）", "SPI (schedule performance)"),
        ("metric.cpi", "CPI（コスト効率指数）", "CPI (cost performance)"),
        ("metric.bac", "BAC（完成時総予算）", "BAC (budget at completion)"),
        ("metric.eac", "EAC（完成時総コスト見積）", "EAC (estimate at completion)"),
        ("metric.pv", "PV（計画価値）", "PV (planned value)"),
        ("metric.ev", "EV（出来高）", "EV (earned value)"),
        ("metric.ac", "AC（実コスト）", "AC (actual cost)"),
        ("metric.plannedPercent", "計画進捗率", "Planned progress"),
        ("metric.earnedPercent", "出来高進捗率", "Earned progress"),
        ("metric.openIssues", "未完了の課題", "Open issues"),
        ("metric.openRisks", "オープンなリスク", "Open risks"),
        ("metric.risksAboveThreshold", "しきい値以上のリスク", "Risks at or above the threshold"),
        ("metric.changesPending", "決定待ちの変更要求", "Change requests pending"),
        // Kickoff pack
        ("kickoff.overview", "プロジェクト概要", "Project overview"),
        ("kickoff.project_key", "プロジェクトキー", "Project key"),
        ("kickoff.project_name", "プロジェクト名", "Project name"),
        ("kickoff.purpose", "目的と期待する効果", "Purpose and expected value"),
        ("kickoff.business_owner", "事業責任者", "Business owner"),
        ("kickoff.phase", "現在のフェーズ", "Current phase"),
        ("kickoff.start", "開始日", "Start date"),
        ("kickoff.target", "目標日", "Target date"),
        ("kickoff.scope", "スコープ", "Scope"),
        ("kickoff.systems", "対象システム", "Systems"),
        ("kickoff.members", "体制", "Who is who"),
        ("kickoff.name", "氏名", "Name"),
        ("kickoff.company", "会社", "Company"),
        ("kickoff.role", "役割", "Role"),
        ("kickoff.phases", "フェーズ", "Phases"),
        ("kickoff.phase_name", "フェーズ", "Phase"),
        ("kickoff.definition", "定義", "Definition"),
        ("kickoff.exit", "完了基準", "Exit criteria"),
        ("kickoff.finish", "終了", "Finish"),
        ("kickoff.meetings", "会議体", "Meetings"),
        ("kickoff.meeting", "会議", "Meeting"),
        ("kickoff.meeting_purpose", "目的", "Purpose"),
        ("kickoff.frequency", "頻度", "Frequency"),
        ("kickoff.time", "曜日・時刻", "Day and time"),
        ("kickoff.first", "初回", "First meeting"),
        ("kickoff.attendees", "出席者", "Attendees"),
        ("kickoff.issues_risks", "課題とリスク", "Issues and risks"),
        ("kickoff.reporting", "報告のルール", "Reporting"),
        ("kickoff.last_report", "最新の状況報告", "Latest status report"),
        ("kickoff.no_report", "まだ状況報告はありません。", "No status report yet."),
        // Sheet names (≤ 31 characters, none of []:*?/\)
        ("sheet.meeting", "会議", "Meeting"),
        ("sheet.items", "議題", "Items"),
        ("sheet.outputs", "作成された項目", "Outputs"),
        ("sheet.summary", "概要", "Summary"),
        ("sheet.areas", "領域", "Areas"),
        ("sheet.milestones", "マイルストーン", "Milestones"),
        ("sheet.issues_risks", "課題とリスク", "Issues and risks"),
        ("sheet.decisions", "意思決定", "Decisions"),
        ("sheet.overview", "概要", "Overview"),
        ("sheet.members", "体制", "Members"),
        ("sheet.phases", "フェーズ", "Phases"),
        ("sheet.meetings", "会議体", "Meetings"),
        // Charts
        ("chart.open", "未完了", "Open"),
        ("chart.raised", "起票", "Raised"),
        ("chart.closed", "完了", "Closed"),
        ("chart.no_data", "データがありません", "No data"),
        // Calendar
        ("calendar.agenda", "アジェンダ", "Agenda"),
    ]

    static let labelIndex: [String: (ja: String, en: String)] = {
        var index: [String: (ja: String, en: String)] = [:]
        for entry in labels where index[entry.key] == nil { index[entry.key] = (entry.ja, entry.en) }
        return index
    }()

    // MARK: Small words shared by the renderers

    /// "第12回" or "#12".
    static func occurrence(_ n: Int, lang: String) -> String {
        isJapanese(lang) ? "第\(n)回" : "#\(n)"
    }

    /// Weekday names, 0 = Sunday.
    public static func weekday(_ day: Int, lang: String) -> String {
        let ja = ["日", "月", "火", "水", "木", "金", "土"], en = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let i = ((day % 7) + 7) % 7
        return isJapanese(lang) ? ja[i] : en[i]
    }

    /// "2026-11-16（月）" or "Mon 2026-11-16".
    public static func day(_ date: CalendarDate, lang: String) -> String {
        isJapanese(lang) ? "\(date)（\(weekday(date.weekday, lang: lang))）" : "\(weekday(date.weekday, lang: lang)) \(date)"
    }

    /// "10:00–11:00"; an end past midnight is marked "+1".
    public static func timeRange(start: Int, duration: Int) -> String {
        let end = start + max(0, duration)
        let next = end >= 24 * 60 ? "(+\(end / (24 * 60)))" : ""
        return MeetingRecurrence.clock(start % (24 * 60)) + "–" + MeetingRecurrence.clock(end % (24 * 60)) + next
    }

    /// "毎週" / "weekly", "隔週" / "every 2 weeks", "4週ごと" / "every 4 weeks".
    public static func frequency(_ weeks: Int, lang: String) -> String {
        let ja = isJapanese(lang)
        switch weeks {
        case ...1: return ja ? "毎週" : "weekly"
        case 2: return ja ? "隔週" : "every 2 weeks"
        default: return ja ? "\(weeks)週ごと" : "every \(weeks) weeks"
        }
    }

    /// The register's name of an item type.
    static func itemType(_ type: ItemType, lang: String) -> String {
        let ja = isJapanese(lang)
        switch type {
        case .issue: return ja ? "課題" : "Issue"
        case .risk: return ja ? "リスク" : "Risk"
        case .decision: return ja ? "決定事項" : "Decision"
        case .question: return ja ? "Q&A" : "Question"
        case .change: return ja ? "変更要求" : "Change request"
        case .action: return ja ? "アクション" : "Action item"
        }
    }

    /// "山田 太郎（A社）" or "Taro Yamada (A Corp)".
    static func person(_ p: MinutesDocument.Person, lang: String) -> String {
        guard let company = p.company, !company.isEmpty else { return p.name }
        return isJapanese(lang) ? "\(p.name)（\(company)）" : "\(p.name) (\(company))"
    }

    /// Names joined with "、" (Japanese) or ", ".
    static func list(_ names: [String], lang: String) -> String {
        names.joined(separator: isJapanese(lang) ? "、" : ", ")
    }

    /// Reasons joined with "; ".
    static func reasons(_ reasons: [AgendaReason], lang: String) -> String {
        reasons.map { reason($0, lang: lang) }.joined(separator: "; ")
    }

    /// "¥12,500,000" for "12500000"; other text as it is; "" for "".
    static func money(_ text: String) -> String {
        guard let n = Int(text) else { return text }
        return (n < 0 ? "-" : "") + "¥" + SCurveChart.grouped(abs(n))
    }

    /// "¥12,500,000" of a number of yen, rounded.
    static func yen(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return money(String(Int(min(max(value, -9e15), 9e15).rounded())))
    }

    /// A value with fixed decimals, without locale: "0.86", "45.0".
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "" }
        return String(format: "%.\(digits)f", value)
    }

    /// "1 day", "5 days" (English only; the count is text as it came).
    static func count(_ n: String, _ noun: String) -> String {
        n == "1" ? "1 \(noun)" : "\(n) \(noun)s"
    }

    /// The values of a reason by position, "" where missing.
    struct Values {
        let values: [String]
        init(_ values: [String]) { self.values = values }
        subscript(_ i: Int) -> String {
            values.indices.contains(i) ? values[i].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        }
    }
}
