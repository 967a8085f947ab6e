import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The follow-ups list (Today's `F`) as a person sees it, at 80x24 and
/// 120x40: every status, sorted by due, a cancelled one with its reason, a
/// stored escape sequence shown, never sent.
final class FollowUpListGoldenTests: XCTestCase {
    var folder: URL!

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    /// Friday 27 March 2026, 10:00 in Berlin.
    func makeApp() throws -> AppModel {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-golden-fups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "ana")
        var settings = Settings()
        settings.calendar = .gregorian
        settings.timeZone = TimeZone(identifier: "Europe/Berlin")
        let app = AppModel(repositories: db, clock: ManualClock(Self.date("2026-03-27T09:00:00Z")),
                           timeFormat: TimeFormat(settings: settings), settings: settings)
        let ana = db.currentUser.id
        let ben = try db.users.findOrCreate(login: "ben").id
        func contact(_ name: String, _ company: String?) throws -> Contact {
            let companyID = try company.map { try db.companies.find(name: $0)?.id ?? db.companies.create(Company(name: $0)).id }
            return try db.contacts.create(Contact(name: name, companyID: companyID, ownerID: ana))
        }
        let ada = try contact("Ada Lovelace", "Analytical Engines")
        let bob = try contact("Bob Müller", "Müller GmbH")
        let chen = try contact("陈伟", "深圳零件")
        let evil = try contact("Mallory\u{1B}[31m", nil)
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let lead = try db.pipelines.stages(pipelineID: pipeline.id)[0]
        let deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: lead.id, title: "Engines renewal", value: .zero(.eur),
                                            contactID: ada.id))
        func due(_ title: String, _ c: Contact, _ when: String, assignee: Int64, status: FollowUpStatus = .open,
                 reason: String = "", dealID: Int64? = nil) throws {
            var f = try db.followUps.create(FollowUp(contactID: c.id, dealID: dealID, assigneeID: assignee, title: title,
                                                     dueAt: Self.date(when)))
            if status != .open {
                f.status = status
                f.cancelReason = reason
                _ = try db.followUps.update(f)
            }
        }
        try due("Old intro call", bob, "2026-01-12T09:00:00Z", assignee: ana, status: .done)
        try due("Trade fair invite", chen, "2026-02-02T09:00:00Z", assignee: ben, status: .cancelled, reason: "fair called off")
        try due("Send the quote", ada, "2026-03-25T08:00:00Z", assignee: ana, dealID: deal.id)
        try due("Call about renewal", bob, "2026-03-27T07:00:00Z", assignee: ben)
        try due("Check \u{1B}]0;pwned\u{07}the invoice", evil, "2026-03-30T07:00:00Z", assignee: ana)
        try due("Quarterly review", chen, "2026-06-15T08:00:00Z", assignee: ana)
        try due("Renewal signature", ada, "2027-01-10T09:00:00Z", assignee: ben, dealID: deal.id)
        app.start(in: .today)
        app.handle(.key(.char("m")))  // everyone's
        app.handle(.key(.char("F")))
        app.handle(.key(.char("v")))
        app.handle(.key(.char("v")))
        app.handle(.key(.char("v")))  // every status
        return app
    }

    func render(_ app: AppModel, _ w: Int, _ h: Int) -> MemoryScreen {
        let screen = MemoryScreen(width: w, height: h)
        app.handle(.resize(width: w, height: h))
        AppRenderer.render(app, on: screen)
        return screen
    }

    func test80x24() throws {
        let app = try makeApp()
        app.handle(.key(.char("j")))
        app.handle(.key(.char("j")))
        assertGolden(render(app, 80, 24), named: "followup-list-80x24", withStyles: true)
    }

    func test120x40() throws {
        let app = try makeApp()
        assertGolden(render(app, 120, 40), named: "followup-list-120x40")
    }
}
