import Foundation
import PMOCore
import PMOStore
import PMOTestData
import PMOTestSupport
import PMOPasswords
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs the real `pmo` binary (built by `swift build --build-tests`) as a user would.
struct PMOProcess {
    static var binary: URL { SharedData.packageRoot.appendingPathComponent(".build/debug/pmo") }

    struct Result { var status: Int32; var out: String; var err: String }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PMO_DATABASE"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    static func tempDatabase() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("pmo.sqlite").path
    }
}

@Suite("pmo command line", .serialized)
struct CLITests {
    @Test func versionAndUsageErrors() throws {
        let version = try PMOProcess.run(["version"])
        #expect(version.status == 0)
        #expect(version.out.hasPrefix("pmo "))
        #expect(try PMOProcess.run(["frobnicate"]).status == 2)
        #expect(try PMOProcess.run(["serve", "--port", "70000"]).status == 2)
        let noStdin = try PMOProcess.run(["user", "create", "--email", "a@example.com", "--name", "A"])
        #expect(noStdin.status == 2)
        #expect(noStdin.err.contains("--password-stdin"))
        #expect(try PMOProcess.run(["--help"]).status == 0)
    }

    @Test func firstAdminTokenMigrateAndBackup() async throws {
        let db = try PMOProcess.tempDatabase()
        let created = try PMOProcess.run(["user", "create", "--admin", "--email", "Boss@Example.com", "--name", "Boss",
                                          "--password-stdin", "--database", db], stdin: "a long admin password\n")
        #expect(created.status == 0, "\(created.err)")
        #expect(created.out.contains("boss@example.com"))

        // The same e-mail again: a failure it explains, exit 1.
        let again = try PMOProcess.run(["user", "create", "--email", "boss@example.com", "--name", "B", "--password-stdin", "--database", db],
                                       stdin: "another long password\n")
        #expect(again.status == 1)
        #expect(again.err.contains("exists already"))
        let short = try PMOProcess.run(["user", "create", "--email", "c@example.com", "--name", "C", "--password-stdin", "--database", db],
                                       stdin: "short\n")
        #expect(short.status == 1)
        #expect(short.err.contains("at least 10"))

        // The token command prints the token and nothing else; PMO_DATABASE names the database.
        let token = try PMOProcess.run(["token", "create", "--email", "boss@example.com", "--name", "ci"], environment: ["PMO_DATABASE": db])
        #expect(token.status == 0, "\(token.err)")
        let lines = token.out.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("pmo_") == true)
        #expect(try PMOProcess.run(["token", "create", "--email", "nobody@example.com", "--name", "x", "--database", db]).status == 1)

        #expect(try PMOProcess.run(["migrate", "--database", db]).status == 0)

        // `pmo jobs`: none yet, then the clean-up a server would have queued, with its state.
        let noJobs = try PMOProcess.run(["jobs", "--database", db])
        #expect(noJobs.status == 0, "\(noJobs.err)")
        #expect(noJobs.out.contains("No background jobs yet"))
        #expect(try PMOProcess.run(["jobs", "--limit", "0", "--database", db]).status == 1)
        try await StoreHost.with(.sqlite(path: db), passwords: BcryptHasher()) { store in
            try await store.jobs.enqueue(kind: "housekeeping", key: "daily")
        }
        let listed = try PMOProcess.run(["jobs", "--database", db])
        #expect(listed.out.contains("housekeeping\tdaily\tqueued\t0/5"), "\(listed.out)")

        // A file attached to an issue, so that the archive has an attachment to carry.
        let content = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let original = try await StoreHost(.sqlite(path: db), passwords: BcryptHasher())
        do {
            let store = try original.store
            guard let user = try await store.accounts.user(forAPIToken: String(lines.first ?? "")) else { throw CommandTestFailure("no admin") }
            let boss = try Caller(user)
            _ = try await store.projects.create(by: boss, ProjectFields(key: "CRM", name: "CRM renewal"))
            let issue = try await store.items.createIssue(boss, key: "CRM", fields: IssueFields(title: "Estimate")).record.number
            let upload = try AttachmentUpload(storage: store.attachmentStorage, limit: 1_000_000)
            try content.withUnsafeBytes { try upload.write($0) }
            _ = try await store.attachments.add(boss, key: "CRM", owner: .item(.issue, issue), file: try upload.finish(),
                                                info: AttachmentFileInfo(name: "estimate.xlsx", contentType: nil))
        } catch { Issue.record(error) }
        await original.shutdown()

