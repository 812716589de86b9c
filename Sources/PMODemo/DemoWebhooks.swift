import Foundation
import PMOCore
import PMOStore

/// The demo's webhook: the PMO's chat channel, told of new items, status changes, comments, approved minutes, issued
/// reports and signals. Its address is a documentation name that never resolves, so the delivery log shows real
/// attempts failing and being retried, and nothing of the demo leaves the machine.
enum DemoWebhooks {
    static let url = "https://chat.example.com/hooks/crm-pmo"

    static func load(into store: Store, key: String, pmo: Caller, pm: Caller) async throws {
        guard try await store.hasMigrated("M022CreateWebhooks") else { return }
        let events: [WebhookEvent] = [.itemCreated, .itemStatusChanged, .commentAdded, .minutesApproved, .reportIssued, .signalRaised]
        let (hook, _) = try await store.webhooks.create(pmo, key: key, WebhookFields(name: "#crm-pmo（チャット）", url: url, events: events,
                                                                                      format: .slack, language: "ja"))
        // Something for the channel to hear of: a comment, and a test delivery.
        _ = try await store.items.addComment(pm, key: key, type: .issue, number: 1, body: "ベンダーへ確認中です。明日の定例で結果を共有します。")
        _ = try await store.webhooks.sendTest(pmo, key: key, id: hook.id)
        try await store.webhooks.collect()
    }
}
