import Foundation
import PMOCore
import PMOStore
import Vapor

/// Levelling scenarios: propose (one project or several, by priority), read, apply (baseline first) or discard;
/// and clearing a plan's levelling delays.
enum LevellingAPI {
    static let tag = "levelling"

    static func register(_ r: APIRouter) {
        r.add(.POST, "/levelling/scenarios",
              summary: "Propose a levelling scenario for one or more projects (levelled in priority order around the others' load); nothing moves until applied",
              tag: tag, request: "LevellingRequest", response: "LevellingScenario", status: 201, errors: [404]) { req in
            let caller = try req.writer()
            let body = try req.body(LevellingRequestBody.self, code: "levelling.invalid")
            let scenario = try await req.store.levelling.propose(caller, LevellingRequest(
                projectKeys: body.projects, withinSlack: body.withinSlack ?? false, resources: body.resources,
                schedules: body.schedules ?? 5_000, timeLimitMilliseconds: body.timeLimitMs ?? 1_500))
            return try MeetingJSON.response(body: ScenarioBody(scenario), status: .created)
        }
        r.add(.GET, "/levelling/scenarios/{id}", summary: "One levelling scenario: the moves, milestones and finish of each project",
              tag: tag, response: "LevellingScenario") { req in
            let s = try await req.store.levelling.scenario(try req.requireCaller(), id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: ScenarioBody(s))
        }
        r.add(.POST, "/levelling/scenarios/{id}/apply",
              summary: "Apply a proposed scenario: each plan's current schedule becomes a baseline, then the moves are written as levelling delays",
              tag: tag, request: "LevellingApply", response: "LevellingScenario") { req in
            let caller = try req.writer()
            let id = try req.pathUUID("id")
            let body = try req.body(LevellingApplyBody.self, code: "levelling.invalid")
            let s = try await req.store.levelling.apply(caller, id: id, baseline: body.baseline)
            return try MeetingJSON.response(body: ScenarioBody(s))
        }
        r.add(.POST, "/levelling/scenarios/{id}/discard", summary: "Discard a proposed scenario (no plan changes)",
              tag: tag, response: "LevellingScenario") { req in
            let s = try await req.store.levelling.discard(try req.writer(), id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: ScenarioBody(s))
        }
        r.add(.GET, "/projects/{key}/levelling/scenarios", summary: "The project's levelling scenarios, newest first (the last 20)",
              tag: tag, response: "LevellingScenarioList") { req in
            let list = try await req.store.levelling.list(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: ScenarioListBody(scenarios: list.map(ScenarioBody.init)))
        }
        r.add(.DELETE, "/projects/{key}/plan/levelling", summary: "Clear every levelling delay of the plan", tag: tag,
              response: "LevellingCleared", access: .manager) { req in
            let n = try await req.store.levelling.clear(try req.writer(), key: try req.projectKey())
            return try MeetingJSON.response(body: ClearedBody(cleared: n))
        }
    }

    static var requestBodies: [any PMOServer.RequestBody.Type] { [LevellingRequestBody.self, LevellingApplyBody.self] }
    static var derivedBodies: [any DocumentedBody.Type] {
        [ScenarioBody.self, ScenarioProjectBody.self, ScenarioMoveBody.self, ScenarioMilestoneBody.self, ScenarioListBody.self, ClearedBody.self]
    }

    /// An instant of the engine (minutes since 1970, local) as `YYYY-MM-DDTHH:MM`.
    static func time(_ minutes: Int) -> String { LocalTime(minutes: minutes).description }
}

struct LevellingRequestBody: RequestBody {
    static let schemaName = "LevellingRequest"
    static var schemaHints: [String: JSONSchema] {
        ["projects": JSONSchema.array(JSONSchema.string.pattern("^[A-Z][A-Z0-9]{1,9}$")).itemCount(1...LevellingRequest.maxProjects)
            .described("Project keys (1 to 20)"),
         "withinSlack": JSONSchema.boolean.described("Only move activities within their total float"),
         "resources": JSONSchema.array(JSONSchema.integer.minimum(1)).itemCount(0...1_000).described("Level only these resources, by number"),
         "schedules": JSONSchema.integer.range(1, 1_000_000).refusedAs("out_of_range").described("Schedules tried per project (default 5,000)"),
         "timeLimitMs": JSONSchema.integer.range(1, 60_000).refusedAs("out_of_range").described("Safety stop for the whole scenario (default 1,500)")]
    }
    var projects: [String]
    var withinSlack: Bool?
    var resources: [Int]?
    var schedules: Int?
    var timeLimitMs: Int?
}

struct LevellingApplyBody: RequestBody {
    static let schemaName = "LevellingApply"
    static var schemaHints: [String: JSONSchema] {
        ["baseline": JSONSchema.integer.range(0, 10).refusedAs("out_of_range")
            .described("The baseline slot the current schedule is saved in first (replaced if in use); the next free one when left out")]
    }
    var baseline: Int?
}

struct ScenarioMoveBody: Codable, DocumentedBody {
    static let schemaName = "LevellingMove"
    var uid: Int
    var name: String
    var from: String
    var to: String
    var delayMinutes: Int
    var conflicts: [String]
}

struct ScenarioMilestoneBody: Codable, DocumentedBody {
    static let schemaName = "LevellingMilestone"
    var uid: Int
    var name: String
    var before: String
    var after: String
}

struct ScenarioProjectBody: Codable, DocumentedBody {
    static let schemaName = "LevellingProject"
    var key: String
    var name: String
    var priority: Int
    var planVersion: Int
    var finishBefore: String
    var finishAfter: String
    var overloadsBefore: Int
    var overloadsAfter: Int
    var moves: [ScenarioMoveBody]
    var milestones: [ScenarioMilestoneBody]
    var overallocated: [String]
}

struct ScenarioBody: Codable, DocumentedBody {
    static let schemaName = "LevellingScenario"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "status": .enumeration(["proposed", "applied", "discarded"]), "createdAt": .instant]
    }
    var id: String
    var status: String
    var createdAt: String
    var createdBy: String
    var withinSlack: Bool
    var resources: [Int]?
    var projects: [ScenarioProjectBody]

    init(_ s: LevellingScenario) {
        id = s.id.uuidString.lowercased()
        status = s.status.rawValue
        createdAt = ISO8601DateFormatter().string(from: s.createdAt)
        createdBy = s.createdBy
        withinSlack = s.withinSlack
        resources = s.resources
        projects = s.projects.map { p in
            ScenarioProjectBody(
                key: p.key, name: p.name, priority: p.priority, planVersion: p.planVersion,
                finishBefore: LevellingAPI.time(p.finishBefore), finishAfter: LevellingAPI.time(p.finishAfter),
                overloadsBefore: p.overloadsBefore, overloadsAfter: p.overloadsAfter,
                moves: p.moves.map { ScenarioMoveBody(uid: $0.uid, name: $0.name, from: LevellingAPI.time($0.from), to: LevellingAPI.time($0.to),
                                                      delayMinutes: $0.delayMinutes, conflicts: $0.conflicts) },
                milestones: p.milestones.map { ScenarioMilestoneBody(uid: $0.uid, name: $0.name, before: LevellingAPI.time($0.before),
                                                                      after: LevellingAPI.time($0.after)) },
                overallocated: p.overallocated)
        }
    }
}

struct ScenarioListBody: Codable, DocumentedBody {
    static let schemaName = "LevellingScenarioList"
    var scenarios: [ScenarioBody]
}

struct ClearedBody: Codable, DocumentedBody {
    static let schemaName = "LevellingCleared"
    var cleared: Int
}
