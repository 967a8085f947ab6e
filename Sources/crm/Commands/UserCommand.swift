import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm user list [--json]`
// `crm user add LOGIN [--name "Full Name"] [--role admin|manager|rep]`
// `crm user rename LOGIN NEW` · `crm user set-role LOGIN ROLE`
// `crm user deactivate LOGIN [--reassign-to L | --contacts-to L --deals-to L --followups-to L] [--dry-run] [--list-out FILE] [--json]`
// `crm user reactivate LOGIN` · `crm user handover LOGIN --reassign-to L ... | --undo N` · `crm user handovers`
// `crm user new-logins on|off`
//
// Every action is one transaction, audited as the acting user (--user, else
// the login), and checked against that user's role (CRMCore `Permission`).
enum UserCommand {
    struct Options {
        var positionals: [String] = []
        var name: String?
        var role: Role?
        var plan = HandoverPlan()
        var dryRun = false
        var listOut: String?
        var json = false
        var undo: Int64?
        var user: String?
        var db: String?
    }

    static let actions = ["list", "add", "rename", "set-role", "deactivate", "reactivate", "handover", "handovers", "new-logins"]

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "user")
        var o = Options()
        while let arg = reader.next() {
            switch arg {
            case .positional(let text): o.positionals.append(text)
            case .option("--name", let v): o.name = try reader.value("--name", inline: v, expected: "the user's full name")
            case .option("--role", let v): o.role = try role(try reader.value("--role", inline: v, expected: "admin, manager or rep"), reader)
            case .option("--reassign-to", let v): o.plan = HandoverPlan(everythingTo: try reader.value("--reassign-to", inline: v, expected: "a login"))
            case .option("--contacts-to", let v): o.plan.contactsTo = try reader.value("--contacts-to", inline: v, expected: "a login")
            case .option("--deals-to", let v): o.plan.dealsTo = try reader.value("--deals-to", inline: v, expected: "a login")
            case .option("--followups-to", let v): o.plan.followUpsTo = try reader.value("--followups-to", inline: v, expected: "a login")
            case .option("--dry-run", let v): o.dryRun = try reader.flag("--dry-run", inline: v)
            case .option("--list-out", let v): o.listOut = try reader.value("--list-out", inline: v, expected: "a file for the handover list (.csv or .json)")
            case .option("--json", let v): o.json = try reader.flag("--json", inline: v)
            case .option("--undo", let v):
                let text = try reader.value("--undo", inline: v, expected: "a handover number")
                guard let n = Int64(text), n > 0 else { throw reader.fail("--undo is \"\(text)\"; expected a handover number (see `crm user handovers`)") }
                o.undo = n
            case .option("--user", let v): o.user = try reader.value("--user", inline: v, expected: "a login name")
            case .option("--db", let v): o.db = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("user"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        guard let action = o.positionals.first else {
            throw reader.fail("expected an action: \(actions.joined(separator: ", "))")
        }
        guard actions.contains(action) else {
            throw reader.fail("unknown action \"\(action)\"; expected \(actions.joined(separator: ", "))")
        }
        // Only a hand-over (or a deactivation with one) has a dry run; any
        // other action with --dry-run is refused rather than done for real (QA 29 #1).
        if o.undo != nil && o.dryRun {
            throw reader.fail("--dry-run goes with a hand-over, not with --undo; crm user handovers lists what each one moved")
        }
        if o.dryRun, let action = o.positionals.first, action != "deactivate" && action != "handover" {
            throw reader.fail("--dry-run goes with deactivate and handover (what would move); crm user \(action) has none")
        }
        // An option the action does not use is refused, not ignored (QA 43 #11).
        let uses: [(option: String, given: Bool, by: [String])] = [
            ("--name", o.name != nil, ["add", "rename"]), ("--role", o.role != nil, ["add"]),
            ("--reassign-to (and --contacts-to, --deals-to, --followups-to)", !o.plan.isEmpty, ["deactivate", "handover"]),
            ("--list-out", o.listOut != nil, ["deactivate", "handover"]),
            ("--json", o.json, ["list", "handovers", "deactivate", "handover"]), ("--undo", o.undo != nil, ["handover"]),
        ]
        if let unused = uses.first(where: { $0.given && !$0.by.contains(action) }) {
            throw reader.fail("\(unused.option) goes with crm user \(unused.by.joined(separator: ", ")); crm user \(action) does not use it")
        }
        let rest = Array(o.positionals.dropFirst())
        func arguments(_ names: String...) throws -> [String] {
            guard rest.count == names.count else {
                throw reader.fail("crm user \(action) takes \(names.isEmpty ? "no argument" : names.joined(separator: " ")), got \(rest.count == 0 ? "none" : rest.map { "\"\($0)\"" }.joined(separator: " "))")
            }
            return rest
        }
        // `crm user add` may start a new database file: its first user (you) is the admin.
        let missing = "create one with 'crm user add LOGIN --db PATH' or by opening crm"
        let hint: String? = action == "add" ? nil : missing
        _ = try Paths.target(option: o.db)

        if action == "list" || action == "handovers" {
            _ = try arguments()
            return try Opening.reading(option: o.db, acting: .person(o.user), mustExist: missing) { db in
                action == "list" ? try list(db, json: o.json) : try handovers(db, json: o.json)
            }
        }
        // What a usage error can be found in is checked before the database
        // is opened, and a stranger is refused before the opening would
        // enrol them: a mistyped or refused command writes nothing (QA 41 #3).
        try checkArguments(action, o, reader: reader, arguments: arguments)
        try refuseAStranger(o)
        var listFile: ListFile?
        if let out = o.listOut { listFile = try ListFile(path: out, json: o.json) }
        do {
            return try act(action, o, reader: reader, arguments: arguments, hint: hint, listFile: listFile)
        } catch {
            // Refused or failed: nothing moved, so no list file is left either.
            listFile?.discard()
            throw error
        }
    }

    /// The arguments each writing action takes, checked before anything is opened.
    static func checkArguments(_ action: String, _ o: Options, reader: ArgumentReader,
                               arguments: (String...) throws -> [String]) throws {
        switch action {
        case "add": _ = try arguments("LOGIN")
        case "rename": _ = try arguments("LOGIN", "NEW")
        case "set-role": _ = try role(try arguments("LOGIN", "ROLE")[1], reader)
        case "deactivate", "reactivate": _ = try arguments("LOGIN")
        case "new-logins":
            let value = try arguments("on|off")[0].lowercased()
            guard value == "on" || value == "off" else { throw reader.fail("crm user new-logins takes on or off, not \"\(value)\"") }
        case "handover":
            if o.undo != nil { _ = try arguments(); return }
            _ = try arguments("LOGIN")
            if o.plan.isEmpty { throw reader.fail("say who takes the work: --reassign-to LOGIN, or --contacts-to/--deals-to/--followups-to") }
        default: break
        }
    }

    /// On an existing SQLite file that creates logins on first use (the
    /// demo's), a login that is none of its users is refused here: opening
    /// would create them as a rep only for every user action to refuse a
    /// rep. (Elsewhere the opening refuses an unknown login itself, exit 67;
    /// on PostgreSQL the server knows the role.)
    static func refuseAStranger(_ o: Options) throws {
        guard Paths.namesFile(option: o.db), newDatabaseFile(option: o.db) == nil,
              let login = Acting.person(o.user).sqliteLogin else { return }
        let stranger = try Opening.reading(option: o.db) { db in
            try db.userRepository.createsUsersOnFirstUse() && db.userRepository.find(login: login) == nil
                && !(try db.userRepository.all().isEmpty)
        }
        if stranger {
            throw Failure("you (\(login)) are not a user of this database, and only an admin manages users: an admin adds you "
                          + "with crm user add \(login), or name yourself with --user LOGIN; nothing was changed",
                          status: ExitCode.noPermission)
        }
    }

    /// The SQLite file `crm user add` is about to create, or nil when it
    /// exists already (or the database is on a server).
    static func newDatabaseFile(option: String?) -> String? {
        guard case .sqlite(let path)? = try? Paths.target(option: option).target else { return nil }
        var info = stat()
        return lstat(path, &info) == 0 ? nil : path
    }

    static func act(_ action: String, _ o: Options, reader: ArgumentReader, arguments: (String...) throws -> [String],
                    hint: String?, listFile: ListFile?) throws -> Int32 {
        let newFile = newDatabaseFile(option: o.db)
        let db = try Opening.repositories(option: o.db, acting: .person(o.user), mustExist: hint)
        let users = db.userRepository
        switch action {
        case "add":
            let added = try users.add(login: try arguments("LOGIN")[0], name: o.name ?? "", role: o.role ?? .rep)
            if let newFile {
                // Whoever starts a database is its admin: say so, so nobody
                // is surprised later by who may manage users.
                Output.print("created the new database \(newFile); you (\(db.currentUser.login)) are its admin")
            }
            Output.print("added \(added.login) (\(added.name)) as \(added.role.withArticle)")
        case "rename":
            let a = try arguments("LOGIN", "NEW")
            let renamed = try users.rename(login: a[0], to: a[1])
            if let name = o.name { _ = try users.setName(login: renamed.login, name: name) }
            Output.print("renamed \(a[0]) to \(renamed.login); everything they wrote carries the new login")
            if case (.postgres, _)? = try? Paths.target(option: o.db) {
                // The login role was renamed too: with peer authentication the
                // server lets in only the OS account of the role's name (QA 33 #12).
                Output.error("note: the PostgreSQL login role is now \(renamed.login); with peer authentication \(a[0]) can no longer "
                             + "connect until their OS account is \(renamed.login) too, or a pg_ident.conf map lets \(a[0]) in as \(renamed.login)")
            }
        case "set-role":
            let a = try arguments("LOGIN", "ROLE")
            let changed = try users.setRole(login: a[0], role: try role(a[1], reader))
            Output.print("\(changed.login) is now \(changed.role.withArticle)")
        case "reactivate":
            let login = try arguments("LOGIN")[0]
            if let user = try users.find(login: login), user.isActive {
                try UserRefusal.check(.manageUsers, for: db.currentUser)
                Output.print("\(user.login) is already active; nothing changed")
                return ExitCode.ok
            }
            let back = try users.reactivate(login: login)
            Output.print("\(back.login) is active again and may open the CRM")
        case "new-logins":
            let value = try arguments("on|off")[0].lowercased()   // checked before opening
            try users.setCreatesUsersOnFirstUse(value == "on")
            Output.print(value == "on" ? "an unknown login is now created (as a rep) when it first opens the CRM"
                                       : "an unknown login is now refused; an admin adds users with `crm user add`")
        case "deactivate", "handover":
            if action == "handover", let n = o.undo {
                _ = try arguments()
                let (restored, skipped) = try users.undoHandover(n)
                Output.print("handover \(n) undone: \(restored) record\(restored == 1 ? "" : "s") back with their former owner")
                for line in skipped { Output.error("crm: \(line)") }
                return ExitCode.ok
            }
            let leaver = try arguments("LOGIN")[0]   // and the plan: checked before opening
            // Who may, before what they hold: a refused user learns nothing.
            try UserRefusal.check(action == "deactivate" ? .manageUsers : .reassignRecords, for: db.currentUser)
            // What they hold: all a dry run says; otherwise said with the
            // outcome, once the move is done (QA 41 #11: printed before a
            // refusal, such as the last admin's, it read as if something were
            // about to move).
            let counts = try users.holdings(of: leaver)
            let holdings = "crm: \(counts.sentence(for: leaver))"
            if o.dryRun {
                Output.error(holdings)
                // Said as what it is (QA 44: only the holdings were printed).
                let p = o.plan
                let heirs = Set([p.contactsTo, p.dealsTo, p.followUpsTo].compactMap { $0 })
                let to = heirs.count == 1 ? "to \(heirs.first!)"
                    : [("contacts and companies", p.contactsTo), ("open deals", p.dealsTo), ("open follow-ups", p.followUpsTo)]
                        .compactMap { what, who in who.map { "\(what) to \($0)" } }.joined(separator: ", ")
                Output.print("dry run: nothing moved; \(action == "deactivate" ? "deactivating \(leaver) would hand" : "the hand-over would move") "
                             + "\(leaver)'s records \(to)")
                return ExitCode.ok
            }
            if action == "handover", counts.total == 0 {
                // Said as the outcome it is, not as a failure (QA 41 #11).
                Output.print("nothing to hand over: \(leaver) owns no contacts, companies, open deals or open follow-ups, so no handover was made")
                return ExitCode.ok
            }
            // With --json on stdout, stdout holds the JSON alone (QA 43 #4):
            // the sentences go to stderr.
            let say: (String) -> Void = o.json && listFile == nil ? { Output.error("crm: \($0)") } : { Output.print($0) }
            let handover: Handover?
            if action == "deactivate" {
                handover = try users.deactivate(login: leaver, handover: o.plan).1
                Output.error(holdings)
                say("\(leaver) is deactivated: they can no longer open the CRM; their name stays on what they wrote")
            } else {
                handover = try users.handOver(from: leaver, plan: o.plan)
                Output.error(holdings)
            }
            if let handover {
                say("handover \(handover.id): \(handover.summary) (undo: crm user handover --undo \(handover.id))")
                if let listFile { try listFile.write(handover) } else if o.json { Output.print(try JSONText.encode(handoverJSON(handover))) }
            }
        default:
            throw reader.fail("crm user \(action) does not write; it needs no write access")
        }
        return ExitCode.ok
    }

    static func role(_ text: String, _ reader: ArgumentReader) throws -> Role {
        guard let role = Role(parsing: text) else { throw reader.fail("there is no role \"\(text)\"; the roles are admin, manager and rep") }
        return role
    }

    static func list(_ db: any CRMRepositories, json: Bool) throws -> Int32 {
        let users = try db.userRepository.all()
        if json {
            Output.print(try JSONText.encode(["users": users.map { ["login": $0.login, "name": $0.name, "role": $0.role.rawValue, "active": $0.isActive] as [String: Any] }]))
        } else {
            for user in users { Output.fields([user.login, user.name, user.role.rawValue, user.isActive ? "active" : "deactivated"]) }
            if try db.userRepository.createsUsersOnFirstUse() {
                // On PostgreSQL the server admits only its roles: an unknown
                // one is refused whatever the setting, and only the owner's
                // or a superuser's --user creates a user (QA 38 B-F4).
                Output.error(!(db is Database)
                    ? "crm: this database creates an unknown --user of its owner or a superuser on first use, with its login role (`crm user new-logins off` stops it)"
                    : "crm: this database creates an unknown login on first use (`crm user new-logins off` stops it)")
            }
        }
        return ExitCode.ok
    }

    static func handovers(_ db: any CRMRepositories, json: Bool) throws -> Int32 {
        let rows = try db.userRepository.handovers(limit: 50)
        if json {
            Output.print(try JSONText.encode(["handovers": rows.map {
                ["id": $0.id, "at": $0.at.isoUTCText, "from": $0.from, "records": $0.items, "undone": $0.undone] as [String: Any]
            }]))
        } else if rows.isEmpty {
            Output.print("No hand-overs yet.")
        } else {
            // Times in the settings' calendar and time zone, as every other listing.
            let tf = TimeFormat(settings: CommandSettings.load())
            for row in rows {
                Output.fields(["\(row.id)", tf.long(row.at), row.from, "\(row.items) records", row.undone ? "undone" : ""])
            }
        }
        return ExitCode.ok
    }

    static func handoverJSON(_ h: Handover) -> [String: Any] {
        ["handover": h.id, "from": h.fromLogin,
         "moved": h.items.map { ["kind": $0.entity, "id": $0.id, "name": $0.name, "from": $0.fromLogin, "to": $0.toLogin] as [String: Any] }]
    }

    /// The handover list's file: made before the database is touched (0600,
    /// never through a symbolic link, never over an existing file), written
    /// after the move committed.
    struct ListFile {
        let path: String
        let json: Bool
        let fd: Int32

        init(path: String, json: Bool) throws {
            self.path = path
            self.json = json || path.lowercased().hasSuffix(".json")
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                let reason = errno
                var isFolder: ObjCBool = false
                if reason == EEXIST, FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                    throw Failure("cannot create the handover list \(path): it is a folder; name a file in it", status: ExitCode.cantCreate)
                }
                throw Failure("cannot create the handover list \(path): \(String(cString: strerror(reason)))"
                              + (reason == EEXIST ? " (it exists; crm never writes over a file)" : ""), status: ExitCode.cantCreate)
            }
            fchmod(fd, 0o600)
        }

        /// Removes the file this command made (empty: nothing was written).
        func discard() {
            close(fd)
            unlink(path)
        }

        func write(_ handover: Handover) throws {
            defer { close(fd) }
            let text: String
            if json {
                text = try JSONText.encode(UserCommand.handoverJSON(handover)) + "\n"
            } else {
                text = CSVField.record(["kind", "id", "name", "from", "to"])
                    + handover.items.map { CSVField.record([$0.entity, "\($0.id)", $0.name, $0.fromLogin, $0.toLogin]) }.joined()
            }
            let ok = Array(text.utf8).withUnsafeBytes { bytes in
                Glibc.write(fd, bytes.baseAddress, bytes.count) == bytes.count
            }
            guard ok else { throw Failure("cannot write the handover list \(path): \(String(cString: strerror(errno)))", status: ExitCode.ioError) }
            Output.error("crm: the handover list is in \(path)")
        }
    }
}
