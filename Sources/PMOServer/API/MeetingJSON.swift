import Foundation
import PMOCore
import PMOStore
import Vapor

/// Meetings and status reports as JSON: meeting series, occurrences with their agenda and minutes, approved minutes
/// versions, status reports, the portfolio and the kickoff pack; and the readers of the bodies their routes take.
///
/// People come back as `{id, name}` and go in as user ids; a reason (why an item is on the agenda, why an area has its
/// colour) is a stable `code` with its `values`, so that every reader words it in its own language.
enum MeetingJSON {
    // MARK: Output helpers

    static func id(_ u: UUID) -> String { u.uuidString.lowercased() }
    static func orNull(_ v: Any?) -> Any { v ?? NSNull() }
    static func date(_ d: CalendarDate?) -> Any { d.map { $0.description as Any } ?? NSNull() }
    static func instant(_ d: Date?) -> Any { d.map { InstantText.iso8601($0) as Any } ?? NSNull() }

    static func person(_ id: UserID?, _ names: [UUID: String]) -> Any {
        guard let id else { return NSNull() }
        return ["id": id.description, "name": names[id.rawValue] ?? ""] as [String: Any]
    }

    static func company(_ id: CompanyID?, _ names: [UUID: String]) -> Any {
        guard let id else { return NSNull() }
        return ["id": id.description, "name": names[id.rawValue] ?? ""] as [String: Any]
    }

    static func visibility(_ v: Visibility) -> [String: Any] {
        ["scope": v.scope.rawValue, "company": orNull(v.companyID?.description)]
    }

    /// `issue`, `risk`, `decision`, `question`, `change` or `action`.
    static func typeName(_ t: ItemType) -> String { t.register?.rawValue ?? "issue" }

    static func reason(_ code: String, _ values: [String]) -> [String: Any] { ["code": code, "values": values] }

    static func response(_ object: Any, status: HTTPResponseStatus = .ok, version: Int? = nil) throws -> Response {
        try RegisterJSON.response(object, status: status, version: version)
    }

    // MARK: Series

    static func series(_ s: MeetingSeriesView) -> [String: Any] {
        let f = s.fields
        let r = f.recurrence
        return [
            "id": id(s.id), "projectKey": s.projectKey, "name": f.name, "purpose": f.purpose,
            "chair": person(f.chairID, s.userNames), "firstDate": r.firstDate.description, "weekday": r.firstDate.weekday,
            "intervalWeeks": r.intervalWeeks, "startTime": MeetingRecurrence.clock(r.startMinutes),
            "durationMinutes": r.durationMinutes, "location": f.location,
            "attendees": f.attendeeIDs.map { person($0, s.userNames) }, "rules": f.rules.map(\.rawValue),
            "riskThreshold": f.riskThreshold, "company": company(f.companyID, s.companyNames),
            "visibility": visibility(f.visibility), "version": s.version, "canManage": s.canManage, "canRun": s.canRun,
        ]
    }

    static func occurrenceSummary(_ o: OccurrenceSummary) -> [String: Any] {
        ["id": id(o.id), "number": o.number, "date": o.date.description, "startTime": MeetingRecurrence.clock(o.startMinutes),
         "status": o.status.rawValue, "approvedVersions": o.approvedVersions]
    }

    // MARK: Occurrences

    static func agendaReason(_ r: AgendaReason) -> [String: Any] { reason(r.code.rawValue, r.values) }

    static func output(_ o: MeetingOutputView) -> [String: Any] {
        ["id": id(o.id), "agendaItem": orNull(o.agendaItemID.map(id)), "type": typeName(o.type), "reference": o.reference,
         "number": o.number, "title": o.title, "status": o.status, "ownerId": orNull(o.ownerID?.description),
         "dueDate": date(o.dueDate), "visibility": visibility(o.visibility)]
    }

    static func agendaItem(_ i: AgendaItemView) -> [String: Any] {
        ["id": id(i.id), "position": i.position, "rule": orNull(i.rule?.rawValue), "itemType": orNull(i.itemType.map(typeName)),
         "itemNumber": orNull(i.itemNumber), "reference": orNull(i.reference), "activityUid": orNull(i.activityUID),
         "title": i.title, "reasons": i.reasons.map(agendaReason), "notes": i.notes, "carry": i.carry,
         "visibility": visibility(i.visibility), "version": i.version, "outputs": i.outputs.map(output)]
    }

