import CRMCore
import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import CRMTerminal
import CRMViewModels
import Foundation

/// `crm [--db PATH] [--user LOGIN] [--demo]`: opens the CRM.
enum RootCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: nil)
        var dbOption: String?
        var user: String?
        var demo = false
        var call: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--user", let v): user = try reader.value("--user", inline: v, expected: "a login name")
            case .option("--demo", let v): demo = try reader.flag("--demo", inline: v)
            case .option("--call", let v): call = try reader.value("--call", inline: v, expected: "the caller's phone number")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text(nil))
                return ExitCode.ok
            case .option("--version", _), .option("-V", _):
                Output.print("crm \(CLI.version) (database schema version \(Database.supportedSchemaVersion))")
                return ExitCode.ok
            case .positional(let name):
                throw reader.fail("unknown command \"\(name)\"")
            default:
                throw reader.unknown(arg)
            }
        }
        if demo && dbOption != nil {
            throw reader.fail("--demo opens its own database (demo.db beside the real one); leave out --db, or use 'crm demo --db PATH' and then 'crm --db PATH'")
        }
        if let call, let problem = ContactFinder.phoneProblem(call) { throw Failure("--call: \(problem)", status: ExitCode.dataError) }
        // Checked before the database is opened, so a script that runs plain
        // `crm` by mistake creates nothing.
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw Failure("the CRM needs a terminal; for scripts use the subcommands (crm help)", status: ExitCode.usage)
        }
        // A terminal that cannot show the screen is said in one line, before
        // anything is drawn or any database opened.
        do { try TerminalType.check() } catch let error as TerminalError { throw Failure(error) }
        // In the demo you are the first of the demo team, so the Today view
        // and "mine" filters have something in them from the first start.
        let login = user ?? (demo ? DemoData.users[0].login : Paths.login)
        let (target, source) = demo ? (DatabaseTarget.sqlite(path: Paths.demoDatabase), Paths.Source.demo) : try Paths.target(option: dbOption)
        let database: any CRMRepositories
        switch target {
        case .sqlite(let path):
            // A file or folder this user may not write opens read-only: the
            // screen says so, and its keys that write say why they cannot.
            let file = try Opening.database(at: path, login: login, mode: demo ? .write : .writeIfPermitted)
            if demo, try file.contacts.count(filter: ContactFilter()) == 0 {
                Output.error("crm: filling the demo database \(path) with \(DemoData.defaultContacts) contacts...")
                do {
                    try DemoData.generate(into: file, contacts: DemoData.defaultContacts, seed: DemoCommand.defaultSeed)
                } catch {
                    throw Failure(error, path: path)
                }
            }
            database = file
        case .postgres(let conninfo):
            // The server decides who this is (peer authentication: the login
            // is the role) and what they may change (grants).
            database = try Opening.postgres(conninfo, acting: .person(user), source: source, writes: true)
        }
        applyTrashRetention(database, name: target.name)
        return try openWorkspace(database: database,
                                 options: WorkspaceOptions(databasePath: target.name, source: source, login: database.currentUser.login,
                                                           isDemo: demo, incomingCall: call))
    }
}

/// What the workspace needs to know besides the database itself.
struct WorkspaceOptions {
    var databasePath: String
    var source: Paths.Source
    var login: String
    var isDemo: Bool
    /// `--call NUMBER`: open in call mode on this caller.
    var incomingCall: String?
}

/// The admin's retention (`trash_days` in the settings): what was deleted
/// longer ago is purged at start, in one audited transaction, in an admin's
/// session only — the settings file is personal, and purging is an admin's
/// act (a rep's `trash_days = 1` once emptied the team's trash). A failure (a
/// busy database) only delays it to the next start, so it is logged, never
/// in the way of opening the CRM.
func applyTrashRetention(_ database: any CRMRepositories, name: String) {
    guard !database.isReadOnly, database.currentUser.role == .admin,
          let days = SettingsFile.load(path: SettingsFile.path()).settings.trashDays else { return }
    do {
        _ = try database.trashRepository.purgeExpired(days: days)
    } catch {
        DiagnosticLog.write("\(name): trash retention of \(days) days not applied: \(error)")
    }
}
