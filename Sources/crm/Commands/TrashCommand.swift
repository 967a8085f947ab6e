import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm trash list [--kind K] [--json] [--db PATH]`
// `crm trash restore KIND ID [--user LOGIN] [--db PATH]`
// `crm trash purge [--older-than DAYS | --all] [--kind K] [--user LOGIN] [--db PATH]`
//
// The trash of contacts, companies, deals, follow-ups and interactions. List
// is read-only (the file is opened for reading and never changed); restore
// brings a record back with what went with it; purge (admins only) removes
// for good, in one transaction audited as one action.
enum TrashCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "trash")
        var dbOption: String?, user: String?, kind: TrashKind?, olderThan: Int?
        var json = false, all = false
        var positional: [String] = []
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--user", let v): user = try reader.value("--user", inline: v, expected: "a login name")
            case .option("--kind", let v):
                let text = try reader.value("--kind", inline: v, expected: TrashKind.typedNames)
                guard let k = TrashKind(parsing: text) else { throw reader.fail("--kind is \"\(text)\"; expected one of \(TrashKind.typedNames)") }
                kind = k
            case .option("--older-than", let v):
                let text = try reader.value("--older-than", inline: v, expected: "a number of days")
                guard let days = Int(text), days >= 0, days <= 36_500 else {
                    throw reader.fail("--older-than is \"\(text)\"; expected a whole number of days from 0 to 36500")
                }
                olderThan = days
            case .option("--all", let v): all = try reader.flag("--all", inline: v)
            case .option("--json", let v): json = try reader.flag("--json", inline: v)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("trash"))
                return ExitCode.ok
            case .positional(let text): positional.append(text)
            default: throw reader.unknown(arg)
            }
        }
        guard let action = positional.first else { throw reader.fail("expected list, restore or purge, e.g. crm trash list") }
        switch action {
        case "list":
            guard positional.count == 1 else { throw reader.fail("list takes no arguments; filter with --kind") }
            guard olderThan == nil, !all else { throw reader.fail("--older-than and --all go with purge, not list") }
            return try list(dbOption, kind: kind, json: json)
        case "restore":
            guard positional.count == 3, let k = TrashKind(parsing: positional[1]) else {
                throw reader.fail("expected what to restore and its id, e.g. crm trash restore deal 12 (kinds: \(TrashKind.typedNames))")
            }
            let digits = positional[2].hasPrefix("#") ? String(positional[2].dropFirst()) : positional[2]
            guard let id = Int64(digits), id > 0 else { throw reader.fail("ID is \"\(positional[2])\"; expected the id crm trash list shows, e.g. 12") }
            guard kind == nil, olderThan == nil, !all, !json else { throw reader.fail("restore takes only KIND and ID (and --user, --db)") }
            return try write(dbOption, user: user) { db in
                Output.print(try db.trashRepository.restore(k, id).sentence)
            }
        case "purge":
            guard positional.count == 1 else { throw reader.fail("purge takes no arguments; choose with --kind, --older-than or --all") }
            guard !(all && olderThan != nil) else { throw reader.fail("--all and --older-than exclude each other: --all empties the trash") }
            guard !json else { throw reader.fail("--json goes with list") }
            let days = olderThan ?? (all ? nil : SettingsFile.load(path: SettingsFile.path()).settings.trashDays)
            guard all || days != nil else {
                throw reader.fail("no retention set: give --older-than DAYS, --all to empty the trash, or set trash_days in the settings")
            }
            return try write(dbOption, user: user) { db in
                let before = days.map { db.clock.now.addingTimeInterval(-Double($0) * 86_400) }
                Output.print(try db.trashRepository.purge(kind: kind, deletedBefore: before).sentence)
            }
        default:
            throw reader.fail("\"\(action)\" is not a trash action; expected list, restore or purge")
        }
    }

    private static func write(_ dbOption: String?, user: String?, _ body: (any CRMRepositories) throws -> Void) throws -> Int32 {
        do {
            let db = try Opening.repositories(option: dbOption, acting: .person(user))
            try body(db)
            return ExitCode.ok
        } catch let refusal as TrashRefusal {
            switch refusal.reason {
            case .notPermitted: throw Failure(refusal.description, status: ExitCode.noPermission)
            case .notInTrash: throw Failure(refusal.description, status: ExitCode.failure)
            case .belongsToAnother, .mergedAway: throw Failure(refusal.description, status: ExitCode.dataError)
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(error, path: Opening.targetName(option: dbOption))
        }
    }

    /// The schema the trash came with (SchemaV23Trash).
    static let trashSchema = 23

    private static func list(_ dbOption: String?, kind: TrashKind?, json: Bool) throws -> Int32 {
        let loaded = SettingsFile.load(path: SettingsFile.path())
        let tf = TimeFormat(settings: loaded.settings)
        do {
            let entries: [TrashEntry] = try Opening.reading(option: dbOption) { db in
                // Read-only: an older file is read as it is (QA 28 #10), as the
                // other read-only commands read it; one from before the trash
                // (schema 23: deleted_by, trash_links) has none to list.
                if let file = db as? Database, file.schemaVersion < Self.trashSchema {
                    throw Failure("\(file.path) has schema version \(file.schemaVersion), which has no trash yet; "
                                  + "open it once with 'crm --db \(file.path)' to upgrade it", status: ExitCode.dataError)
                }
                // Every entry, page by page (the same keyset the screen pages with).
                var all: [TrashEntry] = [], cursor: TrashCursor?
                while true {
                    let page = try db.trashRepository.entries(kind: kind, after: cursor, limit: 500)
                    all += page
                    guard page.count == 500, let last = page.last else { return all }
                    cursor = last.cursor
                }
            }
            if json {
                Output.json(try JSONText.encode(entries.map { e -> [String: Any] in
                    ["kind": e.kind.typedName, "id": e.id, "title": e.title, "detail": e.detail, "deleted_at": iso(e.deletedAt),
                     "deleted_by": e.deletedBy as Any? ?? NSNull(), "dependents": e.dependents]
                }))
            } else if entries.isEmpty {
                Output.print(kind.map { "No \($0.rawValue) in the trash." } ?? "The trash is empty.")
            } else {
                for e in entries {
                    let with = e.dependents == 0 ? "" : "  (+\(e.dependents) with it)"
                    Output.fields(["\(e.kind.typedName) \(e.id)", e.title + (e.detail.isEmpty ? "" : " · \(e.detail)"),
                                   "deleted \(tf.long(e.deletedAt)) by \(e.deletedBy ?? "unknown")\(with)"])
                }
            }
            return ExitCode.ok
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(error, path: Opening.targetName(option: dbOption))
        }
    }
}
