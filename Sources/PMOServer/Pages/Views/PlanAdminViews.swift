import Foundation
import PMOCore
import PMOHTML
import PMOSchedule
import PMOStore
import PMOWords

/// The plan's administration: progress at the status date, calendars and company terms, import and export. Their
/// models are built by `PlanAdminPages`.
extension PlanViews {
    /// Progress at the status date: the form that sets it, the activities to update, who has not updated, and the
    /// changes since the previous status date.
    static func progress(_ h: inout HTMLWriter, _ p: Page<PlanAdminPages.ProgressData>) {
        let (key, review, token) = (p.data.key, p.data.review, p.chrome.csrf)
        let view = review.view
        let w = PlanWords(p.t)
        let scheduled = view.scheduledByUID
        h.pageHead(w["page.plan.progress"]) { h in
            h.el(.span, .class("muted"), text: w["page.plan.status_date"] + " \(review.statusDate?.description ?? w["page.plan.not_set"]) · "
                + w["page.plan.previous"] + " \(review.previousStatusDate?.description ?? "–")")
        }
        PlanViews.subnav(&h, key: key, on: .progress, w)
        if view.canEdit {
            h.el(.section, .class("card")) { h in
                h.postForm(PlanPath.statusDate.href(key), .class("inline-form"), .id("status-date-form"), csrf: token) { h in
                    h.labelled(w["page.plan.set_the_status_date"]) { h in
                        h.el(.input, .type("date"), .name("statusDate"), .value(review.statusDate?.description ?? ""), .required)
                    }
                    h.el(.button, text: w["page.plan.set"])
                }
            }
        }
        func activityLink(_ h: inout HTMLWriter, _ uid: Int, _ name: String) {
            h.el(.td) { h in h.el(.a, .href(PlanPath.activity(uid).href(key)), text: name) }
        }
        // Activities the caller may update that are under way or due by the status date.
        if let statusDate = review.statusDate {
            let due = PlanSnapshot.endOfDay(statusDate)
            let mine = view.rows.filter { r in
                !r.hasChildren && view.canUpdateProgress(r.activity) && r.activity.progress.actualFinish == nil
                    && (scheduled[r.activity.uid].map { $0.start <= due } ?? false)
            }
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["page.plan.activities_to_update"] + " (\(mine.count))")
                h.el(.table, .class("list"), .id("to-update")) { h in
                    h.tableHead(["WBS", w["page.plan.name"], w["page.plan.planned"], w["page.plan.actual_start"], w["page.plan.actual_finish"], "%", ""])
                    h.el(.tbody) { h in
                        for r in mine.prefix(300) {
                            let a = r.activity
                            let s = scheduled[a.uid]
                            h.el(.tr, .attr("data-uid", "\(a.uid)")) { h in
                                h.el(.td, text: r.outline)
                                activityLink(&h, a.uid, a.name)
                                h.el(.td, .class("date"), text: "\(PlanFormat.date(s?.start)) – \(PlanFormat.date(s?.finish))")
                                h.el(.td, .colspan("4")) { h in
                                    h.postForm(PlanPath.activityProgress(a.uid).href(key), .class("row-form"), csrf: token,
                                               hidden: [("back", PlanPath.progress.href(key))]) { h in
                                        h.el(.input, .type("date"), .name("actualStart"), .value(PlanFormat.date(a.progress.actualStart)),
                                             .ariaLabel(w["page.plan.actual_start"]))
                                        h.el(.input, .type("date"), .name("actualFinish"), .ariaLabel(w["page.plan.actual_finish"]))
                                        h.el(.input, .name("percentComplete"), .size("4"), .inputmode("decimal"),
                                             .placeholder(PlanFormat.number(a.progress.percentComplete)), .ariaLabel("%"))
                                        h.el(.button, text: w["page.plan.record"])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Who has not updated: counts by owner and by company.
        var byWho: [String: Int] = [:]
        for r in review.notUpdated {
            let who = r.activity.ownerID.flatMap { view.userNames[$0.rawValue] } ?? r.activity.companyID.flatMap { view.companyNames[$0.rawValue] }
                ?? w["page.plan.no_owner"]
            byWho[who, default: 0] += 1
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.not_updated_at_this_status_date"] + " (\(review.notUpdated.count))")
            h.el(.table, .class("list"), .id("not-updated")) { h in
                h.tableHead(["WBS", w["page.plan.name"], w["page.plan.owner"], w["page.plan.company"], w["page.plan.last_updated_for"]])
                h.el(.tbody) { h in
                    for r in review.notUpdated.prefix(500) {
                        let a = r.activity
                        h.el(.tr, .attr("data-uid", "\(a.uid)")) { h in
                            h.el(.td, text: r.outline)
                            activityLink(&h, a.uid, a.name)
                            h.el(.td, text: a.ownerID.flatMap { view.userNames[$0.rawValue] } ?? "")
                            h.el(.td, text: a.companyID.flatMap { view.companyNames[$0.rawValue] } ?? "")
                            h.el(.td, .class("date"), text: a.progressStatusDate?.description ?? "–")
                        }
                    }
                }
            }
            h.el(.p, .id("who-not-updated"), text: w["page.plan.not_yet_updated"]
                + byWho.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.changes_since_the_previous_status_date"] + " (\(review.changes.count))")
            h.el(.table, .class("list"), .id("changes")) { h in
                h.tableHead([w["page.plan.name"], w["page.plan.status_date"], "%", w["page.plan.actual"], w["page.plan.by"], w["page.plan.at"]])
                h.el(.tbody) { h in
                    for c in review.changes.prefix(500) {
                        h.el(.tr, .attr("data-uid", "\(c.uid)")) { h in
                            activityLink(&h, c.uid, c.name)
                            h.el(.td, .class("date"), text: "\(c.statusDate)")
                            h.el(.td, .class("num"), text: "\(PlanFormat.number(c.percentBefore)) → \(PlanFormat.number(c.percentAfter))")
                            h.el(.td, .class("date"), text: "\(PlanFormat.date(c.actualStart)) – \(PlanFormat.date(c.actualFinish))")
                            h.el(.td, text: c.recordedBy ?? "")
                            h.el(.td, text: Formatting.instant(c.recordedAt, zone: p.data.timeZone))
                        }
                    }
                }
            }
        }
    }

    /// The project's calendars, the companies' rates and own closures, and the calendar feed.
    static func calendars(_ h: inout HTMLWriter, _ p: Page<PlanAdminPages.CalendarsData>) {
        let (key, view, companyOptions, feedURL, token) = (p.data.key, p.data.view, p.data.companyOptions, p.data.feedURL, p.chrome.csrf)
        let w = PlanWords(p.t)
        let days = [w["page.plan.sun"], w["page.plan.mon"], w["page.plan.tue"], w["page.plan.wed"], w["page.plan.thu"], w["page.plan.fri"], w["page.plan.sat"]]
        h.pageHead(w["page.plan.calendars"])
        PlanViews.subnav(&h, key: key, on: .calendars, w)
        for c in view.snapshot.calendars where c.companyID == nil {
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: c.calendar.name + (c.uid == view.snapshot.defaultCalendarUID ? " (" + w["page.plan.project_default"] + ")" : ""))
                if view.canEdit {
                    h.postForm(PlanPath.calendar(c.uid).href(key), .class("grid-form"), csrf: token) { h in
                        for d in 0..<7 {
                            h.labelled(days[d]) { h in h.el(.input, .attr("name", "day\(d)"), .value(PlanAdminPages.rangesText(c.calendar.week[d]))) }
                        }
                        h.el(.label, .class("check")) { h in
                            h.el(.input, .type("checkbox"), .name("holidays"), .checked(c.calendar.holidays == .japan))
                            h.text(w["page.plan.japanese_public_holidays_are_days_off"])
                        }
                        h.labelled(w["page.plan.closures_one_per_line_2026_12_29_2027_01"], .class("wide")) { h in
                            h.el(.textarea, .name("closures"), .rows("5"), text: PlanAdminPages.closuresText(c.calendar.exceptions))
                        }
                        h.el(.div) { h in h.el(.button, text: w["page.plan.save"]) }
                    }
                } else {
                    h.el(.p, text: (0..<7).map { "\(days[$0]) \(PlanAdminPages.rangesText(c.calendar.week[$0]))" }.joined(separator: " · "))
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.companies_hourly_rates_and_calendars"])
            h.el(.table, .class("list"), .id("companies")) { h in
                h.tableHead([w["page.plan.company"], w["page.plan.hourly_rate"], w["page.plan.own_closures"]])
                h.el(.tbody) { h in
                    for t in view.snapshot.companies where PlanAccess.canSeeCost(view.context.actor, companyID: t.companyID) {
                        let own = t.calendarUID.flatMap { uid in view.snapshot.calendars.first { $0.uid == uid } }
                        h.el(.tr) { h in
                            h.el(.td, text: view.companyNames[t.companyID.rawValue] ?? "")
                            h.el(.td, .class("num"), text: t.hourlyRate.map { PlanFormat.money($0) } ?? "")
                            h.el(.td, text: own.map { PlanAdminPages.closuresText($0.calendar.exceptions) } ?? "")
                        }
                    }
                }
            }
            guard view.canEdit else { return }
            h.postForm(PlanPath.companies.href(key), .class("grid-form"), .id("company-terms"), csrf: token) { h in
                h.labelled(w["page.plan.company"]) { h in h.select("companyId", companyOptions, selected: nil) }
                h.labelled(w["page.plan.hourly_rate"]) { h in h.el(.input, .name("hourlyRate"), .inputmode("decimal")) }
                h.el(.label, .class("check")) { h in
                    h.el(.input, .type("checkbox"), .name("ownCalendar"))
                    h.text(w["page.plan.use_its_own_calendar"])
                }
                h.labelled(w["page.plan.own_closures_on_top_of_the_project"], .class("wide")) { h in h.el(.textarea, .name("closures"), .rows("3")) }
                h.el(.div) { h in h.el(.button, text: w["page.plan.save"]) }
            }
        }
        h.el(.section, .class("card"), .id("progress-weighting")) { h in
            h.el(.h2, text: w["page.plan.summary_progress"])
            let choices = [("duration", w["page.plan.weighted_by_duration"]), ("budget", w["page.plan.weighted_by_budget"])]
            guard view.canEdit else {
                h.el(.p, text: choices.first { $0.0 == view.snapshot.progressWeighting.rawValue }?.1 ?? "")
                return
            }
            h.postForm(PlanPath.settings.href(key), .class("inline-form"), csrf: token) { h in
                h.labelled(w["page.plan.summaries_weigh_their_rows"]) { h in
                    h.select("progressWeighting", choices, selected: view.snapshot.progressWeighting.rawValue)
                }
                h.el(.button, text: w["page.plan.save"])
            }
        }
        h.el(.section, .class("card"), .id("feed")) { h in
            h.el(.h2, text: w["page.plan.calendar_feed_icalendar"])
            h.el(.p, .class("muted"), text: w["page.plan.subscribe_to_the_milestones_and"])
            if let feedURL {
                h.el(.p) { h in h.el(.code, .id("feed-url"), text: feedURL) }
                h.el(.p, .class("muted"), text: w["page.plan.this_url_is_shown_only_now"])
            } else if view.hasFeed {
                h.el(.p, text: w["page.plan.a_feed_url_exists_issuing_a_new_one"])
            }
            if view.canEdit {
                h.postForm(PlanPath.feed.href(key), csrf: token) { h in h.el(.button, text: w["page.plan.issue_a_feed_url"]) }
            }
        }
    }

    /// Export links, and for editors the import form, its preview and the problem of a refused file.
    static func importExport(_ h: inout HTMLWriter, _ p: Page<PlanAdminPages.ImportData>) {
        let (key, view, summary, error, payload, under, token) = (p.data.key, p.data.view, p.data.summary, p.data.error, p.data.payload,
                                                                  p.data.under, p.chrome.csrf)
        let w = PlanWords(p.t)
        h.pageHead(w["page.plan.import_export"])
        PlanViews.subnav(&h, key: key, on: .importExport, w)
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: w["page.plan.export"])
            h.el(.p) { h in
                h.el(.a, .class("button secondary"), .href(PlanPath.apiExport(key, format: "xml")), .id("export-xml"), text: "Microsoft Project XML")
                h.text(" ")
                h.el(.a, .class("button secondary"), .href(PlanPath.apiExport(key, format: "csv")), .id("export-csv"), text: "CSV")
            }
        }
        if view.canEdit {
            if let error {
                h.el(.section, .class("card warn"), .id("import-error")) { h in
                    h.el(.b, text: w["page.plan.cannot_import"])
                    h.text(": " + error)
                    h.el(.p, .class("muted"), text: w["page.plan.nothing_was_imported"])
                }
            }
            if let summary {
                h.el(.section, .class("card"), .id("import-preview")) { h in
                    h.el(.h2, text: w["page.plan.preview"])
                    h.el(.p, text: w["page.plan.activities_2"] + " \(summary.activities) · " + w["page.plan.links"] + " \(summary.links) · "
                        + w["page.plan.calendars"] + " \(summary.calendars.joined(separator: ", ")) · " + w["page.plan.baselines"]
                        + " \(summary.baselines.map(String.init).joined(separator: ", "))")
                    if !summary.resources.isEmpty {
                        h.el(.h3, text: w["res.import.title"])
                        h.el(.table, .class("list"), .id("import-resources")) { h in
                            h.tableHead([w["res.import.file"], w["res.col.resource"], w["res.import.how"], w["res.import.assignments"],
                                         w["res.import.absences"]])
                            h.el(.tbody) { h in
                                for m in summary.resources {
                                    h.el(.tr, .attr("data-how", m.how.rawValue)) { h in
                                        h.el(.td, text: m.fileName)
                                        h.el(.td, text: m.resourceName)
                                        h.el(.td, text: w["res.import.how.\(m.how.rawValue)"])
                                        h.el(.td, .class("num"), text: "\(m.assignments)")
                                        h.el(.td, .class("num"), text: "\(m.absences)")
                                    }
                                }
                            }
                        }
                    }
                    if !summary.problems.isEmpty {
                        h.el(.h3, text: w["page.plan.schedule_conflicts_can_be_imported"])
                        h.el(.ul) { h in for p in summary.problems.prefix(30) { h.el(.li, text: p.message) } }
                    }
                    h.el(.table, .class("list")) { h in
                        h.tableHead(["WBS", w["page.plan.name"], w["page.plan.start"], w["page.plan.finish"]])
                        h.el(.tbody) { h in
                            for r in summary.rows.prefix(100) {
                                h.el(.tr, .class(r.isCritical ? "critical" : nil)) { h in
                                    h.el(.td, text: r.outline)
                                    h.el(.td, text: r.name)
                                    h.el(.td, .class("date"), text: PlanFormat.date(r.start))
                                    h.el(.td, .class("date"), text: PlanFormat.date(r.finish))
                                }
                            }
                        }
                    }
                    h.postForm(PlanPath.importExport.href(key), .enctype("multipart/form-data"), csrf: token,
                               hidden: [("mode", "apply"), ("data", payload), ("under", under.map(String.init) ?? "")]) { h in
                        h.el(.button, .id("apply-import"), text: w["page.plan.import_all"])
                    }
                }
            }
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: w["page.plan.import_a_microsoft_project_xml_file"])
                h.postForm(PlanPath.importExport.href(key), .enctype("multipart/form-data"), .class("inline-form"), .id("import-form"), csrf: token,
                           hidden: [("mode", "preview")]) { h in
                    h.labelled(w["page.plan.file"]) { h in h.el(.input, .type("file"), .name("file"), .accept(".xml,application/xml"), .required) }
                    h.labelled(w["page.plan.into"]) { h in
                        h.select("under", [("", w["page.plan.top_level"])] + view.rows.filter { $0.level <= 3 }.map { ("\($0.activity.uid)", "\($0.outline) \($0.activity.name)") },
                                 selected: nil)
                    }
                    h.el(.button, text: w["page.plan.preview"])
                }
            }
        }
    }
}
