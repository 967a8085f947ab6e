import Foundation

/// An organisation that contacts work for.
public struct Company: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var name: String
    public var domain: String
    public var phone: String
    public var address: String
    public var notes: String
    public var ownerID: Int64?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?
    /// Bumped on every edit; an update naming an older version is refused.
    public var version: Int64

    public init(id: Int64 = 0, name: String, domain: String = "", phone: String = "", address: String = "",
                notes: String = "", ownerID: Int64? = nil, createdAt: Date = Date(), updatedAt: Date = Date(),
                deletedAt: Date? = nil, version: Int64 = 0) {
        self.id = id; self.name = name; self.domain = domain; self.phone = phone; self.address = address
        self.notes = notes; self.ownerID = ownerID; self.createdAt = createdAt; self.updatedAt = updatedAt
        self.deletedAt = deletedAt; self.version = version
    }

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(name, "name", max: 200, into: &errors)
        Check.length(domain, "domain", max: 253, into: &errors)
        Check.length(address, "address", max: 1000, into: &errors)
        Check.length(notes, "notes", max: 100_000, into: &errors)
        if !phone.isEmpty { errors += PhoneNumber(phone).validate(field: "phone") }
        if domain.contains(where: { $0.isWhitespace }) {
            errors.append(FieldError("domain", "must not contain spaces; expected e.g. example.com"))
        }
        return errors
    }
}
