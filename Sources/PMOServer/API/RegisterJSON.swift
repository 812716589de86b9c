import Fluent
import Foundation
import PMOCore
import PMOStore
import Vapor

/// Reads register items' request bodies, field by field through the register's field specs (the answers are
/// `RegisterAnswers`).
enum RegisterJSON {
    static let commonFields: Set<String> = ["title", "description", "status", "owner", "dueDate", "visibility", "visibilityCompanyId", "companyId"]

    static func writableFields(_ kind: RegisterKind) -> Set<String> {
        commonFields.union(kind.fields.filter { !$0.automatic }.map(\.name))
    }

    /// Reads a merge patch (or a create body) of a register item, collecting every problem in `input.errors`.
    /// `projectKey` is the project's, which references to its items may carry (`CRM-S3`).
    static func readPatch(_ kind: RegisterKind, _ input: inout JSONInput, projectKey: String) -> RegisterItemPatch {
        var p = RegisterItemPatch()
        if input.has("title") { p.title = input.string("title", max: RegisterRules.titleMax, required: true) }
        p.description = input.isNull("description") ? "" : input.string("description", max: RegisterRules.textMax)
        if input.has("status") {
            if let s = input.string("status", max: 40, required: true) {
                if kind.statuses.contains(s) { p.status = s } else {
                    input.errors.add("status", "invalid_choice", "status must be one of: \(kind.statuses.joined(separator: ", ")).")
                }
            }
        }
        if input.has("owner") { p.ownerID = .some(input.uuid("owner").map(UserID.init)) }
        if input.has("dueDate") { p.dueDate = .some(input.date("dueDate")) }
        if input.has("companyId") { p.companyID = .some(input.uuid("companyId").map(CompanyID.init)) }
        if input.has("visibility") || input.has("visibilityCompanyId") {
            let scope = input.choice("visibility", VisibilityScope.self)
            let company = input.uuid("visibilityCompanyId")
            if input.isNull("visibility") {
                input.errors.add("visibility", "required", "visibility cannot be null; use project, internal or company.")
            }
            if let scope { p.visibility = Visibility(scope: scope, companyID: company.map(CompanyID.init)) }
            else if let company { p.visibility = .company(CompanyID(company)) }
        }
        for spec in kind.fields where input.has(spec.name) {
            if spec.automatic {
                input.errors.add(spec.name, "read_only", "\(spec.name) is set by the product when the status changes; leave it out.")
                continue
            }
            if input.isNull(spec.name) { p.details[spec.name] = .some(nil); continue }
            if let value = read(spec, &input, projectKey: projectKey) { p.details[spec.name] = .some(value) }
        }
        return p
    }

