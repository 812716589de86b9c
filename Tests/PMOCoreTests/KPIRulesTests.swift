import Foundation
import PMOCore
import Testing

/// Each KPI at its boundary, on the Japanese working calendar.
@Suite("KPI rules")
struct KPIRulesTests {
    func d(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }
    let october = [KPIMonth(year: 2026, month: 10)]

    @Test func monthsAndPercentiles() {
        #expect(KPIMonth.months(endingAt: d("2026-02-10"), count: 3).map(\.description) == ["2025-12", "2026-01", "2026-02"])
        #expect(KPIMonth(iso: "2026-13") == nil && KPIMonth(iso: "2026-09") == KPIMonth(year: 2026, month: 9))
        #expect(KPIMonth(year: 2024, month: 2).last == d("2024-02-29"))
        // As a spreadsheet's PERCENTILE.INC: the median of an even count is the mean of the middle two.
        #expect(KPIRules.percentile([3, 9], 50) == 6)
        #expect(KPIRules.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9.1)
        #expect(KPIRules.percentile([5], 90) == 5)
        #expect(KPIRules.percentile([], 50) == nil)
    }

    @Test func closedByTheDueDate() {
        let f = KPIFacts(dueItems: [
            .init(dueDate: d("2026-10-09"), closedOn: d("2026-10-09")),   // on the day: met
            .init(dueDate: d("2026-10-09"), closedOn: d("2026-10-10")),   // a day late
            .init(dueDate: d("2026-10-20"), closedOn: nil),               // due, open
            .init(dueDate: d("2026-10-30"), closedOn: nil),               // not due yet on the 30th: not counted
            .init(dueDate: d("2026-10-31"), closedOn: d("2026-10-28")),   // closed early: counted, met
        ])
        let r = KPIRules.report(f, months: october, today: d("2026-10-30"))
        #expect(r.series[.closedByDue] == [KPIValue(value: 50, count: 4, hits: 2)])
        let next = KPIRules.report(f, months: october, today: d("2026-10-31"))
        #expect(next.series[.closedByDue] == [KPIValue(value: 40, count: 5, hits: 2)])
    }

    @Test func openIssuesAge() {
        let f = KPIFacts(issues: [
            .init(raisedOn: d("2026-10-01"), closedOn: nil, foreseen: false),
            .init(raisedOn: d("2026-10-21"), closedOn: d("2026-10-31"), foreseen: true),   // closed on the last day: not open
            .init(raisedOn: d("2026-11-01"), closedOn: nil, foreseen: false),
        ])
        let r = KPIRules.report(f, months: [KPIMonth(year: 2026, month: 10), KPIMonth(year: 2026, month: 11), KPIMonth(year: 2026, month: 12)],
                                today: d("2026-11-11"))
        #expect(r.series[.openIssueAge] == [KPIValue(value: 30, count: 1), KPIValue(value: 25.5, count: 2), KPIValue(value: nil, count: 0)])
        #expect(r.totals[.openIssueAge] == KPIValue(value: 25.5, count: 2))
        #expect(r.series[.risksForeseen]?.first == KPIValue(value: 50, count: 2, hits: 1))
    }

    @Test func signalsActedOnWithinAWeek() {
        let f = KPIFacts(signals: [
            .init(raisedOn: d("2026-10-01"), actedOn: d("2026-10-08")),   // 7 days: in time
            .init(raisedOn: d("2026-10-01"), actedOn: d("2026-10-09")),   // 8 days: late
            .init(raisedOn: d("2026-10-02"), actedOn: nil),               // a week passed, nothing done
            .init(raisedOn: d("2026-10-05"), actedOn: nil),               // not a week yet on the 11th: not counted
        ])
        #expect(KPIRules.report(f, months: october, today: d("2026-10-11")).series[.signalsActed] == [KPIValue(value: 33.3, count: 3, hits: 1)])
        #expect(KPIRules.report(f, months: october, today: d("2026-10-12")).series[.signalsActed] == [KPIValue(value: 25, count: 4, hits: 1)])
    }

