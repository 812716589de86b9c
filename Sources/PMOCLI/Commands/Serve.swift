import ArgumentParser
import Foundation
import PMOCore
import PMOServer
import PMOStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server and API.")

    @OptionGroup var db: DatabaseOption
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Load the demo project into an empty database and print its logins.") var demo = false
    @Option(help: "Largest attachment accepted, in MB (default 50, or PMO_MAX_ATTACHMENT_MB).") var maxAttachmentMb: Int?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        if let mb = maxAttachmentMb, !(1...10_240).contains(mb) {
            throw ValidationError("--max-attachment-mb must be between 1 and 10240.")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let proxies: TrustedProxies
        let webhookAllow: NetworkAllowList
        let smtp: SMTPSettings?
        do {
            proxies = try TrustedProxies(parsing: environment["PMO_TRUSTED_PROXIES"] ?? "")
            webhookAllow = try NetworkAllowList(parsing: environment["PMO_WEBHOOK_ALLOW"] ?? "")
            smtp = try SMTPSettings.fromEnvironment(environment)
        } catch {
            throw CommandFailure("\(error)")
        }
        var timeout: Double = 30
        if let raw = environment["PMO_SHUTDOWN_TIMEOUT"], !raw.isEmpty {
            guard let seconds = Double(raw), seconds >= 0, seconds <= 3_600 else {
                throw CommandFailure("PMO_SHUTDOWN_TIMEOUT must be a number of seconds from 0 to 3600 (got \(raw)).")
            }
            timeout = seconds
        }
        var attachmentMB = 50
        if let mb = maxAttachmentMb {
            attachmentMB = mb
        } else if let raw = environment["PMO_MAX_ATTACHMENT_MB"], !raw.isEmpty {
            guard let mb = Int(raw), (1...10_240).contains(mb) else {
                throw CommandFailure("PMO_MAX_ATTACHMENT_MB must be a whole number of MB from 1 to 10240 (got \(raw)).")
            }
            attachmentMB = mb
        }
        var config = ServerConfiguration(database: db.location, host: host, port: port,
                                         secureCookies: environment["PMO_SECURE_COOKIES"] == "1",
                                         trustedProxies: proxies, shutdownTimeout: timeout)
        config.maxAttachmentBytes = Int64(attachmentMB) * 1_048_576
        config.webhookAllow = webhookAllow
        config.smtp = smtp
        if let url = environment["PMO_PUBLIC_URL"], !url.isEmpty {
            guard let parsed = URLComponents(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host?.isEmpty == false else {
                throw CommandFailure("PMO_PUBLIC_URL must be the address people open the product at, such as https://pmo.example.com (got \(url)).")
            }
            config.publicURL = url
        }
        do {
            try await Runtime.serve(config, demo: demo) { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        } catch {
            throw CommandFailure("Could not start: \(error)")
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database's schema up to date.")
    @OptionGroup var db: DatabaseOption

    func run() async throws {
        do {
            try await Runtime.withStore(db.location) { _ in }
        } catch {
            throw CommandFailure("Could not migrate \(db.location): \(error)")
        }
        print("Database \(db.location) is up to date.")
    }
}

extension DatabaseOption {
    var location: DatabaseLocation {
        DatabaseLocation.resolve(option: database, environment: ProcessInfo.processInfo.environment)
    }
}
