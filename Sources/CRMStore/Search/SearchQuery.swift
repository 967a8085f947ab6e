import CRMCore
import CRMRepositories
import Foundation

/// What the user typed into a search box, turned into an FTS5 prefix query
/// and, when it looks like part of a phone number, a digit string.
struct SearchQuery {
    let text: String
    /// `"mul"* AND "ber"*` — every word as a quoted prefix, so FTS5 operators
    /// and quotes typed by the user are taken literally.
    let ftsMatch: String?
    /// The digits of a query made only of digits and phone punctuation.
    let digits: String?

    init(_ raw: String) {
        text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" })
            .map { String($0) }
            .map { word in word.unicodeScalars.filter { $0 != "\"" && !$0.properties.isPatternWhitespace && !CharacterSet.controlCharacters.contains($0) } }
            .map { String(String.UnicodeScalarView($0)) }
            .filter { word in word.unicodeScalars.contains { CharacterSet.alphanumerics.contains($0) } }
        ftsMatch = words.isEmpty ? nil : words.map { "\"\($0)\"*" }.joined(separator: " AND ")
        let phoneChars = CharacterSet(charactersIn: "+-()./ ").union(.decimalDigits)
        if !text.isEmpty, text.unicodeScalars.allSatisfy({ phoneChars.contains($0) }) {
            let d = PhoneNumber.digits(text)
            digits = d.count >= 2 ? d : nil
        } else {
            digits = nil
        }
    }

    var isEmpty: Bool { ftsMatch == nil && digits == nil }
}
