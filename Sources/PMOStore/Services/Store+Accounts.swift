import FluentKit
import Foundation
import PMOCore
import SQLKit

/// What creating a user hands back to the admin: the user, and either a one-time invitation token
/// or a temporary password, shown once and never stored in the clear.
public struct CreatedUser: Sendable {
    public var user: UserRecord
    public var invitationToken: String?
    public var temporaryPassword: String?
}

/// How a new user gets their first password.
public enum PasswordSetup: Sendable {
    /// The caller chose it (the CLI's `--password-stdin`).
    case given(String)
    /// A temporary password is generated and shown to the admin once.
    case temporary
    /// A one-time invitation link is generated; the user chooses a password.
    case invitation
}

public struct NewUser: Sendable {
    public var email: String
    public var displayName: String
    public var companyID: UUID
    public var locale: String
    public var timeZone: String
    public var isAdmin: Bool
    public var password: PasswordSetup

    public init(email: String, displayName: String, companyID: UUID, locale: String = "ja",
                timeZone: String = "Asia/Tokyo", isAdmin: Bool = false, password: PasswordSetup) {
        self.email = email
        self.displayName = displayName
        self.companyID = companyID
        self.locale = locale
        self.timeZone = timeZone
        self.isAdmin = isAdmin
        self.password = password
    }
}

extension AccountService {
    // MARK: Companies

    public func companies() async throws -> [CompanyRecord] {
        try await CompanyRecord.select("TRUE", on: db)
    }

    public func company(id: UUID) async throws -> CompanyRecord? {
        try await CompanyRecord.find(id, on: db)
    }

    /// Creates a company. `caller` nil means the command line acting as the installation's owner.
    public func createCompany(by caller: Caller?, name: String, kind: String) async throws -> CompanyRecord {
        try requireAdmin(caller)
        var e = FieldErrors()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { e.add("name", "required", "Give the company a name.") }
        if name.count > 200 { e.add("name", "too_long", "The name may have at most 200 characters.") }
        if CompanyKind(rawValue: kind) == nil {
            e.add("kind", "invalid_choice", "The kind must be one of: operator, client, vendor.")
        }
        try e.throwIfAny("company.invalid")
        let at = now()
        return try await write { db in
            if try await !CompanyRecord.select("name = \(bind: name)", on: db).isEmpty {
                throw DomainError(.conflict, code: "company.duplicate_name", message: "A company named \(name) exists already.",
                                  fieldErrors: [FieldError(field: "name", code: "duplicate", message: "Choose another name.", subjects: [name])])
            }
            let company = CompanyRecord(name: name, kind: kind, createdAt: at)
            try await company.insert(on: db)
            try await AuditLog.record(on: db, at: at, actor: caller?.userID, project: nil, entityType: "company",
                                      entityID: company.requireID(), action: "create", version: 1,
                                      changes: [FieldChange(field: "name", from: nil, to: name),
                                                FieldChange(field: "kind", from: nil, to: kind)])
            return company
        }
    }

    /// The running organisation's company, created if missing (used by `pmo user create` without `--company`).
    public func operatorCompany(named name: String? = nil) async throws -> CompanyRecord {
        if let name {
            if let found = try await CompanyRecord.select("name = \(bind: name)", on: db).first { return found }
            return try await createCompany(by: nil, name: name, kind: CompanyKind.operator.rawValue)
        }
        if let found = try await CompanyRecord.select("kind = 'operator'", order: "created_at", on: db).first {
            return found
        }
        return try await createCompany(by: nil, name: "PMO", kind: CompanyKind.operator.rawValue)
    }

    // MARK: Users

    public func users() async throws -> [UserRecord] {
        try await UserRecord.select("TRUE", on: db)
    }

    public func user(id: UUID) async throws -> UserRecord? { try await UserRecord.find(id, on: db) }

    public func user(email: String) async throws -> UserRecord? {
        try await UserRecord.select("email = \(bind: email.lowercased())", on: db).first
    }

