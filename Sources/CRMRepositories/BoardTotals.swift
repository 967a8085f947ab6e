import CRMCore
import Foundation

/// What one column header sums up, for one currency: values in different
/// currencies are kept apart, never added together, and so are codes that
/// are not ISO 4217 (stored by hand or an old version), which stay as stored.
public struct CurrencyTotal: Hashable, Sendable {
    public var currency: Currency
    public var count: Int
    /// The sum of the values; nil when it is out of range (a stored value no
    /// deal may hold is among them, or the sum does not fit in Int64).
    public var sum: Money?
    /// The sum weighted by the stage's win probability (rounded to minor
    /// units); nil when the sum is out of range.
    public var weighted: Money?

    public init(currency: Currency, count: Int, sum: Money?, weighted: Money?) {
        self.currency = currency
        self.count = count
        self.sum = sum
        self.weighted = weighted
    }

    public init(currency: Currency, count: Int, sumMinor: Int64?, weightedMinor: Int64?) {
        self.init(currency: currency, count: count, sum: sumMinor.map { Money(minorUnits: $0, currency: currency) },
                  weighted: weightedMinor.map { Money(minorUnits: $0, currency: currency) })
    }
}

/// A stage column's totals: the deal count, then one line per currency
/// (largest sum first; a sum out of range first of all, so it is seen).
public struct StageTotals: Hashable, Sendable {
    public var stageID: Int64
    public var byCurrency: [CurrencyTotal]
    public init(stageID: Int64, byCurrency: [CurrencyTotal]) {
        self.stageID = stageID
        self.byCurrency = byCurrency.sorted {
            let a = $0.sum?.minorUnits ?? .max, b = $1.sum?.minorUnits ?? .max
            return a != b ? a > b : $0.currency < $1.currency
        }
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
