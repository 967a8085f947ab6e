import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// Thousands of random keys, resizes and ticks over every view and overlay of
/// a real demo database, the way a cat on the keyboard or a confused user
/// would send them. After every message: nothing trapped, the overlay that
/// takes the keys is the one drawn, and a frame the loop would not redraw
/// (the revision did not move) is the same as the one on screen — otherwise
/// the terminal would show something other than what takes the keys.
/// A fixed seed in `make test`; `FUZZ_KEYS=100000 FUZZ_SEED=n` for longer runs.
final class RandomKeyTests: XCTestCase {
    static let keys: [Key] = {
        var keys: [Key] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/?<>{}%*[]- .,'\"".map { .char($0) }
        keys += "abcdefghijklmnopqrstuvwxyz\\".map { .ctrl($0) }
        keys += [.up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .enter, .escape, .backspace, .delete,
                 .tab, .backTab, .ctrlLeft, .ctrlRight, .altBackspace, .function(1), .function(2),
                 .char("ü"), .char("ی"), .char("王"), .char("😀"), .paste("Günter Müller 0171\t5550101\nzweite Zeile"),
                 .paste("\u{1b}]0;title\u{07}"), .paste(String(repeating: "x", count: 300))]
        // Esc, Enter and the view keys more often: they open and close things.
        keys += Array(repeating: .escape, count: 6) + Array(repeating: .enter, count: 4)
        keys += "12345".map { .char($0) } + "12345".map { .char($0) }
        return keys
    }()

    func testRandomKeysNeverBreakTheScreen() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["FUZZ_KEYS"].flatMap(Int.init) ?? 2_000
        let seed = environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_129
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let today = DemoData.startOfTodayUTC(ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z")!)
        let clock = ManualClock(today.addingTimeInterval(10 * 3600))
        let db = try Database(path: folder.appendingPathComponent("fuzz.db").path, login: "sara", clock: clock)
        try DemoData.generate(into: db, contacts: 150, seed: 3, today: today)
        let app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.loadSettings(path: folder.appendingPathComponent("settings").path)  // never the real one
        app.log = { _ in }
        var size = Size(width: 120, height: 40)
        app.handle(.resize(width: size.width, height: size.height))
        app.start(in: .today)

        var rng = SplitMix64(seed: seed)
        var onScreen = MemoryScreen(size: size)
        AppRenderer.render(app, on: onScreen)
        var drawn = app.revision
        var trail: [String] = []
        for step in 0..<count {
            let roll = Int.random(in: 0..<100, using: &rng)
            let message: AppMessage
            if roll < 3 {
                let sizes = [(80, 24), (200, 60), (120, 40), (60, 15), (100, 30), (81, 25)]
                let (w, h) = sizes[Int.random(in: 0..<sizes.count, using: &rng)]
                size = Size(width: w, height: h)
                message = .resize(width: w, height: h)
            } else if roll < 10 {
                message = .tick
            } else {
                message = .key(Self.keys[Int.random(in: 0..<Self.keys.count, using: &rng)])
            }
            trail.append("\(message)")
            if trail.count > 40 { trail.removeFirst() }
            for effect in app.handle(message) {
                if case .editExternally = effect { app.handle(.editorFinished(.failed("the fuzz test runs no editor"))) }
            }
            let screen = MemoryScreen(size: size)
            AppRenderer.render(app, on: screen)
            let context = "step \(step), seed \(seed); last messages:\n" + trail.joined(separator: "\n")
            var resized = false
            if case .resize = message { resized = true }
            if app.revision == drawn && !resized {
                XCTAssertEqual(screen.rowsText(), onScreen.rowsText(),
                               "the state changed but the revision did not: the terminal would go on showing the old frame\n\(context)")
                if screen.rowsText() != onScreen.rowsText() { return }
            }
            if let title = Self.frameTitle(of: app.overlay), size.width >= 80, size.height >= 24 {
                let text = screen.rowsText().joined(separator: "\n")
                XCTAssertTrue(text.contains(title), "the overlay taking keys (\(title)) is not drawn\n\(context)\n\(text)")
                if !text.contains(title) { return }
            }
            onScreen = screen
            drawn = app.revision
            if step % 250 == 0 {
                for (w, h) in [(80, 24), (200, 60)] { AppRenderer.render(app, on: MemoryScreen(width: w, height: h)) }
            }
        }
    }

    /// The start of what an overlay's frame shows as its title.
    static func frameTitle(of overlay: Overlay?) -> String? {
        let title: String
        switch overlay {
        case .form(let form)?: title = form.title
        case .prompt(let prompt)?: title = prompt.title
        case .confirm?: title = "Confirm"
        case .palette?: title = "Command"
        case .help?: title = "Keys"
        case .importFile?: title = "Import"
        case .audit(let model)?: title = model.title
        case nil, .call?, .draftOffer?, .duplicates?: return nil
        }
        let clean = TextSanitizer.singleLine(title)
        return String(clean.prefix(6))
    }
}
