import Foundation
import PMOCore
import PMOHTML
import PMOStore

/// The project's health cockpit at the top of its home page: the status report's colours and reasons computed live as
/// of the plan's status date, SPI / CPI with their trend, the next milestones, top risks, decisions waiting and on
/// whom, overdue actions by owner and the next meeting. Every entry links to where it is worked on.
enum CockpitViews {
    static let reasonsShown = 4

    static func cockpit(_ h: inout HTMLWriter, _ health: ProjectHealth, key: String, _ w: ReportWords) {
        h.el(.section, .class("cockpit"), .id("health")) { h in
            if let status = health.status {
                statusCard(&h, health, status, key: key, w)
            }
            h.el(.section, .class("card"), .id("cockpit-milestones")) { h in
                h.el(.h2, text: w["page.home.next_milestones"])
                milestones(&h, health.milestones, key: key, w)
            }
            if let status = health.status {
                h.el(.section, .class("card"), .id("cockpit-risks")) { h in
                    h.el(.h2, text: w["status.top_risks"])
                    itemList(&h, status.topRisks, key: key, w, id: "cockpit-risk-list") { i in
                        (i.score.map { w("page.home.score", ["score": "\($0)"]) } ?? "") + (i.owner.map { " · " + $0 } ?? "")
                    }
                }
                h.el(.section, .class("card"), .id("cockpit-decisions")) { h in
                    h.el(.h2, text: w["page.home.decisions_waiting"])
                    itemList(&h, status.decisionsNeeded, key: key, w, id: "cockpit-decision-list") { i in
                        w("page.home.decider", ["name": i.decider ?? w["page.home.nobody"]]) + (i.dueDate.map { " · " + w["col.due"] + " " + $0.description } ?? "")
                    }
                }
            }
            h.el(.section, .class("card"), .id("cockpit-actions")) { h in
                h.el(.h2, text: w["page.home.overdue_actions_by_owner"])
                if health.overdueActions.isEmpty {
                    h.el(.p, .class("muted"), text: w["page.home.no_overdue_actions"])
                }
                for group in health.overdueActions {
                    h.el(.h3, .class("owner"), text: (group.owner ?? w["page.home.no_owner"]) + " (\(group.items.count))")
                    itemList(&h, group.items, key: key, w, id: nil) { i in
                        w["col.due"] + " " + (i.dueDate?.description ?? "–")
                    }
                }
            }
            h.el(.section, .class("card"), .id("cockpit-meeting")) { h in
                h.el(.h2, text: w["page.home.next_meeting"])
                guard let m = health.nextMeeting else {
                    h.el(.p, .class("muted"), text: w["page.home.no_meeting_series"])
                    return
                }
                h.el(.p) { h in
                    h.el(.a, .href(MeetingPath.series(m.seriesID).href(key)), text: m.name)
                    h.text(" " + w("page.home.meeting_when", [
                        "n": "\(m.number)", "date": m.date.description, "weekday": w.weekday(m.date.weekday),
                        "start": MeetingRecurrence.clock(m.startMinutes), "end": MeetingRecurrence.clock(m.startMinutes + m.durationMinutes),
                    ]))
                }
            }
        }
    }

