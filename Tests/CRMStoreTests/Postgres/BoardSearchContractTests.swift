import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The board's text filter on both engines: a deal is found when every word
/// is in its own title or lost reason, or every word in its company's texts,
/// or every word in its contact's (SQLite's `deal_card_fts`, schema 33;
/// PostgreSQL's `deals.card_words`, schema 34), never some words in one and
/// the rest in another. The same script runs on both engines and every
/// column, total and closed list must read the same, before and after the
/// edits that change what a card shows.
final class BoardSearchContractTests: XCTestCase {
    static let queries = [
        "", "anna", "schmidt", "anna acme", "acme", "acme.de", "gmbh", "anna gmbh", "website", "website anna",
        "o'brien", "brien", "sean", "秀英", "李", "müller", "muller", "olwerke", "berlin", "fair", "vip",
        "hosting", "hosting zenit", "zenit", "expensive", "apex", "sean acme", "--", "web rel",
    ]

    func testTheBoardFilterFindsTheSameDealsOnBothEngines() throws {
        let sqlite = try script(Self.openSQLite())
        let postgres = try script(Self.openPostgres())
        XCTAssertEqual(postgres.count, sqlite.count)
        for (s, p) in zip(sqlite, postgres) { XCTAssertEqual(p, s) }
        // What the script shows, so the comparison is never of two empty boards.
        func line(_ prefix: String) -> String? { sqlite.first { $0.hasPrefix(prefix) } }
        XCTAssertEqual(line("before \"anna\" open"), "before \"anna\" open: Lead [Website relaunch] · Qualified [] · Proposal []")
        XCTAssertEqual(line("before \"anna acme\" open"), "before \"anna acme\" open: Lead [Website relaunch] · Qualified [] · Proposal []")
        XCTAssertEqual(line("before \"website anna\" open"), "before \"website anna\" open: Lead [] · Qualified [] · Proposal []")
        XCTAssertEqual(line("before \"gmbh\" open"), "before \"gmbh\" open: Lead [Website relaunch] · Qualified [] · Proposal []")
        XCTAssertEqual(line("after \"apex\" open"), "after \"apex\" open: Lead [Website relaunch] · Qualified [Hosting, Fair booth] · Proposal []")
    }

    /// Fills a board, reads it for every query, edits what the cards show,
    /// and reads it again.
    private func script(_ db: any CRMRepositories) throws -> [String] {
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: ["Lead", "Qualified", "Proposal"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: 10 * ($0.offset + 1))
        })
        let stages = try db.pipelineRepository.stages(pipelineID: pipeline.id)
        let companies = db.companyRepository, contacts = db.contactRepository, deals = db.dealRepository
        let acme = try companies.create(Company(name: "Acme GmbH", domain: "acme.de", notes: "met in Berlin"))
        let zenit = try companies.create(Company(name: "Zenit AG"))
        let olwerke = try companies.create(Company(name: "Ölwerke Müller KG"))
        let anna = try contacts.create(Contact(name: "Anna Schmidt", companyID: acme.id, emails: [EmailAddress("anna@acme.de")],
                                               tags: ["vip"]))
        var sean = try contacts.create(Contact(name: "Sean O'Brien", emails: [EmailAddress("sean@example.com")], notes: "the fair"))
        let li = try contacts.create(Contact(name: "李秀英", companyID: zenit.id))
        let jose = try contacts.create(Contact(name: "José Muller", companyID: olwerke.id))
        func deal(_ title: String, _ stage: Int, contact: Contact? = nil, company: Company? = nil) throws -> Deal {
            try deals.create(Deal(pipelineID: pipeline.id, stageID: stages[stage].id, title: title, value: Money(minorUnits: 100_00, currency: .eur),
                                  contactID: contact?.id, companyID: company?.id))
        }
        _ = try deal("Website relaunch", 0, contact: anna, company: acme)
        var hosting = try deal("Hosting", 1, company: zenit)
        _ = try deal("Fair booth", 1, contact: sean)
        _ = try deal("Pumps", 2, contact: jose, company: olwerke)
        _ = try deal("Translation", 2, contact: li)
        let lost = try deal("Old offer", 0, contact: anna)
        _ = try deals.close(lost.id, as: .lost, reason: "too expensive", expectedVersion: lost.version)

        var out = read(db, "before", pipeline, stages)
        // Edits that change what cards show: a company renamed (its deals and
        // its contacts' deals), a contact's email and company changed, a deal
        // given another contact, a deal trashed and one restored.
        var renamed = try XCTUnwrap(companies.get(acme.id))
        renamed.name = "Apex GmbH"
        _ = try companies.update(renamed)
        sean = try XCTUnwrap(contacts.get(sean.id))
        sean.emails = [EmailAddress("sean@acme.de")]
        sean.companyID = acme.id
        _ = try contacts.update(sean)
        hosting = try XCTUnwrap(deals.get(hosting.id))
        hosting.contactID = anna.id
        _ = try deals.update(hosting)
        let translation = try XCTUnwrap(deals.cards(stageID: stages[2].id, filter: DealFilter(text: "translation"), after: nil, limit: 5).first)
        try deals.delete(translation.id)
        let pumps = try XCTUnwrap(deals.cards(stageID: stages[2].id, filter: DealFilter(text: "pumps"), after: nil, limit: 5).first)
        try deals.delete(pumps.id)
        try deals.restore(pumps.id)
        out += read(db, "after", pipeline, stages)
        return out
    }

    /// Every column's cards, the totals and the closed deals, per query.
    private func read(_ db: any CRMRepositories, _ label: String, _ pipeline: Pipeline, _ stages: [Stage]) -> [String] {
        let deals = db.dealRepository
        return Self.queries.map { text in
            let filter = DealFilter(text: text)
            do {
                let open = try stages.filter { $0.kind == .open }.map { stage in
                    "\(stage.name) [" + (try deals.cards(stageID: stage.id, filter: filter, after: nil, limit: 20)).map(\.deal.title)
                        .joined(separator: ", ") + "]"
                }.joined(separator: " · ")
                let totals = try deals.stageTotals(pipelineID: pipeline.id, filter: filter)
                let counts = stages.map { "\(totals[$0.id]?.byCurrency.map(\.count).reduce(0, +) ?? 0)" }.joined(separator: "/")
                let closed = try deals.closedDeals(pipelineID: pipeline.id, status: nil, filter: filter, after: nil, limit: 20).map(\.deal.title)
                return "\(label) \"\(text)\" open: \(open) | totals \(counts) | closed \(closed)"
            } catch {
                return "\(label) \"\(text)\" error: \(error)"
            }
        }.flatMap { line -> [String] in
            // The open columns on a line of their own, so a failure names them.
            let parts = line.components(separatedBy: " | ")
            return [parts[0]] + parts.dropFirst().map { "\(line.prefix(while: { $0 != ":" })) \($0)" }
        }
    }

    static func openSQLite() throws -> any CRMRepositories {
        let folder = TempFolder()
        let db = try Database(path: folder.path("crm.db"), login: "sara", clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)))
        keep.append(folder)
        return db
    }

    static func openPostgres() throws -> any CRMRepositories {
        let server = try TestPostgresServer.require()
        return try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "sara",
                                    clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)))
    }

    nonisolated(unsafe) static var keep: [TempFolder] = []
}
