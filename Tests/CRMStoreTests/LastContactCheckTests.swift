import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// `IntegrityReport` (what `crm check` prints) finds the contacts whose
/// stored last contact time is not the time of their latest live interaction
/// that is no stage move, on a real file read without changing it (QA 31 #10).
final class LastContactCheckTests: XCTestCase {
    func testTheContactsWhoseStoredLastContactDisagreesAreCountedAndTheFirstNamed() throws {
        let (db, folder) = try makeDatabase()
        let path = folder.path("crm.db")
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        var ids: [Int64] = []
        for n in 1...8 {
            let id = try db.contacts.create(Contact(name: "Contact \(n)")).id
            _ = try db.interactions.log(Interaction(contactID: id, kind: .call, occurredAt: start.addingTimeInterval(Double(n) * 3_600), body: "call"))
            ids.append(id)
        }
        // One with no interaction at all, one whose only later one is trashed.
        let silent = try db.contacts.create(Contact(name: "Silent")).id
        let later = try db.interactions.log(Interaction(contactID: ids[0], kind: .note, occurredAt: start.addingTimeInterval(86_400), body: "x"))
        try db.interactions.delete(later.id)
        var report = try IntegrityReport.check(path: path)
        XCTAssertTrue(report.isOK, "the triggers keep it: \(report.lastContactExamples)")
        XCTAssertEqual(report.lastContactDisagreements, 0)

        // What a copy loaded without recounting left (or a hand edit).
        try db.connection.run("UPDATE contacts SET last_interaction_at = NULL WHERE id IN (?, ?, ?)", [ids[1], ids[3], ids[5]])
        try db.connection.run("UPDATE contacts SET last_interaction_at = last_interaction_at - 60 WHERE id IN (?, ?, ?)", [ids[2], ids[4], ids[6]])
        try db.connection.run("UPDATE contacts SET last_interaction_at = ? WHERE id = ?", [start, silent])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        report = try IntegrityReport.check(path: path)
        XCTAssertTrue(report.integrityOK)
        XCTAssertFalse(report.isOK)
        XCTAssertEqual(report.lastContactDisagreements, 7)
        XCTAssertEqual(report.lastContactExamples.map(\.contactID), Array(ids[1...5]), "the first five by id")
        XCTAssertEqual(report.lastContactExamples[0],
                       LastContactDisagreement(contactID: ids[1], name: "Contact 2", stored: nil, latest: start.addingTimeInterval(2 * 3_600)))
        XCTAssertEqual(report.lastContactExamples[1].stored, start.addingTimeInterval(3 * 3_600 - 60))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "a check changes nothing")

        // The recount a loaded copy runs mends every one of them.
        try db.connection.run(StoredLastContact.recountSQL)
        report = try IntegrityReport.check(path: path)
        XCTAssertTrue(report.isOK, "\(report.lastContactExamples)")
        XCTAssertNil(try db.contacts.summary(silent)?.lastInteractionAt)
        XCTAssertEqual(try db.contacts.summary(ids[0])?.lastInteractionAt, start.addingTimeInterval(3_600))
    }

    /// A file written by a newer crm may mean more by these columns: its
    /// pages are checked, its contacts are not.
    func testANewerFileIsNotCheckedForIt() throws {
        let (db, folder) = try makeDatabase()
        let id = try db.contacts.create(Contact(name: "Ana")).id
        _ = try db.interactions.log(Interaction(contactID: id, kind: .call, occurredAt: Date(timeIntervalSince1970: 1_780_000_000), body: "call"))
        try db.connection.run("UPDATE contacts SET last_interaction_at = NULL")
        XCTAssertEqual(try IntegrityReport.check(path: folder.path("crm.db")).lastContactDisagreements, 1)
        try db.connection.execute("PRAGMA user_version = \(Database.supportedSchemaVersion + 1)")
        let newer = try IntegrityReport.check(path: folder.path("crm.db"))
        XCTAssertEqual(newer.lastContactDisagreements, 0)
        XCTAssertTrue(newer.isOK)
    }
}
