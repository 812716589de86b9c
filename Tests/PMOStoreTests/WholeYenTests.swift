import FluentKit
import Foundation
import PMOCore
import PMOPasswords
import PMOStore
import PMOTestSupport
import SQLKit
import Testing

/// Amounts are whole yen, rounded half up (`Money(rounding:)`): M031 rounds what older stores kept as floating point,
/// and every write since keeps whole yen.
@Suite("Amounts in whole yen")
struct WholeYenTests {
    /// Fractions written as the old store could write them (any Double) are rounded by M031, halves away from zero on
    /// both databases (PostgreSQL's round of a double would take 2.5 to 2).
    @Test(arguments: TestDatabase.available)
    func theMigrationRoundsEveryStoredAmountHalfUp(_ db: TestDatabase) async throws {
        let host = try await StoreHost(try await db.makeLocation(), passwords: BcryptHasher(), migrate: false)
        do {
            try await Store.migrate(host.databases, logger: StoreHost.quietLogger, through: "M030CreateLedger")
            let h = StoreHarness(host: host, store: try host.store)
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let uid = try await s.add(c.pm, k, "Design", days: 2) { $0.budgetAmount = .yen(1_000); $0.companyID = CompanyID(c.vendorAID) }
            try await s.plans.setCompanyTerms(c.pm, key: k, companyID: c.vendorAID, hourlyRate: .yen(4_000), closures: nil)
            let change = try await s.items.createRegisterItem(c.pm, key: k, kind: .change, fields: RegisterItemFields(
                title: "Add a field", status: "requested", details: ["costImpact": .number(1_000)]))
            let decision = try await s.items.createRegisterItem(c.pm, key: k, kind: .decision, fields: RegisterItemFields(
                title: "Which option", status: "proposed",
                details: ["options": .options([DecisionOption(title: "A", cost: 10), DecisionOption(title: "B", cost: nil)])]))

            // What an older store could have written.
            let sql = try #require(s.db as? any SQLDatabase)
            try await sql.raw("UPDATE plan_activities SET budget_amount = 1234.5, actual_cost = 2.5 WHERE uid = \(bind: uid)").run()
            try await sql.raw("UPDATE plan_companies SET hourly_rate = 4500.49").run()
            try await sql.raw("""
                UPDATE register_items SET details = \(bind: #"{"costImpact": 1500.5}"#) WHERE id = \(bind: try #require(change.record.id))
                """).run()
            try await sql.raw("""
                UPDATE register_items SET details = \(bind: #"{"options": [{"title": "A", "pros": "", "cons": "", "cost": 2.5}, {"title": "B", "pros": "", "cons": ""}]}"#)
                WHERE id = \(bind: try #require(decision.record.id))
                """).run()

            try await Store.migrate(host.databases, logger: StoreHost.quietLogger)
            let raw = try #require(try await sql.raw("SELECT budget_amount, actual_cost FROM plan_activities WHERE uid = \(bind: uid)").first())
            #expect(try raw.decode(column: "budget_amount", as: Double.self) == 1_235)
            #expect(try raw.decode(column: "actual_cost", as: Double.self) == 3)
            let view = try await s.plans.view(c.pm, key: k)
            let a = try #require(view.snapshot.activities.first { $0.uid == uid })
            #expect(a.budgetAmount == .yen(1_235))
            #expect(a.actualCost == .yen(3))
            #expect(view.snapshot.companies.first?.hourlyRate == .yen(4_500))
            let changeAfter = try await s.items.registerItem(c.pm, key: k, kind: .change, number: change.record.number)
            #expect(changeAfter.fields.details["costImpact"] == .number(1_501))
            let decisionAfter = try await s.items.registerItem(c.pm, key: k, kind: .decision, number: decision.record.number)
            #expect(decisionAfter.fields.details["options"]?.options?.map(\.cost) == [3, nil])
        } catch {
            await host.shutdown()
            throw error
        }
        await host.shutdown()
    }

    /// Writes through the store keep whole yen: a change's cost impact and an option's cost are rounded half up as they
    /// are saved; hours (the effort impact) keep their fraction.
    @Test(arguments: TestDatabase.available)
    func registerAmountsAreSavedInWholeYen(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let change = try await s.items.createRegisterItem(c.pm, key: k, kind: .change, fields: RegisterItemFields(
                title: "Add a field", status: "requested", details: ["costImpact": .number(99_999.5), "impactEffortHours": .number(7.5)]))
            #expect(change.fields.details["costImpact"] == .number(100_000))
            #expect(change.fields.details["impactEffortHours"] == .number(7.5))
            let decision = try await s.items.createRegisterItem(c.pm, key: k, kind: .decision, fields: RegisterItemFields(
                title: "Which option", status: "proposed", details: ["options": .options([DecisionOption(title: "A", cost: 0.4, effortHours: 1.5)])]))
            #expect(decision.fields.details["options"]?.options?.first?.cost == 0)
            #expect(decision.fields.details["options"]?.options?.first?.effortHours == 1.5)
            var patch = RegisterItemPatch()
            patch.details["costImpact"] = .number(2.5)
            let after = try await s.items.updateRegisterItem(c.pm, key: k, kind: .change, number: change.record.number,
                                                             expectedVersion: change.record.version, patch: patch)
            #expect(after.fields.details["costImpact"] == .number(3))
        }
    }
}
