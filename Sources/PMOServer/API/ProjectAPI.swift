import Foundation
import PMOCore
import PMOStore
import Vapor

/// Projects and memberships.
enum ProjectAPI {
    static func register(_ r: APIRouter) {
        r.add(.GET, "/projects", summary: "Projects you are a member of (all, for an admin)", tag: "projects",
              response: "ProjectList") { req in
            let caller = try req.requireCaller()
            return try await json(ListDTO(items: try await req.store.projects.list(for: caller).map { try ProjectDTO($0.0, role: $0.1) }), req)
        }
        r.add(.POST, "/projects", summary: "Create a project (admin)", tag: "projects", request: "ProjectCreate",
              response: "Project", status: 201, access: .admin) { req in
            let caller = try req.writer()
            let fields = try req.body(ProjectCreateBody.self, code: "project.invalid").fields
            let project = try await req.store.projects.create(by: caller, fields)
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
            let body = try req.body(ProjectPatchBody.self, code: "project.invalid")
            let project = try await req.store.projects.update(by: caller, key: key, expectedVersion: version) { f in
                f = body.applied(to: f)
            }
            let context = try await req.store.projectContext(caller, key: key)
            return try await json(ProjectDTO(project, role: context.role), req, version: project.version)
        }

        r.add(.GET, "/projects/{key}/memberships", summary: "Members of a project and their roles", tag: "projects",
              response: "MemberList") { req in
            let members = try await req.store.projects.members(try req.requireCaller(), key: try req.projectKey())
            return try await json(ListDTO(items: members.map(MemberDTO.init)), req)
        }
        r.add(.PUT, "/projects/{key}/memberships/{userId}", summary: "Add a member or change their role", tag: "projects",
              request: "MembershipPut", response: "MemberList", access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let role = try req.body(MembershipPutBody.self, code: "membership.invalid").role
            try await req.store.projects.setMembership(by: caller, key: key, userID: try req.pathUUID("userId"), role: role)
            return try await json(ListDTO(items: try await req.store.projects.members(caller, key: key).map(MemberDTO.init)), req)
        }
        r.add(.DELETE, "/projects/{key}/memberships/{userId}", summary: "Remove a member", tag: "projects", status: 204, access: .manager) { req in
            try await req.store.projects.removeMembership(by: try req.writer(), key: try req.projectKey(), userID: try req.pathUUID("userId"))
            return noContent()
        }
    }

}
