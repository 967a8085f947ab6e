import CRMRepositories
/// Forward-only schema migrations, versioned by `PRAGMA user_version`. Each
/// step runs in one transaction with the version bump, so a crash leaves the
/// database at the old version or the new one, never in between.
struct Migrator {
    struct Step {
        let version: Int
        let sql: String
    }

    static let steps: [Step] = [
        Step(version: 1, sql: SchemaV1.sql),
        Step(version: 2, sql: SchemaV2.sql),
        Step(version: 3, sql: SchemaV3PipelineTotals.sql),
        Step(version: 4, sql: SchemaV4InteractionIndexes.sql),
        Step(version: 5, sql: SchemaV5ChangeCounters.sql),
    ]

    static var latestVersion: Int { steps.last?.version ?? 0 }

    /// Brings `connection` up to the latest version; refuses a database made
    /// by a newer binary instead of guessing at its schema.
    static func migrate(_ connection: Connection) throws {
        let current = Int(try connection.scalar("PRAGMA user_version") ?? 0)
        if current > latestVersion {
            throw RepositoryError.schemaTooNew(found: current, supported: latestVersion, path: connection.path)
        }
        for step in steps where step.version > current {
            try connection.transaction {
                try connection.execute(step.sql)
                // PRAGMA takes no bound parameters; the value is our own integer.
                try connection.execute("PRAGMA user_version = \(step.version)")
            }
        }
    }
}
