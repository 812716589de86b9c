import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// A status report in a project's list.
public struct StatusReportSummary: Sendable {
    public var id: UUID
    public var statusDate: CalendarDate
    public var state: StatusReportState
    /// The overall colour as issued (nil for a draft, whose colour is computed when it is read).
    public var overall: RAG?
    public var issuedAt: Date?
    public var version: Int
}

/// A status report: a draft computed from live data with the PMO's overrides and texts, or an issued snapshot.
public struct StatusReportView: Sendable {
    public var id: UUID
    public var projectKey: String
    public var state: StatusReportState
    public var content: StatusReportContent
    public var overrides: [StatusOverride]
    public var version: Int
    public var createdAt: Date
    public var issuedAt: Date?
    public var issuedBy: String?
    public var supersedesID: UUID?
    public var supersededByID: UUID?
    /// The last issued report before this one's status date, and what changed since.
    public var previous: StatusReportContent?
    public var comparison: StatusComparison
    public var canEdit: Bool
    public var canOverride: Bool
    /// The plan's status date now: progress is recorded as of it, so a report for another date replays the plan's
    /// progress history to its own date (the page warns when they differ).
    public var planStatusDate: CalendarDate?
    /// The overrides this draft took over unchanged from the previous issued report (same area, colour and reason):
    /// the page lists them for the PMO to keep or drop.
    public var carriedOverrides: [StatusOverride] {
        guard state == .draft, let previous else { return [] }
        return overrides.filter { o in
            previous.areas.contains { $0.area == o.area && $0.override == o.rag && $0.overrideReason == o.reason }
        }
    }
}

/// One project in the portfolio summary: its latest issued report and the trend since the one before.
public struct PortfolioRow: Sendable {
    public var projectKey: String
    public var projectName: String
    public var phase: String
    public var latest: StatusReportContent?
    public var latestIssuedAt: Date?
    public var comparison: StatusComparison?
    /// The project's managers (members with the PM role), by name.
    public var managers: [String] = []

    /// The first unfinished milestone of the latest report, with its slip against the baseline.
    public var nextMilestone: MilestoneStatus? {
        latest?.metrics.milestones.filter { !$0.done }.min { ($0.forecastFinish, $0.uid) < ($1.forecastFinish, $1.uid) }
    }
}

extension ReportService {
    func reportContext(_ caller: Caller, key: String, edit: Bool, on db: any Database) async throws -> ProjectContext {
        let context = try await projectContext(caller, key: key, on: db)
        guard MeetingAccess.canReadReports(context.actor) else {
            throw DomainError.forbidden("report.read_forbidden",
                                        "Status reports of \(key) carry budgets and earned value, which vendors' staff do not read.")
        }
        if edit && !MeetingAccess.canEditReports(context.actor) {
            throw DomainError.forbidden("report.edit_forbidden", "Your role in \(key) may not draft or issue status reports; ask the PMO.")
        }
        return context
    }

    public func statusReports(_ caller: Caller, key: String) async throws -> [StatusReportSummary] {
        let context = try await reportContext(caller, key: key, edit: false, on: db)
        return try await sql.raw("""
            SELECT id, status_date, state, overall, issued_at, version FROM status_reports WHERE project_id = \(bind: context.projectID)
            ORDER BY status_date DESC, created_at DESC
            """).all().map { row in
            StatusReportSummary(id: try row.decode(column: "id", as: UUID.self),
                                statusDate: CalendarDate(iso: try row.decode(column: "status_date", as: String.self)) ?? CalendarDate(dayNumber: 0),
                                state: StatusReportState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
                                overall: try row.decode(column: "overall", as: String?.self).flatMap(RAG.init),
                                issuedAt: try row.decode(column: "issued_at", as: Date?.self), version: try row.decode(column: "version", as: Int.self))
        }
    }

    /// The date a new report is for unless the PMO says otherwise: the plan's status date (progress is as of it), else
    /// `today`.
    public func defaultStatusDate(_ caller: Caller, key: String, today: CalendarDate) async throws -> CalendarDate {
        let context = try await projectContext(caller, key: key)
        return try await planStatusDate(context, on: db) ?? today
    }

    func planStatusDate(_ context: ProjectContext, on db: any Database) async throws -> CalendarDate? {
        try await db.sql().raw("SELECT status_date FROM plans WHERE project_id = \(bind: context.projectID)").first()
            .flatMap { try $0.decode(column: "status_date", as: String?.self).flatMap(CalendarDate.init(iso:)) }
    }

