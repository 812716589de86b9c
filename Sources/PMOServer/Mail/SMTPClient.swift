import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how the server sends e-mail: from `PMO_SMTP_*` in the environment (`fromEnvironment`), or nil when no
/// host is set (then nothing is queued and the preferences page says so).
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Upgrade with STARTTLS before anything else is said (required unless turned off: a server that does not offer
    /// it is refused rather than sent a password or mail in the clear).
    public var startTLS: Bool
    public var user: String?
    public var password: String?
    /// The sender, e.g. "pmo@example.com"; with `fromName` as its display name.
    public var from: String
    public var fromName: String
    /// A PEM file of the certificates to trust instead of the system's (an on-premises relay's own CA).
    public var trustRootsFile: String?
    /// The name said in EHLO.
    public var heloName: String
    /// The limit of each step (connecting, each reply).
    public var timeout: TimeInterval

    public init(host: String, port: Int = 587, startTLS: Bool = true, user: String? = nil, password: String? = nil, from: String,
                fromName: String = "PMO", trustRootsFile: String? = nil, heloName: String = "pmo.localhost", timeout: TimeInterval = 30) {
        self.host = host
        self.port = port
        self.startTLS = startTLS
        self.user = user
        self.password = password
        self.from = from
        self.fromName = fromName
        self.trustRootsFile = trustRootsFile
        self.heloName = heloName
        self.timeout = timeout
    }

    /// The settings the environment gives, nil without `PMO_SMTP_HOST`; a setting that cannot be used is refused with
    /// what to write instead (the server does not start half-configured).
    public static func fromEnvironment(_ env: [String: String]) throws -> SMTPSettings? {
        guard let host = env["PMO_SMTP_HOST"]?.trimmingCharacters(in: .whitespaces), !host.isEmpty else { return nil }
        guard let from = env["PMO_SMTP_FROM"]?.trimmingCharacters(in: .whitespaces), from.contains("@"), !from.contains(where: \.isNewline) else {
            throw SettingsError("PMO_SMTP_FROM must be the sender's address (e.g. pmo@example.com) when PMO_SMTP_HOST is set.")
        }
        var s = SMTPSettings(host: host, from: from)
        if let raw = env["PMO_SMTP_PORT"], !raw.isEmpty {
            guard let port = Int(raw), (1...65_535).contains(port) else { throw SettingsError("PMO_SMTP_PORT must be a port number (587 by default), not \(raw).") }
            s.port = port
        }
        if let raw = env["PMO_SMTP_STARTTLS"]?.lowercased(), !raw.isEmpty {
            guard ["on", "off", "true", "false", "1", "0"].contains(raw) else { throw SettingsError("PMO_SMTP_STARTTLS must be on or off, not \(raw).") }
            s.startTLS = ["on", "true", "1"].contains(raw)
        }
        s.user = env["PMO_SMTP_USER"].flatMap { $0.isEmpty ? nil : $0 }
        s.password = env["PMO_SMTP_PASSWORD"]
        if s.user != nil && s.password == nil { throw SettingsError("PMO_SMTP_PASSWORD must be set with PMO_SMTP_USER.") }
        if let name = env["PMO_SMTP_FROM_NAME"], !name.isEmpty { s.fromName = name }
        if let file = env["PMO_SMTP_TLS_CA"], !file.isEmpty {
            guard FileManager.default.isReadableFile(atPath: file) else { throw SettingsError("PMO_SMTP_TLS_CA names \(file), which cannot be read.") }
            s.trustRootsFile = file
        }
        if let helo = env["PMO_SMTP_HELO"], !helo.isEmpty { s.heloName = helo }
        return s
    }

    public struct SettingsError: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS (RFC 3207) with NIOSSL, AUTH PLAIN or LOGIN (RFC 4954),
/// one envelope per mail, DATA with dot-stuffing, QUIT. One connection per mail: a PMO's volume does not need a pool.
public enum SMTPClient {
    /// A reply of the server: its code and its lines' text.
    struct Reply: Sendable {
        var code: Int
        var lines: [String]
        var text: String { lines.joined(separator: " ") }
    }

    /// A step the server refused or that failed; `permanent` for 5xx answers (retrying will not help).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public var permanent: Bool
    }

    /// Sends `message` (RFC 5322 text, CRLF lines) from `settings.from` to `recipients`.
    public static func send(_ message: String, to recipients: [String], settings: SMTPSettings,
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws {
        let replies = ReplyReader()
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(settings.timeout * 1000)))
            .channelInitializer { channel in channel.pipeline.addHandler(replies) }
            .connect(host: settings.host, port: settings.port).get()
        do {
            try await conversation(channel, replies, message: message, recipients: recipients, settings: settings)
            channel.close(promise: nil)
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    static func conversation(_ channel: any Channel, _ replies: ReplyReader, message: String, recipients: [String], settings: SMTPSettings) async throws {
        let timeout = settings.timeout
        func expect(_ reply: Reply, _ codes: ClosedRange<Int>, _ step: String) throws {
            guard codes.contains(reply.code) else {
                throw Failure(description: "The mail server refused \(step): \(reply.code) \(reply.text)", permanent: reply.code >= 500)
            }
        }
        func command(_ line: String, _ codes: ClosedRange<Int>, _ step: String) async throws -> Reply {
            try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get()
            let reply = try await replies.next(timeout: timeout)
            try expect(reply, codes, step)
            return reply
        }
        try expect(try await replies.next(timeout: timeout), 220...220, "the connection")
        var ehlo = try await command("EHLO \(settings.heloName)", 250...250, "EHLO")
        if settings.startTLS {
            guard ehlo.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw Failure(description: "The mail server \(settings.host) does not offer STARTTLS; set PMO_SMTP_STARTTLS=off only for a relay on a trusted network.",
                              permanent: true)
            }
            _ = try await command("STARTTLS", 220...220, "STARTTLS")
            var tls = TLSConfiguration.makeClientConfiguration()
            if let file = settings.trustRootsFile { tls.trustRoots = .file(file) }
            let context = try NIOSSLContext(configuration: tls)
            let isAddress = settings.host.allSatisfy { $0.isNumber || $0 == "." } || settings.host.contains(":")
            let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : settings.host)
            try await channel.pipeline.addHandler(handler, position: .first).get()
            ehlo = try await command("EHLO \(settings.heloName)", 250...250, "EHLO after STARTTLS")
        }
        if let user = settings.user, let password = settings.password {
            let mechanisms = ehlo.lines.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ").map(String.init) ?? []
            if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
                let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
                _ = try await command("AUTH PLAIN \(token)", 235...235, "the user name and password (AUTH PLAIN)")
            } else {
                _ = try await command("AUTH LOGIN", 334...334, "AUTH LOGIN")
                _ = try await command(Data(user.utf8).base64EncodedString(), 334...334, "the user name")
                _ = try await command(Data(password.utf8).base64EncodedString(), 235...235, "the password")
            }
        }
        _ = try await command("MAIL FROM:<\(clean(settings.from))>", 250...250, "the sender \(settings.from)")
        for r in recipients { _ = try await command("RCPT TO:<\(clean(r))>", 250...251, "the recipient \(r)") }
        _ = try await command("DATA", 354...354, "DATA")
        try await channel.writeAndFlush(ByteBuffer(string: dotStuffed(message) + ".\r\n")).get()
        try expect(try await replies.next(timeout: timeout), 250...250, "the message")
        try? await channel.writeAndFlush(ByteBuffer(string: "QUIT\r\n")).get()
    }

    /// An address as it goes between angle brackets: no spaces, brackets or line breaks.
    static func clean(_ address: String) -> String {
        String(address.unicodeScalars.filter { $0.value > 0x20 && $0 != "<" && $0 != ">" && $0.value != 0x7F }.map(Character.init))
    }

    /// Lines starting with "." get another, and the text ends with CRLF (RFC 5321 4.5.2).
    static func dotStuffed(_ message: String) -> String {
        var text = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n") + "\r\n"
    }

    /// Collects the server's replies (multi-line ones joined: "250-…" lines then "250 …") for the conversation to read
    /// one at a time, with a time limit.
    final class ReplyReader: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private let lock = NSLock()
        private var pending = ""
        private var lines: [String] = []
        private var ready: [Reply] = []
        private var waiting: CheckedContinuation<Reply, any Error>?
        private var closed: (any Error)?

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let text = buffer.readString(length: buffer.readableBytes) ?? ""
            lock.lock()
            pending += text
            while let range = pending.range(of: "\r\n") ?? pending.range(of: "\n") {
                let line = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                lines.append(line)
                // The last line of a reply has a space (or nothing) after its code.
                if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
                    let code = Int(line.prefix(3)) ?? 0
                    ready.append(Reply(code: code, lines: lines.map { String($0.dropFirst(min(4, $0.count))) }))
                    lines = []
                }
            }
            let resume = deliverLocked()
            lock.unlock()
            resume?()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(Failure(description: "The mail server closed the connection.", permanent: false))
        }

        private func fail(_ error: any Error) {
            lock.lock()
            if closed == nil { closed = error }
            let resume = deliverLocked()
            lock.unlock()
            resume?()
        }

        /// The continuation to resume, if a reply (or the end) is there for the one waiting.
        private func deliverLocked() -> (() -> Void)? {
            guard let waiter = waiting else { return nil }
            if !ready.isEmpty {
                let reply = ready.removeFirst()
                waiting = nil
                return { waiter.resume(returning: reply) }
            }
            if let closed {
                waiting = nil
                return { waiter.resume(throwing: closed) }
            }
            return nil
        }

        func next(timeout: TimeInterval) async throws -> Reply {
            try await withThrowingTaskGroup(of: Reply.self) { group in
                group.addTask {
                    try await withCheckedThrowingContinuation { (c: CheckedContinuation<Reply, any Error>) in
                        self.lock.lock()
                        self.waiting = c
                        let resume = self.deliverLocked()
                        self.lock.unlock()
                        resume?()
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                    self.fail(Failure(description: "The mail server did not answer within \(Int(timeout)) s.", permanent: false))
                    throw Failure(description: "The mail server did not answer within \(Int(timeout)) s.", permanent: false)
                }
                let reply = try await group.next()!
                group.cancelAll()
                return reply
            }
        }
    }
}
