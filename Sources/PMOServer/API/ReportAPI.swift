import Foundation
import PMOCore
import PMOStore
import Vapor

/// Weekly status reports under /projects/{key}/reports, the portfolio of every project's latest issued report, and a
/// project's kickoff pack. A draft is computed from live data on every read (with the PMO's overrides and the texts);
/// an issued report is stored as issued and never changes: a correction is a new draft that supersedes it.
///
/// Status reports carry budgets and earned value: vendors' staff do not read them (403). Admins, the PMO and PMs draft
/// and issue them; only the PMO (and admins) override a computed colour, always with a reason.
enum ReportAPI {
    static let base = "/projects/{key}/reports"
    static let tag = "reports"

    static func register(_ r: APIRouter) {
        reports(r)
        r.add(.GET, "/portfolio",
              summary: "Every project whose reports you may read, with its latest issued report's areas and the trend since the one before",
              tag: tag, response: "Portfolio") { req in
            let rows = try await req.store.reports.portfolio(try req.requireCaller())
            return try MeetingJSON.response(body: ListBody(items: rows.map(PortfolioRowBody.init)))
        }
        r.add(.GET, "/projects/{key}/kickoff",
              summary: "The project's kickoff pack from live data: purpose, scope, systems, who is who, phases, milestones, issues, risks and meetings",
              tag: "projects", response: "KickoffPack") { req in
            let pack = try await req.store.reports.kickoffPack(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: KickoffPackBody(pack))
        }
    }

    static func reportID(_ req: Request) throws -> UUID { try req.pathUUID("id") }

    static func reportResponse(_ r: StatusReportView, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = try MeetingJSON.response(body: StatusReportBody(r), status: status, version: r.version)
        if status == .created {
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(r.projectKey)/reports/\(MeetingJSON.id(r.id))")
        }
        return response
    }

    static func reports(_ r: APIRouter) {
        r.add(.GET, base, summary: "The project's status reports, latest status date first", tag: tag, response: "StatusReportList") { req in
            let list = try await req.store.reports.statusReports(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: ListBody(items: list.map(StatusReportSummaryBody.init)))
        }
        r.add(.POST, base,
              summary: "Start the report for a status date (default: the plan's status date, else today; not before the project's start, not after today), taking over the PMO's overrides of the last issued report before it; the draft for that date when there is one. 201 with Location and ETag",
              tag: tag, request: "StatusReportCreate", response: "StatusReport", status: 201, access: .manager,
              also: [200: "StatusReport"]) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let requested = try req.body(StatusReportCreateBody.self, code: "report.invalid").statusDate
            let (today, _) = req.today(for: caller)
            let date: CalendarDate
            if let requested { date = requested } else { date = try await req.store.reports.defaultStatusDate(caller, key: key, today: today) }
            // The store returns the draft for the date as it is when there is one: that answers 200, a new one 201.
            let drafts = try await req.store.reports.statusReports(caller, key: key).filter { $0.state == .draft && $0.statusDate == date }
            let view = try await req.store.reports.createStatusReport(caller, key: key, statusDate: date, today: today)
            let existed = drafts.contains { $0.id == view.id }
            return try reportResponse(view, status: existed ? .ok : .created)
        }
        r.add(.GET, "\(base)/{id}",
              summary: "One report: each area's computed colour, override and reasons, the metrics, milestones, top issues and risks, decisions needed, the S-curve, the texts, and the comparison with the previous issued report (ETag: its version)",
              tag: tag, response: "StatusReport") { req in
            let view = try await req.store.reports.statusReport(try req.requireCaller(), key: try req.projectKey(), id: try reportID(req))
            return try reportResponse(view)
        }
        r.add(.PATCH, "\(base)/{id}",
              summary: "Change a draft: the PMO's overrides [{area, rag, reason}] (replacing the list), comment, done, next (If-Match required)",
              tag: tag, request: "StatusReportPatch", response: "StatusReport", ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let id = try reportID(req)
            let version = try req.requiredIfMatch()
            let body = try req.body(StatusReportPatchBody.self, code: "report.invalid")
            let overrides = body.overrides.isSent ? (body.overrides.value ?? []).map(\.override) : nil
            let view = try await req.store.reports.updateStatusReport(caller, key: key, id: id, expectedVersion: version, overrides: overrides,
                                                              comment: body.comment.textOrEmpty, done: body.done.textOrEmpty,
                                                              next: body.next.textOrEmpty)
            return try reportResponse(view)
        }
        r.add(.POST, "\(base)/{id}/issue",
              summary: "Issue a draft (If-Match required): its content is computed one last time and stored, and never changes after; a correction supersedes the report it corrects",
              tag: tag, response: "StatusReport", ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let version = try req.requiredIfMatch()
            let view = try await req.store.reports.issueStatusReport(caller, key: try req.projectKey(), id: try reportID(req), expectedVersion: version)
            return try reportResponse(view)
        }
        r.add(.POST, "\(base)/{id}/correct",
              summary: "Start a correction of an issued report: a new draft for the same date with its overrides and texts, which supersedes it when issued; 201",
              tag: tag, response: "StatusReport", status: 201, access: .manager) { req in
            let view = try await req.store.reports.correctStatusReport(try req.writer(), key: try req.projectKey(), id: try reportID(req))
            return try reportResponse(view, status: .created)
        }
        r.add(.DELETE, "\(base)/{id}", summary: "Delete a draft report (issued reports are kept for ever)", tag: tag, status: 204, access: .manager) { req in
            try await req.store.reports.deleteStatusReport(try req.writer(), key: try req.projectKey(), id: try reportID(req))
            return noContent()
        }
    }
}
