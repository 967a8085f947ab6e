import Foundation

/// When something logged happened (a call, a note): read like a due date but
/// looking back, and never later than now. The screen's "When" field and
/// `crm log --at` refuse the same times with the same sentence.
extension DueDate {
    /// Later than now allows, with a minute of slack: "15:00" typed at
    /// 14:59:30 is this call.
    public func isInTheFuture(now: Date) -> Bool { date > now.addingTimeInterval(60) }

    /// What follows "'+2h' is Mon 30 Nov 2026 16:00, " when a logged time is in the future.
    public static let futureRefusal = "in the future; log what happened (a follow-up is for what is to come)"
}
