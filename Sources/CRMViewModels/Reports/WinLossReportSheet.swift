import CRMCore
import CRMRepositories
import Foundation

/// Report page 3, "Won and lost": what was won and lost in the period, how
/// fast, and why deals were lost. Every figure comes from
/// `WinLossReportRepository` (SQL over indexes); this type only divides and
/// lays the figures out. Amounts of different currencies are never added:
/// one row per currency, and a total converted with the settings' rates
/// (marked converted) only when every currency has one.
public enum WinLossReportSheet {
    public static func build(_ filter: ReportFilter, repositories: any CRMRepositories,
                             settings: Settings) throws -> ReportSheet {
        let repo = repositories.winLossReportRepository
        let calendar = settings.effectiveCalendar
        let conversion = ReportMoneyConversion(settings: settings)
        let periods = ReportPeriodBuckets(start: filter.start, end: filter.end, calendar: calendar)
        // The buckets cover the period exactly: the period's totals are their sums.
        let byBucket = try repo.closedTallies(filter, buckets: periods.buckets)
        let whole = Self.sumOverBuckets(byBucket)
        let cycle = try repo.salesCycle(filter)
        let open = try repo.openDeals(filter)
        var notes: [String] = []

        let totals = totalsSection(whole, open: open, cycle: cycle, conversion: conversion, shownWhenNone: filter.currency ?? conversion.target,
                                   notes: &notes)
        let cycleSection = ReportSection(
            key: "cycle", title: "Sales cycle of the deals won (days from creation to close)",
            columns: [ReportColumn(key: "won", title: "Won"), ReportColumn(key: "median", title: "Median"),
                      ReportColumn(key: "p90", title: "90th percentile")],
            rows: [ReportRow([.count(cycle.wonDeals), .days(cycle.medianDays), .days(cycle.p90Days)],
                             drill: cycle.dealIDs.isEmpty ? nil : .deals(cycle.dealIDs))])

        let currencies = Set(whole.map(\.currency)).sorted()
        let shown = currencies.isEmpty ? [filter.currency ?? conversion.target] : currencies
        var periodRows: [ReportRow] = []
        for (i, bucket) in periods.buckets.enumerated() {
            for currency in shown {
                let t = byBucket.first { $0.bucket == i && $0.currency == currency } ?? ClosedDealTally(bucket: i, currency: currency)
                periodRows.append(ReportRow([periods.label(bucket), .text(currency.code), .count(t.won), money(t.wonMinor, currency),
                                             .count(t.lost), money(t.lostMinor, currency), .percent(rate(t.won, t.lost))],
                                            drill: drill(t.wonIDs + t.lostIDs)))
            }
        }
        let periodSection = ReportSection(
            key: "periods", title: periods.unit == .week ? "By week" : "By month",
            columns: [ReportColumn(key: "period", title: periods.unit == .week ? "Week" : "Month"),
                      ReportColumn(key: "currency", title: "Currency"), ReportColumn(key: "won", title: "Won"),
                      ReportColumn(key: "won_value", title: "Value won"), ReportColumn(key: "lost", title: "Lost"),
                      ReportColumn(key: "lost_value", title: "Value lost"), ReportColumn(key: "win_rate", title: "Win rate")],
            rows: periodRows, barColumn: "won")

        // Won per week over the last twelve weeks up to the period's end
        // (or now, if the period runs on into the future).
        let lastDay = min(filter.end.addingTimeInterval(-1), filter.now)
        let weeks = ReportPeriodBuckets.lastTwelveWeeks(through: lastDay, calendar: calendar)
        let weekly = try repo.closedTallies(filter, buckets: weeks)
        let weekRows = weeks.enumerated().map { i, week -> ReportRow in
            let ids = weekly.filter { $0.bucket == i }.flatMap(\.wonIDs).sorted()
            return ReportRow([.date(week.start), .count(ids.count)], drill: drill(ids))
        }
        let weekSection = ReportSection(
            key: "won_weeks", title: "Won per week, last 12 weeks",
            columns: [ReportColumn(key: "week", title: "Week"), ReportColumn(key: "won", title: "Won")],
            rows: weekRows, sparkline: weekRows.map { $0.values[1].magnitude ?? 0 })

        let reasons = try repo.lostReasons(filter)
        let lostCount = reasons.reduce(0) { $0 + $1.deals }
        let reasonSection = ReportSection(
            key: "reasons", title: "Lost reasons",
            columns: [ReportColumn(key: "reason", title: "Reason"), ReportColumn(key: "lost", title: "Lost"),
                      ReportColumn(key: "share", title: "Share")],
            rows: reasons.map {
                ReportRow([.text($0.reason.isEmpty ? "(no reason)" : $0.reason), .count($0.deals),
                           .percent(lostCount == 0 ? nil : Double($0.deals) / Double(lostCount))], drill: drill($0.dealIDs))
            }, barColumn: "lost")
        if whole.isEmpty { notes.append("No deal was won or lost in the period.") }
        return ReportSheet(page: .winloss, sections: [totals, cycleSection, periodSection, weekSection, reasonSection], notes: notes)
    }

