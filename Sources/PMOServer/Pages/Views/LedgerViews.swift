import Foundation
import PMOCore
import PMOHTML
import PMOStore
import PMOWords

/// The budget ledger's page: one table per fiscal year (budget to forecast per line, with totals), the orders with
/// their milestones, and the estimates side by side per line and vendor.
enum LedgerViews {
    /// An amount in the ledger's tables: grouped digits, a minus sign for negatives (the column says yen, before tax).
    static func yen(_ m: Money) -> String { (m.amount < 0 ? "-" : "") + Money.grouped(m.amount.magnitude) }

    static func ledger(_ h: inout HTMLWriter, _ p: Page<LedgerView>) {
        let v = p.data, t = p.t
        h.pageHead(t["ledger.title"]) { _ in }
        h.el(.p, .class("muted"), text: v.seesCommercial ? t["ledger.intro"] : t["ledger.vendor_intro"])
        h.el(.p, .class("small muted"), text: t("ledger.fiscal_note", ["month": "\(v.calendar.firstMonth)"]))
        if v.lines.isEmpty && v.orders.isEmpty && v.estimates.isEmpty {
            h.el(.p, .class("card muted"), .id("ledger-empty"), text: t["ledger.empty"])
            return
        }
        if let ledger = v.ledger {
            for year in ledger.years { yearTable(&h, year, v, t) }
        }
        if !v.orders.isEmpty { orders(&h, v, t) }
        if !v.estimates.isEmpty { estimates(&h, v, t) }
    }

