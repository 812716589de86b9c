import Foundation
import Logging
import PMOStore

/// What the background jobs do, and the loop that runs them inside `pmo serve` (never in a request): every few
/// seconds it queues the recurring jobs that are not queued yet and runs every due job, one after another. Every
/// instance on a database runs one; the queue (`store.jobs`) makes sure each job runs on one of them at a time.
public enum BackgroundJobs {
    public typealias Handler = @Sendable (Store, JobRecord) async throws -> Void

    /// What each kind of job does; webhook deliveries go through `webhooks`. A handler must be safe to run again: a
    /// job whose instance stopped mid-way is run by another.
    public static func handlers(webhooks: WebhookSender = WebhookSender(), mail: MailSender? = nil) -> [String: Handler] {
        var all: [String: Handler] = [
            "housekeeping": { store, _ in _ = try await store.housekeeping() },
            // Queues a project's signals when its data changed, or when they were last computed before today.
            SignalService.sweepKind: { store, _ in try await store.signals.sweep() },
            // Everyone's inbox, from what happened since the last collection.
            InboxService.jobKind: { store, _ in try await store.inbox.collect() },
            SignalService.jobKind: { store, job in
                guard let projectID = UUID(uuidString: job.key) else { return }
                try await store.signals.recompute(projectID: projectID)
                // The KPIs read much the same data: read them now, so that pages find them ready.
                try await store.kpis.warm(projectID: projectID)
            },
            // The webhooks' deliveries of what happened since the last collection; each sent by its own job.
            WebhookService.collectJobKind: { store, _ in try await store.webhooks.collect() },
            WebhookService.deliveryJobKind: { store, job in
                guard let id = UUID(uuidString: job.key) else { return }
                try await webhooks.deliver(store, deliveryID: id, lastAttempt: job.attempts >= job.maxAttempts)
            },
        ]
        // E-mail only when an SMTP server is set: otherwise nothing is queued at all.
        if let mail {
            all[MailService.collectJobKind] = { store, _ in try await store.mail.collect() }
            all[MailService.deliveryJobKind] = { store, job in
                guard let id = UUID(uuidString: job.key) else { return }
                try await mail.deliver(store, outboxID: id, lastAttempt: job.attempts >= job.maxAttempts)
            }
        }
        return all
    }

    /// The jobs queued again after each run: kind, key, and the interval after the last run ended.
    public static let recurring: [(kind: String, key: String, every: TimeInterval)] = [
        ("housekeeping", "daily", 86_400),
        (SignalService.sweepKind, "changes", 60),
        (InboxService.jobKind, "all", 60),
        // As often as the runner looks (every 10 s): a chat wants to hear soon.
        (WebhookService.collectJobKind, "all", 5),
        (MailService.collectJobKind, "all", 60),
    ]

    /// Queues the recurring jobs that are not queued, then runs every due job of a known kind until none is due;
    /// answers how many ran. A failing job is recorded by the queue (retried later, or failed after its last attempt).
    public static func runDue(_ store: Store, owner: String, handlers: [String: Handler] = handlers(), logger: Logger) async throws -> Int {
        for r in recurring where handlers[r.kind] != nil {
            try await store.jobs.ensureRecurring(kind: r.kind, key: r.key, every: r.every)
        }
        var ran = 0
        while !Task.isCancelled, let job = try await store.jobs.claim(owner: owner, kinds: Array(handlers.keys).sorted()) {
            ran += 1
            do {
                try await handlers[job.kind]!(store, job)
                try await store.jobs.complete(job.id, owner: owner)
                logger.debug("job done", metadata: ["kind": "\(job.kind)", "key": "\(job.key)", "attempt": "\(job.attempts)"])
            } catch {
                try await store.jobs.fail(job.id, owner: owner, error: String(describing: error))
                logger.warning("job failed", metadata: ["kind": "\(job.kind)", "key": "\(job.key)", "attempt": "\(job.attempts)",
                                                        "error": "\(error)"])
            }
        }
        return ran
    }
}

/// The loop of `BackgroundJobs` for one server, started after it listens and stopped before the database closes.
public final class JobRunner: Sendable {
    /// This instance's name in the jobs' leases: host, process and a random part (two processes never share one).
    public let owner: String
    let task: Task<Void, Never>

    public init(_ store: Store, every interval: Duration = .seconds(10), webhooks: WebhookSender = WebhookSender(), mail: MailSender? = nil,
                logger: Logger) {
        let owner = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
        self.owner = owner
        let handlers = BackgroundJobs.handlers(webhooks: webhooks, mail: mail)
        task = Task {
            while !Task.isCancelled {
                do { _ = try await BackgroundJobs.runDue(store, owner: owner, handlers: handlers, logger: logger) } catch {
                    // The database is unreachable for now: try again at the next turn.
                    logger.warning("background jobs could not run", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Stops the loop after the job it is running, if any.
    public func stop() async {
        task.cancel()
        await task.value
    }
}
