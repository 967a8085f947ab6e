import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// A search's rows, best matches first, each saying what it matched: the
/// name (marked in the Name column), or in the Matched column the email, the
/// company or the words of a note, the query's words marked (`h` in the
/// styles). Golden screens at 80x24 and 120x40.
final class SearchMatchGoldenTests: XCTestCase {
    static let now = ISO8601DateFormatter().date(from: "2026-11-23T15:00:00Z")!
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-search-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", phoneRegion: PhoneRegion(code: "DE"))
        let annaberg = try db.companies.create(Company(name: "Annaberg Werkzeuge GmbH"))
        let acme = try db.companies.create(Company(name: "Acme GmbH"))
        _ = try db.contacts.create(Contact(name: "Dora Nowak", companyID: acme.id, phones: [PhoneNumber("030 5550000")],
                                           notes: "Called back on Monday.\nShe asked about Anna's order for the spring fair."))
        _ = try db.contacts.create(Contact(name: "Bob Becker", emails: [EmailAddress("b.becker@acme.example"),
                                                                        EmailAddress("anna.office@acme.example")]))
        _ = try db.contacts.create(Contact(name: "Carl Albers", companyID: annaberg.id, phones: [PhoneNumber("0171 9936679")]))
        _ = try db.contacts.create(Contact(name: "Zora Annan", companyID: acme.id))
        _ = try db.contacts.create(Contact(name: "Anna Weber", companyID: acme.id, emails: [EmailAddress("a.weber@acme.example")]))
        _ = try db.contacts.create(Contact(name: "Anna", emails: [EmailAddress("anna@example.com")]))
        _ = try db.contacts.create(Contact(name: "Anna \u{1b}[31mRed\u{1b}[0m", notes: "x"))
        _ = try db.contacts.create(Contact(name: "Otto Other", notes: "nothing to see"))
        try db.connection.run("UPDATE contacts SET created_at = ?", [Self.now.addingTimeInterval(-86_400)])
        app = AppModel(repositories: db, clock: ManualClock(Self.now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func draw(_ width: Int, _ height: Int) -> MemoryScreen {
        let screen = MemoryScreen(width: width, height: height)
        app.handle(.resize(width: width, height: height))
        AppRenderer.render(app, on: screen)
        return screen
    }

    func type(_ text: String) {
        app.handle(.key(.char("/")))
        for c in text { app.handle(.key(.char(c))) }
    }

    func testSearchRowsSayWhatMatched80x24() {
        type("anna")
        assertGolden(draw(80, 24), named: "contacts-search-matched-80x24", withStyles: true)
    }

    func testSearchRowsSayWhatMatched120x40() {
        type("anna")
        assertGolden(draw(120, 40), named: "contacts-search-matched-120x40", withStyles: true)
    }

    func testBestMatchesComeFirstAndTheMatchIsNamed() {
        type("anna")
        let rows = draw(120, 40).rowsText()
        let order = ["│Anna ", "│Anna ␛[31mRed", "│Anna Weber", "│Zora Annan", "│Bob Becker", "│Carl Albers", "│Dora Nowak"]
        let found = order.map { name in rows.firstIndex { $0.hasPrefix(name) } ?? -1 }
        XCTAssertEqual(found, found.sorted(), rows.joined(separator: "\n"))
        XCTAssertFalse(found.contains(-1), rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.contains("Bob Becker") && $0.contains("email anna.office@acme") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.contains("Carl Albers") && $0.contains("company Annaberg Werkzeuge") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.contains("Dora Nowak") && $0.contains("note …") && $0.contains("Anna's order") }, rows.joined(separator: "\n"))
        XCTAssertFalse(rows.joined().contains("Otto Other"))
        XCTAssertFalse(draw(120, 40).text.contains("\u{1b}"))
    }

    /// A note of 20,000 characters, the word 10,000 in, with control
    /// characters after it: the row shows the words before it after "…",
    /// the word marked, the rest cut at the column's edge with "…", and no
    /// control character reaches the screen (only the part shown is
    /// sanitised and measured now).
    func testALongNoteShowsItsMatchMarkedAndIsCutAtTheColumn() throws {
        let filler = String(repeating: "lorem ipsum dolor ", count: 560)
        _ = try db.contacts.create(Contact(name: "Lena Long", notes: filler + "the zeppelin \u{1b}[2J order\t" + filler + "\u{7}"))
        type("zeppel")
        let screen = draw(120, 40)
        let rows = screen.rowsText()
        guard let y = rows.firstIndex(where: { $0.hasPrefix("│Lena Long") }) else { return XCTFail(rows.joined(separator: "\n")) }
        // The column (38 wide at 120x40) ends in "…" after the escape's picture.
        XCTAssertTrue(rows[y].contains("note …dolor the zeppelin ␛…"), rows[y])
        let start = rows[y].range(of: "zeppel")!
        let column = rows[y].distance(from: rows[y].startIndex, to: start.lowerBound)
        let styles = Array(screen.styleDump()[y])
        XCTAssertEqual(String(styles[column..<(column + 6)]), "hhhhhh", screen.styleDump()[y])
        XCTAssertNotEqual(styles[column + 6], "h")
        XCTAssertFalse(screen.text.contains("\u{1b}"))
        XCTAssertFalse(screen.text.contains("\u{7}"))
    }

    /// QA 38 A-F1: when the marked word ended exactly at the column's edge,
    /// the address was cut there without "…" and read as a whole one.
    func testAnAddressCutRightAfterItsMarkedWordEndsInAnEllipsis() throws {
        // "email " (6) + 16 letters + "@" + "mail" fills the 27 columns
        // the Matched column has at 120x40 beside the details.
        let local = String(repeating: "u", count: 16)
        _ = try db.contacts.create(Contact(name: "Ulla Ulm", emails: [EmailAddress("\(local)@mail.example.com")]))
        type("mail.example")
        let rows = draw(120, 40).rowsText()
        guard let row = rows.first(where: { $0.hasPrefix("│Ulla Ulm") }) else { return XCTFail(rows.joined(separator: "\n")) }
        XCTAssertTrue(row.contains("email \(local)@mai… "), row)
    }

    /// QA 40 #9: at 80 columns a long name found by its last word showed
    /// "Wang Xiu Ying …", the word it was found by cut away, and the Matched
    /// column empty (the name matched): nothing said why the row was there.
    /// (With every row found by its name, Company takes Matched's place:
    /// QA 41 #10.)
    func testANameFoundByAWordPastTheColumnsEdgeShowsThatWord() throws {
        _ = try db.contacts.create(Contact(name: "Wang Xiu Ying Long Surname 王秀英"))
        type("秀英")
        let screen = draw(80, 24)
        let rows = screen.rowsText()
        XCTAssertTrue(rows[3].hasPrefix("│Name                    Company"), rows[3])
        // The list's row (the details pane beside it shows the whole name).
        guard let y = rows.firstIndex(where: { $0.hasPrefix("│…Surname 王秀英 ") }) else { return XCTFail(rows.joined(separator: "\n")) }
        let styles = Array(screen.styleDump()[y])
        // "…" and "Surname " (9 cells) and 王 (two) are context in the selected row; 秀英 is marked.
        XCTAssertEqual(String(styles[1..<16]), "SSSSSSSSSSShhhh", screen.styleDump()[y])
    }

    /// QA 42 #5: the context before the word found began inside a word
    /// ("…gmaringen Brandtnerova"); it starts at a word or is left out.
    func testTheContextBeforeTheWordFoundStartsAtAWord() throws {
        _ = try db.contacts.create(Contact(name: "Hohenzollern-Sigmaringen Brandtnerova"))
        type("brandtnerova")
        let rows = draw(80, 24).rowsText()
        XCTAssertTrue(rows.contains { $0.hasPrefix("│…Brandtnerova ") }, rows.joined(separator: "\n"))
    }

    func testAPhoneSearchMarksTheDigitsOfTheNumberFound() {
        type("+49 171 9936679")
        let screen = draw(120, 40)
        let rows = screen.rowsText()
        XCTAssertTrue(rows.contains { $0.contains("Carl Albers") && $0.contains("phone 0171 9936679") }, rows.joined(separator: "\n"))
    }
}