    /// Starts the report for `statusDate` (the plan's status date, else `today`, when nil): refused before the project
    /// started or after `today`. A draft for that date is returned as it is; an issued one is corrected, not redone. A
    /// new draft takes over the PMO's overrides of the last issued report before it, with their reasons, so that a
    /// judgement does not silently disappear from one week to the next; the page lists them to keep or drop.
    public func createStatusReport(_ caller: Caller, key: String, statusDate requested: CalendarDate?, today: CalendarDate) async throws -> StatusReportView {
        let at = now()
        let id: UUID = try await write { db in
            let context = try await reportContext(caller, key: key, edit: true, on: db)
            var statusDate = today
            if let requested {
                statusDate = requested
            } else if let planned = try await planStatusDate(context, on: db) {
                statusDate = planned
            }
            let start = try await projectStart(context, on: db)
            let problems = StatusReportRules.dateProblems(statusDate, projectStart: start, today: today)
            if !problems.isEmpty { throw DomainError.invalid("report.invalid_date", problems) }
            let sql = try db.sql()
            for row in try await sql.raw("""
                SELECT id, state FROM status_reports WHERE project_id = \(bind: context.projectID)
                AND status_date = \(bind: statusDate.description) AND state <> 'superseded'
                """).all() {
                let existing = try row.decode(column: "id", as: UUID.self)
                if try row.decode(column: "state", as: String.self) == StatusReportState.draft.rawValue { return existing }
                throw DomainError.conflict("report.exists", """
                    The report of \(key) for \(statusDate) was issued and never changes. To correct it, make a correction \
                    (Correct on the report page, or POST …/reports/\(existing.uuidString.lowercased())/correct): a new draft for the \
                    same date that supersedes it when issued.
                    """)
            }
            let carried = try await sql.raw("""
                SELECT overrides FROM status_reports WHERE project_id = \(bind: context.projectID) AND state = 'issued'
                AND status_date < \(bind: statusDate.description) ORDER BY status_date DESC LIMIT 1
                """).first().flatMap { StoredValues.decode([StatusOverride].self, try $0.decode(column: "overrides", as: String.self)) } ?? []
            let id = UUID()
            try await sql.raw("""
                INSERT INTO status_reports (id, project_id, status_date, state, overrides, comment, done_text, next_text,
                    created_by_id, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: context.projectID), \(bind: statusDate.description), 'draft', \(bind: StoredValues.json(carried)), '', '', '',
                    \(bind: caller.userID), \(bind: at), \(bind: at), 1)
                """).run()
            var changes = [FieldChange(field: "statusDate", from: nil, to: statusDate.description)]
            if !carried.isEmpty {
                changes.append(FieldChange(field: "overrides", from: nil, to: carried.map { "\($0.area.rawValue)=\($0.rag.rawValue)" }.joined(separator: ", ")))
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "status_report",
                                      entityID: id, action: "create", version: 1, changes: changes)
            return id
        }
        return try await statusReport(caller, key: key, id: id)
    }

    /// The project's start: its own start date, else its plan's.
    func projectStart(_ context: ProjectContext, on db: any Database) async throws -> CalendarDate? {
        if let s = context.project.startDate.flatMap({ CalendarDate(iso: $0) }) { return s }
        return try await db.sql().raw("SELECT start_date FROM plans WHERE project_id = \(bind: context.projectID)")
            .first().flatMap { CalendarDate(iso: try $0.decode(column: "start_date", as: String.self)) }
    }

