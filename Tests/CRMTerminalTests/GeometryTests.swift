import CRMViewModels
import XCTest
@testable import CRMTerminal

final class GeometryTests: XCTestCase {
    let r = Rect(x: 0, y: 0, width: 80, height: 24)

    func testInset() {
        XCTAssertEqual(r.inset(by: 1), Rect(x: 1, y: 1, width: 78, height: 22))
        XCTAssertTrue(Rect(x: 0, y: 0, width: 1, height: 1).inset(by: 1).isEmpty)
    }

    func testSplits() {
        let (l, rt) = r.splitHorizontally(leftWidth: 30, gap: 1)
        XCTAssertEqual(l, Rect(x: 0, y: 0, width: 30, height: 24))
        XCTAssertEqual(rt, Rect(x: 31, y: 0, width: 49, height: 24))
        let (main, status) = r.splitVertically(topHeight: -1)
        XCTAssertEqual(main.height, 23)
        XCTAssertEqual(status, Rect(x: 0, y: 23, width: 80, height: 1))
        let (a, b) = r.splitHorizontally(fraction: 0.5)
        XCTAssertEqual(a.width + b.width, 80)
        let (t, _) = r.splitVertically(fraction: 0.25)
        XCTAssertEqual(t.height, 6)
        XCTAssertEqual(r.splitHorizontally(leftWidth: 200).right.width, 0)
    }

    func testColumnsAndRows() {
        let cols = r.columns(3, gap: 1)
        XCTAssertEqual(cols.map(\.width), [26, 26, 26])
        XCTAssertEqual(cols.map(\.x), [0, 27, 54])
        XCTAssertEqual(Rect(x: 0, y: 0, width: 10, height: 1).columns(3).map(\.width), [4, 3, 3])
        XCTAssertEqual(r.inset(by: 1).rows.count, 22)
        XCTAssertEqual(r.row(3), Rect(x: 0, y: 3, width: 80, height: 1))
        XCTAssertTrue(r.row(30).isEmpty)
    }
}