    static func occurrence(_ o: OccurrenceView) -> [String: Any] {
        let names = o.series.userNames
        let absent = o.series.fields.attendeeIDs.filter { !o.presentIDs.contains($0) }
        let approvedVersion = o.minutesVersion - 1
        return [
            "id": id(o.id), "seriesId": id(o.series.id), "seriesName": o.series.fields.name, "projectKey": o.series.projectKey,
            "number": o.number, "date": o.date.description, "startTime": MeetingRecurrence.clock(o.startMinutes),
            "durationMinutes": o.durationMinutes, "location": o.series.fields.location, "status": o.status.rawValue,
            "frozen": o.isFrozen, "chair": person(o.series.fields.chairID, names), "notes": o.notes,
            "present": o.presentIDs.map { person($0, names) }, "absent": absent.map { person($0, names) },
            "minutesVersion": o.minutesVersion, "approvedVersion": approvedVersion > 0 ? approvedVersion as Any : NSNull(),
            "preparedAt": instant(o.preparedAt), "approvedAt": instant(o.approvedAt),
            "approvedBy": person(o.approvedByID, names), "version": o.version, "canRun": o.series.canRun,
            "items": o.items.map(agendaItem), "outputs": o.outputs.map(output),
        ]
    }

    static func minutesPerson(_ p: MinutesDocument.Person?) -> Any {
        guard let p else { return NSNull() }
        return ["id": p.id.description, "name": p.name, "company": orNull(p.company)] as [String: Any]
    }

    static func minutesOutput(_ o: MinutesDocument.Output) -> [String: Any] {
        ["reference": o.reference, "type": typeName(o.type), "title": o.title, "visibility": visibility(o.visibility)]
    }

    /// Approved minutes as they were approved.
    static func minutes(_ d: MinutesDocument) -> [String: Any] {
        [
            "projectKey": d.projectKey, "seriesName": d.seriesName, "occurrence": d.occurrence, "date": d.date.description,
            "startTime": MeetingRecurrence.clock(d.startMinutes), "durationMinutes": d.durationMinutes, "location": d.location,
            "chair": minutesPerson(d.chair), "present": d.present.map(minutesPerson), "absent": d.absent.map(minutesPerson),
            "notes": d.notes, "version": d.version, "approvedBy": minutesPerson(d.approvedBy), "approvedAt": instant(d.approvedAt),
            "items": d.items.map { i in
                ["position": i.position, "rule": orNull(i.rule?.rawValue), "reference": orNull(i.reference),
                 "activityUid": orNull(i.activityUID), "title": i.title, "reasons": i.reasons.map(agendaReason), "notes": i.notes,
                 "carry": i.carry, "visibility": visibility(i.visibility), "outputs": i.outputs.map(minutesOutput)] as [String: Any]
            },
            "outputs": d.outputs.map(minutesOutput),
        ]
    }

    // MARK: Status reports

    static func statusReason(_ r: StatusReason) -> [String: Any] { reason(r.code.rawValue, r.values) }

    static func area(_ a: AreaStatus) -> [String: Any] {
        ["area": a.area.rawValue, "computed": a.computed.rawValue, "override": orNull(a.override?.rawValue),
         "overrideReason": orNull(a.overrideReason), "rag": a.rag.rawValue, "reasons": a.reasons.map(statusReason)]
    }

    static func reportItem(_ i: ReportItem) -> [String: Any] {
        let isIssue = ItemReference(i.reference)?.type == .issue
        return ["reference": i.reference, "title": i.title, "status": i.status, "owner": orNull(i.owner), "dueDate": date(i.dueDate),
                "score": orNull(i.score), "priority": orNull(isIssue ? i.score.flatMap(IssuePriority.init(rank:))?.rawValue : nil),
                "decider": orNull(i.decider), "visibility": visibility(i.visibility)]
    }

    static func milestone(_ m: MilestoneStatus) -> [String: Any] {
        ["uid": m.uid, "name": m.name, "baselineFinish": date(m.baselineFinish), "forecastFinish": m.forecastFinish.description,
         "slipDays": orNull(m.slipDays.map { PlanJSON.rounded($0) }), "done": m.done]
    }

