import Foundation

/// Where a deal stands: still in the pipeline, or closed.
public enum DealStatus: String, CaseIterable, Sendable, Codable {
    case open, won, lost
}

/// A sales opportunity moving through a pipeline.
public struct Deal: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var pipelineID: Int64
    public var stageID: Int64
    public var title: String
    public var value: Money
    public var expectedClose: Date?
    public var ownerID: Int64?
    public var contactID: Int64?
    public var companyID: Int64?
    public var status: DealStatus
    public var lostReason: String
    /// When the deal entered its current stage: the start of "days in stage".
    public var stageEnteredAt: Date
    /// Order within its stage's column on the board (smaller first).
    public var position: Double
    public var createdAt: Date
    public var updatedAt: Date
    public var closedAt: Date?
    public var deletedAt: Date?
    public var version: Int64

    public init(id: Int64 = 0, pipelineID: Int64, stageID: Int64, title: String, value: Money,
                expectedClose: Date? = nil, ownerID: Int64? = nil, contactID: Int64? = nil, companyID: Int64? = nil,
                status: DealStatus = .open, lostReason: String = "", stageEnteredAt: Date = Date(), position: Double = 0,
                createdAt: Date = Date(), updatedAt: Date = Date(), closedAt: Date? = nil, deletedAt: Date? = nil,
                version: Int64 = 0) {
        self.id = id; self.pipelineID = pipelineID; self.stageID = stageID; self.title = title; self.value = value
        self.expectedClose = expectedClose; self.ownerID = ownerID; self.contactID = contactID
        self.companyID = companyID; self.status = status; self.lostReason = lostReason
        self.stageEnteredAt = stageEnteredAt; self.position = position; self.createdAt = createdAt
        self.updatedAt = updatedAt; self.closedAt = closedAt; self.deletedAt = deletedAt; self.version = version
    }

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(title, "title", max: 200, into: &errors)
        if !value.isInRange {
            errors.append(FieldError("value", "is \(value.formatted()); expected 0 to \(Money.maximum(value.currency).formatted())"))
        }
        if !value.currency.isKnown {
            errors.append(FieldError("currency", "\"\(value.currency.code)\" is not an ISO 4217 currency code; expected e.g. EUR, USD, GBP, JPY"))
        }
        if status == .lost && lostReason.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError("lost reason", "is required when a deal is lost"))
        }
        Check.length(lostReason, "lost reason", max: 200, into: &errors)
        return errors
    }
}

/// One move of a deal from a stage to another.
public struct StageChange: Hashable, Sendable {
    public var dealID: Int64
    public var fromStageID: Int64?
    public var toStageID: Int64
    public var changedAt: Date
    public var changedBy: Int64?

    public init(dealID: Int64, fromStageID: Int64?, toStageID: Int64, changedAt: Date, changedBy: Int64?) {
        self.dealID = dealID; self.fromStageID = fromStageID; self.toStageID = toStageID
        self.changedAt = changedAt; self.changedBy = changedBy
    }
}
