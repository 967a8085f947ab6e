import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The Duplicates lists on 20,000 contacts (made by generate_series, then
/// ANALYZE; a few hundred addresses, numbers and names shared): each
/// reason's walk, forward and from the end (`G`), reads the partial index of
/// the keys more than one row has (schema 38) and the rows of the groups it
/// found, never every key; duplicate companies walk their byte-ordered
/// indexes. Plans are printed; times are never asserted.
final class PGDuplicatesPlanTests: XCTestCase {
    func testTheWalksReadOnlyTheSharedKeys() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester", liveRefresh: .poll)
        let c = db.connection
        let t0: Int64 = 1_704_067_200
        // Every 50th contact shares its address with the next one (but every
        // 200th from 100 on), every 200th its number, every 100th its name at
        // its company: the names from 100 on every 200th list a pair (schema 46).
        _ = try c.script("""
            INSERT INTO companies(id, name, name_key, domain, created_at, updated_at)
                SELECT g, 'Co' || g, 'co' || (g - g % 2), 'co' || (g - g % 3) || '.example', \(t0), \(t0)
                FROM generate_series(1, 2000) g;
            INSERT INTO contacts(id, name, name_key, company_id, created_at, updated_at, deleted_at)
                SELECT g, 'C' || g, 'c' || CASE WHEN g % 100 = 1 THEN g - 1 ELSE g END, 1 + (g - g % 100) % 2000, \(t0), \(t0),
                       CASE WHEN g % 1000 = 7 THEN \(t0) END
                FROM generate_series(1, 1000) g;
            -- The name groups' row trigger plans its reads with the table's
            -- statistics: from an empty table's, a scan per row (31 s for
            -- these 20,000); from a thousand rows', an index look-up.
            ANALYZE contacts;
            INSERT INTO contacts(id, name, name_key, company_id, created_at, updated_at, deleted_at)
                SELECT g, 'C' || g, 'c' || CASE WHEN g % 100 = 1 THEN g - 1 ELSE g END, 1 + (g - g % 100) % 2000, \(t0), \(t0),
                       CASE WHEN g % 1000 = 7 THEN \(t0) END
                FROM generate_series(1001, 20000) g;
            INSERT INTO contact_emails(contact_id, email)
                SELECT g, 'p' || CASE WHEN g % 50 = 1 AND g % 200 <> 101 THEN g - 1 ELSE g END || '@Example.com'
                FROM generate_series(1, 20000) g;
            INSERT INTO contact_phones(contact_id, number, digits, e164)
                SELECT g, '+4930' || n, '4930' || n, '+4930' || n
                FROM generate_series(1, 20000) g, LATERAL (SELECT 1000000 + CASE WHEN g % 200 = 1 THEN g - 1 ELSE g END AS n) k;
            ANALYZE;
            """)
        let contacts = PGContactRepository(db: db), companies = PGCompanyRepository(db: db)
        // The walks find the groups, and the end read backward is the end read forward.
        func all(_ read: (DuplicateCursor?, Int) throws -> [DuplicatePair]) throws -> [String] {
            var out: [String] = [], cursor: DuplicateCursor?
            while true {
                let page = try read(cursor, 500)
                out += page.map { "\($0.first.id)+\($0.second.id)" }
                guard page.count == 500, let last = page.last else { return out }
                cursor = last.cursor
            }
        }
        let everyPair = try all { try contacts.duplicatePairs(after: $0, limit: $1) }
        XCTAssertGreaterThan(everyPair.count, 300)
        XCTAssertGreaterThan(try c.integer("SELECT count(*) FROM contact_name_pairs") ?? 0, 50)
        XCTAssertEqual(try contacts.duplicatePairs(before: nil, limit: 101).map { "\($0.first.id)+\($0.second.id)" },
                       Array(everyPair.suffix(101)))
        let everyCompanyPair = try all { try companies.duplicatePairs(after: $0, limit: $1) }
        XCTAssertGreaterThan(everyCompanyPair.count, 1000)
        XCTAssertEqual(try companies.duplicatePairs(before: nil, limit: 101).map { "\($0.first.id)+\($0.second.id)" },
                       Array(everyCompanyPair.suffix(101)))

        let walks: [(String, PGDuplicates.Tier, String)] =
            PGContactRepository.duplicateTiers.map {
                ("contacts \($0.walk.strength)", $0, $0.walk.strength == .name ? "contact_name_pairs_bytes" : "_keys_shared")
            }
            + zip(PGCompanyRepository.duplicateTiers, ["companies_by_domain_nocase", "companies_by_name_key_bytes"])
                .map { ("companies \($0.0.walk.strength)", $0.0, $0.1) }
        // The reasons of a page's pairs: read by the pairs' ids, never a table.
        let pairs = try contacts.duplicatePairs(after: nil, limit: 100)
        let reasonsPlan = try c.query("EXPLAIN " + PGContactRepository.sharedReasonsSQL,
                                      [PGArrayLiteral.integers(pairs.map(\.first.id)), PGArrayLiteral.integers(pairs.map(\.second.id))])
            .rows.map { $0.string(0) }.joined(separator: "\n")
        print("plan of a page's shared reasons:\n\(reasonsPlan)")
        XCTAssertFalse(reasonsPlan.contains("Seq Scan on contact"), reasonsPlan)
        // Their records: by id, each company by its key (never every company hashed).
        let recordsPlan = try c.query("EXPLAIN " + PGContactRepository.duplicateRecordsSQL,
                                      [PGArrayLiteral.integers(pairs.flatMap { [$0.first.id, $0.second.id] })])
            .rows.map { $0.string(0) }.joined(separator: "\n")
        XCTAssertFalse(recordsPlan.contains("Seq Scan"), recordsPlan)
        for (name, tier, index) in walks {
            // The name groups that list a pair (schema 46) are a hundred rows
            // here, read whole more cheaply than through an index; what is
            // asserted is that the index serves the walk once the table is
            // large (no scan of it allowed).
            let small = name == "contacts name"
            if small { try c.run("SET enable_seqscan = off") }
            defer { if small { try? c.run("RESET enable_seqscan") } }
            for (direction, sql, key) in [("forward", tier.sql, "m"), ("backward", tier.reverseSQL, DuplicatePairWalk.endKey)] {
                let plan = try c.query("EXPLAIN " + sql, tier.params(key, direction == "forward" ? 0 : Int64.max, 9)).rows
                    .map { $0.string(0) }.joined(separator: "\n")
                print("plan of the \(name) walk, \(direction):\n\(plan)")
                XCTAssertTrue(plan.contains(index), "the \(name) walk (\(direction)) does not read \(index):\n\(plan)")
                for table in ["contacts", "contact_emails", "contact_phones", "companies",
                              "contact_email_key_counts", "contact_phone_key_counts", "contact_name_key_counts",
                              "contact_name_pairs"] {
                    XCTAssertFalse(plan.contains("Seq Scan on \(table) "), "the \(name) walk (\(direction)) reads every row of \(table):\n\(plan)")
                }
            }
        }
    }
}
