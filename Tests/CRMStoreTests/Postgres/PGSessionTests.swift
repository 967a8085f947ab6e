import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The PostgreSQL engine as the screen holds it (`any CRMRepositories`): its
/// name on the status bar, and the read session the report worker uses.
final class PGSessionTests: XCTestCase {
    func testTheStatusBarNameIsTheDatabaseNameWithoutThePassword() {
        XCTAssertEqual(DatabaseName.of(conninfo: "postgresql:///crm"), "crm")
        XCTAssertEqual(DatabaseName.of(conninfo: "postgresql://sara:xxxxx@crm.example:5433/sales?sslmode=require"), "sales")
        XCTAssertEqual(DatabaseName.of(conninfo: "host=/run/postgresql dbname=crm"), "crm")
        XCTAssertEqual(DatabaseName.of(conninfo: "host=/run/postgresql dbname='team crm'"), "team")
        XCTAssertEqual(DatabaseName.of(conninfo: "postgresql://crm.example"), "postgresql://crm.example")
    }

    func testAReadSessionActsAsTheSameUserOnItsOwnConnectionAndSeesWhatIsCommitted() throws {
        let server = try TestPostgresServer.require()
        let info = server.conninfo(database: try server.makeMigratedDatabase())
        let setup = try PostgresDatabase(conninfo: info)
        _ = try setup.userRepository.add(login: "sara", name: "Sara", role: .rep)
        let db: any CRMRepositories = try PostgresDatabase(conninfo: info, login: "sara")
        let session = try db.openReadSession()
        XCTAssertEqual(session.currentUser.login, "sara")
        XCTAssertEqual(session.currentUser.id, db.currentUser.id)
        let mine = try XCTUnwrap(db as? PostgresDatabase), theirs = try XCTUnwrap(session as? PostgresDatabase)
        XCTAssertNotEqual(mine.connection.backendPID, theirs.connection.backendPID, "a connection of its own")
        let created = try db.contactRepository.create(Contact(name: "Ada Lovelace"))
        XCTAssertEqual(try session.contactRepository.get(created.id)?.name, "Ada Lovelace")
    }

    /// `5` takes the opener on the screen's thread and leaves the opening to
    /// the reports' thread: taking it makes no connection, opening does.
    func testTakingTheOpenerConnectsNothingOpeningItDoes() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name))
        let admin = try PGConnection(server.conninfo(database: "postgres"))
        func sessions() throws -> Int64 {
            try admin.integer("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [name]) ?? -1
        }
        let before = try sessions()
        let opener = try db.readSessionOpener()
        XCTAssertEqual(try sessions(), before, "taking the opener connects nothing")
        let session = try opener.open()
        XCTAssertEqual(try sessions(), before + 1)
        XCTAssertEqual(session.currentUser.login, db.currentUser.login)
    }
}
