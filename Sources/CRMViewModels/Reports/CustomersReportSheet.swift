import CRMCore
import CRMRepositories
import Foundation

/// Page 5 of the Reports view, "Customers": value per customer, lifetime
/// value, value tiers, RFM segments, retention and the customers at risk.
/// Every figure comes from `CustomerReportRepository` (SQL); this only
/// arranges them, and works out the lifetime value from its SQL-made parts.
/// The README's "Customers report" section defines each figure.
public enum CustomersReportSheet {
    /// How many customers the value list and the at-risk list show (Enter
    /// on the tier, segment and retention rows lists all of them).
    public static let listLength = 20
    /// The at-risk window: activity falls when the recent half of these
    /// days before now holds fewer interactions than the earlier half.
    public static let activityWindowDays = 90

    public static func build(_ filter: ReportFilter, repositories: any CRMRepositories,
                             settings: Settings) throws -> ReportSheet {
        let report = repositories.customerReportRepository
        let policy = ValueTierPolicy(settings: settings)
        var notes: [String] = []

        let top = try report.topCustomers(filter, policy: policy, limit: listLength)
        let tiers = try report.tiers(filter, policy: policy)
        let lifetime = try report.lifetimeValue(filter, policy: policy)
        // Segments and retention counted; Enter fetches a row's customers
        // (ReportDrillQuery), as the Pipeline page's stages do.
        let segments = try report.segmentCounts(filter, policy: policy)
        let retention = try report.retentionCounts(filter)
        let risk = try report.atRisk(filter, rules: settings.cadenceRules, windowDays: activityWindowDays, limit: listLength,
                                     withIDs: false)

        let lifespan: Double?
        if let years = settings.customerLifespanYears {
            lifespan = years
            notes.append("Expected customer lifespan: \(number(years)) years (customer_lifespan_years).")
        } else {
            let measured = try report.measuredLifespan(before: min(filter.end, filter.now))
            lifespan = measured.averageYears
            if let years = measured.averageYears {
                notes.append("Expected customer lifespan: \(number((years * 10).rounded() / 10)) years, measured from \(measured.departures) "
                             + "customer\(measured.departures == 1 ? "" : "s") who left.")
            } else {
                notes.append("No customer has left yet: the predicted lifetime value needs customer_lifespan_years in the settings.")
            }
        }
        let converted = Set(tiers.map(\.value) + top.map(\.value) + lifetime.map(\.totalValue)).filter(\.converted)
        if !converted.isEmpty {
            let rates = settings.rates.filter { $0.key != policy.currency.code }.sorted { $0.key < $1.key }
                .map { "rate.\($0.key) = \(number($0.value))" }
            notes.append("Amounts marked ≈ are converted to \(policy.currency.code) at \(rates.joined(separator: ", ")).")
        }
        if lifetime.contains(where: { $0.wonDeals > 0 }) {
            // A company's deal is each of its customers' (Value per customer),
            // so the averages weigh it once per customer (QA 31 #1).
            notes.append("Lifetime value counts a company's won deal for each of its customers, as Value per customer does: "
                         + "Avg won deal is their value ÷ their won deals.")
        }
        if risk.total > risk.rows.count {
            notes.append("\(risk.total) customers at risk; the \(risk.rows.count) most overdue are listed.")
        }

        return ReportSheet(page: .customers, sections: [
            valueSection(top),
            tierSection(tiers, policy: policy),
            lifetimeSection(lifetime, lifespan: lifespan),
            segmentSection(segments, filter: filter, policy: policy),
            retentionSection(retention, filter: filter),
            riskSection(risk.rows),
        ], notes: notes)
    }

    static func money(_ amount: ReportAmount) -> ReportValue { .money(amount.money, converted: amount.converted) }

    /// R, F and M are quintile scores 1–5: whole numbers, shown as such.
    static func valueSection(_ rows: [CustomerValueRow]) -> ReportSection {
        ReportSection(key: "customers", title: "Value per customer", columns: [
            ReportColumn(key: "customer", title: "Customer"), ReportColumn(key: "company", title: "Company"),
            ReportColumn(key: "tier", title: "Tier"), ReportColumn(key: "value", title: "Value"),
            ReportColumn(key: "won", title: "Won"), ReportColumn(key: "r", title: "R"), ReportColumn(key: "f", title: "F"),
            ReportColumn(key: "m", title: "M"), ReportColumn(key: "segment", title: "Segment"),
        ], rows: rows.map { row in
            ReportRow([.text(row.name), row.companyName.map(ReportValue.text) ?? .empty, .text(row.tier.rawValue), money(row.value),
                       .count(row.wonDeals), .count(row.recency), .count(row.frequency),
                       .count(row.monetary), .text(row.segment.title)],
                      drill: .contacts([row.contactID]))
        }, barColumn: "value")
    }

    static func tierSection(_ rows: [TierSummaryRow], policy: ValueTierPolicy) -> ReportSection {
        ReportSection(key: "tiers", title: "Value tiers (A \(number(policy.tierA)) %, B \(number(policy.tierB)) %, C the rest)", columns: [
            ReportColumn(key: "tier", title: "Tier"), ReportColumn(key: "customers", title: "Customers"),
            ReportColumn(key: "value", title: "Value"), ReportColumn(key: "share", title: "Share"),
        ], rows: everyTier(rows).map { row in
            ReportRow([.text(row.tier.rawValue), .count(row.customers), money(row.value), .percent(row.share)],
                      drill: row.customers == 0 ? nil : .contacts(row.contactIDs))
        }, barColumn: "value")
    }

