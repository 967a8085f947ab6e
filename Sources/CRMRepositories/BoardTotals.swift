import CRMCore
import Foundation

/// What one column header sums up, for one currency: values in different
/// currencies are kept apart, never added together.
public struct CurrencyTotal: Hashable, Sendable {
    public var currency: Currency
    public var count: Int
    public var sum: Money
    /// The sum weighted by the stage's win probability (rounded to minor units).
    public var weighted: Money

    public init(currency: Currency, count: Int, sumMinor: Int64, weightedMinor: Int64) {
        self.currency = currency
        self.count = count
        self.sum = Money(minorUnits: sumMinor, currency: currency)
        self.weighted = Money(minorUnits: weightedMinor, currency: currency)
    }
}

/// A stage column's totals: the deal count, then one line per currency
/// (largest sum first).
public struct StageTotals: Hashable, Sendable {
    public var stageID: Int64
    public var byCurrency: [CurrencyTotal]
    public init(stageID: Int64, byCurrency: [CurrencyTotal]) {
        self.stageID = stageID
        self.byCurrency = byCurrency.sorted { $0.sum.minorUnits != $1.sum.minorUnits ? $0.sum.minorUnits > $1.sum.minorUnits : $0.currency < $1.currency }
    }
    public var count: Int { byCurrency.reduce(0) { $0 + $1.count } }
    public static func empty(_ stageID: Int64) -> StageTotals { StageTotals(stageID: stageID, byCurrency: []) }
}

/// One row of a deal's stage history, with the names a screen shows.
public struct StageHistoryEntry: Hashable, Sendable {
    public var change: StageChange
    public var fromStageName: String?
    public var toStageName: String
    public var changedByLogin: String?

    public init(change: StageChange, fromStageName: String? = nil, toStageName: String, changedByLogin: String? = nil) {
        self.change = change
        self.fromStageName = fromStageName
        self.toStageName = toStageName
        self.changedByLogin = changedByLogin
    }
}

/// Keyset position in the list of closed deals (newest closed first).
public struct ClosedDealCursor: Hashable, Sendable {
    public var closedAt: Date
    public var id: Int64
    public init(closedAt: Date, id: Int64) { self.closedAt = closedAt; self.id = id }
}

extension DealCard {
    public var closedCursor: ClosedDealCursor {
        ClosedDealCursor(closedAt: deal.closedAt ?? deal.updatedAt, id: deal.id)
    }
}
