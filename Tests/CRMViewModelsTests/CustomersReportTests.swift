import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// The Customers page as the screen and `crm report customers` get it, the
/// tier filter of the contact list and tier cadence in Needs attention, on
/// a small book worked out by hand (days from T0 = 2026-01-01 UTC):
///
/// | contact | lifecycle            | won deals (day)  | interactions (day) |
/// | Ada     | customer             | 8000 EUR (10)    | 185                |
/// | Ben     | customer             | 1500 EUR (20)    | 101 102 103        |
/// | Cleo    | customer             | 500 EUR (30)     | none               |
/// | Dan     | lead → customer 150  | none             | none               |
///
/// Tiers (total 10000; A while the value above < 8000, B < 9500): Ada A,
/// Ben (8000 above) B, Cleo (9500 above) C.
final class CustomersReportTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)
    static func day(_ d: Double) -> Date { t0.addingTimeInterval(d * 86_400) }

    final class Book {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-customers-\(UUID().uuidString)")
        let clock = ManualClock(CustomersReportTests.t0)
        let db: Database
        var ids: [String: Int64] = [:]

        init() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "ana", clock: clock)
            let pipeline = try db.pipelines.createPipeline("Sales", stages: [
                Stage(pipelineID: 0, name: "Talk", position: 0, probability: 20),
                Stage(pipelineID: 0, name: "Won", position: 1, probability: 100, kind: .won),
            ])
            let won = try db.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .won }!
            for (name, lifecycle) in [("Ada", Lifecycle.customer), ("Ben", .customer), ("Cleo", .customer), ("Dan", .lead)] {
                ids[name] = try db.contacts.create(Contact(name: name, lifecycle: lifecycle)).id
            }
            for (name, minor, d) in [("Ada", Int64(8000_00), 10.0), ("Ben", 1500_00, 20), ("Cleo", 500_00, 30)] {
                clock.now = CustomersReportTests.day(d)
                _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: won.id, title: "\(name)'s order",
                                             value: Money(minorUnits: minor, currency: .eur), contactID: ids[name], status: .won))
            }
            for (name, days) in [("Ada", [185.0]), ("Ben", [101, 102, 103])] {
                for d in days {
                    _ = try db.interactions.log(Interaction(contactID: ids[name], kind: .call, occurredAt: CustomersReportTests.day(d)))
                }
            }
            clock.now = CustomersReportTests.day(150)
            var dan = try db.contacts.get(ids["Dan"]!)!
            dan.lifecycle = .customer
            _ = try db.contacts.update(dan)
            clock.now = CustomersReportTests.day(190)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        var filter: ReportFilter { ReportFilter(start: CustomersReportTests.day(100), end: CustomersReportTests.day(200), now: CustomersReportTests.day(190)) }
    }

    func eur(_ minor: Int64) -> ReportValue { .money(Money(minorUnits: minor, currency: .eur), converted: false) }

    func testTheSheetHasEveryFigure() throws {
        let book = try Book()
        var settings = Settings()
        settings.customerLifespanYears = 2
        let sheet = try CustomersReportSheet.build(book.filter, repositories: book.db, settings: settings)
        XCTAssertEqual(sheet.page, .customers)
        XCTAssertEqual(sheet.sections.map(\.key), ["customers", "tiers", "lifetime", "rfm", "retention", "at_risk"])

        let customers = try XCTUnwrap(sheet.section("customers"))
        XCTAssertEqual(customers.barColumn, "value")
        // R by last touch: Dan (never) 1, Cleo (won day 30) 2, Ben (103) 3,
        // Ada (185) 4. F by interactions: Cleo 0 → 1, Dan 0 → 2 (by id),
        // Ada 1 → 3, Ben 3 → 4. M: Dan 0, Cleo, Ben, Ada → 1…4.
        XCTAssertEqual(customers.rows.map(\.values), [
            [.text("Ada"), .empty, .text("A"), eur(8000_00), .count(1), .count(4), .count(3), .count(4), .text("Loyal")],
            [.text("Ben"), .empty, .text("B"), eur(1500_00), .count(1), .count(3), .count(4), .count(3), .text("Loyal")],
            [.text("Cleo"), .empty, .text("C"), eur(500_00), .count(1), .count(2), .count(1), .count(2), .text("Hibernating")],
        ])
        XCTAssertEqual(customers.rows.map(\.drill), [.contacts([book.ids["Ada"]!]), .contacts([book.ids["Ben"]!]), .contacts([book.ids["Cleo"]!])])

        XCTAssertEqual(sheet.section("tiers")?.rows.map(\.values), [
            [.text("A"), .count(1), eur(8000_00), .percent(0.8)],
            [.text("B"), .count(1), eur(1500_00), .percent(0.15)],
            [.text("C"), .count(1), eur(500_00), .percent(0.05)],
        ])
        XCTAssertEqual(sheet.section("tiers")?.title, "Value tiers (A 80 %, B 15 %, C the rest)")
        XCTAssertEqual(sheet.section("tiers")?.rows.map(\.drill),
                       [.contacts([book.ids["Ada"]!]), .contacts([book.ids["Ben"]!]), .contacts([book.ids["Cleo"]!])])

        // Four customers now; tenure (190 + 190 + 190 + 40) / 4 = 152.5 days.
        // Average won deal 10000 / 3; 3 deals in the year / 4 customers =
        // 0.75 a year; 2 − 152.5 / 365.25 years left. Historical 10000 / 4.
        // Predicted 3333.33 × 0.75 × 1.58247775… = 2500 × 1.58247775… = 3956.19.
        let lifetime = try XCTUnwrap(sheet.section("lifetime")?.rows.first?.values)
        XCTAssertEqual(lifetime[0], .count(4))
        XCTAssertEqual(lifetime[1], eur(3333_33))
        XCTAssertEqual(lifetime[2], .number(0.75))
        guard case .number(let left?) = lifetime[3] else { return XCTFail("no years left: \(lifetime[3])") }
        XCTAssertEqual(left, 2 - 152.5 / 365.25, accuracy: 1e-9)
        XCTAssertEqual(lifetime[4], eur(2500_00))
        XCTAssertEqual(lifetime[5], eur(3956_19))
        XCTAssertTrue(sheet.notes.contains("Expected customer lifespan: 2 years (customer_lifespan_years)."), "\(sheet.notes)")

        // Segments: Ada R4 F3 M4 and Ben R3 F4 M3 loyal, Cleo R2 F1 hibernating, Dan R1 F2 lost.
        XCTAssertEqual(sheet.section("rfm")?.rows.map(\.values), [
            [.text("Champions"), .count(0), .percent(0)], [.text("Loyal"), .count(2), .percent(0.5)],
            [.text("At risk"), .count(0), .percent(0)], [.text("Hibernating"), .count(1), .percent(0.25)],
            [.text("Lost"), .count(1), .percent(0.25)],
        ])
        // Counted on the page; Enter lists each segment's customers (none: no list).
        XCTAssertEqual(try sheet.section("rfm")?.rows.map { try $0.drill?.resolved(book.db) }, [
            nil, .contacts([book.ids["Ada"]!, book.ids["Ben"]!].sorted()), nil, .contacts([book.ids["Cleo"]!]),
            .contacts([book.ids["Dan"]!]),
        ])

        // At day 100: Ada, Ben, Cleo; at day 190 Dan too: nobody lost.
        XCTAssertEqual(sheet.section("retention")?.rows.map(\.values), [
            [.text("At the start of the period"), .count(3)], [.text("Still customers at its end"), .count(3)],
            [.text("No longer customers"), .count(0)], [.text("New customers"), .count(1)],
            [.text("Retention rate"), .percent(1)],
        ])
        // Counted on the page; Enter lists each row's customers.
        let threeOfThem = [book.ids["Ada"]!, book.ids["Ben"]!, book.ids["Cleo"]!].sorted()
        XCTAssertEqual(try sheet.section("retention")?.rows.map { try $0.drill?.resolved(book.db) }, [
            .contacts(threeOfThem), .contacts(threeOfThem), nil, .contacts([book.ids["Dan"]!]), nil,
        ])

        // Ben: last touch 103, due 110 (customer every 7 days): 80 days
        // overdue; 3 interactions in [100, 145), none in [145, 190).
        XCTAssertEqual(sheet.section("at_risk")?.rows.map(\.values), [
            [.text("Ben"), .text("B"), .date(CustomersReportTests.day(103)), .days(7), .days(80), .count(3), .count(0)],
        ])
    }

    func testWithoutDeparturesThePredictionSaysWhatItNeeds() throws {
        let book = try Book()
        let sheet = try CustomersReportSheet.build(book.filter, repositories: book.db, settings: Settings())
        XCTAssertEqual(sheet.section("lifetime")?.rows.first?.values[5], .empty)
        XCTAssertTrue(sheet.notes.contains { $0.contains("customer_lifespan_years") }, "\(sheet.notes)")
    }

    func testTheContactListFiltersByTier() throws {
        let book = try Book()
        let app = AppModel(repositories: book.db, clock: book.clock)
        app.start(in: .contacts)
        let vm: ContactsViewModel = app.contacts
        XCTAssertEqual(vm.contacts.rows.map(\.name), ["Ada", "Ben", "Cleo", "Dan"])
        var seen: [[String]] = []
        for _ in 0..<4 {
            app.handle(.key(.char("V")))
            seen.append(vm.contacts.rows.map(\.name))
        }
        XCTAssertEqual(seen, [["Ada"], ["Ben"], ["Cleo"], ["Ada", "Ben", "Cleo", "Dan"]])
        app.handle(.key(.char("V")))
        XCTAssertTrue(vm.filterSummary.contains("tier A"), vm.filterSummary)
        XCTAssertEqual(vm.detail?.valueTier, .a)
        XCTAssertEqual(try book.db.contacts.count(filter: ContactFilter(tier: .b)), 1)
    }

    func testTierCadenceDrivesNeedsAttention() throws {
        let book = try Book()
        var settings = Settings()
        settings.lifecycleCadence = [:]
        settings.tierCadence = [.b: 30, .c: 365]
        // Tier B every 30 days: Ben (last 103) due day 133. Cleo (C, never
        // contacted, created day 0) due day 365: not yet.
        let app = AppModel(repositories: book.db, clock: book.clock, settings: settings)
        app.start(in: .today)
        let names = app.today.items(in: .attention).compactMap { item -> String? in
            if case .attention(let row) = item { return row.name } else { return nil }
        }
        XCTAssertEqual(names, ["Ben"])
        XCTAssertEqual(app.today.counts[.attention], 1)
        book.clock.now = CustomersReportTests.day(366)
        app.today.reload()
        XCTAssertEqual(app.today.counts[.attention], 2)
    }
}
