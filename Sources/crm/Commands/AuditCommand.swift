import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm audit [--entity KIND] [--id N] [--user LOGIN] [--since DATE] [--limit N] [--json] [--db PATH]`
//
// The audit trail, newest first: who changed which field of which record
// from what to what, and when. Reads the database without changing it.
enum AuditCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "audit")
        var dbOption: String?
        var json = false
        var entityName: String?
        var idText: String?
        var login: String?
        /// Who reads: the role that decides how much (default: your login).
        var readerLogin: String?
        var sinceText: String?
        var limitText: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--json", let v): json = try reader.flag("--json", inline: v)
            case .option("--entity", let v): entityName = try reader.value("--entity", inline: v, expected: kindsText)
            case .option("--id", let v): idText = try reader.value("--id", inline: v, expected: "a record number")
            case .option("--user", let v): login = try reader.value("--user", inline: v, expected: "a login")
            case .option("--as", let v): readerLogin = try reader.value("--as", inline: v, expected: "a login")
            case .option("--since", let v): sinceText = try reader.value("--since", inline: v, expected: "a date")
            case .option("--limit", let v): limitText = try reader.value("--limit", inline: v, expected: "a number of entries")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("audit"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        var filter = AuditFilter()
        if let entityName {
            guard let kind = AuditText.entityKinds.first(where: { $0.name == entityName.lowercased() }) else {
                throw reader.fail("--entity: \"\(entityName)\" is no kind of record; expected \(kindsText)")
            }
            filter.entity = kind.stored
        }
        if let idText {
            guard let id = Int64(idText), id > 0 else { throw reader.fail("--id: \"\(idText)\" is no record number; expected a whole number above 0") }
            guard filter.entity != nil else { throw reader.fail("--id needs --entity: say which kind of record \(id) is, e.g. --entity contact --id \(id)") }
            filter.entityID = id
        }
        var limit = 200
        if let limitText {
            guard let n = Int(limitText), n > 0 else { throw reader.fail("--limit: \"\(limitText)\" is no number of entries; expected a whole number above 0") }
            limit = n
        }
        let settings = CommandSettings.load()
        if let sinceText {
            // Looking back: "22 nov" is the latest 22 November, not the next.
            var parser = DueDateParser(calendar: settings.effectiveCalendar)
            parser.looksBack = true
            switch parser.parse(sinceText, now: Date()) {
            case .success(let date): filter.since = date.date
            case .failure(let error): throw UsageError(message: "--since: \(error.message)", command: "audit")
            }
        }
        let isFile = Paths.namesFile(option: dbOption)
        let (entries, users): ([AuditEntry], [User])
        do {
            (entries, users) = try Opening.reading(option: dbOption) { db in
                let users = try db.allUsers()
                // The login as written, else ignoring case: with "SARA" beside
                // "sara", sara is sara (QA 45 SC #1: she was read as the rep SARA).
                // An unknown one is refused as every command refuses it (67).
                func user(_ login: String) throws -> User {
                    guard let found = users.first(where: { $0.login == login })
                            ?? users.first(where: { $0.login.lowercased() == login.lowercased() }) else {
                        throw UserRefusal.unknown(login, known: users.map(\.login))
                    }
                    return found
                }
                if let login { filter.userLogin = try user(login).login }
                // As `W` on the screen: the whole trail is a manager's or an
                // admin's; a record's own history (--entity with --id) is
                // anyone's, as `H` is (QA 41 #5: a rep read everyone's here).
                // A login that is no user of the database is refused as every
                // other command refuses it (QA 43: it read the whole trail);
                // `--as`: an admin whose system login is not their CRM login
                // (QA 44: --user is the filter here, not who reads).
                // On PostgreSQL the reader is the role the server signed in
                // (QA 45: a rep read the whole trail there, and `--as` was
                // taken from anyone); only a session that is no CRM user
                // (the database's owner) may say whose rights it reads with.
                let reader: User?
                if filter.entityID != nil {
                    reader = nil
                } else if isFile {
                    reader = try user(readerLogin ?? Paths.login)
                } else if db.currentUser.id != 0 {
                    if let readerLogin, readerLogin.lowercased() != db.currentUser.login.lowercased() {
                        throw Failure("--as \(readerLogin): on PostgreSQL you read as the role you connect as, "
                                      + "\(db.currentUser.login); connect as \(readerLogin) instead", status: ExitCode.noPermission)
                    }
                    reader = db.currentUser
                } else if let readerLogin {
                    reader = try user(readerLogin)
                } else {
                    reader = nil
                }
                if let reader { try UserRefusal.check(.readGlobalAudit, for: reader) }
                return (try db.auditPage(filter, after: nil, limit: limit), users)
            }
        } catch let refusal as UserRefusal {
            throw Failure(refusal)
        }
        if json {
            Output.json(try JSONText.encode(entries.map(entryJSON)))
            return ExitCode.ok
        }
        if entries.isEmpty {
            Output.print("no audit entries match")
            return ExitCode.ok
        }
        let text = AuditText(timeFormat: TimeFormat(settings: settings), users: users)
        Output.print(entries.map { entry in
            ([text.heading(entry)] + text.fieldLines(entry).map { "  " + $0 }).joined(separator: "\n")
        }.joined(separator: "\n"))
        return ExitCode.ok
    }

    static let kindsText = AuditText.entityKinds.map(\.name).joined(separator: ", ")

    /// One entry for scripts: values exactly as stored (lists as lists, ids
    /// as numbers, no value as null), the time as ISO 8601 UTC.
    static func entryJSON(_ entry: AuditEntry) -> [String: Any] {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return [
            "id": entry.id,
            "at": formatter.string(from: entry.at),
            "user": entry.userLogin as Any? ?? NSNull(),
            "entity": entry.entity,
            "entity_id": entry.entityID,
            "action": entry.action,
            "changes": entry.changes.mapValues { ["old": $0.old.jsonObject, "new": $0.new.jsonObject] },
        ]
    }
}
