import PMOCore
import PMOStore
import Vapor

/// Files on issues, register items, plan activities, meetings, status reports and vendors' estimates over the API: list and upload on the
/// owner, download and delete by id. An upload's body is the file itself (`Content-Type` its type, `?name=` its name),
/// read as it arrives.
enum AttachmentAPI {
    /// The routes on one kind of item (called with each register's other item routes).
    static func itemRoutes(_ r: APIRouter, base: String, type: ItemType, tag: String) {
        ownerRoutes(r, path: "\(base)/{number}/attachments", noun: "the \(type.auditEntityType)", tag: tag) { req in
            .item(type, try req.pathInt("number"))
        }
    }

    /// The list and upload routes at `path` (ending in `/attachments`) of the owner `owner` reads from the request.
    static func ownerRoutes(_ r: APIRouter, path: String, noun: String, tag: String,
                            owner: @escaping @Sendable (Request) throws -> AttachmentOwner) {
        r.add(.GET, path, summary: "The files attached to \(noun), oldest first", tag: tag, response: "AttachmentList") { req in
            let key = try req.projectKey()
            let views = try await req.store.attachments.list(try req.requireCaller(), key: key, owner: try owner(req))
            return try await json(ListDTO(items: views.map { AttachmentDTO($0, key: key) }), req)
        }
        r.add(.POST, path,
              summary: "Attach a file to \(noun): the body is the file, Content-Type its type, ?name= its file name (at most the server's limit, 50 MB by default)",
              tag: tag, response: "Attachment", status: 201, query: ["name"], errors: [413], streamsBody: true) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let owner = try owner(req)
            let name = (try? req.query.get(String.self, at: "name")) ?? ""
            guard AttachmentRules.storedName(name) != nil else {
                throw DomainError.invalid("attachment.invalid", [FieldError(field: "name", code: "required",
                                                                             message: "Give the file's name as ?name=, e.g. ?name=estimate.pdf.")])
            }
            // Who may not add files here is refused before a byte of the file is read.
            try await req.store.attachments.requireCanAttach(caller, key: key, owner: owner)
            let file = try await UploadStream.body(req, limit: req.application.serverConfiguration.maxAttachmentBytes)
            let view = try await req.store.attachments.add(caller, key: key, owner: owner, file: file,
                                                          info: AttachmentFileInfo(name: name, contentType: req.headers.first(name: .contentType)))
            let response = try await json(AttachmentDTO(view, key: key), req, status: .created)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(key)/attachments/\(view.id.uuidString.lowercased())")
            return response
        }
    }

    /// The routes on one file, by id within its project.
    static func register(_ r: APIRouter) {
        ownerRoutes(r, path: "\(PlanAPI.base)/activities/{uid}/attachments", noun: "the activity (its files: the PMO, PMs, its owner and its company; a vendor sees its own company's)",
                    tag: PlanAPI.tag) { req in .activity(try req.pathInt("uid")) }
        ownerRoutes(r, path: "\(MeetingAPI.occurrence)/attachments", noun: "the meeting (its materials; added by the chair, the PMO and PMs)",
                    tag: MeetingAPI.tag) { req in .meeting(try MeetingAPI.seriesID(req), try MeetingAPI.number(req)) }
        ownerRoutes(r, path: "\(ReportAPI.base)/{id}/attachments", noun: "the status report (added by the PMO and PMs)",
                    tag: ReportAPI.tag) { req in .report(try req.pathUUID("id")) }
        ownerRoutes(r, path: "/projects/{key}/ledger/estimates/{id}/attachments",
                    noun: "the estimate (the vendor's file: seen by those who see the project's commercial data and by that vendor only; added by the PMO, PMs and that vendor)",
                    tag: LedgerAPI.tag) { req in .estimate(try req.pathUUID("id")) }
        r.add(.GET, "/projects/{key}/attachments/{id}", summary: "Download a file (its stored type; a type a browser would run comes as application/octet-stream)",
              tag: "attachments", files: ["*/*"]) { req in
            let (view, content) = try await req.store.attachments.content(try req.requireCaller(), key: try req.projectKey(),
                                                                          id: try req.pathUUID("id"))
            return AttachmentDownload.response(view, content)
        }
        r.add(.DELETE, "/projects/{key}/attachments/{id}",
              summary: "Delete a file from its item (kept for the audit trail until an administrator purges it)", tag: "attachments", status: 204) { req in
            _ = try await req.store.attachments.delete(try req.writer(), key: try req.projectKey(), id: try req.pathUUID("id"))
            return Response(status: .noContent)
        }
    }
}

/// A file attached to an item.
struct AttachmentDTO: Content {
    var id: String
    var name: String
    var contentType: String
    var size: Int
    /// The SHA-256 of the content, in hex: the same file attached twice has the same one.
    var sha256: String
    var uploadedBy: PersonRef
    var uploadedAt: Date
    /// What it is attached to, named as people name it: CRM-I12, "CRM #12 Design", "Weekly PMO #3", "CRM report 2026-12-04".
    var item: String
    /// The kind of thing it is attached to: item (an issue or register item), activity, meeting, report or estimate.
    var ownerType: String
    /// Where to download it.
    var href: String

    init(_ v: AttachmentView, key: String) {
        id = v.id.uuidString.lowercased()
        name = v.name
        contentType = v.contentType
        size = Int(v.size)
        sha256 = v.sha256
        uploadedBy = PersonRef(id: v.uploadedByID.uuidString.lowercased(), name: v.uploadedByName)
        uploadedAt = v.uploadedAt
        item = v.ownerReference
        ownerType = v.owner.kind
        href = "/api/v1/projects/\(key)/attachments/\(id)"
    }
}

extension AttachmentDTO: DocumentedBody {
    static let schemaName = "Attachment"
    static var schemaHints: [String: JSONSchema] {
        ["id": .uuid, "size": JSONSchema.integer.minimum(1), "ownerType": .enumeration(["item", "activity", "meeting", "report", "estimate"])]
    }
}
