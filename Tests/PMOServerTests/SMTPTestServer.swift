import Foundation
import PMOTestData

/// A real SMTP server for a test (scripts/smtp_test_server.py: aiosmtpd with STARTTLS and AUTH), started on a free
/// port and stopped when the test ends; each mail it accepted is read back with its envelope.
final class SMTPTestServer: @unchecked Sendable {
    struct Received: Decodable {
        var mailFrom: String
        var rcptTos: [String]
        var data: String
        var tls: Bool
        var login: String?

        /// The message's headers, unfolded, by lowercased name.
        var headers: [String: String] {
            var out: [String: String] = [:]
            var last: String?
            for line in data.components(separatedBy: "\r\n").prefix(while: { !$0.isEmpty }) {
                if line.first == " " || line.first == "\t", let last { out[last, default: ""] += " " + line.trimmingCharacters(in: .whitespaces); continue }
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                out[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = name
            }
            return out
        }

        /// The subject with its RFC 2047 words decoded.
        var subject: String { Self.decodeWords(headers["subject"] ?? "") }

        /// The text of the part of `type` (text/plain or text/html), decoded from base64.
        func part(_ type: String) -> String? {
            let sections = data.components(separatedBy: "Content-Type: \(type); charset=utf-8\r\n")
            guard sections.count > 1 else { return nil }
            let body = sections[1].components(separatedBy: "\r\n\r\n").dropFirst().first ?? ""
            let base64 = body.components(separatedBy: "\r\n--").first?.replacingOccurrences(of: "\r\n", with: "") ?? ""
            return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }
        }

        static func decodeWords(_ text: String) -> String {
            var out = ""
            for word in text.components(separatedBy: " ") where !word.isEmpty {
                if word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                   let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))), let s = String(data: data, encoding: .utf8) {
                    out += s
                } else {
                    out += (out.isEmpty ? "" : " ") + word
                }
            }
            return out
        }
    }

    let process: Process
    let input: Pipe
    let folder: URL
    let port: Int
    /// The server's self-signed certificate (PEM), to trust.
    let certificate: String?

    init(user: String? = nil, password: String? = nil, tls: Bool = true) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", SharedData.packageRoot.appendingPathComponent("scripts/smtp_test_server.py").path, "--dir", folder.path]
        if let user, let password { arguments += ["--user", user, "--password", password] }
        if !tls { arguments.append("--no-tls") }
        process.arguments = arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line says where it listens; without it the server could not start (is aiosmtpd installed?).
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard let ready = try? JSONSerialization.jsonObject(with: line) as? [String: Any], let port = ready["port"] as? Int else {
            process.terminate()
            throw SMTPServerFailed(description: "scripts/smtp_test_server.py did not start: install its packages (pip install -r scripts/requirements-test.txt; scripts/test does).")
        }
        self.port = port
        certificate = ready["ca"] as? String
    }

    struct SMTPServerFailed: Error, CustomStringConvertible { var description: String }

    /// The mails accepted so far, in the order they came.
    func received() throws -> [Received] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map {
            try JSONDecoder().decode(Received.self, from: Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    /// Waits (up to 20 s) until `count` mails came.
    func waitFor(_ count: Int) async throws -> [Received] {
        for _ in 0..<200 {
            let mails = try received()
            if mails.count >= count { return mails }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try received()
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body` with a server, stopped afterwards whatever happens.
    static func with<T>(user: String? = nil, password: String? = nil, tls: Bool = true, _ body: (SMTPTestServer) async throws -> T) async throws -> T {
        let server = try SMTPTestServer(user: user, password: password, tls: tls)
        defer { server.stop() }
        return try await body(server)
    }
}
