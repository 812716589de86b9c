import Foundation
import PMOCore
import PMOStore

/// The demo's budget ledger (予算管理表): the CRM project's budget for its two fiscal years, estimates from both
/// vendors answering two requests for estimate (the new CRM's aggregated and decided as a decision before the order,
/// the member portal's aggregated and waiting), orders with acceptance and payment partly done, a draw on the
/// contingency, and a change order proposed from the approved change request with the largest cost impact.
/// The CIO, a viewer, is granted the commercial right. Months are counted from today, as the rest of the demo is.
enum DemoLedger {
    static func load(into store: Store, key: String, pmo: Caller, exec: Caller, kaede: CompanyID, aoba: CompanyID, today: CalendarDate) async throws {
        let view = try await store.ledger.ledger(pmo, key: key)
        let calendar = view.calendar
        let first = view.years.lowerBound
        let second = view.years.contains(first + 1) ? first + 1 : first
        let systems = try await store.items.allRegisterItems(pmo, key: key, kind: .system)
        func system(_ code: String) -> Int? {
            systems.first { $0.fields.details["code"] == .text(code) }?.record.number
        }
        let lines: [BudgetLineFields] = [
            BudgetLineFields(fiscalYear: first, category: .development, systemNumber: system("CRM"), name: "新CRM 構築", original: .yen(48_000_000)),
            BudgetLineFields(fiscalYear: first, category: .infrastructure, systemNumber: system("EAI"), name: "データ連携基盤", original: .yen(12_000_000)),
            BudgetLineFields(fiscalYear: first, category: .internalLabour, name: "社内工数（情報システム部）", original: .yen(6_000_000)),
            BudgetLineFields(fiscalYear: first, category: .contingency, name: "予備費", original: .yen(5_000_000)),
            BudgetLineFields(fiscalYear: second, category: .development, systemNumber: system("MBR"), name: "会員ポータル 構築", original: .yen(30_000_000)),
            BudgetLineFields(fiscalYear: second, category: .operations, systemNumber: system("CRM"), name: "新CRM 運用保守", original: .yen(8_000_000)),
        ]
        var numbers: [Int] = []
        for line in lines { numbers.append(try await store.ledger.addLine(pmo, key: key, line).line.number) }

        // The approved change with the largest cost impact pays for more development: drawn from the contingency.
        let changes = try await store.items.allRegisterItems(pmo, key: key, kind: .change)
            .filter { $0.fields.status == "approved" }
            .compactMap { c -> (Int, Double)? in
                if case .number(let cost)? = c.fields.details["costImpact"], cost > 0 { return (c.record.number, cost) }
                return nil
            }
            .max { $0.1 < $1.1 }
        let cause = changes.map { "C\($0.0)" }
        let draw = changes.flatMap { Money(rounding: $0.1) } ?? .yen(2_000_000)
        let revised = today.adding(days: -14)
        _ = try await store.ledger.revise(pmo, key: key, line: numbers[3], amount: -draw, reason: "予備費から新CRM 構築へ充当（変更要求の承認）",
                                          cause: cause, date: revised)
        _ = try await store.ledger.revise(pmo, key: key, line: numbers[0], amount: draw, reason: "予備費から充当（変更要求の承認）", cause: cause, date: revised)

        // Requests for estimate (見積依頼) to both vendors: the new CRM's (aggregated and decided before the order) and
        // the member portal's (aggregated, waiting for the steering committee).
        let received = today.adding(days: -150)
        let both = [kaede.rawValue, aoba.rawValue]
        let crmRequest = try await store.ledger.addRequest(pmo, key: key, EstimateRequestFields(
            lineNumber: numbers[0], title: "新CRM 構築 見積依頼", scope: "新CRMの要件定義から総合テストまで。顧客統合（名寄せ）、営業活動管理、帳票30本。データ移行は別途。",
            systemNumbers: [system("CRM")].compactMap { $0 }, dueDate: received.adding(days: -3), vendorIDs: both))
        let portalRequest = try await store.ledger.addRequest(pmo, key: key, EstimateRequestFields(
            lineNumber: numbers[4], title: "会員ポータル 構築 見積依頼", scope: "会員ポータル（会員登録、ポイント、キャンペーン応募）の設計から受入支援まで。",
            systemNumbers: [system("MBR")].compactMap { $0 }, dueDate: today.adding(days: -21), vendorIDs: both))
        let estimates: [EstimateFields] = [
            EstimateFields(lineNumber: numbers[0], vendorID: kaede.rawValue, amount: .yen(52_000_000), effortTenths: 620, received: received,
                           validUntil: received.adding(days: 90), assumptions: "要件定義から総合テストまで。データ移行は別見積。"),
            EstimateFields(lineNumber: numbers[0], vendorID: kaede.rawValue, amount: .yen(46_000_000), effortTenths: 550, received: received.adding(days: 14),
                           validUntil: received.adding(days: 104), assumptions: "帳票を標準機能に寄せて再見積。", chosen: true),
            EstimateFields(lineNumber: numbers[0], vendorID: aoba.rawValue, amount: .yen(49_500_000), effortTenths: 600, received: received.adding(days: 3),
                           validUntil: received.adding(days: 93), assumptions: "パッケージ適用。カスタマイズは20画面まで。"),
            EstimateFields(lineNumber: numbers[4], vendorID: kaede.rawValue, amount: .yen(31_000_000), effortTenths: 380, received: today.adding(days: -20),
                           validUntil: today.adding(days: 70), assumptions: "会員ポータルの全機能。"),
            EstimateFields(lineNumber: numbers[4], vendorID: aoba.rawValue, amount: .yen(27_500_000), effortTenths: 340, received: today.adding(days: -18),
                           validUntil: today.adding(days: 72), assumptions: "ポイント機能は第2段階。"),
        ]
        // The new CRM's estimates broken down by phase (見積内訳), so the aggregation compares the vendors phase by phase.
        func phases(_ amounts: [Int64], licences: Int64 = 0) -> [EstimatePart] {
            zip(["要件定義", "基本設計", "開発・単体テスト", "結合・総合テスト", "プロジェクト管理"], amounts).map {
                EstimatePart(phase: $0, category: .development, amount: .yen($1))
            } + (licences > 0 ? [EstimatePart(phase: "パッケージ", category: .licences, amount: .yen(licences))] : [])
        }
        let breakdowns: [[EstimatePart]] = [
            phases([6_000_000, 9_000_000, 22_000_000, 10_000_000, 5_000_000]),
            phases([5_500_000, 8_000_000, 18_500_000, 9_500_000, 4_500_000]),
            phases([5_000_000, 7_000_000, 15_000_000, 9_500_000, 4_000_000], licences: 9_000_000),
            [], [],
        ]
        var saved: [EstimateView] = []
        for (var e, parts) in zip(estimates, breakdowns) {
            e.parts = parts
            e.requestNumber = e.lineNumber == numbers[0] ? crmRequest.number : portalRequest.number
            saved.append(try await store.ledger.addEstimate(pmo, key: key, e))
        }
        let chosen = saved[1].id

        // The aggregation (見積集約): options with cost, schedule impact, effort, pros and cons.
        _ = try await store.ledger.setOptions(pmo, key: key, request: crmRequest.number, [
            AggregationOption(title: "A. 楓システムズ（再見積）全スコープ", cost: saved[1].amount, scheduleDays: 0, effortTenths: 550,
                              pros: "最安。帳票を標準機能に寄せ、保守性も上がる。", cons: "帳票の見た目が現行と変わるため、業務部門への説明が要る。",
                              estimateID: saved[1].id),
            AggregationOption(title: "B. Aoba パッケージ適用", cost: saved[2].amount, scheduleDays: 10, effortTenths: 600,
                              pros: "パッケージの実績が多い。", cons: "予算の残りがほぼなくなる。カスタマイズ20画面の上限が厳しい。", estimateID: saved[2].id),
            AggregationOption(title: "C. 帳票を第2期に分割", cost: .yen(41_000_000), scheduleDays: 25, effortTenths: 500,
                              pros: "今期の支出を抑えられる。", cons: "帳票が本番稼働に間に合わない。第2期の予算確保が前提。"),
        ], expectedVersion: nil)
        // The CIO, who holds the budget decision right, chose A before the order; the PMO recorded it.
        var before = store
        let decidedAt = Date().addingTimeInterval(-125 * 86_400)
        before.clock = { decidedAt }
        _ = try await before.ledger.choose(pmo, key: key, request: crmRequest.number, AggregationChoice(
            option: 0, deciderID: exec.userID, rationale: "予算内で最も安く、帳票の標準化は保守費の削減にもつながるため。"), expectedVersion: nil)
        _ = try await store.ledger.setOptions(pmo, key: key, request: portalRequest.number, [
            AggregationOption(title: "A. 楓システムズ 全機能", cost: saved[3].amount, scheduleDays: 0, effortTenths: 380,
                              pros: "一括で全機能がそろう。新CRMと同じベンダーで連携が楽。", cons: "予算を超える。", estimateID: saved[3].id),
            AggregationOption(title: "B. Aoba ポイント機能は第2段階", cost: saved[4].amount, scheduleDays: 30, effortTenths: 340,
                              pros: "予算内に収まる。", cons: "ポイント機能の開始が約1.5か月遅れる。", estimateID: saved[4].id),
        ], expectedVersion: nil)

        // Orders placed in the project's first month; months before this one are done, later ones planned.
        let start = YearMonth(today.adding(days: -120))
        let now = YearMonth(today)
        let lastOfYear = calendar.months(of: first).upperBound
        func done(_ m: YearMonth) -> YearMonth? { m < now ? m : nil }
        func milestone(_ name: String, _ amount: Int64, accept: YearMonth, department: String = "情報システム部") -> MilestoneFields {
            let accept = min(accept, lastOfYear)
            let pay = accept.adding(months: 1)
            let accepted = done(accept)
            return MilestoneFields(name: name, amount: .yen(amount), plannedAcceptance: accept, accepted: accepted, plannedPayment: pay,
                                   paid: accepted == nil ? nil : done(pay), payingDepartment: department)
        }
        let orderDate = max(today.adding(days: -120), calendar.months(of: first).lowerBound.firstDay)
        let crm = try await store.ledger.addOrder(pmo, key: key, OrderFields(
            lineNumber: numbers[0], vendorID: kaede.rawValue, title: "新CRM 構築（要件定義〜総合テスト）", contractType: .fixedPrice,
            amount: .yen(46_000_000), orderDate: orderDate, estimateID: chosen,
            milestones: [milestone("要件定義書 検収", 12_000_000, accept: start.adding(months: 1)),
                         milestone("基本設計書 検収", 14_000_000, accept: start.adding(months: 3)),
                         milestone("総合テスト完了 検収", 20_000_000, accept: start.adding(months: 7))]))
        _ = try await store.ledger.addOrder(pmo, key: key, OrderFields(
            lineNumber: numbers[1], vendorID: aoba.rawValue, title: "データ連携基盤 構築支援", contractType: .timeAndMaterials,
            amount: .yen(11_400_000), orderDate: orderDate,
            milestones: (0..<3).map { milestone("構築支援 \($0 + 1)期", 3_800_000, accept: start.adding(months: 2 * $0 + 2)) }))
        // The interfaces between the new CRM and the integration platform: one order, paid from both systems' lines.
        _ = try await store.ledger.addOrder(pmo, key: key, OrderFields(
            lineNumber: numbers[1], shares: [OrderShareFields(lineNumber: numbers[1], amount: .yen(500_000)),
                                             OrderShareFields(lineNumber: numbers[0], amount: .yen(1_500_000))],
            vendorID: aoba.rawValue, title: "CRM⇔連携基盤 インタフェース開発", contractType: .fixedPrice, amount: .yen(2_000_000), orderDate: orderDate,
            milestones: [milestone("インタフェース結合テスト 検収", 2_000_000, accept: start.adding(months: 5))]))
        // The CIO (a viewer) follows the money: the project grants the commercial right.
        _ = try await store.ledger.setCommercial(pmo, key: key, userID: exec.userID, granted: true)
        if let (number, cost) = changes, let amount = Money(rounding: cost) {
            _ = try await store.ledger.addChangeOrder(pmo, key: key, order: crm.number, amount: amount, status: .proposed, changeNumber: number,
                                                      reason: "承認済み変更要求の費用影響")
        }
    }
}
