import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// `:import` headless: the palette opens it, Tab completes the path, an
/// unknown header is mapped on screen, the dry run is shown, Enter imports
/// one batch, `u` takes it back.
final class ImportModelTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-import-vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        app = AppModel(repositories: db, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 100, height: 30))
        app.start(in: .contacts)
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }

    var model: ImportModel? {
        if case .importFile(let m)? = app.overlay { return m }
        return nil
    }

    /// ↓ on a column with no field chosen yet, until it has `field`.
    func pick(_ field: ContactField) {
        for _ in 0...ContactField.choices.firstIndex(of: field)! { press(.down) }
    }

    func contactCount() throws -> Int { try db.contacts.count(filter: ContactFilter()) }

    func writeUnknownHeaderCSV() throws {
        try """
            Vorname;Nachname;Elektropost;Betrieb
            Ada;Lovelace;ada@example.com;Engines
            Bob;Bad;bob@;
            Cy;Neu;cy@example.com;Cyber AG

            """.write(to: folder.appendingPathComponent("kontakte-unbekannt.csv"), atomically: true, encoding: .utf8)
    }

    func testPaletteOpensImportAndAnUnknownHeaderIsMappedOnScreenThenImportedAndUndone() throws {
        try writeUnknownHeaderCSV()
        press(.char(":"))
        type("import")
        guard case .palette(let palette)? = app.overlay else { return XCTFail("no palette") }
        XCTAssertEqual(palette.matches.first?.action, .importFile)
        press(.enter)
        let model = try XCTUnwrap(self.model)
        XCTAssertEqual(model.stage, .path)

        // Tab completes the file name in the folder typed.
        type(folder.path + "/kontakte-u")
        press(.tab)
        XCTAssertEqual(model.input.text, folder.path + "/kontakte-unbekannt.csv")
        press(.enter)
        XCTAssertEqual(model.stage, .mapping, model.error ?? "")
        XCTAssertTrue(model.mappingIsEditable)
        XCTAssertEqual(model.preview?.columns.map(\.header), ["Vorname", "Nachname", "Elektropost", "Betrieb"])
        XCTAssertEqual(model.preview?.columns.first?.samples, ["Ada", "Bob", "Cy"])
        XCTAssertTrue(model.preview?.preset == nil || model.preview?.preset == .generic, "\(String(describing: model.preview?.preset))")

        // Vorname → first_name, Nachname → last_name, Elektropost → email, Betrieb → company.
        pick(.firstName)
        press(.right)
        pick(.lastName)
        press(.right)
        pick(.email(label: ""))
        press(.right)
        pick(.company)
        XCTAssertEqual(model.chosenFields, [0: .firstName, 1: .lastName, 2: .email(label: ""), 3: .company])
        XCTAssertEqual(model.mappingOption, "--map 'Vorname=first_name,Nachname=last_name,Elektropost=email,Betrieb=company'")
        XCTAssertEqual(model.preview?.columns.map(\.fieldText), ["first name", "last name", "email", "company"])

        press(.enter)
        XCTAssertEqual(model.stage, .review, model.error ?? "")
        let summary = try XCTUnwrap(model.summary)
        XCTAssertEqual(summary.rowsRead, 3)
        XCTAssertEqual(summary.created, 1)
        XCTAssertEqual(summary.skipped, 1)
        XCTAssertEqual(summary.rejected, 1)
        XCTAssertEqual(model.rejectedLines.count, 1)
        XCTAssertTrue(model.rejectedLines[0].hasPrefix("rejected line 3, column Elektropost: \"bob@\""), model.rejectedLines[0])
        XCTAssertTrue(model.duplicateLines.first?.contains("duplicate of Ada Lovelace") == true, "\(model.duplicateLines)")
        XCTAssertEqual(try contactCount(), 1, "nothing written by the dry run")

        press(.char("p"))
        XCTAssertEqual(model.policy, .merge)
        XCTAssertEqual(model.summary?.merged, 1)

        press(.enter)
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try contactCount(), 2)
        XCTAssertTrue(app.statusMessage?.text.hasPrefix("Imported 1 contact from kontakte-unbekannt.csv (batch 1), merged 1, left out 1 rejected; u undoes it") == true,
                      app.statusMessage?.text ?? "")
        XCTAssertEqual(try db.contacts.get(1)?.companyID.flatMap { try db.companies.get($0)?.name }, "Engines", "merged: its empty company filled")

        // QA 45 IO #2: ":import" right after an import is the next import,
        // not the undo of this one, and the one undo is listed once.
        press(.char(":"))
        type("import")
        guard case .palette(let again)? = app.overlay else { return XCTFail("no palette") }
        XCTAssertEqual(again.matches.first?.action, .importFile, "\(again.matches.map(\.title))")
        XCTAssertEqual(again.matches.filter { $0.action == .undo }.count, 1, "\(again.matches.map(\.title))")
        press(.escape)

        press(.char("u"))
        XCTAssertEqual(try contactCount(), 1)
        XCTAssertEqual(try db.contacts.get(1)?.companyID, nil)
        XCTAssertTrue(app.statusMessage?.text.hasPrefix("Undone: import of kontakte-unbekannt.csv") == true, app.statusMessage?.text ?? "")
    }

    /// The dry run, the import and its undo each draw "working" first, and
    /// each drops the keys typed meanwhile when it ends (an Enter pressed
    /// during the dry run must not confirm the import it was not shown).
    func testEachLongStepSaysItIsWorkingAndDropsTheKeysTypedMeanwhile() throws {
        var rows = "Name,Email\n"
        for i in 0..<10_050 { rows += "Person \(i),p\(i)@bulk.example\n" }
        try rows.write(to: folder.appendingPathComponent("big.csv"), atomically: true, encoding: .utf8)
        var frames: [String] = []
        var discarded = 0
        app.drawNow = { [unowned app] in frames.append(app!.statusMessage?.text ?? "") }
        app.discardTypeahead = { discarded += 1 }
        app.run(.importFile)
        type(folder.path + "/big.csv")
        press(.enter)
        XCTAssertEqual(model?.stage, .mapping, model?.error ?? "")
        press(.enter)
        XCTAssertEqual(model?.stage, .review, model?.error ?? "")
        XCTAssertEqual(frames, ["Reading big.csv… (a dry run: nothing is written)",
                                "Reading big.csv… 10,000 rows (a dry run: nothing is written)"])
        XCTAssertEqual(discarded, 1)
        frames = []
        press(.enter)
        XCTAssertEqual(frames, ["Importing big.csv…", "Importing big.csv… 10,000 rows read"])
        XCTAssertEqual(discarded, 2)
        XCTAssertEqual(try contactCount(), 10_051)
        frames = []
        press(.char("u"))
        XCTAssertEqual(frames, ["Undoing the import of big.csv…"])
        XCTAssertEqual(discarded, 3)
        XCTAssertEqual(try contactCount(), 1)
    }

    /// A signal that asks the program to end (SIGTERM) stops an import on
    /// the screen between two rows, rolled back, instead of letting it
    /// commit first.
    func testASignalDuringTheImportRollsItBack() throws {
        var rows = "Name,Email\n"
        for i in 0..<3_000 { rows += "Person \(i),p\(i)@bulk.example\n" }
        try rows.write(to: folder.appendingPathComponent("big.csv"), atomically: true, encoding: .utf8)
        app.run(.importFile)
        type(folder.path + "/big.csv")
        press(.enter, .enter)
        XCTAssertEqual(model?.stage, .review, model?.error ?? "")
        var checks = 0
        app.stopCheck = { checks += 1; return checks > 2_000 }
        press(.enter)
        XCTAssertEqual(model?.error, "interrupted; nothing was imported")
        XCTAssertEqual(try contactCount(), 1)
        XCTAssertEqual(try db.importRepository.importBatches(limit: 5).count, 0)
    }

    func testAMissingFileOrAFolderIsSaidOnTheLineAndEscGoesBack() throws {
        app.run(.importFile)
        type(folder.path + "/nope.csv")
        press(.enter)
        XCTAssertEqual(model?.stage, .path)
        XCTAssertEqual(model?.error, "no such file: \(folder.path)/nope.csv")
        press(.ctrl("u"))
        type(folder.path)
        press(.enter)
        XCTAssertTrue(model?.error?.contains("is a folder") == true)
        press(.escape)
        XCTAssertNil(app.overlay)
    }

    func testAKnownHeaderIsShownAsRecognisedAndCannotBeChanged() throws {
        try """
            Name,Given Name,Family Name,E-mail 1 - Label,E-mail 1 - Value
            Cy Neu,Cy,Neu,* Work,cy@example.com

            """.write(to: folder.appendingPathComponent("google.csv"), atomically: true, encoding: .utf8)
        app.run(.importFile)
        type(folder.path + "/google.csv")
        press(.enter)
        let model = try XCTUnwrap(self.model)
        XCTAssertEqual(model.stage, .mapping, model.error ?? "")
        XCTAssertFalse(model.mappingIsEditable)
        press(.down)
        XCTAssertEqual(model.chosenFields, [:])
        press(.enter, .enter)
        XCTAssertEqual(try contactCount(), 2)
    }
}
