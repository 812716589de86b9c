import Foundation
import PMOTestSupport
import Testing
import VaporTesting

/// Each role × each action through the API, and a vendor who cannot reach another company's item by any road.
@Suite("Permissions")
struct PermissionMatrixTests {
    /// What each role may do with a whole-project issue: read, create, edit, comment, delete, manage members, edit project.
    static let expected: [String: [String: Bool]] = [
        "sysadmin": ["read": true, "create": true, "edit": true, "comment": true, "delete": true, "members": true, "project": true],
        "admin": ["read": true, "create": true, "edit": true, "comment": true, "delete": true, "members": true, "project": true],
        "pmo": ["read": true, "create": true, "edit": true, "comment": true, "delete": true, "members": true, "project": true],
        "pm": ["read": true, "create": true, "edit": true, "comment": true, "delete": true, "members": true, "project": true],
        "member": ["read": true, "create": true, "edit": true, "comment": true, "delete": false, "members": false, "project": false],
        "vendorA": ["read": true, "create": true, "edit": false, "comment": true, "delete": false, "members": false, "project": false],
        "viewer": ["read": true, "create": false, "edit": false, "comment": false, "delete": false, "members": false, "project": false],
        "outsider": ["read": false, "create": false, "edit": false, "comment": false, "delete": false, "members": false, "project": false],
    ]

