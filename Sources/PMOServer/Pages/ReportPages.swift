import Foundation
import PMOCore
import PMOInterchange
import PMOReports
import PMOStore
import Vapor

/// Weekly status reports, the week-to-week comparison, the portfolio summary and the kickoff pack.
///
/// A draft is computed from live data on every read (the store does that); an issued report is shown only from its
/// stored snapshot: its S-curve from the stored points and its stored lists. Nothing here recomputes an issued report.
enum ReportPages {
    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "reports") { req async throws -> Response in try await listPage(req) }
        pages.post("projects", ":key", "reports") { req async throws -> Response in try await create(req) }
        pages.get("projects", ":key", "reports", "compare") { req async throws -> Response in try await comparePage(req) }
        pages.get("projects", ":key", "reports", "burndown.svg") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            _ = try await req.store.statusReports(caller, key: key)  // the report readers' check
            let until = CalendarDate(iso: (try? req.query.get(String.self, at: "until")) ?? "") ?? req.today(for: caller).0
            let w = ReportWords(req)
            return PlanChartPages.svgResponse(BurnDownChart.svg(points: try await burnDown(req, caller: caller, key: key, until: until),
                                                                title: w["page.report.issue_burn_down"], lang: w.lang))
        }
        pages.get("projects", ":key", "reports", ":id") { req async throws -> Response in
            let raw = try req.pathString("id")
            for (suffix, format) in [(".md", "md"), (".xlsx", "xlsx")] where raw.hasSuffix(suffix) {
                guard let id = UUID(uuidString: String(raw.dropLast(suffix.count))) else { break }
                return try await reportFile(req, id: id, format: format)
            }
            return try await reportPage(req, id: try req.pathUUID("id"))
        }
        pages.post("projects", ":key", "reports", ":id") { req async throws -> Response in try await update(req) }
        pages.post("projects", ":key", "reports", ":id", "issue") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            do {
                _ = try await req.store.issueStatusReport(caller, key: key, id: id, expectedVersion: Int(f["version"] ?? ""))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await reportPage(req, id: id, error: e, status: status(e))
            }
            return req.redirect(to: path(key, id))
        }
        pages.post("projects", ":key", "reports", ":id", "correct") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            let draft: StatusReportView
            do {
                draft = try await req.store.correctStatusReport(caller, key: key, id: id)
            } catch let e as DomainError where e.kind == .conflict {
                return try await reportPage(req, id: id, error: e, status: .conflict)
            }
            return req.redirect(to: path(key, draft.id))
        }
        pages.post("projects", ":key", "reports", ":id", "delete") { req async throws -> Response in
            let (caller, key, _) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            do {
                try await req.store.deleteStatusReport(caller, key: key, id: id)
            } catch let e as DomainError where e.kind == .conflict {
                return try await reportPage(req, id: id, error: e, status: .conflict)
            }
            return req.redirect(to: "/projects/\(key)/reports")
        }
        pages.get("portfolio") { req async throws -> Response in try await portfolioPage(req) }
        pages.get("projects", ":key", "kickoff") { req async throws -> Response in try await kickoffPage(req) }
        pages.get("projects", ":key", "kickoff.md") { req async throws -> Response in
            let key = try req.projectKey()
            let pack = try await req.store.kickoffPack(try req.pageCaller(), key: key)
            return req.reportDownload(Data(MeetingMarkdown.kickoff(pack, lang: req.locale).utf8), type: .reportMarkdown, name: "\(key)-kickoff.md")
        }
        pages.get("projects", ":key", "kickoff.xlsx") { req async throws -> Response in
            let key = try req.projectKey()
            let pack = try await req.store.kickoffPack(try req.pageCaller(), key: key)
            return req.reportDownload(try XLSXWriter.write(MeetingWorkbook.kickoff(pack, lang: req.locale)), type: .reportXLSX,
                                      name: "\(key)-kickoff.xlsx")
        }
    }

    static func path(_ key: String, _ id: UUID) -> String { "/projects/\(key)/reports/\(id.uuidString.lowercased())" }

    static func status(_ e: DomainError) -> HTTPResponseStatus {
        switch e.kind {
        case .invalid: .unprocessableEntity
        case .conflict: .conflict
        case .forbidden: .forbidden
        default: .badRequest
        }
    }

    // MARK: The list

    static func listPage(_ req: Request, error: DomainError? = nil, posted: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let reports = try await req.store.statusReports(caller, key: key)
        let context = try await req.pageProjectContext(caller, key: key)
        let w = ReportWords(req)
        let (today, _) = req.today(for: caller)
        let k = HTML.e(key)
        var h = HTML()
        h.raw("<div class=\"head\"><h1>\(HTML.e(w["page.report.weekly_status_reports"]))</h1><div class=\"actions noprint\">")
        h.raw("<a class=\"button secondary\" href=\"/projects/\(k)/kickoff\">\(HTML.e(w["doc.kickoff"]))</a>")
        h.raw("<a class=\"button secondary\" href=\"/portfolio\">\(HTML.e(w["page.report.portfolio"]))</a></div></div>")
        if let error { ReportHTML.errorBox(&h, error, w) }
        if error?.code == "report.exists", let date = posted.flatMap({ CalendarDate(iso: $0) }),
           let issued = reports.first(where: { $0.statusDate == date && $0.state == .issued }) {
            h.raw("<p class=\"card notice\" id=\"existing\"><a href=\"\(HTML.e(path(key, issued.id)))\">")
            h.t(w("\(date) の発行済みの報告を開く（「訂正」はそのページにあります）", "Open the issued report of \(date) (Correct is on that page)"))
            h.raw("</a></p>")
        }
        if MeetingAccess.canEditReports(context.actor) {
            h.raw("<section class=\"card noprint\"><form method=\"post\" action=\"/projects/\(k)/reports\" class=\"inline-form\" id=\"new-report\">")
            h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(PlanPages.csrf(req))\">")
            h.raw("<label>\(HTML.e(w["status.status_date"]))<input type=\"date\" name=\"statusDate\" required value=\"\(HTML.e(posted ?? today.description))\"></label>")
            h.raw("<button>\(HTML.e(w["page.report.start_the_report_for_this_date"]))</button></form>")
            h.raw("<p class=\"muted\">\(HTML.e(w["page.report.a_draft_is_computed_from_the_current"]))</p></section>")
        }
        h.raw("<section class=\"card\">")
        if reports.isEmpty {
            h.raw("<p class=\"muted\" id=\"reports\">\(HTML.e(w["page.report.there_is_no_status_report_yet"]))</p>")
        } else {
            h.raw("<table class=\"list\" id=\"reports\"><thead><tr><th>\(HTML.e(w["status.status_date"]))</th><th>\(HTML.e(w["status.state"]))</th><th>\(HTML.e(w["status.overall"]))</th><th>\(HTML.e(w["page.report.issued_at"]))</th><th class=\"noprint\"></th></tr></thead><tbody>")
            for (i, r) in reports.enumerated() {
                let id = r.id.uuidString.lowercased()
                h.raw("<tr id=\"r-\(id)\" data-state=\"\(r.state.rawValue)\"><td class=\"date\"><a href=\"/projects/\(k)/reports/\(id)\">\(r.statusDate)</a></td>")
                h.raw("<td>\(ReportHTML.stateChip(r.state, w))</td><td>")
                if let overall = r.overall {
                    h.raw(ReportHTML.chip(overall, w))
                } else {
                    h.raw("<span class=\"muted\">\(HTML.e(w["page.report.computed_when_opened"]))</span>")
                }
                h.raw("</td><td class=\"date\">\(HTML.e(r.issuedAt.map { Formatting.instant($0, zone: caller.timeZone) } ?? "–"))</td><td class=\"noprint\">")
                if let older = reports[(i + 1)...].first(where: { $0.state == .issued && $0.statusDate < r.statusDate }) {
                    h.raw("<a href=\"/projects/\(k)/reports/compare?a=\(older.id.uuidString.lowercased())&amp;b=\(id)\">\(HTML.e(w["page.report.compare_with_previous"]))</a>")
                }
                h.raw("</td></tr>")
            }
            h.raw("</tbody></table>")
        }
        h.raw("</section>")
        if reports.count >= 2 { compareForm(&h, key: key, reports: reports, a: nil, b: nil, w) }
        return try await req.renderReportPage(h, title: w["page.report.weekly_status_reports"], project: context.project,
                                              section: "reports", status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let (caller, key, f) = try PlanPages.formContext(req)
        let text = (f["statusDate"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            guard let date = CalendarDate(iso: text) else {
                throw DomainError.invalid("report.invalid_date", [FieldError(field: "statusDate", code: "invalid_date",
                                                                             message: "Enter the status date as YYYY-MM-DD (got \"\(text)\").")])
            }
            let view = try await req.store.createStatusReport(caller, key: key, statusDate: date, today: req.today(for: caller).0)
            return req.redirect(to: path(key, view.id))
        } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
            return try await listPage(req, error: e, posted: text, status: status(e))
        }
    }

    // MARK: One report

    static func reportPage(_ req: Request, id: UUID, error: DomainError? = nil, posted: [String: String]? = nil,
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.statusReport(caller, key: key, id: id)
        let context = try await req.pageProjectContext(caller, key: key)
        let list = try await req.store.statusReports(caller, key: key)
        let w = ReportWords(req)
        let c = view.content
        let k = HTML.e(key)
        let base = path(key, id)
        let title = "\(key) \(w["doc.status_report"]) \(c.statusDate)"
        var h = HTML()
        h.raw("<article class=\"report-doc\" id=\"report\" data-state=\"\(view.state.rawValue)\">")
        h.raw("<div class=\"head\"><div><h1>")
        h.t("\(c.projectKey) \(c.projectName): \(w["doc.status_report"]) \(c.statusDate)")
        h.raw("</h1><p class=\"muted\" id=\"report-state\">\(ReportHTML.stateChip(view.state, w))")
        if let at = view.issuedAt {
            h.t(" " + w["page.report.issued"] + " " + Formatting.instant(at, zone: caller.timeZone))
            if let by = view.issuedBy { h.t(w("（\(by)）", " by \(by)")) }
        }
        h.raw("</p></div><div class=\"actions noprint\">")
        h.raw("<a class=\"button secondary\" id=\"download-md\" href=\"\(HTML.e(base)).md\">Markdown</a>")
        h.raw("<a class=\"button secondary\" id=\"download-xlsx\" href=\"\(HTML.e(base)).xlsx\">Excel</a>")
        if let previous = list.first(where: { $0.state == .issued && $0.statusDate < c.statusDate && $0.id != id }) {
            h.raw("<a class=\"button secondary\" href=\"/projects/\(k)/reports/compare?a=\(previous.id.uuidString.lowercased())&amp;b=\(id.uuidString.lowercased())\">\(HTML.e(w["page.report.compare_with_previous"]))</a>")
        }
        h.raw("<a class=\"button secondary\" href=\"/projects/\(k)/reports\">\(HTML.e(w["page.report.all_reports"]))</a></div></div>")

        if view.state == .superseded || view.supersededByID != nil {
            h.raw("<section class=\"card warn banner\" id=\"superseded\" role=\"note\"><b>")
            h.t(w["page.report.this_report_has_been_superseded_by_a"])
            h.raw("</b>")
            if let newer = view.supersededByID {
                h.raw(" <a href=\"\(HTML.e(path(key, newer)))\">\(HTML.e(w["page.report.see_the_correction"]))</a>")
            }
            h.raw("</section>")
        }
        if let older = view.supersedesID {
            h.raw("<p class=\"card notice\" id=\"correction\">")
            h.t(w["page.report.this_report_corrects_an_issued_report"])
            h.raw(" <a href=\"\(HTML.e(path(key, older)))\">\(HTML.e(w["page.report.the_report_it_corrects"]))</a></p>")
        }
        if view.state == .draft {
            h.raw("<p class=\"card notice noprint\" id=\"draft-note\">")
            h.t(w["page.report.draft_computed_from_live_data_every_time"])
            h.raw("</p>")
        }
        if let error { ReportHTML.errorBox(&h, error, w) }

        // Overall and the areas.
        h.raw("<section class=\"card\" id=\"status\"><h2>\(HTML.e(w["status.overall"]))</h2>")
        if let overall = c.area(.overall) {
            h.raw("<div class=\"overall\" id=\"area-overall\" data-rag=\"\(overall.rag.rawValue)\"><span class=\"overall-chip\">\(ReportHTML.chip(overall.rag, w))</span>")
            ReportHTML.reasons(&h, overall, w)
            h.raw("</div>")
        }
        h.raw("<h3>\(HTML.e(w["status.areas"]))</h3>")
        ReportHTML.areas(&h, c, w)
        h.raw("</section>")

        ReportHTML.progress(&h, c.metrics, w)
        h.raw("<section class=\"card\"><h2>\(HTML.e(w["status.milestones"]))</h2>")
        ReportHTML.milestones(&h, c.metrics.milestones, w)
        h.raw("</section><section class=\"card\"><h2>\(HTML.e(w["status.top_issues"]))</h2>")
        ReportHTML.items(&h, c.topIssues, req, w, id: "top-issues")
        h.raw("<h2>\(HTML.e(w["status.top_risks"]))</h2>")
        ReportHTML.items(&h, c.topRisks, req, w, id: "top-risks")
        h.raw("</section><section class=\"card\"><h2>\(HTML.e(w["status.decisions_needed"]))</h2>")
        ReportHTML.items(&h, c.decisionsNeeded, req, w, id: "decisions", decider: true)
        h.raw("</section><section class=\"card\" id=\"texts\">")
        for (key, text, id) in [("status.work_done", c.done, "done"), ("status.work_next", c.next, "next"), ("status.comment", c.comment, "comment")] {
            h.raw("<h2>\(HTML.e(w[key]))</h2>")
            ReportHTML.prose(&h, text, w, id: id)
        }
        h.raw("</section>")

        // Charts: the S-curve from the stored points; the live charts only for a draft.
        h.raw("<section class=\"card charts\" id=\"charts\"><h2>\(HTML.e(w["status.chart"]))</h2>")
        if c.curve.isEmpty {
            h.raw("<p class=\"muted\" id=\"scurve\">\(HTML.e(w["page.report.no_earned_value_data_no_plan_or_baseline"]))</p>")
        } else {
            h.raw("<div class=\"chart\" id=\"scurve\">\(StatusCharts.sCurve(c, lang: w.lang))</div>")
        }
        if view.state == .draft {
            h.raw("<div class=\"chart-row\"><div class=\"chart heatmap\" id=\"heatmap\">\(try await heatMap(req, caller: caller, key: key))</div>")
            let points = try await burnDown(req, caller: caller, key: key, until: c.statusDate)
            h.raw("<div class=\"chart\" id=\"burndown\">\(BurnDownChart.svg(points: points, title: w["page.report.issue_burn_down"], lang: w.lang))</div></div>")
        } else {
            h.raw("<p class=\"muted\" id=\"live-charts-note\">")
            h.t(w["page.report.the_risk_heat_map_and_the_issue_burn"])
            h.raw("</p>")
        }
        h.raw("</section>")

        ReportHTML.since(&h, view.comparison, w)

        if view.canEdit { editForms(&h, req, view, base: base, posted: posted, w) }
        if view.state == .issued && MeetingAccess.canEditReports(context.actor) {
            h.raw("<section class=\"card noprint\" id=\"correct\"><form method=\"post\" action=\"\(HTML.e(base))/correct\" class=\"inline-form\" id=\"correct-form\">")
            h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(PlanPages.csrf(req))\"><button>\(HTML.e(w["page.report.correct"]))</button>")
            h.raw("<span class=\"muted\">\(HTML.e(w["page.report.an_issued_report_never_changes_this"]))</span></form></section>")
        }
        h.raw("</article>")
        return try await req.renderReportPage(h, title: title, project: context.project, section: "reports", status: status)
    }

    /// The draft's forms: the PMO's overrides (colour and reason per area), the texts, then Issue and Delete.
    static func editForms(_ h: inout HTML, _ req: Request, _ view: StatusReportView, base: String, posted: [String: String]?, _ w: ReportWords) {
        let c = view.content
        let token = PlanPages.csrf(req)
        h.raw("<section class=\"card noprint\" id=\"edit\"><h2>\(HTML.e(w["page.report.edit_the_report"]))</h2>")
        h.raw("<form method=\"post\" action=\"\(HTML.e(base))\" id=\"edit-form\" class=\"report-form\">")
        h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"version\" value=\"\(view.version)\">")
        if view.canOverride {
            h.raw("<input type=\"hidden\" name=\"withOverrides\" value=\"1\"><fieldset class=\"overrides\"><legend>\(HTML.e(w["status.override"]))</legend>")
            h.raw("<p class=\"muted\">\(HTML.e(w["page.report.to_override_a_computed_colour_choose_the"]))</p>")
            h.raw("<table class=\"list\" id=\"override-table\"><thead><tr><th>\(HTML.e(w["status.area"]))</th><th>\(HTML.e(w["status.computed"]))</th><th>\(HTML.e(w["status.override"]))</th><th>\(HTML.e(w["status.override_reason"]))</th></tr></thead><tbody>")
            for area in StatusArea.allCases {
                guard let a = c.area(area) else { continue }
                let stored = view.overrides.first { $0.area == area }
                let chosen = posted?["override.\(area.rawValue)"] ?? stored?.rag.rawValue ?? ""
                let reason = posted?["reason.\(area.rawValue)"] ?? stored?.reason ?? ""
                h.raw("<tr><th scope=\"row\"><label for=\"override-\(area.rawValue)\">\(HTML.e(w.area(area)))</label></th><td>\(ReportHTML.chip(a.computed, w))</td>")
                h.raw("<td><select name=\"override.\(area.rawValue)\" id=\"override-\(area.rawValue)\"><option value=\"\">\(HTML.e(w["page.report.no_override"]))</option>")
                for rag in [RAG.red, .amber, .green] {
                    h.raw("<option value=\"\(rag.rawValue)\"\(chosen == rag.rawValue ? " selected" : "")>\(HTML.e(w.rag(rag)))</option>")
                }
                h.raw("</select></td><td><input name=\"reason.\(area.rawValue)\" maxlength=\"2000\" value=\"\(HTML.e(reason))\" aria-label=\"\(HTML.e(w["status.override_reason"] + " " + w.area(area)))\"></td></tr>")
            }
            h.raw("</tbody></table></fieldset>")
        } else if !view.overrides.isEmpty {
            h.raw("<p class=\"muted\">\(HTML.e(w["page.report.only_the_pmo_changes_overrides"]))</p>")
        }
        for (name, label, value) in [("done", w["status.work_done"], c.done), ("next", w["status.work_next"], c.next), ("comment", w["status.comment"], c.comment)] {
            h.raw("<label>\(HTML.e(label))<textarea name=\"\(name)\" rows=\"4\" maxlength=\"\(StatusReportRules.textMax)\">")
            h.t(posted?[name] ?? value)
            h.raw("</textarea></label>")
        }
        h.raw("<div class=\"actions\"><button>\(HTML.e(w["page.report.save"]))</button></div></form>")
        h.raw("<form method=\"post\" action=\"\(HTML.e(base))/issue\" class=\"inline-form\" id=\"issue-form\">")
        h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><input type=\"hidden\" name=\"version\" value=\"\(view.version)\">")
        h.raw("<button>\(HTML.e(w["page.report.issue"]))</button><span class=\"muted\">\(HTML.e(w["page.report.issues_the_saved_report_an_issued_report"]))</span></form>")
        h.raw("<form method=\"post\" action=\"\(HTML.e(base))/delete\" class=\"inline-form\" id=\"delete-form\">")
        h.raw("<input type=\"hidden\" name=\"_csrf\" value=\"\(token)\"><button class=\"link danger\">\(HTML.e(w["page.report.delete_this_draft"]))</button></form>")
        h.raw("</section>")
    }

    static func update(_ req: Request) async throws -> Response {
        let (caller, key, f) = try PlanPages.formContext(req)
        let id = try req.pathUUID("id")
        var overrides: [StatusOverride]?
        if f["withOverrides"] == "1" {
            overrides = StatusArea.allCases.compactMap { area in
                guard let rag = RAG(rawValue: f["override.\(area.rawValue)"] ?? ""), rag != .grey else { return nil }
                return StatusOverride(area: area, rag: rag, reason: (f["reason.\(area.rawValue)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        func text(_ name: String) -> String? { f[name].map { $0.replacingOccurrences(of: "\r\n", with: "\n") } }
        do {
            _ = try await req.store.updateStatusReport(caller, key: key, id: id, expectedVersion: Int(f["version"] ?? ""), overrides: overrides,
                                                       comment: text("comment"), done: text("done"), next: text("next"))
        } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict || (e.kind == .forbidden && e.code == "report.override_forbidden") {
            return try await reportPage(req, id: id, error: e, posted: f, status: status(e))
        }
        return req.redirect(to: path(key, id))
    }

    /// The report as Markdown or a workbook, with the week-to-week section.
    static func reportFile(_ req: Request, id: UUID, format: String) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.statusReport(caller, key: key, id: id)
        let name = "\(key)-status-\(view.content.statusDate)\(view.state == .draft ? "-draft" : "")"
        if format == "md" {
            let text = MeetingMarkdown.statusReport(view.content, comparison: view.comparison, lang: req.locale)
            return req.reportDownload(Data(text.utf8), type: .reportMarkdown, name: name + ".md")
        }
        return req.reportDownload(try XLSXWriter.write(MeetingWorkbook.statusReport(view.content, lang: req.locale)), type: .reportXLSX,
                                  name: name + ".xlsx")
    }

    // MARK: Live charts of a draft

    /// The open risks on the 5×5 heat map, as the caller may see them.
    static func heatMap(_ req: Request, caller: Caller, key: String) async throws -> String {
        let risks = try await req.store.allRegisterItems(caller, key: key, kind: .risk).filter { !$0.isFinished }
        let counts = RiskHeatMap.counts(of: risks.compactMap { v in
            guard let p = v.fields.details["probability"]?.integer, let i = RegisterRules.impact(v.fields.details) else { return nil }
            return (probability: p, impact: i)
        })
        return RiskHeatMap.svg(counts: counts, words: .init(title: req.label("heat_map"), probability: req.label("probability"), impact: req.label("impact")))
    }

    /// Open issues week by week up to `until`: raised the day an issue was created, closed the day it last moved to
    /// resolved or closed (from the audit trail).
    static func burnDown(_ req: Request, caller: Caller, key: String, until: CalendarDate) async throws -> [BurnDownChart.Point] {
        let zone = TimeZones.named(caller.timeZone)
        var opened: [CalendarDate] = [], closed: [CalendarDate] = []
        for life in try await req.store.issueLifetimes(caller, key: key) {
            opened.append(CalendarDate(life.raised, in: zone))
            if let c = life.closed { closed.append(CalendarDate(c, in: zone)) }
        }
        guard let first = opened.min(), first <= until else { return [] }
        var dates: [CalendarDate] = []
        var d = until
        while dates.count < 52 {
            dates.append(d)
            if d < first { break }
            d = d.adding(days: -7)
        }
        return BurnDownChart.points(opened: opened, closed: closed, dates: dates.reversed())
    }

    // MARK: Comparing two reports

    static func compareForm(_ h: inout HTML, key: String, reports: [StatusReportSummary], a: UUID?, b: UUID?, _ w: ReportWords) {
        h.raw("<section class=\"card noprint\"><form method=\"get\" action=\"/projects/\(HTML.e(key))/reports/compare\" class=\"inline-form\" id=\"compare-form\">")
        for (name, chosen, label) in [("a", a, w["page.report.from"]), ("b", b, w["page.report.to"])] {
            h.raw("<label>\(HTML.e(label))<select name=\"\(name)\">")
            for r in reports {
                let id = r.id.uuidString.lowercased()
                h.raw("<option value=\"\(id)\"\(r.id == chosen ? " selected" : "")>\(r.statusDate) · \(HTML.e(w.state(r.state)))</option>")
            }
            h.raw("</select></label>")
        }
        h.raw("<button>\(HTML.e(w["page.report.compare_side_by_side"]))</button></form></section>")
    }

    static func comparePage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let reports = try await req.store.statusReports(caller, key: key)
        let context = try await req.pageProjectContext(caller, key: key)
        let w = ReportWords(req)
        func id(_ name: String) -> UUID? { UUID(uuidString: (try? req.query.get(String.self, at: name)) ?? "") }
        let a = id("a"), b = id("b")
        var h = HTML()
        let title = w["page.report.status_reports_side_by_side"]
        h.raw("<div class=\"head\"><h1>\(HTML.e(title))</h1><a class=\"button secondary noprint\" href=\"/projects/\(HTML.e(key))/reports\">\(HTML.e(w["page.report.all_reports"]))</a></div>")
        compareForm(&h, key: key, reports: reports, a: a, b: b, w)
        if let a, let b {
            let va = try await req.store.statusReport(caller, key: key, id: a)
            let vb = try await req.store.statusReport(caller, key: key, id: b)
            let sides = [va, vb]
            h.raw("<article class=\"report-doc\"><div class=\"table-wrap\"><table class=\"list compare\" id=\"compare\"><thead><tr><th></th>")
            for v in sides {
                h.raw("<th><a href=\"\(HTML.e(path(key, v.id)))\">\(v.content.statusDate)</a> \(ReportHTML.stateChip(v.state, w))</th>")
            }
            h.raw("</tr></thead><tbody>")
            for area in StatusArea.allCases {
                h.raw("<tr id=\"cmp-\(area.rawValue)\"><th scope=\"row\">\(HTML.e(w.area(area)))</th>")
                for v in sides {
                    h.raw("<td>")
                    if let s = v.content.area(area) {
                        h.raw(ReportHTML.chip(s.rag, w))
                        ReportHTML.reasons(&h, s, w)
                    } else {
                        h.raw("–")
                    }
                    h.raw("</td>")
                }
                h.raw("</tr>")
            }
            let rows: [(String, (StatusMetrics) -> String)] = [
                ("metric.plannedPercent", { ReportHTML.percent($0.plannedPercent) }), ("metric.earnedPercent", { ReportHTML.percent($0.earnedPercent) }),
                ("metric.spi", { ReportHTML.ratio($0.spi) }), ("metric.cpi", { ReportHTML.ratio($0.cpi) }),
                ("metric.eac", { ReportHTML.yen($0.eac) }), ("metric.bac", { ReportHTML.yen($0.bac) }),
                ("metric.openIssues", { String($0.openIssues) }), ("metric.openRisks", { String($0.openRisks) }),
                ("metric.risksAboveThreshold", { String($0.risksAboveThreshold) }), ("metric.changesPending", { String($0.changesPending) }),
            ]
            for (label, value) in rows {
                h.raw("<tr><th scope=\"row\">\(HTML.e(w[label]))</th>")
                for v in sides { h.raw("<td class=\"num\">\(HTML.e(value(v.content.metrics)))</td>") }
                h.raw("</tr>")
            }
            let lists: [(String, (StatusReportContent) -> [ReportItem])] = [
                ("status.top_issues", { $0.topIssues }), ("status.top_risks", { $0.topRisks }), ("status.decisions_needed", { $0.decisionsNeeded }),
            ]
            for (label, list) in lists {
                h.raw("<tr><th scope=\"row\">\(HTML.e(w[label]))</th>")
                for v in sides {
                    h.raw("<td><ul class=\"lines\">")
                    for i in list(v.content) {
                        h.raw("<li><span class=\"ref\">")
                        h.t(i.reference)
                        h.raw("</span> ")
                        h.t(i.title)
                        h.raw("</li>")
                    }
                    h.raw("</ul></td>")
                }
                h.raw("</tr>")
            }
            let texts: [(String, (StatusReportContent) -> String)] = [
                ("status.work_done", { $0.done }), ("status.work_next", { $0.next }), ("status.comment", { $0.comment }),
            ]
            for (label, text) in texts {
                h.raw("<tr><th scope=\"row\">\(HTML.e(w[label]))</th>")
                for v in sides {
                    h.raw("<td class=\"prose\">")
                    h.t(text(v.content))
                    h.raw("</td>")
                }
                h.raw("</tr>")
            }
            h.raw("</tbody></table></div>")
            let (earlier, later) = (va.content.statusDate, va.createdAt) <= (vb.content.statusDate, vb.createdAt) ? (va, vb) : (vb, va)
            ReportHTML.since(&h, StatusComparison.compare(previous: earlier.content, current: later.content), w, id: "changes",
                             title: w("\(earlier.content.statusDate) から \(later.content.statusDate) への変化", "From \(earlier.content.statusDate) to \(later.content.statusDate)"))
            h.raw("</article>")
        }
        return try await req.renderReportPage(h, title: title, project: context.project, section: "reports")
    }

    // MARK: Portfolio

    static func portfolioPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let rows = try await req.store.portfolio(caller)
        let w = ReportWords(req)
        let title = w["page.report.portfolio"]
        var h = HTML()
        h.raw("<div class=\"portfolio-doc\"><div class=\"head\"><h1>\(HTML.e(title))</h1><span class=\"muted\">")
        h.t(w["page.report.each_project_s_latest_issued_status"])
        h.raw("</span></div>")
        if rows.isEmpty {
            h.raw("<p class=\"card muted\" id=\"portfolio\">\(HTML.e(w["page.report.there_is_no_project_whose_status_reports"]))</p></div>")
            return try await req.renderReportPage(h, title: title, project: nil, section: "portfolio")
        }
        h.raw("<div class=\"table-wrap\"><table class=\"list portfolio\" id=\"portfolio\"><thead><tr><th>\(HTML.e(w["page.report.project"]))</th><th>\(HTML.e(w["page.report.phase"]))</th><th>\(HTML.e(w["status.status_date"]))</th>")
        for area in StatusArea.allCases { h.raw("<th>\(HTML.e(w.area(area)))</th>") }
        h.raw("</tr></thead><tbody>")
        for r in rows {
            let k = HTML.e(r.projectKey)
            h.raw("<tr id=\"p-\(k)\"><td><a class=\"pkey\" href=\"/projects/\(k)/reports\">\(k)</a> ")
            h.t(r.projectName)
            h.raw("</td><td>")
            h.t(req.label("phase.\(r.phase)") == "phase.\(r.phase)" ? r.phase : req.label("phase.\(r.phase)"))
            h.raw("</td>")
            guard let latest = r.latest else {
                h.raw("<td colspan=\"\(StatusArea.allCases.count + 1)\" class=\"muted no-report\">\(HTML.e(w["page.report.no_issued_status_report_yet"]))</td></tr>")
                continue
            }
            h.raw("<td class=\"date\">\(latest.statusDate)")
            if let at = r.latestIssuedAt { h.raw("<br><span class=\"muted\">\(HTML.e(w["page.report.issued_2"])) \(HTML.e(Formatting.instant(at, zone: caller.timeZone)))</span>") }
            h.raw("</td>")
            for area in StatusArea.allCases {
                guard let a = latest.area(area) else { h.raw("<td>–</td>"); continue }
                let change = r.comparison?.areas.first { $0.area == area }
                let title = a.reasons.map(w.reason).joined(separator: "; ")
                h.raw("<td class=\"area-\(area.rawValue)\" data-rag=\"\(a.rag.rawValue)\" title=\"\(HTML.e(title))\">\(ReportHTML.chip(a.rag, w))")
                if let change, change.from != nil { h.raw(" " + ReportHTML.trend(change.trend, w, compact: true)) }
                if a.override != nil { h.raw(" <span class=\"override-mark\" title=\"\(HTML.e(a.overrideReason ?? ""))\">\(HTML.e(w["page.report.pmo"]))</span>") }
                h.raw("</td>")
            }
            h.raw("</tr>")
        }
        h.raw("</tbody></table></div><p class=\"muted\">")
        h.t(w["page.report.arrows_show_the_change_since_the_report"])
        h.raw("</p></div>")
        return try await req.renderReportPage(h, title: title, project: nil, section: "portfolio")
    }

    // MARK: Kickoff pack

    static func kickoffPage(_ req: Request) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let pack = try await req.store.kickoffPack(caller, key: key)
        let context = try await req.pageProjectContext(caller, key: key)
        let plan = try await req.store.plan(caller, key: key)
        let w = ReportWords(req)
        let k = HTML.e(key)
        let title = "\(key) \(w["doc.kickoff"])"
        var h = HTML()
        h.raw("<article class=\"report-doc kickoff\" id=\"kickoff\"><div class=\"head\"><h1>")
        h.t("\(pack.projectKey) \(pack.projectName): \(w["doc.kickoff"])")
        h.raw("</h1><div class=\"actions noprint\"><a class=\"button secondary\" href=\"/projects/\(k)/kickoff.md\">Markdown</a><a class=\"button secondary\" href=\"/projects/\(k)/kickoff.xlsx\">Excel</a></div></div>")

        h.raw("<section class=\"card\" id=\"overview\"><h2>\(HTML.e(w["kickoff.overview"]))</h2><dl class=\"facts pairs\">")
        for (label, value) in [("kickoff.project_key", pack.projectKey), ("kickoff.project_name", pack.projectName),
                               ("kickoff.business_owner", pack.businessOwner),
                               ("kickoff.phase", req.label("phase.\(pack.phase)") == "phase.\(pack.phase)" ? pack.phase : req.label("phase.\(pack.phase)")),
                               ("kickoff.start", ReportHTML.date(pack.startDate)), ("kickoff.target", ReportHTML.date(pack.targetDate))] {
            h.raw("<dt>\(HTML.e(w[label]))</dt><dd>")
            h.t(value.isEmpty ? "–" : value)
            h.raw("</dd>")
        }
        h.raw("</dl><h3>\(HTML.e(w["kickoff.purpose"]))</h3>")
        ReportHTML.prose(&h, pack.purpose, w, id: "purpose")
        h.raw("</section>")

        h.raw("<section class=\"card\" id=\"scope\"><h2>\(HTML.e(w["kickoff.scope"]))</h2>")
        bullets(&h, pack.scope, w, id: "scope-list")
        h.raw("<h2>\(HTML.e(w["kickoff.systems"]))</h2>")
        bullets(&h, pack.systems, w, id: "systems")
        h.raw("</section>")

        // Who is who, by company.
        h.raw("<section class=\"card\" id=\"members\"><h2>\(HTML.e(w["kickoff.members"]))</h2>")
        if pack.members.isEmpty { h.raw("<p class=\"muted\">\(HTML.e(w["meeting.none"]))</p>") }
        var companies: [String] = []
        for m in pack.members where !companies.contains(m.company) { companies.append(m.company) }
        h.raw("<div class=\"companies\">")
        for (n, company) in companies.enumerated() {
            h.raw("<div class=\"company\" id=\"company-\(n + 1)\"><h3>")
            h.t(company.isEmpty ? w["page.report.no_company"] : company)
            h.raw("</h3><table class=\"list\"><thead><tr><th>\(HTML.e(w["kickoff.name"]))</th><th>\(HTML.e(w["kickoff.role"]))</th></tr></thead><tbody>")
            for m in pack.members where m.company == company {
                h.raw("<tr><td>")
                h.t(m.name)
                h.raw("</td><td><span class=\"role\">\(HTML.e(w.role(m.role)))</span></td></tr>")
            }
            h.raw("</tbody></table></div>")
        }
        h.raw("</div></section>")

        h.raw("<section class=\"card\" id=\"phases\"><h2>\(HTML.e(w["kickoff.phases"]))</h2>")
        if pack.phases.isEmpty {
            h.raw("<p class=\"muted\">\(HTML.e(w["meeting.none"]))</p>")
        } else {
            h.raw("<table class=\"list\"><thead><tr><th>\(HTML.e(w["kickoff.phase_name"]))</th><th>\(HTML.e(w["kickoff.definition"]))</th><th>\(HTML.e(w["kickoff.exit"]))</th><th>\(HTML.e(w["kickoff.start"]))</th><th>\(HTML.e(w["kickoff.finish"]))</th></tr></thead><tbody>")
            for p in pack.phases {
                h.raw("<tr><td><b>")
                h.t(p.name)
                h.raw("</b></td><td>")
                h.t(p.definition)
                h.raw("</td><td>")
                h.t(p.exitCriteria)
                h.raw("</td><td class=\"date\">\(ReportHTML.date(p.start))</td><td class=\"date\">\(ReportHTML.date(p.finish))</td></tr>")
            }
            h.raw("</tbody></table>")
        }
        h.raw("</section>")

        // The master schedule: milestones and the top-level WBS rows.
        h.raw("<section class=\"card\" id=\"master-schedule\"><h2>\(HTML.e(w["page.report.master_schedule"]))</h2><h3>\(HTML.e(w["status.milestones"]))</h3>")
        ReportHTML.milestones(&h, pack.milestones, w, id: "kickoff-milestones")
        if !plan.rows.isEmpty {
            let options = PlanChartPages.GanttOptions(scale: .month, level: 1, baseline: plan.snapshot.baselines.last?.number, collapsed: [])
            h.raw("<div class=\"gantt\" id=\"kickoff-gantt\">")
            h.raw(GanttChart.svg(PlanChartPages.gantt(req, plan, options: options, title: w["page.report.master_schedule_top_level_wbs"],
                                                      only: { $0.level == 1 })))
            h.raw("</div>")
        }
        h.raw("</section>")

        h.raw("<section class=\"card\" id=\"issues-risks\"><h2>\(HTML.e(w["kickoff.issues_risks"]))</h2><h3>\(HTML.e(w["status.top_issues"]))</h3>")
        ReportHTML.items(&h, pack.topIssues, req, w, id: "kickoff-issues")
        h.raw("<h3>\(HTML.e(w["status.top_risks"]))</h3>")
        ReportHTML.items(&h, pack.topRisks, req, w, id: "kickoff-risks")
        h.raw("</section>")

        h.raw("<section class=\"card\" id=\"meetings\"><h2>\(HTML.e(w["kickoff.meetings"]))</h2>")
        if pack.meetings.isEmpty {
            h.raw("<p class=\"muted\">\(HTML.e(w["meeting.none"]))</p>")
        } else {
            h.raw("<table class=\"list\"><thead><tr><th>\(HTML.e(w["kickoff.meeting"]))</th><th>\(HTML.e(w["kickoff.meeting_purpose"]))</th><th>\(HTML.e(w["meeting.chair"]))</th><th>\(HTML.e(w["kickoff.frequency"]))</th><th>\(HTML.e(w["kickoff.time"]))</th><th>\(HTML.e(w["kickoff.first"]))</th><th>\(HTML.e(w["kickoff.attendees"]))</th></tr></thead><tbody>")
            for m in pack.meetings {
                let r = m.recurrence
                h.raw("<tr><td><b>")
                h.t(m.name)
                h.raw("</b></td><td>")
                h.t(m.purpose)
                h.raw("</td><td>")
                h.t(m.chair ?? "–")
                h.raw("</td><td>\(HTML.e(w.frequency(r.intervalWeeks)))</td><td class=\"date\">")
                h.t("\(w.weekday(m.weekday)) \(MeetingWords.timeRange(start: r.startMinutes, duration: r.durationMinutes))")
                h.raw("</td><td class=\"date\">\(r.firstDate)</td><td>")
                h.t(m.attendees.joined(separator: w.ja ? "、" : ", "))
                h.raw("</td></tr>")
            }
            h.raw("</tbody></table>")
        }
        h.raw("</section>")

        h.raw("<section class=\"card\" id=\"reporting\"><h2>\(HTML.e(w["kickoff.reporting"]))</h2><ul>")
        h.raw("<li>\(HTML.e(w["page.report.weekly_status_report_the_pm_drafts_it"]))</li>")
        h.raw("<li>\(HTML.e(w["page.report.registers_kept_issues_risks_decisions_q"]))</li>")
        if let last = pack.lastReportDate {
            h.raw("<li id=\"last-report\">\(HTML.e(w["kickoff.last_report"])): <a href=\"/projects/\(k)/reports\">\(last)</a></li>")
        } else if MeetingAccess.canReadReports(context.actor) {
            h.raw("<li id=\"last-report\">\(HTML.e(w["kickoff.no_report"]))</li>")
        }
        h.raw("</ul></section></article>")
        return try await req.renderReportPage(h, title: title, project: context.project, section: "reports")
    }

    static func bullets(_ h: inout HTML, _ list: [String], _ w: ReportWords, id: String) {
        if list.isEmpty {
            h.raw("<p class=\"muted\" id=\"\(id)\">\(HTML.e(w["meeting.none"]))</p>")
            return
        }
        h.raw("<ul id=\"\(id)\">")
        for s in list {
            h.raw("<li>")
            h.t(s)
            h.raw("</li>")
        }
        h.raw("</ul>")
    }
}
