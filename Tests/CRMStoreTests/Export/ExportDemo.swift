import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

extension XCTestCase {
    /// A demo database for the export tests, made on a fixed day, with one
    /// contact changed by `edit` (audited, as a person's edit is).
    func makeExportDemo(contacts: Int, seed: UInt64, editing id: Int64,
                        _ edit: (inout Contact) -> Void) throws -> (Database, TempFolder) {
        let (db, folder) = try makeDatabase(login: "sara")
        try DemoData.generate(into: db, contacts: contacts, seed: seed, today: Date(timeIntervalSince1970: 1_779_926_400))
        var contact = try XCTUnwrap(db.contacts.get(id))
        edit(&contact)
        _ = try db.contacts.update(contact)
        return (db, folder)
    }
}
