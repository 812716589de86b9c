import Foundation
import PMOCore
import PMOInterchange
import PMOSchedule
import PMOStore
import PMOTestData
import PMOTestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running `pmo serve` process, talked to over HTTP as any client would. Its output goes to a file: a pipe nobody
/// reads fills up (the server logs every request) and then blocks the server.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let logFile: URL

    init(database: String, port: Int = freeLocalPort(), environment: [String: String] = [:], demo: Bool = false) throws {
        self.port = port
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.executableURL = PMOProcess.binary
        process.arguments = ["serve", "--port", String(port), "--database", database] + (demo ? ["--demo"] : [])
        var env = ProcessInfo.processInfo.environment
        env["PMO_DATABASE"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var base: String { "http://127.0.0.1:\(port)" }
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Waits until the server says it listens (the demo takes a while in a debug build).
    func waitUntilListening(seconds: Double = 120) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !log.contains("listening on") && Date() < deadline && process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
        }
        guard log.contains("listening on") else { throw Failure(description: "the server did not start: \(log)") }
    }

    /// Everything the process wrote, once it has ended.
    func drainLog() -> String { log }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    struct Failure: Error, CustomStringConvertible { var description: String }
}

/// One HTTP answer: status, headers and the body as JSON when it is JSON.
struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var data: Data
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
}

enum HTTP {
    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 120
        c.httpMaximumConnectionsPerHost = 64
        return URLSession(configuration: c)
    }()

    static func send(_ method: String, _ url: String, token: String? = nil, json: [String: Any]? = nil, body: Data? = nil,
                     contentType: String? = nil, headers: [String: String] = [:]) async throws -> HTTPAnswer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue(contentType ?? "application/octet-stream", forHTTPHeaderField: "Content-Type")
        }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var all: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] { all["\(k)"] = "\(v)" }
        return HTTPAnswer(status: http?.statusCode ?? 0, headers: all, data: data)
    }
}

/// Two `pmo serve` processes on one PostgreSQL database: everything either keeps for correctness is in the database.
@Suite("Two instances on one PostgreSQL", .serialized)
struct TwoInstanceTests {
    static var databases: [TestDatabase] { TestDatabase.available.filter { $0 == .postgres } }

