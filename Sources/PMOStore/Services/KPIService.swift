import FluentKit
import Foundation
import PMOCore
import SQLKit

/// The PMO's own KPIs ("proof of value"), reached as `store.kpis`: counted on request by the pure `KPIRules` from live
/// data (decisions, issues and actions with their closing dates from the audit trail, the links from risks to the
/// issues they caused, signals and what people did with them, progress records, meetings and their minutes). They
/// show companies' punctuality and the registers' figures, so they are read as status reports are (not by vendors).
public struct KPIService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The PMO's KPIs (`KPIService`).
    public var kpis: KPIService { KPIService(store: self) }
}

/// One project's KPIs, or the pool of several.
public struct KPIProjectReport: Sendable {
    public var projectKey: String
    public var projectName: String
    public var report: KPIReport
}

/// The KPIs across the projects a caller reads reports of: each project's and all of them pooled.
public struct KPIPortfolioReport: Sendable {
    public var projects: [KPIProjectReport]
    public var pooled: KPIReport
}

extension KPIService {
    /// How many months a report may span.
    public static let monthRange = 1...36
    public static let defaultMonths = 12

    /// The project's KPIs over the `months` months up to today's (Japan time).
    public func project(_ caller: Caller, key: String, months: Int = defaultMonths) async throws -> KPIProjectReport {
        let context = try await kpiContext(caller, key: key)
        let today = CalendarDate(now(), in: TimeZone.japan)
        let facts = try await facts(context, today: today)
        return KPIProjectReport(projectKey: key, projectName: context.project.name,
                                report: KPIRules.report(facts, months: KPIMonth.months(endingAt: today, count: Self.clamped(months)), today: today))
    }

    /// The KPIs of every project the caller reads reports of, and all of them pooled (each event counted once).
    public func acrossProjects(_ caller: Caller, months: Int = defaultMonths) async throws -> KPIPortfolioReport {
        let today = CalendarDate(now(), in: TimeZone.japan)
        let span = KPIMonth.months(endingAt: today, count: Self.clamped(months))
        var projects: [KPIProjectReport] = []
        var pooled = KPIFacts()
        for (project, role) in try await store.projects.list(for: caller).sorted(by: { $0.0.key < $1.0.key }) {
            guard MeetingAccess.canReadReports(caller.actor(role: role)) else { continue }
            let context = try ProjectContext(project: project, role: role, actor: caller.actor(role: role))
            let facts = try await facts(context, today: today)
            pooled = pooled + facts
            projects.append(KPIProjectReport(projectKey: project.key, projectName: project.name,
                                             report: KPIRules.report(facts, months: span, today: today)))
        }
        return KPIPortfolioReport(projects: projects, pooled: KPIRules.report(pooled, months: span, today: today))
    }

    static func clamped(_ months: Int) -> Int { min(max(months, monthRange.lowerBound), monthRange.upperBound) }

    func kpiContext(_ caller: Caller, key: String) async throws -> ProjectContext {
        let context = try await projectContext(caller, key: key)
        guard MeetingAccess.canReadReports(context.actor) else {
            throw DomainError.forbidden("kpi.read_forbidden",
                                        "The KPIs of \(key) show each company's punctuality and every register's figures; vendors' staff do not read them.")
        }
        return context
    }

    // MARK: Facts

    /// What a project's KPI facts are read from, in one line: the signals' fingerprint (plan, items' versions, the
    /// day…) and the counts and latest changes of links, signal events, meetings and progress records. Facts read
    /// from the same fingerprint are the same, so they are kept (`KPICache`).
    func kpiFingerprint(_ projectID: UUID, today: CalendarDate) async throws -> String {
        let base = try await store.signals.fingerprint(projectID: projectID, today: today, on: db)
        let counts = try await db.readRows("""
            SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM item_links WHERE project_id = \(bind: projectID)) AS links,
                   (SELECT CAST(COUNT(*) AS BIGINT) FROM signal_events e JOIN signals s ON s.id = e.signal_id WHERE s.project_id = \(bind: projectID)) AS events,
                   (SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM meeting_occurrences WHERE project_id = \(bind: projectID)) AS meetings,
                   (SELECT CAST(COUNT(*) AS BIGINT) FROM plan_progress WHERE project_id = \(bind: projectID)) AS progress
            """, columns: ["links", "events", "meetings", "progress"]).first
        return base + "; links \(try counts?.int(0) ?? 0); signal events \(try counts?.int(1) ?? 0); meetings \(try counts?.int(2) ?? 0); progress \(try counts?.int(3) ?? 0)"
    }