    /// Creates a user. `caller` nil means the command line (first admin, demo).
    public func createUser(by caller: Caller?, _ new: NewUser, bcryptCost: Int = 12) async throws -> CreatedUser {
        try requireAdmin(caller)
        var e = FieldErrors()
        let email = new.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let name = new.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if !AccountRules.isPlausibleEmail(email) {
            e.add("email", "invalid_email", "Give a valid e-mail address such as name@example.com.")
        }
        if name.isEmpty { e.add("displayName", "required", "Give the user's name.") }
        if name.count > 200 { e.add("displayName", "too_long", "The name may have at most 200 characters.") }
        if !AccountRules.locales.contains(new.locale) { e.add("locale", "invalid_choice", "The locale must be ja or en.") }
        if TimeZone(identifier: new.timeZone) == nil {
            e.add("timeZone", "invalid_time_zone", "Give a time zone such as Asia/Tokyo.")
        }
        if case .given(let password) = new.password {
            for problem in AccountRules.passwordProblems(password) { e.add(problem.field, problem.code, problem.message) }
        }
        try e.throwIfAny("user.invalid")
        var plainPassword: String?
        var temporary: String?
        switch new.password {
        case .given(let p): plainPassword = p
        case .temporary: temporary = Secrets.temporaryPassword(); plainPassword = temporary
        case .invitation: break
        }
        let hash: String? = if let plainPassword { try await Secrets.hashPassword(plainPassword, cost: bcryptCost, with: passwords) } else { nil }
        let invitation: String? = if case .invitation = new.password { Secrets.newToken(prefix: "inv_") } else { nil }
        let at = now()
        let mustChange = temporary != nil
        let user = try await write { db in
            guard try await CompanyRecord.find(new.companyID, on: db) != nil else {
                throw DomainError.invalid("user.invalid", [FieldError(field: "companyId", code: "not_found",
                                                                      message: "No such company; create it first.")])
            }
            if try await !UserRecord.select("email = \(bind: email)", on: db).isEmpty {
                throw DomainError(.conflict, code: "user.duplicate_email", message: "A user with the e-mail \(email) exists already.",
                                  fieldErrors: [FieldError(field: "email", code: "duplicate", message: "Use another e-mail address.", subjects: [email])])
            }
            let user = UserRecord()
            user.id = UUID()
            user.email = email
            user.displayName = name
            user.passwordHash = hash
            user.locale = new.locale
            user.timeZone = new.timeZone
            user.isActive = true
            user.isAdmin = new.isAdmin
            user.companyID = new.companyID
            user.createdAt = at
            user.version = 1
            user.mustChangePassword = mustChange
            try await user.insert(on: db)
            if let invitation {
                let record = InvitationRecord()
                record.id = UUID()
                record.userID = try user.requireID()
                record.tokenHash = Secrets.hash(invitation)
                record.expiresAt = at.addingTimeInterval(Store.invitationLifetime)
                try await record.insert(on: db)
            }
            try await AuditLog.record(on: db, at: at, actor: caller?.userID, project: nil, entityType: "user",
                                      entityID: user.requireID(), action: "create", version: 1,
                                      changes: FieldChange.diff([:], user.auditSnapshot))
            return user
        }
        return CreatedUser(user: user, invitationToken: invitation, temporaryPassword: temporary)
    }

