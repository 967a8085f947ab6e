import CRMCore
import CRMRepositories
import Foundation

/// The Pipeline page: the open deals per stage (count, value, weighted
/// value) with a total per pipeline, the funnel of the deals created in the
/// period, and the median days deals spend in each stage.
public enum PipelineReportSheet {
    public static func build(_ filter: ReportFilter, repositories: any CRMRepositories, settings: Settings) throws -> ReportSheet {
        let repo = repositories.dealReportRepository
        let pipelines = try ReportPipelines.load(filter, repositories: repositories)
        var notes: [String] = []
        var converted: [DealSum] = []
        var missing = Set<String>()

        // Open deals per stage, now: counted and summed; their ids (every
        // open deal) are fetched when Enter asks for a row's.
        let figures = Dictionary(grouping: try repo.openStageFigures(filter, withIDs: false), by: \.stageID)
        var stageRows: [ReportRow] = []
        for (pipeline, stages) in pipelines {
            var all: [DealSum] = []
            let openStages = stages.filter { $0.kind == .open }.map(\.id)
            func deals(_ currencies: [Currency], stages: [Int64] = openStages) -> ReportDrill {
                .counted(.openDeals(filter, stageIDs: stages, currencies: currencies))
            }
            for stage in stages where stage.kind == .open {
                let sums = (figures[stage.id] ?? []).map(\.figures).sorted { $0.currency < $1.currency }
                all += sums
                if sums.isEmpty {
                    stageRows.append(ReportRow([.text(pipeline.name), .text(stage.name), .percent(Double(stage.probability) / 100),
                                                .count(0), .empty, .empty]))
                }
                for s in sums {
                    stageRows.append(ReportRow([.text(pipeline.name), .text(stage.name), .percent(Double(stage.probability) / 100),
                                                .count(s.count), ReportMoney.value(s.sum), ReportMoney.value(s.weighted)],
                                               drill: deals([s.currency], stages: [stage.id])))
                }
            }
            let totals = ReportMoney.perCurrency(all)
            for t in totals {
                stageRows.append(ReportRow([.text(pipeline.name), .text("Total"), .empty, .count(t.count),
                                            ReportMoney.value(t.sum), ReportMoney.value(t.weighted)],
                                           drill: deals([t.currency]), isTotal: true))
            }
            if totals.isEmpty {
                stageRows.append(ReportRow([.text(pipeline.name), .text("Total"), .empty, .count(0), .empty, .empty], isTotal: true))
            }
            let conversion = ReportMoney.converted(totals, settings: settings)
            missing.formUnion(conversion.missing)
            if let c = conversion.total {
                converted += totals
                stageRows.append(ReportRow([.text(pipeline.name), .text("Total (converted)"), .empty, .count(c.count),
                                            ReportMoney.value(c.sum, converted: true), ReportMoney.value(c.weighted, converted: true)],
                                           drill: deals(totals.map(\.currency)), isTotal: true))
            }
        }
        let stagesSection = ReportSection(key: "stages", title: "Open deals by stage", columns: [
            ReportColumn(key: "pipeline", title: "Pipeline"), ReportColumn(key: "stage", title: "Stage"),
            ReportColumn(key: "probability", title: "Prob."), ReportColumn(key: "deals", title: "Deals"),
            ReportColumn(key: "value", title: "Value"), ReportColumn(key: "weighted", title: "Weighted"),
        ], rows: stageRows, barColumn: "weighted")

        // The funnel: of the deals created in the period, how far they got
        // (counted; the deals are fetched when Enter asks for a row's).
        let funnel = try repo.funnel(filter, withIDs: false)
        let cohorts = Dictionary(uniqueKeysWithValues: funnel.cohorts.map { ($0.pipelineID, $0) })
        let reached = Dictionary(uniqueKeysWithValues: funnel.stages.map { ($0.stageID, $0.count) })
        var funnelRows: [ReportRow] = []
        for (pipeline, stages) in pipelines {
            let cohort = cohorts[pipeline.id]
            let created = cohort?.count ?? 0
            func share(_ n: Int) -> ReportValue { .percent(created == 0 ? nil : Double(n) / Double(created)) }
            func deals(_ n: Int, _ part: ReportDrillQuery.FunnelPart) -> ReportDrill? {
                n == 0 ? nil : .counted(.funnelDeals(filter, pipelineID: pipeline.id, part: part))
            }
            funnelRows.append(ReportRow([.text(pipeline.name), .text("Created"), .count(created), share(created)],
                                        drill: deals(created, .created)))
            for stage in stages where stage.kind == .open {
                let n = reached[stage.id] ?? 0
                funnelRows.append(ReportRow([.text(pipeline.name), .text(stage.name), .count(n), share(n)],
                                            drill: deals(n, .reached(stageID: stage.id))))
            }
            let won = cohort?.wonCount ?? 0
            funnelRows.append(ReportRow([.text(pipeline.name), .text("Won"), .count(won), share(won)], drill: deals(won, .won)))
        }
        let funnelSection = ReportSection(key: "funnel", title: "Funnel: deals created in the period", columns: [
            ReportColumn(key: "pipeline", title: "Pipeline"), ReportColumn(key: "stage", title: "Reached"),
            ReportColumn(key: "deals", title: "Deals"), ReportColumn(key: "share", title: "Share"),
        ], rows: funnelRows, barColumn: "share")

        // Median days in each stage, over the stays that ended in the period.
        let times = Dictionary(uniqueKeysWithValues: try repo.stageTimes(filter).map { ($0.stageID, $0) })
        var timeRows: [ReportRow] = []
        for (pipeline, stages) in pipelines {
            // A Won or Lost stage only when deals stayed there (reopened
            // after it): the closing moment into it is no stay (QA 31 #2).
            for stage in stages where stage.kind == .open || (times[stage.id]?.medianDays ?? 0) > 0 {
                let t = times[stage.id]
                timeRows.append(ReportRow([.text(pipeline.name), .text(stage.name), .count(t?.stays ?? 0), .days(t?.medianDays)]))
            }
        }
        let timeSection = ReportSection(key: "stage_time", title: "Days in each stage (median)", columns: [
            ReportColumn(key: "pipeline", title: "Pipeline"), ReportColumn(key: "stage", title: "Stage"),
            ReportColumn(key: "stays", title: "Stays"), ReportColumn(key: "median_days", title: "Median"),
        ], rows: timeRows, barColumn: "median_days")

        let period = ReportPipelines.describe(filter, settings: settings)
        notes.append("Open deals as they stand now; the funnel counts the deals created \(period), the days in each stage the stays that ended then.")
        notes += ReportMoney.notes(converted: converted, missing: missing, settings: settings)
        if stageRows.contains(where: { $0.values.contains(.text("out of range")) }) {
            notes.append("A sum shown as out of range holds a stored value no deal may have: the Pipeline view flags that deal.")
        }
        return ReportSheet(page: .pipeline, sections: [stagesSection, funnelSection, timeSection], notes: notes)
    }
}

/// The pipelines a report covers, with their stages in board order.
enum ReportPipelines {
    static func load(_ filter: ReportFilter, repositories: any CRMRepositories) throws -> [(Pipeline, [Stage])] {
        let repo = repositories.pipelineRepository
        return try repo.pipelines()
            .filter { filter.pipelineIDs.isEmpty || filter.pipelineIDs.contains($0.id) }
            .map { ($0, try repo.stages(pipelineID: $0.id).sorted { $0.position < $1.position }) }
    }

    /// "from 1 Nov 2026 to 30 Nov 2026" in the user's calendar (ASCII digits:
    /// the screen turns them into the user's digits).
    static func describe(_ filter: ReportFilter, settings: Settings) -> String {
        let tf = TimeFormat(timeZone: settings.effectiveTimeZone, calendar: settings.effectiveCalendar)
        let last = filter.end.addingTimeInterval(-1)
        return "from \(tf.spellShort(filter.start, "d MMM yyyy")) to \(tf.spellShort(last, "d MMM yyyy"))"
    }
}
