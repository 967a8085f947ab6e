import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// The settings' tier shares and rates (`tier.A`, `tier.B`, `rate.*`) are
/// read again whenever the store is opened, on both engines: the stored
/// tiers follow the opener's policy, as SQLite's `Database(valueTierPolicy:)`
/// has always done and PostgreSQL's `PostgresDatabase(valueTierPolicy:)` now does.
struct ValueTierPolicyContract {
    let store: ContractStore

    func theStoredTiersFollowThePolicyTheStoreIsOpenedWith() throws {
        let db = try store.open("ana")
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Talk", position: 0, probability: 10)])
        let stages = try db.pipelineRepository.stages(pipelineID: pipeline.id)
        let talk = try XCTUnwrap(stages.first { $0.kind == .open }), won = try XCTUnwrap(stages.first { $0.kind == .won })
        var ids: [Int64] = []
        // Won value 70, 20 and 10 EUR, and 40 USD (its own ranking without a rate).
        for (name, value, currency) in [("Seventy", 70_00, Currency.eur), ("Twenty", 20_00, .eur), ("Ten", 10_00, .eur), ("Dollar", 40_00, .usd)] {
            let contact = try db.contactRepository.create(Contact(name: name, lifecycle: .customer))
            let deal = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: talk.id, title: name,
                                                         value: Money(minorUnits: Int64(value), currency: currency), contactID: contact.id))
            _ = try db.dealRepository.move(deal.id, toStage: won.id, expectedVersion: deal.version)
            ids.append(contact.id)
        }
        func tiers(_ repos: any CRMRepositories) throws -> [String] {
            try ids.map { try repos.customerReportRepository.valueTier(contactID: $0)?.rawValue ?? "-" }
        }
        // The default shares (A: the first 80 %, B: the next 15 %).
        XCTAssertEqual(try tiers(db), ["A", "A", "B", "A"], store.name)

        // Opened with other shares and a rate: the tiers are worked out again.
        store.valueTierPolicy = ValueTierPolicy(tierA: 50, tierB: 30, currency: .eur, rates: ["USD": 0.5])
        let other = try store.open("ana")
        // 70, 20 (the dollars at 0.5), 20, 10 of 120: A for the first half, B to 80 %.
        XCTAssertEqual(try tiers(other), ["A", "B", "C", "B"], store.name)

        // And back with the defaults.
        store.valueTierPolicy = ValueTierPolicy()
        XCTAssertEqual(try tiers(try store.open("ana")), ["A", "A", "B", "A"], store.name)
    }
}

final class SQLiteValueTierPolicyTests: XCTestCase {
    func testTheStoredTiersFollowThePolicyTheStoreIsOpenedWith() throws {
        try ValueTierPolicyContract(store: .sqlite()).theStoredTiersFollowThePolicyTheStoreIsOpenedWith()
    }
}

final class PGValueTierPolicyTests: XCTestCase {
    func testTheStoredTiersFollowThePolicyTheStoreIsOpenedWith() throws {
        try ValueTierPolicyContract(store: try .postgres()).theStoredTiersFollowThePolicyTheStoreIsOpenedWith()
    }
}
