import CRMCore
@testable import CRMExchange
import XCTest

/// The readers stream: what they hold at once does not grow with the file.
final class ImportStreamingTests: XCTestCase {
    private func googleFile(rows: Int, in folder: TempFolder) throws -> String {
        let path = folder.url.appendingPathComponent("g\(rows).csv").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var text = "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Notes\r\n"
        for i in 0..<rows {
            text += "Günter \(i),Müller,Work,g\(i)@granite-bau.de,Mobile,+49 171 \(1_000_000 + i),\"line one\nline two, \"\"quoted\"\"\"\r\n"
            if text.utf8.count > 1 << 20 { handle.write(Data(text.utf8)); text = "" }
        }
        handle.write(Data(text.utf8))
        return path
    }

    func testTheCSVReaderHoldsOneChunkAndOneRecordWhateverTheFileSize() throws {
        let folder = try TempFolder()
        var peaks: [Int] = []
        for rows in [1_000, 30_000] {
            var reader = try CSVImportReader(path: googleFile(rows: rows, in: folder))
            var count = 0, lastLine = 0
            while let item = try reader.next() {
                guard case .record(let r) = item else { return XCTFail("\(item)") }
                count += 1; lastLine = r.line
            }
            XCTAssertEqual(count, rows)
            XCTAssertEqual(lastLine, 2 + (rows - 1) * 2, "each record spans two physical lines")
            peaks.append(reader.peakBufferedBytes)
        }
        XCTAssertLessThanOrEqual(peaks[1], TextChunkSource.chunkSize + 1024, "one chunk and one record, not the file")
        XCTAssertLessThan(peaks[1] - peaks[0], 16, "what is held does not grow with the file (a longer row number only)")
    }

    func testTheVCardReaderHoldsOneChunkAndOneLine() throws {
        let folder = try TempFolder()
        var text = ""
        for i in 0..<20_000 { text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person \(i)\r\nEMAIL:p\(i)@example.com\r\nEND:VCARD\r\n" }
        var reader = try VCardImportReader(path: folder.write("many.vcf", text))
        var count = 0
        while let item = try reader.next() { if case .record = item { count += 1 } }
        XCTAssertEqual(count, 20_000)
        XCTAssertLessThanOrEqual(reader.peakBufferedBytes, TextChunkSource.chunkSize + 1024)
    }
}
