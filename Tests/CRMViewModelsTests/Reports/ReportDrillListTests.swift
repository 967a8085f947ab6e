import CRMRepositories
import XCTest
@testable import CRMViewModels

/// The list behind a figure fetches its rows a chunk at a time: Enter reads
/// the first chunk of the ids, moving fetches the next ones a screen before
/// they are needed, g and G the first or last chunk; every id listed is
/// reachable in order, and a record removed since the count is left out.
final class ReportDrillListTests: XCTestCase {
    var asked: [[Int64]] = []
    /// Ids whose record is gone by the time its row is fetched.
    var gone: Set<Int64> = []

    func list(_ ids: [Int64]) throws -> ReportDrillList {
        let list = try ReportDrillList(what: .deals(ids), title: "Sales · Lead in", ids: ids, total: ids.count) { [unowned self] ids in
            asked.append(ids)
            return ids.filter { !gone.contains($0) }.map { ReportDrillRow(id: $0, title: "D\($0)", parts: [], contactID: nil) }
        }
        list.setViewport(20)
        return list
    }

    var fetchedRows: Int { asked.reduce(0) { $0 + $1.count } }

    func testEnterFetchesOneChunkAndMovingFetchesTheNextBeforeItIsNeeded() throws {
        let drill = try list(Array(1 ... 1000))
        XCTAssertEqual(drill.listed, 1000)
        XCTAssertEqual(asked, [Array(1 ... 200)], "Enter reads the first chunk only")
        for _ in 0 ..< 9 { try drill.move(by: 20) }
        XCTAssertEqual(drill.entries.selectedRow?.id, 181)
        XCTAssertEqual(asked.count, 2, "a screen before the end of the chunk, the next one")
        XCTAssertEqual(asked.last, Array(201 ... 400))
        for _ in 0 ..< 100 { try drill.move(by: 1) }
        XCTAssertEqual(drill.entries.selectedRow?.id, 281)
        var seen: [Int64] = drill.entries.rows.map(\.id)
        XCTAssertEqual(seen, Array(1 ... 400), "in order, each once")
        while drill.entries.selectedRow?.id != 1000 { try drill.move(by: 20) }
        seen = drill.entries.rows.map(\.id)
        XCTAssertEqual(seen, Array(1 ... 1000))
        XCTAssertEqual(fetchedRows, 1000, "each row fetched once")
    }

    func testGFetchesTheLastChunkAndMovingUpTheOnesBefore() throws {
        let drill = try list(Array(1 ... 1000))
        try drill.moveToLast()
        XCTAssertEqual(drill.entries.selectedRow?.id, 1000)
        XCTAssertEqual(asked.last, Array(801 ... 1000), "the last chunk, not the 800 rows before it")
        XCTAssertEqual(fetchedRows, 400)
        for _ in 0 ..< 10 { try drill.move(by: -20) }
        XCTAssertEqual(drill.entries.selectedRow?.id, 800)
        XCTAssertEqual(asked.last, Array(601 ... 800), "moving up fetches the chunk before")
        XCTAssertEqual(drill.entries.rows.map(\.id), Array(601 ... 1000))
        try drill.moveToFirst()
        XCTAssertEqual(drill.entries.selectedRow?.id, 1)
        XCTAssertEqual(drill.entries.rows.map(\.id), Array(1 ... 200))
        try drill.move(by: -1)
        XCTAssertEqual(drill.entries.selectedRow?.id, 1, "nothing before the first")
    }

    func testRemovedRecordsAreLeftOutAndEveryIdPastTheWindowIsReachable() throws {
        gone = Set(1 ... 250)
        let drill = try list(Array(1 ... 2500))
        XCTAssertEqual(drill.listed, 2500)
        XCTAssertEqual(drill.total, 2500)
        XCTAssertEqual(drill.entries.selectedRow?.id, 251, "the chunks with no row left are passed over")
        try drill.moveToLast()
        XCTAssertEqual(drill.entries.selectedRow?.id, 2500, "the true last (QA 30 #17: it stopped at the 2,000th)")
        gone = []
        let empty = try list([])
        XCTAssertTrue(empty.entries.isEmpty)
        try empty.moveToLast()
        try empty.move(by: 1)
        XCTAssertNil(empty.entries.selectedRow)
    }

    /// Down through 5,000 ids a row at a time and back up: the window keeps
    /// `limit` rows, drops the far end, and every id comes once, in order.
    func testMovingThroughMoreThanTheWindowHoldsVisitsEveryIdInOrder() throws {
        let drill = try list(Array(1 ... 5000))
        var seen: [Int64] = [1]
        for _ in 1 ..< 5000 {
            try drill.move(by: 1)
            seen.append(try XCTUnwrap(drill.entries.selectedRow?.id))
        }
        XCTAssertEqual(seen, Array(1 ... 5000))
        XCTAssertLessThanOrEqual(drill.entries.rows.count, ReportDrillList.limit)
        var back: [Int64] = [5000]
        for _ in 1 ..< 5000 {
            try drill.move(by: -1)
            back.append(try XCTUnwrap(drill.entries.selectedRow?.id))
        }
        XCTAssertEqual(back, Array((1 ... 5000).reversed()))
        XCTAssertLessThanOrEqual(drill.entries.rows.count, ReportDrillList.limit)
        // Pages too.
        try drill.moveToFirst()
        for _ in 0 ..< 300 { try drill.move(by: 20) }
        XCTAssertEqual(drill.entries.selectedRow?.id, 5000)
    }
}
