import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// Computing signals: the facts the rules read, the kept records they update, and the sweep that queues a computation
/// for each project whose data changed (or whose last computation was not today). Runs in the background only.
extension SignalService {
    /// The job that computes one project's signals (its key is the project's id).
    public static let jobKind = "signals"
    /// The recurring job that queues `jobKind` for the projects that need it.
    public static let sweepKind = "signals_sweep"

    /// Queues a computation for each project whose plan, items or thresholds changed since its last one, or which was
    /// last computed before today (dates move signals: an action becomes overdue overnight). Answers how many it queued.
    @discardableResult
    public func sweep() async throws -> Int {
        let today = Self.today(now())
        var queued = 0
        for row in try await db.readRows("SELECT id FROM projects ORDER BY key", columns: ["id"]) {
            let projectID = try row.uuid(0)
            let seen = try await db.readRows("SELECT computed_from FROM signal_settings WHERE project_id = \(bind: projectID)",
                                             columns: ["computed_from"]).first.flatMap { try $0.stringOrNil(0) }
            if try await fingerprint(projectID: projectID, today: today, on: db) != seen,
               try await store.jobs.enqueue(kind: Self.jobKind, key: projectID.uuidString.lowercased()) {
                queued += 1
            }
        }
        return queued
    }

    /// What a computation depends on, in one line: the plan's version, the items' count and versions, the thresholds'
    /// version, the latest issued report and the day.
    func fingerprint(projectID: UUID, today: CalendarDate, on db: any Database) async throws -> String {
        let plan = try await plans.planVersion(projectID, on: db).map(String.init) ?? "none"
        let items = try await db.readRows("""
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS versions FROM register_items WHERE project_id = \(bind: projectID)
            """, columns: ["n", "versions"]).first
        let settings = try await db.readRows("SELECT version FROM signal_settings WHERE project_id = \(bind: projectID)",
                                             columns: ["version"]).first
        let reports = try await db.readRows("""
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM status_reports WHERE project_id = \(bind: projectID) AND state = 'issued'
            """, columns: ["n"]).first
        return "plan \(plan); items \(try items?.int(0) ?? 0)/\(try items?.int(1) ?? 0); thresholds \(try settings?.int(0) ?? 0); "
            + "reports \(try reports?.int(0) ?? 0); day \(today)"
    }

    /// Computes the project's signals now and brings its kept records up to date; nothing for a project that is gone.
    @discardableResult
    public func recompute(projectID: UUID) async throws -> SignalComputation {
        let at = now()
        let today = Self.today(at)
        guard let context = try await systemContext(projectID: projectID, on: db) else { return SignalComputation() }
        // Seen before the facts are read: a change landing meanwhile makes the next sweep compute again.
        let fingerprint = try await fingerprint(projectID: projectID, today: today, on: db)
        let (thresholds, _, _) = try await storedThresholds(projectID: projectID, on: db)
        let facts = try await facts(context, today: today)
        let raised = await BackgroundWork.shared.run { SignalRules.evaluate(facts, thresholds) }
        // The kept records are read before the write, in pages: the one job per project is the only writer of what the
        // ledger compares (people only acknowledge, which a computation never undoes), and the write stays short.
        let kept = try await keptSignals(projectID: projectID)
        return try await write { db in try await apply(raised, kept: kept, projectID: projectID, fingerprint: fingerprint, at: at, on: db) }
    }

    struct Kept: Sendable { var id: UUID; var state: SignalRecordState }

