import CRMCore
import Foundation

/// A stretch of time a report counts in, start inclusive, end exclusive: a
/// week or month of the period, or one of the last twelve weeks.
public struct ReportBucket: Hashable, Sendable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// The deals won and lost in one bucket, in one currency (amounts of
/// different currencies are never added together).
public struct ClosedDealTally: Equatable, Sendable {
    /// The index of the bucket in the list asked for.
    public var bucket: Int
    public var currency: Currency
    public var won: Int
    public var wonMinor: Int64
    public var lost: Int
    public var lostMinor: Int64
    /// The deals counted, won then lost, by id.
    public var wonIDs: [Int64]
    public var lostIDs: [Int64]

    public init(bucket: Int, currency: Currency, won: Int = 0, wonMinor: Int64 = 0, lost: Int = 0, lostMinor: Int64 = 0,
                wonIDs: [Int64] = [], lostIDs: [Int64] = []) {
        self.bucket = bucket
        self.currency = currency
        self.won = won
        self.wonMinor = wonMinor
        self.lost = lost
        self.lostMinor = lostMinor
        self.wonIDs = wonIDs
        self.lostIDs = lostIDs
    }
}

/// Days from creation to close of the deals won in the period.
public struct SalesCycle: Equatable, Sendable {
    public var wonDeals: Int
    /// The median (the mean of the two middle values for an even count); nil without won deals.
    public var medianDays: Double?
    /// The 90th percentile by nearest rank (the ⌈0.9 n⌉-th smallest); nil without won deals.
    public var p90Days: Double?
    public var dealIDs: [Int64]

    public init(wonDeals: Int, medianDays: Double?, p90Days: Double?, dealIDs: [Int64]) {
        self.wonDeals = wonDeals
        self.medianDays = medianDays
        self.p90Days = p90Days
        self.dealIDs = dealIDs
    }
}

/// One lost reason as typed when closing (blank: "(no reason)"), with the
/// deals lost for it in the period.
public struct LostReasonTally: Equatable, Sendable {
    public var reason: String
    public var deals: Int
    public var dealIDs: [Int64]

    public init(reason: String, deals: Int, dealIDs: [Int64]) {
        self.reason = reason
        self.deals = deals
        self.dealIDs = dealIDs
    }
}

/// The figures of the "Won and lost" report page, computed by the engine
/// (SQL over indexes, never by loading deals). Every method counts the deals
/// the filter lets through: not deleted, of its pipelines, owners and currency.
public protocol WinLossReportRepository: AnyObject {
    /// Deals won or lost (by `closed_at`) in each of `buckets`, per currency;
    /// buckets and currencies without a deal are left out. The buckets, not
    /// the filter's period, say which time is counted.
    func closedTallies(_ filter: ReportFilter, buckets: [ReportBucket]) throws -> [ClosedDealTally]
    /// The sales cycle of the deals won in the filter's period.
    func salesCycle(_ filter: ReportFilter) throws -> SalesCycle
    /// The reasons of the deals lost in the period, most deals first (then by reason).
    func lostReasons(_ filter: ReportFilter) throws -> [LostReasonTally]
    /// The deals open now, per currency.
    func openDeals(_ filter: ReportFilter) throws -> [Currency: Int]
}
