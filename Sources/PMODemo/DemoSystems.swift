import Foundation
import PMOCore
import PMOStore

/// The demo's systems and interfaces: the CRM renewal's twelve systems (new, changed, to be retired and external)
/// and its forty interfaces (the IF一覧) between them, at every stage from identified to accepted, a few past their
/// design deadline without agreement, and five business functions each with the interfaces it uses in order (their
/// sequence diagrams), written through the store like everything else.
enum DemoSystems {
    struct System {
        var code, name, kind, department: String
        var builtBy, runBy: CompanyID?
        var status: String
    }

    struct Interface {
        var from, to, title, method, status: String
        var frequency, data: String
        /// Design deadline, in days from today.
        var due: Int
        var twoWay = false
    }

    static func load(into store: Store, key: String, pmo: Caller, pm: Caller, owners: [UserID], client: CompanyID, kaede: CompanyID,
                     aoba: CompanyID, today: CalendarDate) async throws {
        let systems: [System] = [
            System(code: "CRM", name: "新CRM", kind: "new", department: "営業企画部", builtBy: kaede, runBy: aoba, status: "building"),
            System(code: "MBR", name: "会員ポータル", kind: "new", department: "EC事業部", builtBy: kaede, runBy: aoba, status: "building"),
            System(code: "CTI", name: "コールセンターCTI", kind: "changed", department: "お客様相談室", builtBy: aoba, runBy: aoba, status: "testing"),
            System(code: "ERP", name: "基幹（販売管理）", kind: "changed", department: "情報システム部", builtBy: kaede, runBy: client, status: "live"),
            System(code: "OLD", name: "旧顧客管理", kind: "retired", department: "営業企画部", builtBy: nil, runBy: client, status: "live"),
            System(code: "POS", name: "店舗POS", kind: "changed", department: "店舗運営部", builtBy: nil, runBy: client, status: "live"),
            System(code: "EC", name: "ECサイト", kind: "changed", department: "EC事業部", builtBy: aoba, runBy: aoba, status: "live"),
            System(code: "EAI", name: "データ連携基盤", kind: "new", department: "情報システム部", builtBy: aoba, runBy: aoba, status: "building"),
            System(code: "DWH", name: "分析基盤（DWH）", kind: "changed", department: "マーケティング部", builtBy: aoba, runBy: aoba, status: "planned"),
            System(code: "IDP", name: "認証基盤（SSO）", kind: "new", department: "情報システム部", builtBy: aoba, runBy: aoba, status: "testing"),
            System(code: "ADR", name: "住所検索API", kind: "external", department: "", builtBy: nil, runBy: nil, status: "live"),
            System(code: "MAIL", name: "メール配信サービス", kind: "external", department: "", builtBy: nil, runBy: nil, status: "live"),
        ]
        var number: [String: Int] = [:]
        for (i, s) in systems.enumerated() {
            var details: [String: RegisterValue] = ["code": .text(s.code), "systemKind": .text(s.kind)]
            if !s.department.isEmpty { details["ownerDepartment"] = .text(s.department) }
            if let c = s.builtBy { details["builtBy"] = .company(c) }
            if let c = s.runBy { details["runBy"] = .company(c) }
            let fields = RegisterItemFields(title: s.name, description: "", status: s.status, ownerID: owners[i % owners.count],
                                            companyID: s.builtBy ?? s.runBy, details: details)
            number[s.code] = try await store.items.createRegisterItem(pmo, key: key, kind: .system, fields: fields).record.number
        }
        let builder = Dictionary(uniqueKeysWithValues: systems.map { ($0.code, $0.builtBy ?? $0.runBy) })

        let interfaces: [Interface] = [
            .init(from: "ERP", to: "CRM", title: "顧客マスタ連携", method: "file", status: "connection_tested", frequency: "日次 02:00", data: "顧客・取引先", due: -60),
            .init(from: "ERP", to: "CRM", title: "受注実績連携", method: "file", status: "built", frequency: "日次 03:00", data: "受注明細", due: -45),
            .init(from: "CRM", to: "ERP", title: "与信照会", method: "api", status: "agreed", frequency: "都度（商談登録時）", data: "与信枠", due: -20),
            .init(from: "OLD", to: "CRM", title: "顧客データ移行", method: "file", status: "designing", frequency: "移行時 1 回", data: "顧客・対応履歴", due: -5),
            .init(from: "OLD", to: "CRM", title: "対応履歴移行", method: "file", status: "designing", frequency: "移行時 1 回", data: "問い合わせ履歴", due: 10),
            .init(from: "CTI", to: "CRM", title: "着信ポップアップ", method: "api", status: "connection_tested", frequency: "着信時", data: "発信者番号", due: -70),
            .init(from: "CRM", to: "CTI", title: "応対記録の登録", method: "api", status: "built", frequency: "通話終了時", data: "応対メモ", due: -40),
            .init(from: "CTI", to: "DWH", title: "通話ログ連携", method: "file", status: "identified", frequency: "日次", data: "通話ログ", due: 30),
            .init(from: "MBR", to: "CRM", title: "会員登録連携", method: "message_queue", status: "built", frequency: "都度", data: "会員情報", due: -35),
            .init(from: "CRM", to: "MBR", title: "会員ランク配信", method: "message_queue", status: "agreed", frequency: "月次", data: "会員ランク", due: -15),
            .init(from: "MBR", to: "IDP", title: "ログイン認証", method: "api", status: "connection_tested", frequency: "都度", data: "認証トークン", due: -50, twoWay: true),
            .init(from: "CRM", to: "IDP", title: "社員SSO", method: "api", status: "built", frequency: "都度", data: "認証トークン", due: -30, twoWay: true),
            .init(from: "MBR", to: "ADR", title: "住所検索", method: "api", status: "accepted", frequency: "都度", data: "郵便番号・住所", due: -90),
            .init(from: "CRM", to: "ADR", title: "住所正規化", method: "api", status: "agreed", frequency: "都度", data: "住所", due: -10),
            .init(from: "CRM", to: "MAIL", title: "キャンペーンメール配信", method: "api", status: "designing", frequency: "キャンペーン毎", data: "配信リスト", due: -3),
            .init(from: "MBR", to: "MAIL", title: "会員向け通知", method: "api", status: "agreed", frequency: "都度", data: "通知文面", due: -12),
            .init(from: "POS", to: "EAI", title: "店舗売上集信", method: "file", status: "built", frequency: "日次 23:30", data: "売上明細", due: -55),
            .init(from: "EAI", to: "CRM", title: "購買履歴連携", method: "file", status: "designing", frequency: "日次 04:00", data: "購買履歴", due: 5),
            .init(from: "EAI", to: "DWH", title: "売上データ連携", method: "db_link", status: "identified", frequency: "日次", data: "売上・顧客", due: 40),
            .init(from: "EC", to: "EAI", title: "EC受注集信", method: "file", status: "agreed", frequency: "1 時間毎", data: "EC受注", due: -18),
            .init(from: "EAI", to: "ERP", title: "EC受注の基幹登録", method: "file", status: "agreed", frequency: "1 時間毎", data: "受注", due: -18),
            .init(from: "EC", to: "MBR", title: "会員ID連携", method: "api", status: "built", frequency: "都度", data: "会員ID", due: -28),
            .init(from: "MBR", to: "EC", title: "ポイント残高照会", method: "api", status: "designing", frequency: "都度", data: "ポイント残高", due: 14),
            .init(from: "CRM", to: "DWH", title: "顧客属性連携", method: "db_link", status: "identified", frequency: "日次", data: "顧客属性", due: 45),
            .init(from: "DWH", to: "CRM", title: "顧客スコア還元", method: "file", status: "identified", frequency: "週次", data: "スコア", due: 60),
            .init(from: "ERP", to: "EAI", title: "商品マスタ配信", method: "file", status: "built", frequency: "日次 01:00", data: "商品マスタ", due: -42),
            .init(from: "EAI", to: "EC", title: "商品マスタ連携（EC）", method: "file", status: "built", frequency: "日次 01:30", data: "商品マスタ", due: -42),
            .init(from: "EAI", to: "POS", title: "商品マスタ連携（POS）", method: "file", status: "connection_tested", frequency: "日次 01:30", data: "商品マスタ", due: -48),
            .init(from: "CRM", to: "EAI", title: "クーポン発行連携", method: "message_queue", status: "designing", frequency: "都度", data: "クーポン", due: -8),
            .init(from: "EAI", to: "POS", title: "クーポン配信", method: "file", status: "identified", frequency: "日次", data: "クーポン", due: 20),
            .init(from: "POS", to: "CRM", title: "店頭会員照会", method: "api", status: "designing", frequency: "都度", data: "会員ランク", due: 7),
            .init(from: "CRM", to: "CTI", title: "顧客情報画面連携", method: "screen", status: "agreed", frequency: "着信時", data: "顧客画面URL", due: -25),
            .init(from: "ERP", to: "DWH", title: "会計実績連携", method: "db_link", status: "identified", frequency: "月次", data: "売上計上", due: 50),
            .init(from: "OLD", to: "DWH", title: "旧顧客データ提供", method: "file", status: "accepted", frequency: "移行時 1 回", data: "過去顧客", due: -100),
            .init(from: "IDP", to: "CRM", title: "利用者属性連携", method: "api", status: "agreed", frequency: "都度", data: "所属・権限", due: -22),
            .init(from: "CTI", to: "EAI", title: "コールリーズン連携", method: "file", status: "identified", frequency: "日次", data: "問い合わせ分類", due: 35),
            .init(from: "MBR", to: "DWH", title: "アクセスログ連携", method: "file", status: "identified", frequency: "日次", data: "アクセスログ", due: 55),
            .init(from: "CRM", to: "OLD", title: "並行稼働期間の差分戻し", method: "file", status: "designing", frequency: "日次（並行稼働中）", data: "顧客差分", due: -1),
            .init(from: "EC", to: "MAIL", title: "注文確認メール", method: "api", status: "accepted", frequency: "都度", data: "注文内容", due: -120),
            .init(from: "ERP", to: "MBR", title: "購入履歴照会", method: "api", status: "designing", frequency: "都度", data: "購入履歴", due: 21),
        ]
        var interfaceNumber: [Int] = []
        for (i, f) in interfaces.enumerated() {
            guard let s = number[f.from], let t = number[f.to] else { continue }
            var details: [String: RegisterValue] = [
                "source": .item(ItemReference(projectKey: nil, type: .system, number: s)),
                "target": .item(ItemReference(projectKey: nil, type: .system, number: t)),
                "method": .text(f.method), "frequency": .text(f.frequency), "data": .text(f.data),
                "direction": .text(f.twoWay ? "two_way" : "one_way"),
                "novelty": .text(systems.first { $0.code == f.from }?.kind == "new" || systems.first { $0.code == f.to }?.kind == "new" ? "new" : "changed"),
            ]
            if let c = builder[f.from] ?? nil { details["sourceVendor"] = .company(c) }
            if let c = builder[f.to] ?? nil { details["targetVendor"] = .company(c) }
            if ["agreed", "built", "connection_tested", "accepted"].contains(f.status) { details["specVersion"] = .text("1.\(i % 3)") }
            // The connection test is planned after the design; those tested have their actual window.
            let testStart = today.adding(days: f.due + 35)
            details["testPlannedStart"] = .date(testStart)
            details["testPlannedEnd"] = .date(testStart.adding(days: 9))
            if ["connection_tested", "accepted"].contains(f.status) {
                details["testActualStart"] = .date(testStart.adding(days: 1))
                details["testActualEnd"] = .date(testStart.adding(days: 11))
            }
            let fields = RegisterItemFields(title: f.title, status: f.status, ownerID: owners[(i + 1) % owners.count],
                                            dueDate: today.adding(days: f.due), companyID: builder[f.from] ?? nil, details: details)
            interfaceNumber.append(try await store.items.createRegisterItem(i % 2 == 0 ? pmo : pm, key: key, kind: .interface, fields: fields).record.number)
        }

        // Business functions: the interfaces each uses, in order (positions in the list above, from 1).
        let functions: [(String, String, String, [Int])] = [
            ("会員登録（Webサイト）", "会員が Web で登録したとき", "EC事業部", [13, 11, 9, 10, 16]),
            ("店舗での購買とクーポン発行", "店頭で会員が購買したとき", "店舗運営部", [31, 17, 18, 29, 30]),
            ("コールセンターの応対", "顧客から電話を受けたとき", "お客様相談室", [6, 32, 7, 8, 36]),
            ("EC受注から基幹登録まで", "ECで注文を受けたとき", "EC事業部", [22, 20, 21, 39]),
            ("顧客データ移行（切替時）", "本番切替のとき", "情報システム部", [4, 5, 34, 38]),
        ]
        for (i, f) in functions.enumerated() {
            let steps = f.3.compactMap { interfaceNumber.indices.contains($0 - 1) ? ItemReference(projectKey: nil, type: .interface, number: interfaceNumber[$0 - 1]) : nil }
            let fields = RegisterItemFields(title: f.0, status: i < 3 ? "agreed" : "draft", ownerID: owners[0],
                                            details: ["steps": .items(steps), "trigger": .text(f.1), "department": .text(f.2)])
            _ = try await store.items.createRegisterItem(pmo, key: key, kind: .function, fields: fields)
        }
    }

    /// Names the systems of the issues that are about one (by number: the issues of `DemoData`, the systems above).
    /// Each change is dated when the issue last changed, so that the demo's stale issues stay stale.
    static func nameIssueSystems(_ store: Store, key: String, pmo: Caller) async throws {
        let about: [Int: [Int]] = [1: [5, 1], 2: [1], 9: [5], 10: [4, 1], 14: [10], 16: [11], 18: [1], 28: [8, 4], 30: [3]]
        for (issue, systems) in about.sorted(by: { $0.key < $1.key }) {
            let view = try await store.items.issue(pmo, key: key, number: issue)
            var dated = store
            let at = view.record.updatedAt
            dated.clock = { at }
            var patch = IssuePatch()
            patch.systems = systems.map { ItemReference(projectKey: nil, type: .system, number: $0) }
            _ = try await dated.items.updateIssue(pmo, key: key, number: issue, expectedVersion: view.record.version, patch: patch)
        }
    }
}