    static func metrics(_ m: StatusMetrics) -> [String: Any] {
        [
            "hasPlan": m.hasPlan, "spi": PlanJSON.index(m.spi), "cpi": PlanJSON.index(m.cpi),
            "plannedPercent": orNull(m.plannedPercent), "earnedPercent": orNull(m.earnedPercent),
            "bac": PlanJSON.money(m.bac), "pv": PlanJSON.money(m.pv), "ev": PlanJSON.money(m.ev), "ac": PlanJSON.money(m.ac),
            "eac": PlanJSON.money(m.eac), "changesApproved": m.changesApproved, "changesApprovedSinceLast": m.changesApprovedSinceLast,
            "changeDaysApproved": PlanJSON.rounded(m.changeDaysApproved), "changeCostApproved": PlanJSON.money(m.changeCostApproved),
            "changesPending": m.changesPending, "openIssues": m.openIssues, "openCriticalIssues": m.openCriticalIssues,
            "openHighIssues": m.openHighIssues, "openQualityRisks": m.openQualityRisks, "openRisks": m.openRisks,
            "riskThreshold": m.riskThreshold, "risksAboveThreshold": m.risksAboveThreshold, "risksRed": m.risksRed,
            "triggered": m.triggered.map { ["reference": $0.reference, "sign": $0.sign, "score": $0.score] as [String: Any] },
        ]
    }

    static func curvePoint(_ p: CurvePoint) -> [String: Any] {
        ["date": p.date.description, "pv": PlanJSON.money(p.pv), "ev": PlanJSON.money(p.ev), "ac": PlanJSON.money(p.ac)]
    }

    static func areaChange(_ c: StatusComparison.AreaChange) -> [String: Any] {
        ["area": c.area.rawValue, "from": orNull(c.from?.rawValue), "to": c.to.rawValue, "trend": c.trend]
    }

    static func comparison(_ c: StatusComparison) -> [String: Any] {
        ["previousDate": date(c.previousDate), "areas": c.areas.map(areaChange),
         "metrics": c.metrics.map { ["name": $0.name, "from": PlanJSON.index($0.from), "to": PlanJSON.index($0.to)] as [String: Any] },
         "newItems": c.newItems.map(reportItem), "goneItems": c.goneItems.map(reportItem)]
    }

    static func reportSummary(_ r: StatusReportSummary) -> [String: Any] {
        ["id": id(r.id), "statusDate": r.statusDate.description, "state": r.state.rawValue, "overall": orNull(r.overall?.rawValue),
         "issuedAt": instant(r.issuedAt), "version": r.version]
    }

    static func report(_ r: StatusReportView) -> [String: Any] {
        let c = r.content
        return [
            "id": id(r.id), "projectKey": r.projectKey, "projectName": c.projectName, "statusDate": c.statusDate.description,
            "state": r.state.rawValue, "version": r.version, "createdAt": InstantText.iso8601(r.createdAt),
            "issuedAt": instant(r.issuedAt), "issuedBy": orNull(r.issuedBy), "supersedes": orNull(r.supersedesID.map(id)),
            "supersededBy": orNull(r.supersededByID.map(id)), "canEdit": r.canEdit, "canOverride": r.canOverride,
            "overall": c.overall.rawValue, "areas": c.areas.map(area),
            "overrides": r.overrides.map { ["area": $0.area.rawValue, "rag": $0.rag.rawValue, "reason": $0.reason] as [String: Any] },
            "metrics": metrics(c.metrics), "milestones": c.metrics.milestones.map(milestone),
            "topIssues": c.topIssues.map(reportItem), "topRisks": c.topRisks.map(reportItem),
            "decisionsNeeded": c.decisionsNeeded.map(reportItem), "curve": c.curve.map(curvePoint),
            "comment": c.comment, "done": c.done, "next": c.next, "comparison": comparison(r.comparison),
        ]
    }

    static func portfolioRow(_ p: PortfolioRow) -> [String: Any] {
        [
            "projectKey": p.projectKey, "projectName": p.projectName, "phase": p.phase,
            "statusDate": date(p.latest?.statusDate), "overall": orNull(p.latest?.overall.rawValue),
            "issuedAt": instant(p.latestIssuedAt), "areas": (p.latest?.areas ?? []).map(area),
            "previousDate": date(p.comparison?.previousDate), "trend": (p.comparison?.areas ?? []).map(areaChange),
        ]
    }

