import FluentKit
import Foundation
import PMOCore
import PMOPasswords
import PMOStore
import PMOTestSupport
import SQLKit
import Testing

/// The database alone, opened as the CLI opens it (no web application): the store as the CLI and server use it.
struct StoreHarness {
    let host: StoreHost
    let store: Store

    static func with(_ db: TestDatabase, now: Date? = nil, _ body: (StoreHarness) async throws -> Void) async throws {
        let location = try await db.makeLocation()
        let host = try await StoreHost(location, passwords: BcryptHasher())
        do {
            try await body(StoreHarness(host: host, store: try host.store))
        } catch {
            await host.shutdown()
            throw error
        }
        await host.shutdown()
    }

    /// An admin, a project CRM, and a PMO member of it.
    func seed() async throws -> (admin: Caller, pmo: Caller, outsider: Caller) {
        let company = try await store.accounts.createCompany(by: nil, name: "Operator", kind: "operator")
        func make(_ email: String, admin: Bool) async throws -> Caller {
            try Caller(try await store.accounts.createUser(by: nil, NewUser(email: email, displayName: email, companyID: company.id!, isAdmin: admin,
                                                               password: .given("long enough password")), bcryptCost: 4).user)
        }
        let admin = try await make("admin@example.com", admin: true)
        let pmo = try await make("pmo@example.com", admin: false)
        let outsider = try await make("outsider@example.com", admin: false)
        _ = try await store.projects.create(by: admin, ProjectFields(key: "CRM", name: "CRM"))
        try await store.projects.setMembership(by: admin, key: "CRM", userID: pmo.userID, role: "pmo")
        return (admin, pmo, outsider)
    }

    func count(_ table: String) async throws -> Int {
        let sql = try #require(store.db as? any SQLDatabase)
        return try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }
}

@Suite("The write path")
struct WritePathTests {
    @Test(arguments: TestDatabase.available)
    func everyChangeWritesOneAuditEventAndBumpsTheVersion(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let (_, pmo, _) = try await h.seed()
            let eventsBefore = try await h.count("audit_events")
            let created = try await h.store.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: "First", priority: .high))
            #expect(created.record.version == 1)
            #expect(try await h.count("audit_events") == eventsBefore + 1)

            var patch = IssuePatch()
            patch.status = .inProgress
            patch.nextAction = "call the vendor"
            let updated = try await h.store.items.updateIssue(pmo, key: "CRM", number: 1, expectedVersion: 1, patch: patch)
            #expect(updated.record.version == 2)
            #expect(try await h.count("audit_events") == eventsBefore + 2)
            let history = try await h.store.items.history(pmo, key: "CRM", type: .issue, number: 1)
            #expect(history.map(\.action) == ["create", "update"])
            #expect(history.map(\.version) == [1, 2])
            #expect(history[1].actorID == pmo.userID)
            #expect(history[1].changes == [FieldChange(field: "nextAction", from: "", to: "call the vendor"),
                                           FieldChange(field: "status", from: "open", to: "in_progress")])

            // A patch that changes nothing writes nothing and keeps the version.
            let same = try await h.store.items.updateIssue(pmo, key: "CRM", number: 1, expectedVersion: 2, patch: patch)
            #expect(same.record.version == 2)
            #expect(try await h.count("audit_events") == eventsBefore + 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFailedChangeLeavesNothingBehind(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let (_, pmo, outsider) = try await h.seed()
            _ = try await h.store.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: "Keep me"))
            let issues = try await h.count("register_items"), events = try await h.count("audit_events"), counters = try await h.count("register_counters")

            // Invalid fields, a non-member owner, a stale version, a forbidden actor: each refused, nothing written.
            await #expect(throws: DomainError.self) {
                _ = try await h.store.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: ""))
            }
            await #expect(throws: DomainError.self) {
                _ = try await h.store.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: "x", ownerID: UserID(outsider.userID)))
            }
            var patch = IssuePatch()
            patch.title = "Overwritten"
            await #expect(throws: DomainError.self) {
                _ = try await h.store.items.updateIssue(pmo, key: "CRM", number: 1, expectedVersion: 7, patch: patch)
            }
            await #expect(throws: DomainError.self) {
                _ = try await h.store.items.createIssue(outsider, key: "CRM", fields: IssueFields(title: "intruder"))
            }
            #expect(try await h.count("register_items") == issues)
            #expect(try await h.count("audit_events") == events)
            #expect(try await h.count("register_counters") == counters)
            #expect(try await h.store.items.issue(pmo, key: "CRM", number: 1).record.title == "Keep me")
            // The number the failed create would have taken is still free.
            #expect(try await h.store.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: "Second")).record.number == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentWritersNeverLoseAnUpdate(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let (_, pmo, _) = try await h.seed()
            _ = try await h.store.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: "Contended"))
            // Ten writers all holding version 1: exactly one wins, the others get a stale-version conflict.
            let results = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<10 {
                    group.addTask {
                        var patch = IssuePatch()
                        patch.nextAction = "writer \(i)"
                        do {
                            _ = try await h.store.items.updateIssue(pmo, key: "CRM", number: 1, expectedVersion: 1, patch: patch)
                            return true
                        } catch let e as DomainError {
                            return e.code == "version.stale" ? false : true
                        } catch { return true }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            let issue = try await h.store.items.issue(pmo, key: "CRM", number: 1)
            #expect(issue.record.version == 2)
            // Concurrent creators all get distinct numbers.
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<12 {
                    group.addTask { try await h.store.items.createIssue(pmo, key: "CRM", fields: IssueFields(title: "c\(i)")).record.number }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(Set(numbers) == Set(2...13))
        }
    }

    @Test(arguments: TestDatabase.available)
    func migrationsRunFromEmptyAndAgainWithoutChange(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            for table in ["users", "companies", "sessions", "api_tokens", "invitations", "projects", "memberships",
                          "register_counters", "register_items", "item_comments", "item_links", "audit_events",
                          "meeting_series", "meeting_occurrences", "meeting_agenda_items", "meeting_outputs",
                          "meeting_minutes_versions", "status_reports", "attachments", "attachment_blobs", "saved_views", "plan_grid_undo", "jobs", "signals", "signal_events", "signal_settings", "inbox_entries", "inbox_cursors", "webhooks", "webhook_deliveries", "webhook_attempts", "mail_settings", "mail_outbox", "item_watchers", "resources", "resource_absences", "plan_assignments", "plan_leveling_delays", "levelling_scenarios", "levelling_scenario_projects", "item_parties"] {
                #expect(try await h.count(table) == 0, "\(table) should exist and be empty")
            }
            try await Store.migrate(h.host.databases, logger: StoreHost.quietLogger)   // a second run finds nothing to do
            let sql = try #require(h.store.db as? any SQLDatabase)
            let applied = try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY name").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(applied == ["M001CreateAccounts", "M002CreateProjects", "M003CreateIssues", "M004CreateAudit",
                                "M005IndexIssuesByDueDate", "M006CreateRegisters", "M007CreatePlans", "M008CreateMeetings", "M009Hardening",
                                "M010IssueLinksAreItemLinks", "M011IssuesAreRegisterItems", "M012ItemLinkEndsAreItems",
                                "M013PlanProgressWeighting", "M014CreateAttachments", "M015CreateSavedViews", "M016ChangeApproverIsAPerson", "M017AgendaItemMinutesAndPresenter", "M018CreatePlanGridUndo", "M019CreateJobs", "M020CreateSignals", "M021CreateInbox", "M022CreateWebhooks", "M023CreateMail", "M024CreateItemWatchers", "M025CreateResources", "M026EffortDriven", "M027ItemParties", "M028ChangesNameSystemsAndRequirements", "M029ActivitiesNameSystems", "M030CreateLedger", "M031AmountsInWholeYen", "M032CreateOrderLines", "M033CreateEstimateParts"])
            if db == .sqlite {
                let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                #expect(mode == "wal")
            }
        }
    }
}

