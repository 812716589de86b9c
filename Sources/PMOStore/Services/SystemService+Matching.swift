import FluentKit
import Foundation
import PMOCore

/// What was written as free text before systems and requirements were registers, and what it matches now: each plan
/// activity's system, each change's affected systems and requirements. The upgrade (M028) turned what a change named
/// into references; this report lists every value, matched or not, for the PMO to settle what is left.
public struct FreeTextReport: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable { case activity, change }

    public struct Row: Sendable, Equatable {
        public var source: Source
        /// The activity's id or the change's number.
        public var number: Int
        /// The activity's name or the change's title.
        public var title: String
        /// `system`, `affectedSystems` or `affectedRequirements`.
        public var field: String
        public var text: String
        /// The system or requirement it matches.
        public var matched: ItemReference?
        /// For a change: whether its references already name what it matches.
        public var referenced: Bool
    }

    public var projectKey: String
    public var rows: [Row]
    public var unmatched: Int { rows.filter { $0.matched == nil }.count }
}

extension SystemService {
    /// The report for the caller: the activities of the plan and the changes and systems it may see.
    public func freeTextReport(_ caller: Caller, key: String) async throws -> FreeTextReport {
        let context = try await projectContext(caller, key: key)
        let rows = try await store.items.rows(context, ItemRowFilter(types: [.system, .requirement, .change]), on: db)
        let systems = Self.candidates(rows.filter { $0.type == .system }, kind: .system)
        let requirements = Self.candidates(rows.filter { $0.type == .requirement }, kind: .requirement)
        let projectKey = context.project.key
        var out: [FreeTextReport.Row] = []
        let view = try await store.plans.cachedView(context)
        // An activity that names a registered system has nothing left to settle.
        for row in view.rows where row.activity.systemNumber == nil && !row.activity.system.trimmingCharacters(in: .whitespaces).isEmpty {
            let a = row.activity
            let number = FreeTextMatch.match(a.system, type: .system, projectKey: projectKey, candidates: systems)
            out.append(.init(source: .activity, number: a.uid, title: a.name, field: "system", text: a.system,
                             matched: number.map { ItemReference(projectKey: nil, type: .system, number: $0) }, referenced: false))
        }
        for change in rows.filter({ $0.type == .change }) {
            let d = change.details
            for (field, refsField, type, candidates) in [("affectedSystems", "impactedSystems", ItemType.system, systems),
                                                        ("affectedRequirements", "impactedRequirements", ItemType.requirement, requirements)] {
                let named = Set((d[refsField]?.items ?? []).map(\.number))
                for m in FreeTextMatch.matches(d[field]?.text ?? "", type: type, projectKey: projectKey, candidates: candidates) {
                    out.append(.init(source: .change, number: change.number, title: change.title, field: field, text: m.text,
                                     matched: m.number.map { ItemReference(projectKey: nil, type: type, number: $0) },
                                     referenced: m.number.map(named.contains) ?? false))
                }
            }
        }
        return FreeTextReport(projectKey: projectKey, rows: out)
    }

    /// Systems by their code and name, requirements by their title.
    static func candidates(_ rows: [ItemRow], kind: RegisterKind) -> [FreeTextMatch.Candidate] {
        rows.map { FreeTextMatch.Candidate(number: $0.number, names: kind == .system ? [$0.details["code"]?.text ?? "", $0.title] : [$0.title]) }
    }
}

extension SystemService {
    /// Adds to each change the systems and requirements its free text matches and its references do not name yet, and
    /// makes each activity whose system matches name that system, in one write (all or none), each item and activity
    /// audited as any edit is; answers how many changed. For those who may edit every change and the plan (admins,
    /// the PMO, PMs).
    public func applyFreeTextMatches(_ caller: Caller, key: String) async throws -> Int {
        let report = try await freeTextReport(caller, key: key)
        var adding: [Int: [String: [ItemReference]]] = [:]
        for row in report.rows where row.source == .change && !row.referenced {
            guard let ref = row.matched else { continue }
            let field = row.field == "affectedSystems" ? "impactedSystems" : "impactedRequirements"
            if !(adding[row.number]?[field]?.contains(ref) ?? false) { adding[row.number, default: [:]][field, default: []].append(ref) }
        }
        let activities = report.rows.filter { $0.source == .activity }.compactMap { row in row.matched.map { (uid: row.number, system: $0.number) } }
        let at = store.now()
        let additions = adding.sorted { $0.key < $1.key }
        return try await store.write { db in
            let context = try await projectContext(caller, key: key, on: db)
            guard context.allows(.editProject) else {
                throw DomainError.forbidden("change.edit_forbidden", "Only the PMO, PMs and admins of \(key) apply the matches to every change.")
            }
            var changed = 0
            for (number, fields) in additions {
                let record = try await store.items.visibleRegisterItem(context, kind: .change, number: number, forUpdate: true, on: db)
                let current = record.fields().details
                var patch = RegisterItemPatch()
                for (field, refs) in fields {
                    let existing = current[field]?.items ?? []
                    patch.details[field] = .some(.items(existing + refs.filter { !existing.contains($0) }))
                }
                let before = record.version
                let saved = try await store.items.applyRegisterPatch(context, caller: caller, record: record, patch: patch, at: at, on: db)
                if saved.version != before { changed += 1 }
            }
            if !activities.isEmpty {
                changed += try await store.plans.nameSystems(context, caller: caller, activities, at: at, on: db)
            }
            return changed
        }
    }
}
