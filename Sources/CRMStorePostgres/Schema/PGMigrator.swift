import CRMRepositories
import Foundation

/// Brings a PostgreSQL database to the newest schema, with the same numbers
/// and rules as the SQLite migrator: forward only, each step in one
/// transaction, a database of a newer schema refused untouched.
///
/// PostgreSQL databases start at step 30: no older crm ever wrote one, so
/// the first step creates the schema as SQLite's steps 1–30 left it. Later
/// steps follow SQLite's numbers one for one (a step that only concerns
/// SQLite's own structures is recorded here with the PostgreSQL equivalent,
/// or as nothing to do, so both engines always say the same version).
///
/// The applied steps are rows of `crm_schema`. Two processes opening a new
/// database at once serialise on an advisory lock: one migrates, the other
/// then finds nothing to do.
enum PGMigrator {
    struct Step: Sendable {
        let version: Int
        /// Frozen SQL texts, run in order in the step's one transaction.
        let parts: [String]
        /// Work only Swift can do, after the SQL in the same transaction:
        /// the search documents are built in Swift (PGSearchDocument). Not
        /// frozen: it builds what this crm builds.
        var after: (@Sendable (PGConnection) throws -> Void)? = nil
    }

    static let steps: [Step] = [
        Step(version: 30, parts: [PGSchemaV30Tables.sql, PGSchemaV30Triggers.sql, PGSchemaV30ValueTiers.sql, PGSchemaV30Search.sql,
                               PGSchemaV30DealTimelineSearch.sql, PGSchemaV30Sessions.sql, PGSchemaV30Roles.sql]),
        Step(version: 31, parts: [PGSchemaV31ReportIndexes.sql]),
        // SQLite-only structures (see PGSchemaV31ReportIndexes.swift): the version moves on.
        Step(version: 32, parts: []),
        Step(version: 33, parts: []),
        // Search speed at 100,000 contacts and the board's card search (SQLite's step 33 did that there).
        Step(version: 34, parts: [PGSchemaV34SearchSpeed.sql]),
        // SQLite's stored stays and furthest stages of the Pipeline report
        // (SchemaV35ReportStageStays): PostgreSQL keeps them from step 43;
        // nothing to add here, the version moves on.
        Step(version: 35, parts: []),
        // SQLite-only: the duplicates list's key counts (SchemaV36DuplicateKeyCounts);
        // PostgreSQL finds the groups with its own plans. The version moves on.
        Step(version: 36, parts: []),
        Step(version: 37, parts: [PGSchemaV37ChangeCounterShards.sql]),
        // SQLite's step 36 on PostgreSQL: the duplicates list's key counts.
        Step(version: 38, parts: [PGSchemaV38DuplicateKeyCounts.sql]),
        // The words of live contacts' names in name order (SQLite's step 25
        // table), for the name-words rank of a search and its counts.
        Step(version: 39, parts: [PGSchemaV39ContactNameWords.sql]),
        // The Customers report's stored interactions per contact in a
        // 365-day window (issue 15), as SQLite's step 40.
        Step(version: 40, parts: [PGSchemaV40CustomerYearInteractions.sql]),
        Step(version: 41, parts: [PGSchemaV41ChangeCountedOncePerTransaction.sql]),
        // The value tiers' recompute at COMMIT without JIT (issue 15).
        Step(version: 42, parts: [PGSchemaV42ValueTiersWithoutJIT.sql]),
        // The People and Pipeline reports' stored figures (issue 15), as
        // SQLite's steps 32 and 35 keep them.
        Step(version: 43, parts: [PGSchemaV43ReportStoredFigures.sql]),
        // Needs attention's counts as index-only scans (the attention
        // indexes INCLUDE the due time's own columns); empty on SQLite.
        Step(version: 44, parts: [PGSchemaV44AttentionCounts.sql]),
        // SQLite's step 45: the Pipeline board's keys' indexes.
        Step(version: 45, parts: [PGSchemaV45BoardKeys.sql]),
        // The name groups that list a pair in the Duplicates list, as
        // SQLite's step 46 (PGSchemaV46NamePairGroups).
        Step(version: 46, parts: [PGSchemaV46NamePairGroups.sql]),
        // SQLite's step 47: a stage's move recounts only the deals whose furthest stage it can change.
        Step(version: 47, parts: [PGSchemaV47StageMoveReach.sql]),
        // SQLite's step 48 stores the Customers report's ranking keys
        // (SchemaV48CustomerRankKeys) beside its won values per customer,
        // which PostgreSQL does not keep (its report ranks the won deals in
        // one statement per page): empty here.
        Step(version: 48, parts: []),
        // An import decides the name groups of step 46 once before COMMIT,
        // not under a lock per group per row (PGSchemaV50ImportNamePairs).
        Step(version: 50, parts: [PGSchemaV50ImportNamePairs.sql]),
        // SQLite's step 52: one owner's cards per column (`o`, `m`) in one
        // index range. Its table of column totals came to PostgreSQL in step 60.
        Step(version: 52, parts: [PGSchemaV52OwnerCards.sql]),
        // SQLite's step 53: indexes for the foreign keys that point at contacts and companies.
        Step(version: 53, parts: [PGSchemaV53ForeignKeyLookups.sql]),
        // SQLite's step 54 stores the Customers report's lifetime keys
        // (SchemaV54CustomerLifetimeKeys) beside its step 48's ranking keys,
        // which PostgreSQL does not keep yet (its step 48 is empty): nothing here.
        Step(version: 54, parts: []),
        // SQLite's step 55: the at-risk list's activity per live customer
        // in a stored 90-day window (PGSchemaV55CustomerActivity).
        Step(version: 55, parts: [PGSchemaV55CustomerActivity.sql]),
        // SQLite's step 56: the stages each deal entered, not its furthest
        // position, so moving a stage writes no report row.
        Step(version: 56, parts: [PGSchemaV56DealStagesSeen.sql]),
        // SQLite's step 57: Today's follow-up indexes hold the version (`*` reads the index alone).
        Step(version: 57, parts: [PGSchemaV57MarkEverySection.sql]),
        // SQLite's table of the board's column totals (its step 52) on
        // PostgreSQL, kept by statement triggers (PGSchemaV60BoardTotals, issue 17).
        Step(version: 60, parts: [PGSchemaV60BoardTotals.sql]),
        // SQLite's step 62: a won deal's closing time marks its customers
        // for the stored Customers keys; PostgreSQL keeps no such keys here.
        Step(version: 62, parts: []),
        // The report functions a stage move runs, in PL/pgSQL so their plans
        // are kept per session (PGSchemaV63PlannedStayFunctions, issue 17);
        // SQLite's step 63 is empty.
        Step(version: 63, parts: [PGSchemaV63PlannedStayFunctions.sql]),
        // The People report's follow-up days per statement, not per row:
        // Today's bulk actions write thousands of follow-ups at once
        // (PGSchemaV64FollowUpDaysPerStatement); SQLite's step 64 is empty.
        Step(version: 64, parts: [PGSchemaV64FollowUpDaysPerStatement.sql]),
        // SQLite's step 65: its interactions' time index holds the contact
        // for the Customers page's corrections; nothing here.
        Step(version: 65, parts: []),
        // A deal's stage move is not activity with its customer: the year
        // and the 90 days the Customers report counts leave stage changes
        // out (PGSchemaV66StageMovesAreNoActivity), as SQLite's step 66.
        Step(version: 66, parts: [PGSchemaV66StageMovesAreNoActivity.sql]),
        // Each customer's won value per currency kept at COMMIT
        // (PGSchemaV67CustomerWonValues): the tiers' recompute and the
        // Customers page read the stored sums, as SQLite's since step 32.
        Step(version: 67, parts: [PGSchemaV67CustomerWonValues.sql]),
        // SQLite's step 68 stores each lifecycle change's spans for its
        // retention, lifespan and conversion queries (SchemaV68LifecycleSpans);
        // PostgreSQL's queries read the history as they did. Nothing here.
        Step(version: 68, parts: []),
        // What the Customers page ranks every customer by, stored per live
        // customer and kept by triggers (PGSchemaV69CustomerRankKeys), as
        // SQLite's steps 48 and 54: the RFM quintiles' boundaries are read
        // from indexes instead of three ntile() windows over every customer.
        // SQLite's step 69 is empty.
        Step(version: 69, parts: [PGSchemaV69CustomerRankKeys.sql]),
        // Each lifecycle change holds the spans it closes and opens and its
        // contact's owner and trash time, as SQLite's step 68: retention,
        // the lifespan and People's conversions read index ranges
        // (PGSchemaV70LifecycleSpans).
        Step(version: 70, parts: [PGSchemaV70LifecycleSpans.sql]),
        Step(version: 71, parts: []),
        Step(version: 72, parts: []),
        // The statement triggers that joined a statement's old rows to its
        // new rows are planned for the rows they have: a session's first,
        // one-row statement no longer leaves a nested loop that a later bulk
        // action runs over thousands (PGSchemaV73TransitionTablePlans).
        // SQLite's step 73 is empty.
        Step(version: 73, parts: [PGSchemaV73TransitionTablePlans.sql]),
        // Each stored won value holds its tier, and a won deal's COMMIT
        // ranks the sums along an index and updates only the contacts whose
        // sums moved (PGSchemaV74SumTiers), as SQLite's since step 32.
        Step(version: 74, parts: [PGSchemaV74SumTiers.sql]),
        // A rep or a manager writes only as themselves and deletes for good
        // only their own import's rows (PGSchemaV75WrittenAsYourself).
        // SQLite's step 75 is empty: a file has no roles of its own.
        Step(version: 75, parts: [PGSchemaV75WrittenAsYourself.sql]),
        // The tables the database keeps from the others are written by its
        // own functions only, never by a CRM role directly
        // (PGSchemaV76DerivedTablesKeptByTheDatabase). SQLite's 76 is empty.
        Step(version: 76, parts: [PGSchemaV76DerivedTablesKeptByTheDatabase.sql]),
        // SQLite's step 77 searches ß as "ss", ё as е, Greek without its
        // accents, the ligatures as letters, which the documents here (folded
        // in Swift with Foundation's case and diacritic folding) always did.
        // Here a decomposed accent no longer cuts a word in two, and accents
        // come off Latin letters only (й stays й), as in FTS5: the documents
        // of text holding such a character are built again (PGSearchRefold).
        Step(version: 77, parts: [], after: PGSearchRefold.run),
        // SQLite's step 78 keeps one tag per name whatever its letters'
        // case, as the unique index on lower(name) here always did.
        Step(version: 78, parts: []),
        // A letter written as its base and a combining mark (и and U+0306)
        // is searched as the letter typed whole, as on SQLite: the documents
        // and duplicate name keys of text holding such a mark are built
        // again (PGSearchRefold.composedLetters).
        Step(version: 79, parts: [], after: PGSearchRefold.composedLetters),
        // Addresses and domains without ASCII case by lower(x COLLATE "C")
        // instead of translate(): the same text, a tenth of the work; their
        // indexes and the name-pair view follow (PGSchemaV80LowerEmails).
        Step(version: 80, parts: [PGSchemaV80LowerEmails.sql]),
        // The vCard UID a contact was imported with (SQLite's step 81).
        Step(version: 81, parts: ["ALTER TABLE contacts ADD COLUMN IF NOT EXISTS uid text;"]),
    ]

