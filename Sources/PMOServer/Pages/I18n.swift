import Foundation
import Vapor

/// The pages' words in Japanese and English. Keys are stable; every key exists in both languages (tested).
enum I18n {
    static let supported = ["ja", "en"]

    /// The user's setting, else the first supported language of Accept-Language, else Japanese.
    static func locale(for req: Request) -> String {
        if let caller = req.caller, supported.contains(caller.locale) { return caller.locale }
        let header = req.headers.first(name: .acceptLanguage) ?? ""
        // Any header a client sends must read as something: an empty part (`;`, `en,,ja`) has no tag, a q that is
        // not a number between 0 and 1 counts as 0.
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";")
            guard let first = pieces.first else { return nil }
            let tag = first.trimmingCharacters(in: .whitespaces).lowercased()
            let q = pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .map { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)).flatMap { (0...1).contains($0) ? $0 : nil } ?? 0 } ?? 1
            return (String(tag.prefix(2)), q)
        }.sorted { $0.1 > $1.1 }
        return ranked.first { supported.contains($0.0) }?.0 ?? "ja"
    }

    static func strings(_ locale: String) -> [String: String] { locale == "en" ? allEn : allJa }

    /// The base words with the registers' words (see `RegisterWords`) and the errors' (see `ProblemWords`).
    static let allEn = en.merging(RegisterWords.en) { a, _ in a }.merging(ProblemWords.en) { a, _ in a }
        .merging(PageWords.en) { a, _ in a }
    static let allJa = ja.merging(RegisterWords.ja) { a, _ in a }.merging(ProblemWords.ja) { a, _ in a }
        .merging(PageWords.ja) { a, _ in a }

    /// One word of the catalogue; the key itself when it has none (`I18nTests` keeps that from happening).
    static func word(_ key: String, ja: Bool) -> String { (ja ? allJa : allEn)[key] ?? key }

    static let en: [String: String] = [
        "app": "PMO", "projects": "Projects", "issues": "Issues", "members": "Members", "admin": "Administration",
        "users": "Users", "companies": "Companies", "tokens": "API tokens", "settings": "Settings", "logout": "Sign out",
        "login": "Sign in", "email": "E-mail", "password": "Password", "login_title": "Sign in to PMO",
        "key": "Key", "name": "Name", "description": "Description", "phase": "Phase", "business_owner": "Business owner",
        "start_date": "Start", "target_date": "Target", "status": "Status", "my_role": "My role", "create": "Create",
        "save": "Save", "cancel": "Cancel", "delete": "Delete", "edit": "Edit", "new_project": "New project",
        "new_issue": "New issue", "title": "Title", "cause": "Cause", "owner": "Owner", "due": "Due", "next_action": "Next action",
        "priority": "Priority", "escalation": "Escalation", "visibility": "Visibility", "company": "Company",
        "responsible_company": "Responsible company", "none": "—", "filter": "Filter", "sort": "Sort", "search": "Search",
        "overdue": "Overdue", "unowned": "Unowned", "stale": "No change for 14+ days", "all": "All", "next_page": "Next page",
        "comments": "Comments", "add_comment": "Add comment", "links": "Links", "add_link": "Add link", "history": "History",
        "details": "Details", "version": "Version", "changed_by": "By", "when": "When", "field": "Field", "from": "From", "to": "To",
        "created": "Created", "updated": "Updated", "role": "Role", "add_member": "Add or change member", "remove": "Remove",
        "user": "User", "kind": "Kind", "active": "Active", "inactive": "Inactive", "deactivate": "Deactivate",
        "activate": "Activate", "reset_password": "Reset password", "new_invitation": "New invitation link",
        "new_user": "New user", "new_company": "New company", "display_name": "Display name", "locale": "Language",
        "time_zone": "Time zone", "is_admin": "Administrator", "password_setup": "First password",
        "setup_invitation": "One-time invitation link", "setup_temporary": "Temporary password",
        "show_once": "Copy this now: it is shown only once.", "invitation_link": "Invitation link",
        "temporary_password": "Temporary password", "token_name": "Token name", "new_token": "New token", "revoke": "Revoke",
        "your_token": "Your new token", "set_password": "Choose your password", "back": "Back", "open_issues": "Open issues",
        "summary": "Summary", "error": "Error", "conflict_hint": "Someone changed this record while you were editing. Reload to see their change, then apply yours again.",
        "status.open": "Open", "status.in_progress": "In progress", "status.waiting_for_decision": "Waiting for decision",
        "status.resolved": "Resolved", "status.closed": "Closed",
        "priority.low": "Low", "priority.medium": "Medium", "priority.high": "High", "priority.critical": "Critical",
        "visibility.project": "Whole project", "visibility.internal": "Internal (hidden from vendors)", "visibility.company": "One company only",
        "phase.study": "Study", "phase.preparation": "Preparation", "phase.execution": "Execution", "phase.closure": "Closure",
        "pstatus.active": "Active", "pstatus.on_hold": "On hold", "pstatus.completed": "Completed", "pstatus.cancelled": "Cancelled",
        "esc.0": "0 – team", "esc.1": "1 – PM", "esc.2": "2 – PMO / lead", "esc.3": "3 – steering committee",
        "field.predecessorUid": "Predecessor", "field.successorUid": "Successor", "field.links": "Links",
        "prole.admin": "Project admin", "prole.pmo": "PMO", "prole.pm": "PM", "prole.member": "Member",
        "prole.vendor": "Vendor", "prole.viewer": "Viewer",
        "link_removed": "(link removed)",
        "action.create": "created", "action.update": "changed", "action.delete": "deleted", "action.comment": "commented",
        "action.link": "linked", "action.unlink": "unlinked", "no_items": "Nothing here yet.",
        "sort.number": "Number", "sort.-number": "Number (newest)", "sort.due": "Due date", "sort.-due": "Due date (latest)",
        "sort.priority": "Priority (lowest)", "sort.-priority": "Priority (highest)", "sort.updated": "Least recently changed",
        "sort.-updated": "Recently changed", "signed_in_as": "Signed in as", "wrong_login": "The e-mail or password is not right.",
        "done": "Saved.", "not_found": "Not found", "me": "Me", "counts": "Issues by status", "attention": "Needs attention",
        "change_password": "Change password", "current_password": "Current password", "new_password": "New password",
        "confirm_password": "New password again", "password_changed": "Your password was changed. Your other sessions were signed out.",
        "must_change_password": "You signed in with a temporary password. Choose your own password to continue.",
        "password_rules": "At least 10 characters. Changing it signs out your other browsers.",
        "passwords_differ": "The two new passwords are not the same.",
        "too_many_attempts": "Too many failed sign-ins for this account or from your address. Try again in {minutes} min.",
        "password.wrong": "The current password is not right.", "password.too_short": "The new password needs at least 10 characters.",
        "password.too_long": "The new password may have at most 200 characters.", "password.unchanged": "Choose a password different from the current one.",
    ]

    static let ja: [String: String] = [
        "app": "PMO", "projects": "プロジェクト", "issues": "課題", "members": "メンバー", "admin": "管理",
        "users": "ユーザー", "companies": "会社", "tokens": "APIトークン", "settings": "設定", "logout": "ログアウト",
        "login": "ログイン", "email": "メールアドレス", "password": "パスワード", "login_title": "PMOにログイン",
        "key": "キー", "name": "名称", "description": "説明", "phase": "フェーズ", "business_owner": "事業責任者",
        "start_date": "開始日", "target_date": "目標日", "status": "ステータス", "my_role": "自分のロール", "create": "作成",
        "save": "保存", "cancel": "キャンセル", "delete": "削除", "edit": "編集", "new_project": "新規プロジェクト",
        "new_issue": "課題を登録", "title": "件名", "cause": "原因", "owner": "担当者", "due": "期限", "next_action": "次のアクション",
        "priority": "優先度", "escalation": "エスカレーション", "visibility": "公開範囲", "company": "会社",
        "responsible_company": "担当会社", "none": "—", "filter": "絞り込み", "sort": "並び順", "search": "検索",
        "overdue": "期限超過", "unowned": "担当者なし", "stale": "14日以上更新なし", "all": "すべて", "next_page": "次のページ",
        "comments": "コメント", "add_comment": "コメントを追加", "links": "関連", "add_link": "関連を追加", "history": "履歴",
        "details": "詳細", "version": "版", "changed_by": "変更者", "when": "日時", "field": "項目", "from": "変更前", "to": "変更後",
        "created": "登録日時", "updated": "更新日時", "role": "ロール", "add_member": "メンバーの追加・変更", "remove": "外す",
        "user": "ユーザー", "kind": "種別", "active": "有効", "inactive": "無効", "deactivate": "無効にする",
        "activate": "有効にする", "reset_password": "パスワード再発行", "new_invitation": "招待リンクを再発行",
        "new_user": "ユーザーを追加", "new_company": "会社を追加", "display_name": "表示名", "locale": "言語",
        "time_zone": "タイムゾーン", "is_admin": "管理者", "password_setup": "初回パスワード",
        "setup_invitation": "ワンタイム招待リンク", "setup_temporary": "仮パスワード",
        "show_once": "今すぐ控えてください。一度しか表示されません。", "invitation_link": "招待リンク",
        "temporary_password": "仮パスワード", "token_name": "トークン名", "new_token": "トークンを発行", "revoke": "失効",
        "your_token": "新しいトークン", "set_password": "パスワードを設定", "back": "戻る", "open_issues": "未完了の課題",
        "summary": "概要", "error": "エラー", "conflict_hint": "編集中に他の人がこの記録を更新しました。再読み込みして変更内容を確認し、もう一度反映してください。",
        "status.open": "未着手", "status.in_progress": "対応中", "status.waiting_for_decision": "判断待ち",
        "status.resolved": "解決済", "status.closed": "完了",
        "priority.low": "低", "priority.medium": "中", "priority.high": "高", "priority.critical": "緊急",
        "visibility.project": "プロジェクト全体", "visibility.internal": "社内のみ（ベンダー非公開）", "visibility.company": "特定の会社のみ",
        "phase.study": "検討", "phase.preparation": "準備", "phase.execution": "実行", "phase.closure": "終結",
        "pstatus.active": "進行中", "pstatus.on_hold": "保留", "pstatus.completed": "完了", "pstatus.cancelled": "中止",
        "esc.0": "0 – チーム内", "esc.1": "1 – PM", "esc.2": "2 – PMO・責任者", "esc.3": "3 – ステアリングコミッティ",
        "field.predecessorUid": "先行作業", "field.successorUid": "後続作業", "field.links": "リンク",
        "prole.admin": "プロジェクト管理者", "prole.pmo": "PMO", "prole.pm": "PM", "prole.member": "メンバー",
        "prole.vendor": "ベンダー", "prole.viewer": "閲覧者",
        "link_removed": "（関連を削除）",
        "action.create": "登録", "action.update": "変更", "action.delete": "削除", "action.comment": "コメント",
        "action.link": "関連付け", "action.unlink": "関連解除", "no_items": "まだありません。",
        "sort.number": "番号順", "sort.-number": "番号（新しい順）", "sort.due": "期限の近い順", "sort.-due": "期限の遠い順",
        "sort.priority": "優先度（低い順）", "sort.-priority": "優先度（高い順）", "sort.updated": "更新の古い順",
        "sort.-updated": "更新の新しい順", "signed_in_as": "ログイン中", "wrong_login": "メールアドレスまたはパスワードが正しくありません。",
        "done": "保存しました。", "not_found": "見つかりません", "me": "自分", "counts": "ステータス別の課題数", "attention": "要注意",
        "change_password": "パスワードの変更", "current_password": "現在のパスワード", "new_password": "新しいパスワード",
        "confirm_password": "新しいパスワード（確認）", "password_changed": "パスワードを変更しました。ほかのブラウザのセッションはログアウトしました。",
        "must_change_password": "仮パスワードでログインしています。続けるには自分のパスワードを設定してください。",
        "password_rules": "10文字以上。変更するとほかのブラウザからはログアウトします。",
        "passwords_differ": "新しいパスワードが2回とも同じではありません。",
        "too_many_attempts": "このアカウントまたはお使いのアドレスからのログイン失敗が多すぎます。{minutes}分後にもう一度お試しください。",
        "password.wrong": "現在のパスワードが正しくありません。", "password.too_short": "新しいパスワードは10文字以上にしてください。",
        "password.too_long": "新しいパスワードは200文字以内にしてください。", "password.unchanged": "現在のパスワードとは異なるパスワードを設定してください。",
    ]
}
