import Foundation

/// Which of two records a merged field is taken from.
public enum MergeSide: String, Sendable, Hashable, Codable {
    /// The record that stays (the survivor).
    case keep
    /// The record merged away into it.
    case other

    public var flipped: MergeSide { self == .keep ? .other : .keep }
}

/// One field of a record as a merge chooses it: its name (as the audit log
/// names it), whether a record has it set, and how to copy it across.
public struct MergeField<Record>: Sendable {
    public let name: String
    public let isSet: @Sendable (Record) -> Bool
    public let copy: @Sendable (Record, inout Record) -> Void

    public init(_ name: String, isSet: @escaping @Sendable (Record) -> Bool,
                copy: @escaping @Sendable (Record, inout Record) -> Void) {
        self.name = name; self.isSet = isSet; self.copy = copy
    }

    static func text(_ name: String, _ path: WritableKeyPath<Record, String> & Sendable) -> MergeField {
        MergeField(name, isSet: { !$0[keyPath: path].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty },
                   copy: { from, into in into[keyPath: path] = from[keyPath: path] })
    }

    static func optional<V>(_ name: String, _ path: WritableKeyPath<Record, V?> & Sendable) -> MergeField {
        MergeField(name, isSet: { $0[keyPath: path] != nil }, copy: { from, into in into[keyPath: path] = from[keyPath: path] })
    }
}

/// How two records become one: each field from the side chosen for it; the
/// default side is the one that has it set, and when both have it, the more
/// recently edited record's.
public enum MergeChoice {
    public static func defaults<R>(keep: R, other: R, fields: [MergeField<R>], updatedAt: (R) -> Date) -> [String: MergeSide] {
        var sides: [String: MergeSide] = [:]
        let newer: MergeSide = updatedAt(other) > updatedAt(keep) ? .other : .keep
        for field in fields {
            switch (field.isSet(keep), field.isSet(other)) {
            case (true, false), (false, false): sides[field.name] = .keep
            case (false, true): sides[field.name] = .other
            case (true, true): sides[field.name] = newer
            }
        }
        return sides
    }

    /// `keep` with each field `sides` gives to the other record copied from it.
    public static func merged<R>(keep: R, other: R, fields: [MergeField<R>], sides: [String: MergeSide]) -> R {
        var out = keep
        for field in fields where sides[field.name] == .other { field.copy(other, &out) }
        return out
    }
}

extension Contact {
    /// The fields a contact merge chooses one side of; emails, phones, tags
    /// and notes are not chosen but joined (`joiningDetails`).
    public static let mergeFields: [MergeField<Contact>] = [
        .text("name", \.name), .text("title", \.title), .optional("company", \.companyID), .optional("owner", \.ownerID),
        MergeField("lifecycle", isSet: { $0.lifecycle != .lead }, copy: { from, into in into.lifecycle = from.lifecycle }),
        .text("source", \.source),
    ]

    /// This contact with `other`'s emails, phones and tags added after its
    /// own: an address compared ignoring case, a number on its digits, a tag
    /// ignoring case, each once.
    public func joiningDetails(of other: Contact) -> Contact {
        var out = self
        for email in other.emails where !out.emails.contains(where: { $0.address.lowercased() == email.address.lowercased() }) {
            out.emails.append(email)
        }
        for phone in other.phones where !out.phones.contains(where: { PhoneNumber.digits($0.number) == PhoneNumber.digits(phone.number) }) {
            out.phones.append(phone)
        }
        for tag in other.tags where !out.tags.contains(where: { $0.lowercased() == tag.lowercased() }) {
            out.tags.append(tag)
        }
        out.notes = MergeChoice.joinedNotes(notes, other.notes)
        return out
    }
}

extension MergeChoice {
    /// Two records' notes as one: the kept record's, a blank line, the
    /// other's; when one already holds the other, that one alone. Notes were
    /// one side or the other, the more recently edited by default, and an
    /// imported duplicate's one line ("Person - Owner: Admin") replaced a
    /// customer's history (QA 45 IO #5).
    public static func joinedNotes(_ keep: String, _ other: String) -> String {
        let a = keep.trimmingCharacters(in: .whitespacesAndNewlines), b = other.trimmingCharacters(in: .whitespacesAndNewlines)
        if b.isEmpty || a.contains(b) { return keep }
        if a.isEmpty || b.contains(a) { return other }
        return a + "\n\n" + b
    }
}

extension Company {
    /// The fields a company merge chooses one side of; the notes are joined
    /// (`joiningNotes`).
    public static let mergeFields: [MergeField<Company>] = [
        .text("name", \.name), .text("domain", \.domain), .text("phone", \.phone), .text("address", \.address),
        .optional("owner", \.ownerID),
    ]

    /// This company with `other`'s notes joined to its own.
    public func joiningNotes(of other: Company) -> Company {
        var out = self
        out.notes = MergeChoice.joinedNotes(notes, other.notes)
        return out
    }
}
