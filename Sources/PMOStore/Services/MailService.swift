import FluentKit
import Foundation
import PMOCore
import SQLKit

/// E-mail, reached as `store.mail`: each person's preferences (a mode per topic, the digest time), and the outbox the
/// background fills from the inbox (`collect`: a mail per entry its reader wants at once, a daily digest of what is
/// still unread, the PMO's weekly digest on Mondays) and the server's sender empties (`dispatch`, `markSent`,
/// `recordFailure`). Like the inbox, nothing is mailed in a request, and a person is only ever mailed their own inbox,
/// which already holds only what they may see. The outbox holds ids, not words: the sender words each mail in its
/// reader's language when it sends it.
public struct MailService: StoreFeature {
    public let store: Store
}

extension Store {
    /// E-mail preferences and the outbox (`MailService`).
    public var mail: MailService { MailService(store: self) }
}

/// A person's e-mail preferences as the settings page shows them.
public struct MailPreferencesView: Sendable {
    public var email: String
    public var preferences: MailPreferences
    public var version: Int
    /// The person has the PMO role in a project, so the weekly digest is theirs to choose.
    public var hearsWeekly: Bool
}

/// What one mail of the outbox is about.
public enum MailKind: String, Sendable, CaseIterable {
    /// One inbox entry, sent at once.
    case entry
    /// The day's unread entries of the topics asked for daily.
    case daily
    /// The PMO's weekly digest, computed when it is sent.
    case weekly
}

/// One mail of the outbox with what the sender needs: its reader, and the inbox entries it is about.
public struct MailOutboxView: Sendable {
    public var id: UUID
    public var kind: MailKind
    public var userID: UUID
    public var email: String
    public var displayName: String
    public var locale: String
    public var timeZone: String
    public var entries: [InboxEntryView]
    public var createdAt: Date
    public var state: String
}

/// The PMO's weekly digest: open signals by project, overdue items by owner, decisions waiting for their decider.
public struct PMOWeeklyDigest: Sendable {
    public struct ProjectSignals: Sendable {
        public var projectKey: String
        public var projectName: String
        public var red: Int
        public var amber: Int
        /// The worst few, worst first.
        public var top: [SignalView]
    }

    public struct OwnerOverdue: Sendable {
        public var owner: String
        public var count: Int
        /// Days past due of the oldest.
        public var oldestDays: Int
        /// The first few, most overdue first ("CRM-A3").
        public var references: [String]
    }

    public struct WaitingDecision: Sendable {
        public var projectKey: String
        public var reference: String
        public var title: String
        public var dueDate: CalendarDate?
        /// Days since it was raised.
        public var waitingDays: Int
    }

    public var today: CalendarDate
    public var signals: [ProjectSignals]
    public var overdue: [OwnerOverdue]
    public var decisions: [WaitingDecision]

    public var isEmpty: Bool { signals.isEmpty && overdue.isEmpty && decisions.isEmpty }
}

extension MailService {
    /// The recurring job that fills the outbox.
    public static let collectJobKind = "mail"
    /// The job that sends one mail of the outbox (its key is the mail's id).
    public static let deliveryJobKind = "mail_delivery"
    static let cursorName = "mail"
    /// How old an inbox entry may be and still be mailed at once.
    static let immediateWindow: TimeInterval = 3_600
    /// Attempts per mail before it is marked failed (waits of 30 s, 1, 2 and 4 min between).
    public static let deliveryAttempts = 5

    // MARK: Preferences

    public func preferences(_ caller: Caller) async throws -> MailPreferencesView {
        let (prefs, version) = try await stored(userID: caller.userID, on: db)
        return MailPreferencesView(email: caller.email, preferences: prefs, version: version, hearsWeekly: try await hearsWeekly(caller.userID, on: db))
    }

