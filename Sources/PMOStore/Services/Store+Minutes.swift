import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A change to an agenda item; nil fields stay as they are.
public struct AgendaItemPatch: Sendable {
    public var title: String?
    public var notes: String?
    public var carry: Bool?
    public var position: Int?
    /// The item's own minutes (`.some(nil)`: back to its rule's).
    public var minutes: Int??
    /// Who presents it (`.some(nil)`: nobody named).
    public var presenterID: UserID??
    public init(title: String? = nil, notes: String? = nil, carry: Bool? = nil, position: Int? = nil, minutes: Int?? = nil,
                presenterID: UserID?? = nil) {
        self.title = title
        self.notes = notes
        self.carry = carry
        self.position = position
        self.minutes = minutes
        self.presenterID = presenterID
    }
}

/// One item's part of a minutes form: its notes and carry-over mark, checked against the item's version.
public struct MinutesItemEdit: Sendable {
    public var itemID: UUID
    public var expectedVersion: Int?
    public var notes: String?
    public var carry: Bool?
    public var minutes: Int??
    public var presenterID: UserID??
    public init(itemID: UUID, expectedVersion: Int?, notes: String?, carry: Bool?, minutes: Int?? = nil, presenterID: UserID?? = nil) {
        self.itemID = itemID
        self.expectedVersion = expectedVersion
        self.notes = notes
        self.carry = carry
        self.minutes = minutes
        self.presenterID = presenterID
    }
}

/// What a line of the minutes creates in one step: a register item or an issue.
public enum MinutesOutputInput: Sendable {
    case register(RegisterKind, RegisterItemFields)
    case issue(IssueFields)
}

extension MeetingService {
    /// Opens an occurrence for writing minutes: the caller's right, the row locked, and approved minutes refused.
    func beginMinutesWrite(_ caller: Caller, key: String, seriesID: UUID, number: Int, expectedVersion: Int?,
                           on db: any Database) async throws -> (ProjectContext, SeriesRow, OccurrenceRow) {
        let context = try await projectContext(caller, key: key, on: db)
        let series = try await seriesRow(context, id: seriesID, on: db)
        guard MeetingAccess.canRun(context.actor, chairID: series.fields.chairID) else {
            throw DomainError.forbidden("meeting.run_forbidden", "Only the chair, the PMO and PMs write the minutes of '\(series.fields.name)'.")
        }
        guard let found = try await occurrenceRow(seriesID: seriesID, number: number, on: db) else {
            throw DomainError.notFound("meeting.occurrence_not_found",
                                       "The meeting series '\(series.fields.name)' has no occurrence #\(number) yet; prepare it first.")
        }
        try await lockRow(db, table: "meeting_occurrences", id: found.id)
        guard let o = try await occurrenceRow(seriesID: seriesID, number: number, on: db) else {
            throw DomainError.notFound("meeting.occurrence_not_found", "The meeting series '\(series.fields.name)' has no occurrence #\(number).",
                                       subjects: [series.fields.name, "#\(number)"])
        }
        if o.status == .approved { throw MeetingService.frozen(series.fields.name, number: number, version: o.minutesVersion - 1) }
        if let expectedVersion, expectedVersion != o.version {
            throw StoredValues.stale("'\(series.fields.name)' #\(number)", current: o.version, expected: expectedVersion)
        }
        return (context, series, o)
    }

    /// Marks the occurrence held (minutes in draft) and bumps its version.
    func touchOccurrence(_ o: OccurrenceRow, at: Date, on db: any Database) async throws {
        let status = o.status == .approved ? o.status : .held
        try await db.sql().raw("""
            UPDATE meeting_occurrences SET status = \(bind: status.rawValue), updated_at = \(bind: at), version = version + 1
            WHERE id = \(bind: o.id)
            """).run()
    }

    /// Sets the general notes and who was present.
    public func updateMinutes(_ caller: Caller, key: String, seriesID: UUID, number: Int, expectedVersion: Int?,
                              notes: String?, presentIDs: [UserID]?) async throws -> OccurrenceView {
        try await saveMinutes(caller, key: key, seriesID: seriesID, number: number, expectedVersion: expectedVersion,
                              notes: notes, presentIDs: presentIDs, items: [])
    }

