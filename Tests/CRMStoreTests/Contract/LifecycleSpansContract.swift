import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The lifecycle history's stored spans (SQLite's step 68, PostgreSQL's 70)
/// and retention read from them, on either engine, against the history read
/// row by row in Swift. The history is written with plain SQL as the
/// program writes it: a contact's lifecycle, owner or trash time updated
/// (the contacts' trigger records each change of lifecycle at the
/// contact's `updated_at`).
struct LifecycleSpansContract {
    let run: (String) throws -> Void
    /// The rows of a query as texts, `columns` of each.
    let rows: (String, Int) throws -> [[String?]]
    let report: any CustomerReportRepository
    let people: any PeopleReportRepository

    static let t0: Int64 = 1_767_225_600 // 2026-01-01 UTC
    static func day(_ d: Int) -> Int64 { t0 + Int64(d) * 86_400 }

    /// Each row's stored (previous_at, next_at, owner, trash time) against
    /// the same worked out in Swift from the rows and the contacts: the
    /// rows that disagree, described.
    func spansThatDisagree() throws -> [String] {
        let history = try rows("""
            SELECT id, contact_id, changed_at, previous_at, next_at, contact_owner_id, contact_deleted_at FROM contact_lifecycle_history
            """, 7).map { $0.map { $0.flatMap { Int64($0) } } }
        let contacts = Dictionary(uniqueKeysWithValues: try rows("SELECT id, created_at, owner_id, deleted_at FROM contacts", 4).map {
            (Int64($0[0]!)!, $0.dropFirst().map { $0.flatMap { Int64($0) } })
        })
        var wrong: [String] = []
        for (_, own) in Dictionary(grouping: history, by: { $0[1]! }) {
            let ordered = own.sorted { ($0[2]!, $0[0]!) < ($1[2]!, $1[0]!) }
            for (i, row) in ordered.enumerated() {
                let contact = contacts[row[1]!]!
                let expected = [i == 0 ? contact[0] : ordered[i - 1][2], i + 1 < ordered.count ? ordered[i + 1][2] : nil, contact[1], contact[2]]
                if Array(row[3...]) != expected { wrong.append("history row \(row[0]!): stored \(Array(row[3...])), expected \(expected)") }
            }
        }
        return wrong
    }

    /// Contacts made over 100 days by two owners (1 and 2), up to five
    /// changes of lifecycle each, some two in a day, some handed over, some
    /// put in the trash and some of those back: every write in time order.
    func writeRandomHistory(contacts count: Int = 150, seed: UInt64 = 68) throws {
        var random = DemoRandom(seed: seed)
        let stages = ["lead", "prospect", "customer", "former"]
        enum Event { case create(Int, String), change(Int, String), trash(Int), restore(Int), handover(Int) }
        var events: [(day: Int, second: Int, event: Event)] = []
        for n in 1 ... count {
            let born = Int.random(in: 0 ..< 100, using: &random)
            events.append((born, n, .create(n, stages.randomElement(using: &random)!)))
            var d = born
            for _ in 0 ..< Int.random(in: 0 ... 5, using: &random) {
                d += Int.random(in: 0 ... 40, using: &random)
                events.append((d, 1000 + n, .change(n, stages.randomElement(using: &random)!)))
            }
            if Int.random(in: 0 ..< 3, using: &random) == 0 {
                let out = born + Int.random(in: 1 ... 150, using: &random)
                events.append((out, 2000 + n, .trash(n)))
                if Bool.random(using: &random) { events.append((out + Int.random(in: 1 ... 30, using: &random), 3000 + n, .restore(n))) }
            }
            if Int.random(in: 0 ..< 4, using: &random) == 0 {
                events.append((born + Int.random(in: 0 ... 200, using: &random), 4000 + n, .handover(n)))
            }
        }
        try run("INSERT INTO users(id, login, name, role, created_at) VALUES (2, 'omid', 'Omid', 'rep', 0)")
        for (d, second, event) in events.sorted(by: { ($0.day, $0.second) < ($1.day, $1.second) }) {
            let at = Self.day(d) + Int64(second)
            switch event {
            case .create(let n, let stage):
                try run("""
                    INSERT INTO contacts(id, name, lifecycle, owner_id, created_at, updated_at)
                    VALUES (\(n), 'C\(n)', '\(stage)', 1, \(at), \(at))
                    """)
            case .change(let n, let stage):
                try run("UPDATE contacts SET lifecycle = '\(stage)', updated_at = \(at) WHERE id = \(n) AND deleted_at IS NULL")
            case .trash(let n): try run("UPDATE contacts SET deleted_at = \(at), updated_at = \(at) WHERE id = \(n)")
            case .restore(let n): try run("UPDATE contacts SET deleted_at = NULL, updated_at = \(at) WHERE id = \(n)")
            case .handover(let n): try run("UPDATE contacts SET owner_id = 2, updated_at = \(at) WHERE id = \(n) AND deleted_at IS NULL")
            }
        }
    }

