import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A project together with the caller's standing in it, as every project-scoped service needs.
public struct ProjectContext: Sendable {
    public var project: ProjectRecord
    public var role: ProjectRole?
    public var actor: AccessPolicy.Actor
    public let projectID: UUID
    /// False only on a database from before M027 (the migration tests load the demo at old schemas): the parties of
    /// interfaces are not stored there, so the vendor's filter cannot read them.
    var partiesStored = true

    public init(project: ProjectRecord, role: ProjectRole?, actor: AccessPolicy.Actor) throws {
        self.project = project
        self.role = role
        self.actor = actor
        self.projectID = try project.requireID()
    }
    public func allows(_ action: AccessPolicy.Action, item: AccessPolicy.ItemFacts? = nil) -> Bool {
        AccessPolicy.allows(actor, action, item: item)
    }
}

/// The editable fields of a project.
public struct ProjectFields: Sendable {
    public var key: String
    public var name: String
    public var description: String
    public var phase: ProjectPhase
    public var businessOwner: String
    public var startDate: CalendarDate?
    public var targetDate: CalendarDate?
    public var status: ProjectStatus

    public init(key: String, name: String, description: String = "", phase: ProjectPhase = .study,
                businessOwner: String = "", startDate: CalendarDate? = nil, targetDate: CalendarDate? = nil,
                status: ProjectStatus = .active) {
        self.key = key
        self.name = name
        self.description = description
        self.phase = phase
        self.businessOwner = businessOwner
        self.startDate = startDate
        self.targetDate = targetDate
        self.status = status
    }

    init(_ p: ProjectRecord) {
        self.init(key: p.key, name: p.name, description: p.description, phase: ProjectPhase(rawValue: p.phase) ?? .study,
                  businessOwner: p.businessOwner, startDate: p.startDate.flatMap(CalendarDate.init(iso:)),
                  targetDate: p.targetDate.flatMap(CalendarDate.init(iso:)), status: ProjectStatus(rawValue: p.status) ?? .active)
    }

    func validate() throws {
        var errors = ProjectRules.validate(key: key, name: name, startDate: startDate, targetDate: targetDate)
        if description.count > IssueRules.textMax {
            errors.append(FieldError(field: "description", code: "too_long", message: "The description may have at most \(IssueRules.textMax) characters."))
        }
        if businessOwner.count > 200 {
            errors.append(FieldError(field: "businessOwner", code: "too_long", message: "The business owner may have at most 200 characters."))
        }
        if !errors.isEmpty { throw DomainError.invalid("project.invalid", errors) }
    }

    func apply(to p: ProjectRecord) {
        p.key = key
        p.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        p.description = description
        p.phase = phase.rawValue
        p.businessOwner = businessOwner
        p.startDate = startDate?.description
        p.targetDate = targetDate?.description
        p.status = status.rawValue
    }
}

/// A member of a project, with the user's name and company for display.
public struct MemberView: Sendable {
    public var membership: MembershipRecord
    public var user: UserRecord
    public var company: CompanyRecord?
    public var role: ProjectRole { ProjectRole(rawValue: membership.role) ?? .viewer }
}

extension ProjectRecord {
    var auditSnapshot: [String: String?] {
        ["key": key, "name": name, "description": description, "phase": phase, "businessOwner": businessOwner,
         "startDate": startDate, "targetDate": targetDate, "status": status]
    }
}

extension Store {
    /// The project with this key as the caller may see it. Not a member (and not an admin) reads as "no such project",
    /// so that the existence of other projects is not revealed.
    public func projectContext(_ caller: Caller, key: String, on db: (any Database)? = nil) async throws -> ProjectContext {
        let db = db ?? self.db
        // One query: the project and the caller's role in it (a left join on the caller's membership).
        guard let row = try await db.readRows("""
            SELECT \(unsafeRaw: RowReader.select(ProjectRecord.columns, alias: "p")), m.role AS member_role FROM projects p
            LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = \(bind: caller.userID)
            WHERE p.key = \(bind: key)
            """, columns: ProjectRecord.columns + ["member_role"]).first else {
            throw DomainError.notFound("project.not_found", "There is no project with the key \(key) that you can see.", subjects: [key])
        }
        let project = try ProjectRecord(row)
        let role = try row.stringOrNil(ProjectRecord.columns.count).flatMap(ProjectRole.init(rawValue:))
        let actor = caller.actor(role: role)
        guard AccessPolicy.allows(actor, .readProject) else {
            throw DomainError.notFound("project.not_found", "There is no project with the key \(key) that you can see.", subjects: [key])
        }
        var context = try ProjectContext(project: project, role: role, actor: actor)
        if role == .vendor { context.partiesStored = try await hasMigrated("M027ItemParties", on: db) }
        return context
    }
}

