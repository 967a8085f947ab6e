import CRMCore
@testable import CRMExchange
import XCTest

/// No input crashes a reader: damaged and cut-off copies of every fixture
/// end in records, rejections or an `ImportFileError`, nothing else.
final class ImportRobustnessTests: XCTestCase {
    func testDamagedFilesEndInRecordsRejectionsOrAFileError() throws {
        let folder = try TempFolder()
        let names = ["google.csv", "google_legacy.csv", "outlook.csv", "hubspot.csv", "pipedrive.csv", "abook.csv",
                     "abook_all.csv", "own.csv", "v21.vcf", "v30.vcf", "v40.vcf", "abook.vcf"]
        var outcomes = [0, 0]
        for name in names {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path(name))))
            for k in 1...30 {
                var bytes = original
                // Deterministic damage: a few bytes changed, sometimes the end cut off.
                for j in 0..<(k % 4 + 1) {
                    let at = (k * 7919 + j * 104_729) % bytes.count
                    bytes[at] = UInt8((k * 31 + j * 17) % 256)
                }
                if k % 3 == 0 { bytes = Array(bytes.prefix((k * 104_729) % bytes.count)) }
                let path = try folder.write("\(k)-\(name)", bytes)
                do {
                    let items = try readAll(ImportOpener().open(path))
                    outcomes[0] += items.count
                } catch is ImportFileError {
                    outcomes[1] += 1
                } catch {
                    XCTFail("\(name) #\(k): \(error)")
                }
            }
        }
        XCTAssertGreaterThan(outcomes[0], 0)
        XCTAssertGreaterThan(outcomes[1], 0)
    }
}
