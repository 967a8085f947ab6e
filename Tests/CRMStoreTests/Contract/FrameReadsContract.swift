import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The reads a screen batches into one call (the board's visible columns,
/// a contact's details pane) give exactly what the separate reads give, on
/// both engines; on PostgreSQL each is one round trip.
struct FrameReadsContract {
    let fixture: EngineFixture

    /// Statements a session has sent (PostgreSQL), nil on SQLite.
    private func statements(_ s: EngineSession) -> Int? {
        (s.repositories as? PostgresDatabase)?.connection.statementCount
    }

    func severalColumnsReadTogetherAreEachColumnsPage() throws {
        let sara = try fixture.open("sara"), omid = try fixture.open("omid")
        let deals = DealRepositoryContract(fixture: fixture)
        let (p, stages) = try deals.pipeline(sara, stages: 4)
        let acme = try sara.addCompany("Acme Müller")
        for i in 0..<9 {
            _ = try deals.deal(i.isMultiple(of: 3) ? omid : sara, p, stages[i % 3], ["Alpha", "Beta", "Gamma"][i % 3] + " \(i)",
                               company: i == 4 ? acme : nil)
        }
        let first = try sara.deals.cards(stageID: stages[0].id, filter: DealFilter(), after: nil, limit: 2)
        let cursor = try XCTUnwrap(first.first?.cursor)
        for filter in [DealFilter(), DealFilter(ownerID: omid.userID), DealFilter(text: "mull"), DealFilter(text: "--")] {
            // Column 0 from a cursor, the others from their tops, the last one empty.
            let columns: [(stageID: Int64, after: DealCursor?)] = [(stages[0].id, cursor), (stages[1].id, nil),
                                                                    (stages[2].id, nil), (stages[3].id, nil)]
            let before = statements(sara)
            let together = try sara.deals.cards(columns: columns, filter: filter, limit: 2)
            if let before { XCTAssertEqual(statements(sara), before + 1, "one round trip for the board") }
            XCTAssertEqual(Set(together.keys), Set(stages.prefix(4).map(\.id)), "every column asked for is answered, empty or not")
            for column in columns {
                let alone = try sara.deals.cards(stageID: column.stageID, filter: filter, after: column.after, limit: 2)
                XCTAssertEqual(together[column.stageID], alone, "\(fixture.name): stage \(column.stageID), filter \(filter)")
            }
        }
        XCTAssertEqual(try sara.deals.cards(columns: [], filter: DealFilter(), limit: 3), [:])
    }

    func aContactsPaneIsTheSeparateReadsInOne() throws {
        let sara = try fixture.open("sara")
        let contacts = sara.repositories.contactRepository
        let company = try sara.addCompany("Acme")
        let nina = try contacts.create(Contact(name: "Nina Öz", companyID: company,
                                               emails: [EmailAddress("nina@acme.example", label: "work"), EmailAddress("n@home.example", label: "home")],
                                               phones: [PhoneNumber("+49 30 1234567", label: "mobile"), PhoneNumber("030 999", label: "")],
                                               tags: ["beta", "Alpha", "älter", "Zulu \"quoted\" \\ tag"]))
        let deals = DealRepositoryContract(fixture: fixture)
        let (p, stages) = try deals.pipeline(sara)
        let offer = try deals.deal(sara, p, stages[1], "Offer", contact: nina.id)
        _ = try deals.deal(sara, p, stages[0], "Renewal", contact: nina.id)
        let now = fixture.clock.now
        _ = try sara.followUps.create(FollowUp(contactID: nina.id, title: "Send the offer", dueAt: now.addingTimeInterval(86_400)))
        _ = try sara.followUps.create(FollowUp(contactID: nina.id, dealID: offer.id, title: "Call back", dueAt: now.addingTimeInterval(-3_600)))
        for (i, subject) in ["First call", "Mail", "Meeting"].enumerated() {
            _ = try sara.interactions.log(Interaction(contactID: nina.id, dealID: i == 1 ? offer.id : nil, kind: i == 1 ? .email : .call,
                                                      occurredAt: now.addingTimeInterval(Double(i) * 60), subject: subject))
        }
        let before = statements(sara)
        let pane = try XCTUnwrap(contacts.pane(nina.id, timelineLimit: 2))
        if let before { XCTAssertEqual(statements(sara), before + 1, "one round trip for the pane") }
        let contact = try XCTUnwrap(contacts.get(nina.id))
        XCTAssertEqual(pane.contact, contact)
        XCTAssertEqual(contact.emails.map(\.address), ["nina@acme.example", "n@home.example"], "\(fixture.name): emails in their order")
        XCTAssertEqual(contact.phones.map(\.label), ["mobile", ""], "\(fixture.name): phones in their order")
        XCTAssertEqual(contact.tags.count, 4)
        XCTAssertTrue(contact.tags.contains("Zulu \"quoted\" \\ tag"), "\(fixture.name): quotes and backslashes survive: \(contact.tags)")
        XCTAssertEqual(pane.deals, try sara.deals.deals(contactID: nina.id))
        XCTAssertEqual(pane.deals.count, 2)
        XCTAssertEqual(pane.openFollowUps, try sara.followUps.open(contactID: nina.id))
        XCTAssertEqual(pane.openFollowUps.map(\.followUp.title), ["Call back", "Send the offer"])
        XCTAssertEqual(pane.valueTier, try sara.repositories.customerReportRepository.valueTier(contactID: nina.id))
        XCTAssertEqual(pane.timeline, try sara.interactions.timeline(.contact(nina.id), before: nil, limit: 2))
        XCTAssertEqual(pane.timeline.map(\.interaction.subject), ["Meeting", "Mail"], "newest first, up to the limit")
        XCTAssertNil(try contacts.pane(999_999, timelineLimit: 5), "no such contact: no pane")
        // A contact with nothing but its name has empty lists, not missing ones.
        let bare = try contacts.create(Contact(name: "Bare"))
        let empty = try XCTUnwrap(contacts.pane(bare.id, timelineLimit: 5))
        XCTAssertEqual(empty.contact, try contacts.get(bare.id))
        XCTAssertEqual([empty.deals.count, empty.openFollowUps.count, empty.timeline.count], [0, 0, 0])
    }
}

final class SQLiteFrameReadsContractTests: XCTestCase {
    private func contract() -> FrameReadsContract { FrameReadsContract(fixture: .sqlite()) }

    func testSeveralColumnsReadTogetherAreEachColumnsPage() throws { try contract().severalColumnsReadTogetherAreEachColumnsPage() }
    func testAContactsPaneIsTheSeparateReadsInOne() throws { try contract().aContactsPaneIsTheSeparateReadsInOne() }
}

final class PostgresFrameReadsContractTests: XCTestCase {
    private func contract() throws -> FrameReadsContract { FrameReadsContract(fixture: try .postgres()) }

    func testSeveralColumnsReadTogetherAreEachColumnsPage() throws { try contract().severalColumnsReadTogetherAreEachColumnsPage() }
    func testAContactsPaneIsTheSeparateReadsInOne() throws { try contract().aContactsPaneIsTheSeparateReadsInOne() }
}
