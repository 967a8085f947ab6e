import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The import overlay's three steps as whole screens: the path with Tab's
/// choices, the mapping grid of a CSV whose header is unknown, and the dry
/// run's review with a duplicate and a rejected line.
final class ImportGoldenTests: XCTestCase {
    var folder: URL!

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func makeApp(width: Int, height: Int) throws -> (AppModel, ImportModel) {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-import-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        try """
            Vorname;Nachname;Elektropost;Betrieb;Telefon
            Ada;Lovelace;ada@example.com;Engines;+44 20 7946 0000
            Bob;Bad;bob@;;
            Günter;Müller;g@mueller.de;Granite Bau;+49 30 1234567

            """.write(to: folder.appendingPathComponent("kontakte.csv"), atomically: true, encoding: .utf8)
        try "x".write(to: folder.appendingPathComponent("kontakte-alt.vcf"), atomically: true, encoding: .utf8)
        let now = ISO8601DateFormatter().date(from: "2026-11-27T14:20:00Z")!
        let app = AppModel(repositories: db, clock: ManualClock(now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: width, height: height))
        app.start(in: .contacts)
        let model = ImportModel(context: app, folder: folder.path)
        app.present(.importFile(model))
        return (app, model)
    }

    func render(_ app: AppModel, _ w: Int, _ h: Int) -> MemoryScreen {
        let screen = MemoryScreen(width: w, height: h)
        AppRenderer.render(app, on: screen)
        return screen
    }

    func press(_ app: AppModel, _ keys: Key...) { for k in keys { app.handle(.key(k)) } }
    func type(_ app: AppModel, _ text: String) { for c in text { app.handle(.key(.char(c))) } }

    /// kontakte.csv with Vorname, Nachname, Elektropost and Betrieb mapped.
    func mapped(_ app: AppModel) {
        type(app, "kontakte.csv")
        press(app, .enter)
        for (n, field) in [ContactField.firstName, .lastName, .email(label: ""), .company, .phone(label: "")].enumerated() {
            if n > 0 { press(app, .right) }
            for _ in 0...ContactField.choices.firstIndex(of: field)! { press(app, .down) }
        }
    }

    func testPathWithCompletions80x24() throws {
        let (app, _) = try makeApp(width: 80, height: 24)
        type(app, "kon")
        press(app, .tab)
        assertGolden(render(app, 80, 24), named: "import-path-80x24")
    }

    func testMapping80x24() throws {
        let (app, model) = try makeApp(width: 80, height: 24)
        mapped(app)
        XCTAssertEqual(model.stage, .mapping, model.error ?? "")
        assertGolden(render(app, 80, 24), named: "import-mapping-80x24", withStyles: true)
    }

    func testMapping120x40() throws {
        let (app, model) = try makeApp(width: 120, height: 40)
        mapped(app)
        XCTAssertEqual(model.stage, .mapping, model.error ?? "")
        assertGolden(render(app, 120, 40), named: "import-mapping-120x40")
    }

    func testReview80x24() throws {
        let (app, model) = try makeApp(width: 80, height: 24)
        mapped(app)
        press(app, .enter)
        XCTAssertEqual(model.stage, .review, model.error ?? "")
        assertGolden(render(app, 80, 24), named: "import-review-80x24")
    }

    func testReview120x40() throws {
        let (app, model) = try makeApp(width: 120, height: 40)
        mapped(app)
        press(app, .enter)
        XCTAssertEqual(model.stage, .review, model.error ?? "")
        assertGolden(render(app, 120, 40), named: "import-review-120x40", withStyles: true)
    }
}