    /// Replaces the caller's modes for the topics named (others keep theirs) and, when given, the digest time
    /// ("HH:MM"); an unknown topic, a mode the topic does not offer or a bad time is refused naming the field.
    public func updatePreferences(_ caller: Caller, modes: [String: String], digestTime: String?, reminderDays: String? = nil,
                                  expectedVersion: Int?) async throws -> MailPreferencesView {
        let at = now()
        return try await write { db in
            let (current, version) = try await stored(userID: caller.userID, on: db)
            if let expectedVersion, expectedVersion != version { throw staleVersion(version) }
            let (next, errors) = MailPreferences.parse(modes: modes, digestTime: digestTime, reminderDays: reminderDays, into: current)
            if !errors.isEmpty { throw DomainError.invalid("mail.invalid_preferences", errors) }
            let encoded = StoredValues.json(Dictionary(uniqueKeysWithValues: next.modes.map { ($0.key.rawValue, $0.value.rawValue) }))
            try await db.sql().raw("""
                INSERT INTO mail_settings (user_id, modes, digest_minutes, reminder_days, updated_at, version)
                VALUES (\(bind: caller.userID), \(bind: encoded), \(bind: next.digestMinutes), \(bind: next.reminderDays), \(bind: at), \(bind: version + 1))
                ON CONFLICT (user_id) DO UPDATE SET modes = excluded.modes, digest_minutes = excluded.digest_minutes,
                  reminder_days = excluded.reminder_days, updated_at = excluded.updated_at, version = excluded.version
                """).run()
            return MailPreferencesView(email: caller.email, preferences: next, version: version + 1,
                                       hearsWeekly: try await hearsWeekly(caller.userID, on: db))
        }
    }

    func stored(userID: UUID, on db: any Database) async throws -> (MailPreferences, Int) {
        guard let row = try await db.readRows("SELECT modes, digest_minutes, version, reminder_days FROM mail_settings WHERE user_id = \(bind: userID)",
                                              columns: ["modes", "digest_minutes", "version", "reminder_days"]).first else { return (MailPreferences(), 0) }
        var prefs = Self.preferences(modes: try row.string(0), digestMinutes: try row.int(1))
        prefs.reminderDays = try row.int(3)
        return (prefs, try row.int(2))
    }

    static func preferences(modes: String, digestMinutes: Int) -> MailPreferences {
        var prefs = MailPreferences(digestMinutes: digestMinutes)
        for (topic, mode) in StoredValues.decode([String: String].self, modes) ?? [:] {
            if let t = MailTopic(rawValue: topic), let m = MailMode(rawValue: mode), t.modes.contains(m) { prefs.modes[t] = m }
        }
        return prefs
    }

    func hearsWeekly(_ userID: UUID, on db: any Database) async throws -> Bool {
        !(try await db.readRows("SELECT user_id FROM memberships WHERE user_id = \(bind: userID) AND role = 'pmo' LIMIT 1", columns: ["user_id"]).isEmpty)
    }

    // MARK: Filling the outbox

    struct Reader: Sendable {
        var id: UUID
        var timeZone: TimeZone
        var prefs: MailPreferences
    }

