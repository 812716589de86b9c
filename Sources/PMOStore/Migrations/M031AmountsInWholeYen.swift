import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Amounts are whole yen (`Money`), rounded half up, the product's one rounding rule. The plan's amounts were stored
/// as floating point before the ledger brought `Money`: activity budgets and actual costs, the progress history's actual
/// costs, companies' hourly rates and baselines' costs. This rounds what they hold in place (the columns stay REAL,
/// which holds every whole yen below 2^53 exactly; the store reads and writes them as `Money`). A change's cost impact
/// and decision options' costs, kept in the register items' details, are rounded the same way.
struct M031AmountsInWholeYen: AsyncMigration {
    var name: String { "M031AmountsInWholeYen" }

    /// Table and column of every plan amount.
    static let columns = [
        ("plan_activities", "budget_amount"), ("plan_activities", "actual_cost"), ("plan_progress", "actual_cost"),
        ("plan_companies", "hourly_rate"), ("plan_baseline_entries", "cost"),
    ]

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        // SQLite's ROUND and PostgreSQL's round of numeric both take halves away from zero (2.5 → 3); PostgreSQL's round
        // of double precision would take them to even, hence the cast.
        let rounded = sql.dialect.name == "sqlite" ? "ROUND(%@)" : "round(%@::numeric)::double precision"
        for (table, column) in Self.columns {
            let expression = rounded.replacingOccurrences(of: "%@", with: column)
            try await sql.raw("UPDATE \(unsafeRaw: table) SET \(unsafeRaw: column) = \(unsafeRaw: expression) WHERE \(unsafeRaw: column) <> \(unsafeRaw: expression)").run()
        }
        let items = try await sql.raw("SELECT id, register, details FROM register_items WHERE register IN ('C', 'D')").all()
        for row in items {
            let kind: RegisterKind = try row.decode(column: "register", as: String.self) == "C" ? .change : .decision
            let text = try row.decode(column: "details", as: String.self)
            let details = RegisterDetailsCodec.decode(text, kind: kind)
            let whole = RegisterRules.wholeYen(details)
            guard whole != details else { continue }
            try await sql.raw("UPDATE register_items SET details = \(bind: RegisterDetailsCodec.encode(whole)) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
        }
        // Every plan read notices the change (the schedule cache is keyed by the plan's version).
        try await sql.raw("UPDATE plans SET version = version + 1").run()
    }

    /// Whole yen are what an older store wrote too.
    func revert(on db: any Database) async throws {}
}
