import CRMCore
import XCTest

/// A NUL (U+0000) ends a C string: SQLite and libpq would store or read such
/// a text cut at it, so a record refuses it by field, with a hint at the
/// usual cause (a UTF-16 file read as UTF-8), rather than keep a prefix.
final class NULTextTests: XCTestCase {
    func testRecordsRefuseANULInAnyTextField() {
        var contact = Contact(name: "Json\u{0}Nul")
        contact.notes = "x\u{0}y"
        XCTAssertEqual(contact.validate().map(\.field), ["name", "notes"])
        XCTAssertTrue(contact.validate().first?.message.hasPrefix("holds a NUL character (U+0000)") ?? false)
        let note = Interaction(contactID: 1, kind: .note, body: "M\u{0}e\u{0}e\u{0}t")
        XCTAssertEqual(note.validate(), [FieldError("body", "holds a NUL character (U+0000), which text cannot; a UTF-16 file? convert it with iconv -f UTF-16 -t UTF-8")])
        XCTAssertEqual(Interaction(contactID: 1, kind: .note, body: "Meet").validate(), [])
    }
}
