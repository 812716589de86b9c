import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The resources feature of the store, reached as `store.resources`: one list of people, placeholders and equipment
/// for the whole organisation, their capacity over time and their absences. Plans assign them
/// (`store.plans.setAssignments`), the overload map reads their load (`loadMap`), levelling schedules around them
/// (`store.levelling`).
///
/// Who sees what: a vendor's staff see their own company's people and the equipment, never another company's names;
/// everyone else sees every resource. The PMO, PMs and admins (in any project) keep the list; a person records their
/// own absences.
public struct ResourceService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The resources feature (`ResourceService`).
    public var resources: ResourceService { ResourceService(store: self) }
}

/// One resource as pages and the API show it.
public struct ResourceView: Sendable, Equatable {
    public var id: UUID
    /// Organisation-wide number: the engine's resource id and the MSPDI resource UID.
    public var number: Int
    public var kind: ResourceKind
    public var name: String
    public var userID: UUID?
    public var email: String
    public var companyID: UUID?
    public var companyName: String?
    public var role: String
    public var skills: String
    public var capacity: ResourceCapacity
    public var notes: String
    public var version: Int
}

/// What a resource is made of when created or changed.
public struct ResourceFields: Sendable, Equatable {
    public var kind: ResourceKind
    public var name: String
    public var userID: UUID?
    public var email: String
    public var companyID: UUID?
    public var role: String
    public var skills: String
    public var capacityPercent: Int
    public var capacityChanges: [CapacityChange]
    public var notes: String

    public init(kind: ResourceKind, name: String, userID: UUID? = nil, email: String = "", companyID: UUID?, role: String = "",
                skills: String = "", capacityPercent: Int = 100, capacityChanges: [CapacityChange] = [], notes: String = "") {
        self.kind = kind
        self.name = name
        self.userID = userID
        self.email = email
        self.companyID = companyID
        self.role = role
        self.skills = skills
        self.capacityPercent = capacityPercent
        self.capacityChanges = capacityChanges
        self.notes = notes
    }
}

extension ResourceService {
    static let columns = ["id", "number", "kind", "name", "user_id", "email", "company_id", "role", "skills", "capacity_percent",
                          "capacity_changes", "notes", "version"]

    /// Whether the caller keeps the resource list: an admin, or the PMO or a PM of any project.
    public func canManage(_ caller: Caller) async throws -> Bool { try await canManage(caller, on: db) }

    func canManage(_ caller: Caller, on db: any Database) async throws -> Bool {
        if caller.isAdmin { return true }
        let roles = try await db.sql().raw("""
            SELECT role FROM memberships WHERE user_id = \(bind: caller.userID) AND role IN ('admin', 'pmo', 'pm')
            """).all()
        return !roles.isEmpty
    }

    /// Whether the caller is a vendor's staff (sees only its own company's people).
    func isVendor(_ caller: Caller, on db: any Database) async throws -> Bool {
        if caller.isAdmin { return false }
        let row = try await db.sql().raw("SELECT kind FROM companies WHERE id = \(bind: caller.companyID)").first()
        return try row?.decode(column: "kind", as: String.self) == CompanyKind.vendor.rawValue
    }

    /// Every resource the caller may see, by kind then name.
    public func list(_ caller: Caller) async throws -> [ResourceView] {
        try await all(visibleTo: caller, on: db)
    }

    func all(visibleTo caller: Caller?, on db: any Database) async throws -> [ResourceView] {
        let rows = try await db.readRows("SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM resources ORDER BY name, number",
                                         columns: Self.columns)
        var views = try await self.views(rows, on: db)
        if let caller, try await isVendor(caller, on: db) {
            views = views.filter { $0.companyID == nil || $0.companyID == caller.companyID }
        }
        let order: [ResourceKind: Int] = [.person: 0, .placeholder: 1, .equipment: 2]
        return views.sorted { (order[$0.kind] ?? 3, $0.name, $0.number) < (order[$1.kind] ?? 3, $1.name, $1.number) }
    }

