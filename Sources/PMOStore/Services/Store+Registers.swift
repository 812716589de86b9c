import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A register item as read: its record, its decoded fields and the names needed to show it.
public struct RegisterItemView: Sendable {
    public var record: RegisterItemRecord
    public var kind: RegisterKind
    public var projectKey: String
    public var fields: RegisterItemFields
    /// Display names of every person and company the item names (owner, decider, asker, ...).
    public var userNames: [UUID: String]
    public var companyNames: [UUID: String]
    /// Names of the resources the item names. A resource named on an item of the project (a member of a unit, an
    /// environment of a system) is shown to whoever may see the item, as the unit's head is.
    public var resourceNames: [UUID: String] = [:]

    public var reference: String { kind.reference(projectKey: projectKey, number: record.number) }
    public var ownerName: String? { record.ownerID.flatMap { userNames[$0] } }
    public var createdByName: String? { userNames[record.createdByID] }
    public func name(of user: UserID?) -> String? { user.flatMap { userNames[$0.rawValue] } }
    public func name(of company: CompanyID?) -> String? { company.flatMap { companyNames[$0.rawValue] } }
    public var isFinished: Bool { kind.isFinished(record.status) }
    public func isOverdue(today: CalendarDate) -> Bool {
        RegisterRules.isOverdue(kind, status: record.status, dueDate: fields.dueDate, today: today)
    }
}

/// Filters, sort and page of a register list.
public struct RegisterQuery: Sendable, Equatable {
    public enum Sort: String, CaseIterable, Sendable {
        case number, numberDesc = "-number", due, dueDesc = "-due", score, scoreDesc = "-score", updated, updatedDesc = "-updated"
    }
    public var statuses: [String] = []
    /// Only unfinished items.
    public var openOnly = false
    public var ownerID: UUID?
    public var unowned = false
    public var overdueAsOf: CalendarDate?
    public var companyID: UUID?
    public var text: String?
    public var sort: Sort = .number
    public var limit = 50
    public var cursor: String?
    public init() {}
    public static let maxLimit = 500
}

public struct RegisterPage: Sendable {
    public var items: [RegisterItemView]
    public var nextCursor: String?
}

extension RegisterItemRecord {
    public var facts: AccessPolicy.ItemFacts {
        AccessPolicy.ItemFacts(visibility: Visibility(scope: VisibilityScope(rawValue: visibility) ?? .project,
                                                      companyID: visibilityCompanyID.map(CompanyID.init)),
                               ownerID: ownerID.map(UserID.init), createdByID: UserID(createdByID))
    }

    var kind: RegisterKind { RegisterKind(letter: register) ?? .action }

    func fields() -> RegisterItemFields {
        RegisterItemFields(title: title, description: description, status: status, ownerID: ownerID.map(UserID.init),
                           dueDate: dueDate.flatMap(CalendarDate.init(iso:)),
                           visibility: Visibility(scope: VisibilityScope(rawValue: visibility) ?? .project,
                                                  companyID: visibilityCompanyID.map(CompanyID.init)),
                           companyID: companyID.map(CompanyID.init), details: RegisterDetailsCodec.decode(details, kind: kind))
    }

    func apply(_ f: RegisterItemFields) {
        title = f.title.trimmingCharacters(in: .whitespacesAndNewlines)
        description = f.description
        status = f.status
        isOpen = !kind.isFinished(f.status)
        ownerID = f.ownerID?.rawValue
        deciderID = kind == .decision ? f.details["decider"]?.user?.rawValue : nil
        dueDate = f.dueDate?.description
        score = RegisterRules.score(kind, f.details)
        visibility = f.visibility.scope.rawValue
        visibilityCompanyID = f.visibility.companyID?.rawValue
        companyID = f.companyID?.rawValue
        searchText = RegisterItemRecord.searchText(f)
        // Empty texts and lists are stored as absent, so that "" and a cleared field never differ.
        details = RegisterDetailsCodec.encode(f.details.filter { _, v in
            switch v {
            case .text(let s): !s.isEmpty
            case .indicators(let l): !l.isEmpty
            case .options(let l): !l.isEmpty
            default: true
            }
        })
    }