    /// Adds to the outbox what is due since the last collection: a mail per new inbox entry its reader wants at once,
    /// each reader's daily digest once their digest time has passed today (their time zone), and on Mondays the
    /// weekly digest of those with the PMO role. Answers how many mails it added. The first collection only sets the
    /// cursor: nobody is mailed what happened before e-mail was set up.
    @discardableResult
    public func collect() async throws -> Int {
        let at = now()
        let cursor = try await db.readRows("SELECT position FROM inbox_cursors WHERE name = \(bind: Self.cursorName)", columns: ["position"])
            .first.map { try $0.date(0) }
        var readers: [UUID: Reader] = [:]
        for r in try await db.readRows("""
            SELECT u.id, u.time_zone, s.modes, s.digest_minutes FROM users u LEFT JOIN mail_settings s ON s.user_id = u.id
            WHERE u.is_active = \(bind: true)
            """, columns: ["id", "time_zone", "modes", "digest_minutes"]) {
            let prefs = try r.stringOrNil(2).map { Self.preferences(modes: $0, digestMinutes: try r.intOrNil(3) ?? MailPreferences.defaultDigestMinutes) }
                ?? MailPreferences()
            readers[try r.uuid(0)] = Reader(id: try r.uuid(0), timeZone: TimeZone(identifier: try r.string(1)) ?? .japan, prefs: prefs)
        }
        // New entries wanted at once.
        var immediate: [(user: UUID, entry: UUID)] = []
        // Entries more than an hour old are no longer news to send at once (e-mail was off meanwhile, say): they wait
        // for the daily digest.
        if let since = cursor.map({ max($0, at.addingTimeInterval(-Self.immediateWindow)) }) {
            for r in try await db.readRows("""
                SELECT id, user_id, kind FROM inbox_entries WHERE created_at > \(bind: since) AND created_at <= \(bind: at) ORDER BY created_at, id
                """, columns: ["id", "user_id", "kind"]) {
                guard let reader = readers[try r.uuid(1)], let topic = MailTopic(rawValue: try r.string(2)), reader.prefs.mode(topic) == .immediate else { continue }
                immediate.append((reader.id, try r.uuid(0)))
            }
        }
        // Digests whose time has come today.
        var digests: [(user: UUID, kind: MailKind, key: String)] = []
        let weekly = Set(try await db.readRows("SELECT DISTINCT user_id FROM memberships WHERE role = 'pmo'", columns: ["user_id"]).map { try $0.uuid(0) })
        if cursor != nil {
            for reader in readers.values {
                let local = CalendarDate(at, in: reader.timeZone)
                let minutes = Self.minutesOfDay(at, in: reader.timeZone)
                guard minutes >= reader.prefs.digestMinutes else { continue }
                if MailTopic.allCases.contains(where: { reader.prefs.mode($0) == .daily }) { digests.append((reader.id, .daily, "daily:\(local)")) }
                if local.weekday == 1, weekly.contains(reader.id), reader.prefs.mode(.pmoWeekly) == .weekly {
                    digests.append((reader.id, .weekly, "weekly:\(local)"))
                }
            }
        }
        let (entryMails, digestMails, readersByID) = (immediate, digests, readers)
        return try await write { db in
            var added = 0
            for m in entryMails where try await insert(user: m.user, kind: .entry, key: "entry:\(m.entry.uuidString.lowercased())", entries: [m.entry], at: at, on: db) {
                added += 1
            }
            for d in digestMails {
                guard try await !exists(user: d.user, key: d.key, on: db) else { continue }
                var entries: [UUID] = []
                if d.kind == .daily, let reader = readersByID[d.user] {
                    entries = try await dailyEntries(reader, until: at, on: db)
                }
                // An empty day is remembered (no mail), so the next collections do not look again.
                if try await insert(user: d.user, kind: d.kind, key: d.key, entries: entries, at: at, empty: d.kind == .daily && entries.isEmpty, on: db) {
                    added += d.kind == .daily && entries.isEmpty ? 0 : 1
                }
            }
            try await db.sql().raw("""
                INSERT INTO inbox_cursors (name, position) VALUES (\(bind: Self.cursorName), \(bind: at))
                ON CONFLICT (name) DO UPDATE SET position = excluded.position
                """).run()
            return added
        }
    }

    /// The reader's unread entries of the topics they take daily, since their last daily digest (or the last day).
    func dailyEntries(_ reader: Reader, until at: Date, on db: any Database) async throws -> [UUID] {
        let last = try await db.readRows("""
            SELECT created_at FROM mail_outbox WHERE user_id = \(bind: reader.id) AND kind = 'daily' ORDER BY created_at DESC LIMIT 1
            """, columns: ["created_at"]).first.map { try $0.date(0) }
        let since = last ?? at.addingTimeInterval(-86_400)
        let kinds = MailTopic.allCases.filter { reader.prefs.mode($0) == .daily }.map(\.rawValue)
        guard !kinds.isEmpty else { return [] }
        return try await db.readRows("""
            SELECT id FROM inbox_entries WHERE user_id = \(bind: reader.id) AND read_at IS NULL AND kind IN (\(binds: kinds))
              AND created_at > \(bind: since) AND created_at <= \(bind: at) ORDER BY created_at, id LIMIT 200
            """, columns: ["id"]).map { try $0.uuid(0) }
    }

