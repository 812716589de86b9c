import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords

/// The e-mail preferences page: whether the server sends mail, where to, a choice per topic, the digest time, and the
/// latest mails.
enum MailViews {
    static func preferences(_ h: inout HTMLWriter, _ p: Page<MailPages.PageData>) {
        let t = p.t, d = p.data
        h.pageHead(t["mail.settings.title"])
        h.el(.p, .class("muted"), text: t["mail.settings.intro"])
        if !d.configured { h.el(.p, .class("notice"), .id("mail-not-configured"), .role("status"), text: t["mail.settings.not_configured"]) }
        h.formErrors(d.errors)
        h.postForm(AppPath.mailSettings.href, .class("card"), .id("mail-preferences"), csrf: p.chrome.csrf,
                   hidden: [("version", "\(d.view.version)")]) { h in
            h.el(.p) { h in
                h.el(.span, .class("muted"), text: t["mail.settings.address"] + ": ")
                h.el(.strong, .id("mail-address"), text: d.view.email)
            }
            h.el(.div, .class("grid mail-topics")) { h in
                for topic in MailTopic.allCases where topic != .pmoWeekly || d.view.hearsWeekly {
                    h.labelled(t["mail.topic.\(topic.rawValue)"], .id("topic-\(topic.rawValue)")) { h in
                        h.select(topic.fieldName, topic.modes.map { ($0.rawValue, t["mail.mode.\($0.rawValue)"]) },
                                 selected: d.view.preferences.mode(topic).rawValue)
                    }
                }
                h.labelled(t["mail.settings.digest_time"]) { h in
                    h.el(.input, .type("time"), .name("digestTime"), .value(MailPreferences.clock(d.view.preferences.digestMinutes)), .required)
                }
                h.labelled(t["mail.settings.reminder_days"]) { h in
                    h.el(.input, .type("number"), .name("reminderDays"), .value("\(d.view.preferences.reminderDays)"),
                         .attr("min", "\(MailPreferences.reminderDaysRange.lowerBound)"), .attr("max", "\(MailPreferences.reminderDaysRange.upperBound)"), .required)
                }
            }
            h.el(.p, .class("muted small"), text: t["mail.settings.digest_hint"] + " " + t["mail.settings.reminder_hint"])
            h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["mail.settings.save"]) }
        }
        h.el(.section, .class("card"), .id("mail-recent")) { h in
            h.el(.h2, text: t["mail.settings.recent"])
            if d.recent.isEmpty {
                h.el(.p, .class("muted"), text: t["mail.settings.no_recent"])
                return
            }
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list")) { h in
                    h.tableHead([t["mail.col.when"], t["mail.col.kind"], t["mail.col.state"]])
                    h.el(.tbody) { h in
                        for m in d.recent {
                            h.el(.tr) { h in
                                h.el(.td, .class("num"), text: Formatting.instant(m.sentAt ?? m.createdAt, zone: d.timeZone))
                                h.el(.td, text: t["mail.kind.\(m.kind.rawValue)"])
                                h.el(.td, .attr("data-state", m.state), text: t["mail.state.\(m.state)"])
                            }
                        }
                    }
                }
            }
        }
    }
}
