import CRMCore
import CRMRepositories
import CRMStore
import CRMTerminal
import CRMViewModels
import Foundation

/// The editing rows of `crm bench`: what one key costs in a long text, and
/// what one timer tick costs while a call with a long note is up. Each figure
/// is end to end: key or tick → view model → what the terminal loop draws
/// (`FrameScheduler`: a whole frame, or only the call timer's cells), into
/// the in-memory screen at 120x40. A database of its own
/// (one contact in a temporary folder): these figures do not depend on the
/// size of the customer base, only on the length of the text.
public struct EditingBenchmark {
    public typealias Measurement = BenchTable.Measurement

    public let runs: Int

    public init(runs: Int = 200) {
        self.runs = runs
    }

    /// `count` characters of note-like text in several scripts (Latin with
    /// diacritics, Chinese, Persian), spaces between words, no line breaks.
    public static func longText(_ count: Int) -> String {
        let words = ["Called", "Jürgen", "Müller", "about", "the", "报价单", "for", "40", "units;", "قرارداد",
                     "signed?", "Mu\u{0308}ller", "wants", "delivery", "before", "December", "—", "王小明", "agreed."]
        var chars: [Character] = []
        chars.reserveCapacity(count + 16)
        var i = 0
        while chars.count < count {
            chars.append(contentsOf: words[i % words.count])
            chars.append(" ")
            i += 1
        }
        return String(chars.prefix(count))
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> [Measurement] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-editing-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("editing.db").path, login: "bench")
        let contact = try db.contacts.create(Contact(name: "Jürgen Müller", title: "Einkauf",
                                                     phones: [PhoneNumber("+49 30 1234-5678")]))
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let size = Size(width: 120, height: 40)
        let screen = CountingScreen(MemoryScreen(size: size))
        var out: [Measurement] = []
        let typing = Array("note taken ")

        func freshApp() -> AppModel {
            let app = AppModel(repositories: db, clock: clock)
            app.handle(.resize(width: size.width, height: size.height))
            app.start(in: .contacts)
            app.contacts.show(contactID: contact.id)
            return app
        }

        /// One sample a key: the `n`th key pressed, then the frame it leaves.
        func keySamples(_ app: AppModel, _ loop: inout FrameScheduler, _ key: (Int) -> Key) -> [Double] {
            var n = 0
            return BenchTable.samples(runs, warmup: 2) {
                app.handle(.key(key(n))); n += 1
                loop.draw(app, on: screen)
            }
        }

        // A note form (n, which opens on its text), a 10,000-character line in it, then keys.
        func noteForm() throws -> (AppModel, FrameScheduler) {
            let app = freshApp()
            app.handle(.key(.char("n")))
            app.handle(.key(.paste(Self.longText(10_000))))
            try expect(app, "body", holds: 10_000)
            var loop = FrameScheduler()
            loop.draw(app, on: screen)
            return (app, loop)
        }
        do {
            progress("editing: typing at the end of a 10,000-character note")
            var (app, loop) = try noteForm()
            let samples = keySamples(app, &loop) { n in .char(typing[n % typing.count]) }
            out.append(Measurement(name: "editing: key at the end of a 10,000-char note + frame", samples: samples, targetMs: 1,
                                   note: "note form, one line of Latin/Chinese/Persian text"))
        }
        do {
            progress("editing: typing at the start of a 10,000-character note")
            var (app, loop) = try noteForm()
            app.handle(.key(.ctrl("a")))
            loop.draw(app, on: screen)
            let samples = keySamples(app, &loop) { n in .char(typing[n % typing.count]) }
            out.append(Measurement(name: "editing: key at the start of a 10,000-char note + frame", samples: samples, targetMs: 1,
                                   note: "the rest of the line moves right"))
        }
        do {
            progress("editing: a key after pasting a 4,000-character line")
            let app = freshApp()
            app.handle(.key(.char("n")))
            app.handle(.key(.backTab))    // from the text up to the one-line subject
            app.handle(.key(.paste(Self.longText(4_000))))
            try expect(app, "subject", holds: 4_000)
            var loop = FrameScheduler()
            loop.draw(app, on: screen)
            let samples = keySamples(app, &loop) { n in n % 2 == 0 ? .char("x") : .backspace }
            out.append(Measurement(name: "editing: key after pasting a 4,000-char line + frame", samples: samples, targetMs: 1,
                                   note: "one-line subject field; x and Backspace in turn"))
        }
        do {
            progress("editing: contacts search after pasting a 4,000-character query")
            let app = freshApp()
            app.handle(.key(.char("/")))
            app.handle(.key(.paste(Self.longText(4_000))))
            var loop = FrameScheduler()
            loop.draw(app, on: screen)
            let samples = keySamples(app, &loop) { n in n % 2 == 0 ? .char("x") : .backspace }
            out.append(Measurement(name: "editing: search key after pasting a 4,000-char query + frame", samples: samples, targetMs: nil,
                                   note: "includes the search itself (one contact)"))
        }
        do {
            progress("editing: call card ticks with a 3,000-character note")
            let app = freshApp()
            app.handle(.key(.char("c")))
            app.handle(.key(.paste(Self.longText(3_000))))
            guard case .call(let call)? = app.overlay, call.note.text.count == 3_000 else {
                throw BenchSetupError("the call card did not take the 3,000-character note")
            }
            var loop = FrameScheduler()
            loop.draw(app, on: screen)
            // One sample: one second of a call, ten ticks 100 ms apart (the
            // loop's wtimeout), the timer's second changing once.
            var columns = 0
            let second = BenchTable.samples(runs, warmup: 2) {
                screen.columns = 0
                for _ in 0..<10 {
                    clock.advance(by: 0.1)
                    app.handle(.tick)
                    loop.draw(app, on: screen)
                }
                columns = screen.columns
            }
            out.append(Measurement(name: "editing: call card, 10 ticks (1 s) with a 3,000-char note", samples: second, targetMs: 1,
                                   note: "\(columns) columns drawn per second of call"))
            let tick = BenchTable.samples(runs, warmup: 2) {
                clock.advance(by: 1)
                app.handle(.tick)
                loop.draw(app, on: screen)
            }
            out.append(Measurement(name: "editing: call card, one tick that moves the timer", samples: tick, targetMs: 0.2,
                                   note: "3,000-char note"))
            let key = keySamples(app, &loop) { k in k % 2 == 0 ? .char("x") : .backspace }
            out.append(Measurement(name: "editing: call card, key in a 3,000-char note + frame", samples: key, targetMs: 1,
                                   note: "x and Backspace in turn"))
        }
        return out
    }
}

struct BenchSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Checks that a bench's text landed where it is meant to be measured.
private func expect(_ app: AppModel, _ field: String, holds count: Int) throws {
    guard case .form(let form)? = app.overlay, form.focusedField.name == field, form.focusedField.value.count == count else {
        throw BenchSetupError("the \(count)-character text did not land in the form's \(field) field")
    }
}

