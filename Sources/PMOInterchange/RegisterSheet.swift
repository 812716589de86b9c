import Foundation
import PMOCore

/// A register as a spreadsheet: the columns of an export, and the reading of an edited sheet back into changes.
/// Pure: names of people and companies, and the words of both languages, are passed in.
public enum RegisterSheet {
    /// How names in cells map to ids and back.
    public struct Directory: Sendable {
        /// id → e-mail (people are written by e-mail, which is unique).
        public var userEmail: [UserID: String]
        /// lower-cased e-mail or unique display name → id.
        public var userByKey: [String: UserID]
        public var companyName: [CompanyID: String]
        /// lower-cased name → id.
        public var companyByName: [String: CompanyID]
        /// Resources (a unit's members, a system's environments) the reader may see: id → name, and lower-cased
        /// name → ids (two with one name cannot be told apart in a sheet).
        public var resourceName: [UUID: String]
        public var resourceByName: [String: [UUID]]

        public init(userEmail: [UserID: String], userByKey: [String: UserID], companyName: [CompanyID: String], companyByName: [String: CompanyID],
                    resourceName: [UUID: String] = [:]) {
            self.userEmail = userEmail
            self.userByKey = userByKey
            self.companyName = companyName
            self.companyByName = companyByName
            self.resourceName = resourceName
            self.resourceByName = Dictionary(grouping: resourceName.keys) { resourceName[$0]!.lowercased() }
        }
    }

    /// The words used in the sheet: `label(key)` gives a header or value in the export's language; `keyFor` maps any
    /// header or value text of either language (lower-cased) back to its key.
    public struct Words: Sendable {
        public var label: @Sendable (String) -> String
        public var keyFor: [String: [String]]
        public init(label: @escaping @Sendable (String) -> String, keyFor: [String: [String]]) {
            self.label = label
            self.keyFor = keyFor
        }
    }

    /// One item to export.
    public struct Item: Sendable {
        public var number: Int
        /// The item's version when exported: an import compares it to find edits made since.
        public var version: Int
        public var fields: RegisterItemFields
        public init(number: Int, version: Int, fields: RegisterItemFields) {
            self.number = number
            self.version = version
            self.fields = fields
        }
    }

    /// One data row read back: the item number it updates (nil creates) and the fields its columns set.
    public struct Row: Sendable {
        public var line: Int
        public var number: Int?
        /// The version the row was exported at, when the sheet has the column.
        public var version: Int?
        public var patch: RegisterItemPatch
    }

    /// A problem in one cell (or a whole row or header when `column` is empty): a stable code, the English sentence
    /// (the API's), and the values involved, which a page in another language shows beside its own sentence for the code.
    public struct CellError: Sendable, Equatable {
        public var line: Int
        public var column: String
        public var code: String
        public var message: String
        public var subjects: [String]

        init(line: Int, column: String, _ problem: FieldError) {
            self.line = line
            self.column = column
            code = problem.code
            message = problem.message
            subjects = problem.subjects
        }
    }

    /// What is wrong with one cell (the field is the cell's column, filled in by the reader).
    static func problem(_ code: String, _ message: String, _ subjects: [String] = []) -> FieldError {
        FieldError(field: "", code: code, message: message, subjects: subjects)
    }

    /// Columns every register shares, in order; then the register's own fields.
    public static let commonKeys = ["number", "title", "status", "owner", "dueDate", "company", "visibility", "description", "version"]
    static let commonLabel = ["number": "sheet.number", "version": "sheet.version", "title": "title", "status": "status", "owner": "owner", "dueDate": "due",
                              "company": "responsible_company", "visibility": "visibility", "description": "description"]

    /// The header-label key of a column.
    public static func labelKey(_ column: String, _ shape: RegisterShape) -> String { commonLabel[column] ?? shape.fieldWord(column) }

    public static func columnKeys(_ shape: RegisterShape) -> [String] { commonKeys + shape.fields.map(\.name) }

    // MARK: Export

