import CRMCore
import CRMExchange
import CRMRepositories
import Foundation
import XCTest

/// The records of the listings keep the fields their schema (and so `crm
/// help` and the man page) names, in that order; amounts and times are
/// written as documented; the address query ranks as documented.
final class ListingRecordTests: XCTestCase {
    let records = ListingRecords(time: ListingTime(timeZone: TimeZone(identifier: "Asia/Tehran")!), users: [1: "sara"])
    let date = Date(timeIntervalSince1970: 1_795_000_000)

    func testEveryRecordHasItsSchemasFieldsInOrder() {
        let contact = Contact(id: 1, name: "A", ownerID: 1, createdAt: date, updatedAt: date)
        XCTAssertEqual(records.contact(contact, summary: nil).names, ListingSchema.contacts.names)
        XCTAssertEqual(records.company(Company(id: 2, name: "B"), contactCount: 0).names, ListingSchema.companies.names)
        let deal = Deal(id: 3, pipelineID: 1, stageID: 1, title: "D", value: Money(minorUnits: 5, currency: Currency(stored: "EUR")))
        XCTAssertEqual(records.deal(DealCard(deal: deal, stageName: "S"), pipelines: [:], stages: [:]).names, ListingSchema.deals.names)
        XCTAssertEqual(records.interaction(TimelineEntry(interaction: Interaction(id: 4, contactID: 1, kind: .call))).names,
                       ListingSchema.timeline.names)
        XCTAssertEqual(records.followUp(FollowUpRow(followUp: FollowUp(id: 5, title: "F", dueAt: date))).names,
                       ListingSchema.followUp.names)
        for schema in [ListingSchema.contacts, .companies, .deals, .timeline, .followUp] {
            for name in schema.names {
                XCTAssertTrue(name.allSatisfy { $0.isLowercase || $0 == "_" }, "\(name) is snake_case")
                XCTAssertTrue(schema.help().contains("  \(name) "), "\(name) is described")
            }
        }
    }

    func testTimesCarryTheOffsetOfTheZone() {
        XCTAssertEqual(records.time.iso(date), .text("2026-11-18T14:36:40+03:30"))
        XCTAssertEqual(ListingTime(timeZone: TimeZone(identifier: "UTC")!).iso(date), .text("2026-11-18T11:06:40Z"))
        XCTAssertEqual(records.time.iso(nil), .null)
        XCTAssertEqual(records.time.iso(Date(timeIntervalSince1970: 1e13)), .null, "no made-up date for one no calendar spells")
    }

    func testMoneyIsAPlainDecimalInMajorUnits() {
        func decimal(_ minor: Int64, _ code: String) -> ListingValue {
            ListingTime.decimal(Money(minorUnits: minor, currency: Currency(stored: code)))
        }
        XCTAssertEqual(decimal(1_250_000, "EUR"), .text("12500.00"))
        XCTAssertEqual(decimal(5, "EUR"), .text("0.05"))
        XCTAssertEqual(decimal(0, "EUR"), .text("0.00"))
        XCTAssertEqual(decimal(1500, "JPY"), .text("1500"))
        XCTAssertEqual(decimal(1234, "KWD"), .text("1.234"))
        XCTAssertEqual(decimal(-7, "EUR"), .text("-0.07"))
        XCTAssertEqual(decimal(999_999_999_999_999, "EUR"), .text("9999999999999.99"))
        XCTAssertEqual(decimal(Int64.max, "EUR"), .text("92233720368547758.07"))
        XCTAssertEqual(decimal(Money.unreadable, "EUR"), .null)
        XCTAssertEqual(ListingTime.minorUnits(Money(minorUnits: Money.unreadable, currency: Currency(stored: "EUR"))), .null)
    }

    func testCellsJoinListsAndTakeAnObjectsFirstField() {
        let emails = ListingValue.list([.object([ListingField("address", .text("a@x.example")), ListingField("label", .text("work"))]),
                                        .object([ListingField("address", .text("b@x.example")), ListingField("label", .text(""))])])
        XCTAssertEqual(emails.cell, "a@x.example, b@x.example")
        XCTAssertEqual(ListingValue.null.cell, "")
        XCTAssertEqual(ListingValue.integer(42).cell, "42")
    }

    func testAddressQueryRanksExactNameThenPrefixThenAddressThenTheRest() {
        func contact(_ name: String, _ emails: String...) -> AddressQuery.Found {
            AddressQuery.Found(name: name, company: nil, emails: emails)
        }
        // In the search's order (by name), as the store hands them over.
        let found = [contact("Bob Annan", "bob@b.example"), contact("Maria Anna", "anna.m@x.example", "maria@x.example"),
                     contact("Ännä", "a@a.example"), contact("Anna Nomail"), contact("Anna-Lena Ek", "al@e.example")]
        let lines = AddressQuery.lines(query: "anna", found: found)
        XCTAssertEqual(lines.map(\.email), ["a@a.example", "al@e.example", "anna.m@x.example", "bob@b.example", "maria@x.example"])
        // Persian and Arabic letter forms are one.
        let persian = AddressQuery.lines(query: "علي", found: [contact("علی", "ali@x.example")])
        XCTAssertEqual(persian.first?.email, "ali@x.example")
        XCTAssertEqual(AddressQuery.lines(query: "x", found: [contact("Nobody")]), [])
    }

    func testJSONKeepsTheSchemasOrderAndEscapesWhatATerminalWouldObey() throws {
        let record = ListingRecord([ListingField("name", .text("a\u{1B}]0;x\u{07}\u{9B}\u{202E}\"\\\nü")), ListingField("n", .integer(-3)),
                                    ListingField("none", .null), ListingField("list", .list([.text("x"), .object([ListingField("k", .text("v"))])]))])
        let line = ListingJSON.line(record)
        XCTAssertEqual(line, #"{"name": "a\u001B]0;x\u0007\u009B\u202E\"\\\nü", "n": -3, "none": null, "list": ["x", {"k": "v"}]}"#)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["name"] as? String, "a\u{1B}]0;x\u{07}\u{9B}\u{202E}\"\\\nü")
        let pretty = ListingJSON.pretty(record, indent: 2)
        XCTAssertTrue(pretty.hasPrefix("  {\n    \"name\": "), pretty)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(pretty.utf8)))
    }
}
