import Foundation
import PMOStore
import PMOPasswords
import Testing

/// Which databases the server suites run on: SQLite always, PostgreSQL when `PMO_TEST_POSTGRES_URL` is set.
/// With `CI` set and no URL, the PostgreSQL variant fails instead of skipping.
public enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    public var testDescription: String { rawValue }

    public static var all: [TestDatabase] { [.sqlite, .postgres] }

    /// A fresh, empty database of this kind, unique to the caller.
    public func makeLocation() async throws -> DatabaseLocation {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return .sqlite(path: dir.appendingPathComponent("test.sqlite").path)
        case .postgres:
            return try await PostgresTestServer.freshDatabase()
        }
    }
}

/// Makes one PostgreSQL database per test on the server named by `PMO_TEST_POSTGRES_URL`.
public enum PostgresTestServer {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "CI is set but PMO_TEST_POSTGRES_URL is not: the PostgreSQL suites cannot run." }
    }
    struct NotLocal: Error, CustomStringConvertible {
        var description: String { "PMO_TEST_POSTGRES_URL must point at a local server (127.0.0.1 or localhost); tests create and drop databases there." }
    }

    public static var baseURL: String? { ProcessInfo.processInfo.environment["PMO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }
    /// Whether PostgreSQL variants run here (they fail under CI without a URL rather than skip).
    public static var isAvailable: Bool { baseURL != nil || isRequired }

    public static func freshDatabase() async throws -> DatabaseLocation {
        guard let base = baseURL else { throw Missing() }
        guard var components = URLComponents(string: base) else { throw NotLocal() }
        guard ["127.0.0.1", "localhost", "::1"].contains(components.host ?? "") else { throw NotLocal() }
        let name = "pmo_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let host = try await StoreHost(.postgres(url: base), passwords: BcryptHasher(), migrate: false)
        do {
            try await host.store.createDatabase(named: String(name))
            await host.shutdown()
        } catch {
            await host.shutdown()
            throw error
        }
        components.path = "/" + name
        return .postgres(url: components.string!)
    }
}

extension TestDatabase {
    /// SQLite always; PostgreSQL when a server is given, or when CI demands it (then a missing URL fails the test).
    public static var available: [TestDatabase] { PostgresTestServer.isAvailable ? [.sqlite, .postgres] : [.sqlite] }
}


#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP port free on 127.0.0.1 right now (the system picks it), for tests that start servers: random numbers in a
/// range can collide with a port in use. The system may pick a port it just gave another test (the probe socket is
/// closed before the server binds it, and servers bind with SO_REUSEADDR), so a port is never handed out twice in one
/// test run: two servers on one port would share each other's requests.
public func freeLocalPort() -> Int {
    for _ in 0..<50 {
        let port = systemPickedPort()
        if HandedOutPorts.shared.claim(port) { return port }
    }
    while true {
        let port = Int.random(in: 41_000...49_000)
        if HandedOutPorts.shared.claim(port) { return port }
    }
}

/// The ports `freeLocalPort` has handed out in this process.
final class HandedOutPorts: @unchecked Sendable {
    static let shared = HandedOutPorts()
    private let lock = NSLock()
    private var ports = Set<Int>()
    func claim(_ port: Int) -> Bool { lock.withLock { ports.insert(port).inserted } }
}

func systemPickedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { return Int.random(in: 41_000...49_000) }
    return Int(UInt16(bigEndian: address.sin_port))
}
