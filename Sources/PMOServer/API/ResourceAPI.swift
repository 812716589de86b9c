import Foundation
import PMOCore
import PMOSchedule
import PMOStore
import Vapor

/// Resources across projects: the list (`/resources`), absences, swapping a placeholder, the overload map
/// (`/resources/load`), a plan's assignments, a project's priority, and levelling scenarios (`/levelling/scenarios`).
enum ResourceAPI {
    static let tag = "resources"

    static func register(_ r: APIRouter) {
        r.add(.GET, "/resources", summary: "The resources you may see: people, placeholders and equipment (a vendor sees its own company's people)",
              tag: tag, response: "ResourceList") { req in
            let list = try await req.store.resources.list(try req.requireCaller())
            return try MeetingJSON.response(body: ResourceListBody(resources: list.map(ResourceBody.init)))
        }
        r.add(.POST, "/resources", summary: "Add a resource (the PMO, PMs and admins)", tag: tag, request: "ResourceInput",
              response: "Resource", status: 201) { req in
            let caller = try req.writer()
            let fields = try req.body(ResourceInputBody.self, code: "resource.invalid").fields
            let view = try await req.store.resources.create(caller, fields)
            return try MeetingJSON.response(body: ResourceBody(view), status: .created, version: view.version)
        }
        r.add(.GET, "/resources/load", summary: "The overload map: each resource's load against its capacity per week or day, across every project",
              tag: tag, response: "LoadMap", query: ["scale", "from", "count", "company", "role", "project"], errors: [404]) { req in
            let caller = try req.requireCaller()
            let map = try await req.store.resources.loadMap(caller, try loadQuery(req, today: req.today(for: caller).0))
            return try MeetingJSON.response(body: LoadMapBody(map))
        }
        r.add(.GET, "/resources/{id}", summary: "One resource, with its capacity changes and absences", tag: tag, response: "Resource") { req in
            let view = try await req.store.resources.resource(try req.requireCaller(), id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: ResourceBody(view), version: view.version)
        }
        r.add(.PUT, "/resources/{id}", summary: "Change a resource (If-Match optional)", tag: tag, request: "ResourceInput",
              response: "Resource") { req in
            let caller = try req.writer()
            let id = try req.pathUUID("id")
            let fields = try req.body(ResourceInputBody.self, code: "resource.invalid").fields
            let view = try await req.store.resources.update(caller, id: id, fields, expectedVersion: try SignalAPI.ifMatch(req))
            return try MeetingJSON.response(body: ResourceBody(view), version: view.version)
        }
        r.add(.DELETE, "/resources/{id}", summary: "Remove a resource no plan assigns", tag: tag, status: 204) { req in
            try await req.store.resources.delete(try req.writer(), id: try req.pathUUID("id"))
            return Response(status: .noContent)
        }
        r.add(.POST, "/resources/{id}/absences", summary: "Record an absence (your own, or anyone's for the PMO, PMs and admins)",
              tag: tag, request: "AbsenceInput", response: "Absence", status: 201) { req in
            let caller = try req.writer()
            let id = try req.pathUUID("id")
            let body = try req.body(AbsenceInputBody.self, code: "resource.invalid_absence")
            let absence = try await req.store.resources.addAbsence(caller, resource: id, start: CivilDate(iso: body.start),
                                                                   end: CivilDate(iso: body.end), note: body.note ?? "")
            return try MeetingJSON.response(body: AbsenceBody(absence), status: .created)
        }
        r.add(.DELETE, "/resources/{id}/absences/{absence}", summary: "Remove an absence", tag: tag, status: 204) { req in
            try await req.store.resources.deleteAbsence(try req.writer(), resource: try req.pathUUID("id"), absence: try req.pathUUID("absence"))
            return Response(status: .noContent)
        }
        r.add(.POST, "/resources/{id}/swap", summary: "Give every assignment of this placeholder to a person, in one step",
              tag: tag, request: "SwapInput", response: "SwapResult") { req in
            let caller = try req.writer()
            let id = try req.pathUUID("id")
            let body = try req.body(SwapInputBody.self, code: "resource.invalid_swap")
            guard let person = UUID(uuidString: body.person) else {
                throw DomainError.invalid("resource.invalid_swap", [FieldError(field: "person", code: "invalid_id", message: "person must be a resource id.")])
            }
            let moved = try await req.store.resources.swap(caller, placeholder: id, person: person)
            return try MeetingJSON.response(body: SwapResultBody(moved: moved))
        }
        r.add(.GET, "/projects/{key}/plan/assignments", summary: "Every assignment of the plan, by activity", tag: "plans",
              response: "PlanAssignments") { req in
            let all = try await req.store.plans.assignments(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: PlanAssignmentsBody(activities: all.keys.sorted().map { uid in
                ActivityAssignmentsBody(uid: uid, assignments: (all[uid] ?? []).map(AssignmentBody.init))
            }))
        }
        r.add(.PUT, "/projects/{key}/plan/activities/{uid}/assignments",
              summary: "Set the resources of an activity (replaces them; an empty list removes all)", tag: "plans",
              request: "AssignmentsInput", response: "ActivityAssignments", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let uid = try req.pathInt("uid")
            let body = try req.body(AssignmentsInputBody.self, code: "plan.invalid_assignment")
            let inputs = try body.inputs()
            let saved = try await req.store.plans.setAssignments(caller, key: key, uid: uid, inputs, effortDriven: body.effortDriven)
            return try MeetingJSON.response(body: ActivityAssignmentsBody(
                uid: uid, assignments: saved.assignments.map(AssignmentBody.init), effortDriven: saved.effortDriven,
                durationMinutes: saved.duration.minutes))
        }
        r.add(.GET, "/projects/{key}/priority", summary: "The project's priority for levelling across projects (1 first … 5 last)",
              tag: "projects", response: "ProjectPriority") { req in
            let p = try await req.store.projects.priority(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: PriorityBody(priority: p))
        }
        r.add(.PUT, "/projects/{key}/priority", summary: "Set the project's priority for levelling across projects",
              tag: "projects", request: "ProjectPriority", response: "ProjectPriority", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(PriorityBody.self, code: "project.invalid")
            let p = try await req.store.projects.setPriority(by: caller, key: key, body.priority)
            return try MeetingJSON.response(body: PriorityBody(priority: p))
        }
        LevellingAPI.register(r)
    }

