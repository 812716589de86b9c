import Foundation
import PMOCore
import PMOStore

/// The demo's requirements (要件一覧) and tests: eighty requirements of the CRM renewal, functional by business area
/// and non-functional by the IPA grade groups, tied to the systems that realise them and the plan activities that
/// build them, and the tests that verify them, with the gaps a PMO looks for left in on purpose: requirements no
/// system realises yet, NFRs no activity builds, tests still to pass, and requirements changed after agreement.
enum DemoRequirements {
    struct Area {
        var name: String
        var systems: [String]
        /// Names of the plan activities that build the area's requirements.
        var activities: [String]
        var requirements: [String]
    }

    static let areas: [Area] = [
        Area(name: "顧客管理", systems: ["CRM", "ERP"], activities: ["画面製造（顧客管理）", "名寄せロジック製造"], requirements: [
            "顧客情報（個人・法人）を一元管理できること", "重複する顧客を名寄せできること", "顧客ごとの取引履歴を参照できること",
            "顧客ランクを購買実績から自動で判定できること", "顧客情報の変更履歴を保持し参照できること", "法人顧客と担当者を紐付けて管理できること",
            "顧客を氏名・電話番号で検索できること", "郵便番号から住所を補完できること", "顧客一覧を CSV で出力できること",
            "退会した顧客の個人情報をマスクできること", "顧客ごとの連絡可否（同意状況）を管理できること", "顧客カルテを帳票として出力できること",
        ]),
        Area(name: "商談・キャンペーン", systems: ["CRM", "MAIL", "DWH"], activities: ["画面製造（商談・キャンペーン）", "バッチ製造"], requirements: [
            "商談の進捗をステージごとに管理できること", "商談登録時に与信枠を照会できること", "キャンペーンの対象者を条件で抽出できること",
            "キャンペーンメールを配信できること", "メールの配信結果（開封・クリック）を取り込めること", "商談の見込み金額を月別に集計できること",
            "営業日報を登録し上長が確認できること", "値引き率が上限を超える商談は承認を要すること", "キャンペーンの効果（反応率）を分析できること",
            "商談の失注理由を分類して記録できること",
        ]),
        Area(name: "コールセンター", systems: ["CTI", "CRM"], activities: ["CTI連携製造", "CTI単体テスト"], requirements: [
            "着信時に顧客情報をポップアップ表示できること", "通話終了時に応対記録を登録できること", "応対記録から通話録音を再生できること",
            "対応できない問い合わせを二次窓口へエスカレーションできること", "FAQ を検索し回答に引用できること", "応対件数と処理時間を日次で集計できること",
            "折り返し電話の予定を管理できること", "クレームを区分して記録し責任者に通知できること",
            "オペレーターの在席状況を表示できること", "通話中に顧客の未完了の問い合わせを表示できること",
        ]),
        Area(name: "会員ポータル", systems: ["MBR", "IDP", "EC"], activities: ["ポータル画面製造", "ポータルAPI製造"], requirements: [
            "会員がポータルから会員登録できること", "会員が EC サイトと同じ ID でログインできること（SSO）", "会員がパスワードを再設定できること",
            "会員が登録情報を変更できること", "会員がポイント残高と履歴を照会できること", "会員が問い合わせフォームから問い合わせできること",
            "会員が購入履歴を照会できること", "会員がメール配信の可否を変更できること", "会員が退会手続きを行えること", "会員ランクと特典を表示できること",
        ]),
        Area(name: "システム連携", systems: ["EAI", "ERP", "POS"], activities: ["IF製造（受注連携）", "IF製造（POS連携）", "IF単体テスト"], requirements: [
            "受注実績を基幹システムから日次で連携できること", "店舗 POS の購買データを日次で連携できること", "連携エラーを検知し再送できること",
            "顧客マスタの変更を基幹システムへ反映できること", "連携の処理件数と結果を監視画面で確認できること", "ポイント付与を POS と即時に同期できること",
        ]),
        Area(name: "分析・帳票", systems: ["DWH", "CRM"], activities: ["帳票製造", "バッチ製造"], requirements: [
            "顧客分析用のデータを DWH へ日次で連携できること", "月次の営業報告書を出力できること", "店舗別の顧客数推移を出力できること",
            "顧客セグメント別の売上を分析できること", "帳票を PDF で出力できること",
            "経営会議向けの KPI ダッシュボードを表示できること", "分析用データから個人を特定できる項目を除けること",
        ]),
        Area(name: "データ移行", systems: ["OLD", "CRM"], activities: ["移行ツール製造", "移行ツール単体テスト"], requirements: [
            "旧顧客管理の顧客データを新CRMへ移行できること", "旧顧客管理の対応履歴を移行できること", "ポイント履歴を移行できること",
            "段階切替の期間中、新旧の顧客データを同期できること", "移行リハーサルを本番同等のデータ量で実施できること",
        ]),
    ]

