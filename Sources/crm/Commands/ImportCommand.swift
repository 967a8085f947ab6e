import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm import FILE [--format csv|vcard|json] [--map SPEC] [--encoding NAME]
//      [--dry-run] [--on-duplicate skip|merge|create] [--owner LOGIN] [--tag TAG]
//      [--skip-invalid] [--user LOGIN] [--db PATH]`
// `crm import --list [--db PATH]`
// `crm import --undo BATCH [--force] [--user LOGIN] [--db PATH]`
//
// A real import is one transaction: all of the file or nothing. A row that
// cannot be taken refuses the whole import (exit 65, every rejected line
// listed) unless --skip-invalid; a dry run exits as the real import would
// (0, or 65 when rows would be rejected), so `crm import F --dry-run && crm
// import F` imports only a clean file.
enum ImportCommand {
    struct Options {
        var file: String?
        var format: ImportFormat?
        var mapping: String?
        var encoding: String?
        var dryRun = false
        var policy = DuplicatePolicy.skip
        var owner: String?
        var tag: String?
        var skipInvalid = false
        var user: String?
        var db: String?
        var list = false
        var undo: Int64?
        var force = false
    }

    static func run(_ args: [String]) throws -> Int32 {
        guard let o = try parse(args) else { return ExitCode.ok }
        // A connection string that does not parse is said before anything is read.
        _ = try Paths.target(option: o.db)
        if o.list { return try list(o.db) }
        if let batch = o.undo { return try undo(batch, force: o.force, dbOption: o.db, user: o.user) }
        return try importFile(o)
    }

