import CRMCore
import CRMRepositories
import Foundation

/// One call, logged twice (QA 30 #13): the README's softphone set-up opens
/// the call card with `crm --call` when it rings and runs `crm log --phone`
/// when it hangs up, so the hook logs the call while the card is still
/// open, and the card's Ctrl-S would log it again (or the other way round,
/// when the note is saved first). Whichever comes second finds the first
/// and completes it instead of adding a row: the card adds its note and
/// outcome to the hook's call, the hook gives its measured duration to the
/// card's.
public enum CallPairing {
    /// How long before a hook's report its call may have started.
    static let slack: TimeInterval = 120

    /// A live call of this contact, direction and author: what both sides
    /// look for before their own conditions.
    static func isCall(_ i: Interaction, contactID: Int64, direction: Direction?, authorID: Int64) -> Bool {
        i.kind == .call && i.contactID == contactID && i.direction == direction && i.authorID == authorID && i.deletedAt == nil
    }

    /// The call the card that started at `cardStarted` and is saved now
    /// should complete: one the hook logged for the same contact, direction
    /// and author since the card opened (a call of a minute before, hung up
    /// before this one rang, is not it), with no note of its own.
    public static func hookCall(among recent: [Interaction], contactID: Int64, direction: Direction?, authorID: Int64,
                                cardStarted: Date) -> Interaction? {
        recent.first { isCall($0, contactID: contactID, direction: direction, authorID: authorID) && $0.createdAt >= cardStarted && $0.body.isEmpty }
    }

    /// The call a hook's report that reached `now` after a call of
    /// `duration` (nil: not said) should complete: one the card logged for
    /// the same contact, direction and author, started within that call,
    /// and saved within the last minutes, no hook's report on it yet (the
    /// card logs no subject; the README's hook gives one); the hook's
    /// duration goes to it. A report that says when its call was
    /// (`reportedAt`, `crm log --at`) is about that call: the card's must
    /// have started within the slack of it, so a call logged afterwards for
    /// another day is a call of its own, not this one's (QA 43 #3).
    public static func cardCall(among recent: [Interaction], contactID: Int64, direction: Direction?, authorID: Int64,
                                duration: Int?, now: Date, reportedAt: Date? = nil) -> Interaction? {
        let callStart = now.addingTimeInterval(-TimeInterval(duration ?? 0) - slack)
        return recent.first { call in
            isCall(call, contactID: contactID, direction: direction, authorID: authorID) && call.subject.isEmpty
                && call.occurredAt >= callStart && call.occurredAt <= now
                && call.createdAt >= now.addingTimeInterval(-TimeInterval(duration ?? 0) - 10 * 60)
                && (reportedAt.map { abs($0.timeIntervalSince(call.occurredAt)) <= slack + TimeInterval(duration ?? 0) } ?? true)
        }
    }

    /// The newest calls of a contact, as both sides look for each other.
    public static func recentCalls(of contactID: Int64, in repositories: any CRMRepositories) throws -> [Interaction] {
        try repositories.interactionRepository.timeline(.contact(contactID), before: nil, limit: 10).map(\.interaction)
    }
}