    /// Non-functional requirements: (IPA group, title, systems, activities).
    static let nonFunctional: [(String, String, [String], [String])] = [
        ("availability", "サービス時間帯（8時〜22時）の稼働率 99.9% 以上であること", ["CRM", "MBR"], ["本番環境構築"]),
        ("availability", "計画停止は月 1 回、夜間 4 時間以内とすること", ["CRM"], ["監視設定"]),
        ("availability", "障害時に待機系へ 30 分以内に切り替えられること", ["CRM", "EAI"], ["本番環境構築"]),
        ("performance", "画面の応答時間は 95% の操作で 3 秒以内であること", ["CRM", "MBR"], ["画面製造（顧客管理）"]),
        ("performance", "着信から顧客情報の表示まで 1 秒以内であること", ["CTI", "CRM"], ["CTI連携製造"]),
        ("performance", "ポータルの同時接続 500 セッションを処理できること", ["MBR", "IDP"], []),
        ("performance", "夜間バッチが 4 時間以内に完了すること", ["CRM", "DWH"], ["バッチ製造"]),
        ("operability", "全サーバーと連携処理を監視し、異常を 5 分以内に通知すること", ["CRM", "EAI"], ["監視設定"]),
        ("operability", "データベースを日次でバックアップし 7 世代保持すること", ["CRM"], ["本番環境構築"]),
        ("operability", "運用手順書を整備し運用ベンダーへ引き継ぐこと", [], []),
        ("migration", "移行データの件数と金額を新旧で照合できること", ["OLD", "CRM"], ["移行ツール製造"]),
        ("migration", "本番移行に伴う業務停止は 2 日以内とすること", ["OLD", "CRM"], []),
        ("security", "管理者と社外からの利用は多要素認証を必須とすること", ["IDP"], ["ポータルAPI製造"]),
        ("security", "個人情報は保存時と通信時に暗号化すること", ["CRM", "MBR"], []),
        ("security", "操作ログとアクセスログを 1 年間保存すること", ["CRM"], ["監視設定"]),
        ("security", "ベンダーの利用者は自社担当の顧客のみ閲覧できること", ["CRM"], []),
        ("environment", "Chrome と Edge の最新版で利用できること", ["CRM", "MBR"], []),
        ("environment", "データは国内のデータセンターにのみ保管すること", [], []),
        ("environment", "利用者 1,200 名（店舗・コールセンター含む）で利用できること", ["CRM"], []),
        ("performance", "会員数 300 万件で性能要件を満たすこと", ["CRM", "MBR"], []),
    ]

