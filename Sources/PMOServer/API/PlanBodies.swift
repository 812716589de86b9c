import Foundation
import PMOCore
import PMOSchedule
import PMOStore

// The plan's answers as types (except the schedule and activities, which `PlanJSON` writes straight into bytes for
// speed). Their schemas are derived from these types (`DerivedSchema`); every field is written, null included
// (`PlanJSON.response(body:)`). Times are the plan's local `YYYY-MM-DDTHH:MM:00`, days `YYYY-MM-DD`.

/// Hints shared by the plan's answers.
private enum PlanHint {
    static let day = JSONSchema.date
    static let localTime = PlanSchemas.localTime
}

struct PlanSettingsBody: Codable, DocumentedBody {
    static let schemaName = "PlanSettings"
    static var schemaHints: [String: JSONSchema] { ["start": PlanHint.day, "startTime": PlanHint.localTime, "statusDate": PlanHint.day] }
    var projectKey: String
    var name: String
    var start: String
    var startTime: String
    var statusDate: String?
    var minutesPerDay: Int
    var progressWeighting: ProgressWeighting
    var defaultCalendarUid: Int
    var version: Int
    var activityCount: Int
    var canEdit: Bool
    var hasFeed: Bool

    init(_ view: PlanView) {
        let s = view.snapshot
        projectKey = view.context.project.key; name = s.name; start = s.startDate.description
        startTime = s.start.description; statusDate = s.statusDate?.description; minutesPerDay = s.minutesPerDay
        progressWeighting = s.progressWeighting
        defaultCalendarUid = s.defaultCalendarUID; version = view.version; activityCount = s.activities.count
        canEdit = view.canEdit; hasFeed = view.hasFeed
    }
}

struct PlanDependencyBody: Codable, DocumentedBody {
    static let schemaName = "PlanDependency"
    static var schemaHints: [String: JSONSchema] {
        ["type": .enumeration(["FS", "SS", "FF", "SF"]), "lagKind": .enumeration(["working", "elapsed", "percent"])]
    }
    var id: String
    var predecessorUid: Int
    var successorUid: Int
    var predecessorName: String
    var successorName: String
    var type: String
    var lagKind: String
    var lagMinutes: Int?
    var lagDays: Double?
    var lagPercent: Double?

    init(_ d: PlanDependency, names: [Int: String], minutesPerDay: Int) {
        id = UUIDText.lowercase(d.id); predecessorUid = d.predecessorUID; successorUid = d.successorUID
        predecessorName = names[d.predecessorUID] ?? ""; successorName = names[d.successorUID] ?? ""; type = d.kind.rawValue
        switch d.lag {
        case .working(let m): lagKind = "working"; lagMinutes = m; lagDays = PlanJSON.days(m, perDay: minutesPerDay)
        case .elapsed(let m): lagKind = "elapsed"; lagMinutes = m; lagDays = PlanJSON.days(m, perDay: 1440)
        case .percent(let p): lagKind = "percent"; lagPercent = p
        }
    }
}

/// How a calendar exception repeats; only the fields of its type are written.
struct PlanRepeatsBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] {
        ["type": .enumeration(["daily", "weekly", "monthlyDay", "monthlyWeekday", "yearlyDate", "yearlyWeekday"])]
    }
    var type: String
    var interval: Int?
    var weekdays: [Int]?
    var day: Int?
    var month: Int?
    var ordinal: Int?
    var weekday: Int?

    init?(_ r: CalendarException.Recurrence) {
        switch r {
        case .everyDay: return nil
        case .daily(let i): type = "daily"; interval = i
        case .weekly(let i, let days): type = "weekly"; interval = i; weekdays = days.sorted()
        case .monthlyOnDay(let i, let d): type = "monthlyDay"; interval = i; day = d
        case .monthlyOnWeekday(let i, let o, let w): type = "monthlyWeekday"; interval = i; ordinal = o; weekday = w
        case .yearlyOnDate(let m, let d): type = "yearlyDate"; month = m; day = d
        case .yearlyOnWeekday(let m, let o, let w): type = "yearlyWeekday"; month = m; ordinal = o; weekday = w
        }
    }

    private enum CodingKeys: String, CodingKey { case type, interval, weekdays, day, month, ordinal, weekday }

    /// Written by hand: a field the type does not use is left out, not null.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        if let interval { try c.encode(interval, forKey: .interval) }
        if let weekdays { try c.encode(weekdays, forKey: .weekdays) }
        if let day { try c.encode(day, forKey: .day) }
        if let month { try c.encode(month, forKey: .month) }
        if let ordinal { try c.encode(ordinal, forKey: .ordinal) }
        if let weekday { try c.encode(weekday, forKey: .weekday) }
    }
}

