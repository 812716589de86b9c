import Foundation
import PMOCore
import PMOStore
import Vapor

/// Meeting series (会議体) under /projects/{key}/meetings, their occurrences with generated agendas, and the minutes:
/// notes, who was present, items added by hand, register items and issues created from the minutes, approval
/// (frozen versions) and amendment. Same conventions as the registers: bearer token or session with CSRF token,
/// ETag and If-Match, problem+json with every offending field named.
///
/// Who may do what is decided by the Store (`MeetingAccess`): admins, the PMO and PMs set up series; they and a
/// series' chair prepare agendas and write and approve minutes; every member who may see a series reads it.
enum MeetingAPI {
    static let base = "/projects/{key}/meetings"
    static let occurrence = "\(base)/{id}/occurrences/{number}"
    static let tag = "meetings"

    static func register(_ r: APIRouter) {
        series(r)
        occurrences(r)
        minutes(r)
    }

    static func seriesID(_ req: Request) throws -> UUID { try req.pathUUID("id") }
    static func number(_ req: Request) throws -> Int { try req.pathInt("number", max: MeetingRules.occurrenceMax) }

    static func seriesResponse(_ s: MeetingSeriesView, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = try MeetingJSON.response(body: MeetingSeriesBody(s), status: status, version: s.version)
        if status == .created { response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(s.projectKey)/meetings/\(MeetingJSON.id(s.id))") }
        return response
    }

    static func occurrenceResponse(_ o: OccurrenceView, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = try MeetingJSON.response(body: MeetingOccurrenceBody(o), status: status, version: o.version)
        if status == .created {
            response.headers.replaceOrAdd(name: .location,
                                          value: "/api/v1/projects/\(o.series.projectKey)/meetings/\(MeetingJSON.id(o.series.id))/occurrences/\(o.number)")
        }
        return response
    }

    /// Whether the request carries a body at all (the POSTs that take an optional one).
    static func hasBody(_ req: Request) -> Bool {
        guard let buffer = req.body.data else { return false }
        return buffer.readableBytes > 0
    }

    // MARK: Series

    static func series(_ r: APIRouter) {
        r.add(.GET, base, summary: "The project's meeting series you can see, by name", tag: tag, response: "MeetingSeriesList") { req in
            let list = try await req.store.meetings.series(try req.requireCaller(), key: try req.projectKey())
            return try MeetingJSON.response(body: ListBody(items: list.map(MeetingSeriesBody.init)))
        }
        r.add(.POST, base, summary: "Set up a meeting series (admin, PMO, PM); 201 with Location and ETag", tag: tag,
              request: "MeetingSeriesCreate", response: "MeetingSeries", status: 201, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(MeetingSeriesCreateBody.self, code: "meeting.invalid")
            let blank = MeetingSeriesFields(name: "", recurrence: MeetingRecurrence(firstDate: body.firstDate))
            let fields = body.asPatch.applied(to: blank)
            let created = try await req.store.meetings.createSeries(caller, key: key, fields)
            return try seriesResponse(created, status: .created)
        }
        r.add(.GET, "\(base)/{id}", summary: "One meeting series (ETag: its version)", tag: tag, response: "MeetingSeries") { req in
            let s = try await req.store.meetings.series(try req.requireCaller(), key: try req.projectKey(), id: try seriesID(req))
            return try seriesResponse(s)
        }
        r.add(.PATCH, "\(base)/{id}", summary: "Change a meeting series (JSON merge patch, If-Match required; admin, PMO, PM)", tag: tag,
              request: "MeetingSeriesPatch", response: "MeetingSeries", ifMatch: true, access: .manager) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let id = try seriesID(req)
            let version = try req.requiredIfMatch()
            let body = try req.body(MeetingSeriesPatchBody.self, code: "meeting.invalid")
            let current = try await req.store.meetings.series(caller, key: key, id: id)
            let fields = body.applied(to: current.fields)
            // The store compares the version inside its transaction, so a change made since this read is refused.
            let updated = try await req.store.meetings.updateSeries(caller, key: key, id: id, expectedVersion: version ?? current.version, fields)
            return try seriesResponse(updated)
        }
    }