    /// The project's kept signals by "code subject", read a page (a thousand) at a time.
    func keptSignals(projectID: UUID, pageSize: Int = 1_000) async throws -> [String: Kept] {
        var kept: [String: Kept] = [:]
        var after: UUID?
        let columns = ["id", "code", "subject", "is_open", "severity", "magnitude", "signal_values", "links", "ack_severity", "ack_magnitude"]
        while true {
            var query: SQLQueryString = "SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM signals WHERE project_id = \(bind: projectID)"
            if let after { query += " AND id > \(bind: after)" }
            query += " ORDER BY id LIMIT \(literal: pageSize)"
            let page = try await db.readRows(query, columns: columns)
            for r in page {
                let state = SignalRecordState(isOpen: try r.bool(3), severity: RAG(rawValue: try r.string(4)) ?? .amber, magnitude: try r.double(5),
                                              values: StoredValues.decode([String: String].self, try r.string(6)) ?? [:],
                                              links: StoredValues.decode([SignalLink].self, try r.string(7)) ?? [],
                                              acknowledgedSeverity: try r.stringOrNil(8).flatMap(RAG.init(rawValue:)),
                                              acknowledgedMagnitude: try r.doubleOrNil(9))
                kept["\(try r.string(1)) \(try r.string(2))"] = Kept(id: try r.uuid(0), state: state)
            }
            guard page.count == pageSize, let last = page.last else { return kept }
            after = try last.uuid(0)
        }
    }

    /// Brings the kept records in line with `raised` (one transaction).
    func apply(_ raised: [RaisedSignal], kept: [String: Kept], projectID: UUID, fingerprint: String, at: Date,
               on db: any Database) async throws -> SignalComputation {
        let sql = try db.sql()
        var result = SignalComputation()
        var seen = Set<String>()
        func event(_ id: UUID, _ action: SignalChange, _ s: RaisedSignal) async throws {
            try await sql.raw("""
                INSERT INTO signal_events (id, signal_id, at, action, severity, signal_values)
                VALUES (\(bind: UUID()), \(bind: id), \(bind: at), \(bind: action.rawValue), \(bind: s.severity.rawValue), \(bind: StoredValues.json(s.values)))
                """).run()
        }
        for s in raised {
            let key = "\(s.code.rawValue) \(s.subject)"
            guard seen.insert(key).inserted else { continue }   // one signal per rule and subject: the worst (first) counts
            result.open += 1
            let values = StoredValues.json(s.values), links = StoredValues.json(s.links)
            let change = SignalLedger.change(kept: kept[key]?.state, now: s)
            guard let k = kept[key] else {
                let id = UUID()
                try await sql.raw("""
                    INSERT INTO signals (id, project_id, code, subject, severity, magnitude, signal_values, links, is_open, first_raised_at,
                      raised_at, updated_at, raise_count, version)
                    VALUES (\(bind: id), \(bind: projectID), \(bind: s.code.rawValue), \(bind: s.subject), \(bind: s.severity.rawValue),
                      \(bind: s.magnitude), \(bind: values), \(bind: links), \(bind: true), \(bind: at), \(bind: at), \(bind: at), 1, 1)
                    """).run()
                try await event(id, .raised, s)
                result.raised += 1
                continue
            }
            switch change {
            case .raised, .worsened:
                // Back, or worse than acknowledged: it asks for attention again (its acknowledgement and snooze end).
                try await sql.raw("""
                    UPDATE signals SET severity = \(bind: s.severity.rawValue), magnitude = \(bind: s.magnitude), signal_values = \(bind: values),
                      links = \(bind: links), is_open = \(bind: true), raised_at = \(bind: at), updated_at = \(bind: at), cleared_at = NULL,
                      raise_count = raise_count + 1, ack_by_id = NULL, ack_at = NULL, ack_note = NULL, ack_severity = NULL,
                      ack_magnitude = NULL, snoozed_until = NULL, version = version + 1
                    WHERE id = \(bind: k.id)
                    """).run()
                try await event(k.id, change, s)
                if change == .raised { result.raised += 1 } else { result.worsened += 1 }
            case .updated:
                try await sql.raw("""
                    UPDATE signals SET severity = \(bind: s.severity.rawValue), magnitude = \(bind: s.magnitude), signal_values = \(bind: values),
                      links = \(bind: links), updated_at = \(bind: at), version = version + \(bind: s.severity != k.state.severity ? 1 : 0)
                    WHERE id = \(bind: k.id)
                    """).run()
                // Newer figures keep its version (they do not make a person's acknowledgement of the same sign stale); a
                // change of severity bumps it. The history keeps changes of severity; a count from 3 to 4 is only new values.
                if s.severity != k.state.severity { try await event(k.id, .updated, s) }
                result.updated += 1
            case .cleared, .unchanged:
                break
            }
        }
        for (key, k) in kept where k.state.isOpen && !seen.contains(key) {
            try await sql.raw("""
                UPDATE signals SET is_open = \(bind: false), cleared_at = \(bind: at), updated_at = \(bind: at), snoozed_until = NULL,
                  version = version + 1
                WHERE id = \(bind: k.id)
                """).run()
            try await sql.raw("""
                INSERT INTO signal_events (id, signal_id, at, action, severity, signal_values)
                VALUES (\(bind: UUID()), \(bind: k.id), \(bind: at), 'cleared', \(bind: k.state.severity.rawValue), \(bind: StoredValues.json(k.state.values)))
                """).run()
            result.cleared += 1
        }
        try await sql.raw("""
            INSERT INTO signal_settings (project_id, thresholds, version, updated_at, computed_at, computed_from)
            VALUES (\(bind: projectID), '{}', 0, \(bind: at), \(bind: at), \(bind: fingerprint))
            ON CONFLICT (project_id) DO UPDATE SET computed_at = excluded.computed_at, computed_from = excluded.computed_from
            """).run()
        return result
    }