    /// Retention for many periods, past and present, for everyone and by
    /// owner, against each contact's lifecycle before a time read from its
    /// rows: the `from` of its first change at or after the time, else its
    /// lifecycle now; if it existed then and was not in the trash.
    func retentionThatDisagrees() throws -> [String] {
        struct Person { let id, created: Int64; let deleted, owner: Int64?; let lifecycle: String }
        let people = try rows("SELECT id, created_at, deleted_at, owner_id, lifecycle FROM contacts", 5).map {
            Person(id: Int64($0[0]!)!, created: Int64($0[1]!)!, deleted: $0[2].flatMap { Int64($0) }, owner: $0[3].flatMap { Int64($0) },
                   lifecycle: $0[4]!)
        }
        let history = Dictionary(grouping: try rows(
            "SELECT contact_id, changed_at, from_lifecycle FROM contact_lifecycle_history ORDER BY changed_at, id", 3).map {
                (contact: Int64($0[0]!)!, at: Int64($0[1]!)!, from: $0[2]!) }, by: \.contact)
        func customer(_ p: Person, at t: Int64) -> Bool {
            guard p.created < t, p.deleted.map({ $0 >= t }) ?? true else { return false }
            return (history[p.id]?.first { $0.at >= t }?.from ?? p.lifecycle) == "customer"
        }
        var wrong: [String] = []
        for (start, end, now) in [(0, 300, 300), (30, 60, 300), (50, 120, 130), (100, 100, 300), (60, 250, 200), (140, 150, 145),
                                  (10, 400, 400), (200, 260, 400), (250, 260, 240)] {
            for who: [Int64] in [[], [2], [1, 2]] {
                let date = { (d: Int) in Date(timeIntervalSince1970: Double(Self.day(d))) }
                let filter = ReportFilter(start: date(start), end: date(end), ownerIDs: who, now: date(now))
                let e = min(filter.end, filter.now).wholeSecondsSince1970, s = min(filter.start.wholeSecondsSince1970, e)
                let mine = people.filter { who.isEmpty || $0.owner.map(who.contains) == true }
                let atStart = mine.filter { customer($0, at: s) }.map(\.id), atEnd = Set(mine.filter { customer($0, at: e) }.map(\.id))
                let expected = RetentionFigures(atStart: atStart.sorted(), retained: atStart.filter(atEnd.contains).sorted(),
                                                lost: atStart.filter { !atEnd.contains($0) }.sorted(),
                                                gained: atEnd.subtracting(atStart).sorted())
                let said = "period days \(start)–\(end), now day \(now), owners \(who)"
                let figures = try report.retention(filter)
                if figures != expected { wrong.append("\(said): \(figures), expected \(expected)") }
                let counts = try report.retentionCounts(filter)
                if counts != RetentionCounts(atStart: expected.atStart.count, retained: expected.retained.count,
                                             lost: expected.lost.count, gained: expected.gained.count) {
                    wrong.append("\(said): counts \(counts)")
                }
                if try report.retentionCustomers(filter, part: .gained) != expected.gained { wrong.append("\(said): the gained list") }
            }
        }
        return wrong
    }

    /// People's leads turned customers and given up, per owner, against the
    /// history read in Swift: each live contact of the owner with a change
    /// from lead or prospect to customer (or former) in the period, once
    /// however often; and the lifespan: each customer → former change from
    /// the change before it, else the contact's creation.
    func conversionsThatDisagree() throws -> [String] {
        let contacts = Dictionary(uniqueKeysWithValues: try rows("SELECT id, owner_id, deleted_at, created_at FROM contacts", 4).map {
            (Int64($0[0]!)!, (owner: $0[1].flatMap { Int64($0) }, live: $0[2] == nil, created: Int64($0[3]!)!))
        })
        let changes = try rows("SELECT contact_id, from_lifecycle, to_lifecycle, changed_at FROM contact_lifecycle_history ORDER BY changed_at, id", 4)
            .map { (contact: Int64($0[0]!)!, from: $0[1]!, to: $0[2]!, at: Int64($0[3]!)!) }
        var wrong: [String] = []
        var twice = 0
        for (start, end) in [(0, 400), (30, 90), (100, 200)] {
            let s = Self.day(start), e = Self.day(end)
            let said = "days \(start)–\(end)"
            let got = try people.conversions(ReportFilter(start: Date(timeIntervalSince1970: Double(s)), end: Date(timeIntervalSince1970: Double(e)),
                                                          now: Date(timeIntervalSince1970: Double(Self.day(400)))), users: [1, 2])
            for owner: Int64 in [1, 2] {
                let mine = changes.filter { $0.at >= s && $0.at < e && ["lead", "prospect"].contains($0.from)
                    && contacts[$0.contact]!.live && contacts[$0.contact]!.owner == owner }
                let turned = mine.filter { $0.to == "customer" }.map(\.contact), left = Set(mine.filter { $0.to == "former" }.map(\.contact))
                twice += turned.count - Set(turned).count
                if got[owner]?.convertedIDs ?? [] != Set(turned).sorted() { wrong.append("\(said), owner \(owner): turned \(got[owner]?.convertedIDs ?? [])") }
                if got[owner]?.converted ?? 0 != Set(turned).count || got[owner]?.disqualified ?? 0 != left.count {
                    wrong.append("\(said), owner \(owner): \(String(describing: got[owner]))")
                }
            }
        }
        if twice == 0 { wrong.append("no contact turned customer twice in a period: the history does not test the count") }
        var created: [Int64: Int64] = [:], last: [Int64: Int64] = [:], spans: [Int64] = []
        for (id, c) in contacts { created[id] = c.created }
        for change in changes {
            if change.from == "customer" && change.to == "former" && change.at < Self.day(300) {
                spans.append(change.at - (last[change.contact] ?? created[change.contact]!))
            }
            last[change.contact] = change.at
        }
        let lifespan = try report.measuredLifespan(before: Date(timeIntervalSince1970: Double(Self.day(300))))
        let average = spans.isEmpty ? nil : Double(spans.reduce(0, +)) / Double(spans.count) / (365.25 * 86_400)
        if lifespan.departures != spans.count || abs((lifespan.averageYears ?? -1) - (average ?? -1)) > 1e-9 {
            wrong.append("lifespan \(lifespan), expected \(spans.count) departures averaging \(String(describing: average)) years")
        }
        return wrong
    }

