import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// A real database in a temporary folder, an app on a hand-moved clock in
/// Berlin time, and helpers to type like a person.
final class TodayFixture {
    let folder: URL
    let db: Database
    let clock: ManualClock
    let app: AppModel

    /// "Now" defaults to Friday 27 March 2026, 10:00 in Berlin: before the
    /// real date the tests run on, so contacts (created "now" by the store)
    /// only fall behind their cadence through the interactions we log.
    init(now: Date = TodayFixture.date("2026-03-27T09:00:00Z"), zone: String = "Europe/Berlin",
         calendar: Calendar.Identifier = .gregorian, settings: Settings = Settings()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-today-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "ana")
        clock = ManualClock(now)
        var s = settings
        s.timeZone = TimeZone(identifier: zone)!
        s.calendar = calendar == .persian ? .persian : .gregorian
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(settings: s), settings: s)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    var today: TodayViewModel { app.today }

    @discardableResult
    func contact(_ name: String, company: String? = nil, lifecycle: Lifecycle = .customer, tags: [String] = [],
                 lastContact: Date? = nil, owner: String = "ana") throws -> Contact {
        var companyID: Int64?
        if let company {
            companyID = try db.companies.find(name: company)?.id ?? db.companies.create(Company(name: company)).id
        }
        let ownerID = try db.users.findOrCreate(login: owner).id
        let c = try db.contacts.create(Contact(name: name, companyID: companyID, tags: tags, ownerID: ownerID, lifecycle: lifecycle))
        if let lastContact {
            _ = try db.interactions.log(Interaction(contactID: c.id, kind: .call, direction: .outbound, occurredAt: lastContact,
                                                    durationSeconds: 120, body: "Talked about the order", createdAt: lastContact))
        }
        return c
    }

    @discardableResult
    func followUp(_ title: String, for contact: Contact?, due: Date, assignee: String = "ana") throws -> FollowUp {
        let id = try db.users.findOrCreate(login: assignee).id
        return try db.followUps.create(FollowUp(contactID: contact?.id, assigneeID: id, title: title, dueAt: due))
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }

    func type(_ text: String) { for ch in text { app.handle(.key(.char(ch))) } }

    var promptTitle: String? {
        if case .prompt(let p)? = app.overlay { return p.title }
        return nil
    }

    var selectedTitle: String? {
        if case .followUp(let row)? = today.selectedItem { return row.followUp.title }
        if case .attention(let row)? = today.selectedItem { return row.name }
        return nil
    }

    func titles(_ section: TodayViewModel.Section) -> [String] {
        today.items(in: section).map {
            switch $0 {
            case .followUp(let row): row.followUp.title
            case .attention(let row): row.name
            }
        }
    }
}
