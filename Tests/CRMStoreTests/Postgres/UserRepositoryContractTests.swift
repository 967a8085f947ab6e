import CRMCore
import CRMRepositories
import CRMStore
import CRMStorePostgres
import Foundation
import XCTest

/// One contract, two engines: the same checks of `UserRepository` on a
/// SQLite file and on a PostgreSQL database give the same answers.
struct UserRepositoryContract {
    /// The users repository of a session acting as `login`, and that
    /// session's user.
    let open: (_ login: String) throws -> (users: any UserRepository, me: User)
    /// A login unique to this database (database roles belong to the whole
    /// PostgreSQL server, shared by every test).
    let name: (_ base: String) -> String

    func firstUserIsAdminAndOnlyAnAdminManagesUsers() throws {
        let (users, me) = try open(name("boss"))
        XCTAssertEqual(me.role, .admin)
        let rita = try users.add(login: name("rita"), name: " Rita ", role: .rep)
        XCTAssertEqual([rita.name, rita.role.rawValue], ["Rita", "rep"])
        XCTAssertThrowsError(try users.add(login: name("rita"), name: "", role: .rep)) {
            XCTAssertEqual("\($0)", "there is already a user '\(name("rita"))'")
        }
        XCTAssertThrowsError(try users.add(login: "two words", name: "", role: .rep)) { XCTAssertTrue($0 is ValidationFailure, "\($0)") }
        let (asRita, _) = try open(name("rita"))
        XCTAssertThrowsError(try asRita.add(login: name("x"), name: "", role: .admin)) {
            XCTAssertEqual("\($0)", "only an admin manages users; you are \(name("rita")), a rep")
        }
        XCTAssertEqual(try users.all().map(\.login), [name("boss"), name("rita")])
    }

    func theLastActiveAdminStaysAndDeactivatedUsersCannotOpen() throws {
        let (users, _) = try open(name("boss"))
        _ = try users.add(login: name("omid"), name: "", role: .rep)
        XCTAssertThrowsError(try users.deactivate(login: name("boss"), handover: HandoverPlan())) {
            XCTAssertEqual(($0 as? UserRefusal)?.kind, .conflict)
        }
        XCTAssertThrowsError(try users.setRole(login: name("boss"), role: .rep)) {
            XCTAssertTrue("\($0)".contains("you are the last active admin"), "\($0)")
        }
        let (user, handover) = try users.deactivate(login: name("omid"), handover: HandoverPlan())
        XCTAssertFalse(user.isActive)
        XCTAssertNil(handover)
        XCTAssertThrowsError(try open(name("omid"))) { XCTAssertEqual(($0 as? UserRefusal)?.kind, .deactivated, "\($0)") }
        XCTAssertTrue(try users.reactivate(login: name("omid")).isActive)
        XCTAssertEqual(try open(name("omid")).me.login, name("omid"))
    }

    func renamesRolesAndNamesAreKept() throws {
        let (users, _) = try open(name("boss"))
        _ = try users.add(login: name("jan"), name: "Jan", role: .rep)
        XCTAssertEqual(try users.rename(login: name("jan"), to: name("janek")).login, name("janek"))
        XCTAssertNil(try users.find(login: name("jan")))
        XCTAssertEqual(try users.setName(login: name("janek"), name: "Jan K.").name, "Jan K.")
        XCTAssertEqual(try users.setRole(login: name("janek"), role: .manager).role, .manager)
        XCTAssertEqual(try open(name("janek")).me.role, .manager)
    }

    func aHandoverOfNothingIsRecordedAndUndoneOnce() throws {
        let (users, _) = try open(name("boss"))
        _ = try users.add(login: name("omid"), name: "", role: .rep)
        _ = try users.add(login: name("sara"), name: "", role: .rep)
        XCTAssertEqual(try users.holdings(of: name("omid")), HandoverCounts())
        XCTAssertThrowsError(try users.handOver(from: name("omid"), plan: HandoverPlan())) {
            XCTAssertEqual(($0 as? UserRefusal)?.kind, .conflict)
        }
        XCTAssertThrowsError(try users.handOver(from: name("omid"), plan: HandoverPlan(everythingTo: name("omid"))))
        let handover = try users.handOver(from: name("omid"), plan: HandoverPlan(everythingTo: name("sara")))
        XCTAssertEqual(handover.summary, "nothing to move")
        let undone = try users.undoHandover(handover.id)
        XCTAssertEqual(undone.restored, 0)
        XCTAssertEqual(undone.skipped, [])
        XCTAssertThrowsError(try users.undoHandover(handover.id)) { XCTAssertEqual("\($0)", "handover \(handover.id) was undone already") }
    }

    func creatingUsersOnFirstUseIsASharedSetting() throws {
        let (users, _) = try open(name("boss"))
        XCTAssertFalse(try users.createsUsersOnFirstUse())
        try users.setCreatesUsersOnFirstUse(true)
        XCTAssertTrue(try users.createsUsersOnFirstUse())
    }
}

final class SQLiteUserRepositoryContractTests: XCTestCase {
    private func contract() -> UserRepositoryContract {
        let folder = TempFolder()
        return UserRepositoryContract(open: { login in
            let db = try Database(path: folder.path("crm.db"), login: login)
            return (db.users, db.currentUser)
        }, name: { $0 })
    }

    func testFirstUserIsAdminAndOnlyAnAdminManagesUsers() throws { try contract().firstUserIsAdminAndOnlyAnAdminManagesUsers() }
    func testTheLastActiveAdminStaysAndDeactivatedUsersCannotOpen() throws { try contract().theLastActiveAdminStaysAndDeactivatedUsersCannotOpen() }
    func testRenamesRolesAndNamesAreKept() throws { try contract().renamesRolesAndNamesAreKept() }
    func testAHandoverOfNothingIsRecordedAndUndoneOnce() throws { try contract().aHandoverOfNothingIsRecordedAndUndoneOnce() }
    func testCreatingUsersOnFirstUseIsASharedSetting() throws { try contract().creatingUsersOnFirstUseIsASharedSetting() }
}

final class PGUserRepositoryContractTests: XCTestCase {
    private func contract() throws -> UserRepositoryContract {
        let server = try TestPostgresServer.require()
        let database = try server.makeMigratedDatabase()
        // The program (a superuser session) acting for each user, as
        // `crm` run by the database's owner would.
        return UserRepositoryContract(open: { login in
            let db = try PostgresDatabase(conninfo: server.conninfo(database: database), login: login, liveRefresh: .poll)
            return (PGUserRepository(db: db), db.currentUser)
        }, name: { "\($0)_\(database)" })
    }

    func testFirstUserIsAdminAndOnlyAnAdminManagesUsers() throws { try contract().firstUserIsAdminAndOnlyAnAdminManagesUsers() }
    func testTheLastActiveAdminStaysAndDeactivatedUsersCannotOpen() throws { try contract().theLastActiveAdminStaysAndDeactivatedUsersCannotOpen() }
    func testRenamesRolesAndNamesAreKept() throws { try contract().renamesRolesAndNamesAreKept() }
    func testAHandoverOfNothingIsRecordedAndUndoneOnce() throws { try contract().aHandoverOfNothingIsRecordedAndUndoneOnce() }
    func testCreatingUsersOnFirstUseIsASharedSetting() throws { try contract().creatingUsersOnFirstUseIsASharedSetting() }
}
