import CRMCore
import CRMRepositories
import CRMStorePostgres
import Foundation
import XCTest

/// Reassigning on a PostgreSQL database whose roles are enforced: each
/// person signed in as their own database role (the test server trusts every
/// local role, standing in for peer authentication). The repository's
/// refusals come first, in the same words as on SQLite; where the database
/// alone refuses (a rep taking back a hand-over, which is the colleague's
/// record by then), the refusal is a sentence too and nothing is kept.
final class PGReassignRolesTests: XCTestCase {
    func testARepHandsOverTheirOwnButCannotTakeItBackOrMoveAColleaguesRecords() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let program = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "boss_\(name)", liveRefresh: .poll)
        let rita = "rita_\(name)", ron = "ron_\(name)", max = "max_\(name)"
        let users = PGUserRepository(db: program)
        _ = try users.add(login: rita, name: "Rita", role: .rep)
        let ronUser = try users.add(login: ron, name: "Ron", role: .rep)
        _ = try users.add(login: max, name: "Max", role: .manager)
        let asRita = try PostgresDatabase(conninfo: server.conninfo(database: name, user: rita), liveRefresh: .poll)
        let asRon = try PostgresDatabase(conninfo: server.conninfo(database: name, user: ron), liveRefresh: .poll)
        let asMax = try PostgresDatabase(conninfo: server.conninfo(database: name, user: max), liveRefresh: .poll)

        let ritas = try PGContactRepository(db: asRita).create(Contact(name: "Rita's client"))
        let rons = try PGContactRepository(db: asRon).create(Contact(name: "Ron's client"))
        XCTAssertThrowsError(try asRita.reassignRepository.reassign([ReassignItem(.contact, rons.id)], to: asRita.currentUser.id)) { error in
            XCTAssertEqual((error as? UserRefusal)?.kind, .notPermitted, "\(error)")
        }
        let handed = try asRita.reassignRepository.reassign([ReassignItem(.contact, ritas.id)], to: ronUser.id)
        XCTAssertEqual(handed.moved.map(\.name), ["Rita's client"])
        XCTAssertEqual(try asRon.contactRepository.get(ritas.id)?.ownerID, ronUser.id)

        XCTAssertThrowsError(try asRita.reassignRepository.undoReassign(handed)) { error in
            let refusal = error as? UserRefusal
            XCTAssertEqual(refusal?.kind, .notPermitted, "\(error)")
            XCTAssertEqual(refusal?.description, "Rita's client is \(ron)'s now and the database lets only a manager or an admin "
                           + "move it back; you are \(rita), a rep")
        }
        let kept = try XCTUnwrap(asRon.contactRepository.get(ritas.id))
        XCTAssertEqual(kept.ownerID, ronUser.id)
        XCTAssertEqual(kept.version, 2, "nothing of the refused undo was written")
        XCTAssertEqual(try asRita.audit.entries(entity: "contact", id: ritas.id).map(\.action), ["reassign", "create"])

        // A manager may take it back for her.
        let undo = try asMax.reassignRepository.undoReassign(handed)
        XCTAssertEqual(undo.restored, 1)
        XCTAssertEqual(try asRita.contactRepository.get(ritas.id)?.ownerID, asRita.currentUser.id)
        XCTAssertEqual(try asRita.audit.entries(entity: "contact", id: ritas.id).first?.userLogin, max)
    }
}
