import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// Export pages, deal listings, a company's follow-ups and a reassignment on
/// a book of 20,000 contacts, deals, interactions and follow-ups and 2,000
/// companies (made by generate_series, then ANALYZE): each reads its rows
/// through indexes. The proof is the server's own count of the scans each
/// check made (`pg_stat_xact_user_tables`), so the repository's real
/// statements are checked, not copies of them. Times are printed, never asserted.
final class PGExportPlanTests: XCTestCase {
    /// The tables a page may only reach through an index.
    static let large = ["contacts", "contact_emails", "contact_phones", "contact_tags", "companies", "deals",
                        "interactions", "follow_ups"]

    func testPagesListingsAndReassignmentReadThroughIndexes() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let c = db.connection
        let t0: Int64 = 1_704_067_200 // 2024-01-01 UTC
        let written = Date()
        // Written with the triggers off (as `crm migrate` writes): what is
        // checked here reads the tables themselves, and the triggers that
        // keep the stored figures and search rows cost 20 s for this book.
        do { _ = try c.script("""
            SET session_replication_role = replica;
            INSERT INTO users(id, login, created_at) SELECT g, 'u' || g, 0 FROM generate_series(2, 10) g;
            INSERT INTO pipelines(id, name, created_at) VALUES (100, 'Deals', 0);
            INSERT INTO stages(id, pipeline_id, name, position, probability) SELECT 100 + g, 100, 'S' || g, g, g * 10 FROM generate_series(0, 4) g;
            INSERT INTO companies(id, name, sort_key, name_key, owner_id, created_at, updated_at)
                SELECT g, 'Co' || g, 'co' || g, 'co' || g, 1 + g % 10, \(t0), \(t0) FROM generate_series(1, 2000) g;
            INSERT INTO contacts(id, name, sort_key, name_key, company_id, owner_id, created_at, updated_at, deleted_at)
                SELECT g, 'C' || g, 'c' || g, 'c' || g, 1 + g % 2000, 1 + g % 10, \(t0), \(t0), CASE WHEN g % 50 = 0 THEN \(t0) END
                FROM generate_series(1, 20000) g;
            INSERT INTO contact_emails(contact_id, email, label, position)
                SELECT 1 + g % 20000, 'c' || g || '@example.com', '', g / 20000 FROM generate_series(0, 29999) g;
            INSERT INTO contact_phones(contact_id, number, digits, label, position)
                SELECT 1 + g % 20000, '+4930' || (1000000 + g), '4930' || (1000000 + g), '', 0 FROM generate_series(0, 19999) g;
            INSERT INTO tags(id, name) SELECT g, 'tag' || g FROM generate_series(1, 20) g;
            INSERT INTO contact_tags(contact_id, tag_id) SELECT g, 1 + g % 20 FROM generate_series(1, 20000, 3) g;
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, owner_id, contact_id, company_id, status,
                              created_at, updated_at, stage_entered_at)
                SELECT 100, 100 + g % 5, 'D' || g, g * 100, 'EUR', 1 + g % 10, 1 + g % 20000, 1 + g % 2000,
                       (ARRAY['open','won','lost'])[1 + g % 3], \(t0), \(t0), \(t0)
                FROM generate_series(1, 20000) g;
            INSERT INTO interactions(contact_id, company_id, deal_id, kind, occurred_at, created_at, author_id)
                SELECT CASE WHEN g % 4 = 0 THEN 1 + g % 20000 END, 1 + g % 2000, 1 + g % 20000, 'call', \(t0) + g * 60, \(t0), 1 + g % 10
                FROM generate_series(1, 20000) g;
            INSERT INTO follow_ups(title, contact_id, deal_id, due_at, status, assignee_id, created_by, created_at, updated_at)
                SELECT 'F' || g, CASE WHEN g % 2 = 0 THEN 1 + g % 20000 END, CASE WHEN g % 2 = 1 THEN 1 + g % 20000 END,
                       \(t0) + g * 60, (ARRAY['open','done'])[1 + g % 2], 1 + g % 10, 1, \(t0), \(t0)
                FROM generate_series(1, 20000) g;
            RESET session_replication_role;
            ANALYZE;
            """) } catch { throw XCTSkip("the book was not written: \(c.lastError.map { "\($0)" } ?? "\(error)")") }
        print(String(format: "the book written in %.1f s", Date().timeIntervalSince(written)))
        let export = PGExportRepository(db: db)
        let listing = PGListingRepository(db: db)
        let checks: [(String, () throws -> Int)] = [
            ("contacts page", { try export.contacts(after: 10_000, limit: 500).count }),
            ("companies page", { try export.companies(after: 1_000, limit: 500).count }),
            ("deals page", { try export.deals(after: 10_000, limit: 500).count }),
            ("interactions page", { try export.interactions(after: 10_000, limit: 500).count }),
            ("follow-ups page", { try export.followUps(after: 10_000, limit: 500).count }),
            ("deals of a pipeline", { try listing.deals(DealListFilter(pipelineID: 100), afterID: 100, limit: 500).count }),
            ("deals in two stages", { try listing.deals(DealListFilter(stageIDs: [101, 103]), afterID: nil, limit: 500).count }),
            ("won deals", { try listing.deals(DealListFilter(status: .won), afterID: 15_000, limit: 500).count }),
            ("an owner's deals", { try listing.deals(DealListFilter(ownerID: 3), afterID: nil, limit: 500).count }),
            ("a company's open follow-ups", { try listing.openFollowUps(companyID: 78).count }),
            ("a reassignment of 50", {
                let items = (1...25).flatMap { [ReassignItem(.contact, Int64($0 * 7)), ReassignItem(.deal, Int64($0 * 11))] }
                return try PGReassigner(db: db).reassign(items, to: 4).moved.count
            }),
        ]
        // This session's scans per table so far (the counters of statements
        // not yet reported to the server's statistics included).
        func scans() throws -> [String: (seq: Int64, idx: Int64)] {
            Dictionary(uniqueKeysWithValues: try c.rows("SELECT relname, seq_scan, coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables") {
                ($0.string(0), (seq: $0.int64(1), idx: $0.int64(2)))
            })
        }
        for (name, run) in checks {
            // Each in a transaction of its own, rolled back so the book stays
            // as it was; its scans are the counters' growth while it ran.
            do { try c.transaction {
                let before = try scans()
                let start = Date()
                let count = try run()
                let ms = Date().timeIntervalSince(start) * 1000
                let made = try scans().compactMap { table, after -> (table: String, seq: Int64, idx: Int64)? in
                    let was = before[table] ?? (0, 0)
                    let seq = after.seq - was.seq, idx = after.idx - was.idx
                    return seq + idx > 0 ? (table, seq, idx) : nil
                }.sorted { $0.table < $1.table }
                print(String(format: "%@: %d rows in %.1f ms; ", name, count, ms)
                      + made.map { "\($0.table) \($0.seq) seq/\($0.idx) idx" }.joined(separator: ", "))
                XCTAssertGreaterThan(count, 0, name)
                for scan in made where Self.large.contains(scan.table) {
                    XCTAssertEqual(scan.seq, 0, "\(name) reads every row of \(scan.table)")
                }
                throw Rollback()
            } } catch is Rollback {}
        }
        // A whole-table figure by nature (the most emails any contact has):
        // counted by the server, two numbers come back.
        let start = Date()
        let counts = try export.contactFieldCounts()
        print(String(format: "contact field counts: %d emails, %d phones in %.1f ms", counts.emails, counts.phones,
                     Date().timeIntervalSince(start) * 1000))
        XCTAssertEqual(counts, ContactFieldCounts(emails: 2, phones: 1))
    }

    /// Ends a check's transaction without keeping what it wrote.
    private struct Rollback: Error {}
}
