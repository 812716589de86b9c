import Foundation
import PMOCore
import PMOSchedule
import PMOStore
import Vapor

/// Plans as JSON: the computed schedule and the activities, written straight into bytes; the order of the links; and
/// the readers of the bodies the plan routes take. The plan's other answers are the `PlanBodies` types.
///
/// Times of the schedule are the plan's local wall-clock times written `YYYY-MM-DDTHH:MM:00` (no offset: a plan is
/// scheduled in its calendars' time zone); days are `YYYY-MM-DD`. Costs appear only where the caller may see them.
enum PlanJSON {
    // MARK: Output helpers

    /// `x` rounded to `places` decimals (money to cents, days to hundredths), so that float noise never shows.
    static func rounded(_ x: Double, _ places: Int = 2) -> Double {
        let f = pow(10.0, Double(places))
        return (x * f).rounded() / f
    }

    static func days(_ minutes: Int, perDay: Int) -> Double { rounded(Double(minutes) / Double(max(1, perDay))) }

    /// A computed amount (earned value, a forecast) as whole yen, by the one rounding rule (`Money(rounding:)`).
    static func yen(_ x: Double) -> Int64 { Money(rounding: x)?.amount ?? 0 }

    /// Days of a duration: working minutes per `minutesPerDay`, elapsed minutes per 24 hours.
    static func days(_ d: WorkDuration, perDay: Int) -> Double { days(d.minutes, perDay: d.kind == .elapsed ? 1440 : perDay) }


    /// Whether the caller sees the whole plan's costs (everyone but a vendor, who sees only its own company's).
    static func seesAllCosts(_ view: PlanView) -> Bool { PlanAccess.canSeeCost(view.context.actor, companyID: nil) }

    // MARK: Settings and schedule

    /// What a row shows for progress and money: a task its own % complete, a summary the roll-up of its tasks
    /// (`PlanView.rolledUp`); a cost is nil where the caller may not see it, or, for a summary, every figure in its sum.
    struct RowFigures {
        var percentComplete: Double
        var budget: Money?
        var actualCost: Money?
    }

    static func figures(_ view: PlanView) -> [Int: RowFigures] {
        let rolled = view.rolledUp()
        var out: [Int: RowFigures] = [:]
        out.reserveCapacity(view.rows.count)
        for row in view.rows {
            let a = row.activity
            let r = rolled[a.uid]
            let hidden = r?.costHidden ?? true
            out[a.uid] = RowFigures(
                percentComplete: rounded(row.hasChildren ? (r?.percentComplete ?? 0) : a.progress.percentComplete),
                budget: hidden ? nil : r?.budget, actualCost: hidden ? nil : r?.actualCost)
        }
        return out
    }

    static func kind(_ row: WBSRow) -> String {
        row.hasChildren ? "summary" : (row.activity.kind == .summary ? Activity.Kind.task.rawValue : row.activity.kind.rawValue)
    }

