/// The words of the budget ledger (予算管理表): budget lines, estimates, orders, acceptance and payment.
public enum LedgerWords {
    public static let ja: [String: String] = Dictionary(entries.map { ($0.key, $0.ja) }) { first, _ in first }
    public static let en: [String: String] = Dictionary(entries.map { ($0.key, $0.en) }) { first, _ in first }

    /// The keys in table order, for the test that none appears twice.
    public static var keys: [String] { entries.map(\.key) }

    static let entries: [(key: String, ja: String, en: String)] = [
        ("nav_ledger", "予算", "Budget"),
        ("ledger.title", "予算管理表", "Budget ledger"),
        ("ledger.intro", "予算行ごと・年度ごとの予算、見積、発注、検収、支払、残額、見込です。金額は税抜の円（税込は別欄）。残額は予算から発注額を引いた額、見込は発注額に提案中の変更契約と社内工数を足した額です。",
         "Per budget line and fiscal year: budget, estimated, ordered, accepted, paid, remaining and forecast. Amounts are yen before tax (with tax in its own column). Remaining is the budget less what is ordered; the forecast is what is ordered plus proposed change orders and internal labour."),
        ("ledger.vendor_intro", "貴社の見積と発注です。予算と他社の金額は表示されません。", "Your company's estimates and orders. Budgets and other vendors' amounts are not shown."),
        ("ledger.empty", "表示できる予算・見積・発注はありません。", "No budget, estimates or orders you may see."),
        ("ledger.fiscal_year", "{year}年度", "FY{year}"),
        ("ledger.fiscal_note", "年度は{month}月始まりです。", "Fiscal years start in month {month}."),
        ("ledger.line", "予算行", "Line"), ("ledger.name", "名称", "Name"), ("ledger.category", "費目", "Category"),
        ("ledger.budget", "予算", "Budget"), ("ledger.estimated", "見積", "Estimated"),
        ("ledger.ordered", "発注", "Ordered"),
        ("ledger.accepted", "検収", "Accepted"), ("ledger.paid", "支払", "Paid"),
        ("ledger.with_tax", "税込 {amount}", "with tax {amount}"),
        ("ledger.remaining", "残額", "Remaining"), ("ledger.forecast", "見込", "Forecast"), ("ledger.variance", "差異", "Variance"),
        ("ledger.total", "合計", "Total"), ("ledger.overrun", "超過", "Overrun"),
        ("ledger.unbudgeted_labour", "予算行のない社内工数", "Internal labour without a budget line"),
        ("ledger.revised", "補正 {amount}", "revised {amount}"),
        ("ledger.category.development", "開発", "Development"), ("ledger.category.infrastructure", "基盤", "Infrastructure"),
        ("ledger.category.licences", "ライセンス", "Licences"), ("ledger.category.operations", "運用", "Operations"),
        ("ledger.category.internal_labour", "社内工数", "Internal labour"), ("ledger.category.contingency", "予備費", "Contingency"),
        ("ledger.orders", "発注", "Orders"), ("ledger.order", "発注", "Order"), ("ledger.title_col", "件名", "Title"),
        ("ledger.vendor", "ベンダー", "Vendor"), ("ledger.contract", "契約形態", "Contract"), ("ledger.amount", "金額（税抜）", "Amount before tax"),
        ("ledger.tax_rate", "税率", "Tax"), ("ledger.amount_tax", "税込", "With tax"), ("ledger.order_date", "発注日", "Ordered on"),
        ("ledger.change_orders", "変更契約", "Change orders"),
        ("ledger.contract.fixed_price", "請負", "Fixed price (請負)"), ("ledger.contract.time_and_materials", "準委任", "Time and materials (準委任)"),
        ("ledger.contract.staffing", "派遣", "Staffing"), ("ledger.contract.licence", "ライセンス", "Licence"), ("ledger.contract.other", "その他", "Other"),
        ("ledger.change.proposed", "提案中", "Proposed"), ("ledger.change.agreed", "合意", "Agreed"), ("ledger.change.withdrawn", "取下げ", "Withdrawn"),
        ("ledger.milestones", "検収・支払", "Acceptance and payment"), ("ledger.milestone", "検収", "Milestone"),
        ("ledger.planned_acceptance", "検収予定月", "Acceptance planned"), ("ledger.accepted_month", "検収月", "Accepted in"),
        ("ledger.planned_payment", "支払予定月", "Payment planned"), ("ledger.paid_month", "支払月", "Paid in"),
        ("ledger.paying_department", "支払部署", "Paying department"),
        ("ledger.estimates", "見積", "Estimates"), ("ledger.version", "版", "Version"), ("ledger.effort", "工数（人月）", "Effort (person-months)"),
        ("ledger.received", "受領日", "Received"), ("ledger.valid_until", "有効期限", "Valid until"), ("ledger.chosen", "採用", "Chosen"),
        ("ledger.overrun_reason", "超過理由: {reason}", "Overrun: {reason}"),
    ]
}
