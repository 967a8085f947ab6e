import Foundation

/// What deleting a stage did, kept so that undo can take exactly that back.
public struct StageDeletion: Hashable, Sendable {
    public var stageID: Int64
    public var stageName: String
    public var targetStageID: Int64
    /// Each deal the delete moved, with the version the move gave it.
    public var moved: [MovedDeal]

    public struct MovedDeal: Hashable, Sendable {
        public var dealID: Int64
        public var version: Int64
        /// When it had entered the deleted stage: undo gives it back.
        public var stageEnteredAt: Date
        /// Open then (won and lost deals move with their stage too).
        public var wasOpen: Bool
        public init(dealID: Int64, version: Int64, stageEnteredAt: Date, wasOpen: Bool) {
            self.dealID = dealID; self.version = version; self.stageEnteredAt = stageEnteredAt; self.wasOpen = wasOpen
        }
    }

    /// How many open deals the delete moved: what its question counted.
    public var openMoved: Int { moved.filter(\.wasOpen).count }

    public init(stageID: Int64, stageName: String, targetStageID: Int64, moved: [MovedDeal]) {
        self.stageID = stageID; self.stageName = stageName; self.targetStageID = targetStageID; self.moved = moved
    }
}

/// What taking a stage delete back did.
public struct StageRestore: Hashable, Sendable {
    /// Deals moved back into the restored stage.
    public var movedBack: Int
    /// Deals left where they are, because someone moved or changed them since.
    public var kept: Int
    public init(movedBack: Int, kept: Int) { self.movedBack = movedBack; self.kept = kept }
}
