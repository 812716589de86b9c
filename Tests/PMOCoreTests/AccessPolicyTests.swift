import Foundation
import PMOCore
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    let me = UserID(UUID())
    let other = UserID(UUID())
    let vendorA = CompanyID(UUID())
    let vendorB = CompanyID(UUID())
    let operatorCo = CompanyID(UUID())

    func actor(_ role: ProjectRole?, company: CompanyID? = nil, admin: Bool = false) -> AccessPolicy.Actor {
        AccessPolicy.Actor(userID: me, companyID: company ?? operatorCo, isSystemAdmin: admin, role: role)
    }

    @Test func visibilityByRole() {
        let visibilities: [Visibility] = [.project, .internal, .company(vendorA), .company(vendorB)]
        // Rows: role; columns: project, internal, company A, company B.
        let table: [(ProjectRole?, CompanyID, [Bool])] = [
            (.admin, operatorCo, [true, true, true, true]),
            (.pmo, operatorCo, [true, true, true, true]),
            (.pm, operatorCo, [true, true, true, true]),
            (.member, operatorCo, [true, true, true, true]),
            (.viewer, operatorCo, [true, true, true, true]),
            (.vendor, vendorA, [true, false, true, false]),
            (.vendor, vendorB, [true, false, false, true]),
            (nil, operatorCo, [false, false, false, false]),
        ]
        for (role, company, expected) in table {
            let seen = visibilities.map { AccessPolicy.canSee(actor(role, company: company), $0) }
            #expect(seen == expected, "\(String(describing: role)) of \(company)")
        }
        #expect(visibilities.allSatisfy { AccessPolicy.canSee(actor(nil, admin: true), $0) })
    }

    @Test func actionsByRoleOnAWholeProjectItemSomeoneElseOwns() {
        let item = AccessPolicy.ItemFacts(visibility: .project, ownerID: other, createdByID: other)
        let actions: [AccessPolicy.Action] = [.readProject, .editProject, .manageMembers, .readItem, .createItem, .editItem, .deleteItem, .comment]
        let table: [ProjectRole: [Bool]] = [
            .admin: [true, true, true, true, true, true, true, true],
            .pmo: [true, true, true, true, true, true, true, true],
            .pm: [true, true, true, true, true, true, true, true],
            .member: [true, false, false, true, true, true, false, true],
            .vendor: [true, false, false, true, true, false, false, true],
            .viewer: [true, false, false, true, false, false, false, false],
        ]
        for role in ProjectRole.allCases {
            let got = actions.map { AccessPolicy.allows(actor(role, company: role == .vendor ? vendorA : operatorCo), $0, item: item) }
            #expect(got == table[role], "\(role)")
        }
        #expect(actions.allSatisfy { !AccessPolicy.allows(actor(nil), $0, item: item) })
        #expect(actions.allSatisfy { AccessPolicy.allows(actor(nil, admin: true), $0, item: item) })
    }

    @Test func vendorEditsOwnCompanyItemsAndWhatItOwnsOrRaised() {
        let vendor = actor(.vendor, company: vendorA)
        #expect(AccessPolicy.allows(vendor, .editItem, item: .init(visibility: .company(vendorA))))
        #expect(AccessPolicy.allows(vendor, .editItem, item: .init(visibility: .company(vendorB))) == false)
        #expect(AccessPolicy.allows(vendor, .editItem, item: .init(visibility: .project, ownerID: me)))
        #expect(AccessPolicy.allows(vendor, .editItem, item: .init(visibility: .project, createdByID: me)))
        #expect(AccessPolicy.allows(vendor, .editItem, item: .init(visibility: .internal, ownerID: me)) == false)
        #expect(AccessPolicy.allows(vendor, .deleteItem, item: .init(visibility: .company(vendorA), ownerID: me)) == false)
    }

    @Test func whichVisibilitiesAnActorMayGive() {
        let vendor = actor(.vendor, company: vendorA)
        #expect(AccessPolicy.mayAssign(vendor, .project))
        #expect(AccessPolicy.mayAssign(vendor, .company(vendorA)))
        #expect(!AccessPolicy.mayAssign(vendor, .internal))
        #expect(!AccessPolicy.mayAssign(vendor, .company(vendorB)))
        #expect(AccessPolicy.mayAssign(actor(.member), .internal))
        #expect(AccessPolicy.mayAssign(actor(.pm), .company(vendorB)))
    }
}

