import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import Foundation

// `crm export [contacts|companies|deals|interactions|followups|all]
//             [--format csv|vcard|json] [--out FILE [--force]] [--vcard-version 3|4] [--db PATH]`
//
// Reads the database without changing it (as lookup does) and writes one
// export to FILE (whole or not at all: see OutputFile) or to stdout.
enum ExportCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "export")
        var kind: ExportKind?
        var format: ExportFormat?
        var out: String?
        var force = false
        var vcardVersion = VCardWriter.Version.v4
        var vcardVersionGiven = false
        var dbOption: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--format", let v):
                let text = try reader.value("--format", inline: v, expected: "csv, vcard or json")
                guard let f = ExportFormat(rawValue: text.lowercased()) else {
                    throw reader.fail("--format is \"\(text)\"; expected csv, vcard or json")
                }
                format = f
            case .option("--out", let v), .option("-o", let v):
                out = try reader.value("--out", inline: v, expected: "the file to write")
                if out == "-" { out = nil }  // the usual name for standard output
            case .option("--force", let v): force = try reader.flag("--force", inline: v)
            case .option("--vcard-version", let v):
                let text = try reader.value("--vcard-version", inline: v, expected: "3 or 4")
                vcardVersionGiven = true
                switch text {
                case "3", "3.0": vcardVersion = .v3
                case "4", "4.0": vcardVersion = .v4
                default: throw reader.fail("--vcard-version is \"\(text)\"; expected 3 or 4")
                }
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("export"))
                return ExitCode.ok
            case .positional(let text):
                guard kind == nil else { throw reader.fail("name one kind to export; got \"\(text)\" as well") }
                guard let k = ExportKind(rawValue: text.lowercased()) else {
                    throw reader.fail("\"\(text)\" is not a kind of export; expected contacts, companies, deals, interactions, followups or all")
                }
                kind = k
            default: throw reader.unknown(arg)
            }
        }
        let chosenKind = kind ?? .contacts
        let chosenFormat = format ?? defaultFormat(kind: chosenKind, out: out)
        if force && out == nil { throw reader.fail("--force replaces the file named by --out; without --out the export goes to standard output") }
        // Ignored, it would leave a script believing it wrote vCard 3 (QA 43 #11).
        if vcardVersionGiven && chosenFormat != .vcard {
            throw reader.fail("--vcard-version goes with a vCard export (--format vcard, or --out NAME.vcf); this one is \(chosenFormat.rawValue)")
        }
        do {
            try Exporter.check(kind: chosenKind, format: chosenFormat)
        } catch let error as ExportRequestError {
            // The format came from --out's extension: say so, not "--format".
            if format == nil, let out {
                let ext = (out as NSString).pathExtension
                throw reader.fail(chosenKind == .all
                    ? "\(out) ends in .\(ext), but 'all' is the complete copy, written as JSON lines only; name the file .jsonl or add --format json"
                    : "\(out) ends in .\(ext), a vCard file, and vCard holds contacts only; for \(chosenKind.rawValue) "
                        + "add --format csv or --format json (or name the file .csv or .json)")
            }
            throw reader.fail(error.message)
        }

        let name = Opening.targetName(option: dbOption)
        let settings = SettingsFile.load(path: SettingsFile.path())
        for problem in settings.problems { Output.error("crm: settings \(settings.path) \(problem)") }

        // An attempt is repeated when the file was written while it was read
        // without locks (see Database.reading): each attempt writes a new
        // temporary file, and only the one that saw the file unchanged is
        // put in place. Standard output cannot be taken back, so there a
        // second attempt gives up instead of writing the export twice.
        var attempts = 0
        let stdout = out == nil ? ExportStdout() : nil
        do {
            let (file, count) = try Opening.reading(option: dbOption) { db -> (OutputFile?, Int) in
                attempts += 1
                if attempts > 1 && stdout != nil {
                    throw Failure("\(name) changed while it was exported; run the export again", status: ExitCode.tempFail)
                }
                // The copy carries every column of the current schema; a file
                // of an older one (read as it is) lacks some.
                if chosenKind == .all, let file = db as? Database, file.schemaVersion < Database.supportedSchemaVersion {
                    throw Failure("\(name) is at schema version \(file.schemaVersion); the complete copy is made at "
                                  + "version \(Database.supportedSchemaVersion): open it once with crm (which upgrades it), then export",
                                  status: ExitCode.dataError)
                }
                let file = try out.map { try OutputFile(path: $0, replace: force) }
                let write: (String) throws -> Void = file.map { f in { try f.write($0) } } ?? { try stdout!.write($0) }
                let exporter = Exporter(repository: db.exportRepository, vcardVersion: vcardVersion)
                let count = try db.exportRepository.consistentRead {
                    try exporter.run(kind: chosenKind, format: chosenFormat, write: write)
                }
                return (file, count)
            }
            try stdout?.flush()
            try file?.commit()
            if let out {
                Output.error("crm: wrote \(count) \(noun(chosenKind, chosenFormat, count)) to \(out)")
            }
        } catch is ExportStdout.Closed {
            return ExitCode.ok
        } catch let error as Failure {
            throw error
        } catch let error as ImportFileError {
            throw Failure(error.description, status: error.status)
        } catch {
            throw Failure(error, path: name)
        }
        return ExitCode.ok
    }

    /// Without --format: by the --out file's extension, else CSV (JSON for
    /// `all`). An extension that names a format the kind cannot take (deals
    /// to .vcf) is refused by the check after, never silently written as CSV.
    static func defaultFormat(kind: ExportKind, out: String?) -> ExportFormat {
        switch ((out ?? "") as NSString).pathExtension.lowercased() {
        case "vcf", "vcard": return .vcard
        case "json", "jsonl", "ndjson": return .json
        case "csv": return .csv
        default: return kind == .all ? .json : .csv
        }
    }

    static func noun(_ kind: ExportKind, _ format: ExportFormat, _ count: Int) -> String {
        switch (kind, format) {
        case (.all, _): "rows"
        case (.contacts, .vcard): count == 1 ? "card" : "cards"
        case (.followups, _): count == 1 ? "follow-up" : "follow-ups"
        default: count == 1 ? String(kind.rawValue.dropLast()) : kind.rawValue
        }
    }
}
