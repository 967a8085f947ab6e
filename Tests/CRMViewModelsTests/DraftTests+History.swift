import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// An interrupted correction of a logged entry, and a call's "when" line,
/// come back on the next start as they were typed.
extension DraftTests {
    func testAnInterruptedEditOfAnEntryComesBackWithItsTextAndVersion() throws {
        let c = try guenter()
        let note = try db.interactions.log(Interaction(contactID: c.id, kind: .note, occurredAt: start.addingTimeInterval(-600),
                                                       body: "Met at the fair"))
        app.contacts.refresh()
        press(.tab, .tab, .char("e"))
        XCTAssertEqual(form?.purpose, .editInteraction(id: note.id, about: "Günter Müller"))
        press(.end)
        type(" in Köln")
        try restart()
        press(.enter)
        let restored = try XCTUnwrap(form)
        XCTAssertEqual(restored["body"], "Met at the fair in Köln")
        XCTAssertEqual(restored.baseVersion, note.version)
        press(.ctrl("s"))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try db.interactions.get(note.id)?.body, "Met at the fair in Köln")
    }

    func testACallsWhenLineIsKeptInItsDraft() throws {
        _ = try guenter()
        press(.char("c"), .tab, .tab)
        type("yesterday 15:00")
        guard case .call(let draft)? = app.unsavedWork()?.work else { return XCTFail("no call draft") }
        XCTAssertEqual(draft.when, "yesterday 15:00")
        try restart()
        press(.enter)
        XCTAssertEqual(call?.when.text, "yesterday 15:00")
    }
}
