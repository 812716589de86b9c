import MultipartKit
import PMOCore
import PMOStore
import Vapor

/// Reads an upload from a request body as it arrives (routes registered with `body: .stream`) into the store's
/// staging file: the file is never held whole in memory, and an upload over the limit stops at the limit.
enum UploadStream {
    /// The API's upload: the body is the file.
    static func body(_ req: Request, limit: Int64) async throws -> StagedFile {
        try refuseDeclaredSize(req, limit: limit)
        let upload = try AttachmentUpload(storage: req.store.attachmentStorage, limit: limit)
        do {
            for try await chunk in req.body {
                try chunk.withUnsafeReadableBytes { try upload.write($0) }
            }
            return try upload.finish()
        } catch {
            upload.discard()
            throw error
        }
    }

    /// A page's upload form (multipart/form-data): its part named `file`, with the name and type the browser gave.
    struct FormUpload {
        var file: StagedFile
        var fileName: String
        var contentType: String?
        /// The form's other fields (the CSRF token): short text only.
        var fields: [String: String]
    }

    /// Reads a multipart form whose part `file` streams to the staging file; every other part is a text field of at
    /// most 4 KB. The form's CSRF token is checked before the file is handed on.
    static func form(_ req: Request, limit: Int64) async throws -> FormUpload {
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data",
              let boundary = type.parameters["boundary"], !boundary.isEmpty else {
            throw DomainError(.unsupportedMediaType, code: "attachment.not_a_form",
                              message: "Send the file with the page's upload form (multipart/form-data).")
        }
        // A form carries a few hundred bytes besides the file.
        try refuseDeclaredSize(req, limit: limit + 64 * 1024)
        let collector = try FormCollector(storage: req.store.attachmentStorage, limit: limit)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { collector.header($0, $1) }
        parser.onBody = { collector.body(&$0) }
        parser.onPartComplete = { collector.partComplete() }
        do {
            for try await chunk in req.body {
                do { try parser.execute(chunk) } catch {
                    throw DomainError(.malformed, code: "attachment.bad_form", message: "The upload form's body could not be read. Choose the file and send it again.")
                }
                if let failure = collector.failure { throw failure }
            }
            guard let upload = collector.upload, collector.sawFile else {
                throw DomainError.invalid("attachment.invalid", [FieldError(field: "file", code: "required", message: "Choose a file to upload.")])
            }
            try req.requireCSRF(formToken: collector.fields["_csrf"] ?? "")
            return FormUpload(file: try upload.finish(), fileName: collector.fileName ?? "", contentType: collector.fileType,
                              fields: collector.fields)
        } catch {
            collector.upload?.discard()
            throw error
        }
    }

    /// A declared length over the limit is refused before a byte is read.
    static func refuseDeclaredSize(_ req: Request, limit: Int64) throws {
        if let declared = req.headers.first(name: .contentLength).flatMap(Int64.init), declared > limit {
            throw AttachmentUpload.tooLarge(limit: limit)
        }
    }
}

/// The multipart parser's callbacks: which part is being read, its headers, and where its bytes go.
private final class FormCollector {
    let storage: AttachmentStorage
    let limit: Int64
    var headers: [String: String] = [:]
    var fieldName: String?
    var fieldBytes: [UInt8] = []
    var fields: [String: String] = [:]
    var upload: AttachmentUpload?
    var fileName: String?
    var fileType: String?
    var sawFile = false
    var failure: (any Error)?
    static let fieldMax = 4_096

    init(storage: AttachmentStorage, limit: Int64) throws {
        self.storage = storage
        self.limit = limit
    }

    func header(_ name: String, _ value: String) { headers[name.lowercased()] = value }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        if fieldName == nil && upload == nil { startPart() }
        do {
            if let upload, isFilePart {
                try buffer.withUnsafeReadableBytes { try upload.write($0) }
            } else {
                fieldBytes += buffer.readableBytesView
                if fieldBytes.count > Self.fieldMax {
                    throw DomainError.invalid("attachment.invalid", [FieldError(field: fieldName ?? "", code: "too_long", message: "A form field is too long.")])
                }
            }
        } catch { failure = error }
    }

    func partComplete() {
        if fieldName == nil && !isFilePart { startPart() }
        if isFilePart {
            sawFile = true
        } else if let name = fieldName {
            fields[name] = String(decoding: fieldBytes, as: UTF8.self)
        }
        headers = [:]
        fieldName = nil
        fieldBytes = []
        isFilePart = false
    }

    private var isFilePart = false

    /// The first bytes of a part: its headers are all in, so it is known to be the file or a field.
    private func startPart() {
        let disposition = ContentDisposition(headers["content-disposition"] ?? "")
        fieldName = disposition.name ?? ""
        if disposition.name == "file", !sawFile, upload == nil {
            do {
                upload = try AttachmentUpload(storage: storage, limit: limit)
                isFilePart = true
                fileName = disposition.fileName
                fileType = headers["content-type"]
            } catch { failure = error }
        }
    }
}

/// The `name` and `filename` of a part's `Content-Disposition` (browsers send the file name in UTF-8 with `"` as
/// `%22`; other clients may send `filename*=UTF-8''…`).
struct ContentDisposition {
    var name: String?
    var fileName: String?

    init(_ header: String) {
        name = Self.quoted("name", in: header)
        if let extended = Self.token("filename*", in: header), let quote = extended.range(of: "''") {
            fileName = String(extended[quote.upperBound...]).removingPercentEncoding
        } else {
            fileName = Self.quoted("filename", in: header)?.replacingOccurrences(of: "%22", with: "\"")
        }
    }

    /// The value of `key="…"` (the exact key, not a longer one ending with it).
    static func quoted(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(key + "=") else { continue }
            var value = String(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static func token(_ key: String, in header: String) -> String? { quoted(key, in: header) }
}
