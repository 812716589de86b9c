import FluentKit
import Foundation
import PMOCore
import PMOStore

/// The demo's registers: the decision-rights table, risks, decisions, the QA table, change requests and action
/// items of the CRM renewal, linked to each other and to the demo issues, as the PMO of a two-vendor renewal keeps
/// them. Every item is written through the store at a back-dated clock, so histories, lead times, answer and
/// approval dates and ageing look like four months of project work.
enum DemoRegisters {
    /// Who is who in `DemoData`'s list of people (the same order).
    struct People {
        var sato, takahashi, tanaka, clark, ito, watanabe, kim, yamamoto, nakamura: UserRecord
        init(_ users: [UserRecord]) {
            sato = users[1]; takahashi = users[2]; tanaka = users[3]; clark = users[4]
            ito = users[5]; watanabe = users[6]; kim = users[7]; yamamoto = users[8]; nakamura = users[9]
        }
    }

    /// Loads the registers into the demo project `key`. `users` are the demo people in `DemoData` order, `issues`
    /// the numbers of the demo issues in the order they were created.
    static func load(into store: Store, key: String, users: [UserRecord], client: CompanyID, kaede: CompanyID, aoba: CompanyID,
                     today: CalendarDate, issues: [Int]) async throws {
        let p = People(users)
        let now = store.now()
        /// The store as it was `day` days from now (negative: in the past).
        func at(_ day: Int) -> Store {
            var s = store
            s.clock = { now.addingTimeInterval(Double(day) * 86_400) }
            return s
        }
        func id(_ u: UserRecord) throws -> UserID { UserID(try u.requireID()) }
        func by(_ u: UserRecord) throws -> Caller { try Caller(u) }
        func date(_ days: Int) -> RegisterValue { .date(today.adding(days: days)) }
        func issue(_ n: Int) -> ItemReference { ItemReference(projectKey: key, type: .issue, number: issues[n - 1]) }
        func ref(_ type: ItemType, _ n: Int) -> ItemReference { ItemReference(projectKey: key, type: type, number: n) }
        let pmo = try by(p.sato), pm = try by(p.takahashi)

        /// Creates an item at `day` and returns its number.
        func create(_ kind: RegisterKind, by caller: Caller, day: Int, _ title: String, _ description: String = "",
                    status: String? = nil, owner: UserRecord?, due: Int? = nil, visibility: Visibility = .project,
                    company: CompanyID?, origin: ItemReference? = nil, _ details: [String: RegisterValue]) async throws -> Int {
            let fields = RegisterItemFields(title: title, description: description, status: status ?? kind.initialStatus,
                                            ownerID: try owner.map(id), dueDate: due.map { today.adding(days: $0) },
                                            visibility: visibility, companyID: company, details: details)
            return try await at(day).items.createRegisterItem(caller, key: key, kind: kind, fields: fields, origin: origin).record.number
        }
        /// Moves an item to `status` at `day`, changing `details` on the way.
        func move(_ kind: RegisterKind, _ number: Int, by caller: Caller, day: Int, to status: String,
                  _ details: [String: RegisterValue?] = [:]) async throws {
            var patch = RegisterItemPatch()
            patch.status = status
            patch.details = details
            _ = try await at(day).items.updateRegisterItem(caller, key: key, kind: kind, number: number, expectedVersion: nil, patch: patch)
        }
        /// The day (from now) an item was raised.
        func raisedDay(_ item: ItemReference) async throws -> Int {
            let raised = if let kind = item.type.register {
                try await store.items.registerItem(pmo, key: key, kind: kind, number: item.number).record.createdAt
            } else {
                try await store.items.issue(pmo, key: key, number: item.number).record.createdAt
            }
            return Int((raised.timeIntervalSince(now) / 86_400).rounded(.up))
        }
        /// Links two items at `day`, but never before both exist: a history that shows a link a month before the
        /// issue it starts from was raised reads as an effect before its cause.
        func link(_ type: ItemType, _ number: Int, _ kind: ItemLinkKind, _ target: ItemReference, day: Int = -1) async throws {
            let from = ItemReference(projectKey: key, type: type, number: number)
            let day = max(day, try await raisedDay(from), try await raisedDay(target))
            _ = try await at(day).items.addLink(pmo, key: key, type: type, number: number, to: target, kind: kind)
        }
        func comment(_ kind: RegisterKind, _ number: Int, by caller: Caller, day: Int, _ body: String) async throws {
            _ = try await at(day).items.addComment(caller, key: key, type: ItemType(kind), number: number, body: body)
        }

        // MARK: Decision rights

        _ = try await at(-110).items.setDecisionRights(pm, key: key, rights: [
            DecisionRight(category: DecisionRights.specificationChange, authority: "業務オーナー (営業本部長)", userIDs: [id(p.takahashi)]),
            DecisionRight(category: "budget", authority: "ステアリングコミッティ", roles: [.pmo], userIDs: [id(p.clark)]),
            DecisionRight(category: "schedule", authority: "PMO", roles: [.pmo, .pm]),
            DecisionRight(category: "technical", authority: "アーキテクト会議", roles: [.pm], userIDs: [id(p.ito)]),
            DecisionRight(category: "migration", authority: "移行判定会議 (Go/No-Go)", roles: [.pm]),
        ])

        // MARK: Risks

        func risk(_ caller: Caller, day: Int, _ title: String, _ description: String = "", type: String = "threat", category: String,
                  cause: String, event: String, effect: String, probability: Int, schedule: Int, cost: Int, quality: Int,
                  proximity: String, indicators: [WarningIndicator], strategy: String, actions: String, review: Int,
                  residual: (Int, Int)?, owner: UserRecord, company: CompanyID, visibility: Visibility = .project) async throws -> Int {
            var d: [String: RegisterValue] = [
                "riskType": .text(type), "category": .text(category), "cause": .text(cause), "event": .text(event),
                "effect": .text(effect), "probability": .integer(probability), "impactSchedule": .integer(schedule),
                "impactCost": .integer(cost), "impactQuality": .integer(quality), "proximity": .text(proximity),
                "indicators": .indicators(indicators), "strategy": .text(strategy), "responseActions": .text(actions),
                "reviewDate": date(review),
            ]
            if let residual {
                d["residualProbability"] = .integer(residual.0)
                d["residualImpact"] = .integer(residual.1)
            }
            return try await create(.risk, by: caller, day: day, title, description, owner: owner, visibility: visibility, company: company, d)
        }
        typealias W = WarningIndicator

        let rMatching = try await risk(pmo, day: -96, "顧客名寄せルール未確定による移行設計の遅延",
            "店舗・EC・コールセンターで別々に管理されている顧客を新CRMで1人1IDに統合する。名寄せキーが業務部門間で合意できていない。",
            category: "schedule",
            cause: "店舗POS・ECサイト・コールセンターで顧客IDが別体系。名寄せキー（電話番号・氏名カナ・生年月日）の優先順位について業務部門間の合意がない。",
            event: "名寄せルールの確定が基本設計の凍結期限に間に合わない。",
            effect: "移行ツールの開発と移行リハーサル1回目が2〜3週間遅れ、結合テストの開始にも波及する。",
            probability: 4, schedule: 5, cost: 3, quality: 4, proximity: "imminent",
            indicators: [W(text: "業務部門レビューで名寄せの論点が3件以上未決のまま", status: .triggered),
                         W(text: "移行リハーサル計画書の前提条件が未確定", status: .triggered),
                         W(text: "名寄せ誤り（別人統合）のサンプル件数が1%を超える", status: .watching)],
            strategy: "mitigate",
            actions: "1. 名寄せルール決定会議を設定し業務オーナーに判断を仰ぐ (CRM-D1)\n2. 暫定ルール（電話番号＋氏名カナ）で移行ツール開発を先行\n3. 名寄せ候補リストを業務部門が目視確認する手順を用意",
            review: 3, residual: (2, 3), owner: p.tanaka, company: client)
        try await move(.risk, rMatching, by: pmo, day: -88, to: "assessed")
        try await move(.risk, rMatching, by: pmo, day: -40, to: "responding")

        let rSearch = try await risk(pmo, day: -70, "検索画面の応答性能が要件（3秒以内）を満たさない",
            category: "technical",
            cause: "CRMパッケージ標準の顧客検索が部分一致検索で、顧客数約800万件に対してインデックスが効かない。",
            event: "本番相当データで顧客検索の応答が3秒を超える。",
            effect: "コールセンターの平均処理時間（AHT）が延び、受入テストで不合格となる。追加のチューニングや製品追加で費用が増える。",
            probability: 4, schedule: 3, cost: 3, quality: 5, proximity: "imminent",
            indicators: [W(text: "開発環境（10万件）で検索応答が3秒を超えた", status: .triggered),
                         W(text: "性能試験環境のデータ量が本番相当（800万件）に達しない", status: .watching)],
            strategy: "mitigate",
            actions: "インデックス設計の見直しと検索条件の前方一致化 (CRM-D2)。性能試験で未達の場合は全文検索エンジンの導入を再検討する。",
            review: 7, residual: (2, 4), owner: p.ito, company: kaede)
        try await move(.risk, rSearch, by: pmo, day: -60, to: "assessed")
        try await move(.risk, rSearch, by: by(p.ito), day: -18, to: "responding")

        let rTestEnv = try await risk(pmo, day: -50, "結合テスト環境の構築遅れによる結合テスト開始の遅延",
            category: "schedule",
            cause: "クラウド環境の払い出しに社内セキュリティ審査が必要で、申請から払い出しまで最大4週間かかる。",
            event: "結合テスト環境の引き渡しが計画より2週間以上遅れる。",
            effect: "結合テストの開始が遅れ、移行リハーサル1回目と性能試験の日程が後ろ倒しになる。",
            probability: 3, schedule: 4, cost: 2, quality: 2, proximity: "near_term",
            indicators: [W(text: "環境構築チケットの消化率が計画比70%を下回る", status: .triggered),
                         W(text: "セキュリティ審査の差し戻しが2回以上", status: .watching)],
            strategy: "mitigate",
            actions: "構築手順のIaC化で再構築を短縮。審査の事前相談を情報システム部と週次で実施。",
            review: 5, residual: (2, 3), owner: p.yamamoto, company: aoba)
        try await move(.risk, rTestEnv, by: pmo, day: -45, to: "assessed")
        try await move(.risk, rTestEnv, by: by(p.yamamoto), day: -20, to: "responding")

        let rLegacy = try await risk(pmo, day: -80, "現行システム保守ベンダーからのデータ抽出仕様書の提供遅延",
            category: "external",
            cause: "現行CRMの保守ベンダーとは保守契約のみで、移行への協力が契約範囲外。",
            event: "データ抽出仕様書（テーブル定義・コード値一覧）が移行設計の開始までに提供されない。",
            effect: "移行ツールの設計が進まず、移行リハーサルの日程が遅れる。",
            probability: 3, schedule: 4, cost: 3, quality: 2, proximity: "near_term",
            indicators: [W(text: "仕様書提供の回答期限を過ぎても回答がない", status: .triggered),
                         W(text: "保守ベンダーから追加費用の見積が提示される", status: .triggered)],
            strategy: "escalate",
            actions: "さくらリテール情報システム部長から保守ベンダーへ正式に依頼文書を発行。並行して現行DBスキーマの解析を準備。",
            review: -2, residual: nil, owner: p.kim, company: aoba)
        try await move(.risk, rLegacy, by: pmo, day: -72, to: "assessed", ["probability": .integer(4)])
        try await move(.risk, rLegacy, by: pmo, day: -30, to: "responding")

        let rBudget = try await risk(pmo, day: -35, "追加要員とライセンス再見積による予算超過",
            "社内限定: ステアリングコミッティへの報告前のため、ベンダーには非公開。",
            category: "cost",
            cause: "楓システムズの見積差異（追加要員2名）とAobaのライセンス費用の再見積が同時に発生。",
            event: "プロジェクト予算（予備費含む）を約8%超過する。",
            effect: "追加予算の承認が得られない場合、スコープ縮小または稼働延期が必要になる。",
            probability: 3, schedule: 3, cost: 5, quality: 2, proximity: "near_term",
            indicators: [W(text: "予備費の消化率が50%を超える", status: .triggered),
                         W(text: "ベンダーから追加見積が2件以上提出される", status: .triggered)],
            strategy: "escalate",
            actions: "ステアリングコミッティで追加予算を諮る (CRM-D4)。スコープ縮小案（帳票10本を第2期へ）を代替案として準備。",
            review: 5, residual: (2, 3), owner: p.takahashi, company: client, visibility: .internal)
        try await move(.risk, rBudget, by: pmo, day: -30, to: "assessed")

        let rSkill = try await risk(by(p.ito), day: -60, "楓: CRMパッケージ経験者の不足",
            "楓システムズ社内のリスク。要員計画の見直しに関わるため社内限定で管理する。",
            category: "resource",
            cause: "CRMパッケージの導入経験者が社内に3名しかおらず、他案件と兼務。",
            event: "カスタマイズ開発の生産性が計画を下回る。",
            effect: "詳細設計・開発工程が遅延し、品質（レビュー指摘数）も悪化する。",
            probability: 3, schedule: 3, cost: 2, quality: 3, proximity: "near_term",
            indicators: [W(text: "開発生産性が計画比80%を下回る", status: .watching)],
            strategy: "mitigate",
            actions: "製品ベンダーの研修を受講。経験者によるコードレビューを必須化。",
            review: 10, residual: (2, 2), owner: p.ito, company: kaede, visibility: .company(kaede))
        try await move(.risk, rSkill, by: by(p.ito), day: -55, to: "assessed")

        let rFx = try await risk(by(p.kim), day: -25, "Aoba: USD建てライセンス費用の為替変動",
            "Aoba Cloud Services internal: exposure of the USD-denominated licences.",
            category: "cost",
            cause: "監視・バックアップ製品のライセンスがUSD建てで、契約時の為替前提から円安が進行。",
            event: "ライセンス更新時の円換算額が見積を15%以上上回る。",
            effect: "Aobaの原価が増え、さくらリテールへの再見積が必要になる。",
            probability: 2, schedule: 1, cost: 4, quality: 1, proximity: "long_term",
            indicators: [W(text: "為替レートが見積前提を10%以上超える", status: .watching)],
            strategy: "transfer",
            actions: "販売代理店と円建て固定価格での契約を交渉する。",
            review: 20, residual: (1, 3), owner: p.kim, company: aoba, visibility: .company(aoba))
        try await move(.risk, rFx, by: by(p.kim), day: -20, to: "assessed")

        let rIfVersion = try await risk(pmo, day: -42, "IF仕様書の版管理不備による手戻り",
            category: "quality",
            cause: "IF仕様書が3社のファイル共有に分散し、最新版がどれか分からない。",
            event: "古い版のIF仕様で開発・テストが進む。",
            effect: "結合テストで不整合が多発し、改修の手戻りが発生する。",
            probability: 3, schedule: 3, cost: 2, quality: 4, proximity: "imminent",
            indicators: [W(text: "受注連携IFで版ずれが発覚", status: .triggered),
                         W(text: "IF仕様に関するQAが週5件を超える", status: .watching)],
            strategy: "mitigate",
            actions: "IF仕様書の正本をプロジェクト共有サイトに一本化し、版番号と改訂履歴の記載を必須にする。",
            review: 4, residual: (1, 3), owner: p.watanabe, company: kaede)
        try await move(.risk, rIfVersion, by: pmo, day: -30, to: "responding")

        let rCutover = try await risk(pmo, day: -40, "本番切替時の業務停止時間が許容範囲（8時間）を超える",
            category: "technical",
            cause: "一括切替ではデータ移行・検証に約14時間かかる見込み。",
            event: "切替当日に店舗・コールセンターの業務を8時間以上止める必要が生じる。",
            effect: "売上機会の損失と顧客対応の停止。経営層の承認が得られず切替日が決まらない。",
            probability: 2, schedule: 3, cost: 2, quality: 5, proximity: "long_term",
            indicators: [W(text: "移行リハーサル1回目の所要時間が10時間を超える", status: .watching)],
            strategy: "avoid",
            actions: "段階切替（店舗→EC→コールセンター）へ変更 (CRM-D6)。差分移行の仕組みを移行ツールに追加 (CRM-C6)。",
            review: 30, residual: (1, 3), owner: p.kim, company: aoba)
        try await move(.risk, rCutover, by: pmo, day: -35, to: "assessed")
        try await move(.risk, rCutover, by: pmo, day: -12, to: "responding")

        let rPrivacy = try await risk(pmo, day: -65, "テストデータからの個人情報漏えい",
            category: "quality",
            cause: "移行リハーサルや性能試験で本番データを使いたいという要望がある。",
            event: "マスキングされていない顧客情報がベンダー環境に持ち出される。",
            effect: "個人情報保護法上の事故。報告義務と信用失墜。",
            probability: 1, schedule: 2, cost: 5, quality: 5, proximity: "near_term",
            indicators: [W(text: "マスキング手順未確定のままテスト工程に入る", status: .watching)],
            strategy: "avoid",
            actions: "本番データは必ずマスキングしてから提供する方針を決定 (CRM-D9)。持ち出し申請と消去証明を必須にする。",
            review: 14, residual: (1, 4), owner: p.nakamura, company: client)
        try await move(.risk, rPrivacy, by: pmo, day: -50, to: "assessed")
        try await move(.risk, rPrivacy, by: pmo, day: -3, to: "responding")

        let rVersionUp = try await risk(pmo, day: -28, "CRMパッケージ新バージョンの標準機能でカスタマイズを削減できる",
            "Opportunity: the new package release covers several of our planned customisations.",
            type: "opportunity", category: "scope",
            cause: "CRMパッケージの新バージョンで、会員ランク算出と同意管理が標準機能になった。",
            event: "新バージョンを採用し、予定していたカスタマイズ12本のうち4本を標準機能で代替する。",
            effect: "開発費を約600万円削減、保守費も低減できる。",
            probability: 3, schedule: 2, cost: 4, quality: 3, proximity: "near_term",
            indicators: [W(text: "製品ベンダーが新バージョンのGA日を公表", status: .triggered)],
            strategy: "exploit",
            actions: "新バージョンへの影響調査（楓）を完了させ、アーキテクト会議で採否を判断する。",
            review: 9, residual: nil, owner: p.ito, company: kaede)
        try await move(.risk, rVersionUp, by: pmo, day: -21, to: "assessed")

        let rMigrationTool = try await risk(by(p.kim), day: -15, "Aobaの移行自動化ツールの流用で移行リハーサル工数を削減",
            type: "opportunity", category: "resource",
            cause: "Aobaが他社案件で開発した移行検証の自動化ツールが流用できる。",
            event: "件数・金額の突合せを自動化し、リハーサル1回あたりの検証工数を半減する。",
            effect: "移行リハーサルを3回実施しても工数が増えない。",
            probability: 2, schedule: 3, cost: 3, quality: 2, proximity: "long_term",
            indicators: [],
            strategy: "enhance",
            actions: "ツールの利用許諾条件を確認し、移行リハーサル1回目で試行する。",
            review: 21, residual: nil, owner: p.kim, company: aoba)

        let rUat = try await risk(pmo, day: -10, "受入テスト（UAT）要員を業務部門から確保できない",
            category: "resource",
            cause: "UATの時期が年末商戦と重なり、店舗・コールセンターの繁忙期にあたる。",
            event: "UAT参加者が計画の半数以下しか集まらない。",
            effect: "受入テストの網羅性が下がり、稼働後の障害・問い合わせが増える。稼働延期の可能性もある。",
            probability: 4, schedule: 4, cost: 2, quality: 3, proximity: "long_term",
            indicators: [W(text: "各店舗からのUAT参加者推薦が期限までに揃わない", status: .watching),
                         W(text: "営業本部の繁忙期シフトが確定し、UAT期間の休暇取得制限が出る", status: .watching)],
            strategy: "mitigate",
            actions: "営業本部長からUAT参加を業務指示として出してもらう。テストシナリオを優先度で絞り込む。",
            review: 14, residual: (2, 3), owner: p.nakamura, company: client)

        let rVpn = try await risk(pmo, day: -100, "開発環境へのVPN接続許可の遅れ",
            category: "vendor",
            cause: "ベンダー端末からの接続に情報システム部の承認と証明書発行が必要。",
            event: "開発開始日までにVPN接続ができない。",
            effect: "開発着手が遅れる。",
            probability: 2, schedule: 2, cost: 1, quality: 1, proximity: "imminent",
            indicators: [W(text: "証明書の発行申請が未承認", status: .triggered)],
            strategy: "mitigate",
            actions: "申請を前倒しし、暫定的にリモートデスクトップ経由の接続を許可してもらう。",
            review: -40, residual: (1, 1), owner: p.yamamoto, company: aoba)
        try await move(.risk, rVpn, by: pmo, day: -95, to: "responding")
        try await move(.risk, rVpn, by: pmo, day: -38, to: "closed")

        // The legacy vendor did not deliver: the risk occurred and became an issue.
        let (_, legacyIssue) = try await at(-9).items.riskOccurred(pmo, key: key, number: rLegacy, expectedVersion: nil)
        let occurred = ItemReference(projectKey: key, type: .issue, number: legacyIssue.record.number)
        try await comment(.risk, rLegacy, by: pmo, day: -9,
                          "回答期限を過ぎても保守ベンダーから仕様書が届かないため、発生として課題化しました。以後は課題で追跡します。")
        try await comment(.risk, rMatching, by: by(p.tanaka), day: -4,
                          "営業本部・EC推進部とのレビューで、法人顧客の扱いが新たな論点になりました（CRM-Q1）。")
        try await comment(.risk, rSearch, by: by(p.ito), day: -2,
                          "インデックス見直し後、開発環境で平均1.8秒まで改善しました。本番相当データでの確認は性能試験で行います。")

        // MARK: Decisions

        func decision(_ caller: Caller, day: Int, _ title: String, category: String, context: String, options: [DecisionOption],
                      recommendation: String, decider: UserRecord, owner: UserRecord, due: Int?, visibility: Visibility = .project,
                      company: CompanyID?, origin: ItemReference? = nil) async throws -> Int {
            try await create(.decision, by: caller, day: day, title, owner: owner, due: due, visibility: visibility, company: company,
                             origin: origin, ["category": .text(category), "context": .text(context), "options": .options(options),
                                              "recommendation": .text(recommendation), "decider": .user(id(decider))])
        }
        typealias O = DecisionOption
        func decide(_ number: Int, day: Int, decision: String, rationale: String, informed: String) async throws {
            try await move(.decision, number, by: pmo, day: day, to: "decided",
                           ["decision": .text(decision), "rationale": .text(rationale), "informed": .text(informed)])
        }

        let dMatching = try await decision(pmo, day: -20, "顧客名寄せルール（統合キー）の決定", category: DecisionRights.specificationChange,
            context: "新CRMでは顧客を1人1IDに統合する。店舗・EC・コールセンターの顧客データ（約800万件、重複推定12%）をどのキーで名寄せするかを決める必要がある。移行ツールの開発はこの決定待ち。",
            options: [O(title: "A. 電話番号＋氏名カナ＋生年月日で自動名寄せ", pros: "自動化率が高い（推定95%）。移行ツールの改修が小さい。",
                        cons: "電話番号を家族で共有している顧客を誤って統合する恐れ。", cost: 1_200_000, scheduleDays: 0, effortHours: 80),
                      O(title: "B. 会員IDを正とし、非会員は手動で紐付け", pros: "誤統合がない。", cons: "手作業が約9万件。業務部門の負荷が大きい。",
                        cost: 4_500_000, scheduleDays: 15, effortHours: 600),
                      O(title: "C. 外部の名寄せサービスを利用", pros: "精度が高い。", cons: "個人情報の外部提供に法務確認が必要。年額費用が発生。",
                        cost: 6_000_000, scheduleDays: 10, effortHours: 120)],
            recommendation: "案A。ただし一致度の低い候補（約3%）は業務部門が目視確認する手順を追加する。",
            decider: p.takahashi, owner: p.tanaka, due: 2, company: client, origin: issue(1))
        try await move(.decision, dMatching, by: pmo, day: -12, to: "pending")

        let dSearch = try await decision(pmo, day: -24, "検索性能対策の方式", category: "technical",
            context: "開発環境で顧客検索の応答が3秒を超えた (CRM-R\(rSearch))。性能要件（3秒以内、95パーセンタイル）を満たす対策を選ぶ。",
            options: [O(title: "A. インデックス最適化＋検索条件の前方一致化", pros: "追加費用なし。短期間で実施できる。",
                        cons: "部分一致検索ができなくなり、オペレーターの操作が変わる。", cost: 0, scheduleDays: 3, effortHours: 60),
                      O(title: "B. 全文検索エンジンを導入", pros: "部分一致でも高速。将来の拡張性が高い。",
                        cons: "基盤の追加構築と運用が必要（Aoba）。", cost: 3_800_000, scheduleDays: 20, effortHours: 400),
                      O(title: "C. 検索対象を直近5年の顧客に限定", pros: "実装が簡単。", cons: "休眠顧客の問い合わせに対応できない。",
                        cost: 0, scheduleDays: 2, effortHours: 24)],
            recommendation: "案Aを先行し、性能試験で未達なら案Bを再検討する。",
            decider: p.ito, owner: p.ito, due: -10, company: kaede, origin: ref(.risk, rSearch))
        try await move(.decision, dSearch, by: pmo, day: -17, to: "pending")
        try await decide(dSearch, day: -14, decision: "案A（インデックス最適化＋前方一致化）を採用する。性能試験で3秒を超えた場合は案Bを再検討する。",
                         rationale: "追加費用なしで要件を満たす見込みが高い。コールセンターへのヒアリングで、前方一致で業務上問題ないことを確認済み。",
                         informed: "コールセンター長、楓システムズ開発チーム、Aoba基盤チーム")

        let dBackup = try await decision(pmo, day: -16, "基盤のバックアップ方式", category: "technical",
            context: "非機能要件 NFR-05（RPO 24時間、RTO 8時間）を満たすバックアップ方式を決める。DR構成のコスト比較（Aoba）と合わせて判断する。",
            options: [O(title: "A. 日次スナップショット＋ポイントインタイムリカバリ", pros: "RPOを数分まで短縮できる。費用が小さい。",
                        cons: "リージョン障害には対応できない。", cost: 900_000, scheduleDays: 0, effortHours: 40),
                      O(title: "B. Aに加えて別リージョンへ日次複製", pros: "広域災害にも対応。", cons: "年額費用が約1.5倍。",
                        cost: 2_300_000, scheduleDays: 5, effortHours: 80)],
            recommendation: "案B（DR要件を満たすため）。",
            decider: p.takahashi, owner: p.kim, due: -3, company: aoba, origin: issue(3))
        try await move(.decision, dBackup, by: pmo, day: -10, to: "pending")

        let dBudget = try await decision(pmo, day: -12, "追加要員の予算承認（楓システムズ 2名×3か月）", category: "budget",
            context: "見積差異により楓システムズから2名の追加要員の申し入れがあった (CRM-R\(rBudget))。承認しない場合の代替案も併せて諮る。",
            options: [O(title: "A. 追加要員2名を承認", pros: "スケジュールを維持できる。", cons: "予算を約8%超過。",
                        cost: 9_600_000, scheduleDays: 0, effortHours: 960),
                      O(title: "B. スコープ縮小（帳票10本を第2期へ）", pros: "追加費用なし。", cons: "業務部門の合意が必要。第2期の費用が増える。",
                        cost: 0, scheduleDays: 0, effortHours: 0),
                      O(title: "C. 稼働を1か月延期", pros: "追加要員なしで対応できる。", cons: "PMO・基盤の延長費用と現行保守の延長費用が発生。",
                        cost: 4_000_000, scheduleDays: 20, effortHours: 0)],
            recommendation: "案A。稼働時期は経営計画上動かせないため。",
            decider: p.clark, owner: p.takahashi, due: 5, visibility: .internal, company: client, origin: ref(.risk, rBudget))
        try await move(.decision, dBudget, by: pmo, day: -6, to: "pending")

        let dBigBang = try await decision(pmo, day: -95, "本番切替方式：一括切替（ビッグバン）", category: "migration",
            context: "旧CRMから新CRMへの切替方式を決める。",
            options: [O(title: "一括切替", pros: "並行運用が不要。", cons: "業務停止時間が長い。", scheduleDays: 0),
                      O(title: "段階切替", pros: "業務停止時間が短い。", cons: "差分移行と並行運用が必要。", cost: 3_800_000, scheduleDays: 10)],
            recommendation: "一括切替（並行運用の負荷を避けるため）。",
            decider: p.takahashi, owner: p.sato, due: -75, company: client)
        try await move(.decision, dBigBang, by: pmo, day: -85, to: "pending")
        try await decide(dBigBang, day: -78, decision: "本番切替は一括切替（ビッグバン）で行う。",
                         rationale: "並行運用の業務負荷を避けるため。業務停止時間は移行リハーサルで確認する。",
                         informed: "営業本部、情報システム部、楓システムズ、Aoba Cloud Services")

        let dPhased = try await decision(pmo, day: -30, "本番切替方式の見直し：段階切替（店舗→EC→コールセンター）", category: "migration",
            context: "一括切替では業務停止が約14時間となり、許容範囲（8時間）を超える見込み (CRM-R\(rCutover))。CRM-D\(dBigBang) を見直す。",
            options: [O(title: "A. 一括切替のまま、移行処理を並列化", pros: "方式を変えずに済む。", cons: "短縮は最大3時間で、8時間に収まらない。",
                        cost: 1_500_000, scheduleDays: 5, effortHours: 120),
                      O(title: "B. 段階切替（店舗→EC→コールセンター）", pros: "各段階の業務停止を4時間以内にできる。",
                        cons: "差分移行の仕組みが必要。並行運用期間が2週間。", cost: 3_800_000, scheduleDays: 10, effortHours: 320)],
            recommendation: "案B。",
            decider: p.takahashi, owner: p.sato, due: -10, company: client, origin: ref(.risk, rCutover))
        try await move(.decision, dPhased, by: pmo, day: -20, to: "pending")
        try await decide(dPhased, day: -12, decision: "本番切替は段階切替（店舗→EC→コールセンター）とする。CRM-D\(dBigBang) は本決定で置き換える。",
                         rationale: "業務停止時間を許容範囲内に収められる唯一の案。追加費用は予備費で吸収できる。",
                         informed: "営業本部長、店舗運営部、EC推進部、コールセンター、楓システムズ、Aoba Cloud Services")
        try await move(.decision, dBigBang, by: pmo, day: -12, to: "superseded")

        let dPdf = try await decision(pmo, day: -40, "帳票のPDF電子化（紙帳票の廃止）", category: DecisionRights.specificationChange,
            context: "店舗で印刷している顧客カルテ等の帳票をPDF化し、紙を廃止する提案。店舗端末の更改計画と関係する。",
            options: [O(title: "A. 今回のプロジェクトで実施", pros: "印刷コスト削減。", cons: "スコープ増。店舗端末の更改前では効果が小さい。",
                        cost: 2_800_000, scheduleDays: 15, effortHours: 240),
                      O(title: "B. 第2期（店舗端末更改後）で実施", pros: "端末更改と合わせて効果が大きい。", cons: "紙運用が1年続く。")],
            recommendation: "案B。",
            decider: p.takahashi, owner: p.nakamura, due: -20, company: client)
        try await move(.decision, dPdf, by: pmo, day: -25, to: "deferred",
                       ["rationale": .text("店舗端末の更改（第2期）と合わせて再検討する。")])
        var redate = RegisterItemPatch()
        redate.dueDate = .some(today.adding(days: 180))
        _ = try await at(-25).items.updateRegisterItem(pmo, key: key, kind: .decision, number: dPdf, expectedVersion: nil, patch: redate)

        let dPerf = try await decision(pmo, day: -7, "性能試験の前提（ピーク時同時接続数）", category: "schedule",
            context: "性能試験シナリオの合意が遅れている（課題「性能試験シナリオの合意」）。年末セール時のピークをどう見込むかで、試験環境の規模と日程が変わる。",
            options: [O(title: "A. 平常時ピーク（同時接続 300）", pros: "試験環境が小さく済む。", cons: "年末セールで性能不足の恐れ。",
                        cost: 0, scheduleDays: 0, effortHours: 40),
                      O(title: "B. 年末セール時ピーク（同時接続 800）", pros: "最大負荷を確認できる。", cons: "負荷生成環境の追加費用。",
                        cost: 700_000, scheduleDays: 5, effortHours: 80)],
            recommendation: "案B。年末セール時の障害は影響が大きいため。",
            decider: p.takahashi, owner: p.takahashi, due: 7, company: client, origin: issue(17))

        let dMasking = try await decision(pmo, day: -15, "テストデータのマスキング方針", category: "technical",
            context: "移行リハーサル・性能試験で本番データを使うかどうか (CRM-R\(rPrivacy))。",
            options: [O(title: "A. 本番データをマスキングして使用", pros: "データ量・分布が本番と同じ。", cons: "マスキング作業が毎回必要。",
                        cost: 500_000, scheduleDays: 3, effortHours: 60),
                      O(title: "B. ダミーデータを生成", pros: "漏えいリスクなし。", cons: "名寄せなど実データ特有の問題が見つからない。",
                        cost: 300_000, scheduleDays: 5, effortHours: 80)],
            recommendation: "案A。移行リハーサルは実データでないと意味がない。",
            decider: p.takahashi, owner: p.nakamura, due: -2, company: client, origin: issue(13))
        try await move(.decision, dMasking, by: pmo, day: -8, to: "pending")
        try await decide(dMasking, day: -3, decision: "本番データは氏名・電話番号・住所・メールアドレスをマスキングしたうえで使用する。マスキングはさくらリテール社内で実施し、ベンダーへはマスキング後のデータのみ提供する。",
                         rationale: "移行の品質確認には実データの分布が必要。マスキングを社内で行うことで個人情報の持ち出しを防ぐ。",
                         informed: "情報システム部、法務部、楓システムズ、Aoba Cloud Services")

        let dOutsource = try await decision(pmo, day: -50, "受入テストの外部委託", category: "budget",
            context: "UAT要員不足への対策として、第三者検証会社への委託を検討した。",
            options: [O(title: "A. 第三者検証会社へ委託", pros: "業務部門の負荷を減らせる。", cons: "業務知識がなく、受入の意味が薄れる。",
                        cost: 8_000_000, scheduleDays: 0, effortHours: 0),
                      O(title: "B. 業務部門で実施し、PMOがテスト支援", pros: "業務視点で確認できる。", cons: "業務部門の負荷。")],
            recommendation: "案B。",
            decider: p.clark, owner: p.sato, due: -35, visibility: .internal, company: client)
        try await move(.decision, dOutsource, by: pmo, day: -45, to: "pending")
        try await move(.decision, dOutsource, by: pmo, day: -38, to: "rejected",
                       ["rationale": .text("ステアリングコミッティにて、受入は業務部門自らが行うべきとの判断。外部委託案は不採用。")])

        // MARK: Questions (QA表)

        func question(_ asker: UserRecord, day: Int, _ title: String, _ description: String, to addressee: UserRecord?,
                      company: CompanyID?, relatedTo: String, blocks: Bool = false, due: Int?,
                      visibility: Visibility = .project) async throws -> Int {
            var d: [String: RegisterValue] = ["askedBy": .user(try id(asker)), "relatedTo": .text(relatedTo), "blocksWork": .bool(blocks)]
            if let addressee { d["addressedTo"] = .user(try id(addressee)) }
            if let company { d["addressedCompany"] = .company(company) }
            return try await create(.question, by: by(asker), day: day, title, description, owner: addressee, due: due,
                                    visibility: visibility, company: company, d)
        }
        func answer(_ number: Int, by who: UserRecord, day: Int, _ text: String) async throws {
            try await move(.question, number, by: by(who), day: day, to: "answered", ["answer": .text(text)])
        }

        let qCorporate = try await question(p.watanabe, day: -9, "法人顧客・個人事業主の名寄せ上の扱い",
            "法人顧客（担当者個人）と個人事業主を、個人顧客と同じIDに統合するか別管理にするか、ご指示ください。", to: p.tanaka, company: client,
            relatedTo: "REQ-012 顧客統合", blocks: true, due: -4)
        let qPoints = try await question(p.ito, day: -60, "ポイント履歴の移行対象期間",
            "現行システムには12年分のポイント履歴があります。移行対象の期間をご指示ください。", to: p.tanaka, company: client,
            relatedTo: "MIG-03 ポイント移行", due: -50)
        try await answer(qPoints, by: p.tanaka, day: -52, "直近3年分の履歴と現在のポイント残高を移行します。失効済みポイントは移行しません。")
        try await move(.question, qPoints, by: by(p.ito), day: -50, to: "confirmed")
        let qOrderIf = try await question(p.kim, day: -30, "受注連携IFの送信タイミング（リアルタイム／バッチ）",
            "IF-07の仕様書 v1.2 では夜間バッチ、打合せ資料ではリアルタイムとなっています。どちらが正でしょうか。", to: p.ito, company: kaede,
            relatedTo: "IF-07 基幹連携", blocks: true, due: -22)
        try await answer(qOrderIf, by: p.ito, day: -21,
                         "受注確定時にリアルタイム（REST API）で送信し、夜間に差分バッチで整合チェックを行う方式とします。IF仕様書を v1.3 に改訂します。")
        let qRank = try await question(p.tanaka, day: -6, "会員ランクの算出タイミング",
            "会員ランクは購買の都度再計算されますか、それとも月次バッチでの再計算ですか。店舗の案内文に影響します。", to: p.ito, company: kaede,
            relatedTo: "REQ-021 会員ランク", due: 3)
        try await answer(qRank, by: p.ito, day: -1,
                         "現行バージョンでは月次バッチ（毎月1日）で前月までの累計購買額から再計算します。新バージョン v12 では購買の都度の再計算が標準機能です。")
        let qRetention = try await question(p.sato, day: -18, "バックアップの保管期間",
            "NFR-05 の保管期間について、推奨値と費用への影響を教えてください。", to: p.kim, company: aoba,
            relatedTo: "NFR-05 可用性・バックアップ", due: -12)
        try await answer(qRetention, by: p.kim, day: -13,
                         "Daily backups kept for 35 days and monthly backups for 13 months are recommended. 日次35日・月次13か月で、費用は月額約18万円の見込みです。")
        try await move(.question, qRetention, by: pmo, day: -12, to: "confirmed")
        let qChart = try await question(p.watanabe, day: -26, "帳票「顧客カルテ」の出力項目",
            "現行の顧客カルテに無い「生年月日」「直近10件の来店履歴」を追加したいとのご要望がありました。帳票設計書 v1.0 に含まれていないため確認させてください。",
            to: p.nakamura, company: client, relatedTo: "RPT-04 顧客カルテ", due: -19)
        try await answer(qChart, by: p.nakamura, day: -19, "両項目とも追加してください。店舗での接客に必要です。")
        try await move(.question, qChart, by: by(p.watanabe), day: -17, to: "confirmed")
        let qShutdown = try await question(p.kim, day: -8, "旧システムの停止日と並行稼働期間",
            "段階切替に伴い、旧CRMを何日まで参照可能とするか決めてください。移行ツールの差分移行の設計に必要です。", to: p.tanaka, company: client,
            relatedTo: "MIG-01 移行方式", blocks: true, due: -1)
        let qMonitoring = try await question(p.nakamura, day: -14, "監視アラートの通知先と夜間の連絡体制",
            "夜間にアラートが発生した場合の一次連絡先と、さくらリテール側へのエスカレーション基準を教えてください。", to: p.yamamoto, company: aoba,
            relatedTo: "OPS-02 運用監視", due: -7)
        try await answer(qMonitoring, by: p.yamamoto, day: -8,
                         "一次対応はAobaの24時間監視センターが行います。重要度Aのアラートは30分以内に情報システム部の当番者へ電話連絡します。")
        try await move(.question, qMonitoring, by: by(p.nakamura), day: -6, to: "confirmed")
        let qOptOut = try await question(p.watanabe, day: -45, "DM配信停止フラグの引継ぎ",
            "現行システムのDM配信停止フラグを、新CRMの同意管理（メール・郵送・電話）のどれに対応付けるか確認させてください。", to: p.tanaka, company: client,
            relatedTo: "REQ-015 同意管理（個人情報保護法）", due: -38)
        try await answer(qOptOut, by: p.tanaka, day: -40, "現行の配信停止フラグは郵送DMのみが対象です。メール・電話は未同意として移行してください。")
        try await move(.question, qOptOut, by: by(p.watanabe), day: -39, to: "confirmed")
        try await move(.question, qOptOut, by: pmo, day: -30, to: "closed")
        let qConcurrency = try await question(p.sato, day: -5, "性能試験で想定する同時接続数",
            "年末セール時のピーク同時接続数の見込みと、その根拠となるアクセスログの期間を教えてください。", to: p.ito, company: kaede,
            relatedTo: "NFR-02 性能", due: 5)
        let qSupport = try await question(p.watanabe, day: -20, "楓社内: CRMパッケージ v12 のサポート期限",
            "現行採用の v11 のサポート期限が稼働後2年で切れるため、v12 採用の可否を確認したい。", to: p.ito, company: kaede,
            relatedTo: "ARC-01 製品バージョン", due: -14, visibility: .company(kaede))
        try await answer(qSupport, by: p.ito, day: -15, "v12 の標準サポートは稼働後6年まで。影響調査を実施し、アーキテクト会議に諮る。")
        try await move(.question, qSupport, by: by(p.watanabe), day: -14, to: "confirmed")
        let qLicences = try await question(p.yamamoto, day: -4, "Aoba社内: 移行ツールのライセンス数",
            "移行リハーサルを3回実施する場合、移行ツールのライセンスを追加購入する必要があるか。", to: p.kim, company: aoba,
            relatedTo: "MIG-05 移行リハーサル", due: 6, visibility: .company(aoba))
        let qAddress = try await question(p.nakamura, day: -33, "住所検索APIの切替方針",
            "外部の住所検索APIの契約更新に合わせて、新CRM側の接続先を切り替える必要がありますか。", to: p.watanabe, company: kaede,
            relatedTo: "IF-11 住所検索API", due: -25)
        try await move(.question, qAddress, by: by(p.nakamura), day: -28, to: "closed")
        try await comment(.question, qAddress, by: by(p.nakamura), day: -28, "課題「外部API（住所検索）の契約更新」で扱うことになったため取り下げます。")
        let qFirewall = try await question(p.ito, day: -35, "本番環境のIPアドレス帯とFW申請手順",
            "受注連携で基幹システムへ接続するため、本番環境の送信元IPアドレス帯とファイアウォール申請の手順を教えてください。", to: p.yamamoto, company: aoba,
            relatedTo: "IF-07 基幹連携", due: -28)
        try await answer(qFirewall, by: p.yamamoto, day: -29, "送信元は 10.20.8.0/24 です。FW申請は情報システム部の申請フォームで、リードタイムは10営業日です。")
        try await move(.question, qFirewall, by: by(p.ito), day: -27, to: "confirmed")
        let qRehearsalData = try await question(p.kim, day: -10, "移行リハーサルで使用する本番データの取扱い",
            "移行リハーサル1回目で本番データを使用してよいか、マスキングの要否を含めて確認させてください。", to: p.tanaka, company: client,
            relatedTo: "MIG-05 移行リハーサル", blocks: true, due: -2)
        try await answer(qRehearsalData, by: p.tanaka, day: -3,
                         "CRM-D\(dMasking) のとおり、さくらリテール社内でマスキングしたデータを提供します。提供日は別途調整します。")
        let qCti = try await question(p.tanaka, day: -2, "コールセンターCTI連携の着信ポップアップ",
            "着信時に顧客情報を自動表示（ポップアップ）できますか。CTI製品はコールセンターで現在利用中のものです。", to: nil, company: kaede,
            relatedTo: "IF-09 CTI連携", due: 10)

        // Two answers change the specification: they become change requests, linked both ways.
        func toChange(_ number: Int, day: Int) async throws -> Int {
            try await at(day).items.questionToChange(pmo, key: key, number: number).record.number
        }
        let cOrderIf = try await toChange(qOrderIf, day: -20)
        let cChart = try await toChange(qChart, day: -16)
        try await move(.question, qOrderIf, by: by(p.kim), day: -19, to: "confirmed")

        // MARK: Change requests

        func impact(_ number: Int, day: Int, to status: String, by caller: Caller,
                    _ details: [String: RegisterValue?] = [:]) async throws {
            try await move(.change, number, by: caller, day: day, to: status, details)
        }
        try await impact(cOrderIf, day: -19, to: "assessing", by: pmo, [
            "affectedDocuments": .text("IF仕様書（受注連携） v1.2 → v1.3\n基本設計書 4.3章 外部インターフェース\n結合テスト仕様書 IF-07"),
            "affectedSystems": .text("新CRM、基幹受注システム、連携基盤（Aoba）"),
            "costImpact": .number(2_400_000), "impactScheduleDays": .integer(5), "impactEffortHours": .number(160),
            "specificationVersion": .text("IF仕様書（受注連携） v1.3"),
        ])
        try await impact(cOrderIf, day: -15, to: "approved", by: pm)
        try await impact(cChart, day: -14, to: "assessing", by: pmo, [
            "affectedDocuments": .text("帳票設計書 v1.0 → v1.1（RPT-04 顧客カルテ）"),
            "affectedSystems": .text("新CRM（帳票機能）"),
            "costImpact": .number(600_000), "impactScheduleDays": .integer(2), "impactEffortHours": .number(40),
            "specificationVersion": .text("帳票設計書 v1.1"),
        ])

        let cSearch = try await create(.change, by: by(p.ito), day: -13, "顧客検索の検索条件を前方一致に変更",
            "CRM-D\(dSearch) の決定に基づき、顧客検索画面の氏名・電話番号の検索を部分一致から前方一致に変更する。",
            owner: p.ito, company: kaede, origin: ref(.decision, dSearch), [
                "reason": .text("検索性能要件（3秒以内）を満たすため。"), "requestedBy": .text("伊藤 翔（楓システムズ）"),
                "affectedDocuments": .text("基本設計書 v1.2 → v1.3（画面設計 SC-031 顧客検索）\n操作マニュアル（コールセンター編）"),
                "affectedSystems": .text("新CRM"), "affectedRequirements": .text("REQ-030 顧客検索、NFR-02 性能"),
                "costImpact": .number(0), "impactScheduleDays": .integer(1), "impactEffortHours": .number(24),
                "specificationVersion": .text("基本設計書 v1.3"),
            ])
        try await impact(cSearch, day: -12, to: "assessing", by: pmo)
        try await impact(cSearch, day: -10, to: "approved", by: pm)
        try await impact(cSearch, day: -2, to: "implemented", by: pmo)

        let cPoints = try await create(.change, by: pmo, day: -49, "ポイント履歴の移行対象を直近3年分に限定",
            "CRM-Q\(qPoints) の回答により、ポイント履歴の移行対象を全期間から直近3年分に変更する。",
            owner: p.kim, company: aoba, origin: ref(.question, qPoints), [
                "reason": .text("業務オーナーの判断により、3年より前の履歴は参照不要となったため。移行時間も短縮できる。"),
                "requestedBy": .text("営業本部 田中"),
                "affectedDocuments": .text("移行計画書 v1.1 → v1.2\n移行設計書（ポイント）"),
                "affectedSystems": .text("移行ツール、新CRM"), "affectedRequirements": .text("MIG-03 ポイント移行"),
                "costImpact": .number(0), "impactScheduleDays": .integer(-3), "impactEffortHours": .number(0),
                "specificationVersion": .text("移行計画書 v1.2"),
            ])
        try await impact(cPoints, day: -48, to: "assessing", by: pmo)
        try await impact(cPoints, day: -45, to: "approved", by: pm)
        try await impact(cPoints, day: -30, to: "implemented", by: pmo)

        let cPdf = try await create(.change, by: pmo, day: -38, "帳票のPDF電子化（紙帳票の廃止）",
            "店舗運営部からの要望。CRM-D\(dPdf) で第2期へ延期と判断。",
            owner: p.nakamura, company: client, [
                "reason": .text("店舗の印刷コスト削減とペーパーレス化。"), "requestedBy": .text("店舗運営部"),
                "affectedDocuments": .text("帳票設計書（全12帳票）"), "affectedSystems": .text("新CRM、店舗端末"),
                "affectedRequirements": .text("RPT-01〜RPT-12"),
                "costImpact": .number(2_800_000), "impactScheduleDays": .integer(15), "impactEffortHours": .number(240),
                "specificationVersion": .text("帳票設計書 v1.0"),
            ])
        try await impact(cPdf, day: -30, to: "assessing", by: pmo)
        try await impact(cPdf, day: -25, to: "rejected", by: pm)

        let cDelta = try await create(.change, by: pmo, day: -8, "段階切替に伴う差分移行機能の追加",
            "CRM-D\(dPhased) により段階切替となったため、移行ツールに差分移行と並行稼働期間中の同期の機能を追加する。",
            owner: p.kim, company: aoba, origin: ref(.decision, dPhased), [
                "reason": .text("本番切替方式の変更（一括切替 → 段階切替）。"), "requestedBy": .text("PMO 佐藤"),
                "affectedDocuments": .text("移行計画書 v1.2 → v1.3\n移行設計書\n本番切替手順書"),
                "affectedSystems": .text("移行ツール、旧CRM、新CRM"), "affectedRequirements": .text("MIG-01 移行方式、MIG-05 移行リハーサル"),
                "costImpact": .number(3_800_000), "impactScheduleDays": .integer(10), "impactEffortHours": .number(320),
                "specificationVersion": .text("移行計画書 v1.3"),
            ])

        // MARK: Action items

        func action(_ day: Int, _ title: String, owner: UserRecord, due: Int, origin: ItemReference?, company: CompanyID?,
                    visibility: Visibility = .project, creator: UserRecord? = nil, status: [(Int, String)] = [],
                    description: String = "") async throws -> Int {
            let n = try await create(.action, by: by(creator ?? p.sato), day: day, title, description, owner: owner, due: due,
                                     visibility: visibility, company: company, origin: origin, [:])
            for (when, s) in status {
                try await move(.action, n, by: by(owner), day: when, to: s)
            }
            return n
        }
        let aCompare = try await action(-14, "名寄せルール案（3案）の比較資料作成", owner: p.tanaka, due: -6,
            origin: ref(.risk, rMatching), company: client, status: [(-10, "in_progress"), (-7, "done")])
        let aMeeting = try await action(-10, "名寄せルール決定会議の設定（営業本部長・EC推進部長）", owner: p.takahashi, due: 1,
            origin: ref(.decision, dMatching), company: client, status: [(-5, "in_progress")])
        _ = try await action(-14, "検索画面のインデックス設計見直し", owner: p.watanabe, due: 4,
            origin: ref(.decision, dSearch), company: kaede, status: [(-12, "in_progress")])
        let aPerfData = try await action(-15, "性能試験用データ（800万件）の生成", owner: p.yamamoto, due: -2,
            origin: ref(.risk, rSearch), company: aoba, status: [(-8, "in_progress")])
        _ = try await action(-25, "結合テスト環境の構築完了報告", owner: p.yamamoto, due: -3,
            origin: issue(4), company: aoba, status: [(-20, "in_progress")])
        _ = try await action(-6, "結合テスト開始日の再調整案の作成", owner: p.sato, due: 2,
            origin: ref(.risk, rTestEnv), company: client)
        _ = try await action(-9, "現行保守ベンダーへの正式依頼文書の発行（データ抽出仕様書）", owner: p.takahashi, due: -1,
            origin: occurred, company: client)
        _ = try await action(-8, "DBスキーマ解析による抽出仕様の代替案検討", owner: p.kim, due: 5,
            origin: occurred, company: aoba, status: [(-6, "in_progress")],
            description: "Fallback: reverse-engineer the legacy schema if the extraction spec is not delivered.")
        _ = try await action(-5, "ステアリングコミッティ報告資料（予算超過見込み）の作成", owner: p.sato, due: 3,
            origin: ref(.risk, rBudget), company: client, visibility: .internal, status: [(-3, "in_progress")])
        _ = try await action(-55, "楓: CRMパッケージ研修の受講計画", owner: p.ito, due: -40,
            origin: ref(.risk, rSkill), company: kaede, visibility: .company(kaede), creator: p.ito, status: [(-42, "done")])
        _ = try await action(-18, "Aoba: 円建て固定価格の見積依頼（販売代理店）", owner: p.kim, due: 7,
            origin: ref(.risk, rFx), company: aoba, visibility: .company(aoba), creator: p.kim)
        _ = try await action(-30, "IF仕様書の版管理ルールの周知（正本の場所・版番号）", owner: p.watanabe, due: -20,
            origin: ref(.risk, rIfVersion), company: kaede, status: [(-22, "done")])
        let aIfReview = try await action(-14, "IF仕様書（受注連携） v1.3 の3社レビュー", owner: p.kim, due: 6,
            origin: ref(.change, cOrderIf), company: aoba, status: [(-4, "in_progress")])
        _ = try await action(-15, "バックアップ方式の比較表の作成", owner: p.kim, due: -11,
            origin: ref(.decision, dBackup), company: aoba, status: [(-11, "done")])
        _ = try await action(-9, "UAT参加者の推薦依頼（各店舗・コールセンター）", owner: p.nakamura, due: 10,
            origin: ref(.risk, rUat), company: client)
        _ = try await action(-3, "テストデータのマスキング手順書の作成", owner: p.nakamura, due: 8,
            origin: ref(.decision, dMasking), company: client, status: [(-2, "in_progress")])
        let aPerfScenario = try await action(-12, "性能試験シナリオ案（年末セール時ピーク）の作成", owner: p.ito, due: -1,
            origin: issue(17), company: kaede, status: [(-9, "in_progress")])
        _ = try await action(-4, "移行判定基準（Go/No-Go）ドラフトの作成", owner: p.sato, due: 14,
            origin: issue(29), company: client)
        _ = try await action(-20, "監視項目一覧のレビュー", owner: p.nakamura, due: -4,
            origin: issue(15), company: client, status: [(-10, "in_progress"), (-5, "done")])
        _ = try await action(-115, "キックオフ議事録の配布", owner: p.sato, due: -112,
            origin: issue(23), company: client, status: [(-113, "done")])
        let aBriefing = try await action(-15, "旧システム停止に伴う社内説明会の調整", owner: p.tanaka, due: 20,
            origin: issue(9), company: client, visibility: .internal)
        _ = try await action(-11, "段階切替の店舗グルーピング案の作成", owner: p.tanaka, due: 12,
            origin: ref(.decision, dPhased), company: client, status: [(-6, "in_progress")])
        _ = try await action(-2, "CTI製品ベンダーへの連携仕様の問い合わせ", owner: p.nakamura, due: 7,
            origin: ref(.question, qCti), company: client, status: [(-1, "cancelled")],
            description: "楓システムズがCRM-Q\(qCti)で製品ベンダーに確認することになったため取り消し。")
        _ = try await action(-7, "CIO向け英語サマリー（月次報告）の作成", owner: p.sato, due: 0,
            origin: nil, company: client, visibility: .internal, status: [(-1, "in_progress")],
            description: "Monthly one-page summary in English for the CIO: top risks, pending decisions, budget forecast.")

        // MARK: More links

        try await link(.issue, issues[0], .causes, ref(.risk, rMatching), day: -96)
        try await link(.issue, issues[3], .causes, ref(.risk, rTestEnv), day: -50)
        try await link(.risk, rBudget, .relatesTo, issue(8), day: -35)
        try await link(.risk, rIfVersion, .relatesTo, issue(10), day: -42)
        try await link(.risk, rSkill, .relatesTo, issue(6), day: -60)
        try await link(.risk, rFx, .relatesTo, issue(7), day: -25)
        try await link(.risk, rVersionUp, .relatesTo, issue(18), day: -28)
        try await link(.risk, rVpn, .relatesTo, issue(24), day: -100)
        try await link(.risk, rPrivacy, .relatesTo, issue(13), day: -65)
        try await link(.decision, dMatching, .resolves, issue(1), day: -20)
        try await link(.decision, dSearch, .resolves, issue(2), day: -14)
        try await link(.decision, dPhased, .relatesTo, ref(.decision, dBigBang), day: -12)
        try await link(.decision, dBudget, .resolves, issue(8), day: -12)
        try await link(.change, cOrderIf, .resolves, issue(10), day: -15)
        try await link(.change, cPdf, .relatesTo, ref(.decision, dPdf), day: -25)
        try await link(.change, cDelta, .relatesTo, ref(.risk, rCutover), day: -8)
        try await link(.question, qCorporate, .blocks, ref(.decision, dMatching), day: -9)
        try await link(.question, qCorporate, .relatesTo, issue(1), day: -9)
        try await link(.question, qShutdown, .blocks, ref(.action, aBriefing), day: -8)
        try await link(.question, qRetention, .relatesTo, ref(.decision, dBackup), day: -13)
        try await link(.question, qRehearsalData, .relatesTo, ref(.decision, dMasking), day: -3)
        try await link(.question, qConcurrency, .blocks, ref(.action, aPerfScenario), day: -5)
        try await link(.question, qConcurrency, .relatesTo, ref(.decision, dPerf), day: -5)
        try await link(.question, qRank, .relatesTo, ref(.risk, rVersionUp), day: -6)
        try await link(.question, qSupport, .relatesTo, ref(.risk, rVersionUp), day: -15)
        try await link(.question, qLicences, .relatesTo, ref(.risk, rMigrationTool), day: -4)
        try await link(.question, qFirewall, .relatesTo, ref(.change, cOrderIf), day: -27)
        try await link(.question, qMonitoring, .relatesTo, issue(15), day: -14)
        try await link(.question, qOptOut, .relatesTo, ref(.risk, rPrivacy), day: -45)
        try await link(.risk, rTestEnv, .blocks, ref(.action, aPerfData), day: -8)
        try await link(.risk, rUat, .relatesTo, issue(20), day: -10)
        try await link(.action, aCompare, .relatesTo, ref(.decision, dMatching), day: -7)
        try await link(.action, aMeeting, .relatesTo, ref(.question, qCorporate), day: -5)
        try await link(.action, aIfReview, .relatesTo, issue(10), day: -4)
        try await link(.risk, rMigrationTool, .relatesTo, issue(11), day: -15)
    }
}
