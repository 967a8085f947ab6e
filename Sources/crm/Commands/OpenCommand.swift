import CRMCore
import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import CRMTerminal
import CRMViewModels
import Foundation

/// Runs the full-screen CRM on `database` until the user quits; returns the
/// exit status (0 on quit, 128 + N after signal N, 74 when the terminal went
/// away). It opens on the Today
/// review. While the screen is up, stderr goes to the user's own `crm.log`
/// (`$XDG_STATE_HOME/crm`), never beside a shared database. Drafts of
/// unsaved work go to `$XDG_DATA_HOME/crm/drafts`.
func openWorkspace(database: any CRMRepositories, options: WorkspaceOptions) throws -> Int32 {
    let app = AppModel(repositories: database, clock: database.clock)
    app.loadSettings(path: SettingsFile.path())
    // Unsaved text is kept here when the screen goes away without a save, and
    // offered at the next start of this user on this database.
    app.drafts = DraftStore(folder: Paths.draftsFolder, database: options.databasePath, user: options.login)
    let logPath = try DiagnosticLog.prepare()
    if let number = options.incomingCall { app.startAction = { $0.answerCall(from: number) } }
    do {
        return try TerminalApp.run(app, startIn: options.incomingCall == nil ? .today : .contacts, logPath: logPath).exitStatus
    } catch let error as TerminalError {
        throw Failure(error)
    }
}
