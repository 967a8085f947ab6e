/// Someone who works in the CRM: owns contacts and deals, is assigned follow-ups.
public struct User: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var login: String
    public var name: String

    public init(id: Int64 = 0, login: String, name: String = "") {
        self.id = id
        self.login = login
        self.name = name.isEmpty ? login : name
    }

    public static func validate(login: String) -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(login, "login", max: 64, into: &errors)
        if login.contains(where: { $0.isWhitespace }) {
            errors.append(FieldError("login", "must not contain spaces"))
        }
        return errors
    }
}
