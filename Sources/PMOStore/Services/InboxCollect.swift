import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Collecting inbox entries, in the background (the `inbox` job, every minute): the audit trail's events on items
/// since the last collection (assignments, changes, comments and mentions), due dates coming up, and signals raised
/// or worse about an item. Each entry has a key unique per person (the event it comes from), so collecting the same
/// events twice adds nothing: the collector may run again after a crash. Nothing is collected in a request.
extension InboxService {
    /// The job that collects every inbox.
    public static let jobKind = "inbox"
    /// Due dates this many days ahead are reminded (and on the day itself).
    public static let reminderDays = MailPreferences.defaultReminderDays
    /// Where the first collection starts: a week back, so a new installation's inboxes start with recent news only.
    public static let firstLookBack: TimeInterval = 7 * 86_400

    /// A member as a recipient: who they are and what they may see.
    struct Recipient: Sendable {
        var userID: UUID
        var companyID: UUID
        var isAdmin: Bool
        var role: ProjectRole?
        var mentionName: String
        var actor: AccessPolicy.Actor {
            AccessPolicy.Actor(userID: UserID(userID), companyID: CompanyID(companyID), isSystemAdmin: isAdmin, role: role)
        }
    }

    /// Collects what happened since the last collection (the first one from `start`, else a week back); answers how
    /// many entries were added.
    @discardableResult
    public func collect(firstFrom start: Date? = nil) async throws -> Int {
        let at = now()
        let since = try await db.readRows("SELECT position FROM inbox_cursors WHERE name = 'events'", columns: ["position"])
            .first.map { try $0.date(0) } ?? start ?? at.addingTimeInterval(-Self.firstLookBack)
        var added = 0
        var page = AuditPage(since: since)
        // The audit trail's item events, a page at a time (an event at the cursor's instant may be read again by the
        // next collection: its entries' keys are unique, so it adds nothing the second time).
        while true {
            let events = try await db.readRows("""
                SELECT id, at, actor_id, project_id, entity_type, entity_id, action, changes FROM audit_events
                WHERE \(page.condition) AND at <= \(bind: at) AND action IN ('create', 'update', 'comment')
                  AND entity_type IN (\(binds: ItemType.allCases.map(\.auditEntityType)))
                ORDER BY at, id LIMIT \(literal: AuditPage.size)
                """, columns: ["id", "at", "actor_id", "project_id", "entity_type", "entity_id", "action", "changes"])
            added += try await entries(forEvents: events)
            guard try page.advance(past: events) else { break }
        }
        added += try await dueReminders(today: SignalService.today(at))
        added += try await signalEntries(since: since, until: at)
        added += try await minutesToApprove(at: at)
        added += try await reportsIssued(since: since, until: at)
        added += try await minutesMentions(since: since, until: at)
        try await write { db in
            try await db.sql().raw("""
                INSERT INTO inbox_cursors (name, position) VALUES ('events', \(bind: at))
                ON CONFLICT (name) DO UPDATE SET position = excluded.position
                """).run()
        }
        return added
    }

