import CRMCore
import CRMRepositories
import Foundation

/// Amounts in several currencies, never added together: summed per
/// currency, and converted into the default currency only with the rates of
/// the settings (`rate.USD = 0.92`), the result marked as converted.
enum ReportMoney {
    /// `sums` added per currency (checked: a sum that does not fit is out of
    /// range, nil), in currency order.
    static func perCurrency(_ sums: [DealSum]) -> [DealSum] {
        var byCode: [Currency: DealSum] = [:]
        for s in sums {
            guard var total = byCode[s.currency] else { byCode[s.currency] = s; continue }
            total.count += s.count
            total.sum = add(total.sum, s.sum)
            total.weighted = add(total.weighted, s.weighted)
            total.dealIDs += s.dealIDs
            byCode[s.currency] = total
        }
        return byCode.values.sorted { $0.currency < $1.currency }.map { var s = $0; s.dealIDs.sort(); return s }
    }

    static func add(_ a: Money?, _ b: Money?) -> Money? {
        guard let a, let b else { return nil }
        let (sum, overflow) = a.minorUnits.addingReportingOverflow(b.minorUnits)
        return overflow ? nil : Money(minorUnits: sum, currency: a.currency)
    }

    /// The total of `totals` (one per currency, as `perCurrency` makes
    /// them) in the default currency, or nil when there is nothing to add up
    /// (a single currency) or a currency has no rate (named in `missing`).
    /// The arithmetic and the rates are ReportMoneyConversion's, the one
    /// conversion every report page uses.
    static func converted(_ totals: [DealSum], settings: Settings) -> (total: DealSum?, missing: [String]) {
        // One currency has its own total already: nothing to add up.
        guard Currency(settings.currency) != nil, totals.count > 1 else { return (nil, []) }
        let conversion = ReportMoneyConversion(settings: settings)
        let missing = totals.map(\.currency).filter { conversion.rate($0) == nil }.map(\.code)
        guard missing.isEmpty else { return (nil, missing) }
        func convert(_ pick: (DealSum) -> Money?) -> Money? {
            var amounts: [Currency: Int64] = [:]
            for t in totals {
                guard let m = pick(t) else { return nil }
                amounts[t.currency] = m.minorUnits
            }
            // A converted total beyond what a deal may hold is out of range too.
            guard let total = conversion.total(amounts), total.minorUnits <= Money.maxMinorUnits else { return nil }
            return total
        }
        return (DealSum(currency: conversion.target, count: totals.reduce(0) { $0 + $1.count }, sum: convert(\.sum),
                        weighted: convert(\.weighted), dealIDs: totals.flatMap(\.dealIDs).sorted()), [])
    }

    /// A figure's amount as a value of the sheet (out of range: empty, with
    /// a note from the caller).
    static func value(_ money: Money?, converted: Bool = false) -> ReportValue {
        money.map { .money($0, converted: converted) } ?? .text("out of range")
    }

    /// The note under a page that has converted totals, or says why not.
    static func notes(converted: [DealSum], missing: Set<String>, settings: Settings) -> [String] {
        var notes: [String] = []
        let used = Set(converted.map(\.currency.code)).subtracting([settings.currency]).sorted()
        if !used.isEmpty {
            let rates = used.compactMap { code in settings.rates[code].map { "rate.\(code) = \($0)" } }
            notes.append("≈ converted into \(settings.currency) with \(rates.joined(separator: ", ")) from the settings.")
        }
        if !missing.isEmpty {
            let codes = missing.sorted()
            notes.append("Currencies are shown apart: set \(codes.map { "rate.\($0)" }.joined(separator: ", ")) in the settings for a total in \(settings.currency).")
        }
        return notes
    }
}
