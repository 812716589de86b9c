import Foundation
import PMOCore
import PMOHTML
import PMOReports
import PMOStore
import PMOWords

/// The budget ledger's page: one table per fiscal year (budget to forecast per line, with totals), the orders with
/// their milestones, and the estimates side by side per line and vendor.
enum LedgerViews {
    /// An amount in the ledger's tables: grouped digits, a minus sign for negatives (the column says yen, before tax).
    static func yen(_ m: Money) -> String { m.figure }

    static func ledger(_ h: inout HTMLWriter, _ p: Page<LedgerPages.LedgerData>) {
        let v = p.data.view, requests = p.data.requests
        let t = p.t
        h.pageHead(t["ledger.title"]) { _ in }
        h.el(.p, .class("muted"), text: v.seesCommercial ? t["ledger.intro"] : t["ledger.vendor_intro"])
        h.el(.p, .class("small muted"), text: t("ledger.fiscal_note", ["month": t["ledger.month.\(v.calendar.firstMonth)"]]))
        if let notice = p.data.notice { h.el(.p, .class("notice"), .id("ledger-imported"), text: notice) }
        if let error = p.data.error { h.el(.p, .class("alert"), .role("alert"), .id("error"), text: error) }
        if !(v.orders.isEmpty && v.lines.isEmpty) || v.canEdit {
            h.el(.p, .class("actions"), .id("ledger-exchange")) { h in
                h.el(.a, .href(ProjectPath.ledgerExport.href(v.projectKey)), text: t["ledger.export_xlsx"])
                if v.canEdit {
                    h.text(" · ")
                    h.el(.a, .href(ProjectPath.ledgerImport.href(v.projectKey)), text: t["ledger.import"])
                }
            }
        }
        if v.lines.isEmpty && v.orders.isEmpty && v.estimates.isEmpty && requests.isEmpty {
            h.el(.p, .class("card muted"), .id("ledger-empty"), text: t["ledger.empty"])
            return
        }
        if let ledger = v.ledger {
            for year in ledger.years { yearTable(&h, year, v, t) }
            let months = p.data.cashOut
            if !months.isEmpty {
                h.el(.section, .class("card"), .id("ledger-cash-out")) { h in
                    h.el(.h2, text: t["ledger.cash_out"])
                    h.el(.p, .class("small muted"), text: t["ledger.cash_out_note"])
                    h.el(.div, .class("chart")) { h in
                        h.trusted(ChartMarkup.cashOut(months, through: p.data.thisMonth, title: t["ledger.cash_out"], language: p.chrome.lang))
                    }
                    h.el(.p, .class("small")) { h in
                        h.el(.a, .href(ProjectPath.ledgerCashOut.href(v.projectKey)), .attr("download", "\(v.projectKey)-cash-out.svg"), text: "SVG")
                    }
                }
            }
        }
        if !requests.isEmpty { requestList(&h, requests, key: v.projectKey, t) }
        if !p.data.proposals.isEmpty && !v.orders.isEmpty { proposals(&h, p.data.proposals, v, t, csrf: p.chrome.csrf) }
        if !v.orders.isEmpty { orders(&h, v, t, csrf: v.canEdit && v.seesCommercial ? p.chrome.csrf : nil) }
        if !v.estimates.isEmpty { estimates(&h, v, t) }
        forms(&h, p.data, t, csrf: p.chrome.csrf)
    }

    /// The requests for estimate: what was asked of whom, what came back, and the option chosen (its decision).
    static func requestList(_ h: inout HTMLWriter, _ requests: [EstimateRequestView], key: String, _ t: Words) {
        h.el(.section, .class("card"), .id("ledger-requests")) { h in
            h.el(.h2, text: t["ledger.requests"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger")) { h in
                    h.tableHead([t["ledger.request"], t["ledger.title_col"], t["ledger.line"], t["ledger.vendors_asked"], t["ledger.due"],
                                 t["ledger.estimates"], t["ledger.options"], t["ledger.decision"]])
                    h.el(.tbody) { h in
                        for r in requests {
                            h.el(.tr, .id("ledger-E\(r.number)")) { h in
                                h.el(.td, text: "E\(r.number)")
                                h.el(.td, .class("name")) { h in h.el(.a, .href(ProjectPath.estimateRequest(r.number).href(key)), text: r.title) }
                                h.el(.td, .class("name"), text: "L\(r.lineNumber) \(r.lineName)")
                                h.el(.td, .class("name"), text: r.vendors.map(\.name).joined(separator: ", "))
                                h.el(.td, .class("date"), text: r.dueDate?.description ?? "")
                                h.el(.td, .class("num"), text: "\(r.estimates.count)")
                                h.el(.td, .class("num"), text: "\(r.options.count)")
                                h.el(.td) { h in decisionCell(&h, r, key: key, t) }
                            }
                        }
                    }
                }
            }
        }
    }

