import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// `deal_card_fts` (schema 33), the board's search index: after every kind
/// of write it holds exactly what `deal_card_text` says now (a recount), and
/// a board search finds exactly the deals the three indexes found before.
final class DealCardSearchTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase()
        // Through BulkLoader: its backfill fills the index for the loaded deals.
        try DemoData.generate(into: db, contacts: 80, seed: 11)
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    private static let columns = """
        title, lost_reason, company_name, company_domain, company_notes, contact_name, contact_company, contact_emails, contact_extra, place
        """

    private func assertIndexEqualsRecount(_ after: String, file: StaticString = #filePath, line: UInt = #line) throws {
        func read(_ sql: String) throws -> [String] {
            try db.connection.rows(sql) { row in (0..<11).map { row.string(Int32($0)) }.joined(separator: "|") }
        }
        let indexed = try read("SELECT rowid, \(Self.columns) FROM deal_card_fts ORDER BY rowid")
        let recount = try read("SELECT id, \(Self.columns) FROM deal_card_text ORDER BY id")
        XCTAssertFalse(recount.isEmpty, after, file: file, line: line)
        XCTAssertEqual(indexed, recount, "after \(after)", file: file, line: line)
    }

    func testIndexEqualsARecountAfterEveryKindOfWrite() throws {
        do { try everyKindOfWrite() } catch { XCTFail("\(error): \(Mirror(reflecting: error).children.map { "\($0.value)" })") }
    }

    private func everyKindOfWrite() throws {
        try assertIndexEqualsRecount("the demo's bulk load")
        let pipeline = try XCTUnwrap(try db.pipelines.pipelines().first)
        let stage = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first)
        let company = try db.companies.create(Company(name: "Quillon Works", domain: "quillon.example"))
        var contact = try db.contacts.create(Contact(name: "Zora Ndiaye", companyID: company.id,
                                                     emails: [EmailAddress("zora@quillon.example")], tags: ["vip"]))
        var deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Turbine service",
                                            value: Money(minorUnits: 500_00, currency: .eur), contactID: contact.id))
        try assertIndexEqualsRecount("creating a deal")
        deal.title = "Turbine overhaul"
        deal.companyID = company.id
        deal = try db.deals.update(deal)
        try assertIndexEqualsRecount("a deal's title and company")
        contact.name = "Zora Ndiaye-Okafor"
        contact.emails.append(EmailAddress("z.okafor@example.org"))
        contact.tags = ["partner"]
        contact = try db.contacts.update(contact)
        try assertIndexEqualsRecount("a contact's name, emails and tags")
        contact.emails = []
        contact.tags = []
        contact.companyID = nil
        contact = try db.contacts.update(contact)
        try assertIndexEqualsRecount("a contact's emails, tags and company removed")
        var renamed = try XCTUnwrap(try db.companies.get(company.id))
        renamed.name = "Quillon Industrial"
        renamed.notes = "hydro"
        _ = try db.companies.update(renamed)
        try assertIndexEqualsRecount("a company's name and notes")
        // A company renamed whose contact (not the deal) belongs to it.
        let other = try db.companies.create(Company(name: "Vantor"))
        contact.companyID = other.id
        contact = try db.contacts.update(contact)
        var vantor = try XCTUnwrap(try db.companies.get(other.id))
        vantor.name = "Vantor Maritime"
        _ = try db.companies.update(vantor)
        try assertIndexEqualsRecount("a company of the deal's contact renamed")
        let current = try XCTUnwrap(try db.deals.get(deal.id))
        deal = try db.deals.close(deal.id, as: .lost, reason: "Budget frozen", expectedVersion: current.version)
        try assertIndexEqualsRecount("a deal lost with a reason")
        try db.deals.delete(deal.id)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM deal_card_fts WHERE rowid = ?", [deal.id]), 0,
                       "a deal in the trash is not searched")
        try assertIndexEqualsRecount("a deal to the trash")
        try db.deals.restore(deal.id)
        try assertIndexEqualsRecount("a deal restored")
        try db.contacts.delete(contact.id)
        try assertIndexEqualsRecount("the deal's contact to the trash")
        _ = try db.trashRepository.purge(kind: nil, deletedBefore: nil)
        try assertIndexEqualsRecount("the trash purged (the contact gone for good)")
        try db.deals.delete(deal.id)
        _ = try db.trashRepository.purge(kind: nil, deletedBefore: nil)
        try assertIndexEqualsRecount("a deal purged")
        // The purged deal's id (the newest) is given again: its old entries are gone.
        _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "After the purge",
                                     value: Money(minorUnits: 100_00, currency: .eur)))
        let newest = try db.companies.create(Company(name: "Ephemeral Ltd"))
        try db.companies.delete(newest.id)
        _ = try db.trashRepository.purge(kind: nil, deletedBefore: nil)
        _ = try db.companies.create(Company(name: "Takes its place"))
        try assertIndexEqualsRecount("a deal and a company created after a purge")
        // A second bulk load on top of existing rows: its backfill adds only its own.
        try DemoData.generate(into: db, contacts: 20, seed: 12)
        try assertIndexEqualsRecount("a second bulk load")
    }

    /// The old search, three indexes asked apart, as a reference.
    private func oldMatches(_ text: String) throws -> [Int64] {
        guard let match = SearchQuery(text).ftsMatch else { return [] }
        return try db.connection.rows("""
            SELECT d.id FROM deals d WHERE d.deleted_at IS NULL AND
                (d.id IN (SELECT rowid FROM deal_fts WHERE deal_fts MATCH ?)
                 OR d.company_id IN (SELECT rowid FROM company_fts WHERE company_fts MATCH ?)
                 OR d.contact_id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?))
            ORDER BY d.id
            """, [match, match, match]) { $0.int64(0) }
    }

    func testBoardSearchFindsWhatTheThreeIndexesFound() throws {
        let pipelines = try db.pipelines.pipelines()
        let words = try db.connection.rows("SELECT title FROM deals LIMIT 3") { $0.string(0) }
            + db.connection.rows("SELECT name FROM companies LIMIT 2") { $0.string(0) }
            + db.connection.rows("SELECT email FROM contact_emails LIMIT 1") { $0.string(0) }
        var texts = ["a", "a b", "e", "gmbh", "zzzz", "m s"]
        texts += words.compactMap { $0.split(separator: " ").first.map(String.init) }
        var sawSome = false
        for text in texts {
            var found: [Int64] = []
            for pipeline in pipelines {
                let filter = DealFilter(text: text)
                for stage in try db.pipelines.stages(pipelineID: pipeline.id) {
                    found += try db.deals.cards(stageID: stage.id, filter: filter, after: nil, limit: 100_000).map(\.id)
                }
                found += try db.deals.closedDeals(pipelineID: pipeline.id, status: nil, filter: filter, after: nil, limit: 100_000).map(\.id)
            }
            let old = try oldMatches(text)
            XCTAssertEqual(found.sorted(), old, "\"\(text)\"")
            sawSome = sawSome || !old.isEmpty
        }
        XCTAssertTrue(sawSome)
    }
}
