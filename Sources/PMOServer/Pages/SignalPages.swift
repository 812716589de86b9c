import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords
import Vapor

/// A signal in words: its title and its sentence with its values (the catalogue's `signal.<code>`), for pages and for
/// the risk or issue it is turned into.
enum SignalText {
    static func title(_ code: SignalCode, _ t: Words) -> String { t["signal.\(code.rawValue).title"] }
    static func sentence(_ s: SignalView, _ t: Words) -> String { t("signal.\(s.code.rawValue)", s.values) }

    /// The new item's title and description when a signal is turned into a risk or an issue.
    static func item(_ s: SignalView, _ t: Words) -> (title: String, description: String) {
        let sentence = sentence(s, t)
        return (String(sentence.prefix(200)), t("signals.from_signal", ["title": title(s.code, t), "text": sentence]))
    }

    /// Where a signal's link goes, in project `key`.
    static func href(_ link: SignalLink, key: String) -> String? {
        switch link.kind {
        case .item: ItemReference(link.target).map { ProjectPath.item($0.type, $0.number).href(key) }
        case .activity: Int(link.target).map { PlanPath.activity($0).href(key) }
        case .earnedValue: PlanPath.evm.href(key)
        }
    }
}

/// The signals pages: a project's signals with their thresholds, one signal with its history and what can be done
/// with it, and the open signals of every project the reader may see.
enum SignalPages {
    struct ListData {
        var list: SignalList
        var showCleared: Bool
        var today: CalendarDate
        var timeZone: String
        var errors: [FieldError] = []
        /// The thresholds as typed, when they were refused.
        var typed: [String: String] = [:]
    }

    struct DetailData {
        var key: String
        var signal: SignalView
        var events: [SignalEventView]
        var canAct: Bool
        var today: CalendarDate
        var timeZone: String
        var errors: [FieldError] = []
    }

    struct AcrossData {
        var signals: [SignalView]
        var today: CalendarDate
        var timeZone: String
    }