    static func decisionCell(_ h: inout HTMLWriter, _ r: EstimateRequestView, key: String, _ t: Words) {
        if let number = r.decisionNumber {
            let chosen = r.chosenOption.flatMap { r.options.indices.contains($0) ? r.options[$0].title : nil } ?? ""
            h.el(.a, .href(ItemPath.href(key, .decision, number)), .class("decision-link"),
                 text: ItemType.decision.reference(projectKey: key, number: number) + " " + chosen)
        } else {
            h.el(.span, .class("muted"), text: t["ledger.undecided"])
        }
    }

    /// One request for estimate and its aggregation (見積集約): the vendors' estimates side by side against the line's
    /// budget, the options with cost, schedule impact, effort, pros and cons, and the choice (a decision).
    /// One estimate: what the vendor quoted, against which line and request, and the vendor's file(s).
    static func estimate(_ h: inout HTMLWriter, _ p: Page<LedgerPages.EstimateData>) {
        let d = p.data, e = d.estimate, t = p.t
        h.pageHead("\(t["ledger.estimate"]) L\(e.lineNumber) \(e.vendorName ?? "") v\(e.version)") { h in
            h.el(.a, .href(ProjectPath.ledger.href(d.key, fragment: "ledger-estimates")), .class("small"), text: t["ledger.back"])
        }
        h.el(.section, .class("card"), .id("estimate-facts")) { h in
            h.el(.dl, .class("facts")) { h in
                func fact(_ label: String, _ value: String, id: String? = nil) {
                    h.el(.div, .id(id)) { h in h.el(.dt, text: label); h.el(.dd, text: value) }
                }
                fact(t["ledger.line"], "L\(e.lineNumber)")
                fact(t["ledger.vendor"], e.vendorName ?? "")
                fact(t["ledger.version"], "v\(e.version)")
                fact(t["ledger.amount"], yen(e.amount), id: "estimate-amount")
                if let tenths = e.effortTenths { fact(t["ledger.effort"], effort(tenths)) }
                fact(t["ledger.received"], e.received.description)
                if let until = e.validUntil { fact(t["ledger.valid_until"], until.description) }
                if e.chosen { fact(t["ledger.chosen"], "✓") }
                if let n = e.requestNumber {
                    h.el(.div) { h in
                        h.el(.dt, text: t["ledger.request"])
                        h.el(.dd) { h in h.el(.a, .href(ProjectPath.estimateRequest(n).href(d.key)), text: "E\(n)") }
                    }
                }
            }
            if !e.assumptions.isEmpty {
                h.el(.h3, text: t["ledger.assumptions"])
                h.el(.p, .class("prose"), text: e.assumptions)
            }
        }
        if !e.parts.isEmpty { breakdown(&h, e, t) }
        ItemViews.attachments(&h, d.attachments, csrf: p.chrome.csrf, t)
    }

    /// An estimate's breakdown as the vendor gave it, with its sums by category.
    static func breakdown(_ h: inout HTMLWriter, _ e: EstimateView, _ t: Words) {
        h.el(.section, .class("card"), .id("estimate-breakdown")) { h in
            h.el(.h2, text: t["ledger.breakdown"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger")) { h in
                    h.tableHead([t["ledger.phase"], t["ledger.category"], t["ledger.amount"]])
                    h.el(.tbody) { h in
                        for part in e.parts {
                            h.el(.tr) { h in
                                h.el(.td, .class("name"), text: part.phase)
                                h.el(.td, text: part.category.map { t["ledger.category.\($0.rawValue)"] } ?? "")
                                h.el(.td, .class("num"), text: yen(part.amount))
                            }
                        }
                        h.el(.tr, .class("total")) { h in
                            h.el(.th, text: t["ledger.total"])
                            h.el(.th, text: "")
                            h.el(.th, .class("num"), text: yen(e.amount))
                        }
                    }
                }
            }
            let categories = EstimateBreakdown.byCategory(e.parts)
            if !categories.isEmpty {
                h.el(.h3, text: t["ledger.by_category"])
                h.el(.p, .id("estimate-by-category")) { h in
                    h.text(t.list(categories.map { "\(t["ledger.category.\($0.category.rawValue)"]) \(yen($0.amount))" }))
                }
            }
        }
    }