    static func kickoff(_ k: KickoffPack) -> [String: Any] {
        [
            "projectKey": k.projectKey, "projectName": k.projectName, "purpose": k.purpose, "businessOwner": k.businessOwner,
            "phase": k.phase, "startDate": date(k.startDate), "targetDate": date(k.targetDate), "scope": k.scope,
            "systems": k.systems,
            "members": k.members.map { ["name": $0.name, "company": $0.company, "role": $0.role] as [String: Any] },
            "phases": k.phases.map {
                ["name": $0.name, "definition": $0.definition, "exitCriteria": $0.exitCriteria, "start": date($0.start),
                 "finish": date($0.finish)] as [String: Any]
            },
            "milestones": k.milestones.map(milestone), "topIssues": k.topIssues.map(reportItem), "topRisks": k.topRisks.map(reportItem),
            "meetings": k.meetings.map { m in
                ["name": m.name, "purpose": m.purpose, "chair": orNull(m.chair), "firstDate": m.recurrence.firstDate.description,
                 "weekday": m.weekday, "intervalWeeks": m.recurrence.intervalWeeks,
                 "startTime": MeetingRecurrence.clock(m.recurrence.startMinutes), "durationMinutes": m.recurrence.durationMinutes,
                 "attendees": m.attendees] as [String: Any]
            },
            "lastReportDate": date(k.lastReportDate),
        ]
    }

    // MARK: Readers

    static let seriesFields: Set<String> = ["name", "purpose", "chair", "firstDate", "intervalWeeks", "startTime", "durationMinutes",
                                            "location", "attendees", "rules", "riskThreshold", "company", "visibility"]

    /// Whole numbers the domain rules check (MeetingRules names the allowed range); this only refuses absurd ones.
    static let wide = -1_000_000...1_000_000

    /// Reads a series body onto `current` (a merge: fields left out stay; `null` clears an optional one). On create,
    /// `name` and `firstDate` are required.
    static func readSeries(_ input: inout JSONInput, onto current: MeetingSeriesFields, create: Bool) -> MeetingSeriesFields {
        var f = current
        if create {
            for k in ["name", "firstDate"] where !input.has(k) { input.errors.add(k, "required", "\(k) is required.") }
        }
        if input.has("name") { f.name = input.string("name", max: MeetingRules.nameMax, required: true) ?? f.name }
        if input.has("purpose") { f.purpose = input.isNull("purpose") ? "" : input.string("purpose", max: MeetingRules.textMax) ?? f.purpose }
        if input.has("location") { f.location = input.isNull("location") ? "" : input.string("location", max: 500) ?? f.location }
        if input.has("chair") { f.chairID = input.isNull("chair") ? nil : input.uuid("chair").map(UserID.init) ?? f.chairID }
        if input.has("company") { f.companyID = input.isNull("company") ? nil : input.uuid("company").map(CompanyID.init) ?? f.companyID }
        if input.has("firstDate") {
            if input.isNull("firstDate") { input.errors.add("firstDate", "required", "firstDate cannot be null (YYYY-MM-DD).") }
            if let d = input.date("firstDate") { f.recurrence.firstDate = d }
        }
        func whole(_ k: String) -> Int? {
            guard input.has(k) else { return nil }
            if input.isNull(k) { input.errors.add(k, "required", "\(k) cannot be null."); return nil }
            return input.int(k, range: wide)
        }
        if let v = whole("intervalWeeks") { f.recurrence.intervalWeeks = v }
        if let v = whole("durationMinutes") { f.recurrence.durationMinutes = v }
        if let v = whole("riskThreshold") { f.riskThreshold = v }
        if input.has("startTime") {
            if let text = input.string("startTime", max: 10, required: true) {
                if let m = MeetingRecurrence.minutes(ofClock: text) { f.recurrence.startMinutes = m } else {
                    input.errors.add("startTime", "invalid_time", "startTime must be a time of day written HH:MM, e.g. 10:00 (got \(text)).")
                }
            }
        }
        if input.has("attendees") {
            f.attendeeIDs = ids(&input, "attendees").map(UserID.init)
        }
        if input.has("rules") {
            f.rules = rules(&input)
        }
        if input.has("visibility") {
            if let v = readVisibility(input.object["visibility"], errors: &input.errors) { f.visibility = v }
        }
        return f
    }