    // MARK: Occurrences and agenda

    static func occurrences(_ r: APIRouter) {
        r.add(.GET, "\(base)/{id}/occurrences", summary: "The series' occurrences, latest first", tag: tag,
              response: "MeetingOccurrenceList") { req in
            let list = try await req.store.meetings.occurrences(try req.requireCaller(), key: try req.projectKey(), seriesID: try seriesID(req))
            return try MeetingJSON.response(body: ListBody(items: list.map(MeetingOccurrenceSummaryBody.init)))
        }
        r.add(.POST, "\(base)/{id}/occurrences",
              summary: "Prepare an occurrence: number (default: the one after the last, else the first on or after today) with its agenda generated from live data; 201",
              tag: tag, request: "MeetingOccurrenceCreate", response: "MeetingOccurrence", status: 201) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let id = try seriesID(req)
            var number: Int?
            if hasBody(req) {
                number = try req.body(MeetingOccurrenceCreateBody.self, code: "meeting.invalid").number
            }
            let (today, _) = req.today(for: caller)
            let view = try await req.store.meetings.prepareOccurrence(caller, key: key, seriesID: id, number: number, today: today)
            return try occurrenceResponse(view, status: .created)
        }
        r.add(.GET, occurrence,
              summary: "One occurrence: its agenda items with the reasons they are there, notes, carry-over marks, outputs, and the minutes (ETag: its version)",
              tag: tag, response: "MeetingOccurrence") { req in
            let view = try await req.store.meetings.occurrence(try req.requireCaller(), key: try req.projectKey(), seriesID: try seriesID(req),
                                                      number: try number(req))
            return try occurrenceResponse(view)
        }
        r.add(.POST, "\(occurrence)/prepare",
              summary: "Refresh the agenda from live data: what has come up since is added, every edit is kept", tag: tag,
              response: "MeetingOccurrence") { req in
            let caller = try req.writer()
            let (today, _) = req.today(for: caller)
            let view = try await req.store.meetings.prepareOccurrence(caller, key: try req.projectKey(), seriesID: try seriesID(req),
                                                             number: try number(req), today: today)
            return try occurrenceResponse(view)
        }
        r.add(.PATCH, occurrence, summary: "Write the minutes' notes and who was present (If-Match: the occurrence's version)", tag: tag,
              request: "MeetingOccurrencePatch", response: "MeetingOccurrence", ifMatch: true) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let version = try req.requiredIfMatch()
            let body = try req.body(MeetingOccurrencePatchBody.self, code: "minutes.invalid")
            let notes = body.notes.textOrEmpty
            let present = body.present.isSent ? (body.present.value ?? []).map(UserID.init) : nil
            let view = try await req.store.meetings.updateMinutes(caller, key: key, seriesID: try seriesID(req), number: try number(req),
                                                         expectedVersion: version, notes: notes, presentIDs: present)
            return try occurrenceResponse(view)
        }
        r.add(.POST, "\(occurrence)/items",
              summary: "Add an agenda item by hand, optionally about an item (reference, e.g. CRM-R3); 201 with the item (ETag: its version)",
              tag: tag, request: "AgendaItemCreate", response: "AgendaItem", status: 201) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(AgendaItemCreateBody.self, code: "minutes.invalid")
            let title = body.title
            let notes = body.notes.textOrEmpty ?? ""
            let reference = body.reference.flatMap(ItemReference.init)
            let id = try seriesID(req)
            let n = try number(req)
            let view = try await req.store.meetings.addAgendaItem(caller, key: key, seriesID: id, number: n, title: title ?? "", notes: notes,
                                                         reference: reference)
            // The new item is the last one: it is added after the highest position.
            guard let item = view.items.max(by: { ($0.position, $0.version) < ($1.position, $1.version) }) else {
                throw DomainError.notFound("minutes.item_not_found", "The new agenda item cannot be read back.")
            }
            let response = try MeetingJSON.response(body: AgendaItemBody(item), status: .created, version: item.version)
            response.headers.replaceOrAdd(name: .location,
                                          value: "/api/v1/projects/\(key)/meetings/\(MeetingJSON.id(id))/occurrences/\(n)/items/\(MeetingJSON.id(item.id))")
            return response
        }
        r.add(.PATCH, "\(occurrence)/items/{itemId}",
              summary: "Change an agenda item's title, notes, carry-over mark or position (If-Match: the item's version)", tag: tag,
              request: "AgendaItemPatch", response: "AgendaItem", ifMatch: true) { req in
            let caller = try req.writer()
            let itemID = try req.pathUUID("itemId")
            let version = try req.requiredIfMatch()
            let patch = try req.body(AgendaItemPatchBody.self, code: "minutes.invalid").patch
            let view = try await req.store.meetings.updateAgendaItem(caller, key: try req.projectKey(), seriesID: try seriesID(req), number: try number(req),
                                                            itemID: itemID, expectedVersion: version, patch)
            guard let item = view.items.first(where: { $0.id == itemID }) else {
                throw DomainError.notFound("minutes.item_not_found", "This occurrence has no agenda item \(MeetingJSON.id(itemID)).")
            }
            return try MeetingJSON.response(body: AgendaItemBody(item), version: item.version)
        }
        r.add(.DELETE, "\(occurrence)/items/{itemId}", summary: "Remove an agenda item (not one that created register items)", tag: tag,
              status: 204) { req in
            _ = try await req.store.meetings.deleteAgendaItem(try req.writer(), key: try req.projectKey(), seriesID: try seriesID(req),
                                                     number: try number(req), itemID: try req.pathUUID("itemId"))
            return noContent()
        }
    }

    // MARK: Minutes

    static func minutes(_ r: APIRouter) {
        r.add(.POST, "\(occurrence)/outputs",
              summary: "Create an issue, risk, decision, question, change request or action item from the minutes, linked derived_from the agenda item's item; 201",
              tag: tag, request: "MinutesOutputCreate", response: "MinutesOutput", status: 201) { req in
            let caller = try req.writer()
            let key = try req.projectKey()
            let body = try req.body(MinutesOutputCreateBody.self, code: "minutes.invalid")
            let output = try MeetingJSON.output(type: body.type, fields: body.fields)
            let (_, created) = try await req.store.meetings.recordMinutesOutput(caller, key: key, seriesID: try seriesID(req), number: try number(req),
                                                                       agendaItemID: body.agendaItem.value, output)
            let response = try MeetingJSON.response(body: MinutesOutputBody(created), status: .created)
            let path = created.type.register?.plural ?? "issues"
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/projects/\(key)/\(path)/\(created.number)")
            return response
        }
        r.add(.POST, "\(occurrence)/approve",
              summary: "Approve the minutes (If-Match: the occurrence's version): refused while an action item they created has no owner or due date; the approved version is frozen",
              tag: tag, response: "MeetingOccurrence", ifMatch: true) { req in
            let caller = try req.writer()
            let version = try req.requiredIfMatch()
            let view = try await req.store.meetings.approveMinutes(caller, key: try req.projectKey(), seriesID: try seriesID(req), number: try number(req),
                                                          expectedVersion: version)
            return try occurrenceResponse(view)
        }
        r.add(.POST, "\(occurrence)/amend",
              summary: "Reopen approved minutes as the draft of the next version; every approved version stays as it was", tag: tag,
              response: "MeetingOccurrence") { req in
            let view = try await req.store.meetings.amendMinutes(try req.writer(), key: try req.projectKey(), seriesID: try seriesID(req),
                                                        number: try number(req))
            return try occurrenceResponse(view)
        }
        r.add(.GET, "\(occurrence)/versions", summary: "Every approved version of the minutes, oldest first, as approved", tag: tag,
              response: "MinutesVersionList") { req in
            let versions = try await req.store.meetings.minutesVersions(try req.requireCaller(), key: try req.projectKey(), seriesID: try seriesID(req),
                                                               number: try number(req))
            return try MeetingJSON.response(body: ListBody(items: versions.map(MinutesDocumentBody.init)))
        }
    }
}
