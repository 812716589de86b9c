import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A meeting series (会議体) as the caller sees it.
public struct MeetingSeriesView: Sendable {
    public var id: UUID
    public var projectKey: String
    public var fields: MeetingSeriesFields
    public var version: Int
    public var userNames: [UUID: String]
    public var companyNames: [UUID: String]
    /// The caller may change the series.
    public var canManage: Bool
    /// The caller may prepare agendas and write and approve minutes.
    public var canRun: Bool

    public func name(of user: UserID?) -> String? { user.flatMap { userNames[$0.rawValue] } }
    public func name(of company: CompanyID?) -> String? { company.flatMap { companyNames[$0.rawValue] } }
}

/// One occurrence in a series' list.
public struct OccurrenceSummary: Sendable {
    public var id: UUID
    public var number: Int
    public var date: CalendarDate
    public var startMinutes: Int
    public var status: OccurrenceStatus
    /// The number of approved versions of its minutes.
    public var approvedVersions: Int
}

/// A register item or issue created from minutes.
public struct MeetingOutputView: Sendable {
    public var id: UUID
    public var agendaItemID: UUID?
    public var type: ItemType
    public var number: Int
    public var reference: String
    public var title: String
    public var status: String
    public var ownerID: UserID?
    public var dueDate: CalendarDate?
    public var visibility: Visibility
}

public struct AgendaItemView: Sendable {
    public var id: UUID
    public var position: Int
    public var rule: AgendaRule?
    public var itemType: ItemType?
    public var itemNumber: Int?
    public var reference: String?
    public var activityUID: Int?
    public var title: String
    public var reasons: [AgendaReason]
    public var notes: String
    public var carry: Bool
    public var visibility: Visibility
    public var version: Int
    public var outputs: [MeetingOutputView]
    /// The minutes given to the item, nil when it takes its rule's (`AgendaTimeBox.minutes(given:rule:)`).
    public var minutes: Int? = nil
    /// The presenter named for the item; nil when none was, and then the item's owner presents (`ownerID`).
    public var presenterID: UserID? = nil
    /// The owner of the register item it is about, as the item is now.
    public var ownerID: UserID? = nil
    /// Who presents it: the one named, else the item's owner.
    public var effectivePresenterID: UserID? { presenterID ?? ownerID }
    public var presenterName: String? = nil

    /// The minutes the time box counts for it.
    public var boxMinutes: Int { AgendaTimeBox.minutes(given: minutes, rule: rule) }
}

/// An occurrence with its agenda and the minutes in progress (or frozen).
public struct OccurrenceView: Sendable {
    public var series: MeetingSeriesView
    public var id: UUID
    public var number: Int
    public var date: CalendarDate
    public var startMinutes: Int
    public var durationMinutes: Int
    public var status: OccurrenceStatus
    public var notes: String
    public var presentIDs: [UserID]
    /// The version the minutes will have when (next) approved.
    public var minutesVersion: Int
    public var preparedAt: Date?
    public var approvedAt: Date?
    public var approvedByID: UserID?
    public var version: Int
    public var items: [AgendaItemView]
    /// Outputs not tied to an agenda item.
    public var outputs: [MeetingOutputView]
    /// The latest approved version, as frozen, when the minutes are approved.
    public var frozen: MinutesDocument?

    public var isFrozen: Bool { status == .approved }
    public var reference: String { "\(series.fields.name) #\(number)" }

    /// The agenda and minutes as one document, built from the live rows (or the frozen version when approved).
    public func document() -> MinutesDocument {
        if let frozen, isFrozen { return frozen }
        func person(_ id: UserID) -> MinutesDocument.Person {
            MinutesDocument.Person(id: id, name: series.name(of: id) ?? id.description)
        }
        func output(_ o: MeetingOutputView) -> MinutesDocument.Output {
            MinutesDocument.Output(reference: o.reference, type: o.type, title: o.title, visibility: o.visibility)
        }
        let standing = series.fields.attendeeIDs
        let present = presentIDs
        let absent = standing.filter { !present.contains($0) }
        return MinutesDocument(
            projectKey: series.projectKey, seriesName: series.fields.name, occurrence: number, date: date,
            startMinutes: startMinutes, durationMinutes: durationMinutes, location: series.fields.location,
            chair: series.fields.chairID.map(person), present: present.map(person), absent: absent.map(person), notes: notes,
            items: items.map { i in
                MinutesDocument.Item(position: i.position, rule: i.rule, reference: i.reference, activityUID: i.activityUID,
                                     title: i.title, reasons: i.reasons, notes: i.notes, carry: i.carry, visibility: i.visibility,
                                     outputs: i.outputs.map(output), minutes: i.boxMinutes,
                                     presenter: i.presenterID.map { MinutesDocument.Person(id: $0, name: i.presenterName ?? series.name(of: $0) ?? $0.description) })
            },
            outputs: outputs.map(output), version: minutesVersion,
            approvedBy: approvedByID.map(person), approvedAt: approvedAt)
    }
}