        let archive = db + ".backup.zip"
        let backup = try PMOProcess.run(["backup", archive, "--database", db])
        #expect(backup.status == 0, "\(backup.err)")
        #expect(backup.out.contains("1 attachment file"))
        #expect(FileManager.default.fileExists(atPath: archive))
        #expect(try PMOProcess.run(["backup", archive, "--database", db]).status == 1)

        // Restored beside: a working database holding the same admin, token and file.
        let copy = db + ".restored.sqlite"
        let restore = try PMOProcess.run(["restore", archive, "--database", copy])
        #expect(restore.status == 0, "\(restore.err)")
        #expect(try PMOProcess.run(["restore", archive, "--database", copy]).status == 1)
        #expect(try PMOProcess.run(["restore", db, "--database", copy + ".2"]).status == 1)   // not an archive
        let app = try await StoreHost(.sqlite(path: copy), passwords: BcryptHasher())
        do {
            let user = try await app.store.accounts.user(forAPIToken: String(lines.first ?? ""))
            #expect(user?.email == "boss@example.com")
            #expect(user?.isAdmin == true)
            let boss = try Caller(try #require(user))
            let files = try await app.store.attachments.list(boss, key: "CRM", owner: .item(.issue, 1))
            #expect(files.map(\.name) == ["estimate.xlsx"])
            let (_, stored) = try await app.store.attachments.content(boss, key: "CRM", id: try #require(files.first).id)
            let read = ReadBack()
            try await stored.read { await read.append($0) }
            #expect(await read.data == content)
        } catch { Issue.record(error) }
        await app.shutdown()
    }

    @Test func serveDemoLoadsOnceAndAnswers() async throws {
        let db = try PMOProcess.tempDatabase()
        let port = freeLocalPort()
        for round in 0..<2 {
            let process = Process()
            process.executableURL = PMOProcess.binary
            process.arguments = ["serve", "--demo", "--port", String(port), "--database", db]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            defer { process.terminate(); process.waitUntilExit() }
            var text = ""
            // Loading the demo takes about 30 s in a debug build on this machine; with the rest of the suite running
            // beside it, twice that is not enough.
            let deadline = Date().addingTimeInterval(180)
            while !text.contains("listening on") && Date() < deadline && process.isRunning {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
                text += String(decoding: chunk, as: UTF8.self)
            }
            #expect(text.contains("http://127.0.0.1:\(port)/"))
            if round == 0 {
                #expect(text.contains("Demo loaded"))
                #expect(text.contains("admin@demo.pmo"))
            } else {
                #expect(text.contains("Demo not loaded"))
            }
            let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/v1/health")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("\"ok\""))
        }
        // The demo is what it says: a project with about thirty issues and ten members.
        let app = try await StoreHost(.sqlite(path: db), passwords: BcryptHasher())
        do {
            let admin = try #require(try await app.store.accounts.user(email: "admin@demo.pmo"))
            let caller = try Caller(admin)
            var query = IssueQuery()
            query.limit = 200
            let issues = try await app.store.items.issues(caller, key: "CRM", query: query).items
            // Thirty issues, and one more raised when the demo records that a risk occurred.
            #expect(issues.count == 31)
            for kind in RegisterKind.allCases {
                let items = try await app.store.items.allRegisterItems(caller, key: "CRM", kind: kind)
                #expect(items.count >= 5, "the demo fills the \(kind) register")
            }
            let risks = try await app.store.items.allRegisterItems(caller, key: "CRM", kind: .risk)
            let occurred = try #require(risks.first { $0.record.status == "occurred" })
            let links = try await app.store.items.links(caller, key: "CRM", type: .risk, number: occurred.record.number)
            #expect(links.contains { $0.kind == .causes && $0.otherType == .issue })
            #expect(try await app.store.projects.members(caller, key: "CRM").count == 10)
            #expect(issues.contains { $0.record.visibility == "internal" })
            #expect(issues.contains { $0.record.visibility == "company" })
            let vendor = try Caller(try #require(try await app.store.accounts.user(email: "kaede.lead@demo.pmo")))
            let seenByVendor = try await app.store.items.issues(vendor, key: "CRM", query: query).items
            #expect(seenByVendor.count < issues.count)
            #expect(!seenByVendor.contains { $0.record.visibility == "internal" })
        } catch { Issue.record(error) }
        await app.shutdown()
    }
}

