import CRMCore
import Foundation

/// How value tiers and converted totals are worked out: the tiers' shares
/// and the exchange rates of the settings. The store keeps each customer's
/// tier with the policy of the database's opener (see `Database.valueTierPolicy`);
/// the Customers report works its own out with the reader's.
public struct ValueTierPolicy: Hashable, Sendable {
    /// Tier A: the customers making the first `tierA` percent of won value.
    public var tierA: Double
    /// Tier B: the next `tierB` percent; C the rest.
    public var tierB: Double
    /// The settings' default currency: what converted amounts are in.
    public var currency: Currency
    /// One unit of a currency (key: ISO code) in the default currency.
    public var rates: [String: Double]

    public init(tierA: Double = 80, tierB: Double = 15, currency: Currency = .eur, rates: [String: Double] = [:]) {
        self.tierA = tierA
        self.tierB = tierB
        self.currency = currency
        self.rates = rates
    }

    public init(settings: Settings) {
        self.init(tierA: settings.tierA, tierB: settings.tierB,
                  currency: Currency(settings.currency) ?? .eur, rates: settings.rates)
    }

    /// The policy as one text, to notice tiers made with another one:
    /// "A=80;B=15;EUR;USD=0.92".
    public var key: String {
        (["A=\(tierA)", "B=\(tierB)", currency.code] + rates.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .joined(separator: ";")
    }

    /// Minor units of the default currency per minor unit of each
    /// currency that has a rate (the default currency itself: 1), so an
    /// amount converts as `value_minor × factor`: 1.00 USD (100 minor units)
    /// at rate.USD = 0.92 → 92 EUR cents; 100 JPY (no minor unit) at
    /// rate.JPY = 0.0062 → 62 EUR cents.
    public var minorFactors: [String: Double] {
        var factors = [currency.code: 1.0]
        for (code, rate) in rates where code != currency.code {
            let digits = Currency(stored: code).minorDigits
            factors[code] = rate * pow(10, Double(currency.minorDigits - digits))
        }
        return factors
    }
}

/// RFM segment names (recency, frequency, monetary quintiles 1–5, 5 best):
/// - champions: R ≥ 4, F ≥ 4 and M ≥ 4;
/// - loyal: R ≥ 3 and F ≥ 3 (and not champions);
/// - at risk: R ≤ 2 and F ≥ 3 (often in touch before, not lately);
/// - lost: R = 1 and F ≤ 2;
/// - hibernating: the rest (seldom in touch, F ≤ 2, not yet lost).
public enum RFMSegment: String, CaseIterable, Sendable {
    case champions, loyal, atRisk = "at_risk", hibernating, lost

    public var title: String {
        switch self {
        case .champions: "Champions"
        case .loyal: "Loyal"
        case .atRisk: "At risk"
        case .hibernating: "Hibernating"
        case .lost: "Lost"
        }
    }

    public static func of(r: Int, f: Int, m: Int) -> RFMSegment {
        if r >= 4 && f >= 4 && m >= 4 { return .champions }
        if r >= 3 && f >= 3 { return .loyal }
        if r <= 2 && f >= 3 { return .atRisk }
        if r == 1 { return .lost }
        return .hibernating
    }
}

/// An amount in one currency, or converted to the default one.
public struct ReportAmount: Hashable, Sendable {
    public var money: Money
    /// True when the amount was converted with the settings' rates.
    public var converted: Bool
    public init(_ money: Money, converted: Bool) { self.money = money; self.converted = converted }
}

/// One customer on the Customers page: value (won deals of the customer and
/// of their company, to the end of the period) in one currency, tier and
/// RFM scores.
public struct CustomerValueRow: Hashable, Sendable {
    public var contactID: Int64
    public var name: String
    public var companyName: String?
    public var value: ReportAmount
    public var wonDeals: Int
    public var tier: ValueTier
    public var recency: Int
    public var frequency: Int
    public var monetary: Int
    public var segment: RFMSegment { RFMSegment.of(r: recency, f: frequency, m: monetary) }

