import ArgumentParser
import Foundation
import PMOServer
import PMOStore

/// `pmo jobs`: the latest background jobs and how they ended, newest first.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List the latest background jobs (kind, key, state, attempts, when, how long the last attempt took, and the last error).")
    @OptionGroup var db: DatabaseOption
    @Option(help: "How many jobs to list (1–1000).") var limit: Int = 30

    /// How long the last attempt of a finished job ran, in milliseconds ("-" while it has not finished).
    func took(_ j: JobRecord) -> String {
        guard let start = j.startedAt, let end = j.finishedAt, end >= start else { return "-" }
        return "\(Int((end.timeIntervalSince(start) * 1000).rounded())) ms"
    }

    func run() async throws {
        guard (1...1000).contains(limit) else { throw CommandFailure("--limit must be from 1 to 1000.") }
        let jobs = try await Runtime.withStore(db.location) { store in try await store.jobs.recent(limit: limit) }
        if jobs.isEmpty {
            print("No background jobs yet: `pmo serve` queues and runs them.")
            return
        }
        let format = ISO8601DateFormatter()
        print(["KIND", "KEY", "STATE", "ATTEMPTS", "RUN AT", "FINISHED", "TOOK", "ERROR"].joined(separator: "\t"))
        for j in jobs {
            print([j.kind, j.key, j.state.rawValue, "\(j.attempts)/\(j.maxAttempts)", format.string(from: j.runAt),
                   j.finishedAt.map(format.string(from:)) ?? "-", took(j), (j.lastError ?? "").replacingOccurrences(of: "\n", with: " ")]
                .joined(separator: "\t"))
        }
    }
}