    /// The overload map's query: `scale` week or day, `from` a date (today by default), `count` periods, filters.
    /// `blankIsAbsent`: the page's filter form sends every field, an empty one meaning "all" (the API refuses it).
    static func loadQuery(_ req: Request, today: CivilDate, blankIsAbsent: Bool = false) throws -> LoadMapQuery {
        var e = FieldErrors()
        func param(_ name: String) -> String? {
            let v = req.query[String.self, at: name]
            return blankIsAbsent && v?.isEmpty == true ? nil : v
        }
        var scale = LoadPeriods.Scale.week
        if let raw = param("scale") {
            if let s = LoadPeriods.Scale(rawValue: raw) { scale = s } else { e.add("scale", "invalid_choice", "scale is week or day.") }
        }
        var from = today
        if let raw = param("from") {
            if let d = CivilDate(iso: raw) { from = d } else { e.add("from", "invalid_date", "from is a date, YYYY-MM-DD.") }
        }
        var count: Int?
        if let raw = param("count") {
            if let n = Int(raw), (1...LoadMapQuery.maxCount).contains(n) { count = n } else {
                e.add("count", "out_of_range", "count is 1 to \(LoadMapQuery.maxCount) periods.")
            }
        }
        var company: UUID?
        if let raw = param("company") {
            if let id = UUID(uuidString: raw) { company = id } else { e.add("company", "invalid_id", "company is a company id.") }
        }
        let role = param("role")
        if let role, role.count > ResourceRules.nameMax { e.add("role", "too_long", "role is at most \(ResourceRules.nameMax) characters.") }
        let project = param("project")
        if let project, !ProjectRules.isValidKey(project) { e.add("project", "invalid", "project is a project key such as CRM.") }
        try e.throwIfAny("resource.invalid_load_query")
        return LoadMapQuery(scale: scale, from: from, count: count, companyID: company, role: role, projectKey: project)
    }