    /// Each company's closures: the days off of the calendars its plans give it (`plan_companies.calendar_uid`).
    func companyClosures(on db: any Database) async throws -> [UUID: CompanyClosures] {
        let rows = try await db.readRows("""
            SELECT pc.company_id AS company_id, c.definition AS definition, c.uid AS uid
            FROM plan_companies pc JOIN plan_calendars c ON c.project_id = pc.project_id AND c.uid = pc.calendar_uid
            """, columns: ["company_id", "definition", "uid"])
        var out: [UUID: CompanyClosures] = [:]
        for r in rows {
            guard let calendar = CalendarCodec.decode(try r.string(1), uid: try r.int(2)) else { continue }
            out[try r.uuid(0), default: CompanyClosures()].add(calendar)
        }
        return out
    }

    /// One resource, or `resource.not_found` when there is none the caller may see.
    public func resource(_ caller: Caller, id: UUID) async throws -> ResourceView {
        try await visible(caller, id: id, on: db)
    }

    func visible(_ caller: Caller, id: UUID, on db: any Database) async throws -> ResourceView {
        let rows = try await db.readRows("SELECT \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM resources WHERE id = \(bind: id)",
                                         columns: Self.columns)
        guard let view = try await views(rows, on: db).first,
              try await !isVendor(caller, on: db) || view.companyID == nil || view.companyID == caller.companyID else {
            throw DomainError.notFound("resource.not_found", "There is no resource \(id.uuidString.lowercased()) you may see.")
        }
        return view
    }

    func views(_ rows: [RowReader], on db: any Database) async throws -> [ResourceView] {
        var views: [ResourceView] = []
        for r in rows {
            let changes = Self.decodeChanges(try r.string(10))
            views.append(ResourceView(
                id: try r.uuid(0), number: try r.int(1), kind: ResourceKind(rawValue: try r.string(2)) ?? .person, name: try r.string(3),
                userID: try r.uuidOrNil(4), email: try r.string(5), companyID: try r.uuidOrNil(6), companyName: nil, role: try r.string(7),
                skills: try r.string(8), capacity: ResourceCapacity(percent: try r.int(9), changes: changes), notes: try r.string(11),
                version: try r.int(12)))
        }
        guard !views.isEmpty else { return [] }
        let companies = try await names(table: "companies", column: "name", ids: Set(views.compactMap(\.companyID)), on: db)
        let absences = try await self.absences(of: views.map(\.id), on: db)
        for i in views.indices {
            views[i].companyName = views[i].companyID.flatMap { companies[$0] }
            views[i].capacity.absences = absences[views[i].id] ?? []
        }
        return views
    }

    func absences(of ids: [UUID], on db: any Database) async throws -> [UUID: [Absence]] {
        guard !ids.isEmpty else { return [:] }
        let columns = ["id", "resource_id", "start_date", "end_date", "note"]
        var out: [UUID: [Absence]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for r in try await db.readRows("""
                SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM resource_absences WHERE resource_id IN (\(binds: chunk))
                ORDER BY start_date
                """, columns: columns) {
                guard let start = CivilDate(iso: try r.string(2)), let end = CivilDate(iso: try r.string(3)) else { continue }
                out[try r.uuid(1), default: []].append(Absence(id: try r.uuid(0), start: start, end: end, note: try r.string(4)))
            }
        }
        return out
    }

    static func encodeChanges(_ changes: [CapacityChange]) -> String {
        let items = changes.sorted { $0.from < $1.from }.map { "{\"from\":\"\($0.from)\",\"percent\":\($0.percent)}" }
        return "[" + items.joined(separator: ",") + "]"
    }

    static func decodeChanges(_ text: String) -> [CapacityChange] {
        guard let data = text.data(using: .utf8),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.compactMap { item in
            guard let from = (item["from"] as? String).flatMap(CivilDate.init(iso:)), let percent = item["percent"] as? Int else { return nil }
            return CapacityChange(from: from, percent: percent)
        }
    }

    // MARK: Writing

    func requireManager(_ caller: Caller) async throws {
        guard try await canManage(caller) else {
            throw DomainError.forbidden("resource.edit_forbidden", "Only the PMO, project managers and admins keep the list of resources.")
        }
    }

