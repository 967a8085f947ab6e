import CRMCore
import Foundation

/// Where one column of an import file goes in a contact: what a preset
/// decides for a known header, what `--map 'Column=field'` says, and what
/// the import screen shows under each column.
public enum ContactField: Sendable, Hashable, CustomStringConvertible {
    case name
    case firstName, middleName, lastName, namePrefix, nameSuffix
    case title
    case company
    /// Email addresses (several in one cell split on " ::: ", "," or ";"),
    /// each with this label.
    case email(label: String)
    /// The value and the label of a numbered pair (Google's "E-mail 1 - Value"
    /// and "E-mail 1 - Label", our "email_1" and "email_1_label").
    case emailValue(slot: Int)
    case emailLabel(slot: Int)
    case phone(label: String)
    case phoneValue(slot: Int)
    case phoneLabel(slot: Int)
    case tags
    case lifecycle
    case source
    case notes
    /// The owner's login (our own export; `--map X=owner`).
    case owner
    /// The file's own id for the record (a HubSpot Record ID, our id).
    case externalID
    case createdAt, updatedAt
    /// Kept in the contact's notes as "label: value": a value with no field.
    case extra(label: String)
    /// The value and label of a numbered pair that has no field (Google's
    /// "Website 1 - Value" / "Website 1 - Label"): kept as "Website (work): …".
    case extraValue(kind: String, slot: Int)
    case extraLabel(kind: String, slot: Int)
    /// A part of a Google address ("Address 1 - City"): kept in the notes
    /// only when the same address has no "Address 1 - Formatted" value, which
    /// already holds every part.
    case addressPart(slot: Int)
    /// Deliberately not imported: said on the mapping screen, never silent.
    case skip(reason: String)

    /// What the mapping screen shows in the "goes to" row.
    public var description: String {
        switch self {
        case .name: "name"
        case .firstName: "first name"
        case .middleName: "middle name"
        case .lastName: "last name"
        case .namePrefix: "name prefix"
        case .nameSuffix: "name suffix"
        case .title: "title"
        case .company: "company"
        case .email(let label): label.isEmpty ? "email" : "email (\(label))"
        case .emailValue(let slot): "email \(slot)"
        case .emailLabel(let slot): "label of email \(slot)"
        case .phone(let label): label.isEmpty ? "phone" : "phone (\(label))"
        case .phoneValue(let slot): "phone \(slot)"
        case .phoneLabel(let slot): "label of phone \(slot)"
        case .tags: "tags"
        case .lifecycle: "lifecycle"
        case .source: "source"
        case .notes: "notes"
        case .owner: "owner (login)"
        case .externalID: "external id"
        case .createdAt: "created at"
        case .updatedAt: "updated at"
        case .extra(let label): "notes, as \"\(label): …\""
        case .extraValue(let kind, _): "notes, as \"\(kind): …\""
        case .extraLabel(let kind, _): "label of \(kind) in notes"
        case .addressPart(let slot): "notes, unless Address \(slot) - Formatted is given"
        case .skip(let reason): "skipped (\(reason))"
        }
    }

    /// What the import screen offers to pick for a column, in this order.
    public static let choices: [ContactField] = [
        .name, .firstName, .middleName, .lastName, .title, .company, .email(label: ""), .phone(label: ""),
        .tags, .lifecycle, .source, .notes, .owner, .externalID, .skip(reason: "--map"),
    ]

    /// The field as `--map` writes it ("phone:work", "first_name"), so the
    /// screen can show the command that does the same; nil for the fields
    /// only a preset uses (numbered pairs, address parts).
    public var mappingText: String? {
        switch self {
        case .name: "name"
        case .firstName: "first_name"
        case .middleName: "middle_name"
        case .lastName: "last_name"
        case .title: "title"
        case .company: "company"
        case .email(let label): label.isEmpty ? "email" : "email:\(label)"
        case .phone(let label): label.isEmpty ? "phone" : "phone:\(label)"
        case .tags: "tags"
        case .lifecycle: "lifecycle"
        case .source: "source"
        case .notes: "notes"
        case .owner: "owner"
        case .externalID: "id"
        case .extra(let label): "extra:\(label)"
        case .skip: "skip"
        case .namePrefix, .nameSuffix, .emailValue, .emailLabel, .phoneValue, .phoneLabel, .createdAt, .updatedAt,
             .extraValue, .extraLabel, .addressPart: nil
        }
    }

    /// The fields `--map` accepts, for its messages.
    public static let mappingNames =
        "name, first_name, middle_name, last_name, title, company, email[:label], phone[:label], tags, lifecycle, source, notes, owner, id (or external_id), extra, skip"

    /// Reads the field side of one `--map` entry ("phone:work", "first_name");
    /// nil when it names no field we have.
    static func parseMapping(_ text: String, column: String) -> ContactField? {
        let trimmed = text.trimmed
        let parts = trimmed.split(separator: ":", maxSplits: 1).map { $0.trimmed }
        let key = parts[0].lowercased().replacingOccurrences(of: "-", with: "_")
        let label = parts.count > 1 ? ContactLabels.normalize(parts[1]) : ""
        switch key {
        case "email", "e_mail", "mail": return .email(label: label)
        case "phone", "tel", "telephone": return .phone(label: label)
        case _ where parts.count > 1 && key != "extra" && key != "skip": return nil
        case "name", "full_name": return .name
        case "first_name", "firstname", "given_name": return .firstName
        case "middle_name": return .middleName
        case "last_name", "lastname", "family_name", "surname": return .lastName
        case "title", "job_title": return .title
        case "company", "organization", "organisation": return .company
        case "tags", "tag": return .tags
        case "lifecycle": return .lifecycle
        case "source": return .source
        case "notes", "note": return .notes
        case "owner": return .owner
        case "id", "external_id", "externalid": return .externalID
        case "extra": return .extra(label: parts.count > 1 ? parts[1] : column)
        case "skip", "ignore": return .skip(reason: "--map")
        default: return nil
        }
    }
}

/// Labels of emails and phones as we keep them: lower case, without
/// Google's "* " mark of the primary value; a vCard's CELL is "mobile".
enum ContactLabels {
    static func normalize(_ label: String) -> String {
        var text = label.trimmed
        // Google marks the primary value "* Work", or "*" alone when it has no label.
        if text == "*" { return "" }
        if text.hasPrefix("* ") { text = String(text.dropFirst(2)) }
        text = text.lowercased()
        switch SearchFold.fold(text.replacingOccurrences(of: "\u{200C}", with: " ")) {
        case "cell", "cellular", "mobile phone", "handy", "mobil", "موبایل", "همراه", "تلفن همراه", "جوال": return "mobile"
        case "business", "geschäftlich", "محل کار", "کار", "شرکت", "عمل": return "work"
        case "privat", "منزل", "خانه", "منزل شخصی": return "home"
        default: return text
        }
    }
}
