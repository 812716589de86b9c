/// The days a company is closed beyond the national calendar (a vendor's summer holidays, its own year-end days),
/// gathered from the company's own calendars in the projects' plans. Its people have no capacity on those days in the
/// overload map and in levelling: a closure belongs to the company, so a day closed in any project's calendar of the
/// company is closed for its people in every project.
public struct CompanyClosures: Sendable, Hashable {
    /// The calendars' days off (exceptions without working time).
    public private(set) var exceptions: [CalendarException]

    public init(calendars: [WorkCalendar] = []) {
        exceptions = []
        for calendar in calendars { add(calendar) }
    }

    /// Adds the days `calendar` takes off (its own exceptions; working exceptions, such as a Saturday worked, do not
    /// add capacity).
    public mutating func add(_ calendar: WorkCalendar) {
        for e in calendar.exceptions where e.workingTimes.isEmpty && !exceptions.contains(e) { exceptions.append(e) }
    }

    public var isEmpty: Bool { exceptions.isEmpty }

    /// Whether the company is closed on `day`.
    public func isClosed(_ day: CivilDate) -> Bool {
        exceptions.contains { $0.applies(to: day) }
    }
}
