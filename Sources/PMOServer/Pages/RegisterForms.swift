import Fluent
import Foundation
import PMOCore
import PMOStore
import Vapor

/// Turns register fields into form inputs and displayed facts, and reads forms back, driven by the field specs.
enum RegisterForms {
    /// One input of a register form.
    struct Input: Encodable {
        var name: String; var label: String; var control: String; var value: String; var options: [Choice]
        var required: Bool; var hint: String; var checked: Bool
    }

    /// One displayed fact on a detail page; `lines` carry lists (indicators, options).
    struct Fact: Encodable {
        var label: String; var value: String; var lines: [Line]; var flag: Bool
    }
    struct Line: Encodable { var text: String; var flag: Bool }

    static func statusLabel(_ req: Request, _ kind: RegisterKind, _ status: String) -> String {
        req.label("rs.\(kind.rawValue).\(status)")
    }

    /// A decision category in the reader's words: the usual categories (`specification_change`, `budget`…) have
    /// catalogue words; a category the project made up is shown as its key, which its PMO typed.
    static func decisionCategoryLabel(_ req: Request, _ category: String) -> String {
        req.words["dcat." + category] ?? category
    }

    /// The text form of a value as a form field holds it; indicators are led by `word` (the reader's label on a page).
    static func text(_ value: RegisterValue?, word: (WarningIndicator.Status) -> String = { $0.rawValue }) -> String {
        guard let value else { return "" }
        switch value {
        case .text(let s): return s
        case .integer(let n): return String(n)
        case .number(let n): return RegisterText.formatNumber(n)
        case .date(let d): return d.description
        case .bool(let b): return b ? "1" : ""
        case .user(let id): return id.description
        case .company(let id): return id.description
        case .item(let ref): return String(ref.number)
        case .items(let refs): return refs.map(\.description).joined(separator: ", ")
        case .activities(let ids): return RegisterText.activities(ids)
        case .resources(let ids): return ids.map { $0.uuidString.lowercased() }.joined(separator: ", ")
        case .indicators(let list): return RegisterText.indicators(list, word: word)
        case .options(let list): return RegisterText.options(list)
        }
    }

    static func inputs(_ req: Request, kind: RegisterKind, fields: RegisterItemFields, members: [MemberView], companies: [CompanyRecord],
                       items: ItemChoices) throws -> [Input] {
        try kind.fields.filter { !$0.automatic }.map { spec in
            let value = fields.details[spec.name]
            var input = Input(name: spec.name, label: req.label("rf." + spec.name), control: "text", value: text(value, word: { req.label("rc." + $0.rawValue) }), options: [],
                              required: spec.required, hint: "", checked: value?.bool == true)
            switch spec.kind {
            case .text: input.control = "text"
            case .longText: input.control = "textarea"
            case .indicators: input.control = "textarea"; input.hint = req.label("indicators_hint")
            case .options: input.control = "textarea"; input.hint = req.label("options_hint")
            case .amount, .workDays: input.control = "number"
            case .date: input.control = "date"
            case .bool: input.control = "checkbox"
            case .level:
                input.control = "select"
                input.options = (spec.required ? [] : [Choice(value: "", label: "", selected: value == nil)])
                    + (1...5).map { Choice(value: String($0), label: String($0), selected: value?.integer == $0) }
            case .choice(let values):
                input.control = "select"
                input.options = (spec.required ? [] : [Choice(value: "", label: "", selected: value == nil)])
                    + values.map { Choice(value: $0, label: req.label(RegisterFieldSpec.choiceWordKey(field: spec.name, value: $0)), selected: value?.text == $0) }
            case .user:
                input.control = "select"
                input.options = [Choice(value: "", label: req.label("none"), selected: value == nil)]
                    + (try members.map { Choice(value: try $0.user.requireID().uuidString.lowercased(), label: "\($0.user.displayName) (\($0.company?.name ?? ""))",
                                           selected: $0.user.id == value?.user?.rawValue) })
            case .company:
                input.control = "select"
                input.options = [Choice(value: "", label: req.label("none"), selected: value == nil)]
                    + (try companies.map { Choice(value: try $0.requireID().uuidString.lowercased(), label: $0.name, selected: $0.id == value?.company?.rawValue) })
            case .items(let type):
                input.control = "textarea"
                input.hint = req.label("refs_hint.\(type.rawValue)")
            case .activities:
                input.control = "text"
                input.hint = req.label("refs_hint.activities")
            case .resources(let pick):
                // A box of checkboxes (`members-<id>`): the resources the reader may see of the field's kind, and those
                // already named even if the reader could not pick them now.
                input.control = "checks"
                input.hint = req.label(pick == .people ? "refs_hint.people" : "refs_hint.environments")
                let named = value?.resources ?? []
                var offered = items.resources.filter { pick.accepts($0.kind) }.map { r in (r.id, r.companyName.map { "\(r.name) (\($0))" } ?? r.name) }
                for id in named where !offered.contains(where: { $0.0 == id }) { offered.append((id, id.uuidString.lowercased())) }
                input.options = offered.map { Choice(value: $0.0.uuidString.lowercased(), label: $0.1, selected: named.contains($0.0)) }
            case .item(let type):
                input.control = "select"
                // A required one starts unchosen too, so that a new interface does not silently join the first system.
                input.options = (spec.required && value != nil ? [] : [Choice(value: "", label: req.label("none"), selected: value == nil)])
                    + items.of(type).map { Choice(value: String($0.number), label: items.label($0), selected: value?.item?.number == $0.number) }
            }
            return input
        }
    }

