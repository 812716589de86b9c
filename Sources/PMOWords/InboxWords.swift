/// The words of the inbox: what each kind of entry says, and the inbox page.
public enum InboxWords {
    public static let ja: [String: String] = Dictionary(entries.map { ($0.key, $0.ja) }) { first, _ in first }
    public static let en: [String: String] = Dictionary(entries.map { ($0.key, $0.en) }) { first, _ in first }

    /// The keys in table order, for the test that none appears twice.
    public static var keys: [String] { entries.map(\.key) }

    static let entries: [(key: String, ja: String, en: String)] = [
        ("inbox.title", "受信箱", "Inbox"),
        ("inbox.intro", "担当・言及・期限・予兆など、あなたに関係する出来事です。見られない項目のお知らせは届きません。",
         "What concerns you: assignments, mentions, due dates, signals and changes to your items. Nothing about items you cannot see."),
        ("inbox.kind.assigned", "[{actor} が|]あなたを担当者にしました", "[{actor} assigned it to you|Assigned to you]"),
        ("inbox.kind.changed", "[{actor} が|]更新しました[（{fields}）][。状態: {status}]", "[{actor} changed it|Changed][ ({fields})][; status: {status}]"),
        ("inbox.kind.commented", "[{actor} が|]コメントしました: {comment}", "[{actor} commented|New comment]: {comment}"),
        ("inbox.kind.mentioned", "[{actor} が|]あなたに言及しました: {comment}", "[{actor} mentioned you|You were mentioned]: {comment}"),
        ("inbox.kind.due_soon", "期限 {due}（あと {days} 日）", "Due {due} (in {days:day})"),
        ("inbox.kind.due_today", "本日 {due} が期限です", "Due today, {due}"),
        ("inbox.kind.signal", "予兆: {text}", "Signal: {text}"),
        ("inbox.kind.minutes_to_approve", "{series} 第{number}回（{date}）の議事録が承認待ちです", "The minutes of {series} #{number} ({date}) await your approval"),
        ("inbox.kind.report_issued", "[{actor} が|]{date} の状況報告を発行しました（全体: {overall}）",
         "[{actor} issued|Issued] the status report of {date} (overall: {overall})"),
        ("inbox.unread_count", "未読 {n} 件", "{n} unread"),
        ("inbox.unread_only", "未読のみ", "Unread only"),
        ("inbox.show_all", "すべて表示", "Show all"),
        ("inbox.mark_read", "既読にする", "Mark read"),
        ("inbox.mark_all_read", "すべて既読にする", "Mark all read"),
        ("inbox.none", "お知らせはありません。", "Nothing here."),
        ("inbox.col.what", "内容", "What"),
        ("inbox.col.item", "項目", "Item"),
        ("mention.hint", "@ と名前の一部で、メンバーを選んで知らせることができます", "Type @ and part of a name to tell a member"),
        ("watch.title", "ウォッチ", "Watching"),
        ("watch.start", "ウォッチする", "Watch"),
        ("watch.stop", "ウォッチをやめる", "Stop watching"),
        ("watch.watching", "この項目の更新とコメントを受信箱で受け取ります。", "You hear of this item's changes and comments in your inbox."),
        ("watch.not_watching", "ウォッチすると、この項目の更新とコメントを受信箱で受け取ります。", "Watch it to hear of its changes and comments in your inbox."),
        ("watch.by_role", "担当者・決定者として、更新とコメントを受信箱で受け取ります。", "As its owner or decider, you hear of its changes and comments."),
        ("watch.count", "ウォッチしている人: {n} 人", "{n:watcher}"),
        ("inbox.col.project", "プロジェクト", "Project"),
        ("inbox.col.when", "日時", "When"),
        ("inbox.nav", "受信箱", "Inbox"),
        ("inbox.nav_count", "受信箱 ({n})", "Inbox ({n})"),
    ]
}
