import PMOCore
import PMOHTML

/// Signing in, invitations, the user's settings and password, and the error page.
enum AccountViews {
    struct ErrorData { var status: Int; var detail: String; var code: String; var errors: [FieldError]; var conflict: Bool }
    struct LoginData { var next: String; var error: String?; var email: String; var loginCSRF: String }
    struct InviteData { var loginCSRF: String }
    struct TokenRow { var id: String; var name: String; var created: String }
    struct SettingsData { var locales: [Choice]; var timeZone: String; var displayName: String; var tokens: [TokenRow]; var newToken: String? }
    struct PasswordData { var required: Bool; var done: Bool; var errors: [FieldError] }

    static func error(_ h: inout HTMLWriter, _ p: Page<ErrorData>) {
        let t = p.t, d = p.data
        h.el(.section, .class("card narrow"), .id("problem"), .attr("data-code", d.code)) { h in
            h.el(.h1, text: "\(t["error"]) \(d.status)")
            h.el(.p, .class("alert"), .role("alert"), text: d.detail)
            if d.conflict { h.el(.p, text: t["conflict_hint"]) }
            if !d.errors.isEmpty {
                h.el(.ul, .class("errors")) { h in
                    for e in d.errors {
                        h.el(.li) { h in
                            if !e.field.isEmpty {
                                h.el(.strong, text: e.field)
                                h.text(": ")
                            }
                            h.text(e.message)
                        }
                    }
                }
            }
            h.el(.p) { h in h.el(.a, .href(AppPath.projects.href), text: t["projects"]) }
        }
    }

    static func login(_ h: inout HTMLWriter, _ p: Page<LoginData>) {
        let t = p.t, d = p.data
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, text: t["login_title"])
            if let error = d.error { h.el(.p, .class("alert"), .role("alert"), text: error) }
            h.postForm(AppPath.login.href, csrf: d.loginCSRF, hidden: [("next", d.next)]) { h in
                h.labelled(t["email"]) { h in
                    h.el(.input, .type("email"), .name("email"), .value(d.email), .autocomplete("username"), .required, .flag("autofocus"))
                }
                h.labelled(t["password"]) { h in h.el(.input, .type("password"), .name("password"), .autocomplete("current-password"), .required) }
                h.el(.button, .type("submit"), text: t["login"])
            }
        }
    }

    static func invite(_ h: inout HTMLWriter, _ p: Page<InviteData>) {
        let t = p.t
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, text: t["set_password"])
            // Posts back to the invitation's own address.
            h.el(.form, .method("post")) { h in
                h.el(.input, .type("hidden"), .name("_csrf"), .value(p.data.loginCSRF))
                h.labelled(t["password"]) { h in
                    h.el(.input, .type("password"), .name("password"), .minlength("10"), .autocomplete("new-password"), .required)
                }
                h.el(.button, .type("submit"), text: t["save"])
            }
        }
    }

    static func settings(_ h: inout HTMLWriter, _ p: Page<SettingsData>) {
        let t = p.t, d = p.data, csrf = p.chrome.csrf
        h.el(.h1, text: t["settings"])
        h.postForm(AppPath.settings.href, .class("grid card"), csrf: csrf) { h in
            h.labelled(t["display_name"]) { h in h.el(.input, .name("displayName"), .value(d.displayName), .required, .maxlength("200")) }
            h.choiceField(t["locale"], "locale", d.locales)
            h.labelled(t["time_zone"]) { h in h.el(.input, .name("timeZone"), .value(d.timeZone)) }
            h.el(.div, .class("actions")) { h in
                h.el(.button, .type("submit"), text: t["save"])
                h.text(" ")
                h.el(.a, .href(AppPath.password.href), text: t["change_password"])
                h.text(" ")
                h.el(.a, .href(AppPath.mailSettings.href), .id("mail-settings-link"), text: t["mail.settings.link"])
            }
        }
        h.el(.section, .class("card"), .id("tokens")) { h in
            h.el(.h2, text: t["tokens"])
            if let token = d.newToken {
                h.el(.div, .class("notice"), .role("status")) { h in
                    h.el(.p, text: t["your_token"] + ":")
                    h.el(.p) { h in h.el(.code, .class("secret"), text: token) }
                    h.el(.p, .class("muted"), text: t["show_once"])
                }
            }
            h.el(.ul, .class("tokens")) { h in
                for k in d.tokens {
                    h.el(.li) { h in
                        h.text(k.name + " ")
                        h.el(.span, .class("muted"), text: k.created)
                        h.text(" ")
                        h.postForm(AppPath.revokeToken(k.id).href, .class("inline"), csrf: csrf) { h in
                            h.el(.button, .class("link danger"), .type("submit"), text: t["revoke"])
                        }
                    }
                }
            }
            h.postForm(AppPath.tokens.href, .class("row"), csrf: csrf) { h in
                h.el(.input, .name("name"), .placeholder(t["token_name"]), .required, .maxlength("100"))
                h.el(.button, .type("submit"), text: t["new_token"])
            }
        }
    }

    static func password(_ h: inout HTMLWriter, _ p: Page<PasswordData>) {
        let t = p.t, d = p.data
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, text: t["change_password"])
            if d.required { h.el(.p, .class("notice"), .role("status"), text: t["must_change_password"]) }
            if d.done { h.el(.p, .class("notice"), .role("status"), text: t["password_changed"]) }
            h.formErrors(d.errors)
            h.postForm(AppPath.password.href, csrf: p.chrome.csrf) { h in
                h.labelled(t["current_password"]) { h in
                    h.el(.input, .type("password"), .name("currentPassword"), .autocomplete("current-password"), .required)
                }
                for (label, name) in [(t["new_password"], "newPassword"), (t["confirm_password"], "confirmPassword")] {
                    h.labelled(label) { h in
                        h.el(.input, .type("password"), .name(name), .minlength("10"), .maxlength("200"), .autocomplete("new-password"), .required)
                    }
                }
                h.el(.p, .class("muted"), text: t["password_rules"])
                h.el(.button, .type("submit"), text: t["save"])
            }
            if !d.required { h.el(.p) { h in h.el(.a, .href(AppPath.settings.href), text: t["back"]) } }
        }
    }
}
