import Foundation

/// The editable fields of a register item: the ones every register shares, then its own in `details`.
public struct RegisterItemFields: Sendable, Equatable {
    public var title: String
    public var description: String
    public var status: String
    public var ownerID: UserID?
    public var dueDate: CalendarDate?
    public var visibility: Visibility
    /// The company responsible for the item.
    public var companyID: CompanyID?
    public var details: [String: RegisterValue]

    public init(title: String, description: String = "", status: String, ownerID: UserID? = nil, dueDate: CalendarDate? = nil,
                visibility: Visibility = .project, companyID: CompanyID? = nil, details: [String: RegisterValue] = [:]) {
        self.title = title
        self.description = description
        self.status = status
        self.ownerID = ownerID
        self.dueDate = dueDate
        self.visibility = visibility
        self.companyID = companyID
        self.details = details
    }

    /// The people and companies the item names in its details (for checks and for showing names).
    public var detailUserIDs: [UserID] { details.values.compactMap(\.user) }
    public var detailCompanyIDs: [CompanyID] { details.values.compactMap(\.company) }
    /// The resources the item names (a unit's members, a system's environments).
    public var detailResourceIDs: [UUID] { details.values.flatMap { $0.resources ?? [] } }
}

/// A change to a register item as a merge patch or a form gives it: nil leaves a field alone, `.some(nil)` clears it.
public struct RegisterItemPatch: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var status: String?
    public var ownerID: UserID??
    public var dueDate: CalendarDate??
    public var visibility: Visibility?
    public var companyID: CompanyID??
    /// Field name → new value; nil clears the field.
    public var details: [String: RegisterValue?] = [:]

    public init() {}

    public var isEmpty: Bool { self == RegisterItemPatch() }

    public func applied(to f: RegisterItemFields) -> RegisterItemFields {
        var f = f
        if let title { f.title = title }
        if let description { f.description = description }
        if let status { f.status = status }
        if let ownerID { f.ownerID = ownerID }
        if let dueDate { f.dueDate = dueDate }
        if let visibility { f.visibility = visibility }
        if let companyID { f.companyID = companyID }
        for (name, value) in details { f.details[name] = value }
        return f
    }
}
