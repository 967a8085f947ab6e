import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The stored value tier through the real binary: `crm lookup` shows it on
/// the caller's card and in its JSON, `crm contacts --tier` filters by it.
extension OutsideCommandsE2ETests {
    func testLookupAndContactsShowTheValueTier() throws {
        do {
            // Günter, the only customer, wins a deal: he alone makes all the
            // won value, so he is tier A.
            let db = try Database(path: dbPath, login: "sara")
            let pipeline = try db.pipelines.createPipeline("Sales", stages: [
                Stage(pipelineID: 0, name: "Talk", position: 0, probability: 20),
                Stage(pipelineID: 0, name: "Won", position: 1, probability: 100, kind: .won),
            ])
            let won = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .won })
            _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: won.id, title: "Renewal",
                                         value: Money(minorUnits: 5000_00, currency: .eur), contactID: guenter.id, status: .won))
        }
        let found = try crm(["lookup", "+49 171 9936679", "--db", dbPath])
        XCTAssertEqual(found.status, 0, found.err)
        XCTAssertTrue(found.out.contains("  lifecycle:  customer\n  tier:       A (value tier)\n  last:"), found.out)
        // A lead has no tier, and no tier line.
        let erika = try crm(["lookup", "+43 171 9936679", "--db", dbPath])
        XCTAssertFalse(erika.out.contains("tier:"), erika.out)

        let json = try crm(["lookup", "1719936679", "--json", "--db", dbPath])
        let cards = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(cards.map { $0["name"] as? String }, ["Erika Huber", "Günter Müller"])
        XCTAssertTrue(cards[0]["tier"] is NSNull)
        XCTAssertEqual(cards[1]["tier"] as? String, "A")

        let tierA = try crm(["contacts", "--tier", "a", "--json", "--db", dbPath])
        XCTAssertEqual(tierA.status, 0, tierA.err)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(tierA.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["Günter Müller"])
        let tierB = try crm(["contacts", "--tier", "B", "--json", "--db", dbPath])
        XCTAssertEqual(tierB.out.filter { !$0.isWhitespace }, "[]")
        let bad = try crm(["contacts", "--tier", "gold", "--db", dbPath])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.err.contains("--tier is \"gold\"; expected A, B or C"), bad.err)
    }
}
