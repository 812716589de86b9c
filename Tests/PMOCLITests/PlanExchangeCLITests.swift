import Foundation
import PMOCore
import PMODemo
import PMOInterchange
import PMOSchedule
import PMOServer
import PMOStore
import PMOTestData
import Testing
import PMOPasswords

/// `pmo import` and `pmo export` run as a user would, and the demo's plan.
@Suite("pmo import and export", .serialized)
struct PlanExchangeCLITests {
    static let header = "WBS,UID,Name,Start,Finish,Duration (days),Total float (days),Critical,Owner,Company,% complete"

    /// A fresh database with an administrator, created through the command line.
    static func databaseWithAdmin() throws -> String {
        let db = try PMOProcess.tempDatabase()
        let created = try PMOProcess.run(["user", "create", "--admin", "--email", "boss@example.com", "--name", "Boss",
                                          "--password-stdin", "--database", db], stdin: "a long admin password\n")
        #expect(created.status == 0, "\(created.err)")
        return db
    }

    static func tempFile(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-exchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name)
    }

    @Test func importIntoANewProjectThenExportXMLAndCSV() throws {
        let file = SharedData.url("mspdi/mpxj/task-links-project2019-mspdi.xml").path
        let source = try MSPDIPlanFile.read(Data(contentsOf: URL(fileURLWithPath: file)))
        let db = try Self.databaseWithAdmin()

        // A dry run says what it would do and changes nothing.
        let dry = try PMOProcess.run(["import", file, "--project", "LINKS", "--new", "--name", "Links", "--dry-run", "--database", db])
        #expect(dry.status == 0, "\(dry.err)")
        #expect(dry.out.contains("Dry run"))
        #expect(dry.out.contains("activities: \(source.activities.count)"))
        #expect(dry.out.contains("links:      \(source.dependencies.count)"))
        let notThere = try PMOProcess.run(["export", "--project", "LINKS", "--database", db])
        #expect(notThere.status == 1)
        #expect(notThere.err.contains("no project with the key LINKS"))

        let imported = try PMOProcess.run(["import", file, "--project", "LINKS", "--new", "--name", "Links", "--database", db])
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("Imported"))
        #expect(imported.out.contains("activities: \(source.activities.count)"))
        // The same key again is a new project that exists already: exit 1, nothing imported.
        let twice = try PMOProcess.run(["import", file, "--project", "LINKS", "--new", "--database", db])
        #expect(twice.status == 1)
        #expect(twice.err.contains("exists already"))

        // XML to a file: every task back, with the same names and links.
        let xmlFile = try Self.tempFile("links.xml")
        let xml = try PMOProcess.run(["export", "--project", "LINKS", "--output", xmlFile.path, "--database", db])
        #expect(xml.status == 0, "\(xml.err)")
        #expect(xml.out.contains("Wrote \(source.activities.count) activities"))
        let back = try MSPDIPlanFile.read(Data(contentsOf: xmlFile))
        #expect(back.activities.count == source.activities.count)
        #expect(back.activities.map(\.name) == source.activities.map(\.name))
        #expect(back.dependencies.count == source.dependencies.count)
        let text = try String(contentsOf: xmlFile, encoding: .utf8)
        #expect(text.contains("<Critical>"))

        // CSV to standard output: BOM, the header, one row per activity.
        let csv = try PMOProcess.run(["export", "--project", "LINKS", "--format", "csv", "--database", db])
        #expect(csv.status == 0, "\(csv.err)")
        let lines = csv.out.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
        #expect(lines.first == "\u{FEFF}" + Self.header)
        #expect(lines.count == source.activities.count + 1)
        for name in Set(source.activities.map(\.name)) { #expect(csv.out.contains(name)) }

        // One branch: the first task alone.
        let firstUID = try #require(lines.dropFirst().first?.split(separator: ",").dropFirst().first.flatMap { Int($0) })
        let branch = try PMOProcess.run(["export", "--project", "LINKS", "--branch", String(firstUID), "--format", "csv", "--database", db])
        #expect(branch.status == 0, "\(branch.err)")
        #expect(branch.out.split(separator: "\r\n").count == 2)
        let missing = try PMOProcess.run(["export", "--project", "LINKS", "--branch", "99999", "--database", db])
        #expect(missing.status == 1)
        #expect(missing.err.contains("no activity 99999"))

        // Into the existing plan, under its first task: the plan doubles.
        let under = try PMOProcess.run(["import", file, "--project", "LINKS", "--under", String(firstUID), "--database", db])
        #expect(under.status == 0, "\(under.err)")
        let after = try PMOProcess.run(["export", "--project", "LINKS", "--format", "csv", "--database", db])
        #expect(after.out.split(separator: "\r\n").count == 2 * source.activities.count + 1)
    }

    @Test func badFilesAndUsageFailWithAMessage() throws {
        let db = try Self.databaseWithAdmin()
        let junk = try Self.tempFile("junk.xml")
        try "<Project><Tasks><Task><UID>1".write(to: junk, atomically: true, encoding: .utf8)
        let broken = try PMOProcess.run(["import", junk.path, "--project", "BAD", "--new", "--database", db])
        #expect(broken.status == 1)
        #expect(broken.err.contains("error:"))
        #expect(broken.err.contains("import.mspdi"), "\(broken.err)")
        #expect(broken.err.contains("cannot be imported"))

        let notMSPDI = try Self.tempFile("other.xml")
        try "<?xml version=\"1.0\"?><Workbook><Sheet/></Workbook>".write(to: notMSPDI, atomically: true, encoding: .utf8)
        let other = try PMOProcess.run(["import", notMSPDI.path, "--project", "BAD", "--new", "--database", db])
        #expect(other.status == 1)
        #expect(other.err.contains("import.mspdi"), "\(other.err)")

        let file = SharedData.url("mspdi/mpxj/task-links-project2019-mspdi.xml").path
        let noFile = try PMOProcess.run(["import", junk.path + ".missing", "--project", "BAD", "--database", db])
        #expect(noFile.status == 1)
        #expect(noFile.err.contains("Cannot read"))
        let noProject = try PMOProcess.run(["import", file, "--project", "NOPE", "--database", db])
        #expect(noProject.status == 1)
        #expect(noProject.err.contains("no project with the key NOPE"))
        let badKey = try PMOProcess.run(["import", file, "--project", "bad key", "--new", "--database", db])
        #expect(badKey.status == 1)
        #expect(badKey.err.contains("capital letters"))
        let nobody = try PMOProcess.run(["import", file, "--project", "X1", "--new", "--as", "nobody@example.com", "--database", db])
        #expect(nobody.status == 1)
        #expect(nobody.err.contains("nobody@example.com"))

        // Usage errors: exit 2.
        #expect(try PMOProcess.run(["import", file, "--project", "X1", "--name", "No new", "--database", db]).status == 2)
        #expect(try PMOProcess.run(["import", file, "--project", "X1", "--new", "--under", "3", "--database", db]).status == 2)
        #expect(try PMOProcess.run(["import", "--project", "X1", "--database", db]).status == 2)
        #expect(try PMOProcess.run(["export", "--project", "X1", "--format", "pdf", "--database", db]).status == 2)

        // No administrator to act as: said so.
        let empty = try PMOProcess.tempDatabase()
        let noAdmin = try PMOProcess.run(["export", "--project", "X1", "--database", empty])
        #expect(noAdmin.status == 1)
        #expect(noAdmin.err.contains("no active administrator"))
    }

    @Test func demoHasAPlanWithBaselineSlipsAndEarnedValueTrend() async throws {
        let db = try PMOProcess.tempDatabase()
        let app = try await StoreHost(.sqlite(path: db), passwords: BcryptHasher())
        do {
            let clock = ContinuousClock()
            let started = clock.now
            _ = try await DemoData.load(into: app.store, bcryptCost: 4)
            print("demo loaded in \(clock.now - started)")

            let store = try app.store
            let admin = try Caller(try #require(try await store.accounts.user(email: "admin@demo.pmo")))
            let view = try await store.plans.view(admin, key: "CRM")
            let snapshot = view.snapshot
            // The demo plan exported as a user would; CI hands it to MPXJ too (scripts/mpxj_check.py).
            let exportDir = ProcessInfo.processInfo.environment["PMO_MSPDI_EXPORT_DIR"].map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory
            let exported = exportDir.appendingPathComponent("demo-plan-CRM.xml")
            let run = try PMOProcess.run(["export", "--project", "CRM", "--output", exported.path, "--database", db])
            #expect(run.status == 0, "\(run.err)")
            #expect(try MSPDIPlanFile.read(Data(contentsOf: exported)).activities.count == snapshot.activities.count)
            #expect(snapshot.activities.count >= 180)
            #expect(view.rows.map(\.level).max() == 3)
            #expect(snapshot.phases.count == 8)
            #expect(view.result.isScheduled)
            #expect(view.result.diagnostics.isEmpty, "\(view.result.diagnostics.map(\.message))")
            #expect(Set(snapshot.activities.compactMap(\.companyID)).count == 3)
            // Systems the register holds are named by reference (read by name); the others stay as written.
            #expect(Set(snapshot.activities.map(view.systemLabel)).isSuperset(of: ["新CRM", "基幹連携", "会員ポータル"]))
            #expect(Set(snapshot.activities.map(\.system)).isSuperset(of: ["S1", "S2", "基幹連携"]))
            #expect(snapshot.activities.contains { $0.costBasis == .fixed && $0.budgetAmount > .zero })
            #expect(snapshot.activities.contains { $0.costBasis == .effort && $0.effortHours > 0 })
            #expect(snapshot.companies.filter { ($0.hourlyRate?.amount ?? 0) >= 8_000 }.count == 2)
            #expect(snapshot.companies.contains { $0.calendarUID != nil })
            #expect(snapshot.dependencies.contains { $0.kind == .startToStart })
            #expect(snapshot.dependencies.contains { $0.kind == .finishToFinish })
            for name in ["キックオフ", "設計凍結", "リリース", "検収"] {
                #expect(snapshot.activities.contains { $0.name == name && $0.kind == .milestone }, "\(name)")
            }

            // The plan runs from about four months ago to about five months ahead; the release is critical.
            let today = CivilDate(store.now(), in: TimeZone(identifier: "Asia/Tokyo")!)
            let months = Double(view.result.projectFinish.date.dayNumber - today.dayNumber) / 30.4
            #expect(months > 4 && months < 6.5, "finish \(view.result.projectFinish)")
            let release = try #require(snapshot.activities.first { $0.name == "リリース" })
            #expect(view.scheduled(release.uid)?.isCritical == true)

            // Baseline 0 a month ago, and a critical activity that slips against it.
            let baseline = try #require(snapshot.baselines.first { $0.number == 0 })
            #expect(baseline.name == "承認済み計画 / Approved plan")
            #expect(abs(baseline.takenOn.dayNumber - today.dayNumber + 30) <= 1)
            let slips = PlanService.slips(view, baseline: 0)
            #expect(slips.contains { $0.isCritical && ($0.finishSlipDays ?? 0) > 0 })
            #expect(slips.contains { $0.row.activity.uid == release.uid && ($0.finishSlipDays ?? 0) > 0 })

            // Three weekly status dates, the last on the Friday before today, and an EV trend just under 1.
            let review = try await store.plans.progressReview(admin, key: "CRM")
            #expect(review.statusDates.count >= 3)
            #expect(review.statusDates.last?.weekday == 5)
            #expect(review.statusDates.last.map { $0 < today && $0.dayNumber >= today.dayNumber - 7 } == true)
            let ev = try await store.plans.earnedValue(admin, key: "CRM")
            #expect(ev.trend.count == 3)
            for point in ev.trend {
                print("EV \(point.statusDate): PV \(Int(point.project.pv)) EV \(Int(point.project.ev)) AC \(Int(point.project.ac)) SPI \(point.project.spi ?? 0) CPI \(point.project.cpi ?? 0)")
                #expect((0.8..<1.0).contains(point.project.spi ?? 0), "SPI at \(point.statusDate)")
                #expect((0.8..<1.0).contains(point.project.cpi ?? 0), "CPI at \(point.statusDate)")
            }
        } catch { Issue.record(error) }
        await app.shutdown()
    }
}