    @Test(arguments: databases)
    func twoInstancesShareEditsVersionsThrottleAndPlans(_ db: TestDatabase) async throws {
        guard case .postgres(let url) = try await db.makeLocation() else { return }
        let admin = try PMOProcess.run(["user", "create", "--admin", "--email", "boss@example.com", "--name", "Boss", "--password-stdin",
                                        "--database", url], stdin: "a long admin password\n")
        #expect(admin.status == 0, "\(admin.err)")
        let token = try PMOProcess.run(["token", "create", "--email", "boss@example.com", "--name", "two", "--database", url])
            .out.trimmingCharacters(in: .whitespacesAndNewlines)
        let a = try ServerProcess(database: url, port: freeLocalPort())
        let b = try ServerProcess(database: url, port: freeLocalPort())
        defer { a.stop(); b.stop() }
        try await a.waitUntilListening()
        try await b.waitUntilListening()
        let api = "/api/v1"

        // An edit on one is seen at once on the other.
        #expect(try await HTTP.send("POST", a.base + api + "/projects", token: token, json: ["key": "TWO", "name": "Two instances"]).status == 201)
        let created = try await HTTP.send("POST", a.base + api + "/projects/TWO/issues", token: token, json: ["title": "Seen everywhere"])
        #expect(created.status == 201)
        let onB = try await HTTP.send("GET", b.base + api + "/projects/TWO/issues/1", token: token)
        #expect(onB.status == 200 && onB.json["title"] as? String == "Seen everywhere")
        #expect(onB.header("ETag") == "\"1\"")

        // A stale version on either gets 409.
        let patchB = try await HTTP.send("PATCH", b.base + api + "/projects/TWO/issues/1", token: token, json: ["title": "Changed on B"],
                                         headers: ["If-Match": "\"1\"", "Content-Type": "application/merge-patch+json"])
        #expect(patchB.status == 200, "\(String(decoding: patchB.data, as: UTF8.self))")
        let staleA = try await HTTP.send("PATCH", a.base + api + "/projects/TWO/issues/1", token: token, json: ["title": "Stale on A"],
                                         headers: ["If-Match": "\"1\""])
        #expect(staleA.status == 409)
        #expect(staleA.json["code"] as? String == "version.stale")
        let patchA = try await HTTP.send("PATCH", a.base + api + "/projects/TWO/issues/1", token: token, json: ["title": "Changed on A"],
                                         headers: ["If-Match": "\"2\""])
        #expect(patchA.status == 200)
        let staleB = try await HTTP.send("PATCH", b.base + api + "/projects/TWO/issues/1", token: token, json: ["title": "Stale on B"],
                                         headers: ["If-Match": "\"2\""])
        #expect(staleB.status == 409)
        #expect(try await HTTP.send("GET", b.base + api + "/projects/TWO/issues/1", token: token).json["title"] as? String == "Changed on A")

        // A plan read (and so cached) on both, edited on one, is read correctly on the other.
        for name in ["Design", "Build"] {
            #expect(try await HTTP.send("POST", a.base + api + "/projects/TWO/plan/activities", token: token,
                                        json: ["name": name, "durationDays": 5]).status == 201)
        }
        #expect(try await HTTP.send("POST", b.base + api + "/projects/TWO/plan/dependencies", token: token,
                                    json: ["predecessorUid": 1, "successorUid": 2]).status == 201)
        func finish(_ server: ServerProcess) async throws -> (String?, String?) {
            let s = try await HTTP.send("GET", server.base + api + "/projects/TWO/plan/schedule", token: token)
            return (s.json["projectFinish"] as? String, s.header("ETag"))
        }
        let (before, etag) = try await finish(a)
        #expect(try await finish(b) == (before, etag))
        let activity = try await HTTP.send("GET", b.base + api + "/projects/TWO/plan/activities/1", token: token)
        let longer = try await HTTP.send("PATCH", b.base + api + "/projects/TWO/plan/activities/1", token: token, json: ["durationDays": 10],
                                         headers: ["If-Match": activity.header("ETag") ?? "*"])
        #expect(longer.status == 200, "\(String(decoding: longer.data, as: UTF8.self))")
        let (after, newTag) = try await finish(a)
        #expect(after != before && newTag != etag, "A still serves the schedule from before B's edit")
        #expect(try await finish(b) == (after, newTag))

        // A role changed on one applies at once on the other; a token revoked on one is refused by the other.
        let user = try await HTTP.send("POST", a.base + api + "/users", token: token,
                                       json: ["email": "pm@example.com", "displayName": "PM", "companyId": try await companyID(a, token),
                                              "passwordSetup": "temporary"])
        let userID = try #require((user.json["user"] as? [String: Any])?["id"] as? String)
        let temporary = try #require(user.json["temporaryPassword"] as? String)
        #expect(try await HTTP.send("PUT", a.base + api + "/projects/TWO/memberships/\(userID)", token: token, json: ["role": "pm"]).status == 200)
        let temporaryToken = try #require(try await HTTP.send("POST", b.base + api + "/tokens", json: ["email": "pm@example.com", "password": temporary])
            .json["token"] as? String)
        // A temporary password opens nothing but the change of password, on either instance; changing it revokes the
        // tokens made with it.
        #expect(try await HTTP.send("GET", a.base + api + "/projects", token: temporaryToken).status == 403)
        #expect(try await HTTP.send("PUT", b.base + api + "/me/password", token: temporaryToken,
                                    json: ["currentPassword": temporary, "newPassword": "my own long password"]).status == 204)
        #expect(try await HTTP.send("GET", a.base + api + "/projects", token: temporaryToken).status == 401)
        let pmToken = try #require(try await HTTP.send("POST", a.base + api + "/tokens", json: ["email": "pm@example.com", "password": "my own long password"])
            .json["token"] as? String)
        #expect(try await HTTP.send("GET", b.base + api + "/projects", token: pmToken).status == 200)
        #expect(try await HTTP.send("POST", b.base + api + "/projects/TWO/issues", token: pmToken, json: ["title": "As PM"]).status == 201)
        #expect(try await HTTP.send("PUT", a.base + api + "/projects/TWO/memberships/\(userID)", token: token, json: ["role": "viewer"]).status == 200)
        #expect(try await HTTP.send("POST", b.base + api + "/projects/TWO/issues", token: pmToken, json: ["title": "As viewer"]).status == 403)
        let tokens = try await HTTP.send("GET", a.base + api + "/tokens", token: pmToken).items
        let pmTokenID = try #require(tokens.first?["id"] as? String)
        #expect(try await HTTP.send("DELETE", a.base + api + "/tokens/\(pmTokenID)", token: pmToken).status == 204)
        #expect(try await HTTP.send("GET", b.base + api + "/projects", token: pmToken).status == 401)

        // The sign-in throttle counts failures on both instances together, and says how long the lock lasts.
        for (i, server) in [a, b, a, b, a].enumerated() {
            let wrong = try await HTTP.send("POST", server.base + api + "/tokens", json: ["email": "pm@example.com", "password": "wrong password \(i)"])
            #expect(wrong.status == 401, "failure \(i + 1) on \(server.port)")
        }
        for server in [b, a] {
            let locked = try await HTTP.send("POST", server.base + api + "/tokens", json: ["email": "pm@example.com", "password": "my own long password"])
            #expect(locked.status == 429)
            let retry = Int(locked.header("Retry-After") ?? "") ?? 0
            #expect((800...900).contains(retry), "Retry-After \(retry) should be the real remaining lock, about 15 minutes")
        }
    }

    func companyID(_ server: ServerProcess, _ token: String) async throws -> String {
        let companies = try await HTTP.send("GET", server.base + "/api/v1/companies", token: token).items
        return try #require(companies.first?["id"] as? String)
    }
}

