import Foundation
import PMOCore
import PMOInterchange
import PMOSchedule
import PMOStore
import PMOTestData
import PMOTestSupport
import Testing

/// The Microsoft Project files under ../shared/data/mspdi, both folders.
enum MSPDIFiles {
    static let folders = ["mspdi/mpxj", "mspdi/aspose-from-mpp"]
    static let all: [String] = folders.flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: SharedData.url(folder).path)) ?? [])
            .filter { $0.hasSuffix(".xml") }.sorted().map { "\(folder)/\($0)" }
    }
    /// Calendar and resource examples: no task but Project's UID-0 project summary, so nothing to import.
    static let withoutTasks: Set<String> = [
        "mspdi/mpxj/calendar-calendars-project2003-mspdi.xml", "mspdi/mpxj/calendar-calendars-project2019-mspdi.xml",
        "mspdi/mpxj/calendar-recurring-exceptions-project2007-mspdi.xml",
        "mspdi/mpxj/calendar-recurring-exceptions-project2016-mspdi.xml",
        "mspdi/mpxj/mspdiavailability.xml", "mspdi/mpxj/mspdicostratetable.xml",
    ]
    /// The files also round-tripped on PostgreSQL.
    static let postgres = ["mspdi/aspose-from-mpp/Homemoveplan.xml", "mspdi/mpxj/task-links-project2019-mspdi.xml"]

    static func data(_ file: String) throws -> Data { try Data(contentsOf: SharedData.url(file)) }
}

