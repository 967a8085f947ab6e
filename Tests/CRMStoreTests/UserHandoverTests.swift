import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Users and roles on a real SQLite file (handing over a leaver's work is
/// checked on both engines: HandoverContract).
final class UserHandoverTests: XCTestCase {
    func testFirstUserIsAdminAndUnknownLoginsAreRefusedWithASuggestion() throws {
        let (db, folder) = try makeDatabase(login: "boss")
        XCTAssertEqual(db.currentUser.role, .admin)
        _ = try db.users.add(login: "sara", name: "Sara", role: .rep)
        XCTAssertThrowsError(try Database(path: folder.path("crm.db"), login: "Sara", newLogins: .asTheDatabaseSays)) { error in
            XCTAssertEqual(error as? UserRefusal,
                           UserRefusal(.unknownUser, "no user 'Sara'; did you mean 'sara'? An admin adds users with `crm user add`"))
        }
        XCTAssertEqual(try db.users.all().map(\.login), ["boss", "sara"], "no second Sara")
        try db.users.setCreatesUsersOnFirstUse(true)
        let newcomer = try Database(path: folder.path("crm.db"), login: "newcomer", newLogins: .asTheDatabaseSays)
        XCTAssertEqual(newcomer.currentUser.role, .rep)
    }

    func testDeactivatedUserCannotOpenAndTheLastAdminStays() throws {
        let (db, folder) = try makeDatabase(login: "boss")
        _ = try db.users.add(login: "omid", name: "", role: .rep)
        XCTAssertThrowsError(try db.users.deactivate(login: "boss", handover: HandoverPlan())) {
            XCTAssertEqual(($0 as? UserRefusal)?.kind, .conflict)
        }
        XCTAssertThrowsError(try db.users.setRole(login: "boss", role: .rep)) {
            XCTAssertTrue("\($0)".contains("you are the last active admin"), "\($0)")
        }
        _ = try db.users.deactivate(login: "omid", handover: HandoverPlan())
        XCTAssertThrowsError(try Database(path: folder.path("crm.db"), login: "omid", newLogins: .asTheDatabaseSays)) {
            XCTAssertEqual(($0 as? UserRefusal)?.kind, .deactivated)
        }
        let rep = try Database(path: folder.path("crm.db"), login: "boss")
        _ = try rep.users.add(login: "rita", name: "", role: .rep)
        let rita = try Database(path: folder.path("crm.db"), login: "rita")
        XCTAssertThrowsError(try rita.users.add(login: "x", name: "", role: .admin)) {
            XCTAssertEqual("\($0)", "only an admin manages users; you are rita, a rep")
        }
    }

    /// An existing team keeps working after the upgrade to schema 21: every
    /// user it had becomes an admin, and unknown logins are refused from then.
    func testUpgradeMakesEveryExistingUserAnAdmin() throws {
        let folder = TempFolder()
        let path = folder.path("old.db")
        do {
            let db = try Database(path: path, login: "ana")
            _ = try db.users.findOrCreate(login: "bob")
            try rewindSchema(db.connection, to: 15)
            XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'role'"), 0)
            // Read as it is, before the upgrade: everyone reads as an admin.
            try Database.reading(path, login: "bob") { old in XCTAssertEqual(old.currentUser.role, .admin) }
        }
        let db = try Database(path: path, login: "bob", newLogins: .asTheDatabaseSays)
        XCTAssertEqual(try db.users.all().map(\.role), [.admin, .admin])
        XCTAssertFalse(try db.users.createsUsersOnFirstUse())
        XCTAssertThrowsError(try Database(path: path, login: "carol", newLogins: .asTheDatabaseSays))
    }
}
