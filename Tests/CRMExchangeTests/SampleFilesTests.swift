import CRMCore
@testable import CRMExchange
import XCTest

/// The sample files a new user tries first (Resources/samples) import
/// cleanly: every contact taken, names in every script intact.
final class SampleFilesTests: XCTestCase {
    private func sample(_ name: String, file: StaticString = #filePath) -> String {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/samples/\(name)").path
    }

    private func read(_ name: String) throws -> [ImportRecord] {
        let items = try readAll(ImportOpener().open(sample(name)))
        XCTAssertEqual(problems(items), [], name)
        return records(items)
    }

    func testGoogleSample() throws {
        let all = try read("google.csv")
        XCTAssertEqual(all.map(\.name), ["Günter Müller", "Dr. Anna Maria Schmidt", "سارا احمدی", "مهدی کریمی", "王小明", "李娜", "Claudia Becker"])
        XCTAssertEqual(all.last?.emails.count, 3)
    }

    func testOutlookSample() throws {
        let all = try read("outlook.csv")
        XCTAssertEqual(all.map(\.name), ["Lukas Hoffmann", "Frau Julia Wagner", "Reza Hosseini", "Zahra Moradi", "Wei Zhang", "Jing Chen"])
        XCTAssertEqual(all[0].tags, ["Customers", "Trade fair"])
    }

    func testVCardSample() throws {
        let all = try read("contacts.vcf")
        XCTAssertEqual(all.map(\.name), ["Günter Müller", "Dr. Anna Maria Schmidt", "سارا احمدی", "علی رضایی", "王小明", "李娜", "Claudia Becker"])
        XCTAssertEqual(all[5].notes, "Met on the Canton Fair stand. She asked for the English and Chinese catalogues.")
        XCTAssertEqual(all[0].notes, "Met at BAU 2026 in Munich.\nInterested in the crane rental package.")
    }
}
