import FluentKit
import Foundation
import PMOCore
import PMOStore

/// The demo's meetings and reports: the weekly development meeting with three past occurrences and their approved
/// minutes (the fourth is next week's, left for the visitor to prepare), a steering committee, vendor 楓's own progress
/// meeting, and two issued weekly status reports.
enum DemoMeetings {
    static func jst(_ day: CalendarDate, _ minutes: Int) -> Date { MeetingService.instant(day, minutes: minutes) }

    static func store(_ store: Store, at instant: Date) -> Store {
        var s = store
        let ticks = Ticks(instant)
        s.clock = { ticks.next() }
        return s
    }

    /// A second per reading, so that records written one after the other sort in that order.
    final class Ticks: @unchecked Sendable {
        private let lock = NSLock()
        private var current: Date
        init(_ start: Date) { current = start }
        func next() -> Date {
            lock.lock(); defer { lock.unlock() }
            current = current.addingTimeInterval(1)
            return current
        }
    }

    static func load(into base: Store, key: String, users: [UserRecord], kaede: CompanyID, today: CalendarDate) async throws {
        let ids = try users.map { UserID(try $0.requireID()) }
        let pmo = try Caller(users[DemoPlan.sato]), pm = try Caller(users[DemoPlan.takahashi])
        // Tuesdays at 10:00. The last past Tuesday is occurrence 3; next week's is 4.
        var lastPast = today.adding(days: -1)
        while lastPast.weekday != 2 { lastPast = lastPast.adding(days: -1) }
        let first = lastPast.adding(days: -14)
        let setup = store(base, at: jst(first.adding(days: -10), 9 * 60))
        let weekly = try await setup.meetings.createSeries(pmo, key: key, MeetingSeriesFields(
            name: "週次定例（開発）", purpose: "開発・移行の進捗、課題・リスク・決定事項を確認し、必要な判断をその場で行う。",
            chairID: ids[DemoPlan.sato],
            recurrence: MeetingRecurrence(firstDate: first, intervalWeeks: 1, startMinutes: 10 * 60, durationMinutes: 60),
            location: "本社 5F 会議室A / Teams",
            attendeeIDs: [ids[DemoPlan.takahashi], ids[DemoPlan.tanaka], ids[DemoPlan.ito], ids[DemoPlan.kim]],
            // Signals come to the agenda once the demo has them (`DemoSignals` adds the rule).
            rules: AgendaRule.allCases.filter { $0 != .signals }))
        _ = try await setup.meetings.createSeries(pmo, key: key, MeetingSeriesFields(
            name: "ステアリングコミッティ", purpose: "全体状況の報告と、予算・スコープ・スケジュールに関わる意思決定。",
            chairID: ids[DemoPlan.takahashi],
            recurrence: MeetingRecurrence(firstDate: first.adding(days: 3), intervalWeeks: 4, startMinutes: 15 * 60, durationMinutes: 90),
            location: "役員会議室", attendeeIDs: [ids[DemoPlan.sato], ids[4]],
            rules: [.carriedOver, .decisionsPending, .risksAttention, .scheduleSlips, .milestonesAhead], riskThreshold: 15))
        _ = try await setup.meetings.createSeries(pmo, key: key, MeetingSeriesFields(
            name: "楓システムズ 進捗会議", purpose: "CRM本体の開発進捗と楓システムズ担当の課題の確認。",
            chairID: ids[DemoPlan.sato],
            recurrence: MeetingRecurrence(firstDate: first.adding(days: 2), intervalWeeks: 1, startMinutes: 14 * 60, durationMinutes: 45),
            location: "Teams", attendeeIDs: [ids[DemoPlan.ito], ids[DemoPlan.watanabe]], companyID: kaede, visibility: .company(kaede)))

        // Three held meetings: prepared the day before, minutes written in the meeting, approved the next day.
        let notes = [
            "CRM本体の設計レビュー結果を共有。指摘事項は楓システムズが次回までに反映する。",
            "移行リハーサル計画の前提条件について議論。名寄せルールの決定を急ぐ必要がある。",
            "性能課題の対応状況を確認。検索応答はインデックス見直しで改善見込み。",
        ]
        for n in 1...3 {
            let date = weekly.fields.recurrence.date(ofOccurrence: n)
            let prep = store(base, at: jst(date.adding(days: -1), 16 * 60))
            let occurrence = try await prep.meetings.prepareOccurrence(pmo, key: key, seriesID: weekly.id, number: n, today: date.adding(days: -1))
            let meeting = store(base, at: jst(date, 10 * 60 + 5))
            for (i, item) in occurrence.items.prefix(4).enumerated() {
                _ = try await meeting.meetings.updateAgendaItem(pmo, key: key, seriesID: weekly.id, number: n, itemID: item.id, expectedVersion: nil,
                                                       AgendaItemPatch(notes: i == 0 ? "状況を確認。担当者から来週までに報告。" : "確認済み。",
                                                                       carry: n == 2 && i == 1))
            }
            if let line = occurrence.items.first(where: { $0.itemType == .risk }) ?? occurrence.items.first {
                _ = try await meeting.meetings.recordMinutesOutput(pmo, key: key, seriesID: weekly.id, number: n, agendaItemID: line.id, .register(.action,
                    RegisterItemFields(title: ["設計指摘事項の反映計画を提出する", "名寄せルール案を業務部門と確認する", "検索インデックスの見直し結果を報告する"][n - 1],
                                       status: "open", ownerID: ids[[DemoPlan.ito, DemoPlan.tanaka, DemoPlan.kim][n - 1]],
                                       dueDate: date.adding(days: 7))))
            }
            if n == 2 {
                _ = try await meeting.meetings.recordMinutesOutput(pmo, key: key, seriesID: weekly.id, number: n, agendaItemID: nil, .register(.decision,
                    RegisterItemFields(title: "移行リハーサルは2回実施とする", status: "decided", ownerID: ids[DemoPlan.takahashi],
                                       details: ["decider": .user(ids[DemoPlan.takahashi]), "decision": .text("本番前に2回のリハーサルを行い、2回目を判定に用いる。"),
                                                 "rationale": .text("1回では移行時間の見積精度が不足するため。")])))
            }
            _ = try await meeting.meetings.updateMinutes(pmo, key: key, seriesID: weekly.id, number: n, expectedVersion: nil, notes: notes[n - 1],
                                                presentIDs: [ids[DemoPlan.takahashi], ids[DemoPlan.tanaka], ids[DemoPlan.ito]]
                                                    + (n == 3 ? [] : [ids[DemoPlan.kim]]))
            _ = try await store(base, at: jst(date.adding(days: 1), 11 * 60)).meetings.approveMinutes(pmo, key: key, seriesID: weekly.id,
                                                                                          number: n, expectedVersion: nil)
        }

        // Two issued weekly status reports, on the last two Fridays.
        var friday = today.adding(days: -1)
        while friday.weekday != 5 { friday = friday.adding(days: -1) }
        for (i, date) in [friday.adding(days: -7), friday].enumerated() {
            let s = store(base, at: jst(date, 17 * 60))
            let draft = try await s.reports.createStatusReport(pm, key: key, statusDate: date, today: date)
            _ = try await s.reports.updateStatusReport(pmo, key: key, id: draft.id, expectedVersion: nil,
                                               overrides: i == 1 ? [StatusOverride(area: .scope, rag: .amber,
                                                   reason: "名寄せルール未決のため、移行対象範囲が確定していない。")] : nil,
                                               comment: i == 0 ? "設計工程の遅れを注視。" : "移行準備の前提条件の確定が最優先。",
                                               done: i == 0 ? "CRM本体 基本設計レビュー完了" : "移行リハーサル方針の決定",
                                               next: i == 0 ? "詳細設計着手、移行計画書のレビュー" : "名寄せルールの合意、性能改善の確認")
            _ = try await s.reports.issueStatusReport(pmo, key: key, id: draft.id, expectedVersion: nil)
        }
    }
}
