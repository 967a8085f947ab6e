import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The stored tiers are ranked from `customer_won_values` (schema 32), the
/// won value per customer and currency, brought up to date before each
/// commit for only the contacts and companies a write touched. After every
/// kind of write that changes won value the sums are what a recount of the
/// won deals gives, and the stored tiers are the tiers the full definition
/// (`CustomerValueSQL.ctes`, every won deal joined to its customers) gives.
final class ValueTierIncrementalTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!
    var pipeline: Pipeline!
    var stages: [Stage] = []

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase(login: "boss")
        pipeline = try db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Talk", position: 0, probability: 20),
            Stage(pipelineID: 0, name: "Won", position: 1, probability: 100, kind: .won),
            Stage(pipelineID: 0, name: "Lost", position: 2, probability: 0, kind: .lost),
        ])
        stages = try db.pipelines.stages(pipelineID: pipeline.id)
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    func stage(_ status: DealStatus) -> Stage {
        stages.first { $0.kind == (status == .won ? .won : status == .lost ? .lost : .open) }!
    }

    @discardableResult
    func deal(_ minor: Int64, _ currency: String = "EUR", contact: Int64? = nil, company: Int64? = nil, status: DealStatus = .won) throws -> Deal {
        try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage(status).id, title: "deal \(minor)",
                                 value: Money(minorUnits: minor, currency: Currency(currency)!),
                                 contactID: contact, companyID: company, status: status, lostReason: status == .lost ? "price" : ""))
    }

    /// The sums against a recount, and the stored tiers against the full
    /// definition worked out from the won deals with the same policy.
    func assertTiersAreTheFullDefinition(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        XCTAssertEqual(try c.scalar("SELECT count(*) FROM customer_won_values_dirty"), 0, "marks left after \(step)", file: file, line: line)
        let stored = try c.rows("SELECT contact_id, currency, value_minor FROM customer_won_values ORDER BY 1, 2") {
            "\($0.int64(0)) \($0.string(1)) \($0.int64(2))"
        }
        let counted = try c.rows("""
            WITH \(CustomerValueSQL.valuedCTEs(pipelines: false)),
            sums AS (SELECT contact_id, currency, sum(value_minor) AS v FROM won GROUP BY 1, 2)
            SELECT contact_id, currency, v FROM sums ORDER BY 1, 2
            """, Array(CustomerValueSQL.values(policy: db.valueTierPolicy, end: nil).prefix(5))) {
            "\($0.int64(0)) \($0.string(1)) \($0.int64(2))"
        }
        XCTAssertEqual(stored, counted, "won value per customer after \(step)", file: file, line: line)
        let tiers = try c.rows("SELECT id, value_tier FROM contacts WHERE value_tier IS NOT NULL AND deleted_at IS NULL ORDER BY id") {
            "\($0.int64(0)) \($0.string(1))"
        }
        let full = try c.rows("""
            WITH \(CustomerValueSQL.ctes(pipelines: false))
            SELECT contact_id, min(tier) FROM ranked GROUP BY contact_id ORDER BY contact_id
            """, CustomerValueSQL.values(policy: db.valueTierPolicy, end: nil)) { "\($0.int64(0)) \($0.string(1))" }
        XCTAssertEqual(tiers, full, "tiers after \(step)", file: file, line: line)
        XCTAssertFalse(full.isEmpty || step.isEmpty, file: file, line: line)
    }

    func testTheTiersFollowEveryWriteThatChangesWonValue() throws {
        let acme = try db.companies.create(Company(name: "Acme"))
        let globex = try db.companies.create(Company(name: "Globex"))
        var ids: [String: Int64] = [:]
        for (name, company, lifecycle) in [("Ada", acme.id, Lifecycle.customer), ("Ben", acme.id, .customer), ("Cleo", nil, .customer),
                                           ("Dan", globex.id, .customer), ("Eve", nil, .lead), ("Finn", globex.id, .customer),
                                           ("Gita", nil, .customer)] {
            ids[name] = try db.contacts.create(Contact(name: name, companyID: company, lifecycle: lifecycle)).id
        }
        try deal(6000_00, contact: ids["Ada"])
        try deal(600_00, company: acme.id)
        try deal(400_00, contact: ids["Ben"], company: acme.id)
        try deal(1500_00, contact: ids["Cleo"])
        let usd = try deal(500_00, "USD", contact: ids["Cleo"])
        try deal(900_00, company: globex.id)
        try deal(1000_00, contact: ids["Eve"])
        try deal(100_00, "USD", contact: ids["Gita"])
        let open = try deal(2500_00, contact: ids["Dan"], status: .open)
        try assertTiersAreTheFullDefinition("the book")

        // Won, lost, reopened; value, currency, contact and company changed.
        var d = try XCTUnwrap(db.deals.get(open.id))
        d.status = .won
        d.stageID = stage(.won).id
        d = try db.deals.update(d)
        try assertTiersAreTheFullDefinition("a deal won")
        d.value = Money(minorUnits: 9000_00, currency: .eur)
        d = try db.deals.update(d)
        try assertTiersAreTheFullDefinition("its value")
        d.companyID = acme.id
        d = try db.deals.update(d)
        try assertTiersAreTheFullDefinition("its company")
        d.contactID = ids["Gita"]
        d.companyID = nil
        d = try db.deals.update(d)
        try assertTiersAreTheFullDefinition("its contact")
        var u = try XCTUnwrap(db.deals.get(usd.id))
        u.value = Money(minorUnits: 500_00, currency: .eur)
        u = try db.deals.update(u)
        try assertTiersAreTheFullDefinition("a currency")
        d.status = .lost
        d.stageID = stage(.lost).id
        d.lostReason = "price"
        d = try db.deals.update(d)
        try assertTiersAreTheFullDefinition("a deal lost")

        // Customers come and go; a contact changes company.
        for (name, lifecycle) in [("Eve", Lifecycle.customer), ("Ada", .former), ("Ada", .customer)] {
            var contact = try XCTUnwrap(db.contacts.get(ids[name]!))
            contact.lifecycle = lifecycle
            _ = try db.contacts.update(contact)
            try assertTiersAreTheFullDefinition("\(name) \(lifecycle)")
        }
        var ben = try XCTUnwrap(db.contacts.get(ids["Ben"]!))
        ben.companyID = globex.id
        _ = try db.contacts.update(ben)
        try assertTiersAreTheFullDefinition("a change of company")
        let hal = try db.contacts.create(Contact(name: "Hal", companyID: acme.id, lifecycle: .customer))
        try assertTiersAreTheFullDefinition("a new customer of a company with won deals")

        // The trash, both ways, for a deal, a contact and a company.
        try db.trash.trash(.deal, u.id)
        try assertTiersAreTheFullDefinition("a won deal in the trash")
        _ = try db.trash.restore(.deal, u.id)
        try assertTiersAreTheFullDefinition("the deal back")
        try db.trash.trash(.contact, ids["Ada"]!)
        try assertTiersAreTheFullDefinition("a customer in the trash")
        _ = try db.trash.restore(.contact, ids["Ada"]!)
        try assertTiersAreTheFullDefinition("the customer back")
        try db.trash.trash(.company, acme.id)
        try assertTiersAreTheFullDefinition("a company in the trash")
        _ = try db.trash.restore(.company, acme.id)
        try assertTiersAreTheFullDefinition("the company back")

        // A merge moves the other's deals; undone, they move back.
        let adaAgain = try db.contacts.create(Contact(name: "Ada", lifecycle: .customer))
        try deal(3000_00, contact: adaAgain.id)
        let survivor = try XCTUnwrap(db.contacts.get(hal.id))
        let merged = try db.contacts.merge(into: survivor, other: adaAgain.id, otherVersion: try XCTUnwrap(db.contacts.get(adaAgain.id)).version)
        try assertTiersAreTheFullDefinition("a merge")
        try db.contacts.undoMerge(merged)
        try assertTiersAreTheFullDefinition("the merge undone")

        // Rates set: the converted currency joins the default one's ranking.
        db.valueTierPolicy = ValueTierPolicy(tierA: 70, tierB: 20, currency: .eur, rates: ["USD": 0.5])
        try db.customerReports.recomputeValueTiers(policy: db.valueTierPolicy)
        try assertTiersAreTheFullDefinition("another policy")

        // Purged for good, and a bulk load (one refresh at its commit).
        try db.trash.trash(.contact, ids["Cleo"]!)
        _ = try db.trash.purge(kind: nil, deletedBefore: nil)
        try assertTiersAreTheFullDefinition("a purge")
        try BulkLoader(database: db).load { loader in
            for i in 0..<30 {
                let id = try loader.insert(Contact(name: "Bulk \(i)", companyID: i % 3 == 0 ? globex.id : nil, lifecycle: .customer))
                _ = try loader.insert(Deal(pipelineID: pipeline.id, stageID: stage(.won).id, title: "bulk \(i)",
                                           value: Money(minorUnits: Int64(100 + i * 37) * 100, currency: .eur),
                                           contactID: id, status: .won), history: [])
            }
        }
        try assertTiersAreTheFullDefinition("a bulk load")
    }

    func testAnOlderFileGetsTheSumsOnUpgrade() throws {
        let acme = try db.companies.create(Company(name: "Acme"))
        let ada = try db.contacts.create(Contact(name: "Ada", companyID: acme.id, lifecycle: .customer))
        _ = try db.contacts.create(Contact(name: "Ben", companyID: acme.id, lifecycle: .customer))
        try deal(6000_00, contact: ada.id)
        try deal(600_00, company: acme.id)
        let path = db.path
        try rewindSchema(db.connection, to: 30)
        db = nil
        db = try Database(path: path, login: "boss")
        try assertTiersAreTheFullDefinition("the upgrade")
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM customer_won_values"), 2)
    }
}
