import CRMCore
import CRMRepositories
import Foundation

/// The one place a page's sheet is built: the Reports view and `crm report`
/// both call this, so they show the same figures.
public enum ReportSheets {
    public static func build(_ page: ReportPage, _ filter: ReportFilter, repositories: any CRMRepositories,
                             settings: Settings) throws -> ReportSheet {
        switch page {
        case .pipeline: return try PipelineReportSheet.build(filter, repositories: repositories, settings: settings)
        case .forecast: return try ForecastReportSheet.build(filter, repositories: repositories, settings: settings)
        case .winloss: return try WinLossReportSheet.build(filter, repositories: repositories, settings: settings)
        case .people: return try PeopleReportSheet.build(filter, repositories: repositories, settings: settings)
        case .customers: return try CustomersReportSheet.build(filter, repositories: repositories, settings: settings)
        }
    }
}