@Suite("Core rules")
struct CoreRulesTests {
    @Test func calendarDatesParseOnlyRealDays() {
        #expect(CalendarDate(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "2026-13-01") == nil)
        #expect(CalendarDate(iso: "2026-1-01") == nil)
        #expect(CalendarDate(iso: "2026-01-01T00:00") == nil)
        #expect(CalendarDate(iso: "２０２６-01-01") == nil)
        #expect(CalendarDate(iso: "1900-02-29") == nil)
        #expect(CalendarDate(iso: "2000-02-29") != nil)
        #expect(CalendarDate(iso: "+026-01-01") == nil)
        #expect(CalendarDate(iso: "2026-+1-01") == nil)
    }

    @Test func dayArithmeticMatchesFoundation() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        for offset in stride(from: -40_000, through: 40_000, by: 997) {
            let date = CalendarDate(dayNumber: offset)
            let foundation = gregorian.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(offset) * 86_400))
            #expect([date.year, date.month, date.day] == [foundation.year, foundation.month, foundation.day])
            #expect(date.dayNumber == offset)
        }
        #expect(CalendarDate(iso: "2026-12-31")!.adding(days: 1).description == "2027-01-01")
    }

    @Test func dateOfAnInstantDependsOnTheZone() {
        let day = CalendarDate(iso: "2026-11-18")!
        let instant = Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + 16 * 3_600)  // 2026-11-18T16:00Z
        #expect(CalendarDate(instant, in: TimeZone(identifier: "UTC")!).description == "2026-11-18")
        #expect(CalendarDate(instant, in: TimeZone(identifier: "Asia/Tokyo")!).description == "2026-11-19")
    }

    @Test func projectKeys() {
        for good in ["CRM", "ERP2", "AB", "A123456789"] { #expect(ProjectRules.isValidKey(good), "\(good)") }
        for bad in ["A", "crm", "2CRM", "CRM-1", "ABCDEFGHIJK", "", "ＣＲＭ", "CR M"] { #expect(!ProjectRules.isValidKey(bad), "\(bad)") }
    }

    @Test func issueRulesNameEveryBrokenField() {
        var f = IssueFields(title: String(repeating: "a", count: 201), nextAction: String(repeating: "b", count: 2001))
        f.escalationLevel = 4
        f.visibility = Visibility(scope: .company)
        #expect(IssueRules.validate(f).map(\.field) == ["title", "nextAction", "escalationLevel", "visibilityCompanyId"])
        #expect(IssueRules.validate(IssueFields(title: "ok")).isEmpty)
        #expect(IssueRules.validate(IssueFields(title: " \n ")).map(\.code) == ["required"])
    }

    @Test func overdueAndStale() {
        let today = CalendarDate(iso: "2026-11-21")!
        #expect(IssueRules.isOverdue(status: .open, dueDate: CalendarDate(iso: "2026-11-20"), today: today))
        #expect(!IssueRules.isOverdue(status: .open, dueDate: today, today: today))
        #expect(!IssueRules.isOverdue(status: .resolved, dueDate: CalendarDate(iso: "2026-01-01"), today: today))
        #expect(!IssueRules.isOverdue(status: .open, dueDate: nil, today: today))
        #expect(IssueRules.isStale(status: .inProgress, lastChanged: today.adding(days: -14), today: today))
        #expect(!IssueRules.isStale(status: .inProgress, lastChanged: today.adding(days: -13), today: today))
        #expect(!IssueRules.isStale(status: .closed, lastChanged: today.adding(days: -100), today: today))
    }
}
