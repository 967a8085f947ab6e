import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Schema 24 fills the history of an older file from its audit log (each
/// change recorded with its author is checked on both engines:
/// LifecycleHistoryContract).
final class LifecycleHistoryTests: XCTestCase {
    struct Change: Equatable { let from: String, to: String, by: String? }

    func history(_ c: Connection, _ id: Int64) throws -> [Change] {
        try c.rows("""
            SELECT h.from_lifecycle, h.to_lifecycle, u.login FROM contact_lifecycle_history h
            LEFT JOIN users u ON u.id = h.changed_by WHERE h.contact_id = ? ORDER BY h.id
            """, [id]) { Change(from: $0.string(0), to: $0.string(1), by: $0.optionalString(2)) }
    }

    func testAnOlderFileIsFilledFromItsAuditLog() throws {
        let folder = TempFolder()
        let path = folder.path("v23.db")
        var id: Int64 = 0
        do {
            let db = try Database(path: path, login: "omid")
            var contact = try db.contacts.create(Contact(name: "Bita"))
            contact.lifecycle = .prospect
            contact = try db.contacts.update(contact)
            contact.lifecycle = .customer
            _ = try db.contacts.update(contact)
            id = contact.id
            try db.connection.run("DELETE FROM contact_lifecycle_history")
            try rewindSchema(db.connection, to: 23)
        }
        let db = try Database(path: path, login: "omid")
        XCTAssertEqual(try history(db.connection, id),
                       [Change(from: "lead", to: "prospect", by: "omid"), Change(from: "prospect", to: "customer", by: "omid")])
    }
}