    public static func table(_ shape: RegisterShape, projectKey: String, items: [Item], directory: Directory, words: Words) -> SpreadsheetTable {
        let keys = columnKeys(shape)
        let columns = keys.map { key -> SpreadsheetColumn in
            let title = words.label(labelKey(key, shape))
            switch key {
            case "number": return SpreadsheetColumn(title: title, kind: .text, width: 10)
            case "version": return SpreadsheetColumn(title: title, kind: .integer, width: 8)
            case "title": return SpreadsheetColumn(title: title, kind: .text, width: 40)
            case "dueDate": return SpreadsheetColumn(title: title, kind: .date)
            case "description": return SpreadsheetColumn(title: title, kind: .longText, width: 50)
            case "status", "owner", "company", "visibility": return SpreadsheetColumn(title: title, kind: .text, width: 22)
            default: break
            }
            switch shape.field(key)?.kind ?? .longText {
            case .longText, .indicators, .options: return SpreadsheetColumn(title: title, kind: .longText, width: 40)
            case .level, .workDays: return SpreadsheetColumn(title: title, kind: .integer, width: 12)
            case .amount: return SpreadsheetColumn(title: title, kind: .number, width: 14)
            case .date: return SpreadsheetColumn(title: title, kind: .date)
            case .bool: return SpreadsheetColumn(title: title, kind: .bool, width: 10)
            default: return SpreadsheetColumn(title: title, kind: .text, width: 22)
            }
        }
        let rows = items.map { item in keys.map { cell($0, item, shape: shape, projectKey: projectKey, directory: directory, words: words) } }
        return SpreadsheetTable(name: words.label("reg." + shape.name), columns: columns, rows: rows)
    }

