import FluentKit
import Foundation
import PMOCore
import SQLKit

/// How failed sign-ins are slowed down: after `allowed` failures within `window` for one account, or
/// `allowedPerAddress` from one client address, that account or address is locked for `lock`. An address gets more
/// room than an account because a whole office may sign in through one address: five typos across the office must
/// not lock everyone out, while guessing many accounts from one address is still stopped.
public struct SignInLimits: Sendable {
    public var allowed: Int
    public var allowedPerAddress: Int
    public var window: TimeInterval
    public var lock: TimeInterval

    public init(allowed: Int = 5, allowedPerAddress: Int = 30, window: TimeInterval = 15 * 60, lock: TimeInterval = 15 * 60) {
        self.allowed = allowed
        self.allowedPerAddress = allowedPerAddress
        self.window = window
        self.lock = lock
    }

    /// The failures a throttle key may have before it is locked.
    func allowed(for key: String) -> Int { key.hasPrefix("address:") ? allowedPerAddress : allowed }

    /// The throttle keys of one attempt: the account (by e-mail, as typed, lower-cased) and the client address.
    public static func keys(email: String, address: String) -> [String] {
        ["account:" + email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), "address:" + address]
    }
}

/// Failed sign-ins live in the database (`login_throttle`), so every instance on one database counts the same
/// failures, and a restart forgets none. Each change is one upsert statement: two instances counting at once both
/// count.
extension AccountService {
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The seconds left on the longest lock among `keys`, or nil when none is locked.
    public func signInLockRemaining(keys: [String]) async throws -> Int? {
        let now = AccountService.milliseconds(self.now())
        var longest: Int64 = 0
        for key in keys {
            guard let row = try await sql.raw("SELECT locked_until_ms FROM login_throttle WHERE key = \(bind: key)").first(),
                  let until = try row.decode(column: "locked_until_ms", as: Int64?.self), until > now else { continue }
            longest = max(longest, until - now)
        }
        return longest > 0 ? Int((Double(longest) / 1000).rounded(.up)) : nil
    }

    /// Counts an attempt against each key before its password is checked, so that attempts sent at once cannot all
    /// pass a check made before any of them failed. Returns the seconds to wait when a key is locked, or when this
    /// attempt is beyond the limit (which locks the key); nil when the password may be checked.
    public func beginSignInAttempt(keys: [String], limits: SignInLimits) async throws -> Int? {
        if let seconds = try await signInLockRemaining(keys: keys) { return seconds }
        let now = AccountService.milliseconds(self.now())
        let windowStart = now - Int64(limits.window * 1000)
        var over = false
        for key in keys {
            // One statement: a count after the window starts again at 1, and two instances counting at once both count.
            let row = try await sql.raw("""
                INSERT INTO login_throttle (key, failures, window_start_ms, locked_until_ms)
                VALUES (\(bind: key), 1, \(bind: now), NULL)
                ON CONFLICT (key) DO UPDATE SET
                  failures = CASE WHEN login_throttle.window_start_ms <= \(bind: windowStart) THEN 1 ELSE login_throttle.failures + 1 END,
                  window_start_ms = CASE WHEN login_throttle.window_start_ms <= \(bind: windowStart) THEN \(bind: now) ELSE login_throttle.window_start_ms END
                RETURNING failures
                """).first()
            if let failures = try row?.decode(column: "failures", as: Int.self), failures > limits.allowed(for: key) {
                try await lock(key, until: now + Int64(limits.lock * 1000), now: now)
                over = true
            }
        }
        return over ? Int(limits.lock) : nil
    }