    @Test func minutesWithinTwoWorkingDays() {
        // Friday 9 October; 12 October is Sports Day: two working days after it are 13 and 14 October.
        let f = KPIFacts(meetings: [
            .init(heldOn: d("2026-10-09"), approvedOn: d("2026-10-14")),
            .init(heldOn: d("2026-10-09"), approvedOn: d("2026-10-15")),
            .init(heldOn: d("2026-10-20"), approvedOn: nil),             // two working days not over on the 22nd
            .init(heldOn: d("2026-11-02"), approvedOn: nil),             // not yet held
        ])
        #expect(KPIRules.report(f, months: october, today: d("2026-10-22")).series[.minutesApproved] == [KPIValue(value: 50, count: 2, hits: 1)])
        #expect(KPIRules.report(f, months: october, today: d("2026-10-23")).series[.minutesApproved] == [KPIValue(value: 33.3, count: 3, hits: 1)])
    }

    @Test func progressReportsOnTimeByCompany() {
        // Status dates Fridays 9 and 16 October. Monday 12 October is a holiday, so a report recorded on Tuesday 13 is in
        // time for the 9th; one recorded on Tuesday 20 for the 16th is late.
        let records = [
            KPIProgressRecord(uid: 1, statusDate: d("2026-10-09"), percent: 20, recordedOn: d("2026-10-13")),
            KPIProgressRecord(uid: 1, statusDate: d("2026-10-16"), percent: 40, recordedOn: d("2026-10-16")),
            KPIProgressRecord(uid: 2, statusDate: d("2026-10-09"), percent: 50, recordedOn: d("2026-10-09")),
            KPIProgressRecord(uid: 2, statusDate: d("2026-10-16"), percent: 60, recordedOn: d("2026-10-20")),
            KPIProgressRecord(uid: 3, statusDate: d("2026-10-09"), percent: 100, recordedOn: d("2026-10-09")),   // finished: owes nothing after
            KPIProgressRecord(uid: 4, statusDate: d("2026-10-09"), percent: 10, recordedOn: d("2026-10-09")),    // then silent on the 16th
        ]
        let reports = KPIFacts.progressReports(records: records, statusDates: [d("2026-10-09"), d("2026-10-16")],
                                               companyOf: [1: "a", 2: "b", 3: "c", 4: "d"], companyNames: ["a": "A", "b": "B", "c": "C", "d": "D"])
        #expect(reports.map { "\($0.statusDate) \($0.companyKey) \($0.reportedOn?.description ?? "-")" } == [
            "2026-10-09 a 2026-10-13", "2026-10-09 b 2026-10-09", "2026-10-09 c 2026-10-09", "2026-10-09 d 2026-10-09",
            "2026-10-16 a 2026-10-16", "2026-10-16 b 2026-10-20", "2026-10-16 d -",
        ])
        let r = KPIRules.report(KPIFacts(reports: reports), months: october, today: d("2026-10-30"))
        #expect(r.series[.reportsOnTime] == [KPIValue(value: 71.4, count: 7, hits: 5)])
        #expect(r.companies.map { "\($0.name) \($0.onTime[0].hits ?? -1)/\($0.onTime[0].count)" } == ["A 2/2", "B 1/2", "C 1/1", "D 1/2"])
    }

    @Test func poolingCountsEachEventOnce() {
        let a = KPIFacts(decisions: [.init(decidedOn: d("2026-10-02"), leadDays: 2), .init(decidedOn: d("2026-10-05"), leadDays: 4)])
        let b = KPIFacts(decisions: [.init(decidedOn: d("2026-10-07"), leadDays: 30)])
        let pooled = KPIRules.report(a + b, months: october, today: d("2026-10-31"))
        // The median of all three decisions, not the mean of the projects' medians (3 and 30).
        #expect(pooled.series[.decisionLeadMedian] == [KPIValue(value: 4, count: 3)])
        #expect(pooled.series[.decisionLeadP90] == [KPIValue(value: 24.8, count: 3)])
        let empty = KPIRules.report(KPIFacts(), months: october, today: d("2026-10-31"))
        #expect(KPICode.allCases.allSatisfy { empty.series[$0]?.first?.value == nil })
    }
}
