import FluentKit
import Foundation
import PMOCore
import SQLKit

/// Signals (予兆), reached as `store.signals`: computed in the background (`recompute`, a job per project, queued by
/// `sweep` when a project's data changed and at least daily) from the plan, earned value and the registers by the pure
/// `SignalRules`, and kept one record per rule and subject (`SignalLedger`); read, acknowledged, snoozed and turned into
/// risks or issues by people. Signals carry earned value and every register's late items, so they are read as status
/// reports are (not by vendors' staff) and acted on by those who draft reports (admins, the PMO, PMs).
public struct SignalService: StoreFeature {
    public let store: Store
}

extension Store {
    /// Signals (`SignalService`).
    public var signals: SignalService { SignalService(store: self) }
}

/// A signal as the pages and the API show it.
public struct SignalView: Sendable {
    public enum State: String, Sendable, CaseIterable {
        /// Open and nobody acknowledged it since it was (last) raised.
        case new
        case acknowledged
        /// Acknowledged until a date, which has not come.
        case snoozed
        case cleared
    }

    public var id: UUID
    public var projectKey: String
    public var projectName: String
    public var code: SignalCode
    public var subject: String
    public var severity: RAG
    public var values: [String: String]
    public var links: [SignalLink]
    public var isOpen: Bool
    public var firstRaisedAt: Date
    /// When it was last raised (new, back after clearing, or worse than acknowledged).
    public var raisedAt: Date
    public var updatedAt: Date
    public var clearedAt: Date?
    public var raiseCount: Int
    public var acknowledgedBy: PersonName?
    public var acknowledgedAt: Date?
    public var note: String?
    public var snoozedUntil: CalendarDate?
    /// The risk or issue it was turned into (its reference), if any.
    public var item: String?
    public var version: Int

    public struct PersonName: Sendable, Equatable {
        public var id: UUID
        public var name: String
    }

    public func state(today: CalendarDate) -> State {
        if !isOpen { return .cleared }
        if let until = snoozedUntil, until > today { return .snoozed }
        return acknowledgedAt == nil ? .new : .acknowledged
    }
}

/// One event in a signal's history.
public struct SignalEventView: Sendable {
    /// raised, updated, worsened, cleared, acknowledged, snoozed, converted
    public var action: String
    public var at: Date
    public var actor: String?
    public var severity: RAG
    public var values: [String: String]
    public var note: String?
}

/// A project's signals with what the caller may do.
public struct SignalList: Sendable {
    public var projectKey: String
    public var projectName: String
    public var signals: [SignalView]
    public var canAct: Bool
    public var thresholds: SignalThresholds
    public var thresholdsVersion: Int
    /// When the signals were last computed (nil: not yet).
    public var computedAt: Date?
}

/// What one computation did.
public struct SignalComputation: Sendable, Equatable {
    public var raised = 0, updated = 0, worsened = 0, cleared = 0, open = 0
    public init() {}
}

/// What the API or a page turns a signal into.
public enum SignalConversion: String, Sendable, CaseIterable {
    case risk, issue
}

extension SignalService {
    static let columns = ["id", "project_id", "code", "subject", "severity", "magnitude", "signal_values", "links", "is_open",
                          "first_raised_at", "raised_at", "updated_at", "cleared_at", "raise_count", "ack_by_id", "ack_at", "ack_note",
                          "ack_severity", "ack_magnitude", "snoozed_until", "item_id", "version"]
    public static let noteMax = 2_000
    /// The longest snooze, in days: a sign put off longer is not being watched.
    public static let snoozeMaxDays = 90

    // MARK: Access

    func signalContext(_ caller: Caller, key: String, act: Bool, on db: any Database) async throws -> ProjectContext {
        let context = try await projectContext(caller, key: key, on: db)
        guard MeetingAccess.canReadReports(context.actor) else {
            throw DomainError.forbidden("signal.read_forbidden",
                                        "Signals of \(key) are computed from budgets, earned value and every register; vendors' staff do not read them.")
        }
        if act && !MeetingAccess.canEditReports(context.actor) {
            throw DomainError.forbidden("signal.act_forbidden",
                                        "Your role in \(key) may not acknowledge, snooze or convert signals or change their thresholds; ask the PMO or the PM.")
        }
        return context
    }

    /// The project as the background computation sees it: everything (the results are read through the access rules).
    func systemContext(projectID: UUID, on db: any Database) async throws -> ProjectContext? {
        guard let project = try await ProjectRecord.find(projectID, on: db) else { return nil }
        let actor = AccessPolicy.Actor(userID: UserID(UUID()), companyID: CompanyID(UUID()), isSystemAdmin: true, role: .pmo)
        return try ProjectContext(project: project, role: .pmo, actor: actor)
    }