    /// The password was right: the attempt no longer counts against the address, and the account's count is cleared
    /// (the address's is not: one good password must not let an address go on guessing other accounts).
    public func signInSucceeded(keys: [String]) async throws {
        guard let account = keys.first else { return }
        try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: account)").run()
        for key in keys.dropFirst() {
            try await sql.raw("UPDATE login_throttle SET failures = failures - 1 WHERE key = \(bind: key) AND failures > 0").run()
        }
    }

    /// The password was wrong: a key that has reached its allowed failures is locked for `limits.lock`.
    public func signInFailed(keys: [String], limits: SignInLimits) async throws {
        let now = AccountService.milliseconds(self.now())
        for key in keys {
            guard let row = try await sql.raw("SELECT failures FROM login_throttle WHERE key = \(bind: key)").first(),
                  try row.decode(column: "failures", as: Int.self) >= limits.allowed(for: key) else { continue }
            try await lock(key, until: now + Int64(limits.lock * 1000), now: now)
        }
        // Forget what no longer matters (a day-old count that holds no lock), so the table stays small.
        let dayAgo = now - 86_400_000
        try await sql.raw("""
            DELETE FROM login_throttle WHERE window_start_ms < \(bind: dayAgo) AND (locked_until_ms IS NULL OR locked_until_ms < \(bind: now))
            """).run()
    }

    /// Locks a key until `until`, unless it is locked already (attempts during a lock do not extend it).
    private func lock(_ key: String, until: Int64, now: Int64) async throws {
        try await sql.raw("""
            UPDATE login_throttle SET locked_until_ms = \(bind: until)
            WHERE key = \(bind: key) AND (locked_until_ms IS NULL OR locked_until_ms <= \(bind: now))
            """).run()
    }

    /// Changes the caller's own password after checking the current one, clears a forced change, and ends the user's
    /// other sessions (`keepSession`: the cookie token of the session that made the change, which stays signed in).
    /// API tokens stay, except when a temporary password is replaced: then all of them are revoked.
    public func changePassword(_ caller: Caller, current: String, new: String, keepSession: String?, bcryptCost: Int = 12) async throws {
        var e = FieldErrors()
        for problem in AccountRules.passwordProblems(new) { e.add("newPassword", problem.code, problem.message) }
        if !e.isEmpty { try e.throwIfAny("password.invalid") }
        guard let user = try await self.user(id: caller.userID), let stored = user.passwordHash,
              try await Secrets.verifyPassword(current, hash: stored, with: passwords) else {
            throw DomainError.invalid("password.invalid", [FieldError(field: "currentPassword", code: "wrong",
                                                                     message: "The current password is not right.")])
        }
        if current == new {
            throw DomainError.invalid("password.invalid", [FieldError(field: "newPassword", code: "unchanged",
                                                                     message: "Choose a password different from the current one.")])
        }
        let hash = try await Secrets.hashPassword(new, cost: bcryptCost, with: passwords)
        let at = now()
        let keep = keepSession.map(Secrets.hash)
        try await write { db in
            try await lockRow(db, table: "users", id: caller.userID)
            guard let user = try await UserRecord.find(caller.userID, on: db) else {
                throw DomainError.notFound("user.not_found", "No such user.")
            }
            // Leaving a temporary password behind revokes every API token: tokens made with the temporary password
            // (whoever else saw it) and any from before the reset.
            let wasTemporary = user.mustChangePassword
            user.passwordHash = hash
            user.mustChangePassword = false
            user.version += 1
            try await user.update(on: db)
            if wasTemporary {
                try await db.sql().raw("UPDATE api_tokens SET revoked_at = \(bind: at) WHERE user_id = \(bind: caller.userID) AND revoked_at IS NULL").run()
            }
            if let keep {
                try await db.sql().raw("DELETE FROM sessions WHERE user_id = \(bind: caller.userID) AND token_hash <> \(bind: keep)").run()
            } else {
                try await db.sql().raw("DELETE FROM sessions WHERE user_id = \(bind: caller.userID)").run()
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "user", entityID: caller.userID,
                                      action: "change_password", version: user.version,
                                      changes: [FieldChange(field: "password", from: nil, to: "(changed)")])
        }
    }
}
