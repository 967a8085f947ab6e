import CRMCore
import Foundation

/// Why a login or a user action is refused: a sentence that says why and
/// what to do, and what kind of refusal it is (the CLI picks its exit status
/// by the kind: an unknown user is sysexits EX_NOUSER, 67).
public struct UserRefusal: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No user has this login, and the database does not create users
        /// on first use.
        case unknownUser
        /// The user is deactivated.
        case deactivated
        /// The acting user's role may not do this.
        case notPermitted
        /// The action would leave the team broken (no active admin), or
        /// names a user it cannot (the leaver as their own heir).
        case conflict
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// "no user 'Sara'; did you mean 'sara'? An admin adds users with `crm user add`", or
    /// "no user 'rita'; an admin adds users with `crm user add`".
    public static func unknown(_ login: String, known: [String]) -> UserRefusal {
        // After a question the next sentence starts with a capital; without
        // one it goes on after the semicolon.
        let guess = closest(to: login, in: known).map { " did you mean '\($0)'? An" } ?? " an"
        return UserRefusal(.unknownUser, "no user '\(login)';\(guess) admin adds users with `crm user add`")
    }

    /// Refuses creating `login` on first use when a user's login differs
    /// from it only in case: "Sara" beside "sara" is a typo, not a colleague
    /// (QA 45 SC #2). The one rule of both engines' sign-in.
    public static func refuseCaseVariant(_ login: String, among users: [User]) throws {
        if let namesake = users.first(where: { $0.login.lowercased() == login.lowercased() }) {
            throw unknown(login, known: [namesake.login])
        }
    }

    public static func deactivated(_ login: String) -> UserRefusal {
        UserRefusal(.deactivated, "the user '\(login)' is deactivated and cannot open the CRM; an admin reactivates it with `crm user reactivate \(login)`")
    }

    /// Who may take a leaver's work: a user there is (`user`, found by the
    /// login), active, and not the leaver. Both engines check each heir with
    /// it inside the handover; the screen before it asks to confirm.
    public static func heir(_ login: String, _ user: User?, for leaver: User, known: () throws -> [String]) throws -> User {
        guard let user else { throw unknown(login, known: try known()) }
        guard user.isActive else {
            throw UserRefusal(.deactivated, "cannot hand \(leaver.login)'s work to \(login): \(login) is deactivated; reactivate them (`crm user reactivate \(login)`) or choose an active user")
        }
        guard user.id != leaver.id else {
            throw UserRefusal(.conflict, "cannot hand \(leaver.login)'s work to \(login) themselves; name a colleague")
        }
        return user
    }

    /// A write by a user an admin deactivated while their session was open.
    public static func deactivatedMeanwhile(_ login: String) -> UserRefusal {
        UserRefusal(.deactivated, "you (\(login)) were deactivated by an admin: nothing was saved; an admin reactivates you with `crm user reactivate \(login)`")
    }

    /// The refusal for `permission` when `user`'s role may not.
    public static func check(_ permission: Permission, for user: User) throws {
        if let reason = permission.refusal(for: user.role) {
            throw UserRefusal(.notPermitted, "\(reason); you are \(user.login), \(user.role.withArticle)")
        }
    }

    /// Moving a record someone else owns (or is assigned) to another owner
    /// is a manager's or an admin's; a rep gives only their own or unowned
    /// ones. What PostgreSQL's `crm_check_reassign` trigger enforces, for
    /// SQLite's repositories to check in the same transaction as the write
    /// (QA 43: a rep's `A` on a colleague's follow-up was saved). `what` names
    /// the record ("\"Call back\"").
    public static func checkReassigning(from old: Int64?, to new: Int64?, by user: User, what: String) throws {
        guard let reason = reassignRefusal(from: old, to: new, by: user) else { return }
        throw UserRefusal(.notPermitted, "\(what) is not yours: \(reason); you are \(user.login), \(user.role.withArticle)")
    }

    /// Why `user` may not move a record from owner `old` to `new` ("only a
    /// manager or an admin reassigns others' records"), nil when they may:
    /// the one rule the repositories (above) and the forms' owner and
    /// assignee fields (`OwnerChange`) both apply.
    public static func reassignRefusal(from old: Int64?, to new: Int64?, by user: User) -> String? {
        guard let old, old != new, user.id != 0, old != user.id else { return nil }
        return Permission.reassignRecords.refusal(for: user.role)
    }

    /// Undoing a handover that deactivated its leaver reactivates them: an
    /// admin's to do, and the refusal says why (QA 41 #11: a manager undoing
    /// his own handover was told only "only an admin manages users").
    public static func checkUndoingReactivates(handover id: Int64, for user: User) throws {
        if let reason = Permission.manageUsers.refusal(for: user.role) {
            throw UserRefusal(.notPermitted, "undoing handover \(id) also reactivates the user it deactivated, and \(reason); "
                              + "you are \(user.login), \(user.role.withArticle)")
        }
    }

    /// The login nearest to `login`: the same without case, else one that
    /// starts alike or differs by at most two letters.
    static func closest(to login: String, in known: [String]) -> String? {
        let folded = login.lowercased()
        if let same = known.first(where: { $0.lowercased() == folded }) { return same }
        let scored = known.map { ($0, distance(folded, $0.lowercased())) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance over characters (logins are short).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let old = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = old
            }
        }
        return row[b.count]
    }
}

