import Foundation
import PMOCore
import PMOStore
import Vapor

/// The readers of the bodies the meeting and status-report routes take (their answers are the `MeetingBodies` types).
/// People go in as user ids and come back as `{id, name}`.
enum MeetingJSON {
    // MARK: Output helpers

    static func id(_ u: UUID) -> String { u.uuidString.lowercased() }

    /// `issue`, `risk`, `decision`, `question`, `change` or `action`.
    static func typeName(_ t: ItemType) -> String { t.register?.rawValue ?? "issue" }

    /// A typed answer (`MeetingBodies`), every field written, null included.
    static func response(body: any Encodable, status: HTTPResponseStatus = .ok, version: Int? = nil) throws -> Response {
        PlanJSON.response(bytes: try JSONBytesEncoder(nullsWritten: true).encodeUnspecialized(body), status: status, version: version)
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
