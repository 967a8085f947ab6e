import CRMBench
import CRMRepositories
import CRMStore
import CRMStorePostgres
import Foundation

/// `crm bench --db postgresql://…`: the PostgreSQL side of the bench holds
/// the same data as the SQLite bench file — copied into it, as `crm
/// migrate` copies (one transaction, same ids), when it is empty; reused
/// when it already holds at least the contacts asked for.
enum BenchPostgres {
    static func prepare(conninfo: String, from sqlitePath: String, contacts: Int, progress: (String) -> Void) throws {
        let name = PGConnection.redacted(conninfo)
        // Held in locals: repositories keep only an unowned reference to their database.
        let target = try PostgresDatabase(conninfo: conninfo)
        let existing = try target.contactRepository.count(filter: ContactFilter())
        if existing >= contacts {
            Output.print("postgresql: \(name) reused (already had \(existing) contacts)")
            return
        }
        if existing > 0 {
            throw Failure("\(name) has only \(existing) contacts, fewer than --contacts \(contacts); name an empty database (createdb) or another",
                          status: ExitCode.failure)
        }
        progress("copying \(sqlitePath) into \(name) ...")
        let source = try Database(path: sqlitePath, mode: .read)
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let (counts, loaded) = try MigrateCommand.copy(from: source.export, to: PGSnapshotStore(db: target))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let rows = counts.reduce(0) { $0 + $1.source }
            Output.print("postgresql: \(name) filled from the bench file in \(String(format: "%.1f", seconds)) s "
                         + "(\(loaded.total) of \(rows) rows, one transaction, as crm migrate copies)")
        } catch let refusal as SnapshotLoadError {
            throw Failure("\(name): \(refusal.description); name an empty database for the bench", status: ExitCode.cantCreate)
        }
    }
}
