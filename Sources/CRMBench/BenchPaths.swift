import CRMCore
import CRMDemo
import CRMRepositories
import CRMTerminal
import CRMViewModels
import Foundation

/// The paths of the "Flat at a million" issue's table, each as a person
/// takes it: a fresh app on a view, the keys that lead there (untimed), then
/// the timed keys to a finished frame (KeyHarness), rolled back afterwards.
/// One row per path of the table, so `crm bench` answers the same questions
/// the issue asked from outside with keytime.
struct BenchPaths {
    let engine: BenchEngine
    let db: any CRMRepositories
    let harness: KeyHarness
    let runs: Int

    /// A scripted path: `setup` leads to it, `timed` is one sample.
    struct Path {
        var name: String
        var view: ViewKind
        var setup: [Key] = []
        var timed: [Key]
        var note = ""
    }

    static func keys(_ text: String) -> [Key] { text.map { .char($0) } }

    static var scripted: [Path] {
        var paths: [Path] = [
            Path(name: "path: `2` open Contacts (from Today)", view: .today, timed: keys("2")),
            Path(name: "path: `4` open Timeline (from Today)", view: .today, timed: keys("4")),
            Path(name: "path: `3` open Pipeline (from Today)", view: .today, timed: keys("3")),
            Path(name: "path: `5` open Reports (from Today)", view: .today, timed: keys("5")),
        ]
        // Search as you type: the figure of the key that makes each text.
        for text in ["c", "ca", "cal", "the"] {
            paths.append(Path(name: "path: Timeline search \"\(text)\"", view: .timeline, setup: keys("/" + text.dropLast()),
                              timed: keys(String(text.last!)), note: "the key that makes \"\(text)\""))
        }
        // `t` cycles all, call, email, meeting, note, message, stage: the sixth is "stage change".
        paths.append(Path(name: "path: Timeline type filter \"stage change\"", view: .timeline, setup: keys("ttttt"), timed: keys("t")))
        paths.append(Path(name: "path: Timeline \"stage change\", one page down", view: .timeline, setup: keys("tttttt"), timed: [.pageDown]))
        paths += [
            Path(name: "path: Contacts search \"a b\"", view: .contacts, setup: keys("/a "), timed: keys("b"),
                 note: "two one-letter words"),
            Path(name: "path: Contacts search \"call\"", view: .contacts, setup: keys("/cal"), timed: keys("l"),
                 note: "a word of interactions"),
            Path(name: "path: Pipeline search \"a\"", view: .pipeline, setup: keys("/"), timed: keys("a")),
            Path(name: "path: Pipeline Esc Esc after a search", view: .pipeline, setup: keys("/a") + [.enter],
                 timed: [.escape, .escape]),
            Path(name: "path: Pipeline won/lost list `c`", view: .pipeline, timed: keys("c")),
            Path(name: "path: Contacts change sort `s`", view: .contacts, timed: keys("s")),
            Path(name: "path: Contacts last row `G`", view: .contacts, timed: keys("G")),
            Path(name: "path: Contacts first row `g` (from the last)", view: .contacts, setup: keys("G"), timed: keys("g")),
            Path(name: "path: Today everyone's `m`", view: .today, timed: keys("m")),
        ]
        return paths
    }

    /// A bulk action at volume (QA 27 #10): everyone's Overdue marked with
    /// `*` and snoozed a week (`s 3`), then `u`; the writer holds the
    /// database for all of it, so colleagues' saves wait this long.
    static var bulk: [Path] {
        [
            Path(name: "path: Today everyone's Overdue `*` `s` `3` (snooze all)", view: .today, setup: keys("m"),
                 timed: keys("*s3"), note: "every overdue follow-up of the team"),
            Path(name: "path: Today `u` after snoozing everyone's Overdue", view: .today, setup: keys("m*s3"),
                 timed: keys("u"), note: "every row back, checked against its version"),
        ]
    }

