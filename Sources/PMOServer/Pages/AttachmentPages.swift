import PMOCore
import PMOHTML
import PMOStore
import PMOWords
import Vapor

/// The files of an issue, register item, plan activity, meeting, status report or estimate on its page: the list, the upload
/// form (streamed, never held in memory), downloads, and deleting. The API's routes are `AttachmentAPI`; both answer a
/// download with `AttachmentDownload`.
enum AttachmentPages {
    struct Row {
        var id: String; var name: String; var href: String; var deleteHref: String; var size: String; var by: String; var at: String
    }

    /// The section's data: the files, and where the reader may add files (nil: they may not).
    struct Section {
        var rows: [Row] = []
        var uploadTo: String?
        var limit: String = ""
    }

    /// The section of `owner`'s page; nil when the reader may not see its files (a vendor on another company's activity).
    static func section(_ req: Request, caller: Caller, key: String, owner: AttachmentOwner) async throws -> Section? {
        guard let listing = try await req.store.attachments.listing(caller, key: key, owner: owner) else { return nil }
        let rows = listing.files.map { v in
            Row(id: v.id.uuidString.lowercased(), name: v.name, href: ProjectPath.attachment(v.id.uuidString.lowercased()).href(key),
                deleteHref: ProjectPath.deleteAttachment(v.id.uuidString.lowercased()).href(key), size: byteCount(v.size, req.words),
                by: v.uploadedByName, at: Formatting.instant(v.uploadedAt, zone: caller.timeZone))
        }
        return Section(rows: rows, uploadTo: listing.canAdd ? uploadPath(owner, key: key) : nil,
                       limit: AttachmentUpload.megabytes(req.application.serverConfiguration.maxAttachmentBytes))
    }

    /// Where the owner's upload form posts.
    static func uploadPath(_ owner: AttachmentOwner, key: String) -> String {
        switch owner {
        case .item(let type, let number): ProjectPath.attachments(type, number).href(key)
        case .activity(let uid): PlanPath.activityAttachments(uid).href(key)
        case .meeting(let series, let number): MeetingPath.attachments(series, number).href(key)
        case .report(let id): ReportPath.attachments(id).href(key)
        case .estimate(let id): ProjectPath.estimateAttachments(id).href(key)
        }
    }

    /// The owner's page, at its files.
    static func ownerPage(_ owner: AttachmentOwner, key: String) -> String {
        switch owner {
        case .item(let type, let number): ProjectPath.item(type, number).href(key, fragment: "attachments")
        case .activity(let uid): PlanPath.activity(uid).href(key, fragment: "attachments")
        case .meeting(let series, let number): MeetingPath.occurrence(series, number).href(key, fragment: "attachments")
        case .report(let id): ReportPath.report(id).href(key, fragment: "attachments")
        case .estimate(let id): ProjectPath.estimate(id).href(key, fragment: "attachments")
        }
    }

    /// "12.3 MB", "840 KB", "512 bytes".
    static func byteCount(_ size: Int64, _ words: [String: String]) -> String {
        if size >= 1_048_576 { return String(format: "%.1f MB", Double(size) / 1_048_576) }
        if size >= 1_024 { return "\(Int((Double(size) / 1_024).rounded())) KB" }
        return "\(size) " + (words["bytes"] ?? "bytes")
    }

    static func register(_ pages: any RoutesBuilder) {
        for type in ItemType.allCases {
            pages.on(.POST, "projects", ":key", "\(ProjectPath.plural(type))", ":number", "attachments", body: .stream) { req async throws -> Response in
                try await upload(req, owner: .item(type, try req.pathInt("number")))
            }
        }
        pages.on(.POST, "projects", ":key", "plan", "activities", ":uid", "attachments", body: .stream) { req async throws -> Response in
            try await upload(req, owner: .activity(try req.pathInt("uid")))
        }
        pages.on(.POST, "projects", ":key", "meetings", ":id", ":n", "attachments", body: .stream) { req async throws -> Response in
            try await upload(req, owner: .meeting(try req.pathUUID("id"), try req.pathInt("n")))
        }
        pages.on(.POST, "projects", ":key", "reports", ":id", "attachments", body: .stream) { req async throws -> Response in
            try await upload(req, owner: .report(try req.pathUUID("id")))
        }
        pages.on(.POST, "projects", ":key", "ledger", "estimates", ":id", "attachments", body: .stream) { req async throws -> Response in
            try await upload(req, owner: .estimate(try req.pathUUID("id")))
        }
        pages.get("projects", ":key", "files", ":id") { req async throws -> Response in
            let caller = try req.pageCaller()
            let (view, content) = try await req.store.attachments.content(caller, key: try req.projectKey(), id: try req.pathUUID("id"))
            return AttachmentDownload.response(view, content)
        }
        pages.post("projects", ":key", "files", ":id", "delete") { req async throws -> Response in
            let caller = try req.pageCaller()
            let key = try req.projectKey()
            _ = try req.form()
            let view = try await req.store.attachments.delete(caller, key: key, id: try req.pathUUID("id"))
            return req.redirect(to: ownerPage(view.owner, key: key))
        }
    }

