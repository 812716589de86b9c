import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The plan's own settings.
public struct PlanSettingsInput: Sendable {
    public var name: String?
    public var startDate: CivilDate?
    public var minutesPerDay: Int?
    public var progressWeighting: ProgressWeighting?
    public init(name: String? = nil, startDate: CivilDate? = nil, minutesPerDay: Int? = nil, progressWeighting: ProgressWeighting? = nil) {
        self.name = name
        self.startDate = startDate
        self.minutesPerDay = minutesPerDay
        self.progressWeighting = progressWeighting
    }
}

extension PlanService {
    /// Changes the plan's name, start date, minutes per day (how durations are shown in days) or how summaries weigh
    /// their rows' % complete.
    public func updateSettings(_ caller: Caller, key: String, expectedVersion: Int?, _ input: PlanSettingsInput) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let sql = try db.sql()
            let row = try await sql.raw("SELECT version FROM plans WHERE project_id = \(bind: context.projectID)").first()
            let version = try row?.decode(column: "version", as: Int.self) ?? 0
            if let expectedVersion, expectedVersion != version { throw staleVersion(version) }
            var errors = FieldErrors()
            if let name = input.name {
                let t = name.trimmingCharacters(in: .whitespacesAndNewlines)
                if t.isEmpty || t.count > PlanRules.nameMax { errors.add("name", "invalid", "Give the plan a name of 1 to \(PlanRules.nameMax) characters.") }
            }
            if let m = input.minutesPerDay, !(60...1440).contains(m) {
                errors.add("minutesPerDay", "out_of_range", "Minutes per day must be from 60 to 1440 (480 is an eight-hour day).")
            }
            try errors.throwIfAny("plan.invalid")
            if let name = input.name {
                try await sql.raw("UPDATE plans SET name = \(bind: name.trimmingCharacters(in: .whitespacesAndNewlines)) WHERE project_id = \(bind: context.projectID)").run()
            }
            if let d = input.startDate {
                try await sql.raw("UPDATE plans SET start_date = \(bind: d.description) WHERE project_id = \(bind: context.projectID)").run()
            }
            if let m = input.minutesPerDay {
                try await sql.raw("UPDATE plans SET minutes_per_day = \(bind: m) WHERE project_id = \(bind: context.projectID)").run()
            }
            if let weighting = input.progressWeighting {
                try await sql.raw("UPDATE plans SET progress_weighting = \(bind: weighting.rawValue) WHERE project_id = \(bind: context.projectID)").run()
            }
            try await touchPlan(context, at: at, on: db)
        }
    }

    /// Replaces the rules of calendar `uid` (week, holidays, exceptions). For a company's calendar the exceptions are
    /// its own closures on top of the project calendar.
    public func updateCalendar(_ caller: Caller, key: String, uid: Int, _ calendar: WorkCalendar) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            try PlanService.checkCalendar(calendar)
            let sql = try db.sql()
            guard try await sql.raw("SELECT id FROM plan_calendars WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)").first() != nil else {
                throw DomainError.notFound("plan.calendar_not_found", "There is no calendar \(uid) in the plan of \(key).", subjects: ["\(uid)"])
            }
            try await sql.raw("UPDATE plan_calendars SET definition = \(bind: CalendarCodec.encode(calendar)) WHERE project_id = \(bind: context.projectID) AND uid = \(bind: uid)").run()
            try await touchPlan(context, at: at, on: db)
        }
    }

    static func checkCalendar(_ c: WorkCalendar) throws {
        var errors = FieldErrors()
        if c.name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("name", "required", "Name the calendar.") }
        if c.week.allSatisfy(\.isEmpty) { errors.add("week", "no_working_time", "A calendar needs at least one working day in its week.") }
        if TimeZone(identifier: c.timeZoneIdentifier) == nil {
            errors.add("timeZone", "unknown", "\(c.timeZoneIdentifier) is not a time zone; use an IANA name such as Asia/Tokyo.")
        }
        if c.exceptions.count > 2000 { errors.add("exceptions", "too_many", "A calendar may have at most 2,000 exceptions.") }
        try errors.throwIfAny("plan.invalid")
    }

    /// Sets a company's hourly rate and, when `closures` is given, its own calendar derived from the project's.
    public func setCompanyTerms(_ caller: Caller, key: String, companyID: UUID, hourlyRate: Money?,
                                closures: [CalendarException]?) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            guard let company = try await CompanyRecord.find(companyID, on: db) else {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "companyId", code: "not_found", message: "There is no such company.")])
            }
            if let r = hourlyRate, !(0...PlanRules.moneyMax).contains(r.amount) {
                throw DomainError.invalid("plan.invalid", [FieldError(field: "hourlyRate", code: "out_of_range", message: "The hourly rate must be 0 or more yen.")])
            }
            let sql = try db.sql()
            let pid = context.projectID
            let existing = try await sql.raw("SELECT calendar_uid FROM plan_companies WHERE project_id = \(bind: pid) AND company_id = \(bind: companyID)").first()
            var calendarUID = try existing?.decode(column: "calendar_uid", as: Int?.self)
            if let closures {
                let header = try await sql.raw("SELECT default_calendar_uid FROM plans WHERE project_id = \(bind: pid)").first()
                let base = try header?.decode(column: "default_calendar_uid", as: Int.self) ?? 1
                let own = WorkCalendar(name: company.name, week: Array(repeating: [], count: 7), exceptions: closures)
                if let uid = calendarUID {
                    try await sql.raw("UPDATE plan_calendars SET definition = \(bind: CalendarCodec.encode(own)) WHERE project_id = \(bind: pid) AND uid = \(bind: uid)").run()
                } else {
                    let maxRow = try await sql.raw("SELECT MAX(uid) AS m FROM plan_calendars WHERE project_id = \(bind: pid)").first()
                    let uid = (try maxRow?.decode(column: "m", as: Int?.self) ?? 0) + 1
                    try await sql.raw("""
                        INSERT INTO plan_calendars (id, project_id, uid, definition, base_uid, company_id)
                        VALUES (\(bind: UUID()), \(bind: pid), \(bind: uid), \(bind: CalendarCodec.encode(own)), \(bind: base), \(bind: companyID))
                        """).run()
                    calendarUID = uid
                }
            }
            if existing == nil {
                try await sql.raw("""
                    INSERT INTO plan_companies (id, project_id, company_id, hourly_rate, calendar_uid)
                    VALUES (\(bind: UUID()), \(bind: pid), \(bind: companyID), \(bind: hourlyRate?.approximate), \(bind: calendarUID))
                    """).run()
            } else {
                try await sql.raw("UPDATE plan_companies SET hourly_rate = \(bind: hourlyRate?.approximate), calendar_uid = \(bind: calendarUID) WHERE project_id = \(bind: pid) AND company_id = \(bind: companyID)").run()
            }
            try await touchPlan(context, at: at, on: db)
        }
    }

    /// Replaces the master schedule's phases (their order, names, definitions and exit criteria). Activities that
    /// pointed at a removed phase lose the reference.
    public func setPhases(_ caller: Caller, key: String, _ phases: [PlanPhase]) async throws {
        let at = now()
        try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            var errors = FieldErrors()
            for (i, p) in phases.enumerated() {
                let n = p.name.trimmingCharacters(in: .whitespaces)
                if n.isEmpty || n.count > PlanRules.nameMax { errors.add("phases[\(i)].name", "invalid", "Each phase needs a name of 1 to \(PlanRules.nameMax) characters.") }
                if p.definition.count > 4000 || p.exitCriteria.count > 4000 { errors.add("phases[\(i)]", "too_long", "A definition may have at most 4,000 characters.") }
            }
            if Set(phases.map { $0.name.trimmingCharacters(in: .whitespaces) }).count != phases.count {
                errors.add("phases", "duplicate", "Two phases have the same name; each term is defined once.")
            }
            try errors.throwIfAny("plan.invalid")
            let sql = try db.sql()
            let pid = context.projectID
            try await sql.raw("DELETE FROM plan_phases WHERE project_id = \(bind: pid)").run()
            for (i, p) in phases.enumerated() {
                try await sql.raw("""
                    INSERT INTO plan_phases (id, project_id, position, name, definition, exit_criteria)
                    VALUES (\(bind: p.id), \(bind: pid), \(bind: i), \(bind: p.name.trimmingCharacters(in: .whitespaces)), \(bind: p.definition), \(bind: p.exitCriteria))
                    """).run()
            }
            let kept = phases.map(\.id)
            if kept.isEmpty {
                try await sql.raw("UPDATE plan_activities SET phase_id = NULL WHERE project_id = \(bind: pid)").run()
            } else {
                try await sql.raw("UPDATE plan_activities SET phase_id = NULL WHERE project_id = \(bind: pid) AND phase_id NOT IN (\(binds: kept))").run()
            }
            try await touchPlan(context, at: at, on: db)
        }
    }

    /// Creates (or replaces) the plan's iCalendar feed token and returns it; only its hash is kept.
    public func rotateFeedToken(_ caller: Caller, key: String) async throws -> String {
        let at = now()
        return try await write { db in
            let context = try await beginPlanWrite(caller, key: key, on: db)
            let token = Secrets.newToken(prefix: "pmofeed_")
            try await db.sql().raw("UPDATE plans SET feed_token_hash = \(bind: Secrets.hash(token)) WHERE project_id = \(bind: context.projectID)").run()
            try await touchPlan(context, at: at, on: db)
            return token
        }
    }

    /// The plan whose feed token is `token`, read as the system (the token is the credential), or nil.
    public func forFeed(token: String) async throws -> PlanView? {
        guard !token.isEmpty, token.count < 200 else { return nil }
        guard let row = try await db.readRows("""
            SELECT \(unsafeRaw: RowReader.select(ProjectRecord.columns, alias: "p")) FROM projects p JOIN plans pl ON pl.project_id = p.id
            WHERE pl.feed_token_hash = \(bind: Secrets.hash(token))
            """, columns: ProjectRecord.columns).first else {
            return nil
        }
        let project = try ProjectRecord(row)
        // The feed shows milestones and deadlines only: dates every member may see, no costs.
        // A vendor of no company: PlanAccess then shows no costs at all.
        let actor = AccessPolicy.Actor(userID: UserID(UUID()), companyID: CompanyID(UUID()), isSystemAdmin: false, role: .vendor)
        return try await planView(ProjectContext(project: project, role: .vendor, actor: actor), on: db)
    }
}
