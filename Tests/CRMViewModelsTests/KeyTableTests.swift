import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// The key tables as a person meets them, on a small demo database: `q` and
/// Esc go back from every sub-view, Esc on the board takes one filter off at a
/// time, the palette reaches every view, and every binding of every table
/// (views, sub-views, windows) runs its action or says why it cannot.
final class KeyTableTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path)
        try DemoData.generate(into: db, contacts: 12, seed: 42)
        app = freshApp()
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func freshApp(in kind: ViewKind = .today) -> AppModel {
        let app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                           timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: kind)
        return app
    }

    @discardableResult
    func press(_ key: Key, _ app: AppModel? = nil) -> [Effect] { (app ?? self.app).handle(.key(key)) }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }

    // MARK: q and Esc go back

    func testQAndEscGoBackFromEverySubViewAndQuitOnlyFromTheTop() throws {
        for back in [Key.char("q"), .escape] {
            app = freshApp(in: .contacts)
            press(.char("T"))
            XCTAssertTrue(app.contacts.showingTrash)
            XCTAssertEqual(press(back), [], "\(back) in the trash must not quit")
            XCTAssertFalse(app.contacts.showingTrash, "\(back) leaves the trash for the contacts")

            press(.char("3"))
            press(.char("c"))
            XCTAssertEqual(app.pipeline.mode, .closed)
            XCTAssertEqual(press(back), [])
            XCTAssertEqual(app.pipeline.mode, .board, "\(back) leaves the won/lost list for the board")

            app.pipeline.openDetail(1)
            XCTAssertEqual(app.pipeline.mode, .details)
            XCTAssertEqual(press(back), [])
            XCTAssertEqual(app.pipeline.mode, .board, "\(back) leaves a deal's details for the board")

            press(.char("2"))
            press(.char("D"))
            guard case .duplicates(let list) = app.overlay else { return XCTFail("D opens the duplicates list") }
            if list.list.selectedRow != nil {
                press(.enter)
                XCTAssertNotNil(list.merge, "Enter opens the merge screen")
                XCTAssertEqual(press(back), [])
                XCTAssertNil(list.merge, "\(back) leaves the merge screen for the list")
                guard case .duplicates = app.overlay else { return XCTFail("the list stays up") }
            }
            XCTAssertEqual(press(back), [])
            XCTAssertNil(app.overlay, "\(back) leaves the duplicates list for the contacts")
        }
        // From a top-level view, with nothing unsaved, q quits at once.
        for kind in app.availableViews {
            app.run(kind.showAction)
            XCTAssertEqual(press(.char("q")), [.quit], "q quits from \(kind.title)")
        }
    }

    func testTheHintLineAndHelpDoNotOfferQuitWhereQGoesBack() {
        app = freshApp(in: .pipeline)
        app.pipeline.openDetail(1)
        let quit = app.allBindings.first { $0.action == .quit }
        XCTAssertEqual(quit?.keys, [.ctrl("c")], "q is back here; only Ctrl-C still quits")
        XCTAssertEqual(app.allBindings.binding(for: .char("q"))?.action, .back)
    }

    // MARK: Esc on the board

    func testEscOnTheBoardClearsTheSearchFirstThenOneFilterAtATime() throws {
        app = freshApp(in: .pipeline)
        let board = app.pipeline!
        press(.char("m"))                      // only my deals
        board.filter.closingBefore = Date(timeIntervalSince1970: 1_900_000_000)
        press(.char("/"))
        type("a")
        press(.enter)                          // keep the search
        XCTAssertEqual(board.nextEscapeClears, "search")
        XCTAssertEqual(hint(.clearFilters), "clear search", "the hint line says what Esc clears next")

        press(.escape)
        XCTAssertEqual(board.filter.text, "")
        XCTAssertNotNil(board.filter.ownerID, "the owner filter stays after the first Esc")
        XCTAssertNotNil(board.filter.closingBefore)
        XCTAssertEqual(hint(.clearFilters), "clear owner \(db.currentUser.login)")

        press(.escape)
        XCTAssertNil(board.filter.ownerID)
        XCTAssertNotNil(board.filter.closingBefore)
        XCTAssertEqual(hint(.clearFilters), "clear close date")

        press(.escape)
        XCTAssertFalse(board.isFiltered)
        XCTAssertNil(app.activeBindings.filter { $0.inHintBar && $0.disabledReason == nil }.binding(for: .clearFilters),
                     "nothing left to clear: no Esc hint")
        XCTAssertEqual(press(.escape), [], "Esc on a bare board never quits")
        XCTAssertEqual(app.statusMessage?.text, "Clear search and filters: no filter set")
    }

    private func hint(_ action: ActionID) -> String? {
        app.activeBindings.first { $0.action == action && $0.inHintBar && $0.disabledReason == nil }?.hintTitle
    }

    // MARK: the palette across views

    func testThePaletteFindsAndRunsAnActionOfAnotherView() throws {
        app = freshApp(in: .today)
        press(.char(":"))
        type("won and lost deals")
        guard case .palette(let palette) = app.overlay else { return XCTFail(": opens the palette") }
        XCTAssertEqual(palette.matchingEntries.first?.view, .pipeline)
        XCTAssertEqual(palette.matchingEntries.first?.binding.title, "Pipeline: Won and lost deals")
        press(.enter)
        XCTAssertNil(app.overlay)
        XCTAssertEqual(app.activeViewKind, .pipeline, "running it switches to its view")
        XCTAssertEqual(app.pipeline.mode, .closed, "and runs the action there")

        // A contacts action from the timeline.
        app.run(.showTimeline)
        press(.char(":"))
        type("show companies")
        press(.enter)
        XCTAssertEqual(app.activeViewKind, .contacts)
        XCTAssertEqual(app.contacts.mode, .companies)
    }

    // MARK: windows tell the truth

    func testQuestionsAndCallModeNeverInventAKey() throws {
        app = freshApp(in: .contacts)
        press(.char("d"))
        guard case .confirm = app.overlay else { return XCTFail("d asks first") }
        let question = try XCTUnwrap(app.overlayBindings)
        XCTAssertNil(question.binding(for: .char("n")), "no made-up n: any key but y says no")
        XCTAssertEqual(question.map(\.keyLabel), ["y/Y", "any other key"])
        press(.escape)

        press(.char("c"))
        guard case .call = app.overlay else { return XCTFail("c starts call mode") }
        let call = try XCTUnwrap(app.overlayBindings).filter { $0.action != .editText }
        let actions = call.map(\.action)
        XCTAssertEqual(Set(actions).count, actions.count, "one action per row: \(actions)")
    }

    func testF1InAFormListsItsKeysAndGoesBackToTheForm() throws {
        app = freshApp(in: .contacts)
        press(.char("a"))
        guard case .form(let form) = app.overlay else { return XCTFail("a opens the form") }
        type("Ada")
        press(.function(1))
        guard case .help = app.overlay else { return XCTFail("F1 shows the form's keys") }
        let keys = app.helpBindings.own.map(\.keyLabel)
        XCTAssertTrue(keys.contains("Ctrl-O") && keys.contains("Ctrl-R"), "the conflict keys are listed: \(keys)")
        XCTAssertTrue(app.helpBindings.global.isEmpty)
        press(.escape)
        guard case .form(let back) = app.overlay else { return XCTFail("Esc goes back to the form") }
        XCTAssertTrue(back === form)
        XCTAssertEqual(form.focusedField.value, "Ada", "nothing typed is lost")
    }

    // MARK: every binding of every table

    func testEveryBindingOfEveryTableRunsItsActionOrSaysWhy() throws {
        let tables = try app.keyTables()
        var pressed = 0
        for table in tables {
            let global = table.title == "Everywhere"
            let typing = table.title.hasPrefix("Typing")
            for binding in table.bindings {
                for key in binding.keys {
                    if typing {
                        var editor = LineEditor("one two")
                        _ = editor.handle(.left)
                        XCTAssertTrue(editor.handle(key), "the line editor takes \(key.label)")
                        pressed += 1
                        continue
                    }
                    let app = freshApp(in: table.view ?? .contacts)
                    try enter(table, app)
                    // The table as it stands right before the key, as the hint line shows it.
                    let current = global ? app.globalBindings : (app.overlayBindings ?? app.activeBindings)
                    guard let now = current.binding(for: key) else {
                        return XCTFail("\(table.title): \(key.label) is in the table but not bound when it is up")
                    }
                    let before = overlayState(app)
                    let effects = press(key, app)
                    pressed += 1
                    if now.disabledReason == nil, table.view == nil, !global {
                        checkWindow(now.action, before: before, after: overlayState(app), table: table.title, key: key)
                    }
                    if let reason = now.disabledReason {
                        XCTAssertTrue(app.statusMessage?.text.contains(reason) == true,
                                      "\(table.title): \(key.label) is disabled and must say \"\(reason)\", said \(String(describing: app.statusMessage?.text))")
                    } else if global {
                        checkGlobal(now.action, effects: effects, app, table: table.title, key: key)
                    } else {
                        XCTAssertEqual(app.lastDispatched, now.action, "\(table.title): \(key.label) runs \(now.action)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(pressed, 200, "every key of every table pressed")
    }

    /// What a window's key can change, read before and after it.
    private struct OverlayState: Equatable {
        var kind = "none"
        var formFocus = -1
        var direction = ""
        var followUpAfter = false
        var editingOutcome = false
        var confirming = false
        var paletteSelected = -1
        var helpScroll = -1
        var banner: String?
    }

    private func overlayState(_ app: AppModel) -> OverlayState {
        var state = OverlayState(helpScroll: app.helpScroll)
        switch app.overlay {
        case nil: break
        case .form(let form)?:
            state.kind = "form"; state.formFocus = form.focus; state.confirming = form.confirmingDiscard
            state.banner = form.banner
        case .call(let call)?:
            state.kind = "call"; state.direction = "\(call.direction)"; state.followUpAfter = call.followUpAfter
            state.editingOutcome = call.editingOutcome; state.confirming = call.confirmingDiscard
        case .palette(let palette)?: state.kind = "palette"; state.paletteSelected = palette.selected
        case .prompt(let prompt)?: state.kind = "prompt"; state.confirming = prompt.confirmingDiscard
        case .help?: state.kind = "help"
        case .confirm?: state.kind = "confirm"
        case .draftOffer?: state.kind = "draft"
        case .duplicates?: state.kind = "duplicates"
        case .importFile?: state.kind = "import"
        case .audit?: state.kind = "audit"
        case .trash?: state.kind = "trash"
        }
        return state
    }

    /// Each window action, seen from outside: what it must have changed.
    private func checkWindow(_ action: ActionID, before: OverlayState, after: OverlayState, table: String, key: Key) {
        let what = "\(table): \(key.label) (\(action))"
        switch action {
        case .nextField, .previousField:
            XCTAssertTrue(after.formFocus != before.formFocus || after.kind != "form", "\(what) moves to another field")
        case .save, .endCall, .open, .yes, .restoreDraft, .discardDraft:
            XCTAssertNotEqual(after, before, "\(what) does something")
        case .cancel:
            XCTAssertTrue(after.kind != before.kind || after.confirming, "\(what) closes the window or asks first")
        case .back:
            XCTAssertTrue(after.kind != before.kind || after.confirming || table.hasPrefix("The duplicates"), "\(what) leaves")
        case .toggleDirection: XCTAssertNotEqual(after.direction, before.direction, what)
        case .toggleFollowUpAfter: XCTAssertNotEqual(after.followUpAfter, before.followUpAfter, what)
        case .nextPane, .previousPane:
            if table.hasPrefix("Call") && !(action == .previousPane && !before.editingOutcome) {
                XCTAssertNotEqual(after.editingOutcome, before.editingOutcome, what)
            }
        case .help: XCTAssertEqual(after.kind, "help", "\(what) lists the window's keys")
        case .moveDown, .pageDown, .bottom:
            if before.kind == "palette" { XCTAssertNotEqual(after.paletteSelected, before.paletteSelected, what) }
            if before.kind == "help" { XCTAssertGreaterThan(after.helpScroll, before.helpScroll, what) }
        default: break
        }
    }

    private func enter(_ table: KeyTable, _ app: AppModel) throws {
        if let view = table.view {
            if let sub = app.subViews(of: view).first(where: { $0.title == table.title }) { try sub.enter(app) }
        } else if let window = AppModel.windows.first(where: { $0.title == table.title }) {
            try window.enter(app)
        }
    }

    private func checkGlobal(_ action: ActionID, effects: [Effect], _ app: AppModel, table: String, key: Key) {
        switch action {
        case .quit: XCTAssertEqual(effects, [.quit], "\(key.label) quits")
        case .redraw: XCTAssertEqual(effects, [.repaint])
        case .help: if case .help = app.overlay {} else { XCTFail("\(key.label) shows help") }
        case .palette: if case .palette = app.overlay {} else { XCTFail("\(key.label) opens the palette") }
        case .settings: if case .form = app.overlay {} else { XCTFail("\(key.label) opens the settings") }
        case .auditTrail:
            if case .audit = app.overlay {} else { XCTAssertNotNil(app.statusMessage, "\(key.label) opens the trail or says why not") }
        case .showTrash:
            if case .trash = app.overlay {} else { XCTFail("\(key.label) opens the trash") }
        case .administration:
            XCTAssertTrue(app.overlay != nil || app.statusMessage != nil, "\(key.label) opens Administration or says why not")
        default:
            let kind = ViewKind.allCases.first { $0.showAction == action }
            XCTAssertEqual(app.activeViewKind, kind, "\(key.label) switches view")
        }
    }

    // MARK: the README cannot drift

    func testTheReadmeKeySectionsNameEveryKeyOfTheTables() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized, encoding: .utf8)
        let tables = try app.keyTables()
        var missing: [String] = []
        for table in tables {
            let section = readmeSection(readme, for: table)
            XCTAssertFalse(section.isEmpty, "README has a keys section for \(table.title)")
            let everywhere = readmeSection(readme, for: tables.last!)
            for binding in table.bindings {
                // List navigation is described once, for every list, under "Everywhere".
                let section = KeyBinding.listNavigation().contains { $0.keys == binding.keys } ? everywhere : section
                // Named when one of its keys appears as written in the README: `x` for a letter, the name for
                // the others (Space, Enter, Tab).
                let named = binding.keys.contains { key in
                    let written = key.character.flatMap { $0 == " " ? nil : "`\($0)`" } ?? key.label
                    return section.contains(written)
                }
                // A palette-only action (`:import`) has no key to name.
                if !named && binding.keyText == nil && !binding.keys.isEmpty { missing.append("\(table.title): \(binding.keyLabel) (\(binding.title))") }
            }
        }
        XCTAssertEqual(missing, [], "README.md's key section leaves out keys the screen has")
    }

    /// The windows' keys are generated from their tables into README.md
    /// (UPDATE_README=1 rewrites the block), so the README says what the
    /// tables say.
    func testTheReadmeWindowKeysAreTheTables() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md").standardized
        let readme = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- generated from the key tables (KeyTableTests, UPDATE_README=1): begin -->\n"
        let end = "<!-- generated: end -->"
        let generated = try app.keyTables().filter { $0.view == nil && $0.title != "Everywhere" }
            .map(\.markdown).joined(separator: "\n")
        guard let from = readme.range(of: begin), let to = readme.range(of: end, range: from.upperBound ..< readme.endIndex) else {
            return XCTFail("README.md has no generated key block")
        }
        let current = String(readme[from.upperBound ..< to.lowerBound])
        if current != generated, ProcessInfo.processInfo.environment["UPDATE_README"] == "1" {
            try (String(readme[..<from.upperBound]) + generated + String(readme[to.lowerBound...])).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(current, generated, "README.md's window keys differ from the tables (UPDATE_README=1 rewrites them)")
    }

    /// The README text under the heading of `table`: the view's heading for a
    /// view and its sub-views, "Windows over the views" for the rest.
    private func readmeSection(_ readme: String, for table: KeyTable) -> String {
        let heading: String
        if let view = table.view { heading = "### \(view.title)\n" } else if table.title == "Everywhere" { heading = "### Everywhere\n" }
        else { heading = "### Windows over the views\n" }
        guard let start = readme.range(of: heading) else { return "" }
        let rest = readme[start.upperBound...]
        let end = rest.range(of: "\n### ")?.lowerBound ?? rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }
}