    static func today(_ at: Date) -> CalendarDate { CalendarDate(at, in: TimeZone.japan) }

    // MARK: Thresholds

    func storedThresholds(projectID: UUID, on db: any Database) async throws -> (SignalThresholds, Int, Date?) {
        guard let row = try await db.readRows("""
            SELECT thresholds, version, computed_at FROM signal_settings WHERE project_id = \(bind: projectID)
            """, columns: ["thresholds", "version", "computed_at"]).first else { return (SignalThresholds(), 0, nil) }
        return (StoredValues.decode(SignalThresholds.self, try row.string(0)) ?? SignalThresholds(), try row.int(1), try row.dateOrNil(2))
    }

    /// Replaces the project's thresholds (refused naming each field out of range); the signals are computed again soon.
    public func updateThresholds(_ caller: Caller, key: String, _ thresholds: SignalThresholds, expectedVersion: Int?) async throws -> Int {
        let problems = thresholds.problems()
        if !problems.isEmpty { throw DomainError.invalid("signal.invalid_thresholds", problems) }
        let at = now()
        let (version, projectID): (Int, UUID) = try await write { db in
            let context = try await signalContext(caller, key: key, act: true, on: db)
            let (_, current, _) = try await storedThresholds(projectID: context.projectID, on: db)
            if let expectedVersion, expectedVersion != current { throw staleVersion(current) }
            try await db.sql().raw("""
                INSERT INTO signal_settings (project_id, thresholds, version, updated_at) VALUES
                  (\(bind: context.projectID), \(bind: StoredValues.json(thresholds)), \(bind: current + 1), \(bind: at))
                ON CONFLICT (project_id) DO UPDATE SET thresholds = excluded.thresholds, version = excluded.version, updated_at = excluded.updated_at
                """).run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "signal_settings",
                                      entityID: context.projectID, action: "update", version: current + 1,
                                      changes: [FieldChange(field: "thresholds", from: nil, to: StoredValues.json(thresholds))])
            return (current + 1, context.projectID)
        }
        try await store.jobs.enqueue(kind: Self.jobKind, key: projectID.uuidString.lowercased())
        return version
    }

    // MARK: Reading

    /// The project's signals: open ones worst first, then (when asked) cleared ones, latest first.
    public func list(_ caller: Caller, key: String, includeCleared: Bool = false) async throws -> SignalList {
        let context = try await signalContext(caller, key: key, act: false, on: db)
        let (thresholds, version, computedAt) = try await storedThresholds(projectID: context.projectID, on: db)
        let signals = try await read(includeCleared ? "s.project_id = \(bind: context.projectID)"
                                                    : "s.project_id = \(bind: context.projectID) AND s.is_open = \(bind: true)",
                                     projects: [context.projectID: (context.project.key, context.project.name)], on: db)
        return SignalList(projectKey: key, projectName: context.project.name, signals: Self.ordered(signals, today: Self.today(now())),
                          canAct: MeetingAccess.canEditReports(context.actor), thresholds: thresholds, thresholdsVersion: version,
                          computedAt: computedAt)
    }

    /// The open signals of every project the caller may read signals of, worst first.
    public func acrossProjects(_ caller: Caller) async throws -> [SignalView] {
        var projects: [UUID: (String, String)] = [:]
        for (project, role) in try await store.projects.list(for: caller) where MeetingAccess.canReadReports(caller.actor(role: role)) {
            projects[try project.requireID()] = (project.key, project.name)
        }
        guard !projects.isEmpty else { return [] }
        return Self.ordered(try await read("s.project_id IN (\(binds: Array(projects.keys))) AND s.is_open = \(bind: true)", projects: projects, on: db),
                            today: Self.today(now()))
    }

    /// One signal and its history, newest event first.
    public func signal(_ caller: Caller, key: String, id: UUID) async throws -> (SignalView, [SignalEventView], canAct: Bool) {
        let context = try await signalContext(caller, key: key, act: false, on: db)
        let view = try await one(context, id: id, on: db)
        let rows = try await db.readRows("""
            SELECT e.action, e.at, u.display_name, e.severity, e.signal_values, e.note FROM signal_events e
            LEFT JOIN users u ON u.id = e.actor_id WHERE e.signal_id = \(bind: id) ORDER BY e.at DESC, e.id
            """, columns: ["action", "at", "display_name", "severity", "signal_values", "note"])
        let events = try rows.map { r in
            SignalEventView(action: try r.string(0), at: try r.date(1), actor: try r.stringOrNil(2), severity: RAG(rawValue: try r.string(3)) ?? .amber,
                            values: StoredValues.decode([String: String].self, try r.string(4)) ?? [:], note: try r.stringOrNil(5))
        }
        return (view, events, MeetingAccess.canEditReports(context.actor))
    }

    func one(_ context: ProjectContext, id: UUID, on db: any Database) async throws -> SignalView {
        guard let view = try await read("s.project_id = \(bind: context.projectID) AND s.id = \(bind: id)",
                                        projects: [context.projectID: (context.project.key, context.project.name)], on: db).first else {
            throw DomainError.notFound("signal.not_found", "There is no such signal in \(context.project.key); it may have been removed with its project.")
        }
        return view
    }

    /// Open ones first: new before acknowledged before snoozed, then worst first; cleared ones latest first.
    /// The project's open signals as the agenda of a meeting on `date` lists them: not snoozed past that day, worst first.
    func agendaSignals(_ context: ProjectContext, meetingDate date: CalendarDate, on db: any Database) async throws -> [AgendaSignal] {
        let rows = try await db.readRows("""
            SELECT code, subject, severity, signal_values, links FROM signals
            WHERE project_id = \(bind: context.projectID) AND is_open = \(bind: true)
              AND (snoozed_until IS NULL OR snoozed_until <= \(bind: date.description))
            """, columns: ["code", "subject", "severity", "signal_values", "links"])
        let raised = try rows.compactMap { r -> RaisedSignal? in
            guard let code = SignalCode(rawValue: try r.string(0)) else { return nil }
            return RaisedSignal(code, subject: try r.string(1), severity: RAG(rawValue: try r.string(2)) ?? .amber,
                                values: StoredValues.decode([String: String].self, try r.string(3)) ?? [:],
                                links: StoredValues.decode([SignalLink].self, try r.string(4)) ?? [])
        }
        return raised.sorted { ($1.severity, $0.code.rawValue, $0.subject) < ($0.severity, $1.code.rawValue, $1.subject) }
            .map { AgendaSignal($0, projectKey: context.project.key) }
    }

    static func ordered(_ signals: [SignalView], today: CalendarDate) -> [SignalView] {
        func rank(_ s: SignalView) -> Int {
            switch s.state(today: today) {
            case .new: 0
            case .acknowledged: 1
            case .snoozed: 2
            case .cleared: 3
            }
        }
        return signals.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if !a.isOpen { return (a.clearedAt ?? a.updatedAt) > (b.clearedAt ?? b.updatedAt) }
            return (b.severity, a.projectKey, a.code.rawValue, a.subject) < (a.severity, b.projectKey, b.code.rawValue, b.subject)
        }
    }

    func read(_ condition: SQLQueryString, projects: [UUID: (String, String)], on db: any Database) async throws -> [SignalView] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: RowReader.select(Self.columns, alias: "s")), u.display_name, i.register, i.number FROM signals s "
        query += "LEFT JOIN users u ON u.id = s.ack_by_id LEFT JOIN register_items i ON i.id = s.item_id WHERE "
        query += condition
        let rows = try await db.readRows(query, columns: Self.columns + ["display_name", "register", "number"])
        return try rows.compactMap { r in
            guard let code = SignalCode(rawValue: try r.string(2)), let project = projects[try r.uuid(1)] else { return nil }
            let ackBy = try r.uuidOrNil(14)
            var item: String?
            if let letter = try r.stringOrNil(23), let type = ItemType(rawValue: letter), let number = try r.intOrNil(24) {
                item = type.reference(projectKey: project.0, number: number)
            }
            return SignalView(
                id: try r.uuid(0), projectKey: project.0, projectName: project.1, code: code, subject: try r.string(3),
                severity: RAG(rawValue: try r.string(4)) ?? .amber, values: StoredValues.decode([String: String].self, try r.string(6)) ?? [:],
                links: StoredValues.decode([SignalLink].self, try r.string(7)) ?? [], isOpen: try r.bool(8), firstRaisedAt: try r.date(9),
                raisedAt: try r.date(10), updatedAt: try r.date(11), clearedAt: try r.dateOrNil(12), raiseCount: try r.int(13),
                acknowledgedBy: try ackBy.map { SignalView.PersonName(id: $0, name: try r.stringOrNil(22) ?? "") },
                acknowledgedAt: try r.dateOrNil(15), note: try r.stringOrNil(16),
                snoozedUntil: try r.stringOrNil(19).flatMap(CalendarDate.init(iso:)), item: item, version: try r.int(21))
        }
    }
}
