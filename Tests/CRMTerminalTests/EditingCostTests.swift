import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// Editing long text costs what changed, not the length of the text: the
/// editor view measures only the window it shows, and a call's timer tick
/// redraws only the timer. Costs are counted (TextWork, columns drawn), never
/// timed; `crm bench --only editing` prints the times.
final class EditingCostTests: XCTestCase {
    /// `count` characters of Latin, Chinese and Persian words, no line breaks.
    static func longText(_ count: Int) -> String {
        let words = ["Called", "Jürgen", "Mu\u{0308}ller", "about", "报价单", "for", "40", "units;", "قرارداد", "signed?", "王小明"]
        var chars: [Character] = []
        var i = 0
        while chars.count < count {
            chars.append(contentsOf: words[i % words.count])
            chars.append(" ")
            i += 1
        }
        return String(chars.prefix(count))
    }

    private func requireCounting() throws {
        TextWork.reset()
        _ = DisplayWidth.width(of: "王" as Character)
        if TextWork.charactersMeasured == 0 { throw XCTSkip("TextWork counts in debug builds only") }
        TextWork.reset()
    }

    // MARK: budgets

    func testTypingTenThousandCharactersIntoANoteCostsItsWindowPerKey() throws {
        try requireCounting()
        let screen = MemoryScreen(width: 80, height: 6)
        let rect = Rect(x: 10, y: 1, width: 60, height: 4)
        var area = TextArea()
        var worst = 0
        var lastKey = 0
        let text = Self.longText(10_000)
        for (n, c) in text.enumerated() {
            let before = TextWork.total
            // A line break now and then: lines above the caret's are drawn too.
            area.handle(n % 2_500 == 1_249 ? .enter : .char(c))
            EditorView.draw(area, in: rect, style: .field, on: screen)
            lastKey = TextWork.total - before
            worst = max(worst, lastKey)
        }
        XCTAssertEqual(area.lines.count, 5)
        // The window is 4 rows of 60 columns; measuring, sanitising and
        // copying each shown character a few times stays far below 10,000.
        XCTAssertLessThanOrEqual(worst, 3_000, "the worst key cost \(worst) units of text work")
        XCTAssertLessThanOrEqual(lastKey, 3_000)
        // What was drawn is the end of the last line, caret after it.
        let rows = screen.rowsText()
        XCTAssertTrue(text.hasSuffix(rows[4].trimmingCharacters(in: .whitespaces).suffix(20)), rows.joined(separator: "\n"))
    }

    func testAKeyAfterPastingALongLineCostsItsWindow() throws {
        try requireCounting()
        let screen = MemoryScreen(width: 80, height: 1)
        var line = LineEditor()
        line.handle(.paste(Self.longText(4_000)))
        EditorView.draw(line, at: Point(x: 5, y: 0), width: 70, style: .field, on: screen)
        for key: Key in [.char("x"), .backspace, .home, .char("y"), .ctrlRight, .ctrlRight, .ctrl("k"), .ctrl("y"), .end, .ctrl("w"),
                         .left, .ctrl("u"), .ctrl("y"), .paste("王小明 محمد"), .ctrl("a"), .ctrl("e")] {
            TextWork.reset()
            line.handle(key)
            let caret = EditorView.draw(line, at: Point(x: 5, y: 0), width: 70, style: .field, on: screen)
            // The kill keys copy what they remove (Ctrl-U: most of the line);
            // measuring and drawing stay within the 70 columns.
            XCTAssertLessThanOrEqual(TextWork.charactersMeasured + TextWork.bytesSanitised, 1_200, "\(key)")
            XCTAssertTrue((5..<75).contains(caret.x), "the caret stays in the field after \(key)")
        }
        XCTAssertGreaterThan(line.count, 3_990)
    }

    func testAFormWithATenThousandCharacterNoteCostsTheScreenPerKey() throws {
        try requireCounting()
        let form = FormModel(title: "Log for Jürgen Müller", fields: [
            FormField("subject", label: "Subject"),
            FormField("body", label: "Text", kind: .multiline),
            FormField("outcome", label: "Outcome"),
        ]) { _ in "ok" }
        form.focus(field: "subject")
        form.handle(.paste(Self.longText(4_000)))
        form.handle(.tab)
        form.handle(.paste(Self.longText(10_000)))
        let screen = MemoryScreen(width: 80, height: 24)
        let area = Rect(x: 0, y: 1, width: 80, height: 22)
        FormOverlay.render(form, in: area, on: screen)
        var worst = 0
        for n in 0..<200 {
            TextWork.reset()
            form.handle(n % 2 == 0 ? .char("x") : .backspace)
            FormOverlay.render(form, in: area, on: screen)
            worst = max(worst, TextWork.total)
        }
        // Drawing the whole overlay (title, labels, three editors, keys) is a
        // few thousand units; the 14,000 characters in the fields add nothing.
        XCTAssertLessThanOrEqual(worst, 3_000, "the worst key cost \(worst) units of text work")
        XCTAssertEqual(TextWork.charactersCopied, 0)
    }