    /// The estimates of a request by phase, side by side: a row per phase, a column per estimate (vendor and version).
    static func byPhase(_ h: inout HTMLWriter, _ estimates: [EstimateView], _ t: Words) {
        let phases = EstimateBreakdown.phases(estimates.map(\.parts))
        guard !phases.isEmpty else { return }
        let sums = estimates.map { Dictionary(EstimateBreakdown.byPhase($0.parts).map { ($0.phase, $0.amount) }, uniquingKeysWith: +) }
        h.el(.section, .class("card"), .id("request-phases")) { h in
            h.el(.h2, text: t["ledger.by_phase"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger"), .id("request-by-phase")) { h in
                    h.tableHead([t["ledger.phase"]] + estimates.map { "\($0.vendorName ?? "") v\($0.version)" })
                    h.el(.tbody) { h in
                        for phase in phases {
                            h.el(.tr) { h in
                                h.el(.td, .class("name"), text: phase)
                                for (i, e) in estimates.enumerated() {
                                    h.el(.td, .class("num"), text: sums[i][phase].map(yen) ?? (e.parts.isEmpty ? "" : "–"))
                                }
                            }
                        }
                        h.el(.tr, .class("total")) { h in
                            h.el(.th, text: t["ledger.total"])
                            for e in estimates { h.el(.th, .class("num"), text: yen(e.amount)) }
                        }
                    }
                }
            }
        }
    }

    static func request(_ h: inout HTMLWriter, _ p: Page<LedgerPages.RequestData>) {
        let d = p.data, r = d.request, t = p.t
        h.pageHead("E\(r.number) \(r.title)") { h in
            h.el(.a, .href(ProjectPath.ledger.href(d.key, fragment: "ledger-requests")), .class("small"), text: t["ledger.back"])
        }
        if let error = d.error { h.el(.p, .class("alert"), .role("alert"), .id("error"), text: error) }
        h.el(.section, .class("card"), .id("request-facts")) { h in
            h.el(.dl, .class("facts")) { h in
                func fact(_ label: String, _ value: String, id: String? = nil) {
                    h.el(.div, .id(id)) { h in h.el(.dt, text: label); h.el(.dd, text: value) }
                }
                fact(t["ledger.line"], "L\(r.lineNumber) \(r.lineName)")
                if let budget = r.budget { fact(t["ledger.budget"], yen(budget), id: "request-budget") }
                if let remaining = r.remaining { fact(t["ledger.remaining"], yen(remaining), id: "request-remaining") }
                fact(t["ledger.vendors_asked"], r.vendors.map(\.name).joined(separator: ", "))
                if let due = r.dueDate { fact(t["ledger.due"], due.description) }
                if !r.systemNumbers.isEmpty {
                    fact(t["ledger.systems"], r.systemNumbers.map { ItemType.system.reference(projectKey: d.key, number: $0) }.joined(separator: ", "))
                }
            }
            h.el(.h3, text: t["ledger.scope"])
            h.el(.p, .class("prose"), text: r.scope)
        }
        h.el(.section, .class("card"), .id("request-estimates")) { h in
            h.el(.h2, text: t["ledger.estimates"])
            if r.estimates.isEmpty {
                h.el(.p, .class("muted"), text: t["ledger.no_estimates"])
            } else {
                h.el(.div, .class("table-wrap")) { h in
                    h.el(.table, .class("list ledger")) { h in
                        h.tableHead([t["ledger.vendor"], t["ledger.version"], t["ledger.amount"], t["ledger.effort"], t["ledger.received"],
                                     t["ledger.valid_until"], t["ledger.assumptions"], t["ledger.chosen"]])
                        h.el(.tbody) { h in
                            for e in r.estimates {
                                h.el(.tr, .class(e.chosen ? "chosen" : nil)) { h in
                                    h.el(.td, .class("name"), text: e.vendorName ?? "")
                                    h.el(.td, .class("num"), text: "v\(e.version)")
                                    h.el(.td, .class("num"), text: yen(e.amount))
                                    h.el(.td, .class("num"), text: e.effortTenths.map(effort) ?? "")
                                    h.el(.td, .class("date"), text: e.received.description)
                                    h.el(.td, .class("date"), text: e.validUntil?.description ?? "")
                                    h.el(.td, .class("name"), text: e.assumptions)
                                    h.el(.td, text: e.chosen ? "✓" : "")
                                }
                            }
                        }
                    }
                }
            }
        }
        byPhase(&h, r.estimates, t)
        // Options are commercial: a vendor's staff see the request and their own estimates only.
        guard r.budget != nil else { return }
        h.el(.section, .class("card"), .id("request-options")) { h in
            h.el(.h2, text: t["ledger.aggregation"])
            if r.options.isEmpty {
                h.el(.p, .class("muted"), text: t["ledger.no_options"])
            } else {
                h.el(.div, .class("table-wrap")) { h in
                    h.el(.table, .class("list ledger options")) { h in
                        h.tableHead(["#", t["ledger.option"], t["ledger.cost"], t["ledger.over_remaining"], t["ledger.schedule_impact"], t["ledger.effort"],
                                     t["ledger.pros"], t["ledger.cons"], t["ledger.based_on"]])
                        h.el(.tbody) { h in
                            for (i, o) in r.options.enumerated() {
                                let over = r.remaining.map { o.cost - $0 } ?? .zero
                                let estimate = o.estimateID.flatMap { id in r.estimates.first { $0.id == id } }
                                h.el(.tr, .class(r.chosenOption == i ? "chosen" : nil), .id("option-\(i + 1)")) { h in
                                    h.el(.td, text: "\(i + 1)")
                                    h.el(.td, .class("name")) { h in
                                        h.text(o.title)
                                        if r.chosenOption == i { h.text(" "); h.el(.span, .class("chosen-mark"), text: t["ledger.chosen_option"]) }
                                    }
                                    h.el(.td, .class("num"), text: yen(o.cost))
                                    h.el(.td, .class("num")) { h in
                                        if over.amount > 0 { h.el(.span, .class("flag"), text: "+" + yen(over)) } else { h.text("–") }
                                    }
                                    h.el(.td, .class("num"), text: o.scheduleDays == 0 ? "±0" : t("ledger.days", ["days": (o.scheduleDays > 0 ? "+" : "") + "\(o.scheduleDays)"]))
                                    h.el(.td, .class("num"), text: o.effortTenths.map(effort) ?? "")
                                    h.el(.td, .class("name wrap"), text: o.pros)
                                    h.el(.td, .class("name wrap"), text: o.cons)
                                    h.el(.td, .class("name"), text: estimate.map { "\($0.vendorName ?? "") v\($0.version)" } ?? "")
                                }
                            }
                        }
                    }
                }
            }
            if r.decisionNumber != nil {
                h.el(.p, .id("request-decision")) { h in
                    h.text(t["ledger.decided_as"] + " ")
                    decisionCell(&h, r, key: d.key, t)
                }
            } else if d.canChoose {
                chooseForm(&h, d, csrf: p.chrome.csrf, t)
            }
        }
    }

