/// The words of e-mail: the mails (subjects, greetings, digests, the footer) and the preferences page.
public enum MailWords {
    public static let ja: [String: String] = Dictionary(entries.map { ($0.key, $0.ja) }) { first, _ in first }
    public static let en: [String: String] = Dictionary(entries.map { ($0.key, $0.en) }) { first, _ in first }

    /// The keys in table order, for the test that none appears twice.
    public static var keys: [String] { entries.map(\.key) }

    static let entries: [(key: String, ja: String, en: String)] = [
        // The mails.
        ("mail.subject.entry", "【{project}】{item}: {what}", "{project} | {item}: {what}"),
        ("mail.subject.daily", "【PMO】本日のお知らせ {n} 件", "PMO: {n:update} for you today"),
        ("mail.subject.weekly", "【PMO】週次ダイジェスト（{date}）", "PMO weekly digest ({date})"),
        ("mail.greeting", "{name} 様", "Hello {name},"),
        ("mail.open", "開く", "Open"),
        ("mail.open_inbox", "受信箱を開く", "Open your inbox"),
        ("mail.footer", "このメールは PMO から自動送信されています。メールで受け取る内容は次のページで変更できます:",
         "This mail was sent by PMO. Change what you receive by e-mail here:"),
        ("mail.daily.intro", "未読のお知らせが {n} 件あります。", "You have {n:unread update}."),
        ("mail.weekly.intro", "PMO 担当の方への今週のまとめです（{date} 時点）。", "Your weekly PMO digest, as of {date}."),
        ("mail.weekly.signals", "プロジェクト別の予兆", "Signals by project"),
        ("mail.weekly.signals_line", "{project}: 赤 {red} 件・黄 {amber} 件", "{project}: {red} red, {amber} amber"),
        ("mail.weekly.overdue", "担当者別の期限超過", "Overdue by owner"),
        ("mail.weekly.overdue_line", "{owner}: {n} 件（最長 {days} 日超過）{refs}", "{owner}: {n:item} (the oldest {days:day} late) {refs}"),
        ("mail.weekly.decisions", "決定待ちの意思決定", "Decisions waiting"),
        ("mail.weekly.decision_line", "{ref} {title}（起票から {days} 日[、期限 {due}]）", "{ref} {title} ({days:day} since raised[, due {due}])"),
        ("mail.weekly.nothing", "今週お知らせすることはありません。", "Nothing to report this week."),
        ("mail.weekly.none_in_section", "なし", "None"),
        // The preferences page.
        ("mail.settings.title", "メール通知", "E-mail"),
        ("mail.settings.intro", "受信箱のお知らせをメールでも受け取れます。種類ごとに、すぐに・日次まとめ・送らないを選べます。見られない項目のメールは届きません。",
         "Your inbox can reach you by e-mail too: for each kind, at once, in a daily digest, or not at all. Nothing about items you cannot see is ever sent."),
        ("mail.settings.address", "送信先", "Sent to"),
        ("mail.settings.not_configured", "このサーバーではメール送信が設定されていないため、メールは送られません。選んだ内容は保存され、管理者が設定すると使われます。",
         "E-mail is not set up on this server, so no mail is sent. Your choices are kept and used once an administrator sets it up."),
        ("mail.settings.digest_time", "まとめを送る時刻", "Digest time"),
        ("mail.settings.digest_hint", "日次まとめは毎日この時刻に、週次ダイジェストは毎週月曜のこの時刻に送ります（あなたのタイムゾーン）。",
         "The daily digest goes every day at this time, the weekly digest on Mondays (your time zone)."),
        ("mail.settings.topic", "お知らせの種類", "Kind"),
        ("mail.settings.mode", "受け取り方", "How"),
        ("mail.settings.save", "保存", "Save"),
        ("mail.settings.recent", "最近のメール", "Recent mails"),
        ("mail.settings.no_recent", "まだメールはありません。", "No mail yet."),
        ("mail.settings.link", "メール通知", "E-mail"),
        ("mail.mode.immediate", "すぐに", "At once"),
        ("mail.mode.daily", "日次まとめ", "Daily digest"),
        ("mail.mode.weekly", "毎週", "Weekly"),
        ("mail.mode.none", "送らない", "Off"),
        ("mail.topic.assigned", "担当の割り当て", "Assigned to you"),
        ("mail.topic.changed", "担当項目の更新", "Changes to your items"),
        ("mail.topic.commented", "担当項目へのコメント", "Comments on your items"),
        ("mail.topic.mentioned", "あなたへの言及", "Mentions"),
        ("mail.topic.due_soon", "期限の接近", "Due soon"),
        ("mail.topic.signal", "担当項目の予兆", "Signals on your items"),
        ("mail.topic.minutes_to_approve", "承認待ちの議事録", "Minutes to approve"),
        ("mail.topic.report_issued", "状況報告の発行", "Status reports issued"),
        ("mail.topic.pmo_weekly", "PMO 週次ダイジェスト（予兆・期限超過・決定待ち）", "PMO weekly digest (signals, overdue, decisions waiting)"),
        ("mail.kind.entry", "お知らせ", "Update"),
        ("mail.kind.daily", "日次まとめ", "Daily digest"),
        ("mail.kind.weekly", "週次ダイジェスト", "Weekly digest"),
        ("mail.state.queued", "送信待ち", "Waiting"),
        ("mail.state.sent", "送信済み", "Sent"),
        ("mail.state.failed", "送信失敗", "Failed"),
        ("mail.state.skipped", "送信不要", "Not needed"),
        ("mail.col.when", "日時", "When"),
        ("mail.col.kind", "種類", "Kind"),
        ("mail.col.state", "状態", "State"),
    ]
}
