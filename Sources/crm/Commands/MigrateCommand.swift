import CRMCore
import CRMRepositories
import CRMStore
import CRMStorePostgres
import Foundation

/// `crm migrate --from SOURCE --to TARGET`: copies a whole database —
/// every table a user can see, trash, stage and lifecycle history, the audit
/// log, with the same ids — from SQLite to PostgreSQL, or back into a new
/// SQLite file (a laptop copy), in one transaction on the target; then counts
/// every table on both sides and prints the comparison.
enum MigrateCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "migrate")
        var from: String?, to: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--from", let v): from = try reader.value("--from", inline: v, expected: "a database file or a PostgreSQL URI")
            case .option("--to", let v): to = try reader.value("--to", inline: v, expected: "a PostgreSQL URI or a new database file")
            case .option("--db", let v): from = try reader.value("--db", inline: v, expected: "a database file or a PostgreSQL URI")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("migrate"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        guard let to else { throw reader.fail("name where to copy to, e.g. crm migrate --from team.db --to postgresql:///crm") }
        let source = try DatabaseTarget.parse(from ?? Paths.rawDatabase(option: nil).text, option: "--from")
        let target = try DatabaseTarget.parse(to, option: "--to")
        if source == target { throw reader.fail("--from and --to name the same database") }

        let reading = try open(source)
        if case .sqlite(let path) = target, FileManager.default.fileExists(atPath: path) || Opening.danglingLink(path) != nil {
            throw Failure("will not write \(path): it exists; crm migrate copies into a new file only (name another)",
                          status: ExitCode.cantCreate)
        }
        let (writing, created) = try create(target)
        let counts: [(table: SnapshotTable, source: Int)]
        let loaded: SnapshotLoadResult
        do {
            (counts, loaded) = try copy(from: reading, to: writing)
        } catch {
            if let created { try? FileManager.default.removeItem(atPath: created) }
            switch error {
            case let refusal as SnapshotLoadError:
                if case .notEmpty = refusal {
                    throw Failure("\(target.name): \(refusal.description); nothing was copied", status: ExitCode.cantCreate)
                }
                if case .connectionLost = refusal {
                    throw Failure("\(target.name): \(refusal.description)", status: ExitCode.tempFail)
                }
                throw Failure("\(source.name): \(refusal.description); nothing was copied", status: ExitCode.dataError)
            default:
                throw Failure(error, path: target.name)
            }
        }
        let copied = try SnapshotTable.all.map { try writing.snapshotCount($0) }
        Output.print("copied \(source.name)")
        Output.print("    to \(target.name)   (schema \(reading.snapshotSchemaVersion), one transaction)")
        Output.print("")
        Output.print(pad("table", 28) + pad("source", 12, right: true) + pad("copied", 12, right: true))
        var equal = true
        for ((table, sourceCount), targetCount) in zip(counts, copied) {
            let mark = sourceCount == targetCount ? "" : "   DIFFERS"
            if sourceCount != targetCount { equal = false }
            Output.print(pad(table.name, 28) + pad(String(sourceCount), 12, right: true) + pad(String(targetCount), 12, right: true) + mark)
        }
        let total = counts.reduce(0) { $0 + $1.source }
        Output.print("")
        guard equal else {
            Output.error("crm: the row counts differ (above); the copy at \(target.name) is not complete")
            return ExitCode.dataError
        }
        Output.print("\(total) rows in \(counts.count) tables: every count equal (\(loaded.total) rows loaded)")
        return ExitCode.ok
    }

    /// Every table of `reading`, read in one consistent view, loaded into
    /// the empty `writing` in one transaction (`crm bench --db postgresql://`
    /// fills its PostgreSQL database the same way); the source's counts.
    static func copy(from reading: any SnapshotCopying, to writing: any SnapshotCopying) throws
        -> (counts: [(table: SnapshotTable, source: Int)], loaded: SnapshotLoadResult) {
        try reading.consistentRead {
            let counts = try SnapshotTable.all.map { ($0, try reading.snapshotCount($0)) }
            var tables = SnapshotTable.all[...]
            var page: [SnapshotRow] = [], index = 0, last: [SnapshotValue]? = nil
            let loaded = try writing.loadSnapshot(schemaVersion: reading.snapshotSchemaVersion) {
                while index >= page.count {
                    guard let table = tables.first else { return nil }
                    page = try reading.snapshotRows(table, after: last, limit: 1000)
                    index = 0
                    if page.isEmpty { tables.removeFirst(); last = nil; continue }
                    last = table.key.map { name in page[page.count - 1].values[table.columns.firstIndex(of: name)!] }
                }
                defer { index += 1 }
                return page[index]
            }
            return (counts, loaded)
        }
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(1, width - text.count))
        return right ? gap + text : text + gap
    }

    /// The source, read only (a PostgreSQL source is brought to this crm's schema first).
    private static func open(_ source: DatabaseTarget) throws -> any SnapshotCopying {
        switch source {
        case .sqlite(let path):
            try Opening.mustExist(path, hint: "nothing to copy")
            return try Opening.database(at: path, mode: .read).export
        case .postgres(let conninfo):
            do { return PGSnapshotStore(db: try PostgresDatabase(conninfo: conninfo)) } catch { throw Failure(error, path: source.name) }
        }
    }

    /// The target, with its schema made; a new SQLite file is also returned,
    /// to be removed when the copy fails.
    private static func create(_ target: DatabaseTarget) throws -> (any SnapshotCopying, String?) {
        switch target {
        case .sqlite(let path):
            return (try Opening.database(at: path).export, path)
        case .postgres(let conninfo):
            do { return (PGSnapshotStore(db: try PostgresDatabase(conninfo: conninfo)), nil) } catch { throw Failure(error, path: target.name) }
        }
    }
}

/// What a whole-database copy needs of either engine: both the SQLite export
/// repository and the PostgreSQL snapshot store have exactly these.
protocol SnapshotCopying {
    var snapshotSchemaVersion: Int { get }
    func consistentRead<T>(_ body: () throws -> T) throws -> T
    func snapshotCount(_ table: SnapshotTable) throws -> Int
    func snapshotRows(_ table: SnapshotTable, after key: [SnapshotValue]?, limit: Int) throws -> [SnapshotRow]
    func loadSnapshot(schemaVersion: Int, _ next: () throws -> SnapshotRow?) throws -> SnapshotLoadResult
}

extension SQLiteExportRepository: SnapshotCopying {}
extension PGSnapshotStore: SnapshotCopying {}
