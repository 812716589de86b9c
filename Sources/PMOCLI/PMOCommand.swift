import ArgumentParser
import Foundation

/// The `pmo` command: serve, migrate, user, token, backup, restore, purge-attachments, schedule, import, export, version.
///
/// Exit status: 0 on success, 1 on a failure it explains, 2 on wrong usage (ArgumentParser's validation errors).
public struct PMOCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pmo",
        abstract: "PMO: the control tower of large, multi-vendor projects.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, TokenCommand.self, Backup.self, Restore.self, PurgeAttachments.self, JobsCommand.self, ScheduleCommand.self, ImportCommand.self, ExportCommand.self,
                      VersionCommand.self]
    )
    public init() {}

    /// Runs the command line and returns the exit status: 0 success, 1 explained failure, 2 wrong usage.
    public static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CommandFailure {
            printError("error: \(failure.description)")
            return 1
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            printError(message)
            // ArgumentParser reports usage errors as 64 (EX_USAGE); this tool promises 2.
            return code == .validationFailure ? 2 : 1
        }
    }
}

/// `--database`, shared by every command that touches data.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "A SQLite file path or a postgres:// URL. Default: $PMO_DATABASE, else ./pmo.sqlite.")
    var database: String?
}

/// A failure the command explains; printed to standard error with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