    /// Saves a whole minutes form in one transaction: the general notes and who was present (checked against the
    /// occurrence's version when given) and each item's notes and carry-over mark (checked against the item's
    /// version). All of it is saved, or none of it.
    public func saveMinutes(_ caller: Caller, key: String, seriesID: UUID, number: Int, expectedVersion: Int?,
                            notes: String?, presentIDs: [UserID]?, items: [MinutesItemEdit]) async throws -> OccurrenceView {
        let at = now()
        try await write { db in
            let (context, series, o) = try await beginMinutesWrite(caller, key: key, seriesID: seriesID, number: number,
                                                                   expectedVersion: expectedVersion, on: db)
            if notes != nil || presentIDs != nil {
                try await applyMinutesFields(context, series: series, o, notes: notes, presentIDs: presentIDs, caller: caller, at: at, on: db)
            }
            for edit in items {
                try await applyAgendaItemPatch(context, o, itemID: edit.itemID, expectedVersion: edit.expectedVersion,
                                               AgendaItemPatch(notes: edit.notes, carry: edit.carry, minutes: edit.minutes,
                                                               presenterID: edit.presenterID), caller: caller, at: at, on: db)
            }
            try await touchOccurrence(o, at: at, on: db)
        }
        return try await occurrence(caller, key: key, seriesID: seriesID, number: number)
    }

