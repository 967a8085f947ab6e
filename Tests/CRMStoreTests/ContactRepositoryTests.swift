import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

final class ContactRepositoryTests: XCTestCase {
    func testCreateReadUpdateDeleteRestore() throws {
        let (db, _) = try makeDatabase()
        let company = try db.companies.create(Company(name: "Müller GmbH", domain: "mueller.de"))
        var contact = try db.contacts.create(Contact(
            name: "Jürgen Müller", title: "Einkauf", companyID: company.id,
            emails: [EmailAddress("j.mueller@mueller.de", label: "work")],
            phones: [PhoneNumber("+49 30 1234-5678"), PhoneNumber("0171 555 0101", label: "mobile")],
            tags: ["vip", "berlin"], lifecycle: .customer, source: "fair"))
        XCTAssertEqual(contact.version, 1)
        XCTAssertEqual(contact.ownerID, db.currentUser.id)
        XCTAssertEqual(contact.tags, ["berlin", "vip"])
        XCTAssertEqual(contact.phones.map(\.label), ["", "mobile"])

        contact.title = "Leitung Einkauf"
        contact.emails.append(EmailAddress("juergen@example.org"))
        let updated = try db.contacts.update(contact)
        XCTAssertEqual(updated.version, 2)
        XCTAssertEqual(updated.emails.count, 2)
        XCTAssertEqual(try db.audit.entries(entity: "contact", id: contact.id).first?.changes.keys.sorted(), ["emails", "title"])

        let summary = try XCTUnwrap(db.contacts.summary(contact.id))
        XCTAssertEqual(summary.companyName, "Müller GmbH")
        XCTAssertEqual(summary.email, "j.mueller@mueller.de")
        XCTAssertEqual(summary.phone, "+49 30 1234-5678")

        try db.contacts.delete(contact.id)
        XCTAssertEqual(try db.contacts.count(filter: .init()), 0)
        XCTAssertEqual(try db.contacts.deleted(limit: 10).map(\.id), [contact.id])
        try db.contacts.restore(contact.id)
        XCTAssertEqual(try db.contacts.count(filter: .init()), 1)
    }

    func testInvalidContactIsRefusedNamingTheField() throws {
        let (db, _) = try makeDatabase()
        XCTAssertThrowsError(try db.contacts.create(Contact(name: " ", emails: [EmailAddress("not-an-email")]))) { error in
            let failure = error as? ValidationFailure
            XCTAssertEqual(failure?.errors.map(\.field), ["name", "email"])
            XCTAssertTrue(failure?.message(for: "email")?.contains("not-an-email") ?? false)
        }
        XCTAssertEqual(try db.contacts.count(filter: .init()), 0)
    }

    func testStaleUpdateIsRefusedAndRowUnchanged() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        let alice = try Database(path: path, login: "alice")
        let bob = try Database(path: path, login: "bob")
        let created = try alice.contacts.create(Contact(name: "Li Na", title: "CTO"))

        var bobsCopy = try XCTUnwrap(bob.contacts.get(created.id))
        bobsCopy.title = "CEO"
        _ = try bob.contacts.update(bobsCopy)

        var alicesCopy = created
        alicesCopy.notes = "met at fair"
        XCTAssertThrowsError(try alice.contacts.update(alicesCopy)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("expected stale, got \(error)") }
            XCTAssertEqual(stale.changedBy, "bob")
            XCTAssertEqual(stale.changedFields, ["title"])
            XCTAssertEqual(stale.currentVersion, 2)
            XCTAssertTrue(stale.description.contains("bob"))
        }
        let stored = try XCTUnwrap(alice.contacts.get(created.id))
        XCTAssertEqual(stored.title, "CEO")
        XCTAssertEqual(stored.notes, "")
        XCTAssertEqual(stored.version, 2)
    }

    func testSoftDeleteHidesAndRestoreBringsBackTimeline() throws {
        let (db, _) = try makeDatabase()
        let contact = try db.contacts.create(Contact(name: "زهرا احمدی"))
        _ = try db.interactions.log(Interaction(contactID: contact.id, kind: .call, direction: .inbound, body: "asked for a quote"))
        try db.contacts.delete(contact.id)
        XCTAssertTrue(try db.contacts.search("زهرا", filter: .init(), limit: 10).isEmpty)
        XCTAssertTrue(try db.contacts.list(sort: .name, filter: .init(), cursor: nil, direction: .forward, limit: 10).isEmpty)
        try db.contacts.restore(contact.id)
        XCTAssertEqual(try db.contacts.search("زهرا", filter: .init(), limit: 10).map(\.id), [contact.id])
        let timeline = try db.interactions.timeline(.contact(contact.id), before: nil, limit: 10)
        XCTAssertEqual(timeline.map(\.interaction.body), ["asked for a quote"])
    }

    func testFiltersByOwnerTagLifecycleAndCompany() throws {
        let (db, _) = try makeDatabase(login: "sara")
        let omid = try db.users.findOrCreate(login: "omid")
        let acme = try db.companies.create(Company(name: "Acme"))
        _ = try db.contacts.create(Contact(name: "A", companyID: acme.id, tags: ["vip"], lifecycle: .customer))
        _ = try db.contacts.create(Contact(name: "B", ownerID: omid.id, lifecycle: .prospect))
        _ = try db.contacts.create(Contact(name: "C", tags: ["vip"], ownerID: omid.id, lifecycle: .customer))
        func names(_ f: ContactFilter) throws -> [String] {
            try db.contacts.list(sort: .name, filter: f, cursor: nil, direction: .forward, limit: 10).map(\.name)
        }
        XCTAssertEqual(try names(.init(ownerID: omid.id)), ["B", "C"])
        XCTAssertEqual(try names(.init(tag: "vip")), ["A", "C"])
        XCTAssertEqual(try names(.init(lifecycle: .customer)), ["A", "C"])
        XCTAssertEqual(try names(.init(companyID: acme.id)), ["A"])
        XCTAssertEqual(try names(.init(ownerID: omid.id, tag: "vip")), ["C"])
        XCTAssertEqual(try db.contacts.allTags(), ["vip"])
    }
}
