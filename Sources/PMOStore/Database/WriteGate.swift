/// Lets one write transaction run at a time on SQLite.
///
/// SQLite allows one writer; two deferred transactions that both read and then write would fail with a
/// stale snapshot instead of waiting. Queueing writers in-process keeps the write path simple and correct.
/// PostgreSQL does not use the gate: rows are locked with `SELECT ... FOR UPDATE` instead.
public actor WriteGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