    // MARK: Facts

    /// What the rules read, from live data: the plan (through the cache) with earned value at each status date, the
    /// progress records, the last issued report a week or more old (for slips that grew), and every register's items.
    /// The rows are read here; the facts are built from them on the background thread (`BackgroundWork`).
    func facts(_ context: ProjectContext, today: CalendarDate) async throws -> SignalFacts {
        let pid = context.projectID
        let view = try await plans.cachedView(context)
        var history: [PlanService.ProgressRow] = [], dates: [CalendarDate] = []
        var lastWeek: StatusReportContent?
        if !view.rows.isEmpty {
            history = try await plans.progressHistory(projectID: pid, on: db)
            dates = try await plans.statusDates(projectID: pid, on: db)
            if let current = view.snapshot.statusDate ?? dates.last,
               let row = try await db.readRows("""
                   SELECT content FROM status_reports WHERE project_id = \(bind: pid) AND state = 'issued'
                     AND status_date <= \(bind: current.adding(days: -7).description) ORDER BY status_date DESC LIMIT 1
                   """, columns: ["content"]).first {
                lastWeek = try row.stringOrNil(0).flatMap { StoredValues.decode(StatusReportContent.self, $0) }
            }
        }
        let rows = try await store.items.allRows(context, ItemRowFilter(), on: db)
        let names = try await names(table: "users", column: "display_name", ids: Set(rows.compactMap(\.ownerID)), on: db)
        let key = context.project.key
        let outages = try await store.systems.environmentOutages(rows.filter { $0.type == .system }, on: db)
        return await BackgroundWork.shared.run { [history, dates, lastWeek] in
            Self.facts(view: view, history: history, statusDates: dates, lastWeek: lastWeek, items: rows, ownerNames: names,
                       projectKey: key, today: today, outages: outages)
        }
    }

