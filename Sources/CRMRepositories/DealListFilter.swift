import CRMCore
import Foundation

/// Which deals `crm deals` lists: nil or empty fields do not filter.
public struct DealListFilter: Hashable, Sendable {
    public var pipelineID: Int64?
    /// Any of these stages (a stage name can name one stage in each pipeline).
    public var stageIDs: Set<Int64>
    public var status: DealStatus?
    public var ownerID: Int64?

    public init(pipelineID: Int64? = nil, stageIDs: Set<Int64> = [], status: DealStatus? = nil, ownerID: Int64? = nil) {
        self.pipelineID = pipelineID; self.stageIDs = stageIDs; self.status = status; self.ownerID = ownerID
    }
}