    static func yearTable(_ h: inout HTMLWriter, _ year: Ledger.Year, _ v: LedgerView, _ t: Words) {
        let systems = Dictionary(v.lines.map { ($0.line.id, $0.systemName) }, uniquingKeysWith: { a, _ in a })
        h.el(.section, .class("card"), .id("ledger-fy\(year.fiscalYear)")) { h in
            h.el(.h2, text: t("ledger.fiscal_year", ["year": "\(year.fiscalYear)"]))
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger")) { h in
                    h.tableHead([t["ledger.line"], t["ledger.name"], t["ledger.category"], t["ledger.budget"], t["ledger.estimated"],
                                 t["ledger.ordered"], t["ledger.accepted"], t["ledger.paid"], t["ledger.remaining"], t["ledger.forecast"],
                                 t["ledger.variance"]])
                    h.el(.tbody) { h in
                        for row in year.rows {
                            h.el(.tr, .class(row.isOverrun ? "flagged" : nil), .id("ledger-L\(row.line.number)")) { h in
                                h.el(.td, text: "L\(row.line.number)")
                                h.el(.td, .class("name")) { h in
                                    h.text(row.line.name)
                                    // The system under the name keeps the table narrow enough for a laptop's screen.
                                    if let number = row.line.systemNumber {
                                        h.el(.div, .class("small")) { h in
                                            h.el(.a, .href(ItemPath.href(v.projectKey, .system, number)),
                                                 text: (systems[row.line.id] ?? nil) ?? ItemType.system.reference(projectKey: v.projectKey, number: number))
                                        }
                                    }
                                    if row.revisions != .zero {
                                        h.el(.div, .class("small muted"), text: t("ledger.revised", ["amount": (row.revisions.amount > 0 ? "+" : "") + yen(row.revisions)]))
                                    }
                                }
                                h.el(.td, text: t["ledger.category.\(row.line.category.rawValue)"])
                                h.el(.td, .class("num"), text: yen(row.budget))
                                h.el(.td, .class("num"), text: yen(row.estimated))
                                taxed(&h, row.ordered, t)
                                h.el(.td, .class("num"), text: yen(row.accepted.beforeTax))
                                taxed(&h, row.paid, t)
                                h.el(.td, .class("num")) { h in
                                    h.text(yen(row.remaining))
                                    if row.isOverrun { h.text(" "); h.el(.span, .class("flag"), text: t["ledger.overrun"]) }
                                }
                                h.el(.td, .class("num"), text: yen(row.forecast))
                                h.el(.td, .class("num"), text: yen(row.variance))
                            }
                        }
                        if year.unbudgetedInternalLabour != .zero {
                            h.el(.tr, .class("flagged")) { h in
                                h.el(.td, text: "")
                                h.el(.td, .attr("colspan", "8"), text: t["ledger.unbudgeted_labour"])
                                h.el(.td, .class("num"), text: yen(year.unbudgetedInternalLabour))
                                h.el(.td, text: "")
                            }
                        }
                        h.el(.tr, .class("total")) { h in
                            h.el(.th, .attr("colspan", "3"), text: t["ledger.total"])
                            h.el(.th, .class("num"), text: yen(year.budget))
                            h.el(.th, .class("num"), text: yen(year.estimated))
                            taxed(&h, year.ordered, t, cell: .th)
                            h.el(.th, .class("num"), text: yen(year.accepted.beforeTax))
                            taxed(&h, year.paid, t, cell: .th)
                            for amount in [year.remaining, year.forecast, year.variance] { h.el(.th, .class("num"), text: yen(amount)) }
                        }
                    }
                }
            }
        }
    }

    /// An amount before tax with the amount with tax under it.
    static func taxed(_ h: inout HTMLWriter, _ amount: TaxedAmount, _ t: Words, cell: Tag = .td) {
        h.el(cell, .class("num")) { h in
            h.text(yen(amount.beforeTax))
            h.el(.div, .class("small muted tax"), text: t("ledger.with_tax", ["amount": yen(amount.includingTax)]))
        }
    }

    static func orders(_ h: inout HTMLWriter, _ v: LedgerView, _ t: Words) {
        h.el(.section, .class("card"), .id("ledger-orders")) { h in
            h.el(.h2, text: t["ledger.orders"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger")) { h in
                    h.tableHead([t["ledger.order"], t["ledger.title_col"], t["ledger.vendor"], t["ledger.line"], t["ledger.contract"], t["ledger.amount"],
                                 t["ledger.tax_rate"], t["ledger.amount_tax"], t["ledger.order_date"], t["ledger.change_orders"]])
                    h.el(.tbody) { h in
                        for o in v.orders {
                            let ordered = TaxedAmount(o.ledgerOrder.agreedAmount, rate: o.taxRate)
                            h.el(.tr, .id("ledger-O\(o.number)")) { h in
                                h.el(.td, text: "O\(o.number)")
                                h.el(.td, .class("name")) { h in
                                    h.text(o.title)
                                    if !o.overrunReason.isEmpty {
                                        h.el(.div) { h in h.el(.span, .class("flag"), text: t("ledger.overrun_reason", ["reason": o.overrunReason])) }
                                    }
                                }
                                h.el(.td, .class("name"), text: o.vendorName ?? "")
                                h.el(.td, .class("name"), text: "L\(o.lineNumber) \(o.lineName)")
                                h.el(.td, text: t["ledger.contract.\(o.contractType.rawValue)"])
                                h.el(.td, .class("num"), text: yen(ordered.beforeTax))
                                h.el(.td, .class("num"), text: o.taxRate.description)
                                h.el(.td, .class("num"), text: yen(ordered.includingTax))
                                h.el(.td, .class("date"), text: o.orderDate.description)
                                h.el(.td) { h in
                                    for c in o.changeOrders {
                                        h.el(.div, .class("small"), text: "\(c.changeOrder.amount.amount > 0 ? "+" : "")\(yen(c.changeOrder.amount)) "
                                             + t["ledger.change.\(c.changeOrder.status.rawValue)"]
                                             + (c.changeNumber.map { " (" + ItemType.change.reference(projectKey: v.projectKey, number: $0) + ")" } ?? ""))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h.el(.h3, text: t["ledger.milestones"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger"), .id("ledger-milestones")) { h in
                    h.tableHead([t["ledger.order"], t["ledger.milestone"], t["ledger.amount"], t["ledger.amount_tax"], t["ledger.planned_acceptance"],
                                 t["ledger.accepted_month"], t["ledger.planned_payment"], t["ledger.paid_month"], t["ledger.paying_department"]])
                    h.el(.tbody) { h in
                        for o in v.orders {
                            for m in o.milestones {
                                h.el(.tr) { h in
                                    h.el(.td, text: "O\(o.number)")
                                    h.el(.td, .class("name"), text: m.name)
                                    h.el(.td, .class("num"), text: yen(m.milestone.amount))
                                    h.el(.td, .class("num"), text: yen(o.taxRate.including(m.milestone.amount)))
                                    h.el(.td, .class("date"), text: m.milestone.plannedAcceptance.description)
                                    h.el(.td, .class("date"), text: m.milestone.accepted?.description ?? "–")
                                    h.el(.td, .class("date"), text: m.milestone.plannedPayment.description)
                                    h.el(.td, .class("date"), text: m.milestone.paid?.description ?? "–")
                                    h.el(.td, text: m.payingDepartment)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func estimates(_ h: inout HTMLWriter, _ v: LedgerView, _ t: Words) {
        h.el(.section, .class("card"), .id("ledger-estimates")) { h in
            h.el(.h2, text: t["ledger.estimates"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger")) { h in
                    h.tableHead([t["ledger.line"], t["ledger.vendor"], t["ledger.version"], t["ledger.amount"], t["ledger.effort"], t["ledger.received"],
                                 t["ledger.valid_until"], t["ledger.chosen"]])
                    h.el(.tbody) { h in
                        for e in v.estimates {
                            h.el(.tr, .class(e.chosen ? "chosen" : nil)) { h in
                                h.el(.td, text: "L\(e.lineNumber)")
                                h.el(.td, .class("name"), text: e.vendorName ?? "")
                                h.el(.td, .class("num"), text: "v\(e.version)")
                                h.el(.td, .class("num"), text: yen(e.amount))
                                h.el(.td, .class("num"), text: e.effortTenths.map { String(format: "%.1f", Double($0) / 10) } ?? "")
                                h.el(.td, .class("date"), text: e.received.description)
                                h.el(.td, .class("date"), text: e.validUntil?.description ?? "")
                                h.el(.td, text: e.chosen ? "✓" : "")
                            }
                        }
                    }
                }
            }
        }
    }
}
