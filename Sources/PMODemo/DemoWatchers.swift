import Foundation
import PMOCore
import PMOStore

/// The demo's watching and reminders: the CIO watches the first issue (a steering-level matter), and the member has
/// their due dates reminded three days ahead, with comments in the daily digest and assignments at once.
enum DemoWatchers {
    static func load(into store: Store, key: String, exec: Caller, member: Caller) async throws {
        guard try await store.hasMigrated("M024CreateItemWatchers") else { return }
        _ = try await store.items.setWatching(exec, key: key, type: .issue, number: 1, true)
        _ = try await store.mail.updatePreferences(member, modes: ["commented": "daily", "assigned": "immediate"], digestTime: "08:30",
                                                   reminderDays: "3", expectedVersion: nil)
    }
}
