import CRMExchange
import XCTest

final class CSVFieldTests: XCTestCase {
    func testQuotesOnlyWhatNeedsIt() {
        XCTAssertEqual(CSVField.record(["Günter Müller", "a,b", "say \"hi\"", "two\nlines", ""]),
                       "Günter Müller,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n")
    }

    func testNotesKeepEveryExtra() {
        let record = ImportRecord(line: 3, notes: "met at fair",
                                  extras: [.init("Address", "Hauptstr. 1, Berlin"), .init("URL", "https://example.de"), .init("Empty", "")])
        XCTAssertEqual(record.notesWithExtras, "met at fair\nAddress: Hauptstr. 1, Berlin\nURL: https://example.de")
        XCTAssertEqual(ImportProblem(line: 42, column: "E-mail 1 - Value", message: "'bob@' is not an email address").description,
                       "line 42, column E-mail 1 - Value: 'bob@' is not an email address")
    }
}
