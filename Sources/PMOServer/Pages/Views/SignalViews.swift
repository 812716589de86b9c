import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords

/// The signals' views: a project's list with its thresholds, one signal with its forms and history, and the list
/// across projects.
enum SignalViews {
    /// The severity as a chip that carries its word (never the colour alone).
    static func severity(_ h: inout HTMLWriter, _ rag: RAG, _ t: Words) {
        h.el(.span, .class("rag rag-\(rag.rawValue)"), .attr("data-severity", rag.rawValue)) { h in
            h.el(.span, .class("rag-mark"), .attr("aria-hidden", "true"), text: rag == .red ? "●" : "▲")
            h.text(" " + t["signal.severity.\(rag.rawValue)"])
        }
    }

    static func state(_ h: inout HTMLWriter, _ s: SignalView, today: CalendarDate, _ t: Words) {
        let state = s.state(today: today)
        h.el(.span, .class("signal-state state-\(state.rawValue)"), .attr("data-state", state.rawValue), text: t["signal.state.\(state.rawValue)"])
    }

    /// The sentence, what is behind it, and the facts of its state (who acknowledged, until when, the item it became).
    static func body(_ h: inout HTMLWriter, _ s: SignalView, key: String, today: CalendarDate, zone: String, _ t: Words) {
        h.el(.p, .class("signal-text"), text: SignalText.sentence(s, t))
        let links = s.links.compactMap { l in SignalText.href(l, key: key).map { (l, $0) } }
        if !links.isEmpty {
            h.el(.p, .class("signal-links small")) { h in
                h.el(.span, .class("muted"), text: t["signals.behind"] + ": ")
                for (i, (link, href)) in links.enumerated() {
                    if i > 0 { h.text(t["word.list_separator"]) }
                    let label = link.kind == .earnedValue ? t["signals.earned_value"]
                        : link.kind == .item ? "\(link.target) \(link.label)" : link.label
                    h.el(.a, .href(href), text: label)
                }
            }
        }
        var facts: [String] = []
        if s.raiseCount > 1 { facts.append(t("signals.raised_times", ["n": "\(s.raiseCount)"])) }
        if let by = s.acknowledgedBy, let at = s.acknowledgedAt {
            facts.append(t("signals.acknowledged_by", ["name": by.name, "at": Formatting.instant(at, zone: zone)]))
        }
        if let until = s.snoozedUntil, s.state(today: today) == .snoozed { facts.append(t("signals.snoozed_until", ["date": until.description])) }
        if let note = s.note { facts.append(t("signals.quoted", ["text": note])) }
        if !facts.isEmpty { h.el(.p, .class("muted small"), text: facts.joined(separator: " · ")) }
        if let item = s.item, let ref = ItemReference(item) {
            h.el(.p, .class("small")) { h in
                h.el(.a, .href(ProjectPath.item(ref.type, ref.number).href(key)), .class("became"), text: t("signals.became", ["ref": item]))
            }
        }
    }

