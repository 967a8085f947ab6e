import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A small book of customers whose every figure is worked out by hand in
/// the comments below (days count from T0 = 2026-01-01 00:00 UTC):
///
/// | contact | company | lifecycle            | owner  | won deals (closed on day)                 |
/// | Ada     | Acme    | customer             | tester | 6000 EUR (10)                             |
/// | Ben     | Acme    | customer             | tester | 400 EUR with Acme (150)                   |
/// | (Acme)  |         |                      |        | 600 EUR for the company alone (20)        |
/// | Cleo    |         | customer             | tester | 1500 EUR (30), 500 USD (160)              |
/// | Dan     |         | customer             | omid   | 500 EUR (50); lost 1000 EUR; open 700 EUR |
/// | Eve     |         | lead                 | tester | 1000 EUR (70): not a customer             |
/// | Finn    |         | lead → customer 120  | tester | none                                      |
/// | Gita    |         | customer             | tester | 100 USD (60)                              |
/// | Hank    |         | customer → former 150| tester | none                                      |
/// | Ivy     |         | customer → former 50 | tester | none                                      |
/// | Jon     |         | lead → customer 20 → former 80 | tester | none                            |
///
/// Value (own deals plus the company's): Ada 6000 + 600 + 400 = 7000 EUR,
/// Ben 600 + 400 = 1000 EUR, Cleo 1500 EUR and 500 USD, Dan 500 EUR, Gita
/// 100 USD. EUR total 10000: A while the value above is < 8000, B < 9500:
/// Ada (0 above) A, Cleo (7000) A, Ben (8500) B, Dan (9500) C. USD total
/// 600: Cleo (0) A, Gita (500 < 570) B. Cleo's best: A.
///
/// Interactions: Ada days 100 110 120 130 140 185; Ben 101 102 103 150;
/// Cleo 170 180; Dan 120; Gita 10 20 30; Finn none.
final class CustomerReportTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01 UTC
    static func day(_ d: Double) -> Date { t0.addingTimeInterval(d * 86_400) }

    final class Book {
        let folder = TempFolder()
        let clock = ManualClock(CustomerReportTests.t0)
        let db: Database
        let omid: Database
        var ids: [String: Int64] = [:]
        var deals: [String: Int64] = [:]
        let pipeline: Pipeline
        let open: Stage, won: Stage, lost: Stage

        init() throws {
            db = try Database(path: folder.path("crm.db"), login: "tester", clock: clock)
            omid = try Database(path: folder.path("crm.db"), login: "omid", clock: clock)
            pipeline = try db.pipelines.createPipeline("Sales", stages: [
                Stage(pipelineID: 0, name: "Talk", position: 0, probability: 20),
                Stage(pipelineID: 0, name: "Won", position: 1, probability: 100, kind: .won),
                Stage(pipelineID: 0, name: "Lost", position: 2, probability: 0, kind: .lost),
            ])
            let stages = try db.pipelines.stages(pipelineID: pipeline.id)
            open = stages.first { $0.kind == .open }!
            won = stages.first { $0.kind == .won }!
            lost = stages.first { $0.kind == .lost }!

            let acme = try db.companies.create(Company(name: "Acme"))
            for (name, company, lifecycle) in [("Ada", acme.id, Lifecycle.customer), ("Ben", acme.id, .customer),
                                               ("Cleo", nil, .customer), ("Eve", nil, .lead), ("Finn", nil, .lead),
                                               ("Gita", nil, .customer), ("Hank", nil, .customer), ("Ivy", nil, .customer),
                                               ("Jon", nil, .lead)] {
                ids[name] = try db.contacts.create(Contact(name: name, companyID: company, lifecycle: lifecycle)).id
            }
            ids["Dan"] = try omid.contacts.create(Contact(name: "Dan", lifecycle: .customer)).id

            try deal("Ada big", 6000_00, contact: "Ada", day: 10)
            try deal("Acme alone", 600_00, company: acme.id, day: 20)
            try deal("Ben with Acme", 400_00, contact: "Ben", company: acme.id, day: 150)
            try deal("Cleo EUR", 1500_00, contact: "Cleo", day: 30)
            try deal("Cleo USD", 500_00, currency: "USD", contact: "Cleo", day: 160)
            try deal("Dan won", 500_00, contact: "Dan", day: 50)
            try deal("Dan lost", 1000_00, contact: "Dan", day: 80, status: .lost)
            try deal("Dan open", 700_00, contact: "Dan", day: 90, status: .open)
            try deal("Eve", 1000_00, contact: "Eve", day: 70)
            try deal("Gita", 100_00, currency: "USD", contact: "Gita", day: 60)

            try lifecycle("Jon", .customer, day: 20)
            try lifecycle("Ivy", .former, day: 50)
            try lifecycle("Jon", .former, day: 80)
            try lifecycle("Finn", .customer, day: 120)
            try lifecycle("Hank", .former, day: 150)

            for (name, days) in [("Ada", [100, 110, 120, 130, 140, 185]), ("Ben", [101, 102, 103, 150]), ("Cleo", [170, 180]),
                                 ("Dan", [120]), ("Gita", [10, 20, 30])] {
                for d in days {
                    clock.now = day(Double(d))
                    _ = try db.interactions.log(Interaction(contactID: ids[name], kind: .call, occurredAt: day(Double(d))))
                }
            }
            clock.now = day(190)
        }

        func day(_ d: Double) -> Date { CustomerReportTests.day(d) }

        func deal(_ title: String, _ minor: Int64, currency: String = "EUR", contact: String? = nil, company: Int64? = nil,
                  day d: Double, status: DealStatus = .won) throws {
            clock.now = day(d)
            let stage = status == .won ? won : status == .lost ? lost : open
            deals[title] = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: title,
                                                    value: Money(minorUnits: minor, currency: Currency(currency)!),
                                                    contactID: contact.map { ids[$0]! }, companyID: company, status: status,
                                                    lostReason: status == .lost ? "price" : "")).id
        }

        func lifecycle(_ name: String, _ stage: Lifecycle, day d: Double) throws {
            clock.now = day(d)
            var contact = try db.contacts.get(ids[name]!)!
            contact.lifecycle = stage
            _ = try db.contacts.update(contact)
        }

        func tier(_ name: String, in database: Database? = nil) throws -> ValueTier? {
            try (database ?? db).customerReports.valueTier(contactID: ids[name]!)
        }

        var period: ReportFilter { ReportFilter(start: day(100), end: day(200), now: day(190)) }
    }

    let eur = Currency.eur, usd = Currency.usd
    func eur(_ minor: Int64, converted: Bool = false) -> ReportAmount { ReportAmount(Money(minorUnits: minor, currency: .eur), converted: converted) }
    func usd(_ minor: Int64) -> ReportAmount { ReportAmount(Money(minorUnits: minor, currency: .usd), converted: false) }

    func testStoredTiersFollowTheWonDealsInTheSameTransaction() throws {
        let book = try Book()
        XCTAssertEqual(try ["Ada", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gita", "Hank"].map { try book.tier($0) },
                       [.a, .b, .a, .c, nil, nil, .b, nil])
        // Ada's big deal deleted: EUR Cleo 1500, Ada 1000, Ben 1000, Dan 500
        // (4000; A < 3200, B < 3800): Cleo A (0), Ada A (1500), Ben A (2500), Dan B (3500).
        try book.db.deals.delete(book.deals["Ada big"]!)
        XCTAssertEqual(try ["Ada", "Ben", "Cleo", "Dan"].map { try book.tier($0) }, [.a, .a, .a, .b])
        // Another connection (another user) makes Dan a former customer: his
        // tier goes with it, and the first connection reads the new tiers.
        var dan = try book.omid.contacts.get(book.ids["Dan"]!)!
        dan.lifecycle = .former
        _ = try book.omid.contacts.update(dan)
        XCTAssertNil(try book.tier("Dan"))
        // EUR Cleo 1500, Ada 1000, Ben 1000 (3500; A < 2800, B < 3325): Ben (2500) A.
        XCTAssertEqual(try ["Ada", "Ben", "Cleo"].map { try book.tier($0) }, [.a, .a, .a])
        XCTAssertEqual(try book.db.connection.scalar("SELECT stale FROM value_tier_state"), 0)
    }

    func testTiersConvertWithRatesAndFollowThePolicy() throws {
        let book = try Book()
        // rate.USD = 0.5: Cleo 1500 + 250 = 1750 EUR, Gita 50 EUR; total
        // 10300, A < 8240, B < 9785: Ada A, Cleo (7000) A, Ben (8750) B,
        // Dan (9750) B, Gita (10250) C.
        try book.db.customerReports.recomputeValueTiers(policy: ValueTierPolicy(rates: ["USD": 0.5]))
        XCTAssertEqual(try ["Ada", "Ben", "Cleo", "Dan", "Gita"].map { try book.tier($0) }, [.a, .b, .a, .b, .c])
        let tiers = try book.db.customerReports.tiers(book.period, policy: ValueTierPolicy(rates: ["USD": 0.5]))
        XCTAssertEqual(tiers.map(\.tier), [.a, .b, .c])
        XCTAssertEqual(tiers.map(\.customers), [2, 2, 1])
        XCTAssertEqual(tiers.map(\.value), [eur(8750_00, converted: true), eur(1500_00), eur(50_00, converted: true)])
    }

    func testTierSummaryPerCurrencyAndOwners() throws {
        let book = try Book()
        let report = book.db.customerReports
        let tiers = try report.tiers(book.period, policy: ValueTierPolicy())
        XCTAssertEqual(tiers.map { "\($0.value.money.currency.code) \($0.tier.rawValue)" }, ["EUR A", "EUR B", "EUR C", "USD A", "USD B"])
        XCTAssertEqual(tiers.map(\.customers), [2, 1, 1, 1, 1])
        XCTAssertEqual(tiers.map(\.value), [eur(8500_00), eur(1000_00), eur(500_00), usd(500_00), usd(100_00)])
        XCTAssertEqual(tiers.map(\.share), [0.85, 0.10, 0.05, 500.0 / 600, 100.0 / 600])
        XCTAssertEqual(tiers[0].contactIDs, [book.ids["Ada"]!, book.ids["Cleo"]!])
        // Only omid's customers: Dan, still C (ranked among everyone).
        var mine = book.period
        mine.ownerIDs = [try XCTUnwrap(book.omid.currentUser.id)]
        let his = try report.tiers(mine, policy: ValueTierPolicy())
        XCTAssertEqual(his.map(\.tier), [.c])
        XCTAssertEqual(his.map(\.share), [1])
        // tier.A = 50, tier.B = 40: EUR A < 5000 (Ada), B < 9000 (Cleo 7000, Ben 8500), C Dan.
        XCTAssertEqual(try report.tiers(book.period, policy: ValueTierPolicy(tierA: 50, tierB: 40)).prefix(3).map(\.customers), [1, 2, 1])
    }

    func testValuePerCustomerWithRFM() throws {
        let book = try Book()
        let rows = try book.db.customerReports.topCustomers(book.period, policy: ValueTierPolicy(), limit: 10)
        XCTAssertEqual(rows.map(\.name), ["Ada", "Cleo", "Ben", "Dan", "Cleo", "Gita"])
        XCTAssertEqual(rows.map(\.value), [eur(7000_00), eur(1500_00), eur(1000_00), eur(500_00), usd(500_00), usd(100_00)])
        XCTAssertEqual(rows.map(\.wonDeals), [3, 1, 2, 1, 1, 1])
        XCTAssertEqual(rows.map(\.tier), [.a, .a, .b, .c, .a, .b])
        XCTAssertEqual(rows.first?.companyName, "Acme")
        // R by last touch: Finn (never) 1, Gita (won day 60) 1, Dan (120) 2,
        // Ben (150) 3, Cleo (180) 4, Ada (185) 5 — six in five: the first
        // quintile takes two. F by interactions in the year: Finn 0 → 1,
        // Dan 1 → 1, Cleo 2 → 2, Gita 3 → 3, Ben 4 → 4, Ada 6 → 5. M in EUR:
        // Finn 0, Dan, Ben, Cleo, Ada → 1…5; in USD Gita 1, Cleo 2.
        XCTAssertEqual(rows.map { "\($0.recency)\($0.frequency)\($0.monetary)" }, ["555", "424", "343", "212", "424", "131"])
        XCTAssertEqual(rows.map(\.segment), [.champions, .hibernating, .loyal, .hibernating, .hibernating, .atRisk])
        // The period's end counts: to day 140, Ben's deal with Acme (day 150)
        // and Cleo's USD deal (day 160) are not won yet.
        var early = book.period
        early.end = book.day(140)
        let before = try book.db.customerReports.topCustomers(early, policy: ValueTierPolicy(), limit: 10)
        XCTAssertEqual(before.map(\.value), [eur(6600_00), eur(1500_00), eur(600_00), eur(500_00), usd(100_00)])
        // One currency only.
        var dollars = book.period
        dollars.currency = .usd
        XCTAssertEqual(try book.db.customerReports.topCustomers(dollars, policy: ValueTierPolicy(), limit: 10).map(\.name), ["Cleo", "Gita"])
    }

    func testSegments() throws {
        let book = try Book()
        let segments = try book.db.customerReports.segments(book.period, policy: ValueTierPolicy())
        XCTAssertEqual(segments.map(\.segment), RFMSegment.allCases)
        XCTAssertEqual(segments.map(\.customers), [1, 1, 1, 2, 1])
        XCTAssertEqual(segments.map(\.contactIDs), [[book.ids["Ada"]!], [book.ids["Ben"]!], [book.ids["Gita"]!],
                                                    [book.ids["Cleo"]!, book.ids["Dan"]!].sorted(), [book.ids["Finn"]!]])
        // The page's counts, and one segment's customers as Enter asks.
        XCTAssertEqual(try book.db.customerReports.segmentCounts(book.period, policy: ValueTierPolicy()).map(\.customers), [1, 1, 1, 2, 1])
        XCTAssertEqual(try book.db.customerReports.segmentCustomers(book.period, policy: ValueTierPolicy(), segment: .hibernating),
                       [book.ids["Cleo"]!, book.ids["Dan"]!].sorted())
    }

    func testLifetimeValueInputsAndLifespan() throws {
        let book = try Book()
        let report = book.db.customerReports
        let inputs = try report.lifetimeValue(book.period, policy: ValueTierPolicy())
        // Customers now: Ada, Ben, Cleo, Dan, Gita (since day 0: 190 days
        // to day 190) and Finn (since 120: 70 days): tenure 1020 / 6 = 170 days.
        XCTAssertEqual(inputs.map(\.totalValue), [eur(10000_00), usd(600_00)])
        XCTAssertEqual(inputs.map(\.customersWithValue), [4, 2])
        XCTAssertEqual(inputs.map(\.wonDeals), [7, 2])
        XCTAssertEqual(inputs.map(\.wonDealsLastYear), [7, 2])
        XCTAssertEqual(inputs.map(\.customers), [6, 6])
        XCTAssertEqual(inputs[0].averageTenureYears * 365.25, 170, accuracy: 1e-9)
        // Departures: Ivy 0 → 50 (50 days), Jon 20 → 80 (60), Hank 0 → 150
        // (150): 260 / 3 days. Before day 100 only Ivy and Jon: 55 days.
        let lifespan = try report.measuredLifespan(before: book.day(190))
        XCTAssertEqual(lifespan.departures, 3)
        XCTAssertEqual(try XCTUnwrap(lifespan.averageYears) * 365.25, 260.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(report.measuredLifespan(before: book.day(100)).averageYears) * 365.25, 55, accuracy: 1e-9)
        XCTAssertNil(try report.measuredLifespan(before: book.day(40)).averageYears)
    }

    func testRetention() throws {
        let book = try Book()
        let r = try book.db.customerReports.retention(book.period)
        // At day 100: Ada, Ben, Cleo, Gita, Hank, Dan (Finn still a lead,
        // Ivy and Jon gone). At day 190: Hank gone, Finn new.
        let id = { (names: [String]) in names.map { book.ids[$0]! }.sorted() }
        XCTAssertEqual(r.atStart, id(["Ada", "Ben", "Cleo", "Dan", "Gita", "Hank"]))
        XCTAssertEqual(r.retained, id(["Ada", "Ben", "Cleo", "Dan", "Gita"]))
        XCTAssertEqual(r.lost, id(["Hank"]))
        XCTAssertEqual(r.gained, id(["Finn"]))
        XCTAssertEqual(try XCTUnwrap(r.rate), 5.0 / 6, accuracy: 1e-12)
        // Before Jon left (days 40 to 60): Jon, Ivy (left day 50) at start.
        let early = try book.db.customerReports.retention(ReportFilter(start: book.day(40), end: book.day(60), now: book.day(190)))
        XCTAssertEqual(early.lost, id(["Ivy"]))
        XCTAssertEqual(early.atStart.count, 8)
        // The page's counts, and one row's customers as Enter asks.
        XCTAssertEqual(try book.db.customerReports.retentionCounts(book.period), RetentionCounts(atStart: 6, retained: 5, lost: 1, gained: 1))
        XCTAssertEqual(try book.db.customerReports.retentionCustomers(book.period, part: .gained), id(["Finn"]))
        XCTAssertEqual(try book.db.customerReports.retentionCustomers(book.period, part: .retained), id(["Ada", "Ben", "Cleo", "Dan", "Gita"]))
    }

    func testAtRisk() throws {
        let book = try Book()
        var settings = Settings()
        // customer every 7 days; window 90 days before day 190: earlier
        // [100, 145), recent [145, 190). Ben: last 150, due 157, 3 → 1.
        // Dan: last 120, due 127, 1 → 0. Ada 5 → 1 but due 192. Cleo due
        // 187 but 0 → 2. Gita and Finn: past due, no activity to fall.
        let risk = try book.db.customerReports.atRisk(book.period, rules: settings.cadenceRules, windowDays: 90, limit: 10)
        XCTAssertEqual(risk.rows.map(\.name), ["Dan", "Ben"])
        XCTAssertEqual(risk.rows.map(\.daysOverdue), [63, 33])
        XCTAssertEqual(risk.rows.map { "\($0.earlier)>\($0.recent)" }, ["1>0", "3>1"])
        XCTAssertEqual(risk.rows.map(\.tier), [.c, .b])
        XCTAssertEqual(risk.total, 2)
        XCTAssertEqual(risk.ids, [book.ids["Dan"]!, book.ids["Ben"]!])
        // Cadence by tier only (cadence.tier.B = 30): Ben due 180 → 10 days;
        // Dan (C) has no cadence.
        settings.lifecycleCadence = [:]
        settings.tierCadence = [.b: 30]
        let byTier = try book.db.customerReports.atRisk(book.period, rules: settings.cadenceRules, windowDays: 90, limit: 10)
        XCTAssertEqual(byTier.rows.map(\.name), ["Ben"])
        XCTAssertEqual(byTier.rows.map(\.cadenceDays), [30])
        XCTAssertEqual(byTier.rows.map(\.daysOverdue), [10])
    }

    func testTierCadenceInNeedsAttentionUsesTheTierIndex() throws {
        let book = try Book()
        var settings = Settings()
        settings.lifecycleCadence = [:]
        settings.tierCadence = [.b: 30]
        // Tier B: Ben (last 150, due 180) and Gita (last 30, due 60).
        let rows = try book.db.agenda.pastCadence(rules: settings.cadenceRules, now: book.day(190), ownerID: nil, limit: 10)
        XCTAssertEqual(rows.map(\.name), ["Gita", "Ben"])
        XCTAssertEqual(rows.map(\.dueAt), [book.day(60), book.day(180)])
        XCTAssertEqual(rows.first?.rule, CadenceRule(.tier(.b), days: 30))
        XCTAssertEqual(try book.db.agenda.countPastCadence(rules: settings.cadenceRules, now: book.day(190), ownerID: nil), 2)
        XCTAssertEqual(try book.db.agenda.pastCadence(rules: settings.cadenceRules, now: book.day(190),
                                                      ownerID: book.db.currentUser.id, limit: 10).map(\.name), ["Gita", "Ben"])
        // A stronger stage rule takes the contact: customer every 20 days
        // puts Ben and Gita under it, not under tier B.
        settings.lifecycleCadence = [.customer: 20]
        let both = try book.db.agenda.pastCadence(rules: settings.cadenceRules, now: book.day(190), ownerID: nil, limit: 20)
        XCTAssertEqual(both.filter { $0.name == "Ben" }.map(\.rule), [CadenceRule(.lifecycle(.customer), days: 20)])
        let plan = try book.db.connection.rows("""
            EXPLAIN QUERY PLAN SELECT count(*) FROM contacts c INDEXED BY contacts_attention_by_tier
            WHERE c.value_tier = 'B' AND c.deleted_at IS NULL AND coalesce(c.last_interaction_at, c.created_at) < 5
              AND c.cadence_days IS NULL AND (c.attention_snoozed_until IS NULL OR c.attention_snoozed_until <= 5)
            """) { $0.string(3) }
        // The same plan as the stage rules' (contacts_attention_by_lifecycle):
        // the tier and the due time are searched in the index.
        XCTAssertEqual(plan, ["SEARCH c USING INDEX contacts_attention_by_tier (value_tier=? AND <expr><?)"])
    }

    /// The shared figures are worked out once per page: the sections read
    /// the temporary tables, made anew only when the data, the filter or
    /// the policy change (here: another user deletes a won deal).
    func testPageFiguresAreWorkedOutOnceAndFollowChanges() throws {
        let book = try Book()
        let report = book.db.customerReports
        let first = try report.tiers(book.period, policy: ValueTierPolicy())
        let tiersOnly = book.db.connection.totalChanges
        _ = try report.lifetimeValue(book.period, policy: ValueTierPolicy())
        XCTAssertEqual(book.db.connection.totalChanges, tiersOnly, "lifetime value filled the tables again")
        _ = try report.segments(book.period, policy: ValueTierPolicy()) // adds the RFM scores
        let changes = book.db.connection.totalChanges
        _ = try report.topCustomers(book.period, policy: ValueTierPolicy(), limit: 20)
        _ = try report.lifetimeValue(book.period, policy: ValueTierPolicy())
        XCTAssertEqual(try report.tiers(book.period, policy: ValueTierPolicy()), first)
        XCTAssertEqual(book.db.connection.totalChanges, changes, "the second section filled the tables again")
        let adaBig = book.deals["Ada big"]!
        try book.omid.deals.delete(adaBig)
        // EUR Cleo 1500, Ada 1000, Ben 1000, Dan 500: four customers, 4000 EUR.
        let after = try report.tiers(book.period, policy: ValueTierPolicy()).filter { $0.value.money.currency == .eur }
        XCTAssertEqual(after.reduce(0) { $0 + $1.customers }, 4)
        XCTAssertEqual(after.reduce(Int64(0)) { $0 + $1.value.money.minorUnits }, 4000_00)
    }

    /// The statements that fill the page's figures read contacts, deals and
    /// interactions through their indexes: no plain scan of those tables,
    /// with and without a pipeline filter.
    func testPageFiguresUseIndexes() throws {
        let book = try Book()
        // Base tables show as their names or aliases (CTEs such as `cu`
        // are scanned whole by design: they are the customers' index).
        // `v` and `q` are the page's own tables, looked up per customer.
        let tables = ["contacts", "deals", "interactions", "c", "d", "i", "v", "q"]
        // The page's own tables are made where the stored ranking keys
        // (schema 48, CustomerRankKeysTests) do not apply.
        book.db.readsStoredRankKeys = false
        _ = try book.db.customerReports.tiers(book.period, policy: ValueTierPolicy()) // makes the temporary tables
        for filter in [book.period, ReportFilter(start: book.day(100), end: book.day(200), pipelineIDs: [1], now: book.day(190))] {
            var lines: [String] = []
            let asOf = try CustomerYearInteractions.asOf(book.db.connection)
            for (sql, values) in SQLiteCustomerReportRepository.figureStatements(filter, ValueTierPolicy(), asOf: asOf) {
                let plan = try book.db.connection.rows("EXPLAIN QUERY PLAN " + sql, values) { $0.string(3) }
                let scans = plan.filter { line in tables.contains { line == "SCAN \($0)" || line.hasPrefix("SCAN \($0) ") && !line.contains("INDEX") } }
                    + plan.filter { $0.hasPrefix("SCAN ") && $0.contains("LEFT-JOIN") && !$0.hasPrefix("SCAN r ") } // r: the few rates
                XCTAssertEqual(scans, [], plan.joined(separator: "\n"))
                lines += plan
            }
            // The frequency: the stored counts (schema 40) and their
            // corrections from interactions_by_time.
            for index in ["deals_won_by_contact", "deals_won_by_company", "contacts_customers_by_company", "interactions_by_time"] {
                XCTAssertTrue(lines.contains { $0.contains(index) }, "\(index) unused:\n" + lines.joined(separator: "\n"))
            }
        }
    }
}