    func exists(user: UUID, key: String, on db: any Database) async throws -> Bool {
        !(try await db.readRows("SELECT id FROM mail_outbox WHERE user_id = \(bind: user) AND mail_key = \(bind: key)", columns: ["id"]).isEmpty)
    }

    /// One mail and the job that sends it (none for an empty day); false when the key was already there.
    func insert(user: UUID, kind: MailKind, key: String, entries: [UUID], at: Date, empty: Bool = false, on db: any Database) async throws -> Bool {
        guard try await !exists(user: user, key: key, on: db) else { return false }
        let id = UUID()
        try await db.sql().raw("""
            INSERT INTO mail_outbox (id, user_id, kind, mail_key, entry_ids, state, attempts, created_at)
            VALUES (\(bind: id), \(bind: user), \(bind: kind.rawValue), \(bind: key), \(bind: StoredValues.json(entries.map { $0.uuidString.lowercased() })),
              \(bind: empty ? "empty" : "queued"), 0, \(bind: at))
            """).run()
        if !empty {
            try await store.jobs.insert(kind: Self.deliveryJobKind, key: id.uuidString.lowercased(), runAt: at, maxAttempts: Self.deliveryAttempts, at: at, on: db)
        }
        return true
    }

    static func minutesOfDay(_ at: Date, in zone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: at)
        return (c.hour ?? 0) * 60 + (c.minute ?? 0)
    }

    // MARK: Sending

    /// One queued mail with its reader and entries; nil when it is gone, already sent, or its reader was deactivated.
    public func dispatch(_ id: UUID) async throws -> MailOutboxView? {
        guard let r = try await db.readRows("""
            SELECT o.id, o.kind, o.user_id, u.email, u.display_name, u.locale, u.time_zone, o.entry_ids, o.created_at, o.state, u.is_active
            FROM mail_outbox o JOIN users u ON u.id = o.user_id WHERE o.id = \(bind: id)
            """, columns: ["id", "kind", "user_id", "email", "display_name", "locale", "time_zone", "entry_ids", "created_at", "state", "is_active"]).first,
            try r.string(9) == "queued", try r.bool(10), let kind = MailKind(rawValue: try r.string(1)) else { return nil }
        let ids = (StoredValues.decode([String].self, try r.string(7)) ?? []).compactMap(UUID.init(uuidString:))
        let entries = ids.isEmpty ? [] : try await store.inbox.read("e.id IN (\(binds: ids)) AND e.user_id = \(bind: try r.uuid(2))", limit: 1000)
        return MailOutboxView(id: try r.uuid(0), kind: kind, userID: try r.uuid(2), email: try r.string(3), displayName: try r.string(4),
                              locale: try r.string(5), timeZone: try r.string(6), entries: entries.reversed(), createdAt: try r.date(8), state: try r.string(9))
    }

    /// A queued mail that will not be sent (its reader was deactivated, or it is gone): marked so, not left queued.
    public func skip(_ id: UUID) async throws {
        try await write { db in
            try await db.sql().raw("UPDATE mail_outbox SET state = 'skipped' WHERE id = \(bind: id) AND state = 'queued'").run()
        }
    }

    public func markSent(_ id: UUID, messageID: String) async throws {
        let at = now()
        try await write { db in
            try await db.sql().raw("""
                UPDATE mail_outbox SET state = 'sent', sent_at = \(bind: at), message_id = \(bind: messageID), attempts = attempts + 1,
                  last_error = NULL WHERE id = \(bind: id)
                """).run()
        }
    }

    /// A mail that could not go: nothing to send (no entries left), or failed (`final`: no more attempts).
    public func recordFailure(_ id: UUID, error: String, final: Bool, state: String? = nil) async throws {
        try await write { db in
            try await db.sql().raw("""
                UPDATE mail_outbox SET attempts = attempts + 1, last_error = \(bind: String(error.prefix(1_000))),
                  state = \(bind: state ?? (final ? "failed" : "queued")) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// A person's latest mails, newest first (the settings page shows them).
    public func recent(_ caller: Caller, limit: Int = 20) async throws -> [(kind: MailKind, state: String, createdAt: Date, sentAt: Date?, error: String?)] {
        try await db.readRows("""
            SELECT kind, state, created_at, sent_at, last_error FROM mail_outbox WHERE user_id = \(bind: caller.userID) AND state <> 'empty'
            ORDER BY created_at DESC, id LIMIT \(literal: max(1, min(limit, 200)))
            """, columns: ["kind", "state", "created_at", "sent_at", "last_error"]).compactMap { r in
            guard let kind = MailKind(rawValue: try r.string(0)) else { return nil }
            return (kind, try r.string(1), try r.date(2), try r.dateOrNil(3), try r.stringOrNil(4))
        }
    }

    // MARK: The PMO's weekly digest

    /// What the weekly digest of `caller` says today: the open signals of the projects they read signals of, and in
    /// the projects where they have the PMO role, the overdue items by owner and the decisions awaiting a decider.
    public func weeklyDigest(_ caller: Caller) async throws -> PMOWeeklyDigest {
        let zone = TimeZone(identifier: caller.timeZone) ?? .japan
        let today = CalendarDate(now(), in: zone)
        let open = try await store.signals.acrossProjects(caller)
        var signals: [PMOWeeklyDigest.ProjectSignals] = []
        for (key, list) in Dictionary(grouping: open, by: \.projectKey).sorted(by: { $0.key < $1.key }) {
            signals.append(.init(projectKey: key, projectName: list[0].projectName, red: list.filter { $0.severity == .red }.count,
                                 amber: list.filter { $0.severity == .amber }.count, top: Array(list.prefix(3))))
        }
        var overdue: [UUID: (count: Int, oldest: Int, refs: [(Int, String)])] = [:]
        var decisions: [PMOWeeklyDigest.WaitingDecision] = []
        for (project, role) in try await store.projects.list(for: caller) where role == .pmo {
            let context = try ProjectContext(project: project, role: role, actor: caller.actor(role: role))
            for r in try await store.items.allRows(context, ItemRowFilter(openOnly: true), on: db) {
                let reference = r.reference(project.key)
                if r.type == .decision, RegisterKind.decision.dueStatuses.contains(r.status) {
                    decisions.append(.init(projectKey: project.key, reference: reference, title: r.title, dueDate: r.dueDate,
                                           waitingDays: today.dayNumber - CalendarDate(r.createdAt, in: zone).dayNumber))
                }
                guard let owner = r.ownerID, let due = r.dueDate, due < today else { continue }
                let late = today.dayNumber - due.dayNumber
                var entry = overdue[owner] ?? (0, 0, [])
                entry.count += 1
                entry.oldest = max(entry.oldest, late)
                entry.refs.append((late, reference))
                overdue[owner] = entry
            }
        }
        let names = try await names(table: "users", column: "display_name", ids: Set(overdue.keys), on: db)
        let owners = overdue.map { id, e in
            PMOWeeklyDigest.OwnerOverdue(owner: names[id] ?? "", count: e.count, oldestDays: e.oldest,
                                         references: e.refs.sorted { ($1.0, $0.1) < ($0.0, $1.1) }.prefix(5).map(\.1))
        }.sorted { ($1.count, $0.owner) < ($0.count, $1.owner) }
        return PMOWeeklyDigest(today: today, signals: signals, overdue: owners,
                               decisions: decisions.sorted { ($1.waitingDays, $0.reference) < ($0.waitingDays, $1.reference) })
    }
}
