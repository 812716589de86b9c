import FluentKit
import Foundation
import PMOCore
import PMOStore

/// The demo: a multi-vendor system renewal with a client and two vendors, about ten members and thirty issues.
public enum DemoData {
    public static let password = "demo-password"

    public struct Login: Sendable { public var email: String; public var role: String }

    public enum Result: Sendable {
        case loaded([Login])
        case skipped(String)
    }

    struct Person { var email: String; var name: String; var company: Int; var role: ProjectRole; var locale: String; var admin: Bool }

    /// Loads the demo into an empty database; on a database that has users already, loads nothing and says so.
    public static func load(into store: Store, bcryptCost: Int = 10) async throws -> Result {
        if try await !store.accounts.users().isEmpty {
            return .skipped("the database already has users; the demo is loaded only into an empty database.")
        }
        let today = CalendarDate(store.now(), in: TimeZone.japan)
        let client = try await store.accounts.createCompany(by: nil, name: "さくらリテール株式会社", kind: "operator")
        let vendorA = try await store.accounts.createCompany(by: nil, name: "楓システムズ", kind: "vendor")
        let vendorB = try await store.accounts.createCompany(by: nil, name: "Aoba Cloud Services", kind: "vendor")
        let companies = [client, vendorA, vendorB]
        let people = [
            Person(email: "admin@demo.pmo", name: "管理者 太郎", company: 0, role: .admin, locale: "ja", admin: true),
            Person(email: "pmo@demo.pmo", name: "佐藤 美咲 (PMO)", company: 0, role: .pmo, locale: "ja", admin: false),
            Person(email: "pm@demo.pmo", name: "高橋 健一 (PM)", company: 0, role: .pm, locale: "ja", admin: false),
            Person(email: "member@demo.pmo", name: "田中 優子", company: 0, role: .member, locale: "ja", admin: false),
            Person(email: "exec@demo.pmo", name: "Emily Clark (CIO)", company: 0, role: .viewer, locale: "en", admin: false),
            Person(email: "kaede.lead@demo.pmo", name: "伊藤 翔 (楓)", company: 1, role: .vendor, locale: "ja", admin: false),
            Person(email: "kaede.dev@demo.pmo", name: "渡辺 彩 (楓)", company: 1, role: .vendor, locale: "ja", admin: false),
            Person(email: "aoba.lead@demo.pmo", name: "Daniel Kim (Aoba)", company: 2, role: .vendor, locale: "en", admin: false),
            Person(email: "aoba.ops@demo.pmo", name: "山本 大輔 (Aoba)", company: 2, role: .vendor, locale: "ja", admin: false),
            Person(email: "member2@demo.pmo", name: "中村 花子", company: 0, role: .member, locale: "ja", admin: false),
        ]
        var users: [UserRecord] = []
        for p in people {
            let created = try await store.accounts.createUser(by: nil, NewUser(email: p.email, displayName: p.name, companyID: companies[p.company].requireID(),
                                                                      locale: p.locale, isAdmin: p.admin, password: .given(password)),
                                                     bcryptCost: bcryptCost)
            users.append(created.user)
        }
        let admin = try Caller(users[0])
        let project = try await store.projects.create(by: admin, ProjectFields(
            key: "CRM", name: "基幹CRM刷新プロジェクト", description: "顧客管理システムを刷新し、楓システムズ（CRM本体）とAoba Cloud（基盤・移行）の2社で構築する。\nRenewal of the customer management system, built by two vendors.",
            phase: .execution, businessOwner: "営業本部長 小林", startDate: today.adding(days: -120), targetDate: today.adding(days: 240), status: .active))
        for (i, p) in people.enumerated() where i > 0 {
            try await store.projects.setMembership(by: admin, key: project.key, userID: users[i].requireID(), role: p.role.rawValue)
        }
        let pmo = try Caller(users[1])
        let ids = try users.map { UserID(try $0.requireID()) }
        let cA = CompanyID(try vendorA.requireID()), cB = CompanyID(try vendorB.requireID()), cC = CompanyID(try client.requireID())

        // title, owner index (nil = unowned), due offset (days from today), priority, status, escalation, visibility, responsible company, age (days since last change)
        typealias Row = (String, Int?, Int?, IssuePriority, IssueStatus, Int, Visibility, CompanyID?, Int)
        let rows: [Row] = [
            ("顧客マスタ移行の名寄せルールが未確定", 3, -5, .critical, .waitingForDecision, 2, .project, cC, 2),
            ("CRM画面の応答が3秒を超える（検索画面）", 5, 7, .high, .inProgress, 1, .project, cA, 1),
            ("基盤のバックアップ方式の選定", 7, -2, .high, .open, 1, .project, cB, 3),
            ("結合テスト環境の払い出し遅延", 8, -10, .critical, .inProgress, 2, .project, cB, 20),
            ("帳票レイアウトの承認待ち", 2, 3, .medium, .waitingForDecision, 1, .project, cC, 4),
            ("楓: 要員の追加アサインが必要（見積差異）", 5, 10, .high, .open, 0, .company(cA), cA, 1),
            ("Aoba: ライセンス費用の再見積", 7, 14, .medium, .open, 0, .company(cB), cB, 2),
            ("予算超過リスクのステアリング報告", 2, -1, .critical, .open, 3, .internal, cC, 1),
            ("旧システム停止日の社内調整", 3, 21, .medium, .open, 0, .internal, cC, 16),
            ("IF仕様書（受注連携）の版ずれ", 6, -4, .high, .inProgress, 1, .project, cA, 18),
            ("移行リハーサル1回目の日程", 8, 30, .medium, .open, 0, .project, cB, 2),
            ("ユーザー教育計画の作成", nil, 25, .low, .open, 0, .project, cC, 5),
            ("テストデータのマスキング方針", nil, -3, .high, .open, 1, .project, nil, 15),
            ("権限設計のレビュー指摘対応", 6, 5, .medium, .inProgress, 0, .project, cA, 3),
            ("監視項目の一覧化", 9, 12, .low, .inProgress, 0, .project, cB, 25),
            ("外部API（住所検索）の契約更新", 4, 40, .low, .open, 0, .project, cC, 1),
            ("性能試験シナリオの合意", 2, -7, .high, .waitingForDecision, 2, .project, cC, 9),
            ("CRM本体のバージョンアップ影響調査", 5, 2, .medium, .inProgress, 0, .company(cA), cA, 6),
            ("DR構成のコスト比較", 7, 9, .medium, .open, 0, .company(cB), cB, 3),
            ("受入テストの体制", 3, 45, .medium, .open, 0, .project, cC, 2),
            ("データ移行ツールのライセンス", 8, -20, .medium, .resolved, 0, .project, cB, 30),
            ("要件定義書の承認", 2, -60, .high, .closed, 0, .project, cC, 50),
            ("キックオフ資料の準備", 1, -100, .low, .closed, 0, .project, cC, 95),
            ("開発環境のVPN接続", 7, -40, .high, .resolved, 1, .project, cB, 35),
            ("画面遷移図のレビュー", 5, -30, .medium, .resolved, 0, .project, cA, 28),
            ("議事録テンプレートの統一", 1, -45, .low, .closed, 0, .internal, cC, 44),
            ("セキュリティ診断の実施時期", nil, 15, .medium, .open, 0, .project, nil, 3),
            ("夜間バッチの処理時間見積", 6, 6, .medium, .open, 0, .project, cA, 1),
            ("移行判定基準（Go/No-Go）の合意", 1, 20, .high, .open, 1, .project, cC, 4),
            ("問い合わせ窓口の一本化", 9, -1, .low, .inProgress, 0, .project, cB, 2),
        ]
        let now = store.now()
        for (i, row) in rows.enumerated() {
            var s = store
            s.clock = { now.addingTimeInterval(-Double(row.8) * 86_400) }
            let fields = IssueFields(title: row.0, description: "デモ課題 \(i + 1)。背景と影響をここに記載します。",
                                     cause: row.5 > 0 ? "関係者間の合意が取れていない。" : "", nextAction: "次回定例で状況を確認する。",
                                     ownerID: row.1.map { ids[$0] }, dueDate: row.2.map { today.adding(days: $0) }, priority: row.3,
                                     status: row.4, escalationLevel: row.5, visibility: row.6, companyID: row.7)
            let view = try await s.items.createIssue(pmo, key: project.key, fields: fields)
            if i % 4 == 0 {
                _ = try await s.items.addComment(Caller(users[row.1 ?? 1]), key: project.key, type: .issue, number: view.record.number,
                                           body: "状況を確認しました。来週までに対応案を出します。")
            }
        }
        _ = try await store.items.addLink(pmo, key: project.key, type: .issue, number: 4, to: ItemReference("I11")!, kind: .blocks)
        _ = try await store.items.addLink(pmo, key: project.key, type: .issue, number: 1, to: ItemReference("I8")!, kind: .causes)
        try await DemoRegisters.load(into: store, key: project.key, users: users, client: cC, kaede: cA, aoba: cB, today: today,
                                     issues: Array(1...rows.count))
        try await DemoSystems.load(into: store, key: project.key, pmo: pmo, pm: Caller(users[2]),
                                   owners: try [2, 5, 7, 3].map { UserID(try users[$0].requireID()) },
                                   client: cC, kaede: cA, aoba: cB, today: today)
        try await DemoPlan.load(into: store, key: project.key, users: users, client: cC, kaede: cA, aoba: cB, today: today)
        try await DemoOrganisation.load(into: store, key: project.key, pmo: pmo, users: users, client: cC, kaede: cA, aoba: cB)
        try await DemoRequirements.load(into: store, key: project.key, pmo: pmo,
                                        owners: try [2, 5, 7, 3].map { UserID(try users[$0].requireID()) }, today: today)
        try await DemoMeetings.load(into: store, key: project.key, users: users, kaede: cA, today: today)
        try await DemoSignals.load(into: store, key: project.key, pmo: pmo, pm: Caller(users[2]))
        try await DemoWebhooks.load(into: store, key: project.key, pmo: pmo, pm: Caller(users[2]))
        try await DemoWatchers.load(into: store, key: project.key, exec: Caller(users[4]), member: Caller(users[3]))
        try await DemoResources.load(into: store, key: project.key, users: users, client: cC, kaede: cA, aoba: cB, today: today)
        // The changes were written with free-text systems and requirements, as before the registers: the PMO references
        // what matches (M028 does this for a database that already held them; the rest stays listed under Systems).
        // Issues name the systems they are about likewise (an older schema's issues, which the migration tests load
        // the demo into, cannot hold them).
        if try await store.hasMigrated("M028ChangesNameSystemsAndRequirements") {
            _ = try await store.systems.applyFreeTextMatches(pmo, key: project.key)
            try await DemoSystems.nameIssueSystems(store, key: project.key, pmo: pmo)
        }
        if try await store.hasMigrated("M030CreateLedger") {
            try await DemoLedger.load(into: store, key: project.key, pmo: pmo, exec: Caller(users[4]), kaede: cA, aoba: cB, today: today)
        }
        return .loaded(people.map { Login(email: $0.email, role: $0.admin ? "admin (system administrator)" : $0.role.rawValue) })
    }
}
