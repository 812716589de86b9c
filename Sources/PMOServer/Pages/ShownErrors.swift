import PMOCore
import PMOWords
import Vapor

/// How a page words an error: by its code in the reader's language (see `ProblemWords`). The store's English detail
/// names the values involved and stays the API's `detail`; an English page shows it as it is, a Japanese page the
/// catalogue's sentence, so no English message or code reaches a Japanese reader.
extension Request {
    /// A problem's sentence for this reader, with the values it is about.
    func sentence(_ error: DomainError) -> String {
        sentence(code: error.code, detail: error.message, subjects: error.subjects)
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

    /// A field error's or problem's sentence for this reader (see `ShownError.sentence`).
    func sentence(code: String, detail: String, subjects: [String], words: [String: String]? = nil) -> String {
        ShownError.sentence(code: code, detail: detail, subjects: subjects, english: locale == "en", words: words ?? self.words)
    }

    private func fieldLabel(_ field: String, _ words: [String: String]) -> String {
        if field.isEmpty { return field }
        if let label = words["rf." + field] ?? HistoryNames.fieldLabels[field].flatMap({ words[$0] }) ?? words["field." + field] {
            return label
        }
        return field
    }
}

enum ShownError {
    /// A field error's or problem's sentence: the English detail as it is for an English reader, else the catalogue's
    /// sentence for the code with the values involved beside it (the detail when the catalogue has no sentence).
    static func sentence(code: String, detail: String, subjects: [String], english: Bool, words: [String: String]) -> String {
        guard !english else { return detail }
        guard let sentence = words["field_error." + code] ?? words["problem." + code] else { return detail }
        return withSubjects(sentence, subjects)
    }

    /// A Japanese sentence with the values it is about after it: 「…。（CRM-R99）」.
    static func withSubjects(_ sentence: String, _ subjects: [String]) -> String {
        let ja = Words(.ja)
        return subjects.isEmpty ? sentence : ja("word.with_details", ["head": sentence, "details": ja.list(subjects)])
    }

    /// A store refusal's sentence in the language of `ja`.
    static func sentence(_ e: DomainError, ja: Bool) -> String {
        sentence(code: e.code, detail: e.message, subjects: e.subjects, english: !ja, words: ja ? I18n.allJa : I18n.allEn)
    }
}