    /// The entries the audit events make: the new owner (or decider) of an item told it is theirs, its owner, decider
    /// and watchers told of changes and comments by others, and the members a comment mentions.
    func entries(forEvents events: [RowReader]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        let itemIDs = Set(try events.map { try $0.uuid(5) })
        let items = Dictionary(try await RegisterItemRecord.select("id IN (\(binds: Array(itemIDs)))", on: db).map { (try $0.requireID(), $0) },
                               uniquingKeysWith: { a, _ in a })
        let watching = try await store.items.watchers(of: Array(itemIDs), on: db)
        let projects = Projects(self)
        var pending: [Pending] = []
        for e in events {
            guard let item = items[try e.uuid(5)], let type = ItemType(rawValue: item.register),
                  let (key, members) = try await projects.of(item.projectID) else { continue }
            let eventID = try e.uuid(0).uuidString.lowercased()
            let actor = try e.uuidOrNil(2)
            let changes = (try? JSONDecoder().decode([FieldChange].self, from: Data(try e.string(7).utf8))) ?? []
            let reference = type.reference(projectKey: key, number: item.number)
            let eventAt = try e.date(1)
            func add(_ user: UUID?, _ kind: InboxKind, _ values: [String: String] = [:]) {
                guard let user, user != actor, let who = members[user], AccessPolicy.allows(who.actor, .readItem, item: item.facts) else { return }
                pending.append(Pending(user: user, project: item.projectID, kind: kind, itemID: item.id, reference: reference, title: item.title,
                                       actor: actor, values: values, key: "event:\(eventID):\(kind.rawValue)", at: eventAt))
            }
            func changedTo(_ field: String) -> String? { changes.first { $0.field == field }.flatMap { $0.to } }
            let deciderChange = changedTo("decider").flatMap(UUID.init(uuidString:))
            // Its owner and decider, and whoever watches it.
            let watchers = Set([item.ownerID, item.deciderID].compactMap { $0 }).union(watching[item.id ?? UUID()] ?? [])
            switch try e.string(6) {
            case "create":
                add(item.ownerID, .assigned)
                if item.deciderID != item.ownerID { add(item.deciderID, .assigned) }
            case "update":
                let newOwner = changedTo("owner").flatMap(UUID.init(uuidString:))
                add(newOwner, .assigned)
                if let deciderChange, deciderChange != newOwner { add(deciderChange, .assigned) }
                let fields = changes.map(\.field).filter { $0 != "owner" && $0 != "decider" }
                if !fields.isEmpty {
                    var values = ["fields": fields.sorted().joined(separator: ", ")]
                    if let status = changedTo("status") { values["status"] = status }
                    for watcher in watchers where watcher != newOwner && watcher != deciderChange {
                        add(watcher, .changed, values)
                    }
                }
            case "comment":
                let text = changedTo("comment") ?? ""
                let excerpt = String(text.split(separator: "\n").first ?? "").prefix(200)
                let mentioned = Self.mentions(in: text, members: Array(members.values))
                for user in mentioned { add(user, .mentioned, ["comment": String(excerpt)]) }
                for watcher in watchers where !mentioned.contains(watcher) {
                    add(watcher, .commented, ["comment": String(excerpt)])
                }
            default:
                break
            }
        }
        return try await store(pending)
    }

    /// The members a text mentions: `@` followed by the part of their e-mail address before the `@` (`@tanaka` for
    /// tanaka@example.com), not inside a word. A name that is no member's stays plain text.
    static func mentions(in text: String, members: [Recipient]) -> Set<UUID> {
        guard text.contains("@") else { return [] }
        var found = Set<UUID>()
        let lower = text.lowercased()
        for m in members where !m.mentionName.isEmpty {
            var search = lower.startIndex
            while let r = lower.range(of: "@" + m.mentionName, range: search..<lower.endIndex) {
                // Not inside a word before it ("x@tanaka", an e-mail address), and not a longer name after it
                // ("@tanakayuki", "@tanaka.yuki"); a full stop or comma after it ends the name.
                let before = r.lowerBound == lower.startIndex ? nil : lower[lower.index(before: r.lowerBound)]
                let inWord = before.map { $0.isLetter || $0.isNumber || "._-".contains($0) } ?? false
                var continues = false
                if r.upperBound < lower.endIndex {
                    let next = lower[r.upperBound]
                    if next.isLetter || next.isNumber {
                        continues = true
                    } else if "._-".contains(next) {
                        let following = lower.index(after: r.upperBound)
                        continues = following < lower.endIndex && (lower[following].isLetter || lower[following].isNumber)
                    }
                }
                if !inWord && !continues {
                    found.insert(m.userID)
                    break
                }
                search = r.upperBound
            }
        }
        return found
    }

    /// Each project's key and members, read once per collection step.
    final class Projects {
        let inbox: InboxService
        var members: [UUID: [UUID: Recipient]] = [:]
        var keys: [UUID: String] = [:]
        init(_ inbox: InboxService) { self.inbox = inbox }

        /// The project's key and members (nil when the project is gone).
        func of(_ projectID: UUID) async throws -> (key: String, members: [UUID: Recipient])? {
            if members[projectID] == nil {
                members[projectID] = try await inbox.recipients(projectID: projectID)
                keys[projectID] = try await inbox.db.readRows("SELECT key FROM projects WHERE id = \(bind: projectID)", columns: ["key"])
                    .first?.string(0)
            }
            guard let key = keys[projectID], let people = members[projectID] else { return nil }
            return (key, people)
        }
    }