    static var latestVersion: Int { steps.last?.version ?? 0 }

    /// Any number: both processes use the same one to take turns.
    private static let lockKey: Int64 = 0x63726D5F736368  // "crm_sch"

    /// The schema version the database is at (0 for an empty database).
    static func currentVersion(_ c: PGConnection) throws -> Int {
        let exists = try c.scalar("SELECT to_regclass('crm_schema') IS NOT NULL") == "t"
        guard exists else { return 0 }
        return Int(try c.scalar("SELECT coalesce(max(version), 0) FROM crm_schema") ?? "0") ?? 0
    }

    /// Refuses, in one sentence naming who can, a session that may not set
    /// the database up (no CREATE in schema public) or upgrade it (not its
    /// tables' owner): a rep who is first to open a new server database got
    /// "unexpected error", exit 70 (QA 33 #9).
    private static func mayMigrate(_ c: PGConnection, found: Int, target: String) throws {
        let notPermitted = Diagnostic(engine: "PostgreSQL", code: 42501, message: "insufficient privilege to migrate", statement: "")
        if found == 0 {
            try refuseASCIIOnlyCase(c, target: target)
            guard try c.scalar("SELECT has_schema_privilege('public', 'CREATE')") == "t" else {
                let owner = try c.scalar("SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = current_database()") ?? "its owner"
                throw RepositoryError.unavailable(path: target, reason: "it is not set up for crm yet, and your role may not create its tables: "
                    + "its owner (\(owner)) sets it up by opening it once with crm, or with crm migrate --from FILE --to it", notPermitted)
            }
            // The set-up makes the crm_admin, crm_manager and crm_rep roles
            // and each user's login role: a database owner without
            // CREATEROLE got 44 tables and no way to add a user ("unexpected
            // error", 70; QA 45 PG #4). Refused before anything is created.
            let me = try c.scalar("SELECT current_user::text") ?? "your role"
            guard try c.scalar("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user") == "t" else {
                throw RepositoryError.unavailable(path: target, reason: "it is not set up for crm yet, and your role (\(me)) may not create roles, "
                    + "which crm's users and roles are: set it up as a role with CREATEROLE or a superuser "
                    + "(ALTER ROLE \(me) CREATEROLE, run as a superuser), then open it again", notPermitted)
            }
            return
        }
        let owner = try c.scalar("SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'crm_schema'::regclass") ?? "its owner"
        guard try c.scalar("SELECT pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'crm_schema'::regclass), 'USAGE')") != "t" else { return }
        throw RepositoryError.unavailable(path: target, reason: "it is at schema \(found) and this crm needs \(latestVersion), "
            + "which only the owner of its tables (\(owner)) can upgrade it to: they open it once with this crm", notPermitted)
    }

