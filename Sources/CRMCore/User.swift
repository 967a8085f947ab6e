/// Someone who works in the CRM: owns contacts and deals, is assigned follow-ups.
public struct User: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var login: String
    public var name: String
    /// What the user may do (see `Role` and `Permission`).
    public var role: Role
    /// False once deactivated: cannot open the CRM, is offered in no owner
    /// or assignee choice, but keeps their name on everything they wrote.
    public var isActive: Bool

    public init(id: Int64 = 0, login: String, name: String = "", role: Role = .rep, isActive: Bool = true) {
        self.id = id
        self.login = login
        self.name = name.isEmpty ? login : name
        self.role = role
        self.isActive = isActive
    }

    /// The id to store as a row's author, owner or assignee: nil for the
    /// program's own user (id 0, no row in `users`: a script, a migration).
    public var storedID: Int64? { id == 0 ? nil : id }

    /// Whether this user may do `permission`.
    public func may(_ permission: Permission) -> Bool { role.may(permission) }

    /// The group roles crm's grants hang on: a user of that name would be
    /// that group on PostgreSQL (QA 33 #8: `crm user add crm_admin` made the
    /// admins' group a login role and dropped its grants).
    public static let groupRoles: Set<String> = ["crm_rep", "crm_manager", "crm_admin"]

    /// Why `login` cannot be a user on either engine (a file's users must
    /// be able to move to a server), or nil.
    static func reservedReason(_ login: String) -> String? {
        let lower = login.lowercased()
        if groupRoles.contains(lower) { return "\"\(login)\" is the name of crm's \(lower.dropFirst(4)) group on PostgreSQL; choose another login" }
        if lower.hasPrefix("pg_") { return "\"\(login)\" begins with pg_, which PostgreSQL keeps for its own roles; choose another login" }
        if lower == "public" { return "\"public\" means every role to PostgreSQL; choose another login" }
        return nil
    }

    public static func validate(login: String) -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(login, "login", max: 64, into: &errors)
        if login.contains(where: { $0.isWhitespace }) {
            errors.append(FieldError("login", "must not contain spaces"))
        } else if login.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) {
            // A zero-width space or a bidi mark makes "sara\u{200B}" look like
            // sara in every list; an escape would act on the terminal.
            errors.append(FieldError("login", "must not contain control or invisible characters (such as a zero-width space)"))
        } else if login.utf8.count > 63 {
            // PostgreSQL cuts a role name at 63 bytes: the user could never
            // sign in there (and a file with it could not move to a server).
            errors.append(FieldError("login", "is too long: \(login.utf8.count) bytes, at most 63 (a Persian or Arabic letter takes 2)"))
        } else if let reason = reservedReason(login) {
            errors.append(FieldError("login", reason))
        }
        return errors
    }
}