@Suite("pmo schedule")
struct ScheduleCommandTests {
    @Test func psplibJSONCarriesTheProjectLengthOfTheFile() throws {
        let file = SharedData.url("psplib/instances/j30/j301_1.sm").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // The MPM-Time column of the PROJECT INFORMATION line: "pronr. #jobs rel.date duedate tardcost MPM-Time".
        let infoLine = try #require(text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("1 ") && $0.split(separator: " ").count == 6 })
        let mpmTime = try #require(Int(infoLine.split(separator: " ").last!))
        let result = try PMOProcess.run(["schedule", file, "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(json["projectLength"] as? Int == mpmTime)
        #expect((json["activities"] as? [[String: Any]])?.count == 32)
    }

    @Test func levelsAPSPLIBNetworkToItsOptimum() throws {
        // j301_1: critical path 38, optimum 43 (PSPLIB j30hrs.sm). A fixed budget and a generous time limit make
        // the run repeatable.
        let file = SharedData.url("psplib/instances/j30/j301_1.sm").path
        let result = try PMOProcess.run([
            "schedule", file, "--level", "--format", "json", "--schedules", "30000", "--time-limit-ms", "600000",
        ])
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(json["projectLength"] as? Int == 43)
        let levelling = try #require(json["levelling"] as? [String: Any])
        #expect(levelling["criticalPathLength"] as? Int == 38)
        #expect((levelling["schedules"] as? Int).map { $0 > 0 && $0 <= 30000 } == true)
        #expect(levelling["stoppedEarly"] as? Bool == false)
        let rows = try #require(json["activities"] as? [[String: Any]])
        #expect(rows.count == 32)
        #expect(rows.allSatisfy { ($0["lateStart"] as? Int ?? -1) >= ($0["start"] as? Int ?? 0) })
        let table = try PMOProcess.run(["schedule", file, "--level", "--schedules", "500"])
        #expect(table.out.contains("Levelled with"))
        #expect(try PMOProcess.run(["schedule", file, "--level", "--schedules", "0"]).status == 2)
        #expect(try PMOProcess.run(["schedule", file, "--level", "--time-limit-ms", "-5"]).status == 2)
    }

    @Test func mspdiTableAndCSV() throws {
        let file = SharedData.url("mspdi/mpxj/task-links-project2019-mspdi.xml").path
        let table = try PMOProcess.run(["schedule", file])
        #expect(table.status == 0, "\(table.err)")
        #expect(table.out.split(separator: "\n").count > 3)
        let csv = try PMOProcess.run(["schedule", file, "--format", "csv", "--status-date", "2024-01-15"])
        #expect(csv.status == 0, "\(csv.err)")
        #expect(csv.out.split(separator: "\n").first?.contains("uid") == true)
    }

    @Test func badFilesAndUsage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-sched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let junk = dir.appendingPathComponent("junk.txt")
        try "hello".write(to: junk, atomically: true, encoding: .utf8)
        let unreadable = try PMOProcess.run(["schedule", junk.path])
        #expect(unreadable.status == 1)
        #expect(unreadable.err.contains("import.unknown_format") || unreadable.err.contains("neither"))
        #expect(try PMOProcess.run(["schedule", dir.appendingPathComponent("missing.xml").path]).status == 1)
        #expect(try PMOProcess.run(["schedule", junk.path, "--format", "pdf"]).status == 2)
        #expect(try PMOProcess.run(["schedule", junk.path, "--status-date", "yesterday"]).status == 2)
    }
}

/// Collects a stored file's chunks as they are read.
actor ReadBack {
    var data = Data()
    func append(_ chunk: Data) { data.append(chunk) }
}

struct CommandTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
