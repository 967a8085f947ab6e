import CRMCore
import CRMRepositories
import CRMStorePostgres
import Foundation
import XCTest

/// The trash when each user connects as their own database role (peer
/// authentication, stood in for by the role a connection names): a rep
/// deletes and restores, but deleting for good is an admin's right in the
/// database too, so a rep's retention purge is refused in one sentence and
/// leaves everything as it was; an admin's goes through.
final class PGTrashRolesTests: XCTestCase {
    func testARepsRetentionPurgeIsRefusedAndAnAdminsGoesThrough() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let program = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "boss_\(name)", liveRefresh: .poll)
        let rep = "rita_\(name)", admin = "ada_\(name)"
        _ = try PGUserRepository(db: program).add(login: rep, name: "Rita", role: .rep)
        _ = try PGUserRepository(db: program).add(login: admin, name: "Ada", role: .admin)

        let clock = ManualClock(Date(timeIntervalSince1970: 1_780_000_000))
        let asRep: any CRMRepositories = try PostgresDatabase(conninfo: server.conninfo(database: name, user: rep), clock: clock, liveRefresh: .poll)
        XCTAssertEqual(asRep.currentUser.role, .rep)
        // A contact alone (a row policy hides it from a rep's DELETE), and a
        // contact with a follow-up (the grants refuse a rep's DELETE).
        let alone = try asRep.contactRepository.create(Contact(name: "Alone"))
        let busy = try asRep.contactRepository.create(Contact(name: "Busy"))
        _ = try asRep.followUpRepository.create(FollowUp(contactID: busy.id, title: "call", dueAt: Date()))
        try asRep.trashRepository.trash(.contact, alone.id)
        for round in 0..<2 {
            clock.advance(by: 2 * 86_400)
            XCTAssertThrowsError(try asRep.trashRepository.purgeExpired(days: 1)) { error in
                XCTAssertEqual((error as? TrashRefusal)?.reason, .notPermitted, "\(error)")
                XCTAssertEqual("\(error)", """
                    Only an admin deletes records for good on this PostgreSQL database (the trash's retention too); \
                    you are \(rep), a rep. Nothing was purged
                    """)
            }
            XCTAssertNotNil(try asRep.contactRepository.get(alone.id)?.deletedAt, "still in the trash")
            if round == 0 { try asRep.trashRepository.trash(.contact, busy.id) }
        }
        XCTAssertEqual(try asRep.trashRepository.count(kind: nil), 2)
        XCTAssertEqual(try asRep.auditPage(AuditFilter(entity: "trash"), after: nil, limit: 5), [], "nothing audited")

        clock.advance(by: 2 * 86_400)
        let asAdmin: any CRMRepositories = try PostgresDatabase(conninfo: server.conninfo(database: name, user: admin), clock: clock, liveRefresh: .poll)
        XCTAssertEqual(try asAdmin.trashRepository.purgeExpired(days: 1).removed, [.contact: 2, .followUp: 1])
        XCTAssertNil(try asAdmin.contactRepository.get(alone.id))
        XCTAssertEqual(try asAdmin.trashRepository.count(kind: nil), 0)
    }
}
