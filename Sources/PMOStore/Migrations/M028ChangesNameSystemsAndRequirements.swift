import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A change request names the systems and requirements it affects as items of their registers (`impactedSystems`,
/// `impactedRequirements`). What changes wrote as free text before is matched here (`FreeTextMatch`: a reference, a
/// system's code or name, a requirement's title); the text stays as it was written, and what did not match is listed
/// for the PMO (`SystemService.freeTextReport`, the Systems › Free text page).
struct M028ChangesNameSystemsAndRequirements: AsyncMigration {
    var name: String { "M028ChangesNameSystemsAndRequirements" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let projects = try await sql.raw("SELECT DISTINCT r.project_id, p.key FROM register_items r JOIN projects p ON p.id = r.project_id WHERE r.register = 'C'").all()
        for project in projects {
            let projectID = try project.decode(column: "project_id", as: UUID.self)
            let key = try project.decode(column: "key", as: String.self)
            let rows = try await sql.raw("""
                SELECT id, register, number, title, details FROM register_items
                WHERE project_id = \(bind: projectID) AND register IN ('S', 'N', 'C')
                """).all()
            var systems: [FreeTextMatch.Candidate] = [], requirements: [FreeTextMatch.Candidate] = []
            var changes: [(UUID, [String: RegisterValue])] = []
            for row in rows {
                let register = try row.decode(column: "register", as: String.self)
                let number = try row.decode(column: "number", as: Int.self), title = try row.decode(column: "title", as: String.self)
                guard let kind = RegisterKind(letter: register) else { continue }
                let details = RegisterDetailsCodec.decode(try row.decode(column: "details", as: String.self), kind: kind)
                switch kind {
                case .system: systems.append(.init(number: number, names: [details["code"]?.text ?? "", title]))
                case .requirement: requirements.append(.init(number: number, names: [title]))
                default: changes.append((try row.decode(column: "id", as: UUID.self), details))
                }
            }
            for (id, original) in changes {
                var details = original
                for (field, refs, type, candidates) in [("affectedSystems", "impactedSystems", ItemType.system, systems),
                                                       ("affectedRequirements", "impactedRequirements", ItemType.requirement, requirements)]
                where details[refs] == nil {
                    var numbers: [Int] = []
                    for m in FreeTextMatch.matches(details[field]?.text ?? "", type: type, projectKey: key, candidates: candidates) {
                        if let n = m.number, !numbers.contains(n) { numbers.append(n) }
                    }
                    if !numbers.isEmpty { details[refs] = .items(numbers.map { ItemReference(projectKey: nil, type: type, number: $0) }) }
                }
                guard details != original else { continue }
                try await sql.raw("UPDATE register_items SET details = \(bind: RegisterDetailsCodec.encode(details)) WHERE id = \(bind: id)").run()
            }
        }
    }

    func revert(on db: any Database) async throws {}
}
