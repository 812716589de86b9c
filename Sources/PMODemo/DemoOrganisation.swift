import Foundation
import PMOCore
import PMOStore

/// The demo's organisation (体制): the CRM renewal's steering committee, PMO and business teams at the client, and
/// each vendor's team, with their reporting lines and the escalation routes an unresolved issue takes, written
/// through the store like everything else.
enum DemoOrganisation {
    static func load(into store: Store, key: String, pmo: Caller, users: [UserRecord], client: CompanyID, kaede: CompanyID, aoba: CompanyID) async throws {
        func id(_ i: Int) throws -> RegisterValue { .user(UserID(try users[i].requireID())) }
        // (name, kind, company, reports to (index), head (user index), duties)
        let units: [(String, String, CompanyID, Int?, Int?, String)] = [
            ("ステアリングコミッティ", "steering", client, nil, 4, "全体方針・予算・スコープの最終判断。月次で開催。"),
            ("PMO", "pmo", client, 0, 1, "進捗・課題・リスク・変更の管理、会議体の運営、ベンダー間の調整。"),
            ("プロジェクト管理チーム", "business", client, 0, 2, "プロジェクト全体の計画と意思決定、業務部門との調整。"),
            ("営業業務チーム", "business", client, 2, 3, "営業・顧客管理の業務要件と受入テスト。"),
            ("店舗・EC業務チーム", "business", client, 2, 9, "店舗・会員・EC の業務要件と受入テスト。"),
            ("楓システムズ 開発チーム", "vendor", kaede, 2, 5, "新CRM・会員ポータルの設計・製造・テスト。"),
            ("楓システムズ 移行チーム", "vendor", kaede, 5, 6, "旧顧客管理からのデータ移行。"),
            ("Aoba 基盤・連携チーム", "vendor", aoba, 2, 7, "データ連携基盤・認証基盤・CTI の構築と運用。"),
            ("Aoba 運用チーム", "vendor", aoba, 7, 8, "本番環境の運用・監視。"),
        ]
        var numbers: [Int] = []
        for (name, kind, company, parent, head, duties) in units {
            var details: [String: RegisterValue] = ["unitKind": .text(kind), "roles": .text(duties)]
            if let parent { details["reportsTo"] = .item(ItemReference(projectKey: nil, type: .unit, number: numbers[parent])) }
            if let head { details["head"] = try id(head) }
            let fields = RegisterItemFields(title: name, description: "", status: "active", companyID: company, details: details)
            numbers.append(try await store.items.createRegisterItem(pmo, key: key, kind: .unit, fields: fields).record.number)
        }
        // (from, to, level, least priority, working days): vendor and business teams go to the project management team,
        // then to the steering committee; critical issues go faster.
        let routes: [(Int, Int, String, String, Int)] = [
            (5, 2, "1", "medium", 3), (5, 2, "1", "critical", 1), (6, 5, "1", "medium", 2), (7, 2, "1", "medium", 3),
            (7, 2, "1", "critical", 1), (8, 7, "1", "medium", 2), (3, 2, "1", "medium", 5), (4, 2, "1", "medium", 5),
            (2, 0, "2", "high", 5), (2, 0, "2", "critical", 2), (1, 0, "3", "critical", 2),
        ]
        for (from, to, level, priority, days) in routes {
            let details: [String: RegisterValue] = [
                "fromUnit": .item(ItemReference(projectKey: nil, type: .unit, number: numbers[from])),
                "toUnit": .item(ItemReference(projectKey: nil, type: .unit, number: numbers[to])),
                "escalationLevel": .text(level), "minPriority": .text(priority), "withinDays": .integer(days),
            ]
            let title = "\(units[from].0) → \(units[to].0)"
            _ = try await store.items.createRegisterItem(pmo, key: key, kind: .escalation,
                                                          fields: RegisterItemFields(title: title, description: "", status: "active", details: details))
        }

        // The RACI table (役割分担表): (row, kind, phase, accountable, responsible, consulted, informed), by index into `units`.
        let raci: [(String, String, String, Int, [Int], [Int], [Int])] = [
            ("プロジェクト計画書", "deliverable", "計画", 2, [1], [0], [3, 4, 5, 7]),
            ("要件定義書", "deliverable", "要件定義", 2, [3, 4], [5, 7], [1]),
            ("基本設計書（新CRM・会員ポータル）", "deliverable", "基本設計", 2, [5], [3, 4], [1]),
            ("IF仕様書（システム間連携）", "deliverable", "基本設計", 1, [5, 7], [2], [3]),
            ("データ連携基盤・認証基盤の構築", "function", "製造", 2, [7], [5], [1]),
            ("データ移行（移行計画・リハーサル）", "function", "移行", 5, [6], [3, 8], [1, 2]),
            ("結合テスト（システム間）", "function", "結合テスト", 1, [5, 7], [2], [0]),
            ("受入テスト", "function", "受入テスト", 2, [3, 4], [5], [0, 1]),
            ("本番切替判定", "function", "移行・リリース", 0, [2], [1, 5, 7], [3, 4]),
            ("運用引継ぎ（運用手順書）", "deliverable", "移行・リリース", 7, [8], [1], [2]),
        ]
        func refs(_ indices: [Int]) -> RegisterValue { .items(indices.map { ItemReference(projectKey: nil, type: .unit, number: numbers[$0]) }) }
        for (title, kind, phase, accountable, responsible, consulted, informed) in raci {
            var details: [String: RegisterValue] = [
                "rowKind": .text(kind), "phase": .text(phase), "responsible": refs(responsible),
                "accountable": .item(ItemReference(projectKey: nil, type: .unit, number: numbers[accountable])),
            ]
            if !consulted.isEmpty { details["consulted"] = refs(consulted) }
            if !informed.isEmpty { details["informedUnits"] = refs(informed) }
            _ = try await store.items.createRegisterItem(pmo, key: key, kind: .raci,
                                                          fields: RegisterItemFields(title: title, description: "", status: "agreed", details: details))
        }
    }
}