    /// Reads a submitted form into fields on top of `base`, naming each field that cannot be read.
    static func parse(_ f: [String: String], kind: RegisterKind, base: RegisterItemFields, projectKey: String) -> (RegisterItemFields, [FieldError]) {
        var fields = base
        var errors = FieldErrors()
        fields.title = f["title"] ?? ""
        fields.description = f["description"] ?? ""
        if let status = f["status"], kind.statuses.contains(status) { fields.status = status }
        let owner = f["owner"] ?? ""
        fields.ownerID = owner.isEmpty ? nil : UUID(uuidString: owner).map(UserID.init)
        let due = (f["dueDate"] ?? "").trimmingCharacters(in: .whitespaces)
        if due.isEmpty { fields.dueDate = nil }
        else if let d = CalendarDate(iso: due) { fields.dueDate = d }
        else { errors.add("dueDate", "invalid_date", "Write the due date as YYYY-MM-DD (e.g. 2026-12-01).") }
        let scope = VisibilityScope(rawValue: f["visibility"] ?? "") ?? fields.visibility.scope
        fields.visibility = Visibility(scope: scope, companyID: scope == .company ? UUID(uuidString: f["visibilityCompanyId"] ?? "").map(CompanyID.init) : nil)
        let company = f["companyId"] ?? ""
        fields.companyID = company.isEmpty ? nil : UUID(uuidString: company).map(CompanyID.init)
        for spec in kind.fields where !spec.automatic {
            if case .resources = spec.kind {
                // Checked boxes come as `<field>-<id>`, in the order the form lists them.
                let prefix = spec.name + "-"
                let ids = f.keys.filter { $0.hasPrefix(prefix) && !(f[$0] ?? "").isEmpty }.compactMap { UUID(uuidString: String($0.dropFirst(prefix.count))) }
                fields.details[spec.name] = ids.isEmpty ? nil : .resources(ids.sorted { $0.uuidString < $1.uuidString })
                continue
            }
            let raw = (f[spec.name] ?? "").trimmingCharacters(in: spec.kind == .longText ? .init() : .whitespaces)
            if raw.isEmpty && spec.kind != .bool { fields.details[spec.name] = nil; continue }
            switch spec.kind {
            case .text, .longText, .choice: fields.details[spec.name] = .text(raw)
            case .level, .workDays:
                if let n = Int(raw) { fields.details[spec.name] = .integer(n) } else { errors.add(spec.name, "wrong_type", "\(spec.name) must be a whole number.") }
            case .amount:
                if let n = Double(raw.replacingOccurrences(of: ",", with: "")) { fields.details[spec.name] = .number(n) }
                else { errors.add(spec.name, "wrong_type", "\(spec.name) must be a number.") }
            case .date:
                if let d = CalendarDate(iso: raw) { fields.details[spec.name] = .date(d) }
                else { errors.add(spec.name, "invalid_date", "Write \(spec.name) as YYYY-MM-DD.") }
            case .bool: fields.details[spec.name] = raw.isEmpty ? nil : .bool(true)
            case .user:
                if let id = UUID(uuidString: raw) { fields.details[spec.name] = .user(UserID(id)) } else { errors.add(spec.name, "invalid_id", "Choose a person from the list.") }
            case .company:
                if let id = UUID(uuidString: raw) { fields.details[spec.name] = .company(CompanyID(id)) } else { errors.add(spec.name, "invalid_id", "Choose a company from the list.") }
            case .item(let type):
                if let n = Int(raw), n > 0 { fields.details[spec.name] = .item(ItemReference(projectKey: nil, type: type, number: n)) }
                else { errors.add(spec.name, "invalid_reference", "Choose a \(type.register?.rawValue ?? "item") from the list.") }
            case .items(let type):
                switch RegisterText.parseReferences(raw, type: type, projectKey: projectKey, field: spec.name) {
                case .success(let refs): fields.details[spec.name] = refs.isEmpty ? nil : .items(refs)
                case .failure(let e): errors.add(e.field, e.code, e.message)
                }
            case .activities:
                switch RegisterText.parseActivities(raw, field: spec.name) {
                case .success(let ids): fields.details[spec.name] = ids.isEmpty ? nil : .activities(ids)
                case .failure(let e): errors.add(e.field, e.code, e.message)
                }
            case .resources: break
            case .indicators:
                switch RegisterText.parseIndicators(raw) {
                case .success(let list): fields.details[spec.name] = .indicators(list)
                case .failure(let e): errors.add(e.field, e.code, e.message)
                }
            case .options:
                switch RegisterText.parseOptions(raw) {
                case .success(let list): fields.details[spec.name] = .options(list)
                case .failure(let e): errors.add(e.field, e.code, e.message)
                }
            }
        }
        return (fields, errors.all)
    }

