import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The PostgreSQL schema on a real throwaway server: a new database gets
/// the whole schema in one step, a second open changes nothing, a newer
/// schema is refused untouched, and the triggers keep what SQLite's keep.
final class PGMigrationTests: XCTestCase {
    private func conninfo() throws -> String {
        let server = try TestPostgresServer.require()
        return server.conninfo(database: try server.makeDatabase())
    }

    func testANewDatabaseGetsTheSchemaAndTheFirstUserIsTheAdmin() throws {
        let info = try conninfo()
        let sara = try PostgresDatabase(conninfo: info, login: "sara")
        XCTAssertEqual(sara.schemaVersion, PostgresDatabase.supportedSchemaVersion)
        XCTAssertEqual(sara.currentUser.role, .admin)
        let steps = try sara.connection.integer("SELECT count(*) FROM crm_schema")
        let again = try PostgresDatabase(conninfo: info)
        XCTAssertEqual(try again.connection.integer("SELECT count(*) FROM crm_schema"), steps, "a second open applies nothing")
        XCTAssertEqual(try again.connection.integer("SELECT max(version) FROM crm_schema"), Int64(PostgresDatabase.supportedSchemaVersion))
        XCTAssertThrowsError(try PostgresDatabase(conninfo: info, login: "omid")) { error in
            XCTAssertEqual((error as? UserRefusal)?.kind, .unknownUser)
        }
        XCTAssertEqual(try sara.audit.entries(entity: "user", id: sara.currentUser.id).map(\.action), ["create"])
    }

    /// A database whose character type lowers A–Z only (LC_CTYPE C) would
    /// keep "Über" and "über" as two tags: refused before anything is
    /// created, with the command that makes a suitable one.
    func testADatabaseWhoseCaseFoldingIsASCIIOnlyIsRefusedUntouched() throws {
        let server = try TestPostgresServer.require()
        let name = "ctype_c_\(getpid())"
        let admin = try PGConnection(server.conninfo(database: "postgres"))
        try admin.execute("CREATE DATABASE \(name) LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0")
        XCTAssertThrowsError(try PostgresDatabase(conninfo: server.conninfo(database: name), login: "sara")) { error in
            guard case RepositoryError.unavailable(_, let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("LC_CTYPE C"), reason)
            XCTAssertTrue(reason.contains("createdb -h \(server.folder) -p \(server.port) -U postgres --template=template0 --locale=C.UTF-8 \(name)"), reason)
        }
        let check = try PGConnection(server.conninfo(database: name))
        XCTAssertEqual(try check.scalar("SELECT to_regclass('crm_schema') IS NULL"), "t", "nothing was created")
    }

    func testANewerSchemaIsRefusedAndLeftAsItWas() throws {
        let info = try conninfo()
        let db = try PostgresDatabase(conninfo: info)
        try db.connection.run("INSERT INTO crm_schema(version, applied_at) VALUES (999, 0)")
        XCTAssertThrowsError(try PostgresDatabase(conninfo: info)) { error in
            guard case RepositoryError.schemaTooNew(let found, let supported, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(found, 999)
            XCTAssertEqual(supported, PostgresDatabase.supportedSchemaVersion)
        }
        XCTAssertEqual(try db.connection.integer("SELECT max(version) FROM crm_schema"), 999)
    }

    func testTriggersKeepLastInteractionLifecycleHistoryAndTheChangeFeed() throws {
        let db = try PostgresDatabase(conninfo: try conninfo())
        let c = db.connection
        let before = try c.integer("SELECT sum(counter)::bigint FROM change_counters WHERE kind = 'contacts'") ?? 0
        let contact = try XCTUnwrap(c.integer("INSERT INTO contacts(name, created_at, updated_at) VALUES (?, 100, 100) RETURNING id", ["Ada"]))
        XCTAssertGreaterThan(try c.integer("SELECT sum(counter)::bigint FROM change_counters WHERE kind = 'contacts'") ?? 0, before)
        try c.run("INSERT INTO interactions(contact_id, kind, occurred_at, created_at) VALUES (?, 'call', 500, 500)", [contact])
        try c.run("INSERT INTO interactions(contact_id, kind, occurred_at, created_at) VALUES (?, 'stage', 900, 900)", [contact])
        XCTAssertEqual(try c.integer("SELECT last_interaction_at FROM contacts WHERE id = ?", [contact]), 500, "a stage change is not a contact")
        try c.run("UPDATE interactions SET deleted_at = 600 WHERE kind = 'call'")
        XCTAssertNil(try c.integer("SELECT last_interaction_at FROM contacts WHERE id = ?", [contact]))
        try c.run("UPDATE contacts SET lifecycle = 'customer', updated_at = 700 WHERE id = ?", [contact])
        XCTAssertEqual(try c.rows("SELECT from_lifecycle, to_lifecycle, changed_at FROM contact_lifecycle_history") {
            "\($0.string(0))>\($0.string(1))@\($0.int64(2))" }, ["lead>customer@700"])
        XCTAssertEqual(try c.integer("SELECT stale FROM value_tier_state"), 0, "raised by the change, lowered by the recompute at its commit")
        try c.run("INSERT INTO contact_phones(contact_id, number, digits, e164) VALUES (?, '0171 1', '01711', '')", [contact])
        XCTAssertEqual(try c.scalar("SELECT match_key FROM contact_phones"), "01711")
    }

    func testQuestionMarksBecomeNumberedParametersOutsideQuotes() {
        XCTAssertEqual(PGConnection.numbered("SELECT '?', \"a?\" FROM t WHERE a = ? AND b = ? -- ?\nAND c = ?"),
                       "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2 -- ?\nAND c = $3")
    }
}