    /// The project's members as recipients.
    func recipients(projectID: UUID) async throws -> [UUID: Recipient] {
        var out: [UUID: Recipient] = [:]
        for r in try await db.readRows("""
            SELECT u.id, u.company_id, u.is_admin, m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.project_id = \(bind: projectID) AND u.is_active = \(bind: true)
            """, columns: ["id", "company_id", "is_admin", "role", "email"]) {
            let email = try r.string(4).lowercased()
            let name = String(email.split(separator: "@").first ?? "")
            out[try r.uuid(0)] = Recipient(userID: try r.uuid(0), companyID: try r.uuid(1), isAdmin: try r.bool(2),
                                           role: ProjectRole(rawValue: try r.string(3)), mentionName: name)
        }
        return out
    }

    /// Open items due today or within their owner's reminder days (`MailPreferences.reminderDays`, one by default), to
    /// their owners (once per item and due date).
    func dueReminders(today: CalendarDate) async throws -> Int {
        var ahead: [UUID: Int] = [:]
        for r in try await db.readRows("SELECT user_id, reminder_days FROM mail_settings", columns: ["user_id", "reminder_days"]) {
            ahead[try r.uuid(0)] = try r.int(1)
        }
        let last = today.adding(days: max(Self.reminderDays, ahead.values.max() ?? 0))
        let records = try await RegisterItemRecord.select("""
            is_open = \(bind: true) AND owner_id IS NOT NULL AND due_date >= \(bind: today.description) AND due_date <= \(bind: last.description)
            """, on: db)
        var pending: [Pending] = []
        let projects = Projects(self)
        for item in records {
            guard let owner = item.ownerID, let (key, members) = try await projects.of(item.projectID), let who = members[owner],
                  let type = ItemType(rawValue: item.register), let due = item.dueDate.flatMap(CalendarDate.init(iso:)),
                  due.dayNumber - today.dayNumber <= ahead[owner] ?? Self.reminderDays,
                  AccessPolicy.allows(who.actor, .readItem, item: item.facts) else { continue }
            let itemID = try item.requireID()
            pending.append(Pending(user: owner, project: item.projectID, kind: .dueSoon, itemID: itemID,
                                   reference: type.reference(projectKey: key, number: item.number), title: item.title, actor: nil,
                                   values: ["due": due.description, "days": String(due.dayNumber - today.dayNumber)],
                                   key: "due:\(itemID.uuidString.lowercased()):\(due)", at: now()))
        }
        return try await store(pending)
    }

    /// Signals raised (or raised again, worse) since `since` about an item, to the item's owner, when they may read
    /// signals (not vendors' staff).
    func signalEntries(since: Date, until: Date) async throws -> Int {
        let rows = try await db.readRows("""
            SELECT ev.id, ev.at, s.project_id, s.code, s.subject, ev.signal_values, p.key FROM signal_events ev
            JOIN signals s ON s.id = ev.signal_id JOIN projects p ON p.id = s.project_id
            WHERE ev.at >= \(bind: since) AND ev.at <= \(bind: until) AND ev.action IN ('raised', 'worsened') AND s.subject LIKE 'item:%'
            """, columns: ["id", "at", "project_id", "code", "subject", "signal_values", "key"])
        var pending: [Pending] = []
        let projects = Projects(self)
        for r in rows {
            let projectID = try r.uuid(2)
            guard let ref = ItemReference(String(try r.string(4).dropFirst(5))) else { continue }
            guard let item = try await RegisterItemRecord.select("""
                project_id = \(bind: projectID) AND register = \(bind: ref.type.rawValue) AND number = \(bind: ref.number)
                """, on: db).first, let owner = item.ownerID else { continue }
            guard let who = try await projects.of(projectID)?.members[owner], MeetingAccess.canReadReports(who.actor),
                  AccessPolicy.allows(who.actor, .readItem, item: item.facts) else { continue }
            var values = StoredValues.decode([String: String].self, try r.string(5)) ?? [:]
            values["code"] = try r.string(3)
            let eventID = try r.uuid(0), eventAt = try r.date(1)
            pending.append(Pending(user: owner, project: projectID, kind: .signal, itemID: item.id, reference: ref.description, title: item.title,
                                   actor: nil, values: values, key: "signal:\(eventID.uuidString.lowercased())", at: eventAt))
        }
        return try await store(pending)
    }

    /// Pages of the audit trail in (time, id) order: the first from `since`, each next one strictly after the last
    /// event read, so that thousands of events of one instant (an import, one transaction) are all read.
    struct AuditPage {
        static let size = 1000
        var since: Date
        var last: (at: Date, id: UUID)?

        var condition: SQLQueryString {
            guard let last else { return "at >= \(bind: since)" }
            return "(at > \(bind: last.at) OR (at = \(bind: last.at) AND id > \(bind: last.id)))"
        }

