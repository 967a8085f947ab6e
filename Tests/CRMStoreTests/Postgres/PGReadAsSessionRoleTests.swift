import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The database owner's (or a superuser's) session reading without
/// `--user`: as the CRM user named like its role when there is one, found,
/// never created (QA 33 #7: `crm report` said "no user 'system'" to the
/// owner, an admin, running it from cron).
final class PGReadAsSessionRoleTests: XCTestCase {
    func testAnOwnersReadActsAsTheUserNamedLikeItsRoleAndCreatesNone() throws {
        let server = try TestPostgresServer.require()
        let conninfo = server.conninfo(database: try server.makeMigratedDatabase())
        let reader = try PostgresDatabase(conninfo: conninfo)
        let role = try XCTUnwrap(try reader.connection.scalar("SELECT session_user::text"))
        let users = try reader.connection.integer("SELECT count(*) FROM users")
        try reader.readAsSessionRole()
        XCTAssertEqual(reader.currentUser.id, 0, "no CRM user of that name: still the program")
        XCTAssertEqual(try reader.connection.integer("SELECT count(*) FROM users"), users, "none created")

        try reader.connection.execute("INSERT INTO users(login, name, created_at, role) VALUES ($1, 'Owner', 0, 'admin')", [role])
        let owner = try PostgresDatabase(conninfo: conninfo)
        try owner.readAsSessionRole()
        XCTAssertEqual(owner.currentUser.login, role)
        XCTAssertEqual(owner.currentUser.role, .admin)
        XCTAssertNotEqual(owner.currentUser.id, 0)
    }
}
