import FluentKit
import Foundation
import PMOCore
import SQLKit

/// What people do with a signal: acknowledge it with a note, snooze it until a date, or turn it into a risk or an issue.
/// Each keeps the signal's severity and magnitude at that moment, so a later computation can tell "worse than that".
extension SignalService {
    /// Acknowledges an open signal, with a note; with `snoozeUntil` it is also put off until that date (after today, at
    /// most `snoozeMaxDays` ahead). A version that is not the signal's is refused (409).
    public func acknowledge(_ caller: Caller, key: String, id: UUID, note: String, snoozeUntil: CalendarDate? = nil,
                            expectedVersion: Int? = nil) async throws -> SignalView {
        let at = now()
        let today = Self.today(at)
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        var e = FieldErrors()
        if note.count > Self.noteMax { e.add("note", "too_long", "A note may have at most \(Self.noteMax) characters (it has \(note.count)).") }
        if let until = snoozeUntil {
            if until <= today {
                e.add("snoozeUntil", "not_future", "Snooze until a day after today (\(today)); to look at it again today, acknowledge it instead.")
            } else if until.dayNumber - today.dayNumber > Self.snoozeMaxDays {
                e.add("snoozeUntil", "too_far", "A signal may be snoozed for at most \(Self.snoozeMaxDays) days (until \(today.adding(days: Self.snoozeMaxDays))).")
            }
        }
        try e.throwIfAny("signal.invalid")
        return try await write { db in
            let context = try await signalContext(caller, key: key, act: true, on: db)
            let current = try await open(context, id: id, expectedVersion: expectedVersion, on: db)
            try await db.sql().raw("""
                UPDATE signals SET ack_by_id = \(bind: caller.userID), ack_at = \(bind: at), ack_note = \(bind: note.isEmpty ? nil : note),
                  ack_severity = severity, ack_magnitude = magnitude, snoozed_until = \(bind: snoozeUntil?.description),
                  version = version + 1
                WHERE id = \(bind: id)
                """).run()
            try await recordEvent(id, snoozeUntil == nil ? "acknowledged" : "snoozed", current, caller: caller,
                             note: [snoozeUntil.map { "→ \($0)" }, note.isEmpty ? nil : note].compactMap { $0 }.joined(separator: " "), at: at, on: db)
            return try await one(context, id: id, on: db)
        }
    }

    /// Turns an open signal into a risk or an issue in one step: the item is created with `title` and `description`
    /// (the page and the API word them from the signal in the caller's language), owned by the caller, derived from
    /// the signal's item when the signal is about one; the signal is acknowledged and points at the new item. A signal
    /// already turned into an item that still exists is refused (409), naming it.
    public func convert(_ caller: Caller, key: String, id: UUID, into kind: SignalConversion, title: String, description: String,
                        expectedVersion: Int? = nil) async throws -> (SignalView, reference: String) {
        let at = now()
        return try await write { db in
            let context = try await signalContext(caller, key: key, act: true, on: db)
            let current = try await open(context, id: id, expectedVersion: expectedVersion, on: db)
            if let existing = current.item {
                throw DomainError.conflict("signal.already_converted", "This signal was already turned into \(existing); open that item instead.",
                                           subjects: [existing])
            }
            let origin: ItemReference? = current.subject.hasPrefix("item:") ? ItemReference(String(current.subject.dropFirst(5))) : nil
            let title = String(title.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
            let record: RegisterItemRecord
            switch kind {
            case .risk:
                var details: [String: RegisterValue] = [
                    "riskType": .text("threat"), "category": .text(Self.riskCategory(current.code)),
                    "probability": .integer(current.severity == .red ? 4 : 3), "impactSchedule": .integer(3), "impactCost": .integer(3),
                    "impactQuality": .integer(3),
                ]
                details["cause"] = .text(description)
                record = try await store.items.insertRegisterItem(
                    context, caller: caller, kind: .risk,
                    fields: RegisterItemFields(title: title, description: description, status: "identified", ownerID: UserID(caller.userID),
                                               details: details),
                    origin: origin, at: at, on: db)
            case .issue:
                record = try await store.items.insertIssue(
                    context, caller: caller,
                    fields: IssueFields(title: title, description: description, ownerID: UserID(caller.userID),
                                        priority: current.severity == .red ? .high : .medium),
                    at: at, on: db)
                if let origin {
                    let me = LinkedItem(type: .issue, id: try record.requireID(), number: record.number, title: record.title, status: record.status,
                                        version: record.version, facts: record.facts)
                    let target = try await store.items.resolveItem(context, origin, field: "origin", on: db)
                    try await store.items.insertLink(context, caller: caller, from: me, to: target, kind: .derivedFrom, at: at, on: db)
                }
            }
            let reference = (kind == .risk ? ItemType.risk : .issue).reference(projectKey: key, number: record.number)
            try await db.sql().raw("""
                UPDATE signals SET item_id = \(bind: try record.requireID()), ack_by_id = \(bind: caller.userID), ack_at = \(bind: at),
                  ack_severity = severity, ack_magnitude = magnitude, version = version + 1
                WHERE id = \(bind: id)
                """).run()
            try await recordEvent(id, "converted", current, caller: caller, note: reference, at: at, on: db)
            return (try await one(context, id: id, on: db), reference)
        }
    }

    /// The risk category a signal's risk starts in.
    static func riskCategory(_ code: SignalCode) -> String {
        switch code {
        case .cpiLow, .cpiFalling: "cost"
        case .vendorSlipping, .companyNotReported: "vendor"
        case .ownerNotReported: "resource"
        case .riskTriggered, .riskReviewOverdue, .riskNoOwner, .itemStale, .questionBlocking, .decisionLate, .actionsOverdue: "other"
        default: "schedule"
        }
    }

    /// The signal, checked open and at `expectedVersion`.
    func open(_ context: ProjectContext, id: UUID, expectedVersion: Int?, on db: any Database) async throws -> SignalView {
        try await lockRow(db, table: "signals", id: id)
        let current = try await one(context, id: id, on: db)
        if let expectedVersion, expectedVersion != current.version { throw staleVersion(current.version) }
        guard current.isOpen else {
            throw DomainError.conflict("signal.cleared", "This signal has cleared by itself (its condition ended); there is nothing to act on.")
        }
        return current
    }

    func recordEvent(_ id: UUID, _ action: String, _ s: SignalView, caller: Caller, note: String, at: Date, on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO signal_events (id, signal_id, at, action, actor_id, severity, signal_values, note)
            VALUES (\(bind: UUID()), \(bind: id), \(bind: at), \(bind: action), \(bind: caller.userID), \(bind: s.severity.rawValue),
              \(bind: StoredValues.json(s.values)), \(bind: note.isEmpty ? nil : note))
            """).run()
    }
}