    /// 1200000 → "1,200,000" (amounts are yen; decimals kept as they are).
    static func grouped(_ v: Double) -> String {
        let text = RegisterText.formatNumber(v)
        guard v.rounded() == v, abs(v) >= 1000 else { return text }
        var digits = Array(text.hasPrefix("-") ? String(text.dropFirst()) : text)
        var out = ""
        while digits.count > 3 { out = "," + String(digits.suffix(3)) + out; digits.removeLast(3) }
        return (v < 0 ? "-" : "") + String(digits) + out
    }

    /// The register's own fields as displayed facts.
    static func facts(_ req: Request, _ v: RegisterItemView, items: ItemChoices) -> [Fact] {
        v.kind.fields.compactMap { spec in
            let value = v.fields.details[spec.name]
            var fact = Fact(label: req.label("rf." + spec.name), value: "", lines: [], flag: false)
            switch value {
            case nil: break
            case .text(let s)?:
                if case .choice = spec.kind { fact.value = req.label(RegisterFieldSpec.choiceWordKey(field: spec.name, value: s)) }
                else if v.kind == .decision && spec.name == "category" { fact.value = decisionCategoryLabel(req, s) }
                else { fact.value = s }
            case .bool(let b)?: fact.value = req.label(b ? "yes" : "no"); fact.flag = b && spec.name == "blocksWork"
            case .user(let id)?: fact.value = v.name(of: id) ?? id.description
            case .company(let id)?: fact.value = v.name(of: id) ?? id.description
            case .item(let ref)?: fact.value = items.label(ref, projectKey: v.projectKey)
            case .items(let refs)?:
                // A function's steps are in order; other lists (a requirement's systems) are not.
                fact.lines = refs.enumerated().map { Line(text: (spec.name == "steps" ? "\($0.offset + 1). " : "") + items.label($0.element, projectKey: v.projectKey), flag: false) }
            case .resources(let ids)?:
                fact.lines = ids.map { Line(text: v.resourceNames[$0] ?? req.label("res.gone"), flag: false) }
            case .activities(let ids)?:
                let late = Set(InterfaceFlags.lateFor(status: v.record.status, details: v.fields.details, dates: items.activityDates))
                fact.lines = ids.map { id in
                    let date = spec.name == "neededBy" ? items.activityDates[id].map { " (\($0))" } ?? "" : ""
                    return Line(text: items.activityLabel(id) + date + (late.contains(id) ? " · " + req.label("if.late_for_milestone") : ""), flag: late.contains(id))
                }
            case .indicators(let list)?:
                fact.lines = list.map { Line(text: "\(req.label("rc." + $0.status.rawValue)): \($0.text)", flag: $0.status == .triggered) }
            case .options(let list)?:
                fact.lines = list.map { o in
                    var parts = [o.title]
                    if !o.pros.isEmpty { parts.append("+ " + o.pros) }
                    if !o.cons.isEmpty { parts.append("− " + o.cons) }
                    if let c = o.cost { parts.append("¥" + grouped(c)) }
                    if let d = o.scheduleDays { parts.append("\(d)d") }
                    if let h = o.effortHours { parts.append("\(RegisterText.formatNumber(h))h") }
                    return Line(text: parts.joined(separator: " / "), flag: false)
                }
            case .number(let n)? where spec.name == "costImpact": fact.value = "¥" + grouped(n)
            case let other?: fact.value = text(other)
            }
            return fact
        } + environmentFacts(req, v, items: items) + decisionFacts(req, v, items: items)
    }