extension ProjectService {
    /// The projects the caller is a member of (all projects for an admin), by key.
    public func list(for caller: Caller) async throws -> [(ProjectRecord, ProjectRole?)] {
        let memberships = try await MembershipRecord.select("user_id = \(bind: caller.userID)", on: db)
        let roles = Dictionary(memberships.map { ($0.projectID, ProjectRole(rawValue: $0.role)) }, uniquingKeysWith: { a, _ in a })
        let projects: [ProjectRecord]
        if caller.isAdmin {
            projects = try await ProjectRecord.select("TRUE", on: db)
        } else if roles.isEmpty {
            projects = []
        } else {
            projects = try await ProjectRecord.select("id IN (\(binds: Array(roles.keys)))", on: db)
        }
        return try projects.map { ($0, roles[try $0.requireID()] ?? nil) }
    }

    /// Creates a project (admins only); the creator becomes its admin member.
    public func create(by caller: Caller, _ fields: ProjectFields) async throws -> ProjectRecord {
        try requireAdmin(caller)
        try fields.validate()
        let at = now()
        return try await write { db in try await insertProject(fields, caller: caller, at: at, on: db) }
    }

    /// Inserts a project with the caller as its admin member, inside the caller's transaction.
    func insertProject(_ fields: ProjectFields, caller: Caller, at: Date, on db: any Database) async throws -> ProjectRecord {
        if try await !ProjectRecord.select("key = \(bind: fields.key)", on: db).isEmpty {
            throw DomainError(.conflict, code: "project.duplicate_key", message: "A project with the key \(fields.key) exists already.",
                              fieldErrors: [FieldError(field: "key", code: "duplicate", message: "Choose another key.", subjects: [fields.key])])
        }
        let project = ProjectRecord()
        project.id = UUID()
        fields.apply(to: project)
        project.createdAt = at
        project.updatedAt = at
        project.version = 1
        try await project.insert(on: db)
        try await AuditLog.record(on: db, at: at, actor: caller.userID, project: project.id, entityType: "project",
                                  entityID: project.requireID(), action: "create", version: 1,
                                  changes: FieldChange.diff([:], project.auditSnapshot))
        let membership = MembershipRecord()
        membership.id = UUID()
        membership.projectID = try project.requireID()
        membership.userID = caller.userID
        membership.role = ProjectRole.admin.rawValue
        membership.createdAt = at
        membership.version = 1
        try await membership.insert(on: db)
        return project
    }

    /// Updates a project's fields; the key cannot change (it is in every item's reference).
    /// A project's priority when levelling across projects (1 first … 5 last; new projects are 3).
    public func priority(_ caller: Caller, key: String) async throws -> Int {
        let context = try await projectContext(caller, key: key)
        return try await store.resources.priority(context.projectID, on: db)
    }

