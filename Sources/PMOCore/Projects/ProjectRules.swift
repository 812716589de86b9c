import Foundation

/// The phase of a project's life (see docs/domain: study, preparation, execution, closure).
public enum ProjectPhase: String, CaseIterable, Sendable, Codable {
    case study, preparation, execution, closure
}

/// Overall status of a project as shown on lists and the portfolio.
public enum ProjectStatus: String, CaseIterable, Sendable, Codable {
    case active
    case onHold = "on_hold"
    case completed
    case cancelled
}

/// The kind of company: the organisation running the PMO, a client, or a vendor.
public enum CompanyKind: String, CaseIterable, Sendable, Codable {
    case `operator`, client, vendor
}

/// Rules for projects.
public enum ProjectRules {
    /// 2–10 capital letters or digits, starting with a letter (e.g. `CRM`).
    public static func isValidKey(_ key: String) -> Bool {
        guard (2...10).contains(key.count), let first = key.unicodeScalars.first,
              ("A"..."Z").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    public static let nameMax = 200

    public static func validate(key: String, name: String, startDate: CalendarDate?, targetDate: CalendarDate?) -> [FieldError] {
        var e = FieldErrors()
        if !isValidKey(key) {
            e.add("key", "invalid_key", "The key must be 2 to 10 capital letters or digits, starting with a letter (e.g. CRM).")
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { e.add("name", "required", "Give the project a name.") }
        if trimmed.count > nameMax { e.add("name", "too_long", "The name may have at most \(nameMax) characters.") }
        if let s = startDate, let t = targetDate, t < s {
            e.add("targetDate", "before_start", "The target date \(t) is before the start date \(s).")
        }
        return e.all
    }
}

/// Rules for user accounts.
public enum AccountRules {
    public static let passwordMin = 10
    public static let passwordMax = 200

    /// A plain check of e-mail shape: one `@`, a dot in the domain, no spaces.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."), email.count <= 254 else { return false }
        return !email.contains(where: { $0.isWhitespace })
    }

    public static func passwordProblems(_ password: String) -> [FieldError] {
        var e = FieldErrors()
        if password.count < passwordMin {
            e.add("password", "too_short", "The password needs at least \(passwordMin) characters.")
        }
        if password.count > passwordMax {
            e.add("password", "too_long", "The password may have at most \(passwordMax) characters.")
        }
        return e.all
    }

    public static let locales = ["ja", "en"]
}