    // MARK: the window is what the old whole-text drawing showed

    /// The drawing before: the whole text sanitised, then characters dropped
    /// from the front until the part before the caret fitted.
    private func referenceDraw(_ editor: LineEditor, at p: Point, width: Int, style: Style, on screen: Screen) -> Point {
        let before = TextSanitizer.singleLine(editor.textBeforeCursor)
        let after = TextSanitizer.singleLine(editor.textAfterCursor)
        var shownBefore = before
        while DisplayWidth.width(of: shownBefore) > max(width - 1, 0), !shownBefore.isEmpty {
            shownBefore.removeFirst()
        }
        let caretX = DisplayWidth.width(of: shownBefore)
        let fitted = DisplayWidth.truncate(TextSanitizer.singleLine(shownBefore + after), to: width)
        screen.put(fitted, at: p, style: style, width: width)
        return Point(x: p.x + min(caretX, max(width - 1, 0)), y: p.y)
    }

    func testTheWindowShowsWhatTheWholeTextDrawingShowed() {
        let pieces = ["a", "b", " ", "王", "小", "م", "ح", "u\u{0308}", "é", "😀", "👨‍👩‍👧", "\u{1b}", "\u{202E}", "-", "\u{0301}"]
        var rng = SplitMix64(seed: 7)
        for round in 0..<400 {
            let length = Int(rng.next() % 40)
            let text = (0..<length).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let editorText = LineEditor(text)
            let width = 1 + Int(rng.next() % 24)
            for cursor in 0...editorText.count {
                var editor = editorText
                editor.moveCursor(to: cursor)
                let mine = MemoryScreen(width: 32, height: 1)
                let theirs = MemoryScreen(width: 32, height: 1)
                let caret = EditorView.draw(editor, at: Point(x: 3, y: 0), width: width, style: .field, on: mine)
                let expected = referenceDraw(editor, at: Point(x: 3, y: 0), width: width, style: .field, on: theirs)
                let what = "round \(round): \(text.debugDescription) cursor \(cursor) width \(width)"
                XCTAssertEqual(mine.rowsText(), theirs.rowsText(), what)
                XCTAssertEqual(mine.styleDump(), theirs.styleDump(), what)
                XCTAssertEqual(caret, expected, what)
            }
        }
    }

    func testAWideGlyphAtTheEdgeOfTheWindow() {
        // 王小明 is 6 columns; in 4 columns with the caret at the end, 明 and
        // the caret's column fit, 小 does not.
        let screen = MemoryScreen(width: 10, height: 1)
        let caret = EditorView.draw(LineEditor("王小明"), at: .zero, width: 4, style: .field, on: screen)
        XCTAssertEqual(screen.rowsText()[0], "明")
        XCTAssertEqual(caret, Point(x: 2, y: 0))
        var start = LineEditor("王小明محمد")
        start.moveCursor(to: 0)
        EditorView.draw(start, at: .zero, width: 5, style: .field, on: screen)
        XCTAssertEqual(screen.rowsText()[0], "王小…")
    }

    func testAStoredEscapeInALongLineIsShownAsItsPlaceholder() {
        let screen = MemoryScreen(width: 40, height: 1)
        var e = LineEditor(String(repeating: "x", count: 5_000) + "\u{1b}[2J" + "tail")
        e.moveCursor(to: 5_002)
        EditorView.draw(e, at: .zero, width: 20, style: .field, on: screen)
        XCTAssertEqual(screen.rowsText()[0], "xxxxxxxxxxxxxxxxx␛[…", "the caret after ␛[, the rest cut")
        XCTAssertFalse(screen.text.contains("\u{1b}"))
    }

