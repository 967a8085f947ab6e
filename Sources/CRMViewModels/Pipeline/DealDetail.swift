import CRMCore
import CRMRepositories
import Foundation

/// One stay of a deal in a stage: when it arrived, who moved it there, and
/// how long it stayed (up to now for the current stage).
public struct StageStay: Hashable, Sendable {
    public var stageName: String
    public var enteredAt: Date
    public var movedBy: String?
    public var seconds: TimeInterval
    public var isCurrent: Bool
}

/// Everything the deal details pane shows.
public struct DealDetail: Sendable {
    public var card: DealCard
    public var stage: Stage?
    public var stays: [StageStay]
    public var timeline: [TimelineEntry]
    public var followUps: [FollowUpRow]
    /// First timeline entry shown (the timeline scrolls on its own).
    public internal(set) var timelineTop = 0

    /// Turns the history rows into stays: each lasts until the next move, the
    /// last one until the deal closed, or until now.
    /// `closedAt`: nil for an open deal, whose last stay is current ("so
    /// far"); a closed deal's last stay ended when it closed (QA 44: a won
    /// deal read "517 d so far").
    static func stays(_ history: [StageHistoryEntry], closedAt: Date?, now: Date) -> [StageStay] {
        history.enumerated().map { i, entry in
            let end = i + 1 < history.count ? history[i + 1].change.changedAt : (closedAt ?? now)
            return StageStay(stageName: entry.toStageName, enteredAt: entry.change.changedAt, movedBy: entry.changedByLogin,
                             seconds: max(0, end.timeIntervalSince(entry.change.changedAt)),
                             isCurrent: i == history.count - 1 && closedAt == nil)
        }
    }
}