    @Test(arguments: TestDatabase.available)
    func roleByActionMatrix(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            for (role, allowed) in Self.expected.sorted(by: { $0.key < $1.key }) {
                let token = w.tokens[role]!
                let number = try await t.createIssue(pmo, ["title": "Matrix \(role)"])
                let path = "/api/v1/projects/CRM/issues/\(number)"

                let read = try await t.send(.GET, path, token: token)
                #expect((read.status == .ok) == allowed["read"]!, "\(role) read: \(read.status)")
                if !allowed["read"]! { #expect(read.status == .notFound, "\(role) must not learn the project exists") }

                let create = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: token, json: ["title": "by \(role)"])
                #expect((create.status == .created) == allowed["create"]!, "\(role) create: \(create.status)")

                let edit = try await t.send(.PATCH, path, token: token, json: ["nextAction": "x"], headers: [("If-Match", "\"1\"")])
                #expect((edit.status == .ok) == allowed["edit"]!, "\(role) edit: \(edit.status)")
                if allowed["read"]! && !allowed["edit"]! { #expect(edit.status == .forbidden) }

                let comment = try await t.send(.POST, path + "/comments", token: token, json: ["body": "hi"])
                #expect((comment.status == .created) == allowed["comment"]!, "\(role) comment: \(comment.status)")

                let members = try await t.send(.PUT, "/api/v1/projects/CRM/memberships/\(w.users["outsider"]!.userID)", token: token,
                                               json: ["role": "viewer"])
                #expect((members.status == .ok) == allowed["members"]!, "\(role) members: \(members.status)")
                if members.status == .ok {
                    // Put the outsider back outside for the next role.
                    #expect(try await t.send(.DELETE, "/api/v1/projects/CRM/memberships/\(w.users["outsider"]!.userID)", token: pmo).status == .noContent)
                }

                let version = try await t.send(.GET, "/api/v1/projects/CRM", token: pmo).headers.first(name: .eTag) ?? "\"1\""
                let project = try await t.send(.PATCH, "/api/v1/projects/CRM", token: token, json: ["description": "by \(role)"],
                                               headers: [("If-Match", version)])
                #expect((project.status == .ok) == allowed["project"]!, "\(role) project: \(project.status)")

                let current = try await t.send(.GET, path, token: pmo).headers.first(name: .eTag) ?? ""
                let delete = try await t.send(.DELETE, path, token: token, headers: [("If-Match", current)])
                #expect((delete.status == .noContent) == allowed["delete"]!, "\(role) delete: \(delete.status)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func vendorSeesOnlyWholeProjectAndOwnCompanyItems(_ db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let w = try await World.make(t)
            let pmo = w.tokens["pmo"]!
            let shared = try await t.createIssue(pmo, ["title": "shared secret-word"])
            let internalOnly = try await t.createIssue(pmo, ["title": "internal secret-word", "visibility": "internal"])
            let forA = try await t.createIssue(pmo, ["title": "vendor A secret-word", "visibility": "company",
                                                     "visibilityCompanyId": w.vendorA.uuidString.lowercased()])
            let forB = try await t.createIssue(pmo, ["title": "vendor B secret-word", "visibility": "company",
                                                     "visibilityCompanyId": w.vendorB.uuidString.lowercased()])
            let a = w.tokens["vendorA"]!

            // By list and by search.
            let list = try await t.send(.GET, "/api/v1/projects/CRM/issues", token: a)
            #expect(list.items.compactMap { $0["number"] as? Int } == [shared, forA])
            let search = try await t.send(.GET, "/api/v1/projects/CRM/issues?q=secret-word", token: a)
            #expect(search.items.compactMap { $0["number"] as? Int } == [shared, forA])
            let filtered = try await t.send(.GET, "/api/v1/projects/CRM/issues?status=open&sort=-number", token: a)
            #expect(filtered.items.compactMap { $0["number"] as? Int } == [forA, shared])

            // By number, history, comments and links: hidden items do not exist for the vendor.
            for hidden in [internalOnly, forB] {
                for suffix in ["", "/history", "/comments", "/links"] {
                    let res = try await t.send(.GET, "/api/v1/projects/CRM/issues/\(hidden)\(suffix)", token: a)
                    #expect(res.status == .notFound, "vendor A reached \(hidden)\(suffix)")
                    #expect(res.problemCode == "issue.not_found")
                }
                #expect(try await t.send(.PATCH, "/api/v1/projects/CRM/issues/\(hidden)", token: a, json: ["title": "x"],
                                         headers: [("If-Match", "\"1\"")]).status == .notFound)
                #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/\(hidden)/comments", token: a, json: ["body": "x"]).status == .notFound)
            }
            // A link from a visible issue to a hidden one is not shown to the vendor.
            #expect(try await t.send(.POST, "/api/v1/projects/CRM/issues/\(shared)/links", token: pmo, json: ["to": forB]).status == .created)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/\(shared)/links", token: a).items.isEmpty)
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues/\(shared)/links", token: pmo).items.count == 1)

            // The vendor edits its own company's item, may not hide an item from others, nor give it to another vendor.
            #expect(try await t.send(.PATCH, "/api/v1/projects/CRM/issues/\(forA)", token: a, json: ["nextAction": "we fix"],
                                     headers: [("If-Match", "\"1\"")]).status == .ok)
            let hide = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: a, json: ["title": "x", "visibility": "internal"])
            #expect(hide.status == .unprocessableEntity)
            #expect(hide.fieldErrors == ["visibility"])
            let other = try await t.send(.POST, "/api/v1/projects/CRM/issues", token: a, json: [
                "title": "x", "visibility": "company", "visibilityCompanyId": w.vendorB.uuidString.lowercased()])
            #expect(other.fieldErrors == ["visibility"])

            // Internal staff see everything.
            #expect(try await t.send(.GET, "/api/v1/projects/CRM/issues", token: w.tokens["viewer"]!).items.count == 4)
            // An owner must be able to see the issue: a vendor B member cannot own vendor A's item.
            let wrongOwner = try await t.send(.PATCH, "/api/v1/projects/CRM/issues/\(forA)", token: pmo,
                                              json: ["owner": w.users["vendorB"]!.userID.uuidString.lowercased()], headers: [("If-Match", "\"2\"")])
            #expect(wrongOwner.status == .unprocessableEntity)
            #expect(wrongOwner.fieldErrors == ["owner"])
        }
    }
}
