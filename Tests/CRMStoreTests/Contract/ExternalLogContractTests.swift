import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Contacts by email and mails by Message-ID (`crm log`, `crm log-email`),
/// written once and run on both engines.
struct ExternalLogRepositoryContract {
    let fixture: EngineFixture

    func contactsAreFoundByAddressAndAMailIsLoggedOnce() throws {
        let s = try fixture.open("sara")
        let nina = try s.addContact("Nina", nil), anna = try s.addContact("Anna", nil), gerd = try s.addContact("Gerd", nil)
        try s.addEmail(nina, "Nina@Example.com")
        try s.addEmail(anna, "nina@example.COM")
        try s.addEmail(gerd, "nina@example.com")
        try s.addEmail(anna, "müller@example.com")
        XCTAssertEqual(try s.externalLog.contacts(withEmail: " NINA@example.com ", limit: 10).map(\.name), ["Anna", "Gerd", "Nina"])
        XCTAssertEqual(try s.externalLog.contacts(withEmail: "nina@example.com", limit: 1).map(\.name), ["Anna"])
        XCTAssertEqual(try s.externalLog.contacts(withEmail: "MÜLLER@example.com", limit: 10).map(\.name), [],
                       "as SQLite's NOCASE: only ASCII letters fold")
        XCTAssertEqual(try s.externalLog.contacts(withEmail: "müller@EXAMPLE.com", limit: 10).map(\.name), ["Anna"])
        XCTAssertNil(try s.externalLog.interaction(messageID: "<a@b>"))
        let mail = try s.externalLog.logMail(Interaction(contactID: nina, kind: .email, direction: .inbound, occurredAt: fixture.clock.now,
                                                         subject: "Offer"), messageID: "<a@b>")
        XCTAssertEqual(try s.externalLog.interaction(messageID: "<a@b>")?.id, mail.id)
        XCTAssertEqual(try s.audit("interaction", mail.id).first?.changes["message id"], AuditChange(.text(""), .text("<a@b>")))
        XCTAssertThrowsError(try s.externalLog.logMail(Interaction(contactID: anna, kind: .email, occurredAt: fixture.clock.now,
                                                                   subject: "Again"), messageID: "<a@b>"), "a Message-ID is stored once")
        XCTAssertEqual(try s.interactions.timeline(.contact(anna), before: nil, limit: 5).count, 0, "nothing half-written")
    }
}

final class SQLiteExternalLogContractTests: XCTestCase {
    func testContactsAreFoundByAddressAndAMailIsLoggedOnce() throws {
        try ExternalLogRepositoryContract(fixture: .sqlite()).contactsAreFoundByAddressAndAMailIsLoggedOnce()
    }
}

final class PostgresExternalLogContractTests: XCTestCase {
    func testContactsAreFoundByAddressAndAMailIsLoggedOnce() throws {
        try ExternalLogRepositoryContract(fixture: try .postgres()).contactsAreFoundByAddressAndAMailIsLoggedOnce()
    }
}
