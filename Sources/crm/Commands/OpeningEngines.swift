import CRMCore
import CRMRepositories
import CRMStore
import CRMStorePostgres
import Foundation

/// Who a command acts as, whatever the engine.
enum Acting: Equatable {
    /// A person: `--user` when given, else who is logged in: the login on
    /// SQLite, the database role on PostgreSQL (where the server checked it,
    /// and only a superuser or the database's owner may name someone else).
    case person(String?)
    /// The program itself, no CRM user: reads that write nothing. On
    /// PostgreSQL a role that is not the owner still reads as itself (its
    /// grants decide what it sees).
    case program

    var sqliteLogin: String? {
        switch self {
        case .person(let user): user ?? Paths.login
        case .program: nil
        }
    }
}

/// The database `--db` or `$CRM_DB` names (else the default file), opened on
/// its engine: a file path is SQLite, with every check `Opening.database`
/// makes; a PostgreSQL URI or key=value string is a session on that server.
/// Commands then work through the repositories only, so each runs unchanged
/// on both.
extension Opening {
    static let createHint = "create one with 'crm demo --db PATH' or by opening crm"

    /// `mustExist`: the hint when a missing SQLite file is an error (nil: a
    /// missing file is created, as `crm user add` and the screen do).
    static func repositories(option: String?, acting: Acting, mode: Database.OpenMode = .write,
                             mustExist hint: String? = createHint) throws -> any CRMRepositories {
        let (target, source) = try Paths.target(option: option)
        switch target {
        case .sqlite(let path):
            if let hint { try mustExist(path, hint: hint) }
            return try database(at: path, login: acting.sqliteLogin, mode: mode)
        case .postgres(let conninfo):
            let db = try postgres(conninfo, acting: acting, source: source, writes: mode == .write)
            // A command waits for a colleague's long action, as on SQLite
            // (the screen keeps its 5 s: a person waits in front of it).
            if mode == .write { db.connection.lockTimeoutMs = Int(Connection.commandBusyTimeoutMs) }
            return db
        }
    }

    /// Runs `body` on the database for a command that only reads: SQLite's
    /// file is opened read-only (never created, upgraded or changed) and read
    /// again if a writer moved it meanwhile (`Database.reading`).
    static func reading<T>(option: String?, acting: Acting = .program, mustExist hint: String = createHint,
                           _ body: (any CRMRepositories) throws -> T) throws -> T {
        let (target, source) = try Paths.target(option: option)
        do {
            switch target {
            case .sqlite(let path):
                try mustExist(path, hint: hint)
                let region = SettingsFile.load(path: SettingsFile.path()).settings.phoneRegion
                return try Database.reading(path, login: acting.sqliteLogin, newLogins: .asTheDatabaseSays, phoneRegion: region) { try body($0) }
            case .postgres(let conninfo):
                // A read signs nobody in: without --user, the server's role
                // reads as itself (its grants decide what it sees), and the
                // owner's session reads as the program, creating no user ...
                let db = try postgres(conninfo, acting: acting == .person(nil) ? .program : acting, source: source)
                // ... and an owner who is also a CRM user reads as that user.
                if acting == .person(nil) { try db.readAsSessionRole() }
                return try body(db)
            }
        } catch let error as RepositoryError {
            throw Failure(error, path: target.name)
        } catch let refusal as UserRefusal {
            throw Failure(refusal)
        }
        // Anything else (a Failure, a usage error, the command's own) is the command's to say.
    }

    /// A session on a PostgreSQL database: its schema brought up to date (or
    /// a newer one refused), the person signed in. Every refusal is one
    /// sentence naming the setting it came from; libpq's words go to crm.log.
    /// `writes`: an open that may write (the screen, a command that
    /// changes something) gives stored numbers their international form in
    /// the settings' phone_region, as a file's does (`Opening.database`).
    static func postgres(_ conninfo: String, acting: Acting, source: Paths.Source, writes: Bool = false) throws -> PostgresDatabase {
        let settings = SettingsFile.load(path: SettingsFile.path()).settings
        let name = "the PostgreSQL database \(DatabaseTarget.postgres(conninfo: conninfo).name) (\(source.rawValue))"
        do {
            let user: String?
            switch acting {
            case .person(let given): user = given
            case .program: user = nil
            }
            // The settings' tier.A, tier.B and rate.*, as for a file (see Opening.database).
            let db = try PostgresDatabase(conninfo: conninfo, login: user, valueTierPolicy: ValueTierPolicy(settings: settings),
                                          personByDefault: acting != .program)
            db.phoneRegion = settings.phoneRegion
            if writes { fillPhoneNumbers(db, name: name) }
            return db
        } catch let refusal as UserRefusal where refusal.kind == .unknownUser {
            // A role of the server that no CRM admin added: say where.
            throw Failure("cannot open \(name): \(refusal.description)", status: ExitCode.noUser)
        } catch RepositoryError.invalid(let refusal) {
            // A value libpq refused in the string: the log keeps which
            // string (password hidden) and why, as for any other refusal.
            DiagnosticLog.write("\(name): \(refusal.description)")
            throw Failure(RepositoryError.invalid(refusal), path: name)
        } catch {
            throw Failure(error, path: name)
        }
    }

    /// What messages call the database `--db`/`$CRM_DB` names: a path, or the
    /// connection string with any password hidden.
    static func targetName(option: String?) -> String {
        (try? Paths.target(option: option).target.name) ?? Paths.rawDatabase(option: option).text
    }

    /// `PostgresDatabase.fillPhoneE164`, saying so on a terminal when it is
    /// long; a failure is logged and the numbers wait for the next open.
    private static func fillPhoneNumbers(_ db: PostgresDatabase, name: String) {
        do {
            try db.fillPhoneE164 { pending in
                guard pending >= 10_000, isatty(STDERR_FILENO) == 1, let region = db.phoneRegion else { return }
                Output.error("crm: giving \(pending.formatted()) stored phone numbers their international form (phone_region \(region.code))…")
            }
        } catch {
            DiagnosticLog.write("\(name): phone numbers' international form not filled this time: \(error)")
        }
    }
}
