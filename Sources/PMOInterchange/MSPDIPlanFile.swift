import Foundation
import PMOCore

/// Reading a Microsoft Project XML file for import into a plan, and cutting a plan to a WBS branch for export.
public enum MSPDIPlanFile {
    /// Files above this size are refused before parsing.
    public static let maxBytes = 30_000_000

    /// The plan in an MSPDI file. Every problem is an `InterchangeError` naming what is wrong: too large, not XML (with
    /// the line), not MSPDI, or links to tasks the file does not have (all of them listed). Links to blank or inactive
    /// tasks are dropped, as Microsoft Project itself ignores them.
    public static func read(_ data: Data) throws -> SchedulePlan {
        guard data.count <= maxBytes else {
            throw InterchangeError(code: "import.mspdi.too_large",
                                   message: "The file is \(data.count / 1_000_000) MB; at most \(maxBytes / 1_000_000) MB can be imported. Split the plan or remove attachments.")
        }
        guard !data.isEmpty else { throw InterchangeError(code: "import.mspdi.empty", message: "The file is empty.") }
        let doc = try MSPDIReader.read(data)
        let known = Set(doc.tasks.map(\.uid))
        var missing: [String] = []
        for t in doc.tasks {
            for l in t.links where !known.contains(l.predecessorUID) {
                missing.append("task \(t.uid) \"\(t.name)\" (line \(t.line)) follows task UID \(l.predecessorUID)")
            }
        }
        if !missing.isEmpty {
            let shown = missing.prefix(20).joined(separator: "; ")
            throw InterchangeError(code: "import.mspdi.missing_task",
                                   message: "\(missing.count) link(s) name tasks that are not in the file: \(shown)\(missing.count > 20 ? "; …" : "").")
        }
        var plan = doc.plan()
        if plan.activities.isEmpty {
            throw InterchangeError(code: "import.mspdi.no_tasks", message: "The file has no tasks to import.")
        }
        let ids = Set(plan.activities.map(\.id))
        plan.dependencies = plan.dependencies.filter { ids.contains($0.predecessor) && ids.contains($0.successor) }
        return plan
    }
}

extension SchedulePlan {
    /// The activity `root` with everything below it, the links among them and the calendars they use; nil when there
    /// is no such activity. The root becomes a top-level row.
    public func branch(_ root: Activity.ID) -> SchedulePlan? {
        guard activities.contains(where: { $0.id == root }) else { return nil }
        var keep: Set<Activity.ID> = [root]
        // Activities are in WBS order, so a child always comes after its parent.
        for a in activities { if let p = a.parent, keep.contains(p) { keep.insert(a.id) } }
        var copy = self
        copy.activities = activities.filter { keep.contains($0.id) }.map { a in
            var a = a
            if a.id == root { a.parent = nil }
            return a
        }
        copy.dependencies = dependencies.filter { keep.contains($0.predecessor) && keep.contains($0.successor) }
        copy.assignments = assignments.filter { keep.contains($0.activity) }
        return copy
    }
}