struct PlanCalendarExceptionBody: Codable, DocumentedBody {
    static let schemaName = "PlanCalendarException"
    static var schemaHints: [String: JSONSchema] {
        ["from": PlanHint.day, "to": PlanHint.day, "working": PlanSchemas.ranges]
    }
    var name: String
    var from: String
    var to: String
    var working: [[String]]
    var repeats: PlanRepeatsBody?

    init(_ e: CalendarException) {
        name = e.name; from = e.firstDay.description; to = e.lastDay.description
        working = PlanJSON.ranges(e.workingTimes); repeats = PlanRepeatsBody(e.recurrence)
    }
}

struct PlanCalendarBody: Codable, DocumentedBody {
    static let schemaName = "PlanCalendar"
    static var schemaHints: [String: JSONSchema] {
        ["week": JSONSchema.array(PlanSchemas.ranges).itemCount(7...7).described("Sunday first"),
         "holidays": .enumeration(["japan", "none"]), "companyId": .uuid]
    }
    var uid: Int
    var name: String
    var week: [[[String]]]
    var holidays: String
    var exceptions: [PlanCalendarExceptionBody]
    var timeZone: String
    var baseUid: Int?
    var companyId: String?
    var isDefault: Bool

    init(_ c: PlanCalendar, defaultUID: Int) {
        let cal = c.calendar
        uid = c.uid; name = cal.name; week = cal.week.map(PlanJSON.ranges); holidays = cal.holidays.rawValue
        exceptions = cal.exceptions.map(PlanCalendarExceptionBody.init); timeZone = cal.timeZoneIdentifier
        baseUid = c.baseUID; companyId = c.companyID?.description; isDefault = c.uid == defaultUID
    }
}

struct PlanClosureBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["from": PlanHint.day, "to": PlanHint.day] }
    var name: String
    var from: String
    var to: String
}

struct PlanCompanyBody: Codable, DocumentedBody {
    static let schemaName = "PlanCompany"
    var companyId: String
    var companyName: String
    /// Whole yen per hour.
    var hourlyRate: Int64?
    var calendarUid: Int?
    var closures: [PlanClosureBody]

    init(_ t: PlanCompanyTerms, view: PlanView) {
        let closures = t.calendarUID.flatMap { uid in view.snapshot.calendars.first { $0.uid == uid } }?.calendar.exceptions ?? []
        companyId = t.companyID.description; companyName = view.companyNames[t.companyID.rawValue] ?? ""
        hourlyRate = t.hourlyRate?.amount; calendarUid = t.calendarUID
        self.closures = closures.map { PlanClosureBody(name: $0.name, from: $0.firstDay.description, to: $0.lastDay.description) }
    }
}

struct PlanPhaseBody: Codable, DocumentedBody {
    static let schemaName = "PlanPhase"
    var id: String
    var name: String
    var definition: String
    var exitCriteria: String

    init(_ p: PlanPhase) { id = UUIDText.lowercase(p.id); name = p.name; definition = p.definition; exitCriteria = p.exitCriteria }
}

struct PlanBaselineBody: Codable, DocumentedBody {
    static let schemaName = "PlanBaseline"
    static var schemaHints: [String: JSONSchema] { ["takenOn": PlanHint.day] }
    var number: Int
    var name: String
    var takenOn: String
    var activities: Int

    init(_ b: PlanBaseline) { number = b.number; name = b.name; takenOn = b.takenOn.description; activities = b.entries.count }
}

