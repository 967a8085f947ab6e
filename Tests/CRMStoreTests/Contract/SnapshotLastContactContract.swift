import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A complete copy (`crm export all --format json`, or `crm migrate`) loaded
/// into an empty database: each contact's stored last contact time is
/// recounted from the copied interactions (its latest live one that is not a
/// stage move), not taken from the file, on either engine. A copy with none
/// stored for contacts that have interactions made the People report's
/// cadence and the at-risk list trust a wrong time while other figures
/// counted the interactions (QA 31 #10).
struct SnapshotLastContactContract {
    let fixture: EngineFixture

    static let day: TimeInterval = 86_400

    func aLoadedCopyRecountsEachContactsLastContact() throws {
        let clock = fixture.clock
        let t0 = clock.now
        func at(_ days: Double) -> Date { t0.addingTimeInterval(days * Self.day) }

        // The source: a crm database on SQLite, written as a person would.
        let folder = TempFolder()
        let source = try Database(path: folder.path("source.db"), login: "sara", clock: clock)
        let sara = source.currentUser.id
        let customer = { (name: String) in try source.contacts.create(Contact(name: name, ownerID: sara, lifecycle: .customer)).id }
        let hank = try customer("Hank Miller"), ana = try customer("Ana Ruiz"), zoe = try customer("Zoe Park")
        for days in [10.0, 20] {
            _ = try source.interactions.log(Interaction(contactID: hank, kind: .call, occurredAt: at(days), body: "call"))
        }
        // A later note, then trashed: not a contact any more.
        let trashed = try source.interactions.log(Interaction(contactID: hank, kind: .note, occurredAt: at(90), body: "typo"))
        try source.interactions.delete(trashed.id)
        _ = try source.interactions.log(Interaction(contactID: ana, kind: .call, occurredAt: at(85), body: "call"))
        // A stage move of Ana's deal after her call: on her timeline, but no contact.
        let sales = try source.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Offer", position: 1, probability: 50),
        ])
        let stages = try source.pipelines.stages(pipelineID: sales.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
        let deal = try source.deals.create(Deal(pipelineID: sales.id, stageID: stages[0].id, title: "Pilot",
                                                value: Money(minorUnits: 100, currency: .eur), ownerID: sara, contactID: ana,
                                                stageEnteredAt: t0, createdAt: t0, updatedAt: t0))
        clock.now = at(95)
        _ = try source.deals.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
        clock.now = at(100)
        let expected: [Int64: Date?] = [hank: at(20), ana: at(85), zoe: nil]
        for (id, time) in expected {
            XCTAssertEqual(try source.contacts.summary(id)?.lastInteractionAt, time, "the source's own triggers, contact \(id)")
        }

        // The copy as a file written by hand or another tool may hold it:
        // none for Hank, a stale one for Ana, one for Zoe who has no interaction.
        let export = source.exportRepository
        var rows = try allSnapshotRows(export)
        let contacts = try XCTUnwrap(SnapshotTable.all.first { $0.name == "contacts" })
        let id = try XCTUnwrap(contacts.columns.firstIndex(of: "id"))
        let last = try XCTUnwrap(contacts.columns.firstIndex(of: "last_interaction_at"))
        let written: [Int64: SnapshotValue] = [hank: .null, ana: .integer(at(1).wholeSecondsSince1970),
                                               zoe: .integer(at(99).wholeSecondsSince1970)]
        var changed = 0
        for i in rows.indices where rows[i].table == contacts {
            guard case .integer(let rowID) = rows[i].values[id], let value = written[rowID] else { continue }
            rows[i].values[last] = value
            changed += 1
        }
        XCTAssertEqual(changed, 3)

        let target = try fixture.open("sara").repositories
        try loadSnapshot(rows, schemaVersion: export.snapshotSchemaVersion, into: target.exportRepository)
        for (id, time) in expected {
            XCTAssertEqual(try target.contactRepository.summary(id)?.lastInteractionAt, time,
                           "\(fixture.name): contact \(id)'s last contact after the load")
        }
        // The People page's cadence reads the stored time: Hank (80 days) and
        // Zoe (never, created 100 days ago) are out of a 30-day cadence, Ana
        // (15 days) in it.
        let filter = ReportFilter(start: at(70), end: at(101), now: clock.now)
        let touch = try target.peopleReportRepository.stayInTouch(filter, rules: [CadenceRule(.lifecycle(.customer), days: 30)],
                                                                  users: [sara], withIDs: true)
        XCTAssertEqual(touch[sara]?.customers, 3, fixture.name)
        XCTAssertEqual(touch[sara]?.notInTouchIDs.sorted(), [hank, zoe].sorted(), fixture.name)

        // The Customers page's at-risk list shows it: Hank's two calls were
        // in the earlier half of the 90 days, none since; his last contact
        // is the second call, not the day he was created (QA 31 #10).
        let risk = try target.customerReportRepository.atRisk(filter, rules: [CadenceRule(.lifecycle(.customer), days: 30)],
                                                               windowDays: 90, limit: 10)
        XCTAssertEqual(risk.rows.first { $0.contactID == hank }?.lastTouch, at(20), "\(fixture.name): \(risk.rows)")

        // Writes after the load keep it as before (the triggers are back).
        _ = try target.interactionRepository.log(Interaction(contactID: zoe, kind: .meeting, occurredAt: at(99), body: "visit"))
        XCTAssertEqual(try target.contactRepository.summary(zoe)?.lastInteractionAt, at(99), fixture.name)
    }
}

final class SQLiteSnapshotLastContactTests: XCTestCase {
    func testALoadedCopyRecountsEachContactsLastContact() throws {
        try SnapshotLastContactContract(fixture: .sqlite()).aLoadedCopyRecountsEachContactsLastContact()
    }
}

final class PostgresSnapshotLastContactTests: XCTestCase {
    func testALoadedCopyRecountsEachContactsLastContact() throws {
        try SnapshotLastContactContract(fixture: .postgres()).aLoadedCopyRecountsEachContactsLastContact()
    }
}