    /// The upload form's post: who may not add files is refused before the file is read; then the multipart body is
    /// streamed to storage and the reader goes back to the owner's files.
    static func upload(_ req: Request, owner: AttachmentOwner) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        try await req.store.attachments.requireCanAttach(caller, key: key, owner: owner)
        let form = try await UploadStream.form(req, limit: req.application.serverConfiguration.maxAttachmentBytes)
        if form.file.size == 0 && form.fileName.isEmpty {
            form.file.discard()
            throw DomainError.invalid("attachment.invalid", [FieldError(field: "file", code: "required", message: "Choose a file to upload.")])
        }
        _ = try await req.store.attachments.add(caller, key: key, owner: owner, file: form.file,
                                                info: AttachmentFileInfo(name: form.fileName, contentType: form.contentType))
        return req.redirect(to: ownerPage(owner, key: key))
    }
}

/// A stored file as an answer: streamed in chunks, shown in the browser only for types a browser displays without
/// running anything (images, PDF, plain text), otherwise a download; never sniffed (`nosniff`, set for every answer),
/// and sandboxed (all but PDF) so that even a displayed file runs no script.
enum AttachmentDownload {
    static let shownInline: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"]
    /// Types a browser would run or render as a page: served as plain bytes.
    static let active: [String] = ["html", "xml", "javascript", "ecmascript", "svg", "xhtml"]

    static func response(_ view: AttachmentView, _ content: AttachmentContent) -> Response {
        let response = Response(status: .ok)
        let runnable = active.contains { view.contentType.contains($0) }
        let type = runnable ? "application/octet-stream" : view.contentType
        let inline = shownInline.contains(type)
        response.headers.replaceOrAdd(name: .contentType, value: type == "text/plain" ? "text/plain; charset=utf-8" : type)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); \(fileNameParameters(view.name))")
        // Chrome's PDF viewer refuses a sandboxed document, and it runs no script of this site: a PDF goes unsandboxed.
        if type != "application/pdf" {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.body = .init(managedAsyncStream: { writer in
            try await content.read { data in try await writer.write(.buffer(ByteBuffer(data: data))) }
        }, count: Int(content.size))
        return response
    }

    /// `filename="…"` in ASCII (other characters as `_`) and `filename*=UTF-8''…` with the real name.
    static func fileNameParameters(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
            .union(CharacterSet(charactersIn: "-._~"))
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

extension ItemViews {
    /// The files of an item: each with its size, who added it and when, a download link and (for those who may edit)
    /// a delete button; then the upload form.
    /// `printed` false leaves the section off paper (a report or the minutes print as documents of their own).
    static func attachments(_ h: inout HTMLWriter, _ section: AttachmentPages.Section?, csrf: String, _ t: Words, printed: Bool = true) {
        guard let s = section else { return }
        h.el(.section, .class(printed ? "card" : "card noprint"), .id("attachments")) { h in
            h.el(.h2, text: t["attachments"])
            if s.rows.isEmpty { h.el(.p, .class("muted"), text: t["no_attachments"]) }
            h.el(.ul, .class("links attachments")) { h in
                for r in s.rows {
                    h.el(.li) { h in
                        h.el(.a, .href(r.href), text: r.name)
                        h.text(" ")
                        h.el(.span, .class("muted"), text: "\(r.size) · \(r.by) · \(r.at)")
                        guard s.uploadTo != nil else { return }
                        h.text(" ")
                        h.postForm(r.deleteHref, .class("inline"), csrf: csrf) { h in
                            h.el(.button, .class("link danger"), .type("submit"), .title(t["delete_attachment"]), text: "×")
                        }
                    }
                }
            }
            guard let uploadTo = s.uploadTo else { return }
            h.postForm(uploadTo, .class("row upload"), .enctype("multipart/form-data"), csrf: csrf) { h in
                h.el(.input, .type("file"), .name("file"), .required, .attr("aria-label", t["choose_file"]))
                h.el(.button, .type("submit"), text: t["upload"])
            }
            h.el(.p, .class("muted small"), text: t("attachment_limit", ["mb": s.limit]))
        }
    }
}