/// Where a leaver's records go: one heir for each kind (nil: that kind stays).
public struct HandoverPlan: Sendable, Equatable {
    public var contactsTo: String?
    public var dealsTo: String?
    public var followUpsTo: String?

    public init(contactsTo: String? = nil, dealsTo: String? = nil, followUpsTo: String? = nil) {
        self.contactsTo = contactsTo
        self.dealsTo = dealsTo
        self.followUpsTo = followUpsTo
    }

    /// Everything to one colleague.
    public init(everythingTo login: String) { self.init(contactsTo: login, dealsTo: login, followUpsTo: login) }

    public var isEmpty: Bool { contactsTo == nil && dealsTo == nil && followUpsTo == nil }
}

/// What a user holds that a handover moves: the contacts and companies they
/// own, their open deals, their open follow-ups.
public struct HandoverCounts: Sendable, Equatable {
    public var contacts: Int
    public var companies: Int
    public var openDeals: Int
    public var openFollowUps: Int

    public init(contacts: Int = 0, companies: Int = 0, openDeals: Int = 0, openFollowUps: Int = 0) {
        self.contacts = contacts
        self.companies = companies
        self.openDeals = openDeals
        self.openFollowUps = openFollowUps
    }

    public var total: Int { contacts + companies + openDeals + openFollowUps }

    /// "omid owns 412 contacts, 3 companies, 37 open deals, 58 open follow-ups".
    public func sentence(for login: String) -> String {
        func n(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
        var parts = [n(contacts, "contact", "contacts")]
        if companies > 0 { parts.append(n(companies, "company", "companies")) }
        parts.append(n(openDeals, "open deal", "open deals"))
        parts.append(n(openFollowUps, "open follow-up", "open follow-ups"))
        return "\(login) owns " + parts.joined(separator: ", ")
    }
}

/// One record a handover moved: for the handover list (CSV/JSON).
public struct HandoverItem: Sendable, Equatable {
    /// "contact", "company", "deal" or "followup".
    public let entity: String
    public let id: Int64
    /// The contact's, company's or deal's name, the follow-up's title.
    public let name: String
    public let fromLogin: String
    public let toLogin: String

    public init(entity: String, id: Int64, name: String, fromLogin: String, toLogin: String) {
        self.entity = entity
        self.id = id
        self.name = name
        self.fromLogin = fromLogin
        self.toLogin = toLogin
    }
}

/// A handover done: its number (for undo), and what moved to whom.
public struct Handover: Sendable, Equatable {
    public let id: Int64
    public let fromLogin: String
    public let items: [HandoverItem]

    public init(id: Int64, fromLogin: String, items: [HandoverItem]) {
        self.id = id
        self.fromLogin = fromLogin
        self.items = items
    }

    /// "412 contacts to sara, 37 deals to jan".
    public var summary: String {
        var counts: [(String, String, Int)] = []
        for item in items {
            if let i = counts.firstIndex(where: { $0.0 == item.entity && $0.1 == item.toLogin }) {
                counts[i].2 += 1
            } else {
                counts.append((item.entity, item.toLogin, 1))
            }
        }
        if counts.isEmpty { return "nothing to move" }
        let plural = ["contact": "contacts", "company": "companies", "deal": "open deals", "followup": "open follow-ups"]
        let singular = ["contact": "contact", "company": "company", "deal": "open deal", "followup": "open follow-up"]
        return counts.map { "\($0.2) \(($0.2 == 1 ? singular : plural)[$0.0] ?? $0.0) to \($0.1)" }.joined(separator: ", ")
    }
}

/// Users and their roles, and handing a leaver's work to colleagues. Every
/// method is one transaction, audited, and checks the acting user's role
/// (`Permission.manageUsers`; a handover needs `.reassignRecords` too).
public protocol UserRepository: AnyObject {
    /// Every user, active or not, by login.
    func all() throws -> [User]
    func find(login: String) throws -> User?
    func add(login: String, name: String, role: Role) throws -> User
    func rename(login: String, to newLogin: String) throws -> User
    func setName(login: String, name: String) throws -> User
    func setRole(login: String, role: Role) throws -> User
    /// Deactivates `login`, first handing over what `plan` names, all in one
    /// transaction; the handover (nil when the plan is empty) can be undone.
    func deactivate(login: String, handover plan: HandoverPlan) throws -> (User, Handover?)
    func reactivate(login: String) throws -> User
    /// What `login` holds that a handover would move.
    func holdings(of login: String) throws -> HandoverCounts
    /// Moves what `plan` names from `login` to colleagues without
    /// deactivating anyone (a rep moving to another team).
    func handOver(from login: String, plan: HandoverPlan) throws -> Handover
    /// Moves back what handover `id` moved, record by record where nobody
    /// changed it since; returns how many came back and which were left
    /// (changed since, with the reason).
    func undoHandover(_ id: Int64) throws -> (restored: Int, skipped: [String])
    /// The latest handovers, newest first, at most `limit` (`crm user handovers`).
    func handovers(limit: Int) throws -> [(id: Int64, at: Date, from: String, items: Int, undone: Bool)]
    /// Whether an unknown login is created on first use (a shared setting).
    func createsUsersOnFirstUse() throws -> Bool
    func setCreatesUsersOnFirstUse(_ on: Bool) throws
}