    /// A unit named as the authority of decision-rights rows: the kinds of decision it holds.
    static func decisionFacts(_ req: Request, _ v: RegisterItemView, items: ItemChoices) -> [Fact] {
        guard v.kind == .unit else { return [] }
        let held = items.decisionRights.filter { RegisterPages.unit(named: $0.authority, units: items.of(.unit), key: v.projectKey)?.number == v.record.number }
        guard !held.isEmpty else { return [] }
        return [Fact(label: req.label("rights.held"), value: "", lines: held.map { Line(text: decisionCategoryLabel(req, $0.category), flag: false) }, flag: false)]
    }

    /// An interface whose test window meets a time a test environment at either end is unavailable: each such time.
    static func environmentFacts(_ req: Request, _ v: RegisterItemView, items: ItemChoices) -> [Fact] {
        guard v.kind == .interface else { return [] }
        let clashes = InterfaceFlags.environmentClashes(status: v.record.status, details: v.fields.details, outages: items.environmentOutages)
        guard !clashes.isEmpty else { return [] }
        return [Fact(label: req.label("if.env_unavailable"), value: "", lines: clashes.map { o in
            Line(text: "\(o.environment): \(o.from) – \(o.to.map(\.description) ?? "")" + (o.note.isEmpty ? "" : " (\(o.note))"), flag: true)
        }, flag: true)]
    }
}

/// The items a page may name in fields that refer to other items (an interface's systems), as the reader may see them.
struct ItemChoices {
    var key: String
    var rows: [ItemRow] = []
    /// The plan's activity names by id, for registers that name activities (a requirement's).
    var activityNames: [Int: String] = [:]
    /// The plan's activity dates by id, for interfaces (late for a milestone that needs them).
    var activityDates: [Int: CalendarDate] = [:]
    /// The resources the reader may see, for registers that name resources (a unit's members, a system's
    /// environments).
    var resources: [ResourceView] = []
    /// When each system's test environment is unavailable, for interfaces (a test window that meets one is flagged).
    var environmentOutages: [Int: [InterfaceFlags.Outage]] = [:]
    /// The project's decision-rights table, for units (the rows whose authority names the unit).
    var decisionRights: [DecisionRight] = []

    /// Reads the registers `kind`'s fields refer to (none for most registers).
    static func load(_ req: Request, caller: Caller, key: String, for kind: RegisterKind) async throws -> ItemChoices {
        var choices = ItemChoices(key: key)
        var types: [ItemType] = []
        for spec in kind.fields {
            switch spec.kind {
            case .item(let type), .items(let type): if !types.contains(type) { types.append(type) }
            default: break
            }
        }
        for type in types { choices.rows += try await req.store.items.rows(caller, key: key, type: type) }
        if kind.fields.contains(where: { $0.kind == .activities }) {
            choices.activityNames = try await req.store.items.activityNames(caller, key: key)
        }
        if kind == .interface {
            choices.activityDates = try await req.store.items.activityDates(caller, key: key)
            choices.environmentOutages = try await req.store.systems.environmentOutages(caller, key: key)
        }
        if kind == .unit { choices.decisionRights = try await req.store.items.decisionRights(caller, key: key) }
        if kind.fields.contains(where: { if case .resources = $0.kind { true } else { false } }) {
            choices.resources = try await req.store.resources.list(caller)
        }
        return choices
    }

    func of(_ type: ItemType) -> [ItemRow] { rows.filter { $0.type == type } }

    /// `#12 Build the CRM screens`, or the id alone once the activity is gone from the plan.
    func activityLabel(_ id: Int) -> String { "#\(id)" + (activityNames[id].map { " " + $0 } ?? "") }

    /// `CRM-S3 Billing (BIL)`.
    func label(_ row: ItemRow) -> String {
        let code = row.details["code"]?.text.map { " (\($0))" } ?? ""
        return "\(row.reference(key)) \(row.title)\(code)"
    }

    /// `S4 ERP`: the number and the code, where a list has room for little (the reference alone when unseen).
    func short(_ ref: ItemReference) -> String {
        let code = rows.first { $0.type == ref.type && $0.number == ref.number }?.details["code"]?.text
        return code.map { "\(ref) \($0)" } ?? ref.description
    }

    /// The item's label, or only its reference when the reader may not see it (or it was deleted).
    func label(_ ref: ItemReference, projectKey: String) -> String {
        rows.first { $0.type == ref.type && $0.number == ref.number }.map(label) ?? ref.type.reference(projectKey: projectKey, number: ref.number)
    }
}