struct PlanSlipBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] {
        ["baselineStart": PlanHint.localTime, "baselineFinish": PlanHint.localTime, "start": PlanHint.localTime, "finish": PlanHint.localTime]
    }
    var uid: Int
    var outline: String
    var name: String
    var baselineStart: String?
    var baselineFinish: String?
    var start: String
    var finish: String
    var startSlipDays: Double?
    var finishSlipDays: Double?
    var milestone: Bool
    var critical: Bool

    init(_ s: BaselineSlip) {
        uid = s.row.activity.uid; outline = s.row.outline; name = s.row.activity.name
        baselineStart = s.baselineStart?.description; baselineFinish = s.baselineFinish?.description
        start = s.start.description; finish = s.finish.description
        startSlipDays = s.startSlipDays; finishSlipDays = s.finishSlipDays; milestone = s.isMilestone; critical = s.isCritical
    }
}

struct PlanBaselineComparisonBody: Codable, DocumentedBody {
    static let schemaName = "PlanBaselineComparison"
    var baseline: PlanBaselineBody
    var items: [PlanSlipBody]
}


// MARK: Earned value

/// The earned-value figures of one scope: amounts in whole yen (rounded half up from the computation, the product's
/// one rounding rule), indexes to four places.
struct PlanEarnedValueFiguresBody: Codable, DocumentedBody {
    static let schemaName = "PlanEarnedValueFigures"
    var bac, pv, ev, ac, sv, cv: Int64
    var spi, cpi: Double?
    var eac: Int64
    var eacTypical: Int64?
    var eacAtypical: Int64
    var eacCombined: Int64?
    var etc, etcAtBudget: Int64
    var etcAtCpi: Int64?
    var vac: Int64
    var tcpi: Double?

    init(_ v: EarnedValue) {
        func money(_ x: Double) -> Int64 { PlanJSON.yen(x) }
        func index(_ x: Double?) -> Double? { x.map { PlanJSON.rounded($0, 4) } }
        let eac = v.eacTypical ?? v.eacAtypical
        bac = money(v.bac); pv = money(v.pv); ev = money(v.ev); ac = money(v.ac); sv = money(v.sv); cv = money(v.cv)
        spi = index(v.spi); cpi = index(v.cpi); self.eac = money(eac); eacTypical = v.eacTypical.map(money)
        eacAtypical = money(v.eacAtypical); eacCombined = v.eacCombined.map(money); etc = money(v.etcAtCPI ?? v.etcAtBudget)
        etcAtBudget = money(v.etcAtBudget); etcAtCpi = v.etcAtCPI.map(money); vac = money(v.vac(eac: eac)); tcpi = index(v.tcpiToBAC)
    }
}

/// A breakdown row: who or what the figures are of, then the figures themselves in the same object.
struct PlanEarnedValueRowBody<Subject: Codable & HintedBody>: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { Subject.schemaHints }
    var subject: Subject
    var figures: PlanEarnedValueFiguresBody

    init(_ subject: Subject, _ figures: EarnedValue) { self.subject = subject; self.figures = PlanEarnedValueFiguresBody(figures) }

    // One flat object: the subject's fields, then the figures' (the encoder and the schema's decoder both share one
    // container between the two).
    init(from decoder: any Decoder) throws {
        subject = try Subject(from: decoder)
        figures = try PlanEarnedValueFiguresBody(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try subject.encode(to: encoder)
        try figures.encode(to: encoder)
    }
}

struct PlanEarnedValueCompany: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["companyId": .uuid] }
    var companyId: String?
    var companyName: String?
}

struct PlanEarnedValueBranch: Codable, HintedBody {
    var uid: Int
    var outline: String
    var name: String
}

struct PlanEarnedValueTrendBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["statusDate": PlanHint.day] }
    var statusDate: String
    /// Whole yen.
    var pv, ev, ac: Int64
    var spi, cpi: Double?
}

struct PlanPlannedValueBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["date": PlanHint.day] }
    var date: String
    /// Whole yen.
    var pv: Int64
}

