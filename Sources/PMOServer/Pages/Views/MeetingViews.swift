import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOStore
import PMOWords

/// The meetings' views: the series list, one series and its form, one meeting (minutes form, agenda or approved
/// minutes) and an approved version. Their models are built by `MeetingPages`; the pieces the minutes document and
/// the downloads share are `MeetingHTML`.
enum MeetingViews {
    /// The project's meeting series with their next meeting, and the form that sets one up.
    static func list(_ h: inout HTMLWriter, _ p: Page<MeetingPages.ListData>) throws {
        let (key, series, today) = (p.data.key, p.data.series, p.data.today)
        let w = MeetingText(p.t)
        h.pageHead(w["page.meeting.meetings"])
        h.el(.section, .class("card")) { h in
            h.el(.table, .class("list"), .id("series")) { h in
                h.tableHead([w["page.meeting.series"], w["page.meeting.chair"], w["page.meeting.when"], w["page.meeting.next"],
                             w["page.meeting.location"], w["page.meeting.visibility"]])
                h.el(.tbody) { h in
                    for s in series {
                        let f = s.fields
                        let next = f.recurrence.firstOccurrence(onOrAfter: today)
                        h.el(.tr, .attr("data-id", s.id.uuidString.lowercased())) { h in
                            h.el(.td) { h in
                                h.el(.a, .href(MeetingPath.series(s.id).href(key)), text: f.name)
                                if let company = s.name(of: f.companyID) {
                                    h.text(" ")
                                    h.el(.span, .class("muted"), text: company)
                                }
                            }
                            h.el(.td, text: s.name(of: f.chairID) ?? "")
                            h.el(.td, .class("recurrence"), text: w.recurrence(f.recurrence))
                            h.el(.td, .class("date"), text: "\(w.occurrence(next)) \(w.day(f.recurrence.date(ofOccurrence: next)))")
                            h.el(.td, text: f.location)
                            h.el(.td, text: f.visibility.scope == .project ? "" : w.visibility(f.visibility.scope))
                        }
                    }
                    if series.isEmpty {
                        h.el(.tr) { h in h.el(.td, .colspan("6"), .class("muted"), text: w["page.meeting.there_are_no_meeting_series_yet"]) }
                    }
                }
            }
        }
        if let form = p.data.form {
            try h.el(.section, .class("card noprint"), .id("new-series")) { h in
                h.el(.h2, text: w["page.meeting.set_up_a_meeting_series"])
                errorList(&h, p.data.errors, w)
                try seriesForm(&h, action: MeetingPath.list.href(key), values: form, members: p.data.members, companies: p.data.companies, version: nil,
                               submit: w["page.meeting.create"], token: p.chrome.csrf, w)
            }
        }
    }