    /// Checks fields that need the database: the company exists; the account exists, is not another resource's
    /// already, and belongs to the resource's company.
    func check(_ f: ResourceFields, excluding id: UUID?, on db: any Database) async throws {
        var e = FieldErrors()
        ResourceRules.validate(name: f.name, kind: f.kind, percent: f.capacityPercent, changes: f.capacityChanges,
                               hasCompany: f.companyID != nil, into: &e)
        if f.email.count > ResourceRules.nameMax { e.add("email", "too_long", "An e-mail address is at most \(ResourceRules.nameMax) characters.") }
        if f.role.count > ResourceRules.nameMax { e.add("role", "too_long", "A role is at most \(ResourceRules.nameMax) characters.") }
        for (field, text) in [("skills", f.skills), ("notes", f.notes)] where text.count > ResourceRules.textMax {
            e.add(field, "too_long", "At most \(ResourceRules.textMax) characters.")
        }
        let sql = try db.sql()
        if let company = f.companyID, try await sql.raw("SELECT id FROM companies WHERE id = \(bind: company)").first() == nil {
            e.add("companyId", "unknown", "There is no such company; pick one of the organisation's companies.")
        }
        if let user = f.userID {
            if f.kind != .person { e.add("userId", "not_allowed", "Only a person has an account; placeholders and equipment have none.") }
            if let row = try await sql.raw("SELECT company_id FROM users WHERE id = \(bind: user)").first() {
                if let company = f.companyID, try row.decode(column: "company_id", as: UUID.self) != company {
                    e.add("companyId", "mismatch", "The account belongs to another company; a person's resource is in their own company.")
                }
            } else {
                e.add("userId", "unknown", "There is no such account.")
            }
            let taken = try await sql.raw("SELECT id FROM resources WHERE user_id = \(bind: user)").all()
                .map { try $0.decode(column: "id", as: UUID.self) }.filter { $0 != id }
            if !taken.isEmpty { e.add("userId", "duplicate", "This account is another resource already; a person is listed once.") }
        }
        try e.throwIfAny("resource.invalid")
    }

    /// Creates a resource.
    public func create(_ caller: Caller, _ f: ResourceFields) async throws -> ResourceView {
        try await requireManager(caller)
        let at = now()
        return try await write { db in
            try await check(f, excluding: nil, on: db)
            let id = try await insert(f, at: at, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "resource", entityID: id,
                                      action: "create", version: 1, changes: [FieldChange(field: "name", from: nil, to: f.name)])
            return try await visible(caller, id: id, on: db)
        }
    }

    /// Inside a write: stores a new resource with the next number.
    func insert(_ f: ResourceFields, at: Date, on db: any Database) async throws -> UUID {
        let sql = try db.sql()
        let next = (try await sql.raw("SELECT MAX(number) AS n FROM resources").first()?.decode(column: "n", as: Int?.self) ?? nil).map { $0 + 1 } ?? 1
        let id = UUID()
        try await sql.raw("""
            INSERT INTO resources (id, number, kind, name, user_id, email, company_id, role, skills, capacity_percent, capacity_changes,
              notes, version, created_at, updated_at)
            VALUES (\(bind: id), \(bind: next), \(bind: f.kind.rawValue), \(bind: f.name.trimmingCharacters(in: .whitespacesAndNewlines)),
              \(bind: f.userID), \(bind: f.email), \(bind: f.companyID), \(bind: f.role), \(bind: f.skills), \(bind: f.capacityPercent),
              \(bind: Self.encodeChanges(f.capacityChanges)), \(bind: f.notes), 1, \(bind: at), \(bind: at))
            """).run()
        return id
    }