    static func cell(_ key: String, _ item: Item, shape: RegisterShape, projectKey: String, directory: Directory, words: Words) -> SpreadsheetCell {
        let f = item.fields
        let text = { (s: String?) -> SpreadsheetCell in s.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
        switch key {
        case "number": return .text(shape.reference(projectKey: projectKey, number: item.number))
        case "version": return .number(Double(item.version))
        case "title": return .text(f.title)
        case "status": return .text(words.label(shape.statusWord(f.status)))
        case "owner": return text(f.ownerID.flatMap { directory.userEmail[$0] })
        case "dueDate": return f.dueDate.map(SpreadsheetCell.date) ?? .empty
        case "company": return text(f.companyID.flatMap { directory.companyName[$0] })
        case "visibility":
            if f.visibility.scope == .company { return text(f.visibility.companyID.flatMap { directory.companyName[$0] }) }
            return .text(words.label("visibility." + f.visibility.scope.rawValue))
        case "description": return text(f.description)
        default: break
        }
        guard let value = f.details[key] else { return .empty }
        switch value {
        case .text(let s):
            if case .choice? = shape.field(key)?.kind { return .text(words.label(shape.choiceWord(key, s))) }
            return text(s)
        case .integer(let n): return .number(Double(n))
        case .number(let n): return .number(n)
        case .date(let d): return .date(d)
        case .bool(let b): return .bool(b)
        case .user(let id): return text(directory.userEmail[id] ?? id.description)
        case .company(let id): return text(directory.companyName[id] ?? id.description)
        case .item(let ref): return .text(ref.type.reference(projectKey: projectKey, number: ref.number))
        case .items(let refs): return text(RegisterText.references(refs, projectKey: projectKey))
        case .activities(let ids): return text(RegisterText.activities(ids))
        case .resources(let ids): return text(ids.compactMap { directory.resourceName[$0] }.joined(separator: ", "))
        case .indicators(let list): return text(RegisterText.indicators(list) { words.label("rc." + $0.rawValue) })
        case .options(let list): return text(RegisterText.options(list))
        }
    }

    // MARK: Import

    /// Reads a sheet (first row headers) into rows and cell errors. Unknown and missing columns are errors of the
    /// header (line 1); automatic columns are read-only and ignored.
    public static func read(_ sheet: SpreadsheetSheet, shape: RegisterShape, projectKey: String, directory: Directory,
                            words: Words) -> ([Row], [CellError]) {
        var errors: [CellError] = []
        guard let header = sheet.rows.first else {
            return ([], [CellError(line: 1, column: "", problem(
                "empty_sheet", "The sheet is empty: the first row must name the columns (export the register to get a template)."))])
        }
        let known = Set(columnKeys(shape))
        var columnAt: [Int: String] = [:]
        var titles: [String: String] = [:]
        for (index, cell) in header.enumerated() {
            let title = display(cell).trimmingCharacters(in: .whitespaces)
            if title.isEmpty { continue }
            let candidates = words.keyFor[title.lowercased()] ?? []
            let key = columnKeys(shape).first { column in candidates.contains(labelKey(column, shape)) } ?? (known.contains(title) ? title : nil)
            guard let key else {
                let columns = columnKeys(shape).map { words.label(labelKey($0, shape)) }
                errors.append(CellError(line: 1, column: title, problem(
                    "unknown_column", "Unknown column '\(title)'. Columns of this register: \(columns.joined(separator: ", ")).",
                    [title + " → " + columns.joined(separator: " / ")])))
                continue
            }
            if titles[key] != nil {
                errors.append(CellError(line: 1, column: title, problem("duplicate_column", "The column '\(title)' appears twice; keep one.", [title])))
                continue
            }
            columnAt[index] = key
            titles[key] = title
        }
        let required = ["number", "title", "status"] + shape.fields.filter(\.required).map(\.name)
        for key in required where titles[key] == nil {
            let label = words.label(labelKey(key, shape))
            errors.append(CellError(line: 1, column: label, problem("missing_column", "The column '\(label)' is missing; it is required.", [label])))
        }
        if !errors.isEmpty { return ([], errors) }

        var rows: [Row] = []
        var seen: [Int: Int] = [:]
        for (offset, cells) in sheet.rows.dropFirst().enumerated() {
            let line = offset + 2
            if cells.allSatisfy({ $0 == .empty }) { continue }
            var row = Row(line: line, number: nil, version: nil, patch: RegisterItemPatch())
            for (index, key) in columnAt.sorted(by: { $0.key < $1.key }) {
                let cell = index < cells.count ? cells[index] : .empty
                let column = titles[key] ?? key
                if let problem = apply(cell, key: key, to: &row, shape: shape, projectKey: projectKey, directory: directory, words: words) {
                    errors.append(CellError(line: line, column: column, problem))
                }
            }
            if let n = row.number {
                if let first = seen[n] {
                    let reference = shape.reference(projectKey: projectKey, number: n)
                    errors.append(CellError(line: line, column: titles["number"] ?? "number", problem(
                        "duplicate_row", "\(reference) is also on line \(first); keep one row per item.", [reference])))
                }
                seen[n] = line
            }
            rows.append(row)
        }
        return (rows, errors)
    }

    /// Reads one cell into the row; returns what is wrong with it, if anything.
    static func apply(_ cell: SpreadsheetCell, key: String, to row: inout Row, shape: RegisterShape, projectKey: String,
                      directory: Directory, words: Words) -> FieldError? {
        let raw: String
        switch TextHygiene.clean(display(cell).trimmingCharacters(in: .whitespacesAndNewlines)) {
        case .success(let text): raw = text
        case .failure(let bad):
            return problem("control_character", "The cell contains the control character \(bad.code) at position \(bad.position). Remove it: text may hold tab and line breaks, no other control characters.", [bad.code])
        }
        switch key {
        case "number":
            if raw.isEmpty { return nil }
            if let n = Int(raw), n > 0 { row.number = n; return nil }
            guard let ref = ItemReference(raw) else {
                return problem("invalid_reference", "'\(raw)' is not an item number such as \(shape.reference(projectKey: projectKey, number: 3)).", [raw])
            }
            if let key = ref.projectKey, key != projectKey {
                return problem("other_project", "\(raw) belongs to project \(key), not \(projectKey); remove the row or clear its number to create a new item.", [raw])
            }
            if ref.type != shape.type { return problem("other_register", "\(raw) is not a \(shape.name) number (\(shape.type.rawValue)…).", [raw]) }
            row.number = ref.number
            return nil
        case "version":
            if raw.isEmpty { return nil }
            guard let n = number(cell), n.rounded() == n, n >= 1, n < 1e9 else {
                return problem("invalid_version", "'\(raw)' is not a version; keep the exported value or leave it empty.", [raw])
            }
            row.version = Int(n)
            return nil
        case "title":
            row.patch.title = raw
            return raw.isEmpty ? problem("required", "The title is empty; every item needs one.") : nil
        case "description":
            row.patch.description = display(cell)
            return nil
        case "status":
            guard let status = choiceKey(raw, allowed: shape.statuses, word: shape.statusWord, words: words) else {
                let statuses = shape.statuses.map { words.label(shape.statusWord($0)) }
                return problem("invalid_choice", "'\(raw)' is not a status of this register. Use one of: \(statuses.joined(separator: ", ")).", [raw + " → " + statuses.joined(separator: " / ")])
            }
            row.patch.status = status
            return nil
        case "owner":
            if raw.isEmpty { row.patch.ownerID = .some(nil); return nil }
            guard let id = directory.userByKey[raw.lowercased()] else { return problem("not_member", "No member of the project is '\(raw)'; write their e-mail address.", [raw]) }
            row.patch.ownerID = .some(id)
            return nil
        case "dueDate":
            switch date(cell) {
            case .success(let d): row.patch.dueDate = .some(d); return nil
            case .failure(let problem): return problem.error
            }
        case "company":
            if raw.isEmpty { row.patch.companyID = .some(nil); return nil }
            guard let id = directory.companyByName[raw.lowercased()] else { return problem("unknown_company", "No company is named '\(raw)'.", [raw]) }
            row.patch.companyID = .some(id)
            return nil
        case "visibility":
            if let scope = choiceKey(raw, allowed: ["project", "internal"], word: { "visibility." + $0 }, words: words) {
                row.patch.visibility = scope == "internal" ? .internal : .project
                return nil
            }
            guard let id = directory.companyByName[raw.lowercased()] else {
                let scopes = [words.label("visibility.project"), words.label("visibility.internal")]
                return problem("invalid_choice", "'\(raw)' is not a visibility: write \(scopes[0]), \(scopes[1]) or a company's name.", [raw + " → " + scopes.joined(separator: " / ")])
            }
            row.patch.visibility = .company(id)
            return nil
        default:
            break
        }
        guard let spec = shape.field(key), !spec.automatic else { return nil }
        if raw.isEmpty && spec.kind != .bool { row.patch.details[key] = .some(nil); return nil }
        switch spec.kind {
        case .text, .longText:
            row.patch.details[key] = .some(.text(spec.kind == .longText ? display(cell) : raw))
        case .choice(let values):
            guard let v = choiceKey(raw, allowed: values, word: { shape.choiceWord(key, $0) }, words: words) else {
                let labels = values.map { words.label(shape.choiceWord(key, $0)) }
                return problem("invalid_choice", "'\(raw)' is not allowed here. Use one of: \(labels.joined(separator: ", ")).", [raw + " → " + labels.joined(separator: " / ")])
            }
            row.patch.details[key] = .some(.text(v))
        case .level, .workDays:
            guard let n = number(cell), n.rounded() == n, abs(n) < 1e9 else { return problem("not_whole_number", "'\(raw)' is not a whole number.", [raw]) }
            row.patch.details[key] = .some(.integer(Int(n)))
        case .amount:
            guard let n = number(cell) else { return problem("not_a_number", "'\(raw)' is not a number.", [raw]) }
            row.patch.details[key] = .some(.number(n))
        case .date:
            switch date(cell) {
            case .success(let d): row.patch.details[key] = .some(d.map(RegisterValue.date))
            case .failure(let problem): return problem.error
            }
        case .bool:
            switch cell {
            case .bool(let b): row.patch.details[key] = .some(.bool(b))
            case .empty: row.patch.details[key] = .some(nil)
            default:
                switch raw.lowercased() {
                case "true", "yes", "1", "はい", "○", "y": row.patch.details[key] = .some(.bool(true))
                case "false", "no", "0", "いいえ", "", "n": row.patch.details[key] = .some(nil)
                default: return problem("not_yes_no", "'\(raw)' is not yes or no (TRUE / FALSE).", [raw])
                }
            }
        case .user:
            guard let id = directory.userByKey[raw.lowercased()] else { return problem("not_member", "No member of the project is '\(raw)'; write their e-mail address.", [raw]) }
            row.patch.details[key] = .some(.user(id))
        case .company:
            guard let id = directory.companyByName[raw.lowercased()] else { return problem("unknown_company", "No company is named '\(raw)'.", [raw]) }
            row.patch.details[key] = .some(.company(id))
        case .item(let type):
            // `CRM-S3` or `S3`; whether the item exists is the store's check, as for people.
            guard let ref = ItemReference(raw), ref.type == type, ref.projectKey == nil || ref.projectKey == projectKey else {
                let example = type.reference(projectKey: projectKey, number: 3)
                return problem("not_a_reference", "'\(raw)' is not a reference to a \(type.register?.rawValue ?? "item") of \(projectKey): write it like \(example).", [raw + " → " + example])
            }
            row.patch.details[key] = .some(.item(ItemReference(projectKey: nil, type: type, number: ref.number)))
        case .items(let type):
            switch RegisterText.parseReferences(display(cell), type: type, projectKey: projectKey, field: key) {
            case .success(let refs): row.patch.details[key] = .some(refs.isEmpty ? nil : .items(refs))
            case .failure(let e): return e
            }
        case .activities:
            switch RegisterText.parseActivities(display(cell), field: key) {
            case .success(let ids): row.patch.details[key] = .some(ids.isEmpty ? nil : .activities(ids))
            case .failure(let e): return e
            }
        case .resources:
            // Names separated by commas (、 too), each the name of exactly one resource the reader may see.
            var ids: [UUID] = []
            for name in RegisterText.parseNames(display(cell)) {
                let found = directory.resourceByName[name.lowercased()] ?? []
                guard found.count == 1 else {
                    return found.isEmpty
                        ? problem("unknown_resource", "No resource is named '\(name)': add it to the resources first, or write its name as it is there.", [name])
                        : problem("ambiguous_resource", "Two resources are named '\(name)'; rename one in the resources so that each name says who it is.", [name])
                }
                if !ids.contains(found[0]) { ids.append(found[0]) }
            }
            row.patch.details[key] = .some(ids.isEmpty ? nil : .resources(ids))
        case .indicators:
            switch RegisterText.parseIndicators(display(cell)) {
            case .success(let list): row.patch.details[key] = .some(list.isEmpty ? nil : .indicators(list))
            case .failure(let e): return e
            }
        case .options:
            switch RegisterText.parseOptions(display(cell)) {
            case .success(let list): row.patch.details[key] = .some(list.isEmpty ? nil : .options(list))
            case .failure(let e): return e
            }
        }
        return nil
    }

    /// A cell as text: numbers without a trailing ".0", dates ISO.
    static func display(_ cell: SpreadsheetCell) -> String {
        switch cell {
        case .empty: ""
        case .text(let s): s
        case .number(let n): RegisterText.formatNumber(n)
        case .date(let d): d.description
        case .bool(let b): b ? "TRUE" : "FALSE"
        }
    }

    static func number(_ cell: SpreadsheetCell) -> Double? {
        switch cell {
        case .number(let n): n
        case .text(let s): Double(s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ""))
        default: nil
        }
    }

