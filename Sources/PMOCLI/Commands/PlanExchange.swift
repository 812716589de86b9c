import ArgumentParser
import Foundation
import PMOCore
import PMOInterchange
import PMOSchedule
import PMOServer
import PMOStore

/// `--as`, shared by the commands that act in a project: who the command acts as (the audit trail names them).
struct ActorOption: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp(
        "E-mail of the user to act as; default: the first active administrator.", valueName: "email"))
    var email: String?

    /// The user the command acts as: the one named by --as, else the installation's first active administrator.
    func caller(_ store: Store) async throws -> Caller {
        if let email {
            guard let user = try await store.accounts.user(email: email), user.isActive else {
                throw CommandFailure("No active user has the e-mail \(email).")
            }
            return try Caller(user)
        }
        let admins = try await store.accounts.users().filter { $0.isAdmin && $0.isActive }
            .sorted { ($0.createdAt, $0.email) < ($1.createdAt, $1.email) }
        guard let admin = admins.first else {
            throw CommandFailure("There is no active administrator to act as: create one with `pmo user create --admin`, or name a user with --as.")
        }
        return try Caller(admin)
    }
}

/// `pmo import FILE --project KEY`: reads a Microsoft Project XML (MSPDI) file and imports it into the plan of a
/// project (a new one with --new), under an activity with --under. All or nothing; --dry-run imports nothing and
/// prints what the import would do. Exit 0 on success, 1 when the file cannot be read or imported, 2 on wrong usage.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a Microsoft Project XML (MSPDI) file into a project's plan.")

    @OptionGroup var db: DatabaseOption
    @OptionGroup var actor: ActorOption
    @Argument(help: "The Microsoft Project XML (MSPDI) file.") var file: String
    @Option(help: "The project's key, e.g. CRM.") var project: String
    @Flag(help: "Create the project first (administrators only).") var new = false
    @Option(help: "With --new: the new project's name (default: the plan's name in the file).") var name: String?
    @Option(help: ArgumentHelp("Import under this activity of the plan; default: the top level.", valueName: "uid")) var under: Int?
    @Flag(help: "Show what the import would do, and import nothing.") var dryRun = false

    func validate() throws {
        if name != nil && !new { throw ValidationError("--name names a new project: give --new too.") }
        if new && under != nil { throw ValidationError("--under names an activity of an existing plan; a --new project has none yet.") }
    }

    func run() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CommandFailure("Cannot read \(file): \(error.localizedDescription)")
        }
        let plan: SchedulePlan
        do { plan = try MSPDIPlanFile.read(data) } catch let error as InterchangeError {
            throw CommandFailure("\(file) cannot be imported: \(error.description)")
        }
        let fields: ProjectFields? = new ? ProjectFields(
            key: project, name: name ?? String((plan.name.isEmpty ? project : plan.name).prefix(ProjectRules.nameMax)),
            startDate: plan.start.date) : nil
        let summary: PlanImportSummary = try await Runtime.withStore(db.location) { store in
            let caller = try await actor.caller(store)
            do {
                return try await store.plans.importPlan(caller, key: project, newProject: fields, parentUID: under, plan: plan, apply: !dryRun)
            } catch let error as DomainError {
                throw CommandFailure("\(file) was not imported: \(error.message)")
            }
        }
        print(Self.report(summary, file: file, dryRun: dryRun, newProject: new), terminator: "")
    }

    /// What was (or would be) imported: counts, calendars, baselines, the schedule's problems, and the first rows.
    static func report(_ s: PlanImportSummary, file: String, dryRun: Bool, newProject: Bool) -> String {
        var out = dryRun
            ? "Dry run: \(file) would import into \(newProject ? "a new project " : "")\(s.projectKey); nothing was changed.\n"
            : "Imported \(file) into \(newProject ? "the new project " : "")\(s.projectKey).\n"
        out += "  activities: \(s.activities)\n"
        out += "  links:      \(s.links)\n"
        out += "  calendars:  \(s.calendars.isEmpty ? "none" : s.calendars.joined(separator: ", "))\n"
        out += "  baselines:  \(s.baselines.isEmpty ? "none" : s.baselines.map(String.init).joined(separator: ", "))\n"
        out += "  problems:   \(s.problems.count)\n"
        for p in s.problems.prefix(50) { out += "    - \(p.code.rawValue): \(p.message)\n" }
        if s.problems.count > 50 { out += "    … and \(s.problems.count - 50) more\n" }
        if dryRun {
            let shown = s.rows.prefix(30)
            for r in shown {
                out += "  \(r.outline.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.start?.date.description ?? "-")"
                    + " → \(r.finish.map { $0.finishDay.description } ?? "-")\(r.isCritical ? " *" : "  ") \(r.name)\n"
            }
            if s.activities > shown.count { out += "  … \(s.activities - shown.count) more activities\n" }
        }
        return out
    }
}