/// The earned-value report as the caller may see it. A vendor gets its own company's figures only: no project
/// totals, no branches, no planned-value curve (all of which sum other companies' budgets).
struct PlanEarnedValueBody: Codable, DocumentedBody {
    static let schemaName = "PlanEarnedValue"
    static var schemaHints: [String: JSONSchema] {
        ["statusDate": PlanHint.day, "scope": .enumeration(["project", "company"]), "companyId": .uuid]
    }
    var statusDate: String
    var baseline: Int?
    var scope: String
    var companyId: String?
    var project: PlanEarnedValueFiguresBody?
    var byCompany: [PlanEarnedValueRowBody<PlanEarnedValueCompany>]
    var byBranch: [PlanEarnedValueRowBody<PlanEarnedValueBranch>]
    var trend: [PlanEarnedValueTrendBody]
    var pvCurve: [PlanPlannedValueBody]

    init(_ r: EarnedValueReport) {
        let view = r.view
        let all = PlanJSON.seesAllCosts(view)
        let own = view.context.actor.companyID
        func name(_ c: CompanyID?) -> String? { c.map { view.companyNames[$0.rawValue] ?? "" } }
        statusDate = r.statusDate.description
        baseline = r.baseline
        scope = all ? "project" : "company"
        companyId = all ? nil : own.description
        project = all ? PlanEarnedValueFiguresBody(r.current.project) : nil
        // Companies by name; activities without a company last.
        byCompany = r.current.companies.filter { all || $0.key == own }
            .sorted { (name($0.key) ?? "\u{10FFFF}", $0.key?.description ?? "") < (name($1.key) ?? "\u{10FFFF}", $1.key?.description ?? "") }
            .map { PlanEarnedValueRowBody(PlanEarnedValueCompany(companyId: $0.key?.description, companyName: name($0.key)), $0.value) }
        byBranch = all ? view.rows.filter { $0.level == 1 }.compactMap { row in
            r.current.activities[row.activity.uid].map {
                PlanEarnedValueRowBody(PlanEarnedValueBranch(uid: row.activity.uid, outline: row.outline, name: row.activity.name), $0)
            }
        } : []
        trend = r.trend.map { b in
            let v = all ? b.project : (b.companies[own] ?? EarnedValue(bac: 0, pv: 0, ev: 0, ac: 0))
            return PlanEarnedValueTrendBody(statusDate: b.statusDate.description, pv: PlanJSON.yen(v.pv), ev: PlanJSON.yen(v.ev),
                                            ac: PlanJSON.yen(v.ac), spi: v.spi.map { PlanJSON.rounded($0, 4) },
                                            cpi: v.cpi.map { PlanJSON.rounded($0, 4) })
        }
        pvCurve = all ? r.pvCurve.map { PlanPlannedValueBody(date: $0.0.description, pv: PlanJSON.yen($0.1)) } : []
    }
}

// MARK: Progress review and import

struct PlanProgressChangeBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] {
        ["statusDate": PlanHint.day, "recordedAt": .instant, "actualStart": PlanHint.localTime, "actualFinish": PlanHint.localTime]
    }
    var uid: Int
    var name: String
    var statusDate: String
    var recordedBy: String?
    var recordedAt: String
    var percentBefore: Double
    var percentAfter: Double
    var actualStart: String?
    var actualFinish: String?
}

struct PlanNotUpdatedBody: Codable, HintedBody {
    var uid: Int
    var outline: String
    var name: String
    var owner: PersonRef?
    var company: PersonRef?
    var percentComplete: Double
}

struct PlanProgressReviewBody: Codable, DocumentedBody {
    static let schemaName = "PlanProgressReview"
    static var schemaHints: [String: JSONSchema] { ["statusDate": PlanHint.day, "previousStatusDate": PlanHint.day] }
    var statusDate: String?
    var previousStatusDate: String?
    var statusDates: [String]
    var changes: [PlanProgressChangeBody]
    var notUpdated: [PlanNotUpdatedBody]

