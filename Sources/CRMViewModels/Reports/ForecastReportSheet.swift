import CRMCore
import CRMRepositories
import Foundation

/// The Forecast page: the weighted value of the open deals by the month
/// they are expected to close, this month and the five after it (months of
/// the user's calendar); deals whose expected close date has passed are
/// counted apart, as are those with none.
public enum ForecastReportSheet {
    public static let months = 6

    public static func build(_ filter: ReportFilter, repositories: any CRMRepositories, settings: Settings) throws -> ReportSheet {
        let calendar = settings.effectiveCalendar
        let today = calendar.startOfDay(for: filter.now)
        let thisMonth = calendar.dateInterval(of: .month, for: filter.now)?.start ?? today
        // Today, then the first day of each following month: an expected
        // close before today has passed; this month counts from today on.
        var bounds = [today]
        var labels: [(year: Int, month: Int)] = []
        for i in 0 ..< months {
            let start = calendar.date(byAdding: .month, value: i, to: thisMonth) ?? thisMonth
            let parts = calendar.dateComponents([.year, .month], from: start)
            labels.append((parts.year ?? 0, parts.month ?? 0))
            bounds.append(calendar.date(byAdding: .month, value: i + 1, to: thisMonth) ?? start)
        }
        // Counted and summed; the deals' ids are fetched when Enter asks.
        let figures = try repositories.dealReportRepository.forecast(filter, bounds: bounds, withIDs: false)
        let byBucket = Dictionary(grouping: figures, by: \.bucket)
        func deals(_ buckets: [Int], _ currencies: [Currency]) -> ReportDrill {
            .counted(.forecastDeals(filter, bounds: bounds, buckets: buckets, currencies: currencies))
        }

        var rows: [ReportRow] = []
        var inMonths: [DealSum] = []
        for (i, label) in labels.enumerated() {
            let sums = ReportMoney.perCurrency((byBucket[i] ?? []).map(\.figures))
            inMonths += sums
            if sums.isEmpty { rows.append(ReportRow([.month(year: label.year, month: label.month), .count(0), .empty, .empty])) }
            for s in sums {
                rows.append(ReportRow([.month(year: label.year, month: label.month), .count(s.count),
                                       ReportMoney.value(s.sum), ReportMoney.value(s.weighted)], drill: deals([i], [s.currency])))
            }
        }
        let totals = ReportMoney.perCurrency(inMonths)
        for t in totals {
            rows.append(ReportRow([.text("Total"), .count(t.count), ReportMoney.value(t.sum), ReportMoney.value(t.weighted)],
                                  drill: deals(Array(labels.indices), [t.currency]), isTotal: true))
        }
        let conversion = ReportMoney.converted(totals, settings: settings)
        if let c = conversion.total {
            rows.append(ReportRow([.text("Total (converted)"), .count(c.count), ReportMoney.value(c.sum, converted: true),
                                   ReportMoney.value(c.weighted, converted: true)], drill: deals(Array(labels.indices), totals.map(\.currency)),
                                  isTotal: true))
        }
        let monthsSection = ReportSection(key: "months", title: "Weighted value by expected close month", columns: [
            ReportColumn(key: "month", title: "Month"), ReportColumn(key: "deals", title: "Deals"),
            ReportColumn(key: "value", title: "Value"), ReportColumn(key: "weighted", title: "Weighted"),
        ], rows: rows, barColumn: "weighted")

        let overdue = ReportMoney.perCurrency((byBucket[-1] ?? []).map(\.figures))
        var overdueRows = overdue.map { s in
            ReportRow([.text("Past close date"), .count(s.count), ReportMoney.value(s.sum), ReportMoney.value(s.weighted)],
                      drill: deals([-1], [s.currency]))
        }
        if overdueRows.isEmpty { overdueRows = [ReportRow([.text("Past close date"), .count(0), .empty, .empty])] }
        let overdueSection = ReportSection(key: "overdue", title: "Open deals past their expected close date", columns: [
            ReportColumn(key: "what", title: ""), ReportColumn(key: "deals", title: "Deals"),
            ReportColumn(key: "value", title: "Value"), ReportColumn(key: "weighted", title: "Weighted"),
        ], rows: overdueRows)

        var notes = ["Open deals by expected close, from today to the end of \(ReportValueText.month(year: labels.last!.year, month: labels.last!.month, calendar: calendar)); the period does not apply."]
        let later = (byBucket[months] ?? []).reduce(0) { $0 + $1.figures.count }
        if later > 0 { notes.append("\(later) open \(later == 1 ? "deal closes" : "deals close") later than that.") }
        let undated = try repositories.dealReportRepository.openWithoutCloseDate(filter).count
        if undated > 0 { notes.append("\(undated) open \(undated == 1 ? "deal has" : "deals have") no expected close date.") }
        notes += ReportMoney.notes(converted: conversion.total == nil ? [] : totals, missing: Set(conversion.missing), settings: settings)
        return ReportSheet(page: .forecast, sections: [monthsSection, overdueSection], notes: notes)
    }
}
