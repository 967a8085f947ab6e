import CRMRepositories

/// The report repositories of a PostgreSQL session, under the names the
/// SQLite `Database` gives them (Database+Repositories.swift), so the
/// integrator's CRMRepositories conformance is one line each.
extension PostgresDatabase {
    public var dealReportRepository: any DealReportRepository { PGDealReportRepository(db: self) }
    public var reportDrillRepository: any ReportDrillRepository { PGReportDrillRepository(db: self) }
    public var winLossReportRepository: any WinLossReportRepository { PGWinLossReport(db: self) }
    public var peopleReportRepository: any PeopleReportRepository { PGPeopleReport(db: self) }
    public var customerReportRepository: any CustomerReportRepository { PGCustomerReportRepository(db: self) }
}