    init(_ r: ProgressReview, view: PlanView) {
        statusDate = r.statusDate?.description
        previousStatusDate = r.previousStatusDate?.description
        statusDates = r.statusDates.map(\.description)
        changes = r.changes.map { c in
            PlanProgressChangeBody(uid: c.uid, name: c.name, statusDate: c.statusDate.description, recordedBy: c.recordedBy,
                                   recordedAt: InstantText.iso8601(c.recordedAt), percentBefore: PlanJSON.rounded(c.percentBefore),
                                   percentAfter: PlanJSON.rounded(c.percentAfter), actualStart: c.actualStart?.description,
                                   actualFinish: c.actualFinish?.description)
        }
        notUpdated = r.notUpdated.map { row in
            let a = row.activity
            return PlanNotUpdatedBody(uid: a.uid, outline: row.outline, name: a.name,
                                      owner: PersonRef(a.ownerID, view.userNames),
                                      company: PersonRef(a.companyID, view.companyNames),
                                      percentComplete: PlanJSON.rounded(a.progress.percentComplete))
        }
    }
}

struct PlanDiagnosticBody: Codable, DocumentedBody {
    static let schemaName = "PlanDiagnostic"
    var code: String
    var message: String
    var activities: [Int]

    init(_ d: ScheduleDiagnostic) { code = d.code.rawValue; message = d.message; activities = d.activities.map(\.rawValue) }
}

struct PlanImportRowBody: Codable, HintedBody {
    static var schemaHints: [String: JSONSchema] { ["start": PlanHint.localTime, "finish": PlanHint.localTime] }
    var outline: String
    var name: String
    var start: String?
    var finish: String?
    var critical: Bool
}

struct PlanImportSummaryBody: Codable, DocumentedBody {
    static let schemaName = "PlanImportSummary"
    var applied: Bool
    var projectKey: String
    var activities: Int
    var links: Int
    var calendars: [String]
    var baselines: [Int]
    var rows: [PlanImportRowBody]
    var problems: [PlanDiagnosticBody]
    var resources: [PlanImportResourceBody]

    /// `apply` false marks a preview as not applied whatever the summary says (a preview is always rolled back).
    init(_ s: PlanImportSummary, apply: Bool) {
        applied = apply && s.applied; projectKey = s.projectKey; activities = s.activities; links = s.links
        calendars = s.calendars; baselines = s.baselines
        rows = s.rows.map { PlanImportRowBody(outline: $0.outline, name: $0.name, start: $0.start?.description,
                                              finish: $0.finish?.description, critical: $0.isCritical) }
        problems = s.problems.map(PlanDiagnosticBody.init)
        resources = s.resources.map { PlanImportResourceBody(fileName: $0.fileName, resource: $0.resourceName, matchedBy: $0.how.rawValue,
                                                             assignments: $0.assignments, absences: $0.absences) }
    }
}

/// A resource of the imported file and the product's resource it became.
struct PlanImportResourceBody: Codable, DocumentedBody {
    static let schemaName = "PlanImportResource"
    static var schemaHints: [String: JSONSchema] {
        ["matchedBy": JSONSchema.enumeration(["email", "name", "placeholder"]).described("email or name: an existing resource; placeholder: created"),
         "absences": JSONSchema.integer.described("Absences added from the leave in the resource's own calendar in the file (days it takes off that its base calendar works)")]
    }
    var fileName: String
    var resource: String
    var matchedBy: String
    var assignments: Int
    var absences: Int
}

struct PlanFeedTokenBody: Codable, DocumentedBody {
    static let schemaName = "PlanFeedToken"
    var url: String
    var path: String
    var token: String
}

extension PlanSchemas {
    /// The plan's answers that are types: their schemas come from the types.
    static var derivedBodies: [any DocumentedBody.Type] { [
        PlanImportResourceBody.self,
        PlanSettingsBody.self, PlanDiagnosticBody.self, PlanProgressReviewBody.self, PlanDependencyBody.self,
        ListBody<PlanDependencyBody>.self, PlanCalendarExceptionBody.self, PlanCalendarBody.self, ListBody<PlanCalendarBody>.self,
        PlanCompanyBody.self, ListBody<PlanCompanyBody>.self, PlanPhaseBody.self, ListBody<PlanPhaseBody>.self,
        PlanBaselineBody.self, ListBody<PlanBaselineBody>.self, PlanBaselineComparisonBody.self,
        PlanEarnedValueFiguresBody.self, PlanEarnedValueBody.self, PlanImportSummaryBody.self, PlanFeedTokenBody.self,
    ] }
}