    struct ReportRow {
        var id: UUID
        var statusDate: CalendarDate
        var state: StatusReportState
        var overrides: [StatusOverride]
        var comment: String
        var done: String
        var next: String
        var content: String?
        var supersedesID: UUID?
        var issuedAt: Date?
        var issuedByID: UUID?
        var createdAt: Date
        var version: Int

        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            statusDate = CalendarDate(iso: try row.decode(column: "status_date", as: String.self)) ?? CalendarDate(dayNumber: 0)
            state = StatusReportState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft
            overrides = StoredValues.decode([StatusOverride].self, try row.decode(column: "overrides", as: String.self)) ?? []
            comment = try row.decode(column: "comment", as: String.self)
            done = try row.decode(column: "done_text", as: String.self)
            next = try row.decode(column: "next_text", as: String.self)
            content = try row.decode(column: "content", as: String?.self)
            supersedesID = try row.decode(column: "supersedes_id", as: UUID?.self)
            issuedAt = try row.decode(column: "issued_at", as: Date?.self)
            issuedByID = try row.decode(column: "issued_by_id", as: UUID?.self)
            createdAt = try row.decode(column: "created_at", as: Date.self)
            version = try row.decode(column: "version", as: Int.self)
        }
    }

    func reportRow(_ context: ProjectContext, id: UUID, on db: any Database) async throws -> ReportRow {
        guard let row = try await db.sql().raw("""
            SELECT * FROM status_reports WHERE id = \(bind: id) AND project_id = \(bind: context.projectID)
            """).first() else {
            throw DomainError.notFound("report.not_found", "\(context.project.key) has no status report \(id.uuidString.lowercased()).")
        }
        return try ReportRow(row)
    }

    public func statusReport(_ caller: Caller, key: String, id: UUID) async throws -> StatusReportView {
        let context = try await reportContext(caller, key: key, edit: false, on: db)
        return try await reportView(context, id: id, on: db)
    }

    func reportView(_ context: ProjectContext, id: UUID, on db: any Database) async throws -> StatusReportView {
        let r = try await reportRow(context, id: id, on: db)
        let sql = try db.sql()
        let previous = try await sql.raw("""
            SELECT content FROM status_reports WHERE project_id = \(bind: context.projectID) AND state = 'issued'
            AND status_date < \(bind: r.statusDate.description) ORDER BY status_date DESC LIMIT 1
            """).first().flatMap { try $0.decode(column: "content", as: String?.self).flatMap { StoredValues.decode(StatusReportContent.self, $0) } }
        let content: StatusReportContent
        if let stored = r.content.flatMap({ StoredValues.decode(StatusReportContent.self, $0) }), r.state != .draft {
            content = stored
        } else {
            content = try await liveReportContent(context, row: r, previousDate: previous?.statusDate, on: db)
        }
        let supersededBy = try await sql.raw("SELECT id FROM status_reports WHERE supersedes_id = \(bind: r.id) AND state <> 'draft'")
            .first().map { try $0.decode(column: "id", as: UUID.self) }
        let issuer = try await names(table: "users", column: "display_name", ids: Set(r.issuedByID.map { [$0] } ?? []), on: db)
        return StatusReportView(
            id: r.id, projectKey: context.project.key, state: r.state, content: content, overrides: r.overrides, version: r.version,
            createdAt: r.createdAt, issuedAt: r.issuedAt, issuedBy: r.issuedByID.flatMap { issuer[$0] }, supersedesID: r.supersedesID,
            supersededByID: supersededBy, previous: previous, comparison: StatusComparison.compare(previous: previous, current: content),
            canEdit: r.state == .draft && MeetingAccess.canEditReports(context.actor),
            canOverride: r.state == .draft && MeetingAccess.canOverride(context.actor),
            planStatusDate: try await planStatusDate(context, on: db))
    }

    /// A draft's content: computed now from live data, with the PMO's overrides and texts applied.
    func liveReportContent(_ context: ProjectContext, row r: ReportRow, previousDate: CalendarDate?, on db: any Database) async throws -> StatusReportContent {
        var content = try await computeStatus(context, statusDate: r.statusDate, previousDate: previousDate, on: db)
        content.areas = StatusReportContent.applying(r.overrides, to: content.areas)
        content.comment = r.comment
        content.done = r.done
        content.next = r.next
        return content
    }

    static func issuedError(_ key: String, _ r: ReportRow) -> DomainError {
        DomainError.conflict("report.issued", """
            The report of \(key) for \(r.statusDate) was issued and never changes. To correct it, make a correction (Correct on \
            the report page, or POST …/reports/\(r.id.uuidString.lowercased())/correct): a new draft for the same date that \
            supersedes it when issued.
            """)
    }

    /// Opens a draft for writing: the caller's right, the row locked, an issued report refused (pointing to a
    /// correction) and the version compared.
    func beginDraftWrite(_ caller: Caller, key: String, id: UUID, expectedVersion: Int?, on db: any Database) async throws
        -> (ProjectContext, ReportRow)
    {
        let context = try await reportContext(caller, key: key, edit: true, on: db)
        try await lockRow(db, table: "status_reports", id: id)
        let r = try await reportRow(context, id: id, on: db)
        if r.state != .draft { throw ReportService.issuedError(key, r) }
        if let expectedVersion, expectedVersion != r.version {
            throw StoredValues.stale("The status report for \(r.statusDate)", current: r.version, expected: expectedVersion)
        }
        return (context, r)
    }

    /// Sets the PMO's overrides and the report's texts on a draft.
    public func updateStatusReport(_ caller: Caller, key: String, id: UUID, expectedVersion: Int?, overrides: [StatusOverride]?,
                                   comment: String?, done: String?, next: String?) async throws -> StatusReportView {
        let at = now()
        try await write { db in
            let (context, r) = try await beginDraftWrite(caller, key: key, id: id, expectedVersion: expectedVersion, on: db)
            if let overrides, overrides != r.overrides, !MeetingAccess.canOverride(context.actor) {
                throw DomainError.forbidden("report.override_forbidden", "Only the PMO overrides a computed status; write your view in the comment.")
            }
            let newOverrides = overrides ?? r.overrides
            let problems = StatusReportRules.validate(overrides: newOverrides, comment: comment ?? r.comment, done: done ?? r.done, next: next ?? r.next)
            if !problems.isEmpty { throw DomainError.invalid("report.invalid", problems) }
            try await db.sql().raw("""
                UPDATE status_reports SET overrides = \(bind: StoredValues.json(newOverrides)), comment = \(bind: comment ?? r.comment),
                    done_text = \(bind: done ?? r.done), next_text = \(bind: next ?? r.next), updated_at = \(bind: at),
                    version = version + 1 WHERE id = \(bind: id)
                """).run()
            func text(_ o: [StatusOverride]) -> String { o.map { "\($0.area.rawValue)=\($0.rag.rawValue): \($0.reason)" }.joined(separator: "; ") }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "status_report",
                                      entityID: id, action: "update", version: r.version + 1,
                                      changes: FieldChange.diff(["overrides": text(r.overrides), "comment": r.comment, "done": r.done, "next": r.next],
                                                                ["overrides": text(newOverrides), "comment": comment ?? r.comment,
                                                                 "done": done ?? r.done, "next": next ?? r.next]))
        }
        return try await statusReport(caller, key: key, id: id)
    }

    /// Issues a draft: its content is computed one last time and stored; from then on it is read, never recomputed.
    /// Issuing a correction marks the report it corrects as superseded.
    public func issueStatusReport(_ caller: Caller, key: String, id: UUID, expectedVersion: Int?) async throws -> StatusReportView {
        let at = now()
        try await write { db in
            let (context, r) = try await beginDraftWrite(caller, key: key, id: id, expectedVersion: expectedVersion, on: db)
            let view = try await reportView(context, id: id, on: db)
            let sql = try db.sql()
            try await sql.raw("""
                UPDATE status_reports SET state = 'issued', content = \(bind: StoredValues.json(view.content)),
                    overall = \(bind: view.content.overall.rawValue), issued_at = \(bind: at), issued_by_id = \(bind: caller.userID),
                    updated_at = \(bind: at), version = version + 1 WHERE id = \(bind: id)
                """).run()
            if let old = r.supersedesID {
                try await sql.raw("UPDATE status_reports SET state = 'superseded' WHERE id = \(bind: old) AND state = 'issued'").run()
            }
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "status_report",
                                      entityID: id, action: "issue", version: r.version + 1,
                                      changes: [FieldChange(field: "state", from: "draft", to: "issued"),
                                                FieldChange(field: "overall", from: nil, to: view.content.overall.rawValue)])
        }
        return try await statusReport(caller, key: key, id: id)
    }

    /// Starts a correction of an issued report: a new draft for the same date, with its overrides and texts, that
    /// supersedes it when issued. The issued report itself is untouched.
    public func correctStatusReport(_ caller: Caller, key: String, id: UUID) async throws -> StatusReportView {
        let at = now()
        let newID: UUID = try await write { db in
            let context = try await reportContext(caller, key: key, edit: true, on: db)
            let r = try await reportRow(context, id: id, on: db)
            guard r.state == .issued else {
                throw DomainError.conflict("report.not_issued", r.state == .draft
                    ? "This report is a draft; edit it directly."
                    : "This report was already superseded; correct the report that superseded it.")
            }
            let sql = try db.sql()
            if let draft = try await sql.raw("SELECT id FROM status_reports WHERE supersedes_id = \(bind: id) AND state = 'draft'").first() {
                return try draft.decode(column: "id", as: UUID.self)
            }
            let newID = UUID()
            try await sql.raw("""
                INSERT INTO status_reports (id, project_id, status_date, state, overrides, comment, done_text, next_text, supersedes_id,
                    created_by_id, created_at, updated_at, version)
                VALUES (\(bind: newID), \(bind: context.projectID), \(bind: r.statusDate.description), 'draft',
                    \(bind: StoredValues.json(r.overrides)), \(bind: r.comment), \(bind: r.done), \(bind: r.next), \(bind: id),
                    \(bind: caller.userID), \(bind: at), \(bind: at), 1)
                """).run()
            // The correction starts with the corrected report's files (the same contents; the old report keeps its own).
            try await store.attachments.copyFiles(from: .report(id), fromID: id, toID: newID, projectID: context.projectID, on: db)
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "status_report",
                                      entityID: newID, action: "correct", version: 1,
                                      changes: [FieldChange(field: "supersedes", from: nil, to: id.uuidString.lowercased())])
            return newID
        }
        return try await statusReport(caller, key: key, id: newID)
    }

    /// Deletes a draft; issued reports are kept for ever.
    public func deleteStatusReport(_ caller: Caller, key: String, id: UUID) async throws {
        let at = now()
        try await write { db in
            let context = try await reportContext(caller, key: key, edit: true, on: db)
            let r = try await reportRow(context, id: id, on: db)
            if r.state != .draft { throw ReportService.issuedError(key, r) }
            try await db.sql().raw("DELETE FROM status_reports WHERE id = \(bind: id)").run()
            try await AuditLog.record(on: db, at: at, actor: caller.userID, project: context.projectID, entityType: "status_report",
                                      entityID: id, action: "delete", version: r.version,
                                      changes: [FieldChange(field: "statusDate", from: r.statusDate.description, to: nil)])
        }
    }

    // MARK: Computing a report

    /// The report for `statusDate` computed from live data: the plan against its baseline with earned value as of the
    /// date, and the registers as they are now. `plan` is the computed plan when the caller already has it (the
    /// cockpit reads the cached one); otherwise it is read as `db` sees it.
    func computeStatus(_ context: ProjectContext, statusDate: CalendarDate, previousDate: CalendarDate?, plan: PlanView? = nil,
                       on db: any Database) async throws -> StatusReportContent {
        let key = context.project.key
        var m = StatusMetrics()
        var curve: [CurvePoint] = []
        let view: PlanView
        if let plan { view = plan } else { view = try await plans.planView(context, on: db) }
        if !view.rows.isEmpty {
            m.hasPlan = true
            let ev = try await plans.earnedValueReport(view, at: statusDate, baseline: nil, on: db)
            let p = ev.current.project
            m.bac = p.bac
            m.pv = p.pv
            m.ev = p.ev
            m.ac = p.ac
            m.spi = p.pv > 0 ? p.spi : nil
            m.cpi = p.ac > 0 ? p.cpi : nil
            m.eac = p.ac > 0 ? p.eacTypical : nil
            if p.bac > 0 {
                m.plannedPercent = (p.pv / p.bac * 1000).rounded() / 10
                m.earnedPercent = (p.ev / p.bac * 1000).rounded() / 10
            }
            curve = ev.pvCurve.map { CurvePoint(date: $0.0, pv: $0.1) }
            for t in ev.trend + [ev.current] {
                curve.removeAll { $0.date == t.statusDate }
                curve.append(CurvePoint(date: t.statusDate, pv: t.project.pv, ev: t.project.ev, ac: t.project.ac))
            }
            curve.sort { $0.date < $1.date }
            m.milestones = MeetingService.agendaActivities(view).filter(\.isMilestone).map { a in
                MilestoneStatus(uid: a.uid, name: a.name, baselineFinish: a.baselineFinish, forecastFinish: a.finish,
                                slipDays: a.finishSlipDays, done: a.isDone)
            }.sorted { ($0.baselineFinish ?? $0.forecastFinish, $0.uid) < ($1.baselineFinish ?? $1.forecastFinish, $1.uid) }
        }
        // Registers.
        var topRisks: [ReportItem] = [], decisions: [ReportItem] = []
        var ownerIDs = Set<UUID>()
        struct Pending { var item: ReportItem; var owner: UUID?; var decider: UUID? }
        var risks: [Pending] = [], pendingDecisions: [Pending] = []
        var riskCells: [(probability: Int, impact: Int)] = []
        for r in try await store.items.rows(context, ItemRowFilter(types: [.risk, .change, .decision]), on: db) {
            guard let kind = r.type.register else { continue }
            let status = r.status
            let details = r.details
            let owner = r.ownerID
            let item = ReportItem(reference: r.reference(key), title: r.title, status: status, dueDate: r.dueDate, score: r.score,
                                  visibility: r.visibility)
            switch kind {
            case .change:
                if ["approved", "implemented"].contains(status) {
                    m.changesApproved += 1
                    m.changeDaysApproved += details["impactScheduleDays"]?.number ?? 0
                    m.changeCostApproved += details["costImpact"]?.number ?? 0
                    if let on = details["approvedOn"]?.date, on <= statusDate, previousDate.map({ on > $0 }) ?? true {
                        m.changesApprovedSinceLast += 1
                    }
                } else if ["requested", "assessing"].contains(status) {
                    m.changesPending += 1
                }
            case .risk where r.isOpen:
                if let p = details["probability"]?.integer, let i = RegisterRules.impact(details) { riskCells.append((p, i)) }
                let score = item.score ?? 0
                m.openRisks += 1
                if score >= m.riskThreshold { m.risksAboveThreshold += 1 }
                if score >= StatusRules.riskRedScore { m.risksRed += 1 }
                if details["category"]?.text == "quality" && score >= m.riskThreshold { m.openQualityRisks += 1 }
                for sign in (details["indicators"]?.indicators ?? []) where sign.status == .triggered {
                    m.triggered.append(.init(reference: item.reference, sign: sign.text, score: score))
                }
                risks.append(Pending(item: item, owner: owner, decider: nil))
                if let owner { ownerIDs.insert(owner) }
            case .decision where kind.dueStatuses.contains(status):
                let decider = r.deciderID
                pendingDecisions.append(Pending(item: item, owner: owner, decider: decider))
                if let decider { ownerIDs.insert(decider) }
            default:
                break
            }
        }
        var issues: [Pending] = []
        for r in try await store.items.rows(context, ItemRowFilter(types: [.issue], openOnly: true), on: db) {
            let priority = r.score ?? 0
            m.openIssues += 1
            if priority >= IssuePriority.critical.rank { m.openCriticalIssues += 1 } else if priority == IssuePriority.high.rank { m.openHighIssues += 1 }
            if let owner = r.ownerID { ownerIDs.insert(owner) }
            issues.append(Pending(item: ReportItem(reference: r.reference(key), title: r.title, status: r.status, dueDate: r.dueDate,
                                                   score: priority, visibility: r.visibility), owner: r.ownerID, decider: nil))
        }
        let names = try await self.names(table: "users", column: "display_name", ids: ownerIDs, on: db)
        func far(_ d: CalendarDate?) -> Int { d?.dayNumber ?? Int.max }
        let topIssues = issues.sorted { ($1.item.score ?? 0, far($0.item.dueDate), $0.item.reference) < ($0.item.score ?? 0, far($1.item.dueDate), $1.item.reference) }
            .prefix(5).map { p -> ReportItem in var i = p.item; i.owner = p.owner.flatMap { names[$0] }; return i }
        topRisks = risks.sorted { ($1.item.score ?? 0, $0.item.reference) < ($0.item.score ?? 0, $1.item.reference) }
            .prefix(5).map { p -> ReportItem in var i = p.item; i.owner = p.owner.flatMap { names[$0] }; return i }
        decisions = pendingDecisions.sorted { (far($0.item.dueDate), $0.item.reference) < (far($1.item.dueDate), $1.item.reference) }
            .prefix(10).map { p -> ReportItem in var i = p.item; i.decider = p.decider.flatMap { names[$0] }; return i }
        var content = StatusReportContent(projectKey: key, projectName: context.project.name, statusDate: statusDate,
                                          areas: StatusRules.evaluate(m), metrics: m, topIssues: Array(topIssues), topRisks: Array(topRisks),
                                          decisionsNeeded: Array(decisions), curve: curve)
        // The project's open signals, as a reason of its overall status (they do not change its colour).
        let counts = try await !store.hasMigrated("M020CreateSignals", on: db) ? [] : db.readRows("""
            SELECT severity, CAST(COUNT(*) AS BIGINT) AS n FROM signals WHERE project_id = \(bind: context.projectID) AND is_open = \(bind: true)
            GROUP BY severity
            """, columns: ["severity", "n"])
        var bySeverity: [String: Int] = [:]
        for row in counts { bySeverity[try row.string(0)] = try row.int(1) }
        if !bySeverity.isEmpty, let overall = content.areas.firstIndex(where: { $0.area == .overall }) {
            content.areas[overall].reasons.append(StatusReason(.signals, [String(bySeverity["red"] ?? 0), String(bySeverity["amber"] ?? 0)]))
        }
        // The charts' data, kept with the report when it is issued.
        content.riskGrid = RiskGrid.counts(of: riskCells)
        content.issueTrend = try await issueTrend(context, until: statusDate, on: db)
        return content
    }

    // MARK: Portfolio

    /// Every project the caller may read reports of, with its latest issued report and the trend since the one before.
    public func portfolio(_ caller: Caller) async throws -> [PortfolioRow] {
        var rows: [PortfolioRow] = []
        var projectIDs: [UUID] = []
        for (project, role) in try await store.projects.list(for: caller) {
            guard MeetingAccess.canReadReports(caller.actor(role: role)) else { continue }
            projectIDs.append(try project.requireID())
            let issued = try await sql.raw("""
                SELECT content, issued_at FROM status_reports WHERE project_id = \(bind: project.requireID()) AND state = 'issued'
                ORDER BY status_date DESC LIMIT 2
                """).all()
            let contents = try issued.map { try $0.decode(column: "content", as: String?.self).flatMap { StoredValues.decode(StatusReportContent.self, $0) } }
            let latest = contents.first ?? nil
            let before = contents.count > 1 ? contents[1] : nil
            rows.append(PortfolioRow(projectKey: project.key, projectName: project.name, phase: project.phase, latest: latest,
                                     latestIssuedAt: try issued.first?.decode(column: "issued_at", as: Date?.self),
                                     comparison: latest.map { StatusComparison.compare(previous: before, current: $0) }))
        }
        // The managers of every listed project, in one query.
        if !projectIDs.isEmpty {
            var managers: [UUID: [String]] = [:]
            for row in try await sql.raw("""
                SELECT m.project_id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.role = 'pm' AND m.project_id IN (\(binds: projectIDs)) ORDER BY u.display_name
                """).all() {
                managers[try row.decode(column: "project_id", as: UUID.self), default: []].append(try row.decode(column: "display_name", as: String.self))
            }
            for i in rows.indices { rows[i].managers = managers[projectIDs[i]] ?? [] }
        }
        return rows.sorted { $0.projectKey < $1.projectKey }
    }

    // MARK: Kickoff pack

    /// The project's kickoff pack, from live data, as the caller may see it.
    public func kickoffPack(_ caller: Caller, key: String) async throws -> KickoffPack {
        let context = try await projectContext(caller, key: key)
        let p = context.project
        let view = try await plans.planView(context, on: db)
        let topLevel = view.rows.map(\.level).min()
        let scope = view.rows.filter { $0.level == topLevel }.map(\.activity.name)
        var systems: [String] = []
        for row in view.rows where !row.activity.system.isEmpty {
            let label = view.systemLabel(row.activity)
            if !systems.contains(label) { systems.append(label) }
        }
        let members = try await members(projectID: context.projectID, on: db).map { m in
            KickoffPack.Member(name: m.user.displayName, company: m.company?.name ?? "", role: m.role.rawValue)
        }.sorted { ($0.company, $0.role, $0.name) < ($1.company, $1.role, $1.name) }
        let phases = view.snapshot.phases.map { phase -> KickoffPack.Phase in
            let dates = view.snapshot.activities.filter { $0.phaseID == phase.id }.compactMap { view.scheduled($0.uid) }
            return KickoffPack.Phase(name: phase.name, definition: phase.definition, exitCriteria: phase.exitCriteria,
                                     start: dates.map(\.start.date).min(), finish: dates.map(\.finish.finishDay).max())
        }
        let milestones = MeetingService.agendaActivities(view).filter(\.isMilestone).map { a in
            MilestoneStatus(uid: a.uid, name: a.name, baselineFinish: a.baselineFinish, forecastFinish: a.finish,
                            slipDays: a.finishSlipDays, done: a.isDone)
        }.sorted { ($0.forecastFinish, $0.uid) < ($1.forecastFinish, $1.uid) }
        // The ten highest issues (by priority) and risks (by score) the caller may see.
        func top(_ type: ItemType) async throws -> [ReportItem] {
            try await store.items.rows(context, ItemRowFilter(types: [type], openOnly: true, topByScore: 10), on: db).map { r in
                ReportItem(reference: r.reference(key), title: r.title, status: r.status, dueDate: r.dueDate,
                           score: type == .issue ? (r.score ?? 0) : r.score, visibility: r.visibility)
            }
        }
        let topIssues = try await top(.issue)
        let topRisks = try await top(.risk)
        let meetings = try await store.meetings.series(caller, key: key).map { s in
            KickoffPack.Meeting(name: s.fields.name, purpose: s.fields.purpose, chair: s.name(of: s.fields.chairID),
                                recurrence: s.fields.recurrence, attendees: s.fields.attendeeIDs.compactMap { s.name(of: $0) })
        }
        let lastReport = MeetingAccess.canReadReports(context.actor)
            ? try await sql.raw("""
                SELECT MAX(status_date) AS d FROM status_reports WHERE project_id = \(bind: context.projectID) AND state = 'issued'
                """).first().flatMap { try $0.decode(column: "d", as: String?.self) }.flatMap { CalendarDate(iso: $0) }
            : nil
        return KickoffPack(projectKey: key, projectName: p.name, purpose: p.description, businessOwner: p.businessOwner, phase: p.phase,
                           startDate: p.startDate.flatMap { CalendarDate(iso: $0) }, targetDate: p.targetDate.flatMap { CalendarDate(iso: $0) },
                           scope: scope, systems: systems, members: members, phases: phases, milestones: milestones,
                           topIssues: topIssues, topRisks: topRisks, meetings: meetings, lastReportDate: lastReport)
    }
}