    /// A database whose character type is C (or POSIX) lowers A–Z only:
    /// its tags "Über" and "über" would be two, where every other database
    /// (and SQLite) has one, and a copy from SQLite would not find the
    /// tags it merged. Refused before anything is created, with the
    /// command that makes a suitable one.
    private static func refuseASCIIOnlyCase(_ c: PGConnection, target: String) throws {
        guard try c.scalar("SELECT lower('ÜΣ') = 'üσ'") != "t" else { return }
        let ctype = try c.scalar("SELECT datctype FROM pg_database WHERE datname = current_database()") ?? "C"
        let name = try c.scalar("SELECT current_database()") ?? "NAME"
        let d = Diagnostic(engine: "PostgreSQL", code: 22021, message: "lower() folds ASCII letters only (LC_CTYPE \(ctype))", statement: "")
        throw RepositoryError.unavailable(path: target, reason: "its character type (LC_CTYPE \(ctype)) lowers only the letters A to Z, "
            + "so tags such as Über and über could not be one: drop it and create it with a UTF-8 locale, "
            + "createdb \(PGConnection.clientOptions(target))--template=template0 --locale=C.UTF-8 \(name) (or en_US.UTF-8), then open it again", d)
    }

    /// Applies every step the database lacks; throws `schemaTooNew` (and
    /// changes nothing) for a database written by a newer crm.
    static func migrate(_ c: PGConnection, target: String) throws {
        let found = try currentVersion(c)
        if found > latestVersion {
            throw RepositoryError.schemaTooNew(found: found, supported: latestVersion, path: target)
        }
        guard found < latestVersion else { return }
        try mayMigrate(c, found: found, target: target)
        for step in steps {
            try c.transaction {
                // An upgrade waits for another crm's (a step can take
                // minutes on a large database) and for the tables it alters,
                // however long: not the session's lock timeout, for a save.
                try c.execute("SET LOCAL lock_timeout = 0")
                try c.execute("SELECT pg_advisory_xact_lock($1::bigint)", [lockKey])
                // Read again under the lock: another process may have run it.
                guard try currentVersion(c) < step.version else { return }
                try c.script("CREATE TABLE IF NOT EXISTS crm_schema (version integer PRIMARY KEY, applied_at bigint NOT NULL)")
                for part in step.parts { try c.script(part) }
                try step.after?(c)
                try c.execute("INSERT INTO crm_schema(version, applied_at) VALUES ($1::integer, $2::bigint)",
                              [step.version, Int64(Date().timeIntervalSince1970)])
            }
        }
    }
}