    /// Reads a project's facts now and keeps them (the signals job calls this after each computation, so pages find
    /// them ready).
    public func warm(projectID: UUID) async throws {
        guard let context = try await store.signals.systemContext(projectID: projectID, on: db) else { return }
        _ = try await facts(context, today: CalendarDate(now(), in: TimeZone.japan))
    }

    /// The facts of one project (dates in Japan time): those kept for its current fingerprint, else read now. Every
    /// reader of KPIs sees every item (vendors' staff, who would not, are refused before), so one set serves all.
    func facts(_ context: ProjectContext, today: CalendarDate) async throws -> KPIFacts {
        let fingerprint = try await kpiFingerprint(context.projectID, today: today)
        if let kept = store.kpiCache.facts(context.projectID, fingerprint: fingerprint) { return kept }
        let facts = try await readFacts(context, today: today)
        store.kpiCache.keep(facts, for: context.projectID, fingerprint: fingerprint)
        return facts
    }

    func readFacts(_ context: ProjectContext, today: CalendarDate) async throws -> KPIFacts {
        let pid = context.projectID
        let zone = TimeZone.japan
        var f = KPIFacts()
        let rows = try await store.items.allRows(context, ItemRowFilter(types: [.issue, .action, .decision]), on: db)

        // When each closed issue and action last moved into a finished status (an item created finished: when it was
        // created). Only the closed items' events are read, a few hundred ids at a time; their changes are decoded on
        // the background thread, not on the threads that serve requests.
        let closedIDs = rows.filter { !$0.isOpen && ($0.type == .issue || $0.type == .action) }.map(\.id)
        var events: [(id: UUID, type: String, at: Date, changes: String)] = []
        for chunk in stride(from: 0, to: closedIDs.count, by: 500).map({ Array(closedIDs[$0..<min($0 + 500, closedIDs.count)]) }) {
            for r in try await db.readRows("""
                SELECT entity_id, entity_type, at, changes FROM audit_events WHERE project_id = \(bind: pid)
                  AND entity_id IN (\(binds: chunk)) AND changes LIKE '%"status"%'
                """, columns: ["entity_id", "entity_type", "at", "changes"]) {
                events.append((try r.uuid(0), try r.string(1), try r.date(2), try r.string(3)))
            }
        }
        let finishedEvents = events
        let closedAt: [UUID: Date] = await BackgroundWork.shared.run {
            let finished: [String: Set<String>] = ["issue": ["resolved", "closed"], "action": RegisterKind.action.finishedStatuses]
            var out: [UUID: Date] = [:]
            for e in finishedEvents.sorted(by: { $0.at < $1.at }) {
                let changes = StoredValues.decode([FieldChange].self, e.changes) ?? []
                guard let status = changes.first(where: { $0.field == "status" }), let done = finished[e.type] else { continue }
                if let to = status.to, done.contains(to), !(status.from.map(done.contains) ?? false) { out[e.id] = e.at }
            }
            return out
        }
        // Issues caused by a risk recorded before them.
        var foreseen = Set<UUID>()
        for r in try await db.readRows("""
            SELECT l.to_id AS issue_id FROM item_links l
              JOIN register_items risk ON risk.id = l.from_id JOIN register_items issue ON issue.id = l.to_id
            WHERE l.project_id = \(bind: pid) AND l.kind = 'causes' AND l.from_type = 'R' AND l.to_type = 'I'
              AND risk.created_at < issue.created_at
            """, columns: ["issue_id"]) { foreseen.insert(try r.uuid(0)) }

        let foreseenIssues = foreseen
        f = await BackgroundWork.shared.run { Self.itemFacts(rows, closedAt: closedAt, foreseen: foreseenIssues, zone: zone) }

        // Signals: when first raised, and when someone first acknowledged, snoozed or converted them.
        for r in try await db.readRows("""
            SELECT s.first_raised_at AS raised, MIN(e.at) AS acted FROM signals s
              LEFT JOIN signal_events e ON e.signal_id = s.id AND e.action IN ('acknowledged', 'snoozed', 'converted')
            WHERE s.project_id = \(bind: pid) GROUP BY s.id, s.first_raised_at
            """, columns: ["raised", "acted"]) {
            f.signals.append(.init(raisedOn: CalendarDate(try r.date(0), in: zone), actedOn: try r.dateOrNil(1).map { CalendarDate($0, in: zone) }))
        }

        // Meetings held, and when their minutes were approved.
        for r in try await db.readRows("""
            SELECT date, approved_at FROM meeting_occurrences WHERE project_id = \(bind: pid) AND status IN ('held', 'approved')
            """, columns: ["date", "approved_at"]) {
            guard let held = CalendarDate(iso: try r.string(0)) else { continue }
            f.meetings.append(.init(heldOn: held, approvedOn: try r.dateOrNil(1).map { CalendarDate($0, in: zone) }))
        }

        // Progress reports due from each company at each status date.
        let view = try await plans.cachedView(context)
        if !view.rows.isEmpty {
            var companyOf: [Int: String] = [:], names: [String: String] = [:]
            for a in view.snapshot.activities {
                guard let c = a.companyID else { continue }
                companyOf[a.uid] = c.description
                names[c.description] = view.companyNames[c.rawValue] ?? ""
            }
            let records = try await db.readRows("""
                SELECT activity_uid, status_date, percent_complete, recorded_at FROM plan_progress WHERE project_id = \(bind: pid)
                """, columns: ["activity_uid", "status_date", "percent_complete", "recorded_at"]).compactMap { r -> KPIProgressRecord? in
                guard let d = CalendarDate(iso: try r.string(1)) else { return nil }
                return KPIProgressRecord(uid: try r.int(0), statusDate: d, percent: try r.double(2), recordedOn: CalendarDate(try r.date(3), in: zone))
            }
            let dates = try await plans.statusDates(projectID: pid, on: db)
            let (owners, companyNames) = (companyOf, names)
            f.reports = await BackgroundWork.shared.run {
                KPIFacts.progressReports(records: records, statusDates: dates + records.map(\.statusDate), companyOf: owners, companyNames: companyNames)
            }
        }
        return f
    }
}

