import CRMCore
import CRMRepositories

/// The owner choice of a form: a rep may give their own record (or an
/// unowned one) to a colleague; moving someone else's record to another
/// owner is a manager's or an admin's (`Permission.reassignRecords`).
enum OwnerChange {
    /// Why `login` cannot be given records, in the words every reassign
    /// prompt uses: unknown (with the active users to choose from) or
    /// deactivated.
    static func noSuchOwner(_ login: String, users: [User]) -> String {
        let active = users.filter(\.isActive).map(\.login).sorted { $0.lowercased() < $1.lowercased() }
        if let known = users.first(where: { $0.login.lowercased() == login.lowercased() }), !known.isActive {
            return "\(known.login) is deactivated: choose an active user"
        }
        return "No active user '\(login)': choose one of \(active.joined(separator: ", "))"
    }

    /// The owner the form asks for, or the field's refusal with the reason.
    ///
    /// `chosen`: false when an existing record's form still shows the owner
    /// it opened with. Then the owner stored now stands: a colleague's
    /// hand-over meanwhile is not read as this person taking the record back
    /// (which a rep may not do); the save's version check says what changed.
    static func resolve(_ login: String, current: Int64?, chosen: Bool = true, repos: any CRMRepositories) throws -> Int64? {
        guard chosen else { return current }
        guard let owner = try repos.allUsers().first(where: { $0.login == login }) else { return current }
        guard owner.id != current else { return current }
        try check(from: current, to: owner.id, field: "owner", repos: repos)
        return owner.id
    }

    /// Refuses on `field` a move of someone else's record (or follow-up)
    /// that the user's role may not make, with the reason the repositories
    /// give (`UserRefusal.reassignRefusal`).
    static func check(from current: Int64?, to new: Int64?, field: String, repos: any CRMRepositories) throws {
        if let reason = UserRefusal.reassignRefusal(from: current, to: new, by: repos.currentUser) { throw FieldError(field, reason) }
    }
}