    func run() throws -> [BenchTable.Measurement] {
        var rows: [BenchTable.Measurement] = []
        // The first screen in-process: the app built, Today loaded and drawn
        // (the process start and the terminal are timed from outside by
        // `make bench` with keytime).
        // The sweep's last app let go before the first screen is timed.
        harness.leavePrevious()
        let first = "path: first screen (app start to Today drawn, in-process)"
        if KeysBenchmark.selected(first) {
            rows.append(.init(name: first,
                              samples: try (0..<runs).map { _ in try harness.undone { _ = harness.freshApp(in: .today) } },
                              targetMs: 16, note: "the database already open"))
        }
        for path in Self.scripted + Self.bulk where KeysBenchmark.selected(path.name) {
            let samples = try (0..<runs).map { run in
                let app = harness.freshApp(in: path.view)
                // The lead-in is untimed, inside the rolled-back transaction too.
                return try harness.undone(setup: { if !path.setup.isEmpty { harness.press(path.setup, app) } }) {
                    // CRM_BENCH_STATEMENTS: the last run's statements, as for the keys.
                    if run == runs - 1 { harness.listingStatements(path.name) { harness.press(path.timed, app) } } else { harness.press(path.timed, app) }
                }
            }
            if KeysBenchmark.only != nil {
                FileHandle.standardError.write(Data("crm bench: \(path.name): \(samples.map { String(format: "%.1f", $0) }.joined(separator: " ")) ms\n".utf8))
            }
            // The process's peak so far: a path that raises it shows where memory goes.
            let peak = "peak RSS \(ProcessMemory.format(ProcessMemory.peakMiB))"
            // A bulk action is not a keystroke: "a few seconds" at thousands of rows.
            let target: Double = Self.bulk.contains { $0.name == path.name } ? 2_000 : 16
            rows.append(.init(name: path.name, samples: samples, targetMs: target, note: path.note.isEmpty ? peak : "\(path.note); \(peak)"))
        }
        // Selected by CRM_BENCH_KEYS as a whole: "path" or their own words.
        if KeysBenchmark.selected("path: a contact that sorts late") { rows.append(try lateContact()) }
        if KeysBenchmark.selected("path: live refresh") { rows.append(try liveRefresh()) }
        if KeysBenchmark.selected("path: report figures") { rows += try reportFigures() }
        return rows
    }

    /// View 5: from the key that asks for a page to its figures drawn. The
    /// key itself returns at once (the Reports rows of the key sweep); the
    /// figures come from the reports' thread, and this is how long the old
    /// page stays up marked "computing…".
    func reportFigures() throws -> [BenchTable.Measurement] {
        try ReportPage.allCases.map { page in
            let samples = try (0..<runs).map { _ -> Double in
                let app = harness.freshApp(in: .reports)
                if page == .pipeline {
                    // It opens on Pipeline: from Forecast back to it.
                    app.reports.perform(ReportPage.forecast.action)
                    _ = app.settle()
                }
                return try harness.undone {
                    app.reports.perform(page.action)
                    AppRenderer.render(app, on: harness.screen)
                    guard app.settle() else { throw FiguresNeverCame(page: page) }
                    AppRenderer.render(app, on: harness.screen)
                }
            }
            return .init(name: "path: Reports \(page.title), key to its figures drawn", samples: samples, targetMs: 50,
                         note: "computed on the reports' thread; the screen answers keys meanwhile")
        }
    }

    struct FiguresNeverCame: Error, CustomStringConvertible {
        let page: ReportPage
        var description: String { "the figures of the \(page.title) report did not arrive within a minute" }
    }

    /// Opens a contact that sorts 60% down the name-sorted list (row 59,900
    /// at 100,000 contacts in the issue), as lookup and the palette open one.
    func lateContact() throws -> BenchTable.Measurement {
        let count = try BenchSQL.integer(db, "SELECT count(*) FROM contacts WHERE deleted_at IS NULL") ?? 0
        let row = count * 6 / 10
        let id = try BenchSQL.integer(db, "SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY sort_key, id LIMIT 1 OFFSET CAST(? AS bigint)",
                                      [String(row)]) ?? 1
        let app = harness.freshApp(in: .contacts)
        let samples = try (0..<runs).map { _ in
            try harness.undone {
                app.contacts.show(contactID: id)
                AppRenderer.render(app, on: harness.screen)
                harness.settle(app)
            }
        }
        return .init(name: "path: open a contact that sorts late (row \(row) of \(count))", samples: samples, targetMs: 16,
                     note: "list around it, details, first timeline page")
    }

    /// Another user's commit (a note on the selected contact, from a second
    /// connection), then the idle tick that notices it and redraws. The
    /// notes are real commits and stay in the bench database (one per run).
    func liveRefresh() throws -> BenchTable.Measurement {
        let other = try engine.open(login: DemoData.users[1].login)
        let app = harness.freshApp(in: .contacts)
        let contactID = app.contacts.contacts.selectedRow?.id
        var samples: [Double] = []
        for i in 0..<runs {
            _ = try other.interactionRepository.log(Interaction(contactID: contactID, kind: .note, occurredAt: Date(),
                                                       body: "bench: live refresh \(i)"))
            samples.append(BenchTable.milliseconds { harness.settle(app) })
        }
        return .init(name: "path: live refresh after another user's commit", samples: samples, targetMs: 16,
                     note: "tick, reload of what changed, frame")
    }
}