    /// The business owner's choice, recorded by the PMO or a PM: the option, who decided (a holder of the budget
    /// right) and why. It becomes a decided decision in the decision log.
    static func chooseForm(_ h: inout HTMLWriter, _ d: LedgerPages.RequestData, csrf: String, _ t: Words) {
        h.el(.h3, text: t["ledger.choose"])
        h.el(.p, .class("muted small"), text: t["ledger.choose_hint"])
        if d.deciders.isEmpty {
            h.el(.p, .class("notice"), .id("no-decider"), text: t["ledger.no_decider"])
            return
        }
        h.postForm(ProjectPath.chooseOption(d.request.number).href(d.key), .class("grid"), .id("choose-form"), csrf: csrf,
                   hidden: [("version", "\(d.request.version)")]) { h in
            h.labelled(t["ledger.option"]) { h in
                h.select("option", d.request.options.enumerated().map { ("\($0.offset + 1)", "\($0.offset + 1). \($0.element.title)") }, selected: "1")
            }
            h.labelled(t["ledger.decider"]) { h in
                h.select("decider", d.deciders.map { ($0.id.uuidString.lowercased(), $0.name) }, selected: nil)
            }
            h.labelled(t["ledger.rationale"], .class("wide")) { h in h.el(.textarea, .name("rationale"), .rows("3")) }
            h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["ledger.record_choice"]) }
        }
    }

    /// Approved changes with a cost impact that no order carries yet: each proposed as a change order on the order
    /// chosen (the one on a line of an affected system is offered first).
    static func proposals(_ h: inout HTMLWriter, _ proposals: [ChangeOrderProposal], _ v: LedgerView, _ t: Words, csrf: String) {
        h.el(.section, .class("card"), .id("ledger-proposals")) { h in
            h.el(.h2, text: t["ledger.proposals"])
            h.el(.p, .class("small muted"), text: t["ledger.proposals_hint"])
            h.el(.div, .class("table-wrap")) { h in
                h.el(.table, .class("list ledger")) { h in
                    h.tableHead([t["ledger.change"], t["ledger.title_col"], t["ledger.cost_impact"], t["ledger.order"], ""])
                    h.el(.tbody) { h in
                        for proposal in proposals {
                            let form = "propose-C\(proposal.changeNumber)"
                            h.el(.tr, .id("ledger-proposal-C\(proposal.changeNumber)")) { h in
                                h.el(.td) { h in
                                    h.el(.a, .href(ItemPath.href(v.projectKey, .change, proposal.changeNumber)),
                                         text: ItemType.change.reference(projectKey: v.projectKey, number: proposal.changeNumber))
                                }
                                h.el(.td, .class("name"), text: proposal.title)
                                h.el(.td, .class("num"), text: yen(proposal.costImpact))
                                h.el(.td) { h in
                                    h.select("order", v.orders.map { ("\($0.number)", "O\($0.number) \($0.title)") },
                                             selected: proposal.suggestedOrder.map(String.init), .attr("form", form), .attr("aria-label", t["ledger.order"]))
                                }
                                h.el(.td) { h in
                                    h.postForm(ProjectPath.ledgerProposeChangeOrder.href(v.projectKey), .id(form), csrf: csrf,
                                               hidden: [("change", "\(proposal.changeNumber)")]) { h in
                                        h.el(.button, .type("submit"), text: t["ledger.propose"])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Person-months to a tenth.
    static func effort(_ tenths: Int) -> String { "\(tenths / 10).\(tenths % 10)" }

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

    /// The orders and their milestones; with `csrf` (for those who keep the ledger) a proposed change order can be
    /// agreed or withdrawn.
    static func orders(_ h: inout HTMLWriter, _ v: LedgerView, _ t: Words, csrf: String? = nil) {
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
                                h.el(.td, .class("name")) { h in
                                    if o.shares.isEmpty { h.text("L\(o.lineNumber) \(o.lineName)") }
                                    // An order drawing on several lines: each with its share.
                                    for share in o.shares {
                                        h.el(.div, .class("small")) { h in
                                            h.text("L\(share.lineNumber) \(share.lineName) ")
                                            h.el(.span, .class("num"), text: yen(share.amount))
                                        }
                                    }
                                }
                                h.el(.td, text: o.contractType.isBuiltIn ? t["ledger.contract.\(o.contractType.rawValue)"] : o.contractType.rawValue)
                                h.el(.td, .class("num"), text: yen(ordered.beforeTax))
                                h.el(.td, .class("num"), text: o.taxRate.description)
                                h.el(.td, .class("num"), text: yen(ordered.includingTax))
                                h.el(.td, .class("date"), text: o.orderDate.description)
                                h.el(.td) { h in
                                    for c in o.changeOrders {
                                        h.el(.div, .class("small"), .id("change-order-\(c.changeOrder.id.uuidString.lowercased())")) { h in
                                            h.text("\(c.changeOrder.amount.amount > 0 ? "+" : "")\(yen(c.changeOrder.amount)) "
                                                   + t["ledger.change.\(c.changeOrder.status.rawValue)"]
                                                   + (c.changeNumber.map { " (" + ItemType.change.reference(projectKey: v.projectKey, number: $0) + ")" } ?? ""))
                                            if let csrf { changeOrderActions(&h, order: o.number, c, key: v.projectKey, t, csrf: csrf) }
                                        }
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
                                 t["ledger.accepted_month"], t["ledger.planned_payment"], t["ledger.paid_month"], t["ledger.paying_department"]]
                                + (csrf == nil ? [] : [t["ledger.record"]]))
                    h.el(.tbody) { h in
                        for o in v.orders {
                            for (index, m) in o.milestones.enumerated() {
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
                                    if let csrf { h.el(.td) { h in milestoneAction(&h, o, index: index, m, key: v.projectKey, t, csrf: csrf) } }
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
                                h.el(.td, .class("num")) { h in h.el(.a, .href(ProjectPath.estimate(e.id).href(v.projectKey)), text: "v\(e.version)") }
                                h.el(.td, .class("num"), text: yen(e.amount))
                                h.el(.td, .class("num"), text: e.effortTenths.map(effort) ?? "")
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