    static func register(_ app: Application) {
        let pages = app.grouped(LoginRedirectMiddleware())
        pages.get("projects", ":key", "signals") { req async throws -> Response in try await listPage(req) }
        pages.post("projects", ":key", "signals", "thresholds") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            do {
                let thresholds = try parseThresholds(f)
                _ = try await req.store.signals.updateThresholds(caller, key: key, thresholds, expectedVersion: Int(f["version"] ?? ""))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await listPage(req, errors: req.shown(e.asFieldErrors), typed: f, status: ReportPages.status(e))
            }
            return req.redirect(to: ProjectPath.signals.href(key))
        }
        pages.get("projects", ":key", "signals", ":id") { req async throws -> Response in try await detailPage(req) }
        pages.post("projects", ":key", "signals", ":id", "acknowledge") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            do {
                var until: CalendarDate?
                if f["action"] == "snooze" {
                    guard let date = CalendarDate(iso: f["until"] ?? "") else {
                        throw DomainError.invalid("signal.invalid", [FieldError(field: "snoozeUntil", code: "invalid_date",
                                                                                message: "Give the day to snooze until as YYYY-MM-DD.")])
                    }
                    until = date
                }
                _ = try await req.store.signals.acknowledge(caller, key: key, id: id, note: f["note"] ?? "", snoozeUntil: until,
                                                            expectedVersion: Int(f["version"] ?? ""))
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await detailPage(req, errors: req.shown(e.asFieldErrors), status: ReportPages.status(e))
            }
            return req.redirect(to: f["back"] == "list" ? ProjectPath.signals.href(key) : ProjectPath.signal(id.uuidString.lowercased()).href(key))
        }
        pages.post("projects", ":key", "signals", ":id", "convert") { req async throws -> Response in
            let (caller, key, f) = try PlanPages.formContext(req)
            let id = try req.pathUUID("id")
            let reference: String
            do {
                let into = SignalConversion(rawValue: f["into"] ?? "") ?? .risk
                let current = try await req.store.signals.signal(caller, key: key, id: id).0
                let text = SignalText.item(current, req.pageWords)
                reference = try await req.store.signals.convert(caller, key: key, id: id, into: into, title: text.title,
                                                                description: text.description, expectedVersion: Int(f["version"] ?? "")).reference
            } catch let e as DomainError where e.kind == .invalid || e.kind == .conflict {
                return try await detailPage(req, errors: req.shown(e.asFieldErrors), status: ReportPages.status(e))
            }
            guard let ref = ItemReference(reference) else { return req.redirect(to: ProjectPath.signals.href(key)) }
            return req.redirect(to: ProjectPath.item(ref.type, ref.number).href(key))
        }
        pages.get("signals") { req async throws -> Response in
            let caller = try req.pageCaller()
            let (today, zone) = req.today(for: caller)
            let data = AcrossData(signals: try await req.store.signals.acrossProjects(caller), today: today, timeZone: zone.identifier)
            return try await req.render(SignalViews.across, req.chrome(title: req.pageWords["signals.across"], section: "portfolio"), data)
        }
    }

    static func listPage(_ req: Request, errors: [FieldError] = [], typed: [String: String] = [:],
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let showCleared = (try? req.query.get(String.self, at: "all")) == "1"
        let list = try await req.store.signals.list(caller, key: key, includeCleared: showCleared)
        let (today, zone) = req.today(for: caller)
        let project = try await req.pageProjectContext(caller, key: key).project
        let data = ListData(list: list, showCleared: showCleared, today: today, timeZone: zone.identifier, errors: errors, typed: typed)
        return try await req.renderProjectPage(SignalViews.list, data, title: req.pageWords["signals.title"], section: "signals",
                                               project: project, status: status)
    }

    static func detailPage(_ req: Request, errors: [FieldError] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let caller = try req.pageCaller()
        let key = try req.projectKey()
        let (signal, events, canAct) = try await req.store.signals.signal(caller, key: key, id: try req.pathUUID("id"))
        let (today, zone) = req.today(for: caller)
        let project = try await req.pageProjectContext(caller, key: key).project
        let data = DetailData(key: key, signal: signal, events: events, canAct: canAct, today: today, timeZone: zone.identifier, errors: errors)
        return try await req.renderProjectPage(SignalViews.detail, data, title: SignalText.title(signal.code, req.pageWords), section: "signals",
                                               project: project, status: status)
    }

    /// The thresholds a form posted, each checked as a number (the store checks the ranges, naming each field).
    static func parseThresholds(_ f: [String: String]) throws -> SignalThresholds {
        var t = SignalThresholds()
        var e = FieldErrors()
        func double(_ name: String, _ target: inout Double) {
            guard let raw = f[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return }
            if let v = Double(raw), v.isFinite { target = v } else { e.add(name, "not_a_number", "\(name) must be a number, e.g. 0.95.") }
        }
        func int(_ name: String, _ target: inout Int) {
            guard let raw = f[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return }
            if let v = Int(raw) { target = v } else { e.add(name, "not_a_number", "\(name) must be a whole number.") }
        }
        double("indexAmber", &t.indexAmber)
        double("indexRed", &t.indexRed)
        int("fallingDates", &t.fallingDates)
        double("milestoneSlipDays", &t.milestoneSlipDays)
        double("milestoneRedDays", &t.milestoneRedDays)
        int("silentStatusDates", &t.silentStatusDates)
        int("staleDays", &t.staleDays)
        int("overdueRedDays", &t.overdueRedDays)
        int("vendorSlipDates", &t.vendorSlipDates)
        int("riskThreshold", &t.riskThreshold)
        try e.throwIfAny("signal.invalid_thresholds")
        return t
    }

    /// A threshold as typed: 0.95, 5, 2.5.
    static func plain(_ v: Double) -> String { String(format: "%g", v) }

    /// The thresholds' fields in form order: name, current value as text.
    static func thresholdFields(_ t: SignalThresholds) -> [(name: String, value: String, step: String)] {
        [("indexAmber", plain(t.indexAmber), "0.01"), ("indexRed", plain(t.indexRed), "0.01"),
         ("fallingDates", "\(t.fallingDates)", "1"), ("milestoneSlipDays", plain(t.milestoneSlipDays), "0.5"),
         ("milestoneRedDays", plain(t.milestoneRedDays), "0.5"), ("silentStatusDates", "\(t.silentStatusDates)", "1"),
         ("staleDays", "\(t.staleDays)", "1"), ("overdueRedDays", "\(t.overdueRedDays)", "1"),
         ("vendorSlipDates", "\(t.vendorSlipDates)", "1"), ("riskThreshold", "\(t.riskThreshold)", "1")]
    }
}
