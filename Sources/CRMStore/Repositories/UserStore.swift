import CRMCore
import CRMRepositories
import Foundation

/// Users are created on first use of a login: there is no sign-up.
public final class UserStore {
    let db: Database
    init(db: Database) { self.db = db }

    /// The user with `login`, created if there is none. Safe when several
    /// processes open crm as the same new login at once: the insert does
    /// nothing if another one got there first, and the row is read back
    /// either way, so all of them get the same user.
    public func findOrCreate(login: String, name: String = "") throws -> User {
        try ValidationFailure.check(User.validate(login: login))
        // Found without writing: the common case takes no write lock.
        if let user = try find(login: login) { return user }
        try db.connection.run("INSERT INTO users(login, name, created_at) VALUES (?, ?, ?) ON CONFLICT(login) DO NOTHING",
                              [login, name.isEmpty ? login : name, db.clock.now])
        guard let user = try find(login: login) else {
            // Only if someone deleted the row in between: users are never deleted.
            throw RepositoryError.notFound(entity: "user", id: 0)
        }
        return user
    }

    public func find(login: String) throws -> User? {
        try db.connection.first("SELECT id, login, name FROM users WHERE login = ?", [login]) {
            User(id: $0.int64(0), login: $0.string(1), name: $0.string(2))
        }
    }

    public func get(_ id: Int64) throws -> User? {
        try db.connection.first("SELECT id, login, name FROM users WHERE id = ?", [id]) {
            User(id: $0.int64(0), login: $0.string(1), name: $0.string(2))
        }
    }

    public func all() throws -> [User] {
        try db.connection.rows("SELECT id, login, name FROM users ORDER BY login") {
            User(id: $0.int64(0), login: $0.string(1), name: $0.string(2))
        }
    }
}
