/// Exit statuses, after BSD's sysexits.h, so scripts can tell a typo from a
/// missing file from a damaged database.
enum ExitCode {
    static let ok: Int32 = 0
    /// A check found problems, or a command declined to act (e.g. demo on a filled database).
    static let failure: Int32 = 1
    /// EX_USAGE: wrong arguments.
    static let usage: Int32 = 64
    /// EX_DATAERR: the database is not usable as it is (newer schema, not a database, corrupt).
    static let dataError: Int32 = 65
    /// EX_NOINPUT: a database that should exist does not, or cannot be opened.
    static let noInput: Int32 = 66
    /// EX_NOUSER: no user has this login (`--user`), and the database does
    /// not create users on first use.
    static let noUser: Int32 = 67
    /// EX_UNAVAILABLE: the PostgreSQL server cannot be reached, or has no
    /// such database.
    static let unavailable: Int32 = 69
    /// EX_SOFTWARE: a bug.
    static let software: Int32 = 70
    /// EX_CANTCREAT: the database or its folder cannot be created.
    static let cantCreate: Int32 = 73
    /// EX_IOERR: reading or writing failed; also: the terminal went away
    /// under the screen (reading it gave end-of-file or an error).
    static let ioError: Int32 = 74
    /// EX_TEMPFAIL: another process holds the database lock; try again.
    static let tempFail: Int32 = 75
    /// EX_NOPERM: the user may not do this: deactivated (cannot open the
    /// CRM), or their role does not allow the action.
    static let noPermission: Int32 = 77
    /// EX_CONFIG: the terminal cannot show the screen (TERM unset, dumb or unknown).
    static let config: Int32 = 78
}