    /// A list of ids; `null` is an empty list.
    static func ids(_ input: inout JSONInput, _ key: String) -> [UUID] {
        switch input.object[key] {
        case .null?, nil: return []
        case .array(let list)?:
            var out: [UUID] = []
            for (i, element) in list.enumerated() {
                if case .string(let s) = element, let u = UUID(uuidString: s) { out.append(u) } else {
                    input.errors.add("\(key)[\(i)]", "invalid_id", "\(key) must be a list of user ids.")
                }
            }
            return out
        default:
            input.errors.add(key, "wrong_type", "\(key) must be a list of user ids.")
            return []
        }
    }

    static func rules(_ input: inout JSONInput) -> [AgendaRule] {
        let names = AgendaRule.allCases.map(\.rawValue).joined(separator: ", ")
        switch input.object["rules"] {
        case .null?: return []
        case .array(let list)?:
            var out: [AgendaRule] = []
            for (i, element) in list.enumerated() {
                guard case .string(let s) = element, let rule = AgendaRule(rawValue: s) else {
                    let got: String = if case .string(let s) = element { s } else { "a non-string" }
                    input.errors.add("rules[\(i)]", "invalid_choice", "\(got) is not an agenda rule. Rules: \(names).")
                    continue
                }
                if out.contains(rule) {
                    input.errors.add("rules[\(i)]", "duplicate", "\(s) is named twice.")
                } else {
                    out.append(rule)
                }
            }
            return out
        default:
            input.errors.add("rules", "wrong_type", "rules must be a list of agenda rule names: \(names).")
            return []
        }
    }

    /// `{"scope": "project"|"internal"|"company", "company": id}`.
    static func readVisibility(_ value: JSONValue?, errors: inout FieldErrors) -> Visibility? {
        guard case .object(let o)? = value else {
            errors.add("visibility", "wrong_type", "visibility must be an object {\"scope\": \"project\"|\"internal\"|\"company\", \"company\": id}.")
            return nil
        }
        for k in o.keys.sorted() where k != "scope" && k != "company" {
            errors.add("visibility.\(k)", "unknown_field", "Unknown field \(k) in visibility. Allowed: company, scope.")
        }
        let scopes = VisibilityScope.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .string(let s)? = o["scope"], let scope = VisibilityScope(rawValue: s) else {
            errors.add("visibility.scope", o["scope"] == nil ? "required" : "invalid_choice", "visibility.scope must be one of: \(scopes).")
            return nil
        }
        var company: CompanyID?
        switch o["company"] {
        case nil, .null?: break
        case .string(let c)?:
            if let u = UUID(uuidString: c) { company = CompanyID(u) } else {
                errors.add("visibility.company", "invalid_id", "visibility.company must be a company id.")
            }
        default: errors.add("visibility.company", "invalid_id", "visibility.company must be a company id.")
        }
        return Visibility(scope: scope, companyID: company)
    }

    /// The body of an agenda item change.
    static func readItemPatch(_ input: inout JSONInput) -> AgendaItemPatch {
        var p = AgendaItemPatch()
        if input.has("title") { p.title = input.string("title", max: MeetingRules.nameMax, required: true) }
        if input.has("notes") { p.notes = input.isNull("notes") ? "" : input.string("notes", max: MeetingRules.textMax) }
        if input.has("carry") {
            if input.isNull("carry") { input.errors.add("carry", "wrong_type", "carry must be true or false.") }
            p.carry = input.bool("carry")
        }
        if input.has("position") {
            if input.isNull("position") { input.errors.add("position", "wrong_type", "position must be a whole number.") }
            p.position = input.int("position", range: 1...MeetingRules.maxAgendaItems * 10)
        }
        return p
    }

    static let outputTypes = ["issue"] + RegisterKind.allCases.map(\.rawValue)

