import CRMRepositories
/// Forward-only schema migrations, versioned by `PRAGMA user_version`. Each
/// step runs in one transaction with the version bump, so a crash leaves the
/// database at the old version or the new one, never in between.
///
/// Many processes may open one file at the same moment (a shared server, eight
/// people starting crm at nine). Each step therefore decides inside its own
/// write transaction (BEGIN IMMEDIATE: one writer at a time, the others wait
/// in the busy timeout) whether it is still to be done: the version is read
/// again under the lock, and a step another process applied meanwhile is
/// skipped.
///
/// A shipped step is frozen: its SQL is a literal, never built from constants
/// that may change later, so every file at version N has the same schema. A
/// change to the schema is a new step (SchemaFreezeTests keeps the record).
///
/// A step that fills a table from a big one runs on files nobody has
/// ANALYZEd, so SQLite plans it without statistics: name the covering index
/// the fill should read (INDEXED BY). Step 40 counted a year of
/// interactions per contact through the time index, reading each row from
/// the table and sorting by contact: 120 s of a team's upgrade of a
/// million-contact file (37 → 47 took 129.5 s). Read from the covering
/// index `interactions_by_contact` in contact order, the same SELECT takes
/// 11 s (sqlite3, the same file); a 64 MiB page cache instead of 1 MiB did
/// not help the first plan (200 s: its cost is random reads of the table).
struct Migrator {
    struct Step {
        let version: Int
        let sql: String
    }

