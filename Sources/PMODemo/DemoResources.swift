import Foundation
import PMOCore
import PMOSchedule
import PMOStore

/// The demo's resources: the project's people (and a business expert without an account), a Java developer not yet
/// staffed at 楓, and the integration test environment; 渡辺 of 楓 is on three overlapping tasks in the busiest month
/// ahead (and half-time on another project, DWH, that most of the demo's people cannot see), so the overload map shows
/// her far over capacity; and a levelling scenario the PMO proposed, waiting beside the plan, that fixes it.
enum DemoResources {
    /// The organisation's units get their members from the resources (小林 has no account, the Java developer is a
    /// placeholder), and the systems built in this project their test environment.
    static func staffTheOrganisation(_ store: Store, key: String, pmo: Caller, person: [Int: ResourceView], others: [ResourceView],
                                     testEnv: ResourceView) async throws {
        // Unit number → (people by index in `DemoData`'s people, other resources by index in `others`).
        let staffing: [(Int, [Int], [Int])] = [
            (2, [DemoPlan.sato], []), (3, [DemoPlan.takahashi], []), (4, [DemoPlan.tanaka], [1]), (5, [DemoPlan.nakamura], []),
            (6, [DemoPlan.ito, DemoPlan.watanabe], [0]), (8, [DemoPlan.kim], []), (9, [DemoPlan.yamamoto], []),
        ]
        for (unit, people, more) in staffing {
            var patch = RegisterItemPatch()
            patch.details["members"] = .resources(people.compactMap { person[$0]?.id } + more.map { others[$0].id })
            _ = try await store.items.updateRegisterItem(pmo, key: key, kind: .unit, number: unit, expectedVersion: nil, patch: patch)
        }
        for system in try await store.items.allRegisterItems(pmo, key: key, kind: .system)
        where ["new", "changed"].contains(system.fields.details["systemKind"]?.text ?? "") {
            var patch = RegisterItemPatch()
            patch.details["envTest"] = .resources([testEnv.id])
            _ = try await store.items.updateRegisterItem(pmo, key: key, kind: .system, number: system.record.number, expectedVersion: nil, patch: patch)
        }
    }