    /// One activity with its computed dates, written straight as JSON (a 5,000-activity schedule is megabytes: a
    /// dictionary per activity and `JSONText` over it took most of a read). `figures` comes from `figures(_:)`.
    static func writeActivity(_ row: WBSRow, view: PlanView, scheduled: ScheduledActivity?,
                              figures: [Int: RowFigures], into w: inout JSONWriter) {
        let a = row.activity
        let perDay = view.snapshot.minutesPerDay
        func time(_ k: String, _ t: LocalTime?) { w.string(k, t?.description) }
        func ref(_ k: String, _ id: UUID?, _ names: [UUID: String]) {
            w.key(k)
            guard let id else { w.null(); return }
            w.beginObject()
            w.string("id", UUIDText.lowercase(id))
            w.string("name", names[id] ?? "")
            w.endObject()
        }
        w.beginObject()
        w.int("uid", a.uid)
        w.int("parentUid", row.level > 1 ? a.parentUID : nil)
        w.string("outline", row.outline)
        w.int("level", row.level)
        w.string("name", a.name)
        w.string("kind", kind(row))
        w.number("durationDays", days(a.duration, perDay: perDay))
        w.int("durationMinutes", a.duration.minutes)
        w.bool("durationElapsed", a.duration.kind == .elapsed)
        w.bool("effortDriven", a.effortDriven)
        time("start", scheduled?.start)
        time("finish", scheduled?.finish)
        time("earlyStart", scheduled?.earlyStart)
        time("earlyFinish", scheduled?.earlyFinish)
        time("lateStart", scheduled?.lateStart)
        time("lateFinish", scheduled?.lateFinish)
        w.number("totalFloatDays", scheduled.map { days($0.totalFloat, perDay: perDay) })
        w.number("freeFloatDays", scheduled.map { days($0.freeFloat, perDay: perDay) })
        w.bool("critical", scheduled?.isCritical ?? false)
        w.key("constraint")
        w.beginObject()
        w.string("type", a.constraint.kind.rawValue)
        time("date", a.constraint.date)
        w.endObject()
        time("deadline", a.deadline)
        w.int("calendarUid", a.calendarUID)
        ref("owner", a.ownerID?.rawValue, view.userNames)
        ref("company", a.companyID?.rawValue, view.companyNames)
        w.string("system", view.systemLabel(a))
        w.string("systemRef", a.systemNumber.map { ItemType.system.reference(projectKey: view.context.project.key, number: $0) })
        w.string("phaseId", a.phaseID.map(UUIDText.lowercase))
        w.number("percentComplete", figures[a.uid]?.percentComplete ?? rounded(a.progress.percentComplete))
        time("actualStart", a.progress.actualStart)
        time("actualFinish", a.progress.actualFinish)
        w.number("remainingDays", a.progress.remainingDuration.map { days($0, perDay: perDay) })
        w.string("progressStatusDate", a.progressStatusDate?.description)
        w.string("notes", a.notes)
        w.int("version", view.activityVersions[a.uid] ?? 1)
        w.bool("canUpdateProgress", !row.hasChildren && view.canUpdateProgress(a))
        w.money("budget", figures[a.uid]?.budget)
        w.money("actualCost", figures[a.uid]?.actualCost)
        let ownCosts = view.canSeeCost(a) && !row.hasChildren
        w.string("costBasis", ownCosts ? a.costBasis.rawValue : nil)
        w.money("budgetAmount", ownCosts ? a.budgetAmount : nil)
        w.number("effortHours", ownCosts ? rounded(a.effortHours) : nil)
        w.number("actualHours", ownCosts ? rounded(a.actualHours) : nil)
        w.endObject()
    }

    /// Every activity in WBS order, as a JSON array.
    static func writeActivities(_ view: PlanView, into w: inout JSONWriter) {
        let scheduled = view.scheduledByUID
        let figures = figures(view)
        w.beginArray()
        for row in view.rows { writeActivity(row, view: view, scheduled: scheduled[row.activity.uid], figures: figures, into: &w) }
        w.endArray()
    }

    /// One activity's JSON.
    static func activity(uid: Int, view: PlanView) throws -> [UInt8] {
        guard let row = view.row(uid) else {
            throw DomainError.notFound("plan.activity_not_found", "There is no activity \(uid) in the plan of \(view.context.project.key).",
                                       subjects: ["\(uid)"])
        }
        var w = JSONWriter()
        writeActivity(row, view: view, scheduled: view.scheduled(uid), figures: figures(view), into: &w)
        return w.bytes
    }

    /// `{"items": [every activity]}`.
    static func activityList(_ view: PlanView) -> [UInt8] {
        var w = JSONWriter(capacity: 800 * view.rows.count + 64)
        w.beginObject()
        w.key("items")
        writeActivities(view, into: &w)
        w.endObject()
        return w.bytes
    }

