import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The contact form names a possible duplicate before it saves, on the
/// fixture of ContactsGoldenTests (Jürgen Müller at Acme GmbH).
extension ContactsGoldenTests {
    /// A new contact with Jürgen's address typed in another case, then Ctrl-S.
    func typeDuplicateOfJuergen() {
        app.handle(.key(.char("a")))
        for c in "Jürgen MÜLLER" { app.handle(.key(.char(c))) }
        app.handle(.key(.tab))
        app.handle(.key(.tab))
        for c in "Acme GmbH" { app.handle(.key(.char(c))) }
        app.handle(.key(.tab))
        for c in "J.Mueller@Acme.example" { app.handle(.key(.char(c))) }
        app.handle(.key(.ctrl("s")))
    }

    func testDuplicateWarningInTheForm80x24() {
        typeDuplicateOfJuergen()
        assertGolden(draw(80, 24), named: "contacts-form-duplicate-80x24", withStyles: true)
    }

    func testDuplicateWarningInTheForm120x40() {
        typeDuplicateOfJuergen()
        let screen = draw(120, 40)
        XCTAssertTrue(screen.text.contains("Possible duplicate: Jürgen Müller · Acme GmbH (same email, similar name)"), screen.text)
        assertGolden(screen, named: "contacts-form-duplicate-120x40", withStyles: true)
    }

    func testCtrlSAgainSavesAnyway() throws {
        let before = try db.contacts.count(filter: ContactFilter())
        typeDuplicateOfJuergen()
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), before, "the warning stops the first save")
        app.handle(.key(.ctrl("s")))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), before + 1)
    }

    func testAnEditTakesTheWarningDownAndTheNextSaveAsksAgain() throws {
        typeDuplicateOfJuergen()
        guard case .form(let form)? = app.overlay else { return XCTFail("no form") }
        XCTAssertNotNil(form.warning)
        app.handle(.key(.char("x")))
        XCTAssertNil(form.warning)
        app.handle(.key(.backspace))
        app.handle(.key(.ctrl("s")))
        XCTAssertNotNil(form.warning, "the same duplicate is named again")
    }

    func testCtrlGOpensTheExistingContactAndKeepsWhatWasTyped() throws {
        typeDuplicateOfJuergen()
        app.handle(.key(.ctrl("g")))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(app.contacts.detail?.contact.name, "Jürgen Müller")
        XCTAssertTrue(app.statusMessage?.text.contains("a brings the form back") == true, "\(String(describing: app.statusMessage))")
        // Leaving now would keep it as a draft.
        XCTAssertNotNil(app.unsavedWork())
        app.handle(.key(.escape))
        app.handle(.key(.char("a")))
        guard case .form(let form)? = app.overlay else { return XCTFail("no form") }
        XCTAssertEqual(form["name"], "Jürgen MÜLLER")
        XCTAssertEqual(form["emails"], "J.Mueller@Acme.example")
        XCTAssertEqual(form["company"], "Acme GmbH")
    }

    func testAnEditIsCheckedOnlyForWhatItAdds() throws {
        // Jürgen's own address is no duplicate of himself.
        app.handle(.key(.char("e")))
        app.handle(.key(.ctrl("s")))
        XCTAssertNil(app.overlay, "saved without a warning")
        // Adding Wang's address is.
        app.handle(.key(.char("e")))
        guard case .form(let form)? = app.overlay else { return XCTFail("no form") }
        form["emails"] = form["emails"] + ", wang@bj.example.cn"
        app.handle(.key(.ctrl("s")))
        XCTAssertEqual(form.warning?.lines, ["Possible duplicate: 王小明 · 北京科技 (same email)"])
    }
}

/// The Duplicates list (D) and the merge screen of its pair, drawn.
extension ContactsGoldenTests {
    func addJuergensTwin() throws {
        let acme = try XCTUnwrap(db.companies.find(name: "Acme GmbH"))
        let twin = try db.contacts.create(Contact(name: "Juergen Mueller", title: "", companyID: acme.id,
                                                  emails: [EmailAddress("J.Mueller@acme.example")],
                                                  phones: [PhoneNumber("+49 30 9999-0000")], tags: ["fair"]))
        // Fixed edit times: the twin was edited last.
        try db.connection.run("UPDATE contacts SET updated_at = ?", [Self.now.addingTimeInterval(-86_400 * 30)])
        try db.connection.run("UPDATE contacts SET updated_at = ? WHERE id = ?", [Self.now.addingTimeInterval(-3600), twin.id])
    }

    func testDuplicatesList80x24() throws {
        try addJuergensTwin()
        app.handle(.key(.char("D")))
        assertGolden(draw(80, 24), named: "contacts-duplicates-80x24", withStyles: true)
    }

    func testMergeScreen80x24() throws {
        try addJuergensTwin()
        app.handle(.key(.char("D")))
        app.handle(.key(.enter))
        app.handle(.key(.char("h")))  // keep the name as spelt with umlauts
        let screen = draw(80, 24)
        XCTAssertTrue(screen.text.contains("● Jürgen Müller"), screen.text)
        assertGolden(screen, named: "contacts-merge-80x24", withStyles: true)
    }
}

extension ContactsGoldenTests {
    func testStoredEscapesInTheDuplicatesListAndMergeScreenAreShownNotSent() throws {
        _ = try db.contacts.create(Contact(name: "Evil \u{1b}]0;pwned\u{07} Twin", emails: [EmailAddress("EVIL@example.com")]))
        app.handle(.key(.char("D")))
        var text = draw(120, 40).text
        XCTAssertFalse(text.contains("\u{1b}") || text.contains("\u{07}"), text)
        XCTAssertTrue(text.contains("Evil ␛[31mRed"), text)
        app.handle(.key(.enter))
        text = draw(80, 24).text
        XCTAssertFalse(text.contains("\u{1b}") || text.contains("\u{07}"), text)
        XCTAssertTrue(text.contains("Evil ␛]0;pwned␇ Twin"), text)
    }
}