    static var requestBodies: [any PMOServer.RequestBody.Type] {
        [ResourceInputBody.self, CapacityChangeInputBody.self, AbsenceInputBody.self, SwapInputBody.self, AssignmentsInputBody.self,
         AssignmentInputBody.self, PriorityBody.self] + LevellingAPI.requestBodies
    }
    static var derivedBodies: [any DocumentedBody.Type] {
        [ResourceBody.self, ResourceListBody.self, CapacityChangeBody.self, AbsenceBody.self, SwapResultBody.self, AssignmentBody.self,
         ActivityAssignmentsBody.self, PlanAssignmentsBody.self, LoadMapBody.self, LoadRowBody.self, LoadCellBody.self, LoadWorkBody.self,
         RoleLoadBody.self, LoadProjectBody.self] + LevellingAPI.derivedBodies
    }
}

extension ResourceKind: StringChoice {}
extension LoadPeriods.Scale: StringChoice {}
extension LoadLevel: StringChoice {}

// MARK: Requests

struct CapacityChangeInputBody: RequestBody {
    static let schemaName = "CapacityChangeInput"
    static var schemaHints: [String: JSONSchema] {
        ["from": JSONSchema.string.format("date"), "percent": JSONSchema.integer.range(0, Double(ResourceRules.maxPercent)).refusedAs("out_of_range")]
    }
    var from: String
    var percent: Int
}

struct ResourceInputBody: RequestBody {
    static let schemaName = "ResourceInput"
    static var schemaHints: [String: JSONSchema] {
        ["name": JSONSchema.text(ResourceRules.nameMax), "email": JSONSchema.string.maxLength(ResourceRules.nameMax),
         "role": JSONSchema.string.maxLength(ResourceRules.nameMax), "skills": JSONSchema.string.maxLength(ResourceRules.textMax),
         "notes": JSONSchema.string.maxLength(ResourceRules.textMax), "companyId": JSONSchema.uuid, "userId": JSONSchema.uuid,
         "capacityPercent": JSONSchema.integer.range(0, Double(ResourceRules.maxPercent)).refusedAs("out_of_range")
            .described("Percent of a working day (100 = full time; equipment: units × 100). Default 100"),
         "capacityChanges": JSONSchema.array(.ref("CapacityChangeInput")).itemCount(0...50).described("From a date on, another capacity (in date order)")]
    }
    var kind: ResourceKind
    var name: String
    var companyId: String?
    var userId: String?
    var email: String?
    var role: String?
    var skills: String?
    var capacityPercent: Int?
    var capacityChanges: [CapacityChangeInputBody]?
    var notes: String?

    var fields: ResourceFields {
        ResourceFields(kind: kind, name: name, userID: userId.flatMap(UUID.init(uuidString:)), email: email ?? "",
                       companyID: companyId.flatMap(UUID.init(uuidString:)), role: role ?? "", skills: skills ?? "",
                       capacityPercent: capacityPercent ?? 100,
                       capacityChanges: (capacityChanges ?? []).compactMap { c in CivilDate(iso: c.from).map { CapacityChange(from: $0, percent: c.percent) } },
                       notes: notes ?? "")
    }
}

struct AbsenceInputBody: RequestBody {
    static let schemaName = "AbsenceInput"
    static var schemaHints: [String: JSONSchema] {
        ["start": JSONSchema.string.format("date"), "end": JSONSchema.string.format("date").described("The last day away (on or after start)"),
         "note": JSONSchema.string.maxLength(ResourceRules.textMax)]
    }
    var start: String
    var end: String
    var note: String?
}

struct SwapInputBody: RequestBody {
    static let schemaName = "SwapInput"
    static var schemaHints: [String: JSONSchema] { ["person": JSONSchema.uuid.described("The person who takes the placeholder's assignments")] }
    var person: String
}