    static func read(_ spec: RegisterFieldSpec, _ input: inout JSONInput, projectKey: String) -> RegisterValue? {
        let name = spec.name
        switch spec.kind {
        case .text(let max): return input.string(name, max: max).map(RegisterValue.text)
        case .longText: return input.string(name, max: RegisterRules.textMax).map(RegisterValue.text)
        case .choice(let allowed):
            guard let s = input.string(name, max: 100) else { return nil }
            guard allowed.contains(s) else {
                input.errors.add(name, "invalid_choice", "\(name) must be one of: \(allowed.joined(separator: ", "))."); return nil
            }
            return .text(s)
        case .level: return input.int(name, range: 1...5).map(RegisterValue.integer)
        case .workDays: return input.int(name, range: -RegisterRules.workDaysMax...RegisterRules.workDaysMax).map(RegisterValue.integer)
        case .amount:
            guard case .number(let n)? = input.object[name], n >= 0, n < RegisterRules.amountMax else {
                input.errors.add(name, "wrong_type", "\(name) must be a number, zero or more."); return nil
            }
            return .number(n)
        case .date: return input.date(name).map(RegisterValue.date)
        case .bool: return input.bool(name).map(RegisterValue.bool)
        case .user: return input.uuid(name).map { .user(UserID($0)) }
        case .company: return input.uuid(name).map { .company(CompanyID($0)) }
        case .item(let type):
            // `S3` or `CRM-S3`; the key, when given, must be this project's (the store checks the item exists).
            guard let text = input.string(name, max: 30) else { return nil }
            guard let ref = ItemReference(text), ref.type == type, ref.projectKey == nil || ref.projectKey == projectKey else {
                input.errors.add(name, "invalid_reference", "\(name) must name a \(type.register?.rawValue ?? "item") of this project, like \(type.rawValue)3 or \(projectKey)-\(type.rawValue)3.")
                return nil
            }
            return .item(ItemReference(projectKey: nil, type: type, number: ref.number))
        case .items(let type):
            // An array of references (`F3` or `CRM-F3`), in order.
            guard case .array(let list)? = input.object[name], list.count <= RegisterFieldSpec.stepsMax else {
                input.errors.add(name, "wrong_type", "\(name) must be an array of at most \(RegisterFieldSpec.stepsMax) references such as \"\(type.rawValue)3\".")
                return nil
            }
            var refs: [ItemReference] = []
            for element in list {
                guard case .string(let text) = element, let ref = ItemReference(text), ref.type == type,
                      ref.projectKey == nil || ref.projectKey == projectKey else {
                    input.errors.add(name, "invalid_reference", "\(name) must list \(type.register?.plural ?? "items") of this project, like \(type.rawValue)3 or \(projectKey)-\(type.rawValue)3.")
                    return nil
                }
                refs.append(ItemReference(projectKey: nil, type: type, number: ref.number))
            }
            return refs.isEmpty ? nil : .items(refs)
        case .activities:
            // An array of plan activity ids (the store checks they are in the plan).
            guard case .array(let list)? = input.object[name], list.count <= RegisterFieldSpec.activitiesMax else {
                input.errors.add(name, "wrong_type", "\(name) must be an array of at most \(RegisterFieldSpec.activitiesMax) plan activity ids such as 12.")
                return nil
            }
            var ids: [Int] = []
            for element in list {
                guard case .number(let n) = element, n >= 1, n < 1e9, n.rounded() == n else {
                    input.errors.add(name, "invalid_reference", "\(name) lists plan activity ids, whole numbers from 1, such as 12.")
                    return nil
                }
                if !ids.contains(Int(n)) { ids.append(Int(n)) }
            }
            return ids.isEmpty ? nil : .activities(ids)
        case .resources:
            // An array of resource ids (the store checks they exist and are of the field's kind).
            guard case .array(let list)? = input.object[name], list.count <= RegisterFieldSpec.resourcesMax else {
                input.errors.add(name, "wrong_type", "\(name) must be an array of at most \(RegisterFieldSpec.resourcesMax) resource ids.")
                return nil
            }
            var ids: [UUID] = []
            for element in list {
                guard case .string(let text) = element, let id = UUID(uuidString: text) else {
                    input.errors.add(name, "invalid_reference", "\(name) lists resources by their ids (from GET /api/v1/resources).")
                    return nil
                }
                if !ids.contains(id) { ids.append(id) }
            }
            return ids.isEmpty ? nil : .resources(ids)
        case .indicators:
            guard case .array(let list)? = input.object[name] else {
                input.errors.add(name, "wrong_type", "\(name) must be an array of {\"text\", \"status\": watching|triggered}."); return nil
            }
            var result: [WarningIndicator] = []
            for element in list {
                guard case .object(let o) = element, case .string(let text)? = o["text"] else {
                    input.errors.add(name, "wrong_type", "Each indicator is an object with a text."); return nil
                }
                var status = WarningIndicator.Status.watching
                if case .string(let s)? = o["status"] {
                    guard let st = WarningIndicator.Status(rawValue: s) else {
                        input.errors.add(name, "invalid_choice", "An indicator's status is watching or triggered."); return nil
                    }
                    status = st
                }
                result.append(WarningIndicator(text: text, status: status))
            }
            return .indicators(result)
        case .options:
            guard case .array(let list)? = input.object[name] else {
                input.errors.add(name, "wrong_type", "\(name) must be an array of {title, pros, cons, cost, scheduleDays, effortHours}."); return nil
            }
            var result: [DecisionOption] = []
            for (i, element) in list.enumerated() {
                guard case .object(let o) = element, case .string(let title)? = o["title"] else {
                    input.errors.add(name, "wrong_type", "Each option is an object with a title."); return nil
                }
                func text(_ k: String) -> String { if case .string(let s)? = o[k] { s } else { "" } }
                func number(_ k: String) -> Double? { if case .number(let n)? = o[k] { n } else { nil } }
                var days: Int?
                if let d = number("scheduleDays") {
                    guard d.rounded() == d, let whole = Int(nearest: d), abs(whole) <= RegisterRules.workDaysMax else {
                        input.errors.add("\(name)[\(i)].scheduleDays", "out_of_range",
                                         "scheduleDays is a whole number of working days from -\(RegisterRules.workDaysMax) to \(RegisterRules.workDaysMax)."); return nil
                    }
                    days = whole
                }
                for k in ["cost", "effortHours"] {
                    if let x = number(k), !(x >= 0 && x <= RegisterRules.amountMax) {
                        input.errors.add("\(name)[\(i)].\(k)", "out_of_range", "\(k) is a number from 0 to \(Int(RegisterRules.amountMax))."); return nil
                    }
                }
                result.append(DecisionOption(title: title, pros: text("pros"), cons: text("cons"), cost: number("cost"),
                                             scheduleDays: days, effortHours: number("effortHours")))
            }
            return .options(result)
        }
    }
}
