import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords

/// The ledger page's forms for those who keep it: record a budget revision and an estimate received (lines, orders
/// and milestones come in through the workbook), and agree or withdraw a proposed change order.
extension LedgerViews {
    static func forms(_ h: inout HTMLWriter, _ d: LedgerPages.LedgerData, _ t: Words, csrf: String) {
        let v = d.view
        guard v.canEdit, v.seesCommercial, !v.lines.isEmpty else { return }
        let lines = v.lines.map { ("\($0.line.number)", "L\($0.line.number) \($0.line.name) (\(t("ledger.fiscal_year", ["year": "\($0.line.fiscalYear)"])))") }
        let today = d.today?.description ?? ""
        h.el(.section, .class("card"), .id("ledger-forms")) { h in
            h.el(.h2, text: t["ledger.record_heading"])
            h.el(.details, .id("revision-details")) { h in
                h.el(.summary, text: t["ledger.record_revision"])
                h.postForm(ProjectPath.ledgerRevision.href(v.projectKey), .class("grid"), .id("revision-form"), csrf: csrf) { h in
                    h.labelled(t["ledger.line"]) { h in h.select("line", lines, selected: nil) }
                    h.labelled(t["ledger.amount_signed"]) { h in h.el(.input, .name("amount"), .attr("inputmode", "numeric"), .required) }
                    h.labelled(t["ledger.cause"]) { h in h.el(.input, .name("cause"), .attr("placeholder", "C4")) }
                    h.labelled(t["ledger.revised_on"]) { h in h.el(.input, .type("date"), .name("date"), .value(today)) }
                    h.labelled(t["ledger.reason"], .class("wide")) { h in h.el(.textarea, .name("reason"), .rows("2"), .required) }
                    h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["ledger.record_revision"]) }
                }
            }
            h.el(.details, .id("estimate-details")) { h in
                h.el(.summary, text: t["ledger.record_estimate"])
                h.postForm(ProjectPath.ledgerEstimate.href(v.projectKey), .class("grid"), .id("estimate-form"), csrf: csrf) { h in
                    h.labelled(t["ledger.line"]) { h in h.select("line", lines, selected: nil) }
                    h.labelled(t["ledger.vendor"]) { h in h.select("vendor", d.vendors.map { ($0.id.uuidString.lowercased(), $0.name) }, selected: nil) }
                    h.labelled(t["ledger.request"]) { h in
                        h.select("request", [("", t["ledger.no_request"])] + d.requests.map { ("\($0.number)", "E\($0.number) \($0.title)") }, selected: "")
                    }
                    h.labelled(t["ledger.amount"]) { h in h.el(.input, .name("amount"), .attr("inputmode", "numeric"), .required) }
                    h.labelled(t["ledger.effort"]) { h in h.el(.input, .name("effort"), .attr("inputmode", "decimal")) }
                    h.labelled(t["ledger.received"]) { h in h.el(.input, .type("date"), .name("received"), .value(today)) }
                    h.labelled(t["ledger.valid_until"]) { h in h.el(.input, .type("date"), .name("validUntil")) }
                    h.labelled(t["ledger.assumptions"], .class("wide")) { h in h.el(.textarea, .name("assumptions"), .rows("2")) }
                    h.el(.label, .class("check")) { h in
                        h.el(.input, .type("checkbox"), .name("chosen"))
                        h.text(t["ledger.chosen"])
                    }
                    h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["ledger.record_estimate"]) }
                }
            }
            h.el(.p, .class("small muted"), text: t["ledger.forms_hint"])
        }
    }

    /// Agree and withdraw buttons of a proposed change order.
    static func changeOrderActions(_ h: inout HTMLWriter, order: Int, _ c: ChangeOrderView, key: String, _ t: Words, csrf: String) {
        guard c.changeOrder.status == .proposed else { return }
        h.el(.div, .class("change-order-actions")) { h in
            for status in [ChangeOrder.Status.agreed, .withdrawn] {
                h.postForm(ProjectPath.ledgerChangeOrder(order, c.changeOrder.id).href(key), .class("inline"), csrf: csrf, hidden: [("status", status.rawValue)]) { h in
                    h.el(.button, .type("submit"), .class("secondary"), text: t[status == .agreed ? "ledger.agree" : "ledger.withdraw"])
                }
                h.text(" ")
            }
        }
    }

    /// Records a milestone's acceptance (検収), then its payment: the month, the planned one to start with, and the
    /// order's version, so an edit made meanwhile is not overwritten.
    static func milestoneAction(_ h: inout HTMLWriter, _ o: OrderView, index: Int, _ m: MilestoneView, key: String, _ t: Words, csrf: String) {
        let (field, month, word): (String, YearMonth, String)
        if m.milestone.accepted == nil {
            (field, month, word) = ("accepted", m.milestone.plannedAcceptance, "ledger.record_acceptance")
        } else if m.milestone.paid == nil {
            (field, month, word) = ("paid", max(m.milestone.plannedPayment, m.milestone.accepted!), "ledger.record_payment")
        } else {
            return
        }
        h.postForm(ProjectPath.ledgerMilestone(o.number, index + 1).href(key), .class("inline"), csrf: csrf, hidden: [("version", "\(o.version)")]) { h in
            h.el(.input, .type("month"), .name(field), .value(month.description), .required, .attr("aria-label", t[word]))
            h.text(" ")
            h.el(.button, .type("submit"), .class("secondary"), text: t[word])
        }
    }
}