    /// `{agendaItem?, type, fields}`: what a line of the minutes creates, its fields read exactly as the register's
    /// (or the issue register's) create route reads them. Problems in `fields` are named `fields.<name>`.
    static func readOutput(_ input: inout JSONInput) -> (agendaItem: UUID?, output: MinutesOutputInput?) {
        let agendaItem = input.isNull("agendaItem") ? nil : input.uuid("agendaItem")
        let typeName = input.string("type", max: 20, required: true)
        if let typeName, !outputTypes.contains(typeName) {
            input.errors.add("type", "invalid_choice", "type must be one of: \(outputTypes.joined(separator: ", ")).")
        }
        guard case .object(let body)? = input.object["fields"] else {
            input.errors.add("fields", input.has("fields") ? "wrong_type" : "required",
                             "fields must be an object with the item's fields, as the register's create route takes them.")
            return (agendaItem, nil)
        }
        guard let typeName, outputTypes.contains(typeName) else { return (agendaItem, nil) }
        var output: MinutesOutputInput
        var nested: JSONInput
        if let kind = RegisterKind(rawValue: typeName) {
            nested = JSONInput(nested: body, allowed: RegisterJSON.writableFields(kind).union(kind.fields.filter(\.automatic).map(\.name)))
            if !nested.has("title") { nested.errors.add("title", "required", "title is required.") }
            let fields = RegisterJSON.readPatch(kind, &nested).applied(to: RegisterItemFields(title: "", status: kind.initialStatus))
            output = .register(kind, fields)
        } else {
            nested = JSONInput(nested: body, allowed: IssueAPI.fields)
            if !nested.has("title") { nested.errors.add("title", "required", "title is required.") }
            output = .issue(IssueAPI.readPatch(&nested).applied(to: IssueFields(title: "")))
        }
        for e in nested.errors.all { input.errors.add("fields.\(e.field)", e.code, e.message) }
        return (agendaItem, output)
    }

    static let overrideFields: Set<String> = ["area", "rag", "reason"]

    /// `[{area, rag, reason}]`; `null` is no overrides. An override's reason is checked by the report rules.
    static func readOverrides(_ input: inout JSONInput) -> [StatusOverride] {
        let areas = StatusArea.allCases.map(\.rawValue).joined(separator: ", ")
        let rags = RAG.allCases.filter { $0 != .grey }.map(\.rawValue).joined(separator: ", ")
        switch input.object["overrides"] {
        case .null?, nil: return []
        case .array(let list)?:
            var out: [StatusOverride] = []
            for (i, element) in list.enumerated() {
                let f = "overrides[\(i)]"
                guard case .object(let o) = element else {
                    input.errors.add(f, "wrong_type", "Each override is an object {area, rag, reason}.")
                    continue
                }
                for k in o.keys.sorted() where !overrideFields.contains(k) {
                    input.errors.add("\(f).\(k)", "unknown_field", "Unknown field \(k). Allowed: area, rag, reason.")
                }
                var area: StatusArea?
                if case .string(let s)? = o["area"] { area = StatusArea(rawValue: s) }
                if area == nil {
                    input.errors.add("\(f).area", o["area"] == nil ? "required" : "invalid_choice", "area must be one of: \(areas).")
                }
                var rag: RAG?
                if case .string(let s)? = o["rag"] { rag = RAG(rawValue: s) }
                if rag == nil {
                    input.errors.add("\(f).rag", o["rag"] == nil ? "required" : "invalid_choice", "rag must be one of: \(rags).")
                }
                var reason = ""
                switch o["reason"] {
                case nil, .null?: break
                case .string(let s)?: reason = s
                default: input.errors.add("\(f).reason", "wrong_type", "reason must be a string.")
                }
                if let area, let rag { out.append(StatusOverride(area: area, rag: rag, reason: reason)) }
            }
            return out
        default:
            input.errors.add("overrides", "wrong_type", "overrides must be a list of {area, rag, reason}.")
            return []
        }
    }
}

extension JSONInput {
    /// Reads a JSON object nested in a body (the `fields` of a minutes output) with the same checks as a body,
    /// refusing fields outside `allowed`.
    init(nested object: [String: JSONValue], allowed: Set<String>) {
        self.object = object
        self.errors = FieldErrors()
        for key in object.keys.sorted() where !allowed.contains(key) {
            errors.add(key, "unknown_field", "Unknown field \(key). Allowed: \(allowed.sorted().joined(separator: ", ")).")
        }
    }
}
