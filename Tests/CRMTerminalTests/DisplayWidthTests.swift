import XCTest
@testable import CRMTerminal

final class DisplayWidthTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual(DisplayWidth.width(of: "Müller"), 6)
        XCTAssertEqual(DisplayWidth.width(of: "Mu\u{0308}ller"), 6, "combining mark takes no column")
        XCTAssertEqual(DisplayWidth.width(of: "محمد رضایی"), 10)
        XCTAssertEqual(DisplayWidth.width(of: "王小明"), 6, "East Asian wide = 2")
        XCTAssertEqual(DisplayWidth.width(of: "😀"), 2)
        XCTAssertEqual(DisplayWidth.width(of: "👨‍👩‍👧"), 2, "a ZWJ sequence draws as one glyph")
        XCTAssertEqual(DisplayWidth.width(of: "👍🏽"), 2)
        XCTAssertEqual(DisplayWidth.width(of: "\u{0308}"), 0, "a lone mark has nothing to sit on")
        XCTAssertEqual(DisplayWidth.width(of: "" as String), 0)
        XCTAssertEqual(DisplayWidth.width(of: "\u{200D}" as Unicode.Scalar), 0)
        XCTAssertEqual(DisplayWidth.width(of: "\u{FE0F}" as Unicode.Scalar), 0)
        XCTAssertEqual(DisplayWidth.width(of: "\u{1b}" as Unicode.Scalar), -1)
    }

    func testCellsKeepMarksOnTheirBase() {
        let cells = DisplayWidth.cells("Mu\u{0308}王")
        XCTAssertEqual(cells, [
            DisplayCell(text: "M", width: 1),
            DisplayCell(text: "u\u{0308}", width: 1),
            DisplayCell(text: "王", width: 2),
        ])
        XCTAssertEqual(DisplayWidth.cells("👨‍👩‍👧"), [DisplayCell(text: "👨", width: 2)])
    }

    func testTruncateFitsUnchanged() {
        XCTAssertEqual(DisplayWidth.truncate("Müller", to: 6), "Müller")
        XCTAssertEqual(DisplayWidth.truncate("王小明", to: 6), "王小明")
    }

    func testTruncateWithEllipsis() {
        XCTAssertEqual(DisplayWidth.truncate("Schneider", to: 5), "Schn…")
        XCTAssertEqual(DisplayWidth.truncate("Mu\u{0308}ller-Lüdenscheid", to: 4), "Mu\u{0308}l…")
        XCTAssertEqual(DisplayWidth.truncate("محمد رضایی", to: 6), "محمد …")
        XCTAssertEqual(DisplayWidth.truncate("abc", to: 1), "…")
        XCTAssertEqual(DisplayWidth.truncate("abc", to: 0), "")
    }

    func testTruncateNeverSplitsAWideGlyph() {
        // 5 columns: 王 (2) + 小 (2) leave 0 for the ellipsis; so 王 + space + …
        XCTAssertEqual(DisplayWidth.truncate("王小明", to: 5), "王小…")
        XCTAssertEqual(DisplayWidth.truncate("王小明", to: 4), "王 …")
        XCTAssertEqual(DisplayWidth.width(of: DisplayWidth.truncate("王小明", to: 4)), 4)
        XCTAssertEqual(DisplayWidth.truncate("王小明", to: 3, ellipsis: false), "王 ")
        XCTAssertEqual(DisplayWidth.truncate("a😀b", to: 2), "a…")
        XCTAssertEqual(DisplayWidth.truncate("😀😀", to: 2, ellipsis: false), "😀")
    }

    func testPad() {
        XCTAssertEqual(DisplayWidth.pad("王", to: 5), "王   ")
        XCTAssertEqual(DisplayWidth.pad("王", to: 5, align: .right), "   王")
        XCTAssertEqual(DisplayWidth.pad("ab", to: 6, align: .center), "  ab  ")
        XCTAssertEqual(DisplayWidth.pad("Müller", to: 4), "Mül…")
        XCTAssertEqual(DisplayWidth.width(of: DisplayWidth.pad("王小明", to: 5)), 5)
    }
}