    /// The words text search looks in: title, description and every text the register's own fields hold.
    static func searchText(_ f: RegisterItemFields) -> String {
        var parts = [f.title, f.description]
        for value in f.details.values {
            switch value {
            case .text(let s): parts.append(s)
            case .indicators(let list): parts += list.map(\.text)
            case .options(let list): parts += list.flatMap { [$0.title, $0.pros, $0.cons] }
            default: break
            }
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "\n").lowercased()
    }

    /// Every field as text, for the audit trail's from/to values.
    var auditSnapshot: [String: String?] {
        if register == ItemService.issueRegister { return IssueFields(self).auditSnapshot }
        var s: [String: String?] = [
            "title": title, "description": description, "status": status, "owner": ownerID?.uuidString.lowercased(),
            "dueDate": dueDate, "visibility": visibility, "visibilityCompany": visibilityCompanyID?.uuidString.lowercased(),
            "company": companyID?.uuidString.lowercased(),
        ]
        for (name, value) in RegisterDetailsCodec.decode(details, kind: kind) { s[name] = RegisterItemRecord.text(value) }
        return s
    }

    static func text(_ value: RegisterValue) -> String {
        switch value {
        case .text(let s): s
        case .integer(let n): String(n)
        case .number(let n): RegisterText.formatNumber(n)
        case .date(let d): d.description
        case .bool(let b): b ? "true" : "false"
        case .user(let id): id.description
        case .company(let id): id.description
        case .item(let ref): ref.description
        case .items(let refs): refs.map(\.description).joined(separator: ", ")
        case .activities(let ids): RegisterText.activities(ids)
        case .resources(let ids): ids.map { $0.uuidString.lowercased() }.joined(separator: ", ")
        case .indicators(let list): RegisterText.indicators(list)
        case .options(let list): RegisterText.options(list)
        }
    }
}

extension ItemService {
    // MARK: Reading

    /// One item by number, or `<kind>.not_found` when it does not exist or the caller may not see it.
    public func registerItem(_ caller: Caller, key: String, kind: RegisterKind, number: Int) async throws -> RegisterItemView {
        let context = try await projectContext(caller, key: key)
        let record = try await visibleRegisterItem(context, kind: kind, number: number, on: db)
        return try await registerViews([record], projectKey: key, on: db)[0]
    }

    func visibleRegisterItem(_ context: ProjectContext, kind: RegisterKind, number: Int, forUpdate: Bool = false,
                             on db: any Database) async throws -> RegisterItemRecord {
        try await visibleItem(context, register: kind.letter, name: kind.rawValue, number: number, forUpdate: forUpdate, on: db)
    }

    /// Adds names to records with one query per kind of name.
    func registerViews(_ records: [RegisterItemRecord], projectKey: String, on db: any Database) async throws -> [RegisterItemView] {
        let decoded = records.map { ($0, $0.fields()) }
        var userIDs = Set<UUID>()
        var companyIDs = Set<UUID>()
        for (r, f) in decoded {
            userIDs.formUnion([r.ownerID, r.createdByID].compactMap { $0 } + f.detailUserIDs.map(\.rawValue))
            companyIDs.formUnion([r.companyID, r.visibilityCompanyID].compactMap { $0 } + f.detailCompanyIDs.map(\.rawValue))
        }
        let userNames = try await names(table: "users", column: "display_name", ids: userIDs, on: db)
        let companyNames = try await names(table: "companies", column: "name", ids: companyIDs, on: db)
        let resourceIDs = Set(decoded.flatMap { $0.1.detailResourceIDs })
        let resourceNames = try await names(table: "resources", column: "name", ids: resourceIDs, on: db)
        return decoded.map { r, f in
            RegisterItemView(record: r, kind: r.kind, projectKey: projectKey, fields: f, userNames: userNames, companyNames: companyNames,
                             resourceNames: resourceNames)
        }
    }

