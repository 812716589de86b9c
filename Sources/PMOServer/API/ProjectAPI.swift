import Foundation
import PMOCore
import PMOStore
import Vapor

/// Projects and memberships.
enum ProjectAPI {
    static let projectFields: Set<String> = ["key", "name", "description", "phase", "businessOwner", "startDate", "targetDate", "status"]

    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects", summary: "Projects you are a member of (all, for an admin)", tag: "projects",
              response: "ProjectList") { req in
            let caller = try req.requireCaller()
            return try await json(ListDTO(items: try await req.store.projects(for: caller).map { try ProjectDTO($0.0, role: $0.1) }), req)
        }
        r.add(.POST, "/projects", summary: "Create a project (admin)", tag: "projects", request: "ProjectCreate",
              response: "Project", status: 201, access: .admin) { req in
            let caller = try req.writer()
            var input = try JSONInput(req, allowed: projectFields)
            let key = input.string("key", max: 10, required: true)
            let name = input.string("name", max: ProjectRules.nameMax, required: true)
            var fields = ProjectFields(key: key ?? "", name: name ?? "")
            read(&input, into: &fields)
            try input.throwIfAny("project.invalid")
            let project = try await req.store.createProject(by: caller, fields)
            return try await json(ProjectDTO(project, role: .admin), req, status: .created, version: project.version)
        }
        r.add(.GET, "/projects/{key}", summary: "One project", tag: "projects", response: "Project") { req in
            let context = try await req.store.projectContext(try req.requireCaller(), key: try req.projectKey())
            return try await json(ProjectDTO(context.project, role: context.role), req, version: context.project.version)
        }
        r.add(.PATCH, "/projects/{key}", summary: "Change a project (JSON merge patch; the key cannot change)", tag: "projects",
              request: "ProjectPatch", response: "Project", ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let version = try req.requiredIfMatch()
            var input = try JSONInput(req, allowed: projectFields)
            let newKey = input.string("key", max: 10)
            let name = input.string("name", max: ProjectRules.nameMax)
            var probe = ProjectFields(key: key, name: "")
            read(&input, into: &probe)
            try input.throwIfAny("project.invalid")
            let present = Set(input.object.keys)
            let given = probe
            let project = try await req.store.updateProject(by: caller, key: key, expectedVersion: version) { f in
                if let newKey { f.key = newKey }
                if let name { f.name = name }
                if present.contains("description") { f.description = given.description }
                if present.contains("phase") { f.phase = given.phase }
                if present.contains("businessOwner") { f.businessOwner = given.businessOwner }
                if present.contains("startDate") { f.startDate = given.startDate }
                if present.contains("targetDate") { f.targetDate = given.targetDate }
                if present.contains("status") { f.status = given.status }
            }
            let context = try await req.store.projectContext(caller, key: key)
            return try await json(ProjectDTO(project, role: context.role), req, version: project.version)
        }

        r.add(.GET, "/projects/{key}/memberships", summary: "Members of a project and their roles", tag: "projects",
              response: "MemberList") { req in
            let members = try await req.store.members(try req.requireCaller(), key: try req.projectKey())
            return try await json(ListDTO(items: members.map(MemberDTO.init)), req)
        }
        r.add(.PUT, "/projects/{key}/memberships/{userId}", summary: "Add a member or change their role", tag: "projects",
              request: "MembershipPut", response: "MemberList", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            var input = try JSONInput(req, allowed: ["role"])
            input.requirePresent("role")
            let role = input.choice("role", ProjectRole.self)
            try input.throwIfAny("membership.invalid")
            try await req.store.setMembership(by: caller, key: key, userID: try req.pathUUID("userId"),
                                              role: try input.required(role, "role", code: "membership.invalid").rawValue)
            return try await json(ListDTO(items: try await req.store.members(caller, key: key).map(MemberDTO.init)), req)
        }
        r.add(.DELETE, "/projects/{key}/memberships/{userId}", summary: "Remove a member", tag: "projects", status: 204, access: .manager) { req in
            try await req.store.removeMembership(by: try req.writer(), key: try req.projectKey(), userID: try req.pathUUID("userId"))
            return noContent()
        }
    }

    /// Reads the optional project fields present in the input.
    static func read(_ input: inout JSONInput, into f: inout ProjectFields) {
        if let d = input.string("description", max: IssueRules.textMax) { f.description = d }
        if let p = input.choice("phase", ProjectPhase.self) { f.phase = p }
        if let b = input.string("businessOwner", max: 200) { f.businessOwner = b }
        if input.has("startDate") { f.startDate = input.date("startDate") }
        if input.has("targetDate") { f.targetDate = input.date("targetDate") }
        if let s = input.choice("status", ProjectStatus.self) { f.status = s }
    }
}