extension MeetingService {
    static let projectTimeZone = TimeZone.japan

    // MARK: Series

    /// The series of project `key` the caller may see, by name.
    public func series(_ caller: Caller, key: String) async throws -> [MeetingSeriesView] {
        let context = try await projectContext(caller, key: key)
        let rows = try await sql.raw("""
            SELECT * FROM meeting_series WHERE project_id = \(bind: context.projectID)\(store.items.visibilityFilter(context)) ORDER BY name, created_at
            """).all()
        let series = try rows.map(SeriesRow.init)
        return try await seriesViews(series, context: context, on: db)
    }

    public func series(_ caller: Caller, key: String, id: UUID) async throws -> MeetingSeriesView {
        let context = try await projectContext(caller, key: key)
        let row = try await seriesRow(context, id: id, on: db)
        return try await seriesViews([row], context: context, on: db)[0]
    }

    public func createSeries(_ caller: Caller, key: String, _ fields: MeetingSeriesFields) async throws -> MeetingSeriesView {
        let at = now()
        let id = UUID()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard MeetingAccess.canManageSeries(context.actor) else {
                throw DomainError.forbidden("meeting.manage_forbidden", "Your role in \(key) may not set up meeting series; ask the PMO.")
            }
            try await checkSeries(fields, context: context, on: db)
            try await db.sql().raw("""
                INSERT INTO meeting_series (id, project_id, name, purpose, chair_id, first_date, interval_weeks, start_minutes,
                    duration_minutes, location, attendees, rules, risk_threshold, company_id, visibility, visibility_company_id,
                    created_by_id, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: context.projectID), \(bind: fields.name.trimmingCharacters(in: .whitespacesAndNewlines)),
                    \(bind: fields.purpose), \(bind: fields.chairID?.rawValue), \(bind: fields.recurrence.firstDate.description),
                    \(bind: fields.recurrence.intervalWeeks), \(bind: fields.recurrence.startMinutes),
                    \(bind: fields.recurrence.durationMinutes), \(bind: fields.location), \(bind: StoredValues.json(fields.attendeeIDs)),
                    \(bind: StoredValues.json(MeetingService.storedRules(fields))), \(bind: fields.riskThreshold), \(bind: fields.companyID?.rawValue),
                    \(bind: fields.visibility.scope.rawValue), \(bind: fields.visibility.companyID?.rawValue),
                    \(bind: caller.userID), \(bind: at), \(bind: at), 1)
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_series",
                                      entityID: id, action: "create", version: 1,
                                      changes: FieldChange.diff([:], MeetingService.seriesAudit(fields)))
        }
        return try await series(caller, key: key, id: id)
    }

    public func updateSeries(_ caller: Caller, key: String, id: UUID, expectedVersion: Int?,
                                    _ fields: MeetingSeriesFields) async throws -> MeetingSeriesView {
        let at = now()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            try await lockRow(db, table: "meeting_series", id: id)
            let old = try await seriesRow(context, id: id, on: db)
            guard MeetingAccess.canManageSeries(context.actor) else {
                throw DomainError.forbidden("meeting.manage_forbidden", "Your role in \(key) may not change meeting series; ask the PMO.")
            }
            if let expectedVersion, expectedVersion != old.version {
                throw StoredValues.stale("The meeting series '\(old.fields.name)'", current: old.version, expected: expectedVersion)
            }
            try await checkSeries(fields, context: context, on: db)
            try await db.sql().raw("""
                UPDATE meeting_series SET name = \(bind: fields.name.trimmingCharacters(in: .whitespacesAndNewlines)),
                    purpose = \(bind: fields.purpose), chair_id = \(bind: fields.chairID?.rawValue),
                    first_date = \(bind: fields.recurrence.firstDate.description), interval_weeks = \(bind: fields.recurrence.intervalWeeks),
                    start_minutes = \(bind: fields.recurrence.startMinutes), duration_minutes = \(bind: fields.recurrence.durationMinutes),
                    location = \(bind: fields.location), attendees = \(bind: StoredValues.json(fields.attendeeIDs)),
                    rules = \(bind: StoredValues.json(MeetingService.storedRules(fields))), risk_threshold = \(bind: fields.riskThreshold),
                    company_id = \(bind: fields.companyID?.rawValue), visibility = \(bind: fields.visibility.scope.rawValue),
                    visibility_company_id = \(bind: fields.visibility.companyID?.rawValue), updated_at = \(bind: at),
                    version = version + 1
                WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_series",
                                      entityID: id, action: "update", version: old.version + 1,
                                      changes: FieldChange.diff(MeetingService.seriesAudit(old.fields), MeetingService.seriesAudit(fields)))
        }
        return try await series(caller, key: key, id: id)
    }

    /// The series' rules as stored, in priority order: a rule's raw value, with ":N" when it has a cap (older rows
    /// have no caps, and read the same).
    static func storedRules(_ f: MeetingSeriesFields) -> [String] {
        f.rules.map { rule in f.ruleCaps[rule].map { "\(rule.rawValue):\($0)" } ?? rule.rawValue }
    }

    static func readRules(_ stored: [String]) -> ([AgendaRule], [AgendaRule: Int]) {
        var rules: [AgendaRule] = []
        var caps: [AgendaRule: Int] = [:]
        for text in stored {
            let parts = text.split(separator: ":", maxSplits: 1)
            guard let rule = parts.first.flatMap({ AgendaRule(rawValue: String($0)) }), !rules.contains(rule) else { continue }
            rules.append(rule)
            if parts.count == 2, let cap = Int(parts[1]) { caps[rule] = cap }
        }
        return (rules, caps)
    }

    static func seriesAudit(_ f: MeetingSeriesFields) -> [String: String?] {
        ["name": f.name, "purpose": f.purpose, "chair": f.chairID?.description, "firstDate": f.recurrence.firstDate.description,
         "intervalWeeks": String(f.recurrence.intervalWeeks), "startTime": MeetingRecurrence.clock(f.recurrence.startMinutes),
         "durationMinutes": String(f.recurrence.durationMinutes), "location": f.location,
         "attendees": f.attendeeIDs.map(\.description).joined(separator: ","),
         "rules": storedRules(f).joined(separator: ","), "riskThreshold": String(f.riskThreshold),
         "company": f.companyID?.description, "visibility": f.visibility.scope.rawValue,
         "visibilityCompany": f.visibility.companyID?.description]
    }

    /// The series' rules, then that the chair and attendees are members who can see the series.
    func checkSeries(_ fields: MeetingSeriesFields, context: ProjectContext, on db: any Database) async throws {
        var errors = MeetingRules.validate(fields)
        if !AccessPolicy.mayAssign(context.actor, fields.visibility) {
            errors.append(FieldError(field: "visibility", code: "not_allowed", message: "You may not give a series this visibility."))
        }
        if let chair = fields.chairID, let problem = try await store.items.memberProblem(chair, field: "chair", visibility: fields.visibility,
                                                                             context: context, on: db) {
            errors.append(problem)
        }
        for id in fields.attendeeIDs {
            if let problem = try await store.items.memberProblem(id, field: "attendees", visibility: fields.visibility, context: context, on: db) {
                errors.append(problem)
            }
        }
        // Both companies must exist: the database refuses a row naming one that does not (a foreign key), and a user's
        // mistake is a 422 naming the field, never a 500.
        for (field, company) in [("company", fields.companyID), ("visibility.company", fields.visibility.companyID)] {
            guard let company else { continue }
            let found = try await db.sql().raw("SELECT id FROM companies WHERE id = \(bind: company.rawValue)").first()
            if found == nil { errors.append(FieldError(field: field, code: "not_found", message: "There is no such company.")) }
        }
        if !errors.isEmpty { throw DomainError.invalid("meeting.invalid", errors) }
    }

    struct SeriesRow {
        var id: UUID
        var projectID: UUID
        var fields: MeetingSeriesFields
        var version: Int

        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            projectID = try row.decode(column: "project_id", as: UUID.self)
            let first = CalendarDate(iso: try row.decode(column: "first_date", as: String.self)) ?? CalendarDate(dayNumber: 0)
            let attendees = StoredValues.decode([UserID].self, try row.decode(column: "attendees", as: String.self)) ?? []
            let (rules, caps) = MeetingService.readRules(StoredValues.decode([String].self, try row.decode(column: "rules", as: String.self)) ?? [])
            fields = MeetingSeriesFields(
                name: try row.decode(column: "name", as: String.self),
                purpose: try row.decode(column: "purpose", as: String.self),
                chairID: try row.decode(column: "chair_id", as: UUID?.self).map(UserID.init),
                recurrence: MeetingRecurrence(firstDate: first, intervalWeeks: try row.decode(column: "interval_weeks", as: Int.self),
                                              startMinutes: try row.decode(column: "start_minutes", as: Int.self),
                                              durationMinutes: try row.decode(column: "duration_minutes", as: Int.self)),
                location: try row.decode(column: "location", as: String.self), attendeeIDs: attendees, rules: rules,
                riskThreshold: try row.decode(column: "risk_threshold", as: Int.self),
                companyID: try row.decode(column: "company_id", as: UUID?.self).map(CompanyID.init),
                visibility: try StoredValues.visibility(row), ruleCaps: caps)
            version = try row.decode(column: "version", as: Int.self)
        }
    }

    /// The series, if the caller may see it; "no such series" otherwise (a hidden series is not revealed).
    func seriesRow(_ context: ProjectContext, id: UUID, on db: any Database) async throws -> SeriesRow {
        let row = try await db.sql().raw("""
            SELECT * FROM meeting_series WHERE id = \(bind: id) AND project_id = \(bind: context.projectID)\(store.items.visibilityFilter(context))
            """).first()
        guard let row else {
            throw DomainError.notFound("meeting.not_found", "\(context.project.key) has no meeting series \(id.uuidString.lowercased()) that you can see.")
        }
        return try SeriesRow(row)
    }

    func seriesViews(_ rows: [SeriesRow], context: ProjectContext, on db: any Database) async throws -> [MeetingSeriesView] {
        var users = Set<UUID>(), companies = Set<UUID>()
        for r in rows {
            if let c = r.fields.chairID { users.insert(c.rawValue) }
            users.formUnion(r.fields.attendeeIDs.map(\.rawValue))
            if let c = r.fields.companyID { companies.insert(c.rawValue) }
            if let c = r.fields.visibility.companyID { companies.insert(c.rawValue) }
        }
        let userNames = try await names(table: "users", column: "display_name", ids: users, on: db)
        let companyNames = try await names(table: "companies", column: "name", ids: companies, on: db)
        return rows.map { r in
            MeetingSeriesView(id: r.id, projectKey: context.project.key, fields: r.fields, version: r.version, userNames: userNames,
                              companyNames: companyNames, canManage: MeetingAccess.canManageSeries(context.actor),
                              canRun: MeetingAccess.canRun(context.actor, chairID: r.fields.chairID))
        }
    }

    // MARK: Occurrences

    public func occurrences(_ caller: Caller, key: String, seriesID: UUID) async throws -> [OccurrenceSummary] {
        let context = try await projectContext(caller, key: key)
        _ = try await seriesRow(context, id: seriesID, on: db)
        let rows = try await sql.raw("""
            SELECT o.id, o.number, o.date, o.start_minutes, o.status,
                   (SELECT COUNT(*) FROM meeting_minutes_versions v WHERE v.occurrence_id = o.id) AS approved
            FROM meeting_occurrences o WHERE o.series_id = \(bind: seriesID) ORDER BY o.number DESC
            """).all()
        return try rows.map { row in
            OccurrenceSummary(id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: Int.self),
                              date: CalendarDate(iso: try row.decode(column: "date", as: String.self)) ?? CalendarDate(dayNumber: 0),
                              startMinutes: try row.decode(column: "start_minutes", as: Int.self),
                              status: OccurrenceStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned,
                              approvedVersions: try row.decode(column: "approved", as: Int.self))
        }
    }

    public func occurrence(_ caller: Caller, key: String, seriesID: UUID, number: Int) async throws -> OccurrenceView {
        let context = try await projectContext(caller, key: key)
        return try await occurrenceView(context, seriesID: seriesID, number: number, on: db)
    }

    struct OccurrenceRow {
        var id: UUID
        var number: Int
        var date: CalendarDate
        var startMinutes: Int
        var durationMinutes: Int
        var status: OccurrenceStatus
        var notes: String
        var present: [UserID]
        var minutesVersion: Int
        var preparedAt: Date?
        var approvedAt: Date?
        var approvedByID: UUID?
        var version: Int

        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            number = try row.decode(column: "number", as: Int.self)
            date = CalendarDate(iso: try row.decode(column: "date", as: String.self)) ?? CalendarDate(dayNumber: 0)
            startMinutes = try row.decode(column: "start_minutes", as: Int.self)
            durationMinutes = try row.decode(column: "duration_minutes", as: Int.self)
            status = OccurrenceStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned
            notes = try row.decode(column: "notes", as: String.self)
            present = StoredValues.decode([UserID].self, try row.decode(column: "present", as: String.self)) ?? []
            minutesVersion = try row.decode(column: "minutes_version", as: Int.self)
            preparedAt = try row.decode(column: "prepared_at", as: Date?.self)
            approvedAt = try row.decode(column: "approved_at", as: Date?.self)
            approvedByID = try row.decode(column: "approved_by_id", as: UUID?.self)
            version = try row.decode(column: "version", as: Int.self)
        }
    }

    func occurrenceRow(seriesID: UUID, number: Int, on db: any Database) async throws -> OccurrenceRow? {
        try await db.sql().raw("""
            SELECT * FROM meeting_occurrences WHERE series_id = \(bind: seriesID) AND number = \(bind: number)
            """).first().map(OccurrenceRow.init)
    }

    func occurrenceView(_ context: ProjectContext, seriesID: UUID, number: Int, on db: any Database) async throws -> OccurrenceView {
        let seriesRow = try await seriesRow(context, id: seriesID, on: db)
        guard let o = try await occurrenceRow(seriesID: seriesID, number: number, on: db) else {
            throw DomainError.notFound("meeting.occurrence_not_found",
                                       "The meeting series '\(seriesRow.fields.name)' has no occurrence #\(number) yet; prepare it first.")
        }
        var series = try await seriesViews([seriesRow], context: context, on: db)[0]
        let sql = try db.sql()
        let canSee = { (v: Visibility) in AccessPolicy.canSee(context.actor, v) }
        var items = try await sql.raw("""
            SELECT * FROM meeting_agenda_items WHERE occurrence_id = \(bind: o.id) ORDER BY position, id
            """).all().map { row -> AgendaItemView in
            return AgendaItemView(
                id: try row.decode(column: "id", as: UUID.self), position: try row.decode(column: "position", as: Int.self),
                rule: try row.decode(column: "rule", as: String?.self).flatMap(AgendaRule.init),
                itemType: try row.decode(column: "item_type", as: String?.self).flatMap(ItemType.init),
                itemNumber: try row.decode(column: "item_number", as: Int?.self),
                reference: try row.decode(column: "reference", as: String?.self),
                activityUID: try row.decode(column: "activity_uid", as: Int?.self),
                title: try row.decode(column: "title", as: String.self),
                reasons: StoredValues.decode([AgendaReason].self, try row.decode(column: "reasons", as: String.self)) ?? [],
                notes: try row.decode(column: "notes", as: String.self), carry: try row.decode(column: "carry", as: Bool.self),
                visibility: try StoredValues.visibility(row),
                version: try row.decode(column: "version", as: Int.self), outputs: [],
                // Read leniently: the migration tests load the demo at a schema from before M017 added these columns.
                minutes: (try? row.decode(column: "minutes", as: Int?.self)) ?? nil,
                presenterID: ((try? row.decode(column: "presenter_id", as: UUID?.self)) ?? nil).map(UserID.init))
        }.filter { canSee($0.visibility) }
        let outputs = try await meetingOutputs(occurrenceID: o.id, projectKey: context.project.key, on: db).filter { canSee($0.visibility) }
        var byItem: [UUID: [MeetingOutputView]] = [:]
        for out in outputs { if let a = out.agendaItemID { byItem[a, default: []].append(out) } }
        let itemIDs = Set(items.map(\.id))
        var names = Set(o.present.map(\.rawValue))
        if let a = o.approvedByID { names.insert(a) }
        // Who presents an item nobody was named for: the owner of the item it is about, as it is now.
        var owners: [String: UserID] = [:]
        for (letter, numbers) in Dictionary(grouping: items.filter { $0.presenterID == nil }.compactMap { i in
            i.itemType.flatMap { t in i.itemNumber.map { (t.rawValue, $0) } } }, by: \.0) {
            for row in try await sql.raw("""
                SELECT number, owner_id FROM register_items WHERE project_id = \(bind: context.projectID) AND register = \(bind: letter)
                  AND number IN (\(binds: numbers.map(\.1))) AND owner_id IS NOT NULL
                """).all() {
                owners["\(letter)\(try row.decode(column: "number", as: Int.self))"] = UserID(try row.decode(column: "owner_id", as: UUID.self))
            }
        }
        items = items.map { item in
            var i = item
            if let t = i.itemType, let n = i.itemNumber { i.ownerID = owners["\(t.rawValue)\(n)"] }
            return i
        }
        names.formUnion(items.compactMap { $0.effectivePresenterID?.rawValue })
        for (id, name) in try await self.names(table: "users", column: "display_name", ids: names, on: db) { series.userNames[id] = name }
        var frozen: MinutesDocument?
        if o.status == .approved {
            frozen = try await sql.raw("""
                SELECT content FROM meeting_minutes_versions WHERE occurrence_id = \(bind: o.id) ORDER BY version DESC
                """).first().flatMap { StoredValues.decode(MinutesDocument.self, try $0.decode(column: "content", as: String.self)) }?
                .visible(to: canSee)
        }
        return OccurrenceView(
            series: series, id: o.id, number: o.number, date: o.date, startMinutes: o.startMinutes, durationMinutes: o.durationMinutes,
            status: o.status, notes: o.notes, presentIDs: o.present, minutesVersion: o.minutesVersion, preparedAt: o.preparedAt,
            approvedAt: o.approvedAt, approvedByID: o.approvedByID.map(UserID.init), version: o.version,
            items: items.map { item in
                var i = item
                i.outputs = byItem[i.id] ?? []
                i.presenterName = i.effectivePresenterID.flatMap { series.userNames[$0.rawValue] }
                return i
            },
            outputs: outputs.filter { output in output.agendaItemID.map { !itemIDs.contains($0) } ?? true }, frozen: frozen)
    }

    /// The items created from an occurrence's minutes, as they are now in their registers.
    func meetingOutputs(occurrenceID: UUID, projectKey: String, on db: any Database) async throws -> [MeetingOutputView] {
        let sql = try db.sql()
        var out: [MeetingOutputView] = []
        for row in try await sql.raw("""
            SELECT m.id, m.agenda_item_id, m.item_type, r.number, r.title, r.status, r.owner_id, r.due_date, r.visibility,
                   r.visibility_company_id, m.created_at AS made_at
            FROM meeting_outputs m JOIN register_items r ON r.id = m.item_id
            WHERE m.occurrence_id = \(bind: occurrenceID)
            ORDER BY made_at
            """).all() {
            let type = ItemType(rawValue: try row.decode(column: "item_type", as: String.self)) ?? .issue
            let number = try row.decode(column: "number", as: Int.self)
            out.append(MeetingOutputView(
                id: try row.decode(column: "id", as: UUID.self), agendaItemID: try row.decode(column: "agenda_item_id", as: UUID?.self),
                type: type, number: number, reference: type.reference(projectKey: projectKey, number: number),
                title: try row.decode(column: "title", as: String.self), status: try row.decode(column: "status", as: String.self),
                ownerID: try row.decode(column: "owner_id", as: UUID?.self).map(UserID.init),
                dueDate: try row.decode(column: "due_date", as: String?.self).flatMap { CalendarDate(iso: $0) },
                visibility: try StoredValues.visibility(row)))
        }
        return out
    }

    /// Prepares occurrence `number` (default: the one after the last, or the first on or after `today`): creates it if
    /// needed and generates its agenda from live data. Preparing again adds what has come up since and keeps every
    /// edit; approved minutes are frozen.
    public func prepareOccurrence(_ caller: Caller, key: String, seriesID: UUID, number: Int? = nil,
                                  today: CalendarDate) async throws -> OccurrenceView {
        let at = now()
        let chosen: Int = try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let series = try await seriesRow(context, id: seriesID, on: db)
            guard MeetingAccess.canRun(context.actor, chairID: series.fields.chairID) else {
                throw DomainError.forbidden("meeting.run_forbidden",
                                            "Only the chair, the PMO and PMs prepare '\(series.fields.name)'.")
            }
            try await lockRow(db, table: "meeting_series", id: seriesID)
            let sql = try db.sql()
            let last = try await sql.raw("SELECT MAX(number) AS n FROM meeting_occurrences WHERE series_id = \(bind: seriesID)")
                .first()?.decode(column: "n", as: Int?.self)
            // The next one after the last held, but never one whose date has passed (a series that paused skips ahead).
            let upcoming = series.fields.recurrence.firstOccurrence(onOrAfter: today)
            let n = number ?? max(last.map { $0 + 1 } ?? upcoming, upcoming)
            guard (1...MeetingRules.occurrenceMax).contains(n) else {
                // Only a computed number can be out of range (the API checks a given one): a series whose first date
                // is centuries ago. The caller has to say which occurrence.
                throw DomainError.invalid("meeting.invalid", [FieldError(field: "number", code: "required_here",
                    message: "The next occurrence of this series would be number \(n), beyond \(MeetingRules.occurrenceMax); give a number from 1 to \(MeetingRules.occurrenceMax).")])
            }
            var occurrence = try await occurrenceRow(seriesID: seriesID, number: n, on: db)
            if let o = occurrence, o.status == .approved {
                throw MeetingService.frozen(series.fields.name, number: n, version: o.minutesVersion - 1)
            }
            let date = series.fields.recurrence.date(ofOccurrence: n)
            if occurrence == nil {
                let id = UUID()
                try await sql.raw("""
                    INSERT INTO meeting_occurrences (id, series_id, project_id, number, date, start_minutes, duration_minutes, status,
                        notes, present, minutes_version, prepared_at, prepared_by_id, created_at, updated_at, version)
                    VALUES (\(bind: id), \(bind: seriesID), \(bind: context.projectID), \(bind: n), \(bind: date.description),
                        \(bind: series.fields.recurrence.startMinutes), \(bind: series.fields.recurrence.durationMinutes), 'prepared', '',
                        \(bind: StoredValues.json(series.fields.attendeeIDs)), 1, \(bind: at), \(bind: caller.userID), \(bind: at), \(bind: at), 1)
                    """).run()
                occurrence = try await occurrenceRow(seriesID: seriesID, number: n, on: db)
            }
            guard let o = occurrence else {
                throw DomainError.notFound("meeting.occurrence_not_found", "The meeting series '\(series.fields.name)' has no occurrence #\(n).",
                                           subjects: [series.fields.name, "#\(n)"])
            }
            let facts = try await agendaFacts(context, series: series, number: n, date: o.date, startMinutes: o.startMinutes, on: db)
            let settings = AgendaSettings(rules: Set(series.fields.rules), riskThreshold: series.fields.riskThreshold,
                                          deciderIDs: Set(series.fields.attendeeIDs + (series.fields.chairID.map { [$0] } ?? [])),
                                          companyID: series.fields.companyID, order: series.fields.rules, caps: series.fields.ruleCaps)
            let entries = AgendaGenerator.generate(facts, settings: settings)
            let existing = try await sql.raw("""
                SELECT reference, activity_uid, position FROM meeting_agenda_items WHERE occurrence_id = \(bind: o.id)
                """).all()
            var seen = Set<String>()
            var position = 0
            for row in existing {
                if let r = try row.decode(column: "reference", as: String?.self) { seen.insert(r) }
                if let u = try row.decode(column: "activity_uid", as: Int?.self) { seen.insert("uid:\(u)") }
                position = max(position, try row.decode(column: "position", as: Int.self))
            }
            var added = 0
            for e in entries {
                let keyOfEntry = e.reference ?? e.activityUID.map { "uid:\($0)" }
                if let k = keyOfEntry, !seen.insert(k).inserted { continue }
                if keyOfEntry == nil && !existing.isEmpty { continue }
                guard position < MeetingRules.maxAgendaItems else { break }
                position += 1
                added += 1
                try await insertAgendaItem(occurrenceID: o.id, position: position, entry: e, on: db)
            }
            try await sql.raw("""
                UPDATE meeting_occurrences SET prepared_at = \(bind: at), prepared_by_id = \(bind: caller.userID),
                    updated_at = \(bind: at), version = version + 1 WHERE id = \(bind: o.id)
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "meeting_occurrence",
                                      entityID: o.id, action: "prepare", version: o.version + 1,
                                      changes: [FieldChange(field: "agendaItemsAdded", from: nil, to: String(added))])
            return n
        }
        return try await occurrence(caller, key: key, seriesID: seriesID, number: chosen)
    }

    func insertAgendaItem(occurrenceID: UUID, position: Int, entry e: AgendaEntry, on db: any Database) async throws {
        try await db.sql().raw("""
            INSERT INTO meeting_agenda_items (id, occurrence_id, position, rule, item_type, item_number, reference, activity_uid,
                title, reasons, notes, carry, visibility, visibility_company_id, version)
            VALUES (\(bind: UUID()), \(bind: occurrenceID), \(bind: position), \(bind: e.rule.rawValue), \(bind: e.itemType?.rawValue),
                \(bind: e.itemNumber), \(bind: e.reference), \(bind: e.activityUID), \(bind: String(e.title.prefix(MeetingRules.nameMax))),
                \(bind: StoredValues.json(e.reasons)), \(bind: e.notes), \(bind: false), \(bind: e.visibility.scope.rawValue),
                \(bind: e.visibility.companyID?.rawValue), 1)
            """).run()
    }

    static func frozen(_ seriesName: String, number: Int, version: Int) -> DomainError {
        DomainError.conflict("minutes.frozen", """
            The minutes of '\(seriesName)' #\(number) were approved as version \(version) and are frozen. To change them, amend \
            them (Amend on the minutes page, or POST …/occurrences/\(number)/amend): that opens version \(version + 1) as a draft \
            and keeps version \(version) in the history.
            """)
    }

    /// The live facts an occurrence's agenda is generated from.
    func agendaFacts(_ context: ProjectContext, series: SeriesRow, number: Int, date: CalendarDate, startMinutes: Int,
                     on db: any Database) async throws -> AgendaFacts {
        let sql = try db.sql()
        let key = context.project.key
        let recurrence = series.fields.recurrence
        // News since the previous occurrence's start (or one interval back for the first one).
        let previous = try await sql.raw("""
            SELECT * FROM meeting_occurrences WHERE series_id = \(bind: series.id) AND number < \(bind: number)
            ORDER BY number DESC LIMIT 1
            """).first().map(OccurrenceRow.init)
        let sinceDay = previous?.date ?? date.adding(days: -7 * recurrence.intervalWeeks)
        let since = MeetingService.instant(sinceDay, minutes: previous?.startMinutes ?? startMinutes)
        var carried: [CarriedPoint] = []
        if let previous {
            for row in try await sql.raw("""
                SELECT * FROM meeting_agenda_items WHERE occurrence_id = \(bind: previous.id) AND carry = \(bind: true) ORDER BY position
                """).all() {
                carried.append(CarriedPoint(
                    title: try row.decode(column: "title", as: String.self), notes: try row.decode(column: "notes", as: String.self),
                    itemType: try row.decode(column: "item_type", as: String?.self).flatMap(ItemType.init),
                    itemNumber: try row.decode(column: "item_number", as: Int?.self),
                    reference: try row.decode(column: "reference", as: String?.self),
                    visibility: try StoredValues.visibility(row),
                    fromOccurrence: previous.number))
            }
        }
        var items: [AgendaSourceItem] = []
        // Every open item of the other registers, and the issues that changed since the last meeting.
        for r in try await store.items.rows(context, ItemRowFilter(excluding: [.issue], openOnly: true), on: db) {
            guard let kind = r.type.register else { continue }
            let triggered = kind == .risk ? (r.details["indicators"]?.indicators ?? []).filter { $0.status == .triggered }.map(\.text) : []
            items.append(AgendaSourceItem(
                type: r.type, number: r.number, reference: r.reference(key), title: r.title, status: r.status, isOpen: true,
                isDueStatus: kind.dueStatuses.contains(r.status), dueDate: r.dueDate, ownerID: r.ownerID.map(UserID.init),
                deciderID: r.deciderID.map(UserID.init), companyID: r.companyID.map(CompanyID.init), visibility: r.visibility,
                createdAt: r.createdAt, updatedAt: r.updatedAt, score: r.score, triggeredIndicators: triggered))
        }
        for r in try await store.items.rows(context, ItemRowFilter(types: [.issue], updatedAfter: since), on: db) {
            let open = ![IssueStatus.resolved.rawValue, IssueStatus.closed.rawValue].contains(r.status)
            items.append(AgendaSourceItem(
                type: .issue, number: r.number, reference: r.reference(key), title: r.title, status: r.status, isOpen: open, isDueStatus: open,
                dueDate: r.dueDate, ownerID: r.ownerID.map(UserID.init), companyID: r.companyID.map(CompanyID.init), visibility: r.visibility,
                createdAt: r.createdAt, updatedAt: r.updatedAt))
        }
        let activities = MeetingService.agendaActivities(try await plans.planView(context, on: db))
        // Signals only for a series that lists them, and never a vendor's own meeting.
        var signals: [AgendaSignal] = []
        if series.fields.rules.contains(.signals) && series.fields.companyID == nil, try await store.hasMigrated("M020CreateSignals", on: db) {
            signals = try await store.signals.agendaSignals(context, meetingDate: date, on: db)
        }
        return AgendaFacts(meetingDate: date, nextMeetingDate: recurrence.date(ofOccurrence: number + 1), since: since,
                           items: items, activities: activities, carried: carried, signals: signals)
    }

    /// The plan's leaf activities and milestones with their slip against the latest baseline.
    static func agendaActivities(_ view: PlanView) -> [AgendaActivity] {
        guard !view.rows.isEmpty else { return [] }
        var slips: [Int: BaselineSlip] = [:]
        if let baseline = view.snapshot.baselines.last?.number {
            for s in PlanService.slips(view, baseline: baseline) { slips[s.row.activity.uid] = s }
        }
        return view.rows.compactMap { row -> AgendaActivity? in
            guard !row.hasChildren, let s = view.scheduled(row.activity.uid) else { return nil }
            let a = row.activity
            let slip = slips[a.uid]
            return AgendaActivity(uid: a.uid, name: a.name, isMilestone: a.kind == .milestone,
                                  isDone: a.progress.percentComplete >= 100 || a.progress.actualFinish != nil,
                                  companyID: a.companyID, finish: s.finish.finishDay,
                                  baselineFinish: slip?.baselineFinish?.finishDay, finishSlipDays: slip?.finishSlipDays)
        }
    }

    /// The instant of a local date and time in the project's zone (Japan): meetings start at local times.
    public static func instant(_ day: CalendarDate, minutes: Int) -> Date {
        let seconds = Double(day.dayNumber) * 86_400 + Double(minutes) * 60 - Double(projectTimeZone.secondsFromGMT())
        return Date(timeIntervalSince1970: seconds)
    }
}
