import CRMCore
import CRMRepositories
import CRMStore
import XCTest

/// SQLite's own change feed between two connections (the records' checks
/// run on both engines in RecordRepositoryContract; PostgreSQL's feed is
/// PGChangeFeedTests).
final class RepositoryCRUDTests: XCTestCase {
    func testChangeFeedSeesAnotherConnectionsCommit() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        let screen = try Database(path: path, login: "a")
        let other = try Database(path: path, login: "b")
        XCTAssertEqual(try screen.pollChanges(), .users, "opening `other` wrote its user row")
        XCTAssertEqual(try screen.pollChanges(), .none)
        _ = try other.contacts.create(Contact(name: "New"))
        XCTAssertEqual(try screen.pollChanges(), .contacts)
        XCTAssertEqual(try screen.pollChanges(), .none)
        _ = try screen.contacts.create(Contact(name: "Own write"))
        XCTAssertEqual(try screen.pollChanges(), .none, "own writes are not external")
    }
}
