import CRMCore
@testable import CRMExchange
import Foundation
import XCTest

/// The hand-written import files beside this source, and a temporary
/// folder for files a test writes byte by byte.
enum Fixture {
    static func path(_ name: String, file: StaticString = #filePath) -> String {
        URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }
}

final class TempFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// Every item of a reader, in order.
func readAll(_ reader: some ImportReader) throws -> [ImportItem] {
    var reader = reader
    var items: [ImportItem] = []
    while let item = try reader.next() { items.append(item) }
    return items
}

func records(_ items: [ImportItem], file: StaticString = #filePath, line: UInt = #line) -> [ImportRecord] {
    items.compactMap { if case .record(let r) = $0 { r } else { nil } }
}

func problems(_ items: [ImportItem]) -> [ImportProblem] {
    items.compactMap { if case .rejected(let p) = $0 { p } else { nil } }
}

/// The ImportFileError a throwing call throws (fails the test otherwise).
func fileError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> ImportFileError? {
    do {
        _ = try body()
        XCTFail("expected an ImportFileError", file: file, line: line)
    } catch let error as ImportFileError {
        return error
    } catch {
        XCTFail("expected an ImportFileError, got \(error)", file: file, line: line)
    }
    return nil
}

extension ImportRecord {
    func extra(_ label: String) -> String? { extras.first { $0.label == label }?.value }
}