    /// A, B and C for each currency the engine gave rows of, a tier no
    /// customer is in as a row of zeros, so the split reads whole (QA 31 #8).
    static func everyTier(_ rows: [TierSummaryRow]) -> [TierSummaryRow] {
        // A bucket: a currency, converted or not (the engine's bucket).
        let zero = { (row: TierSummaryRow) in ReportAmount(Money(minorUnits: 0, currency: row.value.money.currency), converted: row.value.converted) }
        var buckets: [ReportAmount] = []
        for row in rows where !buckets.contains(zero(row)) { buckets.append(zero(row)) }
        return buckets.flatMap { bucket in
            ValueTier.allCases.map { tier in
                rows.first { $0.tier == tier && zero($0) == bucket }
                    ?? TierSummaryRow(tier: tier, customers: 0, value: bucket, share: 0, contactIDs: [])
            }
        }
    }

    /// Historical CLV: the customers' value ÷ the customers. Predicted CLV:
    /// average won deal × won deals per customer per year (the 365 days to
    /// the end of the period) × expected remaining years (lifespan − the
    /// customers' average time as customers, at least 0).
    static func lifetimeSection(_ rows: [LifetimeValueInputs], lifespan: Double?) -> ReportSection {
        ReportSection(key: "lifetime", title: "Customer lifetime value", columns: [
            ReportColumn(key: "customers", title: "Customers"), ReportColumn(key: "average_deal", title: "Avg won deal"),
            ReportColumn(key: "deals_per_year", title: "Deals/year"), ReportColumn(key: "remaining_years", title: "Years left"),
            ReportColumn(key: "historical", title: "Historical CLV"), ReportColumn(key: "predicted", title: "Predicted CLV"),
        ], rows: rows.map { row in
            let currency = row.totalValue.money.currency
            let total = Double(row.totalValue.money.minorUnits)
            let average = row.wonDeals > 0 ? total / Double(row.wonDeals) : nil
            let perYear = row.customers > 0 ? Double(row.wonDealsLastYear) / Double(row.customers) : nil
            let remaining = lifespan.map { max(0, $0 - row.averageTenureYears) }
            func amount(_ minor: Double?) -> ReportValue {
                guard let minor, minor.isFinite else { return .empty }
                return .money(Money(minorUnits: Int64(minor.rounded()), currency: currency), converted: row.totalValue.converted)
            }
            let predicted: Double? = if let average, let perYear, let remaining { average * perYear * remaining } else { nil }
            return ReportRow([.count(row.customers), amount(average), .number(perYear), .number(remaining),
                              amount(row.customers > 0 ? total / Double(row.customers) : nil), amount(predicted)])
        })
    }

    /// Counted; Enter fetches a segment's customers (ReportDrillQuery.segmentCustomers).
    static func segmentSection(_ rows: [SegmentSummaryRow], filter: ReportFilter, policy: ValueTierPolicy) -> ReportSection {
        let all = rows.reduce(0) { $0 + $1.customers }
        return ReportSection(key: "rfm", title: "RFM segments", columns: [
            ReportColumn(key: "segment", title: "Segment"), ReportColumn(key: "customers", title: "Customers"),
            ReportColumn(key: "share", title: "Share"),
        ], rows: rows.map { row in
            ReportRow([.text(row.segment.title), .count(row.customers), .percent(all > 0 ? Double(row.customers) / Double(all) : nil)],
                      drill: row.customers == 0 ? nil : .counted(.segmentCustomers(filter, policy: policy, segment: row.segment)))
        }, barColumn: "customers")
    }

    /// Counted; Enter fetches a row's customers (ReportDrillQuery.retention).
    static func retentionSection(_ r: RetentionCounts, filter: ReportFilter) -> ReportSection {
        func line(_ title: String, _ count: Int, _ part: RetentionPart) -> ReportRow {
            ReportRow([.text(title), .count(count)], drill: count == 0 ? nil : .counted(.retention(filter, part: part)))
        }
        return ReportSection(key: "retention", title: "Retention", columns: [
            ReportColumn(key: "figure", title: "Customers"), ReportColumn(key: "value", title: "Number"),
        ], rows: [
            line("At the start of the period", r.atStart, .atStart),
            line("Still customers at its end", r.retained, .retained),
            line("No longer customers", r.lost, .lost),
            line("New customers", r.gained, .gained),
            ReportRow([.text("Retention rate"), .percent(r.rate)], isTotal: true),
        ])
    }

    static func riskSection(_ rows: [AtRiskRow]) -> ReportSection {
        ReportSection(key: "at_risk", title: "At risk: past their cadence, activity falling", columns: [
            ReportColumn(key: "customer", title: "Customer"), ReportColumn(key: "tier", title: "Tier"),
            ReportColumn(key: "last_contact", title: "Last contact"), ReportColumn(key: "cadence", title: "Cadence"),
            ReportColumn(key: "overdue", title: "Overdue"), ReportColumn(key: "earlier", title: "Earlier"),
            ReportColumn(key: "recent", title: "Recent"),
        ], rows: rows.map { row in
            ReportRow([.text(row.name), row.tier.map { .text($0.rawValue) } ?? .empty, .date(row.lastTouch),
                       .days(Double(row.cadenceDays)), .days(Double(row.daysOverdue)), .count(row.earlier), .count(row.recent)],
                      drill: .contacts([row.contactID]))
        }, barColumn: "overdue")
    }

    static func number(_ value: Double) -> String { SettingsFile.number(value) }
}