    /// What the schedule's JSON depends on besides the plan version: whose costs the reader sees, which activities they
    /// may record progress on (all, or their own and their company's), and the names shown (a user, company or system
    /// renamed does not change the plan's version).
    static func scheduleVariant(_ view: PlanView) -> String {
        var names = Hasher()
        for (id, name) in view.userNames.sorted(by: { $0.key.uuidString < $1.key.uuidString }) { names.combine(id); names.combine(name) }
        for (id, name) in view.companyNames.sorted(by: { $0.key.uuidString < $1.key.uuidString }) { names.combine(id); names.combine(name) }
        // And the systems' names the reader may see (a system renamed, or one hidden from this reader).
        for (number, name) in view.systemNames.sorted(by: { $0.key < $1.key }) { names.combine(number); names.combine(name) }
        let costs = seesAllCosts(view) ? "all" : view.context.actor.companyID.description
        // Who may record progress on each activity: everyone's own answer unless they edit the whole plan.
        let progress = view.canEdit ? "all" : "\(view.context.role?.rawValue ?? "-"):\(view.context.actor.userID):\(view.context.actor.companyID)"
        return "\(view.context.project.key)|\(costs)|\(progress)|\(names.finalize())"
    }

    /// The computed schedule: the plan's dates and every activity, written straight as JSON.
    static func schedule(_ view: PlanView) -> [UInt8] {
        var w = JSONWriter(capacity: 800 * view.rows.count + 512)
        w.beginObject()
        w.string("projectKey", view.context.project.key)
        w.string("name", view.snapshot.name)
        w.int("version", view.version)
        w.string("statusDate", view.snapshot.statusDate?.description)
        w.int("minutesPerDay", view.snapshot.minutesPerDay)
        w.string("progressWeighting", view.snapshot.progressWeighting.rawValue)
        w.string("projectStart", view.result.projectStart.description)
        w.string("projectFinish", view.result.projectFinish.description)
        w.bool("scheduled", view.result.isScheduled)
        w.bool("canEdit", view.canEdit)
        w.key("diagnostics")
        w.beginArray()
        for d in view.result.diagnostics {
            w.beginObject()
            w.string("code", d.code.rawValue)
            w.string("message", d.message)
            w.key("activities")
            w.beginArray()
            for id in d.activities { w.int(id.rawValue) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("items")
        writeActivities(view, into: &w)
        w.endObject()
        return w.bytes
    }

    /// A JSON answer already written as bytes, with an optional ETag.
    static func response(bytes: [UInt8], status: HTTPResponseStatus = .ok, version: Int? = nil) -> Response {
        let response = Response(status: status, body: .init(data: Data(bytes)))
        response.headers.contentType = .json
        if let version { response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"") }
        return response
    }

    // MARK: Links

    /// The links, by their successor's then predecessor's place in the WBS.
    static func dependencies(_ view: PlanView) -> [PlanDependencyBody] {
        let order = Dictionary(view.rows.enumerated().map { ($0.element.activity.uid, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let names = activityNames(view)
        return view.snapshot.dependencies.sorted {
            (order[$0.successorUID] ?? 0, order[$0.predecessorUID] ?? 0) < (order[$1.successorUID] ?? 0, order[$1.predecessorUID] ?? 0)
        }.map { PlanDependencyBody($0, names: names, minutesPerDay: view.snapshot.minutesPerDay) }
    }

    static func activityNames(_ view: PlanView) -> [Int: String] {
        Dictionary(view.snapshot.activities.map { ($0.uid, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Calendars, companies, phases

    static func clock(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    static func ranges(_ list: [WorkingTimeRange]) -> [[String]] { list.map { [clock($0.start), clock($0.end)] } }

    /// Company terms the caller may see: all of them, or a vendor's own company's only (rates are commercial data).
    static func visibleCompanies(_ view: PlanView) -> [PlanCompanyTerms] {
        view.snapshot.companies.filter { view.canSeeCost(PlanActivity(uid: 0, name: "", companyID: $0.companyID)) }
            .sorted { (view.companyNames[$0.companyID.rawValue] ?? "", $0.companyID.description) < (view.companyNames[$1.companyID.rawValue] ?? "", $1.companyID.description) }
    }

    /// A typed answer (`PlanBodies`), every field written, null included.
    static func response(body: any Encodable, status: HTTPResponseStatus = .ok, version: Int? = nil) throws -> Response {
        response(bytes: try JSONBytesEncoder(nullsWritten: true).encodeUnspecialized(body), status: status, version: version)
    }
}

// MARK: - Reading bodies

extension PlanJSON {
    /// A day or a time as entered: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` for an exact time.
    enum When: Sendable, Equatable {
        case day(CivilDate)
        case time(LocalTime)
    }

    /// The calendars of a plan, to turn a day into its first or last working minute for a given activity.
    struct CalendarResolver: Sendable {
        let snapshot: PlanSnapshot
        let calendars: [Int: WorkCalendar]

        init(_ snapshot: PlanSnapshot) {
            self.snapshot = snapshot
            self.calendars = Dictionary(snapshot.resolvedCalendars().map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        }

        /// An exact time as given; a day as its first working minute (`end` false) or the end of its last working period.
        func resolve(_ when: When, for a: PlanActivity, end: Bool) -> LocalTime {
            switch when {
            case .time(let t): return t
            case .day(let d):
                let cal = calendars[snapshot.calendarUID(for: a)] ?? WorkCalendar.japan
                let times = cal.workingTimes(on: d)
                if end { return LocalTime(date: d, minuteOfDay: times.last?.end ?? 1440) }
                return LocalTime(date: d, minuteOfDay: times.first?.start ?? 0)
            }
        }
    }

    struct ConstraintInput: Sendable {
        var kind: ActivityConstraint.Kind
        var date: When?
    }

    /// An activity's fields as sent (a create body or a merge patch): nil leaves a field alone, `.some(nil)` clears it.
    struct ActivityPatch: Sendable {
        var name: String?
        var kind: Activity.Kind?
        var parentUID: Int??
        var afterUID: Int?
        var durationMinutes: Int?
        var constraint: ConstraintInput?
        var deadline: When??
        var ownerID: UserID??
        var companyID: CompanyID??
        var calendarUID: Int??
        var system: String?
        var phaseID: UUID??
        var costBasis: CostBasis?
        var budgetAmount: Money?
        var effortHours: Double?
        var notes: String?

        /// Applies the fields; days of the constraint and deadline become working times of the activity's calendar
        /// (the start of the day for start constraints, the end of the day for finish constraints and deadlines).
        func apply(to a: inout PlanActivity, resolver: CalendarResolver, includeParent: Bool) {
            if let name { a.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let kind { a.kind = kind }
            if includeParent, let parentUID { a.parentUID = parentUID }
            if let durationMinutes { a.duration = .working(durationMinutes) }
            if let ownerID { a.ownerID = ownerID }
            if let companyID { a.companyID = companyID }
            if let calendarUID { a.calendarUID = calendarUID }
            if let system { a.system = system }
            if let phaseID { a.phaseID = phaseID }
            if let costBasis { a.costBasis = costBasis }
            if let budgetAmount { a.budgetAmount = budgetAmount }
            if let effortHours { a.effortHours = effortHours }
            if let notes { a.notes = notes }
            let current = a
            if let constraint {
                let finish = [.mustFinishOn, .finishNoEarlierThan, .finishNoLaterThan].contains(constraint.kind)
                a.constraint = ActivityConstraint(constraint.kind, date: constraint.date.map { resolver.resolve($0, for: current, end: finish) })
            }
            if let deadline { a.deadline = deadline.map { resolver.resolve($0, for: current, end: true) } }
        }
    }

    static let notesMax = 10_000

    /// A number as the plan's CSV writes it: whole numbers without a decimal point.
    static func formatted(_ x: Double) -> String { x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    // MARK: Calendars

    /// `"09:00"` → 540; `"24:00"` → 1440.
    static func minute(_ s: String) -> Int? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              h >= 0, m >= 0, m < 60, h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }
}
