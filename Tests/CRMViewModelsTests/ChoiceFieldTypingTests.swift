import CRMCore
@testable import CRMViewModels
import XCTest

/// QA 41 #1: text typed while a choice field (the log form's Type) had the
/// focus vanished without a word, and Ctrl-S saved an empty entry. A key no
/// option starts with is now refused out loud, on the field.
final class ChoiceFieldTypingTests: XCTestCase {
    func form() -> FormModel {
        FormModel(title: "Log", fields: [
            FormField("kind", label: "Type", kind: .choice(["note", "call", "email", "meeting"]), value: "note"),
            FormField("body", label: "Text", kind: .multiline),
        ]) { _ in "Saved" }
    }

    func testALetterNoOptionStartsWithIsSaidOnTheField() {
        let form = form()
        _ = form.handle(.char("ب"))
        XCTAssertEqual(form["kind"], "note", "the choice is unchanged")
        XCTAssertEqual(form.fields[0].error,
                       "a choice, not text: Space or ←/→ moves, a letter picks the one it starts with; Tab goes to the next field")
        XCTAssertFalse(form.isDirty)
    }

    func testALetterAnOptionStartsWithPicksItAndClearsTheSentence() {
        let form = form()
        _ = form.handle(.char("x"))
        XCTAssertNotNil(form.fields[0].error)
        _ = form.handle(.char("m"))
        XCTAssertEqual(form["kind"], "meeting")
        XCTAssertNil(form.fields[0].error)
        _ = form.handle(.char(" "))
        XCTAssertEqual(form["kind"], "note", "Space moves on, round to the first")
    }

    /// QA 42: "a note needs some text" stayed under the text after Type was
    /// changed to call, where no text is needed. Another choice clears the
    /// fields' errors; the next save checks them again.
    func testAnotherChoiceClearsTheErrorsItMayHaveMadeUntrue() {
        let form = FormModel(title: "Log", fields: [
            FormField("kind", label: "Type", kind: .choice(["note", "call"]), value: "note"),
            FormField("body", label: "Text", kind: .multiline),
        ]) { form in
            if form["kind"] == "note", form["body"].isEmpty { throw FieldError("body", "is empty; a note needs some text") }
            return "Saved"
        }
        _ = form.handle(.ctrl("s"))
        XCTAssertEqual(form.fields[1].error, "body: is empty; a note needs some text")
        form.focus(field: "kind")
        _ = form.handle(.char("c"))
        XCTAssertEqual(form["kind"], "call")
        XCTAssertNil(form.fields[1].error)
    }
}