    /// Overall and each area's colour with its reasons, SPI / CPI with the direction since the previous status date.
    static func statusCard(_ h: inout HTMLWriter, _ health: ProjectHealth, _ status: StatusReportContent, key: String, _ w: ReportWords) {
        h.el(.section, .class("card wide"), .id("cockpit-status")) { h in
            h.el(.div, .class("head")) { h in
                h.el(.h2, text: w("page.home.status_as_of", ["date": health.statusDate.description]))
                h.el(.a, .class("button secondary noprint"), .href(ReportPath.list.href(key)), text: w["page.home.status_reports"])
            }
            if !health.isPlanStatusDate {
                h.el(.p, .class("muted"), .id("no-status-date"), text: w["page.home.the_plan_has_no_status_date"])
            }
            if let overall = status.area(.overall) {
                h.el(.div, .class("overall"), .id("cockpit-overall"), .attr("data-rag", overall.rag.rawValue)) { h in
                    h.el(.span, .class("overall-chip")) { h in ReportHTML.chip(&h, overall.rag, w) }
                    ReportHTML.reasons(&h, overall, w)
                }
            }
            h.el(.div, .class("cockpit-areas")) { h in
                for area in StatusArea.measured where area != .overall {
                    guard let a = status.area(area) else { continue }
                    h.el(.div, .class("cockpit-area"), .id("cockpit-area-\(area.rawValue)"), .attr("data-rag", a.rag.rawValue)) { h in
                        h.el(.b, text: w.area(area))
                        h.text(" ")
                        ReportHTML.chip(&h, a.rag, w)
                        // The first few reasons; the status report lists them all.
                        if !a.reasons.isEmpty {
                            h.el(.ul, .class("reasons")) { h in
                                for r in a.reasons.prefix(Self.reasonsShown) { h.el(.li, text: w.reason(r)) }
                                if a.reasons.count > Self.reasonsShown {
                                    h.el(.li, .class("more")) { h in
                                        h.el(.a, .href(ReportPath.list.href(key)),
                                             text: w("page.home.more_reasons", ["count": "\(a.reasons.count - Self.reasonsShown)"]))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let m = status.metrics
            guard m.hasPlan else { return }
            h.el(.dl, .class("cockpit-indices"), .id("cockpit-indices")) { h in
                func index(_ id: String, _ label: String, _ value: Double?, _ previous: Double?) {
                    h.el(.dt, text: label)
                    h.el(.dd, .id("cockpit-\(id)")) { h in
                        h.text(ReportHTML.ratio(value))
                        if let value, let previous {
                            h.text(" ")
                            ReportHTML.trend(&h, value > previous + 0.005 ? 1 : value < previous - 0.005 ? -1 : 0, w, compact: true)
                        }
                    }
                }
                let previous = health.trend.count > 1 ? health.trend[health.trend.count - 2] : nil
                index("spi", w["metric.spi"], m.spi, previous?.spi)
                index("cpi", w["metric.cpi"], m.cpi, previous?.cpi)
                h.el(.dt, text: w["metric.plannedPercent"] + " / " + w["metric.earnedPercent"])
                h.el(.dd, text: ReportHTML.percent(m.plannedPercent) + " / " + ReportHTML.percent(m.earnedPercent))
                h.el(.dt, text: w["metric.bac"] + " / " + w["metric.eac"])
                h.el(.dd, text: ReportHTML.yen(m.bac) + " / " + ReportHTML.yen(m.eac))
            }
            if health.trend.count > 1 {
                h.el(.p, .class("muted trend-line"), .id("cockpit-trend")) { h in
                    h.text(w["page.home.spi_cpi_by_status_date"] + ": ")
                    h.text(health.trend.suffix(4).map { "\($0.date): \(ReportHTML.ratio($0.spi)) / \(ReportHTML.ratio($0.cpi))" }
                        .joined(separator: " → "))
                }
            }
        }
    }

    static func milestones(_ h: inout HTMLWriter, _ list: [MilestoneStatus], key: String, _ w: ReportWords) {
        guard !list.isEmpty else {
            h.el(.p, .class("muted"), text: w["page.home.no_milestones_ahead"])
            return
        }
        h.el(.ul, .class("cockpit-list"), .id("cockpit-milestone-list")) { h in
            for m in list {
                let late = (m.slipDays ?? 0) > 0
                h.el(.li, .class(late ? "late" : nil)) { h in
                    h.el(.a, .href(PlanPath.activity(m.uid).href(key)), text: "◆ " + m.name)
                    h.text(" " + m.forecastFinish.description)
                    if let slip = m.slipDays {
                        h.text(" ")
                        h.el(.span, .class(late ? "slip late" : "slip"),
                             text: w("page.home.slip_days", ["days": ReportHTML.slip(slip)]))
                    }
                }
            }
        }
    }

    /// Items as a list of links: reference, title, then what `detail` says of each.
    static func itemList(_ h: inout HTMLWriter, _ list: [ReportItem], key: String, _ w: ReportWords, id: String?,
                         detail: (ReportItem) -> String) {
        guard !list.isEmpty else {
            h.el(.p, .class("muted"), .id(id), text: w["meeting.none"])
            return
        }
        h.el(.ul, .class("cockpit-list"), .id(id)) { h in
            for i in list {
                h.el(.li) { h in
                    if let href = ItemPath.href(key, reference: i.reference) {
                        h.el(.a, .class("ref"), .href(href), text: i.reference)
                    } else {
                        h.el(.span, .class("ref"), text: i.reference)
                    }
                    h.text(" " + i.title)
                    let d = detail(i)
                    if !d.isEmpty { h.el(.span, .class("muted"), text: " · " + d) }
                }
            }
        }
    }
}
