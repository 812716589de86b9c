import FluentKit
import Foundation
import PMOCore

/// The traceability matrix of a project's requirements (N) against its systems (S), plan activities, tests (T),
/// questions (Q) and changes (C), as the caller may see them. The items themselves are written through the registers.
public struct TraceabilityService: StoreFeature {
    public let store: Store
}

extension Store {
    /// The traceability feature (`TraceabilityService`).
    public var traceability: TraceabilityService { TraceabilityService(store: self) }
}

extension TraceabilityService {
    /// The matrix of project `key` as `caller` sees it: only the items the caller may see take part (a hidden change
    /// neither shows nor raises a gap), and the project key for the references.
    public func matrix(_ caller: Caller, key: String) async throws -> (projectKey: String, matrix: TraceabilityMatrix) {
        let context = try await projectContext(caller, key: key)
        let rows = try await store.items.allRows(context, ItemRowFilter(types: [.requirement, .system, .test, .change, .question]), pageSize: 5_000, on: db)
        let byID = Dictionary(rows.map { ($0.id, ItemReference(projectKey: nil, type: $0.type, number: $0.number)) }, uniquingKeysWith: { a, _ in a })
        let links = try await db.readRows("""
            SELECT from_id, to_id FROM item_links
            WHERE project_id = \(bind: context.projectID) AND (from_type = \(bind: ItemType.requirement.rawValue) OR to_type = \(bind: ItemType.requirement.rawValue))
            """, columns: ["from_id", "to_id"])
        var pairs: [(ItemReference, ItemReference)] = []
        for link in links {
            if let a = byID[try link.uuid(0)], let b = byID[try link.uuid(1)] { pairs.append((a, b)) }
        }
        let activityIDs = Set(try await store.planActivityNames(projectID: context.projectID, on: db).keys)
        let zone = TimeZone.japan
        func items(_ type: ItemType) -> [TraceabilityMatrix.Item] {
            rows.filter { $0.type == type }.map {
                TraceabilityMatrix.Item(number: $0.number, title: $0.title, status: $0.status, raisedOn: CalendarDate($0.createdAt, in: zone), details: $0.details)
            }
        }
        let matrix = TraceabilityMatrix.build(requirements: items(.requirement), systems: items(.system), tests: items(.test), changes: items(.change),
                                              questions: items(.question), links: pairs, activityIDs: activityIDs, projectKey: context.project.key)
        return (context.project.key, matrix)
    }
}