    /// Changes a resource (optimistic: `expectedVersion` must be the stored one when given).
    public func update(_ caller: Caller, id: UUID, _ f: ResourceFields, expectedVersion: Int?) async throws -> ResourceView {
        try await requireManager(caller)
        let at = now()
        return try await write { db in
            try await lockRow(db, table: "resources", id: id)
            let old = try await visible(caller, id: id, on: db)
            if let expectedVersion, expectedVersion != old.version { throw staleVersion(old.version) }
            try await check(f, excluding: id, on: db)
            if f.companyID != old.companyID, let company = f.companyID {
                try await checkAssignmentsAllow(resource: id, company: company, on: db)
            }
            try await db.sql().raw("""
                UPDATE resources SET kind = \(bind: f.kind.rawValue), name = \(bind: f.name.trimmingCharacters(in: .whitespacesAndNewlines)),
                  user_id = \(bind: f.userID), email = \(bind: f.email), company_id = \(bind: f.companyID), role = \(bind: f.role),
                  skills = \(bind: f.skills), capacity_percent = \(bind: f.capacityPercent),
                  capacity_changes = \(bind: Self.encodeChanges(f.capacityChanges)), notes = \(bind: f.notes),
                  version = version + 1, updated_at = \(bind: at)
                WHERE id = \(bind: id)
                """).run()
            var changes: [FieldChange] = []
            if old.name != f.name { changes.append(FieldChange(field: "name", from: old.name, to: f.name)) }
            if old.capacity.percent != f.capacityPercent {
                changes.append(FieldChange(field: "capacityPercent", from: String(old.capacity.percent), to: String(f.capacityPercent)))
            }
            if old.role != f.role { changes.append(FieldChange(field: "role", from: old.role, to: f.role)) }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "resource", entityID: id,
                                      action: "update", version: old.version + 1, changes: changes)
            try await touchPlans(assigning: [id], at: at, on: db)
            return try await visible(caller, id: id, on: db)
        }
    }

    /// A resource moved to another company keeps only assignments in projects that company works in.
    func checkAssignmentsAllow(resource: UUID, company: UUID, on db: any Database) async throws {
        let rows = try await db.sql().raw("SELECT DISTINCT project_id FROM plan_assignments WHERE resource_id = \(bind: resource)").all()
        for row in rows {
            let project = try row.decode(column: "project_id", as: UUID.self)
            if try await !projectCompanies(project, on: db).contains(company) {
                throw DomainError.invalid("resource.invalid", [FieldError(
                    field: "companyId", code: "outside_project",
                    message: "The resource is assigned in a project that company does not work in; remove those assignments first.")])
            }
        }
    }

    /// The companies a project works with: its members' and the ones its plan names.
    func projectCompanies(_ project: UUID, on db: any Database) async throws -> Set<UUID> {
        let sql = try db.sql()
        var out = Set(try await sql.raw("""
            SELECT DISTINCT u.company_id AS company_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.project_id = \(bind: project)
            """).all().map { try $0.decode(column: "company_id", as: UUID.self) })
        for row in try await sql.raw("SELECT company_id FROM plan_companies WHERE project_id = \(bind: project)").all() {
            out.insert(try row.decode(column: "company_id", as: UUID.self))
        }
        return out
    }

    /// Plans that assign these resources are scheduled and levelled against their capacity: they change with it.
    func touchPlans(assigning ids: [UUID], at: Date, on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        try await db.sql().raw("""
            UPDATE plans SET version = version + 1, updated_at = \(bind: at)
            WHERE project_id IN (SELECT DISTINCT project_id FROM plan_assignments WHERE resource_id IN (\(binds: ids)))
            """).run()
    }

    /// Deletes a resource that no plan assigns.
    public func delete(_ caller: Caller, id: UUID) async throws {
        try await requireManager(caller)
        let at = now()
        try await write { db in
            let old = try await visible(caller, id: id, on: db)
            let used = try await db.sql().raw("SELECT COUNT(*) AS n FROM plan_assignments WHERE resource_id = \(bind: id)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if used > 0 {
                throw DomainError.conflict("resource.in_use",
                                           "\(old.name) has \(used) assignments; swap them to another resource or remove them first.")
            }
            try await db.sql().raw("DELETE FROM resources WHERE id = \(bind: id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "resource", entityID: id,
                                      action: "delete", version: old.version, changes: [FieldChange(field: "name", from: old.name, to: nil)])
        }
    }

    /// Records an absence: the PMO, PMs and admins for anyone, a person for themselves.
    public func addAbsence(_ caller: Caller, resource id: UUID, start: CivilDate?, end: CivilDate?, note: String) async throws -> Absence {
        try ResourceRules.validateAbsence(start: start, end: end, note: note)
        let at = now()
        return try await write { db in
            let view = try await visible(caller, id: id, on: db)
            try await requireAbsenceRight(caller, view, on: db)
            let absence = Absence(start: start!, end: end!, note: note)
            try await db.sql().raw("""
                INSERT INTO resource_absences (id, resource_id, start_date, end_date, note, created_by_id, created_at)
                VALUES (\(bind: absence.id), \(bind: id), \(bind: absence.start.description), \(bind: absence.end.description),
                  \(bind: note), \(bind: caller.userID), \(bind: at))
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "resource", entityID: id,
                                      action: "absence", version: view.version,
                                      changes: [FieldChange(field: "absence", from: nil, to: "\(absence.start)…\(absence.end)")])
            try await touchPlans(assigning: [id], at: at, on: db)
            return absence
        }
    }

    /// Removes an absence.
    public func deleteAbsence(_ caller: Caller, resource id: UUID, absence: UUID) async throws {
        let at = now()
        try await write { db in
            let view = try await visible(caller, id: id, on: db)
            try await requireAbsenceRight(caller, view, on: db)
            guard let old = view.capacity.absences.first(where: { $0.id == absence }) else {
                throw DomainError.notFound("resource.absence_not_found", "\(view.name) has no such absence.")
            }
            try await db.sql().raw("DELETE FROM resource_absences WHERE id = \(bind: absence)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "resource", entityID: id,
                                      action: "absence", version: view.version,
                                      changes: [FieldChange(field: "absence", from: "\(old.start)…\(old.end)", to: nil)])
            try await touchPlans(assigning: [id], at: at, on: db)
        }
    }

    func requireAbsenceRight(_ caller: Caller, _ view: ResourceView, on db: any Database) async throws {
        if view.userID == caller.userID { return }
        guard try await canManage(caller, on: db) else {
            throw DomainError.forbidden("resource.absence_forbidden",
                                        "You record your own absences; the PMO, project managers and admins record anyone's.")
        }
    }

    /// Moves every assignment of a placeholder to a person in one step (their units add up where both were assigned).
    public func swap(_ caller: Caller, placeholder: UUID, person: UUID) async throws -> Int {
        try await requireManager(caller)
        let at = now()
        return try await write { db in
            let from = try await visible(caller, id: placeholder, on: db)
            let to = try await visible(caller, id: person, on: db)
            var e = FieldErrors()
            if from.kind != .placeholder { e.add("placeholder", "not_a_placeholder", "\(from.name) is not a placeholder.") }
            if to.kind != .person { e.add("person", "not_a_person", "\(to.name) is not a person; swap a placeholder for a person.") }
            try e.throwIfAny("resource.invalid_swap")
            let sql = try db.sql()
            let rows = try await sql.raw("""
                SELECT id, project_id, activity_uid, units_percent FROM plan_assignments WHERE resource_id = \(bind: placeholder)
                """).all()
            for row in rows {
                let project = try row.decode(column: "project_id", as: UUID.self)
                if let company = to.companyID, try await !projectCompanies(project, on: db).contains(company) {
                    throw DomainError.invalid("resource.invalid_swap", [FieldError(
                        field: "person", code: "outside_project",
                        message: "\(to.name)'s company does not work in every project the placeholder is assigned in.")])
                }
                let uid = try row.decode(column: "activity_uid", as: Int.self)
                let units = try row.decode(column: "units_percent", as: Int.self)
                let existing = try await sql.raw("""
                    SELECT id FROM plan_assignments WHERE project_id = \(bind: project) AND activity_uid = \(bind: uid) AND resource_id = \(bind: person)
                    """).first()
                if let existing {
                    try await sql.raw("""
                        UPDATE plan_assignments SET units_percent = units_percent + \(bind: units) WHERE id = \(bind: try existing.decode(column: "id", as: UUID.self))
                        """).run()
                    try await sql.raw("DELETE FROM plan_assignments WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
                } else {
                    try await sql.raw("UPDATE plan_assignments SET resource_id = \(bind: person) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
                }
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "resource", entityID: placeholder,
                                      action: "swap", version: from.version, changes: [FieldChange(field: "assignments", from: from.name, to: to.name)])
            try await touchPlans(assigning: [person], at: at, on: db)
            return rows.count
        }
    }
}