    func checkRandomHistory() throws {
        try writeRandomHistory()
        let changes = try rows("SELECT count(*) FROM contact_lifecycle_history", 1).first?.first ?? nil
        XCTAssertGreaterThan(Int(changes ?? "") ?? 0, 150)
        XCTAssertEqual(try spansThatDisagree(), [])
        XCTAssertEqual(try retentionThatDisagrees(), [])
        XCTAssertEqual(try conversionsThatDisagree(), [])
        // A change removed and one moved in time by hand, a creation time
        // changed: the spans follow.
        try run("DELETE FROM contact_lifecycle_history WHERE id = (SELECT min(id) FROM contact_lifecycle_history)")
        try run("UPDATE contact_lifecycle_history SET changed_at = changed_at - 86400 * 30 WHERE id = (SELECT max(id) FROM contact_lifecycle_history)")
        try run("UPDATE contacts SET created_at = created_at - 86400 WHERE id = 1")
        XCTAssertEqual(try spansThatDisagree(), [])
    }
}

final class SQLiteLifecycleSpansContractTests: XCTestCase {
    func testRetentionAndSpansAgreeWithTheHistory() throws {
        let (db, folder) = try makeDatabase()
        let contract = LifecycleSpansContract(run: { try db.connection.run($0) }, rows: { sql, n in
            try db.connection.rows(sql) { row in (0 ..< Int32(n)).map { row.optionalString($0) } }
        }, report: db.customerReports, people: db.peopleReport)
        try contract.checkRandomHistory()
        _ = folder
    }
}

final class PGLifecycleSpansContractTests: XCTestCase {
    func testRetentionAndSpansAgreeWithTheHistory() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let contract = LifecycleSpansContract(run: { try db.connection.run($0) }, rows: { sql, n in
            try db.connection.query(sql).rows.map { row in (0 ..< n).map { row.optionalString($0) } }
        }, report: PGCustomerReportRepository(db: db), people: PGPeopleReport(db: db))
        do { try contract.checkRandomHistory() } catch { XCTFail("\(error): \(String(describing: db.connection.lastError))") }
    }

    /// `crm migrate` into PostgreSQL loads the history with the spans'
    /// triggers off and counts every row once: the copy's spans and
    /// retention are right, and the triggers keep them after it.
    func testACopyCountsTheSpansOnce() throws {
        let (source, folder) = try makeDatabase()
        let sqlite = LifecycleSpansContract(run: { try source.connection.run($0) }, rows: { sql, n in
            try source.connection.rows(sql) { row in (0 ..< Int32(n)).map { row.optionalString($0) } }
        }, report: source.customerReports, people: source.peopleReport)
        try sqlite.writeRandomHistory(contacts: 60, seed: 70)
        let server = try TestPostgresServer.require()
        let target = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        try copySnapshot(from: source, into: target)
        let copy = LifecycleSpansContract(run: { try target.connection.run($0) }, rows: { sql, n in
            try target.connection.query(sql).rows.map { row in (0 ..< n).map { row.optionalString($0) } }
        }, report: PGCustomerReportRepository(db: target), people: PGPeopleReport(db: target))
        XCTAssertEqual(try copy.rows("SELECT count(*) FROM contact_lifecycle_history WHERE previous_at IS NULL", 1), [["0"]])
        XCTAssertEqual(try copy.spansThatDisagree(), [])
        // Vacuumed after the COMMIT: pages of the rewritten history are
        // all-visible again (none were: the count rewrote every row), so
        // the reports' ranges are read from the index alone.
        XCTAssertEqual(try copy.rows("""
            SELECT relallvisible > 0 FROM pg_class WHERE oid = 'contact_lifecycle_history'::regclass
            """, 1), [["t"]])
        XCTAssertEqual(try copy.retentionThatDisagrees(), [])
        try copy.run("UPDATE contacts SET owner_id = 1 WHERE owner_id = 2")
        XCTAssertEqual(try copy.spansThatDisagree(), [])
        _ = folder
    }
}
