import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

/// Twelve deals with known values, stages, dates and outcomes, written
/// through the real repositories on a real SQLite file with a hand-set
/// clock, for the Pipeline and Forecast pages (the figures each test expects
/// are worked out by hand in the test, from the list below).
///
/// Pipeline "Deals": Lead 10 %, Qualified 25 %, Proposal 50 %, Negotiation 75 %.
/// "Now" is Fri 20 Nov 2026 12:00 UTC; the period is November 2026.
///
///     D1  Lead          1,000.00 EUR  created 2 Nov, closes 25 Nov
///     D2  Qualified     2,000.00 EUR  created 2 Nov, Lead→Qualified 4 Nov, closes 10 Dec
///     D3  Proposal      4,000.00 EUR  created 2 Nov, →Qualified 3 Nov, →Proposal 6 Nov, closes 15 Jan 2027
///     D4  Negotiation   8,000.00 EUR  created 2 Nov, →Proposal 6 Nov, →Negotiation 10 Nov, closes 10 Nov (passed)
///     D5  won           3,000.00 EUR  created 2 Nov, →Qualified 5 Nov, won 9 Nov
///     D6  lost            500.00 EUR  created 2 Nov in Lead, lost 8 Nov
///     D7  Negotiation  10,000.00 USD  created 2 Nov there, closes 14 Feb 2027
///     D8  Qualified     1,500.00 EUR  created 20 Oct, →Qualified 25 Oct, closes 5 Dec
///     D9  Negotiation   6,000.00 EUR  created 20 Oct in Proposal, →Negotiation 12 Nov, no close date
///     D10 Qualified     2,500.00 GBP  created 2 Nov there, closes 20 Dec
///     D11 (deleted)    99,999.00 EUR  created 2 Nov in Lead, then deleted
///     D12 Proposal      5,000.00 EUR  created 2 Nov there, owner rep2, closes 10 Jun 2027
final class ReportFixture {
    let folder: URL
    let db: Database
    let clock: ManualClock
    let pipeline: Pipeline
    let stages: [Stage]
    let rep2: User
    var ids: [String: Int64] = [:]
    let now = ReportFixture.utc(2026, 11, 20, 12)

    static func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: DateComponents(year: y, month: m, day: d, hour: h))!
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        clock = ManualClock(Self.utc(2026, 10, 1))
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "lead", clock: clock)
        rep2 = try db.users.add(login: "rep2", name: "Rep Two", role: .rep)
        pipeline = try db.pipelines.createPipeline("Deals", stages: [("Lead", 10), ("Qualified", 25), ("Proposal", 50), ("Negotiation", 75)]
            .enumerated().map { Stage(pipelineID: 0, name: $1.0, position: $0, probability: $1.1) })
        stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }

        let nov2 = Self.utc(2026, 11, 2)
        try deal("D1", at: nov2, stage: 0, 1_000_00, closes: Self.utc(2026, 11, 25))
        try deal("D2", at: nov2, stage: 0, 2_000_00, closes: Self.utc(2026, 12, 10), moves: [(Self.utc(2026, 11, 4), 1)])
        try deal("D3", at: nov2, stage: 0, 4_000_00, closes: Self.utc(2027, 1, 15),
                 moves: [(Self.utc(2026, 11, 3), 1), (Self.utc(2026, 11, 6), 2)])
        try deal("D4", at: nov2, stage: 0, 8_000_00, closes: Self.utc(2026, 11, 10),
                 moves: [(Self.utc(2026, 11, 6), 2), (Self.utc(2026, 11, 10), 3)])
        try deal("D5", at: nov2, stage: 0, 3_000_00, moves: [(Self.utc(2026, 11, 5), 1)], close: (Self.utc(2026, 11, 9), .won))
        try deal("D6", at: nov2, stage: 0, 500_00, close: (Self.utc(2026, 11, 8), .lost))
        try deal("D7", at: nov2, stage: 3, 10_000_00, currency: "USD", closes: Self.utc(2027, 2, 14))
        try deal("D8", at: Self.utc(2026, 10, 20), stage: 0, 1_500_00, closes: Self.utc(2026, 12, 5), moves: [(Self.utc(2026, 10, 25), 1)])
        try deal("D9", at: Self.utc(2026, 10, 20), stage: 2, 6_000_00, moves: [(Self.utc(2026, 11, 12), 3)])
        try deal("D10", at: nov2, stage: 1, 2_500_00, currency: "GBP", closes: Self.utc(2026, 12, 20))
        try deal("D11", at: nov2, stage: 0, 99_999_00)
        try db.deals.delete(ids["D11"]!)
        try deal("D12", at: nov2, stage: 2, 5_000_00, owner: rep2.id, closes: Self.utc(2027, 6, 10))
        clock.now = now
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    private func deal(_ title: String, at created: Date, stage: Int, _ value: Int64, currency: String = "EUR", owner: Int64? = nil,
                      closes: Date? = nil, moves: [(Date, Int)] = [], close: (Date, DealStatus)? = nil) throws {
        clock.now = created
        var deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[stage].id, title: title,
                                            value: Money(minorUnits: value, currency: Currency(currency)!),
                                            expectedClose: closes, ownerID: owner))
        for (when, to) in moves {
            clock.now = when
            deal = try db.deals.move(deal.id, toStage: stages[to].id, expectedVersion: deal.version)
        }
        if let (when, status) = close {
            clock.now = when
            deal = try db.deals.close(deal.id, as: status, reason: status == .lost ? "price" : "", expectedVersion: deal.version)
        }
        ids[title] = deal.id
    }

    var settings: Settings {
        var s = Settings()
        s.timeZone = TimeZone(identifier: "UTC")
        s.currency = "EUR"
        return s
    }

    /// November 2026, this pipeline, everyone, every currency.
    func filter(owners: [Int64] = [], currency: Currency? = nil) -> ReportFilter {
        ReportFilter(start: Self.utc(2026, 11, 1), end: Self.utc(2026, 12, 1), pipelineIDs: [pipeline.id], ownerIDs: owners,
                     currency: currency, now: now)
    }

    func eur(_ minor: Int64, converted: Bool = false) -> ReportValue { .money(Money(minorUnits: minor, currency: Currency("EUR")!), converted: converted) }
    func usd(_ minor: Int64) -> ReportValue { .money(Money(minorUnits: minor, currency: Currency("USD")!), converted: false) }
    func gbp(_ minor: Int64) -> ReportValue { .money(Money(minorUnits: minor, currency: Currency("GBP")!), converted: false) }
    func deals(_ names: String...) -> ReportDrill { .deals(names.map { ids[$0]! }.sorted()) }
}
