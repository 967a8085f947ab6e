import CRMCore
import CRMRepositories
import Foundation

/// The question behind a figure whose records the page counted without
/// fetching them (`ReportDrill.counted`). Resolving it runs the figure's own
/// repository query again, this time with the ids, and keeps the part the
/// row stands for: the list is exactly the records counted (as of the
/// moment Enter is pressed).
public enum ReportDrillQuery: Hashable, Sendable {
    /// The open deals of these stages in these currencies (Pipeline: a
    /// stage's row, a pipeline's totals).
    case openDeals(ReportFilter, stageIDs: [Int64], currencies: [Currency])
    /// The open deals expected to close in these buckets of `bounds`, in
    /// these currencies (Forecast: a month, the total, those past their date).
    case forecastDeals(ReportFilter, bounds: [Date], buckets: [Int], currencies: [Currency])
    /// Of the deals created in the period in a pipeline (Pipeline's funnel):
    /// all of them, those that reached a stage, or those won.
    case funnelDeals(ReportFilter, pipelineID: Int64, part: FunnelPart)
    /// The deals of these owners won or lost in the period (People).
    case closedDeals(ReportFilter, users: [Int64])
    /// The follow-ups of these assignees due in the period, open and past
    /// due now (People), by due time.
    case overdueFollowUps(ReportFilter, users: [Int64])
    /// The customers of these owners not spoken to within their cadence (People).
    case customersNotInTouch(ReportFilter, rules: [CadenceRule], users: [Int64])
    /// The customers of an RFM segment, scored with `policy` (Customers).
    case segmentCustomers(ReportFilter, policy: ValueTierPolicy, segment: RFMSegment)
    /// A row of the Customers page's retention (customers at the start of
    /// the period, retained, lost, gained).
    case retention(ReportFilter, part: RetentionPart)

    /// A row of the funnel.
    public enum FunnelPart: Hashable, Sendable {
        case created, won
        case reached(stageID: Int64)
    }

    /// What the records are, as ReportDrillList names them.
    public var noun: String {
        switch self {
        case .openDeals, .forecastDeals, .funnelDeals, .closedDeals: "deals"
        case .overdueFollowUps: "follow-ups"
        case .customersNotInTouch, .segmentCustomers, .retention: "contacts"
        }
    }

    /// The records, as ids in ascending order (as the page's id lists are;
    /// overdue follow-ups by due time).
    func resolve(_ repositories: any CRMRepositories) throws -> ReportDrill {
        switch self {
        case .openDeals(let filter, let stageIDs, let currencies):
            // Those stages' deals alone (not every stage's ids, then a few kept).
            let deals = try repositories.dealReportRepository.openDeals(filter, stageIDs: stageIDs)
            return .deals(deals.filter { currencies.contains($0.currency) }.map(\.id))
        case .forecastDeals(let filter, let bounds, let buckets, let currencies):
            let figures = try repositories.dealReportRepository.forecast(filter, bounds: bounds, withIDs: true)
                .filter { buckets.contains($0.bucket) && currencies.contains($0.figures.currency) }
            return .deals(figures.flatMap(\.figures.dealIDs).sorted())
        case .funnelDeals(let filter, let pipelineID, let part):
            let funnel = try repositories.dealReportRepository.funnel(filter, withIDs: true)
            let cohort = funnel.cohorts.first { $0.pipelineID == pipelineID }
            switch part {
            case .created: return .deals(cohort?.dealIDs ?? [])
            case .won: return .deals(cohort?.wonIDs ?? [])
            case .reached(let stageID): return .deals(funnel.stages.first { $0.stageID == stageID }?.dealIDs ?? [])
            }
        case .closedDeals(let filter, let users):
            let figures = try repositories.peopleReportRepository.deals(filter, users: users, withIDs: true)
            return .deals(figures.values.flatMap(\.closedIDs).sorted())
        case .overdueFollowUps(let filter, let users):
            // The most overdue first: the order the team lead reads them in.
            let figures = try repositories.peopleReportRepository.followUps(filter, users: users, withIDs: true)
            return .followUps(try repositories.reportDrillRepository.followUpsByDue(figures.values.flatMap(\.overdueIDs)))
        case .customersNotInTouch(let filter, let rules, let users):
            let figures = try repositories.peopleReportRepository.stayInTouch(filter, rules: rules, users: users, withIDs: true)
            return .contacts(figures.values.flatMap(\.notInTouchIDs).sorted())
        case .segmentCustomers(let filter, let policy, let segment):
            // That segment's ids alone (not every segment's, then one kept).
            return .contacts(try repositories.customerReportRepository.segmentCustomers(filter, policy: policy, segment: segment))
        case .retention(let filter, let part):
            return .contacts(try repositories.customerReportRepository.retentionCustomers(filter, part: part))
        }
    }
}

extension ReportDrill {
    /// The records listed: ids as they are; a counted figure's fetched now.
    public func resolved(_ repositories: any CRMRepositories) throws -> ReportDrill {
        if case .counted(let query) = self { return try query.resolve(repositories) }
        return self
    }
}

extension ReportSheet {
    /// The sheet with every counted figure's records fetched, for output
    /// that carries the ids (`crm report --json`).
    public func resolvingDrills(_ repositories: any CRMRepositories) throws -> ReportSheet {
        var sheet = self
        for s in sheet.sections.indices {
            for r in sheet.sections[s].rows.indices {
                sheet.sections[s].rows[r].drill = try sheet.sections[s].rows[r].drill?.resolved(repositories)
            }
        }
        return sheet
    }
}