struct AssignmentInputBody: RequestBody {
    static let schemaName = "AssignmentInput"
    static var schemaHints: [String: JSONSchema] {
        ["resourceId": JSONSchema.uuid, "units": JSONSchema.integer.range(1, Double(ResourceRules.maxPercent)).refusedAs("out_of_range")
            .described("Percent of a working day (100 = full time). Default 100"),
         "workHours": JSONSchema.number.range(0, 1_000_000).refusedAs("out_of_range")]
    }
    var resourceId: String
    var units: Int?
    var workHours: Double?
}

struct AssignmentsInputBody: RequestBody {
    static let schemaName = "AssignmentsInput"
    static var schemaHints: [String: JSONSchema] {
        ["assignments": JSONSchema.array(.ref("AssignmentInput")).itemCount(0...50),
         "effortDriven": JSONSchema.boolean.described(
            "Turn effort-driven scheduling on or off for the activity (left out: unchanged). On an effort-driven activity the work stays when the total units change, and the duration follows")]
    }
    var assignments: [AssignmentInputBody]
    var effortDriven: Bool?

    func inputs() throws -> [AssignmentInput] {
        assignments.compactMap { a in
            UUID(uuidString: a.resourceId).map {
                AssignmentInput(resourceID: $0, unitsPercent: a.units ?? 100, workMinutes: a.workHours.map { Int(($0 * 60).rounded()) })
            }
        }
    }
}

struct PriorityBody: RequestBody, Codable {
    static let schemaName = "ProjectPriority"
    static var schemaHints: [String: JSONSchema] {
        ["priority": JSONSchema.integer.range(1, 5).refusedAs("out_of_range").described("1 is levelled first (keeps its dates), 5 last")]
    }
    var priority: Int
}

// MARK: Answers

struct CapacityChangeBody: Codable, DocumentedBody {
    static let schemaName = "CapacityChange"
    static var schemaHints: [String: JSONSchema] {
        ["from": JSONSchema.string.format("date"), "hoursPerDay": JSONSchema.number.described("percent in hours of an 8-hour working day")]
    }
    var from: String
    var percent: Int
    var hoursPerDay: Double
    init(_ c: CapacityChange) {
        from = c.from.description
        percent = c.percent
        hoursPerDay = ResourceRules.hoursPerDay(percent: c.percent)
    }
}

struct AbsenceBody: Codable, DocumentedBody {
    static let schemaName = "Absence"
    static var schemaHints: [String: JSONSchema] { ["id": .uuid, "start": JSONSchema.string.format("date"), "end": JSONSchema.string.format("date")] }
    var id: String
    var start: String
    var end: String
    var note: String
    init(_ a: Absence) {
        id = a.id.uuidString.lowercased()
        start = a.start.description
        end = a.end.description
        note = a.note
    }
}

struct ResourceBody: Codable, DocumentedBody {
    static let schemaName = "Resource"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "userId": .nullableUUID, "companyId": .nullableUUID, "kind": .enumeration(ResourceKind.choices)]
    }
    var id: String
    var number: Int
    var kind: String
    var name: String
    var userId: String?
    var email: String
    var companyId: String?
    var companyName: String?
    var role: String
    var skills: String
    var capacityPercent: Int
    var capacityHoursPerDay: Double
    var capacityChanges: [CapacityChangeBody]
    var absences: [AbsenceBody]
    var notes: String
    var version: Int

    init(_ v: ResourceView) {
        id = v.id.uuidString.lowercased()
        number = v.number
        kind = v.kind.rawValue
        name = v.name
        userId = v.userID?.uuidString.lowercased()
        email = v.email
        companyId = v.companyID?.uuidString.lowercased()
        companyName = v.companyName
        role = v.role
        skills = v.skills
        capacityPercent = v.capacity.percent
        capacityHoursPerDay = ResourceRules.hoursPerDay(percent: v.capacity.percent)
        capacityChanges = v.capacity.changes.map(CapacityChangeBody.init)
        absences = v.capacity.absences.map(AbsenceBody.init)
        notes = v.notes
        version = v.version
    }
}

struct ResourceListBody: Codable, DocumentedBody {
    static let schemaName = "ResourceList"
    var resources: [ResourceBody]
}

struct SwapResultBody: Codable, DocumentedBody {
    static let schemaName = "SwapResult"
    static var schemaHints: [String: JSONSchema] { ["moved": JSONSchema.integer.described("Assignments moved")] }
    var moved: Int
}

