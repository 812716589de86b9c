import Foundation
import PMOCore
import PMOStore
import PMOWords

/// The demo's signals: computed from the demo's plan and registers as the background would, then worked on as a PMO
/// would: the worst schedule sign turned into a risk, another acknowledged with a note.
enum DemoSignals {
    static func load(into store: Store, key: String, pmo: Caller, pm: Caller) async throws {
        // Tests of older migrations load the demo into a database without these tables yet.
        guard try await store.hasMigrated("M020CreateSignals"), try await store.hasMigrated("M021CreateInbox") else { return }
        guard let project = try await store.projects.list(for: pmo).first(where: { $0.0.key == key })?.0, let projectID = project.id else { return }
        // The development meeting and the steering committee bring signals to their agendas from now on.
        for series in try await store.meetings.series(pmo, key: key) where series.fields.companyID == nil {
            var fields = series.fields
            fields.rules.append(.signals)
            _ = try await store.meetings.updateSeries(pmo, key: key, id: series.id, expectedVersion: nil, fields)
        }
        try await store.signals.recompute(projectID: projectID)
        let open = try await store.signals.list(pmo, key: key).signals
        let schedule: [SignalCode] = [.milestoneSlip, .vendorSlipping, .spiLow, .companyNotReported, .activityNoUpdate]
        if let sign = schedule.lazy.compactMap({ code in open.first { $0.code == code } }).first {
            let name = sign.values["name"] ?? sign.values["company"] ?? ""
            let title = name.isEmpty ? "スケジュール遅延の予兆への対応" : "「\(name)」の遅延が拡大するリスク"
            // The description as the signal's page words it for a Japanese reader.
            let ja = Words(.ja)
            let description = ja("signals.from_signal", ["title": ja["signal.\(sign.code.rawValue).title"],
                                                          "text": ja("signal.\(sign.code.rawValue)", sign.values)])
            _ = try await store.signals.convert(pmo, key: key, id: sign.id, into: .risk, title: title, description: description)
        }
        if let overdue = open.first(where: { $0.code == .actionsOverdue || $0.code == .itemStale }) {
            _ = try await store.signals.acknowledge(pm, key: key, id: overdue.id, note: "次回定例で担当者と期限を再設定する。")
        }
        // A comment that mentions two members, then everyone's inbox from the project's first weeks on.
        _ = try await store.items.addComment(pm, key: key, type: .issue, number: 2,
                                             body: "@member 性能試験の結果を共有してください。@aoba.lead DB のパラメータ見直しもお願いします。")
        try await store.inbox.collect(firstFrom: store.now().addingTimeInterval(-60 * 86_400))
    }
}
