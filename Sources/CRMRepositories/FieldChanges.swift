import Foundation
import CRMCore

// Shared by every engine: what an edit changed, as the audit log records it.

/// Collects the fields that differ between two versions of a record, each
/// value as the JSON value it is (see `AuditValue.of`).
public struct FieldChanges {
    public private(set) var values: [String: AuditChange] = [:]
    public init() {}
    public mutating func compare<T: Equatable>(_ name: String, _ old: T, _ new: T) {
        if old != new { values[name] = AuditChange(AuditValue.of(old), AuditValue.of(new)) }
    }
    public var isEmpty: Bool { values.isEmpty }

    /// What changed between two versions of a contact, as every engine's
    /// edit and an import's merge into it audit it.
    public static func contact(_ old: Contact, _ new: Contact) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare("name", old.name, new.name)
        changes.compare("title", old.title, new.title)
        changes.compare("company", old.companyID, new.companyID)
        changes.compare("owner", old.ownerID, new.ownerID)
        changes.compare("lifecycle", old.lifecycle.rawValue, new.lifecycle.rawValue)
        changes.compare("source", old.source, new.source)
        changes.compare("notes", old.notes, new.notes)
        changes.compare("emails", old.emails.map(\.address), new.emails.map(\.address))
        changes.compare("phones", old.phones.map(\.number), new.phones.map(\.number))
        changes.compare("tags", old.tags, new.tags.sorted())
        return changes
    }
}

extension AuditValue {
    /// The audit value of a Swift value: optionals unwrapped (nil is null),
    /// integers as numbers, lists as lists, times as ISO 8601 UTC, anything
    /// else as its text (money as "1,200.00 EUR").
    public static func of(_ value: Any) -> AuditValue {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return .null }
            return of(wrapped)
        }
        switch value {
        case let v as AuditValue: return v
        case let s as String: return .text(s)
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(Int64(i))
        case let i as Int64: return .int(i)
        case let i as Int32: return .int(Int64(i))
        case let d as Double: return .double(d)
        case let date as Date: return .text(isoText(date))
        case let list as [Any]: return .list(list.map { of($0) })
        case let raw as any RawRepresentable: return of(raw.rawValue)
        default: return .text("\(value)")
        }
    }

    public static func isoText(_ date: Date) -> String { date.isoUTCText }
}

extension FieldChanges {
    /// What an edit of a company changed, as both engines' update audits it.
    public static func company(_ old: Company, _ new: Company) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare("name", old.name, new.name)
        changes.compare("domain", old.domain, new.domain)
        changes.compare("phone", old.phone, new.phone)
        changes.compare("address", old.address, new.address)
        changes.compare("notes", old.notes, new.notes)
        changes.compare("owner", old.ownerID, new.ownerID)
        return changes
    }

    /// What an edit of an interaction changed, as both engines' update audits it.
    public static func interaction(_ old: Interaction, _ new: Interaction) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare("kind", old.kind.rawValue, new.kind.rawValue)
        changes.compare("direction", old.direction.rawValue, new.direction.rawValue)
        changes.compare("occurred at", old.occurredAt, new.occurredAt)
        changes.compare("duration", old.durationSeconds, new.durationSeconds)
        changes.compare("outcome", old.outcome, new.outcome)
        changes.compare("subject", old.subject, new.subject)
        changes.compare("body", old.body, new.body)
        changes.compare("deal", old.dealID, new.dealID)
        return changes
    }

    /// What an edit of a deal changed, as both engines' update audits it.
    public static func deal(_ old: Deal, _ new: Deal) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare("title", old.title, new.title)
        changes.compare("value", old.value, new.value)
        changes.compare("expected close", old.expectedClose, new.expectedClose)
        changes.compare("owner", old.ownerID, new.ownerID)
        changes.compare("contact", old.contactID, new.contactID)
        changes.compare("company", old.companyID, new.companyID)
        changes.compare("status", old.status.rawValue, new.status.rawValue)
        changes.compare("lost reason", old.lostReason, new.lostReason)
        changes.compare("position", old.position, new.position)
        return changes
    }

    /// The fields a follow-up's update compares and audits, on every engine
    /// and for one row or a set.
    public static func followUp(_ old: FollowUp, _ new: FollowUp) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare("title", old.title, new.title)
        changes.compare("note", old.note, new.note)
        changes.compare("due", old.dueAt, new.dueAt)
        changes.compare("status", old.status.rawValue, new.status.rawValue)
        changes.compare("assignee", old.assigneeID, new.assigneeID)
        changes.compare("contact", old.contactID, new.contactID)
        changes.compare("deal", old.dealID, new.dealID)
        changes.compare("reason", old.cancelReason, new.cancelReason)
        return changes
    }
}

extension FieldChanges {
    /// A contact's own cadence and Needs attention snooze, on every engine
    /// and for one contact or a set: audited as values (null for none, days
    /// as a number, the snooze as a time).
    public static func attention(_ old: ContactAttention, _ new: ContactAttention) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare("cadence", old.cadenceDays, new.cadenceDays)
        changes.compare("attention snoozed until", old.snoozedUntil, new.snoozedUntil)
        return changes
    }
}
