import CRMRepositories
import Foundation

/// Soft delete and restore, the same for every table a user can delete from:
/// `deleted_at` set or cleared, the version bumped (so an open edit of the row
/// becomes stale), and an audit row — all in one transaction.
extension Database {
    /// `table` is one of our own table names, never user input: identifiers
    /// cannot be bound as parameters.
    func softDelete(table: String, entity: String, id: Int64) throws {
        try connection.transaction {
            try connection.run("UPDATE \(table) SET deleted_at = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL", [clock.now, id])
            guard connection.changes == 1 else { throw RepositoryError.notFound(entity: entity, id: id) }
            try audit.record(entity, id, "delete")
        }
    }

    func restore(table: String, entity: String, id: Int64) throws {
        try connection.transaction {
            try connection.run("UPDATE \(table) SET deleted_at = NULL, version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL", [id])
            guard connection.changes == 1 else { throw RepositoryError.notFound(entity: "deleted \(entity)", id: id) }
            try audit.record(entity, id, "restore")
        }
    }
}
