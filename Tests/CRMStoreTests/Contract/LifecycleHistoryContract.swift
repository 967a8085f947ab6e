import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Every lifecycle change of a contact is recorded with who made it, on
/// both engines (the report's conversion and retention read it). It was
/// SQLite-only in LifecycleHistoryTests, which keeps the upgrade check.
struct LifecycleHistoryContract {
    let store: ContractStore

    /// "from>to>login" per recorded change, oldest first.
    func history(_ id: Int64) throws -> [String] {
        try store.texts("""
            SELECT h.from_lifecycle || '>' || h.to_lifecycle || '>' || coalesce(u.login, '-')
            FROM contact_lifecycle_history h LEFT JOIN users u ON u.id = h.changed_by WHERE h.contact_id = ? ORDER BY h.id
            """, [id]).map { $0 ?? "" }
    }

    func anEditRecordsTheChangeAndWhoMadeIt() throws {
        let db = try store.open("sara")
        var contact = try db.contactRepository.create(Contact(name: "Ada"))
        XCTAssertEqual(try history(contact.id), [], "creation is not a change")
        contact.lifecycle = .customer
        contact = try db.contactRepository.update(contact)
        contact.title = "CTO"
        contact = try db.contactRepository.update(contact)
        XCTAssertEqual(try history(contact.id), ["lead>customer>sara"], "an edit of another field adds nothing")
        let omid = try store.open("omid")
        var theirs = try XCTUnwrap(omid.contactRepository.get(contact.id))
        theirs.lifecycle = .former
        _ = try omid.contactRepository.update(theirs)
        XCTAssertEqual(try history(contact.id), ["lead>customer>sara", "customer>former>omid"])
    }
}

final class SQLiteLifecycleHistoryContractTests: XCTestCase {
    func testAnEditRecordsTheChangeAndWhoMadeIt() throws {
        try LifecycleHistoryContract(store: .sqlite()).anEditRecordsTheChangeAndWhoMadeIt()
    }
}

final class PGLifecycleHistoryContractTests: XCTestCase {
    func testAnEditRecordsTheChangeAndWhoMadeIt() throws {
        try LifecycleHistoryContract(store: try .postgres()).anEditRecordsTheChangeAndWhoMadeIt()
    }
}