    /// The SQL condition that hides items a vendor may not see (empty for everyone else).
    func vendorFilter(_ context: ProjectContext, prefix: String = "") -> SQLQueryString {
        guard !context.actor.isSystemAdmin && context.role == .vendor else { return "" }
        guard context.partiesStored else { return visibilityFilter(context, prefix: prefix) }
        // Interfaces show only to the companies party to them (`ItemParties`, kept in `item_parties`).
        let table = prefix.isEmpty ? "register_items." : prefix
        let letters = ItemParties.kinds.map(\.letter).sorted()
        return visibilityFilter(context, prefix: prefix) + """
             AND (\(unsafeRaw: table)register NOT IN (\(binds: letters)) OR EXISTS (SELECT 1 FROM item_parties ip
               WHERE ip.item_id = \(unsafeRaw: table)id AND ip.parties LIKE \(bind: ItemParties.pattern(context.actor.companyID))))
            """
    }

    /// The vendor's condition on a visibility alone, for the tables that have one but no parties (meeting series);
    /// `vendorFilter` adds the parties of systems and interfaces for `register_items`.
    func visibilityFilter(_ context: ProjectContext, prefix: String = "") -> SQLQueryString {
        guard !context.actor.isSystemAdmin && context.role == .vendor else { return "" }
        return " AND (\(unsafeRaw: prefix)visibility = 'project' OR (\(unsafeRaw: prefix)visibility = 'company' AND \(unsafeRaw: prefix)visibility_company_id = \(bind: context.actor.companyID.rawValue)))"
    }

    /// A page of a register the caller may see, filtered and sorted (`itemPage`, every register's list).
    public func registerItems(_ caller: Caller, key: String, kind: RegisterKind, query: RegisterQuery) async throws -> RegisterPage {
        let context = try await projectContext(caller, key: key)
        let filter = Self.registerFilter(query, kind: kind)
        let page = try await itemPage(context, register: kind.letter, filter: filter, sort: query.sort.listSort,
                                      cursor: query.cursor, limit: query.limit, maxLimit: RegisterQuery.maxLimit)
        return RegisterPage(items: try await registerViews(page.records, projectKey: key, on: db), nextCursor: page.next)
    }

    /// How many items of register `kind` `query` selects for the caller, on every page together (the result count).
    public func registerCount(_ caller: Caller, key: String, kind: RegisterKind, query: RegisterQuery) async throws -> Int {
        try await itemCount(try await projectContext(caller, key: key), register: kind.letter, filter: Self.registerFilter(query, kind: kind))
    }

    static func registerFilter(_ query: RegisterQuery, kind: RegisterKind) -> ItemListFilter {
        ItemListFilter(statuses: query.statuses, openOnly: query.openOnly, ownerID: query.ownerID, unowned: query.unowned,
                       companyID: query.companyID, overdueAsOf: query.overdueAsOf, dueStatuses: kind.dueStatuses, text: query.text)
    }

    /// Every item of a register the caller may see, in number order (for exports and the heat map).
    public func allRegisterItems(_ caller: Caller, key: String, kind: RegisterKind) async throws -> [RegisterItemView] {
        let context = try await projectContext(caller, key: key)
        let records = try await RegisterItemRecord.select(
            "project_id = \(bind: context.projectID) AND register = \(bind: kind.letter)\(vendorFilter(context))", on: db)
        return try await registerViews(records, projectKey: key, on: db)
    }

    // MARK: Writing