    static func load(into store: Store, key: String, pmo: Caller, owners: [UserID], today: CalendarDate) async throws {
        let now = store.now()
        func at(_ day: Int) -> Store {
            var s = store
            s.clock = { now.addingTimeInterval(Double(day) * 86_400) }
            return s
        }
        let systems = Dictionary(try await store.items.rows(pmo, key: key, type: .system).compactMap { row in
            row.details["code"]?.text.map { ($0, row.number) }
        }, uniquingKeysWith: { a, _ in a })
        let activityByName = Dictionary(try await store.items.activityNames(pmo, key: key).map { ($1, $0) }, uniquingKeysWith: min)
        let refs = { (codes: [String]) -> RegisterValue? in
            let list = codes.compactMap { systems[$0] }.map { ItemReference(projectKey: nil, type: .system, number: $0) }
            return list.isEmpty ? nil : .items(list)
        }
        let activities = { (names: [String]) -> RegisterValue? in
            let ids = names.compactMap { activityByName[$0] }
            return ids.isEmpty ? nil : .activities(ids)
        }

        // (title, type, group, area, systems, activities), functional first.
        var specs: [(String, String, String?, String?, RegisterValue?, RegisterValue?)] = []
        for area in areas {
            for (i, title) in area.requirements.enumerated() {
                // Every fifth requirement of an area waits for its system to be decided; the rest name the area's.
                let sys = i % 5 == 4 ? nil : refs(i % 3 == 2 ? Array(area.systems.prefix(1)) : area.systems)
                specs.append((title, "functional", nil, area.name, sys, i % 4 == 3 ? nil : activities(area.activities)))
            }
        }
        for (group, title, codes, names) in nonFunctional {
            specs.append((title, "non_functional", group, nil, refs(codes), activities(names)))
        }
        let moscow = ["must", "must", "should", "must", "could", "must", "should"]
        let origins = ["document", "meeting", "interview", "question", "document"]
        var numbers: [Int] = []
        for (i, spec) in specs.enumerated() {
            var details: [String: RegisterValue] = ["requirementType": .text(spec.1), "moscow": .text(moscow[i % moscow.count]),
                                                    "sourceType": .text(origins[i % origins.count]),
                                                    "sourceReference": .text(i % origins.count == 0 ? "要件定義書 v1.2 \(i / 10 + 2).\(i % 10 + 1)" : "要件定義フェーズ ヒアリング")]
            if let g = spec.2 { details["nfrGroup"] = .text(g) }
            if let a = spec.3 { details["area"] = .text(a) }
            if let s = spec.4 { details["systems"] = s }
            if let a = spec.5 { details["activities"] = a }
            if spec.1 == "functional" { details["acceptanceCriteria"] = .text("受入テストのシナリオで、業務担当者が期待どおりに操作を完了できること。") }
            else { details["acceptanceCriteria"] = .text("性能・運用テストの結果が数値目標を満たすこと。") }
            // Mostly agreed in the requirements phase; a few still drafts, a few dropped or already verified.
            let status = i % 23 == 22 ? "dropped" : (i % 11 == 10 ? "draft" : (i % 13 == 5 ? "verified" : "agreed"))
            if status == "verified" { details["agreedOn"] = .date(today.adding(days: -90)) }
            let fields = RegisterItemFields(title: spec.0, description: "", status: status, ownerID: owners[i % owners.count],
                                            dueDate: status == "draft" ? today.adding(days: 10 + i % 7) : nil, details: details)
            numbers.append(try await at(-90).items.createRegisterItem(pmo, key: key, kind: .requirement, fields: fields).record.number)
        }

        // Tests: one per requirement for most of them (levels by kind); passed, failed, blocked or still planned.
        let interfaces = try await store.items.rows(pmo, key: key, type: .interface).map(\.number)
        var testNumber = 0
        for (i, n) in numbers.enumerated() where i % 6 != 5 {
            let isNFR = specs[i].1 == "non_functional"
            let level = isNFR ? "operational" : (specs[i].3 == "システム連携" ? "connection" : (i % 2 == 0 ? "system" : "integration"))
            let status = i < 30 ? (i % 9 == 4 ? "failed" : "passed") : (i % 10 == 7 ? "blocked" : "planned")
            var details: [String: RegisterValue] = ["testLevel": .text(level),
                                                    "verifies": .items([ItemReference(projectKey: nil, type: .requirement, number: n)])]
            if status != "planned" { details["executedOn"] = .date(today.adding(days: -20 + i % 15)) }
            if level == "connection", !interfaces.isEmpty { details["interface"] = .item(ItemReference(projectKey: nil, type: .interface, number: interfaces[testNumber % interfaces.count])) }
            testNumber += 1
            let title = String(format: "TS-%03d ", testNumber) + specs[i].0.replacingOccurrences(of: "できること", with: "の確認")
            let fields = RegisterItemFields(title: String(title.prefix(RegisterRules.titleMax)), description: "", status: status,
                                            ownerID: owners[(i + 1) % owners.count],
                                            dueDate: status == "planned" ? today.adding(days: 5 + i % 40) : nil, details: details)
            _ = try await at(-30).items.createRegisterItem(pmo, key: key, kind: .test, fields: fields)
        }

        // Changes raised after agreement, tied to the requirements they touch.
        let changes = try await store.items.rows(pmo, key: key, type: .change)
        func link(_ requirementIndex: Int, toChangeTitled prefix: String) async throws {
            guard requirementIndex < numbers.count, let c = changes.first(where: { $0.title.hasPrefix(prefix) }) else { return }
            _ = try await store.items.addLink(pmo, key: key, type: .requirement, number: numbers[requirementIndex],
                                              to: ItemReference(projectKey: key, type: .change, number: c.number), kind: .relatesTo)
        }
        try await link(6, toChangeTitled: "顧客検索の検索条件")
        try await link(specs.firstIndex { $0.0.hasPrefix("画面の応答時間") } ?? 0, toChangeTitled: "顧客検索の検索条件")
        try await link(specs.firstIndex { $0.0.hasPrefix("ポイント履歴を移行") } ?? 0, toChangeTitled: "ポイント履歴の移行対象")
        try await link(specs.firstIndex { $0.0.hasPrefix("段階切替の期間中") } ?? 0, toChangeTitled: "段階切替に伴う差分移行")
        try await link(specs.firstIndex { $0.0.hasPrefix("帳票を PDF") } ?? 0, toChangeTitled: "帳票のPDF電子化")

        // The interfaces the release needs; two of those not yet connection-tested plan their test after it.
        let dates = try await store.items.activityDates(pmo, key: key)
        if let release = activityByName["リリース"], let day = dates[release] {
            let open = try await store.items.rows(pmo, key: key, type: .interface)
            for (i, f) in open.prefix(12).enumerated() {
                var patch = RegisterItemPatch()
                patch.details["neededBy"] = .activities([release])
                if i == 3 || i == 4 {
                    patch.details["testPlannedStart"] = .date(day.adding(days: -3))
                    patch.details["testPlannedEnd"] = .date(day.adding(days: 5))
                }
                _ = try await store.items.updateRegisterItem(pmo, key: key, kind: .interface, number: f.number, expectedVersion: nil, patch: patch)
            }
        }
    }
}
