import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own, at a lower scheduling priority, for the background jobs' long computations (a project's
/// signals): run on Swift's cooperative threads, a computation of half a second holds one of the few threads every
/// request's handler needs (two on a two-core machine) and the requests' latency suffers; here the operating system
/// gives the requests the cores first. Work runs one piece at a time, in order.
public final class BackgroundWork: @unchecked Sendable {
    public static let shared = BackgroundWork()

    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "pmo-background-work"
        thread.start()
    }

    private func loop() {
        #if canImport(Glibc)
        // On Linux a thread has its own nice value; 10 yields to the server's threads (0) without starving.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let work = queue.removeFirst()
            condition.unlock()
            work()
        }
    }

    /// Runs `work` on the background thread and answers its result.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.lock()
            queue.append { continuation.resume(returning: work()) }
            condition.signal()
            condition.unlock()
        }
    }
}