        /// Moves past `events` (columns: id first, then at); false when that was the last page.
        mutating func advance(past events: [RowReader]) throws -> Bool {
            guard events.count == Self.size, let final = events.last else { return false }
            last = (try final.date(1), try final.uuid(0))
            return true
        }
    }

    /// How far back an unapproved meeting is still reminded.
    static let minutesReminderDays = 14

    /// Meetings that ended in the last two weeks without approved minutes, to their chair (once per meeting), when the
    /// chair may see the meeting and run it.
    func minutesToApprove(at: Date) async throws -> Int {
        let today = SignalService.today(at)
        let rows = try await db.readRows("""
            SELECT o.id, o.project_id, o.series_id, o.number, o.date, o.start_minutes, o.duration_minutes, s.name, s.chair_id, s.visibility,
                   s.visibility_company_id
            FROM meeting_occurrences o JOIN meeting_series s ON s.id = o.series_id
            WHERE o.status <> 'approved' AND s.chair_id IS NOT NULL
              AND o.date >= \(bind: today.adding(days: -Self.minutesReminderDays).description) AND o.date <= \(bind: today.description)
            """, columns: ["id", "project_id", "series_id", "number", "date", "start_minutes", "duration_minutes", "name", "chair_id",
                           "visibility", "visibility_company_id"])
        var pending: [Pending] = []
        let projects = Projects(self)
        for r in rows {
            let start = try r.int(5), duration = try r.int(6)
            guard let day = CalendarDate(iso: try r.string(4)), MeetingService.instant(day, minutes: start + duration) <= at else { continue }
            let projectID = try r.uuid(1), chair = try r.uuid(8)
            guard let project = try await projects.of(projectID), let who = project.members[chair] else { continue }
            let key = project.key
            let visibility = Visibility(scope: VisibilityScope(rawValue: try r.string(9)) ?? .internal, companyID: try r.uuidOrNil(10).map(CompanyID.init))
            guard MeetingAccess.canSee(who.actor, visibility), MeetingAccess.canRun(who.actor, chairID: UserID(chair)) else { continue }
            let number = try r.int(3)
            pending.append(Pending(user: chair, project: projectID, kind: .minutesToApprove, itemID: nil, reference: nil, title: try r.string(7),
                                   actor: nil, values: ["number": String(number), "date": day.description,
                                                        "path": "/projects/\(key)/meetings/\(try r.uuid(2).uuidString.lowercased())/\(number)"],
                                   key: "minutes:\(try r.uuid(0).uuidString.lowercased())", at: at))
        }
        return try await store(pending)
    }

