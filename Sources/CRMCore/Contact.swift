import Foundation

/// A person we deal with. Names are free Unicode text in any script.
public struct Contact: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var name: String
    /// Job title ("Head of Purchasing").
    public var title: String
    public var companyID: Int64?
    public var emails: [EmailAddress]
    public var phones: [PhoneNumber]
    public var tags: [String]
    public var ownerID: Int64?
    public var lifecycle: Lifecycle
    /// Where the contact came from ("website", "referral", "fair 2026").
    public var source: String
    public var notes: String
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?
    public var version: Int64
    /// The contact's identity in address books (a vCard's UID), as the card
    /// it was imported from had it: a vCard export gives it back, so an
    /// address book updates its card instead of adding a second one. Nil
    /// for a contact made here (its export UID is made from id and creation
    /// time, `VCardWriter.uid`). Written when the contact is created, never
    /// edited.
    public var uid: String?

    public init(id: Int64 = 0, name: String, title: String = "", companyID: Int64? = nil,
                emails: [EmailAddress] = [], phones: [PhoneNumber] = [], tags: [String] = [],
                ownerID: Int64? = nil, lifecycle: Lifecycle = .lead, source: String = "", notes: String = "",
                createdAt: Date = Date(), updatedAt: Date = Date(), deletedAt: Date? = nil, version: Int64 = 0,
                uid: String? = nil) {
        self.id = id; self.name = name; self.title = title; self.companyID = companyID
        self.emails = emails; self.phones = phones; self.tags = tags; self.ownerID = ownerID
        self.lifecycle = lifecycle; self.source = source; self.notes = notes
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.deletedAt = deletedAt; self.version = version
        self.uid = uid
    }

    public var primaryEmail: String? { emails.first?.address }
    public var primaryPhone: String? { phones.first?.number }

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(name, "name", max: 200, into: &errors)
        Check.length(title, "title", max: 200, into: &errors)
        Check.length(source, "source", max: 200, into: &errors)
        Check.length(notes, "notes", max: 100_000, into: &errors)
        if let uid { Check.length(uid, "uid", max: 500, into: &errors) }
        for (i, email) in emails.enumerated() {
            errors += email.validate(field: emails.count == 1 ? "email" : "email \(i + 1)")
        }
        for (i, phone) in phones.enumerated() {
            errors += phone.validate(field: phones.count == 1 ? "phone" : "phone \(i + 1)")
        }
        for tag in tags where tag.count > 50 || tag.contains(",") {
            errors.append(FieldError("tags", "\"\(tag)\" is not a tag; tags are at most 50 characters, separated by commas"))
        }
        return errors
    }
}