    /// Versions 16, 17, 20 and 26 were never used (work on parallel branches
    /// was numbered apart) and must stay unused: a file at 30 would skip a
    /// step inserted below it. 34, 37, 38, 39, 41, 42, 43, 44 and 50 are PostgreSQL-only, empty here. Steps after 41
    /// are numbered by task on parallel branches and appended at the end in
    /// ascending order (a database at N skips every step below N).
    static let steps: [Step] = [
        Step(version: 1, sql: SchemaV1.sql),
        Step(version: 2, sql: SchemaV2.sql),
        Step(version: 3, sql: SchemaV3PipelineTotals.sql),
        Step(version: 4, sql: SchemaV4InteractionIndexes.sql),
        Step(version: 5, sql: SchemaV5ChangeCounters.sql),
        Step(version: 6, sql: SchemaV6CancelOrphanFollowUps.sql),
        Step(version: 7, sql: SchemaV7CurrencyMinorUnits.sql),
        Step(version: 8, sql: SchemaV8FoldedSearch.sql),
        Step(version: 9, sql: SchemaV9PhoneE164.sql),
        Step(version: 10, sql: SchemaV10CJKGrams.sql),
        Step(version: 11, sql: SchemaV11NameSortKey.sql),
        Step(version: 12, sql: SchemaV12SearchIndexes.sql),
        Step(version: 13, sql: SchemaV13Duplicates.sql),
        Step(version: 14, sql: SchemaV14ImportBatches.sql),
        Step(version: 15, sql: SchemaV15MailMessageID.sql),
        Step(version: 18, sql: SchemaV18ContactCadence.sql),
        Step(version: 19, sql: SchemaV19FollowUpCancelReason.sql),
        Step(version: 21, sql: SchemaV21UsersRoles.sql),
        Step(version: 22, sql: SchemaV22AuditJSONValues.sql),
        Step(version: 23, sql: SchemaV23Trash.sql),
        Step(version: 24, sql: SchemaV24LifecycleHistory.sql),
        Step(version: 25, sql: SchemaV25ContactNameWords.sql),
        Step(version: 27, sql: SchemaV27ReportIndexes.sql),
        Step(version: 28, sql: SchemaV28ReportIndexes.sql),
        Step(version: 29, sql: SchemaV29ValueTiers.sql),
        Step(version: 30, sql: SchemaV30MillionQueries.sql),
        Step(version: 31, sql: SchemaV31PipelineReportIndexes.sql),
        Step(version: 32, sql: SchemaV32ReportAggregates.sql),
        Step(version: 33, sql: SchemaV33DealCardSearch.sql),
        Step(version: 34, sql: SchemaV34PostgresSearchSpeed.sql),
        Step(version: 35, sql: SchemaV35ReportStageStays.sql),
        Step(version: 36, sql: SchemaV36DuplicateKeyCounts.sql),
        // PostgreSQL-only: its change feed's counters in shards
        // (PGSchemaV37ChangeCounterShards); SQLite has one writer at a time.
        Step(version: 37, sql: ""),
        // PostgreSQL-only: its duplicates key counts (PGSchemaV38DuplicateKeyCounts),
        // which SQLite has kept since step 36.
        Step(version: 38, sql: ""),
        // PostgreSQL-only: the name words of contacts in name order
        // (PGSchemaV39ContactNameWords), which SQLite has had since step 25.
        Step(version: 39, sql: ""),
        // The Customers report's stored interactions per contact in a
        // 365-day window (issue 15); PostgreSQL's step 40 is the same.
        Step(version: 40, sql: SchemaV40CustomerYearInteractions.sql),
        // PostgreSQL-only: its change counters move once per transaction
        // (PGSchemaV41ChangeCountedOncePerTransaction).
        Step(version: 41, sql: ""),
        // PostgreSQL-only: its value tiers' recompute runs without JIT
        // (PGSchemaV42ValueTiersWithoutJIT); SQLite has no JIT compiler.
        Step(version: 42, sql: ""),
        // PostgreSQL-only: the People and Pipeline reports' stored figures
        // that SQLite's steps 32 and 35 already keep (PGSchemaV43ReportStoredFigures).
        Step(version: 43, sql: ""),
        // PostgreSQL-only: its attention indexes INCLUDE the due time's
        // columns, for index-only counts (PGSchemaV44AttentionCounts); the
        // SQLite indexes cover those counts already.
        Step(version: 44, sql: ""),
        // Indexes for the Pipeline board's keys: a stage's last position
        // and the lost reasons (issues 16, 17); PostgreSQL's step 45 is the same.
        Step(version: 45, sql: SchemaV45BoardKeys.sql),
        // The name groups that list a pair in the Duplicates list
        // (SchemaV46NamePairGroups); PostgreSQL's step 46 is the same.
        Step(version: 46, sql: SchemaV46NamePairGroups.sql),
        // A stage's move recounts the furthest stage of the deals it can
        // change only (SchemaV47StageMoveReach); PostgreSQL's step 47 is the same.
        Step(version: 47, sql: SchemaV47StageMoveReach.sql),
        // The Customers report's ranking keys per customer, kept by
        // triggers (SchemaV48CustomerRankKeys); PostgreSQL's step 48 is empty.
        Step(version: 48, sql: SchemaV48CustomerRankKeys.sql),
        // PostgreSQL-only: an import decides the name groups that list a
        // pair once before COMMIT (PGSchemaV50ImportNamePairs); SQLite's
        // bulk load does so already (DerivedTableTrigger.namePairs).
        Step(version: 50, sql: ""),
        // The Pipeline board's column totals kept per pipeline, owner, stage
        // and currency, and one owner's cards per column in one index range
        // (SchemaV52BoardTotals, issue 16); PostgreSQL's step 52 makes the
        // same index, its step 60 the same table.
        Step(version: 52, sql: SchemaV52BoardTotals.sql),
        // Indexes for the foreign keys that point at contacts and companies,
        // so removing one for good is a lookup (SchemaV53ForeignKeyLookups);
        // PostgreSQL's step 53 is the same.
        Step(version: 53, sql: SchemaV53ForeignKeyLookups.sql),
        // The Customers report's lifetime value from stored keys: each
        // customer's "customer since" and each won value's deals of the
        // stored year (SchemaV54CustomerLifetimeKeys); PostgreSQL's step 54
        // is empty.
        Step(version: 54, sql: SchemaV54CustomerLifetimeKeys.sql),
        // The Customers report's at-risk list reads each live customer's
        // activity in a stored 90-day window (SchemaV55CustomerActivity);
        // PostgreSQL's step 55 is the same.
        Step(version: 55, sql: SchemaV55CustomerActivity.sql),
        // The stages each deal entered, not its furthest position, so moving
        // a stage writes no report row (SchemaV56DealStagesSeen);
        // PostgreSQL's step 56 is the same.
        Step(version: 56, sql: SchemaV56DealStagesSeen.sql),
        // Today's follow-up indexes hold the version, so `*` marks a section
        // from the index alone (SchemaV57MarkEverySection, issue 16);
        // PostgreSQL's step 57 is the same.
        Step(version: 57, sql: SchemaV57MarkEverySection.sql),
        // PostgreSQL-only: the board's column totals kept in a table, as
        // SQLite's step 52 keeps them (PGSchemaV60BoardTotals): nothing here.
        Step(version: 60, sql: ""),
        // A won deal's closing time marks its customers for the refresh
        // before COMMIT, so the stored last closing (the R key) and the
        // deals of the stored year follow an edited close date; the stored
        // rows counted again (SchemaV62WonClosingTime). PostgreSQL's step 62
        // is empty.
        Step(version: 62, sql: SchemaV62WonClosingTime.sql),
        // PostgreSQL-only: its report functions of a stage move in PL/pgSQL
        // (PGSchemaV63PlannedStayFunctions); SQLite's triggers are SQL: nothing here.
        Step(version: 63, sql: ""),
        // PostgreSQL-only: its follow-up days per statement
        // (PGSchemaV64FollowUpDaysPerStatement); SQLite's triggers stay.
        Step(version: 64, sql: ""),
        // The interactions' time index holds the contact, so the Customers
        // page's corrections to now read the index alone
        // (SchemaV65InteractionsByTimeContact). PostgreSQL's step 65 is empty.
        Step(version: 65, sql: SchemaV65InteractionsByTimeContact.sql),
        // A deal's stage move is not activity with its customer: the RFM
        // frequency's year and the at-risk list's 90 days count no stage
        // change, and the interactions' time index holds the kind
        // (SchemaV66StageMovesAreNoActivity); PostgreSQL's step 66 the same.
        Step(version: 66, sql: SchemaV66StageMovesAreNoActivity.sql),
        // PostgreSQL's step 67 stores each customer's won value per currency
        // (PGSchemaV67CustomerWonValues), as this file has since step 32;
        // nothing here.
        Step(version: 67, sql: ""),
        // Each lifecycle change holds the spans it closes and opens and its
        // contact's owner and trash time, so retention, the lifespan and
        // People's conversions read one index range (SchemaV68LifecycleSpans).
        // PostgreSQL's step 68 is empty.
        Step(version: 68, sql: SchemaV68LifecycleSpans.sql),
        // PostgreSQL's step 69 stores the Customers page's ranking keys per
        // customer (PGSchemaV69CustomerRankKeys), as this file has since
        // steps 48 and 54; nothing here.
        Step(version: 69, sql: ""),
        // PostgreSQL's step 70 stores the lifecycle spans this file has
        // since step 68 (PGSchemaV70LifecycleSpans); nothing here.
        Step(version: 70, sql: ""),
        Step(version: 71, sql: ""),
        Step(version: 72, sql: ""),
        // PostgreSQL's step 73 plans its statement triggers for the rows
        // they have (PGSchemaV73TransitionTablePlans); SQLite's triggers are
        // per row. Nothing here.
        Step(version: 73, sql: ""),
        // PostgreSQL's step 74 stores each won value's tier, as this file
        // has since step 32 (PGSchemaV74SumTiers); nothing here.
        Step(version: 74, sql: ""),
        // PostgreSQL's step 75 makes its roles write only as themselves
        // (PGSchemaV75WrittenAsYourself); a file has no roles: nothing here.
        Step(version: 75, sql: ""),
        // PostgreSQL's step 76 keeps its roles from writing the derived
        // tables (PGSchemaV76DerivedTablesKeptByTheDatabase); a file has no
        // roles: nothing here.
        Step(version: 76, sql: ""),
        // ß as "ss", ё as е, Greek without its accents and final sigma, the
        // ligatures as their letters, as on PostgreSQL: the rows indexed
        // before that hold one are indexed again (SchemaV77FoldedLetters).
        Step(version: 77, sql: SchemaV77FoldedLetters.sql),
        // One tag per name whatever its letters' case, as on PostgreSQL: the
        // tags that differ only so are merged (SchemaV78TagCase).
        Step(version: 78, sql: SchemaV78TagCase.sql),
        // A letter written as its base and a combining mark (и and U+0306)
        // is searched as the letter typed whole: the rows written before
        // that hold such a mark are indexed again (SchemaV79ComposedLetters).
        Step(version: 79, sql: SchemaV79ComposedLetters.sql),
        // PostgreSQL's step 80 compares addresses with lower(x COLLATE "C")
        // instead of translate() (PGSchemaV80LowerEmails); SQLite's NOCASE
        // did so all along: nothing here.
        Step(version: 80, sql: ""),
        // A contact keeps the vCard UID it was imported with, which a vCard
        // export gives back (QA 43 #15: every card had a new UID after an
        // export, import and export again, so address books doubled them).
        Step(version: 81, sql: "ALTER TABLE contacts ADD COLUMN uid TEXT;"),
    ]

