import CRMStore
import Foundation

// THE SEAM: the full-screen CRM replaces the body of `openWorkspace`. Until
// the screen exists it prints a summary of the database it would show.
// Everything before this call (arguments, paths, user, demo filling) stays in
// RootCommand.swift.

/// Runs the CRM on `database` until the user quits; returns the exit status.
func openWorkspace(database: Database, options: WorkspaceOptions) throws -> Int32 {
    let counts = try database.counts()
    print("""
        crm \(CLI.version)
        database:        \(options.databasePath) (\(options.source.rawValue))
        user:            \(database.currentUser.login)
        schema version:  \(database.schemaVersion)
        contacts:        \(counts.contacts)
        companies:       \(counts.companies)
        deals:           \(counts.deals)
        interactions:    \(counts.interactions)
        follow-ups:      \(counts.followUps) open
        (the full-screen interface is not built yet)
        """)
    return ExitCode.ok
}