/// SIGTERM under load: the server stops accepting, finishes what is in flight, then closes the database.
@Suite("Graceful stop", .serialized)
struct GracefulStopTests {
    @Test func requestsInFlightAtSIGTERMFinishAndNothingAnswers500() async throws {
        let (db, token, server) = try await Self.serverWithAdmin()
        defer { server.stop() }
        let api = server.base + "/api/v1"
        #expect(try await HTTP.send("POST", api + "/projects", token: token, json: ["key": "STOP", "name": "Stopping"]).status == 201)
        for i in 1...20 {
            _ = try await HTTP.send("POST", api + "/projects/STOP/issues", token: token, json: ["title": "Issue \(i)"])
        }
        // A slow request: importing 3,000 activities takes seconds in a debug build.
        let plan = SyntheticPlan.make(activities: 3_000, seed: 7)
        let xml = Data(MSPDIWriter.write(plan, result: CriticalPath.schedule(plan)).utf8)

        actor Tally {
            var statuses: [Int: Int] = [:]
            var errorsAfterStop = 0
            var errorsBeforeStop: [String] = []
            var answered: Int { statuses.values.reduce(0, +) }
            func add(_ status: Int) { statuses[status, default: 0] += 1 }
            func failed(_ error: any Error, afterStop: Bool) {
                if afterStop { errorsAfterStop += 1 } else { errorsBeforeStop.append("\(error)") }
            }
        }
        let tally = Tally()
        let stopped = ManagedAtomicFlag()
        // Load: readers and writers in a loop until the server stops answering. The workers end by themselves: a
        // Swift task cancelled inside URLSession can deadlock FoundationNetworking on Linux, so none is cancelled.
        let load = (0..<24).map { worker in
            Task {
                var n = 0
                while true {
                    n += 1
                    do {
                        let res = worker % 3 == 0
                            ? try await HTTP.send("PATCH", api + "/projects/STOP/issues/\(worker % 20 + 1)", token: token,
                                                  json: ["nextAction": "step \(n)"], headers: ["If-Match": "*"])
                            : try await HTTP.send("GET", api + "/projects/STOP/issues?limit=20", token: token)
                        await tally.add(res.status)
                    } catch {
                        // A connection refused or closed once SIGTERM was sent is the server stopping; before it, a bug.
                        let afterStop = stopped.isSet
                        await tally.failed(error, afterStop: afterStop)
                        if afterStop { return }
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                    if stopped.isSet && !server.process.isRunning { return }
                }
            }
        }
        // Once the load has really run (a loaded machine answers slower), the slow import is sent, and the stop comes
        // while it is in flight: sent after the load, so a slow machine cannot let it finish before the stop.
        let loadStarted = ContinuousClock.now
        while await tally.answered < 60 && ContinuousClock.now - loadStarted < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let importResult = Task { () -> (status: Int, finishedAfterStop: Bool) in
            let status = try await HTTP.send("POST", api + "/projects/STOP/plan/import?mode=apply", token: token, body: xml,
                                             contentType: "application/xml").status
            return (status, stopped.isSet)
        }
        // Long enough for the body (about 2 MB over loopback) to arrive, far shorter than the import itself.
        try await Task.sleep(for: .milliseconds(600))
        stopped.set()
        server.process.terminate()   // SIGTERM
        let imported = try await importResult.value
        for task in load { _ = await task.result }
        server.process.waitUntilExit()
        let log = server.drainLog()

        #expect(imported.status == 200, "the import in flight at SIGTERM must finish: \(imported.status)")
        #expect(imported.finishedAfterStop, "the import finished before SIGTERM was sent, so this run did not test a request in flight")
        let statuses = await tally.statuses
        #expect(statuses.keys.allSatisfy { $0 < 500 }, "answers: \(statuses)")
        #expect((statuses[200] ?? 0) > 50, "the load ran: \(statuses)")
        let early = await tally.errorsBeforeStop
        #expect(early.isEmpty, "requests failed before the stop: \(early.prefix(3))")
        #expect(server.process.terminationStatus == 0, "exit status \(server.process.terminationStatus)")
        #expect(!log.contains("unexpected error") && !log.contains("server.error"), "\(log.suffix(2_000))")
        #expect(log.contains("Stopping"))

        // What finished in flight is stored: the import committed before the database closed.
        let again = try ServerProcess(database: db)
        defer { again.stop() }
        try await again.waitUntilListening()
        let schedule = try await HTTP.send("GET", again.base + "/api/v1/projects/STOP/plan/schedule", token: token)
        #expect(schedule.items.count == plan.activities.count)
    }
}

extension GracefulStopTests {
    /// A fresh database with an administrator, that administrator's API token, and a server on it, listening.
    static func serverWithAdmin() async throws -> (db: String, token: String, server: ServerProcess) {
        let db = try PMOProcess.tempDatabase()
        #expect(try PMOProcess.run(["user", "create", "--admin", "--email", "boss@example.com", "--name", "Boss", "--password-stdin",
                                    "--database", db], stdin: "a long admin password\n").status == 0)
        let token = try PMOProcess.run(["token", "create", "--email", "boss@example.com", "--name", "stop", "--database", db])
            .out.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(database: db)
        do { try await server.waitUntilListening() } catch { server.stop(); throw error }
        return (db, token, server)
    }

    /// A client that hangs up mid-request leaves its handler running after the connection is gone; the stop must wait
    /// for that handler too, or it meets a closed database.
    @Test func aHandlerWhoseClientHungUpFinishesBeforeTheDatabaseCloses() async throws {
        let (db, token, server) = try await Self.serverWithAdmin()
        defer { server.stop() }
        #expect(try await HTTP.send("POST", server.base + "/api/v1/projects", token: token, json: ["key": "GONE", "name": "Gone"]).status == 201)
        let plan = SyntheticPlan.make(activities: 3_000, seed: 11)
        let xml = Data(MSPDIWriter.write(plan, result: CriticalPath.schedule(plan)).utf8)

        // Send the whole import over a raw socket, give the server a moment to start its handler, hang up, stop it.
        let head = "POST /api/v1/projects/GONE/plan/import?mode=apply HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/xml\r\nContent-Length: \(xml.count)\r\nConnection: close\r\n\r\n"
        try RawClient.sendAndHangUp(port: server.port, bytes: Data(head.utf8) + xml, after: .milliseconds(300))
        server.process.terminate()   // SIGTERM
        server.process.waitUntilExit()
        let log = server.drainLog()
        #expect(server.process.terminationStatus == 0, "exit status \(server.process.terminationStatus)")
        #expect(!log.contains("unexpected error") && !log.contains("ConnectionPoolError"), "\(log.suffix(2_000))")

        // The handler finished its work: the import is stored although nobody was there to read the answer.
        let again = try ServerProcess(database: db)
        defer { again.stop() }
        try await again.waitUntilListening()
        let schedule = try await HTTP.send("GET", again.base + "/api/v1/projects/GONE/plan/schedule", token: token)
        #expect(schedule.items.count == plan.activities.count, "\(schedule.status)")
    }
}

/// A TCP client that can do what URLSession cannot: write a request and close the connection without reading.
enum RawClient {
    static func sendAndHangUp(port: Int, bytes: Data, after pause: Duration) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerProcess.Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServerProcess.Failure(description: "connect() to port \(port) failed") }
        var sent = 0
        try bytes.withUnsafeBytes { buffer in
            while sent < buffer.count {
                let n = send(fd, buffer.baseAddress! + sent, buffer.count - sent, 0)
                guard n > 0 else { throw ServerProcess.Failure(description: "send() failed after \(sent) bytes") }
                sent += n
            }
        }
        Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18)
    }
}

/// A flag set once, read from many tasks.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