    /// The facts from the rows read (pure): earned value at each status date up to the plan's (progress replayed to
    /// each), milestones and leaf activities with their progress records, companies' SPI, last week's slips, open items.
    static func facts(view: PlanView, history: [PlanService.ProgressRow], statusDates allDates: [CalendarDate], lastWeek: StatusReportContent?,
                      items rows: [ItemRow], ownerNames: [UUID: String], projectKey: String, today: CalendarDate,
                      outages: [Int: [InterfaceFlags.Outage]] = [:]) -> SignalFacts {
        var f = SignalFacts(today: today)
        if !view.rows.isEmpty {
            let agenda = MeetingService.agendaActivities(view)
            f.milestones = agenda.filter(\.isMilestone).map { a in
                MilestoneStatus(uid: a.uid, name: a.name, baselineFinish: a.baselineFinish, forecastFinish: a.finish,
                                slipDays: a.finishSlipDays, done: a.isDone)
            }
            var records: [Int: [(date: CalendarDate, percent: Double)]] = [:]
            for r in history {
                // A status date recorded twice counts once, as last recorded.
                if records[r.uid]?.last?.date == r.statusDate { records[r.uid]!.removeLast() }
                records[r.uid, default: []].append((r.statusDate, r.percent))
            }
            let byUID = Dictionary(view.rows.map { ($0.activity.uid, $0.activity) }, uniquingKeysWith: { a, _ in a })
            f.activities = agenda.compactMap { a in
                guard let activity = byUID[a.uid] else { return nil }
                let started = activity.progress.actualStart != nil || activity.progress.percentComplete > 0
                return SignalFacts.Activity(uid: a.uid, name: a.name, companyKey: activity.companyID?.description,
                                            ownerKey: activity.ownerID?.description, ownerName: activity.ownerID.flatMap { view.userNames[$0.rawValue] },
                                            isMilestone: a.isMilestone, started: started, done: a.isDone,
                                            plannedFinish: a.baselineFinish ?? a.finish, records: records[a.uid] ?? [])
            }
            if let current = view.snapshot.statusDate ?? allDates.last {
                // Earned value at each status date up to the current one, as the plan's own trend counts it (no PV curve).
                let baseline = view.snapshot.baselines.last?.number
                let dates = allDates.filter { $0 < current } + [current]
                let points = dates.map { d in
                    PlanEarnedValue.breakdown(snapshot: view.snapshot, plan: view.schedulePlan, result: view.result, statusDate: d,
                                              baseline: baseline, progress: PlanService.progress(history, of: view.snapshot, asOf: d))
                }
                f.statusDates = dates
                f.indexTrend = points.map { b in
                    SignalFacts.IndexPoint(date: b.statusDate, spi: b.project.pv > 0 ? b.project.spi : nil, cpi: b.project.ac > 0 ? b.project.cpi : nil)
                }
                let companies = Set(view.snapshot.activities.compactMap(\.companyID))
                f.companies = companies.map { c in
                    SignalFacts.Company(key: c.description, name: view.companyNames[c.rawValue] ?? "",
                                        spi: points.map { b in b.companies[c].flatMap { $0.pv > 0 ? $0.spi : nil } })
                }.sorted { ($0.name, $0.key) < ($1.name, $1.key) }
                for m in lastWeek?.metrics.milestones ?? [] { if let slip = m.slipDays { f.lastWeekSlips[m.uid] = slip } }
            }
        }
        let activityDates = view.scheduledByUID.mapValues { $0.finish.finishDay }
        let activityNames = Dictionary(view.rows.map { ($0.activity.uid, $0.activity.name) }, uniquingKeysWith: { a, _ in a })
        for r in rows {
            let details = r.details
            if r.type == .decision && !r.isOpen, let lead = details["leadTimeDays"]?.number { f.decisionLeadTimes.append(lead) }
            guard r.isOpen else { continue }
            f.items.append(SignalFacts.Item(
                reference: r.reference(projectKey), type: r.type, title: r.title, isOpen: true,
                awaitingDecision: r.type == .decision && RegisterKind.decision.dueStatuses.contains(r.status),
                ownerKey: r.ownerID?.uuidString.lowercased(), ownerName: r.ownerID.flatMap { ownerNames[$0] }, dueDate: r.dueDate,
                changedOn: CalendarDate(r.updatedAt, in: TimeZone.japan), score: r.score,
                blocksWork: details["blocksWork"]?.bool ?? false, reviewDate: details["reviewDate"]?.date,
                triggeredSigns: (details["indicators"]?.indicators ?? []).filter { $0.status == .triggered }.map(\.text),
                lateForMilestone: r.type == .interface
                    ? InterfaceFlags.lateFor(status: r.status, details: details, dates: activityDates).first
                        .flatMap { id in activityDates[id].map { SignalFacts.Milestone(name: activityNames[id] ?? "#\(id)", date: $0) } } : nil,
                environmentDown: r.type == .interface
                    ? InterfaceFlags.environmentClashes(status: r.status, details: details, outages: outages).first : nil))
        }
        return f
    }
}