    static func load(into store: Store, key: String, users: [UserRecord], client: CompanyID, kaede: CompanyID, aoba: CompanyID,
                     today: CalendarDate) async throws {
        guard try await store.hasMigrated("M025CreateResources") else { return }
        let admin = try Caller(users[0])
        let pmo = try Caller(users[DemoPlan.sato])
        // People: who they are in the project, by index in `DemoData`'s people.
        let roles: [(Int, String, String)] = [
            (DemoPlan.sato, "PMO", "計画・課題管理"), (DemoPlan.takahashi, "PM", "プロジェクト管理"), (DemoPlan.tanaka, "業務担当", "営業業務"),
            (DemoPlan.ito, "アーキテクト", "CRM, Java"), (DemoPlan.watanabe, "Java開発", "Java, Spring"), (DemoPlan.kim, "基盤", "AWS, Terraform"),
            (DemoPlan.yamamoto, "運用", "監視, ジョブ"), (DemoPlan.nakamura, "業務担当", "帳票"),
        ]
        var person: [Int: ResourceView] = [:]
        for (i, role, skills) in roles {
            let u = users[i]
            person[i] = try await store.resources.create(pmo, ResourceFields(
                kind: .person, name: u.displayName, userID: try u.requireID(), email: u.email, companyID: u.companyID, role: role, skills: skills))
        }
        let kobayashi = try await store.resources.create(pmo, ResourceFields(kind: .person, name: "小林 (営業本部)", companyID: client.rawValue,
                                                                 role: "業務有識者", capacityPercent: 20,
                                                                 notes: "アカウントなし。レビューと受入判定に参加。"))
        let javaDev = try await store.resources.create(pmo, ResourceFields(kind: .placeholder, name: "Java開発者（楓・未定）", companyID: kaede.rawValue,
                                                                           role: "Java開発"))
        let testEnv = try await store.resources.create(pmo, ResourceFields(kind: .equipment, name: "結合テスト環境", companyID: nil, capacityPercent: 100,
                                                                           notes: "1 面。夜間はバッチ検証に使用。"))
        try await staffTheOrganisation(store, key: key, pmo: pmo, person: person, others: [javaDev, kobayashi], testEnv: testEnv)
        guard let watanabe = person[DemoPlan.watanabe], let ito = person[DemoPlan.ito] else { return }
        // 渡辺's summer leave and a training day, entered by the PMO.
        _ = try await store.resources.addAbsence(pmo, resource: watanabe.id, start: today.adding(days: 40), end: today.adding(days: 41), note: "研修")

        // The busiest month ahead: the month in the next six whose days hold most running, not started tasks.
        let view = try await store.plans.view(pmo, key: key)
        let leaves = view.rows.filter { !$0.hasChildren && $0.activity.kind != .milestone && $0.activity.progress.percentComplete == 0
            && $0.activity.progress.actualStart == nil }
        func running(_ row: WBSRow) -> (start: CivilDate, finish: CivilDate)? {
            guard let s = view.scheduled(row.activity.uid), s.start.date > today else { return nil }
            return (s.start.date, s.finish.finishDay)
        }
        var busiest: (CivilDate, Int)?
        for m in 0..<6 {
            let first = monthStart(today, plus: m + 1)
            let last = monthStart(today, plus: m + 2).adding(days: -1)
            let n = leaves.filter { r in running(r).map { $0.start <= last && $0.finish >= first } ?? false }.count
            if n > (busiest?.1 ?? 0) { busiest = (first, n) }
        }
        guard let (month, _) = busiest else { return }
        let monthEnd = monthStart(month, plus: 1).adding(days: -1)
        // 楓's tasks running that month, earliest first: 渡辺 on three that overlap, 伊藤 reviewing them at 30 %.
        let kaedeTasks = leaves.filter { $0.activity.companyID == kaede }
            .compactMap { r in running(r).map { (r, $0) } }
            .filter { $0.1.start <= monthEnd && $0.1.finish >= month }
            .sorted { ($0.1.start, $0.0.activity.uid) < ($1.1.start, $1.0.activity.uid) }
        var chosen: [(WBSRow, (start: CivilDate, finish: CivilDate))] = []
        for candidate in kaedeTasks where chosen.count < 3 {
            if chosen.allSatisfy({ $0.1.start <= candidate.1.finish && candidate.1.start <= $0.1.finish }) { chosen.append(candidate) }
        }
        for (row, _) in chosen {
            _ = try await store.plans.setAssignments(pmo, key: key, uid: row.activity.uid, [
                AssignmentInput(resourceID: watanabe.id), AssignmentInput(resourceID: ito.id, unitsPercent: 30),
            ])
        }
        // The placeholder on the next 楓 task after those, and the test environment on the integration tests.
        if let next = kaedeTasks.first(where: { c in !chosen.contains { $0.0.activity.uid == c.0.activity.uid } }) {
            _ = try await store.plans.setAssignments(pmo, key: key, uid: next.0.activity.uid, [AssignmentInput(resourceID: javaDev.id)],
                                                     effortDriven: true)
        }
        let integration = leaves.filter { $0.activity.name.contains("結合テスト") }.prefix(2)
        for row in integration {
            _ = try await store.plans.setAssignments(pmo, key: key, uid: row.activity.uid, [AssignmentInput(resourceID: testEnv.id)])
        }

        // Another project most of the demo's people are not in: 渡辺 half-time there in the same month.
        _ = try await store.projects.create(by: admin, ProjectFields(
            key: "DWH", name: "データ基盤整備", description: "販売データの分析基盤。Data warehouse for sales analysis.",
            phase: .execution, businessOwner: "経営企画部", startDate: month, targetDate: monthStart(month, plus: 3), status: .active))
        try await store.projects.setMembership(by: admin, key: "DWH", userID: try users[DemoPlan.ito].requireID(), role: "vendor")
        let dwh = try await store.plans.createActivity(admin, key: "DWH", parentUID: nil, afterUID: nil) { a in
            a.name = "分析用データマートの設計"
            a.duration = .working(15 * 480)
            a.companyID = kaede
            // A fixed budget: the portfolio counts this project (which keeps no ledger) at its plan's BAC and EAC.
            a.costBasis = .fixed
            a.budgetAmount = .yen(9_000_000)
        }.uid
        _ = try await store.plans.setAssignments(admin, key: "DWH", uid: dwh, [AssignmentInput(resourceID: watanabe.id, unitsPercent: 50)])
        _ = try await store.projects.setPriority(by: admin, key: "DWH", 2)

        // The PMO's proposal for CRM, waiting to be compared and applied.
        _ = try await store.levelling.propose(pmo, LevellingRequest(projectKeys: [key], schedules: 2_000, timeLimitMilliseconds: 3_000))
    }

    /// The first day of the month `months` after `date`'s.
    static func monthStart(_ date: CivilDate, plus months: Int) -> CivilDate {
        let index = date.year * 12 + (date.month - 1) + months
        return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)!
    }
}
