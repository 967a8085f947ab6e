import CRMViewModels
import XCTest
@testable import CRMTerminal

final class GoldenScreenTests: XCTestCase {
    func testTooSmallAt60x20() {
        let s = MemoryScreen(width: 60, height: 20)
        XCTAssertTrue(TooSmall.draw(on: s))
        assertGolden(s, named: "too-small-60x20", withStyles: true)
    }

    func testTooSmallNarrowSplitsTheMessage() {
        let s = MemoryScreen(width: 30, height: 6)
        XCTAssertTrue(TooSmall.draw(on: s))
        assertGolden(s, named: "too-small-30x6")
    }

    func testBigEnoughDrawsNothing() {
        let s = MemoryScreen(width: 80, height: 24)
        XCTAssertFalse(TooSmall.draw(on: s))
        XCTAssertEqual(s.rowsText().joined(), "")
    }

    /// Names in several scripts and a hostile one, in a box with a selected
    /// row: columns must line up whatever the script.
    func testInternationalNamesInABox() {
        let s = MemoryScreen(width: 40, height: 10)
        let frame = Rect(x: 1, y: 1, width: 38, height: 8)
        s.box(frame, title: "Kontakte · 联系人", style: .borderFocused)
        let names = ["Müller, Jürgen", "Mu\u{0308}ller, Anna", "محمد رضایی", "王小明",
                     "Evil \u{1b}[31mRed\u{1b}[0m", "Zoë 😀 Party-Planung GmbH & Co. KG"]
        for (i, row) in frame.inset(by: 1).rows.prefix(names.count).enumerated() {
            let (name, city) = row.splitHorizontally(leftWidth: 24, gap: 1)
            let style: Style = i == 2 ? .selected : .normal
            s.put(names[i], at: name.origin, style: style, width: name.width)
            s.put(["Köln", "Wien", "تهران", "北京市", "—", "Zürich"][i], at: city.origin,
                  style: i == 2 ? .selected : .dim, width: city.width)
        }
        s.put("Enter", at: Point(x: 1, y: 9), style: .statusKey)
        s.put("open", at: Point(x: 7, y: 9), style: .statusBar)
        assertGolden(s, named: "names-in-box-40x10", withStyles: true)
    }

    func testGoldenDiffShowsDifferingLines() {
        let d = goldenDiff(expected: "a\nb\nc\n", actual: "a\nB\nc\n")
        XCTAssertTrue(d.contains("line   2 - expected: |b|"), d)
        XCTAssertTrue(d.contains("+ actual:   |B|"), d)
        XCTAssertFalse(d.contains("|a|"))
    }
}