    /// One row per currency (won, lost, win rate, average won deal, open
    /// deals, velocity), and a total when there are several currencies;
    /// with no deal at all, a row of zeros in `shownWhenNone` (the
    /// currency filter's, else the default), as the weeks below it (QA 31 #9).
    static func totalsSection(_ tallies: [ClosedDealTally], open: [Currency: Int], cycle: SalesCycle,
                              conversion: ReportMoneyConversion, shownWhenNone: Currency, notes: inout [String]) -> ReportSection {
        let found = Set(tallies.map(\.currency)).union(open.keys).sorted()
        let currencies = found.isEmpty ? [shownWhenNone] : found
        var rows: [ReportRow] = []
        for currency in currencies {
            let t = tallies.first { $0.currency == currency } ?? ClosedDealTally(bucket: 0, currency: currency)
            let average = t.won == 0 ? nil : Double(t.wonMinor) / Double(t.won)
            rows.append(row(label: currency.code, won: t.won, wonValue: money(t.wonMinor, currency), lost: t.lost,
                            lostValue: money(t.lostMinor, currency), averageWon: average, open: open[currency] ?? 0,
                            currency: currency, converted: false, cycle: cycle, ids: t.wonIDs + t.lostIDs))
        }
        if currencies.count > 1 {
            let won = tallies.reduce(0) { $0 + $1.won }, lost = tallies.reduce(0) { $0 + $1.lost }
            let ids = tallies.flatMap { $0.wonIDs + $0.lostIDs }
            let openAll = open.values.reduce(0, +)
            var wonAmounts: [Currency: Int64] = [:], lostAmounts: [Currency: Int64] = [:]
            for t in tallies { wonAmounts[t.currency, default: 0] += t.wonMinor; lostAmounts[t.currency, default: 0] += t.lostMinor }
            if conversion.converts(currencies), let wonTotal = conversion.total(wonAmounts), let lostTotal = conversion.total(lostAmounts) {
                let average = won == 0 ? nil : Double(wonTotal.minorUnits) / Double(won)
                var total = row(label: "all (≈ \(conversion.target.code))", won: won, wonValue: .money(wonTotal, converted: true),
                                lost: lost, lostValue: .money(lostTotal, converted: true), averageWon: average, open: openAll,
                                currency: conversion.target, converted: true, cycle: cycle, ids: ids)
                total.isTotal = true
                rows.append(total)
                notes.append(conversion.note(currencies))
            } else {
                rows.append(ReportRow([.text("all"), .count(won), .empty, .count(lost), .empty, .percent(rate(won, lost)), .empty,
                                       .count(openAll), .empty], drill: drill(ids), isTotal: true))
                notes.append("Amounts in different currencies are not added together: set rate.XXX in the settings for a converted total.")
            }
        }
        return ReportSection(
            key: "totals", title: "Won and lost in the period",
            columns: [ReportColumn(key: "currency", title: "Currency"), ReportColumn(key: "won", title: "Won"),
                      ReportColumn(key: "won_value", title: "Value won"), ReportColumn(key: "lost", title: "Lost"),
                      ReportColumn(key: "lost_value", title: "Value lost"), ReportColumn(key: "win_rate", title: "Win rate"),
                      ReportColumn(key: "average_won", title: "Average won"), ReportColumn(key: "open", title: "Open now"),
                      ReportColumn(key: "velocity", title: "Velocity / day")],
            rows: rows)
    }

    /// velocity = open deals × average won deal × win rate ÷ median cycle
    /// days: the value the pipeline is expected to turn into per day.
    static func row(label: String, won: Int, wonValue: ReportValue, lost: Int, lostValue: ReportValue, averageWon: Double?,
                    open: Int, currency: Currency, converted: Bool, cycle: SalesCycle, ids: [Int64]) -> ReportRow {
        let winRate = rate(won, lost)
        var velocity: ReportValue = .empty
        if let averageWon, let winRate, let days = cycle.medianDays, days > 0 {
            if let minor = ReportMoneyConversion.minorUnits(Double(open) * averageWon * winRate / days) {
                velocity = .money(Money(minorUnits: minor, currency: currency), converted: converted)
            }
        }
        let average: ReportValue = averageWon.flatMap(ReportMoneyConversion.minorUnits).map {
            .money(Money(minorUnits: $0, currency: currency), converted: converted)
        } ?? .empty
        return ReportRow([.text(label), .count(won), wonValue, .count(lost), lostValue, .percent(winRate), average,
                          .count(open), velocity], drill: drill(ids))
    }

    /// One tally per currency, of all buckets together.
    static func sumOverBuckets(_ tallies: [ClosedDealTally]) -> [ClosedDealTally] {
        var sums: [Currency: ClosedDealTally] = [:]
        for t in tallies {
            var sum = sums[t.currency] ?? ClosedDealTally(bucket: 0, currency: t.currency)
            sum.won += t.won; sum.wonMinor += t.wonMinor; sum.wonIDs += t.wonIDs
            sum.lost += t.lost; sum.lostMinor += t.lostMinor; sum.lostIDs += t.lostIDs
            sums[t.currency] = sum
        }
        return sums.values.sorted { $0.currency < $1.currency }
    }

    /// won ÷ (won + lost); nil when nothing was closed.
    static func rate(_ won: Int, _ lost: Int) -> Double? {
        won + lost == 0 ? nil : Double(won) / Double(won + lost)
    }

    static func money(_ minor: Int64, _ currency: Currency) -> ReportValue {
        .money(Money(minorUnits: minor, currency: currency), converted: false)
    }

    static func drill(_ ids: [Int64]) -> ReportDrill? {
        ids.isEmpty ? nil : .deals(ids.sorted())
    }
}