extension ReportService {
    /// When each issue the caller may see was raised and, once resolved or closed, when it last moved into that status
    /// (read from the audit trail; an issue created finished counts as closed when it was created). For burn-downs.
    public func issueLifetimes(_ caller: Caller, key: String) async throws -> [(raised: Date, closed: Date?)] {
        try await issueLifetimes(try await projectContext(caller, key: key), on: db)
    }

    /// Open issues week by week up to `until`, for the burn-down of project `key` (report readers only).
    public func issueTrend(_ caller: Caller, key: String, until: CalendarDate) async throws -> [IssueCountPoint] {
        let context = try await reportContext(caller, key: key, edit: false, on: db)
        return try await issueTrend(context, until: until, on: db)
    }

    /// Open issues week by week up to `until` (Japan time): raised the day an issue was created, closed the day it last
    /// moved to resolved or closed.
    func issueTrend(_ context: ProjectContext, until: CalendarDate, on db: any Database) async throws -> [IssueCountPoint] {
        var opened: [CalendarDate] = [], closed: [CalendarDate] = []
        for life in try await issueLifetimes(context, on: db) {
            opened.append(CalendarDate(life.raised, in: MeetingService.projectTimeZone))
            if let c = life.closed { closed.append(CalendarDate(c, in: MeetingService.projectTimeZone)) }
        }
        guard let first = opened.min() else { return [] }
        return IssueCountPoint.points(opened: opened, closed: closed, dates: IssueCountPoint.weeks(from: first, until: until))
    }

    func issueLifetimes(_ context: ProjectContext, on db: any Database) async throws -> [(raised: Date, closed: Date?)] {
        let sql = try db.sql()
        let finished: Set<String> = [IssueStatus.resolved.rawValue, IssueStatus.closed.rawValue]
        var closedAt: [UUID: Date] = [:]
        for row in try await sql.raw("""
            SELECT entity_id, at, changes FROM audit_events WHERE project_id = \(bind: context.projectID) AND entity_type = 'issue'
            AND changes LIKE '%"status"%' ORDER BY at
            """).all() {
            let changes = StoredValues.decode([FieldChange].self, try row.decode(column: "changes", as: String.self)) ?? []
            guard let status = changes.first(where: { $0.field == "status" }) else { continue }
            let id = try row.decode(column: "entity_id", as: UUID.self)
            if let to = status.to, finished.contains(to), !(status.from.map(finished.contains) ?? false) {
                closedAt[id] = try row.decode(column: "at", as: Date.self)
            }
        }
        return try await store.items.rows(context, ItemRowFilter(types: [.issue]), on: db).map { r in
            (r.createdAt, finished.contains(r.status) ? (closedAt[r.id] ?? r.createdAt) : nil)
        }
    }
}
