import PMOCore
import PMOWords
import PMOHTML

/// User and company administration (system admins only).
enum AdminViews {
    static func tabs(_ h: inout HTMLWriter, on: String, _ t: Words) {
        h.el(.nav, .class("tabs")) { h in
            h.el(.a, .href(AppPath.adminUsers.href), .class(on == "users" ? "on" : nil), text: t["users"])
            h.el(.a, .href(AppPath.adminCompanies.href), .class(on == "companies" ? "on" : nil), text: t["companies"])
            h.el(.a, .href(AppPath.adminSettings.href), .class(on == "settings" ? "on" : nil), text: t["admin.settings"])
        }
    }

    /// The organisation's settings: the first month of the fiscal year.
    static func settings(_ h: inout HTMLWriter, _ p: Page<AdminPages.SettingsData>) {
        let t = p.t, d = p.data
        tabs(&h, on: "settings", t)
        if d.saved { h.el(.p, .class("notice"), .role("status"), .id("settings-saved"), text: t["saved_notice"]) }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: t["admin.fiscal_year"])
            h.el(.p, .class("muted small"), text: t["admin.fiscal_year_hint"])
            h.postForm(AppPath.adminSettings.href, .class("grid"), .id("fiscal-year-form"), csrf: p.chrome.csrf) { h in
                h.labelled(t["admin.fiscal_first_month"]) { h in
                    h.select("fiscalFirstMonth", (1...12).map { ("\($0)", t["ledger.month.\($0)"]) }, selected: "\(d.fiscalFirstMonth)")
                }
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["save"]) }
            }
        }
        h.el(.section, .class("card"), .id("contract-types")) { h in
            h.el(.h2, text: t["admin.contract_types"])
            h.el(.p, .class("muted small"), text: t("admin.contract_types_hint", ["builtIn": t.list(ContractType.builtIn.map { t["ledger.contract.\($0.rawValue)"] })]))
            if let error = d.contractTypesError { h.el(.p, .class("alert"), .role("alert"), .id("error"), text: error) }
            h.postForm(AppPath.adminContractTypes.href, .id("contract-types-form"), csrf: p.chrome.csrf) { h in
                h.labelled(t["admin.contract_types_own"], .class("wide")) { h in
                    h.el(.textarea, .name("contractTypes"), .rows("5"), text: d.contractTypes)
                }
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["save"]) }
            }
        }
    }

    static func users(_ h: inout HTMLWriter, _ p: Page<AdminPages.UsersData>) {
        let t = p.t, d = p.data, csrf = p.chrome.csrf
        tabs(&h, on: "users", t)
        if let secret = d.secret {
            h.el(.section, .class("card notice"), .role("status")) { h in
                h.el(.h2, text: "\(d.secretLabel ?? ""): \(d.secretFor ?? "")")
                h.el(.p) { h in h.el(.code, .class("secret"), text: secret) }
                h.el(.p, .class("muted"), text: t["show_once"])
            }
        }
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list")) { h in
                h.tableHead([t["name"], t["email"], t["company"], t["status"], ""])
                h.el(.tbody) { h in
                    for u in d.users {
                        h.el(.tr, .class(u.active ? nil : "inactive")) { h in
                            h.el(.td) { h in
                                h.text(u.name)
                                if u.admin {
                                    h.text(" ")
                                    h.el(.span, .class("role"), text: "admin")
                                }
                            }
                            h.el(.td, text: u.email)
                            h.el(.td, text: u.company)
                            h.el(.td, text: u.active ? t["active"] : t["inactive"])
                            h.el(.td, .class("actions-cell")) { h in
                                h.postForm(AppPath.adminUser(u.id, u.active ? .deactivate : .activate).href, .class("inline"), csrf: csrf,
                                           hidden: [("version", "\(u.version)")]) { h in
                                    h.el(.button, .class("link"), .type("submit"), text: u.active ? t["deactivate"] : t["activate"])
                                }
                                h.text(" ")
                                h.postForm(AppPath.adminUser(u.id, .reset).href, .class("inline"), csrf: csrf) { h in
                                    h.el(.button, .class("link"), .type("submit"), text: t["reset_password"])
                                }
                                h.text(" ")
                                h.postForm(AppPath.adminUser(u.id, .invite).href, .class("inline"), csrf: csrf) { h in
                                    h.el(.button, .class("link"), .type("submit"), text: t["new_invitation"])
                                }
                            }
                        }
                    }
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: t["new_user"])
            h.formErrors(d.errors)
            h.postForm(AppPath.adminUsers.href, .class("grid"), csrf: csrf) { h in
                h.labelled(t["email"]) { h in h.el(.input, .type("email"), .name("email"), .value(d.form["email"] ?? ""), .required) }
                h.labelled(t["display_name"]) { h in
                    h.el(.input, .name("displayName"), .value(d.form["displayName"] ?? ""), .required, .maxlength("200"))
                }
                h.choiceField(t["company"], "companyId", d.companies, .required)
                h.labelled(t["locale"]) { h in h.select("locale", [("ja", t["language.ja"]), ("en", t["language.en"])], selected: nil) }
                h.labelled(t["time_zone"]) { h in h.el(.input, .name("timeZone"), .value("Asia/Tokyo")) }
                h.labelled(t["password_setup"]) { h in
                    h.select("passwordSetup", [("invitation", t["setup_invitation"]), ("temporary", t["setup_temporary"])], selected: nil)
                }
                h.el(.label, .class("check")) { h in
                    h.el(.input, .type("checkbox"), .name("isAdmin"))
                    h.text(" " + t["is_admin"])
                }
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["create"]) }
            }
        }
    }

    static func companies(_ h: inout HTMLWriter, _ p: Page<AdminPages.CompaniesData>) {
        let t = p.t, d = p.data
        tabs(&h, on: "companies", t)
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .class("list")) { h in
                h.tableHead([t["name"], t["kind"]])
                h.el(.tbody) { h in
                    for c in d.companies {
                        h.el(.tr) { h in
                            h.el(.td, text: c.name)
                            h.el(.td, text: c.kind)
                        }
                    }
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, text: t["new_company"])
            h.formErrors(d.errors)
            h.postForm(AppPath.adminCompanies.href, .class("grid"), csrf: p.chrome.csrf) { h in
                h.labelled(t["name"], .class("wide")) { h in h.el(.input, .name("name"), .required, .maxlength("200")) }
                h.choiceField(t["kind"], "kind", d.kinds)
                h.el(.div, .class("actions")) { h in h.el(.button, .type("submit"), text: t["create"]) }
            }
        }
    }
}