    /// Creates an item with the register's next number. `origin` (an issue or another register item) is linked as
    /// what the new item is derived from.
    public func createRegisterItem(_ caller: Caller, key: String, kind: RegisterKind, fields: RegisterItemFields,
                                   origin: ItemReference? = nil) async throws -> RegisterItemView {
        if kind == .risk && fields.status == "occurred" {
            throw DomainError.invalid("risk.invalid", [FieldError(field: "status", code: "use_occurrence",
                message: "Create the risk in another status, then record that it occurred (POST …/risks/{number}/occurred): that raises the issue and links both ways.")])
        }
        let at = now()
        let record = try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            return try await insertRegisterItem(context, caller: caller, kind: kind, fields: fields, origin: origin, at: at, on: db)
        }
        return try await registerViews([record], projectKey: key, on: db)[0]
    }

    /// The create step inside a transaction, shared by create, conversions and imports.
    func insertRegisterItem(_ context: ProjectContext, caller: Caller, kind: RegisterKind, fields input: RegisterItemFields,
                            origin: ItemReference?, at: Date, on db: any Database) async throws -> RegisterItemRecord {
        guard context.allows(.createItem) else {
            throw DomainError.forbidden("\(kind.rawValue).create_forbidden", "Your role in \(context.project.key) may not create \(kind.plural).")
        }
        var fields = input
        // A new change request is for the business owner to approve, when the project's business owner is a member.
        if kind == .change && fields.details["approver"] == nil,
           let owner = try await memberNamed(context.project.businessOwner, projectID: context.projectID, on: db) {
            fields.details["approver"] = .user(UserID(owner))
        }
        if kind == .question && fields.details["askedBy"] == nil { fields.details["askedBy"] = .user(UserID(caller.userID)) }
        let today = CalendarDate(at, in: TimeZone(identifier: caller.timeZone) ?? TimeZone.japan)
        // A new item may start in any status (registers move here from Excel mid-life); rights and effects still apply.
        try await checkStatusChange(kind, from: kind.initialStatus, fields: &fields, context: context, caller: caller,
                                    raisedOn: today, today: today, enforceWorkflow: false, on: db)
        fields.details = RegisterRules.wholeYen(fields.details)
        try await checkRegisterFields(kind, fields, context: context, on: db)
        var originItem: LinkedItem?
        if let origin {
            originItem = try await resolveItem(context, origin, field: "origin", on: db)
        }
        let r = RegisterItemRecord(register: kind.letter)
        r.apply(fields)
        try await storeNewItem(r, name: kind.rawValue, context: context, caller: caller, at: at, on: db)
        if let originItem {
            let me = LinkedItem(type: ItemType(kind), id: try r.requireID(), number: r.number, title: r.title, status: r.status, version: r.version, facts: r.facts)
            try await insertLink(context, caller: caller, from: me, to: originItem, kind: .derivedFrom, at: at, on: db)
        }
        return r
    }

    /// Applies a patch if the item is still at `expectedVersion`; a stale version changes nothing (409).
    public func updateRegisterItem(_ caller: Caller, key: String, kind: RegisterKind, number: Int, expectedVersion: Int?,
                                   patch: RegisterItemPatch) async throws -> RegisterItemView {
        let at = now()
        let record = try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let current = try await visibleRegisterItem(context, kind: kind, number: number, forUpdate: true, on: db)
            if let expectedVersion, expectedVersion != current.version { throw staleVersion(current.version) }
            return try await applyRegisterPatch(context, caller: caller, record: current, patch: patch, at: at, on: db)
        }
        return try await registerViews([record], projectKey: key, on: db)[0]
    }

    /// The update step inside a transaction: permission, workflow, rules, save and audit.
    func applyRegisterPatch(_ context: ProjectContext, caller: Caller, record r: RegisterItemRecord, patch: RegisterItemPatch,
                            at: Date, allowOccurred: Bool = false, on db: any Database) async throws -> RegisterItemRecord {
        let kind = r.kind
        let reference = kind.reference(projectKey: context.project.key, number: r.number)
        let before = r.fields()
        var fields = patch.applied(to: before)
        if !context.allows(.editItem, item: r.facts) {
            // The decider named on a decision records its outcome whatever their role, and the approver named on a
            // change approves or rejects it; nothing else (the rights table is checked with the status change below).
            let me = UserID(caller.userID)
            let decides = kind == .decision && before.details["decider"]?.user == me && DecisionRights.onlyRecordsTheOutcome(before: before, after: fields)
            let approves = kind == .change && before.details["approver"]?.user == me && DecisionRights.onlyRecordsTheApproval(before: before, after: fields)
            guard decides || approves else {
                throw DomainError.forbidden("\(kind.rawValue).edit_forbidden", "Your role in \(context.project.key) may not change \(reference).")
            }
        }
        if !context.allows(.editItem, item: r.facts) && kind == .decision {
            if case .belongsTo(let authority) = try await deciderRight(before, context: context, caller: caller, on: db) {
                throw DomainError(.forbidden, code: "decision.no_right",
                                  message: "Decisions of this kind belong to \(authority), and you do not hold that right; ask them to record it, or the PMO to change the decision-rights table.",
                                  subjects: [authority])
            }
        }
        if kind == .risk && fields.status == "occurred" && before.status != "occurred" && !allowOccurred {
            throw DomainError.invalid("\(kind.rawValue).invalid", [FieldError(field: "status", code: "use_occurrence",
                message: "Record that \(reference) occurred with 'Risk occurred' (POST …/risks/\(r.number)/occurred): it raises the issue and links both ways.")])
        }
        if kind == .decision && before.status == "decided" && fields.status == "decided"
            && (before.details["decider"] != fields.details["decider"] || before.details["category"] != fields.details["category"]) {
            try await checkDecisionRight(&fields, context: context, caller: caller, on: db)
        }
        let zone = TimeZone(identifier: caller.timeZone) ?? TimeZone.japan
        try await checkStatusChange(kind, from: before.status, fields: &fields, context: context, caller: caller,
                                    raisedOn: CalendarDate(r.createdAt, in: zone), today: CalendarDate(at, in: zone), on: db)
        fields.details = RegisterRules.wholeYen(fields.details)
        try await checkRegisterFields(kind, fields, context: context, number: r.number, on: db)
        let snapshot = r.auditSnapshot
        r.apply(fields)
        try await storeItemChange(r, before: snapshot, name: kind.rawValue, context: context, caller: caller, at: at, on: db)
        return r
    }

    /// Deletes an item if still at `expectedVersion`, with its links.
    public func deleteRegisterItem(_ caller: Caller, key: String, kind: RegisterKind, number: Int, expectedVersion: Int?) async throws {
        try await deleteItem(caller, key: key, register: kind.letter, name: kind.rawValue, plural: kind.plural, number: number,
                             expectedVersion: expectedVersion)
    }

    /// The delete step of every register, issues included: the item must be visible, deletable by the caller and still
    /// at `expectedVersion`; its comments and links go with it, its audit trail stays (with what it held).
    func deleteItem(_ caller: Caller, key: String, register letter: String, name: String, plural: String, number: Int,
                    expectedVersion: Int?) async throws {
        let at = now()
        try await write { db in
            let context = try await projectContext(caller, key: key, on: db)
            let r = try await visibleItem(context, register: letter, name: name, number: number, forUpdate: true, on: db)
            guard context.allows(.deleteItem, item: r.facts) else {
                throw DomainError.forbidden("\(name).delete_forbidden", "Your role in \(key) may not delete \(plural).")
            }
            if let expectedVersion, expectedVersion != r.version { throw staleVersion(r.version) }
            if let type = ItemType(rawValue: letter) {
                let naming = try await itemsNaming(ItemReference(projectKey: nil, type: type, number: number), projectID: context.projectID, on: db)
                if !naming.isEmpty {
                    throw DomainError(.conflict, code: "\(name).in_use",
                                      message: "\(type.reference(projectKey: key, number: number)) is named by \(naming.joined(separator: ", ")); change or delete those first.")
                }
            }
            try await r.delete(on: db)
            try await refreshPartiesIfNeeded(register: letter, projectID: context.projectID, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: name,
                                      entityID: r.requireID(), action: "delete", version: r.version + 1,
                                      changes: FieldChange.diff(r.auditSnapshot, [:]))
        }
    }

    /// The workflow step: allowed transitions, who may record a decision or approve a change, and what the
    /// product records itself (decision date and lead time, answerer, approver, done date).
    func checkStatusChange(_ kind: RegisterKind, from: String, fields: inout RegisterItemFields, context: ProjectContext,
                           caller: Caller, raisedOn: CalendarDate, today: CalendarDate, enforceWorkflow: Bool = true,
                           on db: any Database) async throws {
        if enforceWorkflow, let problem = RegisterRules.checkTransition(kind, from: from, to: fields.status) {
            throw DomainError.invalid("\(kind.rawValue).transition_not_allowed", [problem])
        }
        guard from != fields.status else { return }
        let me = UserID(caller.userID)
        if kind == .decision && fields.status == "decided" {
            try await checkDecisionRight(&fields, context: context, caller: caller, on: db)
        }
        if kind == .change && fields.status == "approved" {
            let rights = try await decisionRightsTable(context.projectID, on: db)
            if !caller.isAdmin && !DecisionRights.holds(rights, category: DecisionRights.specificationChange, userID: me, role: context.role) {
                let authority = DecisionRights.authority(for: DecisionRights.specificationChange, in: rights)
                throw DomainError.forbidden("change.no_right",
                                            "Approving a specification change belongs to \(authority); you do not hold that right. Ask them to approve it.")
            }
        }
        RegisterRules.applyTransitionEffects(kind, from: from, to: &fields, actor: me, today: today, raisedOn: raisedOn)
    }

    /// A decided decision names a decider who holds the right for its category, and is recorded by the decider or
    /// by the PMO / PM; the authority it was decided under is recorded with it.
    func checkDecisionRight(_ fields: inout RegisterItemFields, context: ProjectContext, caller: Caller, on db: any Database) async throws {
        let me = UserID(caller.userID)
        let rights = try await decisionRightsTable(context.projectID, on: db)
        let category = fields.details["category"]?.text
        guard let decider = fields.details["decider"]?.user else {
            throw DomainError.invalid("decision.invalid", [FieldError(field: "decider", code: "required_here", message: "Name who decided.")])
        }
        let deciderRole = try await role(of: decider.rawValue, in: context.projectID, on: db)
        let authority = DecisionRights.authority(for: category, in: rights)
        if !DecisionRights.holds(rights, category: category, userID: decider, role: deciderRole) {
            let name = try await names(table: "users", column: "display_name", ids: [decider.rawValue], on: db)[decider.rawValue] ?? "The decider"
            throw DomainError(.forbidden, code: "decision.no_right",
                              message: "\(name) does not hold the right to decide \(category.map { "'\($0)'" } ?? "this kind of") decision; it belongs to \(authority). Name a decider who holds it, or ask the PMO to change the decision-rights table.",
                              fieldErrors: [FieldError(field: "decider", code: "no_right", message: "Decisions of this kind belong to \(authority).")])
        }
        if decider != me && !caller.isAdmin && !(context.role.map(DecisionRights.recorderRoles.contains) ?? false) {
            throw DomainError.forbidden("decision.no_right",
                                        "Only the decider or the project's PMO / PM may record this decision as decided.")
        }
        fields.details["authority"] = .text(authority)
    }

    func role(of user: UUID, in projectID: UUID, on db: any Database) async throws -> ProjectRole? {
        let row = try await db.sql().raw(
            "SELECT role FROM memberships WHERE project_id = \(bind: projectID) AND user_id = \(bind: user)").first()
        return try row.flatMap { ProjectRole(rawValue: try $0.decode(column: "role", as: String.self)) }
    }

    /// Rules that need the database: everyone named is a member who can see the item, companies exist, and the
    /// actor may give the item this visibility.
    /// `number` is the item's own when it is being changed (nil for a new one).
    func checkRegisterFields(_ kind: RegisterKind, _ fields: RegisterItemFields, context: ProjectContext, number: Int? = nil,
                             on db: any Database) async throws {
        var errors = RegisterRules.validate(kind, fields)
        if !AccessPolicy.mayAssign(context.actor, fields.visibility) {
            errors.append(FieldError(field: "visibility", code: "not_allowed",
                                     message: "A vendor member may share an item with the whole project or keep it to its own company only."))
        }
        var companies: [(String, CompanyID)] = [fields.visibility.companyID.map { ("visibilityCompanyId", $0) }, fields.companyID.map { ("companyId", $0) }].compactMap { $0 }
        var people: [(String, UserID)] = fields.ownerID.map { [("owner", $0)] } ?? []
        for spec in kind.fields {
            if case .company(let id)? = fields.details[spec.name] { companies.append((spec.name, id)) }
            if case .user(let id)? = fields.details[spec.name], !spec.automatic { people.append((spec.name, id)) }
        }
        let known = try await names(table: "companies", column: "name", ids: Set(companies.map(\.1.rawValue)), on: db)
        for (field, id) in companies where known[id.rawValue] == nil {
            errors.append(FieldError(field: field, code: "not_found", message: "No company has the id \(id)."))
        }
        for (field, id) in people {
            if let problem = try await memberProblem(id, field: field, visibility: fields.visibility, context: context, on: db) {
                errors.append(problem)
            }
        }
        for spec in kind.fields {
            // An item of another project cannot be named (references carry no key), and one the caller may not see
            // reads as missing, so that hidden items cannot be probed.
            for ref in Set(fields.details[spec.name]?.namedItems ?? []).sorted(by: { $0.number < $1.number }) {
                guard let register = ref.type.register else { continue }
                do {
                    _ = try await visibleItem(context, register: ref.type.rawValue, name: register.rawValue, number: ref.number, on: db)
                } catch let e as DomainError where e.kind == .notFound {
                    errors.append(FieldError(field: spec.name, code: "not_found",
                                             message: "\(context.project.key) has no \(register.rawValue) \(ref) that you can see: name one from its list of \(register.plural)."))
                }
            }
        }
        // A reporting line never loops: the unit must not end up reporting to itself, however far up.
        if kind == .unit, let parent = fields.details["reportsTo"]?.item?.number, !errors.contains(where: { $0.field == "reportsTo" }) {
            let rows = try await db.readRows("""
                SELECT number, details FROM register_items WHERE project_id = \(bind: context.projectID) AND register = \(bind: kind.letter)
                """, columns: ["number", "details"])
            var parents: [Int: Int] = [:]
            for row in rows {
                if let up = RegisterDetailsCodec.decode(try row.string(1), kind: .unit)["reportsTo"]?.item?.number { parents[try row.int(0)] = up }
            }
            if let loop = Organisation.reportingLoop(unit: number, reportsTo: parent, parents: parents) {
                let chain = loop.map { "U\($0)" }.joined(separator: " → ")
                errors.append(FieldError(field: "reportsTo", code: "reporting_loop",
                                         message: "Reporting lines may not loop: \(chain). Choose a unit that does not report, directly or not, to this one."))
            }
        }
        // Plan activities named by id must be in this project's plan.
        for spec in kind.fields where spec.kind == .activities {
            guard let ids = fields.details[spec.name]?.activities, !ids.isEmpty else { continue }
            let known = try await store.planActivityNames(projectID: context.projectID, on: db)
            if let missing = ids.first(where: { known[$0] == nil }) {
                errors.append(FieldError(field: spec.name, code: "not_found",
                                         message: "\(context.project.key)'s plan has no activity \(missing): name activities by the ids in the plan's first column."))
            }
        }
        // Resources named by id must exist and be of the field's kind; a vendor names its own company's people only.
        for spec in kind.fields {
            guard case .resources(let pick) = spec.kind, let ids = fields.details[spec.name]?.resources, !ids.isEmpty else { continue }
            let rows = try await db.readRows("SELECT id, kind, company_id FROM resources WHERE id IN (\(binds: ids))",
                                             columns: ["id", "kind", "company_id"])
            var found: [UUID: (kind: ResourceKind?, company: UUID?)] = [:]
            for row in rows { found[try row.uuid(0)] = (ResourceKind(rawValue: try row.string(1)), try row.uuidOrNil(2)) }
            let vendor = !context.actor.isSystemAdmin && context.role == .vendor
            for id in ids {
                guard let r = found[id], let k = r.kind,
                      !(vendor && k != .equipment && r.company != context.actor.companyID.rawValue) else {
                    errors.append(FieldError(field: spec.name, code: "not_found",
                                             message: "There is no resource \(id.uuidString.lowercased()) that you can see: name one from the resources list."))
                    break
                }
                if !pick.accepts(k) {
                    errors.append(FieldError(field: spec.name, code: "wrong_resource_kind", message: pick == .people
                        ? "\(spec.name) lists people (a person or a placeholder), not equipment."
                        : "\(spec.name) lists environments, which are equipment resources; add the environment as equipment first."))
                    break
                }
            }
        }
        if !errors.isEmpty { throw DomainError.invalid("\(kind.rawValue).invalid", errors) }
    }

    /// The items of the project whose own fields name `ref` (the interfaces at a system, the business functions that
    /// use an interface), by reference; an item named by one of them is not deleted, so that none is left pointing
    /// at nothing.
    func itemsNaming(_ ref: ItemReference, projectID: UUID, on db: any Database) async throws -> [String] {
        var found: [String] = []
        let naming = { (spec: RegisterFieldSpec) in spec.kind == .item(ref.type) || spec.kind == .items(ref.type) }
        for kind in RegisterKind.allCases where kind.fields.contains(where: naming) {
            // The LIKE finds candidates cheaply; decoding keeps only those whose reference fields hold it.
            let rows = try await db.readRows("""
                SELECT number, details FROM register_items
                WHERE project_id = \(bind: projectID) AND register = \(bind: kind.letter) AND details LIKE \(bind: "%\"\(ref)\"%")
                ORDER BY number
                """, columns: ["number", "details"])
            for row in rows {
                let details = RegisterDetailsCodec.decode(try row.string(1), kind: kind)
                if kind.fields.contains(where: { naming($0) && (details[$0.name]?.namedItems ?? []).contains(ref) }) {
                    found.append(ItemType(kind).rawValue + String(try row.int(0)))
                }
            }
        }
        // An issue names the systems it is about.
        if ref.type == .system {
            let rows = try await db.readRows("""
                SELECT number, details FROM register_items
                WHERE project_id = \(bind: projectID) AND register = 'I' AND details LIKE \(bind: "%\"\(ref)\"%")
                ORDER BY number
                """, columns: ["number", "details"])
            for row in rows where IssueDetails.decode(try row.string(1)).systemReferences.contains(ref) {
                found.append(ItemType.issue.rawValue + String(try row.int(0)))
            }
            // And plan activities name the system their work belongs to.
            let activities = try await db.readRows("""
                SELECT uid FROM plan_activities WHERE project_id = \(bind: projectID) AND system = \(bind: ref.description) ORDER BY uid
                """, columns: ["uid"])
            found += try activities.map { "activity \(try $0.int(0))" }
        }
        return found
    }

    /// Why a person cannot be named on an item of this visibility (not a member, or could not see it); nil if fine.
    func memberProblem(_ id: UserID, field: String, visibility: Visibility, context: ProjectContext, on db: any Database) async throws -> FieldError? {
        let row = try await db.sql().raw("""
            SELECT u.display_name, u.company_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id AND m.project_id = \(bind: context.projectID)
            WHERE u.id = \(bind: id.rawValue)
            """).first()
        guard let row else {
            return FieldError(field: field, code: "not_member", message: "\(field) must be a member of \(context.project.key); add them to the project first.")
        }
        let actor = AccessPolicy.Actor(userID: id, companyID: CompanyID(try row.decode(column: "company_id", as: UUID.self)),
                                       isSystemAdmin: false, role: ProjectRole(rawValue: try row.decode(column: "role", as: String.self)))
        if !AccessPolicy.canSee(actor, visibility) {
            let name = try row.decode(column: "display_name", as: String.self)
            return FieldError(field: field, code: "cannot_see", message: "\(name) could not see this item with its visibility; choose another person or visibility.")
        }
        return nil
    }
}

extension RegisterQuery.Sort {
    /// The sort as SQL: by number, due date, score or last change.
    var listSort: ItemListSort {
        switch self {
        case .number, .numberDesc: ItemListSort(name: rawValue, key: .number)
        case .due, .dueDesc: ItemListSort(name: rawValue, key: .due)
        case .score, .scoreDesc: ItemListSort(name: rawValue, key: .score)
        case .updated, .updatedDesc: ItemListSort(name: rawValue, key: .updated)
        }
    }
}