    /// Members newly mentioned in minutes since `since` (the meeting's notes or an agenda line's): each who may see the
    /// meeting (and the line) is told, with the line and a link to the meeting. A name already in the notes before the
    /// change is not told again.
    func minutesMentions(since: Date, until: Date) async throws -> Int {
        let rows = try await db.readRows("""
            SELECT id, at, actor_id, project_id, entity_type, entity_id, changes FROM audit_events
            WHERE at >= \(bind: since) AND at <= \(bind: until) AND action = 'update'
              AND entity_type IN ('meeting_occurrence', 'meeting_agenda_item') AND changes LIKE '%@%'
            """, columns: ["id", "at", "actor_id", "project_id", "entity_type", "entity_id", "changes"])
        var pending: [Pending] = []
        let projects = Projects(self)
        for r in rows {
            let changes = StoredValues.decode([FieldChange].self, try r.string(6)) ?? []
            guard let notes = changes.first(where: { $0.field == "notes" }), let text = notes.to, text.contains("@") else { continue }
            let projectID = try r.uuid(3), actor = try r.uuidOrNil(2)
            guard let (key, members) = try await projects.of(projectID) else { continue }
            let people = Array(members.values)
            let mentioned = Self.mentions(in: text, members: people).subtracting(Self.mentions(in: notes.from ?? "", members: people))
            guard !mentioned.isEmpty else { continue }
            let isLine = try r.string(4) == "meeting_agenda_item"
            let entity = try r.uuid(5)
            let query: SQLQueryString = isLine ? """
                SELECT o.series_id AS series_id, o.number AS number, o.date AS date, s.name AS name, s.visibility AS sv,
                       s.visibility_company_id AS sc, i.visibility AS lv, i.visibility_company_id AS lc
                FROM meeting_agenda_items i JOIN meeting_occurrences o ON o.id = i.occurrence_id JOIN meeting_series s ON s.id = o.series_id
                WHERE i.id = \(bind: entity)
                """ : """
                SELECT o.series_id AS series_id, o.number AS number, o.date AS date, s.name AS name, s.visibility AS sv,
                       s.visibility_company_id AS sc, s.visibility AS lv, s.visibility_company_id AS lc
                FROM meeting_occurrences o JOIN meeting_series s ON s.id = o.series_id WHERE o.id = \(bind: entity)
                """
            guard let m = try await db.readRows(query, columns: ["series_id", "number", "date", "name", "sv", "sc", "lv", "lc"]).first else { continue }
            let series = Visibility(scope: VisibilityScope(rawValue: try m.string(4)) ?? .internal, companyID: try m.uuidOrNil(5).map(CompanyID.init))
            let line = Visibility(scope: VisibilityScope(rawValue: try m.string(6)) ?? .internal, companyID: try m.uuidOrNil(7).map(CompanyID.init))
            let excerpt = String((text.split(separator: "\n").first { $0.contains("@") } ?? "").prefix(200))
            let number = try m.int(1)
            for user in mentioned where user != actor {
                guard let who = members[user], MeetingAccess.canSee(who.actor, series), MeetingAccess.canSee(who.actor, line) else { continue }
                pending.append(Pending(user: user, project: projectID, kind: .mentioned, itemID: nil, reference: nil,
                                       title: "\(try m.string(3)) \(try m.string(2))", actor: actor,
                                       values: ["comment": excerpt, "path": "/projects/\(key)/meetings/\(try m.uuid(0).uuidString.lowercased())/\(number)"],
                                       key: "event:\(try r.uuid(0).uuidString.lowercased()):mentioned", at: try r.date(1)))
            }
        }
        return try await store(pending)
    }

    /// Status reports issued since `since`, to every member who reads reports, but the one who issued it.
    func reportsIssued(since: Date, until: Date) async throws -> Int {
        let rows = try await db.readRows("""
            SELECT a.id, a.at, a.actor_id, a.project_id, r.id AS report_id, r.status_date, r.overall FROM audit_events a JOIN status_reports r ON r.id = a.entity_id
            WHERE a.at >= \(bind: since) AND a.at <= \(bind: until) AND a.entity_type = 'status_report' AND a.action = 'issue'
            """, columns: ["id", "at", "actor_id", "project_id", "report_id", "status_date", "overall"])
        var pending: [Pending] = []
        let projects = Projects(self)
        for r in rows {
            let projectID = try r.uuid(3), actor = try r.uuidOrNil(2)
            guard let (key, members) = try await projects.of(projectID) else { continue }
            let date = try r.string(5)
            for (user, who) in members where user != actor && MeetingAccess.canReadReports(who.actor) {
                pending.append(Pending(user: user, project: projectID, kind: .reportIssued, itemID: nil, reference: nil, title: date, actor: actor,
                                       values: ["date": date, "overall": try r.stringOrNil(6) ?? "grey",
                                                "path": "/projects/\(key)/reports/\(try r.uuid(4).uuidString.lowercased())"],
                                       key: "report:\(try r.uuid(0).uuidString.lowercased())", at: try r.date(1)))
            }
        }
        return try await store(pending)
    }

    struct Pending: Sendable {
        var user: UUID
        var project: UUID
        var kind: InboxKind
        var itemID: UUID?
        var reference: String?
        var title: String
        var actor: UUID?
        var values: [String: String]
        var key: String
        var at: Date
    }

    /// Stores the entries not stored before (by person and key), in one transaction; answers how many were new.
    func store(_ pending: [Pending]) async throws -> Int {
        guard !pending.isEmpty else { return 0 }
        return try await write { db in
            var added = 0
            for p in pending {
                added += try await db.readRows("""
                    INSERT INTO inbox_entries (id, user_id, project_id, kind, item_id, reference, title, actor_id, entry_values, dedupe_key, created_at)
                    VALUES (\(bind: UUID()), \(bind: p.user), \(bind: p.project), \(bind: p.kind.rawValue), \(bind: p.itemID), \(bind: p.reference),
                            \(bind: p.title), \(bind: p.actor), \(bind: StoredValues.json(p.values)), \(bind: p.key), \(bind: p.at))
                    ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id
                    """, columns: ["id"]).count
            }
            return added
        }
    }
}