@Suite("Database setting")
struct DatabaseLocationTests {
    @Test func optionThenEnvironmentThenDefault() {
        #expect(DatabaseLocation.resolve(option: "/tmp/a.sqlite", environment: ["PMO_DATABASE": "postgres://x/y"]) == .sqlite(path: "/tmp/a.sqlite"))
        #expect(DatabaseLocation.resolve(option: nil, environment: ["PMO_DATABASE": "postgres://u:p@h/db"]) == .postgres(url: "postgres://u:p@h/db"))
        #expect(DatabaseLocation.resolve(option: nil, environment: [:]) == .sqlite(path: "./pmo.sqlite"))
        #expect(DatabaseLocation.parse("postgresql://h/db") == .postgres(url: "postgresql://h/db"))
    }

    @Test func descriptionNeverShowsThePassword() {
        let text = DatabaseLocation.postgres(url: "postgres://pmo:s3cret@db.local:5432/pmo").description
        #expect(!text.contains("s3cret"))
        #expect(text.contains("db.local"))
    }
}

@Suite("Stale flag")
struct StaleFlagTests {
    /// The instant comparison used for lists agrees with the date rule of IssueRules, in several zones.
    @Test func cutoffAgreesWithTheDateRule() {
        let today = CalendarDate(iso: "2026-11-21")!
        for zoneName in ["Asia/Tokyo", "UTC", "America/New_York", "Pacific/Kiritimati"] {
            let zone = TimeZone(identifier: zoneName)!
            let record = RegisterItemRecord(register: "I")
            record.status = "open"
            record.number = 1
            for hoursAgo in stride(from: 24 * 12, through: 24 * 16, by: 1) {
                record.updatedAt = Date(timeIntervalSince1970: Double(today.dayNumber) * 86_400 + 12 * 3_600 - Double(hoursAgo) * 3_600)
                let view = IssueView(record: record, projectKey: "CRM")
                let byDate = IssueRules.isStale(status: .open, lastChanged: CalendarDate(record.updatedAt, in: zone), today: today)
                #expect(view.isStale(today: today, timeZone: zone) == byDate, "\(zoneName) \(hoursAgo)h")
            }
        }
    }
}
