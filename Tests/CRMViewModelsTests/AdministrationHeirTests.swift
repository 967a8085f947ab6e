import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// QA 27 #4: on the Administration screen, a hand-over to an unknown,
/// deactivated or same user is refused at Enter with the line back for
/// correction, before the "Move them?" question, not after a yes.
final class AdministrationHeirTests: XCTestCase {
    func testABadHeirIsRefusedAtEnterAndTheLineComesBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-admin-heir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sara = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")   // the first user: the admin
        _ = try sara.users.add(login: "omid", name: "Omid", role: .rep)
        _ = try sara.users.add(login: "cleo", name: "Cleo", role: .rep)
        _ = try sara.users.deactivate(login: "cleo", handover: HandoverPlan())
        _ = try sara.contacts.create(Contact(name: "Begoña Fernández", ownerID: try sara.users.find(login: "omid")?.id))
        let app = AppModel(repositories: sara, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .contacts)

        for (line, refusal) in [
            ("deactivate omid to nobody", "no user 'nobody'"),
            ("deactivate omid to cleo", "cannot hand omid's work to cleo: cleo is deactivated"),
            ("handover omid to omid", "cannot hand omid's work to omid themselves; name a colleague"),
            // Every other refusal keeps the screen and the line too (QA 29 #12).
            ("add sara manager", "there is already a user 'sara'"),
            ("role omid boss", "role LOGIN ROLE"),
            ("rename omid sara", "there is already a user 'sara'"),
            ("new-logins maybe", "new-logins on or new-logins off"),
            ("frobnicate", "\"frobnicate\" is not a command"),
            ("deactivate sara", "sara is the last active admin"),
        ] {
            app.handle(.key(.char("U")))
            guard case .prompt? = app.overlay else { return XCTFail("U opens Administration") }
            for c in line { app.handle(.key(.char(c))) }
            app.handle(.key(.enter))
            XCTAssertTrue(app.statusMessage?.text.contains(refusal) ?? false, app.statusMessage?.text ?? "no status")
            guard case .prompt(let again)? = app.overlay else { return XCTFail("\(line): no question, the line comes back") }
            XCTAssertEqual(again.input.text, line)
            app.handle(.key(.escape))
            app.handle(.key(.escape))
            XCTAssertNil(app.overlay)
        }
        XCTAssertEqual(try sara.users.find(login: "omid")?.isActive, true, "nothing happened")
        // A good heir still gets the question.
        app.handle(.key(.char("U")))
        for c in "deactivate omid to sara" { app.handle(.key(.char(c))) }
        app.handle(.key(.enter))
        guard case .confirm? = app.overlay else { return XCTFail("asked to confirm") }
        // A no is said (QA 45 KB #12: declining left the status line empty).
        app.handle(.key(.char("n")))
        XCTAssertEqual(app.statusMessage?.text, "Nothing moved; omid stays active: the handover was declined")
        XCTAssertEqual(try sara.users.find(login: "omid")?.isActive, true)
    }
}