    /// One series: its facts, the meetings held with their approved versions, and the form that edits it.
    static func series(_ h: inout HTMLWriter, _ p: Page<MeetingPages.SeriesData>) throws {
        let (key, s, occurrences, errors) = (p.data.key, p.data.series, p.data.occurrences, p.data.errors)
        let id = s.id
        let w = MeetingText(p.t)
        let f = s.fields
        h.pageHead(f.name) { h in
            h.el(.div, .class("actions noprint")) { h in
                if s.canRun {
                    h.postForm(MeetingPath.prepareNext(id).href(key), .class("inline"), csrf: p.chrome.csrf) { h in
                        h.el(.button, .id("prepare-next"), text: w["page.meeting.prepare_next_meeting"])
                    }
                }
                h.el(.a, .class("button secondary"), .id("series-ics"), .href(MeetingPath.seriesCalendar(id).href(key)), text: w["page.meeting.add_to_calendar_ics"])
            }
        }
        h.el(.p, .class("noprint")) { h in h.el(.a, .href(MeetingPath.list.href(key)), text: "← " + w["page.meeting.all_meetings"]) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("kv"), .id("series-facts")) { h in
                let facts = [
                    (w["page.meeting.when"], w.recurrence(f.recurrence) + " (" + w["page.meeting.first"] + " \(w.day(f.recurrence.firstDate)))"),
                    (w["page.meeting.chair"], s.name(of: f.chairID) ?? ""),
                    (w["page.meeting.location"], f.location),
                    (w["page.meeting.attendees"], w.list(f.attendeeIDs.compactMap { s.name(of: $0) })),
                    (w["page.meeting.agenda_rules"], w.list(f.rules.map { r in w.rule(r) + (f.ruleCaps[r].map { " (" + w["page.meeting.at_most_items"] + " \($0))" } ?? "") })),
                    (w["page.meeting.risk_threshold"], String(f.riskThreshold)),
                    (w["page.meeting.company_filter"], s.name(of: f.companyID) ?? ""),
                    (w["page.meeting.visibility"], w.visibility(f.visibility.scope) + (s.name(of: f.visibility.companyID).map { ": " + $0 } ?? "")),
                ]
                for (label, value) in facts { MeetingHTML.fact(&h, label, value.isEmpty ? "—" : value) }
                h.el(.div) { h in
                    h.el(.dt, text: w["page.meeting.purpose"])
                    h.el(.dd) { h in MeetingHTML.text(&h, f.purpose, empty: "—") }
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.meeting.meetings_held"])
            h.el(.table, .class("list"), .id("occurrences")) { h in
                h.tableHead([w["page.meeting.no"], w["page.meeting.date"], w["page.meeting.time"], w["page.meeting.status"], w["page.meeting.approved_versions"], ""])
                h.el(.tbody) { h in
                    for o in occurrences {
                        h.el(.tr, .attr("data-number", "\(o.number)")) { h in
                            h.el(.td) { h in h.el(.a, .href(MeetingPath.occurrence(id, o.number).href(key)), text: w.occurrence(o.number)) }
                            h.el(.td, .class("date"), text: w.day(o.date))
                            h.el(.td, text: MeetingText.timeRange(start: o.startMinutes, duration: f.recurrence.durationMinutes))
                            h.el(.td) { h in h.el(.span, .class("status status-\(o.status.rawValue)"), text: w.status(o.status)) }
                            h.el(.td) { h in
                                if o.approvedVersions > 0 {
                                    for v in 1...o.approvedVersions {
                                        h.el(.a, .href(MeetingPath.version(id, o.number, v).href(key)), text: w.version(v))
                                        h.text(" ")
                                    }
                                }
                            }
                            h.el(.td, .class("noprint")) { h in
                                h.el(.a, .href(MeetingPath.download(id, o.number, .agendaMarkdown).href(key)), text: w["page.meeting.agenda"] + " (.md)")
                            }
                        }
                    }
                    if occurrences.isEmpty {
                        h.el(.tr) { h in h.el(.td, .colspan("6"), .class("muted"), text: w["page.meeting.no_meetings_yet_prepare_the_next_meeting"]) }
                    }
                }
            }
        }
        if s.canManage {
            try h.el(.details, .class("card noprint"), .id("edit-series"), .flag("open", !errors.isEmpty)) { h in
                h.el(.summary, text: w["page.meeting.edit_the_series"])
                errorList(&h, errors, w)
                try seriesForm(&h, action: MeetingPath.series(id).href(key), values: p.data.form ?? MeetingPages.SeriesForm(f), members: p.data.members,
                               companies: p.data.companies, version: s.version, submit: w["page.meeting.save"], token: p.chrome.csrf, w)
            }
        }
    }

    static func seriesForm(_ h: inout HTMLWriter, action: String, values v: MeetingPages.SeriesForm, members: [MemberView],
                           companies: [CompanyRecord], version: Int?, submit: String, token: String, _ w: MeetingText) throws {
        let memberOptions = try members.map { (value: try $0.user.requireID().uuidString.lowercased(), label: memberLabel($0)) }
        let companyOptions = try companies.map { (value: try $0.requireID().uuidString.lowercased(), label: $0.name) }
        h.postForm(action, .class("grid-form series-form"), csrf: token, hidden: version.map { [("version", "\($0)")] } ?? []) { h in
            h.labelled(w["page.meeting.name"], .class("wide")) { h in
                h.el(.input, .name("name"), .required, .maxlength("\(MeetingRules.nameMax)"), .value(v.name), .placeholder(w["page.meeting.weekly_progress_meeting"]))
            }
            h.labelled(w["page.meeting.purpose"], .class("wide")) { h in h.el(.textarea, .name("purpose"), .rows("2"), text: v.purpose) }
            h.labelled(w["page.meeting.chair"]) { h in h.select("chair", [("", "—")] + memberOptions, selected: v.chair) }
            h.labelled(w["page.meeting.first_date"]) { h in h.el(.input, .type("date"), .name("firstDate"), .required, .value(v.firstDate)) }
            h.labelled(w["page.meeting.every"]) { h in
                h.select("intervalWeeks", (1...8).map { n in
                    ("\(n)", n == 1 ? w["page.meeting.every_week"] : n == 2 ? w["page.meeting.every_2_weeks"] : w.every(n))
                }, selected: v.interval)
            }
            h.labelled(w["page.meeting.start_time"]) { h in h.el(.input, .type("time"), .name("startTime"), .required, .value(v.start)) }
            h.labelled(w["page.meeting.duration_minutes"]) { h in
                h.el(.input, .type("number"), .name("durationMinutes"), .attr("min", "5"), .attr("max", "720"), .attr("step", "5"), .required, .value(v.duration))
            }
            h.labelled(w["page.meeting.location"]) { h in h.el(.input, .name("location"), .maxlength("500"), .value(v.location)) }
            h.el(.fieldset, .class("wide checks"), .id("attendees")) { h in
                h.el(.legend, text: w["page.meeting.attendees"])
                for m in memberOptions {
                    h.el(.label, .class("check")) { h in
                        h.el(.input, .type("checkbox"), .name("attendee-\(m.value)"), .checked(v.attendees.contains(m.value)))
                        h.text(m.label)
                    }
                }
            }
            h.el(.fieldset, .class("wide checks rule-table"), .id("rules")) { h in
                h.el(.legend, text: w["page.meeting.what_comes_to_the_agenda"])
                h.el(.p, .class("muted"), text: w["page.meeting.rule_priority_help"])
                // In the series' priority order: the agenda lists the first rule's items first.
                let order = AgendaRule.allCases.sorted { (Int(v.priorities[$0.rawValue] ?? "") ?? 99) < (Int(v.priorities[$1.rawValue] ?? "") ?? 99) }
                for r in order {
                    h.el(.div, .class("rule-row")) { h in
                        h.el(.label, .class("check")) { h in
                            h.el(.input, .type("checkbox"), .name("rule-\(r.rawValue)"), .checked(v.rules.contains(r.rawValue)))
                            h.text(w.rule(r))
                        }
                        h.el(.label, .class("mini")) { h in
                            h.text(w["page.meeting.priority"] + " ")
                            h.el(.input, .type("number"), .name("priority-\(r.rawValue)"), .attr("min", "1"), .attr("max", "99"),
                                 .value(v.priorities[r.rawValue] ?? ""), .size("3"))
                        }
                        h.el(.label, .class("mini")) { h in
                            h.text(w["page.meeting.at_most_items"] + " ")
                            h.el(.input, .type("number"), .name("cap-\(r.rawValue)"), .attr("min", "1"), .attr("max", String(AgendaRule.capMax)),
                                 .value(v.caps[r.rawValue] ?? ""), .size("3"))
                        }
                    }
                }
            }
            h.labelled(w["page.meeting.risk_threshold_score_1_25"]) { h in
                h.el(.input, .type("number"), .name("riskThreshold"), .attr("min", "1"), .attr("max", "25"), .value(v.threshold))
            }
            h.labelled(w["page.meeting.company_filter_a_vendor_s_meeting"]) { h in
                h.select("company", [("", w["page.meeting.all_companies"])] + companyOptions, selected: v.company)
            }
            h.labelled(w["page.meeting.visibility"]) { h in
                h.select("visibility", VisibilityScope.allCases.map { ($0.rawValue, w.visibility($0)) }, selected: v.visibility)
            }
            h.labelled(w["page.meeting.visible_to_company_one_company_only"]) { h in
                h.select("visibilityCompany", [("", "—")] + companyOptions, selected: v.visibilityCompany)
            }
            h.el(.div, .class("wide")) { h in h.el(.button, .type("submit"), text: submit) }
        }
    }

    static func memberLabel(_ m: MemberView) -> String {
        m.company.map { "\(m.user.displayName) (\($0.name))" } ?? m.user.displayName
    }

    static func errorList(_ h: inout HTMLWriter, _ errors: [FieldError], _ w: MeetingText) {
        guard !errors.isEmpty else { return }
        h.el(.div, .class("card warn"), .id("form-errors")) { h in
            h.el(.b, text: w["page.meeting.please_check_your_input"])
            h.el(.ul, .class("errors")) { h in
                for e in errors { h.el(.li, .attr("data-field", e.field), .attr("data-code", e.code), text: e.message) }
            }
        }
    }

    /// One meeting: the approved minutes, or for those who run it the minutes form (with a printout), or the agenda;
    /// the downloads, a refusal's notice, and the approved versions.
    static func occurrence(_ h: inout HTMLWriter, _ p: Page<MeetingPages.OccurrenceData>) throws {
        let (key, view, title, notice) = (p.data.key, p.data.view, p.data.title, p.data.notice)
        let (id, n) = (view.series.id, view.number)
        let w = MeetingText(p.t)
        let s = view.series
        h.el(.div, .class("head noprint")) { h in
            h.el(.h1, text: title)
            h.el(.span, .class("muted"), .id("occurrence-facts")) { h in
                var facts = "\(w.day(view.date)) \(MeetingText.timeRange(start: view.startMinutes, duration: view.durationMinutes))"
                if !s.fields.location.isEmpty { facts += " · \(s.fields.location)" }
                h.text(facts + " · ")
                h.el(.span, .class("status status-\(view.status.rawValue)"), .id("occurrence-status"), text: w.status(view.status))
            }
        }
        h.el(.nav, .class("plan-nav noprint"), .id("downloads")) { h in
            h.el(.a, .href(MeetingPath.series(id).href(key)), text: "← " + s.fields.name)
            for (file, label) in [(MeetingPath.File.agendaMarkdown, w["page.meeting.agenda_markdown"]), (.minutesMarkdown, w["page.meeting.minutes_markdown"]),
                                  (.minutesWorkbook, w["page.meeting.minutes_excel"]), (.invitation, w["page.meeting.invitation_ics"])] {
                h.el(.a, .href(MeetingPath.download(id, n, file).href(key)), text: label)
            }
        }
        if let notice { noticeBox(&h, notice) }
        if p.data.confirmApproval {
            h.el(.section, .class("card warn confirm"), .id("confirm-approval"), .role("alertdialog")) { h in
                h.el(.p, text: w("page.meeting.confirm_approval", ["version": "\(view.minutesVersion)"]))
                h.postForm(MeetingPath.post(id, n, .approve).href(key), .class("inline-form"), csrf: p.chrome.csrf, hidden: [("confirmed", "1")]) { h in
                    h.el(.button, .type("submit"), .id("confirm-approve"), text: w["page.meeting.approve_the_minutes"])
                    h.text(" ")
                    h.el(.a, .class("button secondary"), .href(MeetingPath.occurrence(id, n).href(key)), text: w["page.meeting.not_yet"])
                }
            }
        }
        let approvedVersions = view.minutesVersion - 1
        if view.isFrozen {
            let doc = view.frozen ?? view.document()
            h.el(.section, .class("card frozen"), .id("frozen")) { h in
                h.el(.p, .class("approved-line")) { h in
                    h.el(.b, text: w["page.meeting.approved"] + " · " + w.version(doc.version))
                    h.text(" " + w["page.meeting.approved_by"] + ": " + (doc.approvedBy.map(MeetingHTML.person) ?? "—")
                        + " · " + (doc.approvedAt.map { Formatting.instant($0, zone: p.data.timeZone) } ?? ""))
                }
                if s.canRun {
                    h.postForm(MeetingPath.post(id, n, .amend).href(key), .class("inline noprint"), csrf: p.chrome.csrf) { h in
                        h.el(.button, .class("secondary"), .id("amend-minutes"), text: w["page.meeting.amend_opens_a_new_version"])
                    }
                }
            }
            MeetingHTML.document(&h, doc, key: key, w: w, zone: p.data.timeZone, id: "minutes")
        } else if s.canRun {
            h.el(.div, .class("print-only")) { h in
                MeetingHTML.document(&h, view.document(), key: key, w: w, zone: p.data.timeZone, id: "printout", agenda: view.status == .prepared)
            }
            try editor(&h, view, key: key, id: id, n: n, members: p.data.members, submitted: p.data.submitted, openOutput: p.data.openOutput,
                       token: p.chrome.csrf, w)
        } else {
            MeetingHTML.document(&h, view.document(), key: key, w: w, zone: p.data.timeZone, id: "minutes", agenda: view.status == .prepared)
        }
        // The meeting's materials (資料): handed out before, or the slides shown.
        ItemViews.attachments(&h, p.data.attachments, csrf: p.chrome.csrf, p.t, printed: false)
        if approvedVersions > 0 {
            h.el(.p, .class("noprint"), .id("versions")) { h in
                h.text(w["page.meeting.approved_versions"] + ": ")
                for v in 1...approvedVersions {
                    h.el(.a, .href(MeetingPath.version(id, n, v).href(key)), text: w.version(v))
                    h.text(" ")
                }
            }
        }
    }

    static func noticeBox(_ h: inout HTMLWriter, _ notice: MeetingPages.Notice) {
        h.el(.section, .class("card warn"), .id("minutes-error"), .attr("data-code", notice.code)) { h in
            h.el(.b, text: notice.headline)
            if !notice.lines.isEmpty {
                h.el(.ul, .class("errors")) { h in
                    for line in notice.lines {
                        h.el(.li) { h in
                            if let href = line.href { h.el(.a, .href(href), text: line.text) } else { h.text(line.text) }
                        }
                    }
                }
            }
            if let detail = notice.detail { h.el(.p, .class("muted"), text: detail) }
        }
    }

    /// The minutes form of a draft: who was present, the general notes, every item with its reasons, notes,
    /// carry-over mark, outputs and a form to create an item from it, then adding an item, refreshing and approving.
    static func editor(_ h: inout HTMLWriter, _ view: OccurrenceView, key: String, id: UUID, n: Int, members: [MemberView],
                       submitted: [String: String]?, openOutput: String?, token: String, _ w: MeetingText) throws {
        let s = view.series
        func value(_ name: String, _ current: String) -> String { submitted?[name] ?? current }
        func post(_ step: MeetingPath.Post) -> String { MeetingPath.post(id, n, step).href(key) }
        // Only members who may see the series can be present or own what it creates.
        // The `@` picker of the notes: the project's members (mentions in minutes reach those who may see the meeting).
        let mentionPeople = ItemViews.mentionData(ItemViews.mentionable(members))
        if !members.isEmpty { h.el(.script, .attr("type", "module"), .attr("src", "/mention-picker.js"), text: "") }
        let seeing = try members.filter { m in
            let actor = AccessPolicy.Actor(userID: UserID(try m.user.requireID()), companyID: CompanyID(m.user.companyID), isSystemAdmin: m.user.isAdmin, role: m.role)
            return MeetingAccess.canSee(actor, s.fields.visibility)
        }
        let people = try [(value: "", label: "—")] + seeing.map { (value: try $0.user.requireID().uuidString.lowercased(), label: memberLabel($0)) }
        // Who was present: the chair and standing attendees first, other members on demand.
        let presentNow = Set(view.presentIDs.map { $0.rawValue.uuidString.lowercased() })
        let presentShown = submitted.map { f in Set(f.keys.filter { $0.hasPrefix("present-") }.map { String($0.dropFirst("present-".count)) }) } ?? presentNow
        let standing = Set((s.fields.attendeeIDs + (s.fields.chairID.map { [$0] } ?? [])).map { $0.rawValue.uuidString.lowercased() })
        let expected = people.dropFirst().filter { standing.contains($0.value) || presentNow.contains($0.value) }
        let others = people.dropFirst().filter { !(standing.contains($0.value) || presentNow.contains($0.value)) }
        func presentBox(_ h: inout HTMLWriter, _ p: (value: String, label: String)) {
            h.el(.label, .class("check")) { h in
                h.el(.input, .type("checkbox"), .name("present-\(p.value)"), .checked(presentShown.contains(p.value)))
                h.text(p.label)
            }
        }

        h.postForm(post(.minutes), .id("minutes-form"), .class("minutes-form noprint"), csrf: token,
                   hidden: [("version", "\(view.version)"), ("attendance", "1")]) { h in
            // Enter in a field submits with the first button of the form: make that "save", not an item's remove button.
            h.el(.button, .type("submit"), .class("default-submit"), .attr("tabindex", "-1"), .attr("aria-hidden", "true"), text: w["page.meeting.save"])
            h.el(.section, .class("card"), .id("attendance")) { h in
                h.el(.h2, text: w.label("meeting.present"))
                h.el(.div, .class("checks")) { h in for p in expected { presentBox(&h, p) } }
                if !others.isEmpty {
                    h.el(.details) { h in
                        h.el(.summary, text: w["page.meeting.other_members"])
                        h.el(.div, .class("checks")) { h in for p in others { presentBox(&h, p) } }
                    }
                }
                h.labelled(w.label("meeting.notes"), .class("wide")) { h in
                    h.el(.textarea, .name("notes"), .rows("3"), .attr("data-mentions", mentionPeople), text: value("notes", view.notes))
                }
            }

            let sections = MeetingLayout.sections(view.items, rule: \.rule, position: \.position)
            if sections.isEmpty { h.el(.p, .class("muted"), text: w.label("meeting.no_items")) }
            // The time box: minutes by rule, in agenda order; what does not fit the meeting is "if time allows".
            let ordered = sections.flatMap { $0.items.map(\.item) }
            let box = AgendaTimeBox.fit(ordered.map(\.boxMinutes), length: view.durationMinutes)
            let fits = Dictionary(zip(ordered.map(\.id), box.fits), uniquingKeysWith: { a, _ in a })
            if !ordered.isEmpty {
                let over = box.fits.filter { !$0 }.count
                h.el(.p, .class(over > 0 ? "card warn time-box" : "muted time-box"), .id("time-box"),
                     text: w("page.meeting.time_box", ["total": "\(box.total)", "length": "\(view.durationMinutes)"])
                        + (over > 0 ? " " + w("page.meeting.time_box_over", ["count": "\(over)"]) : ""))
            }
            for section in sections {
                h.el(.section, .class("agenda-section")) { h in
                    h.el(.h2, .class("rule"), text: w.rule(section.rule))
                    for (number, item) in section.items {
                        let itemKey = item.id.uuidString.lowercased()
                        let fitsTheBox = fits[item.id] ?? true
                        h.el(.article, .class(fitsTheBox ? "card agenda-item" : "card agenda-item if-time"), .id("item-\(itemKey)"),
                             .attr("data-rule", item.rule?.rawValue ?? "")) { h in
                            h.el(.div, .class("item-head")) { h in
                                h.el(.span, .class("num"), text: "\(number).")
                                h.text(" ")
                                MeetingHTML.entryTitle(&h, key: key, reference: item.reference, activityUID: item.activityUID, title: item.title)
                                h.text(" ")
                                h.el(.span, .class("minutes muted"), text: w("page.meeting.item_minutes", ["minutes": "\(item.boxMinutes)"]))
                                if let presenter = item.presenterName {
                                    h.text(" ")
                                    h.el(.span, .class("presenter muted"), text: w("page.meeting.presenter_is", ["name": presenter]))
                                }
                                if !fitsTheBox {
                                    h.text(" ")
                                    h.el(.span, .class("flag soft if-time-flag"), text: w["page.meeting.if_time_allows"])
                                }
                            }
                            MeetingHTML.reasons(&h, item.reasons, w)
                            if !item.outputs.isEmpty {
                                h.el(.ul, .class("outputs")) { h in for o in item.outputs { outputLine(&h, o, s, key: key, w) } }
                            }
                            h.el(.input, .type("hidden"), .name("v-\(itemKey)"), .value("\(item.version)"))
                            h.labelled(w.label("col.notes")) { h in
                                h.el(.textarea, .name("notes-\(itemKey)"), .rows("2"), .attr("data-mentions", mentionPeople),
                                     text: value("notes-\(itemKey)", item.notes))
                            }
                            // The time box: the item's own minutes (empty: its rule's) and who presents it.
                            h.el(.div, .class("row item-meta")) { h in
                                h.labelled(w["page.meeting.minutes_field"]) { h in
                                    h.el(.input, .type("number"), .name("min-\(itemKey)"), .attr("min", "0"), .attr("max", "\(AgendaTimeBox.maxMinutes)"),
                                         .inputmode("numeric"), .size("4"), .placeholder("\(AgendaTimeBox.minutes(for: item.rule))"),
                                         .value(value("min-\(itemKey)", item.minutes.map(String.init) ?? "")))
                                }
                                h.labelled(w["page.meeting.presenter_field"]) { h in
                                    h.select("presenter-\(itemKey)", people, selected: value("presenter-\(itemKey)", item.effectivePresenterID?.description ?? ""))
                                }
                            }
                            let carry = submitted.map { $0["carry-\(itemKey)"] != nil } ?? item.carry
                            h.el(.div, .class("item-actions")) { h in
                                h.el(.label, .class("check")) { h in
                                    h.el(.input, .type("checkbox"), .name("carry-\(itemKey)"), .checked(carry))
                                    h.text(w.label("meeting.carry"))
                                }
                                if item.outputs.isEmpty {
                                    h.el(.button, .class("link"), .attr("formaction", MeetingPath.deleteItem(id, n, item: item.id).href(key)),
                                         text: w["page.meeting.remove_this_item"])
                                }
                            }
                            outputForm(&h, target: itemKey, visibility: item.visibility, s: s, people: people,
                                       submitted: openOutput == itemKey ? submitted : nil, open: openOutput == itemKey, action: post(.outputs), w)
                        }
                    }
                }
            }
            h.el(.section, .class("card"), .id("outputs")) { h in
                h.el(.h2, text: w["page.meeting.items_not_tied_to_one_agenda_item"])
                if !view.outputs.isEmpty {
                    h.el(.ul, .class("outputs")) { h in for o in view.outputs { outputLine(&h, o, s, key: key, w) } }
                }
                outputForm(&h, target: "general", visibility: s.fields.visibility, s: s, people: people,
                           submitted: openOutput == "general" ? submitted : nil, open: openOutput == "general", action: post(.outputs), w)
            }

            let typedNew = { (name: String) in openOutput == nil ? (submitted?[name] ?? "") : "" }
            h.el(.section, .class("card"), .id("add-item")) { h in
                h.el(.h2, text: w["page.meeting.add_an_item"])
                h.el(.div, .class("grid-form")) { h in
                    h.labelled(w["page.meeting.title"], .class("wide")) { h in
                        h.el(.input, .name("new-title"), .maxlength("\(MeetingRules.nameMax)"), .value(typedNew("new-title")))
                    }
                    h.labelled(w("page.meeting.about_an_item_example", ["example": key + "-R3"])) { h in
                        h.el(.input, .name("new-reference"), .size("12"), .value(typedNew("new-reference")))
                    }
                    h.labelled(w.label("col.notes"), .class("wide")) { h in h.el(.textarea, .name("new-notes"), .rows("2"), .attr("data-mentions", mentionPeople), text: typedNew("new-notes")) }
                    h.el(.div) { h in
                        h.el(.button, .class("secondary"), .attr("formaction", post(.items)), .id("add-item-button"), text: w["page.meeting.add"])
                    }
                }
            }
            h.el(.div, .class("card minutes-actions")) { h in
                h.el(.button, .type("submit"), .id("save-minutes"), text: w["page.meeting.save_the_minutes"])
                h.text(" ")
                h.el(.button, .class("secondary"), .attr("formaction", post(.prepare)), .id("refresh-agenda"), text: w["page.meeting.refresh_the_agenda"])
                h.text(" ")
                h.el(.button, .attr("formaction", post(.approve)), .id("approve-minutes"), text: w["page.meeting.approve_the_minutes"])
            }
            h.el(.p, .class("muted"), text: w["page.meeting.every_button_saves_what_you_typed_first"])
        }
    }

    /// An item created from the minutes, linked to its register page, with its state; an open action without an
    /// owner or a due date is flagged (it blocks approval).
    static func outputLine(_ h: inout HTMLWriter, _ o: MeetingOutputView, _ s: MeetingSeriesView, key: String, _ w: MeetingText) {
        let incomplete = o.type == .action && !RegisterKind.action.isFinished(o.status) && (o.ownerID == nil || o.dueDate == nil)
        var parts: [String] = [o.type.register.map { w["rs.\($0.rawValue).\(o.status)"] } ?? w["status." + o.status]]
        if let owner = s.name(of: o.ownerID) { parts.append(owner) }
        if let due = o.dueDate { parts.append(due.description) }
        h.el(.li, .class("output" + (incomplete ? " incomplete" : "")), .attr("data-reference", o.reference)) { h in
            h.text(w.itemType(o.type) + ": ")
            h.el(.a, .href(ItemPath.href(key, o.type, o.number)), text: o.reference)
            h.text(" " + o.title + " ")
            h.el(.span, .class("muted"), text: "(" + parts.joined(separator: ", ") + ")")
            if incomplete {
                h.text(" ")
                h.el(.span, .class("tag warn"), text: w["page.meeting.needs_an_owner_and_a_due_date"])
            }
        }
    }

    /// The form that creates a decision, action, question, issue or risk from a line of the minutes; posted with the
    /// minutes form (`create` names the line) to `action`, so the notes typed so far are saved too.
    static func outputForm(_ h: inout HTMLWriter, target: String, visibility: Visibility, s: MeetingSeriesView,
                           people: [(value: String, label: String)], submitted: [String: String]?, open: Bool, action: String, _ w: MeetingText) {
        let p = "out-\(target)-"
        func value(_ name: String) -> String { submitted?[p + name] ?? "" }
        let type = value("type").isEmpty ? "A" : value("type")
        // New items default to the visibility of the line they come from, so nothing becomes more visible by accident.
        let current = value("visibility").isEmpty
            ? (visibility.scope == .company ? "company:\(visibility.companyID?.rawValue.uuidString.lowercased() ?? "")" : visibility.scope.rawValue)
            : value("visibility")
        var scopes = [(VisibilityScope.project.rawValue, w.visibility(.project)), (VisibilityScope.internal.rawValue, w.visibility(.internal))]
        if visibility.scope == .company, let company = visibility.companyID {
            scopes.append(("company:\(company.rawValue.uuidString.lowercased())", w.visibility(.company) + (s.name(of: company).map { ": " + $0 } ?? "")))
        }
        func choices(_ field: String) -> [(String, String)] {
            guard case .choice(let values)? = RegisterKind.risk.field(field)?.kind else { return [] }
            return values.map { ($0, w["rc." + $0]) }
        }
        h.el(.details, .class("output-form"), .flag("open", open)) { h in
            h.el(.summary, text: w["page.meeting.create_from_this_line_decision_action"])
            h.el(.div, .class("grid-form")) { h in
                h.labelled(w["page.meeting.kind"]) { h in
                    h.select(p + "type", [ItemType.action, .decision, .question, .issue, .risk].map { ($0.rawValue, w.itemType($0)) }, selected: type)
                }
                h.labelled(w["page.meeting.title"], .class("wide")) { h in h.el(.input, .name(p + "title"), .maxlength("200"), .value(value("title"))) }
                h.labelled(w["page.meeting.owner"]) { h in h.select(p + "owner", people, selected: value("owner")) }
                h.labelled(w["page.meeting.due"]) { h in h.el(.input, .type("date"), .name(p + "due"), .value(value("due"))) }
                h.labelled(w["page.meeting.decider_decisions"]) { h in h.select(p + "decider", people, selected: value("decider")) }
                h.labelled(w["page.meeting.visibility"]) { h in h.select(p + "visibility", scopes.map { ($0.0, $0.1) }, selected: current) }
                h.el(.details, .class("wide risk-fields")) { h in
                    h.el(.summary, text: w["page.meeting.risk_assessment_required_for_a_risk"])
                    h.el(.div, .class("grid-form")) { h in
                        func select(_ name: String, _ values: [(String, String)]) {
                            h.labelled(w["rf." + name]) { h in
                                h.select(p + name, [("", "")] + values.map { ($0.0, $0.1) }, selected: value(name).isEmpty ? nil : value(name))
                            }
                        }
                        select("riskType", choices("riskType"))
                        select("category", choices("category"))
                        for name in ["probability", "impactSchedule", "impactCost", "impactQuality"] { select(name, (1...5).map { (String($0), String($0)) }) }
                    }
                }
                h.el(.div) { h in
                    h.el(.button, .class("secondary"), .name("create"), .value(target), .attr("formaction", action), text: w["page.meeting.create_2"])
                }
            }
        }
    }

    /// An approved version of the minutes, with the others.
    static func version(_ h: inout HTMLWriter, _ p: Page<MeetingPages.VersionData>) {
        let (key, id, n, v, versions, doc, title) = (p.data.key, p.data.seriesID, p.data.number, p.data.version, p.data.versions, p.data.document, p.data.title)
        let seriesName = p.data.seriesName
        let w = MeetingText(p.t)
        h.el(.div, .class("head noprint")) { h in h.el(.h1, text: title) }
        h.el(.nav, .class("plan-nav noprint")) { h in
            h.el(.a, .href(MeetingPath.occurrence(id, n).href(key)), text: "← \(seriesName) \(w.occurrence(n))")
            h.el(.a, .href(MeetingPath.versionDownload(id, n, v, .minutesMarkdown).href(key)), text: w["page.meeting.minutes_markdown"])
            h.el(.a, .href(MeetingPath.versionDownload(id, n, v, .minutesWorkbook).href(key)), text: w["page.meeting.minutes_excel"])
        }
        if v < versions.count {
            h.el(.p, .class("card warn noprint"),
                 text: w("page.meeting.earlier_version", ["version": w.version(versions.count)]))
        }
        MeetingHTML.document(&h, doc, key: key, w: w, zone: p.data.timeZone, id: "minutes")
        h.el(.p, .class("noprint"), .id("versions")) { h in
            h.text(w["page.meeting.approved_versions"] + ": ")
            for d in versions {
                if d.version == v {
                    h.el(.b, text: w.version(d.version))
                } else {
                    h.el(.a, .href(MeetingPath.version(id, n, d.version).href(key)), text: w.version(d.version))
                }
                h.text(" ")
            }
        }
    }
}
