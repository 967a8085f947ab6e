import Foundation

/// When something logged happened (a call, a note): read like a due date but
/// looking back ("fri" is the last Friday), and never later than now. The
/// screen's "When" field and `crm log --at` read it here, so they accept and
/// refuse the same times with the same sentences.
extension DueDateParser {
    /// `text` as a logged time; `spell` writes the time understood into a
    /// refusal (the screen shows it in the user's digits).
    public func loggedTime(_ text: String, now: Date, spell: (String) -> String = { $0 }) -> Result<DueDate, DueDateError> {
        var parser = self
        parser.looksBack = true
        switch parser.parse(text, now: now) {
        case .failure(let error):
            return .failure(DueDateError(message: error.message.replacingOccurrences(of: "a due date", with: "a time")))
        case .success(let when):
            // A minute of slack: "15:00" typed at 14:59:30 is this call.
            guard when.date <= now.addingTimeInterval(60) else {
                return .failure(DueDateError(message: "\"\(text)\" is \(spell(when.description)), in the future; "
                                             + "log what happened (a follow-up is for what is to come)"))
            }
            return .success(when)
        }
    }
}