/// `pmo export --project KEY`: writes a project's plan, or one WBS branch of it, as Microsoft Project XML (with the
/// computed dates) or as a CSV of the activity table, to a file or standard output.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a project's plan as Microsoft Project XML (MSPDI) or CSV.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case xml, csv }

    @OptionGroup var db: DatabaseOption
    @OptionGroup var actor: ActorOption
    @Option(help: "The project's key, e.g. CRM.") var project: String
    @Option(help: ArgumentHelp("Export only this activity and everything below it.", valueName: "uid")) var branch: Int?
    @Option(help: "xml (Microsoft Project XML) or csv (the activity table, UTF-8 with BOM).") var format: Format = .xml
    @Option(help: "Write to this file (replaced if it exists); default: standard output.") var output: String?

    func run() async throws {
        let (data, count) = try await Runtime.withStore(db.location) { store -> (Data, Int) in
            let caller = try await actor.caller(store)
            let view: PlanView
            do { view = try await store.plans.view(caller, key: project) } catch let error as DomainError {
                throw CommandFailure(error.message)
            }
            var keep = Set(view.rows.map(\.activity.uid))
            if let branch {
                guard let index = view.rows.firstIndex(where: { $0.activity.uid == branch }) else {
                    throw CommandFailure("There is no activity \(branch) in the plan of \(project).")
                }
                // Rows are in WBS order: the branch is the row and the deeper rows right after it.
                let level = view.rows[index].level
                let below = view.rows[(index + 1)...].prefix { $0.level > level }
                keep = Set([branch] + below.map(\.activity.uid))
            }
            switch format {
            case .xml:
                var plan = view.visibleSchedulePlan
                if let branch, let cut = plan.branch(Activity.ID(branch)) { plan = cut }
                var result = view.result
                if branch != nil {
                    result.activities = result.activities.filter { keep.contains($0.id.rawValue) }
                    let leaves = Set(plan.activities.map(\.id)).subtracting(plan.activities.compactMap(\.parent))
                    let timed = result.activities.filter { leaves.contains($0.id) }
                    if let lo = timed.map(\.start).min(), let hi = timed.map(\.finish).max() {
                        result.projectStart = lo
                        result.projectFinish = hi
                    }
                    result.diagnostics = result.diagnostics.filter { d in d.activities.contains { keep.contains($0.rawValue) } }
                }
                return (Data(MSPDIWriter.write(plan, result: result).utf8), plan.activities.count)
            case .csv:
                let rows = view.rows.filter { keep.contains($0.activity.uid) }
                return (CSVWriter.write(Self.table(view, rows: rows)), rows.count)
            }
        }
        if let output {
            do { try data.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw CommandFailure("Cannot write \(output): \(error.localizedDescription)")
            }
            print("Wrote \(count) activities of \(project) to \(output).")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }


    static let columns: [SpreadsheetColumn] = [
        .init(title: "WBS"), .init(title: "UID", kind: .integer), .init(title: "Name", kind: .longText),
        .init(title: "Start", kind: .date), .init(title: "Finish", kind: .date), .init(title: "Duration (days)", kind: .number),
        .init(title: "Total float (days)", kind: .number), .init(title: "Critical", kind: .bool), .init(title: "Owner"),
        .init(title: "Company"), .init(title: "% complete", kind: .number),
    ]

    /// The activity table: one row per activity in WBS order, with its computed dates and float.
    static func table(_ view: PlanView, rows: [WBSRow]) -> SpreadsheetTable {
        let scheduled = view.scheduledByUID
        let perDay = Double(max(1, view.snapshot.minutesPerDay))
        func days(_ minutes: Int, per: Double = perDay) -> Double { (Double(minutes) / per * 100).rounded() / 100 }
        func text(_ s: String?) -> SpreadsheetCell { s.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
        let percent = rolledUpPercent(view)
        let body: [[SpreadsheetCell]] = rows.map { row in
            let a = row.activity
            let s = scheduled[a.uid]
            // A summary's own duration is its span, which the start and finish show; a stored one is kept.
            let duration: SpreadsheetCell = row.hasChildren && a.duration.minutes == 0
                ? .empty : .number(days(a.duration.minutes, per: a.duration.kind == .elapsed ? 1440 : perDay))
            return [
                .text(row.outline), .number(Double(a.uid)), .text(a.name),
                s.map { .date($0.start.date) } ?? .empty, s.map { .date($0.finish.finishDay) } ?? .empty, duration,
                s.map { .number(days($0.totalFloat)) } ?? .empty, .bool(s?.isCritical ?? false),
                text(a.ownerID.map { view.userNames[$0.rawValue] ?? "" }),
                text(a.companyID.map { view.companyNames[$0.rawValue] ?? "" }),
                .number(((percent[a.uid] ?? a.progress.percentComplete) * 100).rounded() / 100),
            ]
        }
        return SpreadsheetTable(name: "Plan", columns: columns, rows: body)
    }

    /// Percent complete of every summary as Microsoft Project rolls it up: its tasks' percents weighted by duration.
    static func rolledUpPercent(_ view: PlanView) -> [Int: Double] {
        let parents = Dictionary(view.rows.compactMap { r in r.activity.parentUID.map { (r.activity.uid, $0) } },
                                 uniquingKeysWith: { a, _ in a })
        var done: [Int: Double] = [:], total: [Int: Double] = [:]
        for row in view.rows where !row.hasChildren {
            let a = row.activity
            let weight = Double(max(a.duration.minutes, 0))
            var p = parents[a.uid]
            var depth = 0
            while let uid = p, depth < 100 {
                done[uid, default: 0] += weight * a.progress.percentComplete
                total[uid, default: 0] += weight
                p = parents[uid]
                depth += 1
            }
        }
        var out: [Int: Double] = [:]
        for row in view.rows where row.hasChildren {
            let t = total[row.activity.uid] ?? 0
            out[row.activity.uid] = t > 0 ? (done[row.activity.uid] ?? 0) / t : 0
        }
        return out
    }
}

