import CRMCore
import CRMRepositories
import Foundation

/// Users are created on first use of a login: there is no sign-up.
public final class UserStore {
    let db: Database
    init(db: Database) { self.db = db }

    public func findOrCreate(login: String, name: String = "") throws -> User {
        try ValidationFailure.check(User.validate(login: login))
        if let user = try find(login: login) { return user }
        try db.connection.run("INSERT INTO users(login, name, created_at) VALUES (?, ?, ?)",
                              [login, name.isEmpty ? login : name, db.clock.now])
        return User(id: db.connection.lastInsertRowID, login: login, name: name)
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
