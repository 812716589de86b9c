import PMOCore
import Vapor

/// How a page words an error: by its code in the reader's language (see `ProblemWords`). The store's English detail
/// names the values involved and stays the API's `detail`; an English page shows it as it is, a Japanese page the
/// catalogue's sentence, so no English message or code reaches a Japanese reader.
extension Request {
    /// A problem's sentence for this reader.
    func problemText(code: String, detail: String) -> String {
        if locale == "en" { return detail }
        return words["problem." + code] ?? detail
    }

    /// Field errors as this reader sees them: the field by its label where the catalogue has one, the message in the
    /// reader's language. Pages that mark each error with its field (`data-field`) keep the field as the API names it.
    func shown(_ errors: [FieldError], labelFields: Bool = true) -> [FieldError] {
        let words = self.words
        return errors.map { error in
            var shown = error
            if labelFields { shown.field = fieldLabel(error.field, words) }
            shown.message = sentence(code: error.code, detail: error.message, subjects: error.subjects, words: words)
            return shown
        }
    }

    /// A field error's or problem's sentence for this reader: the English detail as it is, or the catalogue's sentence
    /// for the code with the values involved beside it.
    func sentence(code: String, detail: String, subjects: [String], words: [String: String]? = nil) -> String {
        guard locale != "en" else { return detail }
        let words = words ?? self.words
        guard let sentence = words["field_error." + code] ?? words["problem." + code] else { return detail }
        return subjects.isEmpty ? sentence : sentence + "（" + subjects.joined(separator: "、") + "）"
    }

    private func fieldLabel(_ field: String, _ words: [String: String]) -> String {
        if field.isEmpty { return field }
        if let label = words["rf." + field] ?? HistoryNames.fieldLabels[field].flatMap({ words[$0] }) ?? words["field." + field] {
            return label
        }
        return field
    }
}