    func testPutCutsLongTextLikeTruncatingItWhole() {
        let texts = [Self.longText(3_000), "short", "王小明" + String(repeating: "😀", count: 500), String(repeating: "\u{0301}", count: 50) + "abc",
                     "line\r\nbreak\u{1b}]0;x\u{7}" + String(repeating: "é", count: 300)]
        for text in texts {
            for width in [1, 2, 7, 40, 79] {
                let mine = MemoryScreen(width: 80, height: 1)
                let theirs = MemoryScreen(width: 80, height: 1)
                let a = mine.put(text, at: Point(x: 1, y: 0), style: .normal, width: width)
                let b = theirs.put(DisplayWidth.truncate(TextSanitizer.singleLine(text), to: width), at: Point(x: 1, y: 0), style: .normal, width: width)
                XCTAssertEqual(a, b)
                XCTAssertEqual(mine.rowsText(), theirs.rowsText(), "\(text.prefix(10)) in \(width)")
            }
        }
    }

    func testWidthOfACharacterIsTheWidthOfItsCell() {
        for c: Character in ["a", "王", "😀", "👨‍👩‍👧", "👍🏽", "u\u{0308}", "\u{0308}", "\u{200D}", "\u{1b}", "\u{85}", "\r\n", "م", "\u{FE0F}"] {
            XCTAssertEqual(DisplayWidth.width(of: c), c.isASCII ? 1 : (DisplayWidth.cell(for: c)?.width ?? 0), c.debugDescription)
        }
        XCTAssertEqual(DisplayWidth.drawnWidth(of: "\u{1b}"), 1, "drawn as ␛")
        XCTAssertEqual(DisplayWidth.drawnWidth(of: "\u{202E}"), 1, "drawn as U+FFFD")
        XCTAssertEqual(DisplayWidth.drawnWidth(of: "王"), 2)
    }

    // MARK: only the rows written are sent

    func testTheGridRemembersWhichRowsWereWritten() {
        var grid = CellGrid(size: Size(width: 10, height: 4))
        XCTAssertEqual(grid.takeDirtyRows(), [0, 1, 2, 3], "a new grid is all to be sent")
        XCTAssertEqual(grid.takeDirtyRows(), [])
        grid.put("12:01", at: Point(x: 3, y: 2), style: .accent, width: nil)
        XCTAssertEqual(grid.takeDirtyRows(), [2])
        grid.clear()
        XCTAssertEqual(grid.takeDirtyRows(), [0, 1, 2, 3])
    }

    // MARK: the call timer

    func testATickRedrawsOnlyTheCallTimerNotTheNote() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-editing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        let contact = try db.contacts.create(Contact(name: "王小明", phones: [PhoneNumber("+86 10 5555 0199")]))
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-11-23T15:00:00Z")!)
        let app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .contacts)
        app.contacts.show(contactID: contact.id)
        app.handle(.key(.char("c")))
        app.handle(.key(.paste(Self.longText(3_000))))
        guard case .call(let call)? = app.overlay else { return XCTFail("no call card") }
        XCTAssertEqual(call.note.text.count, 3_000)

        let memory = MemoryScreen(width: 120, height: 40)
        let screen = CountingScreen(memory)
        var frames = FrameScheduler()
        XCTAssertEqual(frames.draw(app, on: screen), .frame)
        app.handle(.tick)   // the timer's first text
        XCTAssertEqual(frames.draw(app, on: screen), .timer)
        let revision = app.revision

        // Ten ticks a second; within a second nothing is drawn.
        for _ in 0..<5 {
            clock.advance(by: 0.1)
            app.handle(.tick)
            XCTAssertEqual(frames.draw(app, on: screen), .nothing)
        }
        // The second changes: the timer's cells and nothing else.
        clock.advance(by: 0.6)
        app.handle(.tick)
        XCTAssertEqual(app.revision, revision, "a tick is not a whole frame")
        screen.columns = 0
        try requireCounting()
        XCTAssertEqual(frames.draw(app, on: screen), .timer)
        XCTAssertEqual(screen.columns, 24, "● 00:01  outgoing →, right-aligned in 24 columns")
        XCTAssertLessThan(TextWork.total, 200, "the note is not measured")
        XCTAssertTrue(memory.text.contains("● 00:01  outgoing →"), memory.text)

        // What is on screen is what a whole frame would show.
        let whole = MemoryScreen(width: 120, height: 40)
        AppRenderer.render(app, on: whole)
        XCTAssertEqual(memory.rowsText(), whole.rowsText())
        XCTAssertEqual(memory.styleDump(), whole.styleDump())
        XCTAssertEqual(memory.cursor, whole.cursor, "the caret stays in the note")

        // A key is a whole frame again.
        app.handle(.key(.char("!")))
        XCTAssertEqual(frames.draw(app, on: screen), .frame)
        XCTAssertEqual(frames.draw(app, on: screen), .nothing)
    }
}


