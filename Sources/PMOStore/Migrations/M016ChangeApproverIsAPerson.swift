import FluentKit
import Foundation
import SQLKit

/// A change request's approver becomes a person: each free-text approver is matched to a member of the item's project
/// by display name or e-mail (case and surrounding spaces ignored) and replaced by that member's id; a text that
/// matches nobody (or several people) is kept in the description, under a line that says so, and the field is left
/// empty for the PMO to fill.
struct M016ChangeApproverIsAPerson: AsyncMigration {
    var name: String { "M016ChangeApproverIsAPerson" }

    func prepare(on db: any Database) async throws {
        let sql = try db.sql()
        let changes = try await sql.raw("SELECT id, project_id, description, details FROM register_items WHERE register = 'C'").all()
        var membersByProject: [UUID: [(id: UUID, name: String, email: String)]] = [:]
        for row in changes {
            let id = try row.decode(column: "id", as: UUID.self)
            let projectID = try row.decode(column: "project_id", as: UUID.self)
            let details = try row.decode(column: "details", as: String.self)
            guard var object = (try? JSONSerialization.jsonObject(with: Data(details.utf8))) as? [String: Any],
                  let text = object["approver"] as? String, UUID(uuidString: text) == nil else { continue }
            if membersByProject[projectID] == nil {
                membersByProject[projectID] = try await sql.raw("""
                    SELECT u.id, u.display_name, u.email FROM users u JOIN memberships m ON m.user_id = u.id
                    WHERE m.project_id = \(bind: projectID)
                    """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "display_name", as: String.self),
                                      try $0.decode(column: "email", as: String.self)) }
            }
            let wanted = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let matches = (membersByProject[projectID] ?? []).filter {
                $0.name.trimmingCharacters(in: .whitespaces).lowercased() == wanted || $0.email.lowercased() == wanted
            }
            var description = try row.decode(column: "description", as: String.self)
            if matches.count == 1, let member = matches.first {
                object["approver"] = member.id.uuidString.lowercased()
            } else {
                object["approver"] = nil
                if !wanted.isEmpty {
                    description += (description.isEmpty ? "" : "\n\n") + "承認者（メンバーと一致せず） / Approver (not matched to a member): \(text)"
                }
            }
            let written = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            try await sql.raw("UPDATE register_items SET details = \(bind: written), description = \(bind: description) WHERE id = \(bind: id)").run()
        }
    }

    func revert(on db: any Database) async throws {}
}