extension KPIService {
    /// The items' part of the facts (pure; run on the background thread): decisions decided with their lead time,
    /// issues raised and closed, and the issues and actions with a due date.
    static func itemFacts(_ rows: [ItemRow], closedAt: [UUID: Date], foreseen: Set<UUID>, zone: TimeZone) -> KPIFacts {
        var f = KPIFacts()
        for r in rows {
            let closedOn: CalendarDate? = r.isOpen ? nil : CalendarDate(closedAt[r.id] ?? r.createdAt, in: zone)
            switch r.type {
            case .decision:
                let d = r.details
                if let on = d["decidedOn"]?.date, let lead = d["leadTimeDays"]?.number, r.status == "decided" {
                    f.decisions.append(.init(decidedOn: on, leadDays: lead))
                }
            case .issue:
                f.issues.append(.init(raisedOn: CalendarDate(r.createdAt, in: zone), closedOn: closedOn, foreseen: foreseen.contains(r.id)))
                if let due = r.dueDate { f.dueItems.append(.init(dueDate: due, closedOn: closedOn)) }
            case .action:
                // A cancelled action was neither done on time nor late.
                if let due = r.dueDate, r.status != "cancelled" { f.dueItems.append(.init(dueDate: due, closedOn: closedOn)) }
            default:
                break
            }
        }
        return f
    }
}

/// Each project's KPI facts, kept by the fingerprint they were read from (a changed item, link, signal event, meeting
/// or progress record, or a new day, makes a new fingerprint, and the facts are read again). Bounded: the least
/// recently used projects go first.
public final class KPICache: @unchecked Sendable {
    private struct Entry {
        var fingerprint: String
        var facts: KPIFacts
        var lastUse: UInt64
    }

    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]
    private var clock: UInt64 = 0
    private let capacity: Int

    public init(capacity: Int = 500) { self.capacity = capacity }

    func facts(_ project: UUID, fingerprint: String) -> KPIFacts? {
        lock.lock()
        defer { lock.unlock() }
        guard var entry = entries[project], entry.fingerprint == fingerprint else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[project] = entry
        return entry.facts
    }

    func keep(_ facts: KPIFacts, for project: UUID, fingerprint: String) {
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        entries[project] = Entry(fingerprint: fingerprint, facts: facts, lastUse: clock)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
        }
    }
}