    public init(contactID: Int64, name: String, companyName: String?, value: ReportAmount, wonDeals: Int, tier: ValueTier,
                recency: Int, frequency: Int, monetary: Int) {
        self.contactID = contactID; self.name = name; self.companyName = companyName; self.value = value
        self.wonDeals = wonDeals; self.tier = tier; self.recency = recency; self.frequency = frequency; self.monetary = monetary
    }
}

/// The customers of one tier in one currency (bucket).
public struct TierSummaryRow: Hashable, Sendable {
    public var tier: ValueTier
    public var customers: Int
    public var value: ReportAmount
    /// The tier's share of the bucket's whole value (0…1).
    public var share: Double
    public var contactIDs: [Int64]
    public init(tier: ValueTier, customers: Int, value: ReportAmount, share: Double, contactIDs: [Int64]) {
        self.tier = tier; self.customers = customers; self.value = value; self.share = share; self.contactIDs = contactIDs
    }
}

/// The customers of one RFM segment.
public struct SegmentSummaryRow: Hashable, Sendable {
    public var segment: RFMSegment
    public var customers: Int
    public var contactIDs: [Int64]
    public init(segment: RFMSegment, customers: Int, contactIDs: [Int64]) {
        self.segment = segment; self.customers = customers; self.contactIDs = contactIDs
    }
}

/// Lifetime value inputs for one currency (bucket): what the historical
/// and predicted customer lifetime values are made of.
public struct LifetimeValueInputs: Hashable, Sendable {
    /// Σ value of the customers with value, and how many they are.
    public var totalValue: ReportAmount
    public var customersWithValue: Int
    /// Won deals counted in the value (all, to the end of the period).
    public var wonDeals: Int
    /// Won deals closed in the 365 days before the end of the period.
    public var wonDealsLastYear: Int
    /// Every current customer of the filter (the "per customer" divisor).
    public var customers: Int
    /// Average years since the customers became customers (to the end).
    public var averageTenureYears: Double
    public init(totalValue: ReportAmount, customersWithValue: Int, wonDeals: Int, wonDealsLastYear: Int, customers: Int,
                averageTenureYears: Double) {
        self.totalValue = totalValue; self.customersWithValue = customersWithValue; self.wonDeals = wonDeals
        self.wonDealsLastYear = wonDealsLastYear; self.customers = customers; self.averageTenureYears = averageTenureYears
    }
}

/// The average customer lifespan measured from the lifecycle history.
public struct MeasuredLifespan: Hashable, Sendable {
    /// Average years from becoming a customer to becoming a former one;
    /// nil when nobody has left yet.
    public var averageYears: Double?
    /// How many customer → former changes it is made of.
    public var departures: Int
    public init(averageYears: Double?, departures: Int) { self.averageYears = averageYears; self.departures = departures }
}

/// Retention over the period, from the lifecycle history.
public struct RetentionFigures: Hashable, Sendable {
    /// Customers at the start of the period (customer just before `start`).
    public var atStart: [Int64]
    /// Of those, still customers at the end (just before `end`).
    public var retained: [Int64]
    /// Of those, no longer customers at the end.
    public var lost: [Int64]
    /// Customers at the end that were not at the start.
    public var gained: [Int64]
    public var rate: Double? { atStart.isEmpty ? nil : Double(retained.count) / Double(atStart.count) }
    public init(atStart: [Int64], retained: [Int64], lost: [Int64], gained: [Int64]) {
        self.atStart = atStart; self.retained = retained; self.lost = lost; self.gained = gained
    }
}

/// Retention's counts without the ids: what the page shows (at 100,000
/// contacts the ids are 30,000 customers at the start and as many
/// retained); Enter asks `retentionCustomers` for a row's.
public struct RetentionCounts: Hashable, Sendable {
    public var atStart: Int
    public var retained: Int
    public var lost: Int
    public var gained: Int
    public var rate: Double? { atStart == 0 ? nil : Double(retained) / Double(atStart) }
    public init(atStart: Int, retained: Int, lost: Int, gained: Int) {
        self.atStart = atStart; self.retained = retained; self.lost = lost; self.gained = gained
    }
    public init(_ figures: RetentionFigures) {
        self.init(atStart: figures.atStart.count, retained: figures.retained.count, lost: figures.lost.count,
                  gained: figures.gained.count)
    }
}

/// A row of retention, whose customers Enter lists.
public enum RetentionPart: Hashable, Sendable, CaseIterable {
    case atStart, retained, lost, gained
    /// This row's ids among all of retention's.
    public func ids(_ figures: RetentionFigures) -> [Int64] {
        switch self {
        case .atStart: figures.atStart
        case .retained: figures.retained
        case .lost: figures.lost
        case .gained: figures.gained
        }
    }
}

/// A customer past their cadence whose activity is falling.
public struct AtRiskRow: Hashable, Sendable {
    public var contactID: Int64
    public var name: String
    public var lastTouch: Date
    public var cadenceDays: Int
    /// Days since the contact fell due (last touch + cadence).
    public var daysOverdue: Int
    /// Interactions in the earlier and the recent half of the window.
    public var earlier: Int
    public var recent: Int
    public var tier: ValueTier?
    public init(contactID: Int64, name: String, lastTouch: Date, cadenceDays: Int, daysOverdue: Int, earlier: Int, recent: Int,
                tier: ValueTier?) {
        self.contactID = contactID; self.name = name; self.lastTouch = lastTouch; self.cadenceDays = cadenceDays
        self.daysOverdue = daysOverdue; self.earlier = earlier; self.recent = recent; self.tier = tier
    }
}

/// The figures of the Customers report page (page 5), computed in SQL.
///
/// "Customers" are the contacts whose lifecycle is customer (not deleted),
/// of the filter's owners (empty: everyone's). A customer's value is the
/// sum of the won deals of the customer and of the customer's company
/// (each deal once), closed before the end of the period, in the filter's
/// pipelines and currency; currencies are kept apart unless the policy has
/// a rate for them. Tiers and RFM quintiles rank every customer (not only
/// the filter's owners'), so a customer's tier does not change with who
/// looks; the owners filter chooses whom the figures count.
public protocol CustomerReportRepository: AnyObject {
    /// The customers with the most value, at most `limit`, best first.
    func topCustomers(_ filter: ReportFilter, policy: ValueTierPolicy, limit: Int) throws -> [CustomerValueRow]
    /// Customers and value per tier and currency.
    func tiers(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [TierSummaryRow]
    /// Customers per RFM segment.
    func segments(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [SegmentSummaryRow]
    /// The same, counted: every segment in `RFMSegment.allCases` order with
    /// `contactIDs` empty (the page; scoring every customer is needed for
    /// the counts, listing 35,000 ids at 100,000 contacts is not).
    func segmentCounts(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [SegmentSummaryRow]
    /// The customers of one segment, ids ascending: that segment's
    /// `contactIDs` of `segments` (Enter on its row).
    func segmentCustomers(_ filter: ReportFilter, policy: ValueTierPolicy, segment: RFMSegment) throws -> [Int64]
    /// What the lifetime values are made of, per currency.
    func lifetimeValue(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [LifetimeValueInputs]
    /// The average time from customer to former customer, of departures
    /// before `before`.
    func measuredLifespan(before: Date) throws -> MeasuredLifespan
    func retention(_ filter: ReportFilter) throws -> RetentionFigures
    /// The same figures counted, without the ids (the page).
    func retentionCounts(_ filter: ReportFilter) throws -> RetentionCounts
    /// The customers of one row of retention, ids ascending: that part of
    /// `retention` (Enter on its row).
    func retentionCustomers(_ filter: ReportFilter, part: RetentionPart) throws -> [Int64]
    /// Customers past their cadence (the contact's own, else the shortest
    /// of `rules` that applies) with fewer interactions in the recent half
    /// of the `windowDays` before `filter.now` than in the earlier half;
    /// most overdue first, at most `limit`, and how many there are.
    func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int) throws -> (rows: [AtRiskRow], total: Int, ids: [Int64])
    /// The same list without the ids of every customer at risk (`ids`
    /// empty): what the page shows, the most overdue and how many there are
    /// (10,000 customers at risk at 100,000 contacts, of which it lists 20).
    func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int, withIDs: Bool) throws
        -> (rows: [AtRiskRow], total: Int, ids: [Int64])
    /// The stored tier of a contact (nil: none, or a file older than the tiers).
    func valueTier(contactID: Int64) throws -> ValueTier?
    /// Works every stored tier out anew with `policy` (one write transaction).
    func recomputeValueTiers(policy: ValueTierPolicy) throws
}