    /// Sets the project's priority for levelling across projects: 1 is levelled first (keeps its dates), 5 last.
    public func setPriority(by caller: Caller, key: String, _ priority: Int) async throws -> Int {
        guard (1...5).contains(priority) else {
            throw DomainError.invalid("project.invalid", [FieldError(field: "priority", code: "out_of_range",
                                                                     message: "A priority is 1 (levelled first) to 5 (levelled last).")])
        }
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.editProject) else {
                throw DomainError.forbidden("project.edit_forbidden", "Your role in \(key) may not change the project's details.")
            }
            let old = try await store.resources.priority(context.projectID, on: db)
            guard old != priority else { return priority }
            try await db.sql().raw("UPDATE projects SET priority = \(bind: priority) WHERE id = \(bind: context.projectID)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "project",
                                      entityID: context.projectID, action: "update", version: context.project.version,
                                      changes: [FieldChange(field: "priority", from: String(old), to: String(priority))])
            return priority
        }
    }

    public func update(by caller: Caller, key: String, expectedVersion: Int?,
                              change: @escaping @Sendable (inout ProjectFields) -> Void) async throws -> ProjectRecord {
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.editProject) else {
                throw DomainError.forbidden("project.edit_forbidden", "Your role in \(key) may not change the project's details.")
            }
            try await lockRow(db, table: "projects", id: context.projectID)
            guard let project = try await ProjectRecord.select("id = \(bind: context.projectID)", on: db).first else {
                throw DomainError.notFound("project.not_found", "No such project.")
            }
            if let expectedVersion, expectedVersion != project.version { throw staleVersion(project.version) }
            var fields = ProjectFields(project)
            change(&fields)
            if fields.key != project.key {
                throw DomainError.invalid("project.invalid", [FieldError(field: "key", code: "immutable", message: "A project's key cannot change.")])
            }
            try fields.validate()
            let before = project.auditSnapshot
            fields.apply(to: project)
            let changes = FieldChange.diff(before, project.auditSnapshot)
            guard !changes.isEmpty else { return project }
            project.version += 1
            project.updatedAt = at
            try await project.update(on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: project.id, entityType: "project",
                                      entityID: project.requireID(), action: "update", version: project.version, changes: changes)
            return project
        }
    }

    // MARK: Memberships

    public func members(_ caller: Caller, key: String) async throws -> [MemberView] {
        let context = try await projectContext(caller, key: key)
        return try await members(projectID: context.projectID)
    }

    func members(projectID: UUID, on db: (any Database)? = nil) async throws -> [MemberView] {
        let db = db ?? self.db
        let memberships = try await MembershipRecord.select("project_id = \(bind: projectID)", on: db)
        let users = memberships.isEmpty ? [] : try await UserRecord.select("id IN (\(binds: memberships.map(\.userID)))", on: db)
        let companies = try await CompanyRecord.select("TRUE", on: db)
        let userByID = Dictionary(uniqueKeysWithValues: try users.map { (try $0.requireID(), $0) })
        let companyByID = Dictionary(uniqueKeysWithValues: try companies.map { (try $0.requireID(), $0) })
        return memberships.compactMap { m in
            guard let user = userByID[m.userID] else { return nil }
            return MemberView(membership: m, user: user, company: companyByID[user.companyID])
        }.sorted { ($0.role.sortIndex, $0.user.displayName) < ($1.role.sortIndex, $1.user.displayName) }
    }

    /// Adds a user to a project, or changes the role of one already there.
    @discardableResult
    public func setMembership(by caller: Caller, key: String, userID: UUID, role: String) async throws -> MembershipRecord {
        guard let role = ProjectRole(rawValue: role) else {
            throw DomainError.invalid("membership.invalid", [FieldError(field: "role", code: "invalid_choice",
                message: "The role must be one of: \(ProjectRole.allCases.map(\.rawValue).joined(separator: ", ")).")])
        }
        let at = now()
        return try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.manageMembers) else {
                throw DomainError.forbidden("membership.forbidden", "Your role in \(key) may not manage members.")
            }
            if role == .admin && !(caller.isAdmin || context.role == .admin) {
                throw DomainError.forbidden("membership.admin_role", "Only a project admin may make another member admin.")
            }
            guard let user = try await UserRecord.find(userID, on: db), user.isActive else {
                throw DomainError.invalid("membership.invalid", [FieldError(field: "userId", code: "not_found", message: "No such active user.")])
            }
            if let existing = try await MembershipRecord.find(projectID: context.projectID, userID: userID, on: db) {
                guard existing.role != role.rawValue else { return existing }
                let old = existing.role
                existing.role = role.rawValue
                existing.version += 1
                try await existing.update(on: db)
                try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "membership",
                                          entityID: existing.requireID(), action: "update", version: existing.version,
                                          changes: [FieldChange(field: "role", from: old, to: role.rawValue)])
                return existing
            }
            let m = MembershipRecord()
            m.id = UUID()
            m.projectID = context.projectID
            m.userID = userID
            m.role = role.rawValue
            m.createdAt = at
            m.version = 1
            try await m.insert(on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "membership",
                                      entityID: m.requireID(), action: "create", version: 1,
                                      changes: [FieldChange(field: "user", from: nil, to: user.email),
                                                FieldChange(field: "role", from: nil, to: role.rawValue)])
            return m
        }
    }

    /// Removes a member. Issues they own keep them as owner until someone edits the issue, when the owner rule
    /// (owner must be a member) asks for a new one.
    public func removeMembership(by caller: Caller, key: String, userID: UUID) async throws {
        let at = now()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.manageMembers) else {
                throw DomainError.forbidden("membership.forbidden", "Your role in \(key) may not manage members.")
            }
            guard let m = try await MembershipRecord.find(projectID: context.projectID, userID: userID, on: db) else {
                throw DomainError.notFound("membership.not_found", "That user is not a member of \(key).")
            }
            try await m.delete(on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "membership",
                                      entityID: m.requireID(), action: "delete", version: m.version + 1,
                                      changes: [FieldChange(field: "role", from: m.role, to: nil)])
        }
    }
}

extension ProjectRole {
    var sortIndex: Int { ProjectRole.allCases.firstIndex(of: self) ?? 99 }
}