/// A small MSPDI file: Alpha, a summary Group with Gamma under it, and Beta after Alpha.
let smallMSPDI = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Project xmlns="http://schemas.microsoft.com/project">
      <Name>Small</Name>
      <StartDate>2026-06-01T08:00:00</StartDate>
      <MinutesPerDay>480</MinutesPerDay>
      <Tasks>
        <Task><UID>1</UID><ID>1</ID><Name>Alpha</Name><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration></Task>
        <Task><UID>2</UID><ID>2</ID><Name>Group</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary><Duration>PT8H0M0S</Duration></Task>
        <Task><UID>3</UID><ID>3</ID><Name>Gamma</Name><OutlineLevel>2</OutlineLevel><Duration>PT8H0M0S</Duration></Task>
        <Task><UID>4</UID><ID>4</ID><Name>Beta</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>
          <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
        </Task>
      </Tasks>
    </Project>
    """

extension StoreHarness {
    /// A system administrator, the only one who may import into a new project.
    func makeAdmin() async throws -> Caller {
        let company = try await store.accounts.createCompany(by: nil, name: "Operator", kind: "operator")
        return try Caller(try await store.accounts.createUser(by: nil, NewUser(email: "admin@example.com", displayName: "admin", companyID: company.id!,
                                                                  isAdmin: true, password: .given("long enough password")),
                                                 bcryptCost: 4).user)
    }

    /// Imports `file` into new project `first`, exports that project's plan with its computed schedule, imports the
    /// export into new project `second`, and returns both plans as the store schedules them.
    func roundTrip(_ file: String, admin: Caller, first: String, second: String) async throws -> (PlanView, PlanView) {
        let plan = try MSPDIPlanFile.read(try MSPDIFiles.data(file))
        let summary = try await store.plans.importPlan(admin, key: first, newProject: ProjectFields(key: first, name: file),
                                                 plan: plan, apply: true)
        #expect(summary.applied)
        #expect(summary.activities == plan.activities.count)
        let a = try await store.plans.view(admin, key: first)
        let xml = MSPDIWriter.write(a.schedulePlan, result: a.result)
        let again = try MSPDIPlanFile.read(Data(xml.utf8))
        _ = try await store.plans.importPlan(admin, key: second, newProject: ProjectFields(key: second, name: file + " again"),
                                       plan: again, apply: true)
        return (a, try await store.plans.view(admin, key: second))
    }
}

/// Rows that differ between two plans, compared row by row in WBS order (name, start, finish, total float, critical).
func scheduleDifferences(_ a: PlanView, _ b: PlanView) -> [String] {
    var out: [String] = []
    if a.rows.count != b.rows.count { out.append("rows: \(a.rows.count) vs \(b.rows.count)") }
    let sa = a.scheduledByUID, sb = b.scheduledByUID
    for (ra, rb) in zip(a.rows, b.rows) {
        guard let x = sa[ra.activity.uid], let y = sb[rb.activity.uid] else {
            out.append("\(ra.outline) \(ra.activity.name): not scheduled")
            continue
        }
        var diffs: [String] = []
        if ra.activity.name != rb.activity.name { diffs.append("name \(rb.activity.name)") }
        if ra.outline != rb.outline { diffs.append("outline \(rb.outline)") }
        if x.start != y.start { diffs.append("start \(x.start) vs \(y.start)") }
        if x.finish != y.finish { diffs.append("finish \(x.finish) vs \(y.finish)") }
        if x.totalFloat != y.totalFloat { diffs.append("float \(x.totalFloat) vs \(y.totalFloat)") }
        if x.isCritical != y.isCritical { diffs.append("critical \(x.isCritical) vs \(y.isCritical)") }
        if !diffs.isEmpty { out.append("\(ra.outline) \(ra.activity.name) (uid \(ra.activity.uid)): " + diffs.joined(separator: ", ")) }
    }
    return out
}

@Suite("Plan import")
struct PlanImportTests {
    @Test func theSharedFilesAreThere() {
        #expect(MSPDIFiles.all.count == 27, "\(SharedData.root.path)")
        #expect(MSPDIFiles.all.filter { $0.hasPrefix("mspdi/aspose-from-mpp/") }.count == 5)
        #expect(MSPDIFiles.withoutTasks.isSubset(of: Set(MSPDIFiles.all)))
    }

    /// Every shared file with tasks imports, exports and imports again to the same computed schedule. The files that
    /// hold only calendars or resources (their one task is Project's UID-0 project summary) are refused as having no tasks.
    @Test(arguments: MSPDIFiles.all)
    func everyFileRoundTripsThroughTheStore(_ file: String) async throws {
        if MSPDIFiles.withoutTasks.contains(file) {
            let doc = try MSPDIReader.read(try MSPDIFiles.data(file))
            #expect(doc.scheduledTasks.isEmpty)
            #expect(doc.tasks.allSatisfy { $0.uid == 0 })
            #expect(!doc.calendars.isEmpty)
            do {
                _ = try MSPDIPlanFile.read(try MSPDIFiles.data(file))
                Issue.record("\(file) has no tasks but was read")
            } catch let e as InterchangeError {
                #expect(e.code == "import.mspdi.no_tasks")
            }
            return
        }
        try await StoreHarness.with(.sqlite) { h in
            let admin = try await h.makeAdmin()
            let (a, b) = try await h.roundTrip(file, admin: admin, first: "FIRST", second: "SECOND")
            #expect(!a.rows.isEmpty)
            #expect(a.result.isScheduled)
            let differences = scheduleDifferences(a, b)
            #expect(differences.isEmpty, "\(file): \(differences.prefix(10).joined(separator: "; "))")
            #expect(a.result.projectFinish == b.result.projectFinish)
        }
    }

    @Test(arguments: MSPDIFiles.postgres)
    func filesRoundTripOnPostgreSQL(_ file: String) async throws {
        guard TestDatabase.available.contains(.postgres) else { return }
        try await StoreHarness.with(.postgres) { h in
            let admin = try await h.makeAdmin()
            let (a, b) = try await h.roundTrip(file, admin: admin, first: "FIRST", second: "SECOND")
            #expect(!a.rows.isEmpty)
            let differences = scheduleDifferences(a, b)
            #expect(differences.isEmpty, "\(file): \(differences.prefix(10).joined(separator: "; "))")
        }
    }

    /// The same file gives the same schedule on both databases (nothing is lost or rounded differently in storage).
    @Test func bothDatabasesStoreTheSameSchedule() async throws {
        guard TestDatabase.available.contains(.postgres) else { return }
        let file = "mspdi/aspose-from-mpp/ExtractEmbeddedObjects.xml"
        var views: [PlanView] = []
        for db in TestDatabase.all {
            try await StoreHarness.with(db) { h in
                let admin = try await h.makeAdmin()
                _ = try await h.store.plans.importPlan(admin, key: "ONE", newProject: ProjectFields(key: "ONE", name: file),
                                                 plan: try MSPDIPlanFile.read(try MSPDIFiles.data(file)), apply: true)
                views.append(try await h.store.plans.view(admin, key: "ONE"))
            }
        }
        let differences = scheduleDifferences(views[0], views[1])
        #expect(differences.isEmpty, "\(differences.prefix(10).joined(separator: "; "))")
    }

    /// A status date survives export and import. The file has no StatusDate; its CurrentDate (2026-11-21T04:23:56) counts.
    /// The export writes the end of the status day (midnight after it); it must not come back a day later.
    @Test func theStatusDateSurvivesARoundTrip() async throws {
        try await StoreHarness.with(.sqlite) { h in
            let admin = try await h.makeAdmin()
            let file = "mspdi/aspose-from-mpp/ActualTaskProperties.xml"
            let (a, b) = try await h.roundTrip(file, admin: admin, first: "FIRST", second: "SECOND")
            #expect(a.snapshot.statusDate == day("2026-11-21"))
            #expect(a.snapshot.statusDate == b.snapshot.statusDate,
                    "status date \(String(describing: a.snapshot.statusDate)) came back as \(String(describing: b.snapshot.statusDate))")
        }
    }

    /// A file's status date is a day: an instant during the day is that day, midnight is the end of the day before.
    @Test(arguments: [("2026-06-12T17:00:00", "2026-06-12"), ("2026-06-13T00:00:00", "2026-06-12"), ("2026-06-12T00:01:00", "2026-06-12")])
    func statusDatesFromAFileAreDays(_ instant: String, _ expected: String) async throws {
        try await StoreHarness.with(.sqlite) { h in
            let admin = try await h.makeAdmin()
            let xml = smallMSPDI.replacingOccurrences(of: "<MinutesPerDay>", with: "<StatusDate>\(instant)</StatusDate><MinutesPerDay>")
            let plan = try MSPDIPlanFile.read(Data(xml.utf8))
            #expect(plan.statusDate == time(instant))
            _ = try await h.store.plans.importPlan(admin, key: "SD", newProject: ProjectFields(key: "SD", name: "Status"), plan: plan, apply: true)
            #expect(try await h.store.plans.view(admin, key: "SD").snapshot.statusDate == day(expected))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPreviewStoresNothingButSaysWhatWouldHappen(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let admin = try await h.makeAdmin()
            let file = "mspdi/mpxj/task-links-project2019-mspdi.xml"
            let plan = try MSPDIPlanFile.read(try MSPDIFiles.data(file))
            let events = try await h.count("audit_events")
            let preview = try await h.store.plans.importPlan(admin, key: "PRV", newProject: ProjectFields(key: "PRV", name: "Preview"),
                                                       plan: plan, apply: false)
            #expect(preview.applied == false)
            #expect(preview.projectKey == "PRV")
            #expect(preview.activities == plan.activities.count)
            #expect(preview.links == plan.dependencies.count)
            #expect(preview.rows.count == plan.activities.count)
            #expect(preview.rows.first?.outline == "1")
            #expect(try await h.count("plan_activities") == 0)
            #expect(try await h.count("plan_dependencies") == 0)
            #expect(try await h.count("plans") == 0)
            #expect(try await h.count("projects") == 0)
            #expect(try await h.count("audit_events") == events)
            await expectDomainError("project.not_found", .notFound) { _ = try await h.store.plans.view(admin, key: "PRV") }

            // Applying does exactly what the preview said.
            let applied = try await h.store.plans.importPlan(admin, key: "PRV", newProject: ProjectFields(key: "PRV", name: "Preview"),
                                                       plan: plan, apply: true)
            #expect(applied.applied)
            #expect(try await h.count("plan_activities") == plan.activities.count)
            #expect(applied.rows.map { $0.name } == preview.rows.map { $0.name })
            #expect(applied.rows.map { $0.start } == preview.rows.map { $0.start })
            #expect(applied.rows.map { $0.finish } == preview.rows.map { $0.finish })
            #expect(applied.rows.map { $0.isCritical } == preview.rows.map { $0.isCritical })

            // A preview into an existing plan leaves it as it was.
            let version = try await h.store.plans.view(admin, key: "PRV").version
            let again = try await h.store.plans.importPlan(admin, key: "PRV", plan: plan, apply: false)
            #expect(again.activities == plan.activities.count)
            #expect(try await h.count("plan_activities") == plan.activities.count)
            #expect(try await h.store.plans.view(admin, key: "PRV").version == version)
        }
    }

    @Test(arguments: TestDatabase.available)
    func importIntoABranchKeepsTheRestOfThePlan(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let c = try await h.planCast()
            let s = h.store, k = c.key
            let phase = try await s.add(c.pm, k, "Phase", days: 1)
            let child = try await s.add(c.pm, k, "Existing child", days: 2, parent: phase)
            let other = try await s.add(c.pm, k, "Other", days: 3)
            try await s.link(c.pm, k, child, other)
            try await s.plans.setStatusDate(c.pm, key: k, day("2026-06-02"))
            let before = try await s.plans.view(c.pm, key: k)
            let plan = try MSPDIPlanFile.read(Data(smallMSPDI.utf8))
            #expect(plan.activities.map(\.name) == ["Alpha", "Group", "Gamma", "Beta"])

            // Only admins create projects by import; members, vendors and viewers do not import at all.
            await expectDomainError("admin.required", .forbidden) {
                _ = try await s.plans.importPlan(c.pm, key: k, newProject: ProjectFields(key: "NEW", name: "New"), plan: plan, apply: true)
            }
            await expectDomainError("plan.edit_forbidden", .forbidden) { _ = try await s.plans.importPlan(c.member, key: k, plan: plan, apply: true) }
            await expectDomainError("plan.invalid", .invalid) { _ = try await s.plans.importPlan(c.pm, key: k, parentUID: 99, plan: plan, apply: true) }
            #expect(try await h.count("plan_activities") == 3)

            let summary = try await s.plans.importPlan(c.pm, key: k, parentUID: phase, plan: plan, apply: true)
            #expect(summary.activities == 4 && summary.links == 1)
            #expect(summary.rows.map { $0.outline } == ["1.2", "1.3", "1.3.1", "1.4"])
            let view = try await s.plans.view(c.pm, key: k)
            #expect(view.outline == ["1 Phase", "1.1 Existing child", "1.2 Alpha", "1.3 Group", "1.3.1 Gamma", "1.4 Beta", "2 Other"])
            let alpha = try #require(view.uid("Alpha")), gamma = try #require(view.uid("Gamma"))
            let group = try #require(view.uid("Group")), beta = try #require(view.uid("Beta"))
            let imported: [Int] = [alpha, group, gamma, beta]
            #expect(imported == [4, 5, 6, 7])
            #expect(view.row(gamma)?.activity.parentUID == group)
            #expect(view.row(beta)?.activity.parentUID == phase)
            // The existing rows, links and settings are untouched.
            for uid in [phase, child, other] {
                #expect(view.row(uid)?.activity == before.row(uid)?.activity)
                #expect(view.activityVersions[uid] == before.activityVersions[uid])
            }
            #expect(view.snapshot.name == before.snapshot.name)
            #expect(view.snapshot.start == before.snapshot.start)
            #expect(view.snapshot.statusDate == day("2026-06-02"))
            #expect(view.snapshot.defaultCalendarUID == before.snapshot.defaultCalendarUID)
            let links = Set(view.snapshot.dependencies.map { "\($0.predecessorUID)->\($0.successorUID)" })
            #expect(links == ["\(child)->\(other)", "\(alpha)->\(beta)"])
            // Beta follows Alpha (two days on the file's own calendar).
            let sa = try #require(view.scheduled(alpha)), sb = try #require(view.scheduled(beta))
            #expect(sb.start >= sa.finish)
            #expect(view.result.isScheduled)
        }
    }

    @Test func badFilesAreRefusedNamingTheProblem() throws {
        // Not well-formed: <Task> is closed by </Tasks>.
        let malformed = """
            <?xml version="1.0"?>
            <Project xmlns="http://schemas.microsoft.com/project">
              <Tasks>
                <Task><UID>1</UID><Name>Alpha</Name>
              </Tasks>
            </Project>
            """
        do {
            _ = try MSPDIPlanFile.read(Data(malformed.utf8))
            Issue.record("expected import.mspdi.xml")
        } catch let e as InterchangeError {
            #expect(e.code == "import.mspdi.xml")
            #expect(e.message.contains("cannot be parsed"), "\(e.message)")
            #expect(e.line != nil)
        }

        var big = Data(smallMSPDI.utf8)
        big.append(Data(repeating: 0x20, count: MSPDIPlanFile.maxBytes + 1 - big.count))
        do {
            _ = try MSPDIPlanFile.read(big)
            Issue.record("expected import.mspdi.too_large")
        } catch let e as InterchangeError {
            #expect(e.code == "import.mspdi.too_large")
            #expect(e.message.contains("30 MB"), "\(e.message)")
        }
        // Exactly at the limit is read (and here, the padding is only white space).
        var atLimit = Data(smallMSPDI.utf8)
        atLimit.append(Data(repeating: 0x20, count: MSPDIPlanFile.maxBytes - atLimit.count))
        #expect(try MSPDIPlanFile.read(atLimit).activities.count == 4)

        let missing = """
            <?xml version="1.0"?>
            <Project xmlns="http://schemas.microsoft.com/project">
              <StartDate>2026-06-01T08:00:00</StartDate>
              <Tasks>
                <Task><UID>1</UID><ID>1</ID><Name>Alpha</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration></Task>
                <Task><UID>2</UID><ID>2</ID><Name>Beta</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>
                  <PredecessorLink><PredecessorUID>77</PredecessorUID><Type>1</Type></PredecessorLink>
                </Task>
              </Tasks>
            </Project>
            """
        do {
            _ = try MSPDIPlanFile.read(Data(missing.utf8))
            Issue.record("expected import.mspdi.missing_task")
        } catch let e as InterchangeError {
            #expect(e.code == "import.mspdi.missing_task")
            #expect(e.message.contains("task 2 \"Beta\""), "\(e.message)")
            #expect(e.message.contains("UID 77"), "\(e.message)")
        }

        do {
            _ = try MSPDIPlanFile.read(Data())
            Issue.record("expected import.mspdi.empty")
        } catch let e as InterchangeError {
            #expect(e.code == "import.mspdi.empty")
        }
    }

    /// A plan the store's own checks refuse (built directly, as a reader would never pass it) imports nothing.
    @Test(arguments: TestDatabase.available)
    func aRefusedImportStoresNothing(_ db: TestDatabase) async throws {
        try await StoreHarness.with(db) { h in
            let admin = try await h.makeAdmin()
            var plan = try MSPDIPlanFile.read(Data(smallMSPDI.utf8))
            plan.dependencies.append(Dependency(from: Activity.ID(4), to: Activity.ID(1)))
            plan.dependencies.append(Dependency(from: Activity.ID(1), to: Activity.ID(42)))
            let e = await expectDomainError("plan.import_invalid", .invalid) {
                _ = try await h.store.plans.importPlan(admin, key: "BAD", newProject: ProjectFields(key: "BAD", name: "Bad"), plan: plan, apply: true)
            }
            #expect(messageOf(e).contains("UID 42"))
            plan.dependencies.removeLast()
            let loop = await expectDomainError("plan.import_invalid", .invalid) {
                _ = try await h.store.plans.importPlan(admin, key: "BAD", newProject: ProjectFields(key: "BAD", name: "Bad"), plan: plan, apply: true)
            }
            #expect(loop?.fieldErrors.first?.code == "cycle")
            #expect(messageOf(loop).contains("Alpha"))
            #expect(try await h.count("projects") == 0)
            #expect(try await h.count("plan_activities") == 0)
        }
    }
}