    /// A date cell, ISO text (also with slashes), or empty.
    static func date(_ cell: SpreadsheetCell) -> Result<CalendarDate?, DateProblem> {
        switch cell {
        case .empty: return .success(nil)
        case .date(let d): return .success(d)
        case .text(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return .success(nil) }
            if let d = CalendarDate(iso: t.replacingOccurrences(of: "/", with: "-")) { return .success(d) }
            let parts = t.split(separator: "/").compactMap { Int($0) }
            if parts.count == 3, let d = CalendarDate(year: parts[0], month: parts[1], day: parts[2]) { return .success(d) }
            return .failure(DateProblem(t))
        default:
            return .failure(DateProblem(display(cell)))
        }
    }

    struct DateProblem: Error {
        var error: FieldError
        init(_ written: String) {
            error = problem("invalid_date", "'\(written)' is not a date; write it as YYYY-MM-DD (e.g. 2026-12-01).", [written])
        }
    }

    /// The allowed value `raw` names: the value itself, or its word (`word` gives a value's catalogue key) in either
    /// language.
    static func choiceKey(_ raw: String, allowed: [String], word: (String) -> String, words: Words) -> String? {
        if allowed.contains(raw) { return raw }
        let keys = words.keyFor[raw.lowercased()] ?? []
        if let value = allowed.first(where: { keys.contains(word($0)) }) { return value }
        return allowed.first { $0.lowercased() == raw.lowercased() }
    }
}

