/// The words of the project's shape: the system configuration diagram (システム構成図) and its downloads.
public enum SystemWords {
    public static let ja: [String: String] = Dictionary(entries.map { ($0.key, $0.ja) }) { first, _ in first }
    public static let en: [String: String] = Dictionary(entries.map { ($0.key, $0.en) }) { first, _ in first }

    /// The keys in table order, for the test that none appears twice.
    public static var keys: [String] { entries.map(\.key) }

    static let entries: [(key: String, ja: String, en: String)] = [
        ("sysmap.title", "システム構成図", "System configuration diagram"),
        ("sysmap.link", "構成図", "Diagram"),
        ("sysmap.intro", "システムと、その間のインターフェース（IF一覧）から描いています。矢印は送信元から送信先へ、色は IF の状態、赤の破線は設計期限を過ぎて未合意の IF です。同じ 2 システム間の IF は 1 本にまとめ、方式ごとの件数を添えています。",
         "Drawn from the systems and the interfaces between them (the IF list). Arrows run from source to target, coloured by the interface's status; red dashes mark interfaces past their design deadline without agreement. Interfaces between the same two systems share one arrow, labelled with the count of each method."),
        ("sysmap.group", "グループ", "Group by"),
        ("sysmap.group.vendor", "構築ベンダー", "Vendor that builds it"),
        ("sysmap.group.kind", "区分", "Kind"),
        ("sysmap.no_vendor", "ベンダーなし", "No vendor"),
        ("sysmap.show", "表示", "Show"),
        ("sysmap.legend", "凡例", "Legend"),
        ("sysmap.flagged", "設計期限超過（未合意）", "Past its design deadline, not agreed"),
        ("sysmap.mermaid", "Mermaid テキスト", "Mermaid text"),
        ("sysmap.empty", "システムがまだ登録されていません。システムを登録すると、構成図が描かれます。", "No systems yet: add the project's systems and the diagram draws itself."),
        ("sysmap.if_summary", "IF一覧の集計", "The IF list in figures"),
        ("sysmap.col.interfaces", "IF 件数", "Interfaces"),
        ("seq.heading", "シーケンス図", "Sequence diagram"),
        ("seq.title", "シーケンス図：{name}", "Sequence diagram: {name}"),
        ("seq.empty", "ステップがまだありません。編集して、この業務機能が使うインターフェースを順に入力すると、シーケンス図が描かれます。",
         "No steps yet: edit the function and list the interfaces it uses, in order, and its sequence diagram draws itself."),
        ("seq.hidden", "{count} 件のステップは閲覧できないインターフェースのため表示していません。", "{count} steps name interfaces you may not see and are left out."),
        ("sysmap.counts", "システム {systems} 件、インターフェース {interfaces} 件", "{systems} systems, {interfaces} interfaces"),
    ]
}
