import Foundation

/// Stores a register item's own fields as one JSON object (dates as ISO text, ids as lower-case UUIDs, items of the
/// project as `S3`), and reads them back through the register's field specs, so the stored text never decides a
/// value's type.
public enum RegisterDetailsCodec {
    public static func encode(_ details: [String: RegisterValue]) -> String {
        var object: [String: Any] = [:]
        for (name, value) in details { object[name] = json(value) }
        return String(decoding: JSONText.encode(object), as: UTF8.self)
    }

    /// Reads stored details; fields the register no longer has, or values that no longer fit, are dropped.
    public static func decode(_ text: String, kind: RegisterKind) -> [String: RegisterValue] {
        guard let data = text.data(using: .utf8),
              let object = (try? JSONDecoder().decode(JSONTree.self, from: data))?.value as? [String: Any] else { return [:] }
        var result: [String: RegisterValue] = [:]
        for spec in kind.fields {
            if let raw = object[spec.name], let value = value(raw, spec.kind) { result[spec.name] = value }
        }
        return result
    }

    /// A value as a JSON-serialisable object (also what the API returns).
    /// `explicitNulls` writes an option's missing figures as null (the API's shape) rather than leaving them out.
    public static func json(_ value: RegisterValue, explicitNulls: Bool = false) -> Any {
        switch value {
        case .text(let s): s
        case .integer(let n): n
        case .number(let n): n
        case .date(let d): d.description
        case .bool(let b): b
        case .user(let id): id.description
        case .company(let id): id.description
        case .item(let ref): ref.description
        case .items(let refs): refs.map(\.description)
        case .activities(let ids): ids
        case .resources(let ids): ids.map { $0.uuidString.lowercased() }
        case .indicators(let list): list.map { ["text": $0.text, "status": $0.status.rawValue] }
        case .options(let list): list.map { o -> [String: Any] in
            var d: [String: Any] = ["title": o.title, "pros": o.pros, "cons": o.cons]
            if explicitNulls { for key in ["cost", "scheduleDays", "effortHours"] { d[key] = NSNull() } }
            if let c = o.cost { d["cost"] = c }
            if let s = o.scheduleDays { d["scheduleDays"] = s }
            if let e = o.effortHours { d["effortHours"] = e }
            return d
        }
        }
    }

    static func value(_ raw: Any, _ kind: RegisterFieldSpec.Kind) -> RegisterValue? {
        switch kind {
        case .text, .longText, .choice: return (raw as? String).map(RegisterValue.text)
        case .level, .workDays: return (raw as? NSNumber).map { .integer($0.intValue) }
        case .amount: return (raw as? NSNumber).map { .number($0.doubleValue) }
        case .date: return (raw as? String).flatMap(CalendarDate.init(iso:)).map(RegisterValue.date)
        case .bool: return (raw as? NSNumber).map { .bool($0.boolValue) } ?? (raw as? Bool).map(RegisterValue.bool)
        case .user: return (raw as? String).flatMap(UserID.init(string:)).map(RegisterValue.user)
        case .company: return (raw as? String).flatMap(CompanyID.init(string:)).map(RegisterValue.company)
        case .item(let type):
            // Stored as the project-less reference (`S3`); anything else no longer fits the field.
            guard let ref = (raw as? String).flatMap(ItemReference.init), ref.type == type, ref.projectKey == nil else { return nil }
            return .item(ref)
        case .items(let type):
            guard let list = raw as? [Any] else { return nil }
            let refs = list.compactMap { ($0 as? String).flatMap(ItemReference.init) }.filter { $0.type == type && $0.projectKey == nil }
            return refs.isEmpty ? nil : .items(refs)
        case .activities:
            let ids = ((raw as? [Any]) ?? []).compactMap { ($0 as? NSNumber)?.intValue }.filter { $0 > 0 }
            return ids.isEmpty ? nil : .activities(ids)
        case .resources:
            let ids = ((raw as? [Any]) ?? []).compactMap { ($0 as? String).flatMap(UUID.init(uuidString:)) }
            return ids.isEmpty ? nil : .resources(ids)
        case .indicators:
            guard let list = raw as? [[String: Any]] else { return nil }
            return .indicators(list.compactMap { d in
                guard let text = d["text"] as? String else { return nil }
                return WarningIndicator(text: text, status: (d["status"] as? String).flatMap(WarningIndicator.Status.init) ?? .watching)
            })
        case .options:
            guard let list = raw as? [[String: Any]] else { return nil }
            return .options(list.compactMap { d in
                guard let title = d["title"] as? String else { return nil }
                return DecisionOption(title: title, pros: d["pros"] as? String ?? "", cons: d["cons"] as? String ?? "",
                                      cost: (d["cost"] as? NSNumber)?.doubleValue, scheduleDays: (d["scheduleDays"] as? NSNumber)?.intValue,
                                      effortHours: (d["effortHours"] as? NSNumber)?.doubleValue)
            })
        }
    }
}

/// A JSON document as dictionaries, arrays, strings, NSNumbers and NSNull, read with `JSONDecoder`: Foundation's
/// `JSONSerialization` on Linux drops U+FEFF inside strings, which silently changed stored text.
struct JSONTree: Decodable {
    let value: Any

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = NSNull() }
        else if let b = try? c.decode(Bool.self) { value = NSNumber(value: b) }
        else if let n = try? c.decode(Double.self) { value = NSNumber(value: n) }
        else if let s = try? c.decode(String.self) { value = s }
        else if let a = try? c.decode([JSONTree].self) { value = a.map(\.value) }
        else { value = try c.decode([String: JSONTree].self).mapValues(\.value) }
    }
}
