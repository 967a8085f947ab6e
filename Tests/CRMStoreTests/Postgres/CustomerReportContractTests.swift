import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// CustomerReportTests' book of customers, written with plain SQL on both
/// engines, and the same hand-worked figures (see the table there; days
/// count from T0 = 2026-01-01 UTC). Ids: Acme 1; Ada 1, Ben 2, Cleo 3,
/// Dan 4 (omid's), Eve 5, Finn 6, Gita 7, Hank 8, Ivy 9, Jon 10.
struct CustomerReportContract {
    let run: (String) throws -> Void
    let report: any CustomerReportRepository
    let people: any PeopleReportRepository

    static let t0: Int64 = 1_767_225_600
    static func day(_ d: Int64) -> Int64 { t0 + d * 86_400 }
    static func date(_ d: Int64) -> Date { Date(timeIntervalSince1970: Double(day(d))) }
    static let period = ReportFilter(start: date(100), end: date(200), now: date(190))
    static let (ada, ben, cleo, dan, finn, gita, hank, ivy): (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (1, 2, 3, 4, 6, 7, 8, 9)

    func fixture() throws {
        let d = Self.day
        try run("INSERT INTO users(id, login, name, role, created_at) VALUES (2, 'omid', 'Omid', 'rep', 0)")
        try run("INSERT INTO companies(id, name, created_at, updated_at) VALUES (1, 'Acme', \(d(0)), \(d(0)))")
        let contacts: [(Int, String, String, String, Int)] = [
            (1, "Ada", "1", "customer", 1), (2, "Ben", "1", "customer", 1), (3, "Cleo", "NULL", "customer", 1),
            (4, "Dan", "NULL", "customer", 2), (5, "Eve", "NULL", "lead", 1), (6, "Finn", "NULL", "customer", 1),
            (7, "Gita", "NULL", "customer", 1), (8, "Hank", "NULL", "former", 1), (9, "Ivy", "NULL", "former", 1),
            (10, "Jon", "NULL", "former", 1),
        ]
        for x in contacts {
            try run("""
                INSERT INTO contacts(id, name, company_id, lifecycle, owner_id, created_at, updated_at)
                VALUES (\(x.0), '\(x.1)', \(x.2), '\(x.3)', \(x.4), \(d(0)), \(d(0)))
                """)
        }
        for h in [(10, "lead", "customer", 20), (9, "customer", "former", 50), (10, "customer", "former", 80),
                       (6, "lead", "customer", 120), (8, "customer", "former", 150)] {
            try run("""
                INSERT INTO contact_lifecycle_history(contact_id, from_lifecycle, to_lifecycle, changed_at)
                VALUES (\(h.0), '\(h.1)', '\(h.2)', \(d(Int64(h.3))))
                """)
        }
        try run("INSERT INTO pipelines(id, name, position, created_at) VALUES (100, 'Sales', 9, 0)")
        try run("INSERT INTO stages(id, pipeline_id, name, position, probability, kind) VALUES (101, 100, 'Talk', 0, 20, 'open')")
        try run("INSERT INTO stages(id, pipeline_id, name, position, probability, kind) VALUES (102, 100, 'Won', 1, 100, 'won')")
        try run("INSERT INTO stages(id, pipeline_id, name, position, probability, kind) VALUES (103, 100, 'Lost', 2, 0, 'lost')")
        // title, minor, currency, contact, company, day, status
        let deals: [(String, Int64, String, String, String, Int64, String)] = [
            ("Ada big", 6000_00, "EUR", "1", "NULL", 10, "won"), ("Acme alone", 600_00, "EUR", "NULL", "1", 20, "won"),
            ("Ben with Acme", 400_00, "EUR", "2", "1", 150, "won"), ("Cleo EUR", 1500_00, "EUR", "3", "NULL", 30, "won"),
            ("Cleo USD", 500_00, "USD", "3", "NULL", 160, "won"), ("Dan won", 500_00, "EUR", "4", "NULL", 50, "won"),
            ("Dan lost", 1000_00, "EUR", "4", "NULL", 80, "lost"), ("Dan open", 700_00, "EUR", "4", "NULL", 90, "open"),
            ("Eve", 1000_00, "EUR", "5", "NULL", 70, "won"), ("Gita", 100_00, "USD", "7", "NULL", 60, "won"),
        ]
        for (i, x) in deals.enumerated() {
            let stage = x.6 == "won" ? 102 : x.6 == "lost" ? 103 : 101
            try run("""
                INSERT INTO deals(id, pipeline_id, stage_id, title, value_minor, currency, contact_id, company_id, status,
                                  created_at, updated_at, stage_entered_at, closed_at)
                VALUES (\(i + 1), 100, \(stage), '\(x.0)', \(x.1), '\(x.2)', \(x.3), \(x.4), '\(x.6)', \(d(x.5)), \(d(x.5)), \(d(x.5)),
                        \(x.6 == "open" ? "NULL" : String(d(x.5))))
                """)
        }
        var n = 0
        for (contact, days) in [(1, [100, 110, 120, 130, 140, 185]), (2, [101, 102, 103, 150]), (3, [170, 180]), (4, [120]), (7, [10, 20, 30])] {
            for day in days {
                n += 1
                try run("""
                    INSERT INTO interactions(id, contact_id, kind, occurred_at, created_at, author_id)
                    VALUES (\(n), \(contact), 'call', \(d(Int64(day))), \(d(Int64(day))), 1)
                    """)
            }
        }
        // Follow-ups for the People page: tester's due on days 110 (done
        // 105, on time), 120 (done 125, late), 150 (open: overdue at 190),
        // 195 (open, not yet due), 130 (cancelled); omid's one on day 300.
        for (i, f) in [(1, 110, "done", "105"), (1, 120, "done", "125"), (1, 150, "open", "NULL"), (1, 195, "open", "NULL"),
                       (1, 130, "cancelled", "NULL"), (2, 300, "open", "NULL")].enumerated() {
            let done = f.3 == "NULL" ? "NULL" : String(d(Int64(f.3)!))
            try run("""
                INSERT INTO follow_ups(id, title, due_at, status, done_at, assignee_id, contact_id, created_at, updated_at)
                VALUES (\(i + 1), 'F\(i + 1)', \(d(Int64(f.1))), '\(f.2)', \(done), \(f.0), 1, \(d(0)), \(d(0)))
                """)
        }
        try run("INSERT INTO tags(id, name) VALUES (1, 'VIP')")
        try run("INSERT INTO contact_tags(contact_id, tag_id) VALUES (1, 1)")
        try report.recomputeValueTiers(policy: ValueTierPolicy())
    }

    func checkPeople() throws {
        let p = Self.period
        // Calls by tester in days 100–200: Ada 6, Ben 4, Cleo 2, Dan 1.
        XCTAssertEqual(try people.interactions(p, users: [1, 2]), [1: [.call: 13]])
        XCTAssertEqual(try people.followUps(p, users: [1, 2]), [1: PersonFollowUps(due: 4, onTime: 1, late: 1, overdue: 1, overdueIDs: [3])])
        // Customers every 7 days, #vip every 3: Ada (last 185, due 188 by
        // her tag) out of touch too; Ben 150, Cleo 180, Finn (never), Gita
        // 30 out; omid's Dan (120) out.
        let rules = [CadenceRule(.lifecycle(.customer), days: 7), CadenceRule(.tag("vip"), days: 3)]
        XCTAssertEqual(try people.stayInTouch(p, rules: rules, users: [1, 2]), [
            1: PersonStayInTouch(customers: 5, notInTouch: 5, notInTouchIDs: [1, 2, 3, 6, 7]),
            2: PersonStayInTouch(customers: 1, notInTouch: 1, notInTouchIDs: [4]),
        ])
        // A rule's tag is the tag whatever the case of its letters.
        XCTAssertEqual(try people.stayInTouch(p, rules: [rules[0], CadenceRule(.tag("VIP"), days: 3)], users: [1, 2]),
                       try people.stayInTouch(p, rules: rules, users: [1, 2]))
        XCTAssertEqual(try people.stayInTouch(p, rules: [CadenceRule(.lifecycle(.customer), days: 7)], users: [1])[1],
                       PersonStayInTouch(customers: 5, notInTouch: 4, notInTouchIDs: [2, 3, 6, 7]))
        XCTAssertEqual(try people.stayInTouch(p, rules: [CadenceRule(.tier(.b), days: 30)], users: [1])[1],
                       PersonStayInTouch(customers: 2, notInTouch: 2, notInTouchIDs: [2, 7]))
        // Finn turned customer on day 120; Eve is still a lead.
        XCTAssertEqual(try people.conversions(p, users: [1, 2]),
                       [1: PersonConversion(converted: 1, disqualified: 0, stillOpen: 1, convertedIDs: [6])])
        XCTAssertEqual(try people.conversions(ReportFilter(start: Self.date(0), end: Self.date(100), now: Self.date(190)), users: [1])[1],
                       PersonConversion(converted: 1, disqualified: 0, stillOpen: 1, convertedIDs: [10]))
    }

    func eur(_ minor: Int64, converted: Bool = false) -> ReportAmount { ReportAmount(Money(minorUnits: minor, currency: .eur), converted: converted) }
    func usd(_ minor: Int64) -> ReportAmount { ReportAmount(Money(minorUnits: minor, currency: .usd), converted: false) }

    func checkTiers() throws {
        XCTAssertEqual(try [1, 2, 3, 4, 5, 6, 7, 8].map { try report.valueTier(contactID: $0) }, [.a, .b, .a, .c, nil, nil, .b, nil])
        let tiers = try report.tiers(Self.period, policy: ValueTierPolicy())
        XCTAssertEqual(tiers.map { "\($0.value.money.currency.code) \($0.tier.rawValue)" }, ["EUR A", "EUR B", "EUR C", "USD A", "USD B"])
        XCTAssertEqual(tiers.map(\.customers), [2, 1, 1, 1, 1])
        XCTAssertEqual(tiers.map(\.value), [eur(8500_00), eur(1000_00), eur(500_00), usd(500_00), usd(100_00)])
        XCTAssertEqual(tiers.map(\.share), [0.85, 0.10, 0.05, 500.0 / 600, 100.0 / 600])
        XCTAssertEqual(tiers[0].contactIDs, [Self.ada, Self.cleo])
        var his = Self.period
        his.ownerIDs = [2]
        XCTAssertEqual(try report.tiers(his, policy: ValueTierPolicy()).map(\.tier), [.c])
        XCTAssertEqual(try report.tiers(Self.period, policy: ValueTierPolicy(tierA: 50, tierB: 40)).prefix(3).map(\.customers), [1, 2, 1])
        // rate.USD = 0.5: Ada A, Cleo A, Ben B, Dan B, Gita C (converted).
        try report.recomputeValueTiers(policy: ValueTierPolicy(rates: ["USD": 0.5]))
        XCTAssertEqual(try [1, 2, 3, 4, 7].map { try report.valueTier(contactID: $0) }, [.a, .b, .a, .b, .c])
        let converted = try report.tiers(Self.period, policy: ValueTierPolicy(rates: ["USD": 0.5]))
        XCTAssertEqual(converted.map(\.customers), [2, 2, 1])
        XCTAssertEqual(converted.map(\.value), [eur(8750_00, converted: true), eur(1500_00), eur(50_00, converted: true)])
    }

    func checkTopCustomersAndSegments() throws {
        let rows = try report.topCustomers(Self.period, policy: ValueTierPolicy(), limit: 10)
        XCTAssertEqual(rows.map(\.name), ["Ada", "Cleo", "Ben", "Dan", "Cleo", "Gita"])
        XCTAssertEqual(rows.map(\.value), [eur(7000_00), eur(1500_00), eur(1000_00), eur(500_00), usd(500_00), usd(100_00)])
        XCTAssertEqual(rows.map(\.wonDeals), [3, 1, 2, 1, 1, 1])
        XCTAssertEqual(rows.map(\.tier), [.a, .a, .b, .c, .a, .b])
        XCTAssertEqual(rows.first?.companyName, "Acme")
        XCTAssertEqual(rows.map { "\($0.recency)\($0.frequency)\($0.monetary)" }, ["555", "424", "343", "212", "424", "131"])
        var early = Self.period
        early.end = Self.date(140)
        XCTAssertEqual(try report.topCustomers(early, policy: ValueTierPolicy(), limit: 10).map(\.value),
                       [eur(6600_00), eur(1500_00), eur(600_00), eur(500_00), usd(100_00)])
        var dollars = Self.period
        dollars.currency = .usd
        XCTAssertEqual(try report.topCustomers(dollars, policy: ValueTierPolicy(), limit: 10).map(\.name), ["Cleo", "Gita"])
        XCTAssertEqual(try report.topCustomers(Self.period, policy: ValueTierPolicy(), limit: 2).map(\.name), ["Ada", "Cleo"])
        let segments = try report.segments(Self.period, policy: ValueTierPolicy())
        XCTAssertEqual(segments.map(\.customers), [1, 1, 1, 2, 1])
        XCTAssertEqual(segments.map(\.contactIDs), [[Self.ada], [Self.ben], [Self.gita], [Self.cleo, Self.dan], [Self.finn]])
        // The page counts them; Enter asks for one segment's customers.
        let counted = try report.segmentCounts(Self.period, policy: ValueTierPolicy())
        XCTAssertEqual(counted.map(\.segment), RFMSegment.allCases)
        XCTAssertEqual(counted.map(\.customers), [1, 1, 1, 2, 1])
        XCTAssertEqual(counted.map(\.contactIDs), [[], [], [], [], []])
        XCTAssertEqual(try RFMSegment.allCases.map { try report.segmentCustomers(Self.period, policy: ValueTierPolicy(), segment: $0) },
                       [[Self.ada], [Self.ben], [Self.gita], [Self.cleo, Self.dan], [Self.finn]])
        // Omid's: Dan alone, hibernating (scored among every customer).
        var his = Self.period
        his.ownerIDs = [2]
        XCTAssertEqual(try report.segmentCounts(his, policy: ValueTierPolicy()).map(\.customers), [0, 0, 0, 1, 0])
        XCTAssertEqual(try report.segmentCustomers(his, policy: ValueTierPolicy(), segment: .hibernating), [Self.dan])
        XCTAssertEqual(try report.segmentCustomers(his, policy: ValueTierPolicy(), segment: .champions), [])
    }

    /// A page asks its sections in turn, and they share what they work out
    /// (SQLite: temporary tables; PostgreSQL: one statement for the page):
    /// the same figures as each section alone, and a write committed between
    /// two sections (by plain SQL, as another program would) is seen by the
    /// next one.
    func checkPageFollowsWrites() throws {
        let p = Self.period
        XCTAssertEqual(try report.topCustomers(p, policy: ValueTierPolicy(), limit: 20).map(\.name), ["Ada", "Cleo", "Ben", "Dan", "Cleo", "Gita"])
        XCTAssertEqual(try report.tiers(p, policy: ValueTierPolicy()).map(\.customers), [2, 1, 1, 1, 1])
        XCTAssertEqual(try report.lifetimeValue(p, policy: ValueTierPolicy()).map(\.totalValue), [eur(10000_00), usd(600_00)])
        XCTAssertEqual(try report.segments(p, policy: ValueTierPolicy()).map(\.customers), [1, 1, 1, 2, 1])
        try run("UPDATE deals SET deleted_at = \(Self.day(189)) WHERE title = 'Ada big'")
        // EUR Cleo 1500, Ada 1000 (Acme's 600 and Ben's 400), Ben 1000, Dan 500.
        let tiers = try report.tiers(p, policy: ValueTierPolicy()).filter { $0.value.money.currency == .eur }
        XCTAssertEqual(tiers.reduce(0) { $0 + $1.customers }, 4)
        XCTAssertEqual(tiers.reduce(Int64(0)) { $0 + $1.value.money.minorUnits }, 4000_00)
        XCTAssertEqual(try report.lifetimeValue(p, policy: ValueTierPolicy()).map(\.totalValue), [eur(4000_00), usd(600_00)])
        let rows = try report.topCustomers(p, policy: ValueTierPolicy(), limit: 20)
        XCTAssertEqual(rows.map(\.name), ["Cleo", "Ada", "Ben", "Dan", "Cleo", "Gita"])
        XCTAssertEqual(rows.map(\.value), [eur(1500_00), eur(1000_00), eur(1000_00), eur(500_00), usd(500_00), usd(100_00)])
        XCTAssertEqual(try report.segments(p, policy: ValueTierPolicy()).reduce(0) { $0 + $1.customers }, 6)
        XCTAssertEqual(try report.segmentCounts(p, policy: ValueTierPolicy()).reduce(0) { $0 + $1.customers }, 6)
    }

    /// A tag rule shortens a tagged customer's cadence: #vip every 3 days
    /// puts Ada (last call day 185, due 188; 5 calls in days 100–144, 1 in
    /// 145–189) at risk too, after Dan and Ben.
    func checkAtRiskWithTagRules() throws {
        var settings = Settings()
        settings.tagCadence = ["vip": 3]
        let risk = try report.atRisk(Self.period, rules: settings.cadenceRules, windowDays: 90, limit: 10)
        XCTAssertEqual(risk.rows.map(\.name), ["Dan", "Ben", "Ada"])
        XCTAssertEqual(risk.rows.map(\.cadenceDays).last, 3)
        XCTAssertEqual(risk.rows.map(\.daysOverdue).last, 2)
        XCTAssertEqual(risk.rows.last.map { "\($0.earlier)>\($0.recent)" }, "5>1")
    }

    func checkLifetimeRetentionAndRisk() throws {
        let inputs = try report.lifetimeValue(Self.period, policy: ValueTierPolicy())
        XCTAssertEqual(inputs.map(\.totalValue), [eur(10000_00), usd(600_00)])
        XCTAssertEqual(inputs.map(\.customersWithValue), [4, 2])
        XCTAssertEqual(inputs.map(\.wonDeals), [7, 2])
        XCTAssertEqual(inputs.map(\.wonDealsLastYear), [7, 2])
        XCTAssertEqual(inputs.map(\.customers), [6, 6])
        XCTAssertEqual(inputs[0].averageTenureYears * 365.25, 170, accuracy: 1e-9)
        let lifespan = try report.measuredLifespan(before: Self.date(190))
        XCTAssertEqual(lifespan.departures, 3)
        XCTAssertEqual(try XCTUnwrap(lifespan.averageYears) * 365.25, 260.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(report.measuredLifespan(before: Self.date(100)).averageYears) * 365.25, 55, accuracy: 1e-9)
        XCTAssertNil(try report.measuredLifespan(before: Self.date(40)).averageYears)

        let r = try report.retention(Self.period)
        XCTAssertEqual(r.atStart, [Self.ada, Self.ben, Self.cleo, Self.dan, Self.gita, Self.hank])
        XCTAssertEqual(r.retained, [Self.ada, Self.ben, Self.cleo, Self.dan, Self.gita])
        XCTAssertEqual(r.lost, [Self.hank])
        XCTAssertEqual(r.gained, [Self.finn])
        let early = try report.retention(ReportFilter(start: Self.date(40), end: Self.date(60), now: Self.date(190)))
        XCTAssertEqual(early.lost, [Self.ivy])
        XCTAssertEqual(early.atStart.count, 8)
        // The page counts them; Enter asks for one row's customers.
        XCTAssertEqual(try report.retentionCounts(Self.period), RetentionCounts(atStart: 6, retained: 5, lost: 1, gained: 1))
        XCTAssertEqual(try XCTUnwrap(report.retentionCounts(Self.period).rate), 5.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(try RetentionPart.allCases.map { try report.retentionCustomers(Self.period, part: $0) },
                       [[Self.ada, Self.ben, Self.cleo, Self.dan, Self.gita, Self.hank], [Self.ada, Self.ben, Self.cleo, Self.dan, Self.gita],
                        [Self.hank], [Self.finn]])
        XCTAssertEqual(try report.retentionCustomers(ReportFilter(start: Self.date(40), end: Self.date(60), now: Self.date(190)), part: .lost),
                       [Self.ivy])
        // For other periods and one owner's, the counts are the lengths of
        // the lists and each row's list is retention's.
        for f in [ReportFilter(start: Self.date(40), end: Self.date(60), now: Self.date(190)),
                  ReportFilter(start: Self.date(0), end: Self.date(400), now: Self.date(190)),
                  ReportFilter(start: Self.date(200), end: Self.date(300), now: Self.date(190)),
                  ReportFilter(start: Self.date(100), end: Self.date(200), ownerIDs: [2], now: Self.date(190))] {
            let figures = try report.retention(f)
            XCTAssertEqual(try report.retentionCounts(f), RetentionCounts(figures), "\(f.start)–\(f.end)")
            for part in RetentionPart.allCases {
                XCTAssertEqual(try report.retentionCustomers(f, part: part), part.ids(figures), "\(f.start)–\(f.end) \(part)")
            }
        }

        var settings = Settings()
        let risk = try report.atRisk(Self.period, rules: settings.cadenceRules, windowDays: 90, limit: 10)
        XCTAssertEqual(risk.rows.map(\.name), ["Dan", "Ben"])
        XCTAssertEqual(risk.rows.map(\.daysOverdue), [63, 33])
        XCTAssertEqual(risk.rows.map { "\($0.earlier)>\($0.recent)" }, ["1>0", "3>1"])
        XCTAssertEqual(risk.rows.map(\.tier), [.c, .b])
        XCTAssertEqual(risk.total, 2)
        XCTAssertEqual(risk.ids, [Self.dan, Self.ben])
        XCTAssertEqual(try report.atRisk(Self.period, rules: settings.cadenceRules, windowDays: 90, limit: 1).rows.map(\.name), ["Dan"])
        settings.lifecycleCadence = [:]
        settings.tierCadence = [.b: 30]
        let byTier = try report.atRisk(Self.period, rules: settings.cadenceRules, windowDays: 90, limit: 10)
        XCTAssertEqual(byTier.rows.map(\.name), ["Ben"])
        XCTAssertEqual(byTier.rows.map(\.cadenceDays), [30])
        XCTAssertEqual(byTier.rows.map(\.daysOverdue), [10])
    }
}

final class SQLiteCustomerReportContractTests: XCTestCase {
    private func contract() throws -> (CustomerReportContract, Any) {
        let (db, folder) = try makeDatabase()
        let contract = CustomerReportContract(run: { try db.connection.run($0) }, report: db.customerReports, people: db.peopleReport)
        try contract.fixture()
        return (contract, (db, folder))
    }
    func testTiers() throws { let (c, keep) = try contract(); try c.checkTiers(); _ = keep }
    func testTopCustomersAndSegments() throws { let (c, keep) = try contract(); try c.checkTopCustomersAndSegments(); _ = keep }
    func testLifetimeRetentionAndRisk() throws { let (c, keep) = try contract(); try c.checkLifetimeRetentionAndRisk(); _ = keep }
    func testPeople() throws { let (c, keep) = try contract(); try c.checkPeople(); _ = keep }
    func testPageFollowsWrites() throws { let (c, keep) = try contract(); try c.checkPageFollowsWrites(); _ = keep }
    func testAtRiskWithTagRules() throws { let (c, keep) = try contract(); try c.checkAtRiskWithTagRules(); _ = keep }
}

final class PGCustomerReportContractTests: XCTestCase {
    private func contract() throws -> (CustomerReportContract, Any) {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let contract = CustomerReportContract(run: { try db.connection.run($0) }, report: PGCustomerReportRepository(db: db),
                                              people: PGPeopleReport(db: db))
        do { try contract.fixture() } catch { XCTFail("\(error): \(String(describing: db.connection.lastError))"); throw error }
        return (contract, db)
    }
    /// Runs a check, naming the server's own words when it fails.
    private func check(_ body: (CustomerReportContract) throws -> Void) throws {
        let (c, keep) = try contract()
        do { try body(c) } catch {
            XCTFail("\(error): \(String(describing: (keep as? PostgresDatabase)?.connection.lastError))")
        }
    }
    func testTiers() throws { try check { try $0.checkTiers() } }
    func testTopCustomersAndSegments() throws { try check { try $0.checkTopCustomersAndSegments() } }
    func testLifetimeRetentionAndRisk() throws { try check { try $0.checkLifetimeRetentionAndRisk() } }
    func testPeople() throws { try check { try $0.checkPeople() } }
    func testPageFollowsWrites() throws { try check { try $0.checkPageFollowsWrites() } }
    func testAtRiskWithTagRules() throws { try check { try $0.checkAtRiskWithTagRules() } }

    /// Every commit that changes a won deal or a customer leaves the stored
    /// tiers made from what it commits, whoever writes (here plain SQL, as
    /// psql would), and a transaction sees the flag raised until its COMMIT.
    func testStoredTiersAreRecomputedAtEveryCommit() throws {
        let (contract, keep) = try contract()
        let db = try XCTUnwrap(keep as? PostgresDatabase)
        let c = db.connection
        do { try recomputedAtCommit(contract, c) } catch { XCTFail("\(error): \(String(describing: c.lastError))") }
    }

    private func recomputedAtCommit(_ contract: CustomerReportContract, _ c: PGConnection) throws {
        let tier = { (id: Int64) in try contract.report.valueTier(contactID: id) }
        // Ada's big deal deleted: EUR Cleo 1500, Ada 1000, Ben 1000, Dan 500
        // (4000; A < 3200, B < 3800): Cleo, Ada, Ben A, Dan B.
        try c.transaction {
            try c.run("UPDATE deals SET deleted_at = 1 WHERE title = 'Ada big'")
            XCTAssertEqual(try c.integer("SELECT stale FROM value_tier_state"), 1)
            XCTAssertEqual(try tier(CustomerReportContract.ada), .a)
            XCTAssertEqual(try tier(CustomerReportContract.ben), .b, "not yet: at the COMMIT")
        }
        XCTAssertEqual(try [1, 2, 3, 4].map(tier), [.a, .a, .a, .b])
        XCTAssertEqual(try c.integer("SELECT stale FROM value_tier_state"), 0)
        // Dan made a former customer by plain SQL (as psql would): his tier goes.
        try c.run("UPDATE contacts SET lifecycle = 'former', updated_at = 2 WHERE id = 4")
        XCTAssertNil(try tier(CustomerReportContract.dan))
        // A write that touches no won deal nor customer leaves the flag down.
        try c.run("UPDATE deals SET title = 'Dan open again' WHERE title = 'Dan open'")
        XCTAssertEqual(try c.integer("SELECT stale FROM value_tier_state"), 0)
        // The policy stored by the last explicit recompute is the one used.
        try contract.report.recomputeValueTiers(policy: ValueTierPolicy(tierA: 50, tierB: 30))
        XCTAssertEqual(try c.first("SELECT tier_a, tier_ab, stale FROM value_tier_state") { "\($0.double(0)) \($0.double(1)) \($0.int(2))" }, "0.5 0.8 0")
        try c.run("UPDATE deals SET deleted_at = NULL WHERE title = 'Ada big'")
        // EUR Ada 7000, Cleo 1500, Ben 1000 (9500; A < 4750, B < 7600):
        // Ada A, Cleo (7000 above) B but A in USD (her best), Ben (8500) C
        // where 80/15 would make him B.
        XCTAssertEqual(try [1, 3, 2].map(tier), [.a, .a, .c])
    }
}
