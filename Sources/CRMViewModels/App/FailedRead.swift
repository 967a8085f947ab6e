import CRMCore
import CRMRepositories
import Foundation

// A read that fails must say so: an empty picker or pane looks exactly like
// "there is none", and the person then acts on a list that is not there.

extension AppContext {
    /// Runs a read; when it fails, reports what could not be read (status
    /// line, and the engine's diagnostic in the log) and returns nil, so the
    /// caller can say so where the data would have been.
    func read<T>(_ what: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            report(error, reading: what)
            return nil
        }
    }

    /// The logins a form's owner or assignee choice offers; empty (and
    /// reported) when the users cannot be read.
    func userLogins() -> [String] {
        // A deactivated user is offered no more (their records keep their name).
        read("the users for the owner choice") { try repositories.allUsers() }?.filter(\.isActive).map(\.login) ?? []
    }
}
