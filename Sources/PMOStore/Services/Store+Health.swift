import FluentKit
import Foundation
import PMOCore
import PMOSchedule
import SQLKit

/// SPI and CPI at one status date (from the plan's progress history, as the status report computes them).
public struct IndexPoint: Sendable, Equatable {
    public var date: CalendarDate
    public var spi: Double?
    public var cpi: Double?
}

/// Open action items past their due date, for one owner (nil: nobody owns them).
public struct OverdueActions: Sendable {
    public var owner: String?
    public var items: [ReportItem]
}

/// The next meeting of a series the caller may see.
public struct NextMeeting: Sendable {
    public var seriesID: UUID
    public var name: String
    public var number: Int
    public var date: CalendarDate
    public var startMinutes: Int
    public var durationMinutes: Int
}

/// A project's live health, for its home page (the cockpit): the status report's rules applied now, as of the plan's
/// status date, plus what needs someone this week. The one definition of a project's health is `StatusRules`; this
/// only reads it live instead of from an issued report.
public struct ProjectHealth: Sendable {
    /// The date the colours are computed as of: the plan's status date, else today.
    public var statusDate: CalendarDate
    /// False when the plan has no status date yet, so `statusDate` is today.
    public var isPlanStatusDate: Bool
    /// The colours, reasons, earned value, top risks and decisions waiting; nil for a reader who does not read status
    /// reports (vendors' staff: they carry budgets).
    public var status: StatusReportContent?
    /// SPI and CPI at each status date the plan's progress was recorded for, oldest first (empty without reports).
    public var trend: [IndexPoint]
    /// The next unfinished milestones (at most five), with their slip against the baseline.
    public var milestones: [MilestoneStatus]
    /// Overdue open actions, grouped by owner, the longest list first.
    public var overdueActions: [OverdueActions]
    public var nextMeeting: NextMeeting?
}

extension ReportService {
    /// The live health of project `key` as `caller` may see it, with `today` in the caller's time zone.
    public func health(_ caller: Caller, key: String, today: CalendarDate) async throws -> ProjectHealth {
        let context = try await projectContext(caller, key: key)
        let plan = try await store.plans.view(caller, key: key)   // the cached computed plan
        let statusDate = plan.snapshot.statusDate ?? today
        var status: StatusReportContent?
        var trend: [IndexPoint] = []
        var milestones: [MilestoneStatus]
        if MeetingAccess.canReadReports(context.actor) {
            let previous = try await sql.raw("""
                SELECT status_date FROM status_reports WHERE project_id = \(bind: context.projectID) AND state = 'issued'
                AND status_date < \(bind: statusDate.description) ORDER BY status_date DESC LIMIT 1
                """).first().flatMap { CalendarDate(iso: try $0.decode(column: "status_date", as: String.self)) }
            let content = try await computeStatus(context, statusDate: statusDate, previousDate: previous, plan: plan, on: db)
            status = content
            trend = content.curve.compactMap { p in
                guard let ev = p.ev else { return nil }
                return IndexPoint(date: p.date, spi: p.pv > 0 ? ev / p.pv : nil, cpi: (p.ac ?? 0) > 0 ? ev / (p.ac ?? 1) : nil)
            }
            milestones = content.metrics.milestones
        } else {
            milestones = MeetingService.agendaActivities(plan).filter(\.isMilestone).map { a in
                MilestoneStatus(uid: a.uid, name: a.name, baselineFinish: a.baselineFinish, forecastFinish: a.finish,
                                slipDays: a.finishSlipDays, done: a.isDone)
            }
        }
        milestones = Array(milestones.filter { !$0.done }.sorted { ($0.forecastFinish, $0.uid) < ($1.forecastFinish, $1.uid) }.prefix(5))

        // Overdue actions, by owner.
        var byOwner: [UUID?: [ReportItem]] = [:]
        for r in try await store.items.rows(context, ItemRowFilter(types: [.action], openOnly: true), on: db) {
            guard let due = r.dueDate, due < today else { continue }
            byOwner[r.ownerID, default: []].append(ReportItem(reference: r.reference(key), title: r.title, status: r.status,
                                                              dueDate: due, score: r.score, visibility: r.visibility))
        }
        let names = try await self.names(table: "users", column: "display_name", ids: Set(byOwner.keys.compactMap { $0 }), on: db)
        let overdue = byOwner.map { owner, items in
            OverdueActions(owner: owner.flatMap { names[$0] },
                           items: items.sorted { ($0.dueDate?.dayNumber ?? 0, $0.reference) < ($1.dueDate?.dayNumber ?? 0, $1.reference) })
        }.sorted { ($1.items.count, $0.owner ?? "\u{10FFFF}") < ($0.items.count, $1.owner ?? "\u{10FFFF}") }

        return ProjectHealth(statusDate: statusDate, isPlanStatusDate: plan.snapshot.statusDate != nil, status: status, trend: trend,
                             milestones: milestones, overdueActions: overdue,
                             nextMeeting: try await nextMeeting(caller, key: key, at: now()))
    }

    /// The first meeting of any series the caller may see that has not ended at `instant`.
    func nextMeeting(_ caller: Caller, key: String, at instant: Date) async throws -> NextMeeting? {
        let today = CalendarDate(instant, in: MeetingService.projectTimeZone)
        var best: NextMeeting?
        for s in try await store.meetings.series(caller, key: key) {
            let r = s.fields.recurrence
            var n = r.firstOccurrence(onOrAfter: today)
            // Today's meeting that has already ended is not "next".
            if MeetingService.instant(r.date(ofOccurrence: n), minutes: r.startMinutes + r.durationMinutes) <= instant { n += 1 }
            let candidate = NextMeeting(seriesID: s.id, name: s.fields.name, number: n, date: r.date(ofOccurrence: n),
                                        startMinutes: r.startMinutes, durationMinutes: r.durationMinutes)
            if best.map({ (candidate.date, candidate.startMinutes) < ($0.date, $0.startMinutes) }) ?? true { best = candidate }
        }
        return best
    }
}
