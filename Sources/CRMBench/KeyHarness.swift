import CRMCore
import CRMRepositories
import CRMStorePostgres
import CRMTerminal
import CRMViewModels
import Foundation

/// Drives the real view models headless on a bench database, as the screen
/// does: a key, its frame in the in-memory screen, then what the screen does
/// when the keys rest (a contact's details follow the selection after
/// 120 ms; the idle tick reads other users' changes) and that frame. The
/// issue's figures are "from the key to the finished frame", so a sample
/// holds all of it.
///
/// Every timed key runs inside a transaction that is rolled back after it
/// (the view models' own transactions join it): a key that writes — `d` and
/// its `y`, a stage move, a form's save — leaves the bench database as it
/// was, so the bench can be run again on the same file and every key is
/// driven instead of skipped. BEGIN and ROLLBACK are outside the timing.
final class KeyHarness {
    /// Either engine: every row of the key sweep and the paths is engine-neutral.
    let db: any CRMRepositories
    let clock: ManualClock
    let width: Int
    let height: Int
    let screen: MemoryScreen

    init(db: any CRMRepositories, width: Int = 120, height: Int = 40) {
        self.db = db
        self.width = width
        self.height = height
        // A manual clock, so "the selection rests" is a step, not a sleep.
        clock = ManualClock(Date())
        screen = MemoryScreen(size: Size(width: width, height: height))
    }

    private weak var previous: AppModel?
    /// Every app made, held weakly: how many are still alive says whether
    /// the sweep let them go (the peak memory counts the ones it kept).
    private var made: [Weak] = []
    private struct Weak { weak var app: AppModel? }

    /// Apps made so far, and how many of them are still alive.
    var apps: (made: Int, alive: Int) { (made.count, made.filter { $0.app != nil }.count) }

    /// Closes the window of the last app made (see freshApp), outside any timing.
    func leavePrevious() {
        previous?.dismissOverlay()
    }

    /// A new app on `kind`, sized and drawn: each sample starts from the
    /// same state, so a key's figure does not depend on the keys before it.
    func freshApp(in kind: ViewKind) -> AppModel {
        // The app before is left as a person leaves the screen: its window
        // closed. A form or prompt left open holds its app (their closures
        // hold the app they answer to until the window goes; in crm that is
        // the one app of the session), so every key that opens one kept an
        // app with its loaded pages alive for the rest of the run: 51 apps
        // at 100,000 contacts, most of the keys group's +9.6 MiB over the
        // small database (issue 16).
        leavePrevious()
        let app = AppModel(repositories: db, clock: clock)
        previous = app
        made.append(Weak(app: app))
        // The bench reads errors from the status line; stderr stays for progress.
        app.log = { _ in }
        app.handle(.resize(width: width, height: height))
        app.start(in: kind)
        // Reports: the first figures come from the reports' thread; a key
        // is timed on a page that has them, as a person presses it.
        _ = app.settle()
        AppRenderer.render(app, on: screen)
        return app
    }

    /// Keys to a finished frame: each key and its frame, then the work done at rest and its frame.
    func press(_ keys: [Key], _ app: AppModel) {
        for key in keys {
            app.handle(.key(key))
            AppRenderer.render(app, on: screen)
        }
        settle(app)
    }

    /// The idle tick after the keys rested (details, other users' changes).
    func settle(_ app: AppModel) {
        let before = app.revision
        clock.advance(by: 1)
        app.handle(.tick)
        if app.revision != before { AppRenderer.render(app, on: screen) }
    }

    /// Milliseconds of `body`, run after `setup` (untimed) in a transaction
    /// that is then rolled back.
    func undone(setup: () throws -> Void = {}, _ body: () throws -> Void) throws -> Double {
        var ms = 0.0
        do {
            try db.transaction {
                try setup()
                let before = statementCount
                ms = try BenchTable.milliseconds(body)
                lastStatements = statementCount.map { $0 - (before ?? 0) }
                throw Undo()
            }
        } catch is Undo {}
        return ms
    }

    /// On PostgreSQL, the statements the session has sent so far (nil on
    /// SQLite, where a statement is a function call, not a round trip).
    var statementCount: Int? { (db as? PostgresDatabase)?.connection.statementCount }

    /// The statements the last `undone` body sent (PostgreSQL only).
    private(set) var lastStatements: Int?

    /// `CRM_BENCH_STATEMENTS=1`: each statement a timed key sends on
    /// PostgreSQL is listed on stderr with its milliseconds, under `label`
    /// (finding which round trips a slow key pays for).
    func listingStatements<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        guard ProcessInfo.processInfo.environment["CRM_BENCH_STATEMENTS"] != nil,
              let connection = (db as? PostgresDatabase)?.connection else { return try body() }
        var lines: [String] = []
        connection.onStatement = { sql, ms in
            let flat = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            lines.append(String(format: "  %7.2f ms  ", ms) + String(flat.prefix(160)))
        }
        defer {
            connection.onStatement = nil
            FileHandle.standardError.write(Data((["== \(label): \(lines.count) statements (the bench's BEGIN and ROLLBACK among them)"] + lines).joined(separator: "\n").utf8 + [10]))
        }
        return try body()
    }

    private struct Undo: Error {}

    /// Opens the sub-view or window `table` names, as KeyTableTests does.
    static func enter(_ table: KeyTable, _ app: AppModel) throws {
        if let view = table.view {
            if let sub = app.subViews(of: view).first(where: { $0.title == table.title }) { try sub.enter(app) }
        } else if let window = AppModel.windows.first(where: { $0.title == table.title }) {
            try window.enter(app)
        }
    }
}