    static func parse(_ args: [String]) throws -> Options? {
        var reader = ArgumentReader(args, command: "import")
        var o = Options()
        let policies = DuplicatePolicy.allCases.map(\.rawValue).joined(separator: ", ")
        while let arg = reader.next() {
            switch arg {
            case .option("--format", let v):
                let text = try reader.value("--format", inline: v, expected: "csv, vcard or json")
                guard let format = ImportFormat.named(text) else { throw reader.fail("--format is \"\(text)\"; expected csv, vcard or json") }
                o.format = format
            case .option("--map", let v): o.mapping = try reader.value("--map", inline: v, expected: "'Column=field,…', e.g. 'Vorname=first_name,Tel=phone:work'")
            case .option("--encoding", let v): o.encoding = try reader.value("--encoding", inline: v, expected: TextEncoding.acceptedNames)
            case .option("--dry-run", let v): o.dryRun = try reader.flag("--dry-run", inline: v)
            case .option("--on-duplicate", let v):
                let text = try reader.value("--on-duplicate", inline: v, expected: policies)
                guard let policy = DuplicatePolicy(rawValue: text) else { throw reader.fail("--on-duplicate is \"\(text)\"; expected \(policies)") }
                o.policy = policy
            case .option("--owner", let v): o.owner = try reader.value("--owner", inline: v, expected: "the login of the contacts' owner")
            case .option("--tag", let v):
                let tag = try reader.value("--tag", inline: v, expected: "a tag for every imported contact")
                guard tag.count <= 50, !tag.contains(",") else { throw reader.fail("--tag \"\(tag)\" is not a tag; expected at most 50 characters and no comma") }
                o.tag = tag
            case .option("--skip-invalid", let v): o.skipInvalid = try reader.flag("--skip-invalid", inline: v)
            case .option("--user", let v): o.user = try reader.value("--user", inline: v, expected: "a login name")
            case .option("--db", let v): o.db = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--list", let v): o.list = try reader.flag("--list", inline: v)
            case .option("--undo", let v):
                let text = try reader.value("--undo", inline: v, expected: "a batch number (crm import --list shows them)")
                guard let id = Int64(text), id > 0 else { throw reader.fail("--undo is \"\(text)\"; expected a batch number (crm import --list shows them)") }
                o.undo = id
            case .option("--force", let v): o.force = try reader.flag("--force", inline: v)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("import"))
                return nil
            case .positional(let text):
                guard o.file == nil else { throw reader.fail("unexpected argument \"\(text)\"; import reads one file at a time") }
                o.file = text
            default: throw reader.unknown(arg)
            }
        }
        if o.list || o.undo != nil {
            if o.file != nil { throw reader.fail("--\(o.list ? "list" : "undo") takes no FILE") }
            if o.list && o.undo != nil { throw reader.fail("--list and --undo are two commands; give one") }
            // An undo has no dry run: refused rather than done for real (QA 29 #1).
            if o.dryRun {
                throw reader.fail(o.undo != nil
                    ? "--dry-run goes with an import of FILE; an undo has none (crm import --list shows what each batch created)"
                    : "--dry-run goes with an import of FILE, not with --list")
            }
        } else if o.file == nil {
            throw reader.fail("name the file to import, e.g. crm import contacts.csv --dry-run")
        }
        if o.force && o.undo == nil { throw reader.fail("--force goes with --undo") }
        return o
    }

    // MARK: importing a file

    static func importFile(_ o: Options) throws -> Int32 {
        // The file first: a missing or unreadable one is said before any
        // database is opened, and nothing is written. A pipe is read once,
        // into a private copy (`ImportInput`); messages name what was given.
        let input = try ImportInput(o.file!)
        let file = input.path
        // A pipe's name (`<(…)`: /dev/fd/63) is said whole, not as "63".
        let label = input.named == "-" ? "standard input"
            : input.named.hasPrefix("/dev/") || input.named.hasPrefix("/proc/") ? input.named : (input.named as NSString).lastPathComponent
        let opener = ImportOpener.standard
        let readerOptions = ImportOpener.Options(format: o.format, mapping: o.mapping, encoding: o.encoding)
        let format: ImportFormat
        let reader: any ImportReader
        do {
            format = try opener.format(of: file, options: readerOptions)
            if format == .json, try ExportFileHeader.read(path: file)?.kind == .all {
                // A complete copy is loaded whole into an empty database (crm export all).
                guard !o.dryRun else {
                    throw Failure("\(input.named) is a complete copy ('crm export all'); it loads whole into a new, empty database, "
                                  + "so there is no dry run: import it into a new --db", status: ExitCode.usage)
                }
                try SnapshotImport.run(file: file, dbOption: o.db, login: o.user)
                return ExitCode.ok
            }
            reader = try opener.open(file, options: readerOptions)
        } catch var error as ImportFileError {
            error.path = input.named
            throw Failure(error.description, status: error.status)
        }
        let options = ImportOptions(label: label, format: ImportOpener.formatLabel(format, reader: reader), ownerLogin: o.owner,
                                    tag: o.tag, onDuplicate: o.policy, dryRun: o.dryRun, skipInvalid: o.skipInvalid)
        let note = ImportOpener.readingNote(reader: reader)
        // Ctrl-C or SIGTERM stops between two rows: the transaction rolls
        // back and the import says so (a second one ends crm at once).
        InterruptFlag.install()
        defer { InterruptFlag.remove() }
        var source: any ImportSource = InterruptibleImportSource(ImportReaderSource(reader)) { InterruptFlag.signal != nil }
        let progress = isatty(STDERR_FILENO) == 1
            ? { (p: ImportProgress) in Output.error("crm: import: \(ImportBatch.count(p.rowsRead, "row")) read…") } : nil
        let print: (ImportOutcome) -> Void = { outcome in
            if let line = ImportWording.line(outcome, dryRun: o.dryRun) { Output.print(line) }
        }
        // `crm bench --only import` asks its child where the time went.
        if !o.dryRun, let path = Paths.environment[ImportBench.phasesVariable], !path.isEmpty {
            SQLiteImportRepository.onPhase = { name, ms in ImportBench.note(phase: name, ms: ms, in: path) }
        }
        let summary: ImportSummary
        do {
            summary = try withDatabase(o) { db in
                // The importing user is created (on first use) inside the
                // import's transaction: a refused import leaves no trace.
                if o.dryRun {
                    return try db.importRepository.importContacts(from: &source, options: options, progress: progress, onOutcome: print)
                }
                return try db.transaction {
                    // On PostgreSQL the importing user signed in on opening
                    // (the server knows the role; nothing is created then).
                    // Created only where the database takes new logins, as
                    // every other command signs in (QA 43 #2).
                    if let file = db as? Database { try file.act(as: o.user ?? Paths.login, newLogins: .asTheDatabaseSays) }
                    return try db.importRepository.importContacts(from: &source, options: options, progress: progress, onOutcome: print)
                }
            }
        } catch let refused as ImportRefused {
            for line in ImportWording.summary(refused.summary, file: label, format: options.format, note: note,
                                              keptInNotes: ImportOpener.labelsKeptInNotes(reader: reader),
                                              emptyRows: ImportOpener.emptyRowsSkipped(reader: reader), dryRun: true) {
                Output.print(line)
            }
            throw Failure("\(refused); fix the rejected lines, or import the others with --skip-invalid", status: ExitCode.dataError)
        } catch let unknown as ImportUnknownOwner {
            throw Failure("--owner: \(unknown); nothing was imported", status: ExitCode.noUser)
        } catch var error as ImportFileError {
            error.path = input.named
            throw Failure("\(error.description); nothing was imported", status: error.status)
        } catch let interrupted as ImportInterrupted {
            throw Failure("\(interrupted)", status: InterruptFlag.status(InterruptFlag.signal ?? SIGINT))
        }
        if let sig = InterruptFlag.signal, !o.dryRun, let batch = summary.batchID {
            // The stop came after the last row was read: the import had
            // committed by the time it could be acted on. Say so, truthfully.
            throw Failure("interrupted after the import was committed as batch \(batch); undo it with: crm import --undo \(batch)",
                          status: InterruptFlag.status(sig))
        }
        for line in ImportWording.summary(summary, file: label, format: options.format, note: note,
                                          keptInNotes: ImportOpener.labelsKeptInNotes(reader: reader),
                                          emptyRows: ImportOpener.emptyRowsSkipped(reader: reader), dryRun: o.dryRun) {
            Output.print(line)
        }
        if o.dryRun {
            Output.print(summary.rejected > 0 && !o.skipInvalid
                ? "Nothing was written. A real import would refuse this file for its rejected rows (or take the others with --skip-invalid)."
                : "Nothing was written (dry run).")
            return summary.rejected > 0 && !o.skipInvalid ? ExitCode.dataError : ExitCode.ok
        }
        if let batch = summary.batchID {
            Output.print("Imported as batch \(batch); undo it with: crm import --undo \(batch)")
        }
        return ExitCode.ok
    }

    /// Runs `body` on the database: read-only for a dry run (a missing file
    /// reads as an empty database, in a private temporary folder, so the
    /// user's path is never created), else opened for writing.
    static func withDatabase<T>(_ o: Options, _ body: (any CRMRepositories) throws -> T) throws -> T {
        let target = try Paths.target(option: o.db).target
        guard case .sqlite(let path) = target else {
            // A server database: a dry run writes nothing there either (the
            // repository says what would happen without committing).
            let db = try Opening.repositories(option: o.db, acting: .person(o.user))
            do { return try body(db) } catch let error as RepositoryError { throw Failure(error, path: target.name) }
        }
        let login = o.user ?? Paths.login
        let region = SettingsFile.load(path: SettingsFile.path()).settings.phoneRegion
        guard o.dryRun else { return try body(try Opening.database(at: path, login: nil)) }
        if !FileManager.default.fileExists(atPath: path) {
            let folder = Paths.temporaryFolder + "/crm-import-\(getpid())-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let empty = try Database(path: folder + "/empty.db", login: login, phoneRegion: region)
            return try body(empty)
        }
        do {
            return try body(try Database(path: path, mode: .read, login: login, newLogins: .asTheDatabaseSays, phoneRegion: region))
        } catch let error as RepositoryError {
            throw Failure(error, path: path)
        }
    }

    // MARK: list and undo

    static func list(_ dbOption: String?) throws -> Int32 {
        let batches = try Opening.reading(option: dbOption, mustExist: "nothing was imported yet") {
            try $0.importRepository.importBatches(limit: 1_000)
        }
        if batches.isEmpty {
            Output.print("No imports yet.")
            return ExitCode.ok
        }
        // Times in the settings' calendar and time zone, as every other listing.
        let tf = TimeFormat(settings: CommandSettings.load())
        for b in batches {
            var line = "\(b.id)\t\(tf.long(b.at))\t\(b.sentence)"
            line += " (\(b.rowsRead) rows: \(b.created) created, \(b.merged) merged, \(b.skipped) skipped, \(b.rejected) rejected)"
            if let at = b.undoneAt { line += "\tundone by \(b.undoneBy ?? "someone") at \(tf.long(at))" }
            Output.print(line)
        }
        return ExitCode.ok
    }

    static func undo(_ batch: Int64, force: Bool, dbOption: String?, user: String?) throws -> Int32 {
        let path = Opening.targetName(option: dbOption)
        let db = try Opening.repositories(option: dbOption, acting: .person(user), mustExist: "nothing was imported yet")
        do {
            let result = try db.importRepository.undoImport(batch, force: force)
            var parts = ["removed \(ImportBatch.count(result.contactsRemoved, "contact"))"]
            if result.contactsTrashed > 0 { parts.append("moved \(ImportBatch.count(result.contactsTrashed, "contact")) with records added since to the trash") }
            if result.mergesReverted > 0 { parts.append("put back \(ImportBatch.count(result.mergesReverted, "merged contact"))") }
            if result.companiesRemoved > 0 { parts.append("removed \(ImportBatch.count(result.companiesRemoved, "company", plural: "companies"))") }
            Output.print("Undid import \(batch): " + parts.joined(separator: ", "))
            if !result.companiesKept.isEmpty {
                Output.print("Kept, because others use them now: " + result.companiesKept.joined(separator: ", "))
            }
            return ExitCode.ok
        } catch let refusal as ImportUndoRefusal {
            // Times in the settings' calendar and time zone, as --list gives them.
            let tf = TimeFormat(settings: CommandSettings.load())
            let text = refusal.text(times: tf.long)
            for line in text.changes { Output.print(line) }
            throw Failure(text.message, status: refusal.notPermitted ? ExitCode.noPermission : ExitCode.failure)
        } catch RepositoryError.notFound {
            throw Failure("there is no import batch \(batch) in \(path); crm import --list shows them", status: ExitCode.failure)
        } catch {
            throw Failure(error, path: path)
        }
    }
}