    /// Changes a user's name, locale, time zone, company, admin flag or active flag. Admins change anyone; a user
    /// changes only their own name, locale and time zone.
    public func updateUser(by caller: Caller, id: UUID, expectedVersion: Int?, displayName: String? = nil,
                           locale: String? = nil, timeZone: String? = nil, companyID: UUID? = nil,
                           isAdmin: Bool? = nil, isActive: Bool? = nil) async throws -> UserRecord {
        if !caller.isAdmin && (caller.userID != id || companyID != nil || isAdmin != nil || isActive != nil) {
            throw DomainError.forbidden("admin.required", "Only an administrator may change this.")
        }
        var e = FieldErrors()
        if let displayName, displayName.trimmingCharacters(in: .whitespaces).isEmpty || displayName.count > 200 {
            e.add("displayName", "invalid", "The name must have 1 to 200 characters.")
        }
        if let locale, !AccountRules.locales.contains(locale) { e.add("locale", "invalid_choice", "The locale must be ja or en.") }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            e.add("timeZone", "invalid_time_zone", "Give a time zone such as Asia/Tokyo.")
        }
        if isActive == false && id == caller.userID {
            e.add("isActive", "self", "You cannot deactivate your own account.")
        }
        try e.throwIfAny("user.invalid")
        let at = now()
        return try await write { db in
            try await lockRow(db, table: "users", id: id)
            guard let user = try await UserRecord.find(id, on: db) else {
                throw DomainError.notFound("user.not_found", "No such user.")
            }
            if let expectedVersion, expectedVersion != user.version { throw staleVersion(user.version) }
            if let companyID, try await CompanyRecord.find(companyID, on: db) == nil {
                throw DomainError.invalid("user.invalid", [FieldError(field: "companyId", code: "not_found", message: "No such company.")])
            }
            let before = user.auditSnapshot
            if let displayName { user.displayName = displayName.trimmingCharacters(in: .whitespaces) }
            if let locale { user.locale = locale }
            if let timeZone { user.timeZone = timeZone }
            if let companyID { user.companyID = companyID }
            if let isAdmin { user.isAdmin = isAdmin }
            if let isActive { user.isActive = isActive }
            let changes = FieldChange.diff(before, user.auditSnapshot)
            guard !changes.isEmpty else { return user }
            user.version += 1
            try await user.update(on: db)
            if isActive == false {
                try await SessionRecord.deleteAll(userID: id, on: db)
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "user",
                                      entityID: id, action: "update", version: user.version, changes: changes)
            return user
        }
    }

    /// Sets a new temporary password for a user (admin only), ends their sessions and revokes their API tokens; returns
    /// it once. The user must choose their own password at the next sign-in.
    public func resetPassword(by caller: Caller, userID: UUID, bcryptCost: Int = 12) async throws -> String {
        try requireAdmin(caller)
        let temporary = Secrets.temporaryPassword()
        let hash = try await Secrets.hashPassword(temporary, cost: bcryptCost, with: passwords)
        let at = now()
        try await write { db in
            guard let user = try await UserRecord.find(userID, on: db) else {
                throw DomainError.notFound("user.not_found", "No such user.")
            }
            user.passwordHash = hash
            user.mustChangePassword = true
            user.version += 1
            try await user.update(on: db)
            // A reset means the old password is lost or known to others: its sessions end and its tokens are revoked.
            try await SessionRecord.deleteAll(userID: userID, on: db)
            try await db.sql().raw("UPDATE api_tokens SET revoked_at = \(bind: at) WHERE user_id = \(bind: userID) AND revoked_at IS NULL").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "user",
                                      entityID: userID, action: "reset_password", version: user.version,
                                      changes: [FieldChange(field: "password", from: nil, to: "(reset)")])
        }
        return temporary
    }

    /// Sets a password from a one-time invitation; the invitation is used up.
    public func acceptInvitation(token: String, password: String, bcryptCost: Int = 12) async throws -> UserRecord {
        try FieldErrors.from(AccountRules.passwordProblems(password)).throwIfAny("user.invalid")
        let hash = try await Secrets.hashPassword(password, cost: bcryptCost, with: passwords)
        let at = now()
        return try await write { db in
            guard let invitation = try await InvitationRecord.find(tokenHash: Secrets.hash(token), on: db),
                  invitation.usedAt == nil, invitation.expiresAt > at,
                  let user = try await UserRecord.find(invitation.userID, on: db), user.isActive else {
                throw DomainError.notFound("invitation.invalid", "This invitation link is not valid: it was used already, has expired, or never existed. Ask an administrator for a new one.")
            }
            try await db.sql().raw("UPDATE invitations SET used_at = \(bind: at) WHERE token_hash = \(bind: invitation.tokenHash)").run()
            user.passwordHash = hash
            user.mustChangePassword = false
            user.version += 1
            try await user.update(on: db)
            try await AuditLog.record(on: db, at: at, actor: user.id, project: nil, entityType: "user", entityID: user.requireID(),
                                      action: "accept_invitation", version: user.version,
                                      changes: [FieldChange(field: "password", from: nil, to: "(set)")])
            return user
        }
    }

    public func invitationIsValid(token: String) async throws -> Bool {
        guard let invitation = try await InvitationRecord.find(tokenHash: Secrets.hash(token), on: db) else {
            return false
        }
        return invitation.usedAt == nil && invitation.expiresAt > now()
    }

    /// A new invitation for an existing user (admin only), replacing any earlier ones.
    public func reinvite(by caller: Caller, userID: UUID) async throws -> String {
        try requireAdmin(caller)
        let token = Secrets.newToken(prefix: "inv_")
        let at = now()
        try await write { db in
            guard try await UserRecord.find(userID, on: db) != nil else { throw DomainError.notFound("user.not_found", "No such user.") }
            try await db.sql().raw("DELETE FROM invitations WHERE user_id = \(bind: userID)").run()
            let record = InvitationRecord()
            record.id = UUID()
            record.userID = userID
            record.tokenHash = Secrets.hash(token)
            record.expiresAt = at.addingTimeInterval(Store.invitationLifetime)
            try await record.insert(on: db)
        }
        return token
    }

    // MARK: Authentication

    /// The active user with this e-mail and password, or nil. Always runs bcrypt so that timing does not tell
    /// whether the e-mail exists.
    public func authenticate(email: String, password: String) async throws -> UserRecord? {
        let user = try await self.user(email: email)
        let hash = user?.passwordHash ?? passwords.hashOfNothing
        let ok = try await Secrets.verifyPassword(password, hash: hash, with: passwords)
        guard ok, let user, user.isActive, user.passwordHash != nil else { return nil }
        return user
    }

    /// Starts a session; returns the cookie token (kept only by the browser) and its CSRF token.
    public func createSession(userID: UUID) async throws -> (token: String, csrf: String) {
        let token = Secrets.newToken(prefix: "s_")
        let csrf = Secrets.newToken(prefix: "c_")
        let at = now()
        let record = SessionRecord()
        record.id = Secrets.hash(token)
        record.userID = userID
        record.csrfToken = csrf
        record.createdAt = at
        record.expiresAt = at.addingTimeInterval(Store.sessionLifetime)
        try await record.insert(on: db)
        return (token, csrf)
    }

    /// The session and its active user for a cookie token, or nil when unknown, expired or the user is inactive.
    public func session(token: String) async throws -> (SessionRecord, UserRecord)? {
        // One query per request: the session and its active user together.
        let hash = Secrets.hash(token)
        let extra = ["s_csrf", "s_created", "s_expires"]
        guard let r = try await db.readRows("""
            SELECT \(unsafeRaw: RowReader.select(UserRecord.columns, alias: "u")), s.csrf_token AS s_csrf, s.created_at AS s_created,
                s.expires_at AS s_expires FROM sessions s
            JOIN users u ON u.id = s.user_id WHERE s.token_hash = \(bind: hash) AND u.is_active = \(bind: true)
            """, columns: UserRecord.columns + extra).first else { return nil }
        let session = SessionRecord()
        session.id = hash
        session.csrfToken = try r.string(UserRecord.columns.count)
        session.createdAt = try r.date(UserRecord.columns.count + 1)
        session.expiresAt = try r.date(UserRecord.columns.count + 2)
        let user = try UserRecord(r)
        session.userID = try user.requireID()
        guard session.expiresAt > now() else { return nil }
        return (session, user)
    }

    public func endSession(token: String) async throws {
        try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: Secrets.hash(token))").run()
    }

    // MARK: API tokens

    /// Creates a named API token for a user; the token is returned once and only its hash is kept.
    public func createAPIToken(userID: UUID, name: String) async throws -> (APITokenRecord, String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var e = FieldErrors()
        if name.isEmpty { e.add("name", "required", "Name the token so you can tell it apart later (e.g. 'weekly report script').") }
        if name.count > 100 { e.add("name", "too_long", "The name may have at most 100 characters.") }
        try e.throwIfAny("token.invalid")
        let token = Secrets.newToken()
        let record = APITokenRecord()
        record.id = UUID()
        record.userID = userID
        record.name = name
        record.tokenHash = Secrets.hash(token)
        record.createdAt = now()
        let at = record.createdAt
        try await write { db in
            try await record.insert(on: db)
            try await AuditLog.record(on: db, at: at, actor: userID, project: nil, entityType: "api_token",
                                      entityID: record.requireID(), action: "create", version: 1,
                                      changes: [FieldChange(field: "name", from: nil, to: name)])
        }
        return (record, token)
    }

    public func apiTokens(userID: UUID) async throws -> [APITokenRecord] {
        try await APITokenRecord.select("user_id = \(bind: userID) AND revoked_at IS NULL", on: db)
    }

    /// Revokes one of the caller's tokens (admins may revoke anyone's).
    public func revokeAPIToken(by caller: Caller, id: UUID) async throws {
        let at = now()
        try await write { db in
            guard let token = try await APITokenRecord.select("id = \(bind: id)", on: db).first, token.revokedAt == nil,
                  token.userID == caller.userID || caller.isAdmin else {
                throw DomainError.notFound("token.not_found", "No such token among yours.")
            }
            try await db.sql().raw("UPDATE api_tokens SET revoked_at = \(bind: at) WHERE id = \(bind: id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: nil, entityType: "api_token",
                                      entityID: id, action: "revoke", version: 2, changes: [])
        }
    }

    /// The active user owning a bearer token, or nil.
    public func user(forAPIToken token: String) async throws -> UserRecord? {
        // One indexed lookup per request: the token's hash joined to its active user (raw SQL: this runs on every
        // API request, and Fluent's query builder reflects over the models each time).
        try await db.readRows("""
            SELECT \(unsafeRaw: RowReader.select(UserRecord.columns, alias: "u")) FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: Secrets.hash(token)) AND t.revoked_at IS NULL AND u.is_active = \(bind: true)
            """, columns: UserRecord.columns).first.map(UserRecord.init)
    }
}

extension FieldErrors {
    static func from(_ errors: [FieldError]) -> FieldErrors {
        var e = FieldErrors()
        for f in errors { e.add(f.field, f.code, f.message) }
        return e
    }
}

extension UserRecord {
    var auditSnapshot: [String: String?] {
        ["email": email, "displayName": displayName, "locale": locale, "timeZone": timeZone,
         "isActive": String(isActive), "isAdmin": String(isAdmin), "companyId": companyID.uuidString.lowercased()]
    }
}

