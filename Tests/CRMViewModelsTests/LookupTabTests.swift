@testable import CRMViewModels
import XCTest

/// QA 27 #22: Tab through a form must keep the record a lookup field holds
/// ("María Sánchez #1996"), not swap it for the first namesake the search
/// finds. Tab takes a choice only after the user typed in the field or moved
/// through its choices (Ctrl-N/Ctrl-P).
final class LookupTabTests: XCTestCase {
    var saved: [String: String] = [:]

    func form() -> FormModel {
        let form = FormModel(title: "Edit follow-up", fields: [
            FormField("title", label: "Title", value: "Confirm the contract"),
            FormField("contact", label: "Contact", value: "María Sánchez #1996"),
            FormField("due", label: "Due", value: "tomorrow"),
        ]) { [unowned self] form in
            saved = ["contact": form["contact"]]
            return "Saved"
        }
        form.lookups = ["contact": { text in
            ["María Sánchez · Evergreen Solar KG #136", "María Sánchez · Riverbend Textiles Inc. #282"]
                .filter { $0.lowercased().hasPrefix(text.prefix(3).lowercased()) }
        }]
        return form
    }

    func testTabbingThroughKeepsTheContactTheFieldHolds() {
        let form = form()
        _ = form.handle(.tab)
        XCTAssertEqual(form.focusedField.name, "contact")
        XCTAssertEqual(form.suggestions.count, 2, "the choices are offered")
        XCTAssertFalse(form.suggestionWanted, "none is marked: Tab would not take one")
        _ = form.handle(.tab)
        XCTAssertEqual(form.focusedField.name, "due")
        _ = form.handle(.ctrl("s"))
        XCTAssertEqual(saved["contact"], "María Sánchez #1996")
    }

    func testTypingOrChoosingMakesTabTakeTheChoice() {
        let typed = form()
        _ = typed.handle(.tab)
        _ = typed.handle(.backspace)
        XCTAssertTrue(typed.suggestionWanted)
        _ = typed.handle(.tab)
        XCTAssertEqual(typed["contact"], "María Sánchez · Evergreen Solar KG #136")

        let chosen = form()
        _ = chosen.handle(.tab)
        _ = chosen.handle(.ctrl("n"))
        _ = chosen.handle(.tab)
        XCTAssertEqual(chosen["contact"], "María Sánchez · Riverbend Textiles Inc. #282")
        XCTAssertEqual(chosen.focusedField.name, "due")
    }
}