struct AssignmentBody: Codable, DocumentedBody {
    static let schemaName = "Assignment"
    static var schemaHints: [String: JSONSchema] {
        ["resourceId": .uuid, "name": JSONSchema.nullableString.described("null: another company's person, whose name a vendor does not see"),
         "kind": .enumeration(ResourceKind.choices)]
    }
    var resourceId: String
    var number: Int
    var name: String?
    var kind: String
    var units: Int
    var workHours: Double?
    init(_ a: AssignmentView) {
        resourceId = a.resourceID.uuidString.lowercased()
        number = a.number
        name = a.name
        kind = a.kind.rawValue
        units = a.unitsPercent
        workHours = a.workMinutes.map { Double($0) / 60 }
    }
}

struct ActivityAssignmentsBody: Codable, DocumentedBody {
    static let schemaName = "ActivityAssignments"
    static var schemaHints: [String: JSONSchema] {
        ["effortDriven": JSONSchema.boolean.described("Whether the activity is effort-driven (in the answer to setting its resources)"),
         "durationMinutes": JSONSchema.integer.described("The activity's duration after the change, in working minutes (in the answer to setting its resources)")]
    }
    var uid: Int
    var assignments: [AssignmentBody]
    var effortDriven: Bool?
    var durationMinutes: Int?
}

struct PlanAssignmentsBody: Codable, DocumentedBody {
    static let schemaName = "PlanAssignments"
    var activities: [ActivityAssignmentsBody]
}

struct LoadWorkBody: Codable, DocumentedBody {
    static let schemaName = "LoadWork"
    var project: String
    var uid: Int
    var activity: String
    var percent: Int
}

struct LoadCellBody: Codable, DocumentedBody {
    static let schemaName = "LoadCell"
    static var schemaHints: [String: JSONSchema] {
        ["capacity": JSONSchema.integer.described("Percent-days available (100 = one person's full day)"),
         "load": JSONSchema.integer.described("Percent-days asked, every project included"),
         "otherProjects": JSONSchema.integer.described("Of the load, what projects you may not see ask"),
         "level": .enumeration(LoadLevel.choices)]
    }
    var capacity: Int
    var load: Int
    var otherProjects: Int
    var level: String
    var work: [LoadWorkBody]
    init(_ c: LoadCell) {
        capacity = c.capacity
        load = c.load
        otherProjects = c.otherProjects
        level = c.level.rawValue
        work = c.work.map { LoadWorkBody(project: $0.projectKey, uid: $0.activityUID, activity: $0.activityName, percent: $0.percent) }
    }
}

struct LoadRowBody: Codable, DocumentedBody {
    static let schemaName = "LoadRow"
    var resource: ResourceBody
    var cells: [LoadCellBody]
}

struct RoleLoadBody: Codable, DocumentedBody {
    static let schemaName = "RoleLoad"
    var role: String
    var demand: [Int]
    var supply: [Int]
}

struct LoadProjectBody: Codable, DocumentedBody {
    static let schemaName = "LoadProject"
    var key: String
    var name: String
    var priority: Int
}

struct LoadMapBody: Codable, DocumentedBody {
    static let schemaName = "LoadMap"
    static var schemaHints: [String: JSONSchema] {
        ["scale": .enumeration(LoadPeriods.Scale.choices), "periods": JSONSchema.array(JSONSchema.string.format("date")).described("Each period's first day")]
    }
    var scale: String
    var periods: [String]
    var rows: [LoadRowBody]
    var roles: [RoleLoadBody]
    var projects: [LoadProjectBody]
    init(_ m: LoadMap) {
        scale = m.periods.scale.rawValue
        periods = m.periods.starts.map(\.description)
        rows = m.rows.map { LoadRowBody(resource: ResourceBody($0.resource), cells: $0.cells.map(LoadCellBody.init)) }
        roles = m.roles.map { RoleLoadBody(role: $0.role, demand: $0.demand, supply: $0.supply) }
        projects = m.projects.map { LoadProjectBody(key: $0.key, name: $0.name, priority: $0.priority) }
    }
}
