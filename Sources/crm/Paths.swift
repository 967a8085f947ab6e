import Foundation

/// Where the database lives and who is working, from options, the
/// environment and the password database, in that order.
enum Paths {
    /// The environment, one variable at a time (getenv): ProcessInfo's
    /// `environment` builds a dictionary of every variable at each look, and
    /// a start looks several times (about 0.1 ms each).
    static let environment = Environment()

    struct Environment {
        subscript(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
    }

    /// The home folder: $HOME, else the password database.
    static var home: String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    /// `$XDG_DATA_HOME/crm`, or `~/.local/share/crm`. The XDG spec says a
    /// relative XDG_DATA_HOME is invalid and must be ignored.
    static var dataFolder: String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/crm" }
        return home + "/.local/share/crm"
    }

    /// `<data folder>/drafts` (0700): unsaved text kept when the screen went
    /// away without a save (a signal, a closed terminal, a failed $EDITOR).
    static var draftsFolder: String { dataFolder + "/drafts" }

    /// Where a path came from, for messages and the summary.
    enum Source: String {
        case option = "--db"
        case environment = "$CRM_DB"
        case standard = "default location"
        case demo = "--demo"
    }

    /// `--db`, else `$CRM_DB`, else `<data folder>/crm.db`: an SQLite file,
    /// for the commands that work on a file (`crm restore`, `check`, `demo`,
    /// `bench`). A PostgreSQL connection string there is refused with what
    /// to do instead (`instead`), before a path made of it could create a
    /// stray file named after it.
    static func database(option: String?, instead: String? = nil) throws -> (path: String, source: Source) {
        switch try target(option: option) {
        case (.sqlite(let path), let source):
            return (path, source)
        case (let target, let source):
            throw Failure("\(source.rawValue) names a PostgreSQL database (\(target.name)); "
                          + (instead ?? "this command works on an SQLite file"), status: ExitCode.unavailable)
        }
    }

    /// `--db`, else `$CRM_DB`, else `<data folder>/crm.db`: a file path is an
    /// SQLite database, a PostgreSQL URI or key=value string names a server
    /// database (a string that does not parse is a usage error naming the
    /// setting it came from).
    static func target(option: String?) throws -> (target: DatabaseTarget, source: Source) {
        let (text, source) = rawDatabase(option: option)
        if source == .standard { return (.sqlite(path: text), source) }
        return (try DatabaseTarget.parse(text, option: source.rawValue), source)
    }

    /// Whether the database meant is a SQLite file (false for a server, or
    /// a setting that does not parse: opening it says why).
    static func namesFile(option: String?) -> Bool {
        if case .sqlite? = try? target(option: option).target { return true }
        return false
    }

    /// What `--db` or `$CRM_DB` says, as written (a path or a connection string).
    static func rawDatabase(option: String?) -> (text: String, source: Source) {
        if let option { return (option, .option) }
        if let env = environment["CRM_DB"], !env.isEmpty { return (env, .environment) }
        return (dataFolder + "/crm.db", .standard)
    }

    /// `demo.db` in the folder of the real database (as `database(option: nil)`
    /// resolves it), so the demo never touches real data.
    static var demoDatabase: String {
        let real = (try? database(option: nil).path) ?? dataFolder + "/crm.db"
        return ((real as NSString).deletingLastPathComponent as NSString).appendingPathComponent("demo.db")
    }

    /// `~` and `~/...` are expanded (the shell does not expand `--db=~/x`);
    /// relative paths are made absolute so messages name the real file.
    static func expand(_ path: String) -> String {
        var p = path
        if p == "~" { p = home } else if p.hasPrefix("~/") { p = home + p.dropFirst(1) }
        if !p.hasPrefix("/") { p = FileManager.default.currentDirectoryPath + "/" + p }
        return (p as NSString).standardizingPath
    }

    /// The login name: getlogin(3), else $USER, else the password database.
    static var login: String {
        if let name = getlogin().map({ String(cString: $0) }), !name.isEmpty { return name }
        if let user = environment["USER"], !user.isEmpty { return user }
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "user"
    }

    static var temporaryFolder: String {
        let tmp = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return tmp.hasSuffix("/") ? String(tmp.dropLast()) : tmp
    }

    /// A new private folder (0700, mkdtemp) in the temporary folder, named
    /// `prefix-XXXXXX`; `purpose` says what for if it cannot be made.
    static func makeTemporaryFolder(_ prefix: String, purpose: String) throws -> String {
        var template = Array("\(temporaryFolder)/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure("cannot make a temporary folder in \(temporaryFolder) \(purpose): \(String(cString: strerror(errno)))",
                          status: ExitCode.cantCreate)
        }
        return String(cString: made)
    }
}

extension Paths {
    /// `$XDG_STATE_HOME/crm`, or `~/.local/state/crm`: the user's own log,
    /// never beside a shared database (where a colleague's 0600 log would
    /// lock everyone else out).
    static var stateFolder: String {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/crm" }
        return home + "/.local/state/crm"
    }

    /// Where the screen's stderr and the engine's diagnostics go.
    static var logFile: String { stateFolder + "/crm.log" }
}
