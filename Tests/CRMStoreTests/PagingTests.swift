import CRMCore
import CRMRepositories
import CRMStore
import XCTest

final class PagingTests: XCTestCase {
    func testKeysetPagingVisitsEveryRowOnceInOrderWhileRowsAreInserted() throws {
        let (db, _) = try makeDatabase()
        var expected: [String] = []
        for i in 0..<95 {
            let name = String(format: "Contact %03d", i * 2)
            _ = try db.contacts.create(Contact(name: name))
            expected.append(name)
        }
        var seen: [String] = []
        var cursor: ContactCursor?
        var inserted = 0
        while true {
            let page = try db.contacts.list(sort: .name, filter: .init(), cursor: cursor, direction: .forward, limit: 10)
            if page.isEmpty { break }
            seen += page.map(\.name)
            cursor = page.last!.cursor(for: .name)
            // Another user adds a row behind the cursor and one ahead of it.
            guard inserted < 5 else { continue }
            let behind = String(format: "Contact %03d", 1 + inserted * 2)
            let ahead = String(format: "Contact z%03d", inserted)
            _ = try db.contacts.create(Contact(name: behind))
            _ = try db.contacts.create(Contact(name: ahead))
            expected.append(ahead)
            inserted += 1
        }
        XCTAssertEqual(seen.count, Set(seen).count, "a row was visited twice")
        XCTAssertEqual(seen, seen.sorted())
        // Every row that existed at the start, and every row inserted ahead of the cursor, was seen.
        XCTAssertTrue(Set(expected).isSubset(of: Set(seen)), "missing: \(Set(expected).subtracting(seen).sorted())")
    }

    func testBackwardPageReturnsRowsBeforeCursorInDisplayOrder() throws {
        let (db, _) = try makeDatabase()
        for name in ["a", "b", "c", "d", "e"] { _ = try db.contacts.create(Contact(name: name)) }
        let all = try db.contacts.list(sort: .name, filter: .init(), cursor: nil, direction: .forward, limit: 10)
        let before = try db.contacts.list(sort: .name, filter: .init(), cursor: all[3].cursor(for: .name), direction: .backward, limit: 2)
        XCTAssertEqual(before.map(\.name), ["b", "c"])
    }

    func testSortByLastInteractionAndCreated() throws {
        let (db, _) = try makeDatabase()
        let old = try db.contacts.create(Contact(name: "Old"))
        let recent = try db.contacts.create(Contact(name: "Recent"))
        _ = try db.contacts.create(Contact(name: "Never"))
        _ = try db.interactions.log(Interaction(contactID: old.id, kind: .call, occurredAt: Date(timeIntervalSinceNow: -86400 * 30)))
        _ = try db.interactions.log(Interaction(contactID: recent.id, kind: .email, occurredAt: Date(timeIntervalSinceNow: -60)))
        let byLast = try db.contacts.list(sort: .lastInteraction, filter: .init(), cursor: nil, direction: .forward, limit: 10)
        XCTAssertEqual(byLast.map(\.name), ["Recent", "Old", "Never"])
        let second = try db.contacts.list(sort: .lastInteraction, filter: .init(), cursor: byLast[0].cursor(for: .lastInteraction), direction: .forward, limit: 10)
        XCTAssertEqual(second.map(\.name), ["Old", "Never"])
    }
}
