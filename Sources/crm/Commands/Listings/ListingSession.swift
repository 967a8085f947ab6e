import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMStorePostgres
import Foundation

/// The database of a read-only command that prints as it reads (`crm
/// contacts`, `deals`, …), opened as `crm lookup` opens it (`.read`: never
/// created, upgraded or changed). A file read without locks may be written
/// meanwhile by a crm that opens it; a page read then is read again on a
/// fresh connection (with locks if that crm is still there). A keyset page
/// depends only on its cursor, so the listing goes on where it was.
final class ListingSession {
    /// The database in messages: its path, or the connection string without a password.
    let name: String
    let settings: SettingsFile.Loaded
    private(set) var db: any CRMRepositories
    /// A fresh read connection: SQLite's file again; PostgreSQL needs none
    /// (each statement sees what is committed, and keyset pages follow on).
    private let reopen: (() throws -> any CRMRepositories)?

    init(dbOption: String?) throws {
        let (target, source) = try Paths.target(option: dbOption)
        name = target.name
        settings = SettingsFile.load(path: SettingsFile.path())
        for problem in settings.problems { Output.error("crm: settings \(settings.path) \(problem)") }
        switch target {
        case .sqlite(let path):
            try Opening.mustExist(path, hint: Opening.createHint)
            let region = settings.settings.phoneRegion
            let open = { () throws -> any CRMRepositories in
                do { return try Database(path: path, mode: .read, phoneRegion: region) } catch { throw Failure(error, path: path) }
            }
            db = try open()
            reopen = open
        case .postgres(let conninfo):
            db = try Opening.postgres(conninfo, acting: .program, source: source)
            reopen = nil
        }
    }

    var timeZone: TimeZone { settings.settings.effectiveTimeZone }

    /// False when an SQLite file read without locks was written meanwhile.
    private var unchanged: Bool { (db as? Database)?.unchangedSinceOpen ?? true }

    /// Runs `body` until one run saw the file unchanged from start to end.
    func read<T>(_ body: (any CRMRepositories) throws -> T) throws -> T {
        var tries = 0
        while true {
            do {
                let result = try body(db)
                if unchanged { return result }
            } catch let failure as Failure {
                throw failure
            } catch let usage as UsageError {
                throw usage
            } catch {
                if unchanged || tries >= 40 { throw Failure(error, path: name) }
            }
            tries += 1
            guard let reopen, tries <= 40 else {
                throw Failure("\(name) kept changing while it was read; try again", status: ExitCode.tempFail)
            }
            usleep(useconds_t(min(tries, 10) * 5_000))
            db = try reopen()
        }
    }

    /// Login by user id, and the records' builder in the user's time zone.
    func records() throws -> ListingRecords {
        let users = try read { try $0.allUsers() }
        return ListingRecords(time: ListingTime(timeZone: timeZone),
                              users: Dictionary(users.map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a }))
    }

    // MARK: what the options name, checked against the database

    /// The user id of `login`; an unknown login is EX_NOUSER (67), naming the users there are.
    func ownerID(_ login: String, option: String = "--owner") throws -> Int64 {
        let users = try read { try $0.allUsers() }
        if let user = users.first(where: { $0.login == login }) { return user.id }
        let logins = users.map(\.login).sorted()
        throw Failure("\(option): no user \"\(login)\"; users: \(logins.isEmpty ? "none yet" : logins.joined(separator: ", "))",
                      status: ExitCode.noUser)
    }

    /// Exit 1 ("not found", as for lookups) when no such record is there
    /// (or it is in the trash).
    func mustExist(_ entity: String, _ id: Int64, _ found: (any CRMRepositories) throws -> Bool) throws {
        guard try read(found) else {
            throw Failure("there is no \(entity) with id \(id)", status: ExitCode.failure)
        }
    }
}

/// The options every listing takes, read with the subcommand's own reader.
struct ListingOptions {
    var format = ListingFormat.table
    var limit: Int?
    var db: String?

    /// Takes `arg` when it is one of the shared options; false otherwise.
    mutating func take(_ arg: Argument, _ reader: inout ArgumentReader) throws -> Bool {
        switch arg {
        case .option("--json", let v): try set(.json, "--json", v, &reader)
        case .option("--jsonl", let v): try set(.jsonl, "--jsonl", v, &reader)
        case .option("--csv", let v): try set(.csv, "--csv", v, &reader)
        case .option("--limit", let v):
            let text = try reader.value("--limit", inline: v, expected: "how many records at most, a whole number from 1")
            guard let n = Int(LocalDigits.ascii(text).replacingOccurrences(of: "_", with: "")), n >= 1 else {
                throw reader.fail("--limit is \"\(text)\"; expected how many records at most, a whole number from 1")
            }
            limit = n
        case .option("--db", let v): db = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
        default: return false
        }
        return true
    }

    private mutating func set(_ f: ListingFormat, _ name: String, _ inline: String?, _ reader: inout ArgumentReader) throws {
        _ = try reader.flag(name, inline: inline)
        guard format == .table || format == f else { throw reader.fail("\(name) and another output format; choose one of --json, --jsonl, --csv") }
        format = f
    }

    /// Rows per page read from the database.
    static let pageSize = 500

    /// The size of the next page when `written` rows are out: nil when the limit is reached.
    func nextPage(after written: Int) -> Int? {
        guard let limit else { return Self.pageSize }
        let left = limit - written
        return left > 0 ? min(Self.pageSize, left) : nil
    }
}

/// Reading values of listing options.
extension ArgumentReader {
    /// A record id: a whole number from 1.
    mutating func id(_ option: String, inline: String?, of entity: String) throws -> Int64 {
        let text = try value(option, inline: inline, expected: "the id of a \(entity) (a whole number)")
        return try Self.id(text, option: option, of: entity, fail: fail)
    }

    static func id(_ text: String, option: String, of entity: String, fail: (String) -> UsageError) throws -> Int64 {
        guard let n = Int64(LocalDigits.ascii(text)), n > 0 else {
            throw fail("\(option) is \"\(text)\"; expected the id of a \(entity), a whole number from 1")
        }
        return n
    }

    /// A day or time as the due-date fields read it (2026-11-01, yesterday,
    /// -7d, 1 azar 1405, Persian digits), in the settings' zone and calendar;
    /// a day without a time is its start. A listing looks back: "22 nov" or
    /// "fri" is the latest such day up to today, not the next one.
    func date(_ option: String, _ text: String, settings: Settings, now: Date = Date()) throws -> Date {
        var parser = DueDateParser(calendar: settings.effectiveCalendar, defaultTime: (0, 0))
        parser.looksBack = true
        switch parser.parse(text, now: now) {
        case .success(let date): return date.date
        case .failure(let error):
            // The due-date parser's own examples look ahead (tomorrow, next week); a
            // listing looks back.
            if error.message.contains("out of range") { throw fail("\(option): \(error.message)") }
            let iso = parser.isPersian ? "1405-09-10" : "2026-11-01"
            throw fail("\(option) is \"\(text)\"; expected a date such as \(iso), \(iso) 14:30, today, yesterday, -7d or 3 days ago")
        }
    }
}
