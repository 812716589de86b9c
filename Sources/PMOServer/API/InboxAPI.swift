import Foundation
import PMOCore
import PMOStore
import PMOWords
import Vapor

/// The caller's inbox over the API: entries newest first (worded in the caller's language), one marked read, all
/// marked read. Only one's own inbox: there is no path to another person's.
enum InboxAPI {
    static let tag = "inbox"

    static func register(_ r: APIRouter) {
        r.add(.GET, "/inbox", summary: "Your inbox, newest first (?unread=true: unread entries only), with how many are unread", tag: tag,
              response: "Inbox", query: ["unread"]) { req in
            let caller = try req.requireCaller()
            let unread = (try? req.query.get(Bool.self, at: "unread")) ?? false
            let (entries, count) = try await req.store.inbox.entries(caller, unreadOnly: unread)
            let w = SignalAPI.words(caller)
            return try MeetingJSON.response(body: InboxBody(unread: count, items: entries.map { InboxEntryBody($0, words: w) }))
        }
        r.add(.POST, "/inbox/{id}/read", summary: "Mark one of your inbox entries read", tag: tag, response: "InboxEntry", access: .signedIn) { req in
            let caller = try req.writer()
            let entry = try await req.store.inbox.markRead(caller, id: try req.pathUUID("id"))
            return try MeetingJSON.response(body: InboxEntryBody(entry, words: SignalAPI.words(caller)))
        }
        r.add(.POST, "/inbox/read-all", summary: "Mark every entry of your inbox read; answers how many were unread", tag: tag,
              response: "InboxReadAll", access: .signedIn) { req in
            let caller = try req.writer()
            return try MeetingJSON.response(body: InboxReadAllBody(marked: try await req.store.inbox.markAllRead(caller)))
        }
    }

    static var derivedBodies: [any DocumentedBody.Type] { [InboxEntryBody.self, InboxBody.self, InboxReadAllBody.self] }
}

struct InboxEntryBody: Codable, DocumentedBody {
    static let schemaName = "InboxEntry"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "kind": .enumeration(InboxKind.allCases.map(\.rawValue))]
    }
    var id: String
    var kind: String
    var projectKey: String
    /// The item's reference and title, when the entry is about one.
    var reference: String?
    var title: String
    /// What happened, in the caller's language.
    var text: String
    var actor: String?
    var createdAt: Date
    var read: Bool
    /// The item's page.
    var href: String?

    init(_ e: InboxEntryView, words: Words) {
        id = e.id.uuidString.lowercased()
        kind = e.kind.rawValue
        projectKey = e.projectKey
        reference = e.reference
        title = e.title
        text = InboxText.sentence(e, words)
        actor = e.actorName
        createdAt = e.createdAt
        read = e.readAt != nil
        href = InboxText.itemHref(e)
    }
}

struct InboxBody: Codable, DocumentedBody {
    static let schemaName = "Inbox"
    var unread: Int
    var items: [InboxEntryBody]
}

struct InboxReadAllBody: Codable, DocumentedBody {
    static let schemaName = "InboxReadAll"
    var marked: Int
}