    static var latestVersion: Int { steps.last?.version ?? 0 }

    /// Brings `connection` up to the latest version; refuses a database made
    /// by a newer binary instead of guessing at its schema.
    /// `progress` is told before each step this process applies: (the
    /// version the file had, the step's version, the latest version).
    static func migrate(_ connection: Connection, progress: ((MigrationStep) -> Void)? = nil) throws {
        try migrate(connection, upTo: latestVersion, progress: progress)
    }

    /// Brings `connection` up to `target` (tests prepare older files with it).
    static func migrate(_ connection: Connection, upTo target: Int, progress: ((MigrationStep) -> Void)? = nil) throws {
        // Read without a lock first: almost every open finds the file current
        // and needs no write transaction at all.
        let seen = try version(of: connection)
        try refuseNewer(seen, connection)
        for step in steps where step.version > seen && step.version <= target {
            try connection.transaction {
                // Again under the write lock: another process may have
                // migrated since, even past this binary's latest version.
                let current = try version(of: connection)
                try refuseNewer(current, connection)
                guard current < step.version else { return }
                progress?(MigrationStep(from: seen, step: step.version, latest: target))
                try connection.execute(step.sql)
                // PRAGMA takes no bound parameters; the value is our own integer.
                try connection.execute("PRAGMA user_version = \(step.version)")
            }
        }
    }

    private static func version(of connection: Connection) throws -> Int {
        Int(try connection.scalar("PRAGMA user_version") ?? 0)
    }

    private static func refuseNewer(_ version: Int, _ connection: Connection) throws {
        if version > latestVersion {
            throw RepositoryError.schemaTooNew(found: version, supported: latestVersion, path: connection.path)
        }
    }
}

/// One step of an upgrade about to run, for a progress line.
public struct MigrationStep: Sendable, Equatable {
    /// The version the file had when this process opened it (0: a new file).
    public let from: Int
    public let step: Int
    public let latest: Int
}
