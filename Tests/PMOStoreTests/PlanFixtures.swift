import Foundation
import PMOCore
import PMOStore
import PMOTestSupport
import Testing

/// Everyone a plan test needs: one project with a member of every role, two vendor companies and an outsider.
struct PlanCast: Sendable {
    var key: String
    /// The installation's administrator (system admin, not a member).
    var admin: Caller
    /// A project admin who is not a system admin.
    var projectAdmin: Caller
    var pmo: Caller
    var pm: Caller
    /// Owns the activities the tests give them.
    var member: Caller
    /// A second member who owns nothing.
    var member2: Caller
    /// Staff of vendor A and vendor B.
    var vendorA: Caller
    var vendorB: Caller
    var viewer: Caller
    /// Not a member of the project.
    var outsider: Caller
    var operatorID: UUID
    var vendorAID: UUID
    var vendorBID: UUID
}

/// A clock that moves one second on every reading, so that records written one after the other sort in that order.
final class TickingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var next: Date
    init(_ start: Date) { self.next = start }
    /// Starts at a local time in Japan, e.g. `TickingClock("2026-06-01", "09:00")`.
    convenience init(_ day: String, _ hhmm: String = "09:00") { self.init(TickingClock.jst(day, hhmm)) }
    static func jst(_ day: String, _ hhmm: String) -> Date {
        MeetingService.instant(CivilDate(iso: day)!, minutes: MeetingRecurrence.minutes(ofClock: hhmm)!)
    }
    /// Jumps to a local time in Japan; readings tick on from there.
    func set(_ day: String, _ hhmm: String = "09:00") {
        lock.lock()
        defer { lock.unlock() }
        next = TickingClock.jst(day, hhmm)
    }
    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        let d = next
        next = next.addingTimeInterval(1)
        return d
    }
}

extension StoreHarness {
    /// Companies, users of every role and project `key` starting on `start` (the plan's first day).
    func planCast(key: String = "PLN", start: String = "2026-06-01") async throws -> PlanCast {
        let op = try await store.accounts.createCompany(by: nil, name: "Operator", kind: "operator")
        let va = try await store.accounts.createCompany(by: nil, name: "Vendor A", kind: "vendor")
        let vb = try await store.accounts.createCompany(by: nil, name: "Vendor B", kind: "vendor")
        func make(_ name: String, _ company: UUID, admin: Bool = false) async throws -> Caller {
            try Caller(try await store.accounts.createUser(by: nil, NewUser(email: "\(name)@example.com", displayName: name, companyID: company,
                                                               isAdmin: admin, password: .given("long enough password")),
                                              bcryptCost: 4).user)
        }
        let admin = try await make("admin", op.id!, admin: true)
        let cast = PlanCast(
            key: key, admin: admin, projectAdmin: try await make("padmin", op.id!), pmo: try await make("pmo", op.id!),
            pm: try await make("pm", op.id!), member: try await make("member", op.id!), member2: try await make("member2", op.id!),
            vendorA: try await make("vendora", va.id!), vendorB: try await make("vendorb", vb.id!),
            viewer: try await make("viewer", op.id!), outsider: try await make("outsider", op.id!),
            operatorID: op.id!, vendorAID: va.id!, vendorBID: vb.id!)
        _ = try await store.projects.create(by: admin, ProjectFields(key: key, name: "Plan \(key)", startDate: CalendarDate(iso: start)!))
        for (c, role) in [(cast.projectAdmin, "admin"), (cast.pmo, "pmo"), (cast.pm, "pm"), (cast.member, "member"),
                          (cast.member2, "member"), (cast.vendorA, "vendor"), (cast.vendorB, "vendor"), (cast.viewer, "viewer")] {
            try await store.projects.setMembership(by: admin, key: key, userID: c.userID, role: role)
        }
        return cast
    }
}

extension Store {
    /// Adds an activity and returns its uid.
    @discardableResult
    func add(_ caller: Caller, _ key: String, _ name: String, days: Double = 1, parent: Int? = nil, after: Int? = nil,
             kind: Activity.Kind = .task, _ more: @escaping @Sendable (inout PlanActivity) -> Void = { _ in }) async throws -> Int {
        try await plans.createActivity(caller, key: key, parentUID: parent, afterUID: after) { a in
            a.name = name
            a.kind = kind
            a.duration = .working(Int(days * 480))
            more(&a)
        }.uid
    }

    /// Adds a finish-to-start link (with a lag in working days).
    @discardableResult
    func link(_ caller: Caller, _ key: String, _ from: Int, _ to: Int, lagDays: Double = 0,
              kind: Dependency.Kind = .finishToStart) async throws -> PlanDependency {
        try await plans.addDependency(caller, key: key, PlanDependencyInput(predecessorUID: from, successorUID: to, kind: kind,
                                                                    lag: .working(minutes: Int(lagDays * 480))))
    }
}

extension PlanView {
    /// The WBS as (outline, name) pairs.
    var outline: [String] { rows.map { "\($0.outline) \($0.activity.name)" } }
    func start(_ uid: Int) -> String? { scheduled(uid)?.start.description }
    func finish(_ uid: Int) -> String? { scheduled(uid)?.finish.description }
    func critical(_ uid: Int) -> Bool? { scheduled(uid)?.isCritical }
    func float(_ uid: Int) -> Int? { scheduled(uid)?.totalFloat }
    func uid(_ name: String) -> Int? { rows.first { $0.activity.name == name }?.activity.uid }
}

func day(_ s: String) -> CivilDate { CivilDate(iso: s)! }
func time(_ s: String) -> LocalTime { LocalTime(iso: s)! }

/// Runs `body`, which must throw a `DomainError` with `code`; returns the error for further checks.
@discardableResult
func expectDomainError(_ code: String, _ kind: DomainError.Kind? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () async throws -> Void) async -> DomainError? {
    do {
        try await body()
        Issue.record("expected error \(code), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let e as DomainError {
        #expect(e.code == code, "\(e.message)", sourceLocation: sourceLocation)
        if let kind { #expect(e.kind == kind, sourceLocation: sourceLocation) }
        return e
    } catch {
        Issue.record("expected DomainError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Whether two amounts agree to a thousandth (spreading budgets over minutes divides).
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 0.001) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

/// The message of an error caught by `expectDomainError`, empty when there was none.
func messageOf(_ e: DomainError?) -> String { e?.message ?? "" }
