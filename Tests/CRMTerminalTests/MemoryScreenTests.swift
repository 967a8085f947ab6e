import CRMViewModels
import XCTest
@testable import CRMTerminal

final class MemoryScreenTests: XCTestCase {
    func testPutWritesCellsAndWideContinuations() {
        let s = MemoryScreen(width: 10, height: 2)
        let n = s.put("王a", at: Point(x: 1, y: 0), style: .accent)
        XCTAssertEqual(n, 3)
        XCTAssertEqual(s.cell(at: Point(x: 1, y: 0)), Cell(text: "王", width: 2, style: .accent))
        XCTAssertTrue(s.cell(at: Point(x: 2, y: 0)).isContinuation)
        XCTAssertEqual(s.cell(at: Point(x: 3, y: 0)).text, "a")
        XCTAssertEqual(s.rowsText(), [" 王a", ""])
        XCTAssertEqual(s.styleDump()[0], ".aaa......")
    }

    func testPutTruncatesAtScreenEdgeAndWidth() {
        let s = MemoryScreen(width: 8, height: 2)
        s.put("Müller-Lüdenscheid", at: Point(x: 2, y: 0), style: .normal)
        XCTAssertEqual(s.rowsText()[0], "  Mülle…")
        s.put("王小明", at: Point(x: 0, y: 1), style: .normal, width: 5)
        XCTAssertEqual(s.rowsText()[1], "王小…")
    }

    func testWidthPadsInStyle() {
        let s = MemoryScreen(width: 10, height: 1)
        let n = s.put("ab", at: Point(x: 1, y: 0), style: .selected, width: 6)
        XCTAssertEqual(n, 6)
        XCTAssertEqual(s.styleDump()[0], ".SSSSSS...")
    }

    func testOverwritingHalfAWideGlyphLeavesNoGarbage() {
        let s = MemoryScreen(width: 6, height: 1)
        s.put("王小明", at: .zero, style: .normal)
        // Overwrite the right half of 王 and the left half of 小.
        s.put("ab", at: Point(x: 1, y: 0), style: .accent)
        XCTAssertEqual(s.rowsText()[0], " ab 明")
        XCTAssertFalse(s.cell(at: Point(x: 0, y: 0)).isContinuation)
        XCTAssertEqual(s.cell(at: Point(x: 0, y: 0)).width, 1)
        XCTAssertEqual(s.cell(at: Point(x: 3, y: 0)).width, 1)
        // A wide glyph written over a narrow one cleans up its far side too.
        s.put("中", at: Point(x: 3, y: 0), style: .normal)
        XCTAssertEqual(s.rowsText()[0], " ab中")
        XCTAssertEqual(s.cell(at: Point(x: 5, y: 0)).text, " ")
    }

    func testWideGlyphAtRightEdgeBecomesSpace() {
        let s = MemoryScreen(width: 3, height: 1)
        s.put("ab王", at: .zero, style: .normal)
        XCTAssertEqual(s.rowsText()[0], "ab…")
        s.clear()
        s.put("王", at: Point(x: 2, y: 0), style: .normal, width: 1)
        XCTAssertEqual(s.rowsText()[0], "  …")
    }

    func testSanitisesBeforeDrawing() {
        let s = MemoryScreen(width: 20, height: 1)
        s.put("a\u{1b}[2Jb\nc", at: .zero, style: .normal)
        XCTAssertEqual(s.rowsText()[0], "a␛[2Jb⏎c")
    }

    func testClipsOutsideTheScreen() {
        let s = MemoryScreen(width: 4, height: 1)
        XCTAssertEqual(s.put("x", at: Point(x: 0, y: 5), style: .normal), 0)
        XCTAssertEqual(s.put("x", at: Point(x: 9, y: 0), style: .normal), 0)
        s.put("王ab", at: Point(x: -1, y: 0), style: .normal)
        XCTAssertEqual(s.rowsText()[0], " ab")
    }

    func testFillAndBox() {
        let s = MemoryScreen(width: 12, height: 4)
        s.fill(Rect(x: 0, y: 0, width: 12, height: 4), style: .field)
        s.box(Rect(x: 0, y: 0, width: 12, height: 4), title: "Contacts list", style: .borderFocused)
        XCTAssertEqual(s.rowsText(), [
            "┌ Contacts…┐",
            "│          │",
            "│          │",
            "└──────────┘",
        ])
        XCTAssertEqual(s.styleDump(), [
            "BTTTTTTTTTTB",
            "BffffffffffB",
            "BffffffffffB",
            "BBBBBBBBBBBB",
        ])
    }

    func testCursorAndPresent() {
        let s = MemoryScreen()
        s.setCursor(Point(x: 3, y: 4))
        s.present()
        XCTAssertEqual(s.cursor, Point(x: 3, y: 4))
        XCTAssertEqual(s.presentCount, 1)
        s.resize(to: Size(width: 120, height: 40))
        XCTAssertEqual(s.size, Size(width: 120, height: 40))
    }
}
