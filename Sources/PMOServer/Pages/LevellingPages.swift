import Foundation
import PMOCore
import PMOStore
import Vapor

/// Levelling as pages: a plan's levelling page (propose for this plan, its scenarios, its priority, clearing its
/// delays), proposing across projects from the overload map, a scenario beside the current plans, apply (baseline
/// first) and discard; and an activity's resources.
enum LevellingPages {
    struct ProjectData {
        var key: String
        var view: PlanView
        var scenarios: [LevellingScenario]
        var priority: Int
        var error: String?
    }

    struct ScenarioData {
        var scenario: LevellingScenario
        /// The baseline numbers in use in each project of the scenario, by key.
        var baselines: [String: [Int]]
        var canDecide: Bool
        var error: String?
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "plan", "levelling") { req async throws -> Response in try await projectPage(req) }
        pages.post("projects", ":key", "plan", "levelling") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            do {
                let s = try await req.store.levelling.propose(caller, LevellingRequest(projectKeys: [key], withinSlack: f["withinSlack"] == "1"))
                return req.redirect(to: ResourcePath.scenario(s.id).href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await projectPage(req, error: req.sentence(e) + detail(req, e), status: ReportPages.status(e))
            }
        }
        pages.post("projects", ":key", "plan", "levelling", "clear") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            _ = try req.form()
            _ = try await req.store.levelling.clear(caller, key: key)
            return req.redirect(to: PlanPath.levelling.href(key))
        }
        pages.post("projects", ":key", "plan", "levelling", "priority") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let f = try req.form()
            do {
                _ = try await req.store.projects.setPriority(by: caller, key: key, Int(f["priority"] ?? "") ?? 0)
                return req.redirect(to: PlanPath.levelling.href(key))
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await projectPage(req, error: req.sentence(e) + detail(req, e), status: ReportPages.status(e))
            }
        }
        pages.post("projects", ":key", "plan", "activities", ":uid", "assignments") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            let uid = try req.pathInt("uid")
            let f = try FormPairs(req)
            var inputs: [AssignmentInput] = []
            for (resource, units) in zip(f.all("resource"), f.all("units")) where !resource.isEmpty {
                guard let id = UUID(uuidString: resource) else { continue }
                inputs.append(AssignmentInput(resourceID: id, unitsPercent: Int(units.trimmingCharacters(in: .whitespaces)) ?? -1))
            }
            do {
                _ = try await req.store.plans.setAssignments(caller, key: key, uid: uid, inputs, effortDriven: f["effortDriven"] == "1")
                return req.redirect(to: PlanPath.activity(uid).href(key, fragment: "resources"))
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await PlanPages.activityPage(req, uid: uid, error: e)
            }
        }
        pages.post("levelling") { req async throws -> Response in
            let caller = try req.pageCaller()
            let f = try FormPairs(req)
            do {
                let s = try await req.store.levelling.propose(caller, LevellingRequest(projectKeys: f.all("project"), withinSlack: f["withinSlack"] == "1"))
                return req.redirect(to: ResourcePath.scenario(s.id).href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await req.render(LevellingViews.refused, req.chrome(title: req.pageWords["lev.title"], section: "resources"),
                                            req.sentence(e) + detail(req, e), status: ReportPages.status(e))
            }
        }
        pages.get("levelling", ":id") { req async throws -> Response in try await scenarioPage(req) }
        pages.post("levelling", ":id", "apply") { req async throws -> Response in
            let caller = try req.pageCaller()
            let id = try req.pathUUID("id")
            let f = try req.form()
            do {
                let baseline = f["baseline"].flatMap { $0.isEmpty ? nil : Int($0) }
                let s = try await req.store.levelling.apply(caller, id: id, baseline: baseline)
                return req.redirect(to: ResourcePath.scenario(s.id).href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await scenarioPage(req, error: req.sentence(e) + detail(req, e), status: ReportPages.status(e))
            }
        }
        pages.post("levelling", ":id", "discard") { req async throws -> Response in
            let caller = try req.pageCaller()
            let id = try req.pathUUID("id")
            _ = try req.form()
            do {
                _ = try await req.store.levelling.discard(caller, id: id)
                return req.redirect(to: ResourcePath.scenario(id).href)
            } catch let e as DomainError where MeetingPages.shownOnPage(e) {
                return try await scenarioPage(req, error: req.sentence(e), status: ReportPages.status(e))
            }
        }
    }

    /// The fields' problems after the sentence (a loop names its activities there).
    static func detail(_ req: Request, _ e: DomainError) -> String {
        let lines = req.shown(e.fieldErrors).map(\.message)
        return lines.isEmpty ? "" : " " + lines.joined(separator: " ")
    }

    static func projectPage(_ req: Request, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let view = try await req.store.plans.view(caller, key: key)
        let data = ProjectData(key: key, view: view, scenarios: try await req.store.levelling.list(caller, key: key),
                               priority: try await req.store.projects.priority(caller, key: key), error: error)
        return try await req.renderProjectPage(LevellingViews.project, data, title: req.pageWords["lev.title"], section: "plan",
                                               project: view.context.project, status: status)
    }

    static func scenarioPage(_ req: Request, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let scenario = try await req.store.levelling.scenario(caller, id: try req.pathUUID("id"))
        var baselines: [String: [Int]] = [:]
        var canDecide = true
        for p in scenario.projects {
            let view = try await req.store.plans.view(caller, key: p.key)
            baselines[p.key] = view.snapshot.baselines.map(\.number)
            canDecide = canDecide && view.canEdit
        }
        let data = ScenarioData(scenario: scenario, baselines: baselines, canDecide: canDecide, error: error)
        return try await req.render(LevellingViews.scenario, req.chrome(title: req.pageWords["lev.scenario"], section: "resources"), data,
                                    status: status)
    }
}
