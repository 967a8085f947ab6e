import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// Schema 34 on PostgreSQL: every search document carries its contact's sort
/// key and trash state (kept by triggers), which the full-text ranks read
/// instead of the contact (`PGContactDocumentRanks`). A search after each
/// kind of write that moves a contact in the name order or in and out of the
/// trash finds the same rows, in the same order and ranks, as on SQLite.
final class PGSearchDocumentPlaceTests: XCTestCase {
    static let queries = ["anna", "an", "a", "schmidt", "ber", "berlin", "acme", "example", "171", "0171 5", "z", "müller"]

    func testSearchesAfterRenamesTrashAndRestoreAreAsOnSQLite() throws {
        let folder = TempFolder()
        let sqlite = try script(Database(path: folder.path("crm.db"), login: "sara", clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)),
                                         phoneRegion: PhoneRegion(code: "DE")))
        let postgres = try PostgresDatabase(conninfo: try TestPostgresServer.require().conninfo(database: try TestPostgresServer.require().makeMigratedDatabase()),
                                            login: "sara", clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)))
        postgres.phoneRegion = PhoneRegion(code: "DE")
        let found = try script(postgres)
        XCTAssertEqual(found.count, sqlite.count)
        for (s, p) in zip(sqlite, found) { XCTAssertEqual(p, s) }
        XCTAssertTrue(sqlite.contains { $0.hasPrefix("after search \"ber\": Bert Zander [namePrefix]") }, "\(sqlite)")
        // Every document says what its contact says.
        let wrong = try postgres.connection.integer("""
            SELECT count(*) FROM contacts c JOIN contact_search s ON s.contact_id = c.id
            WHERE s.sort_key IS DISTINCT FROM c.sort_key OR s.live <> (c.deleted_at IS NULL)
            """)
        XCTAssertEqual(wrong, 0)
        XCTAssertEqual(try postgres.connection.integer("SELECT count(*) FROM contact_search WHERE live"), 4)
    }

    private func script(_ db: any CRMRepositories) throws -> [String] {
        let contacts = db.contactRepository
        let acme = try db.companyRepository.create(Company(name: "Acme Berlin"))
        var anna = try contacts.create(Contact(name: "Anna Schmidt", companyID: acme.id, emails: [EmailAddress("anna@example.com")]))
        let bert = try contacts.create(Contact(name: "Bert Anders", phones: [PhoneNumber("0171 5551234")], notes: "Berlin"))
        var carla = try contacts.create(Contact(name: "Carla Müller", emails: [EmailAddress("carla@example.com")]))
        let dora = try contacts.create(Contact(name: "Dora Berlin", companyID: acme.id))
        _ = try contacts.create(Contact(name: "Emil Zorn", phones: [PhoneNumber("+49 171 5559876")]))
        var out = read(contacts, "before")
        // Renamed (a new place in the name order), trashed, restored, trashed.
        anna.name = "Zara Schmidt"
        anna = try contacts.update(anna)
        var renamed = try XCTUnwrap(contacts.get(bert.id))
        renamed.name = "Bert Zander"
        _ = try contacts.update(renamed)
        try contacts.delete(dora.id)
        try contacts.delete(carla.id)
        try contacts.restore(carla.id)
        carla = try XCTUnwrap(contacts.get(carla.id))
        carla.name = "Anna Müller"
        _ = try contacts.update(carla)
        out += read(contacts, "after")
        return out
    }

    /// Each query's first page (as the list reads it), its count and the
    /// place of each row, one line each.
    private func read(_ contacts: any ContactRepository, _ label: String) -> [String] {
        Self.queries.flatMap { text -> [String] in
            do {
                let filter = ContactFilter(text: text)
                let rows = try contacts.list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: 50)
                let places = try rows.map { try contacts.countBefore(sort: .name, filter: filter, cursor: $0.cursor(for: .name)) }
                return ["\(label) search \"\(text)\": " + rows.map { "\($0.name) [\($0.match.map { "\($0.rank)" } ?? "-")]" }.joined(separator: ", "),
                        "\(label) count \"\(text)\": \(try contacts.count(filter: filter)) upTo 2: \(try contacts.count(filter: filter, upTo: 2)) places \(places)"]
            } catch {
                return ["\(label) \"\(text)\" error: \(error)"]
            }
        }
    }
}
