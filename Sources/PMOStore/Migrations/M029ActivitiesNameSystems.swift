import FluentKit
import Foundation
import PMOCore
import SQLKit

/// A plan activity names the system its work belongs to as a reference to the systems register (`S3` in its `system`
/// column). What activities wrote as free text before is matched here as the store settles a new value
/// (`FreeTextMatch.system`: a reference, a system's code or name); text that names no system stays as written and is
/// listed for the PMO (Systems › Free text), who may register the system and apply the match.
struct M029ActivitiesNameSystems: AsyncMigration {
    var name: String { "M029ActivitiesNameSystems" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let projects = try await sql.raw("""
            SELECT DISTINCT a.project_id, p.key FROM plan_activities a JOIN projects p ON p.id = a.project_id WHERE a.system <> ''
            """).all()
        for project in projects {
            let projectID = try project.decode(column: "project_id", as: UUID.self)
            let key = try project.decode(column: "key", as: String.self)
            var systems: [FreeTextMatch.Candidate] = []
            for row in try await sql.raw("""
                SELECT number, title, details FROM register_items WHERE project_id = \(bind: projectID) AND register = 'S'
                """).all() {
                let details = RegisterDetailsCodec.decode(try row.decode(column: "details", as: String.self), kind: .system)
                systems.append(.init(number: try row.decode(column: "number", as: Int.self),
                                     names: [details["code"]?.text ?? "", try row.decode(column: "title", as: String.self)]))
            }
            guard !systems.isEmpty else { continue }
            let activities = try await sql.raw("""
                SELECT id, system FROM plan_activities WHERE project_id = \(bind: projectID) AND system <> ''
                """).all()
            for row in activities {
                let written = try row.decode(column: "system", as: String.self)
                guard PlanActivity.systemNumber(written) == nil,
                      case .system(let n) = FreeTextMatch.system(written, projectKey: key, candidates: systems) else { continue }
                try await sql.raw("UPDATE plan_activities SET system = \(bind: "S\(n)") WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
            }
            // Every plan read notices the change (the schedule cache is keyed by the plan's version).
            try await sql.raw("UPDATE plans SET version = version + 1 WHERE project_id = \(bind: projectID)").run()
        }
    }

    /// The references stay: an older store shows them as the text `S3`, which it accepted as free text.
    func revert(on db: any Database) async throws {}
}
