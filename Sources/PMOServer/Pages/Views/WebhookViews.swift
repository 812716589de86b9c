import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords

/// The webhooks' views: the list with the form to add one, one webhook with its log, one delivery with its attempts.
enum WebhookViews {
    static func state(_ h: inout HTMLWriter, _ state: WebhookDeliveryState, _ t: Words) {
        h.el(.span, .class("delivery-state state-\(state.rawValue)"), .attr("data-state", state.rawValue), text: t["webhook.state.\(state.rawValue)"])
    }

    static func eventNames(_ events: [WebhookEvent], _ t: Words) -> String { t.list(events.map { t["webhook.event.\($0.rawValue)"] }) }

    // MARK: The list

    static func list(_ h: inout HTMLWriter, _ p: Page<WebhookPages.ListData>) {
        let d = p.data, t = p.t
        h.pageHead(t["webhooks.title"])
        h.el(.p, .class("muted"), text: t["webhooks.intro"])
        if d.webhooks.isEmpty {
            h.el(.p, .class("card muted"), .id("no-webhooks"), text: t["webhooks.none"])
        } else {
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list cards webhooks"), .id("webhooks")) { h in
                    h.tableHead([t["webhooks.col.name"], t["webhooks.col.url"], t["webhooks.col.events"], t["webhooks.col.last"], t["webhooks.col.failed"]])
                    h.el(.tbody) { h in
                        for w in d.webhooks {
                            h.el(.tr, .class(w.fields.active ? nil : "inactive"), .id("webhook-\(w.id.uuidString.lowercased())")) { h in
                                h.el(.td) { h in
                                    h.el(.a, .href(ProjectPath.webhook(w.id.uuidString.lowercased()).href(d.key)), text: w.fields.name)
                                    h.el(.div, .class("muted small"),
                                         text: t["webhook.format.\(w.fields.format.rawValue)"] + " · " + (w.fields.active ? t["webhooks.active"] : t["webhooks.inactive"]))
                                }
                                h.el(.td, .class("url")) { h in h.el(.code, text: w.fields.url) }
                                h.el(.td, .class("small"), text: eventNames(w.fields.events, t))
                                h.el(.td) { h in
                                    if let last = w.lastDelivery {
                                        state(&h, last.state, t)
                                        h.el(.div, .class("muted small date"), text: Formatting.instant(last.at, zone: d.timeZone))
                                    }
                                }
                                h.el(.td, .class("num"), text: "\(w.failedDeliveries)")
                            }
                        }
                    }
                }
            }
        }
        h.el(.details, .class("card"), .id("new-webhook"), .flag("open", d.webhooks.isEmpty || !d.errors.isEmpty)) { h in
            h.el(.summary, text: t["webhooks.new"])
            h.formErrors(d.errors)
            form(&h, action: ProjectPath.webhooks.href(d.key), csrf: p.chrome.csrf, fields: nil, typed: d.typed, version: nil,
                 submit: t["webhooks.create"], t)
        }
    }

    /// The webhook's form: filled from `fields`, or from what was typed when it was refused.
    static func form(_ h: inout HTMLWriter, action: String, csrf: String, fields: WebhookFields?, typed: [String: String]?, version: Int?,
                     submit: String, _ t: Words) {
        let f = typed.map(WebhookPages.fields) ?? fields ?? WebhookFields(name: "", url: "", events: [.itemCreated, .itemStatusChanged],
                                                                           format: .slack, language: t.language == .en ? "en" : "ja")
        h.postForm(action, .class("webhook-form"), csrf: csrf, hidden: version.map { [("version", "\($0)")] } ?? []) { h in
            h.labelled(t["webhooks.field.name"]) { h in
                h.el(.input, .name("name"), .value(f.name), .maxlength("\(WebhookService.nameMax)"), .required, .attr("data-field", "name"))
            }
            h.labelled(t["webhooks.field.url"]) { h in
                h.el(.input, .name("url"), .type("url"), .value(f.url), .maxlength("\(WebhookService.urlMax)"), .required,
                     .attr("placeholder", "https://hooks.slack.com/services/…"), .attr("data-field", "url"))
            }
            h.el(.p, .class("muted small"), text: t["webhooks.allow_hint"])
            h.el(.fieldset, .class("events")) { h in
                h.el(.legend, text: t["webhooks.field.events"])
                for e in WebhookEvent.subscribable {
                    IssueViews.checkbox(&h, "event-\(e.rawValue)", f.events.contains(e), t["webhook.event.\(e.rawValue)"])
                }
            }
            h.el(.div, .class("row")) { h in
                h.labelled(t["webhooks.field.format"]) { h in
                    h.select("format", WebhookFormat.allCases.map { ($0.rawValue, t["webhook.format.\($0.rawValue)"]) }, selected: f.format.rawValue)
                }
                h.labelled(t["webhooks.field.language"]) { h in
                    h.select("language", WebhookService.languages.map { ($0, t["language.\($0)"]) }, selected: f.language)
                }
            }
            IssueViews.checkbox(&h, "restricted", f.includeRestricted, t["webhooks.field.restricted"])
            h.el(.p, .class("muted small"), text: t["webhooks.restricted_hint"])
            IssueViews.checkbox(&h, "active", f.active, t["webhooks.field.active"])
            h.el(.button, .type("submit"), text: submit)
        }
    }

    // MARK: One webhook

    static func webhook(_ h: inout HTMLWriter, _ p: Page<WebhookPages.WebhookData>) {
        let d = p.data, t = p.t, w = d.webhook
        let id = w.id.uuidString.lowercased()
        h.el(.p, .class("small")) { h in h.el(.a, .href(ProjectPath.webhooks.href(d.key)), text: "← " + t["webhooks.back"]) }
        h.pageHead(w.fields.name) { h in
            h.el(.span, .class("muted"), text: w.fields.active ? t["webhooks.active"] : t["webhooks.inactive"])
        }
        if let secret = d.secret {
            h.el(.p, .class("card notice"), .id("webhook-secret"), .role("status")) { h in
                h.text(t["webhooks.secret_once"])
                h.el(.code, .class("secret"), text: secret)
            }
        }
        if d.notice != nil { h.el(.p, .class("card notice"), .role("status"), .id("webhook-notice"), text: t["webhooks.queued_test"]) }
        h.formErrors(d.errors)
        h.el(.section, .class("card")) { h in
            form(&h, action: ProjectPath.webhook(id).href(d.key), csrf: p.chrome.csrf, fields: w.fields, typed: d.typed, version: w.version,
                 submit: t["webhooks.save"], t)
        }
        h.el(.div, .class("button-row")) { h in
            h.postForm(ProjectPath.webhookTest(id).href(d.key), .class("inline"), csrf: p.chrome.csrf) { h in
                h.el(.button, .type("submit"), .class("secondary"), .attr("data-act", "test"), text: t["webhooks.send_test"])
            }
            h.postForm(ProjectPath.webhookSecret(id).href(d.key), .class("inline"), csrf: p.chrome.csrf) { h in
                h.el(.button, .type("submit"), .class("secondary"), .attr("data-act", "rotate"), text: t["webhooks.rotate"])
            }
            h.postForm(ProjectPath.webhookDelete(id).href(d.key), .class("inline"), csrf: p.chrome.csrf) { h in
                h.el(.button, .type("submit"), .class("danger"), .attr("data-act", "delete"), text: t["webhooks.delete"])
            }
        }
        if d.secret == nil { h.el(.p, .class("muted small"), text: t["webhooks.secret_kept"]) }
        h.el(.h2, text: t["webhooks.deliveries"])
        guard !d.deliveries.isEmpty else {
            h.el(.p, .class("card muted"), .id("no-deliveries"), text: t["webhooks.deliveries_none"])
            return
        }
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list cards deliveries"), .id("deliveries")) { h in
                h.tableHead([t["webhooks.col.at"], t["webhooks.col.event"], t["webhooks.col.subject"], t["webhooks.col.state"], t["webhooks.col.answer"]])
                h.el(.tbody) { h in
                    for x in d.deliveries {
                        h.el(.tr, .attr("data-state", x.state.rawValue)) { h in
                            h.el(.td, .class("date")) { h in
                                h.el(.a, .href(ProjectPath.webhookDelivery(x.id.uuidString.lowercased()).href(d.key)),
                                     text: Formatting.instant(x.createdAt, zone: d.timeZone))
                            }
                            h.el(.td, text: t["webhook.event.\(x.facts.event.rawValue)"])
                            h.el(.td, text: [x.facts.subject, x.facts.subject == x.facts.title ? nil : x.facts.title].compactMap { $0 }.joined(separator: " "))
                            h.el(.td) { h in
                                state(&h, x.state, t)
                                if x.attempts > 1 { h.el(.span, .class("muted small"), text: " ×\(x.attempts)") }
                            }
                            h.el(.td, .class("small"), text: answer(x.lastStatus, x.lastError, code: x.lastErrorCode, t))
                        }
                    }
                }
            }
        }
    }

    /// What the receiver answered, or what went wrong: worded by its code for a Japanese reader (the English detail,
    /// with the host and the exact error, for an English one).
    static func answer(_ status: Int?, _ error: String?, code: String?, _ t: Words) -> String {
        var worded = error
        if t.language != .en, let code, t.table["webhook.error.\(code)"] != nil { worded = t["webhook.error.\(code)"] }
        if code == "http_status" { worded = nil }
        return [status.map { "HTTP \($0)" }, worded].compactMap { $0 }.joined(separator: " · ")
    }

    // MARK: One delivery

    static func delivery(_ h: inout HTMLWriter, _ p: Page<WebhookPages.DeliveryData>) {
        let d = p.data, t = p.t, x = d.delivery
        h.el(.p, .class("small")) { h in
            h.el(.a, .href(ProjectPath.webhook(d.webhook.id.uuidString.lowercased()).href(d.key)), text: "← " + d.webhook.fields.name)
        }
        h.pageHead(t["webhook.event.\(x.facts.event.rawValue)"]) { h in state(&h, x.state, t) }
        h.el(.dl, .class("facts card")) { h in
            h.fact(t["webhooks.col.subject"]) { h in h.text([x.facts.subject, x.facts.title].compactMap { $0 }.joined(separator: " ")) }
            h.fact(t["webhooks.col.at"]) { h in h.text(Formatting.instant(x.createdAt, zone: d.timeZone)) }
            h.fact(t["webhooks.col.url"]) { h in h.el(.code, text: d.webhook.fields.url) }
            h.fact(t["webhooks.col.format"]) { h in h.text(t["webhook.format.\(d.webhook.fields.format.rawValue)"]) }
            if let original = x.replayOf {
                h.fact(t["webhooks.replay_of"]) { h in
                    h.el(.a, .href(ProjectPath.webhookDelivery(original.uuidString.lowercased()).href(d.key)), text: original.uuidString.lowercased().prefix(8) + "…")
                }
            }
        }
        h.postForm(ProjectPath.webhookReplay(x.id.uuidString.lowercased()).href(d.key), .class("inline"), csrf: p.chrome.csrf) { h in
            h.el(.button, .type("submit"), .class("secondary"), .attr("data-act", "replay"), text: t["webhooks.replay"])
        }
        h.el(.h2, text: t["webhooks.attempts"])
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list cards attempts"), .id("attempts")) { h in
                h.tableHead(["#", t["webhooks.col.at"], t["webhooks.col.answer"], t["webhooks.col.duration"]])
                h.el(.tbody) { h in
                    for a in d.attempts {
                        h.el(.tr, .attr("data-status", a.status.map(String.init) ?? "")) { h in
                            h.el(.td, .class("num"), text: "\(a.number)")
                            h.el(.td, .class("date"), text: Formatting.instant(a.at, zone: d.timeZone))
                            h.el(.td) { h in
                                h.text(answer(a.status, a.error, code: a.errorCode, t))
                                if let response = a.response, !response.isEmpty { h.el(.div, .class("muted small response"), text: String(response.prefix(300))) }
                            }
                            h.el(.td, .class("num"), text: "\(a.durationMs) ms")
                        }
                    }
                }
            }
        }
        h.el(.h2, text: t["webhooks.body"])
        h.el(.pre, .class("card payload"), .id("payload"), text: d.body)
    }
}