    func applyMinutesFields(_ context: ProjectContext, series: SeriesRow, _ o: OccurrenceRow, notes: String?, presentIDs: [UserID]?,
                            caller: Caller, at: Date, on db: any Database) async throws {
        var errors = FieldErrors()
        if let notes, notes.count > MeetingRules.textMax {
            errors.add("notes", "too_long", "The notes may have at most \(MeetingRules.textMax) characters (they have \(notes.count)).")
        }
        if let presentIDs {
            if Set(presentIDs).count != presentIDs.count { errors.add("present", "duplicate", "Name each person present once.") }
            for id in presentIDs {
                if let p = try await store.items.memberProblem(id, field: "present", visibility: series.fields.visibility, context: context, on: db) {
                    errors.add(p.field, p.code, p.message)
                }
            }
        }
        try errors.throwIfAny("minutes.invalid")
        try await db.sql().raw("""
            UPDATE meeting_occurrences SET notes = \(bind: notes ?? o.notes),
                present = \(bind: StoredValues.json(presentIDs ?? o.present)) WHERE id = \(bind: o.id)
            """).run()
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_occurrence",
                                  entityID: o.id, action: "update", version: o.version + 1,
                                  changes: FieldChange.diff(["notes": o.notes, "present": o.present.map(\.description).joined(separator: ",")],
                                                            ["notes": notes ?? o.notes,
                                                             "present": (presentIDs ?? o.present).map(\.description).joined(separator: ",")]))
    }

    /// Adds an item by hand, optionally about a register item or issue (`reference`).
    public func addAgendaItem(_ caller: Caller, key: String, seriesID: UUID, number: Int, title: String, notes: String = "",
                              reference: ItemReference? = nil) async throws -> OccurrenceView {
        let at = now()
        try await write { db in
            let (context, _, o) = try await beginMinutesWrite(caller, key: key, seriesID: seriesID, number: number,
                                                              expectedVersion: nil, on: db)
            var entry = AgendaEntry(rule: .carriedOver, title: title.trimmingCharacters(in: .whitespacesAndNewlines), reasons: [], notes: notes)
            if let reference {
                let item = try await store.items.resolveItem(context, reference, field: "reference", on: db)
                entry.itemType = item.type
                entry.itemNumber = item.number
                entry.reference = "\(context.project.key)-\(item.type.rawValue)\(item.number)"
                entry.visibility = item.facts.visibility
                if entry.title.isEmpty { entry.title = item.title }
            }
            try MeetingService.checkAgendaText(title: entry.title, notes: notes)
            let sql = try db.sql()
            let count = try await sql.raw("SELECT COUNT(*) AS n, MAX(position) AS p FROM meeting_agenda_items WHERE occurrence_id = \(bind: o.id)").first()
            let n = try count?.decode(column: "n", as: Int.self) ?? 0
            guard n < MeetingRules.maxAgendaItems else {
                throw DomainError.invalid("minutes.invalid", [FieldError(field: "title", code: "too_many",
                    message: "An agenda may have at most \(MeetingRules.maxAgendaItems) items.")])
            }
            let position = (try count?.decode(column: "p", as: Int?.self) ?? 0) + 1
            try await insertAgendaItem(occurrenceID: o.id, position: position, entry: entry, on: db)
            // A hand-added item has no rule.
            try await sql.raw("UPDATE meeting_agenda_items SET rule = NULL WHERE occurrence_id = \(bind: o.id) AND position = \(bind: position)").run()
            try await touchOccurrence(o, at: at, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_occurrence",
                                      entityID: o.id, action: "add_item", version: o.version + 1,
                                      changes: [FieldChange(field: "agendaItem", from: nil, to: entry.title)])
        }
        return try await occurrence(caller, key: key, seriesID: seriesID, number: number)
    }

    static func checkAgendaText(title: String, notes: String?) throws {
        var errors = FieldErrors()
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { errors.add("title", "required", "Give the agenda item a title.") }
        if t.count > MeetingRules.nameMax { errors.add("title", "too_long", "A title may have at most \(MeetingRules.nameMax) characters.") }
        if let notes, notes.count > MeetingRules.textMax {
            errors.add("notes", "too_long", "Notes may have at most \(MeetingRules.textMax) characters (they have \(notes.count)).")
        }
        try errors.throwIfAny("minutes.invalid")
    }

    /// Writes an item's notes, title, carry-over mark or position, if it is still at `expectedVersion`.
    public func updateAgendaItem(_ caller: Caller, key: String, seriesID: UUID, number: Int, itemID: UUID, expectedVersion: Int?,
                                 _ patch: AgendaItemPatch) async throws -> OccurrenceView {
        let at = now()
        try await write { db in
            let (context, _, o) = try await beginMinutesWrite(caller, key: key, seriesID: seriesID, number: number,
                                                              expectedVersion: nil, on: db)
            try await applyAgendaItemPatch(context, o, itemID: itemID, expectedVersion: expectedVersion, patch, caller: caller, at: at, on: db)
            try await touchOccurrence(o, at: at, on: db)
        }
        return try await occurrence(caller, key: key, seriesID: seriesID, number: number)
    }

    func applyAgendaItemPatch(_ context: ProjectContext, _ o: OccurrenceRow, itemID: UUID, expectedVersion: Int?, _ patch: AgendaItemPatch,
                              caller: Caller, at: Date, on db: any Database) async throws {
        let item = try await agendaItemRow(context, occurrenceID: o.id, itemID: itemID, on: db)
        if let expectedVersion, expectedVersion != item.version {
            throw StoredValues.stale("The agenda item '\(item.title)'", current: item.version, expected: expectedVersion)
        }
        let title = patch.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? item.title
        try MeetingService.checkAgendaText(title: title, notes: patch.notes)
        let minutes = patch.minutes ?? item.minutes
        let presenter = patch.presenterID ?? item.presenterID
        var errors = FieldErrors()
        if let minutes, !(0...AgendaTimeBox.maxMinutes).contains(minutes) {
            errors.add("minutes", "out_of_range", "Give an item 0 to \(AgendaTimeBox.maxMinutes) minutes.")
        }
        if let presenter, patch.presenterID != nil,
           let problem = try await store.items.memberProblem(presenter, field: "presenter", visibility: item.visibility, context: context, on: db) {
            errors.add(problem.field, problem.code, problem.message)
        }
        try errors.throwIfAny("minutes.invalid")
        try await db.sql().raw("""
            UPDATE meeting_agenda_items SET title = \(bind: title), notes = \(bind: patch.notes ?? item.notes),
                carry = \(bind: patch.carry ?? item.carry), position = \(bind: patch.position ?? item.position),
                version = version + 1 WHERE id = \(bind: itemID)
            """).run()
        // Only when asked (M017's columns): the migration tests write minutes at a schema from before them.
        if patch.minutes != nil || patch.presenterID != nil {
            try await db.sql().raw("""
                UPDATE meeting_agenda_items SET minutes = \(bind: minutes), presenter_id = \(bind: presenter?.rawValue) WHERE id = \(bind: itemID)
                """).run()
        }
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_agenda_item",
                                  entityID: itemID, action: "update", version: item.version + 1,
                                  changes: FieldChange.diff(["title": item.title, "notes": item.notes, "carry": String(item.carry),
                                                             "minutes": item.minutes.map(String.init), "presenter": item.presenterID?.description],
                                                            ["title": title, "notes": patch.notes ?? item.notes,
                                                             "carry": String(patch.carry ?? item.carry), "minutes": minutes.map(String.init),
                                                             "presenter": presenter?.description]))
    }

    public func deleteAgendaItem(_ caller: Caller, key: String, seriesID: UUID, number: Int, itemID: UUID) async throws -> OccurrenceView {
        let at = now()
        try await write { db in
            let (context, _, o) = try await beginMinutesWrite(caller, key: key, seriesID: seriesID, number: number,
                                                              expectedVersion: nil, on: db)
            let item = try await agendaItemRow(context, occurrenceID: o.id, itemID: itemID, on: db)
            let sql = try db.sql()
            if try await sql.raw("SELECT id FROM meeting_outputs WHERE agenda_item_id = \(bind: itemID)").first() != nil {
                throw DomainError.conflict("minutes.item_has_outputs",
                    "'\(item.title)' created register items; keep it so the minutes show where they came from.")
            }
            try await sql.raw("DELETE FROM meeting_agenda_items WHERE id = \(bind: itemID)").run()
            try await touchOccurrence(o, at: at, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_occurrence",
                                      entityID: o.id, action: "remove_item", version: o.version + 1,
                                      changes: [FieldChange(field: "agendaItem", from: item.title, to: nil)])
        }
        return try await occurrence(caller, key: key, seriesID: seriesID, number: number)
    }

    struct AgendaItemRow {
        var id: UUID
        var title: String
        var notes: String
        var carry: Bool
        var position: Int
        var version: Int
        var reference: String?
        var visibility: Visibility
        var minutes: Int?
        var presenterID: UserID?
    }

    func agendaItemRow(_ context: ProjectContext, occurrenceID: UUID, itemID: UUID, on db: any Database) async throws -> AgendaItemRow {
        guard let row = try await db.sql().raw("""
            SELECT * FROM meeting_agenda_items WHERE id = \(bind: itemID) AND occurrence_id = \(bind: occurrenceID)
            """).first() else {
            throw DomainError.notFound("minutes.item_not_found", "This occurrence has no agenda item \(itemID.uuidString.lowercased()).")
        }
        let item = AgendaItemRow(id: itemID, title: try row.decode(column: "title", as: String.self),
                                 notes: try row.decode(column: "notes", as: String.self), carry: try row.decode(column: "carry", as: Bool.self),
                                 position: try row.decode(column: "position", as: Int.self), version: try row.decode(column: "version", as: Int.self),
                                 reference: try row.decode(column: "reference", as: String?.self), visibility: try StoredValues.visibility(row),
                                 minutes: (try? row.decode(column: "minutes", as: Int?.self)) ?? nil,
                                 presenterID: ((try? row.decode(column: "presenter_id", as: UUID?.self)) ?? nil).map(UserID.init))
        guard AccessPolicy.canSee(context.actor, item.visibility) else {
            throw DomainError.notFound("minutes.item_not_found", "This occurrence has no agenda item \(itemID.uuidString.lowercased()).")
        }
        return item
    }

    /// Creates a decision, action, question, risk, change request or issue from the minutes, in one step: it goes into
    /// its register through the register's own checks, is linked to the item under discussion (derived from it) and
    /// recorded as an output of the occurrence.
    public func recordMinutesOutput(_ caller: Caller, key: String, seriesID: UUID, number: Int, agendaItemID: UUID?,
                                    _ input: MinutesOutputInput) async throws -> (OccurrenceView, MeetingOutputView) {
        let at = now()
        let outputID = UUID()
        try await write { db in
            let (context, _, o) = try await beginMinutesWrite(caller, key: key, seriesID: seriesID, number: number,
                                                              expectedVersion: nil, on: db)
            var origin: ItemReference?
            if let agendaItemID {
                let item = try await agendaItemRow(context, occurrenceID: o.id, itemID: agendaItemID, on: db)
                origin = item.reference.flatMap { ItemReference($0) }
            }
            let type: ItemType
            let itemID: UUID
            let reference: String
            switch input {
            case .register(let kind, let fields):
                let r = try await store.items.insertRegisterItem(context, caller: caller, kind: kind, fields: fields, origin: origin, at: at, on: db)
                type = ItemType(kind)
                itemID = try r.requireID()
                reference = kind.reference(projectKey: key, number: r.number)
            case .issue(let fields):
                let r = try await store.items.insertIssue(context, caller: caller, fields: fields, at: at, on: db)
                type = .issue
                itemID = try r.requireID()
                reference = ItemType.issue.reference(projectKey: key, number: r.number)
                if let origin, let from = try? await store.items.resolveItem(context, origin, field: "agendaItem", on: db) {
                    let me = LinkedItem(type: .issue, id: try r.requireID(), number: r.number, title: r.title, status: r.status,
                                        version: r.version, facts: r.facts)
                    _ = try await store.items.insertLink(context, caller: caller, from: me, to: from, kind: .derivedFrom, at: at, on: db)
                }
            }
            try await db.sql().raw("""
                INSERT INTO meeting_outputs (id, occurrence_id, agenda_item_id, project_id, item_type, item_id, created_by_id, created_at)
                VALUES (\(bind: outputID), \(bind: o.id), \(bind: agendaItemID), \(bind: context.projectID), \(bind: type.rawValue),
                    \(bind: itemID), \(bind: caller.userID), \(bind: at))
                """).run()
            try await touchOccurrence(o, at: at, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_occurrence",
                                      entityID: o.id, action: "output", version: o.version + 1,
                                      changes: [FieldChange(field: "output", from: nil, to: reference)])
        }
        let view = try await occurrence(caller, key: key, seriesID: seriesID, number: number)
        // The caller gave the item a visibility it may assign, so it sees it; if that ever changes, say so plainly.
        guard let output = (view.items.flatMap(\.outputs) + view.outputs).first(where: { $0.id == outputID }) else {
            throw DomainError.notFound("minutes.output_not_visible", "The item was created but is not visible to you.")
        }
        return (view, output)
    }

    /// Approves the minutes: refused while an open action item they created lacks an owner or a due date (each is
    /// named). The approved minutes are stored as a version that never changes, and the occurrence is frozen.
    public func approveMinutes(_ caller: Caller, key: String, seriesID: UUID, number: Int, expectedVersion: Int?) async throws -> OccurrenceView {
        let at = now()
        try await write { db in
            let (context, series, o) = try await beginMinutesWrite(caller, key: key, seriesID: seriesID, number: number,
                                                                   expectedVersion: expectedVersion, on: db)
            // Minutes record what was said: a meeting that has not started yet has none to approve.
            let starts = MeetingService.instant(o.date, minutes: o.startMinutes)
            if at < starts {
                let clock = MeetingRecurrence.clock(o.startMinutes)
                throw DomainError.conflict("minutes.meeting_not_started",
                                           "'\(series.fields.name)' #\(number) starts on \(o.date) at \(clock) (Japan time); its minutes can be approved once it has started.",
                                           subjects: ["\(o.date) \(clock)"])
            }
            // Every output, including ones the approver cannot see, must be complete.
            let outputs = try await meetingOutputs(occurrenceID: o.id, projectKey: key, on: db)
            let actions = outputs.filter { $0.type == .action }.map { out in
                MinutesAction(reference: out.reference, title: out.title, ownerID: out.ownerID, dueDate: out.dueDate,
                              isOpen: !RegisterKind.action.isFinished(out.status))
            }
            let problems = MeetingRules.approvalProblems(actions: actions)
            if !problems.isEmpty { throw DomainError.invalid("minutes.actions_incomplete", problems) }
            let sql = try db.sql()
            try await sql.raw("""
                UPDATE meeting_occurrences SET status = 'approved', approved_at = \(bind: at), approved_by_id = \(bind: caller.userID),
                    updated_at = \(bind: at), version = version + 1 WHERE id = \(bind: o.id)
                """).run()
            // The frozen copy is built as a system reader would see it; readers get it filtered by visibility.
            var view = try await occurrenceView(ProjectContext(project: context.project, role: context.role,
                                                               actor: AccessPolicy.Actor(userID: UserID(caller.userID), companyID: CompanyID(caller.companyID),
                                                                                         isSystemAdmin: true, role: context.role)),
                                                seriesID: seriesID, number: number, on: db)
            view.frozen = nil
            var document = view.document()
            document.approvedBy = MinutesDocument.Person(id: UserID(caller.userID), name: caller.displayName)
            document.approvedAt = at
            try await sql.raw("""
                INSERT INTO meeting_minutes_versions (id, occurrence_id, version, content, approved_by_id, approved_at)
                VALUES (\(bind: UUID()), \(bind: o.id), \(bind: o.minutesVersion), \(bind: StoredValues.json(document)), \(bind: caller.userID), \(bind: at))
                """).run()
            try await sql.raw("UPDATE meeting_occurrences SET minutes_version = minutes_version + 1 WHERE id = \(bind: o.id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_occurrence",
                                      entityID: o.id, action: "approve", version: o.version + 1,
                                      changes: [FieldChange(field: "minutesVersion", from: nil, to: String(o.minutesVersion))])
        }
        return try await occurrence(caller, key: key, seriesID: seriesID, number: number)
    }

    /// Reopens approved minutes as the draft of the next version; every approved version stays as it was.
    public func amendMinutes(_ caller: Caller, key: String, seriesID: UUID, number: Int) async throws -> OccurrenceView {
        let at = now()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let series = try await seriesRow(context, id: seriesID, on: db)
            guard MeetingAccess.canRun(context.actor, chairID: series.fields.chairID) else {
                throw DomainError.forbidden("meeting.run_forbidden", "Only the chair, the PMO and PMs amend the minutes of '\(series.fields.name)'.")
            }
            guard let o = try await occurrenceRow(seriesID: seriesID, number: number, on: db) else {
                throw DomainError.notFound("meeting.occurrence_not_found", "'\(series.fields.name)' has no occurrence #\(number).",
                                           subjects: [series.fields.name, "#\(number)"])
            }
            try await lockRow(db, table: "meeting_occurrences", id: o.id)
            guard o.status == .approved else {
                throw DomainError.conflict("minutes.not_approved",
                                           "The minutes of '\(series.fields.name)' #\(number) are still a draft; edit them directly.")
            }
            try await db.sql().raw("""
                UPDATE meeting_occurrences SET status = 'held', approved_at = NULL, approved_by_id = NULL, updated_at = \(bind: at),
                    version = version + 1 WHERE id = \(bind: o.id)
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_occurrence",
                                      entityID: o.id, action: "amend", version: o.version + 1,
                                      changes: [FieldChange(field: "minutesVersion", from: String(o.minutesVersion - 1), to: String(o.minutesVersion))])
        }
        return try await occurrence(caller, key: key, seriesID: seriesID, number: number)
    }

    /// Every approved version of an occurrence's minutes, oldest first, as the caller may see them.
    public func minutesVersions(_ caller: Caller, key: String, seriesID: UUID, number: Int) async throws -> [MinutesDocument] {
        let context = try await projectContext(caller, key: key)
        let series = try await seriesRow(context, id: seriesID, on: db)
        guard let o = try await occurrenceRow(seriesID: seriesID, number: number, on: db) else {
            throw DomainError.notFound("meeting.occurrence_not_found", "'\(series.fields.name)' has no occurrence #\(number).",
                                           subjects: [series.fields.name, "#\(number)"])
        }
        return try await sql.raw("""
            SELECT content FROM meeting_minutes_versions WHERE occurrence_id = \(bind: o.id) ORDER BY version
            """).all().compactMap { StoredValues.decode(MinutesDocument.self, try $0.decode(column: "content", as: String.self)) }
            .map { $0.visible { AccessPolicy.canSee(context.actor, $0) } }
    }

    /// The meetings an item was raised at (for the item's page).
    public func meetingOrigins(_ caller: Caller, key: String, type: ItemType, number: Int) async throws -> [(seriesID: UUID, name: String, number: Int, date: CalendarDate)] {
        let context = try await projectContext(caller, key: key)
        let item = try await store.items.linkedItem(context, type: type, number: number, on: db)
        return try await sql.raw("""
            SELECT s.id, s.name, o.number, o.date FROM meeting_outputs m JOIN meeting_occurrences o ON o.id = m.occurrence_id
            JOIN meeting_series s ON s.id = o.series_id WHERE m.item_id = \(bind: item.id)\(store.items.visibilityFilter(context, prefix: "s."))
            ORDER BY o.date
            """).all().map { row in
            (try row.decode(column: "id", as: UUID.self), try row.decode(column: "name", as: String.self),
             try row.decode(column: "number", as: Int.self),
             CalendarDate(iso: try row.decode(column: "date", as: String.self)) ?? CalendarDate(dayNumber: 0))
        }
    }
}
