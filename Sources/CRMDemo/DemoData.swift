import CRMRepositories
import CRMStore
import CRMCore
import Foundation

/// What a demo load wrote.
public struct DemoSummary: Sendable, Equatable {
    public var users = 0
    public var companies = 0
    public var contacts = 0
    public var deals = 0
    /// Notes, calls, emails, meetings and messages: what `crm backup` and
    /// the reports count as interactions.
    public var interactions = 0
    /// The deals' stage moves, won and lost, in the timelines too.
    public var stageMoves = 0
    public var followUps = 0
}

/// Realistic demo data: companies, contacts named in many scripts, two
/// pipelines with deals in every stage, about ten interactions per contact over
/// two years, and follow-ups overdue, due today and upcoming, for five users.
///
/// Determinism: the content depends only on `seed` and `contacts`; every time
/// is an offset from `today`, which defaults to midnight UTC of the current
/// day. Two runs with the same seed on the same day (or with the same `today`)
/// write byte-identical rows; on another day the same rows, shifted in time.
public enum DemoData {
    /// The demo team: login and display name.
    public static let users: [(login: String, name: String)] = [
        ("sara", "Sara Lindqvist"), ("omid", "Omid Karimi"), ("li", "Li Na"), ("jan", "Jan Novák"),
        ("maria", "María Fernández"),
    ]

    /// The scripts the contact names are written in (see DemoWords.cultures).
    public static var scripts: [String] { DemoWords.cultures.map(\.script) }

    /// Default contact count for `crm --demo`.
    public static let defaultContacts = 2000

    public static func startOfTodayUTC(_ now: Date = Date()) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// Fills `db` in one transaction. Works on a non-empty database too (it
    /// only adds rows; users and pipelines named like the demo ones are reused
    /// — pipelines only if they have exactly the demo stages, else new ones are made).
    ///
    /// `throwawayFile`: the file is written without a journal and unsynced
    /// (Database.withoutJournal), which is only for a file nobody keeps if the
    /// fill stops halfway: the bench database, built under a temporary name.
    /// The rows, indexes and search indexes are the same either way.
    /// `onPhase`: the name and duration (ms) of each phase (BulkLoader.onPhase).
    @discardableResult
    public static func generate(into db: Database, contacts: Int, seed: UInt64,
                                today: Date = startOfTodayUTC(), deferIndexing: Bool = true, throwawayFile: Bool = false,
                                onPhase: ((String, Double) -> Void)? = nil) throws -> DemoSummary {
        // Ten interactions per contact: for a large load, building the
        // indexes afterwards (one sort each) is cheaper than inserting into
        // them row by row, all over the file.
        let existing = try db.connection.scalar("SELECT count(*) FROM interactions") ?? 0
        let existingContacts = try db.connection.scalar("SELECT count(*) FROM contacts") ?? 0
        let rebuild = deferIndexing && contacts * 10 > Int(existing) && contacts > Int(existingContacts)
            && (contacts >= 10_000 || throwawayFile)
        let loader = BulkLoader(database: db, deferIndexing: deferIndexing, rebuildIndexesOf: rebuild ? BulkLoader.loadedTables : [])
        if rebuild {
            // Large pending term lists for the search indexes, and a helper
            // thread for the index sorts: see BulkLoader.
            loader.ftsHashKiB = 262_144
            loader.sorterThreads = 2
            // The demo writes none of these: their partial indexes stay empty.
            loader.columnsLeftEmpty = ["deleted_at", "batch_id", "message_id", "attention_snoozed_until", "cadence_days", "value_tier"]
        }
        // The demo only inserts: the derived tables are filled once at the end.
        loader.suspendsDerivedTriggers = deferIndexing
        loader.onPhase = onPhase
        let fill = {
            try loader.load { loader in
                var generator = DemoGenerator(loader: loader, seed: seed, today: today)
                return try generator.run(contacts: contacts)
            }
        }
        // Into an empty file, the pages are written once (see withRollbackJournal).
        let empty = existing == 0 && existingContacts == 0
        let summary = throwawayFile ? try db.withoutJournal(fill) : try db.withRollbackJournal(if: empty, fill)
        // The demo database lets anyone in under any login (a new one is
        // created as a rep), so a try-out never stops at "no user".
        try db.connection.run("INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', '1') "
                              + "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        return summary
    }
}