    /// Signals as a table (a card per signal on a phone): severity; the rule, its sentence and what is behind it; the
    /// state with who acknowledged it; when it was raised; and, for those who act, an Acknowledge button on new ones.
    static func table(_ h: inout HTMLWriter, _ signals: [SignalView], today: CalendarDate, zone: String, _ t: Words, actions csrf: String?,
                      showProject: Bool) {
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list cards signals"), .id("signals")) { h in
                h.tableHead([t["signals.col.severity"], t["signals.col.signal"], showProject ? t["signals.col.project"] : t["signals.col.state"],
                             t["signals.col.since"], ""])
                h.el(.tbody) { h in
                    for s in signals {
                        let id = s.id.uuidString.lowercased()
                        h.el(.tr, .class("sev-\(s.severity.rawValue)\(s.isOpen ? "" : " cleared")"), .id("signal-\(id)"),
                             .attr("data-code", s.code.rawValue), .attr("data-state", s.state(today: today).rawValue)) { h in
                            h.el(.td) { h in severity(&h, s.severity, t) }
                            h.el(.td) { h in
                                h.el(.a, .class("signal-title"), .href(ProjectPath.signal(id).href(s.projectKey)), text: SignalText.title(s.code, t))
                                body(&h, s, key: s.projectKey, today: today, zone: zone, t)
                            }
                            h.el(.td) { h in
                                if showProject {
                                    h.el(.a, .href(ProjectPath.signals.href(s.projectKey)), .title(s.projectName), text: s.projectKey)
                                    h.text(" ")
                                }
                                state(&h, s, today: today, t)
                            }
                            h.el(.td, .class("date"), text: Formatting.instant(s.raisedAt, zone: zone))
                            h.el(.td) { h in
                                if let csrf, s.isOpen && s.state(today: today) == .new {
                                    h.postForm(ProjectPath.signalAcknowledge(id).href(s.projectKey), .class("inline"), csrf: csrf,
                                               hidden: [("version", "\(s.version)"), ("back", "list")]) { h in
                                        h.el(.button, .type("submit"), .class("secondary small"), .attr("data-act", "acknowledge"),
                                             text: t["signals.acknowledge"])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: A project's list

    static func list(_ h: inout HTMLWriter, _ p: Page<SignalPages.ListData>) {
        let d = p.data, t = p.t, l = d.list
        let key = l.projectKey
        h.pageHead(t["signals.title"]) { h in
            h.el(.span, .class("muted"), .id("signal-count"), text: t("signals.count", ["n": "\(l.signals.filter(\.isOpen).count)"]))
            h.el(.a, .class("button secondary"), .href(d.showCleared ? ProjectPath.signals.href(key) : ProjectPath.signals.href(key, query: "all=1")),
                 text: d.showCleared ? t["signals.hide_cleared"] : t["signals.show_cleared"])
        }
        h.el(.p, .class("muted"), text: t["signals.intro"])
        h.el(.p, .class("muted small"), .id("signals-computed"),
             text: l.computedAt.map { t("signals.computed_at", ["at": Formatting.instant($0, zone: d.timeZone)]) } ?? t["signals.not_computed"])
        h.formErrors(d.errors)
        if l.signals.isEmpty {
            h.el(.p, .class("card muted"), .id("no-signals"), text: t["signals.none"])
        } else {
            table(&h, l.signals, today: d.today, zone: d.timeZone, t, actions: l.canAct ? p.chrome.csrf : nil, showProject: false)
        }
        thresholds(&h, d, p.chrome.csrf, t)
    }

    static func thresholds(_ h: inout HTMLWriter, _ d: SignalPages.ListData, _ csrf: String, _ t: Words) {
        let l = d.list
        h.el(.details, .class("card thresholds"), .id("thresholds"), .flag("open", !d.errors.isEmpty)) { h in
            h.el(.summary, text: t["signals.thresholds"])
            h.el(.p, .class("muted small"), text: t["signals.thresholds_intro"])
            let fields = SignalPages.thresholdFields(l.thresholds)
            guard l.canAct else {
                h.el(.dl, .class("facts")) { h in
                    for f in fields { h.fact(t["threshold.\(f.name)"], .class("num")) { h in h.text(f.value) } }
                }
                return
            }
            h.postForm(ProjectPath.signalThresholds.href(l.projectKey), .class("grid-form"), csrf: csrf,
                       hidden: [("version", "\(l.thresholdsVersion)")]) { h in
                for f in fields {
                    h.labelled(t["threshold.\(f.name)"]) { h in
                        h.el(.input, .name(f.name), .type("number"), .attr("step", f.step), .inputmode("decimal"), .value(d.typed[f.name] ?? f.value))
                    }
                }
                h.el(.button, .type("submit"), text: t["signals.save_thresholds"])
            }
        }
    }

    // MARK: One signal

    static func detail(_ h: inout HTMLWriter, _ p: Page<SignalPages.DetailData>) {
        let d = p.data, t = p.t, s = d.signal
        let id = s.id.uuidString.lowercased()
        h.el(.p, .class("small")) { h in h.el(.a, .href(ProjectPath.signals.href(d.key)), text: "← " + t["signals.title"]) }
        h.pageHead(SignalText.title(s.code, t)) { h in
            h.el(.span) { h in
                severity(&h, s.severity, t)
                h.text(" ")
                state(&h, s, today: d.today, t)
            }
        }
        h.formErrors(d.errors)
        h.el(.section, .class("card signal sev-\(s.severity.rawValue)"), .id("signal")) { h in
            body(&h, s, key: d.key, today: d.today, zone: d.timeZone, t)
        }
        if d.canAct && s.isOpen {
            h.el(.section, .class("card signal-actions"), .id("signal-actions")) { h in
                h.postForm(ProjectPath.signalAcknowledge(id).href(d.key), .class("row"), csrf: p.chrome.csrf, hidden: [("version", "\(s.version)")]) { h in
                    h.labelled(t["signals.note"]) { h in
                        h.el(.input, .name("note"), .maxlength("\(SignalService.noteMax)"), .attr("data-field", "note"))
                    }
                    h.labelled(t["signals.snooze_until"]) { h in
                        h.el(.input, .name("until"), .type("date"), .attr("min", d.today.adding(days: 1).description),
                             .attr("max", d.today.adding(days: SignalService.snoozeMaxDays).description))
                    }
                    h.el(.button, .type("submit"), .name("action"), .value("acknowledge"), .attr("data-act", "acknowledge"), text: t["signals.acknowledge"])
                    h.text(" ")
                    h.el(.button, .type("submit"), .name("action"), .value("snooze"), .class("secondary"), .attr("data-act", "snooze"), text: t["signals.snooze"])
                }
                if s.item == nil {
                    for (into, label) in [(SignalConversion.risk, t["signals.to_risk"]), (.issue, t["signals.to_issue"])] {
                        h.postForm(ProjectPath.signalConvert(id).href(d.key), .class("inline"), csrf: p.chrome.csrf,
                                   hidden: [("version", "\(s.version)"), ("into", into.rawValue)]) { h in
                            h.el(.button, .type("submit"), .class("secondary"), .attr("data-act", "to-\(into.rawValue)"), text: label)
                        }
                        h.text(" ")
                    }
                }
            }
        }
        h.el(.h2, text: t["signals.history"])
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list"), .id("signal-history")) { h in
                h.tableHead([t["signals.col.when"], t["signals.col.event"], t["signals.col.severity"], t["signals.col.who"], t["signals.note"]])
                h.el(.tbody) { h in
                    for e in d.events {
                        h.el(.tr) { h in
                            h.el(.td, .class("date"), text: Formatting.instant(e.at, zone: d.timeZone))
                            h.el(.td, text: t["signal.event.\(e.action)"])
                            h.el(.td) { h in severity(&h, e.severity, t) }
                            h.el(.td, text: e.actor ?? "")
                            h.el(.td, text: e.note ?? "")
                        }
                    }
                }
            }
        }
    }

    // MARK: Across projects

    static func across(_ h: inout HTMLWriter, _ p: Page<SignalPages.AcrossData>) {
        let d = p.data, t = p.t
        h.pageHead(t["signals.across"]) { h in
            h.el(.span, .class("muted"), .id("signal-count"), text: t("signals.count", ["n": "\(d.signals.count)"]))
        }
        h.el(.p, .class("muted"), text: t["signals.intro"])
        if d.signals.isEmpty {
            h.el(.p, .class("card muted"), .id("no-signals"), text: t["signals.none"])
            return
        }
        table(&h, d.signals, today: d.today, zone: d.timeZone, t, actions: nil, showProject: true)
    }
}
